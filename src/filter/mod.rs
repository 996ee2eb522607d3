//! Stage 5: filter. Decides each diagnostic's final level from `-D`/`-W`/`-A`, drops what is
//! allowed or too verbose for the requested `-m` level, sorts, removes duplicates, and groups
//! findings that repeat one cause in one item.

pub mod baseline;
pub mod items;
pub mod suppress;

use crate::diagnostic::{Diagnostic, Label};
use crate::levels::Levels;

/// Applies levels and verbosity, then sorts by file, position and code, and removes
/// duplicates. `order` gives each diagnostic's file its place in the output (by display path).
pub fn filter<'l>(
    diagnostics: Vec<Diagnostic>,
    levels: impl Fn(&Diagnostic) -> &'l Levels,
    verbosity: u8,
    order: impl Fn(&Diagnostic) -> usize,
) -> Vec<Diagnostic> {
    let mut kept: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter_map(|mut d| {
            if d.verbosity > verbosity {
                return None;
            }
            let levels = levels(&d);
            if d.verbosity > 0 {
                // Informative verdicts keep their level; only `-A` silences them.
                return (!levels.allows(d.code.as_str())).then_some(d);
            }
            d.level = levels.level_of(d.code.as_str(), d.level)?;
            Some(d)
        })
        .collect();
    kept.sort_by(|a, b| {
        (
            order(a),
            a.primary.span.lo,
            a.code,
            a.primary.span.hi,
            &a.message,
            a.level,
        )
            .cmp(&(
                order(b),
                b.primary.span.lo,
                b.code,
                b.primary.span.hi,
                &b.message,
                b.level,
            ))
    });
    kept.dedup();
    kept
}

/// Findings that repeat one cause in one item become one finding, labelled at each place: the
/// same rule, level and message in the same item (`item` gives a finding's enclosing item,
/// `None` outside any). The first place stays the primary one, and the finding says how many
/// there are. `-m` verdicts stay one a line, as Go prints them. `diagnostics` are sorted.
pub fn group<'i>(
    diagnostics: Vec<Diagnostic>,
    item: impl Fn(&Diagnostic) -> Option<&'i str>,
) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len());
    // Where each group's finding is in `out`, by its key.
    let mut groups: std::collections::HashMap<_, usize> = Default::default();
    let mut counts: Vec<usize> = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        let key = (d.verbosity == 0)
            .then(|| item(&d))
            .flatten()
            .map(|item| (d.code, d.level, d.message.clone(), d.primary.file, item));
        if let Some(key) = &key
            && let Some(&at) = groups.get(key)
        {
            let first = &mut out[at];
            let text = if d.primary.text.is_empty() {
                "and here".to_string()
            } else {
                d.primary.text.clone()
            };
            first
                .also
                .push(Label::new(d.primary.file, d.primary.span, text));
            counts[at] += 1;
            continue;
        }
        if let Some(key) = key {
            groups.insert(key, out.len());
        }
        out.push(d);
        counts.push(1);
    }
    for (d, n) in out.iter_mut().zip(counts) {
        if n > 1 {
            d.children.push(crate::diagnostic::Child {
                level: crate::diagnostic::Level::Note,
                message: format!("the same finding at {n} places in this item, each labelled"),
                at: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{FileId, Input, Level};
    use crate::ir::Span;

    fn finding(message: &str, lo: u32, verbosity: u8) -> Diagnostic {
        Diagnostic::new(
            Input::TooDeep,
            Level::Warning,
            message,
            Label::new(FileId(0), Span::new(lo, lo + 1), "here"),
        )
        .with_verbosity(verbosity)
    }

    #[test]
    fn one_cause_in_one_item_is_one_finding() {
        let found = vec![
            finding("a", 1, 0),
            finding("b", 2, 0),
            finding("a", 3, 0),
            finding("a", 30, 0),
            finding("a", 4, 1),
            finding("a", 5, 1),
        ];
        // Offsets below 10 are in one item, from 10 on in another.
        let item = |d: &Diagnostic| Some(if d.primary.span.lo < 10 { "f" } else { "g" });
        let grouped = group(found, item);
        let shown: Vec<(&str, u32, usize)> = grouped
            .iter()
            .map(|d| (d.message.as_str(), d.primary.span.lo, d.also.len()))
            .collect();
        assert_eq!(
            shown,
            [
                ("a", 1, 1),
                ("b", 2, 0),
                ("a", 30, 0),
                ("a", 4, 0),
                ("a", 5, 0)
            ]
        );
        assert_eq!(grouped[0].also[0].span.lo, 3);
        assert!(grouped[0].children[0].message.contains("2 places"));
        // Outside any item nothing is grouped.
        let outside = group(vec![finding("a", 1, 0), finding("a", 2, 0)], |_| None);
        assert_eq!(outside.len(), 2);
    }
}
