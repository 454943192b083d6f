//! The generated code for a small fixture spec, compared with reviewed snapshots.
//!
//! A change to the generator shows up here as a readable diff. After an intended change, run
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test -p clientgen --test snapshot`) and
//! commit the new snapshots.
//!
//! Only fixtures whose crate is committed nowhere else have snapshots here. The conformance
//! spec's crate is committed under `generated/conformance/` and pinned there, whole, by
//! `cargo xtask regen --check` and `tests/generated_is_current.rs`: a snapshot of it would be
//! the same file committed twice.

use std::path::Path;

use clientgen::{generate_file, CrateSettings};

fn settings(crate_name: &str, spec_label: &str) -> CrateSettings {
    CrateSettings {
        env_prefix: "SNAPSHOT".into(),
        runtime: clientgen::settings::RuntimeDependency::Path {
            path: "../../generator/runtime".into(),
            version: None,
        },
        standalone: false,
        regen_command: "cargo xtask regen".into(),
        ..CrateSettings::standalone(crate_name, spec_label)
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
            "api-surface.json",
            "src/client.rs",
            "src/fake.rs",
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

/// A crate generated from someone else's spec takes the licence its `info.license` names, or
/// the caller's, and otherwise none: never this project's. Its runtime dependency is written
/// as the caller chose.
#[test]
fn the_manifest_takes_the_licence_from_the_caller_or_the_spec_and_never_invents_one() {
    let dir = std::env::temp_dir().join(format!("clientgen-licence-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let manifest = |info: &str, license: Option<&str>, runtime: &str| {
        let spec = dir.join("openapi.yaml");
        std::fs::write(
            &spec,
            format!("openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\n{info}paths: {{}}\n"),
        )
        .expect("written");
        let settings = CrateSettings {
            license: license.map(str::to_owned),
            runtime: clientgen::settings::RuntimeDependency::parse(runtime).expect("runtime"),
            ..settings("t-client", "openapi.yaml")
        };
        let krate = generate_file(&spec, &settings).expect("generated");
        assert!(!krate.files.contains_key("LICENSE"));
        krate.files["Cargo.toml"].clone()
    };
    let mit = manifest("  license:\n    name: MIT License\n", None, "version:0.1");
    assert!(mit.contains("\nlicense = \"MIT\"\n"), "{mit}");
    assert!(mit.contains("\nclientgen-runtime = \"0.1\"\n"), "{mit}");
    let none = manifest("", None, "git:https://example.com/c.git#v1");
    assert!(!none.contains("license"), "{none}");
    assert!(
        none.contains(
            "\nclientgen-runtime = { git = \"https://example.com/c.git\", rev = \"v1\" }\n"
        ),
        "{none}"
    );
    let unknown = manifest("  license:\n    name: Proprietary\n", None, "path:../rt");
    assert!(!unknown.contains("license"), "{unknown}");
    let chosen = manifest(
        "  license:\n    name: MIT\n",
        Some("MPL-2.0"),
        "path:../rt@0.1.0",
    );
    assert!(chosen.contains("\nlicense = \"MPL-2.0\"\n"), "{chosen}");
    assert!(
        chosen.contains("\nclientgen-runtime = { path = \"../rt\", version = \"0.1.0\" }\n"),
        "{chosen}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// `repository` is written when `vendor.toml` gives one, and left out otherwise.
#[test]
fn the_manifest_names_the_repository_only_when_given() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/snapshot.yaml");
    let with = CrateSettings {
        repository: Some("https://example.com/clients.git".into()),
        ..settings("snapshot-client", "tests/fixtures/snapshot.yaml")
    };
    let krate = generate_file(&spec, &with).expect("generated");
    assert!(
        krate.files["Cargo.toml"].contains("\nrepository = \"https://example.com/clients.git\"\n")
    );
    let without = settings("snapshot-client", "tests/fixtures/snapshot.yaml");
    let krate = generate_file(&spec, &without).expect("generated");
    assert!(!krate.files["Cargo.toml"].contains("repository"));
}

/// A discriminator whose alternatives are inline schemas maps no tag to a variant (there are no
/// schema names to map implicitly): the alternatives are tried in order instead, so values
/// still decode as their variant rather than all ending in `Other` (and the decoder is not a
/// one-arm `match`, which clippy refuses).
#[test]
fn a_discriminator_that_maps_no_alternative_falls_back_to_trying_each_in_order() {
    let dir = std::env::temp_dir().join(format!("clientgen-discriminator-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let spec = dir.join("openapi.yaml");
    std::fs::write(
        &spec,
        r#"openapi: 3.0.3
info: {title: Shapes, version: '1'}
paths: {}
components:
  schemas:
    Shape:
      oneOf:
        - type: object
          required: [kind, radius]
          properties: {kind: {type: string}, radius: {type: number}}
        - type: object
          required: [kind, side]
          properties: {kind: {type: string}, side: {type: number}}
      discriminator: {propertyName: kind}
"#,
    )
    .expect("written");
    let krate =
        generate_file(&spec, &settings("shapes-client", "openapi.yaml")).expect("generated");
    std::fs::remove_dir_all(&dir).ok();
    let types = &krate.files["src/types.rs"];
    let decoder = &types[types.find("for Shape {").expect("Shape's decoder")..];
    let decoder = &decoder[..decoder.find("\n}\n").expect("its end")];
    assert!(!decoder.contains("match tag"), "{decoder}");
    assert_eq!(
        decoder
            .matches("if let Ok(v) = serde::Deserialize::deserialize(&value)")
            .count(),
        2,
        "{decoder}"
    );
}
