//! Lookups of the crate's methods, associated consts and `Drop` impls by type.

use super::{CrateIndex, FnKey};
use crate::diagnostic::FileId;
use crate::ir::ItemId;
use crate::sym::Sym;

impl CrateIndex<'_> {
    /// The inherent method `name` of a crate type.
    pub fn inherent_method(&self, ty: (FileId, ItemId), name: Sym) -> Option<FnKey> {
        self.methods
            .get(&ty)?
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, key)| *key)
    }

    /// Whether some crate type has an inherent method or associated function `name`.
    pub fn has_inherent_named(&self, name: Sym) -> bool {
        self.inherent_names.contains(&name)
    }

    /// The methods and associated functions `name` of the crate's `impl Trait for Type`
    /// blocks for a crate type (one per trait that has it).
    pub fn trait_impl_methods(&self, ty: (FileId, ItemId), name: Sym) -> Vec<FnKey> {
        self.trait_methods.get(&ty).map_or_else(Vec::new, |v| {
            v.iter()
                .filter(|(n, _)| *n == name)
                .map(|(_, key)| *key)
                .collect()
        })
    }

    /// Every inherent method `name` of a crate type (more than one under opposite `cfg`s).
    pub fn inherent_methods(&self, ty: (FileId, ItemId), name: Sym) -> Vec<FnKey> {
        self.methods.get(&ty).map_or_else(Vec::new, |v| {
            v.iter()
                .filter(|(n, _)| *n == name)
                .map(|(_, key)| *key)
                .collect()
        })
    }

    /// Whether a crate type has a `Drop` impl.
    pub fn has_drop(&self, ty: (FileId, ItemId)) -> bool {
        self.drops.contains(&ty)
    }

    /// The associated const `name` of an `impl` block of a crate type.
    pub fn inherent_const(&self, ty: (FileId, ItemId), name: Sym) -> Option<(FileId, ItemId)> {
        self.consts
            .get(&ty)?
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, key)| *key)
    }

    /// Every crate method called `name`, inherent or in a trait or trait impl.
    pub fn methods_named(&self, name: Sym) -> &[FnKey] {
        self.method_names.get(&name).map_or(&[], |v| v.as_slice())
    }
}
