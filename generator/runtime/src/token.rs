//! Credentials that are exchanged for a short-lived bearer token: OAuth2 client credentials
//! (Security Onion) and vendor token exchanges (Stellar Cyber's API key → 10-minute JWT).
//!
//! A [`TokenSource`] posts to the token endpoint, caches the token until its expiry minus a
//! safety margin, refreshes it before it expires, and fetches it once for any number of
//! concurrent callers (the fetch runs under one async lock, so callers arriving meanwhile wait
//! for its result). When the API answers 401, the token that was refused is forgotten and the
//! request is sent once more with a fresh one.
//!
//! The token endpoint is not trusted to be well behaved:
//!
//! - **Lifetimes** are clamped to [`MIN_TOKEN_LIFETIME`]..=[`MAX_TOKEN_LIFETIME`] (10 s to
//!   24 h), whatever their source: an `expires_in` ([`TokenExpiry::ExpiresIn`]), an `exp`
//!   ([`TokenExpiry::ExpiresAt`]; one in the past gives the minimum), a documented
//!   [`TokenExpiry::Fixed`] lifetime, and the [`TokenExchange::fallback_lifetime`] used when the
//!   member is missing or is not a number. A number may be sent as a JSON number of any size
//!   or as a string holding one; anything else (`null`, a bool, an object, `"NaN"`, words)
//!   counts as missing. So a token is kept at least 5 s (the minimum less at most half of it
//!   as refresh margin) and at most a day, and no value a server sends can cause a panic.
//! - **The token** must be non-empty visible ASCII (`0x21..=0x7E`); anything else is refused
//!   with [`Error::Auth`], is not cached, and is never quoted in the error.
//! - **Redirects** are never followed to obtain a token: a 3xx answer is refused with its
//!   status and `Location` (query string removed). Security Onion answers a throttled token
//!   request with a `302` to its login page; the error says so. A caller-supplied client that
//!   follows redirects by itself gets the same refusal: a response whose URL is not the token
//!   endpoint's is not read, so no token issued elsewhere is used.
//! - **Failures** are shared and followed by a backoff: the callers that waited for a fetch that
//!   failed get its error without sending a request of their own, and until the backoff ends
//!   every call fails at once with an error saying when the next request may go. The backoff is
//!   [`DEFAULT_FAILURE_BACKOFF`] after the first failure (see
//!   [`TokenSource::with_failure_backoff`]), doubling with each consecutive failure up to
//!   [`MAX_FAILURE_BACKOFF`]; a `Retry-After` on a 429 or 503 lengthens it, up to
//!   [`MAX_RETRY_AFTER`]. A token obtained ends the backoff.
//! - **The response** is read up to [`TOKEN_RESPONSE_LIMIT`] bytes; a longer or endless one is
//!   refused. Its parsing is the pure function [`parse_token_response`].
//!
//! Errors never contain the credentials or a token (a refusal's body, such as OAuth2's
//! `{"error": "invalid_client"}`, is quoted). Ages and backoffs are measured on tokio's clock,
//! the monotonic clock outside tests, which tests can pause and move forward.

use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, LOCATION};
use http::StatusCode;
use secrecy::{ExposeSecret, SecretString};
use serde_json::value::RawValue;
// Tokio's clock is the monotonic clock outside tests; tests can pause and advance it.
use tokio::time::Instant;
use url::Url;

use crate::auth::{AuthFuture, Authenticate};
use crate::body::read_limited;
use crate::error::excerpt;
use crate::Error;

/// The shortest lifetime a token is given, whatever the server says (10 s).
pub const MIN_TOKEN_LIFETIME: Duration = Duration::from_secs(10);
/// The longest lifetime a token is given, whatever the server says (24 h).
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// The most bytes of a token response that are read (64 KiB).
pub const TOKEN_RESPONSE_LIMIT: usize = 64 * 1024;
/// How long no token request is sent after a failed one, unless
/// [`TokenSource::with_failure_backoff`] says otherwise (1 s).
pub const DEFAULT_FAILURE_BACKOFF: Duration = Duration::from_secs(1);
/// The longest backoff that consecutive failures build up to (60 s).
pub const MAX_FAILURE_BACKOFF: Duration = Duration::from_secs(60);
/// The longest `Retry-After` from the token endpoint that is honoured (5 min).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(5 * 60);

/// How many characters of a redirect target an error quotes at most.
const LOCATION_EXCERPT_LIMIT: usize = 200;

/// How the client proves who it is to the token endpoint.
pub enum TokenCredentials {
    /// HTTP Basic `user:secret` (OAuth2 `client_id:client_secret`, Stellar `userid:api_key`).
    Basic {
        /// The user or client id.
        user: String,
        /// The secret or API key.
        secret: SecretString,
    },
    /// `Authorization: Bearer <key>` (Stellar Cyber's scoped keys).
    Bearer(SecretString),
}

impl fmt::Debug for TokenCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenCredentials::Basic { user, .. } => f
                .debug_struct("Basic")
                .field("user", user)
                .field("secret", &"[REDACTED]")
                .finish(),
            TokenCredentials::Bearer(_) => f.write_str("Bearer([REDACTED])"),
        }
    }
}

/// Where a token's lifetime comes from. Every lifetime is clamped to
/// [`MIN_TOKEN_LIFETIME`]..=[`MAX_TOKEN_LIFETIME`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenExpiry {
    /// A member giving the lifetime in seconds (`expires_in`).
    ExpiresIn(String),
    /// A member giving the expiry as Unix seconds (`exp`).
    ExpiresAt(String),
    /// A lifetime the vendor documents.
    Fixed(Duration),
}

/// How to obtain a token; see the module documentation.
#[derive(Debug)]
pub struct TokenExchange {
    /// The token endpoint: an absolute URL, or a reference resolved against the base URL
    /// (`/oauth2/token` is relative to the host).
    pub endpoint: String,
    /// The credentials sent to it.
    pub credentials: TokenCredentials,
    /// Form members posted (`grant_type=client_credentials`); none means an empty body.
    pub form: Vec<(String, String)>,
    /// The response member holding the token.
    pub token_field: String,
    /// Where the lifetime comes from.
    pub expiry: TokenExpiry,
    /// Used when the response lacks the expiry member or it is not a number (clamped like
    /// any lifetime).
    pub fallback_lifetime: Duration,
    /// How long before expiry the token is replaced (at most half its lifetime).
    pub refresh_margin: Duration,
}

impl TokenExchange {
    /// OAuth2 client credentials: `grant_type=client_credentials` with HTTP Basic, reading
    /// `access_token` and `expires_in`.
    pub fn client_credentials(
        endpoint: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: SecretString,
        scopes: &[&str],
    ) -> Self {
        let mut form = vec![("grant_type".to_owned(), "client_credentials".to_owned())];
        if !scopes.is_empty() {
            form.push(("scope".to_owned(), scopes.join(" ")));
        }
        TokenExchange {
            endpoint: endpoint.into(),
            credentials: TokenCredentials::Basic {
                user: client_id.into(),
                secret: client_secret,
            },
            form,
            token_field: "access_token".to_owned(),
            expiry: TokenExpiry::ExpiresIn("expires_in".to_owned()),
            fallback_lifetime: Duration::from_secs(300),
            refresh_margin: Duration::from_secs(30),
        }
    }
}

/// A token read from a token response by [`parse_token_response`]. `Debug` does not show
/// the token.
pub struct ParsedToken {
    header: HeaderValue,
    lifetime: Duration,
}

impl ParsedToken {
    /// The `Authorization` value to send: `Bearer <token>`, marked sensitive. The token is
    /// non-empty visible ASCII.
    pub fn header(&self) -> &HeaderValue {
        &self.header
    }

    /// How long the token lives, within [`MIN_TOKEN_LIFETIME`]..=[`MAX_TOKEN_LIFETIME`].
    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }
}

impl fmt::Debug for ParsedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParsedToken")
            .field("header", &"Bearer [REDACTED]")
            .field("lifetime", &self.lifetime)
            .finish()
    }
}

/// Reads the token and its lifetime from a token endpoint's answer: `status` and the whole
/// `body`, at `now` (for an absolute expiry).
///
/// A status other than 2xx, a body that is not a JSON object, a token member that is missing,
/// not a string, empty or not visible ASCII are [`Error::Auth`] errors, which quote neither
/// the token nor any other value of a successful response. The lifetime is clamped as the
/// module documentation describes. Never panics, whatever the bytes.
pub fn parse_token_response(
    exchange: &TokenExchange,
    status: StatusCode,
    body: &[u8],
    now: SystemTime,
) -> Result<ParsedToken, Error> {
    let failed = |reason: String| Error::Auth {
        reason,
        status: Some(status),
    };
    if !status.is_success() {
        return Err(failed(if body.is_empty() {
            format!("token endpoint answered {status} with an empty body")
        } else {
            format!("token endpoint answered {status}: {}", excerpt(body))
        }));
    }
    // Only the members used are decoded: no other value can fail the parse (a number too
    // large for a float, say), and serde's messages, which may quote a value, are not kept.
    let members: HashMap<String, &RawValue> = serde_json::from_slice(body).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Eof => "it ends too early",
            serde_json::error::Category::Syntax => "it is not valid JSON",
            _ => "it is not an object",
        };
        failed(format!(
            "the token response is not a JSON object: {what} (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    let field = &exchange.token_field;
    let token = members
        .get(field.as_str())
        .and_then(|raw| serde_json::from_str::<String>(raw.get()).ok())
        .ok_or_else(|| failed(format!("token response has no string member `{field}`")))?;
    if token.is_empty() {
        return Err(failed(format!(
            "the token response's `{field}` is empty: there is no token to send"
        )));
    }
    if !token.bytes().all(|b| (0x21..=0x7E).contains(&b)) {
        return Err(failed(format!(
            "the token response's `{field}` holds characters other than visible ASCII (a space, a control or a non-ASCII character), so it cannot be sent as a bearer token; it is not quoted here"
        )));
    }
    let mut header = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| {
        failed(format!(
            "the token response's `{field}` cannot be carried in a header"
        ))
    })?;
    header.set_sensitive(true);
    Ok(ParsedToken {
        header,
        lifetime: lifetime(exchange, &members, now),
    })
}

/// The token's lifetime, clamped; see the module documentation.
fn lifetime(
    exchange: &TokenExchange,
    members: &HashMap<String, &RawValue>,
    now: SystemTime,
) -> Duration {
    let number = |name: &str| members.get(name).and_then(|raw| seconds(raw));
    let stated = match &exchange.expiry {
        TokenExpiry::Fixed(lifetime) => Some(*lifetime),
        TokenExpiry::ExpiresIn(name) => number(name).map(clamp_seconds),
        TokenExpiry::ExpiresAt(name) => number(name).map(|at| {
            let now = match now.duration_since(UNIX_EPOCH) {
                Ok(since) => since.as_secs_f64(),
                Err(before) => -before.duration().as_secs_f64(),
            };
            // Float arithmetic: an infinite `at` stays infinite, then is clamped.
            clamp_seconds(at - now)
        }),
    };
    stated
        .unwrap_or(exchange.fallback_lifetime)
        .clamp(MIN_TOKEN_LIFETIME, MAX_TOKEN_LIFETIME)
}

/// A JSON number (of any size: too large for a float reads as infinite) or a string holding
/// one; `None` for anything else, NaN included.
fn seconds(raw: &RawValue) -> Option<f64> {
    let text = raw.get();
    let value: f64 = if text.starts_with('"') {
        serde_json::from_str::<String>(text)
            .ok()?
            .trim()
            .parse()
            .ok()?
    } else if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        // JSON's number syntax is a subset of what `f64::from_str` reads.
        text.parse().ok()?
    } else {
        return None;
    };
    (!value.is_nan()).then_some(value)
}

/// `seconds` as a lifetime within the documented range.
fn clamp_seconds(seconds: f64) -> Duration {
    if seconds.is_nan() || seconds <= MIN_TOKEN_LIFETIME.as_secs_f64() {
        MIN_TOKEN_LIFETIME
    } else if seconds >= MAX_TOKEN_LIFETIME.as_secs_f64() {
        MAX_TOKEN_LIFETIME
    } else {
        Duration::try_from_secs_f64(seconds).unwrap_or(MAX_TOKEN_LIFETIME)
    }
}

/// A token in the cache.
struct Cached {
    header: HeaderValue,
    fetched_at: Instant,
    /// How long after `fetched_at` it is used: its lifetime less the refresh margin.
    fresh_for: Duration,
}

/// Why the last fetch failed, and for how long no other is sent.
struct Failure {
    /// What went wrong.
    what: String,
    status: Option<StatusCode>,
    /// The error the failed fetch returned, shared as it is with the callers that waited.
    reason: String,
    at: Instant,
    backoff: Duration,
    /// The fetch that failed (its number in [`State::fetches`]).
    fetch: u64,
}

/// Everything a [`TokenSource`] remembers; never held across an `.await`, so a 401 can always
/// forget a token.
#[derive(Default)]
struct State {
    token: Option<Cached>,
    failure: Option<Failure>,
    /// Failed fetches since the last token obtained.
    consecutive_failures: u32,
    /// Fetches that ended, whether they obtained a token or not.
    fetches: u64,
}

impl State {
    /// The cached `Authorization` value, while it is not due for refresh.
    fn token(&self, now: Instant) -> Option<HeaderValue> {
        self.token
            .as_ref()
            .filter(|t| now.saturating_duration_since(t.fetched_at) < t.fresh_for)
            .map(|t| t.header.clone())
    }

    /// The error for a call made while the backoff after a failure lasts.
    fn backing_off(&self, now: Instant) -> Option<Error> {
        let failure = self.failure.as_ref()?;
        let ago = now.saturating_duration_since(failure.at);
        let remaining = failure.backoff.saturating_sub(ago);
        (!remaining.is_zero()).then(|| Error::Auth {
            reason: format!(
                "{}; no token request was sent: the last one failed {} ago, the next will be sent in {} at the earliest",
                failure.what,
                human(ago),
                human(remaining)
            ),
            status: failure.status,
        })
    }
}

/// What a failed fetch learnt.
struct Refusal {
    what: String,
    status: Option<StatusCode>,
    /// A `Retry-After` on a 429 or 503.
    retry_after: Option<Duration>,
}

impl Refusal {
    fn new(what: String, status: Option<StatusCode>) -> Self {
        Refusal {
            what,
            status,
            retry_after: None,
        }
    }
}

/// Fetches, caches and refreshes a bearer token; see the module documentation.
pub struct TokenSource {
    exchange: TokenExchange,
    endpoint: Url,
    http: reqwest::Client,
    failure_backoff: Duration,
    state: std::sync::Mutex<State>,
    /// Held while a token is fetched: one fetch at a time, whatever the number of callers.
    fetching: tokio::sync::Mutex<()>,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource")
            .field("endpoint", &self.endpoint.as_str())
            .field("credentials", &self.exchange.credentials)
            .field("failure_backoff", &self.failure_backoff)
            .finish_non_exhaustive()
    }
}

impl TokenSource {
    /// A source for `exchange`, resolving its endpoint against `base_url`.
    pub fn new(
        exchange: TokenExchange,
        base_url: &Url,
        http: reqwest::Client,
    ) -> Result<Self, Error> {
        let mut base = base_url.clone();
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let endpoint = base.join(&exchange.endpoint).map_err(|e| Error::Auth {
            reason: format!("invalid token endpoint `{}`: {e}", exchange.endpoint),
            status: None,
        })?;
        Ok(TokenSource {
            exchange,
            endpoint,
            http,
            failure_backoff: DEFAULT_FAILURE_BACKOFF,
            state: std::sync::Mutex::new(State::default()),
            fetching: tokio::sync::Mutex::new(()),
        })
    }

    /// Sets the backoff after a first failed token request (default
    /// [`DEFAULT_FAILURE_BACKOFF`]); it doubles with each consecutive failure, up to
    /// [`MAX_FAILURE_BACKOFF`]. Zero sends a request on the next call after a failure (the
    /// callers waiting for a failing request still share its error).
    #[must_use]
    pub fn with_failure_backoff(mut self, first: Duration) -> Self {
        self.failure_backoff = first;
        self
    }

    /// The token endpoint, resolved against the base URL.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // The guarded fields are each replaced whole, so a panic elsewhere cannot leave one
        // half-set.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The current `Authorization` value, fetching a token first when needed.
    async fn header(&self) -> Result<HeaderValue, Error> {
        let seen = {
            let state = self.state();
            let now = Instant::now();
            if let Some(header) = state.token(now) {
                return Ok(header);
            }
            if let Some(error) = state.backing_off(now) {
                return Err(error);
            }
            state.fetches
        };
        let _one_fetch = self.fetching.lock().await;
        {
            let state = self.state();
            let now = Instant::now();
            // Whoever held the lock before may have fetched the token this caller waited for,
            if let Some(header) = state.token(now) {
                return Ok(header);
            }
            // or failed to: then this caller shares that failure instead of asking again.
            if state.fetches != seen {
                if let Some(failure) = state.failure.as_ref().filter(|f| f.fetch == state.fetches) {
                    return Err(Error::Auth {
                        reason: failure.reason.clone(),
                        status: failure.status,
                    });
                }
            }
            if let Some(error) = state.backing_off(now) {
                return Err(error);
            }
        }
        let outcome = self.fetch().await;
        let now = Instant::now();
        let mut state = self.state();
        state.fetches = state.fetches.wrapping_add(1);
        match outcome {
            Ok(parsed) => {
                let margin = self.exchange.refresh_margin.min(parsed.lifetime / 2);
                tracing::debug!(
                    lifetime_s = parsed.lifetime.as_secs(),
                    "fetched an access token"
                );
                let header = parsed.header.clone();
                state.token = Some(Cached {
                    header: parsed.header,
                    fetched_at: now,
                    fresh_for: parsed.lifetime.saturating_sub(margin),
                });
                state.failure = None;
                state.consecutive_failures = 0;
                Ok(header)
            }
            Err(refusal) => {
                state.consecutive_failures = state.consecutive_failures.saturating_add(1);
                let backoff = self.backoff(state.consecutive_failures, refusal.retry_after);
                let reason = if backoff.is_zero() {
                    refusal.what.clone()
                } else {
                    format!(
                        "{}; the next token request will be sent in {} at the earliest",
                        refusal.what,
                        human(backoff)
                    )
                };
                tracing::debug!(
                    status = refusal.status.map(|s| s.as_u16()),
                    backoff_ms = backoff.as_millis() as u64,
                    reason = %refusal.what,
                    "token request failed"
                );
                state.failure = Some(Failure {
                    what: refusal.what,
                    status: refusal.status,
                    reason: reason.clone(),
                    at: now,
                    backoff,
                    fetch: state.fetches,
                });
                Err(Error::Auth {
                    reason,
                    status: refusal.status,
                })
            }
        }
    }

    /// The wait after the `consecutive`-th failure in a row.
    fn backoff(&self, consecutive: u32, retry_after: Option<Duration>) -> Duration {
        let doubling = 2u32.saturating_pow(consecutive.saturating_sub(1));
        let backoff = self
            .failure_backoff
            .saturating_mul(doubling)
            .min(MAX_FAILURE_BACKOFF);
        match retry_after {
            Some(asked) => backoff.max(asked.min(MAX_RETRY_AFTER)),
            None => backoff,
        }
    }

    async fn fetch(&self) -> Result<ParsedToken, Refusal> {
        // The credentials were checked when the client was built (`check`).
        let credential = match &self.exchange.credentials {
            TokenCredentials::Basic { user, secret } => {
                crate::auth::basic_value(user, secret.expose_secret())
            }
            TokenCredentials::Bearer(key) => {
                crate::auth::sensitive(format!("Bearer {}", key.expose_secret()))
            }
        }
        .map_err(|reason| Refusal::new(reason, None))?;
        let request = self
            .http
            .post(self.endpoint.clone())
            .header(AUTHORIZATION, credential)
            .header(ACCEPT, "application/json");
        // Always a form, even an empty one: OAuth2 sends `grant_type`, and the exchanges that
        // need no fields (Stellar Cyber's) are documented with this content type and no body.
        let body = serde_urlencoded::to_string(&self.exchange.form)
            .map_err(|e| Refusal::new(format!("cannot encode the token request: {e}"), None))?;
        let request = request
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body);
        let response = request.send().await.map_err(|e| {
            Refusal::new(
                format!("token endpoint unreachable: {}", e.without_url()),
                None,
            )
        })?;
        let status = response.status();
        // A client that follows redirects by itself went elsewhere: whatever answered there
        // is not the token endpoint, so its body is not even read.
        if response.url() != &self.endpoint {
            let target = self.describe_target(response.url().clone());
            return Err(Refusal::new(
                format!(
                    "the token request was redirected to `{}` by an HTTP client that follows redirects; a token from anywhere but the token endpoint is not used{}",
                    target.shown,
                    target.throttle_hint()
                ),
                Some(status),
            ));
        }
        if status.is_redirection() {
            let target = response.headers().get(LOCATION).map(|location| {
                location
                    .to_str()
                    .ok()
                    .and_then(|l| self.endpoint.join(l).ok())
                    .map(|url| self.describe_target(url))
            });
            let (shown, advice) = match &target {
                None => ("no `Location`".to_owned(), ""),
                Some(None) => ("an unusable `Location`".to_owned(), ""),
                Some(Some(target)) => (
                    format!("`{}`", target.shown),
                    if status == StatusCode::FOUND {
                        target.throttle_hint()
                    } else {
                        ""
                    },
                ),
            };
            let advice = if advice.is_empty() {
                ": check the token endpoint's URL"
            } else {
                advice
            };
            return Err(Refusal::new(
                format!(
                    "the token endpoint redirected ({} to {shown}) instead of issuing a token; the redirect was not followed{advice}",
                    status.as_u16()
                ),
                Some(status),
            ));
        }
        let retry_after = matches!(
            status,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
        )
        .then(|| crate::retry::retry_after(response.headers(), SystemTime::now()))
        .flatten();
        let body = read_limited(response, TOKEN_RESPONSE_LIMIT)
            .await
            .map_err(|e| Refusal {
                // Says how large, or why the read failed, without the URL.
                what: Error::from_read("token response", e).to_string(),
                status: Some(status),
                retry_after,
            })?;
        parse_token_response(&self.exchange, status, &body, SystemTime::now()).map_err(|e| {
            let (what, status) = match e {
                Error::Auth { reason, status } => (reason, status),
                other => (other.to_string(), Some(status)),
            };
            Refusal {
                what,
                status,
                retry_after,
            }
        })
    }

    /// A redirect target as an error shows it: without credentials, query or fragment, as a
    /// path when it is on the token endpoint's origin, and cut to a readable length.
    fn describe_target(&self, url: Url) -> Target {
        let same_origin = url.origin() == self.endpoint.origin();
        let text = if same_origin {
            url.path().to_owned()
        } else {
            crate::redirect::shown_url(&url)
        };
        let shown = match text.char_indices().nth(LOCATION_EXCERPT_LIMIT) {
            Some((cut, _)) => format!("{}…", &text[..cut]),
            None => text,
        };
        Target {
            shown,
            login_page: same_origin && url.path().to_ascii_lowercase().contains("login"),
        }
    }
}

/// Where the token endpoint redirected to.
struct Target {
    /// As an error shows it.
    shown: String,
    /// The appliance's own login page.
    login_page: bool,
}

impl Target {
    /// What to tell a user whose token request was sent to the login page.
    fn throttle_hint(&self) -> &'static str {
        if self.login_page {
            "; Security Onion does this when it throttles token requests: wait before trying again"
        } else {
            ""
        }
    }
}

/// A duration as a person reads it: `250 ms`, `1.5 s`, `42 s`.
fn human(duration: Duration) -> String {
    if duration < Duration::from_secs(1) {
        format!("{} ms", duration.as_millis().max(1))
    } else if duration < Duration::from_secs(10) {
        format!("{:.1} s", duration.as_secs_f64())
    } else {
        format!("{} s", duration.as_secs_f64().round())
    }
}

impl Authenticate for TokenSource {
    fn authenticate<'a>(&'a self, request: &'a mut reqwest::Request) -> AuthFuture<'a> {
        Box::pin(async move {
            let header = self.header().await?;
            request.headers_mut().insert(AUTHORIZATION, header);
            Ok(())
        })
    }

    fn on_unauthorized(&self, used: Option<&HeaderValue>) -> bool {
        let Some(used) = used else { return false };
        // Forget the refused token, unless another caller already replaced it.
        let mut state = self.state();
        if state.token.as_ref().is_some_and(|t| t.header == used) {
            state.token = None;
        }
        true
    }

    fn check(&self) -> Result<(), Error> {
        let checked = match &self.exchange.credentials {
            TokenCredentials::Basic { user, secret } => {
                crate::auth::check_basic(user, secret.expose_secret())
            }
            TokenCredentials::Bearer(key) => {
                crate::auth::visible("the API key", key.expose_secret())
            }
        };
        checked.map_err(|reason| Error::Auth {
            reason: format!("the token endpoint's credentials: {reason}"),
            status: None,
        })
    }
}
