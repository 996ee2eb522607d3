//! `#[cfg(..)]` predicates, evaluated without a build configuration.
//!
//! cargo escape never builds, so it does not know which features, target or other cfgs a
//! build would set. It analyzes code under all of them, with one exception: `cfg(test)` code
//! is analyzed only when test targets are selected. Predicates are therefore evaluated in
//! three-valued logic, where every atom except `test` (and our own `escape`) is unknown, and
//! only an item whose predicate is certainly false is left out.

use syn::punctuated::Punctuated;
use syn::{Meta, Token};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }
}

/// What `test` evaluates to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestCfg {
    /// No test target is selected: only non-test builds are analyzed.
    Off,
    /// Test targets are selected: both test and non-test builds are analyzed, so `test` may be
    /// either.
    Both,
}

/// Evaluates the predicate of a `cfg(..)` or `cfg_attr(..)` list, given as its tokens.
pub fn eval_tokens(tokens: proc_macro2::TokenStream, test: TestCfg) -> Tri {
    match syn::parse2::<Meta>(tokens) {
        Ok(meta) => eval(&meta, test),
        Err(_) => Tri::Unknown,
    }
}

pub fn eval(meta: &Meta, test: TestCfg) -> Tri {
    match meta {
        Meta::Path(path) => {
            if path.is_ident("test") {
                match test {
                    TestCfg::Off => Tri::False,
                    TestCfg::Both => Tri::Unknown,
                }
            } else if path.is_ident("escape") {
                Tri::True
            } else if path.is_ident("false") {
                Tri::False
            } else if path.is_ident("true") {
                Tri::True
            } else {
                Tri::Unknown
            }
        }
        Meta::NameValue(_) => Tri::Unknown,
        Meta::List(list) => {
            let args = list
                .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .ok();
            let Some(args) = args else {
                return Tri::Unknown;
            };
            if list.path.is_ident("not") {
                match args.first() {
                    Some(inner) if args.len() == 1 => eval(inner, test).not(),
                    _ => Tri::Unknown,
                }
            } else if list.path.is_ident("all") {
                let mut result = Tri::True;
                for arg in &args {
                    match eval(arg, test) {
                        Tri::False => return Tri::False,
                        Tri::Unknown => result = Tri::Unknown,
                        Tri::True => {}
                    }
                }
                result
            } else if list.path.is_ident("any") {
                let mut result = Tri::False;
                for arg in &args {
                    match eval(arg, test) {
                        Tri::True => return Tri::True,
                        Tri::Unknown => result = Tri::Unknown,
                        Tri::False => {}
                    }
                }
                result
            } else {
                Tri::Unknown
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pred: &str, test: TestCfg) -> Tri {
        eval_tokens(pred.parse().unwrap(), test)
    }

    #[test]
    fn only_test_and_constants_are_known() {
        use TestCfg::*;
        assert_eq!(check("test", Off), Tri::False);
        assert_eq!(check("test", Both), Tri::Unknown);
        assert_eq!(check("not(test)", Off), Tri::True);
        assert_eq!(check("feature = \"x\"", Off), Tri::Unknown);
        assert_eq!(check("not(feature = \"x\")", Off), Tri::Unknown);
        assert_eq!(check("all(test, feature = \"x\")", Off), Tri::False);
        assert_eq!(check("any(test, unix)", Off), Tri::Unknown);
        assert_eq!(check("any()", Both), Tri::False);
        assert_eq!(check("all()", Off), Tri::True);
        assert_eq!(check("escape", Off), Tri::True);
        assert_eq!(check("any(test, escape)", Off), Tri::True);
    }
}
