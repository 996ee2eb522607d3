//! The filter stage of a check: which diagnostics are kept, at which level, in which order.
//! Suppression comments, excluded paths, test code a package does not analyze, levels and
//! `-m` verbosity, then the baseline.

use std::collections::HashMap;

use super::{BaselineMode, Error, Project};
use crate::diagnostic::{Diagnostic, FileId, PackageId};
use crate::facts;
use crate::filter::baseline::{self, Baseline};
use crate::filter::suppress;
use crate::load::TestCfg;
use crate::rules;

use super::report::{BaselineOutcome, Report};

/// What the filter stage reads: the run's project and options, and its report so far.
pub(super) struct Filter<'r> {
    pub project: &'r Project,
    pub analysis: &'r facts::Options,
    pub baseline: &'r BaselineMode,
    pub report: &'r Report,
}

impl Filter<'_> {
    /// Keeps what is to be shown, sorted; applies (and prunes) a baseline if there is one.
    pub fn run(
        &self,
        mut diagnostics: Vec<Diagnostic>,
    ) -> Result<(Vec<Diagnostic>, Option<BaselineOutcome>), Error> {
        let loaded = self.report.loaded();
        let (suppressions, problems) = suppress::collect(loaded);
        diagnostics.extend(problems);
        let checked = |rule: &str| rules::find(rule).is_some_and(|r| r.runs(self.analysis));
        let mut diagnostics = suppress::apply(diagnostics, &suppressions, &checked);
        // Test code is read when some package analyzes it; the others' is hidden.
        let tests_read = self.project.test_cfg() == TestCfg::Both;
        let hidden =
            |d: &Diagnostic| self.excluded(d.primary.file) || (tests_read && self.hidden_test(d));
        diagnostics.retain(|d| !hidden(d));
        let order = self.display_order();
        let diagnostics = crate::filter::filter(
            diagnostics,
            |d| &self.settings(d.primary.file).levels,
            self.analysis.verbosity,
            |d| order[d.primary.file.index()],
        );
        let items = self.report.item_paths();
        let diagnostics = crate::filter::group(diagnostics, |d| {
            items
                .enclosing(d.primary.file, d.primary.span.lo)
                .map(|i| i.path.as_str())
        });
        match self.baseline {
            BaselineMode::Apply { path, prune } => {
                let old = Baseline::read(path).map_err(Error::Baseline)?;
                let in_scope = self.in_scope();
                let key = |d: &Diagnostic| self.report.finding_key(d);
                // What this run finds, before the baseline covers any of it.
                let now = prune.then(|| {
                    Baseline::of(diagnostics.iter().filter(|d| baseline::gated(d)).map(key))
                });
                let (kept, applied) = baseline::apply(diagnostics, &old, &key, &in_scope);
                if let Some(now) = now {
                    old.pruned(&now, &in_scope)
                        .write(path)
                        .map_err(Error::Baseline)?;
                }
                let pruned = *prune;
                Ok((kept, Some(BaselineOutcome::Applied { applied, pruned })))
            }
            BaselineMode::Off | BaselineMode::Write { .. } => Ok((diagnostics, None)),
        }
    }

    /// The package whose settings apply to `file`: that of the target that owns it.
    fn package_of(&self, file: FileId) -> Option<PackageId> {
        let owner = self.report.file(file).owner?;
        Some(self.project.targets.get(owner.index())?.package)
    }

    fn settings(&self, file: FileId) -> &super::project::Settings {
        self.project.settings(self.package_of(file))
    }

    /// A path `exclude`d by a configuration layer of the file's package.
    fn excluded(&self, file: FileId) -> bool {
        self.settings(file).excludes(&self.report.file(file).path)
    }

    /// Test code of a package that does not analyze it.
    fn hidden_test(&self, d: &Diagnostic) -> bool {
        let package = self.package_of(d.primary.file);
        package.is_some_and(|p| !self.project.package(p).tests)
            && self
                .report
                .item_paths()
                .is_test(d.primary.file, d.primary.span.lo)
    }

    /// Each file's rank in the output: files sort by the path they are shown with.
    fn display_order(&self) -> Vec<usize> {
        let names: Vec<String> = self
            .report
            .files()
            .iter()
            .map(|f| crate::paths::relative_to(&f.path, &self.report.display_base))
            .collect();
        let mut ids: Vec<usize> = (0..names.len()).collect();
        ids.sort_by(|&a, &b| names[a].cmp(&names[b]));
        let mut order = vec![0; ids.len()];
        for (rank, id) in ids.into_iter().enumerate() {
            order[id] = rank;
        }
        order
    }

    /// Whether this run looked at what a baseline entry is about: an analyzed file, outside
    /// the excluded paths, and a rule that ran there. Other entries are neither fixed nor
    /// pruned.
    fn in_scope(&self) -> impl Fn(&baseline::Entry) -> bool + '_ {
        // The files this run analyzed, by the name a baseline gives them.
        let analyzed: HashMap<String, FileId> = (0..self.report.files().len())
            .map(|i| FileId(i as u32))
            .filter(|&f| self.report.file(f).owner.is_some())
            .map(|f| (self.report.root_relative(f), f))
            .collect();
        move |e: &baseline::Entry| {
            let Some(&file) = analyzed.get(&e.file) else {
                return false;
            };
            let levels = &self.settings(file).levels;
            let ran = match rules::find(&e.rule) {
                Some(rule) => {
                    rule.runs(self.analysis)
                        && levels.level_of(&e.rule, rule.meta.default_level).is_some()
                }
                None => true,
            };
            ran && !self.excluded(file)
        }
    }
}
