//! One line a diagnostic: `path:line:col: warning[escape::rule]: message`, which problem
//! matchers read with `^(.+?):(\d+):(\d+): (error|warning|note|help)(?:\[([^\]]+)\])?: (.*)$`.

use super::Files;
use crate::diagnostic::Diagnostic;

pub fn render(sources: &Files, d: &Diagnostic) -> String {
    let pos = sources.position(d.primary.file, d.primary.span.lo);
    format!(
        "{}:{}:{}: {}[escape::{}]: {}\n",
        sources.name(d.primary.file),
        pos.line,
        pos.column,
        d.level.as_str(),
        d.code,
        one_line(&d.message)
    )
}

/// Messages are single lines, but keep the format safe if one is not.
pub fn one_line(message: &str) -> String {
    message.replace(['\n', '\r'], " ")
}
