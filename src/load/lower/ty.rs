//! Types, paths, generic arguments, and the generic parameters and bounds of items.

use syn::Token;
use syn::punctuated::Punctuated;

use super::span::delim_span;
use super::{Lowerer, MAX_DEPTH};
use crate::ir::*;
use crate::sym::Sym;

impl Lowerer<'_> {
    fn push_ty(&mut self, span: Span, kind: TyKind) -> TyId {
        let id = TyId(self.ir.tys.len() as u32);
        self.ir.tys.push(Ty { kind, span });
        id
    }

    fn tspan(&self, id: TyId) -> Span {
        self.ir.tys[id.index()].span
    }

    fn tys<'e>(&mut self, list: impl ExactSizeIterator<Item = &'e syn::Type>) -> List<TyId> {
        self.lower_list(list, TyId(0), |cx, t| Some(cx.ty(t)))
    }

    /// Lowers a type, unless it is nested deeper than [`MAX_DEPTH`].
    pub(super) fn ty(&mut self, ty: &syn::Type) -> TyId {
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

    /// A path in type position.
    pub(super) fn path_ty(&mut self, path: &syn::Path) -> TyId {
        let id = self.path(path, None);
        let span = self.ir.path(id).span;
        self.push_ty(span, TyKind::Path(id))
    }

    pub(super) fn path_span(&self, id: PathId) -> Span {
        self.ir.path(id).span
    }

    /// A path, with its generic arguments and its qualified self type (`<T as Trait>::x`).
    pub(super) fn path(&mut self, path: &syn::Path, qself: Option<&syn::QSelf>) -> PathId {
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

    pub(super) fn generic_arg_list(
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

    /// An item's generic parameters, with the trait bounds of its type parameters (`where`
    /// clauses included).
    pub(super) fn generics(&mut self, g: &syn::Generics) -> Generics {
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

    /// The trait bounds of a list (`?Sized` left out).
    pub(super) fn bounds(
        &mut self,
        bounds: &Punctuated<syn::TypeParamBound, Token![+]>,
    ) -> List<TyId> {
        self.lower_list(bounds.iter(), TyId(0), |cx, b| match b {
            // `?Sized` relaxes a bound rather than adding one.
            syn::TypeParamBound::Trait(tb) if tb.maybe.is_none() => Some(cx.path_ty(&tb.path)),
            _ => None,
        })
    }
}

/// The first token of a type, found without recursion.
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
