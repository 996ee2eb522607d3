//! Path arithmetic that never touches the file system, and the globs over paths and package
//! names.

use std::path::{Component, Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};

/// Removes `.` and resolves `..` lexically.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `path` relative to `base`, with `..` where needed; the path as it is when they share no
/// more than the root.
pub fn relative_to(path: &Path, base: &Path) -> String {
    let path_parts: Vec<Component> = path.components().collect();
    let base_parts: Vec<Component> = base.components().collect();
    let common = path_parts
        .iter()
        .zip(&base_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 || (common == 1 && matches!(path_parts[0], Component::RootDir)) {
        return path.display().to_string();
    }
    let mut out = PathBuf::new();
    for _ in common..base_parts.len() {
        out.push("..");
    }
    for part in &path_parts[common..] {
        out.push(part.as_os_str());
    }
    out.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_where_they_can_be() {
        let p = |s: &str| Path::new(s).to_path_buf();
        assert_eq!(
            relative_to(&p("/w/ws/src/lib.rs"), &p("/w/ws")),
            "src/lib.rs"
        );
        assert_eq!(
            relative_to(&p("/w/ws/a/src/lib.rs"), &p("/w/ws/b")),
            "../a/src/lib.rs"
        );
        assert_eq!(relative_to(&p("/other/x.rs"), &p("/w/ws")), "/other/x.rs");
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d.rs")),
            Path::new("/a/c/d.rs")
        );
        assert_eq!(normalize(Path::new("../x")), Path::new("../x"));
    }
}

/// Path globs, as `exclude` in the configuration writes them, over `/`-separated relative
/// paths: `*`, `?` and `[abc]` stay within a component, `**` matches any number of them
/// (`src/gen/**`, `**/generated.rs`, `benches/*.rs`), `{a,b}` either. A leading `./` is
/// dropped. Matching takes time linear in the path, whatever the pattern (globset compiles to
/// a regular expression automaton; no backtracking).
pub fn path_globs<'a>(
    patterns: impl IntoIterator<Item = &'a str>,
) -> Result<GlobSet, globset::Error> {
    let mut set = GlobSetBuilder::new();
    for pattern in patterns {
        set.add(path_glob(pattern)?);
    }
    set.build()
}

/// One path glob of [`path_globs`].
pub fn path_glob(pattern: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(pattern.trim_start_matches("./"))
        .literal_separator(true)
        .build()
}

/// Globs over item paths, as `[contracts]` writes them: `crate::audio::render`, `dsp::*`,
/// `smallvec::SmallVec::*`. `*`, `?` and `[abc]` stay within a segment, `**` matches any
/// number of segments, `{a,b}` either; segments are separated by `::`. Matched against paths
/// written with `::` (see [`item_path_key`]).
pub fn item_globs<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Result<GlobSet, String> {
    let mut set = GlobSetBuilder::new();
    for pattern in patterns {
        set.add(item_glob(pattern)?);
    }
    set.build().map_err(|e| e.to_string())
}

/// One item-path glob of [`item_globs`]; an error says what is wrong with it.
pub fn item_glob(pattern: &str) -> Result<Glob, String> {
    if pattern.contains('/') || pattern.trim().is_empty() {
        return Err(format!(
            "`{pattern}` is not an item path: write its segments separated by `::` \
             (`crate::audio::render`, `dsp::*`)"
        ));
    }
    GlobBuilder::new(&pattern.replace("::", "/"))
        .literal_separator(true)
        .build()
        .map_err(|e| format!("invalid item path glob `{pattern}`: {}", e.kind()))
}

/// An item path (`dsp::Mixer::mix`) as [`item_globs`] match it.
pub fn item_path_key(segments: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let mut out = String::new();
    for (i, s) in segments.into_iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(s.as_ref());
    }
    out
}

/// Whether a package spec is a pattern, as cargo decides it: it has `*`, `?`, `[` or `]`.
pub fn is_name_glob(spec: &str) -> bool {
    spec.contains(['*', '?', '[', ']'])
}

/// A pattern over package names, with cargo's semantics (the `glob` crate's): `*`, `?`,
/// `[abc]`, `[a-z]` and `[!a]`.
pub fn name_glob(pattern: &str) -> Result<GlobMatcher, globset::Error> {
    Ok(Glob::new(pattern)?.compile_matcher())
}

#[cfg(test)]
mod glob_tests {
    use super::*;

    fn matches(pattern: &str, path: &str) -> bool {
        path_globs([pattern]).unwrap().is_match(path)
    }

    #[test]
    fn path_globs_match_components() {
        assert!(matches("src/gen/**", "src/gen/a/b.rs"));
        assert!(matches("**/generated.rs", "src/x/generated.rs"));
        assert!(matches("**/generated.rs", "generated.rs"));
        assert!(matches("benches/*.rs", "benches/speed.rs"));
        assert!(!matches("benches/*.rs", "benches/sub/speed.rs"));
        assert!(!matches("src/*.rs", "src/a/b.rs"));
        assert!(matches("./src/lib.rs", "src/lib.rs"));
        assert!(matches("src/[ab].rs", "src/b.rs"));
        assert!(path_globs(["src/[ab"]).is_err());
    }

    #[test]
    fn item_globs_match_segments() {
        let m = |pattern: &str, path: &[&str]| {
            item_globs([pattern]).unwrap().is_match(item_path_key(path))
        };
        assert!(m("dsp::*", &["dsp", "mix"]));
        assert!(!m("dsp::*", &["dsp", "Mixer", "mix"]));
        assert!(m("dsp::**", &["dsp", "Mixer", "mix"]));
        assert!(m(
            "smallvec::SmallVec::push",
            &["smallvec", "SmallVec", "push"]
        ));
        assert!(m("crate::audio::{render,mix}", &["crate", "audio", "mix"]));
        assert!(item_glob("a/b").is_err() && item_glob("a::[b").is_err());
    }

    #[test]
    fn name_globs_match_like_cargo_package_patterns() {
        let m = |pattern: &str, name: &str| name_glob(pattern).unwrap().is_match(name);
        assert!(m("serde*", "serde_json"));
        assert!(m("*json", "serde_json"));
        assert!(m("s?rde", "serde"));
        assert!(!m("serde*", "tokio"));
        assert!(m("*", ""));
        assert!(!m("a*b", "acbd"));
        assert!(m("h[e]llo", "hello"));
        assert!(m("h[a-f]llo", "hello"));
        assert!(m("h[!a]llo", "hello"));
        assert!(!m("h[!e]llo", "hello"));
        assert!(is_name_glob("h[e]llo") && is_name_glob("a?") && !is_name_glob("hello"));
    }
}
