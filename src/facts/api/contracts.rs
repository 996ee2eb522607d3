//! What std does about allocation and blocking, for the contracts.
//!
//! The `no_alloc` and `no_block` contracts (`facts::effects`) must know, of every std function a
//! contracted function calls, whether it allocates, frees, blocks or panics, or none of these.
//! The entries of the parent module say what allocates and what blocks; these add what is known not to
//! (`NoAlloc`), by canonical path and by receiver type, and what those tables do not cover.
//! A std function found in neither is "not verified", as Clang's model has it.

use std::sync::OnceLock;

use super::Effect::*;
use super::{AllocKind, Api, Effect};
use crate::sym::{FxHashMap, Sym};

/// Functions and associated functions, by canonical path, for the contracts. A segment `*`
/// stands for any one segment (`std::sync::atomic::*::new`). Effects add to the entry of
/// [`PATHS`](super::PATHS), if the path has one.
#[rustfmt::skip]
pub static CONTRACT_PATHS: &[(&[&str], &[Effect])] = &[
    // Memory, pointers and slices, moved or viewed in place.
    (&["std", "mem", "swap"], &[NoAlloc]),
    (&["std", "mem", "replace"], &[NoAlloc]),
    (&["std", "mem", "take"], &[NoAlloc]),
    (&["std", "mem", "forget"], &[NoAlloc]),
    (&["std", "mem", "size_of"], &[NoAlloc]),
    (&["std", "mem", "size_of_val"], &[NoAlloc]),
    (&["std", "mem", "align_of"], &[NoAlloc]),
    (&["std", "mem", "align_of_val"], &[NoAlloc]),
    (&["std", "mem", "transmute"], &[NoAlloc]),
    (&["std", "mem", "transmute_copy"], &[NoAlloc]),
    (&["std", "mem", "zeroed"], &[NoAlloc]),
    (&["std", "mem", "discriminant"], &[NoAlloc]),
    (&["std", "mem", "needs_drop"], &[NoAlloc]),
    (&["std", "mem", "MaybeUninit", "*"], &[NoAlloc]),
    (&["std", "mem", "ManuallyDrop", "new"], &[NoAlloc]),
    (&["std", "mem", "ManuallyDrop", "into_inner"], &[NoAlloc]),
    (&["std", "ptr", "read"], &[NoAlloc]),
    (&["std", "ptr", "write"], &[NoAlloc]),
    (&["std", "ptr", "read_unaligned"], &[NoAlloc]),
    (&["std", "ptr", "write_unaligned"], &[NoAlloc]),
    (&["std", "ptr", "read_volatile"], &[NoAlloc]),
    (&["std", "ptr", "write_volatile"], &[NoAlloc]),
    (&["std", "ptr", "copy"], &[NoAlloc]),
    (&["std", "ptr", "copy_nonoverlapping"], &[NoAlloc]),
    (&["std", "ptr", "write_bytes"], &[NoAlloc]),
    (&["std", "ptr", "swap"], &[NoAlloc]),
    (&["std", "ptr", "replace"], &[NoAlloc]),
    (&["std", "ptr", "null"], &[NoAlloc]),
    (&["std", "ptr", "null_mut"], &[NoAlloc]),
    (&["std", "ptr", "eq"], &[NoAlloc]),
    (&["std", "ptr", "addr_eq"], &[NoAlloc]),
    (&["std", "ptr", "dangling"], &[NoAlloc]),
    (&["std", "ptr", "dangling_mut"], &[NoAlloc]),
    (&["std", "ptr", "without_provenance"], &[NoAlloc]),
    (&["std", "ptr", "NonNull", "*"], &[NoAlloc]),
    (&["std", "slice", "from_raw_parts"], &[NoAlloc]),
    (&["std", "slice", "from_raw_parts_mut"], &[NoAlloc]),
    (&["std", "slice", "from_ref"], &[NoAlloc]),
    (&["std", "slice", "from_mut"], &[NoAlloc]),
    (&["std", "str", "from_utf8"], &[NoAlloc]),
    (&["std", "str", "from_utf8_unchecked"], &[NoAlloc]),
    (&["std", "char", "from_u32"], &[NoAlloc]),
    (&["std", "char", "from_digit"], &[NoAlloc]),
    (&["std", "array", "from_fn"], &[NoAlloc, CallsInPlace]),
    (&["std", "array", "from_ref"], &[NoAlloc]),
    (&["std", "convert", "identity"], &[NoAlloc]),
    // Comparisons, hints, atomics.
    (&["std", "cmp", "min"], &[NoAlloc]),
    (&["std", "cmp", "max"], &[NoAlloc]),
    (&["std", "cmp", "min_by"], &[NoAlloc, CallsInPlace]),
    (&["std", "cmp", "max_by"], &[NoAlloc, CallsInPlace]),
    (&["std", "cmp", "min_by_key"], &[NoAlloc, CallsInPlace]),
    (&["std", "cmp", "max_by_key"], &[NoAlloc, CallsInPlace]),
    (&["std", "cmp", "Reverse"], &[NoAlloc]),
    (&["std", "hint", "spin_loop"], &[NoAlloc]),
    (&["std", "hint", "black_box"], &[NoAlloc]),
    (&["std", "hint", "unreachable_unchecked"], &[NoAlloc]),
    (&["std", "hint", "assert_unchecked"], &[NoAlloc]),
    (&["std", "sync", "atomic", "fence"], &[NoAlloc]),
    (&["std", "sync", "atomic", "compiler_fence"], &[NoAlloc]),
    (&["std", "sync", "atomic", "*", "new"], &[NoAlloc]),
    (&["std", "sync", "atomic", "*", "from_ptr"], &[NoAlloc]),
    (&["std", "process", "abort"], &[NoAlloc]),
    // Values that own no heap memory until something is added.
    (&["std", "option", "Option", "Some"], &[NoAlloc]),
    (&["std", "result", "Result", "Ok"], &[NoAlloc]),
    (&["std", "result", "Result", "Err"], &[NoAlloc]),
    (&["std", "vec", "Vec", "new"], &[NoAlloc]),
    (&["std", "string", "String", "new"], &[NoAlloc]),
    (&["std", "collections", "VecDeque", "new"], &[NoAlloc]),
    (&["std", "collections", "HashMap", "new"], &[NoAlloc]),
    (&["std", "collections", "HashSet", "new"], &[NoAlloc]),
    (&["std", "collections", "BTreeMap", "new"], &[NoAlloc]),
    (&["std", "collections", "BTreeSet", "new"], &[NoAlloc]),
    (&["std", "cell", "Cell", "new"], &[NoAlloc]),
    (&["std", "cell", "RefCell", "new"], &[NoAlloc]),
    (&["std", "cell", "UnsafeCell", "new"], &[NoAlloc]),
    (&["std", "sync", "Mutex", "new"], &[NoAlloc]),
    (&["std", "sync", "RwLock", "new"], &[NoAlloc]),
    (&["std", "marker", "PhantomData"], &[NoAlloc]),
    (&["std", "time", "Duration", "*"], &[NoAlloc]),
    (&["std", "time", "Instant", "now"], &[NoAlloc]),
    (&["std", "iter", "repeat"], &[NoAlloc]),
    (&["std", "iter", "repeat_n"], &[NoAlloc]),
    (&["std", "iter", "once"], &[NoAlloc]),
    (&["std", "iter", "empty"], &[NoAlloc]),
    (&["std", "iter", "zip"], &[NoAlloc]),
    (&["std", "iter", "from_fn"], &[NoAlloc, CallsInPlace]),
    (&["std", "iter", "successors"], &[NoAlloc, CallsInPlace]),
    (&["std", "iter", "repeat_with"], &[NoAlloc, CallsInPlace]),
    (&["std", "fmt", "write"], &[NoAlloc]),
    // Reference counts move; only the last drop frees.
    (&["std", "rc", "Rc", "clone"], &[NoAlloc]),
    (&["std", "sync", "Arc", "clone"], &[NoAlloc]),
    (&["std", "rc", "Rc", "strong_count"], &[NoAlloc]),
    (&["std", "sync", "Arc", "strong_count"], &[NoAlloc]),
    (&["std", "rc", "Rc", "ptr_eq"], &[NoAlloc]),
    (&["std", "sync", "Arc", "ptr_eq"], &[NoAlloc]),
    (&["std", "rc", "Rc", "as_ptr"], &[NoAlloc]),
    (&["std", "sync", "Arc", "as_ptr"], &[NoAlloc]),
    (&["std", "boxed", "Box", "into_raw"], &[NoAlloc]),
    (&["std", "boxed", "Box", "leak"], &[NoAlloc]),
    (&["std", "boxed", "Box", "as_ptr"], &[NoAlloc]),
    // Allocators, spawned work and channels allocate.
    (&["std", "alloc", "alloc"], &[MayAllocate]),
    (&["std", "alloc", "alloc_zeroed"], &[MayAllocate]),
    (&["std", "alloc", "realloc"], &[MayAllocate]),
    (&["std", "alloc", "dealloc"], &[DropsElements]),
    (&["std", "alloc", "Layout", "*"], &[NoAlloc]),
    (&["std", "sync", "mpsc", "channel"], &[MayAllocate]),
    (&["std", "sync", "mpsc", "sync_channel"], &[MayAllocate]),
    // Waits.
    (&["std", "thread", "park"], &[Blocks, NoAlloc]),
    (&["std", "thread", "park_timeout"], &[Blocks, NoAlloc]),
    (&["std", "thread", "yield_now"], &[Blocks, NoAlloc]),
    (&["std", "thread", "sleep"], &[NoAlloc]),
    (&["std", "thread", "sleep_ms"], &[Blocks, NoAlloc]),
    (&["std", "io", "stdout"], &[DoesIo]),
    (&["std", "io", "stderr"], &[DoesIo]),
    (&["std", "io", "stdin"], &[DoesIo]),
];

/// A std type, as far as the contracts tell its methods apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StdType {
    /// Integers, floats, `bool`, `char`, raw pointers, atomics, `Duration`, `Instant`,
    /// `Wrapping`, `Ordering`, `NonNull`: plain values, whose methods compute.
    Scalar,
    /// `char`, whose `to_string` allocates (a [`StdType::Scalar`] otherwise).
    Char,
    Str,
    /// Slices and arrays.
    Slice,
    Vec,
    VecDeque,
    String,
    Option,
    Result,
    /// `Box`: its own methods; everything else is its content's.
    Box,
    /// `Rc` and `Arc`.
    Counted,
    Cell,
    RefCell,
    Mutex,
    RwLock,
    Condvar,
    Barrier,
    OnceLock,
    /// `mpsc::Receiver`.
    Receiver,
    /// `mpsc::Sender`: an unbounded channel, which allocates as it grows.
    Sender,
    /// `mpsc::SyncSender`: a bounded channel, which waits when it is full.
    SyncSender,
    JoinHandle,
    /// `HashMap` and `HashSet`.
    HashMap,
    /// `BTreeMap` and `BTreeSet`.
    BTreeMap,
    /// `fmt::Formatter` and `fmt::Arguments`: writing formats into the caller's buffer.
    Formatter,
    MaybeUninit,
}

impl StdType {
    /// The std type a canonical path names, if the contracts know it.
    pub fn of_path(path: &[Sym]) -> Option<StdType> {
        let p: Vec<&str> = path.iter().map(|s| s.as_str()).collect();
        Some(match p.as_slice() {
            ["std", "sync", "atomic", name] if name.starts_with("Atomic") => StdType::Scalar,
            ["std", "time", "Duration" | "Instant"]
            | ["std", "num", "Wrapping" | "Saturating"]
            | ["std", "cmp", "Ordering"]
            | ["std", "ptr", "NonNull"]
            | ["std", "marker", "PhantomData"] => StdType::Scalar,
            ["std", "num", name] if name.starts_with("NonZero") => StdType::Scalar,
            ["std", "vec", "Vec"] => StdType::Vec,
            ["std", "collections", "VecDeque"] => StdType::VecDeque,
            ["std", "string", "String"] => StdType::String,
            ["std", "option", "Option"] => StdType::Option,
            ["std", "result", "Result"] => StdType::Result,
            ["std", "boxed", "Box"] => StdType::Box,
            ["std", "rc", "Rc"] | ["std", "sync", "Arc"] => StdType::Counted,
            ["std", "cell", "Cell"] => StdType::Cell,
            ["std", "cell", "RefCell"] => StdType::RefCell,
            ["std", "sync", "Mutex"] => StdType::Mutex,
            ["std", "sync", "RwLock"] => StdType::RwLock,
            ["std", "sync", "Condvar"] => StdType::Condvar,
            ["std", "sync", "Barrier"] => StdType::Barrier,
            ["std", "sync", "OnceLock" | "LazyLock"] => StdType::OnceLock,
            ["std", "sync", "mpsc", "Receiver"] => StdType::Receiver,
            ["std", "sync", "mpsc", "Sender"] => StdType::Sender,
            ["std", "sync", "mpsc", "SyncSender"] => StdType::SyncSender,
            ["std", "thread", "JoinHandle" | "ScopedJoinHandle"] => StdType::JoinHandle,
            ["std", "collections", "HashMap" | "HashSet"] => StdType::HashMap,
            ["std", "collections", "BTreeMap" | "BTreeSet"] => StdType::BTreeMap,
            ["std", "fmt", "Formatter" | "Arguments"] => StdType::Formatter,
            ["std", "mem", "MaybeUninit"] => StdType::MaybeUninit,
            _ => return None,
        })
    }

    /// What the methods of a type dereference to when it has no method of the name: a
    /// `Vec`'s slice, a `String`'s `str`.
    pub fn derefs_to(self) -> Option<StdType> {
        match self {
            StdType::Vec | StdType::VecDeque => Some(StdType::Slice),
            StdType::String => Some(StdType::Str),
            _ => None,
        }
    }
}

/// Methods of std types, for the contracts: per type, groups of names with their effects. A
/// name `*` stands for every method of the type not listed. A method not found here (nor on
/// what the type dereferences to) is not verified.
#[rustfmt::skip]
pub static STD_METHODS: &[(StdType, &[&str], &[Effect])] = &[
    (StdType::Scalar, &["*"], &[NoAlloc]),
    (StdType::Scalar, &["to_string"], &[Allocates(AllocKind::String)]),
    (StdType::Char, &["to_string"], &[Allocates(AllocKind::String)]),
    (StdType::Char, &["*"], &[NoAlloc]),
    (StdType::Str, &["len", "is_empty", "as_bytes", "as_ptr", "chars", "char_indices", "bytes",
        "split", "splitn", "rsplit", "rsplitn", "split_terminator", "split_whitespace",
        "split_ascii_whitespace", "split_once", "rsplit_once", "split_at", "lines", "trim",
        "trim_start", "trim_end", "trim_matches", "trim_start_matches", "trim_end_matches",
        "strip_prefix", "strip_suffix", "starts_with", "ends_with", "find", "rfind", "contains",
        "matches", "match_indices", "get", "get_unchecked", "is_char_boundary", "eq",
        "eq_ignore_ascii_case", "cmp", "partial_cmp", "as_str", "make_ascii_lowercase",
        "make_ascii_uppercase", "is_ascii", "encode_utf16", "escape_debug", "escape_default"],
        &[NoAlloc]),
    (StdType::Str, &["to_string", "to_owned", "to_lowercase", "to_uppercase",
        "to_ascii_lowercase", "to_ascii_uppercase", "repeat", "replace", "replacen",
        "into_string", "into_boxed_str"], &[Allocates(AllocKind::String)]),
    (StdType::Slice, &["len", "is_empty", "first", "first_mut", "last", "last_mut", "get",
        "get_mut", "get_unchecked", "get_unchecked_mut", "iter", "iter_mut", "split_at",
        "split_at_mut", "split_first", "split_first_mut", "split_last", "split_last_mut",
        "chunks", "chunks_mut", "chunks_exact", "chunks_exact_mut", "rchunks", "rchunks_mut",
        "windows", "swap", "reverse", "copy_from_slice", "clone_from_slice", "copy_within",
        "swap_with_slice", "fill", "contains", "starts_with", "ends_with", "binary_search",
        "sort_unstable", "select_nth_unstable", "rotate_left", "rotate_right", "as_ptr",
        "as_mut_ptr", "as_ptr_range", "as_mut_ptr_range", "as_slice", "as_mut_slice", "eq",
        "ne", "cmp", "partial_cmp", "is_sorted", "align_to", "align_to_mut", "split",
        "split_mut", "splitn", "as_chunks", "each_ref", "each_mut", "into_iter"], &[NoAlloc]),
    (StdType::Slice, &["fill_with", "binary_search_by", "binary_search_by_key",
        "sort_unstable_by", "sort_unstable_by_key", "select_nth_unstable_by",
        "partition_point", "is_sorted_by", "is_sorted_by_key", "map", "iter_map"],
        &[NoAlloc, CallsInPlace]),
    (StdType::Slice, &["to_vec", "to_owned", "into_vec", "concat", "join", "repeat"],
        &[Allocates(AllocKind::Vec)]),
    // A stable sort allocates a buffer for all but the shortest slices.
    (StdType::Slice, &["sort", "sort_by", "sort_by_key", "sort_by_cached_key"], &[MayAllocate]),
    (StdType::Vec, &["len", "is_empty", "capacity", "as_slice", "as_mut_slice", "as_ptr",
        "as_mut_ptr", "pop", "swap_remove", "remove", "set_len", "spare_capacity_mut", "leak",
        "push_within_capacity", "pop_if"], &[NoAlloc]),
    (StdType::Vec, &["clear", "truncate", "dedup", "drain"], &[NoAlloc, DropsElements]),
    (StdType::Vec, &["retain", "retain_mut", "dedup_by", "dedup_by_key"],
        &[NoAlloc, DropsElements, CallsInPlace]),
    (StdType::Vec, &["push", "insert", "extend", "extend_from_slice", "extend_from_within",
        "append", "resize", "resize_with", "reserve", "reserve_exact", "try_reserve",
        "try_reserve_exact", "shrink_to_fit", "shrink_to", "into_boxed_slice", "splice"],
        &[MayAllocate]),
    (StdType::Vec, &["clone", "split_off"], &[Allocates(AllocKind::Vec)]),
    (StdType::VecDeque, &["len", "is_empty", "capacity", "front", "front_mut", "back",
        "back_mut", "get", "get_mut", "pop_front", "pop_back", "iter", "iter_mut", "swap",
        "as_slices", "as_mut_slices", "make_contiguous", "range", "contains", "remove",
        "swap_remove_back", "swap_remove_front", "rotate_left", "rotate_right"], &[NoAlloc]),
    (StdType::VecDeque, &["clear", "truncate", "drain"], &[NoAlloc, DropsElements]),
    (StdType::VecDeque, &["retain", "retain_mut"], &[NoAlloc, DropsElements, CallsInPlace]),
    (StdType::VecDeque, &["push_back", "push_front", "insert", "extend", "append", "resize",
        "reserve", "reserve_exact", "shrink_to_fit"], &[MayAllocate]),
    (StdType::VecDeque, &["clone", "split_off"], &[Allocates(AllocKind::Vec)]),
    (StdType::String, &["len", "is_empty", "capacity", "as_str", "as_mut_str", "as_bytes",
        "pop", "truncate", "clear", "remove", "as_ptr", "leak"], &[NoAlloc]),
    (StdType::String, &["push", "push_str", "insert", "insert_str", "extend", "reserve",
        "reserve_exact", "shrink_to_fit", "into_boxed_str"], &[MayAllocate]),
    (StdType::String, &["clone", "split_off", "to_string", "to_owned"],
        &[Allocates(AllocKind::String)]),
    (StdType::Option, &["is_some", "is_none", "as_ref", "as_mut", "as_deref", "as_deref_mut",
        "unwrap_or", "unwrap_or_default", "unwrap_unchecked", "ok_or", "copied", "take",
        "replace", "insert", "get_or_insert", "iter", "iter_mut", "and", "or", "xor", "flatten",
        "zip", "as_slice", "as_pin_ref", "as_pin_mut", "into_iter", "is_some_and", "is_none_or"],
        &[NoAlloc]),
    (StdType::Option, &["map", "and_then", "or_else", "filter", "map_or", "map_or_else",
        "unwrap_or_else", "get_or_insert_with", "ok_or_else", "inspect", "take_if"],
        &[NoAlloc, CallsInPlace]),
    (StdType::Option, &["unwrap", "expect"], &[NoAlloc, UnwrapsOrPanics]),
    (StdType::Result, &["is_ok", "is_err", "ok", "err", "as_ref", "as_mut", "as_deref",
        "as_deref_mut", "unwrap_or", "unwrap_or_default", "unwrap_unchecked", "copied", "iter",
        "iter_mut", "and", "or", "into_iter", "is_ok_and", "is_err_and"], &[NoAlloc]),
    (StdType::Result, &["map", "map_err", "and_then", "or_else", "map_or", "map_or_else",
        "unwrap_or_else", "inspect", "inspect_err"], &[NoAlloc, CallsInPlace]),
    (StdType::Result, &["unwrap", "expect", "unwrap_err", "expect_err"],
        &[NoAlloc, UnwrapsOrPanics]),
    (StdType::Box, &["as_ref", "as_mut", "as_ptr", "as_mut_ptr", "into_raw", "leak"],
        &[NoAlloc]),
    (StdType::Box, &["clone"], &[Allocates(AllocKind::Box)]),
    (StdType::Counted, &["clone", "as_ref", "as_ptr", "downgrade", "get_mut", "ptr_eq",
        "strong_count", "weak_count", "upgrade"], &[NoAlloc]),
    (StdType::Counted, &["make_mut"], &[MayAllocate]),
    (StdType::Cell, &["get", "set", "replace", "take", "swap", "into_inner", "get_mut",
        "as_ptr", "update"], &[NoAlloc]),
    (StdType::RefCell, &["borrow", "borrow_mut", "try_borrow", "try_borrow_mut", "replace",
        "take", "swap", "get_mut", "as_ptr", "into_inner"], &[NoAlloc]),
    (StdType::Mutex, &["try_lock", "get_mut", "into_inner", "is_poisoned", "clear_poison"],
        &[NoAlloc]),
    (StdType::Mutex, &["lock"], &[NoAlloc, Blocks]),
    (StdType::RwLock, &["try_read", "try_write", "get_mut", "into_inner", "is_poisoned"],
        &[NoAlloc]),
    (StdType::RwLock, &["read", "write"], &[NoAlloc, Blocks]),
    (StdType::Condvar, &["notify_one", "notify_all"], &[NoAlloc]),
    (StdType::Condvar, &["wait", "wait_while", "wait_timeout", "wait_timeout_ms",
        "wait_timeout_while"], &[NoAlloc, Blocks]),
    (StdType::Barrier, &["wait"], &[NoAlloc, Blocks]),
    (StdType::OnceLock, &["get", "get_mut", "into_inner", "take"], &[NoAlloc]),
    // The first caller runs the initializer; the others wait for it.
    (StdType::OnceLock, &["get_or_init", "force", "set", "wait"],
        &[NoAlloc, Blocks, CallsInPlace]),
    (StdType::Receiver, &["try_recv", "try_iter"], &[NoAlloc]),
    (StdType::Receiver, &["recv", "recv_timeout", "recv_deadline", "iter", "into_iter"],
        &[NoAlloc, Blocks]),
    (StdType::Sender, &["clone"], &[NoAlloc]),
    (StdType::Sender, &["send"], &[MayAllocate]),
    (StdType::SyncSender, &["try_send", "clone"], &[NoAlloc]),
    (StdType::SyncSender, &["send"], &[NoAlloc, Blocks]),
    (StdType::JoinHandle, &["is_finished", "thread"], &[NoAlloc]),
    (StdType::JoinHandle, &["join"], &[NoAlloc, Blocks]),
    (StdType::HashMap, &["len", "is_empty", "capacity", "get", "get_mut", "get_key_value",
        "contains_key", "contains", "iter", "iter_mut", "keys", "values", "values_mut",
        "remove", "take", "hasher", "is_subset", "is_disjoint"], &[NoAlloc]),
    (StdType::HashMap, &["clear", "drain"], &[NoAlloc, DropsElements]),
    (StdType::HashMap, &["retain"], &[NoAlloc, DropsElements, CallsInPlace]),
    (StdType::HashMap, &["insert", "entry", "extend", "reserve", "try_reserve",
        "shrink_to_fit", "get_or_insert", "get_or_insert_with", "replace"], &[MayAllocate]),
    (StdType::HashMap, &["clone"], &[Allocates(AllocKind::Collect)]),
    (StdType::BTreeMap, &["len", "is_empty", "get", "get_mut", "get_key_value",
        "contains_key", "contains", "iter", "iter_mut", "keys", "values", "values_mut",
        "range", "range_mut", "first_key_value", "last_key_value", "first", "last"],
        &[NoAlloc]),
    (StdType::BTreeMap, &["remove", "take", "pop_first", "pop_last", "clear", "retain"],
        &[NoAlloc, DropsElements]),
    (StdType::BTreeMap, &["insert", "entry", "extend", "append", "replace"], &[MayAllocate]),
    (StdType::BTreeMap, &["clone", "split_off"], &[Allocates(AllocKind::Collect)]),
    (StdType::Formatter, &["*"], &[NoAlloc]),
    (StdType::MaybeUninit, &["*"], &[NoAlloc]),
];

/// A std type's method, for the contracts: its group of [`STD_METHODS`], else the type's `*`
/// group; unknown (no effects) when neither has it.
pub fn std_method(ty: StdType, name: Sym) -> Api {
    static BY_TYPE: OnceLock<FxHashMap<(u8, Sym), &'static [Effect]>> = OnceLock::new();
    let by_type = BY_TYPE.get_or_init(|| {
        let mut map = FxHashMap::default();
        for &(ty, names, effects) in STD_METHODS {
            for name in names {
                let previous = map.insert((ty as u8, Sym::new(name)), effects);
                debug_assert!(
                    previous.is_none(),
                    "`{ty:?}::{name}` is in STD_METHODS twice"
                );
            }
        }
        map
    });
    let effects = by_type
        .get(&(ty as u8, name))
        .or_else(|| by_type.get(&(ty as u8, Sym::new("*"))))
        .copied()
        .unwrap_or_default();
    Api { effects }
}

/// Methods that allocate, free and block nothing on every std type that has them, and are
/// rarely anything but std's: what a method of a receiver whose type is not known may be
/// taken to do, when no crate of the workspace has a method of that name. Iterator adaptors
/// and consumers (but `collect`, `cloned`), numbers' arithmetic, slices' views, atomics.
#[rustfmt::skip]
pub static PLAIN_METHODS: &[&str] = &[
    // Iterators.
    "next", "next_back", "nth", "nth_back", "map", "filter", "filter_map", "enumerate", "zip",
    "rev", "skip", "take", "step_by", "chain", "peekable", "peek", "fuse", "inspect",
    "take_while", "skip_while", "map_while", "scan", "flat_map", "flatten", "copied", "by_ref",
    "cycle", "count", "sum", "product", "fold", "try_fold", "rfold", "for_each",
    "try_for_each", "any", "all", "find", "find_map", "position", "rposition", "max", "min",
    "max_by", "min_by", "max_by_key", "min_by_key", "reduce", "last", "size_hint",
    // Numbers.
    "abs", "signum", "pow", "powi", "powf", "sqrt", "cbrt", "exp", "exp2", "ln", "log",
    "log2", "log10", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh",
    "tanh", "floor", "ceil", "round", "trunc", "fract", "mul_add", "clamp", "hypot", "recip",
    "to_degrees", "to_radians", "is_nan", "is_finite", "is_infinite", "is_sign_negative",
    "is_sign_positive", "copysign", "to_bits", "from_bits", "total_cmp", "rem_euclid",
    "div_euclid", "wrapping_add", "wrapping_sub", "wrapping_mul", "wrapping_neg",
    "wrapping_shl", "wrapping_shr", "checked_add", "checked_sub", "checked_mul", "checked_div",
    "checked_rem", "checked_shl", "checked_shr", "checked_neg", "saturating_add",
    "saturating_sub", "saturating_mul", "overflowing_add", "overflowing_sub",
    "overflowing_mul", "rotate_left", "rotate_right", "count_ones", "count_zeros",
    "leading_zeros", "trailing_zeros", "leading_ones", "trailing_ones", "swap_bytes",
    "reverse_bits", "is_power_of_two", "next_power_of_two", "to_le_bytes", "to_be_bytes",
    "to_ne_bytes", "to_le", "to_be", "abs_diff", "isqrt", "ilog2", "unsigned_abs",
    // Views, tests and cells.
    "len", "is_empty", "get", "get_mut", "get_unchecked", "get_unchecked_mut", "first",
    "first_mut", "iter", "iter_mut", "as_ptr", "as_mut_ptr", "as_ref", "as_mut", "as_slice",
    "as_mut_slice", "as_bytes", "as_str", "is_some", "is_none", "is_ok", "is_err", "eq", "ne",
    "cmp", "partial_cmp", "lt", "le", "gt", "ge", "capacity", "contains", "starts_with",
    "ends_with", "copy_from_slice", "fill", "split_at", "split_at_mut", "chunks",
    "chunks_exact", "chunks_mut", "chunks_exact_mut", "windows", "unwrap_or",
    "unwrap_or_default", "ok", "err",
    // `Option` and `Result` combinators: the closures they call are walked where written.
    "map_or", "map_or_else", "and_then", "or_else", "unwrap_or_else", "ok_or", "ok_or_else",
    "is_some_and", "is_none_or", "is_ok_and", "is_err_and", "as_deref", "as_deref_mut",
    "map_err", "transpose", "xor", "or", "and",
    // Atomics, and what is fine on any lock or channel.
    "load", "store", "fetch_add", "fetch_sub", "fetch_and", "fetch_or", "fetch_xor",
    "fetch_max", "fetch_min", "fetch_update", "compare_exchange", "compare_exchange_weak",
    "try_lock", "try_recv", "try_send", "notify_one", "notify_all",
];

/// Whether a method of a receiver whose type is not known is one of [`PLAIN_METHODS`].
pub fn is_plain_method(name: Sym) -> bool {
    static PLAIN: OnceLock<crate::sym::FxHashSet<Sym>> = OnceLock::new();
    PLAIN
        .get_or_init(|| PLAIN_METHODS.iter().map(|m| Sym::new(m)).collect())
        .contains(&name)
}

/// What a function does, for the contracts: the effects of its [`PATHS`](super::PATHS) entry and of its
/// [`CONTRACT_PATHS`] entry (exact, else with `*` segments).
pub fn contract_path(path: &[Sym]) -> (Api, Api) {
    static EXACT: OnceLock<FxHashMap<Box<[Sym]>, usize>> = OnceLock::new();
    let exact = EXACT.get_or_init(|| {
        CONTRACT_PATHS
            .iter()
            .enumerate()
            .filter(|(_, (p, _))| !p.contains(&"*"))
            .map(|(i, (p, _))| (p.iter().map(|s| Sym::new(s)).collect(), i))
            .collect()
    });
    let extra = match exact.get(path) {
        Some(&i) => CONTRACT_PATHS[i].1,
        None => CONTRACT_PATHS
            .iter()
            .find(|(p, _)| {
                p.len() == path.len()
                    && p.contains(&"*")
                    && p.iter().zip(path).all(|(a, b)| *a == "*" || b.is(a))
            })
            .map_or(&[][..], |(_, effects)| effects),
    };
    (super::path(path), Api { effects: extra })
}

/// Macros, for the contracts: what the well-known ones do beyond [`macro_call`](super::macro_call). The format
/// macros that write to a standard stream do I/O; the ones that panic panic; `write!` writes
/// into its first argument, whatever that is.
pub fn contract_macro(name: &str) -> &'static [Effect] {
    match name {
        "print" | "println" | "eprint" | "eprintln" | "dbg" => &[DoesIo],
        "panic" | "unreachable" | "todo" | "unimplemented" | "assert" | "assert_eq"
        | "assert_ne" | "debug_assert" | "debug_assert_eq" | "debug_assert_ne" => {
            &[NoAlloc, UnwrapsOrPanics]
        }
        "matches"
        | "format_args"
        | "concat"
        | "stringify"
        | "line"
        | "column"
        | "file"
        | "module_path"
        | "cfg"
        | "env"
        | "option_env"
        | "include_str"
        | "include_bytes"
        | "const_format_args"
        | "debug_assert_matches"
        | "assert_matches"
        | "addr_of"
        | "addr_of_mut" => &[NoAlloc],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_tables_answer_by_path_and_receiver() {
        let sym = |s: &str| Sym::new(s);
        let path = |p: &[&str]| p.iter().map(|s| sym(s)).collect::<Vec<_>>();
        let (table, extra) = contract_path(&path(&["std", "mem", "swap"]));
        assert!(table.has(Effect::Replaces) && extra.has(Effect::NoAlloc));
        let (_, atomic) = contract_path(&path(&["std", "sync", "atomic", "AtomicU32", "new"]));
        assert!(atomic.has(Effect::NoAlloc));
        assert!(!contract_path(&path(&["std", "env", "var"])).1.is_known());
        assert!(std_method(StdType::Vec, sym("push")).has(Effect::MayAllocate));
        assert!(std_method(StdType::Scalar, sym("wrapping_add")).has(Effect::NoAlloc));
        assert!(std_method(StdType::Mutex, sym("lock")).has(Effect::Blocks));
        assert!(!std_method(StdType::Vec, sym("iter")).is_known());
        assert_eq!(StdType::Vec.derefs_to(), Some(StdType::Slice));
        assert!(std_method(StdType::Slice, sym("iter")).has(Effect::NoAlloc));
        assert!(is_plain_method(sym("wrapping_add")) && !is_plain_method(sym("push")));
        let mut names: Vec<(u8, &str)> = STD_METHODS
            .iter()
            .flat_map(|(ty, names, _)| names.iter().map(|n| (*ty as u8, *n)))
            .collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count, "a method is in STD_METHODS twice");
    }
}
