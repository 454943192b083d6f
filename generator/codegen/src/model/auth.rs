//! `securitySchemes` → the [`AuthScheme`]s a generated client builder offers.
//!
//! Each scheme becomes one builder method named for what the caller supplies
//! (`bearer_token`, `basic_auth`, `api_key`); when two schemes would share a name, the scheme's
//! key is put in front. An API key sent as `<prefix> <key>` declares its prefix with the
//! extension `x-clientgen-key-prefix` (for example `Token`). OAuth2 and OpenID Connect schemes
//! are offered as a bearer access token that the caller obtains.

use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityScheme};

use super::{AuthKind, AuthScheme};
use crate::diagnostic::{push_pointer, Problem};
use crate::naming::{self, NameAllocator};

/// The extension that gives an API key's prefix.
pub const KEY_PREFIX_EXTENSION: &str = "x-clientgen-key-prefix";

/// Builder methods the generated `ClientBuilder` already has.
const BUILDER_METHODS: &[&str] = &[
    "base_url",
    "header",
    "timeout",
    "connect_timeout",
    "user_agent",
    "http_client",
    "retry",
    "add_root_certificate_pem",
    "danger_accept_invalid_certs",
    "build",
];

/// The schemes of `document`, in document order.
pub fn build(document: &OpenAPI, problems: &mut Vec<Problem>) -> Vec<AuthScheme> {
    let Some(components) = &document.components else {
        return Vec::new();
    };
    let mut names = NameAllocator::with_reserved(BUILDER_METHODS);
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
        let (kind, doc, method) = match scheme {
            SecurityScheme::HTTP {
                scheme: http,
                description,
                ..
            } => match http.to_ascii_lowercase().as_str() {
                "bearer" => (AuthKind::Bearer, description, "bearer_token"),
                "basic" => (AuthKind::Basic, description, "basic_auth"),
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
                    APIKeyLocation::Cookie => {
                        problems.push(Problem::new(
                            push_pointer(&pointer, "in"),
                            "API keys sent in a cookie are not supported",
                        ));
                        continue;
                    }
                };
                (kind, description, "api_key")
            }
            SecurityScheme::OAuth2 { description, .. }
            | SecurityScheme::OpenIDConnect { description, .. } => {
                (AuthKind::Bearer, description, "access_token")
            }
        };
        let wanted = if names.clone().allocate(method) == method {
            method.to_owned()
        } else {
            format!("{}_{method}", naming::bare(&naming::field_name(key)))
        };
        schemes.push(AuthScheme {
            key: key.clone(),
            method_name: names.allocate(&wanted),
            kind,
            doc: doc.clone(),
        });
    }
    schemes
}
