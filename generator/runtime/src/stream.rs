//! Response bodies read as they arrive instead of whole: binary downloads as a [`ByteStream`],
//! NDJSON exports as an [`NdjsonStream`] of decoded items.
//!
//! Generated methods for operations that answer a file or NDJSON send the request with
//! [`RequestBuilder::send_streaming`](crate::RequestBuilder::send_streaming): an error status
//! still comes back as an error, with its body read under the client's size limit, and a
//! success hands the caller the body to read at its own pace. Memory stays flat whatever the
//! body's length: a `ByteStream` holds one chunk at a time, an `NdjsonStream` one line (and a
//! line longer than the client's limit is an error, not a growing buffer).

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::stream::{self, BoxStream, Stream, StreamExt as _};
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::body::LimitedBuffer;
use crate::error::excerpt;
use crate::{Error, Response};

/// What [`RequestBuilder::send_streaming`](crate::RequestBuilder::send_streaming) gives: the
/// body to stream when the status is a success, the whole (size-limited) response otherwise.
#[derive(Debug)]
pub enum Streaming {
    /// A 2xx answer whose body is still to be read.
    Success(ByteStream),
    /// Any other answer, read whole so that it can become an error.
    Failure(Response),
}

/// A response body read chunk by chunk; a `Stream` of `Result<Bytes, Error>`.
pub struct ByteStream {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    limit: usize,
    chunks: BoxStream<'static, Result<Bytes, Error>>,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl ByteStream {
    pub(crate) fn new(operation: &'static str, limit: usize, response: reqwest::Response) -> Self {
        let status = response.status();
        let headers = response.headers().clone();
        let chunks = stream::try_unfold(response, move |mut response| async move {
            match response.chunk().await {
                Ok(Some(chunk)) => Ok(Some((chunk, response))),
                Ok(None) => Ok(None),
                Err(error) => Err(Error::from_reqwest(operation, error)),
            }
        })
        .boxed();
        ByteStream {
            operation,
            status,
            headers,
            limit,
            chunks,
        }
    }

    /// The response status (a success).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers (for example `Content-Type` or `Content-Disposition`).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Reads the rest of the body whole, refusing more than the client's response size limit
    /// ([`Error::ResponseTooLarge`], before reading when the announced length is above it); to
    /// read a larger body, use the stream itself.
    pub async fn bytes(mut self) -> Result<Bytes, Error> {
        let declared = self
            .headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        if let Some(declared) = declared.filter(|n| *n > self.limit as u64) {
            return Err(Error::ResponseTooLarge {
                operation: self.operation,
                limit: self.limit,
                declared: Some(declared),
            });
        }
        let expected = declared.map_or(0, |n| n as usize);
        let mut buffer = LimitedBuffer::new(self.limit, expected);
        while let Some(chunk) = self.chunks.next().await {
            buffer
                .push(&chunk?)
                .map_err(|e| Error::from_read(self.operation, e))?;
        }
        Ok(buffer.finish())
    }

    /// Decodes the body as NDJSON, one item per non-empty line; see [`NdjsonStream`].
    pub fn ndjson<T: DeserializeOwned>(self) -> NdjsonStream<T> {
        NdjsonStream {
            line_limit: self.limit,
            bytes: self,
            pending: Vec::new(),
            start: 0,
            scanned: 0,
            line: 0,
            finished: false,
            ended: false,
            item: PhantomData,
        }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.poll_next_unpin(cx)
    }
}

/// The items of an NDJSON body, decoded one line at a time as the body arrives; a `Stream` of
/// `Result<T, Error>`.
///
/// A line that does not decode is an [`Error::Decode`] item whose path names the line
/// (`line 3`), and the stream goes on with the next line; a line longer than the client's
/// response size limit, or a connection failure, is a last error item.
pub struct NdjsonStream<T> {
    bytes: ByteStream,
    line_limit: usize,
    /// Received bytes not yet returned as lines; `pending[start..]` is live.
    pending: Vec<u8>,
    start: usize,
    /// How far past `start` a newline was already looked for.
    scanned: usize,
    /// The number of the last line taken (1-based).
    line: usize,
    /// The body has ended.
    finished: bool,
    /// Nothing more will be yielded.
    ended: bool,
    item: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for NdjsonStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NdjsonStream")
            .field("operation", &self.bytes.operation)
            .field("line", &self.line)
            .finish_non_exhaustive()
    }
}

impl<T> NdjsonStream<T> {
    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.bytes.headers
    }

    /// Reads every item into a `Vec`, stopping at the first error. The items are held whole:
    /// for an export of unknown size, read the stream itself instead.
    pub async fn into_vec(mut self) -> Result<Vec<T>, Error>
    where
        T: DeserializeOwned,
    {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }

    /// The next complete line, if one is buffered (or the last, unterminated one once the body
    /// has ended).
    fn take_line(&mut self) -> Option<(usize, Vec<u8>)> {
        let live = &self.pending[self.start..];
        let found = live[self.scanned..].iter().position(|b| *b == b'\n');
        let end = match found {
            Some(at) => self.scanned + at,
            None if self.finished && !live.is_empty() => live.len(),
            None => {
                self.scanned = live.len();
                return None;
            }
        };
        let line = live[..end].to_vec();
        self.start += (end + 1).min(live.len());
        self.scanned = 0;
        self.line += 1;
        // Compact once the consumed part outweighs the live part.
        if self.start > self.pending.len() / 2 {
            self.pending.drain(..self.start);
            self.start = 0;
        }
        Some((self.line, line))
    }

    fn decode(&self, number: usize, line: &[u8]) -> Result<T, Error>
    where
        T: DeserializeOwned,
    {
        serde_json::from_slice(line).map_err(|e| Error::Decode {
            operation: self.bytes.operation,
            status: self.bytes.status,
            path: format!("line {number}, column {}", e.column()),
            message: e.to_string(),
            excerpt: excerpt(line),
        })
    }
}

impl<T: DeserializeOwned> Stream for NdjsonStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.ended {
                return Poll::Ready(None);
            }
            if let Some((number, line)) = this.take_line() {
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                return Poll::Ready(Some(this.decode(number, &line)));
            }
            if this.finished {
                this.ended = true;
                return Poll::Ready(None);
            }
            match this.bytes.poll_next_unpin(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => this.finished = true,
                Poll::Ready(Some(Err(error))) => {
                    this.ended = true;
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(Some(Ok(chunk))) => {
                    // No newline is buffered (else a line would have been taken): the line
                    // under way runs to the chunk's first newline, or past the chunk.
                    let head = chunk.iter().position(|b| *b == b'\n');
                    let line_length = this.pending.len() - this.start + head.unwrap_or(chunk.len());
                    if line_length > this.line_limit {
                        this.ended = true;
                        return Poll::Ready(Some(Err(Error::ResponseTooLarge {
                            operation: this.bytes.operation,
                            limit: this.line_limit,
                            declared: None,
                        })));
                    }
                    this.pending.extend_from_slice(&chunk);
                }
            }
        }
    }
}
