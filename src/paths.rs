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
