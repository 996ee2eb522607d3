//! Building a body's escape graph from its IR.
//!
//! Every expression is evaluated to the location its value lives in, with a dereference count
//! ([`Val`]); statements connect those locations with edges. The walk is one recursive pass.

use super::{
    AllocKind, AllocSite, CallSite, Carry, ClosureSite, Edge, Graph, Node, NodeId, Step, TypeAt,
    Why,
};
use crate::facts::BodyCx;
use crate::index::{Def, FnKey, Resolved};
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
        loops: Vec::new(),
        closures: Vec::new(),
        temps: Default::default(),
        closure_returns: Default::default(),
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
    /// Loops around the current expression: the loop, its label, and the node its value
    /// (from `break value`) goes to.
    loops: Vec<(ExprId, Option<Sym>, NodeId)>,
    /// Closures around the current expression, innermost last.
    closures: Vec<ExprId>,
    temps: FxHashMap<ExprId, NodeId>,
    closure_returns: FxHashMap<ExprId, NodeId>,
    pointees: FxHashMap<LocalId, NodeId>,
}

/// How a method treats its receiver and arguments, by name, when the receiver's type is not
/// known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MethodKind {
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

fn method_kind(name: &str) -> Option<MethodKind> {
    use MethodKind::*;
    Some(match name {
        "push" | "push_back" | "push_front" | "insert" | "extend" | "extend_from_slice"
        | "append" | "or_insert" | "or_insert_with" | "or_insert_with_key" | "get_or_insert"
        | "get_or_insert_with" | "set" | "replace" | "push_str" | "add" => Store,
        "send" | "try_send" | "send_timeout" | "blocking_send" => Send,
        "as_ref" | "as_mut" | "as_deref" | "as_deref_mut" | "borrow" | "borrow_mut" | "get"
        | "get_mut" | "first" | "first_mut" | "last" | "last_mut" | "iter" | "iter_mut"
        | "as_slice" | "as_mut_slice" | "as_str" | "as_bytes" | "as_ptr" | "as_mut_ptr"
        | "deref" | "deref_mut" | "lock" | "read" | "write" | "try_lock" | "entry" | "keys"
        | "values" | "values_mut" | "chars" | "bytes" | "lines" | "split" | "split_whitespace"
        | "trim" | "trim_start" | "trim_end" | "peek" | "peek_mut" | "windows" | "chunks"
        | "get_unchecked" | "get_unchecked_mut" | "as_path" | "as_os_str" | "by_ref" => Borrow,
        "into_iter" | "into" | "try_into" | "into_inner" | "into_boxed_slice"
        | "into_boxed_str" | "into_vec" | "into_bytes" | "into_string" | "into_keys"
        | "into_values" | "unwrap" | "expect" | "unwrap_or" | "unwrap_or_else"
        | "unwrap_or_default" | "unwrap_unchecked" | "ok" | "err" | "map" | "map_err"
        | "and_then" | "or" | "or_else" | "filter" | "filter_map" | "flat_map" | "flatten"
        | "chain" | "zip" | "rev" | "skip" | "take" | "step_by" | "enumerate" | "inspect"
        | "fuse" | "peekable" | "cycle" | "drain" | "take_while" | "skip_while" | "scan"
        | "with_context" | "context" | "boxed" | "into_future" | "pin" => Consume,
        "len" | "is_empty" | "contains" | "contains_key" | "clone" | "eq" | "ne" | "cmp"
        | "partial_cmp" | "hash" | "fmt" | "starts_with" | "ends_with" | "capacity" | "is_some"
        | "is_none" | "is_ok" | "is_err" | "count" | "sum" | "product" | "min" | "max" | "any"
        | "all" | "position" | "to_string" | "to_owned" | "to_vec" | "cloned" | "copied"
        | "clear" | "truncate" | "retain" | "sort" | "sort_by" | "sort_by_key"
        | "sort_unstable" | "dedup" | "reverse" | "reserve" | "shrink_to_fit" | "pop"
        | "remove" | "swap_remove" | "pop_front" | "pop_back" | "take_value" | "fetch_add"
        | "fetch_sub" | "load" | "store" | "wait" | "notify_one" | "notify_all" | "join"
        | "abs" | "pow" | "checked_add" | "checked_sub" | "wrapping_add" | "saturating_sub"
        | "saturating_add" | "to_lowercase" | "to_uppercase" | "parse" | "find" | "rfind"
        | "binary_search" | "last_index_of" | "type_id" | "describe" => Neutral,
        "leak" | "into_raw" => Leak,
        _ => return None,
    })
}

/// Calls with a known effect, by canonical path.
enum Known {
    Alloc(AllocKind),
    /// Runs the destructor: the value is freed here.
    Drop,
    Leak,
    Spawn,
    /// Puts its arguments in the result: `Some(x)`, `Ok(x)`.
    Wrap,
    /// `mem::replace(dest, src)`: `src` is stored where `dest` points.
    Replace,
}

fn known_call(path: &[Sym]) -> Option<Known> {
    let p: Vec<&str> = path.iter().map(|s| s.as_str()).collect();
    Some(match p.as_slice() {
        [
            "std",
            "boxed",
            "Box",
            "new" | "from" | "default" | "new_in" | "try_new",
        ] => Known::Alloc(AllocKind::Box),
        ["std", "boxed", "Box", "pin"] => Known::Alloc(AllocKind::BoxPin),
        ["std", "rc", "Rc", "new" | "from" | "default" | "pin"] => Known::Alloc(AllocKind::Rc),
        ["std", "sync", "Arc", "new" | "from" | "default" | "pin"] => Known::Alloc(AllocKind::Arc),
        ["std", "vec", "Vec", "with_capacity" | "from"] => Known::Alloc(AllocKind::Vec),
        ["std", "string", "String", "from" | "with_capacity"] => Known::Alloc(AllocKind::String),
        ["std", "mem", "drop"] => Known::Drop,
        ["std", "mem", "forget"]
        | ["std", "boxed", "Box", "leak" | "into_raw"]
        | ["std", "vec", "Vec", "leak"]
        | ["std", "string", "String", "leak"]
        | ["std", "rc", "Rc", "into_raw"]
        | ["std", "sync", "Arc", "into_raw"] => Known::Leak,
        ["std", "thread", "spawn" | "spawn_unchecked"]
        | ["tokio", "spawn"]
        | ["tokio", "task", "spawn" | "spawn_blocking" | "spawn_local"]
        | ["tokio", "spawn_blocking"]
        | ["async_std", "task", "spawn" | "spawn_local"]
        | ["smol", "spawn"]
        | ["rayon", "spawn"] => Known::Spawn,
        ["std", "option", "Option", "Some"] | ["std", "result", "Result", "Ok" | "Err"] => {
            Known::Wrap
        }
        ["std", "mem", "replace"] => Known::Replace,
        _ => return None,
    })
}

/// Types whose `spawn` runs work on another thread or task.
fn spawner(ty: &[Sym]) -> bool {
    let p: Vec<&str> = ty.iter().map(|s| s.as_str()).collect();
    matches!(
        p.as_slice(),
        ["std", "thread", "Builder"]
            | ["tokio", "task", "JoinSet"]
            | ["tokio", "runtime", "Runtime" | "Handle"]
            | ["tokio", "runtime", "Builder"]
    )
}

/// Where a store into a place goes.
enum Target {
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
            return !matches!(
                self.self_kind(),
                Some(SelfKind::Value) | Some(SelfKind::Typed(_))
            );
        }
        match local.ty {
            Some(ty) => matches!(self.ir.ty(ty).kind, TyKind::Ref { .. } | TyKind::Ptr { .. }),
            None => local.by_ref,
        }
    }

    fn self_kind(&self) -> Option<SelfKind> {
        match &self.ir.item(self.bcx.body.owner).kind {
            ItemKind::Fn(f) => f.sig.self_param.map(|s| s.kind),
            _ => None,
        }
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

    // -----------------------------------------------------------------------------------------
    // Expressions

    fn exprs(&mut self, list: List<ExprId>) -> Vec<(ExprId, Val)> {
        self.ir
            .list(list)
            .iter()
            .map(|&e| (e, self.expr(e)))
            .collect()
    }

    fn expr(&mut self, id: ExprId) -> Val {
        let ir = self.ir;
        match &ir.expr(id).kind {
            ExprKind::Missing | ExprKind::Lit(_) | ExprKind::Continue => None,
            ExprKind::Local(l) => Some((self.local(*l), 0)),
            ExprKind::Path(p) => self.path_value(id, *p),
            ExprKind::Call { callee, args } => self.call(id, *callee, *args),
            ExprKind::MethodCall(m) => self.method_call(id, ir.method_call(*m)),
            ExprKind::Macro(m) => self.macro_call(id, ir.macro_call(*m)),
            ExprKind::Closure(c) => self.closure(id, ir.closure(*c)),
            ExprKind::Block(b) => self.block(id, ir.block(*b)),
            ExprKind::If { cond, then, els } => {
                self.expr(*cond);
                let then = self.expr(*then);
                let els = els.and_then(|e| self.expr(e));
                self.join(id, &[then, els])
            }
            ExprKind::Let { pat, expr } => {
                let value = self.expr(*expr);
                self.bind(*pat, value, Step::Expr(id), None);
                None
            }
            ExprKind::Match { scrutinee, arms } => {
                let value = self.expr(*scrutinee);
                let mut results = Vec::new();
                for arm in ir.list(*arms) {
                    self.bind(arm.pat, value, Step::Expr(id), None);
                    if let Some(g) = arm.guard {
                        self.expr(g);
                    }
                    results.push(self.expr(arm.body));
                }
                self.join(id, &results)
            }
            ExprKind::Loop { body, label } => {
                let result = self.temp(id);
                self.loops.push((id, *label, result));
                self.expr(*body);
                self.loops.pop();
                Some((result, 0))
            }
            ExprKind::While { cond, body, label } => {
                let result = self.temp(id);
                self.loops.push((id, *label, result));
                self.expr(*cond);
                self.expr(*body);
                self.loops.pop();
                None
            }
            ExprKind::For {
                pat,
                iter,
                body,
                label,
            } => {
                let value = self.expr(*iter);
                self.bind(*pat, value, Step::Expr(id), None);
                let result = self.temp(id);
                self.loops.push((id, *label, result));
                self.expr(*body);
                self.loops.pop();
                None
            }
            ExprKind::Assign { place, value } => {
                let v = self.expr(*value);
                self.assign(*place, v, Step::Expr(id));
                None
            }
            ExprKind::AssignOp { op, place, value } => {
                let v = self.expr(*value);
                // `s += other` moves `other` into `s` only for owned right-hand sides
                // (`String += &str` borrows); numbers carry nothing either way.
                if *op == BinOp::Add {
                    self.assign_into(*place, v, Why::Assign, Step::Expr(id));
                } else {
                    self.expr(*place);
                }
                None
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let l = self.expr(*lhs);
                self.expr(*rhs);
                match (op, l) {
                    // `String + &str` moves the left side into the result. Numbers, read through
                    // a reference or a box (`*b + 1`), make new values and carry nothing.
                    (BinOp::Add, Some((n, 0))) => {
                        let t = self.temp(id);
                        self.edge(Some((n, 0)), t, Why::Assign, Step::Expr(id), None);
                        Some((t, 0))
                    }
                    _ => None,
                }
            }
            ExprKind::Unary { op, expr } => {
                let v = self.expr(*expr);
                match op {
                    UnOp::Deref => v.map(|(n, d)| (n, (d + 1).min(2))),
                    UnOp::Not | UnOp::Neg => None,
                }
            }
            ExprKind::Ref { expr, .. } => {
                let v = self.expr(*expr);
                v.map(|(n, d)| (n, (d - 1).max(-1)))
            }
            ExprKind::Field { base, .. } | ExprKind::Index { base, .. } => {
                if let ExprKind::Index { index, .. } = &ir.expr(id).kind {
                    self.expr(*index);
                }
                let v = self.expr(*base);
                v.map(|(n, d)| (n, self.project(n, d)))
            }
            ExprKind::Struct(s) => self.struct_lit(id, ir.struct_lit(*s)),
            ExprKind::Tuple(list) | ExprKind::Array(list) => {
                let values = self.exprs(*list);
                if values.iter().all(|(_, v)| v.is_none()) {
                    return None;
                }
                let t = self.temp(id);
                for (e, v) in values {
                    self.edge(v, t, Why::Element, Step::Expr(e), None);
                }
                Some((t, 0))
            }
            ExprKind::Repeat { elem, len } => {
                self.expr(*len);
                let v = self.expr(*elem);
                v?;
                let t = self.temp(id);
                self.edge(v, t, Why::Element, Step::Expr(id), None);
                Some((t, 0))
            }
            ExprKind::Cast { expr, ty } => {
                let v = self.expr(*expr);
                v?;
                let t = self.temp(id);
                self.edge(v, t, Why::Cast, Step::Expr(id), Some(self.here(*ty)));
                Some((t, 0))
            }
            ExprKind::Return(value) => {
                let v = value.and_then(|e| self.expr(e));
                let ret = self.return_node();
                let ty = if self.closures.is_empty() {
                    self.fn_ret_ty()
                } else {
                    None
                };
                self.edge(v, ret, Why::Return, Step::Expr(id), ty);
                None
            }
            ExprKind::Break { label, value } => {
                let v = value.and_then(|e| self.expr(e));
                let target = match label {
                    Some(l) => self.loops.iter().rev().find(|(_, lab, _)| *lab == Some(*l)),
                    None => self.loops.last(),
                }
                .map(|&(_, _, n)| n);
                if let Some(t) = target {
                    self.edge(v, t, Why::Break, Step::Expr(id), None);
                }
                None
            }
            ExprKind::Try(e) => {
                let v = self.expr(*e);
                // The error side returns from the function (or closure).
                let ret = self.return_node();
                self.edge(v, ret, Why::Try, Step::Expr(id), None);
                v
            }
            ExprKind::Await(e) => self.expr(*e),
            ExprKind::Yield(v) => {
                let v = v.and_then(|e| self.expr(e));
                let heap = self.graph.heap;
                self.edge(v, heap, Why::Return, Step::Expr(id), None);
                None
            }
            ExprKind::Range { lo, hi } => {
                if let Some(l) = lo {
                    self.expr(*l);
                }
                if let Some(h) = hi {
                    self.expr(*h);
                }
                None
            }
        }
    }

    /// A field or index of a value: through a pointer (a reference, a box, a vector's buffer)
    /// it is one more dereference away; of a value held inline (a struct, an array) it is part
    /// of it.
    fn project(&self, n: NodeId, d: i8) -> i8 {
        let through_pointer = match self.graph.node(n) {
            Node::Local(l) => self.is_ref_local(l) || self.pointer[l.index()],
            Node::Alloc(_) | Node::Pointee(_) => true,
            _ => false,
        };
        if through_pointer && d <= 0 {
            d + 1
        } else {
            d.max(0)
        }
    }

    /// Several values that can each be the result: a node that all of them flow into.
    fn join(&mut self, id: ExprId, values: &[Val]) -> Val {
        let present: Vec<(NodeId, i8)> = values.iter().flatten().copied().collect();
        match present.as_slice() {
            [] => None,
            [one] => Some(*one),
            _ => {
                let t = self.temp(id);
                for v in present {
                    self.edge(Some(v), t, Why::Branch, Step::Expr(id), None);
                }
                Some((t, 0))
            }
        }
    }

    fn block(&mut self, id: ExprId, block: &Block) -> Val {
        for stmt in self.ir.list(block.stmts) {
            match *stmt {
                Stmt::Let(let_id) => {
                    let l = self.ir.let_stmt(let_id);
                    if let (Some(init), PatKind::Bind { local, sub: None }) =
                        (l.init, &self.ir.pat(l.pat).kind)
                        && self.is_fresh(init)
                    {
                        self.fresh[local.index()] = true;
                    }
                    let v = l.init.and_then(|e| self.expr(e));
                    if let Some(els) = l.els {
                        self.expr(els);
                    }
                    let ty = l.ty.map(|t| self.here(t));
                    self.bind(l.pat, v, Step::Let(let_id), ty);
                }
                Stmt::Expr { expr, .. } => {
                    self.expr(expr);
                }
                Stmt::Item(_) => {}
            }
        }
        let tail = block.tail.and_then(|t| self.expr(t));
        if block.label.is_some() {
            // A labelled block's value can also come from `break 'label value`.
            let t = self.temp(id);
            self.edge(tail, t, Why::Assign, Step::Expr(id), None);
            return Some((t, 0));
        }
        tail
    }

    /// Binds a pattern to a value: every binding receives it, field-insensitively.
    fn bind(&mut self, pat: PatId, value: Val, step: Step, ty: Option<TypeAt>) {
        let Some((n, d)) = value else { return };
        match &self.ir.pat(pat).kind {
            PatKind::Bind { local, sub } => {
                let dst = self.local(*local);
                if d == 0 && matches!(self.graph.node(n), Node::Alloc(_)) {
                    self.pointer[local.index()] = true;
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
    fn assign(&mut self, place: ExprId, value: Val, step: Step) {
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
    fn assign_into(&mut self, place: ExprId, value: Val, why: Why, step: Step) {
        let target = self.target(place);
        let ty = self.place_ty(place);
        self.store(target, value, why, step, ty);
    }

    fn store(&mut self, target: Target, value: Val, why: Why, step: Step, ty: Option<TypeAt>) {
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
    fn target(&mut self, place: ExprId) -> Target {
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
                match method_kind(m.method.as_str()) {
                    Some(MethodKind::Borrow) | Some(MethodKind::Consume) => self.target(m.receiver),
                    _ => Target::Unknown,
                }
            }
            _ => Target::Unknown,
        }
    }

    /// The declared type of the place being stored into, when its root is a typed local.
    fn place_ty(&self, place: ExprId) -> Option<TypeAt> {
        match self.ir.expr(place).kind {
            ExprKind::Local(l) => self.bcx.body.local(l).ty.map(|t| self.here(t)),
            ExprKind::MethodCall(m) => {
                let m = self.ir.method_call(m);
                match method_kind(m.method.as_str()) {
                    Some(MethodKind::Borrow) | Some(MethodKind::Consume) => {
                        self.place_ty(m.receiver)
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Whether an expression makes a new owned value, as opposed to one that may be a
    /// reference to memory elsewhere.
    fn is_fresh(&self, e: ExprId) -> bool {
        match &self.ir.expr(e).kind {
            ExprKind::Struct(_)
            | ExprKind::Tuple(_)
            | ExprKind::Array(_)
            | ExprKind::Repeat { .. } => true,
            ExprKind::Macro(m) => {
                let name = self.ir.path_last(self.ir.path(self.ir.macro_call(*m).path));
                name.is_some_and(|n| n.is("vec") || n.is("format"))
            }
            ExprKind::Call { callee, .. } => match self.resolve(*callee) {
                Some(Resolved {
                    def: Def::External(path),
                    rest: 0,
                    ..
                }) => path.last().is_some_and(|name| {
                    matches!(
                        name.as_str(),
                        "new" | "with_capacity" | "default" | "from" | "from_iter"
                    )
                }),
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
            ExprKind::MethodCall(m) => matches!(
                self.ir.method_call(*m).method.as_str(),
                "collect"
                    | "to_vec"
                    | "to_string"
                    | "to_owned"
                    | "clone"
                    | "into_iter"
                    | "into_boxed_slice"
            ),
            _ => false,
        }
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

    fn resolve(&self, expr: ExprId) -> Option<Resolved> {
        self.bcx.resolve_path(expr)
    }

    /// A path in value position: a static is the heap; constants and functions carry nothing.
    fn path_value(&mut self, id: ExprId, _path: PathId) -> Val {
        if self.static_path(id) {
            return Some((self.graph.heap, 0));
        }
        None
    }

    fn struct_lit(&mut self, id: ExprId, lit: &StructLit) -> Val {
        let field_tys = self.field_types(lit.path);
        let fields: Vec<(Sym, ExprId)> = self.ir.list(lit.fields).to_vec();
        let mut values = Vec::new();
        for (name, e) in fields {
            values.push((name, e, self.expr(e)));
        }
        let rest = lit.rest.and_then(|r| self.expr(r));
        if values.iter().all(|(_, _, v)| v.is_none()) && rest.is_none() {
            return None;
        }
        let t = self.temp(id);
        for (name, e, v) in values {
            let ty = field_tys.iter().find(|(n, _)| *n == name).map(|(_, t)| *t);
            self.edge(v, t, Why::Field, Step::Expr(e), ty);
        }
        self.edge(rest, t, Why::Field, Step::Expr(id), None);
        Some((t, 0))
    }

    /// The declared field types of the struct (or enum variant) a path names.
    fn field_types(&self, path: PathId) -> Vec<(Sym, TypeAt)> {
        let index = &self.bcx.cx.index;
        let Some(resolved) = self.bcx.resolve_path_id(path) else {
            return Vec::new();
        };
        let Def::Item(file, item) = resolved.def else {
            return Vec::new();
        };
        let Some(ir) = index.ir(file) else {
            return Vec::new();
        };
        let Some(scope) = index.item_scope(file, item) else {
            return Vec::new();
        };
        let variant = match &ir.item(item).kind {
            ItemKind::Struct(adt) | ItemKind::Union(adt) if resolved.rest == 0 => {
                adt.variants.first()
            }
            ItemKind::Enum(adt) if resolved.rest == 1 => {
                let name = self.ir.path_last(self.ir.path(path));
                adt.variants.iter().find(|v| Some(v.name) == name)
            }
            _ => None,
        };
        let Some(variant) = variant else {
            return Vec::new();
        };
        variant
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                (
                    f.name.unwrap_or_else(|| Sym::new(&i.to_string())),
                    TypeAt { scope, ty: f.ty },
                )
            })
            .collect()
    }

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
                            .is_some_and(|p| spawner(&p));
                    }
                    match crate::facts::types::let_inits(self.bcx).get(l) {
                        Some(&init) => at = init,
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
                    return path.split_last().is_some_and(|(_, ty)| spawner(ty));
                }
                _ => return false,
            }
        }
        false
    }

    fn closure(&mut self, id: ExprId, c: &Closure) -> Val {
        let node = self.node(Node::Closure(id));
        self.graph.closures.push(ClosureSite {
            expr: id,
            node,
            in_loop: self.loops.last().map(|l| l.0),
        });
        let first_edge = self.graph.edges.len();
        self.closures.push(id);
        let loops = std::mem::take(&mut self.loops);
        let value = self.expr(c.body);
        self.loops = loops;
        let ret = self.node_for_closure_return(id);
        let ret_ty = c.ret.map(|t| self.here(t));
        self.edge(value, ret, Why::Return, Step::Expr(c.body), ret_ty);
        self.closures.pop();
        // What the closure returns goes to whoever calls it: code we do not follow.
        let unknown = self.graph.unknown;
        self.graph.edges.push(Edge {
            src: ret,
            dst: unknown,
            derefs: 0,
            carry: Carry::Move,
            why: Why::ClosureReturn,
            step: Step::Expr(id),
            ty: None,
        });
        // Captures: by value for `move` closures and for locals the body moves; by reference
        // otherwise. An operand of `+` is taken as copied: numbers are the common case, and a
        // closure that only reads a number borrows it.
        let ir = self.ir;
        for capture in self.ir.list(c.captures) {
            let local = self.local(capture.local);
            let moved_inside = self.graph.edges[first_edge..].iter().any(|e| {
                e.src == local
                    && e.derefs == 0
                    && e.carry == Carry::Move
                    && !matches!(e.step, Step::Expr(s) if matches!(ir.expr(s).kind, ExprKind::Binary { .. }))
            });
            let d = if c.is_move || moved_inside { 0 } else { -1 };
            self.graph.edges.push(Edge {
                src: local,
                dst: node,
                derefs: d,
                carry: if d < 0 { Carry::Borrow } else { Carry::Move },
                why: Why::Capture,
                step: Step::Expr(id),
                ty: None,
            });
        }
        Some((node, 0))
    }

    fn macro_call(&mut self, id: ExprId, m: &MacroCall) -> Val {
        let name = self
            .ir
            .path_last(self.ir.path(m.path))
            .map(|s| s.as_str())
            .unwrap_or("");
        match (name, m.args) {
            ("vec", MacroArgs::List(list)) => {
                let values = self.exprs(list);
                let node = self.alloc(id, AllocKind::Vec, None);
                for (e, v) in values {
                    self.edge(v, node, Why::Element, Step::Expr(e), None);
                }
                Some((node, 0))
            }
            ("vec", MacroArgs::Repeat { elem, len }) => {
                self.expr(len);
                let v = self.expr(elem);
                let node = self.alloc(id, AllocKind::Vec, None);
                self.edge(v, node, Why::Element, Step::Expr(elem), None);
                Some((node, 0))
            }
            ("format", MacroArgs::List(list)) => {
                // Format arguments are borrowed.
                self.exprs(list);
                Some((self.alloc(id, AllocKind::String, None), 0))
            }
            ("dbg", MacroArgs::List(list)) => {
                let values = self.exprs(list);
                values.last().and_then(|(_, v)| *v)
            }
            (_, MacroArgs::List(list)) if is_borrowing_macro(name) => {
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

    // -----------------------------------------------------------------------------------------
    // Calls

    fn call(&mut self, id: ExprId, callee: ExprId, args: List<ExprId>) -> Val {
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
            Def::External(path) if resolved.rest == 0 => match known_call(path) {
                Some(Known::Alloc(kind)) => {
                    let arg = values.first().map(|(e, _)| *e);
                    let node = self.alloc(id, kind, arg);
                    for (e, v) in &values {
                        self.edge(*v, node, Why::Element, Step::Expr(*e), None);
                    }
                    Some((node, 0))
                }
                Some(Known::Drop) => None,
                Some(Known::Leak) => {
                    let heap = self.graph.heap;
                    for (_, v) in &values {
                        self.edge(*v, heap, Why::Leak, step, None);
                    }
                    // `Box::leak` returns a `'static` reference into what was leaked.
                    Some((heap, 0))
                }
                Some(Known::Spawn) => {
                    let heap = self.graph.heap;
                    for (_, v) in &values {
                        self.edge(*v, heap, Why::Spawn, step, None);
                    }
                    Some((self.temp(id), 0))
                }
                Some(Known::Wrap) => self.wrap(id, &values),
                Some(Known::Replace) => {
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

    fn method_call(&mut self, id: ExprId, m: &MethodCall) -> Val {
        let receiver = self.expr(m.receiver);
        let values = self.exprs(m.args);
        let step = Step::Expr(id);
        let name = m.method.as_str();
        // A method of the crate, when the receiver's type is known.
        if let Some(key) = self.crate_method(m) {
            return self.crate_call(id, key, Some(receiver), &values);
        }
        match name {
            "to_string" | "to_owned" | "to_vec" | "collect" => {
                let kind = match name {
                    "to_vec" => AllocKind::Vec,
                    "collect" => AllocKind::Collect,
                    _ => AllocKind::String,
                };
                let node = self.alloc(id, kind, None);
                if name == "collect" {
                    // The collected elements come from the iterator.
                    self.edge(receiver, node, Why::Element, step, None);
                }
                return Some((node, 0));
            }
            // `thread::Builder::spawn`, `JoinSet::spawn`, `Runtime::spawn`: work handed to
            // another thread or task. A scoped `s.spawn` (whose receiver is not one of these)
            // stays unknown: its work ends before the scope does.
            "spawn" | "spawn_blocking" | "spawn_local" | "spawn_scoped"
                if self.spawns_work(m.receiver) =>
            {
                let heap = self.graph.heap;
                for (_, v) in &values {
                    self.edge(*v, heap, Why::Spawn, step, None);
                }
                return Some((self.temp(id), 0));
            }
            _ => {}
        }
        match method_kind(name) {
            Some(MethodKind::Store) => {
                let target = self.target(m.receiver);
                let ty = self.place_ty(m.receiver);
                for (e, v) in &values {
                    self.store(
                        match &target {
                            Target::Local(l) => Target::Local(*l),
                            Target::Pointee(l) => Target::Pointee(*l),
                            Target::Heap => Target::Heap,
                            Target::Unknown => Target::Unknown,
                        },
                        *v,
                        Why::Container,
                        Step::Expr(*e),
                        ty,
                    );
                }
                Some((self.temp(id), 0))
            }
            Some(MethodKind::Send) => {
                let heap = self.graph.heap;
                for (_, v) in &values {
                    self.edge(*v, heap, Why::Spawn, step, None);
                }
                Some((self.temp(id), 0))
            }
            Some(MethodKind::Borrow) => {
                for (_, v) in &values {
                    self.moved_to_unknown(*v, step);
                }
                let t = self.temp(id);
                self.borrow_edge(receiver, t, Why::MethodReceiver, step);
                Some((t, 0))
            }
            Some(MethodKind::Consume) => {
                for (_, v) in &values {
                    self.moved_to_unknown(*v, step);
                }
                let t = self.temp(id);
                self.edge(receiver, t, Why::MethodReceiver, step, None);
                Some((t, 0))
            }
            Some(MethodKind::Neutral) => {
                for (_, v) in &values {
                    self.moved_to_unknown(*v, step);
                }
                Some((self.temp(id), 0))
            }
            Some(MethodKind::Leak) => {
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

    /// A crate method called on a receiver whose type is known: `self.m()` in an impl, or a
    /// local declared with a crate type.
    fn crate_method(&self, m: &MethodCall) -> Option<FnKey> {
        let index = &self.bcx.cx.index;
        let ty = match self.ir.expr(m.receiver).kind {
            ExprKind::Local(l) if self.bcx.body.local(l).kind == LocalKind::SelfParam => {
                self.bcx.self_type()?
            }
            ExprKind::Local(l) => {
                let ty = self.bcx.body.local(l).ty?;
                let ty = match self.ir.ty(ty).kind {
                    TyKind::Ref { ty, .. } => ty,
                    _ => ty,
                };
                let TyKind::Path(p) = self.ir.ty(ty).kind else {
                    return None;
                };
                match self.bcx.resolve_path_id(p)? {
                    Resolved {
                        def: Def::Item(f, i),
                        rest: 0,
                        ..
                    } => (f, i),
                    _ => return None,
                }
            }
            _ => return None,
        };
        index.inherent_method(ty, m.method)
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
}

/// Macros whose arguments are only borrowed: the format family and assertions.
fn is_borrowing_macro(name: &str) -> bool {
    matches!(
        name,
        "print"
            | "println"
            | "eprint"
            | "eprintln"
            | "write"
            | "writeln"
            | "panic"
            | "format_args"
            | "unreachable"
            | "todo"
            | "unimplemented"
            | "assert"
            | "assert_eq"
            | "assert_ne"
            | "debug_assert"
            | "debug_assert_eq"
            | "debug_assert_ne"
            | "matches"
            | "trace"
            | "debug"
            | "info"
            | "warn"
            | "error"
    )
}
