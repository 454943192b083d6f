//! The generated Elastic Security (Kibana) client against a wiremock server on 127.0.0.1: every
//! operation's request (method, path with and without a space prefix, query, `Authorization`
//! for both schemes, `kbn-xsrf`, body) and the decoding of its response.
//!
//! Each operation test runs twice through [`contexts`]: once in the default space with an API
//! key, once in the `soc-team` space with basic credentials.

use clientgen_runtime::futures::StreamExt;
use clientgen_runtime::FilePart;
use elastic_security_client::operations::*;
use elastic_security_client::types::*;
use elastic_security_client::{Client, Error};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const API_KEY: &str = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
/// base64("elastic:changeme")
const BASIC: &str = "Basic ZWxhc3RpYzpjaGFuZ2VtZQ==";
const RULE_ID: &str = "6541b99a-dee9-4f6d-a86d-dbd1869d73b1";
const CASE_ID: &str = "66b9aa00-94fa-11ea-9f74-e7e108796192";
const COMMENT_ID: &str = "71ec1870-725b-11ea-a0b2-c51ea50a58e2";
const TIMELINE_ID: &str = "15c1929b-0af7-42bd-85a8-56e234cc7c4e";

/// One server and a client pointed at it, with the prefix and credentials the client uses.
struct Ctx {
    server: MockServer,
    client: Client,
    prefix: &'static str,
    authorization: String,
}

impl Ctx {
    async fn new(space: Option<&'static str>, basic: bool) -> Ctx {
        let server = MockServer::start().await;
        // The spaced variant also sits behind a Kibana `server.basePath` (`/kibana`), so the
        // prefix is seen to go between the base path and `/api`.
        let base = match space {
            Some(_) => format!("{}/kibana", server.uri()),
            None => server.uri(),
        };
        let mut builder = Client::builder().base_url(base);
        let authorization = if basic {
            builder = builder.basic_auth("elastic", "changeme");
            BASIC.to_owned()
        } else {
            builder = builder.api_key(API_KEY);
            format!("ApiKey {API_KEY}")
        };
        let prefix = match space {
            Some(space) => {
                builder = builder.space_id(space);
                "/kibana/s/soc-team"
            }
            None => "",
        };
        let client = builder.build().expect("valid configuration");
        Ctx {
            server,
            client,
            prefix,
            authorization,
        }
    }

    fn route(&self, route: &str) -> String {
        format!("{}{route}", self.prefix)
    }

    /// Expects exactly one `verb route` request with the client's credentials and `kbn-xsrf`,
    /// answered with `status` and a JSON `body` (no body when `Value::Null`).
    async fn respond(&self, verb: &str, route: &str, status: u16, body: Value) {
        let mut response = ResponseTemplate::new(status);
        if !body.is_null() {
            response = response.set_body_json(body);
        }
        self.respond_with(verb, route, response).await;
    }

    async fn respond_with(&self, verb: &str, route: &str, response: ResponseTemplate) {
        Mock::given(method(verb))
            .and(path(self.route(route)))
            .and(header("authorization", self.authorization.as_str()))
            .and(header("kbn-xsrf", "true"))
            .respond_with(response)
            .expect(1)
            .mount(&self.server)
            .await;
    }

    /// The one request the server saw; checks the headers every request carries.
    async fn request(&self) -> Request {
        let mut requests = self.server.received_requests().await.expect("recording on");
        assert_eq!(requests.len(), 1, "expected exactly one request");
        let request = requests.remove(0);
        assert_eq!(request.headers["kbn-xsrf"], "true");
        assert_eq!(
            request.headers["authorization"],
            self.authorization.as_str()
        );
        request
    }
}

/// Default space with an API key, then the `soc-team` space with basic credentials.
async fn contexts() -> Vec<Ctx> {
    vec![
        Ctx::new(None, false).await,
        Ctx::new(Some("soc-team"), true).await,
    ]
}

fn json_body(request: &Request) -> Value {
    assert_eq!(request.headers["content-type"], "application/json");
    serde_json::from_slice(&request.body).expect("JSON body")
}

fn no_body(request: &Request) {
    assert!(request.body.is_empty(), "unexpected body");
}

/// The multipart body's parts as (content-disposition, content) pairs.
fn multipart_parts(request: &Request) -> Vec<(String, String)> {
    let content_type = request.headers["content-type"].to_str().expect("ascii");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("multipart")
        .to_owned();
    let body = String::from_utf8(request.body.clone()).expect("utf-8 body");
    body.split(&format!("--{boundary}"))
        .filter(|part| !part.trim().is_empty() && part.trim() != "--")
        .map(|part| {
            let (head, content) = part.split_once("\r\n\r\n").expect("part headers");
            let disposition = head
                .lines()
                .find(|l| l.starts_with("Content-Disposition"))
                .expect("disposition")
                .to_owned();
            (disposition, content.trim_end_matches("\r\n").to_owned())
        })
        .collect()
}

fn from<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("valid test value")
}

// ----- fixtures: realistic answers -----

fn rule_json() -> Value {
    json!({
        "id": RULE_ID,
        "rule_id": "process_started_by_ms_office_program",
        "name": "MS Office child process",
        "description": "Process started by MS Office program",
        "risk_score": 50,
        "severity": "low",
        "type": "query",
        "query": "process.parent.name:EXCEL.EXE or process.parent.name:WINWORD.EXE",
        "language": "kuery",
        "index": ["logs-*"],
        "enabled": true,
        "immutable": false,
        "version": 1,
        "revision": 2,
        "tags": ["child process", "ms office"],
        "interval": "5m",
        "from": "now-6m",
        "to": "now",
        "max_signals": 100,
        "actions": [],
        "exceptions_list": [{"id": "9e5fc75a-a3da-46c5-96e3-a2ec59c6bb85", "list_id": "trusted-linux-processes", "type": "detection", "namespace_type": "single"}],
        "threat": [{"framework": "MITRE ATT&CK", "tactic": {"id": "TA0002", "name": "Execution", "reference": "https://attack.mitre.org/tactics/TA0002/"}, "technique": []}],
        "rule_source": {"type": "internal"},
        "execution_summary": {"last_execution": {"date": "2025-05-01T12:05:00.000Z", "status": "succeeded", "status_order": 0, "message": "ok", "metrics": {}}},
        "created_at": "2025-05-01T12:00:00.000Z",
        "created_by": "elastic",
        "updated_at": "2025-05-01T12:00:00.000Z",
        "updated_by": "elastic",
        "throttle": null,
        "output_index": "",
        "alert_suppression": {"group_by": ["host.name"], "missing_fields_strategy": "suppress"},
        "a_member_from_kibana_10": {"nested": true}
    })
}

fn exception_list_json() -> Value {
    json!({
        "id": "9e5fc75a-a3da-46c5-96e3-a2ec59c6bb85",
        "list_id": "trusted-linux-processes",
        "type": "detection",
        "name": "Trusted Linux processes",
        "description": "Processes never worth an alert",
        "immutable": false,
        "namespace_type": "single",
        "os_types": ["linux"],
        "tags": ["linux"],
        "version": 1,
        "_version": "WzIsMV0=",
        "tie_breaker_id": "6a76b69d-80df-4ab2-8c3e-85f466b06a0e",
        "created_at": "2025-05-01T12:00:00.000Z",
        "created_by": "elastic",
        "updated_at": "2025-05-01T12:00:00.000Z",
        "updated_by": "elastic"
    })
}

fn exception_item_json() -> Value {
    json!({
        "id": "71a9f4b2-c85c-49b4-866f-c71eb9e67da2",
        "item_id": "simple_list_item",
        "list_id": "trusted-linux-processes",
        "type": "simple",
        "name": "Nightly backup",
        "description": "The backup job runs every night",
        "entries": [
            {"field": "process.executable", "type": "match", "operator": "included", "value": "/usr/bin/backup"},
            {"field": "host.name", "type": "match_any", "operator": "excluded", "value": ["db-1", "db-2"]},
            {"field": "parent", "type": "nested", "entries": [{"field": "name", "type": "exists", "operator": "included"}]}
        ],
        "namespace_type": "single",
        "os_types": ["linux"],
        "tags": [],
        "comments": [{"id": "0dd6f8c1-9ac2-4b46-b1b5-bd1dac6b3e7a", "comment": "Approved", "created_at": "2025-05-01T12:00:00.000Z", "created_by": "elastic", "updated_at": "2025-05-02T08:30:00.000Z", "updated_by": "analyst"}],
        "expire_time": "2026-12-31T00:00:00.000Z",
        "tie_breaker_id": "5b1d7f2e-8a3c-4e6f-9d0b-1c2a3b4c5d6e",
        "created_at": "2025-05-01T12:00:00.000Z",
        "created_by": "elastic",
        "updated_at": "2025-05-01T12:00:00.000Z",
        "updated_by": "elastic"
    })
}

fn list_json() -> Value {
    json!({
        "id": "internal-ip-excludes",
        "name": "Internal IPs to exclude",
        "description": "Scanners and backup hosts",
        "type": "ip",
        "immutable": false,
        "version": 1,
        "_version": "WzEsMV0=",
        "@timestamp": "2025-05-01T12:00:00.000Z",
        "tie_breaker_id": "f5508188-b1e9-4e6e-9662-d039a7d89899",
        "created_at": "2025-05-01T12:00:00.000Z",
        "created_by": "elastic",
        "updated_at": "2025-05-01T12:00:00.000Z",
        "updated_by": "elastic"
    })
}

fn list_item_json(value: &str) -> Value {
    json!({
        "id": "54b01cfb-058d-44b9-838c-282be16c91cd",
        "list_id": "internal-ip-excludes",
        "type": "ip",
        "value": value,
        "_version": "WzIsMV0=",
        "tie_breaker_id": "21f209f0-3df4-4f4f-9a35-7b64c1e0a1d1",
        "created_at": "2025-05-01T12:00:00.000Z",
        "created_by": "elastic",
        "updated_at": "2025-05-01T12:00:00.000Z",
        "updated_by": "elastic"
    })
}

fn timeline_json() -> Value {
    json!({
        "savedObjectId": TIMELINE_ID,
        "version": "WzE0LDFd",
        "title": "Lateral movement on host-1",
        "description": "Investigation of alert 0f2b3e6a4c1d8e9f",
        "timelineType": "default",
        "status": "active",
        "dateRange": {"start": "2025-05-01T00:00:00.000Z", "end": 1746187200000u64},
        "kqlQuery": {"filterQuery": {"kuery": {"kind": "kuery", "expression": "host.name:\"host-1\""}}},
        "sort": [{"columnId": "@timestamp", "sortDirection": "desc"}],
        "created": 1746100800000u64,
        "createdBy": "elastic",
        "updated": 1746100800000u64,
        "updatedBy": "elastic",
        "pinnedEventIds": ["0f2b3e6a4c1d8e9f"],
        "notes": []
    })
}

fn user_json() -> Value {
    json!({"username": "elastic", "full_name": null, "email": null, "profile_uid": "u_J41Oh6L9ki-Vo2tOogS8WRTENzhHurGtRc87NgEAlkc_0"})
}

fn comment_json() -> Value {
    json!({
        "id": COMMENT_ID,
        "type": "user",
        "owner": "securitySolution",
        "version": "WzIwNDMxLDFd",
        "comment": "A new comment.",
        "created_at": "2025-05-01T12:10:00.000Z",
        "created_by": user_json(),
        "pushed_at": null,
        "pushed_by": null,
        "updated_at": null,
        "updated_by": null
    })
}

fn case_json() -> Value {
    json!({
        "id": CASE_ID,
        "version": "WzExMCwxXQ==",
        "title": "Phishing campaign",
        "description": "Users received credential-harvesting e-mail",
        "tags": ["phishing"],
        "status": "open",
        "severity": "low",
        "owner": "securitySolution",
        "settings": {"syncAlerts": true},
        "connector": {"id": "none", "name": "none", "type": ".none", "fields": null},
        "assignees": [{"uid": "u_J41Oh6L9ki-Vo2tOogS8WRTENzhHurGtRc87NgEAlkc_0"}],
        "category": null,
        "customFields": [{"key": "ticket_ref", "type": "text", "value": "INC-1234"}, {"key": "escalated", "type": "toggle", "value": null}],
        "duration": null,
        "created_at": "2025-05-01T12:00:00.000Z",
        "created_by": user_json(),
        "updated_at": null,
        "updated_by": null,
        "closed_at": null,
        "closed_by": null,
        "external_service": null,
        "comments": [comment_json()],
        "totalComment": 1,
        "totalAlerts": 0,
        "totalEvents": 0,
        "observables": []
    })
}

fn configuration_json() -> Value {
    json!({
        "id": "3297a0f0-b5ec-11ec-b141-0fdb20a7f9a9",
        "version": "WzIwNzMsMV0=",
        "owner": "securitySolution",
        "closure_type": "close-by-user",
        "connector": {"id": "none", "name": "none", "type": ".none", "fields": null},
        "customFields": [],
        "templates": [],
        "mappings": [],
        "error": null,
        "created_at": "2025-05-01T12:00:00.000Z",
        "created_by": user_json(),
        "updated_at": null,
        "updated_by": null
    })
}

// ----- detection rules -----

#[tokio::test]
async fn create_rule_posts_the_rule_and_decodes_the_answer() {
    for ctx in contexts().await {
        ctx.respond("POST", "/api/detection_engine/rules", 200, rule_json())
            .await;
        let mut body = RuleCreateProps::new(
            "MS Office child process".into(),
            "Process started by MS Office program".into(),
            50,
            RuleSeverity::Low,
            RuleType::Query,
        );
        body.rule_id = Some("process_started_by_ms_office_program".into());
        body.query = Some("process.parent.name:EXCEL.EXE".into());
        body.language = Some(RuleLanguage::Kuery);
        body.index = Some(vec!["logs-*".into()]);
        let rule = ctx.client.create_rule(&body).await.expect("created");
        let request = ctx.request().await;
        assert_eq!(request.url.query(), None);
        assert_eq!(
            json_body(&request),
            json!({
                "rule_id": "process_started_by_ms_office_program",
                "query": "process.parent.name:EXCEL.EXE",
                "language": "kuery",
                "index": ["logs-*"],
                "name": "MS Office child process",
                "description": "Process started by MS Office program",
                "risk_score": 50,
                "severity": "low",
                "type": "query"
            })
        );
        assert_eq!(rule.id.to_string(), RULE_ID);
        assert_eq!(rule.rule_id, "process_started_by_ms_office_program");
        assert_eq!(rule.severity, RuleSeverity::Low);
        assert_eq!(rule.r#type, RuleType::Query);
        assert_eq!(rule.revision, Some(2));
        assert_eq!(rule.created_at.to_rfc3339(), "2025-05-01T12:00:00+00:00");
        let threat = rule.threat.as_ref().expect("threat");
        assert_eq!(threat[0].tactic.id, "TA0002");
        let summary = rule.execution_summary.as_ref().expect("summary");
        assert_eq!(
            summary.last_execution.as_ref().expect("last").status,
            "succeeded"
        );
        assert_eq!(
            rule.additional_properties.value("a_member_from_kibana_10"),
            Some(json!({"nested": true}))
        );
    }
}

#[tokio::test]
async fn read_rule_addresses_the_rule_by_id_or_rule_id() {
    for ctx in contexts().await {
        // A rule read through a saved-object alias carries the resolve hints.
        let mut resolved = rule_json();
        resolved["outcome"] = json!("aliasMatch");
        resolved["alias_target_id"] = json!(RULE_ID);
        resolved["alias_purpose"] = json!("savedObjectConversion");
        ctx.respond("GET", "/api/detection_engine/rules", 200, resolved)
            .await;
        let params = ReadRuleParams {
            id: Some(RULE_ID.parse().expect("uuid")),
            ..Default::default()
        };
        let rule = ctx.client.read_rule(&params).await.expect("read");
        let request = ctx.request().await;
        assert_eq!(request.url.query(), Some(format!("id={RULE_ID}").as_str()));
        no_body(&request);
        assert_eq!(rule.name, "MS Office child process");
        assert_eq!(rule.index.as_deref(), Some(&["logs-*".to_owned()][..]));
        // Older Kibana sends `throttle: null`; it decodes as absent.
        assert_eq!(rule.throttle, None);
        assert_eq!(rule.output_index.as_deref(), Some(""));
        let suppression = rule.alert_suppression.as_ref().expect("alert_suppression");
        assert_eq!(suppression["group_by"], json!(["host.name"]));
        assert_eq!(rule.outcome, Some(RuleResponseOutcome::AliasMatch));
        assert_eq!(rule.alias_target_id.as_deref(), Some(RULE_ID));
        assert_eq!(
            rule.alias_purpose,
            Some(RuleResponseAliasPurpose::SavedObjectConversion)
        );
    }
}

#[tokio::test]
async fn update_rule_puts_the_whole_rule() {
    for ctx in contexts().await {
        ctx.respond("PUT", "/api/detection_engine/rules", 200, rule_json())
            .await;
        let body: RuleUpdateProps = from(json!({
            "rule_id": "process_started_by_ms_office_program",
            "name": "MS Office child process",
            "description": "Updated",
            "risk_score": 73,
            "severity": "high",
            "type": "query",
            "query": "process.parent.name:EXCEL.EXE",
            "language": "kuery"
        }));
        let rule = ctx.client.update_rule(&body).await.expect("updated");
        let request = ctx.request().await;
        let sent = json_body(&request);
        assert_eq!(sent["risk_score"], 73);
        assert_eq!(sent["severity"], "high");
        assert_eq!(sent["rule_id"], "process_started_by_ms_office_program");
        assert_eq!(rule.version, 1);
    }
}

#[tokio::test]
async fn patch_rule_sends_only_the_members_set() {
    for ctx in contexts().await {
        let mut answer = rule_json();
        answer["enabled"] = json!(false);
        ctx.respond("PATCH", "/api/detection_engine/rules", 200, answer)
            .await;
        let body = RulePatchProps {
            id: Some(RULE_ID.parse().expect("uuid")),
            enabled: Some(false),
            ..Default::default()
        };
        let rule = ctx.client.patch_rule(&body).await.expect("patched");
        let request = ctx.request().await;
        assert_eq!(
            json_body(&request),
            json!({"enabled": false, "id": RULE_ID})
        );
        assert!(!rule.enabled);
    }
}

#[tokio::test]
async fn delete_rule_sends_the_rule_id() {
    for ctx in contexts().await {
        ctx.respond("DELETE", "/api/detection_engine/rules", 200, rule_json())
            .await;
        let params = DeleteRuleParams {
            rule_id: Some("process_started_by_ms_office_program".into()),
            ..Default::default()
        };
        let rule = ctx.client.delete_rule(&params).await.expect("deleted");
        let request = ctx.request().await;
        assert_eq!(
            request.url.query(),
            Some("rule_id=process_started_by_ms_office_program")
        );
        no_body(&request);
        assert_eq!(rule.id.to_string(), RULE_ID);
    }
}

#[tokio::test]
async fn find_rules_sends_filter_sort_and_page() {
    for ctx in contexts().await {
        ctx.respond(
            "GET",
            "/api/detection_engine/rules/_find",
            200,
            json!({"page": 2, "perPage": 5, "total": 6, "data": [rule_json()], "warnings": []}),
        )
        .await;
        let params = FindRulesParams {
            fields: Some(vec!["name".into(), "enabled".into()]),
            filter: Some("alert.attributes.enabled:true".into()),
            sort_field: Some(FindRulesSortField::UpdatedAt),
            sort_order: Some(SortOrder::Desc),
            page: Some(2),
            per_page: Some(5),
            gaps_range_start: Some("now-24h".into()),
            gaps_range_end: Some("now".into()),
            gap_fill_statuses: Some(vec![GapFillStatus::Unfilled, GapFillStatus::InProgress]),
            gap_auto_fill_scheduler_id: Some("default".into()),
        };
        let page = ctx.client.find_rules(&params).await.expect("found");
        let request = ctx.request().await;
        assert_eq!(
            request.url.query(),
            Some("fields=name&fields=enabled&filter=alert.attributes.enabled%3Atrue&sort_field=updated_at&sort_order=desc&page=2&per_page=5&gaps_range_start=now-24h&gaps_range_end=now&gap_fill_statuses=unfilled&gap_fill_statuses=in_progress&gap_auto_fill_scheduler_id=default")
        );
        assert_eq!(page.per_page, 5);
        assert_eq!(page.total, 6);
        assert_eq!(page.data[0].rule_id, "process_started_by_ms_office_program");
    }
}

#[tokio::test]
async fn find_rules_stream_walks_every_page() {
    let ctx = Ctx::new(Some("soc-team"), false).await;
    let rule = |n: u32| {
        let mut r = rule_json();
        r["rule_id"] = json!(format!("rule-{n}"));
        r
    };
    for (page, range) in [(1u32, 0..2u32), (2, 2..4), (3, 4..5)] {
        Mock::given(method("GET"))
            .and(path("/kibana/s/soc-team/api/detection_engine/rules/_find"))
            .and(query_param("page", page.to_string().as_str()))
            .and(query_param("per_page", "2"))
            .and(header("kbn-xsrf", "true"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "page": page, "perPage": 2, "total": 5,
                "data": range.map(rule).collect::<Vec<_>>()
            })))
            .expect(1)
            .mount(&ctx.server)
            .await;
    }
    let params = FindRulesParams {
        per_page: Some(2),
        ..Default::default()
    };
    let rules: Vec<RuleResponse> = ctx
        .client
        .find_rules_stream(&params, None)
        .map(|r| r.expect("page fetched"))
        .collect()
        .await;
    let ids: Vec<&str> = rules.iter().map(|r| r.rule_id.as_str()).collect();
    assert_eq!(ids, ["rule-0", "rule-1", "rule-2", "rule-3", "rule-4"]);
}

#[tokio::test]
async fn perform_rules_bulk_action_posts_the_action() {
    for ctx in contexts().await {
        ctx.respond(
            "POST",
            "/api/detection_engine/rules/_bulk_action",
            200,
            json!({
                "success": true,
                "rules_count": 1,
                "attributes": {
                    "results": {"updated": [rule_json()], "created": [], "deleted": [], "skipped": []},
                    "summary": {"failed": 0, "succeeded": 1, "skipped": 0, "total": 1},
                    "errors": []
                }
            }),
        )
        .await;
        let mut body = BulkActionRequest::new(BulkActionType::Disable);
        body.ids = Some(vec![RULE_ID.into()]);
        let params = PerformRulesBulkActionParams {
            dry_run: Some(true),
        };
        let answer = ctx
            .client
            .perform_rules_bulk_action(&params, &body)
            .await
            .expect("done");
        let request = ctx.request().await;
        assert_eq!(request.url.query(), Some("dry_run=true"));
        assert_eq!(
            json_body(&request),
            json!({"action": "disable", "ids": [RULE_ID]})
        );
        assert_eq!(answer.success, Some(true));
        assert_eq!(answer.attributes.summary.succeeded, 1);
        let updated = answer.attributes.results.updated.as_ref().expect("updated");
        assert_eq!(updated[0].id.to_string(), RULE_ID);
    }
}

#[tokio::test]
async fn perform_rules_bulk_action_fills_gaps_over_a_range() {
    for ctx in contexts().await {
        ctx.respond(
            "POST",
            "/api/detection_engine/rules/_bulk_action",
            200,
            json!({
                "success": true,
                "rules_count": 1,
                "attributes": {
                    "results": {"updated": [rule_json()], "created": [], "deleted": [], "skipped": []},
                    "summary": {"failed": 0, "succeeded": 1, "skipped": 0, "total": 1}
                }
            }),
        )
        .await;
        let mut body = BulkActionRequest::new(BulkActionType::FillGaps);
        body.query = Some("alert.attributes.enabled:true".into());
        body.fill_gaps = Some(BulkActionRequestFillGaps::new(
            "2025-03-01T00:00:00.000Z".into(),
            "2025-03-10T23:59:59.999Z".into(),
        ));
        body.gaps_range_start = Some("now-7d".into());
        body.gaps_range_end = Some("now".into());
        body.gap_fill_statuses = Some(vec![GapFillStatus::Unfilled]);
        let answer = ctx
            .client
            .perform_rules_bulk_action(&PerformRulesBulkActionParams::default(), &body)
            .await
            .expect("done");
        let request = ctx.request().await;
        assert_eq!(
            json_body(&request),
            json!({
                "action": "fill_gaps",
                "query": "alert.attributes.enabled:true",
                "fill_gaps": {"start_date": "2025-03-01T00:00:00.000Z", "end_date": "2025-03-10T23:59:59.999Z"},
                "gaps_range_start": "now-7d",
                "gaps_range_end": "now",
                "gap_fill_statuses": ["unfilled"]
            })
        );
        assert_eq!(answer.attributes.summary.total, 1);
    }
}

#[tokio::test]
async fn import_rules_uploads_the_ndjson_file_as_multipart() {
    for ctx in contexts().await {
        ctx.respond(
            "POST",
            "/api/detection_engine/rules/_import",
            200,
            json!({
                "success": false,
                "success_count": 1,
                "rules_count": 2,
                "errors": [{"rule_id": "dup", "error": {"message": "rule_id: \"dup\" already exists", "status_code": 409}}],
                "exceptions_success": true,
                "exceptions_success_count": 0,
                "exceptions_errors": [],
                "action_connectors_success": true,
                "action_connectors_success_count": 0,
                "action_connectors_errors": [],
                "action_connectors_warnings": []
            }),
        )
        .await;
        let file = "{\"rule_id\":\"a\"}\n{\"rule_id\":\"dup\"}\n";
        let body = RulesImportForm::new(
            FilePart::new(file.as_bytes().to_vec())
                .file_name("rules.ndjson")
                .content_type("application/ndjson"),
        );
        let params = ImportRulesParams {
            overwrite: Some(true),
            overwrite_exceptions: Some(false),
            ..Default::default()
        };
        let answer = ctx
            .client
            .import_rules(&params, &body)
            .await
            .expect("imported");
        let request = ctx.request().await;
        assert_eq!(
            request.url.query(),
            Some("overwrite=true&overwrite_exceptions=false")
        );
        let parts = multipart_parts(&request);
        assert_eq!(parts.len(), 1);
        assert_eq!(
            parts[0].0,
            "Content-Disposition: form-data; name=\"file\"; filename=\"rules.ndjson\""
        );
        assert_eq!(parts[0].1, file.trim_end_matches('\n').to_owned() + "\n");
        assert!(!answer.success);
        assert_eq!(answer.success_count, 1);
        assert_eq!(answer.errors[0].error.status_code, 409);
        assert_eq!(answer.errors[0].rule_id.as_deref(), Some("dup"));
    }
}

#[tokio::test]
async fn export_rules_reads_one_rule_per_line_then_the_details() {
    for ctx in contexts().await {
        let lines = format!(
            "{}\n{}\n",
            serde_json::to_string(&rule_json()).expect("line"),
            json!({"exported_count": 1, "exported_rules_count": 1, "missing_rules": [], "missing_rules_count": 0})
        );
        ctx.respond_with(
            "POST",
            "/api/detection_engine/rules/_export",
            ResponseTemplate::new(200).set_body_raw(lines, "application/ndjson"),
        )
        .await;
        let params = ExportRulesParams {
            exclude_export_details: Some(false),
            file_name: Some("rules_export.ndjson".into()),
        };
        let body = RulesExportRequest::new(vec![RulesExportRequestObjectsItem::new(
            "process_started_by_ms_office_program".into(),
        )]);
        let exported = ctx
            .client
            .export_rules(&params, Some(&body))
            .await
            .expect("exported")
            .into_vec()
            .await
            .expect("every line decodes");
        let request = ctx.request().await;
        assert_eq!(
            request.url.query(),
            Some("exclude_export_details=false&file_name=rules_export.ndjson")
        );
        assert_eq!(
            json_body(&request),
            json!({"objects": [{"rule_id": "process_started_by_ms_office_program"}]})
        );
        assert_eq!(exported.len(), 2);
        let RulesExportLine::RuleResponse(rule) = &exported[0] else {
            panic!("first line is not a rule: {:?}", exported[0]);
        };
        assert_eq!(rule.rule_id, "process_started_by_ms_office_program");
        let RulesExportLine::RulesExportDetails(details) = &exported[1] else {
            panic!("last line is not the details: {:?}", exported[1]);
        };
        assert_eq!(details.exported_rules_count, Some(1));
        assert_eq!(details.missing_rules_count, Some(0));
    }
}

#[tokio::test]
async fn export_rules_without_a_body_exports_everything() {
    let ctx = Ctx::new(None, true).await;
    ctx.respond_with(
        "POST",
        "/api/detection_engine/rules/_export",
        ResponseTemplate::new(200).set_body_raw("{\"exported_count\":0}\n", "application/ndjson"),
    )
    .await;
    let exported = ctx
        .client
        .export_rules(&ExportRulesParams::default(), None)
        .await
        .expect("exported")
        .into_vec()
        .await
        .expect("every line decodes");
    let request = ctx.request().await;
    assert_eq!(request.url.query(), None);
    no_body(&request);
    assert_eq!(exported.len(), 1);
}

#[tokio::test]
async fn prebuilt_rules_status_and_install() {
    for ctx in contexts().await {
        ctx.respond(
            "GET",
            "/api/detection_engine/rules/prepackaged/_status",
            200,
            json!({"rules_custom_installed": 3, "rules_installed": 1000, "rules_not_installed": 150, "rules_not_updated": 12, "timelines_installed": 10, "timelines_not_installed": 0, "timelines_not_updated": 1}),
        )
        .await;
        ctx.respond(
            "PUT",
            "/api/detection_engine/rules/prepackaged",
            200,
            json!({"rules_installed": 150, "rules_updated": 12, "timelines_installed": 0, "timelines_updated": 1}),
        )
        .await;
        let status = ctx
            .client
            .read_prebuilt_rules_status()
            .await
            .expect("status");
        assert_eq!(status.rules_not_installed, 150);
        assert_eq!(status.timelines_not_updated, 1);
        let installed = ctx
            .client
            .install_prebuilt_rules()
            .await
            .expect("installed");
        assert_eq!(installed.rules_installed, 150);
        assert_eq!(installed.rules_updated, 12);
        let requests = ctx.server.received_requests().await.expect("recording");
        assert_eq!(requests.len(), 2);
        for request in &requests {
            assert_eq!(request.headers["kbn-xsrf"], "true");
            assert_eq!(request.headers["authorization"], ctx.authorization.as_str());
            assert_eq!(request.url.query(), None);
            no_body(request);
        }
    }
}

// ----- alerts -----

#[tokio::test]
async fn search_alerts_posts_the_query_and_decodes_hits() {
    for ctx in contexts().await {
        ctx.respond(
            "POST",
            "/api/detection_engine/signals/search",
            200,
            json!({
                "took": 3,
                "timed_out": false,
                "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
                "hits": {
                    "total": {"value": 1, "relation": "eq"},
                    "max_score": null,
                    "hits": [{
                        "_index": ".internal.alerts-security.alerts-default-000001",
                        "_id": "0f2b3e6a4c1d8e9f",
                        "_score": null,
                        "_source": {"kibana.alert.workflow_status": "open", "host.name": "host-1"},
                        "sort": [1746101100000u64]
                    }]
                },
                "aggregations": {"by_rule": {"buckets": [{"key": "MS Office child process", "doc_count": 1}]}}
            }),
        )
        .await;
        let body: AlertsSearchRequest = from(json!({
            "query": {"bool": {"filter": [{"term": {"kibana.alert.workflow_status": "open"}}]}},
            "size": 10,
            "_source": ["host.name"],
            "aggs": {"by_rule": {"terms": {"field": "kibana.alert.rule.name"}}}
        }));
        let answer = ctx.client.search_alerts(&body).await.expect("searched");
        let request = ctx.request().await;
        assert_eq!(
            json_body(&request),
            json!({
                "query": {"bool": {"filter": [{"term": {"kibana.alert.workflow_status": "open"}}]}},
                "aggs": {"by_rule": {"terms": {"field": "kibana.alert.rule.name"}}},
                "size": 10,
                "_source": ["host.name"]
            })
        );
        assert_eq!(answer.took, 3);
        let total = answer.hits.total.as_ref().expect("total");
        assert_eq!((total.value, total.relation.as_str()), (1, "eq"));
        let hit = &answer.hits.hits[0];
        assert_eq!(hit.id, "0f2b3e6a4c1d8e9f");
        let source = serde_json::to_value(hit.source.as_ref().expect("source")).expect("json");
        assert_eq!(source["host.name"], "host-1");
        let aggregations =
            serde_json::to_value(answer.aggregations.as_ref().expect("aggs")).expect("json");
        assert_eq!(aggregations["by_rule"]["buckets"][0]["doc_count"], 1);
    }
}

#[tokio::test]
async fn set_alerts_status_by_ids_and_by_query() {
    for ctx in contexts().await {
        Mock::given(method("POST"))
            .and(path(ctx.route("/api/detection_engine/signals/status")))
            .and(header("kbn-xsrf", "true"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "took": 12, "timed_out": false, "total": 1, "updated": 1, "deleted": 0, "batches": 1,
                "version_conflicts": 0, "noops": 0, "retries": {"bulk": 0, "search": 0},
                "throttled_millis": 0, "requests_per_second": -1.0, "throttled_until_millis": 0, "failures": []
            })))
            .expect(2)
            .mount(&ctx.server)
            .await;
        let mut by_ids =
            SetAlertsStatusByIds::new(vec!["0f2b3e6a4c1d8e9f".into()], AlertStatus::Closed);
        by_ids.reason = Some(AlertCloseReason::FalsePositive);
        let answer = ctx
            .client
            .set_alerts_status(&SetAlertsStatusRequest::SetAlertsStatusByIds(by_ids))
            .await
            .expect("closed");
        assert_eq!(answer.updated, Some(1));
        assert_eq!(answer.version_conflicts, Some(0));
        let by_query: SetAlertsStatusByQuery = from(json!({
            "query": {"term": {"kibana.alert.rule.rule_id": "x"}},
            "status": "acknowledged",
            "conflicts": "proceed",
            "runtime_fields": {"custom.user_risk": "keyword"}
        }));
        ctx.client
            .set_alerts_status(&SetAlertsStatusRequest::SetAlertsStatusByQuery(by_query))
            .await
            .expect("acknowledged");
        let requests = ctx.server.received_requests().await.expect("recording");
        assert_eq!(
            requests[0].headers["authorization"],
            ctx.authorization.as_str()
        );
        assert_eq!(
            json_body(&requests[0]),
            json!({"signal_ids": ["0f2b3e6a4c1d8e9f"], "status": "closed", "reason": "false_positive"})
        );
        assert_eq!(
            json_body(&requests[1]),
            json!({"query": {"term": {"kibana.alert.rule.rule_id": "x"}}, "status": "acknowledged", "conflicts": "proceed", "runtime_fields": {"custom.user_risk": "keyword"}})
        );
    }
}

// ----- exception lists and items -----

#[tokio::test]
async fn exception_list_create_read_update_delete() {
    for ctx in contexts().await {
        for verb in ["POST", "GET", "PUT", "DELETE"] {
            ctx.respond(verb, "/api/exception_lists", 200, exception_list_json())
                .await;
        }
        let mut create = ExceptionListCreate::new(
            "Trusted Linux processes".into(),
            "Processes never worth an alert".into(),
            ExceptionListType::Detection,
        );
        create.list_id = Some("trusted-linux-processes".into());
        create.namespace_type = Some(NamespaceType::Single);
        create.os_types = Some(vec![OsType::Linux]);
        let created = ctx
            .client
            .create_exception_list(&create)
            .await
            .expect("created");
        assert_eq!(created.list_id, "trusted-linux-processes");
        assert_eq!(created.r#type, ExceptionListType::Detection);

        let read = ctx
            .client
            .read_exception_list(&ReadExceptionListParams {
                list_id: Some("trusted-linux-processes".into()),
                namespace_type: Some(NamespaceType::Single),
                ..Default::default()
            })
            .await
            .expect("read");
        assert_eq!(read.os_types, Some(vec![OsType::Linux]));

        let mut update = ExceptionListUpdate::new(
            "Trusted Linux processes".into(),
            "Reviewed".into(),
            ExceptionListType::Detection,
        );
        update.list_id = Some("trusted-linux-processes".into());
        update.version = Some("WzIsMV0=".into());
        let updated = ctx
            .client
            .update_exception_list(&update)
            .await
            .expect("updated");
        assert_eq!(updated.version, 1);

        let deleted = ctx
            .client
            .delete_exception_list(&DeleteExceptionListParams {
                id: Some("9e5fc75a-a3da-46c5-96e3-a2ec59c6bb85".into()),
                namespace_type: Some(NamespaceType::Agnostic),
                ..Default::default()
            })
            .await
            .expect("deleted");
        assert_eq!(deleted.id, "9e5fc75a-a3da-46c5-96e3-a2ec59c6bb85");

        let requests = ctx.server.received_requests().await.expect("recording");
        assert_eq!(requests.len(), 4);
        for request in &requests {
            assert_eq!(request.headers["authorization"], ctx.authorization.as_str());
            assert_eq!(request.headers["kbn-xsrf"], "true");
        }
        assert_eq!(
            json_body(&requests[0]),
            json!({"list_id": "trusted-linux-processes", "name": "Trusted Linux processes", "description": "Processes never worth an alert", "type": "detection", "namespace_type": "single", "os_types": ["linux"]})
        );
        assert_eq!(
            requests[1].url.query(),
            Some("list_id=trusted-linux-processes&namespace_type=single")
        );
        no_body(&requests[1]);
        assert_eq!(
            json_body(&requests[2]),
            json!({"list_id": "trusted-linux-processes", "name": "Trusted Linux processes", "description": "Reviewed", "type": "detection", "_version": "WzIsMV0="})
        );
        assert_eq!(
            requests[3].url.query(),
            Some("id=9e5fc75a-a3da-46c5-96e3-a2ec59c6bb85&namespace_type=agnostic")
        );
    }
}

#[tokio::test]
async fn find_exception_lists_sends_comma_separated_namespaces() {
    for ctx in contexts().await {
        ctx.respond(
            "GET",
            "/api/exception_lists/_find",
            200,
            json!({"data": [exception_list_json()], "page": 1, "per_page": 20, "total": 1}),
        )
        .await;
        let params = FindExceptionListsParams {
            filter: Some("exception-list.attributes.name:\"Trusted\"".into()),
            namespace_type: Some(vec![NamespaceType::Single, NamespaceType::Agnostic]),
            page: Some(1),
            per_page: Some(20),
            sort_field: Some("name".into()),
            sort_order: Some(SortOrder::Asc),
        };
        let page = ctx
            .client
            .find_exception_lists(&params)
            .await
            .expect("found");
        let request = ctx.request().await;
        assert_eq!(
            request.url.query(),
            Some("filter=exception-list.attributes.name%3A%22Trusted%22&namespace_type=single,agnostic&page=1&per_page=20&sort_field=name&sort_order=asc")
        );
        assert_eq!(page.total, 1);
        assert_eq!(page.data[0].name, "Trusted Linux processes");
    }
}

#[tokio::test]
async fn exception_list_item_create_read_update_delete() {
    for ctx in contexts().await {
        for verb in ["POST", "GET", "PUT", "DELETE"] {
            ctx.respond(
                verb,
                "/api/exception_lists/items",
                200,
                exception_item_json(),
            )
            .await;
        }
        let mut entry = ExceptionEntry::new("process.executable".into(), ExceptionEntryType::Match);
        entry.operator = Some(ExceptionEntryOperator::Included);
        entry.value = Some(ExceptionEntryValue::String("/usr/bin/backup".into()));
        let mut create = ExceptionListItemCreate::new(
            "trusted-linux-processes".into(),
            ExceptionListItemCreateType::Simple,
            "Nightly backup".into(),
            "The backup job runs every night".into(),
            vec![entry.clone()],
        );
        create.item_id = Some("simple_list_item".into());
        create.comments = Some(vec![ExceptionComment::new("Approved".into())]);
        let created = ctx
            .client
            .create_exception_list_item(&create)
            .await
            .expect("created");
        assert_eq!(created.entries.len(), 3);
        assert!(matches!(
            &created.entries[1].value,
            Some(ExceptionEntryValue::Array(values)) if values == &["db-1".to_owned(), "db-2".to_owned()]
        ));
        assert_eq!(
            created.entries[2].entries.as_ref().expect("nested")[0].r#type,
            ExceptionEntryType::Exists
        );
        assert_eq!(
            created.comments.as_ref().expect("comments")[0].comment,
            "Approved"
        );
        // An edited comment carries who edited it (exceptions bundle ExceptionListItemComment).
        assert_eq!(
            created.comments.as_ref().expect("comments")[0]
                .updated_by
                .as_deref(),
            Some("analyst")
        );

        let read = ctx
            .client
            .read_exception_list_item(&ReadExceptionListItemParams {
                item_id: Some("simple_list_item".into()),
                ..Default::default()
            })
            .await
            .expect("read");
        assert_eq!(read.item_id, "simple_list_item");

        let mut update = ExceptionListItemUpdate::new(
            ExceptionListItemUpdateType::Simple,
            "Nightly backup".into(),
            "Reviewed".into(),
            vec![entry],
        );
        update.item_id = Some("simple_list_item".into());
        let updated = ctx
            .client
            .update_exception_list_item(&update)
            .await
            .expect("updated");
        assert_eq!(updated.list_id, "trusted-linux-processes");

        let deleted = ctx
            .client
            .delete_exception_list_item(&DeleteExceptionListItemParams {
                id: Some("71a9f4b2-c85c-49b4-866f-c71eb9e67da2".into()),
                namespace_type: Some(NamespaceType::Single),
                ..Default::default()
            })
            .await
            .expect("deleted");
        assert_eq!(deleted.id, "71a9f4b2-c85c-49b4-866f-c71eb9e67da2");

        let requests = ctx.server.received_requests().await.expect("recording");
        for request in &requests {
            assert_eq!(request.headers["authorization"], ctx.authorization.as_str());
        }
        assert_eq!(
            json_body(&requests[0]),
            json!({
                "item_id": "simple_list_item",
                "list_id": "trusted-linux-processes",
                "type": "simple",
                "name": "Nightly backup",
                "description": "The backup job runs every night",
                "entries": [{"field": "process.executable", "type": "match", "operator": "included", "value": "/usr/bin/backup"}],
                "comments": [{"comment": "Approved"}]
            })
        );
        assert_eq!(requests[1].url.query(), Some("item_id=simple_list_item"));
        assert_eq!(json_body(&requests[2])["item_id"], "simple_list_item");
        assert_eq!(json_body(&requests[2])["description"], "Reviewed");
        assert_eq!(
            requests[3].url.query(),
            Some("id=71a9f4b2-c85c-49b4-866f-c71eb9e67da2&namespace_type=single")
        );
    }
}

#[tokio::test]
async fn find_exception_list_items_sends_parallel_lists() {
    for ctx in contexts().await {
        ctx.respond(
            "GET",
            "/api/exception_lists/items/_find",
            200,
            json!({"data": [exception_item_json()], "page": 1, "per_page": 20, "total": 1, "pit": "46ToAwMDaWR5"}),
        )
        .await;
        let mut params = FindExceptionListItemsParams::new(vec![
            "trusted-linux-processes".into(),
            "endpoint_list".into(),
        ]);
        params.namespace_type = Some(vec![NamespaceType::Single, NamespaceType::Agnostic]);
        params.search = Some("backup".into());
        params.per_page = Some(20);
        let page = ctx
            .client
            .find_exception_list_items(&params)
            .await
            .expect("found");
        let request = ctx.request().await;
        assert_eq!(
            request.url.query(),
            Some("list_id=trusted-linux-processes,endpoint_list&namespace_type=single,agnostic&search=backup&per_page=20")
        );
        assert_eq!(page.pit.as_deref(), Some("46ToAwMDaWR5"));
        assert_eq!(page.data[0].name, "Nightly backup");
    }
}

// ----- value lists -----

#[tokio::test]
async fn list_index_create_and_read() {
    for ctx in contexts().await {
        ctx.respond(
            "POST",
            "/api/lists/index",
            200,
            json!({"acknowledged": true}),
        )
        .await;
        ctx.respond(
            "GET",
            "/api/lists/index",
            200,
            json!({"list_index": true, "list_item_index": false}),
        )
        .await;
        assert!(
            ctx.client
                .create_list_index()
                .await
                .expect("created")
                .acknowledged
        );
        let status = ctx.client.read_list_index().await.expect("read");
        assert!(status.list_index);
        assert!(!status.list_item_index);
        let requests = ctx.server.received_requests().await.expect("recording");
        for request in &requests {
            assert_eq!(request.headers["authorization"], ctx.authorization.as_str());
            no_body(request);
        }
    }
}

#[tokio::test]
async fn list_create_read_update_patch_delete() {
    for ctx in contexts().await {
        for verb in ["POST", "GET", "PUT", "PATCH", "DELETE"] {
            ctx.respond(verb, "/api/lists", 200, list_json()).await;
        }
        let mut create = ListCreate::new(
            "Internal IPs to exclude".into(),
            "Scanners and backup hosts".into(),
            ListType::Ip,
        );
        create.id = Some("internal-ip-excludes".into());
        let created = ctx.client.create_list(&create).await.expect("created");
        assert_eq!(created.r#type, ListType::Ip);
        assert_eq!(
            created.at_timestamp.map(|t| t.to_rfc3339()),
            Some("2025-05-01T12:00:00+00:00".into())
        );

        let read = ctx
            .client
            .read_list(&ReadListParams::new("internal-ip-excludes".into()))
            .await
            .expect("read");
        assert_eq!(read.name, "Internal IPs to exclude");

        let update = ListUpdate::new(
            "internal-ip-excludes".into(),
            "Internal IPs to exclude".into(),
            "Scanners, backup and monitoring hosts".into(),
        );
        ctx.client.update_list(&update).await.expect("updated");

        let mut patch = ListPatch::new("internal-ip-excludes".into());
        patch.name = Some("Internal IPs (excluded)".into());
        ctx.client.patch_list(&patch).await.expect("patched");

        let mut delete = DeleteListParams::new("internal-ip-excludes".into());
        delete.delete_references = Some(true);
        let deleted = ctx.client.delete_list(&delete).await.expect("deleted");
        assert_eq!(deleted.id, "internal-ip-excludes");

        let requests = ctx.server.received_requests().await.expect("recording");
        assert_eq!(
            json_body(&requests[0]),
            json!({"id": "internal-ip-excludes", "name": "Internal IPs to exclude", "description": "Scanners and backup hosts", "type": "ip"})
        );
        assert_eq!(requests[1].url.query(), Some("id=internal-ip-excludes"));
        assert_eq!(
            json_body(&requests[2]),
            json!({"id": "internal-ip-excludes", "name": "Internal IPs to exclude", "description": "Scanners, backup and monitoring hosts"})
        );
        assert_eq!(
            json_body(&requests[3]),
            json!({"id": "internal-ip-excludes", "name": "Internal IPs (excluded)"})
        );
        assert_eq!(
            requests[4].url.query(),
            Some("id=internal-ip-excludes&deleteReferences=true")
        );
        for request in &requests {
            assert_eq!(request.headers["authorization"], ctx.authorization.as_str());
        }
    }
}

#[tokio::test]
async fn find_lists_pages_and_returns_the_cursor() {
    for ctx in contexts().await {
        ctx.respond(
            "GET",
            "/api/lists/_find",
            200,
            json!({"data": [list_json()], "page": 1, "per_page": 10, "total": 1, "cursor": "WzIwXQ=="}),
        )
        .await;
        let params = FindListsParams {
            page: Some(1),
            per_page: Some(10),
            filter: Some("type:ip".into()),
            ..Default::default()
        };
        let page = ctx.client.find_lists(&params).await.expect("found");
        let request = ctx.request().await;
        assert_eq!(
            request.url.query(),
            Some("page=1&per_page=10&filter=type%3Aip")
        );
        assert_eq!(page.cursor, "WzIwXQ==");
        assert_eq!(page.data[0].id, "internal-ip-excludes");
    }
}

#[tokio::test]
async fn list_items_create_read_update_delete() {
    for ctx in contexts().await {
        ctx.respond("POST", "/api/lists/items", 200, list_item_json("10.0.0.1"))
            .await;
        ctx.respond("PUT", "/api/lists/items", 200, list_item_json("10.0.0.2"))
            .await;
        let created = ctx
            .client
            .create_list_item(&ListItemCreate::new(
                "internal-ip-excludes".into(),
                "10.0.0.1".into(),
            ))
            .await
            .expect("created");
        assert_eq!(created.value, "10.0.0.1");
        let updated = ctx
            .client
            .update_list_item(&ListItemUpdate::new(
                "54b01cfb-058d-44b9-838c-282be16c91cd".into(),
                "10.0.0.2".into(),
            ))
            .await
            .expect("updated");
        assert_eq!(updated.value, "10.0.0.2");
        let requests = ctx.server.received_requests().await.expect("recording");
        assert_eq!(
            json_body(&requests[0]),
            json!({"list_id": "internal-ip-excludes", "value": "10.0.0.1"})
        );
        assert_eq!(
            json_body(&requests[1]),
            json!({"id": "54b01cfb-058d-44b9-838c-282be16c91cd", "value": "10.0.0.2"})
        );
    }
}

#[tokio::test]
async fn read_and_delete_list_item_answer_one_item_or_an_array() {
    for ctx in contexts().await {
        Mock::given(method("GET"))
            .and(path(ctx.route("/api/lists/items")))
            .and(query_param("id", "54b01cfb-058d-44b9-838c-282be16c91cd"))
            .and(header("authorization", ctx.authorization.as_str()))
            .and(header("kbn-xsrf", "true"))
            .respond_with(ResponseTemplate::new(200).set_body_json(list_item_json("10.0.0.1")))
            .expect(1)
            .mount(&ctx.server)
            .await;
        ctx.respond(
            "DELETE",
            "/api/lists/items",
            200,
            json!([list_item_json("10.0.0.1"), list_item_json("10.0.0.1")]),
        )
        .await;
        let one = ctx
            .client
            .read_list_item(&ReadListItemParams {
                id: Some("54b01cfb-058d-44b9-838c-282be16c91cd".into()),
                ..Default::default()
            })
            .await
            .expect("read");
        let ListItemOrItems::ListItem(item) = one else {
            panic!("expected one item: {one:?}");
        };
        assert_eq!(item.list_id, "internal-ip-excludes");
        let many = ctx
            .client
            .delete_list_item(&DeleteListItemParams {
                list_id: Some("internal-ip-excludes".into()),
                value: Some("10.0.0.1".into()),
                refresh: Some(DeleteListItemRefresh::WaitFor),
                ..Default::default()
            })
            .await
            .expect("deleted");
        let ListItemOrItems::Array(items) = many else {
            panic!("expected items: {many:?}");
        };
        assert_eq!(items.len(), 2);
        let requests = ctx.server.received_requests().await.expect("recording");
        assert_eq!(
            requests[1].url.query(),
            Some("list_id=internal-ip-excludes&value=10.0.0.1&refresh=wait_for")
        );
    }
}

#[tokio::test]
async fn find_list_items_requires_the_list() {
    for ctx in contexts().await {
        ctx.respond(
            "GET",
            "/api/lists/items/_find",
            200,
            json!({"data": [list_item_json("10.0.0.1")], "page": 1, "per_page": 20, "total": 1, "cursor": "WzIwXQ=="}),
        )
        .await;
        let mut params = FindListItemsParams::new("internal-ip-excludes".into());
        params.sort_field = Some("value".into());
        params.cursor = Some("WzEwXQ==".into());
        let page = ctx.client.find_list_items(&params).await.expect("found");
        let request = ctx.request().await;
        assert_eq!(
            request.url.query(),
            Some("list_id=internal-ip-excludes&sort_field=value&cursor=WzEwXQ%3D%3D")
        );
        assert_eq!(page.data[0].value, "10.0.0.1");
    }
}

#[tokio::test]
async fn import_list_items_uploads_a_text_file() {
    for ctx in contexts().await {
        ctx.respond("POST", "/api/lists/items/_import", 200, list_json())
            .await;
        let params = ImportListItemsParams {
            r#type: Some(ListType::Ip),
            refresh: Some(ImportListItemsRefresh::True),
            ..Default::default()
        };
        let form = ListItemsImportForm::new(
            FilePart::new(b"10.0.0.1\n10.0.0.2\n".to_vec())
                .file_name("internal-ips.txt")
                .content_type("text/plain"),
        );
        let list = ctx
            .client
            .import_list_items(&params, &form)
            .await
            .expect("imported");
        let request = ctx.request().await;
        assert_eq!(request.url.query(), Some("type=ip&refresh=true"));
        let parts = multipart_parts(&request);
        assert_eq!(
            parts,
            [(
                "Content-Disposition: form-data; name=\"file\"; filename=\"internal-ips.txt\""
                    .to_owned(),
                "10.0.0.1\n10.0.0.2\n".to_owned()
            )]
        );
        assert_eq!(list.id, "internal-ip-excludes");
    }
}

#[tokio::test]
async fn export_list_items_returns_the_raw_lines() {
    for ctx in contexts().await {
        ctx.respond_with(
            "POST",
            "/api/lists/items/_export",
            ResponseTemplate::new(200).set_body_raw("10.0.0.1\n10.0.0.2\n", "application/ndjson"),
        )
        .await;
        let text = ctx
            .client
            .export_list_items(&ExportListItemsParams::new("internal-ip-excludes".into()))
            .await
            .expect("exported");
        let request = ctx.request().await;
        assert_eq!(request.url.query(), Some("list_id=internal-ip-excludes"));
        no_body(&request);
        assert_eq!(text.lines().collect::<Vec<_>>(), ["10.0.0.1", "10.0.0.2"]);
    }
}

// ----- timelines -----

#[tokio::test]
async fn get_timeline_unwraps_nothing_and_decodes_the_envelope() {
    for ctx in contexts().await {
        ctx.respond(
            "GET",
            "/api/timeline",
            200,
            json!({"data": {"getOneTimeline": timeline_with_favorite_and_eql()}}),
        )
        .await;
        let answer = ctx
            .client
            .get_timeline(&GetTimelineParams {
                id: Some(TIMELINE_ID.into()),
                ..Default::default()
            })
            .await
            .expect("read");
        let request = ctx.request().await;
        assert_eq!(
            request.url.query(),
            Some(format!("id={TIMELINE_ID}").as_str())
        );
        let timeline = &answer.data.as_ref().expect("found").get_one_timeline;
        assert_eq!(timeline.saved_object_id, TIMELINE_ID);
        assert_eq!(
            timeline.title.as_ref().and_then(|t| t.as_deref()),
            Some("Lateral movement on host-1")
        );
        assert_eq!(timeline.timeline_type, Some(TimelineType::Default));
        let range = timeline
            .date_range
            .as_ref()
            .and_then(|r| r.as_ref())
            .expect("range");
        assert!(
            matches!(range.end, Some(SavedTimelineDateRangeEnd::Number(n)) if n == 1746187200000.0)
        );
        // Members of the bundle's SavedTimeline typed after the upstream comparison.
        let favorite = &timeline
            .favorite
            .as_ref()
            .and_then(|f| f.as_ref())
            .expect("favorite")[0];
        assert_eq!(
            favorite.user_name.as_ref().and_then(|u| u.as_deref()),
            Some("elastic")
        );
        let eql = timeline
            .eql_options
            .as_ref()
            .and_then(|e| e.as_ref())
            .expect("eqlOptions");
        assert_eq!(
            eql.event_category_field.as_ref().and_then(|f| f.as_deref()),
            Some("event.category")
        );
        assert_eq!(
            timeline
                .excluded_row_renderer_ids
                .as_ref()
                .and_then(|r| r.as_deref()),
            Some(&["netflow".to_owned()][..])
        );
    }
}

/// A timeline as Kibana answers it once a user marked it and used the correlation tab.
fn timeline_with_favorite_and_eql() -> Value {
    let mut timeline = timeline_json();
    timeline["favorite"] =
        json!([{"favoriteDate": 1741337636741u64, "fullName": null, "userName": "elastic"}]);
    timeline["eqlOptions"] = json!({"eventCategoryField": "event.category", "query": "", "size": 100, "tiebreakerField": "", "timestampField": "@timestamp"});
    timeline["excludedRowRendererIds"] = json!(["netflow"]);
    timeline["savedSearchId"] = Value::Null;
    timeline
}

#[tokio::test]
async fn create_and_patch_timeline_post_the_envelope() {
    for ctx in contexts().await {
        let persisted = json!({"data": {"persistTimeline": {"timeline": timeline_json()}}});
        ctx.respond("POST", "/api/timeline", 200, persisted.clone())
            .await;
        ctx.respond("PATCH", "/api/timeline", 200, persisted).await;
        let create: TimelineCreate = from(json!({
            "timeline": {"title": "Lateral movement on host-1", "timelineType": "default", "indexNames": ["logs-*"]},
            "timelineType": "default"
        }));
        let created = ctx.client.create_timeline(&create).await.expect("created");
        assert_eq!(created.data.persist_timeline.timeline.version, "WzE0LDFd");
        let patch = TimelinePatch::new(
            TIMELINE_ID.into(),
            "WzE0LDFd".into(),
            from(json!({"title": "Confirmed"})),
        );
        let patched = ctx.client.patch_timeline(&patch).await.expect("patched");
        assert_eq!(
            patched.data.persist_timeline.timeline.saved_object_id,
            TIMELINE_ID
        );
        let requests = ctx.server.received_requests().await.expect("recording");
        assert_eq!(
            json_body(&requests[0]),
            json!({"timeline": {"title": "Lateral movement on host-1", "timelineType": "default", "indexNames": ["logs-*"]}, "timelineType": "default"})
        );
        assert_eq!(
            json_body(&requests[1]),
            json!({"timelineId": TIMELINE_ID, "version": "WzE0LDFd", "timeline": {"title": "Confirmed"}})
        );
    }
}

#[tokio::test]
async fn delete_timelines_sends_the_ids_in_a_body() {
    for ctx in contexts().await {
        ctx.respond(
            "DELETE",
            "/api/timeline",
            200,
            json!({"data": {"deleteTimeline": true}}),
        )
        .await;
        let body = TimelinesDelete::new(vec![TIMELINE_ID.into()]);
        let answer = ctx.client.delete_timelines(&body).await.expect("deleted");
        let request = ctx.request().await;
        assert_eq!(
            json_body(&request),
            json!({"savedObjectIds": [TIMELINE_ID]})
        );
        assert!(answer.data.delete_timeline);
    }
}

#[tokio::test]
async fn find_timelines_pages_by_page_index() {
    for ctx in contexts().await {
        ctx.respond(
            "GET",
            "/api/timelines",
            200,
            json!({"timeline": [timeline_json()], "totalCount": 1, "defaultTimelineCount": 1, "templateTimelineCount": 0, "favoriteCount": 0, "elasticTemplateTimelineCount": 0, "customTemplateTimelineCount": 0}),
        )
        .await;
        let params = FindTimelinesParams {
            only_user_favorite: Some(false),
            timeline_type: Some(TimelineType::Default),
            sort_field: Some(TimelineSortField::Updated),
            sort_order: Some(SortOrder::Desc),
            page_size: Some(10),
            page_index: Some(1),
            search: Some("lateral".into()),
            status: Some(TimelineStatus::Active),
        };
        let page = ctx.client.find_timelines(&params).await.expect("found");
        let request = ctx.request().await;
        assert_eq!(
            request.url.query(),
            Some("only_user_favorite=false&timeline_type=default&sort_field=updated&sort_order=desc&page_size=10&page_index=1&search=lateral&status=active")
        );
        assert_eq!(page.total_count, 1);
        assert_eq!(page.timeline[0].saved_object_id, TIMELINE_ID);
    }
}

#[tokio::test]
async fn import_timelines_uploads_multipart() {
    for ctx in contexts().await {
        ctx.respond(
            "POST",
            "/api/timeline/_import",
            200,
            json!({"success": true, "success_count": 1, "timelines_installed": 1, "timelines_updated": 0, "errors": []}),
        )
        .await;
        let line = serde_json::to_string(&timeline_json()).expect("line");
        let mut form = TimelinesImportForm::new(
            FilePart::new(format!("{line}\n").into_bytes()).file_name("timelines.ndjson"),
        );
        form.is_immutable = Some(TimelinesImportFormIsImmutable::False);
        let answer = ctx.client.import_timelines(&form).await.expect("imported");
        let request = ctx.request().await;
        let parts = multipart_parts(&request);
        assert_eq!(parts.len(), 2);
        assert!(parts[0]
            .0
            .contains("name=\"file\"; filename=\"timelines.ndjson\""));
        assert_eq!(parts[0].1, format!("{line}\n"));
        assert_eq!(
            parts[1],
            (
                "Content-Disposition: form-data; name=\"isImmutable\"".to_owned(),
                "false".to_owned()
            )
        );
        assert_eq!(answer.timelines_installed, Some(1));
    }
}

#[tokio::test]
async fn export_timelines_reads_one_timeline_per_line() {
    for ctx in contexts().await {
        let mut second = timeline_json();
        second["savedObjectId"] = json!("second");
        second["eventNotes"] = json!([]);
        let body = format!("{}\n{}\n", timeline_json(), second);
        ctx.respond_with(
            "POST",
            "/api/timeline/_export",
            ResponseTemplate::new(200).set_body_raw(body, "application/ndjson"),
        )
        .await;
        let params = ExportTimelinesParams::new("timelines.ndjson".into());
        let request_body = TimelinesExportRequest {
            ids: Some(Some(vec![TIMELINE_ID.into(), "second".into()])),
            ..Default::default()
        };
        let exported = ctx
            .client
            .export_timelines(&params, &request_body)
            .await
            .expect("exported")
            .into_vec()
            .await
            .expect("every line decodes");
        let request = ctx.request().await;
        assert_eq!(request.url.query(), Some("file_name=timelines.ndjson"));
        assert_eq!(json_body(&request), json!({"ids": [TIMELINE_ID, "second"]}));
        let ids: Vec<&str> = exported
            .iter()
            .map(|t| t.saved_object_id.as_str())
            .collect();
        assert_eq!(ids, [TIMELINE_ID, "second"]);
    }
}

// ----- cases -----

#[tokio::test]
async fn create_case_posts_the_case() {
    for ctx in contexts().await {
        ctx.respond("POST", "/api/cases", 200, case_json()).await;
        let mut body = CaseCreate::new(
            "Phishing campaign".into(),
            "Users received credential-harvesting e-mail".into(),
            vec!["phishing".into()],
            CaseConnector::new("none".into(), "none".into(), ".none".into()),
            CaseSettings::new(true),
            CaseOwner::SecuritySolution,
        );
        body.severity = Some(CaseSeverity::Low);
        let case = ctx.client.create_case(&body).await.expect("created");
        let request = ctx.request().await;
        let sent = json_body(&request);
        assert_eq!(sent["title"], "Phishing campaign");
        assert_eq!(sent["owner"], "securitySolution");
        assert_eq!(sent["settings"], json!({"syncAlerts": true}));
        assert_eq!(sent["connector"]["type"], ".none");
        assert_eq!(sent["severity"], "low");
        assert_eq!(case.id, CASE_ID);
        assert_eq!(case.status, CaseStatus::Open);
        assert_eq!(case.total_comment, 1);
        assert_eq!(
            case.created_by.username.as_ref().and_then(|u| u.as_deref()),
            Some("elastic")
        );
        assert!(case.closed_by.as_ref().is_some_and(|c| c.is_none()));
        let fields = case.custom_fields.as_ref().expect("custom fields");
        assert!(
            matches!(&fields[0].value, Some(CaseCustomFieldValue::String(v)) if v == "INC-1234")
        );
        // A toggle never set is null: the union's nullable alternative makes the member optional.
        assert_eq!(fields[1].value, None);
        let encoded = serde_json::to_value(&fields[1]).expect("encodes");
        assert_eq!(encoded["value"], Value::Null, "null goes back as null");
        assert_eq!(
            case.comments.as_ref().expect("comments")[0]
                .comment
                .as_deref(),
            Some("A new comment.")
        );
        assert!(case.additional_properties.value("observables").is_some());
    }
}

#[tokio::test]
async fn update_cases_patches_with_versions() {
    for ctx in contexts().await {
        let mut closed = case_json();
        closed["status"] = json!("closed");
        closed["closed_at"] = json!("2025-05-02T08:00:00.000Z");
        closed["closed_by"] = user_json();
        ctx.respond("PATCH", "/api/cases", 200, json!([closed]))
            .await;
        let mut update = CaseUpdate::new(CASE_ID.into(), "WzExMCwxXQ==".into());
        update.status = Some(CaseStatus::Closed);
        let cases = ctx
            .client
            .update_cases(&CasesUpdate::new(vec![update]))
            .await
            .expect("updated");
        let request = ctx.request().await;
        assert_eq!(
            json_body(&request),
            json!({"cases": [{"id": CASE_ID, "version": "WzExMCwxXQ==", "status": "closed"}]})
        );
        assert_eq!(cases[0].status, CaseStatus::Closed);
        assert!(cases[0].closed_at.as_ref().is_some_and(|c| c.is_some()));
    }
}

#[tokio::test]
async fn delete_cases_repeats_ids_and_accepts_no_content() {
    for ctx in contexts().await {
        ctx.respond("DELETE", "/api/cases", 204, Value::Null).await;
        let params = DeleteCasesParams::new(vec![CASE_ID.into(), "second-case".into()]);
        ctx.client.delete_cases(&params).await.expect("deleted");
        let request = ctx.request().await;
        assert_eq!(
            request.url.query(),
            Some(format!("ids={CASE_ID}&ids=second-case").as_str())
        );
        no_body(&request);
    }
}

#[tokio::test]
async fn find_cases_sends_camel_case_paging() {
    for ctx in contexts().await {
        ctx.respond(
            "GET",
            "/api/cases/_find",
            200,
            json!({"cases": [case_json()], "page": 1, "per_page": 20, "total": 1, "count_open_cases": 1, "count_in_progress_cases": 0, "count_closed_cases": 4}),
        )
        .await;
        let params = FindCasesParams {
            owner: Some(vec![CaseOwner::SecuritySolution]),
            page: Some(1),
            per_page: Some(20),
            search: Some("phishing".into()),
            search_fields: Some(vec![FindCasesSearchFieldsItem::Title]),
            sort_field: Some(FindCasesSortField::UpdatedAt),
            sort_order: Some(SortOrder::Desc),
            status: Some(CaseStatus::Open),
            tags: Some(vec!["phishing".into(), "email".into()]),
            ..Default::default()
        };
        let page = ctx.client.find_cases(&params).await.expect("found");
        let request = ctx.request().await;
        assert_eq!(
            request.url.query(),
            Some("owner=securitySolution&page=1&perPage=20&search=phishing&searchFields=title&sortField=updatedAt&sortOrder=desc&status=open&tags=phishing&tags=email")
        );
        assert_eq!(page.count_closed_cases, 4);
        assert_eq!(page.cases[0].title, "Phishing campaign");
    }
}

#[tokio::test]
async fn find_cases_stream_walks_pages_with_per_page() {
    let ctx = Ctx::new(None, true).await;
    for (page, count) in [(1u32, 2usize), (2, 1)] {
        let cases: Vec<Value> = (0..count)
            .map(|i| {
                let mut c = case_json();
                c["id"] = json!(format!("case-{page}-{i}"));
                c
            })
            .collect();
        Mock::given(method("GET"))
            .and(path("/api/cases/_find"))
            .and(query_param("page", page.to_string().as_str()))
            .and(query_param("perPage", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "cases": cases, "page": page, "per_page": 2, "total": 3,
                "count_open_cases": 3, "count_in_progress_cases": 0, "count_closed_cases": 0
            })))
            .expect(1)
            .mount(&ctx.server)
            .await;
    }
    let params = FindCasesParams {
        per_page: Some(2),
        ..Default::default()
    };
    let ids: Vec<String> = ctx
        .client
        .find_cases_stream(&params, None)
        .map(|c| c.expect("fetched").id)
        .collect()
        .await;
    assert_eq!(ids, ["case-1-0", "case-1-1", "case-2-0"]);
}

#[tokio::test]
async fn case_tags_reporters_and_configuration() {
    for ctx in contexts().await {
        ctx.respond(
            "GET",
            "/api/cases/tags",
            200,
            json!(["phishing", "malware"]),
        )
        .await;
        ctx.respond("GET", "/api/cases/reporters", 200, json!([user_json()]))
            .await;
        ctx.respond(
            "GET",
            "/api/cases/configure",
            200,
            json!([configuration_json()]),
        )
        .await;
        ctx.respond("POST", "/api/cases/configure", 200, configuration_json())
            .await;
        let owner = Some(vec![CaseOwner::SecuritySolution, CaseOwner::Cases]);
        let tags = ctx
            .client
            .get_case_tags(&GetCaseTagsParams {
                owner: owner.clone(),
            })
            .await
            .expect("tags");
        assert_eq!(tags, ["phishing", "malware"]);
        let reporters = ctx
            .client
            .get_case_reporters(&GetCaseReportersParams {
                owner: owner.clone(),
            })
            .await
            .expect("reporters");
        assert_eq!(
            reporters[0].profile_uid.as_deref(),
            Some("u_J41Oh6L9ki-Vo2tOogS8WRTENzhHurGtRc87NgEAlkc_0")
        );
        let configuration = ctx
            .client
            .get_case_configuration(&GetCaseConfigurationParams { owner })
            .await
            .expect("configuration");
        assert_eq!(configuration[0].closure_type, CaseClosureType::CloseByUser);
        let create = CaseConfigurationCreate::new(
            CaseClosureType::CloseByPushing,
            CaseConnector::new("none".into(), "none".into(), ".none".into()),
            CaseOwner::SecuritySolution,
        );
        let created = ctx
            .client
            .set_case_configuration(&create)
            .await
            .expect("created");
        assert_eq!(created.version, "WzIwNzMsMV0=");
        let requests = ctx.server.received_requests().await.expect("recording");
        for request in &requests[..3] {
            assert_eq!(
                request.url.query(),
                Some("owner=securitySolution&owner=cases")
            );
            assert_eq!(request.headers["authorization"], ctx.authorization.as_str());
        }
        assert_eq!(
            json_body(&requests[3]),
            json!({"closure_type": "close-by-pushing", "connector": {"id": "none", "name": "none", "type": ".none", "fields": null}, "owner": "securitySolution"})
        );
    }
}

#[tokio::test]
async fn update_case_configuration_patches_the_members_set_with_the_version() {
    let id = "3297a0f0-b5ec-11ec-b141-0fdb20a7f9a9";
    for ctx in contexts().await {
        let mut updated = configuration_json();
        updated["closure_type"] = json!("close-by-pushing");
        ctx.respond("PATCH", &format!("/api/cases/configure/{id}"), 200, updated)
            .await;
        let mut change = CaseConfigurationUpdate::new("WzIwNzMsMV0=".into());
        change.closure_type = Some(CaseClosureType::CloseByPushing);
        let configuration = ctx
            .client
            .update_case_configuration(id, &change)
            .await
            .expect("updated");
        assert_eq!(configuration.closure_type, CaseClosureType::CloseByPushing);
        let requests = ctx.server.received_requests().await.expect("recording");
        assert_eq!(requests[0].url.query(), None);
        assert_eq!(
            json_body(&requests[0]),
            json!({"version": "WzIwNzMsMV0=", "closure_type": "close-by-pushing"})
        );
    }
}

#[tokio::test]
async fn get_case_and_its_alerts() {
    for ctx in contexts().await {
        ctx.respond("GET", &format!("/api/cases/{CASE_ID}"), 200, case_json())
            .await;
        ctx.respond(
            "GET",
            &format!("/api/cases/{CASE_ID}/alerts"),
            200,
            json!([{"id": "0f2b3e6a4c1d8e9f", "index": ".internal.alerts-security.alerts-default-000001", "attached_at": "2025-05-01T12:15:00.000Z"}]),
        )
        .await;
        let case = ctx.client.get_case(CASE_ID).await.expect("case");
        assert_eq!(case.version, "WzExMCwxXQ==");
        let alerts = ctx.client.get_case_alerts(CASE_ID).await.expect("alerts");
        assert_eq!(alerts[0].id, "0f2b3e6a4c1d8e9f");
        assert!(alerts[0].attached_at.is_some());
        for request in ctx.server.received_requests().await.expect("recording") {
            assert_eq!(request.url.query(), None);
            assert_eq!(request.headers["authorization"], ctx.authorization.as_str());
        }
    }
}

#[tokio::test]
async fn case_comments_add_update_delete() {
    for ctx in contexts().await {
        let comments = format!("/api/cases/{CASE_ID}/comments");
        ctx.respond("POST", &comments, 200, case_json()).await;
        // Two updates: a user comment, then an alert attachment.
        Mock::given(method("PATCH"))
            .and(path(ctx.route(&comments)))
            .and(header("authorization", ctx.authorization.as_str()))
            .and(header("kbn-xsrf", "true"))
            .respond_with(ResponseTemplate::new(200).set_body_json(case_json()))
            .expect(2)
            .mount(&ctx.server)
            .await;
        ctx.respond("DELETE", &comments, 204, Value::Null).await;
        let mut alert =
            CaseCommentCreate::new(CaseCommentCreateType::Alert, CaseOwner::SecuritySolution);
        alert.alert_id = Some(CaseCommentCreateAlertId::String("0f2b3e6a4c1d8e9f".into()));
        alert.index = Some(CaseCommentCreateIndex::String(
            ".internal.alerts-security.alerts-default-000001".into(),
        ));
        alert.rule = Some(from(
            json!({"id": RULE_ID, "name": "MS Office child process"}),
        ));
        let case = ctx
            .client
            .add_case_comment(CASE_ID, &alert)
            .await
            .expect("added");
        assert_eq!(case.id, CASE_ID);
        let mut update = CaseCommentUpdate::new(
            COMMENT_ID.into(),
            "WzIwNDMxLDFd".into(),
            CaseCommentUpdateType::User,
            CaseOwner::SecuritySolution,
        );
        update.comment = Some("An updated comment.".into());
        ctx.client
            .update_case_comment(CASE_ID, &update)
            .await
            .expect("updated");
        // The alert form of the update needs alertId, index and rule (cases bundle
        // update_alert_comment_request_properties).
        let mut alert_update = CaseCommentUpdate::new(
            COMMENT_ID.into(),
            "WzIwNDMxLDFd".into(),
            CaseCommentUpdateType::Alert,
            CaseOwner::SecuritySolution,
        );
        alert_update.alert_id = Some(CaseCommentUpdateAlertId::Array(vec![
            "0f2b3e6a4c1d8e9f".into(),
            "1a2b3c".into(),
        ]));
        alert_update.index = Some(CaseCommentUpdateIndex::Array(vec![
            ".internal.alerts-security.alerts-default-000001".into(),
            ".internal.alerts-security.alerts-default-000001".into(),
        ]));
        alert_update.rule = Some(from(
            json!({"id": RULE_ID, "name": "MS Office child process"}),
        ));
        ctx.client
            .update_case_comment(CASE_ID, &alert_update)
            .await
            .expect("updated alert");
        ctx.client
            .delete_case_comments(CASE_ID)
            .await
            .expect("deleted");
        let requests = ctx.server.received_requests().await.expect("recording");
        assert_eq!(
            json_body(&requests[0]),
            json!({"type": "alert", "owner": "securitySolution", "alertId": "0f2b3e6a4c1d8e9f", "index": ".internal.alerts-security.alerts-default-000001", "rule": {"id": RULE_ID, "name": "MS Office child process"}})
        );
        assert_eq!(
            json_body(&requests[1]),
            json!({"id": COMMENT_ID, "version": "WzIwNDMxLDFd", "type": "user", "owner": "securitySolution", "comment": "An updated comment."})
        );
        assert_eq!(
            json_body(&requests[2]),
            json!({"id": COMMENT_ID, "version": "WzIwNDMxLDFd", "type": "alert", "owner": "securitySolution",
                   "alertId": ["0f2b3e6a4c1d8e9f", "1a2b3c"],
                   "index": [".internal.alerts-security.alerts-default-000001", ".internal.alerts-security.alerts-default-000001"],
                   "rule": {"id": RULE_ID, "name": "MS Office child process"}})
        );
        no_body(&requests[3]);
    }
}

#[tokio::test]
async fn case_comment_find_get_and_delete() {
    for ctx in contexts().await {
        ctx.respond(
            "GET",
            &format!("/api/cases/{CASE_ID}/comments/_find"),
            200,
            json!({"comments": [comment_json()], "page": 1, "per_page": 20, "total": 1}),
        )
        .await;
        ctx.respond(
            "GET",
            &format!("/api/cases/{CASE_ID}/comments/{COMMENT_ID}"),
            200,
            comment_json(),
        )
        .await;
        ctx.respond(
            "DELETE",
            &format!("/api/cases/{CASE_ID}/comments/{COMMENT_ID}"),
            204,
            Value::Null,
        )
        .await;
        let params = FindCaseCommentsParams {
            page: Some(1),
            per_page: Some(20),
            sort_order: Some(SortOrder::Asc),
        };
        let page = ctx
            .client
            .find_case_comments(CASE_ID, &params)
            .await
            .expect("found");
        assert_eq!(page.comments[0].r#type, "user");
        let comment = ctx
            .client
            .get_case_comment(CASE_ID, COMMENT_ID)
            .await
            .expect("comment");
        assert_eq!(comment.version, "WzIwNDMxLDFd");
        assert!(comment.pushed_by.as_ref().is_some_and(|p| p.is_none()));
        ctx.client
            .delete_case_comment(CASE_ID, COMMENT_ID)
            .await
            .expect("deleted");
        let requests = ctx.server.received_requests().await.expect("recording");
        assert_eq!(
            requests[0].url.query(),
            Some("page=1&perPage=20&sortOrder=asc")
        );
        assert_eq!(requests[1].url.query(), None);
        assert_eq!(
            requests[2].headers["authorization"],
            ctx.authorization.as_str()
        );
    }
}

#[tokio::test]
async fn find_case_user_actions_filters_types() {
    for ctx in contexts().await {
        ctx.respond(
            "GET",
            &format!("/api/cases/{CASE_ID}/user_actions/_find"),
            200,
            json!({"page": 1, "perPage": 20, "total": 1, "userActions": [{
                "id": "22fd3e30-03b1-11ed-920c-974bfa104448", "type": "status", "action": "update",
                "comment_id": null, "created_at": "2025-05-01T12:20:00.000Z", "created_by": user_json(),
                "owner": "securitySolution", "payload": {"status": "closed"}, "version": "WzM1ODg4LDFd"
            }]}),
        )
        .await;
        let params = FindCaseUserActionsParams {
            types: Some(vec![
                FindCaseUserActionsTypesItem::Status,
                FindCaseUserActionsTypesItem::Comment,
            ]),
            sort_order: Some(SortOrder::Desc),
            ..Default::default()
        };
        let page = ctx
            .client
            .find_case_user_actions(CASE_ID, &params)
            .await
            .expect("found");
        let request = ctx.request().await;
        assert_eq!(
            request.url.query(),
            Some("sortOrder=desc&types=status&types=comment")
        );
        assert_eq!(page.per_page, 20);
        let action = &page.user_actions[0];
        assert_eq!(
            (action.r#type.as_str(), action.action.as_str()),
            ("status", "update")
        );
        let payload =
            serde_json::to_value(action.payload.as_ref().expect("payload")).expect("json");
        assert_eq!(payload["status"], "closed");
    }
}

#[tokio::test]
async fn push_case_posts_without_a_body() {
    for ctx in contexts().await {
        let mut pushed = case_json();
        pushed["external_service"] = json!({
            "connector_id": "09f8c0b0-0eda-11ed-bd33-5b9a48f5a6e5", "connector_name": "Jira",
            "external_id": "10003", "external_title": "IS-4", "external_url": "https://hms.atlassian.net/browse/IS-4",
            "pushed_at": "2025-05-01T12:30:00.000Z", "pushed_by": user_json()
        });
        ctx.respond(
            "POST",
            &format!("/api/cases/{CASE_ID}/connector/09f8c0b0-0eda-11ed-bd33-5b9a48f5a6e5/_push"),
            200,
            pushed,
        )
        .await;
        let case = ctx
            .client
            .push_case(CASE_ID, "09f8c0b0-0eda-11ed-bd33-5b9a48f5a6e5")
            .await
            .expect("pushed");
        let request = ctx.request().await;
        no_body(&request);
        let service = case
            .external_service
            .as_ref()
            .and_then(|s| s.as_ref())
            .expect("service");
        assert_eq!(service.external_title.as_deref(), Some("IS-4"));
    }
}

// ----- client configuration, errors, tolerance -----

#[tokio::test]
async fn the_default_base_url_and_server_are_kibana_on_5601() {
    assert_eq!(
        elastic_security_client::DEFAULT_BASE_URL,
        "http://localhost:5601"
    );
    assert_eq!(
        elastic_security_client::SERVERS[0].url,
        "http://localhost:5601"
    );
}

/// The documented form for a Kibana at the root: `<host>:<port>/s/<space>/api/<endpoint>`.
#[tokio::test]
async fn a_space_under_a_root_base_url_has_a_single_slash() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/s/soc-team/api/cases/tags"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key(API_KEY)
        .space_id("soc-team")
        .build()
        .expect("valid");
    client
        .get_case_tags(&GetCaseTagsParams::default())
        .await
        .expect("fetched under the space");
}

#[tokio::test]
async fn the_space_is_percent_encoded_as_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/kibana/s/blue%20team%2Fx/api/cases/tags"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/kibana", server.uri()))
        .api_key(API_KEY)
        .space_id("blue team/x")
        .build()
        .expect("valid");
    client
        .get_case_tags(&GetCaseTagsParams::default())
        .await
        .expect("fetched under the space");
}

#[tokio::test]
async fn a_kibana_error_is_a_status_error_with_its_declared_body() {
    let ctx = Ctx::new(Some("soc-team"), true).await;
    ctx.respond(
        "GET",
        "/api/cases/_find",
        403,
        json!({"statusCode": 403, "error": "Forbidden", "message": "API [GET /api/cases/_find] is unauthorized for user"}),
    )
    .await;
    let error = ctx
        .client
        .find_cases(&FindCasesParams::default())
        .await
        .expect_err("forbidden");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
    let Error::Status(status) = &error else {
        panic!("not a status error: {error}");
    };
    let declared = status.declared::<KibanaError>().expect("typed body");
    assert_eq!(declared.status_code, 403);
    assert_eq!(declared.error, "Forbidden");
    assert!(declared.message.contains("unauthorized"));
    assert!(!format!("{error:?}").contains("changeme"));
}

#[tokio::test]
async fn security_errors_decode_either_shape() {
    let ctx = Ctx::new(None, false).await;
    Mock::given(method("GET"))
        .and(path("/api/detection_engine/rules"))
        .and(query_param("rule_id", "missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            json!({"status_code": 404, "message": "rule_id: \"missing\" not found"}),
        ))
        .mount(&ctx.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/detection_engine/rules"))
        .and(query_param("rule_id", "bad request"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"statusCode": 400, "error": "Bad Request", "message": "[request query]: id: Invalid uuid"})))
        .mount(&ctx.server)
        .await;
    let read = |rule_id: &str| ReadRuleParams {
        rule_id: Some(rule_id.into()),
        ..Default::default()
    };
    let error = ctx
        .client
        .read_rule(&read("missing"))
        .await
        .expect_err("missing");
    let Error::Status(status) = &error else {
        panic!("not a status error: {error}");
    };
    let Some(ErrorResponse::SiemError(siem)) = status.declared::<ErrorResponse>() else {
        panic!("not the security-solution shape: {error}");
    };
    assert_eq!(siem.status_code, 404);
    assert_eq!(siem.message, "rule_id: \"missing\" not found");

    let error = ctx
        .client
        .read_rule(&read("bad request"))
        .await
        .expect_err("invalid");
    let Error::Status(status) = &error else {
        panic!("not a status error: {error}");
    };
    let Some(ErrorResponse::KibanaError(kibana)) = status.declared::<ErrorResponse>() else {
        panic!("not the Kibana shape: {error}");
    };
    assert_eq!(kibana.error, "Bad Request");
}

#[tokio::test]
async fn a_timeline_405_decodes_its_own_shape() {
    let ctx = Ctx::new(None, false).await;
    ctx.respond(
        "PATCH",
        "/api/timeline",
        405,
        json!({"statusCode": 405, "body": "update timeline error"}),
    )
    .await;
    let patch = TimelinePatch::new(
        TIMELINE_ID.into(),
        "WzE0LDFd".into(),
        SavedTimeline::default(),
    );
    let error = ctx
        .client
        .patch_timeline(&patch)
        .await
        .expect_err("not allowed");
    let Error::Status(status) = &error else {
        panic!("not a status error: {error}");
    };
    let declared = status.declared::<TimelineError>().expect("typed");
    assert_eq!(declared.body.as_deref(), Some("update timeline error"));
}

#[tokio::test]
async fn unknown_enum_values_and_members_are_tolerated() {
    let ctx = Ctx::new(None, false).await;
    let mut rule = rule_json();
    rule["type"] = json!("threat_hunting_v2");
    rule["severity"] = json!("catastrophic");
    rule["language"] = json!("sql");
    let mut case = case_json();
    case["status"] = json!("awaiting-customer");
    case["owner"] = json!("siem-next");
    ctx.respond("GET", "/api/detection_engine/rules", 200, rule)
        .await;
    ctx.respond("GET", &format!("/api/cases/{CASE_ID}"), 200, case)
        .await;
    let rule = ctx
        .client
        .read_rule(&ReadRuleParams::default())
        .await
        .expect("decoded");
    assert!(!matches!(rule.r#type, RuleType::Query | RuleType::Eql));
    assert_eq!(
        serde_json::to_value(&rule.r#type).expect("json"),
        "threat_hunting_v2"
    );
    assert_eq!(
        serde_json::to_value(&rule.severity).expect("json"),
        "catastrophic"
    );
    let case = ctx.client.get_case(CASE_ID).await.expect("decoded");
    assert_eq!(
        serde_json::to_value(&case.status).expect("json"),
        "awaiting-customer"
    );
    assert_eq!(
        serde_json::to_value(&case.owner).expect("json"),
        "siem-next"
    );
}

#[tokio::test]
async fn unknown_members_survive_a_round_trip() {
    let original = case_json();
    let case: Case = serde_json::from_value(original.clone()).expect("decodes");
    let mut again = serde_json::to_value(&case).expect("encodes");
    assert_eq!(again["created_at"], "2025-05-01T12:00:00Z");
    again["created_at"] = original["created_at"].clone();
    assert_eq!(again["comments"][0]["created_at"], "2025-05-01T12:10:00Z");
    again["comments"][0]["created_at"] = original["comments"][0]["created_at"].clone();
    assert_eq!(again, original);
}

// ----- operations added with the issue-14 review -----

#[tokio::test]
async fn get_timeline_of_an_unknown_id_answers_an_empty_object() {
    // Kibana answers 200 `{}` when no timeline has the identifier (the bundle's `oneOf`
    // second branch); it must decode, with no `data`.
    for ctx in contexts().await {
        ctx.respond("GET", "/api/timeline", 200, json!({})).await;
        let answer = ctx
            .client
            .get_timeline(&GetTimelineParams {
                template_timeline_id: Some("missing".into()),
                ..Default::default()
            })
            .await
            .expect("an empty answer decodes");
        let request = ctx.request().await;
        assert_eq!(request.url.query(), Some("template_timeline_id=missing"));
        assert!(answer.data.is_none());
    }
}

#[tokio::test]
async fn resolve_timeline_decodes_the_wrapped_and_the_bare_answer() {
    for ctx in contexts().await {
        ctx.respond(
            "GET",
            "/api/timeline/resolve",
            200,
            json!({"data": {"timeline": timeline_json(), "outcome": "aliasMatch", "alias_target_id": "new-id", "alias_purpose": "savedObjectConversion"}}),
        )
        .await;
        let params = ResolveTimelineParams {
            id: Some(TIMELINE_ID.into()),
            ..Default::default()
        };
        let wrapped = ctx
            .client
            .resolve_timeline(&params)
            .await
            .expect("8.x form");
        let request = ctx.request().await;
        assert_eq!(
            request.url.query(),
            Some(format!("id={TIMELINE_ID}").as_str())
        );
        let data = wrapped.data.expect("wrapped");
        assert_eq!(data.outcome, SavedObjectResolveOutcome::AliasMatch);
        assert_eq!(data.alias_target_id.as_deref(), Some("new-id"));
        assert_eq!(data.timeline.saved_object_id, TIMELINE_ID);
    }
    // Later releases send the members without the `data` envelope.
    let ctx = Ctx::new(None, false).await;
    ctx.respond(
        "GET",
        "/api/timeline/resolve",
        200,
        json!({"timeline": timeline_json(), "outcome": "exactMatch"}),
    )
    .await;
    let bare = ctx
        .client
        .resolve_timeline(&ResolveTimelineParams {
            id: Some(TIMELINE_ID.into()),
            ..Default::default()
        })
        .await
        .expect("bare form");
    assert!(bare.data.is_none());
    assert_eq!(bare.outcome, Some(SavedObjectResolveOutcome::ExactMatch));
    assert_eq!(
        bare.timeline.expect("timeline").saved_object_id,
        TIMELINE_ID
    );
}

#[tokio::test]
async fn copy_timeline_posts_with_the_internal_route_version() {
    for ctx in contexts().await {
        ctx.respond(
            "POST",
            "/api/timeline/_copy",
            200,
            json!({"data": {"persistTimeline": {"timeline": timeline_json()}}}),
        )
        .await;
        let body: TimelineCopy = from(json!({
            "timeline": {"title": "Lateral movement on host-1 (copy)"},
            "timelineIdToCopy": TIMELINE_ID
        }));
        let copied = ctx
            .client
            .copy_timeline(
                &CopyTimelineParams::new(CopyTimelineElasticApiVersion::V1),
                &body,
            )
            .await
            .expect("copied");
        let request = ctx.request().await;
        assert_eq!(request.headers["elastic-api-version"], "1");
        assert_eq!(
            json_body(&request),
            json!({"timeline": {"title": "Lateral movement on host-1 (copy)"}, "timelineIdToCopy": TIMELINE_ID})
        );
        assert_eq!(
            copied.data.persist_timeline.timeline.saved_object_id,
            TIMELINE_ID
        );
    }
}

#[tokio::test]
async fn persist_timeline_favorite_sends_the_nulls() {
    for ctx in contexts().await {
        ctx.respond(
            "PATCH",
            "/api/timeline/_favorite",
            200,
            json!({"data": {"persistFavorite": {
                "savedObjectId": TIMELINE_ID,
                "version": "WzE1LDFd",
                "favorite": [{"favoriteDate": 1741337636741u64, "userName": "elastic"}],
                "templateTimelineId": null,
                "templateTimelineVersion": null,
                "timelineType": "default"
            }}}),
        )
        .await;
        let body: TimelineFavoriteRequest = from(json!({
            "timelineId": TIMELINE_ID,
            "templateTimelineId": null,
            "templateTimelineVersion": null,
            "timelineType": "default"
        }));
        let answer = ctx
            .client
            .persist_timeline_favorite(&body)
            .await
            .expect("marked");
        let request = ctx.request().await;
        // The route requires all four members, null or not.
        assert_eq!(
            json_body(&request),
            json!({"timelineId": TIMELINE_ID, "templateTimelineId": null, "templateTimelineVersion": null, "timelineType": "default"})
        );
        let favorite = answer.data.persist_favorite;
        assert_eq!(favorite.version, "WzE1LDFd");
        let marks = favorite.favorite.expect("marks");
        assert_eq!(
            marks[0].user_name.as_ref().and_then(|u| u.as_deref()),
            Some("elastic")
        );
    }
}

fn note_json() -> Value {
    json!({
        "noteId": "709f99c6-89b6-4953-9160-35945c8e174e",
        "version": "WzQ2LDFd",
        "timelineId": TIMELINE_ID,
        "eventId": "d3a1d35a3e84a81b2f8f3859e064c224cdee1b4bc",
        "note": "Beaconing every 60 s",
        "created": 1746100800000u64,
        "createdBy": "elastic",
        "updated": 1746100800000u64,
        "updatedBy": "elastic"
    })
}

#[tokio::test]
async fn get_notes_repeats_the_document_ids() {
    for ctx in contexts().await {
        ctx.respond(
            "GET",
            "/api/note",
            200,
            json!({"notes": [note_json()], "totalCount": 1}),
        )
        .await;
        let params = GetNotesParams {
            document_ids: Some(vec!["event-1".into(), "event-2".into()]),
            page: Some(1),
            per_page: Some(10),
            associated_filter: Some(NoteAssociatedFilter::DocumentOnly),
            ..Default::default()
        };
        let answer = ctx.client.get_notes(&params).await.expect("notes");
        let request = ctx.request().await;
        assert_eq!(
            request.url.query(),
            Some("documentIds=event-1&documentIds=event-2&page=1&perPage=10&associatedFilter=document_only")
        );
        assert_eq!(answer.total_count, Some(1));
        let notes = answer.notes.expect("notes");
        assert_eq!(notes[0].note_id, "709f99c6-89b6-4953-9160-35945c8e174e");
        assert_eq!(notes[0].timeline_id, TIMELINE_ID);
    }
    // The bundle's other branch: an empty object.
    let ctx = Ctx::new(None, false).await;
    ctx.respond("GET", "/api/note", 200, json!({})).await;
    let empty = ctx
        .client
        .get_notes(&GetNotesParams::default())
        .await
        .expect("empty");
    assert!(empty.notes.is_none() && empty.total_count.is_none());
}

#[tokio::test]
async fn persist_note_and_delete_notes() {
    for ctx in contexts().await {
        ctx.respond(
            "PATCH",
            "/api/note",
            200,
            json!({"data": {"persistNote": {"code": 200, "message": "", "note": note_json()}}}),
        )
        .await;
        ctx.respond("DELETE", "/api/note", 200, json!({"data": {}}))
            .await;
        let note: PersistNoteRequest = from(json!({
            "note": {"timelineId": TIMELINE_ID, "eventId": "d3a1d35a3e84a81b2f8f3859e064c224cdee1b4bc", "note": "Beaconing every 60 s"}
        }));
        let saved = ctx.client.persist_note(&note).await.expect("saved");
        assert_eq!(saved.data.persist_note.note.version, "WzQ2LDFd");
        let delete: DeleteNotesRequest =
            from(json!({"noteIds": ["709f99c6-89b6-4953-9160-35945c8e174e"]}));
        ctx.client.delete_notes(&delete).await.expect("deleted");
        let requests = ctx.server.received_requests().await.expect("recording");
        assert_eq!(
            json_body(&requests[0]),
            json!({"note": {"timelineId": TIMELINE_ID, "eventId": "d3a1d35a3e84a81b2f8f3859e064c224cdee1b4bc", "note": "Beaconing every 60 s"}})
        );
        assert_eq!(
            json_body(&requests[1]),
            json!({"noteIds": ["709f99c6-89b6-4953-9160-35945c8e174e"]})
        );
    }
}

#[tokio::test]
async fn persist_pinned_event_pins_and_unpins() {
    for ctx in contexts().await {
        ctx.respond(
            "PATCH",
            "/api/pinned_event",
            200,
            json!({"data": {"persistPinnedEventOnTimeline": {
                "pinnedEventId": "10r1929b-0af7-42bd-85a8-56e234f98h2f3",
                "version": "WzQ2LDFe",
                "eventId": "d3a1d35a3e84a81b2f8f3859e064c224cdee1b4bc",
                "timelineId": TIMELINE_ID,
                "code": 200
            }}}),
        )
        .await;
        let body = PersistPinnedEventRequest::new(
            "d3a1d35a3e84a81b2f8f3859e064c224cdee1b4bc".into(),
            TIMELINE_ID.into(),
        );
        let pinned = ctx
            .client
            .persist_pinned_event(&body)
            .await
            .expect("pinned");
        let request = ctx.request().await;
        assert_eq!(
            json_body(&request),
            json!({"eventId": "d3a1d35a3e84a81b2f8f3859e064c224cdee1b4bc", "timelineId": TIMELINE_ID})
        );
        let outcome = pinned.data.persist_pinned_event_on_timeline.expect("a pin");
        assert_eq!(
            outcome.pinned_event_id.as_deref(),
            Some("10r1929b-0af7-42bd-85a8-56e234f98h2f3")
        );
    }
    // Unpinning answers a null outcome in some releases.
    let ctx = Ctx::new(None, false).await;
    ctx.respond(
        "PATCH",
        "/api/pinned_event",
        200,
        json!({"data": {"persistPinnedEventOnTimeline": null}}),
    )
    .await;
    let mut body = PersistPinnedEventRequest::new(
        "d3a1d35a3e84a81b2f8f3859e064c224cdee1b4bc".into(),
        TIMELINE_ID.into(),
    );
    body.pinned_event_id = Some(Some("10r1929b-0af7-42bd-85a8-56e234f98h2f3".into()));
    let unpinned = ctx
        .client
        .persist_pinned_event(&body)
        .await
        .expect("unpinned");
    assert!(unpinned.data.persist_pinned_event_on_timeline.is_none());
}

fn update_by_query_json(updated: i64) -> Value {
    json!({
        "took": 68, "timed_out": false, "total": updated, "updated": updated, "deleted": 0,
        "batches": 1, "version_conflicts": 0, "noops": 0, "retries": {"bulk": 0, "search": 0},
        "throttled_millis": 0, "requests_per_second": -1, "throttled_until_millis": 0, "failures": []
    })
}

#[tokio::test]
async fn set_alert_tags_and_assignees_post_the_changes() {
    for ctx in contexts().await {
        ctx.respond(
            "POST",
            "/api/detection_engine/signals/tags",
            200,
            update_by_query_json(2),
        )
        .await;
        ctx.respond(
            "POST",
            "/api/detection_engine/signals/assignees",
            200,
            update_by_query_json(1),
        )
        .await;
        let tags: SetAlertTagsRequest = from(json!({
            "ids": ["alert-1", "alert-2"],
            "tags": {"tags_to_add": ["Duplicate"], "tags_to_remove": []}
        }));
        let tagged = ctx.client.set_alert_tags(&tags).await.expect("tagged");
        assert_eq!(tagged.updated, Some(2));
        let assignees: SetAlertAssigneesRequest = from(json!({
            "assignees": {"add": ["u_MxY0jbrft7EcfC6iNZSUGeI_n6iYrSwZj5mWF5EqmSU_0"], "remove": []},
            "ids": ["alert-1"]
        }));
        let assigned = ctx
            .client
            .set_alert_assignees(&assignees)
            .await
            .expect("assigned");
        assert_eq!(assigned.updated, Some(1));
        let requests = ctx.server.received_requests().await.expect("recording");
        assert_eq!(
            json_body(&requests[0]),
            json!({"ids": ["alert-1", "alert-2"], "tags": {"tags_to_add": ["Duplicate"], "tags_to_remove": []}})
        );
        assert_eq!(
            json_body(&requests[1]),
            json!({"assignees": {"add": ["u_MxY0jbrft7EcfC6iNZSUGeI_n6iYrSwZj5mWF5EqmSU_0"], "remove": []}, "ids": ["alert-1"]})
        );
    }
}

#[tokio::test]
async fn search_alerts_sends_a_single_sort_field() {
    let ctx = Ctx::new(None, false).await;
    ctx.respond(
        "POST",
        "/api/detection_engine/signals/search",
        200,
        json!({"took": 1, "timed_out": false, "hits": {"hits": []}}),
    )
    .await;
    let search: AlertsSearchRequest = from(json!({"size": 5, "sort": "@timestamp"}));
    ctx.client.search_alerts(&search).await.expect("searched");
    let request = ctx.request().await;
    assert_eq!(
        json_body(&request),
        json!({"size": 5, "sort": "@timestamp"})
    );
}

#[tokio::test]
async fn read_rule_tags_returns_the_list() {
    for ctx in contexts().await {
        ctx.respond(
            "GET",
            "/api/detection_engine/tags",
            200,
            json!(["zeek", "windows"]),
        )
        .await;
        let tags = ctx.client.read_rule_tags().await.expect("tags");
        no_body(&ctx.request().await);
        assert_eq!(tags, ["zeek", "windows"]);
    }
}

#[tokio::test]
async fn preview_rule_posts_the_rule_with_the_time_range() {
    for ctx in contexts().await {
        ctx.respond(
            "POST",
            "/api/detection_engine/rules/preview",
            200,
            json!({
                "logs": [{"errors": [], "warnings": ["no index matched"], "duration": 42, "startedAt": "2025-01-15T11:59:58.000Z", "requests": [{"request": "POST /logs-*/_search", "duration": 7}]}],
                "previewId": "8f3c2a1b9e7d4c2a",
                "isAborted": false
            }),
        )
        .await;
        let body: RulePreviewRequest = from(json!({
            "type": "query", "name": "Preview sample", "description": "Sample preview run",
            "risk_score": 50, "severity": "low", "language": "kuery",
            "query": "process.name : \"cmd.exe\"", "index": ["logs-*"], "from": "now-24h",
            "interval": "5m", "invocationCount": 1, "timeframeEnd": "2025-01-15T12:00:00.000Z"
        }));
        let params = PreviewRuleParams {
            enable_logged_requests: Some(true),
        };
        let preview = ctx
            .client
            .preview_rule(&params, &body)
            .await
            .expect("previewed");
        let request = ctx.request().await;
        assert_eq!(request.url.query(), Some("enable_logged_requests=true"));
        let sent = json_body(&request);
        assert_eq!(sent["invocationCount"], 1);
        // A date-time member travels as RFC 3339 (the client drops the zero milliseconds).
        assert_eq!(sent["timeframeEnd"], "2025-01-15T12:00:00Z");
        assert_eq!(sent["type"], "query");
        assert_eq!(preview.preview_id.as_deref(), Some("8f3c2a1b9e7d4c2a"));
        assert_eq!(preview.logs[0].warnings, ["no index matched"]);
        assert_eq!(preview.logs[0].duration, 42);
    }
}

#[tokio::test]
async fn duplicate_exception_list_sends_the_required_query() {
    for ctx in contexts().await {
        ctx.respond(
            "POST",
            "/api/exception_lists/_duplicate",
            200,
            exception_list_json(),
        )
        .await;
        let params = DuplicateExceptionListParams::new(
            "trusted-linux-processes".into(),
            NamespaceType::Single,
            IncludeExpiredExceptions::False,
        );
        let list = ctx
            .client
            .duplicate_exception_list(&params)
            .await
            .expect("duplicated");
        let request = ctx.request().await;
        assert_eq!(
            request.url.query(),
            Some("list_id=trusted-linux-processes&namespace_type=single&include_expired_exceptions=false")
        );
        no_body(&request);
        assert_eq!(list.list_id, "trusted-linux-processes");
    }
}

#[tokio::test]
async fn export_exception_list_reads_the_list_its_items_and_the_details() {
    for ctx in contexts().await {
        let details = json!({"exported_exception_list_count": 1, "exported_exception_list_item_count": 1, "missing_exception_list_item_count": 0, "missing_exception_list_items": [], "missing_exception_lists": [], "missing_exception_lists_count": 0});
        let body = format!(
            "{}\n{}\n{}\n",
            exception_list_json(),
            exception_item_json(),
            details
        );
        ctx.respond_with(
            "POST",
            "/api/exception_lists/_export",
            ResponseTemplate::new(200).set_body_raw(body, "application/ndjson"),
        )
        .await;
        let params = ExportExceptionListParams::new(
            "9e5fc75a-a3da-46c5-96e3-a2ec59c6bb85".into(),
            "trusted-linux-processes".into(),
            NamespaceType::Single,
            IncludeExpiredExceptions::True,
        );
        let lines = ctx
            .client
            .export_exception_list(&params)
            .await
            .expect("exported")
            .into_vec()
            .await
            .expect("every line decodes");
        let request = ctx.request().await;
        assert_eq!(
            request.url.query(),
            Some("id=9e5fc75a-a3da-46c5-96e3-a2ec59c6bb85&list_id=trusted-linux-processes&namespace_type=single&include_expired_exceptions=true")
        );
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1]["item_id"], "simple_list_item");
        assert_eq!(lines[2]["exported_exception_list_count"], 1);
    }
}

#[tokio::test]
async fn import_exception_lists_uploads_multipart_with_flags() {
    for ctx in contexts().await {
        ctx.respond(
            "POST",
            "/api/exception_lists/_import",
            200,
            json!({
                "errors": [{"list_id": "trusted-linux-processes", "error": {"status_code": 409, "message": "already exists"}}],
                "success": false, "success_count": 1,
                "success_exception_lists": false, "success_count_exception_lists": 0,
                "success_exception_list_items": true, "success_count_exception_list_items": 1
            }),
        )
        .await;
        let params = ImportExceptionListsParams {
            overwrite: Some(false),
            as_new_list: Some(true),
            ..Default::default()
        };
        let line = exception_list_json().to_string();
        let form = ExceptionListsImportForm::new(
            FilePart::new(format!("{line}\n").into_bytes()).file_name("exceptions.ndjson"),
        );
        let answer = ctx
            .client
            .import_exception_lists(&params, &form)
            .await
            .expect("imported");
        let request = ctx.request().await;
        assert_eq!(
            request.url.query(),
            Some("overwrite=false&as_new_list=true")
        );
        let parts = multipart_parts(&request);
        assert_eq!(parts.len(), 1);
        assert!(parts[0]
            .0
            .contains("name=\"file\"; filename=\"exceptions.ndjson\""));
        assert_eq!(parts[0].1, format!("{line}\n"));
        assert_eq!(answer.success_count_exception_list_items, 1);
        assert_eq!(answer.errors[0].error.status_code, 409);
    }
}

#[tokio::test]
async fn read_exception_list_summary_counts_by_os() {
    for ctx in contexts().await {
        ctx.respond(
            "GET",
            "/api/exception_lists/summary",
            200,
            json!({"windows": 3, "linux": 1, "macos": 0, "total": 4}),
        )
        .await;
        let params = ReadExceptionListSummaryParams {
            list_id: Some("endpoint_list".into()),
            namespace_type: Some(NamespaceType::Agnostic),
            ..Default::default()
        };
        let summary = ctx
            .client
            .read_exception_list_summary(&params)
            .await
            .expect("summary");
        let request = ctx.request().await;
        assert_eq!(
            request.url.query(),
            Some("list_id=endpoint_list&namespace_type=agnostic")
        );
        assert_eq!(summary.windows, Some(3));
        assert_eq!(summary.total, Some(4));
    }
}

#[tokio::test]
async fn patch_list_item_sends_only_the_members_set() {
    for ctx in contexts().await {
        ctx.respond("PATCH", "/api/lists/items", 200, list_item_json("10.0.0.3"))
            .await;
        let mut patch = ListItemPatch::new("54b01cfb-058d-44b9-838c-282be16c91cd".into());
        patch.value = Some("10.0.0.3".into());
        patch.refresh = Some(ListItemPatchRefresh::WaitFor);
        let item = ctx.client.patch_list_item(&patch).await.expect("patched");
        let request = ctx.request().await;
        assert_eq!(
            json_body(&request),
            json!({"id": "54b01cfb-058d-44b9-838c-282be16c91cd", "value": "10.0.0.3", "refresh": "wait_for"})
        );
        assert_eq!(item.value, "10.0.0.3");
    }
}

#[tokio::test]
async fn add_case_file_uploads_the_file_and_its_name() {
    for ctx in contexts().await {
        let route = format!("/api/cases/{CASE_ID}/files");
        ctx.respond("POST", &route, 200, case_json()).await;
        let mut form = CaseFileForm::new(
            FilePart::new(b"suspicious.exe hashes\n".to_vec())
                .file_name("hashes.txt")
                .content_type("text/plain"),
        );
        form.filename = Some("hashes".into());
        let case = ctx
            .client
            .add_case_file(CASE_ID, &form)
            .await
            .expect("attached");
        let request = ctx.request().await;
        let parts = multipart_parts(&request);
        assert_eq!(
            parts,
            [
                (
                    "Content-Disposition: form-data; name=\"file\"; filename=\"hashes.txt\""
                        .to_owned(),
                    "suspicious.exe hashes\n".to_owned()
                ),
                (
                    "Content-Disposition: form-data; name=\"filename\"".to_owned(),
                    "hashes".to_owned()
                )
            ]
        );
        assert_eq!(case.id, CASE_ID);
    }
}

fn attachment_json() -> Value {
    json!({
        "id": COMMENT_ID,
        "version": "WzIwNDMxLDFd",
        "type": "security.alert",
        "owner": "securitySolution",
        "attachmentId": ["alert-1", "alert-2"],
        "metadata": {"index": ".alerts-security.alerts-default", "rule": {"id": RULE_ID, "name": "MS Office child process"}},
        "data": null,
        "created_at": "2025-05-01T12:10:00.000Z",
        "created_by": user_json(),
        "updated_at": null,
        "updated_by": null,
        "pushed_at": null,
        "pushed_by": null
    })
}

#[tokio::test]
async fn case_attachments_find_create_get_and_delete() {
    for ctx in contexts().await {
        let collection = format!("/api/cases/{CASE_ID}/attachments");
        let one = format!("{collection}/{COMMENT_ID}");
        ctx.respond(
            "GET",
            &collection,
            200,
            json!({"data": [attachment_json()], "page": 1, "per_page": 20, "total": 1}),
        )
        .await;
        ctx.respond("POST", &collection, 201, attachment_json())
            .await;
        ctx.respond("GET", &one, 200, attachment_json()).await;
        ctx.respond("DELETE", &one, 204, Value::Null).await;
        ctx.respond("DELETE", &collection, 204, Value::Null).await;

        let params = FindCaseAttachmentsParams {
            r#type: Some(vec!["comment".into(), "security.alert".into()]),
            per_page: Some(20),
            ..Default::default()
        };
        let page = ctx
            .client
            .find_case_attachments(CASE_ID, &params)
            .await
            .expect("found");
        assert_eq!(page.total, 1);
        assert!(matches!(
            &page.data[0].attachment_id,
            Some(CaseAttachmentId::Array(ids)) if ids == &["alert-1", "alert-2"]
        ));
        let create: CaseAttachmentCreate = from(json!({
            "type": "security.alert",
            "owner": "securitySolution",
            "attachmentId": ["alert-1", "alert-2"],
            "metadata": {"index": ".alerts-security.alerts-default", "rule": {"id": RULE_ID, "name": "MS Office child process"}}
        }));
        let created = ctx
            .client
            .create_case_attachment(CASE_ID, &create)
            .await
            .expect("created");
        assert_eq!(created.id, COMMENT_ID);
        let got = ctx
            .client
            .get_case_attachment(CASE_ID, COMMENT_ID)
            .await
            .expect("got");
        assert_eq!(got.r#type, "security.alert");
        ctx.client
            .delete_case_attachment(CASE_ID, COMMENT_ID)
            .await
            .expect("deleted one");
        ctx.client
            .delete_case_attachments(CASE_ID)
            .await
            .expect("deleted all");

        let requests = ctx.server.received_requests().await.expect("recording");
        assert_eq!(
            requests[0].url.query(),
            Some("type=comment&type=security.alert&perPage=20")
        );
        assert_eq!(
            json_body(&requests[1]),
            json!({"type": "security.alert", "owner": "securitySolution", "attachmentId": ["alert-1", "alert-2"], "metadata": {"index": ".alerts-security.alerts-default", "rule": {"id": RULE_ID, "name": "MS Office child process"}}})
        );
        no_body(&requests[3]);
        no_body(&requests[4]);
    }
}
