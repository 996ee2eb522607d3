//! `rc_cycle`: a type that can point to itself through counted references, with no `Weak`
//! anywhere in it to break the cycle.
//!
//! A struct or enum with an `Rc<RefCell<Self>>` or `Arc<Mutex<Self>>` field (or `Rc<Self>`,
//! `Arc<RwLock<Self>>`), directly or through `Option`, `Vec`, other containers or other types
//! of the crate. If values of it ever point to each other in a loop, none of them is freed.
//! Parent pointers and back-edges are usually meant to be `Weak`; a type that uses `Weak`
//! anywhere is taken to have done so.

use super::{Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, FileId, Label, Level};
use crate::escape::CrateEscape;
use crate::facts::CrateCx;
use crate::facts::display::Printer;
use crate::facts::types::Types;
use crate::index::Def;
use crate::ir::{ItemId, ItemKind, Span, TyId, TyKind};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "rc_cycle",
        default_level: Level::Note,
        verbosity: 0,
        summary: "a type that holds Rc<RefCell<Self>> and never Weak: a possible reference cycle",
        page: include_str!("../../lints/rc_cycle.md"),
        escape: false,
    },
    check,
};

/// How far into other types of the crate a field is followed.
const MAX_DEPTH: u32 = 3;

fn check(cx: &CrateCx<'_>, _: &CrateEscape, out: &mut Vec<Diagnostic>) {
    for (index, file) in cx.loaded.files.iter().enumerate() {
        if file.owner != Some(cx.index.krate) {
            continue;
        }
        let Some(ir) = &file.ir else { continue };
        let file = FileId(index as u32);
        for (i, item) in ir.items.iter().enumerate() {
            let (ItemKind::Struct(adt) | ItemKind::Enum(adt)) = &item.kind else {
                continue;
            };
            let Some(name) = item.name else { continue };
            let me = (file, ItemId(i as u32));
            let Some(types) = Types::of_item(cx, file, me.1) else {
                continue;
            };
            let mut search = Search {
                cx,
                target: me,
                found: None,
                weak: false,
            };
            for field in adt.variants.iter().flat_map(|v| v.fields.iter()) {
                search.ty(&types, me, field.ty, Path::default(), 0, field.span);
            }
            let Some((counted, field_span)) = search.found else {
                continue;
            };
            if search.weak {
                continue;
            }
            out.push(
                Diagnostic::new(
                    RULE.code(),
                    Level::Note,
                    format!(
                        "possible reference cycle: {name} holds {counted}; back-edges should be Weak"
                    ),
                    Label::new(file, item.name_span, ""),
                )
                .with_secondary(Label::new(
                    file,
                    field_span,
                    format!("{name} holds {counted} here"),
                ))
                .with_help(format!(
                    "if values of `{name}` can point to each other in a loop, none of them is \
                     freed: make the references that point back (to a parent, an owner, a \
                     previous node) `Weak`"
                )),
            );
        }
    }
}

/// What a type is inside of, from the field down.
#[derive(Clone, Default)]
struct Path {
    /// The first `Rc` or `Arc` on the way, as written.
    counted: Option<String>,
    /// A `RefCell`, `Cell` or lock on the way: what lets a cycle be closed after the fact.
    mutable: bool,
}

struct Search<'c, 'a> {
    cx: &'c CrateCx<'a>,
    target: (FileId, ItemId),
    /// The counted pointer to the target, as written, and the field that leads to it.
    found: Option<(String, Span)>,
    /// A `Weak` somewhere in the type.
    weak: bool,
}

impl Search<'_, '_> {
    /// Looks through a field's type, with what it is inside of on the way.
    fn ty(
        &mut self,
        types: &Types<'_, '_>,
        owner: (FileId, ItemId),
        ty: TyId,
        on_the_way: Path,
        depth: u32,
        field: Span,
    ) {
        let counted = on_the_way.counted.as_deref();
        if depth > MAX_DEPTH {
            return;
        }
        let ir = types.cx.loaded.ir(types.file).expect("the file has an IR");
        match &ir.ty(ty).kind {
            TyKind::Tuple(list) => {
                for &t in ir.list(*list) {
                    self.ty(types, owner, t, on_the_way.clone(), depth, field);
                }
            }
            TyKind::Array { elem, .. } | TyKind::Slice(elem) => {
                self.ty(types, owner, *elem, on_the_way, depth, field);
            }
            TyKind::Path(p) => {
                if let Some((path, args)) = types.std_path(ty) {
                    let last = path.last().map_or("", |s| s.as_str());
                    if last == "Weak" {
                        self.weak = true;
                        return;
                    }
                    let mut inner = on_the_way.clone();
                    if matches!(last, "Rc" | "Arc") && inner.counted.is_none() {
                        inner.counted = Some(Printer::new(ir, None).ty(ty));
                    }
                    inner.mutable |= matches!(
                        last,
                        "RefCell" | "Cell" | "Mutex" | "RwLock" | "OnceCell" | "UnsafeCell"
                    );
                    for arg in args {
                        self.ty(types, owner, arg, inner.clone(), depth, field);
                    }
                    return;
                }
                // A crate type: the target itself (inside a counted pointer), or another type
                // to look through.
                // `Self` is the type whose fields these are.
                let is_self = ir.path_ident(ir.path(*p)).is_some_and(|n| n.is("Self"));
                let (file, item) = if is_self {
                    owner
                } else {
                    let Some(resolved) = self.cx.index.resolve(types.scope, *p) else {
                        return;
                    };
                    let Def::Item(file, item) = resolved.def else {
                        return;
                    };
                    if resolved.rest != 0 {
                        return;
                    }
                    (file, item)
                };
                // Without a `RefCell` or a lock on the way, the pointers are fixed when the value
                // is built: no cycle can close.
                if (file, item) == self.target {
                    if let Some(counted) = counted
                        && on_the_way.mutable
                        && self.found.is_none()
                    {
                        self.found = Some((counted.to_string(), field));
                    }
                    return;
                }
                let Some(inner) = Types::of_item(self.cx, file, item) else {
                    return;
                };
                let inner_ir = self.cx.loaded.ir(file).expect("resolved");
                if let ItemKind::Struct(adt) | ItemKind::Enum(adt) = &inner_ir.item(item).kind {
                    for f in adt.variants.iter().flat_map(|v| v.fields.iter()) {
                        self.ty(
                            &inner,
                            (file, item),
                            f.ty,
                            on_the_way.clone(),
                            depth + 1,
                            field,
                        );
                    }
                }
                // `Rc<RefCell<Node>>` written through the crate's own alias.
                if let ItemKind::TypeAlias { ty: Some(t), .. } = inner_ir.item(item).kind {
                    self.ty(&inner, (file, item), t, on_the_way, depth + 1, field);
                }
            }
            _ => {}
        }
    }
}
