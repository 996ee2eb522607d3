//! How large a value is, as far as it can be told without type checking. Until the layout
//! estimator exists, only array literals with constant lengths of primitive elements are
//! measured; anything else is unknown, and unknown is treated as small.

use super::BodyCx;
use crate::ir::{ExprId, ExprKind, Lit};

/// Values at least this large are better on the heap: boxing them is never "unnecessary".
/// Go moves implicit allocations over 64 KiB to the heap for the same reason.
pub const LARGE: u64 = 64 * 1024;

/// A lower bound on the size of the value `expr` builds, when it can be told.
pub fn value_size(bcx: &BodyCx<'_, '_>, expr: ExprId) -> Option<u64> {
    match &bcx.ir.expr(expr).kind {
        ExprKind::Repeat { elem, len } => {
            let n = int_literal(bcx, *len)?;
            let elem = value_size(bcx, *elem).unwrap_or(1);
            n.checked_mul(elem)
        }
        ExprKind::Lit(Lit::Int {
            suffix: Some(t), ..
        }) => Some(int_size(*t)),
        ExprKind::Lit(Lit::Int { .. }) => Some(4),
        ExprKind::Lit(Lit::Float(_)) => Some(8),
        ExprKind::Lit(Lit::Bool(_)) | ExprKind::Lit(Lit::Byte) => Some(1),
        ExprKind::Lit(Lit::Char) => Some(4),
        _ => None,
    }
}

fn int_literal(bcx: &BodyCx<'_, '_>, expr: ExprId) -> Option<u64> {
    match bcx.ir.expr(expr).kind {
        ExprKind::Lit(Lit::Int { value, .. }) => Some(value),
        _ => None,
    }
}

fn int_size(t: crate::ir::IntTy) -> u64 {
    use crate::ir::IntTy::*;
    match t {
        U8 | I8 => 1,
        U16 | I16 => 2,
        U32 | I32 => 4,
        U64 | I64 | Usize | Isize => 8,
        U128 | I128 => 16,
    }
}

/// Whether a value is known to be large enough that it belongs on the heap.
pub fn is_large(bcx: &BodyCx<'_, '_>, expr: ExprId) -> bool {
    value_size(bcx, expr).is_some_and(|s| s >= LARGE)
}
