//! `clientgen_runtime::fake` on its own, with hand-made route tables: routing, token endpoints
//! that are not operations, and answers a test got wrong. (Feature `fake`; the generated
//! fakes are tested end to end in the workspace's `tests/fake.rs`.)
#![cfg(feature = "fake")]

use clientgen_runtime::fake::{FakeServer, Reply, Route, TokenEndpoint, FAKE_ACCESS_TOKEN};

static ROUTES: &[Route] = &[
    Route::new("get_case", "GET", "/cases/{id}"),
    Route::new("search_cases", "GET", "/cases/search"),
    Route::new("get_case_file", "GET", "/cases/{id}/files/{name}.json"),
];

async fn get(server: &FakeServer, path: &str) -> (u16, String) {
    let response = reqwest::get(format!("{}{path}", server.uri()))
        .await
        .expect("the fake answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("text"))
}

#[tokio::test]
async fn a_literal_segment_wins_over_a_placeholder_whatever_the_order() {
    let server = FakeServer::start(ROUTES, None, &[]).await;
    server
        .answers::<String, ()>("get_case", |v| Reply::text(200, v))
        .returns("case".to_owned());
    server
        .answers::<String, ()>("search_cases", |v| Reply::text(200, v))
        .returns("search".to_owned());
    server
        .answers::<String, ()>("get_case_file", |v| Reply::text(200, v))
        .returns("file".to_owned());

    assert_eq!(get(&server, "/cases/search").await, (200, "search".into()));
    assert_eq!(get(&server, "/cases/c-1").await, (200, "case".into()));
    assert_eq!(
        get(&server, "/cases/c-1/files/a.json").await,
        (200, "file".into())
    );
    let operations: Vec<&str> = server.calls().iter().map(|c| c.operation).collect();
    assert_eq!(operations, ["search_cases", "get_case", "get_case_file"]);
}

#[tokio::test]
async fn a_route_prefix_is_accepted_in_front_of_every_route() {
    let server = FakeServer::start(ROUTES, Some("/s/{space}"), &[]).await;
    let (status, body) = get(&server, "/s/blue/cases/search").await;
    assert_eq!(status, 501);
    assert!(body.contains("`search_cases`"), "{body}");
    assert_eq!(get(&server, "/t/blue/cases/search").await.0, 404);
}

#[tokio::test]
async fn a_token_endpoint_that_is_no_operation_is_served_and_recorded() {
    static TOKENS: &[TokenEndpoint] = &[TokenEndpoint::new("auth/token", "jwt")];
    let server = FakeServer::start(ROUTES, None, TOKENS).await;
    let response = reqwest::Client::new()
        .post(format!("{}/auth/token", server.uri()))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 200);
    let token: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(token["jwt"], FAKE_ACCESS_TOKEN);
    assert_eq!(token["expires_in"], 3600);
    assert_eq!(server.calls()[0].operation, "token_endpoint");
}

#[tokio::test]
async fn a_status_that_is_not_http_answers_500_instead_of_panicking() {
    let server = FakeServer::start(ROUTES, None, &[]).await;
    server
        .answers::<(), ()>("get_case", |_| Reply::empty(1000))
        .returns(());
    let (status, body) = get(&server, "/cases/c-1").await;
    assert_eq!(status, 500);
    assert!(body.contains("1000 is not an HTTP status"), "{body}");
}
