//! `detached_spawn`: a spawned thread or task whose handle is dropped, so that nothing can
//! join it, cancel it or see it fail.
//!
//! `std::thread::spawn(..);` as a statement, `let _ = tokio::spawn(..);`, and the same through
//! `thread::Builder` (`.spawn(..).unwrap();`), `spawn_blocking` and the other spawners the
//! escape graph knows. A note; inside a loop, a warning: one more unbounded thread or task each
//! time around. Returning the handle, storing it, awaiting it, joining it, or spawning on a
//! `JoinSet` (which keeps the handles) are all fine.

use super::{Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Level};
use crate::escape::CrateEscape;
use crate::facts::api::{self, Effect, Handle, Runs};
use crate::facts::{BodyCx, CrateCx};
use crate::ir::*;

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

fn check(cx: &CrateCx<'_>, _: &CrateEscape, out: &mut Vec<Diagnostic>) {
    for bcx in cx.owned_bodies() {
        let ir = bcx.ir;
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
                let in_loop = context.loops.last().copied();
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
            if spawn.runs != Runs::OnReceiver || spawn.handle != Handle::Detaches {
                return None;
            }
            // `thread::Builder::new()..spawn(..)`: the constructor at the root says whose.
            let mut root = m.receiver;
            while let ExprKind::MethodCall(inner) = ir.expr(root).kind {
                root = ir.method_call(inner).receiver;
            }
            let ExprKind::Call { callee, .. } = ir.expr(root).kind else {
                return None;
            };
            let resolved = bcx.resolve_path(callee)?;
            let (_, ty) = resolved.def.external_path()?.split_last()?;
            let spawner = api::spawner(ty)?;
            (spawner.runs == Runs::Thread && !spawner.keeps_handles).then_some("thread")
        }
        _ => None,
    }
}

fn finding(bcx: &BodyCx<'_, '_>, expr: ExprId, what: &str, in_loop: Option<ExprId>) -> Diagnostic {
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
    match in_loop.and_then(|l| Some((l, ir.loop_position(l)?))) {
        Some((loop_expr, (line, column))) => Diagnostic::new(
            RULE.code(),
            Level::Warning,
            format!(
                "{base}; spawned once per iteration of the loop at {line}:{column}, with nothing \
                 to bound how many run at once"
            ),
            bcx.label(span, ""),
        )
        .with_secondary(bcx.label(ir.loop_head(loop_expr), "a new one each time around")),
        None => Diagnostic::new(RULE.code(), Level::Note, base, bcx.label(span, "")),
    }
    .with_help(help)
}
