//! Size and alignment of types, estimated as rustc lays them out.
//!
//! Known: primitives, arrays, tuples, references and raw pointers (thin or fat by pointee),
//! `Box`/`Rc`/`Arc`, `Vec`, `String` and the other common std types, `Option` and `Result`
//! with their niches, the crate's own structs, enums and unions (`repr(Rust)` field reordering,
//! `repr(C)`, `repr(packed)`, `repr(align)`, `repr(u8…)`, enum tags), and type aliases. The
//! target's pointer width comes from the options (64-bit unless `--target` names a 32-bit
//! triple).
//!
//! Invariant: a [`Layout`] is exact, or `exact` is false and its size is a lower bound: a
//! generic parameter, an unknown type or an unknown array length counts as zero bytes. Never
//! an overestimate.

use super::CrateCx;
use super::consts::{self, Arg, Env, MAX_DEPTH};
use crate::diagnostic::FileId;
use crate::index::Def;
use crate::ir::*;
use crate::sym::Sym;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub size: u64,
    pub align: u64,
    /// False when `size` is only a lower bound.
    pub exact: bool,
    /// How many invalid bit patterns the type has for an enum around it to use as its tag:
    /// one for a non-null pointer, 254 for `bool`.
    pub niche: u128,
}

impl Layout {
    /// Nothing known: at least zero bytes.
    pub const UNKNOWN: Layout = Layout {
        size: 0,
        align: 1,
        exact: false,
        niche: 0,
    };

    /// Larger than any type can be (`isize::MAX` bytes): rustc rejects it. Sizes add up
    /// saturating, so a value holding it is too large as well.
    pub const TOO_LARGE: Layout = Layout {
        size: u64::MAX,
        align: 1,
        exact: true,
        niche: 0,
    };

    /// Whether the type is larger than the address space allows.
    pub fn too_large(&self) -> bool {
        self.size > i64::MAX as u64
    }

    pub const ZST: Layout = Layout {
        size: 0,
        align: 1,
        exact: true,
        niche: 0,
    };

    fn scalar(size: u64) -> Layout {
        Layout {
            size,
            align: size.max(1),
            exact: true,
            niche: 0,
        }
    }

    fn with_niche(self, niche: u128) -> Layout {
        Layout { niche, ..self }
    }

    fn inexact(self) -> Layout {
        Layout {
            exact: false,
            ..self
        }
    }
}

fn round_up(n: u64, align: u64) -> u64 {
    n.div_ceil(align.max(1)).saturating_mul(align.max(1))
}

/// No type is larger than `isize::MAX` bytes (rustc rejects it): a size past that, even a
/// lower bound, is certainly too large.
fn bounded(layout: Layout) -> Layout {
    if layout.too_large() {
        Layout::TOO_LARGE
    } else {
        layout
    }
}

/// Invalid values left in an integer tag of `bytes` bytes that holds `used` values.
fn spare(bytes: u64, used: u128) -> u128 {
    if bytes >= 16 {
        u128::MAX - used
    } else {
        (1u128 << (bytes * 8)).saturating_sub(used)
    }
}

/// The alignment of 8-byte numbers on a target triple: 4 on 32-bit x86, 8 elsewhere.
pub fn int64_align(triple: &str) -> u64 {
    let arch = triple.split('-').next().unwrap_or("");
    if matches!(arch, "i386" | "i486" | "i586" | "i686") {
        4
    } else {
        8
    }
}

/// Bytes in a pointer on a target triple: 64-bit architectures give 8, the AVR and MSP430
/// microcontrollers 2, the rest 4. ILP32 variants of 64-bit architectures (`x86_64-…-gnux32`,
/// `aarch64_32`, `arm64_32`) have 4-byte pointers.
pub fn pointer_width(triple: &str) -> u64 {
    let arch = triple.split('-').next().unwrap_or("");
    if triple.ends_with("gnux32") || arch.contains("64_32") || arch.ends_with("ilp32") {
        4
    } else if arch.contains("64") || arch == "s390x" {
        8
    } else if arch.starts_with("avr") || arch.starts_with("msp430") {
        2
    } else {
        4
    }
}

/// The layout of a primitive type by name, on the target the options describe.
pub fn primitive(name: &str, options: &super::Options) -> Option<Layout> {
    let pointer_width = options.pointer_width;
    Some(match name {
        "u8" | "i8" => Layout::scalar(1),
        "u16" | "i16" => Layout::scalar(2),
        "u32" | "i32" | "f32" => Layout::scalar(4),
        // 32-bit x86 aligns 8-byte numbers to 4.
        "u64" | "i64" | "f64" => Layout {
            align: options.int64_align,
            ..Layout::scalar(8)
        },
        "u128" | "i128" => Layout::scalar(16),
        "usize" | "isize" => Layout::scalar(pointer_width),
        "f16" => Layout::scalar(2),
        "f128" => Layout::scalar(16),
        "bool" => Layout::scalar(1).with_niche(254),
        "char" => Layout::scalar(4).with_niche(spare(4, 0x11_0000)),
        _ => return None,
    })
}

/// A pointer: one word, or two for a slice, `str` or `dyn` pointee.
fn pointer(pointer_width: u64, fat: bool, niche: u128) -> Layout {
    let words = if fat { 2 } else { 1 };
    Layout {
        size: words * pointer_width,
        align: pointer_width,
        exact: true,
        niche,
    }
}

/// Whether a pointee is unsized as written: `[T]`, `str`, `dyn Trait`.
fn is_unsized(ir: &FileIr, ty: TyId) -> bool {
    match ir.ty(ty).kind {
        TyKind::Slice(_) | TyKind::Dyn(_) => true,
        TyKind::Path(p) => {
            ir.path(p).qself.is_none() && ir.path_ident(ir.path(p)).is_some_and(|n| n.is("str"))
        }
        _ => false,
    }
}

/// A pointer to `inner`: two words if it is unsized (`[T]`, `str`, `dyn`, `Path`, `OsStr`,
/// `CStr`), one if it is known to be sized, and at least one otherwise (a generic parameter may
/// be `?Sized`; a type of another crate may be unsized).
fn pointee(cx: &CrateCx<'_>, env: &Env<'_>, ir: &FileIr, inner: TyId, thin: Layout) -> Layout {
    if is_unsized(ir, inner) {
        return pointer(thin.align, true, thin.niche);
    }
    let TyKind::Path(p) = ir.ty(inner).kind else {
        // Arrays, tuples, pointers, function pointers: sized.
        return thin;
    };
    let path = ir.path(p);
    if path.qself.is_none()
        && let [only] = ir.list(path.segments)
        && (primitive(only.name.as_str(), cx.options).is_some() || only.name.is("Self"))
    {
        return thin;
    }
    match cx.index.resolve(env.scope, p).map(|r| r.def) {
        Some(Def::External(std)) => {
            let last = std.last().map_or("", |s| s.as_str());
            if matches!(last, "Path" | "OsStr" | "CStr") {
                pointer(thin.align, true, thin.niche)
            } else if std.first().is_some_and(|s| s.is("std")) {
                thin
            } else {
                thin.inexact()
            }
        }
        // The crate's own types are sized (an unsized last field is rare enough).
        Some(Def::Item(..)) => thin,
        _ => thin.inexact(),
    }
}

/// The type arguments of a path's last segment: `u8` in `Vec<u8>` and `size_of::<u8>`.
pub fn type_args(ir: &FileIr, path: &Path) -> Vec<TyId> {
    generic_args(ir, path)
        .iter()
        .filter_map(|a| match a {
            GenericArg::Type(t) => Some(*t),
            _ => None,
        })
        .collect()
}

fn generic_args<'i>(ir: &'i FileIr, path: &Path) -> &'i [GenericArg] {
    match ir.list(path.segments).last().and_then(|s| s.args) {
        Some(args) => match ir.generic_args(args) {
            GenericArgs::Angle(list) => ir.list(*list),
            GenericArgs::Paren { .. } => &[],
        },
        None => &[],
    }
}

/// The layout of a type written in `env.scope.file`.
pub fn of_ty(cx: &CrateCx<'_>, env: &Env<'_>, ty: TyId) -> Layout {
    if env.depth > MAX_DEPTH {
        return Layout::UNKNOWN;
    }
    let Some(ir) = cx.loaded.ir(env.scope.file) else {
        return Layout::UNKNOWN;
    };
    let pw = cx.options.pointer_width;
    match &ir.ty(ty).kind {
        TyKind::Ref { ty: inner, .. } => pointee(cx, env, ir, *inner, pointer(pw, false, 1)),
        TyKind::Ptr { ty: inner, .. } => pointee(cx, env, ir, *inner, pointer(pw, false, 0)),
        TyKind::FnPtr { .. } => pointer(pw, false, 1),
        TyKind::Never => Layout::ZST,
        TyKind::Array { elem, len } => {
            let elem = of_ty(cx, env, *elem);
            match consts::eval_len(cx, env, *len).and_then(|n| array_len(n.value, pw)) {
                Some(n) => array(elem, n),
                _ => Layout {
                    size: 0,
                    align: elem.align,
                    exact: false,
                    niche: 0,
                },
            }
        }
        TyKind::Tuple(list) => {
            let fields: Vec<Layout> = ir.list(*list).iter().map(|&t| of_ty(cx, env, t)).collect();
            univariant(&fields, &Repr::default())
        }
        TyKind::Path(p) => path_ty(cx, env, ir, *p),
        TyKind::Slice(_) | TyKind::Dyn(_) | TyKind::Impl(_) | TyKind::Infer | TyKind::Missing => {
            Layout::UNKNOWN
        }
    }
}

/// An array length: a `usize` of the target.
pub fn array_len(value: i128, pointer_width: u64) -> Option<u64> {
    let max = if pointer_width >= 8 {
        u64::MAX as i128
    } else {
        (1i128 << (pointer_width * 8)) - 1
    };
    (0..=max).contains(&value).then_some(value as u64)
}

/// `[elem; n]`.
pub fn array(elem: Layout, n: u64) -> Layout {
    match elem.size.checked_mul(n) {
        Some(size) => bounded(Layout {
            size,
            align: elem.align,
            exact: elem.exact,
            niche: if n > 0 { elem.niche } else { 0 },
        }),
        None => Layout::TOO_LARGE,
    }
}

fn path_ty(cx: &CrateCx<'_>, env: &Env<'_>, ir: &FileIr, p: PathId) -> Layout {
    let path = ir.path(p);
    if path.qself.is_some() {
        return Layout::UNKNOWN;
    }
    let segments = ir.list(path.segments);
    if let [only] = segments
        && !path.global
    {
        let name = only.name;
        if let Some((_, arg)) = env.subst.iter().find(|(n, _)| *n == name) {
            return match arg {
                Arg::Type(l) => *l,
                Arg::Const(_) => Layout::UNKNOWN,
            };
        }
        if name.is("Self") {
            return match env.self_ty {
                Some(adt) => item(cx, adt, &[], env.depth + 1),
                None => Layout::UNKNOWN,
            };
        }
        if let Some(l) = primitive(name.as_str(), cx.options) {
            return l;
        }
    }
    let Some(resolved) = cx.index.resolve(env.scope, p) else {
        return Layout::UNKNOWN;
    };
    if resolved.rest != 0 {
        return Layout::UNKNOWN;
    }
    match resolved.def {
        Def::Item(file, id) => {
            let Some(item_ir) = cx.loaded.ir(file) else {
                return Layout::UNKNOWN;
            };
            let generics = match &item_ir.item(id).kind {
                ItemKind::Struct(adt) | ItemKind::Enum(adt) | ItemKind::Union(adt) => &adt.generics,
                ItemKind::TypeAlias { generics, .. } => generics,
                _ => return Layout::UNKNOWN,
            };
            let subst = substitution(cx, env, ir, path, generics);
            item(cx, (file, id), &subst, env.depth + 1)
        }
        Def::External(std_path) => std_type(cx, env, ir, path, &std_path),
        Def::Module(_) => Layout::UNKNOWN,
    }
}

/// What each generic parameter of an item stands for, from the arguments of `path` (read in
/// `env`). Parameters without an argument are left out, and so are unknown.
pub fn substitution(
    cx: &CrateCx<'_>,
    env: &Env<'_>,
    ir: &FileIr,
    path: &Path,
    generics: &Generics,
) -> Vec<(Sym, Arg)> {
    let args = generic_args(ir, path);
    let mut types = args.iter().filter_map(|a| match a {
        GenericArg::Type(t) => Some(Some(*t)),
        GenericArg::Const(_) => Some(None),
        _ => None,
    });
    let mut out = Vec::new();
    let mut position = 0;
    for param in generics.params.iter() {
        let arg = match &param.kind {
            GenericParamKind::Lifetime => continue,
            GenericParamKind::Type { .. } => match types.next().flatten() {
                Some(t) => Arg::Type(of_ty(cx, env, t)),
                None => continue,
            },
            GenericParamKind::Const { .. } => {
                // A const argument is an expression, or a path that syn reads as a type.
                let arg = args
                    .iter()
                    .filter(|a| matches!(a, GenericArg::Type(_) | GenericArg::Const(_)))
                    .nth(position);
                types.next();
                let value = match arg {
                    Some(GenericArg::Const(e)) => consts::eval(cx, env, *e),
                    Some(GenericArg::Type(t)) => match ir.ty(*t).kind {
                        TyKind::Path(p) => consts::eval_path(cx, env, ir, p),
                        _ => None,
                    },
                    _ => None,
                };
                Arg::Const(value.map(|c| c.value))
            }
        };
        position += 1;
        out.push((param.name, arg));
    }
    out
}

/// A crate struct, enum, union or type alias, with its generic parameters standing for
/// `subst`. Items without parameters are computed once per crate.
pub fn item(
    cx: &CrateCx<'_>,
    (file, id): (FileId, ItemId),
    subst: &[(Sym, Arg)],
    depth: u32,
) -> Layout {
    if depth > MAX_DEPTH {
        return Layout::UNKNOWN;
    }
    if !subst.is_empty() {
        return compute_item(cx, (file, id), subst, depth);
    }
    // A layout being computed has none yet: a type that contains itself by value.
    cx.layouts
        .get_or_compute((file, id), || compute_item(cx, (file, id), subst, depth))
        .unwrap_or(Layout::UNKNOWN)
}

fn compute_item(
    cx: &CrateCx<'_>,
    (file, id): (FileId, ItemId),
    subst: &[(Sym, Arg)],
    depth: u32,
) -> Layout {
    let (Some(ir), Some(scope)) = (cx.loaded.ir(file), cx.index.item_scope(file, id)) else {
        return Layout::UNKNOWN;
    };
    let item = ir.item(id);
    let self_ty = match item.kind {
        ItemKind::TypeAlias { .. } => None,
        _ => Some((file, id)),
    };
    let env = Env {
        scope,
        self_ty,
        subst,
        locals: &[],
        depth,
    };
    let variants = |adt: &Adt| -> Vec<Vec<Layout>> {
        adt.variants
            .iter()
            .map(|v| v.fields.iter().map(|f| of_ty(cx, &env, f.ty)).collect())
            .collect()
    };
    match &item.kind {
        ItemKind::TypeAlias { ty: Some(ty), .. } => of_ty(cx, &env, *ty),
        ItemKind::Struct(adt) => univariant(&variants(adt).concat(), &adt.repr),
        ItemKind::Union(adt) => union(&variants(adt).concat(), &adt.repr),
        ItemKind::Enum(adt) => {
            let mut next = 0i128;
            let mut known = true;
            let discriminants: Vec<i128> = adt
                .variants
                .iter()
                .map(|v| {
                    if let Some(e) = v.discriminant {
                        match consts::eval_as(
                            cx,
                            &env,
                            e,
                            Some(adt.repr.int.unwrap_or(IntTy::Isize)),
                        ) {
                            Some(c) => next = c.value,
                            None => known = false,
                        }
                    }
                    let d = next;
                    next = next.saturating_add(1);
                    d
                })
                .collect();
            let mut layout = enum_layout(
                &variants(adt),
                &discriminants,
                &adt.repr,
                cx.options.pointer_width,
            );
            // `repr(align(N))` raises an enum's alignment as a struct's.
            if let Some(a) = adt.repr.align {
                layout.align = layout.align.max(u64::from(a));
                layout.size = round_up(layout.size, layout.align);
            }
            if known { layout } else { layout.inexact() }
        }
        _ => Layout::UNKNOWN,
    }
}

/// A struct or tuple. `repr(Rust)` orders fields by decreasing alignment, which leaves no
/// padding between them; `repr(C)` and `repr(packed)` keep the declared order.
pub fn univariant(fields: &[Layout], repr: &Repr) -> Layout {
    let exact = fields.iter().all(|f| f.exact);
    let pack = repr.packed.map(u64::from);
    let field_align = |f: &Layout| pack.map_or(f.align, |p| f.align.min(p.max(1)));
    if repr.transparent {
        let align = fields.iter().map(|f| f.align).max().unwrap_or(1);
        let inner = fields
            .iter()
            .find(|f| f.size > 0)
            .copied()
            .unwrap_or(Layout::ZST);
        return Layout {
            align,
            exact,
            ..inner
        };
    }
    let mut align = fields.iter().map(field_align).max().unwrap_or(1);
    let size = if repr.c || pack.is_some() {
        fields.iter().fold(0u64, |offset, f| {
            round_up(offset, field_align(f)).saturating_add(f.size)
        })
    } else {
        fields
            .iter()
            .fold(0u64, |sum, f| sum.saturating_add(f.size))
    };
    if let Some(a) = repr.align {
        align = align.max(u64::from(a));
    }
    bounded(Layout {
        size: round_up(size, align),
        align,
        exact,
        niche: if pack.is_some() {
            0
        } else {
            fields.iter().map(|f| f.niche).max().unwrap_or(0)
        },
    })
}

fn union(fields: &[Layout], repr: &Repr) -> Layout {
    let pack = repr.packed.map(u64::from);
    let mut align = fields
        .iter()
        .map(|f| pack.map_or(f.align, |p| f.align.min(p.max(1))))
        .max()
        .unwrap_or(1);
    if let Some(a) = repr.align {
        align = align.max(u64::from(a));
    }
    let size = fields.iter().map(|f| f.size).max().unwrap_or(0);
    bounded(Layout {
        size: round_up(size, align),
        align,
        exact: fields.iter().all(|f| f.exact),
        niche: 0,
    })
}

/// The smallest integer (in bytes) that holds every discriminant.
fn tag_bytes(discriminants: &[i128]) -> u64 {
    let lo = discriminants.iter().copied().min().unwrap_or(0);
    let hi = discriminants.iter().copied().max().unwrap_or(0);
    for bytes in [1u64, 2, 4, 8] {
        let bits = bytes * 8;
        let fits = if lo >= 0 {
            hi < (1i128 << bits)
        } else {
            lo >= -(1i128 << (bits - 1)) && hi < (1i128 << (bits - 1))
        };
        if fits {
            return bytes;
        }
    }
    16
}

/// An enum of these variants (each a list of field layouts).
pub fn enum_layout(
    variants: &[Vec<Layout>],
    discriminants: &[i128],
    repr: &Repr,
    pointer_width: u64,
) -> Layout {
    let n = variants.len() as u128;
    let exact = variants.iter().flatten().all(|f| f.exact);
    if variants.is_empty() {
        return Layout::ZST;
    }
    let fieldless = variants.iter().all(|v| v.is_empty());
    let declared_tag = repr
        .int
        .map(|t| u64::from(consts::bits(t, pointer_width) / 8));
    if fieldless && declared_tag.is_none() && !repr.c && variants.len() == 1 {
        return Layout::ZST;
    }
    let tag = declared_tag.unwrap_or(if repr.c { 4 } else { tag_bytes(discriminants) });
    let tag_layout = Layout::scalar(tag).with_niche(spare(tag, n));
    if fieldless {
        return tag_layout;
    }
    if repr.c || repr.int.is_some() {
        let c = Repr {
            c: true,
            ..Repr::default()
        };
        let layout = if repr.c {
            // `repr(C)`: the tag, then a union of the variants.
            let variants: Vec<Layout> = variants.iter().map(|v| univariant(v, &c)).collect();
            univariant(&[tag_layout, union(&variants, &Repr::default())], &c)
        } else {
            // `repr(u8)`: a union of `repr(C)` structs that each start with the tag.
            let variants: Vec<Layout> = variants
                .iter()
                .map(|v| {
                    let mut fields = vec![tag_layout];
                    fields.extend(v);
                    univariant(&fields, &c)
                })
                .collect();
            union(&variants, &Repr::default())
        };
        return Layout {
            exact,
            niche: 0,
            ..layout
        };
    }
    if variants.len() == 1 {
        return univariant(&variants[0], repr);
    }
    // Tagged: each variant's fields follow the tag, smallest alignment first.
    let mut align = tag_layout.align;
    let mut end = 0;
    for v in variants {
        let mut fields: Vec<&Layout> = v.iter().collect();
        fields.sort_by_key(|f| f.align);
        let mut offset = tag;
        for f in fields {
            offset = round_up(offset, f.align).saturating_add(f.size);
            align = align.max(f.align);
        }
        end = end.max(offset);
    }
    let tagged = bounded(Layout {
        size: round_up(end, align),
        align,
        exact,
        niche: spare(tag, n),
    });
    // Niche-filling: one variant with data, the others empty, and a niche in the data for
    // each of them (`Option<&T>` is one pointer).
    let payloads: Vec<Layout> = variants
        .iter()
        .map(|v| univariant(v, &Repr::default()))
        .collect();
    let with_data: Vec<&Layout> = payloads.iter().filter(|p| p.size > 0).collect();
    match with_data.as_slice() {
        [data] if data.niche >= n - 1 && payloads.iter().all(|p| p.exact || p.size > 0) => {
            let filled = Layout {
                niche: data.niche - (n - 1),
                exact,
                ..**data
            };
            if filled.size <= tagged.size {
                filled
            } else {
                tagged
            }
        }
        // Several variants with data and a niche among them: rustc may fit the tag in the
        // niche and the smaller variants around it, so only the largest variant is certain.
        [_, _, ..] if payloads.iter().any(|p| p.niche > 0) => {
            let largest = payloads.iter().map(|p| p.size).max().unwrap_or(0);
            Layout {
                size: round_up(largest, align),
                align,
                exact: false,
                niche: 0,
            }
        }
        _ => tagged,
    }
}

/// Types of the standard library, by their canonical path.
fn std_type(cx: &CrateCx<'_>, env: &Env<'_>, ir: &FileIr, path: &Path, std_path: &[Sym]) -> Layout {
    let pw = cx.options.pointer_width;
    if !std_path.first().is_some_and(|s| s.is("std")) {
        return Layout::UNKNOWN;
    }
    let Some(name) = std_path.last() else {
        return Layout::UNKNOWN;
    };
    let args = type_args(ir, path);
    let arg = |i: usize| args.get(i).map_or(Layout::UNKNOWN, |&t| of_ty(cx, env, t));
    // `Vec`'s capacity is at most `isize::MAX`: the rest of its values are a niche.
    let capacity_niche = 1u128 << (pw * 8 - 1);
    let int = |bytes: u64| Layout::scalar(bytes);
    match name.as_str() {
        "Box" | "Rc" | "Arc" | "Weak" | "NonNull" => match args.first() {
            Some(&t) => pointee(cx, env, ir, t, pointer(pw, false, 1)),
            None => pointer(pw, false, 1).inexact(),
        },
        "Vec" | "String" | "OsString" | "PathBuf" => Layout {
            size: 3 * pw,
            align: pw,
            exact: true,
            niche: capacity_niche,
        },
        "VecDeque" => Layout {
            size: 4 * pw,
            align: pw,
            exact: true,
            niche: capacity_niche,
        },
        "CString" => pointer(pw, true, 1),
        // A table of four words, then the hasher (`RandomState` is two `u64`s).
        "HashMap" | "HashSet" => {
            let hasher_at = if name.is("HashMap") { 2 } else { 1 };
            let hasher = match args.get(hasher_at) {
                Some(&t) => of_ty(cx, env, t),
                None => univariant(&[Layout::scalar(8), Layout::scalar(8)], &Repr::default()),
            };
            let table = Layout {
                size: 4 * pw,
                align: pw,
                exact: true,
                niche: 1,
            };
            univariant(&[table, hasher], &Repr::default())
        }
        "BTreeMap" | "BTreeSet" => Layout {
            size: 3 * pw,
            align: pw,
            exact: true,
            niche: 0,
        },
        "Option" => enum_layout(&[vec![], vec![arg(0)]], &[0, 1], &Repr::default(), pw),
        "Result" => enum_layout(&[vec![arg(0)], vec![arg(1)]], &[0, 1], &Repr::default(), pw),
        "ManuallyDrop" | "Wrapping" | "Saturating" | "Reverse" | "Pin" => arg(0),
        // `UnsafeCell` hides its contents' niche.
        "Cell" | "UnsafeCell" | "SyncUnsafeCell" | "MaybeUninit" => arg(0).with_niche(0),
        "RefCell" => univariant(&[int(pw), arg(0)], &Repr::default()).with_niche(0),
        // Linux's futex-based locks; other platforms' are larger, so these are lower bounds.
        "Mutex" => univariant(&[int(4), int(1), arg(0)], &Repr::default())
            .with_niche(0)
            .inexact(),
        "RwLock" => univariant(&[int(4), int(4), int(1), arg(0)], &Repr::default())
            .with_niche(0)
            .inexact(),
        "PhantomData" | "PhantomPinned" => Layout::ZST,
        "Duration" => Layout {
            size: 16,
            align: 8,
            exact: true,
            niche: spare(4, 1_000_000_000),
        },
        "Ordering" if std_path.iter().any(|s| s.is("cmp")) => int(1).with_niche(253),
        "AtomicBool" | "AtomicU8" | "AtomicI8" => int(1),
        "AtomicU16" | "AtomicI16" => int(2),
        "AtomicU32" | "AtomicI32" => int(4),
        "AtomicU64" | "AtomicI64" => int(8),
        "AtomicUsize" | "AtomicIsize" | "AtomicPtr" => int(pw),
        "NonZero" => arg(0).with_niche(1),
        other => match other
            .strip_prefix("NonZero")
            .map(|t| t.to_ascii_lowercase())
        {
            Some(t) => primitive(&t, cx.options).map_or(Layout::UNKNOWN, |l| l.with_niche(1)),
            None => Layout::UNKNOWN,
        },
    }
}
