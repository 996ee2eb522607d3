//! Stage 1b: configuration, read after discovery (which knows the workspace root and the
//! packages' manifests) and before loading.
//!
//! Three places, in increasing precedence: a file (`escape.toml`, `.escape.toml` or
//! `.config/escape.toml`, the closest one searched upward from the workspace root), the
//! workspace manifest's `[workspace.metadata.escape]`, and each package's
//! `[package.metadata.escape]`. The command line overrides them all. Each holds:
//!
//! ```toml
//! stack-threshold = "128KiB"   # or a number of bytes
//! tests = true                 # analyze #[cfg(test)] code
//! exclude = ["src/generated/**"]
//!
//! [rules]
//! dyn_box = "allow"            # allow | warn | deny
//! warnings = "deny"
//!
//! [contracts]                  # functions that must not allocate or block, by item path
//! no_alloc = ["crate::audio::render", "dsp::*"]
//! no_block = []
//! assume_no_alloc = ["smallvec::SmallVec::push"]   # code not analyzed, taken on trust
//! assume_no_block = []
//! ```
//!
//! Mistakes are errors with the TOML's own spans: an unknown key, rule or level, or a value of
//! the wrong type, with the closest valid name when there is one. The rules are a layer above
//! configuration: their names come in as the `known_codes` of [`read`] and [`parse_document`].

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::PackageId;
use crate::levels::{LintLevel, LintTarget};

/// The names a configuration file may have, in the order they are looked for in a directory.
pub const FILE_NAMES: &[&str] = &["escape.toml", ".escape.toml", ".config/escape.toml"];

/// The keys of a configuration table.
const KEYS: &[&str] = &[
    "rules",
    "contracts",
    "stack-threshold",
    "tests",
    "exclude",
    "max-file-size",
];

/// One place's settings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layer {
    /// Rule levels, in the order written.
    pub rules: Vec<(LintLevel, LintTarget)>,
    pub stack_threshold: Option<u64>,
    /// Files larger than this are not read. It applies to the whole run, so only the
    /// configuration file and `[workspace.metadata.escape]` may set it.
    pub max_file_size: Option<u64>,
    pub tests: Option<bool>,
    /// Globs over paths relative to `base`.
    pub exclude: Vec<String>,
    /// The directory `exclude` is relative to.
    pub base: PathBuf,
    /// `[contracts]`: item-path globs.
    pub contracts: ContractLists,
}

/// `[contracts]`: globs over item paths (`crate::audio::render`, `dsp::*`,
/// `smallvec::SmallVec::push`), as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContractLists {
    /// Functions that must not allocate.
    pub no_alloc: Vec<String>,
    /// Functions that must not block (nor allocate).
    pub no_block: Vec<String>,
    /// Functions whose code is not analyzed, taken not to allocate.
    pub assume_no_alloc: Vec<String>,
    /// Functions whose code is not analyzed, taken not to block (nor allocate).
    pub assume_no_block: Vec<String>,
}

/// The keys of `[contracts]`.
const CONTRACT_KEYS: &[&str] = &["no_alloc", "no_block", "assume_no_alloc", "assume_no_block"];

/// Every place's settings.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The configuration file, and where it was found.
    pub file: Option<(PathBuf, Layer)>,
    pub workspace: Option<Layer>,
    /// `[package.metadata.escape]` by package index.
    pub packages: Vec<Option<Layer>>,
}

impl Config {
    /// The layers that apply to a package (`None`: to files outside every package), lowest
    /// precedence first.
    pub fn layers(&self, package: Option<PackageId>) -> impl Iterator<Item = &Layer> {
        let own = package.and_then(|p| self.packages.get(p.index())?.as_ref());
        self.file
            .as_ref()
            .map(|(_, l)| l)
            .into_iter()
            .chain(&self.workspace)
            .chain(own)
    }

    /// The most specific value a layer sets for a package.
    pub fn setting<T>(&self, package: PackageId, get: impl Fn(&Layer) -> Option<T>) -> Option<T> {
        self.layers(Some(package)).filter_map(get).last()
    }

    /// `max-file-size`, from the configuration file or the workspace's table, which wins.
    pub fn max_file_size(&self) -> Option<u64> {
        self.workspace
            .as_ref()
            .and_then(|l| l.max_file_size)
            .or_else(|| self.file.as_ref().and_then(|(_, l)| l.max_file_size))
    }
}

/// A mistake in a configuration, pointing into its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub text: String,
    pub span: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

/// Reads the configuration of a workspace: `root` is its directory, `manifests` its
/// packages' `Cargo.toml` files. `known_codes` are the names `[rules]` accepts besides
/// `warnings`: every rule and input diagnostic, without the `escape::` prefix.
pub fn read(
    root: &Path,
    manifests: &[PathBuf],
    known_codes: &[&str],
) -> Result<Config, ConfigError> {
    let mut config = Config::default();
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if let Some((dir, path)) = find_file(root, home.as_deref()) {
        // Paths in `.config/escape.toml` are relative to the project, not to `.config/`.
        let layer = read_file(&path, dir, known_codes)?;
        config.file = layer.map(|l| (path, l));
    }
    let root_manifest = root.join("Cargo.toml");
    if root_manifest.is_file() {
        let text = read_text(&root_manifest)?;
        config.workspace = parse_document(
            &root_manifest,
            &text,
            &["workspace", "metadata", "escape"],
            root.to_path_buf(),
            known_codes,
        )?;
    }
    for manifest in manifests {
        let text = read_text(manifest)?;
        let base = manifest.parent().unwrap_or(root).to_path_buf();
        config.packages.push(parse_document(
            manifest,
            &text,
            &["package", "metadata", "escape"],
            base,
            known_codes,
        )?);
    }
    Ok(config)
}

/// The closest configuration file, from `dir` up, with the directory it belongs to. The search
/// stops at the repository's root (a directory with `.git`), and the home directory's
/// `.config/` is the user's, never a project's.
pub fn find_file(dir: &Path, home: Option<&Path>) -> Option<(PathBuf, PathBuf)> {
    for d in dir.ancestors() {
        for name in FILE_NAMES {
            if name.starts_with(".config/") && home == Some(d) {
                continue;
            }
            let path = d.join(name);
            if path.is_file() {
                return Some((d.to_path_buf(), path));
            }
        }
        if d.join(".git").exists() {
            break;
        }
    }
    None
}

/// Reads a configuration file (`escape.toml`), whose `exclude` globs are relative to `base`.
pub fn read_file(
    path: &Path,
    base: PathBuf,
    known_codes: &[&str],
) -> Result<Option<Layer>, ConfigError> {
    let text = read_text(path)?;
    parse_document(path, &text, &[], base, known_codes)
}

fn read_text(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        text: String::new(),
        span: 0..0,
        message: format!("cannot read {}: {e}", path.display()),
        help: None,
    })
}

/// Parses a TOML document and reads the table at `at` (the whole document when empty).
/// `known_codes` are the rule and input-diagnostic names `[rules]` accepts (see [`read`]).
pub fn parse_document(
    path: &Path,
    text: &str,
    at: &[&str],
    base: PathBuf,
    known_codes: &[&str],
) -> Result<Option<Layer>, ConfigError> {
    let error = |span: Range<usize>, message: String, help: Option<String>| ConfigError {
        path: path.to_path_buf(),
        text: text.to_string(),
        span,
        message,
        help,
    };
    let document = DeTable::parse(text).map_err(|e| {
        error(
            e.span().unwrap_or(0..0),
            format!("invalid TOML: {}", e.message().trim()),
            None,
        )
    })?;
    let mut table = document.get_ref();
    let mut span = document.span();
    for key in at {
        let Some(value) = table.get(*key) else {
            return Ok(None);
        };
        match value.get_ref() {
            DeValue::Table(inner) => {
                table = inner;
                span = value.span();
            }
            // Only the last key is ours to complain about.
            _ if Some(key) == at.last() => {
                return Err(error(
                    value.span(),
                    format!("`{}` must be a table", at.join(".")),
                    None,
                ));
            }
            _ => return Ok(None),
        }
    }
    let _ = span;
    Reader {
        error: &error,
        known_codes,
        package: at.first() == Some(&"package"),
    }
    .layer(table, base)
    .map(Some)
}

struct Reader<'e> {
    error: &'e dyn Fn(Range<usize>, String, Option<String>) -> ConfigError,
    /// The names `[rules]` accepts besides `warnings`.
    known_codes: &'e [&'e str],
    /// Whether this is a package's table, where settings of the whole run have no place.
    package: bool,
}

impl Reader<'_> {
    fn fail(&self, span: Range<usize>, message: String, help: Option<String>) -> ConfigError {
        (self.error)(span, message, help)
    }

    fn layer(&self, table: &DeTable<'_>, base: PathBuf) -> Result<Layer, ConfigError> {
        let mut layer = Layer {
            base,
            ..Layer::default()
        };
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "rules" => layer.rules = self.rules(value)?,
                "stack-threshold" => layer.stack_threshold = Some(self.threshold(value)?),
                "max-file-size" if self.package => {
                    return Err(self.fail(
                        key.span(),
                        "`max-file-size` applies to every file of a run, not to one package"
                            .to_string(),
                        Some(
                            "set it in escape.toml or in `[workspace.metadata.escape]`".to_string(),
                        ),
                    ));
                }
                "max-file-size" => layer.max_file_size = Some(self.file_size(value)?),
                "tests" => match value.get_ref() {
                    DeValue::Boolean(b) => layer.tests = Some(*b),
                    other => return Err(self.wrong_type(value, "a boolean", other)),
                },
                "exclude" => layer.exclude = self.globs(value)?,
                "contracts" => layer.contracts = self.contracts(value)?,
                name => {
                    let help = crate::suggest::did_you_mean(name, KEYS.iter().copied())
                        .or_else(|| Some(format!("the keys are {}", quoted(KEYS))));
                    return Err(self.fail(key.span(), format!("unknown key `{name}`"), help));
                }
            }
        }
        Ok(layer)
    }

    fn rules(
        &self,
        value: &Spanned<DeValue<'_>>,
    ) -> Result<Vec<(LintLevel, LintTarget)>, ConfigError> {
        let DeValue::Table(table) = value.get_ref() else {
            return Err(self.wrong_type(value, "a table of rule = level", value.get_ref()));
        };
        let mut out = Vec::new();
        for (key, level) in table.iter() {
            let name = key.get_ref().as_ref();
            let name = name.strip_prefix("escape::").unwrap_or(name);
            let target = if name == "warnings" {
                LintTarget::Warnings
            } else if self.known_codes.contains(&name) {
                LintTarget::Code(name.to_string())
            } else {
                let known = self.known_codes.iter().copied().chain(["warnings"]);
                let help = crate::suggest::did_you_mean(name, known)
                    .or_else(|| Some("`cargo escape rules` lists the rules".to_string()));
                return Err(self.fail(key.span(), format!("unknown rule `{name}`"), help));
            };
            let level_name = match level.get_ref() {
                DeValue::String(s) => s.as_ref(),
                other => return Err(self.wrong_type(level, "a level", other)),
            };
            let level = match level_name {
                "allow" => LintLevel::Allow,
                "warn" => LintLevel::Warn,
                "deny" => LintLevel::Deny,
                other => {
                    let help = crate::suggest::did_you_mean(other, ["allow", "warn", "deny"])
                        .or_else(|| Some("a level is `allow`, `warn` or `deny`".to_string()));
                    return Err(self.fail(level.span(), format!("unknown level `{other}`"), help));
                }
            };
            out.push((level, target));
        }
        Ok(out)
    }

    fn file_size(&self, value: &Spanned<DeValue<'_>>) -> Result<u64, ConfigError> {
        let checked = match value.get_ref() {
            DeValue::Integer(i) => {
                let digits = i.as_str().replace('_', "");
                match i128::from_str_radix(&digits, i.radix()) {
                    Ok(n) if n <= 0 => Err("`max-file-size` must be at least 1 byte".to_string()),
                    Ok(n) => u64::try_from(n).map_err(|_| format!("`{i}` is more than any file")),
                    Err(_) => Err(format!("`{i}` is more than any file")),
                }
            }
            DeValue::String(s) => parse_max_file_size(s),
            other => {
                return Err(self.wrong_type(
                    value,
                    "a number of bytes or a size like \"64MiB\"",
                    other,
                ));
            }
        };
        checked.map_err(|e| self.fail(value.span(), e, None))
    }

    fn threshold(&self, value: &Spanned<DeValue<'_>>) -> Result<u64, ConfigError> {
        let checked = match value.get_ref() {
            DeValue::Integer(i) => {
                let digits = i.as_str().replace('_', "");
                match i128::from_str_radix(&digits, i.radix()) {
                    Ok(n) if n < 0 => Err("`stack-threshold` cannot be negative".to_string()),
                    // Beyond even i128: certainly beyond any target.
                    Ok(n) => check_stack_threshold(Some(n as u128), &i.to_string()),
                    Err(_) => check_stack_threshold(None, &i.to_string()),
                }
            }
            DeValue::String(s) => parse_stack_threshold(s),
            other => {
                return Err(self.wrong_type(
                    value,
                    "a number of bytes or a size like \"64KiB\"",
                    other,
                ));
            }
        };
        checked.map_err(|e| self.fail(value.span(), e, None))
    }

    /// `[contracts]`: arrays of item-path globs.
    fn contracts(&self, value: &Spanned<DeValue<'_>>) -> Result<ContractLists, ConfigError> {
        let DeValue::Table(table) = value.get_ref() else {
            return Err(self.wrong_type(value, "a table", value.get_ref()));
        };
        let mut out = ContractLists::default();
        for (key, value) in table.iter() {
            let list = match key.get_ref().as_ref() {
                "no_alloc" => &mut out.no_alloc,
                "no_block" => &mut out.no_block,
                "assume_no_alloc" => &mut out.assume_no_alloc,
                "assume_no_block" => &mut out.assume_no_block,
                name => {
                    let help = crate::suggest::did_you_mean(name, CONTRACT_KEYS.iter().copied())
                        .or_else(|| Some(format!("the keys are {}", quoted(CONTRACT_KEYS))));
                    return Err(self.fail(
                        key.span(),
                        format!("unknown key `{name}` in `[contracts]`"),
                        help,
                    ));
                }
            };
            *list = self.item_globs(value)?;
        }
        Ok(out)
    }

    /// An array of item-path globs (`dsp::*`), each of which must compile.
    fn item_globs(&self, value: &Spanned<DeValue<'_>>) -> Result<Vec<String>, ConfigError> {
        let DeValue::Array(items) = value.get_ref() else {
            return Err(self.wrong_type(value, "an array of item paths", value.get_ref()));
        };
        items
            .iter()
            .map(|item| match item.get_ref() {
                DeValue::String(s) => match crate::paths::item_glob(s) {
                    Ok(_) => Ok(s.to_string()),
                    Err(e) => Err(self.fail(item.span(), e, None)),
                },
                other => Err(self.wrong_type(item, "a string", other)),
            })
            .collect()
    }

    /// An array of path globs, each of which must compile.
    fn globs(&self, value: &Spanned<DeValue<'_>>) -> Result<Vec<String>, ConfigError> {
        let DeValue::Array(items) = value.get_ref() else {
            return Err(self.wrong_type(value, "an array of strings", value.get_ref()));
        };
        items
            .iter()
            .map(|item| match item.get_ref() {
                DeValue::String(s) => match crate::paths::path_glob(s) {
                    Ok(_) => Ok(s.to_string()),
                    Err(e) => Err(self.fail(
                        item.span(),
                        format!("invalid glob `{s}`: {}", e.kind()),
                        None,
                    )),
                },
                other => Err(self.wrong_type(item, "a string", other)),
            })
            .collect()
    }

    fn wrong_type(
        &self,
        at: &Spanned<DeValue<'_>>,
        wanted: &str,
        found: &DeValue<'_>,
    ) -> ConfigError {
        self.fail(
            at.span(),
            format!("expected {wanted}, found {}", found.type_str()),
            None,
        )
    }
}

/// The largest size a value can have on a target whose pointers are `pointer_bytes` wide:
/// `isize::MAX`, the bound rustc puts on every type ("too big for the current architecture").
pub fn largest_value(pointer_bytes: u64) -> u64 {
    let bits = (pointer_bytes.clamp(1, 8) * 8) as u32;
    (1u64 << (bits - 1)) - 1
}

/// A stack threshold (`--stack-threshold`, `stack-threshold`): bytes, with an optional binary
/// unit (`65536`, `64KiB`, `1MiB`, `64k`). It is at least 1 byte, and no more than a value can
/// be on a 64-bit target (narrower targets are checked once they are known, by
/// [`check_stack_threshold_for`]).
pub fn parse_stack_threshold(text: &str) -> Result<u64, String> {
    check_stack_threshold(parse_size(text)?, text.trim())
}

/// A file-size limit (`--max-file-size`, `max-file-size`): bytes, with an optional binary unit,
/// at least 1 byte.
pub fn parse_max_file_size(text: &str) -> Result<u64, String> {
    match parse_size(text)? {
        Some(0) => Err("`max-file-size` must be at least 1 byte".to_string()),
        Some(n) => u64::try_from(n).map_err(|_| format!("`{}` is more than any file", text.trim())),
        None => Err(format!("`{}` is more than any file", text.trim())),
    }
}

/// Bytes with an optional binary unit: `65536`, `64KiB`, `1MiB`, `64k`, `2GiB`. `None` when
/// the value is more than a `u128` holds.
fn parse_size(text: &str) -> Result<Option<u128>, String> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    if number.is_empty() {
        return Err(format!("`{text}` is not a number of bytes"));
    }
    let scale: u128 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        _ => return Err(format!("unknown unit in `{text}`: use B, KiB, MiB or GiB")),
    };
    // Digits only: parsing fails on overflow alone.
    Ok(number
        .parse::<u128>()
        .ok()
        .and_then(|n| n.checked_mul(scale)))
}

/// `bytes` (`None`: more than a `u128` holds) as a stack threshold written `text`: not 0, and
/// within what a 64-bit target can address.
fn check_stack_threshold(bytes: Option<u128>, text: &str) -> Result<u64, String> {
    match bytes {
        Some(0) => Err(format!(
            "a stack threshold of `{text}` would report every value on the stack: it must be \
             at least 1 byte"
        )),
        Some(n) if n <= u128::from(largest_value(8)) => Ok(n as u64),
        _ => Err(beyond(text, 8)),
    }
}

/// Checks a stack threshold, written `text`, against a target whose pointers are
/// `pointer_bytes` wide.
pub fn check_stack_threshold_for(bytes: u64, text: &str, pointer_bytes: u64) -> Result<(), String> {
    if bytes > largest_value(pointer_bytes) {
        return Err(beyond(text, pointer_bytes));
    }
    Ok(())
}

fn beyond(text: &str, pointer_bytes: u64) -> String {
    format!(
        "a stack threshold of `{text}` is beyond what a {}-bit target can address: no value is \
         larger than {} bytes (`isize::MAX`)",
        pointer_bytes.clamp(1, 8) * 8,
        largest_value(pointer_bytes)
    )
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODES: &[&str] = &["returned_box", "dyn_box", "parse_error"];

    fn parse(text: &str) -> Result<Option<Layer>, ConfigError> {
        parse_document(
            Path::new("escape.toml"),
            text,
            &[],
            PathBuf::from("/ws"),
            CODES,
        )
    }

    #[test]
    fn a_full_table_reads() {
        let layer = parse(
            "stack-threshold = \"128KiB\"\ntests = true\nexclude = [\"gen/**\"]\n\
             [rules]\ndyn_box = \"allow\"\nwarnings = \"deny\"\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!(layer.stack_threshold, Some(128 * 1024));
        assert_eq!(layer.tests, Some(true));
        assert_eq!(layer.exclude, ["gen/**"]);
        assert_eq!(
            layer.rules,
            [
                (LintLevel::Allow, LintTarget::Code("dyn_box".into())),
                (LintLevel::Deny, LintTarget::Warnings)
            ]
        );
        assert_eq!(
            parse("stack-threshold = 65_536")
                .unwrap()
                .unwrap()
                .stack_threshold,
            Some(65536)
        );
    }

    #[test]
    fn contracts_are_item_path_globs() {
        let layer = parse(
            "[contracts]\nno_alloc = [\"crate::audio::render\", \"dsp::*\"]\n\
             assume_no_alloc = [\"smallvec::SmallVec::push\"]\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!(layer.contracts.no_alloc, ["crate::audio::render", "dsp::*"]);
        assert_eq!(
            layer.contracts.assume_no_alloc,
            ["smallvec::SmallVec::push"]
        );
        let text = "[contracts]\nno_aloc = []\n";
        let e = parse(text).unwrap_err();
        assert_eq!(&text[e.span.clone()], "no_aloc");
        assert_eq!(e.help.as_deref(), Some("did you mean `no_alloc`?"));
        let text = "[contracts]\nno_block = [\"a::[b\"]\n";
        let e = parse(text).unwrap_err();
        assert_eq!(&text[e.span.clone()], "\"a::[b\"");
        let text = "[contracts]\nno_block = [\"a/b\"]\n";
        assert!(parse(text).unwrap_err().message.contains("`::`"));
    }

    #[test]
    fn mistakes_point_at_the_key_with_a_suggestion() {
        let text = "stak-threshold = 4\n";
        let e = parse(text).unwrap_err();
        assert_eq!(&text[e.span.clone()], "stak-threshold");
        assert_eq!(e.message, "unknown key `stak-threshold`");
        assert_eq!(e.help.as_deref(), Some("did you mean `stack-threshold`?"));

        let text = "[rules]\ndyn_boxx = \"deny\"\n";
        let e = parse(text).unwrap_err();
        assert_eq!(&text[e.span.clone()], "dyn_boxx");
        assert_eq!(e.help.as_deref(), Some("did you mean `dyn_box`?"));

        let text = "[rules]\ndyn_box = \"dney\"\n";
        let e = parse(text).unwrap_err();
        assert_eq!(&text[e.span.clone()], "\"dney\"");
        assert_eq!(e.help.as_deref(), Some("did you mean `deny`?"));

        let e = parse("tests = \"yes\"\n").unwrap_err();
        assert_eq!(e.message, "expected a boolean, found string");

        let e = parse("tests = [\n").unwrap_err();
        assert!(e.message.starts_with("invalid TOML"), "{}", e.message);
    }

    #[test]
    fn stack_thresholds_are_within_what_a_target_can_address() {
        let threshold = |text: &str| parse(text).map(|l| l.unwrap().stack_threshold);
        assert_eq!(threshold("stack-threshold = 0x10"), Ok(Some(16)));
        assert_eq!(
            threshold("stack-threshold = \"8EiB\"").unwrap_err().message,
            "unknown unit in `8EiB`: use B, KiB, MiB or GiB"
        );
        for huge in [
            "99999999999999999999",
            "9_223_372_036_854_775_808",
            "\"8589934592GiB\"",
            "999999999999999999999999999999999999999999",
        ] {
            let text = format!("stack-threshold = {huge}\n");
            let e = parse(&text).unwrap_err();
            assert_eq!(&text[e.span.clone()], huge);
            assert!(
                e.message
                    .contains("is beyond what a 64-bit target can address"),
                "{}",
                e.message
            );
        }
        assert_eq!(
            threshold("stack-threshold = 9223372036854775807"),
            Ok(Some(i64::MAX as u64))
        );
        let zero = parse("stack-threshold = 0").unwrap_err();
        assert!(
            zero.message.contains("it must be at least 1 byte"),
            "{}",
            zero.message
        );
        let negative = parse("stack-threshold = -1").unwrap_err();
        assert_eq!(negative.message, "`stack-threshold` cannot be negative");
        assert_eq!(largest_value(4), i32::MAX as u64);
        assert_eq!(largest_value(2), i16::MAX as u64);
        assert!(check_stack_threshold_for(1 << 31, "2GiB", 4).is_err());
        assert!(check_stack_threshold_for((1 << 31) - 1, "2GiB", 4).is_ok());
    }

    #[test]
    fn the_file_is_the_closest_within_the_repository() {
        let top = std::env::temp_dir().join(format!("escape-config-{}", std::process::id()));
        let repo = top.join("home/repo");
        let ws = repo.join("crates/ws");
        std::fs::create_dir_all(ws.join(".config")).unwrap();
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(top.join("home/.config")).unwrap();
        std::fs::write(top.join("home/.config/escape.toml"), "").unwrap();
        std::fs::write(top.join("escape.toml"), "").unwrap();
        let home = top.join("home");
        // Nothing in the repository: the search stops at `.git`, below `top/escape.toml`.
        assert_eq!(find_file(&ws, Some(&home)), None);
        std::fs::write(ws.join(".config/escape.toml"), "").unwrap();
        let (dir, path) = find_file(&ws, Some(&home)).unwrap();
        assert_eq!(dir, ws);
        assert_eq!(path, ws.join(".config/escape.toml"));
        // Outside a repository, the home directory's `.config` is still not a project's.
        std::fs::remove_dir_all(repo.join(".git")).unwrap();
        std::fs::remove_file(ws.join(".config/escape.toml")).unwrap();
        let (dir, _) = find_file(&ws, Some(&home)).unwrap();
        assert_eq!(dir, top);
        let _ = std::fs::remove_dir_all(&top);
    }

    #[test]
    fn manifests_are_read_at_their_table() {
        let manifest = "[package]\nname = \"x\"\n[package.metadata.escape]\ntests = false\n";
        let layer = parse_document(
            Path::new("Cargo.toml"),
            manifest,
            &["package", "metadata", "escape"],
            PathBuf::new(),
            CODES,
        )
        .unwrap();
        assert_eq!(layer.unwrap().tests, Some(false));
        let none = parse_document(
            Path::new("Cargo.toml"),
            "[package]\nname = \"x\"\n",
            &["package", "metadata", "escape"],
            PathBuf::new(),
            CODES,
        )
        .unwrap();
        assert_eq!(none, None);
    }
}
