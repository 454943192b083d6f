//! What the caller gives the builder or a call, checked before anything is sent: a space id
//! that would change the path, credentials in the base URL, credentials headed for a
//! plaintext remote host, header values that are not header values, and a list item whose
//! comma would split it in two.

use elastic_security_client::operations::FindExceptionListItemsParams;

use crate::hostile::clients::{assert_not_quoted, elastic, elastic_items_page};
use crate::hostile::server::{HostileServer, Reply};

const NOWHERE: &str = "http://127.0.0.1:1";

#[test]
fn a_space_id_that_is_empty_or_a_dot_segment_is_refused_at_build() {
    for space in ["..", ".", ""] {
        let result = elastic_security_client::Client::builder()
            .base_url(NOWHERE)
            .api_key("key")
            .space_id(space)
            .build();
        assert!(
            matches!(
                result,
                Err(elastic_security_client::Error::InvalidParameter { .. })
            ),
            "space id {space:?}: {result:?}"
        );
    }
    elastic_security_client::Client::builder()
        .base_url(NOWHERE)
        .api_key("key")
        .space_id("soc-team")
        .build()
        .expect("an ordinary space id");
}

#[test]
fn a_base_url_with_userinfo_is_refused_without_showing_the_password() {
    for url in [
        "http://user:hunter2@127.0.0.1:1",
        "https://:hunter2@soc.example.com/api",
        "https://user:hunter%32@soc.example.com",
    ] {
        let error = stamus_client::Client::builder()
            .base_url(url)
            .build()
            .expect_err("userinfo in the base URL");
        assert!(
            matches!(error, stamus_client::Error::InvalidBaseUrl { .. }),
            "{url}: {error:?}"
        );
        for shown in [error.to_string(), format!("{error:?}")] {
            assert_not_quoted(&shown, "hunter2");
            assert_not_quoted(&shown, "hunter%32");
        }
    }
}

/// Every way each client can be given credentials, on `base_url`, through `build()`.
fn build_with_each_credential(base_url: &str) -> Vec<(&'static str, Result<(), String>)> {
    fn outcome<T, E: std::fmt::Debug>(result: Result<T, E>) -> Result<(), String> {
        result.map(|_| ()).map_err(|e| format!("{e:?}"))
    }
    vec![
        (
            "stamus api_key",
            outcome(
                stamus_client::Client::builder()
                    .base_url(base_url)
                    .api_key("k")
                    .build(),
            ),
        ),
        (
            "sekoia bearer_token",
            outcome(
                sekoia_client::Client::builder()
                    .base_url(base_url)
                    .bearer_token("k")
                    .build(),
            ),
        ),
        (
            "elastic api_key",
            outcome(
                elastic_security_client::Client::builder()
                    .base_url(base_url)
                    .api_key("k")
                    .build(),
            ),
        ),
        (
            "elastic basic_auth",
            outcome(
                elastic_security_client::Client::builder()
                    .base_url(base_url)
                    .basic_auth("elastic", "p")
                    .build(),
            ),
        ),
        (
            "security onion client_credentials",
            outcome(
                security_onion_client::Client::builder()
                    .base_url(base_url)
                    .client_credentials("id", "s")
                    .build(),
            ),
        ),
        (
            "security onion basic_auth",
            outcome(
                security_onion_client::Client::builder()
                    .base_url(base_url)
                    .basic_auth("id", "s")
                    .build(),
            ),
        ),
        (
            "stellar api_key_exchange",
            outcome(
                stellar_cyber_client::Client::builder()
                    .base_url(base_url)
                    .api_key_exchange("soc@example.com", "k")
                    .build(),
            ),
        ),
        (
            "stellar scoped_api_key_exchange",
            outcome(
                stellar_cyber_client::Client::builder()
                    .base_url(base_url)
                    .scoped_api_key_exchange("k")
                    .build(),
            ),
        ),
        (
            "stellar bearer_token",
            outcome(
                stellar_cyber_client::Client::builder()
                    .base_url(base_url)
                    .bearer_token("k")
                    .build(),
            ),
        ),
    ]
}

#[test]
fn credentials_for_a_plaintext_remote_host_are_refused_at_build() {
    // Built only: nothing is ever sent to these hosts.
    for base_url in ["http://soc.example.com", "http://soc.example.com:8080/api"] {
        for (credential, outcome) in build_with_each_credential(base_url) {
            let error = outcome.expect_err(&format!(
                "{credential} over plaintext to {base_url} was accepted"
            ));
            assert!(
                error.starts_with("InvalidBaseUrl"),
                "{credential} on {base_url}: {error}"
            );
        }
    }
}

#[test]
fn credentials_over_plaintext_loopback_are_allowed() {
    for base_url in [
        "http://127.0.0.1:9200",
        "http://localhost:5601",
        "http://[::1]:8443/api",
    ] {
        for (credential, outcome) in build_with_each_credential(base_url) {
            outcome.unwrap_or_else(|e| panic!("{credential} on {base_url}: {e}"));
        }
    }
}

/// Values a header cannot carry: control characters and non-ASCII. Each holds a marker that
/// must not be quoted by the error.
const BAD_VALUES: [&str; 5] = [
    "MARKER-line\nfeed",
    "MARKER-crlf\r\nX-Injected: 1",
    "MARKER-nul\0",
    "MARKER-del\x7f",
    "MARKER-clé-secrète",
];

fn assert_refused_without_quoting<E: std::fmt::Debug + std::fmt::Display>(
    what: &str,
    value: &str,
    result: Result<impl std::fmt::Debug, E>,
    is_expected: impl Fn(&E) -> bool,
) {
    let error = match result {
        Ok(client) => panic!("{what} {value:?} was accepted: {client:?}"),
        Err(error) => error,
    };
    assert!(is_expected(&error), "{what} {value:?}: {error:?}");
    let secret = value
        .split(['\n', '\r', '\0', '\x7f'])
        .next()
        .unwrap_or(value);
    for shown in [error.to_string(), format!("{error:?}")] {
        assert_not_quoted(&shown, secret);
        assert_not_quoted(&shown, "MARKER");
    }
}

#[test]
fn a_header_carried_credential_or_header_that_is_not_a_header_value_is_refused_at_build() {
    use elastic_security_client::Error as E;
    let auth_or_header = |e: &E| matches!(e, E::Auth { .. } | E::InvalidHeader { .. });
    for value in BAD_VALUES {
        assert_refused_without_quoting(
            "elastic api_key",
            value,
            elastic_security_client::Client::builder()
                .base_url(NOWHERE)
                .api_key(value)
                .build(),
            auth_or_header,
        );
        assert_refused_without_quoting(
            "elastic header()",
            value,
            elastic_security_client::Client::builder()
                .base_url(NOWHERE)
                .header("X-Tenant", value)
                .build(),
            auth_or_header,
        );
        assert_refused_without_quoting(
            "stamus api_key",
            value,
            stamus_client::Client::builder()
                .base_url(NOWHERE)
                .api_key(value)
                .build(),
            |e| {
                matches!(
                    e,
                    stamus_client::Error::Auth { .. } | stamus_client::Error::InvalidHeader { .. }
                )
            },
        );
        assert_refused_without_quoting(
            "sekoia bearer_token",
            value,
            sekoia_client::Client::builder()
                .base_url(NOWHERE)
                .bearer_token(value)
                .build(),
            |e| {
                matches!(
                    e,
                    sekoia_client::Error::Auth { .. } | sekoia_client::Error::InvalidHeader { .. }
                )
            },
        );
        assert_refused_without_quoting(
            "stellar scoped_api_key_exchange",
            value,
            stellar_cyber_client::Client::builder()
                .base_url(NOWHERE)
                .scoped_api_key_exchange(value)
                .build(),
            |e| {
                matches!(
                    e,
                    stellar_cyber_client::Error::Auth { .. }
                        | stellar_cyber_client::Error::InvalidHeader { .. }
                )
            },
        );
    }
}

/// Basic credentials (and the client credentials of a token exchange, sent as Basic) are
/// base64-encoded UTF-8, so non-ASCII passwords are fine; control characters are not.
#[test]
fn basic_and_client_credentials_accept_non_ascii_secrets() {
    let value = "clé-secrète";
    security_onion_client::Client::builder()
        .base_url(NOWHERE)
        .client_credentials("so-client", value)
        .build()
        .expect("a non-ASCII client secret");
    elastic_security_client::Client::builder()
        .base_url(NOWHERE)
        .basic_auth("elastic", value)
        .build()
        .expect("a non-ASCII password");
}

#[test]
fn a_basic_or_client_credentials_secret_with_control_characters_is_refused_at_build() {
    use security_onion_client::Error as E;
    let auth_or_header = |e: &E| matches!(e, E::Auth { .. } | E::InvalidHeader { .. });
    for value in BAD_VALUES
        .into_iter()
        .filter(|v| v.chars().any(char::is_control))
    {
        assert_refused_without_quoting(
            "security onion client secret",
            value,
            security_onion_client::Client::builder()
                .base_url(NOWHERE)
                .client_credentials("so-client", value)
                .build(),
            auth_or_header,
        );
        assert_refused_without_quoting(
            "security onion client id",
            value,
            security_onion_client::Client::builder()
                .base_url(NOWHERE)
                .client_credentials(value, "secret")
                .build(),
            auth_or_header,
        );
        assert_refused_without_quoting(
            "elastic basic password",
            value,
            elastic_security_client::Client::builder()
                .base_url(NOWHERE)
                .basic_auth("elastic", value)
                .build(),
            |e| {
                matches!(
                    e,
                    elastic_security_client::Error::Auth { .. }
                        | elastic_security_client::Error::InvalidHeader { .. }
                )
            },
        );
        assert_refused_without_quoting(
            "stellar api key",
            value,
            stellar_cyber_client::Client::builder()
                .base_url(NOWHERE)
                .api_key_exchange("soc@example.com", value)
                .build(),
            |e| {
                matches!(
                    e,
                    stellar_cyber_client::Error::Auth { .. }
                        | stellar_cyber_client::Error::InvalidHeader { .. }
                )
            },
        );
    }
}

/// Percent-decodes `text` (the test's own, to read back what the client sent).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(byte) = text
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("UTF-8")
}

/// The raw value of query parameter `name` in `query`.
fn raw_query_value<'q>(query: &'q str, name: &str) -> &'q str {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
        .unwrap_or_else(|| panic!("no `{name}` in `{query}`"))
}

#[tokio::test]
async fn a_comma_inside_an_item_of_a_comma_joined_list_is_escaped_and_the_separators_are_not() {
    // `list_id` and `filter` are `style: form, explode: false` in the Elastic spec.
    let server = HostileServer::always(Reply::json(200, &elastic_items_page())).await;
    let client = elastic(&server).build().expect("valid configuration");

    let mut one_item = FindExceptionListItemsParams::new(vec!["a,b".into()]);
    one_item.filter = Some(vec!["exception-list-item.attributes.name:(a, b)".into()]);
    client
        .find_exception_list_items(&one_item)
        .await
        .expect("one item");
    let mut two_items = FindExceptionListItemsParams::new(vec!["a".into(), "b".into()]);
    two_items.filter = Some(vec![
        "exception-list-item.attributes.name:a".into(),
        "exception-list-item.attributes.name:b".into(),
    ]);
    client
        .find_exception_list_items(&two_items)
        .await
        .expect("two items");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let first = requests[0].query().expect("query");
    let second = requests[1].query().expect("query");
    assert_eq!(raw_query_value(first, "list_id"), "a%2Cb", "{first}");
    assert_eq!(raw_query_value(second, "list_id"), "a,b", "{second}");
    assert_ne!(
        raw_query_value(first, "list_id"),
        raw_query_value(second, "list_id"),
        "[\"a,b\"] and [\"a\",\"b\"] must differ on the wire"
    );
    for (query, items) in [(first, &one_item.filter), (second, &two_items.filter)] {
        let sent: Vec<String> = raw_query_value(query, "filter")
            .split(',')
            .map(percent_decode)
            .collect();
        assert_eq!(Some(&sent), items.as_ref(), "{query}");
    }
}
