//! How much stack parsing a file may take, estimated from its tokens before syn sees it.
//!
//! syn's parser is recursive descent: it recurses once per level of brackets, of prefix
//! operators (`!!!x`, `&&&x`, `- - x`), of right-associative operators (`a = b = c`), of
//! closures (`|_| |_| x`), of types (`&'a &'a T`, `*const *const T`, `Vec< Vec< T >>`,
//! `fn() -> fn() -> T`), of `return return x`, `break 'a break 'a`, `else if`… Left-deep
//! chains (`a + b + c`, `x.f().g()`, `x?`, `x as T`) are parsed in a loop, but the tree they make
//! is as deep as they are long, and dropping it, like lowering it, recurses once per level.
//! A file deep enough in any of these overflows the thread's stack, which aborts the process:
//! no panic, nothing to catch.
//!
//! So the scan gives every token a cost in stack bytes, an upper bound of what one level of
//! its construct costs syn, our lowering and the drop of syn's tree:
//! - a **heavy** level ([`HEAVY`]): a bracket, a prefix operator, a keyword, a `<` (which may
//!   open generic arguments), a closure's `|`, `->`, an assignment;
//! - a **light** level ([`LIGHT`]): a binary operator after an operand, a postfix `.`, `?` or
//!   `as`, a call's or an index's brackets once closed.
//!
//! The estimate at a token is the sum over the open brackets of the cost since each one's list
//! started. It goes back down only where syn's depth does, and never below it:
//! - `,` starts a new element of a list: the cost returns to the start of the innermost list,
//!   a bracket, or a `<` not yet closed (generic arguments are lists too);
//! - `;` and `=>` end a statement or an arm, and so does a `}` followed by a word, a literal, a
//!   label or an attribute: an item (`fn a() {} fn b() {}`) or a block-like statement
//!   (`if a {} f();`) ends there, while a `}` followed by `else`, `as`, an operator or a bracket
//!   may be inside an expression that goes on;
//! - a closed bracket, and a `<` closed by `>`, leave a single operand behind;
//! - a token that cannot appear in a type (`||`, `==`, `;`, `.`, `if`…) shows that the `<`s
//!   still open at its level were comparisons, not generics: had syn been inside generic
//!   arguments it would have stopped there with an error, so they count as light.
//!
//! One overestimate is known: a comparison followed by a comma (`f(a < b, c)`) looks like open
//! generic arguments (`T<A, C>`), so it keeps its heavy level until its bracket closes.
//!
//! The peak is what the file needs. A file that needs more than [`MAX_STACK`] is not parsed (a
//! `parse_error` says so); one that needs more than a worker has is parsed on a thread of its
//! own with the stack it needs (see `load::parse`). Real code needs a few megabytes at most.
//!
//! The costs were measured on syn 3 with the shapes above (the worst is spaced generic
//! arguments: about 6 KiB a level in a release build, 51 KiB in a debug one) and carry a margin
//! for our own lowering; `tests/hostile.rs` runs every shape through the binary.

/// Stack bytes a heavy level may cost, by build: debug builds use far larger frames.
#[cfg(debug_assertions)]
pub const HEAVY: u64 = 64 << 10;
#[cfg(not(debug_assertions))]
pub const HEAVY: u64 = 10 << 10;

/// Stack bytes a light level may cost: dropping one node of a left-deep tree.
#[cfg(debug_assertions)]
pub const LIGHT: u64 = 256;
#[cfg(not(debug_assertions))]
pub const LIGHT: u64 = 160;

/// The most stack a file may need. Beyond it the file is not parsed: parsing it would take
/// that much memory, and no real code comes near.
pub const MAX_STACK: u64 = 256 << 20;

/// The estimate as the scan goes, token by token.
#[derive(Debug, Default)]
pub struct Estimate {
    /// The estimate at the current token.
    now: u64,
    /// For each open bracket: the estimate before it opened, and where its list starts.
    levels: Vec<Level>,
    /// Lists opened without a bracket and not yet closed: `<` (maybe generic arguments) and a
    /// closure's `|` (its parameters). Each with the bracket depth it is at and the estimate
    /// just after it.
    lists: Vec<List>,
    /// Whether the last token ended an operand, so that a following `-`, `*`, `&`, `|` or `!`
    /// is a binary operator rather than a prefix one.
    operand: bool,
    /// Whether the last token closed a `{ .. }`.
    after_brace: bool,
    /// The highest estimate so far, and where.
    pub peak: u64,
    pub peak_at: usize,
}

#[derive(Debug)]
struct Level {
    before: u64,
    start: u64,
}

#[derive(Clone, Copy, Debug)]
struct List {
    depth: u32,
    after: u64,
    closure: bool,
}

/// A punctuation token, as the estimate sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Punct {
    Comma,
    Semi,
    FatArrow,
    /// `<`
    Lt,
    /// `<<`
    Shl,
    /// `>`, `>>`, `>=`, `>>=`: how many `>` it holds, and whether it ends in `=`.
    Gt {
        closes: u8,
        eq: bool,
    },
    /// `->`
    Arrow,
    /// `=`
    Eq,
    /// `+=`, `-=`, `<<=`…: right-associative like `=`, and never in a type.
    CompoundAssign,
    /// `==`, `!=`, `<=`, `/`, `%`, `^`, `.`, `..`: binary or postfix, never in a type.
    NotInType,
    /// `&&` and `||`
    Double(u8),
    /// `&`, `*`, `-`, `!`, `|`: prefix or binary, by what comes before.
    Ambiguous(u8),
    /// `?`: postfix after an operand, `?Sized` before a bound.
    Question,
    /// `@` in patterns: `a @ b @ ..` nests.
    At,
    /// `#`, which starts an attribute.
    Hash,
    /// Anything else: `::`, `:`, `+`, `#`, `~`, `$`.
    Other,
}

/// The punctuation token starting at `i`, and its length. `bytes[i]` is ASCII punctuation.
pub fn punct_at(bytes: &[u8], i: usize) -> (Punct, usize) {
    let at = |k: usize| bytes.get(i + k).copied().unwrap_or(b' ');
    let (a, b, c) = (at(0), at(1), at(2));
    match (a, b, c) {
        (b'<', b'<', b'=') | (b'>', b'>', b'=') if a == b'<' => (Punct::CompoundAssign, 3),
        (b'>', b'>', b'=') => (
            Punct::Gt {
                closes: 2,
                eq: true,
            },
            3,
        ),
        (b'.', b'.', b'.' | b'=') => (Punct::NotInType, 3),
        (b'<', b'<', _) => (Punct::Shl, 2),
        (b'<', b'=', _) => (Punct::NotInType, 2),
        (b'<', b'-', _) => (Punct::Lt, 1),
        (b'>', b'>', _) => (
            Punct::Gt {
                closes: 2,
                eq: false,
            },
            2,
        ),
        (b'>', b'=', _) => (
            Punct::Gt {
                closes: 1,
                eq: true,
            },
            2,
        ),
        (b'-', b'>', _) => (Punct::Arrow, 2),
        (b'=', b'>', _) => (Punct::FatArrow, 2),
        (b'=', b'=', _) | (b'!', b'=', _) | (b'.', b'.', _) => (Punct::NotInType, 2),
        (b'&', b'&', _) | (b'|', b'|', _) => (Punct::Double(a), 2),
        (b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'&' | b'|', b'=', _) => {
            (Punct::CompoundAssign, 2)
        }
        (b':', b':', _) => (Punct::Other, 2),
        (b',', _, _) => (Punct::Comma, 1),
        (b';', _, _) => (Punct::Semi, 1),
        (b'<', _, _) => (Punct::Lt, 1),
        (b'>', _, _) => (
            Punct::Gt {
                closes: 1,
                eq: false,
            },
            1,
        ),
        (b'=', _, _) => (Punct::Eq, 1),
        (b'/' | b'%' | b'^' | b'.', _, _) => (Punct::NotInType, 1),
        (b'&' | b'*' | b'-' | b'!' | b'|', _, _) => (Punct::Ambiguous(a), 1),
        (b'?', _, _) => (Punct::Question, 1),
        (b'@', _, _) => (Punct::At, 1),
        (b'#', _, _) => (Punct::Hash, 1),
        _ => (Punct::Other, 1),
    }
}

/// What a word is to the estimate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Word {
    /// An identifier, a literal, `self`, `true`…: an operand.
    Operand,
    /// `as`: a left-deep cast chain.
    As,
    /// A keyword that may nest (`return`, `if`, `impl`, `fn`, `mut`, `dyn`…).
    Keyword,
    /// A keyword that may nest and never appears in a type (`if`, `match`, `let`, `return`…).
    StatementKeyword,
    /// `else`, which goes on with the `if` before it.
    Else,
}

pub fn word(text: &[u8]) -> Word {
    match text {
        b"as" => Word::As,
        b"else" => Word::Else,
        b"if" | b"match" | b"let" | b"while" | b"loop" | b"return" | b"break" | b"continue"
        | b"in" | b"yield" | b"become" | b"do" | b"try" => Word::StatementKeyword,
        b"abstract" | b"async" | b"box" | b"const" | b"dyn" | b"enum" | b"extern" | b"final"
        | b"fn" | b"for" | b"impl" | b"macro" | b"mod" | b"move" | b"mut" | b"override"
        | b"priv" | b"pub" | b"ref" | b"static" | b"struct" | b"trait" | b"type" | b"typeof"
        | b"unsafe" | b"unsized" | b"use" | b"virtual" | b"where" | b"gen" => Word::Keyword,
        _ => Word::Operand,
    }
}

impl Estimate {
    fn add(&mut self, cost: u64, at: usize) {
        self.now += cost;
        if self.now > self.peak {
            self.peak = self.now;
            self.peak_at = at;
        }
    }

    fn depth(&self) -> u32 {
        self.levels.len() as u32
    }

    /// Where the innermost list starts: its bracket, its last unclosed `<`, or the parameters
    /// of a closure.
    fn list_start(&self) -> u64 {
        let bracket = self.levels.last().map_or(0, |l| l.start);
        match self.lists.last() {
            Some(list) if list.depth == self.depth() => list.after.max(bracket),
            _ => bracket,
        }
    }

    /// The innermost open list, if it is at this bracket depth.
    fn list_here(&self, closure: bool) -> Option<List> {
        self.lists
            .last()
            .copied()
            .filter(|l| l.depth == self.depth() && l.closure == closure)
    }

    fn open_list(&mut self, closure: bool, at: usize) {
        self.add(HEAVY, at);
        self.lists.push(List {
            depth: self.depth(),
            after: self.now,
            closure,
        });
    }

    /// The `<`s open at this level were comparisons: each counts as light from now on.
    fn not_in_type(&mut self) {
        while self.list_here(false).is_some() {
            self.lists.pop();
            self.now = self.now.saturating_sub(HEAVY - LIGHT);
        }
    }

    /// After a `}`, a token that can only start an item or a statement: the one before ended.
    fn statement_starts(&mut self) {
        if std::mem::take(&mut self.after_brace) {
            self.now = self.list_start();
        }
    }

    pub fn open(&mut self, at: usize) {
        self.after_brace = false;
        let before = self.now;
        self.add(HEAVY, at);
        self.levels.push(Level {
            before,
            start: self.now,
        });
        self.operand = false;
    }

    /// Closes the innermost bracket; `brace` when it is a `}`.
    pub fn close(&mut self, at: usize, brace: bool) {
        let depth = self.depth();
        while self.lists.last().is_some_and(|l| l.depth >= depth) {
            self.lists.pop();
        }
        if let Some(level) = self.levels.pop() {
            // The group is one operand of what surrounds it.
            self.now = level.before;
            self.add(LIGHT, at);
        }
        self.operand = true;
        self.after_brace = brace;
    }

    pub fn word(&mut self, word: Word, at: usize) {
        match word {
            Word::As | Word::Else => self.after_brace = false,
            _ => self.statement_starts(),
        }
        match word {
            Word::Operand => self.operand = true,
            Word::As => {
                self.add(LIGHT, at);
                self.operand = false;
            }
            Word::Keyword => {
                self.add(HEAVY, at);
                self.operand = false;
            }
            Word::StatementKeyword | Word::Else => {
                self.not_in_type();
                self.add(HEAVY, at);
                self.operand = false;
            }
        }
    }

    /// A literal (a string, a character) is an operand; a lifetime is not.
    pub fn literal(&mut self) {
        self.statement_starts();
        self.operand = true;
    }

    pub fn lifetime(&mut self) {
        self.statement_starts();
        self.operand = false;
    }

    pub fn punct(&mut self, punct: Punct, at: usize) {
        if punct == Punct::Hash {
            self.statement_starts();
        }
        self.after_brace = false;
        let operand = std::mem::replace(&mut self.operand, false);
        match punct {
            Punct::Comma => self.now = self.list_start(),
            Punct::Semi | Punct::FatArrow => {
                self.not_in_type();
                self.now = self.list_start();
            }
            Punct::Lt => self.open_list(false, at),
            Punct::Shl if operand => {
                self.not_in_type();
                self.add(LIGHT, at);
            }
            Punct::Shl => {
                // `<<T as A>::B as C>::D`: two qualified paths.
                self.open_list(false, at);
                self.open_list(false, at);
            }
            Punct::Gt { closes, eq } => {
                let mut closed = 0;
                while closed < closes
                    && let Some(list) = self.list_here(false)
                {
                    // What the arguments added goes; the generic type is one operand.
                    self.lists.pop();
                    self.now = list.after - HEAVY;
                    self.add(LIGHT, at);
                    closed += 1;
                }
                if closed == closes {
                    self.operand = true;
                    if eq {
                        self.add(HEAVY, at);
                        self.operand = false;
                    }
                } else {
                    // A comparison or a shift.
                    self.not_in_type();
                    self.add(if eq && closes == 2 { HEAVY } else { LIGHT }, at);
                }
            }
            Punct::Arrow | Punct::Eq | Punct::At => self.add(HEAVY, at),
            Punct::CompoundAssign => {
                self.not_in_type();
                self.add(HEAVY, at);
            }
            Punct::NotInType => {
                self.not_in_type();
                self.add(LIGHT, at);
            }
            Punct::Double(_) if operand => {
                self.not_in_type();
                self.add(LIGHT, at);
            }
            // `&&x` is two references; `|| x` a closure.
            Punct::Double(b'&') => self.add(2 * HEAVY, at),
            Punct::Double(_) => self.add(HEAVY, at),
            // A closure's parameters are a list, closed by the next `|` after an operand; its
            // body nests in the closure, which stays heavy.
            Punct::Ambiguous(b'|') if !operand => self.open_list(true, at),
            Punct::Ambiguous(b'|') if self.list_here(true).is_some() => {
                self.lists.pop();
            }
            Punct::Ambiguous(b'|') => {
                self.not_in_type();
                self.add(LIGHT, at);
            }
            Punct::Ambiguous(_) if operand => self.add(LIGHT, at),
            Punct::Ambiguous(_) => self.add(HEAVY, at),
            Punct::Question if operand => {
                self.not_in_type();
                self.add(LIGHT, at);
                self.operand = true;
            }
            Punct::Question | Punct::Hash | Punct::Other => self.add(LIGHT, at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::source::{PIECE_BYTES, prepare, stack_of};
    use super::*;

    /// A source text with `n` levels of some construct.
    type Shape = Box<dyn Fn(usize) -> String>;

    /// The stack one more level of `shape` adds, measured between 100 and 200 levels.
    fn per_level(shape: impl Fn(usize) -> String) -> u64 {
        (stack_of(&shape(200)) - stack_of(&shape(100))) / 100
    }

    #[test]
    fn every_nesting_construct_costs_a_heavy_level() {
        let shapes: Vec<(&str, Shape)> = vec![
            (
                "brackets",
                Box::new(|n| format!("fn f() {{ {}1{} }}", "(".repeat(n), ")".repeat(n))),
            ),
            (
                "tight generics",
                Box::new(|n| format!("type T = {}u8{};", "Vec<".repeat(n), ">".repeat(n))),
            ),
            (
                "spaced generics",
                Box::new(|n| format!("type T = {}u8;", "Vec< ".repeat(n))),
            ),
            (
                "nots",
                Box::new(|n| format!("fn f() {{ {}a; }}", "! ".repeat(n))),
            ),
            (
                "negations",
                Box::new(|n| format!("fn f() {{ {}a; }}", "-".repeat(n))),
            ),
            (
                "references",
                Box::new(|n| format!("fn f() {{ {}a; }}", "&mut ".repeat(n))),
            ),
            (
                "double references",
                Box::new(|n| format!("fn f() {{ {}a; }}", "&&".repeat(n))),
            ),
            (
                "assignments",
                Box::new(|n| format!("fn f() {{ {}a; }}", "a = ".repeat(n))),
            ),
            (
                "compound assignments",
                Box::new(|n| format!("fn f() {{ {}a; }}", "a += ".repeat(n))),
            ),
            (
                "closures",
                Box::new(|n| format!("fn f() {{ {}x; }}", "|_| ".repeat(n))),
            ),
            (
                "closures with lists",
                Box::new(|n| format!("fn f() {{ {}x; }}", "|a, b| ".repeat(n))),
            ),
            (
                "move closures",
                Box::new(|n| format!("fn f() {{ {}x; }}", "move || ".repeat(n))),
            ),
            (
                "impl Fn",
                Box::new(|n| format!("fn f() -> {}u8 {{}}", "impl Fn() -> ".repeat(n))),
            ),
            (
                "fn pointers",
                Box::new(|n| format!("type T = {}u8;", "fn() -> ".repeat(n))),
            ),
            (
                "raw pointers",
                Box::new(|n| format!("type T = {}u8;", "*const ".repeat(n))),
            ),
            (
                "lifetimes",
                Box::new(|n| format!("type T<'a> = {}u8;", "&'a ".repeat(n))),
            ),
            (
                "labelled breaks",
                Box::new(|n| format!("fn f() {{ 'a: loop {{ {}(); }} }}", "break 'a ".repeat(n))),
            ),
            (
                "returns",
                Box::new(|n| format!("fn f() {{ {}x; }}", "return ".repeat(n))),
            ),
            (
                "else ifs",
                Box::new(|n| format!("fn f() {{ if a {{}} {} }}", "else if a {} ".repeat(n))),
            ),
            (
                "assigned struct literals",
                Box::new(|n| format!("fn f() {{ {}x; }}", "S {} = ".repeat(n))),
            ),
            (
                "blocks as operands",
                Box::new(|n| format!("fn f() {{ {}x; }}", "{} = ".repeat(n))),
            ),
            (
                "bindings",
                Box::new(|n| format!("fn f() {{ let {}x = 1; }}", "a @ ".repeat(n))),
            ),
            // A comma inside generic arguments or a closure's parameters does not end the
            // nesting around it.
            (
                "generics with lists",
                Box::new(|n| format!("type T = {}u8;", "Map<A, ".repeat(n))),
            ),
            (
                "qualified paths",
                Box::new(|n| format!("type T = {}u8;", "<<T as A>::B as ".repeat(n))),
            ),
        ];
        for (name, shape) in shapes {
            let cost = per_level(shape);
            assert!(cost >= HEAVY, "{name}: {cost} bytes a level, under {HEAVY}");
        }
    }

    #[test]
    fn left_deep_chains_cost_a_light_level() {
        let shapes: Vec<(&str, Shape)> = vec![
            (
                "sums",
                Box::new(|n| format!("fn f() {{ 1{}; }}", " + 1".repeat(n))),
            ),
            (
                "method calls",
                Box::new(|n| format!("fn f() {{ x{}; }}", ".f()".repeat(n))),
            ),
            (
                "fields",
                Box::new(|n| format!("fn f() {{ x{}; }}", ".f".repeat(n))),
            ),
            (
                "tries",
                Box::new(|n| format!("fn f() {{ x{}; }}", "?".repeat(n))),
            ),
            (
                "casts",
                Box::new(|n| format!("fn f() {{ x{}; }}", " as u8".repeat(n))),
            ),
            (
                "calls",
                Box::new(|n| format!("fn f() {{ x{}; }}", "()".repeat(n))),
            ),
            (
                "indexes",
                Box::new(|n| format!("fn f() {{ x{}; }}", "[0]".repeat(n))),
            ),
            (
                "comparisons",
                Box::new(|n| format!("fn f() {{ let _ = {}; }}", vec!["x<1"; n].join(" || "))),
            ),
            (
                "generic casts",
                Box::new(|n| format!("fn f() {{ x{}; }}", " as Vec<u8>".repeat(n))),
            ),
        ];
        for (name, shape) in shapes {
            let cost = per_level(shape);
            assert!(
                (LIGHT..HEAVY).contains(&cost),
                "{name}: {cost} bytes a level, not light"
            );
        }
    }

    #[test]
    fn lists_do_not_add_up() {
        // Each element, statement or arm starts again where its list starts.
        let flat: Vec<String> = vec![
            format!(
                "static T: [u128; 3000] = [{}];",
                (0..3000)
                    .map(|i| format!("1u128 << {}", i % 128))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!(
                "static T: [u64; 3000] = [{}];",
                (0..3000)
                    .map(|i| format!("1<<{}", i % 64))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            format!(
                "fn f(x: u32) -> u32 {{ match x {{ {} _ => 0 }} }}",
                (0..3000)
                    .map(|i| format!("x if x < {i} => {i},"))
                    .collect::<String>()
            ),
            format!("fn f() {{ {} }}", "let a: Vec<u8> = !b;".repeat(3000)),
            format!(
                "struct S {{ {} }}",
                (0..3000)
                    .map(|i| format!("f{i}: HashMap<u8, Vec<&'static str>>,"))
                    .collect::<String>()
            ),
            format!(
                "fn f() {{ g({}); }}",
                vec!["|a, b| a.lt(b)"; 3000].join(", ")
            ),
            "pub fn f(v: &mut Vec<u32>) -> Option<Box<u32>> { for x in v.iter() { if *x > 1 { g(); } else { h(); } } None }\n".repeat(3000),
            format!("impl S {{ {} }}", "#[inline] pub fn f(&self) -> &[u8] { &self.0 }\n".repeat(3000)),
            format!("fn f() {{ {} }}", "if a { b() } while c { d() } 'l: loop { break 'l; } {}\n".repeat(3000)),
        ];
        for text in &flat {
            let stack = stack_of(text);
            assert!(stack < 16 * HEAVY, "{stack} bytes for {}", &text[..60]);
        }
    }

    #[test]
    fn comparisons_as_list_elements_are_taken_for_open_generics() {
        // `f(a < b, c)` and `T<A, C>` look alike to a lexer, so a comparison followed by a comma
        // keeps its heavy level until the list's bracket closes: an overestimate, bounded by the
        // number of such elements in one list.
        let cost = per_level(|n| format!("fn f() {{ g({}); }}", vec!["a < b"; n].join(", ")));
        assert!(cost >= HEAVY);
        let closed = format!("fn f() {{ {} }}", "g(a < b, c);".repeat(3000));
        assert!(stack_of(&closed) < 16 * HEAVY);
    }

    #[test]
    fn large_files_are_cut_between_items() {
        let item = "#[inline]\npub fn f(x: u8) -> u8 {\n    match x { 0 => 1, _ => { x } }\n}\nconst C: u8 = 1;\n";
        let text = item.repeat(5 * PIECE_BYTES / 2 / item.len());
        let pieces = prepare(text.clone(), false).unwrap().pieces;
        assert_eq!(pieces.len(), 2, "{pieces:?}");
        for &at in &pieces {
            assert!(matches!(text.as_bytes()[at - 1], b'}' | b';'));
            let next = text[at..].trim_start();
            assert!(next.starts_with("#[inline]") || next.starts_with("const"));
            assert!(at >= PIECE_BYTES);
        }
        // One long line is cut too; a `}` followed by what goes on with it is not an end.
        let line = "fn f() {} const S: T = T {} ; ".repeat(PIECE_BYTES / 10);
        let pieces = prepare(line.clone(), false).unwrap().pieces;
        assert!(!pieces.is_empty());
        for &at in &pieces {
            let next = line[at..].trim_start();
            assert!(
                next.starts_with("fn") || next.starts_with("const"),
                "{next:.20}"
            );
        }
        assert!(pieces[1] - pieces[0] >= PIECE_BYTES);
        assert!(prepare(item.repeat(100), false).unwrap().pieces.is_empty());
    }
}
