//! The files shipped for CI and editors read the tool's real output: the GitHub problem
//! matchers in `.github/escape-matcher.json` and the VS Code task's matcher in
//! `.vscode/tasks.json`, each run against what `--message-format short -m` prints.

use std::path::PathBuf;

use assert_cmd::Command;
use regex::Regex;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn json(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Warnings and notes, one a line, with cargo's summary lines after them.
fn short_output() -> Vec<String> {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-escape"))
        .current_dir(root().join("fixtures/workspaces/demo"))
        .args(["escape", "--message-format", "short", "-m"])
        .env_remove("CARGO_TERM_COLOR")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let lines: Vec<String> = String::from_utf8(output.stderr)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert!(lines.iter().any(|l| l.contains(": warning[escape::")));
    assert!(lines.iter().any(|l| l.contains(": note[escape::")));
    lines
}

struct Matcher {
    regex: Regex,
    /// The matcher's fixed severity, when its pattern captures none.
    severity: Option<String>,
    groups: serde_json::Value,
}

fn matchers(value: &serde_json::Value) -> Vec<Matcher> {
    value["problemMatcher"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let pattern = &m["pattern"][0];
            Matcher {
                regex: Regex::new(pattern["regexp"].as_str().unwrap()).unwrap(),
                severity: m["severity"].as_str().map(str::to_string),
                groups: pattern.clone(),
            }
        })
        .collect()
}

impl Matcher {
    /// What the matcher reads off a line: file, line, column, severity, code.
    fn read(&self, line: &str) -> Option<[String; 5]> {
        let captures = self.regex.captures(line)?;
        let group = |name: &str| {
            self.groups[name]
                .as_u64()
                .map(|i| captures[i as usize].to_string())
        };
        Some([
            group("file")?,
            group("line")?,
            group("column")?,
            group("severity").or_else(|| self.severity.clone())?,
            group("code")?,
        ])
    }
}

/// What a diagnostic line says of itself: `path:line:col: level[code]: message`.
fn expected(line: &str) -> Option<[String; 5]> {
    let (head, _) = line.split_once("]: ")?;
    let mut parts = head.splitn(4, ':');
    let (file, l, c, rest) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let (level, code) = rest.trim().split_once('[')?;
    let severity = if level == "note" { "notice" } else { level };
    Some([file, l, c, severity, code].map(str::to_string))
}

#[test]
fn github_matchers_annotate_every_finding_and_nothing_else() {
    let matchers = matchers(&json(".github/escape-matcher.json"));
    assert_eq!(
        matchers.len(),
        2,
        "one matcher for warnings and errors, one for notes"
    );
    for line in short_output() {
        let read: Vec<[String; 5]> = matchers.iter().filter_map(|m| m.read(&line)).collect();
        match expected(&line) {
            Some(want) => assert_eq!(read, [want], "{line}"),
            None => assert!(read.is_empty(), "a summary line is annotated: {line}"),
        }
    }
}

#[test]
fn vscode_task_matcher_reads_every_finding() {
    let tasks = json(".vscode/tasks.json");
    let matcher = &tasks["tasks"][0]["problemMatcher"];
    let regex = Regex::new(matcher["pattern"]["regexp"].as_str().unwrap()).unwrap();
    for line in short_output() {
        let found = regex.captures(&line).map(|c| c[4].to_string());
        let want = expected(&line).map(|e| {
            if e[3] == "notice" {
                "note".to_string()
            } else {
                e[3].clone()
            }
        });
        assert_eq!(found, want, "{line}");
    }
}
