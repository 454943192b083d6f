//! The hand-written runtime shared by every client crate that `clientgen` generates.
//!
//! Generated crates hold only shapes (types) and calls (one method per operation); the
//! behaviour lives here and is tested once:
//!
//! - [`transport`]: the configured HTTP client, base URL handling and request execution;
//! - [`request`]: building one request (path rendering, query, headers, body);
//! - [`call`]: what a generated method returns, and how it reads the answer it expects;
//! - [`param`]: how a parameter value becomes text in a path or query string;
//! - [`auth`]: how credentials are attached to a request;
//! - [`response`]: reading a response and decoding its body;
//! - [`body`]: reading a body under a size limit;
//! - [`stream`]: bodies read as they arrive (downloads, NDJSON);
//! - [`redirect`]: which redirects are followed, and how;
//! - [`error`]: the one error type callers see;
//! - `fake` (feature `fake`): the wiremock server behind each generated crate's `FakeApi`.
//!
//! Nothing vendor-specific lives in this crate: a vendor's quirks are described in its spec.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod auth;
pub mod body;
pub mod call;
pub mod de;
pub mod enums;
pub mod error;
#[cfg(feature = "fake")]
pub mod fake;
pub mod jobs;
pub mod multipart;
pub mod pagination;
pub mod param;
pub mod redirect;
pub mod request;
pub mod response;
pub mod retry;
pub mod ser;
pub mod stream;
pub mod token;
pub mod transport;
pub mod unknown;

pub use auth::Auth;
pub use call::Call;
pub use error::{Error, ErrorBody, StatusError};
pub use multipart::{FilePart, Multipart};
pub use param::ToParam;
pub use request::RequestBuilder;
pub use response::Response;
pub use retry::RetryPolicy;
pub use stream::{ByteStream, NdjsonStream, Streaming};
pub use token::{TokenCredentials, TokenExchange, TokenExpiry, TokenSource};
pub use transport::{Server, Transport, TransportBuilder};
pub use unknown::Unknown;

/// Re-exported so that generated crates and their users name one version of each.
pub use bytes::Bytes;
pub use futures;
pub use reqwest;
pub use secrecy::{ExposeSecret, SecretString};
pub use url::Url;
