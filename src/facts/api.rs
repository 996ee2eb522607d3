//! The one table of std and ecosystem APIs: what a call does, fact by fact.
//!
//! An API is known by its canonical path ([`path`]: `std::boxed::Box::new`, for calls that
//! resolve), by its method name ([`method`]: `push`, for receivers whose type is not known),
//! or by its macro name ([`macro_call`]: `vec!`). Its entry lists its [`Effect`]s: a method can
//! allocate, store its argument into its receiver and grow it, all at once. A method name
//! stands for every method of that name, so its entry is the union of what they do: `take` is
//! `Iterator::take`, which consumes its receiver, and `Option::take`, which replaces its value.
//!
//! The escape builder, the rules and the facts about types all read this table. Where they
//! used to keep lists of their own that disagreed, the difference is an effect of its own
//! here (`UnwrapsOrPanics` is not `PassesThrough`), and each consumer says which effects it
//! follows. `CallsInPlace` tells the escape builder that a closure given to the call is called
//! there and dropped (or kept by the iterator adaptor returned), never sent elsewhere.

use std::sync::OnceLock;

use crate::sym::{FxHashMap, Sym};

/// What an allocation site allocates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllocKind {
    /// `Box::new`, `Box::from`, `Box::default`.
    Box,
    /// `Box::pin`.
    BoxPin,
    Rc,
    Arc,
    /// `vec![..]`, `Vec::with_capacity`, `.to_vec()`.
    Vec,
    /// `String::from`, `format!`, `.to_string()`, `.to_owned()`.
    String,
    /// `.collect()`, into whatever the context asks for.
    Collect,
}

/// One thing a call does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    // What it makes.
    /// Allocates on the heap; its result owns the allocation.
    Allocates(AllocKind),
    /// Puts its arguments into the value it returns, as an enum variant does: `Some(x)`.
    Wraps,
    /// Builds its value from its argument, which is built on the stack first and moved in:
    /// `Box::new(x)`, `Mutex::new(x)`.
    BuildsFromArgument,
    /// Returns a value of this std type: `to_string()` a `String`.
    Returns(&'static [&'static str]),
    /// Returns the type its turbofish names: `collect::<Vec<_>>()`.
    ReturnsTurbofish,
    /// Returns a value of its receiver's type: `clone()`.
    ReturnsReceiverType,
    /// Returns a new owned value, not a reference into something else: `clone()`,
    /// `into_iter()`. (Implied by `Allocates`.)
    ReturnsOwned,
    /// Returns its arguments: `dbg!(x)`.
    ReturnsArguments,
    /// Returns another owner of the allocation its (borrowed) argument owns: `Arc::clone(&a)`.
    SharesAllocation,

    // What it does with its receiver (for methods) or its first argument.
    /// The result borrows from the receiver: `iter()`, `get()`, `as_ref()`, `lock()`.
    BorrowsReceiver,
    /// The receiver is moved into the result: `into_iter()`, `unwrap()`, `map(..)`.
    ConsumesReceiver,
    /// The receiver is used during the call only; the result is a new value that does not
    /// borrow from it: `len()`, `clone()`, `pop()`.
    UsesReceiver,
    /// The result is the receiver's whole value behind a guard or a reference, or unwrapped:
    /// what is done to the result is done to the receiver (`lock()`, `borrow_mut()`,
    /// `unwrap()`, `get_or_init(..)`).
    PassesThrough,
    /// Returns the value inside an `Option` or `Result`, or panics: `unwrap()`, `expect(..)`.
    UnwrapsOrPanics,
    /// Calls its closure argument in place, with a reference to the receiver's value:
    /// `LocalKey::with(|v| ..)`.
    LendsToClosure,
    /// Only borrows its arguments: `println!`, `assert_eq!`, `write!`.
    BorrowsArguments,

    // What it does to what the receiver holds.
    /// Stores its argument in the receiver (`push`, `insert`, `set`); for a function, its
    /// second argument where its first points (`mem::replace(dest, src)`).
    Stores,
    /// Adds to the collection: `push`, `insert`, `extend`, `entry`.
    Grows,
    /// Removes from the collection: `pop`, `remove`, `clear`, `retain`, `drain`.
    Shrinks,
    /// Puts a new value in place of the old one, which it drops or returns: `set`,
    /// `replace`, `take`, `mem::take`. A global accumulator counts this as emptying it.
    Replaces,

    // Ownership.
    /// Gives up its argument (or receiver) with nothing left to free it.
    Leaks(Leak),
    /// Takes back an allocation an `into_raw` gave up: `Box::from_raw`,
    /// `Rc::decrement_strong_count`.
    TakesBackRaw,
    /// Rebuilds an owning value from raw parts: `Vec::from_raw_parts`, `Box::from_raw`.
    RebuildsFromRaw,
    /// Keeps its argument from being dropped: `ManuallyDrop::new`.
    KeepsFromDrop,
    /// Gives back a value kept from being dropped: `ManuallyDrop::drop`, `into_inner`, `take`.
    ReleasesKept,
    /// Runs its argument's destructor: `mem::drop`.
    Drops,
    /// Returns a bitwise copy of the value behind a pointer, which stays where it was:
    /// `ptr::read`. Keeping the copy from being dropped leaks nothing.
    CopiesBitwise,
    /// An associated function that is not a method: `Box::leak(b)`, never `b.leak()`.
    NotAMethod,

    // Other threads, closures, waiting.
    /// Runs its closure argument on another thread or task.
    Spawns(Spawn),
    /// Sends its argument to another thread or task: a channel's `send`.
    Sends,
    /// Calls its closure argument before it returns (or, for an iterator adaptor, while the
    /// iterator is used): `Option::map`, `thread::scope`, `catch_unwind`.
    CallsInPlace,
    /// May block the thread: locks, channel receives, joins, sleeps, blocking I/O.
    Blocks,
    /// Waits until another thread or task acts: a join, a channel receive, a barrier or
    /// condition-variable wait, a notification. (A lock or a sleep does not.)
    WaitsForOther,

    // Contracts (`no_alloc`, `no_block`; see `api/contracts.rs`). Only entries of its tables
    // carry these.
    /// Known neither to allocate nor to free heap memory; it blocks only if it also has
    /// `Blocks`. What a `no_alloc` or `no_block` function may call.
    NoAlloc,
    /// Drops some of what the receiver holds (`clear`, `truncate`, `retain`): frees heap
    /// memory when those elements own some.
    DropsElements,
    /// May grow its receiver's heap buffer (`Vec::push`), or allocate one: even within
    /// capacity, nothing proves that the capacity suffices.
    MayAllocate,
    /// Writes to a standard stream or a file, or reads from one (`println!`, `dbg!`,
    /// `stdout()`): may block, and the stream's buffer is allocated on first use.
    DoesIo,

    // Once per receiver.
    /// Runs its closure argument at most once for its receiver: `OnceLock::get_or_init`,
    /// `Once::call_once`. On a `static`, once per process.
    RunsOnce,
    /// Lets the one caller through that swaps a flag from the value it expects:
    /// `compare_exchange`. What it guards on a `static` flag that never goes back runs once.
    ClaimsFlag,

    // The optimizer.
    /// Hides its argument from the optimizer, which must keep the value where it is:
    /// `std::hint::black_box`.
    HidesFromOptimizer,
}

/// How a leaking call leaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leak {
    /// The allocation lives for the rest of the program: `Box::leak`.
    Forever,
    /// The destructor never runs: `mem::forget`.
    SkipsDrop,
    /// A raw pointer owns the allocation, which a `from_raw` may take back: `Box::into_raw`.
    IntoRaw,
}

/// Where spawned work runs, and what its handle does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spawn {
    pub runs: Runs,
    pub handle: Handle,
}

/// Where spawned work runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runs {
    /// On a thread of its own, or of a thread pool: `thread::spawn`, `rayon::spawn`.
    Thread,
    /// As an async task: `tokio::spawn`.
    Task,
    /// On a runtime's thread for blocking work, behind a task's handle: `spawn_blocking`.
    BlockingThread,
    /// Where the receiver, a [`spawner`], runs work: `Builder::spawn`, `JoinSet::spawn`.
    OnReceiver,
}

/// What the handle of spawned work does when it is dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handle {
    /// Nothing: the work goes on, detached (`std` and `tokio` join handles).
    Detaches,
    /// The work is cancelled (`smol`'s `Task`).
    Cancels,
    /// The scope it was spawned in joins it (`spawn_scoped`).
    Scoped,
    /// There is no handle (`rayon::spawn`).
    None,
}

/// A type whose `spawn` methods run work elsewhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spawner {
    pub runs: Runs,
    /// It keeps the handles of what it spawned: `JoinSet`.
    pub keeps_handles: bool,
}

/// An API's entry: its effects.
#[derive(Clone, Copy, Debug, Default)]
pub struct Api {
    pub effects: &'static [Effect],
}

impl Api {
    /// Whether the table knows the API at all.
    pub fn is_known(self) -> bool {
        !self.effects.is_empty()
    }

    pub fn has(self, effect: Effect) -> bool {
        self.effects.contains(&effect)
    }

    pub fn allocates(self) -> Option<AllocKind> {
        self.effects.iter().find_map(|e| match e {
            Effect::Allocates(kind) => Some(*kind),
            _ => None,
        })
    }

    pub fn leaks(self) -> Option<Leak> {
        self.effects.iter().find_map(|e| match e {
            Effect::Leaks(how) => Some(*how),
            _ => None,
        })
    }

    pub fn spawns(self) -> Option<Spawn> {
        self.effects.iter().find_map(|e| match e {
            Effect::Spawns(spawn) => Some(*spawn),
            _ => None,
        })
    }

    pub fn returns(self) -> Option<&'static [&'static str]> {
        self.effects.iter().find_map(|e| match e {
            Effect::Returns(path) => Some(*path),
            _ => None,
        })
    }
}

use Effect::*;

const STRING: &[&str] = &["std", "string", "String"];
const VEC: &[&str] = &["std", "vec", "Vec"];
const THREAD: Spawn = Spawn {
    runs: Runs::Thread,
    handle: Handle::Detaches,
};
const TASK: Spawn = Spawn {
    runs: Runs::Task,
    handle: Handle::Detaches,
};
const BLOCKING: Spawn = Spawn {
    runs: Runs::BlockingThread,
    handle: Handle::Detaches,
};

/// Methods, by name, for receivers whose type is not known: groups of names that share
/// their effects. A name is in one group only.
#[rustfmt::skip]
pub static METHODS: &[(&[&str], &[Effect])] = &[
    // Stores its argument into the receiver.
    (&["push", "push_back", "push_front", "insert", "extend", "extend_from_slice", "append",
        "push_str"], &[Stores, Grows]),
    (&["or_insert", "get_or_insert", "add"], &[Stores]),
    (&["or_insert_with", "or_insert_with_key", "get_or_insert_with"], &[Stores, CallsInPlace]),
    (&["set", "replace"], &[Stores, Replaces]),
    (&["send", "try_send"], &[Sends]),
    (&["send_timeout", "blocking_send"], &[Sends, Blocks]),
    // The result borrows from the receiver.
    (&["borrow", "borrow_mut", "get", "get_mut", "as_mut", "deref", "deref_mut", "try_lock"],
        &[BorrowsReceiver, PassesThrough]),
    (&["lock", "read", "write"], &[BorrowsReceiver, PassesThrough, Blocks]),
    (&["entry"], &[BorrowsReceiver, Grows]),
    (&["as_ref", "as_deref", "as_deref_mut", "first", "first_mut", "last", "last_mut", "iter",
        "iter_mut", "as_slice", "as_mut_slice", "as_str", "as_bytes", "as_ptr", "as_mut_ptr",
        "keys", "values", "values_mut", "chars", "bytes", "lines", "split", "split_whitespace",
        "trim", "trim_start", "trim_end", "peek", "peek_mut", "windows", "chunks",
        "get_unchecked", "get_unchecked_mut", "as_path", "as_os_str", "by_ref"],
        &[BorrowsReceiver]),
    (&["try_write"], &[PassesThrough]),
    (&["get_or_init", "force"], &[PassesThrough, CallsInPlace, RunsOnce]),
    (&["get_or_try_init", "call_once", "call_once_force"], &[CallsInPlace, RunsOnce]),
    (&["compare_exchange", "compare_exchange_weak"], &[ClaimsFlag]),
    // The receiver is moved into the result.
    (&["unwrap", "expect"], &[ConsumesReceiver, PassesThrough, UnwrapsOrPanics]),
    (&["unwrap_or_else"], &[ConsumesReceiver, PassesThrough, CallsInPlace]),
    (&["into_iter", "into_boxed_slice"], &[ConsumesReceiver, ReturnsOwned]),
    (&["drain"], &[ConsumesReceiver, Shrinks]),
    (&["take"], &[ConsumesReceiver, Replaces]),
    (&["map", "map_err", "and_then", "or_else", "filter", "filter_map", "flat_map", "inspect",
        "take_while", "skip_while", "map_while", "scan", "with_context", "map_or", "map_or_else",
        "ok_or_else", "and_modify", "then"], &[ConsumesReceiver, CallsInPlace]),
    (&["into", "try_into", "into_inner", "into_boxed_str", "into_vec", "into_bytes",
        "into_string", "into_keys", "into_values", "unwrap_or", "unwrap_or_default",
        "unwrap_unchecked", "ok", "err", "or", "flatten", "chain", "zip", "rev", "skip",
        "step_by", "enumerate", "fuse", "peekable", "cycle", "context", "boxed", "into_future",
        "pin"], &[ConsumesReceiver]),
    // The receiver is used during the call only.
    (&["to_string"], &[UsesReceiver, Allocates(AllocKind::String), Returns(STRING)]),
    // `str::to_owned` makes a `String`; `[T]::to_owned` a `Vec`, `T::to_owned` a `T`.
    (&["to_owned"], &[UsesReceiver, Allocates(AllocKind::String)]),
    (&["to_vec"], &[UsesReceiver, Allocates(AllocKind::Vec), Returns(VEC)]),
    (&["clone"], &[UsesReceiver, ReturnsOwned, ReturnsReceiverType]),
    (&["clear", "truncate", "pop", "remove", "swap_remove", "pop_front", "pop_back"],
        &[UsesReceiver, Shrinks]),
    (&["retain", "retain_mut"], &[UsesReceiver, Shrinks, CallsInPlace]),
    (&["wait"], &[UsesReceiver, Blocks, WaitsForOther]),
    (&["any", "all", "position", "rposition", "find", "find_map", "sort_by", "sort_by_key",
        "sort_unstable_by", "sort_unstable_by_key", "sort_by_cached_key", "binary_search_by",
        "binary_search_by_key", "max_by", "min_by", "max_by_key", "min_by_key", "dedup_by",
        "dedup_by_key", "for_each", "try_for_each", "fold", "try_fold", "rfold", "reduce",
        "partition", "is_some_and", "is_ok_and", "is_err_and", "is_none_or"], &[UsesReceiver, CallsInPlace]),
    (&["len", "is_empty", "contains", "contains_key", "eq", "ne", "cmp", "partial_cmp", "hash",
        "fmt", "starts_with", "ends_with", "capacity", "is_some", "is_none", "is_ok", "is_err",
        "count", "sum", "product", "min", "max", "cloned", "copied", "sort", "sort_unstable",
        "dedup", "reverse", "reserve", "shrink_to_fit", "take_value", "fetch_add", "fetch_sub",
        "load", "store", "notify_one", "notify_all", "join", "abs", "pow", "checked_add",
        "checked_sub", "wrapping_add", "saturating_sub", "saturating_add", "to_lowercase",
        "to_uppercase", "parse", "rfind", "binary_search", "last_index_of", "type_id", "describe"],
        &[UsesReceiver]),
    (&["collect"], &[ConsumesReceiver, Allocates(AllocKind::Collect), ReturnsTurbofish]),
    // Removes from the collection, or replaces its value.
    (&["pop_first", "pop_last", "remove_entry", "split_off", "extract_if",
        "drain_filter"], &[Shrinks]),
    (&["replace_with"], &[Replaces, CallsInPlace]),
    // Leaks the receiver.
    (&["leak"], &[Leaks(Leak::Forever)]),
    // Copies the value behind a pointer.
    (&["read_unaligned", "read_volatile", "assume_init_read"], &[CopiesBitwise]),
    (&["into_raw"], &[Leaks(Leak::IntoRaw)]),
    // Runs work elsewhere, when the receiver is a `spawner`.
    (&["spawn", "spawn_local"],
        &[Spawns(Spawn { runs: Runs::OnReceiver, handle: Handle::Detaches })]),
    (&["spawn_blocking"], &[Spawns(BLOCKING)]),
    (&["spawn_scoped"], &[Spawns(Spawn { runs: Runs::OnReceiver, handle: Handle::Scoped })]),
    // Calls a closure with the receiver's value.
    (&["with", "try_with", "with_borrow", "with_borrow_mut"], &[LendsToClosure, CallsInPlace]),
    // Waits.
    (&["recv", "recv_timeout", "blocking_recv", "wait_timeout", "wait_while", "notified"],
        &[Blocks, WaitsForOther]),
    (&["read_line", "read_to_end", "read_to_string", "read_exact", "write_all", "sync_all",
        "accept"], &[Blocks]),
];

/// A method by its name, for a receiver whose type is not known.
pub fn method(name: Sym) -> Api {
    static BY_NAME: OnceLock<FxHashMap<Sym, &'static [Effect]>> = OnceLock::new();
    let by_name = BY_NAME.get_or_init(|| {
        let mut map = FxHashMap::default();
        for &(names, effects) in METHODS {
            for name in names {
                let previous = map.insert(Sym::new(name), effects);
                debug_assert!(previous.is_none(), "`{name}` is in two groups of METHODS");
            }
        }
        map
    });
    Api {
        effects: by_name.get(&name).copied().unwrap_or_default(),
    }
}

/// Functions and associated functions, by canonical path. The order matters where a rule
/// names the first match: `from_raw_parts` before `Box::from_raw` (a `ManuallyDrop` rebuilt),
/// `from_raw` before `decrement_strong_count` (what takes an `into_raw` back).
#[rustfmt::skip]
pub static PATHS: &[(&[&str], &[Effect])] = &[
    // Allocations.
    (&["std", "boxed", "Box", "new"], &[Allocates(AllocKind::Box), BuildsFromArgument]),
    (&["std", "boxed", "Box", "from"], &[Allocates(AllocKind::Box), BuildsFromArgument]),
    (&["std", "boxed", "Box", "default"], &[Allocates(AllocKind::Box)]),
    (&["std", "boxed", "Box", "new_in"], &[Allocates(AllocKind::Box)]),
    (&["std", "boxed", "Box", "try_new"], &[Allocates(AllocKind::Box)]),
    (&["std", "boxed", "Box", "pin"], &[Allocates(AllocKind::BoxPin), BuildsFromArgument]),
    (&["std", "rc", "Rc", "new"], &[Allocates(AllocKind::Rc), BuildsFromArgument]),
    (&["std", "rc", "Rc", "from"], &[Allocates(AllocKind::Rc), BuildsFromArgument]),
    (&["std", "rc", "Rc", "default"], &[Allocates(AllocKind::Rc)]),
    (&["std", "rc", "Rc", "pin"], &[Allocates(AllocKind::Rc)]),
    (&["std", "sync", "Arc", "new"], &[Allocates(AllocKind::Arc), BuildsFromArgument]),
    (&["std", "sync", "Arc", "from"], &[Allocates(AllocKind::Arc), BuildsFromArgument]),
    (&["std", "sync", "Arc", "default"], &[Allocates(AllocKind::Arc)]),
    (&["std", "sync", "Arc", "pin"], &[Allocates(AllocKind::Arc)]),
    (&["std", "rc", "Rc", "clone"], &[SharesAllocation]),
    (&["std", "sync", "Arc", "clone"], &[SharesAllocation]),
    (&["std", "vec", "Vec", "with_capacity"], &[Allocates(AllocKind::Vec)]),
    (&["std", "vec", "Vec", "from"], &[Allocates(AllocKind::Vec)]),
    (&["std", "string", "String", "from"], &[Allocates(AllocKind::String)]),
    (&["std", "string", "String", "with_capacity"], &[Allocates(AllocKind::String)]),
    // Cells and locks, built in place from their argument, which they hold as a variant does.
    (&["std", "sync", "Mutex", "new"], &[BuildsFromArgument, Wraps]),
    (&["std", "sync", "RwLock", "new"], &[BuildsFromArgument, Wraps]),
    (&["std", "cell", "Cell", "new"], &[BuildsFromArgument, Wraps]),
    (&["std", "cell", "RefCell", "new"], &[BuildsFromArgument, Wraps]),
    (&["std", "cell", "UnsafeCell", "new"], &[BuildsFromArgument, Wraps]),
    // Variants.
    (&["std", "option", "Option", "Some"], &[Wraps]),
    (&["std", "result", "Result", "Ok"], &[Wraps]),
    (&["std", "result", "Result", "Err"], &[Wraps]),
    // Ownership.
    (&["std", "mem", "drop"], &[Drops]),
    (&["std", "mem", "replace"], &[Stores, Replaces]),
    (&["std", "mem", "take"], &[Replaces]),
    (&["std", "mem", "swap"], &[Replaces]),
    (&["std", "mem", "forget"], &[Leaks(Leak::SkipsDrop)]),
    (&["std", "boxed", "Box", "leak"], &[Leaks(Leak::Forever), NotAMethod]),
    (&["std", "vec", "Vec", "leak"], &[Leaks(Leak::Forever)]),
    (&["std", "string", "String", "leak"], &[Leaks(Leak::Forever)]),
    (&["std", "boxed", "Box", "into_raw"], &[Leaks(Leak::IntoRaw), NotAMethod]),
    (&["std", "rc", "Rc", "into_raw"], &[Leaks(Leak::IntoRaw), NotAMethod]),
    (&["std", "sync", "Arc", "into_raw"], &[Leaks(Leak::IntoRaw), NotAMethod]),
    (&["std", "vec", "Vec", "from_raw_parts"], &[RebuildsFromRaw]),
    (&["std", "string", "String", "from_raw_parts"], &[RebuildsFromRaw]),
    (&["std", "boxed", "Box", "from_raw"], &[TakesBackRaw, RebuildsFromRaw, NotAMethod]),
    (&["std", "rc", "Rc", "from_raw"], &[TakesBackRaw, NotAMethod]),
    (&["std", "rc", "Rc", "decrement_strong_count"], &[TakesBackRaw, NotAMethod]),
    (&["std", "sync", "Arc", "from_raw"], &[TakesBackRaw, NotAMethod]),
    (&["std", "sync", "Arc", "decrement_strong_count"], &[TakesBackRaw, NotAMethod]),
    (&["std", "ptr", "read"], &[CopiesBitwise]),
    (&["std", "ptr", "read_unaligned"], &[CopiesBitwise]),
    (&["std", "ptr", "read_volatile"], &[CopiesBitwise]),
    (&["std", "mem", "ManuallyDrop", "new"], &[KeepsFromDrop]),
    (&["std", "mem", "ManuallyDrop", "drop"], &[ReleasesKept]),
    (&["std", "mem", "ManuallyDrop", "into_inner"], &[ReleasesKept]),
    (&["std", "mem", "ManuallyDrop", "take"], &[ReleasesKept]),
    // Work run elsewhere.
    (&["std", "thread", "spawn"], &[Spawns(THREAD)]),
    (&["std", "thread", "spawn_unchecked"], &[Spawns(THREAD)]),
    (&["tokio", "spawn"], &[Spawns(TASK)]),
    (&["tokio", "spawn_blocking"], &[Spawns(BLOCKING)]),
    (&["tokio", "task", "spawn"], &[Spawns(TASK)]),
    (&["tokio", "task", "spawn_blocking"], &[Spawns(BLOCKING)]),
    (&["tokio", "task", "spawn_local"], &[Spawns(TASK)]),
    (&["async_std", "task", "spawn"], &[Spawns(TASK)]),
    (&["async_std", "task", "spawn_local"], &[Spawns(TASK)]),
    (&["async_std", "task", "spawn_blocking"], &[Spawns(BLOCKING)]),
    (&["smol", "spawn"], &[Spawns(Spawn { runs: Runs::Task, handle: Handle::Cancels })]),
    (&["rayon", "spawn"], &[Spawns(Spawn { runs: Runs::Thread, handle: Handle::None })]),
    // Closures called in place.
    (&["std", "thread", "scope"], &[CallsInPlace]),
    (&["std", "panic", "catch_unwind"], &[CallsInPlace]),
    (&["std", "panic", "AssertUnwindSafe"], &[Wraps]),
    (&["rayon", "scope"], &[CallsInPlace, Blocks]),
    (&["rayon", "join"], &[CallsInPlace, Blocks]),
    (&["rayon", "join_context"], &[CallsInPlace, Blocks]),
    (&["rayon", "in_place_scope"], &[CallsInPlace, Blocks]),
    // Waits.
    (&["std", "thread", "sleep"], &[Blocks]),
    (&["std", "thread", "JoinHandle", "join"], &[Blocks, WaitsForOther]),
    (&["std", "sync", "Mutex", "lock"], &[BorrowsReceiver, PassesThrough, Blocks]),
    (&["std", "sync", "RwLock", "read"], &[BorrowsReceiver, PassesThrough, Blocks]),
    (&["std", "sync", "RwLock", "write"], &[BorrowsReceiver, PassesThrough, Blocks]),
    (&["std", "sync", "Condvar", "wait"], &[Blocks, WaitsForOther]),
    (&["std", "sync", "Barrier", "wait"], &[Blocks, WaitsForOther]),
    (&["std", "sync", "mpsc", "Receiver", "recv"], &[Blocks, WaitsForOther]),
    (&["std", "sync", "mpsc", "Receiver", "recv_timeout"], &[Blocks, WaitsForOther]),
    (&["std", "fs", "read"], &[Blocks]),
    (&["std", "fs", "read_to_string"], &[Blocks]),
    (&["std", "fs", "write"], &[Blocks]),
    (&["std", "fs", "File", "open"], &[Blocks]),
    (&["std", "fs", "File", "create"], &[Blocks]),
    (&["std", "net", "TcpStream", "connect"], &[Blocks]),
    (&["std", "net", "TcpListener", "bind"], &[Blocks]),
    // Kept from the optimizer.
    (&["std", "hint", "black_box"], &[HidesFromOptimizer]),
    (&["criterion", "black_box"], &[HidesFromOptimizer]),
    (&["test", "black_box"], &[HidesFromOptimizer]),
];

/// A function or associated function by its canonical path.
pub fn path(path: &[Sym]) -> Api {
    path_entry(path).map_or_else(Api::default, |(_, api)| api)
}

/// A function's entry in [`PATHS`], with the path as the table spells it.
pub fn path_entry(path: &[Sym]) -> Option<(&'static [&'static str], Api)> {
    static BY_PATH: OnceLock<FxHashMap<Box<[Sym]>, usize>> = OnceLock::new();
    let by_path = BY_PATH.get_or_init(|| {
        PATHS
            .iter()
            .enumerate()
            .map(|(i, (p, _))| (p.iter().map(|s| Sym::new(s)).collect(), i))
            .collect()
    });
    let (path, effects) = PATHS[*by_path.get(path)?];
    Some((path, Api { effects }))
}

/// The entries of [`PATHS`] with an effect, in table order.
pub fn paths_where(
    mut keep: impl FnMut(Api) -> bool,
) -> impl Iterator<Item = &'static [&'static str]> {
    PATHS
        .iter()
        .filter_map(move |&(path, effects)| keep(Api { effects }).then_some(path))
}

/// Macros, by name.
pub fn macro_call(name: &str) -> Api {
    let effects: &'static [Effect] = match name {
        "vec" => &[Allocates(AllocKind::Vec), Returns(VEC)],
        "format" => &[Allocates(AllocKind::String), Returns(STRING)],
        "dbg" => &[ReturnsArguments],
        "print" | "println" | "eprint" | "eprintln" | "write" | "writeln" | "panic"
        | "format_args" | "unreachable" | "todo" | "unimplemented" | "assert" | "assert_eq"
        | "assert_ne" | "debug_assert" | "debug_assert_eq" | "debug_assert_ne" | "matches"
        | "trace" | "debug" | "info" | "warn" | "error" => &[BorrowsArguments],
        _ => &[],
    };
    Api { effects }
}

/// Types whose `spawn` methods run work on another thread or task, by canonical path.
pub fn spawner(ty: &[Sym]) -> Option<Spawner> {
    let p: Vec<&str> = ty.iter().map(|s| s.as_str()).collect();
    let (runs, keeps_handles) = match p.as_slice() {
        ["std", "thread", "Builder"] => (Runs::Thread, false),
        ["tokio", "task", "JoinSet"] => (Runs::Task, true),
        ["tokio", "task", "LocalSet"] => (Runs::Task, false),
        ["tokio", "runtime", "Runtime" | "Handle" | "Builder"] => (Runs::Task, false),
        _ => return None,
    };
    Some(Spawner {
        runs,
        keeps_handles,
    })
}

/// The names by which a type's constructors go: `new`, `with_capacity`, `default`, `from`,
/// `from_iter`. An external function of one of these names is taken to return a new value of
/// its type.
pub fn is_constructor(name: &str) -> bool {
    matches!(
        name,
        "new" | "with_capacity" | "default" | "from" | "from_iter"
    )
}

mod contracts;
pub use contracts::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_listed_once() {
        let mut methods: Vec<&str> = METHODS
            .iter()
            .flat_map(|(names, _)| names.iter())
            .copied()
            .collect();
        let count = methods.len();
        methods.sort_unstable();
        methods.dedup();
        assert_eq!(methods.len(), count, "a method is in two groups of METHODS");
        let mut paths: Vec<&[&str]> = PATHS.iter().map(|(p, _)| *p).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), PATHS.len(), "a path is in PATHS twice");
    }

    #[test]
    fn lookups_find_their_entries() {
        let sym = |s: &str| Sym::new(s);
        assert!(method(sym("push")).has(Effect::Grows));
        assert!(!method(sym("no_such_method")).is_known());
        let forget: Vec<Sym> = ["std", "mem", "forget"].map(sym).to_vec();
        assert_eq!(path(&forget).leaks(), Some(Leak::SkipsDrop));
        let builder: Vec<Sym> = ["std", "thread", "Builder"].map(sym).to_vec();
        assert_eq!(spawner(&builder).map(|s| s.runs), Some(Runs::Thread));
    }
}
