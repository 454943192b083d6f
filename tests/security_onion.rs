//! The generated security-onion client against a wiremock server on 127.0.0.1: the OAuth2
//! client-credentials exchange, and every operation's request shape (method, path, query,
//! Authorization header, body) and response decoding.

use clientgen_runtime::FilePart;
use security_onion_client::operations::{
    AcknowledgeEventsParams, BulkUpdateDetectionsResponse, CreateDetectionResponse, GetCaseParams,
    GetInfoParams, ListCaseArtifactsParams, ListJobPacketsParams, ListJobsParams,
    SearchEventsParams, UpdateDetectionResponse,
};
use security_onion_client::types::{
    ApiClient, ArtifactGroupType, ArtifactUpload, AttachEventCriteria, BulkAction, BulkOperation,
    Case, CaseSeverity, CaseStatus, Comment, Detection, DetectionComment, DetectionEngine,
    DetectionLanguage, DetectionSeverity, EventAckCriteria, GridImportUpload, GridMemberOperation,
    GridMemberStatus, Job, JobFilter, JobStatus, OverrideNote, OverrideType, PasswordReset,
    SyncEngine, SyncType, TokenRequest, TokenRequestGrantType, User, UserToggle,
};
use security_onion_client::{Client, Error};
use serde_json::{json, Value};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const CLIENT_ID: &str = "socl_my_new_client";
const CLIENT_SECRET: &str = "hwKHspsX2bMuoIs7kGwN";
/// base64("socl_my_new_client:hwKHspsX2bMuoIs7kGwN")
const BASIC: &str = "Basic c29jbF9teV9uZXdfY2xpZW50Omh3S0hzcHNYMmJNdW9JczdrR3dO";
const TOKEN: &str = "ory_at_xI1_2FVvoWR60GHAXZXAcDW7V3qEi2mIB8RKnpqN0fk.Hy5LaHPqh9sfWVEtDXDhs8Gj";
const CASE_ID: &str = "7x2zSpQBvKeAEj9aX3ry";
const DETECTION_ID: &str = "zC73PJABrNRFAsnEYkqy";
const ARTIFACT_ID: &str = "Vt5zSpQBvKeAEj9aH6uB";
const USER_ID: &str = "83656890-2acd-4c0b-8ab9-ea1ee1d3f6ed";

/// A mock server with the Hydra token endpoint, and a client using client credentials.
struct Api {
    server: MockServer,
    client: Client,
}

async fn setup() -> Api {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(header("authorization", BASIC))
        .and(body_string("grant_type=client_credentials"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": TOKEN,
            "expires_in": 3599,
            "scope": "",
            "token_type": "bearer"
        })))
        .expect(1)
        .named("token exchange")
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .build()
        .expect("valid configuration");
    Api { server, client }
}

impl Api {
    /// Expects one `verb route` call carrying the bearer token, answered with `status` and a JSON
    /// `body` (none when `Value::Null`).
    async fn expect(&self, verb: &str, route: &str, status: u16, body: Value) {
        let mut response = ResponseTemplate::new(status);
        if !body.is_null() {
            response = response.set_body_json(body);
        }
        self.respond(verb, route, response).await;
    }

    async fn respond(&self, verb: &str, route: &str, response: ResponseTemplate) {
        Mock::given(method(verb))
            .and(path(route))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(response)
            .expect(1)
            .mount(&self.server)
            .await;
    }

    /// The one API request the server saw (the token exchange aside), checked for the token.
    async fn request(&self) -> Request {
        let requests: Vec<Request> = self
            .server
            .received_requests()
            .await
            .expect("recording is on")
            .into_iter()
            .filter(|r| r.url.path() != "/oauth2/token")
            .collect();
        assert_eq!(requests.len(), 1, "expected exactly one API request");
        let request = requests.into_iter().next().expect("one");
        assert_eq!(
            request.headers["authorization"],
            format!("Bearer {TOKEN}").as_str()
        );
        request
    }
}

fn assert_call(request: &Request, verb: &str, route: &str, query: Option<&str>) {
    assert_eq!(request.method.as_str(), verb);
    assert_eq!(request.url.path(), route);
    assert_eq!(request.url.query(), query);
}

fn json_body(request: &Request) -> Value {
    assert_eq!(request.headers["content-type"], "application/json");
    serde_json::from_slice(&request.body).expect("JSON body")
}

fn no_body(request: &Request) {
    assert!(request.body.is_empty(), "unexpected body");
}

fn grid(id: &str) -> Option<String> {
    Some(id.to_owned())
}

// ------------------------------------------------------------------------------------------
// fixtures
// ------------------------------------------------------------------------------------------

fn case_json() -> Value {
    json!({
        "id": CASE_ID,
        "createTime": "2024-12-04T20:15:00Z",
        "updateTime": "2024-12-04T20:20:00.123456789Z",
        "kind": "case",
        "operation": "update",
        "userId": CLIENT_ID,
        "title": "Suspicious MySQL scanning",
        "description": "Repeated inbound connections to port 3306.",
        "priority": 2,
        "severity": "high",
        "status": "in progress",
        "tags": ["scan", "mysql"],
        "tlp": "amber",
        "pap": "amber",
        "category": "reconnaissance",
        "assigneeId": USER_ID,
        "startTime": "2024-12-04T19:00:00Z",
        "completeTime": "0001-01-01T00:00:00Z",
        "someFieldFromANewerRelease": {"x": 1}
    })
}

fn comment_json() -> Value {
    json!({
        "id": "Lb3zSpQBvKeAEj9aF4s1",
        "createTime": "2024-12-04T20:16:00Z",
        "kind": "comment",
        "userId": CLIENT_ID,
        "caseId": CASE_ID,
        "description": "Blocked at the firewall.",
        "hours": 0.5
    })
}

fn artifact_json() -> Value {
    json!({
        "id": ARTIFACT_ID,
        "caseId": CASE_ID,
        "groupType": "evidence",
        "artifactType": "ip",
        "value": "203.0.113.7",
        "ioc": true,
        "tlp": "amber",
        "tags": ["scanner"],
        "protected": false
    })
}

fn file_artifact_json() -> Value {
    json!({
        "id": ARTIFACT_ID,
        "caseId": CASE_ID,
        "groupType": "attachments",
        "artifactType": "file",
        "value": "capture.pcap",
        "streamId": "Wb6zSpQBvKeAEj9aI7vC",
        "streamLength": 2048,
        "mimeType": "application/vnd.tcpdump.pcap",
        "md5": "9e107d9d372bb6826bd81d3542a419d6",
        "sha256": "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"
    })
}

fn detection_json() -> Value {
    json!({
        "id": DETECTION_ID,
        "createTime": "2024-06-20T14:02:11Z",
        "publicId": "2038279",
        "title": "ET SCAN Suspicious inbound to mySQL port 3306",
        "severity": "high",
        "author": "Emerging Threats",
        "content": "alert tcp any any -> any 3306 (sid:2038279;)",
        "isEnabled": true,
        "isReporting": true,
        "isCommunity": true,
        "engine": "suricata",
        "language": "suricata",
        "ruleset": "ETOPEN",
        "tags": ["scan"],
        "overrides": [{
            "type": "suppress",
            "isEnabled": true,
            "createdAt": "2024-12-01T09:00:00Z",
            "note": "Internal scanner",
            "ip": "10.0.0.5/32",
            "track": "by_src"
        }]
    })
}

fn detection_comment_json() -> Value {
    json!({
        "id": "pX91PJABrNRFAsnEa1b2",
        "createTime": "2024-12-04T20:31:00Z",
        "userId": CLIENT_ID,
        "detectionId": DETECTION_ID,
        "value": "Tuned the threshold."
    })
}

fn job_json() -> Value {
    json!({
        "id": 1001,
        "createTime": "2024-12-04T20:45:00Z",
        "completeTime": "2024-12-04T20:45:30Z",
        "kind": "",
        "status": 1,
        "failCount": 0,
        "nodeId": "sensor01_sensor",
        "filter": {
            "beginTime": "2024-12-04T20:00:00Z",
            "endTime": "2024-12-04T20:05:00Z",
            "srcIp": "203.0.113.7",
            "dstIp": "10.0.0.20",
            "dstPort": 3306,
            "protocol": "tcp"
        },
        "fileExtension": "pcap",
        "size": 48213
    })
}

fn user_json() -> Value {
    json!({
        "id": USER_ID,
        "email": "analyst@example.org",
        "firstName": "Ada",
        "lastName": "Lovelace",
        "roles": ["analyst"],
        "status": "",
        "totpStatus": "enabled"
    })
}

fn api_client_json(secret: bool) -> Value {
    let mut value = json!({
        "id": CLIENT_ID,
        "name": "My new client",
        "note": "SOAR integration",
        "permissions": ["events/read", "cases/write"],
        "searchUsername": "so_client_my_new_client",
        "createTime": "2024-12-01T09:00:00Z"
    });
    if secret {
        value["secret"] = json!("bRANDnewSECRET123");
    }
    value
}

// ------------------------------------------------------------------------------------------
// auth
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_token_is_fetched_once_with_basic_auth_and_reused_as_bearer() {
    let api = setup().await;
    Mock::given(method("GET"))
        .and(path("/connect/info/"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"version": "2.4.110"})))
        .expect(2)
        .mount(&api.server)
        .await;
    for _ in 0..2 {
        let info = api
            .client
            .get_info(&GetInfoParams::default())
            .await
            .expect("info");
        assert_eq!(info.version.as_deref(), Some("2.4.110"));
    }
    let token_requests: Vec<Request> = api
        .server
        .received_requests()
        .await
        .expect("recording")
        .into_iter()
        .filter(|r| r.url.path() == "/oauth2/token")
        .collect();
    assert_eq!(token_requests.len(), 1);
    let token_request = &token_requests[0];
    assert_eq!(token_request.method.as_str(), "POST");
    assert_eq!(token_request.headers["authorization"], BASIC);
    assert_eq!(
        token_request.headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(token_request.body, b"grant_type=client_credentials");
}

#[tokio::test]
async fn create_access_token_posts_the_form_with_basic_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": TOKEN,
            "expires_in": 3599,
            "scope": "",
            "token_type": "bearer"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .basic_auth(CLIENT_ID, CLIENT_SECRET)
        .build()
        .expect("valid");
    let token = client
        .create_access_token(&TokenRequest::new(TokenRequestGrantType::ClientCredentials))
        .await
        .expect("token");
    assert_eq!(token.access_token, TOKEN);
    assert_eq!(token.expires_in, Some(3599));
    assert_eq!(token.scope.as_deref(), Some(""));
    assert_eq!(token.token_type, "bearer");
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 1);
    assert_call(&requests[0], "POST", "/oauth2/token", None);
    assert_eq!(requests[0].headers["authorization"], BASIC);
    assert_eq!(
        requests[0].headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(requests[0].body, b"grant_type=client_credentials");
}

#[tokio::test]
async fn a_rejected_secret_surfaces_as_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client",
            "error_description": "Client authentication failed."
        })))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .client_credentials(CLIENT_ID, "wrong")
        .build()
        .expect("valid");
    let error = client
        .get_info(&GetInfoParams::default())
        .await
        .expect_err("no token");
    assert!(!format!("{error:?}").contains("wrong"), "{error:?}");
    let requests = server.received_requests().await.expect("recording");
    assert!(requests.iter().all(|r| r.url.path() == "/oauth2/token"));
}

// ------------------------------------------------------------------------------------------
// info and events
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_info_targets_a_subgrid_and_decodes_the_license() {
    let api = setup().await;
    api.expect(
        "GET",
        "/connect/info/",
        200,
        json!({
            "version": "2.4.110",
            "elasticVersion": "8.17.3",
            "licenseKey": {
                "licensee": "Example Corp",
                "expiration": "2027-01-31T00:00:00Z",
                "nodes": 25,
                "features": ["api", "oidc"]
            },
            "licenseStatus": "active",
            "parameters": {"webSocketTimeoutMs": 15000},
            "subgrids": [{"id": "subgrid-east", "managerUrl": "https://subgrid-east.example", "enabled": true}],
            "timezones": ["UTC", "Europe/Paris"],
            "userId": CLIENT_ID
        }),
    )
    .await;
    let params = GetInfoParams {
        grid_id: grid("subgrid-east"),
    };
    let info = api.client.get_info(&params).await.expect("info");
    let request = api.request().await;
    assert_call(
        &request,
        "GET",
        "/connect/info/",
        Some("gridId=subgrid-east"),
    );
    no_body(&request);
    assert_eq!(info.elastic_version.as_deref(), Some("8.17.3"));
    let key = info.license_key.expect("license key");
    assert_eq!(key.licensee.as_deref(), Some("Example Corp"));
    assert_eq!(key.nodes, Some(25));
    assert_eq!(
        key.features.as_deref(),
        Some(&["api".to_owned(), "oidc".to_owned()][..])
    );
    let subgrids = info.subgrids.expect("subgrids");
    assert_eq!(subgrids[0].id.as_deref(), Some("subgrid-east"));
    assert_eq!(subgrids[0].enabled, Some(true));
    assert_eq!(
        info.parameters.expect("parameters")["webSocketTimeoutMs"],
        15000
    );
    assert_eq!(info.user_id.as_deref(), Some(CLIENT_ID));
}

#[tokio::test]
async fn search_events_sends_every_criterion_and_decodes_one_object() {
    let api = setup().await;
    api.expect(
        "GET",
        "/connect/events/",
        200,
        json!({
            "createTime": "2024-12-04T20:09:31.123Z",
            "completeTime": "2024-12-04T20:09:31.456Z",
            "elapsedMs": 333,
            "errors": [],
            "criteria": {"query": "event.dataset:alert", "eventLimit": 25, "BeginTime": "2024-12-03T15:09:31-05:00", "EndTime": "2024-12-04T15:09:31-05:00"},
            "totalEvents": 1542,
            "events": [{
                "id": "Xk2sjZMBvKeAEj9aJ1qQ",
                "source": "manager:.ds-logs-suricata",
                "Time": "2024-12-04T20:01:02.345Z",
                "score": 1.0,
                "payload": {"source.ip": "203.0.113.7", "event.dataset": "alert"},
                "sort": [1733342462345_i64]
            }],
            "metrics": {"groupby_0|rule.name": [{"keys": ["ET SCAN"], "value": 42}]}
        }),
    )
    .await;
    let params = SearchEventsParams::new(
        "event.dataset:alert | groupby rule.name".into(),
        "2024/12/03 03:09:31 PM - 2024/12/04 03:09:31 PM".into(),
        "America/New_York".into(),
        "2006/01/02 3:04:05 PM".into(),
        10,
        25,
    );
    let results = api.client.search_events(&params).await.expect("results");
    let request = api.request().await;
    let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(
        query,
        vec![
            (
                "query".into(),
                "event.dataset:alert | groupby rule.name".into()
            ),
            (
                "range".into(),
                "2024/12/03 03:09:31 PM - 2024/12/04 03:09:31 PM".into()
            ),
            ("zone".into(), "America/New_York".into()),
            ("format".into(), "2006/01/02 3:04:05 PM".into()),
            ("metricLimit".into(), "10".into()),
            ("eventLimit".into(), "25".into()),
        ]
    );
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/connect/events/");
    assert_eq!(results.total_events, Some(1542));
    let events = results.events.expect("events");
    assert_eq!(events[0].id.as_deref(), Some("Xk2sjZMBvKeAEj9aJ1qQ"));
    assert_eq!(
        events[0].payload.as_ref().expect("payload")["source.ip"],
        "203.0.113.7"
    );
    let metrics = results.metrics.expect("metrics");
    assert_eq!(metrics["groupby_0|rule.name"][0].value, Some(42));
    assert_eq!(
        events[0].time.expect("time").to_rfc3339(),
        "2024-12-04T20:01:02.345+00:00"
    );
    // SOC sends the untagged Go fields of the criteria under their Go names.
    let criteria = results.criteria.expect("criteria");
    assert_eq!(
        criteria.begin_time.expect("begin").to_rfc3339(),
        "2024-12-03T20:09:31+00:00"
    );
}

#[tokio::test]
async fn search_events_pages_with_search_after() {
    let api = setup().await;
    api.expect(
        "GET",
        "/connect/events/",
        200,
        json!({"totalEvents": 1542, "events": []}),
    )
    .await;
    let params = SearchEventsParams {
        search_after: Some(r#"[1733342462345,"Xk2sjZMBvKeAEj9aJ1qQ"]"#.into()),
        ..SearchEventsParams::new(
            "event.dataset:alert".into(),
            "2024/12/03 03:09:31 PM - 2024/12/04 03:09:31 PM".into(),
            "UTC".into(),
            "2006/01/02 3:04:05 PM".into(),
            0,
            25,
        )
    };
    let results = api.client.search_events(&params).await.expect("results");
    let request = api.request().await;
    let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(
        query.last(),
        Some(&(
            "searchAfter".to_owned(),
            r#"[1733342462345,"Xk2sjZMBvKeAEj9aJ1qQ"]"#.to_owned()
        ))
    );
    assert_eq!(results.events.as_deref().map(<[_]>::len), Some(0));
}

#[tokio::test]
async fn acknowledge_events_posts_the_criteria() {
    let api = setup().await;
    api.expect(
        "POST",
        "/connect/events/ack",
        200,
        json!({"updatedCount": 42, "unchangedCount": 3, "elapsedMs": 1000, "errors": []}),
    )
    .await;
    let mut body = EventAckCriteria::new(
        json!({"source.ip": "203.0.113.7"})
            .as_object()
            .cloned()
            .expect("object"),
    );
    body.search_filter = Some("event.dataset:alert".into());
    body.date_range = Some("2024/12/03 03:09:31 PM - 2024/12/04 03:09:31 PM".into());
    body.date_range_format = Some("2006/01/02 3:04:05 PM".into());
    body.timezone = Some("America/New_York".into());
    body.acknowledge = Some(true);
    body.escalate = Some(false);
    let results = api
        .client
        .acknowledge_events(&AcknowledgeEventsParams::default(), &body)
        .await
        .expect("acknowledged");
    let request = api.request().await;
    assert_call(&request, "POST", "/connect/events/ack", None);
    assert_eq!(
        json_body(&request),
        json!({
            "searchFilter": "event.dataset:alert",
            "eventFilter": {"source.ip": "203.0.113.7"},
            "dateRange": "2024/12/03 03:09:31 PM - 2024/12/04 03:09:31 PM",
            "dateRangeFormat": "2006/01/02 3:04:05 PM",
            "timezone": "America/New_York",
            "escalate": false,
            "acknowledge": true
        })
    );
    assert_eq!(results.updated_count, Some(42));
    assert_eq!(results.unchanged_count, Some(3));
}

// ------------------------------------------------------------------------------------------
// cases
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn create_case_posts_the_case_and_decodes_it() {
    let api = setup().await;
    api.expect("POST", "/connect/case/", 200, case_json()).await;
    let body = Case {
        title: Some("Suspicious MySQL scanning".into()),
        description: Some("Repeated inbound connections to port 3306.".into()),
        severity: Some(CaseSeverity::High),
        status: Some(CaseStatus::New),
        tags: Some(vec!["scan".into()]),
        ..Default::default()
    };
    let created = api
        .client
        .create_case(&Default::default(), &body)
        .await
        .expect("created");
    let request = api.request().await;
    assert_call(&request, "POST", "/connect/case/", None);
    assert_eq!(
        json_body(&request),
        json!({
            "title": "Suspicious MySQL scanning",
            "description": "Repeated inbound connections to port 3306.",
            "severity": "high",
            "status": "new",
            "tags": ["scan"]
        })
    );
    assert_eq!(created.id.as_deref(), Some(CASE_ID));
    assert_eq!(created.status, Some(CaseStatus::InProgress));
    assert_eq!(created.priority, Some(2));
    assert_eq!(
        created.create_time.expect("time").to_rfc3339(),
        "2024-12-04T20:15:00+00:00"
    );
}

#[tokio::test]
async fn update_case_puts_the_case_with_its_id() {
    let api = setup().await;
    let mut closed = case_json();
    closed["status"] = json!("closed");
    api.expect("PUT", "/connect/case/", 200, closed).await;
    let body = Case {
        id: Some(CASE_ID.into()),
        title: Some("Suspicious MySQL scanning".into()),
        status: Some(CaseStatus::Closed),
        ..Default::default()
    };
    let params = security_onion_client::operations::UpdateCaseParams {
        grid_id: grid("subgrid-east"),
    };
    let updated = api
        .client
        .update_case(&params, &body)
        .await
        .expect("updated");
    let request = api.request().await;
    assert_call(
        &request,
        "PUT",
        "/connect/case/",
        Some("gridId=subgrid-east"),
    );
    assert_eq!(
        json_body(&request),
        json!({"id": CASE_ID, "title": "Suspicious MySQL scanning", "status": "closed"})
    );
    assert_eq!(updated.status, Some(CaseStatus::Closed));
}

#[tokio::test]
async fn get_case_tolerates_unknown_members_and_enum_values() {
    let api = setup().await;
    let mut case = case_json();
    case["status"] = json!("on hold");
    case["severity"] = json!("catastrophic");
    api.expect("GET", &format!("/connect/case/{CASE_ID}"), 200, case)
        .await;
    let case = api
        .client
        .get_case(CASE_ID, &GetCaseParams::default())
        .await
        .expect("case");
    let request = api.request().await;
    assert_call(&request, "GET", &format!("/connect/case/{CASE_ID}"), None);
    no_body(&request);
    assert_eq!(case.status, Some(CaseStatus::Unknown("on hold".into())));
    assert_eq!(
        case.severity,
        Some(CaseSeverity::Unknown("catastrophic".into()))
    );
    assert_eq!(case.title.as_deref(), Some("Suspicious MySQL scanning"));
    assert_eq!(case.assignee_id.as_deref(), Some(USER_ID));
}

#[tokio::test]
async fn a_plain_text_error_is_kept_as_a_status_error() {
    let api = setup().await;
    api.respond(
        "GET",
        &format!("/connect/case/{CASE_ID}"),
        ResponseTemplate::new(405)
            .insert_header("content-type", "text/plain; charset=utf-8")
            .set_body_string("ERROR_CASE_MODULE_NOT_ENABLED"),
    )
    .await;
    let error = api
        .client
        .get_case(CASE_ID, &GetCaseParams::default())
        .await
        .expect_err("module off");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(405));
    let Error::Status(status) = &error else {
        panic!("not a status error: {error}");
    };
    assert_eq!(status.body_text(), "ERROR_CASE_MODULE_NOT_ENABLED");
    assert!(error.to_string().contains("get_case"), "{error}");
    assert!(!format!("{error:?}").contains(TOKEN));
}

#[tokio::test]
async fn a_generic_plain_text_500_keeps_its_body() {
    let api = setup().await;
    api.respond(
        "GET",
        "/connect/grid/",
        ResponseTemplate::new(500)
            .insert_header("content-type", "text/plain")
            .set_body_string("The request could not be processed. Contact a server admin for assistance with reviewing error details in SOC logs."),
    )
    .await;
    let error = api
        .client
        .list_grid_nodes(&Default::default())
        .await
        .expect_err("server error");
    let Error::Status(status) = &error else {
        panic!("not a status error: {error}");
    };
    assert_eq!(status.status.as_u16(), 500);
    assert!(status
        .body_text()
        .starts_with("The request could not be processed"));
}

#[tokio::test]
async fn create_case_comment_returns_a_comment() {
    let api = setup().await;
    api.expect("POST", "/connect/case/comments", 200, comment_json())
        .await;
    let mut body = Comment::new(CASE_ID.into(), "Blocked at the firewall.".into());
    body.hours = Some(0.5);
    let comment = api
        .client
        .create_case_comment(&Default::default(), &body)
        .await
        .expect("comment");
    let request = api.request().await;
    assert_call(&request, "POST", "/connect/case/comments", None);
    assert_eq!(
        json_body(&request),
        json!({"caseId": CASE_ID, "description": "Blocked at the firewall.", "hours": 0.5})
    );
    assert_eq!(comment.id.as_deref(), Some("Lb3zSpQBvKeAEj9aF4s1"));
    assert_eq!(comment.hours, Some(0.5));
}

#[tokio::test]
async fn update_case_comment_puts_the_comment() {
    let api = setup().await;
    let mut edited = comment_json();
    edited["description"] = json!("Blocked and reported.");
    api.expect("PUT", "/connect/case/comments", 200, edited)
        .await;
    let mut body = Comment::new(CASE_ID.into(), "Blocked and reported.".into());
    body.id = Some("Lb3zSpQBvKeAEj9aF4s1".into());
    let comment = api
        .client
        .update_case_comment(&Default::default(), &body)
        .await
        .expect("comment");
    let request = api.request().await;
    assert_call(&request, "PUT", "/connect/case/comments", None);
    assert_eq!(
        json_body(&request),
        json!({"id": "Lb3zSpQBvKeAEj9aF4s1", "caseId": CASE_ID, "description": "Blocked and reported."})
    );
    assert_eq!(comment.description, "Blocked and reported.");
}

#[tokio::test]
async fn list_case_comments_takes_the_case_id() {
    let api = setup().await;
    api.expect(
        "GET",
        &format!("/connect/case/comments/{CASE_ID}"),
        200,
        json!([comment_json()]),
    )
    .await;
    let comments = api
        .client
        .list_case_comments(CASE_ID, &Default::default())
        .await
        .expect("comments");
    let request = api.request().await;
    assert_call(
        &request,
        "GET",
        &format!("/connect/case/comments/{CASE_ID}"),
        None,
    );
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0].case_id, CASE_ID);
}

#[tokio::test]
async fn delete_case_comment_takes_the_comment_id() {
    let api = setup().await;
    api.expect(
        "DELETE",
        "/connect/case/comments/Lb3zSpQBvKeAEj9aF4s1",
        200,
        Value::Null,
    )
    .await;
    api.client
        .delete_case_comment("Lb3zSpQBvKeAEj9aF4s1", &Default::default())
        .await
        .expect("deleted");
    let request = api.request().await;
    assert_call(
        &request,
        "DELETE",
        "/connect/case/comments/Lb3zSpQBvKeAEj9aF4s1",
        None,
    );
    no_body(&request);
}

#[tokio::test]
async fn attach_case_events_answers_202_with_a_count() {
    let api = setup().await;
    api.expect("POST", "/connect/case/events", 202, json!({"count": 3}))
        .await;
    let mut body = AttachEventCriteria::new(
        CASE_ID.into(),
        json!({"soc_id": "Xk2sjZMBvKeAEj9aJ1qQ"})
            .as_object()
            .cloned()
            .expect("object"),
    );
    body.date_range = Some("2024/12/03 03:09:31 PM - 2024/12/04 03:09:31 PM".into());
    body.date_range_format = Some("2006/01/02 3:04:05 PM".into());
    body.timezone = Some("UTC".into());
    body.acknowledged = Some(true);
    body.escalated = Some(false);
    let accepted = api
        .client
        .attach_case_events(&Default::default(), &body)
        .await
        .expect("accepted");
    let request = api.request().await;
    assert_call(&request, "POST", "/connect/case/events", None);
    assert_eq!(
        json_body(&request),
        json!({
            "caseId": CASE_ID,
            "fields": {"soc_id": "Xk2sjZMBvKeAEj9aJ1qQ"},
            "dateRange": "2024/12/03 03:09:31 PM - 2024/12/04 03:09:31 PM",
            "dateRangeFormat": "2006/01/02 3:04:05 PM",
            "timezone": "UTC",
            "acknowledged": true,
            "escalated": false
        })
    );
    assert_eq!(accepted.count, Some(3));
}

#[tokio::test]
async fn list_case_events_decodes_free_form_fields() {
    let api = setup().await;
    api.expect(
        "GET",
        &format!("/connect/case/events/{CASE_ID}"),
        200,
        json!([{
            "id": "Rq4zSpQBvKeAEj9aG5tA",
            "caseId": CASE_ID,
            "kind": "related",
            "fields": {"soc_id": "Xk2sjZMBvKeAEj9aJ1qQ", "source.port": 51234}
        }]),
    )
    .await;
    let events = api
        .client
        .list_case_events(CASE_ID, &Default::default())
        .await
        .expect("events");
    let request = api.request().await;
    assert_call(
        &request,
        "GET",
        &format!("/connect/case/events/{CASE_ID}"),
        None,
    );
    assert_eq!(events[0].fields["source.port"], 51234);
    assert_eq!(events[0].kind.as_deref(), Some("related"));
}

#[tokio::test]
async fn delete_case_event_takes_the_related_event_id() {
    let api = setup().await;
    api.expect(
        "DELETE",
        "/connect/case/events/Rq4zSpQBvKeAEj9aG5tA",
        200,
        Value::Null,
    )
    .await;
    api.client
        .delete_case_event("Rq4zSpQBvKeAEj9aG5tA", &Default::default())
        .await
        .expect("deleted");
    let request = api.request().await;
    assert_call(
        &request,
        "DELETE",
        "/connect/case/events/Rq4zSpQBvKeAEj9aG5tA",
        None,
    );
    no_body(&request);
}

#[tokio::test]
async fn create_case_artifact_posts_json() {
    let api = setup().await;
    api.expect("POST", "/connect/case/artifacts", 200, artifact_json())
        .await;
    let mut body = security_onion_client::types::Artifact::new(
        CASE_ID.into(),
        "ip".into(),
        "203.0.113.7".into(),
    );
    body.ioc = Some(true);
    body.group_type = Some("evidence".into());
    let artifact = api
        .client
        .create_case_artifact(&Default::default(), &body)
        .await
        .expect("artifact");
    let request = api.request().await;
    assert_call(&request, "POST", "/connect/case/artifacts", None);
    assert_eq!(
        json_body(&request),
        json!({"caseId": CASE_ID, "groupType": "evidence", "artifactType": "ip", "value": "203.0.113.7", "ioc": true})
    );
    assert_eq!(artifact.id.as_deref(), Some(ARTIFACT_ID));
    assert_eq!(artifact.ioc, Some(true));
}

#[tokio::test]
async fn upload_case_artifact_sends_the_json_and_attachment_parts() {
    let api = setup().await;
    api.expect("POST", "/connect/case/tasks", 200, file_artifact_json())
        .await;
    let body = ArtifactUpload::new(
        json!({"caseId": CASE_ID, "groupType": "attachments"}).to_string(),
        FilePart::new(&b"\xd4\xc3\xb2\xa1pcap-bytes"[..])
            .file_name("capture.pcap")
            .content_type("application/vnd.tcpdump.pcap"),
    );
    let artifact = api
        .client
        .upload_case_artifact(&Default::default(), &body)
        .await
        .expect("artifact");
    let request = api.request().await;
    assert_call(&request, "POST", "/connect/case/tasks", None);
    let content_type = request.headers["content-type"].to_str().expect("ascii");
    assert!(content_type.starts_with("multipart/form-data; boundary="));
    let body = String::from_utf8_lossy(&request.body);
    assert!(body.contains("name=\"json\""), "{body}");
    assert!(
        body.contains(r#"{"caseId":"7x2zSpQBvKeAEj9aX3ry","groupType":"attachments"}"#),
        "{body}"
    );
    assert!(
        body.contains("name=\"attachment\"; filename=\"capture.pcap\""),
        "{body}"
    );
    assert!(body.contains("application/vnd.tcpdump.pcap"), "{body}");
    assert!(body.contains("pcap-bytes"), "{body}");
    assert_eq!(artifact.artifact_type, "file");
    assert_eq!(artifact.stream_length, Some(2048));
    assert_eq!(
        artifact.mime_type.as_deref(),
        Some("application/vnd.tcpdump.pcap")
    );
}

#[tokio::test]
async fn update_case_artifact_puts_json() {
    let api = setup().await;
    let mut changed = artifact_json();
    changed["tlp"] = json!("red");
    api.expect("PUT", "/connect/case/artifacts", 200, changed)
        .await;
    let mut body = security_onion_client::types::Artifact::new(
        CASE_ID.into(),
        "ip".into(),
        "203.0.113.7".into(),
    );
    body.id = Some(ARTIFACT_ID.into());
    body.tlp = Some("red".into());
    let artifact = api
        .client
        .update_case_artifact(&Default::default(), &body)
        .await
        .expect("artifact");
    let request = api.request().await;
    assert_call(&request, "PUT", "/connect/case/artifacts", None);
    assert_eq!(
        json_body(&request),
        json!({"id": ARTIFACT_ID, "caseId": CASE_ID, "artifactType": "ip", "value": "203.0.113.7", "tlp": "red"})
    );
    assert_eq!(artifact.tlp.as_deref(), Some("red"));
}

#[tokio::test]
async fn list_case_artifacts_names_the_group_and_the_case() {
    let api = setup().await;
    api.expect(
        "GET",
        "/connect/case/artifacts/evidence",
        200,
        json!([artifact_json()]),
    )
    .await;
    let params = ListCaseArtifactsParams::new(CASE_ID.into());
    let artifacts = api
        .client
        .list_case_artifacts(&ArtifactGroupType::Evidence, &params)
        .await
        .expect("artifacts");
    let request = api.request().await;
    assert_call(
        &request,
        "GET",
        "/connect/case/artifacts/evidence",
        Some("id=7x2zSpQBvKeAEj9aX3ry"),
    );
    assert_eq!(artifacts[0].value, "203.0.113.7");
    assert_eq!(
        artifacts[0].tags.as_deref(),
        Some(&["scanner".to_owned()][..])
    );
}

#[tokio::test]
async fn delete_case_artifact_takes_the_artifact_id() {
    let api = setup().await;
    api.expect(
        "DELETE",
        &format!("/connect/case/artifacts/{ARTIFACT_ID}"),
        200,
        Value::Null,
    )
    .await;
    api.client
        .delete_case_artifact(ARTIFACT_ID, &Default::default())
        .await
        .expect("deleted");
    let request = api.request().await;
    assert_call(
        &request,
        "DELETE",
        &format!("/connect/case/artifacts/{ARTIFACT_ID}"),
        None,
    );
    no_body(&request);
}

#[tokio::test]
async fn download_case_artifact_returns_the_bytes() {
    let api = setup().await;
    api.respond(
        "GET",
        &format!("/connect/case/artifactstream/{ARTIFACT_ID}"),
        ResponseTemplate::new(200)
            .insert_header("content-type", "application/octet-stream")
            .insert_header("content-disposition", "attachment; filename=capture.pcap")
            .set_body_bytes(&b"\xd4\xc3\xb2\xa1pcap-bytes"[..]),
    )
    .await;
    let bytes = api
        .client
        .download_case_artifact(ARTIFACT_ID, &Default::default())
        .await
        .expect("a success")
        .bytes()
        .await
        .expect("bytes");
    let request = api.request().await;
    assert_call(
        &request,
        "GET",
        &format!("/connect/case/artifactstream/{ARTIFACT_ID}"),
        None,
    );
    assert_eq!(&bytes[..], b"\xd4\xc3\xb2\xa1pcap-bytes");
}

#[tokio::test]
async fn get_case_history_keeps_object_fields() {
    let api = setup().await;
    api.expect(
        "GET",
        &format!("/connect/case/history/{CASE_ID}"),
        200,
        json!([
            {"id": CASE_ID, "kind": "case", "operation": "create", "updateTime": "2024-12-04T20:15:00Z", "title": "Suspicious MySQL scanning"},
            {"id": "Lb3zSpQBvKeAEj9aF4s1", "kind": "comment", "operation": "create", "description": "Blocked."}
        ]),
    )
    .await;
    let history = api
        .client
        .get_case_history(CASE_ID, &Default::default())
        .await
        .expect("history");
    let request = api.request().await;
    assert_call(
        &request,
        "GET",
        &format!("/connect/case/history/{CASE_ID}"),
        None,
    );
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].kind.as_deref(), Some("case"));
    assert_eq!(history[1].operation.as_deref(), Some("create"));
    let extra = serde_json::to_value(&history[1]).expect("serialise");
    assert_eq!(extra["description"], "Blocked.");
}

// ------------------------------------------------------------------------------------------
// detections
// ------------------------------------------------------------------------------------------

fn custom_detection() -> Detection {
    Detection {
        title: Some("Custom MySQL probe".into()),
        severity: Some(DetectionSeverity::Medium),
        language: Some(DetectionLanguage::Suricata),
        engine: Some(DetectionEngine::Suricata),
        content: Some("alert tcp any any -> any 3306 (sid:9000001;)".into()),
        is_enabled: Some(true),
        ..Default::default()
    }
}

fn custom_detection_json() -> Value {
    json!({
        "title": "Custom MySQL probe",
        "severity": "medium",
        "content": "alert tcp any any -> any 3306 (sid:9000001;)",
        "isEnabled": true,
        "engine": "suricata",
        "language": "suricata"
    })
}

#[tokio::test]
async fn create_detection_tells_200_from_205() {
    for status in [200, 205] {
        let api = setup().await;
        api.expect("POST", "/connect/detection/", status, detection_json())
            .await;
        let response = api
            .client
            .create_detection(&Default::default(), &custom_detection())
            .await
            .expect("created");
        let detection = match (status, response) {
            (200, CreateDetectionResponse::Ok(detection))
            | (205, CreateDetectionResponse::ResetContent(detection)) => detection,
            (status, other) => panic!("{status} came back as {other:?}"),
        };
        let request = api.request().await;
        assert_call(&request, "POST", "/connect/detection/", None);
        assert_eq!(json_body(&request), custom_detection_json());
        assert_eq!(detection.public_id.as_deref(), Some("2038279"));
        assert_eq!(detection.engine, Some(DetectionEngine::Suricata));
    }
}

#[tokio::test]
async fn create_detection_conflict_is_a_status_error() {
    let api = setup().await;
    api.respond(
        "POST",
        "/connect/detection/",
        ResponseTemplate::new(409)
            .insert_header("content-type", "text/plain")
            .set_body_string("publicIdConflictErr"),
    )
    .await;
    let error = api
        .client
        .create_detection(&Default::default(), &custom_detection())
        .await
        .expect_err("conflict");
    let Error::Status(status) = &error else {
        panic!("not a status error: {error}");
    };
    assert_eq!(status.status.as_u16(), 409);
    assert_eq!(status.body_text(), "publicIdConflictErr");
}

#[tokio::test]
async fn update_detection_tells_200_205_and_206_apart() {
    for status in [200, 205, 206] {
        let api = setup().await;
        let mut disabled = detection_json();
        disabled["isEnabled"] = json!(false);
        api.expect("PUT", "/connect/detection/", status, disabled)
            .await;
        let mut body = custom_detection();
        body.id = Some(DETECTION_ID.into());
        let response = api
            .client
            .update_detection(&Default::default(), &body)
            .await
            .expect("updated");
        let detection = match (status, response) {
            (200, UpdateDetectionResponse::Ok(detection))
            | (205, UpdateDetectionResponse::ResetContent(detection))
            | (206, UpdateDetectionResponse::PartialContent(detection)) => detection,
            (status, other) => panic!("{status} came back as {other:?}"),
        };
        let request = api.request().await;
        assert_call(&request, "PUT", "/connect/detection/", None);
        let mut expected = custom_detection_json();
        expected["id"] = json!(DETECTION_ID);
        assert_eq!(json_body(&request), expected);
        assert_eq!(detection.is_enabled, Some(false));
    }
}

#[tokio::test]
async fn get_detection_decodes_overrides_and_unknown_engines() {
    let api = setup().await;
    let mut detection = detection_json();
    detection["engine"] = json!("zeek");
    detection["severity"] = json!("severe");
    api.expect(
        "GET",
        &format!("/connect/detection/{DETECTION_ID}"),
        200,
        detection,
    )
    .await;
    let params = security_onion_client::operations::GetDetectionParams {
        grid_id: grid("subgrid-east"),
    };
    let detection = api
        .client
        .get_detection(DETECTION_ID, &params)
        .await
        .expect("detection");
    let request = api.request().await;
    assert_call(
        &request,
        "GET",
        &format!("/connect/detection/{DETECTION_ID}"),
        Some("gridId=subgrid-east"),
    );
    assert_eq!(
        detection.engine,
        Some(DetectionEngine::Unknown("zeek".into()))
    );
    assert_eq!(
        detection.severity,
        Some(DetectionSeverity::Unknown("severe".into()))
    );
    let overrides = detection.overrides.expect("overrides");
    assert_eq!(overrides[0].r#type, OverrideType::Suppress);
    assert_eq!(overrides[0].track.as_deref(), Some("by_src"));
}

#[tokio::test]
async fn delete_detection_accepts_an_empty_answer() {
    // deleteDetection answers the (normally empty) error map of the engine sync: no body.
    let api = setup().await;
    api.expect(
        "DELETE",
        &format!("/connect/detection/{DETECTION_ID}"),
        200,
        Value::Null,
    )
    .await;
    api.client
        .delete_detection(DETECTION_ID, &Default::default())
        .await
        .expect("deleted");
    let request = api.request().await;
    assert_call(
        &request,
        "DELETE",
        &format!("/connect/detection/{DETECTION_ID}"),
        None,
    );
    no_body(&request);
}

#[tokio::test]
async fn get_detection_by_public_id() {
    let api = setup().await;
    api.expect(
        "GET",
        "/connect/detection/public/2038279",
        200,
        detection_json(),
    )
    .await;
    let detection = api
        .client
        .get_detection_by_public_id("2038279", &Default::default())
        .await
        .expect("detection");
    let request = api.request().await;
    assert_call(&request, "GET", "/connect/detection/public/2038279", None);
    assert_eq!(
        detection.title.as_deref(),
        Some("ET SCAN Suspicious inbound to mySQL port 3306")
    );
}

#[tokio::test]
async fn bulk_update_detections_posts_ids_or_a_query() {
    let api = setup().await;
    api.expect(
        "POST",
        "/connect/detection/bulk/disable",
        202,
        json!({"count": 120}),
    )
    .await;
    let body = BulkOperation {
        query: Some("severity: low AND ruleset: ETOPEN".into()),
        ..Default::default()
    };
    let response = api
        .client
        .bulk_update_detections(&BulkAction::Disable, &Default::default(), &body)
        .await
        .expect("bulk");
    let BulkUpdateDetectionsResponse::Accepted(response) = response else {
        panic!("202 came back as {response:?}");
    };
    let request = api.request().await;
    assert_call(&request, "POST", "/connect/detection/bulk/disable", None);
    assert_eq!(
        json_body(&request),
        json!({"query": "severity: low AND ruleset: ETOPEN"})
    );
    assert_eq!(response.count, Some(120));
}

#[tokio::test]
async fn duplicate_detection_posts_without_a_body() {
    let api = setup().await;
    let mut copy = detection_json();
    copy["id"] = json!("XgaI6o8B-vS4HfrbYcce");
    api.expect(
        "POST",
        &format!("/connect/detection/{DETECTION_ID}/duplicate"),
        200,
        copy,
    )
    .await;
    let detection = api
        .client
        .duplicate_detection(DETECTION_ID, &Default::default())
        .await
        .expect("copy");
    let request = api.request().await;
    assert_call(
        &request,
        "POST",
        &format!("/connect/detection/{DETECTION_ID}/duplicate"),
        None,
    );
    no_body(&request);
    assert_eq!(detection.id.as_deref(), Some("XgaI6o8B-vS4HfrbYcce"));
}

#[tokio::test]
async fn get_detection_history() {
    let api = setup().await;
    api.expect(
        "GET",
        &format!("/connect/detection/{DETECTION_ID}/history"),
        200,
        json!([{"id": DETECTION_ID, "kind": "detection", "operation": "update", "isEnabled": false}]),
    )
    .await;
    let history = api
        .client
        .get_detection_history(DETECTION_ID, &Default::default())
        .await
        .expect("history");
    let request = api.request().await;
    assert_call(
        &request,
        "GET",
        &format!("/connect/detection/{DETECTION_ID}/history"),
        None,
    );
    assert_eq!(history[0].operation.as_deref(), Some("update"));
    assert_eq!(
        serde_json::to_value(&history[0]).expect("value")["isEnabled"],
        false
    );
}

#[tokio::test]
async fn list_detection_comments() {
    let api = setup().await;
    api.expect(
        "GET",
        &format!("/connect/detection/{DETECTION_ID}/comment"),
        200,
        json!([detection_comment_json()]),
    )
    .await;
    let comments = api
        .client
        .list_detection_comments(DETECTION_ID, &Default::default())
        .await
        .expect("comments");
    let request = api.request().await;
    assert_call(
        &request,
        "GET",
        &format!("/connect/detection/{DETECTION_ID}/comment"),
        None,
    );
    assert_eq!(comments[0].value.as_deref(), Some("Tuned the threshold."));
}

#[tokio::test]
async fn create_detection_comment() {
    let api = setup().await;
    api.expect(
        "POST",
        &format!("/connect/detection/{DETECTION_ID}/comment"),
        200,
        detection_comment_json(),
    )
    .await;
    let body = DetectionComment {
        value: Some("Tuned the threshold.".into()),
        ..Default::default()
    };
    let comment = api
        .client
        .create_detection_comment(DETECTION_ID, &Default::default(), &body)
        .await
        .expect("comment");
    let request = api.request().await;
    assert_call(
        &request,
        "POST",
        &format!("/connect/detection/{DETECTION_ID}/comment"),
        None,
    );
    assert_eq!(
        json_body(&request),
        json!({"value": "Tuned the threshold."})
    );
    assert_eq!(comment.detection_id.as_deref(), Some(DETECTION_ID));
}

#[tokio::test]
async fn get_detection_comment() {
    let api = setup().await;
    api.expect(
        "GET",
        "/connect/detection/comment/pX91PJABrNRFAsnEa1b2",
        200,
        detection_comment_json(),
    )
    .await;
    let comment = api
        .client
        .get_detection_comment("pX91PJABrNRFAsnEa1b2", &Default::default())
        .await
        .expect("comment");
    let request = api.request().await;
    assert_call(
        &request,
        "GET",
        "/connect/detection/comment/pX91PJABrNRFAsnEa1b2",
        None,
    );
    assert_eq!(
        comment.create_time.expect("time").to_rfc3339(),
        "2024-12-04T20:31:00+00:00"
    );
}

#[tokio::test]
async fn update_detection_comment() {
    let api = setup().await;
    let mut edited = detection_comment_json();
    edited["value"] = json!("Edited.");
    api.expect(
        "PUT",
        "/connect/detection/comment/pX91PJABrNRFAsnEa1b2",
        200,
        edited,
    )
    .await;
    let body = DetectionComment {
        id: Some("pX91PJABrNRFAsnEa1b2".into()),
        value: Some("Edited.".into()),
        ..Default::default()
    };
    let comment = api
        .client
        .update_detection_comment("pX91PJABrNRFAsnEa1b2", &Default::default(), &body)
        .await
        .expect("comment");
    let request = api.request().await;
    assert_call(
        &request,
        "PUT",
        "/connect/detection/comment/pX91PJABrNRFAsnEa1b2",
        None,
    );
    assert_eq!(
        json_body(&request),
        json!({"id": "pX91PJABrNRFAsnEa1b2", "value": "Edited."})
    );
    assert_eq!(comment.value.as_deref(), Some("Edited."));
}

#[tokio::test]
async fn delete_detection_comment() {
    let api = setup().await;
    api.expect(
        "DELETE",
        "/connect/detection/comment/pX91PJABrNRFAsnEa1b2",
        200,
        Value::Null,
    )
    .await;
    api.client
        .delete_detection_comment("pX91PJABrNRFAsnEa1b2", &Default::default())
        .await
        .expect("deleted");
    let request = api.request().await;
    assert_call(
        &request,
        "DELETE",
        "/connect/detection/comment/pX91PJABrNRFAsnEa1b2",
        None,
    );
    no_body(&request);
}

#[tokio::test]
async fn update_detection_override_note() {
    let api = setup().await;
    api.expect(
        "PUT",
        &format!("/connect/detection/{DETECTION_ID}/override/0/note"),
        200,
        Value::Null,
    )
    .await;
    // updateOverrideNote writes no body on success.
    api.client
        .update_detection_override_note(
            DETECTION_ID,
            0,
            &Default::default(),
            &OverrideNote::new("Scanner moved.".into()),
        )
        .await
        .expect("updated");
    let request = api.request().await;
    assert_call(
        &request,
        "PUT",
        &format!("/connect/detection/{DETECTION_ID}/override/0/note"),
        None,
    );
    assert_eq!(json_body(&request), json!({"note": "Scanner moved."}));
}

#[tokio::test]
async fn convert_detection_returns_the_query() {
    let api = setup().await;
    api.expect(
        "POST",
        "/connect/detection/convert",
        200,
        json!({"query": "process.command_line: *powershell*"}),
    )
    .await;
    let body = Detection {
        language: Some(DetectionLanguage::Sigma),
        content: Some("title: PowerShell\ndetection: {}".into()),
        ..Default::default()
    };
    let converted = api
        .client
        .convert_detection(&Default::default(), &body)
        .await
        .expect("converted");
    let request = api.request().await;
    assert_call(&request, "POST", "/connect/detection/convert", None);
    assert_eq!(
        json_body(&request),
        json!({"language": "sigma", "content": "title: PowerShell\ndetection: {}"})
    );
    assert_eq!(
        converted.query.as_deref(),
        Some("process.command_line: *powershell*")
    );
}

#[tokio::test]
async fn sync_detections_names_engine_and_type() {
    let api = setup().await;
    api.expect(
        "POST",
        "/connect/detection/sync/strelka/full",
        200,
        Value::Null,
    )
    .await;
    api.client
        .sync_detections(&SyncEngine::Strelka, &SyncType::Full, &Default::default())
        .await
        .expect("sync");
    let request = api.request().await;
    assert_call(
        &request,
        "POST",
        "/connect/detection/sync/strelka/full",
        None,
    );
    no_body(&request);
}

#[tokio::test]
async fn generate_detection_public_id() {
    let api = setup().await;
    api.expect(
        "GET",
        "/connect/detection/elastalert/genpublicid",
        200,
        json!({"publicId": "fb58abf3-0a6d-49af-b1a0-1eeabec07716"}),
    )
    .await;
    let generated = api
        .client
        .generate_detection_public_id(&DetectionEngine::Elastalert, &Default::default())
        .await
        .expect("id");
    let request = api.request().await;
    assert_call(
        &request,
        "GET",
        "/connect/detection/elastalert/genpublicid",
        None,
    );
    assert_eq!(
        generated.public_id.as_deref(),
        Some("fb58abf3-0a6d-49af-b1a0-1eeabec07716")
    );
}

// ------------------------------------------------------------------------------------------
// grid
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_grid_nodes_decodes_mixed_numbers() {
    let api = setup().await;
    api.expect(
        "GET",
        "/connect/grid/",
        200,
        json!([{
            "id": "manager_standalone",
            "role": "so-standalone",
            "address": "10.0.0.10",
            "status": "ok",
            "version": "2.4.110",
            "cpuUsedPct": 23.5,
            "memoryUsedPct": 71,
            "diskUsedNsmPct": 63.8,
            "consumptionEps": 845,
            "lksEnabled": 1,
            "processJson": "{\"status_code\":0}",
            "updateTime": "2024-12-04T20:40:00Z",
            "someNewGauge": 3.3
        }]),
    )
    .await;
    let params = security_onion_client::operations::ListGridNodesParams {
        grid_id: grid("subgrid-east"),
    };
    let nodes = api.client.list_grid_nodes(&params).await.expect("nodes");
    let request = api.request().await;
    assert_call(
        &request,
        "GET",
        "/connect/grid/",
        Some("gridId=subgrid-east"),
    );
    let node = &nodes[0];
    assert_eq!(node.role.as_deref(), Some("so-standalone"));
    assert_eq!(node.cpu_used_pct, Some(23.5));
    assert_eq!(node.memory_used_pct, Some(71.0));
    assert_eq!(node.consumption_eps, Some(845));
    assert_eq!(node.lks_enabled, Some(1));
    assert_eq!(node.process_json.as_deref(), Some("{\"status_code\":0}"));
}

#[tokio::test]
async fn list_grid_members_decodes_statuses() {
    let api = setup().await;
    api.expect(
        "GET",
        "/connect/gridmembers/",
        200,
        json!([
            {"id": "sensor01_sensor", "name": "sensor01", "role": "sensor", "status": "unaccepted", "fingerprint": "a1:b2"},
            {"id": "old_sensor", "name": "old", "role": "sensor", "status": "quarantined"}
        ]),
    )
    .await;
    let members = api
        .client
        .list_grid_members(&Default::default())
        .await
        .expect("members");
    let request = api.request().await;
    assert_call(&request, "GET", "/connect/gridmembers/", None);
    assert_eq!(members[0].status, Some(GridMemberStatus::Unaccepted));
    assert_eq!(
        members[1].status,
        Some(GridMemberStatus::Unknown("quarantined".into()))
    );
    assert_eq!(members[0].fingerprint.as_deref(), Some("a1:b2"));
}

#[tokio::test]
async fn get_grid_status_decodes_one_summary_object() {
    let api = setup().await;
    api.expect(
        "GET",
        "/connect/grid/status",
        200,
        json!({
            "gridId": "",
            "grid": {"totalNodeCount": 4, "unhealthyNodeCount": 1, "awaitingRebootNodeCount": 0, "eps": 2311},
            "alerts": {"newCount": 0},
            "detections": {
                "suricata": {"syncing": true, "integrityFailure": false},
                "elastalert": {"migrating": false, "someNewFlag": true}
            }
        }),
    )
    .await;
    let status = api
        .client
        .get_grid_status(&Default::default())
        .await
        .expect("status");
    let request = api.request().await;
    assert_call(&request, "GET", "/connect/grid/status", None);
    let grid = status.grid.expect("grid");
    assert_eq!(grid.total_node_count, Some(4));
    assert_eq!(grid.unhealthy_node_count, Some(1));
    assert_eq!(grid.eps, Some(2311));
    let detections = status.detections.expect("detections");
    assert_eq!(detections.suricata.expect("suricata").syncing, Some(true));
    assert!(detections.strelka.is_none());
}

#[tokio::test]
async fn manage_grid_member_posts_the_operation() {
    let api = setup().await;
    api.expect(
        "POST",
        "/connect/gridmembers/sensor01_sensor/add",
        200,
        Value::Null,
    )
    .await;
    api.client
        .manage_grid_member(
            "sensor01_sensor",
            &GridMemberOperation::Add,
            &Default::default(),
        )
        .await
        .expect("accepted");
    let request = api.request().await;
    assert_call(
        &request,
        "POST",
        "/connect/gridmembers/sensor01_sensor/add",
        None,
    );
    no_body(&request);
}

#[tokio::test]
async fn import_to_grid_member_uploads_the_attachment() {
    let api = setup().await;
    api.expect(
        "POST",
        "/connect/gridmembers/sensor01_sensor/import",
        202,
        Value::Null,
    )
    .await;
    let body = GridImportUpload::new(FilePart::new(&b"evtx-bytes"[..]).file_name("security.evtx"));
    api.client
        .import_to_grid_member("sensor01_sensor", &Default::default(), &body)
        .await
        .expect("accepted");
    let request = api.request().await;
    assert_call(
        &request,
        "POST",
        "/connect/gridmembers/sensor01_sensor/import",
        None,
    );
    assert!(request.headers["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("multipart/form-data"));
    let body = String::from_utf8_lossy(&request.body);
    assert!(
        body.contains("name=\"attachment\"; filename=\"security.evtx\""),
        "{body}"
    );
    assert!(body.contains("evtx-bytes"), "{body}");
}

// ------------------------------------------------------------------------------------------
// jobs
// ------------------------------------------------------------------------------------------

fn pcap_job() -> Job {
    Job {
        node_id: Some("sensor01_sensor".into()),
        filter: Some(JobFilter {
            begin_time: Some("2024-12-04T20:00:00Z".parse().expect("time")),
            end_time: Some("2024-12-04T20:05:00Z".parse().expect("time")),
            src_ip: Some("203.0.113.7".into()),
            dst_port: Some(3306),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[tokio::test]
async fn create_job_answers_201() {
    let api = setup().await;
    let mut pending = job_json();
    pending["status"] = json!(0);
    api.expect("POST", "/connect/job/", 201, pending).await;
    let job = api
        .client
        .create_job(&Default::default(), &pcap_job())
        .await
        .expect("job");
    let request = api.request().await;
    assert_call(&request, "POST", "/connect/job/", None);
    assert_eq!(
        json_body(&request),
        json!({
            "nodeId": "sensor01_sensor",
            "filter": {
                "beginTime": "2024-12-04T20:00:00Z",
                "endTime": "2024-12-04T20:05:00Z",
                "srcIp": "203.0.113.7",
                "dstPort": 3306
            }
        })
    );
    assert_eq!(job.id, Some(1001));
    assert_eq!(job.status, Some(JobStatus::Pending));
}

#[tokio::test]
async fn update_job_puts_the_job() {
    let api = setup().await;
    api.expect("PUT", "/connect/job/", 200, job_json()).await;
    let mut body = pcap_job();
    body.id = Some(1001);
    let job = api
        .client
        .update_job(&Default::default(), &body)
        .await
        .expect("job");
    let request = api.request().await;
    assert_call(&request, "PUT", "/connect/job/", None);
    assert_eq!(json_body(&request)["id"], 1001);
    assert_eq!(job.status, Some(JobStatus::Completed));
}

#[tokio::test]
async fn get_job_decodes_unknown_status_codes() {
    let api = setup().await;
    let mut job = job_json();
    job["status"] = json!(7);
    api.expect("GET", "/connect/job/1001", 200, job).await;
    let job = api
        .client
        .get_job(1001, &Default::default())
        .await
        .expect("job");
    let request = api.request().await;
    assert_call(&request, "GET", "/connect/job/1001", None);
    assert_eq!(job.status, Some(JobStatus::Unknown(7)));
    assert_eq!(job.size, Some(48213));
    assert_eq!(
        job.filter.expect("filter").dst_ip.as_deref(),
        Some("10.0.0.20")
    );
}

#[tokio::test]
async fn delete_job_accepts_an_empty_answer() {
    // deleteJob answers 200 without a body.
    let api = setup().await;
    api.expect("DELETE", "/connect/job/1001", 200, Value::Null)
        .await;
    api.client
        .delete_job(1001, &Default::default())
        .await
        .expect("deleted");
    let request = api.request().await;
    assert_call(&request, "DELETE", "/connect/job/1001", None);
    no_body(&request);
}

#[tokio::test]
async fn create_job_from_event_sends_the_event_and_reports_a_redirect_to_another_origin() {
    let api = setup().await;
    api.respond(
        "GET",
        "/connect/joblookup/",
        ResponseTemplate::new(302)
            .insert_header("location", "https://so-manager.example/#/job/1004"),
    )
    .await;
    let params = security_onion_client::operations::CreateJobFromEventParams {
        ncid: Some("1:URggUwcolUh/BgIWApL6rUUZUK4=".into()),
        ..security_onion_client::operations::CreateJobFromEventParams::new(
            "2024-01-29T12:31:59.220Z".into(),
        )
    };
    let error = api
        .client
        .create_job_from_event(&params)
        .await
        .expect_err("not followed");
    match error {
        Error::Redirect {
            status, location, ..
        } => {
            assert_eq!(status.as_u16(), 302);
            assert!(
                location.starts_with("https://so-manager.example/"),
                "{location}"
            );
        }
        other => panic!("expected a redirect error, got {other:?}"),
    }
    let request = api.request().await;
    assert_call(
        &request,
        "GET",
        "/connect/joblookup/",
        Some("time=2024-01-29T12%3A31%3A59.220Z&ncid=1%3AURggUwcolUh%2FBgIWApL6rUUZUK4%3D"),
    );
}

#[tokio::test]
async fn create_job_from_event_follows_the_same_origin_redirect_to_the_job_page_despite_its_fragment(
) {
    // SOC's Location always names the job in a fragment (`<base>#/job/<id>`); a fragment is never
    // sent, and the client once took the difference for a redirect its HTTP client followed.
    let api = setup().await;
    api.respond(
        "GET",
        "/connect/joblookup/",
        ResponseTemplate::new(302).insert_header(
            "location",
            format!("{}/#/job/1004", api.server.uri()).as_str(),
        ),
    )
    .await;
    api.respond(
        "GET",
        "/",
        ResponseTemplate::new(200).set_body_raw(
            "<!DOCTYPE html><html><head><title>Security Onion</title></head></html>",
            "text/html",
        ),
    )
    .await;
    let params = security_onion_client::operations::CreateJobFromEventParams {
        esid: Some("P5mgnpEB0JpjNDZz1bIN".into()),
        ..security_onion_client::operations::CreateJobFromEventParams::new(
            "2024-01-29T12:31:59.220Z".into(),
        )
    };
    let page = api
        .client
        .create_job_from_event(&params)
        .await
        .expect("the redirect is followed");
    assert!(page.contains("<title>Security Onion</title>"), "{page}");
    let requests = api.server.received_requests().await.expect("recorded");
    let paths: Vec<&str> = requests.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, ["/oauth2/token", "/connect/joblookup/", "/"]);
}

#[tokio::test]
async fn list_jobs_sends_the_parameters_as_one_json_value() {
    let api = setup().await;
    api.expect("GET", "/connect/jobs/", 200, json!([job_json()]))
        .await;
    let filter = json!({"artifact": {"id": ARTIFACT_ID}}).to_string();
    let params = ListJobsParams {
        kind: Some("analyze".into()),
        parameters: Some(filter.clone()),
        ..Default::default()
    };
    let jobs = api.client.list_jobs(&params).await.expect("jobs");
    let request = api.request().await;
    assert_eq!(request.url.path(), "/connect/jobs/");
    let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(
        query,
        vec![
            ("kind".into(), "analyze".into()),
            ("parameters".into(), filter),
        ]
    );
    assert_eq!(jobs[0].node_id.as_deref(), Some("sensor01_sensor"));
}

#[tokio::test]
async fn list_job_packets_pages_with_offset_and_count() {
    let api = setup().await;
    api.expect(
        "GET",
        "/connect/packets/1001",
        200,
        json!([{
            "number": 1,
            "type": "TCP",
            "srcIp": "203.0.113.7",
            "srcPort": 51234,
            "dstIp": "10.0.0.20",
            "dstPort": 3306,
            "length": 74,
            "timestamp": "2024-12-04T20:01:02.345Z",
            "sequence": 1804289383,
            "flags": ["SYN"],
            "payload": ""
        }]),
    )
    .await;
    let params = ListJobPacketsParams {
        offset: Some(0),
        count: Some(100),
        unwrap: Some(true),
        exclude_errors: Some(true),
        ..Default::default()
    };
    let packets = api
        .client
        .list_job_packets(1001, &params)
        .await
        .expect("packets");
    let request = api.request().await;
    assert_call(
        &request,
        "GET",
        "/connect/packets/1001",
        Some("offset=0&count=100&unwrap=true&excludeErrors=true"),
    );
    assert_eq!(packets[0].dst_port, Some(3306));
    assert_eq!(packets[0].sequence, Some(1804289383));
    assert_eq!(packets[0].flags.as_deref(), Some(&["SYN".to_owned()][..]));
}

#[tokio::test]
async fn download_job_pcap_always_sends_unwrap_and_returns_bytes() {
    let api = setup().await;
    api.respond(
        "GET",
        "/connect/stream/1001",
        ResponseTemplate::new(200)
            .insert_header("content-type", "application/octet-stream")
            .set_body_bytes(&b"\xd4\xc3\xb2\xa1"[..]),
    )
    .await;
    let params = security_onion_client::operations::DownloadJobPcapParams {
        ext: Some("pcap".into()),
        ..security_onion_client::operations::DownloadJobPcapParams::new(false)
    };
    let bytes = api
        .client
        .download_job_pcap(1001, &params)
        .await
        .expect("a success")
        .bytes()
        .await
        .expect("pcap");
    let request = api.request().await;
    assert_call(
        &request,
        "GET",
        "/connect/stream/1001",
        Some("ext=pcap&unwrap=false"),
    );
    assert_eq!(&bytes[..], b"\xd4\xc3\xb2\xa1");
}

// ------------------------------------------------------------------------------------------
// users and roles
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_users() {
    let api = setup().await;
    api.expect("GET", "/connect/users", 200, json!([user_json()]))
        .await;
    let users = api
        .client
        .list_users(&Default::default())
        .await
        .expect("users");
    let request = api.request().await;
    assert_call(&request, "GET", "/connect/users", None);
    assert_eq!(users[0].email.as_deref(), Some("analyst@example.org"));
    assert_eq!(users[0].roles.as_deref(), Some(&["analyst".to_owned()][..]));
    assert_eq!(users[0].totp_status.as_deref(), Some("enabled"));
}

#[tokio::test]
async fn create_user_sends_the_password() {
    let api = setup().await;
    api.expect("POST", "/connect/users", 200, user_json()).await;
    let body = User {
        email: Some("analyst@example.org".into()),
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        roles: Some(vec!["analyst".into()]),
        password: Some("correct-horse-battery-staple".into()),
        ..Default::default()
    };
    let user = api
        .client
        .create_user(&Default::default(), &body)
        .await
        .expect("user");
    let request = api.request().await;
    assert_call(&request, "POST", "/connect/users", None);
    assert_eq!(
        json_body(&request),
        json!({
            "email": "analyst@example.org",
            "firstName": "Ada",
            "lastName": "Lovelace",
            "roles": ["analyst"],
            "password": "correct-horse-battery-staple"
        })
    );
    assert_eq!(user.id.as_deref(), Some(USER_ID));
}

#[tokio::test]
async fn update_user() {
    let api = setup().await;
    api.expect(
        "PUT",
        &format!("/connect/users/{USER_ID}"),
        200,
        json!({"id": USER_ID, "note": "Tier 3 analyst", "passwordChanged": false}),
    )
    .await;
    let body = User {
        note: Some("Tier 3 analyst".into()),
        ..Default::default()
    };
    let updated = api
        .client
        .update_user(USER_ID, &Default::default(), &body)
        .await
        .expect("updated");
    let request = api.request().await;
    assert_call(&request, "PUT", &format!("/connect/users/{USER_ID}"), None);
    assert_eq!(json_body(&request), json!({"note": "Tier 3 analyst"}));
    // putUser answers the stored user, with the id from the path.
    assert_eq!(updated.id.as_deref(), Some(USER_ID));
    assert_eq!(updated.password_changed, Some(false));
}

#[tokio::test]
async fn delete_user() {
    let api = setup().await;
    api.expect(
        "DELETE",
        &format!("/connect/users/{USER_ID}"),
        200,
        Value::Null,
    )
    .await;
    api.client
        .delete_user(USER_ID, &Default::default())
        .await
        .expect("deleted");
    let request = api.request().await;
    assert_call(
        &request,
        "DELETE",
        &format!("/connect/users/{USER_ID}"),
        None,
    );
    no_body(&request);
}

#[tokio::test]
async fn toggle_user() {
    let api = setup().await;
    api.expect(
        "PUT",
        &format!("/connect/users/{USER_ID}/disable"),
        200,
        Value::Null,
    )
    .await;
    api.client
        .toggle_user(USER_ID, &UserToggle::Disable, &Default::default())
        .await
        .expect("disabled");
    let request = api.request().await;
    assert_call(
        &request,
        "PUT",
        &format!("/connect/users/{USER_ID}/disable"),
        None,
    );
    no_body(&request);
}

#[tokio::test]
async fn reset_user_password() {
    let api = setup().await;
    api.expect(
        "PUT",
        &format!("/connect/users/{USER_ID}/password"),
        200,
        Value::Null,
    )
    .await;
    api.client
        .reset_user_password(
            USER_ID,
            &Default::default(),
            &PasswordReset::new("new-long-passphrase".into()),
        )
        .await
        .expect("reset");
    let request = api.request().await;
    assert_call(
        &request,
        "PUT",
        &format!("/connect/users/{USER_ID}/password"),
        None,
    );
    assert_eq!(
        json_body(&request),
        json!({"password": "new-long-passphrase"})
    );
}

#[tokio::test]
async fn add_user_role() {
    let api = setup().await;
    api.expect(
        "POST",
        &format!("/connect/users/{USER_ID}/role/auditor"),
        200,
        Value::Null,
    )
    .await;
    api.client
        .add_user_role(USER_ID, "auditor", &Default::default())
        .await
        .expect("granted");
    let request = api.request().await;
    assert_call(
        &request,
        "POST",
        &format!("/connect/users/{USER_ID}/role/auditor"),
        None,
    );
    no_body(&request);
}

#[tokio::test]
async fn remove_user_role() {
    let api = setup().await;
    api.expect(
        "DELETE",
        &format!("/connect/users/{USER_ID}/role/auditor"),
        200,
        Value::Null,
    )
    .await;
    api.client
        .remove_user_role(USER_ID, "auditor", &Default::default())
        .await
        .expect("revoked");
    let request = api.request().await;
    assert_call(
        &request,
        "DELETE",
        &format!("/connect/users/{USER_ID}/role/auditor"),
        None,
    );
    no_body(&request);
}

#[tokio::test]
async fn sync_users() {
    let api = setup().await;
    api.expect("PUT", "/connect/users/sync", 200, Value::Null)
        .await;
    api.client
        .sync_users(&Default::default())
        .await
        .expect("synced");
    let request = api.request().await;
    assert_call(&request, "PUT", "/connect/users/sync", None);
    no_body(&request);
}

#[tokio::test]
async fn list_roles() {
    let api = setup().await;
    api.expect(
        "GET",
        "/connect/roles",
        200,
        json!(["analyst", "superuser"]),
    )
    .await;
    let roles = api
        .client
        .list_roles(&Default::default())
        .await
        .expect("roles");
    let request = api.request().await;
    assert_call(&request, "GET", "/connect/roles", None);
    assert_eq!(roles, vec!["analyst".to_owned(), "superuser".to_owned()]);
}

#[tokio::test]
async fn list_permissions() {
    let api = setup().await;
    api.expect(
        "GET",
        "/connect/roles/permissions",
        200,
        json!(["cases/read", "events/read"]),
    )
    .await;
    let permissions = api
        .client
        .list_permissions(&Default::default())
        .await
        .expect("permissions");
    let request = api.request().await;
    assert_call(&request, "GET", "/connect/roles/permissions", None);
    assert_eq!(
        permissions,
        vec!["cases/read".to_owned(), "events/read".to_owned()]
    );
}

// ------------------------------------------------------------------------------------------
// API clients
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_api_clients() {
    let api = setup().await;
    api.expect(
        "GET",
        "/connect/clients/",
        200,
        json!([api_client_json(false)]),
    )
    .await;
    let clients = api
        .client
        .list_api_clients(&Default::default())
        .await
        .expect("clients");
    let request = api.request().await;
    assert_call(&request, "GET", "/connect/clients/", None);
    assert_eq!(clients[0].id.as_deref(), Some(CLIENT_ID));
    assert_eq!(clients[0].secret, None);
}

#[tokio::test]
async fn create_api_client_returns_the_secret_once() {
    let api = setup().await;
    api.expect("POST", "/connect/clients/", 200, api_client_json(true))
        .await;
    let body = ApiClient {
        id: Some(CLIENT_ID.into()),
        name: Some("My new client".into()),
        note: Some("SOAR integration".into()),
        ..Default::default()
    };
    let client = api
        .client
        .create_api_client(&Default::default(), &body)
        .await
        .expect("client");
    let request = api.request().await;
    assert_call(&request, "POST", "/connect/clients/", None);
    assert_eq!(
        json_body(&request),
        json!({"id": CLIENT_ID, "name": "My new client", "note": "SOAR integration"})
    );
    assert_eq!(client.secret.as_deref(), Some("bRANDnewSECRET123"));
}

#[tokio::test]
async fn update_api_client() {
    let api = setup().await;
    api.expect(
        "PUT",
        &format!("/connect/clients/{CLIENT_ID}"),
        200,
        api_client_json(false),
    )
    .await;
    let body = ApiClient {
        name: Some("My new client".into()),
        note: Some("Renamed".into()),
        ..Default::default()
    };
    let client = api
        .client
        .update_api_client(CLIENT_ID, &Default::default(), &body)
        .await
        .expect("client");
    let request = api.request().await;
    assert_call(
        &request,
        "PUT",
        &format!("/connect/clients/{CLIENT_ID}"),
        None,
    );
    assert_eq!(
        json_body(&request),
        json!({"name": "My new client", "note": "Renamed"})
    );
    assert_eq!(
        client.permissions.expect("permissions"),
        vec!["events/read".to_owned(), "cases/write".to_owned()]
    );
}

#[tokio::test]
async fn delete_api_client() {
    let api = setup().await;
    api.expect(
        "DELETE",
        &format!("/connect/clients/{CLIENT_ID}"),
        200,
        Value::Null,
    )
    .await;
    api.client
        .delete_api_client(CLIENT_ID, &Default::default())
        .await
        .expect("deleted");
    let request = api.request().await;
    assert_call(
        &request,
        "DELETE",
        &format!("/connect/clients/{CLIENT_ID}"),
        None,
    );
    no_body(&request);
}

#[tokio::test]
async fn add_api_client_permission_splits_the_permission() {
    let api = setup().await;
    api.expect(
        "POST",
        &format!("/connect/clients/{CLIENT_ID}/permission/events/read"),
        200,
        Value::Null,
    )
    .await;
    api.client
        .add_api_client_permission(CLIENT_ID, "events", "read", &Default::default())
        .await
        .expect("granted");
    let request = api.request().await;
    assert_call(
        &request,
        "POST",
        &format!("/connect/clients/{CLIENT_ID}/permission/events/read"),
        None,
    );
    no_body(&request);
}

#[tokio::test]
async fn remove_api_client_permission() {
    let api = setup().await;
    api.expect(
        "DELETE",
        &format!("/connect/clients/{CLIENT_ID}/permission/cases/write"),
        200,
        Value::Null,
    )
    .await;
    api.client
        .remove_api_client_permission(CLIENT_ID, "cases", "write", &Default::default())
        .await
        .expect("revoked");
    let request = api.request().await;
    assert_call(
        &request,
        "DELETE",
        &format!("/connect/clients/{CLIENT_ID}/permission/cases/write"),
        None,
    );
    no_body(&request);
}

#[tokio::test]
async fn regenerate_api_client_secret_is_a_put() {
    let api = setup().await;
    api.expect(
        "PUT",
        &format!("/connect/clients/{CLIENT_ID}/secret"),
        200,
        api_client_json(true),
    )
    .await;
    let client = api
        .client
        .regenerate_api_client_secret(CLIENT_ID, &Default::default())
        .await
        .expect("client");
    let request = api.request().await;
    assert_call(
        &request,
        "PUT",
        &format!("/connect/clients/{CLIENT_ID}/secret"),
        None,
    );
    assert_eq!(client.secret.as_deref(), Some("bRANDnewSECRET123"));
}

// ------------------------------------------------------------------------------------------
// configuration
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_config_settings_asks_for_the_advanced_ones() {
    let api = setup().await;
    api.expect(
        "GET",
        "/connect/config/",
        200,
        json!([
            {"id": "elastalert.alerter_parameters", "value": "", "title": "Custom Configuration Parameters", "multiline": true, "global": true},
            {"id": "suricata.config.af-packet.threads", "value": "4", "nodeId": "sensor01_sensor", "node": true, "regex": "^[0-9]+$", "someNewFlag": 1}
        ]),
    )
    .await;
    let params = security_onion_client::operations::ListConfigSettingsParams {
        advanced: Some(true),
        ..Default::default()
    };
    let settings = api
        .client
        .list_config_settings(&params)
        .await
        .expect("settings");
    let request = api.request().await;
    assert_call(&request, "GET", "/connect/config/", Some("advanced=true"));
    assert_eq!(settings.len(), 2);
    assert_eq!(settings[0].multiline, Some(true));
    assert_eq!(settings[1].node_id.as_deref(), Some("sensor01_sensor"));
    assert_eq!(settings[1].regex.as_deref(), Some("^[0-9]+$"));
}

#[tokio::test]
async fn update_config_setting_puts_id_value_and_node() {
    let api = setup().await;
    api.expect("PUT", "/connect/config/", 200, Value::Null)
        .await;
    let setting = security_onion_client::types::Setting {
        id: Some("suricata.config.af-packet.threads".into()),
        value: Some("8".into()),
        node_id: Some("sensor01_sensor".into()),
        ..Default::default()
    };
    api.client
        .update_config_setting(&Default::default(), &setting)
        .await
        .expect("saved");
    let request = api.request().await;
    assert_call(&request, "PUT", "/connect/config/", None);
    assert_eq!(
        json_body(&request),
        json!({"id": "suricata.config.af-packet.threads", "value": "8", "nodeId": "sensor01_sensor"})
    );
}

#[tokio::test]
async fn delete_config_setting_names_the_setting() {
    let api = setup().await;
    api.expect(
        "DELETE",
        "/connect/config/elastalert.alerter_parameters",
        200,
        Value::Null,
    )
    .await;
    api.client
        .delete_config_setting("elastalert.alerter_parameters", &Default::default())
        .await
        .expect("reset");
    let request = api.request().await;
    assert_call(
        &request,
        "DELETE",
        "/connect/config/elastalert.alerter_parameters",
        None,
    );
    no_body(&request);
}

#[tokio::test]
async fn delete_node_config_setting_names_the_setting_and_the_node() {
    let api = setup().await;
    api.expect(
        "DELETE",
        "/connect/config/suricata.config.af-packet.threads/sensor01_sensor",
        200,
        Value::Null,
    )
    .await;
    api.client
        .delete_node_config_setting(
            "suricata.config.af-packet.threads",
            "sensor01_sensor",
            &Default::default(),
        )
        .await
        .expect("reset");
    let request = api.request().await;
    assert_call(
        &request,
        "DELETE",
        "/connect/config/suricata.config.af-packet.threads/sensor01_sensor",
        None,
    );
    no_body(&request);
}

#[tokio::test]
async fn sync_config_puts_without_a_body() {
    let api = setup().await;
    api.expect("PUT", "/connect/config/sync", 200, Value::Null)
        .await;
    api.client
        .sync_config(&Default::default())
        .await
        .expect("queued");
    let request = api.request().await;
    assert_call(&request, "PUT", "/connect/config/sync", None);
    no_body(&request);
}

#[tokio::test]
async fn a_disabled_config_module_is_a_405_status_error() {
    let api = setup().await;
    api.respond(
        "PUT",
        "/connect/config/sync",
        ResponseTemplate::new(405)
            .insert_header("content-type", "text/plain")
            .set_body_string("Config module not enabled"),
    )
    .await;
    let error = api
        .client
        .sync_config(&Default::default())
        .await
        .expect_err("not enabled");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(405));
}

// ------------------------------------------------------------------------------------------
// playbooks
// ------------------------------------------------------------------------------------------

fn playbook_json() -> Value {
    json!({
        "id": "6F64990A-ACDA-40B6-AB71-134C073013B5",
        "name": "Suspicious SMB logon",
        "detection_type": "sigma",
        "detection_id": "ac5856cd-7e4c-4a61-8b15-6fc9148ff7f2",
        "contributors": ["Jane Smith"],
        "questions": [{
            "question": "What is the source IP address of the alert?",
            "range": "+/-3d",
            "answer_sources": ["alert"],
            "queryResults": [{"id": "Xk2sjZMBvKeAEj9aJ1qQ", "payload": {"source.ip": "203.0.113.7"}}]
        }],
        "kind": "playbook"
    })
}

#[tokio::test]
async fn get_playbook_decodes_its_questions() {
    let api = setup().await;
    api.expect(
        "GET",
        "/connect/playbook/6F64990A-ACDA-40B6-AB71-134C073013B5",
        200,
        playbook_json(),
    )
    .await;
    let playbook = api
        .client
        .get_playbook("6F64990A-ACDA-40B6-AB71-134C073013B5", &Default::default())
        .await
        .expect("playbook");
    let request = api.request().await;
    assert_call(
        &request,
        "GET",
        "/connect/playbook/6F64990A-ACDA-40B6-AB71-134C073013B5",
        None,
    );
    assert_eq!(playbook.detection_type.as_deref(), Some("sigma"));
    let questions = playbook.questions.expect("questions");
    assert_eq!(questions[0].range.as_deref(), Some("+/-3d"));
    assert_eq!(
        questions[0].query_results.as_ref().expect("results")[0]
            .id
            .as_deref(),
        Some("Xk2sjZMBvKeAEj9aJ1qQ")
    );
}

#[tokio::test]
async fn list_detection_playbooks_takes_the_public_id() {
    let api = setup().await;
    api.expect(
        "GET",
        "/connect/playbook/detection/ac5856cd-7e4c-4a61-8b15-6fc9148ff7f2",
        200,
        json!([playbook_json()]),
    )
    .await;
    let playbooks = api
        .client
        .list_detection_playbooks("ac5856cd-7e4c-4a61-8b15-6fc9148ff7f2", &Default::default())
        .await
        .expect("playbooks");
    let request = api.request().await;
    assert_call(
        &request,
        "GET",
        "/connect/playbook/detection/ac5856cd-7e4c-4a61-8b15-6fc9148ff7f2",
        None,
    );
    assert_eq!(playbooks.len(), 1);
    assert_eq!(playbooks[0].name.as_deref(), Some("Suspicious SMB logon"));
}

#[tokio::test]
async fn list_event_playbooks_takes_the_alert_id() {
    let api = setup().await;
    api.expect(
        "GET",
        "/connect/playbook/event/WKhCuTw4GPvrQA-9ksmn",
        200,
        json!([]),
    )
    .await;
    let playbooks = api
        .client
        .list_event_playbooks("WKhCuTw4GPvrQA-9ksmn", &Default::default())
        .await
        .expect("playbooks");
    let request = api.request().await;
    assert_call(
        &request,
        "GET",
        "/connect/playbook/event/WKhCuTw4GPvrQA-9ksmn",
        None,
    );
    assert!(playbooks.is_empty());
}

// ------------------------------------------------------------------------------------------
// queries and utilities
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_active_queries_filters_internal_tasks() {
    let api = setup().await;
    api.expect(
        "GET",
        "/connect/query/active",
        200,
        json!([{
            "taskId": "jSliTqa12bOPhdW195TuuZ:443",
            "gridId": "",
            "details": "indices[so-*], search_type[QUERY_THEN_FETCH]",
            "startTime": "2024-10-06T19:29:39.332211Z",
            "elapsedMs": 100023,
            "cancelable": true
        }]),
    )
    .await;
    let params = security_onion_client::operations::ListActiveQueriesParams {
        filter: Some(true),
        ..Default::default()
    };
    let tasks = api
        .client
        .list_active_queries(&params)
        .await
        .expect("tasks");
    let request = api.request().await;
    assert_call(
        &request,
        "GET",
        "/connect/query/active",
        Some("filter=true"),
    );
    assert_eq!(
        tasks[0].task_id.as_deref(),
        Some("jSliTqa12bOPhdW195TuuZ:443")
    );
    assert_eq!(tasks[0].elapsed_ms, Some(100023));
    assert_eq!(tasks[0].cancelable, Some(true));
}

#[tokio::test]
async fn cancel_query_is_a_post() {
    let api = setup().await;
    // Task ids are `<node>:<number>`; the `:` is sent as it is, so chi (which routes on the raw
    // path) hands SOC the id itself, not `...%3A443`.
    api.expect(
        "POST",
        "/connect/query/cancel/jSliTqa12bOPhdW195TuuZ:443",
        200,
        Value::Null,
    )
    .await;
    api.client
        .cancel_query("jSliTqa12bOPhdW195TuuZ:443", &Default::default())
        .await
        .expect("cancelled");
    let request = api.request().await;
    assert_call(
        &request,
        "POST",
        "/connect/query/cancel/jSliTqa12bOPhdW195TuuZ:443",
        None,
    );
    no_body(&request);
}

#[tokio::test]
async fn reverse_lookup_puts_the_addresses_and_decodes_the_names() {
    let api = setup().await;
    api.expect(
        "PUT",
        "/connect/util/reverse-lookup",
        200,
        json!({"10.0.0.20": ["db01.corp.example"], "203.0.113.7": ["203.0.113.7"]}),
    )
    .await;
    let names = api
        .client
        .reverse_lookup(
            &Default::default(),
            &vec!["10.0.0.20".to_owned(), "203.0.113.7".to_owned()],
        )
        .await
        .expect("names");
    let request = api.request().await;
    assert_call(&request, "PUT", "/connect/util/reverse-lookup", None);
    assert_eq!(json_body(&request), json!(["10.0.0.20", "203.0.113.7"]));
    assert_eq!(names["10.0.0.20"], vec!["db01.corp.example".to_owned()]);
    assert_eq!(names["203.0.113.7"], vec!["203.0.113.7".to_owned()]);
}
