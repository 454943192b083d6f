//! The repository layout: `specs/<vendor>/` in, `generated/<vendor>/` out.
//!
//! A vendor is a folder under `specs/` holding `openapi.yaml` (or `openapi.json`) and
//! `vendor.toml` (`crate::settings::VendorFile`). Test fixtures that need a committed,
//! compiled crate (the conformance spec) live the same way under `tests/`. This module finds vendors, generates their
//! crates, and compares a generated crate with what is on disk; `cargo xtask regen` and the
//! staleness test both use it, so they cannot disagree.

use std::collections::BTreeSet;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::changes::{self, Change};
use crate::load::LoadOptions;
use crate::settings::{CrateSettings, RuntimeDependency, VendorFile};
use crate::surface::{self, Surface};
use crate::{Diagnostics, GenerateError, GeneratedCrate};

/// Where specs live, relative to the repository root.
pub const SPECS_DIR: &str = "specs";
/// Every folder searched for spec folders: vendors, then test fixtures.
pub(crate) const SPEC_ROOTS: &[&str] = &[SPECS_DIR, "tests"];
/// Where generated crates live, relative to the repository root.
pub const GENERATED_DIR: &str = "generated";
/// The command that regenerates every crate.
pub const REGEN_COMMAND: &str = "cargo xtask regen";

/// One vendor's spec and crate settings.
#[derive(Debug, Clone)]
pub struct Vendor {
    /// The folder name under `specs/` (and `generated/`).
    pub name: String,
    /// The spec file.
    pub spec_path: PathBuf,
    /// Settings for its crate.
    pub settings: CrateSettings,
    /// How its spec is read: the overlays `vendor.toml` lists, resolved against the folder.
    pub load_options: LoadOptions,
}

/// Finds every spec folder (one holding `vendor.toml`) under the `SPEC_ROOTS`, sorted by
/// name. Two folders of the same name would share `generated/<name>` and are refused.
pub fn discover(root: &Path) -> Result<Vec<Vendor>, Diagnostics> {
    let mut found: Vec<(String, &str)> = Vec::new();
    for spec_root in SPEC_ROOTS {
        let dir = root.join(spec_root);
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| problem(&dir, format!("cannot list spec folders: {e}")))?;
        for entry in entries.filter_map(Result::ok) {
            if !entry.path().join("vendor.toml").is_file() {
                continue;
            }
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if let Some((_, other)) = found.iter().find(|(n, _)| *n == name) {
                let message = format!("`{name}` exists under both {other}/ and {spec_root}/: both would generate into {GENERATED_DIR}/{name}");
                return Err(problem(&entry.path(), message));
            }
            found.push((name, spec_root));
        }
    }
    found.sort();
    found
        .iter()
        .map(|(name, spec_root)| load_vendor(root, spec_root, name))
        .collect()
}

fn problem(file: &Path, message: String) -> Diagnostics {
    Diagnostics(vec![crate::Diagnostic {
        file: file.to_path_buf(),
        line: None,
        column: None,
        pointer: String::new(),
        message,
    }])
}

/// Loads the spec folder `spec_root/name`.
pub(crate) fn load_vendor(root: &Path, spec_root: &str, name: &str) -> Result<Vendor, Diagnostics> {
    let dir = root.join(spec_root).join(name);
    let manifest = dir.join("vendor.toml");
    let file = VendorFile::load(&manifest)?;
    let mut overlays = Vec::with_capacity(file.overlays.len());
    let mut missing = Vec::new();
    for overlay in &file.overlays {
        let path = dir.join(overlay);
        if !path.is_file() {
            missing.push(crate::Diagnostic {
                file: manifest.clone(),
                line: None,
                column: None,
                pointer: String::new(),
                message: format!(
                    "the overlay `{}` listed in `overlays` is not a file (paths are relative to {spec_root}/{name}/)",
                    overlay.display()
                ),
            });
        }
        overlays.push(path);
    }
    if !missing.is_empty() {
        return Err(Diagnostics(missing));
    }
    let spec_name = if dir.join("openapi.json").is_file() {
        "openapi.json"
    } else {
        "openapi.yaml"
    };
    Ok(Vendor {
        name: name.to_owned(),
        spec_path: dir.join(spec_name),
        settings: CrateSettings {
            crate_name: file.krate.name,
            version: file.krate.version,
            description: file.krate.description,
            default_base_url: file.client.default_base_url,
            env_prefix: file
                .client
                .env_prefix
                .unwrap_or_else(|| name.to_ascii_uppercase().replace('-', "_")),
            runtime: RuntimeDependency::Path {
                path: "../../generator/runtime".to_owned(),
                version: Some(runtime_version(root)?),
            },
            license: Some(PROJECT_LICENSE.to_owned()),
            license_file: true,
            publish: file.krate.publish,
            keywords: file.krate.keywords,
            repository: file.krate.repository,
            standalone: false,
            spec_label: format!("{spec_root}/{name}/{spec_name}"),
            regen_command: REGEN_COMMAND.to_owned(),
        },
        load_options: LoadOptions {
            overlays,
            lenient: false,
        },
    })
}

/// The licence of this repository, and so of the crates it generates for its vendors.
pub(crate) const PROJECT_LICENSE: &str = "Apache-2.0";

/// The version of `generator/runtime` (its `Cargo.toml`), which the vendor crates depend on.
pub fn runtime_version(root: &Path) -> Result<String, Diagnostics> {
    let manifest = root.join("generator/runtime/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| {
        problem(
            &manifest,
            format!("cannot read the runtime's manifest: {e}"),
        )
    })?;
    let value: toml::Value = toml::from_str(&text).map_err(|e| {
        problem(
            &manifest,
            format!("the runtime's manifest is not TOML: {e}"),
        )
    })?;
    value
        .get("package")
        .and_then(|p| p.get("version"))
        .and_then(toml::Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| {
            problem(
                &manifest,
                "the runtime's manifest has no `package.version`".to_owned(),
            )
        })
}

/// Generates `vendor`'s crate in memory. Messages name the spec relative to the repository.
pub fn generate(root: &Path, vendor: &Vendor) -> Result<GeneratedCrate, GenerateError> {
    let spec =
        crate::load::load_file_with(&vendor.spec_path, &vendor.load_options).map_err(|mut d| {
            relativize(&mut d, root);
            GenerateError::Spec(d)
        })?;
    let mut generated = crate::generate(&spec, &vendor.settings).map_err(|e| match e {
        GenerateError::Spec(mut d) => {
            relativize(&mut d, root);
            GenerateError::Spec(d)
        }
        other => other,
    })?;
    let examples = hand_written_examples(root, vendor).map_err(GenerateError::Spec)?;
    if !examples.is_empty() {
        let section = examples_section(&vendor.settings.crate_name, &examples);
        if let Some(readme) = generated.files.get_mut("README.md") {
            readme.push_str(&section);
        }
    }
    for (name, contents) in examples {
        generated.files.insert(format!("examples/{name}"), contents);
    }
    Ok(generated)
}

/// The README section listing the example programs: each one's name, the first paragraph of
/// its `//!` documentation, and the command that runs it.
fn examples_section(crate_name: &str, examples: &[(String, String)]) -> String {
    let mut out = String::from(
        "\n## Example programs\n\nComplete programs in `examples/`, configured by environment variables (each file's documentation lists them):\n\n",
    );
    for (file, text) in examples {
        let name = file.trim_end_matches(".rs");
        let summary: Vec<&str> = text
            .lines()
            .skip_while(|line| !line.starts_with("//!"))
            .map_while(|line| line.strip_prefix("//!"))
            .map(str::trim)
            .take_while(|line| !line.is_empty())
            .collect();
        out.push_str(&format!(
            "- `{name}`: {} Run it with `cargo run -p {crate_name} --example {name}`.\n",
            summary.join(" ")
        ));
    }
    out
}

/// The folder beside a spec that holds its hand-written example programs.
const EXAMPLES_DIR: &str = "examples";

/// The example programs written for `vendor` (`<spec folder>/examples/*.rs`), each with a first
/// line saying where to edit it. They are copied into the crate's `examples/`, so Cargo builds
/// them with the crate (and CI compiles them), while `generated/` stays output only.
fn hand_written_examples(
    root: &Path,
    vendor: &Vendor,
) -> Result<Vec<(String, String)>, Diagnostics> {
    let Some(dir) = vendor.spec_path.parent().map(|d| d.join(EXAMPLES_DIR)) else {
        return Ok(Vec::new());
    };
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(problem(&dir, format!("cannot list example programs: {e}"))),
    };
    let mut examples = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        if !name.ends_with(".rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| problem(&path, format!("cannot read example program: {e}")))?;
        // `/` on every platform, so the copy is byte-identical everywhere.
        let source = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let header =
            format!("// Copied by `{REGEN_COMMAND}` from `{source}`; edit it there, not here.\n");
        examples.push((name, header + &text));
    }
    examples.sort();
    Ok(examples)
}

fn relativize(diagnostics: &mut Diagnostics, root: &Path) {
    for d in &mut diagnostics.0 {
        if let Ok(relative) = d.file.strip_prefix(root) {
            d.file = relative.to_path_buf();
        }
    }
}

/// The directory of `vendor`'s generated crate.
pub fn out_dir(root: &Path, vendor: &str) -> PathBuf {
    root.join(GENERATED_DIR).join(vendor)
}

/// Files of a generated crate that regeneration keeps without making them from the spec:
/// `CHANGELOG.md` is appended to by [`record_api_changes`], never rewritten.
pub(crate) const KEPT: &[&str] = &["CHANGELOG.md"];

/// How the public API of a vendor's crate changes with a regeneration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiChanges {
    /// The version of the crate as last generated; `None` for a crate generated for the first
    /// time (no `api-surface.json` yet).
    pub old_version: Option<String>,
    /// Every change, breaking ones first.
    pub changes: Vec<Change>,
    /// Why the new version does not allow these changes, if it does not.
    pub refusal: Option<String>,
}

impl ApiChanges {
    /// How many changes are breaking.
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking).count()
    }
}

/// Compares the public API of the crate in `dir` (its `api-surface.json`) with `krate`'s, and
/// checks the version `krate` is generated for allows the changes.
pub fn api_changes(dir: &Path, krate: &GeneratedCrate) -> Result<ApiChanges, String> {
    let path = dir.join(surface::FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(ApiChanges {
                old_version: None,
                changes: Vec::new(),
                refusal: None,
            })
        }
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let old: Surface =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let changes = changes::between(&old, &krate.surface);
    let breaking = changes.iter().any(|c| c.breaking);
    let refusal = changes::version_allows(&old.version, &krate.surface.version, breaking).err();
    Ok(ApiChanges {
        old_version: Some(old.version),
        changes,
        refusal,
    })
}

/// The heading `CHANGELOG.md` starts with.
fn changelog_header(crate_name: &str) -> String {
    format!(
        "# Changelog of `{crate_name}`\n\n\
         Changes to the crate's public API, newest first, written by `cargo xtask regen` from the \
         generator's model of the spec before and after each change. **Breaking** changes need a \
         new major version (a new minor one before 1.0); see the generator's `changes` module for \
         the rules.\n"
    )
}

/// Appends `api` to the crate's `CHANGELOG.md` in `dir` (creating it, with a first entry for a
/// crate generated for the first time): under the current version's heading when the newest
/// section is for it, else in a new section at the top.
pub fn record_api_changes(dir: &Path, krate: &GeneratedCrate, api: &ApiChanges) -> io::Result<()> {
    let path = dir.join("CHANGELOG.md");
    let version = &krate.surface.version;
    let mut items: Vec<String> = api
        .changes
        .iter()
        .map(|c| {
            if c.breaking {
                format!("- **breaking**: {}\n", c.text)
            } else {
                format!("- {}\n", c.text)
            }
        })
        .collect();
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if api.old_version.is_none() && existing.is_none() {
        items = vec![format!(
            "- First generated version: {} operations, {} types.\n",
            krate.surface.operations.len(),
            krate.surface.types.len()
        )];
    }
    if items.is_empty() {
        return Ok(());
    }
    let header = changelog_header(&krate.surface.krate);
    let body = existing
        .as_deref()
        .map(|t| {
            t.strip_prefix(header.as_str())
                .unwrap_or(t)
                .trim_start()
                .to_owned()
        })
        .unwrap_or_default();
    let heading = format!("## {version}\n\n");
    let body = match body.strip_prefix(heading.as_str()) {
        // The newest section is this version's: the new items go at its end.
        Some(rest) => {
            let end = rest.find("\n## ").map_or(rest.len(), |i| i + 1);
            let (section, older) = rest.split_at(end);
            let section = section.trim_end_matches('\n');
            format!("{heading}{section}\n{}\n{older}", items.concat())
        }
        None if body.is_empty() => format!("{heading}{}", items.concat()),
        None => format!("{heading}{}\n{body}", items.concat()),
    };
    std::fs::write(
        &path,
        format!("{header}\n{}", body.trim_end().to_owned() + "\n"),
    )
}

/// How a file on disk differs from what the generator makes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Drift {
    /// The generator makes it; it is not on disk.
    Missing(PathBuf),
    /// On disk with other contents.
    Differs(PathBuf),
    /// On disk; the generator does not make it.
    Extra(PathBuf),
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Drift::Missing(p) => write!(f, "{} is missing", p.display()),
            Drift::Differs(p) => write!(f, "{} differs from what the generator makes", p.display()),
            Drift::Extra(p) => write!(f, "{} is not made by the generator", p.display()),
        }
    }
}

fn files_under(dir: &Path) -> io::Result<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = match std::fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                found.insert(parts.join("/"));
            }
        }
    }
    Ok(found)
}

/// Compares `krate` with `dir`; paths in the result are `display_dir` joined with the file.
pub fn drift(dir: &Path, krate: &GeneratedCrate, display_dir: &Path) -> io::Result<Vec<Drift>> {
    let on_disk = files_under(dir)?;
    let mut drifts = Vec::new();
    for (path, contents) in &krate.files {
        match std::fs::read(dir.join(path)) {
            Ok(bytes) if bytes == contents.as_bytes() => {}
            Ok(_) => drifts.push(Drift::Differs(display_dir.join(path))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                drifts.push(Drift::Missing(display_dir.join(path)))
            }
            Err(e) => return Err(e),
        }
    }
    for path in on_disk {
        if !krate.files.contains_key(&path) && !KEPT.contains(&path.as_str()) {
            drifts.push(Drift::Extra(display_dir.join(&path)));
        }
    }
    drifts.sort();
    Ok(drifts)
}

/// Makes `dir` hold exactly `krate`'s files; returns what had to change.
pub fn write(dir: &Path, krate: &GeneratedCrate) -> io::Result<Vec<Drift>> {
    let drifts = drift(dir, krate, Path::new(""))?;
    for d in &drifts {
        match d {
            Drift::Missing(path) | Drift::Differs(path) => {
                let key = path.to_string_lossy().replace('\\', "/");
                let target = dir.join(path);
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&target, &krate.files[&key])?;
            }
            Drift::Extra(path) => std::fs::remove_file(dir.join(path))?,
        }
    }
    Ok(drifts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch repository with one vendor whose `vendor.toml` is `manifest`.
    fn scratch(label: &str, manifest: &str) -> PathBuf {
        let root =
            std::env::temp_dir().join(format!("clientgen-vendors-{label}-{}", std::process::id()));
        let dir = root.join(SPECS_DIR).join("acme");
        std::fs::create_dir_all(&dir).expect("scratch folder");
        std::fs::write(dir.join("vendor.toml"), manifest).expect("vendor.toml");
        std::fs::write(dir.join("fixes.yaml"), "overlay: 1.0.0\n").expect("overlay");
        let runtime = root.join("generator/runtime");
        std::fs::create_dir_all(&runtime).expect("runtime folder");
        std::fs::write(
            runtime.join("Cargo.toml"),
            "[package]\nname = \"clientgen-runtime\"\nversion = \"0.7.1\"\n",
        )
        .expect("runtime manifest");
        root
    }

    #[test]
    fn overlays_are_resolved_against_the_vendor_folder() {
        let root = scratch(
            "ok",
            "overlays = [\"fixes.yaml\"]\n[crate]\nname = \"acme-client\"\nversion = \"0.1.0\"\n",
        );
        let vendor = load_vendor(&root, SPECS_DIR, "acme");
        let _ = std::fs::remove_dir_all(&root);
        let vendor = vendor.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            vendor.load_options.overlays,
            [root.join(SPECS_DIR).join("acme").join("fixes.yaml")]
        );
        assert!(!vendor.load_options.lenient);
        assert_eq!(
            vendor.settings.runtime,
            RuntimeDependency::Path {
                path: "../../generator/runtime".into(),
                version: Some("0.7.1".into())
            },
            "the vendor crates depend on the runtime's own version"
        );
        assert_eq!(vendor.settings.license.as_deref(), Some(PROJECT_LICENSE));
        assert!(vendor.settings.publish);
    }

    #[test]
    fn no_overlays_by_default_and_a_missing_one_is_refused() {
        let root = scratch(
            "none",
            "[crate]\nname = \"acme-client\"\nversion = \"0.1.0\"\n",
        );
        let vendor = load_vendor(&root, SPECS_DIR, "acme");
        let _ = std::fs::remove_dir_all(&root);
        let vendor = vendor.unwrap_or_else(|e| panic!("{e}"));
        assert!(vendor.load_options.overlays.is_empty());

        let root = scratch(
            "missing",
            "overlays = [\"fixes.yaml\", \"gone.yaml\"]\n[crate]\nname = \"acme-client\"\nversion = \"0.1.0\"\n",
        );
        let result = load_vendor(&root, SPECS_DIR, "acme");
        let _ = std::fs::remove_dir_all(&root);
        let Err(diagnostics) = result else {
            panic!("a missing overlay was accepted");
        };
        assert_eq!(diagnostics.0.len(), 1);
        assert!(
            diagnostics.0[0].message.contains("`gone.yaml`"),
            "{}",
            diagnostics.0[0].message
        );
        assert!(diagnostics.0[0].file.ends_with("vendor.toml"));
    }

    /// Regenerates the scratch vendor `acme` of `root` as `regen` does: the API changes are
    /// judged, and written with the crate and the changelog unless refused.
    fn regen_acme(root: &Path, version: &str, spec: &str) -> ApiChanges {
        let dir = root.join(SPECS_DIR).join("acme");
        std::fs::write(
            dir.join("vendor.toml"),
            format!("[crate]\nname = \"acme-client\"\nversion = \"{version}\"\n"),
        )
        .expect("vendor.toml");
        std::fs::write(dir.join("openapi.yaml"), spec).expect("spec");
        let vendor = load_vendor(root, SPECS_DIR, "acme").unwrap_or_else(|e| panic!("{e}"));
        let krate = generate(root, &vendor).unwrap_or_else(|e| panic!("{e}"));
        let out = out_dir(root, "acme");
        let api = api_changes(&out, &krate).expect("compared");
        if api.refusal.is_none() {
            write(&out, &krate).expect("written");
            record_api_changes(&out, &krate, &api).expect("changelog");
        }
        api
    }

    #[test]
    fn a_breaking_spec_edit_is_refused_until_the_version_allows_it_and_then_logged() {
        let root = scratch(
            "semver",
            "[crate]\nname = \"acme-client\"\nversion = \"0.1.0\"\n",
        );
        let spec = |extra: &str| {
            format!(
                "openapi: 3.0.3\ninfo: {{title: Acme, version: '1'}}\npaths:\n  /a:\n    get:\n      \
                 operationId: getA\n      responses:\n        '204': {{description: ok}}\n{extra}"
            )
        };
        let with_b = spec("  /b:\n    get:\n      operationId: getB\n      responses:\n        '204': {description: ok}\n");
        let out = out_dir(&root, "acme");
        let log = || std::fs::read_to_string(out.join("CHANGELOG.md")).unwrap_or_default();

        let first = regen_acme(&root, "0.1.0", &with_b);
        assert_eq!((first.old_version, first.changes.len()), (None, 0));
        assert!(
            log().contains("## 0.1.0\n\n- First generated version: 2 operations, 0 types.\n"),
            "{}",
            log()
        );

        // `get_b` removed at the same version: refused, nothing written.
        let refused = regen_acme(&root, "0.1.1", &spec(""));
        assert_eq!(refused.breaking(), 1, "{refused:?}");
        let refusal = refused.refusal.as_deref().expect("refused");
        assert!(refusal.contains("set the version to 0.2.0"), "{refusal}");
        assert!(std::fs::read_to_string(out.join("src/client.rs"))
            .expect("kept")
            .contains("get_b"));
        assert!(!log().contains("0.1.1"));

        // With 0.2.0 it goes through, and the changelog says so above the first version.
        let bumped = regen_acme(&root, "0.2.0", &spec(""));
        assert_eq!(bumped.refusal, None);
        assert!(!std::fs::read_to_string(out.join("src/client.rs"))
            .expect("written")
            .contains("get_b"));
        let text = log();
        assert!(
            text.contains("## 0.2.0\n\n- **breaking**: operation `get_b` removed\n\n## 0.1.0\n"),
            "{text}"
        );

        // A later addition at the same version joins that version's section.
        let added = regen_acme(&root, "0.2.0", &with_b);
        assert_eq!((added.breaking(), added.changes.len()), (0, 1));
        let text = log();
        assert!(
            text.contains("## 0.2.0\n\n- **breaking**: operation `get_b` removed\n- operation `get_b` (`GET /b`)\n\n## 0.1.0\n"),
            "{text}"
        );
        // The changelog is the crate's own: a regeneration never calls it stale or removes it.
        let vendor = load_vendor(&root, SPECS_DIR, "acme").expect("vendor");
        let krate = generate(&root, &vendor).expect("generated");
        assert_eq!(drift(&out, &krate, Path::new("")).expect("compared"), []);
        let _ = std::fs::remove_dir_all(&root);
    }
}
