//! cargo escape: Go's `-gcflags=-m` escape analysis for Rust.
//!
//! The crate is a pipeline, one stage a module, data flowing one way:
//!
//! 1. [`discover`]: cargo metadata (`--no-deps`) gives the packages and targets to analyze,
//!    and [`config`] reads `escape.toml` and the manifests' `[*.metadata.escape]` tables.
//! 2. [`load`]: each target's module tree is followed from its root, and every file is read,
//!    parsed by syn and lowered to the [`ir`] in parallel. syn's AST never leaves a worker.
//! 3. [`index`]: each crate's modules, items and imports, and name resolution over them.
//! 4. [`analyze`]: the rules of [`rules`] run over each crate and return diagnostics.
//! 5. [`filter`]: levels (configuration, then `-D`/`-W`/`-A`), suppressions, excluded paths,
//!    the baseline and `-m` verbosity decide what is kept.
//! 6. [`render`]: human, short, JSON and `-m` output.
//! 7. [`cli`] ties the stages together and turns the result into an exit code.
//!
//! Diagnostics ([`diagnostic`]) are plain values at every stage; only `render` prints.

pub mod cargo_check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod escape;
pub mod facts;
pub mod filter;
pub mod index;
pub mod ir;
pub mod levels;
pub mod load;
pub mod paths;
pub mod pipeline;
pub mod render;
pub mod rules;
pub mod sources;
pub mod suggest;
pub mod sym;

use diagnostic::Diagnostic;
use load::{CrateRoot, LoadOptions, Loaded};

/// Worker threads for parsing and analysis. syn's parser recurses once per nesting level; the
/// load stage bounds nesting, and 64 MiB stacks leave room for the deepest file it accepts.
pub fn worker_pool(jobs: Option<usize>) -> Result<rayon::ThreadPool, rayon::ThreadPoolBuildError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .stack_size(64 << 20)
        .thread_name(|i| format!("escape-{i}"))
        .build()
}

/// Stages 2 to 4 for crates given by their root files, without cargo: loads the module trees,
/// then runs every rule. `crates[i]` describes `roots[i]`. The diagnostics are unfiltered and
/// unsorted. Tests and the lint pages' examples use this directly.
pub fn check_roots(
    roots: &[CrateRoot],
    crates: &[facts::CrateInput],
    load_options: LoadOptions,
    options: &facts::Options,
    pool: &rayon::ThreadPool,
) -> (Loaded, Vec<Diagnostic>) {
    let mut loaded = load::load(roots, load_options, &sources::DiskSources::default(), pool);
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    diagnostics.extend(pipeline::analyze(&loaded, crates, options, pool));
    (loaded, diagnostics)
}

thread_local! {
    /// Where the last panic on this thread happened, for [`panic_message`].
    static PANIC_LOCATION: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Replaces the default panic hook, which prints to stderr, with one that only remembers where
/// the panic happened. Every panic is caught (per file, per rule, and around the whole run) and
/// reported as an `internal_error` diagnostic, with that location, through [`panic_message`].
pub fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
        PANIC_LOCATION.with(|cell| *cell.borrow_mut() = location);
    }));
}

/// The message of a caught panic, with where it happened when known.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let message = if let Some(s) = panic.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    };
    match PANIC_LOCATION.with(|cell| cell.borrow_mut().take()) {
        Some(location) => format!("{message} (at {location})"),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn caught_panics_keep_their_message_and_location() {
        super::quiet_panics();
        let panic = std::panic::catch_unwind(|| panic!("boom {}", 1)).unwrap_err();
        let message = super::panic_message(&*panic);
        assert!(message.starts_with("boom 1 (at src/lib.rs:"), "{message}");
        let _ = std::panic::take_hook();
    }
}
