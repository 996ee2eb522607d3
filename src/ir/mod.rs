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
//!
//! The node types are defined by construct, in `item`, `body`, `expr`, `pat` and `ty`, and all
//! re-exported here: users write `use crate::ir::*`.

mod body;
pub mod directive;
mod expr;
mod item;
mod pat;
mod ty;
pub mod walk;

pub use body::*;
pub use directive::{Contract, ContractKind, ContractSource};
pub use expr::*;
pub use item::*;
pub use pat::*;
pub use ty::*;

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
    /// The contracts written as attributes on the file's functions (`#[cfg_attr(escape,
    /// no_alloc)]`, rtsan's `#[nonblocking]`), by function. Comments (`// escape: no_alloc`)
    /// stay in `directives`.
    pub contracts: Vec<(ItemId, Contract)>,
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
    /// Whether `pat` binds `local`, at any depth.
    pub fn pat_binds(&self, pat: PatId, local: LocalId) -> bool {
        let mut stack = vec![pat];
        while let Some(p) = stack.pop() {
            match &self.pat(p).kind {
                PatKind::Bind { local: l, sub } => {
                    if *l == local {
                        return true;
                    }
                    stack.extend(*sub);
                }
                PatKind::Tuple(l) | PatKind::Or(l) | PatKind::Slice(l) => {
                    stack.extend_from_slice(self.list(*l))
                }
                PatKind::TupleStruct { elems, .. } => stack.extend_from_slice(self.list(*elems)),
                PatKind::Struct { fields, .. } => {
                    stack.extend(self.list(*fields).iter().map(|(_, p)| *p))
                }
                PatKind::Ref { pat, .. } => stack.push(*pat),
                PatKind::Wild
                | PatKind::Rest
                | PatKind::Path(_)
                | PatKind::Lit
                | PatKind::Missing => {}
            }
        }
        false
    }
    pub fn ty(&self, id: TyId) -> &Ty {
        &self.tys[id.index()]
    }
    pub fn body(&self, id: BodyId) -> &Body {
        &self.bodies[id.index()]
    }
}
