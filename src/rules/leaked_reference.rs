//! `leaked_reference`: calls that give up ownership of heap memory without anything to free it.
//!
//! Reported: `Box::leak`, `Vec::leak`, `String::leak` and `mem::forget`, called or passed as a
//! function value, and `Box::into_raw`, `Rc::into_raw` and `Arc::into_raw` when the crate never
//! calls the matching `from_raw`. Calls are recognized by name resolution, however they are
//! spelled (`core::mem::forget`, `use std::mem::forget as f`); a local function or method of the
//! same name never matches. `v.leak()` is reported only when `v` is known to be a `Vec` or a
//! `String`.

use super::{Rule, RuleMeta};
use crate::analyze::types::{let_inits, std_type_of};
use crate::analyze::{BodyCx, CrateCx};
use crate::diagnostic::{Child, Diagnostic, Level};
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
    },
    check,
};

#[derive(Clone, Copy)]
enum Kind {
    /// `Box::leak` and friends: the allocation lives for the rest of the program.
    Leak,
    /// `mem::forget`: the destructor never runs.
    Forget,
    /// `into_raw`: fine when paired with `from_raw`.
    IntoRaw { from_raw: &'static [&'static str] },
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
            from_raw: &["std", "boxed", "Box", "from_raw"],
        },
    },
    Leaker {
        path: &["std", "rc", "Rc", "into_raw"],
        name: "Rc::into_raw",
        kind: Kind::IntoRaw {
            from_raw: &["std", "rc", "Rc", "from_raw"],
        },
    },
    Leaker {
        path: &["std", "sync", "Arc", "into_raw"],
        name: "Arc::into_raw",
        kind: Kind::IntoRaw {
            from_raw: &["std", "sync", "Arc", "from_raw"],
        },
    },
];

fn check(cx: &CrateCx<'_>, out: &mut Vec<Diagnostic>) {
    let from_raw = from_raw_calls(cx);
    for bcx in cx.owned_bodies() {
        check_body(&bcx, &from_raw, out);
    }
}

/// The `from_raw` functions the crate calls anywhere (or passes as values).
fn from_raw_calls(cx: &CrateCx<'_>) -> FxHashSet<&'static [&'static str]> {
    let wanted: Vec<&'static [&'static str]> = LEAKERS
        .iter()
        .filter_map(|l| match l.kind {
            Kind::IntoRaw { from_raw } => Some(from_raw),
            _ => None,
        })
        .collect();
    let mut found = FxHashSet::default();
    for bcx in cx.all_bodies() {
        walk::walk(bcx.ir, bcx.body.value, &mut |_, id, expr| {
            if let ExprKind::Path(_) = expr.kind
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
    from_raw: &FxHashSet<&'static [&'static str]>,
    out: &mut Vec<Diagnostic>,
) {
    let mut callees = FxHashSet::default();
    let mut inits = None;
    walk::walk(
        bcx.ir,
        bcx.body.value,
        &mut |_, id, expr| match &expr.kind {
            ExprKind::Call { callee, .. } => {
                callees.insert(*callee);
                if let Some((leaker, resolved)) = leaker_at(bcx, *callee) {
                    report(bcx, leaker, &resolved, *callee, id, true, from_raw, out);
                }
            }
            ExprKind::Path(_) if !callees.contains(&id) => {
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
    from_raw: &FxHashSet<&'static [&'static str]>,
    out: &mut Vec<Diagnostic>,
) {
    let span = bcx.ir.expr(at).span;
    let shown = if called {
        format!("{}(..)", leaker.name)
    } else {
        leaker.name.to_string()
    };
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
            if from_raw.contains(pair) {
                return;
            }
            let ty = &leaker.name[..leaker.name.find("::").unwrap_or(0)];
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
    };
    let mut diag = Diagnostic::new(
        RULE.meta.id,
        Level::Warning,
        message,
        bcx.label(span, label),
    )
    .with_help(help);
    if let Some(note) = renamed_import_note(bcx, resolved, path_expr) {
        diag.children.insert(0, note);
    }
    out.push(diag);
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
