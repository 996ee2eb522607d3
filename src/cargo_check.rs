//! `--with-check`: run `cargo check` first, with the same packages, targets and features, and
//! pass its messages through unchanged before ours. rust-analyzer runs one check command per
//! workspace; with this, `rust-analyzer.check.command = "escape"` (plus `--with-check`) keeps
//! rustc's errors and adds escape's findings.
//!
//! In JSON, cargo's own `build-finished` line is held back: the stream ends with one, ours,
//! which reports success only if both the check and the analysis succeeded. In the human
//! formats, cargo's output goes straight to the terminal.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

/// How `cargo check` went.
pub struct Checked {
    /// It exited successfully and reported a successful build.
    pub success: bool,
    /// Passing its messages on failed (stdout closed, or a full disk): the rest of them were
    /// read and dropped, so that cargo could finish.
    pub write_error: Option<std::io::Error>,
}

/// Runs `cargo check ARGS`. With `json`, its stdout is read line by line and copied to ours,
/// except for its `build-finished` message.
pub fn run(args: &[String], json: bool) -> Result<Checked, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(&cargo);
    command.arg("check").args(args).stdin(Stdio::null());
    if !json {
        let status = command
            .status()
            .map_err(|e| format!("could not run `cargo check`: {e}"))?;
        return Ok(Checked {
            success: status.success(),
            write_error: None,
        });
    }
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run `cargo check`: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    let mut finished = None;
    let mut write_error = None;
    let mut out = std::io::stdout().lock();
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("reading `cargo check`'s output: {e}"))?;
        if let Some(success) = build_finished(&line) {
            finished = Some(success);
            continue;
        }
        if write_error.is_some() {
            continue;
        }
        // Streamed as it comes: an editor shows rustc's messages before ours.
        if let Err(e) = writeln!(out, "{line}").and_then(|()| out.flush()) {
            write_error = Some(e);
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for `cargo check`: {e}"))?;
    Ok(Checked {
        success: status.success() && finished.unwrap_or(false),
        write_error,
    })
}

/// `Some(success)` for cargo's `build-finished` message.
fn build_finished(line: &str) -> Option<bool> {
    if !line.contains("\"build-finished\"") {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(line).ok()?;
    (value.get("reason")?.as_str()? == "build-finished").then(|| {
        value
            .get("success")
            .and_then(|s| s.as_bool())
            .unwrap_or(false)
    })
}

#[cfg(test)]
mod tests {
    use super::build_finished;

    #[test]
    fn only_build_finished_is_held_back() {
        assert_eq!(
            build_finished(r#"{"reason":"build-finished","success":true}"#),
            Some(true)
        );
        assert_eq!(
            build_finished(r#"{"reason":"build-finished","success":false}"#),
            Some(false)
        );
        assert_eq!(
            build_finished(
                r#"{"reason":"compiler-message","message":{"message":"build-finished"}}"#
            ),
            None
        );
    }
}
