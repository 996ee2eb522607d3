//! Blocks and their statements, and the expressions that are blocks (`unsafe`, `const`,
//! `try`, labeled).

use super::attrs::{Attrs, expr_attrs};
use super::{Lowerer, ModCx};
use crate::ir::*;
use crate::sym::Sym;

impl Lowerer<'_> {
    /// `{ .. }` or `'label: { .. }` in expression position.
    pub(super) fn labeled_block(&mut self, b: &syn::ExprBlock) -> ExprId {
        let label = b.label.as_ref().map(|l| self.sym(&l.name.ident));
        let id = self.block_expr(&b.block, label, BlockKind::Plain);
        self.with_label_span(id, b.label.as_ref())
    }

    /// `const { .. }`.
    pub(super) fn const_block(&mut self, c: &syn::ExprConst) -> ExprId {
        let id = self.block_expr(&c.block, None, BlockKind::Const);
        let lo = self.span(c.const_token.span);
        let span = lo.to(self.espan(id));
        self.ir.exprs[id.index()].span = span;
        id
    }

    /// `try { .. }`.
    pub(super) fn try_block(&mut self, t: &syn::ExprTryBlock) -> ExprId {
        let id = self.block_expr(&t.block, None, BlockKind::Try);
        let span = self.span(t.try_token.span).to(self.espan(id));
        self.ir.exprs[id.index()].span = span;
        id
    }

    /// `unsafe { .. }`.
    pub(super) fn unsafe_block(&mut self, u: &syn::ExprUnsafe) -> ExprId {
        let id = self.block_expr(&u.block, None, BlockKind::Unsafe);
        let span = self.span(u.unsafe_token.span).to(self.espan(id));
        self.ir.exprs[id.index()].span = span;
        id
    }

    /// A block: its statements in a scope of their own, its tail expression if it has one.
    pub(super) fn block_expr(
        &mut self,
        block: &syn::Block,
        label: Option<Sym>,
        kind: BlockKind,
    ) -> ExprId {
        let mark = self.scope_mark();
        let count = block.stmts.len();
        let mut tail = None;
        let placeholder = Stmt::Expr {
            expr: ExprId(0),
            semi: false,
        };
        let stmts = self.lower_list(
            block.stmts.iter().enumerate(),
            placeholder,
            |cx, (i, stmt)| {
                let last = i + 1 == count;
                match stmt {
                    syn::Stmt::Local(local) => cx.let_stmt(local),
                    syn::Stmt::Item(item) => {
                        let mut ids = Vec::new();
                        cx.item(item, &ModCx::default(), &mut ids);
                        // Items are not evaluated; the body lists them all in `Body::items`.
                        ids.first().map(|&id| Stmt::Item(id))
                    }
                    syn::Stmt::Expr(e, semi) => cx.expr_stmt(e, semi.is_some(), last, &mut tail),
                    syn::Stmt::Macro(m) => cx.macro_stmt(m, last, &mut tail),
                }
            },
        );
        self.scope_reset(mark);
        let span = self.join(&block.brace_token.span);
        let id = BlockId(self.ir.blocks.len() as u32);
        self.ir.blocks.push(Block {
            stmts,
            tail,
            label,
            kind,
        });
        self.push_expr(span, ExprKind::Block(id))
    }

    /// `let PAT: TY = INIT else { .. };`. `None` when a `cfg` removes it.
    fn let_stmt(&mut self, local: &syn::Local) -> Option<Stmt> {
        let attrs = self.attrs(&local.attrs);
        if !attrs.keep(self.test) {
            return None;
        }
        let (ty, pat_syn) = match &local.pat {
            syn::Pat::Type(pt) => (Some(self.ty(&pt.ty)), &*pt.pat),
            other => (None, other),
        };
        let init = local.init.as_ref().map(|i| self.expr(&i.expr));
        let els = local
            .init
            .as_ref()
            .and_then(|i| i.diverge.as_ref())
            .map(|(_, e)| self.expr(e));
        let mark = self.locals_mark();
        let pat = self.pat(pat_syn, LocalKind::Let, ty);
        if let Some(init) = init {
            self.bound_since(mark, pat, BindSource::Value(init));
        }
        let span = self
            .span(local.let_token.span)
            .to(self.span(local.semi_token.span));
        for &(rule, at) in &attrs.allows {
            self.ir.allows.push(Allow {
                covers: span,
                rule,
                at,
            });
        }
        let id = LetId(self.ir.lets.len() as u32);
        self.ir.lets.push(LetStmt {
            pat,
            ty,
            init,
            els,
            span,
        });
        Some(Stmt::Let(id))
    }

    /// An expression statement; the block's last one without a semicolon is its `tail`
    /// instead (and `None`, as is one a `cfg` removes).
    fn expr_stmt(
        &mut self,
        e: &syn::Expr,
        semi: bool,
        last: bool,
        tail: &mut Option<ExprId>,
    ) -> Option<Stmt> {
        if let Some(attrs) = expr_attrs(e)
            && !self.attrs(attrs).keep(self.test)
        {
            return None;
        }
        let id = self.expr(e);
        if !semi && last {
            *tail = Some(id);
            return None;
        }
        Some(Stmt::Expr { expr: id, semi })
    }

    /// A macro in statement position: the macros that declare items (`thread_local!`,
    /// `lazy_static!`, `macro_rules!`) are items, the others expressions.
    fn macro_stmt(
        &mut self,
        m: &syn::StmtMacro,
        last: bool,
        tail: &mut Option<ExprId>,
    ) -> Option<Stmt> {
        if !self.attrs(&m.attrs).keep(self.test) {
            return None;
        }
        let name = m.mac.path.segments.last().map(|s| &s.ident);
        if name.is_some_and(|n| n == "thread_local" || n == "lazy_static" || n == "macro_rules") {
            let item = syn::ItemMacro {
                attrs: m.attrs.clone(),
                ident: None,
                mac: m.mac.clone(),
                semi_token: m.semi_token,
            };
            let mut ids = Vec::new();
            self.item_macro(&item, &Attrs::default(), &ModCx::default(), &mut ids);
            return ids.first().map(|&id| Stmt::Item(id));
        }
        let id = self.expr_macro(&m.mac);
        if m.semi_token.is_none() && last {
            *tail = Some(id);
            return None;
        }
        Some(Stmt::Expr {
            expr: id,
            semi: m.semi_token.is_some(),
        })
    }

    /// Widens a labeled block's span to start at its label.
    fn with_label_span(&mut self, id: ExprId, label: Option<&syn::Label>) -> ExprId {
        if let Some(l) = label {
            let lo = self.span(l.name.apostrophe);
            let span = lo.to(self.espan(id));
            self.ir.exprs[id.index()].span = span;
        }
        id
    }
}
