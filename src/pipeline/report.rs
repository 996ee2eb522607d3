//! What a check returns: the files it read, the diagnostics it kept, what it did with a
//! baseline, how long it took, and the exit code all that makes.

use std::cell::OnceCell;
use std::path::{Path, PathBuf};

use super::Timings;
use crate::diagnostic::{Code, Diagnostic, FileId, Input, Level};
use crate::filter::baseline::{self, Applied};
use crate::filter::items::ItemPaths;
use crate::load::{Loaded, SourceFile};

/// Nothing at error level.
pub const EXIT_OK: i32 = 0;
/// Something at error level: a denied finding, or a file that does not parse.
pub const EXIT_FINDINGS: i32 = 1;
/// A usage, configuration or internal error.
pub const EXIT_ERROR: i32 = 2;

/// The outcome of a check.
pub struct Report {
    /// The project root: baselines name files relative to it.
    pub root: PathBuf,
    /// Paths are shown relative to this directory, and the diagnostics are sorted by them.
    pub display_base: PathBuf,
    /// What is left after levels, suppressions, exclusions and the baseline, in output order.
    pub diagnostics: Vec<Diagnostic>,
    /// What the baseline did, when the run had one.
    pub baseline: Option<BaselineOutcome>,
    pub timings: Timings,
    loaded: Loaded,
    /// Built the first time something asks: baselines, SARIF, hidden test code.
    items: OnceCell<ItemPaths>,
}

/// What a check did with a baseline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BaselineOutcome {
    /// The findings it covers were dropped; with `pruned`, its file was rewritten with the
    /// counts lowered to what is left.
    Applied { applied: Applied, pruned: bool },
    /// Today's findings were written to `path` (and nothing is to be reported).
    Written { path: PathBuf, findings: u32 },
}

impl Report {
    pub(super) fn new(root: PathBuf, display_base: PathBuf, loaded: Loaded) -> Report {
        Report {
            root,
            display_base,
            diagnostics: Vec::new(),
            baseline: None,
            timings: Timings::default(),
            loaded,
            items: OnceCell::new(),
        }
    }

    /// Every file the run reached, by [`FileId`]: path, owning target, line count, IR.
    pub fn files(&self) -> &[SourceFile] {
        &self.loaded.files
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        self.loaded.file(id)
    }

    /// Everything loaded: the files and each crate's module tree.
    pub fn loaded(&self) -> &Loaded {
        &self.loaded
    }

    /// The paths of the files, by [`FileId`].
    pub fn paths(&self) -> Vec<PathBuf> {
        self.loaded.files.iter().map(|f| f.path.clone()).collect()
    }

    /// The files a target owns (and so analyzes), and their lines.
    pub fn analyzed(&self) -> (usize, u64) {
        let owned = self.loaded.files.iter().filter(|f| f.owner.is_some());
        owned.fold((0, 0), |(files, lines), f| {
            (files + 1, lines + f.lines as u64)
        })
    }

    /// The path of every item of every file, for baselines, SARIF identities and test code.
    pub fn item_paths(&self) -> &ItemPaths {
        self.items.get_or_init(|| ItemPaths::build(&self.loaded))
    }

    /// A file's path relative to the project root, with `/` separators, as baselines name it.
    pub fn root_relative(&self, file: FileId) -> String {
        relative(&self.loaded.file(file).path, &self.root)
    }

    /// A finding's identity in a baseline: its rule, file and item (never a line).
    pub fn finding_key(&self, d: &Diagnostic) -> baseline::Key {
        baseline::key(d, self.item_paths(), &|d| {
            self.root_relative(d.primary.file)
        })
    }

    /// 2 when something failed inside cargo escape, 1 when a diagnostic shown is at error
    /// level, else 0. Writing a baseline reports nothing, and so succeeds.
    pub fn exit_code(&self) -> i32 {
        if let Some(BaselineOutcome::Written { .. }) = self.baseline {
            return EXIT_OK;
        }
        let internal = self
            .diagnostics
            .iter()
            .any(|d| d.code == Code::Input(Input::InternalError));
        let failed = self
            .diagnostics
            .iter()
            .any(|d| d.level == Level::Error && d.verbosity == 0);
        if internal {
            EXIT_ERROR
        } else if failed {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        }
    }
}

fn relative(path: &Path, base: &Path) -> String {
    crate::paths::relative_to(path, base).replace('\\', "/")
}
