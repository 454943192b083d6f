//! The `ClientBuilder`: base URL, path prefix, headers, timeouts, TLS and the HTTP client;
//! its credential methods are `super::auth`'s.

use proc_macro2::TokenStream;
use quote::quote;

use super::auth::auth_method;
use crate::emit::{doc, ident};
use crate::model::{ApiModel, PathPrefix};

/// The `ClientBuilder` struct and its methods.
pub(super) fn emit(model: &ApiModel) -> TokenStream {
    let auth_methods = model.auth.iter().map(auth_method);
    let prefix_method = model.path_prefix.as_ref().map(path_prefix_method);
    quote! {
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
