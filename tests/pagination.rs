//! Generated `*_stream` methods against multi-page fixtures on a wiremock server (127.0.0.1).

use clientgen_runtime::futures::StreamExt;
use sekoia_client::operations::{GetEventSearchJobEventsParams, ListRulesParams};
use sekoia_client::{Client, Error};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const RULES: &str = "/v1/sic/conf/rules-catalog/rules";

fn rule(n: u64) -> Value {
    json!({"uuid": format!("00000000-0000-4000-8000-{n:012}"), "name": format!("rule {n}")})
}

/// Serves rules `0..total` two at a time, by `offset`.
async fn rules_server(total: u64, has_more_after: Option<u64>) -> MockServer {
    let server = MockServer::start().await;
    for offset in (0..total).step_by(2) {
        let items: Vec<Value> = (offset..total.min(offset + 2)).map(rule).collect();
        let mut page = json!({"total": total, "items": items});
        if let Some(stop) = has_more_after {
            page["has_more"] = json!(offset + 2 < stop);
        }
        Mock::given(method("GET"))
            .and(path(RULES))
            .and(query_param("offset", offset.to_string().as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .mount(&server)
            .await;
    }
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/v1", server.uri()))
        .bearer_token("k")
        .retry(clientgen_runtime::RetryPolicy::none())
        .build()
        .expect("valid")
}

async fn offsets_asked(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.expect("recording");
    requests
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "offset")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        })
        .collect()
}

fn names(items: Vec<Result<sekoia_client::types::Rule, Error>>) -> Vec<String> {
    items.into_iter().map(|r| r.expect("item").name).collect()
}

#[tokio::test]
async fn every_item_arrives_once_in_order() {
    let server = rules_server(5, None).await;
    let params = ListRulesParams {
        limit: Some(2),
        ..Default::default()
    };
    let all: Vec<_> = client(&server)
        .list_rules_stream(&params, None)
        .collect()
        .await;
    assert_eq!(
        names(all),
        ["rule 0", "rule 1", "rule 2", "rule 3", "rule 4"]
    );
    assert_eq!(
        offsets_asked(&server).await,
        ["0", "2", "4"],
        "stops at total without a fourth page"
    );
    let requests = server.received_requests().await.expect("recording");
    assert!(requests
        .iter()
        .all(|r| r.url.query().is_some_and(|q| q.contains("limit=2"))));
}

#[tokio::test]
async fn a_cap_stops_without_fetching_more_pages() {
    let server = rules_server(100, None).await;
    let all: Vec<_> = client(&server)
        .list_rules_stream(&ListRulesParams::default(), Some(3))
        .collect()
        .await;
    assert_eq!(all.len(), 3);
    assert_eq!(offsets_asked(&server).await, ["0", "2"]);
}

#[tokio::test]
async fn has_more_false_ends_the_stream() {
    let server = rules_server(10, Some(4)).await;
    let all: Vec<_> = client(&server)
        .list_rules_stream(&ListRulesParams::default(), None)
        .collect()
        .await;
    assert_eq!(all.len(), 4);
    assert_eq!(offsets_asked(&server).await, ["0", "2"]);
}

#[tokio::test]
async fn an_error_mid_stream_is_an_err_item_and_ends_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("offset", "0"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total": 6, "items": [rule(0), rule(1)]})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("offset", "2"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;
    let all: Vec<_> = client(&server)
        .list_rules_stream(&ListRulesParams::default(), None)
        .collect()
        .await;
    assert_eq!(all.len(), 3);
    assert!(all[0].is_ok() && all[1].is_ok());
    let Err(Error::Status(status)) = &all[2] else {
        panic!("not a status error: {:?}", all[2]);
    };
    assert_eq!(status.status.as_u16(), 500);
    assert_eq!(offsets_asked(&server).await, ["0", "2"]);
}

#[tokio::test]
async fn a_server_repeating_a_page_is_detected() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total": 100, "items": [rule(0), rule(1)]})),
        )
        .mount(&server)
        .await;
    let all: Vec<_> = client(&server)
        .list_rules_stream(&ListRulesParams::default(), None)
        .collect()
        .await;
    assert_eq!(all.len(), 3);
    assert!(
        matches!(
            &all[2],
            Err(Error::Pagination {
                operation: "list_rules",
                ..
            })
        ),
        "{:?}",
        all[2]
    );
    assert_eq!(offsets_asked(&server).await, ["0", "2"]);
}

#[tokio::test]
async fn streams_take_the_operation_path_parameters() {
    let server = MockServer::start().await;
    let job = "c4f1e2d3-b4a5-4697-8899-aabbccddeeff";
    let route = format!("/v1/sic/conf/events/search/jobs/{job}/events");
    for (offset, events) in [(0, json!([{"n": 0}, {"n": 1}])), (2, json!([{"n": 2}]))] {
        Mock::given(method("GET"))
            .and(path(route.as_str()))
            .and(query_param("offset", offset.to_string().as_str()))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"total": 3, "items": events})),
            )
            .mount(&server)
            .await;
    }
    let params = GetEventSearchJobEventsParams {
        limit: Some(2),
        offset: None,
    };
    let events: Vec<_> = client(&server)
        .get_event_search_job_events_stream(job, &params, None)
        .collect()
        .await;
    let numbers: Vec<i64> = events
        .into_iter()
        .map(|e| e.expect("event")["n"].as_i64().expect("n"))
        .collect();
    assert_eq!(numbers, [0, 1, 2]);
}

// ----- long-running jobs: Sekoia's event search -----

const JOB: &str = "c4f1e2d3-b4a5-4697-8899-aabbccddeeff";

fn quick_job() -> clientgen_runtime::jobs::JobOptions {
    clientgen_runtime::jobs::JobOptions {
        timeout: std::time::Duration::from_secs(5),
        initial_interval: std::time::Duration::from_millis(10),
        max_interval: std::time::Duration::from_millis(40),
    }
}

fn search() -> sekoia_client::types::EventSearchJobCreate {
    sekoia_client::types::EventSearchJobCreate::new(
        "source.ip:1.2.3.4".into(),
        "-1d".into(),
        "now".into(),
    )
}

/// A job that reports `statuses` one poll after another (the last one repeats).
async fn job_server(statuses: &[i64]) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/sic/conf/events/search/jobs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"uuid": JOB, "status": 0})))
        .expect(1)
        .mount(&server)
        .await;
    let status_path = format!("/v1/sic/conf/events/search/jobs/{JOB}");
    for (i, status) in statuses.iter().enumerate() {
        let last = i + 1 == statuses.len();
        let mock = Mock::given(method("GET"))
            .and(path(status_path.as_str()))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"uuid": JOB, "status": status})),
            )
            .with_priority(u8::try_from(i + 1).expect("few statuses"));
        let mock = if last { mock } else { mock.up_to_n_times(1) };
        mock.mount(&server).await;
    }
    let events_path = format!("/v1/sic/conf/events/search/jobs/{JOB}/events");
    Mock::given(method("GET"))
        .and(path(events_path.as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total": 2, "items": [{"n": 1}, {"n": 2}]})),
        )
        .mount(&server)
        .await;
    server
}

async fn polls(server: &MockServer) -> usize {
    let status_path = format!("/v1/sic/conf/events/search/jobs/{JOB}");
    let requests = server.received_requests().await.expect("recording");
    requests
        .iter()
        .filter(|r| r.url.path() == status_path)
        .count()
}

#[tokio::test]
async fn a_search_job_is_polled_until_done_then_its_events_stream() {
    let server = job_server(&[0, 1, 1, 2]).await;
    let client = client(&server);
    let events = client
        .search_events(
            &search(),
            &GetEventSearchJobEventsParams::default(),
            None,
            quick_job(),
        )
        .await
        .expect("job done");
    let events: Vec<_> = events.collect().await;
    assert_eq!(events.len(), 2);
    assert_eq!(polls(&server).await, 4);
}

#[tokio::test]
async fn failed_and_cancelled_jobs_are_errors() {
    for (status, shown) in [(4, "Failed"), (3, "Cancelled")] {
        let server = job_server(&[1, status]).await;
        let error = client(&server)
            .search_events(
                &search(),
                &GetEventSearchJobEventsParams::default(),
                None,
                quick_job(),
            )
            .await
            .err()
            .expect("the job ended without results");
        let Error::Job { reason, .. } = &error else {
            panic!("not a job error: {error}");
        };
        assert!(reason.contains(shown), "{reason}");
        assert_eq!(polls(&server).await, 2);
    }
}

#[tokio::test]
async fn a_job_still_running_at_the_timeout_is_an_error() {
    let server = job_server(&[1]).await;
    let options = clientgen_runtime::jobs::JobOptions {
        timeout: std::time::Duration::from_millis(200),
        ..quick_job()
    };
    let started = std::time::Instant::now();
    let error = client(&server)
        .search_events(
            &search(),
            &GetEventSearchJobEventsParams::default(),
            None,
            options,
        )
        .await
        .err()
        .expect("timed out");
    assert!(
        error.to_string().contains("did not finish within 200ms"),
        "{error}"
    );
    assert!(error.to_string().contains("InProgress"), "{error}");
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert!(polls(&server).await >= 3);
}
