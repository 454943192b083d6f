//! The `ClientBuilder` method of each security scheme: what credential it takes and how the
//! runtime sends it.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{doc, ident};
use crate::model::{AuthKind, AuthScheme, TokenExchangeDef};

/// The builder method that sets the credentials of `scheme`.
pub(super) fn auth_method(scheme: &AuthScheme) -> TokenStream {
    let method = ident(&scheme.method_name);
    let scheme_key = scheme.key.as_str();
    let key_note = format!("Security scheme `{}` of the spec.", scheme.key);
    let docs = doc::attrs([scheme.doc.as_deref(), Some(key_note.as_str())]);
    match &scheme.kind {
        AuthKind::Bearer => quote! {
            /// Sends `Authorization: Bearer <token>` with every request.
            ///
            #docs
            pub fn #method(mut self, token: impl Into<String>) -> Self {
                self.inner = self.inner.auth(clientgen_runtime::Auth::bearer(clientgen_runtime::SecretString::from(token.into())));
                self.inner = self.inner.auth_scheme(#scheme_key);
                self
            }
        },
        AuthKind::Basic => quote! {
            /// Sends HTTP Basic credentials with every request.
            ///
            #docs
            pub fn #method(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
                self.inner = self.inner.auth(clientgen_runtime::Auth::basic(user, clientgen_runtime::SecretString::from(password.into())));
                self.inner = self.inner.auth_scheme(#scheme_key);
                self
            }
        },
        AuthKind::ApiKeyHeader { name, prefix } => {
            let summary = doc::text(&match prefix {
                Some(prefix) => {
                    format!("Sends the API key as `{name}: {prefix} <key>` with every request.")
                }
                None => format!("Sends the API key in the `{name}` header with every request."),
            });
            let prefix = match prefix {
                Some(prefix) => quote!(Some(#prefix)),
                None => quote!(None),
            };
            quote! {
                #summary
                ///
                #docs
                pub fn #method(mut self, key: impl Into<String>) -> Self {
                    self.inner = self.inner.try_auth(clientgen_runtime::Auth::api_key_header(
                        #name,
                        #prefix,
                        clientgen_runtime::SecretString::from(key.into()),
                    ));
                    self.inner = self.inner.auth_scheme(#scheme_key);
                    self
                }
            }
        }
        AuthKind::ClientCredentials { token_url } => {
            let summary = doc::text(&format!(
                "Authenticates with OAuth2 client credentials: a token from `{token_url}` (HTTP Basic `client_id:client_secret`), cached, refreshed before it expires, and renewed once on a 401."
            ));
            quote! {
                #summary
                ///
                #docs
                pub fn #method(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
                    self.inner = self.inner.token_exchange(clientgen_runtime::TokenExchange::client_credentials(
                        #token_url,
                        client_id,
                        clientgen_runtime::SecretString::from(client_secret.into()),
                        &[],
                    ));
                    self.inner = self.inner.auth_scheme(#scheme_key);
                    self
                }
            }
        }
        AuthKind::TokenExchange(def) => token_exchange_method(&method, def, &docs, scheme_key),
        AuthKind::ApiKeyCookie { name } => {
            let summary = doc::text(&format!(
                "Sends the API key as the `{name}` cookie of every request."
            ));
            quote! {
                #summary
                ///
                #docs
                pub fn #method(mut self, key: impl Into<String>) -> Self {
                    self.inner = self.inner.auth(clientgen_runtime::Auth::api_key_cookie(#name, clientgen_runtime::SecretString::from(key.into())));
                    self.inner = self.inner.auth_scheme(#scheme_key);
                    self
                }
            }
        }
        AuthKind::ApiKeyQuery { name } => {
            let summary = doc::text(&format!(
                "Sends the API key as the `{name}` query parameter of every request."
            ));
            quote! {
                #summary
                ///
                #docs
                pub fn #method(mut self, key: impl Into<String>) -> Self {
                    self.inner = self.inner.auth(clientgen_runtime::Auth::api_key_query(#name, clientgen_runtime::SecretString::from(key.into())));
                    self.inner = self.inner.auth_scheme(#scheme_key);
                    self
                }
            }
        }
    }
}

/// A builder method exchanging a credential for a token, as `x-clientgen-token-exchange` says.
fn token_exchange_method(
    method: &proc_macro2::Ident,
    def: &TokenExchangeDef,
    docs: &TokenStream,
    scheme_key: &str,
) -> TokenStream {
    let path = def.path.as_str();
    let token_field = def.token_field.as_str();
    let lifetime = def.lifetime_seconds;
    let expiry = match (&def.expires_in_field, &def.expires_at_field) {
        (Some(field), _) => quote!(clientgen_runtime::TokenExpiry::ExpiresIn(#field.to_owned())),
        (None, Some(field)) => quote!(clientgen_runtime::TokenExpiry::ExpiresAt(#field.to_owned())),
        (None, None) => {
            quote!(clientgen_runtime::TokenExpiry::Fixed(std::time::Duration::from_secs(#lifetime)))
        }
    };
    let summary = doc::text(&format!(
        "Exchanges the credential at `{path}` for a bearer token (lifetime {lifetime} s unless the response says), cached, refreshed before it expires, and renewed once on a 401."
    ));
    let (args, credentials) = if def.basic {
        (
            quote!(user: impl Into<String>, secret: impl Into<String>),
            quote!(clientgen_runtime::TokenCredentials::Basic {
                user: user.into(),
                secret: clientgen_runtime::SecretString::from(secret.into()),
            }),
        )
    } else {
        (
            quote!(key: impl Into<String>),
            quote!(clientgen_runtime::TokenCredentials::Bearer(
                clientgen_runtime::SecretString::from(key.into())
            )),
        )
    };
    quote! {
        #summary
        ///
        #docs
        pub fn #method(mut self, #args) -> Self {
            self.inner = self.inner.token_exchange(clientgen_runtime::TokenExchange {
                endpoint: #path.to_owned(),
                credentials: #credentials,
                form: Vec::new(),
                token_field: #token_field.to_owned(),
                expiry: #expiry,
                fallback_lifetime: std::time::Duration::from_secs(#lifetime),
                refresh_margin: std::time::Duration::from_secs(30),
            });
            self.inner = self.inner.auth_scheme(#scheme_key);
            self
        }
    }
}
