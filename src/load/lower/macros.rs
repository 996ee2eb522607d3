//! Macros. The well-known ones are read as what they expand to: `vec!` as an array or a
//! repeat, the format macros as their arguments (and the locals their format strings name),
//! `thread_local!` and `lazy_static!` as statics, `cfg_if!` as its items. An unknown macro in
//! item position whose body is items is read as those items; any other keeps the locals its
//! tokens name.

use proc_macro2::{Ident, TokenStream};
use syn::Token;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;

use super::attrs::Attrs;
use super::span::delim_span;
use super::{Lowerer, ModCx};
use crate::ir::*;
use crate::load::cfg::Tri;
use crate::sym::Sym;

// Macros in item position.
impl Lowerer<'_> {
    /// A macro call in item position: `macro_rules!`, a well-known macro expanded to items, an
    /// unknown macro whose body is items, or an opaque [`ItemKind::MacroCall`].
    pub(super) fn item_macro(
        &mut self,
        m: &syn::ItemMacro,
        attrs: &Attrs,
        cx: &ModCx,
        out: &mut Vec<ItemId>,
    ) {
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
}

// Macros in expression position.
impl Lowerer<'_> {
    /// A macro call in expression position, with its arguments read as far as its syntax is
    /// known.
    pub(super) fn expr_macro(&mut self, mac: &syn::Macro) -> ExprId {
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

    /// `dbg!(a, b)` and the other macros whose arguments are plain expressions.
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

/// Parses items up to the end of the input.
fn parse_items(input: ParseStream) -> syn::Result<Vec<syn::Item>> {
    let mut items = Vec::new();
    while !input.is_empty() {
        items.push(input.parse()?);
    }
    Ok(items)
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
    use super::inline_format_args;

    #[test]
    fn format_strings_name_their_inline_arguments() {
        assert_eq!(inline_format_args("{x} {y:?} {0} {{z}} {} {x}"), ["x", "y"]);
        assert!(inline_format_args("{:>8}").is_empty());
    }
}
