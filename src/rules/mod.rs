//! The rules: one file each, with its metadata beside it, and a page in `lints/`.
//!
//! A rule is a [`Rule`]: its [`RuleMeta`] and a check function that reads a crate and returns
//! diagnostics. [`ALL`] lists them in the order `cargo escape rules` prints.

pub mod closure_escape;
pub mod detached_spawn;
pub mod dyn_box;
pub mod heap_allocation;
pub mod large_stack_array;
pub mod leaked_reference;
pub mod leaking_param;
pub mod no_alloc;
pub mod no_block;
pub mod non_escaping_box;
pub mod rc_cycle;
pub mod returned_box;
pub mod static_accumulator;

use crate::diagnostic::{Code, Diagnostic, Input, Level};
use crate::escape::CrateEscape;
use crate::facts::effects::Verdicts;
use crate::facts::{CrateCx, Options};
use crate::load::Loaded;

pub struct RuleMeta {
    /// The id, without the `escape::` prefix.
    pub id: &'static str,
    pub default_level: Level,
    /// The `-m` level every finding of the rule needs: 0 when it can warn, 1 for rules that
    /// only print verdicts. The rule does not run below it.
    pub verbosity: u8,
    /// One line, for `cargo escape rules` and SARIF.
    pub summary: &'static str,
    /// The rule's page, `lints/<id>.md`.
    pub page: &'static str,
    /// Whether the rule reads the escape graph: the crate's graphs are built and solved only
    /// when a rule that runs does.
    pub escape: bool,
}

pub struct Rule {
    pub meta: RuleMeta,
    pub check: fn(&CrateCx<'_>, &CrateEscape, &mut Vec<Diagnostic>),
}

impl Rule {
    /// The code of the rule's findings.
    pub fn code(&self) -> Code {
        Code::Rule(self.meta.id)
    }

    /// Whether the rule runs: its findings are shown at this `-m` level, and it is not allowed.
    pub fn runs(&self, options: &Options) -> bool {
        self.meta.verbosity <= options.verbosity
            && !options.allowed.iter().any(|a| a == self.meta.id)
    }
}

pub static ALL: &[&Rule] = &[
    &returned_box::RULE,
    &non_escaping_box::RULE,
    &dyn_box::RULE,
    &large_stack_array::RULE,
    &closure_escape::RULE,
    &leaked_reference::RULE,
    &static_accumulator::RULE,
    &rc_cycle::RULE,
    &detached_spawn::RULE,
    &leaking_param::RULE,
    &heap_allocation::RULE,
    &no_alloc::RULE,
    &no_block::RULE,
];

/// A rule whose findings need every crate of the run: the contracts (`no_alloc`,
/// `no_block`), which follow calls from crate to crate. Each is in [`ALL`] too, where its
/// per-crate check finds nothing; its findings come from here, once all crates are analyzed
/// and their functions' effects linked (`facts::effects`).
pub struct WorkspaceRule {
    pub rule: &'static Rule,
    pub check: fn(&Verdicts, &Loaded, &Options, &mut Vec<Diagnostic>),
}

pub static WORKSPACE: &[&WorkspaceRule] = &[&no_alloc::WORKSPACE, &no_block::WORKSPACE];

/// The per-crate check of a workspace rule: nothing, as a contract follows calls into other
/// crates and is checked once all are analyzed.
fn checked_once_all_are_analyzed(_: &CrateCx<'_>, _: &CrateEscape, _: &mut Vec<Diagnostic>) {}

/// A rule by id, with or without the `escape::` prefix.
pub fn find(id: &str) -> Option<&'static Rule> {
    let id = id.strip_prefix("escape::").unwrap_or(id);
    ALL.iter().copied().find(|r| r.meta.id == id)
}

/// Whether `id` names a rule or an input diagnostic.
pub fn is_known_code(id: &str) -> bool {
    let id = id.strip_prefix("escape::").unwrap_or(id);
    find(id).is_some() || Input::find(id).is_some()
}

/// Every name `-D`/`-W`/`-A` accept, for suggestions.
pub fn all_codes() -> impl Iterator<Item = &'static str> {
    ALL.iter()
        .map(|r| r.meta.id)
        .chain(Input::ALL.iter().map(|i| i.id()))
}
