//! The checks made on a file's text before syn sees it, and what is blanked out of it. The
//! text itself is read through [`crate::sources`].
//!
//! Nesting deep enough to overflow syn's recursive-descent parser is a [`TooDeep`] value, so
//! the loader turns it into a diagnostic and goes on with the other files.

use super::depth;
pub use crate::ir::Directive;

/// A file nested deeper than syn can parse safely: parsing it would take `needs` bytes of stack,
/// more than [`depth::MAX_STACK`], first at `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    pub offset: usize,
    pub needs: u64,
}

impl TooDeep {
    pub fn describe(self) -> String {
        format!(
            "nested too deeply to parse safely: parsing it would take more than {} MiB of stack \
             (cargo escape allows {} MiB); the file was not parsed",
            self.needs >> 20,
            depth::MAX_STACK >> 20
        )
    }
}

/// Makes `text` ready for syn, in one pass and without moving a byte:
/// - estimates the stack parsing it takes (see [`depth`]), and fails if that is too much;
/// - blanks a byte-order mark and a `#!` line, which syn's `parse_file` would strip (and so
///   shift every offset);
/// - blanks doc comments. syn turns each into a `#[doc = "..."]` attribute, tokens and all,
///   and nothing here reads them; in well-documented crates this is a good part of the parse.
///
/// Blanking writes spaces over the bytes (newlines stay), so offsets and line numbers in the
/// prepared text are those of the file.
/// - with `skip_tests`, blanks the bodies of `#[cfg(test)]` inline modules (cfg removes them;
///   a syntax error there goes unreported, as everything else in them does).
pub fn prepare(text: String, skip_tests: bool) -> Result<Prepared, TooDeep> {
    let mut bytes = text.into_bytes();
    let mut blank: Vec<(usize, usize)> = Vec::new();
    let preamble = preamble_len(&bytes);
    if preamble > 0 {
        blank.push((0, preamble));
    }
    let mut comments = Vec::new();
    let scanned = scan(&bytes, preamble, skip_tests, &mut blank, &mut comments);
    if scanned.stack > depth::MAX_STACK {
        return Err(TooDeep {
            offset: scanned.deepest,
            needs: scanned.stack,
        });
    }
    let directives = comments
        .into_iter()
        .map(|(lo, hi)| {
            let (target, trailing) = directive_target(&bytes, lo, hi);
            Directive {
                comment: (lo, hi),
                text: String::from_utf8_lossy(&bytes[lo + 2..hi])
                    .trim_end()
                    .to_string(),
                target,
                trailing,
            }
        })
        .collect();
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
    Ok(Prepared {
        text,
        delimiter: scanned.delimiter,
        directives,
        stack: scanned.stack,
        pieces: scanned.pieces,
    })
}

/// `// escape: name(` (spaces allowed around): a directive, even a misspelt one, but not a
/// comment that happens to start with the word (`// escape: a backslash becomes..`). A
/// contract may stand alone: `// escape: no_alloc`, `// escape: no_block`.
fn is_directive(comment: &[u8]) -> bool {
    let start = comment
        .iter()
        .take_while(|b| b.is_ascii_whitespace())
        .count();
    let Some(rest) = comment[start..].strip_prefix(b"escape:") else {
        return false;
    };
    let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
    let name = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    let contract = matches!(&rest[..name], b"no_alloc" | b"no_block")
        && rest[name..].iter().all(|b| b.is_ascii_whitespace());
    name > 0 && (rest.get(name) == Some(&b'(') || contract)
}

/// The line a directive at `lo..hi` applies to: its own when code comes before it on the
/// line, else the next line that is not a comment (directives may be stacked, and explained).
fn directive_target(bytes: &[u8], lo: usize, hi: usize) -> ((usize, usize), bool) {
    let line_start = bytes[..lo]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    if bytes[line_start..lo]
        .iter()
        .any(|b| !b.is_ascii_whitespace())
    {
        return ((line_start, hi), true);
    }
    // The next line of code: past blank lines, comments and attributes.
    let mut start = (hi + 1).min(bytes.len());
    loop {
        let end = memchr_newline(bytes, start);
        let line = &bytes[start..end];
        let skip = match line.iter().position(|b| !b.is_ascii_whitespace()) {
            None => true,
            Some(c) => {
                let code = &line[c..];
                code.starts_with(b"//") || code.starts_with(b"/*") || code.starts_with(b"#[")
            }
        };
        if skip && end < bytes.len() {
            start = end + 1;
            continue;
        }
        return ((start, end), false);
    }
}

/// A file ready for syn.
#[derive(Debug)]
pub struct Prepared {
    pub text: String,
    /// The first unbalanced bracket the scan saw. syn decides whether the file lexes; when it
    /// does not, this says where and why more precisely than its lexer error.
    pub delimiter: Option<DelimiterError>,
    /// The file's `// escape: ..` comments (syn drops comments).
    pub directives: Vec<Directive>,
    /// The stack parsing, lowering and dropping the file may take, in bytes (see [`depth`]).
    pub stack: u64,
    /// Where a large file may be cut into pieces parsed one at a time: just past a top-level
    /// item whose next token starts another, at least [`PIECE_BYTES`] apart. Empty for a file
    /// smaller than that.
    pub pieces: Vec<usize>,
}

/// The size of the pieces a large file is parsed in (see `lower::Pieces`).
pub const PIECE_BYTES: usize = 1 << 20;

/// What the scan found.
struct Scanned {
    delimiter: Option<DelimiterError>,
    stack: u64,
    /// Where the estimate peaked.
    deepest: usize,
    pieces: Vec<usize>,
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
    if rest.starts_with(b"#!") && rest.get(skip_trivia(rest, 2)) != Some(&b'[') {
        end += rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    }
    end
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

/// How the scan sees a byte outside literals and comments.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Whitespace: changes nothing.
    Space,
    /// Starts a word: an identifier, keyword or number. Bytes of non-ASCII characters are
    /// identifier bytes.
    Word,
    /// Punctuation, a bracket, or the start of a comment or literal.
    Punct,
}

const CLASSES: [Class; 256] = {
    let mut table = [Class::Punct; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c.is_ascii_whitespace() {
            Class::Space
        } else if is_word_byte(c) {
            Class::Word
        } else {
            Class::Punct
        };
        b += 1;
    }
    table
};

const fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Reads the file with a small lexer (comments, strings, raw strings and character literals
/// are skipped), without recursion, estimating the stack parsing it takes (see [`depth`]) and
/// pairing brackets. What should be blanked is added to `blank`: doc comments, and with
/// `skip_tests` the bodies of `#[cfg(test)]` inline modules, which are not estimated either.
/// `// escape:` directives go to `directives`.
fn scan(
    bytes: &[u8],
    from: usize,
    skip_tests: bool,
    blank: &mut Vec<(usize, usize)>,
    directives: &mut Vec<(usize, usize)>,
) -> Scanned {
    // Open brackets: the byte, where, and whether it opens a body that is skipped.
    let mut open: Vec<(u8, usize, bool)> = Vec::new();
    let mut error = None;
    // How many of the open brackets are skipped bodies; inside one, nothing is estimated.
    let mut skipping = 0usize;
    // The `{` of the next `#[cfg(test)]` module, once its attribute has been seen.
    let mut test_body = None;
    let mut estimate = depth::Estimate::default();
    // Just past the last token, when it ended a top-level item (a `;` or a `}` outside any
    // bracket): the file may be cut there if the next token starts an item (a word or `#`).
    let mut item_end: Option<usize> = None;
    let mut pieces: Vec<usize> = Vec::new();
    let cut_before_item = |item_end: &mut Option<usize>, pieces: &mut Vec<usize>| {
        if let Some(at) = item_end.take()
            && at - pieces.last().copied().unwrap_or(0) >= PIECE_BYTES
        {
            pieces.push(at);
        }
    };
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        match CLASSES[b as usize] {
            Class::Space => {
                i += 1;
                continue;
            }
            Class::Word => {
                if matches!(b, b'r' | b'b' | b'c') && starts_raw_string(bytes, i) {
                    i = skip_raw_string(bytes, i);
                    estimate.literal();
                    continue;
                }
                let end = word_end(bytes, i);
                if skipping == 0 {
                    estimate.word(depth::word(&bytes[i..end]), i);
                }
                cut_before_item(&mut item_end, &mut pieces);
                i = end;
                continue;
            }
            Class::Punct => {}
        }
        let next = bytes.get(i + 1).copied().unwrap_or(b' ');
        match b {
            b'/' if next == b'/' || next == b'*' => {
                i = comment(bytes, i, skipping == 0, blank, directives);
            }
            b'"' => {
                i = skip_string(bytes, i + 1);
                estimate.literal();
                item_end = None;
            }
            b'\'' => {
                let end = skip_char_or_lifetime(bytes, i);
                if end == i + 1 {
                    // A lifetime or a label: `'a`, `'static`.
                    i = word_end(bytes, end);
                    estimate.lifetime();
                } else {
                    i = end;
                    estimate.literal();
                }
                item_end = None;
            }
            b'#' if skip_tests && skipping == 0 => {
                test_body = test_module_body(bytes, i).or(test_body);
                estimate.punct(depth::Punct::Hash, i);
                cut_before_item(&mut item_end, &mut pieces);
                i += 1;
            }
            b'(' | b'[' | b'{' => {
                item_end = None;
                let skip = b == b'{' && test_body == Some(i);
                if skip {
                    test_body = None;
                    skipping += 1;
                }
                if skipping == 0 {
                    estimate.open(i);
                }
                open.push((b, i, skip));
                i += 1;
            }
            b')' | b']' | b'}' => {
                let wanted = match b {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                match open.pop() {
                    Some((o, at, skip)) if o == wanted && skip => {
                        skipping -= 1;
                        blank.push((at + 1, i));
                    }
                    Some((o, _, _)) if o == wanted && skipping == 0 => estimate.close(i, b == b'}'),
                    Some((o, _, _)) if o == wanted => {}
                    Some((_, at, skip)) => {
                        skipping -= usize::from(skip);
                        error.get_or_insert(DelimiterError::Mismatched { open: at, close: i });
                    }
                    None => {
                        error.get_or_insert(DelimiterError::Unopened { close: i });
                    }
                }
                item_end = (b == b'}' && open.is_empty()).then_some(i + 1);
                i += 1;
            }
            _ => {
                let (punct, len) = depth::punct_at(bytes, i);
                if skipping == 0 {
                    estimate.punct(punct, i);
                }
                if punct == depth::Punct::Hash {
                    cut_before_item(&mut item_end, &mut pieces);
                } else {
                    item_end = (punct == depth::Punct::Semi && open.is_empty()).then_some(i + len);
                }
                i += len;
            }
        }
    }
    if let Some(&(_, at, _)) = open.last() {
        error.get_or_insert(DelimiterError::Unclosed { open: at });
    }
    Scanned {
        delimiter: error,
        stack: estimate.peak,
        deepest: estimate.peak_at,
        pieces,
    }
}

/// Skips the comment at `i` (`//` or `/*`) and returns where it ends. A doc comment is added to
/// `blank`; a `// escape:` directive to `directives`, where `directives_read`.
fn comment(
    bytes: &[u8],
    i: usize,
    directives_read: bool,
    blank: &mut Vec<(usize, usize)>,
    directives: &mut Vec<(usize, usize)>,
) -> usize {
    let third = bytes.get(i + 2).copied();
    let fourth = bytes.get(i + 3).copied();
    if bytes.get(i + 1) == Some(&b'/') {
        let end = memchr_newline(bytes, i);
        // `///x` and `//!x` are doc comments; `////x` is not.
        if third == Some(b'!') || (third == Some(b'/') && fourth != Some(b'/')) {
            blank.push((i, end));
        } else if directives_read && is_directive(&bytes[i + 2..end]) {
            directives.push((i, end));
        }
        return end;
    }
    let end = skip_block_comment(bytes, i);
    // `/**x*/` and `/*!x*/` are doc comments; `/**/` and `/***x*/` are not.
    if third == Some(b'!') || (third == Some(b'*') && fourth != Some(b'*') && fourth != Some(b'/'))
    {
        blank.push((i, end));
    }
    end
}

/// The end of the word (identifier, keyword or number) starting at `i`. Bytes of non-ASCII
/// characters are word bytes: they can only be part of an identifier outside literals.
fn word_end(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&c| !is_word_byte(c))
        .map_or(bytes.len(), |p| i + p)
}

/// The stack [`scan`] estimates for `text`.
#[cfg(test)]
pub(super) fn stack_of(text: &str) -> u64 {
    scan(text.as_bytes(), 0, false, &mut Vec::new(), &mut Vec::new()).stack
}

/// With `#[cfg(test)]` at `at`, the offset of the `{` opening the body of the inline module
/// it marks: `#[cfg(test)] #[allow(..)] pub(crate) mod tests {`. `None` for anything else,
/// including `cfg(all(test, ..))` and a module in its own file.
fn test_module_body(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at;
    for token in [&b"#"[..], b"[", b"cfg", b"(", b"test", b")", b"]"] {
        i = skip_trivia(bytes, i);
        i = eat(bytes, i, token)?;
    }
    // More outer attributes, then a visibility.
    loop {
        i = skip_trivia(bytes, i);
        let Some(after) = eat(bytes, i, b"#") else {
            break;
        };
        let open = skip_trivia(bytes, after);
        eat(bytes, open, b"[")?;
        i = skip_group(bytes, open)?;
    }
    if let Some(after) = eat(bytes, i, b"pub") {
        i = skip_trivia(bytes, after);
        if bytes.get(i) == Some(&b'(') {
            i = skip_group(bytes, i)?;
        }
    }
    i = eat(bytes, skip_trivia(bytes, i), b"mod")?;
    i = skip_trivia(bytes, i);
    let name = i + if bytes[i..].starts_with(b"r#") { 2 } else { 0 };
    let end = name
        + bytes[name..]
            .iter()
            .take_while(|&&b| is_word_byte(b))
            .count();
    if end == name {
        return None;
    }
    let brace = skip_trivia(bytes, end);
    (bytes.get(brace) == Some(&b'{')).then_some(brace)
}

/// `token` at `i`, as a whole word if it is one; returns the offset after it.
fn eat(bytes: &[u8], i: usize, token: &[u8]) -> Option<usize> {
    let end = i + token.len();
    let whole =
        !token[0].is_ascii_alphabetic() || !bytes.get(end).copied().is_some_and(is_word_byte);
    (bytes[i..].starts_with(token) && whole).then_some(end)
}

/// Skips whitespace and comments.
fn skip_trivia(bytes: &[u8], mut i: usize) -> usize {
    loop {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        match (bytes.get(i), bytes.get(i + 1)) {
            (Some(b'/'), Some(b'/')) => i = memchr_newline(bytes, i),
            (Some(b'/'), Some(b'*')) => i = skip_block_comment(bytes, i),
            _ => return i,
        }
    }
}

/// From the bracket at `i`, the offset just past its matching close, skipping strings.
fn skip_group(bytes: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'"' => {
                i = skip_string(bytes, i + 1);
                continue;
            }
            b'r' | b'b' | b'c' if starts_raw_string(bytes, i) => {
                i = skip_raw_string(bytes, i);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
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
            // The escaped character itself may be a quote: `'\''`.
            let mut j = i + 3;
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
    fn literals_and_comments_cost_nothing() {
        let plain = "fn f() { let s = 1; let c = 2; let r = 3; }";
        let hidden = "fn f() { let s = \"((((((\"; let c = '('; let r = r#\"[[[\"#; /* {{{ */ }";
        assert_eq!(stack_of(plain), stack_of(hidden));
        let escapes = "/* a /* b */ ( */ fn f() { let x = '\\''; let y = \"\\\"(\"; }";
        assert_eq!(
            stack_of(escapes),
            stack_of("fn f() { let x = 1; let y = 2; }")
        );
    }

    #[test]
    fn too_deep_files_say_how_much_stack_they_need() {
        let levels = (depth::MAX_STACK / depth::HEAVY) as usize + 10;
        let text = format!("fn f() {{ {}x; }}", "!".repeat(levels));
        let error = prepare(text, false).unwrap_err();
        assert!(error.needs > depth::MAX_STACK);
        assert!(
            error.describe().contains("MiB of stack"),
            "{}",
            error.describe()
        );
        let fine = format!("fn f() {{ {}x; }}", "!".repeat(100));
        assert!(prepare(fine, false).unwrap().stack >= 100 * depth::HEAVY);
    }

    #[test]
    fn preamble_is_blanked_in_place() {
        let prepare = |t: &str| prepare(t.to_string(), false).unwrap().text;
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
        let prepared = prepare(text.to_string(), false).unwrap().text;
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
            prepare(in_string.to_string(), false).unwrap().text,
            in_string
        );
    }

    #[test]
    fn unbalanced_brackets_are_located() {
        let delimiter = |t: &str| prepare(t.to_string(), false).unwrap().delimiter;
        assert_eq!(delimiter("fn f() { g('}'); }"), None);
        // An escaped quote does not end the character: the `)` after it is inside a literal.
        assert_eq!(delimiter("fn f() { let v = ['\\'',')']; }"), None);
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

    #[test]
    fn test_module_bodies_are_blanked_only_when_asked() {
        let text = "fn f() {}\n#[cfg(test)]\n#[allow(unused, reason = \"a ] in a string\")]\n\
                    pub(crate) mod tests {\n    use super::*;\n    #[test] fn t() { f(); }\n}\n\
                    #[cfg(test)] mod other;\n#[cfg(all(test, unix))] mod kept { fn k() {} }\n\
                    #[cfg( test )] /* c */ mod r#spaced { fn s() {} }\n\
                    #[cfg(test)] fn helper() { h() }\nmod after { fn g() {} }";
        let skipped = prepare(text.to_string(), true).unwrap();
        assert_eq!(skipped.delimiter, None);
        let skipped = skipped.text;
        assert_eq!(skipped.len(), text.len());
        assert_eq!(skipped.lines().count(), text.lines().count());
        for gone in ["use super", "fn t()", "fn s()"] {
            assert!(!skipped.contains(gone), "{gone} is still there:\n{skipped}");
        }
        for kept in [
            "pub(crate) mod tests {",
            "mod other;",
            "fn k()",
            "fn helper() { h() }",
            "fn g()",
        ] {
            assert!(skipped.contains(kept), "{kept} is gone:\n{skipped}");
        }
        let kept = prepare(text.to_string(), false).unwrap().text;
        assert_eq!(kept, text);
        // Nothing inside a skipped body can be too deep.
        let levels = (depth::MAX_STACK / depth::HEAVY) as usize + 10;
        let deep = format!(
            "#[cfg(test)] mod tests {{ fn f() {{ {}1{} }} }}",
            "(".repeat(levels),
            ")".repeat(levels)
        );
        assert!(prepare(deep.clone(), true).is_ok());
        assert!(prepare(deep, false).is_err());
    }

    #[test]
    fn directives_find_their_line() {
        let text = "fn f() {\n    g(); // escape: allow(dyn_box)\n    // escape: allow(a)\n    \
                    // escape: allow(b, reason = \"x\")\n    h();\n    // not one: escape: allow(c)\n}\n";
        let prepared = prepare(text.to_string(), false).unwrap();
        let found: Vec<(&str, &str)> = prepared
            .directives
            .iter()
            .map(|d| (d.text.as_str(), &text[d.target.0..d.target.1]))
            .collect();
        assert_eq!(
            found,
            [
                (
                    " escape: allow(dyn_box)",
                    "    g(); // escape: allow(dyn_box)"
                ),
                (" escape: allow(a)", "    h();"),
                (" escape: allow(b, reason = \"x\")", "    h();"),
            ]
        );
        let contract =
            "// escape: no_alloc\n#[inline]\nfn f() {}\n// escape: no_allocs\nfn g() {}\n";
        let prepared = prepare(contract.to_string(), false).unwrap();
        let found: Vec<(&str, &str)> = prepared
            .directives
            .iter()
            .map(|d| (d.text.as_str(), &contract[d.target.0..d.target.1]))
            .collect();
        assert_eq!(found, [(" escape: no_alloc", "fn f() {}")]);
        let in_string = "fn f() { let s = \"// escape: allow(x)\"; }";
        assert!(
            prepare(in_string.to_string(), false)
                .unwrap()
                .directives
                .is_empty()
        );
    }
}
