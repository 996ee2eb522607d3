//! Patterns.

use super::{List, LocalId, PatId, PathId, Span};
use crate::sym::Sym;

#[derive(Debug)]
pub struct Pat {
    pub kind: PatKind,
    pub span: Span,
}

#[derive(Debug)]
pub enum PatKind {
    Wild,
    /// `..` inside a tuple or slice pattern.
    Rest,
    Bind {
        local: LocalId,
        sub: Option<PatId>,
    },
    Tuple(List<PatId>),
    TupleStruct {
        path: PathId,
        elems: List<PatId>,
    },
    Struct {
        path: PathId,
        fields: List<(Sym, PatId)>,
    },
    /// A unit struct, unit variant or constant (`None`, `Ordering::Less`, `MAX`).
    Path(PathId),
    Ref {
        mutable: bool,
        pat: PatId,
    },
    Or(List<PatId>),
    Slice(List<PatId>),
    /// A literal or range pattern.
    Lit,
    Missing,
}
