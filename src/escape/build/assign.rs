//! Bindings, assignments and stores: where a value is put.

use super::call::{MethodFlow, method_flow};
use super::{Builder, Val};
use crate::escape::graph::{AllocKind, Carry, Edge, Node, NodeId, Step, TypeAt, Why};
use crate::facts::api::{self, Effect};
use crate::index::{Def, Resolved};
use crate::ir::*;

/// Where a store into a place goes.
pub(super) enum Target {
    /// An owned local: the value becomes part of it.
    Local(LocalId),
    /// The memory a reference parameter points to.
    Pointee(LocalId),
    /// A static.
    Heap,
    /// Unknown memory: the value may go anywhere.
    Unknown,
}

impl<'b, 'c, 'a> Builder<'b, 'c, 'a> {
    /// Binds a pattern to a value: every binding receives it, field-insensitively.
    pub(super) fn bind(&mut self, pat: PatId, value: Val, step: Step, ty: Option<TypeAt>) {
        let Some((n, d)) = value else { return };
        match &self.ir.pat(pat).kind {
            PatKind::Bind { local, sub } => {
                let dst = self.local(*local);
                if d == 0 && matches!(self.graph.node(n), Node::Alloc(_)) {
                    self.pointer[local.index()] = true;
                    self.shared[local.index()] =
                        self.graph.allocs.iter().any(|a| {
                            a.node == n && matches!(a.kind, AllocKind::Arc | AllocKind::Rc)
                        });
                }
                let by_ref = self.bcx.body.local(*local).by_ref;
                let d = if by_ref { (d - 1).max(-1) } else { d };
                let why = if by_ref { Why::AddressOf } else { Why::Assign };
                let ty = self.type_index(ty);
                self.graph.edges.push(Edge {
                    src: n,
                    dst,
                    derefs: d,
                    carry: if d < 0 { Carry::Borrow } else { Carry::Move },
                    why,
                    step,
                    ty,
                });
                if let Some(sub) = sub {
                    self.bind(*sub, value, step, None);
                }
            }
            PatKind::Tuple(list)
            | PatKind::Or(list)
            | PatKind::Slice(list)
            | PatKind::TupleStruct { elems: list, .. } => {
                for &p in self.ir.list(*list) {
                    self.bind(p, value, step, None);
                }
            }
            PatKind::Struct { fields, .. } => {
                for &(_, p) in self.ir.list(*fields) {
                    self.bind(p, value, step, None);
                }
            }
            PatKind::Ref { pat, .. } => self.bind(*pat, Some((n, (d + 1).min(2))), step, None),
            PatKind::Wild | PatKind::Rest | PatKind::Path(_) | PatKind::Lit | PatKind::Missing => {}
        }
    }

    /// `place = value`.
    pub(super) fn assign(&mut self, place: ExprId, value: Val, step: Step) {
        match self.ir.expr(place).kind {
            ExprKind::Local(l) => {
                let dst = self.local(l);
                let ty = self.bcx.body.local(l).ty.map(|t| self.here(t));
                self.edge(value, dst, Why::Assign, step, ty);
            }
            ExprKind::Missing => {}
            _ => self.assign_into(place, value, Why::Field, step),
        }
    }

    /// A store into a place that is not a plain local: a field, an element, `*r`.
    pub(super) fn assign_into(&mut self, place: ExprId, value: Val, why: Why, step: Step) {
        let target = self.target(place);
        let ty = self.place_ty(place);
        self.store(target, value, why, step, ty);
    }

    pub(super) fn store(
        &mut self,
        target: Target,
        value: Val,
        why: Why,
        step: Step,
        ty: Option<TypeAt>,
    ) {
        match target {
            Target::Local(l) => {
                let dst = self.local(l);
                self.edge(value, dst, why, step, ty);
            }
            Target::Pointee(l) => {
                let dst = self.pointee(l);
                self.edge(value, dst, Why::Store, step, ty);
            }
            Target::Heap => {
                let heap = self.graph.heap;
                self.edge(value, heap, Why::Static, step, ty);
            }
            Target::Unknown => {
                let unknown = self.graph.unknown;
                self.edge(value, unknown, Why::Store, step, ty);
            }
        }
    }

    fn pointee(&mut self, l: LocalId) -> NodeId {
        if let Some(&n) = self.pointees.get(&l) {
            return n;
        }
        let n = self.node(Node::Pointee(l));
        self.pointees.insert(l, n);
        n
    }

    /// What memory a place expression designates.
    pub(super) fn target(&mut self, place: ExprId) -> Target {
        let ir = self.ir;
        match &ir.expr(place).kind {
            ExprKind::Local(l) => {
                if self.is_ref_local(*l) {
                    Target::Pointee(*l)
                } else if self.is_owned_local(*l) || self.fresh[l.index()] {
                    Target::Local(*l)
                } else {
                    Target::Unknown
                }
            }
            ExprKind::Field { base, .. } | ExprKind::Index { base, .. } => self.target(*base),
            ExprKind::Unary {
                op: UnOp::Deref,
                expr,
            } => match ir.expr(*expr).kind {
                ExprKind::Local(l) if self.is_ref_local(l) => Target::Pointee(l),
                _ => Target::Unknown,
            },
            ExprKind::Path(_) => match self.static_path(place) {
                true => Target::Heap,
                false => Target::Unknown,
            },
            ExprKind::MethodCall(m) => {
                let m = ir.method_call(*m);
                // `self.items.borrow_mut().push(x)`, `CACHE.lock().unwrap().insert(k, v)`: the
                // store lands where the receiver chain started.
                match method_flow(api::method(m.method)) {
                    Some(MethodFlow::Borrow) | Some(MethodFlow::Consume) => self.target(m.receiver),
                    _ => Target::Unknown,
                }
            }
            _ => Target::Unknown,
        }
    }

    /// The declared type of the place being stored into: a typed local, or a field of a
    /// struct of the crate.
    pub(super) fn place_ty(&self, place: ExprId) -> Option<TypeAt> {
        match self.ir.expr(place).kind {
            ExprKind::Local(l) => self.bcx.body.local(l).ty.map(|t| self.here(t)),
            ExprKind::Field { .. } => self.field_ty(place),
            ExprKind::MethodCall(m) => {
                let m = self.ir.method_call(m);
                match method_flow(api::method(m.method)) {
                    Some(MethodFlow::Borrow) | Some(MethodFlow::Consume) => {
                        self.place_ty(m.receiver)
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The declared type of a field of a crate struct, `self.f` or `x.f` where the type of
    /// `self` or `x` is known.
    pub(super) fn field_ty(&self, place: ExprId) -> Option<TypeAt> {
        let ExprKind::Field { base, name } = self.ir.expr(place).kind else {
            return None;
        };
        let (file, item) = match self.ir.expr(base).kind {
            ExprKind::Local(l) if self.bcx.body.local(l).kind == LocalKind::SelfParam => {
                self.bcx.self_type()?
            }
            _ => match crate::facts::types::type_of(self.bcx, base)? {
                crate::facts::types::Type::Crate(adt) => adt,
                crate::facts::types::Type::External(_) => return None,
            },
        };
        let index = &self.bcx.cx.index;
        let ItemKind::Struct(adt) = &index.ir(file)?.item(item).kind else {
            return None;
        };
        let field = adt.variants.first()?.field(name)?;
        Some(TypeAt {
            scope: index.item_scope(file, item)?,
            ty: field.ty,
        })
    }

    /// Whether an expression makes a new owned value, as opposed to one that may be a
    /// reference to memory elsewhere.
    pub(super) fn is_fresh(&self, e: ExprId) -> bool {
        match &self.ir.expr(e).kind {
            ExprKind::Struct(_)
            | ExprKind::Tuple(_)
            | ExprKind::Array(_)
            | ExprKind::Repeat { .. } => true,
            ExprKind::Macro(m) => {
                let name = self.ir.path_last(self.ir.path(self.ir.macro_call(*m).path));
                name.is_some_and(|n| api::macro_call(n.as_str()).allocates().is_some())
            }
            ExprKind::Call { callee, .. } => match self.resolve(*callee) {
                Some(Resolved {
                    def: Def::External(path),
                    rest: 0,
                    ..
                }) => path
                    .last()
                    .is_some_and(|name| api::is_constructor(name.as_str())),
                // A crate function or constructor that does not return a reference.
                Some(Resolved {
                    def: Def::Item(f, i),
                    ..
                }) => match self.bcx.cx.index.item(f, i).map(|it| &it.kind) {
                    Some(ItemKind::Fn(func)) => func.sig.ret.is_some_and(|ret| {
                        let ir = self.bcx.cx.index.ir(f).expect("item's file");
                        !matches!(ir.ty(ret).kind, TyKind::Ref { .. } | TyKind::Ptr { .. })
                    }),
                    Some(ItemKind::Struct(_) | ItemKind::Enum(_)) => true,
                    _ => false,
                },
                _ => false,
            },
            ExprKind::MethodCall(m) => {
                let api = api::method(self.ir.method_call(*m).method);
                api.allocates().is_some() || api.has(Effect::ReturnsOwned)
            }
            _ => false,
        }
    }
}
