//! Shared helpers for the integration tests. Helpers used by one test file live in that file;
//! this crate holds what several share: the Prism mock server for the contract tests.

pub mod prism;
