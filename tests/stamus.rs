//! The generated Stamus Central Server client against a wiremock server on 127.0.0.1: every
//! operation's request shape (method, path, query, `Authorization: Token` header, body) and
//! response decoding, DRF next-link pagination, and DRF error bodies.

use clientgen_runtime::futures::StreamExt;
use clientgen_runtime::FilePart;
use serde_json::{json, Value};
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
    ApplianceType, CommentBody, DeleteAlertsError, Detail, EsRequestError, EsTimelineSeries,
    EsTimelineToDate, FilterDef, FilterDefOperator, FilterOptions, FilterOptionsTrack,
    ProbeInterface, ProbeTemplate, ProbeTemplatePatch, ProcessingFilter, ProcessingFilterPatch,
    RuleTransformation, Ruleset, RulesetAction, RulesetCopy, RulesetPatch, SortOrder, Source,
    SourceDatatype, SourceMethod, SourcePatch, SourceUpload, StamusProbe, StamusProbePatch,
    SuricataProbe, SuricataProbePatch, TestSourceFailure, ToggleAvailability, TransformationType,
    ValidationErrors,
};
use stamus_client::{Client, Error};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "3064d9deadbeef36436daba5531e105123ec0fee";

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key(TOKEN)
        .build()
        .expect("valid configuration");
    (server, client)
}

/// Answers one `verb route` request carrying the token with `status` and `body` (no body when
/// `Value::Null`).
async fn expect(server: &MockServer, verb: &str, route: &str, status: u16, body: Value) {
    let mut response = ResponseTemplate::new(status);
    if !body.is_null() {
        response = response.set_body_json(body);
    }
    Mock::given(method(verb))
        .and(path(route))
        .and(header("authorization", format!("Token {TOKEN}").as_str()))
        .respond_with(response)
        .mount(server)
        .await;
}

/// The one request the server saw, checked for method, path, query and token; the server is
/// then reset for the next exchange.
async fn take(server: &MockServer, verb: &str, route: &str, query: Option<&str>) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    let request = requests.remove(0);
    assert_eq!(request.method.as_str(), verb);
    assert_eq!(request.url.path(), route);
    assert_eq!(request.url.query(), query);
    assert_eq!(
        request.headers["authorization"],
        format!("Token {TOKEN}").as_str()
    );
    server.reset().await;
    request
}

fn json_body(request: &Request) -> Value {
    assert_eq!(request.headers["content-type"], "application/json");
    serde_json::from_slice(&request.body).expect("JSON body")
}

fn no_body(request: &Request) {
    assert!(request.body.is_empty(), "unexpected body");
}

fn page(results: Vec<Value>) -> Value {
    json!({"count": results.len(), "next": null, "previous": null, "results": results})
}

fn metadata_json(name: &str) -> Value {
    json!({
        "name": name,
        "description": "",
        "renders": ["application/json", "text/html"],
        "parses": ["application/json"],
        "actions": {"POST": {
            "pk": {"type": "integer", "required": false, "read_only": true, "label": "ID"},
            "name": {"type": "string", "required": true, "read_only": false, "label": "Name", "max_length": 100},
            "method": {"type": "choice", "required": true, "read_only": false, "label": "Method",
                       "choices": [{"value": "http", "display_name": "HTTP URL"}, {"value": "local", "display_name": "Upload"}]}
        }}
    })
}

fn assert_metadata(meta: &stamus_client::types::Metadata, name: &str) {
    assert_eq!(meta.name.as_deref(), Some(name));
    let post = &meta.actions.as_ref().expect("actions")["POST"];
    assert_eq!(post["name"].required, Some(true));
    assert_eq!(post["name"].max_length, Some(100));
    assert_eq!(post["pk"].read_only, Some(true));
    let choices = post["method"].choices.as_ref().expect("choices");
    assert_eq!(choices[1].display_name.as_deref(), Some("Upload"));
    assert_eq!(choices[1].value, Some(json!("local")));
}

// ----- Stamus probes -----

fn probe_json() -> Value {
    json!({
        "pk": 3,
        "name": "probe-paris-01",
        "descr": "Paris datacenter tap",
        "stamusdevice_id": 2,
        "parent_tmpl": 1,
        "overriden_fields": ["descr"],
        "interfaces": [{"pk": 12, "name": "eth0", "active": true}],
        "protocols": [{"pk": 4, "name": "http", "active": true}],
        "capture_method": "af_packet"
    })
}

fn check_probe(probe: &StamusProbe) {
    assert_eq!(probe.pk, Some(3));
    assert_eq!(probe.name, "probe-paris-01");
    assert_eq!(probe.stamusdevice_id, Some(Some(2)));
    assert_eq!(probe.parent_tmpl, Some(Some(1)));
    assert_eq!(
        probe.overriden_fields.as_deref(),
        Some(&["descr".to_owned()][..])
    );
    let interfaces = probe.interfaces.as_ref().expect("interfaces");
    assert_eq!(interfaces[0].pk, Some(12));
    assert_eq!(interfaces[0].active, Some(true));
    let protocols = probe.protocols.as_ref().expect("protocols");
    assert_eq!(protocols[0].name.as_deref(), Some("http"));
    assert_eq!(
        probe.additional_properties.value("capture_method"),
        Some(json!("af_packet"))
    );
}

#[tokio::test]
async fn stamus_probes_support_every_generic_operation() {
    let (server, client) = setup().await;
    let list = "/rest/appliances/stamus_appliance/";
    let one = "/rest/appliances/stamus_appliance/3/";

    expect(&server, "GET", list, 200, page(vec![probe_json()])).await;
    let params = ListProbesParams {
        page: Some(2),
        ordering: Some("-name".into()),
        search: Some("paris tap".into()),
        name: Some("probe-paris-01".into()),
    };
    let probes = client.list_probes(&params).await.expect("listed");
    no_body(
        &take(
            &server,
            "GET",
            list,
            Some("page=2&ordering=-name&search=paris%20tap&name=probe-paris-01"),
        )
        .await,
    );
    assert_eq!(probes.count, 1);
    assert_eq!(probes.next, Some(None));
    check_probe(&probes.results[0]);

    let mut body = StamusProbe::new("probe-paris-01".into());
    body.parent_tmpl = Some(Some(1));
    body.overriden_fields = Some(vec!["descr".into()]);
    body.interfaces = Some(vec![ProbeInterface {
        active: Some(true),
        ..ProbeInterface::new("eth0".into())
    }]);
    body.comment = Some("New probe".into());
    expect(&server, "POST", list, 201, probe_json()).await;
    let created = client.create_probe(&body).await.expect("created");
    let request = take(&server, "POST", list, None).await;
    assert_eq!(
        json_body(&request),
        json!({"name": "probe-paris-01", "parent_tmpl": 1, "overriden_fields": ["descr"],
               "interfaces": [{"name": "eth0", "active": true}], "comment": "New probe"})
    );
    check_probe(&created);

    expect(
        &server,
        "OPTIONS",
        list,
        200,
        metadata_json("Stamus Appliance List"),
    )
    .await;
    let meta = client.describe_probes().await.expect("described");
    no_body(&take(&server, "OPTIONS", list, None).await);
    assert_metadata(&meta, "Stamus Appliance List");

    expect(&server, "GET", one, 200, probe_json()).await;
    let probe = client.get_probe(3).await.expect("fetched");
    no_body(&take(&server, "GET", one, None).await);
    check_probe(&probe);

    expect(&server, "PUT", one, 200, probe_json()).await;
    let updated = client.update_probe(3, &body).await.expect("updated");
    let request = take(&server, "PUT", one, None).await;
    assert_eq!(json_body(&request)["name"], "probe-paris-01");
    assert_eq!(json_body(&request)["comment"], "New probe");
    check_probe(&updated);

    let patch = StamusProbePatch {
        parent_tmpl: Some(None),
        overriden_fields: Some(vec![]),
        ..Default::default()
    };
    expect(&server, "PATCH", one, 200, probe_json()).await;
    let patched = client
        .partial_update_probe(3, &patch)
        .await
        .expect("patched");
    let request = take(&server, "PATCH", one, None).await;
    assert_eq!(
        json_body(&request),
        json!({"parent_tmpl": null, "overriden_fields": []})
    );
    check_probe(&patched);

    expect(&server, "DELETE", one, 204, Value::Null).await;
    client.delete_probe(3).await.expect("deleted");
    no_body(&take(&server, "DELETE", one, None).await);
}

// ----- probe templates -----

fn template_json() -> Value {
    json!({
        "pk": 1, "name": "default-template", "descr": "Shared", "parent_tmpl": null,
        "overriden_fields": [], "interfaces": [{"pk": 10, "name": "eth1", "active": false}],
        "protocols": []
    })
}

fn check_template(template: &ProbeTemplate) {
    assert_eq!(template.pk, Some(1));
    assert_eq!(template.name, "default-template");
    assert_eq!(template.parent_tmpl, Some(None));
    assert_eq!(
        template.interfaces.as_ref().expect("interfaces")[0].active,
        Some(false)
    );
}

#[tokio::test]
async fn probe_templates_support_every_generic_operation() {
    let (server, client) = setup().await;
    let list = "/rest/appliances/stamus_appliance_template/";
    let one = "/rest/appliances/stamus_appliance_template/1/";

    expect(&server, "GET", list, 200, page(vec![template_json()])).await;
    let params = ListProbeTemplatesParams {
        ordering: Some("name".into()),
        ..Default::default()
    };
    let templates = client.list_probe_templates(&params).await.expect("listed");
    take(&server, "GET", list, Some("ordering=name")).await;
    check_template(&templates.results[0]);

    let mut body = ProbeTemplate::new("default-template".into());
    body.descr = Some("Shared".into());
    expect(&server, "POST", list, 201, template_json()).await;
    check_template(&client.create_probe_template(&body).await.expect("created"));
    let request = take(&server, "POST", list, None).await;
    assert_eq!(
        json_body(&request),
        json!({"name": "default-template", "descr": "Shared"})
    );

    expect(
        &server,
        "OPTIONS",
        list,
        200,
        metadata_json("Template List"),
    )
    .await;
    let meta = client.describe_probe_templates().await.expect("described");
    take(&server, "OPTIONS", list, None).await;
    assert_metadata(&meta, "Template List");

    expect(&server, "GET", one, 200, template_json()).await;
    check_template(&client.get_probe_template(1).await.expect("fetched"));
    take(&server, "GET", one, None).await;

    expect(&server, "PUT", one, 200, template_json()).await;
    check_template(
        &client
            .update_probe_template(1, &body)
            .await
            .expect("updated"),
    );
    let request = take(&server, "PUT", one, None).await;
    assert_eq!(
        json_body(&request),
        json!({"name": "default-template", "descr": "Shared"})
    );

    let patch = ProbeTemplatePatch {
        interfaces: Some(vec![ProbeInterface {
            active: Some(false),
            ..ProbeInterface::new("eth1".into())
        }]),
        comment: Some("pause eth1".into()),
        ..Default::default()
    };
    expect(&server, "PATCH", one, 200, template_json()).await;
    check_template(
        &client
            .partial_update_probe_template(1, &patch)
            .await
            .expect("patched"),
    );
    let request = take(&server, "PATCH", one, None).await;
    assert_eq!(
        json_body(&request),
        json!({"interfaces": [{"name": "eth1", "active": false}], "comment": "pause eth1"})
    );

    expect(&server, "DELETE", one, 204, Value::Null).await;
    client.delete_probe_template(1).await.expect("deleted");
    take(&server, "DELETE", one, None).await;
}

// ----- Suricata probes -----

#[tokio::test]
async fn suricata_probes_support_every_generic_operation() {
    let (server, client) = setup().await;
    let list = "/rest/appliances/suricata_appliance/";
    let one = "/rest/appliances/suricata_appliance/7/";
    let probe = json!({"pk": 7, "name": "suricata-lab", "descr": "Lab sensor", "output_directory": "/var/log/suricata"});
    let check = |p: &SuricataProbe| {
        assert_eq!(p.pk, Some(7));
        assert_eq!(p.name, "suricata-lab");
        assert_eq!(p.descr.as_deref(), Some("Lab sensor"));
        assert_eq!(
            p.additional_properties.value("output_directory"),
            Some(json!("/var/log/suricata"))
        );
    };

    expect(&server, "GET", list, 200, page(vec![probe.clone()])).await;
    let params = ListSuricataProbesParams {
        search: Some("lab".into()),
        ..Default::default()
    };
    check(
        &client
            .list_suricata_probes(&params)
            .await
            .expect("listed")
            .results[0],
    );
    take(&server, "GET", list, Some("search=lab")).await;

    let body = SuricataProbe::new("suricata-lab".into());
    expect(&server, "POST", list, 201, probe.clone()).await;
    check(&client.create_suricata_probe(&body).await.expect("created"));
    assert_eq!(
        json_body(&take(&server, "POST", list, None).await),
        json!({"name": "suricata-lab"})
    );

    expect(
        &server,
        "OPTIONS",
        list,
        200,
        metadata_json("Suricata List"),
    )
    .await;
    assert_metadata(
        &client.describe_suricata_probes().await.expect("described"),
        "Suricata List",
    );
    take(&server, "OPTIONS", list, None).await;

    expect(&server, "GET", one, 200, probe.clone()).await;
    check(&client.get_suricata_probe(7).await.expect("fetched"));
    take(&server, "GET", one, None).await;

    expect(&server, "PUT", one, 200, probe.clone()).await;
    check(
        &client
            .update_suricata_probe(7, &body)
            .await
            .expect("updated"),
    );
    assert_eq!(
        json_body(&take(&server, "PUT", one, None).await),
        json!({"name": "suricata-lab"})
    );

    let patch = SuricataProbePatch {
        descr: Some("Lab sensor".into()),
        ..Default::default()
    };
    expect(&server, "PATCH", one, 200, probe).await;
    check(
        &client
            .partial_update_suricata_probe(7, &patch)
            .await
            .expect("patched"),
    );
    assert_eq!(
        json_body(&take(&server, "PATCH", one, None).await),
        json!({"descr": "Lab sensor"})
    );

    expect(&server, "DELETE", one, 204, Value::Null).await;
    client.delete_suricata_probe(7).await.expect("deleted");
    take(&server, "DELETE", one, None).await;
}

// ----- appliances, devices, network interfaces -----

#[tokio::test]
async fn appliances_are_read_only_and_tolerate_unknown_types() {
    let (server, client) = setup().await;
    let list = "/rest/appliances/appliances/";
    expect(
        &server,
        "GET",
        list,
        200,
        page(vec![
            json!({"pk": 3, "name": "probe-paris-01", "type": "Stamus"}),
            json!({"pk": 7, "name": "suricata-lab", "type": "Zeek"}),
        ]),
    )
    .await;
    let params = ListAppliancesParams {
        r#type: Some(ApplianceType::Stamus),
        name: Some("probe-paris-01".into()),
        ..Default::default()
    };
    let appliances = client.list_appliances(&params).await.expect("listed");
    take(
        &server,
        "GET",
        list,
        Some("name=probe-paris-01&type=Stamus"),
    )
    .await;
    assert_eq!(appliances.results[0].r#type, Some(ApplianceType::Stamus));
    assert_eq!(
        appliances.results[1].r#type,
        Some(ApplianceType::Unknown("Zeek".into()))
    );

    let one = "/rest/appliances/appliances/7/";
    expect(
        &server,
        "GET",
        one,
        200,
        json!({"pk": 7, "name": "suricata-lab", "type": "Suricata"}),
    )
    .await;
    let appliance = client.get_appliance(7).await.expect("fetched");
    take(&server, "GET", one, None).await;
    assert_eq!(appliance.pk, 7);
    assert_eq!(appliance.r#type, Some(ApplianceType::Suricata));
}

#[tokio::test]
async fn devices_list_and_retrieve() {
    let (server, client) = setup().await;
    let list = "/rest/appliances/stamus_device/";
    expect(
        &server,
        "GET",
        list,
        200,
        page(vec![
            json!({"pk": 1, "name": "scs"}),
            json!({"pk": 2, "name": "probe-paris-01"}),
        ]),
    )
    .await;
    let params = ListDevicesParams {
        page: Some(1),
        ..Default::default()
    };
    let devices = client.list_devices(&params).await.expect("listed");
    take(&server, "GET", list, Some("page=1")).await;
    assert_eq!(devices.count, 2);
    assert_eq!(devices.results[0].pk, 1);
    assert_eq!(devices.results[1].name.as_deref(), Some("probe-paris-01"));

    let one = "/rest/appliances/stamus_device/1/";
    expect(
        &server,
        "GET",
        one,
        200,
        json!({"pk": 1, "name": "scs", "version": "39.0.0"}),
    )
    .await;
    let device = client.get_device(1).await.expect("fetched");
    take(&server, "GET", one, None).await;
    assert_eq!(device.name.as_deref(), Some("scs"));
    assert_eq!(
        device.additional_properties.value("version"),
        Some(json!("39.0.0"))
    );
}

#[tokio::test]
async fn network_interfaces_list_retrieve_and_delete() {
    let (server, client) = setup().await;
    let list = "/rest/appliances/network_interface/";
    let one = "/rest/appliances/network_interface/12/";
    let interface = json!({"pk": 12, "name": "eth0", "active": true});
    expect(&server, "GET", list, 200, page(vec![interface.clone()])).await;
    let params = ListNetworkInterfacesParams {
        ordering: Some("-pk".into()),
        ..Default::default()
    };
    let interfaces = client
        .list_network_interfaces(&params)
        .await
        .expect("listed");
    take(&server, "GET", list, Some("ordering=-pk")).await;
    assert_eq!(interfaces.results[0].name, "eth0");

    expect(&server, "GET", one, 200, interface).await;
    let interface = client.get_network_interface(12).await.expect("fetched");
    take(&server, "GET", one, None).await;
    assert_eq!(interface.pk, 12);
    assert_eq!(interface.active, Some(true));

    expect(&server, "DELETE", one, 204, Value::Null).await;
    client.delete_network_interface(12).await.expect("deleted");
    take(&server, "DELETE", one, None).await;
}

// ----- Host ID -----

fn host_json() -> Value {
    json!({
        "ip": "217.116.0.227",
        "host_id": {
            "first_seen": "2023-07-11T16:07:33.559720+02:00",
            "last_seen": "2023-07-25T12:04:16.060288+02:00",
            "hostname": [{"host": "mx.geacam.com", "first_seen": "2023-07-11T16:07:33.559720+02:00",
                          "last_seen": "2023-07-25T12:04:16.059759+02:00"}],
            "hostname_count": 1,
            "services": [{"proto": "tcp", "port": 25, "values": [{"app_proto": "smtp",
                "last_seen": "2023-07-25T12:04:33.188748+0200", "first_seen": "2023-07-11T16:07:50.108895+0200"}]}],
            "services_count": 1,
            "http.user_agent": [{"agent": "curl/8.5.0", "first_seen": "2023-07-12T10:00:00+02:00"}],
            "tls.ja3": [{"hash": "e7d705a3286e19ea42f587b344ee6865"}],
            "roles": [{"name": "mail server"}],
            "net_info": [{"agg": "DMZ"}],
            "http.user_agent_count": 1
        }
    })
}

#[tokio::test]
async fn get_host_id_reads_the_documented_shape() {
    let (server, client) = setup().await;
    let route = "/rest/appliances/host_id/217.116.0.227";
    expect(&server, "GET", route, 200, host_json()).await;
    let host = client.get_host_id("217.116.0.227").await.expect("fetched");
    no_body(&take(&server, "GET", route, None).await);
    assert_eq!(host.ip, "217.116.0.227");
    let info = &host.host_id;
    assert_eq!(
        info.first_seen.to_rfc3339(),
        "2023-07-11T14:07:33.559720+00:00"
    );
    assert_eq!(
        info.hostname.as_ref().expect("hostnames")[0].host,
        "mx.geacam.com"
    );
    assert_eq!(info.hostname_count, Some(1));
    let service = &info.services.as_ref().expect("services")[0];
    assert_eq!((service.proto.as_str(), service.port), ("tcp", 25));
    let value = &service.values.as_ref().expect("values")[0];
    assert_eq!(value.app_proto.as_deref(), Some("smtp"));
    // No colon in the offset: kept as text.
    assert_eq!(
        value.first_seen.as_deref(),
        Some("2023-07-11T16:07:50.108895+0200")
    );
    let agents = info.http_user_agent.as_ref().expect("user agents");
    assert_eq!(
        agents[0].additional_properties.value("agent"),
        Some(json!("curl/8.5.0"))
    );
    let ja3 = info.tls_ja3.as_ref().expect("ja3");
    assert_eq!(
        ja3[0].additional_properties.value("hash"),
        Some(json!("e7d705a3286e19ea42f587b344ee6865"))
    );
    assert_eq!(info.net_info, Some(json!([{"agg": "DMZ"}])));
    assert_eq!(
        info.additional_properties.value("http.user_agent_count"),
        Some(json!(1))
    );
}

#[tokio::test]
async fn ipv6_host_id_lookups_stay_one_path_segment() {
    let (server, client) = setup().await;
    // Colons stay as they are in a path segment (RFC 3986 `pchar`); the address is one segment.
    let route = "/rest/appliances/host_id/2001:db8::1";
    expect(
        &server,
        "GET",
        route,
        200,
        json!({"ip": "2001:db8::1", "host_id": {"first_seen": "2024-05-01T10:00:00Z"}}),
    )
    .await;
    let host = client.get_host_id("2001:db8::1").await.expect("fetched");
    take(&server, "GET", route, None).await;
    assert_eq!(host.ip, "2001:db8::1");
    assert!(host.host_id.services.is_none());
}

#[tokio::test]
async fn list_host_ids_filters_with_a_lucene_query() {
    let (server, client) = setup().await;
    let route = "/rest/appliances/host_id/";
    expect(&server, "GET", route, 200, page(vec![host_json()])).await;
    let params = ListHostIdsParams {
        host_id_qfilter: Some("host_id.services.port:25".into()),
        page: Some(1),
        page_size: Some(200),
    };
    let hosts = client.list_host_ids(&params).await.expect("listed");
    take(
        &server,
        "GET",
        route,
        Some("host_id_qfilter=host_id.services.port%3A25&page=1&page_size=200"),
    )
    .await;
    assert_eq!(hosts.count, 1);
    assert_eq!(hosts.results[0].host_id.services_count, Some(1));
}

// ----- threats -----

fn incident_json() -> Value {
    json!({
        "id": 4012, "timestamp": "2024-05-01T10:12:43.123456+0200", "target": "10.0.0.101",
        "target_type": "ip", "kill_chain": "command_and_control", "threat_id": 27,
        "threat": "Cobalt Strike", "threat_description": "Beaconing", "threat_link": "https://scs.example/t/27",
        "family_id": 5, "family": "Remote access tools", "family_description": "RATs",
        "family_link": "https://scs.example/f/5", "tenant": 1
    })
}

#[tokio::test]
async fn threats_and_threat_history() {
    let (server, client) = setup().await;
    let route = "/rest/appliances/threat/27";
    expect(
        &server,
        "GET",
        route,
        200,
        json!({"id": 27, "name": "Cobalt Strike", "description": "Beaconing", "family": 5}),
    )
    .await;
    let params = GetThreatParams {
        event_view: Some(false),
    };
    let threat = client.get_threat(27, &params).await.expect("fetched");
    take(&server, "GET", route, Some("event_view=false")).await;
    assert_eq!(threat.name, "Cobalt Strike");
    assert_eq!(threat.id, Some(27));
    assert_eq!(threat.additional_properties.value("family"), Some(json!(5)));

    let route = "/rest/appliances/threat_history_incident/";
    expect(&server, "GET", route, 200, page(vec![incident_json()])).await;
    let params = ListThreatHistoryIncidentsParams {
        timestamp: Some(1714560000),
        page_size: Some(200),
        ..Default::default()
    };
    let incidents = client
        .list_threat_history_incidents(&params)
        .await
        .expect("listed");
    take(
        &server,
        "GET",
        route,
        Some("timestamp=1714560000&page_size=200"),
    )
    .await;
    let incident = &incidents.results[0];
    assert_eq!(incident.id, 4012);
    assert_eq!(incident.timestamp, "2024-05-01T10:12:43.123456+0200");
    assert_eq!(incident.target, "10.0.0.101");
    assert_eq!(incident.kill_chain.as_deref(), Some("command_and_control"));
    assert_eq!(incident.threat_id, Some(27));
    assert_eq!(incident.tenant, Some(1));

    let route = "/rest/appliances/threat_history_incident/4012/get_events";
    expect(&server, "GET", route, 200, json!({"results": [{
        "timestamp": "2024-05-01T10:12:43.123456+0200", "event_type": "tls", "src_ip": "10.0.0.101",
        "dest_ip": "203.0.113.9", "app_proto": "tls", "hostname_info": {"host": "c2.example"},
        "stamus": {"asset": "10.0.0.101", "source": "203.0.113.9", "kill_chain": "command_and_control",
                   "threat_id": 27, "threat_name": "Cobalt Strike", "family_id": 5, "family_name": "RATs",
                   "method_id": "beacon", "pk": 9, "event_id": "abc"}
    }]})).await;
    let events = client
        .get_threat_history_incident_events(4012)
        .await
        .expect("fetched");
    take(&server, "GET", route, None).await;
    let event = &events.results[0];
    assert_eq!(event.event_type.as_deref(), Some("tls"));
    let stamus = event.stamus.as_ref().expect("stamus");
    assert_eq!(stamus.asset.as_deref(), Some("10.0.0.101"));
    assert_eq!(stamus.threat_name.as_deref(), Some("Cobalt Strike"));
    assert_eq!(
        stamus.additional_properties.value("method_id"),
        Some(json!("beacon"))
    );
    assert_eq!(
        event.additional_properties.value("hostname_info"),
        Some(json!({"host": "c2.example"}))
    );
}

// ----- rules -----

fn rule_json() -> Value {
    json!({
        "pk": 2013028, "sid": 2013028,
        "category": {"pk": 42, "name": "emerging-policy", "descr": "", "created_date": "2024-04-02T08:00:00Z", "source": 1},
        "msg": "ET POLICY curl User-Agent Outbound", "created": "2024-04-02", "updated": "2024-05-01",
        "hits": 17, "timeline_data": [{"date": 1714560000000_i64, "hits": 3}],
        "probes": [{"probe": "probe-paris-01", "hits": 12}],
        "versions": [{"id": 881, "rev": 5, "version": 0, "content": "alert http any any -> any any (sid:2013028;)",
                      "state": true, "commented_in_source": false, "imported_date": "2024-04-02T08:00:00Z",
                      "created": "2024-04-02", "updated": null, "analysis": {"warnings": []},
                      "content_html": "<div class=\"highlight\"><pre>alert</pre></div>"}],
        "threat_info": {"family": "none"}
    })
}

#[tokio::test]
async fn rules_list_with_every_filter_and_retrieve() {
    let (server, client) = setup().await;
    let route = "/rest/rules/rule/";
    expect(&server, "GET", route, 200, page(vec![rule_json()])).await;
    let params = ListRulesParams {
        page: Some(1),
        page_size: Some(50),
        ordering: Some("-hits".into()),
        sid: Some(2013028),
        category: Some(42),
        msg: Some("curl,User-Agent".into()),
        not_in_msg: Some("INFO".into()),
        content: Some("http".into()),
        not_in_content: Some("flowbits".into()),
        min_created: Some("2024-04-01".parse().expect("date")),
        max_created: Some("2024-05-01".parse().expect("date")),
        created: Some("2024-04-02".parse().expect("date")),
        updated: Some("2024-05-01".parse().expect("date")),
        min_updated: Some("2024-04-15".parse().expect("date")),
        max_updated: Some("2024-05-02".parse().expect("date")),
        hits_min: Some(1),
        hits_max: Some(100),
    };
    let rules = client.list_rules(&params).await.expect("listed");
    take(&server, "GET", route, Some("page=1&page_size=50&ordering=-hits&sid=2013028&category=42&msg=curl%2CUser-Agent&not_in_msg=INFO&content=http&not_in_content=flowbits&min_created=2024-04-01&max_created=2024-05-01&created=2024-04-02&updated=2024-05-01&min_updated=2024-04-15&max_updated=2024-05-02&hits_min=1&hits_max=100")).await;
    let rule = &rules.results[0];
    assert_eq!(rule.sid, 2013028);
    assert_eq!(
        rule.category.as_ref().expect("category").name,
        "emerging-policy"
    );
    assert_eq!(
        rule.created,
        Some(Some("2024-04-02".parse().expect("date")))
    );
    assert_eq!(
        rule.timeline_data.as_ref().expect("timeline")[0].date,
        Some(1714560000000)
    );
    assert_eq!(rule.probes.as_ref().expect("probes")[0].hits, Some(12));
    let version = &rule.versions.as_ref().expect("versions")[0];
    assert_eq!(version.rev, Some(5));
    assert_eq!(version.analysis, Some(json!({"warnings": []})));
    assert_eq!(
        version.created,
        Some(Some("2024-04-02".parse().expect("date")))
    );
    assert_eq!(version.updated, Some(None));
    assert!(version
        .content_html
        .as_deref()
        .expect("html")
        .starts_with("<div"));
    assert_eq!(
        rule.additional_properties.value("threat_info"),
        Some(json!({"family": "none"}))
    );

    let route = "/rest/rules/rule/2013028/";
    expect(&server, "GET", route, 200, rule_json()).await;
    let rule = client.get_rule(2013028).await.expect("fetched");
    take(&server, "GET", route, None).await;
    assert_eq!(rule.msg, "ET POLICY curl User-Agent Outbound");
    assert_eq!(rule.hits, Some(17));
}

#[tokio::test]
async fn rule_actions() {
    let (server, client) = setup().await;
    let route = "/rest/rules/rule/2013028/content/";
    expect(
        &server,
        "GET",
        route,
        200,
        json!({"1": {"0": "alert http any any -> any any (sid:2013028;)"}}),
    )
    .await;
    let content = client
        .get_rule_content(2013028, &Default::default())
        .await
        .expect("fetched");
    take(&server, "GET", route, None).await;
    assert_eq!(
        content["1"]["0"],
        "alert http any any -> any any (sid:2013028;)"
    );

    expect(
        &server,
        "GET",
        route,
        200,
        json!({"1": {"0": "<div class=\"highlight\"><pre>drop http</pre></div>"}}),
    )
    .await;
    let params = GetRuleContentParams {
        highlight: Some(true),
    };
    let content = client
        .get_rule_content(2013028, &params)
        .await
        .expect("fetched");
    take(&server, "GET", route, Some("highlight=true")).await;
    assert!(content["1"]["0"].starts_with("<div class="));

    let route = "/rest/rules/rule/2013028/references/";
    expect(&server, "GET", route, 200, json!([{"url": "https://doc.emergingthreats.net/2013028", "key": "url", "value": "doc.emergingthreats.net/2013028"}])).await;
    let references = client.get_rule_references(2013028).await.expect("fetched");
    take(&server, "GET", route, None).await;
    assert_eq!(references[0].key.as_deref(), Some("url"));
    assert_eq!(
        references[0].url.as_deref(),
        Some("https://doc.emergingthreats.net/2013028")
    );

    let body = RulesetAction {
        comment: Some("Too noisy".into()),
        ..RulesetAction::new(1)
    };
    let route = "/rest/rules/rule/2013028/enable/";
    expect(&server, "POST", route, 200, json!({"enable": "ok"})).await;
    let result = client.enable_rule(2013028, &body).await.expect("enabled");
    let request = take(&server, "POST", route, None).await;
    assert_eq!(
        json_body(&request),
        json!({"ruleset": 1, "comment": "Too noisy"})
    );
    assert_eq!(result.enable.as_deref(), Some("ok"));

    let route = "/rest/rules/rule/2013028/disable/";
    expect(&server, "POST", route, 200, json!({"disable": "ok"})).await;
    let result = client
        .disable_rule(2013028, &RulesetAction::new(2))
        .await
        .expect("disabled");
    let request = take(&server, "POST", route, None).await;
    assert_eq!(json_body(&request), json!({"ruleset": 2}));
    assert_eq!(result.disable.as_deref(), Some("ok"));
}

// ----- rulesets -----

fn ruleset_json() -> Value {
    json!({
        "pk": 1, "name": "Production", "descr": "Rules pushed to every probe",
        "created_date": "2024-04-02T08:00:00Z", "updated_date": "2024-05-01T08:00:00Z",
        "need_test": false, "validity": true, "errors": "", "warnings": "", "rules_count": 41237,
        "sources": [1], "categories": [42, 43]
    })
}

fn check_ruleset(ruleset: &Ruleset) {
    assert_eq!(ruleset.pk, Some(1));
    assert_eq!(ruleset.name, "Production");
    assert_eq!(ruleset.rules_count, Some(41237));
    assert_eq!(ruleset.categories.as_deref(), Some(&[42, 43][..]));
    assert_eq!(
        ruleset.created_date.expect("date").to_rfc3339(),
        "2024-04-02T08:00:00+00:00"
    );
}

#[tokio::test]
async fn rulesets_support_every_generic_operation_and_copy() {
    let (server, client) = setup().await;
    let list = "/rest/rules/ruleset/";
    let one = "/rest/rules/ruleset/1/";

    expect(&server, "GET", list, 200, page(vec![ruleset_json()])).await;
    let params = ListRulesetsParams {
        ordering: Some("-rules_count".into()),
        name: Some("Production".into()),
        descr: Some("Rules pushed to every probe".into()),
        ..Default::default()
    };
    check_ruleset(&client.list_rulesets(&params).await.expect("listed").results[0]);
    take(
        &server,
        "GET",
        list,
        Some("ordering=-rules_count&name=Production&descr=Rules%20pushed%20to%20every%20probe"),
    )
    .await;

    let mut body = Ruleset::new("Production".into());
    body.sources = Some(vec![1]);
    body.categories = Some(vec![42, 43]);
    body.comment = Some("Initial ruleset".into());
    let expected = json!({"name": "Production", "sources": [1], "categories": [42, 43], "comment": "Initial ruleset"});
    expect(&server, "POST", list, 201, ruleset_json()).await;
    check_ruleset(&client.create_ruleset(&body).await.expect("created"));
    assert_eq!(
        json_body(&take(&server, "POST", list, None).await),
        expected
    );

    expect(&server, "OPTIONS", list, 200, metadata_json("Ruleset List")).await;
    assert_metadata(
        &client.describe_rulesets().await.expect("described"),
        "Ruleset List",
    );
    take(&server, "OPTIONS", list, None).await;

    expect(&server, "GET", one, 200, ruleset_json()).await;
    check_ruleset(&client.get_ruleset(1).await.expect("fetched"));
    take(&server, "GET", one, None).await;

    expect(&server, "PUT", one, 200, ruleset_json()).await;
    check_ruleset(&client.update_ruleset(1, &body).await.expect("updated"));
    assert_eq!(json_body(&take(&server, "PUT", one, None).await), expected);

    let patch = RulesetPatch {
        sources: Some(vec![1, 2]),
        ..Default::default()
    };
    expect(&server, "PATCH", one, 200, ruleset_json()).await;
    check_ruleset(
        &client
            .partial_update_ruleset(1, &patch)
            .await
            .expect("patched"),
    );
    assert_eq!(
        json_body(&take(&server, "PATCH", one, None).await),
        json!({"sources": [1, 2]})
    );

    expect(&server, "DELETE", one, 204, Value::Null).await;
    client.delete_ruleset(1).await.expect("deleted");
    take(&server, "DELETE", one, None).await;

    let route = "/rest/rules/ruleset/1/copy/";
    expect(&server, "POST", route, 200, json!({"copy": "ok"})).await;
    let copy = RulesetCopy {
        comment: Some("Before tuning".into()),
        ..RulesetCopy::new("Production (copy)".into())
    };
    let result = client.copy_ruleset(1, &copy).await.expect("copied");
    assert_eq!(
        json_body(&take(&server, "POST", route, None).await),
        json!({"name": "Production (copy)", "comment": "Before tuning"})
    );
    assert_eq!(result.copy.as_deref(), Some("ok"));
}

// ----- categories -----

#[tokio::test]
async fn categories_list_retrieve_enable_and_disable() {
    let (server, client) = setup().await;
    let category = json!({"pk": 42, "name": "emerging-policy", "descr": "", "created_date": "2024-04-02T08:00:00Z", "source": 1});
    let route = "/rest/rules/category/";
    expect(&server, "GET", route, 200, page(vec![category.clone()])).await;
    let params = ListCategoriesParams {
        page_size: Some(100),
        name: Some("emerging-policy".into()),
        source: Some(1),
        ..Default::default()
    };
    let categories = client.list_categories(&params).await.expect("listed");
    take(
        &server,
        "GET",
        route,
        Some("page_size=100&name=emerging-policy&source=1"),
    )
    .await;
    assert_eq!(categories.results[0].pk, 42);
    assert_eq!(categories.results[0].source, Some(1));

    let route = "/rest/rules/category/42/";
    expect(&server, "GET", route, 200, category).await;
    let category = client.get_category(42).await.expect("fetched");
    take(&server, "GET", route, None).await;
    assert_eq!(category.name, "emerging-policy");

    let route = "/rest/rules/category/42/enable/";
    expect(&server, "POST", route, 200, json!({"enable": "ok"})).await;
    let result = client
        .enable_category(42, &RulesetAction::new(1))
        .await
        .expect("enabled");
    assert_eq!(
        json_body(&take(&server, "POST", route, None).await),
        json!({"ruleset": 1})
    );
    assert_eq!(result.enable.as_deref(), Some("ok"));

    let route = "/rest/rules/category/42/disable/";
    expect(&server, "POST", route, 200, json!({"disable": "ok"})).await;
    let body = RulesetAction {
        comment: Some("Too noisy".into()),
        ..RulesetAction::new(1)
    };
    let result = client.disable_category(42, &body).await.expect("disabled");
    assert_eq!(
        json_body(&take(&server, "POST", route, None).await),
        json!({"ruleset": 1, "comment": "Too noisy"})
    );
    assert_eq!(result.disable.as_deref(), Some("ok"));
}

// ----- sources -----

fn source_json() -> Value {
    json!({
        "pk": 1, "name": "ET Open", "method": "http", "datatype": "sigs",
        "uri": "https://rules.emergingthreats.net/open/suricata-7.0/emerging.rules.tar.gz",
        "cert_verif": true, "use_iprep": true, "use_sys_proxy": true, "authkey": null,
        "created_date": "2024-04-02T08:00:00Z", "updated_date": null, "version": 1
    })
}

fn check_source(source: &Source) {
    assert_eq!(source.pk, Some(1));
    assert_eq!(source.method, SourceMethod::Http);
    assert_eq!(source.datatype, SourceDatatype::Sigs);
    assert_eq!(source.authkey, Some(None));
    assert_eq!(source.updated_date, Some(None));
    assert_eq!(source.version, Some(1), "Source.version is an IntegerField");
    assert_eq!(source.cert_verif, Some(true));
}

#[tokio::test]
async fn sources_support_every_generic_operation() {
    let (server, client) = setup().await;
    let list = "/rest/rules/source/";
    let one = "/rest/rules/source/1/";

    expect(&server, "GET", list, 200, page(vec![source_json()])).await;
    let params = ListSourcesParams {
        page: Some(1),
        search: Some("emerging".into()),
        name: Some("ET Open".into()),
        method: Some(SourceMethod::Http),
        datatype: Some(SourceDatatype::Sigs),
        ..Default::default()
    };
    check_source(&client.list_sources(&params).await.expect("listed").results[0]);
    take(
        &server,
        "GET",
        list,
        Some("page=1&search=emerging&name=ET%20Open&method=http&datatype=sigs"),
    )
    .await;

    let mut body = Source::new("ET Open".into(), SourceMethod::Http, SourceDatatype::Sigs);
    body.uri = Some(Some(
        "https://rules.emergingthreats.net/open/suricata-7.0/emerging.rules.tar.gz".into(),
    ));
    body.use_iprep = Some(true);
    let expected = json!({"name": "ET Open", "method": "http", "datatype": "sigs",
        "uri": "https://rules.emergingthreats.net/open/suricata-7.0/emerging.rules.tar.gz", "use_iprep": true});
    expect(&server, "POST", list, 201, source_json()).await;
    check_source(&client.create_source(&body).await.expect("created"));
    assert_eq!(
        json_body(&take(&server, "POST", list, None).await),
        expected
    );

    expect(&server, "OPTIONS", list, 200, metadata_json("Source List")).await;
    assert_metadata(
        &client.describe_sources().await.expect("described"),
        "Source List",
    );
    take(&server, "OPTIONS", list, None).await;

    expect(&server, "GET", one, 200, source_json()).await;
    check_source(&client.get_source(1).await.expect("fetched"));
    take(&server, "GET", one, None).await;

    expect(&server, "PUT", one, 200, source_json()).await;
    check_source(&client.update_source(1, &body).await.expect("updated"));
    assert_eq!(json_body(&take(&server, "PUT", one, None).await), expected);

    let patch = SourcePatch {
        authkey: Some(None),
        version: Some(2),
        ..Default::default()
    };
    expect(&server, "PATCH", one, 200, source_json()).await;
    check_source(
        &client
            .partial_update_source(1, &patch)
            .await
            .expect("patched"),
    );
    assert_eq!(
        json_body(&take(&server, "PATCH", one, None).await),
        json!({"authkey": null, "version": 2})
    );

    expect(&server, "DELETE", one, 204, Value::Null).await;
    client.delete_source(1).await.expect("deleted");
    take(&server, "DELETE", one, None).await;
}

// ----- processing filters -----

fn filter_json() -> Value {
    json!({
        "pk": 5, "filter_defs": [{"key": "src_ip", "value": "10.0.0.101", "operator": "equal", "full_string": true}],
        "action": "suppress", "options": {"track": "by_src"}, "rulesets": [1], "index": 0,
        "description": "Scanner", "enabled": true, "event_type": "alert", "imported": false,
        "username": "analyst", "creation_date": "2024-05-01T09:00:00Z", "comment": "Scanner of the IT team"
    })
}

fn check_filter(filter: &ProcessingFilter) {
    assert_eq!(filter.pk, Some(5));
    assert_eq!(filter.action, "suppress");
    assert_eq!(
        filter.filter_defs[0].operator,
        Some(FilterDefOperator::Equal)
    );
    assert_eq!(filter.filter_defs[0].value, json!("10.0.0.101"));
    assert_eq!(
        filter
            .options
            .as_ref()
            .expect("options")
            .as_ref()
            .expect("not null")
            .track,
        Some(FilterOptionsTrack::BySrc)
    );
    assert_eq!(filter.username.as_deref(), Some("analyst"));
    // rest_processing.py copies the creation comment into every answer.
    assert_eq!(filter.comment, Some(Some("Scanner of the IT team".into())));
}

#[tokio::test]
async fn processing_filters_support_every_generic_operation() {
    let (server, client) = setup().await;
    let list = "/rest/rules/processing-filter/";
    let one = "/rest/rules/processing-filter/5/";

    expect(&server, "GET", list, 200, page(vec![filter_json()])).await;
    let params = ListProcessingFiltersParams {
        page_size: Some(10),
        ordering: Some("index".into()),
        action: Some("suppress".into()),
        enabled: Some(true),
        ..Default::default()
    };
    check_filter(
        &client
            .list_processing_filters(&params)
            .await
            .expect("listed")
            .results[0],
    );
    take(
        &server,
        "GET",
        list,
        Some("page_size=10&ordering=index&action=suppress&enabled=true"),
    )
    .await;

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
    // event_type is a writable model field (rules/models.py, default alert).
    body.event_type = Some("alert".into());
    let expected = json!({"filter_defs": [{"key": "src_ip", "value": "10.0.0.101", "operator": "equal", "full_string": true}],
        "action": "suppress", "options": {"track": "by_src"}, "rulesets": [1], "event_type": "alert"});
    expect(&server, "POST", list, 201, filter_json()).await;
    check_filter(
        &client
            .create_processing_filter(&body)
            .await
            .expect("created"),
    );
    assert_eq!(
        json_body(&take(&server, "POST", list, None).await),
        expected
    );

    expect(
        &server,
        "OPTIONS",
        list,
        200,
        metadata_json("Rule Processing Filter List"),
    )
    .await;
    assert_metadata(
        &client
            .describe_processing_filters()
            .await
            .expect("described"),
        "Rule Processing Filter List",
    );
    take(&server, "OPTIONS", list, None).await;

    expect(&server, "GET", one, 200, filter_json()).await;
    check_filter(&client.get_processing_filter(5).await.expect("fetched"));
    take(&server, "GET", one, None).await;

    expect(&server, "PUT", one, 200, filter_json()).await;
    check_filter(
        &client
            .update_processing_filter(5, &body)
            .await
            .expect("updated"),
    );
    assert_eq!(json_body(&take(&server, "PUT", one, None).await), expected);

    let patch = ProcessingFilterPatch {
        enabled: Some(false),
        options: Some(None),
        ..Default::default()
    };
    expect(&server, "PATCH", one, 200, filter_json()).await;
    check_filter(
        &client
            .partial_update_processing_filter(5, &patch)
            .await
            .expect("patched"),
    );
    assert_eq!(
        json_body(&take(&server, "PATCH", one, None).await),
        json!({"options": null, "enabled": false})
    );

    expect(&server, "DELETE", one, 204, Value::Null).await;
    client.delete_processing_filter(5).await.expect("deleted");
    take(&server, "DELETE", one, None).await;
}

// ----- history -----

fn user_action_json() -> Value {
    json!({
        "pk": 311, "action_type": "disable_category", "date": "2024-05-01T09:30:00Z",
        "comment": "Too noisy", "user": 2, "username": "analyst", "client_ip": "192.0.2.10",
        "title": "Disable Category",
        "description": "analyst has disabled category emerging-policy in ruleset Production",
        "description_raw": "{user} has disabled category {category} in ruleset {ruleset}",
        "ua_objects": {
            "user": {"type": "User", "pk": 2, "value": "analyst"},
            "category": {"type": "Category", "pk": 42, "value": "emerging-policy"},
            "ruleset": {"type": "Ruleset", "value": "Deleted ruleset"},
            "rule": {"type": "Rule", "sid": 2013028, "value": "2013028"}
        }
    })
}

#[tokio::test]
async fn history_lists_entries_with_their_objects() {
    let (server, client) = setup().await;
    let route = "/rest/rules/history/";
    expect(&server, "GET", route, 200, page(vec![user_action_json()])).await;
    let params = ListHistoryParams {
        page_size: Some(20),
        ordering: Some("-date".into()),
        username: Some("analyst".into()),
        action_type: Some("disable_category".into()),
        comment: Some("noisy".into()),
        date: Some("2024-05-01".parse().expect("date")),
        client_ip: Some("192.0.2.10".into()),
        min_date: Some("2024-04-01".parse().expect("date")),
        max_date: Some("2024-05-01".parse().expect("date")),
        ..Default::default()
    };
    let history = client.list_history(&params).await.expect("listed");
    take(&server, "GET", route, Some("page_size=20&ordering=-date&username=analyst&action_type=disable_category&comment=noisy&date=2024-05-01&client_ip=192.0.2.10&min_date=2024-04-01&max_date=2024-05-01")).await;
    let entry = &history.results[0];
    assert_eq!(entry.action_type, "disable_category");
    assert_eq!(
        entry.description_raw.as_deref(),
        Some("{user} has disabled category {category} in ruleset {ruleset}")
    );
    let objects = entry.ua_objects.as_ref().expect("objects");
    assert_eq!(objects["category"].pk, Some(42));
    assert_eq!(objects["category"].r#type.as_deref(), Some("Category"));
    assert_eq!(objects["ruleset"].pk, None, "deleted objects lose their pk");
    assert_eq!(objects["ruleset"].value.as_deref(), Some("Deleted ruleset"));
    assert_eq!(objects["rule"].sid, Some(2013028));

    let route = "/rest/rules/history/311/";
    expect(&server, "GET", route, 200, user_action_json()).await;
    let entry = client.get_history_entry(311).await.expect("fetched");
    take(&server, "GET", route, None).await;
    assert_eq!(entry.pk, 311);
    assert_eq!(entry.client_ip, Some(Some("192.0.2.10".into())));

    let route = "/rest/rules/history/get_action_type_list/";
    expect(&server, "GET", route, 200, json!({"action_type_list": {"disable_category": "Disable Category", "create_ruleset": "Create Ruleset"}})).await;
    let types = client.get_history_action_types().await.expect("fetched");
    take(&server, "GET", route, None).await;
    assert_eq!(types.action_type_list["create_ruleset"], "Create Ruleset");
}

// ----- Elasticsearch views -----

fn alert_event_json(id: &str) -> Value {
    json!({
        "_id": id, "timestamp": "2024-05-01T10:12:43.123456+0200", "event_type": "alert",
        "src_ip": "10.0.0.101", "src_port": 49822, "dest_ip": "203.0.113.9", "dest_port": 80,
        "proto": "TCP", "app_proto": "http", "flow_id": 1839402020492817_i64, "host": "probe-paris-01",
        "alert": {"signature_id": 2013028, "signature": "ET POLICY curl User-Agent Outbound",
                  "category": "Attempted Information Leak", "severity": 2, "action": "allowed"},
        "http": {"hostname": "example.org"}
    })
}

#[tokio::test]
async fn alerts_and_events_tails_and_counts() {
    let (server, client) = setup().await;
    let route = "/rest/rules/es/alerts_tail/";
    expect(
        &server,
        "GET",
        route,
        200,
        page(vec![alert_event_json("a1")]),
    )
    .await;
    let params = GetAlertsTailParams {
        qfilter: Some("src_ip:10.0.0.101".into()),
        from_date: Some(1714560000000),
        to_date: Some(1714646400000),
        page: Some(1),
        page_size: Some(100),
        ordering: Some("-@timestamp".into()),
        stamus: Some(true),
        ..Default::default()
    };
    let alerts = client.get_alerts_tail(&params).await.expect("listed");
    take(&server, "GET", route, Some("qfilter=src_ip%3A10.0.0.101&from_date=1714560000000&to_date=1714646400000&page=1&page_size=100&ordering=-%40timestamp&stamus=true")).await;
    let alert = &alerts.results[0];
    assert_eq!(alert.id.as_deref(), Some("a1"));
    assert_eq!(alert.flow_id, Some(1839402020492817));
    let details = alert.alert.as_ref().expect("alert");
    assert_eq!(details.signature_id, Some(2013028));
    assert_eq!(details.severity, Some(2));
    assert_eq!(
        alert.additional_properties.value("http"),
        Some(json!({"hostname": "example.org"}))
    );

    let route = "/rest/rules/es/events_tail/";
    expect(
        &server,
        "GET",
        route,
        200,
        page(vec![
            json!({"event_type": "dns", "src_ip": "10.0.0.101", "dns": {"rrname": "example.org"}}),
        ]),
    )
    .await;
    let params = GetEventsTailParams {
        qfilter: Some("dns.rrname:example.org".into()),
        ..Default::default()
    };
    let events = client.get_events_tail(&params).await.expect("listed");
    take(
        &server,
        "GET",
        route,
        Some("qfilter=dns.rrname%3Aexample.org"),
    )
    .await;
    assert_eq!(events.results[0].event_type.as_deref(), Some("dns"));
    assert!(events.results[0].alert.is_none());

    let route = "/rest/rules/es/alerts_count/";
    expect(
        &server,
        "GET",
        route,
        200,
        json!({"prev_doc_count": 1204, "doc_count": 1523}),
    )
    .await;
    let params = GetAlertsCountParams {
        hosts: Some("probe-paris-01".into()),
        from_date: Some(1714560000000),
        prev: Some(true),
        ..Default::default()
    };
    let count = client.get_alerts_count(&params).await.expect("counted");
    take(
        &server,
        "GET",
        route,
        Some("hosts=probe-paris-01&from_date=1714560000000&prev=true"),
    )
    .await;
    assert_eq!(count.doc_count, 1523);
    assert_eq!(count.prev_doc_count, Some(1204));
}

// ----- pagination -----

#[tokio::test]
async fn probe_pages_are_followed_through_their_next_links() {
    let server = MockServer::start().await;
    let base = server.uri();
    let route = "/rest/appliances/stamus_appliance/";
    let probe = |pk: i64| json!({"pk": pk, "name": format!("probe-{pk}")});
    let pages = [
        (
            None,
            vec![probe(1), probe(2)],
            Some(format!("{base}{route}?name=&page=2&search=dc")),
        ),
        (
            Some("2"),
            vec![probe(3), probe(4)],
            Some(format!("{base}{route}?page=3&search=dc")),
        ),
        (Some("3"), vec![probe(5)], None),
    ];
    for (number, results, next) in pages {
        let mut mock = Mock::given(method("GET"))
            .and(path(route))
            .and(header("authorization", format!("Token {TOKEN}").as_str()));
        mock = match number {
            Some(n) => mock.and(wiremock::matchers::query_param("page", n)),
            None => mock.and(wiremock::matchers::query_param_is_missing("page")),
        };
        let previous = number.map(|_| format!("{base}{route}?search=dc"));
        mock.respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"count": 5, "next": next, "previous": previous, "results": results}),
        ))
        .mount(&server)
        .await;
    }
    let client = Client::builder()
        .base_url(&base)
        .api_key(TOKEN)
        .build()
        .expect("valid");
    let params = ListProbesParams {
        search: Some("dc".into()),
        ..Default::default()
    };
    let probes: Vec<_> = client.list_probes_stream(&params, None).collect().await;
    let names: Vec<String> = probes.into_iter().map(|p| p.expect("probe").name).collect();
    assert_eq!(
        names,
        ["probe-1", "probe-2", "probe-3", "probe-4", "probe-5"]
    );
    let requests = server.received_requests().await.expect("recording");
    let queries: Vec<Option<&str>> = requests.iter().map(|r| r.url.query()).collect();
    assert_eq!(
        queries,
        [
            Some("search=dc"),
            Some("name=&page=2&search=dc"),
            Some("page=3&search=dc")
        ]
    );

    // max_items stops early without asking for more pages.
    server.reset().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "count": 5, "next": format!("{base}{route}?page=2"), "previous": null,
            "results": [probe(1), probe(2)]
        })))
        .mount(&server)
        .await;
    let probes: Vec<_> = client
        .list_probes_stream(&ListProbesParams::default(), Some(2))
        .collect()
        .await;
    assert_eq!(probes.len(), 2);
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        1
    );
}

#[tokio::test]
async fn every_list_has_a_stream() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(vec![])))
        .mount(&server)
        .await;
    assert_eq!(
        client
            .list_probe_templates_stream(&Default::default(), None)
            .count()
            .await,
        0
    );
    assert_eq!(
        client
            .list_suricata_probes_stream(&Default::default(), None)
            .count()
            .await,
        0
    );
    assert_eq!(
        client
            .list_appliances_stream(&Default::default(), None)
            .count()
            .await,
        0
    );
    assert_eq!(
        client
            .list_devices_stream(&Default::default(), None)
            .count()
            .await,
        0
    );
    assert_eq!(
        client
            .list_network_interfaces_stream(&Default::default(), None)
            .count()
            .await,
        0
    );
    assert_eq!(
        client
            .list_host_ids_stream(&Default::default(), None)
            .count()
            .await,
        0
    );
    assert_eq!(
        client
            .list_threat_history_incidents_stream(&Default::default(), None)
            .count()
            .await,
        0
    );
    assert_eq!(
        client
            .list_rules_stream(&Default::default(), None)
            .count()
            .await,
        0
    );
    assert_eq!(
        client
            .list_rulesets_stream(&Default::default(), None)
            .count()
            .await,
        0
    );
    assert_eq!(
        client
            .list_categories_stream(&Default::default(), None)
            .count()
            .await,
        0
    );
    assert_eq!(
        client
            .list_sources_stream(&Default::default(), None)
            .count()
            .await,
        0
    );
    assert_eq!(
        client
            .list_processing_filters_stream(&Default::default(), None)
            .count()
            .await,
        0
    );
    assert_eq!(
        client
            .list_history_stream(&Default::default(), None)
            .count()
            .await,
        0
    );
    assert_eq!(
        client
            .get_alerts_tail_stream(&Default::default(), None)
            .count()
            .await,
        0
    );
    assert_eq!(
        client
            .get_events_tail_stream(&Default::default(), None)
            .count()
            .await,
        0
    );
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        15
    );
}

#[tokio::test]
async fn a_next_link_to_another_host_is_not_followed() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "count": 4, "next": "https://elsewhere.example/rest/rules/rule/?page=2",
            "previous": null, "results": [rule_json()]
        })))
        .mount(&server)
        .await;
    let items: Vec<_> = client
        .list_rules_stream(&Default::default(), None)
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    assert!(
        matches!(items[1], Err(Error::Pagination { .. })),
        "{:?}",
        items[1]
    );
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        1
    );
}

// ----- errors -----

#[tokio::test]
async fn detail_errors_are_declared_for_401_403_and_404() {
    let (server, client) = setup().await;
    for (status, detail) in [
        (401, "Invalid token."),
        (403, "You do not have permission to perform this action."),
        (404, "Not found."),
    ] {
        expect(
            &server,
            "GET",
            "/rest/rules/ruleset/9/",
            status,
            json!({"detail": detail}),
        )
        .await;
        let error = client.get_ruleset(9).await.expect_err("refused");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        let Error::Status(failure) = &error else {
            panic!("not a status error: {error}");
        };
        let declared = failure.declared::<Detail>().expect("typed body");
        assert_eq!(declared.detail, detail);
        assert!(error.to_string().contains("get_ruleset"), "{error}");
        assert!(!format!("{error:?}").contains(TOKEN), "the token leaked");
        server.reset().await;
    }
}

#[tokio::test]
async fn field_errors_are_declared_for_400() {
    let (server, client) = setup().await;
    expect(
        &server,
        "POST",
        "/rest/rules/source/",
        400,
        json!({"name": ["source with this name already exists."], "uri": ["Enter a valid URL."],
               "non_field_errors": ["Invalid datatype for method."]}),
    )
    .await;
    let body = Source::new(
        "ET Open".into(),
        SourceMethod::Local,
        SourceDatatype::Unknown("zip".into()),
    );
    let error = client.create_source(&body).await.expect_err("invalid");
    let request = take(&server, "POST", "/rest/rules/source/", None).await;
    assert_eq!(
        json_body(&request),
        json!({"name": "ET Open", "method": "local", "datatype": "zip"})
    );
    let Error::Status(failure) = &error else {
        panic!("not a status error: {error}");
    };
    assert_eq!(failure.status.as_u16(), 400);
    let declared = failure.declared::<ValidationErrors>().expect("typed body");
    assert_eq!(
        declared.additional_properties["name"],
        ["source with this name already exists."]
    );
    assert_eq!(
        declared.additional_properties["uri"],
        ["Enter a valid URL."]
    );
    assert_eq!(
        declared.non_field_errors.as_deref(),
        Some(&["Invalid datatype for method.".to_owned()][..])
    );
}

#[tokio::test]
async fn a_bad_tail_ordering_is_a_bare_string_and_es_failures_a_detail() {
    let (server, client) = setup().await;
    let route = "/rest/rules/es/alerts_tail/";
    expect(
        &server,
        "GET",
        route,
        400,
        json!("Wrong ordering value: foo"),
    )
    .await;
    let params = GetAlertsTailParams {
        ordering: Some("foo".into()),
        ..Default::default()
    };
    let error = client.get_alerts_tail(&params).await.expect_err("refused");
    let Error::Status(failure) = &error else {
        panic!("not a status error: {error}");
    };
    assert_eq!(
        failure.declared::<EsRequestError>(),
        Some(&EsRequestError::String("Wrong ordering value: foo".into()))
    );
    server.reset().await;

    expect(
        &server,
        "GET",
        "/rest/rules/es/alerts_count/",
        500,
        json!({"detail": "ConnectionError: unreachable"}),
    )
    .await;
    let error = client
        .get_alerts_count(&Default::default())
        .await
        .expect_err("failed");
    let Error::Status(failure) = &error else {
        panic!("not a status error: {error}");
    };
    assert_eq!(failure.status.as_u16(), 500);
    assert_eq!(
        failure.declared::<Detail>().expect("typed body").detail,
        "ConnectionError: unreachable"
    );
}

#[tokio::test]
async fn an_html_error_page_keeps_only_the_raw_body() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_string("<h1>Not Found</h1>"))
        .mount(&server)
        .await;
    let error = client.get_host_id("10.0.0.101").await.expect_err("missing");
    let Error::Status(failure) = &error else {
        panic!("not a status error: {error}");
    };
    assert!(failure.declared::<Detail>().is_none());
    assert_eq!(failure.body_text(), "<h1>Not Found</h1>");
}

#[tokio::test]
async fn path_parameters_cannot_escape_their_segment() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"detail": "Not found."})))
        .mount(&server)
        .await;
    let _ = client.get_host_id("../../rules/ruleset/?x=1").await;
    let request = take(
        &server,
        "GET",
        "/rest/appliances/host_id/..%2F..%2Frules%2Fruleset%2F%3Fx%3D1",
        None,
    )
    .await;
    no_body(&request);
}

#[test]
fn unknown_members_and_enum_values_survive_a_round_trip() {
    let original = json!({"pk": 3, "name": "x", "type": "Zeek", "firmware": {"v": 2}});
    let appliance: stamus_client::types::Appliance =
        serde_json::from_value(original.clone()).expect("decodes");
    assert_eq!(
        appliance.r#type,
        Some(ApplianceType::Unknown("Zeek".into()))
    );
    assert_eq!(serde_json::to_value(&appliance).expect("encodes"), original);
    let filter: FilterOptions =
        serde_json::from_value(json!({"type": "rate", "track": "by_rule"})).expect("decodes");
    assert_eq!(
        filter.track,
        Some(FilterOptionsTrack::Unknown("by_rule".into()))
    );
}

#[test]
fn the_default_base_url_is_the_placeholder_server() {
    assert_eq!(stamus_client::DEFAULT_BASE_URL, "https://scs.example");
    let client = Client::builder().api_key(TOKEN).build().expect("valid");
    assert_eq!(
        client.transport().base_url().as_str(),
        "https://scs.example/"
    );
    let insecure = Client::builder()
        .api_key(TOKEN)
        .danger_accept_invalid_certs()
        .build();
    assert!(insecure.is_ok());
}

// ----- rule actions (scirius rules/rest_api.py RuleViewSet) -----

#[tokio::test]
async fn rule_status_and_comments() {
    let (server, client) = setup().await;
    let route = "/rest/rules/rule/2013028/status/";
    expect(
        &server,
        "GET",
        route,
        200,
        json!({
            "1": {"name": "Production", "valid": {"status": true, "errors": ""},
                  "0": {"active": true}, "39": {"active": false},
                  "transformations": {"action": "drop", "lateral": null, "target": null}},
            "2": {"name": "Lab", "valid": false, "0": {"active": true},
                  "transformations": {"action": null, "lateral": "yes", "target": "src"}}
        }),
    )
    .await;
    let status = client.get_rule_status(2013028).await.expect("fetched");
    take(&server, "GET", route, None).await;
    let production = &status["1"];
    assert_eq!(production.name.as_deref(), Some("Production"));
    assert_eq!(
        production.valid,
        Some(json!({"status": true, "errors": ""}))
    );
    let transformations = production.transformations.as_ref().expect("set");
    assert_eq!(transformations.action, Some(Some("drop".into())));
    assert_eq!(transformations.lateral, Some(None));
    assert_eq!(
        production.additional_properties.value("39"),
        Some(json!({"active": false})),
        "per-version activity stays readable"
    );
    assert_eq!(status["2"].valid, Some(json!(false)));

    let route = "/rest/rules/rule/2013028/comment/";
    expect(
        &server,
        "GET",
        route,
        200,
        json!({"2013028": [{
            "title": "Comment Rule", "icon": [["pficon-user", "analyst"]],
            "comment": "Fires on the backup server",
            "description": "analyst has commented rule 2013028", "date": "2024-05-01T09:30:00+02:00"
        }]}),
    )
    .await;
    let comments = client.list_rule_comments(2013028).await.expect("listed");
    take(&server, "GET", route, None).await;
    let comment = &comments["2013028"][0];
    assert_eq!(
        comment.comment.as_deref(),
        Some("Fires on the backup server")
    );
    assert_eq!(
        comment.date.expect("date").to_rfc3339(),
        "2024-05-01T07:30:00+00:00"
    );
    assert_eq!(comment.icon, Some(json!([["pficon-user", "analyst"]])));

    expect(&server, "POST", route, 200, json!({"comment": "ok"})).await;
    let body = CommentBody {
        comment: Some(Some("Fires on the backup server".into())),
        ..Default::default()
    };
    let result = client
        .comment_rule(2013028, &body)
        .await
        .expect("commented");
    let request = take(&server, "POST", route, None).await;
    assert_eq!(
        json_body(&request),
        json!({"comment": "Fires on the backup server"})
    );
    assert_eq!(result.comment.as_deref(), Some("ok"));
}

#[tokio::test]
async fn rule_availability_alert_deletion_and_transformed_rules() {
    let (server, client) = setup().await;
    let route = "/rest/rules/rule/2013028/toggle_availability/";
    expect(
        &server,
        "POST",
        route,
        200,
        json!({"toggle_availability": "ok"}),
    )
    .await;
    let body = ToggleAvailability {
        comment: Some(Some("Broken on Suricata 7".into())),
        version: Some(0),
        ..Default::default()
    };
    let result = client
        .toggle_rule_availability(2013028, &body)
        .await
        .expect("toggled");
    let request = take(&server, "POST", route, None).await;
    assert_eq!(
        json_body(&request),
        json!({"comment": "Broken on Suricata 7", "version": 0})
    );
    assert_eq!(result.toggle_availability.as_deref(), Some("ok"));

    let route = "/rest/rules/rule/2013028/delete_alerts/";
    expect(&server, "POST", route, 200, json!({"delete_alerts": "ok"})).await;
    let result = client.delete_rule_alerts(2013028).await.expect("deleted");
    no_body(&take(&server, "POST", route, None).await);
    assert_eq!(result.delete_alerts.as_deref(), Some("ok"));

    // A failed Elasticsearch deletion answers 500 with `details` (plural).
    expect(
        &server,
        "POST",
        route,
        500,
        json!({"details": "index read-only / allow delete (api)"}),
    )
    .await;
    let error = client
        .delete_rule_alerts(2013028)
        .await
        .expect_err("failed");
    let Error::Status(failure) = &error else {
        panic!("not a status error: {error}");
    };
    let declared = failure.declared::<DeleteAlertsError>().expect("typed body");
    assert_eq!(
        declared.details.as_deref(),
        Some("index read-only / allow delete (api)")
    );
    take(&server, "POST", route, None).await;

    let route = "/rest/rules/rule/transformation/";
    expect(&server, "GET", route, 200, json!({"1": {
        "name": "Production", "transformation": {"transfo_key": "action", "transfo_value": "drop"},
        "rules": [2013028, 2100498], "rules_count": 2
    }}))
    .await;
    let params = ListTransformedRulesParams {
        transfo_type: TransformationType::Action,
        transfo_value: "drop".into(),
    };
    let transformed = client
        .list_transformed_rules(&params)
        .await
        .expect("listed");
    take(
        &server,
        "GET",
        route,
        Some("transfo_type=action&transfo_value=drop"),
    )
    .await;
    assert_eq!(
        transformed["1"].rules.as_deref(),
        Some(&[2013028, 2100498][..])
    );
    assert_eq!(transformed["1"].rules_count, Some(2));
    assert_eq!(
        transformed["1"]
            .transformation
            .as_ref()
            .expect("asked")
            .transfo_value
            .as_deref(),
        Some("drop")
    );
}

#[tokio::test]
async fn rule_transformations_list_create_and_delete() {
    let (server, client) = setup().await;
    let list = "/rest/rules/transformation/rule/";
    let answer = json!({"pk": 4, "ruleset": 1, "rule": 2013028, "transfo_type": "action", "transfo_value": "drop"});
    expect(&server, "GET", list, 200, page(vec![answer.clone()])).await;
    let params = ListRuleTransformationsParams {
        rule_transformation: Some(2013028),
        ruleset: Some(1),
        ..Default::default()
    };
    let page = client
        .list_rule_transformations(&params)
        .await
        .expect("listed");
    take(
        &server,
        "GET",
        list,
        Some("rule_transformation=2013028&ruleset=1"),
    )
    .await;
    assert_eq!(page.results[0].transfo_type, TransformationType::Action);
    assert_eq!(page.results[0].rule, 2013028);

    expect(&server, "POST", list, 201, answer).await;
    let mut body = RuleTransformation::new(1, 2013028, TransformationType::Action, "drop".into());
    body.comment = Some("Block at the edge".into());
    let created = client
        .create_rule_transformation(&body)
        .await
        .expect("created");
    let request = take(&server, "POST", list, None).await;
    assert_eq!(
        json_body(&request),
        json!({"ruleset": 1, "rule": 2013028, "transfo_type": "action", "transfo_value": "drop", "comment": "Block at the edge"})
    );
    assert_eq!(created.pk, Some(4));

    let one = "/rest/rules/transformation/rule/4/";
    expect(&server, "DELETE", one, 204, Value::Null).await;
    client.delete_rule_transformation(4).await.expect("deleted");
    take(&server, "DELETE", one, None).await;
}

#[tokio::test]
async fn ruleset_rules_count() {
    let (server, client) = setup().await;
    let route = "/rest/rules/ruleset/1/rules_count/";
    expect(&server, "GET", route, 200, json!({"rules_count": 41237})).await;
    let count = client.get_ruleset_rules_count(1).await.expect("counted");
    take(&server, "GET", route, None).await;
    assert_eq!(count.rules_count, 41237);
}

// ----- source actions and changelog -----

#[tokio::test]
async fn source_update_test_and_upload() {
    let (server, client) = setup().await;
    let route = "/rest/rules/source/1/update_source/";
    expect(&server, "POST", route, 200, json!({"update": "ok"})).await;
    let params = UpdateSourceRulesParams {
        r#async: Some(true),
    };
    let body = CommentBody {
        comment: Some(Some("Weekly refresh".into())),
        ..Default::default()
    };
    let result = client
        .update_source_rules(1, &params, Some(&body))
        .await
        .expect("updated");
    let request = take(&server, "POST", route, Some("async=true")).await;
    assert_eq!(json_body(&request), json!({"comment": "Weekly refresh"}));
    assert_eq!(result.update.as_deref(), Some("ok"));

    expect(
        &server,
        "POST",
        route,
        400,
        json!({"update": ["Can not fetch data: timed out"]}),
    )
    .await;
    let error = client
        .update_source_rules(1, &Default::default(), None)
        .await
        .expect_err("refused");
    no_body(&take(&server, "POST", route, None).await);
    let Error::Status(failure) = &error else {
        panic!("not a status error: {error}");
    };
    let declared = failure.declared::<ValidationErrors>().expect("typed body");
    assert_eq!(
        declared.additional_properties["update"],
        ["Can not fetch data: timed out"]
    );

    let route = "/rest/rules/source/1/test/";
    expect(
        &server,
        "POST",
        route,
        200,
        json!({"test": "ok", "warnings": ["rule 2013028: deprecated keyword"]}),
    )
    .await;
    let result = client.test_source(1).await.expect("tested");
    no_body(&take(&server, "POST", route, None).await);
    assert_eq!(result.test.as_deref(), Some("ok"));
    assert_eq!(
        result.warnings,
        Some(vec![json!("rule 2013028: deprecated keyword")])
    );

    expect(
        &server,
        "POST",
        route,
        400,
        json!({"test": {"errors": ["line 3: unknown keyword"]}}),
    )
    .await;
    let error = client.test_source(1).await.expect_err("failed");
    take(&server, "POST", route, None).await;
    let Error::Status(failure) = &error else {
        panic!("not a status error: {error}");
    };
    let declared = failure.declared::<TestSourceFailure>().expect("typed body");
    assert_eq!(
        declared.test.as_ref().expect("test").errors,
        Some(vec![json!("line 3: unknown keyword")]),
    );

    let route = "/rest/rules/source/2/upload/";
    expect(&server, "POST", route, 200, json!({"upload": "ok"})).await;
    let mut form = SourceUpload::new(
        FilePart::new(&b"alert ip any any -> any any (msg:\"x\"; sid:9000001;)\n"[..])
            .file_name("local.rules"),
    );
    form.comment = Some("Local rules".into());
    let result = client.upload_source_file(2, &form).await.expect("uploaded");
    let request = take(&server, "POST", route, None).await;
    let content_type = request.headers["content-type"].to_str().expect("ascii");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let body = String::from_utf8_lossy(&request.body);
    assert!(
        body.contains("name=\"file\"; filename=\"local.rules\""),
        "{body}"
    );
    assert!(body.contains("sid:9000001;"), "{body}");
    assert!(body.contains("name=\"comment\""), "{body}");
    assert!(body.contains("Local rules"), "{body}");
    assert_eq!(result.upload.as_deref(), Some("ok"));
}

fn changelog_json() -> Value {
    json!({
        "pk": 3, "source": 1, "created_date": "2024-05-01T08:00:00Z", "changed": 2,
        "data": {
            "added": [], "deleted": [],
            "updated": [{"msg": "ET POLICY curl User-Agent Outbound", "category": "emerging-policy", "sid": 2013028, "pk": 2013028}],
            "stats": {"added": 0, "updated": 1, "deleted": 0},
            "date": "2024-05-01T08:00:00Z"
        }
    })
}

#[tokio::test]
async fn source_changelogs_list_and_retrieve() {
    let (server, client) = setup().await;
    let list = "/rest/rules/changelog/source/";
    expect(&server, "GET", list, 200, page(vec![changelog_json()])).await;
    let params = ListSourceChangelogsParams {
        source: Some(1),
        ordering: Some("-pk".into()),
        ..Default::default()
    };
    let updates = client
        .list_source_changelogs(&params)
        .await
        .expect("listed");
    take(&server, "GET", list, Some("ordering=-pk&source=1")).await;
    let data = updates.results[0].data.as_ref().expect("data");
    let updated = &data.updated.as_ref().expect("updated")[0];
    assert_eq!(updated.sid, Some(2013028));
    assert_eq!(updated.category.as_deref(), Some("emerging-policy"));
    assert_eq!(data.stats.as_ref().expect("stats").updated, Some(1));

    let one = "/rest/rules/changelog/source/3/";
    expect(&server, "GET", one, 200, changelog_json()).await;
    let update = client.get_source_changelog(3).await.expect("fetched");
    take(&server, "GET", one, None).await;
    assert_eq!(update.pk, 3);
    assert_eq!(update.changed, Some(2));
}

// ----- Elasticsearch aggregations -----

#[tokio::test]
async fn field_stats_and_fields_stats() {
    let (server, client) = setup().await;
    let route = "/rest/rules/es/field_stats/";
    expect(
        &server,
        "GET",
        route,
        200,
        json!([
            {"key": "10.0.0.101", "doc_count": 412}, {"key": "10.0.0.7", "doc_count": 3}
        ]),
    )
    .await;
    let params = GetFieldStatsParams {
        sid: Some(2013028),
        ordering: Some(SortOrder::Desc),
        page_size: Some(5),
        hosts: Some("probe-paris-01".into()),
        from_date: Some(1714560000000),
        discovery: Some(true),
        ..GetFieldStatsParams::new("src_ip".into())
    };
    let values = client.get_field_stats(&params).await.expect("fetched");
    take(&server, "GET", route, Some("field=src_ip&sid=2013028&ordering=desc&page_size=5&hosts=probe-paris-01&from_date=1714560000000&discovery=true")).await;
    assert_eq!(values[0].key, json!("10.0.0.101"));
    assert_eq!(values[0].doc_count, 412);

    let route = "/rest/rules/es/fields_stats/";
    expect(
        &server,
        "GET",
        route,
        200,
        json!({
            "src_ip": [{"key": "10.0.0.101", "doc_count": 412}],
            "alert.signature_id": [{"key": 2013028, "doc_count": 9}]
        }),
    )
    .await;
    let params = GetFieldsStatsParams {
        qfilter: Some("app_proto:http".into()),
        ..GetFieldsStatsParams::new(vec!["src_ip".into(), "alert.signature_id".into()])
    };
    let stats = client.get_fields_stats(&params).await.expect("fetched");
    take(
        &server,
        "GET",
        route,
        Some("fields=src_ip,alert.signature_id&qfilter=app_proto%3Ahttp"),
    )
    .await;
    assert_eq!(stats["src_ip"][0].doc_count, 412);
    assert_eq!(stats["alert.signature_id"][0].key, json!(2013028));
}

#[tokio::test]
async fn timeline_top_rules_and_rule_hits() {
    let (server, client) = setup().await;
    let route = "/rest/rules/es/timeline/";
    expect(&server, "GET", route, 200, json!({
        "probe-paris-01": {"entries": [{"time": 1714560000000_i64, "count": 3}, {"time": 1714563600000_i64, "count": 0}]},
        "others": {"entries": [{"time": 1714560000000_i64, "count": 1}, {"time": 1714563600000_i64, "count": 2}]},
        "from_date": 1714560000000_i64, "to_date": "now", "interval": 3600000
    }))
    .await;
    let params = GetTimelineParams {
        hosts: Some("*".into()),
        from_date: Some(1714560000000),
        interval: Some(3600),
        target: Some(false),
        ..Default::default()
    };
    let timeline = client.get_timeline(&params).await.expect("fetched");
    take(
        &server,
        "GET",
        route,
        Some("hosts=%2A&from_date=1714560000000&interval=3600&target=false"),
    )
    .await;
    assert_eq!(timeline.from_date, Some(1714560000000));
    assert_eq!(
        timeline.to_date,
        Some(EsTimelineToDate::String("now".into()))
    );
    assert_eq!(timeline.interval, Some(3600000));
    assert_eq!(timeline.additional_properties.len(), 2, "two series");
    let entries = timeline.additional_properties["probe-paris-01"]
        .entries
        .as_ref()
        .expect("entries");
    assert_eq!(entries[0].count, Some(3));
    assert_eq!(entries[1].time, Some(1714563600000));
    let others: &EsTimelineSeries = &timeline.additional_properties["others"];
    assert_eq!(others.entries.as_ref().expect("entries")[1].count, Some(2));

    let route = "/rest/rules/es/top_rules/";
    expect(&server, "GET", route, 200, json!([{
        "key": 2013028, "doc_count": 1523,
        "timeline": {"buckets": [{"key": 1714560000000_i64, "key_as_string": "2024-05-01T10:40:00.000Z", "doc_count": 17}]}
    }]))
    .await;
    let params = GetTopRulesParams {
        count: Some(10),
        order: Some(SortOrder::Asc),
        to_date: Some(1714646400000),
        ..GetTopRulesParams::new("*".into())
    };
    let top = client.get_top_rules(&params).await.expect("fetched");
    take(
        &server,
        "GET",
        route,
        Some("hosts=%2A&count=10&order=asc&to_date=1714646400000"),
    )
    .await;
    assert_eq!(top[0].key, 2013028);
    assert_eq!(
        top[0]
            .timeline
            .as_ref()
            .expect("timeline")
            .buckets
            .as_ref()
            .expect("buckets")[0]
            .doc_count,
        Some(17)
    );

    let route = "/rest/rules/es/rules/";
    expect(
        &server,
        "GET",
        route,
        200,
        json!({"rules": [{"key": 2013028, "doc_count": 5}]}),
    )
    .await;
    let params = GetRuleHitCountsParams::new("probe-paris-01".into());
    let hits = client.get_rule_hit_counts(&params).await.expect("fetched");
    take(&server, "GET", route, Some("hosts=probe-paris-01")).await;
    assert_eq!(hits.rules.expect("rules")[0].key, json!(2013028));

    let route = "/rest/rules/es/rule/";
    expect(&server, "GET", route, 200, json!({"rule": null})).await;
    let params = GetRuleHitsPerProbeParams::new(2013028);
    let hits = client
        .get_rule_hits_per_probe(&params)
        .await
        .expect("fetched");
    take(&server, "GET", route, Some("sid=2013028")).await;
    assert_eq!(hits.rule, Some(None), "null when nothing was aggregated");
}

#[tokio::test]
async fn a_failed_next_page_is_read_as_the_operation_declares() {
    let (server, client) = setup().await;
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/rest/rules/rule/"))
        .and(wiremock::matchers::query_param("page", "2"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"detail": "token expired"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/rest/rules/rule/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "count": 4, "next": format!("{base}/rest/rules/rule/?page=2"),
            "previous": null, "results": [rule_json()]
        })))
        .mount(&server)
        .await;
    let items: Vec<_> = client
        .list_rules_stream(&Default::default(), None)
        .collect()
        .await;
    assert_eq!(
        items.len(),
        2,
        "one rule, then the error that ends the stream"
    );
    let Err(Error::Status(status)) = &items[1] else {
        panic!("not a status error: {:?}", items[1]);
    };
    assert_eq!(status.status.as_u16(), 403);
    assert_eq!(
        status.declared::<Detail>().map(|d| d.detail.as_str()),
        Some("token expired")
    );
}
