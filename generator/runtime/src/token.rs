//! Credentials that are exchanged for a short-lived bearer token: OAuth2 client credentials
//! (Security Onion) and vendor token exchanges (Stellar Cyber's API key → 10-minute JWT).
//!
//! A [`TokenSource`] posts to the token endpoint, caches the token until its expiry minus a
//! safety margin, refreshes it before it expires, and fetches it once for any number of
//! concurrent callers (the fetch runs under one async lock, so callers arriving meanwhile wait
//! for its result). When the API answers 401, the token that was refused is forgotten and the
//! request is sent once more with a fresh one.

use std::fmt;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use http::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::auth::{AuthFuture, Authenticate};
use crate::error::excerpt;
use crate::Error;

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

/// Where a token's lifetime comes from.
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
    /// Used when the response lacks the expiry member.
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

struct Cached {
    header: HeaderValue,
    refresh_at: Instant,
}

/// Fetches, caches and refreshes a bearer token; see the module documentation.
pub struct TokenSource {
    exchange: TokenExchange,
    endpoint: Url,
    http: reqwest::Client,
    /// The current token. Never held across an `.await`, so a 401 can always forget it.
    cached: std::sync::Mutex<Option<Cached>>,
    /// Held while a token is fetched: one fetch at a time, whatever the number of callers.
    fetching: tokio::sync::Mutex<()>,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource")
            .field("endpoint", &self.endpoint.as_str())
            .field("credentials", &self.exchange.credentials)
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
            cached: std::sync::Mutex::new(None),
            fetching: tokio::sync::Mutex::new(()),
        })
    }

    /// The token endpoint, resolved against the base URL.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Option<Cached>> {
        // The guarded value is replaced whole, so a panic elsewhere cannot leave it half-set.
        self.cached.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cached `Authorization` value, while it is not due for refresh.
    fn current(&self) -> Option<HeaderValue> {
        self.cache()
            .as_ref()
            .filter(|t| Instant::now() < t.refresh_at)
            .map(|t| t.header.clone())
    }

    /// The current `Authorization` value, fetching a token first when needed.
    async fn header(&self) -> Result<HeaderValue, Error> {
        if let Some(header) = self.current() {
            return Ok(header);
        }
        let _one_fetch = self.fetching.lock().await;
        // Whoever held the lock before may have fetched the token this caller waited for.
        if let Some(header) = self.current() {
            return Ok(header);
        }
        let fresh = self.fetch().await?;
        let header = fresh.header.clone();
        *self.cache() = Some(fresh);
        Ok(header)
    }

    async fn fetch(&self) -> Result<Cached, Error> {
        let failed =
            |reason: String, status: Option<http::StatusCode>| Error::Auth { reason, status };
        let credential = match &self.exchange.credentials {
            TokenCredentials::Basic { user, secret } => {
                let raw = format!("{user}:{}", secret.expose_secret());
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(raw)
                )
            }
            TokenCredentials::Bearer(key) => format!("Bearer {}", key.expose_secret()),
        };
        let mut credential = HeaderValue::try_from(credential).map_err(|_| {
            failed(
                "the credentials contain characters a header cannot carry".into(),
                None,
            )
        })?;
        credential.set_sensitive(true);
        let request = self
            .http
            .post(self.endpoint.clone())
            .header(AUTHORIZATION, credential)
            .header(ACCEPT, "application/json");
        // Always a form, even an empty one: OAuth2 sends `grant_type`, and the exchanges that
        // need no fields (Stellar Cyber's) are documented with this content type and no body.
        let body = serde_urlencoded::to_string(&self.exchange.form)
            .map_err(|e| failed(format!("cannot encode the token request: {e}"), None))?;
        let request = request
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body);
        let response = request.send().await.map_err(|e| {
            failed(
                format!("token endpoint unreachable: {}", e.without_url()),
                None,
            )
        })?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| {
            failed(
                format!("token response unreadable: {}", e.without_url()),
                Some(status),
            )
        })?;
        if !status.is_success() {
            return Err(failed(
                format!("token endpoint answered {status}: {}", excerpt(&body)),
                Some(status),
            ));
        }
        // The body holds the token: no excerpt of it goes into an error.
        let json: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| failed(format!("token response is not JSON: {e}"), Some(status)))?;
        let token = json
            .get(&self.exchange.token_field)
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| {
                failed(
                    format!(
                        "token response has no string member `{}`",
                        self.exchange.token_field
                    ),
                    Some(status),
                )
            })?;
        let lifetime = self.lifetime(&json);
        let margin = self.exchange.refresh_margin.min(lifetime / 2);
        let mut header = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| {
            failed(
                "the token contains characters a header cannot carry".into(),
                Some(status),
            )
        })?;
        header.set_sensitive(true);
        tracing::debug!(lifetime_s = lifetime.as_secs(), "fetched an access token");
        Ok(Cached {
            header,
            refresh_at: Instant::now() + lifetime - margin,
        })
    }

    fn lifetime(&self, json: &serde_json::Value) -> Duration {
        let number = |name: &str| {
            let value = json.get(name)?;
            value
                .as_f64()
                .or_else(|| value.as_str()?.trim().parse().ok())
        };
        let lifetime = match &self.exchange.expiry {
            TokenExpiry::Fixed(lifetime) => Some(*lifetime),
            TokenExpiry::ExpiresIn(name) => {
                number(name).map(|s| Duration::from_secs_f64(s.max(0.0)))
            }
            TokenExpiry::ExpiresAt(name) => number(name).map(|at| {
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap_or_default();
                Duration::from_secs_f64(at.max(0.0)).saturating_sub(now)
            }),
        };
        lifetime.unwrap_or(self.exchange.fallback_lifetime)
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
        let mut cached = self.cache();
        if cached.as_ref().is_some_and(|t| t.header == used) {
            *cached = None;
        }
        true
    }
}
