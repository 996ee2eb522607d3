//! Function effects: what each function of the workspace does that a `no_alloc` or `no_block`
//! contract forbids, and whom it calls; and the check of those contracts over the call graph,
//! after Clang's "Function Effect Analysis" (`[[clang::nonallocating]]`,
//! `[[clang::nonblocking]]`).
//!
//! The check runs in two steps, so that crates keep streaming through the analysis:
//!
//! 1. **Per crate** ([`summarize`]), while its index is alive: each function's [`FnEffects`],
//!    a small summary of what it does (allocates, frees, may grow a buffer, panics, blocks,
//!    does I/O, does something the tool cannot see) and of whom it calls (a function of the
//!    crate by its key, of another crate by its canonical path, a method of a type of another
//!    crate, a trait's method through a generic or `dyn` receiver, or a method of a receiver
//!    whose type is not known, by name), plus the crate's module table, which lets another
//!    crate's path reach its items. The crate's index is dropped as usual; only the summary is
//!    kept.
//! 2. **Once all crates are done** ([`solve`]): calls are linked across crates (a path into a
//!    workspace crate resolves to its function, a trait's method to every workspace impl),
//!    and from each contracted function a breadth-first search finds, for every forbidden
//!    effect it reaches, the shortest chain of calls that leads there ([`Verdict`]).
//!    [`report`] turns verdicts into diagnostics.
//!
//! What std does is read from the one API table ([`super::api`]). A call the tool cannot see
//! (another crate's code, a closure or function pointer, a generic call to a trait whose
//! implementations are not all known) is a violation, "not verified", unless the
//! configuration assumes it (`[contracts] assume_no_alloc`).

mod contracts;
pub mod report;
mod resolve;
mod sites;
mod solve;
mod summarize;

pub use contracts::{ContractGlobs, any_written};
pub use solve::{Crate, Step, Verdict, Verdicts, Violation, solve};
pub use summarize::summarize;

use crate::diagnostic::FileId;
use crate::index::FnKey;
use crate::ir::{BodyId, Contract, ExprId, ItemId, Span};
use crate::sym::Sym;

/// A struct, enum, union or trait of the workspace, by its file and item.
pub type TypeKey = (FileId, ItemId);

/// What one crate contributes to the workspace's check: its functions' summaries and its
/// module table.
#[derive(Debug)]
pub struct CrateEffects {
    /// The crate: an index into [`crate::load::Loaded::crates`].
    pub krate: crate::diagnostic::CrateId,
    pub fns: Vec<FnEffects>,
    /// The names each module declares or imports, by module index: how a path of another
    /// crate (`dsp::mixer::Mixer`) reaches an item of this one.
    pub modules: Vec<ModuleNames>,
    /// `// escape: no_alloc` comments on no function, with where they are written.
    pub stray_contracts: Vec<(FileId, Span, crate::ir::ContractKind)>,
}

/// The names of one module, as another crate may name them.
#[derive(Debug, Default)]
pub struct ModuleNames {
    pub names: Vec<(Sym, Named)>,
    /// `use a::b::*`: modules (of this crate) or paths (of another) whose names it sees.
    pub globs: Vec<Named>,
}

/// What a name of a module stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Named {
    Module(usize),
    Item(FileId, ItemId),
    /// A re-export of another crate's item, by canonical path.
    External(Box<[Sym]>),
}

/// What a function does, as far as the contracts care.
#[derive(Debug)]
pub struct FnEffects {
    pub key: FnKey,
    /// `None` for a trait method without a default body.
    pub body: Option<BodyId>,
    /// Its path from the crate root, without the crate: modules, the type or trait of a
    /// method, and its name (`mixer`, `Mixer`, `mix`).
    pub path: Box<[Sym]>,
    pub owner: Owner,
    /// A contract written on it: an attribute or a `// escape:` comment.
    pub contract: Option<Contract>,
    /// What it does, in source order.
    pub sites: Box<[Site]>,
}

/// What a function belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    Free,
    /// A method of `impl Type`.
    Inherent(Option<TypeKey>),
    /// A method of `impl Trait for Type`.
    TraitImpl {
        trait_: Option<TypeRef>,
        ty: Option<TypeRef>,
    },
    /// A method declared in a trait, with a default body or none.
    Trait(TypeKey),
}

/// A type or trait named by a crate: of the crate itself, or of another by canonical path
/// (which may be a crate of the workspace, found once all are summarized).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeRef {
    Local(TypeKey),
    Path(Box<[Sym]>),
}

/// One thing a function does, where it does it.
#[derive(Clone, Debug)]
pub struct Site {
    pub span: Span,
    /// The expression, for the text of a message (none for a parameter's drop).
    pub expr: Option<ExprId>,
    pub op: Op,
}

/// What a site does.
#[derive(Clone, Debug)]
pub enum Op {
    /// Something a contract may forbid, or that the tool cannot see.
    Effect(Effect),
    /// A call, followed when the graph is solved.
    Call(Callee),
}

/// A forbidden (or unknown) effect: its kind and what does it (`Box::new`, `vec!`,
/// `Vec::push`, `v`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Effect {
    pub kind: EffectKind,
    pub what: Sym,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EffectKind {
    /// Allocates: `Box::new`, `vec![..]`, `format!`, `to_string`, a clone of an owning value.
    Allocates,
    /// May grow a buffer: `push`, `insert`, `extend`, `reserve`.
    MayAllocate,
    /// Frees heap memory: drops an owning value the function owns, or a collection's
    /// elements.
    Frees(Frees),
    /// Panics, or may: `unwrap`, `expect`, `panic!`, `assert!`.
    Panics,
    /// Blocks the thread: a lock, a wait, a sleep, a join, a blocking channel operation.
    Blocks,
    /// Reads or writes a standard stream or a file: `println!`.
    Io,
    /// Code the tool cannot see: not verified.
    Unknown(Unknown),
}

/// How a function frees memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frees {
    /// `drop(x)` of an owning value.
    Drop,
    /// A by-value parameter (`v: Vec<f32>`), dropped when the function returns.
    Param,
    /// `place = value`: the old value is dropped.
    Assign,
    /// A collection's elements, dropped by `clear`, `truncate`, `retain`.
    Elements,
}

/// Why the tool cannot see what a call does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unknown {
    /// A function of another crate, not analyzed (`what` is its path).
    OtherCrate,
    /// A std function or method the API table does not know.
    NotInTable,
    /// A path that does not resolve.
    Unresolved,
    /// A closure or function value: a parameter, a field, a function pointer.
    FnValue,
    /// A method of a generic or `dyn` receiver whose bounds name no trait of the workspace.
    Generic,
    /// A method of a receiver whose type is not known (`what` is the method's name), that
    /// std's method of that name would make a violation of (`MayAllocate`, `Blocks`...), or
    /// that std has no method of that name known to be plain.
    Receiver(Option<StdVerdict>),
    /// A macro that is not expanded (`what` is its name).
    Macro,
    /// A method of a crate type that was not found (a trait's method the tool cannot see).
    Method,
    /// A trait of the workspace with no implementation of the method in the workspace.
    NoImpl,
}

/// What std's method of a name does, for a receiver whose type is not known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StdVerdict {
    Allocates,
    MayAllocate,
    Blocks,
    Frees,
}

/// Whom a call calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Callee {
    /// A function of this crate.
    Fn(FnKey),
    /// A function of another crate by canonical path (`dsp::mixer::mix`,
    /// `dsp::Mixer::new`, `smallvec::SmallVec::new`): the workspace's, or not analyzed.
    Path(Box<[Sym]>),
    /// A method of a type of another crate.
    Method { ty: Box<[Sym]>, name: Sym },
    /// A trait's method, through a generic or `dyn` receiver: every implementation.
    Trait { trait_: TypeRef, name: Sym },
    /// A method of a receiver whose type is not known: every workspace method of the name,
    /// or std's. `plain` says whether std's is one of the plain methods
    /// ([`super::api::PLAIN_METHODS`]); `std` what std's would do otherwise.
    ByName {
        name: Sym,
        plain: bool,
        std: Option<StdVerdict>,
        panics: bool,
    },
}
