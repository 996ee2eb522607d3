//! What can be known of a value's type without type checking: declared types (signatures,
//! fields, annotations, aliases) and what builds values, read through the crate's index.
//!
//! [`ty_of`] is the one entry point for an expression's type, memoized per body: a [`Ty`],
//! unknown wherever unsure (`infer` says what it knows). [`type_of`] is its named head: a
//! canonical path of another crate's type (`std::vec::Vec`) or a type of this crate. Rules use
//! them to decide whether a method call (`v.leak()`) is the std method they look for, or which
//! crate type a `Box<dyn Trait>` holds. [`Types`] reads types as written, and lowers them
//! into a [`Ty`] ([`Types::lower`]).

use super::BodyCx;
use crate::diagnostic::FileId;
use crate::index::Def;
use crate::ir::{ExprId, ExprKind, ItemId, ItemKind, TyId, TyKind};
use crate::sym::Sym;

mod calls;
pub(crate) mod infer;
pub(crate) mod patterns;
mod std_methods;
#[cfg(test)]
mod tests;
mod ty;
mod written;

pub use infer::{env as body_env, ty_of};
pub use ty::{Bound, Ty};
pub use written::mentions;
use written::{StdOwns, std_owns};

/// What is known of an expression's type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    /// A type of another crate (std included), by canonical path: `std::vec::Vec`.
    External(Box<[Sym]>),
    /// A struct, enum or union of this crate.
    Crate((FileId, ItemId)),
}

impl Type {
    /// The canonical path of a type of another crate.
    pub fn external(&self) -> Option<&[Sym]> {
        match self {
            Type::External(path) => Some(path),
            Type::Crate(_) => None,
        }
    }
}

/// The named type of `expr` (a crate type or another crate's, without its arguments), when
/// it is known; `None` for a reference, a tuple, a primitive, a generic parameter, or when
/// unsure. See [`ty_of`] for the whole type.
pub fn type_of(bcx: &BodyCx<'_, '_>, expr: ExprId) -> Option<Type> {
    match infer::ty(bcx, expr) {
        Ty::Named(head, _) => Some(head),
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

/// Generic type parameters in scope in a body: its function's and its `impl`'s.
pub fn generic_names(bcx: &BodyCx<'_, '_>) -> Vec<Sym> {
    let mut out = Vec::new();
    if let Some(f) = bcx.function() {
        out.extend(
            f.sig
                .generics
                .params
                .iter()
                .filter(|p| matches!(p.kind, crate::ir::GenericParamKind::Type { .. }))
                .map(|p| p.name),
        );
    }
    if let crate::index::Container::Inherent { impl_item }
    | crate::index::Container::TraitImpl { impl_item } = bcx.at.container
        && let crate::ir::ItemKind::Impl(i) = &bcx.ir.item(impl_item).kind
    {
        out.extend(i.generics.params.iter().map(|p| p.name));
    }
    out
}

/// Reading declared types: which std type a path names, what a `Box` holds, whether a type is
/// recursive. `scope` is where the type was written.
#[derive(Clone, Copy)]
pub struct Types<'c, 'a> {
    pub cx: &'c super::CrateCx<'a>,
    pub file: crate::diagnostic::FileId,
    pub scope: crate::index::ScopeRef,
}

/// Whether dropping a value frees something.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owns {
    Yes,
    No,
    Unknown,
}

impl Owns {
    /// Owns something if any part does; unknown if any part is and none does.
    pub(super) fn any(parts: impl IntoIterator<Item = Owns>) -> Owns {
        let mut out = Owns::No;
        for part in parts {
            match part {
                Owns::Yes => return Owns::Yes,
                Owns::Unknown => out = Owns::Unknown,
                Owns::No => {}
            }
        }
        out
    }
}

/// What a value owns, from its declared type or what built it.
pub fn value_owns(bcx: &BodyCx<'_, '_>, expr: ExprId) -> Owns {
    value_owns_at(bcx, expr, 0)
}

fn value_owns_at(bcx: &BodyCx<'_, '_>, expr: ExprId, depth: u32) -> Owns {
    if depth > 4 {
        return Owns::Unknown;
    }
    let ir = bcx.ir;
    match &ir.expr(expr).kind {
        ExprKind::Lit(_) | ExprKind::Ref { .. } | ExprKind::Range { .. } => Owns::No,
        ExprKind::Local(l) => {
            let local = bcx.body.local(*l);
            if local.kind == crate::ir::LocalKind::SelfParam {
                return match bcx.self_type() {
                    Some(adt) => Types::of_body(bcx).adt_owns(adt, 0),
                    None => Owns::Unknown,
                };
            }
            if let Some(ty) = local.ty {
                return Types::of_body(bcx).owns(ty);
            }
            match bcx.let_init(*l) {
                Some(init) => value_owns_at(bcx, init, depth + 1),
                None => Owns::Unknown,
            }
        }
        // `Guard::new(..)`: what the function says it returns.
        ExprKind::Call { callee, .. } if let Some(owns) = associated_fn_owns(bcx, *callee) => owns,
        // Built by a constructor: of a std type (`Vec::new()`, `vec![..]`), or of a crate type,
        // however it is written (`Guard(flag)`, `Guard { state: flag }`, a unit struct).
        ExprKind::Macro(_)
        | ExprKind::Call { .. }
        | ExprKind::MethodCall(_)
        | ExprKind::Struct(_)
        | ExprKind::Path(_) => match type_of(bcx, expr) {
            Some(Type::External(path)) => match std_owns(&path) {
                StdOwns::Always(owns) => owns,
                StdOwns::ItsArguments | StdOwns::Claims => Owns::Unknown,
            },
            Some(Type::Crate(adt)) => Types::of_body(bcx).adt_owns(adt, 0),
            None => Owns::Unknown,
        },
        ExprKind::Cast { ty, .. } => Types::of_body(bcx).owns(*ty),
        _ => Owns::Unknown,
    }
}

/// What the value of `Type::f(..)` owns, for a function of a crate struct: its declared
/// return type says (`Self` is the struct). `None` when the callee is not such a function.
fn associated_fn_owns(bcx: &BodyCx<'_, '_>, callee: ExprId) -> Option<Owns> {
    let resolved = bcx.resolve_path(callee)?;
    let Def::Item(file, ty) = resolved.def else {
        return None;
    };
    if resolved.rest != 1 || !matches!(bcx.cx.index.item(file, ty)?.kind, ItemKind::Struct(_)) {
        return None;
    }
    let ExprKind::Path(path) = bcx.ir.expr(callee).kind else {
        return None;
    };
    let name = bcx.ir.path_last(bcx.ir.path(path))?;
    let Some((fn_file, fn_item)) = bcx.cx.index.inherent_method((file, ty), name) else {
        return Some(Owns::Unknown);
    };
    let types = Types::of_item(bcx.cx, fn_file, fn_item)?;
    let ItemKind::Fn(f) = &types.ir().item(fn_item).kind else {
        return Some(Owns::Unknown);
    };
    let Some(ret) = f.sig.ret else {
        return Some(Owns::No);
    };
    let is_self = match types.ir().ty(ret).kind {
        TyKind::Path(p) => {
            let p = types.ir().path(p);
            p.qself.is_none() && types.ir().path_ident(p).is_some_and(|n| n.is("Self"))
        }
        _ => false,
    };
    Some(if is_self {
        types.adt_owns((file, ty), 0)
    } else {
        types.owns(ret)
    })
}

/// `Box`, `Rc` or `Arc`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pointer {
    Box,
    Rc,
    Arc,
}

impl Pointer {
    /// The pointer a canonical std path names.
    pub fn of_path(path: &[Sym]) -> Option<Pointer> {
        match path {
            [std, m, t] if std.is("std") => match (m.as_str(), t.as_str()) {
                ("boxed", "Box") => Some(Pointer::Box),
                ("rc", "Rc") => Some(Pointer::Rc),
                ("sync", "Arc") => Some(Pointer::Arc),
                _ => None,
            },
            _ => None,
        }
    }
}
