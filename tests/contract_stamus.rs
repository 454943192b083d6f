//! The generated Stamus Central Server client against Prism serving
//! `specs/stamus/openapi.yaml`: every operation is called once with parameters a real caller
//! would send; Prism rejects requests the spec does not allow, and every answer (built from the
//! spec's examples) must decode.

use crate::prism::Prism;
use clientgen_runtime::FilePart;
use serde_json::json;
use stamus_client::operations::{
    GetAlertsCountParams, GetAlertsTailParams, GetEventsTailParams, GetFieldStatsParams,
    GetFieldsStatsParams, GetRuleContentParams, GetRuleHitCountsParams, GetRuleHitsPerProbeParams,
    GetThreatParams, GetTimelineParams, GetTopRulesParams, ListAppliancesParams,
    ListCategoriesParams, ListDevicesParams, ListHistoryParams, ListHostIdsParams,
    ListNetworkInterfacesParams, ListProbeTemplatesParams, ListProbesParams,
    ListProcessingFiltersParams, ListRuleTransformationsParams, ListRulesParams,
    ListRulesetsParams, ListSourceChangelogsParams, ListSourcesParams, ListSuricataProbesParams,
    ListThreatHistoryIncidentsParams, ListTransformedRulesParams, UpdateSourceRulesParams,
};
use stamus_client::types::{
    ApplianceType, CommentBody, FilterDef, FilterDefOperator, FilterOptions, FilterOptionsTrack,
    ProbeInterface, ProbeTemplate, ProbeTemplatePatch, ProcessingFilter, ProcessingFilterPatch,
    RuleTransformation, Ruleset, RulesetAction, RulesetCopy, RulesetPatch, SortOrder, Source,
    SourceDatatype, SourceMethod, SourcePatch, SourceUpload, StamusProbe, StamusProbePatch,
    SuricataProbe, SuricataProbePatch, ToggleAvailability, TransformationType,
};
use stamus_client::Client;

fn probe() -> StamusProbe {
    let mut body = StamusProbe::new("probe-paris-01".into());
    body.descr = Some("Paris datacenter tap".into());
    body.parent_tmpl = Some(Some(1));
    body.overriden_fields = Some(vec!["descr".into()]);
    body.interfaces = Some(vec![ProbeInterface {
        active: Some(true),
        ..ProbeInterface::new("eth0".into())
    }]);
    body.comment = Some("New probe".into());
    body
}

fn processing_filter() -> ProcessingFilter {
    let condition = FilterDef {
        operator: Some(FilterDefOperator::Equal),
        full_string: Some(true),
        ..FilterDef::new("src_ip".into(), json!("10.0.0.101"))
    };
    let mut body = ProcessingFilter::new(vec![condition], "suppress".into());
    body.options = Some(Some(FilterOptions {
        track: Some(FilterOptionsTrack::BySrc),
        ..Default::default()
    }));
    body.rulesets = Some(vec![1]);
    body.description = Some("Scanner on the guest network".into());
    body
}

#[tokio::test]
async fn every_operation_conforms_to_the_spec() {
    let prism = Prism::start("stamus").await;
    let client = Client::builder()
        .base_url(prism.base_url())
        .api_key("3064d9deadbeef36436daba5531e105123ec0fee")
        .build()
        .expect("valid configuration");

    // Stamus probes.
    let params = ListProbesParams {
        page: Some(1),
        ordering: Some("-name".into()),
        search: Some("paris".into()),
        name: Some("probe-paris-01".into()),
    };
    prism.check("list_probes", client.list_probes(&params).await);
    prism.check("create_probe", client.create_probe(&probe()).await);
    prism.check("describe_probes", client.describe_probes().await);
    prism.check("get_probe", client.get_probe(3).await);
    prism.check("update_probe", client.update_probe(3, &probe()).await);
    let patch = StamusProbePatch {
        parent_tmpl: Some(None),
        overriden_fields: Some(vec![]),
        ..Default::default()
    };
    prism.check(
        "partial_update_probe",
        client.partial_update_probe(3, &patch).await,
    );
    prism.check("delete_probe", client.delete_probe(3).await);

    // Probe templates.
    let params = ListProbeTemplatesParams {
        ordering: Some("name".into()),
        ..Default::default()
    };
    prism.check(
        "list_probe_templates",
        client.list_probe_templates(&params).await,
    );
    let mut template = ProbeTemplate::new("default-template".into());
    template.descr = Some("Settings shared by every probe".into());
    prism.check(
        "create_probe_template",
        client.create_probe_template(&template).await,
    );
    prism.check(
        "describe_probe_templates",
        client.describe_probe_templates().await,
    );
    prism.check("get_probe_template", client.get_probe_template(1).await);
    prism.check(
        "update_probe_template",
        client.update_probe_template(1, &template).await,
    );
    let patch = ProbeTemplatePatch {
        comment: Some("Capture on eth1 too".into()),
        ..Default::default()
    };
    prism.check(
        "partial_update_probe_template",
        client.partial_update_probe_template(1, &patch).await,
    );
    prism.check(
        "delete_probe_template",
        client.delete_probe_template(1).await,
    );

    // Suricata probes.
    let params = ListSuricataProbesParams {
        search: Some("lab".into()),
        ..Default::default()
    };
    prism.check(
        "list_suricata_probes",
        client.list_suricata_probes(&params).await,
    );
    let suricata = SuricataProbe::new("suricata-lab".into());
    prism.check(
        "create_suricata_probe",
        client.create_suricata_probe(&suricata).await,
    );
    prism.check(
        "describe_suricata_probes",
        client.describe_suricata_probes().await,
    );
    prism.check("get_suricata_probe", client.get_suricata_probe(7).await);
    prism.check(
        "update_suricata_probe",
        client.update_suricata_probe(7, &suricata).await,
    );
    let patch = SuricataProbePatch {
        descr: Some("Lab sensor".into()),
        ..Default::default()
    };
    prism.check(
        "partial_update_suricata_probe",
        client.partial_update_suricata_probe(7, &patch).await,
    );
    prism.check(
        "delete_suricata_probe",
        client.delete_suricata_probe(7).await,
    );

    // Appliances, devices, interfaces.
    let params = ListAppliancesParams {
        r#type: Some(ApplianceType::Suricata),
        ..Default::default()
    };
    prism.check("list_appliances", client.list_appliances(&params).await);
    prism.check("get_appliance", client.get_appliance(3).await);
    prism.check(
        "list_devices",
        client.list_devices(&ListDevicesParams::default()).await,
    );
    prism.check("get_device", client.get_device(1).await);
    let params = ListNetworkInterfacesParams {
        page: Some(1),
        ..Default::default()
    };
    prism.check(
        "list_network_interfaces",
        client.list_network_interfaces(&params).await,
    );
    prism.check(
        "get_network_interface",
        client.get_network_interface(12).await,
    );
    prism.check(
        "delete_network_interface",
        client.delete_network_interface(12).await,
    );

    // Host ID and threats.
    let params = ListHostIdsParams {
        host_id_qfilter: Some("host_id.services.port:25".into()),
        page: Some(1),
        page_size: Some(200),
    };
    prism.check("list_host_ids", client.list_host_ids(&params).await);
    let host = prism.check("get_host_id", client.get_host_id("10.0.0.101").await);
    assert!(!host.ip.is_empty());
    let params = GetThreatParams {
        event_view: Some(false),
    };
    prism.check("get_threat", client.get_threat(27, &params).await);
    let params = ListThreatHistoryIncidentsParams {
        timestamp: Some(1714560000),
        page_size: Some(200),
        ..Default::default()
    };
    prism.check(
        "list_threat_history_incidents",
        client.list_threat_history_incidents(&params).await,
    );
    prism.check(
        "get_threat_history_incident_events",
        client.get_threat_history_incident_events(4012).await,
    );

    // Rules.
    let params = ListRulesParams {
        page_size: Some(50),
        ordering: Some("-hits".into()),
        msg: Some("curl".into()),
        min_created: Some("2024-04-01".parse().expect("date")),
        hits_min: Some(1),
        ..Default::default()
    };
    prism.check("list_rules", client.list_rules(&params).await);
    prism.check("get_rule", client.get_rule(2013028).await);
    let params = GetRuleContentParams {
        highlight: Some(false),
    };
    prism.check(
        "get_rule_content",
        client.get_rule_content(2013028, &params).await,
    );
    prism.check(
        "get_rule_references",
        client.get_rule_references(2013028).await,
    );
    let action = RulesetAction {
        comment: Some("Too noisy".into()),
        ..RulesetAction::new(1)
    };
    prism.check("enable_rule", client.enable_rule(2013028, &action).await);
    prism.check("disable_rule", client.disable_rule(2013028, &action).await);
    prism.check("get_rule_status", client.get_rule_status(2013028).await);
    prism.check(
        "list_rule_comments",
        client.list_rule_comments(2013028).await,
    );
    let comment = CommentBody {
        comment: Some(Some("Fires on the backup server".into())),
        ..Default::default()
    };
    prism.check("comment_rule", client.comment_rule(2013028, &comment).await);
    let toggle = ToggleAvailability {
        version: Some(0),
        ..Default::default()
    };
    prism.check(
        "toggle_rule_availability",
        client.toggle_rule_availability(2013028, &toggle).await,
    );
    prism.check(
        "delete_rule_alerts",
        client.delete_rule_alerts(2013028).await,
    );
    let params = ListTransformedRulesParams::new(TransformationType::Lateral, "yes".into());
    prism.check(
        "list_transformed_rules",
        client.list_transformed_rules(&params).await,
    );
    let params = ListRuleTransformationsParams {
        ruleset: Some(1),
        ..Default::default()
    };
    prism.check(
        "list_rule_transformations",
        client.list_rule_transformations(&params).await,
    );
    let transformation =
        RuleTransformation::new(1, 2013028, TransformationType::Target, "src".into());
    prism.check(
        "create_rule_transformation",
        client.create_rule_transformation(&transformation).await,
    );
    prism.check(
        "delete_rule_transformation",
        client.delete_rule_transformation(4).await,
    );

    // Rulesets.
    let params = ListRulesetsParams {
        name: Some("Production".into()),
        ..Default::default()
    };
    prism.check("list_rulesets", client.list_rulesets(&params).await);
    let mut ruleset = Ruleset::new("Production".into());
    ruleset.sources = Some(vec![1]);
    ruleset.categories = Some(vec![42, 43]);
    prism.check("create_ruleset", client.create_ruleset(&ruleset).await);
    prism.check("describe_rulesets", client.describe_rulesets().await);
    prism.check("get_ruleset", client.get_ruleset(1).await);
    prism.check("update_ruleset", client.update_ruleset(1, &ruleset).await);
    let patch = RulesetPatch {
        sources: Some(vec![1, 2]),
        ..Default::default()
    };
    prism.check(
        "partial_update_ruleset",
        client.partial_update_ruleset(1, &patch).await,
    );
    prism.check("delete_ruleset", client.delete_ruleset(1).await);
    let copy = RulesetCopy::new("Production (copy)".into());
    prism.check("copy_ruleset", client.copy_ruleset(1, &copy).await);
    prism.check(
        "get_ruleset_rules_count",
        client.get_ruleset_rules_count(1).await,
    );

    // Categories.
    let params = ListCategoriesParams {
        source: Some(1),
        page_size: Some(100),
        ..Default::default()
    };
    prism.check("list_categories", client.list_categories(&params).await);
    prism.check("get_category", client.get_category(42).await);
    prism.check("enable_category", client.enable_category(42, &action).await);
    prism.check(
        "disable_category",
        client.disable_category(42, &action).await,
    );

    // Sources.
    prism.check(
        "list_sources",
        client.list_sources(&ListSourcesParams::default()).await,
    );
    let mut source = Source::new("ET Open".into(), SourceMethod::Http, SourceDatatype::Sigs);
    source.uri = Some(Some(
        "https://rules.emergingthreats.net/open/suricata-7.0/emerging.rules.tar.gz".into(),
    ));
    prism.check("create_source", client.create_source(&source).await);
    prism.check("describe_sources", client.describe_sources().await);
    prism.check("get_source", client.get_source(1).await);
    prism.check("update_source", client.update_source(1, &source).await);
    let patch = SourcePatch {
        authkey: Some(None),
        version: Some(2),
        ..Default::default()
    };
    prism.check(
        "partial_update_source",
        client.partial_update_source(1, &patch).await,
    );
    prism.check("delete_source", client.delete_source(1).await);
    let params = UpdateSourceRulesParams {
        r#async: Some(true),
    };
    prism.check(
        "update_source_rules",
        client.update_source_rules(1, &params, None).await,
    );
    prism.check("test_source", client.test_source(1).await);
    let form = SourceUpload::new(
        FilePart::new(b"alert ip any any -> any any (msg:\"x\"; sid:9000001;)\n".to_vec())
            .file_name("local.rules"),
    );
    prism.check(
        "upload_source_file",
        client.upload_source_file(2, &form).await,
    );
    let params = ListSourceChangelogsParams {
        source: Some(1),
        ..Default::default()
    };
    prism.check(
        "list_source_changelogs",
        client.list_source_changelogs(&params).await,
    );
    prism.check("get_source_changelog", client.get_source_changelog(3).await);

    // Processing filters.
    let params = ListProcessingFiltersParams {
        ordering: Some("index".into()),
        ..Default::default()
    };
    prism.check(
        "list_processing_filters",
        client.list_processing_filters(&params).await,
    );
    prism.check(
        "create_processing_filter",
        client.create_processing_filter(&processing_filter()).await,
    );
    prism.check(
        "describe_processing_filters",
        client.describe_processing_filters().await,
    );
    prism.check(
        "get_processing_filter",
        client.get_processing_filter(5).await,
    );
    prism.check(
        "update_processing_filter",
        client
            .update_processing_filter(5, &processing_filter())
            .await,
    );
    let patch = ProcessingFilterPatch {
        enabled: Some(false),
        ..Default::default()
    };
    prism.check(
        "partial_update_processing_filter",
        client.partial_update_processing_filter(5, &patch).await,
    );
    prism.check(
        "delete_processing_filter",
        client.delete_processing_filter(5).await,
    );

    // History.
    let params = ListHistoryParams {
        username: Some("analyst".into()),
        min_date: Some("2024-04-01".parse().expect("date")),
        ..Default::default()
    };
    prism.check("list_history", client.list_history(&params).await);
    prism.check("get_history_entry", client.get_history_entry(311).await);
    prism.check(
        "get_history_action_types",
        client.get_history_action_types().await,
    );

    // Elasticsearch views.
    let params = GetAlertsTailParams {
        qfilter: Some("src_ip:10.0.0.101".into()),
        from_date: Some(1714560000000),
        page_size: Some(100),
        ..Default::default()
    };
    prism.check("get_alerts_tail", client.get_alerts_tail(&params).await);
    let params = GetEventsTailParams {
        qfilter: Some("dns.rrname:example.org".into()),
        ..Default::default()
    };
    prism.check("get_events_tail", client.get_events_tail(&params).await);
    let params = GetAlertsCountParams {
        from_date: Some(1714560000000),
        prev: Some(true),
        ..Default::default()
    };
    prism.check("get_alerts_count", client.get_alerts_count(&params).await);
    let params = GetFieldStatsParams {
        sid: Some(2013028),
        ordering: Some(SortOrder::Desc),
        page_size: Some(5),
        from_date: Some(1714560000000),
        ..GetFieldStatsParams::new("src_ip".into())
    };
    prism.check("get_field_stats", client.get_field_stats(&params).await);
    let params = GetFieldsStatsParams {
        stamus: Some(true),
        ..GetFieldsStatsParams::new(vec!["src_ip".into(), "dest_ip".into()])
    };
    prism.check("get_fields_stats", client.get_fields_stats(&params).await);
    let params = GetTimelineParams {
        hosts: Some("probe-paris-01".into()),
        interval: Some(3600),
        ..Default::default()
    };
    prism.check("get_timeline", client.get_timeline(&params).await);
    let params = GetTopRulesParams {
        count: Some(10),
        order: Some(SortOrder::Desc),
        ..GetTopRulesParams::new("*".into())
    };
    prism.check("get_top_rules", client.get_top_rules(&params).await);
    prism.check(
        "get_rule_hit_counts",
        client
            .get_rule_hit_counts(&GetRuleHitCountsParams::new("probe-paris-01".into()))
            .await,
    );
    prism.check(
        "get_rule_hits_per_probe",
        client
            .get_rule_hits_per_probe(&GetRuleHitsPerProbeParams::new(2013028))
            .await,
    );
}
