//! The third-party tools the checks run against `specs/`: the Redocly linter and the Prism mock
//! server (the contract tests' peer). Both come from npm, pinned to exact versions in
//! `package.json` / `package-lock.json` at the repository root, and live in `node_modules/`
//! (ignored by git).

use std::path::Path;
use std::process::Command as Process;
use std::time::Instant;

use clientgen::vendors;

/// Where `npm ci` leaves a copy of the lock file it installed, so an unchanged lock is not
/// reinstalled on every run.
const INSTALLED_LOCK: &str = "node_modules/.clientgen-installed-lock.json";

/// Installs the pinned tools with `npm ci` unless `node_modules/` already holds exactly what
/// `package-lock.json` pins.
pub fn install(root: &Path) -> Result<(), String> {
    let lock = std::fs::read(root.join("package-lock.json"))
        .map_err(|e| format!("package-lock.json: {e}"))?;
    let installed = std::fs::read(root.join(INSTALLED_LOCK)).ok();
    let tools_present = ["node_modules/.bin/prism", "node_modules/.bin/redocly"]
        .iter()
        .all(|tool| root.join(tool).exists());
    if installed.as_deref() == Some(lock.as_slice()) && tools_present {
        eprintln!("    spec tools already installed (package-lock.json unchanged)");
        return Ok(());
    }
    let started = Instant::now();
    let status = Process::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(root)
        .status()
        .map_err(|e| {
            format!("cannot run npm (Node.js and npm are needed for the spec tools): {e}")
        })?;
    if !status.success() {
        return Err("npm ci failed".into());
    }
    std::fs::write(root.join(INSTALLED_LOCK), &lock)
        .map_err(|e| format!("{INSTALLED_LOCK}: {e}"))?;
    eprintln!(
        "    installed the spec tools in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Lints every vendor spec under `specs/` with `redocly lint` and the repository's
/// `redocly.yaml`. Test fixtures under `tests/` are exempt: they break rules on purpose.
pub fn lint(root: &Path) -> Result<(), String> {
    install(root)?;
    let specs: Vec<String> = vendors::discover(root)
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter_map(|vendor| {
            let relative = vendor.spec_path.strip_prefix(root).ok()?.to_path_buf();
            relative
                .starts_with(vendors::SPECS_DIR)
                .then(|| relative.display().to_string())
        })
        .collect();
    if specs.is_empty() {
        return Err("no specs under specs/ to lint".into());
    }
    let status = Process::new(root.join("node_modules/.bin/redocly"))
        .arg("lint")
        .args(&specs)
        .args([
            "--config",
            "redocly.yaml",
            "--format",
            "summary",
            "--max-problems",
            "200",
        ])
        .current_dir(root)
        // No usage reports or update checks: the checks talk to nothing but 127.0.0.1.
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .status()
        .map_err(|e| format!("cannot run redocly: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "redocly lint found problems in {}; run `npx redocly lint <spec>` for details",
            specs.join(", ")
        ))
    }
}
