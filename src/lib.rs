//! cargo escape: Go's `-gcflags=-m` escape analysis for Rust.
//!
//! The crate is a pipeline, one stage a module, data flowing one way. [`pipeline`] is its
//! entry point as a library: [`pipeline::project`] then [`pipeline::check`].
//!
//! 1. [`discover`]: cargo metadata (`--no-deps`) gives the packages and targets to analyze,
//!    and [`config`] reads `escape.toml` and the manifests' `[*.metadata.escape]` tables.
//! 2. [`load`]: each target's module tree is followed from its root, and every file is read
//!    (through [`sources`]: the disk, or an editor's buffers over it), parsed by syn and
//!    lowered to the [`ir`] in parallel. syn's AST never leaves a worker.
//! 3. [`index`]: each crate's modules, items and imports, and name resolution over them.
//! 4. [`facts`], [`escape`] and [`rules`]: what the code does, the escape graph of each body,
//!    and the rules over them, crate by crate ([`pipeline::analyze`]).
//! 5. [`filter`]: levels (configuration, then `-D`/`-W`/`-A`), suppressions, excluded paths,
//!    the baseline and `-m` verbosity decide what is kept.
//! 6. [`render`]: human, short, JSON, SARIF and `-m` output.
//! 7. [`cli`] maps flags to the pipeline's options, renders its report and returns its exit
//!    code.
//!
//! Diagnostics ([`diagnostic`]) are plain values at every stage; only `render` prints.
//!
//! The library's API is what a driver needs: [`pipeline`] (with [`config`] and [`levels`] for
//! its options), [`sources`], [`diagnostic`], [`render`], the rules' metadata in [`rules`], and
//! [`cli`]. The stages between load and filter are private to the crate, free to change.

pub(crate) mod cargo_check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub(crate) mod discover;
pub(crate) mod escape;
pub(crate) mod facts;
pub(crate) mod filter;
pub(crate) mod index;
pub(crate) mod ir;
pub mod levels;
pub(crate) mod load;
pub(crate) mod paths;
pub mod pipeline;
pub mod render;
pub mod rules;
pub mod sources;
pub(crate) mod suggest;
pub(crate) mod sym;

/// The stack of each worker thread. A file whose parse may need more (see `load::depth`) is
/// parsed on a thread of its own with the stack it needs.
pub const WORKER_STACK: usize = 64 << 20;

/// Worker threads for parsing and analysis, with [`WORKER_STACK`] each.
pub fn worker_pool(jobs: Option<usize>) -> Result<rayon::ThreadPool, rayon::ThreadPoolBuildError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .stack_size(WORKER_STACK)
        .thread_name(|i| format!("escape-{i}"))
        .build()
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
