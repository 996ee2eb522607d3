//! The command line: maps cargo-style flags to the pipeline's options, runs [`pipeline::project`]
//! and [`pipeline::check`], renders the report and returns its exit code.
//!
//! Exit codes: 0 when nothing is at error level; 1 when something is (a denied finding, or a
//! file that does not parse); 2 for a usage, configuration or internal error, or output that
//! cannot be written. A closed pipe is not an error: the output ends there, quietly, and the
//! run keeps its exit code, as cargo's does ([`stream`]).

mod args;
mod bench;
mod commands;
mod options;
mod output;
mod stream;
mod target;
mod timings;

use std::ffi::OsString;
use std::time::Instant;

use clap::{ArgMatches, CommandFactory, FromArgMatches};

use crate::pipeline::{self, BaselineOutcome, Error};
pub use crate::pipeline::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::sources::DiskSources;
pub use args::Args;
use args::Command;
use options::Format;
use stream::WriteError;

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
    if let Some(error) = options::spaced_verbosity(&args) {
        output::print_error(&error, options::color(None, &std::io::stderr()));
        return EXIT_ERROR;
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
        Some(Command::Explain { rule }) => commands::explain(rule.as_deref()),
        Some(Command::Rules) => commands::list_rules(),
        None if parsed.bare_parse => bench::bare_parse(parsed.jobs),
        None => check(&parsed, &matches),
    }));
    let color = || options::color(parsed.color, &std::io::stderr());
    match result {
        Ok(Ok(code)) => code,
        // Only a command that had succeeded so far gets here: `check` ends with its own code.
        Ok(Err(Stop::Write(WriteError::Closed))) => EXIT_OK,
        Ok(Err(Stop::Write(error))) => {
            output::print_error(&Error::System(error.to_string()), color());
            EXIT_ERROR
        }
        Ok(Err(Stop::Error(error))) => {
            output::print_error(&error, color());
            EXIT_ERROR
        }
        Err(panic) => {
            let _ = stream::err(&format!(
                "error: internal error: {}\nnote: this is a bug in cargo escape; please report it\n",
                crate::panic_message(&*panic)
            ));
            EXIT_ERROR
        }
    }
}

/// Why a command ended early.
#[derive(Debug)]
enum Stop {
    /// An error to report, with exit code 2.
    Error(Error),
    /// Output that could not be written.
    Write(WriteError),
}

impl From<Error> for Stop {
    fn from(error: Error) -> Stop {
        Stop::Error(error)
    }
}

impl From<WriteError> for Stop {
    fn from(error: WriteError) -> Stop {
        Stop::Write(error)
    }
}

/// `cargo escape` itself: the project, its check, the output.
fn check(args: &Args, matches: &ArgMatches) -> Result<i32, Stop> {
    let started = Instant::now();
    let format = options::format(args);
    target::check(&args.target)?;
    let checked = if args.with_check {
        Some(with_check(args, format)?)
    } else {
        None
    };
    let pool = crate::worker_pool(args.jobs)
        .map_err(|e| Error::System(format!("could not start worker threads: {e}")))?;
    let (overrides, unknown_lints) = options::overrides(args, matches);
    let stderr_color = options::color(args.color, &std::io::stderr());
    for (level, name) in &unknown_lints {
        match stream::err(&output::unknown_lint(*level, name, stderr_color)) {
            Ok(()) | Err(WriteError::Closed) => {}
            Err(error) => return Err(error.into()),
        }
    }
    let project = pipeline::project(
        &options::cargo(args),
        &options::packages(args),
        &options::targets(args),
        &overrides,
    )?;
    let threshold_flag = matches
        .get_raw("stack_threshold")
        .and_then(|mut v| v.next());
    target::check_thresholds(
        &project,
        &args.target,
        threshold_flag.and_then(|v| v.to_str()),
    )?;
    let sources = DiskSources::with_limits(project.limits);
    let report = pipeline::check(&project, &options::pipeline(args, format), &sources, &pool)?;
    let mut code = report.exit_code();
    if code == EXIT_OK && checked.is_some_and(|c| !c.success) {
        code = EXIT_FINDINGS;
    }
    let written = (|| -> Result<(), WriteError> {
        if let Some(BaselineOutcome::Written { path, findings }) = &report.baseline {
            return stream::err(&format!(
                "    Wrote a baseline of {findings} finding{} to {}\n",
                if *findings == 1 { "" } else { "s" },
                path.display()
            ));
        }
        let rendering = Instant::now();
        output::write(&output::Output {
            args,
            format,
            project: &project,
            report: &report,
            sources: &sources,
        })?;
        let rendered_in = rendering.elapsed();
        output::baseline_note(&report, args.prune_baseline)?;
        if let Format::Json { .. } = format {
            stream::out(&crate::render::json::build_finished(code == EXIT_OK))?;
        }
        if args.timings || args.compare_parse {
            timings::print(&report, rendered_in, started.elapsed())?;
        }
        if args.compare_parse {
            bench::compare_parse(&report, pool.current_num_threads(), started.elapsed())?;
        }
        Ok(())
    })();
    // The process ends here: freeing every file's IR one allocation at a time would only
    // delay the exit.
    std::mem::forget(report);
    match written {
        // A reader that went away changes nothing about the run: its exit code stands.
        Ok(()) | Err(WriteError::Closed) => Ok(code),
        Err(error) => Err(Stop::Write(error)),
    }
}

/// `--with-check`: `cargo check` first, its messages passed through.
fn with_check(args: &Args, format: Format) -> Result<crate::cargo_check::Checked, Stop> {
    if matches!(format, Format::Sarif | Format::Github) {
        return Err(Error::usage(
            "`--with-check` works with the human, short and JSON message formats",
        )
        .into());
    }
    let json = matches!(format, Format::Json { .. });
    let mut checked =
        crate::cargo_check::run(&options::check_args(args), json).map_err(Error::System)?;
    match checked.write_error.take() {
        // Nothing more can be shown; the analysis still decides the exit code.
        Some(error) => match WriteError::of("stdout", error) {
            WriteError::Closed => Ok(checked),
            failed => Err(Stop::Write(failed)),
        },
        None => Ok(checked),
    }
}
