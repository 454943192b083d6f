//! The generated security-onion client against Prism serving
//! `specs/security-onion/openapi.yaml`: the client fetches its token from the spec's own token
//! operation, then every operation is called once with parameters a real caller would send;
//! Prism rejects requests the spec does not allow, and every answer (built from the spec's
//! examples) must decode.

use crate::prism::Prism;
use clientgen_runtime::FilePart;
use security_onion_client::operations::{
    CreateJobFromEventParams, DownloadJobPcapParams, GetInfoParams, ListActiveQueriesParams,
    ListCaseArtifactsParams, ListConfigSettingsParams, ListJobPacketsParams, ListJobsParams,
    SearchEventsParams,
};
use security_onion_client::types::{
    ApiClient, Artifact, ArtifactGroupType, ArtifactUpload, AttachEventCriteria, BulkAction,
    BulkOperation, Case, CaseSeverity, CaseStatus, Comment, Detection, DetectionComment,
    DetectionEngine, DetectionLanguage, DetectionSeverity, EventAckCriteria, GridImportUpload,
    GridMemberOperation, Job, JobFilter, OverrideNote, PasswordReset, Setting, SyncEngine,
    SyncType, TokenRequest, TokenRequestGrantType, User, UserToggle,
};
use security_onion_client::Client;
use serde_json::json;

const CLIENT_ID: &str = "socl_my_new_client";
const CLIENT_SECRET: &str = "hwKHspsX2bMuoIs7kGwN";
const CASE_ID: &str = "7x2zSpQBvKeAEj9aX3ry";
const COMMENT_ID: &str = "Lb3zSpQBvKeAEj9aF4s1";
const RELATED_ID: &str = "Rq4zSpQBvKeAEj9aG5tA";
const ARTIFACT_ID: &str = "Vt5zSpQBvKeAEj9aH6uB";
const DETECTION_ID: &str = "zC73PJABrNRFAsnEYkqy";
const DETECTION_COMMENT_ID: &str = "pX91PJABrNRFAsnEa1b2";
const MEMBER_ID: &str = "sensor01_sensor";
const USER_ID: &str = "83656890-2acd-4c0b-8ab9-ea1ee1d3f6ed";
const RANGE: &str = "2024/12/03 03:09:31 PM - 2024/12/04 03:09:31 PM";
const LAYOUT: &str = "2006/01/02 3:04:05 PM";

fn object(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    value.as_object().cloned().expect("object")
}

fn detection() -> Detection {
    Detection {
        title: Some("Custom MySQL probe".into()),
        severity: Some(DetectionSeverity::Medium),
        language: Some(DetectionLanguage::Suricata),
        content: Some("alert tcp any any -> any 3306 (msg:\"probe\"; sid:9000001;)".into()),
        is_enabled: Some(true),
        ..Default::default()
    }
}

fn job() -> Job {
    Job {
        node_id: Some(MEMBER_ID.into()),
        filter: Some(JobFilter {
            begin_time: Some("2024-12-04T20:00:00Z".parse().expect("time")),
            end_time: Some("2024-12-04T20:05:00Z".parse().expect("time")),
            src_ip: Some("203.0.113.7".into()),
            dst_ip: Some("10.0.0.20".into()),
            dst_port: Some(3306),
            protocol: Some("tcp".into()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[tokio::test]
async fn every_operation_conforms_to_the_spec() {
    let prism = Prism::start("security-onion").await;

    // The token operation itself, called with the client id and secret as Basic credentials.
    let basic = Client::builder()
        .base_url(prism.base_url())
        .basic_auth(CLIENT_ID, CLIENT_SECRET)
        .build()
        .expect("valid configuration");
    let token = prism.check(
        "create_access_token",
        basic
            .create_access_token(&TokenRequest::new(TokenRequestGrantType::ClientCredentials))
            .await,
    );
    assert!(!token.access_token.is_empty());

    // Everything else through a client that exchanges its credentials at /oauth2/token itself.
    let client = Client::builder()
        .base_url(prism.base_url())
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .build()
        .expect("valid configuration");

    // Info and events.
    let info = prism.check(
        "get_info",
        client
            .get_info(&GetInfoParams {
                grid_id: Some("subgrid-east".into()),
            })
            .await,
    );
    assert!(info.version.is_some());
    let params = SearchEventsParams::new(
        "event.dataset:alert | groupby rule.name".into(),
        RANGE.into(),
        "America/New_York".into(),
        LAYOUT.into(),
        10,
        25,
    );
    prism.check("search_events", client.search_events(&params).await);
    let next_page = SearchEventsParams {
        search_after: Some(r#"[1733342462345,"Xk2sjZMBvKeAEj9aJ1qQ"]"#.into()),
        ..params
    };
    prism.check("search_events", client.search_events(&next_page).await);
    let mut ack = EventAckCriteria::new(object(json!({"source.ip": "203.0.113.7"})));
    ack.search_filter = Some("event.dataset:alert".into());
    ack.date_range = Some(RANGE.into());
    ack.date_range_format = Some(LAYOUT.into());
    ack.timezone = Some("America/New_York".into());
    ack.acknowledge = Some(true);
    ack.escalate = Some(false);
    prism.check(
        "acknowledge_events",
        client.acknowledge_events(&Default::default(), &ack).await,
    );

    // Cases.
    let case = Case {
        title: Some("Suspicious MySQL scanning".into()),
        description: Some("Repeated inbound connections to port 3306.".into()),
        severity: Some(CaseSeverity::High),
        status: Some(CaseStatus::New),
        priority: Some(2),
        tags: Some(vec!["scan".into()]),
        ..Default::default()
    };
    prism.check(
        "create_case",
        client.create_case(&Default::default(), &case).await,
    );
    let update = Case {
        id: Some(CASE_ID.into()),
        status: Some(CaseStatus::InProgress),
        ..case.clone()
    };
    prism.check(
        "update_case",
        client.update_case(&Default::default(), &update).await,
    );
    prism.check(
        "get_case",
        client.get_case(CASE_ID, &Default::default()).await,
    );

    let mut comment = Comment::new(CASE_ID.into(), "Blocked at the firewall.".into());
    comment.hours = Some(0.5);
    prism.check(
        "create_case_comment",
        client
            .create_case_comment(&Default::default(), &comment)
            .await,
    );
    comment.id = Some(COMMENT_ID.into());
    prism.check(
        "update_case_comment",
        client
            .update_case_comment(&Default::default(), &comment)
            .await,
    );
    prism.check(
        "list_case_comments",
        client
            .list_case_comments(CASE_ID, &Default::default())
            .await,
    );
    prism.check(
        "delete_case_comment",
        client
            .delete_case_comment(COMMENT_ID, &Default::default())
            .await,
    );

    let mut attach = AttachEventCriteria::new(
        CASE_ID.into(),
        object(json!({"soc_id": "Xk2sjZMBvKeAEj9aJ1qQ"})),
    );
    attach.date_range = Some(RANGE.into());
    attach.date_range_format = Some(LAYOUT.into());
    attach.timezone = Some("UTC".into());
    attach.acknowledged = Some(false);
    attach.escalated = Some(false);
    prism.check(
        "attach_case_events",
        client
            .attach_case_events(&Default::default(), &attach)
            .await,
    );
    prism.check(
        "list_case_events",
        client.list_case_events(CASE_ID, &Default::default()).await,
    );
    prism.check(
        "delete_case_event",
        client
            .delete_case_event(RELATED_ID, &Default::default())
            .await,
    );

    let mut artifact = Artifact::new(CASE_ID.into(), "ip".into(), "203.0.113.7".into());
    artifact.ioc = Some(true);
    artifact.group_type = Some("evidence".into());
    prism.check(
        "create_case_artifact",
        client
            .create_case_artifact(&Default::default(), &artifact)
            .await,
    );
    let upload = ArtifactUpload::new(
        json!({"caseId": CASE_ID, "groupType": "attachments"}).to_string(),
        FilePart::new(&b"\xd4\xc3\xb2\xa1pcap"[..])
            .file_name("capture.pcap")
            .content_type("application/octet-stream"),
    );
    prism.check(
        "upload_case_artifact",
        client
            .upload_case_artifact(&Default::default(), &upload)
            .await,
    );
    artifact.id = Some(ARTIFACT_ID.into());
    artifact.tlp = Some("red".into());
    prism.check(
        "update_case_artifact",
        client
            .update_case_artifact(&Default::default(), &artifact)
            .await,
    );
    prism.check(
        "list_case_artifacts",
        client
            .list_case_artifacts(
                &ArtifactGroupType::Evidence,
                &ListCaseArtifactsParams::new(CASE_ID.into()),
            )
            .await,
    );
    prism.check(
        "delete_case_artifact",
        client
            .delete_case_artifact(ARTIFACT_ID, &Default::default())
            .await,
    );
    prism.check(
        "download_case_artifact",
        client
            .download_case_artifact(ARTIFACT_ID, &Default::default())
            .await,
    );
    prism.check(
        "get_case_history",
        client.get_case_history(CASE_ID, &Default::default()).await,
    );

    // Detections.
    prism.check(
        "create_detection",
        client
            .create_detection(&Default::default(), &detection())
            .await,
    );
    let mut existing = detection();
    existing.id = Some(DETECTION_ID.into());
    prism.check(
        "update_detection",
        client
            .update_detection(&Default::default(), &existing)
            .await,
    );
    prism.check(
        "get_detection",
        client
            .get_detection(DETECTION_ID, &Default::default())
            .await,
    );
    prism.check(
        "get_detection_by_public_id",
        client
            .get_detection_by_public_id("2038279", &Default::default())
            .await,
    );
    let bulk = BulkOperation {
        ids: Some(vec![DETECTION_ID.into()]),
        ..Default::default()
    };
    prism.check(
        "bulk_update_detections",
        client
            .bulk_update_detections(&BulkAction::Disable, &Default::default(), &bulk)
            .await,
    );
    prism.check(
        "duplicate_detection",
        client
            .duplicate_detection(DETECTION_ID, &Default::default())
            .await,
    );
    prism.check(
        "get_detection_history",
        client
            .get_detection_history(DETECTION_ID, &Default::default())
            .await,
    );
    prism.check(
        "list_detection_comments",
        client
            .list_detection_comments(DETECTION_ID, &Default::default())
            .await,
    );
    let note = DetectionComment {
        value: Some("Tuned the threshold.".into()),
        ..Default::default()
    };
    prism.check(
        "create_detection_comment",
        client
            .create_detection_comment(DETECTION_ID, &Default::default(), &note)
            .await,
    );
    prism.check(
        "get_detection_comment",
        client
            .get_detection_comment(DETECTION_COMMENT_ID, &Default::default())
            .await,
    );
    prism.check(
        "update_detection_comment",
        client
            .update_detection_comment(DETECTION_COMMENT_ID, &Default::default(), &note)
            .await,
    );
    prism.check(
        "delete_detection_comment",
        client
            .delete_detection_comment(DETECTION_COMMENT_ID, &Default::default())
            .await,
    );
    prism.check(
        "update_detection_override_note",
        client
            .update_detection_override_note(
                DETECTION_ID,
                0,
                &Default::default(),
                &OverrideNote::new("Scanner moved.".into()),
            )
            .await,
    );
    let sigma = Detection {
        language: Some(DetectionLanguage::Sigma),
        content: Some("title: PowerShell\nlogsource:\n  product: windows\ndetection:\n  selection:\n    Image|endswith: powershell.exe\n  condition: selection".into()),
        ..Default::default()
    };
    prism.check(
        "convert_detection",
        client.convert_detection(&Default::default(), &sigma).await,
    );
    prism.check(
        "sync_detections",
        client
            .sync_detections(
                &SyncEngine::Suricata,
                &SyncType::Update,
                &Default::default(),
            )
            .await,
    );
    prism.check(
        "generate_detection_public_id",
        client
            .generate_detection_public_id(&DetectionEngine::Suricata, &Default::default())
            .await,
    );
    prism.check(
        "delete_detection",
        client
            .delete_detection(DETECTION_ID, &Default::default())
            .await,
    );

    // Grid.
    prism.check(
        "list_grid_nodes",
        client.list_grid_nodes(&Default::default()).await,
    );
    prism.check(
        "list_grid_members",
        client.list_grid_members(&Default::default()).await,
    );
    prism.check(
        "manage_grid_member",
        client
            .manage_grid_member(MEMBER_ID, &GridMemberOperation::Test, &Default::default())
            .await,
    );
    prism.check(
        "get_grid_status",
        client.get_grid_status(&Default::default()).await,
    );
    let import = GridImportUpload::new(
        FilePart::new(&b"evtx"[..])
            .file_name("security.evtx")
            .content_type("application/octet-stream"),
    );
    prism.check(
        "import_to_grid_member",
        client
            .import_to_grid_member(MEMBER_ID, &Default::default(), &import)
            .await,
    );

    // Jobs and packets.
    prism.check(
        "create_job",
        client.create_job(&Default::default(), &job()).await,
    );
    let mut existing_job = job();
    existing_job.id = Some(1001);
    prism.check(
        "update_job",
        client.update_job(&Default::default(), &existing_job).await,
    );
    prism.check("get_job", client.get_job(1001, &Default::default()).await);
    prism.check(
        "delete_job",
        client.delete_job(1001, &Default::default()).await,
    );
    let params = ListJobsParams {
        parameters: Some(json!({"artifact": {"id": ARTIFACT_ID}}).to_string()),
        ..Default::default()
    };
    prism.check("list_jobs", client.list_jobs(&params).await);
    let params = ListJobPacketsParams {
        offset: Some(0),
        count: Some(100),
        ..Default::default()
    };
    prism.check(
        "list_job_packets",
        client.list_job_packets(1001, &params).await,
    );
    prism.check(
        "download_job_pcap",
        client
            .download_job_pcap(1001, &DownloadJobPcapParams::new(false))
            .await,
    );
    let params = CreateJobFromEventParams {
        esid: Some("P5mgnpEB0JpjNDZz1bIN".into()),
        ..CreateJobFromEventParams::new("2024-01-29T12:31:59.220Z".into())
    };
    prism.check(
        "create_job_from_event",
        client.create_job_from_event(&params).await,
    );

    // Users and roles.
    prism.check("list_users", client.list_users(&Default::default()).await);
    let user = User {
        email: Some("analyst@example.org".into()),
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        roles: Some(vec!["analyst".into()]),
        password: Some("correct-horse-battery-staple".into()),
        ..Default::default()
    };
    prism.check(
        "create_user",
        client.create_user(&Default::default(), &user).await,
    );
    let profile = User {
        note: Some("Tier 3 analyst".into()),
        ..Default::default()
    };
    prism.check(
        "update_user",
        client
            .update_user(USER_ID, &Default::default(), &profile)
            .await,
    );
    prism.check(
        "delete_user",
        client.delete_user(USER_ID, &Default::default()).await,
    );
    prism.check(
        "toggle_user",
        client
            .toggle_user(USER_ID, &UserToggle::Disable, &Default::default())
            .await,
    );
    prism.check(
        "reset_user_password",
        client
            .reset_user_password(
                USER_ID,
                &Default::default(),
                &PasswordReset::new("new-long-passphrase".into()),
            )
            .await,
    );
    prism.check(
        "add_user_role",
        client
            .add_user_role(USER_ID, "auditor", &Default::default())
            .await,
    );
    prism.check(
        "remove_user_role",
        client
            .remove_user_role(USER_ID, "auditor", &Default::default())
            .await,
    );
    prism.check("sync_users", client.sync_users(&Default::default()).await);
    prism.check("list_roles", client.list_roles(&Default::default()).await);
    prism.check(
        "list_permissions",
        client.list_permissions(&Default::default()).await,
    );

    // API clients.
    prism.check(
        "list_api_clients",
        client.list_api_clients(&Default::default()).await,
    );
    let api_client = ApiClient {
        id: Some("socl_soar_integration".into()),
        name: Some("SOAR integration".into()),
        note: Some("Created by the contract test".into()),
        ..Default::default()
    };
    prism.check(
        "create_api_client",
        client
            .create_api_client(&Default::default(), &api_client)
            .await,
    );
    prism.check(
        "update_api_client",
        client
            .update_api_client(CLIENT_ID, &Default::default(), &api_client)
            .await,
    );
    prism.check(
        "delete_api_client",
        client
            .delete_api_client(CLIENT_ID, &Default::default())
            .await,
    );
    prism.check(
        "add_api_client_permission",
        client
            .add_api_client_permission(CLIENT_ID, "events", "read", &Default::default())
            .await,
    );
    prism.check(
        "remove_api_client_permission",
        client
            .remove_api_client_permission(CLIENT_ID, "cases", "write", &Default::default())
            .await,
    );
    prism.check(
        "regenerate_api_client_secret",
        client
            .regenerate_api_client_secret(CLIENT_ID, &Default::default())
            .await,
    );

    // Configuration.
    let params = ListConfigSettingsParams {
        advanced: Some(true),
        ..Default::default()
    };
    prism.check(
        "list_config_settings",
        client.list_config_settings(&params).await,
    );
    let setting = Setting {
        id: Some("suricata.config.af-packet.threads".into()),
        value: Some("8".into()),
        node_id: Some(MEMBER_ID.into()),
        ..Default::default()
    };
    prism.check(
        "update_config_setting",
        client
            .update_config_setting(&Default::default(), &setting)
            .await,
    );
    prism.check(
        "delete_config_setting",
        client
            .delete_config_setting("elastalert.alerter_parameters", &Default::default())
            .await,
    );
    prism.check(
        "delete_node_config_setting",
        client
            .delete_node_config_setting(
                "suricata.config.af-packet.threads",
                MEMBER_ID,
                &Default::default(),
            )
            .await,
    );
    prism.check("sync_config", client.sync_config(&Default::default()).await);

    // Playbooks.
    prism.check(
        "get_playbook",
        client
            .get_playbook("6F64990A-ACDA-40B6-AB71-134C073013B5", &Default::default())
            .await,
    );
    prism.check(
        "list_detection_playbooks",
        client
            .list_detection_playbooks("2038279", &Default::default())
            .await,
    );
    prism.check(
        "list_event_playbooks",
        client
            .list_event_playbooks("WKhCuTw4GPvrQA-9ksmn", &Default::default())
            .await,
    );

    // Queries and utilities.
    let params = ListActiveQueriesParams {
        filter: Some(true),
        ..Default::default()
    };
    prism.check(
        "list_active_queries",
        client.list_active_queries(&params).await,
    );
    prism.check(
        "cancel_query",
        client
            .cancel_query("jSliTqa12bOPhdW195TuuZ:443", &Default::default())
            .await,
    );
    prism.check(
        "reverse_lookup",
        client
            .reverse_lookup(
                &Default::default(),
                &vec!["10.0.0.20".to_owned(), "203.0.113.7".to_owned()],
            )
            .await,
    );
}
