//! Byte spans: proc-macro2 gives lines and columns (in characters), the IR keeps byte offsets
//! into the file's text. Also the names of identifiers, read off the source at their spans.

use proc_macro2::Ident;

use super::Lowerer;
use crate::ir::Span;
use crate::sym::Sym;

/// Line starts of the file, to turn proc-macro2's line and column into byte offsets.
pub(super) struct LineIndex {
    starts: Vec<u32>,
    /// Whether each line is all ASCII, so that its columns (characters) are also bytes.
    ascii: Vec<bool>,
    /// The last position found on a non-ASCII line, `(line, column, byte)`: tokens come in
    /// order, so the next one is counted from there, and a long line costs linear time, not
    /// quadratic.
    cursor: std::cell::Cell<(usize, usize, usize)>,
    /// The last position asked for by `line_column` on a non-ASCII line, `(line, byte,
    /// column)`.
    column_cursor: std::cell::Cell<(usize, usize, usize)>,
    /// Where the text being lowered starts: a file parsed in pieces gives lines counted from
    /// its piece's first line, and columns on that line counted from the piece's first byte.
    first_line: usize,
    first_byte: usize,
}

impl LineIndex {
    pub(super) fn new(text: &str) -> LineIndex {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i as u32 + 1),
        );
        let ascii = if text.is_ascii() {
            vec![true; starts.len()]
        } else {
            (0..starts.len())
                .map(|i| {
                    let end = starts.get(i + 1).map_or(text.len(), |&e| e as usize);
                    text.as_bytes()[starts[i] as usize..end].is_ascii()
                })
                .collect()
        };
        LineIndex {
            starts,
            ascii,
            cursor: std::cell::Cell::new((0, 0, 0)),
            column_cursor: std::cell::Cell::new((usize::MAX, 0, 0)),
            first_line: 0,
            first_byte: 0,
        }
    }

    /// Positions from now on are of a piece of the file that starts at byte `at`.
    pub(super) fn start_piece(&mut self, at: usize) {
        self.first_line = self
            .starts
            .partition_point(|&s| s as usize <= at)
            .saturating_sub(1);
        self.first_byte = at;
        // No line: the last position found was in another piece.
        self.cursor.set((usize::MAX, 0, 0));
    }

    /// The 1-based line and column (in characters, as rustc counts them) of a byte offset.
    /// Constant time on an ASCII line; on another, counted on from the last position asked
    /// for on that line (offsets come in order), so a long line costs linear time in all.
    pub(super) fn line_column(&self, text: &str, offset: u32) -> (u32, u32) {
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[line] as usize;
        let end = (offset as usize).min(text.len()).max(start);
        let column = if self.ascii[line] {
            end - start
        } else {
            let (cursor_line, cursor_byte, cursor_column) = self.column_cursor.get();
            let (from_byte, from_column) = if cursor_line == line && cursor_byte <= end {
                (cursor_byte, cursor_column)
            } else {
                (start, 0)
            };
            let column = from_column
                + text
                    .get(from_byte..end)
                    .map_or(end - from_byte, |s| s.chars().count());
            self.column_cursor.set((line, end, column));
            column
        };
        (line as u32 + 1, column as u32 + 1)
    }

    /// The byte offset of a line and column (in characters).
    fn offset(&self, text: &str, at: proc_macro2::LineColumn) -> u32 {
        let line = at.line.wrapping_sub(1).wrapping_add(self.first_line);
        let Some(&start) = self.starts.get(line) else {
            return text.len() as u32;
        };
        // A piece that starts inside a line counts that line's columns from its start.
        let start = if at.line == 1 {
            self.first_byte.max(start as usize)
        } else {
            start as usize
        };
        let byte = if self.ascii[line] {
            start + at.column
        } else {
            let (cursor_line, column, byte) = self.cursor.get();
            let (from_column, from_byte) = if cursor_line == line && column <= at.column {
                (column, byte)
            } else {
                (0, start)
            };
            let byte = text[from_byte..]
                .char_indices()
                .nth(at.column - from_column)
                .map_or(text.len(), |(i, _)| from_byte + i);
            self.cursor.set((line, at.column, byte));
            byte
        };
        byte.min(text.len()) as u32
    }
}

impl<'a> Lowerer<'a> {
    /// The byte span of one token (an identifier, a keyword, a punctuation character or a
    /// delimiter): its start from proc-macro2, its length read off the source, or for a
    /// non-ASCII identifier its end from proc-macro2 too (which Unicode characters continue an
    /// identifier is the lexer's business).
    ///
    /// proc-macro2's own `byte_range` converts character offsets through a B-tree cache and
    /// costs more than the parse itself; its line and column, plus our line table, are cheap,
    /// and asking only for the start halves the lookups.
    pub(super) fn span(&self, span: proc_macro2::Span) -> Span {
        let lo = self.lines.offset(self.text, span.start());
        match token_len(self.text.as_bytes(), lo as usize) {
            Some(len) => Span::new(lo, lo + len),
            // A word with non-ASCII characters: where it ends is proc-macro2's to say.
            None => Span::new(lo, self.lines.offset(self.text, span.end()).max(lo)),
        }
    }

    /// The byte span of a token of any length (a literal), from both ends.
    pub(super) fn full_span(&self, span: proc_macro2::Span) -> Span {
        let lo = self.lines.offset(self.text, span.start());
        let hi = self.lines.offset(self.text, span.end());
        Span::new(lo, hi.max(lo))
    }

    /// From an opening delimiter to its closing one, both included.
    pub(super) fn join(&self, delim: &proc_macro2::extra::DelimSpan) -> Span {
        let lo = self.lines.offset(self.text, delim.open().start());
        let hi = self.lines.offset(self.text, delim.close().start()) + 1;
        Span::new(lo, hi.max(lo))
    }

    /// An identifier's name.
    pub(super) fn sym(&mut self, ident: &Ident) -> Sym {
        self.ident(ident).0
    }

    /// An identifier's name and span. The name is read from the source at the span (no
    /// allocation), which is exactly the identifier's text.
    pub(super) fn ident(&mut self, ident: &Ident) -> (Sym, Span) {
        let span = self.span(ident.span());
        let text: &'a str = self.text;
        let written = text.get(span.lo as usize..span.hi as usize).unwrap_or("");
        debug_assert!(ident == written, "{ident} read as {written:?}");
        let name = written.strip_prefix("r#").unwrap_or(written);
        let sym = Sym::new(name);
        (sym, span)
    }
}

/// The length of the token at `at` when it can be read without Unicode tables: an ASCII
/// word (an identifier, keyword or number, `r#` included) or one punctuation character.
/// `None` for a word that goes on with a non-ASCII character.
fn token_len(text: &[u8], at: usize) -> Option<u32> {
    let rest = text.get(at..)?;
    let is_word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    let raw = if rest.starts_with(b"r#") && rest.get(2).is_some_and(is_word) {
        2
    } else {
        0
    };
    let len = raw + rest[raw..].iter().take_while(|b| is_word(b)).count();
    match rest.get(len) {
        Some(&b) if b >= 0x80 => None,
        _ if len > 0 => Some(len as u32),
        Some(_) => Some(1),
        None => Some(0),
    }
}

/// The delimiters around a macro's arguments.
pub(super) fn delim_span(d: &syn::MacroDelimiter) -> proc_macro2::extra::DelimSpan {
    match d {
        syn::MacroDelimiter::Paren(p) => p.span,
        syn::MacroDelimiter::Brace(b) => b.span,
        syn::MacroDelimiter::Bracket(b) => b.span,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{TestCfg, lower_file};

    #[test]
    fn identifier_spans_cover_the_whole_name() {
        // `cafe\u{301}` ends with a combining mark: an identifier character that is not
        // alphanumeric. `r#type` is a raw identifier.
        let text = "fn caf\u{e9}_\u{3bb}() {}\nfn cafe\u{301}(x: u8) {}\nfn r#type() {}\n\
                    fn \u{e9}() {} fn \u{fc}\u{fc}() {} fn plain() {}";
        let file = syn::parse_file(text).unwrap();
        let ir = lower_file(&file, text, TestCfg::Off).ir;
        proc_macro2::extra::invalidate_current_thread_spans();
        let names: Vec<(&str, &str)> = ir
            .top
            .iter()
            .map(|&id| {
                let item = ir.item(id);
                let span = item.name_span;
                (
                    item.name.unwrap().as_str(),
                    &text[span.lo as usize..span.hi as usize],
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("caf\u{e9}_\u{3bb}", "caf\u{e9}_\u{3bb}"),
                ("cafe\u{301}", "cafe\u{301}"),
                ("type", "r#type"),
                ("\u{e9}", "\u{e9}"),
                ("\u{fc}\u{fc}", "\u{fc}\u{fc}"),
                ("plain", "plain"),
            ]
        );
    }
}
