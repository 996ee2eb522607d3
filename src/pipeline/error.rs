//! The one error type for what stops a run before it has a report: a usage mistake, a
//! workspace cargo cannot describe, a mistake in a configuration file, a baseline that cannot
//! be read or written. The command line prints it as `error: ...` and exits with 2.

use std::fmt;

use crate::config::ConfigError;
use crate::discover::DiscoverError;

/// What stopped a run.
#[derive(Debug)]
pub enum Error {
    /// A mistake in how the run was asked for: an unknown rule, flags that do not go together.
    Usage {
        message: String,
        help: Option<String>,
    },
    /// `cargo metadata` failed, or the selection names no package or target.
    Discovery(DiscoverError),
    /// A mistake in a configuration file, with its place in the file's text.
    Config(Box<ConfigError>),
    /// A baseline that cannot be read, is not one, or cannot be written.
    Baseline(String),
    /// What the run needs from the system and did not get: worker threads, `cargo check`.
    System(String),
}

impl Error {
    /// A usage error with a message and no help.
    pub fn usage(message: impl Into<String>) -> Error {
        Error::Usage {
            message: message.into(),
            help: None,
        }
    }

    /// `rule` names no rule or input diagnostic: says so, with the closest name if any.
    pub fn unknown_rule(rule: &str) -> Error {
        let id = rule.strip_prefix("escape::").unwrap_or(rule);
        let help = crate::suggest::did_you_mean(id, crate::rules::all_codes())
            .unwrap_or_else(|| "`cargo escape rules` lists the rules".to_string());
        Error::Usage {
            message: format!("unknown rule `{rule}`"),
            help: Some(help),
        }
    }

    /// The one-line message, without `error: `.
    pub fn message(&self) -> &str {
        match self {
            Error::Usage { message, .. } => message,
            Error::Discovery(error) => &error.message,
            Error::Config(error) => &error.message,
            Error::Baseline(message) | Error::System(message) => message,
        }
    }

    /// What to do about it, when there is something to say.
    pub fn help(&self) -> Option<&str> {
        match self {
            Error::Usage { help, .. } => help.as_deref(),
            Error::Discovery(error) => error.help.as_deref(),
            Error::Config(error) => error.help.as_deref(),
            Error::Baseline(_) | Error::System(_) => None,
        }
    }

    /// The configuration mistake, to be shown in its file's text.
    pub fn config(&self) -> Option<&ConfigError> {
        match self {
            Error::Config(error) => Some(error),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())?;
        if let Some(help) = self.help() {
            write!(f, "\nhelp: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<DiscoverError> for Error {
    fn from(error: DiscoverError) -> Error {
        Error::Discovery(error)
    }
}

impl From<ConfigError> for Error {
    fn from(error: ConfigError) -> Error {
        Error::Config(Box::new(error))
    }
}
