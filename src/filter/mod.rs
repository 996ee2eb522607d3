//! Stage 5: filter. Decides each diagnostic's final level from `-D`/`-W`/`-A`, drops what is
//! allowed or too verbose for the requested `-m` level, sorts, and removes duplicates.

pub mod baseline;
pub mod items;
pub mod suppress;

use crate::diagnostic::Diagnostic;
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
