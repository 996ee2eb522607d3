//! What std's common types give back: the methods of `Option`, `Result`, `Vec`, slices,
//! arrays, maps, sets, `String`, `str`, locks and cells, their constructors, and the items a
//! `for` loop takes from them.

use super::ty::Ty;
use crate::sym::Sym;

/// The last segment of a std type's path, if `t` is one.
fn std_name(t: &Ty) -> Option<&str> {
    match t {
        Ty::Named(super::Type::External(p), _) if p.first().is_some_and(|s| s.is("std")) => {
            p.last().map(|s| s.as_str())
        }
        _ => None,
    }
}

/// How many type arguments a std type takes, for those built without them.
fn arity(name: &str) -> Option<usize> {
    Some(match name {
        "String" | "PathBuf" | "OsString" | "CString" => 0,
        "Vec" | "VecDeque" | "LinkedList" | "BinaryHeap" | "HashSet" | "BTreeSet" | "Box"
        | "Rc" | "Arc" | "Cell" | "RefCell" | "Mutex" | "RwLock" | "OnceCell" | "OnceLock"
        | "Option" => 1,
        "HashMap" | "BTreeMap" | "Result" => 2,
        _ => return None,
    })
}

/// `Vec` as `Vec<_>`: a std type given without its arguments gets unknown ones.
pub fn with_default_args(t: Ty) -> Ty {
    match (&t, std_name(&t).and_then(arity)) {
        (Ty::Named(head, args), Some(n)) if args.is_empty() && n > 0 => {
            Ty::Named(head.clone(), vec![Ty::Unknown; n].into())
        }
        _ => t,
    }
}

fn option(t: Ty) -> Ty {
    Ty::external(&["std", "option", "Option"], vec![t])
}

fn result(ok: Ty, err: Ty) -> Ty {
    Ty::external(&["std", "result", "Result"], vec![ok, err])
}

fn usize() -> Ty {
    Ty::prim("usize")
}

fn bool() -> Ty {
    Ty::prim("bool")
}

fn string() -> Ty {
    Ty::external(&["std", "string", "String"], Vec::new())
}

/// What `recv.name(..)` returns, for a receiver of a std type (or an array, slice or `str`)
/// whose method is known: `Some(Ty::Unknown)` when the method is known but its result is not,
/// `None` when the method is not one of the type's (it may be found behind a deref).
pub fn method(recv: &Ty, name: Sym, range_arg: bool) -> Option<Ty> {
    let n = name.as_str();
    if let Ty::Array(elem, _) | Ty::Slice(elem) = recv {
        return sequence(recv, elem, n, range_arg);
    }
    if *recv == Ty::prim("str") {
        return Some(match n {
            "len" => usize(),
            "is_empty" | "starts_with" | "ends_with" | "contains" => bool(),
            "to_string" | "to_owned" | "to_lowercase" | "to_uppercase" | "repeat" => string(),
            "as_bytes" => Ty::Slice(Box::new(Ty::prim("u8"))).reference(false),
            "trim" | "trim_start" | "trim_end" => Ty::prim("str").reference(false),
            _ => return None,
        });
    }
    let ty_name = std_name(recv)?;
    let a0 = || recv.arg(0);
    let a1 = || recv.arg(1);
    Some(match (ty_name, n) {
        (_, "clone") if is_clone(recv) => recv.clone(),
        // `Borrow::borrow` when `std::borrow::Borrow` is imported, `RefCell::borrow` through
        // the pointer otherwise: not known.
        ("Box" | "Rc" | "Arc", "borrow" | "borrow_mut") => Ty::Unknown,
        ("Option", "unwrap" | "expect" | "unwrap_or" | "unwrap_or_else" | "unwrap_or_default")
        | ("Option", "unwrap_unchecked") => a0(),
        ("Option", "take" | "replace" | "or" | "or_else" | "xor" | "filter") => recv.clone(),
        ("Option", "as_ref") => option(a0().reference(false)),
        ("Option", "as_mut") => option(a0().reference(true)),
        ("Option", "is_some" | "is_none" | "is_some_and" | "is_none_or") => bool(),
        ("Option", "cloned" | "copied") => match a0() {
            Ty::Ref { inner, .. } => option(*inner),
            _ => option(Ty::Unknown),
        },
        ("Option", "ok_or" | "ok_or_else") => result(a0(), Ty::Unknown),
        ("Option", "insert" | "get_or_insert" | "get_or_insert_with") => a0().reference(true),
        ("Result", "unwrap" | "expect" | "unwrap_or" | "unwrap_or_else" | "unwrap_or_default") => {
            a0()
        }
        ("Result", "unwrap_err" | "expect_err") => a1(),
        ("Result", "ok") => option(a0()),
        ("Result", "err") => option(a1()),
        ("Result", "is_ok" | "is_err" | "is_ok_and" | "is_err_and") => bool(),
        ("Result", "as_ref") => result(a0().reference(false), a1().reference(false)),
        ("Result", "as_mut") => result(a0().reference(true), a1().reference(true)),
        ("Result", "map_err" | "or_else") => result(a0(), Ty::Unknown),
        ("Vec", _) => return vec_method(recv, n, range_arg),
        ("VecDeque", _) => return deque_method(recv, n),
        ("HashMap" | "BTreeMap", _) => return map_method(recv, n),
        ("HashSet" | "BTreeSet", "contains" | "insert" | "remove" | "is_empty") => bool(),
        ("HashSet" | "BTreeSet", "len") => usize(),
        ("HashSet" | "BTreeSet", "get") => option(a0().reference(false)),
        ("Entry", "or_insert" | "or_insert_with" | "or_default" | "or_insert_with_key") => {
            a1().reference(true)
        }
        ("Iter", "next" | "next_back" | "last") if is_slice_iter(recv) => {
            option(a0().reference(false))
        }
        ("IterMut", "next" | "next_back" | "last") if is_slice_iter(recv) => {
            option(a0().reference(true))
        }
        ("IntoIter", "next" | "next_back" | "last") if recv.is(&["std", "vec", "IntoIter"]) => {
            option(a0())
        }
        ("String", "len" | "capacity") => usize(),
        ("String", "is_empty" | "starts_with" | "ends_with" | "contains") => bool(),
        ("String", "as_str" | "trim") => Ty::prim("str").reference(false),
        ("String", "to_owned" | "to_string") => string(),
        ("String", "pop") => option(Ty::prim("char")),
        ("String", "into_bytes") => Ty::external(&["std", "vec", "Vec"], vec![Ty::prim("u8")]),
        ("String", "as_bytes") => Ty::Slice(Box::new(Ty::prim("u8"))).reference(false),
        ("Mutex", "lock") => result(guard("MutexGuard", a0()), Ty::Unknown),
        ("Mutex" | "RwLock", "into_inner") => result(a0(), Ty::Unknown),
        ("Mutex" | "RwLock", "get_mut") => result(a0().reference(true), Ty::Unknown),
        ("RwLock", "read") => result(guard("RwLockReadGuard", a0()), Ty::Unknown),
        ("RwLock", "write") => result(guard("RwLockWriteGuard", a0()), Ty::Unknown),
        ("RefCell", "borrow") => Ty::external(&["std", "cell", "Ref"], vec![a0()]),
        ("RefCell", "borrow_mut") => Ty::external(&["std", "cell", "RefMut"], vec![a0()]),
        ("RefCell" | "Cell", "into_inner" | "take" | "replace") => a0(),
        ("RefCell" | "Cell", "get_mut") => a0().reference(true),
        ("Cell", "get") => a0(),
        _ => return None,
    })
}

fn guard(name: &str, inner: Ty) -> Ty {
    Ty::external(&["std", "sync", name], vec![inner])
}

fn is_slice_iter(t: &Ty) -> bool {
    t.is(&["std", "slice", "Iter"]) || t.is(&["std", "slice", "IterMut"])
}

/// Methods of slices and arrays (and of `Vec` through them).
fn sequence(recv: &Ty, elem: &Ty, n: &str, range_arg: bool) -> Option<Ty> {
    let elem = elem.clone();
    Some(match n {
        "get" if range_arg => option(Ty::Slice(Box::new(elem)).reference(false)),
        "get_mut" if range_arg => option(Ty::Slice(Box::new(elem)).reference(true)),
        "get" | "first" | "last" => option(elem.reference(false)),
        "get_mut" | "first_mut" | "last_mut" => option(elem.reference(true)),
        "len" => usize(),
        "is_empty" | "contains" | "starts_with" | "ends_with" => bool(),
        "iter" => Ty::external(&["std", "slice", "Iter"], vec![elem]),
        "iter_mut" => Ty::external(&["std", "slice", "IterMut"], vec![elem]),
        "to_vec" => Ty::external(&["std", "vec", "Vec"], vec![elem]),
        "clone" if matches!(recv, Ty::Array(..)) => recv.clone(),
        _ => return None,
    })
}

fn vec_method(recv: &Ty, n: &str, range_arg: bool) -> Option<Ty> {
    let elem = recv.arg(0);
    Some(match n {
        "pop" => option(elem),
        "remove" | "swap_remove" => elem,
        "capacity" => usize(),
        "as_slice" => Ty::Slice(Box::new(elem)).reference(false),
        "as_mut_slice" => Ty::Slice(Box::new(elem)).reference(true),
        "into_iter" => Ty::external(&["std", "vec", "IntoIter"], vec![elem]),
        "split_off" => recv.clone(),
        _ => return sequence(recv, &elem, n, range_arg),
    })
}

fn deque_method(recv: &Ty, n: &str) -> Option<Ty> {
    let elem = recv.arg(0);
    Some(match n {
        "pop_front" | "pop_back" | "remove" => option(elem),
        "front" | "back" | "get" => option(elem.reference(false)),
        "front_mut" | "back_mut" | "get_mut" => option(elem.reference(true)),
        "len" | "capacity" => usize(),
        "is_empty" | "contains" => bool(),
        _ => return None,
    })
}

fn map_method(recv: &Ty, n: &str) -> Option<Ty> {
    let value = recv.arg(1);
    Some(match n {
        "get" => option(value.reference(false)),
        "get_mut" => option(value.reference(true)),
        "remove" | "insert" => option(value),
        "contains_key" | "is_empty" => bool(),
        "len" => usize(),
        "entry" => {
            let module = if recv.is_std("HashMap") {
                "hash_map"
            } else {
                "btree_map"
            };
            Ty::external(
                &["std", "collections", module, "Entry"],
                vec![recv.arg(0), value],
            )
        }
        _ => return None,
    })
}

/// Whether a std type is `Clone` (given that code calling `clone` on it compiles, its
/// arguments are too): not the guards, nor `Box<dyn Trait>`.
pub fn is_clone(t: &Ty) -> bool {
    match std_name(t) {
        Some(
            "MutexGuard" | "RwLockReadGuard" | "RwLockWriteGuard" | "Ref" | "RefMut" | "Mutex"
            | "RwLock" | "File" | "TcpStream" | "JoinHandle" | "Entry",
        ) => false,
        Some("Box") => !matches!(
            t.arg(0),
            Ty::Dyn(_) | Ty::Impl(_) | Ty::Unknown | Ty::Param { .. }
        ),
        Some(_) => true,
        None => false,
    }
}

/// What `std::…::Type::f(args)` returns, for the constructors of std's common types:
/// `Vec::new()`, `HashMap::with_capacity(n)`, `Box::new(x)`, `Some(x)`, `Ok(x)`.
pub fn constructor(path: &[Sym], arg0: impl FnOnce() -> Ty) -> Option<Ty> {
    if path.first().is_none_or(|s| !s.is("std")) || path.len() < 3 {
        return None;
    }
    let (ty_path, f) = path.split_at(path.len() - 1);
    let f = f[0].as_str();
    let ty_name = ty_path.last()?.as_str();
    let head = || super::Type::External(ty_path.into());
    match (ty_name, f) {
        ("Option", "Some") => return Some(option(arg0())),
        ("Result", "Ok") => return Some(result(arg0(), Ty::Unknown)),
        ("Result", "Err") => return Some(result(Ty::Unknown, arg0())),
        _ => {}
    }
    let n = arity(ty_name)?;
    if matches!(ty_name, "Option" | "Result") {
        return None;
    }
    match f {
        "new"
            if n == 1
                && matches!(
                    ty_name,
                    "Box" | "Rc" | "Arc" | "Cell" | "RefCell" | "Mutex" | "RwLock"
                ) =>
        {
            Some(Ty::Named(head(), vec![arg0()].into()))
        }
        "new" | "with_capacity" | "default" | "from" | "from_iter" => {
            Some(Ty::Named(head(), vec![Ty::Unknown; n].into()))
        }
        _ => None,
    }
}

/// The item a `for` loop takes from a value of this type.
pub fn into_iter_item(t: &Ty) -> Ty {
    match t {
        Ty::Array(elem, _) => (**elem).clone(),
        Ty::Ref { mutable, inner } => match &**inner {
            Ty::Array(elem, _) | Ty::Slice(elem) => (**elem).clone().reference(*mutable),
            i if i.is_std("Vec") || i.is_std("VecDeque") => i.arg(0).reference(*mutable),
            i if i.is_std("HashMap") || i.is_std("BTreeMap") => {
                Ty::Tuple(vec![i.arg(0).reference(false), i.arg(1).reference(*mutable)].into())
            }
            _ => Ty::Unknown,
        },
        t if t.is_std("Vec") || t.is_std("VecDeque") || t.is_std("Option") => t.arg(0),
        t if t.is_std("HashMap") || t.is_std("BTreeMap") => {
            Ty::Tuple(vec![t.arg(0), t.arg(1)].into())
        }
        t if t.is(&["std", "slice", "Iter"]) => t.arg(0).reference(false),
        t if t.is(&["std", "slice", "IterMut"]) => t.arg(0).reference(true),
        t if t.is(&["std", "vec", "IntoIter"]) => t.arg(0),
        _ => Ty::Unknown,
    }
}
