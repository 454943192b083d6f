//! The default body limit (32 MiB) against bodies that announce more, or never end: API
//! responses, error responses and token responses alike. Nothing here needs a builder
//! setting, so it holds for every client as configured out of the box.

use std::time::{Duration, Instant};

use security_onion_client::operations::GetInfoParams;
use serde_json::json;
use stamus_client::Error;

use crate::hostile::clients::{security_onion, stamus, with_token, within, SO_TOKEN_PATH};
use crate::hostile::server::{HostileServer, Reply, ENDLESS_CAP};

const DEFAULT_LIMIT: usize = 32 * 1024 * 1024;
/// What an endless body may cost beyond the limit (socket buffers, one chunk in flight).
const SLACK: u64 = 16 * 1024 * 1024;

fn assert_too_large(result: Result<impl std::fmt::Debug, Error>, declared: Option<u64>) {
    match result {
        Err(Error::ResponseTooLarge {
            limit,
            declared: announced,
            ..
        }) => {
            assert_eq!(limit, DEFAULT_LIMIT);
            assert_eq!(announced, declared);
        }
        other => {
            panic!("expected Error::ResponseTooLarge {{ declared: {declared:?} }}, got {other:?}")
        }
    }
}

/// A response announcing `declared` bytes that sends its head, then nothing for 2 s.
fn announces(status: u16, declared: usize) -> Reply {
    Reply::slow(status, vec![b' '; declared], 0, Duration::from_secs(2))
}

#[tokio::test]
async fn a_content_length_above_the_limit_is_refused_before_reading() {
    for status in [200, 500] {
        let declared = DEFAULT_LIMIT + 1;
        let server = HostileServer::always(announces(status, declared)).await;
        let client = stamus(&server).build().expect("valid configuration");
        let started = Instant::now();
        let result = within(Duration::from_secs(10), "get_rule", client.get_rule(1)).await;
        assert_too_large(result, Some(declared as u64));
        // The body only starts after 2 s: refusing took no reading.
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{status}: waited {:?} for a body it should not read",
            started.elapsed()
        );
    }
}

#[tokio::test]
async fn a_content_length_at_the_limit_is_read() {
    let mut body =
        serde_json::to_vec(&json!({"sid": 1, "msg": "exactly at the limit"})).expect("json");
    body.resize(DEFAULT_LIMIT, b' ');
    let server = HostileServer::always(Reply::body(200, "application/json", body)).await;
    let client = stamus(&server).build().expect("valid configuration");
    let rule = within(Duration::from_secs(20), "get_rule", client.get_rule(1))
        .await
        .expect("a body of exactly the limit");
    assert_eq!(rule.msg, "exactly at the limit");
}

#[tokio::test]
async fn an_endless_body_stops_at_the_limit() {
    let server = HostileServer::always(Reply::endless(200, "application/json", "[1,2,3,")).await;
    let client = stamus(&server).build().expect("valid configuration");
    let result = within(Duration::from_secs(20), "get_rule", client.get_rule(1)).await;
    assert_too_large(result, None);
    let sent = server.bytes_sent();
    assert!(
        sent < DEFAULT_LIMIT as u64 + SLACK,
        "the client read {sent} bytes (the server stops at {ENDLESS_CAP})"
    );
    assert!(server.all_closed_within(Duration::from_secs(2)).await);
}

#[tokio::test]
async fn an_endless_error_body_stops_at_the_limit() {
    let server = HostileServer::always(Reply::endless(500, "text/html", "<p>error</p>")).await;
    let client = stamus(&server).build().expect("valid configuration");
    let result = within(Duration::from_secs(20), "get_rule", client.get_rule(1)).await;
    assert_too_large(result, None);
    let sent = server.bytes_sent();
    assert!(
        sent < DEFAULT_LIMIT as u64 + SLACK,
        "the client read {sent} bytes"
    );
}

#[tokio::test]
async fn an_endless_token_response_stops_at_the_limit() {
    let server = HostileServer::start(with_token(
        SO_TOKEN_PATH,
        Reply::endless(200, "application/json", r#"{"access_token":"a","#),
        |_| Reply::json(200, &json!({})),
    ))
    .await;
    let client = security_onion(&server)
        .build()
        .expect("valid configuration");
    let result = within(
        Duration::from_secs(20),
        "get_info",
        client.get_info(&GetInfoParams::default()),
    )
    .await;
    match &result {
        Err(security_onion_client::Error::Auth { reason, .. }) => {
            assert!(reason.contains("larger than the limit"), "{reason}")
        }
        other => panic!("expected Error::Auth saying the token response is too large: {other:?}"),
    }
    let sent = server.bytes_sent();
    assert!(
        sent < DEFAULT_LIMIT as u64 + SLACK,
        "the client read {sent} bytes"
    );
    assert!(server.requests_to("/connect/info/").is_empty());
}
