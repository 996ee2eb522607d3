//! Whether a closure given to a method of a name shared by `Option`, `Result` and the lazy
//! adaptors (`map`, `and_then`, `map_err`) is kept in what the method returns, when the
//! receiver's type is not known: what the code around the call does with its result tells.

use super::Builder;
use crate::facts::types::{Ty, ty_of};
use crate::facts::uses::Use;
use crate::ir::*;

/// Methods that only `Option`, `Result` and futures' or streams' `TryFutureExt` have under
/// these names: on an `Option` or a `Result` they call their closure in place.
const OPTION_RESULT: &[&str] = &[
    "map_err",
    "and_then",
    "or_else",
    "ok_or_else",
    "map_or",
    "map_or_else",
    "unwrap_or_else",
    "with_context",
    "and_modify",
];

/// Methods that take an `Option` or a `Result` apart (no iterator has them): a `map(..)`
/// whose result they take was an `Option`'s or a `Result`'s.
const UNWRAPS: &[&str] = &[
    "unwrap",
    "expect",
    "unwrap_or",
    "unwrap_or_else",
    "unwrap_or_default",
    "unwrap_unchecked",
    "unwrap_err",
    "expect_err",
    "ok",
    "err",
    "ok_or",
    "ok_or_else",
    "is_some",
    "is_none",
    "is_ok",
    "is_err",
    "map_or",
    "map_or_else",
    "map_err",
    "transpose",
];

/// Lazy iterator adaptors: the iterator they return keeps the one they are given.
const ADAPTORS: &[&str] = &[
    "map",
    "filter",
    "filter_map",
    "flat_map",
    "inspect",
    "take_while",
    "skip_while",
    "map_while",
    "scan",
    "chain",
    "zip",
    "rev",
    "skip",
    "take",
    "step_by",
    "enumerate",
    "fuse",
    "peekable",
    "cloned",
    "copied",
    "flatten",
];

/// Methods that use an iterator up before they return: its adaptors' closures die there.
const CONSUMERS: &[&str] = &[
    "collect",
    "sum",
    "product",
    "count",
    "for_each",
    "try_for_each",
    "fold",
    "try_fold",
    "any",
    "all",
    "find",
    "find_map",
    "position",
    "last",
    "max",
    "min",
    "max_by",
    "min_by",
    "max_by_key",
    "min_by_key",
    "nth",
    "next",
    "partition",
    "reduce",
    "unzip",
];

impl Builder<'_, '_, '_> {
    /// Whether the closures a call `id` (of method `m`, whose receiver's type is not known)
    /// is given are certainly called before the value it returns is gone: on an `Option` or a
    /// `Result` (told by the method's name, or by what takes the result apart), on an array
    /// (`[T; N]::map`), or by an iterator adaptor used up on the spot.
    pub(super) fn closure_dies_here(&self, id: ExprId, m: &MethodCall) -> bool {
        let name = m.method.as_str();
        if self.is_array(m.receiver) {
            return name == "map";
        }
        if OPTION_RESULT.contains(&name) {
            return !self.chain_awaited(id);
        }
        // Up the chain of adaptors to what takes the last one.
        let mut at = id;
        for _ in 0..16 {
            let Some(u) = self.bcx.uses().of(at) else {
                return false;
            };
            let Some(parent) = u.parent else { return false };
            let parent_kind = &self.ir.expr(parent).kind;
            match (u.how, parent_kind) {
                (Use::Scrutinee, ExprKind::Try(_)) => return true,
                (Use::Scrutinee, ExprKind::For { .. }) => return true,
                (Use::Receiver { .. }, ExprKind::MethodCall(pm)) => {
                    let next = self.ir.method_call(*pm).method.as_str();
                    if UNWRAPS.contains(&next) {
                        return true;
                    }
                    if CONSUMERS.contains(&next) {
                        return !self.chain_awaited(parent);
                    }
                    if !ADAPTORS.contains(&next) {
                        return false;
                    }
                    at = parent;
                }
                (Use::Arg { .. }, ExprKind::MethodCall(pm)) => {
                    return self.ir.method_call(*pm).method.as_str() == "extend"
                        && !self.chain_awaited(parent);
                }
                _ => return false,
            }
        }
        false
    }

    /// Whether the value of `id`, through method calls on it, is awaited: a future's (or a
    /// stream's) adaptor, not an `Option`'s.
    pub(super) fn chain_awaited(&self, mut at: ExprId) -> bool {
        for _ in 0..16 {
            let Some(u) = self.bcx.uses().of(at) else {
                return false;
            };
            let Some(parent) = u.parent else { return false };
            match (u.how, &self.ir.expr(parent).kind) {
                (_, ExprKind::Await(_)) => return true,
                (Use::Receiver { .. }, ExprKind::MethodCall(_)) | (_, ExprKind::Try(_)) => {
                    at = parent
                }
                _ => return false,
            }
        }
        false
    }

    /// Whether an expression is an array, as far as its type is known: a literal, a local
    /// declared as one or bound to one, a field, a function's result.
    fn is_array(&self, e: ExprId) -> bool {
        matches!(ty_of(self.bcx, e), Some(Ty::Array(..)))
    }
}
