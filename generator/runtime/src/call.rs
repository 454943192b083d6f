//! What a generated method hands back, and how it reads the answer it expects.
//!
//! A generated method only builds its request (see [`crate::request`]), names the error
//! bodies its spec declares ([`RequestBuilder::declared_error`]) and ends with one `receive_*`
//! call saying what a success holds. That call gives a [`Call`]: a future that sends the
//! request when awaited and yields the typed answer.
//!
//! Methods are plain functions returning this one future type instead of `async fn`s, each
//! with a state machine of its own: a crate of ten thousand operations then has no ten
//! thousand futures for the compiler to lay out, and checks in a fraction of the memory.
//! Sending and reading the answer are compiled once, in this crate; what a generated crate
//! compiles per answer type is [`Call`]'s `poll` and the function decoding the body.

use std::fmt;
use std::future::Future;
use std::ops::RangeInclusive;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;

use crate::request::RequestBuilder;
use crate::stream::{ByteStream, NdjsonStream, Streaming};
use crate::{Error, Response};

/// One call to an operation, not yet sent: awaiting it sends the request and gives the
/// answer, or the [`Error`] that stopped it.
///
/// It borrows the client it came from and nothing else; it is `Send` and `Unpin`.
#[must_use = "a call sends nothing until it is awaited"]
pub struct Call<'t, T> {
    state: State<'t, T>,
}

/// The exchange of a whole-body answer is the same code for every answer type, compiled once
/// here: per type there is only `Call`'s `poll` and the function reading the body.
enum State<'t, T> {
    Whole {
        exchange: Exchange<'t>,
        read: Read<T>,
    },
    Streamed(Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 't>>),
}

/// A request being sent and its whole answer read, with the error bodies it declares.
type Exchange<'t> =
    Pin<Box<dyn Future<Output = Result<(Response, DeclaredErrors), Error>> + Send + 't>>;

/// Reads a success from a response: `None` when the status is not one.
type Read<T> = fn(&Response) -> Option<Result<T, Error>>;

impl<T> Future for Call<'_, T> {
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.get_mut().state {
            State::Whole { exchange, read } => {
                Poll::Ready(match std::task::ready!(exchange.as_mut().poll(cx)) {
                    Ok((response, errors)) => match read(&response) {
                        Some(answer) => answer,
                        None => Err(errors.error(response)),
                    },
                    Err(error) => Err(error),
                })
            }
            State::Streamed(future) => future.as_mut().poll(cx),
        }
    }
}

impl<T> fmt::Debug for Call<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call").finish_non_exhaustive()
    }
}

/// Error bodies declared for ranges of statuses, in the spec's order: the first range
/// holding a status says how its body is read.
#[derive(Default)]
pub(crate) struct DeclaredErrors {
    ranges: Vec<(RangeInclusive<u16>, ReadError)>,
}

/// Turns a response into the error of its status, its body decoded as the declared type.
type ReadError = fn(Response) -> Error;

impl DeclaredErrors {
    pub(crate) fn push(&mut self, statuses: RangeInclusive<u16>, read: ReadError) {
        self.ranges.push((statuses, read));
    }

    /// The error for a response the operation does not take as a success.
    pub(crate) fn error(&self, response: Response) -> Error {
        let status = response.status().as_u16();
        match self
            .ranges
            .iter()
            .find(|(range, _)| range.contains(&status))
        {
            Some((_, read)) => read(response),
            None => response.into_error(),
        }
    }
}

impl fmt::Debug for DeclaredErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.ranges.iter().map(|(range, _)| range))
            .finish()
    }
}

impl<'t> RequestBuilder<'t> {
    /// Declares the body the spec gives for the statuses in `statuses` when they are not a
    /// success: such an answer becomes [`Error::Status`] carrying the body decoded as `E`
    /// (see [`crate::StatusError::declared`]), and its raw bytes in any case. Ranges are
    /// tried in the order they are declared.
    pub fn declared_error<E>(mut self, statuses: RangeInclusive<u16>) -> Self
    where
        E: DeserializeOwned + fmt::Debug + Send + Sync + 'static,
    {
        self.declared_errors
            .push(statuses, Response::into_declared_error::<E>);
        self
    }

    /// Like [`Self::declared_error`] for every status no earlier declaration holds (the
    /// spec's `default` response).
    pub fn declared_error_otherwise<E>(self) -> Self
    where
        E: DeserializeOwned + fmt::Debug + Send + Sync + 'static,
    {
        self.declared_error::<E>(0..=u16::MAX)
    }

    /// A call whose answer `read` gives: `Some` for a response the operation takes as a
    /// success (its value, or the error decoding it), `None` for any other, which becomes an
    /// error as declared.
    pub fn receive<T>(self, read: fn(&Response) -> Option<Result<T, Error>>) -> Call<'t, T> {
        Call {
            state: State::Whole {
                exchange: self.exchange(),
                read,
            },
        }
    }

    /// Sends the request and reads its whole answer; not generic, so compiled once.
    fn exchange(mut self) -> Exchange<'t> {
        let errors = std::mem::take(&mut self.declared_errors);
        Box::pin(async move { Ok((self.send().await?, errors)) })
    }

    /// A call answering a 2xx status with a JSON body, decoded as `T`.
    pub fn receive_json<T: DeserializeOwned>(self) -> Call<'t, T> {
        self.receive(|response| response.status().is_success().then(|| response.json()))
    }

    /// A call answering a 2xx status with text (invalid UTF-8 replaced).
    pub fn receive_text(self) -> Call<'t, String> {
        self.receive(|response| response.status().is_success().then(|| Ok(response.text())))
    }

    /// A call whose 2xx answer carries nothing the operation returns; a body is ignored.
    pub fn receive_empty(self) -> Call<'t, ()> {
        self.receive(|response| response.status().is_success().then_some(Ok(())))
    }

    /// A call answering a 2xx status with a body handed over unread, to stream; any other
    /// status is read whole under the size limit and becomes an error as declared.
    pub fn receive_stream(mut self) -> Call<'t, ByteStream> {
        let errors = std::mem::take(&mut self.declared_errors);
        Call {
            state: State::Streamed(Box::pin(async move {
                match self.send_streaming().await? {
                    Streaming::Success(body) => Ok(body),
                    Streaming::Failure(response) => Err(errors.error(response)),
                }
            })),
        }
    }

    /// Like [`Self::receive_stream`], the body decoded as NDJSON items as it arrives.
    pub fn receive_ndjson_stream<T>(self) -> Call<'t, NdjsonStream<T>>
    where
        T: DeserializeOwned + 't,
    {
        let call = self.receive_stream();
        Call {
            state: State::Streamed(Box::pin(async move { Ok(call.await?.ndjson()) })),
        }
    }
}
