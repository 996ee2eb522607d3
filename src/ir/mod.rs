//! The intermediate representation: what a worker keeps of a file once syn's AST is dropped.
//!
//! syn's AST is `!Send` and costs about 28 times the source in memory, so each parse worker
//! lowers its file into a [`FileIr`] and drops the AST before taking the next file. Every later
//! stage (the crate index, the escape engine, the rules) reads this IR only.
//!
//! The IR is a small HIR:
//! - all nodes of a file live in arenas (`items`, `exprs`, `pats`, `tys`, `bodies`) and refer to
//!   each other by typed `u32` ids;
//! - spans are byte ranges into the file's text; lines and columns are computed only when a
//!   diagnostic is rendered;
//! - local variables are already resolved: an expression naming a `let`, a parameter or a
//!   pattern binding is an [`ExprKind::Local`], never a path;
//! - every closure and `async` block lists the locals of its enclosing body that it captures;
//! - macros that matter to the analysis are expanded into plain nodes (`vec!` into
//!   [`MacroArgs::List`] or [`MacroArgs::Repeat`], `thread_local!` and `lazy_static!` into
//!   statics); other macro calls keep their parsable arguments, so nothing they use is lost.
//!
//! Paths that do not name a local stay unresolved: name resolution needs the whole crate and
//! happens in [`crate::index`].

use crate::sym::Sym;

/// A byte range in one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub lo: u32,
    pub hi: u32,
}

impl Span {
    pub fn new(lo: u32, hi: u32) -> Span {
        Span { lo, hi }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            lo: self.lo.min(other.lo),
            hi: self.hi.max(other.hi),
        }
    }

    pub fn contains(self, other: Span) -> bool {
        self.lo <= other.lo && other.hi <= self.hi
    }
}

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

ids! {
    /// An item of a file: `FileIr::items[id]`.
    ItemId;
    /// An expression of a file: `FileIr::exprs[id]`.
    ExprId;
    /// A pattern of a file: `FileIr::pats[id]`.
    PatId;
    /// A type of a file: `FileIr::tys[id]`.
    TyId;
    /// A body (function, const or static initializer) of a file: `FileIr::bodies[id]`.
    BodyId;
    /// A local variable of a body: `Body::locals[id]`.
    LocalId;
}

/// One lowered source file.
#[derive(Debug, Default)]
pub struct FileIr {
    /// The items of the file's own module, in source order.
    pub top: Vec<ItemId>,
    pub items: Vec<Item>,
    pub exprs: Vec<Expr>,
    pub pats: Vec<Pat>,
    pub tys: Vec<Ty>,
    pub bodies: Vec<Body>,
    /// Number of lines in the source, for statistics.
    pub lines: u32,
}

impl FileIr {
    pub fn item(&self, id: ItemId) -> &Item {
        &self.items[id.index()]
    }
    pub fn expr(&self, id: ExprId) -> &Expr {
        &self.exprs[id.index()]
    }
    pub fn pat(&self, id: PatId) -> &Pat {
        &self.pats[id.index()]
    }
    pub fn ty(&self, id: TyId) -> &Ty {
        &self.tys[id.index()]
    }
    pub fn body(&self, id: BodyId) -> &Body {
        &self.bodies[id.index()]
    }
}

// ---------------------------------------------------------------------------------------------
// Items

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
        supertraits: Box<[TyId]>,
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
        path: Box<Path>,
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
    pub params: Box<[TyId]>,
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
    /// [`TyKind::Path`] naming a trait (`Fn(u64) -> u64`, `Send`).
    Type {
        bounds: Box<[TyId]>,
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
    pub int: Option<Sym>,
}

#[derive(Debug)]
pub struct Variant {
    pub name: Sym,
    pub span: Span,
    pub shape: VariantShape,
    pub fields: Box<[Field]>,
    pub discriminant: Option<ExprId>,
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
    /// The trait, as a [`TyKind::Path`], for `impl Trait for Type`.
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
        dirs: Box<[Box<str>]>,
        /// The declaration carries a `cfg` that is not known to be true, so a missing file is
        /// not necessarily an error.
        conditional: bool,
    },
}

// ---------------------------------------------------------------------------------------------
// Bodies

/// The body of a function, closure-holding const or static initializer.
///
/// Closures and `async` blocks do not get bodies of their own: their parameters and locals
/// live in the enclosing body, so one escape graph covers a function and its closures.
#[derive(Debug)]
pub struct Body {
    pub owner: ItemId,
    /// The parameter patterns in order, without `self`.
    pub params: Box<[PatId]>,
    /// The `self` parameter's local, for methods.
    pub self_local: Option<LocalId>,
    pub locals: Vec<Local>,
    pub value: ExprId,
    /// Items declared inside the body (nested functions, `use` declarations...).
    pub items: Vec<ItemId>,
}

impl Body {
    pub fn local(&self, id: LocalId) -> &Local {
        &self.locals[id.index()]
    }
}

#[derive(Debug)]
pub struct Local {
    pub name: Sym,
    /// The binding's identifier.
    pub span: Span,
    pub mutable: bool,
    /// `ref x` or `ref mut x`.
    pub by_ref: bool,
    /// The type written for it: `let x: T`, a parameter's type, a closure parameter's type.
    pub ty: Option<TyId>,
    pub kind: LocalKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalKind {
    SelfParam,
    Param,
    Let,
    /// Bound by a `match`, `if let`, `while let` or `for` pattern.
    Pattern,
    ClosureParam,
}

// ---------------------------------------------------------------------------------------------
// Expressions

#[derive(Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug)]
pub enum ExprKind {
    /// Something the IR does not model (`_`, verbatim tokens, an unparsable macro).
    Missing,
    Local(LocalId),
    Path(Box<Path>),
    Lit(Lit),
    Call {
        callee: ExprId,
        args: Box<[ExprId]>,
    },
    MethodCall(Box<MethodCall>),
    Macro(Box<MacroCall>),
    Closure(Box<Closure>),
    Block(Box<Block>),
    If {
        cond: ExprId,
        then: ExprId,
        els: Option<ExprId>,
    },
    /// `let PAT = EXPR` in an `if` or `while` condition.
    Let {
        pat: PatId,
        expr: ExprId,
    },
    Match {
        scrutinee: ExprId,
        arms: Box<[Arm]>,
    },
    Loop {
        body: ExprId,
        label: Option<Sym>,
    },
    While {
        cond: ExprId,
        body: ExprId,
        label: Option<Sym>,
    },
    For {
        pat: PatId,
        iter: ExprId,
        body: ExprId,
        label: Option<Sym>,
    },
    Assign {
        place: ExprId,
        value: ExprId,
    },
    AssignOp {
        op: BinOp,
        place: ExprId,
        value: ExprId,
    },
    Binary {
        op: BinOp,
        lhs: ExprId,
        rhs: ExprId,
    },
    Unary {
        op: UnOp,
        expr: ExprId,
    },
    /// `&expr`, `&mut expr`, and `&raw const/mut expr` (`raw`).
    Ref {
        mutable: bool,
        raw: bool,
        expr: ExprId,
    },
    Field {
        base: ExprId,
        /// The field's name, or its index for tuple fields (`"0"`).
        name: Sym,
    },
    Index {
        base: ExprId,
        index: ExprId,
    },
    Struct(Box<StructLit>),
    Tuple(Box<[ExprId]>),
    Array(Box<[ExprId]>),
    Repeat {
        elem: ExprId,
        len: ExprId,
    },
    Cast {
        expr: ExprId,
        ty: TyId,
    },
    Return(Option<ExprId>),
    Break {
        label: Option<Sym>,
        value: Option<ExprId>,
    },
    Continue,
    /// `expr?`.
    Try(ExprId),
    Await(ExprId),
    Yield(Option<ExprId>),
    Range {
        lo: Option<ExprId>,
        hi: Option<ExprId>,
    },
}

#[derive(Debug)]
pub struct MethodCall {
    pub receiver: ExprId,
    pub method: Sym,
    pub method_span: Span,
    pub turbofish: Box<[GenericArg]>,
    pub args: Box<[ExprId]>,
}

#[derive(Debug)]
pub struct MacroCall {
    pub path: Path,
    pub args: MacroArgs,
}

#[derive(Debug)]
pub enum MacroArgs {
    /// Comma-separated expressions: `vec![a, b]`, `println!("{}", x)`, `assert_eq!(a, b)`.
    /// Named format arguments (`name = expr`) keep only their expression; locals named inside a
    /// format string (`"{x}"`) are added as borrows of them.
    List(Box<[ExprId]>),
    /// `vec![elem; len]`.
    Repeat { elem: ExprId, len: ExprId },
    /// A macro whose syntax is not known: the locals its tokens name (each a
    /// [`ExprKind::Local`]), since it may use them in any way.
    Opaque(Box<[ExprId]>),
}

/// A closure or an `async` block.
#[derive(Debug)]
pub struct Closure {
    pub kind: ClosureKind,
    pub is_move: bool,
    /// The closure's parameter patterns (none for `async` blocks).
    pub params: Box<[PatId]>,
    pub ret: Option<TyId>,
    pub body: ExprId,
    /// Locals of the enclosing body used inside, in order of first use.
    pub captures: Box<[Capture]>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClosureKind {
    Closure,
    AsyncClosure,
    AsyncBlock,
}

/// A local of the enclosing body used inside a closure. Whether it is captured by value or by
/// reference depends on `Closure::is_move` and on how the body uses it, which the analysis
/// decides.
#[derive(Clone, Copy, Debug)]
pub struct Capture {
    pub local: LocalId,
    /// The first use inside the closure.
    pub span: Span,
}

#[derive(Debug)]
pub struct Block {
    pub stmts: Box<[Stmt]>,
    pub tail: Option<ExprId>,
    pub label: Option<Sym>,
    pub kind: BlockKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Plain,
    Unsafe,
    Const,
    Try,
}

#[derive(Debug)]
pub enum Stmt {
    Let(Box<LetStmt>),
    Expr { expr: ExprId, semi: bool },
    Item(ItemId),
}

#[derive(Debug)]
pub struct LetStmt {
    pub pat: PatId,
    pub ty: Option<TyId>,
    pub init: Option<ExprId>,
    /// `let .. else { .. }`.
    pub els: Option<ExprId>,
    pub span: Span,
}

#[derive(Debug)]
pub struct Arm {
    pub pat: PatId,
    pub guard: Option<ExprId>,
    pub body: ExprId,
}

#[derive(Debug)]
pub struct StructLit {
    pub path: Path,
    pub fields: Box<[(Sym, ExprId)]>,
    /// `..base`.
    pub rest: Option<ExprId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    And,
    Or,
    BitXor,
    BitAnd,
    BitOr,
    Shl,
    Shr,
    Eq,
    Lt,
    Le,
    Ne,
    Ge,
    Gt,
}

impl BinOp {
    pub fn as_str(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::And => "&&",
            BinOp::Or => "||",
            BinOp::BitXor => "^",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::Shl => "<<",
            BinOp::Shr => ">>",
            BinOp::Eq => "==",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Ne => "!=",
            BinOp::Ge => ">=",
            BinOp::Gt => ">",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Deref,
    Not,
    Neg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lit {
    /// An integer literal that fits in a `u64`.
    Int {
        value: u64,
        suffix: Option<Sym>,
    },
    /// An integer literal too large for a `u64`.
    BigInt,
    Float,
    Bool(bool),
    Char,
    Byte,
    Str,
    ByteStr,
    CStr,
}

// ---------------------------------------------------------------------------------------------
// Patterns

#[derive(Debug)]
pub struct Pat {
    pub kind: PatKind,
    pub span: Span,
}

#[derive(Debug)]
pub enum PatKind {
    Wild,
    /// `..` inside a tuple or slice pattern.
    Rest,
    Bind {
        local: LocalId,
        sub: Option<PatId>,
    },
    Tuple(Box<[PatId]>),
    TupleStruct {
        path: Box<Path>,
        elems: Box<[PatId]>,
    },
    Struct {
        path: Box<Path>,
        fields: Box<[(Sym, PatId)]>,
    },
    /// A unit struct, unit variant or constant (`None`, `Ordering::Less`, `MAX`).
    Path(Box<Path>),
    Ref {
        mutable: bool,
        pat: PatId,
    },
    Or(Box<[PatId]>),
    Slice(Box<[PatId]>),
    /// A literal or range pattern.
    Lit,
    Missing,
}

// ---------------------------------------------------------------------------------------------
// Types and paths

#[derive(Debug)]
pub struct Ty {
    pub kind: TyKind,
    pub span: Span,
}

#[derive(Debug)]
pub enum TyKind {
    Path(Box<Path>),
    Ref {
        mutable: bool,
        ty: TyId,
    },
    Ptr {
        mutable: bool,
        ty: TyId,
    },
    Array {
        elem: TyId,
        len: ExprId,
    },
    Slice(TyId),
    Tuple(Box<[TyId]>),
    FnPtr {
        params: Box<[TyId]>,
        ret: Option<TyId>,
    },
    /// `dyn A + B`; each bound is a trait path.
    Dyn(Box<[TyId]>),
    /// `impl A + B`.
    Impl(Box<[TyId]>),
    Never,
    /// `_`.
    Infer,
    /// A macro in type position, or tokens the IR does not model.
    Missing,
}

#[derive(Debug, Clone)]
pub struct Path {
    /// Leading `::`.
    pub global: bool,
    /// `<T as Trait>::item`: the type, and how many leading segments belong to the trait.
    pub qself: Option<QSelf>,
    pub segments: Box<[Segment]>,
    pub span: Span,
}

impl Path {
    pub fn last(&self) -> Option<Sym> {
        self.segments.last().map(|s| s.name)
    }

    /// The single identifier of a path like `foo`, without generics, `::` or qualified self.
    pub fn as_ident(&self) -> Option<Sym> {
        match &*self.segments {
            [seg] if !self.global && self.qself.is_none() && seg.args.is_none() => Some(seg.name),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct QSelf {
    pub ty: TyId,
    /// Number of segments of `path` that name the trait in `<T as Trait>::x`.
    pub position: u32,
}

#[derive(Debug, Clone)]
pub struct Segment {
    pub name: Sym,
    pub args: Option<Box<GenericArgs>>,
}

#[derive(Debug, Clone)]
pub enum GenericArgs {
    /// `<A, B, Item = C>`.
    Angle(Box<[GenericArg]>),
    /// `Fn(A, B) -> C`.
    Paren {
        inputs: Box<[TyId]>,
        output: Option<TyId>,
    },
}

#[derive(Debug, Clone)]
pub enum GenericArg {
    Lifetime,
    Type(TyId),
    Const(ExprId),
    /// `Item = T`.
    AssocType {
        name: Sym,
        ty: TyId,
    },
    /// `Item: Bound` and anything else.
    Other,
}

pub mod walk;
