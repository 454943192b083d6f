//! `cargo xtask bench`: this generator against progenitor and openapi-generator on the same
//! inputs. Four sections, each a list of whole-process measurements (median of several runs):
//!
//! 1. generation time and peak RSS per tool and spec (the public corpus, `specs/` and one large
//!    real spec, GitHub's REST description from npm);
//! 2. scaling of our generation time on synthetic 1×…16× copies of a vendor spec;
//! 3. compile cost (`cargo build` / `cargo check`) of the generated crates, dependencies
//!    prebuilt, and once from a clean target directory; for the large spec `cargo check` only,
//!    and the cost of our crate with one tag feature enabled (`tags`);
//! 4. decode throughput of generated types against hand-written serde structs (criterion).
//!
//! The other tools are installed, pinned, under `target/bench-tools/`, the large spec under
//! `target/bench-specs/`. Results go to `target/bench/results.json`, `BENCHMARKS.md` and its
//! charts, `docs/bench/*.svg`.

mod chart;
pub(crate) mod measure;
mod report;
mod synth;
mod tags;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

use serde::{Deserialize, Serialize};

use measure::{Sample, Stat};

/// The cargo-progenitor release the corpus README measured.
pub const PROGENITOR_VERSION: &str = "0.15.1";
/// The openapi-generator release the corpus README measured; its PyPI wheel bundles the jar.
pub const OPENAPI_GENERATOR_VERSION: &str = "7.26.0";
/// Multiples of the vendor spec for the scaling section.
const FACTORS: &[usize] = &[1, 2, 4, 8, 16];

/// The large real spec: GitHub's REST description as packaged on npm, pinned in
/// `xtask/bench-specs/` and installed under `target/bench-specs/`, never committed.
pub const LARGE: LargeSpec = LargeSpec {
    name: "github",
    package: "@octokit/openapi",
    version: "23.0.2",
    file: "generated/api.github.com.json",
    licence: "MIT",
};
/// Address-space cap of a `cargo check` of a crate generated from the large spec (16 GiB): a
/// crate too big for the machine fails alone instead of taking memory from everything else.
const LARGE_MEMORY_CAP: u64 = 16 << 30;
/// Seconds one `cargo check` of a crate generated from the large spec may take.
const LARGE_TIMEOUT_S: u64 = 3600;

/// Where the large spec comes from.
pub struct LargeSpec {
    /// The spec's name in the tables.
    pub name: &'static str,
    /// The npm package and its pinned version.
    pub package: &'static str,
    pub version: &'static str,
    /// The spec's path inside the package.
    pub file: &'static str,
    /// The package's licence (SPDX).
    pub licence: &'static str,
}

#[derive(clap::Args)]
pub struct Args {
    /// Whole-process runs per generation figure (the median is reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Runs per compile figure.
    #[arg(long, default_value_t = 3)]
    compile_runs: usize,
    /// Fewer runs (3 and 1), a short criterion run, no clean build: a smoke test of the bench.
    #[arg(long)]
    quick: bool,
    /// Sections to skip: generation, scaling, compile, clean-build, decode; `large` leaves out
    /// the large spec everywhere (it takes long), `tags` only its per-tag checks.
    #[arg(long, value_delimiter = ',')]
    skip: Vec<Section>,
    /// Generators run on the large spec (generation and `cargo check`).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "clientgen,progenitor,openapi-generator"
    )]
    large_tools: Vec<Tool>,
    /// Runs per `cargo check` figure of the large spec's crates and of its per-tag checks.
    #[arg(long, default_value_t = 1)]
    large_compile_runs: usize,
    /// Specs (by name: file stem for the corpus, folder for specs/) whose generated crates the
    /// compile section builds.
    #[arg(long, value_delimiter = ',', default_value = "nexus,sekoia")]
    compile_specs: Vec<String>,
    /// The vendor under specs/ replicated for the scaling section.
    #[arg(long, default_value = "sekoia")]
    scale_spec: String,
    /// The folder of public specs (default: tests/corpus).
    #[arg(long)]
    corpus: Option<PathBuf>,
    /// Measure nothing: write BENCHMARKS.md and its charts again from the last run's
    /// `target/bench/results.json` (after a change to the report or the kept analysis).
    #[arg(long)]
    rewrite: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Section {
    Generation,
    Scaling,
    Compile,
    CleanBuild,
    Decode,
    Large,
    Tags,
}

/// The generators compared.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Tool {
    Clientgen,
    Progenitor,
    OpenapiGenerator,
}

impl Tool {
    pub const ALL: [Tool; 3] = [Tool::Clientgen, Tool::Progenitor, Tool::OpenapiGenerator];

    pub fn slug(self) -> &'static str {
        match self {
            Tool::Clientgen => "clientgen",
            Tool::Progenitor => "progenitor",
            Tool::OpenapiGenerator => "openapi-generator",
        }
    }
}

/// A figure, or why there is none.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Measured(Stat),
    Failed(String),
}

impl Outcome {
    pub fn stat(&self) -> Option<&Stat> {
        match self {
            Outcome::Measured(s) => Some(s),
            Outcome::Failed(_) => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Generated {
    pub outcome: Outcome,
    /// Lines and files of Rust source written (after the last run).
    pub rust_lines: usize,
    pub rust_files: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GenerationRow {
    /// File stem (corpus) or vendor folder (specs/).
    pub spec: String,
    pub path: String,
    pub origin: String,
    pub bytes: u64,
    pub tools: BTreeMap<Tool, Generated>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScalingPoint {
    pub factor: usize,
    pub bytes: u64,
    pub outcome: Outcome,
    pub rust_lines: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Scaling {
    pub spec: String,
    pub points: Vec<ScalingPoint>,
    pub exponent: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CompileRow {
    pub spec: String,
    pub tool: Tool,
    pub package: String,
    pub rust_lines: usize,
    /// `None` where only `cargo check` is measured (the large spec).
    pub build: Option<Outcome>,
    pub check: Outcome,
    /// `cargo build` from an empty target directory, dependencies included (once).
    pub clean_build: Option<Outcome>,
}

impl CompileRow {
    /// The row of a crate before anything is measured: every figure says "not run".
    fn not_run(spec: &str, tool: Tool, rust_lines: usize) -> Self {
        CompileRow {
            spec: spec.to_owned(),
            tool,
            package: String::new(),
            rust_lines,
            build: None,
            check: Outcome::Failed("not run".into()),
            clean_build: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DecodeFigure {
    pub name: String,
    pub median_ns: f64,
    pub mb_per_s: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Decode {
    pub bytes: u64,
    pub figures: Vec<DecodeFigure>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Machine {
    pub nproc: usize,
    pub cpu: String,
    pub ram_gib: f64,
    pub os: String,
    pub rustc: String,
    pub cargo: String,
    pub java: String,
    pub python: String,
    pub loadavg_start: String,
    pub loadavg_end: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Results {
    pub date: String,
    pub quick: bool,
    pub runs: usize,
    pub compile_runs: usize,
    pub machine: Machine,
    /// Tool → version (or why it is unavailable).
    pub tools: BTreeMap<Tool, String>,
    pub generation: Vec<GenerationRow>,
    /// Sum of our medians over specs/*/openapi.yaml, and how many specs that covers.
    pub specs_folder_s: Option<f64>,
    pub specs_folder_count: usize,
    /// `xtask regen --check` (release): every vendor in one process.
    pub specs_folder_one_process: Option<Outcome>,
    pub scaling: Option<Scaling>,
    pub compile: Vec<CompileRow>,
    /// The large spec, when it was part of the run.
    pub large: Option<LargeRun>,
    pub decode: Option<Decode>,
    pub command: String,
}

/// What the run did with the large spec.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LargeRun {
    pub spec: String,
    pub bytes: u64,
    pub operations: usize,
    pub compile_runs: usize,
    /// Our crate checked with one tag feature enabled; `None` when not measured.
    pub tags: Option<tags::TagCosts>,
}

/// Where everything lives.
struct Env {
    root: PathBuf,
    work: PathBuf,
    tools_dir: PathBuf,
    ours: PathBuf,
    progenitor: Option<PathBuf>,
    openapi_generator: Option<PathBuf>,
}

pub fn run(mut args: Args) -> Result<std::process::ExitCode, String> {
    if args.quick {
        args.runs = args.runs.min(3);
        args.compile_runs = 1;
        if !args.skip.contains(&Section::CleanBuild) {
            args.skip.push(Section::CleanBuild);
        }
    }
    let args = args;
    let runs = args.runs.max(1);
    let root = super::repo_root();
    let work = root.join("target/bench");
    if args.rewrite {
        let json_path = work.join("results.json");
        let text = std::fs::read_to_string(&json_path)
            .map_err(|e| format!("{}: {e}", json_path.display()))?;
        let results: Results =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", json_path.display()))?;
        write_report(&root, &results)?;
        return Ok(std::process::ExitCode::SUCCESS);
    }
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let tools_dir = root.join("target/bench-tools");
    std::fs::create_dir_all(&tools_dir).map_err(|e| e.to_string())?;
    let mut machine = machine();

    step("build our generator (release)");
    cargo_at(
        &root,
        &[
            "build",
            "--release",
            "--quiet",
            "--manifest-path",
            "xtask/Cargo.toml",
            "--target-dir",
            "target/xtask",
        ],
    )?;
    let ours = root.join("target/xtask/release/xtask");

    step("install the other generators (pinned, skipped when present)");
    let mut tools = BTreeMap::new();
    tools.insert(Tool::Clientgen, our_version(&root));
    let progenitor = match install_progenitor(&tools_dir) {
        Ok(bin) => {
            tools.insert(
                Tool::Progenitor,
                format!("cargo-progenitor {PROGENITOR_VERSION}"),
            );
            Some(bin)
        }
        Err(e) => {
            eprintln!("    progenitor unavailable: {e}");
            tools.insert(Tool::Progenitor, format!("unavailable: {e}"));
            None
        }
    };
    let openapi_generator = match install_openapi_generator(&tools_dir) {
        Ok((bin, version)) => {
            tools.insert(Tool::OpenapiGenerator, version);
            Some(bin)
        }
        Err(e) => {
            eprintln!("    openapi-generator unavailable: {e}");
            tools.insert(Tool::OpenapiGenerator, format!("unavailable: {e}"));
            None
        }
    };
    let env = Env {
        root: root.clone(),
        work: work.clone(),
        tools_dir,
        ours,
        progenitor,
        openapi_generator,
    };
    let _ = &env.tools_dir;

    let corpus = args
        .corpus
        .clone()
        .unwrap_or_else(|| root.join("tests/corpus"));
    let mut specs = discover(&root, &corpus)?;
    let mut compile_specs = args.compile_specs.clone();
    let generation_needed =
        !args.skip.contains(&Section::Generation) || !args.skip.contains(&Section::Compile);
    let large = if args.skip.contains(&Section::Large) || !generation_needed {
        None
    } else {
        step("install the large spec (pinned, skipped when present)");
        let path = install_large(&root)?;
        let (operations, _) = tags::operations_per_tag(&path)?;
        let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        eprintln!(
            "    {} {}: {:.1} MB, {operations} operations",
            LARGE.package,
            LARGE.version,
            bytes as f64 / 1e6
        );
        specs.push(Spec {
            name: LARGE.name.to_owned(),
            path: path.clone(),
            origin: "npm",
            tools: args.large_tools.clone(),
        });
        compile_specs.push(LARGE.name.to_owned());
        Some(LargeRun {
            spec: path.display().to_string(),
            bytes,
            operations,
            compile_runs: args.large_compile_runs.max(1),
            tags: None,
        })
    };

    let mut results = Results {
        date: date(),
        quick: args.quick,
        runs,
        compile_runs: args.compile_runs.max(1),
        machine: machine.clone(),
        tools,
        generation: Vec::new(),
        specs_folder_s: None,
        specs_folder_count: 0,
        specs_folder_one_process: None,
        scaling: None,
        compile: Vec::new(),
        large,
        decode: None,
        command: command_line(),
    };

    if generation_needed {
        step("generation time and peak memory");
        let timed_runs = if args.skip.contains(&Section::Generation) {
            1
        } else {
            runs
        };
        for spec in &specs {
            if args.skip.contains(&Section::Generation) && !compile_specs.contains(&spec.name) {
                // Only what the compile section needs, generated once.
                continue;
            }
            let row = generation_row(&env, spec, timed_runs)?;
            results.generation.push(row);
        }
        let ours: Vec<f64> = results
            .generation
            .iter()
            .filter(|r| r.origin == "specs")
            .filter_map(|r| r.tools.get(&Tool::Clientgen)?.outcome.stat())
            .map(|s| s.median_s)
            .collect();
        results.specs_folder_count = ours.len();
        results.specs_folder_s = (!ours.is_empty()).then(|| ours.iter().sum());
        if !args.skip.contains(&Section::Generation) {
            results.specs_folder_one_process = Some(regen_all(&env, timed_runs));
        }
    }

    if !args.skip.contains(&Section::Scaling) {
        step("scaling on synthetic copies");
        results.scaling = Some(scaling(&env, &args.scale_spec, runs)?);
    }

    if !args.skip.contains(&Section::Compile) {
        step("compile cost of the generated crates");
        let clean = !args.skip.contains(&Section::CleanBuild);
        for name in &compile_specs {
            let Some(row) = results.generation.iter().find(|r| &r.spec == name) else {
                eprintln!("    no spec named `{name}`: skipped");
                continue;
            };
            let large = row.origin == "npm";
            for tool in Tool::ALL {
                let Some(generated) = row.tools.get(&tool) else {
                    continue;
                };
                if let Outcome::Failed(_) = generated.outcome {
                    continue;
                }
                let compiled = if large {
                    compile_large(&env, tool, name, generated, args.large_compile_runs.max(1))
                } else {
                    let first = compile_specs.first() == Some(name);
                    compile(&env, tool, name, generated, results.compile_runs, {
                        clean && first
                    })
                };
                if large && tool == Tool::Clientgen && !args.skip.contains(&Section::Tags) {
                    if let Some(run) = results.large.as_mut() {
                        run.tags = Some(tag_costs(
                            &env,
                            name,
                            Path::new(&run.spec),
                            &compiled,
                            run.compile_runs,
                        ));
                    }
                }
                results.compile.push(compiled);
            }
        }
    }

    if args.skip.contains(&Section::Generation) {
        // Generated once for the compile section only: not figures to report.
        results.generation.clear();
        results.specs_folder_s = None;
        results.specs_folder_count = 0;
    }

    if !args.skip.contains(&Section::Decode) {
        step("decode throughput (criterion)");
        results.decode = Some(decode(&env, args.quick));
    }

    machine.loadavg_end = loadavg();
    results.machine = machine;
    let json = serde_json::to_string_pretty(&results).map_err(|e| e.to_string())?;
    let json_path = work.join("results.json");
    std::fs::write(&json_path, json).map_err(|e| format!("{}: {e}", json_path.display()))?;
    eprintln!("\nwrote {}", json_path.display());
    write_report(&root, &results)?;
    Ok(std::process::ExitCode::SUCCESS)
}

/// BENCHMARKS.md (keeping its hand-written analysis) and its charts, from `results`.
fn write_report(root: &Path, results: &Results) -> Result<(), String> {
    let markdown_path = root.join("BENCHMARKS.md");
    let previous = std::fs::read_to_string(&markdown_path).unwrap_or_default();
    let charts = chart::write_all(results, &root.join(chart::DIR))?;
    let markdown = report::markdown(results, &previous, &charts);
    std::fs::write(&markdown_path, &markdown)
        .map_err(|e| format!("{}: {e}", markdown_path.display()))?;
    println!("{}", report::tables(results));
    eprintln!(
        "wrote {} and the charts in {}",
        markdown_path.display(),
        chart::DIR
    );
    Ok(())
}

fn step(title: &str) {
    eprintln!("\n==> {title}");
}

/// A spec to generate from.
struct Spec {
    name: String,
    path: PathBuf,
    /// `corpus`, `specs` or `npm` (the large spec).
    origin: &'static str,
    /// The generators run on it.
    tools: Vec<Tool>,
}

fn discover(root: &Path, corpus: &Path) -> Result<Vec<Spec>, String> {
    let mut specs = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus)
        .map_err(|e| format!("{}: {e}", corpus.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    files.sort();
    for path in files {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
        specs.push(Spec {
            name: stem.to_ascii_lowercase().replace(['_', '.'], "-"),
            path,
            origin: "corpus",
            tools: Tool::ALL.to_vec(),
        });
    }
    let dir = root.join("specs");
    let mut vendors: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("openapi.yaml").is_file())
        .collect();
    vendors.sort();
    for vendor in vendors {
        let name = vendor
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or("vendor")
            .to_owned();
        specs.push(Spec {
            name,
            path: vendor.join("openapi.yaml"),
            origin: "specs",
            tools: Tool::ALL.to_vec(),
        });
    }
    Ok(specs)
}

/// The command that generates `spec` into `out` with `tool`.
fn generate_command(env: &Env, tool: Tool, spec: &Path, out: &Path, name: &str) -> Option<Command> {
    match tool {
        Tool::Clientgen => {
            let mut c = Command::new(&env.ours);
            c.arg("generate")
                .arg("--spec")
                .arg(spec)
                .arg("--out")
                .arg(out)
                .args(["--crate-name", name]);
            Some(c)
        }
        Tool::Progenitor => {
            // The binary run as cargo runs a subcommand: first argument `progenitor`. Calling
            // it directly keeps cargo's own start-up out of the figure.
            let mut c = Command::new(env.progenitor.as_ref()?);
            c.arg("progenitor")
                .arg("-i")
                .arg(spec)
                .arg("-o")
                .arg(out)
                .args(["-n", name, "-v", "0.1.0"]);
            Some(c)
        }
        Tool::OpenapiGenerator => {
            let mut c = Command::new(env.openapi_generator.as_ref()?);
            c.arg("generate")
                .arg("-i")
                .arg(spec)
                .args(["-g", "rust", "-o"])
                .arg(out)
                .arg("--additional-properties")
                .arg(format!("packageName={name},packageVersion=0.1.0"));
            Some(c)
        }
    }
}

fn crate_name(spec: &str) -> String {
    format!("bench-{spec}")
}

fn generation_row(env: &Env, spec: &Spec, runs: usize) -> Result<GenerationRow, String> {
    let bytes = std::fs::metadata(&spec.path).map(|m| m.len()).unwrap_or(0);
    let mut row = GenerationRow {
        spec: spec.name.clone(),
        path: spec.path.display().to_string(),
        origin: spec.origin.to_owned(),
        bytes,
        tools: BTreeMap::new(),
    };
    for &tool in &spec.tools {
        let out = env.work.join("gen").join(tool.slug()).join(&spec.name);
        let log = env
            .work
            .join("logs")
            .join(format!("gen-{}-{}.log", tool.slug(), spec.name));
        std::fs::create_dir_all(log.parent().expect("a parent")).map_err(|e| e.to_string())?;
        let name = crate_name(&spec.name);
        let Some(_) = generate_command(env, tool, &spec.path, &out, &name) else {
            continue;
        };
        let outcome = repeat(runs, &log, &out, || {
            generate_command(env, tool, &spec.path, &out, &name).expect("checked above")
        });
        let (rust_lines, rust_files) = rust_size(&out);
        report_line(&format!("{} / {}", spec.name, tool.slug()), &outcome);
        row.tools.insert(
            tool,
            Generated {
                outcome,
                rust_lines,
                rust_files,
            },
        );
    }
    Ok(row)
}

/// One untimed warm-up run (which also tells whether the tool accepts the input), then
/// `runs` timed runs, each into an emptied `out`.
fn repeat(runs: usize, log: &Path, out: &Path, mut make: impl FnMut() -> Command) -> Outcome {
    let mut samples: Vec<Sample> = Vec::new();
    for i in 0..=runs {
        let _ = std::fs::remove_dir_all(out);
        match measure::run(&mut make(), log) {
            Ok(sample) if i > 0 => samples.push(sample),
            Ok(_) => {}
            Err(e) => return Outcome::Failed(e),
        }
    }
    Outcome::Measured(Stat::of(samples))
}

fn report_line(label: &str, outcome: &Outcome) {
    match outcome {
        Outcome::Measured(s) => eprintln!(
            "    {label:<44} {:>9}  {:>7.1} MiB  (min {}, max {})",
            report::secs(s.median_s),
            s.median_rss_mib,
            report::secs(s.min_s),
            report::secs(s.max_s)
        ),
        Outcome::Failed(e) => eprintln!("    {label:<44} FAILED: {e}"),
    }
}

/// Lines and files of `*.rs` under `dir`.
fn rust_size(dir: &Path) -> (usize, usize) {
    let mut lines = 0;
    let mut files = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().and_then(|n| n.to_str()) != Some("target") {
                    stack.push(path);
                }
            } else if path.extension().and_then(|e| e.to_str()) == Some("rs") {
                files += 1;
                lines += std::fs::read_to_string(&path)
                    .map(|t| t.lines().count())
                    .unwrap_or(0);
            }
        }
    }
    (lines, files)
}

/// Every vendor of specs/ regenerated and compared in one process (`regen --check`, which
/// writes nothing; a stale generated/ still counts as a completed run).
fn regen_all(env: &Env, runs: usize) -> Outcome {
    let log = env.work.join("logs/regen-check.log");
    let mut samples = Vec::new();
    for i in 0..=runs {
        let mut c = Command::new(&env.ours);
        c.args(["regen", "--check"]).current_dir(&env.root);
        match measure::run_any(&mut c, &log) {
            Ok((sample, failure)) => {
                let stale = std::fs::read_to_string(&log)
                    .map(|t| t.contains("generated/ is stale"))
                    .unwrap_or(false);
                match failure {
                    Some(e) if !stale => return Outcome::Failed(e),
                    _ if i > 0 => samples.push(sample),
                    _ => {}
                }
            }
            Err(e) => return Outcome::Failed(e),
        }
    }
    let outcome = Outcome::Measured(Stat::of(samples));
    report_line("specs/ in one process (regen --check)", &outcome);
    outcome
}

fn scaling(env: &Env, vendor: &str, runs: usize) -> Result<Scaling, String> {
    let source = env.root.join("specs").join(vendor).join("openapi.yaml");
    let text =
        std::fs::read_to_string(&source).map_err(|e| format!("{}: {e}", source.display()))?;
    let spec: serde_yaml::Value =
        serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", source.display()))?;
    let dir = env.work.join("scaling");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut points = Vec::new();
    for &factor in FACTORS {
        let path = dir.join(format!("{vendor}-x{factor}.yaml"));
        let synthetic = synth::replicate(&spec, factor)?;
        let yaml = serde_yaml::to_string(&synthetic).map_err(|e| e.to_string())?;
        std::fs::write(&path, &yaml).map_err(|e| format!("{}: {e}", path.display()))?;
        let out = dir.join(format!("out-x{factor}"));
        let log = env
            .work
            .join("logs")
            .join(format!("scaling-{vendor}-x{factor}.log"));
        let name = crate_name(&format!("{vendor}-x{factor}"));
        let outcome = repeat(runs, &log, &out, || {
            generate_command(env, Tool::Clientgen, &path, &out, &name).expect("ours")
        });
        report_line(&format!("{vendor} ×{factor}"), &outcome);
        points.push(ScalingPoint {
            factor,
            bytes: yaml.len() as u64,
            rust_lines: rust_size(&out).0,
            outcome,
        });
    }
    let fit: Vec<(f64, f64)> = points
        .iter()
        .filter_map(|p| Some((p.factor as f64, p.outcome.stat()?.median_s)))
        .collect();
    let exponent = synth::exponent(&fit);
    if let Some(b) = exponent {
        eprintln!("    log-log exponent: {b:.3}");
    }
    Ok(Scaling {
        spec: vendor.to_owned(),
        points,
        exponent,
    })
}

/// `cargo build` and `cargo check` of one generated crate, rebuilt after `cargo clean -p` in
/// a target directory where its dependencies are already built.
fn compile(
    env: &Env,
    tool: Tool,
    spec: &str,
    generated: &Generated,
    runs: usize,
    clean_build: bool,
) -> CompileRow {
    let dir = env.work.join("gen").join(tool.slug()).join(spec);
    let target = env.work.join(format!("compile-{}", tool.slug()));
    let label = format!("{spec} / {}", tool.slug());
    let mut row = CompileRow::not_run(spec, tool, generated.rust_lines);
    let mut build = Outcome::Failed("not run".into());
    let log = |what: &str| {
        env.work
            .join("logs")
            .join(format!("{what}-{}-{spec}.log", tool.slug()))
    };
    let prepared = (|| -> Result<String, String> {
        let package = prepare_crate(env, tool, &dir, &target, &log("fetch"))?;
        measure::run(
            cargo(&dir, &target).args(["build", "--offline"]),
            &log("build"),
        )?;
        measure::run(
            cargo(&dir, &target).args(["check", "--offline"]),
            &log("check"),
        )?;
        Ok(package)
    })();
    let package = match prepared {
        Ok(p) => p,
        Err(e) => {
            row.build = Some(Outcome::Failed(e.clone()));
            row.check = Outcome::Failed(e);
            report_line(&label, &row.check);
            return row;
        }
    };
    row.package = package.clone();
    for (verb, slot) in [("build", &mut build), ("check", &mut row.check)] {
        let mut samples = Vec::new();
        let mut failure = None;
        for _ in 0..runs {
            if let Err(e) = measure::run(
                cargo(&dir, &target).args(["clean", "--offline", "-p", &package]),
                &log("clean"),
            ) {
                failure = Some(format!("cargo clean: {e}"));
                break;
            }
            match measure::run(cargo(&dir, &target).args([verb, "--offline"]), &log(verb)) {
                Ok(s) => samples.push(s),
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        *slot = match failure {
            Some(e) => Outcome::Failed(e),
            None => Outcome::Measured(Stat::of(samples)),
        };
        report_line(&format!("{label}: cargo {verb}"), slot);
    }
    row.build = Some(build);
    if clean_build {
        let clean_target = env.work.join(format!("compile-{}-clean", tool.slug()));
        let _ = std::fs::remove_dir_all(&clean_target);
        let outcome = match measure::run(
            cargo(&dir, &clean_target).args(["build", "--offline"]),
            &log("clean-build"),
        ) {
            Ok(s) => Outcome::Measured(Stat::of(vec![s])),
            Err(e) => Outcome::Failed(e),
        };
        let _ = std::fs::remove_dir_all(&clean_target);
        report_line(&format!("{label}: clean cargo build"), &outcome);
        row.clean_build = Some(outcome);
    }
    row
}

/// Makes a generated crate buildable where it was generated and fetches its dependencies;
/// returns its package name.
fn prepare_crate(
    env: &Env,
    tool: Tool,
    dir: &Path,
    target: &Path,
    log: &Path,
) -> Result<String, String> {
    let manifest = dir.join("Cargo.toml");
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    // Generated under target/, inside this repository's workspace: the crate must be a
    // workspace of its own to build there. Ours already is.
    if !text.lines().any(|l| l.trim() == "[workspace]") {
        std::fs::write(&manifest, format!("{text}\n[workspace]\n")).map_err(|e| e.to_string())?;
    }
    if tool == Tool::Clientgen {
        // The versions this repository is tested with, as `cargo xtask corpus` does.
        std::fs::copy(env.root.join("Cargo.lock"), dir.join("Cargo.lock"))
            .map_err(|e| e.to_string())?;
    }
    let package = package_name(&text).ok_or("no package name in Cargo.toml")?;
    measure::run(cargo(dir, target).arg("fetch"), log).map_err(|e| format!("cargo fetch: {e}"))?;
    Ok(package)
}

/// `cargo check` of a crate generated from the large spec: no `cargo build` (a debug build of
/// a crate of that size is too slow to repeat) and no untimed check of the crate itself. Its
/// dependencies are checked first, alone; a timed run that still had to check any of them
/// (features resolved otherwise) is discarded and run again.
fn compile_large(
    env: &Env,
    tool: Tool,
    spec: &str,
    generated: &Generated,
    runs: usize,
) -> CompileRow {
    let dir = env.work.join("gen").join(tool.slug()).join(spec);
    let target = env.work.join(format!("compile-{}", tool.slug()));
    let label = format!("{spec} / {}", tool.slug());
    let log = |what: &str| {
        env.work
            .join("logs")
            .join(format!("{what}-{}-{spec}.log", tool.slug()))
    };
    let mut row = CompileRow::not_run(spec, tool, generated.rust_lines);
    let prepared = (|| -> Result<String, String> {
        let package = prepare_crate(env, tool, &dir, &target, &log("fetch"))?;
        let mut warm = capped(&dir, &target);
        warm.args(["check", "--offline"]);
        for dependency in dependencies(&dir, &target)? {
            warm.args(["-p", &dependency]);
        }
        measure::run(&mut warm, &log("check-dependencies"))
            .map_err(|e| format!("checking the dependencies: {e}"))?;
        Ok(package)
    })();
    row.check = match prepared {
        Ok(package) => {
            row.package = package.clone();
            timed_checks(&dir, &target, &package, &[], runs, &log("check"))
        }
        Err(e) => Outcome::Failed(e),
    };
    report_line(&format!("{label}: cargo check"), &row.check);
    row
}

/// `runs` timed `cargo check`s of `package` with `extra` arguments, each after `cargo clean -p`,
/// under the large spec's memory cap and time limit.
fn timed_checks(
    dir: &Path,
    target: &Path,
    package: &str,
    extra: &[&str],
    runs: usize,
    log: &Path,
) -> Outcome {
    let mut samples = Vec::new();
    let mut retried = false;
    while samples.len() < runs {
        if let Err(e) = measure::run(
            cargo(dir, target).args(["clean", "--offline", "-p", package]),
            &log.with_extension("clean.log"),
        ) {
            return Outcome::Failed(format!("cargo clean: {e}"));
        }
        let sample = match measure::run(
            capped(dir, target).args(["check", "--offline"]).args(extra),
            log,
        ) {
            Ok(s) => s,
            Err(e) => return Outcome::Failed(e),
        };
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let others = compiled_others(&text, package);
        if others.is_empty() {
            samples.push(sample);
        } else if !retried {
            eprintln!(
                "    the check also built {}: discarded, run again",
                others.join(", ")
            );
            retried = true;
        } else {
            return Outcome::Failed(format!(
                "every check also built dependencies ({})",
                others.join(", ")
            ));
        }
    }
    Outcome::Measured(Stat::of(samples))
}

/// The crates other than `package` that a cargo log says it compiled or checked.
fn compiled_others(log: &str, package: &str) -> Vec<String> {
    log.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let rest = l
                .strip_prefix("Checking ")
                .or_else(|| l.strip_prefix("Compiling "))?;
            let name = rest.split_whitespace().next()?;
            (name != package).then(|| name.to_owned())
        })
        .collect()
}

/// The normal dependencies of the crate in `dir`, as `name@version` for `cargo -p`.
fn dependencies(dir: &Path, target: &Path) -> Result<Vec<String>, String> {
    let host = Command::new("rustc")
        .arg("-vV")
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        })
        .ok_or("rustc -vV names no host")?;
    let out = cargo(dir, target)
        .args(["metadata", "--offline", "--format-version", "1"])
        .args(["--filter-platform", &host])
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata: {}",
            measure::first_error_lines(&String::from_utf8_lossy(&out.stderr))
        ));
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    let packages: BTreeMap<&str, String> = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            Some((
                p["id"].as_str()?,
                format!("{}@{}", p["name"].as_str()?, p["version"].as_str()?),
            ))
        })
        .collect();
    let root = metadata["resolve"]["root"]
        .as_str()
        .ok_or("cargo metadata: no root package")?;
    let node = metadata["resolve"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|n| n["id"].as_str() == Some(root))
        .ok_or("cargo metadata: the root package is not resolved")?;
    let mut found: Vec<String> = node["deps"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| {
            d["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|k| k["kind"].is_null() || k["kind"].as_str() == Some("build"))
        })
        .filter_map(|d| packages.get(d["pkg"].as_str()?).cloned())
        .collect();
    found.sort();
    found.dedup();
    Ok(found)
}

/// Our crate of the large spec checked with one tag feature on (`--no-default-features
/// --features <tag>`): the tag with the most operations and a median-sized one, each against
/// the whole crate's check.
fn tag_costs(
    env: &Env,
    spec: &str,
    spec_path: &Path,
    whole: &CompileRow,
    runs: usize,
) -> tags::TagCosts {
    let mut costs = tags::TagCosts::default();
    let dir = env.work.join("gen").join(Tool::Clientgen.slug()).join(spec);
    let target = env.work.join(format!("compile-{}", Tool::Clientgen.slug()));
    let manifest = match std::fs::read_to_string(dir.join("Cargo.toml")) {
        Ok(text) => text,
        Err(e) => {
            costs.note = Some(format!("Cargo.toml: {e}"));
            return costs;
        }
    };
    costs.features = match tags::features(&manifest) {
        Ok(f) => f,
        Err(e) => {
            costs.note = Some(e);
            return costs;
        }
    };
    if costs.features.is_empty() {
        costs.note = Some("the generated crate has no tag features".into());
        eprintln!("    {spec} / clientgen: no tag features in Cargo.toml");
        return costs;
    }
    if whole.check.stat().is_none() {
        costs.note = Some("the whole crate's check failed".into());
        return costs;
    }
    let per_tag = match tags::operations_per_tag(spec_path) {
        Ok((_, per_tag)) => per_tag,
        Err(e) => {
            costs.note = Some(e);
            return costs;
        }
    };
    let picks = tags::picks(&costs.features, &per_tag);
    if picks.is_empty() {
        costs.note = Some("no tag feature matches a tag of the spec's operations".into());
    }
    for (which, feature, operations) in picks {
        let log = env
            .work
            .join("logs")
            .join(format!("check-tag-{feature}-clientgen-{spec}.log"));
        let check = timed_checks(
            &dir,
            &target,
            &whole.package,
            &["--no-default-features", "--features", &feature],
            runs,
            &log,
        );
        report_line(
            &format!("{spec} / clientgen: --features {feature} ({operations} ops)"),
            &check,
        );
        costs.picks.push(tags::TagCost {
            which,
            feature,
            operations,
            check,
        });
    }
    costs
}

/// `cargo` under the large spec's address-space cap and time limit.
fn capped(dir: &Path, target: &Path) -> Command {
    let mut c = Command::new("prlimit");
    c.arg(format!("--as={LARGE_MEMORY_CAP}"))
        .args(["timeout", "--kill-after=10", &LARGE_TIMEOUT_S.to_string()])
        .arg(env!("CARGO"));
    settle(&mut c, dir, target);
    c
}

/// Installs the pinned npm package of the large spec; returns the spec's path.
fn install_large(root: &Path) -> Result<PathBuf, String> {
    let package = crate::npm_pin::Pin {
        project: root.join("xtask/bench-specs"),
        prefix: root.join("target/bench-specs"),
        package: LARGE.package,
        version: LARGE.version,
        size: "about 400 MB unpacked",
    }
    .install()?;
    let spec = package.join(LARGE.file);
    if !spec.is_file() {
        return Err(format!(
            "{}@{} has no {}",
            LARGE.package, LARGE.version, LARGE.file
        ));
    }
    Ok(spec)
}

/// The working folder and environment of every cargo the bench runs on a generated crate.
fn settle(c: &mut Command, dir: &Path, target: &Path) {
    c.current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_TARGET_DIR");
}

fn cargo(dir: &Path, target: &Path) -> Command {
    let mut c = Command::new(env!("CARGO"));
    settle(&mut c, dir, target);
    c
}

fn package_name(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package {
            if let Some(rest) = line.strip_prefix("name") {
                let value = rest.trim_start().strip_prefix('=')?.trim();
                return Some(value.trim_matches('"').to_owned());
            }
        }
    }
    None
}

/// Runs the criterion bench and reads its estimates.
fn decode(env: &Env, quick: bool) -> Decode {
    let started = SystemTime::now();
    let mut args = vec![
        "bench",
        "-p",
        "integration-tests",
        "--bench",
        "decode",
        "--",
        "--noplot",
    ];
    if quick {
        args.extend(["--warm-up-time", "1", "--measurement-time", "3"]);
    }
    let log = env.work.join("logs/decode.log");
    let mut c = Command::new(env!("CARGO"));
    c.args(&args).current_dir(&env.root);
    eprintln!("    cargo {} (log: {})", args.join(" "), log.display());
    if let Err(e) = measure::run(&mut c, &log) {
        eprintln!("    FAILED: {e}");
        return Decode {
            error: Some(e),
            ..Decode::default()
        };
    }
    let mut decode = Decode::default();
    let criterion = env.root.join("target/criterion");
    let mut stack = vec![criterion];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.file_name().and_then(|n| n.to_str()) != Some("benchmark.json")
                || path.parent().and_then(|p| p.file_name()) != Some("new".as_ref())
            {
                continue;
            }
            let fresh = entry
                .metadata()
                .and_then(|m| m.modified())
                .map(|t| t >= started)
                .unwrap_or(false);
            if !fresh {
                continue;
            }
            let Some(figure) = read_criterion(&path, &mut decode.bytes) else {
                continue;
            };
            decode.figures.push(figure);
        }
    }
    decode.figures.sort_by(|a, b| a.name.cmp(&b.name));
    for f in &decode.figures {
        eprintln!("    {:<58} {:>8.1} MB/s", f.name, f.mb_per_s);
    }
    if decode.figures.is_empty() {
        decode.error = Some("criterion wrote no estimates".into());
    }
    decode
}

fn read_criterion(benchmark: &Path, bytes: &mut u64) -> Option<DecodeFigure> {
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(benchmark).ok()?).ok()?;
    if !meta["group_id"].as_str()?.starts_with("decode") {
        return None;
    }
    let name = meta["function_id"].as_str()?.to_owned();
    let throughput = meta["throughput"]["Bytes"]
        .as_u64()
        .or_else(|| meta["throughput"]["BytesDecimal"].as_u64())?;
    let estimates: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(benchmark.with_file_name("estimates.json")).ok()?,
    )
    .ok()?;
    let median_ns = estimates["median"]["point_estimate"].as_f64()?;
    *bytes = throughput;
    Some(DecodeFigure {
        name,
        median_ns,
        mb_per_s: throughput as f64 / median_ns * 1e3,
    })
}

fn install_progenitor(tools: &Path) -> Result<PathBuf, String> {
    let root = tools.join("progenitor");
    let bin = root.join("bin/cargo-progenitor");
    let receipt = std::fs::read_to_string(root.join(".crates.toml")).unwrap_or_default();
    if bin.is_file() && receipt.contains(&format!("cargo-progenitor {PROGENITOR_VERSION}")) {
        eprintln!("    cargo-progenitor {PROGENITOR_VERSION}: present");
        return Ok(bin);
    }
    eprintln!("    cargo install --locked cargo-progenitor --version {PROGENITOR_VERSION}");
    let status = Command::new(env!("CARGO"))
        .args(["install", "--locked", "cargo-progenitor", "--version"])
        .arg(PROGENITOR_VERSION)
        .arg("--root")
        .arg(&root)
        .env_remove("CARGO_TARGET_DIR")
        // Some of its dependencies ship a `rust-toolchain.toml` naming a toolchain this
        // machine does not have; rustup would obey it when cargo runs rustc in their folder.
        // The build uses the toolchain that runs this bench instead.
        .envs(this_toolchain().map(|name| ("RUSTUP_TOOLCHAIN", name)))
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() || !bin.is_file() {
        return Err("cargo install cargo-progenitor failed".into());
    }
    Ok(bin)
}

/// The rustup toolchain this program's cargo belongs to (`…/toolchains/<name>/bin/cargo`),
/// when cargo is a rustup toolchain's.
fn this_toolchain() -> Option<String> {
    let cargo = Path::new(env!("CARGO"));
    let toolchain = cargo.parent()?.parent()?;
    let toolchains = toolchain.parent()?;
    (toolchains.file_name()? == "toolchains")
        .then(|| toolchain.file_name()?.to_str().map(str::to_owned))
        .flatten()
}

/// A venv with the PyPI wheel `openapi-generator-cli`, which bundles the generator's jar and
/// runs it on the `java` found on PATH.
fn install_openapi_generator(tools: &Path) -> Result<(PathBuf, String), String> {
    let venv = tools.join("venv");
    let bin = venv.join("bin/openapi-generator-cli");
    let marker = venv.join(format!(
        ".openapi-generator-cli-{OPENAPI_GENERATOR_VERSION}"
    ));
    if !(bin.is_file() && marker.is_file()) {
        eprintln!(
            "    python3 -m venv + pip install openapi-generator-cli=={OPENAPI_GENERATOR_VERSION}"
        );
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .map_err(|e| format!("python3: {e}"))?
            .success();
        if !ok {
            return Err("python3 -m venv failed".into());
        }
        let ok = Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(format!(
                "openapi-generator-cli=={OPENAPI_GENERATOR_VERSION}"
            ))
            .status()
            .map_err(|e| format!("pip: {e}"))?
            .success();
        if !ok || !bin.is_file() {
            return Err("pip install openapi-generator-cli failed".into());
        }
        std::fs::write(&marker, "").map_err(|e| e.to_string())?;
    } else {
        eprintln!("    openapi-generator-cli {OPENAPI_GENERATOR_VERSION}: present");
    }
    let out = Command::new(&bin)
        .arg("version")
        .output()
        .map_err(|e| e.to_string())?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if !out.status.success() || version.is_empty() {
        return Err(format!(
            "openapi-generator-cli version: {}",
            measure::first_error_lines(&String::from_utf8_lossy(&out.stderr))
        ));
    }
    Ok((bin, format!("openapi-generator {version} (PyPI openapi-generator-cli {OPENAPI_GENERATOR_VERSION}, bundled jar)")))
}

fn cargo_at(dir: &Path, args: &[&str]) -> Result<(), String> {
    let started = Instant::now();
    let status = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    eprintln!("    took {:.1} s", started.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo {} failed", args.join(" ")))
    }
}

fn first_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .map(|o| {
            let text = if o.stdout.is_empty() {
                o.stderr
            } else {
                o.stdout
            };
            String::from_utf8_lossy(&text)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_owned()
        })
        .unwrap_or_else(|e| format!("unavailable: {e}"))
}

fn our_version(root: &Path) -> String {
    let head = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let dirty = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .current_dir(root)
        .output()
        .map(|o| !o.stdout.is_empty())
        .unwrap_or(false);
    format!(
        "clientgen at {}{} (release build of xtask)",
        if head.is_empty() { "?" } else { &head },
        if dirty { " + uncommitted changes" } else { "" }
    )
}

pub(crate) fn machine() -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name")?.split_once(':').map(|x| x.1))
        .unwrap_or("?")
        .trim()
        .to_owned();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let ram_kib: f64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    let os = std::fs::read_to_string("/etc/os-release")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .unwrap_or("?")
        .trim_matches('"')
        .to_owned();
    Machine {
        nproc: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        cpu,
        ram_gib: ram_kib / 1024.0 / 1024.0,
        os: format!("{os}, Linux {}", first_line("uname", &["-r"])),
        rustc: first_line("rustc", &["-V"]),
        cargo: first_line(env!("CARGO"), &["-V"]),
        java: first_line("java", &["-version"]),
        python: first_line("python3", &["--version"]),
        loadavg_start: loadavg(),
        loadavg_end: String::new(),
    }
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

pub(crate) fn date() -> String {
    first_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"])
}

fn command_line() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    format!("cargo xtask {}", args.join(" "))
}
