//! Compiling generated crates in a scratch workspace, shared by the tests that do it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// One target directory for every scratch workspace the tests compile (same flags, same
/// Cargo.lock), so the runtime's dependencies are built once per checkout, not once per test.
pub fn target_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/apigen-scratch-target")
}

/// `cargo` run in `dir` the way every scratch compile runs: warnings are errors, the shared
/// [`target_dir`], and neither debug info nor incremental caches. The crates are compiled to be
/// judged, never debugged or edited, and those two made up most of the gigabytes a test run
/// left on disk (a CI run once failed for want of space).
pub fn cargo(dir: &Path) -> std::process::Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = std::process::Command::new(cargo);
    cmd.env("RUSTFLAGS", "-D warnings")
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .current_dir(dir);
    cmd
}

/// Make `root` a workspace of `members` (directories below it) with this repository's
/// Cargo.lock (so dependency versions match), `cargo clippy` it with `-D warnings` (rustc's
/// warnings and clippy's default lints: generated code is meant to be clippy-clean) and the
/// extra `args`, and panic with the compiler's output, headed by `what`, when it fails.
pub fn check_workspace(root: &Path, members: &[String], args: &[&str], what: &str) {
    run_workspace(
        root,
        members,
        "clippy",
        args,
        what,
        "do not compile without warnings (rustc's or clippy's)",
    );
}

/// Like [`check_workspace`], but `cargo test` the workspace with the crates' `mock` feature
/// (their tests may use the mock server): the members' own tests (a generated crate with
/// hand-written tests in its `tests/`) must pass.
pub fn test_workspace(root: &Path, members: &[String], what: &str) {
    run_workspace(
        root,
        members,
        "test",
        &["--features", "mock"],
        what,
        "fail their tests",
    );
}

fn run_workspace(
    root: &Path,
    members: &[String],
    command: &str,
    args: &[&str],
    what: &str,
    failure: &str,
) {
    let members: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock"),
        root.join("Cargo.lock"),
    )
    .unwrap();
    let output = cargo(root)
        .args([command, "--workspace", "--quiet", "--message-format=short"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{what} {failure}:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
