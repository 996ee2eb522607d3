//! The subcommands that run no analysis: `explain RULE` and `rules`.

use super::stream;
use super::{EXIT_OK, Stop};
use crate::diagnostic::Input;
use crate::pipeline::Error;
use crate::rules;

/// `cargo escape explain RULE`: the rule's page, or a line about an input diagnostic.
pub(super) fn explain(rule: Option<&str>) -> Result<i32, Stop> {
    let Some(rule) = rule else {
        return Err(Error::Usage {
            message: "`cargo escape explain` needs the name of a rule".to_string(),
            help: Some("`cargo escape rules` lists them".to_string()),
        }
        .into());
    };
    if let Some(r) = rules::find(rule) {
        stream::out(r.meta.page)?;
        return Ok(EXIT_OK);
    }
    let id = rule.strip_prefix("escape::").unwrap_or(rule);
    if let Some(input) = Input::find(id) {
        stream::out(&format!(
            "escape::{}: {}.\n\nThis is a problem with the input, not a rule; it has no page of its own.\n",
            input.id(),
            input.summary()
        ))?;
        return Ok(EXIT_OK);
    }
    Err(Error::unknown_rule(rule).into())
}

/// `cargo escape rules`: the rules with their default levels, then the input diagnostics.
pub(super) fn list_rules() -> Result<i32, Stop> {
    let mut out = String::from("Rules:\n");
    let width = rules::ALL
        .iter()
        .map(|r| r.meta.id.len())
        .max()
        .unwrap_or(0);
    for r in rules::ALL {
        out.push_str(&format!(
            "  {:width$}  {:7}  {}\n",
            r.meta.id,
            r.meta.default_level.as_str(),
            r.meta.summary
        ));
    }
    out.push_str("\nInput diagnostics:\n");
    let width = Input::ALL.iter().map(|i| i.id().len()).max().unwrap_or(0);
    for input in Input::ALL {
        out.push_str(&format!(
            "  {:width$}  {:7}  {}\n",
            input.id(),
            input.default_level().as_str(),
            input.summary()
        ));
    }
    out.push_str("\n`cargo escape explain RULE` prints a rule's page.\n");
    stream::out(&out)?;
    Ok(EXIT_OK)
}
