//! rustc-style output through codespan-reporting, with its ASCII character set so that the
//! location line reads `  --> path:line:col` as `$rustc` problem matchers expect.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label as CsLabel, Severity};
use codespan_reporting::term::termcolor::Buffer;
use codespan_reporting::term::{self, Chars, Config};

use super::Files;
use super::snippet::{View, Views};
use crate::diagnostic::{Diagnostic, FileId, Level};

pub fn config() -> Config {
    Config {
        chars: Chars::ascii(),
        ..Config::default()
    }
}

fn severity(level: Level) -> Severity {
    match level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Note => Severity::Note,
        Level::Help => Severity::Help,
    }
}

/// One diagnostic as rustc would print it, with ANSI colors or without.
pub fn render(sources: &Files, d: &Diagnostic, color: bool) -> String {
    // Every place the snippet shows, the primary first: (file, span, message, primary).
    let mut places = vec![(&d.primary, d.primary.text.as_str(), true)];
    places.extend(d.other_labels().map(|l| (l, l.text.as_str(), false)));
    let mut notes = Vec::new();
    for child in &d.children {
        match &child.at {
            // A child that points somewhere becomes a labelled span in the snippet.
            Some(at) => places.push((at, child.message.as_str(), false)),
            None => notes.push(format!("{}: {}", child.level.as_str(), child.message)),
        }
    }
    let ranged: Vec<(FileId, std::ops::Range<usize>, &str, bool)> = places
        .into_iter()
        .map(|(l, text, primary)| (l.file, sources.range(l.file, l.span).1, text, primary))
        .collect();
    let diagnostic = |labels: Vec<CsLabel<usize>>| {
        CsDiagnostic::new(severity(d.level))
            .with_code(format!("escape::{}", d.code))
            .with_message(d.message.clone())
            .with_labels(labels)
            .with_notes(notes.clone())
    };
    let label = |file: usize, range, text: &str, primary: bool| {
        let label = if primary {
            CsLabel::primary(file, range)
        } else {
            CsLabel::secondary(file, range)
        };
        label.with_message(text.to_string())
    };
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let long = ranged
        .iter()
        .any(|(file, range, ..)| sources.on_long_line(*file, range.start));
    // Rendering into memory cannot fail on I/O; a span outside its file is clamped first.
    if !long {
        let labels = ranged
            .iter()
            .map(|(file, range, text, primary)| {
                label(sources.codespan_id(*file), range.clone(), text, *primary)
            })
            .collect();
        let _ =
            term::emit_to_write_style(&mut buffer, &config(), sources.files(), &diagnostic(labels));
    } else {
        // Long lines are shown cut, from a view of the lines the labels touch.
        let mut files: Vec<FileId> = ranged.iter().map(|(file, ..)| *file).collect();
        files.dedup();
        files.sort();
        files.dedup();
        let views = Views(
            files
                .iter()
                .map(|&file| {
                    let ranges: Vec<_> = ranged
                        .iter()
                        .filter(|(f, ..)| *f == file)
                        .map(|(_, r, ..)| r.clone())
                        .collect();
                    View::new(sources, file, &ranges)
                })
                .collect(),
        );
        let labels = ranged
            .iter()
            .map(|(file, range, text, primary)| {
                let id = files.binary_search(file).unwrap_or(0);
                let view = &views.0[id];
                label(
                    id,
                    view.map(range.start)..view.map(range.end),
                    text,
                    *primary,
                )
            })
            .collect();
        let _ = term::emit_to_write_style(&mut buffer, &config(), &views, &diagnostic(labels));
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// A mistake in a configuration file, shown in the file as rustc shows its errors.
pub fn config_error(error: &crate::config::ConfigError, shown: &str, color: bool) -> String {
    let file = codespan_reporting::files::SimpleFile::new(shown, error.text.as_str());
    let span = error.span.start.min(error.text.len())..error.span.end.min(error.text.len());
    let mut diagnostic = CsDiagnostic::error()
        .with_message(error.message.clone())
        .with_labels(vec![CsLabel::primary((), span)]);
    if let Some(help) = &error.help {
        diagnostic = diagnostic.with_notes(vec![format!("help: {help}")]);
    }
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let _ = term::emit_to_write_style(&mut buffer, &config(), &file, &diagnostic);
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}
