//! The shape of the code, as `ARCHITECTURE.md` states it: the top-level modules of `src/` form
//! layers, each using only the ones before it; no rule uses another rule; no file or function
//! grows past what one reader holds in mind. Like rust-analyzer's tidy tests, this reads the sources.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The top-level modules, from the bottom layer up. A module may use those before it, never
/// those after it, so there is no cycle. Keep in step with `ARCHITECTURE.md`.
const LAYERS: &[&str] = &[
    "sym",
    "ir",
    "diagnostic",
    "levels",
    "paths",
    "suggest",
    "sources",
    "config",
    "discover",
    "load",
    "index",
    "facts",
    "escape",
    "rules",
    "filter",
    "pipeline",
    "render",
    "cargo_check",
    "cli",
];

/// Lines a source file may have.
const MAX_FILE_LINES: usize = 1000;

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to: `src/load/lower/expr.rs` is in `load`.
fn module_of(path: &Path) -> Option<String> {
    let relative = path.strip_prefix(src()).unwrap();
    let first = relative.components().next()?.as_os_str().to_str()?;
    match first {
        "lib.rs" | "main.rs" => None,
        _ => Some(first.trim_end_matches(".rs").to_string()),
    }
}

/// The code of a file without its comments, string contents and `#[cfg(test)]` tail, which
/// may name anything.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::name` a file's code mentions, `use` lines and paths inside code alike.
fn crate_paths(code: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().last();
            rest = &rest[at + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push((name, n + 1));
            }
        }
    }
    out
}

fn sources() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

#[test]
fn modules_use_only_the_layers_below_them() {
    let rank: BTreeMap<&str, usize> = LAYERS.iter().enumerate().map(|(i, m)| (*m, i)).collect();
    let mut problems = Vec::new();
    for (path, text) in sources() {
        let Some(module) = module_of(&path) else {
            continue;
        };
        let shown = path.strip_prefix(src()).unwrap().display().to_string();
        let Some(&own) = rank.get(module.as_str()) else {
            problems.push(format!(
                "src/{shown}: the module `{module}` is in no layer of tests/architecture.rs (and ARCHITECTURE.md)"
            ));
            continue;
        };
        for (used, line) in crate_paths(&code_of(&text)) {
            let Some(&theirs) = rank.get(used.as_str()) else {
                continue; // an item of the crate root, such as `crate::panic_message`
            };
            if theirs > own {
                problems.push(format!(
                    "src/{shown}:{line}: `{module}` uses `{used}`, a layer above it"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn rules_never_use_other_rules() {
    let mut problems = Vec::new();
    let rules_dir = src().join("rules");
    let mut rule_names = Vec::new();
    for entry in std::fs::read_dir(&rules_dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        if name != "mod" {
            rule_names.push(name);
        }
    }
    for (path, text) in sources() {
        if path.parent() != Some(rules_dir.as_path())
            || path.file_stem().is_some_and(|s| s == "mod")
        {
            continue;
        }
        let own = path.file_stem().unwrap().to_str().unwrap();
        for (other, line) in rules_used(&code_of(&text), &rule_names) {
            if other != own {
                problems.push(format!(
                    "src/rules/{own}.rs:{line}: uses the rule `{other}`; share facts through src/facts instead"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The rules a rule file names: `super::x`, `rules::x`, or `x` in a `use super::{..}` group.
fn rules_used(code: &str, rules: &[String]) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map(str::to_string)
            .collect()
    };
    let mut group: Option<usize> = None;
    for (n, line) in code.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("use super::{") || trimmed.starts_with("use crate::rules::{") {
            group = Some(n + 1);
        }
        for rule in rules {
            let named = [format!("super::{rule}"), format!("rules::{rule}")]
                .iter()
                .any(|p| line.contains(p.as_str()));
            if named || (group.is_some() && words(line).contains(rule)) {
                out.push((rule.clone(), n + 1));
            }
        }
        if group.is_some() && line.contains(';') {
            group = None;
        }
    }
    out
}

#[test]
fn no_file_is_too_long_to_read() {
    let long: Vec<String> = sources()
        .into_iter()
        .filter_map(|(path, text)| {
            let lines = text.lines().count();
            (lines > MAX_FILE_LINES).then(|| {
                format!(
                    "src/{}: {lines} lines (at most {MAX_FILE_LINES})",
                    path.strip_prefix(src()).unwrap().display()
                )
            })
        })
        .collect();
    assert!(long.is_empty(), "{}", long.join("\n"));
}

/// Lines a function's body may have.
const MAX_FN_LINES: usize = 150;

/// Every function and method of a file with a body, by name and line count, inline modules
/// included (functions nested inside bodies count with their parent).
fn function_lengths(text: &str) -> Vec<(String, usize)> {
    fn lines(block: &syn::Block) -> usize {
        let span = block.brace_token.span.join();
        span.end().line - span.start().line + 1
    }
    fn items(list: &[syn::Item], out: &mut Vec<(String, usize)>) {
        for item in list {
            match item {
                syn::Item::Fn(f) => out.push((f.sig.ident.to_string(), lines(&f.block))),
                syn::Item::Impl(i) => {
                    for it in &i.items {
                        if let syn::ImplItem::Fn(f) = it {
                            out.push((f.sig.ident.to_string(), lines(&f.block)));
                        }
                    }
                }
                syn::Item::Trait(t) => {
                    for it in &t.items {
                        if let syn::TraitItem::Fn(syn::TraitItemFn {
                            sig,
                            default: Some(block),
                            ..
                        }) = it
                        {
                            out.push((sig.ident.to_string(), lines(block)));
                        }
                    }
                }
                syn::Item::Mod(syn::ItemMod {
                    content: Some((_, inner)),
                    ..
                }) => items(inner, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    if let Ok(file) = syn::parse_file(text) {
        items(&file.items, &mut out);
    }
    out
}

#[test]
fn no_function_is_too_long_to_read() {
    let mut long = Vec::new();
    for (path, text) in sources() {
        for (name, lines) in function_lengths(&text) {
            if lines > MAX_FN_LINES {
                long.push(format!(
                    "src/{}: fn {name} is {lines} lines (at most {MAX_FN_LINES})",
                    path.strip_prefix(src()).unwrap().display()
                ));
            }
        }
    }
    assert!(long.is_empty(), "{}", long.join("\n"));
}

#[test]
fn the_checker_sees_what_it_checks() {
    let lengths = function_lengths(
        "fn a() {\n}\nimpl X { fn b(&self) {\n\n} }\nmod m { trait T { fn c() {} fn d(); } }",
    );
    assert_eq!(
        lengths,
        [
            ("a".to_string(), 2),
            ("b".to_string(), 3),
            ("c".to_string(), 1)
        ]
    );
    // A `use` and an inline path are both found; a comment and a longer name are not.
    let code = code_of(
        "use crate::facts::CrateCx;\nlet x = crate::escape::analyze(cx); // crate::cli\nmy_crate::rules::x();",
    );
    let found: Vec<String> = crate_paths(&code).into_iter().map(|(m, _)| m).collect();
    assert_eq!(found, ["facts", "escape"]);
    assert_eq!(
        module_of(&src().join("load/lower/expr.rs")).as_deref(),
        Some("load")
    );
    assert_eq!(module_of(&src().join("lib.rs")), None);
    let rules = ["dyn_box".to_string(), "returned_box".to_string()];
    let used = rules_used(
        "use super::{Rule, RuleMeta,\n    dyn_box};\nlet g = super::returned_box::generic_names(b);\nlet dyn_boxes = 1;",
        &rules,
    );
    assert_eq!(
        used,
        [("dyn_box".to_string(), 2), ("returned_box".to_string(), 3)]
    );
}
