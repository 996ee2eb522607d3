//! The pipeline as a library: what the command line, the tests and any other tool run.
//!
//! 1. [`project`] (or [`Project::from_file`], [`Project::from_dir`] without cargo): discovery
//!    and configuration, settled per package.
//! 2. [`check`]: load (through a [`Sources`]) → index → escape → rules (per crate, crates in
//!    parallel) → filter (suppressions, excluded paths, hidden test code, levels, order,
//!    baseline). It returns a [`Report`], whose [`Report::exit_code`] is the run's.
//!
//! Every stage is timed ([`Timings`]). What stops a run is an [`Error`].

mod analyze;
mod contracts;
mod error;
mod filter;
#[cfg(test)]
mod layout_check;
mod project;
mod report;
mod timings;

use std::path::PathBuf;

pub use crate::facts::effects::ContractGlobs;
pub use analyze::{Analyzed, analyze};
pub use error::Error;
pub use project::{Exclude, Overrides, Package, Project, Settings, Target, known_codes, project};
pub use report::{BaselineOutcome, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Report};
pub use timings::Timings;

use crate::facts;
use crate::filter::baseline::{self, Baseline};
use crate::load::{self, LoadOptions, Loaded};
use crate::rules;
use crate::sources::Sources;

/// How a check runs and what it shows.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The `-m` level: 0 shows warnings, 1 adds every verdict, 2 the flows behind them.
    pub verbosity: u8,
    /// Whether diagnostics carry the flows behind them (with `-m=2`, and in JSON).
    pub flows: bool,
    /// `--target` triples: sizes are estimated for the narrowest, so that they stay lower
    /// bounds for all. None: a 64-bit target.
    pub target_triples: Vec<String>,
    /// Paths are shown relative to this directory, and the output sorted by them; `None`:
    /// the project root.
    pub display_base: Option<PathBuf>,
    pub baseline: BaselineMode,
}

/// What a check does with a baseline file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum BaselineMode {
    #[default]
    Off,
    /// Drop the findings the baseline at `path` covers; with `prune`, lower its counts to
    /// what is left.
    Apply { path: PathBuf, prune: bool },
    /// Write today's findings to `path`.
    Write { path: PathBuf },
}

/// The analysis options of a check of `project`: `options`, and the rules every package
/// allows, which do not run.
pub fn analysis_options(project: &Project, options: &Options) -> facts::Options {
    let triples = &options.target_triples;
    let allowed_everywhere = |id: &str| {
        project
            .packages
            .iter()
            .all(|p| p.settings.levels.allows(id))
            && project.outside.levels.allows(id)
    };
    facts::Options {
        verbosity: options.verbosity,
        flows: options.flows,
        pointer_width: triples
            .iter()
            .map(|t| facts::layout::pointer_width(t))
            .min()
            .unwrap_or(8),
        int64_align: triples
            .iter()
            .map(|t| facts::layout::int64_align(t))
            .min()
            .unwrap_or(8),
        allowed: rules::ALL
            .iter()
            .map(|r| r.meta.id)
            .filter(|id| allowed_everywhere(id))
            .map(str::to_string)
            .collect(),
        // Decided once the code is loaded: whether any contract is written.
        contracts: false,
    }
}

/// The load stage: every target's module tree, read through `sources`, parsed and lowered.
pub fn load(project: &Project, sources: &dyn Sources, pool: &rayon::ThreadPool) -> Loaded {
    let test = project.test_cfg();
    load::load(&project.crate_roots(), LoadOptions { test }, sources, pool)
}

/// Checks `project`: loads it through `sources`, analyzes each crate on `pool`, and keeps
/// what `options` and the project's settings show. Fails only on a baseline that cannot be
/// read or written; everything wrong with the code is a diagnostic of the report.
pub fn check(
    project: &Project,
    options: &Options,
    sources: &dyn Sources,
    pool: &rayon::ThreadPool,
) -> Result<Report, Error> {
    let mut timings = Timings::default();
    timings.stages.push(("discover", project.discovered_in));
    let mut loaded = timings.time("load", || load(project, sources, pool));
    let mut analysis = analysis_options(project, options);
    analysis.contracts = contracts::wanted(project, &loaded, &analysis);
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    let inputs: Vec<facts::CrateInput> = project.targets.iter().map(|t| t.input.clone()).collect();
    let analyzed = timings.time("analyze", || analyze(&loaded, &inputs, &analysis, pool));
    diagnostics.extend(analyzed.diagnostics);
    timings.per_crate = analyzed.timings;
    if analysis.contracts {
        let found = timings.time("contracts", || {
            contracts::check(project, &loaded, &analysis, analyzed.effects)
        });
        diagnostics.extend(found);
    }

    let display_base = options
        .display_base
        .clone()
        .unwrap_or_else(|| project.root.clone());
    let mut report = Report::new(project.root.clone(), display_base, loaded);
    let filter = filter::Filter {
        project,
        analysis: &analysis,
        baseline: &options.baseline,
        report: &report,
    };
    let (kept, outcome) = timings.time("filter", || filter.run(diagnostics))?;
    report.diagnostics = kept;
    report.baseline = outcome;
    if let BaselineMode::Write { path } = &options.baseline {
        let written = Baseline::of(
            report
                .diagnostics
                .iter()
                .filter(|d| baseline::gated(d))
                .map(|d| report.finding_key(d)),
        );
        written.write(path).map_err(Error::Baseline)?;
        report.baseline = Some(BaselineOutcome::Written {
            path: path.clone(),
            findings: written.findings.iter().map(|e| e.count).sum(),
        });
    }
    report.timings = timings;
    Ok(report)
}
