//! `src/client.rs`: the `Client`, its builder, and one async method per operation.
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

use proc_macro2::TokenStream;
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
    // Each operation's page stream and job helper come just before its own method.
    let methods = model.operations.iter().map(|op| {
        let stream = op
            .pagination
            .as_ref()
            .map(|p| pagination::stream_method(op, p));
        let job = op.job.as_ref().map(|j| jobs::job_method(op, j));
        let method = methods::operation_method(op, &context);
        quote!(#stream #job #method)
    });
    let builder = builder::emit(model);
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
    }
}
