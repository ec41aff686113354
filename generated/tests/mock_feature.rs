//! The `mock` feature is off by default: without it the crate depends on nothing of the mock
//! server (its module is declared under `#[cfg(feature = "mock")]`, so none of its code is
//! compiled either; the generator's tests check that the other files do not change with it).

use std::process::Command;

/// `cargo tree` of this crate's normal dependencies and features, with `args`.
fn tree(args: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "tree",
            "-p",
            "msgraph-beta-entitlement",
            "-e",
            "normal,features",
        ])
        .args(["--prefix", "none", "--offline"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_mock_feature_is_off_by_default() {
    let off = tree(&[]);
    assert!(!off.contains("wiremock"), "{off}");
    assert!(!off.contains("feature \"mock\""), "{off}");

    let on = tree(&["--features", "mock"]);
    assert!(on.contains("wiremock v"), "{on}");
}

#[test]
fn the_mock_module_is_declared_under_its_feature() {
    let lib = include_str!("../src/lib.rs");
    assert!(
        lib.contains("#[cfg(feature = \"mock\")]\n#[rustfmt::skip]\npub mod mock;"),
        "{lib}"
    );
    let manifest = include_str!("../Cargo.toml");
    let default = manifest
        .lines()
        .find(|l| l.starts_with("default ="))
        .unwrap_or_default();
    assert!(!default.contains("mock"), "{manifest}");
}
