//! OpenAPI Overlay 1.0 (being written on its own branch).
use crate::diagnostic::{Diagnostic, Diagnostics};
use serde_json::Value;
use std::path::Path;
/// An overlay.
pub struct Overlay;
/// Reads an overlay.
pub fn read(path: &Path) -> Result<Overlay, Diagnostics> {
    Err(Diagnostics(vec![Diagnostic {
        file: path.to_path_buf(),
        line: None,
        column: None,
        pointer: String::new(),
        message: "overlays are not supported yet".into(),
    }]))
}
/// Applies an overlay.
pub fn apply(_overlay: &Overlay, _doc: &mut Value) -> Result<Vec<Diagnostic>, Diagnostics> {
    Ok(Vec::new())
}
