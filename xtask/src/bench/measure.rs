//! Whole-process measurements: wall time from spawn to exit, CPU time and peak resident set
//! size from `wait4`'s resource usage, the figure `/usr/bin/time -v` prints as "Maximum
//! resident set size" (the largest RSS among the process and the descendants it waited for).

use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use serde::{Deserialize, Serialize};

/// One whole-process run.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Sample {
    /// Wall-clock seconds from spawn to exit.
    pub wall_s: f64,
    /// User plus system CPU seconds of the process and its waited-for descendants.
    pub cpu_s: f64,
    /// Peak resident set size in KiB (`ru_maxrss`).
    pub max_rss_kib: u64,
}

/// Medians over several runs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stat {
    pub runs: usize,
    pub median_s: f64,
    pub min_s: f64,
    pub max_s: f64,
    pub median_cpu_s: f64,
    pub median_rss_mib: f64,
    pub samples: Vec<Sample>,
}

impl Stat {
    pub fn of(samples: Vec<Sample>) -> Stat {
        let wall: Vec<f64> = samples.iter().map(|s| s.wall_s).collect();
        let cpu: Vec<f64> = samples.iter().map(|s| s.cpu_s).collect();
        let rss: Vec<f64> = samples
            .iter()
            .map(|s| s.max_rss_kib as f64 / 1024.0)
            .collect();
        Stat {
            runs: samples.len(),
            median_s: median(&wall),
            min_s: wall.iter().copied().fold(f64::INFINITY, f64::min),
            max_s: wall.iter().copied().fold(0.0, f64::max),
            median_cpu_s: median(&cpu),
            median_rss_mib: median(&rss),
            samples,
        }
    }
}

pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Runs `command` to completion with its output in `log`; the sample, or the first lines of
/// its error output when it fails.
pub fn run(command: &mut Command, log: &Path) -> Result<Sample, String> {
    let (sample, failure) = run_any(command, log)?;
    match failure {
        None => Ok(sample),
        Some(e) => Err(e),
    }
}

/// Like `run`, but a failing process still yields its sample, with the error beside it.
pub fn run_any(command: &mut Command, log: &Path) -> Result<(Sample, Option<String>), String> {
    let (sample, exit) = run_exit(command, log)?;
    let how = match exit {
        Exit::Code(0) => return Ok((sample, None)),
        Exit::Code(code) => format!("exit status {code}"),
        Exit::Signal(signal) => format!("killed by signal {signal}"),
    };
    let text = std::fs::read_to_string(log).unwrap_or_default();
    Ok((
        sample,
        Some(format!("{} ({how})", first_error_lines(&text))),
    ))
}

/// How a measured process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// It exited with this status.
    Code(i32),
    /// A signal ended it.
    Signal(i32),
}

/// Runs `command` to completion with its output in `log`; the sample and how it ended.
pub fn run_exit(command: &mut Command, log: &Path) -> Result<(Sample, Exit), String> {
    let out = File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    let started = Instant::now();
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err))
        .spawn()
        .map_err(|e| format!("cannot run {:?}: {e}", command.get_program()))?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: pid is our own child, not yet reaped (std's Child is never waited on);
        // status and usage are valid for writes.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("wait4: {e}"));
        }
    }
    let wall_s = started.elapsed().as_secs_f64();
    drop(child);
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let sample = Sample {
        wall_s,
        cpu_s: seconds(usage.ru_utime) + seconds(usage.ru_stime),
        max_rss_kib: usage.ru_maxrss.max(0) as u64,
    };
    let exit = if libc::WIFEXITED(status) {
        Exit::Code(libc::WEXITSTATUS(status))
    } else {
        Exit::Signal(libc::WTERMSIG(status))
    };
    Ok((sample, exit))
}

/// The first line that looks like an error and the line after it; else the last lines.
pub fn first_error_lines(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let clip = |l: &str| -> String {
        let mut s: String = l.chars().take(220).collect();
        if s.len() < l.len() {
            s.push('…');
        }
        s
    };
    let is_error = |l: &str| {
        let l = l.to_ascii_lowercase();
        l.starts_with("error")
            || l.contains("panicked")
            || l.contains("exception")
            || l.contains("[error]")
            || l.contains("fail")
    };
    let is_noise = |l: &str| l.starts_with("Stack backtrace") || l.starts_with("note: run with");
    if let Some(i) = lines.iter().position(|l| is_error(l)) {
        let mut out = vec![clip(lines[i])];
        if let Some(next) = lines.get(i + 1).filter(|l| !is_noise(l)) {
            out.push(clip(next));
        }
        return out.join(" / ");
    }
    let tail = lines.len().saturating_sub(2);
    let out: Vec<String> = lines[tail..].iter().map(|l| clip(l)).collect();
    if out.is_empty() {
        "no output".to_owned()
    } else {
        out.join(" / ")
    }
}
