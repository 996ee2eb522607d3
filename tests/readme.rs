//! The README's examples are real output: each example block is checked against what the binary
//! prints for the command the README gives, caret for caret.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The text of the fenced `text` block that starts with `first`.
fn block(readme: &str, first: &str) -> String {
    let start = readme
        .find(&format!("```text\n{first}"))
        .unwrap_or_else(|| panic!("README has no text block starting with {first:?}"));
    let body = &readme[start + "```text\n".len()..];
    body[..body.find("```").unwrap()].to_string()
}

fn stderr_of(dir: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-escape"))
        .current_dir(dir)
        .arg("escape")
        .args(args)
        .env_remove("CARGO_TERM_COLOR")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn the_first_example_is_the_first_warning_of_the_first_command() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(
        readme.contains(
            "cargo install --locked --path . && cargo escape --manifest-path fixtures/workspaces/demo/Cargo.toml"
        ),
        "the README's first command changed; keep this test in step"
    );
    let shown = block(&readme, "warning[");
    let printed = stderr_of(
        &root(),
        &["--manifest-path", "fixtures/workspaces/demo/Cargo.toml"],
    );
    let first = &printed[..printed
        .find("\n\n")
        .expect("a blank line after each diagnostic")
        + 1];
    assert_eq!(shown, first);
}

#[test]
fn the_flow_example_is_lines_of_m2() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let shown = block(&readme, "src/lib.rs:");
    let printed = stderr_of(&root().join("fixtures/workspaces/demo"), &["-m=2"]);
    let lines: Vec<&str> = printed.lines().collect();
    let mut at = 0;
    for line in shown.lines() {
        // The README's lines appear in the output, in the same order.
        match lines[at..].iter().position(|l| *l == line) {
            Some(found) => at += found + 1,
            None => panic!(
                "the README shows {line:?}, which `-m=2` does not print in order:\n{printed}"
            ),
        }
    }
}
