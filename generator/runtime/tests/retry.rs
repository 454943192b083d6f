//! Retries against a wiremock server on 127.0.0.1.

use std::time::{Duration, Instant};

use clientgen_runtime::reqwest::Method;
use clientgen_runtime::{RetryPolicy, Transport};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn quick() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        ..RetryPolicy::default()
    }
}

fn transport(server: &MockServer, policy: RetryPolicy) -> Transport {
    Transport::builder(server.uri())
        .retry(policy)
        .build()
        .expect("valid")
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.expect("recording").len()
}

#[tokio::test]
async fn a_503_then_a_200_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let response = transport(&server, quick())
        .request(Method::GET, "get", "/x")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let started = Instant::now();
    let response = transport(&server, quick())
        .request(Method::GET, "get", "/x")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_time_budget_returns_the_answer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    let policy = RetryPolicy {
        max_elapsed: Duration::from_secs(5),
        ..quick()
    };
    let started = Instant::now();
    let response = transport(&server, policy)
        .request(Method::GET, "get", "/x")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 503);
    assert_eq!(requests(&server).await, 1);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn post_is_not_retried_by_default() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let response = transport(&server, quick())
        .request(Method::POST, "create", "/x")
        .json(&serde_json::json!({"a": 1}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 503);
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn post_is_retried_when_asked_and_the_body_is_sent_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let policy = RetryPolicy {
        retry_non_idempotent: true,
        ..quick()
    };
    transport(&server, policy)
        .request(Method::POST, "create", "/x")
        .json(&serde_json::json!({"a": 1}))
        .send()
        .await
        .expect("sent");
    let received = server.received_requests().await.expect("recording");
    assert_eq!(received.len(), 3);
    assert!(received.iter().all(|r| r.body == br#"{"a":1}"#));
}

#[tokio::test]
async fn the_attempt_cap_holds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let policy = RetryPolicy {
        max_attempts: 4,
        ..quick()
    };
    let response = transport(&server, policy)
        .request(Method::GET, "get", "/x")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 503);
    assert_eq!(requests(&server).await, 4);
}

#[tokio::test]
async fn other_errors_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    transport(&server, quick())
        .request(Method::GET, "get", "/x")
        .send()
        .await
        .expect("sent");
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn connection_failures_are_retried_then_reported() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let policy = RetryPolicy {
        initial_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_millis(100),
        ..RetryPolicy::default()
    };
    let started = Instant::now();
    let error = Transport::builder(format!("http://127.0.0.1:{port}"))
        .retry(policy)
        .build()
        .expect("valid")
        .request(Method::GET, "get", "/x")
        .send()
        .await
        .expect_err("refused");
    assert!(
        matches!(error, clientgen_runtime::Error::Transport { .. }),
        "{error}"
    );
    // Two waits of 50–100 ms between three attempts.
    assert!(
        started.elapsed() >= Duration::from_millis(100),
        "{:?}",
        started.elapsed()
    );
}
