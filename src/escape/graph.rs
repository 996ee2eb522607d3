//! The escape graph's vocabulary: locations ([`Node`]), the edges between them with the
//! reason each exists ([`Why`]) and the statement that made it ([`Step`]), the sites the
//! graph tracks (allocations, closures, calls of crate functions), and the verdicts solving
//! gives each of them. Go keeps the same things in `cmd/compile/internal/escape/graph.go`.

use crate::index::FnKey;
use crate::ir::{ExprId, LetId, LocalId, TyId};

pub use crate::facts::api::AllocKind;

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
    /// The items of an iterator, collected into a new collection: what the iterator yields,
    /// never the state it keeps (an adaptor's closure).
    Collected,
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
    /// A closure given to a method that keeps it in what it returns if the receiver is an
    /// iterator (`map`, `filter`), whose type is not known: maybe kept, maybe called in place.
    Adaptor,
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
            Why::Collected => "collected from an iterator",
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
            Why::Adaptor => "kept by an adaptor, if the receiver is an iterator",
            Why::Static => "static",
        }
    }

    /// Whether an edge of this kind puts the value inside another one.
    pub fn wraps(self) -> bool {
        matches!(
            self,
            Why::Field | Why::Element | Why::Container | Why::Collected | Why::Capture
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
    /// Parameter nodes whose type holds no pointer (a number, a `bool`, a struct of them):
    /// nothing flows from them, whatever the body does with them.
    pub pointer_free_params: Vec<NodeId>,
    /// Reference parameters to something that holds no pointer (`&[u8]`, `&str`, `&self` of
    /// such a type): what they point to carries nothing.
    pub pointee_free_params: Vec<NodeId>,
    /// The result's type holds no pointer (and the function is not `async`, whose future
    /// holds its parameters): no parameter reaches it.
    pub pointer_free_result: bool,
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

// ---------------------------------------------------------------------------------------------
// Verdicts
/// Where a value ends up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// It stays in the function.
    Nowhere,
    /// It is returned; `direct` when it is the returned value itself, not part of it.
    Return { direct: bool },
    /// It reaches the heap: a static, spawned work, code we cannot see.
    Heap,
    /// It is stored in memory a reference parameter points to.
    Caller(LocalId),
}

/// The verdict for one allocation site.
#[derive(Clone, Debug)]
pub struct AllocVerdict {
    pub site: AllocSite,
    pub reach: Reach,
    /// The edges from the site to what it reached (empty when it reached nothing).
    pub path: Vec<usize>,
    /// The value was moved somewhere other than a local: into a call, a container, a field, a
    /// closure.
    pub moved: bool,
    /// The first declared type the value is given on its way, with the path to it.
    pub typed: Option<(TypeAt, Vec<usize>)>,
}

/// Where a closure (or `async` block) goes, after Go's verdicts for func literals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClosureEscape {
    /// Called in place, or given to code that only calls it (an iterator adaptor, a generic
    /// `F: Fn` parameter, a scoped thread).
    Nowhere,
    /// Returned or stored where the caller sees it, by value: no allocation.
    NoHeap,
    /// Moved into this allocation (an index into the graph's allocation sites), as the value
    /// it holds: `Box::new(closure)`, `let f = closure; Box::new(f)`.
    Boxed(usize),
    /// Held by value inside what this allocation holds: captured by a closure that is boxed,
    /// kept in a struct (`Arc::new(Pool::new(closure))`) or passed to a function whose result
    /// is boxed. Another value is boxed, not the closure.
    Within(usize),
    /// Spawned or sent to another thread or task, by this edge.
    Spawned(usize),
    /// Stored in a static, leaked, or kept on the heap by a crate function.
    Heap,
}

/// The verdict for one closure.
#[derive(Clone, Debug)]
pub struct ClosureVerdict {
    pub site: ClosureSite,
    pub escape: ClosureEscape,
    /// The edges from the closure to what decided its verdict.
    pub path: Vec<usize>,
}

/// The verdict for one parameter.
#[derive(Clone, Debug)]
pub struct ParamVerdict {
    /// The parameter's binding; `None` for a destructuring pattern.
    pub local: Option<LocalId>,
    pub tag: Tag,
    /// How it reaches the result or the heap, for `-m=2`.
    pub result_path: Vec<usize>,
    pub heap_path: Vec<usize>,
    /// Only borrows of it reach the result (no move).
    pub result_by_borrow: bool,
    /// As an owned value (a `Box` parameter, say): where it goes.
    pub owned: AllocLike,
}

/// An owned parameter followed like an allocation.
#[derive(Clone, Debug)]
pub struct AllocLike {
    pub reach: Reach,
    pub moved: bool,
}
