//! How credentials are attached to a request.
//!
//! A generated client's builder turns the security schemes of its spec into an [`Auth`]. The
//! schemes that need no network round trip (bearer, basic, API key in a header, the query or a
//! cookie) are
//! implemented here; schemes that fetch tokens implement [`Authenticate`] the same way.
//! Secrets are held as [`SecretString`] and header values are marked sensitive, so neither
//! `Debug` output nor HTTP-level logging shows them.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use base64::Engine as _;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION, COOKIE};
use secrecy::{ExposeSecret, SecretString};

use crate::Error;

/// A boxed future returned by [`Authenticate::authenticate`].
pub type AuthFuture<'a> = Pin<Box<dyn Future<Output = Result<(), Error>> + Send + 'a>>;

/// Something that can add credentials to an outgoing request.
pub trait Authenticate: Send + Sync + fmt::Debug {
    /// Adds credentials (headers or query parameters) to `request`.
    fn authenticate<'a>(&'a self, request: &'a mut reqwest::Request) -> AuthFuture<'a>;

    /// Called when the server answered 401 to a request that carried `used` as its
    /// `Authorization` header. Returns whether fresh credentials are worth one more attempt
    /// (a token source forgets that token and fetches a new one on the next call).
    fn on_unauthorized(&self, used: Option<&HeaderValue>) -> bool {
        let _ = used;
        false
    }

    /// Whether these credentials send anything secret (so plain `http://` to a host that is
    /// not loopback is refused unless the caller opts in).
    fn sends_credentials(&self) -> bool {
        true
    }

    /// Checks the credentials once, when the client is built: a credential that cannot be
    /// sent is reported then, not on the first call. The error never quotes the secret.
    fn check(&self) -> Result<(), Error> {
        Ok(())
    }
}

/// The credentials a client sends; cheap to clone.
#[derive(Clone, Debug)]
pub struct Auth(Arc<dyn Authenticate>);

impl Default for Auth {
    fn default() -> Self {
        Auth::none()
    }
}

impl Auth {
    /// Sends no credentials.
    pub fn none() -> Self {
        Auth(Arc::new(StaticAuth::None))
    }

    /// `Authorization: Bearer <token>`. The token must be visible ASCII; one that is not is
    /// reported when the client is built.
    pub fn bearer(token: impl Into<SecretString>) -> Self {
        let token: SecretString = token.into();
        let value = visible("the bearer token", token.expose_secret())
            .and_then(|()| sensitive(format!("Bearer {}", token.expose_secret())));
        Auth(Arc::new(StaticAuth::Header {
            scheme: "Bearer",
            name: AUTHORIZATION,
            user: None,
            prefix: None,
            value,
        }))
    }

    /// `Authorization: Basic base64(<user>:<password>)`. The user cannot contain `:` (RFC
    /// 7617) and neither may contain control characters; such credentials are reported when
    /// the client is built.
    pub fn basic(user: impl Into<String>, password: impl Into<SecretString>) -> Self {
        let (user, password): (String, SecretString) = (user.into(), password.into());
        let value = basic_value(&user, password.expose_secret());
        Auth(Arc::new(StaticAuth::Header {
            scheme: "Basic",
            name: AUTHORIZATION,
            user: Some(user),
            prefix: None,
            value,
        }))
    }

    /// An API key in the header `name`, sent as `<prefix> <key>` when a prefix is given
    /// (for example `Authorization: Token <key>`).
    pub fn api_key_header(
        name: &str,
        prefix: Option<&str>,
        key: impl Into<SecretString>,
    ) -> Result<Self, Error> {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| Error::InvalidHeader {
            name: name.to_owned(),
            reason: e.to_string(),
        })?;
        let key: SecretString = key.into();
        let text = match prefix {
            Some(prefix) => format!("{prefix} {}", key.expose_secret()),
            None => key.expose_secret().to_owned(),
        };
        let value = visible("the API key", key.expose_secret()).and_then(|()| sensitive(text));
        Ok(Auth(Arc::new(StaticAuth::Header {
            scheme: "ApiKey",
            name,
            user: None,
            prefix: prefix.map(str::to_owned),
            value,
        })))
    }

    /// An API key in the query parameter `name`. The key must be visible ASCII; one that is
    /// not is reported when the client is built.
    pub fn api_key_query(name: &str, key: impl Into<SecretString>) -> Self {
        let key: SecretString = key.into();
        let valid = visible("the API key", key.expose_secret());
        Auth(Arc::new(StaticAuth::QueryKey {
            name: name.to_owned(),
            key,
            valid,
        }))
    }

    /// An API key in the cookie `name` (`Cookie: name=<key>`, after any cookie parameters of
    /// the request). The name must be an HTTP token and the key cookie text (visible ASCII
    /// without `"`, `,`, `;` or `\\`); anything else is reported when the client is built.
    pub fn api_key_cookie(name: &str, key: impl Into<SecretString>) -> Self {
        let key: SecretString = key.into();
        let valid = cookie_name(name).and_then(|()| cookie_key(key.expose_secret()));
        Auth(Arc::new(StaticAuth::CookieKey {
            name: name.to_owned(),
            key,
            valid,
        }))
    }

    /// Credentials from a custom [`Authenticate`] implementation.
    pub fn custom(authenticator: impl Authenticate + 'static) -> Self {
        Auth(Arc::new(authenticator))
    }

    /// Adds the credentials to `request`.
    pub async fn apply(&self, request: &mut reqwest::Request) -> Result<(), Error> {
        self.0.authenticate(request).await
    }

    /// See [`Authenticate::on_unauthorized`].
    pub fn on_unauthorized(&self, used: Option<&HeaderValue>) -> bool {
        self.0.on_unauthorized(used)
    }

    /// See [`Authenticate::sends_credentials`].
    pub fn sends_credentials(&self) -> bool {
        self.0.sends_credentials()
    }

    /// See [`Authenticate::check`].
    pub fn check(&self) -> Result<(), Error> {
        self.0.check()
    }
}

/// Credentials that are known up front. Header credentials are encoded once, into a header
/// value marked sensitive; an `Err` there says, without quoting it, why the credential cannot
/// be sent.
enum StaticAuth {
    None,
    Header {
        scheme: &'static str,
        name: HeaderName,
        user: Option<String>,
        prefix: Option<String>,
        value: Result<HeaderValue, String>,
    },
    QueryKey {
        name: String,
        key: SecretString,
        valid: Result<(), String>,
    },
    CookieKey {
        name: String,
        key: SecretString,
        valid: Result<(), String>,
    },
}

impl fmt::Debug for StaticAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StaticAuth::None => f.write_str("None"),
            StaticAuth::Header {
                scheme,
                name,
                user,
                prefix,
                ..
            } => f
                .debug_struct(scheme)
                .field("header", name)
                .field("user", user)
                .field("prefix", prefix)
                .field("credential", &"[REDACTED]")
                .finish(),
            StaticAuth::QueryKey { name, .. } => f
                .debug_struct("QueryKey")
                .field("name", name)
                .field("key", &"[REDACTED]")
                .finish(),
            StaticAuth::CookieKey { name, .. } => f
                .debug_struct("CookieKey")
                .field("name", name)
                .field("key", &"[REDACTED]")
                .finish(),
        }
    }
}

/// A header value holding a secret, marked sensitive so HTTP-level logging hides it.
pub(crate) fn sensitive(value: String) -> Result<HeaderValue, String> {
    let mut value = HeaderValue::try_from(value)
        .map_err(|_| "the credential cannot be carried in a header".to_owned())?;
    value.set_sensitive(true);
    Ok(value)
}

/// Checks a Basic user and password: the user cannot contain `:` (RFC 7617) and neither may
/// contain control characters; other text, non-ASCII included, is base64-encoded as UTF-8.
pub(crate) fn check_basic(user: &str, password: &str) -> Result<(), String> {
    if user.contains(':') {
        return Err(
            "the Basic user name contains `:`, which Basic authentication cannot carry".into(),
        );
    }
    if user.chars().chain(password.chars()).any(char::is_control) {
        return Err("the Basic user name or password contains a control character".into());
    }
    Ok(())
}

/// Checks that a secret is visible ASCII (what a token or key can be); the reason names the
/// position of the first bad character, never the secret.
pub(crate) fn visible(what: &str, secret: &str) -> Result<(), String> {
    match secret.bytes().position(|b| !b.is_ascii_graphic()) {
        _ if secret.is_empty() => Err(format!("{what} is empty")),
        Some(at) => Err(format!(
            "{what} has a space, control or non-ASCII character at byte {at}: it must be visible ASCII"
        )),
        None => Ok(()),
    }
}

/// Checks a cookie name: an HTTP token (RFC 6265 `cookie-name`).
fn cookie_name(name: &str) -> Result<(), String> {
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(token) {
        return Err(format!(
            "the cookie name `{name}` is not an HTTP token: it cannot carry the API key"
        ));
    }
    Ok(())
}

/// Checks a key sent as a cookie value (RFC 6265 `cookie-octet`s); the reason names the
/// position of the first bad character, never the key.
fn cookie_key(key: &str) -> Result<(), String> {
    visible("the API key", key)?;
    match key
        .bytes()
        .position(|b| matches!(b, b'"' | b',' | b';' | b'\\'))
    {
        Some(at) => Err(format!(
            "the API key has a `\"`, `,`, `;` or `\\` at byte {at}, which a cookie cannot carry"
        )),
        None => Ok(()),
    }
}

/// The `Authorization` value for HTTP Basic, once the user and password are checked.
pub(crate) fn basic_value(user: &str, password: &str) -> Result<HeaderValue, String> {
    check_basic(user, password)?;
    let raw = format!("{user}:{password}");
    let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
    sensitive(format!("Basic {encoded}"))
}

impl StaticAuth {
    fn apply(&self, request: &mut reqwest::Request) -> Result<(), Error> {
        match self {
            StaticAuth::None => {}
            StaticAuth::Header { name, value, .. } => {
                let value = value.clone().map_err(|reason| Error::Auth {
                    reason,
                    status: None,
                })?;
                request.headers_mut().insert(name.clone(), value);
            }
            StaticAuth::QueryKey { name, key, valid } => {
                valid.clone().map_err(|reason| Error::Auth {
                    reason,
                    status: None,
                })?;
                request
                    .url_mut()
                    .query_pairs_mut()
                    .append_pair(name, key.expose_secret());
            }
            StaticAuth::CookieKey { name, key, valid } => {
                valid.clone().map_err(|reason| Error::Auth {
                    reason,
                    status: None,
                })?;
                let pair = format!("{name}={}", key.expose_secret());
                let text = match request.headers().get(COOKIE).and_then(|v| v.to_str().ok()) {
                    Some(existing) if !existing.is_empty() => format!("{existing}; {pair}"),
                    _ => pair,
                };
                let value = sensitive(text).map_err(|reason| Error::Auth {
                    reason,
                    status: None,
                })?;
                request.headers_mut().insert(COOKIE, value);
            }
        }
        Ok(())
    }
}

impl Authenticate for StaticAuth {
    fn authenticate<'a>(&'a self, request: &'a mut reqwest::Request) -> AuthFuture<'a> {
        let result = self.apply(request);
        Box::pin(async move { result })
    }

    fn sends_credentials(&self) -> bool {
        !matches!(self, StaticAuth::None)
    }

    fn check(&self) -> Result<(), Error> {
        let problem = match self {
            StaticAuth::None => None,
            StaticAuth::Header { value, .. } => value.as_ref().err(),
            StaticAuth::QueryKey { valid, .. } | StaticAuth::CookieKey { valid, .. } => {
                valid.as_ref().err()
            }
        };
        match problem {
            Some(reason) => Err(Error::Auth {
                reason: reason.clone(),
                status: None,
            }),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> reqwest::Request {
        reqwest::Request::new(
            reqwest::Method::GET,
            "http://127.0.0.1/x".parse().expect("valid URL"),
        )
    }

    fn run(auth: &Auth) -> reqwest::Request {
        let mut req = request();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        rt.block_on(auth.apply(&mut req)).expect("auth applies");
        req
    }

    #[test]
    fn bearer_sets_authorization() {
        let req = run(&Auth::bearer("s3cr3t".to_owned()));
        assert_eq!(req.headers()[AUTHORIZATION], "Bearer s3cr3t");
        assert!(req.headers()[AUTHORIZATION].is_sensitive());
    }

    #[test]
    fn basic_encodes_user_and_password() {
        let req = run(&Auth::basic("user", "pass".to_owned()));
        assert_eq!(req.headers()[AUTHORIZATION], "Basic dXNlcjpwYXNz");
    }

    #[test]
    fn header_key_uses_prefix() {
        let auth = Auth::api_key_header("Authorization", Some("Token"), "abc".to_owned())
            .expect("valid header");
        assert_eq!(run(&auth).headers()[AUTHORIZATION], "Token abc");
    }

    #[test]
    fn query_key_is_appended() {
        let req = run(&Auth::api_key_query("api_key", "k&y".to_owned()));
        assert_eq!(req.url().query(), Some("api_key=k%26y"));
    }

    #[test]
    fn cookie_key_is_sent_after_the_request_cookies_and_marked_sensitive() {
        let auth = Auth::api_key_cookie("session", "s3cr3t".to_owned());
        auth.check().expect("valid");
        let req = run(&auth);
        assert_eq!(req.headers()[COOKIE], "session=s3cr3t");
        assert!(req.headers()[COOKIE].is_sensitive());
        assert_eq!(req.url().query(), None, "never in the query");

        let mut req = request();
        req.headers_mut()
            .insert(COOKIE, HeaderValue::from_static("color=blue"));
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        rt.block_on(auth.apply(&mut req)).expect("auth applies");
        assert_eq!(req.headers()[COOKIE], "color=blue; session=s3cr3t");
        assert!(req.headers()[COOKIE].is_sensitive());
    }

    #[test]
    fn cookie_keys_a_cookie_cannot_carry_are_refused_without_quoting_them() {
        for auth in [
            Auth::api_key_cookie("session", "s3cr3t;other=1".to_owned()),
            Auth::api_key_cookie("session", "s3cr3t,x".to_owned()),
            Auth::api_key_cookie("session", "s3cr3t x".to_owned()),
            Auth::api_key_cookie("bad name", "s3cr3t".to_owned()),
            Auth::api_key_cookie("", "s3cr3t".to_owned()),
        ] {
            let error = auth.check().expect_err("refused");
            let shown = format!("{error} {error:?} {auth:?}");
            assert!(matches!(error, Error::Auth { .. }), "{shown}");
            assert!(!shown.contains("s3cr3t"), "{shown}");
            let mut req = request();
            let rt = tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("runtime");
            assert!(rt.block_on(auth.apply(&mut req)).is_err());
            assert!(req.headers().get(COOKIE).is_none());
        }
    }

    #[test]
    fn credentials_that_are_not_visible_ascii_are_refused_without_quoting_them() {
        for auth in [
            Auth::bearer("s3cr3t\r\nX-Evil: 1".to_owned()),
            Auth::bearer("s3cr3t with space".to_owned()),
            Auth::bearer(String::new()),
            Auth::api_key_header("X-Key", None, "s3cr3t\u{e9}".to_owned()).expect("name"),
            Auth::api_key_query("key", "s3cr3t\t".to_owned()),
            Auth::basic("us:er", "s3cr3t".to_owned()),
            Auth::basic("user", "s3cr3t\n".to_owned()),
        ] {
            let error = auth.check().expect_err("refused");
            let shown = format!("{error} {error:?}");
            assert!(matches!(error, Error::Auth { .. }), "{shown}");
            assert!(!shown.contains("s3cr3t"), "{shown}");
        }
        Auth::basic("user", "pässwörd with spaces".to_owned())
            .check()
            .expect("Basic passwords are base64-encoded, so any text goes");
        assert!(!Auth::none().sends_credentials());
        assert!(Auth::bearer("t".to_owned()).sends_credentials());
    }

    #[test]
    fn debug_never_shows_secrets() {
        for auth in [
            Auth::bearer("s3cr3t-token".to_owned()),
            Auth::basic("user", "s3cr3t-token".to_owned()),
            Auth::api_key_header("X-Key", None, "s3cr3t-token".to_owned()).expect("valid"),
            Auth::api_key_query("key", "s3cr3t-token".to_owned()),
            Auth::api_key_cookie("key", "s3cr3t-token".to_owned()),
        ] {
            let shown = format!("{auth:?}");
            assert!(!shown.contains("s3cr3t"), "{shown}");
        }
    }
}
