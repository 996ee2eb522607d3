//! The hidden benchmark helpers: `--compare-parse` measures a bare syn parse of the files a run
//! read, in a fresh process started with `--bare-parse`, and compares.

use std::io::Write;
use std::time::{Duration, Instant};

use super::stream::{self, WriteError};
use super::{EXIT_OK, Stop};
use crate::pipeline::{Error, Report};

/// The benchmark's baseline: a bare `syn::parse_file` of the same files, as a program that
/// does only that would run it. It runs in a fresh process, so that it starts with the same
/// cold allocator and page cache state as a run of ours, on as many threads.
pub(super) fn compare_parse(
    report: &Report,
    jobs: usize,
    ours: Duration,
) -> Result<(), WriteError> {
    let paths: String = report
        .files()
        .iter()
        .map(|f| format!("{}\n", f.path.display()))
        .collect();
    let child = std::env::current_exe().and_then(|exe| {
        std::process::Command::new(exe)
            .args(["escape", "--bare-parse", "-j", &jobs.to_string()])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
    });
    let seconds = child.ok().and_then(|mut child| {
        child.stdin.take()?.write_all(paths.as_bytes()).ok()?;
        let output = child.wait_with_output().ok()?;
        String::from_utf8(output.stdout)
            .ok()?
            .trim()
            .parse::<f64>()
            .ok()
    });
    let Some(bare) = seconds else {
        return stream::err("bare syn parse of the same files: could not run\n");
    };
    let lines: u64 = report.files().iter().map(|f| f.lines as u64).sum();
    stream::err(&format!(
        "bare syn parse of the same files: {:.3} s, {:.0} lines/s\ncargo escape / bare parse: {:.2}x\n",
        bare,
        lines as f64 / bare.max(1e-9),
        ours.as_secs_f64() / bare.max(1e-9)
    ))
}

/// `--bare-parse`: reads, parses and drops each file named on stdin, on `jobs` threads.
pub(super) fn bare_parse(jobs: Option<usize>) -> Result<i32, Stop> {
    use rayon::prelude::*;
    let paths: Vec<String> = std::io::stdin().lines().map_while(Result::ok).collect();
    let pool = crate::worker_pool(jobs)
        .map_err(|e| Error::System(format!("cannot start threads: {e}")))?;
    let start = Instant::now();
    pool.install(|| {
        paths.par_iter().for_each(|path| {
            if let Ok(text) = std::fs::read_to_string(path) {
                drop(syn::parse_file(&text));
            }
            proc_macro2::extra::invalidate_current_thread_spans();
        })
    });
    stream::out(&format!("{:.6}\n", start.elapsed().as_secs_f64()))?;
    Ok(EXIT_OK)
}
