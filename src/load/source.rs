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
    /// Not UTF-8. `offset` is the first bad byte; the lossy text is kept for rendering.
    NotUtf8 { offset: usize, lossy: String },
    /// Brackets nested deeper than [`MAX_NESTING`], first exceeded at `offset`.
    TooDeep { offset: usize },
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
            lossy: String::from_utf8_lossy(err.as_bytes()).into_owned(),
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

/// Byte ranges that syn's `parse_file` skips before parsing: a byte-order mark and a `#!`
/// line. They are blanked (same length, so every offset is unchanged) instead of stripped.
pub fn blank_preamble(text: &str) -> Option<String> {
    let mut end = 0;
    if text.starts_with('\u{feff}') {
        end = '\u{feff}'.len_utf8();
    }
    let rest = &text[end..];
    if rest.starts_with("#!") && !skip_trivia(&rest[2..]).starts_with('[') {
        end += rest.find('\n').unwrap_or(rest.len());
    }
    if end == 0 {
        return None;
    }
    // Spaces keep offsets and line numbers; the BOM (3 bytes) becomes 3 spaces.
    let mut blanked = String::with_capacity(text.len());
    blanked.extend(std::iter::repeat_n(' ', end));
    blanked.push_str(&text[end..]);
    Some(blanked)
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
/// literals are skipped), without recursion, and fails at the first bracket deeper than `max`.
pub fn check_nesting(text: &str, max: usize) -> Result<(), SourceError> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = memchr_newline(bytes, i);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(bytes, i);
            }
            b'"' => i = skip_string(bytes, i + 1),
            b'r' | b'b' | b'c' if starts_raw_string(bytes, i) => i = skip_raw_string(bytes, i),
            b'\'' => i = skip_char_or_lifetime(bytes, i),
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Err(SourceError::TooDeep { offset: i });
                }
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    Ok(())
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
            Err(SourceError::TooDeep { offset: 10 })
        );
        assert_eq!(check_nesting("fn f<'a>(x: &'a u8) {}", 1), Ok(()));
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
        assert_eq!(blank_preamble("fn main() {}"), None);
        let script = "#!/usr/bin/env run-cargo-script\nfn main() {}";
        let blanked = blank_preamble(script).unwrap();
        assert_eq!(blanked.len(), script.len());
        assert!(blanked.ends_with("\nfn main() {}"));
        assert_eq!(blank_preamble("#![allow(dead_code)]\nfn main() {}"), None);
        assert_eq!(blank_preamble("#! // c\n[allow(x)] fn f() {}"), None);
        let bom = "\u{feff}fn main() {}";
        assert_eq!(blank_preamble(bom).unwrap(), "   fn main() {}");
    }
}
