//! A response read in full, and decoding its body.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::{excerpt, Error};

/// Where a decode error happened: the JSON path when it names one, and the line and column
/// when it cannot (the body is not JSON at all, or breaks off before the first member); the
/// message names the line and column in both cases.
fn located(path: &str, error: &serde_json::Error) -> String {
    if path == "." || path.is_empty() {
        format!("line {}, column {}", error.line(), error.column())
    } else {
        path.to_owned()
    }
}

/// A whole HTTP response: status, headers and body.
#[derive(Debug)]
pub struct Response {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Response {
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        Response {
            operation,
            status,
            headers,
            body,
        }
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Decodes the body as JSON into `T`; on failure the error names the JSON path that did not
    /// match and quotes the start of the body.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let decode_error = |path: String, message: String| Error::Decode {
            operation: self.operation,
            status: self.status,
            path,
            message,
            excerpt: excerpt(&self.body),
        };
        // Decode at full speed; only a failure pays for a second pass that tracks the path.
        if let Ok(value) = serde_json::from_slice(&self.body) {
            return Ok(value);
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            decode_error(
                located(&e.path().to_string(), e.inner()),
                e.inner().to_string(),
            )
        })?;
        deserializer
            .end()
            .map_err(|e| decode_error(located(".", &e), e.to_string()))?;
        Ok(value)
    }

    /// Decodes an NDJSON body: one JSON value per non-empty line. A line that does not decode
    /// is reported with its number as the path (`line 3`).
    pub fn ndjson<T: DeserializeOwned>(&self) -> Result<Vec<T>, Error> {
        self.body
            .split(|b| *b == b'\n')
            .enumerate()
            .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
            .map(|(i, line)| {
                serde_json::from_slice(line).map_err(|e| Error::Decode {
                    operation: self.operation,
                    status: self.status,
                    path: format!("line {}, column {}", i + 1, e.column()),
                    message: e.to_string(),
                    excerpt: excerpt(line),
                })
            })
            .collect()
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Turns an error response into [`Error::Status`], keeping the raw body and, when it decodes
    /// as `T` (the type the spec declares for this status), the typed body too.
    pub fn into_declared_error<T>(self) -> Error
    where
        T: DeserializeOwned + std::fmt::Debug + Send + Sync + 'static,
    {
        let declared = serde_json::from_slice::<T>(&self.body)
            .ok()
            .map(|body| Box::new(body) as Box<dyn crate::error::ErrorBody>);
        let mut error = self.into_error();
        if let Error::Status(status) = &mut error {
            status.declared = declared;
        }
        error
    }

    /// Turns a response the operation does not expect into [`Error::Status`], keeping the body.
    pub fn into_error(self) -> Error {
        Error::from_status(self.operation, self.status, self.headers, self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(body: &str) -> Response {
        Response::new(
            "get_case",
            StatusCode::OK,
            HeaderMap::new(),
            Bytes::from(body.to_owned()),
        )
    }

    #[test]
    fn a_body_that_is_not_json_is_located_by_line_and_column() {
        let error = response("\n  <html>oops</html>")
            .json::<serde_json::Value>()
            .expect_err("not JSON");
        let Error::Decode { path, .. } = &error else {
            panic!("{error}")
        };
        assert_eq!(path, "line 2, column 3");
    }

    #[test]
    fn trailing_garbage_is_located_by_line_and_column() {
        let error = response("{\"a\": 1}\n}")
            .json::<serde_json::Value>()
            .expect_err("trailing");
        let Error::Decode { path, .. } = &error else {
            panic!("{error}")
        };
        assert_eq!(path, "line 2, column 1");
    }
}
