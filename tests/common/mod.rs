//! What the end-to-end tests share: where the fixtures are, and running the built binary with
//! no variable in the environment that decides colour.
#![allow(dead_code)] // Each test crate uses its own part.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn workspace(name: &str) -> PathBuf {
    root().join("fixtures/workspaces").join(name)
}

pub fn manifest(name: &str) -> String {
    workspace(name).join("Cargo.toml").display().to_string()
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The binary, with every variable that decides colour removed, and no input.
pub fn command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-escape"));
    for var in [
        "CARGO_TERM_COLOR",
        "NO_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "TERM",
    ] {
        command.env_remove(var);
    }
    command.stdin(Stdio::null());
    command
}

pub fn finish(output: Output) -> Run {
    Run {
        code: output.status.code().expect("exited"),
        stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    }
}

/// Runs the binary in `dir` with `args`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    finish(
        command()
            .current_dir(dir)
            .args(args)
            .output()
            .expect("runs"),
    )
}
