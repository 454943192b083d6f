//! The typed fakes (`fake::FakeApi`, feature `fake`) of the generated crates, as their users'
//! tests would use them: typed answers, error statuses, delays, recorded calls, pages, the
//! Sekoia search job, token exchanges, and what happens when nothing was said.

use std::time::{Duration, Instant};

use futures::TryStreamExt;
use uuid::Uuid;

fn rule(n: u128) -> sekoia_client::types::Rule {
    sekoia_client::types::Rule::new(Uuid::from_u128(n), format!("rule {n}"))
}

#[tokio::test]
async fn every_fake_listens_on_127_0_0_1() {
    let uris = [
        sekoia_client::fake::FakeApi::start().await.uri(),
        security_onion_client::fake::FakeApi::start().await.uri(),
        stamus_client::fake::FakeApi::start().await.uri(),
        stellar_cyber_client::fake::FakeApi::start().await.uri(),
        elastic_security_client::fake::FakeApi::start().await.uri(),
        conformance_client::fake::FakeApi::start().await.uri(),
    ];
    for uri in uris {
        assert!(uri.starts_with("http://127.0.0.1:"), "{uri}");
    }
}

#[tokio::test]
async fn an_operation_given_no_answer_is_501_naming_it() {
    let fake = sekoia_client::fake::FakeApi::start().await;
    let error = fake
        .client()
        .get_rule(&Uuid::from_u128(1).to_string())
        .await
        .expect_err("no answer was set");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(501));
    let sekoia_client::Error::Status(status) = &error else {
        panic!("not a status error: {error}");
    };
    let body = status.body_text();
    assert!(body.contains("`get_rule`"), "{body}");
    assert!(
        body.contains("GET /sic/conf/rules-catalog/rules/{uuid}"),
        "{body}"
    );
}

#[tokio::test]
async fn a_request_no_operation_matches_is_404_saying_so() {
    let fake = sekoia_client::fake::FakeApi::start().await;
    let response = reqwest::get(format!("{}/nowhere", fake.uri()))
        .await
        .expect("the fake answers");
    assert_eq!(response.status(), 404);
    let body = response.text().await.expect("text");
    assert!(
        body.contains("no operation of this API is `GET /nowhere`"),
        "{body}"
    );
    assert!(fake.calls().is_empty());
}

#[tokio::test]
async fn a_typed_answer_is_what_the_client_returns() {
    let fake = sekoia_client::fake::FakeApi::start().await;
    let mut answer = rule(1);
    answer.description = Some("Detects a thing".to_owned());
    fake.get_rule().returns(answer.clone());

    let got = fake
        .client()
        .get_rule(&answer.uuid.to_string())
        .await
        .expect("answered");

    assert_eq!(got, answer);
}

#[tokio::test]
async fn an_error_status_with_the_declared_body_is_a_typed_error() {
    let fake = sekoia_client::fake::FakeApi::start().await;
    let mut declared = sekoia_client::types::ErrorBody::new("No such rule".to_owned());
    declared.code = Some("T404".to_owned());
    fake.get_rule().fails_with(404, &declared);

    let error = fake
        .client()
        .get_rule(&Uuid::from_u128(9).to_string())
        .await
        .expect_err("not found");

    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    let sekoia_client::Error::Status(status) = &error else {
        panic!("not a status error: {error}");
    };
    assert_eq!(
        status.declared::<sekoia_client::types::ErrorBody>(),
        Some(&declared)
    );
}

#[tokio::test]
async fn a_delay_holds_the_answer_and_a_deadline_cuts_it_short() {
    let fake = sekoia_client::fake::FakeApi::start().await;
    fake.get_rule()
        .delay(Duration::from_millis(300))
        .returns(rule(1));
    let id = Uuid::from_u128(1).to_string();

    let started = Instant::now();
    fake.client().get_rule(&id).await.expect("answered late");
    assert!(started.elapsed() >= Duration::from_millis(300));

    let impatient = fake
        .client_builder()
        .deadline(Duration::from_millis(100))
        .build()
        .expect("client");
    let error = impatient.get_rule(&id).await.expect_err("too slow");
    assert!(
        matches!(
            error,
            sekoia_client::Error::Deadline { .. } | sekoia_client::Error::Timeout { .. }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn calls_are_recorded_with_operation_method_path_query_and_body() {
    let fake = sekoia_client::fake::FakeApi::start().await;
    fake.list_rules()
        .returns(sekoia_client::types::RuleList::new(0, Vec::new()));
    fake.create_rule().returns(rule(2));
    let client = fake.client();

    let params = sekoia_client::operations::ListRulesParams {
        match_name: Some("powershell encoded".to_owned()),
        limit: Some(10),
        ..Default::default()
    };
    client.list_rules(&params).await.expect("listed");
    let create = sekoia_client::types::RuleCreate::new(
        "rule 2".to_owned(),
        "sigma".to_owned(),
        "A rule".to_owned(),
        "detection: {}".to_owned(),
        50,
        1,
        Uuid::from_u128(3),
        true,
    );
    client.create_rule(&create).await.expect("created");

    let calls = fake.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].operation, "list_rules");
    assert_eq!(calls[0].method, "GET");
    assert_eq!(calls[0].path, "/sic/conf/rules-catalog/rules");
    assert_eq!(
        calls[0].query_value("match[name]"),
        Some("powershell encoded")
    );
    assert_eq!(calls[0].query_value("limit"), Some("10"));
    assert_eq!(calls[0].header("authorization"), Some("Bearer fake-token"));
    assert_eq!(calls[1].operation, "create_rule");
    assert_eq!(calls[1].method, "POST");
    assert_eq!(calls[1].body.as_ref().expect("JSON")["name"], "rule 2");
    let sent: sekoia_client::types::RuleCreate = calls[1].body_as().expect("typed body");
    assert_eq!(sent, create);
    // The same, through the operation: its calls, and its bodies in the crate's own type.
    assert_eq!(fake.create_rule().calls(), [calls[1].clone()]);
    assert_eq!(fake.create_rule().bodies().expect("typed bodies"), [create]);
    assert_eq!(fake.list_rules().calls().len(), 1);
}

#[tokio::test]
async fn a_later_answer_wins_and_conditions_choose_among_answers() {
    let fake = sekoia_client::fake::FakeApi::start().await;
    fake.get_rule().fails(500);
    fake.get_rule().returns(rule(1));
    let special = Uuid::from_u128(2).to_string();
    fake.get_rule()
        .when_path_ends_with(special.clone())
        .returns(rule(2));
    let client = fake.client();

    let any = client.get_rule(&Uuid::from_u128(5).to_string()).await;
    assert_eq!(any.expect("the later answer").name, "rule 1");
    let chosen = client.get_rule(&special).await.expect("its own answer");
    assert_eq!(chosen.name, "rule 2");

    fake.server().reset();
    let error = client.get_rule(&special).await.expect_err("forgotten");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(501));
}

#[tokio::test]
async fn sekoia_offset_pages_are_answered_in_turn() {
    let fake = sekoia_client::fake::FakeApi::start().await;
    fake.list_rules().returns_in_turn([
        sekoia_client::types::RuleList::new(3, vec![rule(1), rule(2)]),
        sekoia_client::types::RuleList::new(3, vec![rule(3)]),
    ]);
    let params = sekoia_client::operations::ListRulesParams {
        limit: Some(2),
        ..Default::default()
    };

    let rules: Vec<_> = fake
        .client()
        .list_rules_stream(&params, None)
        .try_collect()
        .await
        .expect("every page");

    assert_eq!(rules, [rule(1), rule(2), rule(3)]);
    let offsets: Vec<_> = fake
        .calls()
        .iter()
        .map(|c| c.query_value("offset").map(str::to_owned))
        .collect();
    assert_eq!(offsets, [Some("0".to_owned()), Some("2".to_owned())]);
}

#[tokio::test]
async fn stamus_pages_follow_next_links_into_the_fake() {
    use stamus_client::types::{Rule, RuleList};
    let fake = stamus_client::fake::FakeApi::start().await;
    let page = |rules: Vec<Rule>, next: Option<&str>| RuleList {
        next: Some(next.map(|page| format!("{}/rest/rules/rule/?page={page}", fake.uri()))),
        ..RuleList::new(5, rules)
    };
    let rule = |sid: i64| Rule::new(sid, format!("rule {sid}"));
    fake.list_rules()
        .returns(page(vec![rule(1), rule(2)], Some("2")));
    fake.list_rules()
        .when_query("page", 2)
        .returns(page(vec![rule(3), rule(4)], Some("3")));
    fake.list_rules()
        .when_query("page", 3)
        .returns(page(vec![rule(5)], None));

    let sids: Vec<i64> = fake
        .client()
        .list_rules_stream(&Default::default(), None)
        .map_ok(|rule| rule.sid)
        .try_collect()
        .await
        .expect("every page");

    assert_eq!(sids, [1, 2, 3, 4, 5]);
    let pages: Vec<_> = fake
        .calls()
        .iter()
        .map(|c| c.query_value("page").map(str::to_owned))
        .collect();
    assert_eq!(pages, [None, Some("2".to_owned()), Some("3".to_owned())]);
}

fn sekoia_search() -> sekoia_client::types::EventSearchJobCreate {
    sekoia_client::types::EventSearchJobCreate::new(
        "user.name:alice".to_owned(),
        "-1h".to_owned(),
        "now".to_owned(),
    )
}

fn quick_polls() -> clientgen_runtime::jobs::JobOptions {
    clientgen_runtime::jobs::JobOptions {
        timeout: Duration::from_secs(10),
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(50),
    }
}

#[tokio::test]
async fn a_sekoia_search_job_answered_as_done_streams_its_typed_results() {
    use sekoia_client::types::{EventList, EventSearchJob, EventSearchJobStatus};
    let fake = sekoia_client::fake::FakeApi::start().await;
    let job = Uuid::from_u128(42);
    let with = |status| EventSearchJob {
        status: Some(status),
        ..EventSearchJob::new(job)
    };
    fake.create_event_search_job()
        .returns(with(EventSearchJobStatus::NotStarted));
    fake.get_event_search_job().returns_in_turn([
        with(EventSearchJobStatus::NotStarted),
        with(EventSearchJobStatus::InProgress),
        with(EventSearchJobStatus::Done),
    ]);
    let event = |n: i64| {
        let mut event = sekoia_client::types::Event::new();
        event.insert("n".to_owned(), n.into());
        event
    };
    fake.get_event_search_job_events()
        .returns(EventList::new(2, vec![event(1), event(2)]));

    let events: Vec<_> = fake
        .client()
        .search_events(&sekoia_search(), &Default::default(), None, quick_polls())
        .await
        .expect("the job is done")
        .try_collect()
        .await
        .expect("its events");

    assert_eq!(events, [event(1), event(2)]);
    let polls = fake.server().calls_to("get_event_search_job");
    assert_eq!(polls.len(), 3);
    assert!(polls.iter().all(|c| c.path.ends_with(&job.to_string())));
}

#[tokio::test]
async fn a_sekoia_search_job_answered_as_failed_is_a_job_error() {
    use sekoia_client::types::{EventSearchJob, EventSearchJobStatus};
    let fake = sekoia_client::fake::FakeApi::start().await;
    let job = EventSearchJob::new(Uuid::from_u128(43));
    fake.create_event_search_job().returns(job.clone());
    fake.get_event_search_job().returns(EventSearchJob {
        status: Some(EventSearchJobStatus::Failed),
        ..job
    });

    let client = fake.client();
    let outcome = client
        .search_events(&sekoia_search(), &Default::default(), None, quick_polls())
        .await;

    let Err(error) = outcome else {
        panic!("a failed job gave results");
    };
    assert!(
        matches!(error, sekoia_client::Error::Job { .. }),
        "{error:?}"
    );
    assert!(fake
        .server()
        .calls_to("get_event_search_job_events")
        .is_empty());
}

#[tokio::test]
async fn security_onion_client_credentials_are_exchanged_once_at_the_fakes_token_endpoint() {
    let fake = security_onion_client::fake::FakeApi::start().await;
    fake.list_grid_nodes().returns(Vec::new());
    let client = fake.client();

    client
        .list_grid_nodes(&Default::default())
        .await
        .expect("first");
    client
        .list_grid_nodes(&Default::default())
        .await
        .expect("second");

    let calls = fake.calls();
    let operations: Vec<&str> = calls.iter().map(|c| c.operation).collect();
    assert_eq!(
        operations,
        ["create_access_token", "list_grid_nodes", "list_grid_nodes"]
    );
    let token = &calls[0];
    assert_eq!(token.path, "/oauth2/token");
    // fake-client-id:fake-client-secret
    assert_eq!(
        token.header("authorization"),
        Some("Basic ZmFrZS1jbGllbnQtaWQ6ZmFrZS1jbGllbnQtc2VjcmV0")
    );
    assert!(String::from_utf8_lossy(&token.raw_body).contains("grant_type=client_credentials"));
    assert_eq!(
        calls[1].header("authorization"),
        Some("Bearer fake-access-token")
    );
}

#[tokio::test]
async fn a_token_endpoint_told_to_refuse_fails_the_call_as_an_auth_error() {
    let fake = security_onion_client::fake::FakeApi::start().await;
    fake.create_access_token().fails(401);
    fake.list_grid_nodes().returns(Vec::new());

    let error = fake
        .client()
        .list_grid_nodes(&Default::default())
        .await
        .expect_err("no token");

    assert!(
        matches!(error, security_onion_client::Error::Auth { .. }),
        "{error:?}"
    );
    assert!(fake.server().calls_to("list_grid_nodes").is_empty());
}

#[tokio::test]
async fn stellar_cyber_api_keys_are_exchanged_for_a_token_at_the_fake() {
    use stellar_cyber_client::types::{Tenant, TenantListResponse};
    let fake = stellar_cyber_client::fake::FakeApi::start().await;
    let tenant = Tenant {
        cust_id: Some("t-1".to_owned()),
        ..Default::default()
    };
    fake.list_tenants()
        .returns(TenantListResponse::new(vec![tenant.clone()]));

    let tenants = fake
        .client()
        .list_tenants(&Default::default())
        .await
        .expect("tenants");
    assert_eq!(tenants.data, [tenant]);

    let calls = fake.calls();
    assert_eq!(calls[0].operation, "get_access_token");
    assert_eq!(calls[0].path, "/connect/api/v1/access_token");
    // fake-user:fake-api-key
    assert_eq!(
        calls[0].header("authorization"),
        Some("Basic ZmFrZS11c2VyOmZha2UtYXBpLWtleQ==")
    );
    assert_eq!(calls[1].operation, "list_tenants");
    assert_eq!(
        calls[1].header("authorization"),
        Some("Bearer fake-access-token")
    );

    // The scoped key (sent as a bearer token to the same endpoint) works as well.
    let scoped = stellar_cyber_client::Client::builder()
        .base_url(fake.uri())
        .scoped_api_key_exchange("fake-scoped-key")
        .build()
        .expect("client");
    scoped
        .list_tenants(&Default::default())
        .await
        .expect("tenants");
}

#[tokio::test]
async fn a_kibana_space_prefix_reaches_the_same_operations() {
    let fake = elastic_security_client::fake::FakeApi::start().await;
    fake.read_rule().fails(409);
    let client = fake
        .client_builder()
        .space_id("blue")
        .build()
        .expect("client");

    let error = client
        .read_rule(&Default::default())
        .await
        .expect_err("conflict");

    assert_eq!(error.status().map(|s| s.as_u16()), Some(409));
    let calls = fake.server().calls_to("read_rule");
    assert_eq!(calls[0].path, "/s/blue/api/detection_engine/rules");
}

#[tokio::test]
async fn several_success_responses_text_bytes_and_ndjson_are_answered_as_declared() {
    use conformance_client::operations::CreateRecordResponse;
    use conformance_client::types::{Record, Reference};
    let fake = conformance_client::fake::FakeApi::start().await;
    let client = fake.client();
    let record = Record::new(Uuid::from_u128(1), "one".to_owned());

    fake.create_record()
        .returns(CreateRecordResponse::Accepted(Reference::new(
            "r/1".to_owned(),
        )));
    let created = client.create_record(&record).await.expect("accepted");
    assert_eq!(
        created,
        CreateRecordResponse::Accepted(Reference::new("r/1".to_owned()))
    );

    fake.post_note().returns("noted".to_owned());
    assert_eq!(client.post_note(Some("x")).await.expect("text"), "noted");

    fake.get_blob()
        .returns(clientgen_runtime::Bytes::from_static(b"\x00\x01blob"));
    let blob = client.get_blob("b").await.expect("stream");
    assert_eq!(&blob.bytes().await.expect("bytes")[..], b"\x00\x01blob");

    let references = vec![
        Reference::new("a".to_owned()),
        Reference::new("b".to_owned()),
    ];
    fake.bulk_import().returns(references.clone());
    let imported = client
        .bulk_import(&[record])
        .await
        .expect("stream")
        .into_vec()
        .await
        .expect("lines");
    assert_eq!(imported, references);
}
