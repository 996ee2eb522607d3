//! Uses: how each expression's value is used by the expression or statement around it, and
//! where each local is read, after clippy's `ExprUseVisitor`.
//!
//! Without types, whether a use moves or copies a value, and whether a method takes its
//! receiver by value or by reference, cannot be told; a [`Use`] says what the code shows: bound
//! by a `let`, passed to a call, borrowed by `&`, used in place as a receiver or the base of a
//! field, read as an operand, dropped by `;`. A block's tail and a branch of `if` or `match`
//! give their value to the expression around them, whose own use then applies.

use super::BodyCx;
use crate::ir::*;

/// How an expression's value is used by the expression or statement around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Use {
    /// Bound by a `let` (any pattern, `_` included).
    Let(LetId),
    /// An argument of the call or method call `call`.
    Arg { call: ExprId },
    /// The function a call calls.
    Callee,
    /// The receiver of the method call `call`: borrowed or moved, as the method takes `self`.
    Receiver { call: ExprId },
    /// Borrowed: `&e`, `&mut e`.
    Borrow { mutable: bool },
    /// The base of a field, an index or a dereference: used in place.
    Project,
    /// Read as an operand: `!e`, `e + 1`, a condition, an index, a guard, a length, `e as T`.
    Read,
    /// Dropped where it is: `e;`, a loop's body, a `let .. else` block.
    Discard,
    /// A block's tail: the block's own use applies.
    Tail,
    /// A branch of `if` or `match`: its value is the whole expression's.
    Branch,
    /// Leaves by a jump: `return e`, `break e`, `yield e`, a body's or a closure's value.
    Return,
    /// Moved into a value being built: a field of a struct literal, an element of a tuple or
    /// array, a range bound.
    Part,
    /// The value of an assignment: `place = e`, `place += e`.
    Assigned,
    /// The place an assignment writes: `e = value`, `e += value`.
    Written,
    /// Matched against patterns, iterated or unwrapped: a `match` or `if let` scrutinee, a
    /// `for` loop's iterator, the operand of `?` or `.await`.
    Scrutinee,
    /// Given to a macro whose arguments are not read.
    MacroArg,
}

/// What a [`Use`] does to the value, in the terms of clippy's `ExprUseVisitor`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UseKind {
    /// Moved (or copied, for a `Copy` type) somewhere else.
    Moved,
    /// Borrowed by `&` or `&mut`.
    Borrowed { mutable: bool },
    /// Read as an operand: copied.
    Read,
    /// Used where it is: a method's receiver, the base of a projection.
    InPlace,
    /// Written to by an assignment.
    Written,
    /// Dropped on the spot.
    Discarded,
    /// Handed to the expression around it, whose use applies.
    Flows,
}

impl Use {
    pub fn kind(self) -> UseKind {
        match self {
            Use::Let(_)
            | Use::Arg { .. }
            | Use::Return
            | Use::Part
            | Use::Assigned
            | Use::Scrutinee
            | Use::MacroArg => UseKind::Moved,
            Use::Borrow { mutable } => UseKind::Borrowed { mutable },
            Use::Read | Use::Callee => UseKind::Read,
            Use::Receiver { .. } | Use::Project => UseKind::InPlace,
            Use::Written => UseKind::Written,
            Use::Discard => UseKind::Discarded,
            Use::Tail | Use::Branch => UseKind::Flows,
        }
    }
}

/// One expression's use.
#[derive(Clone, Copy, Debug)]
pub struct ExprUse {
    /// The expression around it; `None` for the body's value.
    pub parent: Option<ExprId>,
    pub how: Use,
    /// Inside an `unsafe` block or an `unsafe fn`.
    pub in_unsafe: bool,
}

/// The uses of a body's expressions and locals.
#[derive(Debug, Default)]
pub struct Uses {
    /// By expression, from the body's first one.
    exprs: Vec<Option<ExprUse>>,
    first: usize,
    /// By local.
    locals: Vec<Vec<ExprId>>,
}

impl Uses {
    /// How `expr`, an expression of the body, is used.
    pub fn of(&self, expr: ExprId) -> Option<ExprUse> {
        let i = expr.index().checked_sub(self.first)?;
        self.exprs.get(i).copied().flatten()
    }

    /// The expressions that name a local, in source order.
    pub fn of_local(&self, local: LocalId) -> &[ExprId] {
        self.locals.get(local.index()).map_or(&[], Vec::as_slice)
    }

    /// What happens to `expr`'s value, through block tails and branches.
    pub fn kind_of(&self, mut expr: ExprId) -> Option<UseKind> {
        loop {
            let at = self.of(expr)?;
            match at.how.kind() {
                UseKind::Flows => expr = at.parent?,
                kind => return Some(kind),
            }
        }
    }

    /// The uses of every expression of a body.
    pub fn of_body(bcx: &BodyCx<'_, '_>) -> Uses {
        let body = bcx.body;
        let first = body.first_expr.index();
        let mut uses = Uses {
            exprs: vec![None; (body.value.index() + 1).saturating_sub(first)],
            first,
            locals: vec![Vec::new(); body.locals.len()],
        };
        let in_unsafe_fn = bcx.function().is_some_and(|f| f.sig.is_unsafe);
        let mut walker = Walker {
            ir: bcx.ir,
            uses: &mut uses,
        };
        walker.visit(bcx.body.value, None, Use::Return, in_unsafe_fn);
        uses
    }
}

struct Walker<'w> {
    ir: &'w FileIr,
    uses: &'w mut Uses,
}

impl Walker<'_> {
    fn visit(&mut self, id: ExprId, parent: Option<ExprId>, how: Use, in_unsafe: bool) {
        let ir = self.ir;
        // Every expression of the body is numbered within its range (see `Body::first_expr`).
        if let Some(slot) = id
            .index()
            .checked_sub(self.uses.first)
            .and_then(|i| self.uses.exprs.get_mut(i))
        {
            *slot = Some(ExprUse {
                parent,
                how,
                in_unsafe,
            });
        }
        let child = |walker: &mut Self, e: ExprId, how: Use| {
            walker.visit(e, Some(id), how, in_unsafe);
        };
        match &ir.expr(id).kind {
            ExprKind::Local(l) => {
                if let Some(reads) = self.uses.locals.get_mut(l.index()) {
                    reads.push(id);
                }
            }
            ExprKind::Missing | ExprKind::Path(_) | ExprKind::Lit(_) | ExprKind::Continue => {}
            ExprKind::Call { callee, args } => {
                child(self, *callee, Use::Callee);
                for &arg in ir.list(*args) {
                    child(self, arg, Use::Arg { call: id });
                }
            }
            ExprKind::MethodCall(m) => {
                let m = ir.method_call(*m);
                child(self, m.receiver, Use::Receiver { call: id });
                for &arg in ir.list(m.args) {
                    child(self, arg, Use::Arg { call: id });
                }
            }
            ExprKind::Macro(m) => match ir.macro_call(*m).args {
                MacroArgs::List(list) | MacroArgs::Opaque(list) => {
                    for &arg in ir.list(list) {
                        child(self, arg, Use::MacroArg);
                    }
                }
                MacroArgs::Repeat { elem, len } => {
                    child(self, elem, Use::MacroArg);
                    child(self, len, Use::MacroArg);
                }
            },
            ExprKind::Closure(c) => child(self, ir.closure(*c).body, Use::Return),
            ExprKind::Block(b) => self.block(id, ir.block(*b), in_unsafe),
            ExprKind::If { cond, then, els } => {
                child(self, *cond, Use::Read);
                child(self, *then, Use::Branch);
                if let Some(e) = els {
                    child(self, *e, Use::Branch);
                }
            }
            ExprKind::Let { expr, .. } => child(self, *expr, Use::Scrutinee),
            ExprKind::Match { scrutinee, arms } => {
                child(self, *scrutinee, Use::Scrutinee);
                for arm in ir.list(*arms) {
                    if let Some(g) = arm.guard {
                        child(self, g, Use::Read);
                    }
                    child(self, arm.body, Use::Branch);
                }
            }
            ExprKind::Loop { body, .. } => child(self, *body, Use::Discard),
            ExprKind::While { cond, body, .. } => {
                child(self, *cond, Use::Read);
                child(self, *body, Use::Discard);
            }
            ExprKind::For { iter, body, .. } => {
                child(self, *iter, Use::Scrutinee);
                child(self, *body, Use::Discard);
            }
            ExprKind::Assign { place, value } | ExprKind::AssignOp { place, value, .. } => {
                child(self, *value, Use::Assigned);
                child(self, *place, Use::Written);
            }
            ExprKind::Binary { lhs, rhs, .. } => {
                child(self, *lhs, Use::Read);
                child(self, *rhs, Use::Read);
            }
            ExprKind::Unary { op, expr } => {
                let how = match op {
                    UnOp::Deref => Use::Project,
                    UnOp::Not | UnOp::Neg => Use::Read,
                };
                child(self, *expr, how);
            }
            ExprKind::Ref { expr, mutable, .. } => {
                child(self, *expr, Use::Borrow { mutable: *mutable })
            }
            ExprKind::Cast { expr, .. } => child(self, *expr, Use::Read),
            ExprKind::Try(e) | ExprKind::Await(e) => child(self, *e, Use::Scrutinee),
            ExprKind::Field { base, .. } => child(self, *base, Use::Project),
            ExprKind::Index { base, index } => {
                child(self, *base, Use::Project);
                child(self, *index, Use::Read);
            }
            ExprKind::Struct(s) => {
                let s = ir.struct_lit(*s);
                for &(_, e) in ir.list(s.fields) {
                    child(self, e, Use::Part);
                }
                if let Some(rest) = s.rest {
                    child(self, rest, Use::Part);
                }
            }
            ExprKind::Tuple(list) | ExprKind::Array(list) => {
                for &e in ir.list(*list) {
                    child(self, e, Use::Part);
                }
            }
            ExprKind::Repeat { elem, len } => {
                child(self, *elem, Use::Part);
                child(self, *len, Use::Read);
            }
            ExprKind::Return(value) | ExprKind::Yield(value) | ExprKind::Break { value, .. } => {
                if let Some(v) = value {
                    child(self, *v, Use::Return);
                }
            }
            ExprKind::Range { lo, hi } => {
                for e in [lo, hi].into_iter().flatten() {
                    child(self, *e, Use::Part);
                }
            }
        }
    }

    fn block(&mut self, id: ExprId, block: &Block, in_unsafe: bool) {
        let ir = self.ir;
        let in_unsafe = in_unsafe || block.kind == BlockKind::Unsafe;
        for stmt in ir.list(block.stmts) {
            match *stmt {
                Stmt::Let(l) => {
                    let let_stmt = ir.let_stmt(l);
                    if let Some(init) = let_stmt.init {
                        self.visit(init, Some(id), Use::Let(l), in_unsafe);
                    }
                    if let Some(els) = let_stmt.els {
                        self.visit(els, Some(id), Use::Discard, in_unsafe);
                    }
                }
                Stmt::Expr { expr, .. } => self.visit(expr, Some(id), Use::Discard, in_unsafe),
                Stmt::Item(_) => {}
            }
        }
        if let Some(tail) = block.tail {
            self.visit(tail, Some(id), Use::Tail, in_unsafe);
        }
    }
}
