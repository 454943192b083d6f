//! Every operation of every vendor is called by that vendor's wiremock tests
//! (`tests/<vendor>.rs`) and by its contract tests against Prism (`tests/contract_<vendor>.rs`).
//! A new operation in a spec fails this test until both files call it, and a new vendor until
//! `tests/main.rs` declares both files as modules of the test binary.

use std::path::Path;

use clientgen::vendors;

#[test]
fn each_vendor_test_file_calls_every_operation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent");
    // A test file runs only as a module of the one test binary.
    let main = root.join("tests/main.rs");
    let modules =
        std::fs::read_to_string(&main).unwrap_or_else(|e| panic!("{}: {e}", main.display()));
    let mut missing = Vec::new();
    let mut vendors_seen = 0;
    for vendor in vendors::discover(root).expect("spec folders load") {
        if !vendor.spec_path.starts_with(root.join(vendors::SPECS_DIR)) {
            continue; // test fixtures (tests/conformance) have their own tests
        }
        vendors_seen += 1;
        let spec = clientgen::load::load_file(&vendor.spec_path).expect("spec loads");
        let model = clientgen::model::build(&spec).expect("spec builds");
        let stem = vendor.name.replace('-', "_");
        for module in [stem.clone(), format!("contract_{stem}")] {
            if !modules.contains(&format!("\nmod {module};\n")) {
                missing.push(format!("tests/main.rs never declares `mod {module};`"));
            }
            let file = format!("{module}.rs");
            let path = root.join("tests").join(&file);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            for op in &model.operations {
                if !text.contains(&format!(".{}(", op.method_name)) {
                    missing.push(format!("tests/{file} never calls `{}`", op.method_name));
                }
            }
        }
    }
    assert_eq!(vendors_seen, 5, "expected the five vendors under specs/");
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
