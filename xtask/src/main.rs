//! Maintainer verbs for this repository. Run `cargo xtask --help`.
//!
//! - `regen`: regenerate every client under `generated/` from `specs/` (`--check` only
//!   compares, and fails when anything is stale);
//! - `generate`: generate a client crate from any OpenAPI document into any folder.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use clientgen::vendors::{self, Drift};
use clientgen::CrateSettings;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Maintainer verbs for the client generator"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the client crates in generated/ from the specs in specs/.
    Regen {
        /// Only this vendor (a folder name under specs/).
        #[arg(long)]
        vendor: Option<String>,
        /// Change nothing; exit non-zero and list the files that differ when generated/ is stale.
        #[arg(long)]
        check: bool,
    },
    /// Generate a client crate from any OpenAPI 3.0 document.
    Generate {
        /// The OpenAPI document (YAML or JSON).
        #[arg(long)]
        spec: PathBuf,
        /// The folder to write the crate to (created if needed; files in it are replaced).
        #[arg(long)]
        out: PathBuf,
        /// The package name of the crate.
        #[arg(long)]
        crate_name: String,
        /// The package version.
        #[arg(long, default_value = "0.1.0")]
        version: String,
        /// Base URL used when the caller sets none (defaults to the spec's first server).
        #[arg(long)]
        base_url: Option<String>,
    },
}

/// The repository root: xtask lives one level below it.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the repository")
        .to_path_buf()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Regen { vendor, check } => regen(vendor.as_deref(), check),
        Command::Generate {
            spec,
            out,
            crate_name,
            version,
            base_url,
        } => generate(&spec, &out, crate_name, version, base_url),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn regen(only: Option<&str>, check: bool) -> Result<ExitCode, String> {
    let started = Instant::now();
    let root = repo_root();
    let mut all = vendors::discover(&root).map_err(|e| e.to_string())?;
    if let Some(name) = only {
        all.retain(|v| v.name == name);
        if all.is_empty() {
            return Err(format!("no vendor `{name}` under {}/", vendors::SPECS_DIR));
        }
    }
    let mut stale = Vec::new();
    for vendor in &all {
        let krate =
            vendors::generate(&root, vendor).map_err(|e| format!("{}: {e}", vendor.name))?;
        let dir = vendors::out_dir(&root, &vendor.name);
        let shown = Path::new(vendors::GENERATED_DIR).join(&vendor.name);
        let drifts = if check {
            vendors::drift(&dir, &krate, &shown)
        } else {
            vendors::write(&dir, &krate)
        }
        .map_err(|e| format!("{}: {e}", dir.display()))?;
        let status = match (drifts.len(), check) {
            (0, _) => "unchanged".to_owned(),
            (n, true) => format!("STALE ({n} file{})", if n == 1 { "" } else { "s" }),
            (n, false) => format!("changed ({n} file{})", if n == 1 { "" } else { "s" }),
        };
        let s = krate.summary;
        println!(
            "{:<16} {:>4} operations {:>5} types {:>7} lines  {status}",
            vendor.name, s.operations, s.types, s.lines
        );
        if check {
            stale.extend(drifts);
        }
    }
    if !stale.is_empty() {
        eprintln!("\ngenerated/ is stale:");
        for drift in &stale {
            let path = match drift {
                Drift::Missing(p) | Drift::Differs(p) | Drift::Extra(p) => p,
            };
            eprintln!("  {drift}  [{}]", path.display());
        }
        eprintln!("\nrun `{}` and commit the result", vendors::REGEN_COMMAND);
        return Ok(ExitCode::FAILURE);
    }
    eprintln!("done in {} ms", started.elapsed().as_millis());
    Ok(ExitCode::SUCCESS)
}

fn generate(
    spec: &Path,
    out: &Path,
    crate_name: String,
    version: String,
    base_url: Option<String>,
) -> Result<ExitCode, String> {
    let runtime = repo_root().join("generator").join("runtime");
    let settings = CrateSettings {
        env_prefix: crate_name.to_ascii_uppercase().replace('-', "_"),
        crate_name,
        version,
        description: None,
        default_base_url: base_url,
        runtime_path: runtime.to_string_lossy().into_owned(),
        standalone: true,
        spec_label: spec.display().to_string(),
        regen_command: format!(
            "cargo xtask generate --spec {} --out {}",
            spec.display(),
            out.display()
        ),
    };
    let krate = clientgen::generate_file(spec, &settings).map_err(|e| e.to_string())?;
    let drifts = vendors::write(out, &krate).map_err(|e| format!("{}: {e}", out.display()))?;
    let s = krate.summary;
    println!(
        "{}: {} operations, {} types, {} lines written to {} ({} file{} changed)",
        settings.crate_name,
        s.operations,
        s.types,
        s.lines,
        out.display(),
        drifts.len(),
        if drifts.len() == 1 { "" } else { "s" }
    );
    Ok(ExitCode::SUCCESS)
}
