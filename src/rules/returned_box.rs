//! `returned_box`: a function that allocates a `Box` only to hand it to its caller.
//!
//! Found on the escape graph: a `Box::new` (or `Box::from`, `Box::default`) whose value reaches
//! the return slot directly, through assignments, branches and crate functions that return
//! their argument, or inside the `Some(..)` or `Ok(..)` of a `-> Option<Box<T>>` or
//! `-> Result<Box<T>, E>`. Reported only when the caller could be given the value itself: the
//! function's return type is `Box<T>` with `T` sized and known (no `dyn`, slice, `str`, generic
//! or `impl Trait`), `T` does not contain itself (recursive types need their box), the value
//! is not large, and no trait fixes the signature. Public functions are included.

use super::{Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Label, Level};
use crate::escape::CrateEscape;
use crate::escape::classify::{self, ReturnedBox, Wrapper};
use crate::escape::{self, AllocVerdict, BodyEscape};
use crate::facts::{BodyCx, CrateCx};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "returned_box",
        default_level: Level::Warning,
        verbosity: 0,
        summary: "a function boxes a value only to return it: return the value, let the caller box it",
        page: include_str!("../../lints/returned_box.md"),
        escape: true,
    },
    check,
};

fn check(cx: &CrateCx<'_>, escape: &CrateEscape, out: &mut Vec<Diagnostic>) {
    for (bcx, esc) in crate::escape::owned(cx, escape) {
        for verdict in &esc.allocs {
            if let Some(d) = finding(&bcx, esc, verdict) {
                out.push(d);
            }
        }
    }
}

/// The warning for one allocation site, if this rule reports it.
fn finding(bcx: &BodyCx<'_, '_>, esc: &BodyEscape, verdict: &AllocVerdict) -> Option<Diagnostic> {
    let ReturnedBox {
        name,
        ret,
        inner,
        wrapper,
    } = classify::returned_box(bcx, esc, verdict)?;
    let func = bcx.function()?;
    let site = escape::site_text(bcx, &verdict.site);
    let printer = bcx.printer();
    let inner_text = printer.ty(inner);
    // What the caller could be given instead: `T`, `Option<T>`, `Result<T, E>`.
    let instead = match wrapper {
        None => format!("`{inner_text}` itself"),
        Some(Wrapper::Some) => format!("`Option<{inner_text}>`"),
        Some(Wrapper::Ok) => format!("`Result<{inner_text}, ..>`"),
    };
    let mut d = Diagnostic::new(
        RULE.code(),
        Level::Warning,
        format!("{site} escapes to heap: returned from {name}"),
        bcx.label(
            bcx.ir.expr(verdict.site.expr).span,
            "allocated here, then returned",
        ),
    )
    .with_secondary(Label::new(
        bcx.file(),
        bcx.ir.ty(ret).span,
        format!("the signature returns `Box<{inner_text}>`"),
    ))
    .with_help({
        let args = if func.sig.params.is_empty() && func.sig.self_param.is_none() {
            ""
        } else {
            ".."
        };
        let boxed = match wrapper {
            None => format!("`Box::new({name}({args}))`"),
            Some(_) => format!("`{name}({args}).map(Box::new)`"),
        };
        format!(
            "return {instead} and let the caller choose where it lives: {boxed} where a box is needed"
        )
    });
    d.flows = esc.explain(bcx, &verdict.path, &site);
    Some(d)
}
