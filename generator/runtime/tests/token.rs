//! Token sources against a wiremock server on 127.0.0.1.

use std::time::Duration;

use clientgen_runtime::reqwest::Method;
use clientgen_runtime::{
    Error, RetryPolicy, SecretString, TokenCredentials, TokenExchange, TokenExpiry, Transport,
};
use serde_json::json;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "s3cret-client-secret";

fn oauth(server: &MockServer) -> Transport {
    let exchange = TokenExchange::client_credentials(
        "/oauth2/token",
        "my-client",
        SecretString::from(SECRET.to_owned()),
        &[],
    );
    Transport::builder(format!("{}/connect", server.uri()))
        .token_exchange(exchange)
        .retry(RetryPolicy::none())
        .build()
        .expect("valid")
}

async fn count(server: &MockServer, route: &str) -> usize {
    let requests = server.received_requests().await.expect("recording");
    requests.iter().filter(|r| r.url.path() == route).count()
}

async fn token_endpoint(server: &MockServer, token: &str, expires_in: u64) {
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        // "my-client:s3cret-client-secret"
        .and(header(
            "authorization",
            "Basic bXktY2xpZW50OnMzY3JldC1jbGllbnQtc2VjcmV0",
        ))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("grant_type=client_credentials"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": token, "expires_in": expires_in, "token_type": "bearer", "scope": "read"
        })))
        .mount(server)
        .await;
}

async fn api(server: &MockServer, token: &str, status: u16) {
    Mock::given(method("GET"))
        .and(path("/connect/info"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(ResponseTemplate::new(status))
        .mount(server)
        .await;
}

async fn info(transport: &Transport) -> Result<u16, Error> {
    let response = transport
        .request(Method::GET, "info", "/info")
        .send()
        .await?;
    Ok(response.status().as_u16())
}

#[tokio::test]
async fn a_token_is_fetched_once_and_reused() {
    let server = MockServer::start().await;
    token_endpoint(&server, "tok-1", 3600).await;
    api(&server, "tok-1", 200).await;
    let transport = oauth(&server);
    for _ in 0..3 {
        assert_eq!(info(&transport).await.expect("sent"), 200);
    }
    assert_eq!(count(&server, "/oauth2/token").await, 1);
}

#[tokio::test]
async fn a_token_is_refreshed_before_it_expires() {
    let server = MockServer::start().await;
    // One second of life: replaced after half of it (the margin is at most half the lifetime).
    token_endpoint(&server, "tok-short", 1).await;
    api(&server, "tok-short", 200).await;
    let transport = oauth(&server);
    info(&transport).await.expect("sent");
    info(&transport).await.expect("sent");
    assert_eq!(count(&server, "/oauth2/token").await, 1);
    tokio::time::sleep(Duration::from_millis(600)).await;
    info(&transport).await.expect("sent");
    assert_eq!(count(&server, "/oauth2/token").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_calls_cause_one_token_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_delay(Duration::from_millis(200))
                .set_body_json(json!({"access_token": "tok-shared", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    api(&server, "tok-shared", 200).await;
    let transport = oauth(&server);
    let calls: Vec<_> = (0..1000)
        .map(|_| {
            let transport = transport.clone();
            tokio::spawn(async move { info(&transport).await })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.expect("joined").expect("sent"), 200);
    }
    assert_eq!(count(&server, "/oauth2/token").await, 1);
    assert_eq!(count(&server, "/connect/info").await, 1000);
}

#[tokio::test]
async fn a_401_refreshes_once_and_retries_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "tok-old", "expires_in": 3600})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    token_endpoint(&server, "tok-new", 3600).await;
    api(&server, "tok-old", 401).await;
    api(&server, "tok-new", 200).await;
    let transport = oauth(&server);
    assert_eq!(info(&transport).await.expect("sent"), 200);
    assert_eq!(count(&server, "/oauth2/token").await, 2);
    assert_eq!(count(&server, "/connect/info").await, 2);
}

#[tokio::test]
async fn concurrent_calls_refused_with_a_revoked_token_all_recover() {
    // The first token is revoked server-side while many calls are in flight: every call gets
    // a 401, and each must find the token forgotten and retry with the new one, even when
    // other calls hold the token source at that moment.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "tok-revoked", "expires_in": 3600})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_delay(Duration::from_millis(50))
                .set_body_json(json!({"access_token": "tok-new", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    api(&server, "tok-revoked", 401).await;
    api(&server, "tok-new", 200).await;
    let transport = oauth(&server);
    let calls: Vec<_> = (0..200)
        .map(|_| {
            let transport = transport.clone();
            tokio::spawn(async move { info(&transport).await })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.expect("joined").expect("sent"), 200);
    }
    assert_eq!(count(&server, "/oauth2/token").await, 2);
}

#[tokio::test]
async fn a_second_401_is_returned_not_looped() {
    let server = MockServer::start().await;
    token_endpoint(&server, "tok-refused", 3600).await;
    api(&server, "tok-refused", 401).await;
    let transport = oauth(&server);
    assert_eq!(info(&transport).await.expect("answered"), 401);
    assert_eq!(count(&server, "/connect/info").await, 2);
    assert_eq!(count(&server, "/oauth2/token").await, 2);
}

#[tokio::test]
async fn a_refusing_token_endpoint_is_an_auth_error_with_its_status() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "invalid_client"})))
        .mount(&server)
        .await;
    let error = info(&oauth(&server)).await.expect_err("refused");
    let Error::Auth { status, reason } = &error else {
        panic!("not an auth error: {error}");
    };
    assert_eq!(status.map(|s| s.as_u16()), Some(401));
    assert!(reason.contains("invalid_client"), "{reason}");
    assert!(!format!("{error} {error:?}").contains(SECRET));
    assert_eq!(count(&server, "/connect/info").await, 0);
}

#[tokio::test]
async fn a_token_response_without_the_token_is_an_auth_error_that_quotes_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"token": "leaky-token-value"})),
        )
        .mount(&server)
        .await;
    let error = info(&oauth(&server)).await.expect_err("unusable");
    assert!(
        error
            .to_string()
            .contains("no string member `access_token`"),
        "{error}"
    );
    assert!(!format!("{error} {error:?}").contains("leaky-token-value"));
}

#[tokio::test]
async fn a_stellar_style_exchange_reads_an_absolute_expiry() {
    let server = MockServer::start().await;
    let exp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        + 2;
    Mock::given(method("POST"))
        .and(path("/connect/api/v1/access_token"))
        // "user@example.com:api-key"
        .and(header(
            "authorization",
            "Basic dXNlckBleGFtcGxlLmNvbTphcGkta2V5",
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"access_token": "jwt-1", "exp": exp})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/connect/api/v1/cases"))
        .and(header("authorization", "Bearer jwt-1"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let exchange = TokenExchange {
        endpoint: "/connect/api/v1/access_token".into(),
        credentials: TokenCredentials::Basic {
            user: "user@example.com".into(),
            secret: SecretString::from("api-key".to_owned()),
        },
        form: Vec::new(),
        token_field: "access_token".into(),
        expiry: TokenExpiry::ExpiresAt("exp".into()),
        // Far from `exp`: if the absolute expiry were ignored or read as a lifetime, the token
        // would be kept for an hour and the third call below would not fetch again.
        fallback_lifetime: Duration::from_secs(3600),
        refresh_margin: Duration::from_secs(60),
    };
    let transport = Transport::builder(format!("{}/connect/api/v1", server.uri()))
        .token_exchange(exchange)
        .build()
        .expect("valid");
    for _ in 0..2 {
        let response = transport
            .request(Method::GET, "cases", "/cases")
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 200);
    }
    assert_eq!(count(&server, "/connect/api/v1/access_token").await, 1);
    // `exp` is 2 s away, so the token is due for refresh (margin at most half its life) by now.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    transport
        .request(Method::GET, "cases", "/cases")
        .send()
        .await
        .expect("sent");
    assert_eq!(count(&server, "/connect/api/v1/access_token").await, 2);
    let shown = format!("{transport:?}");
    assert!(
        !shown.contains("api-key") && !shown.contains("jwt-1"),
        "{shown}"
    );
}
