//! `clientgen`: turns an OpenAPI 3.0 document into a typed async Rust client crate.
//!
//! The generator is a pipeline; each stage has its own module and hands the next a documented
//! type:
//!
//! 1. [`load`]: file → [`load::Spec`] (the parsed `openapiv3` document and its source text);
//! 2. [`model`]: spec → [`model::ApiModel`] (named types, operations, auth; `$ref`s resolved
//!    through `resolve`, names decided by `naming`);
//! 3. `emit`: model → token streams and text, one module per output file;
//! 4. `format`: tokens → formatted source with the "generated" header.
//!
//! Problems in a spec come back as [`Diagnostics`] located by file, line and JSON pointer
//! (`diagnostic`, `locate`). [`vendors`] knows the repository layout (`specs/<vendor>/` →
//! `generated/<vendor>/`) for `cargo xtask regen`.
//!
//! The public API is what `xtask` and the tests use: the entry points ([`generate_file`],
//! [`generate`]), the stages' documented types, [`settings`] and [`vendors`]. Emitting,
//! formatting, naming and reference resolution are internal (`pub(crate)`).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod changes;
pub(crate) mod diagnostic;
pub(crate) mod emit;
pub(crate) mod format;
pub mod load;
pub(crate) mod locate;
pub mod model;
pub(crate) mod naming;
pub(crate) mod resolve;
pub mod settings;
pub mod surface;
pub mod vendors;

use std::collections::BTreeMap;
use std::path::Path;

pub use diagnostic::{Diagnostic, Diagnostics};
pub use settings::CrateSettings;

/// The files of one generated crate, by path relative to the crate's directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedCrate {
    /// Relative path (with `/` separators) → contents.
    pub files: BTreeMap<String, String>,
    /// Figures for the regeneration summary.
    pub summary: Summary,
    /// What lenient generation tolerated or left out, located; empty for a strict run.
    pub warnings: Vec<Diagnostic>,
    /// The crate's public API, also written as `surface::FILE`.
    pub surface: surface::Surface,
}

/// What a generated crate contains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Client methods.
    pub operations: usize,
    /// Named types.
    pub types: usize,
    /// Lines over all files.
    pub lines: usize,
}

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The spec has problems; each is located.
    #[error("{0}")]
    Spec(Diagnostics),
    /// The generator produced invalid code for a valid spec: a bug in the generator.
    #[error("internal generator error in {file}: {message}")]
    Internal {
        /// The output file being formatted.
        file: String,
        /// What went wrong.
        message: String,
    },
}

/// Reads the spec at `spec_path` and generates the crate described by `settings`.
pub fn generate_file(
    spec_path: &Path,
    settings: &CrateSettings,
) -> Result<GeneratedCrate, GenerateError> {
    generate_file_with(spec_path, &load::LoadOptions::default(), settings)
}

/// Reads the spec at `spec_path` as `options` say (overlays, leniency) and generates the crate
/// described by `settings`.
pub fn generate_file_with(
    spec_path: &Path,
    options: &load::LoadOptions,
    settings: &CrateSettings,
) -> Result<GeneratedCrate, GenerateError> {
    let spec = match load::load_file_with(spec_path, options) {
        Ok(spec) => spec,
        Err(mut diagnostics) => {
            if !options.lenient {
                diagnostics
                    .0
                    .extend(model_problems_past(spec_path, options, &diagnostics));
            }
            return Err(GenerateError::Spec(diagnostics));
        }
    };
    generate(&spec, settings)
}

/// When strict loading fails, the problems the model would find in the rest of the document,
/// so that one run reports everything: the document is read again leniently (bad nodes left
/// out, defects mended, which loading already reported) and its model built strictly.
fn model_problems_past(
    spec_path: &Path,
    options: &load::LoadOptions,
    found: &Diagnostics,
) -> Vec<Diagnostic> {
    let lenient = load::LoadOptions {
        lenient: true,
        ..options.clone()
    };
    let Ok(mut spec) = load::load_file_with(spec_path, &lenient) else {
        return Vec::new();
    };
    spec.lenient = false;
    match model::build(&spec) {
        Ok(_) => Vec::new(),
        Err(problems) => spec
            .diagnose(problems)
            .0
            .into_iter()
            .filter(|d| !found.0.iter().any(|f| f.pointer == d.pointer))
            .collect(),
    }
}

/// Generates the crate for an already loaded spec.
pub fn generate(
    spec: &load::Spec,
    settings: &CrateSettings,
) -> Result<GeneratedCrate, GenerateError> {
    let (model, tolerated) = model::build_with_warnings(spec)
        .map_err(|problems| GenerateError::Spec(spec.diagnose(problems)))?;
    let mut generated = render(&model, settings)?;
    generated.warnings = spec.warnings.clone();
    generated.warnings.extend(spec.diagnose(tolerated).0);
    Ok(generated)
}

/// How many slices `types.rs` is emitted and formatted in (see [`render`]).
const TYPE_SLICES: usize = 16;

/// Renders the files of a crate from its model.
pub(crate) fn render(
    model: &model::ApiModel,
    settings: &CrateSettings,
) -> Result<GeneratedCrate, GenerateError> {
    let header = format::header(&settings.spec_label, &settings.regen_command);
    let default_base_url = settings
        .default_base_url
        .clone()
        .or_else(|| {
            model
                .servers
                .iter()
                .find(|s| s.url.starts_with("http://") || s.url.starts_with("https://"))
                .map(|s| s.url.clone())
        })
        .unwrap_or_default();
    let user_agent = format!("{}/{}", settings.crate_name, settings.version);
    let client_settings = emit::client::ClientSettings {
        default_base_url: &default_base_url,
        user_agent: &user_agent,
    };
    // Parsing and pretty-printing the emitted tokens is most of a run, and `types.rs` is most
    // of that, so it is emitted and formatted in slices of types, in parallel with the other
    // files (format::in_parallel). The slices are fixed by the number of types alone and the
    // formatted slices concatenate to the formatted file, so the output does not depend on the
    // machine or on scheduling.
    let param_types = model::types::param_types(&model.types);
    let slice_len = model.types.len().div_ceil(TYPE_SLICES).max(1);
    let type_slices: Vec<&[model::TypeDef]> = model.types.chunks(slice_len).collect();
    let mut jobs: Vec<format::Job<'_, (&str, Result<String, String>)>> = vec![
        Box::new(|| {
            let tokens = emit::client::emit(model, &client_settings);
            ("src/client.rs", format::rust_source(tokens))
        }),
        Box::new(|| {
            let tokens = emit::operations::emit(&model.operations, &model.features);
            ("src/operations.rs", format::rust_source(tokens))
        }),
        Box::new(|| ("src/lib.rs", format::rust_source(emit::manifest::lib_rs()))),
        Box::new(|| {
            let tokens = emit::fake::emit(model, &settings.crate_name);
            ("src/fake.rs", format::rust_source(tokens))
        }),
    ];
    let options = emit::types::TypeOptions::default();
    jobs.push(Box::new(|| {
        ("src/types.rs", format::rust_source(emit::types::prelude()))
    }));
    for slice in &type_slices {
        let param_types = &param_types;
        jobs.push(Box::new(move || {
            let tokens = emit::types::items(slice, param_types, options, &model.features);
            ("src/types.rs", format::rust_source(tokens))
        }));
    }
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    for (path, text) in format::in_parallel(jobs) {
        let text = text.map_err(|message| GenerateError::Internal {
            file: path.to_owned(),
            message,
        })?;
        files
            .entry(path.to_owned())
            .or_insert_with(|| format::header_comment(&header))
            .push_str(&text);
    }
    for text in files.values_mut() {
        *text = format::space_items(text);
    }
    files.insert(
        "Cargo.toml".to_owned(),
        emit::manifest::cargo_toml(model, settings, &header),
    );
    files.insert(
        "README.md".to_owned(),
        emit::manifest::readme(model, settings, &header),
    );
    if settings.license_file {
        files.insert("LICENSE".to_owned(), emit::manifest::APACHE_2_0.to_owned());
    }
    let surface = surface::Surface::of(model, &settings.crate_name, &settings.version);
    files.insert(surface::FILE.to_owned(), surface.to_json());
    // Lines of the crate itself: its licence text and API surface record are not code.
    let lines = files
        .iter()
        .filter(|(path, _)| path.as_str() != "LICENSE" && path.as_str() != surface::FILE)
        .map(|(_, text)| text.lines().count())
        .sum();
    Ok(GeneratedCrate {
        files,
        summary: Summary {
            operations: model.operations.len(),
            types: model.types.len(),
            lines,
        },
        warnings: Vec::new(),
        surface,
    })
}

/// For the decode benchmark only (`tests/build.rs`, read by `tests/benches/decode.rs`): the
/// items of `src/types.rs` for `model` as they would be without unknown-member capture, the
/// baseline that measures what capturing costs. Not a generator option (every generated crate
/// captures), so it is no part of the documented API; an `Err` is a generator bug.
#[doc(hidden)]
pub fn bench_types_without_unknown_capture(model: &model::ApiModel) -> Result<String, String> {
    let options = emit::types::TypeOptions {
        capture_unknown: false,
    };
    format::rust_source(emit::types::emit_with(
        &model.types,
        options,
        &model::features::Features::default(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_formatted_in_slices_equal_the_file_formatted_whole() {
        // render() emits and formats src/types.rs a slice of types at a time, in parallel; the
        // result must be exactly the single-pass formatting of the whole file.
        let nexus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/nexus.json");
        let spec = load::load_file(&nexus).expect("nexus loads");
        let model = model::build(&spec).expect("nexus builds");
        let settings = CrateSettings::standalone("nexus-client", "tests/corpus/nexus.json");
        let header = format::header(&settings.spec_label, &settings.regen_command);
        let types = emit::types::emit_with(
            &model.types,
            emit::types::TypeOptions::default(),
            &model.features,
        );
        let whole = format::space_items(
            &(format::header_comment(&header) + &format::rust_source(types).expect("formats")),
        );
        let rendered = render(&model, &settings).expect("renders");
        assert!(model.types.len() > 100, "enough types to be sliced");
        assert!(
            rendered.files["src/types.rs"] == whole,
            "sliced formatting differs from whole-file formatting"
        );
    }
}
