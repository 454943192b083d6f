//! Token endpoints under a hostile server: redirects, absurd lifetimes, empty tokens, and a
//! failing endpoint under concurrent load. The API is only ever called with a token the
//! right origin issued, and a broken endpoint is not hammered.

use std::time::Duration;

use clientgen_runtime::futures::future::join_all;
use clientgen_runtime::reqwest::StatusCode;
use security_onion_client::operations::GetInfoParams;
use serde_json::{json, Value};
use stellar_cyber_client::operations::ListTenantsParams;

use crate::hostile::clients::{
    security_onion, so_token, stellar, with_token, within, SO_TOKEN_PATH, STELLAR_TOKEN_PATH,
};
use crate::hostile::server::{HostileServer, Reply};

/// Security Onion's API answers `{}` to `get_info` when the right token comes, 401 otherwise.
fn so_api(request: &crate::hostile::server::Recorded) -> Reply {
    if request.header("authorization")
        == Some(&format!("Bearer {}", crate::hostile::clients::SO_TOKEN))
    {
        Reply::json(200, &json!({"version": "2.4.100"}))
    } else {
        Reply::json(401, &json!({"error": "unauthorized"}))
    }
}

fn api_requests(server: &HostileServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.path().starts_with("/connect/"))
        .count()
}

#[tokio::test]
async fn a_token_endpoint_redirecting_to_its_login_page_is_an_auth_error_naming_the_status() {
    // What Security Onion's nginx does when the token endpoint is rate limited.
    let server = HostileServer::start(with_token(
        SO_TOKEN_PATH,
        Reply::redirect(302, "/login/?thr=60"),
        so_api,
    ))
    .await;
    let client = security_onion(&server)
        .build()
        .expect("valid configuration");
    let error = client
        .get_info(&GetInfoParams::default())
        .await
        .expect_err("no token");
    match &error {
        security_onion_client::Error::Auth { status, reason } => {
            assert_eq!(*status, Some(StatusCode::FOUND), "{error}");
            assert!(
                reason.contains("302"),
                "the reason names the status: {reason}"
            );
        }
        other => panic!("expected Error::Auth, got {other:?}"),
    }
    assert!(
        server.requests_to("/login/").is_empty(),
        "the redirect was followed"
    );
    assert_eq!(
        api_requests(&server),
        0,
        "the API was called without a token"
    );
}

#[tokio::test]
async fn a_token_endpoint_redirecting_to_another_origin_never_yields_a_token_from_there() {
    let foreign = HostileServer::start(|_| {
        Reply::json(
            200,
            &json!({"access_token": "FOREIGN-TOKEN", "exp": 4_102_444_800u64}),
        )
    })
    .await;
    let foreign_url = foreign.url(STELLAR_TOKEN_PATH);
    let server = HostileServer::start(move |request| {
        if request.path() == STELLAR_TOKEN_PATH {
            Reply::redirect(307, &foreign_url)
        } else {
            Reply::json(200, &json!({"data": []}))
        }
    })
    .await;
    let client = stellar(&server).build().expect("valid configuration");
    let error = client
        .list_tenants(&ListTenantsParams::default())
        .await
        .expect_err("no token");
    assert!(
        matches!(&error, stellar_cyber_client::Error::Auth { status: Some(s), .. } if s.as_u16() == 307),
        "{error:?}"
    );
    assert_eq!(
        foreign.bytes_received(),
        0,
        "the API key was posted to another origin: {:?}",
        foreign.requests()
    );
    assert!(server
        .requests()
        .iter()
        .all(|r| r.header("authorization") != Some("Bearer FOREIGN-TOKEN")));
    assert!(server.requests_to("/connect/api/v1/tenants").is_empty());
}

#[tokio::test]
async fn absurd_token_lifetimes_neither_panic_nor_refetch_on_every_call() {
    let lifetimes: [(&str, Value); 8] = [
        ("1e300", json!(1e300)),
        ("1e19", json!(1e19)),
        ("u64::MAX", json!(u64::MAX)),
        ("-5", json!(-5)),
        ("0", json!(0)),
        ("\"3600\"", json!("3600")),
        ("\"soon\"", json!("soon")),
        ("null", Value::Null),
    ];
    // Every lifetime is tried, and every failure reported together.
    let mut failures = Vec::new();
    for (label, expires_in) in lifetimes {
        let server =
            HostileServer::start(with_token(SO_TOKEN_PATH, so_token(expires_in), so_api)).await;
        let client = security_onion(&server)
            .build()
            .expect("valid configuration");
        // In a task of its own, so that a panic is reported with the lifetime that caused it.
        let calls = tokio::spawn(async move {
            for _ in 0..2 {
                client
                    .get_info(&GetInfoParams::default())
                    .await
                    .map(|_| ())?;
            }
            Ok::<_, security_onion_client::Error>(())
        });
        match calls.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => failures.push(format!("expires_in {label}: {error}")),
            Err(join) => failures.push(format!("expires_in {label}: the client panicked: {join}")),
        }
        let token_requests = server.requests_to(SO_TOKEN_PATH).len();
        if token_requests != 1 {
            failures.push(format!(
                "expires_in {label}: {token_requests} token requests for two calls"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn an_empty_access_token_is_an_auth_error_and_never_sent() {
    for token in [json!(""), json!(" ")] {
        let reply = Reply::json(
            200,
            &json!({"access_token": token, "token_type": "bearer", "expires_in": 3600}),
        );
        let server = HostileServer::start(with_token(SO_TOKEN_PATH, reply, so_api)).await;
        let client = security_onion(&server)
            .build()
            .expect("valid configuration");
        let error = client
            .get_info(&GetInfoParams::default())
            .await
            .expect_err("an empty token");
        assert!(
            matches!(error, security_onion_client::Error::Auth { .. }),
            "{token}: {error:?}"
        );
        assert_eq!(api_requests(&server), 0, "{token}: the API was called");
    }
}

/// Fifty calls at once against a token endpoint answering `failure`: all fail with
/// `Error::Auth`, the endpoint sees at most one request, the API none.
async fn fifty_concurrent_calls_against(failure: Reply) -> HostileServer {
    let server = HostileServer::start(with_token(SO_TOKEN_PATH, failure, so_api)).await;
    let client = security_onion(&server)
        .build()
        .expect("valid configuration");
    let calls = (0..50).map(|_| {
        let client = client.clone();
        async move { client.get_info(&GetInfoParams::default()).await }
    });
    let results = within(Duration::from_secs(10), "50 calls", join_all(calls)).await;
    for result in results {
        assert!(
            matches!(result, Err(security_onion_client::Error::Auth { .. })),
            "{result:?}"
        );
    }
    let token_requests = server.requests_to(SO_TOKEN_PATH).len();
    assert!(
        token_requests <= 1,
        "{token_requests} token requests for 50 concurrent calls"
    );
    assert_eq!(api_requests(&server), 0);
    server
}

#[tokio::test]
async fn a_failing_token_endpoint_is_asked_once_for_fifty_concurrent_calls() {
    fifty_concurrent_calls_against(Reply::json(
        500,
        &json!({"error": "server_error", "error_description": "database is down"}),
    ))
    .await;
}

#[tokio::test]
async fn a_rate_limited_token_endpoint_is_asked_once_for_fifty_concurrent_calls() {
    let server = fifty_concurrent_calls_against(Reply::redirect(302, "/login/?thr=60")).await;
    assert!(server.requests_to("/login/").is_empty());
}
