//! Synthetic specs k times the size of a vendor spec: every path and reusable component is
//! copied k-1 more times under new names (paths under `/copyN`, operation ids `_cN`, component
//! names `…CN`), with `$ref`s and the operation ids named in `x-clientgen-job` rewritten so
//! that each copy refers only to itself. Security schemes, servers and tags stay shared.

use serde_yaml::{Mapping, Value};

/// Component sections that are copied; a `$ref` into one of them is renamed in each copy.
const KINDS: &[&str] = &[
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "examples",
    "links",
    "callbacks",
];

/// The spec with its paths and components replicated `factor` times (1 = unchanged).
pub fn replicate(spec: &Value, factor: usize) -> Result<Value, String> {
    let mut out = spec.clone();
    let paths = spec
        .get("paths")
        .and_then(Value::as_mapping)
        .ok_or("the spec has no paths")?;
    let components = spec.get("components").and_then(Value::as_mapping);
    let mut new_paths = paths.clone();
    let mut new_components = components.cloned().unwrap_or_default();
    for copy in 2..=factor {
        for (path, item) in paths {
            let path = path.as_str().ok_or("a path that is not a string")?;
            new_paths.insert(
                Value::String(format!("/copy{copy}{path}")),
                rename(item, copy),
            );
        }
        for kind in KINDS {
            let Some(section) = components.and_then(|c| c.get(*kind)?.as_mapping()) else {
                continue;
            };
            let target = new_components
                .get_mut(*kind)
                .and_then(Value::as_mapping_mut)
                .ok_or("components changed under us")?;
            for (name, value) in section {
                let name = name
                    .as_str()
                    .ok_or("a component name that is not a string")?;
                target.insert(Value::String(format!("{name}C{copy}")), rename(value, copy));
            }
        }
    }
    out["paths"] = Value::Mapping(new_paths);
    if components.is_some() {
        out["components"] = Value::Mapping(new_components);
    }
    Ok(out)
}

fn rename(value: &Value, copy: usize) -> Value {
    match value {
        Value::String(s) => Value::String(rename_ref(s, copy).unwrap_or_else(|| s.clone())),
        Value::Sequence(items) => Value::Sequence(items.iter().map(|v| rename(v, copy)).collect()),
        Value::Mapping(map) => {
            let mut out = Mapping::new();
            for (key, v) in map {
                let renamed = match (key.as_str(), v) {
                    (Some("operationId"), Value::String(id)) => {
                        Value::String(format!("{id}_c{copy}"))
                    }
                    (Some("x-clientgen-job"), Value::Mapping(_)) => {
                        let mut job = rename(v, copy);
                        for field in ["method", "status-operation", "results-operation"] {
                            if let Some(Value::String(id)) = job.get(field).cloned() {
                                job[field] = Value::String(format!("{id}_c{copy}"));
                            }
                        }
                        job
                    }
                    _ => rename(v, copy),
                };
                out.insert(key.clone(), renamed);
            }
            Value::Mapping(out)
        }
        Value::Tagged(t) => rename(&t.value, copy),
        other => other.clone(),
    }
}

/// `#/components/schemas/Alert/...` → `#/components/schemas/AlertC3/...`.
fn rename_ref(s: &str, copy: usize) -> Option<String> {
    let rest = s.strip_prefix("#/components/")?;
    let (kind, rest) = rest.split_once('/')?;
    if !KINDS.contains(&kind) {
        return None;
    }
    let (name, tail) = match rest.split_once('/') {
        Some((name, tail)) => (name, format!("/{tail}")),
        None => (rest, String::new()),
    };
    Some(format!("#/components/{kind}/{name}C{copy}{tail}"))
}

/// The exponent b of t = a·k^b fitted by least squares on (ln k, ln t).
pub fn exponent(points: &[(f64, f64)]) -> Option<f64> {
    let pts: Vec<(f64, f64)> = points
        .iter()
        .filter(|(k, t)| *k > 0.0 && *t > 0.0)
        .map(|(k, t)| (k.ln(), t.ln()))
        .collect();
    if pts.len() < 2 {
        return None;
    }
    let n = pts.len() as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_are_renamed_per_copy() {
        assert_eq!(
            rename_ref("#/components/schemas/Alert", 3).as_deref(),
            Some("#/components/schemas/AlertC3")
        );
        assert_eq!(rename_ref("#/components/securitySchemes/Key", 3), None);
        let k = [1.0, 2.0, 4.0, 8.0];
        let t: Vec<(f64, f64)> = k.iter().map(|k| (*k, 3.0 * k)).collect();
        assert!((exponent(&t).unwrap() - 1.0).abs() < 1e-9);
    }
}
