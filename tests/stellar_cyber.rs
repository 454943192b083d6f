//! The generated stellar-cyber client against a wiremock server on 127.0.0.1: the API key to
//! JWT exchange, every operation's request shape (method, path, query, headers, body) and
//! response decoding, paging, errors and tolerance of unknown members.

use std::time::{SystemTime, UNIX_EPOCH};

use clientgen_runtime::futures::StreamExt;
use serde_json::{json, Value};
use stellar_cyber_client::operations::{
    GetAccessTokenParams, GetCaseSummaryParams, GetConnectorIngestionStatsParams,
    GetSensorIngestionStatsParams, ListCaseAlertsParams, ListCasesParams, ListConnectorsParams,
    ListDataSensorsParams, ListIncidentsParams, ListStorageUsagesParams, ListTenantsParams,
    ListUserActivitiesParams, SearchDataParams, UpdateCaseLegacyParams, UpdateIncidentParams,
};
use stellar_cyber_client::types::{
    AlertStatus, CaseCommentCreate, CaseResolution, CaseStatus, CaseUpdate, EventTagChange,
    IncidentUpdate, LegacyCaseUpdate, LegacySecurityEventUpdate, ScrollRequest,
    SecurityEventUpdate, Severity, SortOrder, StorageAggregation, TagChanges, UserUpdate,
};
use stellar_cyber_client::{Client, Error};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const USER: &str = "soc@example.com";
const API_KEY: &str = "2iRpBAyQYEfv77R2QtATlJN6";
/// `Basic base64("soc@example.com:2iRpBAyQYEfv77R2QtATlJN6")`.
const BASIC: &str = "Basic c29jQGV4YW1wbGUuY29tOjJpUnBCQXlRWUVmdjc3UjJRdEFUbEpONg==";
const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzb2NAZXhhbXBsZS5jb20ifQ.c2lnbmF0dXJl";
const TOKEN_PATH: &str = "/connect/api/v1/access_token";
const CASE_ID: &str = "65f1c2a7e4b0a1d2c3e4f5a6";
const TENANT: &str = "817418af76d44358922636e34be9627c";

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64
}

/// Answers the token endpoint (HTTP Basic only, with the empty form the vendor's example sends)
/// with `jwt`, valid for ten minutes.
async fn mount_token(server: &MockServer, jwt: &str) {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(header("authorization", BASIC))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": jwt,
            "exp": now_secs() + 600,
            "token_type": "Bearer",
        })))
        .mount(server)
        .await;
}

/// A server with a token endpoint, and a client exchanging the API key there.
async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    mount_token(&server, JWT).await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key_exchange(USER, API_KEY)
        .build()
        .expect("valid configuration");
    (server, client)
}

/// Expects exactly one `verb route` request carrying the JWT, answered with 200 and `body`.
async fn expect(server: &MockServer, verb: &str, route: &str, body: Value) {
    Mock::given(method(verb))
        .and(path(route))
        .and(header("authorization", format!("Bearer {JWT}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

/// The requests other than token fetches, in order.
async fn api_requests(server: &MockServer) -> Vec<Request> {
    let requests = server.received_requests().await.expect("recording is on");
    requests
        .into_iter()
        .filter(|r| r.url.path() != TOKEN_PATH)
        .collect()
}

/// How many times the token endpoint was called.
async fn token_fetches(server: &MockServer) -> usize {
    let requests = server.received_requests().await.expect("recording is on");
    requests
        .iter()
        .filter(|r| r.url.path() == TOKEN_PATH)
        .count()
}

/// The one API request the server saw (after one token fetch), with the JWT on it.
async fn received(server: &MockServer) -> Request {
    let mut requests = api_requests(server).await;
    assert_eq!(requests.len(), 1, "expected exactly one API request");
    assert_eq!(token_fetches(server).await, 1);
    let request = requests.remove(0);
    assert_eq!(request.headers["authorization"], format!("Bearer {JWT}"));
    request
}

fn json_body(request: &Request) -> Value {
    assert_eq!(request.headers["content-type"], "application/json");
    serde_json::from_slice(&request.body).expect("JSON body")
}

fn case_json() -> Value {
    json!({
        "_id": CASE_ID,
        "ticket_id": 1042,
        "name": "Brute force followed by lateral movement on 10.0.0.15",
        "status": "In Progress",
        "severity": "High",
        "score": 87.5,
        "incident_score": 87.5,
        "size": 12,
        "assignee": "0b6b9e3c1f7d4a7f9c2e5d8a1b3c4d5e",
        "assignee_name": "Ada Analyst",
        "tags": ["phishing"],
        "version": 4,
        "created_at": 1700000000000_i64,
        "modified_at": 1700003600000_i64,
        "start_timestamp": 1699999000000_i64,
        "end_timestamp": 1700003000000_i64,
        "closed": null,
        "acknowledged": 1700001000000_i64,
        "created_by": "System",
        "modified_by": "soc@example.com",
        "cust_id": TENANT,
        "tenant_name": "Acme Corp",
        "metadata": {
            "name_auto": ["Brute force followed by lateral movement"],
            "algorithm": "entity_based",
            "entity_id": "10.0.0.15",
            "modified_at_auto": 1700003600000_i64,
            "automatic_version": 3
        }
    })
}

fn case_with_id(n: usize) -> Value {
    let mut case = case_json();
    case["_id"] = json!(format!("{n:024x}"));
    case["ticket_id"] = json!(n);
    case
}

fn alert_doc(n: usize) -> Value {
    json!({
        "_id": format!("alert-{n}"),
        "_index": "aella-ser-1700006400000-000001",
        "_source": {
            "tenantid": TENANT,
            "tenant_name": "Acme Corp",
            "event_score": 72,
            "event_status": "New",
            "severity": 60,
            "fidelity": 90,
            "threat_score": 40,
            "timestamp": 1700000000000_i64,
            "write_time": 1700000100000_i64,
            "xdr_event": {
                "display_name": "External Brute Force",
                "name": "external_brute_force",
                "tactic": {"id": "TA0006", "name": "Credential Access"},
                "technique": {"id": "T1110", "name": "Brute Force"},
                "xdr_killchain_stage": "Initial Attempts"
            },
            "detected_fields": ["srcip"],
            "detected_values": ["203.0.113.7"],
            "srcip": "203.0.113.7",
            "srcip_geo": {"countryCode": "NL"},
            "msg_class": "windows_security",
            "msg_origin": {"source": "windows_events", "vendor": "microsoft", "processor": {"type": "sensor"}},
            "stellar": {"status": "New", "detection_time": 1700000100000_i64},
            "windows": {"event_id": 4625}
        }
    })
}

// ----- authentication -----

#[tokio::test]
async fn get_access_token_sends_basic_credentials_and_reads_the_jwt() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(header("authorization", BASIC))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": JWT, "exp": 1700000600, "token_type": "Bearer"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .basic_auth(USER, API_KEY)
        .build()
        .expect("valid");
    let params = GetAccessTokenParams {
        otp: Some("123456".into()),
    };
    let token = client.get_access_token(&params).await.expect("token");
    assert_eq!(token.access_token, JWT);
    assert_eq!(token.exp, Some(1700000600));
    assert_eq!(token.token_type.as_deref(), Some("Bearer"));
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.query(), Some("otp=123456"));
    assert!(requests[0].body.is_empty(), "the token request has no body");
}

#[tokio::test]
async fn the_token_is_fetched_once_and_reused() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/connect/api/v1/users"))
        .and(header("authorization", format!("Bearer {JWT}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .expect(3)
        .mount(&server)
        .await;
    for _ in 0..3 {
        client.list_users().await.expect("listed");
    }
    assert_eq!(token_fetches(&server).await, 1);
    let requests = server.received_requests().await.expect("recording");
    let token_request = requests
        .iter()
        .find(|r| r.url.path() == TOKEN_PATH)
        .expect("token fetched");
    assert_eq!(token_request.method.as_str(), "POST");
    assert_eq!(token_request.headers["authorization"], BASIC);
}

#[tokio::test]
async fn a_401_fetches_a_new_token_and_retries_once() {
    let server = MockServer::start().await;
    // The first token is refused by the API; the second is accepted.
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "stale-jwt", "exp": now_secs() + 600
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    mount_token(&server, JWT).await;
    Mock::given(method("GET"))
        .and(path(format!("/connect/api/v1/cases/{CASE_ID}")))
        .and(header("authorization", "Bearer stale-jwt"))
        .respond_with(ResponseTemplate::new(401).set_body_string("Unauthorized"))
        .expect(1)
        .mount(&server)
        .await;
    expect(
        &server,
        "GET",
        &format!("/connect/api/v1/cases/{CASE_ID}"),
        json!({"data": case_json()}),
    )
    .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key_exchange(USER, API_KEY)
        .build()
        .expect("valid");
    let case = client.get_case(&CASE_ID.to_owned()).await.expect("retried");
    assert_eq!(case.data.id, CASE_ID);
    assert_eq!(token_fetches(&server).await, 2);
    assert_eq!(api_requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_refused_api_key_is_an_auth_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_string("Unauthorized"))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key_exchange(USER, "wrong")
        .build()
        .expect("valid");
    let error = client.list_users().await.expect_err("refused");
    let Error::Auth { status, .. } = &error else {
        panic!("not an auth error: {error}");
    };
    assert_eq!(status.map(|s| s.as_u16()), Some(401));
    assert!(!format!("{error:?}").contains("wrong"));
    assert!(api_requests(&server).await.is_empty());
}

#[tokio::test]
async fn scoped_keys_are_exchanged_with_a_bearer_header() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(header("authorization", "Bearer scoped-key-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": JWT, "exp": now_secs() + 600
        })))
        .expect(1)
        .mount(&server)
        .await;
    expect(&server, "GET", "/connect/api/v1/users", json!({"data": []})).await;
    let client = Client::builder()
        .base_url(server.uri())
        .scoped_api_key_exchange("scoped-key-1")
        .build()
        .expect("valid");
    client.list_users().await.expect("listed");
}

// ----- cases -----

#[tokio::test]
async fn list_cases_sends_every_filter() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/connect/api/v1/cases",
        json!({"data": {"cases": [case_json()], "total": 1}}),
    )
    .await;
    let params = ListCasesParams {
        tenantid: Some(TENANT.into()),
        limit: Some(10),
        skip: Some(20),
        sort: Some("score".into()),
        order: Some(SortOrder::Desc),
        from_created_at: Some(1700000000000),
        to_created_at: Some(1700086400000),
        from_modified_at: Some(1700000000001),
        to_modified_at: Some(1700086400001),
        from_score: Some(50.0),
        min_score: Some(40.5),
        status: Some(vec![CaseStatus::New, CaseStatus::InProgress]),
        severity: Some(Severity::High),
        tags: Some(vec!["phishing".into(), "vip".into()]),
        not_tags: Some("false-positive".into()),
        not_modified_by: Some("sync@example.com".into()),
        ticket_id: Some(1042),
        min_size_auto: Some(2),
        include_summary: Some(true),
        format_summary: Some(false),
    };
    let page = client.list_cases(&params).await.expect("listed");
    let request = received(&server).await;
    assert_eq!(
        request.url.query(),
        Some(
            "tenantid=817418af76d44358922636e34be9627c&limit=10&skip=20&sort=score&order=desc\
             &FROM~created_at=1700000000000&TO~created_at=1700086400000\
             &FROM~modified_at=1700000000001&TO~modified_at=1700086400001\
             &FROM~score=50&min_score=40.5&status=New,In%20Progress&severity=High\
             &tags=phishing,vip&NOT~tags=false-positive&NOT~modified_by=sync%40example.com\
             &ticket_id=1042&min_size_auto=2&include_summary=true&format_summary=false"
        )
    );
    assert!(request.body.is_empty());
    assert_eq!(page.data.total, Some(1));
    let case = &page.data.cases[0];
    assert_eq!(case.id, CASE_ID);
    assert_eq!(case.ticket_id, Some(1042));
    assert_eq!(case.status, Some(CaseStatus::InProgress));
    assert_eq!(case.severity, Some(Severity::High));
    assert_eq!(case.score, Some(87.5));
    assert_eq!(case.closed, Some(None));
    assert_eq!(case.acknowledged, Some(Some(1700001000000)));
    assert_eq!(case.assignee_name, Some(Some("Ada Analyst".into())));
    assert_eq!(case.tenant_name.as_deref(), Some("Acme Corp"));
    let metadata = case.metadata.as_ref().expect("metadata");
    assert_eq!(metadata.algorithm.as_deref(), Some("entity_based"));
    assert_eq!(metadata.automatic_version, Some(3));
}

#[tokio::test]
async fn list_cases_stream_walks_every_page_by_skip() {
    let (server, client) = setup().await;
    for (skip, ids) in [(0usize, 0..2usize), (2, 2..4), (4, 4..5)] {
        let cases: Vec<Value> = ids.map(case_with_id).collect();
        Mock::given(method("GET"))
            .and(path("/connect/api/v1/cases"))
            .and(wiremock::matchers::query_param("skip", skip.to_string()))
            .and(header("authorization", format!("Bearer {JWT}").as_str()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"data": {"cases": cases, "total": 5}})),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let params = ListCasesParams {
        tenantid: Some(TENANT.into()),
        limit: Some(2),
        ..Default::default()
    };
    let cases: Vec<_> = client
        .list_cases_stream(&params, None)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .map(|r| r.expect("case"))
        .collect();
    let tickets: Vec<Option<i64>> = cases.iter().map(|c| c.ticket_id).collect();
    assert_eq!(tickets, [Some(0), Some(1), Some(2), Some(3), Some(4)]);
    let queries: Vec<String> = api_requests(&server)
        .await
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        queries,
        [
            format!("tenantid={TENANT}&limit=2&skip=0"),
            format!("tenantid={TENANT}&limit=2&skip=2"),
            format!("tenantid={TENANT}&limit=2&skip=4"),
        ]
    );
    assert_eq!(token_fetches(&server).await, 1);
}

#[tokio::test]
async fn get_case_reads_the_case() {
    let (server, client) = setup().await;
    let route = format!("/connect/api/v1/cases/{CASE_ID}");
    expect(&server, "GET", &route, json!({"data": case_json()})).await;
    let case = client.get_case(&CASE_ID.to_owned()).await.expect("case");
    let request = received(&server).await;
    assert_eq!(request.url.query(), None);
    assert_eq!(
        case.data.name.as_deref(),
        Some("Brute force followed by lateral movement on 10.0.0.15")
    );
    assert_eq!(case.data.size, Some(12));
    assert_eq!(case.data.created_at, Some(1700000000000));
}

#[tokio::test]
async fn update_case_sends_the_changes() {
    let (server, client) = setup().await;
    let route = format!("/connect/api/v1/cases/{CASE_ID}");
    let mut resolved = case_json();
    resolved["status"] = json!("Resolved");
    resolved["resolution"] = json!("True Positive");
    expect(&server, "PUT", &route, json!({"data": resolved})).await;
    let update = CaseUpdate {
        status: Some(CaseStatus::Resolved),
        severity: Some(Severity::Critical),
        assignee: Some("0b6b9e3c1f7d4a7f9c2e5d8a1b3c4d5e".into()),
        tags: Some(TagChanges {
            add: Some(vec!["confirmed".into()]),
            delete: Some(vec!["triage".into()]),
            ..Default::default()
        }),
        resolution: Some(CaseResolution::TruePositive),
        update_alerts: Some(true),
        description: Some("Confirmed credential stuffing.".into()),
        ..Default::default()
    };
    let case = client
        .update_case(&CASE_ID.to_owned(), &update)
        .await
        .expect("updated");
    assert_eq!(
        json_body(&received(&server).await),
        json!({
            "status": "Resolved",
            "severity": "Critical",
            "assignee": "0b6b9e3c1f7d4a7f9c2e5d8a1b3c4d5e",
            "tags": {"add": ["confirmed"], "delete": ["triage"]},
            "resolution": "True Positive",
            "update_alerts": true,
            "description": "Confirmed credential stuffing."
        })
    );
    assert_eq!(case.data.status, Some(CaseStatus::Resolved));
    assert_eq!(case.data.resolution, Some(CaseResolution::TruePositive));
}

#[tokio::test]
async fn update_case_legacy_addresses_the_case_by_query() {
    let (server, client) = setup().await;
    expect(
        &server,
        "POST",
        "/connect/api/v1/cases",
        json!({"data": case_json()}),
    )
    .await;
    let update = LegacyCaseUpdate {
        priority: Some(Severity::Low),
        status: Some(CaseStatus::Cancelled),
        assignee: Some("ada".into()),
        tags: Some(TagChanges {
            add: Some(vec!["benign".into()]),
            ..Default::default()
        }),
        description: Some("Scanner traffic.".into()),
        ..Default::default()
    };
    let case = client
        .update_case_legacy(&UpdateCaseLegacyParams::new(CASE_ID.into()), &update)
        .await
        .expect("updated");
    let request = received(&server).await;
    assert_eq!(request.url.query(), Some(format!("id={CASE_ID}").as_str()));
    assert_eq!(
        json_body(&request),
        json!({"priority": "Low", "status": "Cancelled", "assignee": "ada", "tags": {"add": ["benign"]}, "description": "Scanner traffic."})
    );
    assert_eq!(case.data.id, CASE_ID);
}

#[tokio::test]
async fn list_case_alerts_reads_alert_documents_and_streams_pages() {
    let (server, client) = setup().await;
    let route = format!("/connect/api/v1/cases/{CASE_ID}/alerts");
    expect(
        &server,
        "GET",
        &route,
        json!({"data": {"docs": [alert_doc(1)]}}),
    )
    .await;
    let params = ListCaseAlertsParams {
        limit: Some(50),
        skip: Some(0),
    };
    let page = client
        .list_case_alerts(&CASE_ID.to_owned(), &params)
        .await
        .expect("alerts");
    assert_eq!(received(&server).await.url.query(), Some("limit=50&skip=0"));
    let doc = &page.data.docs[0];
    assert_eq!(doc.id, "alert-1");
    assert_eq!(doc.index, "aella-ser-1700006400000-000001");
    let alert = doc.source.as_ref().expect("source");
    assert_eq!(alert.event_score, Some(72.0));
    assert_eq!(alert.srcip.as_deref(), Some("203.0.113.7"));
    let xdr = alert.xdr_event.as_ref().expect("xdr_event");
    assert_eq!(xdr.display_name.as_deref(), Some("External Brute Force"));
    assert_eq!(
        xdr.tactic.as_ref().and_then(|t| t.id.as_deref()),
        Some("TA0006")
    );
    assert_eq!(
        alert.stellar.as_ref().and_then(|s| s.detection_time),
        Some(1700000100000)
    );
    // The source-specific subobject is kept.
    assert_eq!(
        alert.additional_properties.value("windows"),
        Some(json!({"event_id": 4625}))
    );

    // Without a total, the stream stops at the first empty page.
    let (server, client) = setup().await;
    for (skip, docs) in [
        (0, vec![alert_doc(1), alert_doc(2)]),
        (2, vec![alert_doc(3)]),
        (3, vec![]),
    ] {
        Mock::given(method("GET"))
            .and(path(route.as_str()))
            .and(wiremock::matchers::query_param("skip", skip.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"docs": docs}})))
            .expect(1)
            .mount(&server)
            .await;
    }
    let ids: Vec<String> = client
        .list_case_alerts_stream(&CASE_ID.to_owned(), &ListCaseAlertsParams::default(), None)
        .map(|r| r.expect("alert").id)
        .collect()
        .await;
    assert_eq!(ids, ["alert-1", "alert-2", "alert-3"]);
}

#[tokio::test]
async fn get_case_summary_reads_the_text() {
    let (server, client) = setup().await;
    let route = format!("/connect/api/v1/cases/{CASE_ID}/summary");
    expect(
        &server,
        "GET",
        &route,
        json!({"data": "Observed 1 XDR Kill Chain Stages: Initial Attempts\nExternal Brute Force (12 alerts)"}),
    )
    .await;
    let summary = client
        .get_case_summary(
            &CASE_ID.to_owned(),
            &GetCaseSummaryParams {
                formatted: Some(true),
            },
        )
        .await
        .expect("summary");
    assert_eq!(received(&server).await.url.query(), Some("formatted=true"));
    assert!(summary.data.starts_with("Observed 1 XDR Kill Chain Stages"));
}

#[tokio::test]
async fn case_comments_are_listed_and_added() {
    let route = format!("/connect/api/v1/cases/{CASE_ID}/comments");
    let comment = json!({
        "_id": "65f1c9b2e4b0a1d2c3e4f700",
        "comment": "Blocked the source address at the firewall.",
        "created_by": "soc@example.com",
        "created_at": 1700004000000_i64
    });
    let (server, client) = setup().await;
    expect(&server, "GET", &route, json!({"data": [comment]})).await;
    let listed = client
        .list_case_comments(&CASE_ID.to_owned())
        .await
        .expect("listed");
    assert_eq!(received(&server).await.url.query(), None);
    assert_eq!(
        listed.data[0].id.as_deref(),
        Some("65f1c9b2e4b0a1d2c3e4f700")
    );
    assert_eq!(listed.data[0].created_at, Some(1700004000000));

    let (server, client) = setup().await;
    expect(&server, "POST", &route, json!({"data": [comment]})).await;
    let added = client
        .add_case_comment(
            &CASE_ID.to_owned(),
            &CaseCommentCreate::new("Blocked the source address at the firewall.".into()),
        )
        .await
        .expect("added");
    assert_eq!(
        json_body(&received(&server).await),
        json!({"comment": "Blocked the source address at the firewall."})
    );
    assert_eq!(added.data[0].created_by.as_deref(), Some("soc@example.com"));
}

#[tokio::test]
async fn case_observables_scores_and_activities_are_read() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        &format!("/connect/api/v1/cases/{CASE_ID}/observables"),
        // Grouped by kind, as the documentation lists them; the members are undocumented.
        json!({"observables": {"hosts": [{"name": "ws-042", "count": 12}], "users": [{"name": "ada"}]}}),
    )
    .await;
    let observables = client
        .get_case_observables(&CASE_ID.to_owned())
        .await
        .expect("observables");
    assert_eq!(received(&server).await.method.as_str(), "GET");
    let kinds = observables.observables.expect("observables");
    assert_eq!(kinds["hosts"][0]["name"], "ws-042");
    assert_eq!(kinds["users"][0]["name"], "ada");

    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        &format!("/connect/api/v1/cases/{CASE_ID}/scores"),
        json!({"data": [{"timestamp": 1700003600000_i64, "score": 87.5}]}),
    )
    .await;
    let scores = client
        .get_case_scores(&CASE_ID.to_owned())
        .await
        .expect("scores");
    assert_eq!(received(&server).await.url.query(), None);
    assert_eq!(scores.data[0].timestamp, Some(1700003600000));
    assert_eq!(scores.data[0].score, Some(87.5));

    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        &format!("/connect/api/v1/cases/{CASE_ID}/activities"),
        json!({"data": [{"action": "status_changed", "user": "soc@example.com", "timestamp": 1700003600000_i64, "from": "New", "to": "In Progress"}]}),
    )
    .await;
    let activities = client
        .get_case_activities(&CASE_ID.to_owned())
        .await
        .expect("activities");
    assert_eq!(received(&server).await.url.query(), None);
    assert_eq!(activities.data[0].action.as_deref(), Some("status_changed"));
    assert_eq!(
        activities.data[0].additional_properties.value("to"),
        Some(json!("In Progress"))
    );
}

// ----- incidents -----

#[tokio::test]
async fn list_incidents_sends_filters_and_reads_event_ids() {
    let (server, client) = setup().await;
    let mut incident = case_json();
    incident["event_ids"] = json!([{"_index": "aella-ser-1700006400000-000001", "_id": "alert-1"}]);
    expect(
        &server,
        "GET",
        "/connect/api/v1/incidents",
        json!({"data": {"incidents": [incident], "total": 1}}),
    )
    .await;
    let params = ListIncidentsParams {
        cust_id: Some(TENANT.into()),
        limit: Some(500),
        skip: Some(0),
        order: Some(SortOrder::Asc),
        from_created_at: Some(1700000000000),
        not_tags: Some("noise".into()),
        ticket_id: Some(7),
        ..Default::default()
    };
    let page = client.list_incidents(&params).await.expect("incidents");
    assert_eq!(
        received(&server).await.url.query(),
        Some(
            "cust_id=817418af76d44358922636e34be9627c&limit=500&skip=0&order=asc\
             &FROM~created_at=1700000000000&NOT~tags=noise&ticket_id=7"
        )
    );
    assert_eq!(page.data.total, Some(1));
    let incident = &page.data.incidents[0];
    assert_eq!(incident.id, CASE_ID);
    let events = incident.event_ids.as_ref().expect("event_ids");
    assert_eq!(events[0].id, "alert-1");
    assert_eq!(events[0].index, "aella-ser-1700006400000-000001");

    // The stream reads data.incidents and stops at data.total.
    let (server, client) = setup().await;
    let incidents: Vec<Value> = (0..2).map(case_with_id).collect();
    expect(
        &server,
        "GET",
        "/connect/api/v1/incidents",
        json!({"data": {"incidents": incidents, "total": 2}}),
    )
    .await;
    let all: Vec<_> = client
        .list_incidents_stream(&ListIncidentsParams::default(), None)
        .collect::<Vec<_>>()
        .await;
    assert_eq!(all.len(), 2);
    assert_eq!(received(&server).await.url.query(), Some("skip=0"));
}

// ----- alerts and raw data -----

#[tokio::test]
async fn update_incident_posts_the_changes_with_the_case_in_the_query() {
    let (server, client) = setup().await;
    // The answer recorded in XSOAR's Stellar Cyber integration (test_data/outputs/update_case.json).
    expect(
        &server,
        "POST",
        "/connect/api/v1/incidents",
        json!({"data": {
            "_id": "65d5ef5f7d0f9a18d1d7477b", "assignee": "", "created_at": 1708519263554_i64,
            "created_by": "System", "cust_id": "6aeb2aae7d8d4ef0820136f42d107db4",
            "modified_at": 1710866249442_i64, "modified_by": "9887e386323148ea8c68d4cf0bc1cdf6",
            "name": "Proofpoint TAP messagesBlocked: Phishing and 1 other", "size": 2,
            "status": "Resolved", "tags": [], "ticket_id": 5812, "version": 2,
            "priority": "High", "incident_score": 1, "assignee_name": "Unassigned"
        }}),
    )
    .await;
    let update = IncidentUpdate {
        status: Some(CaseStatus::Resolved),
        resolution: Some("Duplicate of an earlier case.".into()),
        ..Default::default()
    };
    let case = client
        .update_incident(
            &UpdateIncidentParams::new("65d5ef5f7d0f9a18d1d7477b".into()),
            &update,
        )
        .await
        .expect("updated");
    let request = received(&server).await;
    assert_eq!(request.url.query(), Some("id=65d5ef5f7d0f9a18d1d7477b"));
    assert_eq!(
        json_body(&request),
        json!({"status": "Resolved", "resolution": "Duplicate of an earlier case."})
    );
    assert_eq!(case.data.status, Some(CaseStatus::Resolved));
    assert_eq!(case.data.priority, Some(Severity::High));
    assert_eq!(case.data.ticket_id, Some(5812));
}

#[tokio::test]
async fn update_security_event_sends_status_comment_and_tags() {
    let (server, client) = setup().await;
    expect(
        &server,
        "POST",
        "/connect/api/v1/security_events/aella-ser-1700006400000-000001/alert-1",
        json!({"result": "updated", "_id": "alert-1"}),
    )
    .await;
    let update = SecurityEventUpdate {
        status: Some(AlertStatus::Closed),
        comments: Some("Expected behaviour.".into()),
        event_tags: Some(vec![EventTagChange::new(
            "add".into(),
            "investigated".into(),
        )]),
        ..Default::default()
    };
    let result = client
        .update_security_event("aella-ser-1700006400000-000001", "alert-1", &update)
        .await
        .expect("updated");
    assert_eq!(
        json_body(&received(&server).await),
        json!({"status": "Closed", "comments": "Expected behaviour.", "event_tags": [{"op": "add", "tag": "investigated"}]})
    );
    assert_eq!(result["result"], "updated");
}

#[tokio::test]
async fn update_security_event_legacy_names_the_alert_in_the_body() {
    let (server, client) = setup().await;
    expect(
        &server,
        "POST",
        "/connect/api/update_ser",
        json!({"result": "ok"}),
    )
    .await;
    let mut update =
        LegacySecurityEventUpdate::new("aella-ser-1700006400000-000001".into(), "alert-1".into());
    update.event_tag = Some(EventTagChange::new("delete".into(), "triage".into()));
    let result = client
        .update_security_event_legacy(&update)
        .await
        .expect("updated");
    let request = received(&server).await;
    assert_eq!(request.url.query(), None);
    assert_eq!(
        json_body(&request),
        json!({"index": "aella-ser-1700006400000-000001", "_id": "alert-1", "event_tag": {"op": "delete", "tag": "triage"}})
    );
    assert_eq!(result["result"], "ok");
}

fn search_json(scroll_id: Option<&str>, ids: &[&str]) -> Value {
    let hits: Vec<Value> = ids
        .iter()
        .map(|id| json!({"_index": "aella-ser-1700006400000-000001", "_type": "_doc", "_id": id, "_score": 1.0, "_source": {"event_status": "New"}}))
        .collect();
    let mut body = json!({
        "took": 12,
        "timed_out": false,
        "_shards": {"total": 5, "successful": 5, "skipped": 0, "failed": 0},
        "hits": {"total": {"value": ids.len(), "relation": "eq"}, "max_score": 1.0, "hits": hits}
    });
    if let Some(id) = scroll_id {
        body["_scroll_id"] = json!(id);
    }
    body
}

#[tokio::test]
async fn search_data_passes_the_query_through() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        // The client percent-encodes `*` in the path segment; the server decodes it.
        "/connect/api/data/aella-ser-%2A/_search",
        search_json(Some("scroll-1"), &["alert-1"]),
    )
    .await;
    let params = SearchDataParams {
        q: Some("event_status:New AND severity:>=50".into()),
        size: Some(100),
        scroll: Some("10m".into()),
    };
    let result = client
        .search_data("aella-ser-*", &params)
        .await
        .expect("searched");
    let request = received(&server).await;
    assert_eq!(
        request.url.path(),
        "/connect/api/data/aella-ser-%2A/_search"
    );
    assert_eq!(
        request.url.query(),
        Some("q=event_status%3ANew%20AND%20severity%3A%3E%3D50&size=100&scroll=10m")
    );
    assert_eq!(result.took, Some(12));
    assert_eq!(result.scroll_id.as_deref(), Some("scroll-1"));
    let hits = result.hits.expect("hits");
    assert_eq!(hits.total.and_then(|t| t.value), Some(1));
    let hit = &hits.hits.expect("hit list")[0];
    assert_eq!(hit.id.as_deref(), Some("alert-1"));
    assert_eq!(hit.score, Some(Some(1.0)));
    assert_eq!(hit.source.as_ref().expect("source")["event_status"], "New");
}

/// The shape of the alert answer recorded in XSOAR's Stellar Cyber integration
/// (test_data/outputs/get_alert.json), trimmed, with its values replaced.
fn recorded_alert_search() -> Value {
    let xdr_event = json!({
        "display_name": "Proofpoint TAP messagesBlocked: Phishing",
        "framework_version": "v8",
        "name": "proofpoint_tap-messagesblocked-initial_access-phishing",
        "subtype": {"display_name": "Proofpoint TAP: Phish", "name": "proofpoint_tap_phish"},
        "tactic": {"id": "TA0001", "name": "Initial Access"},
        "tags": ["Proofpoint TAP"],
        "technique": {"id": "T1566", "name": "Phishing"},
        "ttps": [{"tactic": {"id": "TA0001", "name": "Initial Access"}, "technique": {"id": "T1566", "name": "Phishing"}}],
        "xdr_killchain_stage": "Initial Attempts",
        "xdr_killchain_version": "v1"
    });
    let source = json!({
        "detected_fields": ["email.from.address"],
        "detected_values": ["sender@example.com"],
        "event_score": 10,
        "event_source": "proofpoint_tap",
        "event_status": "New",
        "fidelity": 10,
        "msg_class": "proofpoint_tap_event",
        "msg_origin": {
            "category": "email",
            "processor": {"id": "659f34c1ba3f87505be3c33d", "name": "proofpoint_tap", "type": "log_collector"},
            "source": "proofpoint_tap",
            "vendor": "proofpoint"
        },
        "orig_id": "c1udWI4BgU-RVXJ6pL6v",
        "severity": 10,
        "srcip": "203.0.113.9",
        "srcip_geo": {"countryCode": "JP", "latitude": 35.6906},
        "stellar": {"detection_time": 81214, "status": "New"},
        "tenant_name": "QA",
        "tenantid": TENANT,
        "threat_score": 0,
        "timestamp": 1710755712000_i64,
        "write_time": 1710883791406_i64,
        "xdr_event": xdr_event
    });
    json!({
        "took": 6,
        "timed_out": false,
        "_shards": {"total": 2, "successful": 2, "skipped": 0, "failed": 0},
        "hits": {
            "total": {"value": 1, "relation": "eq"},
            "max_score": 1.0,
            "hits": [{
                "_index": "stellar-index-v1-ser-0001-2024.03.07-000033",
                "_type": "_doc",
                "_id": "1710883791406342b1f41b2247774d60bf035a6f98e5ff21",
                "_score": 1.0,
                "_source": source
            }]
        }
    })
}

#[tokio::test]
async fn a_recorded_alert_search_decodes_and_its_source_reads_as_an_alert() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/connect/api/data/aella-ser-%2A/_search",
        recorded_alert_search(),
    )
    .await;
    let params = SearchDataParams {
        q: Some("_id:1710883791406342b1f41b2247774d60bf035a6f98e5ff21".into()),
        ..Default::default()
    };
    let result = client
        .search_data("aella-ser-*", &params)
        .await
        .expect("searched");
    assert_eq!(
        received(&server).await.url.query(),
        Some("q=_id%3A1710883791406342b1f41b2247774d60bf035a6f98e5ff21")
    );
    let hit = result.hits.expect("hits").hits.expect("hit list").remove(0);
    let source = hit.source.expect("source");
    let alert: stellar_cyber_client::types::Alert =
        serde_json::from_value(Value::Object(source)).expect("an alert");
    let xdr = alert.xdr_event.expect("xdr_event");
    assert_eq!(xdr.tactic.and_then(|t| t.id).as_deref(), Some("TA0001"));
    assert_eq!(xdr.ttps.expect("ttps")[0]["technique"]["id"], "T1566");
    assert_eq!(alert.stellar.and_then(|s| s.detection_time), Some(81214));
    assert_eq!(alert.write_time, Some(1710883791406));
    assert_eq!(alert.event_score, Some(10.0));
    assert_eq!(
        alert.additional_properties.value("event_source"),
        Some(json!("proofpoint_tap"))
    );
}

#[tokio::test]
async fn scroll_data_sends_the_scroll_id_in_a_get_body() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/connect/api/data/_search/scroll",
        search_json(Some("scroll-1"), &[]),
    )
    .await;
    let result = client
        .scroll_data(&ScrollRequest::new("1m".into(), "scroll-1".into()))
        .await
        .expect("scrolled");
    let request = received(&server).await;
    assert_eq!(
        json_body(&request),
        json!({"scroll": "1m", "scroll_id": "scroll-1"})
    );
    assert_eq!(result.hits.and_then(|h| h.hits).map(|h| h.len()), Some(0));
}

// ----- tenants and users -----

#[tokio::test]
async fn list_tenants_asks_for_fields() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/connect/api/v1/tenants",
        json!({"data": [{"cust_id": TENANT, "cust_name": "Acme Corp", "tgrp_name": "EMEA", "contact": "it@acme.example"}]}),
    )
    .await;
    let params = ListTenantsParams {
        fields: Some(vec![
            "cust_id".into(),
            "cust_name".into(),
            "tgrp_name".into(),
        ]),
    };
    let tenants = client.list_tenants(&params).await.expect("tenants");
    assert_eq!(
        received(&server).await.url.query(),
        Some("fields=cust_id,cust_name,tgrp_name")
    );
    assert_eq!(tenants.data[0].cust_name.as_deref(), Some("Acme Corp"));
    assert_eq!(tenants.data[0].tgrp_name.as_deref(), Some("EMEA"));
}

#[tokio::test]
async fn get_tenant_reads_one_tenant() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        &format!("/connect/api/v1/tenants/{TENANT}"),
        json!({"data": {"cust_id": TENANT, "cust_name": "Acme Corp", "tgrp_name": ""}}),
    )
    .await;
    let tenant = client.get_tenant(TENANT).await.expect("tenant");
    assert_eq!(received(&server).await.url.query(), None);
    assert_eq!(tenant.data.cust_id.as_deref(), Some(TENANT));
    assert_eq!(tenant.data.cust_name.as_deref(), Some("Acme Corp"));
}

#[tokio::test]
async fn list_user_activities_sends_the_window_and_keeps_each_entry() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/connect/api/v1/user_activities",
        json!({"activities": [{"Activity": "add user", "module": "User", "Data": "soc@example.com", "Timestamps": 1700000500000_i64}]}),
    )
    .await;
    let params = ListUserActivitiesParams {
        sort: Some("Timestamps".into()),
        order: Some(SortOrder::Asc),
        activity: Some("add user".into()),
        module: Some("User".into()),
        from_timestamps: Some(1700000000000),
        to_timestamps: Some(1700086400000),
        ..Default::default()
    };
    let activities = client
        .list_user_activities(&params)
        .await
        .expect("activities");
    assert_eq!(
        received(&server).await.url.query(),
        Some("sort=Timestamps&order=asc&Activity=add%20user&module=User&FROM~Timestamps=1700000000000&TO~Timestamps=1700086400000")
    );
    assert_eq!(activities.activities[0]["Activity"], "add user");
    assert_eq!(activities.activities[0]["Timestamps"], 1700000500000_i64);
}

fn user_json() -> Value {
    json!({"user_id": "0b6b9e3c1f7d4a7f9c2e5d8a1b3c4d5e", "email": "soc@example.com", "priv_profile_id": "5e1b8f1f4d1a39a3b2c4d5e6"})
}

#[tokio::test]
async fn users_are_listed_read_updated_and_deleted() {
    let user_route = "/connect/api/v1/users/0b6b9e3c1f7d4a7f9c2e5d8a1b3c4d5e";
    let user_id = "0b6b9e3c1f7d4a7f9c2e5d8a1b3c4d5e";

    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/connect/api/v1/users",
        json!({"data": [user_json()]}),
    )
    .await;
    let users = client.list_users().await.expect("users");
    assert_eq!(received(&server).await.url.query(), None);
    assert_eq!(users.data[0].email.as_deref(), Some("soc@example.com"));

    let (server, client) = setup().await;
    expect(&server, "GET", user_route, json!({"data": user_json()})).await;
    let user = client.get_user(user_id).await.expect("user");
    assert_eq!(received(&server).await.body.len(), 0);
    assert_eq!(user.data.user_id.as_deref(), Some(user_id));

    let (server, client) = setup().await;
    let mut updated = user_json();
    updated["priv_profile_id"] = json!("analyst-profile");
    expect(&server, "PATCH", user_route, json!({"data": updated})).await;
    let user = client
        .update_user(user_id, &UserUpdate::new("analyst-profile".into()))
        .await
        .expect("updated");
    assert_eq!(
        json_body(&received(&server).await),
        json!({"priv_profile_id": "analyst-profile"})
    );
    assert_eq!(
        user.data.priv_profile_id.as_deref(),
        Some("analyst-profile")
    );

    let (server, client) = setup().await;
    expect(&server, "DELETE", user_route, json!({"data": "deleted"})).await;
    let deleted = client.delete_user(user_id).await.expect("deleted");
    assert!(received(&server).await.body.is_empty());
    assert_eq!(deleted["data"], "deleted");
}

// ----- usage -----

#[tokio::test]
async fn list_storage_usages_reads_daily_usage() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/connect/api/v1/storage-usages",
        json!({"data": [{"time": "2026-11-22", "total_usage": 42.25, "usages": [{"tenant_name": "Acme Corp", "usage": 12.5}]}]}),
    )
    .await;
    let params = ListStorageUsagesParams {
        aggr_type: Some(StorageAggregation::TenantIndex),
        cust_id: Some(TENANT.into()),
    };
    let usage = client.list_storage_usages(&params).await.expect("usage");
    assert_eq!(
        received(&server).await.url.query(),
        Some("aggr_type=tenant_index&cust_id=817418af76d44358922636e34be9627c")
    );
    let day = &usage.data[0];
    assert_eq!(day.time, chrono::NaiveDate::from_ymd_opt(2026, 11, 22));
    assert_eq!(day.total_usage, Some(42.25));
    assert_eq!(day.usages.as_ref().expect("usages")[0].usage, Some(12.5));
}

#[tokio::test]
async fn ingestion_stats_are_read_per_sensor_and_per_connector() {
    let body = json!({"data": [{"entry_identifier": "sensor-01", "total_ingestion": 1073741824_i64, "tenant_name": "Acme Corp"}]});
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/connect/api/v1/ingestion-stats/sensor",
        body.clone(),
    )
    .await;
    let stats = client
        .get_sensor_ingestion_stats(&GetSensorIngestionStatsParams {
            cust_id: Some(TENANT.into()),
            start_time: Some(1700000000000),
            end_time: Some(1700086400000),
        })
        .await
        .expect("stats");
    assert_eq!(
        received(&server).await.url.query(),
        Some("cust_id=817418af76d44358922636e34be9627c&start_time=1700000000000&end_time=1700086400000")
    );
    assert_eq!(stats.data[0].entry_identifier.as_deref(), Some("sensor-01"));
    assert_eq!(stats.data[0].total_ingestion, Some(1073741824));

    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/connect/api/v1/ingestion-stats/connector",
        body,
    )
    .await;
    let stats = client
        .get_connector_ingestion_stats(&GetConnectorIngestionStatsParams {
            start_time: Some(1700000000000),
            end_time: Some(1700086400000),
            ..Default::default()
        })
        .await
        .expect("stats");
    assert_eq!(
        received(&server).await.url.query(),
        Some("start_time=1700000000000&end_time=1700086400000")
    );
    assert_eq!(
        stats.data[0].additional_properties.value("tenant_name"),
        Some(json!("Acme Corp"))
    );
}

// ----- connectors and sensors -----

#[tokio::test]
async fn list_connectors_reads_the_top_level_list() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/connect/api/v1/connectors",
        json!({"connectors": [{
            "_id": "64a7f0c2e4b0a1d2c3e4f5a1", "name": "Office 365", "active": true,
            "type": "office365", "category": "saas", "tenantid": TENANT,
            "last_activity": 1700003600000_i64, "last_data_received": null,
            "status": {"code": 0, "message": "OK"}
        }], "total": 1}),
    )
    .await;
    let connectors = client
        .list_connectors(&ListConnectorsParams {
            cust_id: Some(TENANT.into()),
        })
        .await
        .expect("connectors");
    assert_eq!(
        received(&server).await.url.query(),
        Some(format!("cust_id={TENANT}").as_str())
    );
    assert_eq!(connectors.total, Some(1));
    let connector = &connectors.connectors[0];
    assert_eq!(connector.id.as_deref(), Some("64a7f0c2e4b0a1d2c3e4f5a1"));
    assert_eq!(connector.active, Some(true));
    assert_eq!(connector.last_data_received, Some(None));
    assert_eq!(
        connector.status.as_ref().and_then(|s| s.message.as_deref()),
        Some("OK")
    );
}

#[tokio::test]
async fn list_data_sensors_reads_the_sensors() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/connect/api/v1/data_sensors",
        json!({"sensors": [{
            "sensor_id": "1f2e3d4c5b6a79881f2e3d4c5b6a7988", "hostname": "sensor-01",
            "feature": "ds", "mode": "agent", "os": "linux", "sw_version": "5.5.0",
            "connection_status": "connected", "sensor_profile_name": "default"
        }]}),
    )
    .await;
    let sensors = client
        .list_data_sensors(&ListDataSensorsParams::default())
        .await
        .expect("sensors");
    assert_eq!(received(&server).await.url.query(), None);
    let sensor = &sensors.sensors[0];
    assert_eq!(sensor.hostname.as_deref(), Some("sensor-01"));
    assert_eq!(sensor.connection_status.as_deref(), Some("connected"));
    assert_eq!(sensor.sw_version.as_deref(), Some("5.5.0"));
}

// ----- errors and tolerance -----

#[tokio::test]
async fn an_error_status_keeps_status_and_body() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("/connect/api/v1/cases/{CASE_ID}")))
        .respond_with(ResponseTemplate::new(404).set_body_string("{\"error\": \"Case not found\"}"))
        .mount(&server)
        .await;
    let error = client
        .get_case(&CASE_ID.to_owned())
        .await
        .expect_err("not found");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    let Error::Status(status) = &error else {
        panic!("not a status error: {error}");
    };
    assert_eq!(status.operation, "get_case");
    assert_eq!(status.body_json().expect("JSON")["error"], "Case not found");

    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/connect/api/v1/storage-usages"))
        .respond_with(ResponseTemplate::new(403).set_body_string("Forbidden: root scope required"))
        .mount(&server)
        .await;
    let error = client
        .list_storage_usages(&ListStorageUsagesParams::default())
        .await
        .expect_err("forbidden");
    let Error::Status(status) = &error else {
        panic!("not a status error: {error}");
    };
    assert_eq!(status.status.as_u16(), 403);
    assert_eq!(status.body_text(), "Forbidden: root scope required");
    assert!(!format!("{error:?}").contains(JWT));
    assert!(!format!("{error:?}").contains(API_KEY));
}

#[tokio::test]
async fn unknown_members_and_enum_values_are_tolerated() {
    let (server, client) = setup().await;
    let mut case = case_json();
    case["status"] = json!("Reopened");
    case["severity"] = json!("Informational");
    case["resolution"] = json!("Duplicate");
    case["sla"] = json!({"breached": false});
    expect(
        &server,
        "GET",
        &format!("/connect/api/v1/cases/{CASE_ID}"),
        json!({"data": case, "request_id": "r-1"}),
    )
    .await;
    let response = client.get_case(&CASE_ID.to_owned()).await.expect("case");
    let case = &response.data;
    assert_eq!(case.status, Some(CaseStatus::Unknown("Reopened".into())));
    assert_eq!(
        case.severity,
        Some(Severity::Unknown("Informational".into()))
    );
    assert_eq!(
        case.resolution,
        Some(CaseResolution::Unknown("Duplicate".into()))
    );
    assert_eq!(
        case.additional_properties.value("sla"),
        Some(json!({"breached": false}))
    );
    assert_eq!(
        response.additional_properties.value("request_id"),
        Some(json!("r-1"))
    );
    // Sent back, the unknown values are unchanged.
    let echoed = serde_json::to_value(case).expect("serializes");
    assert_eq!(echoed["status"], "Reopened");
    assert_eq!(echoed["sla"]["breached"], false);
}

#[tokio::test]
async fn servers_and_default_base_url_follow_the_spec() {
    assert_eq!(
        stellar_cyber_client::DEFAULT_BASE_URL,
        "https://myserver.stellarcyber.cloud"
    );
    let urls: Vec<&str> = stellar_cyber_client::SERVERS
        .iter()
        .map(|s| s.url)
        .collect();
    assert_eq!(urls, ["https://myserver.stellarcyber.cloud"]);
}
