//! `non_escaping_box`: a `Box` that never leaves its function, so the value could live on the
//! stack.
//!
//! Found on the escape graph: a `Box::new` (or `Box::from`, `Box::default`) whose value reaches
//! neither the return slot nor the heap nor the caller's memory, and is never moved into a
//! call, a container, a field or a closure: it is only used where it is, through `*b`, `&b`
//! and method calls. Also a `Box<T>` parameter used only that way (Clippy's `boxed_local`).
//!
//! Never reported for boxes of large values, of recursive types, of `dyn Trait` (or coerced to
//! it), in trait impls and `extern` functions.

use super::{Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Level};
use crate::escape::CrateEscape;
use crate::escape::classify::{self, LocalBox};
use crate::escape::{self, AllocVerdict, Reach};
use crate::facts::types::{Pointer, Types, generic_names};
use crate::facts::values;
use crate::facts::{BodyCx, CrateCx};
use crate::index::Container;
use crate::ir::LocalKind;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "non_escaping_box",
        default_level: Level::Warning,
        verbosity: 0,
        summary: "a Box that never leaves its function: the value could live on the stack",
        page: include_str!("../../lints/non_escaping_box.md"),
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
        params(&bcx, esc, out);
    }
}

/// The warning for one allocation site, if this rule reports it.
fn finding(
    bcx: &BodyCx<'_, '_>,
    esc: &escape::BodyEscape,
    verdict: &AllocVerdict,
) -> Option<Diagnostic> {
    let LocalBox { arg } = classify::kept_local_box(bcx, esc, verdict)?;
    let printer = bcx.printer();
    let site = escape::site_text(bcx, &verdict.site);
    let value = printer.expr(arg);
    Some(
        Diagnostic::new(
            RULE.code(),
            Level::Warning,
            format!("{site} does not escape"),
            bcx.label(
                bcx.ir.expr(verdict.site.expr).span,
                "only used inside this function",
            ),
        )
        .with_help(format!(
            "use the value directly: `{value}` can live on the stack"
        )),
    )
}

/// `Box<T>` parameters used only through dereference.
fn params(bcx: &BodyCx<'_, '_>, esc: &escape::BodyEscape, out: &mut Vec<Diagnostic>) {
    let Some(func) = bcx.function() else { return };
    if matches!(
        bcx.at.container,
        Container::TraitImpl { .. } | Container::Trait { .. }
    ) || func.sig.is_extern
    {
        return;
    }
    let types = Types::of_body(bcx);
    let generics = generic_names(bcx);
    for param in &esc.params {
        let Some(local) = param.local else { continue };
        let decl = bcx.body.local(local);
        if decl.kind != LocalKind::Param {
            continue;
        }
        let Some(ty) = decl.ty else { continue };
        let Some((Pointer::Box, inner)) = types.pointer(ty) else {
            continue;
        };
        if types.is_unsized(inner) || types.is_opaque(inner, &generics) || types.is_recursive(inner)
        {
            continue;
        }
        // A value larger than the stack threshold belongs in its box.
        if values::ty_value(bcx.cx, &values::env_of(bcx), inner)
            .layout
            .size
            > bcx.cx.input.stack_threshold
        {
            continue;
        }
        // Its contents may reach the result (`x.v`, `*x`, `x.get()`), the box itself not.
        if param.owned.reach != Reach::Nowhere
            || param.owned.moved
            || param.tag.to_result == Some(0)
        {
            continue;
        }
        let printer = bcx.printer();
        let inner_text = printer.ty(inner);
        out.push(
            Diagnostic::new(
                RULE.code(),
                Level::Warning,
                format!("{} does not escape: the Box<{inner_text}> parameter is only used in place", decl.name),
                bcx.label(decl.span, "never moved out of this function"),
            )
            .with_help(format!(
                "take `{inner_text}` by value, or `&{inner_text}`, and let the caller decide whether to box it"
            )),
        );
    }
}
