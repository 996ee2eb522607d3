//! Facts about one body, computed the first time a rule or the escape engine asks and kept
//! until the crate is done: the initializer of each `let`, the uses of its expressions, and
//! their types.
//!
//! A crate is analyzed on one thread, so each body's facts sit in `OnceCell`s of the crate's
//! [`CrateCx`](super::CrateCx), one slot per body of its index.

use std::cell::OnceCell;

use super::BodyCx;
use super::display::Printer;
use super::uses::Uses;
use crate::ir::{ExprId, ExprKind, LocalId, PatKind, Stmt, walk};
use crate::sym::FxHashMap;

/// The memoized facts of one body; see [`BodyCx`]'s accessors.
#[derive(Debug, Default)]
pub struct BodyFacts {
    let_inits: OnceCell<FxHashMap<LocalId, ExprId>>,
    uses: OnceCell<Box<Uses>>,
    types: super::types::infer::TypeMemo,
    binding_sites: OnceCell<FxHashMap<LocalId, (crate::ir::PatId, super::types::patterns::Source)>>,
}

impl<'c, 'a> BodyCx<'c, 'a> {
    fn facts(&self) -> &'c BodyFacts {
        &self.cx.body_facts[self.slot]
    }

    /// The initializer of `let local = ..;` (simple bindings only: no sub-pattern).
    pub fn let_init(&self, local: LocalId) -> Option<ExprId> {
        self.facts()
            .let_inits
            .get_or_init(|| let_inits(self))
            .get(&local)
            .copied()
    }

    /// How each expression of the body is used, and where each local is read.
    pub fn uses(&self) -> &'c Uses {
        self.facts()
            .uses
            .get_or_init(|| Box::new(Uses::of_body(self)))
    }

    /// The memo of the body's expression types ([`super::types::ty_of`]).
    pub(crate) fn type_memo(&self) -> &'c super::types::infer::TypeMemo {
        &self.facts().types
    }

    /// The pattern binding each local bound in a pattern, with where its value comes from.
    pub(crate) fn binding_sites(
        &self,
    ) -> &'c FxHashMap<LocalId, (crate::ir::PatId, super::types::patterns::Source)> {
        self.facts()
            .binding_sites
            .get_or_init(|| super::types::patterns::binding_sites(self))
    }

    /// Source-like text for the body's expressions, patterns and types.
    pub fn printer(&self) -> Printer<'a> {
        Printer::new(self.ir, Some(self.body))
    }
}

/// The initializer of each `let x = ..;` binding of a body (simple bindings only).
fn let_inits(bcx: &BodyCx<'_, '_>) -> FxHashMap<LocalId, ExprId> {
    let ir = bcx.ir;
    let mut inits = FxHashMap::default();
    walk::walk(ir, bcx.body.value, &mut |_, _, expr| {
        let ExprKind::Block(block) = expr.kind else {
            return;
        };
        for stmt in ir.list(ir.block(block).stmts) {
            let Stmt::Let(l) = *stmt else { continue };
            let l = ir.let_stmt(l);
            if let (PatKind::Bind { local, sub: None }, Some(init)) = (&ir.pat(l.pat).kind, l.init)
            {
                inits.insert(*local, init);
            }
        }
    });
    inits
}
