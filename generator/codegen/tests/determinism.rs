//! The same spec gives byte-identical output, wherever it is written and however often.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clientgen::vendors;
use clientgen::{generate_file, CrateSettings};

fn settings() -> CrateSettings {
    CrateSettings {
        env_prefix: "NEXUS".into(),
        runtime: clientgen::settings::RuntimeDependency::Path {
            path: "../../generator/runtime".into(),
            version: None,
        },
        regen_command: "cargo xtask regen".into(),
        ..CrateSettings::standalone("nexus-client", "corpus/nexus.json")
    }
}

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).expect("readable dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("readable file");
                out.insert(path.strip_prefix(dir).expect("inside").to_path_buf(), bytes);
            }
        }
    }
    out
}

fn fixture_spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/snapshot.yaml")
}

#[test]
fn two_generations_into_different_directories_are_byte_identical() {
    let base = std::env::temp_dir().join(format!("clientgen-determinism-{}", std::process::id()));
    let (first, second) = (base.join("one"), base.join("two/nested"));
    for dir in [&first, &second] {
        let krate = generate_file(&fixture_spec(), &settings()).expect("valid spec");
        vendors::write(dir, &krate).expect("written");
    }
    let (a, b) = (tree(&first), tree(&second));
    assert!(!a.is_empty());
    assert_eq!(a, b);
    std::fs::remove_dir_all(&base).ok();
}

#[test]
fn a_large_real_spec_generates_identically_every_time() {
    let nexus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/nexus.json");
    assert!(
        nexus.is_file(),
        "the corpus spec is missing from tests/corpus/: {}",
        nexus.display()
    );
    let first = generate_file(&nexus, &settings()).expect("nexus generates");
    for _ in 0..3 {
        let again = generate_file(&nexus, &settings()).expect("nexus generates");
        assert!(again.files == first.files, "output changed between runs");
    }
}

#[test]
fn rewriting_an_unchanged_crate_changes_nothing() {
    let dir = std::env::temp_dir().join(format!("clientgen-rewrite-{}", std::process::id()));
    let krate = generate_file(&fixture_spec(), &settings()).expect("valid spec");
    assert!(!vendors::write(&dir, &krate)
        .expect("first write")
        .is_empty());
    assert!(vendors::write(&dir, &krate)
        .expect("second write")
        .is_empty());
    std::fs::write(dir.join("stray.rs"), "// not generated").expect("stray file");
    std::fs::write(dir.join("src/lib.rs"), "// edited by hand").expect("edit");
    let drifts = vendors::drift(&dir, &krate, Path::new("x")).expect("compared");
    assert_eq!(
        drifts,
        vec![
            vendors::Drift::Differs(PathBuf::from("x/src/lib.rs")),
            vendors::Drift::Extra(PathBuf::from("x/stray.rs")),
        ]
    );
    vendors::write(&dir, &krate).expect("repaired");
    assert!(vendors::drift(&dir, &krate, Path::new("x"))
        .expect("compared")
        .is_empty());
    std::fs::remove_dir_all(&dir).ok();
}
