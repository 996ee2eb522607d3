//! The pipeline as a library: a check reads through its `Sources` (an editor's unsaved buffers
//! over the disk), renders what it read, and turns its report into the command line's exit
//! code.

use std::path::{Path, PathBuf};

use escape::diagnostic::Level;
use escape::levels::{LintLevel, LintTarget};
use escape::pipeline::{self, BaselineMode, BaselineOutcome, Project, Report};
use escape::render::{Files, human};
use escape::sources::{DiskSources, Overlay, Sources};

/// A fresh directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("pipeline-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn check(project: &Project, options: &pipeline::Options, sources: &dyn Sources) -> Report {
    let pool = escape::worker_pool(Some(2)).unwrap();
    pipeline::check(project, options, sources, &pool).unwrap()
}

/// Every diagnostic as the human format shows it, snippets quoted through `sources`.
fn rendered(report: &Report, sources: &dyn Sources) -> String {
    let mut files = Files::new(report.paths(), &report.display_base, &report.root);
    files.load_for(&report.diagnostics, sources);
    report
        .diagnostics
        .iter()
        .map(|d| human::render(&files, d, false))
        .collect()
}

#[test]
fn an_overlay_buffer_is_what_is_analyzed_and_rendered() {
    let dir = scratch("overlay");
    let root = dir.join("lib.rs");
    std::fs::write(&root, "pub fn quiet() -> u32 {\n    1\n}\n").unwrap();
    let project = Project::from_file(&root);
    let options = pipeline::Options::default();

    let disk = DiskSources::default();
    let on_disk = check(&project, &options, &disk);
    assert!(on_disk.diagnostics.is_empty(), "{:?}", on_disk.diagnostics);

    // The editor's text: the root file changed, and a module that exists only in memory.
    let mut overlay = Overlay::new(DiskSources::default());
    overlay.insert(
        &root,
        "mod unsaved;\n\npub fn name(id: u32) -> &'static str {\n    Box::leak(format!(\"w{id}\").into_boxed_str())\n}\n",
    );
    overlay.insert(
        dir.join("unsaved.rs"),
        "pub fn keep(buffer: Vec<u8>) {\n    std::mem::forget(buffer);\n}\n",
    );
    let report = check(&project, &options, &overlay);
    let found: Vec<(&str, &Path, &str)> = report
        .diagnostics
        .iter()
        .map(|d| {
            let file = &report.file(d.primary.file).path;
            (
                d.code.as_str(),
                file.strip_prefix(&dir).unwrap(),
                d.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "leaked_reference",
                Path::new("lib.rs"),
                "Box::leak(..) leaks its allocation for the rest of the program"
            ),
            (
                "leaked_reference",
                Path::new("unsaved.rs"),
                "mem::forget(..) never runs its argument's destructor: whatever it owns is leaked"
            ),
        ]
    );
    // Snippets quote the buffers, line numbers and all, not the file on disk.
    let text = rendered(&report, &overlay);
    assert!(
        text.contains("4 |     Box::leak(format!(\"w{id}\").into_boxed_str())"),
        "{text}"
    );
    assert!(text.contains("2 |     std::mem::forget(buffer);"), "{text}");
    assert!(!text.contains("quiet"), "{text}");
    // Line counts are the buffers' too.
    assert_eq!(report.analyzed(), (2, 8));
}

#[test]
fn exit_codes_follow_the_levels_of_what_is_kept() {
    let dir = scratch("exit");
    let leaky = "pub fn send(buffer: Vec<u8>) {\n    std::mem::forget(buffer);\n}\n";
    let mut sources = Overlay::new(DiskSources::default());
    sources.insert(dir.join("clean.rs"), "pub fn f() -> u32 { 1 }\n");
    sources.insert(dir.join("leaky.rs"), leaky);
    sources.insert(dir.join("broken.rs"), "pub fn f( {\n");
    let options = pipeline::Options::default();
    let code = |file: &str, deny_warnings: bool| {
        let mut project = Project::from_file(dir.join(file));
        if deny_warnings {
            project.packages[0]
                .settings
                .levels
                .flags
                .push((LintLevel::Deny, LintTarget::Warnings));
        }
        let report = check(&project, &options, &sources);
        (report.diagnostics.len(), report.exit_code())
    };
    assert_eq!(code("clean.rs", true), (0, pipeline::EXIT_OK));
    assert_eq!(code("leaky.rs", false), (1, pipeline::EXIT_OK));
    assert_eq!(code("leaky.rs", true), (1, pipeline::EXIT_FINDINGS));
    assert_eq!(code("broken.rs", false), (1, pipeline::EXIT_FINDINGS));

    // Writing a baseline reports nothing and succeeds; applying it covers the finding.
    let baseline = dir.join("baseline.json");
    let mut project = Project::from_file(dir.join("leaky.rs"));
    project
        .outside
        .levels
        .flags
        .push((LintLevel::Deny, LintTarget::Warnings));
    project.packages[0].settings = project.outside.clone();
    let write = pipeline::Options {
        baseline: BaselineMode::Write {
            path: baseline.clone(),
        },
        ..Default::default()
    };
    let report = check(&project, &write, &sources);
    assert_eq!(
        report.baseline,
        Some(BaselineOutcome::Written {
            path: baseline.clone(),
            findings: 1
        })
    );
    assert_eq!(report.exit_code(), pipeline::EXIT_OK);
    let apply = pipeline::Options {
        baseline: BaselineMode::Apply {
            path: baseline,
            prune: false,
        },
        ..Default::default()
    };
    let report = check(&project, &apply, &sources);
    assert!(report.diagnostics.is_empty());
    assert_eq!(report.exit_code(), pipeline::EXIT_OK);
    // Item paths name where the finding is, for baselines and SARIF.
    let before = check(&project, &options, &sources);
    let d = &before.diagnostics[0];
    assert_eq!(d.level, Level::Error);
    assert_eq!(
        before.finding_key(d),
        (
            "leaked_reference".to_string(),
            "leaky.rs".to_string(),
            "crate::send".to_string()
        )
    );
}
