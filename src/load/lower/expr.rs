//! Expressions: the dispatch over syn's expression kinds, and the lowering of operators,
//! calls, places, literals and struct literals. Control flow, blocks, closures and macros
//! have files of their own.

use super::{Lowerer, MAX_DEPTH, member_name};
use crate::ir::*;
use crate::sym::Sym;

impl Lowerer<'_> {
    pub(super) fn push_expr(&mut self, span: Span, kind: ExprKind) -> ExprId {
        let id = ExprId(self.ir.exprs.len() as u32);
        self.ir.exprs.push(Expr { kind, span });
        id
    }

    pub(super) fn espan(&self, id: ExprId) -> Span {
        self.ir.exprs[id.index()].span
    }

    pub(super) fn exprs<'e>(
        &mut self,
        list: impl ExactSizeIterator<Item = &'e syn::Expr>,
    ) -> List<ExprId> {
        self.lower_list(list, ExprId(0), |cx, e| Some(cx.expr(e)))
    }

    /// Lowers an expression, unless it is nested deeper than [`MAX_DEPTH`].
    pub(super) fn expr(&mut self, expr: &syn::Expr) -> ExprId {
        if self.depth >= MAX_DEPTH {
            let span = self.first_token_span(expr);
            self.truncate(span);
            return self.push_expr(span, ExprKind::Missing);
        }
        self.depth += 1;
        let id = self.expr_inner(expr);
        self.depth -= 1;
        id
    }

    /// A span for an expression we will not descend into: its first token.
    fn first_token_span(&self, expr: &syn::Expr) -> Span {
        expr_first_token(expr).map_or(Span::default(), |s| self.span(s))
    }

    /// Lowers one expression: a dispatch to the function for its kind. Most return the
    /// expression's span and kind, pushed here (a loop's position recorded with it); those that
    /// push their own node or reuse one (a path, a block, a parenthesized expression) return
    /// its id.
    fn expr_inner(&mut self, expr: &syn::Expr) -> ExprId {
        use syn::Expr as E;
        let (span, kind) = match expr {
            E::Array(a) => {
                let elems = self.exprs(a.elems.iter());
                (self.join(&a.bracket_token.span), ExprKind::Array(elems))
            }
            E::Assign(a) => self.assign_expr(a),
            E::Async(a) => self.async_block(a),
            E::Await(a) => self.await_expr(a),
            E::Binary(b) => self.binary_expr(b),
            E::Block(b) => return self.labeled_block(b),
            E::Break(b) => self.break_expr(b),
            E::Call(c) => self.call_expr(c),
            E::Cast(c) => self.cast_expr(c),
            E::Closure(c) => self.closure_expr(c),
            E::Const(c) => return self.const_block(c),
            E::Continue(c) => self.continue_expr(c),
            E::Field(f) => self.field_expr(f),
            E::ForLoop(f) => self.for_loop(f),
            E::Group(g) => return self.expr(&g.expr),
            E::If(i) => self.if_expr(i),
            E::Index(i) => self.index_expr(i),
            E::Infer(i) => (self.span(i.underscore_token.span), ExprKind::Missing),
            E::Let(l) => self.let_expr(l),
            E::Lit(l) => (
                self.full_span(l.lit.span()),
                ExprKind::Lit(self.lit(&l.lit)),
            ),
            E::Loop(l) => self.loop_expr(l),
            E::Macro(m) => return self.expr_macro(&m.mac),
            E::Match(m) => self.match_expr(m),
            E::MethodCall(m) => self.method_call(m),
            E::Paren(p) => return self.paren_expr(p),
            E::Path(p) => return self.path_expr(p),
            E::Range(r) => self.range_expr(r),
            E::RawAddr(r) => self.raw_addr_expr(r),
            E::Reference(r) => self.ref_expr(r),
            E::Repeat(r) => {
                let elem = self.expr(&r.expr);
                let len = self.expr(&r.len);
                (
                    self.join(&r.bracket_token.span),
                    ExprKind::Repeat { elem, len },
                )
            }
            E::Return(r) => self.return_expr(r),
            E::Struct(s) => self.struct_expr(s),
            E::Try(t) => {
                let inner = self.expr(&t.expr);
                let span = self.espan(inner).to(self.span(t.question_token.span));
                (span, ExprKind::Try(inner))
            }
            E::TryBlock(t) => return self.try_block(t),
            E::Tuple(t) => {
                let elems = self.exprs(t.elems.iter());
                (self.join(&t.paren_token.span), ExprKind::Tuple(elems))
            }
            E::Unary(u) => self.unary_expr(u),
            E::Unsafe(u) => return self.unsafe_block(u),
            E::While(w) => self.while_loop(w),
            E::Yield(y) => self.yield_expr(y),
            other => (self.first_token_span(other), ExprKind::Missing),
        };
        let is_loop = matches!(
            kind,
            ExprKind::Loop { .. } | ExprKind::While { .. } | ExprKind::For { .. }
        );
        let id = self.push_expr(span, kind);
        if is_loop {
            let (line, column) = self.lines.line_column(self.text, span.lo);
            self.ir.loop_positions.push((id, line, column));
        }
        id
    }

    fn assign_expr(&mut self, a: &syn::ExprAssign) -> (Span, ExprKind) {
        let place = self.expr(&a.left);
        let value = self.expr(&a.right);
        (
            self.espan(place).to(self.espan(value)),
            ExprKind::Assign { place, value },
        )
    }

    fn await_expr(&mut self, a: &syn::ExprAwait) -> (Span, ExprKind) {
        let base = self.expr(&a.base);
        let hi = self.span(a.await_token.span);
        (self.espan(base).to(hi), ExprKind::Await(base))
    }

    /// `a + b`, and `a += b`, which is an assignment.
    fn binary_expr(&mut self, b: &syn::ExprBinary) -> (Span, ExprKind) {
        let lhs = self.expr(&b.left);
        let rhs = self.expr(&b.right);
        let span = self.espan(lhs).to(self.espan(rhs));
        let kind = match bin_op(&b.op) {
            (op, false) => ExprKind::Binary { op, lhs, rhs },
            (op, true) => ExprKind::AssignOp {
                op,
                place: lhs,
                value: rhs,
            },
        };
        (span, kind)
    }

    fn call_expr(&mut self, c: &syn::ExprCall) -> (Span, ExprKind) {
        let callee = self.expr(&c.func);
        let args = self.exprs(c.args.iter());
        let hi = self.span(c.paren_token.span.close());
        (self.espan(callee).to(hi), ExprKind::Call { callee, args })
    }

    fn cast_expr(&mut self, c: &syn::ExprCast) -> (Span, ExprKind) {
        let inner = self.expr(&c.expr);
        let ty = self.ty(&c.ty);
        (
            self.espan(inner).to(self.ir.ty(ty).span),
            ExprKind::Cast { expr: inner, ty },
        )
    }

    fn field_expr(&mut self, f: &syn::ExprField) -> (Span, ExprKind) {
        let base = self.expr(&f.base);
        let (name, hi) = match &f.member {
            syn::Member::Named(ident) => self.ident(ident),
            syn::Member::Unnamed(index) => {
                (Sym::new(&index.index.to_string()), self.span(index.span))
            }
        };
        (self.espan(base).to(hi), ExprKind::Field { base, name })
    }

    fn index_expr(&mut self, i: &syn::ExprIndex) -> (Span, ExprKind) {
        let base = self.expr(&i.expr);
        let index = self.expr(&i.index);
        let hi = self.span(i.bracket_token.span.close());
        (self.espan(base).to(hi), ExprKind::Index { base, index })
    }

    fn method_call(&mut self, m: &syn::ExprMethodCall) -> (Span, ExprKind) {
        let receiver = self.expr(&m.receiver);
        let (method, method_span) = self.ident(&m.method);
        let turbofish = match &m.turbofish {
            Some(t) => self.generic_arg_list(&t.args),
            None => List::EMPTY,
        };
        let args = self.exprs(m.args.iter());
        let hi = self.span(m.paren_token.span.close());
        let span = self.espan(receiver).to(hi);
        let id = MethodCallId(self.ir.method_calls.len() as u32);
        self.ir.method_calls.push(MethodCall {
            receiver,
            method,
            method_span,
            turbofish,
            args,
        });
        (span, ExprKind::MethodCall(id))
    }

    fn paren_expr(&mut self, p: &syn::ExprParen) -> ExprId {
        let inner = self.expr(&p.expr);
        // Keep the parentheses in the span, so messages quote what was written.
        let span = self.join(&p.paren_token.span);
        self.ir.exprs[inner.index()].span = span;
        inner
    }

    /// A path, or a local variable when it is a single name bound in scope.
    fn path_expr(&mut self, p: &syn::ExprPath) -> ExprId {
        if p.qself.is_none()
            && p.path.leading_colon.is_none()
            && p.path.segments.len() == 1
            && p.path.segments[0].arguments.is_none()
        {
            let (name, span) = self.ident(&p.path.segments[0].ident);
            if let Some(local) = self.lookup_local(name, span) {
                return self.push_expr(span, ExprKind::Local(local));
            }
        }
        let path = self.path(&p.path, p.qself.as_ref());
        self.push_expr(self.path_span(path), ExprKind::Path(path))
    }

    fn range_expr(&mut self, r: &syn::ExprRange) -> (Span, ExprKind) {
        let lo = r.start.as_ref().map(|e| self.expr(e));
        let hi = r.end.as_ref().map(|e| self.expr(e));
        let op = match &r.limits {
            syn::RangeLimits::HalfOpen(t) => self.span(t.spans[0]).to(self.span(t.spans[1])),
            syn::RangeLimits::Closed(t) => self.span(t.spans[0]).to(self.span(t.spans[2])),
        };
        let mut span = op;
        if let Some(l) = lo {
            span = span.to(self.espan(l));
        }
        if let Some(h) = hi {
            span = span.to(self.espan(h));
        }
        (span, ExprKind::Range { lo, hi })
    }

    /// `&raw const x` and `&raw mut x`.
    fn raw_addr_expr(&mut self, r: &syn::ExprRawAddr) -> (Span, ExprKind) {
        let inner = self.expr(&r.expr);
        let mutable = matches!(r.mutability, syn::PointerMutability::Mut(_));
        let span = self.span(r.and_token.span).to(self.espan(inner));
        (
            span,
            ExprKind::Ref {
                mutable,
                raw: true,
                expr: inner,
            },
        )
    }

    fn ref_expr(&mut self, r: &syn::ExprReference) -> (Span, ExprKind) {
        let inner = self.expr(&r.expr);
        let span = self.span(r.and_token.span).to(self.espan(inner));
        (
            span,
            ExprKind::Ref {
                mutable: r.mutability.is_some(),
                raw: false,
                expr: inner,
            },
        )
    }

    fn struct_expr(&mut self, s: &syn::ExprStruct) -> (Span, ExprKind) {
        let path = self.path(&s.path, s.qself.as_ref());
        let fields = self.lower_list(s.fields.iter(), (Sym::empty(), ExprId(0)), |cx, fv| {
            let name = member_name(cx, &fv.member);
            Some((name, cx.expr(&fv.expr)))
        });
        let rest = s.rest.as_ref().map(|e| self.expr(e));
        let span = self
            .path_span(path)
            .to(self.span(s.brace_token.span.close()));
        let id = StructLitId(self.ir.struct_lits.len() as u32);
        self.ir.struct_lits.push(StructLit { path, fields, rest });
        (span, ExprKind::Struct(id))
    }

    fn unary_expr(&mut self, u: &syn::ExprUnary) -> (Span, ExprKind) {
        let inner = self.expr(&u.expr);
        let (op, lo) = match &u.op {
            syn::UnOp::Deref(t) => (UnOp::Deref, self.span(t.span)),
            syn::UnOp::Not(t) => (UnOp::Not, self.span(t.span)),
            syn::UnOp::Neg(t) => (UnOp::Neg, self.span(t.span)),
            _ => (UnOp::Not, self.espan(inner)),
        };
        (
            lo.to(self.espan(inner)),
            ExprKind::Unary { op, expr: inner },
        )
    }

    /// What the IR keeps of a literal: the value of numbers and booleans, the kind of the others.
    fn lit(&mut self, lit: &syn::Lit) -> Lit {
        match lit {
            syn::Lit::Int(i) => {
                let suffix = IntTy::from_name(i.suffix());
                match i.base10_parse::<u64>() {
                    Ok(value) => Lit::Int { value, suffix },
                    Err(_) => Lit::BigInt,
                }
            }
            syn::Lit::Float(f) => Lit::Float {
                value: f.base10_parse().unwrap_or(f64::NAN),
                bits: match f.suffix() {
                    "f16" => Some(16),
                    "f32" => Some(32),
                    "f64" => Some(64),
                    "f128" => Some(128),
                    _ => None,
                },
            },
            syn::Lit::Bool(b) => Lit::Bool(b.value),
            syn::Lit::Char(_) => Lit::Char,
            syn::Lit::Byte(_) => Lit::Byte,
            syn::Lit::Str(_) => Lit::Str,
            syn::Lit::ByteStr(_) => Lit::ByteStr,
            syn::Lit::CStr(_) => Lit::CStr,
            _ => Lit::Str,
        }
    }
}

/// The first token of an expression, found without recursion (the expression may be the one
/// too deep to descend into).
fn expr_first_token(mut e: &syn::Expr) -> Option<proc_macro2::Span> {
    use syn::Expr as E;
    loop {
        return Some(match e {
            E::Assign(x) => {
                e = &x.left;
                continue;
            }
            E::Await(x) => {
                e = &x.base;
                continue;
            }
            E::Binary(x) => {
                e = &x.left;
                continue;
            }
            E::Call(x) => {
                e = &x.func;
                continue;
            }
            E::Cast(x) => {
                e = &x.expr;
                continue;
            }
            E::Field(x) => {
                e = &x.base;
                continue;
            }
            E::Group(x) => {
                e = &x.expr;
                continue;
            }
            E::Index(x) => {
                e = &x.expr;
                continue;
            }
            E::MethodCall(x) => {
                e = &x.receiver;
                continue;
            }
            E::Try(x) => {
                e = &x.expr;
                continue;
            }
            E::Range(x) => match &x.start {
                Some(start) => {
                    e = start;
                    continue;
                }
                None => match &x.limits {
                    syn::RangeLimits::HalfOpen(t) => t.spans[0],
                    syn::RangeLimits::Closed(t) => t.spans[0],
                },
            },
            E::Array(x) => x.bracket_token.span.open(),
            E::Async(x) => x.async_token.span,
            E::Block(x) => x
                .label
                .as_ref()
                .map_or(x.block.brace_token.span.open(), |l| l.name.apostrophe),
            E::Break(x) => x.break_token.span,
            E::Closure(x) => x.inputs_begin.span,
            E::Const(x) => x.const_token.span,
            E::Continue(x) => x.continue_token.span,
            E::ForLoop(x) => x.for_token.span,
            E::If(x) => x.if_token.span,
            E::Infer(x) => x.underscore_token.span,
            E::Let(x) => x.let_token.span,
            E::Lit(x) => x.lit.span(),
            E::Loop(x) => x.loop_token.span,
            E::Macro(x) => x.mac.bang_token.span,
            E::Match(x) => x.match_token.span,
            E::Paren(x) => x.paren_token.span.open(),
            E::Path(x) => x.path.segments.first()?.ident.span(),
            E::RawAddr(x) => x.and_token.span,
            E::Reference(x) => x.and_token.span,
            E::Repeat(x) => x.bracket_token.span.open(),
            E::Return(x) => x.return_token.span,
            E::Struct(x) => x.path.segments.first()?.ident.span(),
            E::TryBlock(x) => x.try_token.span,
            E::Tuple(x) => x.paren_token.span.open(),
            E::Unary(x) => match &x.op {
                syn::UnOp::Deref(t) => t.span,
                syn::UnOp::Not(t) => t.span,
                syn::UnOp::Neg(t) => t.span,
                _ => return None,
            },
            E::Unsafe(x) => x.unsafe_token.span,
            E::While(x) => x.while_token.span,
            E::Yield(x) => x.yield_token.span,
            E::Verbatim(tokens) => tokens.clone().into_iter().next()?.span(),
            _ => return None,
        });
    }
}

/// A binary operator, and whether it is the compound assignment form (`+=`).
fn bin_op(op: &syn::BinOp) -> (BinOp, bool) {
    use syn::BinOp as B;
    match op {
        B::Add(_) => (BinOp::Add, false),
        B::Sub(_) => (BinOp::Sub, false),
        B::Mul(_) => (BinOp::Mul, false),
        B::Div(_) => (BinOp::Div, false),
        B::Rem(_) => (BinOp::Rem, false),
        B::And(_) => (BinOp::And, false),
        B::Or(_) => (BinOp::Or, false),
        B::BitXor(_) => (BinOp::BitXor, false),
        B::BitAnd(_) => (BinOp::BitAnd, false),
        B::BitOr(_) => (BinOp::BitOr, false),
        B::Shl(_) => (BinOp::Shl, false),
        B::Shr(_) => (BinOp::Shr, false),
        B::Eq(_) => (BinOp::Eq, false),
        B::Lt(_) => (BinOp::Lt, false),
        B::Le(_) => (BinOp::Le, false),
        B::Ne(_) => (BinOp::Ne, false),
        B::Ge(_) => (BinOp::Ge, false),
        B::Gt(_) => (BinOp::Gt, false),
        B::AddAssign(_) => (BinOp::Add, true),
        B::SubAssign(_) => (BinOp::Sub, true),
        B::MulAssign(_) => (BinOp::Mul, true),
        B::DivAssign(_) => (BinOp::Div, true),
        B::RemAssign(_) => (BinOp::Rem, true),
        B::BitXorAssign(_) => (BinOp::BitXor, true),
        B::BitAndAssign(_) => (BinOp::BitAnd, true),
        B::BitOrAssign(_) => (BinOp::BitOr, true),
        B::ShlAssign(_) => (BinOp::Shl, true),
        B::ShrAssign(_) => (BinOp::Shr, true),
        _ => (BinOp::Add, false),
    }
}
