//! What little can be known of a value's type without type checking: declared types, and
//! the constructors that make a value (`Vec::new()`, `vec![..]`, `format!(..)`).
//!
//! Answers are canonical paths of std types (`std::vec::Vec`), or `None` when unsure. Rules use
//! them to decide whether a method call (`v.leak()`) is the std method they look for.

use std::collections::HashMap;

use super::BodyCx;
use crate::index::Def;
use crate::ir::{
    ExprId, ExprKind, GenericArg, LocalId, MacroArgs, PatKind, Stmt, TyId, TyKind, walk,
};
use crate::sym::Sym;

/// The initializer of each `let x = ..;` binding of a body (simple bindings only).
pub fn let_inits(bcx: &BodyCx<'_, '_>) -> HashMap<LocalId, ExprId> {
    let ir = bcx.ir;
    let mut inits = HashMap::new();
    walk::walk(ir, bcx.body.value, &mut |_, _, expr| {
        let ExprKind::Block(block) = expr.kind else {
            return;
        };
        for stmt in ir.list(ir.block(block).stmts) {
            let Stmt::Let(l) = *stmt else { continue };
            let l = ir.let_stmt(l);
            if let (PatKind::Bind { local, sub: None }, Some(init)) = (&ir.pat(l.pat).kind, l.init)
            {
                inits.insert(*local, init);
            }
        }
    });
    inits
}

/// The std type of `expr`, when its declaration or construction says so.
pub fn std_type_of(
    bcx: &BodyCx<'_, '_>,
    inits: &HashMap<LocalId, ExprId>,
    expr: ExprId,
) -> Option<Box<[Sym]>> {
    type_of(bcx, inits, expr, 0)
}

fn type_of(
    bcx: &BodyCx<'_, '_>,
    inits: &HashMap<LocalId, ExprId>,
    expr: ExprId,
    depth: u32,
) -> Option<Box<[Sym]>> {
    if depth > 4 {
        return None;
    }
    let ir = bcx.ir;
    match &ir.expr(expr).kind {
        ExprKind::Local(local) => {
            if let Some(ty) = bcx.body.local(*local).ty {
                return std_type(bcx, ty);
            }
            let init = *inits.get(local)?;
            type_of(bcx, inits, init, depth + 1)
        }
        ExprKind::Macro(m) => {
            let m = ir.macro_call(*m);
            let name = ir.path_last(ir.path(m.path))?;
            match (name.as_str(), m.args) {
                ("vec", MacroArgs::List(_) | MacroArgs::Repeat { .. }) => {
                    Some(std_path(&["std", "vec", "Vec"]))
                }
                ("format", _) => Some(std_path(&["std", "string", "String"])),
                _ => None,
            }
        }
        ExprKind::Call { callee, .. } => {
            let resolved = bcx.resolve_path(*callee)?;
            let path = resolved.def.external_path()?;
            let (ty, ctor) = path.split_at(path.len().checked_sub(1)?);
            let known_ctor = matches!(
                ctor[0].as_str(),
                "new" | "with_capacity" | "from" | "default" | "from_iter"
            );
            (known_ctor && is_std_owning(ty)).then(|| ty.into())
        }
        ExprKind::MethodCall(m) => {
            let m = ir.method_call(*m);
            match m.method.as_str() {
                "to_string" => Some(std_path(&["std", "string", "String"])),
                "to_vec" => Some(std_path(&["std", "vec", "Vec"])),
                "collect" => match ir.list(m.turbofish).first() {
                    Some(GenericArg::Type(ty)) => std_type(bcx, *ty),
                    _ => None,
                },
                "clone" => type_of(bcx, inits, m.receiver, depth + 1),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The canonical path of a written type, when it is a std type.
pub fn std_type(bcx: &BodyCx<'_, '_>, ty: TyId) -> Option<Box<[Sym]>> {
    let TyKind::Path(path) = bcx.ir.ty(ty).kind else {
        return None;
    };
    let resolved = bcx.cx.index.resolve(bcx.at.scope(), path)?;
    match resolved.def {
        Def::External(p) if resolved.rest == 0 => Some(p),
        _ => None,
    }
}

fn is_std_owning(ty: &[Sym]) -> bool {
    let is = |p: &[&str]| ty.len() == p.len() && ty.iter().zip(p).all(|(a, b)| a.is(b));
    is(&["std", "vec", "Vec"]) || is(&["std", "string", "String"]) || is(&["std", "boxed", "Box"])
}

fn std_path(parts: &[&str]) -> Box<[Sym]> {
    parts.iter().map(|p| Sym::new(p)).collect()
}
