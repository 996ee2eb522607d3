//! Linking the crates' summaries: every function of the workspace in one list, and what a
//! path, a method of a type, a trait's method or a method name reaches in it.

use super::{CrateEffects, FnEffects, ModuleNames, Named, Owner, TypeKey, TypeRef};
use crate::index::FnKey;
use crate::ir::ItemKind;
use crate::load::Loaded;
use crate::sym::{FxHashMap, Sym};

/// What a path reaches in the workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Reached {
    /// Functions (several for a method that trait impls of one type share).
    Fns(Vec<usize>),
    /// A struct, enum or union.
    Type(TypeKey),
    Trait(TypeKey),
    /// An enum variant or a tuple struct's constructor: builds a value.
    Constructor,
    Module,
}

/// Every function of the workspace, and the tables that find them.
pub(super) struct Linked<'l> {
    pub loaded: &'l Loaded,
    /// Each function: its crate (an index into `crates`) and its summary.
    pub fns: Vec<(usize, &'l FnEffects)>,
    pub by_key: FxHashMap<FnKey, usize>,
    crates: &'l [CrateEffects],
    /// Library crates by the name other crates use for them, with their index in `crates`.
    libs: FxHashMap<Sym, usize>,
    /// Methods of each type: inherent and trait impls'.
    type_methods: FxHashMap<TypeKey, Vec<(Sym, usize)>>,
    /// Each trait's impls' methods.
    trait_impls: FxHashMap<TypeKey, Vec<(Sym, usize)>>,
    /// Each trait's own methods (declarations and defaults).
    trait_decls: FxHashMap<TypeKey, Vec<(Sym, usize)>>,
    /// Every method, by name.
    method_names: FxHashMap<Sym, Vec<usize>>,
}

impl<'l> Linked<'l> {
    /// Links the crates: `libs` names each library crate (by its index in `crates`).
    pub fn new(loaded: &'l Loaded, crates: &'l [CrateEffects], libs: &[(Sym, usize)]) -> Self {
        let mut linked = Linked {
            loaded,
            fns: Vec::new(),
            by_key: FxHashMap::default(),
            crates,
            libs: libs.iter().copied().collect(),
            type_methods: FxHashMap::default(),
            trait_impls: FxHashMap::default(),
            trait_decls: FxHashMap::default(),
            method_names: FxHashMap::default(),
        };
        for (c, krate) in crates.iter().enumerate() {
            for f in &krate.fns {
                linked.by_key.insert(f.key, linked.fns.len());
                linked.fns.push((c, f));
            }
        }
        for i in 0..linked.fns.len() {
            let f = linked.fns[i].1;
            let Some(&name) = f.path.last() else { continue };
            match &f.owner {
                Owner::Free => continue,
                Owner::Inherent(ty) => {
                    if let Some(ty) = ty {
                        linked.type_methods.entry(*ty).or_default().push((name, i));
                    }
                }
                Owner::TraitImpl { trait_, ty } => {
                    if let Some(ty) = ty.as_ref().and_then(|t| linked.type_key(t)) {
                        linked.type_methods.entry(ty).or_default().push((name, i));
                    }
                    if let Some(t) = trait_.as_ref().and_then(|t| linked.type_key(t)) {
                        linked.trait_impls.entry(t).or_default().push((name, i));
                    }
                }
                Owner::Trait(t) => {
                    linked.trait_decls.entry(*t).or_default().push((name, i));
                    if f.body.is_none() {
                        continue;
                    }
                }
            }
            linked.method_names.entry(name).or_default().push(i);
        }
        linked
    }

    /// The workspace type or trait a reference names.
    pub fn type_key(&self, t: &TypeRef) -> Option<TypeKey> {
        match t {
            TypeRef::Local(key) => Some(*key),
            TypeRef::Path(path) => match self.path(path, 0)? {
                Reached::Type(key) | Reached::Trait(key) => Some(key),
                _ => None,
            },
        }
    }

    /// Whether a path starts with the name of a library crate of the workspace.
    pub fn is_workspace_path(&self, path: &[Sym]) -> bool {
        path.first().is_some_and(|c| self.libs.contains_key(c))
    }

    /// What a canonical path of another crate reaches in the workspace.
    pub fn path(&self, path: &[Sym], depth: u32) -> Option<Reached> {
        let (first, rest) = path.split_first()?;
        let &krate = self.libs.get(first)?;
        self.walk(krate, 0, rest, depth)
    }

    /// `rest` from module `module` of crate `krate`.
    fn walk(&self, krate: usize, module: usize, rest: &[Sym], depth: u32) -> Option<Reached> {
        if depth > 16 {
            return None;
        }
        let Some((&name, after)) = rest.split_first() else {
            return Some(Reached::Module);
        };
        let named = self.lookup(krate, module, name, depth)?;
        match named {
            Named::Module(m) => self.walk(krate, m, after, depth + 1),
            Named::External(path) => {
                let mut full = path.to_vec();
                full.extend_from_slice(after);
                self.path(&full, depth + 1)
            }
            Named::Item(file, item) => self.item(file, item, after),
        }
    }

    /// A name of a module: its own items and imports, then its globs.
    fn lookup(&self, krate: usize, module: usize, name: Sym, depth: u32) -> Option<Named> {
        let modules: &[ModuleNames] = &self.crates.get(krate)?.modules;
        let names = modules.get(module)?;
        if let Some((_, named)) = names.names.iter().find(|(n, _)| *n == name) {
            return Some(named.clone());
        }
        if depth > 16 {
            return None;
        }
        for glob in &names.globs {
            match glob {
                Named::Module(m) => {
                    if let Some(found) = self.lookup(krate, *m, name, depth + 1) {
                        return Some(found);
                    }
                }
                Named::External(path) => {
                    let mut full = path.to_vec();
                    full.push(name);
                    if self.path(&full, depth + 1).is_some() {
                        return Some(Named::External(full.into()));
                    }
                }
                Named::Item(..) => {}
            }
        }
        None
    }

    /// An item of the workspace, and what is left of the path after it: a type's method, an
    /// enum's variant, a trait's method.
    fn item(
        &self,
        file: crate::diagnostic::FileId,
        item: crate::ir::ItemId,
        rest: &[Sym],
    ) -> Option<Reached> {
        let kind = &self.loaded.ir(file)?.item(item).kind;
        match (kind, rest) {
            (ItemKind::Fn(_), []) => Some(Reached::Fns(vec![*self.by_key.get(&(file, item))?])),
            (ItemKind::Struct(_) | ItemKind::Enum(_) | ItemKind::Union(_), []) => {
                Some(Reached::Type((file, item)))
            }
            (ItemKind::Trait { .. }, []) => Some(Reached::Trait((file, item))),
            (ItemKind::Struct(_) | ItemKind::Enum(_) | ItemKind::Union(_), [name]) => {
                let fns = self.methods_of((file, item), *name);
                if !fns.is_empty() {
                    return Some(Reached::Fns(fns));
                }
                match kind {
                    ItemKind::Enum(adt) if adt.variants.iter().any(|v| v.name == *name) => {
                        Some(Reached::Constructor)
                    }
                    _ => None,
                }
            }
            (ItemKind::Trait { .. }, [name]) => {
                let fns = self.trait_methods((file, item), *name);
                (!fns.is_empty()).then_some(Reached::Fns(fns))
            }
            _ => None,
        }
    }

    /// A type's methods of a name: inherent, else its trait impls'.
    pub fn methods_of(&self, ty: TypeKey, name: Sym) -> Vec<usize> {
        let all: Vec<usize> = self
            .type_methods
            .get(&ty)
            .into_iter()
            .flatten()
            .filter(|(n, _)| *n == name)
            .map(|(_, i)| *i)
            .collect();
        let inherent: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&i| matches!(self.fns[i].1.owner, Owner::Inherent(_)))
            .collect();
        if inherent.is_empty() { all } else { inherent }
    }

    /// What a call of a trait's method may run: every impl's method of that name, and the
    /// trait's default body (which impls that do not override it run).
    pub fn trait_methods(&self, t: TypeKey, name: Sym) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .trait_impls
            .get(&t)
            .into_iter()
            .flatten()
            .filter(|(n, _)| *n == name)
            .map(|(_, i)| *i)
            .collect();
        out.extend(
            self.trait_decl(t, name)
                .filter(|&i| self.fns[i].1.body.is_some()),
        );
        out
    }

    /// The trait's declaration of a method.
    pub fn trait_decl(&self, t: TypeKey, name: Sym) -> Option<usize> {
        self.trait_decls
            .get(&t)?
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, i)| *i)
    }

    /// Every workspace method of a name.
    pub fn methods_named(&self, name: Sym) -> &[usize] {
        self.method_names.get(&name).map_or(&[], Vec::as_slice)
    }
}
