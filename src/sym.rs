//! Interned identifiers.
//!
//! Every name the IR keeps (identifiers, path segments, field and method names) is a [`Sym`]:
//! a pointer to one leaked copy of the string, shared by all files and threads. Two `Sym`s are
//! equal exactly when their strings are, so equality is a pointer comparison.
//!
//! Invariant: nothing may depend on the *address* of a `Sym` for ordering. `Ord` compares the
//! strings, and hash maps keyed by `Sym` must never be iterated to produce output, because
//! addresses (and so hash order) differ from run to run.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};
use std::sync::{Mutex, OnceLock};

/// A thin pointer (one word) to the interned text.
#[derive(Clone, Copy)]
pub struct Sym(&'static String);

const SHARDS: usize = 16;

struct Interner {
    shards: [Mutex<FxHashMap<&'static str, Sym>>; SHARDS],
}

fn interner() -> &'static Interner {
    static INTERNER: OnceLock<Interner> = OnceLock::new();
    INTERNER.get_or_init(|| Interner {
        shards: std::array::from_fn(|_| Mutex::new(FxHashMap::default())),
    })
}

thread_local! {
    /// Symbols this thread has already seen: most lookups end here, without the shared lock.
    static SEEN: std::cell::RefCell<FxHashMap<&'static str, Sym>> = Default::default();
}

impl Sym {
    /// The one `Sym` for `text`, created on first use.
    pub fn new(text: &str) -> Sym {
        SEEN.with(|seen| {
            if let Some(&sym) = seen.borrow().get(text) {
                return sym;
            }
            let sym = Sym::intern(text);
            seen.borrow_mut().insert(sym.as_str(), sym);
            sym
        })
    }

    /// The empty name, a placeholder; cheaper than `Sym::new("")`.
    pub fn empty() -> Sym {
        static EMPTY: OnceLock<Sym> = OnceLock::new();
        *EMPTY.get_or_init(|| Sym::new(""))
    }

    fn intern(text: &str) -> Sym {
        let interner = interner();
        let shard = (FxBuildHasher::default().hash_one(text) as usize) % SHARDS;
        // A poisoned shard only means another thread panicked while inserting; the map itself
        // is still consistent (insertion is the last step), so keep using it.
        let mut map = interner.shards[shard]
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if let Some(&existing) = map.get(text) {
            return existing;
        }
        let leaked: &'static String = Box::leak(Box::new(text.to_owned()));
        let sym = Sym(leaked);
        map.insert(leaked.as_str(), sym);
        sym
    }

    pub fn as_str(self) -> &'static str {
        self.0.as_str()
    }

    pub fn is(self, text: &str) -> bool {
        self.0 == text
    }
}

impl PartialEq for Sym {
    fn eq(&self, other: &Sym) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Sym {}

impl Hash for Sym {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.0 as *const String as usize).hash(state)
    }
}

impl PartialOrd for Sym {
    fn partial_cmp(&self, other: &Sym) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Sym {
    fn cmp(&self, other: &Sym) -> std::cmp::Ordering {
        self.0.as_str().cmp(other.0.as_str())
    }
}

impl fmt::Debug for Sym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0.as_str(), f)
    }
}

impl fmt::Display for Sym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// rustc's Fx hash: a multiply and a rotate per word. Much faster than the default SipHash for
/// the short keys (names, ids) the analysis hashes, and it needs no protection against
/// adversarial keys: nothing here is exposed to a network.
#[derive(Clone, Copy, Default)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub type FxBuildHasher = BuildHasherDefault<FxHasher>;
pub type FxHashMap<K, V> = HashMap<K, V, FxBuildHasher>;
pub type FxHashSet<K> = std::collections::HashSet<K, FxBuildHasher>;

#[cfg(test)]
mod tests {
    use super::Sym;

    #[test]
    fn equal_strings_are_one_symbol() {
        let a = Sym::new("forget");
        let b = Sym::new(&String::from("forget"));
        assert_eq!(a, b);
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert_eq!(std::mem::size_of::<Sym>(), std::mem::size_of::<usize>());
        assert_ne!(a, Sym::new("forgot"));
    }

    #[test]
    fn order_is_by_text() {
        let mut syms = [Sym::new("zeta"), Sym::new("alpha"), Sym::new("mid")];
        syms.sort();
        let texts: Vec<_> = syms.iter().map(|s| s.as_str()).collect();
        assert_eq!(texts, ["alpha", "mid", "zeta"]);
    }
}
