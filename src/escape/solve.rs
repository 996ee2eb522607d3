//! Solving the graphs: parameter tags over the call graph, then a verdict for every allocation
//! site and parameter.
//!
//! Searches are breadth-first, so every path they report is a shortest one, and they share a
//! stamped scratch area per body, so starting a search clears nothing.

use std::collections::VecDeque;

use super::graph::{
    AllocLike, AllocVerdict, Carry, ClosureEscape, ClosureSite, ClosureVerdict, Edge, Graph, Node,
    NodeId, ParamVerdict, Reach, Step, Tag, TypeAt, Why,
};
use crate::facts::CrateCx;
use crate::index::{BodyRef, FnKey};
use crate::ir::{ItemKind, LocalId};
use crate::sym::FxHashMap;

type Tags = FxHashMap<FnKey, Vec<Tag>>;

/// The nodes that are argument slots of calls, with their call and parameter.
type ArgSlots = FxHashMap<NodeId, (usize, usize)>;

fn fn_key(cx: &CrateCx<'_>, at: &BodyRef) -> Option<FnKey> {
    let ir = cx.loaded.ir(at.file)?;
    matches!(ir.item(at.owner).kind, ItemKind::Fn(_)).then_some((at.file, at.owner))
}

/// Outgoing edges by node, in one array (compressed rows).
struct Adjacency {
    offsets: Vec<u32>,
    edges: Vec<u32>,
}

impl Adjacency {
    fn new(nodes: usize, edges: &[Edge]) -> Adjacency {
        let mut offsets = vec![0u32; nodes + 1];
        for e in edges {
            offsets[e.src.0 as usize + 1] += 1;
        }
        for i in 0..nodes {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut out = vec![0u32; edges.len()];
        for (i, e) in edges.iter().enumerate() {
            let at = &mut fill[e.src.0 as usize];
            out[*at as usize] = i as u32;
            *at += 1;
        }
        Adjacency {
            offsets,
            edges: out,
        }
    }

    fn of(&self, n: NodeId) -> &[u32] {
        let n = n.0 as usize;
        &self.edges[self.offsets[n] as usize..self.offsets[n + 1] as usize]
    }
}

/// Search state reused from one search to the next: a stamp per state says whether it was
/// reached in the current search, and from which edge.
#[derive(Default)]
struct Scratch {
    stamp: Vec<u32>,
    pred: Vec<(u32, u32)>,
    current: u32,
    queue: VecDeque<(NodeId, i8, bool)>,
}

const NO_PRED: (u32, u32) = (u32::MAX, u32::MAX);

impl Scratch {
    fn start(&mut self, states: usize) {
        if self.stamp.len() < states {
            self.stamp.resize(states, 0);
            self.pred.resize(states, NO_PRED);
        }
        self.current = self.current.wrapping_add(1);
        if self.current == 0 {
            self.stamp.fill(0);
            self.current = 1;
        }
        self.queue.clear();
    }

    /// Marks `state` reached through `edge` from `from`; false if it already was.
    fn reach(&mut self, state: usize, from: u32, edge: u32) -> bool {
        if self.stamp[state] == self.current {
            return false;
        }
        self.stamp[state] = self.current;
        self.pred[state] = (from, edge);
        true
    }

    /// The edges that led to `state`, first to last.
    fn path(&self, mut state: usize) -> Vec<usize> {
        let mut path = Vec::new();
        while let Some(&(from, edge)) = self.pred.get(state) {
            if edge == u32::MAX {
                break;
            }
            path.push(edge as usize);
            state = from as usize;
        }
        path.reverse();
        path
    }
}

/// Parameter tags of every crate function with a body, callees before callers, to a fixpoint
/// within each recursive cycle.
pub fn summaries(cx: &CrateCx<'_>, graphs: &[(BodyRef, Graph)]) -> Tags {
    let mut by_key: FxHashMap<FnKey, usize> = FxHashMap::default();
    for (i, (at, _)) in graphs.iter().enumerate() {
        if let Some(key) = fn_key(cx, at) {
            by_key.insert(key, i);
        }
    }
    let callees: Vec<Vec<usize>> = graphs
        .iter()
        .map(|(_, g)| {
            let mut out: Vec<usize> = g
                .calls
                .iter()
                .filter_map(|c| by_key.get(&c.callee).copied())
                .collect();
            out.sort_unstable();
            out.dedup();
            out
        })
        .collect();
    let mut tags: Tags = FxHashMap::default();
    let mut scratch = Scratch::default();
    for scc in sccs(&callees) {
        // A body's static edges do not change from one round to the next; its calls' edges
        // come from the tags of the moment.
        let solvers: Vec<(usize, Option<FnKey>, Adjacency, ArgSlots)> = scc
            .iter()
            .map(|&i| {
                let (at, graph) = &graphs[i];
                let slots = graph
                    .calls
                    .iter()
                    .enumerate()
                    .flat_map(|(c, call)| {
                        call.args
                            .iter()
                            .enumerate()
                            .filter_map(move |(a, s)| Some(((*s)?, (c, a))))
                    })
                    .collect();
                (
                    i,
                    fn_key(cx, at),
                    Adjacency::new(graph.nodes.len(), &graph.edges),
                    slots,
                )
            })
            .collect();
        for _round in 0..16 {
            let mut changed = false;
            for (i, key, adj, slots) in &solvers {
                let Some(key) = key else { continue };
                let graph = &graphs[*i].1;
                let new: Vec<Tag> = graph
                    .params
                    .iter()
                    .map(|&(_, node)| {
                        if graph.pointer_free_params.contains(&node) {
                            return Tag::default();
                        }
                        let mut tag = tag_search(
                            graph,
                            adj,
                            slots,
                            &tags,
                            node,
                            graph.is_ref_param(node),
                            &mut scratch,
                        );
                        mask_by_signature(graph, node, &mut tag);
                        tag
                    })
                    .collect();
                if tags.get(key) != Some(&new) {
                    tags.insert(*key, new);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }
    tags
}

/// Strongly connected components of the call graph, callees first (Tarjan's algorithm,
/// without recursion).
fn sccs(succ: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = succ.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    let mut next = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(start, 0)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = succ[v].get(*child) {
                *child += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut scc = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    scc.push(w);
                    if w == v {
                        break;
                    }
                }
                scc.sort_unstable();
                out.push(scc);
            }
        }
    }
    out
}

/// The edges a call's argument slot gets from the callee's tags (or, without tags, from code
/// we cannot see).
fn call_edges(graph: &Graph, tags: &Tags, call: usize, arg: usize, mut push: impl FnMut(Edge)) {
    let site = &graph.calls[call];
    let Some(slot) = site.args[arg] else { return };
    let step = Step::Expr(site.at);
    let mut edge = |dst: NodeId, derefs: i8, carry: Carry, why: Why| {
        push(Edge {
            src: slot,
            dst,
            derefs,
            carry,
            why,
            step,
            ty: None,
        });
    };
    match tags.get(&site.callee).and_then(|t| t.get(arg)) {
        Some(tag) => {
            if tag.to_heap {
                edge(graph.heap, 0, Carry::Move, Why::CallParameter);
            }
            if tag.content_to_heap {
                edge(graph.heap, 1, Carry::Move, Why::CallParameter);
            }
            if let Some(level) = tag.to_result {
                edge(site.result, level as i8, Carry::Move, Why::CallResult);
            }
        }
        None => {
            edge(graph.unknown, 0, Carry::Move, Why::CallParameter);
            edge(site.result, 0, Carry::Borrow, Why::CallResult);
        }
    }
}

fn is_sink(node: Node) -> bool {
    matches!(
        node,
        Node::Heap | Node::Unknown | Node::Return | Node::Pointee(_)
    )
}

/// One step of a parameter search: from `level` dereferences, by moves only or not, along
/// `edge`; `None` when the state falls out of the levels tracked (-1 to 2).
fn step_param(level: i8, by_move: bool, edge: &Edge) -> Option<(i8, bool)> {
    let borrow = edge.carry == Carry::Borrow;
    let next = if borrow {
        level + edge.derefs.max(0)
    } else {
        level + edge.derefs
    };
    (-1..=2)
        .contains(&next)
        .then_some((next, by_move && !borrow))
}

/// A parameter walk's states per node: levels -1..=2, each by move or not.
const PARAM_STATES: usize = 8;

fn param_state(n: NodeId, level: i8, by_move: bool) -> usize {
    (n.0 as usize) * PARAM_STATES + ((level + 1) as usize) * 2 + by_move as usize
}

impl Scratch {
    /// Starts a walk from parameter `start` (level 0, by move), returning its local if it has
    /// one: stores into the parameter's own pointee are not leaks.
    fn start_param(&mut self, graph: &Graph, start: NodeId) -> Option<LocalId> {
        self.start(graph.nodes.len() * PARAM_STATES);
        self.reach(param_state(start, 0, true), u32::MAX, u32::MAX);
        self.queue.push_back((start, 0, true));
        match graph.node(start) {
            Node::Local(l) => Some(l),
            _ => None,
        }
    }
}

/// What a sink means for a parameter's tag. `own` is the parameter's local (stores into its own
/// pointee are not leaks); `by_ref`: the parameter is a reference, which code we cannot see
/// cannot keep.
fn note_sink(
    tag: &mut Tag,
    node: Node,
    level: i8,
    by_move: bool,
    own: Option<LocalId>,
    by_ref: bool,
) -> Option<Leak> {
    match node {
        Node::Return if level >= 0 => {
            let level = level as u8;
            (tag.to_result.is_none_or(|l| level < l)).then(|| {
                tag.to_result = Some(level);
                Leak::Result
            })
        }
        Node::Unknown if by_ref && level == 0 => None,
        Node::Heap | Node::Unknown | Node::Pointee(_)
            if by_move && Some(node) != own.map(Node::Pointee) =>
        {
            if level == 0 && !tag.to_heap {
                tag.to_heap = true;
                Some(Leak::Heap)
            } else if level == 1 && !tag.content_to_heap {
                tag.content_to_heap = true;
                Some(Leak::Content)
            } else {
                None
            }
        }
        _ => None,
    }
}

enum Leak {
    Result,
    Heap,
    Content,
}

/// A parameter's tag, with calls' edges derived from `tags` on the way.
fn tag_search(
    graph: &Graph,
    adj: &Adjacency,
    slots: &ArgSlots,
    tags: &Tags,
    start: NodeId,
    by_ref: bool,
    scratch: &mut Scratch,
) -> Tag {
    let own = scratch.start_param(graph, start);
    let mut tag = Tag::default();
    let mut derived = Vec::new();
    while let Some((n, level, by_move)) = scratch.queue.pop_front() {
        let node = graph.node(n);
        if n != start && is_sink(node) {
            note_sink(&mut tag, node, level, by_move, own, by_ref);
            continue;
        }
        derived.clear();
        if let Some(&(call, arg)) = slots.get(&n) {
            call_edges(graph, tags, call, arg, |e| derived.push(e));
        }
        let from = param_state(n, level, by_move) as u32;
        for edge in adj
            .of(n)
            .iter()
            .map(|&e| &graph.edges[e as usize])
            .chain(derived.iter())
        {
            if let Some((next, next_move)) = step_param(level, by_move, edge)
                && scratch.reach(param_state(edge.dst, next, next_move), from, u32::MAX - 1)
            {
                scratch.queue.push_back((edge.dst, next, next_move));
            }
        }
    }
    tag
}

/// Drops from a parameter's tag what its function's signature rules out, whatever the body
/// does: all of it for a parameter whose type holds no pointer; what it points to, when that
/// holds none (the reference itself still may go somewhere); the result, when its type holds
/// none.
fn mask_by_signature(graph: &Graph, node: NodeId, tag: &mut Tag) {
    if graph.pointer_free_params.contains(&node) {
        *tag = Tag::default();
    }
    if graph.pointee_free_params.contains(&node) {
        tag.content_to_heap = false;
        if tag.to_result.is_some_and(|level| level >= 1) {
            tag.to_result = None;
        }
    }
    if graph.pointer_free_result {
        tag.to_result = None;
    }
}

/// A parameter's verdict on the final edges, with the paths behind it.
fn param_verdict(
    graph: &Graph,
    edges: &[Edge],
    adj: &Adjacency,
    start: NodeId,
    by_ref: bool,
    scratch: &mut Scratch,
) -> ParamVerdict {
    let own = scratch.start_param(graph, start);
    let mut tag = Tag::default();
    let mut result_path = Vec::new();
    let mut heap_path = Vec::new();
    let mut result_by_move = false;
    // Whether `result_path` moves the parameter (not only borrows it).
    let mut path_by_move = false;
    while let Some((n, level, by_move)) = scratch.queue.pop_front() {
        let node = graph.node(n);
        let state = param_state(n, level, by_move);
        if n != start && is_sink(node) {
            let to_result = node == Node::Return && level >= 0;
            if to_result {
                result_by_move |= by_move;
            }
            match note_sink(&mut tag, node, level, by_move, own, by_ref) {
                Some(Leak::Result) => {
                    result_path = scratch.path(state);
                    path_by_move = by_move;
                }
                Some(Leak::Heap) => heap_path = scratch.path(state),
                Some(Leak::Content) if heap_path.is_empty() => heap_path = scratch.path(state),
                // A move at the same level is the flow to show: a borrow alone may be one the
                // result's type rules out.
                _ if to_result
                    && by_move
                    && !path_by_move
                    && tag.to_result == Some(level as u8) =>
                {
                    result_path = scratch.path(state);
                    path_by_move = true;
                }
                _ => {}
            }
            continue;
        }
        for &e in adj.of(n) {
            let edge = &edges[e as usize];
            if let Some((next, next_move)) = step_param(level, by_move, edge)
                && scratch.reach(param_state(edge.dst, next, next_move), state as u32, e)
            {
                scratch.queue.push_back((edge.dst, next, next_move));
            }
        }
    }
    let Followed { reach, moved, .. } = follow_moves(graph, edges, adj, start, scratch);
    ParamVerdict {
        local: own,
        tag,
        result_path,
        heap_path,
        result_by_borrow: tag.to_result.is_some() && !result_by_move,
        owned: AllocLike { reach, moved },
    }
}

/// Where a value goes when only its moves are followed.
struct Followed {
    reach: Reach,
    path: Vec<usize>,
    moved: bool,
    typed: Option<(TypeAt, Vec<usize>)>,
}

impl Followed {
    /// How far the value goes: the heap, the caller's memory, the return slot, nowhere.
    fn rank(&self) -> u8 {
        match self.reach {
            Reach::Heap => 3,
            Reach::Caller(_) => 2,
            Reach::Return { .. } => 1,
            Reach::Nowhere => 0,
        }
    }
}

/// Follows a value from `start`, by moves only, to everything it reaches.
///
/// A `?` sends only the error side of its operand to the return slot. The graph does not tell
/// the sides apart, so a value that reaches the same place with or without going through a
/// `?` is said to go the way without it: `let b = wrap(Box::new(x))?; Ok(b)` returns the box
/// in the `Ok`, not as the error.
fn follow_moves(
    graph: &Graph,
    edges: &[Edge],
    adj: &Adjacency,
    start: NodeId,
    scratch: &mut Scratch,
) -> Followed {
    let (without, skipped) = follow_moves_by(graph, edges, adj, start, scratch, false);
    // Nothing goes further than the heap.
    if !skipped || without.rank() == 3 {
        return without;
    }
    let (with, _) = follow_moves_by(graph, edges, adj, start, scratch, true);
    if with.rank() > without.rank() {
        with
    } else {
        Followed {
            moved: with.moved,
            typed: without.typed.or(with.typed),
            ..without
        }
    }
}

/// [`follow_moves`] over every move, or over those that do not go through a `?`; and
/// whether a `?` was skipped.
fn follow_moves_by(
    graph: &Graph,
    edges: &[Edge],
    adj: &Adjacency,
    start: NodeId,
    scratch: &mut Scratch,
    through_try: bool,
) -> (Followed, bool) {
    let mut skipped = false;
    scratch.start(graph.nodes.len());
    scratch.reach(start.0 as usize, u32::MAX, u32::MAX);
    scratch.queue.push_back((start, 0, true));
    let mut best: Option<(u8, NodeId)> = None;
    let mut moved = false;
    let mut typed: Option<(TypeAt, usize)> = None;
    while let Some((n, _, _)) = scratch.queue.pop_front() {
        let node = graph.node(n);
        if n != start && is_sink(node) {
            let rank = match node {
                Node::Heap | Node::Unknown => 3,
                Node::Pointee(_) => 2,
                _ => 1,
            };
            if best.is_none_or(|(r, _)| rank > r) {
                best = Some((rank, n));
            }
            continue;
        }
        for &e in adj.of(n) {
            let edge = &edges[e as usize];
            if edge.carry != Carry::Move || edge.derefs != 0 {
                continue;
            }
            if edge.why == Why::Try && !through_try {
                skipped = true;
                continue;
            }
            if !matches!(
                edge.why,
                Why::Assign | Why::Branch | Why::Break | Why::Return
            ) {
                moved = true;
            }
            if typed.is_none()
                && let Some(ty) = edge.ty
            {
                typed = Some((graph.types[ty as usize], e as usize));
            }
            if scratch.reach(edge.dst.0 as usize, n.0, e) {
                scratch.queue.push_back((edge.dst, 0, true));
            }
        }
    }
    let typed = typed.map(|(ty, e)| {
        let mut path = scratch.path(edges[e].src.0 as usize);
        path.push(e);
        (ty, path)
    });
    let Some((_, n)) = best else {
        let nowhere = Followed {
            reach: Reach::Nowhere,
            path: Vec::new(),
            moved,
            typed,
        };
        return (nowhere, skipped);
    };
    let path = scratch.path(n.0 as usize);
    let reach = match graph.node(n) {
        Node::Heap | Node::Unknown => Reach::Heap,
        Node::Pointee(l) => Reach::Caller(l),
        _ => Reach::Return {
            direct: path.iter().all(|&e| {
                matches!(
                    edges[e].why,
                    Why::Assign
                        | Why::Branch
                        | Why::Break
                        | Why::Return
                        | Why::CallParameter
                        | Why::CallResult
                )
            }),
        },
    };
    let followed = Followed {
        reach,
        path,
        moved,
        typed,
    };
    (followed, skipped)
}

/// Follows a closure by moves: into a box, to the heap, to the return slot. A closure given to
/// code we cannot see is only called there: unlike a box, it is a value of its own type, which
/// that code takes by a generic parameter without allocating.
fn follow_closure(
    graph: &Graph,
    edges: &[Edge],
    adj: &Adjacency,
    site: &ClosureSite,
    scratch: &mut Scratch,
) -> ClosureVerdict {
    scratch.start(graph.nodes.len());
    scratch.reach(site.node.0 as usize, u32::MAX, u32::MAX);
    scratch.queue.push_back((site.node, 0, true));
    let mut best: Option<(u8, NodeId, ClosureEscape)> = None;
    while let Some((n, _, _)) = scratch.queue.pop_front() {
        let found = match graph.node(n) {
            _ if n == site.node => None,
            Node::Alloc(_) => graph.allocs.iter().position(|a| a.node == n).map(|i| {
                // The closure is the value boxed only when it reached the allocation as its
                // argument, through plain moves; otherwise the box holds something that
                // holds the closure.
                let path = scratch.path(n.0 as usize);
                let direct = path.split_last().is_some_and(|(last, before)| {
                    edges[*last].why == Why::Element
                        && before.iter().all(|&e| {
                            matches!(edges[e].why, Why::Assign | Why::Branch | Why::Break)
                        })
                });
                if direct {
                    (5, ClosureEscape::Boxed(i))
                } else {
                    (4, ClosureEscape::Within(i))
                }
            }),
            Node::Heap => {
                let (_, by) = scratch.pred[n.0 as usize];
                match edges.get(by as usize) {
                    Some(e) if e.why == Why::Spawn => {
                        Some((3, ClosureEscape::Spawned(by as usize)))
                    }
                    _ => Some((3, ClosureEscape::Heap)),
                }
            }
            Node::Return | Node::Pointee(_) => Some((1, ClosureEscape::NoHeap)),
            Node::Unknown => Some((0, ClosureEscape::Nowhere)),
            _ => None,
        };
        if let Some((rank, escape)) = found {
            if best.is_none_or(|(r, _, _)| rank > r) {
                best = Some((rank, n, escape));
            }
            continue;
        }
        for &e in adj.of(n) {
            let edge = &edges[e as usize];
            // What a collection collects is what the iterator yields, never an adaptor's
            // closure; a closure converted (`as fn()`) is a function pointer.
            if edge.carry != Carry::Move
                || edge.derefs != 0
                || matches!(edge.why, Why::Collected | Why::Cast)
            {
                continue;
            }
            if scratch.reach(edge.dst.0 as usize, n.0, e) {
                scratch.queue.push_back((edge.dst, 0, true));
            }
        }
    }
    match best {
        Some((rank, n, escape)) if rank > 0 => ClosureVerdict {
            site: *site,
            escape,
            path: scratch.path(n.0 as usize),
        },
        _ => ClosureVerdict {
            site: *site,
            escape: ClosureEscape::Nowhere,
            path: Vec::new(),
        },
    }
}

/// Final verdicts for one body, with the crate's tags. The graph's edges move into the list
/// the verdicts' paths index, with those its calls got from their callees.
pub fn verdicts(
    graph: &mut Graph,
    tags: &Tags,
) -> (
    Vec<AllocVerdict>,
    Vec<ClosureVerdict>,
    Vec<ParamVerdict>,
    Vec<Edge>,
) {
    let mut edges = std::mem::take(&mut graph.edges);
    for call in 0..graph.calls.len() {
        for arg in 0..graph.calls[call].args.len() {
            call_edges(graph, tags, call, arg, |e| edges.push(e));
        }
    }
    let adj = Adjacency::new(graph.nodes.len(), &edges);
    let mut scratch = Scratch::default();
    let allocs = graph
        .allocs
        .iter()
        .map(|site| {
            let Followed {
                reach,
                path,
                moved,
                typed,
            } = follow_moves(graph, &edges, &adj, site.node, &mut scratch);
            AllocVerdict {
                site: *site,
                reach,
                path,
                moved,
                typed,
            }
        })
        .collect();
    let closures = graph
        .closures
        .iter()
        .map(|site| follow_closure(graph, &edges, &adj, site, &mut scratch))
        .collect();
    let params = graph
        .params
        .iter()
        .map(|&(local, node)| {
            let mut v = param_verdict(
                graph,
                &edges,
                &adj,
                node,
                graph.is_ref_param(node),
                &mut scratch,
            );
            v.local = local;
            // What the signature rules out, as the callers' tags do.
            mask_by_signature(graph, node, &mut v.tag);
            if !v.tag.to_heap && !v.tag.content_to_heap {
                v.heap_path.clear();
            }
            if v.tag.to_result.is_none() {
                v.result_path.clear();
                v.result_by_borrow = false;
            }
            v
        })
        .collect();
    (allocs, closures, params, edges)
}
