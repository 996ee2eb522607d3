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

mod build;
mod solve;

use crate::diagnostic::{FileId, Flow as FlowText, FlowStep, Label};
use crate::facts::{BodyCx, CrateCx};
use crate::index::FnKey;
use crate::ir::{BodyId, ExprId, LetId, LocalId, Span, TyId};
use crate::sym::FxHashMap;
pub use solve::{AllocVerdict, ClosureEscape, ClosureVerdict, ParamVerdict, Reach};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

/// A location of the graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node {
    Local(LocalId),
    /// The value of an expression with no name of its own: a call's result, an `if`.
    Temp(ExprId),
    /// An allocation site: `Box::new(..)`, `vec![..]`, `format!(..)`...
    Alloc(ExprId),
    /// A closure or `async` block: the storage of what it captures.
    Closure(ExprId),
    /// What a closure returns to whoever calls it.
    ClosureReturn(ExprId),
    /// The function's return slot, Go's `~r0`.
    Return,
    /// The heap: statics, spawned and leaked values.
    Heap,
    /// Code we cannot see: a value moved there may go anywhere, so it escapes; a reference
    /// given there cannot outlive what it borrows, so it does not.
    Unknown,
    /// The memory a reference parameter points to, which the caller owns: `*p`.
    Pointee(LocalId),
    /// A parameter given by a pattern (`(a, b): (u8, u8)`), before it is destructured.
    Param(u32),
}

/// Whether an edge moves the value, or only lets the destination borrow from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carry {
    Move,
    Borrow,
}

/// Why an edge exists: the words `-m=2` prints in parentheses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    Assign,
    Return,
    Try,
    Break,
    Branch,
    CallParameter,
    CallResult,
    Field,
    Element,
    Container,
    Store,
    Capture,
    AddressOf,
    Deref,
    Leak,
    Spawn,
    Macro,
    Cast,
    ClosureReturn,
    MethodReceiver,
    Static,
}

impl Why {
    pub fn as_str(self) -> &'static str {
        match self {
            Why::Assign => "assign",
            Why::Return => "return",
            Why::Try => "? operator",
            Why::Break => "break",
            Why::Branch => "branch",
            Why::CallParameter => "call parameter",
            Why::CallResult => "call result",
            Why::Field => "stored in a field",
            Why::Element => "element",
            Why::Container => "stored in a container",
            Why::Store => "stored through a reference",
            Why::Capture => "captured by a closure",
            Why::AddressOf => "address-of",
            Why::Deref => "dereference",
            Why::Leak => "leaked",
            Why::Spawn => "spawned",
            Why::Macro => "used by a macro",
            Why::Cast => "converted",
            Why::ClosureReturn => "returned from a closure",
            Why::MethodReceiver => "method receiver",
            Why::Static => "static",
        }
    }

    /// Whether an edge of this kind puts the value inside another one.
    pub fn wraps(self) -> bool {
        matches!(
            self,
            Why::Field | Why::Element | Why::Container | Why::Capture
        )
    }
}

/// The statement or expression that made an edge, for `from WHAT (WHY) at POS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Expr(ExprId),
    Let(LetId),
}

#[derive(Clone, Copy, Debug)]
pub struct Edge {
    pub src: NodeId,
    pub dst: NodeId,
    /// -1 for address-of (`dst = &src`), 0 for a copy or move, 1 for a read through `src`.
    pub derefs: i8,
    pub carry: Carry,
    pub why: Why,
    pub step: Step,
    /// The type the destination is declared with at this step, when written: a `let`
    /// annotation, the return type, a field's or parameter's type, an `as` target. An index
    /// into [`Graph::types`].
    pub ty: Option<u32>,
}

/// A type as written somewhere, with the scope its names resolve in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeAt {
    pub scope: crate::index::ScopeRef,
    pub ty: TyId,
}

/// What an allocation site allocates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllocKind {
    /// `Box::new`, `Box::from`, `Box::default`.
    Box,
    /// `Box::pin`.
    BoxPin,
    Rc,
    Arc,
    /// `vec![..]`, `Vec::with_capacity`, `.to_vec()`.
    Vec,
    /// `String::from`, `format!`, `.to_string()`, `.to_owned()`.
    String,
    /// `.collect()`, into whatever the context asks for.
    Collect,
}

#[derive(Clone, Copy, Debug)]
pub struct AllocSite {
    pub expr: ExprId,
    pub kind: AllocKind,
    pub node: NodeId,
    /// The value put in the allocation: `x` in `Box::new(x)`.
    pub arg: Option<ExprId>,
    /// The innermost loop around the site, in the same closure.
    pub in_loop: Option<ExprId>,
}

/// A closure or `async` block: its node is the storage of what it captures.
#[derive(Clone, Copy, Debug)]
pub struct ClosureSite {
    pub expr: ExprId,
    pub node: NodeId,
    /// The innermost loop around it, in the same function or closure.
    pub in_loop: Option<ExprId>,
}

/// A call of a crate function, completed with edges from the callee's parameter tags.
#[derive(Clone, Debug)]
pub struct CallSite {
    pub callee: FnKey,
    /// One slot per parameter, `self` first: the node the argument flows into.
    pub args: Vec<Option<NodeId>>,
    pub result: NodeId,
    pub at: ExprId,
}

/// The graph of one body.
#[derive(Debug, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub calls: Vec<CallSite>,
    pub allocs: Vec<AllocSite>,
    pub closures: Vec<ClosureSite>,
    /// Parameters in order, `self` first, with their nodes (`None` for a destructuring
    /// parameter, whose node stands for the whole argument).
    pub params: Vec<(Option<LocalId>, NodeId)>,
    pub ret: NodeId,
    pub heap: NodeId,
    pub unknown: NodeId,
    /// Parameter nodes that hold references.
    pub ref_params: Vec<NodeId>,
    /// Declared types edges refer to.
    pub types: Vec<TypeAt>,
}

impl Graph {
    pub fn node(&self, id: NodeId) -> Node {
        self.nodes[id.0 as usize]
    }

    /// Whether a parameter's node holds a reference (`&T`, `&self`), which code we cannot see
    /// cannot keep beyond the call.
    pub fn is_ref_param(&self, node: NodeId) -> bool {
        self.ref_params.contains(&node)
    }
}

/// A parameter's tag, as callers see it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tag {
    /// Flows to the result, with this many dereferences (Go's `level`).
    pub to_result: Option<u8>,
    /// Flows to the heap (or the caller's memory) by move.
    pub to_heap: bool,
    /// What it points to flows to the heap.
    pub content_to_heap: bool,
}

/// The solved graph of one body.
#[derive(Debug)]
pub struct BodyEscape {
    pub at: crate::index::BodyRef,
    pub graph: Graph,
    /// The graph's edges and those its calls got from their callees: verdicts' paths index
    /// this.
    pub edges: Vec<Edge>,
    pub allocs: Vec<AllocVerdict>,
    pub closures: Vec<ClosureVerdict>,
    pub params: Vec<ParamVerdict>,
}

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

impl BodyEscape {
    /// Whether the allocation at `node` boxes a closure: `closure_escape` speaks of those.
    pub fn boxes_closure(&self, node: NodeId) -> bool {
        self.closures.iter().any(
            |c| matches!(c.escape, ClosureEscape::Boxed(i) if self.allocs[i].site.node == node),
        )
    }

    /// The `-m=2` explanation of a path: one `flow:` per hop between named locations.
    /// Empty unless the run shows flows.
    pub fn explain(&self, bcx: &BodyCx<'_, '_>, path: &[usize], source: &str) -> Vec<FlowText> {
        if !bcx.cx.options.flows {
            return Vec::new();
        }
        let printer = crate::facts::display::Printer::new(bcx.ir, Some(bcx.body));
        let mut flows = Vec::new();
        let mut steps = Vec::new();
        let mut src = source.to_string();
        for (i, &e) in path.iter().enumerate() {
            let edge = &self.edges[e];
            let (what, span) = match edge.step {
                crate::escape::Step::Expr(id) => (printer.expr(id), bcx.ir.expr(id).span),
                crate::escape::Step::Let(id) => (printer.let_stmt(id), bcx.ir.let_stmt(id).span),
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
            if let Some(name) = self
                .node_name(bcx, dst)
                .filter(|_| !matches!(dst, Node::Temp(_)))
                .or(if last { self.node_name(bcx, dst) } else { None })
            {
                flows.push(FlowText {
                    dst: name.clone(),
                    src: src.clone(),
                    steps: std::mem::take(&mut steps),
                });
                src = name;
            }
        }
        flows
    }

    /// How Go names a location in a flow.
    pub fn node_name(&self, bcx: &BodyCx<'_, '_>, node: Node) -> Option<String> {
        let printer = crate::facts::display::Printer::new(bcx.ir, Some(bcx.body));
        Some(match node {
            Node::Local(l) => printer.local(l),
            Node::Return => "~r0".to_string(),
            Node::Heap | Node::Unknown => "{heap}".to_string(),
            Node::Pointee(l) => format!("*{}", printer.local(l)),
            Node::Alloc(e) | Node::Closure(e) => format!("{{storage for {}}}", printer.expr(e)),
            Node::ClosureReturn(_) => "{closure result}".to_string(),
            Node::Param(i) => format!("{{parameter {}}}", i + 1),
            Node::Temp(e) => format!("{{temp for {}}}", printer.expr(e)),
        })
    }
}

/// Spans of a few places, for rules that point at them.
pub fn span_of(bcx: &BodyCx<'_, '_>, step: Step) -> Span {
    match step {
        Step::Expr(id) => bcx.ir.expr(id).span,
        Step::Let(id) => bcx.ir.let_stmt(id).span,
    }
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

/// The text Go's `-m` quotes for an allocation site.
pub fn site_text(bcx: &BodyCx<'_, '_>, site: &AllocSite) -> String {
    crate::facts::display::Printer::new(bcx.ir, Some(bcx.body)).expr(site.expr)
}
