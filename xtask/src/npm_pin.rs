//! Data packages from npm, each pinned to one exact version by a small npm project of its own
//! under `xtask/` (`package.json` plus `package-lock.json` with integrity hashes) and installed
//! on demand with `npm ci` into a folder under `target/`. Nothing of them is committed.
//!
//! Used for the APIs.guru directory (`cargo xtask corpus --directory`) and the large real specs
//! of `cargo xtask bench`. The spec tools (Redocly, Prism) are pinned at the repository root
//! instead: see `spec_tools`.

use std::path::PathBuf;
use std::process::Command;

/// One pinned package: the npm project that pins it and where it is installed.
pub struct Pin<'a> {
    /// The folder holding `package.json` and `package-lock.json`, e.g. `xtask/corpus-directory`.
    pub project: PathBuf,
    /// The install prefix, e.g. `target/corpus-directory`.
    pub prefix: PathBuf,
    /// The package name as npm spells it (scoped names included).
    pub package: &'a str,
    /// The exact version the lock pins.
    pub version: &'a str,
    /// Its size, for the message printed while it installs.
    pub size: &'a str,
}

impl Pin<'_> {
    /// The installed package's folder, `<prefix>/node_modules/<package>`; `npm ci` runs first
    /// unless that folder already holds the pinned version.
    pub fn install(&self) -> Result<PathBuf, String> {
        let folder = self.prefix.join("node_modules").join(self.package);
        let installed = std::fs::read_to_string(folder.join("package.json"))
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .and_then(|v| v.get("version")?.as_str().map(str::to_owned));
        if installed.as_deref() == Some(self.version) {
            return Ok(folder);
        }
        std::fs::create_dir_all(&self.prefix)
            .map_err(|e| format!("{}: {e}", self.prefix.display()))?;
        for file in ["package.json", "package-lock.json"] {
            std::fs::copy(self.project.join(file), self.prefix.join(file))
                .map_err(|e| format!("copying {file}: {e}"))?;
        }
        eprintln!(
            "==> installing {}@{} ({}) with npm ci into {}",
            self.package,
            self.version,
            self.size,
            self.prefix.display()
        );
        let status = Command::new("npm")
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
            .current_dir(&self.prefix)
            .status()
            .map_err(|e| format!("cannot run npm: {e}"))?;
        if !status.success() || !folder.is_dir() {
            return Err(format!(
                "npm ci of {}@{} failed",
                self.package, self.version
            ));
        }
        Ok(folder)
    }
}
