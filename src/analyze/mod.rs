//! Stage 4: analyze. Runs every rule over every crate, crates in parallel.
//!
//! A rule sees one crate through a [`CrateCx`]: the crate's index (modules, bodies, name
//! resolution) and helpers over its bodies. It returns diagnostics; it never prints.

pub mod types;

use std::panic::AssertUnwindSafe;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, FileId, Label, Level};
use crate::index::{BodyRef, CrateIndex, Resolved};
use crate::ir::{Body, ExprId, ExprKind, FileIr, Span};
use crate::load::Loaded;
use crate::rules::{self, Rule};

/// One crate to analyze.
#[derive(Clone, Debug)]
pub struct CrateInput {
    /// Index into [`Loaded::crates`].
    pub krate: usize,
    /// Names the code uses for its dependencies, with the crate each is.
    pub externs: Vec<(String, String)>,
}

/// What a rule sees of a crate.
pub struct CrateCx<'a> {
    pub index: CrateIndex<'a>,
    pub loaded: &'a Loaded,
}

impl<'a> CrateCx<'a> {
    /// The bodies this crate analyzes: those in files it owns.
    pub fn owned_bodies(&self) -> impl Iterator<Item = BodyCx<'_, 'a>> {
        self.index
            .bodies
            .iter()
            .filter(|b| self.index.owns(b.file))
            .filter_map(|b| self.body(*b))
    }

    /// Every body reachable in the crate, including files another target analyzes.
    pub fn all_bodies(&self) -> impl Iterator<Item = BodyCx<'_, 'a>> {
        self.index.bodies.iter().filter_map(|b| self.body(*b))
    }

    fn body(&self, at: BodyRef) -> Option<BodyCx<'_, 'a>> {
        let ir = self.loaded.ir(at.file)?;
        Some(BodyCx {
            cx: self,
            at,
            ir,
            body: ir.body(at.body),
        })
    }
}

/// One body, with what is needed to read it.
pub struct BodyCx<'c, 'a> {
    pub cx: &'c CrateCx<'a>,
    pub at: BodyRef,
    pub ir: &'a FileIr,
    pub body: &'a Body,
}

impl BodyCx<'_, '_> {
    pub fn file(&self) -> FileId {
        self.at.file
    }

    /// What the path expression `expr` names, if it is one and it resolves.
    pub fn resolve_path(&self, expr: ExprId) -> Option<Resolved> {
        match &self.ir.expr(expr).kind {
            ExprKind::Path(path) => self.cx.index.resolve(self.at.scope(), *path),
            _ => None,
        }
    }

    pub fn label(&self, span: Span, text: impl Into<String>) -> Label {
        Label::new(self.at.file, span, text)
    }
}

/// Runs every rule over every crate on `pool`.
pub fn analyze(
    loaded: &Loaded,
    crates: &[CrateInput],
    pool: &rayon::ThreadPool,
) -> Vec<Diagnostic> {
    pool.install(|| {
        crates
            .par_iter()
            .flat_map_iter(|input| {
                let index = CrateIndex::build(loaded, input.krate, &input.externs);
                let cx = CrateCx { index, loaded };
                let mut out = Vec::new();
                for rule in rules::ALL {
                    run_rule(rule, &cx, &mut out);
                }
                out
            })
            .collect()
    })
}

/// A rule that panics loses its own findings for the crate, and says so; the others stand.
fn run_rule(rule: &Rule, cx: &CrateCx<'_>, out: &mut Vec<Diagnostic>) {
    let mut found = Vec::new();
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| (rule.check)(cx, &mut found)));
    match result {
        Ok(()) => out.extend(found),
        Err(panic) => {
            let root = cx.index.tree.modules.first().map_or(FileId(0), |m| m.file);
            out.push(Diagnostic::new(
                "internal_error",
                Level::Error,
                format!(
                    "rule `{}` failed on this crate: {}",
                    rule.meta.id,
                    crate::panic_message(&*panic)
                ),
                Label::new(root, Span::default(), ""),
            ));
        }
    }
}
