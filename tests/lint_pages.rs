//! Every rule's page in `lints/` is true to the code: it has the standard headings, its
//! Example produces the rule (and exactly the messages its `text` block shows), and the code
//! under How to fix does not.

use std::path::PathBuf;

use escape::analyze::CrateInput;
use escape::diagnostic::Diagnostic;
use escape::load::{CrateRoot, LoadOptions, TestCfg};
use escape::rules;

const HEADINGS: &[&str] = &[
    "## What it reports",
    "## Why it matters",
    "## Example",
    "## How to fix",
    "## Configuration",
    "## Known limits",
];

/// The fenced blocks of one section, with their info string.
fn blocks(page: &str, heading: &str) -> Vec<(String, String)> {
    let start = page
        .find(heading)
        .unwrap_or_else(|| panic!("no `{heading}`"));
    let rest = &page[start + heading.len()..];
    let section = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
    let mut out = Vec::new();
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        if let Some(info) = line.strip_prefix("```") {
            let mut body = String::new();
            for inner in lines.by_ref() {
                if inner.starts_with("```") {
                    break;
                }
                body.push_str(inner);
                body.push('\n');
            }
            out.push((info.trim().to_string(), body));
        }
    }
    out
}

fn analyze(name: &str, code: &str) -> Vec<Diagnostic> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lint_pages");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.rs"));
    std::fs::write(&file, code).unwrap();
    let pool = escape::worker_pool(Some(1)).unwrap();
    let roots = [CrateRoot {
        root: file,
        package_dir: dir,
    }];
    let crates = [CrateInput {
        krate: 0,
        externs: Vec::new(),
    }];
    let (_, diagnostics) =
        escape::check_roots(&roots, &crates, LoadOptions { test: TestCfg::Off }, &pool);
    // In output order, as a user sees them.
    escape::filter::filter(diagnostics, &Default::default(), 0, |d| {
        d.primary.file.index()
    })
}

#[test]
fn pages_have_the_standard_headings_in_order() {
    for rule in rules::ALL {
        let page = rule.meta.page;
        assert!(
            page.starts_with(&format!("# {}\n", rule.meta.id)),
            "{} page title",
            rule.meta.id
        );
        let mut at = 0;
        for heading in HEADINGS {
            let found = page[at..].find(heading).unwrap_or_else(|| {
                panic!(
                    "{}: no `{heading}` after the previous heading",
                    rule.meta.id
                )
            });
            at += found + heading.len();
        }
        let level = format!("Default level: {}", rule.meta.default_level.as_str());
        assert!(
            page.contains(&level),
            "{} page states `{level}`",
            rule.meta.id
        );
    }
}

#[test]
fn examples_produce_the_rule_and_fixes_do_not() {
    for rule in rules::ALL {
        let id = rule.meta.id;
        let page = rule.meta.page;
        let examples = blocks(page, "## Example");
        let code: Vec<&String> = examples
            .iter()
            .filter(|(info, _)| info == "rust")
            .map(|(_, b)| b)
            .collect();
        assert!(!code.is_empty(), "{id}: the Example has a rust block");
        for (i, example) in code.iter().enumerate() {
            let found = analyze(&format!("{id}_example_{i}"), example);
            let messages: Vec<String> = found
                .iter()
                .filter(|d| d.code == id)
                .map(|d| format!("{}[escape::{}]: {}", d.level.as_str(), d.code, d.message))
                .collect();
            assert!(!messages.is_empty(), "{id}: example {i} produces nothing");
            // The `text` block after the code shows exactly what it produces.
            if let Some((_, shown)) = examples.iter().find(|(info, _)| info == "text") {
                let shown: Vec<&str> = shown.lines().filter(|l| !l.trim().is_empty()).collect();
                assert_eq!(
                    shown, messages,
                    "{id}: the page's output differs from the rule's"
                );
            }
        }
        let fixes = blocks(page, "## How to fix");
        let fixed: Vec<&String> = fixes
            .iter()
            .filter(|(info, _)| info == "rust")
            .map(|(_, b)| b)
            .collect();
        assert!(!fixed.is_empty(), "{id}: How to fix has a rust block");
        for (i, fix) in fixed.iter().enumerate() {
            let found = analyze(&format!("{id}_fix_{i}"), fix);
            let still: Vec<&String> = found
                .iter()
                .filter(|d| d.code == id)
                .map(|d| &d.message)
                .collect();
            assert!(
                still.is_empty(),
                "{id}: the fix {i} still produces {still:?}"
            );
            let problems: Vec<&Diagnostic> = found
                .iter()
                .filter(|d| d.level == escape::diagnostic::Level::Error)
                .collect();
            assert!(
                problems.is_empty(),
                "{id}: the fix {i} does not parse: {problems:?}"
            );
        }
    }
}
