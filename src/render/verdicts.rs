//! Go's `-m` output: one verdict a line, `path:line:col: message`. With `-m=2`, each verdict
//! that carries its flow is followed by Go's explanation lines, every one prefixed with the
//! position of the thing that escapes:
//!
//! ```text
//! src/lib.rs:4:13: Box::new(x) does not escape
//! src/lib.rs:9:13: warning[escape::returned_box]: Box::new(y) escapes to heap: returned from f:
//! src/lib.rs:9:13:   flow: ~r0 = Box::new(y):
//! src/lib.rs:9:13:     from let b = Box::new(y) (assign) at src/lib.rs:9:9
//! src/lib.rs:9:13:     from b (return) at src/lib.rs:10:5
//! ```
//!
//! A finding at warning or error level says so, as the short format does, so that the summary
//! lines' counts ("generated 1 warning") are of lines the reader sees; verdicts proper (notes)
//! are written as Go writes them.

use super::Files;
use super::short::one_line;
use crate::diagnostic::{Diagnostic, Level};

pub fn render(sources: &Files, d: &Diagnostic, verbosity: u8) -> String {
    let pos = sources.position(d.primary.file, d.primary.span.lo);
    let prefix = format!(
        "{}:{}:{}:",
        sources.name(d.primary.file),
        pos.line,
        pos.column
    );
    let explain = verbosity >= 2 && !d.flows.is_empty();
    let level = match d.level {
        Level::Warning | Level::Error => format!("{}[escape::{}]: ", d.level.as_str(), d.code),
        Level::Note | Level::Help => String::new(),
    };
    let mut out = format!(
        "{prefix} {level}{}{}\n",
        one_line(&d.message),
        if explain { ":" } else { "" }
    );
    if explain {
        for flow in &d.flows {
            out.push_str(&format!("{prefix}   flow: {} = {}:\n", flow.dst, flow.src));
            for step in &flow.steps {
                let at = sources.position(step.at.file, step.at.span.lo);
                out.push_str(&format!(
                    "{prefix}     from {} ({}) at {}:{}:{}\n",
                    step.what,
                    step.why,
                    sources.name(step.at.file),
                    at.line,
                    at.column
                ));
            }
        }
    }
    out
}
