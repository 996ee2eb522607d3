//! What a `// escape: ..` comment says, and the contracts a function carries.
//!
//! One parser reads every directive, so that the filter stage (suppressions) and the contracts
//! (`no_alloc`, `no_block`) agree on what a comment means:
//!
//! ```text
//! // escape: allow(dyn_box, leaked_reference, reason = "..")
//! // escape: no_alloc
//! // escape: no_block(allow_panic)
//! ```

use super::Span;

/// A function's promise, checked over everything it calls: after Clang's `nonallocating` and
/// `nonblocking` function effects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Contract {
    pub kind: ContractKind,
    /// `no_alloc(allow_panic)`: paths that panic are allowed (a panic formats its message on
    /// the heap, as a C++ `throw` allocates its exception, which Clang's model excludes too).
    pub allow_panic: bool,
    /// The attribute or comment that makes the promise.
    pub at: Span,
    pub source: ContractSource,
}

/// What a contract forbids. `NoBlock` implies `NoAlloc`: the allocator may take a lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ContractKind {
    NoAlloc,
    NoBlock,
}

impl ContractKind {
    /// Its name, as written and as the rule that checks it is named.
    pub fn name(self) -> &'static str {
        match self {
            ContractKind::NoAlloc => "no_alloc",
            ContractKind::NoBlock => "no_block",
        }
    }

    pub fn from_name(name: &str) -> Option<ContractKind> {
        match name {
            "no_alloc" => Some(ContractKind::NoAlloc),
            "no_block" => Some(ContractKind::NoBlock),
            _ => None,
        }
    }
}

/// How a contract was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContractSource {
    /// `#[cfg_attr(escape, no_alloc)]`.
    Attribute,
    /// RealtimeSanitizer's `#[nonblocking]` (the `rtsan-standalone` crate) or rustc's
    /// `#[sanitize(realtime = "nonblocking")]`, taken as `no_block`.
    Sanitizer,
    /// `// escape: no_alloc` on the line above.
    Comment,
    /// `[contracts]` in the configuration.
    Config,
}

/// A rule named in a directive, with where its name is in the directive's text: an offset
/// and a length.
pub type Named = (String, (usize, usize));

/// What a directive says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    /// `escape: allow(a, b, reason = "..")`: the rules it allows.
    Allow(Vec<Named>),
    /// `escape: no_alloc`, `escape: no_block(allow_panic)`: a contract on the function below.
    Contract {
        kind: ContractKind,
        allow_panic: bool,
    },
}

/// Reads a directive's text (what follows `//`).
pub fn parse(text: &str) -> Result<DirectiveKind, String> {
    let lead = text.len() - text.trim_start().len();
    let rest = text
        .trim_start()
        .strip_prefix("escape:")
        .ok_or("expected `escape:`")?;
    let after_prefix = lead + "escape:".len();
    let inner_start = after_prefix + (rest.len() - rest.trim_start().len());
    let rest = rest.trim_start();
    let word_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    if let Some(kind) = ContractKind::from_name(&rest[..word_len]) {
        return contract(kind, rest[word_len..].trim());
    }
    let list = rest.strip_prefix("allow(").ok_or_else(|| {
        format!(
            "expected `allow(..)`, found `{}`",
            rest.split('(').next().unwrap_or(rest).trim()
        )
    })?;
    let close = closing_paren(list).ok_or("`allow(` is not closed")?;
    let list_start = inner_start + "allow(".len();
    let mut rules = Vec::new();
    let mut offset = 0;
    for part in split_top_level(&list[..close]) {
        let trimmed = part.trim();
        let at = list_start + offset + (part.len() - part.trim_start().len());
        offset += part.len() + 1;
        if trimmed.is_empty() {
            continue;
        }
        if let Some(value) = trimmed.strip_prefix("reason")
            && value.trim_start().starts_with('=')
        {
            continue;
        }
        if !trimmed
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
        {
            return Err(format!("`{trimmed}` is not a rule name"));
        }
        let rule = trimmed.strip_prefix("escape::").unwrap_or(trimmed);
        rules.push((
            rule.to_string(),
            (at + (trimmed.len() - rule.len()), rule.len()),
        ));
    }
    if rules.is_empty() {
        return Err("no rule is named".to_string());
    }
    Ok(DirectiveKind::Allow(rules))
}

/// `no_alloc`, `no_alloc(allow_panic)`: what follows the contract's name.
fn contract(kind: ContractKind, args: &str) -> Result<DirectiveKind, String> {
    let allow_panic = match args {
        "" => false,
        _ => {
            let inner = args
                .strip_prefix('(')
                .and_then(|a| a.strip_suffix(')'))
                .ok_or_else(|| format!("expected `{}` or `{0}(allow_panic)`", kind.name()))?;
            match inner.trim() {
                "allow_panic" => true,
                "" => false,
                other => {
                    return Err(format!(
                        "`{other}` is not an option of `{}`: the one option is `allow_panic`",
                        kind.name()
                    ));
                }
            }
        }
    };
    Ok(DirectiveKind::Contract { kind, allow_panic })
}

/// The characters of `list` outside string literals, with their offsets.
fn outside_strings(list: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut in_string = false;
    let mut escaped = false;
    list.char_indices().filter(move |&(_, c)| {
        let outside = !in_string && c != '"';
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            _ => {}
        }
        outside
    })
}

/// The `)` that closes the list, outside string literals.
fn closing_paren(list: &str) -> Option<usize> {
    outside_strings(list)
        .find(|&(_, c)| c == ')')
        .map(|(i, _)| i)
}

/// Splits at commas outside string literals.
fn split_top_level(list: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, _) in outside_strings(list).filter(|&(_, c)| c == ',') {
        parts.push(&list[start..i]);
        start = i + 1;
    }
    parts.push(&list[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_parse_with_positions() {
        let text = "escape: allow(dyn_box, escape::leaked_reference, reason = \"a, b\")";
        let Ok(DirectiveKind::Allow(rules)) = parse(text) else {
            panic!("an allow");
        };
        let names: Vec<(&str, &str)> = rules
            .iter()
            .map(|(r, (at, len))| (r.as_str(), &text[*at..at + len]))
            .collect();
        assert_eq!(
            names,
            [
                ("dyn_box", "dyn_box"),
                ("leaked_reference", "leaked_reference")
            ]
        );
        assert!(
            parse("escape: alow(x)")
                .unwrap_err()
                .contains("expected `allow(..)`")
        );
        assert!(parse("escape: allow(x").is_err());
        assert!(parse("escape: allow()").is_err());
        assert!(parse("escape: allow(a b)").is_err());
    }

    #[test]
    fn contracts_parse_with_their_option() {
        let contract = |kind, allow_panic| Ok(DirectiveKind::Contract { kind, allow_panic });
        assert_eq!(
            parse(" escape: no_alloc"),
            contract(ContractKind::NoAlloc, false)
        );
        assert_eq!(
            parse(" escape: no_block(allow_panic)"),
            contract(ContractKind::NoBlock, true)
        );
        assert_eq!(
            parse(" escape: no_alloc( allow_panic )"),
            contract(ContractKind::NoAlloc, true)
        );
        assert!(
            parse(" escape: no_alloc(fast)")
                .unwrap_err()
                .contains("allow_panic")
        );
        assert!(parse(" escape: no_alloc please").is_err());
    }
}
