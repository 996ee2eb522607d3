//! The analysis stages of a run, crate by crate and crates in parallel: index, facts, escape
//! graph, rules. Each crate's index and graphs are dropped as soon as its rules have run; when
//! the run checks contracts, the crate leaves behind its functions' effects, a small summary
//! that the contracts' check reads once every crate is done.
//!
//! Each stage's time is summed over the crates, which run on several threads at once: the
//! sums may add up to more than the analysis took by the clock. Facts are computed on demand
//! while the rules run, and memoized in the crate's context, so their time is the rules'.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, FileId, Input, Label, Level};
use crate::escape::{self, CrateEscape};
use crate::facts::effects::{self, CrateEffects};
use crate::facts::{CrateCx, CrateInput, Options};
use crate::ir::Span;
use crate::load::Loaded;
use crate::rules::{self, Rule};

/// Nanoseconds spent in each per-crate stage, over all crates.
#[derive(Default)]
struct Clocks {
    index: AtomicU64,
    escape: AtomicU64,
    rules: AtomicU64,
}

impl Clocks {
    /// Runs `f`, adding its time to `clock`.
    fn time<T>(clock: &AtomicU64, f: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let value = f();
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        clock.fetch_add(nanos, Ordering::Relaxed);
        value
    }

    fn sums(&self) -> Vec<(&'static str, Duration)> {
        let read = |clock: &AtomicU64| Duration::from_nanos(clock.load(Ordering::Relaxed));
        vec![
            ("index", read(&self.index)),
            ("escape", read(&self.escape)),
            ("rules", read(&self.rules)),
        ]
    }
}

/// What the per-crate analysis leaves: diagnostics, the time of each per-crate stage (summed
/// over the crates), and, when the run checks contracts, each crate's functions' effects.
pub struct Analyzed {
    pub diagnostics: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
    pub effects: Vec<CrateEffects>,
}

/// Runs every rule that `options` shows over every crate on `pool`.
pub fn analyze(
    loaded: &Loaded,
    crates: &[CrateInput],
    options: &Options,
    pool: &rayon::ThreadPool,
) -> Analyzed {
    let clocks = Clocks::default();
    let per_crate: Vec<(Vec<Diagnostic>, Option<CrateEffects>)> = pool.install(|| {
        crates
            .par_iter()
            .map(|input| analyze_crate(loaded, input, options, &clocks))
            .collect()
    });
    let mut analyzed = Analyzed {
        diagnostics: Vec::new(),
        timings: clocks.sums(),
        effects: Vec::new(),
    };
    for (diagnostics, effects) in per_crate {
        analyzed.diagnostics.extend(diagnostics);
        analyzed.effects.extend(effects);
    }
    analyzed
}

fn analyze_crate(
    loaded: &Loaded,
    input: &CrateInput,
    options: &Options,
    clocks: &Clocks,
) -> (Vec<Diagnostic>, Option<CrateEffects>) {
    let running: Vec<&Rule> = rules::ALL
        .iter()
        .copied()
        .filter(|r| r.runs(options))
        .collect();
    let mut out = Vec::new();
    if running.is_empty() {
        return (out, None);
    }
    let cx = Clocks::time(&clocks.index, || CrateCx::new(loaded, input, options));
    let escape = if running.iter().any(|r| r.meta.escape) {
        let result = Clocks::time(&clocks.escape, || {
            std::panic::catch_unwind(AssertUnwindSafe(|| escape::analyze(&cx)))
        });
        match result {
            Ok(escape) => escape,
            Err(panic) => {
                out.push(internal_error(&cx, "the escape analysis", &*panic));
                CrateEscape::default()
            }
        }
    } else {
        CrateEscape::default()
    };
    Clocks::time(&clocks.rules, || {
        for rule in running {
            let mut found = Vec::new();
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
                (rule.check)(&cx, &escape, &mut found)
            }));
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
    });
    // The contracts' summary of the crate: all that is kept of it once its index is dropped.
    let effects = if options.contracts {
        Clocks::time(&clocks.rules, || {
            match std::panic::catch_unwind(AssertUnwindSafe(|| effects::summarize(&cx))) {
                Ok(effects) => Some(effects),
                Err(panic) => {
                    out.push(internal_error(&cx, "the contracts' summary", &*panic));
                    None
                }
            }
        })
    } else {
        None
    };
    (out, effects)
}

fn internal_error(cx: &CrateCx<'_>, what: &str, panic: &(dyn std::any::Any + Send)) -> Diagnostic {
    let root = cx.index.tree.modules.first().map_or(FileId(0), |m| m.file);
    Diagnostic::new(
        Input::InternalError,
        Level::Error,
        format!(
            "{what} failed on this crate: {}",
            crate::panic_message(panic)
        ),
        Label::new(root, Span::default(), ""),
    )
}
