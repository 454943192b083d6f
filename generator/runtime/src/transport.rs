//! The configured HTTP client a generated client sends its requests through.
//!
//! A [`Transport`] owns the `reqwest` client, the base URL (including any path prefix, such as
//! `/v1` or `/api/v1`), the credentials and the headers sent on every request. It is cheap to
//! clone and safe to share between tasks.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use http::Method;
use url::Url;

use crate::{Auth, Error, RequestBuilder, RetryPolicy, TokenExchange, TokenSource};

/// Default limit on one whole request, from connect to the last body byte.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default limit on establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

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
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.inner.base_url.as_str())
            .field("auth", &self.inner.auth)
            .field("headers", &self.inner.headers.keys().collect::<Vec<_>>())
            .field("retry", &self.inner.retry)
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
            path_prefix: String::new(),
            auth_scheme: None,
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
            Ok(url)
                if url.scheme() == base.scheme()
                    && url.host_str() == base.host_str()
                    && url.port_or_known_default() == base.port_or_known_default() =>
            {
                Ok(url)
            }
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
    path_prefix: String,
    auth_scheme: Option<&'static str>,
}

impl fmt::Debug for TransportBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportBuilder")
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("extra_root_certificates", &self.root_certificates.len())
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .field("token_exchange", &self.token_exchange)
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
        self.path_prefix = prefix.into();
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
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Checks the configuration and builds the transport.
    pub fn build(self) -> Result<Transport, Error> {
        let mut base_url = parse_base_url(&self.base_url)?;
        if !self.path_prefix.is_empty() {
            // A base URL without a path has the path `/`: join without doubling the slash.
            let path = format!(
                "{}/{}",
                base_url.path().trim_end_matches('/'),
                self.path_prefix.trim_matches('/')
            );
            base_url.set_path(path.trim_end_matches('/'));
        }
        let mut auth = self.auth?;
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
                let mut builder = reqwest::Client::builder()
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
            auth = Auth::custom(TokenSource::new(exchange, &base_url, http.clone())?);
        }
        Ok(Transport {
            inner: Arc::new(Inner {
                auth_scheme: self.auth_scheme,
                http,
                base_url,
                auth,
                headers,
                retry: self.retry,
            }),
        })
    }
}

fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|e| Error::InvalidHeader {
        name: name.to_owned(),
        reason: e.to_string(),
    })
}

fn parse_base_url(text: &str) -> Result<Url, Error> {
    let invalid = |reason: &str| Error::InvalidBaseUrl {
        url: text.to_owned(),
        reason: reason.to_owned(),
    };
    if text.is_empty() {
        return Err(invalid(
            "no base URL was given and the spec names no absolute server: set one with `base_url`",
        ));
    }
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
    fn invalid_base_url_error_does_not_panic_at_build() {
        let err = Transport::builder("://").build().expect_err("invalid");
        assert!(matches!(err, Error::InvalidBaseUrl { .. }));
    }
}
