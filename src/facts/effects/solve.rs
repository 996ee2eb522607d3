//! The workspace step: once every crate is summarized, link the calls and check each
//! contracted function over everything it reaches.
//!
//! From a contracted function, a breadth-first search follows calls through the workspace.
//! Each function is entered once, by a shortest chain of calls; every effect its contract
//! forbids, and every call the tool cannot follow, is a [`Violation`] with that chain. A
//! callee with a contract of its own, as strong or stronger, is not entered: it is checked on
//! its own (Clang's rule for callees declared with the attribute). A trait method's contract
//! holds for every impl of the method, and a call through the trait relies on it.

use std::collections::VecDeque;

use super::resolve::{Linked, Reached};
use super::{Callee, ContractGlobs, CrateEffects, Effect, EffectKind, Op, Owner, Unknown};
use crate::diagnostic::FileId;
use crate::index::FnKey;
use crate::ir::{BodyId, Contract, ContractKind, ExprId, Span};
use crate::load::Loaded;
use crate::sym::{FxHashMap, Sym};

/// One crate of the run, as the workspace step sees it.
pub struct Crate<'a> {
    pub effects: CrateEffects,
    /// The name paths use for it: a library's crate name (other crates are never named).
    pub name: Sym,
    pub is_lib: bool,
    /// Its package's `[contracts]`.
    pub globs: &'a ContractGlobs,
}

/// The outcome of the check: one verdict per contracted function.
#[derive(Debug, Default)]
pub struct Verdicts {
    pub verdicts: Vec<Verdict>,
    /// `// escape: no_alloc` written on no function.
    pub stray: Vec<(FileId, Span, ContractKind)>,
}

/// A contracted function and what breaks its contract.
#[derive(Debug)]
pub struct Verdict {
    pub key: FnKey,
    /// How messages name it: `render`, `Engine::render`.
    pub name: String,
    pub contract: Contract,
    pub violations: Vec<Violation>,
}

/// One forbidden effect the contracted function reaches, and how.
#[derive(Debug)]
pub struct Violation {
    pub effect: Effect,
    /// The chain of sites, from the call (or expression) in the contracted function down to
    /// the one that does it.
    pub steps: Vec<Step>,
}

/// A site on a violation's chain.
#[derive(Debug, Clone)]
pub struct Step {
    pub file: FileId,
    pub body: Option<BodyId>,
    pub span: Span,
    pub expr: Option<ExprId>,
    /// The function the site is in.
    pub function: String,
    /// For a call, the function it calls (on the chain).
    pub callee: Option<String>,
}

/// What a call site leads to.
#[derive(Clone, Debug)]
enum Edge {
    /// A workspace function.
    To(usize),
    /// Known, and fine.
    Fine,
    /// Assumed by the configuration to keep a contract of this kind.
    Assumed(ContractKind),
    /// An effect (or something the tool cannot see).
    Does(Effect),
}

/// Checks every contracted function of the workspace.
pub fn solve(loaded: &Loaded, crates: Vec<Crate<'_>>) -> Verdicts {
    let mut stray = Vec::new();
    let mut effects = Vec::with_capacity(crates.len());
    let mut meta = Vec::with_capacity(crates.len());
    for c in crates {
        stray.extend(c.effects.stray_contracts.iter().copied());
        meta.push((c.name, c.is_lib, c.globs));
        effects.push(c.effects);
    }
    let libs: Vec<(Sym, usize)> = meta
        .iter()
        .enumerate()
        .filter(|(_, (_, lib, _))| *lib)
        .map(|(i, (name, _, _))| (*name, i))
        .collect();
    let linked = Linked::new(loaded, &effects, &libs);
    let solver = Solver {
        linked: &linked,
        meta: &meta,
    };
    let contracts = solver.contracts();
    let mut verdicts = Vec::new();
    for (i, contract) in contracts.iter().enumerate() {
        let Some(contract) = contract else { continue };
        let f = linked.fns[i].1;
        if f.body.is_none() {
            continue;
        }
        verdicts.push(Verdict {
            key: f.key,
            name: solver.display(i),
            contract: *contract,
            violations: solver.check(i, *contract, &contracts),
        });
    }
    Verdicts { verdicts, stray }
}

struct Solver<'s, 'l> {
    linked: &'s Linked<'l>,
    /// Each crate's name, whether it is a library, and its contracts' settings.
    meta: &'s [(Sym, bool, &'s ContractGlobs)],
}

impl Solver<'_, '_> {
    /// How messages name a function: `mix`, or `Mixer::mix` for a method.
    fn display(&self, i: usize) -> String {
        let f = self.linked.fns[i].1;
        let n = match f.owner {
            Owner::Free => 1,
            _ => 2,
        };
        let start = f.path.len().saturating_sub(n);
        crate::index::path_string(&f.path[start..])
    }

    /// A function's paths as the configuration matches them: with its crate's name, and with
    /// `crate`.
    fn keys(&self, i: usize) -> Vec<String> {
        let (c, f) = self.linked.fns[i];
        let name = self.meta[c].0;
        let key = |first: &str| {
            crate::paths::item_path_key(
                std::iter::once(first).chain(f.path.iter().map(|s| s.as_str())),
            )
        };
        vec![key(name.as_str()), key("crate")]
    }

    /// Each function's contract: written on it, given by the configuration, or inherited
    /// from the trait method it implements. The strongest wins.
    fn contracts(&self) -> Vec<Option<Contract>> {
        let linked = self.linked;
        let rank = |c: &Contract| (c.kind, !c.allow_panic);
        let stronger = |a: Option<Contract>, b: Option<Contract>| match (a, b) {
            (Some(a), Some(b)) => Some(if rank(&b) > rank(&a) { b } else { a }),
            (a, b) => a.or(b),
        };
        let mut out: Vec<Option<Contract>> = (0..linked.fns.len())
            .map(|i| {
                let (c, f) = linked.fns[i];
                stronger(f.contract, self.meta[c].2.contract(&self.keys(i)))
            })
            .collect();
        for i in 0..linked.fns.len() {
            let f = linked.fns[i].1;
            if let Owner::TraitImpl {
                trait_: Some(t), ..
            } = &f.owner
                && let Some(t) = linked.type_key(t)
                && let Some(&name) = f.path.last()
                && let Some(decl) = linked.trait_decl(t, name)
            {
                out[i] = stronger(out[i], out[decl]);
            }
        }
        out
    }

    /// Whether an effect breaks a contract.
    fn breaks(kind: EffectKind, contract: Contract) -> bool {
        match kind {
            EffectKind::Panics => !contract.allow_panic,
            EffectKind::Blocks => contract.kind == ContractKind::NoBlock,
            _ => true,
        }
    }

    /// Whether a callee's own contract covers what the caller's needs: it is checked on its
    /// own, and need not be entered.
    fn covers(callee: Option<Contract>, caller: Contract) -> bool {
        callee.is_some_and(|c| c.kind >= caller.kind && (!c.allow_panic || caller.allow_panic))
    }

    /// The violations of one contracted function.
    fn check(
        &self,
        start: usize,
        contract: Contract,
        contracts: &[Option<Contract>],
    ) -> Vec<Violation> {
        let linked = self.linked;
        // How each function was reached: its caller and the call site.
        let mut parent: FxHashMap<usize, (usize, usize)> = FxHashMap::default();
        let mut queue = VecDeque::from([start]);
        let mut seen = vec![false; linked.fns.len()];
        seen[start] = true;
        let mut out = Vec::new();
        while let Some(at) = queue.pop_front() {
            let (c, f) = linked.fns[at];
            for (s, site) in f.sites.iter().enumerate() {
                let edges = match &site.op {
                    Op::Effect(e) => vec![Edge::Does(*e)],
                    Op::Call(callee) => self.edges(c, callee, contracts, contract),
                };
                let mut broken = false;
                for edge in edges {
                    match edge {
                        Edge::To(g) => {
                            if g == at || seen[g] || Self::covers(contracts[g], contract) {
                                continue;
                            }
                            seen[g] = true;
                            parent.insert(g, (at, s));
                            queue.push_back(g);
                        }
                        Edge::Fine => {}
                        Edge::Assumed(kind) if kind >= contract.kind => {}
                        Edge::Assumed(_) => {
                            if !broken {
                                broken = true;
                                let what = self.callee_text(site_callee(&site.op));
                                out.push(self.violation(
                                    &parent,
                                    at,
                                    s,
                                    Effect {
                                        kind: EffectKind::Unknown(Unknown::OtherCrate),
                                        what: Sym::new(&what),
                                    },
                                ));
                            }
                        }
                        Edge::Does(e) => {
                            // One violation a site: the first its contract forbids.
                            if !broken
                                && Self::breaks(e.kind, contract)
                                && !self.assumed(c, e, contract)
                            {
                                broken = true;
                                out.push(self.violation(&parent, at, s, e));
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// Whether the configuration of crate `c` assumes what a call the tool cannot see does
    /// (`std::env::var`, `smallvec::SmallVec::push`): written down as a path.
    fn assumed(&self, c: usize, e: Effect, contract: Contract) -> bool {
        let EffectKind::Unknown(Unknown::NotInTable | Unknown::OtherCrate) = e.kind else {
            return false;
        };
        let key = crate::paths::item_path_key(e.what.as_str().split("::"));
        self.meta[c]
            .2
            .assumed(&[key])
            .is_some_and(|kind| kind >= contract.kind)
    }

    /// A violation at site `s` of function `at`, with the chain of calls that leads there.
    fn violation(
        &self,
        parent: &FxHashMap<usize, (usize, usize)>,
        at: usize,
        s: usize,
        effect: Effect,
    ) -> Violation {
        let linked = self.linked;
        let step = |f: usize, s: usize, callee: Option<String>| {
            let fx = linked.fns[f].1;
            let site = &fx.sites[s];
            Step {
                file: fx.key.0,
                body: fx.body,
                span: site.span,
                expr: site.expr,
                function: self.display(f),
                callee,
            }
        };
        let mut steps = vec![step(at, s, None)];
        let mut here = at;
        while let Some(&(caller, site)) = parent.get(&here) {
            steps.push(step(caller, site, Some(self.display(here))));
            here = caller;
        }
        steps.reverse();
        Violation { effect, steps }
    }

    /// What a call site may lead to, for a caller in crate `c`.
    fn edges(
        &self,
        c: usize,
        callee: &Callee,
        contracts: &[Option<Contract>],
        contract: Contract,
    ) -> Vec<Edge> {
        let linked = self.linked;
        let globs = self.meta[c].2;
        let assumed = |segments: &[&str]| globs.assumed(&[crate::paths::item_path_key(segments)]);
        let unknown = |why: Unknown, what: String| {
            vec![Edge::Does(Effect {
                kind: EffectKind::Unknown(why),
                what: Sym::new(&what),
            })]
        };
        let to_fns = |fns: Vec<usize>| -> Vec<Edge> {
            fns.into_iter()
                .map(|g| match globs.assumed(&self.keys(g)) {
                    Some(kind) => Edge::Assumed(kind),
                    None => Edge::To(g),
                })
                .collect()
        };
        match callee {
            Callee::Fn(key) => match linked.by_key.get(key) {
                Some(&g) => to_fns(vec![g]),
                None => unknown(Unknown::Unresolved, String::new()),
            },
            Callee::Path(path) => {
                let text = crate::index::path_string(path);
                let segments: Vec<&str> = path.iter().map(|s| s.as_str()).collect();
                if let Some(kind) = assumed(&segments) {
                    return vec![Edge::Assumed(kind)];
                }
                if !linked.is_workspace_path(path) {
                    return unknown(Unknown::OtherCrate, text);
                }
                match linked.path(path, 0) {
                    Some(Reached::Fns(fns)) => to_fns(fns),
                    Some(Reached::Constructor | Reached::Type(_)) => vec![Edge::Fine],
                    _ => unknown(Unknown::Unresolved, text),
                }
            }
            Callee::Method { ty, name } => {
                let mut segments: Vec<&str> = ty.iter().map(|s| s.as_str()).collect();
                segments.push(name.as_str());
                let text = segments.join("::");
                if let Some(kind) = assumed(&segments) {
                    return vec![Edge::Assumed(kind)];
                }
                if !linked.is_workspace_path(ty) {
                    return unknown(Unknown::OtherCrate, text);
                }
                match linked.path(ty, 0) {
                    Some(Reached::Type(t)) => {
                        let fns = linked.methods_of(t, *name);
                        if fns.is_empty() {
                            unknown(Unknown::Method, text)
                        } else {
                            to_fns(fns)
                        }
                    }
                    _ => unknown(Unknown::Unresolved, text),
                }
            }
            Callee::Trait { trait_, name } => {
                let Some(t) = linked.type_key(trait_) else {
                    let text = match trait_ {
                        super::TypeRef::Path(p) => {
                            format!("{}::{name}", crate::index::path_string(p))
                        }
                        super::TypeRef::Local(_) => name.to_string(),
                    };
                    let segments: Vec<&str> = text.split("::").collect();
                    if let Some(kind) = assumed(&segments) {
                        return vec![Edge::Assumed(kind)];
                    }
                    return unknown(Unknown::Generic, text);
                };
                // A call through the trait relies on the trait method's contract, which every
                // impl keeps.
                let decl = linked.trait_decl(t, *name);
                if decl.is_some_and(|d| Self::covers(contracts[d], contract)) {
                    return vec![Edge::Fine];
                }
                let fns = linked.trait_methods(t, *name);
                if fns.is_empty() {
                    let text = decl.map_or_else(|| name.to_string(), |d| self.display(d));
                    return unknown(Unknown::NoImpl, text);
                }
                to_fns(fns)
            }
            Callee::ByName {
                name,
                plain,
                std,
                panics,
            } => {
                let fns = linked.methods_named(*name).to_vec();
                let mut edges = to_fns(fns);
                let what = Sym::new(name.as_str());
                if edges.is_empty() && *plain {
                    return vec![Edge::Fine];
                }
                if edges.is_empty() && *panics {
                    return vec![Edge::Does(Effect {
                        kind: EffectKind::Panics,
                        what,
                    })];
                }
                if edges.is_empty() || std.is_some() {
                    edges.push(Edge::Does(Effect {
                        kind: EffectKind::Unknown(Unknown::Receiver(*std)),
                        what,
                    }));
                }
                edges
            }
        }
    }

    /// A call's target as text, for a message.
    fn callee_text(&self, callee: Option<&Callee>) -> String {
        match callee {
            Some(Callee::Fn(key)) => self
                .linked
                .by_key
                .get(key)
                .map_or_else(String::new, |&g| self.display(g)),
            Some(Callee::Path(path)) => crate::index::path_string(path),
            Some(Callee::Method { ty, name }) => {
                format!("{}::{name}", crate::index::path_string(ty))
            }
            Some(Callee::Trait { name, .. }) | Some(Callee::ByName { name, .. }) => {
                name.to_string()
            }
            None => String::new(),
        }
    }
}

fn site_callee(op: &Op) -> Option<&Callee> {
    match op {
        Op::Call(c) => Some(c),
        Op::Effect(_) => None,
    }
}
