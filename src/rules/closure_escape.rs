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
use crate::escape::erasure::Erasure;
use crate::escape::{self, AllocKind, BodyEscape, ClosureEscape, ClosureVerdict, Node, Reach, Why};
use crate::facts::api::{self, Effect, Runs};
use crate::facts::display::Printer;
use crate::facts::types::Types;
use crate::facts::values;
use crate::facts::{BodyCx, CrateCx};
use crate::ir::*;
use crate::sym::Sym;

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
    // Built on the first boxed closure: most crates have none.
    let mut erasure = None;
    for (bcx, esc) in crate::escape::owned(cx, escape) {
        for verdict in &esc.closures {
            closure(&bcx, esc, &mut erasure, escape, verdict, out);
        }
    }
}

fn closure<'c, 'a>(
    bcx: &BodyCx<'c, 'a>,
    esc: &BodyEscape,
    erasure: &mut Option<Erasure<'c, 'a>>,
    escape: &'c CrateEscape,
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
    let captures = captures(bcx, esc, verdict, c);
    // Kept by what a `map(..)` returns only if its receiver is an iterator: where it goes
    // from there is not certain, and neither is the heap.
    if !matches!(
        verdict.escape,
        ClosureEscape::Nowhere | ClosureEscape::Boxed(_)
    ) && let Some(method) = adaptor_method(bcx, esc, verdict)
    {
        let message = format!(
            "{what} may escape: `.{method}(..)` keeps it in what it returns if its receiver is \
             an iterator, a type not known here"
        );
        let mut d = note(bcx, span, message);
        d.flows = esc.explain(bcx, &verdict.path, what);
        out.push(d);
        return;
    }
    let (mut d, on_heap) = match verdict.escape {
        ClosureEscape::Nowhere => (note(bcx, span, format!("{what} does not escape")), false),
        ClosureEscape::NoHeap => (note(bcx, span, format!("{what} escapes, no heap")), false),
        // The heap is certain when the closure is leaked or stored in a static; a crate
        // function that keeps it may only hand it to code not seen here.
        ClosureEscape::Heap => match verdict.path.last().map(|&e| esc.edges[e].why) {
            Some(Why::Leak) => (
                note(bcx, span, format!("{what} escapes to heap: leaked")),
                true,
            ),
            Some(Why::Static) => (
                note(
                    bcx,
                    span,
                    format!("{what} escapes to heap: stored in a static"),
                ),
                true,
            ),
            _ => (
                note(
                    bcx,
                    span,
                    format!(
                        "{what} escapes: kept by the function it is given to, or by code \
                         that function hands it to, not seen here"
                    ),
                ),
                false,
            ),
        },
        ClosureEscape::Spawned(edge) => {
            let how = spawned_how(bcx, esc, edge);
            (
                note(bcx, span, format!("{what} escapes to heap: {how}")),
                true,
            )
        }
        ClosureEscape::Within(alloc) => {
            let by = constructor(esc.allocs[alloc].site.kind);
            // Captured by a closure or `async` block that is boxed, or kept by value inside
            // something else that is.
            let capturer = verdict.path.iter().find_map(|&e| {
                let edge = &esc.edges[e];
                match (edge.why, esc.graph.node(edge.dst)) {
                    (Why::Capture, Node::Closure(outer)) => match ir.expr(outer).kind {
                        ExprKind::Closure(o) if ir.closure(o).kind == ClosureKind::AsyncBlock => {
                            Some("an async block")
                        }
                        _ => Some("a closure"),
                    },
                    _ => None,
                }
            });
            let message = match capturer {
                Some(outer) => {
                    format!("{what} escapes to heap: captured by {outer} that {by} boxes")
                }
                None => format!("{what} escapes to heap: held by value inside what {by} boxes"),
            };
            (note(bcx, span, message), true)
        }
        ClosureEscape::Boxed(alloc) => {
            let erasure = erasure.get_or_insert_with(|| Erasure::new(bcx.cx, escape));
            let site = Boxing {
                alloc,
                closure: verdict.site.expr,
                c,
                what,
                span,
            };
            let (d, on_heap) = boxed(bcx, esc, erasure, &site);
            (in_test_code(bcx, d), on_heap)
        }
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

/// The method whose result may keep the closure, on the verdict's path, if any.
fn adaptor_method(bcx: &BodyCx<'_, '_>, esc: &BodyEscape, verdict: &ClosureVerdict) -> Option<Sym> {
    verdict.path.iter().find_map(|&e| {
        let edge = &esc.edges[e];
        let Node::Temp(call) = esc.graph.node(edge.dst) else {
            return None;
        };
        match bcx.ir.expr(call).kind {
            ExprKind::MethodCall(m) if edge.why == Why::Adaptor => {
                Some(bcx.ir.method_call(m).method)
            }
            _ => None,
        }
    })
}

fn note(bcx: &BodyCx<'_, '_>, span: Span, message: String) -> Diagnostic {
    Diagnostic::new(RULE.code(), Level::Note, message, bcx.label(span, "")).with_verbosity(1)
}

/// A closure moved into an allocation, as its value.
struct Boxing<'a> {
    alloc: usize,
    closure: ExprId,
    c: &'a Closure,
    what: &'static str,
    span: Span,
}

/// The finding for a boxed closure, and whether the closure is on the heap: a warning when
/// the box can be avoided, with what to do instead; a note when it allocates nothing or is
/// required where it goes.
fn boxed(
    bcx: &BodyCx<'_, '_>,
    esc: &BodyEscape,
    erasure: &mut Erasure<'_, '_>,
    site: &Boxing<'_>,
) -> (Diagnostic, bool) {
    let Boxing {
        alloc,
        closure,
        c,
        what,
        span,
    } = *site;
    let boxing = &esc.allocs[alloc];
    let kind = boxing.site.kind;
    // A closure that captures nothing is zero-sized, and a `Box` of it allocates nothing.
    // (`Rc` and `Arc` still allocate their counters.)
    if c.kind != ClosureKind::AsyncBlock
        && c.captures.is_empty()
        && matches!(kind, AllocKind::Box | AllocKind::BoxPin)
    {
        let verdict = match boxing.reach {
            Reach::Nowhere => "does not escape",
            _ => "escapes, no heap",
        };
        let message = format!(
            "{what} {verdict}: it captures nothing, so {} allocates nothing",
            constructor(kind)
        );
        return (note(bcx, span, message), false);
    }
    // The declared type the box is given: `Box<dyn Fn(..)>`, or a container of them.
    let dyn_type = boxing.typed.as_ref().and_then(|(typed, _)| {
        let types = Types::at(bcx.cx, typed.scope);
        let (mut pointer, inner) = types.dyn_box(typed.ty)?;
        let ir = bcx.cx.loaded.ir(typed.scope.file)?;
        let ty = match ir.ty(typed.ty).kind {
            TyKind::Ref { ty, .. } => ty,
            _ => typed.ty,
        };
        // `Pin<Box<dyn Future>>` is the box itself, pinned.
        let pinned = types.std_path(ty).and_then(|(path, args)| {
            let is_pin = path.iter().map(|s| s.as_str()).eq(["std", "pin", "Pin"]);
            is_pin.then(|| args.first().copied()).flatten()
        });
        if pinned.is_some_and(|arg| types.pointer(arg).is_some()) {
            pointer = Printer::new(ir, None).ty(ty);
        }
        // A type alias of the box (`type CachePoolFn = Box<dyn Fn() -> Cache>`) is the box.
        let is_pin = |p: &[crate::sym::Sym]| p.iter().map(|s| s.as_str()).eq(["std", "pin", "Pin"]);
        let alias_is_box = types.alias_target(ty).is_some_and(|(t, target)| {
            t.pointer(target).is_some() || t.std_path(target).is_some_and(|(p, _)| is_pin(&p))
        });
        let direct = types.pointer(ty).is_some() || pinned.is_some() || alias_is_box;
        Some((pointer, types.dyn_trait(inner), !direct))
    });
    let how = match &dyn_type {
        Some((pointer, _, _)) => format!("boxed as {pointer}"),
        None => format!("boxed by {}", constructor(kind)),
    };
    let message = format!("{what} escapes to heap: {how}");
    let required = |reason: &str| format!("{message}; the box is required: {reason}");
    if kind == AllocKind::BoxPin {
        if calls_own_function(bcx, esc, closure) {
            let reason = "the future calls its own function, and a recursive future needs a box";
            return (note(bcx, span, required(reason)), true);
        }
        // Boxed on purpose: the awaiting future stays small.
        if is_awaited(bcx, esc, alloc) {
            let message =
                format!("{message}; boxed to be awaited, which keeps the awaiting future small");
            return (note(bcx, span, message), true);
        }
    }
    if let Some(b) = erasure.body_index(esc)
        && let Some(r) = erasure.required(b, alloc, closure)
    {
        let mut d = note(bcx, span, required(&r.reason));
        if let Some(at) = r.at {
            d = d.with_secondary(at);
        }
        return (d, true);
    }
    let returned = matches!(boxing.reach, Reach::Return { .. });
    if kind == AllocKind::BoxPin {
        if boxing.reach == Reach::Nowhere && !boxing.moved {
            return (pinned_in_place(bcx, esc, alloc, &message, span), true);
        }
        if boxing.reach != (Reach::Return { direct: true }) {
            let reason = "the pinned future is moved after it is made, and keeps its address";
            return (note(bcx, span, required(reason)), true);
        }
    }
    let in_container = dyn_type
        .as_ref()
        .is_some_and(|(_, _, container)| *container)
        || boxing.path.iter().any(|&e| {
            matches!(
                esc.edges[e].why,
                Why::Container | Why::Element | Why::Collected
            )
        });
    let fallback = match c.kind {
        ClosureKind::AsyncBlock => "Future",
        _ => "Fn(..)",
    };
    let bound = dyn_type
        .as_ref()
        .and_then(|(_, t, _)| t.clone())
        .unwrap_or_else(|| fallback.to_string());
    // Stored in a field, directly or inside another value: avoiding the box makes the
    // struct generic over the closure's type, a change to a type and all its users that
    // few would make for one allocation. A note.
    if boxing.path.iter().any(|&e| esc.edges[e].why == Why::Field) {
        let message = format!(
            "{message}; stored in a field: without the box, the struct would be generic over \
             `F: {bound}`"
        );
        return (note(bcx, span, message), true);
    }
    let help = if in_container {
        format!(
            "all the closures in this collection have one type: a `Vec<F>` with `F: {bound}` \
             holds them without a box each"
        )
    } else if returned {
        format!("return `impl {bound}` instead: the closure is returned by value, without a box")
    } else {
        format!(
            "only this closure is used here: keep it as it is (`impl {bound}`, or a generic \
             `F: {bound}`), with no allocation, and calls through it can be inlined"
        )
    };
    let d = Diagnostic::new(RULE.code(), Level::Warning, message, bcx.label(span, ""))
        .with_secondary(bcx.label(bcx.ir.expr(boxing.site.expr).span, "boxed here"))
        .with_help(help);
    (d, true)
}

/// A warning in test code (an integration test target, a `#[test]` function, a
/// `#[cfg(test)]` module) becomes a note: one allocation in a test cannot matter.
fn in_test_code(bcx: &BodyCx<'_, '_>, d: Diagnostic) -> Diagnostic {
    let cx = bcx.cx;
    let test = cx.input.test_target
        || bcx.ir.item(bcx.at.owner).test_only
        || cx.index.tree.modules[bcx.at.module].test_only;
    if d.level != Level::Warning || !test {
        return d;
    }
    let message = format!(
        "{}; in test code, where one allocation cannot matter",
        d.message
    );
    Diagnostic {
        level: Level::Note,
        message,
        ..d
    }
    .with_verbosity(1)
}

/// `Box::pin(async { .. })` kept in its function and never moved: `std::pin::pin!` pins it on
/// the stack, from Rust 1.68.
fn pinned_in_place(
    bcx: &BodyCx<'_, '_>,
    esc: &BodyEscape,
    alloc: usize,
    message: &str,
    span: Span,
) -> Diagnostic {
    if bcx.cx.input.msrv.is_some_and(|msrv| msrv < (1, 68)) {
        let message = format!(
            "{message}; pinned in place, but `std::pin::pin!` needs Rust 1.68, above the \
             package's `rust-version`"
        );
        return note(bcx, span, message);
    }
    let boxing = &esc.allocs[alloc];
    Diagnostic::new(
        RULE.code(),
        Level::Warning,
        message.to_string(),
        bcx.label(span, ""),
    )
    .with_secondary(bcx.label(bcx.ir.expr(boxing.site.expr).span, "boxed here"))
    .with_help(
        "the future is polled where it is made and never moved: `std::pin::pin!(..)` pins \
             it on the stack (a `Pin<&mut _>`), with no allocation",
    )
}

/// Whether the pinned box, or a local bound to it, is awaited (`fut.await`,
/// `(&mut fut).await`).
fn is_awaited(bcx: &BodyCx<'_, '_>, esc: &BodyEscape, alloc: usize) -> bool {
    let site = esc.allocs[alloc].site;
    let bound: Vec<LocalId> = esc
        .edges
        .iter()
        .filter(|e| e.src == site.node && e.why == Why::Assign)
        .filter_map(|e| match esc.graph.node(e.dst) {
            Node::Local(l) => Some(l),
            _ => None,
        })
        .collect();
    let ir = bcx.ir;
    let mut awaited = false;
    crate::ir::walk::walk(ir, bcx.body.value, &mut |_, _, expr| {
        let ExprKind::Await(mut inner) = expr.kind else {
            return;
        };
        while let ExprKind::Ref { expr, .. } = ir.expr(inner).kind {
            inner = expr;
        }
        awaited |= inner == site.expr
            || matches!(ir.expr(inner).kind, ExprKind::Local(l) if bound.contains(&l));
    });
    awaited
}

/// Whether a closure (an `async` block) calls the function it is in: a recursive future.
fn calls_own_function(bcx: &BodyCx<'_, '_>, esc: &BodyEscape, closure: ExprId) -> bool {
    let own = (bcx.at.file, bcx.at.owner);
    let within = bcx.ir.expr(closure).span;
    esc.graph.calls.iter().any(|call| {
        let at = bcx.ir.expr(call.at).span;
        call.callee == own && at.lo >= within.lo && at.hi <= within.hi
    })
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
                _ => receiver_spawner(bcx, m.receiver).map_or(Runs::Task, |s| s.runs),
            }
        }
        _ => Runs::Thread,
    };
    match runs {
        Runs::Thread | Runs::BlockingThread => "spawned on another thread",
        Runs::Task | Runs::OnReceiver => "spawned as a task",
    }
}

/// The spawner a `.spawn(..)` is called on: found by the constructor at the root of the
/// receiver (`thread::Builder::new().name(..)`), through locals' declared types and
/// initializers.
fn receiver_spawner(bcx: &BodyCx<'_, '_>, receiver: ExprId) -> Option<api::Spawner> {
    let ir = bcx.ir;
    let mut at = receiver;
    for _ in 0..8 {
        match &ir.expr(at).kind {
            ExprKind::MethodCall(m) => at = ir.method_call(*m).receiver,
            ExprKind::Ref { expr, .. } => at = *expr,
            ExprKind::Local(l) => match bcx.body.local(*l).ty {
                Some(ty) => {
                    let ty = match ir.ty(ty).kind {
                        TyKind::Ref { ty, .. } => ty,
                        _ => ty,
                    };
                    return crate::facts::types::std_type(bcx, ty).and_then(|p| api::spawner(&p));
                }
                None => at = bcx.let_init(*l)?,
            },
            ExprKind::Call { callee, .. } => {
                let r = bcx.resolve_path(*callee)?;
                let (_, ty) = r.def.external_path()?.split_last()?;
                return api::spawner(ty);
            }
            _ => return None,
        }
    }
    None
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
