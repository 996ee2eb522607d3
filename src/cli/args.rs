//! The command line's flags, as clap parses them. What they mean for a run is in
//! [`super::options`].

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

const ABOUT: &str = "Escape analysis for Rust: where a workspace allocates on the heap, and why";

const LONG_ABOUT: &str = "\
Escape analysis for Rust, after Go's `-gcflags=-m`: where a workspace allocates on the heap, \
and why. It reads the sources with syn; it never compiles them, and never runs build scripts \
or proc macros.

Exit status: 0 when nothing is at error level, 1 when something is (a finding denied with -D, \
or a file that does not parse), 2 for a usage, configuration or internal error, or output \
that cannot be written.";

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
    pub(super) command: Option<Command>,

    /// Path to Cargo.toml
    #[arg(long, value_name = "PATH", help_heading = "Package Selection")]
    pub(super) manifest_path: Option<PathBuf>,

    #[command(flatten)]
    pub(super) workspace: clap_cargo::Workspace,

    /// Analyze only this package's library
    #[arg(long, help_heading = "Target Selection")]
    pub(super) lib: bool,
    /// Analyze all binaries
    #[arg(long, help_heading = "Target Selection")]
    pub(super) bins: bool,
    /// Analyze only the specified binary
    #[arg(long, value_name = "NAME", help_heading = "Target Selection")]
    pub(super) bin: Vec<String>,
    /// Analyze all examples
    #[arg(long, help_heading = "Target Selection")]
    pub(super) examples: bool,
    /// Analyze only the specified example
    #[arg(long, value_name = "NAME", help_heading = "Target Selection")]
    pub(super) example: Vec<String>,
    /// Analyze all test targets, and `#[cfg(test)]` code
    #[arg(long, help_heading = "Target Selection")]
    pub(super) tests: bool,
    /// Analyze only the specified test target, and `#[cfg(test)]` code
    #[arg(long, value_name = "NAME", help_heading = "Target Selection")]
    pub(super) test: Vec<String>,
    /// Analyze all bench targets
    #[arg(long, help_heading = "Target Selection")]
    pub(super) benches: bool,
    /// Analyze only the specified bench target
    #[arg(long, value_name = "NAME", help_heading = "Target Selection")]
    pub(super) bench: Vec<String>,
    /// Analyze all targets (lib, bins, examples, tests, benches)
    #[arg(long, help_heading = "Target Selection")]
    pub(super) all_targets: bool,

    /// Output format [human, short, json, json-diagnostic-short,
    /// json-diagnostic-rendered-ansi, json-render-diagnostics]
    #[arg(
        long,
        value_name = "FMT",
        value_delimiter = ',',
        help_heading = "Output"
    )]
    pub(super) message_format: Vec<MessageFormat>,
    /// Coloring [default: $CARGO_TERM_COLOR, else auto]
    #[arg(long, value_name = "WHEN", help_heading = "Output")]
    pub(super) color: Option<ColorWhen>,
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
    pub(super) m: Vec<u8>,
    /// No summary lines
    #[arg(short, long, help_heading = "Output")]
    pub(super) quiet: bool,
    /// Print how long each stage took
    #[arg(long, help_heading = "Output")]
    pub(super) timings: bool,

    /// Set a rule (or `warnings`, or an input diagnostic) to deny: findings are errors
    #[arg(
        short = 'D',
        long = "deny",
        value_name = "RULE",
        help_heading = "Lint Levels"
    )]
    pub(super) deny: Vec<String>,
    /// Set a rule (or `warnings`) to warn
    #[arg(
        short = 'W',
        long = "warn",
        value_name = "RULE",
        help_heading = "Lint Levels"
    )]
    pub(super) warn: Vec<String>,
    /// Set a rule (or `warnings`) to allow: its findings are not reported
    #[arg(
        short = 'A',
        long = "allow",
        value_name = "RULE",
        help_heading = "Lint Levels"
    )]
    pub(super) allow: Vec<String>,

    /// Values larger than this go on the heap, not the stack: `65536`, `64KiB`, `1MiB`
    /// [default: 64KiB]
    #[arg(long, value_name = "BYTES", value_parser = crate::config::parse_stack_threshold)]
    pub(super) stack_threshold: Option<u64>,

    /// Files larger than this are not read: `16MiB`, `64MiB` [default: 16MiB]
    #[arg(long, value_name = "BYTES", value_parser = crate::config::parse_max_file_size)]
    pub(super) max_file_size: Option<u64>,

    /// Report only the findings beyond this baseline (see --write-baseline)
    #[arg(long, value_name = "FILE", help_heading = "Baseline")]
    pub(super) baseline: Option<PathBuf>,
    /// Record today's findings in FILE, for --baseline, and report nothing
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Baseline",
        conflicts_with = "baseline"
    )]
    pub(super) write_baseline: Option<PathBuf>,
    /// With --baseline: lower the baseline's counts to the findings that are left
    #[arg(long, requires = "baseline", help_heading = "Baseline")]
    pub(super) prune_baseline: bool,

    /// Run `cargo check` first, with the same packages, targets and features, and pass its
    /// messages through before ours (for rust-analyzer, which runs one check command)
    #[arg(long, help_heading = "Integration")]
    pub(super) with_check: bool,

    /// Number of parallel jobs [default: the number of CPUs, or $RAYON_NUM_THREADS]
    #[arg(short, long, value_name = "N", value_parser = parse_jobs)]
    pub(super) jobs: Option<usize>,

    #[command(flatten)]
    pub(super) features: clap_cargo::Features,
    /// Accepted for compatibility: analysis always goes on after an error
    #[arg(long, help_heading = "Compatibility")]
    pub(super) keep_going: bool,
    /// Estimate sizes for this target (a triple rustc knows, or a custom target's .json
    /// file): a 32-bit triple makes pointers 4 bytes [default: 64-bit]
    #[arg(long, value_name = "TRIPLE")]
    pub(super) target: Vec<String>,
    /// Accepted for compatibility: nothing is built, so nothing is written
    #[arg(long, value_name = "DIR", help_heading = "Compatibility")]
    pub(super) target_dir: Option<PathBuf>,
    /// Passed to `cargo metadata`
    #[arg(long, value_name = "KEY=VALUE", help_heading = "Compatibility")]
    pub(super) config: Vec<String>,
    /// Passed to `cargo metadata`
    #[arg(long, help_heading = "Compatibility")]
    pub(super) frozen: bool,
    /// Passed to `cargo metadata`
    #[arg(long, help_heading = "Compatibility")]
    pub(super) locked: bool,
    /// Passed to `cargo metadata`
    #[arg(long, help_heading = "Compatibility")]
    pub(super) offline: bool,

    /// After the run, parse the same files with bare syn, in a fresh process on as many
    /// threads, and compare
    #[arg(long, hide = true)]
    pub(super) compare_parse: bool,

    /// Parse the files named on stdin with bare syn, print the seconds taken, and exit (the
    /// baseline `--compare-parse` runs)
    #[arg(long, hide = true)]
    pub(super) bare_parse: bool,
}

/// `-j N`: a number of threads, with cargo's words for 0.
fn parse_jobs(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("jobs may not be 0".to_string()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{text}` is not a number of jobs")),
    }
}

#[derive(Subcommand, Debug)]
pub(super) enum Command {
    /// Print a rule's documentation
    Explain {
        /// The rule, with or without the `escape::` prefix
        rule: Option<String>,
    },
    /// List the rules with their default levels
    Rules,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(super) enum MessageFormat {
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
pub(super) enum ColorWhen {
    Auto,
    Always,
    Never,
}
