//! rustc-style output through codespan-reporting, with its ASCII character set so that the
//! location line reads `  --> path:line:col` as `$rustc` problem matchers expect.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label as CsLabel, Severity};
use codespan_reporting::term::termcolor::Buffer;
use codespan_reporting::term::{self, Chars, Config};

use super::Files;
use crate::diagnostic::{Diagnostic, Level};

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
    let (file, range) = sources.range(d.primary.file, d.primary.span);
    let mut labels = vec![CsLabel::primary(file, range).with_message(d.primary.text.clone())];
    for label in d.other_labels() {
        let (file, range) = sources.range(label.file, label.span);
        labels.push(CsLabel::secondary(file, range).with_message(label.text.clone()));
    }
    let mut notes = Vec::new();
    for child in &d.children {
        match &child.at {
            // A child that points somewhere becomes a labelled span in the snippet.
            Some(at) => {
                let (file, range) = sources.range(at.file, at.span);
                labels.push(CsLabel::secondary(file, range).with_message(child.message.clone()));
            }
            None => notes.push(format!("{}: {}", child.level.as_str(), child.message)),
        }
    }
    let diagnostic = CsDiagnostic::new(severity(d.level))
        .with_code(format!("escape::{}", d.code))
        .with_message(d.message.clone())
        .with_labels(labels)
        .with_notes(notes);
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    // Rendering into memory cannot fail on I/O; a span outside its file is clamped first.
    let _ = term::emit_to_write_style(&mut buffer, &config(), sources.files(), &diagnostic);
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
