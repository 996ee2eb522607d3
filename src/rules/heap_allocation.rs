//! `heap_allocation`: Go's verdict for every allocation site, printed with `-m`.
//!
//! `Box::new(x) escapes to heap` when the allocation outlives its function (returned, stored in
//! a static or the caller's memory, given to code we cannot see), `vec![..] does not escape`
//! when it is freed where it was made. Sites that a warning rule reports (`returned_box`,
//! `non_escaping_box`, `dyn_box`, `closure_escape`) are left to it, so each site has one
//! verdict line.

use super::{Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Level};
use crate::escape::CrateEscape;
use crate::escape::classify::{AllocClass, classify};
use crate::escape::{self, Reach};
use crate::facts::CrateCx;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "heap_allocation",
        default_level: Level::Note,
        verbosity: 1,
        summary: "where each allocation goes: escapes to heap, or does not escape (printed with -m)",
        page: include_str!("../../lints/heap_allocation.md"),
        escape: true,
    },
    check,
};

fn check(cx: &CrateCx<'_>, escape: &CrateEscape, out: &mut Vec<Diagnostic>) {
    for (bcx, esc) in crate::escape::owned(cx, escape) {
        for verdict in &esc.allocs {
            // A site a warning rule speaks of is left to it.
            if !matches!(classify(&bcx, esc, verdict), AllocClass::Other) {
                continue;
            }
            let site = escape::site_text(&bcx, &verdict.site);
            let span = bcx.ir.expr(verdict.site.expr).span;
            let message = match verdict.reach {
                Reach::Nowhere => format!("{site} does not escape"),
                _ => format!("{site} escapes to heap"),
            };
            let mut d = Diagnostic::new(RULE.code(), Level::Note, message, bcx.label(span, ""))
                .with_verbosity(1);
            if verdict.reach != Reach::Nowhere {
                d.flows = esc.explain(&bcx, &verdict.path, &site);
            }
            out.push(d);
        }
    }
}
