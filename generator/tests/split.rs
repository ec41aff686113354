//! Crates split into areas behind cargo features: the layout (snapshot), that they compile with
//! every feature, with one, and with none, and that output does not depend on the number of
//! threads that emitted it.

use std::path::{Path, PathBuf};

use apigen::Config;
use apigen::config::Split;

mod scratch;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn root() -> PathBuf {
    manifest_dir().join("../target/apigen-split-crates")
}

fn split_config(spec: &Path, name: &str) -> Config {
    let mut config = Config::new(spec, root().join(name), name);
    config.krate.runtime_path = Some(manifest_dir().join("../runtime"));
    config.krate.split = Split::Always;
    config
}

fn areas_spec() -> PathBuf {
    manifest_dir().join("tests/fixtures/split/areas.yaml")
}

fn graph_spec() -> PathBuf {
    manifest_dir().join("tests/fixtures/graph-beta-entitlement.csdl.xml")
}

#[test]
fn split_layout() {
    let generated = split_config(&areas_spec(), "split-areas")
        .generate()
        .unwrap();
    let files: Vec<&String> = generated.files.keys().collect();
    insta::assert_debug_snapshot!("split_files", files);
    for (path, contents) in &generated.files {
        let name = path.replace(['/', '.'], "_");
        insta::assert_snapshot!(format!("split_areas__{name}"), contents);
    }
}

/// Area modules never shadow `std`, `serde` or `models`, whatever the paths are called.
#[test]
fn area_modules_do_not_shadow_paths_the_code_uses() {
    let generated = split_config(&areas_spec(), "split-areas")
        .generate()
        .unwrap();
    let cargo = &generated.files["Cargo.toml"];
    for feature in [
        "std-2 = []",
        "serde-2 = []",
        "models-2 = []",
        "pets = []",
        "stores = []",
    ] {
        assert!(cargo.contains(feature), "{feature} missing:\n{cargo}");
    }
    assert!(generated.files.contains_key("src/client/std_2.rs"));
}

fn cargo_check(dir: &Path, package: &str, features: Option<&str>) {
    let mut cmd = scratch::cargo(dir);
    cmd.args(["check", "--quiet", "--message-format=short", "-p", package]);
    match features {
        Some("") => {
            cmd.arg("--no-default-features");
        }
        Some(f) => {
            cmd.args(["--no-default-features", "--features", f]);
        }
        None => {}
    }
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{package} with features {features:?} does not compile:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Both split crates compile with all features (the default), with a single area, with no
/// area at all, and with `extra-types` alone (the types no operation uses and what they refer
/// to), without warnings.
#[test]
fn feature_gated_crates_compile_with_all_one_and_no_features() {
    let root = root();
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let mut graph = split_config(&graph_spec(), "split-graph");
    graph.csdl.navigation_depth = 1;
    for config in [split_config(&areas_spec(), "split-areas"), graph] {
        config.generate().unwrap().write().unwrap();
    }
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"split-areas\", \"split-graph\"]\n",
    )
    .unwrap();
    std::fs::copy(
        manifest_dir().join("../Cargo.lock"),
        root.join("Cargo.lock"),
    )
    .unwrap();
    cargo_check(&root, "split-areas", None);
    cargo_check(&root, "split-areas", Some("pets"));
    // Optional parameters `pets` shares with `stores` (`kind`) and with `box` (`If-Match`).
    cargo_check(&root, "split-areas", Some("stores"));
    cargo_check(&root, "split-areas", Some("std-2"));
    // A segment that starts with a digit: the feature keeps the digit first.
    cargo_check(&root, "split-areas", Some("2021-01-01"));
    cargo_check(&root, "split-areas", Some(""));
    cargo_check(&root, "split-areas", Some("extra-types"));
    cargo_check(&root, "split-graph", None);
    cargo_check(&root, "split-graph", Some("identity-governance"));
    cargo_check(&root, "split-graph", Some(""));
    cargo_check(&root, "split-graph", Some("extra-types"));
}

/// Files are emitted on several threads; which thread does what must not show in the output.
#[test]
fn output_does_not_depend_on_the_thread_count() {
    for split in [Split::Never, Split::Always] {
        let mut config = split_config(&graph_spec(), "threads");
        config.krate.split = split;
        config.threads = Some(1);
        let one = config.generate().unwrap().files;
        config.threads = Some(4);
        let four = config.generate().unwrap().files;
        assert_eq!(one, four, "{split:?}");
    }
}

/// Models files hold at most 150 types: a group of names with a common prefix is split by
/// longer prefixes (`types_alpha`, `types_webhookpullrequestre_1`...) so that no file grows to
/// megabytes (GitHub's webhook types made an 18 MB file); every type is in exactly one file.
#[test]
fn models_files_stay_small_whatever_the_names() {
    let mut yaml = String::from(
        "openapi: 3.0.3\ninfo: {title: Many, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
    );
    for i in 0..400 {
        yaml.push_str(&format!(
            "    WebhookPullRequestReviewThread{i:03}: {{type: object, properties: {{a: {{type: string}}}}}}\n"
        ));
    }
    for i in 0..200 {
        yaml.push_str(&format!(
            "    Alpha{i:03}: {{type: object, properties: {{a: {{type: string}}}}}}\n"
        ));
    }
    for i in 0..20 {
        yaml.push_str(&format!(
            "    Beta{i:02}: {{type: object, properties: {{a: {{type: string}}}}}}\n"
        ));
    }
    // Not under `root()`, which the compile test empties while this one may run.
    let dir = manifest_dir().join("../target/apigen-split-many-types");
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("many.yaml");
    std::fs::write(&spec, yaml).unwrap();
    let generated = split_config(&spec, "many-types").generate().unwrap();
    let mut total = 0;
    let mut files = Vec::new();
    for (path, text) in &generated.files {
        if let Some(stem) = path.strip_prefix("src/models/types_") {
            let n = text.matches("\npub struct ").count();
            assert!(n <= 150, "{path}: {n} types");
            total += n;
            files.push(stem.trim_end_matches(".rs").to_owned());
        }
    }
    assert_eq!(total, 620, "every type is in exactly one file");
    assert!(files.contains(&"b".to_owned()), "{files:?}");
    assert!(files.iter().any(|f| f.starts_with("alpha")), "{files:?}");
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("webhookpullrequestre") && f.ends_with("_3")),
        "{files:?}"
    );
}
