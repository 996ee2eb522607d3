//! Writing a report: each diagnostic in the chosen format, cargo's closing summary lines, the
//! baseline's note, and errors that stop the run.

use std::collections::HashMap;

use super::args::Args;
use super::options::{self, Format, JsonRendered};
use super::stream::{self, WriteError};
use crate::diagnostic::{Diagnostic, Level};
use crate::levels::LintLevel;
use crate::pipeline::{BaselineOutcome, Error, Project, Report};
use crate::render::{self, Files, human, json, short, verdicts};
use crate::sources::Sources;

/// What the output is written from.
pub(super) struct Output<'r> {
    pub args: &'r Args,
    pub format: Format,
    pub project: &'r Project,
    pub report: &'r Report,
    /// What the files were read through: snippets quote the text that was analyzed.
    pub sources: &'r dyn Sources,
}

/// Writes the report's diagnostics, then the summary lines.
pub(super) fn write(output: &Output<'_>) -> Result<(), WriteError> {
    let Output {
        args,
        format,
        report,
        ..
    } = *output;
    let mut files = Files::new(report.paths(), &report.display_base, &report.root);
    files.load_for(&report.diagnostics, output.sources);
    let stderr_color = options::color(args.color, &std::io::stderr());
    let mut err = String::new();
    let mut out = String::new();
    if let Format::Sarif = format {
        let identities = identities(report);
        out.push_str(&render::sarif::render(
            &files,
            &report.diagnostics,
            &identities,
        ));
    }
    // What is written to the terminal, for the summary to count: nothing else.
    let mut printed: Vec<&Diagnostic> = Vec::new();
    for d in &report.diagnostics {
        if matches!(
            format,
            Format::Human | Format::Short | Format::Verdicts | Format::Github
        ) {
            printed.push(d);
        }
        match format {
            Format::Sarif => {}
            Format::Github => out.push_str(&render::github::render(&files, d)),
            Format::Human => err.push_str(&human::render(&files, d, stderr_color)),
            Format::Short => err.push_str(&short::render(&files, d)),
            Format::Verdicts => {
                err.push_str(&verdicts::render(&files, d, options::verbosity(args)))
            }
            Format::Json {
                rendered,
                also_human,
            } => {
                let Some(owner) = owner_of(output.project, report, d) else {
                    continue;
                };
                // With `json-render-diagnostics`, as with cargo, diagnostics are rendered to
                // stderr instead of being sent as JSON; other messages stay on stdout.
                if also_human {
                    err.push_str(&human::render(&files, d, stderr_color));
                    printed.push(d);
                    continue;
                }
                let text = match rendered {
                    JsonRendered::Human => human::render(&files, d, false),
                    JsonRendered::Ansi => human::render(&files, d, true),
                    JsonRendered::Short => short::render(&files, d),
                };
                out.push_str(&json::message(&files, &owner, d, text));
            }
        }
    }
    let human_summary = match format {
        Format::Human | Format::Short | Format::Verdicts | Format::Github => true,
        Format::Json { also_human, .. } => also_human,
        Format::Sarif => false,
    };
    if human_summary && !args.quiet {
        err.push_str(&summary(output.project, report, &printed, stderr_color));
    }
    stream::out(&out)?;
    stream::err(&err)
}

/// Each diagnostic's stable identity, for SARIF. A finding is its rule, file and item, and its
/// rank among the rule's findings in that item: never a line number, nor the message (which
/// may hold one, or a count).
fn identities(report: &Report) -> Vec<render::sarif::Identity> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    report
        .diagnostics
        .iter()
        .map(|d| {
            let (rule, file, item) = report.finding_key(d);
            let identity = format!("{rule}\0{file}\0{item}");
            let n = seen.entry(identity.clone()).or_default();
            *n += 1;
            render::sarif::Identity {
                fingerprint: fingerprint(&format!("{identity}\0{n}")),
                item,
            }
        })
        .collect()
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

/// The package and target a JSON message belongs to; `None` for a file no cargo target owns.
fn owner_of<'p>(project: &'p Project, report: &Report, d: &Diagnostic) -> Option<json::Owner<'p>> {
    let krate = report.file(d.primary.file).owner?;
    let target = project.targets.get(krate.index())?;
    let package = project.package(target.package);
    Some(json::Owner {
        package_id: &package.id,
        manifest_path: package.manifest_path.to_str().unwrap_or(""),
        target: target.cargo.as_ref()?,
    })
}

/// cargo's closing lines: one per target with warnings or errors among the diagnostics
/// `printed`, then a status line.
fn summary(project: &Project, report: &Report, printed: &[&Diagnostic], color: bool) -> String {
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
    let mut counts = vec![(0usize, 0usize); project.targets.len()];
    for d in printed {
        let Some(krate) = report.file(d.primary.file).owner else {
            continue;
        };
        match d.level {
            Level::Error => counts[krate.index()].0 += 1,
            Level::Warning => counts[krate.index()].1 += 1,
            _ => {}
        }
    }
    let mut out = String::new();
    for (target, &(errors, warnings)) in project.targets.iter().zip(&counts) {
        let name = &project.package(target.package).name;
        let what = format!("`{name}` ({})", target.description);
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
    let (files, lines) = report.analyzed();
    out.push_str(&format!(
        "{green}{:>12}{reset} {} ({}, {})\n",
        "Analyzed",
        render::plural(project.targets.len(), "target"),
        render::plural(files, "file"),
        render::plural(lines as usize, "line"),
    ));
    out
}

/// After a baseline was applied: how many of its findings are gone, unless it was pruned.
pub(super) fn baseline_note(report: &Report, pruned: bool) -> Result<(), WriteError> {
    let Some(BaselineOutcome::Applied { applied, .. }) = &report.baseline else {
        return Ok(());
    };
    if applied.fixed > 0 && !pruned {
        stream::err(&format!(
            "note: {} finding{} the baseline allows {} gone; `--prune-baseline` shrinks it\n",
            applied.fixed,
            if applied.fixed == 1 { "" } else { "s" },
            if applied.fixed == 1 { "is" } else { "are" }
        ))?;
    }
    Ok(())
}

/// An error that stops the run, as `error: ...` on stderr; a configuration mistake is shown
/// in its file. Whether stderr takes it makes no difference: the exit code says it too.
pub(super) fn print_error(error: &Error, color: bool) {
    let (red, cyan, bold, reset) = if color {
        ("\x1b[1;31m", "\x1b[1;36m", "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    if let Some(config) = error.config()
        && !config.text.is_empty()
    {
        let cwd = std::env::current_dir().unwrap_or_default();
        let shown = crate::paths::relative_to(&config.path, &cwd);
        let _ = stream::err(&human::config_error(config, &shown, color));
        return;
    }
    let mut text = format!("{red}error{reset}{bold}: {}{reset}\n", error.message());
    if let Some(help) = error.help() {
        text.push_str(&format!("\n{cyan}help{reset}: {help}\n"));
    }
    let _ = stream::err(&text);
}

/// The warning for a `-D`/`-W`/`-A` flag that names no rule, input diagnostic or `warnings`:
/// as rustc warns about an unknown lint on its command line, and goes on.
pub(super) fn unknown_lint(level: LintLevel, name: &str, color: bool) -> String {
    let (yellow, cyan, bold, reset) = if color {
        ("\x1b[1;33m", "\x1b[1;36m", "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    let flag = match level {
        LintLevel::Deny => "-D",
        LintLevel::Warn => "-W",
        LintLevel::Allow => "-A",
    };
    let id = name.strip_prefix("escape::").unwrap_or(name);
    let help = crate::suggest::did_you_mean(id, crate::rules::all_codes().chain(["warnings"]))
        .unwrap_or_else(|| "`cargo escape rules` lists the rules".to_string());
    format!(
        "{yellow}warning{reset}{bold}: unknown lint: `{name}`{reset}\n  {cyan}|{reset}\n  \
         {cyan}={reset} {bold}note{reset}: requested on the command line with `{flag} {name}`\n  \
         {cyan}={reset} {bold}help{reset}: {help}\n\n"
    )
}
