//! cargo's JSON message stream: one `compiler-message` object a line, each holding a
//! rustc-shaped diagnostic, then one `build-finished` line. rust-analyzer and SARIF converters
//! read it with `cargo_metadata`'s types, so every field they require is present.
//!
//! These are the wire types; the analysis never sees them.

use serde::Serialize;

use super::Files;
use crate::diagnostic::{Diagnostic, Label, Level};

/// Which package and target a message belongs to.
pub struct Owner<'a> {
    pub package_id: &'a str,
    pub manifest_path: &'a str,
    pub target: &'a cargo_metadata::Target,
}

#[derive(Serialize)]
struct CompilerMessage<'a> {
    reason: &'static str,
    package_id: &'a str,
    manifest_path: &'a str,
    target: &'a cargo_metadata::Target,
    message: WireDiagnostic,
}

#[derive(Serialize)]
struct WireDiagnostic {
    #[serde(rename = "$message_type")]
    message_type: &'static str,
    message: String,
    code: Option<WireCode>,
    level: &'static str,
    spans: Vec<WireSpan>,
    children: Vec<WireDiagnostic>,
    rendered: Option<String>,
}

#[derive(Serialize)]
struct WireCode {
    code: String,
    explanation: Option<String>,
}

#[derive(Serialize)]
struct WireSpan {
    file_name: String,
    byte_start: u32,
    byte_end: u32,
    line_start: usize,
    line_end: usize,
    column_start: usize,
    column_end: usize,
    is_primary: bool,
    text: Vec<WireLine>,
    label: Option<String>,
    suggested_replacement: Option<String>,
    suggestion_applicability: Option<String>,
    expansion: Option<()>,
}

#[derive(Serialize)]
struct WireLine {
    text: String,
    highlight_start: usize,
    highlight_end: usize,
}

#[derive(Serialize)]
struct BuildFinished {
    reason: &'static str,
    success: bool,
}

/// One `compiler-message` line (with its newline). `rendered` is what cargo would print.
pub fn message(sources: &Files, owner: &Owner<'_>, d: &Diagnostic, rendered: String) -> String {
    let message = CompilerMessage {
        reason: "compiler-message",
        package_id: owner.package_id,
        manifest_path: owner.manifest_path,
        target: owner.target,
        message: wire(sources, d, rendered),
    };
    let mut line = serde_json::to_string(&message).expect("diagnostics serialize");
    line.push('\n');
    line
}

pub fn build_finished(success: bool) -> String {
    let mut line = serde_json::to_string(&BuildFinished {
        reason: "build-finished",
        success,
    })
    .expect("serializes");
    line.push('\n');
    line
}

fn wire(sources: &Files, d: &Diagnostic, rendered: String) -> WireDiagnostic {
    let mut spans = vec![span(sources, &d.primary, true)];
    spans.extend(d.other_labels().map(|l| span(sources, l, false)));
    let mut children: Vec<WireDiagnostic> = d
        .children
        .iter()
        .map(|c| {
            child(
                c.level,
                c.message.clone(),
                c.at.as_ref().map(|at| span(sources, at, true)),
            )
        })
        .collect();
    // The flow of a verdict, as notes an editor can show next to the code they point at.
    for flow in &d.flows {
        children.push(child(
            Level::Note,
            format!("flow: {} = {}", flow.dst, flow.src),
            None,
        ));
        for step in &flow.steps {
            let at = span(sources, &step.at, true);
            children.push(child(
                Level::Note,
                format!("from {} ({})", step.what, step.why),
                Some(at),
            ));
        }
    }
    WireDiagnostic {
        message_type: "diagnostic",
        message: d.message.clone(),
        code: Some(WireCode {
            code: format!("escape::{}", d.code),
            explanation: None,
        }),
        level: d.level.as_str(),
        spans,
        children,
        rendered: Some(rendered),
    }
}

fn child(level: Level, message: String, at: Option<WireSpan>) -> WireDiagnostic {
    WireDiagnostic {
        message_type: "diagnostic",
        message,
        code: None,
        level: level.as_str(),
        spans: at.into_iter().collect(),
        children: Vec::new(),
        rendered: None,
    }
}

fn span(sources: &Files, label: &Label, is_primary: bool) -> WireSpan {
    let start = sources.position(label.file, label.span.lo);
    let end = sources.position(label.file, label.span.hi);
    WireSpan {
        file_name: sources.root_name(label.file).to_string(),
        byte_start: label.span.lo,
        byte_end: label.span.hi,
        line_start: start.line,
        line_end: end.line,
        column_start: start.column,
        column_end: end.column,
        is_primary,
        text: sources
            .lines(label.file, label.span)
            .into_iter()
            .map(|(text, highlight_start, highlight_end)| WireLine {
                text,
                highlight_start,
                highlight_end,
            })
            .collect(),
        label: if label.text.is_empty() {
            None
        } else {
            Some(label.text.clone())
        },
        suggested_replacement: None,
        suggestion_applicability: None,
        expansion: None,
    }
}
