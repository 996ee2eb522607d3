//! Stage 3: index. For one crate: which names each module (and each function body with items
//! of its own) sees, every body to analyze, and name resolution over them.
//!
//! Resolution follows Rust's rules as far as a rule needs them:
//! - a module sees its own items and imports, then its glob imports, then the extern prelude
//!   (`std`, `core`, `alloc` and the package's dependencies), then the std prelude;
//! - `crate`, `self` and `super` paths, renames (`use std::mem::forget as f`), groups and
//!   globs of the crate's own modules and of std modules;
//! - a body's own items and `use` declarations come before its module's;
//! - paths outside the crate are kept in canonical spelling (`core::mem::forget` and
//!   `alloc::boxed::Box` become `std::…`), so "is this `std::mem::forget`?" is one comparison.
//!
//! Local variables never reach this stage: lowering resolved them already, so a local or a
//! function named `forget` can never be mistaken for `std::mem::forget`.

mod alts;
pub mod prelude;
mod query;

use crate::diagnostic::{CrateId, FileId};
use crate::ir::{
    BodyId, FileIr, Import, Item, ItemId, ItemKind, ModKind, Path, PathId, Span, StaticItem,
};
use crate::load::{CrateTree, Loaded};
use crate::sym::{FxHashMap, FxHashSet, Sym};

/// What a name or path refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Def {
    /// A module of the crate (an index into its module list).
    Module(usize),
    /// An item of the crate.
    Item(FileId, ItemId),
    /// Something outside the crate, by canonical path.
    External(Box<[Sym]>),
}

impl Def {
    /// Whether this is the external item with the given canonical path.
    pub fn is_external(&self, path: &[&str]) -> bool {
        match self {
            Def::External(p) => p.len() == path.len() && p.iter().zip(path).all(|(a, b)| a.is(b)),
            _ => false,
        }
    }

    pub fn external_path(&self) -> Option<&[Sym]> {
        match self {
            Def::External(p) => Some(p),
            _ => None,
        }
    }
}

/// A resolved path: what it names, how many trailing segments are left unresolved (associated
/// items of a crate type: `Foo::new` gives `Foo` with one segment left), and the import the
/// first segment came through, if any.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub def: Def,
    pub rest: usize,
    pub via: Option<ImportSite>,
}

/// Where a name was imported: the file, the span of the import, and the name it binds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportSite {
    pub file: FileId,
    pub span: Span,
    pub name: Sym,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Ns {
    Type,
    Value,
}

#[derive(Default, Debug)]
struct Scope {
    types: FxHashMap<Sym, (Def, Option<ImportSite>)>,
    values: FxHashMap<Sym, (Def, Option<ImportSite>)>,
    globs: Vec<Def>,
    /// Other definitions of a name already bound in this scope: the same name declared or
    /// imported twice, under opposite `cfg`s (`#[cfg(feature = "std")] mod sync` and
    /// `#[cfg(not(feature = "std"))] mod sync`). Any of them may be the one a build sees.
    /// At most three a name.
    alts: FxHashMap<(Ns, Sym), Vec<Def>>,
}

impl Scope {
    /// Binds `name` to `def` unless it is bound already; then `def` is an alternative.
    fn bind(&mut self, ns: Ns, name: Sym, def: Def, site: Option<ImportSite>) {
        let map = match ns {
            Ns::Type => &mut self.types,
            Ns::Value => &mut self.values,
        };
        match map.entry(name) {
            std::collections::hash_map::Entry::Occupied(e) => {
                if e.get().0 != def {
                    let alts = self.alts.entry((ns, name)).or_default();
                    if alts.len() < 3 && !alts.contains(&def) {
                        alts.push(def);
                    }
                }
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert((def, site));
            }
        }
    }

    /// The alternatives of `name` in `ns`, or in either namespace when `either`.
    fn alts_of(&self, name: Sym, ns: Ns, either: bool) -> Vec<Def> {
        let mut out: Vec<Def> = self.alts.get(&(ns, name)).cloned().unwrap_or_default();
        if either {
            let other = if ns == Ns::Type { Ns::Value } else { Ns::Type };
            out.extend(self.alts.get(&(other, name)).into_iter().flatten().cloned());
        }
        out
    }
}

/// A body of the crate, with where it sits.
#[derive(Clone, Copy, Debug)]
pub struct BodyRef {
    pub file: FileId,
    pub body: BodyId,
    pub module: usize,
    /// The item that owns the body (a function, const or static).
    pub owner: ItemId,
    /// The enclosing body, for items declared inside a function.
    pub parent: Option<BodyId>,
    /// The `impl` or `trait` the owner belongs to.
    pub container: Container,
}

/// What a function belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    /// A free function, or a const or static.
    Free,
    /// A method of `impl Type { .. }`.
    Inherent { impl_item: ItemId },
    /// A method of `impl Trait for Type { .. }`: its signature is fixed by the trait.
    TraitImpl { impl_item: ItemId },
    /// A method of a trait, with a default body or none.
    Trait { trait_item: ItemId },
}

/// A function (or associated const) of the crate: its file and item.
pub type FnKey = (FileId, ItemId);

/// Where a name lookup starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScopeRef {
    pub file: FileId,
    pub module: usize,
    pub body: Option<BodyId>,
}

impl BodyRef {
    pub fn scope(&self) -> ScopeRef {
        ScopeRef {
            file: self.file,
            module: self.module,
            body: Some(self.body),
        }
    }
}

pub struct CrateIndex<'a> {
    pub loaded: &'a Loaded,
    pub tree: &'a CrateTree,
    /// Index of this crate in [`Loaded::crates`].
    pub krate: CrateId,
    /// Extern names usable in paths, with the crate each is (renamed dependencies).
    externs: FxHashMap<Sym, Sym>,
    modules: Vec<Scope>,
    body_scopes: FxHashMap<(FileId, BodyId), (Scope, Option<BodyId>)>,
    /// The enclosing body of each body declared inside another.
    body_parents: FxHashMap<(FileId, BodyId), BodyId>,
    /// Every body of the crate, in module order.
    pub bodies: Vec<BodyRef>,
    /// The body of each function, by its item: an index into `bodies`.
    fn_bodies: FxHashMap<FnKey, usize>,
    /// Every function of the crate that is a method or free function (with a body or not), with
    /// what it belongs to.
    fns: FxHashMap<FnKey, (usize, Container)>,
    /// Inherent methods by the type they are implemented on, then by name.
    methods: FxHashMap<(FileId, ItemId), Vec<(Sym, FnKey)>>,
    /// Methods of trait impls by the crate type they are implemented for, then by name.
    trait_methods: FxHashMap<(FileId, ItemId), Vec<(Sym, FnKey)>>,
    /// Every method of the crate (inherent, trait and trait impl) by name.
    method_names: FxHashMap<Sym, Vec<FnKey>>,
    /// The names of the crate's inherent methods, whatever their type.
    inherent_names: FxHashSet<Sym>,
    /// Associated consts of `impl Type { .. }` blocks, with their module and impl, until
    /// [`Self::collect_methods`] files them under their type.
    impl_consts: Vec<(FileId, ItemId, usize, ItemId)>,
    /// Inherent associated consts by the type they belong to, then by name.
    consts: FxHashMap<(FileId, ItemId), Vec<(Sym, FnKey)>>,
    /// `impl Drop for ..` blocks, with their module, until their types are resolved.
    impl_drops: Vec<(FileId, ItemId, usize)>,
    /// The crate types with a `Drop` impl.
    drops: FxHashSet<(FileId, ItemId)>,
    /// The module of every item outside bodies (impl and trait members included).
    module_of: FxHashMap<(FileId, ItemId), usize>,
    /// The module and enclosing body of every item declared inside a body.
    body_items: FxHashMap<(FileId, ItemId), (usize, BodyId)>,
    /// Whether any scope binds a name twice (see `Scope::alts`).
    has_alts: bool,
}

impl<'a> CrateIndex<'a> {
    /// Indexes crate `krate` of `loaded`. `externs` maps the names the code uses for
    /// dependencies to the crates they are.
    pub fn build(
        loaded: &'a Loaded,
        krate: CrateId,
        externs: &[(String, String)],
    ) -> CrateIndex<'a> {
        let tree = &loaded.crates[krate.index()];
        let mut externs: FxHashMap<Sym, Sym> = externs
            .iter()
            .map(|(name, real)| (Sym::new(name), Sym::new(real)))
            .collect();
        for name in prelude::STD_CRATES {
            externs.insert(Sym::new(name), Sym::new(name));
        }
        let mut index = CrateIndex {
            loaded,
            tree,
            krate,
            externs,
            modules: Vec::with_capacity(tree.modules.len()),
            body_scopes: FxHashMap::default(),
            body_parents: FxHashMap::default(),
            bodies: Vec::new(),
            fn_bodies: FxHashMap::default(),
            fns: FxHashMap::default(),
            methods: FxHashMap::default(),
            method_names: FxHashMap::default(),
            inherent_names: FxHashSet::default(),
            trait_methods: FxHashMap::default(),
            impl_consts: Vec::new(),
            consts: FxHashMap::default(),
            impl_drops: Vec::new(),
            drops: FxHashSet::default(),
            module_of: FxHashMap::default(),
            body_items: FxHashMap::default(),
            has_alts: false,
        };
        let mut imports: Vec<Vec<(FileId, Import)>> = Vec::with_capacity(tree.modules.len());
        for module in 0..tree.modules.len() {
            let (scope, module_imports) = index.declare_module(module);
            index.modules.push(scope);
            imports.push(module_imports);
            let (file, ir, items) = index.module_items(module);
            if let Some(ir) = ir {
                index.note_modules(file, ir, items, module);
            }
        }
        index.resolve_imports(imports);
        index.has_alts = index.modules.iter().any(|m| !m.alts.is_empty());
        index.collect_bodies();
        index.collect_methods();
        index
    }

    fn module_items(&self, module: usize) -> (FileId, Option<&'a FileIr>, &'a [ItemId]) {
        let m = &self.tree.modules[module];
        let ir = self.loaded.ir(m.file);
        let items: &[ItemId] = match (ir, m.inline) {
            (Some(ir), None) => &ir.top,
            (Some(ir), Some(id)) => match &ir.item(id).kind {
                ItemKind::Mod(ModKind::Inline { items, .. }) => items,
                _ => &[],
            },
            (None, _) => &[],
        };
        (m.file, ir, items)
    }

    fn note_modules(&mut self, file: FileId, ir: &FileIr, items: &[ItemId], module: usize) {
        for &id in items {
            self.module_of.insert((file, id), module);
            match &ir.item(id).kind {
                ItemKind::Impl(i) => self.note_modules(file, ir, &i.items, module),
                ItemKind::Trait { items, .. } | ItemKind::ForeignMod { items } => {
                    self.note_modules(file, ir, items, module)
                }
                _ => {}
            }
        }
    }

    /// Where names in an item's signature or fields are resolved: its module, or for an item
    /// declared inside a body, that body.
    pub fn item_scope(&self, file: FileId, item: ItemId) -> Option<ScopeRef> {
        if let Some(&module) = self.module_of.get(&(file, item)) {
            return Some(ScopeRef {
                file,
                module,
                body: None,
            });
        }
        let &(module, body) = self.body_items.get(&(file, item))?;
        Some(ScopeRef {
            file,
            module,
            body: Some(body),
        })
    }

    /// A module's own items, and its imports for later resolution.
    fn declare_module(&self, module: usize) -> (Scope, Vec<(FileId, Import)>) {
        let mut scope = Scope::default();
        let mut imports = Vec::new();
        let (file, ir, items) = self.module_items(module);
        let Some(ir) = ir else {
            return (scope, imports);
        };
        for &id in items {
            self.declare_item(&mut scope, &mut imports, file, ir, id);
        }
        // Child modules, by name (file modules and inline ones alike).
        for &(name, child) in &self.tree.modules[module].children {
            scope.bind(Ns::Type, name, Def::Module(child), None);
        }
        (scope, imports)
    }

    fn declare_item(
        &self,
        scope: &mut Scope,
        imports: &mut Vec<(FileId, Import)>,
        file: FileId,
        ir: &FileIr,
        id: ItemId,
    ) {
        let item = ir.item(id);
        let def = Def::Item(file, id);
        match &item.kind {
            ItemKind::Use(list) => imports.extend(list.iter().map(|i| (file, i.clone()))),
            ItemKind::Mod(_) => {} // children are declared from the module tree
            ItemKind::ExternCrate { krate } => {
                if let Some(name) = item.name {
                    let real = self.externs.get(krate).copied().unwrap_or(*krate);
                    scope
                        .types
                        .insert(name, (Def::External(canonical(&[real])), None));
                }
            }
            ItemKind::ForeignMod { items } => {
                for &inner in items {
                    self.declare_item(scope, imports, file, ir, inner);
                }
            }
            _ => {
                let Some(name) = item.name else { return };
                for &ns in item_namespaces(item) {
                    scope.bind(ns, name, def.clone(), None);
                }
            }
        }
    }

    /// Resolves imports to a fixpoint: `use a::b;` may need `a`, itself imported.
    fn resolve_imports(&mut self, mut pending: Vec<Vec<(FileId, Import)>>) {
        for _round in 0..8 {
            let mut progress = false;
            for (module, list) in pending.iter_mut().enumerate() {
                let mut left = Vec::new();
                for (file, import) in std::mem::take(list) {
                    if self.bind_import(module, None, file, &import) {
                        progress = true;
                    } else {
                        left.push((file, import));
                    }
                }
                *list = left;
            }
            if !progress {
                break;
            }
        }
        for (module, list) in pending.into_iter().enumerate() {
            for (file, import) in list {
                self.bind_unresolved(module, None, file, &import);
            }
        }
    }

    /// An import whose path leads nowhere we can see (a module a macro makes, a crate that is
    /// not a dependency) still binds its name, to something unknown: the name must not fall
    /// through to a glob or the prelude, where `Box` would be std's.
    fn bind_unresolved(
        &mut self,
        module: usize,
        body: Option<(FileId, BodyId)>,
        file: FileId,
        import: &Import,
    ) {
        let Some(name) = import.name.filter(|_| !import.glob) else {
            return;
        };
        let scope = match body {
            Some(key) => &mut self.body_scopes.get_mut(&key).expect("declared").0,
            None => &mut self.modules[module],
        };
        let mut path = vec![Sym::new("{unresolved}")];
        path.extend(import.path.iter().copied());
        let site = ImportSite {
            file,
            span: import.span,
            name,
        };
        for map in [&mut scope.types, &mut scope.values] {
            map.entry(name)
                .or_insert((Def::External(path.clone().into()), Some(site)));
        }
    }

    /// Resolves one import into the scope of `module` (or of a body). Returns false when its
    /// path cannot be resolved yet.
    fn bind_import(
        &mut self,
        module: usize,
        body: Option<(FileId, BodyId)>,
        file: FileId,
        import: &Import,
    ) -> bool {
        let start = ScopeRef {
            file,
            module,
            body: body.map(|b| b.1),
        };
        let resolved = if import.path.is_empty() {
            None
        } else {
            self.resolve_segments(start, import.global, &import.path, None)
        };
        let Some(resolved) = resolved else {
            return false;
        };
        if resolved.rest != 0 {
            // `use Type::assoc` names an associated item; not tracked.
            return true;
        }
        let scope = match body {
            Some(key) => &mut self.body_scopes.get_mut(&key).expect("declared").0,
            None => &mut self.modules[module],
        };
        if import.glob {
            scope.globs.push(resolved.def);
            return true;
        }
        let Some(name) = import.name else { return true };
        let site = ImportSite {
            file,
            span: import.span,
            name,
        };
        let namespaces: &[Ns] = match &resolved.def {
            Def::Item(f, i) => {
                let item = self.loaded.ir(*f).map(|ir| ir.item(*i));
                match item {
                    Some(item) if item_namespaces(item).len() == 1 => {
                        if item_namespaces(item)[0] == Ns::Type {
                            &[Ns::Type]
                        } else {
                            &[Ns::Value]
                        }
                    }
                    _ => &[Ns::Type, Ns::Value],
                }
            }
            Def::Module(_) => &[Ns::Type],
            Def::External(_) => &[Ns::Type, Ns::Value],
        };
        for &ns in namespaces {
            // An item declared in the module wins over an import of the same name.
            scope.bind(ns, name, resolved.def.clone(), Some(site));
        }
        true
    }

    /// Every body of the crate, and a scope for each body that declares items of its own.
    fn collect_bodies(&mut self) {
        for module in 0..self.tree.modules.len() {
            let (file, ir, items) = self.module_items(module);
            let Some(ir) = ir else { continue };
            for &id in items {
                self.collect_item_bodies(file, ir, module, id, None, Container::Free);
            }
        }
    }

    fn collect_item_bodies(
        &mut self,
        file: FileId,
        ir: &'a FileIr,
        module: usize,
        id: ItemId,
        parent: Option<BodyId>,
        container: Container,
    ) {
        let item = ir.item(id);
        if let Some(parent) = parent {
            self.body_items.insert((file, id), (module, parent));
        }
        let mut bodies: Vec<BodyId> = Vec::new();
        match &item.kind {
            ItemKind::Fn(f) => {
                self.fns.insert((file, id), (module, container));
                bodies.extend(f.body);
            }
            ItemKind::Const { body, .. } => {
                if let Container::Inherent { impl_item } = container {
                    self.impl_consts.push((file, id, module, impl_item));
                }
                bodies.extend(*body)
            }
            ItemKind::Static(s) => {
                let StaticItem { body, .. } = &**s;
                bodies.extend(*body);
            }
            ItemKind::Impl(i) => {
                let is_drop = i.trait_.is_some_and(|t| match ir.ty(t).kind {
                    crate::ir::TyKind::Path(p) => {
                        ir.path_ident(ir.path(p)).is_some_and(|n| n.is("Drop"))
                    }
                    _ => false,
                });
                if is_drop {
                    self.impl_drops.push((file, id, module));
                }
                let inner_container = if i.trait_.is_some() {
                    Container::TraitImpl { impl_item: id }
                } else {
                    Container::Inherent { impl_item: id }
                };
                for &inner in &i.items {
                    self.collect_item_bodies(file, ir, module, inner, parent, inner_container);
                }
            }
            ItemKind::Trait { items, .. } => {
                for &inner in items {
                    let inner_container = Container::Trait { trait_item: id };
                    self.collect_item_bodies(file, ir, module, inner, parent, inner_container);
                }
            }
            _ => {}
        }
        for body in bodies {
            if matches!(item.kind, ItemKind::Fn(_)) {
                self.fn_bodies.insert((file, id), self.bodies.len());
            }
            self.bodies.push(BodyRef {
                file,
                body,
                module,
                owner: id,
                parent,
                container,
            });
            if let Some(parent) = parent {
                self.body_parents.insert((file, body), parent);
            }
            let inner = &ir.body(body).items;
            if inner.is_empty() {
                continue;
            }
            let mut scope = Scope::default();
            let mut imports = Vec::new();
            for &item in inner {
                self.declare_item(&mut scope, &mut imports, file, ir, item);
            }
            self.body_scopes.insert((file, body), (scope, parent));
            for (file, import) in imports {
                if !self.bind_import(module, Some((file, body)), file, &import) {
                    self.bind_unresolved(module, Some((file, body)), file, &import);
                }
            }
            for &item in inner {
                self.collect_item_bodies(file, ir, module, item, Some(body), Container::Free);
            }
        }
    }

    /// Inherent methods by type, and every method by name.
    fn collect_methods(&mut self) {
        let mut keys: Vec<(FnKey, (usize, Container))> =
            self.fns.iter().map(|(k, v)| (*k, *v)).collect();
        keys.sort_by_key(|(k, _)| *k);
        for ((file, id), (module, container)) in keys {
            let Some(ir) = self.loaded.ir(file) else {
                continue;
            };
            let Some(name) = ir.item(id).name else {
                continue;
            };
            match container {
                Container::Free => continue,
                Container::Inherent { impl_item } => {
                    let scope = ScopeRef {
                        file,
                        module,
                        body: None,
                    };
                    if let Some((type_file, type_id)) = self.impl_self_type(scope, impl_item) {
                        self.methods
                            .entry((type_file, type_id))
                            .or_default()
                            .push((name, (file, id)));
                        self.inherent_names.insert(name);
                    }
                }
                Container::TraitImpl { impl_item } => {
                    let scope = ScopeRef {
                        file,
                        module,
                        body: None,
                    };
                    if let Some(ty) = self.impl_self_type(scope, impl_item) {
                        self.trait_methods
                            .entry(ty)
                            .or_default()
                            .push((name, (file, id)));
                    }
                }
                Container::Trait { .. } => {}
            }
            self.method_names.entry(name).or_default().push((file, id));
        }
        for (file, impl_item, module) in std::mem::take(&mut self.impl_drops) {
            let scope = ScopeRef {
                file,
                module,
                body: None,
            };
            if let Some(ty) = self.impl_self_type(scope, impl_item) {
                self.drops.insert(ty);
            }
        }
        for (file, id, module, impl_item) in std::mem::take(&mut self.impl_consts) {
            let scope = ScopeRef {
                file,
                module,
                body: None,
            };
            let name = self.loaded.ir(file).and_then(|ir| ir.item(id).name);
            if let (Some(name), Some(ty)) = (name, self.impl_self_type(scope, impl_item)) {
                self.consts.entry(ty).or_default().push((name, (file, id)));
            }
        }
    }

    /// The crate type an `impl` block is for, when its self type names one.
    pub fn impl_self_type(&self, scope: ScopeRef, impl_item: ItemId) -> Option<(FileId, ItemId)> {
        let ir = self.loaded.ir(scope.file)?;
        let ItemKind::Impl(i) = &ir.item(impl_item).kind else {
            return None;
        };
        let crate::ir::TyKind::Path(path) = ir.ty(i.self_ty).kind else {
            return None;
        };
        let at = self.item_scope(scope.file, impl_item).unwrap_or(ScopeRef {
            body: None,
            ..scope
        });
        match self.resolve(at, path)? {
            Resolved {
                def: Def::Item(f, item),
                rest: 0,
                ..
            } => Some((f, item)),
            _ => None,
        }
    }

    /// The body of a crate function, if it has one.
    pub fn fn_body(&self, key: FnKey) -> Option<&BodyRef> {
        self.fn_bodies.get(&key).map(|&i| &self.bodies[i])
    }

    /// What a crate function belongs to, or `None` if `key` is not a function.
    pub fn fn_container(&self, key: FnKey) -> Option<Container> {
        self.fns.get(&key).map(|(_, c)| *c)
    }

    /// Every function of the crate (free functions and methods, with a body or not), with its
    /// module and what it belongs to, sorted by key.
    pub fn functions(&self) -> Vec<(FnKey, usize, Container)> {
        let mut out: Vec<(FnKey, usize, Container)> = self
            .fns
            .iter()
            .map(|(&key, &(module, container))| (key, module, container))
            .collect();
        out.sort_by_key(|(key, _, _)| *key);
        out
    }

    /// What a module's names stand for, in either namespace, its items and imports alike, and
    /// its glob imports: what a path from another crate may reach through it. Visibility is
    /// not checked (code that compiles names only what it may).
    pub fn module_names(&self, module: usize) -> (Vec<(Sym, Def)>, Vec<Def>) {
        let Some(scope) = self.modules.get(module) else {
            return (Vec::new(), Vec::new());
        };
        let mut names: Vec<(Sym, Def)> = scope
            .types
            .iter()
            .chain(&scope.values)
            .map(|(name, (def, _))| (*name, def.clone()))
            .collect();
        names.sort_by_key(|a| a.0);
        names.dedup();
        (names, scope.globs.clone())
    }

    // -----------------------------------------------------------------------------------------
    // Lookups

    /// Resolves a path of `scope`'s file, written in `scope`.
    pub fn resolve(&self, scope: ScopeRef, path: PathId) -> Option<Resolved> {
        let ir = self.loaded.ir(scope.file)?;
        let path = ir.path(path);
        if path.qself.is_some() {
            return self.resolve_qualified(scope, ir, path);
        }
        let names: Vec<Sym> = ir.segment_names(path).collect();
        self.resolve_segments(scope, path.global, &names, None)
    }

    /// `<Box<T>>::leak` is `Box::leak`; `<T as Trait>::f` is not resolved.
    fn resolve_qualified(&self, scope: ScopeRef, ir: &FileIr, path: &Path) -> Option<Resolved> {
        let qself = path.qself?;
        if qself.position != 0 {
            return None;
        }
        let crate::ir::TyKind::Path(inner) = ir.ty(qself.ty).kind else {
            return None;
        };
        let inner = ir.path(inner);
        let mut names: Vec<Sym> = ir.segment_names(inner).collect();
        names.extend(ir.segment_names(path));
        self.resolve_segments(scope, inner.global, &names, None)
    }

    fn resolve_segments(
        &self,
        scope: ScopeRef,
        global: bool,
        names: &[Sym],
        _self_ty: Option<Def>,
    ) -> Option<Resolved> {
        let (&first, rest) = names.split_first()?;
        let (mut def, via) = if global {
            // `::name` in 2018 and later is always an extern crate.
            (
                Def::External(canonical(&[self
                    .externs
                    .get(&first)
                    .copied()
                    .unwrap_or(first)])),
                None,
            )
        } else if first.is("crate") {
            (Def::Module(0), None)
        } else if first.is("self") {
            (Def::Module(scope.module), None)
        } else if first.is("super") {
            (Def::Module(self.tree.modules[scope.module].parent?), None)
        } else {
            let ns = if rest.is_empty() { Ns::Value } else { Ns::Type };
            let found = self.lookup(scope, first, ns).or_else(|| {
                if rest.is_empty() {
                    self.lookup(scope, first, Ns::Type)
                } else {
                    None
                }
            })?;
            (found.0, found.1)
        };
        for (i, &name) in rest.iter().enumerate() {
            match def {
                Def::External(path) => {
                    let mut path = path.into_vec();
                    path.extend(&rest[i..]);
                    return Some(Resolved {
                        def: Def::External(canonical(&path)),
                        rest: 0,
                        via,
                    });
                }
                Def::Module(m) => {
                    if name.is("super") {
                        def = Def::Module(self.tree.modules[m].parent?);
                        continue;
                    }
                    if name.is("self") {
                        continue;
                    }
                    let ns = if i + 1 == rest.len() {
                        Ns::Value
                    } else {
                        Ns::Type
                    };
                    let found = self.lookup_in_module(m, name, ns, 0).or_else(|| {
                        if i + 1 == rest.len() {
                            self.lookup_in_module(m, name, Ns::Type, 0)
                        } else {
                            None
                        }
                    })?;
                    def = found.0;
                }
                Def::Item(..) => {
                    return Some(Resolved {
                        def,
                        rest: rest.len() - i,
                        via,
                    });
                }
            }
        }
        Some(Resolved { def, rest: 0, via })
    }

    /// A single name, as seen from `scope`: body items, module, globs, extern prelude, prelude.
    fn lookup(&self, scope: ScopeRef, name: Sym, ns: Ns) -> Option<(Def, Option<ImportSite>)> {
        let mut body = scope.body;
        while let Some(b) = body {
            match self.body_scopes.get(&(scope.file, b)) {
                Some((s, parent)) => {
                    if let Some(found) = self.lookup_in_scope(s, name, ns, 0) {
                        return Some(found);
                    }
                    body = *parent;
                }
                None => body = self.parent_body(scope.file, b),
            }
        }
        if let Some(found) = self.lookup_in_module(scope.module, name, ns, 0) {
            return Some(found);
        }
        if ns == Ns::Type
            && let Some(real) = self.externs.get(&name)
        {
            return Some((Def::External(canonical(&[*real])), None));
        }
        prelude::lookup(name).map(|path| (Def::External(path.into()), None))
    }

    fn parent_body(&self, file: FileId, body: BodyId) -> Option<BodyId> {
        self.body_parents.get(&(file, body)).copied()
    }

    fn lookup_in_module(
        &self,
        module: usize,
        name: Sym,
        ns: Ns,
        depth: u32,
    ) -> Option<(Def, Option<ImportSite>)> {
        self.lookup_in_scope(self.modules.get(module)?, name, ns, depth)
    }

    /// A name in a module's or body's scope: its items and imports, then its globs.
    fn lookup_in_scope(
        &self,
        scope: &Scope,
        name: Sym,
        ns: Ns,
        depth: u32,
    ) -> Option<(Def, Option<ImportSite>)> {
        if let Some(found) = scope_get(scope, name, ns) {
            return Some(found);
        }
        if depth > 8 {
            return None;
        }
        for glob in &scope.globs {
            match glob {
                Def::Module(m) => {
                    if let Some(found) = self.lookup_in_module(*m, name, ns, depth + 1) {
                        return Some(found);
                    }
                }
                Def::External(path) => {
                    let known = prelude::MODULE_ITEMS
                        .iter()
                        .any(|(m, items)| sym_path_is(path, m) && items.iter().any(|i| name.is(i)));
                    if known {
                        let mut full = path.to_vec();
                        full.push(name);
                        return Some((Def::External(full.into()), None));
                    }
                }
                Def::Item(..) => {} // `use Enum::*`: variants are not tracked
            }
        }
        None
    }

    /// The item behind a crate definition.
    pub fn item(&self, file: FileId, id: ItemId) -> Option<&'a Item> {
        self.loaded.ir(file).map(|ir| ir.item(id))
    }

    pub fn ir(&self, file: FileId) -> Option<&'a FileIr> {
        self.loaded.ir(file)
    }

    /// Whether the crate analyzes this file (it may only reach it through another target).
    pub fn owns(&self, file: FileId) -> bool {
        self.loaded.file(file).owner == Some(self.krate)
    }
}

fn scope_get(scope: &Scope, name: Sym, ns: Ns) -> Option<(Def, Option<ImportSite>)> {
    let map = match ns {
        Ns::Type => &scope.types,
        Ns::Value => &scope.values,
    };
    map.get(&name).cloned()
}

/// The namespaces an item's name lives in.
fn item_namespaces(item: &Item) -> &'static [Ns] {
    match &item.kind {
        ItemKind::Fn(_) | ItemKind::Const { .. } | ItemKind::Static(_) => &[Ns::Value],
        ItemKind::Struct(adt) => match adt.variants.first().map(|v| v.shape) {
            Some(crate::ir::VariantShape::Named) => &[Ns::Type],
            _ => &[Ns::Type, Ns::Value],
        },
        ItemKind::Enum(_)
        | ItemKind::Union(_)
        | ItemKind::TypeAlias { .. }
        | ItemKind::Trait { .. }
        | ItemKind::Mod(_)
        | ItemKind::ExternCrate { .. } => &[Ns::Type],
        _ => &[],
    }
}

fn sym_path_is(path: &[Sym], expected: &[&str]) -> bool {
    path.len() == expected.len() && path.iter().zip(expected).all(|(a, b)| a.is(b))
}

/// The canonical spelling of an external path: `core::` and `alloc::` as `std::`, and known
/// re-exports collapsed.
pub fn canonical(path: &[Sym]) -> Box<[Sym]> {
    let mut out: Vec<Sym> = path.to_vec();
    if let Some(first) = out.first_mut()
        && (first.is("core") || first.is("alloc"))
    {
        *first = Sym::new("std");
    }
    for (long, short) in prelude::ALIASES {
        if out.len() >= long.len() && sym_path_is(&out[..long.len()], long) {
            let mut replaced: Vec<Sym> = short.iter().map(|s| Sym::new(s)).collect();
            replaced.extend_from_slice(&out[long.len()..]);
            out = replaced;
            break;
        }
    }
    out.into()
}

/// `std::mem::forget`, as a display string.
pub fn path_string(path: &[Sym]) -> String {
    let mut out = String::new();
    for (i, seg) in path.iter().enumerate() {
        if i > 0 {
            out.push_str("::");
        }
        out.push_str(seg.as_str());
    }
    out
}
