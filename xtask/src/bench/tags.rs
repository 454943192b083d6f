//! The per-tag cost of a generated crate: which tag features its `Cargo.toml` declares, how
//! many operations each gates, and which are checked alone (`cargo check --no-default-features
//! --features <tag>`): the tag with the most operations and a median-sized one.
//!
//! Operations are counted from the spec (each operation under its first tag, as the generator
//! files it) and matched to features by name with case and punctuation ignored, so the count
//! does not depend on how the generator spells a tag as a feature name.

use std::collections::BTreeMap;
use std::path::Path;

use clientgen::model::features::OTHER_TYPES;
use serde::{Deserialize, Serialize};

use super::Outcome;

/// Features of a generated crate that are not tags: the default set, the fake, and the types
/// no operation uses.
const NOT_TAGS: &[&str] = &["default", "fake", OTHER_TYPES];

/// The per-tag figures of one crate.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct TagCosts {
    /// Tag features declared by the crate (empty: the crate has none).
    pub features: Vec<String>,
    /// The checks of single tags, as fractions of the whole crate's check.
    pub picks: Vec<TagCost>,
    /// Why nothing was measured, when so.
    pub note: Option<String>,
}

/// One tag checked alone.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TagCost {
    /// Why this tag: "most operations" or "median".
    pub which: String,
    pub feature: String,
    pub operations: usize,
    pub check: Outcome,
}

/// The tag features of a crate manifest: every feature but `default`, `fake` and
/// `other-types`, in order.
pub fn features(manifest: &str) -> Result<Vec<String>, String> {
    let value: toml::Table = manifest.parse().map_err(|e| format!("Cargo.toml: {e}"))?;
    let Some(table) = value.get("features").and_then(toml::Value::as_table) else {
        return Ok(Vec::new());
    };
    Ok(table
        .keys()
        .filter(|k| !NOT_TAGS.contains(&k.as_str()))
        .cloned()
        .collect())
}

/// A name with case and everything but letters and digits dropped: `Code Scanning`,
/// `code_scanning` and `code-scanning` are one tag.
fn key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[derive(Deserialize)]
struct Spec {
    #[serde(default)]
    paths: BTreeMap<String, PathItem>,
}

#[derive(Deserialize)]
struct PathItem {
    get: Option<Operation>,
    put: Option<Operation>,
    post: Option<Operation>,
    delete: Option<Operation>,
    options: Option<Operation>,
    head: Option<Operation>,
    patch: Option<Operation>,
    trace: Option<Operation>,
}

#[derive(Deserialize)]
struct Operation {
    #[serde(default)]
    tags: Vec<String>,
}

/// Operations per first tag of a JSON or YAML spec, keyed by [`key`]; untagged operations are
/// not counted. Only the paths' operations' tags are kept in memory: this process's peak
/// memory is carried into the children it starts, whose peak the bench reports.
pub fn operations_per_tag(spec: &Path) -> Result<(usize, BTreeMap<String, usize>), String> {
    let file = std::fs::File::open(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let reader = std::io::BufReader::new(file);
    let yaml = matches!(
        spec.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    );
    let parsed: Spec = if yaml {
        serde_yaml::from_reader(reader).map_err(|e| format!("{}: {e}", spec.display()))?
    } else {
        serde_json::from_reader(reader).map_err(|e| format!("{}: {e}", spec.display()))?
    };
    Ok(count(&parsed))
}

fn count(spec: &Spec) -> (usize, BTreeMap<String, usize>) {
    let mut total = 0;
    let mut per_tag = BTreeMap::new();
    for item in spec.paths.values() {
        let operations = [
            &item.get,
            &item.put,
            &item.post,
            &item.delete,
            &item.options,
            &item.head,
            &item.patch,
            &item.trace,
        ];
        for operation in operations.into_iter().flatten() {
            total += 1;
            if let Some(tag) = operation.tags.first() {
                *per_tag.entry(key(tag)).or_insert(0) += 1;
            }
        }
    }
    (total, per_tag)
}

/// The features to check alone: the one gating the most operations, then a median-sized one
/// (the lower median of the features sorted by operations, when it is another feature). Ties
/// go to the name first in order. Features that match no tag of the spec are not picked.
pub fn picks(
    features: &[String],
    per_tag: &BTreeMap<String, usize>,
) -> Vec<(String, String, usize)> {
    let mut sized: Vec<(usize, &String)> = features
        .iter()
        .filter_map(|f| Some((*per_tag.get(&key(f))?, f)))
        .filter(|(n, _)| *n > 0)
        .collect();
    if sized.is_empty() {
        return Vec::new();
    }
    // Most operations first; among equals, by name.
    sized.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let mut out = vec![("most operations".to_owned(), sized[0].1.clone(), sized[0].0)];
    // The lower median of the ascending order is the upper median of this descending one.
    let median = sized[sized.len() / 2];
    if median.1 != sized[0].1 {
        out.push(("median".to_owned(), median.1.clone(), median.0));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_features_are_every_feature_but_default_and_fake() {
        let manifest = r#"
[package]
name = "x"

[features]
default = ["repos", "code-scanning"]
fake = ["clientgen-runtime/fake"]
other-types = []
repos = []
code-scanning = []
"#;
        assert_eq!(features(manifest).unwrap(), ["code-scanning", "repos"]);
        assert!(features("[package]\nname = \"x\"\n").unwrap().is_empty());
    }

    #[test]
    fn operations_count_under_their_first_tag_whatever_its_spelling() {
        let spec: Spec = serde_json::from_str(
            r#"{"paths": {
                "/a": {"get": {"tags": ["Code Scanning", "repos"]}, "post": {"tags": ["repos"]},
                       "parameters": []},
                "/b": {"delete": {"tags": ["repos"]}, "put": {}}
            }}"#,
        )
        .unwrap();
        let (total, per_tag) = count(&spec);
        assert_eq!(total, 4);
        assert_eq!(per_tag["codescanning"], 1);
        assert_eq!(per_tag["repos"], 2);
    }

    #[test]
    fn the_largest_and_a_median_tag_are_picked() {
        let features: Vec<String> = ["a", "b", "c", "d", "e", "unmatched"]
            .map(String::from)
            .into();
        let per_tag: BTreeMap<String, usize> = [("a", 5), ("b", 40), ("c", 7), ("d", 1), ("e", 12)]
            .map(|(k, v)| (k.to_owned(), v))
            .into();
        let picked = picks(&features, &per_tag);
        assert_eq!(
            picked,
            [
                ("most operations".to_owned(), "b".to_owned(), 40),
                ("median".to_owned(), "c".to_owned(), 7)
            ]
        );
    }

    #[test]
    fn one_tag_is_picked_once() {
        let per_tag: BTreeMap<String, usize> = [("only".to_owned(), 3)].into();
        let picked = picks(&["only".to_owned()], &per_tag);
        assert_eq!(picked.len(), 1);
        assert!(picks(&["other".to_owned()], &per_tag).is_empty());
    }
}
