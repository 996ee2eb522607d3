//! Diagnostics as plain values.
//!
//! Every stage reports problems and findings by returning [`Diagnostic`]s; nothing before
//! [`crate::render`] prints. A diagnostic points into files by [`FileId`] and byte [`Span`];
//! lines and columns are computed only when it is rendered.

use crate::ir::Span;

/// A source file of the run: an index into [`crate::load::Loaded::files`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

impl FileId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A crate of the run (one selected target): an index into `Project::targets` and
/// `Loaded::crates`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CrateId(pub u32);

impl CrateId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A package of the workspace: an index into `Project::packages` and the configuration's
/// package layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PackageId(pub u32);

impl PackageId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A problem with the input rather than a finding of a rule. Each can be allowed or denied by
/// name, like a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Input {
    ParseError,
    UnreadableFile,
    FileTooLarge,
    MissingModule,
    ModuleOutsidePackage,
    CircularModule,
    TooDeep,
    UnusedSuppression,
    InternalError,
}

impl Input {
    pub const ALL: &[Input] = &[
        Input::ParseError,
        Input::UnreadableFile,
        Input::FileTooLarge,
        Input::MissingModule,
        Input::ModuleOutsidePackage,
        Input::CircularModule,
        Input::TooDeep,
        Input::UnusedSuppression,
        Input::InternalError,
    ];

    /// Its name, as `-D`, the configuration and the output spell it (without `escape::`).
    pub fn id(self) -> &'static str {
        match self {
            Input::ParseError => "parse_error",
            Input::UnreadableFile => "unreadable_file",
            Input::FileTooLarge => "file_too_large",
            Input::MissingModule => "missing_module",
            Input::ModuleOutsidePackage => "module_outside_package",
            Input::CircularModule => "circular_module",
            Input::TooDeep => "too_deep",
            Input::UnusedSuppression => "unused_suppression",
            Input::InternalError => "internal_error",
        }
    }

    /// One line, for `cargo escape rules` and SARIF.
    pub fn summary(self) -> &'static str {
        match self {
            Input::ParseError => {
                "a file could not be parsed, or nests too deeply to parse safely; it was not analyzed"
            }
            Input::UnreadableFile => {
                "a file could not be read: missing, not UTF-8, not a regular file, a symlink loop, no permission"
            }
            Input::FileTooLarge => "a file larger than the size limit, which was not read",
            Input::MissingModule => "a `mod` declaration whose file does not exist",
            Input::ModuleOutsidePackage => "a module file outside the package, which is never read",
            Input::CircularModule => {
                "a module that includes itself, through `#[path]` or a symbolic link"
            }
            Input::TooDeep => "an expression nested too deeply to analyze all of it",
            Input::UnusedSuppression => "a suppression that covers no finding, or names no rule",
            Input::InternalError => "cargo escape failed on a file or crate; please report it",
        }
    }

    /// The level it is reported at (a missing module behind a `cfg` is a note).
    pub fn default_level(self) -> Level {
        match self {
            Input::ParseError
            | Input::UnreadableFile
            | Input::MissingModule
            | Input::CircularModule
            | Input::InternalError => Level::Error,
            Input::FileTooLarge | Input::ModuleOutsidePackage | Input::UnusedSuppression => {
                Level::Warning
            }
            Input::TooDeep => Level::Note,
        }
    }

    pub fn find(id: &str) -> Option<Input> {
        Input::ALL.iter().copied().find(|i| i.id() == id)
    }
}

/// What a diagnostic is: a rule's finding (by the rule's id), or a problem with the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    Rule(&'static str),
    Input(Input),
}

impl Code {
    /// The name, without the `escape::` prefix.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Rule(id) => id,
            Code::Input(input) => input.id(),
        }
    }
}

impl From<Input> for Code {
    fn from(input: Input) -> Code {
        Code::Input(input)
    }
}

/// Codes sort by name, as the output does.
impl Ord for Code {
    fn cmp(&self, other: &Code) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Code) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Error,
    Warning,
    Note,
    Help,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
            Level::Help => "help",
        }
    }
}

/// A place in a file, with what to say about it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub text: String,
}

impl Label {
    pub fn new(file: FileId, span: Span, text: impl Into<String>) -> Label {
        Label {
            file,
            span,
            text: text.into(),
        }
    }
}

/// A `note:` or `help:` line under a diagnostic, optionally pointing somewhere.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Child {
    pub level: Level,
    pub message: String,
    pub at: Option<Label>,
}

/// One edge of the path that led to a verdict, as `-m=2` prints it: `from WHAT (WHY) at POS`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FlowStep {
    pub what: String,
    pub why: String,
    pub at: Label,
}

/// A chain of steps from a source to a destination: `flow: DST = SRC:`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Flow {
    pub dst: String,
    pub src: String,
    pub steps: Vec<FlowStep>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The rule (`leaked_reference`) or input problem (`parse_error`), shown as
    /// `escape::<code>`.
    pub code: Code,
    pub level: Level,
    /// 0: always shown; 1: shown with `-m`; 2: shown with `-m=2`. Verdicts that are only
    /// informative (`does not escape`) have a verbosity above 0.
    pub verbosity: u8,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    /// The same finding at other places of the same item, grouped into this one by the filter
    /// stage: each is shown as a label.
    pub also: Vec<Label>,
    pub children: Vec<Child>,
    /// Explanation of a verdict, printed by `-m=2`.
    pub flows: Vec<Flow>,
}

impl Diagnostic {
    pub fn new(
        code: impl Into<Code>,
        level: Level,
        message: impl Into<String>,
        primary: Label,
    ) -> Diagnostic {
        Diagnostic {
            code: code.into(),
            level,
            verbosity: 0,
            message: message.into(),
            primary,
            secondary: Vec::new(),
            also: Vec::new(),
            children: Vec::new(),
            flows: Vec::new(),
        }
    }

    /// Every label but the primary one: the finding's own, then the other places of a grouped
    /// finding.
    pub fn other_labels(&self) -> impl Iterator<Item = &Label> {
        self.secondary.iter().chain(&self.also)
    }

    pub fn with_secondary(mut self, label: Label) -> Diagnostic {
        self.secondary.push(label);
        self
    }

    pub fn with_note(mut self, message: impl Into<String>) -> Diagnostic {
        self.children.push(Child {
            level: Level::Note,
            message: message.into(),
            at: None,
        });
        self
    }

    pub fn with_help(mut self, message: impl Into<String>) -> Diagnostic {
        self.children.push(Child {
            level: Level::Help,
            message: message.into(),
            at: None,
        });
        self
    }

    pub fn with_verbosity(mut self, verbosity: u8) -> Diagnostic {
        self.verbosity = verbosity;
        self
    }
}
