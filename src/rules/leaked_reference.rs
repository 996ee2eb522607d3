//! `leaked_reference`: calls that give up ownership of heap memory without anything to free it.
//!
//! Reported: `Box::leak`, `Vec::leak`, `String::leak` and `mem::forget`, called or passed as a
//! function value, and `Box::into_raw`, `Rc::into_raw` and `Arc::into_raw` when the crate never
//! calls the matching `from_raw`. Calls are recognized by name resolution, however they are
//! spelled (`core::mem::forget`, `use std::mem::forget as f`); a local function or method of the
//! same name never matches. `v.leak()` is reported only when `v` is known to be a `Vec` or a
//! `String`.

use super::{Rule, RuleMeta};
use crate::diagnostic::{Child, Diagnostic, FileId, Level};
use crate::escape::CrateEscape;
use crate::facts::api::{self, Effect, Leak};
use crate::facts::types::{Owns, Type, type_of, value_owns};
use crate::facts::uses::{ExprUse, Use, Uses};
use crate::facts::{BodyCx, CrateCx};
use crate::index::{Resolved, path_string};
use crate::ir::{ExprId, ExprKind, PatKind, walk};
use crate::sym::{FxHashSet, Sym};

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

/// A function that gives up ownership, from the API table.
#[derive(Clone, Copy)]
struct Leaker {
    path: &'static [&'static str],
    leak: Leak,
}

impl Leaker {
    /// The function that `path` names, if it leaks.
    fn at(path: &[Sym]) -> Option<Leaker> {
        let (path, api) = api::path_entry(path)?;
        Some(Leaker {
            path,
            leak: api.leaks()?,
        })
    }

    /// How the message names it: `Box::leak`, `mem::forget`.
    fn name(&self) -> String {
        self.path[self.path.len().saturating_sub(2)..].join("::")
    }

    /// For an `into_raw`, the functions of its type that take the allocation back
    /// (`Box::from_raw`), in the table's order.
    fn taken_back_by(&self) -> Vec<&'static [&'static str]> {
        let ty = &self.path[..self.path.len() - 1];
        api::paths_where(|a| a.has(Effect::TakesBackRaw))
            .filter(|p| p.starts_with(ty) && p.len() == ty.len() + 1)
            .collect()
    }
}

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

impl Names {
    fn of(cx: &CrateCx<'_>) -> Names {
        // The functions that leak or take back, and the type of those that keep from dropping:
        // a few names, compared by pointer with every import of the workspace.
        let mut known_functions: Vec<Sym> = Vec::new();
        let mut known_types: Vec<Sym> = Vec::new();
        for path in api::paths_where(|a| {
            a.leaks().is_some() || a.has(Effect::TakesBackRaw) || a.has(Effect::RebuildsFromRaw)
        }) {
            add_name(&mut known_functions, path.last().copied());
        }
        for path in
            api::paths_where(|a| a.has(Effect::KeepsFromDrop) || a.has(Effect::ReleasesKept))
        {
            add_name(&mut known_types, path.len().checked_sub(2).map(|i| path[i]));
        }
        let mut functions: FxHashSet<Sym> = known_functions.iter().copied().collect();
        let mut types: FxHashSet<Sym> = known_types.iter().copied().collect();
        // `use std::mem::forget as f;`, in the crate's files: no other import can name a
        // function for its paths.
        let mut files: Vec<FileId> = cx.index.tree.modules.iter().map(|m| m.file).collect();
        files.sort_unstable();
        files.dedup();
        for file in files {
            let Some(ir) = cx.loaded.ir(file) else {
                continue;
            };
            for item in &ir.items {
                let crate::ir::ItemKind::Use(imports) = &item.kind else {
                    continue;
                };
                for import in imports.iter() {
                    let (Some(last), Some(name)) = (import.path.last(), import.name) else {
                        continue;
                    };
                    if known_functions.contains(last) {
                        functions.insert(name);
                    } else if known_types.contains(last) {
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

/// Adds a name to a short list, once.
fn add_name(names: &mut Vec<Sym>, name: Option<&str>) {
    if let Some(name) = name.map(Sym::new)
        && !names.contains(&name)
    {
        names.push(name);
    }
}

/// What takes back the memory a `ManuallyDrop` was keeping: a value rebuilt from its raw
/// parts (`Vec::from_raw_parts`), in the table's order.
fn rebuilders() -> impl Iterator<Item = &'static [&'static str]> {
    api::paths_where(|a| a.has(Effect::RebuildsFromRaw))
}

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
    let wanted: Vec<&'static [&'static str]> =
        api::paths_where(|a| a.has(Effect::TakesBackRaw) || a.has(Effect::RebuildsFromRaw))
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
                if callee_api(bcx, *callee).has(Effect::KeepsFromDrop) {
                    manually_drop.push(id);
                }
                if let Some((leaker, resolved)) = leaker_at(bcx, *callee) {
                    report(bcx, &leaker, &resolved, *callee, id, true, from_raw, out);
                }
            }
            ExprKind::Path(_) if !callees.contains(&id) && names.may_name(bcx, id) => {
                if let Some((leaker, resolved)) = leaker_at(bcx, id) {
                    report(bcx, &leaker, &resolved, id, id, false, from_raw, out);
                }
            }
            ExprKind::MethodCall(m)
                if api::method(bcx.ir.method_call(*m).method).leaks() == Some(Leak::Forever)
                    && bcx.ir.method_call(*m).args.is_empty() =>
            {
                // `v.leak()` on a `Vec` or `String`: the method of the receiver's type.
                let m = bcx.ir.method_call(*m);
                let Some(Type::External(ty)) = type_of(bcx, m.receiver) else {
                    return;
                };
                let path: Vec<Sym> = ty.iter().copied().chain([m.method]).collect();
                let Some(leaker) = Leaker::at(&path).filter(|l| {
                    !api::path(&path).has(Effect::NotAMethod) && l.leak == Leak::Forever
                }) else {
                    return;
                };
                let message = format!(
                    "{}(..) leaks its allocation for the rest of the program",
                    leaker.name()
                );
                out.push(
                    Diagnostic::new(
                        RULE.code(),
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
        if manually_drop_fates(bcx, call)
            .iter()
            .any(|f| *f != Fate::Kept)
        {
            continue;
        }
        // A crate that rebuilds values from raw parts may take this one back.
        let rebuilt = rebuilders().find(|p| from_raw.contains(p));
        let mut d = match rebuilt {
            Some(path) => Diagnostic::new(
                RULE.code(),
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
                RULE.code(),
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

fn leaker_at(bcx: &BodyCx<'_, '_>, path_expr: ExprId) -> Option<(Leaker, Resolved)> {
    let resolved = bcx.resolve_path(path_expr)?;
    let leaker = Leaker::at(resolved.def.external_path()?)?;
    Some((leaker, resolved))
}

/// The API table's entry for what a call's callee names.
fn callee_api(bcx: &BodyCx<'_, '_>, callee: ExprId) -> api::Api {
    match bcx.resolve_path(callee) {
        Some(resolved) => resolved
            .def
            .external_path()
            .map(api::path)
            .unwrap_or_default(),
        None => api::Api::default(),
    }
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
        format!("{}(..)", leaker.name())
    } else {
        leaker.name()
    };
    // A forgotten value that owns nothing leaks nothing; one whose type is unknown is a verdict
    // for `-m`, not a warning.
    let mut level = Level::Warning;
    if leaker.leak == Leak::SkipsDrop
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
    let (message, label, help) = match leaker.leak {
        Leak::Forever if called => (
            format!("{shown} leaks its allocation for the rest of the program"),
            "this allocation is never freed",
            LEAK_HELP.to_string(),
        ),
        Leak::Forever => (
            format!("{shown} is passed as a function: every value it is called with is leaked"),
            "leaks each value it receives",
            LEAK_HELP.to_string(),
        ),
        Leak::SkipsDrop => (
            format!("{shown} never runs its argument's destructor: whatever it owns is leaked"),
            "the destructor never runs",
            "to keep a value from being dropped on purpose, `ManuallyDrop::new` says so; \
             otherwise let the value drop"
                .to_string(),
        ),
        Leak::IntoRaw => {
            let name = leaker.name();
            let ty = &name[..name.find("::").unwrap_or(0)];
            if let Some(back) = leaker
                .taken_back_by()
                .into_iter()
                .find(|p| from_raw.contains(p))
            {
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
        Diagnostic::new(RULE.code(), level, message, bcx.label(span, label)).with_help(help);
    if level == Level::Note {
        diag = diag.with_verbosity(1);
    }
    if let Some(note) = renamed_import_note(bcx, resolved, path_expr) {
        diag.children.insert(0, note);
    }
    out.push(diag);
}

/// What a use does to a `ManuallyDrop`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Given to `ManuallyDrop::drop`, `into_inner` or `take`.
    Released,
    /// Moved on: into a call, a field, a collection, another binding, the return slot.
    HandedOff,
    /// Borrowed, called a method on, or read: the `ManuallyDrop` stays where it is.
    Kept,
}

/// What the uses of a `ManuallyDrop::new(..)` call's value do to it: of the call itself, and
/// of the local a `let` binds it to. In `unsafe` code a value is taken out of its
/// `ManuallyDrop` by raw pointers (`ptr::read`), which counts as handing it on.
fn manually_drop_fates(bcx: &BodyCx<'_, '_>, call: ExprId) -> Vec<Fate> {
    let uses = bcx.uses();
    let mut targets = vec![call];
    if let Some(ExprUse {
        how: Use::Let(l), ..
    }) = uses.of(call)
        && let PatKind::Bind { local, sub: None } = bcx.ir.pat(bcx.ir.let_stmt(l).pat).kind
    {
        targets.extend_from_slice(uses.of_local(local));
    }
    targets
        .into_iter()
        .filter_map(|e| {
            let at = uses.of(e)?;
            Some(if at.in_unsafe {
                Fate::HandedOff
            } else {
                fate(bcx, uses, call, e)
            })
        })
        .collect()
}

/// What the use of `expr` does to the `ManuallyDrop` made by `call`.
fn fate(bcx: &BodyCx<'_, '_>, uses: &Uses, call: ExprId, expr: ExprId) -> Fate {
    let Some(at) = uses.of(expr) else {
        return Fate::HandedOff;
    };
    let parent = || match at.parent {
        Some(parent) => fate(bcx, uses, call, parent),
        None => Fate::HandedOff,
    };
    match at.how {
        // Bound here, or dropped by `let _ =`: it stays in this function.
        Use::Let(_) if expr == call => Fate::Kept,
        Use::Discard | Use::Receiver { .. } | Use::Project | Use::Callee => Fate::Kept,
        // `ManuallyDrop::drop(&mut md)` releases through the borrow.
        Use::Borrow { .. } => match parent() {
            Fate::Released => Fate::Released,
            _ => Fate::Kept,
        },
        Use::Arg { call: c } => match bcx.ir.expr(c).kind {
            ExprKind::Call { callee, .. } if callee_api(bcx, callee).has(Effect::ReleasesKept) => {
                Fate::Released
            }
            _ => Fate::HandedOff,
        },
        Use::Tail => parent(),
        _ => Fate::HandedOff,
    }
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
