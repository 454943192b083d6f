//! Token sources against servers on 127.0.0.1: wiremock, or a raw TCP listener where every
//! byte matters.
//!
//! The token source reads tokio's clock, so tests that need a token to age, or a backoff to
//! end, move that clock forward ([`let_pass`]) instead of sleeping.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clientgen_runtime::reqwest::{self, Method, StatusCode};
use clientgen_runtime::token::{
    parse_token_response, ParsedToken, MAX_TOKEN_LIFETIME, MIN_TOKEN_LIFETIME, TOKEN_RESPONSE_LIMIT,
};
use clientgen_runtime::{
    Auth, Error, RetryPolicy, SecretString, TokenCredentials, TokenExchange, TokenExpiry,
    TokenSource, Transport, Url,
};
use proptest::prelude::*;
use serde_json::json;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "s3cret-client-secret";

fn exchange() -> TokenExchange {
    TokenExchange::client_credentials(
        "/oauth2/token",
        "my-client",
        SecretString::from(SECRET.to_owned()),
        &[],
    )
}

fn oauth(server: &MockServer) -> Transport {
    oauth_with(server, exchange())
}

fn oauth_with(server: &MockServer, exchange: TokenExchange) -> Transport {
    Transport::builder(format!("{}/connect", server.uri()))
        .token_exchange(exchange)
        .retry(RetryPolicy::none())
        .build()
        .expect("valid")
}

/// A transport whose HTTP client does not follow redirects, as the transport's own client
/// is built.
fn oauth_without_redirects(server: &MockServer) -> Transport {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    Transport::builder(format!("{}/connect", server.uri()))
        .http_client(client)
        .token_exchange(exchange())
        .retry(RetryPolicy::none())
        .build()
        .expect("valid")
}

/// Moves tokio's clock, which the token source reads, `duration` forward at once. Only in
/// current-thread tests, with no request in flight.
async fn let_pass(duration: Duration) {
    tokio::time::pause();
    tokio::time::advance(duration).await;
    tokio::time::resume();
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
    // 40 s of life: replaced after 20 (the 30 s margin is at most half the lifetime).
    token_endpoint(&server, "tok-short", 40).await;
    api(&server, "tok-short", 200).await;
    let transport = oauth(&server);
    info(&transport).await.expect("sent");
    info(&transport).await.expect("sent");
    assert_eq!(count(&server, "/oauth2/token").await, 1);
    let_pass(Duration::from_secs(19)).await;
    info(&transport).await.expect("sent");
    assert_eq!(count(&server, "/oauth2/token").await, 1);
    let_pass(Duration::from_secs(2)).await;
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
    // Dropping a MockServer verifies it with a blocking `block_on` inside this task. After a
    // thousand joins the task's cooperative budget can be spent, and the lock that verify
    // takes then answers "not yet" forever: the test spun at 100 % CPU once. A yield gives
    // the task a fresh budget before the drop.
    tokio::task::yield_now().await;
    drop(server);
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
        + 40;
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
    // `exp` is 39 to 40 s away: the token is due for refresh after half of that (the margin
    // is at most half the lifetime), and not before.
    let_pass(Duration::from_secs(18)).await;
    transport
        .request(Method::GET, "cases", "/cases")
        .send()
        .await
        .expect("sent");
    assert_eq!(count(&server, "/connect/api/v1/access_token").await, 1);
    let_pass(Duration::from_secs(3)).await;
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

// ---------------------------------------------------------------------------------------------
// Lifetimes a hostile or broken server sends.

const MIN_LIFETIME: Duration = Duration::from_secs(10);
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// How long a token of `lifetime` is used: its lifetime less the margin, at most half of it.
fn fresh_for(lifetime: Duration, margin: Duration) -> Duration {
    lifetime - margin.min(lifetime / 2)
}

/// A token endpoint answering `body` as JSON, whatever its syntax, and an API taking any token.
async fn raw_token_endpoint(server: &MockServer, body: &str) {
    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_owned(), "application/json"))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/connect/info"))
        .respond_with(ResponseTemplate::new(200))
        .mount(server)
        .await;
}

/// The token is fetched once, kept until `fresh` (± `slack`) has passed, then fetched again.
async fn assert_refreshed_after(
    server: &MockServer,
    transport: &Transport,
    fresh: Duration,
    slack: Duration,
    case: &str,
) {
    for _ in 0..2 {
        assert_eq!(info(transport).await.expect(case), 200, "{case}");
    }
    assert_eq!(count(server, "/oauth2/token").await, 1, "{case}: not kept");
    let_pass(fresh - slack).await;
    info(transport).await.expect(case);
    assert_eq!(
        count(server, "/oauth2/token").await,
        1,
        "{case}: replaced before {:?}",
        fresh - slack
    );
    let_pass(slack * 2).await;
    info(transport).await.expect(case);
    assert_eq!(
        count(server, "/oauth2/token").await,
        2,
        "{case}: kept past {:?}",
        fresh + slack
    );
}

#[tokio::test]
async fn any_expires_in_a_server_sends_is_clamped_to_the_documented_range() {
    assert_eq!(
        (MIN_TOKEN_LIFETIME, MAX_TOKEN_LIFETIME),
        (MIN_LIFETIME, MAX_LIFETIME)
    );
    let server = MockServer::start().await;
    let fallback = Duration::from_secs(300);
    let secs = Duration::from_secs;
    for (value, lifetime) in [
        ("1e300", MAX_LIFETIME),
        ("1e19", MAX_LIFETIME),
        ("1e400", MAX_LIFETIME),
        ("18446744073709551616", MAX_LIFETIME),
        ("\"inf\"", MAX_LIFETIME),
        ("-1e400", MIN_LIFETIME),
        ("-5", MIN_LIFETIME),
        ("0", MIN_LIFETIME),
        ("-0", MIN_LIFETIME),
        ("3", MIN_LIFETIME),
        ("1e-300", MIN_LIFETIME),
        ("7200.5", Duration::from_millis(7_200_500)),
        ("\"600\"", secs(600)),
        ("\" 45 \"", secs(45)),
        ("\"NaN\"", fallback),
        ("\"soon\"", fallback),
        ("true", fallback),
        ("null", fallback),
        ("{\"seconds\": 60}", fallback),
        ("[60]", fallback),
    ] {
        raw_token_endpoint(
            &server,
            &format!(r#"{{"access_token": "tok", "expires_in": {value}}}"#),
        )
        .await;
        let fresh = fresh_for(lifetime, secs(30));
        assert_refreshed_after(&server, &oauth(&server), fresh, secs(1), value).await;
    }
}

#[tokio::test]
async fn an_absolute_expiry_is_clamped_and_one_in_the_past_gives_the_minimum() {
    let server = MockServer::start().await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let secs = Duration::from_secs;
    let fallback = secs(600);
    for (value, lifetime) in [
        (format!("{}", now - 3600), MIN_LIFETIME),
        ("0".to_owned(), MIN_LIFETIME),
        ("-1e400".to_owned(), MIN_LIFETIME),
        ("1e300".to_owned(), MAX_LIFETIME),
        ("1e400".to_owned(), MAX_LIFETIME),
        (format!("{}", now + 7 * 24 * 3600), MAX_LIFETIME),
        (format!("\"{}\"", now + 100), secs(100)),
        ("false".to_owned(), fallback),
        ("\"tomorrow\"".to_owned(), fallback),
    ] {
        raw_token_endpoint(
            &server,
            &format!(r#"{{"access_token": "jwt", "exp": {value}}}"#),
        )
        .await;
        let exchange = TokenExchange {
            expiry: TokenExpiry::ExpiresAt("exp".into()),
            fallback_lifetime: fallback,
            refresh_margin: secs(60),
            ..exchange()
        };
        let fresh = fresh_for(lifetime, secs(60));
        // `exp` counts whole seconds from a clock read a moment before the fetch.
        assert_refreshed_after(
            &server,
            &oauth_with(&server, exchange),
            fresh,
            secs(2),
            &value,
        )
        .await;
    }
}

#[tokio::test]
async fn fixed_and_fallback_lifetimes_are_clamped_too() {
    let server = MockServer::start().await;
    let secs = Duration::from_secs;
    for (expiry, fallback, lifetime, case) in [
        (
            TokenExpiry::Fixed(Duration::ZERO),
            secs(300),
            MIN_LIFETIME,
            "fixed zero",
        ),
        (
            TokenExpiry::Fixed(Duration::MAX),
            secs(300),
            MAX_LIFETIME,
            "fixed huge",
        ),
        (
            TokenExpiry::ExpiresIn("expires_in".into()),
            Duration::MAX,
            MAX_LIFETIME,
            "huge fallback",
        ),
        (
            TokenExpiry::ExpiresIn("expires_in".into()),
            Duration::ZERO,
            MIN_LIFETIME,
            "zero fallback",
        ),
    ] {
        raw_token_endpoint(&server, r#"{"access_token": "tok"}"#).await;
        let exchange = TokenExchange {
            expiry,
            fallback_lifetime: fallback,
            ..exchange()
        };
        let fresh = fresh_for(lifetime, secs(30));
        assert_refreshed_after(
            &server,
            &oauth_with(&server, exchange),
            fresh,
            secs(1),
            case,
        )
        .await;
    }
}

// ---------------------------------------------------------------------------------------------
// Tokens that cannot be sent.

#[tokio::test]
async fn an_empty_or_unprintable_token_is_refused_not_cached_and_not_quoted() {
    let server = MockServer::start().await;
    for token in [
        "",
        "LEAKED token",
        "LEAKED\ttoken",
        "LEAKED\u{0}token",
        "LEAKED\u{7f}token",
        "LEAKED\u{e9}token",
        "LEAKED\r\nX-Injected: 1",
    ] {
        raw_token_endpoint(&server, &json!({ "access_token": token }).to_string()).await;
        let transport = oauth(&server);
        for attempt in 1..=2 {
            let error = info(&transport).await.expect_err("refused");
            let Error::Auth { status, reason } = &error else {
                panic!("{token:?}: not an auth error: {error}");
            };
            assert_eq!(*status, Some(StatusCode::OK), "{token:?}");
            assert!(reason.contains("access_token"), "{token:?}: {reason}");
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains("LEAKED"), "{token:?}: {shown}");
            // Not cached: once the backoff after the failure has passed, it is asked again.
            assert_eq!(count(&server, "/oauth2/token").await, attempt, "{token:?}");
            let_pass(Duration::from_millis(1100)).await;
        }
        assert_eq!(count(&server, "/connect/info").await, 0, "{token:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Redirects from the token endpoint.

/// A server that issues `tok-elsewhere` to anyone, and the URL of its token endpoint.
async fn other_origin() -> (MockServer, String) {
    let other = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "tok-elsewhere", "expires_in": 3600})),
        )
        .mount(&other)
        .await;
    let url = format!("{}/oauth2/token", other.uri());
    (other, url)
}

async fn redirecting_token_endpoint(server: &MockServer, status: u16, location: &str) {
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(status).insert_header("location", location))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_and_says_where_it_led() {
    let (other, target) = other_origin().await;
    let server = MockServer::start().await;
    redirecting_token_endpoint(&server, 302, &format!("{target}?client_secret=LEAKED")).await;
    let error = info(&oauth_without_redirects(&server))
        .await
        .expect_err("refused");
    let Error::Auth { status, reason } = &error else {
        panic!("not an auth error: {error}");
    };
    assert_eq!(status.map(|s| s.as_u16()), Some(302));
    assert!(reason.contains(&format!("302 to `{target}`")), "{reason}");
    assert!(reason.contains("not followed"), "{reason}");
    assert!(
        reason.contains("check the token endpoint's URL"),
        "{reason}"
    );
    assert!(!format!("{error} {error:?}").contains("LEAKED"), "{error}");
    assert_eq!(count(&server, "/connect/info").await, 0);
    // Another origin's login page is not the appliance throttling.
    let server = MockServer::start().await;
    redirecting_token_endpoint(&server, 302, &format!("{}/login/", other.uri())).await;
    let error = info(&oauth_without_redirects(&server))
        .await
        .expect_err("refused");
    assert!(!error.to_string().contains("Security Onion"), "{error}");
    assert!(other
        .received_requests()
        .await
        .expect("recording")
        .is_empty());
}

#[tokio::test]
async fn a_302_to_the_login_page_says_the_token_endpoint_is_throttling() {
    let server = MockServer::start().await;
    redirecting_token_endpoint(&server, 302, "/login/?return_to=%2Foauth2%2Ftoken").await;
    let error = info(&oauth_without_redirects(&server))
        .await
        .expect_err("refused");
    let Error::Auth { status, reason } = &error else {
        panic!("not an auth error: {error}");
    };
    assert_eq!(status.map(|s| s.as_u16()), Some(302));
    for words in [
        "redirected (302 to `/login/`) instead of issuing a token",
        "Security Onion does this when it throttles token requests",
        "wait before trying again",
    ] {
        assert!(reason.contains(words), "{reason}");
    }
    assert!(!reason.contains("return_to"), "{reason}");
    // The same when the HTTP client followed the redirect by itself.
    let server = MockServer::start().await;
    redirecting_token_endpoint(&server, 302, "/login/?return_to=%2Foauth2%2Ftoken").await;
    let error = info(&oauth(&server)).await.expect_err("refused");
    assert!(
        matches!(&error, Error::Auth { reason, .. } if reason.contains("`/login/`") && reason.contains("throttles")),
        "{error}"
    );
}

#[tokio::test]
async fn a_client_that_follows_redirects_cannot_bring_back_a_token_from_elsewhere() {
    let (other, target) = other_origin().await;
    let server = MockServer::start().await;
    // 307 keeps the POST, so the other origin answers as a token endpoint would.
    redirecting_token_endpoint(&server, 307, &target).await;
    let following = reqwest::Client::new();
    let transport = Transport::builder(format!("{}/connect", server.uri()))
        .http_client(following)
        .token_exchange(exchange())
        .retry(RetryPolicy::none())
        .build()
        .expect("valid");
    let error = info(&transport).await.expect_err("refused");
    let Error::Auth { reason, .. } = &error else {
        panic!("not an auth error: {error}");
    };
    assert!(reason.contains(&format!("`{target}`")), "{reason}");
    assert!(!format!("{error:?}").contains("tok-elsewhere"), "{error:?}");
    assert_eq!(other.received_requests().await.expect("recording").len(), 1);
    assert_eq!(count(&server, "/connect/info").await, 0);
}

// ---------------------------------------------------------------------------------------------
// Failing token endpoints: one request for all waiting callers, then a backoff.

/// 50 concurrent calls while the token endpoint fails: one request, one shared error.
async fn fifty_callers_share_one_failure(server: &MockServer, transport: &Transport) -> Error {
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let transport = transport.clone();
            tokio::spawn(async move { info(&transport).await })
        })
        .collect();
    let mut errors = Vec::new();
    for call in calls {
        errors.push(call.await.expect("joined").expect_err("failed"));
    }
    assert_eq!(count(server, "/oauth2/token").await, 1);
    let first = format!("{:?}", errors[0]);
    assert!(first.starts_with("Auth {"), "{first}");
    for error in &errors {
        assert_eq!(format!("{error:?}"), first, "not the same failure");
    }
    errors.swap_remove(0)
}

/// During the backoff calls fail at once, without a request; after it one request goes.
async fn then_back_off_for_a_second(server: &MockServer, transport: &Transport) {
    for _ in 0..10 {
        let error = info(transport).await.expect_err("backing off");
        let Error::Auth { reason, .. } = &error else {
            panic!("not an auth error: {error}");
        };
        assert!(
            reason.contains("no token request was sent")
                && reason.contains("the next will be sent in"),
            "{reason}"
        );
    }
    assert_eq!(count(server, "/oauth2/token").await, 1);
    let_pass(Duration::from_millis(900)).await;
    info(transport).await.expect_err("still backing off");
    assert_eq!(count(server, "/oauth2/token").await, 1);
    let_pass(Duration::from_millis(200)).await;
    info(transport).await.expect_err("failing again");
    assert_eq!(count(server, "/oauth2/token").await, 2);
}

#[tokio::test]
async fn callers_waiting_on_a_failing_token_endpoint_share_one_request_then_back_off() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_delay(Duration::from_millis(300))
                .set_body_string("token service down"),
        )
        .mount(&server)
        .await;
    let transport = oauth(&server);
    let error = fifty_callers_share_one_failure(&server, &transport).await;
    let Error::Auth { status, reason } = &error else {
        unreachable!()
    };
    assert_eq!(status.map(|s| s.as_u16()), Some(500));
    assert!(reason.contains("token service down"), "{reason}");
    assert!(
        reason.contains("the next token request will be sent in 1.0 s"),
        "{reason}"
    );
    then_back_off_for_a_second(&server, &transport).await;
}

#[tokio::test]
async fn callers_throttled_with_a_302_share_one_request_then_back_off() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(
            ResponseTemplate::new(302)
                .set_delay(Duration::from_millis(300))
                .insert_header("location", "/login/"),
        )
        .mount(&server)
        .await;
    let transport = oauth_without_redirects(&server);
    let error = fifty_callers_share_one_failure(&server, &transport).await;
    assert!(
        matches!(&error, Error::Auth { status: Some(s), reason } if s.as_u16() == 302 && reason.contains("throttles")),
        "{error}"
    );
    then_back_off_for_a_second(&server, &transport).await;
}

#[tokio::test]
async fn the_backoff_doubles_with_each_failure_and_a_token_resets_it() {
    let server = MockServer::start().await;
    let failing = |times| {
        Mock::given(method("POST"))
            .and(path("/oauth2/token"))
            .respond_with(ResponseTemplate::new(500))
            .up_to_n_times(times)
            .with_priority(1)
    };
    failing(3).mount(&server).await;
    token_endpoint(&server, "tok-late", 3600).await;
    api(&server, "tok-late", 200).await;
    let transport = oauth(&server);
    let ms = Duration::from_millis;
    let requests = || count(&server, "/oauth2/token");
    info(&transport).await.expect_err("first failure");
    assert_eq!(requests().await, 1);
    // 1 s after the first failure, 2 s after the second, 4 s after the third.
    for (backoff, sent) in [(ms(1000), 2), (ms(2000), 3), (ms(4000), 4)] {
        let_pass(backoff - ms(100)).await;
        let error = info(&transport).await.expect_err("backing off");
        assert_eq!(requests().await, sent - 1, "{backoff:?}: {error}");
        let_pass(ms(200)).await;
        let outcome = info(&transport).await;
        assert_eq!(requests().await, sent, "{backoff:?}");
        assert_eq!(outcome.is_ok(), sent == 4, "{backoff:?}: {outcome:?}");
    }
    // The token is refused once, and the request for the next one fails: the backoff after
    // it is 1 s again, not 8.
    failing(1).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/connect/info"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let error = info(&transport).await.expect_err("no token");
    assert!(error.to_string().contains("in 1.0 s"), "{error}");
    assert_eq!(requests().await, 5);
    let_pass(ms(1100)).await;
    assert_eq!(info(&transport).await.expect("a token"), 200);
    assert_eq!(requests().await, 6);
}

#[tokio::test]
async fn a_retry_after_from_the_token_endpoint_is_honoured_up_to_five_minutes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "3"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "100000"))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    token_endpoint(&server, "tok-patient", 3600).await;
    api(&server, "tok-patient", 200).await;
    let transport = oauth(&server);
    let requests = || count(&server, "/oauth2/token");
    let secs = Duration::from_secs;
    let error = info(&transport).await.expect_err("503");
    assert!(error.to_string().contains("in 3.0 s"), "{error}");
    let_pass(secs(2)).await;
    info(&transport).await.expect_err("asked to wait 3 s");
    assert_eq!(requests().await, 1);
    let_pass(secs(2)).await;
    info(&transport).await.expect_err("429");
    assert_eq!(requests().await, 2);
    let_pass(secs(299)).await;
    let error = info(&transport)
        .await
        .expect_err("waits 5 minutes, not 27 hours");
    let shown = error.to_string();
    assert!(
        shown.contains(" ms at the earliest") || shown.contains("in 1.0 s at the earliest"),
        "{error}"
    );
    assert_eq!(requests().await, 2);
    let_pass(secs(2)).await;
    assert_eq!(info(&transport).await.expect("a token"), 200);
    assert_eq!(requests().await, 3);
}

// ---------------------------------------------------------------------------------------------
// Token responses that are too large.

#[tokio::test]
async fn a_token_response_over_64_kib_is_refused_and_one_of_64_kib_is_read() {
    let server = MockServer::start().await;
    let body = |len: usize| {
        let head = r#"{"access_token": "tok-big", "expires_in": 3600, "pad": ""#;
        format!("{head}{}\"}}", "a".repeat(len - head.len() - 2))
    };
    assert_eq!(TOKEN_RESPONSE_LIMIT, 64 * 1024);
    raw_token_endpoint(&server, &body(64 * 1024 + 1)).await;
    let error = info(&oauth(&server)).await.expect_err("too large");
    let Error::Auth { status, reason } = &error else {
        panic!("not an auth error: {error}");
    };
    assert_eq!(status.map(|s| s.as_u16()), Some(200));
    assert!(
        reason.contains("larger than the limit of 65536 bytes"),
        "{reason}"
    );
    raw_token_endpoint(&server, &body(64 * 1024)).await;
    assert_eq!(info(&oauth(&server)).await.expect("fits"), 200);
}

/// Serves one connection with a chunked token response that goes on for up to `total`
/// bytes; returns how many body bytes it could write before the client hung up.
async fn endless_token_server(total: usize) -> (String, tokio::task::JoinHandle<usize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let serve = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buffer).await.expect("read");
            assert!(n > 0, "the client hung up before its request ended");
            request.extend_from_slice(&buffer[..n]);
        }
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        socket.write_all(head.as_bytes()).await.expect("head");
        let chunk = |data: &[u8]| {
            let mut framed = format!("{:x}\r\n", data.len()).into_bytes();
            framed.extend_from_slice(data);
            framed.extend_from_slice(b"\r\n");
            framed
        };
        let start = br#"{"access_token": "tok-endless", "expires_in": 3600, "pad": ""#;
        let mut written = 0;
        if socket.write_all(&chunk(start)).await.is_err() {
            return written;
        }
        written += start.len();
        let padding = chunk(&[b'a'; 16 * 1024]);
        while written < total {
            if socket.write_all(&padding).await.is_err() {
                return written;
            }
            written += 16 * 1024;
        }
        let end = [chunk(b"\"}").as_slice(), b"0\r\n\r\n"].concat();
        let _ = socket.write_all(&end).await;
        written
    });
    (base, serve)
}

#[tokio::test]
async fn an_endless_token_response_is_cut_at_the_limit() {
    let total = 64 * 1024 * 1024;
    let (base, served) = endless_token_server(total).await;
    let transport = Transport::builder(base)
        .token_exchange(exchange())
        .retry(RetryPolicy::none())
        .build()
        .expect("valid");
    let error = info(&transport).await.expect_err("endless");
    assert!(
        matches!(&error, Error::Auth { reason, .. } if reason.contains("larger than the limit of 65536 bytes")),
        "{error}"
    );
    drop(transport);
    let written = served.await.expect("server");
    // The client stopped reading: what was written fits in the sockets' buffers.
    assert!(written < total / 4, "{written} bytes were sent");
}

// ---------------------------------------------------------------------------------------------
// What an error may show.

#[tokio::test]
async fn failures_never_show_the_secret_or_the_token() {
    let server = MockServer::start().await;
    let unusable = [
        json!({"access_token": "LEAKED token"}).to_string(),
        json!("LEAKED-token").to_string(),
        json!(["LEAKED-token"]).to_string(),
        json!({"access_token": ["LEAKED-token"]}).to_string(),
        json!({"access_token": {"value": "LEAKED-token"}}).to_string(),
        r#"{"access_token": "LEAKED-token", "expires_in": 3600"#.to_owned(),
        r#"{"access_token": "LEAKED-token", "expires_in": 3600}, "x""#.to_owned(),
        r#"{"access_token": "LEAKED-token", "expires_in": 3600} trailing"#.to_owned(),
        format!(
            r#"{{"access_token": "LEAKED-token", "pad": "{}"}}"#,
            "a".repeat(70_000)
        ),
    ];
    for body in &unusable {
        raw_token_endpoint(&server, body).await;
        let transport = oauth(&server);
        // The failure, then the same failure during the backoff.
        for _ in 0..2 {
            let error = info(&transport).await.expect_err("unusable");
            assert!(matches!(error, Error::Auth { .. }), "{error}");
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains("LEAKED"), "{shown}");
            assert!(!shown.contains(SECRET), "{shown}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The source itself: its endpoint, and its backoff setting.

fn source(base: &str, exchange: TokenExchange) -> TokenSource {
    let base = Url::parse(base).expect("base URL");
    TokenSource::new(exchange, &base, reqwest::Client::new()).expect("valid endpoint")
}

fn with_source(server: &MockServer, source: TokenSource) -> Transport {
    Transport::builder(format!("{}/connect", server.uri()))
        .auth(Auth::custom(source))
        .retry(RetryPolicy::none())
        .build()
        .expect("valid")
}

async fn failing_token_endpoint(server: &MockServer, delay: Duration) {
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(500).set_delay(delay))
        .mount(server)
        .await;
}

#[test]
fn the_endpoint_is_resolved_against_the_base_url() {
    for (endpoint, base, expected) in [
        (
            "/oauth2/token",
            "http://127.0.0.1:9/connect",
            "http://127.0.0.1:9/oauth2/token",
        ),
        (
            "access_token",
            "https://127.0.0.1:9/connect/api/v1",
            "https://127.0.0.1:9/connect/api/v1/access_token",
        ),
        (
            "http://auth.invalid/token",
            "https://127.0.0.1:9/",
            "http://auth.invalid/token",
        ),
    ] {
        let exchange = TokenExchange {
            endpoint: endpoint.into(),
            ..exchange()
        };
        assert_eq!(source(base, exchange).endpoint().as_str(), expected);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_shorter_backoff_can_be_set_and_one_request_follows_it() {
    let server = MockServer::start().await;
    failing_token_endpoint(&server, Duration::from_millis(200)).await;
    let endpoint = format!("{}/oauth2/token", server.uri());
    let backoff = Duration::from_millis(800);
    let transport = with_source(
        &server,
        source(&server.uri(), exchange()).with_failure_backoff(backoff),
    );
    let storm = || async {
        let calls: Vec<_> = (0..50)
            .map(|_| {
                let transport = transport.clone();
                tokio::spawn(async move { info(&transport).await })
            })
            .collect();
        for call in calls {
            let error = call.await.expect("joined").expect_err("failing");
            assert!(matches!(error, Error::Auth { .. }), "{error}");
        }
    };
    storm().await;
    assert_eq!(count(&server, "/oauth2/token").await, 1, "{endpoint}");
    let error = info(&transport).await.expect_err("backing off");
    assert!(error.to_string().contains(" ms at the earliest"), "{error}");
    assert_eq!(count(&server, "/oauth2/token").await, 1);
    tokio::time::sleep(backoff + Duration::from_millis(50)).await;
    storm().await;
    assert_eq!(count(&server, "/oauth2/token").await, 2);
}

#[tokio::test]
async fn without_backoff_waiting_callers_still_share_a_failure() {
    let server = MockServer::start().await;
    failing_token_endpoint(&server, Duration::from_millis(200)).await;
    let transport = with_source(
        &server,
        source(&server.uri(), exchange()).with_failure_backoff(Duration::ZERO),
    );
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let transport = transport.clone();
            tokio::spawn(async move { info(&transport).await })
        })
        .collect();
    for call in calls {
        call.await.expect("joined").expect_err("failing");
    }
    assert_eq!(count(&server, "/oauth2/token").await, 1);
    // No backoff: the next call asks again.
    info(&transport).await.expect_err("failing");
    assert_eq!(count(&server, "/oauth2/token").await, 2);
}

// ---------------------------------------------------------------------------------------------
// The parser, on its own and fuzzed.

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

#[test]
fn a_parsed_token_shows_its_lifetime_but_not_the_token() {
    let body = json!({"access_token": "s3cr3t-bearer-value", "expires_in": 60}).to_string();
    let parsed =
        parse_token_response(&exchange(), StatusCode::OK, body.as_bytes(), at(0)).expect("usable");
    assert_eq!(parsed.header(), "Bearer s3cr3t-bearer-value");
    assert!(parsed.header().is_sensitive());
    assert_eq!(parsed.lifetime(), Duration::from_secs(60));
    let shown = format!("{parsed:?}");
    assert!(
        !shown.contains("s3cr3t") && shown.contains("60s"),
        "{shown}"
    );
}

#[test]
fn a_refusing_status_is_an_error_whatever_the_body() {
    let body = json!({"access_token": "tok", "expires_in": 60}).to_string();
    for status in [201u16, 204, 302, 400, 401, 429, 500] {
        let status = StatusCode::from_u16(status).expect("status");
        let outcome = parse_token_response(&exchange(), status, body.as_bytes(), at(0));
        // 2xx other than 200 still issue a token; the others never do.
        assert_eq!(outcome.is_ok(), status.is_success(), "{status}");
        if let Err(Error::Auth { status: got, .. }) = outcome {
            assert_eq!(got, Some(status));
        }
    }
}

/// The lifetime the module documents for `seconds` stated by the server.
fn clamped(seconds: f64) -> Duration {
    if seconds <= MIN_TOKEN_LIFETIME.as_secs_f64() {
        MIN_TOKEN_LIFETIME
    } else if seconds >= MAX_TOKEN_LIFETIME.as_secs_f64() {
        MAX_TOKEN_LIFETIME
    } else {
        Duration::from_secs_f64(seconds)
    }
}

/// What every outcome of the parser must satisfy.
fn check(outcome: &Result<ParsedToken, Error>, status: StatusCode) -> Result<(), TestCaseError> {
    match outcome {
        Ok(parsed) => {
            prop_assert!(status.is_success());
            prop_assert!(
                (MIN_TOKEN_LIFETIME..=MAX_TOKEN_LIFETIME).contains(&parsed.lifetime()),
                "{:?}",
                parsed.lifetime()
            );
            let header = parsed.header().as_bytes();
            prop_assert!(header.starts_with(b"Bearer "));
            let token = &header[b"Bearer ".len()..];
            prop_assert!(!token.is_empty());
            prop_assert!(token.iter().all(|b| (0x21..=0x7E).contains(b)), "{token:?}");
            prop_assert!(parsed.header().is_sensitive());
        }
        Err(Error::Auth { status: got, .. }) => prop_assert_eq!(*got, Some(status)),
        Err(other) => prop_assert!(false, "not an auth error: {other}"),
    }
    Ok(())
}

fn any_exchange() -> impl Strategy<Value = TokenExchange> {
    let expiry = prop_oneof![
        Just(TokenExpiry::ExpiresIn("expires_in".into())),
        Just(TokenExpiry::ExpiresAt("exp".into())),
        (any::<u64>(), 0u32..1_000_000_000)
            .prop_map(|(s, n)| TokenExpiry::Fixed(Duration::new(s, n))),
    ];
    (expiry, any::<u64>()).prop_map(|(expiry, fallback)| TokenExchange {
        expiry,
        fallback_lifetime: Duration::from_secs(fallback),
        ..exchange()
    })
}

fn any_now() -> impl Strategy<Value = SystemTime> {
    (any::<bool>(), 0u64..1 << 40).prop_map(|(before, s)| {
        let offset = Duration::from_secs(s);
        if before {
            UNIX_EPOCH.checked_sub(offset)
        } else {
            UNIX_EPOCH.checked_add(offset)
        }
        .unwrap_or(UNIX_EPOCH)
    })
}

fn any_status() -> impl Strategy<Value = StatusCode> {
    prop_oneof![
        8 => Just(StatusCode::OK),
        1 => (100u16..600).prop_map(|s| StatusCode::from_u16(s).expect("in range")),
    ]
}

/// Any f64, from its bits, as a JSON number (non-finite ones as out-of-range literals).
fn any_f64_literal() -> impl Strategy<Value = String> {
    any::<u64>().prop_map(|bits| {
        let value = f64::from_bits(bits);
        if value.is_nan() {
            "NaN".to_owned()
        } else if value.is_infinite() {
            if value > 0.0 { "1e400" } else { "-1e400" }.to_owned()
        } else {
            format!("{value}")
        }
    })
}

/// What a server may put where a lifetime or an expiry is expected.
fn any_expiry_value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => any_f64_literal(),
        2 => any::<u64>().prop_map(|bits| format!("{:e}", f64::from_bits(bits))),
        1 => any_f64_literal().prop_map(|v| format!("\"{v}\"")),
        1 => any::<i64>().prop_map(|v| v.to_string()),
        1 => "-?[0-9]{1,400}(\\.[0-9]{0,40})?([eE][+-]?[0-9]{1,6})?",
        1 => prop::sample::select(vec![
            "1e400", "-1e400", "18446744073709551616", "-18446744073709551617", "1e-400",
            "-0", "0.0", "\"inf\"", "\"-inf\"", "\"NaN\"", "\"1e400\"", "\" 30 \"", "\"\"",
            "true", "false", "null", "{}", "[]", "{\"s\": 60}", "[60, [60]]", "\"soon\"",
        ])
        .prop_map(str::to_owned),
        1 => "\"[ -~]{0,24}\"",
        1 => (1usize..300).prop_map(|n| format!("{}60{}", "[".repeat(n), "]".repeat(n))),
        1 => (1usize..5000).prop_map(|n| "[{\"a\":".repeat(n)),
    ]
}

/// What a server may put where the token is expected.
fn any_token_value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[!-~]{1,64}".prop_map(|t| serde_json::to_string(&t).expect("string")),
        2 => any::<String>().prop_map(|t| serde_json::to_string(&t).expect("string")),
        1 => prop::sample::select(vec!["\"\"", "null", "12345", "[\"tok\"]", "{\"t\": \"tok\"}"])
            .prop_map(str::to_owned),
        1 => "\"[ -~]{0,24}\"",
    ]
}

/// A token response as servers write them, then possibly cut short and with bytes replaced.
fn mutated_body() -> impl Strategy<Value = Vec<u8>> {
    (
        any_token_value(),
        any_expiry_value(),
        any_expiry_value(),
        any::<bool>(),
        // Mostly whole and intact, so that most bodies reach the token and lifetime checks.
        prop::option::weighted(0.2, any::<prop::sample::Index>()),
        prop_oneof![
            4 => Just(Vec::new()),
            1 => prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        ],
    )
        .prop_map(|(token, expires_in, exp, extra, cut, replaced)| {
            let extra = if extra {
                r#", "scope": "read write", "nested": {"a": [1, 2.5e308, 1e400, {"b": null}]}"#
            } else {
                ""
            };
            let mut body = format!(
                r#"{{"access_token": {token}, "token_type": "bearer", "expires_in": {expires_in}, "exp": {exp}{extra}}}"#
            )
            .into_bytes();
            if let Some(cut) = cut {
                body.truncate(cut.index(body.len() + 1));
            }
            if !body.is_empty() {
                for (at, byte) in replaced {
                    let at = at.index(body.len());
                    body[at] = byte;
                }
            }
            body
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn the_parser_never_panics_on_arbitrary_bytes(
        exchange in any_exchange(),
        status in any_status(),
        body in prop::collection::vec(any::<u8>(), 0..1024),
        now in any_now(),
    ) {
        check(&parse_token_response(&exchange, status, &body, now), status)?;
    }

    #[test]
    fn the_parser_never_panics_on_mutated_token_responses(
        exchange in any_exchange(),
        status in any_status(),
        body in mutated_body(),
        now in any_now(),
    ) {
        check(&parse_token_response(&exchange, status, &body, now), status)?;
    }

    #[test]
    fn any_finite_expires_in_gives_its_clamped_value(
        seconds in prop_oneof![
            any::<u64>().prop_map(f64::from_bits).prop_filter("finite", |s| s.is_finite()),
            -1e3..2e5f64,
        ],
        quoted in any::<bool>(),
    ) {
        let value = if quoted { format!("\"{seconds}\"") } else { format!("{seconds}") };
        let body = format!(r#"{{"access_token": "tok", "expires_in": {value}}}"#);
        let parsed = parse_token_response(&exchange(), StatusCode::OK, body.as_bytes(), at(0));
        prop_assert_eq!(parsed.expect("usable").lifetime(), clamped(seconds));
    }
}
