//! `--target`: what cargo accepts, a triple rustc knows or the path of a custom target's JSON
//! file. The triples are asked of the `rustc` cargo would run (`$RUSTC`, else `rustc`), once,
//! and only when a triple is given; when it cannot be run, every triple is taken as it is.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::pipeline::{Error, Project};

/// Checks each `--target`: a `.json` path must be a file, and a triple one that
/// `rustc --print target-list` lists (when rustc can say).
pub(super) fn check(targets: &[String]) -> Result<(), Error> {
    let mut known: Option<Option<Vec<String>>> = None;
    for target in targets {
        if target.ends_with(".json") {
            if !Path::new(target).is_file() {
                return Err(Error::usage(format!(
                    "target path \"{target}\" is not a valid file"
                )));
            }
            continue;
        }
        let Some(list) = known.get_or_insert_with(target_list) else {
            continue;
        };
        if !list.iter().any(|t| t == target) {
            let help = crate::suggest::did_you_mean(target, list.iter().map(String::as_str))
                .unwrap_or_else(|| {
                    "`rustc --print target-list` lists the built-in targets; a custom one is \
                     the path of its `.json` file"
                        .to_string()
                });
            return Err(Error::Usage {
                message: format!("could not find specification for target \"{target}\""),
                help: Some(help),
            });
        }
    }
    Ok(())
}

/// The built-in targets of the `rustc` cargo would run; `None` when it cannot be run or says
/// nothing.
fn target_list() -> Option<Vec<String>> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc)
        .args(["--print", "target-list"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let list: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    (!list.is_empty()).then_some(list)
}

/// Each target's stack threshold against the narrowest `--target`: no value on a 32-bit
/// target is larger than 2 GiB, so a threshold above that is a mistake. `flag` is the
/// `--stack-threshold` as written, when given; otherwise the threshold came from the
/// configuration (whose values were checked against a 64-bit target when read).
pub(super) fn check_thresholds(
    project: &Project,
    triples: &[String],
    flag: Option<&str>,
) -> Result<(), Error> {
    let Some(pointer_bytes) = triples
        .iter()
        .map(|t| crate::facts::layout::pointer_width(t))
        .min()
    else {
        return Ok(());
    };
    for target in &project.targets {
        let bytes = target.input.stack_threshold;
        let text = flag.map_or_else(|| bytes.to_string(), str::to_string);
        if let Err(message) = crate::config::check_stack_threshold_for(bytes, &text, pointer_bytes)
        {
            let help = match flag {
                Some(_) => None,
                None => Some(format!(
                    "the configuration of `{}` sets `stack-threshold`",
                    project.package(target.package).name
                )),
            };
            return Err(Error::Usage { message, help });
        }
    }
    Ok(())
}
