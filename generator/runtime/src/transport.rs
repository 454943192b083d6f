//! The configured HTTP client a generated client sends its requests through.
//!
//! A [`Transport`] owns the `reqwest` client, the base URL (including any path prefix, such as
//! `/v1` or `/api/v1`), the credentials and the headers sent on every request. It is cheap to
//! clone and safe to share between tasks.
//!
//! What it promises whatever the server does:
//!
//! - **Redirects** follow one policy (see [`crate::redirect`]): same origin only, never
//!   `https` to `http`, at most five hops, no `Referer`. The `reqwest::Client` it builds
//!   follows none by itself; one given with [`TransportBuilder::http_client`] must be built
//!   from [`http_client_builder`] (a client that follows redirects on its own is caught after
//!   the fact: the call fails, but the redirected request has already left).
//! - **Size**: a body read whole is refused past [`TransportBuilder::max_response_bytes`]
//!   (default [`DEFAULT_MAX_RESPONSE_BYTES`]); streamed bodies are held a chunk or a line at a
//!   time.
//! - **Time**: each attempt has its own timeout, and each call an overall
//!   [`deadline`](TransportBuilder::deadline) spanning retries, redirects and waits.
//! - **Plaintext**: credentials are refused over `http://` to a host that is not loopback,
//!   unless the caller opts in with [`TransportBuilder::danger_allow_plaintext_credentials`].
//! - **Inputs**: header values must be visible ASCII (spaces and tabs inside allowed); a base
//!   URL carrying `user:password@` is refused, and the password never appears in the error.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use http::Method;
use url::Url;

pub use crate::body::DEFAULT_MAX_RESPONSE_BYTES;
use crate::{Auth, Error, RequestBuilder, RetryPolicy, TokenExchange, TokenSource};

/// Default limit on one whole request, from connect to the last body byte.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default limit on establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default limit on one whole call: every attempt, redirect and wait between retries.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(120);

/// A `reqwest::ClientBuilder` with the runtime's redirect policy: it follows no redirect by
/// itself (the runtime follows same-origin ones, see [`crate::redirect`]) and sends no
/// `Referer`. Build the client given to [`TransportBuilder::http_client`] from it.
pub fn http_client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
}

/// A server listed in a spec's `servers` section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Server {
    /// The server's URL, used as a client's base URL.
    pub url: &'static str,
    /// What the spec says about it.
    pub description: &'static str,
}

/// Executes requests against one API: base URL, credentials and default headers.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    auth: Auth,
    /// The spec's name for the security scheme `auth` implements, when the caller said.
    auth_scheme: Option<&'static str>,
    headers: HeaderMap,
    retry: RetryPolicy,
    max_response_bytes: usize,
    deadline: Duration,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.inner.base_url.as_str())
            .field("auth", &self.inner.auth)
            .field("headers", &self.inner.headers.keys().collect::<Vec<_>>())
            .field("retry", &self.inner.retry)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .field("deadline", &self.inner.deadline)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// Starts configuring a transport for the API at `base_url`.
    pub fn builder(base_url: impl Into<String>) -> TransportBuilder {
        TransportBuilder {
            base_url: base_url.into(),
            http: None,
            auth: Ok(Auth::none()),
            headers: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: concat!("clientgen-runtime/", env!("CARGO_PKG_VERSION")).to_owned(),
            retry: RetryPolicy::default(),
            root_certificates: Vec::new(),
            accept_invalid_certs: false,
            token_exchange: None,
            path_prefix: Ok(String::new()),
            auth_scheme: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            deadline: DEFAULT_DEADLINE,
            allow_plaintext_credentials: false,
        }
    }

    /// The base URL every operation path is appended to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// Starts a request for `operation`, whose path is `path_template` (as written in the spec,
    /// with `{name}` placeholders) relative to the base URL.
    pub fn request(
        &self,
        method: Method,
        operation: &'static str,
        path_template: &'static str,
    ) -> RequestBuilder<'_> {
        RequestBuilder::new(self, method, operation, path_template)
    }

    /// Starts a `GET` of `link`, a URL the server gave (a next-page link). It is resolved
    /// against the base URL and must stay on the same scheme, host and port, so credentials
    /// are never sent anywhere else.
    pub fn follow(&self, operation: &'static str, link: &str) -> RequestBuilder<'_> {
        let base = &self.inner.base_url;
        let target = match base.join(link) {
            Ok(url) if crate::redirect::same_origin(&url, base) => Ok(url),
            Ok(_) => Err("it points to another origin than the base URL".to_owned()),
            Err(e) => Err(e.to_string()),
        };
        let target = target.map_err(|reason| Error::Pagination {
            operation,
            reason: format!("not following the link `{link}`: {reason}"),
        });
        RequestBuilder::new(self, Method::GET, operation, "").absolute(target)
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The spec's name for the security scheme the credentials implement, if known.
    pub(crate) fn auth_scheme(&self) -> Option<&'static str> {
        self.inner.auth_scheme
    }

    pub(crate) fn auth(&self) -> &Auth {
        &self.inner.auth
    }

    pub(crate) fn default_headers(&self) -> &HeaderMap {
        &self.inner.headers
    }

    pub(crate) fn retry(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The most bytes of a response body read whole.
    pub fn max_response_bytes(&self) -> usize {
        self.inner.max_response_bytes
    }

    /// The limit on one whole call, retries included.
    pub fn deadline(&self) -> Duration {
        self.inner.deadline
    }
}

/// Configures a [`Transport`].
#[must_use]
pub struct TransportBuilder {
    base_url: String,
    http: Option<reqwest::Client>,
    auth: Result<Auth, Error>,
    headers: Vec<(String, String)>,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    retry: RetryPolicy,
    root_certificates: Vec<Vec<u8>>,
    accept_invalid_certs: bool,
    token_exchange: Option<TokenExchange>,
    path_prefix: Result<String, Error>,
    auth_scheme: Option<&'static str>,
    max_response_bytes: usize,
    deadline: Duration,
    allow_plaintext_credentials: bool,
}

impl fmt::Debug for TransportBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportBuilder")
            .field("base_url", &redact_userinfo(&self.base_url))
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("extra_root_certificates", &self.root_certificates.len())
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .field("token_exchange", &self.token_exchange)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("deadline", &self.deadline)
            .field(
                "allow_plaintext_credentials",
                &self.allow_plaintext_credentials,
            )
            .finish_non_exhaustive()
    }
}

impl TransportBuilder {
    /// Replaces the base URL (scheme, host, port and path prefix).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Sets the credentials sent with every request.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Ok(auth);
        self.token_exchange = None;
        self
    }

    /// Names the spec's security scheme the credentials implement (a key of
    /// `securitySchemes`), so an operation that accepts only other schemes fails with
    /// [`Error::Auth`] instead of sending these credentials where they do not belong.
    pub fn auth_scheme(mut self, scheme: &'static str) -> Self {
        self.auth_scheme = Some(scheme);
        self
    }

    /// Inserts `prefix` (already percent-encoded, starting with `/`) between the base URL and
    /// every operation path, e.g. Kibana's `/s/<space>`.
    pub fn path_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.path_prefix = Ok(prefix.into());
        self
    }

    /// Inserts `before`, then `value` as one percent-encoded path segment, then `after` between
    /// the base URL and every operation path (Kibana's `/s/<space>`). The value is checked as
    /// a path parameter is: an empty value, `.` or `..` would change which resource every call
    /// addresses, so [`Self::build`] refuses it with [`Error::InvalidParameter`].
    pub fn path_prefix_segment(
        mut self,
        before: &str,
        name: &'static str,
        value: &str,
        after: &str,
    ) -> Self {
        self.path_prefix = crate::param::path_segment("ClientBuilder", name, value)
            .map(|segment| format!("{before}{segment}{after}"));
        self
    }

    /// Refuses a response body longer than `bytes` when it is read whole (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]): an announced `Content-Length` above it fails before
    /// reading, and the count is enforced while reading ([`Error::ResponseTooLarge`]). Streamed
    /// bodies (NDJSON, downloads) are not held whole; for NDJSON the limit applies per line.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Limits one whole call, across every attempt, redirect and wait between retries (default
    /// [`DEFAULT_DEADLINE`]); past it the call fails with [`Error::Deadline`]. A retry whose
    /// wait would end past it is not started: the last answer is returned instead. Each
    /// attempt also has its own [`timeout`](Self::timeout).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// **Dangerous:** lets credentials travel over plain `http://` to a host that is not
    /// loopback, where anyone on the network path can read them. Without this, [`Self::build`]
    /// refuses such a base URL (or token endpoint) when credentials are configured. Only for a
    /// network path you trust entirely, such as a lab appliance on an isolated segment.
    pub fn danger_allow_plaintext_credentials(mut self) -> Self {
        self.allow_plaintext_credentials = true;
        self
    }

    /// Authenticates with a token obtained from a token endpoint (see [`TokenExchange`]); the
    /// endpoint is resolved against the base URL and called through this transport's client.
    pub fn token_exchange(mut self, exchange: TokenExchange) -> Self {
        self.token_exchange = Some(exchange);
        self
    }

    /// Sets credentials whose construction may have failed; [`Self::build`] reports the error.
    pub fn try_auth(mut self, auth: Result<Auth, Error>) -> Self {
        self.auth = auth;
        self
    }

    /// Adds a header sent with every request.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Limits each whole request (ignored when [`Self::http_client`] is used).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Limits connection set-up (ignored when [`Self::http_client`] is used).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sets how failed requests are retried (see [`RetryPolicy`]; [`RetryPolicy::none`] turns
    /// retries off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Trusts the CA certificate(s) in `pem` besides the system's roots, for servers whose
    /// certificate a private CA signed (Security Onion's `ca.crt`). Ignored when
    /// [`Self::http_client`] is used.
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(pem.into());
        self
    }

    /// **Dangerous:** accepts any server certificate, including self-signed and expired ones,
    /// so anyone on the network path can read and change the traffic, credentials included.
    /// Only for appliances whose certificate cannot be trusted another way; prefer
    /// [`Self::add_root_certificate_pem`]. Ignored when [`Self::http_client`] is used.
    pub fn danger_accept_invalid_certs(mut self) -> Self {
        self.accept_invalid_certs = true;
        self
    }

    /// Uses a `reqwest::Client` configured by the caller (proxies, TLS roots, middleware).
    ///
    /// Build it from [`http_client_builder`], which disables `reqwest`'s own redirect
    /// following and `Referer`: the runtime follows same-origin redirects itself. A client
    /// that follows redirects on its own would send credentials wherever a server points; the
    /// runtime notices such a response and fails the call, but only after the request left.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Checks the configuration and builds the transport.
    pub fn build(self) -> Result<Transport, Error> {
        let mut base_url = parse_base_url(&self.base_url)?;
        let path_prefix = self.path_prefix?;
        if !path_prefix.is_empty() {
            // A base URL without a path has the path `/`: join without doubling the slash.
            let path = format!(
                "{}/{}",
                base_url.path().trim_end_matches('/'),
                path_prefix.trim_matches('/')
            );
            base_url.set_path(path.trim_end_matches('/'));
        }
        let mut auth = self.auth?;
        auth.check()?;
        let sends_credentials = auth.sends_credentials() || self.token_exchange.is_some();
        if sends_credentials && !self.allow_plaintext_credentials && !is_protected(&base_url) {
            return Err(Error::InvalidBaseUrl {
                url: base_url.to_string(),
                reason: PLAINTEXT_REFUSED.to_owned(),
            });
        }
        let mut headers = HeaderMap::new();
        let user_agent = header_value(USER_AGENT.as_str(), &self.user_agent)?;
        headers.insert(USER_AGENT, user_agent);
        for (name, value) in &self.headers {
            let header =
                HeaderName::from_bytes(name.as_bytes()).map_err(|e| Error::InvalidHeader {
                    name: name.clone(),
                    reason: e.to_string(),
                })?;
            headers.append(header, header_value(name, value)?);
        }
        let http = match self.http {
            Some(client) => client,
            None => {
                let mut builder = http_client_builder()
                    .timeout(self.timeout)
                    .connect_timeout(self.connect_timeout)
                    .danger_accept_invalid_certs(self.accept_invalid_certs);
                for pem in &self.root_certificates {
                    let certificates = reqwest::Certificate::from_pem_bundle(pem)
                        .map_err(|e| Error::InvalidCertificate(e.to_string()))?;
                    if certificates.is_empty() {
                        return Err(Error::InvalidCertificate(
                            "no certificate found in the PEM text".into(),
                        ));
                    }
                    for certificate in certificates {
                        builder = builder.add_root_certificate(certificate);
                    }
                }
                builder.build().map_err(Error::Build)?
            }
        };
        if let Some(exchange) = self.token_exchange {
            let source = TokenSource::new(exchange, &base_url, http.clone())?;
            if !self.allow_plaintext_credentials && !is_protected(source.endpoint()) {
                return Err(Error::Auth {
                    reason: format!(
                        "the token endpoint `{}` is {PLAINTEXT_REFUSED}",
                        crate::redirect::shown_url(source.endpoint())
                    ),
                    status: None,
                });
            }
            auth = Auth::custom(source);
            auth.check()?;
        }
        Ok(Transport {
            inner: Arc::new(Inner {
                auth_scheme: self.auth_scheme,
                http,
                base_url,
                auth,
                headers,
                retry: self.retry,
                max_response_bytes: self.max_response_bytes,
                deadline: self.deadline,
            }),
        })
    }
}

/// Why credentials are refused over plain http (the start of the sentence names the URL).
const PLAINTEXT_REFUSED: &str = "plain http:// to a host that is not loopback, so credentials would cross the network unencrypted: use https://, or call `danger_allow_plaintext_credentials` if the network path is trusted";

/// Whether credentials may be sent to `url`: over https, or to this machine.
fn is_protected(url: &Url) -> bool {
    url.scheme() == "https"
        || match url.host() {
            Some(url::Host::Domain(name)) => {
                name.eq_ignore_ascii_case("localhost")
                    || name.to_ascii_lowercase().ends_with(".localhost")
            }
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        }
}

/// `value` as a header value, if it is visible ASCII with spaces and tabs allowed inside; the
/// reason otherwise (naming the position of the first bad byte, not the value).
pub(crate) fn visible_header_value(value: String) -> Result<HeaderValue, String> {
    if let Some(at) = value
        .bytes()
        .position(|b| !(b.is_ascii_graphic() || b == b' ' || b == b'\t'))
    {
        return Err(format!(
            "the value has a control or non-ASCII character at byte {at}: header values must be visible ASCII"
        ));
    }
    HeaderValue::try_from(value).map_err(|e| e.to_string())
}

/// A header value from the configuration; see [`visible_header_value`].
fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    visible_header_value(value.to_owned()).map_err(|reason| Error::InvalidHeader {
        name: name.to_owned(),
        reason,
    })
}

/// `text` with any `user:password@` of a URL's authority replaced by `***@`, found by text
/// alone so that it works on strings that do not parse as URLs.
pub fn redact_userinfo(text: &str) -> String {
    let Some(scheme_end) = text.find("://") else {
        return text.to_owned();
    };
    let authority_start = scheme_end + 3;
    let authority_end = text[authority_start..]
        .find(['/', '?', '#'])
        .map_or(text.len(), |i| authority_start + i);
    match text[authority_start..authority_end].rfind('@') {
        Some(at) => format!(
            "{}***{}",
            &text[..authority_start],
            &text[authority_start + at..]
        ),
        None => text.to_owned(),
    }
}

fn parse_base_url(text: &str) -> Result<Url, Error> {
    let invalid = |reason: &str| Error::InvalidBaseUrl {
        url: redact_userinfo(text),
        reason: reason.to_owned(),
    };
    if text.is_empty() {
        return Err(invalid(
            "no base URL was given and the spec names no absolute server: set one with `base_url`",
        ));
    }
    // The parser's message never quotes the URL, so it cannot leak a password.
    let mut url = Url::parse(text).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(invalid("the URL has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a base URL cannot carry a query or a fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "put credentials in the client's auth settings, not in the URL",
        ));
    }
    let trimmed = url.path().trim_end_matches('/').to_owned();
    url.set_path(&trimmed);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_its_prefix_without_trailing_slash() {
        let url = parse_base_url("https://api.example.com/api/v1/").expect("valid");
        assert_eq!(url.path(), "/api/v1");
    }

    #[test]
    fn a_path_prefix_joins_with_one_slash_whatever_the_base_path() {
        for (base, expected) in [
            ("http://localhost:5601", "/s/soc"),
            ("http://localhost:5601/", "/s/soc"),
            ("http://localhost:5601/kibana", "/kibana/s/soc"),
            ("http://localhost:5601/kibana/", "/kibana/s/soc"),
        ] {
            let transport = Transport::builder(base)
                .path_prefix("/s/soc")
                .build()
                .expect("valid");
            assert_eq!(transport.base_url().path(), expected, "base {base}");
        }
    }

    #[test]
    fn base_url_rejects_credentials_query_and_other_schemes() {
        for bad in [
            "ftp://example.com",
            "https://u:p@example.com",
            "https://example.com/?a=b",
            "not a url",
        ] {
            assert!(parse_base_url(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn userinfo_is_redacted_from_errors_and_debug_output() {
        for text in [
            "https://admin:hunter2@soc.example/api",
            "http://admin:hunter2@127.0.0.1:1",
            "https://admin:hunter2@[::1",
            "https://admin:hunter2@soc example/",
        ] {
            let error = parse_base_url(text).expect_err(text);
            assert!(!format!("{error} {error:?}").contains("hunter2"), "{error}");
            let builder = Transport::builder(text);
            assert!(!format!("{builder:?}").contains("hunter2"));
        }
        assert_eq!(
            redact_userinfo("https://a:b@h/p?q=x@y"),
            "https://***@h/p?q=x@y"
        );
        assert_eq!(redact_userinfo("https://h/p@x"), "https://h/p@x");
    }

    #[test]
    fn credentials_over_plain_http_need_loopback_or_an_explicit_opt_in() {
        let with_key = |base: &str| Transport::builder(base).auth(Auth::bearer("k3y".to_owned()));
        for base in [
            "http://127.0.0.1:9200",
            "http://127.8.0.1",
            "http://localhost:5601",
            "http://[::1]:8080",
            "https://soc.example",
        ] {
            with_key(base)
                .build()
                .unwrap_or_else(|e| panic!("{base}: {e}"));
        }
        for base in [
            "http://soc.example",
            "http://10.0.0.5:5601",
            "http://localhost.evil.example",
        ] {
            let error = with_key(base).build().expect_err(base);
            assert!(
                error
                    .to_string()
                    .contains("danger_allow_plaintext_credentials"),
                "{error}"
            );
            with_key(base)
                .danger_allow_plaintext_credentials()
                .build()
                .expect("opted in");
        }
        // Without credentials there is nothing to protect.
        Transport::builder("http://soc.example")
            .build()
            .expect("no credentials");
    }

    #[test]
    fn header_values_must_be_visible_ascii() {
        for bad in ["a\u{7f}b", "caf\u{e9}", "line\r\nX-Injected: 1", "nul\0"] {
            let error = Transport::builder("https://h")
                .header("X-Tenant", bad)
                .build()
                .expect_err(bad);
            assert!(matches!(error, Error::InvalidHeader { .. }), "{error}");
        }
        Transport::builder("https://h")
            .header("X-Tenant", "blue team\t1")
            .build()
            .expect("visible ASCII, space and tab");
    }

    #[test]
    fn a_path_prefix_segment_is_checked_like_a_path_parameter() {
        for bad in ["", ".", ".."] {
            let error = Transport::builder("http://localhost:5601")
                .path_prefix_segment("/s/", "space_id", bad, "")
                .build()
                .expect_err(bad);
            assert!(
                matches!(
                    error,
                    Error::InvalidParameter {
                        name: "space_id",
                        ..
                    }
                ),
                "{error}"
            );
        }
        let transport = Transport::builder("http://localhost:5601")
            .path_prefix_segment("/s/", "space_id", "a/b", "")
            .build()
            .expect("encoded");
        assert_eq!(transport.base_url().path(), "/s/a%2Fb");
    }

    #[test]
    fn invalid_base_url_error_does_not_panic_at_build() {
        let err = Transport::builder("://").build().expect_err("invalid");
        assert!(matches!(err, Error::InvalidBaseUrl { .. }));
    }
}
