//! The charts of BENCHMARKS.md, drawn from one run's results as SVG with plotters' SVG
//! backend alone: text is written as SVG `<text>` elements for the viewer's own sans-serif
//! font, so no font file or font library is involved.
//!
//! - `scaling.svg`: our generation time and Rust lines written against copies of the spec;
//! - `compile.svg`: `cargo check` time and peak memory per generator, one row per spec.
//!
//! A chart whose section did not run is not written, and an older one left from another run is
//! removed, so BENCHMARKS.md never shows a chart of other figures than its tables.

use std::path::{Path, PathBuf};

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Results, Tool};

/// Where the charts are written, relative to the repository root (committed beside
/// BENCHMARKS.md, which refers to them by this path).
pub const DIR: &str = "docs/bench";

const SCALING: &str = "scaling.svg";
const COMPILE: &str = "compile.svg";
const FONT: &str = "sans-serif";

/// The charts written by this run, as paths relative to the repository root.
#[derive(Debug, Default)]
pub struct Charts {
    pub scaling: Option<String>,
    pub compile: Option<String>,
}

fn colour(tool: Tool) -> RGBColor {
    match tool {
        Tool::Clientgen => RGBColor(31, 119, 180),
        Tool::Progenitor => RGBColor(255, 127, 14),
        Tool::OpenapiGenerator => RGBColor(44, 160, 44),
    }
}

fn label(tool: Tool) -> &'static str {
    match tool {
        Tool::Clientgen => "ours",
        Tool::Progenitor => "progenitor",
        Tool::OpenapiGenerator => "openapi-gen.",
    }
}

/// Writes every chart the results have figures for into `dir` (removing those they have none
/// for).
pub fn write_all(r: &Results, dir: &Path) -> Result<Charts, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut charts = Charts::default();
    let relative = |name: &str| format!("{DIR}/{name}");
    let scaling: Vec<(f64, f64, f64)> = r
        .scaling
        .iter()
        .flat_map(|s| &s.points)
        .filter_map(|p| {
            Some((
                p.factor as f64,
                p.outcome.stat()?.median_s * 1e3,
                p.rust_lines as f64,
            ))
        })
        .collect();
    let path = dir.join(SCALING);
    if scaling.len() >= 2 {
        scaling_chart(&path, &scaling).map_err(|e| format!("{}: {e}", path.display()))?;
        charts.scaling = Some(relative(SCALING));
    } else {
        remove(&path)?;
    }
    let path = dir.join(COMPILE);
    let bars = compile_bars(r);
    if bars.is_empty() {
        remove(&path)?;
    } else {
        compile_chart(&path, &bars).map_err(|e| format!("{}: {e}", path.display()))?;
        charts.compile = Some(relative(COMPILE));
    }
    Ok(charts)
}

fn remove(path: &PathBuf) -> Result<(), String> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

type Drawn = Result<(), Box<dyn std::error::Error>>;

/// Two panels: time (ms) and Rust lines (thousands) against copies, each with the straight
/// line through the origin and the 1× point that linear growth would follow.
fn scaling_chart(path: &Path, points: &[(f64, f64, f64)]) -> Drawn {
    let root = SVGBackend::new(path, (960, 380)).into_drawing_area();
    root.fill(&WHITE)?;
    let (left, right) = root.split_horizontally(480);
    let max_x = points.iter().map(|p| p.0).fold(1.0, f64::max);
    let time: Vec<(f64, f64)> = points.iter().map(|p| (p.0, p.1)).collect();
    let lines: Vec<(f64, f64)> = points.iter().map(|p| (p.0, p.2 / 1e3)).collect();
    let panels = [
        (&left, "Generation time (median)", "ms", time),
        (&right, "Rust lines written", "thousand lines", lines),
    ];
    for (area, title, unit, measured) in panels {
        let (x1, y1) = measured[0];
        let linear = |x: f64| y1 / x1 * x;
        let max_y = measured
            .iter()
            .map(|p| p.1)
            .chain([linear(max_x)])
            .fold(0.0, f64::max)
            * 1.1;
        let mut chart = ChartBuilder::on(area)
            .caption(title, (FONT, 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..max_x * 1.05, 0f64..max_y)?;
        chart
            .configure_mesh()
            .x_desc("copies of the spec")
            .y_desc(unit)
            .x_label_formatter(&|v| tick(*v))
            .y_label_formatter(&|v| tick(*v))
            .label_style((FONT, 12))
            .draw()?;
        let blue = colour(Tool::Clientgen);
        chart
            .draw_series(LineSeries::new(
                measured.iter().copied(),
                blue.stroke_width(2),
            ))?
            .label("measured")
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], blue.stroke_width(2))
            });
        chart.draw_series(measured.iter().map(|&p| Circle::new(p, 4, blue.filled())))?;
        chart
            .draw_series(DashedLineSeries::new(
                [(0.0, 0.0), (max_x, linear(max_x))],
                6,
                4,
                BLACK.mix(0.5).into(),
            ))?
            .label("linear from 1×")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.mix(0.5)));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font((FONT, 12))
            .border_style(BLACK.mix(0.3))
            .background_style(WHITE.mix(0.9))
            .draw()?;
    }
    root.present()?;
    Ok(())
}

/// One spec's bars: per generator, check seconds and peak MiB (`None`: it failed).
struct SpecBars {
    spec: String,
    bars: Vec<(Tool, Option<(f64, f64)>)>,
}

fn compile_bars(r: &Results) -> Vec<SpecBars> {
    let mut out: Vec<SpecBars> = Vec::new();
    for row in &r.compile {
        let figure = row.check.stat().map(|s| (s.median_s, s.median_rss_mib));
        match out.iter_mut().find(|b| b.spec == row.spec) {
            Some(b) => b.bars.push((row.tool, figure)),
            None => out.push(SpecBars {
                spec: row.spec.clone(),
                bars: vec![(row.tool, figure)],
            }),
        }
    }
    out
}

/// A grid: one row per spec, `cargo check` time on the left and its peak RSS on the right,
/// one bar per generator with its figure above it.
fn compile_chart(path: &Path, specs: &[SpecBars]) -> Drawn {
    let row_height = 240;
    let height = 40 + row_height * specs.len() as u32;
    let root = SVGBackend::new(path, (960, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let (head, body) = root.split_vertically(40);
    head.draw(&Text::new(
        "cargo check of the generated crate alone (dependencies prebuilt): median time and peak memory",
        (12, 12),
        (FONT, 16).into_font(),
    ))?;
    let rows = body.split_evenly((specs.len(), 1));
    for (row, spec) in rows.iter().zip(specs) {
        let (left, right) = row.split_horizontally(480);
        let time = |f: (f64, f64)| f.0;
        let rss = |f: (f64, f64)| f.1;
        bar_panel(
            &left,
            &format!("{}: time", spec.spec),
            "s",
            &spec.bars,
            time,
            |v| format!("{v:.1} s"),
        )?;
        bar_panel(
            &right,
            &format!("{}: peak RSS", spec.spec),
            "MiB",
            &spec.bars,
            rss,
            |v| {
                if v >= 1024.0 {
                    format!("{:.2} GiB", v / 1024.0)
                } else {
                    format!("{v:.0} MiB")
                }
            },
        )?;
    }
    root.present()?;
    Ok(())
}

/// An axis label: whole numbers without a fraction.
fn tick(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Text centred above the point it is drawn at.
fn above() -> TextStyle<'static> {
    TextStyle::from((FONT, 12).into_font()).pos(Pos::new(HPos::Center, VPos::Bottom))
}

fn bar_panel(
    area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    title: &str,
    unit: &str,
    bars: &[(Tool, Option<(f64, f64)>)],
    pick: impl Fn((f64, f64)) -> f64,
    show: impl Fn(f64) -> String,
) -> Drawn {
    let max = bars
        .iter()
        .filter_map(|(_, f)| f.map(&pick))
        .fold(0.0, f64::max)
        .max(1e-9)
        * 1.2;
    let n = bars.len() as u32;
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 15))
        .margin(10)
        .x_label_area_size(28)
        .y_label_area_size(60)
        // An integer range's segments include its end: 0..n-1 is n slots (two for one bar).
        .build_cartesian_2d((0u32..n.max(2) - 1).into_segmented(), 0f64..max)?;
    let names: Vec<&str> = bars.iter().map(|(t, _)| label(*t)).collect();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_desc(unit)
        .y_label_formatter(&|v| tick(*v))
        .x_labels(bars.len())
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => names.get(*i as usize).copied().unwrap_or("").to_owned(),
            _ => String::new(),
        })
        .label_style((FONT, 12))
        .draw()?;
    for (i, (tool, figure)) in bars.iter().enumerate() {
        let i = i as u32;
        match figure {
            Some(f) => {
                let v = pick(*f);
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), 0.0),
                        (SegmentValue::Exact(i + 1), v),
                    ],
                    colour(*tool).filled(),
                );
                bar.set_margin(0, 0, 18, 18);
                chart.draw_series([bar])?;
                chart.draw_series([Text::new(
                    show(v),
                    (SegmentValue::CenterOf(i), v + max * 0.02),
                    above(),
                )])?;
            }
            None => {
                chart.draw_series([Text::new(
                    "fails".to_owned(),
                    (SegmentValue::CenterOf(i), max * 0.05),
                    above(),
                )])?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::measure::{Sample, Stat};
    use super::super::{CompileRow, Machine, Outcome, Results, Scaling, ScalingPoint, Tool};
    use super::*;

    fn stat(seconds: f64, mib: u64) -> Outcome {
        Outcome::Measured(Stat::of(vec![Sample {
            wall_s: seconds,
            cpu_s: seconds,
            max_rss_kib: mib * 1024,
        }]))
    }

    fn results() -> Results {
        let point = |factor: usize, seconds: f64| ScalingPoint {
            factor,
            bytes: 1000 * factor as u64,
            outcome: stat(seconds, 20),
            rust_lines: 7000 * factor,
        };
        let row = |tool: Tool, check: Outcome| CompileRow {
            spec: "nexus".into(),
            tool,
            package: "bench-nexus".into(),
            rust_lines: 1000,
            build: None,
            check,
            clean_build: None,
        };
        Results {
            date: String::new(),
            quick: true,
            runs: 1,
            compile_runs: 1,
            machine: Machine::default(),
            tools: BTreeMap::new(),
            generation: Vec::new(),
            specs_folder_s: None,
            specs_folder_count: 0,
            specs_folder_one_process: None,
            scaling: Some(Scaling {
                spec: "sekoia".into(),
                points: vec![point(1, 0.04), point(2, 0.07), point(4, 0.12)],
                exponent: None,
            }),
            compile: vec![
                row(Tool::Clientgen, stat(4.4, 385)),
                row(Tool::Progenitor, Outcome::Failed("no".into())),
                row(Tool::OpenapiGenerator, stat(11.5, 2048)),
            ],
            large: None,
            decode: None,
            command: String::new(),
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-chart-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn charts_are_svg_with_their_figures_as_text() {
        let dir = scratch("written");
        let charts = write_all(&results(), &dir).unwrap();
        assert_eq!(charts.scaling.as_deref(), Some("docs/bench/scaling.svg"));
        assert_eq!(charts.compile.as_deref(), Some("docs/bench/compile.svg"));
        let compile = std::fs::read_to_string(dir.join(COMPILE)).unwrap();
        assert!(compile.starts_with("<svg"), "{compile}");
        for text in ["nexus: time", "4.4 s", "fails", "2.00 GiB", "openapi-gen."] {
            assert!(compile.contains(text), "{text} missing from compile.svg");
        }
        let scaling = std::fs::read_to_string(dir.join(SCALING)).unwrap();
        assert!(scaling.contains("Generation time (median)"));
        assert!(scaling.contains("linear from 1×"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_chart_without_figures_is_removed() {
        let dir = scratch("removed");
        write_all(&results(), &dir).unwrap();
        let mut empty = results();
        empty.scaling = None;
        empty.compile.clear();
        let charts = write_all(&empty, &dir).unwrap();
        assert!(charts.scaling.is_none() && charts.compile.is_none());
        assert!(!dir.join(SCALING).exists() && !dir.join(COMPILE).exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
