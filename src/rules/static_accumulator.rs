//! `static_accumulator`: a global collection that only grows.
//!
//! A `static` (plain, `static mut`, `LazyLock`, `OnceLock`, `lazy_static!`, `once_cell`'s
//! `Lazy`, or a `thread_local!`) holding a `Vec`, `VecDeque`, `HashMap`, `HashSet`,
//! `BTreeMap`, `BTreeSet`, `BinaryHeap` or `String` (directly, or inside a `Mutex`, `RwLock`,
//! `RefCell`, parking_lot's locks), or a `DashMap`. It is reported when something in the crate
//! adds to it (`push`, `insert`, `extend`, `entry(..)`, `push_str`, `+=`...) and nothing ever
//! takes from it (`clear`, `drain`, `pop`, `remove`, `retain`, `truncate`, `split_off`,
//! `mem::take`/`replace`/`swap`, or assigning a new value).
//!
//! Accesses are followed through guards (`FAILURES.lock().unwrap().push(e)`), locals bound to
//! them, `thread_local!`'s `with(|v| ..)`, and functions of the crate that return the guard or
//! a reference to the collection.
//!
//! How often a growth site runs decides whether the collection is a leak, and the source does
//! not say: `pub fn register(hook) { HOOKS.push(hook) }` fills a registry once at setup or an
//! accumulator once per request, as its callers choose. So a finding is a note, unless a
//! growth site is inside a loop of the crate's own (not over a constant list): then the crate
//! itself adds an entry per iteration, and it is a warning.

use super::{Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, FileId, Label, Level};
use crate::escape::CrateEscape;
use crate::facts::api::{self, Effect};
use crate::facts::types::Types;
use crate::facts::{BodyCx, CrateCx};
use crate::index::Def;
use crate::ir::*;
use crate::sym::FxHashMap;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "static_accumulator",
        default_level: Level::Note,
        verbosity: 0,
        summary: "a global collection that only grows: something adds to it, nothing removes from it",
        page: include_str!("../../lints/static_accumulator.md"),
        escape: false,
    },
    check,
};

type StaticKey = (FileId, ItemId);

/// What the rule learns about one static.
#[derive(Default)]
struct Uses {
    grows: Vec<Growth>,
    shrinks: usize,
    shrinks_in_tests: usize,
}

/// One place that adds to a static.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Growth {
    file: FileId,
    span: Span,
    /// The function (or other item) it is in.
    owner: ItemId,
    /// The loop around it, if the loop's trip count is not a constant: its head, and its
    /// line and column.
    in_loop: Option<(Span, (u32, u32))>,
}

fn check(cx: &CrateCx<'_>, _: &CrateEscape, out: &mut Vec<Diagnostic>) {
    let statics = accumulators(cx);
    if statics.is_empty() {
        return;
    }
    let helpers = helper_fns(cx, &statics);
    let mut uses: FxHashMap<StaticKey, Uses> = FxHashMap::default();
    for bcx in cx.all_bodies() {
        let in_tests =
            bcx.ir.item(bcx.at.owner).test_only || cx.index.tree.modules[bcx.at.module].test_only;
        let mut finder = Finder {
            bcx: &bcx,
            statics: &statics,
            helpers: &helpers,
            lent: FxHashMap::default(),
            follow_lets: true,
        };
        finder.collect(in_tests, &mut uses);
    }
    let mut keys: Vec<&StaticKey> = statics.keys().collect();
    keys.sort();
    for key in keys {
        let Some(u) = uses.get(key) else { continue };
        if u.grows.is_empty() || u.shrinks > 0 || !cx.index.owns(key.0) {
            continue;
        }
        let Some(ir) = cx.loaded.ir(key.0) else {
            continue;
        };
        let item = ir.item(key.1);
        let name = item.name.map_or(String::new(), |n| n.to_string());
        let mut grows = u.grows.clone();
        grows.sort_by_key(|g| (g.file, g.span.lo));
        grows.dedup();
        let sites = match u.grows.len() {
            1 => "1 growth site".to_string(),
            n => format!("{n} growth sites"),
        };
        let removes = if u.shrinks_in_tests > 0 {
            format!("{name} only grows outside tests: {sites}, and only tests remove from it")
        } else {
            format!("{name} only grows: {sites}, nothing in the crate removes from it")
        };
        let looped = grows.iter().find_map(|g| Some((g.file, g.in_loop?)));
        let (level, message) = match looped {
            Some((_, (_, (line, column)))) => (
                Level::Warning,
                format!("{removes}; it grows once per iteration of the loop at {line}:{column}"),
            ),
            None => (
                Level::Note,
                format!(
                    "{removes}; how often it grows is up to the callers of {}",
                    growing_fns(cx, &grows)
                ),
            ),
        };
        let mut d = Diagnostic::new(
            RULE.code(),
            level,
            message,
            Label::new(key.0, item.name_span, format!("holds {}", statics[key])),
        );
        for g in grows.iter().take(8) {
            d = d.with_secondary(Label::new(g.file, g.span, "grows here"));
        }
        if let Some((file, (head, _))) = looped {
            d = d.with_secondary(Label::new(file, head, "a new entry each time around"));
        }
        if grows.len() > 8 {
            d = d.with_note(format!("and {} more growth sites", grows.len() - 8));
        }
        out.push(d.with_help(
            "if it holds per-request or per-run data, make it a local (or pass it along) so \
             it is freed when the work is done; if it is a cache, bound it: evict old entries, \
             or clear it where it is read; a registry filled once at setup is fine as it is",
        ));
    }
}

/// The functions the growth sites are in, as a message names them: `` `register` ``,
/// `` `a` and `b` ``, `` `a`, `b` and 2 more ``.
fn growing_fns(cx: &CrateCx<'_>, grows: &[Growth]) -> String {
    let mut names: Vec<String> = Vec::new();
    for g in grows {
        let name = cx
            .loaded
            .ir(g.file)
            .and_then(|ir| ir.item(g.owner).name)
            .map_or_else(|| "its initializer".to_string(), |n| format!("`{n}`"));
        if !names.contains(&name) {
            names.push(name);
        }
    }
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [a, b, rest @ ..] => format!("{a}, {b} and {} more", rest.len()),
    }
}

/// The crate's statics that hold a collection, with the collection's type as written.
fn accumulators(cx: &CrateCx<'_>) -> FxHashMap<StaticKey, String> {
    let mut out = FxHashMap::default();
    for (index, file) in cx.loaded.files.iter().enumerate() {
        let Some(ir) = &file.ir else { continue };
        let file = FileId(index as u32);
        if !in_crate(cx, file) {
            continue;
        }
        for (i, item) in ir.items.iter().enumerate() {
            let ItemKind::Static(s) = &item.kind else {
                continue;
            };
            if s.kind == StaticKind::Foreign {
                continue;
            }
            let Some(types) = Types::of_item(cx, file, ItemId(i as u32)) else {
                continue;
            };
            if let Some(collection) = collection(&types, s.ty, 0) {
                out.insert((file, ItemId(i as u32)), collection);
            }
        }
    }
    out
}

/// Whether `file` is in the crate's module tree.
fn in_crate(cx: &CrateCx<'_>, file: FileId) -> bool {
    cx.index.tree.modules.iter().any(|m| m.file == file)
}

/// The collection a static's type holds, through lazy cells and locks.
fn collection(types: &Types<'_, '_>, ty: TyId, depth: u32) -> Option<String> {
    if depth > 4 {
        return None;
    }
    let (path, args) = types.std_path(ty)?;
    let names: Vec<&str> = path.iter().map(|s| s.as_str()).collect();
    let last = *names.last()?;
    match (names.first().copied(), last) {
        (
            Some("std"),
            "Vec" | "VecDeque" | "HashMap" | "HashSet" | "BTreeMap" | "BTreeSet" | "BinaryHeap"
            | "String",
        )
        | (Some("dashmap"), "DashMap" | "DashSet") => Some(last.to_string()),
        (
            Some("std" | "once_cell" | "parking_lot" | "lazy_static"),
            "LazyLock" | "OnceLock" | "Lazy" | "OnceCell" | "Mutex" | "RwLock" | "RefCell"
            | "ReentrantMutex",
        ) => collection(types, *args.first()?, depth + 1),
        _ => None,
    }
}

/// Functions of the crate that return one of the statics (its guard, a reference to it):
/// `fn failures() -> MutexGuard<'static, Vec<Fail>> { FAILURES.lock().unwrap() }`.
fn helper_fns(
    cx: &CrateCx<'_>,
    statics: &FxHashMap<StaticKey, String>,
) -> FxHashMap<(FileId, ItemId), StaticKey> {
    let mut out = FxHashMap::default();
    let none = FxHashMap::default();
    for bcx in cx.all_bodies() {
        if bcx.function().is_none_or(|f| f.sig.ret.is_none()) {
            continue;
        }
        let finder = Finder {
            bcx: &bcx,
            statics,
            helpers: &none,
            lent: FxHashMap::default(),
            follow_lets: false,
        };
        if let Some(key) = finder.root(bcx.body.value, 0) {
            out.insert((bcx.file(), bcx.at.owner), key);
        }
    }
    out
}

struct Finder<'f, 'c, 'a> {
    bcx: &'f BodyCx<'c, 'a>,
    statics: &'f FxHashMap<StaticKey, String>,
    helpers: &'f FxHashMap<(FileId, ItemId), StaticKey>,
    /// Closure parameters that stand for a static: `LOCAL.with(|v| ..)`.
    lent: FxHashMap<LocalId, StaticKey>,
    /// Whether a local bound by `let` to a guard of a static stands for it.
    follow_lets: bool,
}

impl Finder<'_, '_, '_> {
    /// The static an expression stands for, through guards, blocks, locals and helpers.
    fn root(&self, expr: ExprId, depth: u32) -> Option<StaticKey> {
        if depth > 12 {
            return None;
        }
        let ir = self.bcx.ir;
        match &ir.expr(expr).kind {
            ExprKind::Path(_) => {
                let resolved = self.bcx.resolve_path(expr)?;
                match (resolved.def, resolved.rest) {
                    (Def::Item(file, item), 0) if self.statics.contains_key(&(file, item)) => {
                        Some((file, item))
                    }
                    _ => None,
                }
            }
            ExprKind::MethodCall(m) => {
                let m = ir.method_call(*m);
                api::method(m.method)
                    .has(Effect::PassesThrough)
                    .then(|| self.root(m.receiver, depth + 1))
                    .flatten()
            }
            ExprKind::Unary {
                op: UnOp::Deref,
                expr,
            }
            | ExprKind::Ref { expr, .. } => self.root(*expr, depth + 1),
            ExprKind::Block(b) => self.root(ir.block(*b).tail?, depth + 1),
            ExprKind::Local(l) => match self.lent.get(l) {
                Some(&key) => Some(key),
                // A local bound to a guard: what its initializer stands for.
                None if self.follow_lets => self.root(self.bcx.let_init(*l)?, 0),
                None => None,
            },
            ExprKind::Call { callee, .. } => {
                let resolved = self.bcx.resolve_path(*callee)?;
                match (resolved.def, resolved.rest) {
                    (Def::Item(file, item), 0) => self.helpers.get(&(file, item)).copied(),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Every growth and shrink of a static in this body, in source order (so that `with`'s
    /// closure parameters are known before they are used).
    fn collect(&mut self, in_tests: bool, uses: &mut FxHashMap<StaticKey, Uses>) {
        let ir = self.bcx.ir;
        let mut order = Vec::new();
        walk::walk(ir, self.bcx.body.value, &mut |cx, id, _| {
            order.push((id, cx.loops.last().copied()))
        });
        for (id, in_loop) in order {
            let growth = |span: Span| Growth {
                file: self.bcx.file(),
                span,
                owner: self.bcx.at.owner,
                in_loop: in_loop
                    .filter(|&l| !constant_trips(self.bcx, l))
                    .and_then(|l| Some((ir.loop_head(l), ir.loop_position(l)?))),
            };
            match &ir.expr(id).kind {
                ExprKind::MethodCall(m) => {
                    let m = ir.method_call(*m);
                    let api = api::method(m.method);
                    // `LOCAL.with(|v| ..)`: the closure's parameter is the static.
                    if api.has(Effect::LendsToClosure)
                        && let Some(key) = self.root(m.receiver, 0)
                    {
                        for &arg in ir.list(m.args) {
                            if let ExprKind::Closure(c) = ir.expr(arg).kind
                                && let Some(&first) = ir.list(ir.closure(c).params).first()
                                && let PatKind::Bind { local, .. } = ir.pat(first).kind
                            {
                                self.lent.insert(local, key);
                            }
                        }
                        continue;
                    }
                    // A new value in place of the old one empties it: `RefCell::replace`,
                    // `Cell::set`, `take`.
                    let grow = api.has(Effect::Grows);
                    let shrink = api.has(Effect::Shrinks) || api.has(Effect::Replaces);
                    if !(grow || shrink) {
                        continue;
                    }
                    if let Some(key) = self.root(m.receiver, 0) {
                        let u = uses.entry(key).or_default();
                        if grow {
                            u.grows.push(growth(m.method_span));
                        } else {
                            count_shrink(u, in_tests);
                        }
                    }
                }
                ExprKind::AssignOp {
                    op: BinOp::Add,
                    place,
                    ..
                } => {
                    if let Some(key) = self.root(*place, 0) {
                        let span = ir.expr(id).span;
                        uses.entry(key).or_default().grows.push(growth(span));
                    }
                }
                // A new value replaces the old one: `*CACHE.lock().unwrap() = Vec::new()`.
                ExprKind::Assign { place, .. } => {
                    if let Some(key) = self.root(*place, 0) {
                        count_shrink(uses.entry(key).or_default(), in_tests);
                    }
                }
                // `mem::take(&mut *guard)`, `mem::replace`, `mem::swap`.
                ExprKind::Call { callee, args } => {
                    let Some(resolved) = self.bcx.resolve_path(*callee) else {
                        continue;
                    };
                    let takes = resolved
                        .def
                        .external_path()
                        .is_some_and(|p| api::path(p).has(Effect::Replaces));
                    if !takes {
                        continue;
                    }
                    for &arg in ir.list(*args) {
                        if let Some(key) = self.root(arg, 0) {
                            count_shrink(uses.entry(key).or_default(), in_tests);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

fn count_shrink(u: &mut Uses, in_tests: bool) {
    if in_tests {
        u.shrinks_in_tests += 1;
    } else {
        u.shrinks += 1;
    }
}

/// Whether a loop runs a number of times fixed in the code: `for x in [a, b]`, `for i in 0..4`,
/// `for h in BUILTIN` (a `const` or `static`), or `.iter()` of one of these. A registry filled
/// from such a list at setup grows by that much, once.
fn constant_trips(bcx: &BodyCx<'_, '_>, loop_expr: ExprId) -> bool {
    let ExprKind::For { iter, .. } = bcx.ir.expr(loop_expr).kind else {
        return false;
    };
    is_constant_list(bcx, iter, 0)
}

fn is_constant_list(bcx: &BodyCx<'_, '_>, expr: ExprId, depth: u32) -> bool {
    if depth > 4 {
        return false;
    }
    let ir = bcx.ir;
    let constant = |e: Option<ExprId>| {
        e.is_some_and(|e| match ir.expr(e).kind {
            ExprKind::Lit(_) => true,
            ExprKind::Path(_) => is_constant_item(bcx, e),
            _ => false,
        })
    };
    match ir.expr(expr).kind {
        ExprKind::Array(_) | ExprKind::Repeat { .. } => true,
        ExprKind::Range { lo, hi } => constant(lo) && constant(hi),
        ExprKind::Path(_) => is_constant_item(bcx, expr),
        ExprKind::Ref { expr, .. } => is_constant_list(bcx, expr, depth + 1),
        ExprKind::MethodCall(m) => {
            let m = ir.method_call(m);
            (m.method.is("iter") || m.method.is("into_iter"))
                && is_constant_list(bcx, m.receiver, depth + 1)
        }
        _ => false,
    }
}

/// Whether a path names a `const` or a (non-`thread_local!`) `static` item.
fn is_constant_item(bcx: &BodyCx<'_, '_>, expr: ExprId) -> bool {
    let Some(resolved) = bcx.resolve_path(expr) else {
        return false;
    };
    let Def::Item(file, item) = resolved.def else {
        return false;
    };
    resolved.rest == 0
        && bcx.cx.index.item(file, item).is_some_and(|i| {
            matches!(&i.kind, ItemKind::Const { .. })
                || matches!(&i.kind, ItemKind::Static(s) if s.kind != StaticKind::ThreadLocal)
        })
}
