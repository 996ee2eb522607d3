//! `large_stack_array`: a value larger than the stack threshold placed on the stack.
//!
//! Rust, unlike Go, never moves a large local to the heap by itself: a spawned thread has 2 MiB
//! of stack and the main thread 8 MiB, and a value larger than that aborts the process. Found:
//! - array, struct, tuple and enum literals (`[0u8; 1 << 22]`, `Grid { cells: [..] }`), and
//!   `let` bindings declared with such a type;
//! - the argument of `Box::new`, `Rc::new`, `Arc::new`, `Mutex::new`, `Cell::new` and their
//!   kin, built on the stack before it is moved (the `Box::new([0; N])` trap);
//! - parameters and return types that pass such a value by value;
//! - a large `const` used by value, which copies it at each use;
//! - a call of a generic function sized by its turbofish (`make::<100001>()`).
//!
//! Each large element of a tuple or array literal is reported at its own span. The element
//! type of `[0; N]` comes from what says it for certain (see `infer`), and a function whose
//! outermost locals add up past the threshold gets a note.
//!
//! Never: statics and `const` initializers, `vec![x; N]`, values only borrowed (`&[0; N]` is
//! promoted to a static), `const` arrays only indexed or borrowed.
//!
//! A value handed to `std::hint::black_box` (directly, or the local it is bound to) is on the
//! stack on purpose: the code asks the optimizer to keep it there (a test that forces a stack
//! overflow, a benchmark). That is a note under `-m`, not a warning.

use super::{Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Label, Level};
use crate::escape::CrateEscape;
use crate::facts::api::{self, Effect};
use crate::facts::consts::Env;
use crate::facts::values::{self, Value, size_text};
use crate::facts::{BodyCx, CrateCx};
use crate::index::{Container, Def};
use crate::ir::*;
use crate::sym::Sym;

mod infer;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "large_stack_array",
        default_level: Level::Warning,
        verbosity: 0,
        summary: "a value larger than the stack threshold (64 KiB) placed on the stack",
        page: include_str!("../../lints/large_stack_array.md"),
        escape: false,
    },
    check,
};

/// A spawned thread's default stack.
const THREAD_STACK: u64 = 2 << 20;

fn check(cx: &CrateCx<'_>, _: &CrateEscape, out: &mut Vec<Diagnostic>) {
    let names = type_names(cx);
    let mut builder_names: Vec<Sym> = Vec::new();
    for path in api::paths_where(|a| a.has(Effect::BuildsFromArgument)) {
        let name = Sym::new(path[path.len() - 1]);
        if !builder_names.contains(&name) {
            builder_names.push(name);
        }
    }
    for bcx in cx.owned_bodies() {
        // A static's or const's initializer is evaluated at compile time, not on a stack, and
        // so, most often, is a `const fn` that builds a large value: it initializes a static.
        // But the closures of a lazy static (`LazyLock::new(|| ..)`) run, on a thread's stack.
        match &bcx.ir.item(bcx.at.owner).kind {
            ItemKind::Static(_) | ItemKind::Const { .. } => {
                let mut closures = Vec::new();
                walk::walk(bcx.ir, bcx.body.value, &mut |_, _, expr| {
                    if let ExprKind::Closure(c) = expr.kind {
                        closures.push(bcx.ir.closure(c).body);
                    }
                });
                let mut walker = Walker {
                    bcx: &bcx,
                    out,
                    builder_names: &builder_names,
                    kept: Vec::new(),
                    on_purpose: false,
                };
                for body in closures {
                    walker.expr(body, Place::Value);
                }
                continue;
            }
            ItemKind::Fn(f) if f.sig.is_const => continue,
            _ => {}
        }
        signature(&bcx, &names, out);
        let mut walker = Walker {
            bcx: &bcx,
            out,
            builder_names: &builder_names,
            kept: kept_from_optimizer(&bcx),
            on_purpose: false,
        };
        walker.expr(bcx.body.value, Place::Value);
        out.extend(infer::frame(&bcx, RULE.code()));
    }
}

/// How the expression being visited is used by its parent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Its value is placed somewhere: a new stack slot, an argument, a field.
    Value,
    /// Only borrowed, indexed or read through: `&x`, `x[i]`, `x.len()`, `x.f`.
    Borrowed,
    /// Part of a value already reported.
    Reported,
}

struct Walker<'w, 'b, 'a> {
    bcx: &'w BodyCx<'b, 'a>,
    out: &'w mut Vec<Diagnostic>,
    /// The last segments of the functions that build their value from their argument.
    builder_names: &'w [Sym],
    /// Locals handed to `black_box`: kept on the stack on purpose.
    kept: Vec<LocalId>,
    /// Whether the value being visited is kept on the stack on purpose.
    on_purpose: bool,
}

/// Whether `callee` is `std::hint::black_box` (or a benchmark crate's).
fn hides_from_optimizer(bcx: &BodyCx<'_, '_>, callee: ExprId) -> bool {
    let ExprKind::Path(p) = bcx.ir.expr(callee).kind else {
        return false;
    };
    // Resolving every call's path would cost more than the rule: only this name can be.
    if !bcx
        .ir
        .path_last(bcx.ir.path(p))
        .is_some_and(|n| n.is("black_box"))
    {
        return false;
    }
    bcx.resolve_path(callee)
        .and_then(|r| Some(api::path(r.def.external_path()?)))
        .is_some_and(|api| api.has(Effect::HidesFromOptimizer))
}

/// The locals a body hands to `black_box`, by value or through `&`/`&mut`.
fn kept_from_optimizer(bcx: &BodyCx<'_, '_>) -> Vec<LocalId> {
    let ir = bcx.ir;
    let mut kept = Vec::new();
    walk::walk(ir, bcx.body.value, &mut |_, _, expr| {
        let ExprKind::Call { callee, args } = expr.kind else {
            return;
        };
        if !hides_from_optimizer(bcx, callee) {
            return;
        }
        for &arg in ir.list(args) {
            let mut e = arg;
            while let ExprKind::Ref { expr: inner, .. } = ir.expr(e).kind {
                e = inner;
            }
            if let ExprKind::Local(l) = ir.expr(e).kind {
                kept.push(l);
            }
        }
    });
    kept
}

impl Walker<'_, '_, '_> {
    fn threshold(&self) -> u64 {
        self.bcx.cx.input.stack_threshold
    }

    fn large(&self, value: &Value) -> bool {
        value.layout.size > self.threshold()
    }

    fn expr(&mut self, id: ExprId, place: Place) {
        let ir = self.bcx.ir;
        let expr = ir.expr(id);
        match &expr.kind {
            ExprKind::Ref { expr: inner, .. } => {
                self.expr(*inner, Place::Borrowed.max(place));
                return;
            }
            ExprKind::Index { base, index } => {
                self.expr(*base, Place::Borrowed.max(place));
                self.expr(*index, place);
                return;
            }
            ExprKind::Field { base, .. }
            | ExprKind::Unary {
                op: UnOp::Deref,
                expr: base,
            } => {
                self.expr(*base, Place::Borrowed.max(place));
                return;
            }
            // Comparisons take their operands by reference.
            ExprKind::Binary {
                op: BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge,
                lhs,
                rhs,
            } => {
                self.expr(*lhs, Place::Borrowed.max(place));
                self.expr(*rhs, Place::Borrowed.max(place));
                return;
            }
            ExprKind::MethodCall(m) => {
                let m = ir.method_call(*m);
                self.expr(m.receiver, Place::Borrowed.max(place));
                for &arg in ir.list(m.args) {
                    self.expr(arg, place);
                }
                return;
            }
            ExprKind::Call { callee, args } if hides_from_optimizer(self.bcx, *callee) => {
                // Its argument is placed, as any call's is.
                let inner = if place == Place::Reported {
                    Place::Reported
                } else {
                    Place::Value
                };
                let outer = std::mem::replace(&mut self.on_purpose, true);
                for &arg in ir.list(*args) {
                    self.expr(arg, inner);
                }
                self.on_purpose = outer;
                return;
            }
            ExprKind::Call { callee, args } => {
                // The argument is built on the stack however the result is used.
                if let [arg] = ir.list(*args)
                    && let Some(constructor) = self.heap_constructor(*callee)
                {
                    let reported =
                        place != Place::Reported && self.constructor_arg(id, constructor, *arg);
                    let place = if reported {
                        Place::Reported
                    } else {
                        Place::Value.max(place)
                    };
                    self.expr(*arg, place);
                    return;
                }
                if place == Place::Value && infer::is_turbofish_call(self.bcx, *callee) {
                    self.generic_call(id, *callee);
                }
                if place == Place::Value && self.is_constructor_call(*callee) {
                    let reported = self.literal(id);
                    let place = if reported { Place::Reported } else { place };
                    walk::children(ir, &expr.kind, |child| self.expr(child, place));
                    return;
                }
            }
            ExprKind::Repeat { .. }
            | ExprKind::Array(_)
            | ExprKind::Struct(_)
            | ExprKind::Tuple(_)
                if place == Place::Value =>
            {
                let reported = self.literal(id);
                let place = if reported { Place::Reported } else { place };
                walk::children(ir, &expr.kind, |child| self.expr(child, place));
                return;
            }
            ExprKind::Path(_) if place == Place::Value => self.const_use(id),
            ExprKind::Block(b) => {
                let block = ir.block(*b);
                for stmt in ir.list(block.stmts) {
                    match *stmt {
                        Stmt::Let(l) => self.let_stmt(l, place),
                        Stmt::Expr { expr, .. } => self.expr(expr, Place::Value.max(place)),
                        Stmt::Item(_) => {}
                    }
                }
                if let Some(tail) = block.tail {
                    self.expr(tail, place);
                }
                return;
            }
            _ => {}
        }
        // Anything else: its parts are placed (arguments, operands, branches).
        let inner = if place == Place::Reported {
            Place::Reported
        } else {
            Place::Value
        };
        walk::children(ir, &expr.kind, |child| self.expr(child, inner));
    }

    /// `let x: [u8; N] = ..;`: the declared type says how large the slot is.
    fn let_stmt(&mut self, id: LetId, place: Place) {
        let ir = self.bcx.ir;
        let l = ir.let_stmt(id);
        let outer = self.on_purpose;
        if let PatKind::Bind { local, .. } = ir.pat(l.pat).kind
            && self.kept.contains(&local)
        {
            self.on_purpose = true;
        }
        self.let_binding(l, place);
        self.on_purpose = outer;
    }

    fn let_binding(&mut self, l: &LetStmt, place: Place) {
        let ir = self.bcx.ir;
        let mut init_place = Place::Value.max(place);
        if let Some(ty) = l.ty
            && place != Place::Reported
        {
            let value = values::ty_value(self.bcx.cx, &values::env_of(self.bcx), ty);
            // `let a: Big = [0; N]`: an alias of an array types the literal as well.
            let is_array = matches!(ir.ty(ty).kind, TyKind::Array { .. })
                || matches!(
                    l.init.map(|e| &ir.expr(e).kind),
                    Some(ExprKind::Repeat { .. } | ExprKind::Array(_))
                );
            if is_array && self.large(&value) {
                let span = match l.init.map(|e| &ir.expr(e).kind) {
                    Some(ExprKind::Repeat { .. } | ExprKind::Array(_)) => {
                        ir.expr(l.init.expect("matched")).span
                    }
                    _ => ir.ty(ty).span,
                };
                self.report_on_stack(span, &value, l.init);
                init_place = Place::Reported;
            }
        }
        if let Some(init) = l.init {
            self.expr(init, init_place);
        }
        if let Some(els) = l.els {
            self.expr(els, Place::Value.max(place));
        }
    }

    /// An array, struct, tuple or variant literal: reported if it is large.
    fn literal(&mut self, id: ExprId) -> bool {
        let Some(mut value) = values::of_expr(self.bcx, id) else {
            return false;
        };
        if !value.layout.exact
            && let Some(typed) = infer::typed_literal(self.bcx, id)
            && typed.layout.size >= value.layout.size
        {
            value = typed;
        }
        if !self.large(&value) {
            return false;
        }
        // A tuple or array of large values: each is reported at its own span, as Clippy does.
        if let ExprKind::Tuple(list) | ExprKind::Array(list) = self.bcx.ir.expr(id).kind
            && self
                .bcx
                .ir
                .list(list)
                .iter()
                .any(|&e| values::of_expr(self.bcx, e).is_some_and(|v| self.large(&v)))
        {
            return false;
        }
        self.report_on_stack(self.bcx.ir.expr(id).span, &value, Some(id));
        true
    }

    /// `make::<1001>()`: a generic function's result, sized by the turbofish, which its
    /// signature alone could not tell.
    fn generic_call(&mut self, call: ExprId, callee: ExprId) {
        let Some(value) = values::of_expr(self.bcx, call) else {
            return;
        };
        if !self.large(&value) {
            return;
        }
        let printer = self.bcx.printer();
        let message = format!(
            "{}() returns {} by value: {} on the stack{}{}",
            printer.expr(callee),
            value.ty,
            size_text(&value),
            how_text(&value),
            overflow_text(&value),
        );
        let d = Diagnostic::new(
            RULE.code(),
            Level::Warning,
            message,
            self.bcx.label(self.bcx.ir.expr(call).span, ""),
        )
        .with_help(
            "return a `Box` or a `Vec` from it, or fill a `&mut` buffer the caller provides",
        );
        self.push(d);
    }

    fn report_on_stack(&mut self, span: Span, value: &Value, built: Option<ExprId>) {
        let ir = self.bcx.ir;
        let printer = self.bcx.printer();
        let message = format!(
            "{} is {}{}{}{}",
            value.ty,
            size_text(value),
            if value.layout.too_large() {
                ""
            } else {
                " on the stack"
            },
            how_text(value),
            overflow_text(value),
        );
        let help = match built.map(|e| &ir.expr(e).kind) {
            Some(ExprKind::Repeat { elem, len }) => format!(
                "build it on the heap: `vec![{}; {}]` gives a `Vec`, and \
                 `.into_boxed_slice()` a `Box<[_]>` of fixed length",
                printer.expr(*elem),
                printer.expr(*len)
            ),
            _ => "keep the large part on the heap: a `Vec` or `Box<[_]>` in place of the array"
                .to_string(),
        };
        let d = Diagnostic::new(
            RULE.code(),
            Level::Warning,
            message,
            self.bcx.label(span, ""),
        )
        .with_help(help);
        self.push(d);
    }

    /// A finding, as a warning; as a note under `-m` when the value is on the stack on
    /// purpose.
    fn push(&mut self, d: Diagnostic) {
        if self.on_purpose {
            let mut d = d;
            d.level = Level::Note;
            d.children.clear();
            self.out.push(d.with_verbosity(1).with_note(
                "kept on the stack on purpose: it is given to `black_box`, which asks the \
                 optimizer to keep it there",
            ));
        } else {
            self.out.push(d);
        }
    }

    /// `Box::new`, `Rc::new`, `Arc::new`, `Mutex::new`, `Cell::new`...: a function that builds
    /// its value from its argument (built on the stack first), as `(type, function)`.
    fn heap_constructor(&self, callee: ExprId) -> Option<(&'static str, &'static str)> {
        // Resolving every call's path would cost more than the rule: only these names can be.
        let name = self.last_segment(callee)?;
        if !self.builder_names.contains(&name) {
            return None;
        }
        let resolved = self.bcx.resolve_path(callee)?;
        let (path, api) = api::path_entry(resolved.def.external_path()?)?;
        if !api.has(Effect::BuildsFromArgument) {
            return None;
        }
        let [.., ty, function] = path else {
            return None;
        };
        Some((ty, function))
    }

    /// `Box::new(x)` with a large `x`: built on the stack, then moved.
    fn constructor_arg(&mut self, call: ExprId, (ty, function): (&str, &str), arg: ExprId) -> bool {
        let Some(value) = values::of_expr(self.bcx, arg) else {
            return false;
        };
        if !self.large(&value) {
            return false;
        }
        let ir = self.bcx.ir;
        let printer = self.bcx.printer();
        let on_heap = matches!(ty, "Box" | "Rc" | "Arc");
        let message = format!(
            "{ty}::{function}({}) builds its argument on the stack{}: {} is {}{}{}",
            printer.expr(arg),
            if on_heap {
                " before moving it to the heap"
            } else {
                ""
            },
            value.ty,
            size_text(&value),
            how_text(&value),
            overflow_text(&value),
        );
        let help = if on_heap {
            self.heap_help(ty, arg, &value)
        } else {
            format!("keep the large part on the heap inside the `{ty}`: a `Vec` or `Box<[_]>`")
        };
        self.push(
            Diagnostic::new(
                RULE.code(),
                Level::Warning,
                message,
                self.bcx.label(ir.expr(call).span, ""),
            )
            .with_help(help),
        );
        true
    }

    /// How to build a large value on the heap directly, with what the toolchain and the
    /// package's `rust-version` allow.
    fn heap_help(&self, ty: &str, arg: ExprId, value: &Value) -> String {
        let ir = self.bcx.ir;
        let printer = self.bcx.printer();
        let available = |minor: u64| toolchain::allows(self.bcx.cx.input.msrv, (1, minor));
        match &ir.expr(arg).kind {
            ExprKind::Repeat { elem, len } => {
                let vec = format!("vec![{}; {}]", printer.expr(*elem), printer.expr(*len));
                let mut help = if ty == "Box" {
                    format!(
                        "build it on the heap: `{vec}.into_boxed_slice()` gives a `Box<[_]>`, \
                         and `.try_into().unwrap()` turns that into the `Box<{}>`",
                        value.ty
                    )
                } else {
                    format!("build it on the heap: `{ty}::from({vec})` gives an `{ty}<[_]>`")
                };
                // `Box::new_zeroed` (Rust 1.92) for an array of zeros.
                let zero = matches!(
                    ir.expr(*elem).kind,
                    ExprKind::Lit(Lit::Int { value: 0, .. } | Lit::Bool(false))
                ) || matches!(ir.expr(*elem).kind, ExprKind::Lit(Lit::Float { value, .. }) if value == 0.0);
                if zero && available(92) {
                    help.push_str(&format!(
                        "; or `{ty}::<{}>::new_zeroed()` and an `unsafe` `assume_init()`",
                        value.ty
                    ));
                }
                help
            }
            _ if available(82) => format!(
                "allocate first and fill in place: `{ty}::<{}>::new_uninit()`, then write \
                 the value and `assume_init()` (`unsafe`); or keep its large parts in `Vec`s",
                value.ty
            ),
            _ => "keep its large parts in `Vec`s or boxed slices, which are built on the heap"
                .to_string(),
        }
    }

    /// Whether a call builds a tuple struct or an enum variant: `Grid(..)`, `Cell::Full(..)`.
    fn is_constructor_call(&self, callee: ExprId) -> bool {
        // Tuple structs and variants are named in upper camel case.
        if !self
            .last_segment(callee)
            .is_some_and(|n| n.as_str().starts_with(|c: char| c.is_ascii_uppercase()))
        {
            return false;
        }
        let Some(resolved) = self.bcx.resolve_path(callee) else {
            return false;
        };
        let Def::Item(file, item) = resolved.def else {
            return false;
        };
        let Some(ir) = self.bcx.cx.loaded.ir(file) else {
            return false;
        };
        matches!(
            (&ir.item(item).kind, resolved.rest),
            (ItemKind::Struct(_), 0) | (ItemKind::Enum(_), 1)
        )
    }

    /// A large `const` used by value: each use is a copy.
    fn const_use(&mut self, id: ExprId) {
        let bcx = self.bcx;
        // Constants are named in upper case (rustc warns otherwise): other paths are not
        // worth resolving.
        if !self
            .last_segment(id)
            .is_some_and(|n| looks_like_const(n.as_str()))
        {
            return;
        }
        let Some(resolved) = bcx.resolve_path(id) else {
            return;
        };
        let (Def::Item(file, item), 0) = (resolved.def, resolved.rest) else {
            return;
        };
        let cx = bcx.cx;
        let Some(ir) = cx.loaded.ir(file) else { return };
        let ItemKind::Const { ty, .. } = ir.item(item).kind else {
            return;
        };
        let Some(scope) = cx.index.item_scope(file, item) else {
            return;
        };
        let value = values::ty_value(cx, &Env::new(scope, None), ty);
        if !self.large(&value) {
            return;
        }
        let name = ir.item(item).name.map_or(String::new(), |n| n.to_string());
        self.out.push(
            Diagnostic::new(
                RULE.code(),
                Level::Warning,
                format!(
                    "{name} is a {} const: this use copies it onto the stack{}",
                    size_text(&value),
                    overflow_text(&value)
                ),
                bcx.label(bcx.ir.expr(id).span, ""),
            )
            .with_help(format!(
                "make it a `static`, which is never copied, or borrow it: `&{name}`"
            )),
        );
    }
}

impl Walker<'_, '_, '_> {
    /// The last segment of a path expression.
    fn last_segment(&self, expr: ExprId) -> Option<crate::sym::Sym> {
        let ir = self.bcx.ir;
        match ir.expr(expr).kind {
            ExprKind::Path(p) => ir.path_last(ir.path(p)),
            _ => None,
        }
    }
}

/// `MAX_LEN`, `TABLE`: a name in upper snake case.
fn looks_like_const(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

impl Place {
    /// The stronger of two: once reported, always reported; once borrowed, not placed.
    fn max(self, other: Place) -> Place {
        match (self, other) {
            (Place::Reported, _) | (_, Place::Reported) => Place::Reported,
            (Place::Borrowed, _) | (_, Place::Borrowed) => Place::Borrowed,
            _ => Place::Value,
        }
    }
}

/// The names a type that may be large can have: the crate's own types, and the std types
/// that hold their contents inline. A parameter of any other named type (`String`, `&T`,
/// `Vec<T>`) is a few words, and its layout is not worth computing.
fn type_names(cx: &CrateCx<'_>) -> crate::sym::FxHashSet<crate::sym::Sym> {
    use crate::sym::Sym;
    let mut out: crate::sym::FxHashSet<Sym> = [
        "Option",
        "Result",
        "Cell",
        "RefCell",
        "UnsafeCell",
        "Mutex",
        "RwLock",
        "ManuallyDrop",
        "MaybeUninit",
        "Wrapping",
        "Saturating",
        "Reverse",
        "Self",
    ]
    .into_iter()
    .map(Sym::new)
    .collect();
    for module in &cx.index.tree.modules {
        let Some(ir) = cx.loaded.ir(module.file) else {
            continue;
        };
        for item in &ir.items {
            if let ItemKind::Struct(_)
            | ItemKind::Enum(_)
            | ItemKind::Union(_)
            | ItemKind::TypeAlias { .. } = item.kind
                && let Some(name) = item.name
            {
                out.insert(name);
            }
        }
    }
    out
}

/// Whether a written type may be larger than a few words.
fn may_be_large(ir: &FileIr, ty: TyId, names: &crate::sym::FxHashSet<crate::sym::Sym>) -> bool {
    match &ir.ty(ty).kind {
        TyKind::Array { .. } | TyKind::Tuple(_) => true,
        TyKind::Path(p) => ir
            .path_last(ir.path(*p))
            .is_some_and(|n| names.contains(&n)),
        _ => false,
    }
}

/// Parameters and return types that pass a large value by value.
fn signature(
    bcx: &BodyCx<'_, '_>,
    names: &crate::sym::FxHashSet<crate::sym::Sym>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(f) = bcx.function() else { return };
    // A trait impl's signature is the trait's; an `extern` one is the foreign code's.
    if matches!(bcx.at.container, Container::TraitImpl { .. }) || f.sig.is_extern {
        return;
    }
    let ir = bcx.ir;
    let env = values::env_of(bcx);
    let threshold = bcx.cx.input.stack_threshold;
    let printer = bcx.printer();
    for (&ty, &pat) in ir.list(f.sig.params).iter().zip(ir.list(bcx.body.params)) {
        if !may_be_large(ir, ty, names) {
            continue;
        }
        let value = values::ty_value(bcx.cx, &env, ty);
        if value.layout.size <= threshold {
            continue;
        }
        out.push(
            Diagnostic::new(
                RULE.code(),
                Level::Warning,
                format!(
                    "parameter `{}` is passed by value on the stack: {} is {}{}",
                    printer.pat(pat),
                    value.ty,
                    size_text(&value),
                    overflow_text(&value)
                ),
                bcx.label(ir.ty(ty).span, ""),
            )
            .with_help(format!(
                "take it by reference (`&{}`) or in a `Box`",
                value.ty
            )),
        );
    }
    if let Some(ret) = f.sig.ret.filter(|&r| may_be_large(ir, r, names)) {
        let value = values::ty_value(bcx.cx, &env, ret);
        if value.layout.size > threshold {
            out.push(
                Diagnostic::new(
                    RULE.code(),
                    Level::Warning,
                    format!(
                        "returns {} by value on the stack: it is {}{}",
                        value.ty,
                        size_text(&value),
                        overflow_text(&value)
                    ),
                    Label::new(bcx.file(), ir.ty(ret).span, ""),
                )
                .with_help(format!(
                    "return a `Box<{}>`, or fill a `&mut {}` the caller provides",
                    value.ty, value.ty
                )),
            );
        }
    }
}

/// How the size was counted, in parentheses: ` (N = 100001 elements × 1 byte)`.
fn how_text(value: &Value) -> String {
    value
        .how
        .as_ref()
        .map_or(String::new(), |h| format!(" ({h})"))
}

fn overflow_text(value: &Value) -> &'static str {
    if value.layout.too_large() {
        ": rustc rejects a type this large"
    } else if value.layout.size >= THREAD_STACK {
        ", which overflows a spawned thread's 2 MiB stack"
    } else {
        ""
    }
}

/// Which Rust the code is built with: the toolchain, and the package's `rust-version`.
mod toolchain {
    use std::sync::OnceLock;

    /// The minor version of the `rustc` on `PATH` (or `$RUSTC`), asked once.
    fn rustc() -> Option<(u64, u64)> {
        static VERSION: OnceLock<Option<(u64, u64)>> = OnceLock::new();
        *VERSION.get_or_init(|| {
            let v = rustc_version::version().ok()?;
            Some((v.major, v.minor))
        })
    }

    /// Whether an API stable since `since` may be suggested: the toolchain has it, and so
    /// does the package's MSRV when it declares one.
    pub fn allows(msrv: Option<(u64, u64)>, since: (u64, u64)) -> bool {
        let toolchain = rustc().is_some_and(|v| v >= since);
        toolchain && msrv.is_none_or(|m| m >= since)
    }
}
