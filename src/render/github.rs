//! GitHub Actions workflow commands: `::warning file=F,line=L,col=C,endLine=..,endColumn=..,
//! title=T::MESSAGE`, one a diagnostic, which the runner turns into annotations on the diff.
//! In the message, `%`, CR and LF are escaped; in property values, `:` and `,` too. Paths are
//! relative to the current directory, which in CI is the repository's root.

use super::Files;
use crate::diagnostic::{Diagnostic, Level};

pub fn render(sources: &Files, d: &Diagnostic) -> String {
    let command = match d.level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note | Level::Help => "notice",
    };
    let start = sources.position(d.primary.file, d.primary.span.lo);
    let end = sources.position(d.primary.file, d.primary.span.hi.max(d.primary.span.lo));
    let mut message = d.message.clone();
    for child in &d.children {
        message.push_str(&format!("\n{}: {}", child.level.as_str(), child.message));
    }
    format!(
        "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        property(&sources.name(d.primary.file).replace('\\', "/")),
        start.line,
        start.column,
        end.line,
        end.column,
        property(&format!("escape::{}", d.code)),
        data(&message)
    )
}

fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::{data, property};

    #[test]
    fn escapes_as_the_runner_reads_them() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("escape::a,b"), "escape%3A%3Aa%2Cb");
    }
}
