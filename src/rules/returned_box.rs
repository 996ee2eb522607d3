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
        if let Some(returned) = classify::box_returning_signature(&bcx) {
            out.extend(signature_finding(&bcx, &returned));
        }
    }
}

/// The warning for a function that does not make its value yet (`todo!()`), whose signature
/// alone boxes it.
fn signature_finding(bcx: &BodyCx<'_, '_>, returned: &ReturnedBox) -> Option<Diagnostic> {
    let inner_text = bcx.printer().ty(returned.inner);
    let name = returned.name;
    Some(
        Diagnostic::new(
            RULE.code(),
            Level::Warning,
            format!("{name} returns `Box<{inner_text}>`: its caller could be given the value"),
            bcx.label(
                bcx.ir.ty(returned.ret).span,
                format!("the signature returns `Box<{inner_text}>`"),
            ),
        )
        .with_note(format!(
            "{name} is not public, so its callers are all in this crate and can box the value \
             where they need a box"
        ))
        .with_help(help(bcx, returned)?),
    )
}

/// What to return instead, and where the box goes then.
fn help(bcx: &BodyCx<'_, '_>, returned: &ReturnedBox) -> Option<String> {
    let func = bcx.function()?;
    let inner_text = bcx.printer().ty(returned.inner);
    let name = returned.name;
    let instead = match returned.wrapper {
        None => format!("`{inner_text}` itself"),
        Some(Wrapper::Some) => format!("`Option<{inner_text}>`"),
        Some(Wrapper::Ok) => format!("`Result<{inner_text}, ..>`"),
    };
    let args = if func.sig.params.is_empty() && func.sig.self_param.is_none() {
        ""
    } else {
        ".."
    };
    let boxed = match returned.wrapper {
        None => format!("`Box::new({name}({args}))`"),
        Some(_) => format!("`{name}({args}).map(Box::new)`"),
    };
    Some(format!(
        "return {instead} and let the caller choose where it lives: {boxed} where a box is needed"
    ))
}

/// The warning for one allocation site, if this rule reports it.
fn finding(bcx: &BodyCx<'_, '_>, esc: &BodyEscape, verdict: &AllocVerdict) -> Option<Diagnostic> {
    let returned = classify::returned_box(bcx, esc, verdict)?;
    let ReturnedBox {
        name, ret, inner, ..
    } = returned;
    let site = escape::site_text(bcx, &verdict.site);
    let inner_text = bcx.printer().ty(inner);
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
    .with_help(help(bcx, &returned)?);
    d.flows = esc.explain(bcx, &verdict.path, &site);
    Some(d)
}
