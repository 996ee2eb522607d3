//! Patterns, which bind the locals of a body.

use super::{Lowerer, MAX_DEPTH, member_name};
use crate::ir::*;
use crate::sym::Sym;

impl Lowerer<'_> {
    fn push_pat(&mut self, span: Span, kind: PatKind) -> PatId {
        let id = PatId(self.ir.pats.len() as u32);
        self.ir.pats.push(Pat { kind, span });
        id
    }

    fn pspan(&self, id: PatId) -> Span {
        self.ir.pats[id.index()].span
    }

    pub(super) fn pats<'e>(
        &mut self,
        list: impl ExactSizeIterator<Item = &'e syn::Pat>,
        kind: LocalKind,
    ) -> List<PatId> {
        self.lower_list(list, PatId(0), |cx, p| Some(cx.pat(p, kind, None)))
    }

    /// Lowers a pattern, binding its names as locals of `kind` (`ty` is the type written for the
    /// whole pattern, if any), unless it is nested deeper than [`MAX_DEPTH`].
    pub(super) fn pat(&mut self, pat: &syn::Pat, kind: LocalKind, ty: Option<TyId>) -> PatId {
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
            P::Ident(pi) => self.ident_pat(pi, kind, ty),
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
            P::Struct(s) => self.struct_pat(s, kind),
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
            P::Or(o) => self.or_pat(o, kind),
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

    /// `x`, `ref mut x`, `x @ sub`: a binding, unless it is a lone name that looks like a
    /// constant (`None`, `MAX`), which is a path.
    fn ident_pat(
        &mut self,
        pi: &syn::PatIdent,
        kind: LocalKind,
        ty: Option<TyId>,
    ) -> (Span, PatKind) {
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
            return (ispan, PatKind::Path(id));
        }
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

    fn struct_pat(&mut self, s: &syn::PatStruct, kind: LocalKind) -> (Span, PatKind) {
        let path = self.path(&s.path, s.qself.as_ref());
        let fields = self.lower_list(s.fields.iter(), (Sym::empty(), PatId(0)), |cx, fp| {
            let name = member_name(cx, &fp.member);
            Some((name, cx.pat(&fp.pat, kind, None)))
        });
        let span = self
            .path_span(path)
            .to(self.span(s.brace_token.span.close()));
        (span, PatKind::Struct { path, fields })
    }

    /// `A | B`: every alternative binds the same locals as the first.
    fn or_pat(&mut self, o: &syn::PatOr, kind: LocalKind) -> (Span, PatKind) {
        let outer = self.body.as_mut().and_then(|b| b.or_bindings.take());
        let mark = self.scope_mark();
        let cases = self.lower_list(o.cases.iter().enumerate(), PatId(0), |cx, (i, case)| {
            let id = cx.pat(case, kind, None);
            // Later alternatives bind the same locals as the first.
            if i == 0
                && let Some(body) = &mut cx.body
            {
                body.or_bindings = Some(body.scope[mark.min(body.scope.len())..].to_vec());
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
}

/// The first token of a pattern, found without recursion.
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

/// `None`, `MAX`, `Ordering`: an identifier pattern that names a constant or unit variant
/// rather than binding a variable, by Rust's naming conventions.
fn looks_like_constant(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}
