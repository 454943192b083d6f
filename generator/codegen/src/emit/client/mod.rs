//! `src/client.rs`: the `Client`, its builder, and one method per operation (returning the
//! runtime's `Call` future).
//!
//! Methods only describe the request (method, path template, parameters, body) and which
//! statuses mean success; sending, credentials, encoding and errors are the runtime's.
//!
//! This module assembles the file (constants, the `Client` struct and its own methods); each
//! concept of it has its own module:
//! - `builder`: the `ClientBuilder` and its settings, `auth`: its credential methods;
//! - `methods`: one method per operation (arguments, request, response handling), with
//!   `params` (how arguments go into the request) and `errors` (failed responses and the
//!   `# Errors` docs);
//! - `pagination`: `<method>_stream` page streams; `jobs`: asynchronous job helpers.

mod auth;
mod builder;
mod errors;
mod jobs;
mod methods;
mod pagination;
mod params;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use proc_macro2::TokenStream;

use crate::emit::doc;
use quote::quote;

use crate::model::ApiModel;

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
    let default_headers = model
        .default_headers
        .iter()
        .map(|(name, value)| quote!(.header(#name, #value)));
    let context = methods::Context::new(model);
    // Method name (page streams included) → the feature that builds it.
    let mut method_features: HashMap<&str, &str> = HashMap::new();
    for op in &model.operations {
        if let Some(feature) = model.features.of_operation(&op.id) {
            method_features.insert(op.method_name.as_str(), feature);
            if let Some(pages) = &op.pagination {
                method_features.insert(pages.stream_method.as_str(), feature);
            }
        }
    }
    // Each operation's page stream and job helper come just before its own method. Untagged
    // operations (or all, in a crate without tag features) are methods of the main
    // `impl Client`; each tag feature's are an `impl Client` of their own, built with it.
    let mut methods = Vec::new();
    let mut by_feature: BTreeMap<&str, Vec<TokenStream>> = BTreeMap::new();
    for op in &model.operations {
        let stream = op
            .pagination
            .as_ref()
            .map(|p| pagination::stream_method(op, p));
        let job = op.job.as_ref().map(|j| {
            // The helper calls the status and results methods too: it is built when their
            // features are, besides its own operation's.
            let own = method_features.get(op.method_name.as_str());
            let others: BTreeSet<String> = [j.status_method.as_str(), j.results_stream.as_str()]
                .iter()
                .filter_map(|m| method_features.get(m))
                .filter(|f| Some(*f) != own)
                .map(|f| (*f).to_owned())
                .collect();
            let cfg = super::cfg_all(&others);
            let helper = jobs::job_method(op, j);
            quote!(#cfg #helper)
        });
        let method = methods::operation_method(op, &context);
        let all = quote!(#stream #job #method);
        match model.features.of_operation(&op.id) {
            Some(feature) => by_feature.entry(feature).or_default().push(all),
            None => methods.push(all),
        }
    }
    let tag_impls = by_feature.into_iter().map(|(feature, methods)| {
        let tag = &model.features.tags[feature].tag;
        let doc = doc::text(&format!(
            "Operations tagged `{tag}`: built with the feature `{feature}` (on by default)."
        ));
        quote! {
            #doc
            #[cfg(feature = #feature)]
            impl Client {
                #(#methods)*
            }
        }
    });
    let builder = builder::emit(model);
    let title = doc::text(&format!("A client for the {}.", model.title));
    let default_doc = doc::text(&if default_base_url.is_empty() {
        "The spec names no absolute server URL: set one with [`ClientBuilder::base_url`]."
            .to_owned()
    } else {
        format!("The base URL used unless [`ClientBuilder::base_url`] sets another: `{default_base_url}`.")
    });
    quote! {
        //! The API client.
        use clientgen_runtime::{Error, Server, Transport, TransportBuilder};

        #default_doc
        pub const DEFAULT_BASE_URL: &str = #default_base_url;

        /// The servers the spec lists, in its order; any of them can be given to
        /// [`ClientBuilder::base_url`].
        pub const SERVERS: &[Server] = &[#(#servers)*];

        #title
        ///
        /// Cheap to clone: clones share one connection pool and configuration.
        #[derive(Clone, Debug)]
        pub struct Client {
            transport: Transport,
        }

        #builder

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
