//! [`ty_of`](super::ty_of) on a table of snippets: each marks one expression with
//! `mark(..)`, and says the type expected, or `unknown`.

use super::{Ty, Type};
use crate::diagnostic::CrateId;
use crate::facts::{CrateCx, CrateInput, DEFAULT_STACK_THRESHOLD, Options};
use crate::index::path_string;
use crate::ir::{ExprKind, walk};
use crate::load::{CrateRoot, LoadOptions, TestCfg, load};
use crate::sources::{DiskSources, Overlay};

/// The type of the argument of the one `mark(..)` call in `src` (a crate root), as text.
fn type_in(src: &str) -> String {
    let root = std::path::PathBuf::from("/escape-type-of-test/src/lib.rs");
    let mut sources = Overlay::new(DiskSources::default());
    sources.insert(&root, src);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool");
    let roots = [CrateRoot {
        root,
        package_dir: "/escape-type-of-test".into(),
    }];
    let options = LoadOptions { test: TestCfg::Off };
    let loaded = load(&roots, options, &sources, &pool);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let input = CrateInput {
        krate: CrateId(0),
        externs: vec![("anyhow".into(), "anyhow".into())],
        msrv: None,
        stack_threshold: DEFAULT_STACK_THRESHOLD,
        test_target: false,
    };
    let options = Options::default();
    let cx = CrateCx::new(&loaded, &input, &options);
    let mut found = Vec::new();
    for bcx in cx.all_bodies() {
        walk::walk(bcx.ir, bcx.body.value, &mut |_, _, expr| {
            if let ExprKind::Call { callee, args } = expr.kind
                && let ExprKind::Path(p) = bcx.ir.expr(callee).kind
                && bcx
                    .ir
                    .path_ident(bcx.ir.path(p))
                    .is_some_and(|n| n.is("mark"))
                && let [arg] = bcx.ir.list(args)
            {
                found.push(super::ty_of(&bcx, *arg).map_or("unknown".into(), |t| t.display(&cx)));
            }
        });
    }
    assert_eq!(found.len(), 1, "one mark(..) in {src}");
    found.pop().expect("one")
}

fn check(cases: &[(&str, &str)]) {
    let mut failed = Vec::new();
    for (src, expected) in cases {
        let got = type_in(src);
        if got != *expected {
            failed.push(format!("{src}\n    expected {expected}, got {got}"));
        }
    }
    assert!(failed.is_empty(), "\n{}", failed.join("\n"));
}

const ITEMS: &str = "
use std::collections::HashMap;
pub struct Layer;
pub struct App { pub layers: Vec<Box<dyn Fn()>>, pub names: HashMap<String, Layer>, pub inner: Inner }
pub struct Inner { pub count: u32, pub grid: [u8; 16] }
pub struct Wrap<T>(pub T);
pub enum Shape { Circle { r: f64 }, Square(f32), Dot }
impl App {
    pub fn new() -> Self { todo!() }
    pub fn try_new() -> Result<Self, String> { todo!() }
    pub fn layer(&self) -> &Layer { todo!() }
    pub fn boxed(self) -> Box<Self> { todo!() }
}
impl<T> Wrap<T> { pub fn get(&self) -> &T { &self.0 } pub fn into_inner(self) -> T { self.0 } }
pub trait Named { fn name(&self) -> String; }
impl Named for Layer { fn name(&self) -> String { todo!() } }
pub type Res<T> = std::result::Result<T, String>;
pub fn make() -> Res<Inner> { todo!() }
";

fn with_items(body: &str) -> String {
    format!("{ITEMS}\n{body}")
}

#[test]
fn declared_and_built() {
    let cases: Vec<(String, &str)> = vec![
        (with_items("fn f(a: App) { mark(a); }"), "App"),
        (with_items("fn f(a: &mut App) { mark(a); }"), "&mut App"),
        (
            with_items("fn f() { let v: Vec<u8> = Vec::new(); mark(v); }"),
            "std::vec::Vec<u8>",
        ),
        (
            with_items("fn f() { let v = Vec::new(); mark(v); }"),
            "std::vec::Vec<_>",
        ),
        (
            with_items("fn f() { mark(vec![1u8, 2u8]); }"),
            "std::vec::Vec<u8>",
        ),
        (
            with_items("fn f() { mark(format!(\"x\")); }"),
            "std::string::String",
        ),
        (with_items("fn f() { mark(App::new()); }"), "App"),
        (
            with_items("fn f() { mark(App::try_new()); }"),
            "std::result::Result<App, std::string::String>",
        ),
        (
            with_items("fn f() -> Result<(), String> { mark(App::try_new()?); Ok(()) }"),
            "App",
        ),
        (
            with_items("fn f() { mark(App::try_new().unwrap()); }"),
            "App",
        ),
        (with_items("fn f() { mark(Wrap(1u8)); }"), "Wrap<_>"),
        (with_items("fn f() { mark(Shape::Dot); }"), "Shape"),
        (with_items("fn f() { mark(Shape::Square(1.0)); }"), "Shape"),
        (
            with_items("fn f() { mark(Inner { count: 1, grid: [0; 16] }); }"),
            "Inner",
        ),
        (
            with_items("fn f() { mark(Box::new(Layer)); }"),
            "std::boxed::Box<Layer>",
        ),
        (
            with_items("fn f() { mark(Some(Layer)); }"),
            "std::option::Option<Layer>",
        ),
        (
            with_items("fn f() { mark(make()); }"),
            "std::result::Result<Inner, std::string::String>",
        ),
        (
            with_items("fn f() -> Res<()> { mark(make()?); Ok(()) }"),
            "Inner",
        ),
        (with_items("fn f() { mark(1); }"), "unknown"),
        (with_items("fn f() { mark(1u16); }"), "u16"),
        (with_items("fn f() { mark(\"s\"); }"), "&str"),
        (with_items("fn f(x: u32) { mark(x > 1); }"), "bool"),
        (
            with_items("fn f() { mark(std::collections::HashMap::new()); }"),
            "std::collections::HashMap<_, _>",
        ),
        // Not the crate's: nothing is assumed of what `new` returns.
        (with_items("fn f() { mark(Other::new()); }"), "unknown"),
        (with_items("fn f() { mark(undefined()); }"), "unknown"),
    ];
    let cases: Vec<(&str, &str)> = cases.iter().map(|(s, e)| (s.as_str(), *e)).collect();
    check(&cases);
}

#[test]
fn fields_methods_and_self() {
    let cases: Vec<(String, &str)> = vec![
        (
            with_items("impl App { fn f(&self) { mark(self); } }"),
            "&App",
        ),
        (with_items("impl App { fn f(self) { mark(self); } }"), "App"),
        (
            with_items("impl App { fn f(&self) { mark(self.layers); } }"),
            "std::vec::Vec<std::boxed::Box<dyn Fn>>",
        ),
        (
            with_items("impl App { fn f(&self) { mark(self.inner.count); } }"),
            "u32",
        ),
        (
            with_items("fn f(s: &App) { mark(s.names); }"),
            "std::collections::HashMap<std::string::String, Layer>",
        ),
        (
            with_items("fn f() { let a = App::new(); mark(a.inner); }"),
            "Inner",
        ),
        (with_items("fn f(a: App) { mark(a.layer()); }"), "&Layer"),
        (
            with_items("fn f(a: App) { mark(a.boxed()); }"),
            "std::boxed::Box<App>",
        ),
        (
            with_items("fn f(w: Wrap<String>) { mark(w.into_inner()); }"),
            "std::string::String",
        ),
        (with_items("fn f(w: &Wrap<u8>) { mark(w.get()); }"), "&u8"),
        (with_items("fn f(w: Wrap<Inner>) { mark(w.0); }"), "Inner"),
        (
            with_items("fn f(l: Layer) { mark(l.name()); }"),
            "std::string::String",
        ),
        // A method the receiver's type does not have is not another type's of that name.
        (with_items("fn f(i: Inner) { mark(i.layer()); }"), "unknown"),
        (
            with_items("fn f(x: Unknown) { mark(x.layer()); }"),
            "unknown",
        ),
        (
            with_items("impl App { fn f() { mark(Self::new()); } }"),
            "App",
        ),
        (with_items("fn f<T: Clone>(t: T) { mark(t.clone()); }"), "T"),
        (
            with_items("trait Tr { fn f(&self) { mark(self); } }"),
            "&Self",
        ),
    ];
    let cases: Vec<(&str, &str)> = cases.iter().map(|(s, e)| (s.as_str(), *e)).collect();
    check(&cases);
}

#[test]
fn std_types_and_elements() {
    let cases: Vec<(String, &str)> = vec![
        (with_items("fn f(v: Vec<Inner>) { mark(v[0]); }"), "Inner"),
        (with_items("fn f(v: &[Inner]) { mark(v[1..]); }"), "[Inner]"),
        (
            with_items("fn f(v: Vec<Inner>) { mark(v.get(0)); }"),
            "std::option::Option<&Inner>",
        ),
        (
            with_items("fn f(v: Vec<Inner>) { mark(v.iter().next()); }"),
            "std::option::Option<&Inner>",
        ),
        (
            with_items("fn f(v: Vec<Inner>) { mark(v.first().unwrap()); }"),
            "&Inner",
        ),
        (
            with_items("fn f(m: HashMap<u32, Layer>) { mark(m[&1]); }"),
            "Layer",
        ),
        (
            with_items("fn f(m: HashMap<u32, Layer>) { mark(m.get(&1)); }"),
            "std::option::Option<&Layer>",
        ),
        (with_items("fn f(a: [u64; 4]) { mark(a[0]); }"), "u64"),
        (with_items("fn f(a: &App) { mark(a.inner.grid[3]); }"), "u8"),
        (with_items("fn f(b: Box<Inner>) { mark(*b); }"), "Inner"),
        (with_items("fn f(b: Box<Inner>) { mark(b.count); }"), "u32"),
        (
            with_items("fn f(o: Option<Inner>) { mark(o.expect(\"x\")); }"),
            "Inner",
        ),
        (
            with_items("fn f(m: std::sync::Mutex<Vec<u8>>) { mark(m.lock().unwrap()); }"),
            "std::sync::MutexGuard<std::vec::Vec<u8>>",
        ),
        (
            with_items("fn f(m: std::sync::Mutex<Inner>) { mark(m.lock().unwrap().count); }"),
            "u32",
        ),
        (
            with_items("fn f(v: Vec<u8>) { mark(v.clone()); }"),
            "std::vec::Vec<u8>",
        ),
        (
            with_items("fn f(v: &Vec<u8>) { mark(v.clone()); }"),
            "std::vec::Vec<u8>",
        ),
        (
            with_items("fn f(v: &Inner) { mark(v.clone()); }"),
            "unknown",
        ),
        (
            with_items("fn f(x: &str) { mark(x.to_string()); }"),
            "std::string::String",
        ),
        (
            with_items("fn f(i: impl Iterator<Item = u8>) { mark(i.collect::<Vec<u8>>()); }"),
            "std::vec::Vec<u8>",
        ),
        (
            with_items(
                "fn f() -> std::io::Result<()> { let r: std::io::Result<u8> = todo!(); mark(r?); Ok(()) }",
            ),
            "u8",
        ),
    ];
    let cases: Vec<(&str, &str)> = cases.iter().map(|(s, e)| (s.as_str(), *e)).collect();
    check(&cases);
}

#[test]
fn patterns_and_local_items() {
    let cases: Vec<(String, &str)> = vec![
        (
            with_items("fn f(v: Vec<Inner>) { for x in &v { mark(x); } }"),
            "&Inner",
        ),
        (
            with_items("fn f(v: Vec<Inner>) { for x in v { mark(x); } }"),
            "Inner",
        ),
        (
            with_items("fn f(o: Option<App>) { if let Some(a) = o { mark(a); } }"),
            "App",
        ),
        (
            with_items("fn f(o: &Option<App>) { if let Some(a) = o { mark(a); } }"),
            "&App",
        ),
        (
            with_items("fn f(m: HashMap<u32, Layer>) { if let Some(l) = m.get(&1) { mark(l); } }"),
            "&Layer",
        ),
        (
            with_items("fn f(s: Shape) { match s { Shape::Circle { r } => mark(r), _ => {} } }"),
            "f64",
        ),
        (
            with_items("fn f(s: &Shape) { if let Shape::Square(x) = s { mark(x); } }"),
            "&f32",
        ),
        (
            with_items("fn f(p: (Inner, u8)) { let (a, _) = p; mark(a); }"),
            "Inner",
        ),
        (
            with_items(
                "fn f() { struct Local { v: Vec<u8> } let l = Local { v: Vec::new() }; mark(l.v); }",
            ),
            "std::vec::Vec<u8>",
        ),
        (
            with_items("fn f() { struct L; impl L { fn new() -> Self { L } } mark(L::new()); }"),
            "L",
        ),
        (
            with_items("fn f() { fn inner() -> Inner { todo!() } mark(inner()); }"),
            "Inner",
        ),
        (
            with_items("fn f(x: Unknown) { if let Some(y) = x { mark(y); } }"),
            "unknown",
        ),
        // The one sub-pattern that binds the local decides, wherever it is.
        (
            with_items("fn f(p: (u8, Inner, App)) { let (_, b, c) = p; mark(c); }"),
            "App",
        ),
        (
            with_items("fn f(p: (u8, Inner, App)) { let (a, ..) = p; mark(a); }"),
            "u8",
        ),
        (
            with_items("fn f(p: (u8, Inner, App)) { let (.., c) = p; mark(c); }"),
            "unknown",
        ),
        (
            with_items("fn f(a: App) { let App { inner, layers, .. } = a; mark(inner); }"),
            "Inner",
        ),
        (
            with_items(
                "fn f(a: &App) { let App { inner: Inner { count, .. }, .. } = a; mark(count); }",
            ),
            "&u32",
        ),
        (
            with_items("fn f(w: Wrap<Inner>) { let Wrap(x) = w; mark(x); }"),
            "Inner",
        ),
        (
            with_items("fn f(v: [Inner; 3]) { let [first, ..] = v; mark(first); }"),
            "Inner",
        ),
        (
            with_items("fn f(v: &[Inner]) { if let [_, rest @ ..] = v { mark(rest); } }"),
            "unknown",
        ),
        (
            with_items("fn f(r: Result<Inner, Inner>) { let (Ok(x) | Err(x)) = r; mark(x); }"),
            "Inner",
        ),
        (
            with_items(
                "fn f(o: Option<Inner>) { match o { Some(i) if i.count > 0 => mark(i), _ => {} } }",
            ),
            "Inner",
        ),
        (
            with_items("fn f(mut v: Vec<Layer>) { while let Some(l) = v.pop() { mark(l); } }"),
            "Layer",
        ),
        (
            with_items("fn f() { let x; x = Inner { count: 1, grid: [0; 16] }; mark(x); }"),
            "unknown",
        ),
    ];
    let cases: Vec<(&str, &str)> = cases.iter().map(|(s, e)| (s.as_str(), *e)).collect();
    check(&cases);
}

#[test]
fn cfg_duplicates() {
    let agree = "
#[cfg(feature = \"std\")]
mod sync { pub use std::sync::Mutex; }
#[cfg(not(feature = \"std\"))]
mod sync { pub use std::sync::Mutex; }
static REG: sync::Mutex<Vec<u8>> = sync::Mutex::new(Vec::new());
fn f() { mark(REG.lock()); }
";
    let disagree = "
#[cfg(feature = \"std\")]
mod sync { pub use std::sync::Mutex; }
#[cfg(not(feature = \"std\"))]
mod sync { pub struct Mutex<T>(T); }
fn f(m: sync::Mutex<u8>) { mark(m); }
";
    let items = "
#[cfg(unix)]
fn get() -> u8 { 1 }
#[cfg(not(unix))]
fn get() -> u16 { 1 }
fn f() { mark(get()); }
";
    check(&[
        (
            agree,
            "std::result::Result<std::sync::MutexGuard<std::vec::Vec<u8>>, _>",
        ),
        (disagree, "unknown"),
        (items, "unknown"),
    ]);
}

/// How the table writes types.
impl Ty {
    /// The type as text: a crate type by its name, another crate's by its canonical path,
    /// `_` where unknown.
    pub fn display(&self, cx: &CrateCx<'_>) -> String {
        let mut out = String::new();
        self.write(cx, &mut out);
        out
    }

    fn write(&self, cx: &CrateCx<'_>, out: &mut String) {
        let list = |tys: &[Ty], out: &mut String| {
            for (i, t) in tys.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                t.write(cx, out);
            }
        };
        match self {
            Ty::Named(head, args) => {
                match head {
                    Type::External(p) => out.push_str(&path_string(p)),
                    Type::Crate((file, item)) => out.push_str(
                        cx.index
                            .item(*file, *item)
                            .and_then(|i| i.name)
                            .map_or("?", |n| n.as_str()),
                    ),
                }
                if !args.is_empty() {
                    out.push('<');
                    list(args, out);
                    out.push('>');
                }
            }
            Ty::Prim(name) => out.push_str(name.as_str()),
            Ty::Ref { mutable, inner } => {
                out.push_str(if *mutable { "&mut " } else { "&" });
                inner.write(cx, out);
            }
            Ty::Tuple(elems) => {
                out.push('(');
                list(elems, out);
                if elems.len() == 1 {
                    out.push(',');
                }
                out.push(')');
            }
            Ty::Array(elem, len) => {
                out.push('[');
                elem.write(cx, out);
                match len {
                    Some(n) => out.push_str(&format!("; {n}]")),
                    None => out.push_str("; _]"),
                }
            }
            Ty::Slice(elem) => {
                out.push('[');
                elem.write(cx, out);
                out.push(']');
            }
            Ty::Param { name, .. } => out.push_str(name.as_str()),
            Ty::Dyn(bounds) => {
                out.push_str("dyn ");
                for (i, b) in bounds.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" + ");
                    }
                    out.push_str(b.name.as_str());
                }
            }
            Ty::Impl(_) => out.push_str("impl _"),
            Ty::Ptr { mutable, inner } => {
                out.push_str(if *mutable { "*mut " } else { "*const " });
                inner.write(cx, out);
            }
            Ty::FnPtr => out.push_str("fn"),
            Ty::Unknown => out.push('_'),
        }
    }
}
