//! Items: one function per kind of item, and what all items share (an id reserved before
//! their bodies are lowered, the fields filled in once they are).

use super::attrs::{Attrs, item_attrs};
use super::{Lowerer, ModCx};
use crate::ir::*;
use crate::sym::Sym;

/// What lowering one kind of item gives; [`Lowerer::item`] fills in the rest.
struct ItemParts {
    name: Option<Sym>,
    /// The name's span, or the keyword's when there is no name.
    name_span: Span,
    vis: Vis,
    lo: u32,
    hi: u32,
    kind: ItemKind,
}

impl Lowerer<'_> {
    /// Lowers a list of items, leaving out those a `cfg` removes.
    pub(super) fn items(&mut self, items: &[syn::Item], cx: &ModCx) -> Vec<ItemId> {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            self.item(item, cx, &mut out);
        }
        out
    }

    fn push_item(&mut self, item: Item) -> ItemId {
        let id = ItemId(self.ir.items.len() as u32);
        self.ir.items.push(item);
        id
    }

    /// Reserves an id, so that bodies can name their owner before the item is complete.
    pub(super) fn reserve_item(&mut self) -> ItemId {
        self.push_item(Item {
            name: None,
            name_span: Span::default(),
            span: Span::default(),
            vis: Vis::Private,
            test_only: false,
            allows: Vec::new(),
            kind: ItemKind::MacroRules,
        })
    }

    /// Lowers one item into `out`: none if a `cfg` removes it, several for a macro that expands
    /// to items.
    pub(super) fn item(&mut self, item: &syn::Item, cx: &ModCx, out: &mut Vec<ItemId>) {
        let Some(item_attrs) = item_attrs(item) else {
            return;
        };
        let attrs = self.attrs(item_attrs);
        if !attrs.keep(self.test) {
            return;
        }
        let cx = &cx.within(&attrs);
        let id = self.reserve_item();
        let parts = match item {
            syn::Item::Fn(f) => self.fn_item(id, f),
            syn::Item::Struct(s) => self.struct_item(s, &attrs),
            syn::Item::Union(u) => self.union_item(u, &attrs),
            syn::Item::Enum(e) => self.enum_item(e, &attrs),
            syn::Item::Const(c) => self.const_item(id, c),
            syn::Item::Static(s) => self.static_item(id, s),
            syn::Item::Type(t) => self.type_alias(t),
            syn::Item::Trait(t) => self.trait_def(t, cx),
            syn::Item::TraitAlias(t) => self.trait_alias(t),
            syn::Item::Impl(i) => self.impl_block(i, cx),
            syn::Item::Use(u) => self.use_item(u),
            syn::Item::Mod(m) => self.mod_item(m, &attrs, cx),
            syn::Item::ExternCrate(e) => self.extern_crate(e),
            syn::Item::ForeignMod(f) => self.foreign_mod(f, cx),
            syn::Item::Macro(m) => {
                // The id reserved above is not needed: a macro may expand to several items.
                self.ir.items.pop();
                self.item_macro(m, &attrs, cx, out);
                return;
            }
            _ => unreachable!("filtered above"),
        };
        let item = &mut self.ir.items[id.index()];
        item.name = parts.name;
        item.name_span = parts.name_span;
        item.span = Span::new(parts.lo, parts.hi.max(parts.lo));
        item.vis = parts.vis;
        item.test_only = cx.test_only;
        item.allows = attrs.allows;
        if let (Some(contract), ItemKind::Fn(_)) = (attrs.contract, &parts.kind) {
            self.ir.contracts.push((id, contract));
        }
        let item = &mut self.ir.items[id.index()];
        item.kind = parts.kind;
        out.push(id);
        if let Some(body) = &mut self.body {
            body.items.push(id);
        }
    }

    fn fn_item(&mut self, id: ItemId, f: &syn::ItemFn) -> ItemParts {
        let name_span = self.span(f.sig.ident.span());
        let kind = ItemKind::Fn(Box::new(self.func(id, &f.sig, Some(&f.block), false)));
        let hi = self.span(f.block.brace_token.span.close()).hi;
        let lo = self.item_lo(&f.attrs, Some(&f.vis), self.sig_lo(&f.sig));
        ItemParts {
            name: Some(self.sym(&f.sig.ident)),
            name_span,
            vis: Self::vis(&f.vis),
            lo,
            hi,
            kind,
        }
    }

    fn struct_item(&mut self, s: &syn::ItemStruct, attrs: &Attrs) -> ItemParts {
        let name = self.sym(&s.ident);
        let name_span = self.span(s.ident.span());
        let variant = self.variant_fields(name, name_span, &s.fields, None);
        let hi = match (&s.semi_token, &s.fields) {
            (Some(semi), _) => self.span(semi.span).hi,
            (None, syn::Fields::Named(f)) => self.span(f.brace_token.span.close()).hi,
            (None, _) => name_span.hi,
        };
        let adt = Adt {
            generics: self.generics(&s.generics),
            repr: attrs.repr,
            derives: attrs.derives.clone().into(),
            variants: Box::new([variant]),
        };
        let lo = self.item_lo(&s.attrs, Some(&s.vis), self.span(s.struct_token.span));
        ItemParts {
            name: Some(name),
            name_span,
            vis: Self::vis(&s.vis),
            lo,
            hi,
            kind: ItemKind::Struct(Box::new(adt)),
        }
    }

    fn union_item(&mut self, u: &syn::ItemUnion, attrs: &Attrs) -> ItemParts {
        let name = self.sym(&u.ident);
        let name_span = self.span(u.ident.span());
        let fields = syn::Fields::Named(u.fields.clone());
        let variant = self.variant_fields(name, name_span, &fields, None);
        let adt = Adt {
            generics: self.generics(&u.generics),
            repr: attrs.repr,
            derives: attrs.derives.clone().into(),
            variants: Box::new([variant]),
        };
        let hi = self.span(u.fields.brace_token.span.close()).hi;
        let lo = self.item_lo(&u.attrs, Some(&u.vis), self.span(u.union_token.span));
        ItemParts {
            name: Some(name),
            name_span,
            vis: Self::vis(&u.vis),
            lo,
            hi,
            kind: ItemKind::Union(Box::new(adt)),
        }
    }

    fn enum_item(&mut self, e: &syn::ItemEnum, attrs: &Attrs) -> ItemParts {
        let mut variants = Vec::with_capacity(e.variants.len());
        for v in &e.variants {
            let vattrs = self.attrs(&v.attrs);
            if !vattrs.keep(self.test) {
                continue;
            }
            let vname = self.sym(&v.ident);
            let vspan = self.span(v.ident.span());
            let disc = v.discriminant.as_ref().map(|(_, e)| self.const_expr(e));
            variants.push(self.variant_fields(vname, vspan, &v.fields, disc));
        }
        let adt = Adt {
            generics: self.generics(&e.generics),
            repr: attrs.repr,
            derives: attrs.derives.clone().into(),
            variants: variants.into(),
        };
        let hi = self.span(e.brace_token.span.close()).hi;
        let lo = self.item_lo(&e.attrs, Some(&e.vis), self.span(e.enum_token.span));
        let name_span = self.span(e.ident.span());
        ItemParts {
            name: Some(self.sym(&e.ident)),
            name_span,
            vis: Self::vis(&e.vis),
            lo,
            hi,
            kind: ItemKind::Enum(Box::new(adt)),
        }
    }

    fn const_item(&mut self, id: ItemId, c: &syn::ItemConst) -> ItemParts {
        let ty = self.ty(&c.ty);
        let body = Some(self.const_body(id, &c.expr));
        let lo = self.item_lo(&c.attrs, Some(&c.vis), self.span(c.const_token.span));
        let name_span = self.span(c.ident.span());
        let hi = self.span(c.semi_token.span).hi;
        ItemParts {
            name: Some(self.sym(&c.ident)),
            name_span,
            vis: Self::vis(&c.vis),
            lo,
            hi,
            kind: ItemKind::Const { ty, body },
        }
    }

    fn static_item(&mut self, id: ItemId, s: &syn::ItemStatic) -> ItemParts {
        let ty = self.ty(&s.ty);
        let body = Some(self.const_body(id, &s.expr));
        let kind = ItemKind::Static(Box::new(StaticItem {
            ty,
            body,
            mutable: matches!(s.mutability, syn::StaticMutability::Mut(_)),
            kind: StaticKind::Plain,
        }));
        let lo = self.item_lo(&s.attrs, Some(&s.vis), self.span(s.static_token.span));
        let name_span = self.span(s.ident.span());
        let hi = self.span(s.semi_token.span).hi;
        ItemParts {
            name: Some(self.sym(&s.ident)),
            name_span,
            vis: Self::vis(&s.vis),
            lo,
            hi,
            kind,
        }
    }

    fn type_alias(&mut self, t: &syn::ItemType) -> ItemParts {
        let generics = self.generics(&t.generics);
        let ty = Some(self.ty(&t.ty));
        let lo = self.item_lo(&t.attrs, Some(&t.vis), self.span(t.type_token.span));
        let name_span = self.span(t.ident.span());
        let hi = self.span(t.semi_token.span).hi;
        ItemParts {
            name: Some(self.sym(&t.ident)),
            name_span,
            vis: Self::vis(&t.vis),
            lo,
            hi,
            kind: ItemKind::TypeAlias { generics, ty },
        }
    }

    fn trait_def(&mut self, t: &syn::ItemTrait, cx: &ModCx) -> ItemParts {
        let generics = self.generics(&t.generics);
        let supertraits = self.bounds(&t.supertraits);
        let mut items = Vec::new();
        for ti in &t.items {
            self.trait_item(ti, cx, &mut items);
        }
        let lo = self.item_lo(&t.attrs, Some(&t.vis), self.span(t.trait_token.span));
        let name_span = self.span(t.ident.span());
        let hi = self.span(t.brace_token.span.close()).hi;
        let kind = ItemKind::Trait {
            generics,
            supertraits,
            items,
        };
        ItemParts {
            name: Some(self.sym(&t.ident)),
            name_span,
            vis: Self::vis(&t.vis),
            lo,
            hi,
            kind,
        }
    }

    /// `trait A = B + C;`: a trait with supertraits and no items.
    fn trait_alias(&mut self, t: &syn::ItemTraitAlias) -> ItemParts {
        let generics = self.generics(&t.generics);
        let supertraits = self.bounds(&t.bounds);
        let lo = self.item_lo(&t.attrs, Some(&t.vis), self.span(t.trait_token.span));
        let name_span = self.span(t.ident.span());
        let hi = self.span(t.semi_token.span).hi;
        let kind = ItemKind::Trait {
            generics,
            supertraits,
            items: Vec::new(),
        };
        ItemParts {
            name: Some(self.sym(&t.ident)),
            name_span,
            vis: Self::vis(&t.vis),
            lo,
            hi,
            kind,
        }
    }

    fn impl_block(&mut self, i: &syn::ItemImpl, cx: &ModCx) -> ItemParts {
        let generics = self.generics(&i.generics);
        let trait_ = i.trait_.as_ref().map(|(path, _)| self.path_ty(path));
        let self_ty = self.ty(&i.self_ty);
        let mut items = Vec::new();
        for ii in &i.items {
            self.impl_item(ii, cx, &mut items);
        }
        let kw = self.span(i.impl_token.span);
        let lo = self.item_lo(&i.attrs, None, kw);
        let hi = self.span(i.brace_token.span.close()).hi;
        let kind = ItemKind::Impl(Box::new(ImplItem {
            generics,
            trait_,
            negative: i.modifiers.polarity.is_some(),
            self_ty,
            items,
        }));
        ItemParts {
            name: None,
            name_span: kw,
            vis: Vis::Private,
            lo,
            hi,
            kind,
        }
    }

    fn use_item(&mut self, u: &syn::ItemUse) -> ItemParts {
        let mut imports = Vec::new();
        let global = u.leading_colon.is_some();
        self.use_tree(&u.tree, global, &mut Vec::new(), &mut imports);
        let kw = self.span(u.use_token.span);
        let lo = self.item_lo(&u.attrs, Some(&u.vis), kw);
        let hi = self.span(u.semi_token.span).hi;
        ItemParts {
            name: None,
            name_span: kw,
            vis: Self::vis(&u.vis),
            lo,
            hi,
            kind: ItemKind::Use(imports.into()),
        }
    }

    /// `mod name { .. }`, lowered here, or `mod name;`, whose file the loader finds.
    fn mod_item(&mut self, m: &syn::ItemMod, attrs: &Attrs, cx: &ModCx) -> ItemParts {
        let name = self.sym(&m.ident);
        let name_span = self.span(m.ident.span());
        let lo = self.item_lo(&m.attrs, Some(&m.vis), self.span(m.mod_token.span));
        let (hi, kind) = match &m.content {
            Some((brace, items)) => {
                let dir = attrs.path.clone().unwrap_or_else(|| name.as_str().into());
                let mut inner = cx.clone();
                if inner.dirs.is_empty() {
                    inner.rooted = attrs.path.is_some();
                }
                inner.dirs.push(dir);
                let items = self.items(items, &inner);
                let kind = ItemKind::Mod(ModKind::Inline {
                    items,
                    path_attr: attrs.path.clone(),
                });
                (self.span(brace.span.close()).hi, kind)
            }
            None => {
                let hi = m.semi.map_or(name_span.hi, |s| self.span(s.span).hi);
                let kind = ItemKind::Mod(ModKind::File {
                    path_attr: attrs.path.clone(),
                    cfg_paths: attrs.cfg_paths.clone().into(),
                    dirs: cx.dirs.clone().into(),
                    rooted: cx.rooted,
                    conditional: cx.conditional,
                });
                (hi, kind)
            }
        };
        ItemParts {
            name: Some(name),
            name_span,
            vis: Self::vis(&m.vis),
            lo,
            hi,
            kind,
        }
    }

    fn extern_crate(&mut self, e: &syn::ItemExternCrate) -> ItemParts {
        let krate = self.sym(&e.ident);
        let name = match &e.rename {
            Some((_, rename)) => self.sym(rename),
            None => krate,
        };
        let name_span = self.span(e.ident.span());
        let lo = self.item_lo(&e.attrs, Some(&e.vis), self.span(e.extern_token.span));
        let hi = self.span(e.semi_token.span).hi;
        ItemParts {
            name: Some(name),
            name_span,
            vis: Self::vis(&e.vis),
            lo,
            hi,
            kind: ItemKind::ExternCrate { krate },
        }
    }

    /// `extern "ABI" { .. }`.
    fn foreign_mod(&mut self, f: &syn::ItemForeignMod, cx: &ModCx) -> ItemParts {
        let mut items = Vec::new();
        for fi in &f.items {
            self.foreign_item(fi, cx, &mut items);
        }
        let kw = self.span(f.abi.extern_token.span);
        let lo = self.item_lo(&f.attrs, None, kw);
        let hi = self.span(f.brace_token.span.close()).hi;
        ItemParts {
            name: None,
            name_span: kw,
            vis: Vis::Private,
            lo,
            hi,
            kind: ItemKind::ForeignMod { items },
        }
    }

    /// Where a function starts: its first qualifier (`const`, `async`, `unsafe`, `extern`), else
    /// `fn`.
    pub(super) fn sig_lo(&self, sig: &syn::Signature) -> Span {
        if let Some(t) = &sig.constness {
            return self.span(t.span);
        }
        if let Some(t) = &sig.asyncness {
            return self.span(t.span);
        }
        if let syn::Safety::Unsafe(t) = &sig.safety {
            return self.span(t.span);
        }
        if let Some(abi) = &sig.abi {
            return self.span(abi.extern_token.span);
        }
        self.span(sig.fn_token.span)
    }

    /// A struct's, union's or enum variant's fields, leaving out those a `cfg` removes.
    fn variant_fields(
        &mut self,
        name: Sym,
        span: Span,
        fields: &syn::Fields,
        discriminant: Option<ExprId>,
    ) -> Variant {
        let (shape, list): (_, Vec<&syn::Field>) = match fields {
            syn::Fields::Named(f) => (VariantShape::Named, f.named.iter().collect()),
            syn::Fields::Unnamed(f) => (VariantShape::Tuple, f.unnamed.iter().collect()),
            syn::Fields::Unit => (VariantShape::Unit, Vec::new()),
        };
        let mut out = Vec::with_capacity(list.len());
        for field in list {
            let attrs = self.attrs(&field.attrs);
            if !attrs.keep(self.test) {
                continue;
            }
            let ty = self.ty(&field.ty);
            let (fname, fspan) = match &field.ident {
                Some(ident) => (Some(self.sym(ident)), self.span(ident.span())),
                None => (None, self.ir.ty(ty).span),
            };
            out.push(Field {
                name: fname,
                ty,
                span: fspan,
            });
        }
        Variant {
            name,
            span,
            shape,
            fields: out.into(),
            discriminant,
        }
    }

    /// Fills in an item reserved with [`Self::reserve_item`] and adds it to `out`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn finish_item(
        &mut self,
        id: ItemId,
        name: Sym,
        name_span: Span,
        vis: Vis,
        span: Span,
        cx: &ModCx,
        attrs: Attrs,
        kind: ItemKind,
        out: &mut Vec<ItemId>,
    ) {
        let item = &mut self.ir.items[id.index()];
        item.name = Some(name);
        item.name_span = name_span;
        item.span = span;
        item.vis = vis;
        item.test_only = cx.test_only || attrs.test_only;
        item.allows = attrs.allows;
        if let (Some(contract), ItemKind::Fn(_)) = (attrs.contract, &kind) {
            self.ir.contracts.push((id, contract));
        }
        self.ir.items[id.index()].kind = kind;
        out.push(id);
    }

    /// The imports of a `use` tree, one per name; `prefix` is the path down to `tree`.
    fn use_tree(
        &mut self,
        tree: &syn::UseTree,
        global: bool,
        prefix: &mut Vec<Sym>,
        out: &mut Vec<Import>,
    ) {
        match tree {
            syn::UseTree::Path(p) => {
                let seg = self.sym(&p.ident);
                prefix.push(seg);
                self.use_tree(&p.tree, global, prefix, out);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let name = self.sym(&n.ident);
                let span = self.span(n.ident.span());
                // `use a::b::{self}` imports `a::b` under the name `b`.
                if name.is("self") {
                    if let Some(&last) = prefix.last() {
                        out.push(Import {
                            global,
                            path: prefix.clone().into(),
                            name: Some(last),
                            glob: false,
                            span,
                        });
                    }
                } else {
                    let mut path = prefix.clone();
                    path.push(name);
                    out.push(Import {
                        global,
                        path: path.into(),
                        name: Some(name),
                        glob: false,
                        span,
                    });
                }
            }
            syn::UseTree::Rename(r) => {
                let orig = self.sym(&r.ident);
                let rename = self.sym(&r.rename);
                let span = self.span(r.ident.span()).to(self.span(r.rename.span()));
                let mut path = prefix.clone();
                if !orig.is("self") {
                    path.push(orig);
                }
                let name = if rename.is("_") { None } else { Some(rename) };
                out.push(Import {
                    global,
                    path: path.into(),
                    name,
                    glob: false,
                    span,
                });
            }
            syn::UseTree::Glob(g) => {
                let span = self.span(g.star_token.span);
                out.push(Import {
                    global,
                    path: prefix.clone().into(),
                    name: None,
                    glob: true,
                    span,
                });
            }
            syn::UseTree::Group(g) => {
                for tree in &g.items {
                    self.use_tree(tree, global, prefix, out);
                }
            }
        }
    }
}
