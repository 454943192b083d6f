//! The generated elastic-security client against Prism serving specs/elastic-security/openapi.yaml.
//!
//! One client calls every operation once, in the default space (Prism knows the paths without
//! the `/s/<space>` prefix). Prism checks each request against the spec (parameters, bodies,
//! security) and answers from the spec's examples, which must match the spec's schemas.

use crate::prism::Prism;
use clientgen_runtime::FilePart;
use elastic_security_client::operations::*;
use elastic_security_client::types::*;
use elastic_security_client::{Client, Error};
use serde_json::json;

const RULE_ID: &str = "6541b99a-dee9-4f6d-a86d-dbd1869d73b1";
const CASE_ID: &str = "66b9aa00-94fa-11ea-9f74-e7e108796192";
const COMMENT_ID: &str = "71ec1870-725b-11ea-a0b2-c51ea50a58e2";
const TIMELINE_ID: &str = "15c1929b-0af7-42bd-85a8-56e234cc7c4e";

fn from<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("valid test value")
}

fn none_connector() -> CaseConnector {
    CaseConnector::new("none".into(), "none".into(), ".none".into())
}

#[tokio::test]
async fn every_operation_conforms_to_the_spec() {
    let prism = Prism::start("elastic-security").await;
    let client = Client::builder()
        .base_url(prism.base_url())
        .basic_auth("elastic", "changeme")
        .build()
        .expect("valid configuration");
    // The same checks with the other scheme, on one call.
    let keyed = Client::builder()
        .base_url(prism.base_url())
        .api_key("VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==")
        .build()
        .expect("valid configuration");

    // ----- detection rules -----
    let mut create = RuleCreateProps::new(
        "MS Office child process".into(),
        "Process started by MS Office program".into(),
        50,
        RuleSeverity::Low,
        RuleType::Query,
    );
    create.rule_id = Some("process_started_by_ms_office_program".into());
    create.query = Some("process.parent.name:EXCEL.EXE".into());
    create.language = Some(RuleLanguage::Kuery);
    create.index = Some(vec!["logs-*".into()]);
    let rule = prism.check("create_rule", client.create_rule(&create).await);
    assert!(!rule.rule_id.is_empty());

    let by_id = ReadRuleParams {
        id: Some(RULE_ID.parse().expect("uuid")),
        ..Default::default()
    };
    prism.check("read_rule", keyed.read_rule(&by_id).await);

    let update: RuleUpdateProps = from(json!({
        "rule_id": "process_started_by_ms_office_program",
        "name": "MS Office child process",
        "description": "Updated",
        "risk_score": 73,
        "severity": "high",
        "type": "query",
        "query": "process.parent.name:EXCEL.EXE",
        "language": "kuery"
    }));
    prism.check("update_rule", client.update_rule(&update).await);

    let patch = RulePatchProps {
        rule_id: Some("process_started_by_ms_office_program".into()),
        enabled: Some(false),
        ..Default::default()
    };
    prism.check("patch_rule", client.patch_rule(&patch).await);

    let delete = DeleteRuleParams {
        rule_id: Some("process_started_by_ms_office_program".into()),
        ..Default::default()
    };
    prism.check("delete_rule", client.delete_rule(&delete).await);

    let find = FindRulesParams {
        fields: Some(vec!["name".into(), "enabled".into()]),
        filter: Some("alert.attributes.enabled:true".into()),
        sort_field: Some(FindRulesSortField::UpdatedAt),
        sort_order: Some(SortOrder::Desc),
        page: Some(1),
        per_page: Some(20),
        ..Default::default()
    };
    let page = prism.check("find_rules", client.find_rules(&find).await);
    assert!(page.total >= 0);

    let mut bulk = BulkActionRequest::new(BulkActionType::Disable);
    bulk.ids = Some(vec![RULE_ID.into()]);
    prism.check(
        "perform_rules_bulk_action",
        client
            .perform_rules_bulk_action(
                &PerformRulesBulkActionParams {
                    dry_run: Some(true),
                },
                &bulk,
            )
            .await,
    );

    let form = RulesImportForm::new(
        FilePart::new(b"{\"rule_id\":\"a\"}\n".to_vec())
            .file_name("rules.ndjson")
            .content_type("application/ndjson"),
    );
    let import = ImportRulesParams {
        overwrite: Some(true),
        ..Default::default()
    };
    prism.check("import_rules", client.import_rules(&import, &form).await);

    prism.check(
        "read_prebuilt_rules_status",
        client.read_prebuilt_rules_status().await,
    );
    prism.check(
        "install_prebuilt_rules",
        client.install_prebuilt_rules().await,
    );

    // ----- alerts -----
    let search: AlertsSearchRequest = from(json!({
        "query": {"bool": {"filter": [{"term": {"kibana.alert.workflow_status": "open"}}]}},
        "size": 10,
        "sort": [{"@timestamp": {"order": "desc"}}]
    }));
    let found = prism.check("search_alerts", client.search_alerts(&search).await);
    assert!(!found.timed_out);

    let mut by_ids =
        SetAlertsStatusByIds::new(vec!["0f2b3e6a4c1d8e9f".into()], AlertStatus::Closed);
    by_ids.reason = Some(AlertCloseReason::FalsePositive);
    prism.check(
        "set_alerts_status",
        client
            .set_alerts_status(&SetAlertsStatusRequest::SetAlertsStatusByIds(by_ids))
            .await,
    );

    let tags: SetAlertTagsRequest = from(json!({
        "ids": ["0f2b3e6a4c1d8e9f"],
        "tags": {"tags_to_add": ["Duplicate"], "tags_to_remove": []}
    }));
    prism.check("set_alert_tags", client.set_alert_tags(&tags).await);
    let assignees: SetAlertAssigneesRequest = from(json!({
        "assignees": {"add": ["u_MxY0jbrft7EcfC6iNZSUGeI_n6iYrSwZj5mWF5EqmSU_0"], "remove": []},
        "ids": ["0f2b3e6a4c1d8e9f"]
    }));
    prism.check(
        "set_alert_assignees",
        client.set_alert_assignees(&assignees).await,
    );
    let tags = prism.check("read_rule_tags", client.read_rule_tags().await);
    assert!(!tags.is_empty());
    let preview: RulePreviewRequest = from(json!({
        "type": "query", "name": "Preview sample", "description": "Sample preview run",
        "risk_score": 50, "severity": "low", "language": "kuery",
        "query": "process.name : \"cmd.exe\"", "index": ["logs-*"],
        "invocationCount": 1, "timeframeEnd": "2025-01-15T12:00:00.000Z"
    }));
    let previewed = prism.check(
        "preview_rule",
        client
            .preview_rule(&PreviewRuleParams::default(), &preview)
            .await,
    );
    assert!(!previewed.logs.is_empty());

    // ----- exception lists and items -----
    let mut list = ExceptionListCreate::new(
        "Trusted Linux processes".into(),
        "Processes never worth an alert".into(),
        ExceptionListType::Detection,
    );
    list.list_id = Some("trusted-linux-processes".into());
    list.namespace_type = Some(NamespaceType::Single);
    prism.check(
        "create_exception_list",
        client.create_exception_list(&list).await,
    );
    let address = ReadExceptionListParams {
        list_id: Some("trusted-linux-processes".into()),
        namespace_type: Some(NamespaceType::Single),
        ..Default::default()
    };
    prism.check(
        "read_exception_list",
        client.read_exception_list(&address).await,
    );
    prism.check(
        "duplicate_exception_list",
        client
            .duplicate_exception_list(&DuplicateExceptionListParams::new(
                "trusted-linux-processes".into(),
                NamespaceType::Single,
                IncludeExpiredExceptions::True,
            ))
            .await,
    );
    let exceptions_file = ExceptionListsImportForm::new(
        FilePart::new(b"{\"list_id\":\"trusted-linux-processes\"}\n".to_vec())
            .file_name("exceptions.ndjson"),
    );
    prism.check(
        "import_exception_lists",
        client
            .import_exception_lists(
                &ImportExceptionListsParams {
                    overwrite: Some(true),
                    ..Default::default()
                },
                &exceptions_file,
            )
            .await,
    );
    prism.check(
        "read_exception_list_summary",
        client
            .read_exception_list_summary(&ReadExceptionListSummaryParams {
                list_id: Some("trusted-linux-processes".into()),
                namespace_type: Some(NamespaceType::Single),
                ..Default::default()
            })
            .await,
    );
    let mut list_update = ExceptionListUpdate::new(
        "Trusted Linux processes".into(),
        "Reviewed".into(),
        ExceptionListType::Detection,
    );
    list_update.list_id = Some("trusted-linux-processes".into());
    prism.check(
        "update_exception_list",
        client.update_exception_list(&list_update).await,
    );
    let list_delete = DeleteExceptionListParams {
        list_id: Some("trusted-linux-processes".into()),
        ..Default::default()
    };
    prism.check(
        "delete_exception_list",
        client.delete_exception_list(&list_delete).await,
    );
    let find_lists = FindExceptionListsParams {
        namespace_type: Some(vec![NamespaceType::Single, NamespaceType::Agnostic]),
        page: Some(1),
        per_page: Some(20),
        ..Default::default()
    };
    prism.check(
        "find_exception_lists",
        client.find_exception_lists(&find_lists).await,
    );

    let mut entry = ExceptionEntry::new("process.executable".into(), ExceptionEntryType::Match);
    entry.operator = Some(ExceptionEntryOperator::Included);
    entry.value = Some(ExceptionEntryValue::String("/usr/bin/backup".into()));
    let mut item = ExceptionListItemCreate::new(
        "trusted-linux-processes".into(),
        ExceptionListItemCreateType::Simple,
        "Nightly backup".into(),
        "The backup job runs every night".into(),
        vec![entry.clone()],
    );
    item.item_id = Some("simple_list_item".into());
    prism.check(
        "create_exception_list_item",
        client.create_exception_list_item(&item).await,
    );
    let item_address = ReadExceptionListItemParams {
        item_id: Some("simple_list_item".into()),
        ..Default::default()
    };
    prism.check(
        "read_exception_list_item",
        client.read_exception_list_item(&item_address).await,
    );
    let mut item_update = ExceptionListItemUpdate::new(
        ExceptionListItemUpdateType::Simple,
        "Nightly backup".into(),
        "Reviewed".into(),
        vec![entry],
    );
    item_update.item_id = Some("simple_list_item".into());
    prism.check(
        "update_exception_list_item",
        client.update_exception_list_item(&item_update).await,
    );
    let item_delete = DeleteExceptionListItemParams {
        item_id: Some("simple_list_item".into()),
        ..Default::default()
    };
    prism.check(
        "delete_exception_list_item",
        client.delete_exception_list_item(&item_delete).await,
    );
    let mut find_items = FindExceptionListItemsParams::new(vec!["trusted-linux-processes".into()]);
    find_items.per_page = Some(20);
    prism.check(
        "find_exception_list_items",
        client.find_exception_list_items(&find_items).await,
    );

    // ----- value lists -----
    prism.check("create_list_index", client.create_list_index().await);
    prism.check("read_list_index", client.read_list_index().await);
    let mut value_list = ListCreate::new(
        "Internal IPs to exclude".into(),
        "Scanners and backup hosts".into(),
        ListType::Ip,
    );
    value_list.id = Some("internal-ip-excludes".into());
    prism.check("create_list", client.create_list(&value_list).await);
    prism.check(
        "read_list",
        client
            .read_list(&ReadListParams::new("internal-ip-excludes".into()))
            .await,
    );
    prism.check(
        "update_list",
        client
            .update_list(&ListUpdate::new(
                "internal-ip-excludes".into(),
                "Internal IPs to exclude".into(),
                "Scanners, backup and monitoring hosts".into(),
            ))
            .await,
    );
    let mut list_patch = ListPatch::new("internal-ip-excludes".into());
    list_patch.name = Some("Internal IPs (excluded)".into());
    prism.check("patch_list", client.patch_list(&list_patch).await);
    prism.check(
        "delete_list",
        client
            .delete_list(&DeleteListParams::new("internal-ip-excludes".into()))
            .await,
    );
    prism.check(
        "find_lists",
        client
            .find_lists(&FindListsParams {
                page: Some(1),
                per_page: Some(20),
                ..Default::default()
            })
            .await,
    );
    prism.check(
        "create_list_item",
        client
            .create_list_item(&ListItemCreate::new(
                "internal-ip-excludes".into(),
                "10.0.0.1".into(),
            ))
            .await,
    );
    prism.check(
        "read_list_item",
        client
            .read_list_item(&ReadListItemParams {
                id: Some("54b01cfb-058d-44b9-838c-282be16c91cd".into()),
                ..Default::default()
            })
            .await,
    );
    let mut item_patch = ListItemPatch::new("54b01cfb-058d-44b9-838c-282be16c91cd".into());
    item_patch.value = Some("10.0.0.3".into());
    prism.check("patch_list_item", client.patch_list_item(&item_patch).await);
    prism.check(
        "update_list_item",
        client
            .update_list_item(&ListItemUpdate::new(
                "54b01cfb-058d-44b9-838c-282be16c91cd".into(),
                "10.0.0.2".into(),
            ))
            .await,
    );
    prism.check(
        "delete_list_item",
        client
            .delete_list_item(&DeleteListItemParams {
                list_id: Some("internal-ip-excludes".into()),
                value: Some("10.0.0.1".into()),
                ..Default::default()
            })
            .await,
    );
    prism.check(
        "find_list_items",
        client
            .find_list_items(&FindListItemsParams::new("internal-ip-excludes".into()))
            .await,
    );
    let values = ListItemsImportForm::new(
        FilePart::new(b"10.0.0.1\n10.0.0.2\n".to_vec())
            .file_name("internal-ips.txt")
            .content_type("text/plain"),
    );
    prism.check(
        "import_list_items",
        client
            .import_list_items(
                &ImportListItemsParams {
                    list_id: Some("internal-ip-excludes".into()),
                    ..Default::default()
                },
                &values,
            )
            .await,
    );
    let exported = prism.check(
        "export_list_items",
        client
            .export_list_items(&ExportListItemsParams::new("internal-ip-excludes".into()))
            .await,
    );
    assert!(!exported.is_empty());

    // ----- timelines -----
    prism.check(
        "get_timeline",
        client
            .get_timeline(&GetTimelineParams {
                id: Some(TIMELINE_ID.into()),
                ..Default::default()
            })
            .await,
    );
    let timeline: TimelineCreate = from(json!({
        "timeline": {"title": "Lateral movement on host-1", "timelineType": "default", "indexNames": ["logs-*"]},
        "timelineType": "default"
    }));
    prism.check("create_timeline", client.create_timeline(&timeline).await);
    let timeline_patch = TimelinePatch::new(
        TIMELINE_ID.into(),
        "WzE0LDFd".into(),
        from(json!({"title": "Confirmed"})),
    );
    prism.check(
        "patch_timeline",
        client.patch_timeline(&timeline_patch).await,
    );
    prism.check(
        "delete_timelines",
        client
            .delete_timelines(&TimelinesDelete::new(vec![TIMELINE_ID.into()]))
            .await,
    );
    prism.check(
        "find_timelines",
        client
            .find_timelines(&FindTimelinesParams {
                timeline_type: Some(TimelineType::Default),
                page_size: Some(10),
                page_index: Some(1),
                ..Default::default()
            })
            .await,
    );
    let mut timelines = TimelinesImportForm::new(
        FilePart::new(b"{\"savedObjectId\":\"x\",\"version\":\"1\"}\n".to_vec())
            .file_name("timelines.ndjson"),
    );
    timelines.is_immutable = Some(TimelinesImportFormIsImmutable::False);
    prism.check(
        "import_timelines",
        client.import_timelines(&timelines).await,
    );

    prism.check(
        "resolve_timeline",
        client
            .resolve_timeline(&ResolveTimelineParams {
                id: Some(TIMELINE_ID.into()),
                ..Default::default()
            })
            .await,
    );
    let copy: TimelineCopy = from(json!({
        "timeline": {"title": "Lateral movement on host-1 (copy)"},
        "timelineIdToCopy": TIMELINE_ID
    }));
    prism.check(
        "copy_timeline",
        client
            .copy_timeline(
                &CopyTimelineParams::new(CopyTimelineElasticApiVersion::V1),
                &copy,
            )
            .await,
    );
    let favorite: TimelineFavoriteRequest = from(json!({
        "timelineId": TIMELINE_ID,
        "templateTimelineId": null,
        "templateTimelineVersion": null,
        "timelineType": "default"
    }));
    prism.check(
        "persist_timeline_favorite",
        client.persist_timeline_favorite(&favorite).await,
    );
    prism.check(
        "get_notes",
        client
            .get_notes(&GetNotesParams {
                saved_object_ids: Some(vec![TIMELINE_ID.into()]),
                page: Some(1),
                per_page: Some(10),
                ..Default::default()
            })
            .await,
    );
    let note: PersistNoteRequest = from(json!({
        "note": {"timelineId": TIMELINE_ID, "note": "Beaconing every 60 s"}
    }));
    prism.check("persist_note", client.persist_note(&note).await);
    let delete_note: DeleteNotesRequest =
        from(json!({"noteId": "709f99c6-89b6-4953-9160-35945c8e174e"}));
    prism.check("delete_notes", client.delete_notes(&delete_note).await);
    prism.check(
        "persist_pinned_event",
        client
            .persist_pinned_event(&PersistPinnedEventRequest::new(
                "d3a1d35a3e84a81b2f8f3859e064c224cdee1b4bc".into(),
                TIMELINE_ID.into(),
            ))
            .await,
    );

    // ----- cases -----
    let mut case = CaseCreate::new(
        "Phishing campaign".into(),
        "Users received credential-harvesting e-mail".into(),
        vec!["phishing".into()],
        none_connector(),
        CaseSettings::new(true),
        CaseOwner::SecuritySolution,
    );
    case.severity = Some(CaseSeverity::Low);
    let created = prism.check("create_case", client.create_case(&case).await);
    assert!(!created.id.is_empty());
    let mut case_update = CaseUpdate::new(CASE_ID.into(), "WzExMCwxXQ==".into());
    case_update.status = Some(CaseStatus::Closed);
    prism.check(
        "update_cases",
        client
            .update_cases(&CasesUpdate::new(vec![case_update]))
            .await,
    );
    prism.check(
        "delete_cases",
        client
            .delete_cases(&DeleteCasesParams::new(vec![CASE_ID.into()]))
            .await,
    );
    prism.check(
        "find_cases",
        client
            .find_cases(&FindCasesParams {
                owner: Some(vec![CaseOwner::SecuritySolution]),
                status: Some(CaseStatus::Open),
                page: Some(1),
                per_page: Some(20),
                ..Default::default()
            })
            .await,
    );
    let owner = Some(vec![CaseOwner::SecuritySolution]);
    prism.check(
        "get_case_tags",
        client
            .get_case_tags(&GetCaseTagsParams {
                owner: owner.clone(),
            })
            .await,
    );
    prism.check(
        "get_case_reporters",
        client
            .get_case_reporters(&GetCaseReportersParams {
                owner: owner.clone(),
            })
            .await,
    );
    prism.check(
        "get_case_configuration",
        client
            .get_case_configuration(&GetCaseConfigurationParams { owner })
            .await,
    );
    prism.check(
        "set_case_configuration",
        client
            .set_case_configuration(&CaseConfigurationCreate::new(
                CaseClosureType::CloseByUser,
                none_connector(),
                CaseOwner::SecuritySolution,
            ))
            .await,
    );
    let mut change = CaseConfigurationUpdate::new("WzIwNzMsMV0=".into());
    change.closure_type = Some(CaseClosureType::CloseByPushing);
    prism.check(
        "update_case_configuration",
        client
            .update_case_configuration("3297a0f0-b5ec-11ec-b141-0fdb20a7f9a9", &change)
            .await,
    );
    prism.check("get_case", client.get_case(CASE_ID).await);
    prism.check("get_case_alerts", client.get_case_alerts(CASE_ID).await);
    let mut comment =
        CaseCommentCreate::new(CaseCommentCreateType::User, CaseOwner::SecuritySolution);
    comment.comment = Some("A new comment.".into());
    prism.check(
        "add_case_comment",
        client.add_case_comment(CASE_ID, &comment).await,
    );
    let mut comment_update = CaseCommentUpdate::new(
        COMMENT_ID.into(),
        "WzIwNDMxLDFd".into(),
        CaseCommentUpdateType::User,
        CaseOwner::SecuritySolution,
    );
    comment_update.comment = Some("An updated comment.".into());
    prism.check(
        "update_case_comment",
        client.update_case_comment(CASE_ID, &comment_update).await,
    );
    prism.check(
        "find_case_comments",
        client
            .find_case_comments(CASE_ID, &FindCaseCommentsParams::default())
            .await,
    );
    prism.check(
        "get_case_comment",
        client.get_case_comment(CASE_ID, COMMENT_ID).await,
    );
    prism.check(
        "delete_case_comment",
        client.delete_case_comment(CASE_ID, COMMENT_ID).await,
    );
    prism.check(
        "delete_case_comments",
        client.delete_case_comments(CASE_ID).await,
    );
    prism.check(
        "find_case_user_actions",
        client
            .find_case_user_actions(CASE_ID, &FindCaseUserActionsParams::default())
            .await,
    );
    let mut file = CaseFileForm::new(
        FilePart::new(b"suspicious.exe hashes\n".to_vec())
            .file_name("hashes.txt")
            .content_type("text/plain"),
    );
    file.filename = Some("hashes".into());
    prism.check("add_case_file", client.add_case_file(CASE_ID, &file).await);
    prism.check(
        "find_case_attachments",
        client
            .find_case_attachments(
                CASE_ID,
                &FindCaseAttachmentsParams {
                    r#type: Some(vec!["comment".into()]),
                    page: Some(1),
                    per_page: Some(20),
                    ..Default::default()
                },
            )
            .await,
    );
    let attachment: CaseAttachmentCreate = from(json!({
        "type": "comment",
        "owner": "securitySolution",
        "data": {"content": "Host isolated."}
    }));
    prism.check(
        "create_case_attachment",
        client.create_case_attachment(CASE_ID, &attachment).await,
    );
    prism.check(
        "get_case_attachment",
        client.get_case_attachment(CASE_ID, COMMENT_ID).await,
    );
    prism.check(
        "delete_case_attachment",
        client.delete_case_attachment(CASE_ID, COMMENT_ID).await,
    );
    prism.check(
        "delete_case_attachments",
        client.delete_case_attachments(CASE_ID).await,
    );
    prism.check(
        "push_case",
        client
            .push_case(CASE_ID, "09f8c0b0-0eda-11ed-bd33-5b9a48f5a6e5")
            .await,
    );

    // ----- NDJSON exports, last -----
    // Prism cannot answer these: its HTTP server serialises only JSON, XML and text bodies, so
    // for `application/ndjson` it answers 500 "Cannot find serializer" (and a string example
    // would instead be a violation of the array schema describing the lines). It validates the
    // request before building the answer (a bad request is a 422), so the 500 still shows the
    // request conforms. These calls come last because their log lines hold Prism's error.
    let rules_export = client
        .export_rules(
            &ExportRulesParams {
                file_name: Some("rules_export.ndjson".into()),
                ..Default::default()
            },
            Some(&RulesExportRequest::new(vec![
                RulesExportRequestObjectsItem::new("process_started_by_ms_office_program".into()),
            ])),
        )
        .await;
    only_a_response_violation("export_rules", rules_export);
    let timelines_export = client
        .export_timelines(
            &ExportTimelinesParams::new("timelines.ndjson".into()),
            &TimelinesExportRequest {
                ids: Some(Some(vec![TIMELINE_ID.into()])),
                ..Default::default()
            },
        )
        .await;
    only_a_response_violation("export_timelines", timelines_export);
    let exceptions_export = client
        .export_exception_list(&ExportExceptionListParams::new(
            "9e5fc75a-a3da-46c5-96e3-a2ec59c6bb85".into(),
            "trusted-linux-processes".into(),
            NamespaceType::Single,
            IncludeExpiredExceptions::False,
        ))
        .await;
    only_a_response_violation("export_exception_list", exceptions_export);
}

/// Prism accepted the request and failed only to serialise its NDJSON answer.
fn only_a_response_violation<T: std::fmt::Debug>(operation: &str, result: Result<T, Error>) {
    let error = result.expect_err("Prism cannot produce NDJSON");
    let Error::Status(status) = &error else {
        panic!("{operation}: not a status error: {error}");
    };
    assert_eq!(status.status.as_u16(), 500, "{operation}: {error}");
    let body = status.body_json().expect("Prism problem JSON");
    assert_eq!(
        body["title"], "Cannot find serializer for application/ndjson",
        "{operation}: {body}"
    );
}
