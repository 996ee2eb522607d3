//! [`Ty`]: a type as far as it is known, and written types lowered into it.
//!
//! A `Ty` is built from what the code writes (a signature, a field, a `let` annotation, an
//! alias) or from what builds a value. Whatever is not known is [`Ty::Unknown`], at any depth:
//! `Vec<_>` is a `Vec` of something unknown, which is still certainly a `Vec`.

use super::{Type, Types};
use crate::index::Def;
use crate::ir::{ExprKind, GenericArg, GenericArgs, GenericParamKind, Generics, Lit, TyId, TyKind};
use crate::sym::Sym;

/// A type, as far as it is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    /// A struct, enum or union of the crate, or a type of another crate (by canonical path),
    /// with its generic type arguments as far as they are known.
    Named(Type, Box<[Ty]>),
    /// A primitive: `u8`, `bool`, `char`, `str`...
    Prim(Sym),
    Ref {
        mutable: bool,
        inner: Box<Ty>,
    },
    Tuple(Box<[Ty]>),
    /// `[T; N]`, with `N` when it is a literal.
    Array(Box<Ty>, Option<u64>),
    Slice(Box<Ty>),
    /// A generic type parameter of the body's function or impl (or `Self` in a trait), with
    /// the traits it is bound by.
    Param {
        name: Sym,
        bounds: Box<[Bound]>,
    },
    /// `dyn A + B`.
    Dyn(Box<[Bound]>),
    /// `impl A + B`.
    Impl(Box<[Bound]>),
    /// `*const T`, `*mut T`.
    Ptr {
        mutable: bool,
        inner: Box<Ty>,
    },
    /// A function pointer.
    FnPtr,
    Unknown,
}

/// A trait a bound names: the last segment of its path, and the trait it resolves to when it
/// does (`Type::Crate` is then a trait of the crate, `Type::External` another crate's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bound {
    pub name: Sym,
    pub resolved: Option<Type>,
}

impl Bound {
    pub fn is(&self, name: &str) -> bool {
        self.name.is(name)
    }
}

const PRIMITIVES: &[&str] = &[
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32",
    "f64", "bool", "char", "str",
];

impl Ty {
    pub fn is_known(&self) -> bool {
        !matches!(self, Ty::Unknown)
    }

    /// `Some(self)` unless unknown.
    pub fn known(self) -> Option<Ty> {
        self.is_known().then_some(self)
    }

    /// A type of another crate with its arguments: `std::vec::Vec<T>`.
    pub fn external(path: &[&str], args: Vec<Ty>) -> Ty {
        Ty::Named(
            Type::External(path.iter().map(|p| Sym::new(p)).collect()),
            args.into(),
        )
    }

    /// The primitive type a single-segment path names, if it names one.
    pub fn primitive(name: Sym) -> Option<Ty> {
        PRIMITIVES
            .contains(&name.as_str())
            .then_some(Ty::Prim(name))
    }

    pub fn prim(name: &str) -> Ty {
        Ty::Prim(Sym::new(name))
    }

    pub fn reference(self, mutable: bool) -> Ty {
        Ty::Ref {
            mutable,
            inner: Box::new(self),
        }
    }

    /// The generic arguments of a named type.
    pub fn args(&self) -> &[Ty] {
        match self {
            Ty::Named(_, args) => args,
            _ => &[],
        }
    }

    /// The `i`th generic argument, `Unknown` when absent.
    pub fn arg(&self, i: usize) -> Ty {
        self.args().get(i).cloned().unwrap_or(Ty::Unknown)
    }

    /// Whether this is the external type with this canonical path.
    pub fn is(&self, path: &[&str]) -> bool {
        match self {
            Ty::Named(Type::External(p), _) => {
                p.len() == path.len() && p.iter().zip(path).all(|(a, b)| a.is(b))
            }
            _ => false,
        }
    }

    /// Whether this is a std type whose last path segment is `name` (`Vec`, `HashMap`).
    pub fn is_std(&self, name: &str) -> bool {
        match self {
            Ty::Named(Type::External(p), _) => {
                p.first().is_some_and(|s| s.is("std")) && p.last().is_some_and(|s| s.is(name))
            }
            _ => false,
        }
    }

    /// One step of `*`: through a reference, `Box`, `Rc`, `Arc`, and the guards of `Mutex`,
    /// `RwLock` and `RefCell`. `None` when the type does not deref to something known.
    pub fn deref(&self) -> Option<Ty> {
        match self {
            Ty::Ref { inner, .. } => Some((**inner).clone()),
            Ty::Named(Type::External(p), args)
                if p.first().is_some_and(|s| s.is("std"))
                    && p.last().is_some_and(|s| {
                        matches!(
                            s.as_str(),
                            "Box"
                                | "Rc"
                                | "Arc"
                                | "MutexGuard"
                                | "RwLockReadGuard"
                                | "RwLockWriteGuard"
                                | "Ref"
                                | "RefMut"
                                | "ManuallyDrop"
                        )
                    }) =>
            {
                args.first().cloned()
            }
            // `String` derefs to `str`, `Vec<T>` to `[T]`.
            _ if self.is(&["std", "string", "String"]) => Some(Ty::prim("str")),
            _ if self.is(&["std", "vec", "Vec"]) => Some(Ty::Slice(Box::new(self.arg(0)))),
            _ => None,
        }
    }

    /// Through references only: `&&T` is `T`.
    pub fn peel_refs(&self) -> &Ty {
        let mut ty = self;
        while let Ty::Ref { inner, .. } = ty {
            ty = inner;
        }
        ty
    }
}

/// What the names of a written type stand for beyond the crate's items: `Self`, and generic
/// parameters, each either a known type (substituted) or kept as a parameter of the body.
#[derive(Clone, Debug, Default)]
pub struct Env {
    pub self_ty: Option<Ty>,
    /// Generic parameters and what they stand for (`Ty::Param` for the body's own,
    /// `Ty::Unknown` for a callee's that the call does not fix).
    pub params: Vec<(Sym, Ty)>,
}

impl Env {
    /// Every type parameter of `generics` as unknown.
    pub fn unknown_params(&mut self, generics: &Generics) {
        for p in generics.params.iter() {
            if matches!(p.kind, GenericParamKind::Type { .. }) {
                self.params.push((p.name, Ty::Unknown));
            }
        }
    }

    /// `name` stands for `ty`, before any earlier binding of the name.
    pub fn bind(&mut self, name: Sym, ty: Ty) {
        self.params.insert(0, (name, ty));
    }

    fn get(&self, name: Sym) -> Option<&Ty> {
        self.params.iter().find(|(n, _)| *n == name).map(|(_, t)| t)
    }
}

/// The type parameters of `generics` as parameters of the body, with their bounds.
pub fn body_params(types: &Types<'_, '_>, generics: &Generics, env: &mut Env) {
    for p in generics.params.iter() {
        if let GenericParamKind::Type { bounds } = p.kind {
            let bounds = types.bounds(bounds);
            env.params.push((
                p.name,
                Ty::Param {
                    name: p.name,
                    bounds,
                },
            ));
        }
    }
}

/// Std aliases whose targets matter: `io::Result<T>` is `Result<T, io::Error>`.
fn std_alias(path: &[Sym], args: &[Ty]) -> Option<Ty> {
    let is = |p: &[&str]| path.len() == p.len() && path.iter().zip(p).all(|(a, b)| a.is(b));
    let result = |ok: Ty, err: &[&str]| {
        Ty::external(
            &["std", "result", "Result"],
            vec![ok, Ty::external(err, Vec::new())],
        )
    };
    let first = || args.first().cloned().unwrap_or(Ty::Unknown);
    if is(&["std", "io", "Result"]) {
        Some(result(first(), &["std", "io", "Error"]))
    } else if is(&["std", "fmt", "Result"]) {
        Some(result(Ty::Tuple(Box::new([])), &["std", "fmt", "Error"]))
    } else {
        None
    }
}

impl Types<'_, '_> {
    /// The traits of a list of bounds written here (lifetimes and the like left out).
    pub fn bounds(&self, bounds: crate::ir::List<TyId>) -> Box<[Bound]> {
        let ir = self.ir();
        ir.list(bounds)
            .iter()
            .filter_map(|&b| match ir.ty(b).kind {
                TyKind::Path(path) => Some(Bound {
                    name: ir.path_last(ir.path(path))?,
                    resolved: self.trait_at(path),
                }),
                _ => None,
            })
            .collect()
    }

    /// The trait a path names, when it resolves to one (or to another crate's item).
    fn trait_at(&self, path: crate::ir::PathId) -> Option<Type> {
        let resolved = self.cx.index.resolve(self.scope, path)?;
        match resolved.def {
            Def::Item(file, item) if resolved.rest == 0 => Some(Type::Crate((file, item))),
            Def::External(p) if resolved.rest == 0 => Some(Type::External(p)),
            _ => None,
        }
    }

    /// A written type, with `env` saying what `Self` and generic parameters are.
    pub fn lower(&self, ty: TyId, env: &Env) -> Ty {
        self.lower_at(ty, env, 0)
    }

    fn lower_at(&self, ty: TyId, env: &Env, depth: u32) -> Ty {
        if depth > 12 {
            return Ty::Unknown;
        }
        let ir = self.ir();
        match ir.ty(ty).kind {
            TyKind::Path(_) => self.lower_path(ty, env, depth),
            TyKind::Ref { mutable, ty } => self.lower_at(ty, env, depth + 1).reference(mutable),
            TyKind::Tuple(list) => Ty::Tuple(
                ir.list(list)
                    .iter()
                    .map(|&t| self.lower_at(t, env, depth + 1))
                    .collect(),
            ),
            TyKind::Array { elem, len } => {
                let len = match ir.expr(len).kind {
                    ExprKind::Lit(Lit::Int { value, .. }) => Some(value),
                    _ => None,
                };
                Ty::Array(Box::new(self.lower_at(elem, env, depth + 1)), len)
            }
            TyKind::Slice(elem) => Ty::Slice(Box::new(self.lower_at(elem, env, depth + 1))),
            TyKind::Dyn(bounds) => Ty::Dyn(self.bounds(bounds)),
            TyKind::Impl(bounds) => Ty::Impl(self.bounds(bounds)),
            TyKind::Ptr { mutable, ty } => Ty::Ptr {
                mutable,
                inner: Box::new(self.lower_at(ty, env, depth + 1)),
            },
            TyKind::FnPtr { .. } => Ty::FnPtr,
            TyKind::Never | TyKind::Infer | TyKind::Missing => Ty::Unknown,
        }
    }

    fn lower_path(&self, ty: TyId, env: &Env, depth: u32) -> Ty {
        let ir = self.ir();
        let TyKind::Path(p) = ir.ty(ty).kind else {
            return Ty::Unknown;
        };
        let path = ir.path(p);
        if path.qself.is_some() {
            return Ty::Unknown;
        }
        let segments = ir.list(path.segments);
        if let [seg] = segments
            && !path.global
        {
            if seg.name.is("Self") {
                return env.self_ty.clone().unwrap_or(Ty::Unknown);
            }
            if let Some(t) = env.get(seg.name) {
                return t.clone();
            }
        }
        // `Self::Item`, `T::Output`: associated types are not known.
        if segments.len() > 1
            && !path.global
            && (segments[0].name.is("Self") || env.get(segments[0].name).is_some())
        {
            return Ty::Unknown;
        }
        let args: Vec<Ty> = segments
            .last()
            .and_then(|s| s.args)
            .map(|a| match *ir.generic_args(a) {
                GenericArgs::Angle(list) => ir
                    .list(list)
                    .iter()
                    .filter_map(|g| match g {
                        GenericArg::Type(t) => Some(self.lower_at(*t, env, depth + 1)),
                        _ => None,
                    })
                    .collect(),
                GenericArgs::Paren { .. } => Vec::new(),
            })
            .unwrap_or_default();
        let candidates = self.cx.index.resolve_all(self.scope, p);
        let mut found: Option<Ty> = None;
        for resolved in candidates.iter() {
            let ty = self.named(&resolved.def, resolved.rest, &args, depth);
            match &found {
                None => found = Some(ty),
                // Candidates under opposite `cfg`s that disagree: unknown.
                Some(other) if *other != ty => return Ty::Unknown,
                Some(_) => {}
            }
        }
        match found {
            Some(ty) => ty,
            None => match segments {
                [seg] if !path.global && PRIMITIVES.contains(&seg.name.as_str()) => {
                    Ty::Prim(seg.name)
                }
                _ => Ty::Unknown,
            },
        }
    }

    /// What a resolved path type is, given its lowered arguments.
    fn named(&self, def: &Def, rest: usize, args: &[Ty], depth: u32) -> Ty {
        if rest != 0 {
            return Ty::Unknown;
        }
        match def {
            Def::External(path) => std_alias(path, args)
                .unwrap_or_else(|| Ty::Named(Type::External(path.clone()), args.into())),
            Def::Item(file, item) => {
                let Some(it) = self.cx.index.item(*file, *item) else {
                    return Ty::Unknown;
                };
                match &it.kind {
                    crate::ir::ItemKind::Struct(_)
                    | crate::ir::ItemKind::Enum(_)
                    | crate::ir::ItemKind::Union(_) => {
                        Ty::Named(Type::Crate((*file, *item)), args.into())
                    }
                    crate::ir::ItemKind::TypeAlias {
                        generics,
                        ty: Some(target),
                    } => {
                        let Some(types) = Types::of_any_item(self.cx, *file, *item) else {
                            return Ty::Unknown;
                        };
                        let mut env = Env::default();
                        let params = generics
                            .params
                            .iter()
                            .filter(|p| matches!(p.kind, GenericParamKind::Type { .. }));
                        for (i, p) in params.enumerate() {
                            env.params
                                .push((p.name, args.get(i).cloned().unwrap_or(Ty::Unknown)));
                        }
                        types.lower_at(*target, &env, depth + 1)
                    }
                    _ => Ty::Unknown,
                }
            }
            Def::Module(_) => Ty::Unknown,
        }
    }
}
