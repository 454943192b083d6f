//! Stage 1: read a spec file and parse it into an `openapiv3::OpenAPI` document.
//!
//! YAML and JSON are both accepted (JSON is chosen when the document starts with `{`). Parse
//! errors come back as [`Diagnostics`] with the file, line, column and JSON pointer of the
//! node that failed, never as a panic.

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde::Deserialize;

use crate::diagnostic::{push_pointer, Diagnostic, Diagnostics, Problem};
use crate::locate::LineIndex;

pub mod openapi31;
pub mod origin;

/// A parsed spec and where it came from.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file, as it should appear in messages.
    pub file: PathBuf,
    /// The document's text, kept to locate problems found later.
    pub source: String,
    /// The parsed document.
    pub document: OpenAPI,
}

impl Spec {
    /// Locates `problems` in this spec's file.
    pub fn diagnose(&self, problems: Vec<Problem>) -> Diagnostics {
        locate_all(&self.file, &self.source, problems)
    }
}

/// Locates each problem's pointer in `source`.
pub fn locate_all(file: &Path, source: &str, problems: Vec<Problem>) -> Diagnostics {
    let index = LineIndex::build(source);
    Diagnostics(
        problems
            .into_iter()
            .map(|p| {
                let position = index.find(&p.pointer);
                Diagnostic {
                    file: file.to_path_buf(),
                    line: position.map(|(line, _)| line),
                    column: position.map(|(_, column)| column),
                    pointer: p.pointer,
                    message: p.message,
                }
            })
            .collect(),
    )
}

/// How a spec is read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// OpenAPI Overlay 1.0 documents applied, in order, before anything else reads the spec.
    pub overlays: Vec<PathBuf>,
    /// Tolerate common harmless defects (each becomes a located warning with the
    /// interpretation taken) instead of refusing the spec.
    pub lenient: bool,
}

/// Reads and parses the spec at `path` with the default (strict) options.
pub fn load_file(path: &Path) -> Result<Spec, Diagnostics> {
    load_file_with(path, &LoadOptions::default())
}

/// Reads and parses the spec at `path`.
pub fn load_file_with(path: &Path, _options: &LoadOptions) -> Result<Spec, Diagnostics> {
    let source = std::fs::read_to_string(path).map_err(|e| {
        Diagnostics(vec![Diagnostic {
            file: path.to_path_buf(),
            line: None,
            column: None,
            pointer: String::new(),
            message: format!("cannot read the file: {e}"),
        }])
    })?;
    parse(path, source)
}

/// The only field needed to explain why a document of another OpenAPI version was refused.
#[derive(Deserialize)]
struct VersionOnly {
    openapi: Option<serde_json::Value>,
    swagger: Option<serde_json::Value>,
}

/// Parses `source`, naming `file` in any error.
pub fn parse(file: &Path, source: String) -> Result<Spec, Diagnostics> {
    let is_json = source.trim_start().starts_with('{');
    let parsed = if is_json {
        let mut de = serde_json::Deserializer::from_str(&source);
        serde_path_to_error::deserialize::<_, OpenAPI>(&mut de).map_err(|e| {
            let position = Some((e.inner().line(), e.inner().column()));
            (pointer_of(e.path()), e.inner().to_string(), position)
        })
    } else {
        let de = serde_yaml::Deserializer::from_str(&source);
        serde_path_to_error::deserialize::<_, OpenAPI>(de).map_err(|e| {
            let position = e.inner().location().map(|l| (l.line(), l.column()));
            (pointer_of(e.path()), e.inner().to_string(), position)
        })
    };
    let document = match parsed {
        Ok(document) => document,
        Err((pointer, message, position)) => {
            if let Some(problem) = version_problem(&source, is_json) {
                return Err(locate_all(file, &source, vec![problem]));
            }
            let mut diagnostics = locate_all(file, &source, vec![Problem::new(pointer, message)]);
            // The parser's own position is exact where it has one (syntax errors, bad values).
            if let (Some((line, column)), Some(d)) = (position, diagnostics.0.first_mut()) {
                if line > 0 {
                    d.line = Some(line);
                    d.column = Some(column);
                }
            }
            return Err(diagnostics);
        }
    };
    let spec = Spec {
        file: file.to_path_buf(),
        source,
        document,
    };
    if !spec.document.openapi.starts_with("3.0") {
        let problem = Problem::new(
            "/openapi",
            format!(
                "OpenAPI version `{}` is not supported: this generator reads 3.0.x documents",
                spec.document.openapi
            ),
        );
        return Err(spec.diagnose(vec![problem]));
    }
    Ok(spec)
}

/// Explains a failed parse by the document's version, when that is the reason.
fn version_problem(source: &str, is_json: bool) -> Option<Problem> {
    let version: VersionOnly = if is_json {
        serde_json::from_str(source).ok()?
    } else {
        serde_yaml::from_str(source).ok()?
    };
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if let Some(swagger) = version.swagger {
        return Some(Problem::new(
            "/swagger",
            format!(
                "Swagger {} documents are not supported: convert the document to OpenAPI 3.0 first",
                text(&swagger)
            ),
        ));
    }
    let openapi = text(&version.openapi?);
    (!openapi.starts_with("3.0")).then(|| {
        Problem::new(
            "/openapi",
            format!("OpenAPI version `{openapi}` is not supported: this generator reads 3.0.x documents"),
        )
    })
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .fold(String::new(), |pointer, segment| match segment {
            Segment::Seq { index } => push_pointer(&pointer, &index.to_string()),
            Segment::Map { key } => push_pointer(&pointer, key),
            Segment::Enum { .. } | Segment::Unknown => pointer,
        })
}
