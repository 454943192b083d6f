//! OpenAPI 3.1 → 3.0 (being written on its own branch).
use super::origin::Origins;
use crate::diagnostic::Problem;
use serde_json::Value;
/// Rewrites a 3.1 document into 3.0 form.
pub fn downgrade(doc: &mut Value, _origins: &mut Origins, _warnings: &mut Vec<Problem>) {
    doc["openapi"] = Value::String("3.0.3".into());
}
