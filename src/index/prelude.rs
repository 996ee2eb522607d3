//! What the standard library puts in scope, and the std items the rules know by name.
//!
//! Paths outside the crate are kept as [`External`](super::Def::External) paths in a canonical
//! spelling: `core::` and `alloc::` become `std::`, and a few well-known re-exports collapse to
//! one path, so a rule can compare against `std::mem::forget` however the code spelled it.

/// The prelude's canonical path for `name`, from a map built once.
pub fn lookup(name: crate::sym::Sym) -> Option<&'static [crate::sym::Sym]> {
    use crate::sym::{FxHashMap, Sym};
    static MAP: std::sync::OnceLock<FxHashMap<Sym, Box<[Sym]>>> = std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        PRELUDE
            .iter()
            .map(|(n, path)| (Sym::new(n), path.iter().map(|s| Sym::new(s)).collect()))
            .collect()
    })
    .get(&name)
    .map(|p| &**p)
}

/// Names every module sees without importing them (the 2021 prelude, and `size_of` and
/// friends, which joined it in Rust 1.80), with their canonical paths.
pub const PRELUDE: &[(&str, &[&str])] = &[
    ("Box", &["std", "boxed", "Box"]),
    ("Vec", &["std", "vec", "Vec"]),
    ("String", &["std", "string", "String"]),
    ("ToString", &["std", "string", "ToString"]),
    ("ToOwned", &["std", "borrow", "ToOwned"]),
    ("Option", &["std", "option", "Option"]),
    ("Some", &["std", "option", "Option", "Some"]),
    ("None", &["std", "option", "Option", "None"]),
    ("Result", &["std", "result", "Result"]),
    ("Ok", &["std", "result", "Result", "Ok"]),
    ("Err", &["std", "result", "Result", "Err"]),
    ("drop", &["std", "mem", "drop"]),
    ("size_of", &["std", "mem", "size_of"]),
    ("size_of_val", &["std", "mem", "size_of_val"]),
    ("align_of", &["std", "mem", "align_of"]),
    ("align_of_val", &["std", "mem", "align_of_val"]),
    ("Clone", &["std", "clone", "Clone"]),
    ("Copy", &["std", "marker", "Copy"]),
    ("Send", &["std", "marker", "Send"]),
    ("Sync", &["std", "marker", "Sync"]),
    ("Sized", &["std", "marker", "Sized"]),
    ("Unpin", &["std", "marker", "Unpin"]),
    ("Drop", &["std", "ops", "Drop"]),
    ("Fn", &["std", "ops", "Fn"]),
    ("FnMut", &["std", "ops", "FnMut"]),
    ("FnOnce", &["std", "ops", "FnOnce"]),
    ("AsyncFn", &["std", "ops", "AsyncFn"]),
    ("AsyncFnMut", &["std", "ops", "AsyncFnMut"]),
    ("AsyncFnOnce", &["std", "ops", "AsyncFnOnce"]),
    ("Iterator", &["std", "iter", "Iterator"]),
    ("IntoIterator", &["std", "iter", "IntoIterator"]),
    (
        "DoubleEndedIterator",
        &["std", "iter", "DoubleEndedIterator"],
    ),
    ("ExactSizeIterator", &["std", "iter", "ExactSizeIterator"]),
    ("Extend", &["std", "iter", "Extend"]),
    ("FromIterator", &["std", "iter", "FromIterator"]),
    ("Default", &["std", "default", "Default"]),
    ("From", &["std", "convert", "From"]),
    ("Into", &["std", "convert", "Into"]),
    ("TryFrom", &["std", "convert", "TryFrom"]),
    ("TryInto", &["std", "convert", "TryInto"]),
    ("AsRef", &["std", "convert", "AsRef"]),
    ("AsMut", &["std", "convert", "AsMut"]),
    ("PartialEq", &["std", "cmp", "PartialEq"]),
    ("Eq", &["std", "cmp", "Eq"]),
    ("PartialOrd", &["std", "cmp", "PartialOrd"]),
    ("Ord", &["std", "cmp", "Ord"]),
];

/// Public items of std modules, for resolving names brought in by a glob (`use std::mem::*`).
/// Only modules and items that rules look for are listed; a glob of anything else resolves
/// nothing, which keeps unknown names unknown instead of guessing.
pub const MODULE_ITEMS: &[(&[&str], &[&str])] = &[
    (
        &["std", "mem"],
        &[
            "forget",
            "drop",
            "take",
            "replace",
            "swap",
            "size_of",
            "size_of_val",
            "align_of",
            "align_of_val",
            "ManuallyDrop",
            "MaybeUninit",
            "transmute",
            "zeroed",
        ],
    ),
    (&["std", "boxed"], &["Box"]),
    (&["std", "vec"], &["Vec"]),
    (&["std", "string"], &["String", "ToString"]),
    (&["std", "rc"], &["Rc", "Weak"]),
    (
        &["std", "sync"],
        &[
            "Arc", "Weak", "Mutex", "RwLock", "OnceLock", "LazyLock", "Once",
        ],
    ),
    (
        &["std", "cell"],
        &["Cell", "RefCell", "OnceCell", "LazyCell", "UnsafeCell"],
    ),
    (
        &["std", "collections"],
        &[
            "HashMap",
            "HashSet",
            "BTreeMap",
            "BTreeSet",
            "VecDeque",
            "BinaryHeap",
            "LinkedList",
        ],
    ),
    (
        &["std", "thread"],
        &[
            "spawn",
            "scope",
            "Builder",
            "JoinHandle",
            "sleep",
            "LocalKey",
        ],
    ),
];

/// Re-exports that name the same item: the longer spelling is rewritten to the shorter.
pub const ALIASES: &[(&[&str], &[&str])] = &[
    (
        &["std", "collections", "hash_map", "HashMap"],
        &["std", "collections", "HashMap"],
    ),
    (
        &["std", "collections", "hash_set", "HashSet"],
        &["std", "collections", "HashSet"],
    ),
    (
        &["std", "collections", "btree_map", "BTreeMap"],
        &["std", "collections", "BTreeMap"],
    ),
    (
        &["std", "collections", "btree_set", "BTreeSet"],
        &["std", "collections", "BTreeSet"],
    ),
    (
        &["std", "collections", "vec_deque", "VecDeque"],
        &["std", "collections", "VecDeque"],
    ),
];

/// Crates always in the extern prelude.
pub const STD_CRATES: &[&str] = &["std", "core", "alloc"];
