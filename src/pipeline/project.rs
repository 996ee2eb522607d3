//! The project a run analyzes: its packages and targets, and everything configuration and the
//! command line decide for each (levels, excluded paths, `#[cfg(test)]` code, stack threshold,
//! MSRV, the names of its dependencies).
//!
//! [`project`] asks cargo (`cargo metadata`) and reads the configuration layers; the
//! [`Project::from_file`] and [`Project::from_dir`] constructors make a project without cargo,
//! for tests and tools.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::Error;
use crate::config::{self, Config};
use crate::diagnostic::{CrateId, PackageId};
use crate::discover::{self, CargoOptions, PackageSelection, TargetSelection, Workspace};
use crate::facts::{self, CrateInput};
use crate::levels::{Levels, LintLevel, LintTarget};
use crate::load::{CrateRoot, TestCfg};
use crate::rules;
use crate::sources::{DEFAULT_MAX_FILE_BYTES, Limits};

/// What the command line says over the configuration.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `-D`/`-W`/`-A` in command-line order: each names a rule or input diagnostic (with or
    /// without `escape::`), or `warnings`. An unknown name is an error here; the command line
    /// warns about such flags, as rustc does, and leaves them out.
    pub lint_flags: Vec<(LintLevel, String)>,
    /// `--stack-threshold`, for every package.
    pub stack_threshold: Option<u64>,
    /// `--max-file-size`.
    pub max_file_size: Option<u64>,
}

/// The packages and targets to analyze, with their settings.
#[derive(Debug)]
pub struct Project {
    /// The workspace root: baselines name files relative to it, and JSON messages show paths
    /// relative to it.
    pub root: PathBuf,
    pub packages: Vec<Package>,
    /// The crates to analyze, in cargo's order: a file two targets reach is analyzed by the
    /// first.
    pub targets: Vec<Target>,
    /// What applies to files no target owns (configuration outside the packages, and the
    /// command line).
    pub outside: Settings,
    /// What is read of the files: regular files of at most `max-file-size`.
    pub limits: Limits,
    /// How long discovery and reading the configuration took.
    pub discovered_in: Duration,
}

/// A package of the project.
#[derive(Clone, Debug)]
pub struct Package {
    pub name: String,
    /// cargo's package id, echoed in JSON messages; empty without cargo.
    pub id: String,
    /// Its `Cargo.toml`; empty without cargo.
    pub manifest_path: PathBuf,
    /// No module file outside this directory is read.
    pub dir: PathBuf,
    pub settings: Settings,
    /// Whether `#[cfg(test)]` code is analyzed: a test build was selected, or `tests = true`.
    pub tests: bool,
}

/// What configuration and the command line decide for the files of a package.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// The configuration layers' levels, then the command line's, which win.
    pub levels: Levels,
    /// Paths the configuration excludes, one entry per layer that excludes some.
    pub exclude: Vec<Exclude>,
    /// `[contracts]` of every layer: functions that must not allocate or block, and what is
    /// assumed of code that is not analyzed.
    pub contracts: facts::effects::ContractGlobs,
}

/// One configuration layer's `exclude` globs.
#[derive(Clone, Debug)]
pub struct Exclude {
    /// The directory the globs are relative to.
    pub base: PathBuf,
    /// The globs as written.
    pub globs: Vec<String>,
    /// The globs, compiled once ([`crate::paths::path_globs`]).
    matcher: globset::GlobSet,
}

impl Exclude {
    /// The `globs` (over paths relative to `base`) of one layer; an invalid glob is a
    /// configuration mistake.
    pub fn new(base: PathBuf, globs: Vec<String>) -> Result<Exclude, Error> {
        let matcher = crate::paths::path_globs(globs.iter().map(String::as_str))
            .map_err(|e| Error::usage(format!("invalid `exclude` glob: {e}")))?;
        Ok(Exclude {
            base,
            globs,
            matcher,
        })
    }

    /// Whether a glob matches `path`.
    pub fn matches(&self, path: &Path) -> bool {
        let relative = crate::paths::relative_to(path, &self.base).replace('\\', "/");
        self.matcher.is_match(relative)
    }
}

impl Settings {
    /// Whether a layer excludes `path`.
    pub fn excludes(&self, path: &Path) -> bool {
        self.exclude.iter().any(|layer| layer.matches(path))
    }
}

/// A target of the project: one crate.
#[derive(Clone, Debug)]
pub struct Target {
    /// Its package.
    pub package: PackageId,
    /// Its root file (`src/lib.rs`, `src/main.rs`, `tests/it.rs`...).
    pub root: PathBuf,
    /// `lib`, `bin "name"`, `test "name"`...: how cargo names a target in its summaries.
    pub description: String,
    /// What the analysis of the crate needs: its dependencies' names, MSRV, stack threshold.
    pub input: CrateInput,
    /// cargo's own description, echoed in JSON messages; `None` without cargo.
    pub cargo: Option<cargo_metadata::Target>,
}

/// Every rule and input diagnostic name, without the `escape::` prefix.
pub fn known_codes() -> Vec<&'static str> {
    rules::all_codes().collect()
}

/// Discovery and configuration: asks cargo for the workspace, selects packages and targets as
/// cargo does, reads the configuration layers, and settles each package's settings.
pub fn project(
    cargo: &CargoOptions,
    packages: &PackageSelection,
    targets: &TargetSelection,
    overrides: &Overrides,
) -> Result<Project, Error> {
    let started = Instant::now();
    let workspace = discover::discover(cargo, packages, targets)?;
    let manifests: Vec<PathBuf> = workspace
        .packages
        .iter()
        .map(|p| p.manifest_path.clone())
        .collect();
    let config = config::read(&workspace.root, &manifests, &known_codes())?;
    let command_line = command_line_levels(&overrides.lint_flags)?;
    let mut project = Project::of_workspace(
        workspace,
        &config,
        &command_line,
        overrides.stack_threshold,
        targets.includes_test_builds(),
    )?;
    project.limits.max_file_bytes = Some(
        overrides
            .max_file_size
            .or_else(|| config.max_file_size())
            .unwrap_or(DEFAULT_MAX_FILE_BYTES),
    );
    project.discovered_in = started.elapsed();
    Ok(project)
}

/// The `-D`/`-W`/`-A` flags as levels; an unknown name is a usage error.
fn command_line_levels(flags: &[(LintLevel, String)]) -> Result<Levels, Error> {
    let mut levels = Levels::default();
    for (level, name) in flags {
        let target = if name == "warnings" {
            LintTarget::Warnings
        } else if rules::is_known_code(name) {
            LintTarget::Code(name.strip_prefix("escape::").unwrap_or(name).to_string())
        } else {
            return Err(Error::unknown_rule(name));
        };
        levels.flags.push((*level, target));
    }
    Ok(levels)
}

impl Project {
    /// The project cargo described, with the configuration and the command line applied.
    fn of_workspace(
        workspace: Workspace,
        config: &Config,
        command_line: &Levels,
        stack_threshold: Option<u64>,
        test_builds: bool,
    ) -> Result<Project, Error> {
        // The settings of a package (`None`: of files outside them all).
        let settings_of = |package: Option<PackageId>| -> Result<Settings, Error> {
            Ok(Settings {
                levels: Levels {
                    flags: config
                        .layers(package)
                        .flat_map(|l| l.rules.iter().cloned())
                        .chain(command_line.flags.iter().cloned())
                        .collect(),
                },
                exclude: config
                    .layers(package)
                    .filter(|l| !l.exclude.is_empty())
                    .map(|l| Exclude::new(l.base.clone(), l.exclude.clone()))
                    .collect::<Result<_, _>>()?,
                contracts: facts::effects::ContractGlobs::new(
                    config.layers(package).map(|l| &l.contracts),
                )
                .map_err(Error::usage)?,
            })
        };
        let targets = targets_of(&workspace, |package| {
            stack_threshold
                .or_else(|| config.setting(package, |l| l.stack_threshold))
                .unwrap_or(facts::DEFAULT_STACK_THRESHOLD)
        });
        let packages = workspace
            .packages
            .into_iter()
            .enumerate()
            .map(|(index, p)| {
                let index = PackageId(index as u32);
                Ok(Package {
                    name: p.name,
                    id: p.id,
                    manifest_path: p.manifest_path,
                    dir: p.dir,
                    settings: settings_of(Some(index))?,
                    tests: test_builds || config.setting(index, |l| l.tests).unwrap_or(false),
                })
            })
            .collect::<Result<_, Error>>()?;
        Ok(Project {
            root: workspace.root,
            packages,
            targets,
            outside: settings_of(None)?,
            limits: Limits::default(),
            discovered_in: Duration::ZERO,
        })
    }

    /// A project of one crate, whose root file is `path` (which need not exist on disk when
    /// an overlay has it), in a package of its directory: no cargo, no configuration, default
    /// settings. Its fields may be changed before a check.
    pub fn from_file(path: impl Into<PathBuf>) -> Project {
        let root = path.into();
        let dir = root.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = root.file_stem().map_or("main".to_string(), |s| {
            s.to_string_lossy().replace('-', "_")
        });
        let package = Package {
            name,
            id: String::new(),
            manifest_path: PathBuf::new(),
            dir: dir.clone(),
            settings: Settings::default(),
            tests: false,
        };
        let target = Target {
            package: PackageId(0),
            root,
            description: "lib".to_string(),
            input: CrateInput {
                krate: CrateId(0),
                externs: Vec::new(),
                msrv: None,
                stack_threshold: facts::DEFAULT_STACK_THRESHOLD,
                test_target: false,
            },
            cargo: None,
        };
        Project {
            root: dir,
            packages: vec![package],
            targets: vec![target],
            outside: Settings::default(),
            limits: Limits::default(),
            discovered_in: Duration::ZERO,
        }
    }

    /// A project of one package in `dir`, without cargo: its library `src/lib.rs` and binary
    /// `src/main.rs`, whichever exist, and the settings of the directory's `escape.toml` (or
    /// `.escape.toml`, `.config/escape.toml`) if it has one.
    pub fn from_dir(dir: impl Into<PathBuf>) -> Result<Project, Error> {
        let dir = dir.into();
        let name = dir.file_name().map_or("main".to_string(), |s| {
            s.to_string_lossy().replace('-', "_")
        });
        let roots: Vec<(PathBuf, String)> = [("src/lib.rs", "lib".to_string())]
            .into_iter()
            .chain([("src/main.rs", format!("bin \"{name}\""))])
            .map(|(file, description)| (dir.join(file), description))
            .filter(|(path, _)| path.is_file())
            .collect();
        if roots.is_empty() {
            return Err(Error::usage(format!(
                "{} has neither src/lib.rs nor src/main.rs",
                dir.display()
            )));
        }
        let layer = match config::FILE_NAMES
            .iter()
            .map(|file| dir.join(file))
            .find(|path| path.is_file())
        {
            Some(path) => config::read_file(&path, dir.clone(), &known_codes())?,
            None => None,
        };
        let mut project = Project::from_file(&roots[0].0);
        project.root = dir.clone();
        let package = &mut project.packages[0];
        package.name = name.clone();
        package.dir = dir;
        if let Some(layer) = layer {
            package.settings.levels.flags = layer.rules.clone();
            if !layer.exclude.is_empty() {
                package
                    .settings
                    .exclude
                    .push(Exclude::new(layer.base.clone(), layer.exclude.clone())?);
            }
            package.tests = layer.tests.unwrap_or(false);
            package.settings.contracts =
                facts::effects::ContractGlobs::new([&layer.contracts]).map_err(Error::usage)?;
            project.outside = package.settings.clone();
            if let Some(threshold) = layer.stack_threshold {
                project.targets[0].input.stack_threshold = threshold;
            }
            if let Some(limit) = layer.max_file_size {
                project.limits.max_file_bytes = Some(limit);
            }
        }
        let template = project.targets[0].clone();
        let has_lib = roots[0].1 == "lib";
        project.targets = roots
            .into_iter()
            .enumerate()
            .map(|(krate, (root, description))| {
                let mut target = template.clone();
                target.root = root;
                target.input.krate = CrateId(krate as u32);
                // A binary uses its package's library by the package's crate name.
                if description != "lib" && has_lib {
                    target.input.externs.push((name.clone(), name.clone()));
                }
                target.description = description;
                target
            })
            .collect();
        Ok(project)
    }

    /// The settings for the files of `package` (`None`: files outside every package).
    pub fn settings(&self, package: Option<PackageId>) -> &Settings {
        package.map_or(&self.outside, |p| &self.packages[p.index()].settings)
    }

    /// A package of the project.
    pub fn package(&self, package: PackageId) -> &Package {
        &self.packages[package.index()]
    }

    /// Whether `#[cfg(test)]` code is read at all: when a package analyzes it.
    pub fn test_cfg(&self) -> TestCfg {
        if self.packages.iter().any(|p| p.tests) {
            TestCfg::Both
        } else {
            TestCfg::Off
        }
    }

    /// Each target's root, for the load stage.
    pub fn crate_roots(&self) -> Vec<CrateRoot> {
        self.targets
            .iter()
            .map(|t| CrateRoot {
                root: t.root.clone(),
                package_dir: self.package(t.package).dir.clone(),
            })
            .collect()
    }
}

/// The targets of a workspace, each with what the analysis of its crate needs.
fn targets_of(workspace: &Workspace, stack_threshold: impl Fn(PackageId) -> u64) -> Vec<Target> {
    workspace
        .targets
        .iter()
        .enumerate()
        .map(|(krate, t)| {
            let package = &workspace.packages[t.package.index()];
            let mut externs = package.externs.clone();
            // Binaries, tests and examples use their package's library by its crate name.
            if let Some(lib) = workspace
                .targets
                .iter()
                .find(|o| o.package == t.package && o.describe() == "lib")
            {
                externs.push((lib.crate_name.clone(), lib.crate_name.clone()));
            }
            Target {
                package: t.package,
                root: t.src_path.clone(),
                description: t.describe(),
                input: CrateInput {
                    krate: CrateId(krate as u32),
                    externs,
                    msrv: package.rust_version.as_ref().map(|v| (v.major, v.minor)),
                    stack_threshold: stack_threshold(t.package),
                    test_target: t.target.is_test() || t.target.is_bench(),
                },
                cargo: Some(t.target.clone()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// cargo's `rust-version`, a `semver::Version`, is read as it is: major and minor.
    #[test]
    fn the_msrv_is_cargos_version() {
        let target: cargo_metadata::Target = serde_json::from_value(serde_json::json!({
            "name": "app", "kind": ["lib"], "crate_types": ["lib"], "required-features": [],
            "src_path": "/ws/src/lib.rs", "edition": "2021", "doctest": true, "test": true,
            "doc": true
        }))
        .unwrap();
        let package = |rust_version| crate::discover::PackageInfo {
            id: String::new(),
            name: "app".into(),
            manifest_path: "/ws/Cargo.toml".into(),
            dir: "/ws".into(),
            rust_version,
            externs: Vec::new(),
        };
        let msrv = |rust_version| {
            let workspace = Workspace {
                root: "/ws".into(),
                packages: vec![package(rust_version)],
                targets: vec![crate::discover::TargetInfo {
                    package: PackageId(0),
                    crate_name: "app".into(),
                    src_path: "/ws/src/lib.rs".into(),
                    target: target.clone(),
                }],
            };
            targets_of(&workspace, |_| 1)[0].input.msrv
        };
        let version = cargo_metadata::semver::Version::new(1, 70, 2);
        assert_eq!(msrv(Some(version)), Some((1, 70)));
        assert_eq!(msrv(None), None);
    }

    #[test]
    fn a_directory_is_a_package_with_its_configuration() {
        let dir = std::env::temp_dir().join(format!("escape-from-dir-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        assert!(Project::from_dir(&dir).is_err());
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("src/lib.rs"), "").unwrap();
        std::fs::write(dir.join("src/main.rs"), "").unwrap();
        std::fs::write(
            dir.join("escape.toml"),
            "tests = true\nstack-threshold = 1024\nexclude = [\"gen/**\"]\n[rules]\ndyn_box = \"deny\"\n",
        )
        .unwrap();
        let project = Project::from_dir(&dir).unwrap();
        let package = &project.packages[0];
        assert!(package.tests);
        assert_eq!(
            package.settings.levels.flags,
            [(LintLevel::Deny, LintTarget::Code("dyn_box".into()))]
        );
        assert!(package.settings.excludes(&dir.join("gen/a.rs")));
        assert!(!package.settings.excludes(&dir.join("src/lib.rs")));
        let described: Vec<(&str, u64, usize)> = project
            .targets
            .iter()
            .map(|t| {
                (
                    t.description.as_str(),
                    t.input.stack_threshold,
                    t.input.externs.len(),
                )
            })
            .collect();
        let name = package.name.clone();
        assert_eq!(
            described,
            [("lib", 1024, 0), (&format!("bin \"{name}\"")[..], 1024, 1)]
        );
        std::fs::write(dir.join("escape.toml"), "[rules]\ndyn_boxx = \"deny\"\n").unwrap();
        let error = Project::from_dir(&dir).unwrap_err();
        assert_eq!(error.help(), Some("did you mean `dyn_box`?"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
