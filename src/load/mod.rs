//! Stage 2: load. Follows each target's module tree from its root file, parsing every file on
//! the way in parallel and lowering it to the [`FileIr`].
//!
//! Loading runs in two phases:
//! 1. **Parse** (parallel). Starting from every crate root at once, a worker reads a file
//!    (through [`Sources`]: the disk, or an editor's buffers over it), checks it, parses it
//!    with syn, lowers it, drops the AST, then resolves the file's `mod name;` declarations to
//!    paths and spawns work for each. A file reached twice (by two targets, or in two ways) is
//!    parsed once.
//! 2. **Assemble** (sequential, cheap). Walks each target's tree again over the parsed files to
//!    build its module list, in target order, so that ownership (a file reached by two targets
//!    is analyzed by the first), file ids and diagnostics do not depend on thread timing.
//!
//! Only files reached through `mod` declarations are read: test data, samples and fixtures
//! beside the sources stay unread, whatever they contain.

pub mod cfg;
pub mod depth;
pub mod lower;
pub mod source;

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::diagnostic::{CrateId, Diagnostic, FileId, Input, Label, Level};
use crate::ir::{FileIr, ItemId, ItemKind, ModKind, Span};
use crate::paths::{normalize, relative_to};
use crate::sources::{ReadError, Sources};
use crate::sym::Sym;
pub use cfg::TestCfg;

/// A crate root to load: one selected target.
#[derive(Clone, Debug)]
pub struct CrateRoot {
    /// The target's root file (`src/lib.rs`, `src/main.rs`, `tests/it.rs`...), absolute.
    pub root: PathBuf,
    /// The package's directory: no module file outside it is read.
    pub package_dir: PathBuf,
}

#[derive(Clone, Copy, Debug)]
pub struct LoadOptions {
    pub test: TestCfg,
}

/// Everything loaded, ready for indexing.
#[derive(Debug, Default)]
pub struct Loaded {
    /// All files reached, sorted by path; a [`FileId`] indexes this.
    pub files: Vec<SourceFile>,
    /// One per [`CrateRoot`], in the same order.
    pub crates: Vec<CrateTree>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// `None` when the file could not be read or parsed; a diagnostic says why.
    pub ir: Option<FileIr>,
    /// The crate that analyzes this file: the first one (in target order) that reaches it.
    pub owner: Option<CrateId>,
    pub lines: u32,
}

/// A crate's modules, root first. Inline modules (`mod x { .. }`) are modules too.
#[derive(Debug, Default)]
pub struct CrateTree {
    pub modules: Vec<Module>,
}

#[derive(Debug)]
pub struct Module {
    /// `None` for the crate root.
    pub name: Option<Sym>,
    pub parent: Option<usize>,
    pub file: FileId,
    /// The inline `mod` item, or `None` when the module is the whole file.
    pub inline: Option<ItemId>,
    /// Child modules by name, in source order.
    pub children: Vec<(Sym, usize)>,
    /// Compiled only for tests: declared under `#[cfg(test)]`, or inside such a module.
    pub test_only: bool,
}

impl Loaded {
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.index()]
    }

    pub fn ir(&self, id: FileId) -> Option<&FileIr> {
        self.files[id.index()].ir.as_ref()
    }
}

/// The outcome of parsing one file.
#[derive(Debug)]
struct Parsed {
    ir: Option<FileIr>,
    lines: u32,
    problems: Vec<Problem>,
}

/// Something wrong with a file itself.
#[derive(Debug)]
struct Problem {
    level: Level,
    code: Input,
    message: String,
    /// Where in the file; `None` when the file has no text to point into (it could not be
    /// read), so the problem is reported where the file is referenced.
    span: Option<Span>,
}

impl Problem {
    fn error(code: Input, message: String, span: Option<Span>) -> Problem {
        Problem {
            level: Level::Error,
            code,
            message,
            span,
        }
    }
}

/// How the `mod name;` declarations of one file (reached as a mod-rs file or not) resolve,
/// keyed by the declaration's item id.
type Resolutions = Vec<(ItemId, Resolution)>;

#[derive(Debug, Clone)]
enum Resolution {
    /// The module's file: its path as the declaration leads to it, which names it and from
    /// which its own children are found, and its canonical path, which identifies it.
    Found {
        path: PathBuf,
        canonical: PathBuf,
        mod_rs: bool,
    },
    Missing {
        candidates: Vec<PathBuf>,
        conditional: bool,
    },
    /// A file outside the package: where its symbolic links lead, relative to the package.
    Outside {
        target: String,
    },
    Unreadable {
        path: PathBuf,
        error: ReadError,
    },
}

type Cell<T> = Arc<OnceLock<T>>;

#[derive(Default)]
struct Shared {
    /// Keyed by canonical path: a file reached by several paths (through symbolic links) is
    /// one file, read once.
    parsed: Mutex<HashMap<PathBuf, Cell<Parsed>>>,
    /// The path each file is shown by: of the paths it was reached by, the first in order.
    names: Mutex<HashMap<PathBuf, PathBuf>>,
    /// Keyed by the file, whether it is a mod-rs file, and the package reading it: whether a
    /// child is outside the package depends on which package asks.
    resolved: Mutex<HashMap<(PathBuf, bool, PathBuf), Cell<Resolutions>>>,
}

/// Phase 1's state: what every worker shares.
struct Walk<'s> {
    shared: Shared,
    options: LoadOptions,
    sources: &'s dyn Sources,
}

/// Loads the module trees of `roots` on `pool`, reading every file through `sources`.
pub fn load(
    roots: &[CrateRoot],
    options: LoadOptions,
    sources: &dyn Sources,
    pool: &rayon::ThreadPool,
) -> Loaded {
    let walk = Walk {
        shared: Shared::default(),
        options,
        sources,
    };
    // A root's canonical path identifies it; one that cannot be read is reported by path.
    let canonical_roots: Vec<PathBuf> = roots
        .iter()
        .map(|r| {
            let path = normalize(&r.root);
            sources.canonical(&path).unwrap_or(path)
        })
        .collect();
    pool.scope(|scope| {
        for (root, canonical) in roots.iter().zip(&canonical_roots) {
            let walk = &walk;
            let file = File {
                path: normalize(&root.root),
                canonical: canonical.clone(),
                mod_rs: true,
            };
            scope.spawn(move |scope| walk.visit(scope, root, file, None));
        }
    });
    assemble(roots, &canonical_roots, walk.shared)
}

/// The canonical paths of the module files on the way down to one, innermost first, shared
/// between siblings. Each link keeps a hash of its path, so that asking whether a file is on
/// the chain costs a comparison of numbers per link, not of paths: a chain is as long as the
/// module tree is deep, and so are the paths on it.
type Chain = Option<Arc<Link>>;

struct Link {
    hash: u64,
    path: PathBuf,
    up: Chain,
}

fn path_hash(path: &Path) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<crate::sym::FxHasher>::default().hash_one(path)
}

/// Whether `path` (with hash `hash`) is on `chain`.
fn on_chain(mut chain: &Chain, path: &Path, hash: u64) -> bool {
    while let Some(link) = chain {
        if link.hash == hash && link.path == path {
            return true;
        }
        chain = &link.up;
    }
    false
}

/// A module file to read: the path it is reached by, its canonical path, and whether it is a
/// mod-rs file.
#[derive(Clone, Debug)]
struct File {
    path: PathBuf,
    canonical: PathBuf,
    mod_rs: bool,
}

impl<'s> Walk<'s> {
    /// Phase 1: parse `file` (once, whatever path reaches it) and resolve its child modules
    /// (once per path and mod-rs-ness). `ancestors` are the canonical paths of the modules on
    /// the way down: a child among them is a cycle (through `#[path]` or a symbolic link to a
    /// directory), which phase 2 reports, and is not followed.
    fn visit<'w>(
        &'w self,
        scope: &rayon::Scope<'w>,
        root: &'w CrateRoot,
        file: File,
        ancestors: Chain,
    ) {
        let shared = &self.shared;
        let sources = self.sources;
        let File {
            path,
            canonical,
            mod_rs,
        } = file;
        let resolved = {
            let mut map = shared.resolved.lock().unwrap_or_else(|e| e.into_inner());
            let key = (path.clone(), mod_rs, root.package_dir.clone());
            if map.contains_key(&key) {
                return;
            }
            map.entry(key).or_default().clone()
        };
        let parsed = {
            let mut map = shared.parsed.lock().unwrap_or_else(|e| e.into_inner());
            map.entry(canonical.clone()).or_default().clone()
        };
        {
            let mut names = shared.names.lock().unwrap_or_else(|e| e.into_inner());
            let name = names
                .entry(canonical.clone())
                .or_insert_with(|| path.clone());
            if path < *name {
                *name = path.clone();
            }
        }
        let parsed = parsed.get_or_init(|| parse(sources, &path, self.options, &root.package_dir));
        let resolutions = resolved
            .get_or_init(|| resolve_children(sources, &path, mod_rs, parsed, &root.package_dir));
        let down: Chain = Some(Arc::new(Link {
            hash: path_hash(&canonical),
            path: canonical,
            up: ancestors,
        }));
        for (_, res) in resolutions {
            if let Resolution::Found {
                path,
                canonical: child,
                mod_rs,
            } = res
            {
                if on_chain(&down, child, path_hash(child)) {
                    continue;
                }
                let ancestors = down.clone();
                let file = File {
                    path: path.clone(),
                    canonical: child.clone(),
                    mod_rs: *mod_rs,
                };
                scope.spawn(move |scope| self.visit(scope, root, file, ancestors));
            }
        }
    }
}

/// Reads, checks, parses and lowers one file, on the current worker thread. `package_dir`
/// is only for naming the file in messages.
fn parse(sources: &dyn Sources, path: &Path, options: LoadOptions, package_dir: &Path) -> Parsed {
    let shown = relative_to(path, package_dir);
    let text = match sources.read(path) {
        Ok(text) => text,
        Err(error @ ReadError::NotUtf8 { offset, lines, .. }) => {
            let at = Span::new(offset as u32, offset as u32 + 1);
            let message = error.describe(&shown);
            return Parsed {
                ir: None,
                lines,
                problems: vec![Problem::error(Input::UnreadableFile, message, Some(at))],
            };
        }
        Err(error) => {
            // Reported where the file is referenced (its `mod` declaration, or the target).
            let code = match error {
                ReadError::TooLarge { .. } => Input::FileTooLarge,
                _ => Input::UnreadableFile,
            };
            let problem = Problem {
                level: code.default_level(),
                code,
                message: error.describe(&shown),
                span: None,
            };
            return Parsed {
                ir: None,
                lines: 0,
                problems: vec![problem],
            };
        }
    };
    let lines = crate::sources::line_count(text.as_bytes());
    let prepared = match source::prepare(text, options.test == TestCfg::Off) {
        Ok(prepared) => prepared,
        Err(too_deep) => {
            let at = Span::new(too_deep.offset as u32, too_deep.offset as u32 + 1);
            let message = too_deep.describe();
            return Parsed {
                ir: None,
                lines,
                problems: vec![Problem::error(Input::ParseError, message, Some(at))],
            };
        }
    };
    parse_with_stack(prepared, lines, options)
}

/// Stack a parse needs beyond what the file's estimate says: the worker's own frames.
const STACK_MARGIN: u64 = 8 << 20;

/// Parses on this worker when its stack is enough for the file, else on a thread of its own
/// with the stack the file needs (see [`depth`]).
fn parse_with_stack(prepared: source::Prepared, lines: u32, options: LoadOptions) -> Parsed {
    let needs = prepared.stack + STACK_MARGIN;
    if needs <= crate::WORKER_STACK as u64 {
        return parse_prepared(prepared, lines, options);
    }
    let spawned = std::thread::Builder::new()
        .name("escape-deep".to_string())
        .stack_size(needs as usize)
        .spawn(move || parse_prepared(prepared, lines, options));
    match spawned.map(|thread| thread.join()) {
        Ok(Ok(parsed)) => parsed,
        // `parse_prepared` catches panics; this is a thread that could not start.
        Ok(Err(_)) | Err(_) => Parsed {
            ir: None,
            lines,
            problems: vec![Problem::error(
                Input::ParseError,
                format!(
                    "parsing this file needs {} MiB of stack, and no thread could be started \
                     with that much; the file was not parsed",
                    needs >> 20
                ),
                Some(Span::default()),
            )],
        },
    }
}

/// Parses and lowers `text` in the pieces that start at `pieces` (and at 0), each syntax tree
/// dropped before the next piece is parsed; with no pieces, the file whole.
fn in_pieces(text: &str, pieces: &[usize], test: TestCfg) -> Result<lower::Lowered, syn::Error> {
    let mut lowered = lower::Pieces::new(text, test);
    let mut start = 0;
    for end in pieces.iter().copied().chain([text.len()]) {
        let file = syn::parse_file(&text[start..end])?;
        lowered.add(&file, start);
        drop(file);
        proc_macro2::extra::invalidate_current_thread_spans();
        start = end;
    }
    Ok(lowered.finish())
}

/// Parses a prepared file with syn and lowers it, catching a panic in either as an
/// `internal_error` of the file.
fn parse_prepared(prepared: source::Prepared, lines: u32, options: LoadOptions) -> Parsed {
    let delimiter = prepared.delimiter;
    let directives = prepared.directives;
    let pieces = prepared.pieces;
    let text = prepared.text;
    let text = text.as_str();
    let parsed = || {
        // A large file is parsed a piece at a time; should a piece not parse on its own, the
        // whole file is parsed, so that what parses is never refused and an error is located
        // as syn locates it.
        match in_pieces(text, &pieces, options.test) {
            Err(_) if !pieces.is_empty() => {
                let file = syn::parse_file(text)?;
                let lowered = lower::lower_file(&file, text, options.test);
                drop(file);
                Ok(lowered)
            }
            result => result,
        }
    };
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| match parsed() {
        Ok(lowered) => {
            let problems = lowered
                .truncated
                .iter()
                // A limit of the tool, which the code's author cannot act on: a note.
                .map(|&span| Problem {
                    level: Level::Note,
                    code: Input::TooDeep,
                    message: format!(
                        "expression nested more than {} deep; its inner part was not analyzed",
                        lower::MAX_DEPTH
                    ),
                    span: Some(span),
                })
                .collect();
            let mut ir = lowered.ir;
            ir.directives = directives;
            Parsed {
                ir: Some(ir),
                lines,
                problems,
            }
        }
        Err(error) => {
            let problem = match delimiter {
                // syn's lexer only says "cannot parse string into token stream".
                Some(delimiter) if error.to_string().contains("token stream") => {
                    delimiter_problem(delimiter)
                }
                _ => {
                    let range = error.span().byte_range();
                    let at = Span::new(range.start as u32, range.end as u32);
                    Problem::error(Input::ParseError, error.to_string(), Some(at))
                }
            };
            Parsed {
                ir: None,
                lines,
                problems: vec![problem],
            }
        }
    }));
    // Without this, proc-macro2 keeps every parsed file's source map for the thread's life.
    proc_macro2::extra::invalidate_current_thread_spans();
    result.unwrap_or_else(|panic| Parsed {
        ir: None,
        lines,
        problems: vec![Problem::error(
            Input::InternalError,
            format!(
                "cargo escape failed on this file: {}",
                crate::panic_message(&*panic)
            ),
            Some(Span::default()),
        )],
    })
}

fn delimiter_problem(error: source::DelimiterError) -> Problem {
    use source::DelimiterError::*;
    let one = |at: usize| Span::new(at as u32, at as u32 + 1);
    let (message, at) = match error {
        Unclosed { open } => (
            "unclosed delimiter; the file was not parsed".to_string(),
            one(open),
        ),
        Mismatched { close, .. } => (
            "mismatched closing delimiter; the file was not parsed".to_string(),
            one(close),
        ),
        Unopened { close } => (
            "unexpected closing delimiter; the file was not parsed".to_string(),
            one(close),
        ),
    };
    Problem::error(Input::ParseError, message, Some(at))
}

/// Where the `mod name;` declarations of `path` lead.
fn resolve_children(
    sources: &dyn Sources,
    path: &Path,
    mod_rs: bool,
    parsed: &Parsed,
    package_dir: &Path,
) -> Resolutions {
    let Some(ir) = &parsed.ir else {
        return Vec::new();
    };
    let file_dir = path.parent().unwrap_or(Path::new(""));
    let mut out = Vec::new();
    for (id, item) in ir.items.iter().enumerate() {
        let ItemKind::Mod(ModKind::File {
            path_attr,
            cfg_paths,
            dirs,
            rooted,
            conditional,
        }) = &item.kind
        else {
            continue;
        };
        let Some(name) = item.name else { continue };
        let id = ItemId(id as u32);
        // Children of a non-mod-rs file `a/b.rs` live in `a/b/`, unless the inline module
        // they are in has a `#[path]` of its own.
        let mut dir = if mod_rs || *rooted {
            file_dir.to_path_buf()
        } else {
            file_dir.join(path.file_stem().unwrap_or_default())
        };
        for d in dirs.iter() {
            dir.push(&**d);
        }
        // `#[path]` outside inline modules is relative to the file's own directory, and a
        // `#[path]` file is treated as a mod-rs file (its children are its siblings).
        let path_dir = if dirs.is_empty() { file_dir } else { &dir };
        let candidates: Vec<(PathBuf, bool)> = match path_attr {
            Some(p) => vec![(normalize(&path_dir.join(&**p)), true)],
            None => vec![
                (normalize(&dir.join(format!("{name}.rs"))), false),
                (normalize(&dir.join(name.as_str()).join("mod.rs")), true),
            ],
        };
        // Each file a `cfg_attr` names is the module in some build: read those that exist.
        let mut alternatives = 0;
        for p in cfg_paths.iter() {
            let p = normalize(&path_dir.join(&**p));
            if sources.exists(&p) {
                alternatives += 1;
                out.push((id, found(sources, p, true, package_dir)));
            }
        }
        let res = match candidates.iter().find(|(p, _)| sources.exists(p)) {
            Some((p, child_mod_rs)) => found(sources, p.clone(), *child_mod_rs, package_dir),
            // The default file is only one of the module's files; another was read.
            None if alternatives > 0 => continue,
            None => Resolution::Missing {
                candidates: candidates.into_iter().map(|(p, _)| p).collect(),
                conditional: *conditional || !cfg_paths.is_empty(),
            },
        };
        out.push((id, res));
    }
    out
}

/// How a module file that exists resolves: read if it is inside the package, with symbolic
/// links followed.
fn found(sources: &dyn Sources, path: PathBuf, mod_rs: bool, package_dir: &Path) -> Resolution {
    let canonical = match sources.canonical(&path) {
        Ok(canonical) => canonical,
        Err(error) => return Resolution::Unreadable { path, error },
    };
    let package = sources
        .canonical(package_dir)
        .unwrap_or_else(|_| package_dir.to_path_buf());
    if canonical.starts_with(&package) {
        Resolution::Found {
            path,
            canonical,
            mod_rs,
        }
    } else {
        Resolution::Outside {
            target: relative_to(&canonical, &package),
        }
    }
}

/// Phase 2: module lists, file ids, ownership and diagnostics, in a deterministic order.
/// `canonical_roots[i]` is the canonical path of `roots[i]`.
fn assemble(roots: &[CrateRoot], canonical_roots: &[PathBuf], shared: Shared) -> Loaded {
    fn take<K: std::hash::Hash + Eq, T>(map: Mutex<HashMap<K, Cell<T>>>) -> HashMap<K, T> {
        map.into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .filter_map(|(key, cell)| Some((key, Arc::into_inner(cell)?.into_inner()?)))
            .collect()
    }
    let resolved = take(shared.resolved);
    let names = shared.names.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut assembly = Assembly::new(take(shared.parsed), names);
    let crates = roots
        .iter()
        .zip(canonical_roots)
        .enumerate()
        .map(|(crate_index, (root, canonical))| {
            assembly.crate_tree(crate_index, root, canonical, &resolved)
        })
        .collect();
    Loaded {
        files: assembly.files,
        crates,
        diagnostics: assembly.diagnostics,
    }
}

/// A module file to visit in phase 2: the file and the path it is reached by, whether it is a
/// mod-rs file, its parent module, its name and whether its declaration is test-only, and the
/// files on the way down to it (to catch cycles, through `#[path]` or symbolic links).
type Visit = (
    FileId,
    PathBuf,
    bool,
    Option<usize>,
    Option<Sym>,
    bool,
    Vec<FileId>,
);

/// Phase 2's state: the files numbered, and the diagnostics so far.
struct Assembly {
    files: Vec<SourceFile>,
    ids: HashMap<PathBuf, FileId>,
    diagnostics: Vec<Diagnostic>,
    /// Problems without a span, reported where the file is referenced.
    unspanned: HashMap<FileId, Vec<Problem>>,
}

impl Assembly {
    /// Numbers the parsed files by canonical path, names each by the first path that reached
    /// it (`names`), and turns their spanned problems into diagnostics.
    fn new(mut parsed: HashMap<PathBuf, Parsed>, names: HashMap<PathBuf, PathBuf>) -> Assembly {
        let mut paths: Vec<PathBuf> = parsed.keys().cloned().collect();
        paths.sort();
        let ids = paths
            .iter()
            .enumerate()
            .map(|(i, p)| (p.clone(), FileId(i as u32)))
            .collect();
        let mut diagnostics = Vec::new();
        let mut unspanned: HashMap<FileId, Vec<Problem>> = HashMap::new();
        let mut files = Vec::with_capacity(paths.len());
        for (index, path) in paths.into_iter().enumerate() {
            let file = FileId(index as u32);
            let result = parsed.remove(&path).expect("every path has a parse result");
            for problem in result.problems {
                match problem.span {
                    Some(span) => diagnostics.push(Diagnostic::new(
                        problem.code,
                        problem.level,
                        problem.message,
                        Label::new(file, span, ""),
                    )),
                    None => unspanned.entry(file).or_default().push(problem),
                }
            }
            files.push(SourceFile {
                path: names.get(&path).cloned().unwrap_or(path),
                ir: result.ir,
                owner: None,
                lines: result.lines,
            });
        }
        Assembly {
            files,
            ids,
            diagnostics,
            unspanned,
        }
    }

    /// The module tree of one crate, depth-first, children in source order. The crate owns
    /// the files it reaches first.
    fn crate_tree(
        &mut self,
        crate_index: usize,
        root: &CrateRoot,
        canonical_root: &Path,
        resolved: &HashMap<(PathBuf, bool, PathBuf), Resolutions>,
    ) -> CrateTree {
        let Assembly {
            files,
            ids,
            diagnostics,
            unspanned,
        } = self;
        let mut tree = CrateTree::default();
        let Some(&root_id) = ids.get(canonical_root) else {
            return tree;
        };
        let root_label = Label::new(root_id, Span::default(), "");
        report_at(unspanned, diagnostics, root_id, root_label);
        let root_path = normalize(&root.root);
        let mut work: Vec<Visit> = vec![(root_id, root_path, true, None, None, false, Vec::new())];
        while let Some((file, reached_by, mod_rs, parent, name, test_decl, mut ancestors)) =
            work.pop()
        {
            if files[file.index()].owner.is_none() {
                files[file.index()].owner = Some(CrateId(crate_index as u32));
            }
            let module = tree.modules.len();
            // A module declared test-only (`#[cfg(test)] mod tests;`) makes its file test code.
            let test_only = test_decl || parent.is_some_and(|p| tree.modules[p].test_only);
            tree.modules.push(Module {
                name,
                parent,
                file,
                inline: None,
                children: Vec::new(),
                test_only,
            });
            if let (Some(parent), Some(name)) = (parent, name) {
                tree.modules[parent].children.push((name, module));
            }
            let Some(ir) = &files[file.index()].ir else {
                continue;
            };
            // Inline modules are modules too; `mod x;` inside one belongs to it.
            let mut decl_module: HashMap<ItemId, usize> = HashMap::new();
            add_inline_modules(ir, &ir.top, module, file, &mut tree, &mut decl_module);
            let key = (reached_by, mod_rs, root.package_dir.clone());
            let Some(resolutions) = resolved.get(&key) else {
                continue;
            };
            ancestors.push(file);
            for (item, res) in resolutions.iter().rev() {
                let decl = ir.item(*item);
                let here = Label::new(file, decl.span, "");
                let Resolution::Found {
                    path,
                    canonical,
                    mod_rs,
                } = res
                else {
                    diagnostics.extend(resolution_problem(decl.name, res, here, &root.package_dir));
                    continue;
                };
                let Some(&child) = ids.get(canonical) else {
                    continue;
                };
                if ancestors.contains(&child) {
                    let name = decl.name.map_or(String::new(), |n| n.to_string());
                    diagnostics.push(Diagnostic::new(
                        Input::CircularModule,
                        Level::Error,
                        format!(
                            "circular modules: `{name}` includes {}, which includes it",
                            relative_to(path, &root.package_dir)
                        ),
                        here,
                    ));
                    continue;
                }
                report_at(unspanned, diagnostics, child, here);
                let parent = decl_module.get(item).copied().unwrap_or(module);
                let (name, test_only) = (decl.name, decl.test_only);
                work.push((
                    child,
                    path.clone(),
                    *mod_rs,
                    Some(parent),
                    name,
                    test_only,
                    ancestors.clone(),
                ));
            }
        }
        tree
    }
}

/// Reports the problems of `file` that have no span at `at`, where it is referenced.
fn report_at(
    unspanned: &HashMap<FileId, Vec<Problem>>,
    diagnostics: &mut Vec<Diagnostic>,
    file: FileId,
    at: Label,
) {
    for problem in unspanned.get(&file).into_iter().flatten() {
        diagnostics.push(Diagnostic::new(
            problem.code,
            problem.level,
            problem.message.clone(),
            at.clone(),
        ));
    }
}

/// The diagnostic of a `mod name;` declaration, at `here`, whose file is missing, outside the
/// package or unreadable; `None` for one that was found.
fn resolution_problem(
    name: Option<Sym>,
    res: &Resolution,
    here: Label,
    package_dir: &Path,
) -> Option<Diagnostic> {
    let name = name.map_or(String::new(), |n| n.to_string());
    let diagnostic = match res {
        Resolution::Found { .. } => return None,
        Resolution::Missing {
            candidates,
            conditional,
        } => {
            let shown: Vec<String> = candidates
                .iter()
                .map(|c| format!("\"{}\"", relative_to(c, package_dir)))
                .collect();
            let (level, message) = if *conditional {
                (
                    Level::Note,
                    format!(
                        "file not found for module `{name}`, which is behind a `cfg`; it was skipped"
                    ),
                )
            } else {
                (Level::Error, format!("file not found for module `{name}`"))
            };
            Diagnostic::new(Input::MissingModule, level, message, here).with_help(format!(
                "to create the module `{name}`, create file {}",
                shown.join(" or ")
            ))
        }
        Resolution::Outside { target } => Diagnostic::new(
            Input::ModuleOutsidePackage,
            Level::Warning,
            format!("module `{name}` is at {target}, outside the package; it was not read"),
            here,
        )
        .with_note("cargo escape reads only files inside the package's directory"),
        Resolution::Unreadable { path, error } => Diagnostic::new(
            Input::UnreadableFile,
            Level::Error,
            error.describe(&relative_to(path, package_dir)),
            here,
        ),
    };
    Some(diagnostic)
}

fn add_inline_modules(
    ir: &FileIr,
    items: &[ItemId],
    module: usize,
    file: FileId,
    tree: &mut CrateTree,
    decl_module: &mut HashMap<ItemId, usize>,
) {
    for &id in items {
        let item = ir.item(id);
        match &item.kind {
            ItemKind::Mod(ModKind::Inline { items: inner, .. }) => {
                let child = tree.modules.len();
                let Some(name) = item.name else { continue };
                let test_only = tree.modules[module].test_only || item.test_only;
                tree.modules.push(Module {
                    name: Some(name),
                    parent: Some(module),
                    file,
                    inline: Some(id),
                    children: Vec::new(),
                    test_only,
                });
                tree.modules[module].children.push((name, child));
                add_inline_modules(ir, inner, child, file, tree, decl_module);
            }
            ItemKind::Mod(ModKind::File { .. }) => {
                decl_module.insert(id, module);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_lowered_in_pieces_is_the_file_lowered_whole() {
        let text = "#![allow(dead_code)]\n\
                    use std::collections::HashMap;\n\
                    pub struct S { map: HashMap<u32, Vec<String>> }\n\
                    impl S {\n    pub fn get(&self, k: u32) -> Option<&Vec<String>> { self.map.get(&k) }\n}\n\
                    pub fn leak(v: Vec<u8>) -> &'static [u8] {\n    let b = Box::new(v);\n    Box::leak(b).as_slice()\n}\n\
                    const N: usize = 4;\n\
                    fn caf\u{e9}() -> [u8; N] { [0; N] }\n";
        let whole = in_pieces(text, &[], TestCfg::Off).unwrap().ir;
        // Cut at every line that starts a top-level item.
        let cuts: Vec<usize> = [
            "use std",
            "pub struct",
            "impl S",
            "pub fn leak",
            "const N",
            "fn caf",
        ]
        .iter()
        .map(|start| text.find(start).unwrap())
        .collect();
        let pieces = in_pieces(text, &cuts, TestCfg::Off).unwrap().ir;
        assert_eq!(format!("{pieces:?}"), format!("{whole:?}"));
        assert_eq!(whole.top.len(), 6);
        // Cut inside lines: the pieces' first columns count from where they start.
        let line =
            "fn caf\u{e9}() -> u8 { 1 } fn b(x: u8) -> u8 { x } fn c() { b(caf\u{e9}()); }\n";
        let cuts: Vec<usize> = [" fn b", " fn c"]
            .iter()
            .map(|start| line.find(start).unwrap())
            .collect();
        let whole = in_pieces(line, &[], TestCfg::Off).unwrap().ir;
        let pieces = in_pieces(line, &cuts, TestCfg::Off).unwrap().ir;
        assert_eq!(format!("{pieces:?}"), format!("{whole:?}"));
    }

    #[test]
    fn a_cut_inside_an_item_fails_where_the_whole_file_parses() {
        // `parse_prepared` then parses the file whole: a cut after a `}` at the top level that
        // is not the end of an item (rustfmt never writes this) costs memory, not a finding.
        let text = "const X: S = S {}\n;\nfn f() {}\n";
        let cut = text.find(';').unwrap();
        assert!(in_pieces(text, &[cut], TestCfg::Off).is_err());
        assert!(in_pieces(text, &[], TestCfg::Off).is_ok());
    }
}
