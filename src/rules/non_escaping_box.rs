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
use crate::escape::{self, AllocKind, AllocVerdict, Reach};
use crate::facts::types::{Pointer, Types};
use crate::facts::{BodyCx, CrateCx, values};
use crate::index::Container;
use crate::ir::{ExprKind, LocalKind};

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
pub fn finding(
    bcx: &BodyCx<'_, '_>,
    esc: &escape::BodyEscape,
    verdict: &AllocVerdict,
) -> Option<Diagnostic> {
    if verdict.site.kind != AllocKind::Box || verdict.reach != Reach::Nowhere || verdict.moved {
        return None;
    }
    // Given a declared type on the way: not `Box<dyn ..>`, not a recursive type.
    if let Some((typed, _)) = &verdict.typed {
        let types = Types::at(bcx.cx, typed.scope);
        if types.dyn_pointer(typed.ty).is_some() {
            return None;
        }
        if let Some((_, inner)) = types.pointer(typed.ty)
            && (types.is_recursive(inner) || types.is_unsized(inner))
        {
            return None;
        }
    }
    let arg = verdict.site.arg?;
    // A boxed closure is `closure_escape`'s.
    if values::is_large(bcx, arg)
        || matches!(bcx.ir.expr(arg).kind, ExprKind::Closure(_))
        || esc.boxes_closure(verdict.site.node)
    {
        return None;
    }
    if literal_adt(bcx, arg).is_some_and(|adt| Types::of_body(bcx).is_recursive_adt(adt)) {
        return None;
    }
    let printer = crate::facts::display::Printer::new(bcx.ir, Some(bcx.body));
    let site = escape::site_text(bcx, &verdict.site);
    let value = printer.expr(arg);
    Some(
        Diagnostic::new(
            RULE.meta.id,
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

/// The crate type a struct literal or tuple-struct constructor builds.
fn literal_adt(
    bcx: &BodyCx<'_, '_>,
    arg: crate::ir::ExprId,
) -> Option<(crate::diagnostic::FileId, crate::ir::ItemId)> {
    let resolved = match bcx.ir.expr(arg).kind {
        ExprKind::Struct(lit) => bcx.resolve_path_id(bcx.ir.struct_lit(lit).path)?,
        ExprKind::Call { callee, .. } => bcx.resolve_path(callee)?,
        _ => return None,
    };
    match resolved.def {
        crate::index::Def::Item(file, item) if resolved.rest <= 1 => Some((file, item)),
        _ => None,
    }
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
    let generics = super::returned_box::generic_names(bcx);
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
        if param.owned.reach != Reach::Nowhere || param.owned.moved || param.tag.to_result.is_some()
        {
            continue;
        }
        let printer = crate::facts::display::Printer::new(bcx.ir, Some(bcx.body));
        let inner_text = printer.ty(inner);
        out.push(
            Diagnostic::new(
                RULE.meta.id,
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
