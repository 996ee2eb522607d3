//! How long each stage of a run took.

use std::time::{Duration, Instant};

/// The stages of a run, by the clock, and the per-crate stages summed over the crates.
#[derive(Clone, Debug, Default)]
pub struct Timings {
    /// Stages in the order they ran: `discover`, `load`, `analyze`, `filter`.
    pub stages: Vec<(&'static str, Duration)>,
    /// The stages of `analyze`, each summed over the crates. Crates are analyzed on several
    /// threads at once, so these may add up to more than `analyze` took by the clock.
    pub per_crate: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// Runs `f` as the stage `stage`.
    pub fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let value = f();
        self.stages.push((stage, started.elapsed()));
        value
    }

    /// The time of the stages, one after the other.
    pub fn staged(&self) -> Duration {
        self.stages.iter().map(|s| s.1).sum()
    }
}
