//! Control flow: `if`, `match`, loops, and the jumps out of them (`break`, `continue`,
//! `return`, `yield`).

use super::Lowerer;
use crate::ir::*;

impl Lowerer<'_> {
    /// `if cond { .. } else ..`: the bindings of an `if let` are visible in the `then` block
    /// only.
    pub(super) fn if_expr(&mut self, i: &syn::ExprIf) -> (Span, ExprKind) {
        let mark = self.scope_mark();
        let cond = self.expr(&i.cond);
        let then = self.block_expr(&i.then_branch, None, BlockKind::Plain);
        self.scope_reset(mark);
        let els = i.else_branch.as_ref().map(|(_, e)| self.expr(e));
        let lo = self.span(i.if_token.span);
        let hi = els.map_or(self.espan(then), |e| self.espan(e));
        (lo.to(hi), ExprKind::If { cond, then, els })
    }

    /// `let PAT = EXPR` in a condition.
    pub(super) fn let_expr(&mut self, l: &syn::ExprLet) -> (Span, ExprKind) {
        let value = self.expr(&l.expr);
        let mark = self.locals_mark();
        let pat = self.pat(&l.pat, LocalKind::Pattern, None);
        self.bound_since(mark, pat, BindSource::Value(value));
        let lo = self.span(l.let_token.span);
        (lo.to(self.espan(value)), ExprKind::Let { pat, expr: value })
    }

    pub(super) fn match_expr(&mut self, m: &syn::ExprMatch) -> (Span, ExprKind) {
        let scrutinee = self.expr(&m.expr);
        let placeholder = Arm {
            pat: PatId(0),
            guard: None,
            body: ExprId(0),
        };
        let arms = self.lower_list(m.arms.iter(), placeholder, |cx, arm| {
            if !cx.attrs(&arm.attrs).keep(cx.test) {
                return None;
            }
            let mark = cx.scope_mark();
            let locals = cx.locals_mark();
            // syn 3 keeps an arm's `if` guard inside its pattern.
            let (pat, guard) = match &arm.pat {
                syn::Pat::Guard(g) => {
                    let pat = cx.pat(&g.pat, LocalKind::Pattern, None);
                    cx.bound_since(locals, pat, BindSource::Value(scrutinee));
                    (pat, Some(cx.expr(&g.guard)))
                }
                other => {
                    let pat = cx.pat(other, LocalKind::Pattern, None);
                    cx.bound_since(locals, pat, BindSource::Value(scrutinee));
                    (pat, None)
                }
            };
            let body = cx.expr(&arm.body);
            cx.scope_reset(mark);
            Some(Arm { pat, guard, body })
        });
        let span = self
            .span(m.match_token.span)
            .to(self.span(m.brace_token.span.close()));
        (span, ExprKind::Match { scrutinee, arms })
    }

    pub(super) fn for_loop(&mut self, f: &syn::ExprForLoop) -> (Span, ExprKind) {
        let iter = self.expr(&f.expr);
        let mark = self.scope_mark();
        let locals = self.locals_mark();
        let pat = self.pat(&f.pat, LocalKind::Pattern, None);
        self.bound_since(locals, pat, BindSource::Items(iter));
        let label = f.label.as_ref().map(|l| self.sym(&l.name.ident));
        let body = self.block_expr(&f.body, None, BlockKind::Plain);
        self.scope_reset(mark);
        let mut span = self
            .span(f.for_token.span)
            .to(self.span(f.body.brace_token.span.close()));
        if let Some(l) = &f.label {
            span = span.to(self.span(l.name.apostrophe));
        }
        (
            span,
            ExprKind::For {
                pat,
                iter,
                body,
                label,
            },
        )
    }

    pub(super) fn while_loop(&mut self, w: &syn::ExprWhile) -> (Span, ExprKind) {
        let mark = self.scope_mark();
        let cond = self.expr(&w.cond);
        let label = w.label.as_ref().map(|l| self.sym(&l.name.ident));
        let body = self.block_expr(&w.body, None, BlockKind::Plain);
        self.scope_reset(mark);
        let mut span = self.span(w.while_token.span).to(self.espan(body));
        if let Some(l) = &w.label {
            span = span.to(self.span(l.name.apostrophe));
        }
        (span, ExprKind::While { cond, body, label })
    }

    pub(super) fn loop_expr(&mut self, l: &syn::ExprLoop) -> (Span, ExprKind) {
        let label = l.label.as_ref().map(|l| self.sym(&l.name.ident));
        let body = self.block_expr(&l.body, None, BlockKind::Plain);
        let mut span = self.span(l.loop_token.span).to(self.espan(body));
        if let Some(l) = &l.label {
            span = span.to(self.span(l.name.apostrophe));
        }
        (span, ExprKind::Loop { body, label })
    }

    pub(super) fn break_expr(&mut self, b: &syn::ExprBreak) -> (Span, ExprKind) {
        let lo = self.span(b.break_token.span);
        let label = b.label.as_ref().map(|l| self.sym(&l.ident));
        let value = b.expr.as_ref().map(|e| self.expr(e));
        let mut span = lo;
        if let Some(l) = &b.label {
            span = span.to(self.span(l.ident.span()));
        }
        if let Some(v) = value {
            span = span.to(self.espan(v));
        }
        (span, ExprKind::Break { label, value })
    }

    pub(super) fn continue_expr(&mut self, c: &syn::ExprContinue) -> (Span, ExprKind) {
        let mut span = self.span(c.continue_token.span);
        if let Some(l) = &c.label {
            span = span.to(self.span(l.ident.span()));
        }
        (span, ExprKind::Continue)
    }

    pub(super) fn return_expr(&mut self, r: &syn::ExprReturn) -> (Span, ExprKind) {
        let value = r.expr.as_ref().map(|e| self.expr(e));
        let lo = self.span(r.return_token.span);
        (
            value.map_or(lo, |v| lo.to(self.espan(v))),
            ExprKind::Return(value),
        )
    }

    pub(super) fn yield_expr(&mut self, y: &syn::ExprYield) -> (Span, ExprKind) {
        let value = y.expr.as_ref().map(|e| self.expr(e));
        let lo = self.span(y.yield_token.span);
        (
            value.map_or(lo, |v| lo.to(self.espan(v))),
            ExprKind::Yield(value),
        )
    }
}
