//! The per-crate step: each function's [`FnEffects`], read from its body while the crate's
//! index is alive, and the crate's module table.

use super::sites::Walker;
use super::{CrateEffects, FnEffects, ModuleNames, Named, Owner, TypeKey, TypeRef};
use crate::facts::CrateCx;
use crate::index::{Container, Def, FnKey};
use crate::ir::directive::{self, DirectiveKind};
use crate::ir::*;
use crate::sym::{FxHashMap, Sym};

/// The crate's functions' effects and its module table.
pub fn summarize(cx: &CrateCx<'_>) -> CrateEffects {
    let info = CrateInfo::new(cx);
    let mut fns = Vec::new();
    for (key, module, container) in cx.index.functions() {
        if !cx.index.owns(key.0) {
            continue;
        }
        fns.push(info.function(key, module, container));
    }
    let modules = (0..cx.index.tree.modules.len())
        .map(|m| {
            let (names, globs) = cx.index.module_names(m);
            ModuleNames {
                names: names
                    .into_iter()
                    .filter_map(|(name, def)| Some((name, named(def)?)))
                    .collect(),
                globs: globs.into_iter().filter_map(named).collect(),
            }
        })
        .collect();
    CrateEffects {
        krate: cx.index.krate,
        fns,
        modules,
        stray_contracts: info.stray,
    }
}

fn named(def: Def) -> Option<Named> {
    Some(match def {
        Def::Module(m) => Named::Module(m),
        Def::Item(file, item) => Named::Item(file, item),
        Def::External(path) if !path.first().is_some_and(|s| s.is("{unresolved}")) => {
            Named::External(path)
        }
        Def::External(_) => return None,
    })
}

/// What the functions of a crate share: their contracts, and the methods each type gets from
/// trait impls and trait defaults.
pub(super) struct CrateInfo<'c, 'a> {
    pub(super) cx: &'c CrateCx<'a>,
    contracts: FxHashMap<FnKey, Contract>,
    /// Contract comments on no function, with where they are written.
    stray: Vec<(crate::diagnostic::FileId, Span, ContractKind)>,
    /// Methods of trait impls, by the crate type they are for.
    impl_methods: FxHashMap<TypeKey, Vec<(Sym, FnKey)>>,
    /// The traits each crate type implements.
    pub(super) impl_traits: FxHashMap<TypeKey, Vec<TypeRef>>,
    /// The methods each crate trait declares (with a default body or none).
    trait_methods: FxHashMap<TypeKey, Vec<(Sym, FnKey)>>,
    /// What each function belongs to.
    pub(super) owners: FxHashMap<FnKey, Owner>,
}

impl<'c, 'a> CrateInfo<'c, 'a> {
    fn new(cx: &'c CrateCx<'a>) -> CrateInfo<'c, 'a> {
        let mut info = CrateInfo {
            cx,
            contracts: FxHashMap::default(),
            stray: Vec::new(),
            impl_methods: FxHashMap::default(),
            impl_traits: FxHashMap::default(),
            trait_methods: FxHashMap::default(),
            owners: FxHashMap::default(),
        };
        let functions = cx.index.functions();
        let mut by_file: FxHashMap<crate::diagnostic::FileId, Vec<FnKey>> = FxHashMap::default();
        for &(key, module, container) in &functions {
            by_file.entry(key.0).or_default().push(key);
            let owner = info.owner(key, module, container);
            let name = cx.index.item(key.0, key.1).and_then(|i| i.name);
            match (&owner, name) {
                (
                    Owner::TraitImpl {
                        trait_,
                        ty: Some(TypeRef::Local(ty)),
                    },
                    Some(name),
                ) => {
                    info.impl_methods.entry(*ty).or_default().push((name, key));
                    if let Some(t) = trait_ {
                        let traits = info.impl_traits.entry(*ty).or_default();
                        if !traits.contains(t) {
                            traits.push(t.clone());
                        }
                    }
                }
                (Owner::Trait(t), Some(name)) => {
                    info.trait_methods.entry(*t).or_default().push((name, key));
                }
                _ => {}
            }
            info.owners.insert(key, owner);
        }
        for (file, keys) in by_file {
            if cx.index.owns(file) {
                info.read_contracts(file, &keys);
            }
        }
        info
    }

    /// The contracts written on the functions of a file: attributes, then comments.
    fn read_contracts(&mut self, file: crate::diagnostic::FileId, keys: &[FnKey]) {
        let Some(ir) = self.cx.index.ir(file) else {
            return;
        };
        for &(item, contract) in &ir.contracts {
            self.contracts.insert((file, item), contract);
        }
        for d in &ir.directives {
            let Ok(DirectiveKind::Contract { kind, allow_panic }) = directive::parse(&d.text)
            else {
                continue;
            };
            let (lo, hi) = (d.target.0 as u32, d.target.1 as u32);
            let on = keys.iter().find(|&&(_, item)| {
                let item = ir.item(item);
                let at = |offset: u32| lo <= offset && offset <= hi;
                !d.trailing && (at(item.span.lo) || at(item.name_span.lo))
            });
            let written = Span::new(d.comment.0 as u32, d.comment.1 as u32);
            match on {
                Some(&key) => {
                    let contract = Contract {
                        kind,
                        allow_panic,
                        at: written,
                        source: ContractSource::Comment,
                    };
                    let old = self.contracts.get(&key).copied();
                    if old.is_none_or(|o| (o.kind, !o.allow_panic) < (kind, !allow_panic)) {
                        self.contracts.insert(key, contract);
                    }
                }
                None => self.stray.push((file, written, kind)),
            }
        }
    }

    fn owner(&self, key: FnKey, module: usize, container: Container) -> Owner {
        let index = &self.cx.index;
        let scope = crate::index::ScopeRef {
            file: key.0,
            module,
            body: None,
        };
        match container {
            Container::Free => Owner::Free,
            Container::Inherent { impl_item } => {
                Owner::Inherent(index.impl_self_type(scope, impl_item))
            }
            Container::Trait { trait_item } => Owner::Trait((key.0, trait_item)),
            Container::TraitImpl { impl_item } => {
                let Some(ir) = index.ir(key.0) else {
                    return Owner::Free;
                };
                let ItemKind::Impl(i) = &ir.item(impl_item).kind else {
                    return Owner::Free;
                };
                let type_ref = |ty: TyId| -> Option<TypeRef> {
                    let TyKind::Path(p) = ir.ty(ty).kind else {
                        return None;
                    };
                    let resolved = index.resolve(scope, p)?;
                    match resolved.def {
                        Def::Item(f, i) if resolved.rest == 0 => Some(TypeRef::Local((f, i))),
                        Def::External(path) if resolved.rest == 0 => Some(TypeRef::Path(path)),
                        _ => None,
                    }
                };
                Owner::TraitImpl {
                    trait_: i.trait_.and_then(type_ref),
                    ty: type_ref(i.self_ty),
                }
            }
        }
    }

    /// One function's summary.
    fn function(&self, key: FnKey, module: usize, container: Container) -> FnEffects {
        let cx = self.cx;
        let ir = cx.index.ir(key.0).expect("a function's file has an IR");
        let item = ir.item(key.1);
        let name = item.name.unwrap_or_else(Sym::empty);
        let mut path = module_path(cx, module);
        match container {
            Container::Inherent { impl_item } | Container::TraitImpl { impl_item } => {
                if let ItemKind::Impl(i) = &ir.item(impl_item).kind
                    && let TyKind::Path(p) = ir.ty(i.self_ty).kind
                    && let Some(last) = ir.path_last(ir.path(p))
                {
                    path.push(last);
                }
            }
            Container::Trait { trait_item } => path.extend(ir.item(trait_item).name),
            Container::Free => {}
        }
        path.push(name);
        let body = cx.index.fn_body(key).map(|b| b.body);
        let sites = match cx.index.fn_body(key) {
            Some(at) => {
                let at = *at;
                match cx
                    .all_bodies()
                    .find(|b| b.at.file == at.file && b.at.body == at.body)
                {
                    Some(bcx) => Walker::new(self, &bcx).run(),
                    None => Vec::new(),
                }
            }
            None => Vec::new(),
        };
        FnEffects {
            key,
            body,
            path: path.into(),
            owner: self.owners.get(&key).cloned().unwrap_or(Owner::Free),
            contract: self.contracts.get(&key).copied(),
            sites: sites.into(),
        }
    }

    /// The crate methods a method call on a crate type may call: the inherent method of the
    /// name, else the trait impls' methods of the name, else the defaults of the crate traits
    /// the type implements.
    pub(super) fn methods_of(&self, adt: TypeKey, name: Sym) -> Vec<FnKey> {
        if let Some(key) = self.cx.index.inherent_method(adt, name) {
            return vec![key];
        }
        let from_impls: Vec<FnKey> = self
            .impl_methods
            .get(&adt)
            .into_iter()
            .flatten()
            .filter(|(n, _)| *n == name)
            .map(|(_, k)| *k)
            .collect();
        if !from_impls.is_empty() {
            return from_impls;
        }
        self.impl_traits
            .get(&adt)
            .into_iter()
            .flatten()
            .filter_map(|t| match t {
                TypeRef::Local(t) => self.trait_methods.get(t),
                TypeRef::Path(_) => None,
            })
            .flatten()
            .filter(|(n, k)| *n == name && self.cx.index.fn_body(*k).is_some())
            .map(|(_, k)| *k)
            .collect()
    }
}

/// The names of the modules from the crate root down to `module`.
fn module_path(cx: &CrateCx<'_>, module: usize) -> Vec<Sym> {
    let modules = &cx.index.tree.modules;
    let mut path = Vec::new();
    let mut at = Some(module);
    while let Some(m) = at {
        path.extend(modules[m].name);
        at = modules[m].parent;
    }
    path.reverse();
    path
}
