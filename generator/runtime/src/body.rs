//! Reading a response body under a size limit.
//!
//! A server decides how much it sends; a client decides how much it keeps. Every body the
//! runtime reads whole (API responses, error bodies, token responses) goes through
//! [`read_limited`]: a `Content-Length` above the limit is refused before a byte is read, and the
//! count is enforced while reading, so an endless or lying body costs at most the limit. The
//! buffer never grows past the limit either: it starts small and doubles, capped at the limit.
//!
//! Bodies the caller reads as a stream (NDJSON exports, binary downloads) are not held whole;
//! see the `stream` module.

use bytes::Bytes;

/// The default limit on a response body read whole: 32 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// What the buffer starts at when the server does not say how long the body is.
const INITIAL_CAPACITY: usize = 16 * 1024;

/// Why a body could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The body is longer than the limit: `declared` is the `Content-Length` when the server
    /// announced the size, `None` when the count passed the limit while reading.
    TooLarge {
        /// The limit in bytes.
        limit: usize,
        /// The announced length, when it was announced.
        declared: Option<u64>,
    },
    /// The connection failed or timed out while reading.
    Transport(reqwest::Error),
}

impl From<reqwest::Error> for ReadError {
    fn from(error: reqwest::Error) -> Self {
        ReadError::Transport(error)
    }
}

/// Checks the announced length of `response` against `limit`, before anything is read.
pub fn check_declared_length(response: &reqwest::Response, limit: usize) -> Result<(), ReadError> {
    match response.content_length() {
        Some(declared) if declared > limit as u64 => Err(ReadError::TooLarge {
            limit,
            declared: Some(declared),
        }),
        _ => Ok(()),
    }
}

/// Reads the whole body of `response`, refusing more than `limit` bytes.
pub async fn read_limited(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Bytes, ReadError> {
    check_declared_length(&response, limit)?;
    let announced = response
        .content_length()
        .map_or(INITIAL_CAPACITY, |n| n as usize);
    let mut buffer = LimitedBuffer::new(limit, announced);
    while let Some(chunk) = response.chunk().await? {
        buffer.push(&chunk)?;
    }
    Ok(buffer.finish())
}

/// A byte buffer that refuses to hold more than its limit and never allocates past it.
#[derive(Debug)]
pub(crate) struct LimitedBuffer {
    bytes: Vec<u8>,
    limit: usize,
}

impl LimitedBuffer {
    /// An empty buffer for at most `limit` bytes, with room for `expected` of them up front
    /// (capped at the limit).
    pub(crate) fn new(limit: usize, expected: usize) -> Self {
        LimitedBuffer {
            bytes: Vec::with_capacity(expected.min(limit)),
            limit,
        }
    }

    /// Appends `chunk`, or fails without appending when the total would pass the limit.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<(), ReadError> {
        let needed = self.bytes.len() + chunk.len();
        if needed > self.limit {
            return Err(ReadError::TooLarge {
                limit: self.limit,
                declared: None,
            });
        }
        if needed > self.bytes.capacity() {
            // Double as a Vec would, but never past the limit.
            let target = needed.max(self.bytes.capacity() * 2).min(self.limit);
            self.bytes.reserve_exact(target - self.bytes.len());
        }
        self.bytes.extend_from_slice(chunk);
        Ok(())
    }

    /// The bytes held, as one value.
    pub(crate) fn finish(self) -> Bytes {
        Bytes::from(self.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_buffer_holds_up_to_its_limit_and_refuses_one_byte_more() {
        let mut buffer = LimitedBuffer::new(10, 0);
        buffer.push(b"01234").expect("fits");
        buffer.push(b"56789").expect("fits exactly");
        assert!(matches!(
            buffer.push(b"x"),
            Err(ReadError::TooLarge {
                limit: 10,
                declared: None
            })
        ));
        assert_eq!(buffer.finish().as_ref(), b"0123456789");
    }

    #[test]
    fn a_buffer_never_allocates_past_its_limit() {
        let limit = 3 * 1024 * 1024 + 17;
        let mut buffer = LimitedBuffer::new(limit, 1024);
        let chunk = vec![b'a'; 4096];
        while buffer.push(&chunk).is_ok() {
            assert!(
                buffer.bytes.capacity() <= limit,
                "{}",
                buffer.bytes.capacity()
            );
        }
        assert!(buffer.bytes.len() <= limit);
    }

    #[test]
    fn an_announced_length_larger_than_the_limit_is_not_preallocated() {
        let buffer = LimitedBuffer::new(100, usize::MAX);
        assert!(buffer.bytes.capacity() <= 100);
    }
}
