//! `dyn_box`: a concrete value boxed into `Box<dyn Trait>` (or `Rc`, `Arc`) where the
//! coercion is visible in the crate.
//!
//! Found on the escape graph: the first declared type an allocation's value is given on its
//! way is `Box<dyn Trait>` (or a container of them: `Vec<Box<dyn Trait>>`): a typed `let`, an
//! `as` cast, the return type, a field's type, a crate function's parameter type. Each such box
//! is an allocation plus an indirect call per use; when the crate boxes few concrete types into
//! a trait, an enum of them does without both. Boxed closures are `closure_escape`'s.
//!
//! A warning only where the code chose the `dyn` type and shows what it boxes. A type a trait
//! impl's signature or a public function's parameter asks for, and `Rc`/`Arc` (whose allocation
//! is for sharing), are notes that say why; a zero-sized value allocates nothing.

use std::collections::{BTreeMap, BTreeSet};

use super::{Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Label, Level};
use crate::escape::classify::{self, CoercionKind, Dictated};
use crate::escape::{self, CrateEscape};
use crate::facts::CrateCx;

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

fn check(cx: &CrateCx<'_>, escape: &CrateEscape, out: &mut Vec<Diagnostic>) {
    let mut found = Vec::new();
    for (bcx, esc) in crate::escape::owned(cx, escape) {
        for verdict in &esc.allocs {
            if let Some(c) = classify::dyn_coercion(&bcx, esc, verdict) {
                let site = escape::site_text(&bcx, &verdict.site);
                let span = bcx.ir.expr(verdict.site.expr).span;
                let flows = esc.explain(&bcx, &verdict.typed.as_ref().expect("coerced").1, &site);
                found.push((
                    bcx.label(span, format!("boxed into `{}`", c.pointer)),
                    site,
                    c,
                    flows,
                    (bcx.file(), bcx.at.owner),
                ));
            }
        }
    }
    // Concrete types boxed into each trait across the crate; `None` when the set is open: a
    // value of a type the code does not show, or a type callers or a trait choose.
    let mut per_trait: BTreeMap<String, Option<BTreeSet<String>>> = BTreeMap::new();
    // Concrete types each function returns as each trait.
    let mut returned: BTreeMap<(_, String), BTreeSet<Option<String>>> = BTreeMap::new();
    for (_, _, c, _, owner) in &found {
        if c.kind == CoercionKind::Return {
            returned
                .entry((*owner, c.trait_.clone()))
                .or_default()
                .insert(c.concrete.clone());
        }
        let types = per_trait
            .entry(c.trait_.clone())
            .or_insert_with(|| Some(BTreeSet::new()));
        match (&c.concrete, c.dictated) {
            (Some(concrete), None) => {
                if let Some(types) = types {
                    types.insert(concrete.clone());
                }
            }
            // `Rc<dyn ..>` and `Arc<dyn ..>` keep their allocation: they leave the set alone.
            (_, Some(Dictated::SharedOwnership)) => {}
            _ => *types = None,
        }
    }
    for (primary, site, c, flows, owner) in found {
        let message = format!("{site} escapes to heap as {}", c.pointer);
        let set = per_trait.get(&c.trait_).and_then(Option::as_ref);
        let enum_fits = set.is_some_and(|t| !t.is_empty() && t.len() <= FEW);
        // What the user could write instead: an enum of few types, `impl Trait` for a function
        // that returns one type, a generic parameter, or a borrow of a local.
        let fix = enum_fits
            || c.parameter
                .is_some_and(|(callee, i)| !classify::parameter_kept(cx, escape, callee, i))
            || (c.local && matches!(c.kind, CoercionKind::Let | CoercionKind::Cast))
            || (c.kind == CoercionKind::Return
                && returned
                    .get(&(owner, c.trait_.clone()))
                    .is_some_and(|types| types.len() == 1));
        let mut d = if c.actionable() && fix {
            Diagnostic::new(RULE.code(), Level::Warning, message, primary)
        } else {
            // Nothing to suggest: a verdict for `-m`, like any other.
            Diagnostic::new(RULE.code(), Level::Note, message, primary).with_verbosity(1)
        };
        if c.actionable() && !fix {
            // A choice among many types, or types the crate does not show: the `dyn` is the
            // design (a factory of codecs, a registry of plugins).
            d = d.with_note(match set {
                Some(types) => format!(
                    "the crate boxes {} concrete types into {}: more than an enum pays off for, \
                     so the trait object is the design",
                    types.len(),
                    c.trait_
                ),
                None => format!(
                    "the crate also boxes values of types it does not show into {}: no enum \
                     of its own types can replace it",
                    c.trait_
                ),
            });
        }
        d = d.with_secondary(Label {
            text: format!("`{}` is asked for here", c.pointer),
            ..c.at
        });
        if let Some(dictated) = c.dictated {
            d = d.with_note(dictated.reason());
            d.flows = flows;
            out.push(d);
            continue;
        }
        if let Some(types) = set.filter(|_| enum_fits) {
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
            CoercionKind::Return => Some(format!(
                "if every path returns the same type, return `impl {name}` instead"
            )),
            CoercionKind::Parameter => Some(format!(
                "a generic parameter (`impl {name}`) takes the value without boxing it"
            )),
            CoercionKind::Let | CoercionKind::Cast if c.local => Some(format!(
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
