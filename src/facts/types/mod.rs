//! What little can be known of a value's type without type checking: declared types, and
//! the constructors that make a value (`Vec::new()`, `vec![..]`, `format!(..)`, a struct
//! literal).
//!
//! [`type_of`] is the one entry point for an expression's type: a canonical path of another
//! crate's type (`std::vec::Vec`), a type of this crate, or `None` when unsure. Rules use it to
//! decide whether a method call (`v.leak()`) is the std method they look for, or which crate
//! type a `Box<dyn Trait>` holds. [`Types`] reads types as written.

use super::BodyCx;
use super::api::{self, Effect};
use crate::diagnostic::FileId;
use crate::index::{Def, Resolved};
use crate::ir::{
    ExprId, ExprKind, GenericArg, ItemId, ItemKind, LocalKind, MacroArgs, TyId, TyKind,
};
use crate::sym::Sym;

mod written;

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

/// The type of `expr`, when its declaration or construction says so; `None` when unsure.
///
/// Known: a local's declared type, or its initializer's; `vec![..]` and `format!(..)`; the
/// constructors of `Vec`, `String` and `Box` (`new`, `with_capacity`, `from`, `default`,
/// `from_iter`); a crate struct literal, unit struct, tuple struct or variant constructor, and
/// `Type::f(..)` for a crate type, taken to return `Self`; `e?` as `e`; `to_string()`,
/// `to_vec()`, `collect::<T>()`, and `clone()` as its receiver (`self.clone()` as `Self`
/// unless `self` is declared with a type of another crate). A plain `self` is left unknown.
pub fn type_of(bcx: &BodyCx<'_, '_>, expr: ExprId) -> Option<Type> {
    type_at(bcx, expr, 0)
}

fn type_at(bcx: &BodyCx<'_, '_>, expr: ExprId, depth: u32) -> Option<Type> {
    if depth > 4 {
        return None;
    }
    let ir = bcx.ir;
    match &ir.expr(expr).kind {
        ExprKind::Local(local) => match bcx.body.local(*local).ty {
            Some(ty) => declared(bcx, ty),
            None => type_at(bcx, bcx.let_init(*local)?, depth + 1),
        },
        ExprKind::Macro(m) => {
            let m = ir.macro_call(*m);
            let name = ir.path_last(ir.path(m.path))?;
            match (name.as_str(), m.args) {
                ("vec", MacroArgs::List(_) | MacroArgs::Repeat { .. }) => {
                    Some(external(&["std", "vec", "Vec"]))
                }
                ("format", _) => Some(external(&["std", "string", "String"])),
                _ => None,
            }
        }
        ExprKind::Call { callee, .. } => {
            let resolved = bcx.resolve_path(*callee)?;
            match resolved.def {
                Def::External(path) => {
                    let (ty, ctor) = path.split_at(path.len().checked_sub(1)?);
                    (api::is_constructor(ctor[0].as_str()) && is_std_owning(ty))
                        .then(|| Type::External(ty.into()))
                }
                // `Square(1.0)`, `Shape::Square(..)`, `Square::new(..)`.
                Def::Item(file, item) if resolved.rest <= 1 => adt(bcx, (file, item)),
                _ => None,
            }
        }
        // A unit struct.
        ExprKind::Path(_) => match bcx.resolve_path(expr)? {
            Resolved {
                def: Def::Item(file, item),
                rest: 0,
                ..
            } => adt(bcx, (file, item)),
            _ => None,
        },
        ExprKind::Struct(lit) => match bcx.resolve_path_id(ir.struct_lit(*lit).path)?.def {
            Def::Item(file, item) => adt(bcx, (file, item)),
            _ => None,
        },
        ExprKind::Try(inner) => type_at(bcx, *inner, depth + 1),
        ExprKind::MethodCall(m) => {
            let m = ir.method_call(*m);
            let api = api::method(m.method);
            if let Some(path) = api.returns() {
                return Some(external(path));
            }
            if api.has(Effect::ReturnsTurbofish) {
                return match ir.list(m.turbofish).first() {
                    Some(GenericArg::Type(ty)) => std_type(bcx, *ty).map(Type::External),
                    _ => None,
                };
            }
            if !api.has(Effect::ReturnsReceiverType) {
                return None;
            }
            match ir.expr(m.receiver).kind {
                ExprKind::Local(l) if bcx.body.local(l).kind == LocalKind::SelfParam => {
                    match bcx.body.local(l).ty.and_then(|ty| std_type(bcx, ty)) {
                        Some(path) => Some(Type::External(path)),
                        None => bcx.self_type().and_then(|s| adt(bcx, s)),
                    }
                }
                _ => type_at(bcx, m.receiver, depth + 1),
            }
        }
        _ => None,
    }
}

/// A declared type: a path type of another crate, or a struct, enum or union of this one.
fn declared(bcx: &BodyCx<'_, '_>, ty: TyId) -> Option<Type> {
    let TyKind::Path(path) = bcx.ir.ty(ty).kind else {
        return None;
    };
    let resolved = bcx.cx.index.resolve(bcx.at.scope(), path)?;
    match resolved.def {
        Def::External(p) if resolved.rest == 0 => Some(Type::External(p)),
        Def::Item(file, item) if resolved.rest == 0 => adt(bcx, (file, item)),
        _ => None,
    }
}

/// A crate item, if it is a struct, enum or union.
fn adt(bcx: &BodyCx<'_, '_>, (file, item): (FileId, ItemId)) -> Option<Type> {
    let kind = &bcx.cx.index.item(file, item)?.kind;
    matches!(
        kind,
        ItemKind::Struct(_) | ItemKind::Enum(_) | ItemKind::Union(_)
    )
    .then_some(Type::Crate((file, item)))
}

fn external(parts: &[&str]) -> Type {
    Type::External(parts.iter().map(|p| Sym::new(p)).collect())
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

fn is_std_owning(ty: &[Sym]) -> bool {
    let is = |p: &[&str]| ty.len() == p.len() && ty.iter().zip(p).all(|(a, b)| a.is(b));
    is(&["std", "vec", "Vec"]) || is(&["std", "string", "String"]) || is(&["std", "boxed", "Box"])
}

/// Reading declared types: which std type a path names, what a `Box` holds, whether a type is
/// recursive. `scope` is where the type was written.
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
    pub fn name(self) -> &'static str {
        match self {
            Pointer::Box => "Box",
            Pointer::Rc => "Rc",
            Pointer::Arc => "Arc",
        }
    }
}

