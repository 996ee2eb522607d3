//! What an allocation verdict is, for the rules that speak of it.
//!
//! Several rules report allocation sites: `returned_box` a box returned to the caller,
//! `non_escaping_box` one kept in its function, `dyn_box` one coerced to `dyn Trait`,
//! `closure_escape` one that boxes a closure; `heap_allocation` prints the verdict of every
//! other site. Each question is answered here, once, so that the rules agree on which site is
//! whose without reading each other.

use super::graph::{AllocKind, AllocVerdict, BodyEscape, ClosureEscape, NodeId, Reach, Why};
use crate::diagnostic::{FileId, Label};
use crate::facts::types::{Pointer, Type, Types, generic_names, type_of};
use crate::facts::{BodyCx, values};
use crate::index::{Container, Def};
use crate::ir::{ExprId, ExprKind, ItemId, TyId};
use crate::sym::Sym;

impl BodyEscape {
    /// Whether the allocation at `node` boxes a closure: `closure_escape` speaks of those.
    pub fn boxes_closure(&self, node: NodeId) -> bool {
        self.closures.iter().any(
            |c| matches!(c.escape, ClosureEscape::Boxed(i) if self.allocs[i].site.node == node),
        )
    }
}

/// How a verdict's allocation site is reported: by which warning rule, if any.
#[derive(Debug)]
pub enum AllocClass {
    /// A box returned to the caller, which could be given the value itself (`returned_box`).
    Returned(ReturnedBox),
    /// A box that never leaves its function (`non_escaping_box`).
    KeptLocal(LocalBox),
    /// A box coerced to `dyn Trait` where the crate can see it (`dyn_box`).
    CoercedToDyn(Coercion),
    /// A box holding a closure (`closure_escape`).
    BoxesClosure,
    /// None of these: `heap_allocation` prints its verdict.
    Other,
}

/// The class of an allocation verdict. The questions are asked in this order; a site answers
/// at most one of them in practice, and each warning rule asks only its own.
pub fn classify(bcx: &BodyCx<'_, '_>, esc: &BodyEscape, verdict: &AllocVerdict) -> AllocClass {
    if let Some(r) = returned_box(bcx, verdict) {
        AllocClass::Returned(r)
    } else if let Some(l) = kept_local_box(bcx, esc, verdict) {
        AllocClass::KeptLocal(l)
    } else if let Some(c) = dyn_coercion(bcx, esc, verdict) {
        AllocClass::CoercedToDyn(c)
    } else if esc.boxes_closure(verdict.site.node) {
        AllocClass::BoxesClosure
    } else {
        AllocClass::Other
    }
}

/// A `Box` allocated only to be returned.
#[derive(Debug)]
pub struct ReturnedBox {
    /// The function's name.
    pub name: Sym,
    /// The declared return type, `Box<T>`.
    pub ret: TyId,
    /// `T`.
    pub inner: TyId,
}

/// A `Box::new` (or `Box::from`, `Box::default`) whose value reaches the return slot directly,
/// through assignments, branches and crate functions that return their argument, where the
/// caller could be given the value itself: the return type is `Box<T>` with `T` sized and known
/// (no `dyn`, slice, `str`, generic or `impl Trait`), `T` does not contain itself, the value is
/// not large, no trait fixes the signature, and the function's name does not say it boxes.
pub fn returned_box(bcx: &BodyCx<'_, '_>, verdict: &AllocVerdict) -> Option<ReturnedBox> {
    if verdict.site.kind != AllocKind::Box || verdict.reach != (Reach::Return { direct: true }) {
        return None;
    }
    let func = bcx.function()?;
    if matches!(
        bcx.at.container,
        Container::TraitImpl { .. } | Container::Trait { .. }
    ) || func.sig.is_extern
    {
        return None;
    }
    let ret = func.sig.ret?;
    let types = Types::of_body(bcx);
    let (Pointer::Box, inner) = types.pointer(ret)? else {
        return None;
    };
    let generics = generic_names(bcx);
    if types.is_unsized(inner) || types.is_opaque(inner, &generics) || types.is_recursive(inner) {
        return None;
    }
    if verdict
        .site
        .arg
        .is_some_and(|arg| values::is_large(bcx, arg))
    {
        return None;
    }
    let name = bcx.ir.item(bcx.at.owner).name?;
    // A function whose name says it boxes (`boxed`, `new_on_heap`, `alloc_node`) does so on
    // purpose: its callers want the box.
    let lower = name.as_str().to_ascii_lowercase();
    if ["box", "heap", "alloc"].iter().any(|w| lower.contains(w)) {
        return None;
    }
    Some(ReturnedBox { name, ret, inner })
}

/// A `Box` whose value could live on the stack.
#[derive(Debug)]
pub struct LocalBox {
    /// The boxed value: `x` in `Box::new(x)`.
    pub arg: ExprId,
}

/// A `Box::new` (or `Box::from`, `Box::default`) whose value reaches neither the return slot
/// nor the heap nor the caller's memory, and is never moved into a call, a container, a field
/// or a closure. Not for boxes of large values, of recursive or unsized types, of `dyn Trait`
/// (or coerced to it), or of closures.
pub fn kept_local_box(
    bcx: &BodyCx<'_, '_>,
    esc: &BodyEscape,
    verdict: &AllocVerdict,
) -> Option<LocalBox> {
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
    Some(LocalBox { arg })
}

/// The crate type a struct literal or tuple-struct constructor builds.
fn literal_adt(bcx: &BodyCx<'_, '_>, arg: ExprId) -> Option<(FileId, ItemId)> {
    let resolved = match bcx.ir.expr(arg).kind {
        ExprKind::Struct(lit) => bcx.resolve_path_id(bcx.ir.struct_lit(lit).path)?,
        ExprKind::Call { callee, .. } => bcx.resolve_path(callee)?,
        _ => return None,
    };
    match resolved.def {
        Def::Item(file, item) if resolved.rest <= 1 => Some((file, item)),
        _ => None,
    }
}

/// One visible coercion of a boxed value to `dyn`.
#[derive(Debug)]
pub struct Coercion {
    /// `Box<dyn Shape>`.
    pub pointer: String,
    /// `dyn Shape`.
    pub trait_: String,
    /// The crate type boxed, when its construction shows it.
    pub concrete: Option<String>,
    /// Where the type that coerces it is written.
    pub at: Label,
    pub kind: CoercionKind,
    /// A trait impl's signature asks for the `dyn` type: the crate cannot choose otherwise.
    pub fixed: bool,
    /// The box never leaves its function.
    pub local: bool,
}

/// Where the coercion happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoercionKind {
    Let,
    Return,
    Cast,
    Field,
    Parameter,
    Container,
}

impl Coercion {
    /// A warning needs something the user can act on: a known crate type behind the `dyn`
    /// (an enum of them can replace it), or a box that stays in its function (it can be
    /// borrowed as `&dyn` instead); and a signature the crate chose.
    pub fn actionable(&self) -> bool {
        !self.fixed && (self.concrete.is_some() || self.local)
    }
}

/// The visible coercion of an allocation site's `Box` (or `Rc`, `Arc`) to `dyn Trait`: the
/// first declared type its value is given on its way is `Box<dyn Trait>` or a container of
/// them. Boxed closures are not counted: `closure_escape` speaks of those.
pub fn dyn_coercion(
    bcx: &BodyCx<'_, '_>,
    esc: &BodyEscape,
    verdict: &AllocVerdict,
) -> Option<Coercion> {
    if !matches!(
        verdict.site.kind,
        AllocKind::Box | AllocKind::Rc | AllocKind::Arc
    ) {
        return None;
    }
    let arg = verdict.site.arg?;
    if matches!(bcx.ir.expr(arg).kind, ExprKind::Closure(_)) || esc.boxes_closure(verdict.site.node)
    {
        return None;
    }
    let (typed, path) = verdict.typed.as_ref()?;
    let types = Types::at(bcx.cx, typed.scope);
    let pointer = types.dyn_pointer(typed.ty)?;
    let ir = bcx.cx.loaded.ir(typed.scope.file)?;
    let trait_ = pointer
        .split_once("dyn ")
        .map(|(_, rest)| format!("dyn {}", rest.trim_end_matches('>')))
        .unwrap_or_else(|| pointer.clone());
    let last = esc.edges[*path.last()?];
    // Put in a container or a field on the way: the type asked for is the container's.
    let wrapped = path
        .iter()
        .any(|&e| matches!(esc.edges[e].why, Why::Element | Why::Container));
    let kind = match last.why {
        _ if wrapped => CoercionKind::Container,
        Why::Return => CoercionKind::Return,
        Why::Cast => CoercionKind::Cast,
        Why::Field => CoercionKind::Field,
        Why::CallParameter => CoercionKind::Parameter,
        Why::Container => CoercionKind::Container,
        _ => CoercionKind::Let,
    };
    // In a trait impl, the return type is the trait's.
    let fixed =
        kind == CoercionKind::Return && matches!(bcx.at.container, Container::TraitImpl { .. });
    Some(Coercion {
        pointer,
        trait_,
        concrete: concrete_type(bcx, arg),
        at: Label::new(typed.scope.file, ir.ty(typed.ty).span, ""),
        kind,
        fixed,
        local: verdict.reach == Reach::Nowhere
            && matches!(kind, CoercionKind::Let | CoercionKind::Cast),
    })
}

/// The crate type a boxed value has, when its construction shows it: a struct literal, a
/// tuple struct or variant constructor, `Type::new(..)`, a unit struct, `self.clone()` in an
/// impl, or a local bound to one of these.
fn concrete_type(bcx: &BodyCx<'_, '_>, arg: ExprId) -> Option<String> {
    let Type::Crate((file, item)) = type_of(bcx, arg)? else {
        return None;
    };
    bcx.cx.index.item(file, item)?.name.map(|n| n.to_string())
}
