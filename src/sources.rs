//! Where source text comes from. The load stage reads every file, and asks every question about
//! the file system that module resolution needs, through a [`Sources`]:
//!
//! - [`DiskSources`], the default, reads the files on disk;
//! - [`Overlay`] puts in-memory buffers over another `Sources`, so that an editor can check
//!   text it has not saved: a buffer wins over the file at its path, and a buffer for a file
//!   that does not exist on disk makes it exist.
//!
//! The render stage reads the files it quotes through the same `Sources`, so a snippet shows
//! the text that was analyzed (an overlay buffer, not the file under it). The load stage does
//! not keep the text of every file in memory for this: it would cost as much again as the IR.
//!
//! Every failure is a [`ReadError`] value, turned into a diagnostic by the loader, which goes
//! on with the other files: a missing file, a symbolic link loop, a directory, bytes that are
//! not UTF-8. [`Limits`] holds the checks a run may add before a file is read: a size limit
//! and regular files only.

use std::collections::HashMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::paths::normalize;

/// What the load and render stages read source files through.
pub trait Sources: Sync {
    /// The bytes of the file at `path`.
    fn read_bytes(&self, path: &Path) -> Result<Vec<u8>, ReadError>;

    /// Whether anything is at `path`: a file, a directory or a symbolic link, even a broken
    /// one. A module's file is the first candidate that exists, readable or not.
    fn exists(&self, path: &Path) -> bool;

    /// `path` absolute, with symbolic links followed; when that fails, why reading it would.
    fn canonical(&self, path: &Path) -> Result<PathBuf, ReadError>;

    /// The text of the file at `path`, which must be UTF-8.
    fn read(&self, path: &Path) -> Result<String, ReadError> {
        utf8(self.read_bytes(path)?)
    }
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
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
    /// Not UTF-8. `offset` is the first bad byte, `byte` its value, `lines` the file's length.
    NotUtf8 { offset: usize, byte: u8, lines: u32 },
    /// Larger than [`Limits::max_file_bytes`].
    TooLarge { size: u64, limit: u64 },
    /// Not a regular file (a FIFO, a device, a socket), with [`Limits::regular_files_only`].
    NotRegularFile,
}

impl ReadError {
    /// What went wrong, as a sentence about the file named `shown`.
    pub fn describe(&self, shown: &str) -> String {
        match self {
            ReadError::NotFound => format!("{shown} does not exist"),
            ReadError::SymlinkLoop => {
                format!("{shown} is a symbolic link that loops back on itself")
            }
            ReadError::DanglingSymlink { target } => {
                format!("{shown} is a symbolic link to {target}, which does not exist")
            }
            ReadError::IsDirectory => format!("{shown} is a directory, not a source file"),
            ReadError::Unreadable { reason } => format!("cannot read {shown}: {reason}"),
            ReadError::NotUtf8 { offset, byte, .. } => format!(
                "{shown} is not valid UTF-8: byte 0x{byte:02X} at offset {offset} does not start a character"
            ),
            ReadError::TooLarge { size, limit } => format!(
                "{shown} is {}, larger than the {} limit, so it was not read; `--max-file-size` \
                 or `max-file-size` in escape.toml raises the limit",
                show_size(*size),
                show_size(*limit)
            ),
            ReadError::NotRegularFile => format!("{shown} is not a regular file; it was not read"),
        }
    }
}

/// Bytes as UTF-8 text, or where they stop being UTF-8.
pub fn utf8(bytes: Vec<u8>) -> Result<String, ReadError> {
    String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        ReadError::NotUtf8 {
            offset,
            byte: err.as_bytes()[offset],
            lines: line_count(err.as_bytes()),
        }
    })
}

/// Lines as `str::lines` counts them, without iterating them.
pub fn line_count(text: &[u8]) -> u32 {
    let newlines = text.iter().filter(|&&b| b == b'\n').count();
    (newlines + usize::from(text.last().is_some_and(|&b| b != b'\n'))) as u32
}

/// Sizes as people read them: `16 MiB`, `1.5 GiB`, `300 bytes`.
pub fn show_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() == 0.0 {
        format!("{value} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// The default file-size limit: a file larger than this is not read. Parsing and lowering take
/// about 40 times a file's size at their peak, so this bounds a run's memory by what one file
/// may take; hand-written code is far below it, and generated code that is not is better
/// excluded than analyzed. (Biome's `files.maxSize` is the same idea.)
pub const DEFAULT_MAX_FILE_BYTES: u64 = 16 << 20;

/// Checks made before a file is read. The default reads regular files of at most
/// [`DEFAULT_MAX_FILE_BYTES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Files larger than this many bytes are not read.
    pub max_file_bytes: Option<u64>,
    /// Only regular files (and symbolic links to them) are read: never a FIFO, whose reader
    /// would wait for a writer, nor a device.
    pub regular_files_only: bool,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: Some(DEFAULT_MAX_FILE_BYTES),
            regular_files_only: true,
        }
    }
}

impl Limits {
    /// No limit at all: every file is read whole, whatever it is.
    pub const NONE: Limits = Limits {
        max_file_bytes: None,
        regular_files_only: false,
    };
}

/// The files on disk.
#[derive(Debug, Default)]
pub struct DiskSources {
    pub limits: Limits,
    /// Directories already made canonical, so that a file's canonical path costs one step
    /// from its directory's: `fs::canonicalize` looks up every component of a path, which made
    /// a module tree `n` directories deep cost `n³`.
    dirs: std::sync::Mutex<HashMap<PathBuf, PathBuf>>,
}

impl Clone for DiskSources {
    fn clone(&self) -> DiskSources {
        DiskSources::with_limits(self.limits)
    }
}

impl DiskSources {
    /// The files on disk, read within `limits`.
    pub fn with_limits(limits: Limits) -> DiskSources {
        DiskSources {
            limits,
            dirs: Default::default(),
        }
    }

    /// `dir` made canonical from its nearest ancestor already known, one component at a
    /// time; a component that is a symbolic link (or `..`) is resolved by the file system.
    fn canonical_dir(&self, dir: &Path) -> io::Result<PathBuf> {
        let cached = |d: &Path| self.dirs.lock().ok()?.get(d).cloned();
        if let Some(known) = cached(dir) {
            return Ok(known);
        }
        // The ancestors up to one that is known, or the first one.
        let mut pending = vec![dir];
        let mut base = None;
        while let Some(parent) = pending.last().and_then(|d| d.parent()) {
            if parent.as_os_str().is_empty() {
                break;
            }
            if let Some(known) = cached(parent) {
                base = Some(known);
                break;
            }
            pending.push(parent);
        }
        let mut current = match base {
            Some(known) => known,
            None => std::fs::canonicalize(pending.pop().expect("at least `dir`"))?,
        };
        let mut learned = Vec::new();
        while let Some(next) = pending.pop() {
            let step = match next.file_name() {
                Some(name) => current.join(name),
                _ => PathBuf::new(),
            };
            current = match step.symlink_metadata() {
                Ok(m) if !m.file_type().is_symlink() && !step.as_os_str().is_empty() => step,
                _ => std::fs::canonicalize(next)?,
            };
            learned.push((next.to_path_buf(), current.clone()));
        }
        if let Ok(mut dirs) = self.dirs.lock() {
            dirs.extend(learned);
        }
        Ok(current)
    }

    /// The checks of [`Limits`], on what `path` leads to.
    fn check(&self, path: &Path) -> io::Result<Result<(), ReadError>> {
        let metadata = std::fs::metadata(path)?;
        let kind = metadata.file_type();
        // A directory is left to the read, which says what it is.
        if self.limits.regular_files_only && !kind.is_file() && !kind.is_dir() {
            return Ok(Err(ReadError::NotRegularFile));
        }
        if let Some(limit) = self.limits.max_file_bytes
            && kind.is_file()
            && metadata.len() > limit
        {
            return Ok(Err(ReadError::TooLarge {
                size: metadata.len(),
                limit,
            }));
        }
        Ok(Ok(()))
    }
}

impl Sources for DiskSources {
    fn read_bytes(&self, path: &Path) -> Result<Vec<u8>, ReadError> {
        if self.limits == Limits::NONE {
            return std::fs::read(path).map_err(|err| classify(path, &err));
        }
        self.check(path).map_err(|err| classify(path, &err))??;
        let read = || -> io::Result<Vec<u8>> {
            let file = std::fs::File::open(path)?;
            let mut bytes = Vec::new();
            match self.limits.max_file_bytes {
                // One byte past the limit tells a file that grew since it was measured.
                Some(limit) => file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?,
                None => (&file).read_to_end(&mut bytes)?,
            };
            Ok(bytes)
        };
        let bytes = read().map_err(|err| classify(path, &err))?;
        match self.limits.max_file_bytes {
            Some(limit) if bytes.len() as u64 > limit => Err(ReadError::TooLarge {
                size: bytes.len() as u64,
                limit,
            }),
            _ => Ok(bytes),
        }
    }

    fn exists(&self, path: &Path) -> bool {
        path.symlink_metadata().is_ok()
    }

    fn canonical(&self, path: &Path) -> Result<PathBuf, ReadError> {
        let fast = || -> Option<PathBuf> {
            let name = path.file_name()?;
            let dir = path.parent().filter(|d| !d.as_os_str().is_empty())?;
            let file = self.canonical_dir(dir).ok()?.join(name);
            let m = file.symlink_metadata().ok()?;
            (!m.file_type().is_symlink()).then_some(file)
        };
        match fast() {
            Some(file) => Ok(file),
            None => std::fs::canonicalize(path)
                .map_err(|_| self.read_bytes(path).err().unwrap_or(ReadError::NotFound)),
        }
    }
}

/// Turns an I/O error into the most specific reason we can give.
fn classify(path: &Path, err: &io::Error) -> ReadError {
    let is_symlink = path
        .symlink_metadata()
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false);
    if is_symlink && follows_into_loop(path) {
        return ReadError::SymlinkLoop;
    }
    match err.kind() {
        io::ErrorKind::NotFound if is_symlink => ReadError::DanglingSymlink {
            target: std::fs::read_link(path)
                .map(|t| t.display().to_string())
                .unwrap_or_default(),
        },
        io::ErrorKind::NotFound => ReadError::NotFound,
        io::ErrorKind::IsADirectory => ReadError::IsDirectory,
        _ => ReadError::Unreadable {
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

/// In-memory buffers over another [`Sources`] (the disk by default): an editor's unsaved text.
/// A buffer is found by its path, with `.` and `..` resolved, or by the path a file's symbolic
/// links lead to.
#[derive(Clone, Debug, Default)]
pub struct Overlay<S = DiskSources> {
    buffers: HashMap<PathBuf, String>,
    under: S,
}

impl<S: Sources> Overlay<S> {
    /// No buffers yet, over `under`.
    pub fn new(under: S) -> Overlay<S> {
        Overlay {
            buffers: HashMap::new(),
            under,
        }
    }

    /// Puts `text` over the file at `path`, replacing any buffer there.
    pub fn insert(&mut self, path: impl AsRef<Path>, text: impl Into<String>) {
        self.buffers.insert(normalize(path.as_ref()), text.into());
    }

    /// Takes the buffer at `path` away: the file under it shows again.
    pub fn remove(&mut self, path: impl AsRef<Path>) -> Option<String> {
        self.buffers.remove(&normalize(path.as_ref()))
    }

    /// The buffer for `path`, by its own name or by where its links lead.
    fn buffer(&self, path: &Path) -> Option<&String> {
        if self.buffers.is_empty() {
            return None;
        }
        if let Some(text) = self.buffers.get(&normalize(path)) {
            return Some(text);
        }
        let real = self.under.canonical(path).ok()?;
        self.buffers.get(&real)
    }
}

impl<S: Sources> Sources for Overlay<S> {
    fn read_bytes(&self, path: &Path) -> Result<Vec<u8>, ReadError> {
        match self.buffer(path) {
            Some(text) => Ok(text.clone().into_bytes()),
            None => self.under.read_bytes(path),
        }
    }

    fn read(&self, path: &Path) -> Result<String, ReadError> {
        match self.buffer(path) {
            Some(text) => Ok(text.clone()),
            None => self.under.read(path),
        }
    }

    fn exists(&self, path: &Path) -> bool {
        self.buffers.contains_key(&normalize(path)) || self.under.exists(path)
    }

    fn canonical(&self, path: &Path) -> Result<PathBuf, ReadError> {
        let error = match self.under.canonical(path) {
            Ok(real) => return Ok(real),
            Err(error) => error,
        };
        let path = normalize(path);
        if !self.buffers.contains_key(&path) {
            return Err(error);
        }
        // A buffer with no file under it: where it would be, in its directory's real place.
        let real_dir = path.parent().and_then(|dir| self.under.canonical(dir).ok());
        match (real_dir, path.file_name()) {
            (Some(dir), Some(name)) => Ok(dir.join(name)),
            _ => Ok(path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("escape-sources-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn lines_are_counted_as_str_lines_counts_them() {
        for text in ["", "a", "a\n", "a\nb", "a\n\n", "\n", "a\r\nb\r\n"] {
            assert_eq!(
                line_count(text.as_bytes()) as usize,
                text.lines().count(),
                "{text:?}"
            );
        }
        assert_eq!(line_count(b"caf\xE9\nau lait\n"), 2);
    }

    #[test]
    fn disk_errors_are_classified() {
        let dir = scratch("classify");
        let disk = DiskSources::default();
        assert_eq!(disk.read(&dir.join("none.rs")), Err(ReadError::NotFound));
        assert_eq!(disk.read(&dir), Err(ReadError::IsDirectory));
        std::fs::write(dir.join("latin1.rs"), b"caf\xE9\n").unwrap();
        assert_eq!(
            disk.read(&dir.join("latin1.rs")),
            Err(ReadError::NotUtf8 {
                offset: 3,
                byte: 0xE9,
                lines: 1
            })
        );
        assert_eq!(
            disk.read_bytes(&dir.join("latin1.rs")).unwrap(),
            b"caf\xE9\n"
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("loop.rs", dir.join("loop.rs")).unwrap();
            assert_eq!(disk.read(&dir.join("loop.rs")), Err(ReadError::SymlinkLoop));
            std::os::unix::fs::symlink("gone.rs", dir.join("dangling.rs")).unwrap();
            assert_eq!(
                disk.canonical(&dir.join("dangling.rs")),
                Err(ReadError::DanglingSymlink {
                    target: "gone.rs".into()
                })
            );
            assert!(disk.exists(&dir.join("dangling.rs")));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn limits_refuse_large_files_and_others_than_regular_files() {
        let dir = scratch("limits");
        std::fs::write(dir.join("big.rs"), "fn f() {}\n".repeat(10)).unwrap();
        let limited = DiskSources::with_limits(Limits {
            max_file_bytes: Some(50),
            regular_files_only: true,
        });
        assert_eq!(
            limited.read(&dir.join("big.rs")),
            Err(ReadError::TooLarge {
                size: 100,
                limit: 50
            })
        );
        let roomy = DiskSources::with_limits(Limits {
            max_file_bytes: Some(100),
            regular_files_only: true,
        });
        assert_eq!(roomy.read(&dir.join("big.rs")).unwrap().len(), 100);
        // Checks do not hide what is wrong with a path.
        assert_eq!(roomy.read(&dir.join("none.rs")), Err(ReadError::NotFound));
        assert_eq!(roomy.read(&dir), Err(ReadError::IsDirectory));
        #[cfg(target_os = "linux")]
        {
            // A character device: never read by default; read only without any limit.
            let null = Path::new("/dev/null");
            assert_eq!(limited.read(null), Err(ReadError::NotRegularFile));
            assert_eq!(
                DiskSources::default().read(null),
                Err(ReadError::NotRegularFile)
            );
            assert_eq!(
                DiskSources::with_limits(Limits::NONE).read(null),
                Ok(String::new())
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(show_size(300), "300 bytes");
        assert_eq!(show_size(16 << 20), "16 MiB");
        assert_eq!(show_size(100_000_000), "95.4 MiB");
        assert_eq!(show_size(3 << 30), "3 GiB");
    }

    #[test]
    fn a_buffer_wins_over_the_disk_and_can_stand_alone() {
        let dir = scratch("overlay");
        std::fs::write(dir.join("lib.rs"), "on disk").unwrap();
        let mut overlay = Overlay::new(DiskSources::default());
        assert_eq!(overlay.read(&dir.join("lib.rs")).unwrap(), "on disk");
        overlay.insert(dir.join("lib.rs"), "in memory");
        overlay.insert(dir.join("new.rs"), "only in memory");
        assert_eq!(overlay.read(&dir.join("./lib.rs")).unwrap(), "in memory");
        assert_eq!(
            overlay.read_bytes(&dir.join("lib.rs")).unwrap(),
            b"in memory"
        );
        assert!(overlay.exists(&dir.join("new.rs")));
        assert_eq!(overlay.read(&dir.join("new.rs")).unwrap(), "only in memory");
        let real_dir = std::fs::canonicalize(&dir).unwrap();
        assert_eq!(
            overlay.canonical(&dir.join("new.rs")).unwrap(),
            real_dir.join("new.rs")
        );
        assert!(!overlay.exists(&dir.join("other.rs")));
        assert_eq!(
            overlay.read(&dir.join("other.rs")),
            Err(ReadError::NotFound)
        );
        #[cfg(unix)]
        {
            // A buffer for a file is found through a link to it.
            std::os::unix::fs::symlink("lib.rs", dir.join("link.rs")).unwrap();
            overlay.insert(real_dir.join("lib.rs"), "through the link");
            assert_eq!(
                overlay.read(&dir.join("link.rs")).unwrap(),
                "through the link"
            );
        }
        assert!(overlay.remove(dir.join("new.rs")).is_some());
        assert!(!overlay.exists(&dir.join("new.rs")));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
