//! Verdicts as diagnostics: one error per violation, at the call or expression of the
//! contracted function that leads to it, labelled down the chain of calls to the site that
//! does it; with `-m`, a line per contracted function; with `-m=2`, the chain as flow steps.

use super::{Effect, EffectKind, Frees, Step, Unknown, Verdict, Verdicts, Violation};
use crate::diagnostic::{Child, Code, Diagnostic, Flow, FlowStep, Label, Level};
use crate::facts::Options;
use crate::facts::display::Printer;
use crate::ir::{ContractKind, ContractSource};
use crate::load::Loaded;

/// The diagnostics of the contracts of one kind.
pub fn diagnostics(
    verdicts: &Verdicts,
    kind: ContractKind,
    code: Code,
    loaded: &Loaded,
    options: &Options,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for verdict in verdicts.verdicts.iter().filter(|v| v.contract.kind == kind) {
        let Some(ir) = loaded.ir(verdict.key.0) else {
            continue;
        };
        let name_span = ir.item(verdict.key.1).name_span;
        let count = verdict.violations.len();
        let summary = match count {
            0 => format!("{}: {} verified", verdict.name, kind.name()),
            1 => format!(
                "{}: {} not verified: 1 violation",
                verdict.name,
                kind.name()
            ),
            n => format!(
                "{}: {} not verified: {n} violations",
                verdict.name,
                kind.name()
            ),
        };
        out.push(
            Diagnostic::new(
                code,
                Level::Note,
                summary,
                Label::new(verdict.key.0, name_span, ""),
            )
            .with_verbosity(1),
        );
        for violation in &verdict.violations {
            out.push(violation_diagnostic(
                verdict, violation, code, loaded, options,
            ));
        }
    }
    for &(file, span, stray) in &verdicts.stray {
        if stray != kind {
            continue;
        }
        out.push(
            Diagnostic::new(
                code,
                Level::Warning,
                format!(
                    "`// escape: {}` is on no function: it checks nothing",
                    kind.name()
                ),
                Label::new(file, span, ""),
            )
            .with_help("write it on the line above a `fn`"),
        );
    }
    out
}

/// What a contract forbids, as a message says it.
fn verb(kind: ContractKind) -> &'static str {
    match kind {
        ContractKind::NoAlloc => "allocate",
        ContractKind::NoBlock => "block",
    }
}

/// What the site at the end of a chain does: `calls `Vec::push``, `uses `vec!``.
fn action(effect: &Effect) -> String {
    let what = effect.what;
    let call = || {
        if what.as_str().ends_with('!') {
            format!("uses `{what}`")
        } else {
            format!("calls `{what}`")
        }
    };
    match effect.kind {
        EffectKind::Frees(Frees::Drop) => format!("drops `{what}`"),
        EffectKind::Frees(Frees::Param) => format!("drops its parameter `{what}`"),
        EffectKind::Frees(Frees::Assign) => format!("overwrites `{what}`"),
        EffectKind::Unknown(Unknown::Receiver(_)) => format!("calls `.{what}(..)`"),
        EffectKind::Panics if !what.as_str().contains("::") && !what.as_str().ends_with('!') => {
            format!("calls `.{what}(..)`")
        }
        _ => call(),
    }
}

/// Why the site breaks the contract, for its label.
fn reason(effect: &Effect, kind: ContractKind) -> String {
    let known = match kind {
        ContractKind::NoAlloc => "known not to allocate",
        ContractKind::NoBlock => "known not to allocate or block",
    };
    match effect.kind {
        EffectKind::Allocates => "allocates".to_string(),
        EffectKind::MayAllocate => "may allocate: it grows its buffer when it is full".to_string(),
        EffectKind::Frees(Frees::Param) => {
            "dropped when the function returns, which frees its heap memory".to_string()
        }
        EffectKind::Frees(Frees::Assign) => {
            "the old value is dropped, which frees its heap memory".to_string()
        }
        EffectKind::Frees(_) => "frees heap memory".to_string(),
        EffectKind::Panics => "may panic, and a panic allocates".to_string(),
        EffectKind::Blocks => "blocks".to_string(),
        EffectKind::Io => {
            "writes to a standard stream: it takes the stream's lock, and allocates the stream's \
             buffer on first use"
                .to_string()
        }
        EffectKind::Unknown(why) => format!(
            "not verified: {}",
            match why {
                Unknown::OtherCrate => "its code is not analyzed".to_string(),
                Unknown::NotInTable => format!("not in the table of std functions {known}"),
                Unknown::Unresolved => "the path does not resolve".to_string(),
                Unknown::FnValue =>
                    "a closure or function value, whose code is not known here".to_string(),
                Unknown::Generic => {
                    "a generic or `dyn` call whose implementations are not known".to_string()
                }
                Unknown::Receiver(_) => "the receiver's type is not known".to_string(),
                Unknown::Macro => "the macro is not expanded".to_string(),
                Unknown::Method => "the method was not found".to_string(),
                Unknown::NoImpl => "no implementation in the workspace".to_string(),
            }
        ),
    }
}

fn violation_diagnostic(
    verdict: &Verdict,
    violation: &Violation,
    code: Code,
    loaded: &Loaded,
    options: &Options,
) -> Diagnostic {
    let kind = verdict.contract.kind;
    let effect = &violation.effect;
    let steps = &violation.steps;
    let mut message = format!("`{}` must not {}, but it ", verdict.name, verb(kind));
    for step in &steps[..steps.len() - 1] {
        let callee = step.callee.as_deref().unwrap_or("?");
        message.push_str(&format!("calls `{callee}`, which "));
    }
    message.push_str(&action(effect));
    let first = &steps[0];
    let last = steps.last().expect("a violation has a site");
    let primary_text = if steps.len() == 1 {
        reason(effect, kind)
    } else {
        format!("calls `{}`", first.callee.as_deref().unwrap_or("?"))
    };
    let mut d = Diagnostic::new(
        code,
        Level::Error,
        message,
        Label::new(first.file, first.span, primary_text),
    );
    for (i, step) in steps.iter().enumerate().skip(1) {
        let text = if i + 1 == steps.len() {
            format!(
                "`{}` {} here: {}",
                step.function,
                action(effect),
                reason(effect, kind)
            )
        } else {
            format!(
                "`{}` calls `{}` here",
                step.function,
                step.callee.as_deref().unwrap_or("?")
            )
        };
        d.children.push(Child {
            level: Level::Note,
            message: text,
            at: Some(Label::new(step.file, step.span, "")),
        });
    }
    for note in notes(effect, kind, verdict.contract.source) {
        d.children.push(note);
    }
    if options.verbosity >= 2 {
        d.flows = vec![flow(verdict, violation, loaded, last)];
    }
    d
}

/// The notes and help a violation's kind deserves.
fn notes(effect: &Effect, kind: ContractKind, source: ContractSource) -> Vec<Child> {
    let note = |message: String| Child {
        level: Level::Note,
        message,
        at: None,
    };
    let help = |message: String| Child {
        level: Level::Help,
        message,
        at: None,
    };
    let what = effect.what;
    let assume = |what: &str| {
        help(format!(
            "if `{what}` does not {}, say so in the configuration: `[contracts] assume_{} = \
             [\"{what}\"]`",
            verb(kind),
            kind.name()
        ))
    };
    let mut out = Vec::new();
    match effect.kind {
        EffectKind::MayAllocate => out.push(note(format!(
            "within its capacity `{what}` does not reallocate, but nothing here proves that the \
             capacity suffices"
        ))),
        EffectKind::Panics => {
            out.push(note(
                "a panic formats its message and allocates its payload on the heap".to_string(),
            ));
            if source != ContractSource::Sanitizer {
                out.push(help(format!(
                    "if a panic may happen here, allow it: `{}(allow_panic)`",
                    kind.name()
                )));
            }
        }
        EffectKind::Frees(Frees::Param) => out.push(help(
            "take it by reference, or give it back to the caller, so that it is freed outside \
             this path"
                .to_string(),
        )),
        EffectKind::Io => out.push(help(
            "hand the message to another thread through a lock-free queue, and print it there"
                .to_string(),
        )),
        EffectKind::Unknown(Unknown::OtherCrate | Unknown::NotInTable | Unknown::Generic) => {
            out.push(assume(what.as_str()))
        }
        EffectKind::Unknown(Unknown::Receiver(std)) => {
            if let Some(std) = std {
                let does = match std {
                    super::StdVerdict::Allocates => "allocates",
                    super::StdVerdict::MayAllocate => "may allocate",
                    super::StdVerdict::Blocks => "blocks",
                    super::StdVerdict::Frees => "frees what it removes",
                };
                out.push(note(format!(
                    "std's `{what}` {does}, and the workspace's may be called too"
                )));
            }
            out.push(help(
                "give the receiver a type that can be read: declare it on the `let`, the \
                 parameter or the field"
                    .to_string(),
            ));
        }
        EffectKind::Unknown(Unknown::FnValue) => out.push(note(
            "a closure or function pointer may run any code; if you know what it runs, allow \
             this call with `// escape: allow(..)` on the line above it"
                .to_string(),
        )),
        EffectKind::Unknown(Unknown::Macro) => out.push(note(
            "macros other than std's are not expanded, so what they run is not known".to_string(),
        )),
        _ => {}
    }
    out
}

/// The chain as `-m=2` flow steps: `from mix(..) (call) at ..`, down to the site.
fn flow(verdict: &Verdict, violation: &Violation, loaded: &Loaded, last: &Step) -> Flow {
    let steps = violation
        .steps
        .iter()
        .map(|step| {
            let text = match (loaded.ir(step.file), step.expr) {
                (Some(ir), Some(expr)) => {
                    let body = step.body.map(|b| ir.body(b));
                    Printer::new(ir, body).expr(expr)
                }
                _ => violation.effect.what.to_string(),
            };
            let why = if std::ptr::eq(step, last) {
                match violation.effect.kind {
                    EffectKind::Allocates => "allocates",
                    EffectKind::MayAllocate => "may allocate",
                    EffectKind::Frees(_) => "frees",
                    EffectKind::Panics => "may panic",
                    EffectKind::Blocks => "blocks",
                    EffectKind::Io => "does I/O",
                    EffectKind::Unknown(_) => "not verified",
                }
            } else {
                "call"
            };
            FlowStep {
                what: text,
                why: why.to_string(),
                at: Label::new(step.file, step.span, ""),
            }
        })
        .collect();
    Flow {
        dst: format!("`{}`", violation.effect.what),
        src: verdict.name.clone(),
        steps,
    }
}
