//! Walking a body's expressions.

use super::*;

/// Calls `f` for each expression directly inside `kind`, in evaluation order. Items declared
/// in blocks are separate bodies and are not entered.
pub fn children(ir: &FileIr, kind: &ExprKind, mut f: impl FnMut(ExprId)) {
    let each =
        |list: List<ExprId>, f: &mut dyn FnMut(ExprId)| ir.list(list).iter().for_each(|&e| f(e));
    match kind {
        ExprKind::Missing
        | ExprKind::Local(_)
        | ExprKind::Path(_)
        | ExprKind::Lit(_)
        | ExprKind::Continue => {}
        ExprKind::Call { callee, args } => {
            f(*callee);
            each(*args, &mut f);
        }
        ExprKind::MethodCall(id) => {
            let m = ir.method_call(*id);
            f(m.receiver);
            each(m.args, &mut f);
        }
        ExprKind::Macro(id) => match ir.macro_call(*id).args {
            MacroArgs::List(args) | MacroArgs::Opaque(args) => each(args, &mut f),
            MacroArgs::Repeat { elem, len } => {
                f(elem);
                f(len);
            }
        },
        ExprKind::Closure(id) => f(ir.closure(*id).body),
        ExprKind::Block(id) => {
            let block = ir.block(*id);
            for stmt in ir.list(block.stmts) {
                match *stmt {
                    Stmt::Let(l) => {
                        let l = ir.let_stmt(l);
                        if let Some(init) = l.init {
                            f(init);
                        }
                        if let Some(els) = l.els {
                            f(els);
                        }
                    }
                    Stmt::Expr { expr, .. } => f(expr),
                    Stmt::Item(_) => {}
                }
            }
            if let Some(tail) = block.tail {
                f(tail);
            }
        }
        ExprKind::If { cond, then, els } => {
            f(*cond);
            f(*then);
            if let Some(e) = els {
                f(*e);
            }
        }
        ExprKind::Let { expr, .. } => f(*expr),
        ExprKind::Match { scrutinee, arms } => {
            f(*scrutinee);
            for arm in ir.list(*arms) {
                if let Some(g) = arm.guard {
                    f(g);
                }
                f(arm.body);
            }
        }
        ExprKind::Loop { body, .. } => f(*body),
        ExprKind::While { cond, body, .. } => {
            f(*cond);
            f(*body);
        }
        ExprKind::For { iter, body, .. } => {
            f(*iter);
            f(*body);
        }
        ExprKind::Assign { place, value } | ExprKind::AssignOp { place, value, .. } => {
            f(*value);
            f(*place);
        }
        ExprKind::Binary { lhs, rhs, .. } => {
            f(*lhs);
            f(*rhs);
        }
        ExprKind::Unary { expr, .. }
        | ExprKind::Ref { expr, .. }
        | ExprKind::Cast { expr, .. }
        | ExprKind::Try(expr)
        | ExprKind::Await(expr) => f(*expr),
        ExprKind::Field { base, .. } => f(*base),
        ExprKind::Index { base, index } => {
            f(*base);
            f(*index);
        }
        ExprKind::Struct(id) => {
            let s = ir.struct_lit(*id);
            ir.list(s.fields).iter().for_each(|(_, e)| f(*e));
            if let Some(rest) = s.rest {
                f(rest);
            }
        }
        ExprKind::Tuple(elems) | ExprKind::Array(elems) => each(*elems, &mut f),
        ExprKind::Repeat { elem, len } => {
            f(*elem);
            f(*len);
        }
        ExprKind::Return(value) | ExprKind::Yield(value) | ExprKind::Break { value, .. } => {
            if let Some(v) = value {
                f(*v);
            }
        }
        ExprKind::Range { lo, hi } => {
            if let Some(l) = lo {
                f(*l);
            }
            if let Some(h) = hi {
                f(*h);
            }
        }
    }
}

/// Where a walk is: the loops and closures around the current expression, innermost last.
#[derive(Debug, Default)]
pub struct Context {
    pub loops: Vec<ExprId>,
    pub closures: Vec<ExprId>,
}

/// Visits every expression under `root`, parents before children, with the loops and
/// closures around each. A closure's body is its own iteration, so a loop around a closure is
/// not counted inside it.
pub fn walk(ir: &FileIr, root: ExprId, f: &mut impl FnMut(&Context, ExprId, &Expr)) {
    let mut cx = Context::default();
    walk_in(ir, root, &mut cx, f);
}

fn walk_in(ir: &FileIr, id: ExprId, cx: &mut Context, f: &mut impl FnMut(&Context, ExprId, &Expr)) {
    let expr = ir.expr(id);
    f(cx, id, expr);
    match &expr.kind {
        // The iterator of a `for` runs once, before the loop.
        ExprKind::For { iter, body, .. } => {
            walk_in(ir, *iter, cx, f);
            cx.loops.push(id);
            walk_in(ir, *body, cx, f);
            cx.loops.pop();
        }
        ExprKind::Loop { .. } | ExprKind::While { .. } => {
            cx.loops.push(id);
            children(ir, &expr.kind, |child| walk_in(ir, child, cx, f));
            cx.loops.pop();
        }
        ExprKind::Closure(_) => {
            let loops = std::mem::take(&mut cx.loops);
            cx.closures.push(id);
            children(ir, &expr.kind, |child| walk_in(ir, child, cx, f));
            cx.closures.pop();
            cx.loops = loops;
        }
        kind => children(ir, kind, |child| walk_in(ir, child, cx, f)),
    }
}
