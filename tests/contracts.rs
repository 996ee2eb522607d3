//! The contracts (`no_alloc`, `no_block`) end to end, on `fixtures/workspaces/realtime`: an
//! audio engine whose callback is verified without any assumption, across its two crates, and
//! a second callback with a violation seeded two calls down, in the other crate.

use std::path::PathBuf;

use assert_cmd::Command;

fn realtime() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/workspaces/realtime")
}

/// Runs `cargo escape` in the workspace: the exit code and stderr.
fn run(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-escape"))
        .current_dir(realtime())
        .arg("escape")
        .args(args)
        .env_remove("CARGO_TERM_COLOR")
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    (
        output.status.code().expect("exited"),
        String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    )
}

#[test]
fn the_seeded_violation_fails_with_the_chain_down_to_the_allocation() {
    let (code, stderr) = run(&[]);
    assert_eq!(code, 1, "{stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error[escape::"))
        .collect();
    assert_eq!(
        errors,
        [
            "error[escape::no_alloc]: `Engine::render_recorded` must not allocate, but it calls \
             `Engine::record`, which calls `Recorder::append`, which calls `Vec::push`"
        ],
        "{stderr}"
    );
    // At the call in the contracted function, with each step of the chain labelled, down to
    // the push in the other crate.
    for expected in [
        "--> engine/src/lib.rs:43:9",
        "calls `Engine::record`",
        "`Engine::record` calls `Recorder::append` here",
        "--> dsp/src/lib.rs:25:9",
        "`Recorder::append` calls `Vec::push` here: may allocate",
        "note: within its capacity `Vec::push` does not reallocate",
    ] {
        assert!(stderr.contains(expected), "no `{expected}` in:\n{stderr}");
    }
}

#[test]
fn dash_m_lists_every_contracted_function_with_its_verdict() {
    let (code, stderr) = run(&["-m", "--message-format", "short"]);
    assert_eq!(code, 1, "{stderr}");
    let verdicts: Vec<&str> = stderr.lines().filter(|l| l.contains("verified")).collect();
    assert_eq!(
        verdicts,
        [
            "engine/src/lib.rs:29:12: note[escape::no_alloc]: Engine::render: no_alloc verified",
            "engine/src/lib.rs:41:12: note[escape::no_alloc]: Engine::render_recorded: no_alloc \
             not verified: 1 violation",
        ],
        "{stderr}"
    );
}

#[test]
fn the_dsp_crate_alone_has_no_contract_to_check() {
    let (code, stderr) = run(&["-p", "dsp"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("no_alloc"), "{stderr}");
}

#[test]
fn the_readme_shows_the_real_error() {
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let start = readme
        .find("```text\nerror[escape::no_alloc]")
        .expect("the README shows the realtime workspace's error")
        + "```text\n".len();
    let shown = &readme[start..start + readme[start..].find("```").unwrap()];
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-escape"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "escape",
            "--manifest-path",
            "fixtures/workspaces/realtime/Cargo.toml",
        ])
        .env_remove("CARGO_TERM_COLOR")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let printed = String::from_utf8(output.stderr).unwrap();
    assert!(
        printed.starts_with(shown),
        "README:\n{shown}\nprinted:\n{printed}"
    );
}
