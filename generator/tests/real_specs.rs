//! Real public specs (`tests/real-specs/`, see its README for provenance) generate without a
//! single warning, and their crates compile with every feature and `-D warnings`.

use std::path::{Path, PathBuf};

use apigen::Config;

mod scratch;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn specs() -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(manifest_dir().join("tests/real-specs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    specs.sort();
    specs
}

fn crate_name(spec: &Path) -> String {
    let stem = spec.file_stem().unwrap().to_string_lossy();
    format!(
        "real-{}",
        stem.replace(['.', '_'], "-").trim_end_matches("-json")
    )
}

#[test]
fn real_specs_generate_without_warnings_and_compile() {
    let root = manifest_dir().join("../target/apigen-real-specs");
    std::fs::create_dir_all(&root).unwrap();
    let specs = specs();
    assert_eq!(specs.len(), 5, "the vendored specs are all there");
    let mut members = Vec::new();
    for spec in &specs {
        let name = crate_name(spec);
        let mut config = Config::new(spec, root.join(&name), &name);
        config.krate.runtime_path = Some(manifest_dir().join("../runtime"));
        let generated = config
            .generate()
            .unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
        assert!(
            generated.diagnostics.is_empty(),
            "{}: {}",
            spec.display(),
            apigen::render_diagnostics(&generated.diagnostics)
        );
        generated.write().unwrap();
        members.push(name);
    }
    scratch::check_workspace(&root, &members, &["--all-features"], "real-spec crates");
}
