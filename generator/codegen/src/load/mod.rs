//! Stage 1: read a spec as its author wrote it and hand the model one OpenAPI 3.0 document.
//!
//! Vendors publish Swagger 2.0, OpenAPI 3.0 and 3.1, in one file or several, and many of their
//! documents have small defects. The loader is a pipeline over `serde_json::Value`, each step in
//! its own module:
//!
//! 1. text → value (YAML or JSON; JSON is chosen when the document starts with `{`);
//! 2. [`overlay`]: OpenAPI Overlay 1.0 documents the caller names are applied to the document
//!    as written;
//! 3. `swagger2` converts a 2.0 document, [`openapi31`] rewrites a 3.1 document, into 3.0;
//! 4. `refs`: references into other files and JSON-pointer references outside
//!    `#/components/…` are bundled into the document;
//! 5. `repair`: common harmless defects are mended, each recorded as a `Problem` saying
//!    what was taken to be meant;
//! 6. `nodes`: each path item, operation and component is deserialised on its own into the
//!    `openapiv3` types, so one bad node neither hides the others nor loses them.
//!
//! Every problem is located by file, line and JSON pointer in the file the user wrote, through
//! the [`origin::Origins`] each step records. Nothing here panics on a document.
//!
//! Strict loading (the default, used by `cargo xtask regen`) refuses a spec that needed any
//! repair and reports every problem at once; lenient loading keeps the repairs as warnings
//! ([`Spec::warnings`]) and drops what cannot be read (an operation, a component) with a
//! warning naming it.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Diagnostics, Problem};
use crate::locate::LineIndex;

pub(crate) mod nodes;
pub mod openapi31;
pub mod origin;
pub mod overlay;
pub(crate) mod refs;
pub(crate) mod repair;
pub(crate) mod swagger2;
mod walk;

use origin::Origins;

/// One file the document was read from, kept to locate problems.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The file, as it should appear in messages.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// Where each node starts, built the first time a problem needs it.
    index: OnceLock<LineIndex>,
}

impl SourceFile {
    /// A file read from `path`.
    pub fn new(path: PathBuf, text: String) -> Self {
        SourceFile {
            path,
            text,
            index: OnceLock::new(),
        }
    }

    /// The (line, column) where `pointer` is written in this file.
    fn position(&self, pointer: &str) -> Option<(usize, usize)> {
        self.index
            .get_or_init(|| LineIndex::build(&self.text))
            .find(pointer)
    }
}

/// Every file read for one spec, and the map from the normalised document back to them.
#[derive(Debug, Clone)]
pub struct Sources {
    /// The files; index 0 is the spec the user named.
    pub files: Vec<SourceFile>,
    /// Normalised pointer → (file, pointer as written).
    pub origins: Origins,
}

impl Sources {
    /// Locates `problems`, given by pointers into the normalised document.
    pub fn diagnose(&self, problems: Vec<Problem>) -> Diagnostics {
        Diagnostics(
            problems
                .into_iter()
                .map(|problem| self.locate(problem))
                .collect(),
        )
    }

    fn locate(&self, problem: Problem) -> Diagnostic {
        let (file, pointer) = self.origins.find(&problem.pointer);
        let file = self.files.get(file).or_else(|| self.files.first());
        let position = file.and_then(|f| f.position(&pointer));
        Diagnostic {
            file: file.map(|f| f.path.clone()).unwrap_or_default(),
            line: position.map(|(line, _)| line),
            column: position.map(|(_, column)| column),
            pointer,
            message: problem.message,
        }
    }
}

/// A parsed spec and where it came from.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file, as it should appear in messages.
    pub file: PathBuf,
    /// The text of that file.
    pub source: String,
    /// The document, in OpenAPI 3.0 form.
    pub document: OpenAPI,
    /// The files read and where each normalised node came from.
    pub sources: Sources,
    /// What was tolerated (lenient loading only; strict loading refuses instead), located.
    pub warnings: Vec<Diagnostic>,
    /// Whether the model may skip what it cannot express (with a warning) instead of refusing.
    pub lenient: bool,
}

impl Spec {
    /// Locates `problems` (pointers into the normalised document) in the files written.
    pub fn diagnose(&self, problems: Vec<Problem>) -> Diagnostics {
        self.sources.diagnose(problems)
    }
}

/// Locates each problem's pointer in `source` (one file, no normalisation).
pub(crate) fn locate_all(file: &Path, source: &str, problems: Vec<Problem>) -> Diagnostics {
    Sources {
        files: vec![SourceFile::new(file.to_path_buf(), source.to_owned())],
        origins: Origins::new(),
    }
    .diagnose(problems)
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
pub fn load_file_with(path: &Path, options: &LoadOptions) -> Result<Spec, Diagnostics> {
    let source = read_text(path)?;
    parse_with(path, source, options)
}

/// Reads a file as text; the error is a diagnostic naming it.
pub(crate) fn read_text(path: &Path) -> Result<String, Diagnostics> {
    std::fs::read_to_string(path).map_err(|e| {
        Diagnostics(vec![Diagnostic {
            file: path.to_path_buf(),
            line: None,
            column: None,
            pointer: String::new(),
            message: format!("cannot read the file: {e}"),
        }])
    })
}

/// Parses `source` strictly, naming `file` in any error. Relative file references are read
/// beside `file`.
pub fn parse(file: &Path, source: String) -> Result<Spec, Diagnostics> {
    parse_with(file, source, &LoadOptions::default())
}

/// The stack the loader runs on: `serde_json` values are cloned and dropped recursively, and
/// `openapiv3`'s untagged enums buffer each nesting level, so a document nested as deep as the
/// parsers allow needs more than a default 2 MiB thread stack. Only the pages used are ever
/// committed.
const STACK_BYTES: usize = 256 << 20;

/// Parses `source` with `options`, naming `file` in any error. The work runs on a thread of its
/// own with a large stack, so no caller's stack size decides whether a spec loads.
pub fn parse_with(file: &Path, source: String, options: &LoadOptions) -> Result<Spec, Diagnostics> {
    let outcome = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("clientgen-load".to_owned())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, || load_on_this_thread(file, source, options))
            .map_err(|e| format!("cannot start the spec reader: {e}"))?
            .join()
            .map_err(|_| "internal error: the spec reader panicked".to_owned())
    });
    outcome.unwrap_or_else(|message| {
        Err(Diagnostics(vec![Diagnostic {
            file: file.to_path_buf(),
            line: None,
            column: None,
            pointer: String::new(),
            message,
        }]))
    })
}

fn load_on_this_thread(
    file: &Path,
    source: String,
    options: &LoadOptions,
) -> Result<Spec, Diagnostics> {
    let mut value = parse_value(file, &source)?;
    let mut sources = Sources {
        files: vec![SourceFile::new(file.to_path_buf(), source)],
        origins: Origins::new(),
    };
    // Problems that refuse the spec in any mode, and those only lenient loading tolerates.
    let mut errors = Vec::new();
    let mut tolerated = Vec::new();

    // Overlay warnings (an action that selects nothing) are located in the overlay file.
    let mut overlay_warnings = Vec::new();
    for overlay_path in &options.overlays {
        let overlay = overlay::read(overlay_path)?;
        overlay_warnings.extend(overlay::apply(&overlay, &mut value)?);
    }
    if !options.lenient && !overlay_warnings.is_empty() {
        return Err(Diagnostics(overlay_warnings));
    }

    match version_of(&value) {
        Version::Swagger2 => match swagger2::convert(&value) {
            Ok(converted) => {
                value = converted.document;
                sources.origins = converted.origins;
                // The converter's warnings point into the 2.0 file, which no origin rule
                // covers: they are located as they are.
                tolerated.extend(converted.warnings.into_iter().map(Pending::Written));
            }
            Err(problems) => return Err(sources.diagnose(problems)),
        },
        Version::OpenApi31 => {
            let mut warnings = Vec::new();
            openapi31::downgrade(&mut value, &mut sources.origins, &mut warnings);
            tolerated.extend(warnings.into_iter().map(Pending::Written));
        }
        Version::OpenApi30 => {}
        Version::Unsupported(problem) => return Err(sources.diagnose(vec![problem])),
    }

    let mut bundle_problems = Vec::new();
    refs::bundle(&mut value, &mut sources, &mut bundle_problems);
    errors.extend(bundle_problems.into_iter().map(Pending::Normalised));

    let mut repairs = Vec::new();
    repair::mend(&mut value, &mut repairs);
    tolerated.extend(repairs.into_iter().map(Pending::Normalised));

    let mut node_errors = Vec::new();
    let mut dropped = Vec::new();
    let document = nodes::deserialize(value, &mut node_errors, &mut dropped);
    if document.is_none() {
        // Without its skeleton (`openapi`, `info`, …) there is no document to be lenient with.
        errors.extend(node_errors.into_iter().map(Pending::Normalised));
    } else if options.lenient {
        tolerated.extend(dropped.into_iter().map(Pending::Normalised));
    } else {
        errors.extend(node_errors.into_iter().map(Pending::Normalised));
    }

    if !options.lenient {
        errors.append(&mut tolerated);
    }
    let document = match document {
        Some(document) if errors.is_empty() => document,
        _ => return Err(Diagnostics(locate_pending(&sources, errors))),
    };
    let mut warnings = overlay_warnings;
    warnings.extend(locate_pending(&sources, tolerated));
    Ok(Spec {
        file: file.to_path_buf(),
        source: sources.files[0].text.clone(),
        document,
        sources,
        warnings,
        lenient: options.lenient,
    })
}

/// A problem not yet located: its pointer is either into the normalised document or into the
/// main file as written (the version converters report the latter).
enum Pending {
    Normalised(Problem),
    Written(Problem),
}

fn locate_pending(sources: &Sources, problems: Vec<Pending>) -> Vec<Diagnostic> {
    let mut located: Vec<Diagnostic> = problems
        .into_iter()
        .map(|pending| match pending {
            Pending::Normalised(problem) => sources.locate(problem),
            Pending::Written(problem) => Sources {
                files: sources.files.iter().take(1).cloned().collect(),
                origins: Origins::new(),
            }
            .locate(problem),
        })
        .collect();
    // Document order within each file, so a long report reads top to bottom.
    located.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.pointer).cmp(&(&b.file, b.line, b.column, &b.pointer))
    });
    located.dedup();
    located
}

/// Parses YAML or JSON text into a value; a syntax error is located by the parser's position.
pub(crate) fn parse_value(file: &Path, source: &str) -> Result<Value, Diagnostics> {
    let is_json = source.trim_start().starts_with('{');
    let parsed: Result<Value, (String, Option<(usize, usize)>)> = if is_json {
        serde_json::from_str(source).map_err(|e| (e.to_string(), Some((e.line(), e.column()))))
    } else {
        serde_yaml::from_str(source).map_err(|e| {
            let position = e.location().map(|l| (l.line(), l.column()));
            (e.to_string(), position)
        })
    };
    parsed.map_err(|(message, position)| {
        let position = position.filter(|(line, _)| *line > 0);
        Diagnostics(vec![Diagnostic {
            file: file.to_path_buf(),
            line: position.map(|(line, _)| line),
            column: position.map(|(_, column)| column),
            pointer: String::new(),
            message: format!("not a YAML or JSON document: {message}"),
        }])
    })
}

/// Which OpenAPI version a document says it is.
enum Version {
    Swagger2,
    OpenApi30,
    OpenApi31,
    Unsupported(Problem),
}

fn version_of(value: &Value) -> Version {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let Some(object) = value.as_object() else {
        return Version::Unsupported(Problem::new(
            "",
            "the document is not an object: an OpenAPI document is a mapping with `openapi`, `info` and `paths`",
        ));
    };
    if let Some(swagger) = object.get("swagger") {
        return if text(swagger).starts_with("2.") {
            Version::Swagger2
        } else {
            Version::Unsupported(Problem::new(
                "/swagger",
                format!("Swagger version `{}` is not supported: this generator reads Swagger 2.0 and OpenAPI 3.0 and 3.1", text(swagger)),
            ))
        };
    }
    match object.get("openapi").map(text) {
        Some(v) if v.starts_with("3.0") => Version::OpenApi30,
        Some(v) if v.starts_with("3.1") => Version::OpenApi31,
        Some(v) => Version::Unsupported(Problem::new(
            "/openapi",
            format!("OpenAPI version `{v}` is not supported: this generator reads Swagger 2.0 and OpenAPI 3.0 and 3.1"),
        )),
        None => Version::Unsupported(Problem::new(
            "",
            "the document names no version: an OpenAPI document starts with `openapi: 3.x.y` (or `swagger: \"2.0\"`)",
        )),
    }
}
