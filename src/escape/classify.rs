//! What an allocation verdict is, for the rules that speak of it.
//!
//! Several rules report allocation sites: `returned_box` a box returned to the caller,
//! `non_escaping_box` one kept in its function, `dyn_box` one coerced to `dyn Trait`,
//! `closure_escape` one that boxes a closure; `heap_allocation` prints the verdict of every
//! other site. Each question is answered here, once, so that the rules agree on which site is
//! whose without reading each other.

use super::graph::{BodyEscape, ClosureEscape, NodeId};

impl BodyEscape {
    /// Whether the allocation at `node` boxes a closure: `closure_escape` speaks of those.
    pub fn boxes_closure(&self, node: NodeId) -> bool {
        self.closures.iter().any(
            |c| matches!(c.escape, ClosureEscape::Boxed(i) if self.allocs[i].site.node == node),
        )
    }
}
