//! The escape engine: Go's escape analysis (`cmd/compile/internal/escape`), on our IR.
//!
//! For every body of a crate it builds a graph of **locations** (bindings, allocation sites,
//! closures, temporaries, the return slot, the heap, and the memory reference parameters point
//! to) joined by **edges** (assignment, return, call argument, capture, store into a field or
//! container, address-of, dereference), each with the reason and the statement that made it.
//! Solving the graph is a reachability question, asked from every allocation site and every
//! parameter:
//!
//! - an allocation **escapes by return** when its value reaches the return slot, **escapes to
//!   the heap** when it reaches the heap (a static, a spawned task, code we cannot see) or the
//!   caller's memory through a `&mut` parameter, and **does not escape** otherwise;
//! - a parameter **leaks** to the result or to the heap, Go's parameter tags.
//!
//! Only moves carry an allocation: Rust's borrow checker guarantees that a reference cannot
//! outlive what it borrows, so a borrowed box never escapes by being borrowed. Parameters, which
//! are often references, follow borrows as well.
//!
//! Calls to functions of the same crate use the callee's parameter tags, computed bottom-up
//! over the call graph and to a fixpoint within recursive cycles. Everything else that receives
//! a value by move is code we cannot see: the value escapes to the heap ("call parameter").
//!
//! Each verdict keeps its path, the chain of edges from the site to what it reached, which
//! `-m=2` prints in Go's `flow:` / `from … (why) at …` shape.
//!
//! The engine is laid out as Go's `cmd/compile/internal/escape`: [`graph`] holds locations,
//! edges and verdicts; `build` turns a body's IR into its graph (expressions, assignments,
//! calls); `solve` computes parameter tags over the call graph and the verdicts; [`explain`]
//! prints a verdict's path as `-m=2` flows; [`classify`] says which warning rule speaks of an
//! allocation verdict; [`erasure`] whether a boxed closure's box is required where it goes.

mod build;
pub mod classify;
pub mod erasure;
pub mod explain;
pub mod graph;
mod solve;

use crate::diagnostic::FileId;
use crate::facts::{BodyCx, CrateCx};
use crate::ir::BodyId;
use crate::sym::FxHashMap;
pub use explain::site_text;
pub use graph::*;

/// The escape analysis of one crate.
#[derive(Debug, Default)]
pub struct CrateEscape {
    pub bodies: Vec<BodyEscape>,
    by_body: FxHashMap<(FileId, BodyId), usize>,
}

impl CrateEscape {
    pub fn body(&self, file: FileId, body: BodyId) -> Option<&BodyEscape> {
        self.by_body.get(&(file, body)).map(|&i| &self.bodies[i])
    }
}

/// The crate's escape analysis: every body's graph, built and solved.
pub fn analyze(cx: &CrateCx<'_>) -> CrateEscape {
    // Graphs for every body of the crate, including files another target owns: their
    // functions are called from here, and their tags are needed.
    let mut graphs: Vec<(crate::index::BodyRef, Graph)> = Vec::new();
    for bcx in cx.all_bodies() {
        let graph = build::build(&bcx);
        graphs.push((bcx.at, graph));
    }
    let tags = solve::summaries(cx, &graphs);
    let mut out = CrateEscape::default();
    for (at, mut graph) in graphs {
        let (allocs, closures, params, edges) = solve::verdicts(&mut graph, &tags);
        out.by_body.insert((at.file, at.body), out.bodies.len());
        out.bodies.push(BodyEscape {
            at,
            graph,
            edges,
            allocs,
            closures,
            params,
        });
    }
    out
}

/// The bodies a crate analyzes (in files it owns), with their solved graphs.
pub fn owned<'c, 'a>(
    cx: &'c CrateCx<'a>,
    escape: &'c CrateEscape,
) -> impl Iterator<Item = (BodyCx<'c, 'a>, &'c BodyEscape)> {
    cx.owned_bodies().filter_map(move |bcx| {
        let esc = escape.body(bcx.file(), bcx.at.body)?;
        Some((bcx, esc))
    })
}
