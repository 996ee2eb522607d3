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
use crate::ir::{BindSource, Binding, ExprKind, ItemKind, LocalId, PatId, PatKind, PathId};
use crate::sym::Sym;

/// The type of a local bound in a pattern; unknown when the pattern or its source is.
pub fn bound(bcx: &BodyCx<'_, '_>, local: LocalId) -> Ty {
    let Some(Binding { pat, source }) = bcx.body.local(local).bound else {
        return Ty::Unknown;
    };
    let value = match source {
        BindSource::Value(e) => ty(bcx, e),
        BindSource::Items(e) => match &bcx.ir.expr(e).kind {
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
    // The one sub-pattern that binds `target`, and the type it is matched against.
    let binds = |p: &PatId| ir.pat_binds(*p, target);
    // Sub-patterns by position count up to a `..` only.
    let before_rest = |list: &[PatId]| -> Option<usize> {
        list.iter()
            .take_while(|&&p| !matches!(ir.pat(p).kind, PatKind::Rest))
            .position(binds)
    };
    let (sub, t) = match kind {
        PatKind::Tuple(list) => {
            let list = ir.list(*list);
            let i = before_rest(list)?;
            let Ty::Tuple(tys) = &t else { return None };
            (list[i], tys.get(i)?.clone())
        }
        PatKind::Slice(list) => {
            let elem = match &t {
                Ty::Array(e, _) | Ty::Slice(e) => (**e).clone(),
                _ => return None,
            };
            let p = *ir.list(*list).iter().find(|p| binds(p))?;
            // `rest @ ..` binds a slice, not an element.
            if matches!(ir.pat(p).kind, PatKind::Bind { sub: Some(s), .. } if matches!(ir.pat(s).kind, PatKind::Rest))
            {
                return None;
            }
            (p, elem)
        }
        PatKind::TupleStruct { path, elems } => {
            let list = ir.list(*elems);
            let i = before_rest(list)?;
            (
                list[i],
                variant_field(bcx, *path, &t, Sym::new(&i.to_string()))?,
            )
        }
        PatKind::Struct { path, fields } => {
            let &(name, p) = ir.list(*fields).iter().find(|(_, p)| binds(p))?;
            (p, variant_field(bcx, *path, &t, name)?)
        }
        _ => return None,
    };
    descend(bcx, sub, t, by_ref, target, depth + 1)
}

/// The type of field `field` (by name, `"0"` for the first positional one) of the struct or
/// variant `path` names, for a value of type `t`: `Some(x)` of an `Option<T>` has a `T`.
fn variant_field(bcx: &BodyCx<'_, '_>, path: PathId, t: &Ty, field: Sym) -> Option<Ty> {
    let resolved = bcx.resolve_path_id(path)?;
    let name = bcx.ir.path_last(bcx.ir.path(path))?;
    match resolved.def {
        Def::External(p) => {
            let last = p.last()?.as_str();
            if !field.is("0") {
                return None;
            }
            match last {
                "Some" if t.is_std("Option") => Some(t.arg(0)),
                "Ok" if t.is_std("Result") => Some(t.arg(0)),
                "Err" if t.is_std("Result") => Some(t.arg(1)),
                _ => None,
            }
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
            let f = variant.field(field)?;
            Some(types.lower(f.ty, &adt_env(adt, (file, item), args)))
        }
        Def::Module(_) => None,
    }
}
