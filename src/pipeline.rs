//! The analysis stages of a run, crate by crate and crates in parallel: index, facts, escape
//! graph, rules. Each crate's index and graphs are dropped as soon as its rules have run.

use std::panic::AssertUnwindSafe;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, FileId, Label, Level};
use crate::escape::{self, CrateEscape};
use crate::facts::{CrateCx, CrateInput, Options};
use crate::ir::Span;
use crate::load::Loaded;
use crate::rules::{self, Rule};

/// Runs every rule that `options` shows over every crate on `pool`.
pub fn analyze(
    loaded: &Loaded,
    crates: &[CrateInput],
    options: &Options,
    pool: &rayon::ThreadPool,
) -> Vec<Diagnostic> {
    pool.install(|| {
        crates
            .par_iter()
            .flat_map_iter(|input| analyze_crate(loaded, input, options))
            .collect::<Vec<_>>()
    })
}

fn analyze_crate(loaded: &Loaded, input: &CrateInput, options: &Options) -> Vec<Diagnostic> {
    let running: Vec<&Rule> = rules::ALL
        .iter()
        .copied()
        .filter(|r| r.runs(options))
        .collect();
    let mut out = Vec::new();
    if running.is_empty() {
        return out;
    }
    let cx = CrateCx::new(loaded, input, options);
    let escape = if running.iter().any(|r| r.meta.escape) {
        match std::panic::catch_unwind(AssertUnwindSafe(|| escape::analyze(&cx))) {
            Ok(escape) => escape,
            Err(panic) => {
                out.push(internal_error(&cx, "the escape analysis", &*panic));
                CrateEscape::default()
            }
        }
    } else {
        CrateEscape::default()
    };
    for rule in running {
        let mut found = Vec::new();
        let result =
            std::panic::catch_unwind(AssertUnwindSafe(|| (rule.check)(&cx, &escape, &mut found)));
        match result {
            Ok(()) => out.extend(found),
            // A rule that panics loses its own findings for the crate, and says so; the
            // others stand.
            Err(panic) => out.push(internal_error(
                &cx,
                &format!("rule `{}`", rule.meta.id),
                &*panic,
            )),
        }
    }
    out
}

fn internal_error(cx: &CrateCx<'_>, what: &str, panic: &(dyn std::any::Any + Send)) -> Diagnostic {
    let root = cx.index.tree.modules.first().map_or(FileId(0), |m| m.file);
    Diagnostic::new(
        "internal_error",
        Level::Error,
        format!(
            "{what} failed on this crate: {}",
            crate::panic_message(panic)
        ),
        Label::new(root, Span::default(), ""),
    )
}
