//! Solving the graphs: parameter tags over the call graph, then a verdict for every allocation
//! site and parameter.

use std::collections::{HashMap, VecDeque};

use super::{AllocSite, Carry, Edge, Graph, Node, NodeId, Tag, TypeAt, Why};
use crate::analyze::CrateCx;
use crate::index::{BodyRef, FnKey};
use crate::ir::{ItemKind, LocalId};

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

type Tags = HashMap<FnKey, Vec<Tag>>;

fn fn_key(cx: &CrateCx<'_>, at: &BodyRef) -> Option<FnKey> {
    let ir = cx.loaded.ir(at.file)?;
    matches!(ir.item(at.owner).kind, ItemKind::Fn(_)).then_some((at.file, at.owner))
}

/// Parameter tags of every crate function with a body, callees before callers, to a fixpoint
/// within each recursive cycle.
pub fn summaries(cx: &CrateCx<'_>, graphs: &[(BodyRef, Graph)]) -> Tags {
    let mut by_key: HashMap<FnKey, usize> = HashMap::new();
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
    let mut tags: Tags = HashMap::new();
    for scc in sccs(&callees) {
        for _round in 0..16 {
            let mut changed = false;
            for &i in &scc {
                let (at, graph) = &graphs[i];
                let Some(key) = fn_key(cx, at) else { continue };
                let edges = all_edges(graph, &tags);
                let adj = adjacency(graph, &edges);
                let new: Vec<Tag> = graph
                    .params
                    .iter()
                    .map(|&(_, node)| {
                        param_search_in(graph, &edges, &adj, node, graph.is_ref_param(node)).tag
                    })
                    .collect();
                if tags.get(&key) != Some(&new) {
                    tags.insert(key, new);
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

/// The edges of a graph, plus those its calls get from their callees' tags.
fn all_edges(graph: &Graph, tags: &Tags) -> Vec<Edge> {
    let mut edges = graph.edges.clone();
    for call in &graph.calls {
        let callee = tags.get(&call.callee);
        for (i, slot) in call.args.iter().enumerate() {
            let Some(slot) = *slot else { continue };
            let step = super::Step::Expr(call.at);
            let mut push = |dst: NodeId, derefs: i8, carry: Carry, why: Why| {
                edges.push(Edge {
                    src: slot,
                    dst,
                    derefs,
                    carry,
                    why,
                    step,
                    ty: None,
                });
            };
            match callee.and_then(|t| t.get(i)) {
                Some(tag) => {
                    if tag.to_heap {
                        push(graph.heap, 0, Carry::Move, Why::CallParameter);
                    }
                    if tag.content_to_heap {
                        push(graph.heap, 1, Carry::Move, Why::CallParameter);
                    }
                    if let Some(level) = tag.to_result {
                        push(call.result, level as i8, Carry::Move, Why::CallResult);
                    }
                }
                // No tags (no body, or not analyzed): code we cannot see.
                None => {
                    push(graph.unknown, 0, Carry::Move, Why::CallParameter);
                    push(call.result, 0, Carry::Borrow, Why::CallResult);
                }
            }
        }
    }
    edges
}

fn adjacency(graph: &Graph, edges: &[Edge]) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); graph.nodes.len()];
    for (i, e) in edges.iter().enumerate() {
        out[e.src.0 as usize].push(i);
    }
    out
}

fn is_sink(node: Node) -> bool {
    matches!(
        node,
        Node::Heap | Node::Unknown | Node::Return | Node::Pointee(_)
    )
}

/// Where a value goes when only its moves are followed.
struct Followed {
    reach: Reach,
    path: Vec<usize>,
    moved: bool,
    typed: Option<(TypeAt, Vec<usize>)>,
}

/// Follows a value from `start`, by moves only, to everything it reaches.
fn follow_moves(graph: &Graph, edges: &[Edge], adj: &[Vec<usize>], start: NodeId) -> Followed {
    let mut pred: HashMap<NodeId, usize> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    let mut seen = vec![false; graph.nodes.len()];
    seen[start.0 as usize] = true;
    let mut best: Option<(u8, NodeId)> = None;
    let mut moved = false;
    let mut typed: Option<(TypeAt, usize)> = None;
    while let Some(n) = queue.pop_front() {
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
        for &e in &adj[n.0 as usize] {
            let edge = &edges[e];
            if edge.carry != Carry::Move || edge.derefs != 0 {
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
                typed = Some((ty, e));
            }
            let d = edge.dst.0 as usize;
            if !seen[d] {
                seen[d] = true;
                pred.insert(edge.dst, e);
                queue.push_back(edge.dst);
            }
        }
    }
    let path_to = |mut n: NodeId| {
        let mut path = Vec::new();
        while let Some(&e) = pred.get(&n) {
            path.push(e);
            n = edges[e].src;
        }
        path.reverse();
        path
    };
    let typed = typed.map(|(ty, e)| {
        let mut path = path_to(edges[e].src);
        path.push(e);
        (ty, path)
    });
    match best {
        None => Followed {
            reach: Reach::Nowhere,
            path: Vec::new(),
            moved,
            typed,
        },
        Some((_, n)) => {
            let path = path_to(n);
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
            Followed {
                reach,
                path,
                moved,
                typed,
            }
        }
    }
}

/// `by_ref`: the parameter is a reference, which code we cannot see cannot keep.
fn param_search_in(
    graph: &Graph,
    edges: &[Edge],
    adj: &[Vec<usize>],
    start: NodeId,
    by_ref: bool,
) -> ParamVerdict {
    // States: (node, level, moved-only). Levels are clamped to -1..=2.
    let key = |n: NodeId, level: i8, by_move: bool| {
        (n.0 as usize) * 8 + ((level + 1) as usize) * 2 + by_move as usize
    };
    let mut seen = vec![false; graph.nodes.len() * 8];
    let mut pred: HashMap<usize, (usize, usize)> = HashMap::new();
    let mut queue = VecDeque::from([(start, 0i8, true)]);
    seen[key(start, 0, true)] = true;
    let mut tag = Tag::default();
    let mut result_path = Vec::new();
    let mut heap_path = Vec::new();
    let mut result_by_move = false;
    let own = match graph.node(start) {
        Node::Local(l) => Some(l),
        _ => None,
    };
    let path_to = |pred: &HashMap<usize, (usize, usize)>, mut k: usize| {
        let mut path = Vec::new();
        while let Some(&(prev, e)) = pred.get(&k) {
            path.push(e);
            k = prev;
        }
        path.reverse();
        path
    };
    while let Some((n, level, by_move)) = queue.pop_front() {
        let node = graph.node(n);
        let k = key(n, level, by_move);
        if n != start && is_sink(node) {
            match node {
                Node::Return if level >= 0 => {
                    let level = level as u8;
                    if tag.to_result.is_none_or(|l| level < l) {
                        tag.to_result = Some(level);
                        result_path = path_to(&pred, k);
                    }
                    result_by_move |= by_move;
                }
                Node::Unknown if by_ref && level == 0 => {}
                Node::Heap | Node::Unknown | Node::Pointee(_)
                    if by_move && Some(node) != own.map(Node::Pointee) =>
                {
                    if level == 0 && !tag.to_heap {
                        tag.to_heap = true;
                        heap_path = path_to(&pred, k);
                    } else if level == 1 && !tag.content_to_heap {
                        tag.content_to_heap = true;
                        if heap_path.is_empty() {
                            heap_path = path_to(&pred, k);
                        }
                    }
                }
                _ => {}
            }
            continue;
        }
        for &e in &adj[n.0 as usize] {
            let edge = &edges[e];
            let borrow = edge.carry == Carry::Borrow;
            let next_level = if borrow {
                level + edge.derefs.max(0)
            } else {
                level + edge.derefs
            };
            if !(-1..=2).contains(&next_level) {
                continue;
            }
            let next_move = by_move && !borrow;
            let nk = key(edge.dst, next_level, next_move);
            if !seen[nk] {
                seen[nk] = true;
                pred.insert(nk, (k, e));
                queue.push_back((edge.dst, next_level, next_move));
            }
        }
    }
    let Followed { reach, moved, .. } = follow_moves(graph, edges, adj, start);
    ParamVerdict {
        local: own,
        tag,
        result_path,
        heap_path,
        result_by_borrow: tag.to_result.is_some() && !result_by_move,
        owned: AllocLike { reach, moved },
    }
}

/// Final verdicts for one body, with the crate's tags, and the edges they index.
pub fn verdicts(graph: &Graph, tags: &Tags) -> (Vec<AllocVerdict>, Vec<ParamVerdict>, Vec<Edge>) {
    let edges = all_edges(graph, tags);
    let adj = adjacency(graph, &edges);
    let allocs = graph
        .allocs
        .iter()
        .map(|site| {
            let Followed {
                reach,
                path,
                moved,
                typed,
            } = follow_moves(graph, &edges, &adj, site.node);
            AllocVerdict {
                site: *site,
                reach,
                path,
                moved,
                typed,
            }
        })
        .collect();
    let params = graph
        .params
        .iter()
        .map(|&(local, node)| {
            let mut v = param_search_in(graph, &edges, &adj, node, graph.is_ref_param(node));
            v.local = local;
            v
        })
        .collect();
    (allocs, params, edges)
}
