//! The binary at the edges of its use: flag values that cannot be right, output that cannot be
//! written, colour decided by the environment, flags put the wrong way, and the names it
//! suggests. Each test runs the built binary, as a user or a CI script would.

use std::path::{Path, PathBuf};
use std::process::Stdio;

mod common;
use common::{Run, command, finish, manifest, root, workspace};

/// Runs the binary in `dir` with `args` and `env`.
fn run_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = command();
    command.current_dir(dir).args(args);
    for (k, v) in env {
        command.env(k, v);
    }
    finish(command.output().expect("runs"))
}

fn run(args: &[&str]) -> Run {
    run_with(&root(), args, &[])
}

/// A one-package workspace named `name`, in a fresh directory, with this `src/lib.rs` and,
/// when given, this `escape.toml`.
fn scratch_package(name: &str, lib: &str, config: Option<&str>) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[workspace]\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.join("src/lib.rs"), lib).unwrap();
    if let Some(config) = config {
        std::fs::write(dir.join("escape.toml"), config).unwrap();
    }
    dir
}

/// Nothing a user should read as a crash.
fn assert_no_crash(r: &Run) {
    for words in ["internal error", "a bug in cargo escape", "panicked"] {
        assert!(!r.stderr.contains(words), "{}", r.stderr);
    }
}

// ---------------------------------------------------------------------------------------------
// Flag values

#[test]
fn zero_jobs_is_refused_in_cargos_words() {
    let r = run(&["--manifest-path", &manifest("renamed"), "-j", "0"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("jobs may not be 0"), "{}", r.stderr);
    let one = run(&["--manifest-path", &manifest("renamed"), "-j", "1", "-q"]);
    assert_eq!(one.code, 0, "{}", one.stderr);
}

#[test]
fn a_target_is_a_triple_rustc_knows_or_a_json_file() {
    let m = manifest("renamed");
    let unknown = run(&["--manifest-path", &m, "--target", "not-a-triple"]);
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert_eq!(unknown.stdout, "");
    assert!(
        unknown
            .stderr
            .contains("error: could not find specification for target \"not-a-triple\""),
        "{}",
        unknown.stderr
    );
    assert!(unknown.stderr.contains("rustc --print target-list"));

    let close = run(&[
        "--manifest-path",
        &m,
        "--target",
        "x86_64-unknown-linux-gnux",
    ]);
    assert_eq!(close.code, 2);
    assert!(
        close
            .stderr
            .contains("help: did you mean `x86_64-unknown-linux-gnu`?"),
        "{}",
        close.stderr
    );

    let known = run(&[
        "--manifest-path",
        &m,
        "--target",
        "i686-unknown-linux-gnu",
        "-q",
    ]);
    assert_eq!(known.code, 0, "{}", known.stderr);

    // A custom target is the path of its specification, as cargo takes it.
    let spec = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("x86_64-custom.json");
    std::fs::write(&spec, "{}").unwrap();
    let custom = run(&[
        "--manifest-path",
        &m,
        "--target",
        spec.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(custom.code, 0, "{}", custom.stderr);
    let missing = run(&["--manifest-path", &m, "--target", "no/such-target.json"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("target path \"no/such-target.json\" is not a valid file"),
        "{}",
        missing.stderr
    );

    // Without a rustc to ask, the triple is taken as it is, and nothing is said.
    let no_rustc = run_with(
        &root(),
        &[
            "--manifest-path",
            &m,
            "--target",
            "not-a-triple",
            "-q",
            "-A",
            "warnings",
        ],
        &[("RUSTC", "/nonexistent/rustc")],
    );
    assert_eq!(no_rustc.code, 0, "{}", no_rustc.stderr);
    assert_eq!(no_rustc.stderr, "", "{}", no_rustc.stderr);
}

// ---------------------------------------------------------------------------------------------
// Output that cannot be written

/// Runs with stdout a pipe whose reading end is closed before anything is written, as
/// `cargo escape ... | head -1` leaves it once `head` has its line.
fn run_into_closed_pipe(args: &[&str]) -> Run {
    let mut child = command()
        .current_dir(root())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    drop(child.stdout.take());
    finish(child.wait_with_output().expect("exits"))
}

#[test]
fn a_closed_pipe_ends_the_output_quietly_with_the_runs_exit_code() {
    let m = manifest("demo");
    for args in [
        &["--manifest-path", &m, "--message-format", "json"][..],
        &["--manifest-path", &m, "--message-format", "sarif"],
        &["--manifest-path", &m, "--message-format", "github"],
        &["rules"],
        &["explain", "dyn_box"],
    ] {
        let r = run_into_closed_pipe(args);
        assert_no_crash(&r);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert_eq!(r.stderr, "", "{args:?}");
    }
    // As with cargo, the exit code is the run's: denied findings still fail a pipeline.
    let denied = run_into_closed_pipe(&[
        "--manifest-path",
        &m,
        "--message-format",
        "json",
        "-D",
        "warnings",
    ]);
    assert_no_crash(&denied);
    assert_eq!(denied.code, 1, "{}", denied.stderr);
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_io_error_with_exit_code_2() {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full")
    };
    let m = manifest("demo");
    for args in [
        &["--manifest-path", &m, "--message-format", "json"][..],
        &["--manifest-path", &m, "--message-format", "sarif"],
        &["rules"],
    ] {
        let output = command()
            .current_dir(root())
            .args(args)
            .stdout(full())
            .output()
            .expect("runs");
        let r = finish(output);
        assert_no_crash(&r);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr
                .contains("error: cannot write to stdout: No space left on device"),
            "{args:?}: {}",
            r.stderr
        );
    }
    // Human output goes to stderr: when that is full, nothing can say so but the exit code.
    let status = command()
        .current_dir(root())
        .args(["--manifest-path", &m])
        .stderr(full())
        .status()
        .expect("runs");
    assert_eq!(status.code(), Some(2));
}

// ---------------------------------------------------------------------------------------------
// Sizes

#[test]
fn a_stack_threshold_beyond_the_address_space_says_so() {
    let m = manifest("stack");
    for (size, bits) in [
        ("99999999999999999999", "64"),
        ("20000000000GiB", "64"),
        ("9223372036854775808", "64"),
    ] {
        let r = run(&["--manifest-path", &m, "--stack-threshold", size]);
        assert_eq!(r.code, 2, "{size}: {}", r.stderr);
        assert_no_crash(&r);
        assert!(
            r.stderr.contains(&format!(
                "a stack threshold of `{size}` is beyond what a {bits}-bit target can address"
            )),
            "{size}: {}",
            r.stderr
        );
        assert!(!r.stderr.contains("positive"), "{}", r.stderr);
    }
    // A 32-bit target has no value of 2 GiB or more.
    let narrow = run(&[
        "--manifest-path",
        &m,
        "--stack-threshold",
        "2GiB",
        "--target",
        "i686-unknown-linux-gnu",
    ]);
    assert_eq!(narrow.code, 2, "{}", narrow.stderr);
    assert!(
        narrow
            .stderr
            .contains("a stack threshold of `2GiB` is beyond what a 32-bit target can address"),
        "{}",
        narrow.stderr
    );
    let wide = run(&["--manifest-path", &m, "--stack-threshold", "2GiB", "-q"]);
    assert_eq!(wide.code, 0, "{}", wide.stderr);

    let zero = run(&["--manifest-path", &m, "--stack-threshold", "0"]);
    assert_eq!(zero.code, 2);
    assert!(
        zero.stderr
            .contains("a stack threshold of `0` would report every value on the stack"),
        "{}",
        zero.stderr
    );
}

#[test]
fn a_configured_stack_threshold_beyond_the_address_space_points_into_the_file() {
    let dir = scratch_package(
        "huge",
        "",
        Some(
            "stack-threshold = 99999999999999999999
",
        ),
    );
    let r = run_with(&dir, &[], &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "error: a stack threshold of `99999999999999999999` is beyond what a 64-bit target can address"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--> escape.toml:1:19"), "{}", r.stderr);

    // Within 64 bits, but not 32: said once the target is known.
    std::fs::write(dir.join("escape.toml"), "stack-threshold = \"4GiB\"\n").unwrap();
    let narrow = run_with(&dir, &["--target", "i686-unknown-linux-gnu"], &[]);
    assert_eq!(narrow.code, 2, "{}", narrow.stderr);
    assert!(
        narrow
            .stderr
            .contains("a stack threshold of `4294967296` is beyond what a 32-bit target"),
        "{}",
        narrow.stderr
    );
    assert!(
        narrow
            .stderr
            .contains("the configuration of `huge` sets `stack-threshold`"),
        "{}",
        narrow.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// Lint names

#[test]
fn an_unknown_lint_is_a_warning_and_the_run_goes_on() {
    let m = manifest("renamed");
    let r = run(&[
        "--manifest-path",
        &m,
        "--message-format",
        "short",
        "-D",
        "unused_variables",
        "-W",
        "leaked_refrence",
        "-D",
        "leaked_reference",
    ]);
    assert_no_crash(&r);
    // The known flag still applies: the finding is denied.
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("error[escape::leaked_reference]"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "warning: unknown lint: `unused_variables`\n  |\n  = note: requested on the command line with `-D unused_variables`\n  = help: `cargo escape rules` lists the rules\n"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "warning: unknown lint: `leaked_refrence`\n  |\n  = note: requested on the command line with `-W leaked_refrence`\n  = help: did you mean `leaked_reference`?\n"
        ),
        "{}",
        r.stderr
    );
    // In our own file, an unknown rule stays an error.
    let config = run_with(&workspace("badconfig"), &[], &[]);
    assert_eq!(config.code, 2);
    assert!(
        config
            .stderr
            .contains("error: unknown rule `leaked_refrence`")
    );
}

/// Lint levels are cargo escape's: `--with-check` does not hand them to `cargo check`, which
/// takes none (see the README). An unknown one is warned about, and rustc's own warning stays
/// a warning.
#[test]
fn an_unknown_lint_with_check_leaves_cargo_check_alone() {
    let target_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("withcheck-unknown-lint");
    let r = run(&[
        "--manifest-path",
        &manifest("withcheck"),
        "--with-check",
        "--message-format",
        "json",
        "--target-dir",
        target_dir.to_str().unwrap(),
        "-D",
        "unused_variables",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("warning: unknown lint: `unused_variables`"),
        "{}",
        r.stderr
    );
    let rustc = r
        .stdout
        .lines()
        .find(|l| l.contains("\"code\":\"unused_variables\""))
        .expect("rustc's warning passed through");
    assert!(rustc.contains("\"level\":\"warning\""), "{rustc}");
    assert!(
        r.stdout
            .lines()
            .last()
            .is_some_and(|l| l.contains("\"success\":true")),
        "{}",
        r.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// Flags put the wrong way

#[test]
fn a_spaced_verbosity_level_says_how_to_write_it() {
    let m = manifest("renamed");
    let r = run(&["--manifest-path", &m, "-m", "2"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: `-m 2`: the level of `-m` is not a separate argument\n\nhelp: write `-m=2`, or `-m -m`\n"
    );
    let clustered = run(&["-qm", "1", "--manifest-path", &m]);
    assert_eq!(clustered.code, 2);
    assert!(
        clustered.stderr.contains(
            "`-qm 1`: the level of `-m` is not a separate argument\n\nhelp: write `-m`\n"
        ),
        "{}",
        clustered.stderr
    );
    // Written as it should be, it runs.
    let right = run(&["--manifest-path", &m, "-m=2", "-q"]);
    assert_eq!(right.code, 0, "{}", right.stderr);
}

#[test]
fn explain_without_a_rule_points_to_the_list() {
    let r = run(&["explain"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: `cargo escape explain` needs the name of a rule\n\nhelp: `cargo escape rules` lists them\n"
    );
}

#[test]
fn a_manifest_path_to_a_source_file_is_refused_in_cargos_words() {
    let r = run(&["--manifest-path", "fixtures/workspaces/demo/src/lib.rs"]);
    assert_eq!(r.code, 2);
    assert_no_crash(&r);
    assert_eq!(
        r.stderr,
        "error: the manifest-path must be a path to a Cargo.toml file\n\nhelp: `fixtures/workspaces/demo/src/lib.rs` is a Rust source file; its package's manifest is `fixtures/workspaces/demo/Cargo.toml`\n"
    );
    let other = run(&["--manifest-path", "fixtures/workspaces/demo/Cargo.lock"]);
    assert_eq!(other.code, 2);
    assert_eq!(
        other.stderr,
        "error: the manifest-path must be a path to a Cargo.toml file\n"
    );
}

/// Rules, packages, configuration keys and levels: one wording for a near miss.
#[test]
fn did_you_mean_is_worded_the_same_everywhere() {
    let said = |r: &Run, name: &str| {
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains(&format!("help: did you mean `{name}`?")),
            "{}",
            r.stderr
        );
    };
    said(&run(&["explain", "leaked_refrence"]), "leaked_reference");
    said(
        &run(&["--manifest-path", &manifest("virtual"), "-p", "alpah"]),
        "alpha",
    );
    said(
        &run_with(&workspace("badconfig"), &[], &[]),
        "leaked_reference",
    );
    let dir = scratch_package(
        "misspelled",
        "",
        Some(
            "stak-threshold = 4
",
        ),
    );
    said(&run_with(&dir, &[], &[]), "stack-threshold");
    std::fs::write(dir.join("escape.toml"), "[rules]\ndyn_box = \"dney\"\n").unwrap();
    said(&run_with(&dir, &[], &[]), "deny");
}

// ---------------------------------------------------------------------------------------------
// Text

/// A help quotes code to write: a turbofish in it is part of the code.
#[test]
fn helps_keep_the_turbofish() {
    let dir = scratch_package(
        "turbofish",
        "pub fn total(v: &[i32]) -> i32 {\n    let b = Box::new(v.iter().sum::<i32>());\n    *b\n}\n",
        None,
    );
    let r = run_with(&dir, &[], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "warning[escape::non_escaping_box]: Box::new(v.iter().sum::<i32>()) does not escape"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "= help: use the value directly: `v.iter().sum::<i32>()` can live on the stack"
        ),
        "{}",
        r.stderr
    );
}

/// The summary's counts, added up: (errors, warnings).
fn summary_counts(stderr: &str) -> (usize, usize) {
    let number_before = |line: &str, word: &str| -> usize {
        let words: Vec<&str> = line.split(' ').collect();
        words
            .windows(2)
            .filter(|w| w[1].trim_end_matches(';').starts_with(word))
            .filter_map(|w| w[0].parse::<usize>().ok())
            .sum()
    };
    stderr
        .lines()
        .filter(|l| l.starts_with("warning: `") || l.starts_with("error: `"))
        .fold((0, 0), |(e, w), l| {
            (
                e + number_before(l, "error"),
                w + number_before(l, "warning"),
            )
        })
}

/// `-m` lines are Go's, but the summary must count lines the reader sees: a finding at warning
/// or error level says so in its line.
#[test]
fn verdict_summaries_count_what_was_printed() {
    for name in [
        "demo",
        "virtual",
        "configured",
        "targets",
        "testcfg",
        "modules",
    ] {
        for m in ["-m", "-m=2"] {
            let r = run_with(&workspace(name), &[m], &[]);
            let lines = |level: &str| {
                r.stderr
                    .lines()
                    .filter(|l| l.contains(&format!(": {level}[escape::")))
                    .count()
            };
            let (errors, warnings) = summary_counts(&r.stderr);
            assert_eq!(
                (errors, warnings),
                (lines("error"), lines("warning")),
                "{name} {m}:\n{}",
                r.stderr
            );
        }
    }
    // A denied finding is an error the reader sees, not only the exit code.
    let r = run_with(&workspace("configured"), &["-m"], &[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "app/src/lib.rs:21:5: error[escape::leaked_reference]: mem::forget(..) never runs"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("error: `app` (lib) has 1 error\n"));
}

// ---------------------------------------------------------------------------------------------
// Colour

#[test]
fn colour_follows_the_flag_then_cargo_then_the_environment() {
    let m = manifest("renamed");
    let coloured = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["--manifest-path", m.as_str()];
        all.extend_from_slice(args);
        let r = run_with(&root(), &all, env);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stderr.contains("\x1b[")
    };
    // Not a terminal: no colour, unless something forces it.
    assert!(!coloured(&[], &[]));
    assert!(coloured(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(
        &[],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    ));
    // An empty NO_COLOR counts as unset.
    assert!(coloured(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "")]));
    assert!(coloured(&[], &[("CLICOLOR_FORCE", "1"), ("CLICOLOR", "0")]));
    // cargo's variable, then the flag, come before the rest.
    assert!(coloured(
        &[],
        &[("CARGO_TERM_COLOR", "always"), ("NO_COLOR", "1")]
    ));
    assert!(!coloured(
        &[],
        &[("CARGO_TERM_COLOR", "never"), ("CLICOLOR_FORCE", "1")]
    ));
    assert!(!coloured(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(coloured(
        &["--color", "always"],
        &[("CARGO_TERM_COLOR", "never"), ("NO_COLOR", "1")]
    ));
    assert!(coloured(
        &["--color", "auto"],
        &[("CARGO_TERM_COLOR", "never"), ("CLICOLOR_FORCE", "1")]
    ));
    // Errors that stop the run are coloured the same way.
    let error = run_with(&root(), &["explain"], &[("CLICOLOR_FORCE", "1")]);
    assert!(error.stderr.contains("\x1b["), "{}", error.stderr);
}

/// On a terminal (a pseudo-terminal from `script`, where it exists): colour unless `TERM` is
/// `dumb`, `CLICOLOR=0` or `NO_COLOR` says otherwise.
#[cfg(target_os = "linux")]
#[test]
fn colour_on_a_terminal() {
    let m = manifest("renamed");
    let on_terminal = |env: &[(&str, &str)]| -> Option<bool> {
        let line = format!(
            "'{}' --manifest-path '{}'",
            env!("CARGO_BIN_EXE_cargo-escape"),
            m
        );
        let mut command = std::process::Command::new("script");
        command.args(["-qec", &line, "/dev/null"]);
        for var in [
            "CARGO_TERM_COLOR",
            "NO_COLOR",
            "CLICOLOR",
            "CLICOLOR_FORCE",
            "CI",
        ] {
            command.env_remove(var);
        }
        command.env("TERM", "xterm-256color");
        for (k, v) in env {
            command.env(k, v);
        }
        let output = command.stdin(Stdio::null()).output().ok()?;
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        // Without a usable `script`, there is nothing to say.
        text.contains("leaked_reference")
            .then(|| text.contains("\x1b["))
    };
    let Some(plain) = on_terminal(&[]) else {
        return;
    };
    assert!(plain);
    assert_eq!(on_terminal(&[("TERM", "dumb")]), Some(false));
    assert_eq!(on_terminal(&[("CLICOLOR", "0")]), Some(false));
    assert_eq!(on_terminal(&[("NO_COLOR", "1")]), Some(false));
    assert_eq!(on_terminal(&[("NO_COLOR", "")]), Some(true));
}

// ---------------------------------------------------------------------------------------------
// Globs

#[test]
fn package_patterns_have_cargos_semantics() {
    let m = manifest("virtual");
    let packages = |args: &[&str]| {
        let mut all = vec!["--manifest-path", m.as_str(), "--message-format", "short"];
        all.extend_from_slice(args);
        let r = run(&all);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        let mut names: Vec<String> = r
            .stderr
            .lines()
            .filter_map(|l| l.strip_prefix("warning: `"))
            .filter_map(|l| l.split('`').next())
            .map(str::to_string)
            .collect();
        names.dedup();
        names
    };
    assert_eq!(packages(&["-p", "alph[a]"]), ["alpha"]);
    assert_eq!(packages(&["-p", "[!b]*"]), ["alpha"]);
    assert_eq!(packages(&["-p", "[a-b]e?a"]), ["beta"]);
    assert_eq!(packages(&["-p", "*"]), ["alpha", "beta"]);
    assert_eq!(packages(&["--workspace", "--exclude", "[a]*"]), ["beta"]);
    let none = run(&["--manifest-path", &m, "-p", "h[e]llo"]);
    assert_eq!(none.code, 2);
    assert!(
        none.stderr
            .contains("package ID specification `h[e]llo` did not match any packages"),
        "{}",
        none.stderr
    );
    let broken = run(&["--manifest-path", &m, "-p", "alph[a"]);
    assert_eq!(broken.code, 2);
    assert!(
        broken
            .stderr
            .contains("cannot build glob pattern from `alph[a`"),
        "{}",
        broken.stderr
    );
}

/// Twenty `**` over a path fourteen components deep: a backtracking matcher tries billions of
/// ways; globset's automaton one pass. No timing is asserted: the test finishing is the point.
#[test]
fn a_pathological_exclude_pattern_finishes_with_the_right_answer() {
    let deep = "a/b/c/d/e/f/g/h/i/j/k/l";
    let nothing = format!("{}nomatch.rs", "**/".repeat(20));
    let dir = scratch_package(
        "pathological",
        &format!(
            "#[path = \"{deep}/deep.rs\"]\nmod deep;\npub fn keep(b: Vec<u8>) {{\n    std::mem::forget(b);\n}}\n"
        ),
        Some(&format!(
            "exclude = [\"{nothing}\", \"src/**/l/deep.rs\"]\n"
        )),
    );
    std::fs::create_dir_all(dir.join("src").join(deep)).unwrap();
    std::fs::write(
        dir.join("src").join(deep).join("deep.rs"),
        "pub fn gone(b: Vec<u8>) {\n    std::mem::forget(b);\n}\n",
    )
    .unwrap();
    let r = run_with(&dir, &["--message-format", "short", "-q"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "src/lib.rs:4:5: warning[escape::leaked_reference]: mem::forget(..) never runs its argument's destructor: whatever it owns is leaked\n"
    );
    // Without the second glob, the deep file is reported: the first excludes nothing.
    std::fs::write(
        dir.join("escape.toml"),
        format!("exclude = [\"{nothing}\"]\n"),
    )
    .unwrap();
    let r = run_with(&dir, &["--message-format", "short", "-q"], &[]);
    assert_eq!(r.stderr.lines().count(), 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("src/{deep}/deep.rs:2:5")),
        "{}",
        r.stderr
    );
}

#[test]
fn an_invalid_exclude_glob_points_into_the_file() {
    let dir = scratch_package("badglob", "", Some("exclude = [\"src/[gen\"]\n"));
    let r = run_with(&dir, &[], &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("error: invalid glob `src/[gen`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--> escape.toml:1:12"), "{}", r.stderr);
}
