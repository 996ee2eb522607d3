//! Stage 1: discover. Asks cargo for the workspace (`cargo metadata --no-deps`, which builds
//! nothing and runs no build script) and selects packages and targets the way cargo's own
//! commands do.

use crate::diagnostic::PackageId;
use std::path::{Path, PathBuf};

use cargo_metadata::{Metadata, Package, Target, TargetKind};

/// Which packages to analyze: cargo's `-p`, `--workspace` and `--exclude`.
#[derive(Clone, Debug, Default)]
pub struct PackageSelection {
    pub packages: Vec<String>,
    pub workspace: bool,
    pub exclude: Vec<String>,
}

/// Which targets to analyze: cargo's target selection flags.
#[derive(Clone, Debug, Default)]
pub struct TargetSelection {
    pub lib: bool,
    pub bins: bool,
    pub bin: Vec<String>,
    pub examples: bool,
    pub example: Vec<String>,
    pub tests: bool,
    pub test: Vec<String>,
    pub benches: bool,
    pub bench: Vec<String>,
    pub all_targets: bool,
}

impl TargetSelection {
    fn any(&self) -> bool {
        self.lib
            || self.bins
            || !self.bin.is_empty()
            || self.examples
            || !self.example.is_empty()
            || self.tests
            || !self.test.is_empty()
            || self.benches
            || !self.bench.is_empty()
            || self.all_targets
    }

    /// Whether a test build (`cfg(test)`) is part of the selection: test and bench targets are
    /// compiled with `--test`.
    pub fn includes_test_builds(&self) -> bool {
        self.all_targets
            || self.tests
            || !self.test.is_empty()
            || self.benches
            || !self.bench.is_empty()
    }
}

/// Options passed through to `cargo metadata`.
#[derive(Clone, Debug, Default)]
pub struct CargoOptions {
    pub manifest_path: Option<PathBuf>,
    pub frozen: bool,
    pub locked: bool,
    pub offline: bool,
    pub config: Vec<String>,
}

/// The workspace and the selected targets.
#[derive(Debug)]
pub struct Workspace {
    pub root: PathBuf,
    pub packages: Vec<PackageInfo>,
    pub targets: Vec<TargetInfo>,
}

#[derive(Debug)]
pub struct PackageInfo {
    pub id: String,
    pub name: String,
    pub manifest_path: PathBuf,
    pub dir: PathBuf,
    /// `rust-version` from the manifest, as cargo parsed it.
    pub rust_version: Option<cargo_metadata::semver::Version>,
    /// Names the code uses for dependencies (`-` turned into `_`, renames applied), each with
    /// the name of the crate it is.
    pub externs: Vec<(String, String)>,
}

#[derive(Debug)]
pub struct TargetInfo {
    /// Its package, in [`Workspace::packages`].
    pub package: PackageId,
    /// The crate name the target compiles to (`my-tool` gives `my_tool`).
    pub crate_name: String,
    pub src_path: PathBuf,
    /// cargo's own description, echoed in JSON messages.
    pub target: Target,
}

impl TargetInfo {
    /// `lib`, `bin "name"`, `test "name"`...: how cargo names a target in its summaries.
    pub fn describe(&self) -> String {
        let kind = kind_name(&self.target);
        if kind == "lib" {
            "lib".to_string()
        } else {
            format!("{kind} \"{}\"", self.target.name)
        }
    }
}

fn kind_name(target: &Target) -> &'static str {
    if is_lib(target) {
        "lib"
    } else if target.is_bin() {
        "bin"
    } else if target.is_example() {
        "example"
    } else if target.is_test() {
        "test"
    } else if target.is_bench() {
        "bench"
    } else {
        "build-script"
    }
}

fn is_lib(target: &Target) -> bool {
    target.kind.iter().any(|k| {
        matches!(
            k,
            TargetKind::Lib
                | TargetKind::RLib
                | TargetKind::DyLib
                | TargetKind::CDyLib
                | TargetKind::StaticLib
                | TargetKind::ProcMacro
        )
    })
}

/// A problem that stops the run before any analysis: exit code 2.
#[derive(Debug)]
pub struct DiscoverError {
    pub message: String,
    pub help: Option<String>,
}

impl DiscoverError {
    fn new(message: impl Into<String>) -> DiscoverError {
        DiscoverError {
            message: message.into(),
            help: None,
        }
    }
}

/// Runs `cargo metadata --no-deps` and selects packages and targets.
pub fn discover(
    cargo: &CargoOptions,
    packages: &PackageSelection,
    targets: &TargetSelection,
) -> Result<Workspace, DiscoverError> {
    let metadata = metadata(cargo)?;
    let selected = select_packages(&metadata, cargo, packages)?;
    let mut infos = Vec::with_capacity(selected.len());
    let mut out_targets = Vec::new();
    for package in selected {
        let index = infos.len();
        infos.push(package_info(package));
        for target in select_targets(package, targets) {
            out_targets.push(TargetInfo {
                package: PackageId(index as u32),
                crate_name: target.name.replace('-', "_"),
                src_path: target.src_path.clone().into_std_path_buf(),
                target: target.clone(),
            });
        }
    }
    check_named_targets(&out_targets, targets)?;
    Ok(Workspace {
        root: metadata.workspace_root.clone().into_std_path_buf(),
        packages: infos,
        targets: out_targets,
    })
}

fn metadata(cargo: &CargoOptions) -> Result<Metadata, DiscoverError> {
    let mut command = cargo_metadata::MetadataCommand::new();
    command.no_deps();
    if let Some(path) = &cargo.manifest_path {
        check_manifest_path(path)?;
        command.manifest_path(path);
    }
    let mut other = Vec::new();
    for (flag, on) in [
        ("--frozen", cargo.frozen),
        ("--locked", cargo.locked),
        ("--offline", cargo.offline),
    ] {
        if on {
            other.push(flag.to_string());
        }
    }
    for config in &cargo.config {
        other.push("--config".to_string());
        other.push(config.clone());
    }
    command.other_options(other);
    command.exec().map_err(|err| match err {
        cargo_metadata::Error::CargoMetadata { stderr } => {
            let text = stderr.trim();
            let text = text.strip_prefix("error: ").unwrap_or(text);
            DiscoverError::new(format!("`cargo metadata` failed: {text}"))
        }
        other => DiscoverError::new(format!("could not run `cargo metadata`: {other}")),
    })
}

/// `--manifest-path` names a `Cargo.toml`, in cargo's words when it does not. cargo itself
/// would take a `.rs` file for a script, which stable cargo refuses with a word about
/// `-Zscript`; here it is a source file, and the help names its package's manifest.
fn check_manifest_path(path: &Path) -> Result<(), DiscoverError> {
    if path.file_name().is_some_and(|name| name == "Cargo.toml") {
        return Ok(());
    }
    let mut error = DiscoverError::new("the manifest-path must be a path to a Cargo.toml file");
    if path.extension().is_some_and(|e| e == "rs") {
        let dir = std::path::absolute(path)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf));
        error.help = Some(match dir.as_deref().and_then(find_manifest) {
            Some(manifest) => format!(
                "`{}` is a Rust source file; its package's manifest is `{}`",
                path.display(),
                crate::paths::relative_to(&manifest, &std::env::current_dir().unwrap_or_default())
            ),
            None => format!(
                "`{}` is a Rust source file; cargo escape analyzes packages",
                path.display()
            ),
        });
    }
    Err(error)
}

fn package_info(package: &Package) -> PackageInfo {
    let manifest_path = package.manifest_path.clone().into_std_path_buf();
    let dir = manifest_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let externs = package
        .dependencies
        .iter()
        .map(|dep| {
            let code_name = dep.rename.as_deref().unwrap_or(&dep.name).replace('-', "_");
            (code_name, dep.name.replace('-', "_"))
        })
        .collect();
    PackageInfo {
        id: package.id.repr.clone(),
        name: package.name.to_string(),
        manifest_path,
        dir,
        rust_version: package.rust_version.clone(),
        externs,
    }
}

/// cargo's package selection, with its errors: a `-p` spec that matches no member, and
/// `--exclude` without `--workspace`.
fn select_packages<'m>(
    metadata: &'m Metadata,
    cargo: &CargoOptions,
    selection: &PackageSelection,
) -> Result<Vec<&'m Package>, DiscoverError> {
    let members: Vec<&Package> = metadata
        .packages
        .iter()
        .filter(|p| metadata.workspace_members.contains(&p.id))
        .collect();
    if !selection.exclude.is_empty() && !selection.workspace {
        return Err(DiscoverError::new(
            "--exclude can only be used together with --workspace",
        ));
    }
    let mut chosen: Vec<&Package> = if selection.workspace {
        let exclude = Spec::parse_all(&selection.exclude)?;
        members
            .iter()
            .copied()
            .filter(|p| !exclude.iter().any(|spec| spec.matches(p)))
            .collect()
    } else if !selection.packages.is_empty() {
        let specs = Spec::parse_all(&selection.packages)?;
        for spec in &specs {
            if !members.iter().any(|p| spec.matches(p)) {
                let names: Vec<&str> = members.iter().map(|p| p.name.as_str()).collect();
                let text = spec.text;
                let mut error = DiscoverError::new(format!(
                    "package ID specification `{text}` did not match any packages"
                ));
                error.help = crate::suggest::did_you_mean(
                    text.split('@').next().unwrap_or(text),
                    names.iter().copied(),
                );
                return Err(error);
            }
        }
        members
            .iter()
            .copied()
            .filter(|p| specs.iter().any(|spec| spec.matches(p)))
            .collect()
    } else {
        default_members(metadata, &members, cargo)
    };
    chosen.sort_by(|a, b| a.name.cmp(&b.name).then(a.version.cmp(&b.version)));
    Ok(chosen)
}

/// Like cargo: inside a member's directory (or with its `--manifest-path`), that member;
/// otherwise the workspace's default members.
fn default_members<'m>(
    metadata: &'m Metadata,
    members: &[&'m Package],
    cargo: &CargoOptions,
) -> Vec<&'m Package> {
    let manifest = match &cargo.manifest_path {
        Some(path) => std::path::absolute(path).ok(),
        None => std::env::current_dir()
            .ok()
            .and_then(|dir| find_manifest(&dir)),
    };
    let root_manifest = metadata
        .workspace_root
        .join("Cargo.toml")
        .into_std_path_buf();
    if let Some(manifest) = manifest.map(|m| crate::paths::normalize(&m))
        && manifest != root_manifest
        && let Some(member) = members
            .iter()
            .find(|p| p.manifest_path.as_std_path() == manifest)
    {
        return vec![*member];
    }
    if metadata.workspace_default_members.is_available() {
        members
            .iter()
            .copied()
            .filter(|p| metadata.workspace_default_members.contains(&p.id))
            .collect()
    } else {
        members.to_vec()
    }
}

fn find_manifest(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join("Cargo.toml"))
        .find(|p| p.is_file())
}

/// A package spec: `name`, `name@version`, `name:version` (older syntax), or a pattern over
/// names with cargo's glob semantics (`serde*`, `h[e]llo`, `[!a]*`).
struct Spec<'s> {
    text: &'s str,
    name: Name<'s>,
    version: Option<&'s str>,
}

enum Name<'s> {
    Exact(&'s str),
    Glob(globset::GlobMatcher),
}

impl<'s> Spec<'s> {
    fn parse(text: &'s str) -> Result<Spec<'s>, DiscoverError> {
        let (name, version) = match text.split_once('@').or_else(|| text.split_once(':')) {
            Some((name, version)) => (name, Some(version)),
            None => (text, None),
        };
        let name = if crate::paths::is_name_glob(name) {
            let matcher = crate::paths::name_glob(name).map_err(|e| {
                DiscoverError::new(format!("cannot build glob pattern from `{name}`: {e}"))
            })?;
            Name::Glob(matcher)
        } else {
            Name::Exact(name)
        };
        Ok(Spec {
            text,
            name,
            version,
        })
    }

    fn parse_all(texts: &'s [String]) -> Result<Vec<Spec<'s>>, DiscoverError> {
        texts.iter().map(|t| Spec::parse(t)).collect()
    }

    fn matches(&self, package: &Package) -> bool {
        let name_ok = match &self.name {
            Name::Exact(name) => *name == package.name.as_str(),
            Name::Glob(glob) => glob.is_match(package.name.as_str()),
        };
        name_ok
            && self
                .version
                .is_none_or(|v| package.version.to_string().starts_with(v))
    }
}

fn select_targets<'p>(package: &'p Package, selection: &TargetSelection) -> Vec<&'p Target> {
    let mut chosen: Vec<&Target> = package
        .targets
        .iter()
        .filter(|t| !t.is_custom_build())
        .filter(|t| {
            if !selection.any() {
                return is_lib(t) || t.is_bin();
            }
            if selection.all_targets {
                return true;
            }
            let name = &t.name;
            (selection.lib && is_lib(t))
                || (selection.bins && t.is_bin())
                || (t.is_bin() && selection.bin.contains(name))
                || (selection.examples && t.is_example())
                || (t.is_example() && selection.example.contains(name))
                || (selection.tests && (t.is_test() || ((is_lib(t) || t.is_bin()) && t.test)))
                || (t.is_test() && selection.test.contains(name))
                // Libraries and binaries are benchmarked too, as they are tested.
                || (selection.benches && (t.is_bench() || is_lib(t) || t.is_bin()))
                || (t.is_bench() && selection.bench.contains(name))
        })
        .collect();
    // lib first, then bins, examples, tests, benches, each by name: cargo's order.
    chosen.sort_by_key(|t| {
        let rank = match kind_name(t) {
            "lib" => 0,
            "bin" => 1,
            "example" => 2,
            "test" => 3,
            _ => 4,
        };
        (rank, t.name.clone())
    });
    chosen
}

/// `--bin NAME` and friends must name a target that exists.
fn check_named_targets(
    targets: &[TargetInfo],
    selection: &TargetSelection,
) -> Result<(), DiscoverError> {
    type IsKind = fn(&Target) -> bool;
    let groups: [(&str, &Vec<String>, IsKind); 4] = [
        ("bin", &selection.bin, |t| t.is_bin()),
        ("example", &selection.example, |t| t.is_example()),
        ("test", &selection.test, |t| t.is_test()),
        ("bench", &selection.bench, |t| t.is_bench()),
    ];
    for (kind, names, is_kind) in groups {
        for name in names {
            if !targets
                .iter()
                .any(|t| is_kind(&t.target) && &t.target.name == name)
            {
                return Err(DiscoverError::new(format!(
                    "no {kind} target named `{name}`"
                )));
            }
        }
    }
    Ok(())
}
