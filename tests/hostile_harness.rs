//! The hostile server itself (tests/hostile/server.rs), checked with raw sockets and plain
//! `reqwest`: the tests in `hostile.rs` and `hostile_limits.rs` are only as good as its
//! recording and its misbehaviour are exact.

use std::time::Duration;

use crate::hostile::server::{HostileServer, Reply, TestCa};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Sends `request` on a new connection and reads until the server closes it (or 2 s pass).
async fn exchange(server: &HostileServer, request: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port()))
        .await
        .expect("connect");
    stream.write_all(request).await.expect("write");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(2), stream.read_to_end(&mut answer)).await;
    answer
}

#[tokio::test]
async fn a_request_is_recorded_as_sent() {
    let server = HostileServer::always(Reply::body(200, "text/plain", "ok")).await;
    let answer = exchange(
        &server,
        b"POST /a%2Cb/c?x=1,2&y=%2C HTTP/1.1\r\nHost: h\r\nX-Thing:  spaced \r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
    )
    .await;
    assert!(answer.starts_with(b"HTTP/1.1 200 OK\r\n"), "{answer:?}");
    assert!(answer.ends_with(b"\r\n\r\nok"), "{answer:?}");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/a%2Cb/c?x=1,2&y=%2C");
    assert_eq!(request.path(), "/a%2Cb/c");
    assert_eq!(request.query(), Some("x=1,2&y=%2C"));
    assert_eq!(request.header("x-thing"), Some("spaced"));
    assert_eq!(request.body, b"hello");
    assert!(!request.has_header("referer"));
}

#[tokio::test]
async fn a_chunked_request_body_is_recorded_de_chunked() {
    let server = HostileServer::always(Reply::body(200, "text/plain", "ok")).await;
    exchange(
        &server,
        b"PUT /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\n",
    )
    .await;
    assert_eq!(server.requests()[0].body, b"hello, world");
}

#[tokio::test]
async fn keep_alive_serves_the_scripted_replies_in_order_on_one_connection() {
    let server = HostileServer::sequence(vec![
        Reply::body(200, "text/plain", "first"),
        Reply::json(201, &serde_json::json!({"n": 2})),
    ])
    .await;
    let client = reqwest::Client::new();
    let one = client.get(server.url("/1")).send().await.expect("first");
    assert_eq!(one.status(), 200);
    assert_eq!(one.text().await.expect("body"), "first");
    let two = client.get(server.url("/2")).send().await.expect("second");
    assert_eq!(two.status(), 201);
    assert_eq!(two.text().await.expect("body"), r#"{"n":2}"#);
    let three = client.get(server.url("/3")).send().await.expect("third");
    assert_eq!(three.status(), 500, "the script ran out");
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.connection == 1), "one connection");
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn an_endless_body_stops_when_the_client_goes_away() {
    let server = HostileServer::always(Reply::endless(200, "application/x-ndjson", "{}\n")).await;
    let mut response = reqwest::get(server.url("/endless")).await.expect("head");
    let mut read = 0usize;
    while read < 4 * 1024 * 1024 {
        read += response
            .chunk()
            .await
            .expect("chunk")
            .expect("endless")
            .len();
    }
    drop(response);
    assert!(
        server.all_closed_within(Duration::from_secs(2)).await,
        "the server kept writing after the client left"
    );
    let sent = server.bytes_sent();
    assert!(sent < 64 * 1024 * 1024, "{sent} bytes sent for 4 MiB read");
}

#[tokio::test]
async fn an_endless_body_stops_at_its_cap_and_never_ends_properly() {
    let server = HostileServer::always(Reply::Endless {
        status: 200,
        headers: Vec::new(),
        prefix: b"first line\n".to_vec(),
        piece: b"x".to_vec(),
        cap: 1024 * 1024,
    })
    .await;
    let mut response = reqwest::get(server.url("/")).await.expect("head");
    let mut body = Vec::new();
    let error = loop {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => panic!("the endless body ended properly after {} bytes", body.len()),
            Err(error) => break error,
        }
    };
    assert!(error.is_body() || error.is_decode(), "{error:?}");
    assert!(body.starts_with(b"first line\nxxx"));
    let sent = server.bytes_sent();
    assert!((1024 * 1024..2 * 1024 * 1024).contains(&sent), "{sent}");
}

#[tokio::test]
async fn a_lying_length_announces_more_than_it_sends_then_closes() {
    let server = HostileServer::always(Reply::lying_length(200, 100, "short")).await;
    let answer = exchange(&server, b"GET / HTTP/1.1\r\nHost: h\r\n\r\n").await;
    let text = String::from_utf8(answer).expect("text");
    assert!(text.contains("Content-Length: 100\r\n"), "{text}");
    assert!(text.ends_with("\r\n\r\nshort"), "{text}");
}

#[tokio::test]
async fn a_slow_body_pauses_after_its_first_bytes() {
    let server = HostileServer::always(Reply::slow(
        200,
        "0123456789",
        3,
        Duration::from_millis(300),
    ))
    .await;
    let mut stream = TcpStream::connect(("127.0.0.1", server.port()))
        .await
        .expect("connect");
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n")
        .await
        .expect("write");
    let mut seen = Vec::new();
    let mut buffer = [0u8; 1024];
    while !seen.ends_with(b"012") {
        let n = stream.read(&mut buffer).await.expect("read");
        assert!(n > 0, "closed early");
        seen.extend_from_slice(&buffer[..n]);
    }
    let early = tokio::time::timeout(Duration::from_millis(100), stream.read(&mut buffer)).await;
    assert!(early.is_err(), "the rest came without the pause");
    let n = tokio::time::timeout(Duration::from_secs(2), stream.read(&mut buffer))
        .await
        .expect("the rest after the pause")
        .expect("read");
    assert_eq!(&buffer[..n], b"3456789");
}

#[tokio::test]
async fn a_header_flood_sends_every_header() {
    let server = HostileServer::always(Reply::HeaderFlood {
        status: 200,
        count: 5000,
        body: b"{}".to_vec(),
    })
    .await;
    let answer = exchange(&server, b"GET / HTTP/1.1\r\nHost: h\r\n\r\n").await;
    let text = String::from_utf8(answer).expect("text");
    assert_eq!(text.matches("X-Flood-").count(), 5000);
    assert!(text.ends_with("\r\n\r\n{}"));
}

#[tokio::test]
async fn raw_bytes_are_sent_exactly() {
    let raw = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc".to_vec();
    let server = HostileServer::always(Reply::Raw(raw.clone())).await;
    assert_eq!(
        exchange(&server, b"GET / HTTP/1.1\r\nHost: h\r\n\r\n").await,
        raw
    );
}

#[tokio::test]
async fn a_silent_server_holds_the_connection_until_dropped() {
    let server = HostileServer::always(Reply::Silent).await;
    let mut stream = TcpStream::connect(("127.0.0.1", server.port()))
        .await
        .expect("connect");
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n")
        .await
        .expect("write");
    let mut buffer = [0u8; 64];
    let early = tokio::time::timeout(Duration::from_millis(200), stream.read(&mut buffer)).await;
    assert!(early.is_err(), "a silent server answered");
    assert_eq!(server.requests().len(), 1, "recorded though never answered");
    let port = server.port();
    drop(server);
    let after = tokio::time::timeout(Duration::from_secs(2), stream.read(&mut buffer))
        .await
        .expect("dropping the server closes its connections");
    assert!(matches!(after, Ok(0) | Err(_)), "{after:?}");
    // And it no longer accepts.
    let mut refused = false;
    for _ in 0..100 {
        if TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(refused, "still accepting after drop");
}

#[tokio::test]
async fn a_client_leaving_mid_request_does_not_stop_the_server() {
    let server = HostileServer::always(Reply::body(200, "text/plain", "ok")).await;
    for partial in [
        &b"GET / HT"[..],
        b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nshort",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"\xff\xfe garbage\r\n\r\n",
    ] {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port()))
            .await
            .expect("connect");
        stream.write_all(partial).await.expect("write");
        drop(stream);
    }
    let answer = reqwest::get(server.url("/after"))
        .await
        .expect("still serving")
        .text()
        .await
        .expect("body");
    assert_eq!(answer, "ok");
    assert_eq!(server.requests_to("/after").len(), 1);
    assert!(server.bytes_received() > 0);
}

#[tokio::test]
async fn tls_is_served_with_a_certificate_the_test_ca_signed() {
    let ca = TestCa::new();
    let server = HostileServer::start_tls(ca.acceptor.clone(), |_| {
        Reply::body(200, "text/plain", "tls")
    })
    .await;
    assert!(server.origin().starts_with("https://127.0.0.1:"));
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(ca.pem.as_bytes()).expect("pem"))
        .build()
        .expect("client");
    let body = client
        .get(server.url("/secure"))
        .send()
        .await
        .expect("tls")
        .text()
        .await
        .expect("body");
    assert_eq!(body, "tls");
    assert_eq!(server.requests_to("/secure").len(), 1);

    // Plain HTTP on the TLS port: bytes arrive, no request is recorded.
    let plain = reqwest::get(format!("http://127.0.0.1:{}/plain", server.port())).await;
    assert!(plain.is_err(), "{plain:?}");
    assert!(server.requests_to("/plain").is_empty());
    assert_eq!(server.connections(), 2);
}
