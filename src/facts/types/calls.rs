//! What calls return: the crate's functions, associated functions and methods by their
//! declared return types, and std's constructors.

use super::infer::{adt_ty, alias_ty, ty};
use super::std_methods;
use super::ty::{Env, Ty, body_params};
use super::{Type, Types};
use crate::facts::BodyCx;
use crate::index::{Container, Def, FnKey, Resolved};
use crate::ir::{ExprId, ExprKind, ItemKind, TyKind};
use crate::sym::Sym;

/// What a crate function returns, and whether it is `async`.
pub(super) struct FnRet {
    pub ty: Ty,
    pub is_async: bool,
}

impl FnRet {
    pub fn known_ret(self) -> Option<(Ty, bool)> {
        self.ty.known().map(|t| (t, self.is_async))
    }
}

/// `callee(args)`.
pub(super) fn call(bcx: &BodyCx<'_, '_>, callee: ExprId, args: &[ExprId]) -> Option<(Ty, bool)> {
    let ExprKind::Path(path) = bcx.ir.expr(callee).kind else {
        return None;
    };
    let p = bcx.ir.path(path);
    let by_self = bcx
        .ir
        .list(p.segments)
        .first()
        .is_some_and(|s| s.name.is("Self"));
    let candidates: Vec<Resolved> = if by_self || p.qself.is_some() {
        bcx.resolve_path_id(path).into_iter().collect()
    } else {
        bcx.cx.index.resolve_all(bcx.at.scope(), path)
    };
    let name = bcx.ir.path_last(p)?;
    let mut out: Option<(Ty, bool)> = None;
    for resolved in candidates {
        let found = resolved_call(bcx, &resolved, name, args).unwrap_or((Ty::Unknown, false));
        match &out {
            None => out = Some(found),
            // Definitions under opposite `cfg`s that disagree.
            Some(prev) if *prev != found => return None,
            Some(_) => {}
        }
    }
    out.filter(|(t, _)| t.is_known())
}

fn resolved_call(
    bcx: &BodyCx<'_, '_>,
    resolved: &Resolved,
    name: Sym,
    args: &[ExprId],
) -> Option<(Ty, bool)> {
    let arg0 = || args.first().map_or(Ty::Unknown, |&a| ty(bcx, a));
    match &resolved.def {
        Def::External(path) if resolved.rest == 0 => {
            let is = |p: &[&str]| path.len() == p.len() && path.iter().zip(p).all(|(a, b)| a.is(b));
            if is(&["std", "mem", "take"]) || is(&["std", "mem", "replace"]) {
                return arg0().deref().and_then(Ty::known).map(|t| (t, false));
            }
            if is(&["std", "rc", "Rc", "clone"]) || is(&["std", "sync", "Arc", "clone"]) {
                return arg0().peel_refs().clone().known().map(|t| (t, false));
            }
            std_methods::constructor(path, arg0)
                .and_then(Ty::known)
                .map(|t| (t, false))
        }
        Def::Item(file, item) => {
            let kind = &bcx.cx.index.item(*file, *item)?.kind;
            match (kind, resolved.rest) {
                (ItemKind::Fn(_), 0) => fn_ret(bcx, (*file, *item), None, args, false).known_ret(),
                (ItemKind::Struct(_), 0) => adt_ty(bcx, (*file, *item)).known().map(|t| (t, false)),
                (ItemKind::Enum(adt), 1) if adt.variants.iter().any(|v| v.name == name) => {
                    adt_ty(bcx, (*file, *item)).known().map(|t| (t, false))
                }
                (ItemKind::Struct(_) | ItemKind::Enum(_) | ItemKind::Union(_), 1) => {
                    let self_ty = adt_ty(bcx, (*file, *item));
                    assoc_fn(bcx, (*file, *item), &self_ty, name, args)
                }
                (ItemKind::TypeAlias { .. }, 1) => match alias_ty(bcx, (*file, *item)) {
                    t @ Ty::Named(Type::Crate(adt), _) => assoc_fn(bcx, adt, &t, name, args),
                    Ty::Named(Type::External(p), _) => {
                        let mut full = p.to_vec();
                        full.push(name);
                        std_methods::constructor(&full, arg0)
                            .and_then(Ty::known)
                            .map(|t| (t, false))
                    }
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    }
}

/// `Type::name(args)` for a crate type: its inherent function, else its trait impls' (which
/// must agree); `Type::default()` of a type deriving `Default`.
fn assoc_fn(
    bcx: &BodyCx<'_, '_>,
    adt: FnKey,
    self_ty: &Ty,
    name: Sym,
    args: &[ExprId],
) -> Option<(Ty, bool)> {
    let index = &bcx.cx.index;
    let mut keys = index.inherent_methods(adt, name);
    if keys.is_empty() {
        keys = index.trait_impl_methods(adt, name);
    }
    if keys.is_empty() {
        let derives = |t: &str| match index.item(adt.0, adt.1).map(|i| &i.kind) {
            Some(ItemKind::Struct(a) | ItemKind::Enum(a) | ItemKind::Union(a)) => {
                a.derives.iter().any(|d| d.is(t))
            }
            _ => false,
        };
        let derived = (name.is("default") && derives("Default"))
            || (name.is("clone") && (derives("Clone") || derives("Copy")));
        return derived.then(|| (self_ty.clone(), false));
    }
    agree(
        keys.iter()
            .map(|&k| fn_ret(bcx, k, Some(self_ty), args, true)),
    )
    .known_ret()
}

/// `recv.name(args)` where `recv` is a crate type: `None` when the crate has no such method
/// for it (it may come from a derive, a trait's default or a deref).
pub(super) fn crate_method(
    bcx: &BodyCx<'_, '_>,
    adt: FnKey,
    recv: &Ty,
    name: Sym,
    args: &[ExprId],
) -> Option<FnRet> {
    let index = &bcx.cx.index;
    let is_method = |k: &FnKey| match index.item(k.0, k.1).map(|i| &i.kind) {
        Some(ItemKind::Fn(f)) => f.sig.self_param.is_some(),
        _ => false,
    };
    let mut keys: Vec<FnKey> = index
        .inherent_methods(adt, name)
        .into_iter()
        .filter(is_method)
        .collect();
    if keys.is_empty() {
        keys = index
            .trait_impl_methods(adt, name)
            .into_iter()
            .filter(is_method)
            .collect();
    }
    if keys.is_empty() {
        return None;
    }
    Some(agree(
        keys.iter()
            .map(|&k| fn_ret(bcx, k, Some(recv), args, false)),
    ))
}

fn agree(mut rets: impl Iterator<Item = FnRet>) -> FnRet {
    let Some(first) = rets.next() else {
        return FnRet {
            ty: Ty::Unknown,
            is_async: false,
        };
    };
    for other in rets {
        if other.ty != first.ty || other.is_async != first.is_async {
            return FnRet {
                ty: Ty::Unknown,
                is_async: false,
            };
        }
    }
    first
}

/// Whether a crate type is `Clone`: derived, or implemented.
pub(super) fn is_clone(bcx: &BodyCx<'_, '_>, adt: FnKey) -> bool {
    let index = &bcx.cx.index;
    let derived = match index.item(adt.0, adt.1).map(|i| &i.kind) {
        Some(ItemKind::Struct(a) | ItemKind::Enum(a) | ItemKind::Union(a)) => {
            a.derives.iter().any(|d| d.is("Clone") || d.is("Copy"))
        }
        _ => false,
    };
    derived || !index.trait_impl_methods(adt, Sym::new("clone")).is_empty()
}

/// The declared return type of a crate function. For a method or associated function,
/// `recv` is the type it is called on: its arguments fix the impl's generic parameters, and
/// `Self` is the impl's self type with them. The function's own generic parameters are fixed
/// by arguments passed for a parameter of exactly that type (`fn f<T>(x: T) -> Vec<T>`),
/// unknown otherwise. `by_path`: called as `Type::f(receiver, args..)`.
pub(super) fn fn_ret(
    bcx: &BodyCx<'_, '_>,
    key: FnKey,
    recv: Option<&Ty>,
    args: &[ExprId],
    by_path: bool,
) -> FnRet {
    let unknown = FnRet {
        ty: Ty::Unknown,
        is_async: false,
    };
    let Some(types) = Types::of_item(bcx.cx, key.0, key.1) else {
        return unknown;
    };
    let ir = types.ir();
    let ItemKind::Fn(f) = &ir.item(key.1).kind else {
        return unknown;
    };
    let mut env = Env::default();
    if let Some(Container::Inherent { impl_item } | Container::TraitImpl { impl_item }) =
        bcx.cx.index.fn_container(key)
        && let ItemKind::Impl(i) = &ir.item(impl_item).kind
    {
        let mut pattern_env = Env::default();
        body_params(&types, &i.generics, &mut pattern_env);
        let pattern = types.lower(i.self_ty, &pattern_env);
        let mut bound: Vec<(Sym, Ty)> = Vec::new();
        if let Some(recv) = recv {
            unify(&pattern, recv, &mut bound);
        }
        for (name, _) in &pattern_env.params {
            let value = bound
                .iter()
                .find(|(n, _)| n == name)
                .map_or(Ty::Unknown, |(_, t)| t.clone());
            env.params.push((*name, value));
        }
        env.self_ty = types.lower(i.self_ty, &env).known();
    }
    let skip = usize::from(by_path && f.sig.self_param.is_some());
    let params = ir.list(f.sig.params);
    for p in f.sig.generics.params.iter() {
        if !matches!(p.kind, crate::ir::GenericParamKind::Type { .. }) {
            continue;
        }
        let from_arg = params
            .iter()
            .zip(args.iter().skip(skip))
            .find(|(pt, _)| match ir.ty(**pt).kind {
                TyKind::Path(pp) => ir.path_ident(ir.path(pp)) == Some(p.name),
                _ => false,
            })
            .map_or(Ty::Unknown, |(_, &a)| ty(bcx, a));
        env.bind(p.name, from_arg);
    }
    let ret = match f.sig.ret {
        Some(r) => types.lower(r, &env),
        None => Ty::Tuple(Box::new([])),
    };
    FnRet {
        ty: ret,
        is_async: f.sig.is_async,
    }
}

/// Binds the parameters in `pattern` (an impl's self type) to the parts of `actual` they
/// stand at.
fn unify(pattern: &Ty, actual: &Ty, out: &mut Vec<(Sym, Ty)>) {
    match (pattern, actual) {
        (Ty::Param { name, .. }, t) if t.is_known() => out.push((*name, t.clone())),
        (Ty::Named(a, pa), Ty::Named(b, aa)) if a == b => {
            for (p, t) in pa.iter().zip(aa.iter()) {
                unify(p, t, out);
            }
        }
        (Ty::Ref { inner: p, .. }, Ty::Ref { inner: t, .. }) => unify(p, t, out),
        (Ty::Slice(p), Ty::Slice(t)) | (Ty::Array(p, _), Ty::Array(t, _)) => unify(p, t, out),
        (Ty::Tuple(ps), Ty::Tuple(ts)) if ps.len() == ts.len() => {
            for (p, t) in ps.iter().zip(ts.iter()) {
                unify(p, t, out);
            }
        }
        _ => {}
    }
}
