//! The layout of the value an expression builds, with its type as text, for the rules that
//! ask how large a value is: `[0u8; 1 << 20]`, `Grid { cells: [[0.0; 512]; 512] }`, a local
//! declared `[u8; N]`, a `const`, a call of a crate function.
//!
//! As in [`layout`](super::layout), a size is exact or a lower bound. An integer literal
//! without a suffix counts as at least one byte: its type is whatever inference makes it.

use super::BodyCx;
use super::consts::{self, Env};
use super::display::Printer;
use super::layout::{self, Layout};
use crate::diagnostic::FileId;
use crate::index::{Container, Def};
use crate::ir::*;

#[derive(Clone, Debug)]
pub struct Value {
    pub layout: Layout,
    /// The type as rustc would print it, where it can be told: `[u8; 4194304]`, `Grid`.
    pub ty: String,
    /// How named constants made the size: `ROWS * 64 = 262144 elements × 8 bytes`.
    pub how: Option<String>,
}

impl Value {
    fn new(layout: Layout, ty: impl Into<String>) -> Value {
        Value {
            layout,
            ty: ty.into(),
            how: None,
        }
    }
}

/// How deep `of_expr` follows locals and nested literals.
const MAX_DEPTH: u32 = 16;

/// The environment of a body: its scope and its `Self`.
pub fn env_of<'e>(bcx: &BodyCx<'_, '_>) -> Env<'e> {
    Env::new(bcx.at.scope(), bcx.self_type())
}

/// The value `expr` builds, if its type can be told.
pub fn of_expr(bcx: &BodyCx<'_, '_>, expr: ExprId) -> Option<Value> {
    of_expr_at(bcx, expr, 0)
}

fn of_expr_at(bcx: &BodyCx<'_, '_>, expr: ExprId, depth: u32) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    let ir = bcx.ir;
    let cx = bcx.cx;
    let env = env_of(bcx);
    let printer = bcx.printer();
    match &ir.expr(expr).kind {
        ExprKind::Lit(lit) => literal(lit, cx.options),
        ExprKind::Repeat { elem, len } => {
            let elem = of_expr_at(bcx, *elem, depth + 1)
                .unwrap_or_else(|| Value::new(Layout::UNKNOWN, "_"));
            let n = consts::eval_len(cx, &env, *len);
            Some(array_value(
                elem,
                n,
                &printer.expr(*len),
                cx.options.pointer_width,
            ))
        }
        ExprKind::Array(list) => {
            let items = ir.list(*list);
            let elem = match items.first() {
                Some(&first) => of_expr_at(bcx, first, depth + 1)?,
                None => return Some(Value::new(Layout::ZST, "[_; 0]")),
            };
            let n = consts::Const {
                value: items.len() as i128,
                ty: None,
                named: false,
            };
            Some(array_value(
                elem,
                Some(n),
                &items.len().to_string(),
                cx.options.pointer_width,
            ))
        }
        ExprKind::Tuple(list) => {
            let items: Vec<Value> = ir
                .list(*list)
                .iter()
                .map(|&e| {
                    of_expr_at(bcx, e, depth + 1)
                        .unwrap_or_else(|| Value::new(Layout::UNKNOWN, "_"))
                })
                .collect();
            let layouts: Vec<Layout> = items.iter().map(|v| v.layout).collect();
            let text: Vec<&str> = items.iter().map(|v| v.ty.as_str()).collect();
            let ty = if text.len() == 1 {
                format!("({},)", text[0])
            } else {
                format!("({})", text.join(", "))
            };
            Some(Value::new(
                layout::univariant(&layouts, &Repr::default()),
                ty,
            ))
        }
        ExprKind::Struct(s) => {
            let path = ir.struct_lit(*s).path;
            adt_of_path(bcx, &env, path).map(|(l, _)| Value::new(l, printer.path(path)))
        }
        ExprKind::Path(p) => match bcx.resolve_path_id(*p)? {
            resolved if resolved.rest == 0 => match resolved.def {
                Def::Item(file, item) => item_value(bcx, (file, item), &printer.path(*p)),
                _ => None,
            },
            _ => None,
        },
        ExprKind::Call { callee, .. } => {
            let ExprKind::Path(p) = ir.expr(*callee).kind else {
                return None;
            };
            call_value(bcx, &env, p)
        }
        ExprKind::Local(l) => of_local_at(bcx, *l, depth),
        ExprKind::Cast { ty, .. } => Some(ty_value(cx, &env, *ty)),
        ExprKind::Block(b) => of_expr_at(bcx, ir.block(*b).tail?, depth + 1),
        _ => None,
    }
}

/// The value a local holds: its declared type, or what its `let` puts in it.
pub fn of_local(bcx: &BodyCx<'_, '_>, local: LocalId) -> Option<Value> {
    of_local_at(bcx, local, 0)
}

fn of_local_at(bcx: &BodyCx<'_, '_>, l: LocalId, depth: u32) -> Option<Value> {
    let local = bcx.body.local(l);
    if let Some(ty) = local.ty {
        return Some(ty_value(bcx.cx, &env_of(bcx), ty));
    }
    let init = bcx.let_init(l)?;
    of_expr_at(bcx, init, depth + 1)
}

fn literal(lit: &Lit, options: &super::Options) -> Option<Value> {
    let (layout, ty) = match lit {
        Lit::Int {
            suffix: Some(t), ..
        } => (layout::primitive(t.name(), options)?, t.name().to_string()),
        // Inference picks the type: at least a byte.
        Lit::Int { suffix: None, .. } | Lit::BigInt => (
            Layout {
                size: 1,
                align: 1,
                exact: false,
                niche: 0,
            },
            "{integer}".to_string(),
        ),
        Lit::Float { bits: Some(b), .. } => {
            let name = format!("f{b}");
            (layout::primitive(&name, options)?, name)
        }
        Lit::Float { bits: None, .. } => (
            Layout {
                size: 4,
                align: 4,
                exact: false,
                niche: 0,
            },
            "{float}".to_string(),
        ),
        Lit::Bool(_) => (layout::primitive("bool", options)?, "bool".into()),
        Lit::Char => (layout::primitive("char", options)?, "char".into()),
        Lit::Byte => (layout::primitive("u8", options)?, "u8".into()),
        Lit::Str | Lit::ByteStr | Lit::CStr => return None,
    };
    Some(Value::new(layout, ty))
}

/// `[elem; n]`, where `len` is how the length was written.
pub fn array_value(elem: Value, n: Option<consts::Const>, len: &str, pointer_width: u64) -> Value {
    match n.and_then(|n| Some((n, layout::array_len(n.value, pointer_width)?))) {
        Some((n, count)) => {
            let how = if n.named {
                Some(format!(
                    "{len} = {count} elements × {}",
                    bytes(elem.layout.size)
                ))
            } else {
                elem.how
            };
            let ty = if n.named {
                format!("[{}; {len}]", elem.ty)
            } else {
                format!("[{}; {count}]", elem.ty)
            };
            Value {
                layout: layout::array(elem.layout, count),
                ty,
                how,
            }
        }
        _ => Value::new(
            Layout {
                size: 0,
                align: elem.layout.align,
                exact: false,
                niche: 0,
            },
            format!("[{}; {len}]", elem.ty),
        ),
    }
}

fn bytes(n: u64) -> String {
    if n == 1 {
        "1 byte".to_string()
    } else {
        format!("{n} bytes")
    }
}

/// A type written in `env`, with how named constants sized it.
pub fn ty_value(cx: &super::CrateCx<'_>, env: &Env<'_>, ty: TyId) -> Value {
    let Some(ir) = cx.loaded.ir(env.scope.file) else {
        return Value::new(Layout::UNKNOWN, "_");
    };
    let mut text = Printer::new(ir, None).ty(ty);
    // `Self` is named after the type it stands for.
    if text == "Self"
        && let Some((file, item)) = env.self_ty
        && let Some(name) = cx.loaded.ir(file).and_then(|ir| ir.item(item).name)
    {
        text = name.to_string();
    }
    let layout = layout::of_ty(cx, env, ty);
    let how = match ir.ty(ty).kind {
        TyKind::Array { elem, len } => {
            consts::eval_len(cx, env, len).filter(|n| n.named).map(|n| {
                let elem = layout::of_ty(cx, env, elem);
                format!(
                    "{} = {} elements × {}",
                    Printer::new(ir, None).expr(len),
                    n.value,
                    bytes(elem.size)
                )
            })
        }
        _ => None,
    };
    Value {
        layout,
        ty: text,
        how,
    }
}

/// The crate struct or enum a path names (`Grid`, `Shape::Square`), with its layout.
fn adt_of_path(
    bcx: &BodyCx<'_, '_>,
    env: &Env<'_>,
    path: PathId,
) -> Option<(Layout, (FileId, ItemId))> {
    let resolved = bcx.resolve_path_id(path)?;
    let Def::Item(file, item) = resolved.def else {
        return None;
    };
    let kind = &bcx.cx.loaded.ir(file)?.item(item).kind;
    let is_adt = match kind {
        ItemKind::Struct(_) | ItemKind::Union(_) => resolved.rest == 0,
        ItemKind::Enum(_) => resolved.rest == 1,
        _ => false,
    };
    is_adt.then(|| {
        (
            layout::item(bcx.cx, (file, item), &[], env.depth + 1),
            (file, item),
        )
    })
}

/// A unit struct, or a `const`, by name.
fn item_value(bcx: &BodyCx<'_, '_>, (file, item): (FileId, ItemId), text: &str) -> Option<Value> {
    let cx = bcx.cx;
    let ir = cx.loaded.ir(file)?;
    match &ir.item(item).kind {
        ItemKind::Struct(_) => Some(Value::new(layout::item(cx, (file, item), &[], 1), text)),
        ItemKind::Const { ty, .. } => {
            let env = Env::new(cx.index.item_scope(file, item)?, None);
            Some(ty_value(cx, &env, *ty))
        }
        _ => None,
    }
}

/// A call's result: a tuple struct or variant constructor, or a crate function's return type.
fn call_value(bcx: &BodyCx<'_, '_>, env: &Env<'_>, p: PathId) -> Option<Value> {
    let cx = bcx.cx;
    let printer = bcx.printer();
    if let Some((layout, _)) = adt_of_path(bcx, env, p) {
        let text = printer.path(p);
        // `Shape::Square(..)` is a `Shape`.
        let text = match bcx.resolve_path_id(p)?.rest {
            1 => text
                .rsplit_once("::")
                .map_or(text.clone(), |(ty, _)| ty.to_string()),
            _ => text,
        };
        return Some(Value::new(layout, text));
    }
    let resolved = bcx.resolve_path_id(p)?;
    let key = match (resolved.def, resolved.rest) {
        (Def::Item(file, item), 0) => (file, item),
        // `Grid::new()`: an inherent function of a crate type.
        (Def::Item(file, ty), 1) => {
            let name = bcx.ir.path_ident(bcx.ir.path(p))?;
            cx.index.inherent_method((file, ty), name)?
        }
        _ => return None,
    };
    let ir = cx.loaded.ir(key.0)?;
    let ItemKind::Fn(f) = &ir.item(key.1).kind else {
        return None;
    };
    let ret = f.sig.ret?;
    let scope = cx.index.item_scope(key.0, key.1)?;
    let self_ty = match cx.index.fn_container(key)? {
        Container::Inherent { impl_item } | Container::TraitImpl { impl_item } => {
            cx.index.impl_self_type(scope, impl_item)
        }
        _ => None,
    };
    // `make::<1001>()`: the turbofish says what the generic parameters stand for.
    let subst = layout::substitution(cx, env, bcx.ir, bcx.ir.path(p), &f.sig.generics);
    let mut callee = Env::new(scope, self_ty);
    callee.subst = &subst;
    Some(ty_value(cx, &callee, ret))
}

/// Whether `expr` builds a value larger than the stack threshold, which belongs on the heap:
/// boxing it is never unnecessary.
pub fn is_large(bcx: &BodyCx<'_, '_>, expr: ExprId) -> bool {
    of_expr(bcx, expr).is_some_and(|v| v.layout.size > bcx.cx.input.stack_threshold)
}

/// `4 MiB`, `at least 96 KiB`, `70000 bytes`; `larger than the address space` past
/// `isize::MAX`, which rustc rejects.
pub fn size_text(value: &Value) -> String {
    let size = value.layout.size;
    if value.layout.too_large() {
        return "larger than the address space".to_string();
    }
    let text = if size >= 1 << 40 {
        unit(size, 1 << 40, "TiB")
    } else if size >= 1 << 30 {
        unit(size, 1 << 30, "GiB")
    } else if size >= 1 << 20 {
        unit(size, 1 << 20, "MiB")
    } else if size >= 1 << 10 {
        unit(size, 1 << 10, "KiB")
    } else {
        format!("{size} bytes")
    };
    if value.layout.exact {
        text
    } else {
        format!("at least {text}")
    }
}

/// One decimal, dropped when it is zero: `256 KiB`, `97.7 KiB`.
fn unit(size: u64, scale: u64, name: &str) -> String {
    let text = format!("{:.1}", size as f64 / scale as f64);
    format!("{} {name}", text.strip_suffix(".0").unwrap_or(&text))
}
