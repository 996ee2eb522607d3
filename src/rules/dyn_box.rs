//! `dyn_box`: a concrete value boxed into `Box<dyn Trait>` (or `Rc`, `Arc`) where the
//! coercion is visible in the crate.
//!
//! Found on the escape graph: the first declared type an allocation's value is given on its
//! way is `Box<dyn Trait>` (or a container of them: `Vec<Box<dyn Trait>>`): a typed `let`, an
//! `as` cast, the return type, a field's type, a crate function's parameter type. Each such box
//! is an allocation plus an indirect call per use; when the crate boxes few concrete types into
//! a trait, an enum of them does without both. Boxed closures are `closure_escape`'s.

use std::collections::{BTreeMap, BTreeSet};

use super::{Rule, RuleMeta};
use crate::diagnostic::FileId;
use crate::diagnostic::{Diagnostic, Label, Level};
use crate::escape::CrateEscape;
use crate::escape::{self, AllocKind, AllocVerdict};
use crate::facts::types::Types;
use crate::facts::{BodyCx, CrateCx};
use crate::index::Container;
use crate::index::{Def, Resolved};
use crate::ir::{ExprId, ExprKind, ItemId, ItemKind, LocalKind};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "dyn_box",
        default_level: Level::Warning,
        verbosity: 0,
        summary: "a concrete value boxed into Box<dyn Trait>: an allocation and an indirect call per use",
        page: include_str!("../../lints/dyn_box.md"),
        escape: true,
    },
    check,
};

/// Enums pay off when a trait has at most this many implementations boxed.
const FEW: usize = 4;

/// One visible coercion of a boxed value to `dyn`.
pub struct Coercion {
    /// `Box<dyn Shape>`.
    pub pointer: String,
    /// `dyn Shape`.
    pub trait_: String,
    /// The crate type boxed, when its construction shows it.
    pub concrete: Option<String>,
    /// Where the type that coerces it is written.
    pub at: Label,
    pub kind: Kind,
    /// A trait impl's signature asks for the `dyn` type: the crate cannot choose otherwise.
    pub fixed: bool,
    /// The box never leaves its function.
    pub local: bool,
}

/// Where the coercion happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Let,
    Return,
    Cast,
    Field,
    Parameter,
    Container,
}

impl Coercion {
    /// A warning needs something the user can act on: a known crate type behind the `dyn`
    /// (an enum of them can replace it), or a box that stays in its function (it can be
    /// borrowed as `&dyn` instead); and a signature the crate chose.
    pub fn actionable(&self) -> bool {
        !self.fixed && (self.concrete.is_some() || self.local)
    }
}

/// The coercion of one allocation site, if this rule reports it.
pub fn coercion(
    bcx: &BodyCx<'_, '_>,
    esc: &escape::BodyEscape,
    verdict: &AllocVerdict,
) -> Option<Coercion> {
    if !matches!(
        verdict.site.kind,
        AllocKind::Box | AllocKind::Rc | AllocKind::Arc
    ) {
        return None;
    }
    let arg = verdict.site.arg?;
    if matches!(bcx.ir.expr(arg).kind, ExprKind::Closure(_)) || esc.boxes_closure(verdict.site.node)
    {
        return None;
    }
    let (typed, path) = verdict.typed.as_ref()?;
    let types = Types::at(bcx.cx, typed.scope);
    let pointer = types.dyn_pointer(typed.ty)?;
    let ir = bcx.cx.loaded.ir(typed.scope.file)?;
    let trait_ = pointer
        .split_once("dyn ")
        .map(|(_, rest)| format!("dyn {}", rest.trim_end_matches('>')))
        .unwrap_or_else(|| pointer.clone());
    let last = esc.edges[*path.last()?];
    // Put in a container or a field on the way: the type asked for is the container's.
    let wrapped = path.iter().any(|&e| {
        matches!(
            esc.edges[e].why,
            escape::Why::Element | escape::Why::Container
        )
    });
    let kind = match last.why {
        _ if wrapped => Kind::Container,
        escape::Why::Return => Kind::Return,
        escape::Why::Cast => Kind::Cast,
        escape::Why::Field => Kind::Field,
        escape::Why::CallParameter => Kind::Parameter,
        escape::Why::Container => Kind::Container,
        _ => Kind::Let,
    };
    // In a trait impl, the return type is the trait's.
    let fixed = kind == Kind::Return && matches!(bcx.at.container, Container::TraitImpl { .. });
    Some(Coercion {
        pointer,
        trait_,
        concrete: concrete_type(bcx, arg),
        at: Label::new(typed.scope.file, ir.ty(typed.ty).span, ""),
        kind,
        fixed,
        local: verdict.reach == escape::Reach::Nowhere && matches!(kind, Kind::Let | Kind::Cast),
    })
}

/// The crate type a boxed value has, when its construction shows it: a struct literal, a
/// tuple struct or variant constructor, `Type::new(..)`, a unit struct, `self.clone()` in an
/// impl, or a local bound to one of these.
fn concrete_type(bcx: &BodyCx<'_, '_>, arg: ExprId) -> Option<String> {
    concrete_in(bcx, arg, 0)
}

fn concrete_in(bcx: &BodyCx<'_, '_>, expr: ExprId, depth: u32) -> Option<String> {
    if depth > 3 {
        return None;
    }
    let index = &bcx.cx.index;
    let name_of = |(file, item): (FileId, ItemId)| {
        let item = index.item(file, item)?;
        matches!(
            item.kind,
            ItemKind::Struct(_) | ItemKind::Enum(_) | ItemKind::Union(_)
        )
        .then(|| item.name.map(|n| n.to_string()))
        .flatten()
    };
    match bcx.ir.expr(expr).kind {
        ExprKind::Struct(lit) => match bcx.resolve_path_id(bcx.ir.struct_lit(lit).path)?.def {
            Def::Item(file, item) => name_of((file, item)),
            _ => None,
        },
        // `Square(1.0)`, `Shape::Square(..)`, `Square::new(..)`.
        ExprKind::Call { callee, .. } => match bcx.resolve_path(callee)? {
            Resolved {
                def: Def::Item(file, item),
                rest: 0 | 1,
                ..
            } => name_of((file, item)),
            _ => None,
        },
        ExprKind::Path(_) => match bcx.resolve_path(expr)? {
            Resolved {
                def: Def::Item(file, item),
                rest: 0,
                ..
            } => name_of((file, item)),
            _ => None,
        },
        ExprKind::Try(inner) => concrete_in(bcx, inner, depth + 1),
        ExprKind::MethodCall(m) => {
            let m = bcx.ir.method_call(m);
            let on_self = matches!(
                bcx.ir.expr(m.receiver).kind,
                ExprKind::Local(l) if bcx.body.local(l).kind == LocalKind::SelfParam
            );
            if m.method.is("clone") && on_self {
                bcx.self_type().and_then(name_of)
            } else {
                None
            }
        }
        ExprKind::Local(l) => match bcx.body.local(l).ty {
            Some(ty) => Types::of_body(bcx).crate_type(ty).and_then(name_of),
            None => {
                let inits = crate::facts::types::let_inits(bcx);
                concrete_in(bcx, *inits.get(&l)?, depth + 1)
            }
        },
        _ => None,
    }
}

fn check(cx: &CrateCx<'_>, escape: &CrateEscape, out: &mut Vec<Diagnostic>) {
    let mut found = Vec::new();
    for (bcx, esc) in crate::escape::owned(cx, escape) {
        for verdict in &esc.allocs {
            if let Some(c) = coercion(&bcx, esc, verdict) {
                let site = escape::site_text(&bcx, &verdict.site);
                let span = bcx.ir.expr(verdict.site.expr).span;
                let flows = esc.explain(&bcx, &verdict.typed.as_ref().expect("coerced").1, &site);
                found.push((
                    bcx.label(span, format!("boxed into `{}`", c.pointer)),
                    site,
                    c,
                    flows,
                ));
            }
        }
    }
    // Concrete types boxed into each trait across the crate.
    let mut per_trait: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (_, _, c, _) in &found {
        if let Some(concrete) = &c.concrete {
            per_trait
                .entry(c.trait_.clone())
                .or_default()
                .insert(concrete.clone());
        }
    }
    for (primary, site, c, flows) in found {
        let message = format!("{site} escapes to heap as {}", c.pointer);
        let mut d = if c.actionable() {
            Diagnostic::new(RULE.meta.id, Level::Warning, message, primary)
        } else {
            // Nothing to suggest: a verdict for `-m`, like any other.
            Diagnostic::new(RULE.meta.id, Level::Note, message, primary).with_verbosity(1)
        };
        d = d.with_secondary(Label {
            text: format!("`{}` is asked for here", c.pointer),
            ..c.at
        });
        if let Some(types) = per_trait.get(&c.trait_).filter(|t| t.len() <= FEW) {
            let names: Vec<&str> = types.iter().map(String::as_str).collect();
            let count = if names.len() == 1 {
                format!(
                    "1 concrete type is boxed into {} in this crate ({})",
                    c.trait_, names[0]
                )
            } else {
                format!(
                    "{} concrete types are boxed into {} in this crate ({})",
                    names.len(),
                    c.trait_,
                    names.join(", ")
                )
            };
            d = d.with_help(format!(
                "{count}: an enum of them needs neither the allocation nor the indirect call"
            ));
        }
        let name = c.trait_.trim_start_matches("dyn ");
        let alternative = match c.kind {
            Kind::Return => Some(format!(
                "if every path returns the same type, return `impl {name}` instead"
            )),
            Kind::Parameter => Some(format!(
                "a generic parameter (`impl {name}`) takes the value without boxing it"
            )),
            Kind::Let | Kind::Cast if c.local => Some(format!(
                "a local needs no box: keep the concrete type, or borrow it as `&dyn {name}`"
            )),
            _ => None,
        };
        if let Some(alternative) = alternative {
            d = d.with_help(alternative);
        }
        d.flows = flows;
        out.push(d);
    }
}
