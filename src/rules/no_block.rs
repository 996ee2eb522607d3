//! `no_block`: a function that promises not to block (`#[cfg_attr(escape, no_block)]`,
//! rtsan's `#[nonblocking]`, `// escape: no_block`, `[contracts] no_block`) blocks (a lock, a
//! wait, a sleep, a join, a blocking channel operation, I/O), allocates or frees, or calls
//! what the tool cannot verify, somewhere in what it calls across the workspace. After
//! Clang's `[[clang::nonblocking]]`; the check is `facts::effects`'.

use super::{Rule, RuleMeta, WorkspaceRule};
use crate::diagnostic::{Diagnostic, Level};
use crate::facts::Options;
use crate::facts::effects::{Verdicts, report};
use crate::ir::ContractKind;
use crate::load::Loaded;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "no_block",
        default_level: Level::Error,
        verbosity: 0,
        summary: "a function promised not to block (`no_block`) locks, waits, does I/O, allocates, or calls what cannot be verified",
        page: include_str!("../../lints/no_block.md"),
        escape: false,
    },
    check: super::checked_once_all_are_analyzed,
};

pub static WORKSPACE: WorkspaceRule = WorkspaceRule { rule: &RULE, check };

fn check(verdicts: &Verdicts, loaded: &Loaded, options: &Options, out: &mut Vec<Diagnostic>) {
    out.extend(report::diagnostics(
        verdicts,
        ContractKind::NoBlock,
        RULE.code(),
        loaded,
        options,
    ));
}
