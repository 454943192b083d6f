//! The runtime against a real HTTP server on 127.0.0.1 (wiremock).

use clientgen_runtime::reqwest::Method;
use clientgen_runtime::{Auth, Error, Transport};
use serde::Deserialize;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn transport(server: &MockServer, prefix: &str) -> Transport {
    Transport::builder(format!("{}{prefix}", server.uri()))
        .auth(Auth::bearer("t0ken-value".to_owned()))
        .build()
        .expect("valid configuration")
}

/// The raw path and query of the only request the server received.
async fn only_request(server: &MockServer) -> Request {
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.into_iter().next().expect("one request")
}

#[tokio::test]
async fn path_parameters_cannot_change_the_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let t = transport(&server, "/api/v1").await;
    t.request(Method::GET, "get_thing", "/things/{id}/items")
        .path_param("id", "../a/b?c=d#e f")
        .send()
        .await
        .expect("sent");
    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/api/v1/things/..%2Fa%2Fb%3Fc%3Dd%23e%20f/items"
    );
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn dot_segments_and_empty_values_are_refused_before_sending() {
    let server = MockServer::start().await;
    let t = transport(&server, "").await;
    for value in ["..", ".", ""] {
        let error = t
            .request(Method::DELETE, "delete_thing", "/things/{id}")
            .path_param("id", value)
            .send()
            .await
            .expect_err("refused");
        assert!(
            matches!(error, Error::InvalidParameter { name: "id", .. }),
            "{error}"
        );
    }
    assert!(server
        .received_requests()
        .await
        .expect("recording")
        .is_empty());
}

#[tokio::test]
async fn query_keys_and_values_are_percent_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let t = transport(&server, "").await;
    t.request(Method::GET, "list", "/rules")
        .query("match[name]", "Suspicious Windows Defender&x=1")
        .query_opt::<i64>("limit", None)
        .query_opt("offset", Some(&20))
        .query_each("tag", &["a", "b"])
        .query_joined("ids", &["1", "2"])
        .send()
        .await
        .expect("sent");
    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some(
            "match%5Bname%5D=Suspicious%20Windows%20Defender%26x%3D1&offset=20&tag=a&tag=b&ids=1,2"
        )
    );
    let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs[0],
        (
            "match[name]".into(),
            "Suspicious Windows Defender&x=1".into()
        )
    );
}

#[tokio::test]
async fn credentials_and_json_bodies_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/rules"))
        .and(header("authorization", "Bearer t0ken-value"))
        .and(header("content-type", "application/json"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let t = transport(&server, "").await;
    let response = t
        .request(Method::POST, "create", "/rules")
        .json(&serde_json::json!({"name": "r"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let request = only_request(&server).await;
    assert_eq!(request.body, br#"{"name":"r"}"#);
}

#[tokio::test]
async fn undeclared_statuses_keep_status_headers_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-request-id", "abc")
                .set_body_string(r#"{"message":"Insufficient permissions"}"#),
        )
        .mount(&server)
        .await;
    let t = transport(&server, "").await;
    let error = t
        .request(Method::GET, "get_rule", "/rules/x")
        .send()
        .await
        .expect("a response")
        .into_error();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
    let Error::Status(status) = &error else {
        panic!("not a status error: {error}");
    };
    assert_eq!(status.headers["x-request-id"], "abc");
    assert_eq!(
        status.body_json().expect("json")["message"],
        "Insufficient permissions"
    );
    let shown = error.to_string();
    assert!(
        shown.contains("get_rule") && shown.contains("403") && shown.contains("Insufficient"),
        "{shown}"
    );
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Page {
    total: i64,
    items: Vec<Item>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Item {
    severity: i64,
}

#[tokio::test]
async fn decode_errors_name_the_json_path_and_quote_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"total":1,"items":[{"severity":"high"}]}"#),
        )
        .mount(&server)
        .await;
    let t = transport(&server, "").await;
    let response = t
        .request(Method::GET, "list", "/items")
        .send()
        .await
        .expect("sent");
    let error = response.json::<Page>().expect_err("mismatch");
    let Error::Decode {
        path,
        excerpt,
        status,
        ..
    } = &error
    else {
        panic!("not a decode error: {error}");
    };
    assert_eq!(path, "items[0].severity");
    assert_eq!(status.as_u16(), 200);
    assert!(excerpt.contains("\"high\""));
}

#[tokio::test]
async fn connection_failures_are_transport_errors_without_the_url() {
    // Bind and drop a listener so the port is (almost certainly) closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let t = Transport::builder(format!("http://127.0.0.1:{port}"))
        .auth(Auth::api_key_query("api_key", "s3cret-key".to_owned()))
        .build()
        .expect("valid");
    let error = t
        .request(Method::GET, "ping", "/ping")
        .send()
        .await
        .expect_err("refused");
    assert!(
        matches!(
            error,
            Error::Transport {
                operation: "ping",
                ..
            }
        ),
        "{error}"
    );
    assert!(!format!("{error} {error:?}").contains("s3cret-key"));
}
