//! The type of an expression ([`ty_of`]), from what the code declares and what builds values,
//! memoized per body.
//!
//! Known: locals from their annotation, their initializer or the pattern that binds them;
//! parameters and `self`; literals with a suffix (`1u8`, `"s"`, `true`); constructors of the
//! crate's types and of std's common ones; the crate's functions and methods by their declared
//! return types (a method resolved on its receiver's type, inherent impls before trait impls,
//! `Self` and the impl's generic parameters substituted); fields of the crate's structs;
//! `?`, `unwrap`, `expect` and the other accessors of `Option` and `Result`; references and
//! derefs; the elements of `Vec`, arrays, slices and maps through indexing, `get`, `first`,
//! `iter().next()`. Everything else is unknown: nothing is guessed.

use std::cell::{Cell, OnceCell, RefCell};

use super::std_methods;
use super::ty::{Env, Ty, body_params};
use super::{Type, Types};
use crate::facts::BodyCx;
use crate::facts::api::{self, Effect};
use crate::index::{Container, Def, FnKey};
use crate::ir::{
    BinOp, ExprId, ExprKind, GenericArg, ItemKind, Lit, LocalId, LocalKind, MacroArgs, SelfKind,
    TyKind, UnOp,
};
use crate::sym::{FxHashMap, Sym};

/// How deep one question may recurse (through locals' initializers and sub-expressions)
/// before the answer is unknown.
const MAX_DEPTH: u32 = 48;

/// The memo of one body's expression types.
#[derive(Debug, Default)]
pub struct TypeMemo {
    types: RefCell<FxHashMap<ExprId, Ty>>,
    env: OnceCell<Env>,
    depth: Cell<u32>,
    /// An answer below was cut short by [`MAX_DEPTH`]: it is not kept.
    truncated: Cell<bool>,
}

/// The type of `expr` as far as it is known; `None` when nothing is.
pub fn ty_of(bcx: &BodyCx<'_, '_>, expr: ExprId) -> Option<Ty> {
    ty(bcx, expr).known()
}

/// [`ty_of`], `Unknown` included.
pub(super) fn ty(bcx: &BodyCx<'_, '_>, expr: ExprId) -> Ty {
    let memo = bcx.type_memo();
    if let Some(t) = memo.types.borrow().get(&expr) {
        return t.clone();
    }
    if memo.depth.get() > MAX_DEPTH {
        memo.truncated.set(true);
        return Ty::Unknown;
    }
    let outer = memo.truncated.replace(false);
    memo.depth.set(memo.depth.get() + 1);
    let t = compute(bcx, expr);
    memo.depth.set(memo.depth.get() - 1);
    let truncated = memo.truncated.get();
    if !truncated {
        memo.types.borrow_mut().insert(expr, t.clone());
    }
    memo.truncated.set(outer || truncated);
    t
}

/// What `Self` and the generic parameters in scope are in this body.
pub fn env<'c>(bcx: &BodyCx<'c, '_>) -> &'c Env {
    bcx.type_memo().env.get_or_init(|| body_env(bcx))
}

fn body_env(bcx: &BodyCx<'_, '_>) -> Env {
    let types = Types::of_body(bcx);
    let mut env = Env::default();
    if let Some(f) = bcx.function() {
        body_params(&types, &f.sig.generics, &mut env);
    }
    match bcx.at.container {
        Container::Inherent { impl_item } | Container::TraitImpl { impl_item } => {
            if let ItemKind::Impl(i) = &bcx.ir.item(impl_item).kind {
                body_params(&types, &i.generics, &mut env);
                let self_ty = types.lower(i.self_ty, &env);
                env.self_ty = self_ty.known();
            }
        }
        Container::Trait { trait_item } => {
            let name = bcx.ir.item(trait_item).name;
            env.self_ty = Some(Ty::Param {
                name: Sym::new("Self"),
                bounds: name
                    .map(|name| super::ty::Bound {
                        name,
                        resolved: Some(Type::Crate((bcx.file(), trait_item))),
                    })
                    .into_iter()
                    .collect(),
            });
        }
        Container::Free => {}
    }
    env
}

fn compute(bcx: &BodyCx<'_, '_>, expr: ExprId) -> Ty {
    let ir = bcx.ir;
    match &ir.expr(expr).kind {
        ExprKind::Local(local) => local_ty(bcx, *local),
        ExprKind::Lit(lit) => lit_ty(lit),
        ExprKind::Macro(m) => {
            let m = ir.macro_call(*m);
            let Some(name) = ir.path_last(ir.path(m.path)) else {
                return Ty::Unknown;
            };
            match (name.as_str(), m.args) {
                ("vec", MacroArgs::List(list)) => {
                    Ty::external(&["std", "vec", "Vec"], vec![agree(bcx, ir.list(list))])
                }
                ("vec", MacroArgs::Repeat { elem, .. }) => {
                    Ty::external(&["std", "vec", "Vec"], vec![ty(bcx, elem)])
                }
                ("format", _) => Ty::external(&["std", "string", "String"], Vec::new()),
                ("matches", _) => Ty::prim("bool"),
                _ => Ty::Unknown,
            }
        }
        ExprKind::Call { .. } | ExprKind::MethodCall(_) => match call_ret(bcx, expr) {
            Some((_, true)) => Ty::Unknown, // a future
            Some((t, false)) => t,
            None => Ty::Unknown,
        },
        ExprKind::Await(inner) => match call_ret(bcx, *inner) {
            Some((t, true)) => t,
            _ => Ty::Unknown,
        },
        ExprKind::Path(_) => path_value(bcx, expr),
        ExprKind::Struct(lit) => {
            let path = ir.struct_lit(*lit).path;
            match bcx.resolve_path_id(path) {
                Some(r) if r.rest <= 1 => match r.def {
                    Def::Item(file, item) => adt_ty(bcx, (file, item)),
                    _ => Ty::Unknown,
                },
                _ => Ty::Unknown,
            }
        }
        ExprKind::Try(inner) => unwrap_try(&ty(bcx, *inner)),
        ExprKind::Ref {
            mutable,
            raw: false,
            expr,
        } => ty(bcx, *expr).reference(*mutable),
        ExprKind::Unary { op, expr } => {
            let inner = ty(bcx, *expr);
            match op {
                UnOp::Deref => inner.deref().unwrap_or(Ty::Unknown),
                UnOp::Not | UnOp::Neg => match inner {
                    Ty::Prim(_) => inner,
                    _ => Ty::Unknown,
                },
            }
        }
        ExprKind::Binary { op, lhs, rhs } => binary(bcx, *op, *lhs, *rhs),
        ExprKind::Cast { ty: t, .. } => Types::of_body(bcx).lower(*t, env(bcx)),
        ExprKind::Field { base, name } => field(bcx, &ty(bcx, *base), *name),
        ExprKind::Index { base, index } => {
            let range = matches!(ir.expr(*index).kind, ExprKind::Range { .. });
            index_ty(&ty(bcx, *base), range)
        }
        ExprKind::Tuple(list) => Ty::Tuple(ir.list(*list).iter().map(|&e| ty(bcx, e)).collect()),
        ExprKind::Array(list) => {
            let elems = ir.list(*list);
            Ty::Array(Box::new(agree(bcx, elems)), Some(elems.len() as u64))
        }
        ExprKind::Repeat { elem, len } => {
            let len = match ir.expr(*len).kind {
                ExprKind::Lit(Lit::Int { value, .. }) => Some(value),
                _ => None,
            };
            Ty::Array(Box::new(ty(bcx, *elem)), len)
        }
        ExprKind::Block(b) => match ir.block(*b).tail {
            Some(tail) if ir.block(*b).label.is_none() => ty(bcx, tail),
            _ => Ty::Unknown,
        },
        ExprKind::If {
            then,
            els: Some(els),
            ..
        } => same(ty(bcx, *then), ty(bcx, *els)),
        ExprKind::Match { arms, .. } => {
            let bodies: Vec<ExprId> = ir
                .list(*arms)
                .iter()
                .map(|a| a.body)
                .filter(|&b| !diverges(bcx, b))
                .collect();
            agree(bcx, &bodies)
        }
        _ => Ty::Unknown,
    }
}

/// The one type all of `exprs` have; unknown if any is unknown or two differ.
fn agree(bcx: &BodyCx<'_, '_>, exprs: &[ExprId]) -> Ty {
    let mut out: Option<Ty> = None;
    for &e in exprs {
        let t = ty(bcx, e);
        out = Some(match out {
            None => t,
            Some(prev) => same(prev, t),
        });
    }
    out.unwrap_or(Ty::Unknown)
}

fn same(a: Ty, b: Ty) -> Ty {
    if a == b { a } else { Ty::Unknown }
}

/// An arm that leaves: `return`, `break`, `continue`, `panic!(..)` and the like.
fn diverges(bcx: &BodyCx<'_, '_>, expr: ExprId) -> bool {
    let ir = bcx.ir;
    match &ir.expr(expr).kind {
        ExprKind::Return(_) | ExprKind::Break { .. } | ExprKind::Continue => true,
        ExprKind::Macro(m) => ir
            .path_last(ir.path(ir.macro_call(*m).path))
            .is_some_and(|n| {
                matches!(
                    n.as_str(),
                    "panic" | "unreachable" | "todo" | "unimplemented"
                )
            }),
        ExprKind::Block(b) => {
            let block = ir.block(*b);
            block.tail.is_some_and(|t| diverges(bcx, t))
        }
        _ => false,
    }
}

fn lit_ty(lit: &Lit) -> Ty {
    match lit {
        Lit::Int {
            suffix: Some(s), ..
        } => Ty::prim(&format!("{s:?}").to_lowercase()),
        Lit::Float { bits: Some(32), .. } => Ty::prim("f32"),
        Lit::Float { bits: Some(64), .. } => Ty::prim("f64"),
        Lit::Bool(_) => Ty::prim("bool"),
        Lit::Char => Ty::prim("char"),
        Lit::Byte => Ty::prim("u8"),
        Lit::Str => Ty::prim("str").reference(false),
        Lit::ByteStr => Ty::Array(Box::new(Ty::prim("u8")), None).reference(false),
        _ => Ty::Unknown,
    }
}

fn binary(bcx: &BodyCx<'_, '_>, op: BinOp, lhs: ExprId, rhs: ExprId) -> Ty {
    match op {
        BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => Ty::prim("bool"),
        BinOp::And | BinOp::Or => Ty::prim("bool"),
        BinOp::Shl | BinOp::Shr => match ty(bcx, lhs) {
            t @ Ty::Prim(_) => t,
            _ => Ty::Unknown,
        },
        _ => match (ty(bcx, lhs), ty(bcx, rhs)) {
            (Ty::Prim(a), Ty::Prim(b)) if a == b && !a.is("str") => Ty::Prim(a),
            _ => Ty::Unknown,
        },
    }
}

/// A local: its annotation, its initializer, or what the pattern binding it takes apart.
fn local_ty(bcx: &BodyCx<'_, '_>, local: LocalId) -> Ty {
    let l = bcx.body.local(local);
    if l.kind == LocalKind::SelfParam {
        let self_ty = env(bcx).self_ty.clone().unwrap_or(Ty::Unknown);
        return match bcx
            .function()
            .and_then(|f| f.sig.self_param)
            .map(|s| s.kind)
        {
            Some(SelfKind::Value) => self_ty,
            Some(SelfKind::Ref) => self_ty.reference(false),
            Some(SelfKind::RefMut) => self_ty.reference(true),
            Some(SelfKind::Typed(t)) => Types::of_body(bcx).lower(t, env(bcx)),
            None => Ty::Unknown,
        };
    }
    if let Some(t) = l.ty {
        let declared = Types::of_body(bcx).lower(t, env(bcx));
        if declared.is_known() || !matches!(bcx.ir.ty(t).kind, TyKind::Infer) {
            return declared;
        }
    }
    if let Some(init) = bcx.let_init(local) {
        let t = ty(bcx, init);
        return if l.by_ref { t.reference(l.mutable) } else { t };
    }
    super::patterns::bound(bcx, local)
}

/// A path as a value: a unit struct or variant, a const or static, `None`.
fn path_value(bcx: &BodyCx<'_, '_>, expr: ExprId) -> Ty {
    let Some(resolved) = bcx.resolve_path(expr) else {
        return Ty::Unknown;
    };
    match resolved.def {
        Def::External(path) => {
            let is = |p: &[&str]| path.len() == p.len() && path.iter().zip(p).all(|(a, b)| a.is(b));
            if is(&["std", "option", "Option", "None"]) {
                Ty::external(&["std", "option", "Option"], vec![Ty::Unknown])
            } else {
                Ty::Unknown
            }
        }
        Def::Item(file, item) => {
            let Some(it) = bcx.cx.index.item(file, item) else {
                return Ty::Unknown;
            };
            match (&it.kind, resolved.rest) {
                (ItemKind::Struct(_) | ItemKind::Enum(_), _) if resolved.rest <= 1 => {
                    if resolved.rest == 1 && !is_variant(bcx, (file, item), last_name(bcx, expr)) {
                        return assoc_const(bcx, (file, item), last_name(bcx, expr));
                    }
                    adt_ty(bcx, (file, item))
                }
                (ItemKind::Const { ty: t, .. }, 0) => item_ty(bcx, (file, item), *t),
                (ItemKind::Static(s), 0) => item_ty(bcx, (file, item), s.ty),
                _ => Ty::Unknown,
            }
        }
        Def::Module(_) => Ty::Unknown,
    }
}

fn last_name(bcx: &BodyCx<'_, '_>, expr: ExprId) -> Option<Sym> {
    match bcx.ir.expr(expr).kind {
        ExprKind::Path(p) => bcx.ir.path_last(bcx.ir.path(p)),
        _ => None,
    }
}

fn is_variant(
    bcx: &BodyCx<'_, '_>,
    (file, item): (crate::diagnostic::FileId, crate::ir::ItemId),
    name: Option<Sym>,
) -> bool {
    match bcx.cx.index.item(file, item).map(|i| &i.kind) {
        Some(ItemKind::Enum(adt)) => name.is_some_and(|n| adt.variants.iter().any(|v| v.name == n)),
        _ => false,
    }
}

/// `Type::CONST` of an inherent impl.
fn assoc_const(
    bcx: &BodyCx<'_, '_>,
    adt: (crate::diagnostic::FileId, crate::ir::ItemId),
    name: Option<Sym>,
) -> Ty {
    let Some(key) = name.and_then(|n| bcx.cx.index.inherent_const(adt, n)) else {
        return Ty::Unknown;
    };
    match bcx.cx.index.item(key.0, key.1).map(|i| &i.kind) {
        Some(ItemKind::Const { ty: t, .. }) => {
            let Some(types) = Types::of_item(bcx.cx, key.0, key.1) else {
                return Ty::Unknown;
            };
            let env = Env {
                self_ty: Some(adt_ty(bcx, adt)),
                ..Env::default()
            };
            types.lower(*t, &env)
        }
        _ => Ty::Unknown,
    }
}

/// The declared type of a const or static.
fn item_ty(bcx: &BodyCx<'_, '_>, (file, item): FnKey, t: crate::ir::TyId) -> Ty {
    match Types::of_item(bcx.cx, file, item) {
        Some(types) => types.lower(t, &Env::default()),
        None => Ty::Unknown,
    }
}

/// A crate struct, enum or union, its type arguments unknown.
pub(super) fn adt_ty(bcx: &BodyCx<'_, '_>, (file, item): FnKey) -> Ty {
    let Some(it) = bcx.cx.index.item(file, item) else {
        return Ty::Unknown;
    };
    match &it.kind {
        ItemKind::Struct(adt) | ItemKind::Enum(adt) | ItemKind::Union(adt) => {
            let args = adt
                .generics
                .params
                .iter()
                .filter(|p| matches!(p.kind, crate::ir::GenericParamKind::Type { .. }))
                .map(|_| Ty::Unknown)
                .collect();
            Ty::Named(Type::Crate((file, item)), args)
        }
        ItemKind::TypeAlias { ty: Some(_), .. } => alias_ty(bcx, (file, item)),
        _ => Ty::Unknown,
    }
}

/// What a crate type alias stands for, its own parameters unknown.
pub(super) fn alias_ty(bcx: &BodyCx<'_, '_>, (file, item): FnKey) -> Ty {
    let Some(ItemKind::TypeAlias {
        generics,
        ty: Some(target),
    }) = bcx.cx.index.item(file, item).map(|i| &i.kind)
    else {
        return Ty::Unknown;
    };
    let Some(types) = Types::of_item(bcx.cx, file, item) else {
        return Ty::Unknown;
    };
    let mut env = Env::default();
    env.unknown_params(generics);
    types.lower(*target, &env)
}

/// `e?`: the `T` of `Option<T>` or `Result<T, E>`, and of the `Result<T>` aliases of common
/// crates.
fn unwrap_try(t: &Ty) -> Ty {
    if t.is(&["std", "option", "Option"])
        || t.is(&["std", "result", "Result"])
        || t.is(&["anyhow", "Result"])
        || t.is(&["eyre", "Result"])
        || t.is(&["color_eyre", "Result"])
        || t.is(&["syn", "Result"])
    {
        return t.arg(0);
    }
    Ty::Unknown
}

/// A field of a struct of the crate or of a tuple, through references and smart pointers.
fn field(bcx: &BodyCx<'_, '_>, base: &Ty, name: Sym) -> Ty {
    let mut cur = base.clone();
    for _ in 0..6 {
        match &cur {
            Ty::Named(Type::Crate(adt), args) => return struct_field(bcx, *adt, args, name),
            Ty::Tuple(elems) => {
                return name
                    .as_str()
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| elems.get(i).cloned())
                    .unwrap_or(Ty::Unknown);
            }
            _ => {}
        }
        match cur.deref() {
            Some(next) => cur = next,
            None => return Ty::Unknown,
        }
    }
    Ty::Unknown
}

/// The declared type of field `name` of a crate struct or union, its generic parameters
/// substituted by `args`.
pub(super) fn struct_field(
    bcx: &BodyCx<'_, '_>,
    (file, item): FnKey,
    args: &[Ty],
    name: Sym,
) -> Ty {
    let Some(types) = Types::of_item(bcx.cx, file, item) else {
        return Ty::Unknown;
    };
    let (ItemKind::Struct(adt) | ItemKind::Union(adt)) = &types.ir().item(item).kind else {
        return Ty::Unknown;
    };
    let Some(f) = adt.variants.first().and_then(|v| v.field(name)) else {
        return Ty::Unknown;
    };
    types.lower(f.ty, &adt_env(adt, (file, item), args))
}

/// `Self` and the generic parameters of a crate type, given its arguments.
pub(super) fn adt_env(adt: &crate::ir::Adt, key: FnKey, args: &[Ty]) -> Env {
    let mut env = Env {
        self_ty: Some(Ty::Named(Type::Crate(key), args.into())),
        ..Env::default()
    };
    let params = adt
        .generics
        .params
        .iter()
        .filter(|p| matches!(p.kind, crate::ir::GenericParamKind::Type { .. }));
    for (i, p) in params.enumerate() {
        env.params
            .push((p.name, args.get(i).cloned().unwrap_or(Ty::Unknown)));
    }
    env
}

/// `base[index]`: the element of a `Vec`, array, slice or `VecDeque`, the value of a map; a
/// range gives a slice.
fn index_ty(base: &Ty, range: bool) -> Ty {
    let mut cur = base.clone();
    for _ in 0..6 {
        let elem = match &cur {
            Ty::Array(elem, _) | Ty::Slice(elem) => Some((**elem).clone()),
            t if t.is_std("Vec") || t.is_std("VecDeque") => Some(t.arg(0)),
            t if !range && (t.is_std("HashMap") || t.is_std("BTreeMap")) => return t.arg(1),
            t if range && (t.is(&["std", "string", "String"]) || *t == Ty::prim("str")) => {
                return Ty::prim("str");
            }
            _ => None,
        };
        if let Some(elem) = elem {
            return if range {
                Ty::Slice(Box::new(elem))
            } else {
                elem
            };
        }
        match cur.deref() {
            Some(next) => cur = next,
            None => return Ty::Unknown,
        }
    }
    Ty::Unknown
}

/// What a call or method call returns, and whether the function is `async` (the call then
/// makes a future that `.await` turns into that type). `None` when unknown.
fn call_ret(bcx: &BodyCx<'_, '_>, expr: ExprId) -> Option<(Ty, bool)> {
    let ir = bcx.ir;
    match &ir.expr(expr).kind {
        ExprKind::Call { callee, args } => super::calls::call(bcx, *callee, ir.list(*args)),
        ExprKind::MethodCall(m) => {
            let m = ir.method_call(*m);
            method_call(bcx, m)
        }
        _ => None,
    }
}

fn method_call(bcx: &BodyCx<'_, '_>, m: &crate::ir::MethodCall) -> Option<(Ty, bool)> {
    let ir = bcx.ir;
    let recv = ty(bcx, m.receiver);
    let args = ir.list(m.args);
    let first_is_range = args
        .first()
        .is_some_and(|&a| matches!(ir.expr(a).kind, ExprKind::Range { .. }));
    let mut cur = recv.clone();
    for _ in 0..6 {
        match &cur {
            Ty::Named(Type::Crate(adt), _) => {
                if let Some(found) = super::calls::crate_method(bcx, *adt, &cur, m.method, args) {
                    return found.known_ret();
                }
                if m.method.is("clone") && super::calls::is_clone(bcx, *adt) {
                    return Some((cur, false));
                }
            }
            Ty::Ref { inner, .. } if m.method.is("clone") => {
                // `(&T).clone()` is a `T` when `T` is `Clone`, else the reference.
                return is_clone_ty(bcx, inner).then(|| ((**inner).clone(), false));
            }
            Ty::Param { bounds, .. } => {
                if m.method.is("clone") && bounds.iter().any(|b| b.is("Clone") || b.is("Copy")) {
                    return Some((cur, false));
                }
                return None;
            }
            _ => {
                if let Some(t) = std_methods::method(&cur, m.method, first_is_range) {
                    return t.known().map(|t| (t, false));
                }
            }
        }
        match cur.deref() {
            Some(next) => cur = next,
            None => break,
        }
    }
    by_name(bcx, m, &recv).map(|t| (t, false))
}

/// Whether values of this type are `Clone`, as far as is known.
fn is_clone_ty(bcx: &BodyCx<'_, '_>, t: &Ty) -> bool {
    match t {
        Ty::Named(Type::Crate(adt), _) => super::calls::is_clone(bcx, *adt),
        Ty::Named(Type::External(_), _) => std_methods::is_clone(t),
        Ty::Prim(p) => !p.is("str"),
        Ty::Ref { mutable: false, .. } => true,
        Ty::Tuple(elems) => elems.iter().all(|e| is_clone_ty(bcx, e)),
        Ty::Array(e, _) => is_clone_ty(bcx, e),
        _ => false,
    }
}

/// The methods the API table knows by name alone, whatever the receiver: `to_string()` is a
/// `String`, `collect::<T>()` a `T`, `clone()` its receiver's type.
fn by_name(bcx: &BodyCx<'_, '_>, m: &crate::ir::MethodCall, recv: &Ty) -> Option<Ty> {
    let api = api::method(m.method);
    if let Some(path) = api.returns() {
        return Some(std_methods::with_default_args(Ty::external(
            path,
            Vec::new(),
        )));
    }
    if api.has(Effect::ReturnsTurbofish) {
        return match bcx.ir.list(m.turbofish).first() {
            Some(GenericArg::Type(t)) => Types::of_body(bcx).lower(*t, env(bcx)).known(),
            _ => None,
        };
    }
    if api.has(Effect::ReturnsReceiverType) && !matches!(recv, Ty::Ref { .. }) {
        return recv.clone().known();
    }
    None
}
