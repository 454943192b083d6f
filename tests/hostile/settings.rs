//! The builder settings being added to every generated client against a hostile server:
//! `max_response_bytes` (a body limit of the caller's choosing), `deadline` (one bound on a
//! whole call: attempts, waits between them, token fetches) and
//! `danger_allow_plaintext_credentials` (the explicit opt-in for credentials over plain HTTP
//! to a remote host).

use std::time::{Duration, Instant};

use clientgen_runtime::RetryPolicy;
use security_onion_client::operations::GetInfoParams;
use serde_json::json;
use stamus_client::Error;

use crate::hostile::clients::{
    security_onion, stamus, stamus_rule, with_token, within, SO_TOKEN_PATH,
};
use crate::hostile::server::{HostileServer, Reply};

/// What an endless body may cost beyond a small limit (socket buffers, a chunk in flight).
const SLACK: u64 = 16 * 1024 * 1024;

fn stamus_with_limit(server: &HostileServer, limit: usize) -> stamus_client::Client {
    stamus(server)
        .max_response_bytes(limit)
        .build()
        .expect("valid configuration")
}

#[tokio::test]
async fn a_content_length_one_byte_over_the_configured_limit_is_refused_before_reading() {
    let limit = 1024;
    let server = HostileServer::always(Reply::slow(
        200,
        vec![b' '; limit + 1],
        0,
        Duration::from_secs(2),
    ))
    .await;
    let client = stamus_with_limit(&server, limit);
    let result = within(Duration::from_secs(1), "get_rule", client.get_rule(1)).await;
    assert!(
        matches!(
            result,
            Err(Error::ResponseTooLarge {
                limit: 1024,
                declared: Some(1025),
                ..
            })
        ),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_body_of_exactly_the_configured_limit_is_read() {
    let limit = 1024;
    let mut body = serde_json::to_vec(&stamus_rule()).expect("json");
    body.resize(limit, b' ');
    let server = HostileServer::always(Reply::body(200, "application/json", body)).await;
    let client = stamus_with_limit(&server, limit);
    let rule = client.get_rule(1).await.expect("exactly the limit");
    assert_eq!(rule.sid, 2_001_219);
}

#[tokio::test]
async fn an_endless_body_stops_at_the_configured_limit() {
    for status in [200, 500] {
        let limit = 64 * 1024;
        let server = HostileServer::always(Reply::endless(status, "application/json", "[0,")).await;
        let client = stamus_with_limit(&server, limit);
        let result = within(Duration::from_secs(10), "get_rule", client.get_rule(1)).await;
        assert!(
            matches!(
                result,
                Err(Error::ResponseTooLarge {
                    limit: 65536,
                    declared: None,
                    ..
                })
            ),
            "{status}: {result:?}"
        );
        let sent = server.bytes_sent();
        assert!(
            sent < SLACK,
            "{status}: {sent} bytes read for a {limit}-byte limit"
        );
    }
}

#[tokio::test]
async fn the_deadline_ends_a_call_the_server_never_answers() {
    let deadline = Duration::from_millis(300);
    let server = HostileServer::always(Reply::Silent).await;
    let client = stamus(&server)
        .deadline(deadline)
        .build()
        .expect("valid configuration");
    let started = Instant::now();
    let result = within(Duration::from_secs(5), "get_rule", client.get_rule(1)).await;
    assert!(
        matches!(result, Err(Error::Deadline { deadline: d, .. }) if d == deadline),
        "{result:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn the_deadline_ends_a_body_that_stalls() {
    let server = HostileServer::always(Reply::slow(
        200,
        serde_json::to_vec(&stamus_rule()).expect("json"),
        10,
        Duration::from_secs(2),
    ))
    .await;
    let client = stamus(&server)
        .deadline(Duration::from_millis(300))
        .build()
        .expect("valid configuration");
    let started = Instant::now();
    let result = within(Duration::from_secs(5), "get_rule", client.get_rule(1)).await;
    assert!(matches!(result, Err(Error::Deadline { .. })), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn the_deadline_spans_every_attempt_and_every_wait_between_them() {
    // Three attempts of up to 400 ms each and the backoff between them take well over a
    // second without a deadline.
    let server = HostileServer::always(Reply::Silent).await;
    let client = stamus(&server)
        .retry(RetryPolicy::default())
        .timeout(Duration::from_millis(400))
        .deadline(Duration::from_millis(300))
        .build()
        .expect("valid configuration");
    let started = Instant::now();
    let result = within(Duration::from_secs(5), "get_rule", client.get_rule(1)).await;
    assert!(matches!(result, Err(Error::Deadline { .. })), "{result:?}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn the_deadline_is_not_extended_by_a_retry_after() {
    let server = HostileServer::always(
        Reply::json(503, &json!({"detail": "busy"})).with_header("Retry-After", "1"),
    )
    .await;
    let client = stamus(&server)
        .retry(RetryPolicy::default())
        .deadline(Duration::from_millis(300))
        .build()
        .expect("valid configuration");
    let started = Instant::now();
    let result = within(Duration::from_secs(5), "get_rule", client.get_rule(1)).await;
    // A wait that would end past the deadline is not started: the 503 comes back at once.
    let gave_up = match &result {
        Err(Error::Status(status)) => status.status.as_u16() == 503,
        _ => false,
    };
    assert!(gave_up, "{result:?}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(server.requests().len(), 1, "a retry after the deadline");
}

#[tokio::test]
async fn the_deadline_covers_a_token_endpoint_that_never_answers() {
    let server = HostileServer::start(with_token(SO_TOKEN_PATH, Reply::Silent, |_| {
        Reply::json(200, &json!({}))
    }))
    .await;
    let client = security_onion(&server)
        .deadline(Duration::from_millis(300))
        .build()
        .expect("valid configuration");
    let started = Instant::now();
    let result = within(
        Duration::from_secs(5),
        "get_info",
        client.get_info(&GetInfoParams::default()),
    )
    .await;
    assert!(
        matches!(result, Err(security_onion_client::Error::Deadline { .. })),
        "{result:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
    assert!(server.requests_to("/connect/info/").is_empty());
}

#[test]
fn credentials_over_plaintext_to_a_remote_host_build_after_the_explicit_opt_in() {
    // Built only: nothing is ever sent to this host.
    let base_url = "http://soc.example.com";
    stamus_client::Client::builder()
        .base_url(base_url)
        .api_key("k")
        .danger_allow_plaintext_credentials()
        .build()
        .expect("stamus api_key");
    sekoia_client::Client::builder()
        .base_url(base_url)
        .bearer_token("k")
        .danger_allow_plaintext_credentials()
        .build()
        .expect("sekoia bearer_token");
    elastic_security_client::Client::builder()
        .base_url(base_url)
        .api_key("k")
        .danger_allow_plaintext_credentials()
        .build()
        .expect("elastic api_key");
    elastic_security_client::Client::builder()
        .base_url(base_url)
        .basic_auth("elastic", "p")
        .danger_allow_plaintext_credentials()
        .build()
        .expect("elastic basic_auth");
    security_onion_client::Client::builder()
        .base_url(base_url)
        .client_credentials("id", "s")
        .danger_allow_plaintext_credentials()
        .build()
        .expect("security onion client_credentials");
    stellar_cyber_client::Client::builder()
        .base_url(base_url)
        .api_key_exchange("soc@example.com", "k")
        .danger_allow_plaintext_credentials()
        .build()
        .expect("stellar api_key_exchange");
    stellar_cyber_client::Client::builder()
        .base_url(base_url)
        .bearer_token("k")
        .danger_allow_plaintext_credentials()
        .build()
        .expect("stellar bearer_token");
}

#[test]
fn the_plaintext_opt_in_does_not_allow_a_password_in_the_base_url() {
    let error = stamus_client::Client::builder()
        .base_url("http://user:hunter2@soc.example.com")
        .api_key("k")
        .danger_allow_plaintext_credentials()
        .build()
        .expect_err("userinfo");
    assert!(matches!(error, Error::InvalidBaseUrl { .. }), "{error:?}");
    assert!(!format!("{error} {error:?}").contains("hunter2"));
}
