//! Expressions: each is evaluated to the location its value lives in.

use super::{Builder, Val};
use crate::escape::graph::{Carry, ClosureSite, Edge, Node, NodeId, Step, TypeAt, Why};
use crate::index::Def;
use crate::ir::*;
use crate::sym::Sym;

impl<'b, 'c, 'a> Builder<'b, 'c, 'a> {
    pub(super) fn exprs(&mut self, list: List<ExprId>) -> Vec<(ExprId, Val)> {
        self.ir
            .list(list)
            .iter()
            .map(|&e| (e, self.expr(e)))
            .collect()
    }

    pub(super) fn expr(&mut self, id: ExprId) -> Val {
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
            ExprKind::If { .. }
            | ExprKind::Let { .. }
            | ExprKind::Match { .. }
            | ExprKind::Loop { .. }
            | ExprKind::While { .. }
            | ExprKind::For { .. }
            | ExprKind::Return(_)
            | ExprKind::Break { .. }
            | ExprKind::Try(_)
            | ExprKind::Await(_)
            | ExprKind::Yield(_) => self.control(id),
            ExprKind::Assign { .. }
            | ExprKind::AssignOp { .. }
            | ExprKind::Binary { .. }
            | ExprKind::Unary { .. }
            | ExprKind::Ref { .. }
            | ExprKind::Field { .. }
            | ExprKind::Index { .. }
            | ExprKind::Cast { .. }
            | ExprKind::Range { .. } => self.operator(id),
            ExprKind::Struct(_)
            | ExprKind::Tuple(_)
            | ExprKind::Array(_)
            | ExprKind::Repeat { .. } => self.aggregate(id),
        }
    }

    /// Branches, loops and jumps: `if`, `match`, loops, `return`, `break`, `?`, `.await`.
    fn control(&mut self, id: ExprId) -> Val {
        let ir = self.ir;
        match &ir.expr(id).kind {
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
            _ => unreachable!("not control flow"),
        }
    }

    /// Assignments and operators, field and index projections, casts and ranges.
    fn operator(&mut self, id: ExprId) -> Val {
        let ir = self.ir;
        match &ir.expr(id).kind {
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
            ExprKind::Cast { expr, ty } => {
                let v = self.expr(*expr);
                v?;
                let t = self.temp(id);
                self.edge(v, t, Why::Cast, Step::Expr(id), Some(self.here(*ty)));
                Some((t, 0))
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
            _ => unreachable!("not an operator"),
        }
    }

    /// Struct literals, tuples and arrays: their parts flow into the value.
    fn aggregate(&mut self, id: ExprId) -> Val {
        let ir = self.ir;
        match &ir.expr(id).kind {
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
            _ => unreachable!("not an aggregate"),
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
            .named_fields()
            .map(|(name, f)| (name, TypeAt { scope, ty: f.ty }))
            .collect()
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
        // What the closure returns goes to whoever calls it: code we do not follow, unless a
        // call that runs it in place says otherwise.
        let unknown = self.graph.unknown;
        self.closure_return_edges.insert(id, self.graph.edges.len());
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
}
