//! Go's `-m` output: one verdict a line, `path:line:col: message`. With `-m=2`, each verdict
//! that carries its flow is followed by Go's explanation lines, every one prefixed with the
//! position of the thing that escapes:
//!
//! ```text
//! src/lib.rs:4:13: Box::new(x) escapes to heap:
//! src/lib.rs:4:13:   flow: ~r0 = Box::new(x):
//! src/lib.rs:4:13:     from let b = Box::new(x) (assign) at src/lib.rs:4:9
//! src/lib.rs:4:13:     from return b (return) at src/lib.rs:5:5
//! ```

use super::Files;
use super::short::one_line;
use crate::diagnostic::Diagnostic;

pub fn render(sources: &Files, d: &Diagnostic, verbosity: u8) -> String {
    let pos = sources.position(d.primary.file, d.primary.span.lo);
    let prefix = format!(
        "{}:{}:{}:",
        sources.name(d.primary.file),
        pos.line,
        pos.column
    );
    let explain = verbosity >= 2 && !d.flows.is_empty();
    let mut out = format!(
        "{prefix} {}{}\n",
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
