//! `leaked_reference`: calls that give up ownership of heap memory without anything to free it.
//!
//! Reported: `Box::leak`, `Vec::leak`, `String::leak` and `mem::forget`, called or passed as a
//! function value, and `Box::into_raw`, `Rc::into_raw` and `Arc::into_raw` when the crate never
//! calls the matching `from_raw`. Calls are recognized by name resolution, however they are
//! spelled (`core::mem::forget`, `use std::mem::forget as f`); a local function or method of the
//! same name never matches. `v.leak()` is reported only when `v` is known to be a `Vec` or a
//! `String`.

use super::{Rule, RuleMeta};
use crate::diagnostic::{Child, Diagnostic, Level};
use crate::escape::CrateEscape;
use crate::facts::types::{Owns, let_inits, std_type_of, value_owns};
use crate::facts::{BodyCx, CrateCx};
use crate::index::{Resolved, path_string};
use crate::ir::{ExprId, ExprKind, walk};
use crate::sym::FxHashSet;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "leaked_reference",
        default_level: Level::Warning,
        verbosity: 0,
        summary: "heap memory handed over with nothing left to free it: Box::leak, mem::forget, into_raw",
        page: include_str!("../../lints/leaked_reference.md"),
        escape: false,
    },
    check,
};

#[derive(Clone, Copy)]
enum Kind {
    /// `Box::leak` and friends: the allocation lives for the rest of the program.
    Leak,
    /// `mem::forget`: the destructor never runs.
    Forget,
    /// `into_raw`: a note when the crate takes allocations back with one of these.
    IntoRaw {
        from_raw: &'static [&'static [&'static str]],
    },
}

struct Leaker {
    path: &'static [&'static str],
    /// How the message names it.
    name: &'static str,
    kind: Kind,
}

const LEAKERS: &[Leaker] = &[
    Leaker {
        path: &["std", "boxed", "Box", "leak"],
        name: "Box::leak",
        kind: Kind::Leak,
    },
    Leaker {
        path: &["std", "vec", "Vec", "leak"],
        name: "Vec::leak",
        kind: Kind::Leak,
    },
    Leaker {
        path: &["std", "string", "String", "leak"],
        name: "String::leak",
        kind: Kind::Leak,
    },
    Leaker {
        path: &["std", "mem", "forget"],
        name: "mem::forget",
        kind: Kind::Forget,
    },
    Leaker {
        path: &["std", "boxed", "Box", "into_raw"],
        name: "Box::into_raw",
        kind: Kind::IntoRaw {
            from_raw: &[&["std", "boxed", "Box", "from_raw"]],
        },
    },
    Leaker {
        path: &["std", "rc", "Rc", "into_raw"],
        name: "Rc::into_raw",
        kind: Kind::IntoRaw {
            from_raw: &[
                &["std", "rc", "Rc", "from_raw"],
                &["std", "rc", "Rc", "decrement_strong_count"],
            ],
        },
    },
    Leaker {
        path: &["std", "sync", "Arc", "into_raw"],
        name: "Arc::into_raw",
        kind: Kind::IntoRaw {
            from_raw: &[
                &["std", "sync", "Arc", "from_raw"],
                &["std", "sync", "Arc", "decrement_strong_count"],
            ],
        },
    },
];

fn check(cx: &CrateCx<'_>, _: &CrateEscape, out: &mut Vec<Diagnostic>) {
    let names = Names::of(cx);
    // Only an `into_raw` or a `ManuallyDrop` asks whether the crate takes memory back.
    let from_raw = FromRaw {
        cx,
        names: &names,
        found: std::cell::OnceCell::new(),
    };
    for bcx in cx.owned_bodies() {
        check_body(&bcx, &names, &from_raw, out);
    }
}

/// The names a path must end with to be worth resolving: the functions this rule knows
/// (`forget`, `leak`, `into_raw`, `from_raw`...) and the names the crate imports them as, and
/// the same for `ManuallyDrop`. Resolving every path of every body would cost more than the
/// rule.
struct Names {
    functions: FxHashSet<crate::sym::Sym>,
    types: FxHashSet<crate::sym::Sym>,
}

const FUNCTIONS: &[&str] = &[
    "leak",
    "forget",
    "into_raw",
    "from_raw",
    "decrement_strong_count",
    "from_raw_parts",
];

impl Names {
    fn of(cx: &CrateCx<'_>) -> Names {
        use crate::sym::Sym;
        let mut functions: FxHashSet<Sym> = FUNCTIONS.iter().map(|n| Sym::new(n)).collect();
        let mut types: FxHashSet<Sym> = [Sym::new("ManuallyDrop")].into_iter().collect();
        // `use std::mem::forget as f;`
        for file in &cx.loaded.files {
            let Some(ir) = &file.ir else { continue };
            for item in &ir.items {
                let crate::ir::ItemKind::Use(imports) = &item.kind else {
                    continue;
                };
                for import in imports.iter() {
                    let (Some(last), Some(name)) = (import.path.last(), import.name) else {
                        continue;
                    };
                    if FUNCTIONS.iter().any(|f| last.is(f)) {
                        functions.insert(name);
                    } else if last.is("ManuallyDrop") {
                        types.insert(name);
                    }
                }
            }
        }
        Names { functions, types }
    }

    /// Whether the path expression `expr` may name one of the functions.
    fn may_name(&self, bcx: &BodyCx<'_, '_>, expr: ExprId) -> bool {
        let ExprKind::Path(p) = bcx.ir.expr(expr).kind else {
            return false;
        };
        let segments = bcx.ir.list(bcx.ir.path(p).segments);
        match segments {
            [.., ty, last] => self.functions.contains(&last.name) || self.types.contains(&ty.name),
            [last] => self.functions.contains(&last.name),
            [] => false,
        }
    }
}

/// What takes back the memory a `ManuallyDrop` was keeping: a vector or string rebuilt from
/// its raw parts.
const FROM_RAW_PARTS: &[&[&str]] = &[
    &["std", "vec", "Vec", "from_raw_parts"],
    &["std", "string", "String", "from_raw_parts"],
    &["std", "boxed", "Box", "from_raw"],
];

/// The `from_raw` functions the crate calls anywhere, found on first need.
struct FromRaw<'c, 'a> {
    cx: &'c CrateCx<'a>,
    names: &'c Names,
    found: std::cell::OnceCell<FxHashSet<&'static [&'static str]>>,
}

impl FromRaw<'_, '_> {
    fn contains(&self, path: &[&str]) -> bool {
        self.found
            .get_or_init(|| from_raw_calls(self.cx, self.names))
            .iter()
            .any(|p| *p == path)
    }
}

/// The `from_raw` functions the crate calls anywhere (or passes as values).
fn from_raw_calls(cx: &CrateCx<'_>, names: &Names) -> FxHashSet<&'static [&'static str]> {
    let wanted: Vec<&'static [&'static str]> = LEAKERS
        .iter()
        .filter_map(|l| match l.kind {
            Kind::IntoRaw { from_raw } => Some(from_raw),
            _ => None,
        })
        .flatten()
        .copied()
        .chain(FROM_RAW_PARTS.iter().copied())
        .collect();
    let mut found = FxHashSet::default();
    for bcx in cx.all_bodies() {
        walk::walk(bcx.ir, bcx.body.value, &mut |_, id, expr| {
            if let ExprKind::Path(_) = expr.kind
                && names.may_name(&bcx, id)
                && let Some(resolved) = bcx.resolve_path(id)
            {
                for path in &wanted {
                    if resolved.def.is_external(path) {
                        found.insert(*path);
                    }
                }
            }
        });
    }
    found
}

fn check_body(
    bcx: &BodyCx<'_, '_>,
    names: &Names,
    from_raw: &FromRaw<'_, '_>,
    out: &mut Vec<Diagnostic>,
) {
    let mut callees = FxHashSet::default();
    let mut inits = None;
    let mut manually_drop = Vec::new();
    walk::walk(
        bcx.ir,
        bcx.body.value,
        &mut |_, id, expr| match &expr.kind {
            ExprKind::Call { callee, .. } => {
                callees.insert(*callee);
                if !names.may_name(bcx, *callee) {
                    return;
                }
                if manually_drop_fn(bcx, *callee) == Some("new") {
                    manually_drop.push(id);
                }
                if let Some((leaker, resolved)) = leaker_at(bcx, *callee) {
                    report(bcx, leaker, &resolved, *callee, id, true, from_raw, out);
                }
            }
            ExprKind::Path(_) if !callees.contains(&id) && names.may_name(bcx, id) => {
                if let Some((leaker, resolved)) = leaker_at(bcx, id) {
                    report(bcx, leaker, &resolved, id, id, false, from_raw, out);
                }
            }
            ExprKind::MethodCall(m)
                if bcx.ir.method_call(*m).method.is("leak")
                    && bcx.ir.method_call(*m).args.is_empty() =>
            {
                let m = bcx.ir.method_call(*m);
                let inits = inits.get_or_insert_with(|| let_inits(bcx));
                let Some(ty) = std_type_of(bcx, inits, m.receiver) else {
                    return;
                };
                let path: Vec<&str> = ty.iter().map(|s| s.as_str()).collect();
                let leaker = match path.as_slice() {
                    ["std", "vec", "Vec"] => &LEAKERS[1],
                    ["std", "string", "String"] => &LEAKERS[2],
                    _ => return,
                };
                let message = format!(
                    "{}(..) leaks its allocation for the rest of the program",
                    leaker.name
                );
                out.push(
                    Diagnostic::new(
                        RULE.meta.id,
                        Level::Warning,
                        message,
                        bcx.label(expr.span, "this allocation is never freed"),
                    )
                    .with_help(LEAK_HELP),
                );
            }
            _ => {}
        },
    );
    for call in manually_drop {
        let uses = manually_drop_uses(bcx, call);
        if uses.iter().any(|u| *u != Use::Kept) {
            continue;
        }
        // A crate that rebuilds values from raw parts may take this one back.
        let rebuilt = FROM_RAW_PARTS.iter().find(|p| from_raw.contains(p));
        let mut d = match rebuilt {
            Some(path) => Diagnostic::new(
                RULE.meta.id,
                Level::Note,
                format!(
                    "ManuallyDrop::new(..) keeps its value from being dropped; this crate rebuilds \
                     such values with {}",
                    path[path.len().saturating_sub(2)..].join("::")
                ),
                bcx.label(bcx.ir.expr(call).span, ""),
            )
            .with_verbosity(1),
            None => Diagnostic::new(
                RULE.meta.id,
                Level::Warning,
                "ManuallyDrop::new(..) is never dropped: nothing in this function drops it, takes \
                 its value back or hands it on, so whatever it owns is leaked",
                bcx.label(bcx.ir.expr(call).span, "never dropped"),
            ),
        };
        d = d.with_help(
            "give the value back with `ManuallyDrop::into_inner`, `ManuallyDrop::take` or \
             `ManuallyDrop::drop` where it is done with, or say the leak is meant with `Box::leak`",
        );
        out.push(d);
    }
}

fn leaker_at(bcx: &BodyCx<'_, '_>, path_expr: ExprId) -> Option<(&'static Leaker, Resolved)> {
    let resolved = bcx.resolve_path(path_expr)?;
    let leaker = LEAKERS.iter().find(|l| resolved.def.is_external(l.path))?;
    Some((leaker, resolved))
}

const LEAK_HELP: &str = "if the value must live until the program ends, keep it in a `static` \
     (`LazyLock` or `OnceLock`) where that is visible; otherwise keep ownership and let it drop";

#[allow(clippy::too_many_arguments)]
fn report(
    bcx: &BodyCx<'_, '_>,
    leaker: &Leaker,
    resolved: &Resolved,
    path_expr: ExprId,
    at: ExprId,
    called: bool,
    from_raw: &FromRaw<'_, '_>,
    out: &mut Vec<Diagnostic>,
) {
    let span = bcx.ir.expr(at).span;
    let shown = if called {
        format!("{}(..)", leaker.name)
    } else {
        leaker.name.to_string()
    };
    // A forgotten value that owns nothing leaks nothing; one whose type is unknown is a verdict
    // for `-m`, not a warning.
    let mut level = Level::Warning;
    if let Kind::Forget = leaker.kind
        && called
        && let ExprKind::Call { args, .. } = bcx.ir.expr(at).kind
        && let [arg] = bcx.ir.list(args)
    {
        match value_owns(bcx, *arg) {
            Owns::No => return,
            Owns::Unknown => level = Level::Note,
            Owns::Yes => {}
        }
    }
    let (message, label, help) = match leaker.kind {
        Kind::Leak if called => (
            format!("{shown} leaks its allocation for the rest of the program"),
            "this allocation is never freed",
            LEAK_HELP.to_string(),
        ),
        Kind::Leak => (
            format!("{shown} is passed as a function: every value it is called with is leaked"),
            "leaks each value it receives",
            LEAK_HELP.to_string(),
        ),
        Kind::Forget => (
            format!("{shown} never runs its argument's destructor: whatever it owns is leaked"),
            "the destructor never runs",
            "to keep a value from being dropped on purpose, `ManuallyDrop::new` says so; \
             otherwise let the value drop"
                .to_string(),
        ),
        Kind::IntoRaw { from_raw: pair } => {
            let ty = &leaker.name[..leaker.name.find("::").unwrap_or(0)];
            if let Some(back) = pair.iter().find(|p| from_raw.contains(p)) {
                // Paired: the pointer is likely turned back where it is done with.
                level = Level::Note;
                (
                    format!(
                        "{shown} hands its allocation to a raw pointer; this crate takes such \
                         pointers back with {ty}::{}",
                        back.last().copied().unwrap_or("from_raw")
                    ),
                    "the pointer owns the allocation from here on",
                    format!("make sure every pointer made here reaches `{ty}::from_raw`"),
                )
            } else {
                (
                    format!(
                        "{shown} leaks its allocation: nothing in this crate calls {ty}::from_raw to take it back"
                    ),
                    "the pointer owns the allocation from here on",
                    format!(
                        "turn the pointer back with `{ty}::from_raw` where it is done with, so the value is dropped"
                    ),
                )
            }
        }
    };
    let mut diag =
        Diagnostic::new(RULE.meta.id, level, message, bcx.label(span, label)).with_help(help);
    if level == Level::Note {
        diag = diag.with_verbosity(1);
    }
    if let Some(note) = renamed_import_note(bcx, resolved, path_expr) {
        diag.children.insert(0, note);
    }
    out.push(diag);
}

/// `ManuallyDrop::new`, `drop`, `into_inner` or `take`, by the function's name.
fn manually_drop_fn(bcx: &BodyCx<'_, '_>, callee: ExprId) -> Option<&'static str> {
    let resolved = bcx.resolve_path(callee)?;
    let path = resolved.def.external_path()?;
    let [std, mem, ty, name] = path else {
        return None;
    };
    if !(std.is("std") && mem.is("mem") && ty.is("ManuallyDrop")) {
        return None;
    }
    ["new", "drop", "into_inner", "take"]
        .into_iter()
        .find(|n| name.is(n))
}

/// How an expression is used by its parent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    /// Given to `ManuallyDrop::drop`, `into_inner` or `take`.
    Released,
    /// Moved on: into a call, a field, a collection, another binding, the return slot.
    HandedOff,
    /// Borrowed, called a method on, or read: the `ManuallyDrop` stays where it is.
    Kept,
}

/// The uses of a `ManuallyDrop::new(..)` call's value: of the call itself, or of the local
/// it is bound to.
fn manually_drop_uses(bcx: &BodyCx<'_, '_>, call: ExprId) -> Vec<Use> {
    let ir = bcx.ir;
    let mut bound = None;
    let mut uses = Vec::new();
    // Parents first: each expression with how its parent uses it, and whether it is in
    // `unsafe` code, where a value is taken out of its `ManuallyDrop` by raw pointers
    // (`ptr::read`), which counts as handing it on.
    let in_unsafe_fn = bcx.function().is_some_and(|f| f.sig.is_unsafe);
    let mut stack = vec![(bcx.body.value, Use::HandedOff, in_unsafe_fn)];
    while let Some((id, how, in_unsafe)) = stack.pop() {
        let expr = ir.expr(id);
        let target = id == call || matches!(expr.kind, ExprKind::Local(l) if Some(l) == bound);
        if target {
            uses.push(if in_unsafe { Use::HandedOff } else { how });
        }
        match &expr.kind {
            ExprKind::Block(b) => {
                let block = ir.block(*b);
                let in_unsafe = in_unsafe || block.kind == crate::ir::BlockKind::Unsafe;
                for stmt in ir.list(block.stmts) {
                    match *stmt {
                        crate::ir::Stmt::Let(l) => {
                            let l = ir.let_stmt(l);
                            let Some(init) = l.init else { continue };
                            if init == call {
                                if let crate::ir::PatKind::Bind { local, sub: None } =
                                    ir.pat(l.pat).kind
                                {
                                    bound = Some(local);
                                }
                                // Bound here, or dropped by `let _ =`: it stays in this function.
                                stack.push((init, Use::Kept, in_unsafe));
                            } else {
                                stack.push((init, Use::HandedOff, in_unsafe));
                            }
                        }
                        crate::ir::Stmt::Expr { expr, semi } => {
                            let how = if semi { Use::Kept } else { Use::HandedOff };
                            stack.push((expr, how, in_unsafe));
                        }
                        crate::ir::Stmt::Item(_) => {}
                    }
                }
                if let Some(tail) = block.tail {
                    stack.push((tail, how, in_unsafe));
                }
            }
            ExprKind::Call { callee, args } => {
                let release = matches!(
                    manually_drop_fn(bcx, *callee),
                    Some("drop" | "into_inner" | "take")
                );
                let how = if release {
                    Use::Released
                } else {
                    Use::HandedOff
                };
                for &arg in ir.list(*args) {
                    stack.push((arg, how, in_unsafe));
                }
            }
            ExprKind::Ref { expr, .. } => {
                // `ManuallyDrop::drop(&mut md)` releases through the borrow.
                let how = if how == Use::Released {
                    Use::Released
                } else {
                    Use::Kept
                };
                stack.push((*expr, how, in_unsafe));
            }
            ExprKind::MethodCall(m) => {
                let m = ir.method_call(*m);
                stack.push((m.receiver, Use::Kept, in_unsafe));
                for &arg in ir.list(m.args) {
                    stack.push((arg, Use::HandedOff, in_unsafe));
                }
            }
            ExprKind::Field { base, .. } | ExprKind::Index { base, .. } => {
                stack.push((*base, Use::Kept, in_unsafe));
            }
            ExprKind::Unary { expr, .. } => stack.push((*expr, Use::Kept, in_unsafe)),
            kind => walk::children(ir, kind, |child| {
                stack.push((child, Use::HandedOff, in_unsafe))
            }),
        }
    }
    uses
}

/// `f(x)` after `use std::mem::forget as f;` says what `f` is, and where it was imported.
fn renamed_import_note(
    bcx: &BodyCx<'_, '_>,
    resolved: &Resolved,
    path_expr: ExprId,
) -> Option<Child> {
    let via = resolved.via?;
    let ExprKind::Path(path) = bcx.ir.expr(path_expr).kind else {
        return None;
    };
    let full = resolved.def.external_path()?;
    let written_last = bcx.ir.path_last(bcx.ir.path(path))?;
    if full.last() == Some(&written_last) {
        return None;
    }
    Some(Child {
        level: Level::Note,
        message: format!("`{}` is `{}`, imported here", via.name, path_string(full)),
        at: Some(crate::diagnostic::Label::new(via.file, via.span, "")),
    })
}
