//! Writing to stdout and stderr without panicking. `print!` panics when a write fails; here a
//! failure is a value: a reader that went away (`cargo escape --message-format json | head -1`)
//! ends the output quietly, as in cargo and ripgrep, and any other failure (a full disk) is an
//! I/O error the command line reports, with exit code 2.

use std::fmt;
use std::io::{self, Write};

/// Output that could not be written.
#[derive(Debug)]
pub(super) enum WriteError {
    /// The reader closed its end (a pipe into `head`): nothing more is written, and the run
    /// ends with the exit code it has. cargo does the same: it ignores a closed pipe on its
    /// message stream and exits with the build's status.
    Closed,
    /// Any other failure, on the stream named.
    Failed {
        stream: &'static str,
        error: io::Error,
    },
}

impl WriteError {
    /// A failed write on `stream`, closed or failed.
    pub(super) fn of(stream: &'static str, error: io::Error) -> WriteError {
        if error.kind() == io::ErrorKind::BrokenPipe {
            WriteError::Closed
        } else {
            WriteError::Failed { stream, error }
        }
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Closed => f.write_str("the output was closed"),
            WriteError::Failed { stream, error } => write!(f, "cannot write to {stream}: {error}"),
        }
    }
}

/// Writes `text` to stdout and flushes it.
pub(super) fn out(text: &str) -> Result<(), WriteError> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| WriteError::of("stdout", e))
}

/// Writes `text` to stderr.
pub(super) fn err(text: &str) -> Result<(), WriteError> {
    io::stderr()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| WriteError::of("stderr", e))
}
