//! Facts: what several rules and the escape engine need to know about a crate's code, computed
//! once. A crate is seen through a [`CrateCx`]: its index (modules, bodies, name resolution),
//! its constants and layouts, and helpers over its bodies ([`BodyCx`]), whose facts
//! ([`body`]: `let` initializers, [`uses`]) are computed on first need and kept. What std and
//! ecosystem APIs do is the one table of [`api`]; what is known of an expression's type is
//! [`types::type_of`].

pub mod api;
pub mod body;
pub mod consts;
pub mod display;
pub mod effects;
pub mod layout;
pub mod types;
pub mod uses;
pub mod values;

use std::cell::RefCell;
use std::hash::Hash;

use crate::diagnostic::{CrateId, FileId, Label};
use crate::index::{BodyRef, Container, CrateIndex, Resolved};
use crate::ir::{Body, ExprId, ExprKind, FileIr, PathId, Span};
use crate::load::Loaded;

/// One crate to analyze.
#[derive(Clone, Debug)]
pub struct CrateInput {
    /// Index into [`Loaded::crates`].
    pub krate: CrateId,
    /// Names the code uses for its dependencies, with the crate each is.
    pub externs: Vec<(String, String)>,
    /// The package's `rust-version` (its MSRV), as major and minor version.
    pub msrv: Option<(u64, u64)>,
    /// Values larger than this many bytes do not belong on the stack.
    pub stack_threshold: u64,
    /// The crate is a test or bench target (`tests/*.rs`, `benches/*.rs`): all of its code is
    /// test code.
    pub test_target: bool,
}

/// The default of `--stack-threshold`: see `lints/large_stack_array.md` for why.
pub const DEFAULT_STACK_THRESHOLD: u64 = 64 * 1024;

/// How the run analyzes, and what it will show, so that no work is spent on findings the
/// filter would drop.
#[derive(Clone, Debug)]
pub struct Options {
    /// The `-m` level: 0 shows warnings, 1 adds every verdict.
    pub verbosity: u8,
    /// Whether diagnostics carry the flows behind them: with `-m=2`, and in JSON, where an
    /// editor shows them on demand.
    pub flows: bool,
    /// Rules allowed on the command line (by id); they do not run.
    pub allowed: Vec<String>,
    /// Bytes in a pointer on the target: 8, or 4 for a 32-bit `--target`.
    pub pointer_width: u64,
    /// The alignment of `u64`, `i64` and `f64`: 8, but 4 on 32-bit x86.
    pub int64_align: u64,
    /// Whether the run checks contracts (`no_alloc`, `no_block`): each crate then leaves its
    /// functions' effects behind ([`effects::summarize`]). Off when no contract is written,
    /// so that a workspace without one does none of that work.
    pub contracts: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            verbosity: 0,
            flows: false,
            allowed: Vec::new(),
            pointer_width: 8,
            int64_align: 8,
            contracts: false,
        }
    }
}

/// What a rule sees of a crate.
pub struct CrateCx<'a> {
    pub index: CrateIndex<'a>,
    pub loaded: &'a Loaded,
    pub options: &'a Options,
    /// The crate input: its MSRV.
    pub input: &'a CrateInput,
    /// `const` items evaluated so far (the value is `None` when unknown).
    consts: Memo<(FileId, crate::ir::ItemId), Option<consts::Const>>,
    /// Layouts of the crate's types without generic arguments.
    layouts: Memo<(FileId, crate::ir::ItemId), layout::Layout>,
    /// Whether each crate type may hold a pointer ([`types::Types::adt_may_hold_pointer`]).
    may_hold_pointer: Memo<(FileId, crate::ir::ItemId), bool>,
    /// The facts of each body of `index.bodies`, by position.
    body_facts: Vec<body::BodyFacts>,
}

/// Values computed once per crate that may depend on each other, like a constant that names
/// another: while one is computed its key holds nothing, which a cycle finds.
struct Memo<K, V>(RefCell<crate::sym::FxHashMap<K, Option<V>>>);

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo(RefCell::default())
    }
}

impl<K: Eq + Hash + Copy, V: Copy> Memo<K, V> {
    /// The value for `key`, computed by `compute` the first time; `None` while it is being
    /// computed (a cycle).
    fn get_or_compute(&self, key: K, compute: impl FnOnce() -> V) -> Option<V> {
        if let Some(cached) = self.0.borrow().get(&key) {
            return *cached;
        }
        self.0.borrow_mut().insert(key, None);
        let value = compute();
        self.0.borrow_mut().insert(key, Some(value));
        Some(value)
    }
}

impl<'a> CrateCx<'a> {
    /// Indexes one crate.
    pub fn new(loaded: &'a Loaded, input: &'a CrateInput, options: &'a Options) -> CrateCx<'a> {
        CrateCx {
            index: CrateIndex::build(loaded, input.krate, &input.externs),
            loaded,
            options,
            input,
            consts: Memo::default(),
            layouts: Memo::default(),
            may_hold_pointer: Memo::default(),
            body_facts: Vec::new(),
        }
        .with_body_slots()
    }

    fn with_body_slots(mut self) -> CrateCx<'a> {
        self.body_facts = (0..self.index.bodies.len())
            .map(|_| body::BodyFacts::default())
            .collect();
        self
    }

    /// The bodies this crate analyzes: those in files it owns.
    pub fn owned_bodies(&self) -> impl Iterator<Item = BodyCx<'_, 'a>> {
        self.all_bodies().filter(|b| self.index.owns(b.file()))
    }

    /// Every body reachable in the crate, including files another target analyzes.
    pub fn all_bodies(&self) -> impl Iterator<Item = BodyCx<'_, 'a>> {
        (0..self.index.bodies.len()).filter_map(|slot| self.body_cx(slot))
    }

    /// The body at `slot` of `index.bodies`, ready to read.
    fn body_cx(&self, slot: usize) -> Option<BodyCx<'_, 'a>> {
        let at = self.index.bodies[slot];
        let ir = self.loaded.ir(at.file)?;
        Some(BodyCx {
            cx: self,
            at,
            slot,
            ir,
            body: ir.body(at.body),
        })
    }
}

/// One body, with what is needed to read it.
pub struct BodyCx<'c, 'a> {
    pub cx: &'c CrateCx<'a>,
    pub at: BodyRef,
    /// Its position in `index.bodies`, where its facts are kept.
    slot: usize,
    pub ir: &'a FileIr,
    pub body: &'a Body,
}

impl BodyCx<'_, '_> {
    pub fn file(&self) -> FileId {
        self.at.file
    }

    /// What the path expression `expr` names, if it is one and it resolves.
    pub fn resolve_path(&self, expr: ExprId) -> Option<Resolved> {
        match &self.ir.expr(expr).kind {
            ExprKind::Path(path) => self.resolve_path_id(*path),
            _ => None,
        }
    }

    /// What a path of this body names. `Self` is the type of the `impl` around the body.
    pub fn resolve_path_id(&self, path: PathId) -> Option<Resolved> {
        let p = self.ir.path(path);
        let segments = self.ir.list(p.segments);
        if p.qself.is_none()
            && !p.global
            && segments.first().is_some_and(|s| s.name.is("Self"))
            && let Some((file, item)) = self.self_type()
        {
            return Some(Resolved {
                def: crate::index::Def::Item(file, item),
                rest: segments.len() - 1,
                via: None,
            });
        }
        self.cx.index.resolve(self.at.scope(), path)
    }

    /// The crate type `Self` names in this body, inside an `impl`.
    pub fn self_type(&self) -> Option<(FileId, crate::ir::ItemId)> {
        match self.at.container {
            Container::Inherent { impl_item } | Container::TraitImpl { impl_item } => {
                self.cx.index.impl_self_type(self.at.scope(), impl_item)
            }
            _ => None,
        }
    }

    /// The function owning this body, if it is one.
    pub fn function(&self) -> Option<&crate::ir::FnItem> {
        match &self.ir.item(self.at.owner).kind {
            crate::ir::ItemKind::Fn(f) => Some(f),
            _ => None,
        }
    }

    pub fn label(&self, span: Span, text: impl Into<String>) -> Label {
        Label::new(self.at.file, span, text)
    }

    /// Whether the body is test code: in a test or bench target, a `#[test]` function, or an
    /// item or module under `#[cfg(test)]`.
    pub fn is_test_code(&self) -> bool {
        self.cx.input.test_target
            || self.ir.item(self.at.owner).test_only
            || self.cx.index.tree.modules[self.at.module].test_only
    }
}
