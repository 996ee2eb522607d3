//! `--timings`: how long each stage took, how much IR the run built, and its peak memory.

use std::time::Duration;

use super::stream::{self, WriteError};
use crate::pipeline::Report;

/// How `--timings` names a stage of the pipeline.
fn label(stage: &str) -> &str {
    match stage {
        "discover" => "discover (metadata, config)",
        "load" => "load (read, parse, lower)",
        "analyze" => "analyze (crates in parallel)",
        other => other,
    }
}

/// Prints the stages (the per-crate ones summed across threads), the render stage, and the
/// whole run, `total` since the command started.
pub(super) fn print(
    report: &Report,
    rendered_in: Duration,
    total: Duration,
) -> Result<(), WriteError> {
    let lines: u64 = report.files().iter().map(|f| f.lines as u64).sum();
    let row = |name: &str, seconds: f64| format!("  {name:28} {seconds:>9.3} s\n");
    let mut text = String::from("timings:\n");
    for (stage, took) in &report.timings.stages {
        text.push_str(&row(label(stage), took.as_secs_f64()));
        if *stage == "analyze" {
            for (inner, took) in &report.timings.per_crate {
                let name = format!("  {inner}");
                let line = row(&name, took.as_secs_f64());
                text.push_str(&format!("{}   summed over threads\n", line.trim_end()));
            }
        }
    }
    text.push_str(&row("render", rendered_in.as_secs_f64()));
    let total = total.as_secs_f64();
    let staged = (report.timings.staged() + rendered_in).as_secs_f64();
    text.push_str(&row("between stages", (total - staged).max(0.0)));
    text.push_str(&format!(
        "  {:28} {:>9.3} s   {} files, {} lines, {:.0} lines/s\n",
        "total",
        total,
        report.files().len(),
        lines,
        lines as f64 / total.max(1e-9)
    ));
    let ir: usize = report
        .files()
        .iter()
        .filter_map(|f| f.ir.as_ref())
        .map(|ir| ir.arena_bytes())
        .sum();
    let mib = |bytes: f64| bytes / (1 << 20) as f64;
    text.push_str(&format!(
        "  {:28} {:>9.1} MiB\n",
        "IR arenas",
        mib(ir as f64)
    ));
    if let Some(rss) = peak_rss_kib() {
        text.push_str(&format!(
            "  {:28} {:>9.1} MiB\n",
            "peak RSS",
            rss as f64 / 1024.0
        ));
    }
    stream::err(&text)
}

/// Peak resident memory of this process, from `/proc` (Linux only).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
