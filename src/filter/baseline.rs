//! Baselines, for adopting the tool on an existing codebase: `--write-baseline FILE` records
//! today's findings, `--baseline FILE` reports only those beyond it.
//!
//! An entry is a rule, a file and the item the findings are in (`crate::store::Cache::insert`),
//! with how many there are. Line numbers are never part of it: an edit elsewhere in the file
//! must not bring old findings back. A baseline only ever shrinks: `--prune-baseline` lowers
//! its counts to what is left, and nothing adds to it but `--write-baseline`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::items::ItemPaths;
use crate::diagnostic::{Diagnostic, Level};

/// The file, as JSON.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub rule: String,
    /// Relative to the workspace root, with `/` separators.
    pub file: String,
    /// The innermost item around the findings, or `""` outside any.
    pub item: String,
    pub count: u32,
}

/// What a baseline's key is made of.
pub type Key = (String, String, String);

/// Whether a finding belongs in a baseline: warnings and errors a run shows, not `-m` verdicts
/// or problems reading the input.
pub fn gated(d: &Diagnostic) -> bool {
    d.verbosity == 0
        && matches!(d.level, Level::Warning | Level::Error)
        && crate::rules::find(d.code.as_str()).is_some()
}

/// The baseline key of a finding. `file` names its file as the baseline writes it.
pub fn key(d: &Diagnostic, items: &ItemPaths, file: &dyn Fn(&Diagnostic) -> String) -> Key {
    let item = items
        .enclosing(d.primary.file, d.primary.span.lo)
        .map_or(String::new(), |i| i.path.clone());
    (d.code.to_string(), file(d), item)
}

impl Baseline {
    /// The baseline of these findings.
    pub fn of(keys: impl IntoIterator<Item = Key>) -> Baseline {
        let mut counts: BTreeMap<Key, u32> = BTreeMap::new();
        for k in keys {
            *counts.entry(k).or_default() += 1;
        }
        Baseline {
            version: 1,
            findings: counts
                .into_iter()
                .map(|((rule, file, item), count)| Entry {
                    rule,
                    file,
                    item,
                    count,
                })
                .collect(),
        }
    }

    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the baseline {}: {e}", path.display()))?;
        let baseline: Baseline = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a baseline: {e}", path.display()))?;
        if baseline.version != 1 {
            return Err(format!(
                "{} is a version {} baseline; this cargo escape reads version 1",
                path.display(),
                baseline.version
            ));
        }
        Ok(baseline)
    }

    pub fn write(&self, path: &Path) -> Result<(), String> {
        let mut text = serde_json::to_string_pretty(self).expect("a baseline serializes");
        text.push('\n');
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    fn allowance(&self) -> BTreeMap<Key, u32> {
        self.findings
            .iter()
            .map(|e| ((e.rule.clone(), e.file.clone(), e.item.clone()), e.count))
            .collect()
    }

    /// This baseline with each count lowered to what `now` finds; never raised, and entries
    /// down to zero removed. Entries this run did not look at (`in_scope` says: another
    /// package, a rule that did not run, an excluded path) are kept as they are.
    pub fn pruned(&self, now: &Baseline, in_scope: &dyn Fn(&Entry) -> bool) -> Baseline {
        let now = now.allowance();
        Baseline {
            version: 1,
            findings: self
                .findings
                .iter()
                .filter_map(|e| {
                    if !in_scope(e) {
                        return Some(e.clone());
                    }
                    let key = (e.rule.clone(), e.file.clone(), e.item.clone());
                    let count = e.count.min(now.get(&key).copied().unwrap_or(0));
                    (count > 0).then(|| Entry { count, ..e.clone() })
                })
                .collect(),
        }
    }
}

/// What applying a baseline did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Findings the baseline covered and were dropped.
    pub covered: usize,
    /// Findings the baseline allows that are gone: it could shrink by this many.
    pub fixed: usize,
}

/// Drops the findings a baseline covers (for each key, as many as its count, in output order).
/// Findings the baseline allows but this run did not see count as fixed only when the run
/// looked for them (`in_scope`).
pub fn apply(
    diagnostics: Vec<Diagnostic>,
    baseline: &Baseline,
    key: &dyn Fn(&Diagnostic) -> Key,
    in_scope: &dyn Fn(&Entry) -> bool,
) -> (Vec<Diagnostic>, Applied) {
    let mut left = baseline.allowance();
    let mut applied = Applied::default();
    let kept = diagnostics
        .into_iter()
        .filter(|d| {
            if !gated(d) {
                return true;
            }
            match left.get_mut(&key(d)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    applied.covered += 1;
                    false
                }
                _ => true,
            }
        })
        .collect();
    applied.fixed = baseline
        .findings
        .iter()
        .filter(|e| in_scope(e))
        .map(|e| {
            let key = (e.rule.clone(), e.file.clone(), e.item.clone());
            left.get(&key).copied().unwrap_or(0) as usize
        })
        .sum();
    (kept, applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(rule: &str, item: &str) -> Key {
        (rule.to_string(), "src/lib.rs".to_string(), item.to_string())
    }

    #[test]
    fn counts_and_pruning_only_shrink() {
        let old = Baseline::of([
            key("a", "crate::f"),
            key("a", "crate::f"),
            key("b", "crate::g"),
        ]);
        assert_eq!(old.findings.len(), 2);
        assert_eq!(old.findings[0].count, 2);
        // One `a` fixed, `b` gone, and a new `c` that pruning never adds.
        let now = Baseline::of([key("a", "crate::f"), key("c", "crate::h")]);
        let pruned = old.pruned(&now, &|_| true);
        assert_eq!(
            pruned.findings,
            [Entry {
                rule: "a".into(),
                file: "src/lib.rs".into(),
                item: "crate::f".into(),
                count: 1
            }]
        );
        // What the run did not look at stays.
        let kept = old.pruned(&now, &|e| e.rule == "a");
        assert_eq!(kept.findings.len(), 2);
        assert_eq!(kept.findings[1].rule, "b");
    }
}
