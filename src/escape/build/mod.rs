//! Building a body's escape graph from its IR.
//!
//! Every expression is evaluated to the location its value lives in, with a dereference count
//! ([`Val`]); statements connect those locations with edges. The walk is one recursive pass,
//! split as Go's `escape` package splits it: expressions (`expr`), bindings, assignments and
//! stores (`assign`), and calls of every kind (`call`).

mod adaptor;
mod assign;
mod call;
mod expr;

use super::graph::{Carry, Edge, Graph, Node, NodeId, Step, TypeAt, Why};
use crate::facts::BodyCx;
use crate::index::{Def, Resolved};
use crate::ir::*;
use crate::sym::{FxHashMap, Sym};

/// Where a value lives: a location, and how many dereferences away (-1: a borrow of it).
type Val = Option<(NodeId, i8)>;

pub fn build(bcx: &BodyCx<'_, '_>) -> Graph {
    let mut b = Builder {
        bcx,
        ir: bcx.ir,
        graph: Graph::default(),
        locals: vec![None; bcx.body.locals.len()],
        fresh: vec![false; bcx.body.locals.len()],
        pointer: vec![false; bcx.body.locals.len()],
        shared: vec![false; bcx.body.locals.len()],
        loops: Vec::new(),
        closures: Vec::new(),
        temps: Default::default(),
        closure_returns: Default::default(),
        closure_return_edges: Default::default(),
        pointees: Default::default(),
    };
    b.graph.heap = b.node(Node::Heap);
    b.graph.unknown = b.node(Node::Unknown);
    b.graph.ret = b.node(Node::Return);
    let types = crate::facts::types::Types::of_body(bcx);
    for (i, local) in bcx.body.locals.iter().enumerate() {
        b.pointer[i] = local.ty.is_some_and(|ty| types.owns_through_pointer(ty));
    }
    let body = bcx.body;
    b.graph.pointer_free_result = bcx.function().is_some_and(|f| {
        !f.sig.is_async && f.sig.ret.is_none_or(|ret| !types.may_hold_pointer(ret))
    });
    // Parameters, `self` first, are where values come from.
    if let Some(this) = body.self_local {
        let node = b.local(this);
        b.graph.params.push((Some(this), node));
        if b.is_ref_local(this) {
            b.graph.ref_params.push(node);
        }
    }
    for (i, &pat) in bcx.ir.list(body.params).iter().enumerate() {
        match bcx.ir.pat(pat).kind {
            PatKind::Bind { local, sub: None } => {
                let node = b.local(local);
                b.graph.params.push((Some(local), node));
                if b.is_ref_local(local) {
                    b.graph.ref_params.push(node);
                }
            }
            _ => {
                // A destructuring parameter: one node for the argument, bound like a `let`.
                let node = b.node(Node::Param(i as u32));
                b.graph.params.push((None, node));
                b.bind(pat, Some((node, 0)), Step::Expr(body.value), None);
            }
        }
    }
    for &(local, node) in &b.graph.params {
        let Some(local) = local else { continue };
        match param_carries(bcx, &types, local) {
            Carries::Nothing => b.graph.pointer_free_params.push(node),
            Carries::TheReference => b.graph.pointee_free_params.push(node),
            Carries::Anything => {}
        }
    }
    let value = b.expr(body.value);
    // The step that returns: the body's tail expression, when it has one.
    let returning = match bcx.ir.expr(body.value).kind {
        ExprKind::Block(block) => bcx.ir.block(block).tail.unwrap_or(body.value),
        _ => body.value,
    };
    match &bcx.ir.item(body.owner).kind {
        // A static's value lives as long as the program.
        ItemKind::Static(_) => {
            let heap = b.graph.heap;
            b.edge(value, heap, Why::Static, Step::Expr(returning), None);
        }
        _ => {
            let ret_ty = b.fn_ret_ty();
            let ret = b.graph.ret;
            b.edge(value, ret, Why::Return, Step::Expr(returning), ret_ty);
        }
    }
    b.graph
}

/// What a parameter's type lets it carry away, whatever the body does with it.
#[derive(PartialEq)]
enum Carries {
    /// It holds no pointer (a number, a struct of them).
    Nothing,
    /// A reference to something that holds no pointer (`&[u8]`, `&str`, `&self` of a struct
    /// of numbers): the reference itself only.
    TheReference,
    Anything,
}

/// [`Carries`] for a parameter: `self` by its kind and its type's fields, another by its
/// written type. Unknown is anything.
fn param_carries(
    bcx: &BodyCx<'_, '_>,
    types: &crate::facts::types::Types<'_, '_>,
    local: LocalId,
) -> Carries {
    let decl = bcx.body.local(local);
    let self_free = || {
        bcx.self_type()
            .is_some_and(|adt| !types.adt_may_hold_pointer(adt))
    };
    match decl.kind {
        LocalKind::SelfParam => match self_kind(bcx) {
            Some(SelfKind::Value) if self_free() => Carries::Nothing,
            Some(SelfKind::Ref | SelfKind::RefMut) if self_free() => Carries::TheReference,
            _ => Carries::Anything,
        },
        _ => match decl.ty {
            Some(ty) if !types.may_hold_pointer(ty) => Carries::Nothing,
            Some(ty) if types.pointee_may_hold_pointer(ty) == Some(false) => Carries::TheReference,
            _ => Carries::Anything,
        },
    }
}

/// How the body's function takes `self`, if it is a method.
fn self_kind(bcx: &BodyCx<'_, '_>) -> Option<SelfKind> {
    bcx.function()?.sig.self_param.map(|s| s.kind)
}

struct Builder<'b, 'c, 'a> {
    bcx: &'b BodyCx<'c, 'a>,
    ir: &'a FileIr,
    graph: Graph,
    locals: Vec<Option<NodeId>>,
    /// Locals bound to a fresh owned value (`let v = Vec::new()`): stores into them stay in
    /// the function.
    fresh: Vec<bool>,
    /// Locals that hold a pointer to what they own (a `Box`, `Rc`, `Arc`, `Vec` or `String`):
    /// their fields and elements are behind it.
    pointer: Vec<bool>,
    /// Locals bound to a new `Arc` or `Rc`: their `clone()` shares the allocation.
    shared: Vec<bool>,
    /// Loops around the current expression: the loop, its label, and the node its value
    /// (from `break value`) goes to.
    loops: Vec<(ExprId, Option<Sym>, NodeId)>,
    /// Closures around the current expression, innermost last.
    closures: Vec<ExprId>,
    temps: FxHashMap<ExprId, NodeId>,
    closure_returns: FxHashMap<ExprId, NodeId>,
    /// Each closure's edge from what it returns to whoever calls it (code we do not follow),
    /// which a call that runs the closure in place redirects to its own result.
    closure_return_edges: FxHashMap<ExprId, usize>,
    pointees: FxHashMap<LocalId, NodeId>,
}

impl<'b, 'c, 'a> Builder<'b, 'c, 'a> {
    fn node(&mut self, node: Node) -> NodeId {
        let id = NodeId(self.graph.nodes.len() as u32);
        self.graph.nodes.push(node);
        id
    }

    fn local(&mut self, l: LocalId) -> NodeId {
        if let Some(n) = self.locals[l.index()] {
            return n;
        }
        let n = self.node(Node::Local(l));
        self.locals[l.index()] = Some(n);
        n
    }

    fn temp(&mut self, e: ExprId) -> NodeId {
        if let Some(&n) = self.temps.get(&e) {
            return n;
        }
        let n = self.node(Node::Temp(e));
        self.temps.insert(e, n);
        n
    }

    /// Interns a declared type for an edge; see [`Edge::ty`].
    fn type_index(&mut self, ty: Option<TypeAt>) -> Option<u32> {
        let ty = ty?;
        self.graph.types.push(ty);
        Some(self.graph.types.len() as u32 - 1)
    }

    fn edge(&mut self, val: Val, dst: NodeId, why: Why, step: Step, ty: Option<TypeAt>) {
        let Some((src, derefs)) = val else { return };
        let ty = self.type_index(ty);
        let carry = if derefs < 0 {
            Carry::Borrow
        } else {
            Carry::Move
        };
        self.graph.edges.push(Edge {
            src,
            dst,
            derefs,
            carry,
            why,
            step,
            ty,
        });
    }

    fn borrow_edge(&mut self, val: Val, dst: NodeId, why: Why, step: Step) {
        let Some((src, derefs)) = val else { return };
        self.graph.edges.push(Edge {
            src,
            dst,
            derefs,
            carry: Carry::Borrow,
            why,
            step,
            ty: None,
        });
    }

    /// A type written in this body (or its function's signature).
    fn here(&self, ty: TyId) -> TypeAt {
        TypeAt {
            scope: self.bcx.at.scope(),
            ty,
        }
    }

    /// The declared return type of the function (or innermost closure) being built.
    fn fn_ret_ty(&self) -> Option<TypeAt> {
        let item = self.ir.item(self.bcx.body.owner);
        match &item.kind {
            ItemKind::Fn(f) => f.sig.ret.map(|t| self.here(t)),
            ItemKind::Const { ty, .. } => Some(self.here(*ty)),
            ItemKind::Static(s) => Some(self.here(s.ty)),
            _ => None,
        }
    }

    fn return_node(&mut self) -> NodeId {
        match self.closures.last() {
            Some(&c) => self.node_for_closure_return(c),
            None => self.graph.ret,
        }
    }

    fn node_for_closure_return(&mut self, c: ExprId) -> NodeId {
        if let Some(&n) = self.closure_returns.get(&c) {
            return n;
        }
        let n = self.node(Node::ClosureReturn(c));
        self.closure_returns.insert(c, n);
        n
    }

    /// Whether a local holds a reference (to memory outside the function, for parameters).
    fn is_ref_local(&self, l: LocalId) -> bool {
        let local = self.bcx.body.local(l);
        if local.kind == LocalKind::SelfParam {
            return match self.self_kind() {
                Some(SelfKind::Value) => false,
                Some(SelfKind::Typed(ty)) => self.is_ref_type(ty),
                _ => true,
            };
        }
        match local.ty {
            Some(ty) => self.is_ref_type(ty),
            None => local.by_ref,
        }
    }

    /// A reference or raw pointer, or a pinned reference (`Pin<&mut Self>`), which is one.
    fn is_ref_type(&self, ty: TyId) -> bool {
        match self.ir.ty(ty).kind {
            TyKind::Ref { .. } | TyKind::Ptr { .. } => true,
            // Named `Pin` first: resolving every path type would cost.
            TyKind::Path(p)
                if self
                    .ir
                    .path_last(self.ir.path(p))
                    .is_some_and(|n| n.is("Pin")) =>
            {
                crate::facts::types::Types::of_body(self.bcx)
                    .std_path(ty)
                    .is_some_and(|(path, args)| {
                        path.iter().map(|s| s.as_str()).eq(["std", "pin", "Pin"])
                            && args
                                .first()
                                .is_some_and(|&a| matches!(self.ir.ty(a).kind, TyKind::Ref { .. }))
                    })
            }
            _ => false,
        }
    }

    fn self_kind(&self) -> Option<SelfKind> {
        self_kind(self.bcx)
    }

    /// Whether a local is known to own its value: a parameter or `let` with a non-reference
    /// type, or a binding initialized by a constructor.
    fn is_owned_local(&self, l: LocalId) -> bool {
        let local = self.bcx.body.local(l);
        if local.by_ref {
            return false;
        }
        match local.kind {
            LocalKind::SelfParam => matches!(self.self_kind(), Some(SelfKind::Value)),
            LocalKind::Param | LocalKind::Let | LocalKind::ClosureParam => match local.ty {
                Some(ty) => !matches!(
                    self.ir.ty(ty).kind,
                    TyKind::Ref { .. } | TyKind::Ptr { .. } | TyKind::Infer
                ),
                None => false,
            },
            LocalKind::Pattern => false,
        }
    }

    fn resolve(&self, expr: ExprId) -> Option<Resolved> {
        self.bcx.resolve_path(expr)
    }

    fn static_path(&self, expr: ExprId) -> bool {
        match self.resolve(expr) {
            Some(Resolved {
                def: Def::Item(f, i),
                rest: 0,
                ..
            }) => self
                .bcx
                .cx
                .index
                .item(f, i)
                .is_some_and(|item| matches!(item.kind, ItemKind::Static(_))),
            _ => false,
        }
    }
}
