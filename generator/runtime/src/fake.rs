//! A fake of an API for downstream tests, served by [`wiremock`] on 127.0.0.1 (feature `fake`).
//!
//! Each generated crate's `fake` module (its `FakeApi`) is a thin typed surface over
//! [`FakeServer`]: it lists the API's routes (operation id, method, path template) and, per
//! operation, a method returning [`Answers`] typed with that operation's success value. This
//! module owns everything else, tested once:
//!
//! - **routing**: one wiremock [`Mock`] per operation, matching its method and path template
//!   (a placeholder matches one non-empty path segment, or part of one); a template with fewer
//!   placeholders wins over one with more (`/cases/search` over `/cases/{id}`), and an optional
//!   per-client path prefix (Kibana's `/s/{space}`) is accepted in front of every route;
//! - **answers**: per operation, rules set through [`Answers`], newest first: the first whose
//!   condition holds answers, with its replies in turn (the last one repeating) after its
//!   delay. An operation without a rule answers `501 Not Implemented` naming it; a request no
//!   operation matches answers `404` saying so. Nothing here panics on a request;
//! - **token endpoints**: the endpoint a client exchanges credentials at (OAuth2 client
//!   credentials, API key → JWT) answers a token of an hour unless told otherwise, so a client
//!   built by the fake authenticates as it would against the real API;
//! - **calls**: every request that matched an operation is recorded as a [`Call`] (operation
//!   id, method, path, query pairs, headers, body), in arrival order, token requests included.
//!
//! It does not check credentials, validate requests against the spec (the contract tests
//! against Prism do that), or serve a token endpoint given as an absolute URL.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use serde::Serialize;
use wiremock::{Match, Mock, MockServer, Request, Respond, ResponseTemplate};

/// The token every fake token endpoint hands out unless told otherwise.
pub const FAKE_ACCESS_TOKEN: &str = "fake-access-token";

/// The operation id calls to a token endpoint that is not an operation of the spec are
/// recorded under.
pub const TOKEN_ENDPOINT: &str = "token_endpoint";

/// One operation of the API: what a request must look like to be routed to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// The operation id (`list_cases`), as [`Call::operation`] and error messages name it.
    pub operation: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template relative to the base URL, placeholders in braces (`/cases/{id}`).
    pub path: &'static str,
}

impl Route {
    /// A route.
    pub const fn new(operation: &'static str, method: &'static str, path: &'static str) -> Self {
        Route {
            operation,
            method,
            path,
        }
    }
}

/// An endpoint where the client exchanges credentials for a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenEndpoint {
    /// Its path (relative to the base URL; a leading `/` is added when missing).
    pub path: &'static str,
    /// The response member holding the token.
    pub token_field: &'static str,
}

impl TokenEndpoint {
    /// A token endpoint.
    pub const fn new(path: &'static str, token_field: &'static str) -> Self {
        TokenEndpoint { path, token_field }
    }

    /// The answer it gives: the token, `token_type`, and a lifetime of an hour both as
    /// `expires_in` and as `exp` (Unix seconds), so either way of reading expiry works.
    pub fn reply(&self) -> Reply {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let mut body = serde_json::Map::new();
        body.insert("token_type".into(), "bearer".into());
        body.insert("expires_in".into(), 3600.into());
        body.insert("exp".into(), (now + 3600).into());
        body.insert(self.token_field.into(), FAKE_ACCESS_TOKEN.into());
        Reply::json(200, &body)
    }
}

/// One answer: a status, a content type and a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Reply {
    /// `value` as JSON. A value that cannot be serialized gives a `500` saying why.
    pub fn json<T: Serialize + ?Sized>(status: u16, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Reply::raw(status, "application/json", body),
            Err(e) => Reply::text(500, &format!("fake: the answer is not valid JSON: {e}")),
        }
    }

    /// Newline-delimited JSON, one line per item.
    pub fn ndjson<T: Serialize>(status: u16, items: &[T]) -> Self {
        let mut body = Vec::new();
        for item in items {
            match serde_json::to_vec(item) {
                Ok(line) => body.extend(line),
                Err(e) => {
                    return Reply::text(500, &format!("fake: an item is not valid JSON: {e}"))
                }
            }
            body.push(b'\n');
        }
        Reply::raw(status, "application/x-ndjson", body)
    }

    /// Plain text.
    pub fn text(status: u16, text: &str) -> Self {
        Reply::raw(
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
        )
    }

    /// Raw bytes (`application/octet-stream`).
    pub fn bytes(status: u16, bytes: &[u8]) -> Self {
        Reply::raw(status, "application/octet-stream", bytes.to_vec())
    }

    /// No body.
    pub fn empty(status: u16) -> Self {
        Reply::raw(status, "", Vec::new())
    }

    fn raw(status: u16, content_type: &'static str, body: Vec<u8>) -> Self {
        Reply {
            status,
            content_type,
            body,
        }
    }

    /// The status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    fn template(&self) -> ResponseTemplate {
        // ResponseTemplate::new panics on a status outside 100..=999; a test's typo must not.
        if http::StatusCode::from_u16(self.status).is_err() {
            return ResponseTemplate::new(500).set_body_raw(
                format!("fake: {} is not an HTTP status", self.status),
                "text/plain; charset=utf-8",
            );
        }
        let template = ResponseTemplate::new(self.status);
        if self.content_type.is_empty() {
            template
        } else {
            template.set_body_raw(self.body.clone(), self.content_type)
        }
    }
}

/// One request the fake received for an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The operation id it was routed to.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: String,
    /// The path as sent (percent-encoded), without the query.
    pub path: String,
    /// The query pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The headers, names in lower case, in order.
    pub headers: Vec<(String, String)>,
    /// The body, when it is JSON.
    pub body: Option<serde_json::Value>,
    /// The body as sent.
    pub raw_body: Vec<u8>,
}

impl Call {
    fn from_request(operation: &'static str, request: &Request) -> Self {
        Call {
            operation,
            method: request.method.to_string(),
            path: request.url.path().to_owned(),
            query: request
                .url
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            headers: request
                .headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: serde_json::from_slice(&request.body).ok(),
            raw_body: request.body.clone(),
        }
    }

    /// The first value of the query parameter `name`.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of the query parameter `name`, in order.
    pub fn query_values(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The first value of the header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The JSON body decoded as `T` (the operation's request body type, typically).
    pub fn body_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.raw_body)
    }
}

type Condition = Arc<dyn Fn(&Call) -> bool + Send + Sync>;

struct Rule {
    when: Vec<Condition>,
    replies: Vec<Reply>,
    next: usize,
    delay: Option<Duration>,
}

#[derive(Default)]
struct State {
    /// Per operation, newest rule last.
    rules: HashMap<&'static str, Vec<Rule>>,
    /// Answers used when no rule applies (token endpoints).
    defaults: HashMap<&'static str, TokenEndpoint>,
    calls: Vec<Call>,
}

type Shared = Arc<Mutex<State>>;

/// A lock that a panicking test thread cannot poison for the others.
fn lock(state: &Shared) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The fake server: a wiremock [`MockServer`] on 127.0.0.1 with one route per operation.
pub struct FakeServer {
    server: MockServer,
    routes: &'static [Route],
    state: Shared,
}

impl fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeServer")
            .field("uri", &self.server.uri())
            .field("routes", &self.routes.len())
            .finish_non_exhaustive()
    }
}

impl FakeServer {
    /// Starts a server on a free port of 127.0.0.1 serving `routes` (each optionally behind a
    /// path prefix matching `prefix`, a template such as `/s/{space}`) and the token
    /// endpoints `tokens`.
    ///
    /// # Panics
    ///
    /// When no port of 127.0.0.1 can be bound.
    pub async fn start(
        routes: &'static [Route],
        prefix: Option<&'static str>,
        tokens: &'static [TokenEndpoint],
    ) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("the fake API could not bind a port on 127.0.0.1");
        let server = MockServer::builder()
            .listener(listener)
            .disable_request_recording()
            .start()
            .await;
        let state: Shared = Arc::default();
        let mut all: Vec<Route> = routes.to_vec();
        for token in tokens {
            let served = all
                .iter()
                .find(|r| r.method == "POST" && template_matches(r.path, token.path));
            let operation = match served {
                Some(route) => route.operation,
                None => {
                    all.push(Route::new(TOKEN_ENDPOINT, "POST", token.path));
                    TOKEN_ENDPOINT
                }
            };
            lock(&state).defaults.insert(operation, *token);
        }
        for route in all {
            let placeholders = route.path.matches('{').count();
            let priority = u8::try_from(placeholders + 1).unwrap_or(200).min(200);
            Mock::given(RouteMatcher { route, prefix })
                .respond_with(OperationResponder {
                    route,
                    state: state.clone(),
                })
                .with_priority(priority)
                .named(route.operation)
                .mount(&server)
                .await;
        }
        Mock::given(wiremock::matchers::any())
            .respond_with(|request: &Request| {
                ResponseTemplate::new(404).set_body_raw(
                    format!(
                        "fake: no operation of this API is `{} {}`",
                        request.method,
                        request.url.path()
                    ),
                    "text/plain; charset=utf-8",
                )
            })
            .with_priority(u8::MAX)
            .mount(&server)
            .await;
        FakeServer {
            server,
            routes,
            state,
        }
    }

    /// The base URL to give a client (`http://127.0.0.1:<port>`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The wiremock server underneath, to mount mocks of one's own for requests no operation
    /// of the spec describes (the fake's routes are mounted first, with priorities from 1,
    /// and answer everything they match).
    pub fn mock_server(&self) -> &MockServer {
        &self.server
    }

    /// The routes it serves, in the spec's order.
    pub fn routes(&self) -> &'static [Route] {
        self.routes
    }

    /// Every call received so far, in arrival order.
    pub fn calls(&self) -> Vec<Call> {
        lock(&self.state).calls.clone()
    }

    /// The calls routed to `operation`, in arrival order.
    pub fn calls_to(&self, operation: &str) -> Vec<Call> {
        lock(&self.state)
            .calls
            .iter()
            .filter(|c| c.operation == operation)
            .cloned()
            .collect()
    }

    /// Forgets every answer set and every call recorded (token endpoints keep answering).
    pub fn reset(&self) {
        let mut state = lock(&self.state);
        state.rules.clear();
        state.calls.clear();
    }

    /// Starts a rule for `operation`, whose success values `encode` turns into replies and
    /// whose JSON request bodies are `B`s. Generated `FakeApi` methods call this with the
    /// operation's own types and status.
    pub fn answers<T, B>(
        &self,
        operation: &'static str,
        encode: fn(&T) -> Reply,
    ) -> Answers<'_, T, B> {
        Answers {
            server: self,
            operation,
            encode,
            when: Vec::new(),
            delay: None,
            body: PhantomData,
        }
    }

    fn push(&self, operation: &'static str, rule: Rule) {
        lock(&self.state)
            .rules
            .entry(operation)
            .or_default()
            .push(rule);
    }
}

/// How one operation answers: set conditions and a delay, then what it returns; or read
/// back the calls it received ([`calls`](Self::calls), [`bodies`](Self::bodies)).
///
/// `T` is the operation's success value, `B` its JSON request body (`()` when it has none).
/// Nothing is set until one of [`returns`](Self::returns),
/// [`returns_in_turn`](Self::returns_in_turn), [`fails`](Self::fails),
/// [`fails_with`](Self::fails_with) or [`replies`](Self::replies) is called. A later rule for
/// the same operation takes precedence over an earlier one whenever its conditions hold.
#[must_use = "nothing is answered until `returns`, `returns_in_turn`, `fails` or `fails_with` is called"]
pub struct Answers<'a, T, B = ()> {
    server: &'a FakeServer,
    operation: &'static str,
    encode: fn(&T) -> Reply,
    when: Vec<Condition>,
    delay: Option<Duration>,
    body: PhantomData<fn() -> B>,
}

impl<T, B> fmt::Debug for Answers<'_, T, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Answers")
            .field("operation", &self.operation)
            .field("conditions", &self.when.len())
            .field("delay", &self.delay)
            .finish()
    }
}

impl<T, B: DeserializeOwned> Answers<'_, T, B> {
    /// The JSON bodies of the calls received so far, decoded as the operation's body type.
    pub fn bodies(&self) -> Result<Vec<B>, serde_json::Error> {
        self.calls().iter().map(Call::body_as).collect()
    }
}

impl<T, B> Answers<'_, T, B> {
    /// The calls received for this operation so far, in arrival order.
    pub fn calls(&self) -> Vec<Call> {
        self.server.calls_to(self.operation)
    }

    /// Applies only to calls for which `condition` holds (all conditions, when several).
    pub fn when(mut self, condition: impl Fn(&Call) -> bool + Send + Sync + 'static) -> Self {
        self.when.push(Arc::new(condition));
        self
    }

    /// Applies only to calls whose query parameter `name` has the value `value`.
    pub fn when_query(self, name: impl Into<String>, value: impl ToString) -> Self {
        let (name, value) = (name.into(), value.to_string());
        self.when(move |call| call.query_value(&name) == Some(value.as_str()))
    }

    /// Applies only to calls whose path ends with `suffix` (a path parameter's value, for
    /// instance, percent-encoded as sent).
    pub fn when_path_ends_with(self, suffix: impl Into<String>) -> Self {
        let suffix = suffix.into();
        self.when(move |call| call.path.ends_with(&suffix))
    }

    /// Waits this long before answering.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Answers `value` with the operation's success status.
    pub fn returns(self, value: T) {
        let reply = (self.encode)(&value);
        self.replies([reply]);
    }

    /// Answers each value in turn, one per call, then the last one again (pages of a list,
    /// the statuses of a job). Nothing is set when `values` is empty.
    ///
    /// A `*_stream` method stops at an empty page, at the total the pages give, or at a page
    /// saying there are no more; a last page saying none of these is fetched again and ends
    /// the stream with `Error::Pagination`. To tie a page to its request instead of to the
    /// order of calls, answer each with [`when_query`](Self::when_query).
    pub fn returns_in_turn(self, values: impl IntoIterator<Item = T>) {
        let encode = self.encode;
        let replies: Vec<Reply> = values.into_iter().map(|v| encode(&v)).collect();
        self.replies(replies);
    }

    /// Answers the error status `status` without a body.
    pub fn fails(self, status: u16) {
        self.replies([Reply::empty(status)]);
    }

    /// Answers the error status `status` with `body` as JSON (the error type the spec declares
    /// for that status, typically, so the client decodes it into `StatusError::declared`).
    pub fn fails_with<E: Serialize + ?Sized>(self, status: u16, body: &E) {
        self.replies([Reply::json(status, body)]);
    }

    /// Answers these replies in turn, then the last one again: any status, any body.
    pub fn replies(self, replies: impl IntoIterator<Item = Reply>) {
        let replies: Vec<Reply> = replies.into_iter().collect();
        if replies.is_empty() {
            return;
        }
        self.server.push(
            self.operation,
            Rule {
                when: self.when,
                replies,
                next: 0,
                delay: self.delay,
            },
        );
    }
}

/// Matches the requests of one route.
struct RouteMatcher {
    route: Route,
    prefix: Option<&'static str>,
}

impl Match for RouteMatcher {
    fn matches(&self, request: &Request) -> bool {
        if !request
            .method
            .as_str()
            .eq_ignore_ascii_case(self.route.method)
        {
            return false;
        }
        let path = request.url.path();
        template_matches(self.route.path, path)
            || self
                .prefix
                .and_then(|prefix| strip_template(prefix, path))
                .is_some_and(|rest| template_matches(self.route.path, rest))
    }
}

/// Whether `path` fits `template`, segment by segment.
fn template_matches(template: &str, path: &str) -> bool {
    let wanted: Vec<&str> = template.trim_start_matches('/').split('/').collect();
    let got: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    wanted.len() == got.len() && wanted.iter().zip(&got).all(|(w, g)| segment_matches(w, g))
}

/// `path` without a leading part fitting `template`, or `None`.
fn strip_template<'p>(template: &str, path: &'p str) -> Option<&'p str> {
    let count = template.trim_start_matches('/').split('/').count();
    let trimmed = path.trim_start_matches('/');
    let mut cut: usize = 0;
    for (index, segment) in trimmed.split('/').enumerate() {
        if index == count {
            let head = &trimmed[..cut.saturating_sub(1)];
            return template_matches(template, head).then(|| &trimmed[cut - 1..]);
        }
        cut += segment.len() + 1;
    }
    None
}

/// Whether one path segment fits one template segment: literal text equal, each `{name}`
/// standing for at least one character.
fn segment_matches(template: &str, segment: &str) -> bool {
    match template.find('{') {
        None => template == segment,
        Some(open) => {
            let Some(close) = template[open..].find('}').map(|c| open + c) else {
                return template == segment;
            };
            let (literal, rest) = (&template[..open], &template[close + 1..]);
            let Some(tail) = segment.strip_prefix(literal) else {
                return false;
            };
            // The placeholder takes 1..=n characters; the rest must fit what follows.
            tail.char_indices()
                .skip(1)
                .map(|(i, _)| i)
                .chain([tail.len()])
                .filter(|&end| end > 0)
                .any(|end| segment_matches(rest, &tail[end..]))
        }
    }
}

/// Answers the requests of one route from the shared rules.
struct OperationResponder {
    route: Route,
    state: Shared,
}

impl Respond for OperationResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let call = Call::from_request(self.route.operation, request);
        let mut state = lock(&self.state);
        let rule = state.rules.get_mut(self.route.operation).and_then(|rules| {
            rules
                .iter_mut()
                .rev()
                .find(|r| r.when.iter().all(|c| c(&call)))
        });
        let (reply, delay) = match rule {
            Some(rule) => {
                let reply = rule.replies[rule.next.min(rule.replies.len() - 1)].clone();
                rule.next = rule.next.saturating_add(1);
                (reply, rule.delay)
            }
            None => match state.defaults.get(self.route.operation) {
                Some(token) => (token.reply(), None),
                None => (
                    Reply::text(
                        501,
                        &format!(
                            "fake: no answer is set for operation `{}` ({} {}); set one with the fake's `{}` method",
                            self.route.operation, self.route.method, self.route.path, self.route.operation
                        ),
                    ),
                    None,
                ),
            },
        };
        state.calls.push(call);
        let template = reply.template();
        match delay {
            Some(delay) => template.set_delay(delay),
            None => template,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_placeholder_matches_one_non_empty_segment_or_part_of_one() {
        assert!(template_matches("/cases/{id}", "/cases/abc"));
        assert!(!template_matches("/cases/{id}", "/cases/"));
        assert!(!template_matches("/cases/{id}", "/cases/a/b"));
        assert!(template_matches("/files/{name}.json", "/files/x.json"));
        assert!(!template_matches("/files/{name}.json", "/files/.json"));
        assert!(template_matches(
            "/jobs/{id}:cancel",
            "/jobs/node%3A443:cancel"
        ));
        assert!(template_matches("/a/{x}-{y}", "/a/1-2"));
        assert!(!template_matches("/a/{x}-{y}", "/a/12"));
    }

    #[test]
    fn a_relative_template_matches_as_if_rooted() {
        assert!(template_matches(
            "connect/api/v1/access_token",
            "/connect/api/v1/access_token"
        ));
    }

    #[test]
    fn a_prefix_is_stripped_only_when_it_fits() {
        assert_eq!(
            strip_template("/s/{space}", "/s/blue/api/cases"),
            Some("/api/cases")
        );
        assert_eq!(strip_template("/s/{space}", "/api/cases/x"), None);
        assert_eq!(strip_template("/s/{space}", "/s/blue"), None);
    }

    #[test]
    fn a_status_that_is_not_http_gives_500_instead_of_a_panic() {
        let _ = Reply::empty(1000).template();
        let _ = Reply::json(42, &1).template();
    }
}
