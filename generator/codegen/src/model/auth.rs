//! `securitySchemes` → the [`AuthScheme`]s a generated client builder offers.
//!
//! Each scheme becomes one builder method named for what the caller supplies
//! (`bearer_token`, `basic_auth`, `api_key`); when two schemes would share a name, the scheme's
//! key is put in front. An API key sent as `<prefix> <key>` declares its prefix with the
//! extension `x-clientgen-key-prefix` (for example `Token`). OAuth2 schemes with a
//! `clientCredentials` flow fetch their own tokens (`client_credentials`); other OAuth2 and
//! OpenID Connect schemes are offered as a bearer access token that the caller obtains.
//!
//! Vendor extensions read here (documented in CONTRIBUTING-style detail in the README):
//! - `x-clientgen-token-exchange` on an `http`/`bearer` scheme: a credential exchanged for a
//!   short-lived token: `path`, `credentials` (`basic` | `bearer`), `token-field`
//!   (default `access_token`), `expires-in-field` or `expires-at-field`, `lifetime-seconds`
//!   (default 600), `builder-method` (default `token_exchange`);
//! - `x-clientgen-headers` at the document root: headers sent with every request;
//! - `x-clientgen-path-prefix` at the document root: `{template: "/s/{space}"}`, a prefix the
//!   caller chooses per client with a builder method named after the placeholder.

use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityScheme};

use super::{AuthKind, AuthScheme, PathPrefix, TokenExchangeDef};
use crate::diagnostic::{push_pointer, Problem};
use crate::naming::{self, NameAllocator};

/// The extension that gives an API key's prefix.
pub const KEY_PREFIX_EXTENSION: &str = "x-clientgen-key-prefix";

/// Fills each operation's [`Operation::security`](super::Operation::security) from its
/// `security` (or the document's): the schemes it accepts, when some scheme the client offers
/// is not among them, so the client never sends credentials an operation does not take
/// (Security Onion's and Stellar Cyber's token endpoints take HTTP Basic, not the bearer token
/// every other operation takes). A requirement naming no scheme, or an empty one (`{}`,
/// anonymous access allowed), leaves the operation unrestricted. Naming a scheme that is not
/// declared is a problem.
pub fn attach_security(
    document: &OpenAPI,
    operations: &mut [super::Operation],
    schemes: &[AuthScheme],
    problems: &mut Vec<Problem>,
) {
    for (path, item) in &document.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            let (requirements, at) = match (&op.security, &document.security) {
                (Some(own), _) => (
                    own,
                    push_pointer(
                        &push_pointer(&push_pointer("/paths", path), method),
                        "security",
                    ),
                ),
                (None, Some(shared)) => (shared, "/security".to_owned()),
                (None, None) => continue,
            };
            let mut accepted: Vec<String> = Vec::new();
            for (index, requirement) in requirements.iter().enumerate() {
                for key in requirement.keys() {
                    if !schemes.iter().any(|s| s.key == *key) {
                        problems.push(Problem::new(
                            format!("{at}/{index}"),
                            format!("security requirement names `{key}`, which is not a key of components/securitySchemes"),
                        ));
                    } else if !accepted.contains(key) {
                        accepted.push(key.clone());
                    }
                }
            }
            let anonymous = requirements.iter().any(|r| r.is_empty());
            let covers_all = schemes.iter().all(|s| accepted.contains(&s.key));
            let security = if requirements.is_empty() {
                Some(Vec::new())
            } else if anonymous || covers_all {
                None
            } else {
                Some(accepted)
            };
            if let Some(target) = operations
                .iter_mut()
                .find(|o| o.path == *path && o.http_method.eq_ignore_ascii_case(method))
            {
                target.security = security;
            }
        }
    }
}

/// The schemes of `document`, in document order, their builder methods allocated from `names`
/// (see [`naming::builder_methods`]).
pub fn build(
    document: &OpenAPI,
    names: &mut NameAllocator,
    problems: &mut Vec<Problem>,
) -> Vec<AuthScheme> {
    let Some(components) = &document.components else {
        return Vec::new();
    };
    let mut schemes = Vec::new();
    for (key, scheme) in &components.security_schemes {
        let pointer = push_pointer("/components/securitySchemes", key);
        let ReferenceOr::Item(scheme) = scheme else {
            problems.push(Problem::new(
                push_pointer(&pointer, "$ref"),
                "security scheme references are not supported: write the scheme inline",
            ));
            continue;
        };
        let (kind, doc, method): (AuthKind, &Option<String>, String) = match scheme {
            SecurityScheme::HTTP {
                scheme: http,
                description,
                extensions,
                ..
            } => match http.to_ascii_lowercase().as_str() {
                "bearer" if extensions.contains_key(TOKEN_EXCHANGE_EXTENSION) => {
                    let ext_pointer = push_pointer(&pointer, TOKEN_EXCHANGE_EXTENSION);
                    match token_exchange(&extensions[TOKEN_EXCHANGE_EXTENSION], &ext_pointer) {
                        Ok((def, method)) => (AuthKind::TokenExchange(def), description, method),
                        Err(problem) => {
                            problems.push(problem);
                            continue;
                        }
                    }
                }
                "bearer" => (AuthKind::Bearer, description, naming::BEARER_METHOD.into()),
                "basic" => (AuthKind::Basic, description, naming::BASIC_METHOD.into()),
                other => {
                    problems.push(Problem::new(
                        push_pointer(&pointer, "scheme"),
                        format!("HTTP authentication scheme `{other}` is not supported (bearer and basic are)"),
                    ));
                    continue;
                }
            },
            SecurityScheme::APIKey {
                location,
                name,
                description,
                extensions,
            } => {
                let kind = match location {
                    APIKeyLocation::Header => AuthKind::ApiKeyHeader {
                        name: name.clone(),
                        prefix: extensions
                            .get(KEY_PREFIX_EXTENSION)
                            .and_then(|v| v.as_str())
                            .map(str::to_owned),
                    },
                    APIKeyLocation::Query => AuthKind::ApiKeyQuery { name: name.clone() },
                    APIKeyLocation::Cookie => AuthKind::ApiKeyCookie { name: name.clone() },
                };
                (kind, description, naming::API_KEY_METHOD.into())
            }
            SecurityScheme::OAuth2 {
                description, flows, ..
            } => match &flows.client_credentials {
                Some(flow) => (
                    AuthKind::ClientCredentials {
                        token_url: flow.token_url.clone(),
                    },
                    description,
                    naming::CLIENT_CREDENTIALS_METHOD.into(),
                ),
                None => (
                    AuthKind::Bearer,
                    description,
                    naming::ACCESS_TOKEN_METHOD.into(),
                ),
            },
            SecurityScheme::OpenIDConnect { description, .. } => (
                AuthKind::Bearer,
                description,
                naming::ACCESS_TOKEN_METHOD.into(),
            ),
        };
        schemes.push(AuthScheme {
            key: key.clone(),
            method_name: naming::scheme_method(names, key, &method),
            kind,
            doc: doc.clone(),
        });
    }
    schemes
}

/// The extension describing a token exchange.
pub const TOKEN_EXCHANGE_EXTENSION: &str = "x-clientgen-token-exchange";
/// The extension listing headers sent with every request.
pub const HEADERS_EXTENSION: &str = "x-clientgen-headers";
/// The extension declaring a per-client path prefix.
pub const PATH_PREFIX_EXTENSION: &str = "x-clientgen-path-prefix";

/// Reads `x-clientgen-token-exchange`; returns the exchange and its builder method name.
fn token_exchange(
    value: &serde_json::Value,
    pointer: &str,
) -> Result<(TokenExchangeDef, String), Problem> {
    const KNOWN: &[&str] = &[
        "path",
        "credentials",
        "token-field",
        "expires-in-field",
        "expires-at-field",
        "lifetime-seconds",
        "builder-method",
    ];
    let object = value
        .as_object()
        .ok_or_else(|| Problem::new(pointer, "`x-clientgen-token-exchange` must be an object"))?;
    if let Some(unknown) = object.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(Problem::new(
            push_pointer(pointer, unknown),
            format!("unknown member `{unknown}` (known: {})", KNOWN.join(", ")),
        ));
    }
    let text = |key: &str| -> Result<Option<String>, Problem> {
        match object.get(key) {
            None => Ok(None),
            Some(serde_json::Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            Some(_) => Err(Problem::new(
                push_pointer(pointer, key),
                format!("`{key}` must be a non-empty string"),
            )),
        }
    };
    let path = text("path")?
        .ok_or_else(|| Problem::new(pointer, "`path` (the token endpoint) is required"))?;
    let basic = match text("credentials")?.as_deref() {
        None | Some("basic") => true,
        Some("bearer") => false,
        Some(other) => {
            return Err(Problem::new(
                push_pointer(pointer, "credentials"),
                format!("`credentials` is `{other}`; it must be `basic` or `bearer`"),
            ))
        }
    };
    let lifetime_seconds = match object.get("lifetime-seconds") {
        None => 600,
        Some(v) => v.as_u64().filter(|n| *n > 0).ok_or_else(|| {
            Problem::new(
                push_pointer(pointer, "lifetime-seconds"),
                "`lifetime-seconds` must be a positive integer",
            )
        })?,
    };
    let method = text("builder-method")?
        .map(|name| naming::field_name(&name))
        .unwrap_or_else(|| naming::TOKEN_EXCHANGE_METHOD.to_owned());
    let def = TokenExchangeDef {
        path,
        basic,
        token_field: text("token-field")?.unwrap_or_else(|| "access_token".to_owned()),
        expires_in_field: text("expires-in-field")?,
        expires_at_field: text("expires-at-field")?,
        lifetime_seconds,
    };
    Ok((def, method))
}

/// `x-clientgen-headers`: a map of header names to values.
pub fn default_headers(document: &OpenAPI, problems: &mut Vec<Problem>) -> Vec<(String, String)> {
    let Some(value) = document.extensions.get(HEADERS_EXTENSION) else {
        return Vec::new();
    };
    let pointer = push_pointer("", HEADERS_EXTENSION);
    let Some(object) = value.as_object() else {
        problems.push(Problem::new(
            pointer,
            "`x-clientgen-headers` must map header names to string values",
        ));
        return Vec::new();
    };
    let mut headers = Vec::new();
    for (name, value) in object {
        let valid_name = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        let printable = |text: &str| {
            text.bytes()
                .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
        };
        match value.as_str() {
            Some(text) if valid_name && printable(text) => {
                headers.push((name.to_ascii_lowercase(), text.to_owned()))
            }
            _ => problems.push(Problem::new(
                push_pointer(&pointer, name),
                format!("header `{name}` needs a valid name and a printable ASCII string value"),
            )),
        }
    }
    headers
}

/// `x-clientgen-path-prefix`: `{template: "/s/{space}", description: …}`; its builder method,
/// named after the placeholder, is allocated from `names` after the schemes' (see [`build`]).
pub fn path_prefix(
    document: &OpenAPI,
    names: &mut NameAllocator,
    problems: &mut Vec<Problem>,
) -> Option<PathPrefix> {
    let value = document.extensions.get(PATH_PREFIX_EXTENSION)?;
    let pointer = push_pointer("", PATH_PREFIX_EXTENSION);
    let template = value.get("template").and_then(serde_json::Value::as_str);
    let placeholder = template.and_then(|t| {
        let (_, rest) = t.split_once('{')?;
        let (name, after) = rest.split_once('}')?;
        (t.starts_with('/') && !name.is_empty() && !after.contains('{')).then_some(name)
    });
    match (template, placeholder) {
        (Some(template), Some(name)) => Some(PathPrefix {
            method_name: names.allocate(&naming::field_name(name)),
            template: template.to_owned(),
            doc: value
                .get("description")
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned),
        }),
        _ => {
            problems.push(Problem::new(
                pointer,
                "`x-clientgen-path-prefix` needs `template`: a path starting with `/` with exactly one `{name}` placeholder",
            ));
            None
        }
    }
}
