//! What a generated crate is called and how it finds the runtime: everything the spec itself
//! does not say.
//!
//! For the project's vendors these settings live in `specs/<vendor>/vendor.toml`
//! (`VendorFile`); `cargo xtask generate` builds them from its flags.

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
    /// How the crate depends on `clientgen-runtime`.
    pub runtime: RuntimeDependency,
    /// The crate's SPDX licence expression; `None` leaves `license` out of `Cargo.toml` for the
    /// crate's owner to choose (the licence of generated code is theirs to give).
    pub license: Option<String>,
    /// Writes this project's Apache-2.0 text as the crate's `LICENSE` (the project's own
    /// vendor crates, whose `license` is `Apache-2.0`).
    pub license_file: bool,
    /// `false` writes `publish = false` (a test fixture, never to be published).
    pub publish: bool,
    /// Up to five crates.io keywords.
    pub keywords: Vec<String>,
    /// The URL of the source repository, written as `repository` when known.
    pub repository: Option<String>,
    /// Adds an empty `[workspace]` table so the crate builds outside this workspace.
    pub standalone: bool,
    /// How file headers name the spec (a path relative to the repository, for determinism).
    pub spec_label: String,
    /// The command that regenerates the crate, quoted in file headers.
    pub regen_command: String,
}

impl CrateSettings {
    /// Settings for a standalone crate named `crate_name` from the spec `spec_label`: version
    /// 0.1.0; description, base URL and licence from the spec; the runtime at `../runtime`;
    /// publishable; regenerated with `cargo xtask generate`. Callers change what they need with
    /// `..CrateSettings::standalone(…)`.
    pub fn standalone(crate_name: &str, spec_label: &str) -> Self {
        CrateSettings {
            crate_name: crate_name.to_owned(),
            version: "0.1.0".to_owned(),
            description: None,
            default_base_url: None,
            env_prefix: crate_name.to_ascii_uppercase().replace('-', "_"),
            runtime: RuntimeDependency::Path {
                path: "../runtime".to_owned(),
                version: None,
            },
            license: None,
            license_file: false,
            publish: true,
            keywords: Vec::new(),
            repository: None,
            standalone: true,
            spec_label: spec_label.to_owned(),
            regen_command: format!("cargo xtask generate --spec {spec_label}"),
        }
    }
}

/// How a generated crate's `Cargo.toml` names its `clientgen-runtime` dependency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// `{ path = "…", version = "…" }`: built from the folder, published against the version
    /// (this repository's crates; the version makes `cargo package` accept the dependency).
    Path {
        /// The runtime's folder, relative to the crate or absolute.
        path: String,
        /// The runtime's version, when known.
        version: Option<String>,
    },
    /// `"…"`: the runtime from a registry.
    Version(String),
    /// `{ git = "…", rev = "…" }`: the runtime from a Git repository, at a revision if given.
    Git {
        /// The repository URL.
        url: String,
        /// A commit, tag or branch.
        rev: Option<String>,
    },
}

impl RuntimeDependency {
    /// Reads the `--runtime` forms `path:DIR`, `path:DIR@VERSION`, `version:X.Y.Z`,
    /// `git:URL` and `git:URL#REV`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let usage = "expected path:DIR, path:DIR@VERSION, version:X.Y.Z, git:URL or git:URL#REV";
        let (kind, rest) = text
            .split_once(':')
            .ok_or_else(|| format!("`{text}`: {usage}"))?;
        if rest.is_empty() {
            return Err(format!("`{text}`: {usage}"));
        }
        // `main` and an optional `@suffix` / `#suffix`, both non-empty.
        let split = |separator: char| match rest.rsplit_once(separator) {
            Some((main, suffix)) if !main.is_empty() && !suffix.is_empty() => {
                (main.to_owned(), Some(suffix.to_owned()))
            }
            _ => (rest.to_owned(), None),
        };
        match kind {
            "path" => {
                let (path, version) = split('@');
                Ok(RuntimeDependency::Path { path, version })
            }
            "version" => Ok(RuntimeDependency::Version(rest.to_owned())),
            "git" => {
                let (url, rev) = split('#');
                Ok(RuntimeDependency::Git { url, rev })
            }
            _ => Err(format!("`{text}`: {usage}")),
        }
    }
}

/// The SPDX identifier a spec's `info.license` names, when it names one this function knows
/// (by identifier, or by the names specs commonly write for it); `None` otherwise, so nothing
/// is guessed.
pub(crate) fn spdx_license(name: &str) -> Option<&'static str> {
    let key: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect::<String>()
        .to_ascii_lowercase();
    let key = key
        .trim_start_matches("the")
        .trim_end_matches("license")
        .trim_end_matches("licence");
    Some(match key {
        "apache2.0"
        | "apache20"
        | "apache2"
        | "apache"
        | "apachelicense2.0"
        | "apachelicenseversion2.0" => "Apache-2.0",
        "mit" => "MIT",
        "bsd3clause" | "bsd3" | "newbsd" => "BSD-3-Clause",
        "bsd2clause" | "bsd2" | "simplifiedbsd" => "BSD-2-Clause",
        "isc" => "ISC",
        "mpl2.0" | "mozillapublic2.0" | "mozillapubliclicense2.0" => "MPL-2.0",
        "cc01.0" | "cc0" => "CC0-1.0",
        "ccby4.0" => "CC-BY-4.0",
        "unlicense" => "Unlicense",
        "gpl3.0" | "gplv3" => "GPL-3.0-only",
        "agpl3.0" | "agplv3" => "AGPL-3.0-only",
        "lgpl3.0" => "LGPL-3.0-only",
        _ => return None,
    })
}

/// The contents of `specs/<vendor>/vendor.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct VendorFile {
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
pub(crate) struct CrateTable {
    /// Package name.
    pub name: String,
    /// Package version.
    pub version: String,
    /// Package description.
    pub description: Option<String>,
    /// crates.io keywords (at most five).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The URL of the repository the crate is published from (`repository` in `Cargo.toml`).
    pub repository: Option<String>,
    /// `false` for a crate never to be published (a test fixture).
    #[serde(default = "yes")]
    pub publish: bool,
}

fn yes() -> bool {
    true
}

/// `[client]` of `vendor.toml`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClientTable {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_runtime_form_is_read_and_anything_else_is_refused() {
        assert_eq!(
            RuntimeDependency::parse("path:../runtime@0.1.0"),
            Ok(RuntimeDependency::Path {
                path: "../runtime".into(),
                version: Some("0.1.0".into())
            })
        );
        assert_eq!(
            RuntimeDependency::parse("path:/opt/clientgen/runtime"),
            Ok(RuntimeDependency::Path {
                path: "/opt/clientgen/runtime".into(),
                version: None
            })
        );
        assert_eq!(
            RuntimeDependency::parse("version:0.1"),
            Ok(RuntimeDependency::Version("0.1".into()))
        );
        assert_eq!(
            RuntimeDependency::parse("git:https://example.com/clientgen.git#v0.1.0"),
            Ok(RuntimeDependency::Git {
                url: "https://example.com/clientgen.git".into(),
                rev: Some("v0.1.0".into())
            })
        );
        assert_eq!(
            RuntimeDependency::parse("git:https://example.com/clientgen.git"),
            Ok(RuntimeDependency::Git {
                url: "https://example.com/clientgen.git".into(),
                rev: None
            })
        );
        for bad in ["", "path:", "0.1.0", "crate:x", "version:"] {
            let error = RuntimeDependency::parse(bad).expect_err(bad);
            assert!(error.contains("expected path:DIR"), "{error}");
        }
    }

    #[test]
    fn licences_are_named_only_when_known() {
        for (name, id) in [
            ("Apache 2.0", "Apache-2.0"),
            ("Apache-2.0", "Apache-2.0"),
            ("Apache License, Version 2.0", "Apache-2.0"),
            ("MIT", "MIT"),
            ("The MIT License", "MIT"),
            ("BSD-3-Clause", "BSD-3-Clause"),
            ("CC0 1.0", "CC0-1.0"),
        ] {
            assert_eq!(spdx_license(name), Some(id), "{name}");
        }
        for name in [
            "Proprietary",
            "Elastic 2.0",
            "All rights reserved",
            "",
            "GPL",
        ] {
            assert_eq!(spdx_license(name), None, "{name}");
        }
    }
}
