//! Suppressions in the code: `// escape: allow(rule)` comments, on the line above a finding or
//! at the end of its line, and `#[cfg_attr(escape, allow(rule))]` on an item, which covers the
//! whole item. A suppression that suppresses nothing is itself reported, as
//! `unused_suppression`, so that stale ones do not pile up.

use crate::diagnostic::{Diagnostic, FileId, Input, Label, Level};
use crate::ir::Span;
use crate::ir::directive::{self, DirectiveKind};
use crate::load::Loaded;

/// One rule allowed over a stretch of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub file: FileId,
    pub rule: String,
    /// What it covers: a line, or an item.
    pub target: Span,
    /// Where it is written: the rule's name in the comment or attribute, in `declared_in`
    /// (the file it covers, but for `mod name;` the file that declares it).
    pub at: Span,
    pub declared_in: FileId,
}

/// Every suppression of the analyzed files, and problems with the comments themselves.
pub fn collect(loaded: &Loaded) -> (Vec<Suppression>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (index, file) in loaded.files.iter().enumerate() {
        if file.owner.is_none() {
            continue;
        }
        let Some(ir) = &file.ir else { continue };
        let id = FileId(index as u32);
        let statements = if ir.directives.is_empty() {
            Vec::new()
        } else {
            statements(ir)
        };
        for directive in &ir.directives {
            let lo = directive.comment.0 as u32;
            let comment = Span::new(lo, directive.comment.1 as u32);
            let line = Span::new(directive.target.0 as u32, directive.target.1 as u32);
            let target = whole_statement(line, directive.trailing, &statements);
            match directive::parse(&directive.text) {
                // A contract (`// escape: no_alloc`) is read by the contracts, not here.
                Ok(DirectiveKind::Contract { .. }) => {}
                Ok(DirectiveKind::Allow(rules)) => {
                    for (rule, at) in rules {
                        // `at` is an offset into the comment's text, which follows `//`.
                        let start = 2 + at.0;
                        out.push(Suppression {
                            file: id,
                            rule,
                            target,
                            at: Span::new(lo + start as u32, lo + (start + at.1) as u32),
                            declared_in: id,
                        });
                    }
                }
                Err(message) => problems.push(
                    Diagnostic::new(
                        Input::UnusedSuppression,
                        Level::Warning,
                        format!("cannot read this suppression: {message}"),
                        Label::new(id, comment, ""),
                    )
                    .with_help("write `// escape: allow(rule)` or `// escape: allow(rule, reason = \"..\")`; a contract is `// escape: no_alloc` or `// escape: no_block`"),
                ),
            }
        }
        for allow in &ir.allows {
            out.push(Suppression {
                file: id,
                rule: allow.rule.to_string(),
                target: allow.covers,
                at: allow.at,
                declared_in: id,
            });
        }
        for item in &ir.items {
            for &(rule, at) in &item.allows {
                out.push(Suppression {
                    file: id,
                    rule: rule.to_string(),
                    target: item.span,
                    at,
                    declared_in: id,
                });
                // On `mod name;`, the attribute covers the module's file too.
                if let crate::ir::ItemKind::Mod(crate::ir::ModKind::File { .. }) = item.kind
                    && let Some(child) = child_file(loaded, id, item.name)
                {
                    out.push(Suppression {
                        file: child,
                        rule: rule.to_string(),
                        target: Span::new(0, u32::MAX),
                        at,
                        declared_in: id,
                    });
                }
            }
        }
    }
    (out, problems)
}

/// The file that `mod name;` in `file` leads to, in the module trees.
fn child_file(loaded: &Loaded, file: FileId, name: Option<crate::sym::Sym>) -> Option<FileId> {
    let name = name?;
    loaded.crates.iter().find_map(|tree| {
        tree.modules.iter().find_map(|m| {
            let parent = &tree.modules[m.parent?];
            (m.inline.is_none() && m.name == Some(name) && parent.file == file && m.file != file)
                .then_some(m.file)
        })
    })
}

/// The spans of a file's statements that a line directive may stand for: `let`s, and
/// expressions that are statements or block tails, but not blocks, loops, `if`s and `match`es,
/// which hold other statements.
fn statements(ir: &crate::ir::FileIr) -> Vec<Span> {
    use crate::ir::{ExprKind, Stmt};
    let simple = |e: crate::ir::ExprId| {
        !matches!(
            ir.expr(e).kind,
            ExprKind::Block(_)
                | ExprKind::If { .. }
                | ExprKind::Match { .. }
                | ExprKind::Loop { .. }
                | ExprKind::While { .. }
                | ExprKind::For { .. }
        )
    };
    let mut out = Vec::new();
    for block in &ir.blocks {
        for stmt in ir.list(block.stmts) {
            match *stmt {
                Stmt::Let(l) => out.push(ir.let_stmt(l).span),
                Stmt::Expr { expr, .. } if simple(expr) => out.push(ir.expr(expr).span),
                _ => {}
            }
        }
        if let Some(tail) = block.tail.filter(|&t| simple(t)) {
            out.push(ir.expr(tail).span);
        }
    }
    out
}

/// A directive covers its line, and the whole of a statement that begins on it (above the
/// statement) or ends on it (at the end of its last line): rustfmt splits long statements.
fn whole_statement(line: Span, trailing: bool, statements: &[Span]) -> Span {
    let within = |at: u32| line.lo <= at && at <= line.hi;
    let mut target = line;
    for s in statements {
        if trailing && within(s.hi.saturating_sub(1)) {
            target.lo = target.lo.min(s.lo);
        } else if !trailing && within(s.lo) {
            target.hi = target.hi.max(s.hi);
        }
    }
    target
}

/// Drops the diagnostics a suppression covers, and reports the suppressions that covered
/// nothing (for rules that ran: `checked`) or name no rule.
pub fn apply(
    diagnostics: Vec<Diagnostic>,
    suppressions: &[Suppression],
    checked: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let mut used = vec![false; suppressions.len()];
    let mut by_file: crate::sym::FxHashMap<FileId, Vec<usize>> = Default::default();
    for (i, s) in suppressions.iter().enumerate() {
        by_file.entry(s.file).or_default().push(i);
    }
    let mut kept: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| {
            let at = d.primary.span.lo;
            let mut suppressed = false;
            for &i in by_file.get(&d.primary.file).map_or(&[][..], |v| v) {
                let s = &suppressions[i];
                if s.rule == d.code.as_str() && s.target.lo <= at && at <= s.target.hi {
                    used[i] = true;
                    suppressed = true;
                }
            }
            !suppressed
        })
        .collect();
    // One written suppression may cover several places (`mod name;` and its file): it is
    // used if any of them is, and reported once.
    let mut reported = std::collections::BTreeSet::new();
    for s in suppressions {
        let written = |o: &Suppression| {
            (o.declared_in, o.at.lo, o.at.hi, o.rule.as_str())
                == (s.declared_in, s.at.lo, s.at.hi, s.rule.as_str())
        };
        let any_used = suppressions
            .iter()
            .zip(&used)
            .any(|(o, &u)| u && written(o));
        if any_used || !reported.insert((s.declared_in, s.at.lo, s.rule.clone())) {
            continue;
        }
        let here = Label::new(s.declared_in, s.at, "");
        if !crate::rules::is_known_code(&s.rule) {
            let known = crate::rules::all_codes();
            let mut d = Diagnostic::new(
                Input::UnusedSuppression,
                Level::Warning,
                format!("unknown rule `{}` in a suppression", s.rule),
                here,
            );
            if let Some(close) = crate::suggest::closest(&s.rule, known) {
                d = d.with_help(format!("did you mean `{close}`?"));
            }
            kept.push(d);
        } else if checked(&s.rule) {
            kept.push(
                Diagnostic::new(
                    Input::UnusedSuppression,
                    Level::Warning,
                    format!(
                        "unused suppression: nothing here is reported by `{}`",
                        s.rule
                    ),
                    here,
                )
                .with_help("remove it: the finding it was for is gone"),
            );
        }
    }
    kept
}
