//! The generated Sekoia.io client against Prism serving `specs/sekoia/openapi.yaml`: every
//! operation is called once with parameters a real caller would send; Prism rejects requests the
//! spec does not allow, and every answer (built from the spec's examples) must decode.

use crate::prism::Prism;
use sekoia_client::operations::{
    DeleteRuleParams, DisableRuleParams, EnableRuleParams, GetAlertParams, GetCaseParams,
    GetEventSearchJobEventsParams, GetEventSearchJobFieldsParams, ListAlertsParams,
    ListCaseCommentsParams, ListCaseTagsParams, ListCasesParams, ListRulesParams,
};
use sekoia_client::types::{
    AlertUpdate, AlertWorkflowUpdate, CaseAlerts, CaseCommentCreate, CaseCreate, CaseEvents,
    CasePriority, CaseUpdate, CommentCreate, CountermeasureComment, CountermeasureDecision,
    EventSearchJobCreate, InvitationCreate, RuleCreate, SortDirection,
};
use sekoia_client::Client;
use std::collections::BTreeMap;

const RULE: &str = "0e7a5c1f-3c4d-4a5e-9b7a-2f0c6e4d1a11";
const ALERT: &str = "ALWxYz12";
const CASE: &str = "9f8e7d6c-5b4a-4321-8fed-cba987654321";
const JOB: &str = "c4f1e2d3-b4a5-4697-8899-aabbccddeeff";
const COMMUNITY: &str = "88dcb0c6-4efe-4256-95f1-40d2c4fefefd";
const EVENT: &str = "6f0f6e1c-4a1b-4c2d-9e3f-0a1b2c3d4e5f";
const COUNTERMEASURE: &str = "1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b";
const COMMENT: &str = "3c7a0c8e-5f1b-4b8e-9a55-7d0f2f3e9b10";

fn uuid(text: &str) -> uuid::Uuid {
    text.parse().expect("uuid")
}

fn rule_create() -> RuleCreate {
    let mut body = RuleCreate::new(
        "My custom SIGMA rule".into(),
        "sigma".into(),
        "Detect spawn of Powershell".into(),
        "detection:\n  selection:\n    process.command_line|contains: 'powershell'\n  condition: selection".into(),
        40,
        3,
        uuid("599f4b1a-dd60-43fe-8ee9-07d3c5d00ded"),
        true,
    );
    body.tags = Some(vec!["windows".into()]);
    body
}

#[tokio::test]
async fn every_operation_conforms_to_the_spec() {
    let prism = Prism::start("sekoia").await;
    let client = Client::builder()
        .base_url(prism.base_url())
        .bearer_token("contract-test-key")
        .build()
        .expect("valid configuration");

    // Rules catalog.
    let params = ListRulesParams {
        match_name: Some("Suspicious Windows Defender Exclusion Command".into()),
        limit: Some(10),
        offset: Some(0),
        sort: Some("name".into()),
        ..Default::default()
    };
    prism.check("list_rules", client.list_rules(&params).await);
    prism.check("create_rule", client.create_rule(&rule_create()).await);
    prism.check("get_rule", client.get_rule(RULE).await);
    prism.check(
        "update_rule",
        client.update_rule(RULE, &rule_create()).await,
    );
    let params = EnableRuleParams {
        community_uuid: Some(uuid(COMMUNITY)),
    };
    prism.check("enable_rule", client.enable_rule(RULE, &params).await);
    let params = DisableRuleParams {
        community_uuid: Some(uuid(COMMUNITY)),
    };
    prism.check("disable_rule", client.disable_rule(RULE, &params).await);
    let params = DeleteRuleParams {
        community_uuid: Some(uuid(COMMUNITY)),
    };
    prism.check("delete_rule", client.delete_rule(RULE, &params).await);

    // Invitations.
    let communities = BTreeMap::from([(
        COMMUNITY.to_owned(),
        vec![uuid("44aaa41f-24ee-41d3-a7c1-4677da8b9243")],
    )]);
    let invitation = InvitationCreate::new("john.doe@example.com".into(), communities);
    prism.check(
        "create_invitation",
        client.create_invitation(&invitation).await,
    );

    // Event search jobs.
    let mut search =
        EventSearchJobCreate::new("source.ip:\"1.2.3.4\"".into(), "-30d".into(), "now".into());
    search.term_lang = Some("dork".into());
    prism.check(
        "create_event_search_job",
        client.create_event_search_job(&search).await,
    );
    prism.check(
        "get_event_search_job",
        client.get_event_search_job(JOB).await,
    );
    let params = GetEventSearchJobEventsParams {
        limit: Some(100),
        offset: Some(0),
    };
    prism.check(
        "get_event_search_job_events",
        client.get_event_search_job_events(JOB, &params).await,
    );
    let params = GetEventSearchJobFieldsParams {
        limit: Some(1000),
        offset: Some(0),
    };
    prism.check(
        "get_event_search_job_fields",
        client.get_event_search_job_fields(JOB, &params).await,
    );

    // Alerts.
    let params = ListAlertsParams {
        match_stix_object: Some("indicator--1".into()),
        nomatch_rule_name: Some("Noisy rule".into()),
        limit: Some(20),
        direction: Some(SortDirection::Desc),
        with_count: Some(true),
        ..Default::default()
    };
    prism.check("list_alerts", client.list_alerts(&params).await);
    let params = GetAlertParams {
        stix: Some(false),
        cases: Some(true),
    };
    prism.check("get_alert", client.get_alert(ALERT, &params).await);
    let update = AlertUpdate {
        title: Some("Renamed".into()),
        urgency: Some(80),
        ..Default::default()
    };
    prism.check("update_alert", client.update_alert(ALERT, &update).await);
    let mut workflow = AlertWorkflowUpdate::new(uuid("ade85a5e-0000-4000-8000-000000000003"));
    workflow.comment = Some(Some("confirmed".into()));
    prism.check(
        "update_alert_workflow",
        client.update_alert_workflow(ALERT, &workflow).await,
    );
    prism.check(
        "list_alert_comments",
        client.list_alert_comments(ALERT).await,
    );
    let mut comment = CommentCreate::new("Looking into it".into());
    comment.author = Some("automation".into());
    prism.check(
        "create_alert_comment",
        client.create_alert_comment(ALERT, &comment).await,
    );
    let mut decision = CountermeasureComment::new("Source address blocked".into());
    decision.author = Some("automation".into());
    let decision = CountermeasureDecision::new(decision);
    prism.check(
        "activate_countermeasure",
        client
            .activate_countermeasure(COUNTERMEASURE, &decision)
            .await,
    );
    prism.check(
        "deny_countermeasure",
        client.deny_countermeasure(COUNTERMEASURE, &decision).await,
    );

    // Cases.
    let params = ListCasesParams {
        limit: Some(20),
        ..Default::default()
    };
    prism.check("list_cases", client.list_cases(&params).await);
    let mut case = CaseCreate::new("Compromised host".into());
    case.priority = Some(CasePriority::High);
    prism.check("create_case", client.create_case(&case).await);
    let params = GetCaseParams {
        community_uuid: Some(uuid(COMMUNITY)),
        render: Some(true),
    };
    prism.check("get_case", client.get_case(CASE, &params).await);
    let update = CaseUpdate {
        description: Some("Escalated".into()),
        ..Default::default()
    };
    prism.check("update_case", client.update_case(CASE, &update).await);
    let params = ListCaseCommentsParams {
        date_created_at: Some("2024-05-01T00:00:00Z,2024-05-31T23:59:59Z".into()),
        direction: Some(SortDirection::Asc),
        ..Default::default()
    };
    prism.check(
        "list_case_comments",
        client.list_case_comments(CASE, &params).await,
    );
    prism.check(
        "create_case_comment",
        client
            .create_case_comment(CASE, &CaseCommentCreate::new("Isolated the host".into()))
            .await,
    );
    prism.check(
        "get_case_comment",
        client.get_case_comment(CASE, COMMENT).await,
    );
    prism.check(
        "update_case_comment",
        client
            .update_case_comment(
                CASE,
                COMMENT,
                &CaseCommentCreate::new("Host reimaged".into()),
            )
            .await,
    );
    prism.check(
        "delete_case_comment",
        client.delete_case_comment(CASE, COMMENT).await,
    );
    prism.check("list_case_alerts", client.list_case_alerts(CASE).await);
    let alerts = CaseAlerts::new(vec!["5b1d7f2e-8a3c-4e6f-9d0b-1c2a3b4c5d6e".into()]);
    prism.check(
        "add_case_alerts",
        client.add_case_alerts(CASE, &alerts).await,
    );
    prism.check(
        "replace_case_alerts",
        client.replace_case_alerts(CASE, &alerts).await,
    );
    prism.check(
        "add_case_events",
        client
            .add_case_events(CASE, &CaseEvents::new(vec![EVENT.into()]))
            .await,
    );
    prism.check(
        "remove_case_event",
        client.remove_case_event(CASE, uuid(EVENT)).await,
    );
    let params = ListCaseTagsParams {
        limit: Some(20),
        offset: Some(0),
        community_uuid: Some(uuid(COMMUNITY)),
    };
    prism.check("list_case_tags", client.list_case_tags(&params).await);
    prism.check("delete_case", client.delete_case(CASE).await);

    // Configuration objects.
    prism.check(
        "get_intake",
        client
            .get_intake("2d4b8f3a-6c1e-4f7a-9b2d-3e5f7a9c1b2d")
            .await,
    );
    prism.check(
        "get_entity",
        client
            .get_entity("6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d")
            .await,
    );
    prism.check(
        "get_custom_status",
        client
            .get_custom_status(uuid("3c1e7a52-6f0d-4b8e-9a21-5d4c3b2a1f00"))
            .await,
    );
    prism.check(
        "get_custom_priority",
        client
            .get_custom_priority(uuid("7d2b9c41-0e5f-4a36-b8c7-1f2e3d4c5b6a"))
            .await,
    );
    prism.check(
        "get_custom_verdict",
        client
            .get_custom_verdict(uuid("a9e8d7c6-b5a4-4392-8f1e-0d9c8b7a6e5d"))
            .await,
    );
    prism.check(
        "get_kill_chain_stage",
        client
            .get_kill_chain_stage("0c9b8a7d-6e5f-4d3c-2b1a-0f9e8d7c6b5a")
            .await,
    );

    // Communities.
    prism.check("get_community", client.get_community(COMMUNITY).await);

    // API keys.
    prism.check("validate_api_key", client.validate_api_key().await);
}

#[tokio::test]
async fn a_request_the_spec_forbids_fails_the_check() {
    // The harness itself must be able to fail: a call without credentials violates the spec's
    // security requirement, Prism answers 401, and `check` panics.
    let prism = Prism::start("sekoia").await;
    let client = Client::builder()
        .base_url(prism.base_url())
        .build()
        .expect("valid configuration");
    let result = client.validate_api_key().await;
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        prism.check("validate_api_key", result)
    }));
    assert!(
        outcome.is_err(),
        "an unauthenticated call must fail the check"
    );
}
