//! Snapshot tests (insta) of the generator's whole output: the repository's `spec/` and every
//! fixture spec under `tests/fixtures/`. Review every snapshot change as a code change.

use std::path::{Path, PathBuf};

use apigen::Config;

mod scratch;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn snapshot_crate(prefix: &str, generated: &apigen::Generated) {
    for (path, contents) in &generated.files {
        let name = format!("{prefix}__{}", path.replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, contents);
    }
}

#[test]
fn spec_output() {
    let config = Config::from_file(manifest_dir().join("../spec/codegen.toml")).unwrap();
    let generated = config.generate().unwrap();
    assert!(
        generated.diagnostics.is_empty(),
        "{:?}",
        generated.diagnostics
    );
    snapshot_crate("spec", &generated);
}

/// Fixture spec files, sorted: every spec file in `tests/fixtures/`, and `openapi.yaml` of each
/// subdirectory (a fixture made of several files).
pub fn fixtures() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(manifest_dir().join("tests/fixtures")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let main = path.join("openapi.yaml");
            if main.exists() {
                out.push(main);
            }
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json" | "xml")
        ) {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn fixture_name(path: &Path) -> String {
    let stem = path.file_stem().unwrap().to_string_lossy();
    if stem == "openapi" {
        let dir = path.parent().and_then(|d| d.file_name()).unwrap();
        return dir.to_string_lossy().replace('.', "-");
    }
    stem.replace('.', "-")
}

fn fixture_root() -> PathBuf {
    manifest_dir().join("../target/apigen-fixture-crates")
}

fn fixture_config(path: &Path, out: &Path) -> Config {
    let name = format!("fixture-{}", fixture_name(path));
    let mut config = Config::new(path, out.join(&name), &name);
    config.krate.runtime_path = Some(manifest_dir().join("../runtime"));
    config
}

#[test]
fn fixture_outputs() {
    for path in fixtures() {
        // The same place the compile test writes to, so the runtime path in Cargo.toml is the
        // same relative path on every checkout.
        let config = fixture_config(&path, &fixture_root());
        let generated = config
            .generate()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        snapshot_crate(&format!("fixture_{}", fixture_name(&path)), &generated);
    }
}

/// Every fixture's crate compiles, with its `mock` feature and without: they are written into
/// one scratch workspace (with this repository's Cargo.lock, so dependency versions match) and
/// checked with one `cargo check` each way.
#[test]
fn fixture_crates_compile() {
    let root = fixture_root();
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let mut members = Vec::new();
    for path in fixtures() {
        let config = fixture_config(&path, &root);
        let generated = config.generate().unwrap();
        generated.write().unwrap();
        members.push(format!("fixture-{}", fixture_name(&path)));
    }
    scratch::check_workspace(&root, &members, &[], "fixture crates");
    // With the mock server: every crate's `mock` module compiles too.
    scratch::check_workspace(
        &root,
        &members,
        &["--features", "mock"],
        "fixture crates with the `mock` feature",
    )
}

/// Two runs give identical bytes, and so do the YAML and JSON forms of the same document
/// (apart from the input file name the crate docs mention).
#[test]
fn output_is_deterministic() {
    let config = Config::from_file(manifest_dir().join("../spec/codegen.toml")).unwrap();
    let first = config.generate().unwrap().files;
    let second = config.generate().unwrap().files;
    assert_eq!(first, second);

    let yaml = std::fs::read_to_string(&config.input).unwrap();
    let value = apigen::unstable::yaml::parse(&yaml).unwrap();
    let dir = manifest_dir().join("../target/apigen-determinism");
    std::fs::create_dir_all(&dir).unwrap();
    let json_path = dir.join("entitlement.openapi.json");
    std::fs::write(&json_path, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    let mut from_json = config.clone();
    from_json.input = json_path;
    let third = from_json.generate().unwrap().files;
    for (path, contents) in &first {
        let other = third[path].replace("entitlement.openapi.json", "entitlement.openapi.yaml");
        assert_eq!(
            &other, contents,
            "{path} differs between YAML and JSON input"
        );
    }
}
