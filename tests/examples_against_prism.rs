//! Each vendor's example program (`specs/<vendor>/examples/*.rs`, copied into the generated
//! crate by regen) runs to completion against Prism serving that vendor's spec, configured only
//! through the environment variables it documents, and Prism logs no violation of the spec.
//!
//! `cargo test --workspace` builds the examples before running tests; this test runs those
//! binaries (from `<target>/<profile>/examples/`).

use std::path::PathBuf;
use std::process::Command;

use crate::prism::Prism;

/// The example binaries beside this test's own binary (`<target>/<profile>/deps/`).
fn example_binary(name: &str) -> PathBuf {
    let test_binary = std::env::current_exe().expect("test binary path");
    let profile_dir = test_binary
        .parent()
        .and_then(|deps| deps.parent())
        .expect("test binary lives in <target>/<profile>/deps");
    let binary = profile_dir.join("examples").join(name);
    assert!(
        binary.is_file(),
        "{} is not built: run `cargo test --workspace` (which builds every example) or `cargo build --workspace --examples`",
        binary.display()
    );
    binary
}

/// Runs example `name` against Prism serving `vendor`'s spec with `env` (the base URL is added
/// under `<prefix>_BASE_URL`), and returns its standard output.
async fn run_example(
    vendor: &str,
    name: &str,
    prefix: &str,
    env: &[(&str, &str)],
    args: &[&str],
) -> String {
    let prism = Prism::start(vendor).await;
    let output = Command::new(example_binary(name))
        .args(args)
        .env(format!("{prefix}_BASE_URL"), prism.base_url())
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("cannot run example {name}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "example {name} failed against Prism ({}):\nstdout:\n{stdout}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    prism.assert_clean(&format!("example {name}"));
    stdout
}

#[tokio::test]
async fn sekoia_search_events() {
    let out = run_example(
        "sekoia",
        "search_events",
        "SEKOIA",
        &[("SEKOIA_TOKEN", "example-key")],
        &["source.ip:\"1.2.3.4\""],
    )
    .await;
    assert!(out.contains("latest alerts"), "{out}");
}

#[tokio::test]
async fn security_onion_grid_overview() {
    run_example(
        "security-onion",
        "grid_overview",
        "SECURITY_ONION",
        &[
            ("SECURITY_ONION_CLIENT_ID", "socl_example"),
            ("SECURITY_ONION_CLIENT_SECRET", "example-secret"),
        ],
        &[],
    )
    .await;
}

#[tokio::test]
async fn stamus_host_id() {
    run_example(
        "stamus",
        "host_id",
        "STAMUS",
        &[("STAMUS_TOKEN", "example-token")],
        &["10.7.5.4"],
    )
    .await;
}

#[tokio::test]
async fn stellar_cyber_recent_cases() {
    run_example(
        "stellar-cyber",
        "recent_cases",
        "STELLAR_CYBER",
        &[
            ("STELLAR_CYBER_USER_ID", "analyst@example.com"),
            ("STELLAR_CYBER_API_KEY", "example-key"),
        ],
        &[],
    )
    .await;
}

#[tokio::test]
async fn elastic_security_open_alerts_with_an_api_key() {
    run_example(
        "elastic-security",
        "open_alerts",
        "ELASTIC_SECURITY",
        &[("ELASTIC_SECURITY_API_KEY", "example-key")],
        &[],
    )
    .await;
}

#[tokio::test]
async fn elastic_security_open_alerts_with_basic_auth() {
    run_example(
        "elastic-security",
        "open_alerts",
        "ELASTIC_SECURITY",
        &[
            ("ELASTIC_SECURITY_USER", "elastic"),
            ("ELASTIC_SECURITY_PASSWORD", "example-password"),
        ],
        &[],
    )
    .await;
}
