//! Swagger 2.0 → OpenAPI 3.0 (being written on its own branch; this placeholder refuses).
use super::origin::Origins;
use crate::diagnostic::Problem;
use serde_json::Value;
/// A converted document.
pub struct Converted {
    /// The 3.0 document.
    pub document: Value,
    /// Where its nodes were written.
    pub origins: Origins,
    /// Interpretations taken.
    pub warnings: Vec<Problem>,
}
/// Converts a 2.0 document.
pub fn convert(_doc: &Value) -> Result<Converted, Vec<Problem>> {
    Err(vec![Problem::new(
        "/swagger",
        "Swagger 2.0 documents are not supported yet",
    )])
}
