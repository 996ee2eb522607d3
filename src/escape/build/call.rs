//! Calls: of crate functions (through their parameter tags), of known APIs, of methods, of
//! macros, and of code we cannot see.

use super::assign::Target;
use super::{Builder, Val};
use crate::escape::graph::{AllocKind, AllocSite, CallSite, Node, NodeId, Step, TypeAt, Why};
use crate::facts::api::{self, Api, Effect};
use crate::facts::types::{Ty, Type, ty_of};
use crate::index::{Def, FnKey, Resolved};
use crate::ir::*;
use crate::sym::Sym;

/// What the builder does with a method call whose receiver's type is not known, from the
/// method's entry in the API table. Only these effects matter here, in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MethodFlow {
    /// Allocates: `to_string`, `to_vec`, `collect`.
    Alloc(AllocKind),
    /// Stores its arguments in the receiver: `push`, `insert`.
    Store,
    /// Sends its argument away: `send` on a channel.
    Send,
    /// Returns something borrowed from the receiver: `as_ref`, `iter`, `get`, `lock`.
    Borrow,
    /// Consumes the receiver into its result: `into_iter`, `unwrap`, `map`.
    Consume,
    /// Borrows the receiver; the result is a new value: `len`, `clone`, `contains`.
    Neutral,
    /// Leaks the receiver: `leak`, `into_raw`.
    Leak,
}

pub(super) fn method_flow(api: Api) -> Option<MethodFlow> {
    Some(if let Some(kind) = api.allocates() {
        MethodFlow::Alloc(kind)
    } else if api.has(Effect::Stores) {
        MethodFlow::Store
    } else if api.has(Effect::Sends) {
        MethodFlow::Send
    } else if api.has(Effect::BorrowsReceiver) {
        MethodFlow::Borrow
    } else if api.has(Effect::ConsumesReceiver) {
        MethodFlow::Consume
    } else if api.has(Effect::UsesReceiver) {
        MethodFlow::Neutral
    } else if api.leaks().is_some() {
        MethodFlow::Leak
    } else {
        return None;
    })
}

/// What the builder does with a call of a known function, from its entry in the API table.
enum CallFlow {
    Alloc(AllocKind),
    /// Runs the destructor: the value is freed here.
    Drop,
    Leak,
    Spawn,
    /// Puts its arguments in the result: `Some(x)`, `Ok(x)`.
    Wrap,
    /// `mem::replace(dest, src)`: `src` is stored where `dest` points.
    Store,
    /// `Arc::clone(&a)`: another owner of the allocation its argument points to.
    Share,
    /// `thread::scope(|s| ..)`, `catch_unwind(|| ..)`: calls its closures and returns what
    /// they return.
    InPlace,
}

fn call_flow(api: Api) -> Option<CallFlow> {
    Some(if let Some(kind) = api.allocates() {
        CallFlow::Alloc(kind)
    } else if api.has(Effect::Drops) {
        CallFlow::Drop
    } else if api.leaks().is_some() {
        CallFlow::Leak
    } else if api.spawns().is_some() {
        CallFlow::Spawn
    } else if api.has(Effect::Wraps) {
        CallFlow::Wrap
    } else if api.has(Effect::Stores) {
        CallFlow::Store
    } else if api.has(Effect::SharesAllocation) {
        CallFlow::Share
    } else if api.has(Effect::CallsInPlace) {
        CallFlow::InPlace
    } else {
        return None;
    })
}

impl<'b, 'c, 'a> Builder<'b, 'c, 'a> {
    fn alloc(&mut self, id: ExprId, kind: AllocKind, arg: Option<ExprId>) -> NodeId {
        let node = self.node(Node::Alloc(id));
        let in_loop = self.loops.last().map(|l| l.0);
        self.graph.allocs.push(AllocSite {
            expr: id,
            kind,
            node,
            arg,
            in_loop,
        });
        node
    }

    pub(super) fn call(&mut self, id: ExprId, callee: ExprId, args: List<ExprId>) -> Val {
        let resolved = self.resolve(callee);
        let values = self.exprs(args);
        let step = Step::Expr(id);
        if resolved.is_none() && !matches!(self.ir.expr(callee).kind, ExprKind::Path(_)) {
            // A closure or function value: code we do not follow.
            self.expr(callee);
            return self.unknown_call(id, &values);
        }
        let Some(resolved) = resolved else {
            return self.unknown_call(id, &values);
        };
        match &resolved.def {
            Def::External(path) if resolved.rest == 0 => match call_flow(api::path(path)) {
                Some(CallFlow::Alloc(kind)) => {
                    let arg = values.first().map(|(e, _)| *e);
                    let node = self.alloc(id, kind, arg);
                    for (e, v) in &values {
                        self.edge(*v, node, Why::Element, Step::Expr(*e), None);
                    }
                    Some((node, 0))
                }
                Some(CallFlow::Drop) => None,
                Some(CallFlow::Leak) => {
                    let heap = self.graph.heap;
                    for (_, v) in &values {
                        self.edge(*v, heap, Why::Leak, step, None);
                    }
                    // `Box::leak` returns a `'static` reference into what was leaked.
                    Some((heap, 0))
                }
                Some(CallFlow::Spawn) => {
                    let heap = self.graph.heap;
                    for (_, v) in &values {
                        self.edge(*v, heap, Why::Spawn, step, None);
                    }
                    Some((self.temp(id), 0))
                }
                Some(CallFlow::Wrap) => self.wrap(id, &values),
                Some(CallFlow::Share) => self.share(id, &values),
                Some(CallFlow::InPlace) => self.in_place_call(id, &values),
                Some(CallFlow::Store) => {
                    if let (Some((dest, _)), Some((_, src))) = (values.first(), values.get(1)) {
                        let target = match self.ir.expr(*dest).kind {
                            ExprKind::Ref { expr, .. } => self.target(expr),
                            _ => Target::Unknown,
                        };
                        self.store(target, *src, Why::Store, step, None);
                    }
                    Some((self.temp(id), 0))
                }
                None => self.unknown_call(id, &values),
            },
            Def::Item(file, item) => {
                let (file, item) = (*file, *item);
                let index = &self.bcx.cx.index;
                let target = match index.item(file, item).map(|i| &i.kind) {
                    Some(ItemKind::Fn(_)) if resolved.rest == 0 => Some((file, item)),
                    // `Type::method(..)`: an inherent method.
                    Some(ItemKind::Struct(_) | ItemKind::Enum(_) | ItemKind::Union(_))
                        if resolved.rest == 1 =>
                    {
                        let name = self.ir.path_last(self.path_of(callee)?);
                        match name.and_then(|n| index.inherent_method((file, item), n)) {
                            Some(key) => Some(key),
                            // `Enum::Variant(..)`: a constructor.
                            None if matches!(
                                index.item(file, item).map(|i| &i.kind),
                                Some(ItemKind::Enum(_))
                            ) =>
                            {
                                return self.wrap(id, &values);
                            }
                            None => None,
                        }
                    }
                    // A tuple struct's constructor.
                    Some(ItemKind::Struct(_)) if resolved.rest == 0 => {
                        return self.wrap(id, &values);
                    }
                    _ => None,
                };
                match target {
                    Some(key) => self.crate_call(id, key, None, &values),
                    None => self.unknown_call(id, &values),
                }
            }
            _ => self.unknown_call(id, &values),
        }
    }

    fn path_of(&self, expr: ExprId) -> Option<&'a Path> {
        match self.ir.expr(expr).kind {
            ExprKind::Path(p) => Some(self.ir.path(p)),
            _ => None,
        }
    }

    /// `Arc::clone(&a)`, `Rc::clone(&a)`: the result is another owner of the allocation the
    /// argument points to, so where the result goes, the allocation goes.
    fn share(&mut self, id: ExprId, values: &[(ExprId, Val)]) -> Val {
        let (_, v) = values.first()?;
        let (n, d) = (*v)?;
        let t = self.temp(id);
        self.edge(Some((n, d + 1)), t, Why::CallResult, Step::Expr(id), None);
        Some((t, 0))
    }

    /// A function that calls its closure arguments before it returns (`thread::scope`,
    /// `catch_unwind`, `rayon::join`): they go nowhere else, and what they return is the
    /// result.
    fn in_place_call(&mut self, id: ExprId, values: &[(ExprId, Val)]) -> Val {
        let t = self.temp(id);
        for (e, _) in values {
            if let Some(closure) = self.closure_arg(*e) {
                self.redirect_closure_return(closure, t);
            }
        }
        Some((t, 0))
    }

    /// A method that calls its closure arguments in place (`Option::map`, `Iterator::filter`,
    /// `LocalKey::with`, `OnceLock::get_or_init`, `retain`): the closures go nowhere else.
    /// What a closure returns is the result, or is stored in the receiver by a method that
    /// stores (`or_insert_with`, `get_or_init`). An iterator adaptor keeps its closure in the
    /// adaptor it returns; other arguments (`fold`'s initial value) flow into the result.
    fn in_place_method(
        &mut self,
        id: ExprId,
        m: &MethodCall,
        receiver: Val,
        values: &[(ExprId, Val)],
        api: Api,
    ) -> Val {
        let step = Step::Expr(id);
        let t = self.temp(id);
        let consumes = api.has(Effect::ConsumesReceiver);
        if consumes {
            self.edge(receiver, t, Why::MethodReceiver, step, None);
        } else {
            self.borrow_edge(receiver, t, Why::MethodReceiver, step);
        }
        // `Iterator::map` keeps its closure in the adaptor it returns; `Option::map` (of the
        // same name) calls it and drops it.
        // Whether it does is not known without the receiver's type: an edge of its own. The
        // type is only asked for when there is a closure to keep.
        let closures: Vec<Option<ExprId>> =
            values.iter().map(|(e, _)| self.closure_arg(*e)).collect();
        let adaptor = consumes
            && closures.iter().any(Option::is_some)
            && !api.has(Effect::PassesThrough)
            && !self.is_option_or_result(m.receiver)
            && !self.closure_dies_here(id, m);
        let stores = api.has(Effect::Stores) || (api.has(Effect::PassesThrough) && !consumes);
        for ((e, v), closure) in values.iter().zip(closures) {
            let Some(closure) = closure else {
                self.edge(*v, t, Why::CallResult, Step::Expr(*e), None);
                continue;
            };
            self.redirect_closure_return(closure, t);
            if stores {
                let ret = self.node_for_closure_return(closure);
                let target = self.target(m.receiver);
                let ty = self.place_ty(m.receiver);
                self.store(target, Some((ret, 0)), Why::Container, step, ty);
            }
            if adaptor {
                self.edge(*v, t, Why::Adaptor, Step::Expr(*e), None);
            }
        }
        Some((t, 0))
    }

    /// Whether an expression is a reference: `&x`, a local declared as one, or one by its
    /// inferred type.
    fn is_reference(&self, e: ExprId) -> bool {
        match self.ir.expr(e).kind {
            ExprKind::Ref { raw: false, .. } => true,
            ExprKind::Local(l) if self.is_ref_local(l) => true,
            _ => matches!(ty_of(self.bcx, e), Some(Ty::Ref { .. })),
        }
    }

    /// Whether an expression is known to be an `Option` or a `Result`.
    fn is_option_or_result(&self, e: ExprId) -> bool {
        let ty = crate::facts::types::type_of(self.bcx, e);
        ty.as_ref().and_then(|t| t.external()).is_some_and(|p| {
            let p: Vec<&str> = p.iter().map(|s| s.as_str()).collect();
            matches!(
                p.as_slice(),
                ["std", "option", "Option"] | ["std", "result", "Result"]
            )
        })
    }

    /// The closure an argument is: a closure literal, or one wrapped in a constructor
    /// (`AssertUnwindSafe(|| ..)`).
    fn closure_arg(&self, e: ExprId) -> Option<ExprId> {
        match &self.ir.expr(e).kind {
            ExprKind::Closure(_) => Some(e),
            ExprKind::Call { callee, args } => {
                let Some(Resolved {
                    def: Def::External(path),
                    rest: 0,
                    ..
                }) = self.resolve(*callee)
                else {
                    return None;
                };
                match self.ir.list(*args) {
                    [inner] if api::path(&path).has(Effect::Wraps) => self.closure_arg(*inner),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// What a closure called in place returns goes to `to`, not to code we cannot see.
    fn redirect_closure_return(&mut self, closure: ExprId, to: NodeId) {
        if let Some(&edge) = self.closure_return_edges.get(&closure) {
            let edge = &mut self.graph.edges[edge];
            edge.dst = to;
            edge.why = Why::CallResult;
        }
    }

    /// Whether a method's receiver is an `Arc` or an `Rc`: a local declared as one or bound
    /// to `Arc::new(..)`, or a field declared as one.
    fn is_shared_pointer(&self, receiver: ExprId) -> bool {
        let is_shared = |path: &[Sym]| {
            let p: Vec<&str> = path.iter().map(|s| s.as_str()).collect();
            matches!(p.as_slice(), ["std", "sync", "Arc"] | ["std", "rc", "Rc"])
        };
        match self.ir.expr(receiver).kind {
            ExprKind::Local(l) => {
                let local = self.bcx.body.local(l);
                if let Some(ty) = local.ty {
                    let ty = match self.ir.ty(ty).kind {
                        TyKind::Ref { ty, .. } => ty,
                        _ => ty,
                    };
                    return crate::facts::types::std_type(self.bcx, ty)
                        .is_some_and(|p| is_shared(&p));
                }
                self.shared[l.index()]
            }
            ExprKind::Field { .. } => self
                .field_ty(receiver)
                .and_then(|at| {
                    crate::facts::types::Types::at(self.bcx.cx, at.scope).std_path(at.ty)
                })
                .is_some_and(|(p, _)| is_shared(&p)),
            _ => false,
        }
    }

    /// A constructor: the arguments become parts of the result.
    fn wrap(&mut self, id: ExprId, values: &[(ExprId, Val)]) -> Val {
        if values.iter().all(|(_, v)| v.is_none()) {
            return None;
        }
        let t = self.temp(id);
        for (e, v) in values {
            self.edge(*v, t, Why::Element, Step::Expr(*e), None);
        }
        Some((t, 0))
    }

    /// A call of a crate function: arguments go to one slot per parameter; the callee's tags
    /// connect the slots to the result and the heap when the graph is solved.
    fn crate_call(
        &mut self,
        id: ExprId,
        callee: FnKey,
        receiver: Option<Val>,
        values: &[(ExprId, Val)],
    ) -> Val {
        let param_tys = self.param_types(callee);
        let mut args = Vec::new();
        let step = Step::Expr(id);
        let mut all: Vec<(Option<ExprId>, Val)> = Vec::new();
        if let Some(r) = receiver {
            all.push((None, r));
        }
        all.extend(values.iter().map(|(e, v)| (Some(*e), *v)));
        for (i, (e, v)) in all.into_iter().enumerate() {
            if v.is_none() {
                args.push(None);
                continue;
            }
            let slot = self.node(Node::Temp(e.unwrap_or(id)));
            let ty = param_tys.get(i).copied().flatten();
            self.edge(v, slot, Why::CallParameter, e.map_or(step, Step::Expr), ty);
            args.push(Some(slot));
        }
        let result = self.temp(id);
        self.graph.calls.push(CallSite {
            callee,
            args,
            result,
            at: id,
        });
        Some((result, 0))
    }

    /// Parameter types of a crate function, `self` first (as `None`).
    fn param_types(&self, key: FnKey) -> Vec<Option<TypeAt>> {
        let Some(ir) = self.bcx.cx.index.ir(key.0) else {
            return Vec::new();
        };
        let Some(scope) = self.bcx.cx.index.item_scope(key.0, key.1) else {
            return Vec::new();
        };
        let ItemKind::Fn(f) = &ir.item(key.1).kind else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if f.sig.self_param.is_some() {
            out.push(None);
        }
        out.extend(
            ir.list(f.sig.params)
                .iter()
                .map(|&t| Some(TypeAt { scope, ty: t })),
        );
        out
    }

    /// Code we cannot see: what it takes by move escapes, and its result may borrow from
    /// what it was given.
    fn unknown_call(&mut self, id: ExprId, values: &[(ExprId, Val)]) -> Val {
        let unknown = self.graph.unknown;
        let result = self.temp(id);
        for (e, v) in values {
            match v {
                Some((_, d)) if *d == 0 => {
                    self.edge(*v, unknown, Why::CallParameter, Step::Expr(*e), None)
                }
                _ => {}
            }
            self.borrow_edge(*v, result, Why::CallResult, Step::Expr(id));
        }
        Some((result, 0))
    }

    pub(super) fn method_call(&mut self, id: ExprId, m: &MethodCall) -> Val {
        let receiver = self.expr(m.receiver);
        let values = self.exprs(m.args);
        let step = Step::Expr(id);
        // A method of the crate, when the receiver's type is known. Called through a `Box`,
        // `Rc` or `Arc`, it is given what the pointer holds, never the pointer itself.
        if let Some((key, through_pointer)) = self.crate_method(m) {
            let receiver = match through_pointer {
                true => receiver.map(|(n, d)| (n, (d + 1).min(2))),
                false => receiver,
            };
            return self.crate_call(id, key, Some(receiver), &values);
        }
        let api = api::method(m.method);
        // `thread::Builder::spawn`, `JoinSet::spawn`, `Runtime::spawn`: work handed to another
        // thread or task. A scoped `s.spawn` (whose receiver is not one of these) stays
        // unknown: its work ends before the scope does.
        if api.spawns().is_some() && self.spawns_work(m.receiver) {
            let heap = self.graph.heap;
            for (_, v) in &values {
                self.edge(*v, heap, Why::Spawn, step, None);
            }
            return Some((self.temp(id), 0));
        }
        if api.has(Effect::CallsInPlace) {
            return self.in_place_method(id, m, receiver, &values, api);
        }
        if api.has(Effect::ReturnsReceiverType) && self.is_shared_pointer(m.receiver) {
            // `a.clone()` of an `Arc` or `Rc`: one more owner of the same allocation.
            let t = self.temp(id);
            self.edge(receiver, t, Why::CallResult, step, None);
            return Some((t, 0));
        }
        match method_flow(api) {
            // `StreamExt::collect(..).await`: a future, which allocates only when polled.
            Some(MethodFlow::Alloc(AllocKind::Collect)) if self.chain_awaited(id) => {
                self.moved_to_unknown(receiver, step);
                Some((self.temp(id), 0))
            }
            Some(MethodFlow::Alloc(kind)) => {
                let node = self.alloc(id, kind, None);
                if api.has(Effect::ConsumesReceiver) {
                    // The collected elements come from the iterator.
                    self.edge(receiver, node, Why::Collected, step, None);
                }
                Some((node, 0))
            }
            Some(MethodFlow::Store) => {
                let target = self.target(m.receiver);
                let ty = self.place_ty(m.receiver);
                // Given a reference, `extend`, `extend_from_slice` and `append` take the
                // elements it points to (copied, or moved out), never the reference. The
                // address of a local collection (`&v`) stays as it is: its elements and its
                // buffer are one location, which must not be said to move.
                let takes_elements =
                    matches!(m.method.as_str(), "extend" | "extend_from_slice" | "append");
                for (e, v) in &values {
                    let v = match takes_elements && self.is_reference(*e) {
                        true => v.map(|(n, d)| (n, if d >= 0 { (d + 1).min(2) } else { d })),
                        false => *v,
                    };
                    self.store(
                        match &target {
                            Target::Local(l) => Target::Local(*l),
                            Target::Pointee(l) => Target::Pointee(*l),
                            Target::Heap => Target::Heap,
                            Target::Unknown => Target::Unknown,
                        },
                        v,
                        Why::Container,
                        Step::Expr(*e),
                        ty,
                    );
                }
                Some((self.temp(id), 0))
            }
            Some(MethodFlow::Send) => {
                let heap = self.graph.heap;
                for (_, v) in &values {
                    self.edge(*v, heap, Why::Spawn, step, None);
                }
                Some((self.temp(id), 0))
            }
            Some(MethodFlow::Borrow) => {
                for (_, v) in &values {
                    self.moved_to_unknown(*v, step);
                }
                let t = self.temp(id);
                self.borrow_edge(receiver, t, Why::MethodReceiver, step);
                Some((t, 0))
            }
            Some(MethodFlow::Consume) => {
                for (_, v) in &values {
                    self.moved_to_unknown(*v, step);
                }
                let t = self.temp(id);
                self.edge(receiver, t, Why::MethodReceiver, step, None);
                Some((t, 0))
            }
            Some(MethodFlow::Neutral) => {
                for (_, v) in &values {
                    self.moved_to_unknown(*v, step);
                }
                Some((self.temp(id), 0))
            }
            Some(MethodFlow::Leak) => {
                let heap = self.graph.heap;
                self.edge(receiver, heap, Why::Leak, step, None);
                Some((heap, 0))
            }
            None => {
                // Unknown: a crate method taking `&self` borrows the receiver; anything else may
                // take it by value.
                let borrows = self.borrows_receiver(m.method);
                if !borrows {
                    self.moved_to_unknown(receiver, step);
                }
                for (_, v) in &values {
                    self.moved_to_unknown(*v, step);
                }
                let t = self.temp(id);
                self.borrow_edge(receiver, t, Why::MethodReceiver, step);
                Some((t, 0))
            }
        }
    }

    fn moved_to_unknown(&mut self, v: Val, step: Step) {
        if let Some((_, 0)) = v {
            let unknown = self.graph.unknown;
            self.edge(v, unknown, Why::CallParameter, step, None);
        }
    }

    /// A crate method called on a receiver whose type is known: `self.m()` in an impl, a
    /// local declared with a crate type, or any receiver whose type `ty_of` knows (a local
    /// built by a constructor, `self.a.b`); and whether it is called through a `Box`, `Rc`
    /// or `Arc` of that type (`b.get()` with `b: Box<P>`).
    fn crate_method(&self, m: &MethodCall) -> Option<(FnKey, bool)> {
        let index = &self.bcx.cx.index;
        // Most calls are to std's methods: no type needs inferring when no crate type has an
        // inherent method of this name.
        if !index.has_inherent_named(m.method) {
            return None;
        }

        let declared = match self.ir.expr(m.receiver).kind {
            ExprKind::Local(l) if self.bcx.body.local(l).kind == LocalKind::SelfParam => {
                Some(self.bcx.self_type()?)
            }
            ExprKind::Local(l) if self.bcx.body.local(l).ty.is_some() => {
                let ty = self.bcx.body.local(l).ty?;
                let ty = match self.ir.ty(ty).kind {
                    TyKind::Ref { ty, .. } => ty,
                    _ => ty,
                };
                let TyKind::Path(p) = self.ir.ty(ty).kind else {
                    return None;
                };
                match self.bcx.resolve_path_id(p)? {
                    // A type alias is read below, through its target.
                    Resolved {
                        def: Def::Item(f, i),
                        rest: 0,
                        ..
                    } if !matches!(
                        index.item(f, i).map(|it| &it.kind),
                        Some(ItemKind::TypeAlias { .. })
                    ) =>
                    {
                        Some((f, i))
                    }
                    // `Box<P>`: read below, through the pointer.
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(ty) = declared {
            return Some((index.inherent_method(ty, m.method)?, false));
        }
        let ty = ty_of(self.bcx, m.receiver)?;
        let ty = ty.peel_refs();
        let (adt, through_pointer) = match ty {
            Ty::Named(Type::Crate(adt), _) => (*adt, false),
            Ty::Named(..) if ["Box", "Rc", "Arc"].iter().any(|p| ty.is_std(p)) => {
                match ty.deref()? {
                    Ty::Named(Type::Crate(adt), _) => (adt, true),
                    _ => return None,
                }
            }
            _ => return None,
        };
        let key = index.inherent_method(adt, m.method)?;
        // `self: Box<Self>` (or any typed `self`) takes the pointer itself.
        if through_pointer
            && !matches!(
                index.item(key.0, key.1).map(|i| &i.kind),
                Some(ItemKind::Fn(f)) if matches!(
                    f.sig.self_param.map(|s| s.kind),
                    Some(SelfKind::Value | SelfKind::Ref | SelfKind::RefMut)
                )
            )
        {
            return None;
        }
        Some((key, through_pointer))
    }

    /// Whether every crate method of this name takes `&self` or `&mut self`.
    fn borrows_receiver(&self, name: Sym) -> bool {
        let index = &self.bcx.cx.index;
        let methods = index.methods_named(name);
        !methods.is_empty()
            && methods
                .iter()
                .all(|&(f, i)| match index.item(f, i).map(|item| &item.kind) {
                    Some(ItemKind::Fn(func)) => {
                        matches!(
                            func.sig.self_param.map(|s| s.kind),
                            Some(SelfKind::Ref | SelfKind::RefMut)
                        )
                    }
                    _ => false,
                })
    }

    /// Whether a `.spawn(..)` receiver is a thread builder, a task set or a runtime: found by
    /// the constructor at the root of the receiver (`thread::Builder::new().name(..)`), or a
    /// local's declared type or initializer.
    fn spawns_work(&self, receiver: ExprId) -> bool {
        let ir = self.ir;
        let mut at = receiver;
        for _ in 0..8 {
            match &ir.expr(at).kind {
                ExprKind::MethodCall(m) => at = ir.method_call(*m).receiver,
                ExprKind::Ref { expr, .. } => at = *expr,
                ExprKind::Local(l) => {
                    let local = self.bcx.body.local(*l);
                    if let Some(ty) = local.ty {
                        return crate::facts::types::std_type(self.bcx, ty)
                            .is_some_and(|p| api::spawner(&p).is_some());
                    }
                    match self.bcx.let_init(*l) {
                        Some(init) => at = init,
                        None => return false,
                    }
                }
                ExprKind::Call { callee, .. } => {
                    let Some(Resolved {
                        def: Def::External(path),
                        ..
                    }) = self.bcx.resolve_path(*callee)
                    else {
                        return false;
                    };
                    return path
                        .split_last()
                        .is_some_and(|(_, ty)| api::spawner(ty).is_some());
                }
                _ => return false,
            }
        }
        false
    }

    pub(super) fn macro_call(&mut self, id: ExprId, m: &MacroCall) -> Val {
        let name = self
            .ir
            .path_last(self.ir.path(m.path))
            .map(|s| s.as_str())
            .unwrap_or("");
        let api = api::macro_call(name);
        match (api.allocates(), m.args) {
            // `vec![]` allocates nothing, as `Vec::new()` does.
            (Some(AllocKind::Vec), MacroArgs::List(list)) if self.ir.list(list).is_empty() => {
                Some((self.temp(id), 0))
            }
            (Some(AllocKind::Vec), MacroArgs::List(list)) => {
                let values = self.exprs(list);
                let node = self.alloc(id, AllocKind::Vec, None);
                for (e, v) in values {
                    self.edge(v, node, Why::Element, Step::Expr(e), None);
                }
                Some((node, 0))
            }
            (Some(AllocKind::Vec), MacroArgs::Repeat { elem, len }) => {
                self.expr(len);
                let v = self.expr(elem);
                let node = self.alloc(id, AllocKind::Vec, None);
                self.edge(v, node, Why::Element, Step::Expr(elem), None);
                Some((node, 0))
            }
            (Some(AllocKind::String), MacroArgs::List(list)) => {
                // Format arguments are borrowed.
                self.exprs(list);
                Some((self.alloc(id, AllocKind::String, None), 0))
            }
            (_, MacroArgs::List(list)) if api.has(Effect::ReturnsArguments) => {
                let values = self.exprs(list);
                values.last().and_then(|(_, v)| *v)
            }
            (_, MacroArgs::List(list)) if api.has(Effect::BorrowsArguments) => {
                self.exprs(list);
                None
            }
            (_, MacroArgs::List(list) | MacroArgs::Opaque(list)) => {
                // A macro we cannot read may do anything with what it is given.
                let values = self.exprs(list);
                let unknown = self.graph.unknown;
                for (e, v) in values {
                    self.edge(
                        v.map(|(n, d)| (n, d.max(0))),
                        unknown,
                        Why::Macro,
                        Step::Expr(e),
                        None,
                    );
                }
                Some((self.temp(id), 0))
            }
            (_, MacroArgs::Repeat { elem, len }) => {
                self.expr(len);
                let v = self.expr(elem);
                let unknown = self.graph.unknown;
                self.edge(v, unknown, Why::Macro, Step::Expr(elem), None);
                None
            }
        }
    }
}
