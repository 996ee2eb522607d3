//! Locals and their scopes: binding a pattern's names, finding the local a name refers to
//! (and recording it as a capture of every closure it is used in), and scopes as marks on the
//! stack of visible names.

use super::Lowerer;
use crate::ir::*;
use crate::sym::Sym;

/// What lowering knows of the body it is in.
#[derive(Default)]
pub(super) struct BodyCx {
    pub(super) locals: Vec<Local>,
    /// Visible locals, innermost last. A scope is a length of this stack.
    pub(super) scope: Vec<(Sym, LocalId)>,
    /// Closures being lowered, innermost last.
    pub(super) closures: Vec<OpenClosure>,
    pub(super) items: Vec<ItemId>,
    /// Names already bound by the first alternative of the or-pattern being lowered, so that
    /// every alternative binds the same local.
    pub(super) or_bindings: Option<Vec<(Sym, LocalId)>>,
}

/// A closure being lowered, and what it captured so far.
pub(super) struct OpenClosure {
    /// Locals with a smaller id were declared outside the closure.
    pub(super) first_local: u32,
    pub(super) captures: Vec<Capture>,
}

impl Lowerer<'_> {
    /// Declares a local in the current scope. Outside any body (a closure in an array length,
    /// say) there are no locals, and the id is a placeholder.
    pub(super) fn bind(
        &mut self,
        name: Sym,
        span: Span,
        mutable: bool,
        by_ref: bool,
        ty: Option<TyId>,
        kind: LocalKind,
    ) -> LocalId {
        let Some(body) = &mut self.body else {
            return LocalId(u32::MAX);
        };
        if let Some(bound) = &body.or_bindings
            && let Some(&(_, id)) = bound.iter().find(|(n, _)| *n == name)
        {
            body.scope.push((name, id));
            return id;
        }
        let id = LocalId(body.locals.len() as u32);
        body.locals.push(Local {
            name,
            span,
            mutable,
            by_ref,
            ty,
            kind,
            bound: None,
        });
        body.scope.push((name, id));
        id
    }

    /// How many locals the body has so far: a mark for [`Self::bound_since`].
    pub(super) fn locals_mark(&self) -> usize {
        self.body.as_ref().map_or(0, |b| b.locals.len())
    }

    /// Records `pat` and its source as the binding of the locals declared since `mark`, which
    /// are the ones `pat` declared.
    pub(super) fn bound_since(&mut self, mark: usize, pat: PatId, source: BindSource) {
        if let Some(body) = &mut self.body {
            for local in &mut body.locals[mark..] {
                local.bound = Some(Binding { pat, source });
            }
        }
    }

    /// The local `name` refers to, if one is in scope; a use from inside a closure records a
    /// capture in every closure between the use and the declaration.
    pub(super) fn lookup_local(&mut self, name: Sym, span: Span) -> Option<LocalId> {
        let body = self.body.as_mut()?;
        let id = body.scope.iter().rev().find(|(n, _)| *n == name)?.1;
        for closure in body.closures.iter_mut().rev() {
            if id.0 >= closure.first_local {
                break;
            }
            if !closure.captures.iter().any(|c| c.local == id) {
                closure.captures.push(Capture { local: id, span });
            }
        }
        Some(id)
    }

    /// Marks the current scope; [`Self::scope_reset`] forgets the names bound after it.
    pub(super) fn scope_mark(&self) -> usize {
        self.body.as_ref().map_or(0, |b| b.scope.len())
    }

    pub(super) fn scope_reset(&mut self, mark: usize) {
        if let Some(body) = &mut self.body {
            body.scope.truncate(mark);
        }
    }
}
