//! The type of a local bound inside a pattern: `if let Some(x) = map.get(k)`,
//! `let Point { x, y } = p`, `match shape { Shape::Circle { r } => .. }`, `for item in &v`,
//! with Rust's default binding modes (a pattern matched through a reference binds
//! references).

use super::infer::{adt_env, ty};
use super::std_methods::into_iter_item;
use super::ty::Ty;
use super::{Type, Types};
use crate::facts::BodyCx;
use crate::index::Def;
use crate::ir::{ExprId, ExprKind, ItemKind, LocalId, PatId, PatKind, PathId, Stmt, walk};
use crate::sym::{FxHashMap, Sym};

/// Where a pattern's value comes from.
#[derive(Clone, Copy, Debug)]
pub enum Source {
    /// The value of an expression: a `let` initializer, a scrutinee.
    Value(ExprId),
    /// The items of what a `for` loop iterates.
    Items(ExprId),
}

/// The pattern binding each local that is not a plain `let x = ..`, and its source.
pub fn binding_sites(bcx: &BodyCx<'_, '_>) -> FxHashMap<LocalId, (PatId, Source)> {
    let ir = bcx.ir;
    let mut out = FxHashMap::default();
    let note = |pat: PatId, source: Source, out: &mut FxHashMap<LocalId, (PatId, Source)>| {
        let mut stack = vec![pat];
        while let Some(p) = stack.pop() {
            match &ir.pat(p).kind {
                PatKind::Bind { local, sub } => {
                    out.entry(*local).or_insert((pat, source));
                    stack.extend(*sub);
                }
                PatKind::Tuple(l) | PatKind::Or(l) | PatKind::Slice(l) => {
                    stack.extend_from_slice(ir.list(*l))
                }
                PatKind::TupleStruct { elems, .. } => stack.extend_from_slice(ir.list(*elems)),
                PatKind::Struct { fields, .. } => {
                    stack.extend(ir.list(*fields).iter().map(|(_, p)| *p))
                }
                PatKind::Ref { pat, .. } => stack.push(*pat),
                _ => {}
            }
        }
    };
    walk::walk(ir, bcx.body.value, &mut |_, _, expr| match &expr.kind {
        ExprKind::Block(block) => {
            for stmt in ir.list(ir.block(*block).stmts) {
                if let Stmt::Let(l) = *stmt {
                    let l = ir.let_stmt(l);
                    if let Some(init) = l.init {
                        note(l.pat, Source::Value(init), &mut out);
                    }
                }
            }
        }
        ExprKind::Let { pat, expr } => note(*pat, Source::Value(*expr), &mut out),
        ExprKind::Match { scrutinee, arms } => {
            for arm in ir.list(*arms) {
                note(arm.pat, Source::Value(*scrutinee), &mut out);
            }
        }
        ExprKind::For { pat, iter, .. } => note(*pat, Source::Items(*iter), &mut out),
        _ => {}
    });
    out
}

/// The type of a local bound in a pattern; unknown when the pattern or its source is.
pub fn bound(bcx: &BodyCx<'_, '_>, local: LocalId) -> Ty {
    let Some(&(pat, source)) = bcx.binding_sites().get(&local) else {
        return Ty::Unknown;
    };
    let value = match source {
        Source::Value(e) => ty(bcx, e),
        Source::Items(e) => match &bcx.ir.expr(e).kind {
            ExprKind::Range { lo, hi } => match lo.or(*hi).map(|e| ty(bcx, e)) {
                Some(t @ Ty::Prim(_)) => t,
                _ => Ty::Unknown,
            },
            _ => into_iter_item(&ty(bcx, e)),
        },
    };
    descend(bcx, pat, value, None, local, 0).unwrap_or(Ty::Unknown)
}

/// Finds `target` in `pat`, matched against a value of type `t`; `by_ref` is the default
/// binding mode (`Some(mutable)` once matched through a reference).
fn descend(
    bcx: &BodyCx<'_, '_>,
    pat: PatId,
    t: Ty,
    by_ref: Option<bool>,
    target: LocalId,
    depth: u32,
) -> Option<Ty> {
    if depth > 16 {
        return None;
    }
    let ir = bcx.ir;
    let kind = &ir.pat(pat).kind;
    if let PatKind::Bind { local, sub } = kind {
        if *local == target {
            let l = bcx.body.local(*local);
            return Some(match (l.by_ref, by_ref) {
                (true, _) => t.reference(l.mutable),
                (false, Some(m)) => t.reference(m),
                (false, None) => t,
            });
        }
        return descend(bcx, (*sub)?, t, by_ref, target, depth + 1);
    }
    if let PatKind::Ref { pat, .. } = kind {
        return match t {
            Ty::Ref { inner, .. } => descend(bcx, *pat, *inner, None, target, depth + 1),
            _ => None,
        };
    }
    if let PatKind::Or(alts) = kind {
        return ir
            .list(*alts)
            .iter()
            .find_map(|&p| descend(bcx, p, t.clone(), by_ref, target, depth + 1));
    }
    // Any other pattern matched through a reference binds by reference.
    let (mut t, mut by_ref) = (t, by_ref);
    while let Ty::Ref { mutable, inner } = t {
        by_ref = Some(by_ref.unwrap_or(true) && mutable);
        t = *inner;
    }
    let elems: Vec<(PatId, Ty)> = match kind {
        PatKind::Tuple(list) => {
            let Ty::Tuple(tys) = &t else { return None };
            positional(bcx, ir.list(*list), tys)
        }
        PatKind::Slice(list) => {
            let elem = match &t {
                Ty::Array(e, _) | Ty::Slice(e) => (**e).clone(),
                _ => return None,
            };
            let list = ir.list(*list);
            list.iter()
                .filter(|&&p| !matches!(ir.pat(p).kind, PatKind::Rest))
                .map(|&p| (p, elem.clone()))
                .filter(|(p, _)| !matches!(ir.pat(*p).kind, PatKind::Bind { sub: Some(s), .. } if matches!(ir.pat(s).kind, PatKind::Rest)))
                .collect()
        }
        PatKind::TupleStruct { path, elems } => {
            let fields = variant_fields(bcx, *path, &t)?;
            let tys: Vec<Ty> = fields.into_iter().map(|(_, t)| t).collect();
            positional(bcx, ir.list(*elems), &tys)
        }
        PatKind::Struct { path, fields } => {
            let declared = variant_fields(bcx, *path, &t)?;
            ir.list(*fields)
                .iter()
                .filter_map(|(name, p)| {
                    let found = declared.iter().find(|(n, _)| n == name)?;
                    Some((*p, found.1.clone()))
                })
                .collect()
        }
        _ => return None,
    };
    elems
        .into_iter()
        .find_map(|(p, t)| descend(bcx, p, t, by_ref, target, depth + 1))
}

/// Sub-patterns by position, those before a `..` only.
fn positional(bcx: &BodyCx<'_, '_>, pats: &[PatId], tys: &[Ty]) -> Vec<(PatId, Ty)> {
    pats.iter()
        .take_while(|&&p| !matches!(bcx.ir.pat(p).kind, PatKind::Rest))
        .zip(tys.iter())
        .map(|(&p, t)| (p, t.clone()))
        .collect()
}

/// The fields (by name, `"0"` for the first positional one) of the struct or variant `path`
/// names, for a value of type `t`: `Some(x)` of an `Option<T>` has a `T`.
fn variant_fields(bcx: &BodyCx<'_, '_>, path: PathId, t: &Ty) -> Option<Vec<(Sym, Ty)>> {
    let resolved = bcx.resolve_path_id(path)?;
    let name = bcx.ir.path_last(bcx.ir.path(path))?;
    match resolved.def {
        Def::External(p) => {
            let last = p.last()?.as_str();
            let field = match last {
                "Some" if t.is_std("Option") => t.arg(0),
                "Ok" if t.is_std("Result") => t.arg(0),
                "Err" if t.is_std("Result") => t.arg(1),
                _ => return None,
            };
            Some(vec![(Sym::new("0"), field)])
        }
        Def::Item(file, item) => {
            // The value's type must be the type the pattern names.
            let args: &[Ty] = match t {
                Ty::Named(Type::Crate(adt), args) if *adt == (file, item) => args,
                _ => return None,
            };
            let types = Types::of_item(bcx.cx, file, item)?;
            let (adt, variant) = match (&types.ir().item(item).kind, resolved.rest) {
                (ItemKind::Struct(a), 0) => (a, a.variants.first()?),
                (ItemKind::Enum(a), 1) => (a, a.variants.iter().find(|v| v.name == name)?),
                _ => return None,
            };
            let env = adt_env(adt, (file, item), args);
            Some(
                variant
                    .named_fields()
                    .map(|(n, f)| (n, types.lower(f.ty, &env)))
                    .collect(),
            )
        }
        Def::Module(_) => None,
    }
}
