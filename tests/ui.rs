//! UI fixtures, after rustc's UI tests and Go's `errorcheck`.
//!
//! Every `fixtures/ui/<rule>/*.rs` is analyzed as the root of a crate of its own. Comments in
//! it say what must be reported:
//!
//! ```text
//! let b = Box::leak(x); //~ leaked_reference: leaks its allocation
//! //~^ rule: message      (the line above; each `^` one line further up)
//! ```
//!
//! Each annotation must match a diagnostic on its line (same rule, message containing the
//! text), and each diagnostic must be matched by an annotation. Header lines set options:
//! `//@ verbosity: 2` includes the `-m=2` verdicts, `//@ tests` analyzes `#[cfg(test)]` code,
//! `//@ msrv: 1.80` gives the crate a `rust-version`, `//@ stack-threshold: 16384` and
//! `//@ target: i686-unknown-linux-gnu` set the size options; `//@ assume_no_alloc: glob` (and
//! `assume_no_block`, `no_alloc`, `no_block`) adds a glob to `[contracts]`. `//~ help: text`
//! (or `note:`) checks that a diagnostic on the line has such a child; children need not all
//! be annotated.

use std::path::{Path, PathBuf};

use escape::pipeline::{self, Project};
use escape::render::Files;
use escape::sources::DiskSources;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Expected {
    line: usize,
    rule: String,
    text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Actual {
    line: usize,
    rule: String,
    message: String,
    /// Its `help:` and `note:` lines, as `help: text`.
    children: Vec<String>,
}

struct Options {
    verbosity: u8,
    tests: bool,
    msrv: Option<(u64, u64)>,
    stack_threshold: Option<u64>,
    target: Option<String>,
    contracts: escape::config::ContractLists,
}

fn parse_fixture(text: &str) -> (Options, Vec<Expected>) {
    let mut options = Options {
        verbosity: 0,
        tests: false,
        msrv: None,
        stack_threshold: None,
        target: None,
        contracts: Default::default(),
    };
    let mut expected = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        if let Some(header) = line.trim().strip_prefix("//@") {
            let header = header.trim();
            if let Some(v) = header.strip_prefix("verbosity:") {
                options.verbosity = v.trim().parse().expect("verbosity is a number");
            } else if header == "tests" {
                options.tests = true;
            } else if let Some(v) = header.strip_prefix("msrv:") {
                let (major, minor) = v.trim().split_once('.').expect("msrv is `1.80`");
                options.msrv = Some((major.parse().unwrap(), minor.parse().unwrap()));
            } else if let Some(v) = header.strip_prefix("stack-threshold:") {
                options.stack_threshold = Some(v.trim().parse().expect("a number of bytes"));
            } else if let Some(v) = header.strip_prefix("target:") {
                options.target = Some(v.trim().to_string());
            } else if let Some((key, glob)) = header.split_once(':')
                && let Some(list) = match key {
                    "no_alloc" => Some(&mut options.contracts.no_alloc),
                    "no_block" => Some(&mut options.contracts.no_block),
                    "assume_no_alloc" => Some(&mut options.contracts.assume_no_alloc),
                    "assume_no_block" => Some(&mut options.contracts.assume_no_block),
                    _ => None,
                }
            {
                list.push(glob.trim().to_string());
            } else {
                panic!("unknown fixture header `//@ {header}`");
            }
        }
        for part in line.split("//~").skip(1) {
            let ups = part.chars().take_while(|&c| c == '^').count();
            let rest = part[ups..].trim();
            let (rule, text) = rest.split_once(':').unwrap_or_else(|| {
                panic!("line {line_no}: annotation `{rest}` is not `rule: message`")
            });
            expected.push(Expected {
                line: line_no - ups,
                rule: rule.trim().to_string(),
                text: text.trim().to_string(),
            });
        }
    }
    (options, expected)
}

/// Checks the fixture as the command line checks a crate, with the fixture's options.
fn analyze(path: &Path, options: &Options) -> Vec<Actual> {
    let pool = escape::worker_pool(Some(2)).expect("threads");
    let mut project = Project::from_file(path);
    project.packages[0].tests = options.tests;
    project.packages[0].settings.contracts =
        pipeline::ContractGlobs::new([&options.contracts]).expect("valid globs");
    let input = &mut project.targets[0].input;
    input.msrv = options.msrv;
    if let Some(threshold) = options.stack_threshold {
        input.stack_threshold = threshold;
    }
    let check_options = pipeline::Options {
        verbosity: options.verbosity,
        flows: options.verbosity >= 2,
        target_triples: options.target.iter().cloned().collect(),
        ..Default::default()
    };
    let sources = DiskSources::default();
    let report = pipeline::check(&project, &check_options, &sources, &pool).expect("no baseline");
    let mut files = Files::new(report.paths(), &report.display_base, &report.root);
    files.load_for(&report.diagnostics, &sources);
    let mut actual = Vec::new();
    for d in &report.diagnostics {
        let children: Vec<String> = d
            .children
            .iter()
            .map(|c| format!("{}: {}", c.level.as_str(), c.message))
            .collect();
        // A finding repeated in one item is one diagnostic labelled at each place; each place
        // is matched by its own annotation, as if it were reported alone.
        for label in std::iter::once(&d.primary).chain(&d.also) {
            actual.push(Actual {
                line: files.position(label.file, label.span.lo).line,
                rule: d.code.to_string(),
                message: d.message.clone(),
                children: children.clone(),
            });
        }
    }
    actual
}

/// Go's two-way rule: returns the annotations nothing matched and the diagnostics no
/// annotation matched.
fn compare(expected: &[Expected], actual: &[Actual]) -> (Vec<Expected>, Vec<Actual>) {
    let mut unmatched: Vec<Actual> = actual.to_vec();
    let mut missing = Vec::new();
    for e in expected {
        // `//~ help: text` and `//~ note: text` check a diagnostic's children on that line; they
        // need not all be written down.
        if e.rule == "help" || e.rule == "note" {
            let child = format!("{}: ", e.rule);
            let found = actual.iter().any(|a| {
                a.line == e.line
                    && a.children
                        .iter()
                        .any(|c| c.starts_with(&child) && c.contains(&e.text))
            });
            if !found {
                missing.push(e.clone());
            }
            continue;
        }
        let found = unmatched
            .iter()
            .position(|a| a.line == e.line && a.rule == e.rule && a.message.contains(&e.text));
        match found {
            Some(i) => {
                unmatched.remove(i);
            }
            None => missing.push(e.clone()),
        }
    }
    (missing, unmatched)
}

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ui");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&root).expect("fixtures/ui exists") {
        let dir = dir.expect("readable").path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&dir).expect("readable") {
            let file = file.expect("readable").path();
            if file.extension().is_some_and(|e| e == "rs") {
                files.push(file);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn ui_fixtures() {
    let files = fixtures();
    assert!(!files.is_empty(), "no fixtures found");
    let mut report = String::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("fixture is UTF-8");
        let (options, expected) = parse_fixture(&text);
        let actual = analyze(file, &options);
        let (missing, unexpected) = compare(&expected, &actual);
        if missing.is_empty() && unexpected.is_empty() {
            continue;
        }
        report.push_str(&format!("\n{}:\n", file.display()));
        for m in &missing {
            report.push_str(&format!(
                "  missing    line {}: {}: {}\n",
                m.line, m.rule, m.text
            ));
        }
        for u in &unexpected {
            report.push_str(&format!(
                "  unexpected line {}: {}: {}\n",
                u.line, u.rule, u.message
            ));
        }
        report.push_str("  all diagnostics:\n");
        for a in &actual {
            report.push_str(&format!("    line {}: {}: {}\n", a.line, a.rule, a.message));
        }
    }
    assert!(report.is_empty(), "UI fixtures failed:{report}");
}

/// The harness itself must fail on both kinds of mismatch.
#[test]
fn harness_reports_missing_and_unexpected() {
    let (_, expected) =
        parse_fixture("a(); //~ rule_a: first\nb();\n//~^ rule_b: second //~ rule_c: third\n");
    assert_eq!(
        expected,
        [
            Expected {
                line: 1,
                rule: "rule_a".into(),
                text: "first".into()
            },
            Expected {
                line: 2,
                rule: "rule_b".into(),
                text: "second".into()
            },
            Expected {
                line: 3,
                rule: "rule_c".into(),
                text: "third".into()
            },
        ]
    );
    let actual = [
        Actual {
            line: 1,
            rule: "rule_a".into(),
            message: "the first thing".into(),
            children: vec!["help: do this".into()],
        },
        Actual {
            line: 2,
            rule: "rule_x".into(),
            message: "second".into(),
            children: Vec::new(),
        },
    ];
    let (missing, unexpected) = compare(&expected, &actual);
    assert_eq!(
        missing.len(),
        2,
        "rule_b (wrong rule) and rule_c (absent) are missing"
    );
    assert_eq!(unexpected, [actual[1].clone()]);

    let help = |line: usize, text: &str| Expected {
        line,
        rule: "help".into(),
        text: text.into(),
    };
    let (missing, _) = compare(
        &[help(1, "do this"), help(1, "do that"), help(2, "do")],
        &actual,
    );
    assert_eq!(missing, [help(1, "do that"), help(2, "do")]);
}
