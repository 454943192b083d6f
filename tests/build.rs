//! Generates, for the decode benchmark, Sekoia's types *without* unknown-member capture: the
//! baseline that measures what capturing costs. The captured types are the committed crate's.

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repository root");
    let spec_path = root.join("specs/sekoia/openapi.yaml");
    println!("cargo:rerun-if-changed={}", spec_path.display());
    let spec = clientgen::load::load_file(&spec_path).unwrap_or_else(|e| panic!("{e}"));
    let model = clientgen::model::build(&spec).unwrap_or_else(|p| panic!("{}", spec.diagnose(p)));
    let file =
        clientgen::bench_types_without_unknown_capture(&model).unwrap_or_else(|e| panic!("{e}"));
    // `include!` takes items only: drop the module's inner doc comment.
    let items: String = file
        .lines()
        .filter(|line| !line.starts_with("//!"))
        .map(|line| format!("{line}\n"))
        .collect();
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR"))
        .join("sekoia_types_without_capture.rs");
    std::fs::write(out, items).expect("write generated types");
}
