//! Lowering: syn's AST of one file into the [`FileIr`].
//!
//! This runs on a parse worker right after parsing; the AST is dropped as soon as it returns.
//! Besides translating nodes, lowering does the work that needs only the file itself:
//! - it resolves local variables (scopes, shadowing, closures' captures);
//! - it drops items that exist only in test builds when no test target is selected, and items
//!   whose `cfg` is certainly false (see [`super::cfg`]);
//! - it expands the macros that matter to the analysis (`vec!`, format macros, `thread_local!`,
//!   `lazy_static!`, `cfg_if!`) and reads the items inside unknown brace-delimited macros, so
//!   that modules declared inside `cfg_*! { .. }` wrappers are still followed.
//!
//! Spans are computed from tokens only: syn's `Spanned` would print every node back to tokens.

use proc_macro2::{Ident, TokenStream};
use syn::Token;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;

use super::cfg::{self, TestCfg, Tri};
use crate::ir::*;
use crate::sym::Sym;

/// Deepest expression, pattern or type nesting lowered. Beyond it the subtree becomes
/// [`ExprKind::Missing`] and the file records a truncation, so a pathological file (a
/// generated 100 000-term sum, say) cannot overflow the worker's stack.
pub const MAX_DEPTH: u32 = 1500;

pub struct Lowered {
    pub ir: FileIr,
    /// Places where nesting exceeded [`MAX_DEPTH`] and lowering stopped descending.
    pub truncated: Vec<Span>,
}

pub fn lower_file(file: &syn::File, text: &str, test: TestCfg) -> Lowered {
    let mut cx = Lowerer {
        text,
        lines: LineIndex::new(text),
        test,
        ir: FileIr::default(),
        body: None,
        depth: 0,
        truncated: Vec::new(),
    };
    let top_level = ModCx::default();
    let attrs = cx.attrs(&file.attrs);
    // `#![cfg_attr(escape, allow(rule))]` covers the whole file.
    for &(rule, at) in &attrs.allows {
        cx.ir.allows.push(Allow {
            covers: Span::new(0, u32::MAX),
            rule,
            at,
        });
    }
    if attrs.keep(test) {
        let mut inner = top_level;
        inner.test_only = attrs.test_only;
        cx.ir.top = cx.items(&file.items, &inner);
    }
    cx.ir.shrink_to_fit();
    Lowered {
        ir: cx.ir,
        truncated: cx.truncated,
    }
}

struct Lowerer<'a> {
    text: &'a str,
    lines: LineIndex,
    test: TestCfg,
    ir: FileIr,
    /// The body being lowered, if any.
    body: Option<BodyCx>,
    depth: u32,
    truncated: Vec<Span>,
}

/// Line starts of the file, to turn proc-macro2's line and column into byte offsets.
struct LineIndex {
    starts: Vec<u32>,
    /// Whether each line is all ASCII, so that its columns (characters) are also bytes.
    ascii: Vec<bool>,
    /// The last position found on a non-ASCII line, `(line, column, byte)`: tokens come in
    /// order, so the next one is counted from there, and a long line costs linear time, not
    /// quadratic.
    cursor: std::cell::Cell<(usize, usize, usize)>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i as u32 + 1),
        );
        let ascii = if text.is_ascii() {
            vec![true; starts.len()]
        } else {
            (0..starts.len())
                .map(|i| {
                    let end = starts.get(i + 1).map_or(text.len(), |&e| e as usize);
                    text.as_bytes()[starts[i] as usize..end].is_ascii()
                })
                .collect()
        };
        LineIndex {
            starts,
            ascii,
            cursor: std::cell::Cell::new((0, 0, 0)),
        }
    }

    /// The 1-based line and column (in characters, as rustc counts them) of a byte offset.
    fn line_column(&self, text: &str, offset: u32) -> (u32, u32) {
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[line] as usize;
        let end = (offset as usize).min(text.len());
        let column = text
            .get(start..end)
            .map_or(end - start, |s| s.chars().count());
        (line as u32 + 1, column as u32 + 1)
    }

    fn offset(&self, text: &str, at: proc_macro2::LineColumn) -> u32 {
        let line = at.line.wrapping_sub(1);
        let Some(&start) = self.starts.get(line) else {
            return text.len() as u32;
        };
        let start = start as usize;
        let byte = if self.ascii[line] {
            start + at.column
        } else {
            let (cursor_line, column, byte) = self.cursor.get();
            let (from_column, from_byte) = if cursor_line == line && column <= at.column {
                (column, byte)
            } else {
                (0, start)
            };
            let byte = text[from_byte..]
                .char_indices()
                .nth(at.column - from_column)
                .map_or(text.len(), |(i, _)| from_byte + i);
            self.cursor.set((line, at.column, byte));
            byte
        };
        byte.min(text.len()) as u32
    }
}

/// Where an item sits: the directories of the inline modules around it, and what the items
/// around it say of it.
#[derive(Clone, Default)]
struct ModCx {
    dirs: Vec<Box<str>>,
    /// The outermost inline module has a `#[path]`: `dirs` start from the file's own
    /// directory even in a non-mod-rs file, as rustc reads it.
    rooted: bool,
    /// An enclosing item is test-only.
    test_only: bool,
    /// An enclosing item has a `cfg` that is not known to be true: it may not exist.
    conditional: bool,
}

impl ModCx {
    /// The context of an item with `attrs` inside this one.
    fn within(&self, attrs: &Attrs) -> ModCx {
        ModCx {
            dirs: self.dirs.clone(),
            rooted: self.rooted,
            test_only: self.test_only || attrs.test_only,
            conditional: self.conditional || attrs.cfg == Some(Tri::Unknown),
        }
    }
}

#[derive(Default)]
struct BodyCx {
    locals: Vec<Local>,
    /// Visible locals, innermost last. A scope is a length of this stack.
    scope: Vec<(Sym, LocalId)>,
    /// Closures being lowered, innermost last.
    closures: Vec<OpenClosure>,
    items: Vec<ItemId>,
    /// Names already bound by the first alternative of the or-pattern being lowered, so that
    /// every alternative binds the same local.
    or_bindings: Option<Vec<(Sym, LocalId)>>,
}

struct OpenClosure {
    /// Locals with a smaller id were declared outside the closure.
    first_local: u32,
    captures: Vec<Capture>,
}

/// What the attributes of an item say.
#[derive(Default)]
struct Attrs {
    cfg: Option<Tri>,
    test_only: bool,
    path: Option<Box<str>>,
    /// `#[cfg_attr(pred, path = "..")]` whose predicate is not known.
    cfg_paths: Vec<Box<str>>,
    repr: Repr,
    derives: Vec<Sym>,
    allows: Vec<(Sym, Span)>,
}

impl Attrs {
    fn keep(&self, test: TestCfg) -> bool {
        self.cfg != Some(Tri::False) && (!self.test_only || test == TestCfg::Both)
    }
}

impl<'a> Lowerer<'a> {
    // -----------------------------------------------------------------------------------------
    // Spans and names

    /// The byte span of one token (an identifier, a keyword, a punctuation character or a
    /// delimiter): its start from proc-macro2, its length read off the source, or for a
    /// non-ASCII identifier its end from proc-macro2 too (which Unicode characters continue an
    /// identifier is the lexer's business).
    ///
    /// proc-macro2's own `byte_range` converts character offsets through a B-tree cache and
    /// costs more than the parse itself; its line and column, plus our line table, are cheap,
    /// and asking only for the start halves the lookups.
    fn span(&self, span: proc_macro2::Span) -> Span {
        let lo = self.lines.offset(self.text, span.start());
        match token_len(self.text.as_bytes(), lo as usize) {
            Some(len) => Span::new(lo, lo + len),
            // A word with non-ASCII characters: where it ends is proc-macro2's to say.
            None => Span::new(lo, self.lines.offset(self.text, span.end()).max(lo)),
        }
    }

    /// The byte span of a token of any length (a literal), from both ends.
    fn full_span(&self, span: proc_macro2::Span) -> Span {
        let lo = self.lines.offset(self.text, span.start());
        let hi = self.lines.offset(self.text, span.end());
        Span::new(lo, hi.max(lo))
    }

    /// From an opening delimiter to its closing one, both included.
    fn join(&self, delim: &proc_macro2::extra::DelimSpan) -> Span {
        let lo = self.lines.offset(self.text, delim.open().start());
        let hi = self.lines.offset(self.text, delim.close().start()) + 1;
        Span::new(lo, hi.max(lo))
    }

    fn sym(&mut self, ident: &Ident) -> Sym {
        self.ident(ident).0
    }

    /// An identifier's name and span. The name is read from the source at the span (no
    /// allocation), which is exactly the identifier's text.
    fn ident(&mut self, ident: &Ident) -> (Sym, Span) {
        let span = self.span(ident.span());
        let text: &'a str = self.text;
        let written = text.get(span.lo as usize..span.hi as usize).unwrap_or("");
        debug_assert!(ident == written, "{ident} read as {written:?}");
        let name = written.strip_prefix("r#").unwrap_or(written);
        let sym = Sym::new(name);
        (sym, span)
    }

    fn vis(vis: &syn::Visibility) -> Vis {
        match vis {
            syn::Visibility::Public(_) => Vis::Public,
            syn::Visibility::Restricted(_) => Vis::Restricted,
            syn::Visibility::Inherited => Vis::Private,
        }
    }

    /// The start of an item: its visibility, else `keyword`. Attributes (doc comments
    /// included) are not part of an item's span.
    fn item_lo(
        &self,
        _attrs: &[syn::Attribute],
        vis: Option<&syn::Visibility>,
        keyword: Span,
    ) -> u32 {
        match vis {
            Some(syn::Visibility::Public(token)) => self.span(token.span).lo.min(keyword.lo),
            Some(syn::Visibility::Restricted(r)) => self.span(r.pub_token.span).lo.min(keyword.lo),
            _ => keyword.lo,
        }
    }

    /// Records where lowering stopped descending; the first place is enough to report.
    fn truncate(&mut self, span: Span) {
        if self.truncated.is_empty() {
            self.truncated.push(span);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Attributes

    fn attrs(&mut self, attrs: &[syn::Attribute]) -> Attrs {
        let mut out = Attrs::default();
        for attr in attrs {
            self.attr(&attr.meta, &mut out, 0);
        }
        out
    }

    fn attr(&mut self, meta: &syn::Meta, out: &mut Attrs, depth: u32) {
        let path = meta.path();
        let Some(name) = path.segments.last().map(|s| &s.ident) else {
            return;
        };
        if path.segments.len() == 1 && name == "doc" {
            return;
        }
        if path.segments.len() == 1 && name == "cfg" {
            if let syn::Meta::List(list) = meta {
                self.add_cfg(list.tokens.clone(), out);
            }
        } else if name == "test" || name == "bench" {
            // `#[test]`, `#[bench]`, `#[tokio::test]`...: compiled only in test builds.
            out.test_only = true;
        } else if path.segments.len() == 1 && name == "cfg_attr" && depth < 4 {
            let syn::Meta::List(list) = meta else { return };
            let Ok(args) =
                list.parse_args_with(Punctuated::<syn::Meta, Token![,]>::parse_terminated)
            else {
                return;
            };
            let mut args = args.into_iter();
            let Some(pred) = args.next() else { return };
            let known = cfg::eval(&pred, self.test);
            for inner in args {
                let is_allow = inner.path().is_ident("allow");
                // `cfg_attr(escape, allow(rule))` is ours; other attributes count only when
                // their predicate is certainly true.
                if known == Tri::True && is_allow && is_escape_pred(&pred) {
                    self.escape_allows(&inner, out);
                } else if known == Tri::True {
                    self.attr(&inner, out, depth + 1);
                } else if known == Tri::Unknown
                    && inner.path().is_ident("path")
                    && let Some(path) = path_value(&inner)
                {
                    out.cfg_paths.push(path);
                }
            }
        } else if path.segments.len() == 1 && name == "path" {
            if let Some(path) = path_value(meta) {
                out.path = Some(path);
            }
        } else if path.segments.len() == 1 && name == "repr" {
            if let syn::Meta::List(list) = meta {
                self.repr(list, &mut out.repr);
            }
        } else if path.segments.len() == 1
            && name == "derive"
            && let syn::Meta::List(list) = meta
            && let Ok(paths) =
                list.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
        {
            for p in paths {
                if let Some(last) = p.segments.last() {
                    let sym = self.sym(&last.ident);
                    out.derives.push(sym);
                }
            }
        }
    }

    fn add_cfg(&mut self, tokens: TokenStream, out: &mut Attrs) {
        // Evaluated twice: once as a non-test build, to learn whether the item is test-only,
        // and once with `test` unknown, to learn whether it exists in any build at all.
        let non_test = cfg::eval_tokens(tokens.clone(), TestCfg::Off);
        let any = cfg::eval_tokens(tokens, TestCfg::Both);
        if non_test == Tri::False && any != Tri::False {
            out.test_only = true;
        }
        out.cfg = Some(match (out.cfg, any) {
            (Some(Tri::False), _) | (_, Tri::False) => Tri::False,
            (Some(Tri::Unknown), _) | (_, Tri::Unknown) => Tri::Unknown,
            _ => Tri::True,
        });
    }

    fn escape_allows(&mut self, meta: &syn::Meta, out: &mut Attrs) {
        let syn::Meta::List(list) = meta else { return };
        let parsed = list.parse_args_with(Punctuated::<syn::Meta, Token![,]>::parse_terminated);
        for arg in parsed.into_iter().flatten() {
            if let syn::Meta::Path(p) = &arg
                && let Some(last) = p.segments.last()
            {
                let sym = self.sym(&last.ident);
                let span = self.span(last.ident.span());
                out.allows.push((sym, span));
            }
        }
    }

    fn repr(&mut self, list: &syn::MetaList, repr: &mut Repr) {
        let _ = list.parse_nested_meta(|meta| {
            let Some(ident) = meta.path.get_ident() else {
                return Ok(());
            };
            let name = ident.to_string();
            match name.as_str() {
                "C" => repr.c = true,
                "transparent" => repr.transparent = true,
                "packed" | "align" => {
                    let mut value = if name == "packed" { Some(1) } else { None };
                    if meta.input.peek(syn::token::Paren) {
                        let content;
                        syn::parenthesized!(content in meta.input);
                        let lit: syn::LitInt = content.parse()?;
                        value = lit.base10_parse().ok();
                    }
                    if name == "packed" {
                        repr.packed = value;
                    } else {
                        repr.align = value;
                    }
                }
                "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64"
                | "i128" | "isize" => repr.int = IntTy::from_name(&name),
                _ => {}
            }
            Ok(())
        });
    }

    // -----------------------------------------------------------------------------------------
    // Items

    fn items(&mut self, items: &[syn::Item], cx: &ModCx) -> Vec<ItemId> {
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
    fn reserve_item(&mut self) -> ItemId {
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

    fn item(&mut self, item: &syn::Item, cx: &ModCx, out: &mut Vec<ItemId>) {
        let item_attrs = match item {
            syn::Item::Const(i) => &i.attrs,
            syn::Item::Enum(i) => &i.attrs,
            syn::Item::ExternCrate(i) => &i.attrs,
            syn::Item::Fn(i) => &i.attrs,
            syn::Item::ForeignMod(i) => &i.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Macro(i) => &i.attrs,
            syn::Item::Mod(i) => &i.attrs,
            syn::Item::Static(i) => &i.attrs,
            syn::Item::Struct(i) => &i.attrs,
            syn::Item::Trait(i) => &i.attrs,
            syn::Item::TraitAlias(i) => &i.attrs,
            syn::Item::Type(i) => &i.attrs,
            syn::Item::Union(i) => &i.attrs,
            syn::Item::Use(i) => &i.attrs,
            _ => return,
        };
        let attrs = self.attrs(item_attrs);
        if !attrs.keep(self.test) {
            return;
        }
        let cx = &cx.within(&attrs);
        let id = self.reserve_item();
        let (name, name_span, vis, lo, hi, kind) = match item {
            syn::Item::Fn(f) => {
                let name_span = self.span(f.sig.ident.span());
                let kind = ItemKind::Fn(Box::new(self.func(id, &f.sig, Some(&f.block), false)));
                let hi = self.span(f.block.brace_token.span.close()).hi;
                let lo = self.item_lo(&f.attrs, Some(&f.vis), self.sig_lo(&f.sig));
                (
                    Some(self.sym(&f.sig.ident)),
                    name_span,
                    Self::vis(&f.vis),
                    lo,
                    hi,
                    kind,
                )
            }
            syn::Item::Struct(s) => {
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
                (
                    Some(name),
                    name_span,
                    Self::vis(&s.vis),
                    lo,
                    hi,
                    ItemKind::Struct(Box::new(adt)),
                )
            }
            syn::Item::Union(u) => {
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
                (
                    Some(name),
                    name_span,
                    Self::vis(&u.vis),
                    lo,
                    hi,
                    ItemKind::Union(Box::new(adt)),
                )
            }
            syn::Item::Enum(e) => {
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
                (
                    Some(self.sym(&e.ident)),
                    name_span,
                    Self::vis(&e.vis),
                    lo,
                    hi,
                    ItemKind::Enum(Box::new(adt)),
                )
            }
            syn::Item::Const(c) => {
                let ty = self.ty(&c.ty);
                let body = Some(self.const_body(id, &c.expr));
                let lo = self.item_lo(&c.attrs, Some(&c.vis), self.span(c.const_token.span));
                let name_span = self.span(c.ident.span());
                let hi = self.span(c.semi_token.span).hi;
                (
                    Some(self.sym(&c.ident)),
                    name_span,
                    Self::vis(&c.vis),
                    lo,
                    hi,
                    ItemKind::Const { ty, body },
                )
            }
            syn::Item::Static(s) => {
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
                (
                    Some(self.sym(&s.ident)),
                    name_span,
                    Self::vis(&s.vis),
                    lo,
                    hi,
                    kind,
                )
            }
            syn::Item::Type(t) => {
                let generics = self.generics(&t.generics);
                let ty = Some(self.ty(&t.ty));
                let lo = self.item_lo(&t.attrs, Some(&t.vis), self.span(t.type_token.span));
                let name_span = self.span(t.ident.span());
                let hi = self.span(t.semi_token.span).hi;
                (
                    Some(self.sym(&t.ident)),
                    name_span,
                    Self::vis(&t.vis),
                    lo,
                    hi,
                    ItemKind::TypeAlias { generics, ty },
                )
            }
            syn::Item::Trait(t) => {
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
                (
                    Some(self.sym(&t.ident)),
                    name_span,
                    Self::vis(&t.vis),
                    lo,
                    hi,
                    kind,
                )
            }
            syn::Item::TraitAlias(t) => {
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
                (
                    Some(self.sym(&t.ident)),
                    name_span,
                    Self::vis(&t.vis),
                    lo,
                    hi,
                    kind,
                )
            }
            syn::Item::Impl(i) => {
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
                (None, kw, Vis::Private, lo, hi, kind)
            }
            syn::Item::Use(u) => {
                let mut imports = Vec::new();
                let global = u.leading_colon.is_some();
                self.use_tree(&u.tree, global, &mut Vec::new(), &mut imports);
                let kw = self.span(u.use_token.span);
                let lo = self.item_lo(&u.attrs, Some(&u.vis), kw);
                let hi = self.span(u.semi_token.span).hi;
                (
                    None,
                    kw,
                    Self::vis(&u.vis),
                    lo,
                    hi,
                    ItemKind::Use(imports.into()),
                )
            }
            syn::Item::Mod(m) => {
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
                (Some(name), name_span, Self::vis(&m.vis), lo, hi, kind)
            }
            syn::Item::ExternCrate(e) => {
                let krate = self.sym(&e.ident);
                let name = match &e.rename {
                    Some((_, rename)) => self.sym(rename),
                    None => krate,
                };
                let name_span = self.span(e.ident.span());
                let lo = self.item_lo(&e.attrs, Some(&e.vis), self.span(e.extern_token.span));
                let hi = self.span(e.semi_token.span).hi;
                (
                    Some(name),
                    name_span,
                    Self::vis(&e.vis),
                    lo,
                    hi,
                    ItemKind::ExternCrate { krate },
                )
            }
            syn::Item::ForeignMod(f) => {
                let mut items = Vec::new();
                for fi in &f.items {
                    self.foreign_item(fi, cx, &mut items);
                }
                let kw = self.span(f.abi.extern_token.span);
                let lo = self.item_lo(&f.attrs, None, kw);
                let hi = self.span(f.brace_token.span.close()).hi;
                (
                    None,
                    kw,
                    Vis::Private,
                    lo,
                    hi,
                    ItemKind::ForeignMod { items },
                )
            }
            syn::Item::Macro(m) => {
                // The id reserved above is not needed: a macro may expand to several items.
                self.ir.items.pop();
                self.item_macro(m, &attrs, cx, out);
                return;
            }
            _ => unreachable!("filtered above"),
        };
        let item = &mut self.ir.items[id.index()];
        item.name = name;
        item.name_span = name_span;
        item.span = Span::new(lo, hi.max(lo));
        item.vis = vis;
        item.test_only = cx.test_only;
        item.allows = attrs.allows;
        item.kind = kind;
        out.push(id);
        if let Some(body) = &mut self.body {
            body.items.push(id);
        }
    }

    fn sig_lo(&self, sig: &syn::Signature) -> Span {
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

    fn trait_item(&mut self, ti: &syn::TraitItem, cx: &ModCx, out: &mut Vec<ItemId>) {
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

    fn impl_item(&mut self, ii: &syn::ImplItem, cx: &ModCx, out: &mut Vec<ItemId>) {
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

    fn foreign_item(&mut self, fi: &syn::ForeignItem, cx: &ModCx, out: &mut Vec<ItemId>) {
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

    #[allow(clippy::too_many_arguments)]
    fn finish_item(
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
        item.kind = kind;
        out.push(id);
    }

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

    fn generics(&mut self, g: &syn::Generics) -> Generics {
        if g.params.is_empty() && g.where_clause.is_none() {
            return Generics::default();
        }
        let mut params: Vec<GenericParam> = Vec::with_capacity(g.params.len());
        let mut bounds: Vec<Vec<TyId>> = Vec::with_capacity(g.params.len());
        for p in &g.params {
            match p {
                syn::GenericParam::Lifetime(l) => {
                    params.push(GenericParam {
                        name: self.sym(&l.lifetime.ident),
                        kind: GenericParamKind::Lifetime,
                    });
                    bounds.push(Vec::new());
                }
                syn::GenericParam::Type(t) => {
                    params.push(GenericParam {
                        name: self.sym(&t.ident),
                        kind: GenericParamKind::Type {
                            bounds: List::EMPTY,
                        },
                    });
                    let list = self.bounds(&t.bounds);
                    bounds.push(self.ir.list(list).to_vec());
                }
                syn::GenericParam::Const(c) => {
                    let ty = self.ty(&c.ty);
                    params.push(GenericParam {
                        name: self.sym(&c.ident),
                        kind: GenericParamKind::Const { ty },
                    });
                    bounds.push(Vec::new());
                }
            }
        }
        if let Some(wc) = &g.where_clause {
            for pred in &wc.predicates {
                let syn::WherePredicate::Type(pt) = pred else {
                    continue;
                };
                // `where F: Fn()` adds to `F`'s bounds; other bounded types are not tracked.
                let syn::Type::Path(tp) = &pt.bounded_ty else {
                    continue;
                };
                let Some(ident) = tp.path.get_ident() else {
                    continue;
                };
                let name = self.sym(ident);
                if let Some(i) = params.iter().position(|p| p.name == name) {
                    let extra = self.bounds(&pt.bounds);
                    bounds[i].extend_from_slice(self.ir.list(extra));
                }
            }
        }
        for (param, b) in params.iter_mut().zip(bounds) {
            if let GenericParamKind::Type { bounds } = &mut param.kind {
                *bounds = self.push_list(b);
            }
        }
        Generics {
            params: params.into(),
        }
    }

    fn bounds(&mut self, bounds: &Punctuated<syn::TypeParamBound, Token![+]>) -> List<TyId> {
        self.lower_list(bounds.iter(), TyId(0), |cx, b| match b {
            // `?Sized` relaxes a bound rather than adding one.
            syn::TypeParamBound::Trait(tb) if tb.maybe.is_none() => Some(cx.path_ty(&tb.path)),
            _ => None,
        })
    }

    // -----------------------------------------------------------------------------------------
    // Item macros

    fn item_macro(&mut self, m: &syn::ItemMacro, attrs: &Attrs, cx: &ModCx, out: &mut Vec<ItemId>) {
        let cx = &cx.within(attrs);
        let mac = &m.mac;
        let last = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        let lo = self.item_lo(
            &m.attrs,
            None,
            self.span(
                mac.path
                    .segments
                    .first()
                    .map_or(mac.bang_token.span, |s| s.ident.span()),
            ),
        );
        let hi = match &m.semi_token {
            Some(semi) => self.span(semi.span).hi,
            None => self.span(delim_span(&mac.delimiter).close()).hi,
        };
        let span = Span::new(lo, hi);
        if last == "macro_rules" {
            if let Some(ident) = &m.ident {
                let id = self.reserve_item();
                let name = self.sym(ident);
                let name_span = self.span(ident.span());
                self.finish_item(
                    id,
                    name,
                    name_span,
                    Vis::Private,
                    span,
                    cx,
                    Attrs::default(),
                    ItemKind::MacroRules,
                    out,
                );
            }
            return;
        }
        let expanded = match last.as_str() {
            "thread_local" => self.static_macro(mac, StaticKind::ThreadLocal, cx, out),
            "lazy_static" => self.static_macro(mac, StaticKind::LazyStatic, cx, out),
            "cfg_if" => self.cfg_if(mac, cx, out),
            _ => false,
        };
        if expanded {
            return;
        }
        // An unknown macro whose body is a list of items (tokio's `cfg_rt! { mod runtime; }`,
        // and similar wrappers) most likely emits them unchanged: read them, so that nothing
        // they declare is lost. Anything else stays an opaque macro call.
        if matches!(mac.delimiter, syn::MacroDelimiter::Brace(_))
            && let Ok(items) = Parser::parse2(parse_items, mac.tokens.clone())
            && !items.is_empty()
        {
            let before = out.len();
            for item in &items {
                self.item(item, cx, out);
            }
            if out.len() > before {
                return;
            }
        }
        let id = self.reserve_item();
        let path = self.path(&mac.path, None);
        let name_span = self.path_span(path);
        let item = &mut self.ir.items[id.index()];
        item.name_span = name_span;
        item.span = span;
        item.test_only = cx.test_only;
        item.kind = ItemKind::MacroCall { path };
        out.push(id);
        if let Some(body) = &mut self.body {
            body.items.push(id);
        }
    }

    /// `thread_local! { static X: T = init; }` and `lazy_static! { static ref X: T = init; }`.
    fn static_macro(
        &mut self,
        mac: &syn::Macro,
        kind: StaticKind,
        cx: &ModCx,
        out: &mut Vec<ItemId>,
    ) -> bool {
        let parsed = Parser::parse2(
            |input: ParseStream| {
                let mut statics = Vec::new();
                while !input.is_empty() {
                    let attrs = input.call(syn::Attribute::parse_outer)?;
                    let vis: syn::Visibility = input.parse()?;
                    let static_token: Token![static] = input.parse()?;
                    if kind == StaticKind::LazyStatic {
                        input.parse::<Token![ref]>()?;
                    }
                    let ident: Ident = input.parse()?;
                    input.parse::<Token![:]>()?;
                    let ty: syn::Type = input.parse()?;
                    input.parse::<Token![=]>()?;
                    let expr: syn::Expr = input.parse()?;
                    let semi: Option<Token![;]> = input.parse()?;
                    statics.push((attrs, vis, static_token, ident, ty, expr, semi));
                }
                Ok(statics)
            },
            mac.tokens.clone(),
        );
        let Ok(statics) = parsed else { return false };
        for (attrs, vis, static_token, ident, ty, expr, semi) in statics {
            let sattrs = self.attrs(&attrs);
            if !sattrs.keep(self.test) {
                continue;
            }
            let id = self.reserve_item();
            let ty = self.ty(&ty);
            let body = self.const_body(id, &expr);
            let lo = self.item_lo(&attrs, Some(&vis), self.span(static_token.span));
            let hi = match semi {
                Some(semi) => self.span(semi.span).hi,
                None => self.ir.expr(self.ir.body(body).value).span.hi,
            };
            let body = Some(body);
            let name = self.sym(&ident);
            let name_span = self.span(ident.span());
            let skind = ItemKind::Static(Box::new(StaticItem {
                ty,
                body,
                mutable: false,
                kind,
            }));
            self.finish_item(
                id,
                name,
                name_span,
                Self::vis(&vis),
                Span::new(lo, hi),
                cx,
                sattrs,
                skind,
                out,
            );
            if let Some(b) = &mut self.body {
                b.items.push(id);
            }
        }
        true
    }

    /// `cfg_if! { if #[cfg(a)] { items } else if #[cfg(b)] { items } else { items } }`: every
    /// branch is read, as every `cfg` is.
    fn cfg_if(&mut self, mac: &syn::Macro, cx: &ModCx, out: &mut Vec<ItemId>) -> bool {
        let parsed = Parser::parse2(
            |input: ParseStream| {
                let mut branches = Vec::new();
                while !input.is_empty() {
                    if input.peek(Token![if]) {
                        input.parse::<Token![if]>()?;
                        let attrs = input.call(syn::Attribute::parse_outer)?;
                        let content;
                        syn::braced!(content in input);
                        branches.push((attrs, parse_items(&content)?));
                    } else if input.peek(Token![else]) {
                        input.parse::<Token![else]>()?;
                        if !input.peek(Token![if]) {
                            let content;
                            syn::braced!(content in input);
                            branches.push((Vec::new(), parse_items(&content)?));
                        }
                    } else {
                        return Err(input.error("expected `if` or `else`"));
                    }
                }
                Ok(branches)
            },
            mac.tokens.clone(),
        );
        let Ok(branches) = parsed else { return false };
        // A branch is certain only if every branch before it is certainly not taken.
        let mut all_false_so_far = true;
        for (attrs, items) in branches {
            let mut battrs = self.attrs(&attrs);
            let certain = all_false_so_far && battrs.cfg.is_none_or(|c| c == Tri::True);
            all_false_so_far &= battrs.cfg == Some(Tri::False);
            if !battrs.keep(self.test) {
                continue;
            }
            if !certain {
                battrs.cfg = Some(Tri::Unknown);
            }
            let inner = cx.within(&battrs);
            for item in &items {
                self.item(item, &inner, out);
            }
        }
        true
    }

    // -----------------------------------------------------------------------------------------
    // Functions and bodies

    fn func(
        &mut self,
        owner: ItemId,
        sig: &syn::Signature,
        block: Option<&syn::Block>,
        foreign: bool,
    ) -> FnItem {
        let generics = self.generics(&sig.generics);
        let mut self_param = None;
        let mut params = Vec::with_capacity(sig.inputs.len());
        for input in &sig.inputs {
            match input {
                syn::FnArg::Receiver(r) => {
                    let kind = match &r.kind {
                        syn::ReceiverKind::Value => SelfKind::Value,
                        syn::ReceiverKind::Reference(_, _, None) => SelfKind::Ref,
                        syn::ReceiverKind::Reference(_, _, Some(_)) => SelfKind::RefMut,
                        syn::ReceiverKind::Typed(_, ty) => SelfKind::Typed(self.ty(ty)),
                        _ => SelfKind::Value,
                    };
                    self_param = Some(SelfParam {
                        kind,
                        span: self.span(r.self_token.span),
                    });
                }
                syn::FnArg::Typed(pt) => params.push(self.ty(&pt.ty)),
            }
        }
        let ret = match &sig.output {
            syn::ReturnType::Default => None,
            syn::ReturnType::Type(_, ty) => Some(self.ty(ty)),
        };
        let params = self.push_list(params);
        let fn_sig = FnSig {
            generics,
            self_param,
            params,
            ret,
            is_async: sig.asyncness.is_some(),
            is_const: sig.constness.is_some(),
            is_unsafe: matches!(sig.safety, syn::Safety::Unsafe(_)),
            is_extern: foreign || sig.abi.is_some(),
        };
        let body = block.map(|block| self.fn_body(owner, sig, &fn_sig, block));
        FnItem { sig: fn_sig, body }
    }

    fn fn_body(
        &mut self,
        owner: ItemId,
        sig: &syn::Signature,
        fn_sig: &FnSig,
        block: &syn::Block,
    ) -> BodyId {
        let saved = self.body.replace(BodyCx::default());
        let saved_depth = std::mem::replace(&mut self.depth, 0);
        let mut self_local = None;
        let mut params = Vec::with_capacity(fn_sig.params.len());
        let param_tys = self.ir.list(fn_sig.params).to_vec();
        let mut param_tys = param_tys.iter();
        for input in &sig.inputs {
            match input {
                syn::FnArg::Receiver(r) => {
                    let span = self.span(r.self_token.span);
                    let ty = match fn_sig.self_param.map(|s| s.kind) {
                        Some(SelfKind::Typed(ty)) => Some(ty),
                        _ => None,
                    };
                    self_local = Some(self.bind(
                        Sym::new("self"),
                        span,
                        r.mutability.is_some(),
                        false,
                        ty,
                        LocalKind::SelfParam,
                    ));
                }
                syn::FnArg::Typed(pt) => {
                    let ty = param_tys.next().copied();
                    params.push(self.pat(&pt.pat, LocalKind::Param, ty));
                }
            }
        }
        let value = self.block_expr(block, None, BlockKind::Plain);
        let cx = std::mem::replace(&mut self.body, saved).unwrap_or_default();
        self.depth = saved_depth;
        let params = self.push_list(params);
        self.push_body(Body {
            owner,
            params,
            self_local,
            locals: cx.locals,
            value,
            items: cx.items,
        })
    }

    /// The initializer of a `const` or `static`: a body without parameters.
    fn const_body(&mut self, owner: ItemId, expr: &syn::Expr) -> BodyId {
        let saved = self.body.replace(BodyCx::default());
        let saved_depth = std::mem::replace(&mut self.depth, 0);
        let value = self.expr(expr);
        let cx = std::mem::replace(&mut self.body, saved).unwrap_or_default();
        self.depth = saved_depth;
        self.push_body(Body {
            owner,
            params: List::EMPTY,
            self_local: None,
            locals: cx.locals,
            value,
            items: cx.items,
        })
    }

    /// An expression outside any body: an array length in a type, an enum discriminant.
    fn const_expr(&mut self, expr: &syn::Expr) -> ExprId {
        let saved = self.body.take();
        let id = self.expr(expr);
        self.body = saved;
        id
    }

    fn push_body(&mut self, body: Body) -> BodyId {
        let id = BodyId(self.ir.bodies.len() as u32);
        self.ir.bodies.push(body);
        id
    }

    // -----------------------------------------------------------------------------------------
    // Locals

    fn bind(
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
        });
        body.scope.push((name, id));
        id
    }

    fn lookup_local(&mut self, name: Sym, span: Span) -> Option<LocalId> {
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

    fn scope_mark(&self) -> usize {
        self.body.as_ref().map_or(0, |b| b.scope.len())
    }

    fn scope_reset(&mut self, mark: usize) {
        if let Some(body) = &mut self.body {
            body.scope.truncate(mark);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Expressions

    fn push_expr(&mut self, span: Span, kind: ExprKind) -> ExprId {
        let id = ExprId(self.ir.exprs.len() as u32);
        self.ir.exprs.push(Expr { kind, span });
        id
    }

    fn espan(&self, id: ExprId) -> Span {
        self.ir.exprs[id.index()].span
    }

    /// Lowers a list of children straight into the file's list vector: their slots are
    /// reserved first, so that the children's own lists (appended while they are lowered)
    /// land after them. `f` may skip an element (`None`), for items a `cfg` removes.
    fn lower_list<S, T: Copy>(
        &mut self,
        items: impl ExactSizeIterator<Item = S>,
        fill: T,
        mut f: impl FnMut(&mut Self, S) -> Option<T>,
    ) -> List<T>
    where
        FileIr: ListStore<T>,
    {
        let start = ListStore::<T>::store(&self.ir).len();
        let reserved = items.len();
        ListStore::<T>::store_mut(&mut self.ir).resize(start + reserved, fill);
        let mut len = 0;
        for item in items {
            if let Some(value) = f(self, item) {
                ListStore::<T>::store_mut(&mut self.ir)[start + len] = value;
                len += 1;
            }
        }
        if len < reserved && ListStore::<T>::store(&self.ir).len() == start + reserved {
            ListStore::<T>::store_mut(&mut self.ir).truncate(start + len);
        }
        // An empty list points nowhere: a list around it may truncate the store below `start`.
        if len == 0 {
            return List::EMPTY;
        }
        List::new(start as u32, len as u32)
    }

    /// Appends an already lowered list.
    fn push_list<T>(&mut self, values: Vec<T>) -> List<T>
    where
        FileIr: ListStore<T>,
    {
        let store = ListStore::<T>::store_mut(&mut self.ir);
        let start = store.len();
        let len = values.len();
        store.extend(values);
        List::new(start as u32, len as u32)
    }

    fn exprs<'e>(&mut self, list: impl ExactSizeIterator<Item = &'e syn::Expr>) -> List<ExprId> {
        self.lower_list(list, ExprId(0), |cx, e| Some(cx.expr(e)))
    }

    fn pats<'e>(
        &mut self,
        list: impl ExactSizeIterator<Item = &'e syn::Pat>,
        kind: LocalKind,
    ) -> List<PatId> {
        self.lower_list(list, PatId(0), |cx, p| Some(cx.pat(p, kind, None)))
    }

    fn tys<'e>(&mut self, list: impl ExactSizeIterator<Item = &'e syn::Type>) -> List<TyId> {
        self.lower_list(list, TyId(0), |cx, t| Some(cx.ty(t)))
    }

    /// A path in type position.
    fn path_ty(&mut self, path: &syn::Path) -> TyId {
        let id = self.path(path, None);
        let span = self.ir.path(id).span;
        self.push_ty(span, TyKind::Path(id))
    }

    fn path_span(&self, id: PathId) -> Span {
        self.ir.path(id).span
    }

    fn expr(&mut self, expr: &syn::Expr) -> ExprId {
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

    fn expr_inner(&mut self, expr: &syn::Expr) -> ExprId {
        use syn::Expr as E;
        let (span, kind) = match expr {
            E::Array(a) => {
                let elems = self.exprs(a.elems.iter());
                (self.join(&a.bracket_token.span), ExprKind::Array(elems))
            }
            E::Assign(a) => {
                let place = self.expr(&a.left);
                let value = self.expr(&a.right);
                (
                    self.espan(place).to(self.espan(value)),
                    ExprKind::Assign { place, value },
                )
            }
            E::Async(a) => {
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
            E::Await(a) => {
                let base = self.expr(&a.base);
                let hi = self.span(a.await_token.span);
                (self.espan(base).to(hi), ExprKind::Await(base))
            }
            E::Binary(b) => {
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
            E::Block(b) => {
                let label = b.label.as_ref().map(|l| self.sym(&l.name.ident));
                let id = self.block_expr(&b.block, label, BlockKind::Plain);
                return self.with_label_span(id, b.label.as_ref());
            }
            E::Break(b) => {
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
            E::Call(c) => {
                let callee = self.expr(&c.func);
                let args = self.exprs(c.args.iter());
                let hi = self.span(c.paren_token.span.close());
                (self.espan(callee).to(hi), ExprKind::Call { callee, args })
            }
            E::Cast(c) => {
                let inner = self.expr(&c.expr);
                let ty = self.ty(&c.ty);
                (
                    self.espan(inner).to(self.ir.ty(ty).span),
                    ExprKind::Cast { expr: inner, ty },
                )
            }
            E::Closure(c) => {
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
                let head_hi =
                    ret.map_or_else(|| self.span(c.inputs_end.span), |t| self.ir.ty(t).span);
                self.ir.closures[closure.index()].head = lo.to(head_hi);
                (lo.to(hi), ExprKind::Closure(closure))
            }
            E::Const(c) => {
                let id = self.block_expr(&c.block, None, BlockKind::Const);
                let lo = self.span(c.const_token.span);
                let span = lo.to(self.espan(id));
                self.ir.exprs[id.index()].span = span;
                return id;
            }
            E::Continue(c) => {
                let mut span = self.span(c.continue_token.span);
                if let Some(l) = &c.label {
                    span = span.to(self.span(l.ident.span()));
                }
                (span, ExprKind::Continue)
            }
            E::Field(f) => {
                let base = self.expr(&f.base);
                let (name, hi) = match &f.member {
                    syn::Member::Named(ident) => self.ident(ident),
                    syn::Member::Unnamed(index) => {
                        (Sym::new(&index.index.to_string()), self.span(index.span))
                    }
                };
                (self.espan(base).to(hi), ExprKind::Field { base, name })
            }
            E::ForLoop(f) => {
                let iter = self.expr(&f.expr);
                let mark = self.scope_mark();
                let pat = self.pat(&f.pat, LocalKind::Pattern, None);
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
            E::Group(g) => return self.expr(&g.expr),
            E::If(i) => {
                let mark = self.scope_mark();
                let cond = self.expr(&i.cond);
                let then = self.block_expr(&i.then_branch, None, BlockKind::Plain);
                self.scope_reset(mark);
                let els = i.else_branch.as_ref().map(|(_, e)| self.expr(e));
                let lo = self.span(i.if_token.span);
                let hi = els.map_or(self.espan(then), |e| self.espan(e));
                (lo.to(hi), ExprKind::If { cond, then, els })
            }
            E::Index(i) => {
                let base = self.expr(&i.expr);
                let index = self.expr(&i.index);
                let hi = self.span(i.bracket_token.span.close());
                (self.espan(base).to(hi), ExprKind::Index { base, index })
            }
            E::Infer(i) => (self.span(i.underscore_token.span), ExprKind::Missing),
            E::Let(l) => {
                let value = self.expr(&l.expr);
                let pat = self.pat(&l.pat, LocalKind::Pattern, None);
                let lo = self.span(l.let_token.span);
                (lo.to(self.espan(value)), ExprKind::Let { pat, expr: value })
            }
            E::Lit(l) => (
                self.full_span(l.lit.span()),
                ExprKind::Lit(self.lit(&l.lit)),
            ),
            E::Loop(l) => {
                let label = l.label.as_ref().map(|l| self.sym(&l.name.ident));
                let body = self.block_expr(&l.body, None, BlockKind::Plain);
                let mut span = self.span(l.loop_token.span).to(self.espan(body));
                if let Some(l) = &l.label {
                    span = span.to(self.span(l.name.apostrophe));
                }
                (span, ExprKind::Loop { body, label })
            }
            E::Macro(m) => return self.expr_macro(&m.mac),
            E::Match(m) => {
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
                    // syn 3 keeps an arm's `if` guard inside its pattern.
                    let (pat, guard) = match &arm.pat {
                        syn::Pat::Guard(g) => {
                            let pat = cx.pat(&g.pat, LocalKind::Pattern, None);
                            (pat, Some(cx.expr(&g.guard)))
                        }
                        other => (cx.pat(other, LocalKind::Pattern, None), None),
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
            E::MethodCall(m) => {
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
            E::Paren(p) => {
                let inner = self.expr(&p.expr);
                // Keep the parentheses in the span, so messages quote what was written.
                let span = self.join(&p.paren_token.span);
                self.ir.exprs[inner.index()].span = span;
                return inner;
            }
            E::Path(p) => {
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
                (self.path_span(path), ExprKind::Path(path))
            }
            E::Range(r) => {
                let lo = r.start.as_ref().map(|e| self.expr(e));
                let hi = r.end.as_ref().map(|e| self.expr(e));
                let op = match &r.limits {
                    syn::RangeLimits::HalfOpen(t) => {
                        self.span(t.spans[0]).to(self.span(t.spans[1]))
                    }
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
            E::RawAddr(r) => {
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
            E::Reference(r) => {
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
            E::Repeat(r) => {
                let elem = self.expr(&r.expr);
                let len = self.expr(&r.len);
                (
                    self.join(&r.bracket_token.span),
                    ExprKind::Repeat { elem, len },
                )
            }
            E::Return(r) => {
                let value = r.expr.as_ref().map(|e| self.expr(e));
                let lo = self.span(r.return_token.span);
                (
                    value.map_or(lo, |v| lo.to(self.espan(v))),
                    ExprKind::Return(value),
                )
            }
            E::Struct(s) => {
                let path = self.path(&s.path, s.qself.as_ref());
                let fields =
                    self.lower_list(s.fields.iter(), (Sym::empty(), ExprId(0)), |cx, fv| {
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
            E::Try(t) => {
                let inner = self.expr(&t.expr);
                let span = self.espan(inner).to(self.span(t.question_token.span));
                (span, ExprKind::Try(inner))
            }
            E::TryBlock(t) => {
                let id = self.block_expr(&t.block, None, BlockKind::Try);
                let span = self.span(t.try_token.span).to(self.espan(id));
                self.ir.exprs[id.index()].span = span;
                return id;
            }
            E::Tuple(t) => {
                let elems = self.exprs(t.elems.iter());
                (self.join(&t.paren_token.span), ExprKind::Tuple(elems))
            }
            E::Unary(u) => {
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
            E::Unsafe(u) => {
                let id = self.block_expr(&u.block, None, BlockKind::Unsafe);
                let span = self.span(u.unsafe_token.span).to(self.espan(id));
                self.ir.exprs[id.index()].span = span;
                return id;
            }
            E::While(w) => {
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
            E::Yield(y) => {
                let value = y.expr.as_ref().map(|e| self.expr(e));
                let lo = self.span(y.yield_token.span);
                (
                    value.map_or(lo, |v| lo.to(self.espan(v))),
                    ExprKind::Yield(value),
                )
            }
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

    fn with_label_span(&mut self, id: ExprId, label: Option<&syn::Label>) -> ExprId {
        if let Some(l) = label {
            let lo = self.span(l.name.apostrophe);
            let span = lo.to(self.espan(id));
            self.ir.exprs[id.index()].span = span;
        }
        id
    }

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

    fn block_expr(&mut self, block: &syn::Block, label: Option<Sym>, kind: BlockKind) -> ExprId {
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
                    syn::Stmt::Local(local) => {
                        let attrs = cx.attrs(&local.attrs);
                        if !attrs.keep(cx.test) {
                            return None;
                        }
                        let (ty, pat_syn) = match &local.pat {
                            syn::Pat::Type(pt) => (Some(cx.ty(&pt.ty)), &*pt.pat),
                            other => (None, other),
                        };
                        let init = local.init.as_ref().map(|i| cx.expr(&i.expr));
                        let els = local
                            .init
                            .as_ref()
                            .and_then(|i| i.diverge.as_ref())
                            .map(|(_, e)| cx.expr(e));
                        let pat = cx.pat(pat_syn, LocalKind::Let, ty);
                        let span = cx
                            .span(local.let_token.span)
                            .to(cx.span(local.semi_token.span));
                        for &(rule, at) in &attrs.allows {
                            cx.ir.allows.push(Allow {
                                covers: span,
                                rule,
                                at,
                            });
                        }
                        let id = LetId(cx.ir.lets.len() as u32);
                        cx.ir.lets.push(LetStmt {
                            pat,
                            ty,
                            init,
                            els,
                            span,
                        });
                        Some(Stmt::Let(id))
                    }
                    syn::Stmt::Item(item) => {
                        let mut ids = Vec::new();
                        cx.item(item, &ModCx::default(), &mut ids);
                        // Items are not evaluated; the body lists them all in `Body::items`.
                        ids.first().map(|&id| Stmt::Item(id))
                    }
                    syn::Stmt::Expr(e, semi) => {
                        if let Some(attrs) = expr_attrs(e)
                            && !cx.attrs(attrs).keep(cx.test)
                        {
                            return None;
                        }
                        let id = cx.expr(e);
                        if semi.is_none() && last {
                            tail = Some(id);
                            return None;
                        }
                        Some(Stmt::Expr {
                            expr: id,
                            semi: semi.is_some(),
                        })
                    }
                    syn::Stmt::Macro(m) => {
                        if !cx.attrs(&m.attrs).keep(cx.test) {
                            return None;
                        }
                        let name = m.mac.path.segments.last().map(|s| &s.ident);
                        if name.is_some_and(|n| {
                            n == "thread_local" || n == "lazy_static" || n == "macro_rules"
                        }) {
                            let item = syn::ItemMacro {
                                attrs: m.attrs.clone(),
                                ident: None,
                                mac: m.mac.clone(),
                                semi_token: m.semi_token,
                            };
                            let mut ids = Vec::new();
                            cx.item_macro(&item, &Attrs::default(), &ModCx::default(), &mut ids);
                            return ids.first().map(|&id| Stmt::Item(id));
                        }
                        let id = cx.expr_macro(&m.mac);
                        if m.semi_token.is_none() && last {
                            tail = Some(id);
                            return None;
                        }
                        Some(Stmt::Expr {
                            expr: id,
                            semi: m.semi_token.is_some(),
                        })
                    }
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

    // -----------------------------------------------------------------------------------------
    // Expression macros

    fn expr_macro(&mut self, mac: &syn::Macro) -> ExprId {
        let path = self.path(&mac.path, None);
        let span = self
            .path_span(path)
            .to(self.span(delim_span(&mac.delimiter).close()));
        let name = self
            .ir
            .path_last(self.ir.path(path))
            .map(|s| s.as_str())
            .unwrap_or("");
        let args = if name == "vec" {
            self.vec_macro(mac.tokens.clone())
        } else if FORMAT_MACROS.contains(&name) {
            self.format_macro(mac.tokens.clone())
        } else if LIST_MACROS.contains(&name) {
            self.list_macro(mac.tokens.clone())
        } else {
            self.opaque_macro(mac.tokens.clone())
        };
        let id = MacroId(self.ir.macros.len() as u32);
        self.ir.macros.push(MacroCall { path, args });
        self.push_expr(span, ExprKind::Macro(id))
    }

    /// `vec![a, b]` or `vec![elem; len]`, in one pass over the tokens.
    fn vec_macro(&mut self, tokens: TokenStream) -> MacroArgs {
        let parsed = Parser::parse2(
            |input: ParseStream| {
                let mut elems = Vec::new();
                if input.is_empty() {
                    return Ok((elems, None));
                }
                let first: syn::Expr = input.parse()?;
                if input.peek(Token![;]) {
                    input.parse::<Token![;]>()?;
                    let len: syn::Expr = input.parse()?;
                    return Ok((vec![first], Some(len)));
                }
                elems.push(first);
                while !input.is_empty() {
                    input.parse::<Token![,]>()?;
                    if input.is_empty() {
                        break;
                    }
                    elems.push(input.parse()?);
                }
                Ok((elems, None))
            },
            tokens.clone(),
        );
        match parsed {
            Ok((elems, Some(len))) => {
                let elem = self.expr(&elems[0]);
                let len = self.expr(&len);
                MacroArgs::Repeat { elem, len }
            }
            Ok((elems, None)) => MacroArgs::List(self.exprs(elems.iter())),
            Err(_) => self.opaque_macro(tokens),
        }
    }

    fn list_macro(&mut self, tokens: TokenStream) -> MacroArgs {
        match Parser::parse2(
            Punctuated::<syn::Expr, Token![,]>::parse_terminated,
            tokens.clone(),
        ) {
            Ok(list) => MacroArgs::List(self.exprs(list.iter())),
            Err(_) => self.opaque_macro(tokens),
        }
    }

    /// A macro whose syntax is unknown: its tokens are not parsed, but every identifier in
    /// them that names a local in scope counts as a use, so closures still capture it and the
    /// analysis knows the value went somewhere it cannot see.
    fn opaque_macro(&mut self, tokens: TokenStream) -> MacroArgs {
        if self.body.is_none() {
            return MacroArgs::Opaque(List::EMPTY);
        }
        let mut used: Vec<ExprId> = Vec::new();
        let mut seen: Vec<LocalId> = Vec::new();
        let mut stack = vec![tokens.into_iter()];
        while let Some(top) = stack.last_mut() {
            let Some(tree) = top.next() else {
                stack.pop();
                continue;
            };
            match tree {
                proc_macro2::TokenTree::Group(g) => stack.push(g.stream().into_iter()),
                proc_macro2::TokenTree::Ident(ident) => {
                    let (name, span) = self.ident(&ident);
                    if let Some(local) = self.lookup_local(name, span)
                        && !seen.contains(&local)
                    {
                        seen.push(local);
                        used.push(self.push_expr(span, ExprKind::Local(local)));
                    }
                }
                _ => {}
            }
        }
        MacroArgs::Opaque(self.push_list(used))
    }

    /// `format!("{} {x}", a, name = b)`: the arguments, and the locals the format string names.
    fn format_macro(&mut self, tokens: TokenStream) -> MacroArgs {
        let parsed = Parser::parse2(
            |input: ParseStream| {
                let mut args = Vec::new();
                while !input.is_empty() {
                    if (input.peek(syn::Ident) || input.peek(Token![_]))
                        && input.peek2(Token![=])
                        && !input.peek2(Token![==])
                    {
                        input.parse::<proc_macro2::TokenTree>()?;
                        input.parse::<Token![=]>()?;
                    }
                    args.push(input.parse::<syn::Expr>()?);
                    if input.is_empty() {
                        break;
                    }
                    input.parse::<Token![,]>()?;
                }
                Ok(args)
            },
            tokens.clone(),
        );
        let Ok(args) = parsed else {
            return self.opaque_macro(tokens);
        };
        let mut out = Vec::with_capacity(args.len());
        for arg in &args {
            if let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = arg
            {
                let lit_span = self.full_span(s.span());
                for name in inline_format_args(&s.value()) {
                    let sym = Sym::new(&name);
                    if let Some(local) = self.lookup_local(sym, lit_span) {
                        let l = self.push_expr(lit_span, ExprKind::Local(local));
                        out.push(self.push_expr(
                            lit_span,
                            ExprKind::Ref {
                                mutable: false,
                                raw: false,
                                expr: l,
                            },
                        ));
                    }
                }
            }
            out.push(self.expr(arg));
        }
        MacroArgs::List(self.push_list(out))
    }

    // -----------------------------------------------------------------------------------------
    // Patterns

    fn push_pat(&mut self, span: Span, kind: PatKind) -> PatId {
        let id = PatId(self.ir.pats.len() as u32);
        self.ir.pats.push(Pat { kind, span });
        id
    }

    fn pspan(&self, id: PatId) -> Span {
        self.ir.pats[id.index()].span
    }

    fn pat(&mut self, pat: &syn::Pat, kind: LocalKind, ty: Option<TyId>) -> PatId {
        if self.depth >= MAX_DEPTH {
            let span = pat_first_token(pat).map_or(Span::default(), |s| self.span(s));
            self.truncate(span);
            return self.push_pat(span, PatKind::Missing);
        }
        self.depth += 1;
        let id = self.pat_inner(pat, kind, ty);
        self.depth -= 1;
        id
    }

    fn pat_inner(&mut self, pat: &syn::Pat, kind: LocalKind, ty: Option<TyId>) -> PatId {
        use syn::Pat as P;
        let (span, pkind) = match pat {
            P::Ident(pi) => {
                let (name, ispan) = self.ident(&pi.ident);
                let plain = pi.by_ref.is_none() && pi.mutability.is_none() && pi.subpat.is_none();
                if plain && looks_like_constant(name.as_str()) {
                    let segments = self.push_list(vec![Segment { name, args: None }]);
                    let id = PathId(self.ir.paths.len() as u32);
                    self.ir.paths.push(Path {
                        global: false,
                        qself: None,
                        segments,
                        span: ispan,
                    });
                    (ispan, PatKind::Path(id))
                } else {
                    let sub = pi.subpat.as_ref().map(|(_, p)| self.pat(p, kind, None));
                    let local = self.bind(
                        name,
                        ispan,
                        pi.mutability.is_some(),
                        pi.by_ref.is_some(),
                        ty,
                        kind,
                    );
                    let mut span = ispan;
                    if let Some(t) = &pi.by_ref {
                        span = span.to(self.span(t.span));
                    }
                    if let Some(t) = &pi.mutability {
                        span = span.to(self.span(t.span));
                    }
                    if let Some(s) = sub {
                        span = span.to(self.pspan(s));
                    }
                    (span, PatKind::Bind { local, sub })
                }
            }
            P::Type(pt) => {
                let ty = self.ty(&pt.ty);
                return self.pat(&pt.pat, kind, Some(ty));
            }
            P::Tuple(t) => {
                let elems = self.pats(t.elems.iter(), kind);
                (self.join(&t.paren_token.span), PatKind::Tuple(elems))
            }
            P::TupleStruct(t) => {
                let path = self.path(&t.path, t.qself.as_ref());
                let elems = self.pats(t.elems.iter(), kind);
                let span = self
                    .path_span(path)
                    .to(self.span(t.paren_token.span.close()));
                (span, PatKind::TupleStruct { path, elems })
            }
            P::Struct(s) => {
                let path = self.path(&s.path, s.qself.as_ref());
                let fields =
                    self.lower_list(s.fields.iter(), (Sym::empty(), PatId(0)), |cx, fp| {
                        let name = member_name(cx, &fp.member);
                        Some((name, cx.pat(&fp.pat, kind, None)))
                    });
                let span = self
                    .path_span(path)
                    .to(self.span(s.brace_token.span.close()));
                (span, PatKind::Struct { path, fields })
            }
            P::Path(p) => {
                let path = self.path(&p.path, p.qself.as_ref());
                (self.path_span(path), PatKind::Path(path))
            }
            P::Reference(r) => {
                let inner = self.pat(&r.pat, kind, None);
                let span = self.span(r.and_token.span).to(self.pspan(inner));
                (
                    span,
                    PatKind::Ref {
                        mutable: r.mutability.is_some(),
                        pat: inner,
                    },
                )
            }
            P::Or(o) => {
                let outer = self.body.as_mut().and_then(|b| b.or_bindings.take());
                let mark = self.scope_mark();
                let cases =
                    self.lower_list(o.cases.iter().enumerate(), PatId(0), |cx, (i, case)| {
                        let id = cx.pat(case, kind, None);
                        // Later alternatives bind the same locals as the first.
                        if i == 0
                            && let Some(body) = &mut cx.body
                        {
                            body.or_bindings =
                                Some(body.scope[mark.min(body.scope.len())..].to_vec());
                        }
                        Some(id)
                    });
                if let Some(body) = &mut self.body {
                    body.or_bindings = outer;
                }
                let ids = self.ir.list(cases);
                let span = ids
                    .iter()
                    .fold(self.pspan(ids[0]), |s, &c| s.to(self.pspan(c)));
                (span, PatKind::Or(cases))
            }
            P::Slice(s) => {
                let elems = self.pats(s.elems.iter(), kind);
                (self.join(&s.bracket_token.span), PatKind::Slice(elems))
            }
            P::Paren(p) => return self.pat(&p.pat, kind, ty),
            P::Rest(r) => (
                self.span(r.dot2_token.spans[0])
                    .to(self.span(r.dot2_token.spans[1])),
                PatKind::Rest,
            ),
            P::Wild(w) => (self.span(w.underscore_token.span), PatKind::Wild),
            P::Guard(g) => {
                let inner = self.pat(&g.pat, kind, ty);
                self.expr(&g.guard);
                return inner;
            }
            P::Lit(l) => (self.full_span(l.lit.span()), PatKind::Lit),
            P::Range(r) => {
                // Lowered as an expression only for its span; its bounds are constants.
                let range = self.expr(&syn::Expr::Range(r.clone()));
                (self.espan(range), PatKind::Lit)
            }
            other => (
                pat_first_token(other).map_or(Span::default(), |s| self.span(s)),
                PatKind::Missing,
            ),
        };
        self.push_pat(span, pkind)
    }

    // -----------------------------------------------------------------------------------------
    // Types and paths

    fn push_ty(&mut self, span: Span, kind: TyKind) -> TyId {
        let id = TyId(self.ir.tys.len() as u32);
        self.ir.tys.push(Ty { kind, span });
        id
    }

    fn tspan(&self, id: TyId) -> Span {
        self.ir.tys[id.index()].span
    }

    fn ty(&mut self, ty: &syn::Type) -> TyId {
        if self.depth >= MAX_DEPTH {
            let span = ty_first_token(ty).map_or(Span::default(), |s| self.span(s));
            self.truncate(span);
            return self.push_ty(span, TyKind::Missing);
        }
        self.depth += 1;
        let id = self.ty_inner(ty);
        self.depth -= 1;
        id
    }

    fn ty_inner(&mut self, ty: &syn::Type) -> TyId {
        use syn::Type as T;
        let (span, kind) = match ty {
            T::Array(a) => {
                let elem = self.ty(&a.elem);
                let len = self.expr(&a.len);
                (
                    self.join(&a.bracket_token.span),
                    TyKind::Array { elem, len },
                )
            }
            T::FnPtr(f) => {
                let params = self.tys(f.inputs.iter().map(|a| &a.ty));
                let ret = match &f.output {
                    syn::ReturnType::Default => None,
                    syn::ReturnType::Type(_, t) => Some(self.ty(t)),
                };
                let lo = self.span(f.fn_token.span);
                let hi = ret.map_or(self.span(f.paren_token.span.close()), |r| self.tspan(r));
                (lo.to(hi), TyKind::FnPtr { params, ret })
            }
            T::Group(g) => return self.ty(&g.elem),
            T::ImplTrait(i) => {
                let bounds = self.bounds(&i.bounds);
                let lo = self.span(i.impl_token.span);
                let span = self
                    .ir
                    .list(bounds)
                    .iter()
                    .fold(lo, |s, &b| s.to(self.tspan(b)));
                (span, TyKind::Impl(bounds))
            }
            T::Infer(i) => (self.span(i.underscore_token.span), TyKind::Infer),
            T::Macro(m) => {
                let lo = m
                    .mac
                    .path
                    .segments
                    .first()
                    .map_or(m.mac.bang_token.span, |s| s.ident.span());
                (
                    self.span(lo)
                        .to(self.span(delim_span(&m.mac.delimiter).close())),
                    TyKind::Missing,
                )
            }
            T::Never(n) => (self.span(n.bang_token.span), TyKind::Never),
            T::Paren(p) => return self.ty(&p.elem),
            T::Path(p) => {
                let path = self.path(&p.path, p.qself.as_ref());
                (self.path_span(path), TyKind::Path(path))
            }
            T::Ptr(p) => {
                let inner = self.ty(&p.elem);
                let mutable = matches!(p.mutability, syn::PointerMutability::Mut(_));
                (
                    self.span(p.star_token.span).to(self.tspan(inner)),
                    TyKind::Ptr { mutable, ty: inner },
                )
            }
            T::Reference(r) => {
                let inner = self.ty(&r.elem);
                let span = self.span(r.and_token.span).to(self.tspan(inner));
                (
                    span,
                    TyKind::Ref {
                        mutable: r.mutability.is_some(),
                        ty: inner,
                    },
                )
            }
            T::Slice(s) => {
                let inner = self.ty(&s.elem);
                (self.join(&s.bracket_token.span), TyKind::Slice(inner))
            }
            T::TraitObject(t) => {
                let bounds = self.bounds(&t.bounds);
                let mut span = t.dyn_token.as_ref().map(|d| self.span(d.span));
                for &b in self.ir.list(bounds) {
                    span = Some(span.map_or(self.tspan(b), |s| s.to(self.tspan(b))));
                }
                (span.unwrap_or_default(), TyKind::Dyn(bounds))
            }
            T::Tuple(t) => {
                let elems = self.tys(t.elems.iter());
                (self.join(&t.paren_token.span), TyKind::Tuple(elems))
            }
            other => (
                ty_first_token(other).map_or(Span::default(), |s| self.span(s)),
                TyKind::Missing,
            ),
        };
        self.push_ty(span, kind)
    }

    fn path(&mut self, path: &syn::Path, qself: Option<&syn::QSelf>) -> PathId {
        let mut hi = Span::default();
        let mut first = None;
        let placeholder = Segment {
            name: Sym::empty(),
            args: None,
        };
        let segments = self.lower_list(path.segments.iter(), placeholder, |cx, seg| {
            let (name, span) = cx.ident(&seg.ident);
            first.get_or_insert(span);
            hi = span;
            let args = match &seg.arguments {
                syn::PathArguments::None => None,
                syn::PathArguments::AngleBracketed(a) => {
                    hi = cx.span(a.gt_token.span);
                    let list = cx.generic_arg_list(&a.args);
                    Some(cx.push_generic_args(GenericArgs::Angle(list)))
                }
                syn::PathArguments::Parenthesized(p) => {
                    let inputs = cx.tys(p.inputs.iter().map(|a| &a.ty));
                    let output = match &p.output {
                        syn::ReturnType::Default => None,
                        syn::ReturnType::Type(_, t) => Some(cx.ty(t)),
                    };
                    hi = output.map_or(cx.span(p.paren_token.span.close()), |o| cx.tspan(o));
                    Some(cx.push_generic_args(GenericArgs::Paren { inputs, output }))
                }
            };
            Some(Segment { name, args })
        });
        let mut lo = path
            .leading_colon
            .as_ref()
            .map(|c| self.span(c.spans[0]))
            .or(first)
            .unwrap_or(hi);
        let qself = qself.map(|q| {
            lo = self.span(q.lt_token.span);
            QSelf {
                ty: self.ty(&q.ty),
                position: q.position as u32,
            }
        });
        let id = PathId(self.ir.paths.len() as u32);
        self.ir.paths.push(Path {
            global: path.leading_colon.is_some(),
            qself,
            segments,
            span: lo.to(hi),
        });
        id
    }

    fn push_generic_args(&mut self, args: GenericArgs) -> GenericArgsId {
        let id = GenericArgsId(self.ir.generic_args.len() as u32);
        self.ir.generic_args.push(args);
        id
    }

    fn generic_arg_list(
        &mut self,
        args: &Punctuated<syn::GenericArgument, Token![,]>,
    ) -> List<GenericArg> {
        self.lower_list(args.iter(), GenericArg::Other, |cx, arg| {
            Some(match arg {
                syn::GenericArgument::Lifetime(_) => GenericArg::Lifetime,
                syn::GenericArgument::Type(t) => GenericArg::Type(cx.ty(t)),
                syn::GenericArgument::Const(e) => GenericArg::Const(cx.expr(e)),
                syn::GenericArgument::AssocType(a) => GenericArg::AssocType {
                    name: cx.sym(&a.ident),
                    ty: cx.ty(&a.ty),
                },
                _ => GenericArg::Other,
            })
        })
    }
}

/// The name of a struct field in an expression or pattern: `x`, or `0` for a tuple field.
fn member_name(cx: &mut Lowerer<'_>, member: &syn::Member) -> Sym {
    match member {
        syn::Member::Named(ident) => cx.sym(ident),
        syn::Member::Unnamed(index) => Sym::new(&index.index.to_string()),
    }
}

/// The length in bytes of the single token starting at `at`: an identifier or keyword
/// (raw identifiers included), else one character.
/// The file of `path = "file"`.
fn path_value(meta: &syn::Meta) -> Option<Box<str>> {
    match meta {
        syn::Meta::NameValue(syn::MetaNameValue {
            value:
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }),
            ..
        }) => Some(s.value().into_boxed_str()),
        _ => None,
    }
}

/// The length of the token at `at` when it can be read without Unicode tables: an ASCII
/// word (an identifier, keyword or number, `r#` included) or one punctuation character.
/// `None` for a word that goes on with a non-ASCII character.
fn token_len(text: &[u8], at: usize) -> Option<u32> {
    let rest = text.get(at..)?;
    let is_word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    let raw = if rest.starts_with(b"r#") && rest.get(2).is_some_and(is_word) {
        2
    } else {
        0
    };
    let len = raw + rest[raw..].iter().take_while(|b| is_word(b)).count();
    match rest.get(len) {
        Some(&b) if b >= 0x80 => None,
        _ if len > 0 => Some(len as u32),
        Some(_) => Some(1),
        None => Some(0),
    }
}

/// Macros whose arguments are plain expressions.
const LIST_MACROS: &[&str] = &[
    "dbg",
    "matches",
    "addr_of",
    "addr_of_mut",
    "join",
    "select",
    "try_join",
];

/// Macros whose arguments are a format string and expressions it borrows.
const FORMAT_MACROS: &[&str] = &[
    "format",
    "print",
    "println",
    "eprint",
    "eprintln",
    "write",
    "writeln",
    "panic",
    "format_args",
    "unreachable",
    "todo",
    "unimplemented",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
];

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

fn pat_first_token(mut p: &syn::Pat) -> Option<proc_macro2::Span> {
    use syn::Pat as P;
    loop {
        return Some(match p {
            P::Ident(x) => x.ident.span(),
            P::Type(x) => {
                p = &x.pat;
                continue;
            }
            P::Paren(x) => x.paren_token.span.open(),
            P::Tuple(x) => x.paren_token.span.open(),
            P::TupleStruct(x) => x.path.segments.first()?.ident.span(),
            P::Struct(x) => x.path.segments.first()?.ident.span(),
            P::Path(x) => x.path.segments.first()?.ident.span(),
            P::Reference(x) => x.and_token.span,
            P::Or(x) => {
                p = x.cases.first()?;
                continue;
            }
            P::Slice(x) => x.bracket_token.span.open(),
            P::Rest(x) => x.dot2_token.spans[0],
            P::Wild(x) => x.underscore_token.span,
            P::Lit(x) => x.lit.span(),
            P::Macro(x) => x.mac.bang_token.span,
            P::Const(x) => x.const_token.span,
            P::Verbatim(tokens) => tokens.clone().into_iter().next()?.span(),
            _ => return None,
        });
    }
}

fn ty_first_token(mut t: &syn::Type) -> Option<proc_macro2::Span> {
    use syn::Type as T;
    loop {
        return Some(match t {
            T::Array(x) => x.bracket_token.span.open(),
            T::FnPtr(x) => x.fn_token.span,
            T::Group(x) => {
                t = &x.elem;
                continue;
            }
            T::ImplTrait(x) => x.impl_token.span,
            T::Infer(x) => x.underscore_token.span,
            T::Macro(x) => x.mac.bang_token.span,
            T::Never(x) => x.bang_token.span,
            T::Paren(x) => x.paren_token.span.open(),
            T::Path(x) => x.path.segments.first()?.ident.span(),
            T::Ptr(x) => x.star_token.span,
            T::Reference(x) => x.and_token.span,
            T::Slice(x) => x.bracket_token.span.open(),
            T::TraitObject(x) => match &x.dyn_token {
                Some(d) => d.span,
                None => return None,
            },
            T::Tuple(x) => x.paren_token.span.open(),
            T::Verbatim(tokens) => tokens.clone().into_iter().next()?.span(),
            _ => return None,
        });
    }
}

fn parse_items(input: ParseStream) -> syn::Result<Vec<syn::Item>> {
    let mut items = Vec::new();
    while !input.is_empty() {
        items.push(input.parse()?);
    }
    Ok(items)
}

fn delim_span(d: &syn::MacroDelimiter) -> proc_macro2::extra::DelimSpan {
    match d {
        syn::MacroDelimiter::Paren(p) => p.span,
        syn::MacroDelimiter::Brace(b) => b.span,
        syn::MacroDelimiter::Bracket(b) => b.span,
    }
}

fn is_escape_pred(meta: &syn::Meta) -> bool {
    matches!(meta, syn::Meta::Path(p) if p.is_ident("escape"))
}

fn expr_attrs(e: &syn::Expr) -> Option<&Vec<syn::Attribute>> {
    use syn::Expr as E;
    Some(match e {
        E::Call(x) => &x.attrs,
        E::MethodCall(x) => &x.attrs,
        E::Macro(x) => &x.attrs,
        E::Block(x) => &x.attrs,
        E::If(x) => &x.attrs,
        E::Match(x) => &x.attrs,
        E::Assign(x) => &x.attrs,
        E::ForLoop(x) => &x.attrs,
        E::While(x) => &x.attrs,
        E::Loop(x) => &x.attrs,
        E::Unsafe(x) => &x.attrs,
        _ => return None,
    })
}

/// `None`, `MAX`, `Ordering`: an identifier pattern that names a constant or unit variant
/// rather than binding a variable, by Rust's naming conventions.
fn looks_like_constant(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}

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

/// The identifiers a format string names inline: `"{x} {y:?} {0} {{literal}}"` gives x, y.
fn inline_format_args(fmt: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = fmt.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'{' {
            if bytes.get(i + 1) == Some(&b'{') {
                i += 2;
                continue;
            }
            let start = i + 1;
            let mut end = start;
            while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
                end += 1;
            }
            let name = &fmt[start..end];
            if !name.is_empty()
                && !name.as_bytes()[0].is_ascii_digit()
                && matches!(bytes.get(end), Some(b'}') | Some(b':'))
                && !out.iter().any(|n| n == name)
            {
                out.push(name.to_string());
            }
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{TestCfg, inline_format_args, lower_file};

    #[test]
    fn identifier_spans_cover_the_whole_name() {
        // `cafe\u{301}` ends with a combining mark: an identifier character that is not
        // alphanumeric. `r#type` is a raw identifier.
        let text = "fn caf\u{e9}_\u{3bb}() {}\nfn cafe\u{301}(x: u8) {}\nfn r#type() {}\n\
                    fn \u{e9}() {} fn \u{fc}\u{fc}() {} fn plain() {}";
        let file = syn::parse_file(text).unwrap();
        let ir = lower_file(&file, text, TestCfg::Off).ir;
        proc_macro2::extra::invalidate_current_thread_spans();
        let names: Vec<(&str, &str)> = ir
            .top
            .iter()
            .map(|&id| {
                let item = ir.item(id);
                let span = item.name_span;
                (
                    item.name.unwrap().as_str(),
                    &text[span.lo as usize..span.hi as usize],
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("caf\u{e9}_\u{3bb}", "caf\u{e9}_\u{3bb}"),
                ("cafe\u{301}", "cafe\u{301}"),
                ("type", "r#type"),
                ("\u{e9}", "\u{e9}"),
                ("\u{fc}\u{fc}", "\u{fc}\u{fc}"),
                ("plain", "plain"),
            ]
        );
    }

    #[test]
    fn format_strings_name_their_inline_arguments() {
        assert_eq!(inline_format_args("{x} {y:?} {0} {{z}} {} {x}"), ["x", "y"]);
        assert!(inline_format_args("{:>8}").is_empty());
    }
}
