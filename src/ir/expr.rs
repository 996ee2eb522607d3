//! Expressions, blocks, statements, closures and the macro calls kept in expression position.

use super::{
    BlockId, ClosureId, ExprId, GenericArg, IntTy, ItemId, LetId, List, LocalId, MacroId,
    MethodCallId, PatId, PathId, Span, StructLitId, TyId,
};
use crate::sym::Sym;

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
