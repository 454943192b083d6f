//! The generated Sekoia.io client against a wiremock server on 127.0.0.1: every operation's
//! request shape (method, path, query, headers, body) and response decoding.

use std::collections::BTreeMap;

use sekoia_client::operations::{
    DeleteRuleParams, DisableRuleParams, EnableRuleParams, GetAlertParams, GetCaseParams,
    GetEventSearchJobEventsParams, GetEventSearchJobFieldsParams, ListAlertsParams,
    ListCaseCommentsParams, ListCaseTagsParams, ListCasesParams, ListRulesParams,
};
use sekoia_client::types::{
    AlertUpdate, AlertWorkflowUpdate, CaseAlerts, CaseCommentCreate, CaseCreate, CaseEvents,
    CasePriority, CaseUpdate, CommentCreate, CountermeasureComment, CountermeasureDecision,
    EventSearchJobCreate, EventSearchJobStatus, InvitationCreate, RuleCreate, SortDirection,
};
use sekoia_client::{Client, Error};
use serde_json::{json, Value};
use uuid::Uuid;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sekoia-test-key";
const RULE_UUID: &str = "0e7a5c1f-3c4d-4a5e-9b7a-2f0c6e4d1a11";
const ALERT_UUID: &str = "5b1d7f2e-8a3c-4e6f-9d0b-1c2a3b4c5d6e";
const CASE_UUID: &str = "9f8e7d6c-5b4a-4321-8fed-cba987654321";
const JOB_UUID: &str = "c4f1e2d3-b4a5-4697-8899-aabbccddeeff";
const COMMUNITY: &str = "88dcb0c6-4efe-4256-95f1-40d2c4fefefd";
const EVENT_ID: &str = "6f0f6e1c-4a1b-4c2d-9e3f-0a1b2c3d4e5f";
const COUNTERMEASURE: &str = "1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b";

/// A server, and a client pointed at it under the automation library's `/api/v1` prefix.
async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(format!("{}/api/v1", server.uri()))
        .bearer_token(KEY)
        .build()
        .expect("valid configuration");
    (server, client)
}

/// Expects exactly one `verb path` request carrying the bearer key, answered with `status` and
/// `body` (no body when `Value::Null`).
async fn expect(server: &MockServer, verb: &str, route: &str, status: u16, body: Value) {
    let mut response = ResponseTemplate::new(status);
    if !body.is_null() {
        response = response.set_body_json(body);
    }
    Mock::given(method(verb))
        .and(path(route))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

/// The one request the server saw.
async fn received(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

fn json_body(request: &Request) -> Value {
    assert_eq!(request.headers["content-type"], "application/json");
    serde_json::from_slice(&request.body).expect("JSON body")
}

fn rule_json() -> Value {
    json!({
        "uuid": RULE_UUID,
        "name": "My custom SIGMA rule",
        "type": "sigma",
        "description": "Detect spawn of Powershell",
        "payload": "detection:\n  selection:\n    process.command_line|contains: 'powershell'\n  condition: selection",
        "severity": 40,
        "effort": 3,
        "enabled": true,
        "community_uuid": COMMUNITY,
        "last_compilation_at": "2024-05-01T12:00:00Z",
        "alert_type": {"uuid": "599f4b1a-dd60-43fe-8ee9-07d3c5d00ded", "value": "malware"},
        "tags": [{"uuid": "1a2b3c4d-0000-4000-8000-000000000001", "name": "windows"}],
        "a_field_added_next_year": {"nested": [1, 2, 3]}
    })
}

fn alert_json() -> Value {
    json!({
        "uuid": ALERT_UUID,
        "short_id": "ALWxYz12",
        "title": "Suspicious PowerShell",
        "status": {"uuid": "2efc4930-1442-4abb-acf2-58ba219a4fd0", "name": "Ongoing"},
        "urgency": {"value": 40, "current_value": 40, "display": "Medium"},
        "created_at": 1714560000,
        "updated_at": 1714563600,
        "first_seen_at": "2024-05-01T10:00:00Z",
        "triage_score_added_later": 12
    })
}

fn case_json() -> Value {
    json!({
        "uuid": CASE_UUID,
        "short_id": "CAa1b2c3",
        "title": "Compromised host",
        "priority": "high",
        "created_at": "2024-05-01T12:00:00Z",
        "number_of_alerts": 3
    })
}

fn rule_create() -> RuleCreate {
    let mut body = RuleCreate::new(
        "My custom SIGMA rule".into(),
        "sigma".into(),
        "Detect spawn of Powershell".into(),
        "detection:\n  selection:\n    process.command_line|contains: 'powershell'\n  condition: selection".into(),
        40,
        3,
        "599f4b1a-dd60-43fe-8ee9-07d3c5d00ded".parse().expect("uuid"),
        true,
    );
    body.tags = Some(vec!["windows".into()]);
    body
}

fn rule_create_json() -> Value {
    json!({
        "name": "My custom SIGMA rule",
        "type": "sigma",
        "description": "Detect spawn of Powershell",
        "payload": "detection:\n  selection:\n    process.command_line|contains: 'powershell'\n  condition: selection",
        "severity": 40,
        "effort": 3,
        "alert_type_uuid": "599f4b1a-dd60-43fe-8ee9-07d3c5d00ded",
        "enabled": true,
        "tags": ["windows"]
    })
}

// ----- rules catalog -----

#[tokio::test]
async fn list_rules_sends_the_bracketed_match_key_percent_encoded() {
    let (server, client) = setup().await;
    let page =
        json!({"total": 1, "has_more": false, "items": [rule_json()], "next_page_token": "x"});
    expect(
        &server,
        "GET",
        "/api/v1/sic/conf/rules-catalog/rules",
        200,
        page,
    )
    .await;
    let params = ListRulesParams {
        match_name: Some("Suspicious Windows Defender Exclusion Command".into()),
        limit: Some(10),
        offset: Some(20),
        sort: Some("name".into()),
        ..Default::default()
    };
    let page = client.list_rules(&params).await.expect("listed");
    let request = received(&server).await;
    assert_eq!(
        request.url.query(),
        Some("match%5Bname%5D=Suspicious%20Windows%20Defender%20Exclusion%20Command&limit=10&offset=20&sort=name")
    );
    assert_eq!(page.total, 1);
    assert_eq!(page.has_more, Some(false));
    assert_eq!(page.items[0].name, "My custom SIGMA rule");
    assert_eq!(page.items[0].severity, Some(40));
    assert_eq!(
        page.additional_properties.value("next_page_token"),
        Some(json!("x"))
    );
}

#[tokio::test]
async fn list_rules_without_parameters_sends_no_query() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/api/v1/sic/conf/rules-catalog/rules",
        200,
        json!({"total": 0, "items": []}),
    )
    .await;
    let page = client
        .list_rules(&ListRulesParams::default())
        .await
        .expect("listed");
    assert_eq!(received(&server).await.url.query(), None);
    assert!(page.items.is_empty());
}

#[tokio::test]
async fn create_rule_posts_the_documented_body() {
    let (server, client) = setup().await;
    expect(
        &server,
        "POST",
        "/api/v1/sic/conf/rules-catalog/rules",
        200,
        rule_json(),
    )
    .await;
    let rule = client.create_rule(&rule_create()).await.expect("created");
    assert_eq!(json_body(&received(&server).await), rule_create_json());
    assert_eq!(rule.uuid.to_string(), RULE_UUID);
}

#[tokio::test]
async fn get_rule_decodes_known_and_unknown_members() {
    let (server, client) = setup().await;
    let route = format!("/api/v1/sic/conf/rules-catalog/rules/{RULE_UUID}");
    expect(&server, "GET", &route, 200, rule_json()).await;
    let rule = client.get_rule(RULE_UUID).await.expect("fetched");
    assert_eq!(rule.r#type.as_deref(), Some("sigma"));
    assert_eq!(
        rule.last_compilation_at.flatten().map(|t| t.to_rfc3339()),
        Some("2024-05-01T12:00:00+00:00".into())
    );
    assert_eq!(
        rule.tags.as_ref().expect("tags")[0].name.as_deref(),
        Some("windows")
    );
    assert_eq!(
        rule.additional_properties.value("a_field_added_next_year"),
        Some(json!({"nested": [1, 2, 3]}))
    );
}

#[tokio::test]
async fn update_rule_puts_the_body() {
    let (server, client) = setup().await;
    let route = format!("/api/v1/sic/conf/rules-catalog/rules/{RULE_UUID}");
    expect(&server, "PUT", &route, 200, rule_json()).await;
    client
        .update_rule(RULE_UUID, &rule_create())
        .await
        .expect("updated");
    assert_eq!(json_body(&received(&server).await), rule_create_json());
}

#[tokio::test]
async fn delete_rule_sends_the_community_and_accepts_no_content() {
    let (server, client) = setup().await;
    let route = format!("/api/v1/sic/conf/rules-catalog/rules/{RULE_UUID}");
    expect(&server, "DELETE", &route, 204, Value::Null).await;
    let params = DeleteRuleParams {
        community_uuid: Some(COMMUNITY.parse().expect("uuid")),
    };
    client
        .delete_rule(RULE_UUID, &params)
        .await
        .expect("deleted");
    let request = received(&server).await;
    assert_eq!(
        request.url.query(),
        Some(format!("community_uuid={COMMUNITY}").as_str())
    );
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn enable_and_disable_rule_put_to_their_sub_resources() {
    for (verb_path, enabled) in [("enabled", true), ("disabled", false)] {
        let (server, client) = setup().await;
        let route = format!("/api/v1/sic/conf/rules-catalog/rules/{RULE_UUID}/{verb_path}");
        let mut rule = rule_json();
        rule["enabled"] = json!(enabled);
        expect(&server, "PUT", &route, 200, rule).await;
        let community = Some(COMMUNITY.parse().expect("uuid"));
        let rule = if enabled {
            let params = EnableRuleParams {
                community_uuid: community,
            };
            client.enable_rule(RULE_UUID, &params).await
        } else {
            let params = DisableRuleParams {
                community_uuid: community,
            };
            client.disable_rule(RULE_UUID, &params).await
        }
        .expect("toggled");
        assert_eq!(rule.enabled, Some(enabled));
        let request = received(&server).await;
        assert_eq!(
            request.url.query(),
            Some(format!("community_uuid={COMMUNITY}").as_str())
        );
        assert!(request.body.is_empty());
    }
}

// ----- invitations -----

#[tokio::test]
async fn create_invitation_posts_email_and_community_roles() {
    let (server, client) = setup().await;
    expect(
        &server,
        "POST",
        "/api/v1/invitations",
        200,
        json!({"uuid": "6d1c2b3a-0000-4000-8000-000000000002", "email": "john.doe@example.com"}),
    )
    .await;
    let role: Uuid = "44aaa41f-24ee-41d3-a7c1-4677da8b9243"
        .parse()
        .expect("uuid");
    let communities = BTreeMap::from([(COMMUNITY.to_owned(), vec![role])]);
    let invitation = client
        .create_invitation(&InvitationCreate::new(
            "john.doe@example.com".into(),
            communities,
        ))
        .await
        .expect("invited");
    assert_eq!(
        json_body(&received(&server).await),
        json!({"email": "john.doe@example.com", "communities": {COMMUNITY: ["44aaa41f-24ee-41d3-a7c1-4677da8b9243"]}})
    );
    assert_eq!(invitation.email.as_deref(), Some("john.doe@example.com"));
}

// ----- event search jobs -----

#[tokio::test]
async fn create_event_search_job_posts_query_and_window() {
    let (server, client) = setup().await;
    expect(
        &server,
        "POST",
        "/api/v1/sic/conf/events/search/jobs",
        200,
        json!({"uuid": JOB_UUID}),
    )
    .await;
    let mut body =
        EventSearchJobCreate::new("source.ip:\"1.2.3.4\"".into(), "-30d".into(), "now".into());
    body.term_lang = Some("dork".into());
    let job = client
        .create_event_search_job(&body)
        .await
        .expect("created");
    assert_eq!(
        json_body(&received(&server).await),
        json!({"term": "source.ip:\"1.2.3.4\"", "earliest_time": "-30d", "latest_time": "now", "term_lang": "dork"})
    );
    assert_eq!(job.uuid.to_string(), JOB_UUID);
    assert_eq!(job.status, None);
}

#[tokio::test]
async fn get_event_search_job_decodes_status_codes_including_unknown_ones() {
    for (code, expected) in [
        (0, EventSearchJobStatus::NotStarted),
        (1, EventSearchJobStatus::InProgress),
        (2, EventSearchJobStatus::Done),
        (3, EventSearchJobStatus::Cancelled),
        (4, EventSearchJobStatus::Failed),
        (7, EventSearchJobStatus::Unknown(7)),
    ] {
        let (server, client) = setup().await;
        let route = format!("/api/v1/sic/conf/events/search/jobs/{JOB_UUID}");
        expect(
            &server,
            "GET",
            &route,
            200,
            json!({"uuid": JOB_UUID, "status": code, "total": 12}),
        )
        .await;
        let job = client
            .get_event_search_job(JOB_UUID)
            .await
            .expect("fetched");
        assert_eq!(job.status.as_ref(), Some(&expected));
        assert_eq!(
            serde_json::to_value(&job).expect("encodes")["status"],
            json!(code)
        );
    }
}

#[tokio::test]
async fn get_event_search_job_events_pages_with_limit_and_offset() {
    let (server, client) = setup().await;
    let route = format!("/api/v1/sic/conf/events/search/jobs/{JOB_UUID}/events");
    let events =
        json!({"total": 2, "items": [{"source.ip": "1.2.3.4", "message": "a"}, {"message": "b"}]});
    expect(&server, "GET", &route, 200, events).await;
    let params = GetEventSearchJobEventsParams {
        limit: Some(1000),
        offset: Some(100),
    };
    let page = client
        .get_event_search_job_events(JOB_UUID, &params)
        .await
        .expect("events");
    assert_eq!(
        received(&server).await.url.query(),
        Some("limit=1000&offset=100")
    );
    assert_eq!(page.total, 2);
    assert_eq!(page.items[0]["source.ip"], "1.2.3.4");
}

// ----- alerts -----

#[tokio::test]
async fn list_alerts_sends_filters_in_spec_order() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/api/v1/sic/alerts",
        200,
        json!({"total": 1, "has_more": true, "items": [alert_json()]}),
    )
    .await;
    let params = ListAlertsParams {
        match_status_name: Some("Ongoing,Acknowledged".into()),
        date_created_at: Some("2024-05-01,2024-05-31".into()),
        limit: Some(100),
        direction: Some(SortDirection::Desc),
        with_count: Some(true),
        ..Default::default()
    };
    let page = client.list_alerts(&params).await.expect("listed");
    assert_eq!(
        received(&server).await.url.query(),
        Some("match%5Bstatus_name%5D=Ongoing%2CAcknowledged&date%5Bcreated_at%5D=2024-05-01%2C2024-05-31&limit=100&direction=desc&with_count=true")
    );
    let alert = &page.items[0];
    assert_eq!(
        alert.created_at,
        Some(1714560000),
        "alerts use epoch seconds"
    );
    assert_eq!(
        alert.first_seen_at.flatten().map(|t| t.timestamp()),
        Some(1714557600)
    );
    assert_eq!(
        alert
            .additional_properties
            .value("triage_score_added_later"),
        Some(json!(12))
    );
}

#[tokio::test]
async fn get_alert_accepts_a_short_id_and_flags() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/api/v1/sic/alerts/ALWxYz12",
        200,
        alert_json(),
    )
    .await;
    let params = GetAlertParams {
        stix: Some(false),
        cases: Some(true),
    };
    let alert = client
        .get_alert("ALWxYz12", &params)
        .await
        .expect("fetched");
    assert_eq!(
        received(&server).await.url.query(),
        Some("stix=false&cases=true")
    );
    assert_eq!(
        alert.status.as_ref().and_then(|s| s.name.as_deref()),
        Some("Ongoing")
    );
}

#[tokio::test]
async fn update_alert_patches_only_the_members_set() {
    let (server, client) = setup().await;
    expect(
        &server,
        "PATCH",
        &format!("/api/v1/sic/alerts/{ALERT_UUID}"),
        200,
        alert_json(),
    )
    .await;
    let body = AlertUpdate {
        title: Some("Renamed".into()),
        urgency: Some(80),
        ..Default::default()
    };
    client
        .update_alert(ALERT_UUID, &body)
        .await
        .expect("updated");
    assert_eq!(
        json_body(&received(&server).await),
        json!({"title": "Renamed", "urgency": 80})
    );
}

#[tokio::test]
async fn update_alert_workflow_patches_the_action() {
    let (server, client) = setup().await;
    let route = format!("/api/v1/sic/alerts/{ALERT_UUID}/workflow");
    let actions = json!({"actions": [{"id": "ade85a5e-0000-4000-8000-000000000003", "name": "Validate", "description": "Mark as true positive"}]});
    expect(&server, "PATCH", &route, 200, actions).await;
    let mut body = AlertWorkflowUpdate::new(
        "ade85a5e-0000-4000-8000-000000000003"
            .parse()
            .expect("uuid"),
    );
    body.comment = Some(Some("confirmed".into()));
    let answer = client
        .update_alert_workflow(ALERT_UUID, &body)
        .await
        .expect("moved");
    assert_eq!(
        json_body(&received(&server).await),
        json!({"action_uuid": "ade85a5e-0000-4000-8000-000000000003", "comment": "confirmed"})
    );
    assert_eq!(answer.actions.expect("actions").len(), 1);
}

#[tokio::test]
async fn alert_comments_are_listed_and_created() {
    let (server, client) = setup().await;
    let route = format!("/api/v1/sic/alerts/{ALERT_UUID}/comments");
    let comment = json!({"uuid": "b0b0b0b0-0000-4000-8000-000000000004", "content": "Looking", "date": 1714560000, "created_by_type": "apikey", "unseen": true});
    expect(&server, "POST", &route, 200, comment.clone()).await;
    let mut body = CommentCreate::new("Looking".into());
    body.author = Some("automation".into());
    let created = client
        .create_alert_comment(ALERT_UUID, &body)
        .await
        .expect("commented");
    assert_eq!(
        json_body(&received(&server).await),
        json!({"content": "Looking", "author": "automation"})
    );
    assert_eq!(created.date, Some(1714560000));

    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        &route,
        200,
        json!({"total": 1, "has_more": false, "items": [comment]}),
    )
    .await;
    let listed = client
        .list_alert_comments(ALERT_UUID)
        .await
        .expect("listed");
    assert_eq!(listed.items[0].content, "Looking");
}

// ----- cases -----

#[tokio::test]
async fn list_cases_filters_and_pages() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/api/v1/sic/cases",
        200,
        json!({"total": 1, "has_more": false, "items": [case_json()]}),
    )
    .await;
    let params = ListCasesParams {
        match_tags: Some("ransomware".into()),
        limit: Some(50),
        offset: Some(0),
        ..Default::default()
    };
    let page = client.list_cases(&params).await.expect("listed");
    assert_eq!(
        received(&server).await.url.query(),
        Some("match%5Btags%5D=ransomware&limit=50&offset=0")
    );
    assert_eq!(page.items[0].priority, Some(CasePriority::High));
}

#[tokio::test]
async fn create_case_posts_title_and_priority() {
    let (server, client) = setup().await;
    expect(&server, "POST", "/api/v1/sic/cases", 200, case_json()).await;
    let mut body = CaseCreate::new("Compromised host".into());
    body.priority = Some(CasePriority::High);
    let case = client.create_case(&body).await.expect("created");
    assert_eq!(
        json_body(&received(&server).await),
        json!({"title": "Compromised host", "priority": "high"})
    );
    assert_eq!(case.short_id, "CAa1b2c3");
}

#[tokio::test]
async fn get_update_and_delete_case() {
    let route = format!("/api/v1/sic/cases/{CASE_UUID}");
    let (server, client) = setup().await;
    let mut unknown_priority = case_json();
    unknown_priority["priority"] = json!("critical");
    expect(&server, "GET", &route, 200, unknown_priority).await;
    let params = GetCaseParams {
        community_uuid: Some(COMMUNITY.parse().expect("uuid")),
        render: Some(false),
    };
    let case = client.get_case(CASE_UUID, &params).await.expect("fetched");
    assert_eq!(
        received(&server).await.url.query(),
        Some(format!("community_uuid={COMMUNITY}&render=false").as_str())
    );
    assert_eq!(
        case.priority,
        Some(CasePriority::Unknown("critical".into()))
    );
    assert_eq!(
        serde_json::to_value(&case).expect("encodes")["priority"],
        "critical"
    );

    let (server, client) = setup().await;
    expect(&server, "PATCH", &route, 200, case_json()).await;
    let body = CaseUpdate {
        description: Some("Escalated".into()),
        ..Default::default()
    };
    client.update_case(CASE_UUID, &body).await.expect("updated");
    assert_eq!(
        json_body(&received(&server).await),
        json!({"description": "Escalated"})
    );

    let (server, client) = setup().await;
    expect(&server, "DELETE", &route, 204, Value::Null).await;
    client.delete_case(CASE_UUID).await.expect("deleted");
}

#[tokio::test]
async fn case_comments_are_listed_and_created() {
    let route = format!("/api/v1/sic/cases/{CASE_UUID}/comments");
    let comment = json!({"uuid": "c0c0c0c0-0000-4000-8000-000000000005", "content": "Isolated the host", "created_at": "2024-05-01T12:30:00Z"});
    let (server, client) = setup().await;
    expect(&server, "POST", &route, 200, comment.clone()).await;
    let created = client
        .create_case_comment(
            CASE_UUID,
            &CaseCommentCreate::new("Isolated the host".into()),
        )
        .await
        .expect("commented");
    assert_eq!(
        json_body(&received(&server).await),
        json!({"content": "Isolated the host"})
    );
    assert_eq!(created.content, "Isolated the host");

    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        &route,
        200,
        json!({"total": 1, "items": [comment]}),
    )
    .await;
    let params = ListCaseCommentsParams {
        match_created_by: Some("a5fe93d8-e910-494b-ab83-8565fa2e5916".into()),
        direction: Some(SortDirection::Asc),
        ..Default::default()
    };
    let listed = client
        .list_case_comments(CASE_UUID, &params)
        .await
        .expect("listed");
    assert_eq!(
        received(&server).await.url.query(),
        Some("match%5Bcreated_by%5D=a5fe93d8-e910-494b-ab83-8565fa2e5916&direction=asc")
    );
    assert_eq!(listed.total, 1);
}

const COMMENT_UUID: &str = "3c7a0c8e-5f1b-4b8e-9a55-7d0f2f3e9b10";

/// The comment answer recorded in Sekoia's automation library (triggers test of case comments).
fn case_comment_json(content: &str) -> Value {
    json!({
        "uuid": COMMENT_UUID,
        "content": content,
        "created_at": "2025-03-17T15:06:04.858932+00:00",
        "created_by": "a5fe93d8-e910-494b-ab83-8565fa2e5916",
        "created_by_type": "user",
        "updated_at": "2025-03-17T15:06:04.858932+00:00"
    })
}

#[tokio::test]
async fn get_case_comment_reads_one_comment_by_both_identifiers() {
    let (server, client) = setup().await;
    let route = format!("/api/v1/sic/cases/{CASE_UUID}/comments/{COMMENT_UUID}");
    expect(
        &server,
        "GET",
        &route,
        200,
        case_comment_json("a new comment"),
    )
    .await;
    let comment = client
        .get_case_comment(CASE_UUID, COMMENT_UUID)
        .await
        .expect("fetched");
    assert_eq!(received(&server).await.url.query(), None);
    assert_eq!(comment.content, "a new comment");
    assert_eq!(
        comment.created_by.as_deref(),
        Some("a5fe93d8-e910-494b-ab83-8565fa2e5916")
    );
    assert_eq!(comment.created_by_type.as_deref(), Some("user"));
    assert!(comment.updated_at.is_some());
}

#[tokio::test]
async fn update_case_comment_patches_the_new_text() {
    let (server, client) = setup().await;
    let route = format!("/api/v1/sic/cases/{CASE_UUID}/comments/{COMMENT_UUID}");
    expect(
        &server,
        "PATCH",
        &route,
        200,
        case_comment_json("Host reimaged"),
    )
    .await;
    let comment = client
        .update_case_comment(
            CASE_UUID,
            COMMENT_UUID,
            &CaseCommentCreate::new("Host reimaged".into()),
        )
        .await
        .expect("edited");
    assert_eq!(
        json_body(&received(&server).await),
        json!({"content": "Host reimaged"})
    );
    assert_eq!(comment.content, "Host reimaged");
}

#[tokio::test]
async fn delete_case_comment_sends_no_body_and_accepts_no_content() {
    let (server, client) = setup().await;
    let route = format!("/api/v1/sic/cases/{CASE_UUID}/comments/{COMMENT_UUID}");
    expect(&server, "DELETE", &route, 204, Value::Null).await;
    client
        .delete_case_comment(CASE_UUID, COMMENT_UUID)
        .await
        .expect("deleted");
    let request = received(&server).await;
    assert!(request.body.is_empty());
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn list_case_alerts_decodes_the_alerts() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        &format!("/api/v1/sic/cases/{CASE_UUID}/alerts"),
        200,
        json!({"total": 1, "has_more": false, "items": [alert_json()]}),
    )
    .await;
    let listed = client.list_case_alerts(CASE_UUID).await.expect("listed");
    assert_eq!(received(&server).await.url.query(), None);
    assert_eq!(listed.total, Some(1));
    assert_eq!(listed.items[0].short_id.as_deref(), Some("ALWxYz12"));
    assert_eq!(listed.items[0].created_at, Some(1714560000));
}

#[tokio::test]
async fn add_case_alerts_patches_the_alert_list() {
    let (server, client) = setup().await;
    expect(
        &server,
        "PATCH",
        &format!("/api/v1/sic/cases/{CASE_UUID}/alerts"),
        200,
        json!({"status": "ok"}),
    )
    .await;
    let body = CaseAlerts::new(vec![ALERT_UUID.into(), "ALWxYz12".into()]);
    let result = client
        .add_case_alerts(CASE_UUID, &body)
        .await
        .expect("attached");
    let request = received(&server).await;
    assert_eq!(request.url.query(), None);
    assert_eq!(
        json_body(&request),
        json!({"alerts": [ALERT_UUID, "ALWxYz12"]})
    );
    assert_eq!(result.status.as_deref(), Some("ok"));
}

#[tokio::test]
async fn replace_case_alerts_posts_the_complete_list() {
    let (server, client) = setup().await;
    expect(
        &server,
        "POST",
        &format!("/api/v1/sic/cases/{CASE_UUID}/alerts"),
        200,
        json!({"status": "replaced", "count": 1}),
    )
    .await;
    let body = CaseAlerts::new(vec![ALERT_UUID.into()]);
    let result = client
        .replace_case_alerts(CASE_UUID, &body)
        .await
        .expect("replaced");
    assert_eq!(
        json_body(&received(&server).await),
        json!({"alerts": [ALERT_UUID]})
    );
    assert_eq!(result.status.as_deref(), Some("replaced"));
    assert_eq!(result.additional_properties.value("count"), Some(json!(1)));
}

#[tokio::test]
async fn add_case_events_posts_the_event_ids() {
    let (server, client) = setup().await;
    expect(
        &server,
        "POST",
        &format!("/api/v1/sic/cases/{CASE_UUID}/events"),
        200,
        Value::Null,
    )
    .await;
    let body = CaseEvents::new(vec![EVENT_ID.into()]);
    client
        .add_case_events(CASE_UUID, &body)
        .await
        .expect("added");
    let request = received(&server).await;
    assert_eq!(request.url.query(), None);
    assert_eq!(json_body(&request), json!({"event_ids": [EVENT_ID]}));
}

#[tokio::test]
async fn remove_case_event_deletes_the_event_sub_resource() {
    let (server, client) = setup().await;
    expect(
        &server,
        "DELETE",
        &format!("/api/v1/sic/cases/{CASE_UUID}/events/{EVENT_ID}"),
        204,
        Value::Null,
    )
    .await;
    client
        .remove_case_event(CASE_UUID, EVENT_ID.parse().expect("uuid"))
        .await
        .expect("removed");
    let request = received(&server).await;
    assert_eq!(request.url.query(), None);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn list_case_tags_pages_and_keeps_the_tags_open() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/api/v1/sic/cases/tags",
        200,
        json!({"total": 3, "has_more": true, "items": [{"value": "ransomware"}]}),
    )
    .await;
    let params = ListCaseTagsParams {
        limit: Some(1),
        offset: Some(0),
        community_uuid: Some(COMMUNITY.parse().expect("uuid")),
    };
    let page = client.list_case_tags(&params).await.expect("listed");
    assert_eq!(
        received(&server).await.url.query(),
        Some(format!("limit=1&offset=0&community_uuid={COMMUNITY}").as_str())
    );
    assert_eq!(page.total, 3);
    assert_eq!(page.has_more, Some(true));
    assert_eq!(page.items[0]["value"], "ransomware");
}

// ----- countermeasures -----

fn countermeasure_json(state: &str) -> Value {
    json!({
        "uuid": COUNTERMEASURE,
        "name": "Block the source address",
        "alert_uuid": ALERT_UUID,
        "relevance": 80,
        "created_at": "2024-05-01T12:00:00Z",
        "activated_at": if state == "active" { json!("2024-05-01T13:00:00Z") } else { Value::Null },
        "denied_at": if state == "denied" { json!("2024-05-01T13:00:00Z") } else { Value::Null },
        "comments": [{"uuid": "d0d0d0d0-0000-4000-8000-000000000006", "content": "Done", "author": "automation", "date": 1714568400}],
        "action_steps": [{"name": "Firewall rule", "status": "done", "action_order": "1"}]
    })
}

fn countermeasure_decision(text: &str) -> CountermeasureDecision {
    let mut comment = CountermeasureComment::new(text.into());
    comment.author = Some("automation".into());
    CountermeasureDecision::new(comment)
}

#[tokio::test]
async fn activate_countermeasure_patches_the_comment() {
    let (server, client) = setup().await;
    expect(
        &server,
        "PATCH",
        &format!("/api/v1/sic/alerts/countermeasures/{COUNTERMEASURE}/activate"),
        200,
        countermeasure_json("active"),
    )
    .await;
    let countermeasure = client
        .activate_countermeasure(COUNTERMEASURE, &countermeasure_decision("Blocked"))
        .await
        .expect("activated");
    let request = received(&server).await;
    assert_eq!(request.url.query(), None);
    assert_eq!(
        json_body(&request),
        json!({"comment": {"content": "Blocked", "author": "automation"}})
    );
    assert_eq!(countermeasure.alert_uuid.as_deref(), Some(ALERT_UUID));
    assert_eq!(countermeasure.relevance, Some(80));
    assert_eq!(
        countermeasure
            .activated_at
            .flatten()
            .map(|t| t.to_rfc3339()),
        Some("2024-05-01T13:00:00+00:00".into())
    );
    assert_eq!(countermeasure.denied_at, Some(None));
    assert_eq!(
        countermeasure.comments.expect("comments")[0].content,
        "Done"
    );
    assert_eq!(
        countermeasure.action_steps.expect("steps")[0]
            .action_order
            .as_deref(),
        Some("1")
    );
}

#[tokio::test]
async fn deny_countermeasure_patches_the_comment() {
    let (server, client) = setup().await;
    expect(
        &server,
        "PATCH",
        &format!("/api/v1/sic/alerts/countermeasures/{COUNTERMEASURE}/deny"),
        200,
        countermeasure_json("denied"),
    )
    .await;
    let countermeasure = client
        .deny_countermeasure(COUNTERMEASURE, &countermeasure_decision("Not needed"))
        .await
        .expect("denied");
    assert_eq!(
        json_body(&received(&server).await),
        json!({"comment": {"content": "Not needed", "author": "automation"}})
    );
    assert_eq!(countermeasure.activated_at, Some(None));
    assert!(countermeasure.denied_at.flatten().is_some());
    assert_eq!(
        countermeasure.name.as_deref(),
        Some("Block the source address")
    );
}

// ----- configuration objects -----

#[tokio::test]
async fn get_intake_decodes_the_intake_and_its_entity() {
    let (server, client) = setup().await;
    let intake = "2d4b8f3a-6c1e-4f7a-9b2d-3e5f7a9c1b2d";
    expect(
        &server,
        "GET",
        &format!("/api/v1/sic/conf/intakes/{intake}"),
        200,
        json!({
            "uuid": intake,
            "name": "Windows event logs",
            "community_uuid": COMMUNITY,
            "intake_key": "secret-intake-key",
            "is_custom_format": false,
            "connector_configuration_uuid": null,
            "entity": {"uuid": "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d", "name": "Headquarters"},
            "created_at": "2024-05-01T12:00:00Z"
        }),
    )
    .await;
    let got = client.get_intake(intake).await.expect("fetched");
    assert_eq!(received(&server).await.url.query(), None);
    assert_eq!(got.name, "Windows event logs");
    assert_eq!(got.is_custom_format, Some(false));
    assert_eq!(got.connector_configuration_uuid, Some(None));
    assert_eq!(
        got.entity.flatten().and_then(|e| e.name),
        Some("Headquarters".into())
    );
}

#[tokio::test]
async fn get_entity_decodes_the_entity() {
    let (server, client) = setup().await;
    let entity = "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d";
    expect(
        &server,
        "GET",
        &format!("/api/v1/sic/conf/entities/{entity}"),
        200,
        json!({"uuid": entity, "name": "Headquarters", "entity_id": "HQ", "alerts_generation": "automatic", "number_of_intakes": 3}),
    )
    .await;
    let got = client.get_entity(entity).await.expect("fetched");
    assert_eq!(received(&server).await.url.query(), None);
    assert_eq!(got.entity_id.as_deref(), Some("HQ"));
    assert_eq!(got.number_of_intakes, Some(3));
}

#[tokio::test]
async fn get_custom_status_decodes_the_status() {
    let (server, client) = setup().await;
    let status = "3c1e7a52-6f0d-4b8e-9a21-5d4c3b2a1f00";
    expect(
        &server,
        "GET",
        &format!("/api/v1/sic/custom_statuses/{status}"),
        200,
        json!({"uuid": status, "community_uuid": COMMUNITY, "label": "Investigating", "level": 2, "stage": "In progress", "is_used": true, "updated_at": null}),
    )
    .await;
    let got = client
        .get_custom_status(status.parse().expect("uuid"))
        .await
        .expect("fetched");
    assert_eq!(received(&server).await.url.query(), None);
    assert_eq!(got.uuid.map(|u| u.to_string()), Some(status.into()));
    assert_eq!(got.label.as_deref(), Some("Investigating"));
    assert_eq!(got.level, Some(2));
    assert_eq!(got.is_used, Some(true));
    assert_eq!(got.updated_at, Some(None));
}

#[tokio::test]
async fn get_custom_priority_decodes_the_priority() {
    let (server, client) = setup().await;
    let priority = "7d2b9c41-0e5f-4a36-b8c7-1f2e3d4c5b6a";
    expect(
        &server,
        "GET",
        &format!("/api/v1/sic/custom_priorities/{priority}"),
        200,
        json!({"uuid": priority, "community_uuid": COMMUNITY, "label": "Critical", "level": 4, "color": "#d32f2f", "created_by_type": "avatar"}),
    )
    .await;
    let got = client
        .get_custom_priority(priority.parse().expect("uuid"))
        .await
        .expect("fetched");
    assert_eq!(received(&server).await.url.query(), None);
    assert_eq!(got.color.as_deref(), Some("#d32f2f"));
    assert_eq!(got.level, Some(4));
    assert_eq!(got.created_by_type.as_deref(), Some("avatar"));
}

#[tokio::test]
async fn get_custom_verdict_decodes_the_verdict() {
    let (server, client) = setup().await;
    let verdict = "a9e8d7c6-b5a4-4392-8f1e-0d9c8b7a6e5d";
    expect(
        &server,
        "GET",
        &format!("/api/v1/sic/custom_verdicts/{verdict}"),
        200,
        json!({"uuid": verdict, "community_uuid": COMMUNITY, "label": "True positive", "level": 1, "stage": "Closed", "created_at": "2024-05-01T12:00:00Z"}),
    )
    .await;
    let got = client
        .get_custom_verdict(verdict.parse().expect("uuid"))
        .await
        .expect("fetched");
    assert_eq!(received(&server).await.url.query(), None);
    assert_eq!(got.uuid.to_string(), verdict);
    assert_eq!(got.community_uuid.to_string(), COMMUNITY);
    assert_eq!(got.label, "True positive");
    assert_eq!(got.level, 1);
    assert_eq!(got.stage.as_deref(), Some("Closed"));
}

#[tokio::test]
async fn get_event_search_job_fields_pages_and_decodes_common_values() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        &format!("/api/v1/sic/conf/events/search/jobs/{JOB_UUID}/fields"),
        200,
        // Shapes from the answer recorded in Sekoia's automation library: a field with values,
        // one with an empty list and one without the member.
        json!({
            "items": [
                {"display_name": "event.dialect", "description": "Dialect of the event",
                 "most_common_values": [{"value": 100.0, "name": "openssh"}],
                 "value_type": "string", "name": "event.dialect"},
                {"name": "action.id", "value_type": "number", "description": "Identifier of the action",
                 "display_name": "action.id", "most_common_values": []},
                {"name": "action.outcome_reason", "value_type": "string",
                 "description": "The reason of the failure/success", "display_name": "action.outcome_reason"}
            ],
            "total": 3
        }),
    )
    .await;
    let params = GetEventSearchJobFieldsParams {
        limit: Some(1000),
        offset: Some(0),
    };
    let fields = client
        .get_event_search_job_fields(JOB_UUID, &params)
        .await
        .expect("fields");
    assert_eq!(
        received(&server).await.url.query(),
        Some("limit=1000&offset=0")
    );
    assert_eq!(fields.total, 3);
    let dialect = &fields.items[0];
    assert_eq!(dialect.name, "event.dialect");
    let values = dialect.most_common_values.as_ref().expect("values");
    assert_eq!(values[0].name, "openssh");
    assert_eq!(values[0].value, 100.0);
    assert_eq!(fields.items[1].most_common_values.as_deref(), Some(&[][..]));
    assert!(fields.items[2].most_common_values.is_none());
}

#[tokio::test]
async fn get_community_is_addressed_outside_sic_and_keeps_loose_times() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        &format!("/api/v1/communities/{COMMUNITY}"),
        200,
        // The answer recorded in Sekoia's automation library (test_get_community).
        json!({
            "uuid": COMMUNITY,
            "name": "Detection",
            "description": "Community used for detection tests",
            "homepage_url": "",
            "picture_mode": "custom",
            "created_at": "2021-06-23 09:13:22.077939",
            "updated_at": "2021-06-23 09:15:09.778049",
            "created_by": "4abd1b95-ccee-44ba-af50-5c3b18c40b9f",
            "created_by_type": "avatar",
            "is_parent": false,
            "parent_community_uuid": null,
            "subcommunities": [],
            "is_mfa_enforced": null,
            "session_timeout": null,
            "disable_inactive_avatars": false,
            "disabled": false
        }),
    )
    .await;
    let community = client.get_community(COMMUNITY).await.expect("fetched");
    assert_eq!(received(&server).await.url.query(), None);
    assert_eq!(community.name, "Detection");
    assert_eq!(
        community.created_at.as_deref(),
        Some("2021-06-23 09:13:22.077939")
    );
    assert_eq!(community.parent_community_uuid, Some(None));
    assert_eq!(community.is_mfa_enforced, Some(None));
    assert_eq!(community.is_parent, Some(false));
    assert_eq!(
        community.additional_properties.value("picture_mode"),
        Some(json!("custom"))
    );
}

#[tokio::test]
async fn get_kill_chain_stage_decodes_the_stage_and_keeps_other_members() {
    let (server, client) = setup().await;
    let stage = "0c9b8a7d-6e5f-4d3c-2b1a-0f9e8d7c6b5a";
    expect(
        &server,
        "GET",
        &format!("/api/v1/sic/kill-chains/{stage}"),
        200,
        // The members of the answer recorded in XSOAR's Sekoia XDR integration, plus one more.
        json!({
            "order_id": 1,
            "uuid": stage,
            "short_id": "KCXKNfnJupq5",
            "name": "Reconnaissance",
            "description": "Intruder selects target.",
            "stix_name": "reconnaissance",
            "color": "#123456"
        }),
    )
    .await;
    let got = client.get_kill_chain_stage(stage).await.expect("fetched");
    assert_eq!(received(&server).await.url.query(), None);
    assert_eq!(got.uuid.as_deref(), Some(stage));
    assert_eq!(got.short_id.as_deref(), Some("KCXKNfnJupq5"));
    assert_eq!(got.order_id, Some(1));
    assert_eq!(got.stix_name.as_deref(), Some("reconnaissance"));
    assert_eq!(
        got.additional_properties.value("color"),
        Some(json!("#123456"))
    );
}

// ----- key validation, base URL, errors, encoding -----

#[tokio::test]
async fn validate_api_key_reads_the_identity() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/api/v1/apiauth/auth/validate",
        200,
        json!({"identity": "apikey:123", "type": "apikey"}),
    )
    .await;
    let validation = client.validate_api_key().await.expect("valid");
    assert_eq!(validation.identity.as_deref(), Some("apikey:123"));
}

#[tokio::test]
async fn the_documented_prefix_is_the_default_and_both_are_listed() {
    assert_eq!(sekoia_client::DEFAULT_BASE_URL, "https://api.sekoia.io/v1");
    let urls: Vec<&str> = sekoia_client::SERVERS.iter().map(|s| s.url).collect();
    assert_eq!(
        urls,
        ["https://api.sekoia.io/v1", "https://api.sekoia.io/api/v1"]
    );

    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(format!("{}/v1/", server.uri()))
        .bearer_token(KEY)
        .build()
        .expect("valid");
    expect(&server, "GET", "/v1/apiauth/auth/validate", 200, json!({})).await;
    client.validate_api_key().await.expect("reached under /v1");
}

#[tokio::test]
async fn a_declared_error_status_keeps_status_and_body() {
    let (server, client) = setup().await;
    let route = format!("/api/v1/sic/conf/rules-catalog/rules/{RULE_UUID}");
    expect(
        &server,
        "GET",
        &route,
        403,
        json!({"message": "Insufficient permissions", "code": "T300"}),
    )
    .await;
    let error = client.get_rule(RULE_UUID).await.expect_err("forbidden");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
    let Error::Status(status) = &error else {
        panic!("not a status error: {error}");
    };
    assert_eq!(
        status.body_json().expect("JSON")["message"],
        "Insufficient permissions"
    );
    let declared = status
        .declared::<sekoia_client::types::ErrorBody>()
        .expect("typed body");
    assert_eq!(declared.message, "Insufficient permissions");
    assert_eq!(declared.code.as_deref(), Some("T300"));
    assert!(error.to_string().contains("get_rule"), "{error}");
    assert!(!format!("{error:?}").contains(KEY));
}

#[tokio::test]
async fn a_success_with_the_wrong_shape_is_a_decode_error() {
    let (server, client) = setup().await;
    let mut rule = rule_json();
    rule["severity"] = json!("high");
    expect(
        &server,
        "GET",
        &format!("/api/v1/sic/conf/rules-catalog/rules/{RULE_UUID}"),
        200,
        rule,
    )
    .await;
    let error = client.get_rule(RULE_UUID).await.expect_err("mismatch");
    let Error::Decode { path, .. } = &error else {
        panic!("not a decode error: {error}");
    };
    assert_eq!(path, "severity");
}

#[tokio::test]
async fn path_parameters_are_encoded_as_one_segment() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let _ = client
        .get_alert("../../invitations?x=1#frag", &GetAlertParams::default())
        .await;
    let request = received(&server).await;
    assert_eq!(
        request.url.path(),
        "/api/v1/sic/alerts/..%2F..%2Finvitations%3Fx%3D1%23frag"
    );
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn dot_segment_path_parameters_are_refused_without_a_request() {
    let (server, client) = setup().await;
    let error = client.delete_case("..").await.expect_err("refused");
    assert!(
        matches!(error, Error::InvalidParameter { name: "uuid", .. }),
        "{error}"
    );
    assert!(server
        .received_requests()
        .await
        .expect("recording")
        .is_empty());
}

#[tokio::test]
async fn unknown_members_survive_a_decode_encode_round_trip() {
    let original = rule_json();
    let rule: sekoia_client::types::Rule =
        serde_json::from_value(original.clone()).expect("decodes");
    let mut reencoded = serde_json::to_value(&rule).expect("encodes");
    // Dates are re-serialised in chrono's RFC 3339 form; compare the instant, then the rest.
    assert_eq!(reencoded["last_compilation_at"], "2024-05-01T12:00:00Z");
    reencoded["last_compilation_at"] = original["last_compilation_at"].clone();
    assert_eq!(reencoded, original);
}

#[tokio::test]
async fn an_error_body_that_does_not_match_its_declaration_keeps_only_the_raw_body() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_string("<html>Unauthorized</html>"))
        .mount(&server)
        .await;
    let error = client.validate_api_key().await.expect_err("unauthorized");
    let Error::Status(status) = &error else {
        panic!("not a status error: {error}");
    };
    assert!(status
        .declared::<sekoia_client::types::ErrorBody>()
        .is_none());
    assert_eq!(status.body_text(), "<html>Unauthorized</html>");
}

#[tokio::test]
async fn an_undeclared_error_status_has_no_typed_body() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_json(json!({"message": "bad gateway"})))
        .mount(&server)
        .await;
    let error = client.validate_api_key().await.expect_err("bad gateway");
    let Error::Status(status) = &error else {
        panic!("not a status error: {error}");
    };
    assert_eq!(status.status.as_u16(), 502);
    assert!(
        status.declared.is_none(),
        "502 is not declared for this operation"
    );
    assert_eq!(status.body_json().expect("JSON")["message"], "bad gateway");
}
