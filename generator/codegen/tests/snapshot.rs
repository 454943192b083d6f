//! The generated code for a small fixture spec, compared with reviewed snapshots.
//!
//! A change to the generator shows up here as a readable diff. After an intended change, run
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test -p clientgen --test snapshot`) and
//! commit the new snapshots.

use std::path::Path;

use clientgen::{generate_file, CrateSettings};

fn settings(crate_name: &str, spec_label: &str) -> CrateSettings {
    CrateSettings {
        crate_name: crate_name.into(),
        version: "0.1.0".into(),
        description: None,
        default_base_url: None,
        env_prefix: "SNAPSHOT".into(),
        runtime_path: "../../generator/runtime".into(),
        standalone: false,
        spec_label: spec_label.into(),
        regen_command: "cargo xtask regen".into(),
    }
}

#[test]
fn generated_crate_for_the_snapshot_fixture() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/snapshot.yaml");
    let settings = settings("snapshot-client", "tests/fixtures/snapshot.yaml");
    let krate = generate_file(&spec, &settings).expect("the fixture is valid");
    let names: Vec<&str> = krate.files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "Cargo.toml",
            "README.md",
            "src/client.rs",
            "src/lib.rs",
            "src/operations.rs",
            "src/types.rs"
        ]
    );
    for (path, contents) in &krate.files {
        let name = path.replace('/', "__");
        insta::assert_snapshot!(name, contents);
    }
}

/// The conformance spec uses every construct; its crate is also committed under
/// generated/conformance and tested in tests/conformance.rs.
#[test]
fn generated_code_for_the_conformance_spec() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance/openapi.yaml");
    let settings = settings("conformance-client", "tests/conformance/openapi.yaml");
    let krate = generate_file(&spec, &settings).expect("the conformance spec is valid");
    for path in ["src/types.rs", "src/client.rs", "src/operations.rs"] {
        let name = format!("conformance__{}", path.replace('/', "__"));
        insta::assert_snapshot!(name, krate.files[path]);
    }
}
