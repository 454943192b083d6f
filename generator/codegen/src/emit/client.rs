//! `src/client.rs`: the `Client`, its builder, and one async method per operation.
//!
//! Methods only describe the request (method, path template, parameters, body) and which
//! statuses mean success; sending, credentials, encoding and errors are the runtime's.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::payload_type;
use super::{doc, ident, rust_type};
use crate::model::dedup;
use crate::model::types::{is_param, param_types, ADDITIONAL_FIELD};
use crate::model::{
    Additional, ApiModel, AuthKind, AuthScheme, BodyKind, ErrorStatus, JobDef, Operation,
    PageStyle, PaginationDef, Param, ParamLocation, ParamStyle, PathPrefix, PathStep, Payload,
    SuccessReturn, TokenExchangeDef, TypeDef, TypeKind, TypeRef,
};

/// What the client file needs beyond the model.
pub struct ClientSettings<'a> {
    /// Base URL used when the caller gives none ("" when there is none).
    pub default_base_url: &'a str,
    /// `User-Agent` sent by default.
    pub user_agent: &'a str,
}

/// The contents of `src/client.rs`.
pub fn emit(model: &ApiModel, settings: &ClientSettings<'_>) -> TokenStream {
    let default_base_url = settings.default_base_url;
    let user_agent = settings.user_agent;
    let servers = model.servers.iter().map(|s| {
        let url = &s.url;
        let description = s.description.as_deref().unwrap_or("");
        quote!(Server { url: #url, description: #description },)
    });
    let auth_methods = model.auth.iter().map(auth_method);
    let prefix_method = model.path_prefix.as_ref().map(path_prefix_method);
    let default_headers = model
        .default_headers
        .iter()
        .map(|(name, value)| quote!(.header(#name, #value)));
    let context = Context {
        defs: model.types.iter().map(|d| (d.name.as_str(), d)).collect(),
        param_types: param_types(&model.types),
        method_features: model
            .operations
            .iter()
            .filter_map(|op| {
                let feature = model.features.of_operation(&op.id)?;
                Some((op.method_name.as_str(), feature))
            })
            .collect(),
    };
    // Untagged operations (or all, in a crate without tag features) are methods of the main
    // `impl Client`; each tag feature's are an `impl Client` of their own, built with it.
    let mut methods = Vec::new();
    let mut by_feature: BTreeMap<&str, Vec<TokenStream>> = BTreeMap::new();
    for op in &model.operations {
        let method = operation_method(op, &context);
        match model.features.of_operation(&op.id) {
            Some(feature) => by_feature.entry(feature).or_default().push(method),
            None => methods.push(method),
        }
    }
    let tag_impls = by_feature.into_iter().map(|(feature, methods)| {
        let tag = &model.features.tags[feature].tag;
        let doc = format!(
            "Operations tagged `{tag}`: built with the feature `{feature}` (on by default)."
        );
        quote! {
            #[doc = #doc]
            #[cfg(feature = #feature)]
            impl Client {
                #(#methods)*
            }
        }
    });
    let title = format!("A client for the {}.", model.title);
    let default_doc = if default_base_url.is_empty() {
        "The spec names no absolute server URL: set one with [`ClientBuilder::base_url`]."
            .to_owned()
    } else {
        format!("The base URL used unless [`ClientBuilder::base_url`] sets another: `{default_base_url}`.")
    };
    quote! {
        //! The API client.
        use clientgen_runtime::{Error, Server, Transport, TransportBuilder};

        #[doc = #default_doc]
        pub const DEFAULT_BASE_URL: &str = #default_base_url;

        /// The servers the spec lists, in its order; any of them can be given to
        /// [`ClientBuilder::base_url`].
        pub const SERVERS: &[Server] = &[#(#servers)*];

        #[doc = #title]
        ///
        /// Cheap to clone: clones share one connection pool and configuration.
        #[derive(Clone, Debug)]
        pub struct Client {
            transport: Transport,
        }

        /// Configures a [`Client`]: base URL, credentials, timeouts and HTTP client.
        #[derive(Debug)]
        #[must_use]
        pub struct ClientBuilder {
            inner: TransportBuilder,
        }

        impl ClientBuilder {
            /// Sets the base URL, path prefix included (for example `https://host/api/v1`).
            pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
                self.inner = self.inner.base_url(base_url);
                self
            }

            #(#auth_methods)*

            #prefix_method

            /// Adds a header sent with every request.
            pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.inner = self.inner.header(name, value);
                self
            }

            /// Limits each whole request (default 60 s).
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.inner = self.inner.timeout(timeout);
                self
            }

            /// Limits connection set-up (default 10 s).
            pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
                self.inner = self.inner.connect_timeout(timeout);
                self
            }

            /// Limits one whole call, across every attempt, redirect and wait between retries
            /// (default 120 s); past it the call fails with `Error::Deadline`.
            pub fn deadline(mut self, deadline: std::time::Duration) -> Self {
                self.inner = self.inner.deadline(deadline);
                self
            }

            /// Refuses a response body read whole past `bytes` (default 32 MiB) with
            /// `Error::ResponseTooLarge`; streamed bodies (downloads, NDJSON) are read a chunk
            /// or a line at a time, and an NDJSON line may not exceed it.
            pub fn max_response_bytes(mut self, bytes: usize) -> Self {
                self.inner = self.inner.max_response_bytes(bytes);
                self
            }

            /// **Dangerous:** allows credentials over plain `http://` to a host that is not
            /// loopback, where anyone on the network path can read them; without it,
            /// [`Self::build`] refuses that combination.
            pub fn danger_allow_plaintext_credentials(mut self) -> Self {
                self.inner = self.inner.danger_allow_plaintext_credentials();
                self
            }

            /// Sets the `User-Agent` header.
            pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
                self.inner = self.inner.user_agent(user_agent);
                self
            }

            /// Sets how failed requests are retried (default: 3 attempts for idempotent methods
            /// on 429, 502, 503, 504 and connection failures, honouring `Retry-After`).
            pub fn retry(mut self, policy: clientgen_runtime::RetryPolicy) -> Self {
                self.inner = self.inner.retry(policy);
                self
            }

            /// Trusts the CA certificate(s) in `pem` besides the system's roots.
            pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
                self.inner = self.inner.add_root_certificate_pem(pem);
                self
            }

            /// **Dangerous:** accepts any server certificate (self-signed appliances), so the
            /// connection can be read and changed by anyone on the path. Prefer
            /// [`Self::add_root_certificate_pem`].
            pub fn danger_accept_invalid_certs(mut self) -> Self {
                self.inner = self.inner.danger_accept_invalid_certs();
                self
            }

            /// Sends requests through a `reqwest::Client` configured by the caller (proxies,
            /// middleware); the timeouts and TLS settings above then do not apply. Build it from
            /// `clientgen_runtime::transport::http_client_builder()`, which turns off `reqwest`'s
            /// own redirect following: this client follows only same-origin redirects.
            pub fn http_client(mut self, client: clientgen_runtime::reqwest::Client) -> Self {
                self.inner = self.inner.http_client(client);
                self
            }

            /// Checks the configuration and builds the client.
            pub fn build(self) -> Result<Client, Error> {
                Ok(Client { transport: self.inner.build()? })
            }
        }

        impl Client {
            /// Starts configuring a client; see [`ClientBuilder`].
            pub fn builder() -> ClientBuilder {
                ClientBuilder {
                    inner: Transport::builder(DEFAULT_BASE_URL)
                        .user_agent(#user_agent)
                        #(#default_headers)*,
                }
            }

            /// A client sending its requests through an existing transport.
            pub fn from_transport(transport: Transport) -> Self {
                Client { transport }
            }

            /// The transport this client sends through.
            pub fn transport(&self) -> &Transport {
                &self.transport
            }

            #(#methods)*
        }

        #(#tag_impls)*
    }
}

fn auth_method(scheme: &AuthScheme) -> TokenStream {
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
            let summary = match prefix {
                Some(prefix) => {
                    format!("Sends the API key as `{name}: {prefix} <key>` with every request.")
                }
                None => format!("Sends the API key in the `{name}` header with every request."),
            };
            let prefix = match prefix {
                Some(prefix) => quote!(Some(#prefix)),
                None => quote!(None),
            };
            quote! {
                #[doc = #summary]
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
            let summary = format!(
                "Authenticates with OAuth2 client credentials: a token from `{token_url}` (HTTP Basic `client_id:client_secret`), cached, refreshed before it expires, and renewed once on a 401."
            );
            quote! {
                #[doc = #summary]
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
            let summary = format!("Sends the API key as the `{name}` cookie of every request.");
            quote! {
                #[doc = #summary]
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
            let summary =
                format!("Sends the API key as the `{name}` query parameter of every request.");
            quote! {
                #[doc = #summary]
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

/// What method bodies need to know about the model's types.
struct Context<'m> {
    defs: HashMap<&'m str, &'m TypeDef>,
    param_types: BTreeSet<String>,
    /// Method name → the tag feature that builds it.
    method_features: HashMap<&'m str, &'m str>,
}

/// The calls that put each member of a multipart body struct into a part.
fn multipart_parts(body_ty: &TypeRef, context: &Context<'_>) -> Vec<TokenStream> {
    let additional = ident(ADDITIONAL_FIELD);
    let fields = match body_ty {
        TypeRef::Named(name) => match dedup::definition(&context.defs, name).map(|d| &d.kind) {
            Some(TypeKind::Struct { fields, additional }) => Some((fields, additional)),
            _ => None,
        },
        _ => None,
    };
    let Some((fields, extra)) = fields else {
        // A free-form object: every member is a part.
        return vec![quote!(.extra(body))];
    };
    let mut calls: Vec<TokenStream> = fields
        .iter()
        .map(|field| {
            let wire = field.wire_name.as_str();
            let name = ident(&field.name);
            let present = if field.double_option() {
                quote!(body.#name.as_ref().and_then(Option::as_ref))
            } else {
                quote!(body.#name.as_ref())
            };
            let optional = field.optional() && !field.boxed;
            match (&field.ty, optional) {
                (TypeRef::Binary, false) => quote!(.file(#wire, &body.#name)),
                (TypeRef::Binary, true) => quote!(.file_opt(#wire, #present)),
                (TypeRef::Array(item), _) if is_param(item, &context.param_types) => {
                    if field.double_option() {
                        quote!(.text_each(#wire, #present.map(Vec::as_slice).unwrap_or_default()))
                    } else if field.optional() {
                        quote!(.text_each(#wire, body.#name.as_deref().unwrap_or_default()))
                    } else {
                        quote!(.text_each(#wire, &body.#name))
                    }
                }
                (ty, false) if is_param(ty, &context.param_types) && !field.boxed => {
                    quote!(.text(#wire, &body.#name))
                }
                (ty, true) if is_param(ty, &context.param_types) => {
                    quote!(.text_opt(#wire, #present))
                }
                (_, false) => quote!(.json(#wire, &body.#name)),
                (_, true) => quote!(.json_opt(#wire, #present)),
            }
        })
        .collect();
    if matches!(extra, Additional::Keep) {
        calls.push(quote!(.unknown(&body.#additional)));
    }
    calls
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
    let summary = format!(
        "Exchanges the credential at `{path}` for a bearer token (lifetime {lifetime} s unless the response says), cached, refreshed before it expires, and renewed once on a 401."
    );
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
        #[doc = #summary]
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

/// The builder method that sets the per-client path prefix.
fn path_prefix_method(prefix: &PathPrefix) -> TokenStream {
    let method = ident(&prefix.method_name);
    let (before, rest) = prefix
        .template
        .split_once('{')
        .unwrap_or((&prefix.template, "}"));
    let after = rest.split_once('}').map(|(_, a)| a).unwrap_or("");
    let name = prefix.method_name.as_str();
    let summary = format!(
        "Sends every request under `{}` (the value is percent-encoded as one path segment; \
         an empty value, `.` or `..` makes [`Self::build`] fail).",
        prefix.template
    );
    let docs = doc::attrs([Some(summary.as_str()), prefix.doc.as_deref()]);
    quote! {
        #docs
        pub fn #method(mut self, #method: &str) -> Self {
            self.inner = self.inner.path_prefix_segment(#before, #name, #method, #after);
            self
        }
    }
}

/// Reads a value at `steps` in `page` by reference: `Option<&T>`.
fn path_by_ref(steps: &[PathStep]) -> TokenStream {
    steps.iter().fold(quote!(Some(&page)), |acc, step| {
        let field = ident(&step.field);
        if step.double {
            quote!(#acc.and_then(|v| v.#field.as_ref()).and_then(|v| v.as_ref()))
        } else if step.optional {
            quote!(#acc.and_then(|v| v.#field.as_ref()))
        } else {
            quote!(#acc.map(|v| &v.#field))
        }
    })
}

/// Moves the value at `steps` out of `page`: `Option<T>`.
fn path_by_value(steps: &[PathStep]) -> TokenStream {
    steps.iter().fold(quote!(Some(page)), |acc, step| {
        let field = ident(&step.field);
        if step.double {
            quote!(#acc.and_then(|v| v.#field.flatten()))
        } else if step.optional {
            quote!(#acc.and_then(|v| v.#field))
        } else {
            quote!(#acc.map(|v| v.#field))
        }
    })
}

/// `<method>_stream`: every item of every page, fetched as the stream is read.
fn stream_method(op: &Operation, pagination: &PaginationDef) -> TokenStream {
    let types = quote!(crate::types::);
    let method = ident(&op.method_name);
    let stream = quote::format_ident!("{}_stream", crate::naming::bare(&op.method_name));
    let id = op.id.as_str();
    let item = rust_type(&pagination.item_ty, &types);
    let start = pagination.start;
    // Path arguments are copied into the stream, so it borrows only the client.
    let mut args = Vec::new();
    let mut owned = Vec::new();
    let mut per_page = Vec::new();
    let mut call_args = Vec::new();
    for param in &op.path_params {
        let name = ident(&param.name);
        let ty = path_arg_type(&param.ty);
        args.push(quote!(#name: #ty));
        if path_arg_is_reference(&param.ty) {
            owned.push(quote!(let #name = #name.to_owned();));
            per_page.push(quote!(let #name = #name.clone();));
            call_args.push(quote!(&#name));
        } else {
            call_args.push(quote!(#name));
        }
    }
    let position = match pagination.style {
        PageStyle::Offset => quote!(clientgen_runtime::pagination::Position::Offset(#start)),
        PageStyle::Page => quote!(clientgen_runtime::pagination::Position::Page(#start)),
        PageStyle::NextLink => quote!(clientgen_runtime::pagination::Position::First),
        PageStyle::Cursor => {
            quote!(clientgen_runtime::pagination::Position::Cursor(
                String::new()
            ))
        }
    };
    let assign = match (&pagination.param, pagination.style) {
        (Some(field), PageStyle::Cursor) => {
            let field = ident(field);
            let value = if pagination.param_required {
                quote!(cursor.clone())
            } else {
                quote!(Some(cursor.clone()))
            };
            quote! {
                if let clientgen_runtime::pagination::Position::Cursor(cursor) = &position {
                    if !cursor.is_empty() {
                        params.#field = #value;
                    }
                }
            }
        }
        (Some(field), _) => {
            let field = ident(field);
            let converted = match pagination.param_ty {
                TypeRef::I32 => quote!(i32::try_from(position.value()).unwrap_or(i32::MAX)),
                _ => quote!(i64::try_from(position.value()).unwrap_or(i64::MAX)),
            };
            if pagination.param_required {
                quote!(params.#field = #converted;)
            } else {
                quote!(params.#field = Some(#converted);)
            }
        }
        (None, _) => quote!(),
    };
    // Next links carry their own query, so their params never change.
    let bind_params = if pagination.param.is_some() {
        quote!(let mut params = params.clone();)
    } else {
        quote!(let params = params.clone();)
    };
    let next = match &pagination.next {
        Some(steps) => {
            let read = path_by_ref(steps);
            quote!(#read.cloned())
        }
        None => quote!(None),
    };
    let total = match &pagination.total {
        Some(steps) => {
            let read = path_by_ref(steps);
            quote!(#read.and_then(|t| u64::try_from(*t).ok()))
        }
        None => quote!(None),
    };
    let has_more = match &pagination.has_more {
        Some(steps) => {
            let read = path_by_ref(steps);
            quote!(#read.copied())
        }
        None => quote!(None),
    };
    let items = path_by_value(&pagination.items);
    let response_ty = rust_type(&pagination.response_ty, &types);
    let fetch = match pagination.style {
        // Later pages are the links the server gave, followed as given on the same origin.
        PageStyle::NextLink => quote! {
            let page: #response_ty = match position {
                clientgen_runtime::pagination::Position::Link(link) => {
                    let response = self.transport.follow(#id, &link).send().await?;
                    if !response.status().is_success() {
                        return Err(response.into_error());
                    }
                    response.json()?
                }
                _ => self.#method(#(#call_args,)* &params).await?,
            };
        },
        _ => quote! {
            let page = self.#method(#(#call_args,)* &params).await?;
        },
    };
    let params_type = op.params_type.as_deref().map(ident);
    let docs = format!(
        "Every item of [`Self::{}`], page after page: pages are fetched as the stream is read and one page is held at a time. Ends on an empty page, when the total is reached or the server says there are no more; `max_items` stops it early without fetching further pages. A page repeating the previous one ends it with [`Error::Pagination`]; an error fetching a page is yielded and ends it. Set the page size with the parameters.",
        op.method_name
    );
    quote! {
        #[doc = #docs]
        pub fn #stream<'a>(
            &'a self,
            #(#args,)*
            params: &crate::operations::#params_type,
            max_items: Option<usize>,
        ) -> impl clientgen_runtime::futures::Stream<Item = Result<#item, Error>> + 'a {
            let params = params.clone();
            #(#owned)*
            clientgen_runtime::pagination::items(#id, #position, max_items, move |position| {
                #bind_params
                #assign
                #(#per_page)*
                async move {
                    #fetch
                    let total = #total;
                    let has_more = #has_more;
                    let next = #next;
                    let items = #items.unwrap_or_default();
                    Ok(clientgen_runtime::pagination::Page { items, total, has_more, next })
                }
            })
        }
    }
}

/// A JSON value from the spec as an expression building the same `serde_json::Value`.
fn json_value(value: &serde_json::Value) -> TokenStream {
    match value {
        serde_json::Value::String(s) => quote!(serde_json::Value::from(#s)),
        serde_json::Value::Number(n) if n.is_i64() => {
            let n = n.as_i64().unwrap_or_default();
            quote!(serde_json::Value::from(#n))
        }
        serde_json::Value::Number(n) => {
            let n = n.as_f64().unwrap_or_default();
            quote!(serde_json::Value::from(#n))
        }
        other => {
            let text = other.to_string();
            quote!(serde_json::from_str::<serde_json::Value>(#text).unwrap_or_default())
        }
    }
}

/// The job helper: create the job, wait for it, then stream its results.
fn job_method(op: &Operation, job: &JobDef) -> TokenStream {
    let types = quote!(crate::types::);
    let helper = ident(&job.method_name);
    let create = ident(&op.method_name);
    let id_field = ident(&job.id_field);
    let status_method = ident(&job.status_method);
    let status_field = ident(&job.status_field);
    let results = quote::format_ident!("{}_stream", crate::naming::bare(&job.results_method));
    let body_ty = rust_type(&job.body_ty, &types);
    let item = rust_type(&job.item_ty, &types);
    let operation = op.id.as_str();
    let done_count = job.done.len();
    let failed_count = job.failed.len();
    let done = job.done.iter().map(json_value);
    let failed = job.failed.iter().map(json_value);
    let (params_arg, params_pass) = match &job.results_params_type {
        Some(name) => {
            let name = ident(name);
            (quote!(params: &crate::operations::#name,), quote!(params,))
        }
        None => (quote!(), quote!()),
    };
    let docs = format!(
        "Runs [`Self::{}`], waits for the job by polling [`Self::{}`] (intervals growing as `options` says), then streams its results with [`Self::{}_stream`]. A failed or cancelled job, or one still running after `options.timeout`, is [`Error::Job`].",
        op.method_name, job.status_method, job.results_method
    );
    quote! {
        #[doc = #docs]
        pub async fn #helper<'a>(
            &'a self,
            body: &#body_ty,
            #params_arg
            max_items: Option<usize>,
            options: clientgen_runtime::jobs::JobOptions,
        ) -> Result<impl clientgen_runtime::futures::Stream<Item = Result<#item, Error>> + 'a, Error> {
            let created = self.#create(body).await?;
            let id = clientgen_runtime::ToParam::to_param(&created.#id_field);
            let done: [serde_json::Value; #done_count] = [#(#done),*];
            let failed: [serde_json::Value; #failed_count] = [#(#failed),*];
            clientgen_runtime::jobs::wait(#operation, options, || {
                let id = id.clone();
                let (done, failed) = (&done, &failed);
                async move {
                    let job = self.#status_method(&id).await?;
                    let status = serde_json::to_value(&job.#status_field).unwrap_or_default();
                    let shown = format!("{:?}", job.#status_field);
                    Ok(if done.contains(&status) {
                        clientgen_runtime::jobs::JobState::Done
                    } else if failed.contains(&status) {
                        clientgen_runtime::jobs::JobState::Failed(shown)
                    } else {
                        clientgen_runtime::jobs::JobState::Running(shown)
                    })
                }
            })
            .await?;
            Ok(self.#results(&id, #params_pass max_items))
        }
    }
}

/// How a path argument is taken: strings by `&str`, lists by slice, other named types by
/// reference, the remaining scalars by value.
fn path_arg_type(ty: &TypeRef) -> TokenStream {
    let types = quote!(crate::types::);
    match ty {
        TypeRef::String => quote!(&str),
        TypeRef::Array(item) => {
            let item = rust_type(item, &types);
            quote!(&[#item])
        }
        TypeRef::Named(_) | TypeRef::Map(_) | TypeRef::Object | TypeRef::Any => {
            let ty = rust_type(ty, &types);
            quote!(&#ty)
        }
        other => rust_type(other, &types),
    }
}

fn path_arg_is_reference(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::String
            | TypeRef::Named(_)
            | TypeRef::Array(_)
            | TypeRef::Map(_)
            | TypeRef::Object
            | TypeRef::Any
    )
}

fn param_in(location: ParamLocation) -> TokenStream {
    match location {
        ParamLocation::Path => quote!(clientgen_runtime::param::ParamIn::Path),
        ParamLocation::Query => quote!(clientgen_runtime::param::ParamIn::Query),
        ParamLocation::Header => quote!(clientgen_runtime::param::ParamIn::Header),
        ParamLocation::Cookie => quote!(clientgen_runtime::param::ParamIn::Cookie),
    }
}

fn param_style(style: ParamStyle) -> TokenStream {
    match style {
        ParamStyle::Form => quote!(clientgen_runtime::param::ParamStyle::Form),
        ParamStyle::Simple => quote!(clientgen_runtime::param::ParamStyle::Simple),
        ParamStyle::Label => quote!(clientgen_runtime::param::ParamStyle::Label),
        ParamStyle::Matrix => quote!(clientgen_runtime::param::ParamStyle::Matrix),
        ParamStyle::SpaceDelimited => quote!(clientgen_runtime::param::ParamStyle::SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(clientgen_runtime::param::ParamStyle::PipeDelimited),
        ParamStyle::DeepObject => quote!(clientgen_runtime::param::ParamStyle::DeepObject),
    }
}

/// The runtime call for a parameter that the `ToParam` fast path does not cover: any
/// style, any shape (through `serde`), or a JSON `content` parameter. `value` is a reference
/// for required parameters and an `Option` of one for optional parameters.
fn styled_param_call(param: &Param, value: TokenStream, required: bool) -> TokenStream {
    let wire = param.wire_name.as_str();
    let at = param_in(param.location);
    if param.json_content {
        return if required {
            quote!(.json_param(#at, #wire, #value))
        } else {
            quote!(.json_param_opt(#at, #wire, #value))
        };
    }
    let style = param_style(param.style);
    let explode = param.explode;
    if required {
        quote!(.param(#at, #wire, #style, #explode, #value))
    } else {
        quote!(.param_opt(#at, #wire, #style, #explode, #value))
    }
}

/// The call that fills a path placeholder from the argument of the same name.
fn path_param_call(param: &Param, context: &Context<'_>) -> TokenStream {
    let name = ident(&param.name);
    let wire = param.wire_name.as_str();
    let value = if path_arg_is_reference(&param.ty) {
        quote!(#name)
    } else {
        quote!(&#name)
    };
    let scalar = is_param(&param.ty, &context.param_types);
    if !param.json_content && param.style == ParamStyle::Simple && scalar {
        quote!(.path_param(#wire, #value))
    } else {
        styled_param_call(param, value, true)
    }
}

fn param_call(param: &Param, context: &Context<'_>) -> TokenStream {
    let wire = param.wire_name.as_str();
    let field = ident(&param.name);
    let value = quote!(params.#field);
    let scalar = is_param(&param.ty, &context.param_types);
    let scalar_items =
        matches!(&param.ty, TypeRef::Array(item) if is_param(item, &context.param_types));
    let fast = !param.json_content
        && match param.location {
            ParamLocation::Header => scalar,
            ParamLocation::Query => param.style == ParamStyle::Form && (scalar || scalar_items),
            ParamLocation::Path | ParamLocation::Cookie => false,
        };
    if !fast {
        return if param.required {
            styled_param_call(param, quote!(&#value), true)
        } else {
            styled_param_call(param, quote!(#value.as_ref()), false)
        };
    }
    match (param.location, &param.ty, param.required) {
        (ParamLocation::Header, _, true) => {
            let header = wire.to_ascii_lowercase();
            quote!(.header(#header, &#value))
        }
        (ParamLocation::Header, _, false) => {
            let header = wire.to_ascii_lowercase();
            quote!(.header_opt(#header, #value.as_ref()))
        }
        (_, TypeRef::Array(_), required) => {
            let verb = if param.explode {
                quote!(query_each)
            } else {
                quote!(query_joined)
            };
            if required {
                quote!(.#verb(#wire, &#value))
            } else {
                quote!(.#verb(#wire, #value.as_deref().unwrap_or_default()))
            }
        }
        (_, _, true) => quote!(.query(#wire, &#value)),
        (_, _, false) => quote!(.query_opt(#wire, #value.as_ref())),
    }
}

/// The error for a response that is not a success: typed when the spec declares its body.
fn error_for(op: &Operation) -> TokenStream {
    let types = quote!(crate::types::);
    match op.errors.as_slice() {
        [] => return quote!(response.into_error()),
        [only] if only.status == ErrorStatus::Default => {
            let ty = rust_type(&only.ty, &types);
            return quote!(response.into_declared_error::<#ty>());
        }
        _ => {}
    }
    // Statuses with the same body share one arm; touching codes and ranges are merged so
    // that `4XX` and `5XX` read `400..=599`.
    let mut groups: Vec<(&TypeRef, Vec<(u16, u16)>)> = Vec::new();
    let mut default = None;
    for declared in &op.errors {
        let span = match declared.status {
            ErrorStatus::Code(code) => (code, code),
            ErrorStatus::Range(digit) => (digit * 100, digit * 100 + 99),
            ErrorStatus::Default => {
                default = Some(&declared.ty);
                continue;
            }
        };
        match groups.last_mut() {
            Some((ty, spans)) if *ty == &declared.ty => spans.push(span),
            _ => groups.push((&declared.ty, vec![span])),
        }
    }
    let mut arms = Vec::new();
    for (ty, mut spans) in groups {
        spans.sort_unstable();
        let mut merged: Vec<(u16, u16)> = Vec::new();
        for (low, high) in spans {
            match merged.last_mut() {
                Some(last) if low <= last.1.saturating_add(1) => last.1 = last.1.max(high),
                _ => merged.push((low, high)),
            }
        }
        let patterns = merged.iter().map(|&(low, high)| {
            let low_lit = proc_macro2::Literal::u16_unsuffixed(low);
            let high_lit = proc_macro2::Literal::u16_unsuffixed(high);
            if low == high {
                quote!(#low_lit)
            } else {
                quote!(#low_lit..=#high_lit)
            }
        });
        let ty = rust_type(ty, &types);
        arms.push(quote!(#(#patterns)|* => response.into_declared_error::<#ty>(),));
    }
    let has_default = default.is_some();
    if let Some(ty) = default {
        let ty = rust_type(ty, &types);
        arms.push(quote!(_ => response.into_declared_error::<#ty>(),));
    }
    let fallback = (!has_default).then(|| quote!(_ => response.into_error(),));
    quote! {
        match response.status().as_u16() {
            #(#arms)*
            #fallback
        }
    }
}

/// The `# Errors` section of an operation's rustdoc: which statuses are successes, which error
/// bodies are declared and where to read them, and the other ways the call can fail.
fn errors_doc(op: &Operation) -> String {
    let statuses: Vec<u16> = match &op.success {
        SuccessReturn::Single { statuses, .. } => statuses.clone(),
        SuccessReturn::Several { responses, .. } => {
            responses.iter().filter_map(|r| r.status).collect()
        }
    };
    let success = if statuses.is_empty() {
        "a status that is not a success (2xx)".to_owned()
    } else {
        let list: Vec<String> = statuses.iter().map(u16::to_string).collect();
        format!("any status but {}", list.join(", "))
    };
    let mut lines = vec![
        "# Errors".to_owned(),
        String::new(),
        format!("- `Error::Status` when the server answers {success}."),
    ];
    // Statuses that share a body type are named together, in declaration order.
    let mut by_type: Vec<(String, Vec<String>)> = Vec::new();
    for declared in &op.errors {
        let status = match declared.status {
            ErrorStatus::Code(code) => format!("{code}"),
            ErrorStatus::Range(hundreds) => format!("{hundreds}XX"),
            ErrorStatus::Default => "any other status".to_owned(),
        };
        let ty = match &declared.ty {
            TypeRef::Named(name) => format!("types::{name}"),
            other => crate::surface::rust_type(other),
        };
        match by_type.iter_mut().find(|(t, _)| *t == ty) {
            Some((_, statuses)) => statuses.push(status),
            None => by_type.push((ty, vec![status])),
        }
    }
    for (ty, statuses) in by_type {
        let statuses = match statuses.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => continue,
        };
        lines.push(format!(
            "  For {statuses} the body is decoded as `{ty}`: `StatusError::declared::<{ty}>()` returns it."
        ));
    }
    let decodes = |payload: &Payload| matches!(payload, Payload::Json(_) | Payload::Ndjson(_));
    let any_decoded = match &op.success {
        SuccessReturn::Single { payload, .. } => decodes(payload),
        SuccessReturn::Several { responses, .. } => responses.iter().any(|r| decodes(&r.payload)),
    };
    if any_decoded {
        lines.push(
            "- `Error::Decode` when a success body does not match its declared type.".to_owned(),
        );
    }
    if !op.path_params.is_empty() {
        lines.push(
            "- `Error::InvalidParameter` before sending, when a path parameter is empty, `.` or `..`."
                .to_owned(),
        );
    }
    if op
        .security
        .as_ref()
        .is_none_or(|accepted| !accepted.is_empty())
    {
        lines.push(
            "- `Error::Auth` when the client's credentials cannot be obtained or are not accepted here."
                .to_owned(),
        );
    }
    lines.push(
        "- `Error::Transport`, `Error::Timeout`, `Error::Deadline`, `Error::Redirect` and \
         `Error::ResponseTooLarge` when the exchange itself fails."
            .to_owned(),
    );
    lines.join("\n")
}

/// Code that turns a successful `response` into `payload`.
fn decode(payload: &Payload) -> TokenStream {
    match payload {
        Payload::Empty => quote!(()),
        Payload::Json(_) => quote!(response.json()?),
        Payload::Text => quote!(response.text()),
        Payload::Ndjson(_) => quote!(response.ndjson()?),
        Payload::Bytes => quote!(response.body().clone()),
    }
}

fn operation_method(op: &Operation, context: &Context<'_>) -> TokenStream {
    let types = quote!(crate::types::);
    let method = ident(&op.method_name);
    let http_method = ident(&op.http_method);
    let id = op.id.as_str();
    let path = op.path.as_str();
    let signature_line = format!("`{} {}` (operation `{}`).", op.http_method, op.path, op.id);
    let deprecated_note = op.deprecated.then_some("**Deprecated** by the API.");
    let security_note = op.security.as_ref().map(|accepted| match accepted.as_slice() {
        [] => "Public: sent without credentials.".to_owned(),
        keys => format!(
            "Accepts only the security scheme(s) {}: a client built with other credentials gets `Error::Auth` without sending anything.",
            keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ),
    });
    let errors_section = errors_doc(op);
    let docs = doc::attrs([
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(signature_line.as_str()),
        deprecated_note,
        security_note.as_deref(),
        Some(errors_section.as_str()),
    ]);

    let mut args = Vec::new();
    let mut calls = Vec::new();
    for param in &op.path_params {
        let name = ident(&param.name);
        let ty = path_arg_type(&param.ty);
        args.push(quote!(#name: #ty));
        calls.push(path_param_call(param, context));
    }
    if let Some(accepted) = &op.security {
        calls.push(quote!(.security(&[#(#accepted),*])));
    }
    if let Some(params_type) = &op.params_type {
        let ty = ident(params_type);
        args.push(quote!(params: &crate::operations::#ty));
        calls.extend(op.params.iter().map(|p| param_call(p, context)));
    }
    if let Some(body) = &op.body {
        let media_type = body.media_type.as_str();
        let (ty, call, call_opt) = match body.kind {
            BodyKind::Json => (
                rust_type(&body.ty, &types),
                quote!(.json(body)),
                quote!(.json_opt(body)),
            ),
            BodyKind::Form => (
                rust_type(&body.ty, &types),
                quote!(.form(body)),
                quote!(.form_opt(body)),
            ),
            BodyKind::Text => (
                quote!(str),
                quote!(.text(#media_type, body)),
                quote!(.text_opt(#media_type, body)),
            ),
            BodyKind::Bytes => (
                quote!([u8]),
                quote!(.bytes(#media_type, body)),
                quote!(.bytes_opt(#media_type, body)),
            ),
            BodyKind::Multipart => {
                let parts = multipart_parts(&body.ty, context);
                let call = quote!(.multipart(clientgen_runtime::Multipart::new() #(#parts)*));
                (rust_type(&body.ty, &types), call.clone(), call)
            }
            BodyKind::Ndjson => {
                let item = rust_type(&body.ty, &types);
                let call = quote!(.ndjson(#media_type, body));
                (quote!([#item]), call.clone(), call)
            }
        };
        // A multipart or NDJSON body is always taken (an empty one when the spec makes it
        // optional): its encoding has no "absent" form.
        let required = body.required || matches!(body.kind, BodyKind::Multipart | BodyKind::Ndjson);
        if required {
            args.push(quote!(body: &#ty));
            calls.push(call);
        } else {
            args.push(quote!(body: Option<&#ty>));
            calls.push(call_opt);
        }
    }

    // A lone success answering a file or NDJSON is streamed, not buffered: the caller reads
    // it at its own pace and memory stays flat whatever its length.
    let streamed = match &op.success {
        SuccessReturn::Single {
            payload: Payload::Ndjson(item),
            ..
        } => {
            let item = rust_type(item, &types);
            Some((
                quote!(clientgen_runtime::NdjsonStream<#item>),
                quote!(body.ndjson()),
            ))
        }
        SuccessReturn::Single {
            payload: Payload::Bytes,
            ..
        } => Some((quote!(clientgen_runtime::ByteStream), quote!(body))),
        _ => None,
    };
    let send = if streamed.is_some() {
        quote!(send_streaming)
    } else {
        quote!(send)
    };
    let (return_type, handling) = match (&op.success, streamed) {
        (_, Some((ty, value))) => {
            let error = error_for(op);
            (
                ty,
                quote! {
                    match response {
                        clientgen_runtime::Streaming::Success(body) => Ok(#value),
                        clientgen_runtime::Streaming::Failure(response) => Err(#error),
                    }
                },
            )
        }
        (SuccessReturn::Single { payload, .. }, None) => {
            let ty = payload_type(payload, &types).unwrap_or_else(|| quote!(()));
            let value = match payload {
                Payload::Json(_) => quote!(response.json()),
                Payload::Ndjson(_) => quote!(response.ndjson()),
                other => {
                    let value = decode(other);
                    quote!(Ok(#value))
                }
            };
            let error = error_for(op);
            (
                ty,
                quote! {
                    if !response.status().is_success() {
                        return Err(#error);
                    }
                    #value
                },
            )
        }
        (
            SuccessReturn::Several {
                type_name,
                responses,
            },
            None,
        ) => {
            let enum_name = ident(type_name);
            let error = error_for(op);
            let mut arms = Vec::new();
            let mut fallback = None;
            for r in responses {
                let variant = ident(&r.variant);
                let construct = match r.payload {
                    Payload::Empty => quote!(crate::operations::#enum_name::#variant),
                    _ => {
                        let value = decode(&r.payload);
                        quote!(crate::operations::#enum_name::#variant(#value))
                    }
                };
                match r.status {
                    Some(code) => {
                        let code = proc_macro2::Literal::u16_unsuffixed(code);
                        arms.push(quote!(#code => Ok(#construct),));
                    }
                    None => fallback = Some(quote!(200..=299 => Ok(#construct),)),
                }
            }
            (
                quote!(crate::operations::#enum_name),
                quote! {
                    match response.status().as_u16() {
                        #(#arms)*
                        #fallback
                        _ => Err(#error),
                    }
                },
            )
        }
    };
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let stream = op.pagination.as_ref().map(|p| stream_method(op, p));
    let job = op.job.as_ref().map(|j| {
        // The helper calls the status and results methods too: it is built when their
        // features are, besides its own operation's.
        let own = context.method_features.get(op.method_name.as_str());
        let others: BTreeSet<String> = [j.status_method.as_str(), j.results_method.as_str()]
            .iter()
            .filter_map(|m| context.method_features.get(m))
            .filter(|f| Some(*f) != own)
            .map(|f| (*f).to_owned())
            .collect();
        let cfg = super::cfg_all(&others);
        let helper = job_method(op, j);
        quote!(#cfg #helper)
    });
    quote! {
        #stream
        #job
        #docs
        #deprecated
        pub async fn #method(&self, #(#args),*) -> Result<#return_type, Error> {
            let response = self
                .transport
                .request(clientgen_runtime::reqwest::Method::#http_method, #id, #path)
                #(#calls)*
                .#send()
                .await?;
            #handling
        }
    }
}
