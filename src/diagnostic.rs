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
    /// The rule id (`leaked_reference`) or input problem id (`parse_error`), shown as
    /// `escape::<code>`.
    pub code: &'static str,
    pub level: Level,
    /// 0: always shown; 1: shown with `-m`; 2: shown with `-m=2`. Verdicts that are only
    /// informative (`does not escape`) have a verbosity above 0.
    pub verbosity: u8,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub children: Vec<Child>,
    /// Explanation of a verdict, printed by `-m=2`.
    pub flows: Vec<Flow>,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        level: Level,
        message: impl Into<String>,
        primary: Label,
    ) -> Diagnostic {
        Diagnostic {
            code,
            level,
            verbosity: 0,
            message: message.into(),
            primary,
            secondary: Vec::new(),
            children: Vec::new(),
            flows: Vec::new(),
        }
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
