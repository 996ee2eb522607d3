//! The intermediate representation: what a worker keeps of a file once syn's AST is dropped.
//!
//! syn's AST is `!Send` and costs about 28 times the source in memory, so each parse worker
//! lowers its file into a [`FileIr`] and drops the AST before taking the next file. Every later
//! stage (the crate index, the escape engine, the rules) reads this IR only.
//!
//! The IR is a small HIR:
//! - all nodes of a file live in arenas (`items`, `exprs`, `pats`, `tys`, `bodies`, and side
//!   tables for the larger expression kinds) and refer to each other by typed `u32` ids; lists
//!   of children are [`List`]s, ranges into one shared vector per element type, so a file's IR
//!   is a few dozen vectors rather than a tree of small allocations;
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
    /// A path: `FileIr::paths[id]`.
    PathId;
    /// A block: `FileIr::blocks[id]`.
    BlockId;
    /// A method call: `FileIr::method_calls[id]`.
    MethodCallId;
    /// A macro call in expression position: `FileIr::macros[id]`.
    MacroId;
    /// A closure or `async` block: `FileIr::closures[id]`.
    ClosureId;
    /// A struct literal: `FileIr::struct_lits[id]`.
    StructLitId;
    /// A `let` statement: `FileIr::lets[id]`.
    LetId;
    /// Generic arguments of a path segment: `FileIr::generic_args[id]`.
    GenericArgsId;
}

/// A list of `T`: a range of one of the file's list vectors, read with [`FileIr::list`].
pub struct List<T> {
    pub start: u32,
    pub len: u32,
    marker: std::marker::PhantomData<fn() -> T>,
}

impl<T> List<T> {
    pub const EMPTY: List<T> = List {
        start: 0,
        len: 0,
        marker: std::marker::PhantomData,
    };

    pub fn new(start: u32, len: u32) -> List<T> {
        if len == 0 {
            return List::EMPTY;
        }
        List {
            start,
            len,
            marker: std::marker::PhantomData,
        }
    }

    pub fn is_empty(self) -> bool {
        self.len == 0
    }

    pub fn len(self) -> usize {
        self.len as usize
    }

    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

impl<T> Clone for List<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for List<T> {}

impl<T> Default for List<T> {
    fn default() -> Self {
        List::EMPTY
    }
}

impl<T> std::fmt::Debug for List<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "List({}..+{})", self.start, self.len)
    }
}

/// Where a file keeps the elements of lists of `T`.
pub trait ListStore<T> {
    fn store(&self) -> &Vec<T>;
    fn store_mut(&mut self) -> &mut Vec<T>;
}

macro_rules! list_stores {
    ($($field:ident: $ty:ty;)*) => {$(
        impl ListStore<$ty> for FileIr {
            fn store(&self) -> &Vec<$ty> {
                &self.$field
            }
            fn store_mut(&mut self) -> &mut Vec<$ty> {
                &mut self.$field
            }
        }
    )*};
}

list_stores! {
    expr_list: ExprId;
    pat_list: PatId;
    ty_list: TyId;
    stmt_list: Stmt;
    segment_list: Segment;
    field_list: (Sym, ExprId);
    field_pat_list: (Sym, PatId);
    arm_list: Arm;
    capture_list: Capture;
    generic_arg_list: GenericArg;
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
    pub paths: Vec<Path>,
    pub blocks: Vec<Block>,
    pub method_calls: Vec<MethodCall>,
    pub macros: Vec<MacroCall>,
    pub closures: Vec<Closure>,
    pub struct_lits: Vec<StructLit>,
    pub lets: Vec<LetStmt>,
    pub generic_args: Vec<GenericArgs>,
    pub expr_list: Vec<ExprId>,
    pub pat_list: Vec<PatId>,
    pub ty_list: Vec<TyId>,
    pub stmt_list: Vec<Stmt>,
    pub segment_list: Vec<Segment>,
    pub field_list: Vec<(Sym, ExprId)>,
    pub field_pat_list: Vec<(Sym, PatId)>,
    pub arm_list: Vec<Arm>,
    pub capture_list: Vec<Capture>,
    pub generic_arg_list: Vec<GenericArg>,
    /// The file's `// escape: ..` comments, which syn does not keep.
    pub directives: Vec<Directive>,
    /// `#[cfg_attr(escape, allow(rule))]` on the file (`#!`) and on `let` statements; an
    /// item's are on the item.
    pub allows: Vec<Allow>,
    /// Where each loop (`loop`, `while`, `for`) starts, as a 1-based line and column, in
    /// expression order: messages name loops by position.
    pub loop_positions: Vec<(ExprId, u32, u32)>,
}

/// A rule allowed over a stretch of a file by an attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allow {
    pub covers: Span,
    pub rule: Sym,
    /// The rule's name in the attribute.
    pub at: Span,
}

/// A `// escape: ..` comment, for the filter to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// The comment, `//` included.
    pub comment: (usize, usize),
    /// What follows `//`: ` escape: allow(rule)`.
    pub text: String,
    /// The line it applies to: its own, after code, or the next line of code, on a line of
    /// its own.
    pub target: (usize, usize),
    /// At the end of a line of code, rather than on a line of its own.
    pub trailing: bool,
}

impl FileIr {
    /// The line and column where a loop starts.
    pub fn loop_position(&self, id: ExprId) -> Option<(u32, u32)> {
        let at = self
            .loop_positions
            .binary_search_by_key(&id.0, |(e, _, _)| e.0)
            .ok()?;
        let (_, line, column) = self.loop_positions[at];
        Some((line, column))
    }

    /// A loop's keyword (and label, and `for` pattern and iterator), without its body: what a
    /// message about the loop points at.
    pub fn loop_head(&self, id: ExprId) -> Span {
        let whole = self.expr(id).span;
        let body = match self.expr(id).kind {
            ExprKind::Loop { body, .. }
            | ExprKind::While { body, .. }
            | ExprKind::For { body, .. } => self.expr(body).span,
            _ => return whole,
        };
        if body.lo > whole.lo {
            Span::new(whole.lo, body.lo)
        } else {
            whole
        }
    }

    /// Releases the spare capacity the arenas grew while lowering; a file's IR lives until
    /// the end of the analysis.
    pub fn shrink_to_fit(&mut self) {
        self.top.shrink_to_fit();
        self.items.shrink_to_fit();
        self.exprs.shrink_to_fit();
        self.pats.shrink_to_fit();
        self.tys.shrink_to_fit();
        self.bodies.shrink_to_fit();
        self.paths.shrink_to_fit();
        self.blocks.shrink_to_fit();
        self.method_calls.shrink_to_fit();
        self.macros.shrink_to_fit();
        self.closures.shrink_to_fit();
        self.struct_lits.shrink_to_fit();
        self.lets.shrink_to_fit();
        self.generic_args.shrink_to_fit();
        self.expr_list.shrink_to_fit();
        self.pat_list.shrink_to_fit();
        self.ty_list.shrink_to_fit();
        self.stmt_list.shrink_to_fit();
        self.segment_list.shrink_to_fit();
        self.field_list.shrink_to_fit();
        self.field_pat_list.shrink_to_fit();
        self.arm_list.shrink_to_fit();
        self.capture_list.shrink_to_fit();
        self.generic_arg_list.shrink_to_fit();
        self.loop_positions.shrink_to_fit();
    }

    /// Bytes held by the arenas (not counting the few boxes items own), for statistics.
    pub fn arena_bytes(&self) -> usize {
        fn bytes<T>(v: &Vec<T>) -> usize {
            v.capacity() * std::mem::size_of::<T>()
        }
        bytes(&self.top)
            + bytes(&self.items)
            + bytes(&self.exprs)
            + bytes(&self.pats)
            + bytes(&self.tys)
            + bytes(&self.bodies)
            + bytes(&self.paths)
            + bytes(&self.blocks)
            + bytes(&self.method_calls)
            + bytes(&self.macros)
            + bytes(&self.closures)
            + bytes(&self.struct_lits)
            + bytes(&self.lets)
            + bytes(&self.generic_args)
            + bytes(&self.expr_list)
            + bytes(&self.pat_list)
            + bytes(&self.ty_list)
            + bytes(&self.stmt_list)
            + bytes(&self.segment_list)
            + bytes(&self.field_list)
            + bytes(&self.field_pat_list)
            + bytes(&self.arm_list)
            + bytes(&self.capture_list)
            + bytes(&self.generic_arg_list)
            + self
                .bodies
                .iter()
                .map(|b| b.locals.capacity() * std::mem::size_of::<Local>())
                .sum::<usize>()
    }

    /// The elements of a list.
    pub fn list<T>(&self, list: List<T>) -> &[T]
    where
        FileIr: ListStore<T>,
    {
        &self.store()[list.range()]
    }

    pub fn path(&self, id: PathId) -> &Path {
        &self.paths[id.index()]
    }
    pub fn block(&self, id: BlockId) -> &Block {
        &self.blocks[id.index()]
    }
    pub fn method_call(&self, id: MethodCallId) -> &MethodCall {
        &self.method_calls[id.index()]
    }
    pub fn macro_call(&self, id: MacroId) -> &MacroCall {
        &self.macros[id.index()]
    }
    pub fn closure(&self, id: ClosureId) -> &Closure {
        &self.closures[id.index()]
    }
    pub fn struct_lit(&self, id: StructLitId) -> &StructLit {
        &self.struct_lits[id.index()]
    }
    pub fn let_stmt(&self, id: LetId) -> &LetStmt {
        &self.lets[id.index()]
    }
    pub fn generic_args(&self, id: GenericArgsId) -> &GenericArgs {
        &self.generic_args[id.index()]
    }

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
    /// [`TyKind::Path`] naming a trait (`Fn(u64) -> u64`, `Send`).
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
    pub params: List<PatId>,
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
    /// Something the IR does not model (`_`, verbatim tokens).
    Missing,
    Local(LocalId),
    Path(PathId),
    Lit(Lit),
    Call {
        callee: ExprId,
        args: List<ExprId>,
    },
    MethodCall(MethodCallId),
    Macro(MacroId),
    Closure(ClosureId),
    Block(BlockId),
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
        arms: List<Arm>,
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
    Struct(StructLitId),
    Tuple(List<ExprId>),
    Array(List<ExprId>),
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
    pub turbofish: List<GenericArg>,
    pub args: List<ExprId>,
}

#[derive(Debug)]
pub struct MacroCall {
    pub path: PathId,
    pub args: MacroArgs,
}

#[derive(Debug, Clone, Copy)]
pub enum MacroArgs {
    /// Comma-separated expressions: `vec![a, b]`, `println!("{}", x)`, `assert_eq!(a, b)`.
    /// Named format arguments (`name = expr`) keep only their expression; locals named inside a
    /// format string (`"{x}"`) are added as borrows of them.
    List(List<ExprId>),
    /// `vec![elem; len]`.
    Repeat { elem: ExprId, len: ExprId },
    /// A macro whose syntax is not known: the locals its tokens name (each a
    /// [`ExprKind::Local`]), since it may use them in any way.
    Opaque(List<ExprId>),
}

/// A closure or an `async` block.
#[derive(Debug)]
pub struct Closure {
    pub kind: ClosureKind,
    pub is_move: bool,
    /// The closure's parameter patterns (none for `async` blocks).
    pub params: List<PatId>,
    pub ret: Option<TyId>,
    pub body: ExprId,
    /// Locals of the enclosing body used inside, in order of first use.
    pub captures: List<Capture>,
    /// `move |x: u8| -> u8` or `async move`: what a message about the closure points at.
    pub head: Span,
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
    pub stmts: List<Stmt>,
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

#[derive(Debug, Clone, Copy)]
pub enum Stmt {
    Let(LetId),
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

#[derive(Debug, Clone, Copy)]
pub struct Arm {
    pub pat: PatId,
    pub guard: Option<ExprId>,
    pub body: ExprId,
}

#[derive(Debug)]
pub struct StructLit {
    pub path: PathId,
    pub fields: List<(Sym, ExprId)>,
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

/// The primitive integer types, as literal suffixes and `repr`s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntTy {
    U8,
    U16,
    U32,
    U64,
    U128,
    Usize,
    I8,
    I16,
    I32,
    I64,
    I128,
    Isize,
}

impl IntTy {
    pub fn name(self) -> &'static str {
        match self {
            IntTy::U8 => "u8",
            IntTy::U16 => "u16",
            IntTy::U32 => "u32",
            IntTy::U64 => "u64",
            IntTy::U128 => "u128",
            IntTy::Usize => "usize",
            IntTy::I8 => "i8",
            IntTy::I16 => "i16",
            IntTy::I32 => "i32",
            IntTy::I64 => "i64",
            IntTy::I128 => "i128",
            IntTy::Isize => "isize",
        }
    }

    pub fn from_name(name: &str) -> Option<IntTy> {
        Some(match name {
            "u8" => IntTy::U8,
            "u16" => IntTy::U16,
            "u32" => IntTy::U32,
            "u64" => IntTy::U64,
            "u128" => IntTy::U128,
            "usize" => IntTy::Usize,
            "i8" => IntTy::I8,
            "i16" => IntTy::I16,
            "i32" => IntTy::I32,
            "i64" => IntTy::I64,
            "i128" => IntTy::I128,
            "isize" => IntTy::Isize,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Deref,
    Not,
    Neg,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Lit {
    /// An integer literal that fits in a `u64`.
    Int {
        value: u64,
        suffix: Option<IntTy>,
    },
    /// An integer literal too large for a `u64`.
    BigInt,
    /// A float literal, with the bits of its suffix (`f32`: 32) if it has one.
    Float {
        value: f64,
        bits: Option<u8>,
    },
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
    Tuple(List<PatId>),
    TupleStruct {
        path: PathId,
        elems: List<PatId>,
    },
    Struct {
        path: PathId,
        fields: List<(Sym, PatId)>,
    },
    /// A unit struct, unit variant or constant (`None`, `Ordering::Less`, `MAX`).
    Path(PathId),
    Ref {
        mutable: bool,
        pat: PatId,
    },
    Or(List<PatId>),
    Slice(List<PatId>),
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
    Path(PathId),
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
    Tuple(List<TyId>),
    FnPtr {
        params: List<TyId>,
        ret: Option<TyId>,
    },
    /// `dyn A + B`; each bound is a trait path.
    Dyn(List<TyId>),
    /// `impl A + B`.
    Impl(List<TyId>),
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
    pub segments: List<Segment>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy)]
pub struct QSelf {
    pub ty: TyId,
    /// Number of segments of `path` that name the trait in `<T as Trait>::x`.
    pub position: u32,
}

#[derive(Debug, Clone, Copy)]
pub struct Segment {
    pub name: Sym,
    pub args: Option<GenericArgsId>,
}

#[derive(Debug, Clone, Copy)]
pub enum GenericArgs {
    /// `<A, B, Item = C>`.
    Angle(List<GenericArg>),
    /// `Fn(A, B) -> C`.
    Paren {
        inputs: List<TyId>,
        output: Option<TyId>,
    },
}

#[derive(Debug, Clone, Copy)]
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

impl FileIr {
    /// The names of a path's segments.
    pub fn segment_names(&self, path: &Path) -> impl Iterator<Item = Sym> + '_ {
        self.list(path.segments).iter().map(|s| s.name)
    }

    /// The last segment's name.
    pub fn path_last(&self, path: &Path) -> Option<Sym> {
        self.list(path.segments).last().map(|s| s.name)
    }

    /// The single identifier of a path like `foo`, without generics, `::` or qualified self.
    pub fn path_ident(&self, path: &Path) -> Option<Sym> {
        match self.list(path.segments) {
            [seg] if !path.global && path.qself.is_none() && seg.args.is_none() => Some(seg.name),
            _ => None,
        }
    }
}

pub mod walk;
