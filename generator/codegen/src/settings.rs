//! What a generated crate is called and how it finds the runtime: everything the spec itself
//! does not say.
//!
//! For the project's vendors these settings live in `specs/<vendor>/vendor.toml`
//! ([`VendorFile`]); `cargo xtask generate` builds them from its flags.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Diagnostics};

/// Settings for one generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateSettings {
    /// The package name, e.g. `sekoia-client`.
    pub crate_name: String,
    /// The package version.
    pub version: String,
    /// The package description; the spec's title is used when absent.
    pub description: Option<String>,
    /// Overrides the base URL taken from the spec's first absolute server.
    pub default_base_url: Option<String>,
    /// Prefix of the environment variables the README example reads (e.g. `SEKOIA`).
    pub env_prefix: String,
    /// The `path` of the `clientgen-runtime` dependency, as written in `Cargo.toml`.
    pub runtime_path: String,
    /// Adds an empty `[workspace]` table so the crate builds outside this workspace.
    pub standalone: bool,
    /// How file headers name the spec (a path relative to the repository, for determinism).
    pub spec_label: String,
    /// The command that regenerates the crate, quoted in file headers.
    pub regen_command: String,
}

/// The contents of `specs/<vendor>/vendor.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct VendorFile {
    /// The `[crate]` table.
    #[serde(rename = "crate")]
    pub krate: CrateTable,
    /// The `[client]` table.
    #[serde(default)]
    pub client: ClientTable,
    /// `overlays = ["fixes.yaml"]`: OpenAPI Overlay 1.0 documents applied, in order, to the
    /// spec before it is read; paths are relative to the vendor folder.
    #[serde(default)]
    pub overlays: Vec<PathBuf>,
}

/// `[crate]` of `vendor.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CrateTable {
    /// Package name.
    pub name: String,
    /// Package version.
    pub version: String,
    /// Package description.
    pub description: Option<String>,
}

/// `[client]` of `vendor.toml`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ClientTable {
    /// Base URL when the caller gives none.
    pub default_base_url: Option<String>,
    /// Prefix of the README example's environment variables.
    pub env_prefix: Option<String>,
}

impl VendorFile {
    /// Reads and checks a `vendor.toml`.
    pub fn load(path: &Path) -> Result<Self, Diagnostics> {
        let located = |line: Option<usize>, message: String| {
            Diagnostics(vec![Diagnostic {
                file: path.to_path_buf(),
                line,
                column: None,
                pointer: String::new(),
                message,
            }])
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| located(None, format!("cannot read the file: {e}")))?;
        toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map(|span| text[..span.start].lines().count().max(1));
            located(line, e.message().to_owned())
        })
    }
}
