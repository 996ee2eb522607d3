//! Functions' signatures and the bodies of functions, constants and statics. Each body is
//! lowered with a fresh scope and depth: items nested in a body are lowered on their own.

use super::Lowerer;
use super::scope::BodyCx;
use crate::ir::*;
use crate::sym::Sym;

impl Lowerer<'_> {
    /// A function's signature, and its body if it has one.
    pub(super) fn func(
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

    /// A function's body: its parameters bound as locals, then its block.
    fn fn_body(
        &mut self,
        owner: ItemId,
        sig: &syn::Signature,
        fn_sig: &FnSig,
        block: &syn::Block,
    ) -> BodyId {
        let saved = self.body.replace(BodyCx::default());
        let saved_depth = std::mem::replace(&mut self.depth, 0);
        let first_expr = ExprId(self.ir.exprs.len() as u32);
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
            first_expr,
            items: cx.items,
        })
    }

    /// The initializer of a `const` or `static`: a body without parameters.
    pub(super) fn const_body(&mut self, owner: ItemId, expr: &syn::Expr) -> BodyId {
        let saved = self.body.replace(BodyCx::default());
        let saved_depth = std::mem::replace(&mut self.depth, 0);
        let first_expr = ExprId(self.ir.exprs.len() as u32);
        let value = self.expr(expr);
        let cx = std::mem::replace(&mut self.body, saved).unwrap_or_default();
        self.depth = saved_depth;
        self.push_body(Body {
            owner,
            params: List::EMPTY,
            self_local: None,
            locals: cx.locals,
            value,
            first_expr,
            items: cx.items,
        })
    }

    /// An expression outside any body: an array length in a type, an enum discriminant.
    pub(super) fn const_expr(&mut self, expr: &syn::Expr) -> ExprId {
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
}
