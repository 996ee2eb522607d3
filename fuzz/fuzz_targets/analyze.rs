//! The whole pipeline on one file's bytes, as an editor's unsaved buffer: read, pre-parse
//! scan, parse, lower, index, facts, escape, rules, filter, render. A panic is reported as an
//! `internal_error` diagnostic, which this target turns back into a crash for libFuzzer.
#![no_main]

use std::sync::OnceLock;

use escape::pipeline::{self, Project};
use escape::render::{Files, human};
use escape::sources::{DiskSources, Overlay};
use libfuzzer_sys::fuzz_target;

fn pool() -> &'static rayon::ThreadPool {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| escape::worker_pool(Some(1)).expect("a worker thread"))
}

fuzz_target!(|data: &[u8]| {
    let root = std::env::temp_dir().join("escape-fuzz").join("lib.rs");
    let mut sources = Overlay::new(DiskSources::default());
    sources.insert(&root, String::from_utf8_lossy(data).into_owned());
    let project = Project::from_file(&root);
    let options = pipeline::Options {
        verbosity: 2,
        flows: true,
        ..Default::default()
    };
    let report = pipeline::check(&project, &options, &sources, pool()).expect("no baseline");
    if let Some(d) = report.diagnostics.iter().find(|d| d.code == "internal_error") {
        panic!("{}", d.message);
    }
    let mut files = Files::new(report.paths(), &report.display_base, &report.root);
    files.load_for(&report.diagnostics, &sources);
    for d in &report.diagnostics {
        human::render(&files, d, false);
    }
});
