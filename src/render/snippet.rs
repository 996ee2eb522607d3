//! Long lines, cut for display as rustc cuts them: a line longer than [`LONG_LINE`] characters
//! shows only a window around what it labels, with `...` where text was left out. Without this,
//! a generated one-line file of megabytes would be printed whole for every finding in it.
//!
//! A diagnostic that labels a long line is rendered from a [`View`]: a small file made of the
//! lines its labels touch, cut, which tells codespan-reporting each line's real number and each
//! position's real column, so that the output reads as if from the file itself.

use std::ops::Range;

use codespan_reporting::files::{Error, Files as CodespanFiles};

use super::Files;
use crate::diagnostic::FileId;

/// Lines longer than this many characters are cut.
pub const LONG_LINE: usize = 240;

/// Characters in `text`, which is ASCII (its bytes) when its file is.
fn chars(text: &str, ascii: bool) -> usize {
    if ascii {
        text.len()
    } else {
        text.chars().count()
    }
}

/// The byte offset of the `n`th character of `text` (its length past the end).
fn byte_of_char(text: &str, n: usize, ascii: bool) -> usize {
    if ascii {
        return n.min(text.len());
    }
    text.char_indices().nth(n).map_or(text.len(), |(b, _)| b)
}

/// Characters kept on each side of what a long line labels.
const CONTEXT: usize = 40;

/// Characters of a label kept on a long line, when the label itself is long.
const LABEL: usize = 120;

/// What is left out, at either end of a cut line.
const ELLIPSIS: &str = "...";

/// One line of a [`View`].
#[derive(Debug)]
struct Line {
    /// Its 0-based index in the real file.
    real_index: usize,
    /// The bytes of the real file the view keeps of it.
    real: Range<usize>,
    /// Where its kept text starts in the view, after any leading `...`.
    at: usize,
    /// The real 1-based column of the first character kept.
    first_column: usize,
    /// The line's range in the view, `...`s included, without its newline.
    range: Range<usize>,
    /// Whether its file is ASCII.
    ascii: bool,
}

/// The lines of one file that some labels touch, long ones cut around the labels.
#[derive(Debug)]
pub struct View {
    name: String,
    text: String,
    lines: Vec<Line>,
}

impl View {
    /// A view of one of `files` for labels over the byte ranges `labels`.
    pub fn new(files: &Files, file: FileId, labels: &[Range<usize>]) -> View {
        let (name, source) = files.text(file);
        let ascii = files.is_ascii(file);
        // The lines the labels touch, each once (a label ends on the line of its last byte).
        let mut touched: Vec<(usize, Range<usize>)> = Vec::new();
        for r in labels {
            let mut at = r.start;
            loop {
                let (index, full) = files.line_at(file, at);
                if !touched.iter().any(|(i, _)| *i == index) {
                    touched.push((index, full.clone()));
                }
                if full.end >= r.end || full.end + 1 >= source.len() {
                    break;
                }
                at = full.end + 1;
            }
        }
        touched.sort_unstable_by_key(|(i, _)| *i);
        let mut view = View {
            name: name.to_string(),
            text: String::new(),
            lines: Vec::new(),
        };
        for (index, full) in touched {
            let window = if files.columns(file, full.clone()) > LONG_LINE {
                window(source, full.clone(), labels, ascii)
            } else {
                full.clone()
            };
            let start = view.text.len();
            if window.start > full.start {
                view.text.push_str(ELLIPSIS);
            }
            let at = view.text.len();
            view.text.push_str(&source[window.clone()]);
            if window.end < full.end {
                view.text.push_str(ELLIPSIS);
            }
            let range = start..view.text.len();
            view.text.push('\n');
            view.lines.push(Line {
                real_index: index,
                first_column: files.columns(file, full.start..window.start) + 1,
                ascii,
                real: window,
                at,
                range,
            });
        }
        view
    }

    /// Where the real byte `byte` is shown in the view: a byte left out is shown at the `...`
    /// that stands for it.
    pub fn map(&self, byte: usize) -> usize {
        let i = self
            .lines
            .partition_point(|l| l.real.start <= byte)
            .saturating_sub(1);
        let Some(line) = self.lines.get(i) else {
            return 0;
        };
        if byte < line.real.start {
            return line.range.start;
        }
        if byte > line.real.end {
            return line.range.end;
        }
        line.at + (byte - line.real.start)
    }

    fn line(&self, byte: usize) -> usize {
        self.lines
            .partition_point(|l| l.range.start <= byte)
            .saturating_sub(1)
    }
}

/// The bytes of the long line `line` to keep: around the labels on it, the first part of a
/// long label, on character boundaries.
fn window(source: &str, line: Range<usize>, labels: &[Range<usize>], ascii: bool) -> Range<usize> {
    let on_line: Vec<Range<usize>> = labels
        .iter()
        .filter(|r| r.start <= line.end && r.end >= line.start)
        .map(|r| r.start.max(line.start)..r.end.min(line.end))
        .collect();
    let lo = on_line.iter().map(|r| r.start).min().unwrap_or(line.start);
    let hi = on_line.iter().map(|r| r.end).max().unwrap_or(lo);
    let text = &source[line.clone()];
    // Character offsets within the line.
    let char_at = |byte: usize| chars(&text[..byte - line.start], ascii);
    let (lo, hi) = (char_at(lo), char_at(hi));
    let first = lo.saturating_sub(CONTEXT);
    let last = hi.min(lo + LABEL) + CONTEXT;
    line.start + byte_of_char(text, first, ascii)..line.start + byte_of_char(text, last, ascii)
}

/// The views of a diagnostic's files, for codespan-reporting: file ids are indices.
pub struct Views(pub Vec<View>);

impl<'a> CodespanFiles<'a> for Views {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, Error> {
        Ok(&self.get(id)?.name)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, Error> {
        Ok(&self.get(id)?.text)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, Error> {
        Ok(self.get(id)?.line(byte_index))
    }

    fn line_number(&'a self, id: usize, line_index: usize) -> Result<usize, Error> {
        let view = self.get(id)?;
        let line = view.lines.get(line_index).ok_or(Error::LineTooLarge {
            given: line_index,
            max: view.lines.len().saturating_sub(1),
        })?;
        Ok(line.real_index + 1)
    }

    fn column_number(
        &'a self,
        id: usize,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let view = self.get(id)?;
        let Some(line) = view.lines.get(line_index) else {
            return Ok(1);
        };
        let kept = byte_index.clamp(line.at, line.at + line.real.len());
        Ok(line.first_column + chars(&view.text[line.at..kept], line.ascii))
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, Error> {
        let view = self.get(id)?;
        view.lines
            .get(line_index)
            .map(|l| l.range.start..l.range.end + 1)
            .ok_or(Error::LineTooLarge {
                given: line_index,
                max: view.lines.len().saturating_sub(1),
            })
    }
}

impl Views {
    fn get(&self, id: usize) -> Result<&View, Error> {
        self.0.get(id).ok_or(Error::FileMissing)
    }
}

/// A line's text for the JSON `text` field, cut as in the human output when it is long, with
/// the highlighted columns (1-based, in characters, of the text given back). `ascii` says
/// whether the line's file is ASCII.
pub fn cut_line(text: &str, start: usize, end: usize, ascii: bool) -> (String, usize, usize) {
    if chars(text, ascii) <= LONG_LINE {
        return (text.to_string(), start, end);
    }
    let byte_of = |column: usize| byte_of_char(text, column.saturating_sub(1), ascii);
    let window = window(
        text,
        0..text.len(),
        std::slice::from_ref(&(byte_of(start)..byte_of(end))),
        ascii,
    );
    let mut out = String::new();
    let mut shift = chars(&text[..window.start], ascii);
    if window.start > 0 {
        out.push_str(ELLIPSIS);
        shift = shift.saturating_sub(ELLIPSIS.len());
    }
    out.push_str(&text[window.clone()]);
    if window.end < text.len() {
        out.push_str(ELLIPSIS);
    }
    let last = chars(&out, ascii) + 1;
    (
        out,
        start.saturating_sub(shift).clamp(1, last),
        end.saturating_sub(shift).clamp(1, last),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::Overlay;

    /// `source` as the only file of a `Files`, with every byte labelled by `labels` loaded.
    fn files_of(source: &str) -> Files {
        let path = std::path::PathBuf::from("/nowhere/f.rs");
        let mut sources = Overlay::new(crate::sources::DiskSources::default());
        sources.insert(&path, source);
        let mut files = Files::new(
            vec![path],
            std::path::Path::new("/nowhere"),
            std::path::Path::new("/nowhere"),
        );
        let d = crate::diagnostic::Diagnostic::new(
            crate::diagnostic::Input::TooDeep,
            crate::diagnostic::Level::Note,
            "",
            crate::diagnostic::Label::new(FileId(0), crate::ir::Span::new(0, 0), ""),
        );
        files.load_for(&[d], &sources);
        files
    }

    #[test]
    fn a_long_line_is_cut_around_its_label_and_keeps_its_real_position() {
        let long = format!("let x = [{}];", "1, ".repeat(2000));
        let source = format!("fn f() {{\n    {long} g();\n}}\n");
        let files = files_of(&source);
        let at = source.find("g()").unwrap();
        let view = View::new(&files, FileId(0), std::slice::from_ref(&(at..at + 3)));
        let views = Views(vec![view]);
        let text = views.source(0).unwrap();
        assert!(text.len() < 200, "{text}");
        assert!(text.starts_with("..."), "{text}");
        assert!(text.contains("g();"), "{text}");
        let mapped = views.0[0].map(at);
        assert_eq!(&text[mapped..mapped + 3], "g()");
        let line = views.line_index(0, mapped).unwrap();
        assert_eq!(views.line_number(0, line).unwrap(), 2);
        // The column is the real one, not the view's.
        let real_column = source[source.find("    let").unwrap()..at].chars().count() + 1;
        assert_eq!(views.column_number(0, line, mapped).unwrap(), real_column);
    }

    #[test]
    fn short_lines_are_kept_whole() {
        let source = "fn f() {\n    g();\n}\n";
        let files = files_of(source);
        let at = source.find("g()").unwrap();
        let view = View::new(&files, FileId(0), std::slice::from_ref(&(at..at + 3)));
        assert_eq!(view.text, "    g();\n");
        assert_eq!(view.map(at), 4);
    }

    #[test]
    fn json_text_is_cut_with_its_highlight() {
        let text = format!("{}needle{}", "a".repeat(1000), "b".repeat(1000));
        let (cut, start, end) = cut_line(&text, 1001, 1007, true);
        assert!(cut.len() < 300);
        assert_eq!(&cut[start - 1..end - 1], "needle");
        let wide = format!("{}needle{}", "\u{e9}".repeat(1000), "b".repeat(1000));
        let (cut, start, end) = cut_line(&wide, 1001, 1007, false);
        let chars: Vec<char> = cut.chars().collect();
        assert_eq!(
            chars[start - 1..end - 1].iter().collect::<String>(),
            "needle"
        );
        assert_eq!(cut_line("short", 1, 3, true), ("short".to_string(), 1, 3));
    }
}
