//! Bodies and their local variables.

use super::{ExprId, ItemId, List, LocalId, PatId, Span, TyId};
use crate::sym::Sym;

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
    /// The body's first expression. Lowering numbers an expression after the ones inside it,
    /// so the body's expressions are numbered from `first_expr` to `value` (with those of
    /// items declared inside it among them).
    pub first_expr: ExprId,
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
    /// For a local of a `let`, `if let`, `while let`, `match` or `for` pattern: that
    /// pattern, whole, and where its value comes from.
    pub bound: Option<Binding>,
}

/// The pattern that binds a local, and the value it destructures.
#[derive(Clone, Copy, Debug)]
pub struct Binding {
    pub pat: PatId,
    pub source: BindSource,
}

/// Where a pattern's value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BindSource {
    /// The value of an expression: a `let` initializer, a scrutinee.
    Value(ExprId),
    /// The items of what a `for` loop iterates.
    Items(ExprId),
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
