//! What the flags mean: cargo's package and target selection, the pipeline's options, the
//! output format and colors, and the flags `--with-check` passes to `cargo check`.

use std::ffi::OsString;

use anstream::stream::RawStream;
use anstream::{AutoStream, ColorChoice};

use clap::ArgMatches;

use super::args::{Args, ColorWhen, MessageFormat};
use crate::discover::{CargoOptions, PackageSelection, TargetSelection};
use crate::levels::LintLevel;
use crate::pipeline::{BaselineMode, Error, Options, Overrides};

/// How diagnostics are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Format {
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

/// What a JSON message's `rendered` field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum JsonRendered {
    Human,
    Ansi,
    Short,
}

/// The `-m` level: `-m` is 1, `-m=2` or `-m -m` is 2.
pub(super) fn verbosity(args: &Args) -> u8 {
    args.m.iter().map(|&m| m as u32).sum::<u32>().min(2) as u8
}

/// `-m 2` (or `-qm 2`): the level of `-m` is written `-m=2`, so clap would take the `2` for
/// a subcommand and say that it "cannot be used with -m". Said here, plainly, instead.
pub(super) fn spaced_verbosity(args: &[OsString]) -> Option<Error> {
    let args: Vec<&str> = args
        .iter()
        .skip(1)
        .map(|a| a.to_str().unwrap_or(""))
        .take_while(|a| *a != "--")
        .collect();
    args.windows(2).find_map(|pair| {
        let (flag, value) = (pair[0], pair[1]);
        // `-m`, or `-m` at the end of short flags that take no value (`-qm`).
        let short_cluster = flag.strip_prefix('-').is_some_and(|letters| {
            !letters.is_empty() && letters.chars().all(|c| "qm".contains(c))
        });
        let is_level = !value.is_empty() && value.chars().all(|c| c.is_ascii_digit());
        (short_cluster && flag.ends_with('m') && is_level).then(|| Error::Usage {
            message: format!("`{flag} {value}`: the level of `-m` is not a separate argument"),
            help: Some(match value {
                "1" => "write `-m`".to_string(),
                "2" => "write `-m=2`, or `-m -m`".to_string(),
                _ => format!("write `-m={value}`"),
            }),
        })
    })
}

pub(super) fn format(args: &Args) -> Format {
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
        None if verbosity(args) > 0 => Format::Verdicts,
        None => Format::Human,
    }
}

/// Whether to colour what is written to `stream`, as cargo decides it: `--color`, else
/// `$CARGO_TERM_COLOR`, else (`auto`) what anstream reads from the environment and the stream:
/// `NO_COLOR` (set and not empty) turns colour off, `CLICOLOR_FORCE` on, `CLICOLOR=0` off;
/// otherwise a terminal whose `TERM` is not `dumb` gets colour.
pub(super) fn color(when: Option<ColorWhen>, stream: &impl RawStream) -> bool {
    let when = when.or_else(|| match std::env::var("CARGO_TERM_COLOR").ok()?.as_str() {
        "always" => Some(ColorWhen::Always),
        "never" => Some(ColorWhen::Never),
        "auto" => Some(ColorWhen::Auto),
        _ => None,
    });
    match when.unwrap_or(ColorWhen::Auto) {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => AutoStream::choice(stream) != ColorChoice::Never,
    }
}

pub(super) fn cargo(args: &Args) -> CargoOptions {
    CargoOptions {
        manifest_path: args.manifest_path.clone(),
        frozen: args.frozen,
        locked: args.locked,
        offline: args.offline,
        config: args.config.clone(),
    }
}

pub(super) fn packages(args: &Args) -> PackageSelection {
    PackageSelection {
        packages: args.workspace.package.clone(),
        workspace: args.workspace.workspace || args.workspace.all,
        exclude: args.workspace.exclude.clone(),
    }
}

pub(super) fn targets(args: &Args) -> TargetSelection {
    TargetSelection {
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
    }
}

/// `-D`/`-W`/`-A` in command-line order, and `--stack-threshold`; with the flags that name no
/// rule, input diagnostic or `warnings`, which rustc would warn about and ignore, apart.
pub(super) fn overrides(
    args: &Args,
    matches: &ArgMatches,
) -> (Overrides, Vec<(LintLevel, String)>) {
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
    let (known, unknown) = flags
        .into_iter()
        .map(|(_, level, name)| (level, name))
        .partition(|(_, name)| name == "warnings" || crate::rules::is_known_code(name));
    let overrides = Overrides {
        lint_flags: known,
        stack_threshold: args.stack_threshold,
        max_file_size: args.max_file_size,
    };
    (overrides, unknown)
}

/// The pipeline's options for a run writing `format`.
pub(super) fn pipeline(args: &Args, format: Format) -> Options {
    let verbosity = verbosity(args);
    let json = matches!(format, Format::Json { .. });
    let baseline = match (&args.baseline, &args.write_baseline) {
        (Some(path), _) => BaselineMode::Apply {
            path: path.clone(),
            prune: args.prune_baseline,
        },
        (None, Some(path)) => BaselineMode::Write { path: path.clone() },
        (None, None) => BaselineMode::Off,
    };
    Options {
        verbosity,
        flows: verbosity >= 2 || json,
        target_triples: args.target.clone(),
        // Paths are shown relative to the current directory; in JSON, relative to the
        // workspace root, as rustc run by cargo writes them (rendered text included).
        display_base: if json {
            None
        } else {
            std::env::current_dir().ok()
        },
        baseline,
    }
}

/// The flags `cargo check` is given by `--with-check`: the same packages, targets, features
/// and message format.
pub(super) fn check_args(args: &Args) -> Vec<String> {
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
