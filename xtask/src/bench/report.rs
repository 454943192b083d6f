//! BENCHMARKS.md and the terminal tables, from the results of one run.

use std::fmt::Write as _;

use super::chart::Charts;
use super::{CompileRow, Outcome, Results, Tool, LARGE};

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

/// Memory in MiB, or GiB past 1,024 MiB.
fn mib(m: f64) -> String {
    if m >= 1024.0 {
        format!("{:.2} GiB", m / 1024.0)
    } else {
        format!("{m:.0} MiB")
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
            match row.origin.as_str() {
                "specs" => " (specs/)",
                "npm" => " (npm)",
                _ => "",
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
        let rel = |pick: fn(&CompileRow) -> Option<&Outcome>| -> String {
            match (
                ours.and_then(|o| pick(o)?.stat()),
                pick(row).and_then(Outcome::stat),
                row.tool == Tool::Clientgen && pick(row).is_some(),
            ) {
                (_, _, true) => "1".into(),
                (Some(a), Some(b), _) => format!("{:.2}", b.median_s / a.median_s),
                _ => "–".into(),
            }
        };
        let check = notes.cell(&row.check, |s| secs(s.median_s));
        let build = match &row.build {
            Some(o) => notes.cell(o, |s| secs(s.median_s)),
            None => "not run".to_owned(),
        };
        let rss = |o: Option<&Outcome>| {
            o.and_then(Outcome::stat)
                .map(|s| mib(s.median_rss_mib))
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
            rss(Some(&row.check)),
            build,
            rss(row.build.as_ref()),
            rel(|r| Some(&r.check)),
            rel(|r| r.build.as_ref()),
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

/// The per-tag checks of our crate of the large spec, against the whole crate's check.
fn tags_table(r: &Results, md: &mut String) {
    let Some(large) = &r.large else {
        md.push_str("Not run (the large spec was left out).\n");
        return;
    };
    let Some(tags) = &large.tags else {
        md.push_str("Not run (`--skip tags`, or our crate of the large spec was not checked).\n");
        return;
    };
    if tags.features.is_empty() {
        let _ = writeln!(
            md,
            "Our crate of the {} spec has no tag features (its `Cargo.toml` lists none in `[features]` besides `default`, `fake` and `other-types`): nothing to measure.",
            LARGE.name
        );
        return;
    }
    let whole = r
        .compile
        .iter()
        .find(|c| c.spec == LARGE.name && c.tool == Tool::Clientgen)
        .and_then(|c| c.check.stat());
    let _ = writeln!(
        md,
        "Our crate of the {} spec declares {} tag features. Each check below is `cargo check --no-default-features --features <tag>` after `cargo clean -p <crate>`; operations are counted under their first tag in the spec ({} in all).\n",
        LARGE.name,
        tags.features.len(),
        thousands(large.operations)
    );
    let mut notes = Notes(Vec::new());
    md.push_str("| features | operations | `cargo check` | ÷ whole | peak RSS | ÷ whole |\n|---|---:|---:|---:|---:|---:|\n");
    if let Some(w) = whole {
        let _ = writeln!(
            md,
            "| all (default) | {} | {} | 1 | {} | 1 |",
            thousands(large.operations),
            secs(w.median_s),
            mib(w.median_rss_mib)
        );
    }
    for pick in &tags.picks {
        let time = notes.cell(&pick.check, |s| secs(s.median_s));
        let (rss, time_share, rss_share) = match (pick.check.stat(), whole) {
            (Some(s), Some(w)) => (
                mib(s.median_rss_mib),
                percent(s.median_s / w.median_s),
                percent(s.median_rss_mib / w.median_rss_mib),
            ),
            (Some(s), None) => (mib(s.median_rss_mib), "–".into(), "–".into()),
            _ => ("–".into(), "–".into(), "–".into()),
        };
        let _ = writeln!(
            md,
            "| `{}` ({}) | {} | {} | {} | {} | {} |",
            pick.feature,
            pick.which,
            thousands(pick.operations),
            time,
            time_share,
            rss,
            rss_share
        );
    }
    notes.flush(md);
    if let Some(note) = &tags.note {
        let _ = writeln!(md, "\n{note}.");
    }
}

/// `1 run`, `3 runs`.
fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

fn percent(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

/// Verdicts on the targets: (target, figure, met).
fn targets(r: &Results) -> Vec<(String, String, Option<bool>)> {
    let mut out = Vec::new();
    let not_measured = || ("not measured".to_owned(), None);
    let gen = |spec: &str, tool: Tool| {
        r.generation
            .iter()
            .find(|g| g.spec == spec)?
            .tools
            .get(&tool)
    };
    let gen_s = |spec: &str, tool: Tool| gen(spec, tool)?.outcome.stat().map(|s| s.median_s);
    let check = |spec: &str, tool: Tool| {
        r.compile
            .iter()
            .find(|c| c.spec == spec && c.tool == tool)
            .and_then(|c| c.check.stat())
    };
    let large = LARGE.name;

    // The largest real spec.
    let ours = check(large, Tool::Clientgen);
    let (figure, met) = match ours {
        Some(s) => (
            mib(s.median_rss_mib),
            Some(s.median_rss_mib * 1024.0 * 1024.0 <= 2.5e9),
        ),
        None => not_measured(),
    };
    out.push((
        format!("{large} (largest real spec): our crate's `cargo check` peak memory ≤ 2.5 GB"),
        figure,
        met,
    ));
    let (figure, met) = match (ours, check(large, Tool::OpenapiGenerator)) {
        (Some(a), Some(b)) => (
            format!(
                "{} vs {}: {:.2}×",
                secs(a.median_s),
                secs(b.median_s),
                a.median_s / b.median_s
            ),
            Some(a.median_s <= 0.5 * b.median_s),
        ),
        _ => not_measured(),
    };
    out.push((
        format!("{large}: our crate's `cargo check` time ≤ 0.5× openapi-generator's"),
        figure,
        met,
    ));
    let (figure, met) = match gen_s(large, Tool::Clientgen) {
        Some(t) => (secs(t), Some(t <= 0.5)),
        None => not_measured(),
    };
    out.push((format!("{large}: our generation ≤ 0.5 s"), figure, met));

    // One tag of the large spec's crate.
    let target =
        "one tag enabled costs ≤ 15 % of the whole crate's `cargo check` (time and peak memory)";
    let tags = r.large.as_ref().and_then(|l| l.tags.as_ref());
    match tags {
        Some(t) if t.features.is_empty() => out.push((
            format!("{large}: {target}"),
            "the crate has no tag features".into(),
            None,
        )),
        Some(t) if !t.picks.is_empty() => {
            for pick in &t.picks {
                let (figure, met) = match (pick.check.stat(), ours) {
                    (Some(s), Some(w)) => {
                        let time = s.median_s / w.median_s;
                        let rss = s.median_rss_mib / w.median_rss_mib;
                        (
                            format!(
                                "{} of the time, {} of the memory",
                                percent(time),
                                percent(rss)
                            ),
                            Some(time <= 0.15 && rss <= 0.15),
                        )
                    }
                    _ => not_measured(),
                };
                out.push((
                    format!(
                        "{large}: {target}: `{}` ({}, {} operations)",
                        pick.feature, pick.which, pick.operations
                    ),
                    figure,
                    met,
                ));
            }
        }
        _ => {
            let (figure, met) = not_measured();
            out.push((format!("{large}: {target}"), figure, met));
        }
    }

    // nexus.json against progenitor.
    let lines = |tool: Tool| {
        gen("nexus", tool)
            .filter(|g| g.outcome.stat().is_some())
            .map(|g| g.rust_lines)
    };
    let (figure, met) = match (lines(Tool::Clientgen), lines(Tool::Progenitor)) {
        (Some(a), Some(b)) => (
            format!("{} vs {}", thousands(a), thousands(b)),
            Some(a <= b),
        ),
        _ => not_measured(),
    };
    out.push((
        "nexus.json: generated Rust lines ≤ progenitor's".into(),
        figure,
        met,
    ));
    for (tool, want) in [(Tool::Progenitor, 10.0), (Tool::OpenapiGenerator, 20.0)] {
        let (figure, met) = match (gen_s("nexus", Tool::Clientgen), gen_s("nexus", tool)) {
            (Some(a), Some(b)) => (
                format!("{} vs {}: {}", secs(a), secs(b), ratio(b / a)),
                Some(b / a >= want),
            ),
            _ => not_measured(),
        };
        out.push((
            format!(
                "nexus.json: generation ≥{want:.0}× faster than {}",
                tool.slug()
            ),
            figure,
            met,
        ));
    }

    // Decode.
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
            Some(capture / hand <= 1.10),
        ),
        None => not_measured(),
    };
    out.push((
        "decode with unknown-member capture within 1.10× of hand-written serde structs, drop included"
            .into(),
        figure,
        met,
    ));

    // Earlier targets that still apply.
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
    let comp = |tool: Tool, verb: fn(&CompileRow) -> Option<&Outcome>| {
        r.compile
            .iter()
            .find(|c| c.spec == "nexus" && c.tool == tool)
            .and_then(|c| verb(c)?.stat())
            .map(|s| s.median_s)
    };
    for (verb, pick) in [
        (
            "checks",
            (|c: &CompileRow| Some(&c.check)) as fn(&CompileRow) -> Option<&Outcome>,
        ),
        ("builds", |c: &CompileRow| c.build.as_ref()),
    ] {
        let (figure, met) = match (comp(Tool::Clientgen, pick), comp(Tool::Progenitor, pick)) {
            (Some(a), Some(b)) => (format!("{} vs {}", secs(a), secs(b)), Some(a < b)),
            _ => not_measured(),
        };
        out.push((
            format!("nexus crate {verb} faster than progenitor's"),
            figure,
            met,
        ));
    }
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
    md.push_str("\n## One tag feature\n\n");
    tags_table(r, &mut md);
    md.push_str("\n## Decode\n\n");
    decode_table(r, &mut md);
    md.push_str("\n## Targets\n\n");
    targets_table(r, &mut md);
    md
}

pub fn markdown(r: &Results, previous: &str, charts: &Charts) -> String {
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
    md.push_str("Reproduce with one command from the repository root (installs the other tools, pinned, under `target/bench-tools/` and the large spec under `target/bench-specs/` the first time; `--skip large` leaves out the large spec, which takes most of the time):\n\n```sh\ncargo xtask bench\n```\n\n");
    let _ = writeln!(md, "This run: `{}`.\n", r.command);
    md.push_str("## Method\n\n");
    let _ = writeln!(
        md,
        "- Every figure is a **whole process** timed from spawn to exit, **median of {}** after one untimed warm-up run (compiles: median of {}). Peak memory is the child's `ru_maxrss` from `wait4` — the figure `/usr/bin/time -v` prints as *Maximum resident set size*: the largest RSS among the process and the processes it waited for (for openapi-generator, the JVM under its Python launcher; for cargo, the largest rustc). Every output folder is emptied before each run.",
        plural(r.runs, "run"),
        plural(r.compile_runs, "run")
    );
    md.push_str("- **Our generator** is the release build of xtask (`target/xtask/release/xtask generate --spec S --out DIR --crate-name N`), built by the bench before it measures. **progenitor** is `cargo-progenitor progenitor -i S -o DIR -n N -v 0.1.0` (the binary `cargo progenitor` runs, called directly so that cargo's own start-up is not counted). **openapi-generator** is the PyPI launcher `openapi-generator-cli generate -i S -g rust -o DIR --additional-properties packageName=N,packageVersion=0.1.0`, which runs the jar bundled in the wheel on the installed Java; its figures include the Python launcher and JVM start-up, as a user running it pays them.\n");
    md.push_str("- **Inputs**: every spec in `tests/corpus/` and every `specs/*/openapi.yaml` present at run time, and the large spec below. A tool that refuses a spec gets the first line(s) of its error instead of a number.\n");
    let _ = write!(
        md,
        "- **Large spec** (`{}`): GitHub's REST API description, `{}` of the npm package `{}` {} (licence: {}, which lets us use it; OpenAPI 3.0.3",
        LARGE.name, LARGE.file, LARGE.package, LARGE.version, LARGE.licence
    );
    if let Some(large) = &r.large {
        let _ = write!(
            md,
            "; {}, {} operations",
            kb(large.bytes),
            thousands(large.operations)
        );
    }
    md.push_str("). Nothing of it is committed: it is pinned with its integrity hash in `xtask/bench-specs/package-lock.json` and installed by `npm ci` under `target/bench-specs/`. Every tool generates from it as from the other inputs. Its crates get `cargo check` only (a debug build of a crate that size is too slow to repeat), ");
    match &r.large {
        Some(large) => {
            let _ = write!(md, "median of {}", plural(large.compile_runs, "run"));
        }
        None => md.push_str("1 run by default"),
    }
    md.push_str(" (`--large-compile-runs`), each under a 16 GiB address-space cap and a one-hour limit. Instead of an untimed check of the whole crate first, its dependencies are checked alone (`cargo check -p <dependency>…`); a timed run whose log shows it still checked a dependency is discarded and run once more.\n");
    md.push_str("- **One tag feature**: when our crate of the large spec declares tag features (each OpenAPI tag a cargo feature, all on by default: every feature of its `Cargo.toml` but `default`, `fake` and `other-types`), `cargo check --no-default-features --features <tag>` is timed the same way for the tag with the most operations and for a median-sized one (operations counted under their first tag in the spec), each against the whole crate's check.\n");
    md.push_str("- **Scaling**: `specs/sekoia/openapi.yaml` copied k = 1, 2, 4, 8, 16 times into one spec (`target/bench/scaling/`): each copy's paths under `/copyN`, operation ids suffixed `_cN`, schemas, parameters and responses renamed `…CN` with every `$ref` and the operation ids of `x-clientgen-job` rewritten to the copy. Only our generator is timed; the exponent is the slope of a least-squares fit of ln(time) on ln(k).\n");
    md.push_str("- **Compile cost**: each generated crate is built in a target directory of its own per generator (`target/bench/compile-<tool>`) where its **dependencies are already built**; each run is `cargo clean -p <crate>` followed by `cargo build` (debug) or `cargo check`, so the figure is the cost of the generated crate alone. Crates generated by the other tools get an empty `[workspace]` table appended (they are generated inside this repository's tree) and resolve their own dependency versions; ours uses this repository's `Cargo.lock`. The clean build is `cargo build` in an empty target directory with sources already downloaded, run once. Default profiles of each crate (the root workspace's profile settings do not apply).\n");
    md.push_str("- **Decode**: `cargo bench -p integration-tests --bench decode` (criterion) decodes the same 10,000 Sekoia alerts (with members the spec does not list) with the generated types (capturing unknown members, as clients do), the same types generated without capture, a hand-written `#[derive(Deserialize)]` struct set with the same members and types (plain serde, unknown members skipped), and `serde_json::Value`; all in one run.\n");
    md.push_str("- **Charts** (`docs/bench/*.svg`) are drawn by the bench from the same run's figures (plotters, SVG backend).\n");
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
    if let Some(path) = &charts.scaling {
        let _ = writeln!(
            md,
            "\n![Generation time and Rust lines written against copies of the spec, with the straight line linear growth would follow]({path})"
        );
    }
    md.push_str("\n## Compile cost of the generated code\n\nThe generated crate alone, dependencies prebuilt (`cargo clean -p <crate>` then the command), median wall time and peak RSS; the ratio is the other crate's time divided by ours for the same spec.\n\n");
    compile_table(r, &mut md);
    if let Some(path) = &charts.compile {
        let _ = writeln!(
            md,
            "\n![cargo check time and peak memory of each generator's crate, per spec]({path})"
        );
    }
    md.push_str("\n## One tag feature\n\n");
    tags_table(r, &mut md);
    md.push_str("\n## Decode throughput\n\n");
    decode_table(r, &mut md);
    md.push_str("\n## Where the time goes\n\n");
    let _ = writeln!(md, "{KEEP_START}\n{kept}\n{KEEP_END}");
    md
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::measure::{Sample, Stat};
    use super::super::tags::{TagCost, TagCosts};
    use super::super::{LargeRun, Machine};
    use super::*;

    fn stat(seconds: f64, mib: u64) -> Outcome {
        Outcome::Measured(Stat::of(vec![Sample {
            wall_s: seconds,
            cpu_s: seconds,
            max_rss_kib: mib * 1024,
        }]))
    }

    fn check(tool: Tool, outcome: Outcome) -> CompileRow {
        CompileRow {
            spec: LARGE.name.into(),
            tool,
            package: "bench-github".into(),
            rust_lines: 700_000,
            build: None,
            check: outcome,
            clean_build: None,
        }
    }

    fn results(tags: TagCosts) -> Results {
        Results {
            date: String::new(),
            quick: false,
            runs: 1,
            compile_runs: 1,
            machine: Machine::default(),
            tools: BTreeMap::new(),
            generation: Vec::new(),
            specs_folder_s: None,
            specs_folder_count: 0,
            specs_folder_one_process: None,
            scaling: None,
            compile: vec![
                check(Tool::Clientgen, stat(100.0, 2000)),
                check(Tool::OpenapiGenerator, stat(400.0, 6000)),
            ],
            large: Some(LargeRun {
                spec: String::new(),
                bytes: 13_000_000,
                operations: 1223,
                compile_runs: 1,
                tags: Some(tags),
            }),
            decode: None,
            command: String::new(),
        }
    }

    fn verdict<'a>(
        targets: &'a [(String, String, Option<bool>)],
        starts: &str,
    ) -> Vec<&'a (String, String, Option<bool>)> {
        targets.iter().filter(|t| t.0.contains(starts)).collect()
    }

    #[test]
    fn large_spec_targets_are_judged_from_its_checks() {
        let targets = targets(&results(TagCosts::default()));
        let memory = verdict(&targets, "peak memory ≤ 2.5 GB");
        assert_eq!(memory[0].1, "1.95 GiB");
        assert_eq!(memory[0].2, Some(true));
        let time = verdict(&targets, "≤ 0.5× openapi-generator's");
        assert_eq!(time[0].2, Some(true), "{time:?}");
        let generation = verdict(&targets, "our generation ≤ 0.5 s");
        assert_eq!(generation[0].1, "not measured");
        assert_eq!(generation[0].2, None);
    }

    #[test]
    fn a_crate_without_tag_features_gets_no_per_tag_figures() {
        let r = results(TagCosts::default());
        let targets = targets(&r);
        let tag = verdict(&targets, "one tag enabled");
        assert_eq!(tag.len(), 1);
        assert_eq!(tag[0].1, "the crate has no tag features");
        assert_eq!(tag[0].2, None);
        let mut md = String::new();
        tags_table(&r, &mut md);
        assert!(md.contains("has no tag features"), "{md}");
        assert!(!md.contains('%'), "{md}");
    }

    #[test]
    fn each_checked_tag_is_a_share_of_the_whole_crate() {
        let r = results(TagCosts {
            features: vec!["repos".into(), "emojis".into()],
            picks: vec![
                TagCost {
                    which: "most operations".into(),
                    feature: "repos".into(),
                    operations: 204,
                    check: stat(20.0, 500),
                },
                TagCost {
                    which: "median".into(),
                    feature: "emojis".into(),
                    operations: 13,
                    check: stat(10.0, 250),
                },
            ],
            note: None,
        });
        let targets = targets(&r);
        let tags = verdict(&targets, "one tag enabled");
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[0].1, "20 % of the time, 25 % of the memory");
        assert_eq!(tags[0].2, Some(false));
        assert_eq!(tags[1].1, "10 % of the time, 12 % of the memory");
        assert_eq!(tags[1].2, Some(true));
        let mut md = String::new();
        tags_table(&r, &mut md);
        assert!(
            md.contains("| `emojis` (median) | 13 | 10.0 s | 10 % | 250 MiB | 12 % |"),
            "{md}"
        );
    }
}
