//! `no_alloc`: a function that promises not to allocate (`#[cfg_attr(escape, no_alloc)]`,
//! `// escape: no_alloc`, `[contracts] no_alloc`) allocates or frees heap memory, or calls
//! what the tool cannot verify, somewhere in what it calls across the workspace. After
//! Clang's `[[clang::nonallocating]]`; the check is `facts::effects`'.

use super::{Rule, RuleMeta, WorkspaceRule};
use crate::diagnostic::{Diagnostic, Level};
use crate::facts::Options;
use crate::facts::effects::{Verdicts, report};
use crate::ir::ContractKind;
use crate::load::Loaded;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "no_alloc",
        default_level: Level::Error,
        verbosity: 0,
        summary: "a function promised not to allocate (`no_alloc`) allocates, frees, or calls what cannot be verified",
        page: include_str!("../../lints/no_alloc.md"),
        escape: false,
    },
    check: super::checked_once_all_are_analyzed,
};

pub static WORKSPACE: WorkspaceRule = WorkspaceRule { rule: &RULE, check };

fn check(verdicts: &Verdicts, loaded: &Loaded, options: &Options, out: &mut Vec<Diagnostic>) {
    out.extend(report::diagnostics(
        verdicts,
        ContractKind::NoAlloc,
        RULE.code(),
        loaded,
        options,
    ));
}
