//! This crate's own code tested against the fakes of the clients it uses, as a user would:
//! no server of one's own, no JSON written by hand, answers in the clients' own types.

use downstream_example::{count_events_by, rule_names, unhealthy_nodes};
use security_onion_client::fake::FakeApi as SecurityOnion;
use security_onion_client::types::Node;
use sekoia_client::fake::FakeApi as Sekoia;
use sekoia_client::types::{
    EventList, EventSearchJob, EventSearchJobCreate, EventSearchJobStatus, Rule, RuleList,
};

fn node(id: &str, status: &str) -> Node {
    Node {
        id: Some(id.to_owned()),
        status: Some(status.to_owned()),
        ..Default::default()
    }
}

#[tokio::test]
async fn unhealthy_nodes_are_the_nodes_whose_status_is_not_ok() {
    let fake = SecurityOnion::start().await;
    fake.list_grid_nodes().returns(vec![
        node("manager", "ok"),
        node("sensor-1", "fault"),
        node("sensor-2", "ok"),
        node("search-1", "pending"),
    ]);

    let unhealthy = unhealthy_nodes(&fake.client()).await.expect("nodes");

    assert_eq!(unhealthy, ["sensor-1", "search-1"]);
    // The client exchanged its credentials at the fake's token endpoint first.
    let operations: Vec<&str> = fake.calls().iter().map(|c| c.operation).collect();
    assert_eq!(operations, ["create_access_token", "list_grid_nodes"]);
}

#[tokio::test]
async fn a_refusal_of_the_api_reaches_the_caller_as_its_status() {
    let fake = SecurityOnion::start().await;
    fake.list_grid_nodes().fails(403);

    let error = unhealthy_nodes(&fake.client()).await.expect_err("refused");

    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
}

#[tokio::test]
async fn events_are_counted_once_the_search_job_is_done() {
    let fake = Sekoia::start().await;
    let job = uuid::Uuid::from_u128(7);
    fake.create_event_search_job()
        .returns(EventSearchJob::new(job));
    let status = |status| EventSearchJob {
        status: Some(status),
        ..EventSearchJob::new(job)
    };
    fake.get_event_search_job().returns_in_turn([
        status(EventSearchJobStatus::InProgress),
        status(EventSearchJobStatus::Done),
    ]);
    let event = |host: &str| {
        let mut event = sekoia_client::types::Event::new();
        event.insert("host.name".to_owned(), host.into());
        event
    };
    fake.get_event_search_job_events()
        .when_query("offset", 0)
        .returns(EventList::new(3, vec![event("web-1"), event("db-1")]));
    fake.get_event_search_job_events()
        .when_query("offset", 2)
        .returns(EventList::new(3, vec![event("web-1")]));

    let counts = count_events_by(&fake.client(), "event.category:network", "host.name")
        .await
        .expect("search");

    assert_eq!(counts.get("web-1"), Some(&2));
    assert_eq!(counts.get("db-1"), Some(&1));
    let searches: Vec<EventSearchJobCreate> = fake
        .create_event_search_job()
        .bodies()
        .expect("the search sent");
    assert_eq!(searches[0].term, "event.category:network");
    assert_eq!(fake.get_event_search_job().calls().len(), 2);
    let job_path = format!("/sic/conf/events/search/jobs/{job}/events");
    assert!(fake
        .server()
        .calls_to("get_event_search_job_events")
        .iter()
        .all(|call| call.path == job_path));
}

#[tokio::test]
async fn rule_names_come_from_every_page() {
    let fake = Sekoia::start().await;
    let rule = |n: u128| Rule::new(uuid::Uuid::from_u128(n), format!("rule {n}"));
    fake.list_rules().returns_in_turn([
        RuleList::new(5, vec![rule(1), rule(2)]),
        RuleList::new(5, vec![rule(3), rule(4)]),
        RuleList::new(5, vec![rule(5)]),
    ]);

    let names = rule_names(&fake.client(), "rule", 2).await.expect("rules");

    assert_eq!(names, ["rule 1", "rule 2", "rule 3", "rule 4", "rule 5"]);
    let offsets: Vec<String> = fake
        .calls()
        .iter()
        .map(|call| call.query_value("offset").unwrap_or("").to_owned())
        .collect();
    assert_eq!(offsets, ["0", "2", "4"]);
    assert!(fake
        .calls()
        .iter()
        .all(|call| call.query_value("match[name]") == Some("rule")));
}
