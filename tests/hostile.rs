//! The generated vendor clients against a hostile server (tests/hostile/server.rs): a raw
//! HTTP/1.1 server on 127.0.0.1 whose every byte the test chooses, and which records every
//! byte that reaches it. The clients carry SOC credentials, so each test names a behaviour
//! that keeps them, and the caller, safe from whoever answers:
//!
//! - `redirects`: never to another origin or from https to http; same-origin hops as HTTP
//!   says, five at most, never a `Referer`;
//! - `tokens`: token endpoints that redirect, issue absurd lifetimes or empty tokens, or fail
//!   under fifty concurrent calls;
//! - `inputs`: builder and parameter values checked before anything is sent;
//! - `responses`: malformed, lying, flooding and stalling responses end in typed errors;
//! - `limits`: the default 32 MiB body limit, for API, error and token responses;
//! - `downgrade`: an HTTPS server redirecting to plain HTTP.
//!
//! The server and the clients (`server`, `clients`) are shared with `hostile_limits.rs` (the
//! builder settings and streamed bodies) and `hostile_harness.rs` (the server's own tests).

pub(crate) mod clients;
mod downgrade;
mod inputs;
mod limits;
mod redirects;
mod responses;
pub(crate) mod server;
mod tokens;
