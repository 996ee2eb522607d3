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
use crate::facts::types::{Owns, Type, Types, type_of, value_owns};
use crate::facts::uses::{ExprUse, Use, UseKind, Uses};
use crate::facts::{BodyCx, CrateCx};
use crate::index::{Resolved, path_string};
use crate::ir::{
    ExprId, ExprKind, ItemId, ItemKind, LocalId, LocalKind, PatKind, StaticKind, walk,
};
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
    let mut found: Vec<Finding> = Vec::new();
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
                    found.extend(report(bcx, &leaker, &resolved, *callee, id, true, from_raw));
                }
            }
            ExprKind::Path(_) if !callees.contains(&id) && names.may_name(bcx, id) => {
                if let Some((leaker, resolved)) = leaker_at(bcx, id) {
                    found.extend(report(bcx, &leaker, &resolved, id, id, false, from_raw));
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
                let shown = format!("{}(..)", leaker.name());
                let diag = Diagnostic::new(
                    RULE.code(),
                    Level::Warning,
                    format!("{shown} leaks its allocation for the rest of the program"),
                    bcx.label(expr.span, "this allocation is never freed"),
                )
                .with_help(LEAK_HELP);
                found.push(Finding {
                    at: id,
                    shown,
                    diag,
                });
            }
            _ => {}
        },
    );
    for call in manually_drop {
        found.extend(kept_from_drop(bcx, call, from_raw));
    }
    let mut once: Vec<(Once, Vec<Finding>)> = Vec::new();
    for finding in found {
        if finding.diag.level == Level::Warning
            && let Some(init) = once_initializer(bcx, finding.at)
        {
            match once.iter_mut().find(|(o, _)| o.at == init.at) {
                Some((_, group)) => group.push(finding),
                None => once.push((init, vec![finding])),
            }
            continue;
        }
        out.push(finding.diag);
    }
    for (init, group) in once {
        out.push(once_note(bcx, &init, group));
    }
}

/// A finding, before one-time leaks are grouped by initializer.
struct Finding {
    /// The leaking expression.
    at: ExprId,
    /// How the message names the call: `Box::leak(..)`.
    shown: String,
    diag: Diagnostic,
}

/// A `ManuallyDrop::new(..)` call that nothing in its function gives back or hands on.
fn kept_from_drop(
    bcx: &BodyCx<'_, '_>,
    call: ExprId,
    from_raw: &FromRaw<'_, '_>,
) -> Option<Finding> {
    if manually_drop_fates(bcx, call)
        .iter()
        .any(|f| *f != Fate::Kept)
    {
        return None;
    }
    let arg = match bcx.ir.expr(call).kind {
        ExprKind::Call { args, .. } => bcx.ir.list(args).first().copied(),
        _ => None,
    };
    // `ManuallyDrop::new(ptr::read(p))`: a copy of a value that stays where it was, kept from
    // being dropped twice (the std "hole" idiom).
    if arg.is_some_and(|a| is_bitwise_copy(bcx, a, 0)) {
        return None;
    }
    let span = bcx.ir.expr(call).span;
    let shown = "ManuallyDrop::new(..)".to_string();
    // `let this = ManuallyDrop::new(self);` and then its fields read out by pointer.
    if let Some(arg) = arg
        && let Some(ExprUse {
            how: Use::Let(l), ..
        }) = bcx.uses().of(call)
        && let PatKind::Bind { local, sub: None } = bcx.ir.pat(bcx.ir.let_stmt(l).pat).kind
        && handed_over(bcx, local, adt_of(bcx, arg), |_| true)
    {
        let diag = Diagnostic::new(
            RULE.code(),
            Level::Note,
            "ManuallyDrop::new(..) whose parts are read out: ownership handed over",
            bcx.label(span, ""),
        )
        .with_verbosity(1);
        return Some(Finding {
            at: call,
            shown,
            diag,
        });
    }
    // What it keeps: nothing (a guard kept from running), or something unknown (a note).
    let owns = arg.map_or(Owns::Unknown, |a| value_owns(bcx, a));
    if owns == Owns::No {
        return None;
    }
    // A crate that rebuilds values from raw parts may take this one back.
    let rebuilt = rebuilders().find(|p| from_raw.contains(p));
    let diag = match rebuilt {
        Some(path) => Diagnostic::new(
            RULE.code(),
            Level::Note,
            format!(
                "ManuallyDrop::new(..) keeps its value from being dropped; this crate rebuilds \
                 such values with {}",
                path[path.len().saturating_sub(2)..].join("::")
            ),
            bcx.label(span, ""),
        )
        .with_verbosity(1),
        None if owns == Owns::Yes => Diagnostic::new(
            RULE.code(),
            Level::Warning,
            "ManuallyDrop::new(..) is never dropped: nothing in this function drops it, takes \
             its value back or hands it on, so whatever it owns is leaked",
            bcx.label(span, "never dropped"),
        ),
        None => Diagnostic::new(
            RULE.code(),
            Level::Note,
            "ManuallyDrop::new(..) is never dropped: nothing in this function drops it, takes \
             its value back or hands it on; whether the value owns anything is not known here",
            bcx.label(span, ""),
        )
        .with_verbosity(1),
    };
    let diag = diag.with_help(
        "give the value back with `ManuallyDrop::into_inner`, `ManuallyDrop::take` or \
         `ManuallyDrop::drop` where it is done with, or say the leak is meant with `Box::leak`",
    );
    Some(Finding {
        at: call,
        shown,
        diag,
    })
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

/// The finding for a leaking function called (or passed as a value) at `at`, if it leaks.
fn report(
    bcx: &BodyCx<'_, '_>,
    leaker: &Leaker,
    resolved: &Resolved,
    path_expr: ExprId,
    at: ExprId,
    called: bool,
    from_raw: &FromRaw<'_, '_>,
) -> Option<Finding> {
    let span = bcx.ir.expr(at).span;
    let shown = if called {
        format!("{}(..)", leaker.name())
    } else {
        leaker.name()
    };
    let mut level = Level::Warning;
    let (message, label, help) = match leaker.leak {
        Leak::SkipsDrop => {
            // A forgotten value that owns nothing leaks nothing; one whose type is unknown is a
            // verdict for `-m`, not a warning; one taken apart first was handed over.
            let owns = match bcx.ir.expr(at).kind {
                ExprKind::Call { args, .. } if called => match bcx.ir.list(args) {
                    [arg] => forgotten_owns(bcx, *arg, span),
                    _ => Forgotten::Owns(Owns::Unknown),
                },
                _ => Forgotten::Owns(passed_forget_owns(bcx, path_expr)),
            };
            match owns {
                Forgotten::Owns(Owns::No) | Forgotten::Copy => return None,
                Forgotten::HandedOver => {
                    let diag = Diagnostic::new(
                        RULE.code(),
                        Level::Note,
                        format!(
                            "{shown} after the value's parts were read out: ownership handed over"
                        ),
                        bcx.label(span, ""),
                    )
                    .with_verbosity(1);
                    return Some(Finding { at, shown, diag });
                }
                Forgotten::Owns(Owns::Unknown) => level = Level::Note,
                Forgotten::Owns(Owns::Yes) => {}
            }
            let message = match (called, level) {
                (true, Level::Warning) => format!(
                    "{shown} never runs its argument's destructor: whatever it owns is leaked"
                ),
                (true, _) => format!(
                    "{shown} never runs its argument's destructor; whether the value owns \
                     anything is not known here"
                ),
                (false, Level::Warning) => format!(
                    "{shown} is passed as a function: the destructor of every value it receives \
                     never runs, and whatever they own is leaked"
                ),
                (false, _) => format!(
                    "{shown} is passed as a function: the destructor of every value it receives \
                     never runs; whether they own anything is not known here"
                ),
            };
            (
                message,
                "the destructor never runs",
                "to keep a value from being dropped on purpose, `ManuallyDrop::new` says so; \
                 otherwise let the value drop"
                    .to_string(),
            )
        }
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
    Some(Finding { at, shown, diag })
}

/// What `mem::forget` is given.
enum Forgotten {
    /// A value that owns this much.
    Owns(Owns),
    /// A bitwise copy of a value that stays where it was (`ptr::read(p)`).
    Copy,
    /// A value whose owning parts were read out first.
    HandedOver,
}

/// What the value `arg` of a `mem::forget` at `call` is.
fn forgotten_owns(bcx: &BodyCx<'_, '_>, arg: ExprId, call: crate::ir::Span) -> Forgotten {
    if is_bitwise_copy(bcx, arg, 0) {
        return Forgotten::Copy;
    }
    let owns = value_owns(bcx, arg);
    if owns != Owns::No
        && let ExprKind::Local(local) = bcx.ir.expr(arg).kind
        && handed_over(bcx, local, adt_of(bcx, arg), |at| at.lo < call.lo)
    {
        return Forgotten::HandedOver;
    }
    Forgotten::Owns(owns)
}

/// What the values own that `mem::forget`, passed as a function, receives: the elements of
/// `v.into_iter()` or `v.drain(..)` for a local declared as a std collection, references for
/// `v.iter()`, the value of an `Option`; unknown otherwise.
fn passed_forget_owns(bcx: &BodyCx<'_, '_>, path_expr: ExprId) -> Owns {
    let Some(ExprUse {
        how: Use::Arg { call },
        ..
    }) = bcx.uses().of(path_expr)
    else {
        return Owns::Unknown;
    };
    let ExprKind::MethodCall(m) = bcx.ir.expr(call).kind else {
        return Owns::Unknown;
    };
    let receiver = bcx.ir.method_call(m).receiver;
    let types = Types::of_body(bcx);
    // The first type argument of a local declared as a std type.
    let declared_elem = |expr: ExprId, containers: &[&str]| -> Option<Owns> {
        let ExprKind::Local(l) = bcx.ir.expr(expr).kind else {
            return None;
        };
        let ty = bcx.body.local(l).ty?;
        if let crate::ir::TyKind::Array { elem, .. } = bcx.ir.ty(ty).kind {
            return Some(types.owns(elem));
        }
        let (path, args) = types.std_path(ty)?;
        let name = path.last()?.as_str();
        containers
            .contains(&name)
            .then(|| args.first().map(|&a| types.owns(a)))
            .flatten()
    };
    match bcx.ir.expr(receiver).kind {
        ExprKind::MethodCall(inner) => {
            let inner = bcx.ir.method_call(inner);
            let api = api::method(inner.method);
            if inner.method.is("into_iter") || inner.method.is("drain") {
                const COLLECTIONS: &[&str] = &[
                    "Vec",
                    "VecDeque",
                    "HashSet",
                    "BTreeSet",
                    "BinaryHeap",
                    "LinkedList",
                    "Option",
                ];
                declared_elem(inner.receiver, COLLECTIONS).unwrap_or(Owns::Unknown)
            } else if api.has(Effect::BorrowsReceiver) && !api.has(Effect::PassesThrough) {
                // `v.iter()`: references.
                Owns::No
            } else {
                Owns::Unknown
            }
        }
        _ => declared_elem(receiver, &["Option"]).unwrap_or(Owns::Unknown),
    }
}

/// Whether `expr` is a bitwise copy of a value that stays where it was (`ptr::read(p)`),
/// through blocks and the `let` that binds it.
fn is_bitwise_copy(bcx: &BodyCx<'_, '_>, expr: ExprId, depth: u32) -> bool {
    if depth > 4 {
        return false;
    }
    match bcx.ir.expr(expr).kind {
        ExprKind::Block(b) => bcx
            .ir
            .block(b)
            .tail
            .is_some_and(|t| is_bitwise_copy(bcx, t, depth + 1)),
        ExprKind::Local(l) => bcx
            .let_init(l)
            .is_some_and(|init| is_bitwise_copy(bcx, init, depth + 1)),
        ExprKind::Call { callee, .. } => callee_api(bcx, callee).has(Effect::CopiesBitwise),
        ExprKind::MethodCall(m) => {
            api::method(bcx.ir.method_call(m).method).has(Effect::CopiesBitwise)
        }
        _ => false,
    }
}

/// The crate struct or enum a value is: `self` in a method, a local declared or built as one.
fn adt_of(bcx: &BodyCx<'_, '_>, value: ExprId) -> Option<(FileId, ItemId)> {
    if let ExprKind::Local(l) = bcx.ir.expr(value).kind {
        let local = bcx.body.local(l);
        if local.kind == LocalKind::SelfParam && local.ty.is_none() {
            return bcx.self_type();
        }
        if let Some(ty) = local.ty {
            return Types::of_body(bcx).crate_type(ty);
        }
    }
    match type_of(bcx, value)? {
        Type::Crate(adt) => Some(adt),
        Type::External(_) => None,
    }
}

/// Whether the local's value was taken apart by reading its parts out, in the uses of it
/// that `window` admits (those before a `mem::forget`, say): every field of `adt` that may own
/// something, or at least one part when the type is not known, was moved or copied out
/// (`let raw = self.raw`, `Task { raw: self.raw }`, `f(self.raw)`, returned) or read through a
/// raw pointer (`ptr::read(&self.alloc)`, `let p: *const Span = &this.span`). Forgetting such a
/// value hands its ownership over to the parts.
fn handed_over(
    bcx: &BodyCx<'_, '_>,
    local: LocalId,
    adt: Option<(FileId, ItemId)>,
    window: impl Fn(crate::ir::Span) -> bool,
) -> bool {
    let uses = bcx.uses();
    let read: Vec<Sym> = uses
        .of_local(local)
        .iter()
        .filter(|&&u| window(bcx.ir.expr(u).span))
        .filter_map(|&u| read_out(bcx, uses, u))
        .collect();
    if read.is_empty() {
        return false;
    }
    match adt.and_then(|adt| Types::of_body(bcx).field_owns(adt)) {
        Some(fields) => fields
            .iter()
            .filter(|(_, owns)| *owns != Owns::No)
            .all(|(name, _)| read.contains(name)),
        None => false,
    }
}

/// The field of a local that `expr`, a use of the local, reads out of it; see [`handed_over`].
fn read_out(bcx: &BodyCx<'_, '_>, uses: &Uses, expr: ExprId) -> Option<Sym> {
    let at = uses.of(expr)?;
    if at.how != Use::Project {
        return None;
    }
    let field = at.parent?;
    let ExprKind::Field { name, .. } = bcx.ir.expr(field).kind else {
        return None;
    };
    // The whole projection: `self.0.raw`.
    let mut outer = field;
    let at = loop {
        let at = uses.of(outer)?;
        match at.parent {
            Some(p)
                if at.how == Use::Project
                    && matches!(bcx.ir.expr(p).kind, ExprKind::Field { .. }) =>
            {
                outer = p
            }
            _ => break at,
        }
    };
    let read = match at.how {
        Use::Borrow { .. } => at.parent.is_some_and(|r| is_raw_read(bcx, uses, r)),
        Use::MacroArg | Use::Scrutinee => false,
        _ => uses.kind_of(outer) == Some(UseKind::Moved),
    };
    read.then_some(name)
}

/// Whether the borrow `r` (`&x.f`) is read through a raw pointer: a raw borrow, a borrow
/// given to `ptr::read`, bound to a raw pointer or cast to one.
fn is_raw_read(bcx: &BodyCx<'_, '_>, uses: &Uses, r: ExprId) -> bool {
    if let ExprKind::Ref { raw: true, .. } = bcx.ir.expr(r).kind {
        return true;
    }
    let Some(at) = uses.of(r) else {
        return false;
    };
    let is_ptr = |ty: Option<crate::ir::TyId>| {
        ty.is_some_and(|t| matches!(bcx.ir.ty(t).kind, crate::ir::TyKind::Ptr { .. }))
    };
    match at.how {
        Use::Arg { call } => match bcx.ir.expr(call).kind {
            ExprKind::Call { callee, .. } => callee_api(bcx, callee).has(Effect::CopiesBitwise),
            _ => false,
        },
        Use::Let(l) => is_ptr(bcx.ir.let_stmt(l).ty),
        Use::Read => at.parent.is_some_and(
            |p| matches!(bcx.ir.expr(p).kind, ExprKind::Cast { ty, .. } if is_ptr(Some(ty))),
        ),
        _ => false,
    }
}

/// Code that runs at most once per process, around a leak.
struct Once {
    /// The initializer: a static's body, a closure, a guarded branch.
    at: ExprId,
    /// Why it runs once, for the message.
    why: String,
}

/// The once-initializer around `expr`, if there is one: the initializer of a `static` (a
/// `LazyLock`, `lazy_static!`; a `thread_local!` runs once per thread, which is not once), a
/// closure given to `get_or_init` or `call_once` of a `static` cell, or the branch that only
/// the caller that wins a static flag's `compare_exchange` takes.
fn once_initializer(bcx: &BodyCx<'_, '_>, expr: ExprId) -> Option<Once> {
    let uses = bcx.uses();
    let mut child = expr;
    while let Some(at) = uses.of(child) {
        let Some(parent) = at.parent else { break };
        match bcx.ir.expr(parent).kind {
            ExprKind::Closure(_) => {
                if let Some(ExprUse {
                    how: Use::Arg { call },
                    ..
                }) = uses.of(parent)
                    && let ExprKind::MethodCall(m) = bcx.ir.expr(call).kind
                    && let m = bcx.ir.method_call(m)
                    && api::method(m.method).has(Effect::RunsOnce)
                    && let Some(name) = static_named(bcx, m.receiver)
                {
                    return Some(Once {
                        at: parent,
                        why: format!("`{name}.{}` runs its closure once per process", m.method),
                    });
                }
            }
            ExprKind::If { cond, then, .. } if then == child => {
                if let Some(name) = claimed_flag(bcx, cond) {
                    return Some(Once {
                        at: parent,
                        why: format!(
                            "only the caller that wins `{name}.compare_exchange` gets here, once \
                             per process"
                        ),
                    });
                }
            }
            _ => {}
        }
        child = parent;
    }
    let owner = bcx.ir.item(bcx.at.owner);
    match &owner.kind {
        ItemKind::Static(s) if s.kind != StaticKind::ThreadLocal => Some(Once {
            at: bcx.body.value,
            why: format!(
                "the initializer of the static `{}` runs once per process",
                owner.name.map_or(String::new(), |n| n.to_string())
            ),
        }),
        _ => None,
    }
}

/// The name of the `static` (not a `thread_local!`) that the path expression `expr` names.
fn static_named(bcx: &BodyCx<'_, '_>, expr: ExprId) -> Option<Sym> {
    let resolved = bcx.resolve_path(expr)?;
    let crate::index::Def::Item(file, item) = resolved.def else {
        return None;
    };
    let item = bcx.cx.index.item(file, item)?;
    match &item.kind {
        ItemKind::Static(s) if resolved.rest == 0 && s.kind != StaticKind::ThreadLocal => item.name,
        _ => None,
    }
}

/// A static flag whose `compare_exchange` the condition `cond` calls.
fn claimed_flag(bcx: &BodyCx<'_, '_>, cond: ExprId) -> Option<Sym> {
    let mut flag = None;
    walk::walk(bcx.ir, cond, &mut |_, _, expr| {
        if flag.is_none()
            && let ExprKind::MethodCall(m) = expr.kind
            && let m = bcx.ir.method_call(m)
            && api::method(m.method).has(Effect::ClaimsFlag)
        {
            flag = static_named(bcx, m.receiver);
        }
    });
    flag
}

/// One note for the leaks of one once-initializer.
fn once_note(bcx: &BodyCx<'_, '_>, init: &Once, group: Vec<Finding>) -> Diagnostic {
    let first = &group[0];
    let message = match group.len() {
        1 => format!(
            "{} leaks once, at initialization: {}",
            first.shown, init.why
        ),
        n => format!(
            "{} and {} more leak once, at initialization: {}",
            first.shown,
            n - 1,
            init.why
        ),
    };
    let mut diag = Diagnostic::new(
        RULE.code(),
        Level::Note,
        message,
        bcx.label(first.diag.primary.span, "leaks once"),
    )
    .with_verbosity(1);
    for other in &group[1..] {
        diag = diag.with_secondary(bcx.label(other.diag.primary.span, "leaks once"));
    }
    diag
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
