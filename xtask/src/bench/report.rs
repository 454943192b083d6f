//! BENCHMARKS.md and the terminal tables, from the results of one run.

use std::fmt::Write as _;

use super::{CompileRow, Outcome, Results, Tool};

/// The hand-written analysis between these markers survives regeneration of BENCHMARKS.md.
const KEEP_START: &str = "<!-- analysis: kept when `cargo xtask bench` rewrites this file -->";
const KEEP_END: &str = "<!-- end of analysis -->";

pub fn secs(s: f64) -> String {
    if !s.is_finite() {
        "?".into()
    } else if s < 1.0 {
        format!("{:.0} ms", s * 1e3)
    } else if s < 10.0 {
        format!("{s:.2} s")
    } else {
        format!("{s:.1} s")
    }
}

fn ratio(x: f64) -> String {
    if x >= 10.0 {
        format!("{x:.0}×")
    } else {
        format!("{x:.1}×")
    }
}

fn kb(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.2} MB", bytes as f64 / 1e6)
    } else {
        format!("{:.1} kB", bytes as f64 / 1e3)
    }
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Errors are listed under a table and referred to by number.
struct Notes(Vec<String>);

impl Notes {
    fn cell(&mut self, outcome: &Outcome, show: impl Fn(&super::Stat) -> String) -> String {
        match outcome {
            Outcome::Measured(s) => show(s),
            Outcome::Failed(e) => {
                self.0.push(e.clone());
                format!("fails [{}]", self.0.len())
            }
        }
    }

    fn flush(&mut self, md: &mut String) {
        if self.0.is_empty() {
            return;
        }
        md.push('\n');
        for (i, e) in self.0.iter().enumerate() {
            let e = e.replace('|', "\\|").replace('`', "'");
            let _ = writeln!(md, "- [{}] `{e}`", i + 1);
        }
        self.0.clear();
    }
}

fn tool_label(tool: Tool) -> &'static str {
    match tool {
        Tool::Clientgen => "clientgen (ours)",
        Tool::Progenitor => "progenitor",
        Tool::OpenapiGenerator => "openapi-generator",
    }
}

fn generation_tables(r: &Results, md: &mut String) {
    if r.generation.is_empty() {
        md.push_str("Not run.\n");
        return;
    }
    let mut notes = Notes(Vec::new());
    md.push_str("| spec | size | clientgen (ours) | progenitor | openapi-generator | progenitor ÷ ours | openapi-generator ÷ ours |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for row in &r.generation {
        let ours = row
            .tools
            .get(&Tool::Clientgen)
            .and_then(|g| g.outcome.stat())
            .map(|s| s.median_s);
        let mut cells = Vec::new();
        let mut ratios = Vec::new();
        for tool in Tool::ALL {
            match row.tools.get(&tool) {
                None => cells.push("not run".to_owned()),
                Some(g) => cells.push(notes.cell(&g.outcome, |s| secs(s.median_s))),
            }
            if tool != Tool::Clientgen {
                let other = row
                    .tools
                    .get(&tool)
                    .and_then(|g| g.outcome.stat())
                    .map(|s| s.median_s);
                ratios.push(match (ours, other) {
                    (Some(a), Some(b)) => ratio(b / a),
                    _ => "–".into(),
                });
            }
        }
        let _ = writeln!(
            md,
            "| {}{} | {} | {} | {} | {} | {} | {} |",
            row.spec,
            if row.origin == "specs" {
                " (specs/)"
            } else {
                ""
            },
            kb(row.bytes),
            cells[0],
            cells[1],
            cells[2],
            ratios[0],
            ratios[1]
        );
    }
    notes.flush(md);
    md.push_str("\nPeak resident set size, and size of the Rust code written:\n\n");
    md.push_str("| spec | clientgen (ours) | progenitor | openapi-generator | progenitor ÷ ours | openapi-generator ÷ ours |\n|---|---:|---:|---:|---:|---:|\n");
    for row in &r.generation {
        let rss = |tool: Tool| {
            row.tools
                .get(&tool)
                .and_then(|g| g.outcome.stat())
                .map(|s| s.median_rss_mib)
        };
        let cell = |tool: Tool| match (row.tools.get(&tool), rss(tool)) {
            (Some(g), Some(m)) => format!(
                "{m:.0} MiB, {} lines / {} files",
                thousands(g.rust_lines),
                g.rust_files
            ),
            (Some(_), None) => "fails".into(),
            (None, _) => "not run".into(),
        };
        let rat = |tool: Tool| match (rss(Tool::Clientgen), rss(tool)) {
            (Some(a), Some(b)) => ratio(b / a),
            _ => "–".into(),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} |",
            row.spec,
            cell(Tool::Clientgen),
            cell(Tool::Progenitor),
            cell(Tool::OpenapiGenerator),
            rat(Tool::Progenitor),
            rat(Tool::OpenapiGenerator)
        );
    }
    if let Some(total) = r.specs_folder_s {
        let _ = write!(
            md,
            "\nWhole `specs/` folder with our generator: **{}** as the sum of the {} per-spec medians above (one process per spec)",
            secs(total),
            r.specs_folder_count
        );
        match &r.specs_folder_one_process {
            Some(Outcome::Measured(s)) => {
                let _ = writeln!(
                    md,
                    "; **{}** ({:.0} MiB) for every vendor in one process (`xtask regen --check`, release, median of {}).",
                    secs(s.median_s),
                    s.median_rss_mib,
                    s.runs
                );
            }
            Some(Outcome::Failed(e)) => {
                let _ = writeln!(md, "; in one process (`regen --check`): fails: `{e}`.");
            }
            None => md.push_str(".\n"),
        }
    }
}

fn scaling_table(r: &Results, md: &mut String) {
    let Some(s) = &r.scaling else {
        md.push_str("Not run.\n");
        return;
    };
    let mut notes = Notes(Vec::new());
    let base = s
        .points
        .first()
        .and_then(|p| p.outcome.stat())
        .map(|x| x.median_s);
    md.push_str("| copies | spec size | Rust lines out | time (median) | ÷ time at 1× | peak RSS |\n|---:|---:|---:|---:|---:|---:|\n");
    for p in &s.points {
        let time = notes.cell(&p.outcome, |x| secs(x.median_s));
        let rel = match (base, p.outcome.stat()) {
            (Some(b), Some(x)) => format!("{:.2}", x.median_s / b),
            _ => "–".into(),
        };
        let rss = p
            .outcome
            .stat()
            .map(|x| format!("{:.0} MiB", x.median_rss_mib))
            .unwrap_or_else(|| "–".into());
        let _ = writeln!(
            md,
            "| {}× | {} | {} | {} | {} | {} |",
            p.factor,
            kb(p.bytes),
            thousands(p.rust_lines),
            time,
            rel,
            rss
        );
    }
    notes.flush(md);
    match s.exponent {
        Some(b) => {
            let _ = writeln!(
                md,
                "\nLeast-squares fit of ln(time) on ln(copies): **exponent {b:.2}** (1 = linear; the fixed start-up of the process pulls it below 1)."
            );
        }
        None => md.push_str("\nToo few points for a fit.\n"),
    }
}

fn compile_table(r: &Results, md: &mut String) {
    if r.compile.is_empty() {
        md.push_str("Not run.\n");
        return;
    }
    let mut notes = Notes(Vec::new());
    md.push_str("| spec | generator | Rust lines | `cargo check` | peak RSS | `cargo build` | peak RSS | ÷ ours (check / build) | clean `cargo build` (deps included, once) |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for row in &r.compile {
        let ours = r
            .compile
            .iter()
            .find(|o| o.spec == row.spec && o.tool == Tool::Clientgen);
        let rel = |pick: fn(&CompileRow) -> &Outcome| -> String {
            match (
                ours.and_then(|o| pick(o).stat()),
                pick(row).stat(),
                row.tool == Tool::Clientgen,
            ) {
                (_, _, true) => "1".into(),
                (Some(a), Some(b), _) => format!("{:.2}", b.median_s / a.median_s),
                _ => "–".into(),
            }
        };
        let check = notes.cell(&row.check, |s| secs(s.median_s));
        let build = notes.cell(&row.build, |s| secs(s.median_s));
        let rss = |o: &Outcome| {
            o.stat()
                .map(|s| format!("{:.0} MiB", s.median_rss_mib))
                .unwrap_or_else(|| "–".into())
        };
        let clean = match &row.clean_build {
            None => "–".to_owned(),
            Some(o) => notes.cell(o, |s| {
                format!("{} ({:.0} MiB)", secs(s.median_s), s.median_rss_mib)
            }),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} / {} | {} |",
            row.spec,
            tool_label(row.tool),
            thousands(row.rust_lines),
            check,
            rss(&row.check),
            build,
            rss(&row.build),
            rel(|r| &r.check),
            rel(|r| &r.build),
            clean
        );
    }
    notes.flush(md);
}

fn decode_table(r: &Results, md: &mut String) {
    let Some(d) = &r.decode else {
        md.push_str("Not run.\n");
        return;
    };
    if let Some(e) = &d.error {
        let _ = writeln!(md, "The bench failed: `{e}`\n");
    }
    if d.figures.is_empty() {
        return;
    }
    // Each decoder against the hand-written one measured the same way (drop timed or not).
    const UNTIMED_DROP: &str = " (drop not timed)";
    let hand = |name: &str| {
        let wanted = if name.ends_with(UNTIMED_DROP) {
            format!("hand-written serde structs{UNTIMED_DROP}")
        } else {
            "hand-written serde structs".to_owned()
        };
        d.figures
            .iter()
            .find(|f| f.name == wanted)
            .map(|f| f.median_ns)
    };
    let _ = writeln!(
        md,
        "Input: {} of JSON (10,000 alerts). MB = 10⁶ bytes; time is criterion's median per decode.\n",
        kb(d.bytes)
    );
    md.push_str(
        "| decoder | MB/s | time per decode | time ÷ hand-written (measured the same way) |\n|---|---:|---:|---:|\n",
    );
    for f in &d.figures {
        let rel = hand(&f.name)
            .map(|h| format!("{:.2}", f.median_ns / h))
            .unwrap_or_else(|| "–".into());
        let _ = writeln!(
            md,
            "| {} | {:.0} | {} | {} |",
            f.name,
            f.mb_per_s,
            secs(f.median_ns / 1e9),
            rel
        );
    }
}

/// Verdicts on the issue's targets: (target, figure, met).
fn targets(r: &Results) -> Vec<(String, String, Option<bool>)> {
    let mut out = Vec::new();
    let gen = |spec: &str, tool: Tool| {
        r.generation
            .iter()
            .find(|g| g.spec == spec)?
            .tools
            .get(&tool)?
            .outcome
            .stat()
            .map(|s| s.median_s)
    };
    for (tool, want) in [(Tool::Progenitor, 5.0), (Tool::OpenapiGenerator, 20.0)] {
        let figure = match (gen("nexus", Tool::Clientgen), gen("nexus", tool)) {
            (Some(a), Some(b)) => (
                format!("{} vs {}: {}", secs(a), secs(b), ratio(b / a)),
                Some(b / a >= want),
            ),
            _ => ("not measured".into(), None),
        };
        out.push((
            format!(
                "generation ≥{want:.0}× faster than {} on nexus.json",
                tool.slug()
            ),
            figure.0,
            figure.1,
        ));
    }
    out.push((
        "whole specs/ folder under 200 ms".into(),
        match (r.specs_folder_s, &r.specs_folder_one_process) {
            (Some(sum), Some(Outcome::Measured(one))) => format!(
                "{} summed over {} processes, {} in one",
                secs(sum),
                r.specs_folder_count,
                secs(one.median_s)
            ),
            (Some(sum), _) => format!("{} summed", secs(sum)),
            _ => "not measured".into(),
        },
        // The target is the maintainer's command, `cargo xtask regen`: one process for the
        // folder. The sum of one process per spec is shown beside it.
        match &r.specs_folder_one_process {
            Some(Outcome::Measured(one)) => Some(one.median_s < 0.2),
            _ => r.specs_folder_s.map(|s| s < 0.2),
        },
    ));
    let comp = |tool: Tool, verb: fn(&CompileRow) -> &Outcome| {
        r.compile
            .iter()
            .find(|c| c.spec == "nexus" && c.tool == tool)
            .and_then(|c| verb(c).stat())
            .map(|s| s.median_s)
    };
    for (verb, pick) in [
        (
            "checks",
            (|c: &CompileRow| &c.check) as fn(&CompileRow) -> &Outcome,
        ),
        ("builds", |c: &CompileRow| &c.build),
    ] {
        let (figure, met) = match (comp(Tool::Clientgen, pick), comp(Tool::Progenitor, pick)) {
            (Some(a), Some(b)) => (format!("{} vs {}", secs(a), secs(b)), Some(a < b)),
            _ => ("not measured".into(), None),
        };
        out.push((
            format!("nexus crate {verb} faster than progenitor's"),
            figure,
            met,
        ));
    }
    let decode = r.decode.as_ref().and_then(|d| {
        let find = |n: &str| d.figures.iter().find(|f| f.name == n).map(|f| f.median_ns);
        Some((
            find("generated, capturing unknown members")?,
            find("generated, skipping unknown members"),
            find("hand-written serde structs")?,
        ))
    });
    let (figure, met) = match decode {
        Some((capture, skip, hand)) => (
            format!(
                "{:.2}× with unknown-member capture{}",
                capture / hand,
                skip.map(|s| format!(", {:.2}× without", s / hand))
                    .unwrap_or_default()
            ),
            Some(capture / hand <= 1.3),
        ),
        None => ("not measured".into(), None),
    };
    out.push(("decode within 1.3× of hand-written".into(), figure, met));
    if let Some(b) = r.scaling.as_ref().and_then(|s| s.exponent) {
        out.push((
            "generation time grows linearly with spec size".into(),
            format!("exponent {b:.2}"),
            Some(b <= 1.1),
        ));
    }
    out
}

fn targets_table(r: &Results, md: &mut String) {
    md.push_str("| target | measured | met |\n|---|---|---|\n");
    for (target, figure, met) in targets(r) {
        let verdict = match met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "–",
        };
        let _ = writeln!(md, "| {target} | {figure} | {verdict} |");
    }
}

/// The tables alone, for the terminal.
pub fn tables(r: &Results) -> String {
    let mut md = String::new();
    md.push_str("\n## Generation time (median of whole-process runs)\n\n");
    generation_tables(r, &mut md);
    md.push_str("\n## Scaling\n\n");
    scaling_table(r, &mut md);
    md.push_str("\n## Compile cost\n\n");
    compile_table(r, &mut md);
    md.push_str("\n## Decode\n\n");
    decode_table(r, &mut md);
    md.push_str("\n## Targets\n\n");
    targets_table(r, &mut md);
    md
}

pub fn markdown(r: &Results, previous: &str) -> String {
    let kept = previous
        .split_once(KEEP_START)
        .and_then(|(_, rest)| rest.split_once(KEEP_END))
        .map(|(body, _)| body.trim().to_owned())
        .unwrap_or_else(|| "No analysis written yet.".to_owned());
    let m = &r.machine;
    let mut md = String::new();
    md.push_str("# Benchmarks\n\n");
    let _ = writeln!(
        md,
        "This generator (clientgen) against [progenitor](https://crates.io/crates/cargo-progenitor) and [openapi-generator](https://pypi.org/project/openapi-generator-cli/) (`-g rust`) on the same inputs. Written by `cargo xtask bench` on {}{}; raw figures in `target/bench/results.json`.\n",
        r.date,
        if r.quick { " with `--quick` (fewer runs: a smoke test, not figures to quote)" } else { "" }
    );
    md.push_str("Reproduce with one command from the repository root (installs the other tools, pinned, under `target/bench-tools/` the first time; about half an hour on 2 cores):\n\n```sh\ncargo xtask bench\n```\n\n");
    let _ = writeln!(md, "This run: `{}`.\n", r.command);
    md.push_str("## Method\n\n");
    let _ = writeln!(
        md,
        "- Every figure is a **whole process** timed from spawn to exit, **median of {} runs** after one untimed warm-up run (compiles: median of {} runs). Peak memory is the child's `ru_maxrss` from `wait4` — the figure `/usr/bin/time -v` prints as *Maximum resident set size*: the largest RSS among the process and the processes it waited for (for openapi-generator, the JVM under its Python launcher; for cargo, the largest rustc). Every output folder is emptied before each run.",
        r.runs, r.compile_runs
    );
    md.push_str("- **Our generator** is the release build of xtask (`target/xtask/release/xtask generate --spec S --out DIR --crate-name N`), built by the bench before it measures. **progenitor** is `cargo-progenitor progenitor -i S -o DIR -n N -v 0.1.0` (the binary `cargo progenitor` runs, called directly so that cargo's own start-up is not counted). **openapi-generator** is the PyPI launcher `openapi-generator-cli generate -i S -g rust -o DIR --additional-properties packageName=N,packageVersion=0.1.0`, which runs the jar bundled in the wheel on the installed Java; its figures include the Python launcher and JVM start-up, as a user running it pays them.\n");
    md.push_str("- **Inputs**: every spec in `tests/corpus/` and every `specs/*/openapi.yaml` present at run time. A tool that refuses a spec gets the first line(s) of its error instead of a number.\n");
    md.push_str("- **Scaling**: `specs/sekoia/openapi.yaml` copied k = 1, 2, 4, 8, 16 times into one spec (`target/bench/scaling/`): each copy's paths under `/copyN`, operation ids suffixed `_cN`, schemas, parameters and responses renamed `…CN` with every `$ref` and the operation ids of `x-clientgen-job` rewritten to the copy. Only our generator is timed; the exponent is the slope of a least-squares fit of ln(time) on ln(k).\n");
    md.push_str("- **Compile cost**: each generated crate is built in a target directory of its own per generator (`target/bench/compile-<tool>`) where its **dependencies are already built**; each run is `cargo clean -p <crate>` followed by `cargo build` (debug) or `cargo check`, so the figure is the cost of the generated crate alone. Crates generated by the other tools get an empty `[workspace]` table appended (they are generated inside this repository's tree) and resolve their own dependency versions; ours uses this repository's `Cargo.lock`. The clean build is `cargo build` in an empty target directory with sources already downloaded, run once. Default profiles of each crate (the root workspace's profile settings do not apply).\n");
    md.push_str("- **Decode**: `cargo bench -p integration-tests --bench decode` (criterion) decodes the same 10,000 Sekoia alerts (with members the spec does not list) with the generated types (capturing unknown members, as clients do), the same types generated without capture, a hand-written `#[derive(Deserialize)]` struct set with the same members and types (plain serde, unknown members skipped), and `serde_json::Value`; all in one run.\n");
    md.push_str("- The other agents' builds and anything else running make figures noisy: the load average is recorded below. Compare figures of one run with each other, not across runs.\n\n");
    md.push_str("## Machine\n\n");
    let _ = writeln!(
        md,
        "- {} logical CPUs, {}; {:.1} GiB RAM; {}\n- {}; {}; {}; {}\n- load average at start {}, at end {}\n",
        m.nproc, m.cpu, m.ram_gib, m.os, m.rustc, m.cargo, m.java, m.python, m.loadavg_start, m.loadavg_end
    );
    md.push_str("## Tool versions\n\n");
    for (tool, version) in &r.tools {
        let _ = writeln!(md, "- {}: {version}", tool_label(*tool));
    }
    md.push_str("\n## Targets\n\n");
    targets_table(r, &mut md);
    md.push_str("\n## Generation time\n\nMedian wall time per whole process; the ratios are the other tool's time divided by ours on the same spec.\n\n");
    generation_tables(r, &mut md);
    md.push_str("\n## Scaling\n\n");
    scaling_table(r, &mut md);
    md.push_str("\n## Compile cost of the generated code\n\nThe generated crate alone, dependencies prebuilt (`cargo clean -p <crate>` then the command), median wall time and peak RSS; the ratio is the other crate's time divided by ours for the same spec.\n\n");
    compile_table(r, &mut md);
    md.push_str("\n## Decode throughput\n\n");
    decode_table(r, &mut md);
    md.push_str("\n## Where the time goes\n\n");
    let _ = writeln!(md, "{KEEP_START}\n{kept}\n{KEEP_END}");
    md
}
