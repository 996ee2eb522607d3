//! SARIF 2.1.0, for code scanning services: one run, with a rule entry per rule (its summary,
//! the first paragraph of its page, and the page as help) and a result per diagnostic, located
//! by a path relative to the current directory (the repository's root, in CI).
//! `partialFingerprints` come from the rule, the file, the enclosing item and the finding's
//! rank there, never from line numbers, so a finding keeps its identity when code above it
//! moves.
//!
//! These are the wire types; the analysis never sees them.

use serde::Serialize;

use super::Files;
use crate::diagnostic::{Diagnostic, Input, Level};
use crate::rules;

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    /// Columns count characters, as rustc's and ours do.
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: String,
    rules: Vec<RuleDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
}

/// What identifies a finding across runs: its fingerprint, and the path of the item it is in
/// (`crate::store::Cache::insert`, empty outside any item), given as its logical location.
pub struct Identity {
    pub fingerprint: String,
    pub item: String,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "escapeFinding/v1")]
    finding: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    fully_qualified_name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note | Level::Help => "note",
    }
}

/// Every code a result may carry: the rules, then the input diagnostics.
fn descriptors() -> Vec<RuleDescriptor> {
    let mut out: Vec<RuleDescriptor> = rules::ALL
        .iter()
        .map(|r| RuleDescriptor {
            id: format!("escape::{}", r.meta.id),
            name: r.meta.id.to_string(),
            short_description: Text {
                text: r.meta.summary.to_string(),
            },
            full_description: Text {
                text: first_paragraph(r.meta.page, "## What it reports")
                    .unwrap_or_else(|| r.meta.summary.to_string()),
            },
            help: Help {
                text: r.meta.page.to_string(),
                markdown: r.meta.page.to_string(),
            },
            help_uri: page_uri(r.meta.id),
            default_configuration: Configuration {
                level: level(r.meta.default_level),
            },
        })
        .collect();
    out.extend(
        Input::ALL
            .iter()
            .map(|input| (input.id(), input.summary(), input.default_level()))
            .map(|(code, summary, default)| RuleDescriptor {
                id: format!("escape::{code}"),
                name: code.to_string(),
                short_description: Text {
                    text: summary.to_string(),
                },
                full_description: Text {
                    text: format!("{summary}. A problem with the input, not a finding of a rule."),
                },
                help: Help {
                    text: summary.to_string(),
                    markdown: summary.to_string(),
                },
                help_uri: None,
                default_configuration: Configuration {
                    level: level(default),
                },
            }),
    );
    out
}

/// Where the tool is described: its repository when the package names one, else its page on
/// crates.io.
fn information_uri() -> String {
    match option_env!("CARGO_PKG_REPOSITORY").filter(|r| !r.is_empty()) {
        Some(repository) => repository.to_string(),
        None => format!("https://crates.io/crates/{}", env!("CARGO_PKG_NAME")),
    }
}

/// A rule's page on the web, where the package names its repository: `lints/<id>.md` at this
/// version's tag.
fn page_uri(id: &str) -> Option<String> {
    let repository = option_env!("CARGO_PKG_REPOSITORY").filter(|r| !r.is_empty())?;
    Some(format!(
        "{}/blob/v{}/lints/{id}.md",
        repository.trim_end_matches('/'),
        env!("CARGO_PKG_VERSION")
    ))
}

/// The first paragraph after a heading of a page, joined into one line.
fn first_paragraph(page: &str, heading: &str) -> Option<String> {
    let after = &page[page.find(heading)? + heading.len()..];
    let paragraph: Vec<&str> = after
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .collect();
    (!paragraph.is_empty()).then(|| paragraph.join(" "))
}

/// A relative path as a URI reference: what is not unreserved (or `/`) is percent-encoded, so
/// that `#` and `%` in a file name mean themselves.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The whole SARIF log. `identities` give each diagnostic its stable identity.
pub fn render(sources: &Files, diagnostics: &[Diagnostic], identities: &[Identity]) -> String {
    let rules = descriptors();
    let results = diagnostics
        .iter()
        .zip(identities)
        .map(|(d, identity)| {
            let id = format!("escape::{}", d.code);
            let start = sources.position(d.primary.file, d.primary.span.lo);
            let end = sources.position(d.primary.file, d.primary.span.hi.max(d.primary.span.lo));
            let mut text = d.message.clone();
            for child in &d.children {
                text.push_str(&format!("\n{}: {}", child.level.as_str(), child.message));
            }
            SarifResult {
                rule_index: rules.iter().position(|r| r.id == id).unwrap_or(0),
                rule_id: id,
                level: level(d.level),
                message: Text { text },
                locations: vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation {
                            uri: uri(&sources.name(d.primary.file).replace('\\', "/")),
                            uri_base_id: "%SRCROOT%",
                        },
                        region: Region {
                            start_line: start.line,
                            start_column: start.column,
                            end_line: end.line,
                            end_column: end
                                .column
                                .max(start.column + usize::from(end.line == start.line)),
                        },
                    },
                    logical_locations: (!identity.item.is_empty())
                        .then(|| LogicalLocation {
                            fully_qualified_name: identity.item.clone(),
                        })
                        .into_iter()
                        .collect(),
                }],
                partial_fingerprints: Fingerprints {
                    finding: identity.fingerprint.clone(),
                },
            }
        })
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "cargo-escape",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: information_uri(),
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut out = serde_json::to_string_pretty(&log).expect("SARIF serializes");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            super::uri("src/gen files/c#50%.rs"),
            "src/gen%20files/c%2350%25.rs"
        );
        assert_eq!(super::uri("../é.rs"), "../%C3%A9.rs");
    }
}
