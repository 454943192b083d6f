//! Redirects: a server (or whoever answers in its name) must not be able to send the client,
//! and the credentials it carries, anywhere else. Another scheme, host or port is another
//! origin and is never followed; same-origin redirects are followed as HTTP says, five hops
//! at most, never with a `Referer`.

use clientgen_runtime::reqwest::StatusCode;
use stamus_client::types::Ruleset;
use stamus_client::Error;

use crate::hostile::clients::{stamus, stamus_rule, stamus_ruleset, STAMUS_KEY, TENANT_HEADER};
use crate::hostile::server::{HostileServer, Recorded, Reply};

const REDIRECTS: [u16; 5] = [301, 302, 303, 307, 308];
const RULE_PATH: &str = "/rest/rules/rule/1/";
const RULESET_PATH: &str = "/rest/rules/ruleset/";

fn ruleset() -> Ruleset {
    let mut ruleset = Ruleset::new("Hunting".into());
    ruleset.descr = Some("body that must survive a 307".into());
    ruleset
}

/// Asserts `error` is a refused redirect with `status` whose location starts with `prefix`.
fn assert_refused(error: &Error, status: u16, prefix: &str) {
    match error {
        Error::Redirect {
            status: refused,
            location,
            ..
        } => {
            assert_eq!(refused.as_u16(), status, "{error}");
            assert!(
                location.starts_with(prefix),
                "location `{location}` should start with `{prefix}`"
            );
        }
        other => panic!("{status}: expected Error::Redirect, got {other:?}"),
    }
}

/// Asserts every request carried the credentials and the configured header, and no `Referer`.
fn assert_hops_carry_credentials_and_no_referer(requests: &[Recorded]) {
    for request in requests {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Token {STAMUS_KEY}").as_str()),
            "{} {}",
            request.method,
            request.target
        );
        assert_eq!(request.header(TENANT_HEADER.0), Some(TENANT_HEADER.1));
        assert!(
            !request.has_header("referer"),
            "Referer sent on {} {}: {:?}",
            request.method,
            request.target,
            request.header("referer")
        );
    }
}

#[tokio::test]
async fn a_redirect_to_another_port_is_refused_and_that_server_receives_nothing() {
    for status in REDIRECTS {
        let foreign = HostileServer::start(|request| match request.method.as_str() {
            "GET" => Reply::json(200, &stamus_rule()),
            _ => Reply::json(201, &stamus_ruleset()),
        })
        .await;
        let server =
            HostileServer::always(Reply::redirect(status, &foreign.url("/collect?stolen=1"))).await;
        let client = stamus(&server).build().expect("valid configuration");

        let error = client.get_rule(1).await.expect_err("a foreign redirect");
        assert_refused(&error, status, &foreign.origin());
        let error = client
            .create_ruleset(&ruleset())
            .await
            .expect_err("a foreign redirect");
        assert_refused(&error, status, &foreign.origin());

        assert_eq!(
            foreign.bytes_received(),
            0,
            "{status}: the other origin received {} bytes: {:?}",
            foreign.bytes_received(),
            foreign.requests()
        );
        assert_eq!(server.requests().len(), 2, "{status}: one request per call");
    }
}

#[tokio::test]
async fn a_redirect_to_another_host_name_on_the_same_port_is_refused() {
    // `localhost` reaches the same listener, so following it would show up here.
    let server = HostileServer::start(|request| match request.path() {
        RULE_PATH => Reply::redirect(
            302,
            &format!("http://localhost:{}/elsewhere", request_port(request)),
        ),
        _ => Reply::json(200, &stamus_rule()),
    })
    .await;
    let client = stamus(&server).build().expect("valid configuration");
    let error = client.get_rule(1).await.expect_err("another host");
    assert_refused(&error, 302, "http://localhost:");
    assert_eq!(server.requests().len(), 1, "{:?}", server.requests());
}

/// The port the client addressed, from its `Host` header.
fn request_port(request: &Recorded) -> String {
    request
        .header("host")
        .and_then(|host| host.rsplit_once(':'))
        .map(|(_, port)| port.to_owned())
        .expect("Host with a port")
}

#[tokio::test]
async fn a_redirect_to_another_scheme_on_the_same_host_and_port_is_refused() {
    let server = HostileServer::start(|request| match request.path() {
        RULE_PATH => Reply::redirect(
            301,
            &format!("https://127.0.0.1:{}/upgraded", request_port(request)),
        ),
        _ => Reply::json(200, &stamus_rule()),
    })
    .await;
    // Following would start TLS with a plain-HTTP server, which never answers it.
    let client = stamus(&server)
        .connect_timeout(std::time::Duration::from_secs(1))
        .timeout(std::time::Duration::from_secs(2))
        .build()
        .expect("valid configuration");
    let error = client.get_rule(1).await.expect_err("another scheme");
    assert_refused(&error, 301, "https://127.0.0.1:");
    assert_eq!(server.requests().len(), 1);
    assert_eq!(server.connections(), 1, "a TLS connection was attempted");
}

#[tokio::test]
async fn a_same_origin_303_after_post_is_followed_as_get_without_body() {
    let server = HostileServer::start(|request| match request.path() {
        RULESET_PATH => Reply::redirect(303, "/rest/rules/ruleset/4/"),
        _ => Reply::json(200, &stamus_ruleset()),
    })
    .await;
    let client = stamus(&server).build().expect("valid configuration");
    let created = client.create_ruleset(&ruleset()).await.expect("followed");
    assert_eq!(created.pk, Some(4));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, "POST");
    assert!(!requests[0].body.is_empty());
    assert_eq!(requests[1].method, "GET");
    assert_eq!(requests[1].path(), "/rest/rules/ruleset/4/");
    assert!(requests[1].body.is_empty(), "{:?}", requests[1].body_text());
    assert!(!requests[1].has_header("content-type"));
    assert_hops_carry_credentials_and_no_referer(&requests);
}

#[tokio::test]
async fn a_same_origin_301_or_302_after_post_is_followed_as_get_without_body() {
    for status in [301, 302] {
        let server = HostileServer::start(move |request| match request.path() {
            RULESET_PATH => Reply::redirect(status, "/rest/rules/ruleset/4/"),
            _ => Reply::json(200, &stamus_ruleset()),
        })
        .await;
        let client = stamus(&server).build().expect("valid configuration");
        client.create_ruleset(&ruleset()).await.expect("followed");
        let requests = server.requests();
        assert_eq!(requests.len(), 2, "{status}");
        assert_eq!(requests[1].method, "GET", "{status}");
        assert!(requests[1].body.is_empty(), "{status}");
        assert!(!requests[1].has_header("content-type"), "{status}");
        assert_hops_carry_credentials_and_no_referer(&requests);
    }
}

#[tokio::test]
async fn a_same_origin_307_or_308_keeps_the_method_and_the_body() {
    for status in [307, 308] {
        let server = HostileServer::start(move |request| match request.path() {
            RULESET_PATH => Reply::redirect(status, "/rest/rules/ruleset/moved/"),
            _ => Reply::json(201, &stamus_ruleset()),
        })
        .await;
        let client = stamus(&server).build().expect("valid configuration");
        client.create_ruleset(&ruleset()).await.expect("followed");
        let requests = server.requests();
        assert_eq!(requests.len(), 2, "{status}");
        assert_eq!(requests[1].method, "POST", "{status}");
        assert_eq!(requests[1].path(), "/rest/rules/ruleset/moved/");
        assert_eq!(requests[1].body, requests[0].body, "{status}: body re-sent");
        assert!(requests[1].body_text().contains("must survive a 307"));
        assert_eq!(
            requests[1].header("content-type"),
            Some("application/json"),
            "{status}"
        );
        assert_hops_carry_credentials_and_no_referer(&requests);
    }
}

/// Redirects `/rest/rules/rule/1/` → `/hop/1` → … → `/hop/{hops}`, which answers the rule;
/// odd hops use an absolute same-origin URL, even ones a relative reference.
async fn chain(hops: usize) -> HostileServer {
    HostileServer::start(move |request| {
        let next = match request.path() {
            RULE_PATH => Some(1),
            path => path
                .strip_prefix("/hop/")
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|n| *n < hops)
                .map(|n| n + 1),
        };
        match next {
            Some(n) if n % 2 == 1 => Reply::redirect(
                302,
                &format!("http://127.0.0.1:{}/hop/{n}", request_port(request)),
            ),
            Some(n) => Reply::redirect(307, &format!("/hop/{n}")),
            None => Reply::json(200, &stamus_rule()),
        }
    })
    .await
}

#[tokio::test]
async fn five_same_origin_hops_are_followed_with_credentials_and_without_referer() {
    let server = chain(5).await;
    let client = stamus(&server).build().expect("valid configuration");
    let rule = client.get_rule(1).await.expect("five hops are allowed");
    assert_eq!(rule.sid, 2_001_219);
    let requests = server.requests();
    assert_eq!(requests.len(), 6, "the call and five hops");
    assert_eq!(requests[5].path(), "/hop/5");
    assert_hops_carry_credentials_and_no_referer(&requests);
}

#[tokio::test]
async fn the_sixth_redirect_is_refused() {
    let server = chain(6).await;
    let client = stamus(&server).build().expect("valid configuration");
    let error = client.get_rule(1).await.expect_err("six hops");
    assert!(
        matches!(&error, Error::Redirect { status, .. } if *status == StatusCode::FOUND || *status == StatusCode::TEMPORARY_REDIRECT),
        "{error:?}"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 6, "the call and five hops, no more");
    assert!(server.requests_to("/hop/6").is_empty());
}

/// Pagination follows the same policy: a next-page link on the API's origin that redirects
/// elsewhere ends the stream with `Error::Redirect`, and the other origin receives nothing.
#[tokio::test]
async fn a_next_page_that_redirects_to_another_origin_ends_the_stream_with_a_refusal() {
    use clientgen_runtime::futures::StreamExt as _;

    let foreign = HostileServer::always(Reply::json(
        200,
        &serde_json::json!({"count": 1, "next": null, "previous": null, "results": [stamus_rule()]}),
    ))
    .await;
    let stolen = foreign.url("/rest/rules/rule/?page=2");
    let server = HostileServer::start(move |request| match request.query() {
        Some(query) if query.contains("page=2") => Reply::redirect(302, &stolen),
        _ => Reply::json(
            200,
            &serde_json::json!({
                "count": 2,
                "next": "/rest/rules/rule/?page=2",
                "previous": null,
                "results": [stamus_rule()],
            }),
        ),
    })
    .await;
    let client = stamus(&server).build().expect("valid configuration");
    let items: Vec<_> = client
        .list_rules_stream(&Default::default(), None)
        .collect()
        .await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[0].is_ok(), "{:?}", items[0]);
    let error = items[1].as_ref().expect_err("the redirect is refused");
    assert_refused(error, 302, &foreign.origin());
    assert_eq!(foreign.bytes_received(), 0, "{:?}", foreign.requests());
    assert_eq!(server.requests().len(), 2);
}
