//! `leaking_param`: Go's parameter verdicts, printed with `-m`.
//!
//! For each parameter that can hold a pointer (a reference, a `Box`, a collection, a generic;
//! not a number, a fieldless enum or a struct of numbers):
//! - `leaking param: p to result ~r0 level=0`: `p` (or, at level 1, what it points to) flows to
//!   the result;
//! - `leaking param: p`: `p` flows to the heap;
//! - `leaking param content: p`: what `p` points to flows to the heap;
//! - `p does not escape`.
//!
//! These are notes: they explain what the function does with its arguments, which is also
//! what its callers' verdicts are built from.

use super::{Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Level};
use crate::escape::CrateEscape;
use crate::escape::{self, ParamVerdict};
use crate::facts::{BodyCx, CrateCx};
use crate::ir::{GenericArg, GenericArgs, TyId, TyKind};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "leaking_param",
        default_level: Level::Note,
        verbosity: 1,
        summary: "where each parameter goes: to the result, to the heap, or nowhere (printed with -m)",
        page: include_str!("../../lints/leaking_param.md"),
        escape: true,
    },
    check,
};

fn check(cx: &CrateCx<'_>, escape: &CrateEscape, out: &mut Vec<Diagnostic>) {
    for (bcx, esc) in crate::escape::owned(cx, escape) {
        let Some(func) = bcx.function() else { continue };
        let ret_may_borrow = func.sig.ret.is_some_and(|ret| may_borrow(&bcx, ret));
        // A parameter whose type holds no pointer (a number) has no verdict worth a line; the
        // engine has already dropped what the signature rules out (a result that holds no
        // pointer carries no parameter away).
        for (param, &(_, node)) in esc.params.iter().zip(&esc.graph.params) {
            let Some(local) = param.local else { continue };
            if esc.graph.pointer_free_params.contains(&node) {
                continue;
            }
            let decl = bcx.body.local(local);
            out.extend(verdicts(
                &bcx,
                esc,
                param,
                decl.name.as_str(),
                decl.span,
                ret_may_borrow,
            ));
        }
    }
}

/// A parameter's lines, as Go prints them: where it leaks to the heap, then to the result,
/// or that it does not escape.
fn verdicts(
    bcx: &BodyCx<'_, '_>,
    esc: &escape::BodyEscape,
    param: &ParamVerdict,
    name: &str,
    span: crate::ir::Span,
    ret_may_borrow: bool,
) -> Vec<Diagnostic> {
    let tag = param.tag;
    let line = |message: String, path: &[usize]| {
        let mut d = Diagnostic::new(RULE.code(), Level::Note, message, bcx.label(span, ""))
            .with_verbosity(1);
        if !path.is_empty() {
            d.flows = esc.explain(bcx, path, name);
        }
        d
    };
    let mut out = Vec::new();
    if tag.to_heap {
        out.push(line(format!("leaking param: {name}"), &param.heap_path));
    } else if tag.content_to_heap {
        out.push(line(
            format!("leaking param content: {name}"),
            &param.heap_path,
        ));
    }
    // A borrow cannot reach a result whose type holds no reference.
    let to_result = tag
        .to_result
        .filter(|_| !param.result_by_borrow || ret_may_borrow);
    if let Some(level) = to_result {
        out.push(line(
            format!("leaking param: {name} to result ~r0 level={level}"),
            &param.result_path,
        ));
    }
    if out.is_empty() {
        out.push(line(format!("{name} does not escape"), &[]));
    }
    out
}

/// Whether a return type can hold a borrow: a reference, a lifetime argument, `impl Trait`.
fn may_borrow(bcx: &BodyCx<'_, '_>, ty: TyId) -> bool {
    let ir = bcx.ir;
    match &ir.ty(ty).kind {
        TyKind::Ref { .. } | TyKind::Ptr { .. } | TyKind::Impl(_) | TyKind::Dyn(_) => true,
        TyKind::Tuple(list) => ir.list(*list).iter().any(|&t| may_borrow(bcx, t)),
        TyKind::Array { elem, .. } | TyKind::Slice(elem) => may_borrow(bcx, *elem),
        TyKind::Path(p) => {
            ir.list(ir.path(*p).segments).iter().any(|seg| {
                seg.args.is_some_and(|a| match *ir.generic_args(a) {
                    GenericArgs::Angle(list) => ir.list(list).iter().any(|g| match g {
                        GenericArg::Lifetime => true,
                        GenericArg::Type(t) => may_borrow(bcx, *t),
                        _ => false,
                    }),
                    GenericArgs::Paren { .. } => false,
                })
            }) || ir.path_ident(ir.path(*p)).is_some_and(|n| n.is("Self"))
        }
        _ => false,
    }
}
