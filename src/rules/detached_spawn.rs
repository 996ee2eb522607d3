//! `detached_spawn`: a spawned thread or task whose handle is dropped, so that nothing can
//! join it, cancel it or see it fail.
//!
//! `std::thread::spawn(..);` as a statement, `let _ = tokio::spawn(..);`, and the same through
//! `thread::Builder` (`.spawn(..).unwrap();`), `spawn_blocking`, a tokio `Runtime` or
//! `Handle` (`rt.spawn(..)`, typed by its constructor or its local's declaration) and the
//! other spawners the API table knows. A note; inside a loop that nothing bounds, a warning: one more thread or
//! task each time around. A loop is bounded when its trip count is a constant (`for _ in 0..N`,
//! `for x in [a, b]`), or when each iteration waits for the task it spawned (a receive on the
//! channel the task signals, a wait on the barrier it shares). In test code, where nothing
//! runs long enough for tasks to pile up, it stays a note. Returning the handle, storing it,
//! awaiting it, joining it, or spawning on a `JoinSet` (which keeps the handles) are all fine.

use super::{Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Level};
use crate::escape::CrateEscape;
use crate::facts::api::{self, Effect, Handle, Runs};
use crate::facts::consts;
use crate::facts::types::{Ty, Type};
use crate::facts::values::env_of;
use crate::facts::{BodyCx, CrateCx};
use crate::index::Def;
use crate::ir::*;
use crate::sym::FxHashMap;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "detached_spawn",
        default_level: Level::Note,
        verbosity: 0,
        summary: "a spawned thread or task whose handle is dropped: nothing joins it or sees it fail (a warning in a loop)",
        page: include_str!("../../lints/detached_spawn.md"),
        escape: false,
    },
    check,
};

/// A constant trip count above this many is not small: that many tasks run at once.
const SMALL: i128 = 1024;

fn check(cx: &CrateCx<'_>, _: &CrateEscape, out: &mut Vec<Diagnostic>) {
    for bcx in cx.owned_bodies() {
        let ir = bcx.ir;
        let mut origins: Option<Origins> = None;
        walk::walk(ir, bcx.body.value, &mut |context, _, expr| {
            let ExprKind::Block(b) = expr.kind else {
                return;
            };
            for stmt in ir.list(ir.block(b).stmts) {
                // `spawn(..);` and `let _ = spawn(..);` drop the handle on the spot.
                let dropped = match *stmt {
                    Stmt::Expr { expr, semi: true } => Some(expr),
                    Stmt::Let(l) => {
                        let l = ir.let_stmt(l);
                        matches!(ir.pat(l.pat).kind, PatKind::Wild)
                            .then_some(l.init)
                            .flatten()
                    }
                    _ => None,
                };
                let Some(dropped) = dropped else { continue };
                let Some(what) = spawned(&bcx, dropped) else {
                    continue;
                };
                let in_loop = context.loops.last().map(|&l| {
                    let origins = origins.get_or_insert_with(|| Origins::of_body(&bcx));
                    (l, bound(&bcx, origins, l, dropped))
                });
                out.push(finding(&bcx, dropped, what, in_loop));
            }
        });
    }
}

/// A spawn whose result is `expr` (through `.unwrap()` and `.expect(..)`): "thread" or "task".
/// Only spawns whose handle detaches the work when dropped count: dropping a `smol` task
/// cancels it, and `rayon::spawn` gives no handle. Of the spawning methods, only a thread
/// builder's are followed.
fn spawned(bcx: &BodyCx<'_, '_>, expr: ExprId) -> Option<&'static str> {
    let ir = bcx.ir;
    match &ir.expr(expr).kind {
        ExprKind::Call { callee, .. } => {
            let resolved = bcx.resolve_path(*callee)?;
            let spawn = api::path(resolved.def.external_path()?).spawns()?;
            if spawn.handle != Handle::Detaches {
                return None;
            }
            match spawn.runs {
                Runs::Thread => Some("thread"),
                Runs::Task | Runs::BlockingThread => Some("task"),
                Runs::OnReceiver => None,
            }
        }
        ExprKind::MethodCall(m) => {
            let m = ir.method_call(*m);
            let api = api::method(m.method);
            if api.has(Effect::UnwrapsOrPanics) {
                return spawned(bcx, m.receiver);
            }
            let spawn = api.spawns()?;
            if spawn.handle != Handle::Detaches {
                return None;
            }
            let spawner = receiver_spawner(bcx, m.receiver, 0)?;
            if spawner.keeps_handles {
                return None;
            }
            // `rt.spawn_blocking(..)`: only a runtime's, whose handle detaches.
            match (spawn.runs, spawner.runs) {
                (Runs::OnReceiver, Runs::Thread) => Some("thread"),
                (Runs::OnReceiver | Runs::BlockingThread, Runs::Task) => Some("task"),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The spawner a method's receiver is, from the constructor at the root of its chain
/// (`thread::Builder::new().name(..)`, `Handle::current()`, `Runtime::new().unwrap()`), or a
/// local declared with, or initialized by, one (`rt.spawn(..)`, `handle.spawn(..)`).
fn receiver_spawner(bcx: &BodyCx<'_, '_>, receiver: ExprId, depth: u32) -> Option<api::Spawner> {
    let ir = bcx.ir;
    if depth > 4 {
        return None;
    }
    let mut root = receiver;
    loop {
        match ir.expr(root).kind {
            ExprKind::MethodCall(inner) => root = ir.method_call(inner).receiver,
            ExprKind::Try(inner) | ExprKind::Ref { expr: inner, .. } => root = inner,
            _ => break,
        }
    }
    match ir.expr(root).kind {
        ExprKind::Call { callee, .. } => {
            let resolved = bcx.resolve_path(callee)?;
            let (_, ty) = resolved.def.external_path()?.split_last()?;
            api::spawner(ty)
        }
        ExprKind::Local(l) => match bcx.body.local(l).ty {
            Some(ty) => {
                let mut ty = ty;
                while let TyKind::Ref { ty: inner, .. } = ir.ty(ty).kind {
                    ty = inner;
                }
                api::spawner(&crate::facts::types::std_type(bcx, ty)?)
            }
            None => receiver_spawner(bcx, bcx.let_init(l)?, depth + 1),
        },
        // A field (`self.rt`, `self.shared` of type `Arc<Runtime>`): its type, through the
        // pointers that deref to what they hold.
        _ => {
            let mut ty = crate::facts::types::ty_of(bcx, root)?;
            for _ in 0..4 {
                if let Ty::Named(Type::External(path), _) = &ty
                    && let Some(spawner) = api::spawner(path)
                {
                    return Some(spawner);
                }
                ty = ty.deref()?;
            }
            None
        }
    }
}

/// What bounds how many of a loop's detached tasks run at once.
enum Bound {
    /// Nothing the code shows.
    Nothing,
    /// The loop runs a constant, small number of times.
    Small,
    /// The loop runs a constant number of times, but up to this many: more than [`SMALL`].
    Large(i128),
    /// Each iteration waits, at this expression, for the work it spawned.
    Waits(ExprId),
}

/// What bounds the tasks `spawn` (in `loop_expr`) starts.
fn bound(bcx: &BodyCx<'_, '_>, origins: &Origins, loop_expr: ExprId, spawn: ExprId) -> Bound {
    match trip_count(bcx, loop_expr) {
        Some(n) if n > SMALL => Bound::Large(n),
        Some(_) => Bound::Small,
        None => match waits_for(bcx, origins, loop_expr, spawn) {
            Some(wait) => Bound::Waits(wait),
            None => Bound::Nothing,
        },
    }
}

/// An upper bound on a `for` loop's trip count, when it is a constant: `for _ in 0..N` (with
/// `N` a constant the evaluator knows), `for x in [a, b, c]`, through `.iter()` and `.rev()`.
fn trip_count(bcx: &BodyCx<'_, '_>, loop_expr: ExprId) -> Option<i128> {
    let ir = bcx.ir;
    let ExprKind::For { mut iter, .. } = ir.expr(loop_expr).kind else {
        return None;
    };
    // `&[a, b]`, `[a, b].iter()`, `(0..N).rev()`: the same count.
    loop {
        match ir.expr(iter).kind {
            ExprKind::Ref { expr, .. } => iter = expr,
            ExprKind::MethodCall(m) => {
                let m = ir.method_call(m);
                if !["iter", "into_iter", "iter_mut", "rev", "enumerate"]
                    .iter()
                    .any(|n| m.method.is(n))
                {
                    return None;
                }
                iter = m.receiver;
            }
            _ => break,
        }
    }
    match ir.expr(iter).kind {
        ExprKind::Array(items) => Some(ir.list(items).len() as i128),
        ExprKind::Range {
            lo: Some(lo),
            hi: Some(hi),
        } => {
            let lo = constant(bcx, lo)?;
            let hi = constant(bcx, hi)?;
            // The IR does not tell `lo..hi` from `lo..=hi`, which runs once more.
            Some(hi.saturating_sub(lo).saturating_add(1).max(0))
        }
        _ => None,
    }
}

/// The value of a constant expression: what the evaluator knows, and a `const` declared in
/// the function's body (`const N: usize = 10;`), which it does not reach.
fn constant(bcx: &BodyCx<'_, '_>, expr: ExprId) -> Option<i128> {
    let env = env_of(bcx);
    if let Some(c) = consts::eval(bcx.cx, &env, expr) {
        return Some(c.value);
    }
    let resolved = bcx.resolve_path(expr)?;
    let Def::Item(file, item) = resolved.def else {
        return None;
    };
    let ItemKind::Const {
        body: Some(body), ..
    } = bcx.ir.item(item).kind
    else {
        return None;
    };
    if file != bcx.file() || resolved.rest != 0 {
        return None;
    }
    consts::eval(bcx.cx, &env, bcx.ir.body(body).value).map(|c| c.value)
}

/// Where each local's value comes from, so that two locals can be told to share a channel, a
/// barrier or a handle: the halves of one `let (tx, rx) = channel();`, or a clone of another.
struct Origins {
    /// Locals bound together by one tuple pattern, keyed by its first local.
    pair: FxHashMap<LocalId, LocalId>,
}

impl Origins {
    fn of_body(bcx: &BodyCx<'_, '_>) -> Origins {
        let ir = bcx.ir;
        let mut pair = FxHashMap::default();
        walk::walk(ir, bcx.body.value, &mut |_, _, expr| {
            let ExprKind::Block(b) = expr.kind else {
                return;
            };
            for stmt in ir.list(ir.block(b).stmts) {
                let Stmt::Let(l) = *stmt else { continue };
                let PatKind::Tuple(elems) = ir.pat(ir.let_stmt(l).pat).kind else {
                    continue;
                };
                let locals: Vec<LocalId> = ir
                    .list(elems)
                    .iter()
                    .filter_map(|&p| match ir.pat(p).kind {
                        PatKind::Bind { local, .. } => Some(local),
                        _ => None,
                    })
                    .collect();
                if let Some(&first) = locals.first() {
                    for local in locals {
                        pair.insert(local, first);
                    }
                }
            }
        });
        Origins { pair }
    }

    /// The local a value first came from: through `let x = y;`, `y.clone()`,
    /// `Arc::clone(&y)`, to one half of a tuple `let`.
    fn of(&self, bcx: &BodyCx<'_, '_>, mut local: LocalId) -> LocalId {
        for _ in 0..8 {
            let Some(init) = bcx.let_init(local) else {
                break;
            };
            let from = match &bcx.ir.expr(init).kind {
                ExprKind::MethodCall(m) if bcx.ir.method_call(*m).method.is("clone") => {
                    root_local(bcx.ir, bcx.ir.method_call(*m).receiver)
                }
                ExprKind::Call { callee, args } if is_clone_path(bcx, *callee) => bcx
                    .ir
                    .list(*args)
                    .first()
                    .and_then(|&a| root_local(bcx.ir, a)),
                _ => root_local(bcx.ir, init),
            };
            match from {
                Some(from) if from != local => local = from,
                _ => break,
            }
        }
        self.pair.get(&local).copied().unwrap_or(local)
    }
}

/// `Arc::clone`, `Rc::clone`.
fn is_clone_path(bcx: &BodyCx<'_, '_>, callee: ExprId) -> bool {
    let ExprKind::Path(p) = bcx.ir.expr(callee).kind else {
        return false;
    };
    bcx.ir
        .path_last(bcx.ir.path(p))
        .is_some_and(|n| n.is("clone"))
}

/// The local an expression reads, through `&`, `*` and field accesses.
fn root_local(ir: &FileIr, mut expr: ExprId) -> Option<LocalId> {
    loop {
        match ir.expr(expr).kind {
            ExprKind::Local(l) => return Some(l),
            ExprKind::Ref { expr: inner, .. }
            | ExprKind::Unary {
                op: UnOp::Deref,
                expr: inner,
            }
            | ExprKind::Field { base: inner, .. } => expr = inner,
            _ => return None,
        }
    }
}

/// Where an iteration of `loop_expr` waits for the work `spawn` started: a receive, a join, a
/// barrier or condition-variable wait, or an `.await`, on something that shares its origin with
/// a local the spawned closure captures (the other half of its channel, a clone of its
/// barrier). Closures in the loop do not count: what they wait on, they wait on elsewhere.
fn waits_for(
    bcx: &BodyCx<'_, '_>,
    origins: &Origins,
    loop_expr: ExprId,
    spawn: ExprId,
) -> Option<ExprId> {
    let ir = bcx.ir;
    let mut shared: Vec<LocalId> = Vec::new();
    walk::walk(ir, spawn, &mut |_, _, expr| match expr.kind {
        ExprKind::Closure(c) => shared.extend(
            ir.list(ir.closure(c).captures)
                .iter()
                .map(|c| origins.of(bcx, c.local)),
        ),
        ExprKind::Local(l) => shared.push(origins.of(bcx, l)),
        _ => {}
    });
    if shared.is_empty() {
        return None;
    }
    let linked =
        |e: ExprId| root_local(ir, e).is_some_and(|l| shared.contains(&origins.of(bcx, l)));
    let (cond, body) = match ir.expr(loop_expr).kind {
        ExprKind::For { body, .. } | ExprKind::Loop { body, .. } => (None, body),
        ExprKind::While { cond, body, .. } => (Some(cond), body),
        _ => return None,
    };
    let mut found = None;
    for part in cond.into_iter().chain([body]) {
        walk::walk(ir, part, &mut |context, id, expr| {
            if found.is_some() || !context.closures.is_empty() {
                return;
            }
            let waits = match expr.kind {
                ExprKind::MethodCall(m) => {
                    let m = ir.method_call(m);
                    api::method(m.method).has(Effect::WaitsForOther) && linked(m.receiver)
                }
                // A oneshot receiver, awaited.
                ExprKind::Await(inner) => linked(inner),
                _ => false,
            };
            if waits {
                found = Some(id);
            }
        });
    }
    found
}

fn finding(
    bcx: &BodyCx<'_, '_>,
    expr: ExprId,
    what: &str,
    in_loop: Option<(ExprId, Bound)>,
) -> Diagnostic {
    let ir = bcx.ir;
    let span = ir.expr(expr).span;
    let join = if what == "thread" {
        "join it"
    } else {
        "await or abort it"
    };
    let base = format!(
        "spawned {what} is detached: its handle is dropped, so nothing can {join} or see it fail"
    );
    let help = if what == "thread" {
        "keep the `JoinHandle` and `join()` it, or collect the threads in a `thread::scope` so \
         they end with it"
    } else {
        "keep the `JoinHandle` (and `.await` or `abort()` it), or spawn on a `JoinSet`, which \
         keeps the handles and lets you bound how many run"
    };
    let Some((loop_expr, bound, (line, column))) =
        in_loop.and_then(|(l, b)| Some((l, b, ir.loop_position(l)?)))
    else {
        return Diagnostic::new(RULE.code(), Level::Note, base, bcx.label(span, ""))
            .with_help(help);
    };
    let head = ir.loop_head(loop_expr);
    let each_time = bcx.label(head, "a new one each time around");
    let (level, message, secondary) = match bound {
        Bound::Nothing | Bound::Large(_) if bcx.is_test_code() => (
            Level::Note,
            format!(
                "{base}; spawned once per iteration of the loop at {line}:{column}, in test code"
            ),
            each_time,
        ),
        Bound::Nothing => (
            Level::Warning,
            format!(
                "{base}; spawned once per iteration of the loop at {line}:{column}, with nothing \
                 to bound how many run at once"
            ),
            each_time,
        ),
        Bound::Large(count) => (
            Level::Warning,
            format!(
                "{base}; spawned once per iteration of the loop at {line}:{column}, up to \
                 {count} of them at once"
            ),
            each_time,
        ),
        Bound::Small => (
            Level::Note,
            format!(
                "{base}; spawned once per iteration of the loop at {line}:{column}, which runs a \
                 constant number of times"
            ),
            bcx.label(head, "a constant number of times"),
        ),
        Bound::Waits(wait) => (
            Level::Note,
            format!("{base}; the loop at {line}:{column} waits for each one in turn"),
            bcx.label(ir.expr(wait).span, "waits for it here"),
        ),
    };
    Diagnostic::new(RULE.code(), level, message, bcx.label(span, ""))
        .with_secondary(secondary)
        .with_help(help)
}
