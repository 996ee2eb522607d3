//! The items inside traits, impls and `extern` blocks.

use super::{Lowerer, ModCx};
use crate::ir::*;

impl Lowerer<'_> {
    /// An item of a trait; its visibility is the trait's, so it counts as public.
    pub(super) fn trait_item(&mut self, ti: &syn::TraitItem, cx: &ModCx, out: &mut Vec<ItemId>) {
        match ti {
            syn::TraitItem::Fn(f) => {
                let attrs = self.attrs(&f.attrs);
                if !attrs.keep(self.test) {
                    return;
                }
                let id = self.reserve_item();
                let func = self.func(id, &f.sig, f.default.as_ref(), false);
                let hi = match (&f.default, &f.semi_token) {
                    (Some(b), _) => self.span(b.brace_token.span.close()).hi,
                    (None, Some(semi)) => self.span(semi.span).hi,
                    (None, None) => self.span(f.sig.ident.span()).hi,
                };
                let lo = self.item_lo(&f.attrs, None, self.sig_lo(&f.sig));
                let name = self.sym(&f.sig.ident);
                let name_span = self.span(f.sig.ident.span());
                self.finish_item(
                    id,
                    name,
                    name_span,
                    Vis::Public,
                    Span::new(lo, hi),
                    cx,
                    attrs,
                    ItemKind::Fn(Box::new(func)),
                    out,
                );
            }
            syn::TraitItem::Const(c) => {
                let attrs = self.attrs(&c.attrs);
                if !attrs.keep(self.test) {
                    return;
                }
                let id = self.reserve_item();
                let ty = self.ty(&c.ty);
                let body = c.default.as_ref().map(|(_, e)| self.const_body(id, e));
                let lo = self.item_lo(&c.attrs, None, self.span(c.const_token.span));
                let hi = self.span(c.semi_token.span).hi;
                let name = self.sym(&c.ident);
                let name_span = self.span(c.ident.span());
                self.finish_item(
                    id,
                    name,
                    name_span,
                    Vis::Public,
                    Span::new(lo, hi),
                    cx,
                    attrs,
                    ItemKind::Const { ty, body },
                    out,
                );
            }
            syn::TraitItem::Type(t) => {
                let attrs = self.attrs(&t.attrs);
                if !attrs.keep(self.test) {
                    return;
                }
                let id = self.reserve_item();
                let generics = self.generics(&t.generics);
                let ty = t.default.as_ref().map(|(_, ty)| self.ty(ty));
                let lo = self.item_lo(&t.attrs, None, self.span(t.type_token.span));
                let hi = self.span(t.semi_token.span).hi;
                let name = self.sym(&t.ident);
                let name_span = self.span(t.ident.span());
                self.finish_item(
                    id,
                    name,
                    name_span,
                    Vis::Public,
                    Span::new(lo, hi),
                    cx,
                    attrs,
                    ItemKind::TypeAlias { generics, ty },
                    out,
                );
            }
            _ => {}
        }
    }

    /// An item of an `impl` block.
    pub(super) fn impl_item(&mut self, ii: &syn::ImplItem, cx: &ModCx, out: &mut Vec<ItemId>) {
        match ii {
            syn::ImplItem::Fn(f) => {
                let attrs = self.attrs(&f.attrs);
                if !attrs.keep(self.test) {
                    return;
                }
                let id = self.reserve_item();
                let func = self.func(id, &f.sig, Some(&f.block), false);
                let hi = self.span(f.block.brace_token.span.close()).hi;
                let lo = self.item_lo(&f.attrs, Some(&f.vis), self.sig_lo(&f.sig));
                let name = self.sym(&f.sig.ident);
                let name_span = self.span(f.sig.ident.span());
                self.finish_item(
                    id,
                    name,
                    name_span,
                    Self::vis(&f.vis),
                    Span::new(lo, hi),
                    cx,
                    attrs,
                    ItemKind::Fn(Box::new(func)),
                    out,
                );
            }
            syn::ImplItem::Const(c) => {
                let attrs = self.attrs(&c.attrs);
                if !attrs.keep(self.test) {
                    return;
                }
                let id = self.reserve_item();
                let ty = self.ty(&c.ty);
                let body = Some(self.const_body(id, &c.expr));
                let lo = self.item_lo(&c.attrs, Some(&c.vis), self.span(c.const_token.span));
                let hi = self.span(c.semi_token.span).hi;
                let name = self.sym(&c.ident);
                let name_span = self.span(c.ident.span());
                self.finish_item(
                    id,
                    name,
                    name_span,
                    Self::vis(&c.vis),
                    Span::new(lo, hi),
                    cx,
                    attrs,
                    ItemKind::Const { ty, body },
                    out,
                );
            }
            syn::ImplItem::Type(t) => {
                let attrs = self.attrs(&t.attrs);
                if !attrs.keep(self.test) {
                    return;
                }
                let id = self.reserve_item();
                let generics = self.generics(&t.generics);
                let ty = Some(self.ty(&t.ty));
                let lo = self.item_lo(&t.attrs, Some(&t.vis), self.span(t.type_token.span));
                let hi = self.span(t.semi_token.span).hi;
                let name = self.sym(&t.ident);
                let name_span = self.span(t.ident.span());
                self.finish_item(
                    id,
                    name,
                    name_span,
                    Self::vis(&t.vis),
                    Span::new(lo, hi),
                    cx,
                    attrs,
                    ItemKind::TypeAlias { generics, ty },
                    out,
                );
            }
            _ => {}
        }
    }

    /// A function or static of an `extern` block.
    pub(super) fn foreign_item(
        &mut self,
        fi: &syn::ForeignItem,
        cx: &ModCx,
        out: &mut Vec<ItemId>,
    ) {
        match fi {
            syn::ForeignItem::Fn(f) => {
                let attrs = self.attrs(&f.attrs);
                if !attrs.keep(self.test) {
                    return;
                }
                let id = self.reserve_item();
                let func = self.func(id, &f.sig, None, true);
                let lo = self.item_lo(&f.attrs, Some(&f.vis), self.sig_lo(&f.sig));
                let hi = self.span(f.semi_token.span).hi;
                let name = self.sym(&f.sig.ident);
                let name_span = self.span(f.sig.ident.span());
                self.finish_item(
                    id,
                    name,
                    name_span,
                    Self::vis(&f.vis),
                    Span::new(lo, hi),
                    cx,
                    attrs,
                    ItemKind::Fn(Box::new(func)),
                    out,
                );
            }
            syn::ForeignItem::Static(s) => {
                let attrs = self.attrs(&s.attrs);
                if !attrs.keep(self.test) {
                    return;
                }
                let id = self.reserve_item();
                let ty = self.ty(&s.ty);
                let kind = ItemKind::Static(Box::new(StaticItem {
                    ty,
                    body: None,
                    mutable: matches!(s.mutability, syn::StaticMutability::Mut(_)),
                    kind: StaticKind::Foreign,
                }));
                let lo = self.item_lo(&s.attrs, Some(&s.vis), self.span(s.static_token.span));
                let hi = self.span(s.semi_token.span).hi;
                let name = self.sym(&s.ident);
                let name_span = self.span(s.ident.span());
                self.finish_item(
                    id,
                    name,
                    name_span,
                    Self::vis(&s.vis),
                    Span::new(lo, hi),
                    cx,
                    attrs,
                    kind,
                    out,
                );
            }
            _ => {}
        }
    }
}
