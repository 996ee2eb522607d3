//! Which item a finding is in, by path: `crate::store::Cache::insert`. Baselines and SARIF
//! fingerprints key findings on it, so that moving code around within a file, or editing
//! something above it, leaves them alone.

use crate::diagnostic::{CrateId, FileId};
use crate::ir::{FileIr, ItemId, ItemKind, Span, TyKind};
use crate::load::Loaded;

/// An item of a file, with its path and whether it is compiled only for tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemPath {
    pub span: Span,
    pub path: String,
    pub test_only: bool,
}

/// The items of every file, each file's sorted by where they start.
#[derive(Debug, Default)]
pub struct ItemPaths {
    files: Vec<Vec<ItemPath>>,
    /// Files that are test code as a whole (`#[cfg(test)] mod tests;`).
    test_files: Vec<bool>,
}

impl ItemPaths {
    pub fn build(loaded: &Loaded) -> ItemPaths {
        let mut files: Vec<Vec<ItemPath>> = vec![Vec::new(); loaded.files.len()];
        let mut test_files = vec![false; loaded.files.len()];
        for (krate, tree) in loaded.crates.iter().enumerate() {
            for (index, module) in tree.modules.iter().enumerate() {
                // A file reached by two crates is named by the one that analyzes it.
                if loaded.file(module.file).owner != Some(CrateId(krate as u32)) {
                    continue;
                }
                if module.inline.is_none() {
                    test_files[module.file.index()] = module.test_only;
                }
                let Some(ir) = loaded.ir(module.file) else {
                    continue;
                };
                let mut path = Vec::new();
                let mut at = Some(index);
                while let Some(m) = at {
                    let module = &tree.modules[m];
                    path.push(module.name.map_or("crate".to_string(), |n| n.to_string()));
                    at = module.parent;
                }
                path.reverse();
                let prefix = path.join("::");
                let items: &[ItemId] = match module.inline {
                    Some(id) => match &ir.item(id).kind {
                        ItemKind::Mod(crate::ir::ModKind::Inline { items, .. }) => items,
                        _ => &[],
                    },
                    None => &ir.top,
                };
                let out = &mut files[module.file.index()];
                for &item in items {
                    collect(ir, item, &prefix, module.test_only, out);
                }
            }
        }
        for items in &mut files {
            items.sort_by_key(|i| (i.span.lo, std::cmp::Reverse(i.span.hi)));
            items.dedup();
        }
        ItemPaths { files, test_files }
    }

    /// Whether what is at `offset` of `file` is test code: in a test-only item or file.
    pub fn is_test(&self, file: FileId, offset: u32) -> bool {
        self.test_files.get(file.index()).copied().unwrap_or(false)
            || self.enclosing(file, offset).is_some_and(|i| i.test_only)
    }

    /// The innermost item around `offset` of `file`.
    pub fn enclosing(&self, file: FileId, offset: u32) -> Option<&ItemPath> {
        self.files
            .get(file.index())?
            .iter()
            .rfind(|i| i.span.lo <= offset && offset < i.span.hi.max(i.span.lo + 1))
    }
}

/// An item and what it holds: the members of `impl` and `trait` blocks, and items declared in
/// function bodies. Inline modules are modules of the tree, named there.
fn collect(ir: &FileIr, id: ItemId, prefix: &str, test_only: bool, out: &mut Vec<ItemPath>) {
    let item = ir.item(id);
    let test_only = test_only || item.test_only;
    let name = match &item.kind {
        ItemKind::Impl(i) => {
            // `impl<S> Task<S>` is named by its type's last segment, `Task`.
            let ty = match ir.ty(i.self_ty).kind {
                TyKind::Path(p) => ir
                    .list(ir.path(p).segments)
                    .last()
                    .map(|s| s.name.to_string()),
                _ => None,
            };
            let ty = ty.unwrap_or_else(|| "_".to_string());
            let path = format!("{prefix}::{ty}");
            for &member in &i.items {
                collect(ir, member, &path, test_only, out);
            }
            return;
        }
        ItemKind::Mod(_) | ItemKind::Use(_) => return,
        _ => match item.name {
            Some(name) => name.to_string(),
            None => return,
        },
    };
    let path = format!("{prefix}::{name}");
    if let ItemKind::Trait { items, .. } = &item.kind {
        for &member in items {
            collect(ir, member, &path, test_only, out);
        }
    }
    if let ItemKind::Fn(f) = &item.kind
        && let Some(body) = f.body
    {
        for &inner in &ir.body(body).items {
            collect(ir, inner, &path, test_only, out);
        }
    }
    out.push(ItemPath {
        span: item.span,
        path,
        test_only,
    });
}
