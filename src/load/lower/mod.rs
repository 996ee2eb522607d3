//! Lowering: syn's AST of one file into the [`FileIr`].
//!
//! This runs on a parse worker right after parsing; the AST is dropped as soon as it returns.
//! Besides translating nodes, lowering does the work that needs only the file itself:
//! - it resolves local variables (scopes, shadowing, closures' captures);
//! - it drops items that exist only in test builds when no test target is selected, and items
//!   whose `cfg` is certainly false (see [`super::cfg`]);
//! - it expands the macros that matter to the analysis (`vec!`, format macros, `thread_local!`,
//!   `lazy_static!`, `cfg_if!`) and reads the items inside unknown brace-delimited macros, so
//!   that modules declared inside `cfg_*! { .. }` wrappers are still followed.
//!
//! Spans are computed from tokens only: syn's `Spanned` would print every node back to tokens.
//!
//! The work is split by construct: `items` (and `assoc` for the items of traits, impls and
//! `extern` blocks), `body` (functions' signatures and bodies), `expr`, `control` (control flow),
//! `block` (blocks and statements), `closure`, `pat`, `ty` (types, paths and generics), `macros`
//! (the well-known macros, read as what they expand to), `scope` (locals and their scopes),
//! `attrs` (attributes: `cfg`, test-only items, `repr`, derives, allows) and `span` (byte spans
//! from proc-macro2's lines and columns). Each adds methods to the one `Lowerer` defined here.

mod assoc;
mod attrs;
mod block;
mod body;
mod closure;
mod control;
mod expr;
mod items;
mod macros;
mod pat;
mod scope;
mod span;
mod ty;

use super::cfg::{TestCfg, Tri};
use crate::ir::*;
use crate::sym::Sym;
use attrs::Attrs;
use scope::BodyCx;
use span::LineIndex;

/// Deepest expression, pattern or type nesting lowered. Beyond it the subtree becomes
/// [`ExprKind::Missing`] and the file records a truncation, so a pathological file (a
/// generated 100 000-term sum, say) cannot overflow the worker's stack.
pub const MAX_DEPTH: u32 = 1500;

/// A lowered file.
pub struct Lowered {
    pub ir: FileIr,
    /// Places where nesting exceeded [`MAX_DEPTH`] and lowering stopped descending.
    pub truncated: Vec<Span>,
}

/// Lowers one parsed file. `text` is its source, which spans and names are read from;
/// `test` says whether items that exist only in test builds are kept.
pub fn lower_file(file: &syn::File, text: &str, test: TestCfg) -> Lowered {
    let mut pieces = Pieces::new(text, test);
    pieces.add(file, 0);
    pieces.finish()
}

/// A file lowered in pieces, each a run of whole items parsed on its own, so that only one
/// piece's syntax tree is alive at a time: the tree is about 30 times the size of its text, so a
/// large file parsed whole would take that much memory at once.
pub struct Pieces<'a> {
    cx: Lowerer<'a>,
    /// The file's own attributes decide about every item (`#![cfg(test)]`): `None` when the
    /// file is compiled out.
    items_cx: Option<ModCx>,
    first: bool,
}

impl<'a> Pieces<'a> {
    pub fn new(text: &'a str, test: TestCfg) -> Pieces<'a> {
        Pieces {
            cx: Lowerer {
                text,
                lines: LineIndex::new(text),
                test,
                ir: FileIr::default(),
                body: None,
                depth: 0,
                truncated: Vec::new(),
            },
            items_cx: Some(ModCx::default()),
            first: true,
        }
    }

    /// Lowers the items of `file`, parsed from the file's text from byte `at` on. The first
    /// piece is the start of the file, with its inner attributes.
    pub fn add(&mut self, file: &syn::File, at: usize) {
        let cx = &mut self.cx;
        cx.lines.start_piece(at);
        if std::mem::take(&mut self.first) {
            let attrs = cx.attrs(&file.attrs);
            // `#![cfg_attr(escape, allow(rule))]` covers the whole file.
            for &(rule, at) in &attrs.allows {
                cx.ir.allows.push(Allow {
                    covers: Span::new(0, u32::MAX),
                    rule,
                    at,
                });
            }
            self.items_cx = attrs.keep(cx.test).then(|| ModCx {
                test_only: attrs.test_only,
                ..ModCx::default()
            });
        }
        if let Some(items_cx) = &self.items_cx {
            let items = cx.items(&file.items, items_cx);
            cx.ir.top.extend(items);
        }
    }

    pub fn finish(mut self) -> Lowered {
        self.cx.ir.shrink_to_fit();
        Lowered {
            ir: self.cx.ir,
            truncated: self.cx.truncated,
        }
    }
}

/// The state of lowering one file: the IR built so far and where lowering stands.
struct Lowerer<'a> {
    text: &'a str,
    lines: LineIndex,
    test: TestCfg,
    ir: FileIr,
    /// The body being lowered, if any.
    body: Option<BodyCx>,
    depth: u32,
    truncated: Vec<Span>,
}

/// Where an item sits: the directories of the inline modules around it, and what the items
/// around it say of it.
#[derive(Clone, Default)]
struct ModCx {
    dirs: Vec<Box<str>>,
    /// The outermost inline module has a `#[path]`: `dirs` start from the file's own
    /// directory even in a non-mod-rs file, as rustc reads it.
    rooted: bool,
    /// An enclosing item is test-only.
    test_only: bool,
    /// An enclosing item has a `cfg` that is not known to be true: it may not exist.
    conditional: bool,
}

impl ModCx {
    /// The context of an item with `attrs` inside this one.
    fn within(&self, attrs: &Attrs) -> ModCx {
        ModCx {
            dirs: self.dirs.clone(),
            rooted: self.rooted,
            test_only: self.test_only || attrs.test_only,
            conditional: self.conditional || attrs.cfg == Some(Tri::Unknown),
        }
    }
}

impl Lowerer<'_> {
    /// An item's visibility.
    fn vis(vis: &syn::Visibility) -> Vis {
        match vis {
            syn::Visibility::Public(_) => Vis::Public,
            syn::Visibility::Restricted(_) => Vis::Restricted,
            syn::Visibility::Inherited => Vis::Private,
        }
    }

    /// The start of an item: its visibility, else `keyword`. Attributes (doc comments
    /// included) are not part of an item's span.
    fn item_lo(
        &self,
        _attrs: &[syn::Attribute],
        vis: Option<&syn::Visibility>,
        keyword: Span,
    ) -> u32 {
        match vis {
            Some(syn::Visibility::Public(token)) => self.span(token.span).lo.min(keyword.lo),
            Some(syn::Visibility::Restricted(r)) => self.span(r.pub_token.span).lo.min(keyword.lo),
            _ => keyword.lo,
        }
    }

    /// Records where lowering stopped descending; the first place is enough to report.
    fn truncate(&mut self, span: Span) {
        if self.truncated.is_empty() {
            self.truncated.push(span);
        }
    }

    /// Lowers a list of children straight into the file's list vector: their slots are
    /// reserved first, so that the children's own lists (appended while they are lowered)
    /// land after them. `f` may skip an element (`None`), for items a `cfg` removes.
    fn lower_list<S, T: Copy>(
        &mut self,
        items: impl ExactSizeIterator<Item = S>,
        fill: T,
        mut f: impl FnMut(&mut Self, S) -> Option<T>,
    ) -> List<T>
    where
        FileIr: ListStore<T>,
    {
        let start = ListStore::<T>::store(&self.ir).len();
        let reserved = items.len();
        ListStore::<T>::store_mut(&mut self.ir).resize(start + reserved, fill);
        let mut len = 0;
        for item in items {
            if let Some(value) = f(self, item) {
                ListStore::<T>::store_mut(&mut self.ir)[start + len] = value;
                len += 1;
            }
        }
        if len < reserved && ListStore::<T>::store(&self.ir).len() == start + reserved {
            ListStore::<T>::store_mut(&mut self.ir).truncate(start + len);
        }
        // An empty list points nowhere: a list around it may truncate the store below `start`.
        if len == 0 {
            return List::EMPTY;
        }
        List::new(start as u32, len as u32)
    }

    /// Appends an already lowered list.
    fn push_list<T>(&mut self, values: Vec<T>) -> List<T>
    where
        FileIr: ListStore<T>,
    {
        let store = ListStore::<T>::store_mut(&mut self.ir);
        let start = store.len();
        let len = values.len();
        store.extend(values);
        List::new(start as u32, len as u32)
    }
}

/// The name of a struct field in an expression or pattern: `x`, or `0` for a tuple field.
fn member_name(cx: &mut Lowerer<'_>, member: &syn::Member) -> Sym {
    match member {
        syn::Member::Named(ident) => cx.sym(ident),
        syn::Member::Unnamed(index) => Sym::new(&index.index.to_string()),
    }
}
