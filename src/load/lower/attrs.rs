//! Attributes: what `cfg`, `cfg_attr`, `#[test]`, `#[path]`, `repr`, `derive`,
//! `#[cfg_attr(escape, allow(..))]` and the contracts (`#[cfg_attr(escape, no_alloc)]`,
//! rtsan's `#[nonblocking]`) say of an item, and whether it is kept at all.

use proc_macro2::TokenStream;
use syn::Token;
use syn::punctuated::Punctuated;

use super::Lowerer;
use crate::ir::{Contract, ContractKind, ContractSource, IntTy, Repr, Span};
use crate::load::cfg::{self, TestCfg, Tri};
use crate::sym::Sym;

/// What the attributes of an item say.
#[derive(Default)]
pub(super) struct Attrs {
    pub(super) cfg: Option<Tri>,
    pub(super) test_only: bool,
    pub(super) path: Option<Box<str>>,
    /// `#[cfg_attr(pred, path = "..")]` whose predicate is not known.
    pub(super) cfg_paths: Vec<Box<str>>,
    pub(super) repr: Repr,
    pub(super) derives: Vec<Sym>,
    pub(super) allows: Vec<(Sym, Span)>,
    /// `#[cfg_attr(escape, no_alloc)]`, `no_block`, or a sanitizer's `nonblocking`; the
    /// strongest, when there are several.
    pub(super) contract: Option<Contract>,
}

impl Attrs {
    pub(super) fn keep(&self, test: TestCfg) -> bool {
        self.cfg != Some(Tri::False) && (!self.test_only || test == TestCfg::Both)
    }
}

impl Lowerer<'_> {
    /// What a list of attributes says.
    pub(super) fn attrs(&mut self, attrs: &[syn::Attribute]) -> Attrs {
        let mut out = Attrs::default();
        for attr in attrs {
            self.attr(&attr.meta, &mut out, 0);
        }
        out
    }

    /// Reads one attribute into `out`; `depth` bounds the nesting of `cfg_attr`s.
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
                } else if is_escape_pred(&pred)
                    && let Some(contract) = self.escape_contract(&inner)
                {
                    add_contract(out, contract);
                } else if known == Tri::Unknown
                    && let Some(contract) = self.sanitizer_contract(&inner)
                {
                    // `cfg_attr(feature = "rtsan", nonblocking)`: a promise in some build.
                    add_contract(out, contract);
                } else if known == Tri::True {
                    self.attr(&inner, out, depth + 1);
                } else if known == Tri::Unknown
                    && inner.path().is_ident("path")
                    && let Some(path) = path_value(&inner)
                {
                    out.cfg_paths.push(path);
                }
            }
        } else if let Some(contract) = self.sanitizer_contract(meta) {
            add_contract(out, contract);
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

    /// A `#[cfg(..)]`: whether it makes the item test-only, and what it says combined with the
    /// item's other `cfg`s.
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

    /// The rules of `allow(rule, ..)` inside `#[cfg_attr(escape, ..)]`.
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

    /// `no_alloc`, `no_block` or `no_alloc(allow_panic)` inside `#[cfg_attr(escape, ..)]`.
    fn escape_contract(&mut self, meta: &syn::Meta) -> Option<Contract> {
        let ident = meta.path().get_ident()?;
        let kind = ContractKind::from_name(&ident.to_string())?;
        let allow_panic = match meta {
            syn::Meta::List(list) => list
                .parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
                .is_ok_and(|args| args.iter().any(|a| a.is_ident("allow_panic"))),
            _ => false,
        };
        Some(Contract {
            kind,
            allow_panic,
            at: self.span(ident.span()),
            source: ContractSource::Attribute,
        })
    }

    /// RealtimeSanitizer's promises, taken as `no_block`: `#[nonblocking]` from the
    /// `rtsan-standalone` crate (`#[rtsan_standalone::nonblocking]`), and rustc's
    /// `#[sanitize(realtime = "nonblocking")]`.
    fn sanitizer_contract(&mut self, meta: &syn::Meta) -> Option<Contract> {
        let path = meta.path();
        let last = &path.segments.last()?.ident;
        let rtsan = matches!(meta, syn::Meta::Path(_))
            && last == "nonblocking"
            && (path.segments.len() == 1
                || path.segments.len() == 2 && path.segments[0].ident == "rtsan_standalone");
        let sanitize = path.is_ident("sanitize")
            && matches!(meta, syn::Meta::List(list) if list
                .parse_args_with(Punctuated::<syn::MetaNameValue, Token![,]>::parse_terminated)
                .is_ok_and(|args| args.iter().any(|a| a.path.is_ident("realtime")
                    && matches!(&a.value, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. })
                        if s.value() == "nonblocking"))));
        (rtsan || sanitize).then(|| Contract {
            kind: ContractKind::NoBlock,
            allow_panic: false,
            at: self.span(last.span()),
            source: ContractSource::Sanitizer,
        })
    }

    /// The parts of `#[repr(..)]` that matter to a type's layout.
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
}

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

/// Keeps the stronger of two contracts on one item (`no_block` over `no_alloc`; of two of one
/// kind, the stricter, which does not allow panics).
fn add_contract(out: &mut Attrs, contract: Contract) {
    let rank = |c: &Contract| (c.kind, !c.allow_panic);
    if out.contract.is_none_or(|old| rank(&contract) > rank(&old)) {
        out.contract = Some(contract);
    }
}

/// Whether a `cfg_attr` predicate is `escape`, the cfg this tool sets.
fn is_escape_pred(meta: &syn::Meta) -> bool {
    matches!(meta, syn::Meta::Path(p) if p.is_ident("escape"))
}

/// The attributes of an expression statement, for the kinds whose attributes are read.
pub(super) fn expr_attrs(e: &syn::Expr) -> Option<&Vec<syn::Attribute>> {
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

/// The attributes of an item of a kind that is lowered; `None` for the others.
pub(super) fn item_attrs(item: &syn::Item) -> Option<&Vec<syn::Attribute>> {
    Some(match item {
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
        _ => return None,
    })
}
