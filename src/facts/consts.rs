//! Constant evaluation of integer expressions: array lengths, `const` items, discriminants.
//!
//! What is evaluated: integer literals, `+ - * / % << >> & | ^ ! -`, `as` casts between integer
//! types, `MIN`/`MAX`/`BITS` of the primitives, `const` items (through modules, `use`, `Self::`
//! and inherent associated consts), `size_of::<T>()` and `align_of::<T>()` for types the
//! layout estimator knows exactly, and calls of `const fn`s whose body is one expression.
//!
//! Invariant: a result is either exact or `None`. Overflow, division by zero, a name that does
//! not resolve, anything not listed above: `None`. Never a guess, never a panic.

use super::CrateCx;
use super::layout::{self, Layout};
use crate::diagnostic::FileId;
use crate::index::{Def, ScopeRef};
use crate::ir::*;
use crate::sym::Sym;

/// An integer constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Const {
    pub value: i128,
    /// Its type, when something says: a suffix, a `const`'s type, a cast.
    pub ty: Option<IntTy>,
    /// A named constant, `size_of` or a `const fn` went into it, so the expression as written
    /// says more than its value.
    pub named: bool,
}

impl Const {
    fn literal(value: i128, ty: Option<IntTy>) -> Const {
        Const {
            value,
            ty,
            named: false,
        }
    }
}

/// What a generic parameter stands for where a generic item is used.
#[derive(Clone, Copy, Debug)]
pub enum Arg {
    Type(Layout),
    Const(Option<i128>),
}

/// Where an expression or type is read: the scope its names resolve in, the type `Self`
/// names, what the generic parameters in scope stand for, and (inside a `const fn`) the
/// values of its parameters.
#[derive(Clone, Copy)]
pub struct Env<'e> {
    pub scope: ScopeRef,
    pub self_ty: Option<(FileId, ItemId)>,
    pub subst: &'e [(Sym, Arg)],
    pub locals: &'e [(LocalId, Const)],
    /// How many items deep the evaluation is, against runaway recursion.
    pub depth: u32,
}

impl<'e> Env<'e> {
    pub fn new(scope: ScopeRef, self_ty: Option<(FileId, ItemId)>) -> Env<'e> {
        Env {
            scope,
            self_ty,
            subst: &[],
            locals: &[],
            depth: 0,
        }
    }
}

/// How deep `const` items, `const fn`s and types may nest.
pub const MAX_DEPTH: u32 = 24;

/// The bits of an integer type on the target.
pub fn bits(ty: IntTy, pointer_width: u64) -> u32 {
    use IntTy::*;
    match ty {
        U8 | I8 => 8,
        U16 | I16 => 16,
        U32 | I32 => 32,
        U64 | I64 => 64,
        U128 | I128 => 128,
        Usize | Isize => (pointer_width * 8) as u32,
    }
}

fn signed(ty: IntTy) -> bool {
    use IntTy::*;
    matches!(ty, I8 | I16 | I32 | I64 | I128 | Isize)
}

/// The range of an integer type, as far as an `i128` holds it (`u128::MAX` does not).
fn range(ty: IntTy, pointer_width: u64) -> (i128, i128) {
    let bits = bits(ty, pointer_width);
    if signed(ty) {
        let max = if bits == 128 {
            i128::MAX
        } else {
            (1i128 << (bits - 1)) - 1
        };
        (-max - 1, max)
    } else if bits >= 127 {
        (0, i128::MAX)
    } else {
        (0, (1i128 << bits) - 1)
    }
}

fn fits(value: i128, ty: Option<IntTy>, pointer_width: u64) -> bool {
    ty.is_none_or(|ty| {
        let (lo, hi) = range(ty, pointer_width);
        lo <= value && value <= hi
    })
}

/// `value as ty`: wraps around, as casts do.
fn wrap(value: i128, ty: IntTy, pointer_width: u64) -> Option<i128> {
    let bits = bits(ty, pointer_width);
    if bits >= 128 {
        // `u128` values above `i128::MAX` are not representable here.
        return if !signed(ty) && value < 0 {
            None
        } else {
            Some(value)
        };
    }
    let modulus = 1i128 << bits;
    let mut v = value.rem_euclid(modulus);
    if signed(ty) && v >= modulus / 2 {
        v -= modulus;
    }
    Some(v)
}

/// The integer type a primitive name denotes.
pub fn int_ty(name: Sym) -> Option<IntTy> {
    IntTy::from_name(name.as_str())
}

/// Evaluates `expr` of `env.scope.file`.
pub fn eval(cx: &CrateCx<'_>, env: &Env<'_>, expr: ExprId) -> Option<Const> {
    eval_as(cx, env, expr, None)
}

/// An array length: a `usize`.
pub fn eval_len(cx: &CrateCx<'_>, env: &Env<'_>, expr: ExprId) -> Option<Const> {
    eval_as(cx, env, expr, Some(IntTy::Usize))
}

/// Evaluates `expr`, where the context expects a value of type `expected` (as inference
/// would give an unsuffixed literal: `!0` in a `u32` const is `u32::MAX`).
pub fn eval_as(
    cx: &CrateCx<'_>,
    env: &Env<'_>,
    expr: ExprId,
    expected: Option<IntTy>,
) -> Option<Const> {
    if env.depth > MAX_DEPTH {
        return None;
    }
    let ir = cx.loaded.ir(env.scope.file)?;
    let pw = cx.options.pointer_width;
    match &ir.expr(expr).kind {
        ExprKind::Lit(Lit::Int { value, suffix }) => {
            let c = Const::literal(*value as i128, suffix.or(expected));
            fits(c.value, c.ty, pw).then_some(c)
        }
        // `-128i8`: the literal is negated before its range is checked.
        ExprKind::Unary {
            op: UnOp::Neg,
            expr: inner,
        } if let ExprKind::Lit(Lit::Int { value, suffix }) = ir.expr(*inner).kind => {
            let ty = suffix.or(expected);
            if ty.is_some_and(|t| !signed(t)) {
                return None;
            }
            let c = Const::literal(-(value as i128), ty);
            fits(c.value, c.ty, pw).then_some(c)
        }
        ExprKind::Unary { op, expr } => {
            let c = eval_as(cx, env, *expr, expected)?;
            let value = match op {
                UnOp::Neg => {
                    if c.ty.is_some_and(|t| !signed(t)) {
                        return None;
                    }
                    c.value.checked_neg()?
                }
                UnOp::Not => {
                    let ty = c.ty?;
                    wrap(!c.value, ty, pw)?
                }
                UnOp::Deref => return None,
            };
            fits(value, c.ty, pw).then_some(Const { value, ..c })
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let a = eval_as(cx, env, *lhs, expected)?;
            // A shift amount's type is its own.
            let shift = matches!(op, BinOp::Shl | BinOp::Shr);
            let b = eval_as(cx, env, *rhs, if shift { None } else { a.ty.or(expected) })?;
            binary(*op, a, b, pw)
        }
        ExprKind::Cast { expr, ty } => {
            // An operand with no type of its own is an `i32`, as inference falls back to.
            let mut c = eval(cx, env, *expr)?;
            if c.ty.is_none() {
                c = eval_as(cx, env, *expr, Some(IntTy::I32))?;
            }
            let TyKind::Path(p) = ir.ty(*ty).kind else {
                return None;
            };
            let target = int_ty(ir.path_ident(ir.path(p))?)?;
            Some(Const {
                value: wrap(c.value, target, pw)?,
                ty: Some(target),
                named: c.named,
            })
        }
        ExprKind::Block(b) => {
            let block = ir.block(*b);
            if !ir.list(block.stmts).is_empty() {
                return None;
            }
            eval_as(cx, env, block.tail?, expected)
        }
        ExprKind::Local(l) => env
            .locals
            .iter()
            .find(|(local, _)| local == l)
            .map(|&(_, c)| Const { named: true, ..c }),
        ExprKind::Path(p) => eval_path(cx, env, ir, *p),
        ExprKind::Call { callee, args } => call(cx, env, ir, *callee, ir.list(*args)),
        _ => None,
    }
}

fn binary(op: BinOp, a: Const, b: Const, pw: u64) -> Option<Const> {
    let ty = if matches!(op, BinOp::Shl | BinOp::Shr) {
        a.ty
    } else {
        a.ty.or(b.ty)
    };
    let named = a.named || b.named;
    let (x, y) = (a.value, b.value);
    let value = match op {
        BinOp::Add => x.checked_add(y)?,
        BinOp::Sub => x.checked_sub(y)?,
        BinOp::Mul => x.checked_mul(y)?,
        BinOp::Div => x.checked_div(y)?,
        BinOp::Rem => x.checked_rem(y)?,
        BinOp::BitAnd => x & y,
        BinOp::BitOr => x | y,
        BinOp::BitXor => x ^ y,
        BinOp::Shl | BinOp::Shr => {
            let width = ty.map_or(128, |t| bits(t, pw));
            let shift = u32::try_from(y).ok().filter(|&s| s < width)?;
            if op == BinOp::Shr {
                x >> shift
            } else if let Some(t) = ty {
                // Bits shifted out of the type are lost, as at run time.
                wrap(x.checked_shl(shift).filter(|v| v >> shift == x)?, t, pw)?
            } else {
                x.checked_shl(shift).filter(|v| v >> shift == x)?
            }
        }
        _ => return None,
    };
    fits(value, ty, pw).then_some(Const { value, ty, named })
}

/// A path of `ir` as a constant: a `const` item, an associated const, a const generic
/// parameter, `u32::MAX`.
pub fn eval_path(cx: &CrateCx<'_>, env: &Env<'_>, ir: &FileIr, p: PathId) -> Option<Const> {
    let path = ir.path(p);
    let names: Vec<Sym> = ir.segment_names(path).collect();
    let pw = cx.options.pointer_width;
    // `u32::MAX`, `core::u32::MAX`, `usize::BITS`.
    if let [.., prim, item] = names.as_slice()
        && let Some(ty) = int_ty(*prim)
    {
        let (lo, hi) = range(ty, pw);
        let value = match item.as_str() {
            "MAX" if bits(ty, pw) < 128 || signed(ty) => hi,
            "MIN" => lo,
            "BITS" => return Some(Const::literal(bits(ty, pw) as i128, Some(IntTy::U32))),
            _ => return None,
        };
        return Some(Const {
            value,
            ty: Some(ty),
            named: true,
        });
    }
    // A const generic parameter.
    if let [name] = names.as_slice()
        && let Some((_, Arg::Const(value))) = env.subst.iter().find(|(n, _)| n == name)
    {
        return value.map(|v| Const {
            value: v,
            ty: Some(IntTy::Usize),
            named: true,
        });
    }
    // `Self::N`.
    if let [first, name] = names.as_slice()
        && first.is("Self")
    {
        let item = cx.index.inherent_const(env.self_ty?, *name)?;
        return const_item(cx, item, env.self_ty, env.depth + 1);
    }
    let resolved = cx.index.resolve(env.scope, p)?;
    match (resolved.def, resolved.rest) {
        (Def::Item(file, item), 0) => const_item(cx, (file, item), None, env.depth + 1),
        // `Type::N`: an associated const of a crate type.
        (Def::Item(file, ty), 1) => {
            let item = cx.index.inherent_const((file, ty), *names.last()?)?;
            const_item(cx, item, Some((file, ty)), env.depth + 1)
        }
        _ => None,
    }
}

/// The value of a `const` item, computed once per crate.
pub fn const_item(
    cx: &CrateCx<'_>,
    (file, item): (FileId, ItemId),
    self_ty: Option<(FileId, ItemId)>,
    depth: u32,
) -> Option<Const> {
    // A cycle (`const A: usize = B; const B: usize = A;`) finds no value.
    cx.consts
        .get_or_compute((file, item), || {
            eval_const_item(cx, file, item, self_ty, depth)
        })
        .flatten()
}

fn eval_const_item(
    cx: &CrateCx<'_>,
    file: FileId,
    item: ItemId,
    self_ty: Option<(FileId, ItemId)>,
    depth: u32,
) -> Option<Const> {
    let ir = cx.loaded.ir(file)?;
    let ItemKind::Const {
        ty,
        body: Some(body),
    } = ir.item(item).kind
    else {
        return None;
    };
    let scope = ScopeRef {
        body: Some(body),
        ..cx.index.item_scope(file, item)?
    };
    let env = Env {
        depth,
        ..Env::new(scope, self_ty)
    };
    let declared = match ir.ty(ty).kind {
        TyKind::Path(p) => ir.path_ident(ir.path(p)).and_then(int_ty),
        _ => None,
    };
    let c = eval_as(cx, &env, ir.body(body).value, declared)?;
    let ty = declared.or(c.ty);
    fits(c.value, ty, cx.options.pointer_width).then_some(Const {
        value: c.value,
        ty,
        named: true,
    })
}

/// `size_of::<T>()`, `align_of::<T>()`, and `const fn` calls.
fn call(
    cx: &CrateCx<'_>,
    env: &Env<'_>,
    ir: &FileIr,
    callee: ExprId,
    args: &[ExprId],
) -> Option<Const> {
    let ExprKind::Path(p) = ir.expr(callee).kind else {
        return None;
    };
    let resolved = cx.index.resolve(env.scope, p)?;
    match resolved.def {
        Def::External(path) if resolved.rest == 0 => {
            let which = path.iter().map(|s| s.as_str()).collect::<Vec<_>>();
            let of_size = match which.as_slice() {
                ["std", "mem", "size_of"] => true,
                ["std", "mem", "align_of"] => false,
                _ => return None,
            };
            let ty = *layout::type_args(ir, ir.path(p)).first()?;
            let l = layout::of_ty(cx, env, ty);
            if !l.exact {
                return None;
            }
            let value = if of_size { l.size } else { l.align };
            Some(Const {
                value: value as i128,
                ty: Some(IntTy::Usize),
                named: true,
            })
        }
        Def::Item(file, item) if resolved.rest == 0 => {
            let values: Vec<Const> = args
                .iter()
                .map(|&a| eval(cx, env, a))
                .collect::<Option<_>>()?;
            const_fn(cx, (file, item), &values, env.depth + 1)
        }
        _ => None,
    }
}

/// A `const fn` whose body is a single expression, with its parameters bound to `args`.
fn const_fn(
    cx: &CrateCx<'_>,
    (file, item): (FileId, ItemId),
    args: &[Const],
    depth: u32,
) -> Option<Const> {
    if depth > MAX_DEPTH {
        return None;
    }
    let ir = cx.loaded.ir(file)?;
    let ItemKind::Fn(f) = &ir.item(item).kind else {
        return None;
    };
    if !f.sig.is_const || f.sig.self_param.is_some() {
        return None;
    }
    let body_id = f.body?;
    let body = ir.body(body_id);
    let params = ir.list(body.params);
    if params.len() != args.len() {
        return None;
    }
    let mut locals = Vec::with_capacity(args.len());
    for (&pat, &arg) in params.iter().zip(args) {
        let PatKind::Bind { local, sub: None } = ir.pat(pat).kind else {
            return None;
        };
        locals.push((local, arg));
    }
    let scope = ScopeRef {
        body: Some(body_id),
        ..cx.index.item_scope(file, item)?
    };
    let env = Env {
        scope,
        self_ty: None,
        subst: &[],
        locals: &locals,
        depth,
    };
    let ret = match f.sig.ret.map(|t| &ir.ty(t).kind) {
        Some(TyKind::Path(p)) => ir.path_ident(ir.path(*p)).and_then(int_ty),
        _ => None,
    };
    let c = eval_as(cx, &env, body.value, ret)?;
    let ty = ret.or(c.ty);
    fits(c.value, ty, cx.options.pointer_width).then_some(Const {
        value: c.value,
        ty,
        named: true,
    })
}
