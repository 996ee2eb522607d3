//! Names bound twice in one scope, under opposite `cfg`s: every definition a path may name.

use super::{CrateIndex, Def, Ns, Resolved, ScopeRef, canonical};
use crate::ir::PathId;
use crate::sym::Sym;

impl CrateIndex<'_> {
    /// Every definition a path may name, for code declared twice under opposite `cfg`s: the
    /// one [`Self::resolve`] gives first, then those reached through the alternatives of a
    /// scope (see `Scope::alts`). At most four.
    pub fn resolve_all(&self, scope: ScopeRef, path: PathId) -> Vec<Resolved> {
        let Some(first) = self.resolve(scope, path) else {
            return Vec::new();
        };
        let mut out = vec![first];
        if !self.has_alts {
            return out;
        }
        let Some(ir) = self.loaded.ir(scope.file) else {
            return out;
        };
        let p = ir.path(path);
        if p.qself.is_some() || p.global {
            return out;
        }
        let names: Vec<Sym> = ir.segment_names(p).collect();
        let Some((&first_name, rest)) = names.split_first() else {
            return out;
        };
        let in_body = {
            let mut body = scope.body;
            let mut found = false;
            while let Some(b) = body {
                if let Some((s, parent)) = self.body_scopes.get(&(scope.file, b)) {
                    found |=
                        s.types.contains_key(&first_name) || s.values.contains_key(&first_name);
                    body = *parent;
                } else {
                    body = self.parent_body(scope.file, b);
                }
            }
            found
        };
        if in_body || ["crate", "self", "super"].iter().any(|k| first_name.is(k)) {
            return out;
        }
        let ns = if rest.is_empty() { Ns::Value } else { Ns::Type };
        let starts = self.modules[scope.module].alts_of(first_name, ns, rest.is_empty());
        for def in starts {
            self.walk_alts(def, rest, &mut out);
        }
        out
    }

    /// Follows `rest` from `def` through modules, taking every alternative on the way.
    fn walk_alts(&self, mut def: Def, rest: &[Sym], out: &mut Vec<Resolved>) {
        for (i, &name) in rest.iter().enumerate() {
            if out.len() >= 4 {
                return;
            }
            match def {
                Def::External(path) => {
                    let mut path = path.into_vec();
                    path.extend(&rest[i..]);
                    def = Def::External(canonical(&path));
                    break;
                }
                Def::Item(..) => {
                    let found = Resolved {
                        def,
                        rest: rest.len() - i,
                        via: None,
                    };
                    if !out
                        .iter()
                        .any(|r| r.def == found.def && r.rest == found.rest)
                    {
                        out.push(found);
                    }
                    return;
                }
                Def::Module(m) => {
                    let last = i + 1 == rest.len();
                    let ns = if last { Ns::Value } else { Ns::Type };
                    let alts = self.modules[m].alts_of(name, ns, last);
                    for alt in alts {
                        self.walk_alts(alt, &rest[i + 1..], out);
                    }
                    let found = self.lookup_in_module(m, name, ns, 0).or_else(|| {
                        last.then(|| self.lookup_in_module(m, name, Ns::Type, 0))
                            .flatten()
                    });
                    match found {
                        Some((d, _)) => def = d,
                        None => return,
                    }
                }
            }
        }
        if !out.iter().any(|r| r.def == def && r.rest == 0) && out.len() < 4 {
            out.push(Resolved {
                def,
                rest: 0,
                via: None,
            });
        }
    }
}
