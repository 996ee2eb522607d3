//! What the syntax of a literal does not say but its surroundings do: the element type of
//! `[0; N]` from the function's return type or from how the array is written to, the calls
//! a turbofish sizes, and the locals that share a frame.

use crate::diagnostic::{Code, Diagnostic, Level};
use crate::facts::BodyCx;
use crate::facts::consts;
use crate::facts::uses::Use;
use crate::facts::values::{self, Value, size_text};
use crate::index::Def;
use crate::ir::*;

/// The primitive types whose layout a use can pin an inferred element to.
const PRIMITIVES: &[&str] = &[
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32",
    "f64", "bool", "char",
];

/// `[0; N]` with its element's type told by its surroundings: the body's value typed by the
/// return type, or a local whose elements are assigned a value of a known primitive type
/// (`acc[i] += x` with `x: u32`). `None` when nothing says it certainly.
pub fn typed_literal(bcx: &BodyCx<'_, '_>, id: ExprId) -> Option<Value> {
    let ir = bcx.ir;
    let ExprKind::Repeat { elem, len } = ir.expr(id).kind else {
        return None;
    };
    // Only an unsuffixed literal's type is inferred.
    if !matches!(
        ir.expr(elem).kind,
        ExprKind::Lit(Lit::Int { suffix: None, .. } | Lit::Float { bits: None, .. })
    ) {
        return None;
    }
    if let Some(value) = from_return_type(bcx, id) {
        return Some(value);
    }
    let elem = element_from_use(bcx, id)?;
    let env = values::env_of(bcx);
    let n = consts::eval_len(bcx.cx, &env, len);
    Some(values::array_value(
        elem,
        n,
        &bcx.printer().expr(len),
        bcx.cx.options.pointer_width,
    ))
}

/// The body's own value (through blocks and branches) is of the declared return type.
fn from_return_type(bcx: &BodyCx<'_, '_>, id: ExprId) -> Option<Value> {
    let uses = bcx.uses();
    let mut at = id;
    loop {
        let u = uses.of(at)?;
        match u.how {
            Use::Tail | Use::Branch => at = u.parent?,
            // A closure's value or a `return` in one is the closure's: only the body's own.
            Use::Return if u.parent.is_none() => break,
            _ => return None,
        }
    }
    let ret = bcx.function()?.sig.ret?;
    let value = values::ty_value(bcx.cx, &values::env_of(bcx), ret);
    value.layout.exact.then_some(value)
}

/// `let mut acc = [0; N]; acc[i] += x;` with `x` of a known primitive type: the elements
/// are of that type.
fn element_from_use(bcx: &BodyCx<'_, '_>, id: ExprId) -> Option<Value> {
    let ir = bcx.ir;
    let uses = bcx.uses();
    let Use::Let(l) = uses.of(id)?.how else {
        return None;
    };
    let l = ir.let_stmt(l);
    let (None, PatKind::Bind { local, sub: None }) = (l.ty, &ir.pat(l.pat).kind) else {
        return None;
    };
    for &name in uses.of_local(*local) {
        let Some(index) = uses.of(name).and_then(|u| u.parent) else {
            continue;
        };
        if !matches!(ir.expr(index).kind, ExprKind::Index { base, .. } if base == name) {
            continue;
        }
        let Some(assign) = uses
            .of(index)
            .filter(|u| u.how == Use::Written)
            .and_then(|u| u.parent)
        else {
            continue;
        };
        // A shift's right operand may be of any integer type.
        let value = match ir.expr(assign).kind {
            ExprKind::Assign { place, value } if place == index => value,
            ExprKind::AssignOp { op, place, value }
                if place == index && !matches!(op, BinOp::Shl | BinOp::Shr) =>
            {
                value
            }
            _ => continue,
        };
        if let Some(v) = values::of_expr(bcx, value)
            && v.layout.exact
            && PRIMITIVES.contains(&v.ty.as_str())
        {
            return Some(v);
        }
    }
    None
}

/// `make::<1001>()`: a call of a crate function with const generic parameters, given by a
/// turbofish. Its signature alone could not be sized, so its call is.
pub fn is_turbofish_call(bcx: &BodyCx<'_, '_>, callee: ExprId) -> bool {
    let ir = bcx.ir;
    let ExprKind::Path(p) = ir.expr(callee).kind else {
        return false;
    };
    if ir
        .list(ir.path(p).segments)
        .last()
        .is_none_or(|s| s.args.is_none())
    {
        return false;
    }
    let Some(resolved) = bcx.resolve_path(callee) else {
        return false;
    };
    let (Def::Item(file, item), 0) = (resolved.def, resolved.rest) else {
        return false;
    };
    let Some(fir) = bcx.cx.loaded.ir(file) else {
        return false;
    };
    let ItemKind::Fn(f) = &fir.item(item).kind else {
        return false;
    };
    f.sig
        .generics
        .params
        .iter()
        .any(|g| matches!(g.kind, GenericParamKind::Const { .. }))
}

/// Clippy's `large_stack_frames`: the locals a function's outermost block declares live
/// until it ends, and together take more than the threshold though none does alone. A note:
/// the optimizer may keep some in registers, merge their slots or remove them.
pub fn frame(bcx: &BodyCx<'_, '_>, code: Code) -> Option<Diagnostic> {
    let ir = bcx.ir;
    bcx.function()?;
    let ExprKind::Block(b) = ir.expr(bcx.body.value).kind else {
        return None;
    };
    let threshold = bcx.cx.input.stack_threshold;
    let mut total = 0u64;
    let mut parts = Vec::new();
    for stmt in ir.list(ir.block(b).stmts) {
        let Stmt::Let(l) = *stmt else { continue };
        let l = ir.let_stmt(l);
        let PatKind::Bind { local, .. } = ir.pat(l.pat).kind else {
            continue;
        };
        let value = match (l.ty, l.init) {
            (Some(ty), _) => values::ty_value(bcx.cx, &values::env_of(bcx), ty),
            // A move of another local is most often that local's slot.
            (None, Some(init)) if matches!(ir.expr(init).kind, ExprKind::Local(_)) => continue,
            (None, Some(init)) => {
                let Some(mut value) = values::of_expr(bcx, init) else {
                    continue;
                };
                if let Some(typed) = typed_literal(bcx, init)
                    && typed.layout.size >= value.layout.size
                {
                    value = typed;
                }
                value
            }
            (None, None) => continue,
        };
        // One large local is reported by itself.
        if value.layout.size > threshold {
            return None;
        }
        if value.layout.size >= 1024 {
            total = total.saturating_add(value.layout.size);
            parts.push(format!(
                "`{}` ({})",
                bcx.body.local(local).name,
                size_text(&value)
            ));
        }
    }
    if total <= threshold || parts.len() < 2 {
        return None;
    }
    let item = ir.item(bcx.at.owner);
    let name = item.name.map_or(String::new(), |n| n.to_string());
    Some(
        Diagnostic::new(
            code,
            Level::Note,
            format!(
                "the locals of `{name}` take at least {} of its stack frame together: {}",
                size_text(&Value {
                    layout: crate::facts::layout::Layout {
                        size: total,
                        align: 1,
                        exact: true,
                        niche: 0,
                    },
                    ty: String::new(),
                    how: None,
                }),
                parts.join(", ")
            ),
            bcx.label(item.name_span, ""),
        )
        .with_verbosity(1)
        .with_note(
            "they live until the function returns; the optimizer may still keep some in \
             registers or share their slots, so this is a note",
        )
        .with_help("keep the largest on the heap: a `Vec` or a `Box`"),
    )
}
