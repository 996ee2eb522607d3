//! Closures and `async` blocks. Their parameters and locals live in the enclosing body; what
//! they use of the body's locals before them is recorded as their captures.

use super::Lowerer;
use super::scope::OpenClosure;
use crate::ir::*;

impl Lowerer<'_> {
    /// `|x| body`, `move |x: u8| -> u8 { .. }`, `async |x| ..`.
    pub(super) fn closure_expr(&mut self, c: &syn::ExprClosure) -> (Span, ExprKind) {
        let lo = c
            .asyncness
            .as_ref()
            .map(|t| self.span(t.span))
            .or(c.capture.as_ref().map(|t| self.span(t.span)))
            .unwrap_or_else(|| self.span(c.inputs_begin.span));
        let kind = if c.asyncness.is_some() {
            ClosureKind::AsyncClosure
        } else {
            ClosureKind::Closure
        };
        let ret = match &c.output {
            syn::ReturnType::Default => None,
            syn::ReturnType::Type(_, ty) => Some(self.ty(ty)),
        };
        let inputs: Vec<&syn::Pat> = c.inputs.iter().collect();
        let closure = self.closure_like(kind, c.capture.is_some(), &inputs, ret, |cx| {
            cx.expr(&c.body)
        });
        let hi = self.espan(self.ir.closure(closure).body);
        let head_hi = ret.map_or_else(|| self.span(c.inputs_end.span), |t| self.ir.ty(t).span);
        self.ir.closures[closure.index()].head = lo.to(head_hi);
        (lo.to(hi), ExprKind::Closure(closure))
    }

    /// `async { .. }` and `async move { .. }`: lowered as a closure without parameters, so that
    /// its captures are recorded as a closure's are.
    pub(super) fn async_block(&mut self, a: &syn::ExprAsync) -> (Span, ExprKind) {
        let lo = self.span(a.async_token.span);
        let hi = self.span(a.block.brace_token.span.close());
        let closure = self.closure_like(
            ClosureKind::AsyncBlock,
            a.capture.is_some(),
            &[],
            None,
            |cx| cx.block_expr(&a.block, None, BlockKind::Plain),
        );
        let head_hi = a.capture.as_ref().map_or(lo, |m| self.span(m.span));
        self.ir.closures[closure.index()].head = lo.to(head_hi);
        (lo.to(hi), ExprKind::Closure(closure))
    }

    /// Lowers a closure or `async` block: its parameters and body in a scope of their own,
    /// recording the locals of the enclosing body it uses as its captures.
    fn closure_like(
        &mut self,
        kind: ClosureKind,
        is_move: bool,
        inputs: &[&syn::Pat],
        ret: Option<TyId>,
        body: impl FnOnce(&mut Self) -> ExprId,
    ) -> ClosureId {
        let mark = self.scope_mark();
        if let Some(cx) = &mut self.body {
            cx.closures.push(OpenClosure {
                first_local: cx.locals.len() as u32,
                captures: Vec::new(),
            });
        }
        let params = self.pats(inputs.iter().copied(), LocalKind::ClosureParam);
        let body = body(self);
        self.scope_reset(mark);
        // A closure outside any body (in an array length, say) captures nothing.
        let captures = match self.body.as_mut().and_then(|b| b.closures.pop()) {
            Some(open) => self.push_list(open.captures),
            None => List::EMPTY,
        };
        let id = ClosureId(self.ir.closures.len() as u32);
        self.ir.closures.push(Closure {
            kind,
            is_move,
            params,
            ret,
            body,
            captures,
            head: Span::default(),
        });
        id
    }
}
