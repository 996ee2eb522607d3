//! Reading one source file and the checks made before syn sees it.
//!
//! Each failure is a value, so the loader turns it into a diagnostic and goes on with the
//! other files: an unreadable file, a symlink loop, bytes that are not UTF-8, or nesting deep
//! enough to overflow syn's recursive-descent parser.

use std::io;
use std::path::Path;

/// Deepest bracket nesting accepted. Real code nests at most about 45 deep; syn recurses once
/// per level and aborts the process (it cannot be caught) around 800 levels on a 2 MiB stack.
/// Parse workers run on 64 MiB stacks, so this leaves a wide margin on both sides.
pub const MAX_NESTING: usize = 256;

/// syn also recurses without brackets: on generic arguments (`Vec<Vec<..>>`) and on runs of
/// prefix operators (`!!!!x`, `&&&&x`, `|| || x`). On a 64 MiB stack it overflows somewhere past
/// 15 000 levels of either; nothing real comes within a factor of ten of this bound.
pub const MAX_UNBRACKETED: usize = 2048;

/// What nests too deeply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    /// Brackets, deeper than [`MAX_NESTING`].
    Brackets,
    /// Generic arguments, deeper than [`MAX_UNBRACKETED`].
    Generics,
    /// A run of prefix operators longer than [`MAX_UNBRACKETED`].
    PrefixOperators,
}

impl Nesting {
    pub fn describe(self) -> String {
        match self {
            Nesting::Brackets => format!("brackets nested more than {MAX_NESTING} deep"),
            Nesting::Generics => {
                format!("generic arguments nested more than {MAX_UNBRACKETED} deep")
            }
            Nesting::PrefixOperators => {
                format!("more than {MAX_UNBRACKETED} prefix operators in a row")
            }
        }
    }
}

/// Why a file could not be read or parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceError {
    /// The file (or a directory on its path) does not exist.
    NotFound,
    /// A symbolic link that points, directly or through other links, at itself.
    SymlinkLoop,
    /// A symbolic link whose target does not exist.
    DanglingSymlink { target: String },
    /// A directory where a file was expected.
    IsDirectory,
    /// Any other I/O error (permissions, ...), with the OS's words.
    Unreadable { reason: String },
    /// Not UTF-8. `offset` is the first bad byte, `byte` its value.
    NotUtf8 { offset: usize, byte: u8 },
    /// Nested deeper than syn can parse safely, first at `offset`.
    TooDeep { offset: usize, what: Nesting },
}

/// Reads `path` as UTF-8 source.
pub fn read(path: &Path) -> Result<String, SourceError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => return Err(classify(path, &err)),
    };
    String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        SourceError::NotUtf8 {
            offset,
            byte: err.as_bytes()[offset],
        }
    })
}

/// Turns an I/O error into the most specific reason we can give.
fn classify(path: &Path, err: &io::Error) -> SourceError {
    let is_symlink = path
        .symlink_metadata()
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false);
    if is_symlink && follows_into_loop(path) {
        return SourceError::SymlinkLoop;
    }
    match err.kind() {
        io::ErrorKind::NotFound if is_symlink => SourceError::DanglingSymlink {
            target: std::fs::read_link(path)
                .map(|t| t.display().to_string())
                .unwrap_or_default(),
        },
        io::ErrorKind::NotFound => SourceError::NotFound,
        io::ErrorKind::IsADirectory => SourceError::IsDirectory,
        _ => SourceError::Unreadable {
            reason: strip_os_error_code(&err.to_string()),
        },
    }
}

/// Follows a chain of symbolic links by hand, and says whether it comes back to a link
/// already seen (or is longer than any system would follow).
fn follows_into_loop(path: &Path) -> bool {
    let mut seen = Vec::new();
    let mut current = path.to_path_buf();
    for _ in 0..64 {
        let Ok(target) = std::fs::read_link(&current) else {
            return false;
        };
        let next = match current.parent() {
            Some(dir) => dir.join(&target),
            None => target,
        };
        if seen.contains(&next) {
            return true;
        }
        seen.push(current);
        current = next;
    }
    true
}

/// `Permission denied (os error 13)` reads better without the number.
fn strip_os_error_code(text: &str) -> String {
    match text.find(" (os error ") {
        Some(at) => text[..at].to_string(),
        None => text.to_string(),
    }
}

/// Makes `text` ready for syn, in one pass and without moving a byte:
/// - fails if brackets nest deeper than `max_nesting` (see [`MAX_NESTING`]);
/// - blanks a byte-order mark and a `#!` line, which syn's `parse_file` would strip (and so
///   shift every offset);
/// - blanks doc comments. syn turns each into a `#[doc = "..."]` attribute, tokens and all,
///   and nothing here reads them; in well-documented crates this is a good part of the parse.
///
/// Blanking writes spaces over the bytes (newlines stay), so offsets and line numbers in the
/// prepared text are those of the file.
pub fn prepare(text: String, max_nesting: usize) -> Result<Prepared, SourceError> {
    let mut bytes = text.into_bytes();
    let mut blank: Vec<(usize, usize)> = Vec::new();
    let preamble = preamble_len(&bytes);
    if preamble > 0 {
        blank.push((0, preamble));
    }
    let delimiter = scan(&bytes, preamble, max_nesting, &mut blank)?;
    for (lo, hi) in blank {
        for b in &mut bytes[lo..hi] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    // Whole characters were replaced by ASCII, so this cannot fail; if it somehow did, the
    // lossy text still parses with every offset intact.
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok(Prepared { text, delimiter })
}

/// A file ready for syn.
#[derive(Debug)]
pub struct Prepared {
    pub text: String,
    /// The first unbalanced bracket the scan saw. syn decides whether the file lexes; when it
    /// does not, this says where and why more precisely than its lexer error.
    pub delimiter: Option<DelimiterError>,
}

/// Brackets that do not pair up, by byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DelimiterError {
    /// An opening bracket never closed.
    Unclosed { open: usize },
    /// A closing bracket of the wrong kind for the innermost open one.
    Mismatched { open: usize, close: usize },
    /// A closing bracket with nothing open.
    Unopened { close: usize },
}

/// The length of a byte-order mark plus a `#!` line (not `#![`, an inner attribute).
fn preamble_len(bytes: &[u8]) -> usize {
    let mut end = 0;
    if bytes.starts_with("\u{feff}".as_bytes()) {
        end = 3;
    }
    let rest = &bytes[end..];
    if rest.starts_with(b"#!") {
        let after = std::str::from_utf8(&rest[2..]).unwrap_or("");
        if !skip_trivia(after).starts_with('[') {
            end += rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        }
    }
    end
}

/// Skips whitespace and comments at the start of `text`.
fn skip_trivia(mut text: &str) -> &str {
    loop {
        let trimmed = text.trim_start();
        if let Some(rest) = trimmed.strip_prefix("//") {
            text = rest.find('\n').map_or("", |at| &rest[at..]);
        } else if trimmed.starts_with("/*") {
            let bytes = trimmed.as_bytes();
            let end = skip_block_comment(bytes, 0);
            text = &trimmed[end.min(trimmed.len())..];
        } else {
            return trimmed;
        }
    }
}

/// Returns the offset just past the (possibly nested) block comment starting at `at`.
fn skip_block_comment(bytes: &[u8], at: usize) -> usize {
    let mut depth = 0usize;
    let mut i = at;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Measures bracket nesting with a small lexer (comments, strings, raw strings and character
/// literals are skipped), without recursion, and fails at the first bracket deeper than
/// `max`. Doc comments found on the way are added to `docs`; the first bracket that does not
/// pair up is returned.
fn scan(
    bytes: &[u8],
    from: usize,
    max: usize,
    docs: &mut Vec<(usize, usize)>,
) -> Result<Option<DelimiterError>, SourceError> {
    let mut open: Vec<(u8, usize)> = Vec::new();
    let mut error = None;
    // `<` minus `>` since the last `;`, `{` or `}`, and the length of the current run of
    // prefix operators.
    let mut angles = 0usize;
    let mut prefix_run = 0usize;
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if (b.is_ascii_alphabetic() || b == b'_') && !starts_raw_string(bytes, i) {
            // A word: prefix keywords continue a run of prefix operators, others end it.
            let end = bytes[i..]
                .iter()
                .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                .map_or(bytes.len(), |p| i + p);
            if matches!(
                &bytes[i..end],
                b"move" | b"return" | b"break" | b"yield" | b"async" | b"static"
            ) {
                prefix_run += 1;
                if prefix_run > MAX_UNBRACKETED {
                    return Err(SourceError::TooDeep {
                        offset: i,
                        what: Nesting::PrefixOperators,
                    });
                }
            } else {
                prefix_run = 0;
            }
            i = end;
            continue;
        }
        if matches!(b, b'!' | b'-' | b'*' | b'&' | b'|') {
            prefix_run += 1;
        } else if !b.is_ascii_whitespace() {
            prefix_run = 0;
        }
        match b {
            b'<' if bytes.get(i + 1) != Some(&b'=') => angles += 1,
            b'>' if i > 0 && !matches!(bytes[i - 1], b'-' | b'=') => {
                angles = angles.saturating_sub(1)
            }
            b';' | b'{' | b'}' => angles = 0,
            _ => {}
        }
        if angles > MAX_UNBRACKETED {
            return Err(SourceError::TooDeep {
                offset: i,
                what: Nesting::Generics,
            });
        }
        if prefix_run > MAX_UNBRACKETED {
            return Err(SourceError::TooDeep {
                offset: i,
                what: Nesting::PrefixOperators,
            });
        }
        match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = memchr_newline(bytes, i);
                // `///x` and `//!x` are doc comments; `////x` is not.
                let third = bytes.get(i + 2).copied();
                if third == Some(b'!') || (third == Some(b'/') && bytes.get(i + 3) != Some(&b'/')) {
                    docs.push((i, end));
                }
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = skip_block_comment(bytes, i);
                // `/**x*/` and `/*!x*/` are doc comments; `/**/` and `/***x*/` are not.
                let third = bytes.get(i + 2).copied();
                let fourth = bytes.get(i + 3).copied();
                if third == Some(b'!')
                    || (third == Some(b'*') && fourth != Some(b'*') && fourth != Some(b'/'))
                {
                    docs.push((i, end));
                }
                i = end;
            }
            b'"' => i = skip_string(bytes, i + 1),
            b'r' | b'b' | b'c' if starts_raw_string(bytes, i) => i = skip_raw_string(bytes, i),
            b'\'' => i = skip_char_or_lifetime(bytes, i),
            b @ (b'(' | b'[' | b'{') => {
                open.push((b, i));
                if open.len() > max {
                    return Err(SourceError::TooDeep {
                        offset: i,
                        what: Nesting::Brackets,
                    });
                }
                i += 1;
            }
            b @ (b')' | b']' | b'}') => {
                let wanted = match b {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                match open.pop() {
                    Some((o, _)) if o == wanted => {}
                    Some((_, at)) => {
                        error.get_or_insert(DelimiterError::Mismatched { open: at, close: i });
                    }
                    None => {
                        error.get_or_insert(DelimiterError::Unopened { close: i });
                    }
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    if let Some(&(_, at)) = open.last() {
        error.get_or_insert(DelimiterError::Unclosed { open: at });
    }
    Ok(error)
}

/// Whether brackets nest deeper than `max` (see [`scan`]).
pub fn check_nesting(text: &str, max: usize) -> Result<(), SourceError> {
    scan(text.as_bytes(), 0, max, &mut Vec::new()).map(|_| ())
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

/// `from` is just past the opening quote; returns the offset just past the closing one.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// `r"`, `r#"`, `br"`, `cr#"`, and the like, but not identifiers such as `radius`.
fn starts_raw_string(bytes: &[u8], i: usize) -> bool {
    if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_') {
        return false;
    }
    let mut j = i;
    if matches!(bytes[j], b'b' | b'c') {
        j += 1;
        if bytes.get(j) == Some(&b'"') {
            return true; // b"..." and c"..." are ordinary strings with a prefix
        }
    }
    if bytes.get(j) != Some(&b'r') {
        return false;
    }
    j += 1;
    while bytes.get(j) == Some(&b'#') {
        j += 1;
    }
    bytes.get(j) == Some(&b'"')
}

fn skip_raw_string(bytes: &[u8], mut i: usize) -> usize {
    while bytes[i] != b'r' && bytes[i] != b'"' {
        i += 1; // the `b` or `c` prefix
    }
    if bytes[i] == b'"' {
        return skip_string(bytes, i + 1);
    }
    i += 1;
    let mut hashes = 0;
    while bytes.get(i) == Some(&b'#') {
        hashes += 1;
        i += 1;
    }
    i += 1; // the opening quote
    while i < bytes.len() {
        if bytes[i] == b'"'
            && bytes[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&b| b == b'#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        i += 1;
    }
    bytes.len()
}

/// `'a'`, `'\n'` and `'\u{1F600}'` are characters; `'a` and `'static` are lifetimes.
fn skip_char_or_lifetime(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i + 1) {
        Some(b'\\') => {
            let mut j = i + 2;
            while j < bytes.len() && bytes[j] != b'\'' && bytes[j] != b'\n' {
                j += 1;
            }
            j + 1
        }
        Some(&first) => {
            let width = utf8_width(first);
            if bytes.get(i + 1 + width) == Some(&b'\'') {
                i + 2 + width
            } else {
                i + 1
            }
        }
        None => i + 1,
    }
}

fn utf8_width(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_counts_brackets_outside_literals() {
        let ok = "fn f() { let s = \"((((((\"; let c = '('; let r = r#\"[[[\"#; /* {{{ */ }";
        assert_eq!(check_nesting(ok, 2), Ok(()));
        assert_eq!(
            check_nesting("fn f() { g(h()) }", 2),
            Err(SourceError::TooDeep {
                offset: 12,
                what: Nesting::Brackets
            })
        );
        assert_eq!(check_nesting("fn f<'a>(x: &'a u8) {}", 1), Ok(()));
        let generics = format!("type T = {}u8{};", "Vec<".repeat(3000), ">".repeat(3000));
        assert!(matches!(
            check_nesting(&generics, MAX_NESTING),
            Err(SourceError::TooDeep { .. })
        ));
        let nots = format!("fn f(a: bool) -> bool {{ {}a }}", "! ".repeat(3000));
        assert!(matches!(
            check_nesting(&nots, MAX_NESTING),
            Err(SourceError::TooDeep { .. })
        ));
        let comparisons = format!(
            "fn f(a: u8) -> bool {{ {} }}",
            vec!["a < 1"; 100].join(" && ")
        );
        assert_eq!(check_nesting(&comparisons, MAX_NESTING), Ok(()));
        let arrows = "fn f() -> Option<Vec<u8>> { match x { A => 1, _ => 2 } }";
        assert_eq!(check_nesting(arrows, 2), Ok(()));
        let closures = format!("fn f() {{ let _ = {}1; }}", "move || ".repeat(3000));
        assert!(matches!(
            check_nesting(&closures, MAX_NESTING),
            Err(SourceError::TooDeep { .. })
        ));
        let returns = format!("fn f() {{ {}; }}", "return ".repeat(3000));
        assert!(matches!(
            check_nesting(&returns, MAX_NESTING),
            Err(SourceError::TooDeep { .. })
        ));
        let deep = format!("fn f() {{ {}1{} }}", "(".repeat(300), ")".repeat(300));
        assert!(matches!(
            check_nesting(&deep, MAX_NESTING),
            Err(SourceError::TooDeep { .. })
        ));
    }

    #[test]
    fn nested_block_comments_and_escapes() {
        let text = "/* a /* b */ ( */ fn f() { let x = '\\''; let y = \"\\\"(\"; }";
        assert_eq!(check_nesting(text, 1), Ok(()));
        assert_eq!(check_nesting("let b = br##\"(\"#(\"##; (", 1), Ok(()));
    }

    #[test]
    fn preamble_is_blanked_in_place() {
        let prepare = |t: &str| prepare(t.to_string(), MAX_NESTING).unwrap().text;
        assert_eq!(prepare("fn main() {}"), "fn main() {}");
        let script = "#!/usr/bin/env run-cargo-script\nfn main() {}";
        let blanked = prepare(script);
        assert_eq!(blanked.len(), script.len());
        assert!(blanked.trim_start().starts_with("fn main() {}"));
        assert_eq!(
            prepare("#![allow(dead_code)]\nfn main() {}"),
            "#![allow(dead_code)]\nfn main() {}"
        );
        assert_eq!(
            prepare("#! // c\n[allow(x)] fn f() {}"),
            "#! // c\n[allow(x)] fn f() {}"
        );
        assert_eq!(prepare("\u{feff}fn main() {}"), "   fn main() {}");
    }

    #[test]
    fn doc_comments_are_blanked_and_others_kept() {
        let text =
            "/// outer é\n//! inner\n//// plain\n/** block\n doc */ /**/ /*** plain */ fn f() {}";
        let prepared = prepare(text.to_string(), MAX_NESTING).unwrap().text;
        assert_eq!(prepared.len(), text.len());
        assert_eq!(prepared.lines().count(), text.lines().count());
        assert!(
            !prepared.contains("outer")
                && !prepared.contains("inner")
                && !prepared.contains("block")
        );
        assert!(
            prepared.contains("//// plain")
                && prepared.contains("/**/")
                && prepared.contains("/*** plain */")
        );
        assert!(prepared.ends_with("fn f() {}"));
        let in_string = "fn f() { let s = \"/// not a comment\"; }";
        assert_eq!(
            prepare(in_string.to_string(), MAX_NESTING).unwrap().text,
            in_string
        );
    }

    #[test]
    fn unbalanced_brackets_are_located() {
        let delimiter = |t: &str| prepare(t.to_string(), MAX_NESTING).unwrap().delimiter;
        assert_eq!(delimiter("fn f() { g('}'); }"), None);
        assert_eq!(
            delimiter("fn f( {}"),
            Some(DelimiterError::Unclosed { open: 4 })
        );
        assert_eq!(
            delimiter("fn f() { x) }"),
            Some(DelimiterError::Mismatched { open: 7, close: 10 })
        );
        assert_eq!(
            delimiter("fn f() {} }"),
            Some(DelimiterError::Unopened { close: 10 })
        );
    }
}
