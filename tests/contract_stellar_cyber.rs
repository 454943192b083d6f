//! The generated stellar-cyber client against Prism serving specs/stellar-cyber/openapi.yaml:
//! every operation is called once with parameters a real caller would send; Prism checks each
//! request (parameters, bodies, security) and answers from the spec's examples, which must
//! decode. The client exchanges its API key at Prism's token endpoint like it would at a DP.

use crate::prism::Prism;
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
use stellar_cyber_client::Client;

const USER: &str = "soc@example.com";
const API_KEY: &str = "contract-test-api-key";
const CASE: &str = "65f1c2a7e4b0a1d2c3e4f5a6";
const TENANT: &str = "817418af76d44358922636e34be9627c";
const USER_ID: &str = "0b6b9e3c1f7d4a7f9c2e5d8a1b3c4d5e";
const INDEX: &str = "aella-ser-1700006400000-000001";
const ALERT: &str = "1700006522591e7cb7a0e2c74e1b8f1f4d1a39a3b2";

#[tokio::test]
async fn every_operation_conforms_to_the_spec() {
    let prism = Prism::start("stellar-cyber").await;

    // The token endpoint authenticates with HTTP Basic itself: a client configured that way.
    let basic = Client::builder()
        .base_url(prism.base_url())
        .basic_auth(USER, API_KEY)
        .build()
        .expect("valid configuration");
    let token = prism.check(
        "get_access_token",
        basic
            .get_access_token(&GetAccessTokenParams::default())
            .await,
    );
    assert!(!token.access_token.is_empty());
    // The example's `exp` (2100-01-01) lies in the future, so the exchange below keeps its token.
    assert!(token.exp.is_some_and(|exp| exp > 1_900_000_000));

    // Every other operation through the API key exchange: Basic to the token endpoint, then
    // Bearer JWT.
    let client = Client::builder()
        .base_url(prism.base_url())
        .api_key_exchange(USER, API_KEY)
        .build()
        .expect("valid configuration");
    let case_id = CASE.to_owned();

    // Cases.
    let params = ListCasesParams {
        tenantid: Some(TENANT.into()),
        limit: Some(100),
        skip: Some(0),
        sort: Some("score".into()),
        order: Some(SortOrder::Desc),
        from_created_at: Some(1700000000000),
        to_created_at: Some(1700086400000),
        from_modified_at: Some(1700000000000),
        to_modified_at: Some(1700086400000),
        from_score: Some(50.0),
        min_score: Some(50.0),
        status: Some(vec![CaseStatus::New, CaseStatus::InProgress]),
        severity: Some(Severity::High),
        tags: Some(vec!["phishing".into(), "vip".into()]),
        not_tags: Some("false-positive".into()),
        not_modified_by: Some("sync@example.com".into()),
        ticket_id: Some(1042),
        min_size_auto: Some(2),
        include_summary: Some(true),
        format_summary: Some(true),
    };
    let cases = prism.check("list_cases", client.list_cases(&params).await);
    assert_eq!(cases.data.cases[0].id, CASE);

    let update = LegacyCaseUpdate {
        priority: Some(Severity::High),
        status: Some(CaseStatus::InProgress),
        assignee: Some(USER_ID.into()),
        tags: Some(TagChanges {
            add: Some(vec!["phishing".into()]),
            ..Default::default()
        }),
        ..Default::default()
    };
    prism.check(
        "update_case_legacy",
        client
            .update_case_legacy(&UpdateCaseLegacyParams::new(CASE.into()), &update)
            .await,
    );
    prism.check("get_case", client.get_case(&case_id).await);
    let update = CaseUpdate {
        status: Some(CaseStatus::Resolved),
        severity: Some(Severity::Critical),
        assignee: Some(USER_ID.into()),
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
    prism.check("update_case", client.update_case(&case_id, &update).await);
    let alerts = prism.check(
        "list_case_alerts",
        client
            .list_case_alerts(
                &case_id,
                &ListCaseAlertsParams {
                    limit: Some(50),
                    skip: Some(0),
                },
            )
            .await,
    );
    assert!(!alerts.data.docs.is_empty());
    prism.check(
        "get_case_summary",
        client
            .get_case_summary(
                &case_id,
                &GetCaseSummaryParams {
                    formatted: Some(true),
                },
            )
            .await,
    );
    prism.check(
        "list_case_comments",
        client.list_case_comments(&case_id).await,
    );
    prism.check(
        "add_case_comment",
        client
            .add_case_comment(
                &case_id,
                &CaseCommentCreate::new("Blocked the source address at the firewall.".into()),
            )
            .await,
    );
    prism.check(
        "get_case_observables",
        client.get_case_observables(&case_id).await,
    );
    prism.check("get_case_scores", client.get_case_scores(&case_id).await);
    prism.check(
        "get_case_activities",
        client.get_case_activities(&case_id).await,
    );

    // Incidents.
    let params = ListIncidentsParams {
        tenantid: Some(TENANT.into()),
        cust_id: Some(TENANT.into()),
        limit: Some(100),
        skip: Some(0),
        order: Some(SortOrder::Asc),
        from_created_at: Some(1700000000000),
        status: Some(vec![CaseStatus::New]),
        ticket_id: Some(1042),
        ..Default::default()
    };
    prism.check("list_incidents", client.list_incidents(&params).await);
    let update = IncidentUpdate {
        status: Some(CaseStatus::Resolved),
        resolution: Some("Duplicate of an earlier case.".into()),
        tags: Some(TagChanges {
            add: Some(vec!["closed-by-soar".into()]),
            ..Default::default()
        }),
        ..Default::default()
    };
    prism.check(
        "update_incident",
        client
            .update_incident(&UpdateIncidentParams::new(CASE.into()), &update)
            .await,
    );

    // Alerts and raw data.
    let update = SecurityEventUpdate {
        status: Some(AlertStatus::InProgress),
        comments: Some("Checked with the account owner.".into()),
        event_tags: Some(vec![EventTagChange::new(
            "add".into(),
            "investigated".into(),
        )]),
        ..Default::default()
    };
    prism.check(
        "update_security_event",
        client.update_security_event(INDEX, ALERT, &update).await,
    );
    let mut legacy = LegacySecurityEventUpdate::new(INDEX.into(), ALERT.into());
    legacy.status = Some(AlertStatus::Closed);
    legacy.comments = Some("Closed by the SOAR playbook.".into());
    prism.check(
        "update_security_event_legacy",
        client.update_security_event_legacy(&legacy).await,
    );
    let params = SearchDataParams {
        q: Some("event_status:New".into()),
        size: Some(100),
        scroll: Some("10m".into()),
    };
    let found = prism.check(
        "search_data",
        client.search_data("aella-ser-*", &params).await,
    );
    let scroll_id = found.scroll_id.expect("scroll id");
    prism.check(
        "scroll_data",
        client
            .scroll_data(&ScrollRequest::new("1m".into(), scroll_id))
            .await,
    );

    // Tenants and users.
    let params = ListTenantsParams {
        fields: Some(vec!["cust_id".into(), "cust_name".into()]),
    };
    prism.check("list_tenants", client.list_tenants(&params).await);
    prism.check("get_tenant", client.get_tenant(TENANT).await);
    prism.check("list_users", client.list_users().await);
    prism.check("get_user", client.get_user(USER_ID).await);
    prism.check(
        "update_user",
        client
            .update_user(USER_ID, &UserUpdate::new("5e1b8f1f4d1a39a3b2c4d5e6".into()))
            .await,
    );
    prism.check("delete_user", client.delete_user(USER_ID).await);
    let params = ListUserActivitiesParams {
        sort: Some("Timestamps".into()),
        order: Some(SortOrder::Asc),
        module: Some("User".into()),
        from_timestamps: Some(1700000000000),
        to_timestamps: Some(1700086400000),
        ..Default::default()
    };
    prism.check(
        "list_user_activities",
        client.list_user_activities(&params).await,
    );

    // Usage.
    let params = ListStorageUsagesParams {
        aggr_type: Some(StorageAggregation::Tenant),
        cust_id: Some(TENANT.into()),
    };
    prism.check(
        "list_storage_usages",
        client.list_storage_usages(&params).await,
    );
    let params = GetSensorIngestionStatsParams {
        cust_id: Some(TENANT.into()),
        start_time: Some(1700000000000),
        end_time: Some(1700086400000),
    };
    prism.check(
        "get_sensor_ingestion_stats",
        client.get_sensor_ingestion_stats(&params).await,
    );
    let params = GetConnectorIngestionStatsParams {
        cust_id: Some(TENANT.into()),
        start_time: Some(1700000000000),
        end_time: Some(1700086400000),
    };
    prism.check(
        "get_connector_ingestion_stats",
        client.get_connector_ingestion_stats(&params).await,
    );

    // Connectors and sensors.
    prism.check(
        "list_connectors",
        client
            .list_connectors(&ListConnectorsParams {
                cust_id: Some(TENANT.into()),
            })
            .await,
    );
    prism.check(
        "list_data_sensors",
        client
            .list_data_sensors(&ListDataSensorsParams {
                cust_id: Some(TENANT.into()),
            })
            .await,
    );
}
