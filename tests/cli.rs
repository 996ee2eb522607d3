//! The binary, end to end, on the workspaces under `fixtures/workspaces`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use cargo_metadata::Message;

mod common;
use common::{Run, manifest, root, run_in, workspace};

/// Runs in the repository root.
fn run(args: &[&str]) -> Run {
    run_in(&root(), args)
}

/// The `path:line` of every short-format diagnostic line.
fn short_locations(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.contains(": warning[") || l.contains(": error[") || l.contains(": note["))
        .map(|l| l.splitn(3, ':').take(2).collect::<Vec<_>>().join(":"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Invocation

#[test]
fn help_and_version() {
    let help = run(&["--help"]);
    assert_eq!(help.code, 0);
    for flag in [
        "--manifest-path",
        "--package",
        "--workspace",
        "--exclude",
        "--all-targets",
        "--message-format",
        "--color",
        "-m",
        "--deny",
        "--warn",
        "--allow",
        "explain",
        "rules",
    ] {
        assert!(
            help.stdout.contains(flag),
            "--help lacks {flag}:\n{}",
            help.stdout
        );
    }
    let version = run(&["--version"]);
    assert_eq!(version.code, 0);
    assert_eq!(
        version.stdout.trim(),
        format!("cargo-escape {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn called_by_cargo_with_the_subcommand_name_first() {
    let m = manifest("renamed");
    let direct = run(&["--manifest-path", &m, "--message-format", "short"]);
    let via_cargo = run(&["escape", "--manifest-path", &m, "--message-format", "short"]);
    assert_eq!(direct.stderr, via_cargo.stderr);
    assert_eq!(direct.code, via_cargo.code);
    assert!(direct.stderr.contains("leaked_reference"));
}

#[test]
fn usage_errors_exit_2() {
    let bad_flag = run(&["--no-such-flag"]);
    assert_eq!(bad_flag.code, 2);
    assert!(bad_flag.stderr.contains("--no-such-flag"));

    let no_manifest = run_in(
        &std::env::temp_dir(),
        &["--manifest-path", "/nonexistent/Cargo.toml"],
    );
    assert_eq!(no_manifest.code, 2);
    assert!(
        no_manifest
            .stderr
            .contains("error: `cargo metadata` failed"),
        "{}",
        no_manifest.stderr
    );

    let bad_verbosity = run(&["--manifest-path", &manifest("renamed"), "-m=3"]);
    assert_eq!(bad_verbosity.code, 2);
}

#[test]
fn rust_analyzer_flags_are_accepted() {
    let r = run(&[
        "--message-format=json-diagnostic-rendered-ansi",
        "--manifest-path",
        &manifest("virtual"),
        "--workspace",
        "--all-targets",
        "--keep-going",
        "--target",
        "x86_64-unknown-linux-gnu",
        "--target-dir",
        "/tmp/escape-unused-target",
        "--all-features",
        "--no-default-features",
        "--features",
        "a,b",
        "--config",
        "net.offline=true",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let messages = parse_messages(&r.stdout);
    assert!(matches!(messages.last(), Some(Message::BuildFinished(f)) if f.success));
    assert!(
        !Path::new("/tmp/escape-unused-target").exists(),
        "nothing is built"
    );
}

// ---------------------------------------------------------------------------------------------
// Discovery

#[test]
fn virtual_workspace_analyzes_all_members_by_default() {
    let r = run(&[
        "--manifest-path",
        &manifest("virtual"),
        "--message-format",
        "short",
    ]);
    assert_eq!(r.code, 0);
    assert_eq!(
        short_locations(&r.stderr),
        [
            "fixtures/workspaces/virtual/alpha/src/lib.rs:5",
            "fixtures/workspaces/virtual/beta/src/cmd/send.rs:4"
        ]
    );
    assert!(
        r.stderr
            .contains("warning: `alpha` (lib) generated 1 warning")
    );
    assert!(
        r.stderr
            .contains("warning: `beta` (bin \"beta\") generated 1 warning")
    );
}

#[test]
fn a_shared_file_resolves_per_package_whatever_the_order() {
    // `inner/src/util.rs` is read by both packages; its `#[path]` child is inside the outer
    // package only. What each package makes of it cannot depend on which got there first.
    let m = manifest("nested");
    let first = run(&[
        "--manifest-path",
        &m,
        "--workspace",
        "--message-format",
        "short",
        "-j",
        "1",
    ]);
    assert!(
        first
            .stderr
            .contains("nested/helper.rs:2:5: warning[escape::leaked_reference]"),
        "{}",
        first.stderr
    );
    assert!(
        first.stderr.contains(
            "nested/inner/src/util.rs:3:1: warning[escape::module_outside_package]: module `helper` is at ../helper.rs"
        ),
        "{}",
        first.stderr
    );
    for jobs in ["1", "2", "2", "2"] {
        let again = run(&[
            "--manifest-path",
            &m,
            "--workspace",
            "--message-format",
            "short",
            "-j",
            jobs,
        ]);
        assert_eq!(again.stderr, first.stderr);
    }
}

#[test]
fn stack_sizes_follow_the_package_and_the_flags() {
    let m = manifest("stack");
    let r = run(&["--manifest-path", &m]);
    // The package's rust-version (1.80) predates `Box::new_zeroed`: it is not suggested.
    assert!(
        r.stderr.contains("`vec![0u8; 1 << 20].into_boxed_slice()`"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("new_zeroed"), "{}", r.stderr);
    assert!(r.stderr.contains("[usize; 10000] is 78.1 KiB on the stack"));
    // On a 32-bit target, `usize` is 4 bytes: 39 KiB is under the threshold.
    let narrow = run(&["--manifest-path", &m, "--target", "i686-unknown-linux-gnu"]);
    assert!(
        !narrow.stderr.contains("[usize; 10000]"),
        "{}",
        narrow.stderr
    );
    assert!(narrow.stderr.contains("Box::new([0u8; 1 << 20])"));
    let raised = run(&["--manifest-path", &m, "--stack-threshold", "2MiB"]);
    assert_eq!(raised.code, 0);
    assert!(
        !raised.stderr.contains("large_stack_array"),
        "{}",
        raised.stderr
    );
    let bad = run(&["--manifest-path", &m, "--stack-threshold", "2XB"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("unknown unit in `2XB`"));
}

#[test]
fn package_selection() {
    let m = manifest("virtual");
    let only_alpha = run(&[
        "--manifest-path",
        &m,
        "-p",
        "alpha",
        "--message-format",
        "short",
    ]);
    assert_eq!(
        short_locations(&only_alpha.stderr),
        ["fixtures/workspaces/virtual/alpha/src/lib.rs:5"]
    );

    let both = run(&[
        "--manifest-path",
        &m,
        "-p",
        "alpha",
        "--package",
        "beta",
        "--message-format",
        "short",
    ]);
    assert_eq!(short_locations(&both.stderr).len(), 2);

    let excluded = run(&[
        "--manifest-path",
        &m,
        "--workspace",
        "--exclude",
        "alpha",
        "--message-format",
        "short",
    ]);
    assert_eq!(
        short_locations(&excluded.stderr),
        ["fixtures/workspaces/virtual/beta/src/cmd/send.rs:4"]
    );

    let unknown = run(&["--manifest-path", &m, "-p", "alpah"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown
            .stderr
            .contains("package ID specification `alpah` did not match any packages")
    );
    assert!(unknown.stderr.contains("`alpha`"));

    let exclude_alone = run(&["--manifest-path", &m, "--exclude", "alpha"]);
    assert_eq!(exclude_alone.code, 2);
    assert!(
        exclude_alone
            .stderr
            .contains("--exclude can only be used together with --workspace")
    );
}

#[test]
fn inside_a_member_only_that_member_is_analyzed() {
    let r = run_in(
        &workspace("virtual").join("beta"),
        &["--message-format", "short"],
    );
    assert_eq!(
        short_locations(&r.stderr),
        ["src/cmd/send.rs:4"],
        "{}",
        r.stderr
    );
}

#[test]
fn paths_are_relative_to_the_current_directory() {
    let r = run_in(&workspace("virtual"), &["--message-format", "short"]);
    assert_eq!(
        short_locations(&r.stderr),
        ["alpha/src/lib.rs:5", "beta/src/cmd/send.rs:4"]
    );
}

#[test]
fn target_selection() {
    let m = manifest("targets");
    let locations = |flags: &[&str]| {
        let mut args = vec!["--manifest-path", m.as_str(), "--message-format", "short"];
        args.extend_from_slice(flags);
        let r = run(&args);
        let mut found: Vec<String> = short_locations(&r.stderr)
            .into_iter()
            .map(|l| {
                l.trim_start_matches("fixtures/workspaces/targets/")
                    .to_string()
            })
            .collect();
        found.sort();
        found
    };
    // Libraries and binaries by default; never the build script or the test data beside.
    assert_eq!(
        locations(&[]),
        ["src/bin/tool.rs:2", "src/lib.rs:2", "src/main.rs:2"]
    );
    assert_eq!(locations(&["--lib"]), ["src/lib.rs:2"]);
    assert_eq!(
        locations(&["--bins"]),
        ["src/bin/tool.rs:2", "src/main.rs:2"]
    );
    assert_eq!(locations(&["--bin", "tool"]), ["src/bin/tool.rs:2"]);
    assert_eq!(locations(&["--examples"]), ["examples/demo.rs:2"]);
    assert_eq!(locations(&["--example", "demo"]), ["examples/demo.rs:2"]);
    // As in cargo, libraries and binaries are benchmarked too, built with `cfg(test)`.
    assert_eq!(
        locations(&["--benches"]),
        [
            "benches/speed.rs:2",
            "src/bin/tool.rs:2",
            "src/lib.rs:2",
            "src/lib.rs:9",
            "src/main.rs:2"
        ]
    );
    assert_eq!(locations(&["--bench", "speed"]), ["benches/speed.rs:2"]);
    // Test builds bring `#[cfg(test)]` code in.
    assert_eq!(
        locations(&["--tests"]),
        [
            "src/bin/tool.rs:2",
            "src/lib.rs:2",
            "src/lib.rs:9",
            "src/main.rs:2",
            "tests/it.rs:3"
        ]
    );
    assert_eq!(locations(&["--test", "it"]), ["tests/it.rs:3"]);
    assert_eq!(
        locations(&["--all-targets"]),
        [
            "benches/speed.rs:2",
            "examples/demo.rs:2",
            "src/bin/tool.rs:2",
            "src/lib.rs:2",
            "src/lib.rs:9",
            "src/main.rs:2",
            "tests/it.rs:3"
        ]
    );
    let missing = run(&["--manifest-path", &m, "--bin", "nope"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("no bin target named `nope`"));
}

#[test]
fn module_tree() {
    let r = run(&[
        "--manifest-path",
        &manifest("modules"),
        "--message-format",
        "short",
    ]);
    assert_eq!(r.code, 1, "a missing module is an error:\n{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    let has = |needle: &str| lines.iter().any(|l| l.contains(needle));
    // `mod net;` in a non-mod-rs file, nested; `#[path]`; a module file inside an inline module.
    assert!(has(
        "modules/src/net/proto/wire.rs:2:5: warning[escape::leaked_reference]"
    ));
    assert!(has(
        "modules/src/gen/helper.rs:2:5: warning[escape::leaked_reference]"
    ));
    assert!(has(
        "modules/src/inline/deeper.rs:2:5: warning[escape::leaked_reference]"
    ));
    assert!(has(
        "modules/src/lib.rs:7:1: error[escape::missing_module]: file not found for module `missing`"
    ));
    assert!(has("modules/src/lib.rs:9:1: note[escape::missing_module]"));
    assert!(has(
        "modules/src/lib.rs:11:1: warning[escape::module_outside_package]: module `outside` is at ../outside.rs"
    ));
    // The file outside the package was never read, so its leak is not reported.
    assert!(!r.stderr.contains("outside.rs:3"));
    for file in [
        "sys/unix.rs",
        "sys/windows.rs",
        "routes/v1.rs",
        "net/inline_plain/leaf.rs",
    ] {
        assert!(
            has(&format!(
                "modules/src/{file}:2:5: warning[escape::leaked_reference]"
            )),
            "{file} was not analyzed:\n{}",
            r.stderr
        );
    }
    assert!(!has("module `sys`"), "{}", r.stderr);
    for (at, module) in [
        ("19:5", "absent"),
        ("23:9", "fast_only"),
        ("25:9", "slow_only"),
    ] {
        assert!(
            has(&format!(
                "modules/src/lib.rs:{at}: note[escape::missing_module]: file not found for module `{module}`"
            )),
            "{module}:\n{}",
            r.stderr
        );
    }

    let human = run(&["--manifest-path", &manifest("modules")]);
    assert!(human.stderr.contains(
        "to create the module `missing`, create file \"src/missing.rs\" or \"src/missing/mod.rs\""
    ));
}

#[test]
fn broken_files_are_reported_and_the_rest_analyzed() {
    let r = run(&[
        "--manifest-path",
        &manifest("broken"),
        "--message-format",
        "short",
    ]);
    assert_eq!(r.code, 1);
    let expected = [
        "broken/src/bad.rs:3:14: error[escape::parse_error]: unclosed delimiter",
        "broken/src/deep.rs:4:30004: error[escape::parse_error]: nested too deeply to parse safely",
        "broken/src/good.rs:2:5: warning[escape::leaked_reference]",
        "broken/src/latin1.rs:1:7: error[escape::unreadable_file]: src/latin1.rs is not valid UTF-8: byte 0xE9",
        "broken/src/lib.rs:7:5: warning[escape::leaked_reference]",
    ];
    for e in expected {
        assert!(r.stderr.contains(e), "missing `{e}` in:\n{}", r.stderr);
    }
}

/// Symbolic links and directories where files should be, made at test time.
#[test]
fn unreadable_module_files() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("unreadable");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src/folder.rs")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"unreadable\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("src/lib.rs"),
        "mod looped;\nmod dangling;\nmod folder;\npub fn f() { std::mem::forget(vec![1]); }\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("looped.rs", dir.join("src/looped.rs")).unwrap();
    std::os::unix::fs::symlink("nowhere.rs", dir.join("src/dangling.rs")).unwrap();
    let r = run_in(&dir, &["--message-format", "short"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for e in [
        "src/lib.rs:1:1: error[escape::unreadable_file]: src/looped.rs is a symbolic link that loops back on itself",
        "src/lib.rs:2:1: error[escape::unreadable_file]: src/dangling.rs is a symbolic link to nowhere.rs, which does not exist",
        "src/lib.rs:3:1: error[escape::unreadable_file]: src/folder.rs is a directory, not a source file",
        "src/lib.rs:4:14: warning[escape::leaked_reference]",
    ] {
        assert!(r.stderr.contains(e), "missing `{e}` in:\n{}", r.stderr);
    }
}

#[test]
fn renamed_import_is_explained() {
    let r = run(&["--manifest-path", &manifest("renamed")]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr
            .contains("warning[escape::leaked_reference]: mem::forget(..) never runs")
    );
    assert!(
        r.stderr
            .contains("`discard` is `std::mem::forget`, imported here")
    );
}

// ---------------------------------------------------------------------------------------------
// Output

fn parse_messages(stdout: &str) -> Vec<Message> {
    Message::parse_stream(stdout.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .expect("cargo_metadata reads every line")
}

#[test]
fn json_is_cargos_message_stream() {
    let r = run(&[
        "--manifest-path",
        &manifest("renamed"),
        "--message-format",
        "json",
    ]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stderr, "", "JSON mode writes nothing else");
    let messages = parse_messages(&r.stdout);
    assert_eq!(messages.len(), 2);
    let Message::CompilerMessage(m) = &messages[0] else {
        panic!("{:?}", messages[0])
    };
    assert_eq!(m.target.name, "renamed");
    assert!(m.package_id.repr.contains("renamed"));
    let d = &m.message;
    assert_eq!(d.code.as_ref().unwrap().code, "escape::leaked_reference");
    assert_eq!(
        d.level,
        cargo_metadata::diagnostic::DiagnosticLevel::Warning
    );
    let primary = d
        .spans
        .iter()
        .find(|s| s.is_primary)
        .expect("a primary span");
    assert_eq!(
        primary.file_name, "src/lib.rs",
        "relative to the workspace root"
    );
    assert_eq!((primary.line_start, primary.column_start), (4, 5));
    assert_eq!((primary.line_end, primary.column_end), (4, 20));
    assert_eq!(primary.text[0].text, "    discard(buffer);");
    assert!(d.rendered.as_ref().unwrap().contains("--> "));
    assert!(!d.rendered.as_ref().unwrap().contains('\x1b'));
    let note = d
        .children
        .iter()
        .find(|c| c.message.contains("imported here"))
        .expect("the note");
    assert_eq!(note.spans[0].line_start, 1);
    assert!(
        d.children
            .iter()
            .any(|c| c.level == cargo_metadata::diagnostic::DiagnosticLevel::Help)
    );
    assert!(matches!(&messages[1], Message::BuildFinished(f) if f.success));
}

#[test]
fn json_variants_render_differently() {
    let m = manifest("renamed");
    let ansi = run(&[
        "--manifest-path",
        &m,
        "--message-format",
        "json-diagnostic-rendered-ansi",
    ]);
    let Message::CompilerMessage(cm) = &parse_messages(&ansi.stdout)[0] else {
        panic!()
    };
    assert!(cm.message.rendered.as_ref().unwrap().contains('\x1b'));

    let short = run(&[
        "--manifest-path",
        &m,
        "--message-format",
        "json-diagnostic-short",
    ]);
    let Message::CompilerMessage(cm) = &parse_messages(&short.stdout)[0] else {
        panic!()
    };
    assert!(
        cm.message
            .rendered
            .as_ref()
            .unwrap()
            .starts_with("src/lib.rs:4:5: warning[escape::leaked_reference]")
    );

    let both = run(&[
        "--manifest-path",
        &m,
        "--message-format",
        "json-render-diagnostics",
    ]);
    // As with cargo: diagnostics are rendered to stderr, not sent; the rest stays on stdout.
    let messages = parse_messages(&both.stdout);
    assert!(
        matches!(messages.as_slice(), [Message::BuildFinished(_)]),
        "{}",
        both.stdout
    );
    assert!(both.stderr.contains("warning[escape::leaked_reference]"));
}

#[test]
fn json_failure_is_reported_in_build_finished() {
    let r = run(&[
        "--manifest-path",
        &manifest("broken"),
        "--message-format",
        "json",
    ]);
    assert_eq!(r.code, 1);
    let messages = parse_messages(&r.stdout);
    assert!(matches!(messages.last(), Some(Message::BuildFinished(f)) if !f.success));
    let codes: Vec<String> = messages
        .iter()
        .filter_map(|m| match m {
            Message::CompilerMessage(c) => Some(c.message.code.as_ref().unwrap().code.clone()),
            _ => None,
        })
        .collect();
    assert!(codes.contains(&"escape::parse_error".to_string()));
    assert!(codes.contains(&"escape::unreadable_file".to_string()));
}

#[test]
fn human_output_looks_like_rustc() {
    let r = run_in(&workspace("renamed"), &[]);
    insta::assert_snapshot!(r.stderr);
}

#[test]
fn color() {
    let m = manifest("renamed");
    let always = run(&["--manifest-path", &m, "--color", "always"]);
    assert!(always.stderr.contains("\x1b["));
    let never = run(&["--manifest-path", &m, "--color", "never"]);
    assert!(!never.stderr.contains('\x1b'));
    // `auto` on a pipe means no color.
    let auto = run(&["--manifest-path", &m]);
    assert!(!auto.stderr.contains('\x1b'));
}

#[test]
fn verdict_lines() {
    let r = run_in(&workspace("renamed"), &["-m"]);
    assert_eq!(r.code, 0);
    let lines: Vec<&str> = r.stderr.lines().take(2).collect();
    assert_eq!(
        lines,
        [
            "src/lib.rs:3:13: leaking param: buffer",
            "src/lib.rs:4:5: warning[escape::leaked_reference]: mem::forget(..) never runs its argument's destructor: whatever it owns is leaked",
        ]
    );
    // Without -m, the verdict notes stay quiet.
    let plain = run_in(&workspace("renamed"), &["--message-format", "short"]);
    assert!(!plain.stderr.contains("leaking param"));
    let twice = run_in(&workspace("renamed"), &["-m", "-m"]);
    let two = run_in(&workspace("renamed"), &["-m=2"]);
    assert_eq!(twice.stderr, two.stderr);
    assert!(
        two.stderr
            .contains("src/lib.rs:3:13:   flow: {heap} = buffer:\n")
    );
    assert!(
        two.stderr
            .contains("src/lib.rs:3:13:     from discard(buffer) (leaked) at src/lib.rs:4:5\n")
    );
}

/// Every verdict of the demo workspace, with its flow: Go's `-m=2`.
#[test]
fn flows_explain_verdicts() {
    let r = run_in(&workspace("demo"), &["-m=2"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stderr);
}

#[test]
fn flows_show_what_they_read_through() {
    let r = run_in(&workspace("flows"), &["-m=2"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("flow: ~r0 = *v:"), "{}", r.stderr);
    assert!(r.stderr.contains("flow: *out = s:"), "{}", r.stderr);
    // A parameter both borrowed and moved to the result is explained by the move.
    assert!(
        r.stderr.contains("flow: {storage for Box::new(r)} = r:"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("flow: ~r0 = &r:"), "{}", r.stderr);
    insta::assert_snapshot!(r.stderr);
}

#[test]
fn demo_warnings() {
    let r = run_in(&workspace("demo"), &[]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stderr);
}

#[test]
fn json_carries_flows_as_child_notes() {
    let r = run(&[
        "--manifest-path",
        &manifest("demo"),
        "--message-format",
        "json",
    ]);
    let messages = parse_messages(&r.stdout);
    let returned = messages
        .iter()
        .find_map(|m| match m {
            Message::CompilerMessage(c)
                if c.message.code.as_ref().unwrap().code == "escape::returned_box" =>
            {
                Some(c)
            }
            _ => None,
        })
        .expect("the returned box");
    let notes: Vec<&str> = returned
        .message
        .children
        .iter()
        .map(|c| c.message.as_str())
        .collect();
    assert!(notes.contains(&"flow: ~r0 = student"), "{notes:?}");
    let step = returned
        .message
        .children
        .iter()
        .find(|c| c.message == "from student (return)")
        .expect("the return step");
    assert_eq!(
        (step.spans[0].line_start, step.spans[0].column_start),
        (15, 5)
    );
}

#[test]
fn quiet_drops_the_summary() {
    let r = run_in(&workspace("renamed"), &["--message-format", "short", "-q"]);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
}

// ---------------------------------------------------------------------------------------------
// Gate

#[test]
fn levels_and_exit_codes() {
    let m = manifest("renamed");
    let code_and_levels = |flags: &[&str]| {
        let mut args = vec![
            "--manifest-path",
            m.as_str(),
            "--message-format",
            "short",
            "-q",
        ];
        args.extend_from_slice(flags);
        let r = run(&args);
        (
            r.code,
            r.stderr
                .lines()
                .map(|l| l.split(": ").nth(1).unwrap_or("").to_string())
                .collect::<Vec<_>>(),
        )
    };
    let warning = "warning[escape::leaked_reference]".to_string();
    let error = "error[escape::leaked_reference]".to_string();
    assert_eq!(code_and_levels(&[]), (0, vec![warning.clone()]));
    assert_eq!(
        code_and_levels(&["-D", "warnings"]),
        (1, vec![error.clone()])
    );
    assert_eq!(
        code_and_levels(&["-D", "leaked_reference"]),
        (1, vec![error.clone()])
    );
    assert_eq!(
        code_and_levels(&["--deny", "escape::leaked_reference"]),
        (1, vec![error.clone()])
    );
    assert_eq!(code_and_levels(&["-A", "leaked_reference"]), (0, vec![]));
    assert_eq!(code_and_levels(&["-A", "warnings"]), (0, vec![]));
    // A later flag wins.
    assert_eq!(
        code_and_levels(&["-D", "leaked_reference", "-W", "leaked_reference"]),
        (0, vec![warning.clone()])
    );
    assert_eq!(
        code_and_levels(&["-A", "leaked_reference", "-D", "warnings"]),
        (0, vec![])
    );
    assert_eq!(
        code_and_levels(&["-D", "warnings", "-A", "leaked_reference"]),
        (0, vec![])
    );
    // As in rustc, `-D warnings` reaches every warning, even one a later `-W` names.
    assert_eq!(
        code_and_levels(&["-D", "warnings", "-W", "leaked_reference"]),
        (1, vec![error.clone()])
    );
    assert_eq!(
        code_and_levels(&["-W", "leaked_reference", "-D", "warnings"]),
        (1, vec![error])
    );
    assert_eq!(
        code_and_levels(&["-A", "warnings", "-W", "leaked_reference"]),
        (0, vec![])
    );

    // Input errors stay errors whatever `-A warnings` says.
    let broken = run(&["--manifest-path", &manifest("broken"), "-A", "warnings"]);
    assert_eq!(broken.code, 1);
    let allowed = run(&[
        "--manifest-path",
        &manifest("broken"),
        "-A",
        "parse_error",
        "-A",
        "unreadable_file",
    ]);
    assert_eq!(allowed.code, 0, "{}", allowed.stderr);
}

#[test]
fn output_is_identical_between_runs_and_thread_counts() {
    let m = manifest("modules");
    let once = |threads: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_cargo-escape"))
            .args(["--manifest-path", &m, "--message-format", "json", "-m=2"])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        (output.stdout, output.stderr)
    };
    let one = once("1");
    assert!(!one.0.is_empty());
    assert_eq!(one, once("2"));
    assert_eq!(one, once("2"));
    assert_eq!(once("1"), once("4"));
}

// ---------------------------------------------------------------------------------------------
// Rules

#[test]
fn explain_and_rules() {
    let page = run(&["explain", "leaked_reference"]);
    assert_eq!(page.code, 0);
    assert_eq!(page.stdout, include_str!("../lints/leaked_reference.md"));
    let prefixed = run(&["escape", "explain", "escape::leaked_reference"]);
    assert_eq!(prefixed.stdout, page.stdout);

    let unknown = run(&["explain", "leak"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("unknown rule `leak`"));

    let rules = run(&["rules"]);
    assert_eq!(rules.code, 0);
    let line = |id: &str| {
        rules
            .stdout
            .lines()
            .find(|l| l.trim_start().starts_with(id))
            .map(|l| l.split_whitespace().take(2).collect::<Vec<_>>())
    };
    assert_eq!(
        line("leaked_reference"),
        Some(vec!["leaked_reference", "warning"])
    );
    assert_eq!(
        line("large_stack_array"),
        Some(vec!["large_stack_array", "warning"])
    );
    assert!(rules.stdout.contains("parse_error"));
}

// ---------------------------------------------------------------------------------------------
// Configuration, suppressions and baselines

#[test]
fn configuration_layers_and_the_command_line() {
    let m = manifest("configured");
    let r = run(&["--manifest-path", &m, "--message-format", "short"]);
    // `[package.metadata.escape]` denies leaked_reference; escape.toml allows dyn_box and
    // raises the stack threshold; the workspace excludes the generated module.
    assert_eq!(r.code, 1, "{}", r.stderr);
    let findings: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("[escape::"))
        .collect();
    assert_eq!(findings.len(), 1, "{}", r.stderr);
    assert!(findings[0].contains("app/src/lib.rs:21:5: error[escape::leaked_reference]"));
    // The command line wins over every layer.
    let cli = run(&[
        "--manifest-path",
        &m,
        "--message-format",
        "short",
        "-W",
        "leaked_reference",
        "-W",
        "dyn_box",
        "--stack-threshold",
        "64KiB",
    ]);
    assert_eq!(cli.code, 0, "{}", cli.stderr);
    assert!(cli.stderr.contains("warning[escape::leaked_reference]"));
    assert!(cli.stderr.contains("warning[escape::dyn_box]"));
    assert!(cli.stderr.contains("warning[escape::large_stack_array]"));
    assert!(!cli.stderr.contains("src/generated"), "{}", cli.stderr);
}

#[test]
fn a_bad_configuration_points_into_the_file() {
    let r = run_in(&workspace("badconfig"), &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("error: unknown rule `leaked_refrence`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--> escape.toml:2:1"), "{}", r.stderr);
    assert!(r.stderr.contains("help: did you mean `leaked_reference`?"));
}

/// A copy of a fixture workspace that a test may change.
fn scratch_copy(name: &str, test: &str) -> PathBuf {
    let to = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(test);
    let _ = std::fs::remove_dir_all(&to);
    let from = workspace(name);
    let mut stack = vec![from.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let target = to.join(path.strip_prefix(&from).unwrap());
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n == "target") {
                    continue;
                }
                stack.push(path);
            } else {
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::copy(&path, &target).unwrap();
            }
        }
    }
    to
}

#[test]
fn baselines_report_only_new_findings_and_only_shrink() {
    let dir = scratch_copy("demo", "baseline");
    let baseline = dir.join("escape-baseline.json");
    let b = baseline.display().to_string();
    let written = run_in(&dir, &["--write-baseline", &b]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    assert!(
        written.stderr.contains("Wrote a baseline of 5 findings"),
        "{}",
        written.stderr
    );
    let text = std::fs::read_to_string(&baseline).unwrap();
    assert!(
        text.contains("\"item\": \"crate::student_register\""),
        "{text}"
    );
    assert!(!text.contains("\"line"), "a baseline never keys on lines");

    let clean = run_in(&dir, &["--baseline", &b, "-D", "warnings"]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    assert!(!clean.stderr.contains("warning["), "{}", clean.stderr);

    // Lines shift above the findings, and a new finding appears: only it is reported.
    let lib = dir.join("src/lib.rs");
    let old = std::fs::read_to_string(&lib).unwrap();
    let shifted = format!(
        "//! Moved down.\n\n{old}\npub fn again(v: Vec<u8>) {{\n    std::mem::forget(v);\n}}\n"
    );
    std::fs::write(&lib, shifted).unwrap();
    let new = run_in(&dir, &["--baseline", &b, "--message-format", "short"]);
    let findings: Vec<&str> = new
        .stderr
        .lines()
        .filter(|l| l.contains("[escape::"))
        .collect();
    assert_eq!(findings.len(), 1, "{}", new.stderr);
    assert!(findings[0].contains("leaked_reference"));

    // Findings fixed: said so, and pruning lowers the counts; it never adds the new one.
    let fixed = old.replace(
        "let age = Box::new(student.age + 1);\n    *age",
        "student.age + 1",
    );
    assert_ne!(fixed, old);
    std::fs::write(&lib, fixed).unwrap();
    let gone = run_in(&dir, &["--baseline", &b]);
    assert!(
        gone.stderr.contains("the baseline allows"),
        "{}",
        gone.stderr
    );
    let pruned = run_in(&dir, &["--baseline", &b, "--prune-baseline"]);
    assert_eq!(pruned.code, 0, "{}", pruned.stderr);
    let after = std::fs::read_to_string(&baseline).unwrap();
    assert!(after.len() < text.len(), "{after}");
    assert!(!after.contains("crate::again"));
}

#[test]
fn baseline_items_name_generic_impls_by_their_type() {
    let dir = scratch_copy("demo", "baseline-generic-impl");
    let lib = dir.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(
        &lib,
        format!(
            "{text}\npub struct Task<S>(Vec<S>);\nimpl<S: Clone> Task<S> {{\n    pub fn keep(&self) -> &'static mut u32 {{\n        Box::leak(Box::new(1))\n    }}\n}}\n"
        ),
    )
    .unwrap();
    let baseline = dir.join("escape-baseline.json");
    let written = run_in(&dir, &["--write-baseline", &baseline.display().to_string()]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    let text = std::fs::read_to_string(&baseline).unwrap();
    assert!(text.contains("\"item\": \"crate::Task::keep\""), "{text}");
}

// ---------------------------------------------------------------------------------------------
// SARIF and GitHub

#[test]
fn sarif_validates_and_its_fingerprints_survive_moved_lines() {
    let dir = scratch_copy("demo", "sarif");
    let r = run_in(&dir, &["--message-format", "sarif"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let log: serde_json::Value = serde_json::from_str(&r.stdout).expect("one JSON document");
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator does catch what code scanning rejects: a string where an object goes.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["message"] = serde_json::json!("text");
    assert!(!validator.is_valid(&broken));

    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(
        run["tool"]["driver"]["informationUri"],
        "https://crates.io/crates/cargo-escape"
    );
    let rule_ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(rule_ids.contains(&"escape::returned_box"));
    assert!(rule_ids.contains(&"escape::parse_error"));
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 5);
    let first = &results[0];
    assert_eq!(first["ruleId"], "escape::returned_box");
    assert_eq!(
        rule_ids[first["ruleIndex"].as_u64().unwrap() as usize],
        "escape::returned_box"
    );
    let location = &first["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "src/lib.rs");
    assert_eq!(location["region"]["startLine"], 14);
    // The item the finding is in, by path: what baselines and lintcheck key on.
    assert_eq!(
        first["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "crate::student_register"
    );

    // Lines added above the findings move their regions, not their fingerprints.
    let fingerprints = |log: &serde_json::Value| -> Vec<String> {
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["escapeFinding/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let before = fingerprints(&log);
    let lib = dir.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, format!("//! Two\n//! more lines.\n{text}")).unwrap();
    let moved: serde_json::Value =
        serde_json::from_str(&run_in(&dir, &["--message-format", "sarif"]).stdout).unwrap();
    assert_eq!(
        moved["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        16
    );
    assert_eq!(fingerprints(&moved), before);
    let unique: std::collections::BTreeSet<&String> = before.iter().collect();
    assert_eq!(
        unique.len(),
        before.len(),
        "two findings share a fingerprint"
    );
}

#[test]
fn github_annotations() {
    let r = run_in(&workspace("demo"), &["--message-format", "github"]);
    assert_eq!(r.code, 0);
    let first = r.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("::warning file=src/lib.rs,line=14,col=19,endLine=14,endColumn="),
        "{first}"
    );
    assert!(first.contains(",title=escape%3A%3Areturned_box::Box::new(Student { .. }) escapes to heap: returned from student_register%0Ahelp: return"), "{first}");
    assert_eq!(r.stdout.lines().count(), 5);
}

// ---------------------------------------------------------------------------------------------
// rust-analyzer

#[test]
fn with_check_passes_cargo_check_through_in_one_stream() {
    let target_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("withcheck-target");
    let r = run(&[
        "--manifest-path",
        &manifest("withcheck"),
        "--with-check",
        "--message-format",
        "json-diagnostic-rendered-ansi",
        "--target-dir",
        &target_dir.display().to_string(),
        "--all-targets",
        "--keep-going",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let messages = parse_messages(&r.stdout);
    let codes: Vec<String> = messages
        .iter()
        .filter_map(|m| match m {
            Message::CompilerMessage(c) => c.message.code.as_ref().map(|c| c.code.clone()),
            _ => None,
        })
        .collect();
    let rustc = codes.iter().position(|c| c == "unused_variables");
    let escape = codes.iter().position(|c| c == "escape::leaked_reference");
    assert!(rustc.is_some() && escape.is_some(), "{codes:?}");
    assert!(rustc < escape, "rustc's messages come first: {codes:?}");
    let finished: Vec<&Message> = messages
        .iter()
        .filter(|m| matches!(m, Message::BuildFinished(_)))
        .collect();
    assert_eq!(finished.len(), 1, "one build-finished");
    assert!(matches!(messages.last(), Some(Message::BuildFinished(f)) if f.success));
}

#[test]
fn problem_matchers_describe_the_short_format() {
    // The matchers' patterns, as the short format's lines must fit them.
    let short = run(&[
        "--manifest-path",
        &manifest("demo"),
        "--message-format",
        "short",
    ]);
    let line = short.stderr.lines().next().unwrap();
    let (location, rest) = line.split_once(": ").unwrap();
    let parts: Vec<&str> = location.rsplitn(3, ':').collect();
    assert!(
        parts[0].parse::<u32>().is_ok() && parts[1].parse::<u32>().is_ok(),
        "{line}"
    );
    assert!(
        rest.starts_with("warning[escape::returned_box]: "),
        "{line}"
    );
    for file in [".github/escape-matcher.json", ".vscode/tasks.json"] {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).expect(file);
        let pattern = if file.contains("github") {
            &json["problemMatcher"][0]["pattern"][0]
        } else {
            &json["tasks"][0]["problemMatcher"]["pattern"]
        };
        let regexp = pattern["regexp"].as_str().unwrap();
        assert!(
            regexp.starts_with(r"^(.+?):(\d+):(\d+): (error|warning"),
            "{file}"
        );
        assert!(regexp.ends_with(r")\[(escape::[a-z_]+)\]: (.*)$"), "{file}");
        assert_eq!(pattern["file"], 1);
        assert_eq!(pattern["message"], 6);
    }
}

#[test]
fn a_baseline_is_pruned_only_where_the_run_looked() {
    let dir = scratch_copy("virtual", "baseline_scope");
    let b = dir.join("baseline.json").display().to_string();
    assert_eq!(
        run_in(&dir, &["--workspace", "--write-baseline", &b]).code,
        0
    );
    let both = std::fs::read_to_string(&b).unwrap();
    assert!(
        both.contains("alpha/src/lib.rs") && both.contains("beta/src/cmd/send.rs"),
        "{both}"
    );
    // Only alpha is analyzed, and leaked_reference is off: nothing counts as fixed.
    for args in [
        &["-p", "alpha"][..],
        &["--workspace", "-A", "leaked_reference"][..],
    ] {
        let mut all = args.to_vec();
        all.extend(["--baseline", &b, "--prune-baseline"]);
        let r = run_in(&dir, &all);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(!r.stderr.contains("the baseline allows"), "{}", r.stderr);
        assert_eq!(std::fs::read_to_string(&b).unwrap(), both, "{args:?}");
    }
}

#[test]
fn tests_setting_is_per_package() {
    // `on` analyzes its test code (`tests = true`); `off` does not, even in the same run.
    let r = run(&[
        "--manifest-path",
        &manifest("testcfg"),
        "--workspace",
        "--message-format",
        "short",
    ]);
    let mut found = short_locations(&r.stderr);
    found.sort();
    assert_eq!(
        found,
        [
            "fixtures/workspaces/testcfg/off/src/lib.rs:5",
            "fixtures/workspaces/testcfg/on/src/lib.rs:5",
            "fixtures/workspaces/testcfg/on/src/tests.rs:2",
        ],
        "{}",
        r.stderr
    );
}

#[test]
fn a_module_a_published_package_leaves_out_is_a_note() {
    // `cargo package` keeps the original manifest as Cargo.toml.orig and drops the files its
    // `include` leaves out: a missing module there is the packager's choice, not a defect.
    let r = run(&[
        "--manifest-path",
        &manifest("published"),
        "--message-format",
        "short",
    ]);
    assert!(
        r.stderr.contains(
            "published/src/lib.rs:2:1: note[escape::missing_module]: file not found for module \
             `fuzz`, which the published package leaves out; it was skipped"
        ),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("error["), "{}", r.stderr);
    // The rest of the package is analyzed.
    assert!(
        r.stderr
            .contains("published/src/lib.rs:5:5: warning[escape::leaked_reference]"),
        "{}",
        r.stderr
    );
    assert_eq!(r.code, 0, "a note and a warning pass: {}", r.stderr);
}
