//! The integration tests, one module per file, linked into one test binary (`integration`) so
//! the generated crates are linked once rather than once per file. A test's name starts with its
//! module (`sekoia::lists_alerts`); run some by filtering on it, as a substring:
//! `cargo test -p integration-tests --test integration hostile` (the three `hostile*` modules),
//! `… contract_` (every test against Prism), `… sekoia:: -- --skip contract_` (Sekoia's wiremock
//! tests without its contract tests).
//!
//! `secrets.rs` is a test binary of its own (`--test secrets`): it reads what requests trace,
//! and tracing's callsite registry is shared by every test of a process.
//!
//! - `<vendor>`: each generated client against a wiremock server on 127.0.0.1;
//! - `contract_<vendor>`, `examples_against_prism`: against Prism serving the vendor's spec
//!   (harness in `prism`; `npm ci` at the repository root installs Prism);
//! - `conformance`: the crate generated from `tests/conformance/openapi.yaml`;
//! - `fake`, `pagination`: the typed fakes, `*_stream` methods;
//! - `hostile`, `hostile_limits`, `hostile_harness`: against a hostile server (`tests/hostile/`);
//! - `decoders_never_panic`: property tests of the generated decoders;
//! - `generated_is_current`, `every_operation_is_tested`: `generated/` matches `specs/`, and
//!   every operation is called by its vendor's tests.

mod conformance;
mod contract_elastic_security;
mod contract_security_onion;
mod contract_sekoia;
mod contract_stamus;
mod contract_stellar_cyber;
mod decoders_never_panic;
mod elastic_security;
mod every_operation_is_tested;
mod examples_against_prism;
mod fake;
mod generated_is_current;
mod hostile;
mod hostile_harness;
mod hostile_limits;
mod pagination;
mod prism;
mod security_onion;
mod sekoia;
mod stamus;
mod stellar_cyber;
