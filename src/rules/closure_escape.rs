//! `closure_escape`: Go's verdicts for func literals, for Rust's closures and `async` blocks.
//!
//! Every closure gets one verdict, read off the escape graph:
//! - `func literal does not escape`: called in place, or given to code that only calls it (an
//!   iterator adaptor, a generic `F: Fn` parameter, a scoped thread);
//! - `func literal escapes, no heap`: returned (as `impl Fn`) or stored by value where the
//!   caller sees it;
//! - `func literal escapes to heap: boxed as Box<dyn Fn(u64) -> u64>`: a warning, the one
//!   verdict that costs an allocation the code could often avoid;
//! - `func literal escapes to heap: spawned on another thread`: a note, since spawning is the
//!   point of the code.
//!
//! For a closure on the heap, each variable it takes by value is `moved to heap: x` (at its
//! declaration, as Go prints it), and one larger than the stack threshold is a warning: it is
//! copied into the allocation. A boxed closure made in a loop allocates once per iteration.

use super::{Rule, RuleMeta};
use crate::diagnostic::{Child, Diagnostic, Label, Level};
use crate::escape::CrateEscape;
use crate::escape::{self, BodyEscape, ClosureEscape, ClosureVerdict, Node, Reach, Why};
use crate::facts::api::{self, Effect, Runs};
use crate::facts::types::Types;
use crate::facts::values;
use crate::facts::{BodyCx, CrateCx};
use crate::index::Container;
use crate::ir::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "closure_escape",
        default_level: Level::Warning,
        verbosity: 0,
        summary: "a closure boxed onto the heap, where impl Fn or a generic would need no allocation",
        page: include_str!("../../lints/closure_escape.md"),
        escape: true,
    },
    check,
};

fn check(cx: &CrateCx<'_>, escape: &CrateEscape, out: &mut Vec<Diagnostic>) {
    for (bcx, esc) in crate::escape::owned(cx, escape) {
        for verdict in &esc.closures {
            closure(&bcx, esc, verdict, out);
        }
    }
}

fn closure(
    bcx: &BodyCx<'_, '_>,
    esc: &BodyEscape,
    verdict: &ClosureVerdict,
    out: &mut Vec<Diagnostic>,
) {
    let ir = bcx.ir;
    let ExprKind::Closure(id) = ir.expr(verdict.site.expr).kind else {
        return;
    };
    let c = ir.closure(id);
    let what = match c.kind {
        ClosureKind::AsyncBlock => "async block",
        ClosureKind::Closure | ClosureKind::AsyncClosure => "func literal",
    };
    let span = head_span(ir, verdict.site.expr, c);
    let on_heap = matches!(
        verdict.escape,
        ClosureEscape::Boxed(_) | ClosureEscape::Spawned(_) | ClosureEscape::Heap
    );
    let captures = captures(bcx, esc, verdict, c);
    let mut d = match verdict.escape {
        ClosureEscape::Nowhere => note(bcx, span, format!("{what} does not escape")),
        ClosureEscape::NoHeap => note(bcx, span, format!("{what} escapes, no heap")),
        ClosureEscape::Heap => note(bcx, span, format!("{what} escapes to heap")),
        ClosureEscape::Spawned(edge) => {
            let how = spawned_how(bcx, esc, edge);
            note(bcx, span, format!("{what} escapes to heap: {how}"))
        }
        ClosureEscape::Boxed(alloc) => boxed(bcx, esc, alloc, what, span),
    };
    d.flows = esc.explain(bcx, &verdict.path, what);
    if on_heap {
        // Each by-value capture, at its declaration: carried by the verdict, and a line of
        // its own with `-m`.
        for capture in &captures {
            let decl = bcx.body.local(capture.local);
            let at = bcx.label(decl.span, "");
            if capture.by_value {
                d.children.push(Child {
                    level: Level::Note,
                    message: format!("moved to heap: {}", decl.name),
                    at: Some(at.clone()),
                });
            }
        }
    }
    if let Some(loop_expr) = verdict.site.in_loop.filter(|_| on_heap)
        && let Some((line, column)) = ir.loop_position(loop_expr)
    {
        d.message = d.message.replacen(
            "escapes to heap",
            &format!("escapes to heap once per iteration of the loop at {line}:{column}"),
            1,
        );
        d.secondary.push(bcx.label(
            ir.loop_head(loop_expr),
            "a new allocation each time around this loop",
        ));
    }
    out.push(d);
    if on_heap {
        for capture in &captures {
            out.extend(capture_findings(bcx, capture, span));
        }
    }
}

fn note(bcx: &BodyCx<'_, '_>, span: Span, message: String) -> Diagnostic {
    Diagnostic::new(RULE.code(), Level::Note, message, bcx.label(span, "")).with_verbosity(1)
}

/// The warning for a boxed closure, with what the box is and what to do instead.
fn boxed(
    bcx: &BodyCx<'_, '_>,
    esc: &BodyEscape,
    alloc: usize,
    what: &str,
    span: Span,
) -> Diagnostic {
    let boxing = &esc.allocs[alloc];
    // The declared type the box is given: `Box<dyn Fn(..)>`, or a container of them.
    let dyn_type = boxing.typed.as_ref().and_then(|(typed, _)| {
        let types = Types::at(bcx.cx, typed.scope);
        let (pointer, inner) = types.dyn_box(typed.ty)?;
        let ir = bcx.cx.loaded.ir(typed.scope.file)?;
        let direct = match ir.ty(typed.ty).kind {
            TyKind::Ref { ty, .. } => types.pointer(ty).is_some(),
            _ => types.pointer(typed.ty).is_some(),
        };
        Some((pointer, types.dyn_trait(inner), !direct))
    });
    let how = match &dyn_type {
        Some((pointer, _, _)) => format!("boxed as {pointer}"),
        None => format!("boxed by {}", constructor(boxing.site.kind)),
    };
    let in_container = dyn_type
        .as_ref()
        .is_some_and(|(_, _, container)| *container)
        || boxing
            .path
            .iter()
            .any(|&e| matches!(esc.edges[e].why, Why::Container | Why::Element));
    let bound = dyn_type
        .as_ref()
        .and_then(|(_, t, _)| t.clone())
        .unwrap_or_else(|| "Fn(..)".to_string());
    let in_field = boxing.path.iter().any(|&e| esc.edges[e].why == Why::Field);
    let returned = matches!(boxing.reach, Reach::Return { .. });
    let message = format!("{what} escapes to heap: {how}");
    // A trait impl's return type is the trait's: nothing to change here.
    if returned && matches!(bcx.at.container, Container::TraitImpl { .. }) {
        return note(bcx, span, message);
    }
    let help = if in_container {
        format!(
            "closures of different types in one collection need their boxes; if they all share \
             one type, a generic `Vec<F>` with `F: {bound}` needs none"
        )
    } else if in_field {
        format!(
            "a field of a boxed `dyn` type holds closures of any type; a struct generic over \
             `F: {bound}` holds one without a box"
        )
    } else if returned {
        format!("return `impl {bound}` instead: the closure is returned by value, without a box")
    } else {
        format!(
            "if one closure type is enough here, use `impl {bound}` or a generic `F: {bound}`: \
             no allocation, and calls through it can be inlined"
        )
    };
    Diagnostic::new(RULE.code(), Level::Warning, message, bcx.label(span, ""))
        .with_secondary(bcx.label(bcx.ir.expr(boxing.site.expr).span, "boxed here"))
        .with_help(help)
}

/// The call that made an allocation, as the message names it.
fn constructor(kind: escape::AllocKind) -> &'static str {
    use escape::AllocKind::*;
    match kind {
        Box => "Box::new",
        BoxPin => "Box::pin",
        Rc => "Rc::new",
        Arc => "Arc::new",
        Vec => "vec!",
        String => "a String",
        Collect => ".collect()",
    }
}

/// How a spawned closure left: the call or method that took it.
fn spawned_how(bcx: &BodyCx<'_, '_>, esc: &BodyEscape, edge: usize) -> &'static str {
    let ir = bcx.ir;
    let escape::Step::Expr(at) = esc.edges[edge].step else {
        return "spawned";
    };
    let runs = match &ir.expr(at).kind {
        ExprKind::Call { callee, .. } => bcx
            .resolve_path(*callee)
            .and_then(|r| api::path(r.def.external_path()?).spawns())
            .map_or(Runs::Thread, |s| s.runs),
        ExprKind::MethodCall(m) => {
            let m = ir.method_call(*m);
            let api = api::method(m.method);
            if api.has(Effect::Sends) && !api.has(Effect::Blocks) {
                return "sent to another thread";
            }
            match api.spawns() {
                Some(spawn) if spawn.runs != Runs::OnReceiver => spawn.runs,
                // `thread::Builder::new()..spawn(..)`: the constructor at the root says whose.
                _ => {
                    let mut root = m.receiver;
                    while let ExprKind::MethodCall(inner) = ir.expr(root).kind {
                        root = ir.method_call(inner).receiver;
                    }
                    match &ir.expr(root).kind {
                        ExprKind::Call { callee, .. } => bcx
                            .resolve_path(*callee)
                            .and_then(|r| {
                                let (_, ty) = r.def.external_path()?.split_last()?;
                                api::spawner(ty)
                            })
                            .map_or(Runs::Task, |s| s.runs),
                        _ => Runs::Task,
                    }
                }
            }
        }
        _ => Runs::Thread,
    };
    match runs {
        Runs::Thread | Runs::BlockingThread => "spawned on another thread",
        Runs::Task | Runs::OnReceiver => "spawned as a task",
    }
}

/// A variable a closure captures, and how.
struct Capture {
    local: LocalId,
    by_value: bool,
}

/// The closure's captures, by value or by reference as the graph's capture edges say.
fn captures(
    bcx: &BodyCx<'_, '_>,
    esc: &BodyEscape,
    verdict: &ClosureVerdict,
    c: &Closure,
) -> Vec<Capture> {
    bcx.ir
        .list(c.captures)
        .iter()
        .map(|capture| {
            let by_value = esc.edges.iter().any(|e| {
                e.why == Why::Capture
                    && e.dst == verdict.site.node
                    && e.derefs >= 0
                    && esc.graph.node(e.src) == Node::Local(capture.local)
            });
            Capture {
                local: capture.local,
                by_value,
            }
        })
        .collect()
}

/// `moved to heap: x` (`-m`), `x captured by reference` (`-m=2`), and a warning for a large
/// value copied into the closure.
fn capture_findings(bcx: &BodyCx<'_, '_>, capture: &Capture, closure: Span) -> Vec<Diagnostic> {
    let decl = bcx.body.local(capture.local);
    let at = bcx.label(decl.span, "");
    if !capture.by_value {
        return vec![
            Diagnostic::new(
                RULE.code(),
                Level::Note,
                format!("{} captured by reference", decl.name),
                at,
            )
            .with_verbosity(2),
        ];
    }
    let mut out = vec![
        Diagnostic::new(
            RULE.code(),
            Level::Note,
            format!("moved to heap: {}", decl.name),
            at.clone(),
        )
        .with_verbosity(1),
    ];
    if let Some(value) = values::of_local(bcx, capture.local)
        && value.layout.size > bcx.cx.input.stack_threshold
    {
        let size = values::size_text(&value);
        out.push(
            Diagnostic::new(
                RULE.code(),
                Level::Warning,
                format!(
                    "moved to heap: {} ({} is {size}): copied into the closure's allocation",
                    decl.name, value.ty
                ),
                at,
            )
            .with_secondary(Label::new(bcx.file(), closure, "captured by value here"))
            .with_help(
                "share it instead of copying it: keep it in an `Arc` (or a `Box`) and move that \
                 into the closure, or borrow it from a scoped thread",
            ),
        );
    }
    out
}

/// The closure's head, `move |x|` or `async move`, rather than its whole body.
fn head_span(ir: &FileIr, expr: ExprId, c: &Closure) -> Span {
    if c.head.hi > c.head.lo {
        c.head
    } else {
        ir.expr(expr).span
    }
}
