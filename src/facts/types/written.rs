//! Reading written types: which std type a path names, what a `Box` holds, whether a type is
//! recursive, what it owns, whether it can hold a pointer.

use super::{Owns, Pointer, Types};
use crate::index::Def;
use crate::ir::{GenericArg, TyId, TyKind};
use crate::sym::Sym;

/// A std path and its type arguments, each with where it is written.
pub type SeenPath<'c, 'a> = (Box<[Sym]>, Vec<(Types<'c, 'a>, TyId)>);

impl<'c, 'a> Types<'c, 'a> {
    /// Types written in a scope.
    pub fn at(cx: &'c crate::facts::CrateCx<'a>, scope: crate::index::ScopeRef) -> Types<'c, 'a> {
        Types {
            cx,
            file: scope.file,
            scope,
        }
    }

    /// Types written in the signature or body of `bcx`'s function.
    pub fn of_body(bcx: &crate::facts::BodyCx<'c, 'a>) -> Types<'c, 'a> {
        Types {
            cx: bcx.cx,
            file: bcx.file(),
            scope: bcx.at.scope(),
        }
    }

    /// Types written in an item's fields or signature (possibly in another file).
    pub fn of_item(
        cx: &'c crate::facts::CrateCx<'a>,
        file: crate::diagnostic::FileId,
        item: crate::ir::ItemId,
    ) -> Option<Types<'c, 'a>> {
        let scope = cx.index.item_scope(file, item)?;
        Some(Types { cx, file, scope })
    }

    /// Types written in an item's fields, for an item declared at module level or inside a
    /// function body (a guard `struct` declared where it is used).
    pub(super) fn of_any_item(
        cx: &'c crate::facts::CrateCx<'a>,
        file: crate::diagnostic::FileId,
        item: crate::ir::ItemId,
    ) -> Option<Types<'c, 'a>> {
        Types::of_item(cx, file, item).or_else(|| {
            let ir = cx.loaded.ir(file)?;
            let at = cx
                .index
                .bodies
                .iter()
                .find(|b| b.file == file && ir.body(b.body).items.contains(&item))?;
            Some(Types {
                cx,
                file,
                scope: at.scope(),
            })
        })
    }

    pub(super) fn ir(&self) -> &'a crate::ir::FileIr {
        self.cx
            .loaded
            .ir(self.file)
            .expect("a file with types has an IR")
    }

    /// What a path type resolves to, and its generic arguments (of the last segment).
    pub(super) fn resolve(&self, ty: TyId) -> Option<(Def, usize, Vec<TyId>)> {
        let ir = self.ir();
        let TyKind::Path(path) = ir.ty(ty).kind else {
            return None;
        };
        let resolved = self.cx.index.resolve(self.scope, path)?;
        let args = ir
            .list(ir.path(path).segments)
            .last()
            .and_then(|s| s.args)
            .map(|a| match *ir.generic_args(a) {
                crate::ir::GenericArgs::Angle(list) => ir
                    .list(list)
                    .iter()
                    .filter_map(|g| match g {
                        GenericArg::Type(t) => Some(*t),
                        _ => None,
                    })
                    .collect(),
                crate::ir::GenericArgs::Paren { .. } => Vec::new(),
            })
            .unwrap_or_default();
        Some((resolved.def, resolved.rest, args))
    }

    /// A `Box`, `Rc`, `Arc`, `Vec` or `String`: a value whose contents are behind a pointer.
    pub fn owns_through_pointer(&self, ty: TyId) -> bool {
        self.pointer(ty).is_some()
            || self.std_path(ty).is_some_and(|(p, _)| {
                let p: Vec<&str> = p.iter().map(|s| s.as_str()).collect();
                matches!(
                    p.as_slice(),
                    ["std", "vec", "Vec"]
                        | ["std", "string", "String"]
                        | ["std", "collections", "VecDeque"]
                )
            })
    }

    /// `Box<T>`, `Rc<T>` or `Arc<T>`: which, and `T`.
    pub fn pointer(&self, ty: TyId) -> Option<(Pointer, TyId)> {
        let (path, args) = self.std_path(ty)?;
        Some((Pointer::of_path(&path)?, *args.first()?))
    }

    /// The std path of a path type, with its type arguments.
    pub fn std_path(&self, ty: TyId) -> Option<(Box<[Sym]>, Vec<TyId>)> {
        match self.resolve(ty)? {
            (Def::External(path), 0, args) => Some((path, args)),
            _ => None,
        }
    }

    /// As [`Self::std_path`], seen through the crate's type aliases, generic ones included,
    /// with each argument and where it is written: under
    /// `type Result<T> = std::result::Result<T, Error>`, the return type `Result<Box<Config>>`
    /// is `std::result::Result` of `Box<Config>` (written here, for the alias's `T`) and
    /// `Error` (written at the alias). A parameter the alias leaves without an argument stays
    /// as written at the alias, and names no type.
    pub fn std_path_seen(&self, ty: TyId) -> Option<SeenPath<'c, 'a>> {
        self.std_path_seen_at(ty, 0)
    }

    fn std_path_seen_at(&self, ty: TyId, depth: u32) -> Option<SeenPath<'c, 'a>> {
        let (def, rest, args) = self.resolve(ty)?;
        if rest != 0 {
            return None;
        }
        let (file, item) = match def {
            Def::External(path) => {
                return Some((path, args.into_iter().map(|t| (*self, t)).collect()));
            }
            Def::Item(file, item) if depth < 4 => (file, item),
            _ => return None,
        };
        let alias = Types::of_any_item(self.cx, file, item)?;
        let alias_ir = alias.ir();
        let crate::ir::ItemKind::TypeAlias {
            generics,
            ty: Some(target),
        } = &alias_ir.item(item).kind
        else {
            return None;
        };
        let params: Vec<Sym> = generics
            .params
            .iter()
            .filter(|p| matches!(p.kind, crate::ir::GenericParamKind::Type { .. }))
            .map(|p| p.name)
            .collect();
        let within = alias_ir.item(item).span;
        let (path, seen) = alias.std_path_seen_at(*target, depth + 1)?;
        // The alias's own parameters, written in its definition, stand for the arguments
        // written here.
        let seen = seen
            .into_iter()
            .map(|(types, t)| {
                let written = types.ir().ty(t);
                let at_alias = types.file == file && within.contains(written.span);
                let param = match written.kind {
                    TyKind::Path(p) if at_alias => {
                        let p = types.ir().path(p);
                        let single = p.qself.is_none() && types.ir().list(p.segments).len() == 1;
                        single
                            .then(|| types.ir().path_ident(p))
                            .flatten()
                            .and_then(|n| params.iter().position(|&q| q == n))
                    }
                    _ => None,
                };
                match param.and_then(|i| args.get(i)) {
                    Some(&arg) => Some((*self, arg)),
                    // `Box<T>` in `type Shaped<T> = Option<Box<T>>`: the parameter inside
                    // stands for a type written elsewhere, which this reading cannot carry.
                    None if param.is_none() && at_alias && mentions(types.ir(), t, &params) => None,
                    None => Some((types, t)),
                }
            })
            .collect::<Option<Vec<_>>>()?;
        Some((path, seen))
    }

    /// As [`Self::pointer`], seen through the crate's type aliases ([`Self::std_path_seen`]):
    /// the pointer, and `T` with where it is written.
    pub fn pointer_seen(&self, ty: TyId) -> Option<(Pointer, (Types<'c, 'a>, TyId))> {
        let (path, args) = self.std_path_seen(ty)?;
        Some((Pointer::of_path(&path)?, *args.first()?))
    }

    /// `Box<dyn Trait>` (or `Rc`, `Arc`), directly, behind a reference, or as the element of
    /// a container (`Vec<Box<dyn Trait>>`, `Option<..>`): the pointer type's text.
    pub fn dyn_pointer(&self, ty: TyId) -> Option<String> {
        self.dyn_box(ty).map(|(text, _)| text)
    }

    /// As [`Self::dyn_pointer`], with the `dyn Trait` type too. A type alias of the same file
    /// (`type ThreadNameFn = Arc<dyn Fn() -> String>`) is read through, one level, so that
    /// the `dyn` type is still a type of this file.
    pub fn dyn_box(&self, ty: TyId) -> Option<(String, TyId)> {
        self.dyn_box_at(ty, true)
    }

    fn dyn_box_at(&self, ty: TyId, through_alias: bool) -> Option<(String, TyId)> {
        let ir = self.ir();
        let ty = match ir.ty(ty).kind {
            TyKind::Ref { ty, .. } => ty,
            _ => ty,
        };
        if through_alias
            && let Some((types, target)) = self.alias_target(ty)
            && let Some(found) = types.dyn_box_at(target, false)
        {
            return Some(found);
        }
        let direct = |t: TyId| {
            let (_, inner) = self.pointer(t)?;
            matches!(ir.ty(inner).kind, TyKind::Dyn(_))
                .then(|| (crate::facts::display::Printer::new(ir, None).ty(t), inner))
        };
        // In a container, or in an alias's (`ImageResult<Box<dyn Decoder>>` under
        // `type ImageResult<T> = Result<T, ImageError>`): the box written here.
        direct(ty).or_else(|| {
            let (_, args) = self.std_path_seen(ty)?;
            args.iter()
                .find_map(|&(types, arg)| (types.file == self.file).then(|| direct(arg))?)
        })
    }

    /// The type a type alias of the same file stands for, with the types of the alias's
    /// scope: `Arc<dyn Fn() -> String>` for `ThreadNameFn`. One level; `None` for any other
    /// type.
    pub fn alias_target(&self, ty: TyId) -> Option<(Types<'c, 'a>, TyId)> {
        let Some((Def::Item(file, item), 0, _)) = self.resolve(ty) else {
            return None;
        };
        if file != self.file {
            return None;
        }
        let crate::ir::ItemKind::TypeAlias {
            ty: Some(target), ..
        } = self.ir().item(item).kind
        else {
            return None;
        };
        Some((Types::of_item(self.cx, file, item)?, target))
    }

    /// The trait a `dyn` type names: `Shape` for `dyn Shape + Send`.
    pub fn dyn_trait(&self, ty: TyId) -> Option<String> {
        let ir = self.ir();
        let TyKind::Dyn(bounds) = ir.ty(ty).kind else {
            return None;
        };
        let first = *ir.list(bounds).first()?;
        Some(crate::facts::display::Printer::new(ir, None).ty(first))
    }

    /// A type without a size known at compile time: `dyn Trait`, `[T]`, `str`.
    pub fn is_unsized(&self, ty: TyId) -> bool {
        let ir = self.ir();
        match ir.ty(ty).kind {
            TyKind::Dyn(_) | TyKind::Slice(_) => true,
            TyKind::Path(p) => ir.path_ident(ir.path(p)).is_some_and(|n| n.is("str")),
            _ => false,
        }
    }

    /// A generic parameter of the function or impl, `impl Trait`, or `_`: not a known type.
    pub fn is_opaque(&self, ty: TyId, generics: &[Sym]) -> bool {
        let ir = self.ir();
        match ir.ty(ty).kind {
            TyKind::Impl(_) | TyKind::Infer | TyKind::Missing => true,
            TyKind::Path(p) => {
                let path = ir.path(p);
                path.qself.is_some()
                    || ir
                        .path_ident(path)
                        .is_some_and(|n| generics.contains(&n) || n.is("Self"))
            }
            _ => false,
        }
    }

    /// The crate type a path type names.
    pub fn crate_type(&self, ty: TyId) -> Option<(crate::diagnostic::FileId, crate::ir::ItemId)> {
        match self.resolve(ty)? {
            (Def::Item(f, i), 0, _) => Some((f, i)),
            _ => None,
        }
    }

    /// Whether a crate type contains itself (through `Box`, `Option`, `Vec`, other crate
    /// types...): then it needs its `Box`.
    pub fn is_recursive(&self, ty: TyId) -> bool {
        self.crate_type(ty)
            .is_some_and(|adt| self.is_recursive_adt(adt))
    }

    /// Whether a crate struct, enum or union contains itself.
    pub fn is_recursive_adt(&self, adt: (crate::diagnostic::FileId, crate::ir::ItemId)) -> bool {
        self.contains(adt, adt, &mut Vec::new(), 0)
    }

    fn contains(
        &self,
        adt: (crate::diagnostic::FileId, crate::ir::ItemId),
        target: (crate::diagnostic::FileId, crate::ir::ItemId),
        seen: &mut Vec<(crate::diagnostic::FileId, crate::ir::ItemId)>,
        depth: u32,
    ) -> bool {
        if depth > 4 || seen.contains(&adt) {
            return false;
        }
        seen.push(adt);
        let Some(types) = Types::of_item(self.cx, adt.0, adt.1) else {
            return false;
        };
        let ir = types.ir();
        let variants = match &ir.item(adt.1).kind {
            crate::ir::ItemKind::Struct(a)
            | crate::ir::ItemKind::Enum(a)
            | crate::ir::ItemKind::Union(a) => &a.variants,
            _ => return false,
        };
        let mut field_tys: Vec<TyId> = variants
            .iter()
            .flat_map(|v| v.fields.iter().map(|f| f.ty))
            .collect();
        while let Some(ty) = field_tys.pop() {
            match &ir.ty(ty).kind {
                TyKind::Path(p) => {
                    if let Some(found) = types.crate_type(ty)
                        && (found == target || types.contains(found, target, seen, depth + 1))
                    {
                        return true;
                    }
                    // Generic arguments: `Box<Node>`, `Option<Box<Node>>`, `Vec<Node>`.
                    for seg in ir.list(ir.path(*p).segments) {
                        if let Some(args) = seg.args
                            && let crate::ir::GenericArgs::Angle(list) = *ir.generic_args(args)
                        {
                            field_tys.extend(ir.list(list).iter().filter_map(|g| match g {
                                GenericArg::Type(t) => Some(*t),
                                _ => None,
                            }));
                        }
                    }
                }
                TyKind::Tuple(list) => field_tys.extend_from_slice(ir.list(*list)),
                TyKind::Array { elem, .. } | TyKind::Slice(elem) => field_tys.push(*elem),
                TyKind::Ref { ty, .. } | TyKind::Ptr { ty, .. } => field_tys.push(*ty),
                _ => {}
            }
        }
        false
    }

    /// Whether dropping a value of this type frees something: memory, a lock, a file.
    ///
    /// Ownership comes from what a type holds, transitively, never from a `Drop` impl alone:
    /// a guard holding a reference, a drop bomb holding a flag and a permit holding a borrow
    /// own nothing, whatever their destructors do. A reference, a raw pointer, a number or a
    /// `Copy` type owns nothing; `PhantomData<T>` says the type acts as if it owned a `T`
    /// (behind a raw pointer, say), which is unknown unless `T` owns nothing. A generic
    /// parameter or a type of another crate (std aside) is unknown.
    pub fn owns(&self, ty: TyId) -> Owns {
        self.owns_at(ty, 0)
    }

    fn owns_at(&self, ty: TyId, depth: u32) -> Owns {
        if depth > 6 {
            return Owns::Unknown;
        }
        let ir = self.ir();
        match &ir.ty(ty).kind {
            TyKind::Ref { .. } | TyKind::Ptr { .. } | TyKind::FnPtr { .. } | TyKind::Never => {
                Owns::No
            }
            TyKind::Array { elem, .. } | TyKind::Slice(elem) => self.owns_at(*elem, depth + 1),
            TyKind::Tuple(list) => {
                Owns::any(ir.list(*list).iter().map(|&t| self.owns_at(t, depth + 1)))
            }
            TyKind::Dyn(_) | TyKind::Impl(_) | TyKind::Infer | TyKind::Missing => Owns::Unknown,
            TyKind::Path(p) => {
                if names_primitive(ir, *p) {
                    return Owns::No;
                }
                let Some((def, rest, args)) = self.resolve(ty) else {
                    return Owns::Unknown;
                };
                if rest != 0 {
                    return Owns::Unknown;
                }
                let of_args = || Owns::any(args.iter().map(|&t| self.owns_at(t, depth + 1)));
                match def {
                    Def::External(path) => match std_owns(&path) {
                        StdOwns::Always(owns) => owns,
                        StdOwns::ItsArguments => of_args(),
                        // A claim, not memory: at most unknown.
                        StdOwns::Claims => match of_args() {
                            Owns::No => Owns::No,
                            _ => Owns::Unknown,
                        },
                    },
                    Def::Item(file, item) => self.adt_owns((file, item), depth),
                    Def::Module(_) => Owns::Unknown,
                }
            }
        }
    }

    /// A crate struct or enum: `Copy` owns nothing, otherwise its fields say. A `Drop` impl
    /// adds nothing: what it frees, the fields hold.
    pub fn adt_owns(
        &self,
        (file, item): (crate::diagnostic::FileId, crate::ir::ItemId),
        depth: u32,
    ) -> Owns {
        let Some(types) = Types::of_any_item(self.cx, file, item) else {
            return Owns::Unknown;
        };
        let ir = types.ir();
        match &ir.item(item).kind {
            crate::ir::ItemKind::Struct(adt) | crate::ir::ItemKind::Enum(adt) => {
                if adt.derives.iter().any(|d| d.is("Copy")) {
                    return Owns::No;
                }
                // A generic parameter of the type may be anything.
                let generic: Vec<Sym> = adt.generics.params.iter().map(|p| p.name).collect();
                Owns::any(adt.variants.iter().flat_map(|v| v.fields.iter()).map(|f| {
                    if types.is_opaque(f.ty, &generic) {
                        Owns::Unknown
                    } else {
                        types.owns_at(f.ty, depth + 1)
                    }
                }))
            }
            crate::ir::ItemKind::Union(_) => Owns::No,
            crate::ir::ItemKind::TypeAlias { ty: Some(ty), .. } => types.owns_at(*ty, depth + 1),
            _ => Owns::Unknown,
        }
    }

    /// What each field of a crate struct owns, by name (`"0"` for a tuple struct's first);
    /// `None` for an enum or a type that is not the crate's. A `PhantomData` field, which
    /// holds nothing to read out, is left out.
    pub fn field_owns(
        &self,
        (file, item): (crate::diagnostic::FileId, crate::ir::ItemId),
    ) -> Option<Vec<(Sym, Owns)>> {
        let types = Types::of_any_item(self.cx, file, item)?;
        let ir = types.ir();
        let crate::ir::ItemKind::Struct(adt) = &ir.item(item).kind else {
            return None;
        };
        let generic: Vec<Sym> = adt.generics.params.iter().map(|p| p.name).collect();
        Some(
            adt.variants
                .first()?
                .named_fields()
                .filter(|(_, f)| {
                    !types
                        .std_path(f.ty)
                        .is_some_and(|(p, _)| p.last().is_some_and(|n| n.is("PhantomData")))
                })
                .map(|(name, f)| {
                    let owns = if types.is_opaque(f.ty, &generic) {
                        Owns::Unknown
                    } else {
                        types.owns(f.ty)
                    };
                    (name, owns)
                })
                .collect(),
        )
    }

    /// Whether values of this type can hold a pointer (a reference, a box, a collection):
    /// parameters of other types have no escape verdict worth printing. Numbers, `bool`,
    /// `char`, fieldless enums, structs and enums whose fields hold none (transitively), and
    /// std types such as `Duration` or `Option<u32>` hold none; a generic parameter or a type
    /// of another crate may.
    pub fn may_hold_pointer(&self, ty: TyId) -> bool {
        self.may_hold_pointer_at(ty, 0)
    }

    /// For a reference type, whether what it points to may hold a pointer: `&[u8]`, `&str`
    /// and `&mut u64` point to none. `None` for a type that is not a reference.
    pub fn pointee_may_hold_pointer(&self, ty: TyId) -> Option<bool> {
        let ir = self.ir();
        let TyKind::Ref { ty: inner, .. } = ir.ty(ty).kind else {
            return None;
        };
        Some(match ir.ty(inner).kind {
            TyKind::Slice(elem) => self.may_hold_pointer(elem),
            _ => self.may_hold_pointer(inner),
        })
    }

    fn may_hold_pointer_at(&self, ty: TyId, depth: u32) -> bool {
        if depth > 6 {
            return true;
        }
        let ir = self.ir();
        match &ir.ty(ty).kind {
            TyKind::Ref { .. }
            | TyKind::Ptr { .. }
            | TyKind::Slice(_)
            | TyKind::Dyn(_)
            | TyKind::Impl(_) => true,
            TyKind::Tuple(list) => ir
                .list(*list)
                .iter()
                .any(|&t| self.may_hold_pointer_at(t, depth + 1)),
            TyKind::Array { elem, .. } => self.may_hold_pointer_at(*elem, depth + 1),
            TyKind::FnPtr { .. } | TyKind::Never | TyKind::Infer | TyKind::Missing => false,
            TyKind::Path(p) => {
                if names_primitive(ir, *p) {
                    return false;
                }
                self.path_may_hold_pointer(ty, depth)
            }
        }
    }

    /// [`Self::may_hold_pointer`] for a path type: a std type known to hold no pointer (or only
    /// what its arguments hold), or a type of this crate.
    fn path_may_hold_pointer(&self, ty: TyId, depth: u32) -> bool {
        let Some((def, 0, args)) = self.resolve(ty) else {
            return true;
        };
        let args_may = || args.iter().any(|&a| self.may_hold_pointer_at(a, depth + 1));
        match def {
            Def::External(path) => {
                if !path.first().is_some_and(|s| s.is("std")) {
                    return true;
                }
                match path.last().map_or("", |s| s.as_str()) {
                    "Duration" | "Instant" | "SystemTime" | "Ordering" | "PhantomData"
                    | "TypeId" | "Infallible" | "SocketAddr" | "SocketAddrV4" | "SocketAddrV6"
                    | "IpAddr" | "Ipv4Addr" | "Ipv6Addr" | "Shutdown" | "ErrorKind" | "Layout"
                    | "Alignment" | "FpCategory" => false,
                    // `io::Result<T>` and `thread::Result<T>` carry an error that does
                    // (`io::Error`, `Box<dyn Any>`); `fmt::Result`'s holds nothing.
                    "Result" => match path.get(1).map_or("", |s| s.as_str()) {
                        "result" => args_may(),
                        "fmt" => false,
                        _ => true,
                    },
                    "Option" | "Cell" | "Wrapping" | "Saturating" | "Reverse" | "Range"
                    | "RangeInclusive" | "Bound" | "Poll" | "ControlFlow" | "ManuallyDrop"
                    | "MaybeUninit" | "NonZero" => args_may(),
                    "AtomicPtr" => true,
                    name if name.starts_with("Atomic") || name.starts_with("NonZero") => false,
                    _ => true,
                }
            }
            Def::Item(file, item) => self.adt_may_hold_pointer((file, item)),
            Def::Module(_) => true,
        }
    }

    /// Whether a struct, enum or union of the crate (or a type alias) can hold a pointer:
    /// whether any of its fields can. A field of a generic parameter's type can.
    /// Computed once per type and crate; a type that contains itself may.
    pub fn adt_may_hold_pointer(
        &self,
        (file, item): (crate::diagnostic::FileId, crate::ir::ItemId),
    ) -> bool {
        let compute = || {
            let Some(types) = Types::of_item(self.cx, file, item) else {
                return true;
            };
            let ir = types.ir();
            match &ir.item(item).kind {
                crate::ir::ItemKind::Struct(adt)
                | crate::ir::ItemKind::Enum(adt)
                | crate::ir::ItemKind::Union(adt) => adt
                    .variants
                    .iter()
                    .flat_map(|v| v.fields.iter())
                    .any(|f| types.may_hold_pointer_at(f.ty, 0)),
                crate::ir::ItemKind::TypeAlias { ty: Some(ty), .. } => {
                    types.may_hold_pointer_at(*ty, 0)
                }
                _ => true,
            }
        };
        self.cx
            .may_hold_pointer
            .get_or_compute((file, item), compute)
            .unwrap_or(true)
    }
}

/// A path type that names a primitive, numbers, `bool`, `char` or `str`: it holds no pointer
/// and owns nothing.
fn names_primitive(ir: &crate::ir::FileIr, p: crate::ir::PathId) -> bool {
    let path = ir.path(p);
    path.qself.is_none()
        && ir.list(path.segments).len() == 1
        && ir
            .path_ident(path)
            .is_some_and(|n| is_scalar(n.as_str()) || n.is("str"))
}

fn is_scalar(name: &str) -> bool {
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
            | "char"
    )
}

/// What a std type owns, by its canonical path.
pub(super) enum StdOwns {
    /// The same whatever its arguments: `Vec<T>` owns, `NonNull<T>` does not.
    Always(Owns),
    /// What its type arguments own: `Option<T>`, `Mutex<T>`.
    ItsArguments,
    /// Nothing, but it says it acts as if it owned its argument: `PhantomData<T>`.
    Claims,
}

/// Whether a type names one of `generics` anywhere in it.
pub fn mentions(ir: &crate::ir::FileIr, ty: TyId, generics: &[Sym]) -> bool {
    match &ir.ty(ty).kind {
        TyKind::Path(p) => {
            let path = ir.path(*p);
            if ir.path_ident(path).is_some_and(|n| generics.contains(&n)) {
                return true;
            }
            ir.list(path.segments).iter().any(|s| {
                s.args.is_some_and(|a| match ir.generic_args(a) {
                    crate::ir::GenericArgs::Angle(args) => ir.list(*args).iter().any(|a| match a {
                        GenericArg::Type(t) | GenericArg::AssocType { ty: t, .. } => {
                            mentions(ir, *t, generics)
                        }
                        _ => false,
                    }),
                    crate::ir::GenericArgs::Paren { inputs, output } => {
                        ir.list(*inputs).iter().any(|&t| mentions(ir, t, generics))
                            || output.is_some_and(|t| mentions(ir, t, generics))
                    }
                })
            })
        }
        TyKind::Ref { ty, .. } | TyKind::Ptr { ty, .. } | TyKind::Slice(ty) => {
            mentions(ir, *ty, generics)
        }
        TyKind::Array { elem, .. } => mentions(ir, *elem, generics),
        TyKind::Tuple(list) => ir.list(*list).iter().any(|&t| mentions(ir, t, generics)),
        _ => false,
    }
}

pub(super) fn std_owns(path: &[Sym]) -> StdOwns {
    if !path.first().is_some_and(|s| s.is("std")) {
        return StdOwns::Always(Owns::Unknown);
    }
    match path.last().map_or("", |s| s.as_str()) {
        "Vec" | "String" | "Box" | "Rc" | "Arc" | "HashMap" | "HashSet" | "BTreeMap"
        | "BTreeSet" | "VecDeque" | "BinaryHeap" | "LinkedList" | "OsString" | "PathBuf"
        | "CString" | "File" | "TcpStream" | "TcpListener" | "UdpSocket" | "Child"
        | "JoinHandle" | "MutexGuard" | "RwLockReadGuard" | "RwLockWriteGuard" | "RefMut"
        | "Sender" | "SyncSender" | "Receiver" | "BufReader" | "BufWriter" | "Weak" => {
            StdOwns::Always(Owns::Yes)
        }
        "Option" | "Result" | "Cell" | "RefCell" | "UnsafeCell" | "Mutex" | "RwLock"
        | "OnceCell" | "OnceLock" | "Wrapping" | "Reverse" | "Pin" => StdOwns::ItsArguments,
        "PhantomData" => StdOwns::Claims,
        "ManuallyDrop" | "MaybeUninit" | "NonNull" | "Duration" | "Instant" | "SystemTime"
        | "Ordering" | "NonZero" | "SocketAddr" | "SocketAddrV4" | "SocketAddrV6" | "IpAddr"
        | "Ipv4Addr" | "Ipv6Addr" | "Shutdown" | "ErrorKind" => StdOwns::Always(Owns::No),
        name if name.starts_with("Atomic") || name.starts_with("NonZero") => {
            StdOwns::Always(Owns::No)
        }
        _ => StdOwns::Always(Owns::Unknown),
    }
}
