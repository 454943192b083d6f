//! What generated methods return (`Call`) and how it reads answers, against a real HTTP server
//! on 127.0.0.1 (wiremock).

use clientgen_runtime::futures::StreamExt as _;
use clientgen_runtime::reqwest::Method;
use clientgen_runtime::{Call, Error, Response, StatusError, Transport};
use serde::Deserialize;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Deserialize, PartialEq)]
struct Problem {
    message: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Outage {
    retry: bool,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Rule {
    id: String,
}

async fn answering(status: u16, body: &str) -> (MockServer, Transport) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/rules/r1"))
        .respond_with(ResponseTemplate::new(status).set_body_string(body))
        .mount(&server)
        .await;
    let transport = Transport::builder(server.uri())
        .build()
        .expect("valid configuration");
    (server, transport)
}

/// A call as a generated method builds it: a 404 with a `Problem`, 5xx with an `Outage`,
/// and `Problem` for any other status.
fn get_rule(transport: &Transport) -> Call<'_, Rule> {
    transport
        .request(Method::GET, "get_rule", "/rules/{id}")
        .path_param("id", "r1")
        .declared_error::<Problem>(404..=404)
        .declared_error::<Outage>(500..=599)
        .declared_error_otherwise::<Problem>()
        .receive_json()
}

fn status_error(error: Error) -> StatusError {
    match error {
        Error::Status(status) => *status,
        other => panic!("not a status error: {other}"),
    }
}

#[tokio::test]
async fn a_success_is_decoded_as_the_declared_type() {
    let (_server, transport) = answering(200, r#"{"id":"r1"}"#).await;
    let rule = get_rule(&transport).await.expect("a rule");
    assert_eq!(rule, Rule { id: "r1".into() });
}

#[tokio::test]
async fn each_status_is_read_as_the_first_range_holding_it() {
    for (status, body, problem, outage) in [
        (404, r#"{"message":"no rule"}"#, Some("no rule"), None),
        (503, r#"{"retry":true}"#, None, Some(true)),
        (409, r#"{"message":"taken"}"#, Some("taken"), None),
    ] {
        let (_server, transport) = answering(status, body).await;
        let error = status_error(get_rule(&transport).await.expect_err("an error"));
        assert_eq!(error.status.as_u16(), status);
        assert_eq!(
            error.declared::<Problem>().map(|p| p.message.as_str()),
            problem,
            "{status}"
        );
        assert_eq!(
            error.declared::<Outage>().map(|o| o.retry),
            outage,
            "{status}"
        );
        assert_eq!(error.body_text(), body, "the raw body is kept");
    }
}

#[tokio::test]
async fn a_body_that_does_not_match_its_declaration_is_kept_raw() {
    let (_server, transport) = answering(404, "<html>not found</html>").await;
    let error = status_error(get_rule(&transport).await.expect_err("an error"));
    assert!(error.declared::<Problem>().is_none());
    assert_eq!(error.body_text(), "<html>not found</html>");
}

#[tokio::test]
async fn statuses_nothing_declares_stay_untyped() {
    let (_server, transport) = answering(403, r#"{"message":"forbidden"}"#).await;
    let call = transport
        .request(Method::GET, "get_rule", "/rules/r1")
        .declared_error::<Problem>(404..=404)
        .receive_json::<Rule>();
    let error = status_error(call.await.expect_err("an error"));
    assert_eq!(error.status.as_u16(), 403);
    assert!(error.declared::<Problem>().is_none());
}

#[tokio::test]
async fn a_reader_chooses_which_statuses_are_answers() {
    #[derive(Debug, PartialEq)]
    enum Answer {
        Created(Rule),
        Accepted,
    }
    fn read(response: &Response) -> Option<Result<Answer, Error>> {
        match response.status().as_u16() {
            201 => Some(response.json().map(Answer::Created)),
            202 => Some(Ok(Answer::Accepted)),
            _ => None,
        }
    }
    for (status, answer) in [
        (201, Some(Answer::Created(Rule { id: "r1".into() }))),
        (202, Some(Answer::Accepted)),
        (200, None),
    ] {
        let (_server, transport) = answering(status, r#"{"id":"r1"}"#).await;
        let result = transport
            .request(Method::GET, "get_rule", "/rules/r1")
            .receive(read)
            .await;
        match answer {
            Some(answer) => assert_eq!(result.expect("an answer"), answer),
            // A 2xx the operation does not declare is an error, not a guess.
            None => assert_eq!(
                status_error(result.expect_err("an error")).status.as_u16(),
                status
            ),
        }
    }
}

#[tokio::test]
async fn text_empty_and_ndjson_answers() {
    let (_server, transport) = answering(200, "{\"id\":\"a\"}\n\n{\"id\":\"b\"}\n").await;
    let request = || transport.request(Method::GET, "get_rule", "/rules/r1");
    assert_eq!(
        request().receive_text().await.expect("text"),
        "{\"id\":\"a\"}\n\n{\"id\":\"b\"}\n"
    );
    request().receive_empty().await.expect("nothing to read");
    let rules: Vec<Rule> = request()
        .receive(|response| response.status().is_success().then(|| response.ndjson()))
        .await
        .expect("lines");
    assert_eq!(rules, [Rule { id: "a".into() }, Rule { id: "b".into() }]);
    let streamed: Vec<Rule> = request()
        .receive_ndjson_stream::<Rule>()
        .await
        .expect("a stream")
        .map(|item| item.expect("an item"))
        .collect()
        .await;
    assert_eq!(streamed, rules);
}

#[tokio::test]
async fn a_failed_stream_is_an_error_as_declared() {
    let (_server, transport) = answering(404, r#"{"message":"gone"}"#).await;
    let error = transport
        .request(Method::GET, "get_rule", "/rules/r1")
        .declared_error::<Problem>(400..=499)
        .receive_stream()
        .await
        .expect_err("an error");
    let error = status_error(error);
    assert_eq!(
        error.declared::<Problem>().map(|p| p.message.as_str()),
        Some("gone")
    );
}

#[tokio::test]
async fn nothing_is_sent_until_the_call_is_awaited() {
    let (server, transport) = answering(200, r#"{"id":"r1"}"#).await;
    let call = get_rule(&transport);
    tokio::task::yield_now().await;
    assert!(server
        .received_requests()
        .await
        .expect("recorded")
        .is_empty());
    drop(call);
    assert!(server
        .received_requests()
        .await
        .expect("recorded")
        .is_empty());
}

/// Calls can be spawned and joined like any future: they are `Send` and `Unpin`, and borrow
/// only the transport.
#[tokio::test]
async fn calls_are_send_and_unpin_and_borrow_only_the_transport() {
    fn assert_send_unpin<F: std::future::Future + Send + Unpin>(future: F) -> F {
        future
    }
    let (_server, transport) = answering(200, r#"{"id":"r1"}"#).await;
    let transport = std::sync::Arc::new(transport);
    let calls = (0..4).map(|_| {
        let transport = transport.clone();
        tokio::spawn(async move {
            let id = String::from("r1");
            let call = transport
                .request(Method::GET, "get_rule", "/rules/{id}")
                .path_param("id", id.as_str());
            drop(id);
            assert_send_unpin(call.receive_json::<Rule>()).await
        })
    });
    for call in calls {
        assert_eq!(call.await.expect("joined").expect("a rule").id, "r1");
    }
}
