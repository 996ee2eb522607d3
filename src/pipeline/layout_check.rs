//! The layout estimator against the compiler: each type below is compiled into this test, and
//! its source is handed to the estimator, which must give `size_of` and `align_of` exactly.
//! A unit test (the estimator is not part of the library's API), here because it loads the
//! source as a check does.
#![allow(dead_code)]

use crate::diagnostic::FileId;
use crate::facts::{self, Options, layout};
use crate::ir::ItemId;
use crate::pipeline::{self, Project};
use crate::sources::{DiskSources, Overlay};

/// Compiles the items, and keeps their source as `SOURCE`.
macro_rules! compiled_and_read {
    ($($item:item)*) => {
        $($item)*
        const SOURCE: &str = stringify!($($item)*);
    };
}

compiled_and_read! {
    pub struct Padded { a: u8, b: u32, c: u16 }
    #[repr(C)] pub struct PaddedC { a: u8, b: u32, c: u16 }
    #[repr(C, packed)] pub struct Packed { a: u8, b: u32 }
    #[repr(align(64))] pub struct Aligned { a: u8 }
    pub struct Unit;
    pub struct Tuple(u8, u64, u8);
    pub struct Nested { p: Padded, x: [u16; 3] }
    pub enum Fieldless { A, B, C }
    pub enum Single { Only }
    #[repr(u32)] pub enum Tagged32 { A, B }
    pub enum Wide { A = 1, B = 300 }
    #[repr(i8)] pub enum Signed { A = -128, B = 127 }
    pub enum Negative { A = -1, B = 200 }
    pub enum WithData { A(u32), B(u8), C }
    pub enum Large { A([u8; 100]), B(u64) }
    #[repr(C)] pub enum CEnum { A(u8), B(u32) }
    #[repr(u8)] pub enum U8Enum { A(u32), B(u16) }
    pub union Union { a: u32, b: [u8; 6] }
    pub struct Generic<T> { a: T, b: u8 }
    pub type GenU64 = Generic<u64>;
    pub type GenArr = Generic<[u16; 5]>;
    pub struct ConstGen<const N: usize> { data: [u32; N] }
    pub type ConstGen4 = ConstGen<4>;
    pub const LEN: usize = 3 * 4;
    pub type Arr = [u64; LEN];
    pub type Tup = (u8, u32, u8);
    pub type Nothing = ();
    pub type OptBox = Option<Box<u64>>;
    pub type OptU32 = Option<u32>;
    pub type OptBool = Option<bool>;
    pub type OptVec = Option<Vec<u8>>;
    pub type OptString = Option<String>;
    pub type RefSlice = &'static [u8];
    pub type RefStr = &'static str;
    pub type BoxDyn = Box<dyn Fn()>;
    pub type RawPtr = *const u8;
    pub type FnPtr = fn(u8) -> u8;
    pub type OptFn = Option<fn()>;
    pub type ResU32 = Result<u32, ()>;
    pub type ResBox = Result<Box<u8>, ()>;
    pub type Cells = std::cell::RefCell<u32>;
    pub type Map = std::collections::HashMap<u32, u32>;
    pub type Deque = std::collections::VecDeque<u8>;
    pub type OptOrdering = Option<std::cmp::Ordering>;
    pub type Dur = std::time::Duration;
    pub type OptDur = Option<std::time::Duration>;
    pub type Chars = [char; 3];
    pub type OptChar = Option<char>;
    pub type ArcSlice = std::sync::Arc<[u8]>;
    pub type MaybeBool = std::mem::MaybeUninit<bool>;
    pub type OptMaybe = Option<std::mem::MaybeUninit<bool>>;
    pub type SizeOfLen = [u8; std::mem::size_of::<u64>() * 2];
    impl Padded { pub const N: usize = 5; }
    pub type AssocLen = [u16; Padded::N];
    pub struct List { next: Option<Box<List>>, v: u32 }
    pub enum OptionLike { Nothing, Some(&'static u8) }
    pub enum Three { A(bool), B, C }
    pub const fn double(x: usize) -> usize { x * 2 }
    pub type ConstFnLen = [u8; double(21)];
    pub type Shifted = [u8; 1 << 4];
    pub type Mixed = (u16, [u8; 3], u64);
    pub type Grid = [[f64; 4]; 3];
    pub type MaxLen = [u8; (u16::MAX as usize) + 1];
    #[repr(align(64))] pub enum AlignedEnum { Empty, Full(u32) }
    pub type RefPath = &'static std::path::Path;
    pub type BoxOsStr = Box<std::ffi::OsStr>;
    pub type RefCStr = &'static std::ffi::CStr;
}

/// `(name, size_of, align_of)` of each type.
macro_rules! expected {
    ($($t:ident),* $(,)?) => {
        vec![$((stringify!($t), std::mem::size_of::<$t>(), std::mem::align_of::<$t>())),*]
    };
}

#[test]
fn estimates_match_the_compiler() {
    let expected = expected![
        Padded,
        PaddedC,
        Packed,
        Aligned,
        Unit,
        Tuple,
        Nested,
        Fieldless,
        Single,
        Tagged32,
        Wide,
        Signed,
        Negative,
        WithData,
        Large,
        CEnum,
        U8Enum,
        Union,
        GenU64,
        GenArr,
        ConstGen4,
        Arr,
        Tup,
        Nothing,
        OptBox,
        OptU32,
        OptBool,
        OptVec,
        OptString,
        RefSlice,
        RefStr,
        BoxDyn,
        RawPtr,
        FnPtr,
        OptFn,
        ResU32,
        ResBox,
        Cells,
        Map,
        Deque,
        OptOrdering,
        Dur,
        OptDur,
        Chars,
        OptChar,
        ArcSlice,
        MaybeBool,
        OptMaybe,
        SizeOfLen,
        AssocLen,
        List,
        OptionLike,
        Three,
        ConstFnLen,
        Shifted,
        Mixed,
        Grid,
        MaxLen,
        AlignedEnum,
        RefPath,
        BoxOsStr,
        RefCStr,
    ];
    assert!(expected.len() >= 30);
    let estimated = estimate(SOURCE, &expected.iter().map(|e| e.0).collect::<Vec<_>>());
    let mut wrong = Vec::new();
    for ((name, size, align), layout) in expected.iter().zip(&estimated) {
        let ok = layout.exact && layout.size == *size as u64 && layout.align == *align as u64;
        if !ok {
            wrong.push(format!(
                "{name}: size {size}, align {align}; estimated {} {}, align {}",
                if layout.exact { "exactly" } else { "at least" },
                layout.size,
                layout.align
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn unknown_parts_give_lower_bounds() {
    let source = "
        pub struct Generic<T> { a: T, b: [u8; 100] }
        pub struct Foreign { a: some_crate::Thing, b: u64 }
        pub type Unsized = [u8; UNKNOWN];
        pub type Big = [u8; 1 << 70];
        pub struct Huge { a: [u8; 1 << 62], b: [u8; 1 << 62], c: [u8; 1 << 62] }
        pub type ToForeign = &'static some_crate::Thing;
    ";
    let found = estimate(
        source,
        &["Generic", "Foreign", "Unsized", "Big", "Huge", "ToForeign"],
    );
    let sizes: Vec<(u64, bool)> = found.iter().map(|l| (l.size, l.exact)).collect();
    // Pointing at what may be unsized, or with a length past `usize`: no claim beyond a lower
    // bound. Past `isize::MAX` bytes (`Huge`), certainly too large: rustc rejects it.
    assert_eq!(
        sizes,
        [
            (100, false),
            (8, false),
            (0, false),
            (0, false),
            (u64::MAX, true),
            (8, false)
        ]
    );
}

#[test]
fn thirty_two_bit_targets_have_four_byte_pointers() {
    let source = "pub type V = Vec<u8>; pub type R = &'static [u8]; pub type U = usize;";
    let options = Options {
        pointer_width: 4,
        ..Options::default()
    };
    let found = estimate_with(source, &["V", "R", "U"], &options);
    let sizes: Vec<u64> = found.iter().map(|l| l.size).collect();
    assert_eq!(sizes, [12, 8, 4]);
}

#[test]
fn constants_are_exact_or_unknown() {
    let source = "
        pub const A: u8 = 255;
        pub const B: u8 = 200 + 100;
        pub const C: usize = 10 / 0;
        pub const D: i32 = -5 % 3;
        pub const E: u32 = !0;
        pub const F: u16 = 300u32 as u8 as u16;
        pub const G: usize = usize::MAX;
        pub const H: u64 = 1 << 63;
        pub const I: i64 = i64::MIN;
        pub const J: usize = K;
        pub const K: usize = J;
        pub const L: usize = core::mem::size_of::<(u8, u32)>();
        pub const M: u8 = 1u8 << 8;
        pub const N: u32 = u32::BITS;
        pub const O: usize = not_known(3);
        pub const P: i8 = -128;
        pub const Q: usize = twice(A as usize) + 1;
        pub const R: usize = (1 << 31u32) as usize >> 22;
        pub const S: u64 = 3_000_000_000 as u64;
        pub const fn twice(x: usize) -> usize { x * 2 }
    ";
    let names = [
        "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R",
        "S",
    ];
    let values = with_source(source, &Options::default(), |cx, file, items| {
        names
            .iter()
            .map(|n| facts::consts::const_item(cx, (file, items(n)), None, 0).map(|c| c.value))
            .collect::<Vec<_>>()
    });
    let expected: Vec<Option<i128>> = vec![
        Some(255),
        None,
        None,
        Some(-2),
        Some(u32::MAX as i128),
        Some(44),
        Some(u64::MAX as i128),
        Some(1 << 63),
        Some(i64::MIN as i128),
        None,
        None,
        Some(8),
        None,
        Some(32),
        None,
        Some(-128),
        Some(511),
        // An unsuffixed operand of `as` is an `i32`: `1 << 31` wraps to `i32::MIN`.
        Some(4398046510592),
        // ..and `3_000_000_000` does not fit one (rustc rejects it).
        None,
    ];
    let shown: Vec<(&str, Option<i128>)> = names.iter().copied().zip(values).collect();
    let wanted: Vec<(&str, Option<i128>)> = names.iter().copied().zip(expected).collect();
    assert_eq!(shown, wanted);
}

fn estimate(source: &str, names: &[&str]) -> Vec<layout::Layout> {
    estimate_with(source, names, &Options::default())
}

/// Loads `source` as a crate and estimates the named items' layouts.
fn estimate_with(source: &str, names: &[&str], options: &Options) -> Vec<layout::Layout> {
    with_source(source, options, |cx, file, item| {
        names
            .iter()
            .map(|name| layout::item(cx, (file, item(name)), &[], 0))
            .collect()
    })
}

/// Loads `source` as the root of a crate (from memory, as the load stage of a check would)
/// and runs `f` on it, with a lookup of its top-level items by name.
fn with_source<R>(
    source: &str,
    options: &Options,
    f: impl FnOnce(&facts::CrateCx<'_>, FileId, &dyn Fn(&str) -> ItemId) -> R,
) -> R {
    // Only the overlay holds it: nothing is written to disk.
    let file = std::env::temp_dir()
        .join("escape-layout-check")
        .join("lib.rs");
    let mut sources = Overlay::new(DiskSources::default());
    sources.insert(&file, source);
    let project = Project::from_file(file);
    let pool = crate::worker_pool(Some(1)).unwrap();
    let loaded = pipeline::load(&project, &sources, &pool);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let ir = loaded.files[0].ir.as_ref().expect("parsed");
    let item = |name: &str| {
        ir.top
            .iter()
            .copied()
            .find(|&id| ir.item(id).name.is_some_and(|n| n.as_str() == name))
            .unwrap_or_else(|| panic!("no item {name}"))
    };
    let input = &project.targets[0].input;
    f(
        &facts::CrateCx::new(&loaded, input, options),
        FileId(0),
        &item,
    )
}
