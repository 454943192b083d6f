//! The generated code for a small fixture spec, compared with reviewed snapshots.
//!
//! A change to the generator shows up here as a readable diff. After an intended change, run
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test -p clientgen --test snapshot`) and
//! commit the new snapshots.

use std::path::Path;

use clientgen::{generate_file, CrateSettings};

#[test]
fn generated_crate_for_the_snapshot_fixture() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/snapshot.yaml");
    let settings = CrateSettings {
        crate_name: "snapshot-client".into(),
        version: "0.1.0".into(),
        description: None,
        default_base_url: None,
        env_prefix: "SNAPSHOT".into(),
        runtime_path: "../../generator/runtime".into(),
        standalone: false,
        spec_label: "tests/fixtures/snapshot.yaml".into(),
        regen_command: "cargo xtask regen".into(),
    };
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
