//! The generated clients pointed at a [`HostileServer`], the credentials they carry, and the
//! few well-formed bodies the hostile tests need when the server plays along.
#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

use clientgen_runtime::RetryPolicy;
use serde_json::{json, Value};

use crate::hostile::server::{HostileServer, Recorded, Reply};

/// Stamus: `Authorization: Token <key>`.
pub const STAMUS_KEY: &str = "stamus-key-3064d9deadbeef";
/// Sekoia: `Authorization: Bearer <key>`.
pub const SEKOIA_KEY: &str = "sekoia-key-Zm9vYmFy";
/// Elastic: `Authorization: ApiKey <key>`.
pub const ELASTIC_KEY: &str =
    "elastic-key-VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
/// Security Onion OAuth2 client id and secret, and the token its endpoint issues.
pub const SO_CLIENT_ID: &str = "so-client-7f3a";
pub const SO_CLIENT_SECRET: &str = "so-secret-b9c2e41d";
pub const SO_TOKEN: &str = "so-token-issued-by-the-right-origin";
pub const SO_TOKEN_PATH: &str = "/oauth2/token";
/// Stellar Cyber user, API key, and the token its endpoint issues.
pub const STELLAR_USER: &str = "soc@example.com";
pub const STELLAR_KEY: &str = "stellar-key-2iRpBAyQYEfv77R2";
pub const STELLAR_TOKEN: &str = "stellar-jwt-issued-by-the-right-origin";
pub const STELLAR_TOKEN_PATH: &str = "/connect/api/v1/access_token";
/// A header every client also sends (`ClientBuilder::header`), as secret as the credentials.
pub const TENANT_HEADER: (&str, &str) = ("X-Soc-Tenant", "tenant-header-value-0xC0FFEE");

/// A Stamus client for `server`: API key, one extra header, no retries.
pub fn stamus(server: &HostileServer) -> stamus_client::ClientBuilder {
    stamus_client::Client::builder()
        .base_url(server.origin())
        .api_key(STAMUS_KEY)
        .header(TENANT_HEADER.0, TENANT_HEADER.1)
        .retry(RetryPolicy::none())
}

/// A Sekoia client for `server` (base URL with its `/v1` prefix), no retries.
pub fn sekoia(server: &HostileServer) -> sekoia_client::ClientBuilder {
    sekoia_client::Client::builder()
        .base_url(server.url("/v1"))
        .bearer_token(SEKOIA_KEY)
        .retry(RetryPolicy::none())
}

/// An Elastic Security client for `server`: API key, no retries.
pub fn elastic(server: &HostileServer) -> elastic_security_client::ClientBuilder {
    elastic_security_client::Client::builder()
        .base_url(server.origin())
        .api_key(ELASTIC_KEY)
        .retry(RetryPolicy::none())
}

/// A Security Onion client for `server`: OAuth2 client credentials, no retries.
pub fn security_onion(server: &HostileServer) -> security_onion_client::ClientBuilder {
    security_onion_client::Client::builder()
        .base_url(server.origin())
        .client_credentials(SO_CLIENT_ID, SO_CLIENT_SECRET)
        .retry(RetryPolicy::none())
}

/// A Stellar Cyber client for `server`: API key exchanged for a token, no retries.
pub fn stellar(server: &HostileServer) -> stellar_cyber_client::ClientBuilder {
    stellar_cyber_client::Client::builder()
        .base_url(server.origin())
        .api_key_exchange(STELLAR_USER, STELLAR_KEY)
        .retry(RetryPolicy::none())
}

/// A well-formed Security Onion token response.
pub fn so_token(expires_in: Value) -> Reply {
    Reply::json(
        200,
        &json!({"access_token": SO_TOKEN, "token_type": "bearer", "expires_in": expires_in, "scope": ""}),
    )
}

/// A well-formed Stellar Cyber token response, valid for ten minutes.
pub fn stellar_token() -> Reply {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    Reply::json(
        200,
        &json!({"access_token": STELLAR_TOKEN, "exp": now + 600, "token_type": "Bearer"}),
    )
}

/// Answers `token_path` with `token` and anything else with `api(request)`.
pub fn with_token(
    token_path: &'static str,
    token: Reply,
    api: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
) -> impl Fn(&Recorded) -> Reply + Send + Sync + 'static {
    move |request| {
        if request.path() == token_path {
            token.clone()
        } else {
            api(request)
        }
    }
}

/// A Stamus rule (`get_rule`).
pub fn stamus_rule() -> Value {
    json!({
        "pk": 2_001_219,
        "sid": 2_001_219,
        "category": {"pk": 12, "name": "emerging-scan", "descr": "", "created_date": "2024-01-01T00:00:00Z", "source": 1},
        "msg": "ET SCAN Potential SSH Scan",
        "state": true,
        "created": "2024-01-01",
        "updated": "2024-03-02",
        "hits": 42
    })
}

/// A Stamus ruleset (`create_ruleset` answer).
pub fn stamus_ruleset() -> Value {
    json!({"pk": 4, "name": "Hunting", "descr": "", "sources": [1], "categories": [12]})
}

/// An empty page of Elastic exception list items.
pub fn elastic_items_page() -> Value {
    json!({"data": [], "page": 1, "per_page": 20, "total": 0})
}

/// Runs `call`, failing the test when it takes longer than `limit` (a client that hangs on a
/// hostile server is a finding, not a reason for the suite to hang).
pub async fn within<T>(limit: Duration, what: &str, call: impl Future<Output = T>) -> T {
    match tokio::time::timeout(limit, call).await {
        Ok(value) => value,
        Err(_) => panic!("{what}: no result within {limit:?}"),
    }
}

/// Asserts `text` (an error's `Display` or `Debug`) does not contain `secret`.
pub fn assert_not_quoted(text: &str, secret: &str) {
    assert!(
        !text.contains(secret),
        "the secret `{secret}` is quoted in: {text}"
    );
}
