//! Lint levels: what `-D`/`-W`/`-A` and the configuration's `[rules]` table set, and how they
//! combine into a diagnostic's final level, as rustc combines them.

use crate::diagnostic::Level;

/// A lint level set on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LintLevel {
    Allow,
    Warn,
    Deny,
}

/// What a `-D`/`-W`/`-A` flag applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LintTarget {
    /// One rule or input code, without the `escape::` prefix.
    Code(String),
    /// `warnings`: every diagnostic that is a warning at that point.
    Warnings,
}

/// The level flags, in command-line order.
#[derive(Clone, Debug, Default)]
pub struct Levels {
    pub flags: Vec<(LintLevel, LintTarget)>,
}

impl Levels {
    /// The final level of a diagnostic of `code` emitted at `level`, or `None` if allowed.
    ///
    /// As in rustc: the last flag naming the code sets its level; then, if that level is
    /// *warning*, the last `warnings` flag applies, wherever it stands. So `-D warnings`
    /// turns every warning into an error, even one a later `-W` names, and `-A warnings`
    /// silences them all.
    pub fn level_of(&self, code: &str, level: Level) -> Option<Level> {
        let of = |flag: LintLevel| match flag {
            LintLevel::Allow => None,
            LintLevel::Warn => Some(Level::Warning),
            LintLevel::Deny => Some(Level::Error),
        };
        let last = |wanted: &dyn Fn(&LintTarget) -> bool| {
            self.flags
                .iter()
                .rev()
                .find(|(_, target)| wanted(target))
                .map(|(flag, _)| *flag)
        };
        let own = match last(&|t| matches!(t, LintTarget::Code(c) if c == code)) {
            Some(flag) => of(flag),
            None => Some(level),
        };
        if own != Some(Level::Warning) {
            return own;
        }
        last(&|t| *t == LintTarget::Warnings).map_or(own, of)
    }

    /// Whether a `-A` flag silences `code` altogether.
    pub fn allows(&self, code: &str) -> bool {
        let mut allowed = false;
        for (flag, target) in &self.flags {
            if *target == LintTarget::Code(code.to_string()) {
                allowed = *flag == LintLevel::Allow;
            }
        }
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(flags: &[(LintLevel, &str)]) -> Levels {
        Levels {
            flags: flags
                .iter()
                .map(|(l, t)| {
                    let target = if *t == "warnings" {
                        LintTarget::Warnings
                    } else {
                        LintTarget::Code(t.to_string())
                    };
                    (*l, target)
                })
                .collect(),
        }
    }

    #[test]
    fn later_flags_win() {
        use LintLevel::*;
        // As in rustc, `-D warnings` applies to whatever is a warning, whatever its place.
        let l = levels(&[(Deny, "warnings"), (Warn, "leaked_reference")]);
        assert_eq!(
            l.level_of("leaked_reference", Level::Warning),
            Some(Level::Error)
        );
        let l = levels(&[(Allow, "warnings"), (Warn, "leaked_reference")]);
        assert_eq!(l.level_of("leaked_reference", Level::Warning), None);
        let l = levels(&[(Deny, "warnings"), (Allow, "leaked_reference")]);
        assert_eq!(l.level_of("leaked_reference", Level::Warning), None);
        let l = levels(&[(Allow, "warnings"), (Deny, "leaked_reference")]);
        assert_eq!(
            l.level_of("leaked_reference", Level::Warning),
            Some(Level::Error)
        );
        let l = levels(&[(Deny, "warnings"), (Allow, "warnings")]);
        assert_eq!(l.level_of("leaked_reference", Level::Warning), None);
        let l = levels(&[(Warn, "leaked_reference"), (Deny, "warnings")]);
        assert_eq!(
            l.level_of("leaked_reference", Level::Warning),
            Some(Level::Error)
        );
        let l = levels(&[(Allow, "leaked_reference"), (Deny, "leaked_reference")]);
        assert_eq!(
            l.level_of("leaked_reference", Level::Warning),
            Some(Level::Error)
        );
        let l = levels(&[(Deny, "leaked_reference"), (Allow, "leaked_reference")]);
        assert_eq!(l.level_of("leaked_reference", Level::Warning), None);
    }

    #[test]
    fn warnings_touches_only_warnings() {
        use LintLevel::*;
        let l = levels(&[(Allow, "warnings")]);
        assert_eq!(l.level_of("parse_error", Level::Error), Some(Level::Error));
        assert_eq!(l.level_of("missing_module", Level::Note), Some(Level::Note));
        assert_eq!(l.level_of("leaked_reference", Level::Warning), None);
        let l = levels(&[(Deny, "warnings")]);
        assert_eq!(l.level_of("missing_module", Level::Note), Some(Level::Note));
    }
}
