//! Turning solved paths into the `-m=2` flow text: Go's `flow:` lines, each with the
//! `from WHAT (WHY) at POS` steps between two named locations, and the names Go gives
//! locations (`~r0`, `{heap}`, `{storage for ..}`).

use super::graph::{AllocSite, BodyEscape, Node, Step};
use crate::diagnostic::{Flow as FlowText, FlowStep, Label};
use crate::facts::BodyCx;
use crate::facts::display::Printer;

impl BodyEscape {
    /// The `-m=2` explanation of a path: one `flow:` per hop between named locations.
    /// Empty unless the run shows flows.
    pub fn explain(&self, bcx: &BodyCx<'_, '_>, path: &[usize], source: &str) -> Vec<FlowText> {
        if !bcx.cx.options.flows {
            return Vec::new();
        }
        let printer = bcx.printer();
        let mut flows = Vec::new();
        let mut steps = Vec::new();
        let mut src = source.to_string();
        // The derefs of the hops since the last named location, as Go prints them: `&a` for an
        // address, `*p` for what `p` points to.
        let mut derefs: i8 = 0;
        for (i, &e) in path.iter().enumerate() {
            let edge = &self.edges[e];
            derefs = (derefs + edge.derefs).max(-1);
            let (what, span) = match edge.step {
                Step::Expr(id) => (printer.expr(id), bcx.ir.expr(id).span),
                Step::Let(id) => (printer.let_stmt(id), bcx.ir.let_stmt(id).span),
            };
            let step = FlowStep {
                what,
                why: edge.why.as_str().to_string(),
                at: Label::new(bcx.file(), span, ""),
            };
            // A call's argument slot and the callee's tag are two edges of one step.
            if steps.last() != Some(&step) {
                steps.push(step);
            }
            let dst = self.graph.node(edge.dst);
            let last = i + 1 == path.len();
            if let Some(name) =
                (!matches!(dst, Node::Temp(_)) || last).then(|| node_name(&printer, dst))
            {
                let ops = match derefs {
                    d if d < 0 => "&".to_string(),
                    d => "*".repeat(d as usize),
                };
                flows.push(FlowText {
                    dst: name.clone(),
                    src: format!("{ops}{src}"),
                    steps: std::mem::take(&mut steps),
                });
                src = name;
                derefs = 0;
            }
        }
        flows
    }
}

/// How Go names a location in a flow.
fn node_name(printer: &Printer<'_>, node: Node) -> String {
    match node {
        Node::Local(l) => printer.local(l),
        Node::Return => "~r0".to_string(),
        Node::Heap | Node::Unknown => "{heap}".to_string(),
        Node::Pointee(l) => format!("*{}", printer.local(l)),
        Node::Alloc(e) | Node::Closure(e) => format!("{{storage for {}}}", printer.expr(e)),
        Node::ClosureReturn(_) => "{closure result}".to_string(),
        Node::Param(i) => format!("{{parameter {}}}", i + 1),
        Node::Temp(e) => format!("{{temp for {}}}", printer.expr(e)),
    }
}

/// The text Go's `-m` quotes for an allocation site.
pub fn site_text(bcx: &BodyCx<'_, '_>, site: &AllocSite) -> String {
    bcx.printer().expr(site.expr)
}
