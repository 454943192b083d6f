//! The generated vendor clients against a hostile server (tests/hostile/server.rs, owned by
//! `hostile.rs`), using the runtime's limits and streams: `ClientBuilder::max_response_bytes`,
//! `deadline` and `danger_allow_plaintext_credentials`, `Error::{ResponseTooLarge, Deadline}`,
//! and streamed bodies (`clientgen_runtime::NdjsonStream` for NDJSON operations such as Elastic's
//! `export_rules`, `clientgen_runtime::ByteStream` for Security Onion's downloads).
//!
//! - `settings`: a configured body limit, the per-call deadline, the plaintext opt-in;
//! - `streams`: endless NDJSON and binary bodies read piece by piece, dropped mid-way, or
//!   collected under the limit.
//!
//! The other hostile-server tests are in `hostile.rs`.

#[path = "hostile/settings.rs"]
mod settings;
#[path = "hostile/streams.rs"]
mod streams;
