//! Receiver types: as much of an expression's type as the contracts need to find the method a
//! call calls. Without type checking, a type is known when the code declares it (a local's,
//! a parameter's or a field's type, a function's return type, `self`), builds it (a literal, a
//! constructor, `vec![..]`), or projects it from one that is known (a field, an index, a
//! dereference, the item of an iterator over a known slice). Anything else is
//! [`Ty::Unknown`], and a method called on it is looked up by name.

use super::TypeRef;
use crate::diagnostic::FileId;
use crate::facts::BodyCx;
use crate::index::{Container, Def, ScopeRef};
use crate::ir::*;
use crate::sym::{FxHashMap, Sym};

/// What is known of a type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Ty {
    /// A struct, enum or union of this crate.
    Adt((FileId, ItemId)),
    /// A type of another crate (std included), by canonical path, with its type arguments.
    Foreign(Box<[Sym]>, Vec<Ty>),
    /// Integers, floats, `bool`.
    Scalar,
    Char,
    Str,
    /// A slice or an array, with its element.
    Slice(Box<Ty>),
    /// A raw pointer.
    Ptr(Box<Ty>),
    Ref(Box<Ty>),
    Tuple(Vec<Ty>),
    /// A generic parameter, `impl Trait` or `dyn Trait`: the traits its bounds name (not the
    /// marker traits).
    Bounded(Vec<TypeRef>),
    /// A function pointer or a closure.
    Callable,
    Unknown,
}

impl Ty {
    /// Through references and `Box`: what a method call or a field access reaches.
    pub(super) fn deref(&self) -> &Ty {
        let mut ty = self;
        for _ in 0..8 {
            ty = match ty {
                Ty::Ref(inner) => inner,
                Ty::Foreign(path, args) if is_path(path, &["std", "boxed", "Box"]) => {
                    match args.first() {
                        Some(inner) => inner,
                        None => return ty,
                    }
                }
                _ => return ty,
            };
        }
        ty
    }

    /// The element of a slice, an array or a std sequence.
    fn element(&self) -> Option<Ty> {
        match self.deref() {
            Ty::Slice(e) => Some((**e).clone()),
            Ty::Foreign(path, args)
                if is_path(path, &["std", "vec", "Vec"])
                    || is_path(path, &["std", "collections", "VecDeque"]) =>
            {
                args.first().cloned()
            }
            _ => None,
        }
    }
}

pub(super) fn is_path(path: &[Sym], expected: &[&str]) -> bool {
    path.len() == expected.len() && path.iter().zip(expected).all(|(a, b)| a.is(b))
}

fn foreign(path: &[&str], args: Vec<Ty>) -> Ty {
    Ty::Foreign(path.iter().map(|s| Sym::new(s)).collect(), args)
}

fn is_scalar_name(name: &str) -> bool {
    matches!(
        name,
        "u8" | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "f32"
            | "f64"
            | "bool"
    )
}

/// The primitive type a single-segment path names, when nothing in scope shadows it.
pub(super) fn primitive(name: Sym) -> Option<Ty> {
    match name.as_str() {
        "char" => Some(Ty::Char),
        "str" => Some(Ty::Str),
        n if is_scalar_name(n) => Some(Ty::Scalar),
        _ => None,
    }
}

/// The generic parameters in scope where a type is written: name, and the traits of its
/// bounds.
type Generics = Vec<(Sym, Vec<TypeRef>)>;

/// Types of one body's expressions, computed on demand and kept.
pub(super) struct Typer<'b, 'c, 'a> {
    pub bcx: &'b BodyCx<'c, 'a>,
    /// The body's generic parameters (its function's and its impl's or trait's).
    generics: Generics,
    /// `Self`, in an impl or a trait.
    self_ty: Ty,
    /// Locals bound by `for` patterns: the iterator, and the tuple indices down to the local.
    for_locals: Option<FxHashMap<LocalId, (ExprId, Vec<u32>)>>,
    cache: FxHashMap<ExprId, Ty>,
}

impl<'b, 'c, 'a> Typer<'b, 'c, 'a> {
    pub(super) fn new(bcx: &'b BodyCx<'c, 'a>) -> Typer<'b, 'c, 'a> {
        let mut typer = Typer {
            bcx,
            generics: Vec::new(),
            self_ty: Ty::Unknown,
            for_locals: None,
            cache: FxHashMap::default(),
        };
        let scope = bcx.at.scope();
        let ir = bcx.ir;
        let mut generics = Vec::new();
        match bcx.at.container {
            Container::Inherent { impl_item } | Container::TraitImpl { impl_item } => {
                if let ItemKind::Impl(i) = &ir.item(impl_item).kind {
                    generics.extend(typer.generics_of(scope, ir, &i.generics));
                    typer.generics = generics.clone();
                    typer.self_ty = typer.lower(scope, ir, i.self_ty, 0);
                }
            }
            Container::Trait { trait_item } => {
                if let ItemKind::Trait { generics: g, .. } = &ir.item(trait_item).kind {
                    generics.extend(typer.generics_of(scope, ir, g));
                }
                typer.self_ty = Ty::Bounded(vec![TypeRef::Local((bcx.file(), trait_item))]);
            }
            Container::Free => {}
        }
        if let Some(f) = bcx.function() {
            generics.extend(typer.generics_of(scope, ir, &f.sig.generics));
        }
        typer.generics = generics;
        typer
    }

    /// The traits named by the bounds of each type parameter of `generics`.
    fn generics_of(&self, scope: ScopeRef, ir: &FileIr, generics: &Generics_) -> Generics {
        generics
            .params
            .iter()
            .filter_map(|p| match p.kind {
                GenericParamKind::Type { bounds } => Some((
                    p.name,
                    ir.list(bounds)
                        .iter()
                        .filter_map(|&b| self.trait_ref(scope, ir, b))
                        .collect(),
                )),
                _ => None,
            })
            .collect()
    }

    /// The trait a bound names; `None` for the marker traits (`Send`, `Sized`, `Copy`...),
    /// which have no methods a call could reach.
    pub(super) fn trait_ref(&self, scope: ScopeRef, ir: &FileIr, bound: TyId) -> Option<TypeRef> {
        let TyKind::Path(path) = ir.ty(bound).kind else {
            return None;
        };
        let resolved = self.bcx.cx.index.resolve(scope, path)?;
        match resolved.def {
            Def::Item(file, item) if resolved.rest == 0 => Some(TypeRef::Local((file, item))),
            Def::External(p) if resolved.rest == 0 => {
                let marker = p.len() == 3
                    && p[0].is("std")
                    && p[1].is("marker")
                    && matches!(p[2].as_str(), "Send" | "Sync" | "Sized" | "Unpin" | "Copy");
                (!marker).then_some(TypeRef::Path(p))
            }
            _ => None,
        }
    }

    /// A type as written at `scope` of `ir`.
    pub(super) fn lower(&self, scope: ScopeRef, ir: &FileIr, ty: TyId, depth: u32) -> Ty {
        self.lower_with(scope, ir, ty, &self.generics, depth)
    }

    fn lower_with(
        &self,
        scope: ScopeRef,
        ir: &FileIr,
        ty: TyId,
        generics: &Generics,
        depth: u32,
    ) -> Ty {
        if depth > 6 {
            return Ty::Unknown;
        }
        let lower = |t: TyId| self.lower_with(scope, ir, t, generics, depth + 1);
        match &ir.ty(ty).kind {
            TyKind::Ref { ty, .. } => Ty::Ref(Box::new(lower(*ty))),
            TyKind::Ptr { ty, .. } => Ty::Ptr(Box::new(lower(*ty))),
            TyKind::Array { elem, .. } | TyKind::Slice(elem) => Ty::Slice(Box::new(lower(*elem))),
            TyKind::Tuple(list) => Ty::Tuple(ir.list(*list).iter().map(|&t| lower(t)).collect()),
            TyKind::FnPtr { .. } => Ty::Callable,
            TyKind::Dyn(bounds) | TyKind::Impl(bounds) => Ty::Bounded(
                ir.list(*bounds)
                    .iter()
                    .filter_map(|&b| self.trait_ref(scope, ir, b))
                    .collect(),
            ),
            TyKind::Never | TyKind::Infer | TyKind::Missing => Ty::Unknown,
            TyKind::Path(p) => self.lower_path(scope, ir, *p, generics, depth),
        }
    }

    fn lower_path(
        &self,
        scope: ScopeRef,
        ir: &FileIr,
        p: PathId,
        generics: &Generics,
        depth: u32,
    ) -> Ty {
        let path = ir.path(p);
        if let Some(name) = ir.path_ident(path) {
            if name.is("Self") {
                return self.self_ty.clone();
            }
            if let Some((_, bounds)) = generics.iter().find(|(n, _)| *n == name) {
                return Ty::Bounded(bounds.clone());
            }
        }
        let args: Vec<Ty> = ir
            .list(path.segments)
            .last()
            .and_then(|s| s.args)
            .map(|a| match *ir.generic_args(a) {
                GenericArgs::Angle(list) => ir
                    .list(list)
                    .iter()
                    .filter_map(|g| match g {
                        GenericArg::Type(t) => {
                            Some(self.lower_with(scope, ir, *t, generics, depth + 1))
                        }
                        _ => None,
                    })
                    .collect(),
                GenericArgs::Paren { .. } => Vec::new(),
            })
            .unwrap_or_default();
        match self.bcx.cx.index.resolve(scope, p) {
            Some(resolved) if resolved.rest == 0 => match resolved.def {
                Def::External(path) => Ty::Foreign(other_crate(path), args),
                Def::Item(file, item) => {
                    match self.bcx.cx.index.item(file, item).map(|i| &i.kind) {
                        Some(ItemKind::Struct(_) | ItemKind::Enum(_) | ItemKind::Union(_)) => {
                            Ty::Adt((file, item))
                        }
                        Some(ItemKind::TypeAlias { ty: Some(ty), .. }) => {
                            match (
                                self.bcx.cx.index.item_scope(file, item),
                                self.bcx.cx.index.ir(file),
                            ) {
                                (Some(scope), Some(ir)) => {
                                    self.lower_with(scope, ir, *ty, &Vec::new(), depth + 1)
                                }
                                _ => Ty::Unknown,
                            }
                        }
                        Some(ItemKind::Trait { .. }) => {
                            Ty::Bounded(vec![TypeRef::Local((file, item))])
                        }
                        _ => Ty::Unknown,
                    }
                }
                Def::Module(_) => Ty::Unknown,
            },
            Some(_) => Ty::Unknown,
            None => ir
                .path_ident(path)
                .and_then(primitive)
                .unwrap_or(Ty::Unknown),
        }
    }

    /// A generic parameter of the body named `name`, with its bounds; `Unknown` if there is
    /// none of that name.
    pub(super) fn generic_named(&self, name: Sym) -> Ty {
        match self.generics.iter().find(|(n, _)| *n == name) {
            Some((_, bounds)) => Ty::Bounded(bounds.clone()),
            None => Ty::Unknown,
        }
    }

    /// `Self`, by value.
    pub(super) fn self_ty_value(&self) -> Ty {
        self.self_ty.clone()
    }

    /// The type of a field of a crate struct (or of a variant's named field).
    pub(super) fn field(&self, adt: (FileId, ItemId), name: Sym) -> Ty {
        let index = &self.bcx.cx.index;
        let (Some(ir), Some(scope)) = (index.ir(adt.0), index.item_scope(adt.0, adt.1)) else {
            return Ty::Unknown;
        };
        let (ItemKind::Struct(a) | ItemKind::Union(a)) = &ir.item(adt.1).kind else {
            return Ty::Unknown;
        };
        let Some(variant) = a.variants.first() else {
            return Ty::Unknown;
        };
        let field = match variant.shape {
            VariantShape::Named => variant.fields.iter().find(|f| f.name == Some(name)),
            VariantShape::Tuple => name
                .as_str()
                .parse::<usize>()
                .ok()
                .and_then(|i| variant.fields.get(i)),
            VariantShape::Unit => None,
        };
        let Some(field) = field else {
            return Ty::Unknown;
        };
        let generics = self.generics_of(scope, ir, &a.generics);
        self.lower_with(scope, ir, field.ty, &generics, 0)
    }

    /// The type of an expression of the body.
    pub(super) fn of(&mut self, expr: ExprId) -> Ty {
        self.at(expr, 0)
    }

    fn at(&mut self, expr: ExprId, depth: u32) -> Ty {
        if depth > 8 {
            return Ty::Unknown;
        }
        if let Some(ty) = self.cache.get(&expr) {
            return ty.clone();
        }
        let ty = self.compute(expr, depth);
        self.cache.insert(expr, ty.clone());
        ty
    }

    fn compute(&mut self, expr: ExprId, depth: u32) -> Ty {
        let bcx = self.bcx;
        let ir = bcx.ir;
        let scope = bcx.at.scope();
        match &ir.expr(expr).kind {
            ExprKind::Local(l) => self.local(*l, depth),
            ExprKind::Lit(lit) => match lit {
                Lit::Int { .. } | Lit::BigInt | Lit::Float { .. } | Lit::Bool(_) | Lit::Byte => {
                    Ty::Scalar
                }
                Lit::Char => Ty::Char,
                Lit::Str => Ty::Ref(Box::new(Ty::Str)),
                Lit::ByteStr => Ty::Ref(Box::new(Ty::Slice(Box::new(Ty::Scalar)))),
                Lit::CStr => Ty::Unknown,
            },
            ExprKind::Field { base, name } => match self.at(*base, depth + 1).deref() {
                Ty::Adt(adt) => self.field(*adt, *name),
                Ty::Tuple(elems) => name
                    .as_str()
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| elems.get(i).cloned())
                    .unwrap_or(Ty::Unknown),
                _ => Ty::Unknown,
            },
            ExprKind::Index { base, index } => {
                let base = self.at(*base, depth + 1);
                let range = matches!(ir.expr(*index).kind, ExprKind::Range { .. });
                match base.deref() {
                    Ty::Str | Ty::Foreign(..) if is_string(base.deref()) => Ty::Str,
                    Ty::Foreign(path, args)
                        if is_path(path, &["std", "collections", "HashMap"])
                            || is_path(path, &["std", "collections", "BTreeMap"]) =>
                    {
                        args.get(1).cloned().unwrap_or(Ty::Unknown)
                    }
                    other => match other.element() {
                        Some(e) if range => Ty::Slice(Box::new(e)),
                        Some(e) => e,
                        None => Ty::Unknown,
                    },
                }
            }
            ExprKind::Unary {
                op: UnOp::Deref,
                expr,
            } => match self.at(*expr, depth + 1) {
                Ty::Ref(t) | Ty::Ptr(t) => *t,
                Ty::Foreign(path, mut args)
                    if is_path(&path, &["std", "boxed", "Box"])
                        || is_path(&path, &["std", "rc", "Rc"])
                        || is_path(&path, &["std", "sync", "Arc"]) =>
                {
                    if args.is_empty() {
                        Ty::Unknown
                    } else {
                        args.swap_remove(0)
                    }
                }
                _ => Ty::Unknown,
            },
            ExprKind::Unary { expr, .. } => self.at(*expr, depth + 1),
            ExprKind::Ref { expr, raw, .. } => {
                let inner = Box::new(self.at(*expr, depth + 1));
                if *raw { Ty::Ptr(inner) } else { Ty::Ref(inner) }
            }
            ExprKind::Cast { ty, .. } => self.lower(scope, ir, *ty, 0),
            ExprKind::Binary { op, lhs, .. } => match op {
                BinOp::Eq
                | BinOp::Ne
                | BinOp::Lt
                | BinOp::Le
                | BinOp::Gt
                | BinOp::Ge
                | BinOp::And
                | BinOp::Or => Ty::Scalar,
                _ => match self.at(*lhs, depth + 1) {
                    t @ (Ty::Scalar | Ty::Char) => t,
                    Ty::Ref(t) if matches!(*t, Ty::Scalar) => Ty::Scalar,
                    _ => Ty::Unknown,
                },
            },
            ExprKind::Block(b) => match ir.block(*b).tail {
                Some(tail) => self.at(tail, depth + 1),
                None => Ty::Tuple(Vec::new()),
            },
            ExprKind::If { then, .. } => self.at(*then, depth + 1),
            ExprKind::Tuple(list) => {
                let elems = ir.list(*list).to_vec();
                Ty::Tuple(elems.into_iter().map(|e| self.at(e, depth + 1)).collect())
            }
            ExprKind::Array(list) => {
                let first = ir.list(*list).first().copied();
                Ty::Slice(Box::new(
                    first.map_or(Ty::Unknown, |e| self.at(e, depth + 1)),
                ))
            }
            ExprKind::Repeat { elem, .. } => Ty::Slice(Box::new(self.at(*elem, depth + 1))),
            ExprKind::Try(inner) | ExprKind::Await(inner) => match self.at(*inner, depth + 1) {
                Ty::Foreign(path, mut args)
                    if (is_path(&path, &["std", "option", "Option"])
                        || is_path(&path, &["std", "result", "Result"]))
                        && !args.is_empty() =>
                {
                    args.swap_remove(0)
                }
                _ => Ty::Unknown,
            },
            ExprKind::Struct(lit) => match bcx.resolve_path_id(ir.struct_lit(*lit).path) {
                Some(r) => match r.def {
                    Def::Item(file, item) => self.adt(file, item),
                    _ => Ty::Unknown,
                },
                None => Ty::Unknown,
            },
            ExprKind::Path(_) => self.path_value(expr),
            ExprKind::Macro(m) => {
                let m = ir.macro_call(*m);
                match ir.path_last(ir.path(m.path)).map(|s| s.as_str()) {
                    Some("vec") => foreign(&["std", "vec", "Vec"], Vec::new()),
                    Some("format") => foreign(&["std", "string", "String"], Vec::new()),
                    _ => Ty::Unknown,
                }
            }
            ExprKind::Call { callee, args } => self.call(*callee, *args, depth),
            ExprKind::MethodCall(m) => self.method_result(*m, depth),
            _ => Ty::Unknown,
        }
    }

    fn adt(&self, file: FileId, item: ItemId) -> Ty {
        match self.bcx.cx.index.item(file, item).map(|i| &i.kind) {
            Some(ItemKind::Struct(_) | ItemKind::Enum(_) | ItemKind::Union(_)) => {
                Ty::Adt((file, item))
            }
            _ => Ty::Unknown,
        }
    }

    /// A unit struct, a constant or a static, named by a path.
    fn path_value(&self, expr: ExprId) -> Ty {
        let Some(resolved) = self.bcx.resolve_path(expr) else {
            return Ty::Unknown;
        };
        let Def::Item(file, item) = resolved.def else {
            return Ty::Unknown;
        };
        if resolved.rest != 0 {
            return Ty::Unknown;
        }
        let index = &self.bcx.cx.index;
        let (Some(ir), Some(scope)) = (index.ir(file), index.item_scope(file, item)) else {
            return Ty::Unknown;
        };
        match &ir.item(item).kind {
            ItemKind::Const { ty, .. } => self.lower_with(scope, ir, *ty, &Vec::new(), 0),
            ItemKind::Static(s) => self.lower_with(scope, ir, s.ty, &Vec::new(), 0),
            ItemKind::Struct(_) => Ty::Adt((file, item)),
            _ => Ty::Unknown,
        }
    }

    fn local(&mut self, local: LocalId, depth: u32) -> Ty {
        let bcx = self.bcx;
        let l = bcx.body.local(local);
        if l.kind == LocalKind::SelfParam {
            let kind = bcx
                .function()
                .and_then(|f| f.sig.self_param)
                .map(|s| s.kind);
            return match kind {
                Some(SelfKind::Typed(ty)) => self.lower(bcx.at.scope(), bcx.ir, ty, 0),
                Some(SelfKind::Value) => self.self_ty.clone(),
                Some(SelfKind::Ref | SelfKind::RefMut) | None => {
                    Ty::Ref(Box::new(self.self_ty.clone()))
                }
            };
        }
        if let Some(ty) = l.ty {
            return self.lower(bcx.at.scope(), bcx.ir, ty, 0);
        }
        if let Some(init) = bcx.let_init(local) {
            return self.at(init, depth + 1);
        }
        let Some((iter, indices)) = self.for_locals().get(&local).cloned() else {
            return Ty::Unknown;
        };
        let mut ty = self.item_of(iter, depth + 1);
        for i in indices {
            ty = match ty.deref() {
                Ty::Tuple(elems) => elems.get(i as usize).cloned().unwrap_or(Ty::Unknown),
                _ => Ty::Unknown,
            };
        }
        ty
    }

    /// Locals bound by the patterns of the body's `for` loops.
    fn for_locals(&mut self) -> &FxHashMap<LocalId, (ExprId, Vec<u32>)> {
        if self.for_locals.is_none() {
            let ir = self.bcx.ir;
            let mut map = FxHashMap::default();
            walk::walk(ir, self.bcx.body.value, &mut |_, _, e| {
                if let ExprKind::For { pat, iter, .. } = e.kind {
                    bind(ir, pat, iter, &mut Vec::new(), &mut map);
                }
            });
            self.for_locals = Some(map);
        }
        self.for_locals.as_ref().expect("filled above")
    }

    /// The item an iterator expression yields, for a `for` loop over it: a slice's
    /// references, a range's numbers, and what `iter`, `iter_mut`, `enumerate`, `zip`,
    /// `chunks`, `rev`, `skip`, `take`, `copied` make of them.
    fn item_of(&mut self, iter: ExprId, depth: u32) -> Ty {
        if depth > 8 {
            return Ty::Unknown;
        }
        let ir = self.bcx.ir;
        match &ir.expr(iter).kind {
            ExprKind::Range { .. } => Ty::Scalar,
            ExprKind::MethodCall(m) => {
                let m = ir.method_call(*m);
                let receiver = m.receiver;
                match m.method.as_str() {
                    "iter" | "iter_mut" => match self.at(receiver, depth + 1).element() {
                        Some(e) => Ty::Ref(Box::new(e)),
                        None => Ty::Unknown,
                    },
                    "chunks" | "chunks_mut" | "chunks_exact" | "chunks_exact_mut" | "windows"
                    | "rchunks" => match self.at(receiver, depth + 1).element() {
                        Some(e) => Ty::Ref(Box::new(Ty::Slice(Box::new(e)))),
                        None => Ty::Unknown,
                    },
                    "enumerate" => Ty::Tuple(vec![Ty::Scalar, self.item_of(receiver, depth + 1)]),
                    "zip" => {
                        let other = ir.list(m.args).first().copied();
                        let b = other.map_or(Ty::Unknown, |o| self.item_of(o, depth + 1));
                        Ty::Tuple(vec![self.item_of(receiver, depth + 1), b])
                    }
                    "rev" | "skip" | "take" | "step_by" | "by_ref" | "into_iter" | "fuse"
                    | "peekable" => self.item_of(receiver, depth + 1),
                    "copied" | "cloned" => match self.item_of(receiver, depth + 1) {
                        Ty::Ref(t) => *t,
                        other => other,
                    },
                    _ => Ty::Unknown,
                }
            }
            _ => {
                let ty = self.at(iter, depth + 1);
                match &ty {
                    Ty::Ref(inner) => match inner.element() {
                        Some(e) => Ty::Ref(Box::new(e)),
                        None => Ty::Unknown,
                    },
                    other => other.element().unwrap_or(Ty::Unknown),
                }
            }
        }
    }

    /// What a call returns: a crate function's declared return type, a std constructor's
    /// type, a struct or variant constructor's.
    fn call(&mut self, callee: ExprId, args: List<ExprId>, depth: u32) -> Ty {
        let bcx = self.bcx;
        let Some(resolved) = bcx.resolve_path(callee) else {
            return Ty::Unknown;
        };
        let index = &bcx.cx.index;
        match resolved.def {
            Def::External(path) => {
                if is_path(&path, &["std", "option", "Option", "Some"]) {
                    let arg = bcx.ir.list(args).first().copied();
                    let inner = arg.map_or(Ty::Unknown, |a| self.at(a, depth + 1));
                    return foreign(&["std", "option", "Option"], vec![inner]);
                }
                let (ty, ctor) = path.split_at(path.len().saturating_sub(1));
                match ctor.first().map(|s| s.as_str()) {
                    Some("new" | "with_capacity" | "default" | "from" | "from_iter")
                        if crate::facts::api::StdType::of_path(ty).is_some() =>
                    {
                        Ty::Foreign(ty.into(), Vec::new())
                    }
                    _ => Ty::Unknown,
                }
            }
            Def::Item(file, item) => match index.item(file, item).map(|i| &i.kind) {
                Some(ItemKind::Fn(_)) if resolved.rest == 0 => self.returns((file, item), None),
                Some(ItemKind::Struct(_)) if resolved.rest == 0 => Ty::Adt((file, item)),
                Some(ItemKind::Struct(_) | ItemKind::Enum(_) | ItemKind::Union(_))
                    if resolved.rest == 1 =>
                {
                    let name = match &bcx.ir.expr(callee).kind {
                        ExprKind::Path(p) => bcx.ir.path_last(bcx.ir.path(*p)),
                        _ => None,
                    };
                    match name.and_then(|n| index.inherent_method((file, item), n)) {
                        Some(key) => self.returns(key, Some(Ty::Adt((file, item)))),
                        // An enum variant.
                        None => Ty::Adt((file, item)),
                    }
                }
                _ => Ty::Unknown,
            },
            Def::Module(_) => Ty::Unknown,
        }
    }

    /// A crate function's declared return type; `Self` is `self_ty`, or the function's own
    /// impl's type.
    pub(super) fn returns(&self, key: (FileId, ItemId), self_ty: Option<Ty>) -> Ty {
        let index = &self.bcx.cx.index;
        let (Some(ir), Some(scope)) = (index.ir(key.0), index.item_scope(key.0, key.1)) else {
            return Ty::Unknown;
        };
        let ItemKind::Fn(f) = &ir.item(key.1).kind else {
            return Ty::Unknown;
        };
        let Some(ret) = f.sig.ret else {
            return Ty::Tuple(Vec::new());
        };
        if let (TyKind::Path(p), Some(self_ty)) = (&ir.ty(ret).kind, &self_ty)
            && ir.path_ident(ir.path(*p)).is_some_and(|n| n.is("Self"))
        {
            return self_ty.clone();
        }
        // The callee's own generics stand for anything.
        let generics: Generics = f
            .sig
            .generics
            .params
            .iter()
            .map(|p| (p.name, Vec::new()))
            .collect();
        if let Some(self_ty) = self_ty {
            let mut typer = Typer {
                bcx: self.bcx,
                generics: Vec::new(),
                self_ty,
                for_locals: None,
                cache: FxHashMap::default(),
            };
            typer.generics = generics.clone();
            return typer.lower_with(scope, ir, ret, &generics, 0);
        }
        self.lower_with(scope, ir, ret, &generics, 0)
    }

    /// What a method call returns, when the method is a crate method found on a known
    /// receiver, or one of a few std methods that return their element or their content.
    fn method_result(&mut self, m: MethodCallId, depth: u32) -> Ty {
        let ir = self.bcx.ir;
        let m = ir.method_call(m);
        let receiver = self.at(m.receiver, depth + 1);
        let base = receiver.deref().clone();
        if let Ty::Adt(adt) = base {
            return match self.bcx.cx.index.inherent_method(adt, m.method) {
                Some(key) => self.returns(key, Some(Ty::Adt(adt))),
                None => Ty::Unknown,
            };
        }
        let option = |t: Ty| foreign(&["std", "option", "Option"], vec![t]);
        match (m.method.as_str(), &base) {
            ("unwrap" | "expect" | "unwrap_or" | "unwrap_or_default" | "unwrap_unchecked", _) => {
                match &base {
                    Ty::Foreign(path, args)
                        if is_path(path, &["std", "option", "Option"])
                            || is_path(path, &["std", "result", "Result"]) =>
                    {
                        args.first().cloned().unwrap_or(Ty::Unknown)
                    }
                    _ => Ty::Unknown,
                }
            }
            ("get" | "first" | "last", _) => match base.element() {
                Some(e) => option(Ty::Ref(Box::new(e))),
                None => Ty::Unknown,
            },
            ("get_mut" | "first_mut" | "last_mut", _) => match base.element() {
                Some(e) => option(Ty::Ref(Box::new(e))),
                None => Ty::Unknown,
            },
            ("pop", _) => match base.element() {
                Some(e) => option(e),
                None => Ty::Unknown,
            },
            ("as_slice" | "as_mut_slice", _) => match base.element() {
                Some(e) => Ty::Ref(Box::new(Ty::Slice(Box::new(e)))),
                None => Ty::Unknown,
            },
            ("clone", Ty::Foreign(..) | Ty::Scalar | Ty::Char) => base.clone(),
            ("len" | "capacity" | "count" | "is_empty" | "load", _) => Ty::Scalar,
            (
                "abs" | "min" | "max" | "clamp" | "sqrt" | "sin" | "cos" | "powi" | "powf"
                | "mul_add" | "wrapping_add" | "wrapping_sub" | "wrapping_mul" | "saturating_add"
                | "saturating_sub" | "floor" | "ceil" | "round",
                Ty::Scalar,
            ) => Ty::Scalar,
            _ => Ty::Unknown,
        }
    }
}

/// `Generics` as the IR has them (the name `Generics` is this module's list of bounds).
type Generics_ = crate::ir::Generics;

fn is_string(ty: &Ty) -> bool {
    matches!(ty, Ty::Foreign(path, _) if is_path(path, &["std", "string", "String"]))
}

/// Records the locals a `for` pattern binds, with the tuple indices down to each.
fn bind(
    ir: &FileIr,
    pat: PatId,
    iter: ExprId,
    indices: &mut Vec<u32>,
    out: &mut FxHashMap<LocalId, (ExprId, Vec<u32>)>,
) {
    match &ir.pat(pat).kind {
        PatKind::Bind { local, sub: None } => {
            out.insert(*local, (iter, indices.clone()));
        }
        PatKind::Tuple(elems) => {
            for (i, &p) in ir.list(*elems).iter().enumerate() {
                indices.push(i as u32);
                bind(ir, p, iter, indices, out);
                indices.pop();
            }
        }
        _ => {}
    }
}

/// A path of another crate, without the index's `{unresolved}` mark: an import of a crate
/// that is not a dependency the tool knows of is still another crate's code, and is named
/// (and assumed, in the configuration) by the path written.
pub(super) fn other_crate(path: Box<[Sym]>) -> Box<[Sym]> {
    match path.split_first() {
        Some((first, rest)) if first.is("{unresolved}") => rest.into(),
        _ => path,
    }
}
