//! The contracts' stage of a check (`no_alloc`, `no_block`): whether the run has any, and,
//! once every crate has been analyzed and has left its functions' effects behind, the check of
//! the call graph across the workspace's crates and the rules' diagnostics.

use super::Project;
use crate::diagnostic::Diagnostic;
use crate::facts::{self, effects};
use crate::load::Loaded;
use crate::rules;
use crate::sym::Sym;

/// Whether the run checks contracts: a contract rule runs, and a contract is written in the
/// code or the configuration. Without one, no crate summarizes its functions.
pub(super) fn wanted(project: &Project, loaded: &Loaded, analysis: &facts::Options) -> bool {
    rules::WORKSPACE.iter().any(|w| w.rule.runs(analysis))
        && (project.packages.iter().any(|p| p.settings.contracts.any())
            || project.outside.contracts.any()
            || effects::any_written(loaded))
}

/// Links the crates' effects, checks every contracted function, and returns the contract
/// rules' diagnostics.
pub(super) fn check(
    project: &Project,
    loaded: &Loaded,
    analysis: &facts::Options,
    crates: Vec<effects::CrateEffects>,
) -> Vec<Diagnostic> {
    let crates = crates
        .into_iter()
        .map(|c| {
            let target = &project.targets[c.krate.index()];
            let package = project.package(target.package);
            // A library is named by its crate name; a test, bench or binary is never named by
            // another crate, but `crate::` works for it as for any.
            let name = match &target.cargo {
                Some(t) => t.name.replace('-', "_"),
                None => package.name.replace('-', "_"),
            };
            effects::Crate {
                effects: c,
                name: Sym::new(&name),
                is_lib: target.description == "lib",
                globs: &package.settings.contracts,
            }
        })
        .collect();
    let verdicts = effects::solve(loaded, crates);
    let mut out = Vec::new();
    for w in rules::WORKSPACE {
        if w.rule.runs(analysis) {
            (w.check)(&verdicts, loaded, analysis, &mut out);
        }
    }
    out
}
