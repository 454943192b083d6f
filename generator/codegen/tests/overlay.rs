//! An overlay read from disk fixes a vendor spec read from disk, and the generator reads the
//! result (the flow the loader runs between parsing the text and reading the document).

use std::path::{Path, PathBuf};

use clientgen::load::overlay;
use clientgen::{generate, load, CrateSettings};
use serde_json::{json, Value};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/overlay")
        .join(name)
}

fn spec_value() -> Value {
    let text = std::fs::read_to_string(fixture("openapi.yaml")).expect("fixture spec is readable");
    serde_yaml::from_str(&text).expect("fixture spec is YAML")
}

fn patched() -> (Value, Vec<clientgen::Diagnostic>) {
    let fixes = overlay::read(&fixture("fixes.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let mut doc = spec_value();
    let warnings = overlay::apply(&fixes, &mut doc).unwrap_or_else(|e| panic!("{e}"));
    (doc, warnings)
}

#[test]
fn the_overlay_fixes_the_vendor_spec() {
    let (doc, warnings) = patched();
    assert_eq!(
        doc["paths"]["/alerts"]["get"]["description"],
        json!("Lists the alerts visible to the caller, newest first.")
    );
    assert!(doc["paths"].get("/internal/debug").is_none());
    assert_eq!(
        doc["paths"].as_object().map(|p| p.len()),
        Some(2),
        "only the debug path is gone"
    );
    assert_eq!(
        doc["components"]["schemas"]["AlertStatus"]["enum"],
        json!(["open", "closed", "acknowledged"])
    );
    assert_eq!(
        doc["paths"]["/alerts/{id}"]["get"]["responses"]["404"],
        json!({"description": "No alert has this id."})
    );
    assert_eq!(
        doc["paths"]["/alerts/{id}"]["get"]["responses"]["200"]["description"],
        json!("One alert."),
        "merging keeps what the overlay does not mention"
    );
    // The action written for an older upstream is reported where it is written.
    let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(warnings[0].file, fixture("fixes.yaml"));
    assert_eq!(warnings[0].line, Some(22));
    assert_eq!(warnings[0].pointer, "/actions/4/target");
    assert!(shown[0].contains("selects nothing"), "{}", shown[0]);
}

#[test]
fn the_generator_reads_the_patched_spec() {
    let (doc, _) = patched();
    let text = serde_json::to_string_pretty(&doc).expect("a Value serialises");
    let spec = load::parse(&fixture("openapi.yaml"), text).unwrap_or_else(|e| panic!("{e}"));
    let settings = CrateSettings {
        env_prefix: "ALERTS".into(),
        regen_command: "cargo xtask regen".into(),
        ..CrateSettings::standalone("alerts-client", "openapi.yaml")
    };
    let krate = generate(&spec, &settings).unwrap_or_else(|e| panic!("{e}"));
    let operations = &krate.files["src/operations.rs"];
    let client = &krate.files["src/client.rs"];
    let types = &krate.files["src/types.rs"];
    assert_eq!(krate.summary.operations, 2);
    assert!(!client.contains("debug_dump") && !operations.contains("debug_dump"));
    assert!(client.contains("Lists the alerts visible to the caller, newest first."));
    assert!(
        types.contains("Acknowledged"),
        "the added enum value is a variant"
    );
}

#[test]
fn a_broken_overlay_on_disk_is_refused_with_located_problems() {
    let dir = std::env::temp_dir().join(format!("clientgen-overlay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("broken.yaml");
    std::fs::write(
        &path,
        "overlay: 1.0.0\ninfo:\n  title: t\nactions:\n  - target: $.paths[?@.x ==]\n    remove: true\n",
    )
    .expect("write");
    let result = overlay::read(&path);
    let _ = std::fs::remove_dir_all(&dir);
    let diagnostics = match result {
        Ok(_) => panic!("broken overlay accepted"),
        Err(d) => d.0,
    };
    let lines: Vec<(Option<usize>, &str)> = diagnostics
        .iter()
        .map(|d| (d.line, d.pointer.as_str()))
        .collect();
    assert_eq!(lines, [(Some(2), "/info"), (Some(5), "/actions/0/target")]);
    assert!(diagnostics.iter().all(|d| d.file == path));
    assert!(overlay::read(&dir.join("absent.yaml")).is_err());
}
