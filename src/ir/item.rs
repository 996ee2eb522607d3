//! Items: functions, types, traits, impls, `use` declarations and modules.

use super::{BodyId, ExprId, IntTy, ItemId, List, PathId, Span, TyId};
use crate::sym::Sym;

#[derive(Debug)]
pub struct Item {
    /// `None` for items without a name of their own: `impl`, `use`, macro calls.
    pub name: Option<Sym>,
    /// The name's span, or the keyword's when there is no name.
    pub name_span: Span,
    /// The whole item, outer attributes included.
    pub span: Span,
    pub vis: Vis,
    /// Compiled only for tests: under `#[cfg(test)]`, a `#[test]` function, or inside such an
    /// item. Present in the IR only when test targets are selected.
    pub test_only: bool,
    /// Rules allowed on this item with `#[cfg_attr(escape, allow(rule, ..))]`.
    pub allows: Vec<(Sym, Span)>,
    pub kind: ItemKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vis {
    Private,
    /// `pub(crate)`, `pub(super)`, `pub(in path)`.
    Restricted,
    Public,
}

#[derive(Debug)]
pub enum ItemKind {
    Fn(Box<FnItem>),
    Struct(Box<Adt>),
    Enum(Box<Adt>),
    Union(Box<Adt>),
    Const {
        ty: TyId,
        body: Option<BodyId>,
    },
    Static(Box<StaticItem>),
    TypeAlias {
        generics: Generics,
        ty: Option<TyId>,
    },
    Trait {
        generics: Generics,
        supertraits: List<TyId>,
        items: Vec<ItemId>,
    },
    Impl(Box<ImplItem>),
    Use(Box<[Import]>),
    Mod(ModKind),
    ExternCrate {
        /// The crate named by `extern crate NAME`.
        krate: Sym,
    },
    /// `extern "ABI" { .. }`: foreign functions and statics.
    ForeignMod {
        items: Vec<ItemId>,
    },
    /// `macro_rules! name { .. }`. Its body is not analyzed.
    MacroRules,
    /// Any other macro call in item position. Its expansion is unknown.
    MacroCall {
        path: PathId,
    },
}

#[derive(Debug)]
pub struct FnItem {
    pub sig: FnSig,
    /// `None` for trait methods without a default and foreign functions.
    pub body: Option<BodyId>,
}

#[derive(Debug)]
pub struct FnSig {
    pub generics: Generics,
    pub self_param: Option<SelfParam>,
    /// Parameter types, in order, without `self`. Their patterns are `Body::params`.
    pub params: List<TyId>,
    pub ret: Option<TyId>,
    pub is_async: bool,
    pub is_const: bool,
    pub is_unsafe: bool,
    /// `extern "C" fn`, and functions in `extern` blocks.
    pub is_extern: bool,
}

#[derive(Clone, Copy, Debug)]
pub struct SelfParam {
    pub kind: SelfKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelfKind {
    /// `self` or `mut self`.
    Value,
    /// `&self`.
    Ref,
    /// `&mut self`.
    RefMut,
    /// `self: Box<Self>` and other explicit types.
    Typed(TyId),
}

#[derive(Debug, Default)]
pub struct Generics {
    pub params: Box<[GenericParam]>,
}

#[derive(Debug)]
pub struct GenericParam {
    pub name: Sym,
    pub kind: GenericParamKind,
}

#[derive(Debug)]
pub enum GenericParamKind {
    Lifetime,
    /// A type parameter with its bounds, `where` clauses included. Each bound is a
    /// [`TyKind::Path`](super::TyKind::Path) naming a trait (`Fn(u64) -> u64`, `Send`).
    Type {
        bounds: List<TyId>,
    },
    Const {
        ty: TyId,
    },
}

/// Structs, enums and unions. A struct or union has exactly one variant, named after it.
#[derive(Debug)]
pub struct Adt {
    pub generics: Generics,
    pub repr: Repr,
    /// Traits named in `#[derive(..)]`, last path segment only.
    pub derives: Box<[Sym]>,
    pub variants: Box<[Variant]>,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Repr {
    pub c: bool,
    pub transparent: bool,
    /// `repr(packed)` is `Some(1)`.
    pub packed: Option<u32>,
    pub align: Option<u32>,
    /// `repr(u8)`, `repr(i32)`...
    pub int: Option<IntTy>,
}

#[derive(Debug)]
pub struct Variant {
    pub name: Sym,
    pub span: Span,
    pub shape: VariantShape,
    pub fields: Box<[Field]>,
    pub discriminant: Option<ExprId>,
}

impl Variant {
    /// The fields with the names a field access uses: `name`, or `0`, `1`... for tuple fields.
    pub fn named_fields(&self) -> impl Iterator<Item = (Sym, &Field)> {
        self.fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.unwrap_or_else(|| Sym::new(&i.to_string())), f))
    }

    /// The field a field access names: `x.name`, or `x.0` for a tuple field.
    pub fn field(&self, name: Sym) -> Option<&Field> {
        match name.as_str().parse::<usize>() {
            Ok(i) => self.fields.get(i).filter(|f| f.name.is_none()),
            Err(_) => self.fields.iter().find(|f| f.name == Some(name)),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VariantShape {
    Named,
    Tuple,
    Unit,
}

#[derive(Debug)]
pub struct Field {
    /// `None` for tuple fields.
    pub name: Option<Sym>,
    pub ty: TyId,
    pub span: Span,
}

#[derive(Debug)]
pub struct StaticItem {
    pub ty: TyId,
    pub body: Option<BodyId>,
    pub mutable: bool,
    pub kind: StaticKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaticKind {
    /// `static` and `static mut`.
    Plain,
    /// A `static` declared inside `thread_local!`.
    ThreadLocal,
    /// A `static ref` declared inside `lazy_static!`.
    LazyStatic,
    /// Declared in an `extern` block.
    Foreign,
}

#[derive(Debug)]
pub struct ImplItem {
    pub generics: Generics,
    /// The trait, as a [`TyKind::Path`](super::TyKind::Path), for `impl Trait for Type`.
    pub trait_: Option<TyId>,
    pub negative: bool,
    pub self_ty: TyId,
    pub items: Vec<ItemId>,
}

/// One name brought into scope by a `use` declaration; `use a::{b, c as d, e::*}` gives three.
#[derive(Debug, Clone)]
pub struct Import {
    /// Leading `::`.
    pub global: bool,
    /// The path as written, `self`, `super` and `crate` included.
    pub path: Box<[Sym]>,
    /// The name bound: the last segment, the rename, or `None` for `as _` and globs.
    pub name: Option<Sym>,
    pub glob: bool,
    /// The span of this one import inside the declaration.
    pub span: Span,
}

#[derive(Debug)]
pub enum ModKind {
    /// `mod name { .. }`.
    Inline {
        items: Vec<ItemId>,
        path_attr: Option<Box<str>>,
    },
    /// `mod name;`: the loader finds the file. `dirs` are the directories contributed by the
    /// inline modules around the declaration, outermost first (their name, or their `#[path]`).
    File {
        path_attr: Option<Box<str>>,
        /// Paths from `#[cfg_attr(pred, path = "..")]` whose predicate is not known: each is
        /// the module's file in some build, and each that exists is read.
        cfg_paths: Box<[Box<str>]>,
        dirs: Box<[Box<str>]>,
        /// The outermost inline module around the declaration has a `#[path]`, so `dirs`
        /// start from the file's directory even in a non-mod-rs file.
        rooted: bool,
        /// The declaration, or an item around it, carries a `cfg` that is not known to be
        /// true, so a missing file is not necessarily an error.
        conditional: bool,
    },
}
