//! `generated/` holds exactly what the generator makes from `specs/`.
//!
//! This is the same comparison as `cargo xtask regen --check`, run by `cargo test` so that a
//! stale or hand-edited generated file fails the ordinary test suite.

use std::path::Path;

use clientgen::vendors;

#[test]
fn generated_crates_match_their_specs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repository root");
    let all = vendors::discover(root).unwrap_or_else(|e| panic!("{e}"));
    assert!(!all.is_empty(), "no vendors found under specs/");
    let mut stale = Vec::new();
    for vendor in &all {
        let krate =
            vendors::generate(root, vendor).unwrap_or_else(|e| panic!("{}: {e}", vendor.name));
        let shown = Path::new(vendors::GENERATED_DIR).join(&vendor.name);
        let drifts = vendors::drift(&vendors::out_dir(root, &vendor.name), &krate, &shown)
            .unwrap_or_else(|e| panic!("{}: {e}", vendor.name));
        stale.extend(drifts.iter().map(ToString::to_string));
    }
    assert!(
        stale.is_empty(),
        "generated/ is stale:\n  {}\nrun `{}` and commit the result",
        stale.join("\n  "),
        vendors::REGEN_COMMAND
    );
}
