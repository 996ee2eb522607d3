//! Whether a boxed closure's box is required by where the box goes.
//!
//! `Box<dyn Fn>` erases a closure's type. The erasure can be avoided (`impl Fn`, a generic
//! `F: Fn`) only when every value that reaches the same place is that one closure. It cannot be
//! when the place is not the crate's to choose, or holds values of other types:
//!
//! - code the crate cannot see takes the box: a parameter of another crate's function
//!   (`std::panic::set_hook`), the result of a closure that such code calls, memory it owns;
//! - the box is kept for good: a static, spawned work, the caller's memory (`&mut Vec<..>`);
//! - closures of other types (or values of any type: a parameter, a generic `F`) reach the
//!   same place: the same array, `vec!`, `Vec` or local, the same field or parameter anywhere
//!   in the crate, or, for a function that returns the box, the same place in a caller;
//! - a closure defined in a generic function has a type per instantiation, so a place outside
//!   its function (a field, a parameter) holds many types;
//! - a `pub` function's boxed parameter takes whatever other crates give it.
//!
//! The question is asked by following the box forward through the crate's solved graphs, and,
//! at every place it reaches, asking where the other values there come from (backward, through
//! plain moves, into callers' results by their callees' returns).

use super::CrateEscape;
use super::graph::{BodyEscape, Carry, ClosureEscape, Edge, Node, NodeId, Why};
use crate::diagnostic::{FileId, Label};
use crate::facts::CrateCx;
use crate::facts::display::Printer;
use crate::facts::types::Types;
use crate::index::{Container, FnKey};
use crate::ir::*;
use crate::sym::{FxHashMap, FxHashSet};

/// What the walk does at an edge.
enum Verdict {
    Required(Required),
    /// Go no further this way.
    Stop,
    Go,
}

/// Why a box cannot be avoided.
#[derive(Clone, Debug)]
pub struct Required {
    /// Completes "the box is required: ..".
    pub reason: String,
    /// Where the other place or value is, when it has a place of its own.
    pub at: Option<Label>,
}

/// Where a value comes from, as far as the question of one closure type goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Source {
    /// A box made of this closure (a body, by its index in the crate's bodies, and the
    /// closure's expression).
    Closure(usize, ExprId),
    /// A parameter of the body the walk started in, by position.
    Param(usize),
    /// Anything else: a value of some other type, or unknown.
    Other,
}

/// The crate-wide view the question needs, built on first use.
pub struct Erasure<'c, 'a> {
    cx: &'c CrateCx<'a>,
    escape: &'c CrateEscape,
    /// Incoming edges of each node, per body (by index), built when first needed.
    incoming: FxHashMap<usize, Vec<Vec<u32>>>,
    /// Each crate function's body.
    fn_body: FxHashMap<FnKey, usize>,
    /// The calls of each crate function: the calling body and the call's index there.
    callers: FxHashMap<FnKey, Vec<(usize, usize)>>,
    /// Every edge given a declared type, by where the type is written: the values stored
    /// into one field, given to one parameter, assigned to one typed local.
    typed: FxHashMap<(FileId, TyId), Vec<(usize, usize)>>,
    /// What each crate function returns, for its callers.
    returns: FxHashMap<usize, Vec<Source>>,
    /// The declared types of fields of the crate's structs and enums.
    fields: FxHashSet<(FileId, TyId)>,
}

impl<'c, 'a> Erasure<'c, 'a> {
    pub fn new(cx: &'c CrateCx<'a>, escape: &'c CrateEscape) -> Erasure<'c, 'a> {
        let mut fn_body = FxHashMap::default();
        let mut callers: FxHashMap<FnKey, Vec<(usize, usize)>> = FxHashMap::default();
        let mut typed: FxHashMap<(FileId, TyId), Vec<(usize, usize)>> = FxHashMap::default();
        for (b, body) in escape.bodies.iter().enumerate() {
            if let Some(ir) = cx.loaded.ir(body.at.file)
                && matches!(ir.item(body.at.owner).kind, ItemKind::Fn(_))
            {
                fn_body.insert((body.at.file, body.at.owner), b);
            }
            for (c, call) in body.graph.calls.iter().enumerate() {
                callers.entry(call.callee).or_default().push((b, c));
            }
            for (e, edge) in body.edges.iter().enumerate() {
                if let Some(ty) = edge.ty {
                    let at = body.graph.types[ty as usize];
                    typed
                        .entry((at.scope.file, at.ty))
                        .or_default()
                        .push((b, e));
                }
            }
        }
        let mut fields = FxHashSet::default();
        let files: FxHashSet<FileId> = typed.keys().map(|(file, _)| *file).collect();
        for file in files {
            let Some(ir) = cx.loaded.ir(file) else {
                continue;
            };
            for item in &ir.items {
                if let ItemKind::Struct(adt) | ItemKind::Enum(adt) | ItemKind::Union(adt) =
                    &item.kind
                {
                    let tys = adt.variants.iter().flat_map(|v| v.fields.iter());
                    fields.extend(tys.map(|f| (file, f.ty)));
                }
            }
        }
        Erasure {
            cx,
            escape,
            fields,
            incoming: FxHashMap::default(),
            fn_body,
            callers,
            typed,
            returns: FxHashMap::default(),
        }
    }

    /// The index of a body among the crate's bodies.
    pub fn body_index(&self, esc: &BodyEscape) -> Option<usize> {
        self.escape
            .bodies
            .iter()
            .position(|b| b.at.file == esc.at.file && b.at.body == esc.at.body)
    }

    /// Why the box made by allocation `alloc` of body `b`, which boxes the closure `closure`,
    /// cannot be avoided; `None` when nothing says it cannot.
    pub fn required(&mut self, b: usize, alloc: usize, closure: ExprId) -> Option<Required> {
        let start = self.escape.bodies[b].allocs[alloc].site.node;
        let me = Source::Closure(b, closure);
        let mut seen_fns = FxHashSet::default();
        self.walk(b, start, me, &mut seen_fns, 0)
    }

    /// Follows the value at `start` of body `b` by moves, to the first place that requires
    /// the box.
    fn walk(
        &mut self,
        b: usize,
        start: NodeId,
        me: Source,
        seen_fns: &mut FxHashSet<FnKey>,
        depth: u32,
    ) -> Option<Required> {
        let esc = &self.escape.bodies[b];
        let adjacency = outgoing(esc);
        let mut seen = vec![false; esc.graph.nodes.len()];
        seen[start.0 as usize] = true;
        let mut queue = vec![start];
        while let Some(n) = queue.pop() {
            for &e in &adjacency[n.0 as usize] {
                let edge = self.escape.bodies[b].edges[e as usize];
                if edge.carry != Carry::Move || edge.derefs != 0 {
                    continue;
                }
                match self.at_edge(b, e as usize, me, seen_fns, depth) {
                    Verdict::Required(required) => return Some(required),
                    Verdict::Stop => continue,
                    Verdict::Go => {}
                }
                let dst = edge.dst;
                if seen[dst.0 as usize] {
                    continue;
                }
                seen[dst.0 as usize] = true;
                queue.push(dst);
            }
        }
        None
    }

    /// What the place an edge leads to says about the box arriving by it.
    fn at_edge(
        &mut self,
        b: usize,
        e: usize,
        me: Source,
        seen_fns: &mut FxHashSet<FnKey>,
        depth: u32,
    ) -> Verdict {
        let esc = &self.escape.bodies[b];
        let edge = esc.edges[e];
        let dst = esc.graph.node(edge.dst);
        // Other values given the same declared type: a field, a parameter, a typed local,
        // the function's return type.
        if let Some(at) = edge.ty.map(|ty| esc.graph.types[ty as usize])
            && Types::at(self.cx, at.scope).dyn_pointer(at.ty).is_some()
        {
            if let Source::Closure(cb, _) = me
                && self.is_generic_context(cb)
                && !(at.scope.file == self.escape.bodies[cb].at.file
                    && at.scope.body == Some(self.escape.bodies[cb].at.body))
            {
                return Verdict::Required(required(
                    "the closure is in a generic function, so its type differs from one \
                     instantiation to the next, and one declared type must hold them all"
                        .to_string(),
                    None,
                ));
            }
            let key = (at.scope.file, at.ty);
            let peers = self.typed.get(&key).cloned().unwrap_or_default();
            let part = is_part(edge.why);
            for (pb, pe) in peers {
                let peer = self.escape.bodies[pb].edges[pe];
                // A `let v: Vec<Box<dyn Fn()>> = Vec::new()` is no peer of a `v.push(..)`.
                if (pb, pe) == (b, e) || is_part(peer.why) != part {
                    continue;
                }
                if self.mixes(pb, peer.src, me, depth) {
                    return Verdict::Required(required(
                        "values of other types are given the same declared type".to_string(),
                        self.step_label(pb, pe),
                    ));
                }
            }
            // Stored in a field of a crate struct: the field's type is the struct's to
            // choose, wherever the struct goes.
            if self.fields.contains(&key) {
                return Verdict::Stop;
            }
        }
        match dst {
            Node::Unknown => return Verdict::Required(self.unknown(b, edge)),
            Node::Heap => return Verdict::Required(self.heap(b, edge)),
            Node::Pointee(l) => {
                let name = self.printer(b).map(|p| p.local(l)).unwrap_or_default();
                return Verdict::Required(required(
                    format!(
                        "it is stored in `*{name}`, which the caller owns and may fill with \
                         closures of other types"
                    ),
                    None,
                ));
            }
            Node::Return => {
                return match self.returned(b, edge, me, seen_fns, depth) {
                    Some(r) => Verdict::Required(r),
                    None => Verdict::Stop,
                };
            }
            _ => {}
        }
        match edge.why {
            // Captured by a closure, whose type is its own: where that closure goes says
            // nothing of the box's type.
            Why::Capture | Why::Adaptor => return Verdict::Stop,
            // A field of a struct whose declared type is not known here: another crate's
            // struct decides.
            Why::Field => {
                return match self.literal_of_other_crate(b, edge.dst) {
                    true => Verdict::Required(required(
                        "it is stored in a field of another crate's type".to_string(),
                        None,
                    )),
                    false => Verdict::Stop,
                };
            }
            _ => {}
        }
        // A public function's boxed parameter.
        if edge.why == Why::CallParameter
            && let Some(at) = edge.ty.map(|ty| esc.graph.types[ty as usize])
            && Types::at(self.cx, at.scope).dyn_pointer(at.ty).is_some()
            && let Some(call) = esc
                .graph
                .calls
                .iter()
                .find(|c| c.args.contains(&Some(edge.dst)))
            && let Some(item) = self.cx.index.item(call.callee.0, call.callee.1)
            && item.vis == Vis::Public
        {
            let name = item.name.map(|n| n.to_string()).unwrap_or_default();
            return Verdict::Required(required(
                format!(
                    "`{name}` is public and takes a box, which other crates may fill with \
                     closures of other types"
                ),
                None,
            ));
        }
        // Other values reaching the same node: elements of one array or vector, alternatives
        // of one variable.
        let class = self.class_of(b, edge);
        if class == Class::None {
            return Verdict::Go;
        }
        let incoming = self.incoming(b)[edge.dst.0 as usize].clone();
        for p in incoming {
            let p = p as usize;
            let peer = self.escape.bodies[b].edges[p];
            if p == e
                || peer.carry != Carry::Move
                || peer.derefs != 0
                || self.class_of(b, peer) != class
            {
                continue;
            }
            if self.mixes(b, peer.src, me, depth) {
                let what = match class {
                    Class::Part => "closures of other types are kept beside it",
                    _ => "values of other types go to the same place",
                };
                return Verdict::Required(required(what.to_string(), self.step_label(b, p)));
            }
        }
        Verdict::Go
    }

    /// Whether a node is a struct literal of another crate's type.
    fn literal_of_other_crate(&self, b: usize, node: NodeId) -> bool {
        let esc = &self.escape.bodies[b];
        let Node::Temp(expr) = esc.graph.node(node) else {
            return false;
        };
        let Some(ir) = self.cx.loaded.ir(esc.at.file) else {
            return false;
        };
        let ExprKind::Struct(lit) = ir.expr(expr).kind else {
            return false;
        };
        let scope = esc.at.scope();
        matches!(
            self.cx.index.resolve(scope, ir.struct_lit(lit).path),
            Some(crate::index::Resolved {
                def: crate::index::Def::External(_),
                ..
            })
        )
    }

    /// How a value reaches a node, for which other values there are its peers.
    fn class_of(&self, b: usize, edge: Edge) -> Class {
        let esc = &self.escape.bodies[b];
        match edge.why {
            Why::Assign | Why::Branch | Why::Break | Why::Try | Why::CallResult | Why::Cast => {
                Class::Whole
            }
            Why::Container => Class::Part,
            Why::Element => match esc.graph.node(edge.dst) {
                Node::Alloc(_) => Class::Part,
                Node::Temp(expr) => {
                    match self.cx.loaded.ir(esc.at.file).map(|ir| &ir.expr(expr).kind) {
                        Some(ExprKind::Array(_) | ExprKind::Repeat { .. }) => Class::Part,
                        _ => Class::None,
                    }
                }
                _ => Class::None,
            },
            _ => Class::None,
        }
    }

    /// The box reaches code the crate cannot see.
    fn unknown(&self, b: usize, edge: Edge) -> Required {
        let callee = self.callee_text(b, edge);
        let reason = match edge.why {
            Why::CallParameter => match callee {
                Some(name) => format!("`{name}` takes a box"),
                None => "the function it is given to takes a box".to_string(),
            },
            Why::ClosureReturn => {
                "the closure that returns it is called by code that asks for a box".to_string()
            }
            Why::Macro => "it is given to a macro".to_string(),
            _ => "it is stored where the crate cannot see, as a box".to_string(),
        };
        required(reason, None)
    }

    /// The box reaches the heap: kept for good.
    fn heap(&self, b: usize, edge: Edge) -> Required {
        let reason = match edge.why {
            Why::Static => "it is stored in a static".to_string(),
            Why::Spawn => "it is sent to another thread or task".to_string(),
            Why::Leak => "it is leaked".to_string(),
            _ => match self.callee_text(b, edge) {
                Some(name) => format!("`{name}` keeps it"),
                None => "it is kept on the heap".to_string(),
            },
        };
        required(reason, None)
    }

    /// The box is returned: what the callers do with it decides.
    fn returned(
        &mut self,
        b: usize,
        edge: Edge,
        me: Source,
        seen_fns: &mut FxHashSet<FnKey>,
        depth: u32,
    ) -> Option<Required> {
        let at = self.escape.bodies[b].at;
        if matches!(
            at.container,
            Container::TraitImpl { .. } | Container::Trait { .. }
        ) {
            return Some(required(
                "the trait's signature returns a box".to_string(),
                None,
            ));
        }
        // Other values returned by the same function.
        let ret = self.escape.bodies[b].graph.ret;
        let incoming = self.incoming(b)[ret.0 as usize].clone();
        for p in incoming {
            let peer = self.escape.bodies[b].edges[p as usize];
            if peer.carry != Carry::Move || peer.derefs != 0 || peer.src == edge.src {
                continue;
            }
            if self.mixes(b, peer.src, me, depth) {
                return Some(required(
                    "the function also returns values of other types".to_string(),
                    self.step_label(b, p as usize),
                ));
            }
        }
        let key = (at.file, at.owner);
        if depth > 6 || !seen_fns.insert(key) {
            return None;
        }
        let calls = self.callers.get(&key).cloned().unwrap_or_default();
        for (cb, call) in calls {
            let result = self.escape.bodies[cb].graph.calls[call].result;
            if let Some(found) = self.walk(cb, result, me, seen_fns, depth + 1) {
                let caller = self.fn_name(cb).unwrap_or_default();
                let label = self.call_label(cb, call);
                return Some(Required {
                    reason: format!("in `{caller}`, which calls this function, {}", found.reason),
                    at: found.at.or(label),
                });
            }
        }
        None
    }

    /// Whether the value at `node` of body `pb` may be of another type than `me`: some of
    /// its sources are not `me`.
    fn mixes(&mut self, pb: usize, node: NodeId, me: Source, depth: u32) -> bool {
        let sources = self.sources(pb, node, depth);
        sources.into_iter().any(|s| s != me || self.many(me, pb))
    }

    /// Whether a closure's box, seen from body `pb`, may be of many types: a closure of a
    /// generic function seen from anywhere else.
    fn many(&self, me: Source, pb: usize) -> bool {
        matches!(me, Source::Closure(cb, _) if cb != pb && self.is_generic_context(cb))
    }

    /// Where the value at `node` of body `b` comes from, through plain moves, into the
    /// callees whose results it is.
    fn sources(&mut self, b: usize, node: NodeId, depth: u32) -> Vec<Source> {
        let mut out = Vec::new();
        let mut seen = FxHashSet::default();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if !seen.insert(n) {
                continue;
            }
            let esc = &self.escape.bodies[b];
            match esc.graph.node(n) {
                Node::Alloc(_) => {
                    let boxed = esc.closures.iter().find_map(|c| match c.escape {
                        ClosureEscape::Boxed(i) if esc.allocs[i].site.node == n => {
                            Some(Source::Closure(b, c.site.expr))
                        }
                        _ => None,
                    });
                    push(&mut out, boxed.unwrap_or(Source::Other));
                    continue;
                }
                Node::Local(l) => {
                    if let Some(i) = esc.graph.params.iter().position(|p| p.0 == Some(l)) {
                        push(&mut out, Source::Param(i));
                        continue;
                    }
                }
                Node::Pointee(_) | Node::Heap | Node::Unknown => {
                    push(&mut out, Source::Other);
                    continue;
                }
                Node::Param(i) => {
                    push(&mut out, Source::Param(i as usize));
                    continue;
                }
                _ => {}
            }
            // The result of a crate function: what it returns, its parameters replaced by
            // this call's arguments.
            if let Some(call) = esc.graph.calls.iter().position(|c| c.result == n) {
                let call = esc.graph.calls[call].clone();
                match self.fn_body.get(&call.callee).copied() {
                    Some(cb) if depth < 6 => {
                        for s in self.returns_of(cb, depth + 1) {
                            match s {
                                Source::Param(i) => match call.args.get(i).copied().flatten() {
                                    Some(slot) => stack.push(slot),
                                    None => push(&mut out, Source::Other),
                                },
                                s => push(&mut out, s),
                            }
                        }
                    }
                    _ => push(&mut out, Source::Other),
                }
                continue;
            }
            let mut any = false;
            let escape = self.escape;
            for &p in &self.incoming(b)[n.0 as usize] {
                let edge = escape.bodies[b].edges[p as usize];
                if edge.carry != Carry::Move || edge.derefs != 0 || !is_whole(edge.why) {
                    continue;
                }
                any = true;
                stack.push(edge.src);
            }
            if !any {
                push(&mut out, Source::Other);
            }
        }
        out
    }

    /// What a function's body returns, as sources (its parameters as `Param`).
    fn returns_of(&mut self, b: usize, depth: u32) -> Vec<Source> {
        if let Some(found) = self.returns.get(&b) {
            return found.clone();
        }
        // A cycle of calls sees nothing more.
        self.returns.insert(b, Vec::new());
        let ret = self.escape.bodies[b].graph.ret;
        let found = self.sources(b, ret, depth);
        self.returns.insert(b, found.clone());
        found
    }

    fn incoming(&mut self, b: usize) -> &Vec<Vec<u32>> {
        let esc = &self.escape.bodies[b];
        self.incoming.entry(b).or_insert_with(|| {
            let mut out = vec![Vec::new(); esc.graph.nodes.len()];
            for (i, e) in esc.edges.iter().enumerate() {
                out[e.dst.0 as usize].push(i as u32);
            }
            out
        })
    }

    /// Whether a body is in a generic function (or an `impl` with type parameters), where a
    /// closure has a type per instantiation.
    fn is_generic_context(&self, b: usize) -> bool {
        let at = self.escape.bodies[b].at;
        let Some(ir) = self.cx.loaded.ir(at.file) else {
            return false;
        };
        let generic = |g: &Generics| {
            g.params
                .iter()
                .any(|p| !matches!(p.kind, GenericParamKind::Lifetime))
        };
        let fn_generic = match &ir.item(at.owner).kind {
            ItemKind::Fn(f) => {
                generic(&f.sig.generics)
                    || ir
                        .list(f.sig.params)
                        .iter()
                        .any(|&t| matches!(ir.ty(t).kind, TyKind::Impl(_)))
            }
            _ => false,
        };
        let impl_generic = match at.container {
            Container::Inherent { impl_item } | Container::TraitImpl { impl_item } => {
                matches!(&ir.item(impl_item).kind, ItemKind::Impl(i) if generic(&i.generics))
            }
            Container::Trait { .. } => true,
            Container::Free => false,
        };
        fn_generic || impl_generic
    }

    fn printer(&self, b: usize) -> Option<Printer<'a>> {
        let at = self.escape.bodies[b].at;
        let ir = self.cx.loaded.ir(at.file)?;
        Some(Printer::new(ir, Some(ir.body(at.body))))
    }

    /// The function or method an edge's step calls, as written.
    fn callee_text(&self, b: usize, edge: Edge) -> Option<String> {
        let super::graph::Step::Expr(at) = edge.step else {
            return None;
        };
        let printer = self.printer(b)?;
        let ir = printer.ir;
        // A method's argument edges, and those a crate function's tags give, are made at the
        // call; another call's at the argument, whose value the edge carries.
        let esc = &self.escape.bodies[b];
        let is_call = matches!(
            ir.expr(at).kind,
            ExprKind::Call { .. } | ExprKind::MethodCall(_)
        );
        let carries_argument = matches!(
            esc.graph.node(edge.src),
            Node::Alloc(x) | Node::Temp(x) | Node::Closure(x) if x == at
        ) && !esc.graph.calls.iter().any(|c| c.at == at);
        let mut call = None;
        let root = printer.body?.value;
        crate::ir::walk::walk(ir, root, &mut |_, id, expr| {
            if is_call && !carries_argument {
                return;
            }
            let args = match &expr.kind {
                ExprKind::Call { args, .. } => *args,
                ExprKind::MethodCall(m) => ir.method_call(*m).args,
                _ => return,
            };
            if call.is_none() && ir.list(args).contains(&at) {
                call = Some(id);
            }
        });
        match &ir.expr(call.unwrap_or(at)).kind {
            ExprKind::Call { callee, .. } => Some(printer.expr(*callee)),
            ExprKind::MethodCall(m) => Some(ir.method_call(*m).method.to_string()),
            _ => None,
        }
    }

    fn fn_name(&self, b: usize) -> Option<String> {
        let at = self.escape.bodies[b].at;
        let ir = self.cx.loaded.ir(at.file)?;
        ir.item(at.owner).name.map(|n| n.to_string())
    }

    /// A label at the statement that brought another value to the place.
    fn step_label(&self, b: usize, e: usize) -> Option<Label> {
        let at = self.escape.bodies[b].at;
        let ir = self.cx.loaded.ir(at.file)?;
        let span = match self.escape.bodies[b].edges[e].step {
            super::graph::Step::Expr(x) => ir.expr(x).span,
            super::graph::Step::Let(l) => ir.let_stmt(l).span,
        };
        Some(Label::new(
            at.file,
            span,
            "a value of another type goes here too",
        ))
    }

    fn call_label(&self, b: usize, call: usize) -> Option<Label> {
        let at = self.escape.bodies[b].at;
        let ir = self.cx.loaded.ir(at.file)?;
        let expr = self.escape.bodies[b].graph.calls[call].at;
        Some(Label::new(at.file, ir.expr(expr).span, "called here"))
    }
}

fn required(reason: String, at: Option<Label>) -> Required {
    Required { reason, at }
}

fn push(out: &mut Vec<Source>, s: Source) {
    if !out.contains(&s) {
        out.push(s);
    }
}

/// Edges that put a value into a collection, as one of its elements.
fn is_part(why: Why) -> bool {
    matches!(why, Why::Container | Why::Element | Why::Collected)
}

/// Edges that carry a whole value from one place to another, as opposed to putting it
/// inside another value.
fn is_whole(why: Why) -> bool {
    matches!(
        why,
        Why::Assign
            | Why::Branch
            | Why::Break
            | Why::Return
            | Why::Try
            | Why::Cast
            | Why::CallParameter
            | Why::CallResult
            | Why::MethodReceiver
    )
}

/// How a value reaches a node, for which other values there are its peers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// As the node's whole value: other whole values are alternatives of one variable.
    Whole,
    /// As one element of a homogeneous collection: an array, a vector, a container.
    Part,
    /// Otherwise (a field of a struct literal, an element of a tuple): no peers.
    None,
}

fn outgoing(esc: &BodyEscape) -> Vec<Vec<u32>> {
    let mut out = vec![Vec::new(); esc.graph.nodes.len()];
    for (i, e) in esc.edges.iter().enumerate() {
        out[e.src.0 as usize].push(i as u32);
    }
    out
}
