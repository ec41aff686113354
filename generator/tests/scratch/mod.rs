//! Compiling generated crates in a scratch workspace, shared by the tests that do it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// One target directory for every scratch workspace the tests compile (same flags, same
/// Cargo.lock), so the runtime's dependencies are built once per checkout, not once per test.
pub fn target_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/apigen-scratch-target")
}

/// Make `root` a workspace of `members` (directories below it) with this repository's
/// Cargo.lock (so dependency versions match), `cargo check` it with `-D warnings` and the extra
/// `args`, and panic with the compiler's output, headed by `what`, when it fails.
pub fn check_workspace(root: &Path, members: &[String], args: &[&str], what: &str) {
    run_workspace(root, members, "check", args, what, "do not compile");
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
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args([command, "--workspace", "--quiet", "--message-format=short"])
        .args(args)
        .env("RUSTFLAGS", "-D warnings")
        .env("CARGO_TARGET_DIR", target_dir())
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{what} {failure}:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
