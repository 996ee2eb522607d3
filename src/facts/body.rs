//! Facts about one body, computed the first time a rule or the escape engine asks and kept
//! until the crate is done: the uses of its expressions and their types. What syntax alone
//! says (the initializer of each `let`) is read from the IR.
//!
//! A crate is analyzed on one thread, so each body's facts sit in `OnceCell`s of the crate's
//! [`CrateCx`](super::CrateCx), one slot per body of its index.

use std::cell::OnceCell;

use super::BodyCx;
use super::display::Printer;
use super::uses::Uses;
use crate::ir::{BindSource, Binding, ExprId, LocalId, LocalKind, PatKind};

/// The memoized facts of one body; see [`BodyCx`]'s accessors.
#[derive(Debug, Default)]
pub struct BodyFacts {
    uses: OnceCell<Box<Uses>>,
    types: super::types::infer::TypeMemo,
}

impl<'c, 'a> BodyCx<'c, 'a> {
    fn facts(&self) -> &'c BodyFacts {
        &self.cx.body_facts[self.slot]
    }

    /// The initializer of `let local = ..;` (simple bindings only: no sub-pattern).
    pub fn let_init(&self, local: LocalId) -> Option<ExprId> {
        let l = self.body.local(local);
        match (l.kind, l.bound?) {
            (
                LocalKind::Let,
                Binding {
                    pat,
                    source: BindSource::Value(init),
                },
            ) if matches!(self.ir.pat(pat).kind, PatKind::Bind { local: b, sub: None } if b == local) => {
                Some(init)
            }
            _ => None,
        }
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

    /// Source-like text for the body's expressions, patterns and types.
    pub fn printer(&self) -> Printer<'a> {
        Printer::new(self.ir, Some(self.body))
    }
}
