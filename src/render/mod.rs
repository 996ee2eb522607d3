//! Stage 6: render. Turns diagnostics into text: rustc-style human output, one-line output,
//! cargo's JSON message stream, and Go-style `-m` verdict lines.
//!
//! Rendering reads the files that diagnostics point into (and only those) a second time, for
//! line numbers and snippets, through the [`Sources`] the analysis read them through (an
//! editor's unsaved buffer included): the load stage does not keep source text in memory.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod short;
pub mod snippet;
pub mod verdicts;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::paths::relative_to;

use codespan_reporting::files::{Files as _, SimpleFiles};

use crate::diagnostic::{Diagnostic, FileId};
use crate::ir::Span;
use crate::sources::Sources;

/// The text of the files diagnostics point into, and how to name them.
pub struct Files {
    /// Paths of all files of the run, by [`FileId`].
    paths: Vec<PathBuf>,
    /// Display names, relative to the current directory where possible.
    names: Vec<String>,
    /// Names relative to the workspace root, as rustc run by cargo writes them in JSON.
    root_names: Vec<String>,
    files: SimpleFiles<String, String>,
    loaded: HashMap<FileId, usize>,
    /// Whether each loaded file (by its codespan id) is ASCII, where columns are bytes: a
    /// column is then found without counting characters from the start of a long line.
    ascii: Vec<bool>,
}

/// A 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Files {
    pub fn new(paths: Vec<PathBuf>, cwd: &Path, workspace_root: &Path) -> Files {
        let names = paths.iter().map(|p| relative_to(p, cwd)).collect();
        let root_names = paths
            .iter()
            .map(|p| relative_to(p, workspace_root))
            .collect();
        Files {
            paths,
            names,
            root_names,
            files: SimpleFiles::new(),
            loaded: HashMap::new(),
            ascii: Vec::new(),
        }
    }

    pub fn name(&self, file: FileId) -> &str {
        &self.names[file.index()]
    }

    pub fn root_name(&self, file: FileId) -> &str {
        &self.root_names[file.index()]
    }

    /// Reads every file the diagnostics point into, through `sources`.
    pub fn load_for(&mut self, diagnostics: &[Diagnostic], sources: &dyn Sources) {
        for d in diagnostics {
            self.load(d.primary.file, sources);
            for label in d.other_labels() {
                self.load(label.file, sources);
            }
            for child in &d.children {
                if let Some(at) = &child.at {
                    self.load(at.file, sources);
                }
            }
            for flow in &d.flows {
                for step in &flow.steps {
                    self.load(step.at.file, sources);
                }
            }
        }
    }

    fn load(&mut self, file: FileId, sources: &dyn Sources) {
        if self.loaded.contains_key(&file) {
            return;
        }
        // A file that cannot be read again (or is not UTF-8) still gets a name and positions.
        let text = match sources.read_bytes(&self.paths[file.index()]) {
            Ok(bytes) => String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            Err(_) => String::new(),
        };
        self.ascii.push(text.is_ascii());
        let id = self.files.add(self.names[file.index()].clone(), text);
        self.loaded.insert(file, id);
    }

    fn id(&self, file: FileId) -> usize {
        self.loaded[&file]
    }

    /// The file's id among [`Files::files`].
    pub fn codespan_id(&self, file: FileId) -> usize {
        self.id(file)
    }

    /// A span clamped to the file's text (which may have changed since it was parsed).
    fn clamp(&self, file: FileId, span: Span) -> std::ops::Range<usize> {
        let len = self
            .files
            .get(self.id(file))
            .map_or(0, |f| f.source().len());
        let text = self
            .files
            .get(self.id(file))
            .map(|f| f.source().as_str())
            .unwrap_or("");
        let mut lo = (span.lo as usize).min(len);
        let mut hi = (span.hi as usize).clamp(lo, len);
        while !text.is_char_boundary(lo) {
            lo -= 1;
        }
        while !text.is_char_boundary(hi) {
            hi += 1;
        }
        lo..hi
    }

    pub fn position(&self, file: FileId, byte: u32) -> Position {
        let id = self.id(file);
        let at = self.clamp(file, Span::new(byte, byte)).start;
        let Ok(line) = self.files.line_index(id, at) else {
            return Position { line: 1, column: 1 };
        };
        let start = self.files.line_range(id, line).map_or(at, |r| r.start);
        Position {
            line: line + 1,
            column: self.columns(file, start..at) + 1,
        }
    }

    /// Whether the loaded `file` is all ASCII.
    pub fn is_ascii(&self, file: FileId) -> bool {
        self.ascii[self.id(file)]
    }

    /// The characters in `range` of `file`: its bytes, in an ASCII file.
    pub fn columns(&self, file: FileId, range: std::ops::Range<usize>) -> usize {
        if self.ascii[self.id(file)] {
            return range.len();
        }
        self.text(file)
            .1
            .get(range)
            .map_or(0, |s| s.chars().count())
    }

    /// The line of `file` around `byte`: its index and byte range, newline excluded.
    pub fn line_at(&self, file: FileId, byte: usize) -> (usize, std::ops::Range<usize>) {
        let id = self.id(file);
        let line = self.files.line_index(id, byte).unwrap_or(0);
        let range = self.files.line_range(id, line).unwrap_or(byte..byte);
        let text = self.text(file).1.get(range.clone()).unwrap_or("");
        let len = text.trim_end_matches(['\n', '\r']).len();
        (line, range.start..range.start + len)
    }

    /// The text of the lines a span covers, each with the highlighted columns (1-based,
    /// in characters), as rustc's JSON `text` field holds them.
    pub fn lines(&self, file: FileId, span: Span) -> Vec<(String, usize, usize)> {
        let id = self.id(file);
        let range = self.clamp(file, span);
        let Ok(first) = self.files.line_index(id, range.start) else {
            return Vec::new();
        };
        let last = self.files.line_index(id, range.end).unwrap_or(first);
        let source = self.text(file).1;
        let mut out = Vec::new();
        for line in first..=last {
            let Ok(line_range) = self.files.line_range(id, line) else {
                break;
            };
            let text = source[line_range.clone()].trim_end_matches(['\n', '\r']);
            let start = range
                .start
                .max(line_range.start)
                .min(line_range.start + text.len());
            let end = range.end.min(line_range.start + text.len()).max(start);
            let col = |byte: usize| self.columns(file, line_range.start..byte) + 1;
            out.push(snippet::cut_line(
                text,
                col(start),
                col(end),
                self.is_ascii(file),
            ));
        }
        out
    }

    pub fn files(&self) -> &SimpleFiles<String, String> {
        &self.files
    }

    /// Whether the line around `byte` of `file` is longer than [`snippet::LONG_LINE`], so
    /// that showing it whole would print more than anyone reads.
    pub fn on_long_line(&self, file: FileId, byte: usize) -> bool {
        let (_, range) = self.line_at(file, byte);
        // Bytes first: a line is never longer in characters than in bytes.
        range.len() > snippet::LONG_LINE && self.columns(file, range) > snippet::LONG_LINE
    }

    /// The name and text of a loaded file.
    pub fn text(&self, file: FileId) -> (&str, &str) {
        match self.files.get(self.id(file)) {
            Ok(f) => (f.name().as_str(), f.source().as_str()),
            Err(_) => ("", ""),
        }
    }

    pub fn range(&self, file: FileId, span: Span) -> (usize, std::ops::Range<usize>) {
        (self.id(file), self.clamp(file, span))
    }
}

/// `1 warning`, `2 warnings`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
