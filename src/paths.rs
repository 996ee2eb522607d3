//! Path arithmetic that never touches the file system.

use std::path::{Component, Path, PathBuf};

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

/// `*` and `?` globbing within one name, iterative with single backtracking.
pub fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

/// A glob over a `/`-separated relative path: `*` and `?` stay within a component, `**`
/// matches any number of them (`src/gen/**`, `**/generated.rs`, `benches/*.rs`).
pub fn path_glob(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = pattern.trim_start_matches("./").split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    components_match(&pattern, &path)
}

fn components_match(pattern: &[&str], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|skip| components_match(rest, &path[skip..])),
        Some((first, rest)) => match path.split_first() {
            Some((component, path_rest)) => {
                glob_match(first.as_bytes(), component.as_bytes())
                    && components_match(rest, path_rest)
            }
            None => false,
        },
    }
}

#[cfg(test)]
mod glob_tests {
    use super::path_glob;

    #[test]
    fn path_globs_match_components() {
        assert!(path_glob("src/gen/**", "src/gen/a/b.rs"));
        assert!(path_glob("**/generated.rs", "src/x/generated.rs"));
        assert!(path_glob("**/generated.rs", "generated.rs"));
        assert!(path_glob("benches/*.rs", "benches/speed.rs"));
        assert!(!path_glob("benches/*.rs", "benches/sub/speed.rs"));
        assert!(!path_glob("src/*.rs", "src/a/b.rs"));
        assert!(path_glob("./src/lib.rs", "src/lib.rs"));
    }
}
