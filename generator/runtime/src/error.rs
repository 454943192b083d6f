//! The single error type every generated client returns.
//!
//! Each variant carries the operation it came from, so a caller (or a log line) can tell which
//! call failed without a backtrace. No variant ever holds a credential: URLs are stripped from
//! transport errors because some schemes put keys in the query string.

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

/// How many bytes of a response body an error message quotes at most.
pub const BODY_EXCERPT_LIMIT: usize = 512;

/// Everything that can go wrong when calling an API through a generated client.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client was configured with a base URL that cannot be used.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// A parameter value cannot be sent without changing the meaning of the request
    /// (for example a path parameter that is empty, `.` or `..`).
    #[error("{operation}: invalid value for parameter `{name}`: {reason}")]
    InvalidParameter {
        /// The operation being called.
        operation: &'static str,
        /// The parameter's name in the spec.
        name: &'static str,
        /// Why the value was refused.
        reason: String,
    },
    /// A header name or value given in the configuration is not valid HTTP.
    #[error("invalid header `{name}`: {reason}")]
    InvalidHeader {
        /// The header name.
        name: String,
        /// Why it was refused.
        reason: String,
    },
    /// The request body could not be serialised.
    #[error("{operation}: could not encode the request body: {source}")]
    Encode {
        /// The operation being called.
        operation: &'static str,
        /// The serialisation error.
        #[source]
        source: serde_json::Error,
    },
    /// The request body could not be form-encoded (forms hold only flat values).
    #[error("{operation}: could not form-encode the request body: {reason}")]
    EncodeForm {
        /// The operation being called.
        operation: &'static str,
        /// What the encoder said.
        reason: String,
    },
    /// A CA certificate given to trust could not be read.
    #[error("invalid CA certificate: {0}")]
    InvalidCertificate(String),
    /// The HTTP client could not be built from the configuration.
    #[error("could not build the HTTP client: {0}")]
    Build(#[source] reqwest::Error),
    /// The request did not complete: connection refused, TLS failure, reset, …
    #[error("{operation}: request failed: {source}")]
    Transport {
        /// The operation being called.
        operation: &'static str,
        /// The underlying error, with any URL removed.
        #[source]
        source: reqwest::Error,
    },
    /// The request or the connection timed out.
    #[error("{operation}: timed out: {source}")]
    Timeout {
        /// The operation being called.
        operation: &'static str,
        /// The underlying error, with any URL removed.
        #[source]
        source: reqwest::Error,
    },
    /// The call did not finish within the client's overall deadline, which spans every
    /// attempt, redirect and wait between retries (each attempt also has its own timeout).
    #[error("{operation}: no answer within the deadline of {deadline:?} (retries included)")]
    Deadline {
        /// The operation being called.
        operation: &'static str,
        /// The deadline that passed.
        deadline: std::time::Duration,
    },
    /// The server answered with a redirect the client does not follow: to another origin
    /// (scheme, host or port), from `https` to `http`, without a usable `Location`, or past
    /// the hop limit. Nothing was sent to the `Location`.
    #[error("{operation}: the server answered {status} with a redirect to `{location}`, which was not followed: {reason}")]
    Redirect {
        /// The operation being called.
        operation: &'static str,
        /// The redirect status (301, 302, 303, 307 or 308).
        status: StatusCode,
        /// The `Location` header as the server sent it (query string removed).
        location: String,
        /// Why it was not followed.
        reason: String,
    },
    /// The response body is longer than the client's limit (see
    /// `TransportBuilder::max_response_bytes`); reading stopped at the limit, or before
    /// reading when the server announced the length.
    #[error("{operation}: the response body is larger than the limit of {limit} bytes{}", declared.map(|n| format!(" (the server announced {n} bytes)")).unwrap_or_default())]
    ResponseTooLarge {
        /// The operation being called.
        operation: &'static str,
        /// The limit in bytes.
        limit: usize,
        /// The `Content-Length` the server announced, when it announced one.
        declared: Option<u64>,
    },
    /// The server answered with a status the operation does not declare as a success.
    #[error("{0}")]
    Status(Box<StatusError>),
    /// The server answered with a success status but the body does not match the declared type.
    #[error("{operation}: could not decode the {status} response body at `{path}`: {message}; body starts: {excerpt}")]
    Decode {
        /// The operation being called.
        operation: &'static str,
        /// The response status.
        status: StatusCode,
        /// Where in the JSON document decoding failed (serde path, `.` for the root).
        path: String,
        /// What the decoder said.
        message: String,
        /// The first [`BODY_EXCERPT_LIMIT`] bytes of the body, lossily decoded.
        excerpt: String,
    },
    /// A long-running job failed, was cancelled, or did not finish in time.
    #[error("{operation}: {reason}")]
    Job {
        /// The operation that created the job.
        operation: &'static str,
        /// What happened.
        reason: String,
    },
    /// Paging went wrong: the server sent the same page twice, so following it would loop.
    #[error("{operation}: pagination stopped: {reason}")]
    Pagination {
        /// The operation being paged.
        operation: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// Credentials could not be obtained or attached (a token endpoint refused, was
    /// unreachable, or answered something unusable).
    #[error("authentication failed: {reason}")]
    Auth {
        /// What went wrong; never includes a secret.
        reason: String,
        /// The token endpoint's status, when it answered.
        status: Option<StatusCode>,
    },
}

impl Error {
    /// The HTTP status of the response that caused this error, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Status(e) => Some(e.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The error for an undeclared or unsuccessful status, keeping the whole body.
    pub fn from_status(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        Error::Status(Box::new(StatusError {
            operation,
            status,
            headers,
            body,
            declared: None,
        }))
    }

    /// The error for a body that could not be read whole.
    pub(crate) fn from_read(operation: &'static str, error: crate::body::ReadError) -> Self {
        match error {
            crate::body::ReadError::TooLarge { limit, declared } => Error::ResponseTooLarge {
                operation,
                limit,
                declared,
            },
            crate::body::ReadError::Transport(source) => Error::from_reqwest(operation, source),
        }
    }

    pub(crate) fn from_reqwest(operation: &'static str, source: reqwest::Error) -> Self {
        let source = source.without_url();
        if source.is_timeout() {
            Error::Timeout { operation, source }
        } else {
            Error::Transport { operation, source }
        }
    }
}

/// A decoded error body: any type a spec declares for an error response.
pub trait ErrorBody: fmt::Debug + Send + Sync + 'static {
    /// The body as `Any`, for [`StatusError::declared`].
    fn as_any(&self) -> &dyn std::any::Any;
}

impl<T: fmt::Debug + Send + Sync + 'static> ErrorBody for T {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// A response whose status the operation does not declare as a success.
///
/// The whole body is kept so that nothing the server said is lost; when the spec declares a
/// JSON body for the status, it is also decoded ([`StatusError::declared`]).
#[derive(Debug)]
pub struct StatusError {
    /// The operation being called.
    pub operation: &'static str,
    /// The response status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The raw response body.
    pub body: Bytes,
    /// The body decoded as the spec declares for this status, when it declares one and the
    /// body matches it.
    pub declared: Option<Box<dyn ErrorBody>>,
}

impl StatusError {
    /// The body as text (invalid UTF-8 replaced).
    pub fn body_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The declared error body, if it was decoded as `T`.
    pub fn declared<T: 'static>(&self) -> Option<&T> {
        // `as_deref` first: the blanket impl would otherwise answer for the `Box` itself.
        self.declared.as_deref()?.as_any().downcast_ref()
    }

    /// The body decoded as JSON, if it is JSON.
    pub fn body_json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

impl fmt::Display for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: server answered {}: {}",
            self.operation,
            self.status,
            excerpt(&self.body)
        )
    }
}

/// The first [`BODY_EXCERPT_LIMIT`] bytes of `body` as text, cut on a character boundary.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(BODY_EXCERPT_LIMIT)]).into_owned();
    if body.len() > BODY_EXCERPT_LIMIT {
        format!("{text}… ({} bytes in all)", body.len())
    } else {
        text
    }
}
