//! Responses a broken or hostile server sends: malformed JSON, HTML where JSON belongs,
//! numbers no integer holds, duplicate keys, floods of headers, bodies that lie about their
//! length or stall, bytes that are not HTTP. Each ends in a typed error (or a value), never a
//! panic or a hang.

use std::time::{Duration, Instant};

use stamus_client::Error;

use crate::hostile::clients::{stamus, stamus_rule, within};
use crate::hostile::server::{HostileServer, Reply};

const LIMIT: Duration = Duration::from_secs(5);

/// `get_rule` against a server answering `reply` to everything.
async fn get_rule_against(
    reply: Reply,
) -> (HostileServer, Result<stamus_client::types::Rule, Error>) {
    let server = HostileServer::always(reply).await;
    let client = stamus(&server).build().expect("valid configuration");
    let result = within(LIMIT, "get_rule", client.get_rule(1)).await;
    (server, result)
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_giving_line_and_column() {
    let body = "{\n  \"sid\": 2001219,\n  \"msg\": \"ET SCAN\",\n  \"hits\": ,\n}";
    let (_server, result) = get_rule_against(Reply::body(200, "application/json", body)).await;
    match result {
        Err(Error::Decode {
            path,
            message,
            status,
            ..
        }) => {
            assert_eq!(status.as_u16(), 200);
            let both = format!("{path} {message}");
            assert!(
                both.contains("line 4") && both.contains("column"),
                "no line and column in: {both}"
            );
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn an_html_page_where_json_is_expected_is_a_decode_error_quoting_it() {
    let page = "<!DOCTYPE html><html><head><title>Sign in</title></head><body>Session expired</body></html>";
    let (_server, result) = get_rule_against(Reply::html(200, page)).await;
    match result {
        Err(Error::Decode { excerpt, .. }) => {
            assert!(excerpt.contains("<!DOCTYPE html>"), "excerpt: {excerpt}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn an_html_error_page_from_a_proxy_is_a_status_error_keeping_the_page() {
    let page = "<html><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>";
    let (_server, result) = get_rule_against(Reply::html(502, page)).await;
    match result {
        Err(Error::Status(status)) => {
            assert_eq!(status.status.as_u16(), 502);
            assert!(status.body_text().contains("502 Bad Gateway"));
        }
        other => panic!("expected Error::Status, got {other:?}"),
    }
}

#[tokio::test]
async fn a_number_no_integer_holds_is_a_decode_error() {
    for number in [
        "1e400",
        "-1e400",
        "18446744073709551616",
        "9223372036854775808",
        "-9223372036854775809",
        "1.5",
        "1e-400",
    ] {
        let body = format!(r#"{{"sid": {number}, "msg": "ET SCAN"}}"#);
        let (_server, result) = get_rule_against(Reply::body(200, "application/json", body)).await;
        assert!(
            matches!(result, Err(Error::Decode { .. })),
            "sid {number}: {result:?}"
        );
    }
}

#[tokio::test]
async fn duplicate_keys_of_a_declared_member_are_a_decode_error_and_of_an_unknown_one_are_kept() {
    // A declared member given twice is ambiguous: refused, with the member named.
    for (body, member) in [
        (r#"{"sid": 1, "msg": "a", "sid": 2}"#, "sid"),
        (r#"{"sid": 1, "msg": "a", "msg": {"nested": true}}"#, "msg"),
        (
            r#"{"sid": 1, "msg": "a", "category": {"pk": 1, "pk": "two", "name": "x"}}"#,
            "pk",
        ),
    ] {
        let (_server, result) = get_rule_against(Reply::body(200, "application/json", body)).await;
        match result {
            Err(Error::Decode { message, .. }) => {
                assert!(message.contains(member), "{body}: {message}")
            }
            other => panic!("{body}: expected Error::Decode naming `{member}`, got {other:?}"),
        }
    }
    // An unknown member given several times keeps its last value, as `serde_json::Value` does:
    // the client acts on none of them, and what it sends back is valid JSON.
    let body = r#"{"sid": 1, "msg": "a", "extra": 1, "extra": [2], "extra": {"x": 3}}"#;
    let (_server, result) = get_rule_against(Reply::body(200, "application/json", body)).await;
    let rule = result.expect("unknown members are kept");
    let encoded = String::from_utf8(serde_json::to_vec(&rule).expect("re-encodes")).expect("utf-8");
    assert!(encoded.ends_with(r#""extra":{"x": 3}}"#), "{encoded}");
    assert_eq!(encoded.matches("extra").count(), 1, "{encoded}");
}

#[tokio::test]
async fn a_header_flood_is_a_transport_error() {
    let (_server, result) = get_rule_against(Reply::HeaderFlood {
        status: 200,
        count: 10_000,
        body: serde_json::to_vec(&stamus_rule()).expect("json"),
    })
    .await;
    assert!(matches!(result, Err(Error::Transport { .. })), "{result:?}");
}

#[tokio::test]
async fn a_content_length_longer_than_the_body_then_close_is_a_transport_error() {
    let body = serde_json::to_vec(&stamus_rule()).expect("json");
    let declared = body.len() as u64 + 1000;
    let (_server, result) = get_rule_against(Reply::lying_length(200, declared, body)).await;
    assert!(matches!(result, Err(Error::Transport { .. })), "{result:?}");
}

#[tokio::test]
async fn a_content_length_shorter_than_the_body_is_all_that_is_read() {
    let body = r#"{"sid": 1, "msg": "cut here", "hits": 12}TRAILING-BYTES-NEVER-READ"#;
    let declared = body.find(", \"hits\"").expect("marker") as u64;
    let (_server, result) = get_rule_against(Reply::lying_length(200, declared, body)).await;
    match result {
        Err(Error::Decode { excerpt, .. }) => {
            assert!(
                !excerpt.contains("TRAILING"),
                "read past the length: {excerpt}"
            );
            assert!(!excerpt.contains("hits"), "read past the length: {excerpt}");
        }
        other => panic!("expected Error::Decode of the truncated body, got {other:?}"),
    }
}

#[tokio::test]
async fn conflicting_content_lengths_are_a_transport_error() {
    let raw = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}".to_vec();
    let (_server, result) = get_rule_against(Reply::Raw(raw)).await;
    assert!(matches!(result, Err(Error::Transport { .. })), "{result:?}");
}

#[tokio::test]
async fn bytes_that_are_not_http_are_a_transport_error() {
    for raw in [
        &b"SSH-2.0-OpenSSH_9.6\r\n"[..],
        b"HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        b"",
    ] {
        let (_server, result) = get_rule_against(Reply::Raw(raw.to_vec())).await;
        assert!(
            matches!(result, Err(Error::Transport { .. })),
            "{:?}: {result:?}",
            String::from_utf8_lossy(raw)
        );
    }
}

#[tokio::test]
async fn a_body_that_stalls_ends_at_the_request_timeout() {
    let body = serde_json::to_vec(&stamus_rule()).expect("json");
    let server = HostileServer::always(Reply::slow(200, body, 10, Duration::from_secs(2))).await;
    let client = stamus(&server)
        .timeout(Duration::from_millis(300))
        .build()
        .expect("valid configuration");
    let started = Instant::now();
    let result = within(LIMIT, "get_rule", client.get_rule(1)).await;
    assert!(matches!(result, Err(Error::Timeout { .. })), "{result:?}");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "took {:?}",
        started.elapsed()
    );
}
