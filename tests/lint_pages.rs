//! Every rule's page in `lints/` is true to the code: it has the standard headings, its
//! Example produces the rule (and exactly the messages its `text` block shows), and the code
//! under How to fix does not.

use std::path::PathBuf;

use escape::diagnostic::{Diagnostic, Level};
use escape::pipeline::{self, Project};
use escape::rules;
use escape::sources::{DiskSources, Overlay};

const HEADINGS: &[&str] = &[
    "## What it reports",
    "## Why it matters",
    "## Example",
    "## How to fix",
    "## Configuration",
    "## Known limits",
];

/// The fenced blocks of `text`, each with its info string.
fn fenced(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(info) = line.trim_start().strip_prefix("```") {
            let mut body = String::new();
            for inner in lines.by_ref() {
                if inner.trim_start().starts_with("```") {
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

/// The fenced blocks of one section, with their info string.
fn blocks(page: &str, heading: &str) -> Vec<(String, String)> {
    let start = page
        .find(heading)
        .unwrap_or_else(|| panic!("no `{heading}`"));
    let rest = &page[start + heading.len()..];
    fenced(&rest[..rest.find("\n## ").unwrap_or(rest.len())])
}

/// The one `rust` block among `blocks`; `what` names them in the failure.
fn rust_block<'a>(blocks: &'a [(String, String)], what: &str) -> &'a str {
    let code: Vec<&String> = blocks
        .iter()
        .filter(|(info, _)| info == "rust")
        .map(|(_, b)| b)
        .collect();
    assert_eq!(code.len(), 1, "{what} has one rust block");
    code[0]
}

/// Checks `code` as the root of a crate of its own, from memory, with `-m=2`: the
/// diagnostics in output order, as a user sees them, verdicts included.
fn analyze(name: &str, code: &str) -> Vec<Diagnostic> {
    let file = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("lint_pages")
        .join(format!("{name}.rs"));
    let mut sources = Overlay::new(DiskSources::default());
    sources.insert(&file, code);
    let pool = escape::worker_pool(Some(1)).unwrap();
    let options = pipeline::Options {
        verbosity: 2,
        flows: true,
        ..Default::default()
    };
    let report = pipeline::check(&Project::from_file(file), &options, &sources, &pool).unwrap();
    report.diagnostics
}

/// The rule's messages, as the short format prints them.
fn messages(found: &[Diagnostic], id: &str) -> Vec<String> {
    found
        .iter()
        .filter(|d| d.code.as_str() == id)
        .map(|d| format!("{}[escape::{}]: {}", d.level.as_str(), d.code, d.message))
        .collect()
}

/// The non-empty lines of the first `text` block, if any.
fn shown(blocks: &[(String, String)]) -> Option<Vec<String>> {
    let (_, text) = blocks.iter().find(|(info, _)| info == "text")?;
    Some(
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(String::from)
            .collect(),
    )
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
        // The policy, on every page: what makes a finding a warning.
        assert!(
            page.contains("certainly true"),
            "{} page states the warning policy",
            rule.meta.id
        );
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
        let informative = rule.meta.default_level == Level::Note;
        let examples = blocks(rule.meta.page, "## Example");
        let code = rust_block(&examples, &format!("{id}: the Example"));
        let found = analyze(&format!("{id}_example"), code);
        let produced = messages(&found, id);
        assert!(!produced.is_empty(), "{id}: the example produces nothing");
        // The `text` block after the code shows exactly what it produces.
        if let Some(expected) = shown(&examples) {
            assert_eq!(
                expected, produced,
                "{id}: the page's output differs from the rule's"
            );
        }

        let fixes = blocks(rule.meta.page, "## How to fix");
        let fixed = rust_block(&fixes, &format!("{id}: How to fix"));
        let found = analyze(&format!("{id}_fix"), fixed);
        let errors: Vec<&Diagnostic> = found.iter().filter(|d| d.level == Level::Error).collect();
        assert!(
            errors.is_empty(),
            "{id}: the fix does not parse: {errors:?}"
        );
        let after = messages(&found, id);
        if informative {
            // A verdict rule always says something; the fix changes what it says.
            let gone = produced.iter().filter(|m| !after.contains(m)).count();
            assert!(
                gone > 0,
                "{id}: the fix produces every verdict of the example: {after:?}"
            );
        } else {
            // A warning rule's fix leaves no warning; `-m` verdicts may remain.
            let warnings: Vec<&String> = after.iter().filter(|m| !m.starts_with("note[")).collect();
            assert!(
                warnings.is_empty(),
                "{id}: the fix still produces {warnings:?}"
            );
        }
        if let Some(expected) = shown(&fixes) {
            assert_eq!(
                expected, after,
                "{id}: the page's output for the fix differs from the rule's"
            );
        }
    }
}

#[test]
fn configuration_examples_are_valid_configuration() {
    let readme = include_str!("../README.md");
    let pages = rules::ALL
        .iter()
        .map(|r| (r.meta.id, r.meta.page))
        .chain([("README", readme)]);
    let mut checked = 0;
    for (id, page) in pages {
        for (info, body) in fenced(page) {
            if info != "toml" {
                continue;
            }
            // `[lints.rust]` is rustc's, in Cargo.toml; everything else is ours.
            if body.contains("[lints.rust]") {
                continue;
            }
            let parsed = escape::config::parse_document(
                std::path::Path::new("escape.toml"),
                &body,
                &[],
                PathBuf::new(),
                &rules::all_codes().collect::<Vec<_>>(),
            );
            assert!(parsed.is_ok(), "{id}: {body}\n{parsed:?}");
            checked += 1;
        }
    }
    assert!(checked > rules::ALL.len(), "{checked} blocks");
}
