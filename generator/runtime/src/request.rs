//! Building and sending one request.
//!
//! Generated methods chain calls on a [`RequestBuilder`]: path parameters, query parameters,
//! headers and a body, then [`RequestBuilder::send`]. The first problem found (an unusable path
//! value, a body that cannot be serialised) is kept and returned by `send`, so generated code
//! stays a flat chain.

use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, COOKIE};
use http::{Method, StatusCode};
use tracing::Instrument as _;

use crate::body::{read_limited, ReadError};
use crate::call::DeclaredErrors;
use crate::param::{
    cookie_pairs, encode_component, encode_joined, header_text, path_segment, query_pairs,
    styled_path_segment, ParamIn, ParamStyle, ParamValue, ToParam,
};
use crate::redirect::{is_redirect, next_hop, shown_url};
use crate::retry::retry_after;
use crate::stream::{ByteStream, Streaming};
use crate::{Error, Response, Transport};

/// One request being built; see the module documentation.
#[must_use = "a request does nothing until `send` is awaited"]
pub struct RequestBuilder<'t> {
    transport: &'t Transport,
    method: Method,
    operation: &'static str,
    path_template: &'static str,
    path_params: Vec<(&'static str, String)>,
    query: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    cookies: Vec<(String, String)>,
    body: Option<(HeaderValue, Bytes)>,
    absolute: Option<url::Url>,
    error: Option<Error>,
    security: Option<&'static [&'static str]>,
    /// Error bodies the operation declares; [`crate::call`] reads them.
    pub(crate) declared_errors: DeclaredErrors,
}

impl<'t> RequestBuilder<'t> {
    pub(crate) fn new(
        transport: &'t Transport,
        method: Method,
        operation: &'static str,
        path_template: &'static str,
    ) -> Self {
        RequestBuilder {
            transport,
            method,
            operation,
            path_template,
            path_params: Vec::new(),
            query: String::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            absolute: None,
            error: None,
            security: None,
            declared_errors: DeclaredErrors::default(),
        }
    }

    /// The security schemes (keys of the spec's `securitySchemes`) this operation accepts. An
    /// empty list marks a public operation: no credentials are sent. When the transport's
    /// credentials implement a scheme not in the list, sending fails with [`Error::Auth`]
    /// before any request leaves, so credentials never go where the spec does not ask for them.
    pub fn security(mut self, schemes: &'static [&'static str]) -> Self {
        self.security = Some(schemes);
        self
    }

    /// Sends to `url` as given instead of the path template (for links the server gave).
    pub(crate) fn absolute(mut self, url: Result<url::Url, Error>) -> Self {
        match url {
            Ok(url) => self.absolute = Some(url),
            Err(error) => self.fail(error),
        }
        self
    }

    fn fail(&mut self, error: Error) {
        self.error.get_or_insert(error);
    }

    /// Fills the `{name}` placeholder of the path template with `value`, percent-encoded as one
    /// path segment. Values that would change which resource is addressed (empty, `.`, `..`)
    /// are refused.
    pub fn path_param(mut self, name: &'static str, value: &(impl ToParam + ?Sized)) -> Self {
        match path_segment(self.operation, name, &value.to_param()) {
            Ok(segment) => self.path_params.push((name, segment)),
            Err(error) => self.fail(error),
        }
        self
    }

    fn push_query(&mut self, name: &str, value: &str) {
        self.push_query_encoded(name, &encode_component(value));
    }

    /// Adds `name=value` where `value` is already percent-encoded.
    fn push_query_encoded(&mut self, name: &str, value: &str) {
        self.push_pair(&encode_component(name), value);
    }

    /// Adds `name=value` to the query string.
    pub fn query(mut self, name: &str, value: &(impl ToParam + ?Sized)) -> Self {
        self.push_query(name, &value.to_param());
        self
    }

    /// Adds `name=value` to the query string when `value` is present.
    pub fn query_opt<T: ToParam>(self, name: &str, value: Option<&T>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Adds one `name=item` pair per item (OpenAPI `style: form, explode: true`).
    pub fn query_each<T: ToParam>(mut self, name: &str, values: &[T]) -> Self {
        for value in values {
            self.push_query(name, &value.to_param());
        }
        self
    }

    /// Adds one `name=a,b,c` pair (OpenAPI `style: form, explode: false`); nothing when empty.
    /// A comma inside an item is sent as `%2C`, so only the separators are literal commas.
    pub fn query_joined<T: ToParam>(mut self, name: &str, values: &[T]) -> Self {
        if !values.is_empty() {
            self.push_query_encoded(name, &encode_joined(values));
        }
        self
    }

    /// Sets a header for this request only.
    pub fn header(mut self, name: &'static str, value: &(impl ToParam + ?Sized)) -> Self {
        self.push_header(name, value.to_param());
        self
    }

    fn push_header(&mut self, name: &'static str, text: String) {
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|e| e.to_string());
        let value = crate::transport::visible_header_value(text);
        match header.and_then(|h| value.map(|v| (h, v))) {
            Ok(pair) => self.headers.push(pair),
            Err(reason) => self.fail(Error::InvalidParameter {
                operation: self.operation,
                name,
                reason,
            }),
        }
    }

    /// Sends parameter `name` in `at`, written in `style` (see [`crate::param`]): objects,
    /// maps, lists of any shape and unions are taken through their `serde` form. A `null`
    /// value sends nothing (a path parameter cannot be `null`).
    pub fn param<T: serde::Serialize + ?Sized>(
        mut self,
        at: ParamIn,
        name: &'static str,
        style: ParamStyle,
        explode: bool,
        value: &T,
    ) -> Self {
        match ParamValue::from_serialize(value) {
            Ok(value) => self.push_param(at, name, style, explode, value.as_ref()),
            Err(reason) => self.fail(Error::InvalidParameter {
                operation: self.operation,
                name,
                reason,
            }),
        }
        self
    }

    /// [`Self::param`] when `value` is present.
    pub fn param_opt<T: serde::Serialize>(
        self,
        at: ParamIn,
        name: &'static str,
        style: ParamStyle,
        explode: bool,
        value: Option<&T>,
    ) -> Self {
        match value {
            Some(value) => self.param(at, name, style, explode, value),
            None => self,
        }
    }

    /// Sends parameter `name` in `at` as the JSON text of `value` (a parameter declared with
    /// `content: application/json`), percent-encoded in the path, query and cookies.
    pub fn json_param<T: serde::Serialize + ?Sized>(
        mut self,
        at: ParamIn,
        name: &'static str,
        value: &T,
    ) -> Self {
        let style = match at {
            ParamIn::Path | ParamIn::Header => ParamStyle::Simple,
            ParamIn::Query | ParamIn::Cookie => ParamStyle::Form,
        };
        match ParamValue::json_text(value) {
            Ok(value) => self.push_param(at, name, style, false, Some(&value)),
            Err(reason) => self.fail(Error::InvalidParameter {
                operation: self.operation,
                name,
                reason,
            }),
        }
        self
    }

    /// [`Self::json_param`] when `value` is present.
    pub fn json_param_opt<T: serde::Serialize>(
        self,
        at: ParamIn,
        name: &'static str,
        value: Option<&T>,
    ) -> Self {
        match value {
            Some(value) => self.json_param(at, name, value),
            None => self,
        }
    }

    fn push_param(
        &mut self,
        at: ParamIn,
        name: &'static str,
        style: ParamStyle,
        explode: bool,
        value: Option<&ParamValue>,
    ) {
        match (at, value) {
            (ParamIn::Path, None) => self.fail(Error::InvalidParameter {
                operation: self.operation,
                name,
                reason: "a path parameter cannot be null".to_owned(),
            }),
            (_, None) => {}
            (ParamIn::Path, Some(value)) => {
                match styled_path_segment(self.operation, name, style, explode, value) {
                    Ok(segment) => self.path_params.push((name, segment)),
                    Err(error) => self.fail(error),
                }
            }
            (ParamIn::Query, Some(value)) => {
                for (key, text) in query_pairs(name, style, explode, value) {
                    self.push_pair(&key, &text);
                }
            }
            (ParamIn::Header, Some(value)) => {
                if let Some(text) = header_text(explode, value) {
                    self.push_header(name, text);
                }
            }
            (ParamIn::Cookie, Some(value)) => {
                self.cookies.extend(cookie_pairs(name, explode, value));
            }
        }
    }

    /// Adds `name=value` where both are already percent-encoded.
    fn push_pair(&mut self, name: &str, value: &str) {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.push_str(name);
        self.query.push('=');
        self.query.push_str(value);
    }

    /// Sets a header for this request when `value` is present.
    pub fn header_opt<T: ToParam>(self, name: &'static str, value: Option<&T>) -> Self {
        match value {
            Some(value) => self.header(name, value),
            None => self,
        }
    }

    /// Sends `body` as JSON.
    pub fn json(mut self, body: &(impl serde::Serialize + ?Sized)) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some((
                    HeaderValue::from_static("application/json"),
                    Bytes::from(bytes),
                ))
            }
            Err(source) => self.fail(Error::Encode {
                operation: self.operation,
                source,
            }),
        }
        self
    }

    /// Sends `body` as JSON when it is present.
    pub fn json_opt(self, body: Option<&(impl serde::Serialize + ?Sized)>) -> Self {
        match body {
            Some(body) => self.json(body),
            None => self,
        }
    }

    /// Sends `body` form-encoded (`application/x-www-form-urlencoded`).
    pub fn form(mut self, body: &(impl serde::Serialize + ?Sized)) -> Self {
        match serde_urlencoded::to_string(body) {
            Ok(text) => {
                let content_type = HeaderValue::from_static("application/x-www-form-urlencoded");
                self.body = Some((content_type, Bytes::from(text)));
            }
            Err(e) => self.fail(Error::EncodeForm {
                operation: self.operation,
                reason: e.to_string(),
            }),
        }
        self
    }

    /// Sends `body` form-encoded when it is present.
    pub fn form_opt(self, body: Option<&(impl serde::Serialize + ?Sized)>) -> Self {
        match body {
            Some(body) => self.form(body),
            None => self,
        }
    }

    /// Sends `form` as `multipart/form-data`.
    pub fn multipart(mut self, form: crate::Multipart) -> Self {
        match form.encode() {
            Ok((content_type, bytes)) => match HeaderValue::try_from(content_type) {
                Ok(content_type) => self.body = Some((content_type, bytes)),
                Err(e) => self.fail(Error::InvalidParameter {
                    operation: self.operation,
                    name: "Content-Type",
                    reason: e.to_string(),
                }),
            },
            Err(source) => self.fail(Error::Encode {
                operation: self.operation,
                source,
            }),
        }
        self
    }

    /// Sends each item as one JSON line (NDJSON) with the given media type.
    pub fn ndjson<T: serde::Serialize>(mut self, media_type: &'static str, items: &[T]) -> Self {
        let mut out = Vec::new();
        for item in items {
            if let Err(source) = serde_json::to_writer(&mut out, item) {
                self.fail(Error::Encode {
                    operation: self.operation,
                    source,
                });
                return self;
            }
            out.push(b'\n');
        }
        self.bytes(media_type, &out)
    }

    /// Sends `body` as-is with the given media type.
    pub fn bytes(mut self, media_type: &'static str, body: &[u8]) -> Self {
        match HeaderValue::from_str(media_type) {
            Ok(content_type) => self.body = Some((content_type, Bytes::copy_from_slice(body))),
            Err(e) => self.fail(Error::InvalidParameter {
                operation: self.operation,
                name: "Content-Type",
                reason: e.to_string(),
            }),
        }
        self
    }

    /// Sends `body` as-is when it is present.
    pub fn bytes_opt(self, media_type: &'static str, body: Option<&[u8]>) -> Self {
        match body {
            Some(body) => self.bytes(media_type, body),
            None => self,
        }
    }

    /// Sends `body` as text with the given media type.
    pub fn text(self, media_type: &'static str, body: &str) -> Self {
        self.bytes(media_type, body.as_bytes())
    }

    /// Sends `body` as text when it is present.
    pub fn text_opt(self, media_type: &'static str, body: Option<&str>) -> Self {
        self.bytes_opt(media_type, body.map(str::as_bytes))
    }

    /// Renders the path template with the encoded parameters.
    fn render_path(&self) -> Result<String, Error> {
        let mut path = String::with_capacity(self.path_template.len() + 32);
        let mut rest = self.path_template;
        while let Some(open) = rest.find('{') {
            path.push_str(&rest[..open]);
            let close = rest[open..].find('}').map(|i| open + i).ok_or_else(|| {
                Error::InvalidParameter {
                    operation: self.operation,
                    name: "path",
                    reason: format!("unterminated placeholder in `{}`", self.path_template),
                }
            })?;
            let name = &rest[open + 1..close];
            let (_, value) = self
                .path_params
                .iter()
                .find(|(n, _)| *n == name)
                .ok_or_else(|| Error::InvalidParameter {
                    operation: self.operation,
                    name: "path",
                    reason: format!("no value given for `{{{name}}}`"),
                })?;
            path.push_str(value);
            rest = &rest[close + 1..];
        }
        path.push_str(rest);
        Ok(path)
    }

    /// Checks what was given and fixes the parts every attempt shares.
    fn prepare(mut self) -> Result<Prepared, Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let url = match self.absolute.take() {
            Some(url) => url,
            None => {
                let path = self.render_path()?;
                let mut url = self.transport.base_url().clone();
                let full_path = format!("{}{}", url.path().trim_end_matches('/'), path);
                url.set_path(&full_path);
                if !self.query.is_empty() {
                    url.set_query(Some(&self.query));
                }
                url
            }
        };
        let mut headers = self.transport.default_headers().clone();
        for (name, value) in self.headers {
            headers.insert(name, value);
        }
        if !self.cookies.is_empty() {
            let mut cookie = headers
                .get(COOKIE)
                .and_then(|v| v.to_str().ok())
                .map(|v| format!("{v}; "))
                .unwrap_or_default();
            let pairs: Vec<String> = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            cookie.push_str(&pairs.join("; "));
            let value = HeaderValue::try_from(cookie).map_err(|e| Error::InvalidParameter {
                operation: self.operation,
                name: "Cookie",
                reason: e.to_string(),
            })?;
            headers.insert(COOKIE, value);
        }
        let body = self.body.map(|(content_type, bytes)| {
            headers.insert(CONTENT_TYPE, content_type);
            bytes
        });
        Ok(Prepared {
            method: self.method,
            url,
            headers,
            body,
        })
    }

    /// Sends the request and reads the whole response, whatever its status, under the
    /// client's size limit ([`Error::ResponseTooLarge`] past it).
    ///
    /// Retries follow the transport's [`RetryPolicy`](crate::RetryPolicy); a 401 lets the
    /// credentials refresh themselves and the request go once more; same-origin redirects are
    /// followed as [`crate::redirect`] says, others refused; the whole call is bounded by the
    /// transport's deadline.
    pub async fn send(self) -> Result<Response, Error> {
        let operation = self.operation;
        let limit = self.transport.max_response_bytes();
        self.execute(move |response: reqwest::Response| async move {
            let status = response.status();
            let headers = response.headers().clone();
            let body = read_limited(response, limit).await?;
            tracing::debug!(status = status.as_u16(), bytes = body.len(), "response");
            Ok(Response::new(operation, status, headers, body))
        })
        .await
    }

    /// Sends the request; a success hands back its body unread, to stream
    /// ([`Streaming::Success`]), and any other status is read whole under the size limit
    /// ([`Streaming::Failure`]) so that it can become an error. Retries, redirects and the
    /// deadline apply as for [`Self::send`] until the response head arrives; reading the
    /// streamed body is bounded by the per-attempt timeout.
    pub async fn send_streaming(self) -> Result<Streaming, Error> {
        let operation = self.operation;
        let limit = self.transport.max_response_bytes();
        self.execute(move |response: reqwest::Response| async move {
            let status = response.status();
            if status.is_success() {
                tracing::debug!(status = status.as_u16(), "streaming response");
                return Ok(Streaming::Success(ByteStream::new(
                    operation, limit, response,
                )));
            }
            let headers = response.headers().clone();
            let body = read_limited(response, limit).await?;
            Ok(Streaming::Failure(Response::new(
                operation, status, headers, body,
            )))
        })
        .await
    }

    /// Runs the whole call under the deadline: credentials, attempts, redirects, retries, and
    /// `finish` on the answer that is kept.
    async fn execute<R, F, Fut>(self, finish: F) -> Result<R, Error>
    where
        F: FnMut(reqwest::Response) -> Fut,
        Fut: Future<Output = Result<R, ReadError>>,
    {
        let operation = self.operation;
        let deadline = self.transport.deadline();
        let span = tracing::debug_span!(
            "http_request",
            operation,
            method = %self.method,
            path = self.path_template,
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let call = self.attempts(finish).instrument(span);
        match tokio::time::timeout(deadline, call).await {
            Ok(result) => result,
            Err(_) => Err(Error::Deadline {
                operation,
                deadline,
            }),
        }
    }

    /// Which credentials this call may carry: `Ok(false)` for a public operation, an error
    /// when the configured scheme is not one the operation accepts.
    fn credentials_allowed(&self) -> Result<bool, Error> {
        match (self.security, self.transport.auth_scheme()) {
            (Some([]), _) => Ok(false),
            (Some(accepted), Some(configured)) if !accepted.contains(&configured) => {
                Err(Error::Auth {
                    reason: format!(
                        "`{}` accepts the security scheme(s) {}, but this client authenticates with `{configured}`: build a client with one of those to call it",
                        self.operation,
                        accepted
                            .iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    status: None,
                })
            }
            _ => Ok(true),
        }
    }

    /// The retry loop; see [`Self::send`].
    async fn attempts<R, F, Fut>(self, mut finish: F) -> Result<R, Error>
    where
        F: FnMut(reqwest::Response) -> Fut,
        Fut: Future<Output = Result<R, ReadError>>,
    {
        let operation = self.operation;
        let transport = self.transport;
        let started = Instant::now();
        let send_credentials = self.credentials_allowed()?;
        let prepared = self.prepare()?;
        let policy = transport.retry();
        let retryable = policy.allows(&prepared.method);
        let mut attempt = 1;
        let mut refreshed_credentials = false;
        loop {
            let span = tracing::Span::current();
            span.record("attempt", attempt);
            let may_retry = retryable && attempt < policy.max_attempts;
            // The wait before the next attempt, if one fits in the time budget: a wait that
            // would end past the deadline is not started, so the caller gets the last answer
            // rather than `Error::Deadline`.
            let budget = policy.max_elapsed.min(transport.deadline());
            let next_wait = |wait: Duration| (started.elapsed() + wait <= budget).then_some(wait);
            let sent = prepared.send(transport, operation, send_credentials).await;
            span.record("elapsed_ms", started.elapsed().as_millis() as u64);
            let failure = match sent {
                Ok((response, used_auth)) => {
                    let status = response.status();
                    span.record("status", status.as_u16());
                    if status == StatusCode::UNAUTHORIZED
                        && send_credentials
                        && !refreshed_credentials
                        && transport.auth().on_unauthorized(used_auth.as_ref())
                    {
                        tracing::debug!("401: retrying once with fresh credentials");
                        refreshed_credentials = true;
                        continue;
                    }
                    let wait = (may_retry && policy.retries_status(status))
                        .then(|| {
                            retry_after(response.headers(), SystemTime::now())
                                .unwrap_or_else(|| policy.backoff(attempt))
                        })
                        .and_then(next_wait);
                    if let Some(wait) = wait {
                        tracing::debug!(status = status.as_u16(), ?wait, "retrying");
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                        continue;
                    }
                    match finish(response).await {
                        Ok(value) => return Ok(value),
                        Err(error) => error,
                    }
                }
                Err(Sent::Refused(error)) => return Err(*error),
                Err(Sent::Failed(error)) => ReadError::Transport(error),
            };
            let wait = match &failure {
                ReadError::Transport(error) if may_retry && is_transient(error) => {
                    next_wait(policy.backoff(attempt))
                }
                _ => None,
            };
            match wait {
                Some(wait) => {
                    tracing::debug!(error = ?failure, ?wait, "retrying");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                None => return Err(Error::from_read(operation, failure)),
            }
        }
    }
}

/// Connection failures and timeouts are worth another attempt; other failures are not.
fn is_transient(error: &reqwest::Error) -> bool {
    error.is_connect() || error.is_timeout()
}

/// Why one attempt (with its redirects) produced no response.
enum Sent {
    /// The request did not complete; the retry policy decides what follows.
    Failed(reqwest::Error),
    /// The call must stop: a refused redirect, or credentials that could not be attached.
    Refused(Box<Error>),
}

/// What every attempt of one request sends.
struct Prepared {
    method: Method,
    url: url::Url,
    headers: http::HeaderMap,
    body: Option<Bytes>,
}

impl Prepared {
    /// Sends one attempt, following same-origin redirects (see [`crate::redirect`]); gives the
    /// final response and the `Authorization` value it was sent with.
    async fn send(
        &self,
        transport: &Transport,
        operation: &'static str,
        send_credentials: bool,
    ) -> Result<(reqwest::Response, Option<HeaderValue>), Sent> {
        let mut method = self.method.clone();
        let mut url = self.url.clone();
        let mut body = self.body.clone();
        let mut hops = 0;
        loop {
            let mut request = reqwest::Request::new(method.clone(), url.clone());
            *request.headers_mut() = self.headers.clone();
            match &body {
                Some(body) => *request.body_mut() = Some(reqwest::Body::from(body.clone())),
                None => {
                    request.headers_mut().remove(CONTENT_TYPE);
                }
            }
            if send_credentials {
                transport
                    .auth()
                    .apply(&mut request)
                    .await
                    .map_err(|e| Sent::Refused(Box::new(e)))?;
            }
            let used_auth = request.headers().get(AUTHORIZATION).cloned();
            // As sent, credentials included (an API key may sit in the query).
            let sent_url = request.url().clone();
            let response = transport
                .http()
                .execute(request)
                .await
                .map_err(Sent::Failed)?;
            let status = response.status();
            if response.url() != &sent_url {
                // Only a caller-supplied client built without `http_client_builder` follows
                // redirects by itself; what it fetched cannot be trusted.
                return Err(Sent::Refused(Box::new(Error::Redirect {
                    operation,
                    status,
                    location: shown_url(response.url()),
                    reason: "the HTTP client given to `http_client` followed a redirect by itself; build it from `clientgen_runtime::transport::http_client_builder()`".to_owned(),
                })));
            }
            if !is_redirect(status) {
                return Ok((response, used_auth));
            }
            match next_hop(status, &method, &url, response.headers(), hops) {
                Ok(hop) => {
                    tracing::debug!(
                        status = status.as_u16(),
                        to = hop.url.path(),
                        "following a same-origin redirect"
                    );
                    method = hop.method;
                    url = hop.url;
                    if !hop.keep_body {
                        body = None;
                    }
                    hops += 1;
                }
                Err(refusal) => {
                    return Err(Sent::Refused(Box::new(Error::Redirect {
                        operation,
                        status,
                        location: refusal.location,
                        reason: refusal.reason,
                    })))
                }
            }
        }
    }
}
