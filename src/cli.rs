//! The command line: parses cargo-style flags, runs the pipeline stage by stage, writes the
//! output and returns the exit code.
//!
//! Exit codes: 0 when nothing is at error level; 1 when something is (a denied finding, or a
//! file that does not parse); 2 for a usage, configuration or internal error.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::diagnostic::{Diagnostic, FileId, Level};
use crate::discover::{self, CargoOptions, PackageSelection, TargetSelection, Workspace};
use crate::facts::{self, CrateInput};
use crate::filter;
use crate::filter::baseline::{self, Baseline};
use crate::filter::items::ItemPaths;
use crate::filter::suppress;
use crate::levels::{Levels, LintLevel, LintTarget};
use crate::load::{self, CrateRoot, LoadOptions, Loaded, TestCfg};
use crate::render::{self, Files, human, json, short, verdicts};
use crate::rules;

pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

const ABOUT: &str = "Escape analysis for Rust: where a workspace allocates on the heap, and why";

const LONG_ABOUT: &str = "\
Escape analysis for Rust, after Go's `-gcflags=-m`: where a workspace allocates on the heap, \
and why. It reads the sources with syn; it never compiles them, and never runs build scripts \
or proc macros.

Exit status: 0 when nothing is at error level, 1 when something is (a finding denied with -D, \
or a file that does not parse), 2 for a usage, configuration or internal error.";

const AFTER_HELP: &str = "\
Examples:
  cargo escape                        analyze the default members' libraries and binaries
  cargo escape --workspace --all-targets -D warnings
  cargo escape -m=2                   every verdict, with the flow that led to it
  cargo escape --message-format json  cargo's JSON messages, for editors and CI
  cargo escape explain leaked_reference";

#[derive(Parser, Debug)]
#[command(
    name = "cargo-escape",
    bin_name = "cargo escape",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = AFTER_HELP,
    args_conflicts_with_subcommands = true
)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,

    /// Path to Cargo.toml
    #[arg(long, value_name = "PATH", help_heading = "Package Selection")]
    manifest_path: Option<PathBuf>,

    #[command(flatten)]
    workspace: clap_cargo::Workspace,

    /// Analyze only this package's library
    #[arg(long, help_heading = "Target Selection")]
    lib: bool,
    /// Analyze all binaries
    #[arg(long, help_heading = "Target Selection")]
    bins: bool,
    /// Analyze only the specified binary
    #[arg(long, value_name = "NAME", help_heading = "Target Selection")]
    bin: Vec<String>,
    /// Analyze all examples
    #[arg(long, help_heading = "Target Selection")]
    examples: bool,
    /// Analyze only the specified example
    #[arg(long, value_name = "NAME", help_heading = "Target Selection")]
    example: Vec<String>,
    /// Analyze all test targets, and `#[cfg(test)]` code
    #[arg(long, help_heading = "Target Selection")]
    tests: bool,
    /// Analyze only the specified test target, and `#[cfg(test)]` code
    #[arg(long, value_name = "NAME", help_heading = "Target Selection")]
    test: Vec<String>,
    /// Analyze all bench targets
    #[arg(long, help_heading = "Target Selection")]
    benches: bool,
    /// Analyze only the specified bench target
    #[arg(long, value_name = "NAME", help_heading = "Target Selection")]
    bench: Vec<String>,
    /// Analyze all targets (lib, bins, examples, tests, benches)
    #[arg(long, help_heading = "Target Selection")]
    all_targets: bool,

    /// Output format [human, short, json, json-diagnostic-short,
    /// json-diagnostic-rendered-ansi, json-render-diagnostics]
    #[arg(
        long,
        value_name = "FMT",
        value_delimiter = ',',
        help_heading = "Output"
    )]
    message_format: Vec<MessageFormat>,
    /// Coloring [default: $CARGO_TERM_COLOR, else auto]
    #[arg(long, value_name = "WHEN", help_heading = "Output")]
    color: Option<ColorWhen>,
    /// Go-style verdicts, one a line; -m=2 (or -m -m) adds the flow behind each
    #[arg(
        short = 'm',
        value_name = "LEVEL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "1",
        action = clap::ArgAction::Append,
        value_parser = clap::value_parser!(u8).range(1..=2),
        help_heading = "Output"
    )]
    m: Vec<u8>,
    /// No summary lines
    #[arg(short, long, help_heading = "Output")]
    quiet: bool,
    /// Print how long each stage took
    #[arg(long, help_heading = "Output")]
    timings: bool,

    /// Set a rule (or `warnings`, or an input diagnostic) to deny: findings are errors
    #[arg(
        short = 'D',
        long = "deny",
        value_name = "RULE",
        help_heading = "Lint Levels"
    )]
    deny: Vec<String>,
    /// Set a rule (or `warnings`) to warn
    #[arg(
        short = 'W',
        long = "warn",
        value_name = "RULE",
        help_heading = "Lint Levels"
    )]
    warn: Vec<String>,
    /// Set a rule (or `warnings`) to allow: its findings are not reported
    #[arg(
        short = 'A',
        long = "allow",
        value_name = "RULE",
        help_heading = "Lint Levels"
    )]
    allow: Vec<String>,

    /// Values larger than this go on the heap, not the stack: `65536`, `64KiB`, `1MiB`
    /// [default: 64KiB]
    #[arg(long, value_name = "BYTES", value_parser = crate::config::parse_bytes)]
    stack_threshold: Option<u64>,

    /// Report only the findings beyond this baseline (see --write-baseline)
    #[arg(long, value_name = "FILE", help_heading = "Baseline")]
    baseline: Option<PathBuf>,
    /// Record today's findings in FILE, for --baseline, and report nothing
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Baseline",
        conflicts_with = "baseline"
    )]
    write_baseline: Option<PathBuf>,
    /// With --baseline: lower the baseline's counts to the findings that are left
    #[arg(long, requires = "baseline", help_heading = "Baseline")]
    prune_baseline: bool,

    /// Run `cargo check` first, with the same packages, targets and features, and pass its
    /// messages through before ours (for rust-analyzer, which runs one check command)
    #[arg(long, help_heading = "Integration")]
    with_check: bool,

    /// Number of parallel jobs [default: the number of CPUs, or $RAYON_NUM_THREADS]
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,

    #[command(flatten)]
    features: clap_cargo::Features,
    /// Accepted for compatibility: analysis always goes on after an error
    #[arg(long, help_heading = "Compatibility")]
    keep_going: bool,
    /// Estimate sizes for this target: a 32-bit triple makes pointers 4 bytes [default: 64-bit]
    #[arg(long, value_name = "TRIPLE")]
    target: Vec<String>,
    /// Accepted for compatibility: nothing is built, so nothing is written
    #[arg(long, value_name = "DIR", help_heading = "Compatibility")]
    target_dir: Option<PathBuf>,
    /// Passed to `cargo metadata`
    #[arg(long, value_name = "KEY=VALUE", help_heading = "Compatibility")]
    config: Vec<String>,
    /// Passed to `cargo metadata`
    #[arg(long, help_heading = "Compatibility")]
    frozen: bool,
    /// Passed to `cargo metadata`
    #[arg(long, help_heading = "Compatibility")]
    locked: bool,
    /// Passed to `cargo metadata`
    #[arg(long, help_heading = "Compatibility")]
    offline: bool,

    /// After the run, parse the same files with bare syn, in a fresh process on as many
    /// threads, and compare
    #[arg(long, hide = true)]
    compare_parse: bool,

    /// Parse the files named on stdin with bare syn, print the seconds taken, and exit (the
    /// baseline `--compare-parse` runs)
    #[arg(long, hide = true)]
    bare_parse: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print a rule's documentation
    Explain {
        /// The rule, with or without the `escape::` prefix
        rule: String,
    },
    /// List the rules with their default levels
    Rules,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum MessageFormat {
    Human,
    Short,
    Json,
    JsonDiagnosticShort,
    JsonDiagnosticRenderedAnsi,
    JsonRenderDiagnostics,
    /// SARIF 2.1.0 on stdout, for code scanning
    Sarif,
    /// GitHub Actions workflow commands on stdout, for annotations
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// How diagnostics are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Human,
    Short,
    Verdicts,
    Sarif,
    Github,
    Json {
        rendered: JsonRendered,
        also_human: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum JsonRendered {
    Human,
    Ansi,
    Short,
}

/// Entry point of the binary.
pub fn main() -> std::process::ExitCode {
    crate::quiet_panics();
    let code = run(std::env::args_os().collect());
    std::process::ExitCode::from(code as u8)
}

/// Runs `cargo-escape` with these arguments (the program name first) and returns the exit
/// code. cargo calls the binary as `cargo-escape escape ARGS`; `cargo-escape ARGS` works too.
pub fn run(mut args: Vec<OsString>) -> i32 {
    if args.get(1).is_some_and(|a| a == "escape") {
        args.remove(1);
    }
    let matches = match Args::command().try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
        }
    };
    let parsed = match Args::from_arg_matches(&matches) {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return EXIT_ERROR;
        }
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match &parsed.command {
        Some(Command::Explain { rule }) => explain(rule),
        Some(Command::Rules) => list_rules(),
        None if parsed.bare_parse => bare_parse(parsed.jobs),
        None => check(&parsed, &matches),
    }));
    match result {
        Ok(Ok(code)) => code,
        Ok(Err(fatal)) => {
            fatal.print(color_choice(parsed.color, &std::io::stderr()));
            EXIT_ERROR
        }
        Err(panic) => {
            eprintln!(
                "error: internal error: {}\nnote: this is a bug in cargo escape; please report it",
                crate::panic_message(&*panic)
            );
            EXIT_ERROR
        }
    }
}

/// An error that stops the run: printed as `error: ...`, exit code 2.
#[derive(Debug)]
pub struct Fatal {
    message: String,
    help: Option<String>,
    /// A mistake in a configuration file, shown in its text.
    config: Option<Box<crate::config::ConfigError>>,
}

impl Fatal {
    fn new(message: impl Into<String>) -> Fatal {
        Fatal {
            message: message.into(),
            help: None,
            config: None,
        }
    }

    fn config(error: crate::config::ConfigError) -> Fatal {
        Fatal {
            message: error.message.clone(),
            help: error.help.clone(),
            config: Some(Box::new(error)),
        }
    }

    fn print(&self, color: bool) {
        let (red, cyan, bold, reset) = if color {
            ("\x1b[1;31m", "\x1b[1;36m", "\x1b[1m", "\x1b[0m")
        } else {
            ("", "", "", "")
        };
        if let Some(error) = &self.config
            && !error.text.is_empty()
        {
            let cwd = std::env::current_dir().unwrap_or_default();
            let shown = crate::paths::relative_to(&error.path, &cwd);
            let text = human::config_error(error, &shown, color);
            let _ = std::io::stderr().write_all(text.as_bytes());
            return;
        }
        let mut text = format!("{red}error{reset}{bold}: {}{reset}\n", self.message);
        if let Some(help) = &self.help {
            text.push_str(&format!("\n{cyan}help{reset}: {help}\n"));
        }
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
}

fn explain(rule: &str) -> Result<i32, Fatal> {
    if let Some(r) = rules::find(rule) {
        print!("{}", r.meta.page);
        return Ok(EXIT_OK);
    }
    let id = rule.strip_prefix("escape::").unwrap_or(rule);
    if let Some((code, summary)) = rules::INPUT_CODES.iter().find(|(c, _)| *c == id) {
        println!(
            "escape::{code}: {summary}.\n\nThis is a problem with the input, not a rule; it has no page of its own."
        );
        return Ok(EXIT_OK);
    }
    Err(unknown_rule(rule))
}

fn unknown_rule(rule: &str) -> Fatal {
    let id = rule.strip_prefix("escape::").unwrap_or(rule);
    let mut fatal = Fatal::new(format!("unknown rule `{rule}`"));
    fatal.help = Some(match crate::suggest::closest(id, rules::all_codes()) {
        Some(close) => format!("a rule with a similar name exists: `{close}`"),
        None => "`cargo escape rules` lists the rules".to_string(),
    });
    fatal
}

fn list_rules() -> Result<i32, Fatal> {
    let mut out = String::from("Rules:\n");
    let width = rules::ALL
        .iter()
        .map(|r| r.meta.id.len())
        .max()
        .unwrap_or(0);
    for r in rules::ALL {
        out.push_str(&format!(
            "  {:width$}  {:7}  {}\n",
            r.meta.id,
            r.meta.default_level.as_str(),
            r.meta.summary
        ));
    }
    out.push_str("\nInput diagnostics:\n");
    let width = rules::INPUT_CODES
        .iter()
        .map(|(c, _)| c.len())
        .max()
        .unwrap_or(0);
    for (code, summary) in rules::INPUT_CODES {
        out.push_str(&format!("  {code:width$}  {summary}\n"));
    }
    out.push_str("\n`cargo escape explain RULE` prints a rule's page.\n");
    print!("{out}");
    Ok(EXIT_OK)
}

/// The `-D`/`-W`/`-A` flags in command-line order.
fn levels(matches: &ArgMatches) -> Result<Levels, Fatal> {
    let mut flags: Vec<(usize, LintLevel, String)> = Vec::new();
    for (id, level) in [
        ("deny", LintLevel::Deny),
        ("warn", LintLevel::Warn),
        ("allow", LintLevel::Allow),
    ] {
        let (Some(indices), Some(values)) =
            (matches.indices_of(id), matches.get_many::<String>(id))
        else {
            continue;
        };
        for (index, value) in indices.zip(values) {
            flags.push((index, level, value.clone()));
        }
    }
    flags.sort_by_key(|f| f.0);
    let mut levels = Levels::default();
    for (_, level, name) in flags {
        let target = if name == "warnings" {
            LintTarget::Warnings
        } else if rules::is_known_code(&name) {
            LintTarget::Code(name.strip_prefix("escape::").unwrap_or(&name).to_string())
        } else {
            return Err(unknown_rule(&name));
        };
        levels.flags.push((level, target));
    }
    Ok(levels)
}

fn format(args: &Args, verbosity: u8) -> Format {
    let formats = &args.message_format;
    let has = |f: MessageFormat| formats.contains(&f);
    let json = has(MessageFormat::Json)
        || has(MessageFormat::JsonDiagnosticShort)
        || has(MessageFormat::JsonDiagnosticRenderedAnsi)
        || has(MessageFormat::JsonRenderDiagnostics);
    if json {
        let rendered = if has(MessageFormat::JsonDiagnosticShort) {
            JsonRendered::Short
        } else if has(MessageFormat::JsonDiagnosticRenderedAnsi) {
            JsonRendered::Ansi
        } else {
            JsonRendered::Human
        };
        return Format::Json {
            rendered,
            also_human: has(MessageFormat::JsonRenderDiagnostics),
        };
    }
    if has(MessageFormat::Sarif) {
        return Format::Sarif;
    }
    match formats.last() {
        Some(MessageFormat::Short) => Format::Short,
        Some(MessageFormat::Github) => Format::Github,
        Some(_) => Format::Human,
        None if verbosity > 0 => Format::Verdicts,
        None => Format::Human,
    }
}

fn color_choice(when: Option<ColorWhen>, stream: &impl IsTerminal) -> bool {
    let when = when.or_else(|| match std::env::var("CARGO_TERM_COLOR").ok()?.as_str() {
        "always" => Some(ColorWhen::Always),
        "never" => Some(ColorWhen::Never),
        "auto" => Some(ColorWhen::Auto),
        _ => None,
    });
    match when.unwrap_or(ColorWhen::Auto) {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => stream.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// How long each stage took, and the whole run, by the clock.
struct Timings {
    started: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Default for Timings {
    fn default() -> Timings {
        Timings {
            started: Instant::now(),
            stages: Vec::new(),
        }
    }
}

impl Timings {
    fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let value = f();
        self.stages.push((stage, start.elapsed()));
        value
    }

    /// Since the run started, stages and everything between them.
    fn total(&self) -> Duration {
        self.started.elapsed()
    }
}

fn check(args: &Args, matches: &ArgMatches) -> Result<i32, Fatal> {
    let verbosity = args.m.iter().map(|&m| m as u32).sum::<u32>().min(2) as u8;
    let format = format(args, verbosity);
    let mut timings = Timings::default();
    let checked = if args.with_check {
        if matches!(format, Format::Sarif | Format::Github) {
            return Err(Fatal::new(
                "`--with-check` works with the human, short and JSON message formats",
            ));
        }
        let json = matches!(format, Format::Json { .. });
        Some(crate::cargo_check::run(&check_args(args), json).map_err(Fatal::new)?)
    } else {
        None
    };
    let check_failed = checked.as_ref().is_some_and(|c| !c.success);

    let disk = crate::sources::DiskSources::default();
    let pool = crate::worker_pool(args.jobs)
        .map_err(|e| Fatal::new(format!("could not start worker threads: {e}")))?;

    let cargo = CargoOptions {
        manifest_path: args.manifest_path.clone(),
        frozen: args.frozen,
        locked: args.locked,
        offline: args.offline,
        config: args.config.clone(),
    };
    let packages = PackageSelection {
        packages: args.workspace.package.clone(),
        workspace: args.workspace.workspace || args.workspace.all,
        exclude: args.workspace.exclude.clone(),
    };
    let targets = TargetSelection {
        lib: args.lib,
        bins: args.bins,
        bin: args.bin.clone(),
        examples: args.examples,
        example: args.example.clone(),
        tests: args.tests,
        test: args.test.clone(),
        benches: args.benches,
        bench: args.bench.clone(),
        all_targets: args.all_targets,
    };
    let workspace = timings
        .time("discover", || {
            discover::discover(&cargo, &packages, &targets)
        })
        .map_err(|e| Fatal {
            message: e.message,
            help: e.help,
            config: None,
        })?;

    let manifests: Vec<PathBuf> = workspace
        .packages
        .iter()
        .map(|p| p.manifest_path.clone())
        .collect();
    let config = crate::config::read(
        &workspace.root,
        &manifests,
        &rules::all_codes().collect::<Vec<_>>(),
    )
    .map_err(Fatal::config)?;
    // Each package's levels: its configuration, then the command line, which wins.
    let cli_levels = levels(matches)?;
    let levels_of = |package: Option<usize>| Levels {
        flags: config
            .layers(package.unwrap_or(usize::MAX))
            .flat_map(|l| l.rules.iter().cloned())
            .chain(cli_levels.flags.iter().cloned())
            .collect(),
    };
    let package_levels: Vec<Levels> = (0..workspace.packages.len())
        .map(|p| levels_of(Some(p)))
        .collect();
    let outside_levels = levels_of(None);
    // `#[cfg(test)]` code: a test build on the command line, or `tests = true`.
    let tests_for = |package: usize| {
        targets.includes_test_builds() || config.setting(package, |l| l.tests).unwrap_or(false)
    };
    let analyzed_tests: Vec<bool> = (0..workspace.packages.len()).map(tests_for).collect();

    let roots: Vec<CrateRoot> = workspace
        .targets
        .iter()
        .map(|t| CrateRoot {
            root: t.src_path.clone(),
            package_dir: workspace.packages[t.package].dir.clone(),
        })
        .collect();
    let test = if analyzed_tests.iter().any(|&t| t) {
        TestCfg::Both
    } else {
        TestCfg::Off
    };
    let mut loaded = timings.time("load (read, parse, lower)", || {
        load::load(&roots, LoadOptions { test }, &disk, &pool)
    });

    let inputs: Vec<CrateInput> = workspace
        .targets
        .iter()
        .enumerate()
        .map(|(krate, t)| {
            let package = &workspace.packages[t.package];
            let mut externs = package.externs.clone();
            // Binaries, tests and examples use their package's library by its crate name.
            if let Some(lib) = workspace
                .targets
                .iter()
                .find(|o| o.package == t.package && o.describe() == "lib")
            {
                externs.push((lib.crate_name.clone(), lib.crate_name.clone()));
            }
            let msrv = package.rust_version.as_deref().and_then(parse_version);
            let stack_threshold = args
                .stack_threshold
                .or_else(|| config.setting(t.package, |l| l.stack_threshold))
                .unwrap_or(facts::DEFAULT_STACK_THRESHOLD);
            CrateInput {
                krate,
                externs,
                msrv,
                stack_threshold,
            }
        })
        .collect();
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    let options = facts::Options {
        verbosity,
        flows: verbosity >= 2 || matches!(format, Format::Json { .. }),
        // Of several targets, the narrowest: sizes stay lower bounds for all of them.
        pointer_width: args
            .target
            .iter()
            .map(|t| facts::layout::pointer_width(t))
            .min()
            .unwrap_or(8),
        int64_align: args
            .target
            .iter()
            .map(|t| facts::layout::int64_align(t))
            .min()
            .unwrap_or(8),
        // A rule runs unless every package allows it.
        allowed: crate::rules::ALL
            .iter()
            .map(|r| r.meta.id)
            .filter(|id| package_levels.iter().all(|l| l.allows(id)) && outside_levels.allows(id))
            .map(str::to_string)
            .collect(),
    };
    diagnostics.extend(timings.time("analyze", || {
        crate::pipeline::analyze(&loaded, &inputs, &options, &pool)
    }));

    // Paths are shown relative to the current directory; in JSON, relative to the workspace
    // root, as rustc run by cargo writes them (rendered text included).
    let cwd = match format {
        Format::Json { .. } => workspace.root.clone(),
        _ => std::env::current_dir().unwrap_or_else(|_| workspace.root.clone()),
    };
    let mut sources = Files::new(
        loaded.files.iter().map(|f| f.path.clone()).collect(),
        &cwd,
        &workspace.root,
    );
    let order = display_order(&loaded, &sources);
    let package_of_file = |file: FileId| {
        let owner = loaded.file(file).owner?;
        Some(workspace.targets.get(owner)?.package)
    };
    let package_of = |d: &Diagnostic| package_of_file(d.primary.file);
    let root_relative_file = |file: FileId| {
        crate::paths::relative_to(&loaded.file(file).path, &workspace.root).replace('\\', "/")
    };
    let root_relative = |d: &Diagnostic| root_relative_file(d.primary.file);
    // A path `exclude`d by a configuration layer of the file's package.
    let excluded = |file: FileId| {
        let path = &loaded.file(file).path;
        config
            .layers(package_of_file(file).unwrap_or(usize::MAX))
            .any(|layer| {
                let relative = crate::paths::relative_to(path, &layer.base).replace('\\', "/");
                layer
                    .exclude
                    .iter()
                    .any(|g| crate::paths::path_glob(g, &relative))
            })
    };
    // The files this run analyzed, by the name a baseline gives them.
    let analyzed_files: std::collections::HashMap<String, FileId> = (0..loaded.files.len())
        .map(|i| FileId(i as u32))
        .filter(|&f| loaded.file(f).owner.is_some())
        .map(|f| (root_relative_file(f), f))
        .collect();
    // Item paths are built only when something asks: baselines, SARIF, hidden test code.
    let items_cell = std::cell::OnceCell::new();
    let items = || items_cell.get_or_init(|| ItemPaths::build(&loaded));
    let baseline_key = |d: &Diagnostic| baseline::key(d, items(), &root_relative);
    let (diagnostics, applied) = timings.time("filter", || -> Result<_, Fatal> {
        let (suppressions, problems) = suppress::collect(&loaded);
        diagnostics.extend(problems);
        let checked = |rule: &str| rules::find(rule).is_some_and(|r| r.runs(&options));
        let mut diagnostics = suppress::apply(diagnostics, &suppressions, &checked);
        // Excluded paths, and test code of a package that does not analyze it.
        diagnostics.retain(|d| {
            let package = package_of(d);
            let hidden_test = package.is_some_and(|p| !analyzed_tests[p])
                && test == TestCfg::Both
                && items().is_test(d.primary.file, d.primary.span.lo);
            !excluded(d.primary.file) && !hidden_test
        });
        let diagnostics = filter::filter(
            diagnostics,
            |d| package_of(d).map_or(&outside_levels, |p| &package_levels[p]),
            verbosity,
            |d| order[d.primary.file.index()],
        );
        match &args.baseline {
            Some(path) => {
                let old = Baseline::read(path).map_err(Fatal::new)?;
                let now = Baseline::of(
                    diagnostics
                        .iter()
                        .filter(|d| baseline::gated(d))
                        .map(baseline_key),
                );
                // What this run looked at: an analyzed file, outside the excluded paths, and a
                // rule that ran there. Other entries are neither fixed nor pruned.
                let in_scope = |e: &baseline::Entry| {
                    let Some(file) = analyzed_files.get(&e.file) else {
                        return false;
                    };
                    let d_levels =
                        package_of_file(*file).map_or(&outside_levels, |p| &package_levels[p]);
                    let ran = match rules::find(&e.rule) {
                        Some(rule) => {
                            rule.runs(&options)
                                && d_levels
                                    .level_of(&e.rule, rule.meta.default_level)
                                    .is_some()
                        }
                        None => true,
                    };
                    ran && !excluded(*file)
                };
                let (kept, applied) = baseline::apply(diagnostics, &old, &baseline_key, &in_scope);
                if args.prune_baseline {
                    old.pruned(&now, &in_scope)
                        .write(path)
                        .map_err(Fatal::new)?;
                }
                Ok((kept, Some(applied)))
            }
            None => Ok((diagnostics, None)),
        }
    })?;
    if let Some(path) = &args.write_baseline {
        let baseline = Baseline::of(
            diagnostics
                .iter()
                .filter(|d| baseline::gated(d))
                .map(baseline_key),
        );
        baseline.write(path).map_err(Fatal::new)?;
        let count: u32 = baseline.findings.iter().map(|e| e.count).sum();
        eprintln!(
            "    Wrote a baseline of {count} finding{} to {}",
            if count == 1 { "" } else { "s" },
            path.display()
        );
        return Ok(EXIT_OK);
    }
    timings.time("render", || {
        sources.load_for(&diagnostics, &disk);
        // A finding is its rule, file and item, and its rank among the rule's findings in that
        // item: never a line number, nor the message (which may hold one, or a count).
        let mut seen: std::collections::HashMap<String, usize> = Default::default();
        let sarif = matches!(format, Format::Sarif);
        let identities: Vec<render::sarif::Identity> = diagnostics
            .iter()
            .filter(|_| sarif)
            .map(|d| {
                let (rule, file, item) = baseline_key(d);
                let identity = format!("{rule}\0{file}\0{item}");
                let n = seen.entry(identity.clone()).or_default();
                *n += 1;
                render::sarif::Identity {
                    fingerprint: fingerprint(&format!("{identity}\0{n}")),
                    item,
                }
            })
            .collect();
        let report = Report {
            args,
            format,
            verbosity,
            workspace: &workspace,
            loaded: &loaded,
            sources: &sources,
            identities: &identities,
        };
        write_output(&report, &diagnostics);
    });

    if let Some(applied) = applied
        && applied.fixed > 0
        && !args.prune_baseline
    {
        eprintln!(
            "note: {} finding{} the baseline allows {} gone; `--prune-baseline` shrinks it",
            applied.fixed,
            if applied.fixed == 1 { "" } else { "s" },
            if applied.fixed == 1 { "is" } else { "are" }
        );
    }
    let internal = diagnostics.iter().any(|d| d.code == "internal_error");
    let failed = diagnostics
        .iter()
        .any(|d| d.level == Level::Error && d.verbosity == 0);
    let code = if internal {
        EXIT_ERROR
    } else if failed || check_failed {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    if let Format::Json { .. } = format {
        print!("{}", json::build_finished(code == EXIT_OK));
    }
    if args.timings || args.compare_parse {
        print_timings(&timings, &loaded);
    }
    if args.compare_parse {
        compare_parse(&loaded, pool.current_num_threads(), timings.total());
    }
    // The process ends here: freeing every file's IR one allocation at a time would only
    // delay the exit.
    std::mem::forget(loaded);
    Ok(code)
}

/// Each file's rank in the output: files sort by the path they are shown with.
fn display_order(loaded: &Loaded, sources: &Files) -> Vec<usize> {
    let mut ids: Vec<usize> = (0..loaded.files.len()).collect();
    ids.sort_by(|&a, &b| {
        sources
            .name(crate::diagnostic::FileId(a as u32))
            .cmp(sources.name(crate::diagnostic::FileId(b as u32)))
    });
    let mut order = vec![0; ids.len()];
    for (rank, id) in ids.into_iter().enumerate() {
        order[id] = rank;
    }
    order
}

/// The flags `cargo check` is given by `--with-check`: the same packages, targets, features
/// and message format.
fn check_args(args: &Args) -> Vec<String> {
    let mut out = Vec::new();
    let mut flag = |name: &str, on: bool| {
        if on {
            out.push(format!("--{name}"));
        }
    };
    flag("workspace", args.workspace.workspace || args.workspace.all);
    flag("lib", args.lib);
    flag("bins", args.bins);
    flag("examples", args.examples);
    flag("tests", args.tests);
    flag("benches", args.benches);
    flag("all-targets", args.all_targets);
    flag("all-features", args.features.all_features);
    flag("no-default-features", args.features.no_default_features);
    flag("keep-going", args.keep_going);
    flag("frozen", args.frozen);
    flag("locked", args.locked);
    flag("offline", args.offline);
    let mut valued = |name: &str, values: &[String]| {
        for v in values {
            out.push(format!("--{name}"));
            out.push(v.clone());
        }
    };
    valued("package", &args.workspace.package);
    valued("exclude", &args.workspace.exclude);
    valued("bin", &args.bin);
    valued("example", &args.example);
    valued("test", &args.test);
    valued("bench", &args.bench);
    valued("target", &args.target);
    valued("config", &args.config);
    if !args.features.features.is_empty() {
        valued("features", &[args.features.features.join(" ")]);
    }
    if let Some(path) = &args.manifest_path {
        valued("manifest-path", &[path.display().to_string()]);
    }
    if let Some(dir) = &args.target_dir {
        valued("target-dir", &[dir.display().to_string()]);
    }
    if let Some(jobs) = args.jobs {
        valued("jobs", &[jobs.to_string()]);
    }
    for format in &args.message_format {
        let name = match format {
            MessageFormat::Human => "human",
            MessageFormat::Short => "short",
            MessageFormat::Json => "json",
            MessageFormat::JsonDiagnosticShort => "json-diagnostic-short",
            MessageFormat::JsonDiagnosticRenderedAnsi => "json-diagnostic-rendered-ansi",
            MessageFormat::JsonRenderDiagnostics => "json-render-diagnostics",
            MessageFormat::Sarif | MessageFormat::Github => continue,
        };
        valued("message-format", &[name.to_string()]);
    }
    out
}

/// What the output is written from.
struct Report<'r> {
    args: &'r Args,
    format: Format,
    verbosity: u8,
    workspace: &'r Workspace,
    loaded: &'r Loaded,
    sources: &'r Files,
    /// Each diagnostic's stable identity, for SARIF.
    identities: &'r [render::sarif::Identity],
}

/// A 64-bit FNV-1a hash, as hex: stable across runs, platforms and versions.
fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn write_output(report: &Report<'_>, diagnostics: &[Diagnostic]) {
    let Report {
        args,
        format,
        verbosity,
        workspace,
        loaded,
        sources,
        identities,
    } = *report;
    let stderr_color = color_choice(args.color, &std::io::stderr());
    let mut err = String::new();
    let mut out = String::new();
    if let Format::Sarif = format {
        out.push_str(&render::sarif::render(sources, diagnostics, identities));
    }
    for d in diagnostics {
        match format {
            Format::Sarif => {}
            Format::Github => out.push_str(&render::github::render(sources, d)),
            Format::Human => {
                err.push_str(&human::render(sources, d, stderr_color));
            }
            Format::Short => err.push_str(&short::render(sources, d)),
            Format::Verdicts => err.push_str(&verdicts::render(sources, d, verbosity)),
            Format::Json {
                rendered,
                also_human,
            } => {
                let Some(owner) = owner_of(workspace, loaded, d) else {
                    continue;
                };
                let text = match rendered {
                    JsonRendered::Human => human::render(sources, d, false),
                    JsonRendered::Ansi => human::render(sources, d, true),
                    JsonRendered::Short => short::render(sources, d),
                };
                // With `json-render-diagnostics`, as with cargo, diagnostics are rendered to
                // stderr instead of being sent as JSON; other messages stay on stdout.
                if also_human {
                    err.push_str(&human::render(sources, d, stderr_color));
                } else {
                    out.push_str(&json::message(sources, &owner, d, text));
                }
            }
        }
    }
    let human_summary = matches!(
        format,
        Format::Human | Format::Short | Format::Verdicts | Format::Github
    ) || matches!(
        format,
        Format::Json {
            also_human: true,
            ..
        }
    );
    if human_summary && !args.quiet {
        err.push_str(&summary(workspace, loaded, diagnostics, stderr_color));
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    let _ = std::io::stderr().lock().write_all(err.as_bytes());
}

fn owner_of<'w>(
    workspace: &'w Workspace,
    loaded: &Loaded,
    d: &Diagnostic,
) -> Option<json::Owner<'w>> {
    let krate = loaded.file(d.primary.file).owner?;
    let target = workspace.targets.get(krate)?;
    let package = &workspace.packages[target.package];
    Some(json::Owner {
        package_id: &package.id,
        manifest_path: package.manifest_path.to_str().unwrap_or(""),
        target: &target.target,
    })
}

/// cargo's closing lines: one per target with warnings or errors, then a status line.
fn summary(
    workspace: &Workspace,
    loaded: &Loaded,
    diagnostics: &[Diagnostic],
    color: bool,
) -> String {
    let (red, yellow, green, bold, reset) = if color {
        (
            "\x1b[1;31m",
            "\x1b[1;33m",
            "\x1b[1;32m",
            "\x1b[1m",
            "\x1b[0m",
        )
    } else {
        ("", "", "", "", "")
    };
    let mut counts = vec![(0usize, 0usize); workspace.targets.len()];
    for d in diagnostics.iter().filter(|d| d.verbosity == 0) {
        let Some(krate) = loaded.file(d.primary.file).owner else {
            continue;
        };
        match d.level {
            Level::Error => counts[krate].0 += 1,
            Level::Warning => counts[krate].1 += 1,
            _ => {}
        }
    }
    let mut out = String::new();
    for (krate, &(errors, warnings)) in counts.iter().enumerate() {
        let target = &workspace.targets[krate];
        let name = &workspace.packages[target.package].name;
        let what = format!("`{name}` ({})", target.describe());
        if errors > 0 {
            let also = if warnings > 0 {
                format!("; {} emitted", render::plural(warnings, "warning"))
            } else {
                String::new()
            };
            out.push_str(&format!(
                "{red}error{reset}{bold}: {what} has {}{also}{reset}\n",
                render::plural(errors, "error")
            ));
        } else if warnings > 0 {
            out.push_str(&format!(
                "{yellow}warning{reset}{bold}: {what} generated {}{reset}\n",
                render::plural(warnings, "warning")
            ));
        }
    }
    let files = loaded.files.iter().filter(|f| f.owner.is_some()).count();
    let lines: u64 = loaded
        .files
        .iter()
        .filter(|f| f.owner.is_some())
        .map(|f| f.lines as u64)
        .sum();
    out.push_str(&format!(
        "{green}{:>12}{reset} {} ({}, {})\n",
        "Analyzed",
        render::plural(workspace.targets.len(), "target"),
        render::plural(files, "file"),
        render::plural(lines as usize, "line"),
    ));
    out
}

fn print_timings(timings: &Timings, loaded: &Loaded) {
    let lines: u64 = loaded.files.iter().map(|f| f.lines as u64).sum();
    let mut text = String::from("timings:\n");
    for (stage, took) in &timings.stages {
        text.push_str(&format!("  {stage:28} {:>9.3} s\n", took.as_secs_f64()));
    }
    let total = timings.total().as_secs_f64();
    let staged: f64 = timings.stages.iter().map(|s| s.1.as_secs_f64()).sum();
    text.push_str(&format!(
        "  {:28} {:>9.3} s\n",
        "between stages",
        (total - staged).max(0.0)
    ));
    text.push_str(&format!(
        "  {:28} {:>9.3} s   {} files, {} lines, {:.0} lines/s\n",
        "total",
        total,
        loaded.files.len(),
        lines,
        lines as f64 / total.max(1e-9)
    ));
    let ir: usize = loaded
        .files
        .iter()
        .filter_map(|f| f.ir.as_ref())
        .map(|ir| ir.arena_bytes())
        .sum();
    text.push_str(&format!(
        "  {:28} {:>9.1} MiB\n",
        "IR arenas",
        ir as f64 / (1 << 20) as f64
    ));
    if let Some(rss) = peak_rss_kib() {
        text.push_str(&format!(
            "  {:28} {:>9.1} MiB\n",
            "peak RSS",
            rss as f64 / 1024.0
        ));
    }
    eprint!("{text}");
}

/// The benchmark's baseline: a bare `syn::parse_file` of the same files, as a program that
/// does only that would run it. It runs in a fresh process, so that it starts with the same
/// cold allocator and page cache state as a run of ours, on as many threads.
fn compare_parse(loaded: &Loaded, jobs: usize, ours: Duration) {
    use std::io::Write;
    let paths: String = loaded
        .files
        .iter()
        .map(|f| format!("{}\n", f.path.display()))
        .collect();
    let child = std::env::current_exe().and_then(|exe| {
        std::process::Command::new(exe)
            .args(["escape", "--bare-parse", "-j", &jobs.to_string()])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
    });
    let seconds = child.ok().and_then(|mut child| {
        child.stdin.take()?.write_all(paths.as_bytes()).ok()?;
        let output = child.wait_with_output().ok()?;
        String::from_utf8(output.stdout)
            .ok()?
            .trim()
            .parse::<f64>()
            .ok()
    });
    let Some(bare) = seconds else {
        eprintln!("bare syn parse of the same files: could not run");
        return;
    };
    let lines: u64 = loaded.files.iter().map(|f| f.lines as u64).sum();
    eprintln!(
        "bare syn parse of the same files: {:.3} s, {:.0} lines/s\ncargo escape / bare parse: {:.2}x",
        bare,
        lines as f64 / bare.max(1e-9),
        ours.as_secs_f64() / bare.max(1e-9)
    );
}

/// `--bare-parse`: reads, parses and drops each file named on stdin, on `jobs` threads.
fn bare_parse(jobs: Option<usize>) -> Result<i32, Fatal> {
    use rayon::prelude::*;
    let paths: Vec<String> = std::io::stdin().lines().map_while(Result::ok).collect();
    let pool =
        crate::worker_pool(jobs).map_err(|e| Fatal::new(format!("cannot start threads: {e}")))?;
    let start = Instant::now();
    pool.install(|| {
        paths.par_iter().for_each(|path| {
            if let Ok(text) = std::fs::read_to_string(path) {
                drop(syn::parse_file(&text));
            }
            proc_macro2::extra::invalidate_current_thread_spans();
        })
    });
    println!("{:.6}", start.elapsed().as_secs_f64());
    Ok(EXIT_OK)
}

/// `rust-version = "1.70"` (or `"1.70.0"`) as major and minor.
fn parse_version(text: &str) -> Option<(u64, u64)> {
    let mut parts = text.trim().split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().map_or(Some(0), |m| m.parse().ok())?;
    Some((major, minor))
}

/// Peak resident memory of this process, from `/proc` (Linux only).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
