//! What an allocation verdict is, for the rules that speak of it.
//!
//! Several rules report allocation sites: `returned_box` a box returned to the caller,
//! `non_escaping_box` one kept in its function, `dyn_box` one coerced to `dyn Trait`,
//! `closure_escape` one that boxes a closure; `heap_allocation` prints the verdict of every
//! other site. Each question is answered here, once, so that the rules agree on which site is
//! whose without reading each other.

use super::graph::{AllocKind, AllocVerdict, BodyEscape, ClosureEscape, NodeId, Reach, Why};
use crate::diagnostic::{FileId, Label};
use crate::facts::consts::{Arg, Env};
use crate::facts::layout::{self, Layout};
use crate::facts::types::{Pointer, Type, Types, generic_names, mentions, type_of};
use crate::facts::{BodyCx, CrateCx, values};
use crate::index::{Container, Def, FnKey, Resolved};
use crate::ir::{
    ExprId, ExprKind, FileIr, GenericArg, GenericArgs, ItemId, ItemKind, LocalId, MacroArgs, TyId,
    TyKind, UnOp, Vis, walk,
};
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
    /// A `Box` of a zero-sized value: it allocates nothing, and no rule speaks of it.
    ZeroSized,
    /// A box returned to the caller, which could be given the value itself (`returned_box`).
    Returned,
    /// A box that never leaves its function (`non_escaping_box`).
    KeptLocal,
    /// A box coerced to `dyn Trait` where the crate can see it (`dyn_box`).
    CoercedToDyn,
    /// A box holding a closure (`closure_escape`).
    BoxesClosure,
    /// None of these: `heap_allocation` prints its verdict.
    Other,
}

/// The class of an allocation verdict. The questions are asked in this order; a site answers
/// at most one of them in practice, and each warning rule asks only its own.
pub fn classify(bcx: &BodyCx<'_, '_>, esc: &BodyEscape, verdict: &AllocVerdict) -> AllocClass {
    if allocates_nothing(bcx, verdict) {
        AllocClass::ZeroSized
    } else if returned_box(bcx, esc, verdict).is_some() {
        AllocClass::Returned
    } else if kept_local_box(bcx, esc, verdict).is_some() {
        AllocClass::KeptLocal
    } else if dyn_coercion(bcx, esc, verdict).is_some() {
        AllocClass::CoercedToDyn
    } else if esc.boxes_closure(verdict.site.node) {
        AllocClass::BoxesClosure
    } else {
        AllocClass::Other
    }
}

/// A `Box::new` (or `Box::pin`) of a value whose type is zero-sized (a unit struct, `()`, an
/// empty array): `Box` allocates nothing for it. `Rc` and `Arc` still allocate their counts.
pub fn allocates_nothing(bcx: &BodyCx<'_, '_>, verdict: &AllocVerdict) -> bool {
    matches!(verdict.site.kind, AllocKind::Box | AllocKind::BoxPin)
        && verdict.site.arg.is_some_and(|arg| {
            fieldless_struct(bcx, arg)
                || values::of_expr(bcx, arg).is_some_and(|v| v.layout.exact && v.layout.size == 0)
        })
}

/// A struct that declares no fields, named as a value (`Special`, `Special {}`): zero-sized
/// wherever it is declared, a function body included, where layouts are not computed.
fn fieldless_struct(bcx: &BodyCx<'_, '_>, arg: ExprId) -> bool {
    let resolved = match bcx.ir.expr(arg).kind {
        ExprKind::Path(_) => bcx.resolve_path(arg),
        ExprKind::Struct(lit) => bcx.resolve_path_id(bcx.ir.struct_lit(lit).path),
        _ => None,
    };
    let Some(Resolved {
        def: Def::Item(file, item),
        rest: 0,
        ..
    }) = resolved
    else {
        return false;
    };
    bcx.cx.index.item(file, item).is_some_and(|i| {
        matches!(&i.kind, ItemKind::Struct(adt) if adt.variants.iter().all(|v| v.fields.is_empty()))
    })
}

/// `Box::<dyn Error>::from(e)`, `Box::<str>::from(s)`: a turbofish names an unsized type, so
/// the call is a `From` conversion of std or a dependency (anyhow's reuses the error's own
/// allocation), not a box of its argument.
fn converts_to_unsized(bcx: &BodyCx<'_, '_>, verdict: &AllocVerdict) -> bool {
    let ir = bcx.ir;
    let ExprKind::Call { callee, .. } = ir.expr(verdict.site.expr).kind else {
        return false;
    };
    let ExprKind::Path(p) = ir.expr(callee).kind else {
        return false;
    };
    let path = ir.path(p);
    let segments = ir.list(path.segments);
    let Some([boxed, _]) = segments.len().checked_sub(2).map(|i| &segments[i..]) else {
        return false;
    };
    let Some(args) = boxed.args else { return false };
    let GenericArgs::Angle(args) = ir.generic_args(args) else {
        return false;
    };
    let types = Types::of_body(bcx);
    ir.list(*args)
        .iter()
        .any(|a| matches!(a, GenericArg::Type(t) if types.is_unsized(*t)))
}

/// `Box::from(x)` where nothing says `x` is a value the crate built: the `From` impl may be a
/// dependency's, making a `Box<dyn ..>` of its own (anyhow's `Box<dyn Error>` from an
/// `anyhow::Error`).
fn foreign_from(bcx: &BodyCx<'_, '_>, verdict: &AllocVerdict) -> bool {
    let ir = bcx.ir;
    let ExprKind::Call { callee, .. } = ir.expr(verdict.site.expr).kind else {
        return false;
    };
    let ExprKind::Path(p) = ir.expr(callee).kind else {
        return false;
    };
    if !ir.path_last(ir.path(p)).is_some_and(|n| n.is("from")) {
        return false;
    }
    let Some(arg) = verdict.site.arg else {
        return true;
    };
    !matches!(type_of(bcx, arg), Some(Type::Crate(_))) && values::of_expr(bcx, arg).is_none()
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
    /// What the box is returned in, `Some` of an `Option` or `Ok` of a `Result`; `None` when
    /// the return type is the `Box` itself.
    pub wrapper: Option<Wrapper>,
}

/// The std variant a returned box is put in on its way out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrapper {
    /// `Some(..)`, returned as `Option<Box<T>>`.
    Some,
    /// `Ok(..)`, returned as `Result<Box<T>, E>`.
    Ok,
}

impl Wrapper {
    /// The std type the variant builds.
    pub fn type_name(self) -> &'static str {
        match self {
            Wrapper::Some => "Option",
            Wrapper::Ok => "Result",
        }
    }
}

/// A `Box::new` (or `Box::from`, `Box::default`) whose value reaches the return slot directly,
/// through assignments, branches and crate functions that return their argument, where the
/// caller could be given the value itself: the return type is `Box<T>` with `T` sized and known
/// (no `dyn`, slice, `str`, generic or `impl Trait`), `T` does not contain itself, the value is
/// not large and holds no generic parameter by value (whose size has no bound), no trait fixes
/// the signature, no raw pointer into the box is taken (its address is the point), the box is
/// not of a zero-sized value, and the function's name does not say it boxes.
pub fn returned_box(
    bcx: &BodyCx<'_, '_>,
    esc: &BodyEscape,
    verdict: &AllocVerdict,
) -> Option<ReturnedBox> {
    let wrapper = match verdict.reach {
        Reach::Return { direct: true } => None,
        Reach::Return { direct: false } => Some(wrapped_in(bcx, esc, verdict)?),
        _ => return None,
    };
    if verdict.site.kind != AllocKind::Box
        || allocates_nothing(bcx, verdict)
        || converts_to_unsized(bcx, verdict)
    {
        return None;
    }
    let returned = unneeded_box_return(bcx, wrapper)?;
    if verdict
        .site
        .arg
        .is_some_and(|arg| values::is_large(bcx, arg))
    {
        return None;
    }
    // The caller keeps a pointer into the box: its address is the point, and it must not move.
    if address_taken(bcx, verdict.site.expr) {
        return None;
    }
    Some(returned)
}

/// A function whose body never makes the value it returns, `todo!()` or `unimplemented!()`,
/// and whose signature returns `Box<T>` where `T` would do: reported, as Clippy's
/// `unnecessary_box_returns` does, only when the function is not public (its callers are all
/// in the crate, so the signature is the crate's to change). A body that gets its box from a
/// call is not: the allocation is the callee's, and fixing the signature would not remove it.
pub fn box_returning_signature(bcx: &BodyCx<'_, '_>) -> Option<ReturnedBox> {
    let item = bcx.ir.item(bcx.at.owner);
    if item.vis == Vis::Public || !never_made(bcx, bcx.body.value) {
        return None;
    }
    let returned = unneeded_box_return(bcx, None)?;
    let size = layout::of_ty(bcx.cx, &values::env_of(bcx), returned.inner).size;
    (size <= bcx.cx.input.stack_threshold).then_some(returned)
}

/// Whether a body's value is only a `todo!()` or `unimplemented!()`, after any statements.
fn never_made(bcx: &BodyCx<'_, '_>, expr: ExprId) -> bool {
    let ir = bcx.ir;
    match ir.expr(expr).kind {
        ExprKind::Block(b) => ir.block(b).tail.is_some_and(|t| never_made(bcx, t)),
        ExprKind::Macro(m) => ir
            .path_last(ir.path(ir.macro_call(m).path))
            .is_some_and(|n| n.is("todo") || n.is("unimplemented")),
        _ => false,
    }
}

/// The signature half of [`returned_box`]: the body's function returns `Box<T>` (in `Some`
/// or `Ok` as `wrapper` says) where the caller could be given `T`.
fn unneeded_box_return(bcx: &BodyCx<'_, '_>, wrapper: Option<Wrapper>) -> Option<ReturnedBox> {
    let func = bcx.function()?;
    if matches!(
        bcx.at.container,
        Container::TraitImpl { .. } | Container::Trait { .. }
    ) || func.sig.is_extern
    {
        return None;
    }
    let types = Types::of_body(bcx);
    let sig_ret = func.sig.ret?;
    // `-> Option<Box<T>>`, `-> Result<Box<T>, E>`: std's types, directly or through the
    // crate's aliases (`type Result<T> = std::result::Result<T, Error>`).
    let (boxed_at, boxed) = match wrapper {
        None => (types, sig_ret),
        Some(w) => {
            let (path, args) = types.std_path_seen(sig_ret)?;
            if path.last().is_none_or(|n| !n.is(w.type_name())) {
                return None;
            }
            *args.first()?
        }
    };
    let (Pointer::Box, (written, inner)) = boxed_at.pointer_seen(boxed)? else {
        return None;
    };
    // `T` must be written in this file to be read and printed with its body: it is, unless an
    // alias of another file spells the box (`type Boxed = Box<Config>` in `types.rs`).
    if written.file != bcx.file() {
        return None;
    }
    let types = written;
    // The label points at the box in the signature, or at the whole return type when an
    // alias spells the box.
    let ret =
        if boxed_at.file == bcx.file() && bcx.ir.ty(sig_ret).span.contains(bcx.ir.ty(boxed).span) {
            boxed
        } else {
            sig_ret
        };
    let generics = generic_names(bcx);
    // `-> Box<Self>` in an inherent impl without generic parameters: `Self` is that type.
    let concrete_self = match bcx.self_type() {
        Some(adt)
            if generics.is_empty()
                && matches!(bcx.at.container, Container::Inherent { .. })
                && is_self(bcx, inner) =>
        {
            if types.is_recursive_adt(adt) {
                return None;
            }
            true
        }
        _ => false,
    };
    if types.is_unsized(inner)
        || (!concrete_self && types.is_opaque(inner, &generics))
        || types.is_recursive(inner)
    {
        return None;
    }
    if holds_generic_by_value(bcx, inner, &generics) {
        return None;
    }
    let name = bcx.ir.item(bcx.at.owner).name?;
    // A function whose name says it boxes (`boxed`, `new_on_heap`, `alloc_node`) does so on
    // purpose: its callers want the box.
    let lower = name.as_str().to_ascii_lowercase();
    if ["box", "heap", "alloc"].iter().any(|w| lower.contains(w)) {
        return None;
    }
    Some(ReturnedBox {
        name,
        ret,
        inner,
        wrapper,
    })
}

/// The `Some(..)` or `Ok(..)` a box is put in on its way to the return slot, when that is its
/// only step besides plain moves (assignments, branches, crate functions that return their
/// argument).
fn wrapped_in(bcx: &BodyCx<'_, '_>, esc: &BodyEscape, verdict: &AllocVerdict) -> Option<Wrapper> {
    let mut wrapper = None;
    for &e in &verdict.path {
        let edge = esc.edges[e];
        match edge.why {
            Why::Assign
            | Why::Branch
            | Why::Break
            | Why::Return
            | Why::CallParameter
            | Why::CallResult => {}
            Why::Element if wrapper.is_none() => {
                let super::graph::Node::Temp(at) = esc.graph.node(edge.dst) else {
                    return None;
                };
                let ExprKind::Call { callee, .. } = bcx.ir.expr(at).kind else {
                    return None;
                };
                let path = bcx.resolve_path(callee)?.def.external_path()?.to_vec();
                let path: Vec<&str> = path.iter().map(|s| s.as_str()).collect();
                wrapper = Some(match path.as_slice() {
                    ["std", "option", "Option", "Some"] => Wrapper::Some,
                    ["std", "result", "Result", "Ok"] => Wrapper::Ok,
                    _ => return None,
                });
            }
            _ => return None,
        }
    }
    wrapper
}

/// Whether `ty` is written `Self`.
fn is_self(bcx: &BodyCx<'_, '_>, ty: TyId) -> bool {
    let ir = bcx.ir;
    match ir.ty(ty).kind {
        TyKind::Path(p) => {
            let path = ir.path(p);
            path.qself.is_none()
                && ir.list(path.segments).len() == 1
                && ir.path_ident(path).is_some_and(|n| n.is("Self"))
        }
        _ => false,
    }
}

/// Whether the size of `ty` (written in the body's function) depends on one of its generic
/// parameters, held by value: `Cell<T, S>` with a field `T`, not `Vec<T>`. The type is laid
/// out twice, with the parameters zero-sized and then huge; when the sizes differ, the
/// value's size has no bound. A type whose layout is unknown and names a parameter counts too.
fn holds_generic_by_value(bcx: &BodyCx<'_, '_>, ty: TyId, generics: &[Sym]) -> bool {
    if generics.is_empty() {
        return false;
    }
    const HUGE: u64 = 1 << 32;
    let laid_out = |size: u64| {
        let probe = Layout {
            size,
            align: 1,
            exact: true,
            niche: 0,
        };
        let subst: Vec<(Sym, Arg)> = generics.iter().map(|&g| (g, Arg::Type(probe))).collect();
        let env = Env {
            subst: &subst,
            ..values::env_of(bcx)
        };
        layout::of_ty(bcx.cx, &env, ty)
    };
    let small = laid_out(0);
    if small.size != laid_out(HUGE).size {
        return true;
    }
    !small.exact && mentions(bcx.ir, ty, generics)
}

/// Whether the body takes a raw pointer into the box `site` makes, through the local it is
/// bound to: `&*b as *const T`, `&raw mut *b`, `ptr::addr_of!(b.field)`, `NonNull::from(&*b)`,
/// `b.as_ptr()`, `Box::as_mut_ptr(&mut b)`, `Pin::new_unchecked(&mut *b)`. Whoever keeps
/// that pointer (an intrusive list, a registry, a self-reference) relies on the box's address.
fn address_taken(bcx: &BodyCx<'_, '_>, site: ExprId) -> bool {
    let ir = bcx.ir;
    let holders: Vec<LocalId> = bcx
        .body
        .locals
        .iter()
        .enumerate()
        .map(|(i, _)| LocalId(i as u32))
        .filter(|&l| bcx.let_init(l) == Some(site))
        .collect();
    if holders.is_empty() {
        return false;
    }
    let rooted = |e: ExprId| place_root(ir, e).is_some_and(|l| holders.contains(&l));
    let mut taken = false;
    walk::walk(ir, bcx.body.value, &mut |_, _, expr| {
        if taken {
            return;
        }
        taken = match &expr.kind {
            ExprKind::Cast { expr: inner, ty } => {
                matches!(ir.ty(*ty).kind, TyKind::Ptr { .. }) && rooted(*inner)
            }
            ExprKind::Ref {
                raw: true,
                expr: inner,
                ..
            } => rooted(*inner),
            ExprKind::MethodCall(m) => {
                let m = ir.method_call(*m);
                ["as_ptr", "as_mut_ptr"].iter().any(|n| m.method.is(n)) && rooted(m.receiver)
            }
            ExprKind::Call { callee, args } => {
                let names: Vec<Sym> = match ir.expr(*callee).kind {
                    ExprKind::Path(p) => ir.segment_names(ir.path(p)).collect(),
                    _ => Vec::new(),
                };
                let is = |ty: &str, f: &str| matches!(names.as_slice(), [.., t, n] if t.is(ty) && n.is(f));
                (is("NonNull", "from")
                    || is("NonNull", "new")
                    || is("NonNull", "new_unchecked")
                    || is("Box", "as_ptr")
                    || is("Box", "as_mut_ptr")
                    || is("Pin", "new_unchecked"))
                    && ir.list(*args).iter().any(|&a| rooted(a))
            }
            ExprKind::Macro(m) => {
                let m = ir.macro_call(*m);
                let raw = ir
                    .path_last(ir.path(m.path))
                    .is_some_and(|n| n.is("addr_of") || n.is("addr_of_mut"));
                raw && match m.args {
                    MacroArgs::List(list) | MacroArgs::Opaque(list) => {
                        ir.list(list).iter().any(|&a| rooted(a))
                    }
                    MacroArgs::Repeat { .. } => false,
                }
            }
            _ => false,
        };
    });
    taken
}

/// The local a place expression is rooted at, through `&`, `*`, fields, indexing, casts and
/// the methods that lend the box's contents (`as_ref`, `as_mut`, `deref`).
fn place_root(ir: &FileIr, mut expr: ExprId) -> Option<LocalId> {
    loop {
        match ir.expr(expr).kind {
            ExprKind::Local(l) => return Some(l),
            ExprKind::Ref { expr: inner, .. }
            | ExprKind::Unary {
                op: UnOp::Deref,
                expr: inner,
            }
            | ExprKind::Field { base: inner, .. }
            | ExprKind::Index { base: inner, .. }
            | ExprKind::Cast { expr: inner, .. } => expr = inner,
            ExprKind::MethodCall(m) => {
                let m = ir.method_call(m);
                if !["as_ref", "as_mut", "deref", "deref_mut"]
                    .iter()
                    .any(|n| m.method.is(n))
                {
                    return None;
                }
                expr = m.receiver;
            }
            _ => return None,
        }
    }
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
/// (or coerced to it, or converted to it by a `From` impl: `Box::<dyn Error>::from(e)`, or
/// `Box::from(e)` of a value the crate did not build), of zero-sized values (no allocation),
/// or of closures.
pub fn kept_local_box(
    bcx: &BodyCx<'_, '_>,
    esc: &BodyEscape,
    verdict: &AllocVerdict,
) -> Option<LocalBox> {
    if verdict.site.kind != AllocKind::Box
        || verdict.reach != Reach::Nowhere
        || verdict.moved
        || allocates_nothing(bcx, verdict)
        || converts_to_unsized(bcx, verdict)
        || foreign_from(bcx, verdict)
    {
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
    /// Why the `dyn` pointer is not this code's choice, when it is not.
    pub dictated: Option<Dictated>,
    /// The box never leaves its function.
    pub local: bool,
    /// For a parameter: the crate function called, and the parameter's place (`self` first).
    pub parameter: Option<(FnKey, usize)>,
}

/// Whether a crate function keeps what it is given in a parameter (stores it, returns it,
/// passes it on by move), so that a generic parameter in its place would still need a box.
/// True when its verdict is not known.
pub fn parameter_kept(
    cx: &CrateCx<'_>,
    escape: &super::CrateEscape,
    (file, item): FnKey,
    param: usize,
) -> bool {
    let Some(ItemKind::Fn(f)) = cx.index.item(file, item).map(|i| &i.kind) else {
        return true;
    };
    let Some(verdict) = f
        .body
        .and_then(|body| escape.body(file, body))
        .and_then(|esc| esc.params.get(param))
    else {
        return true;
    };
    verdict.owned.reach != Reach::Nowhere || verdict.owned.moved
}

/// Why a coercion to `dyn` is not the code's to change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dictated {
    /// A trait impl's signature asks for it, and the impl must match the trait.
    TraitSignature,
    /// A parameter of a public function asks for it: its callers may box types of their own,
    /// so the set of types behind it is open.
    PublicParameter,
    /// `Rc<dyn ..>` or `Arc<dyn ..>`: the allocation is for shared ownership, which an enum
    /// would still need.
    SharedOwnership,
}

impl Dictated {
    /// Why, as a note under the verdict.
    pub fn reason(self) -> &'static str {
        match self {
            Dictated::TraitSignature => {
                "the trait's signature asks for this type: the impl must match it"
            }
            Dictated::PublicParameter => {
                "a public function's parameter asks for this type: its callers may box types of \
                 their own"
            }
            Dictated::SharedOwnership => {
                "shared ownership needs the allocation whatever it holds: an enum would save only \
                 the indirect call"
            }
        }
    }
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
    /// borrowed as `&dyn` instead); and a type the code chose.
    pub fn actionable(&self) -> bool {
        self.dictated.is_none() && (self.concrete.is_some() || self.local)
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
    if matches!(bcx.ir.expr(arg).kind, ExprKind::Closure(_))
        || esc.boxes_closure(verdict.site.node)
        || allocates_nothing(bcx, verdict)
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
    let dictated = if verdict.site.kind != AllocKind::Box {
        Some(Dictated::SharedOwnership)
    } else if typed.scope.file == bcx.file() && in_trait_impl_signature(bcx, typed.ty) {
        Some(Dictated::TraitSignature)
    } else if kind == CoercionKind::Parameter && public_callee(bcx, esc, last.dst) {
        Some(Dictated::PublicParameter)
    } else {
        None
    };
    Some(Coercion {
        pointer,
        trait_,
        concrete: concrete_type(bcx, arg),
        at: Label::new(typed.scope.file, ir.ty(typed.ty).span, ""),
        kind,
        dictated,
        local: verdict.reach == Reach::Nowhere
            && matches!(kind, CoercionKind::Let | CoercionKind::Cast),
        parameter: (kind == CoercionKind::Parameter)
            .then(|| parameter_slot(esc, last.dst))
            .flatten(),
    })
}

/// Whether `ty` is written in the signature of the body's function, a method of a trait impl:
/// the trait fixes it (`fn possible_values(&self) -> Option<Box<dyn Iterator<..>>>`).
fn in_trait_impl_signature(bcx: &BodyCx<'_, '_>, ty: TyId) -> bool {
    if !matches!(bcx.at.container, Container::TraitImpl { .. }) {
        return false;
    }
    let Some(func) = bcx.function() else {
        return false;
    };
    let ir = bcx.ir;
    let at = ir.ty(ty).span;
    let within = |t: TyId| {
        let span = ir.ty(t).span;
        span.lo <= at.lo && at.hi <= span.hi
    };
    func.sig.ret.is_some_and(within) || ir.list(func.sig.params).iter().any(|&t| within(t))
}

/// The crate function and the parameter whose slot is `slot`.
fn parameter_slot(esc: &BodyEscape, slot: NodeId) -> Option<(FnKey, usize)> {
    esc.graph.calls.iter().find_map(|c| {
        let i = c.args.iter().position(|a| *a == Some(slot))?;
        Some((c.callee, i))
    })
}

/// Whether the call whose parameter slot is `slot` calls a public function of the crate.
fn public_callee(bcx: &BodyCx<'_, '_>, esc: &BodyEscape, slot: NodeId) -> bool {
    let Some(call) = esc
        .graph
        .calls
        .iter()
        .find(|c| c.args.contains(&Some(slot)))
    else {
        return false;
    };
    let (file, item) = call.callee;
    bcx.cx
        .index
        .item(file, item)
        .is_some_and(|i| i.vis == Vis::Public && matches!(i.kind, ItemKind::Fn(_)))
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
