//! The `mock` module costs nothing to a crate that does not turn it on: with `crate.mock`
//! (the default) the generator adds the mock files and two declarations (the module, under
//! `#[cfg(feature = "mock")]`, and the feature), and every other byte of the crate is what it
//! is without mocks.

use std::path::PathBuf;

use apigen::Config;

/// Every fixture spec (as the snapshot tests list them).
fn fixtures() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(Some(path.join("openapi.yaml")).filter(|p| p.exists()));
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

fn is_mock_file(path: &str) -> bool {
    path == "src/mock.rs" || path.starts_with("src/mock/")
}

/// The lines of `with` that are not in `without`, when `with` is `without` plus lines only.
fn added_lines<'a>(without: &str, with: &'a str) -> Vec<&'a str> {
    let mut old = without.lines().peekable();
    let mut added = Vec::new();
    for line in with.lines() {
        if old.peek() == Some(&line) {
            old.next();
        } else {
            added.push(line);
        }
    }
    assert!(old.next().is_none(), "lines were removed:\n{with}");
    added
}

fn compare(config: &Config, what: &str) {
    let with = config.generate().unwrap().files;
    let mut off = config.clone();
    off.krate.mock = false;
    let without = off.generate().unwrap().files;
    assert!(
        with.keys().any(|p| is_mock_file(p)),
        "{what}: no mock file in {:?}",
        with.keys()
    );
    assert!(!without.keys().any(|p| is_mock_file(p)), "{what}");
    for (path, text) in &without {
        let new = &with[path];
        match path.as_str() {
            "src/lib.rs" => assert_eq!(
                added_lines(text, new),
                [
                    "#[cfg(feature = \"mock\")]",
                    "#[rustfmt::skip]",
                    "pub mod mock;",
                    ""
                ],
                "{what}: {path}"
            ),
            "Cargo.toml" => assert_eq!(
                added_lines(text, new),
                [
                    "# A typed mock server of the API (`mock` module), for tests of code that uses this crate.",
                    "mock = [\"apigen-runtime/mock\"]"
                ],
                "{what}: {path}"
            ),
            _ => assert!(new == text, "{what}: {path} differs with mocks"),
        }
    }
    for path in with.keys() {
        assert!(
            without.contains_key(path) || is_mock_file(path),
            "{what}: {path}"
        );
    }
}

#[test]
fn mock_files_leave_every_other_file_unchanged() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let spec = Config::from_file(manifest.join("../spec/codegen.toml")).unwrap();
    compare(&spec, "spec");
    let out = manifest.join("../target/apigen-mock-identity");
    for path in fixtures() {
        let mut config = Config::new(&path, out.join("x"), "x");
        compare(&config, &path.display().to_string());
        config.krate.split = apigen::config::Split::Always;
        compare(&config, &format!("{} (split)", path.display()));
    }
}

#[test]
fn mock_stubs_are_per_area_in_split_crates() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut config = Config::new(
        manifest.join("tests/fixtures/operations.yaml"),
        manifest.join("../target/apigen-mock-split"),
        "x",
    );
    config.krate.split = apigen::config::Split::Always;
    let files = config.generate().unwrap().files;
    let module = &files["src/mock/mod.rs"];
    let areas: Vec<&String> = files
        .keys()
        .filter(|p| p.starts_with("src/mock/") && *p != "src/mock/mod.rs")
        .collect();
    assert!(!areas.is_empty());
    for area in areas {
        let stem = area.trim_start_matches("src/mock/").trim_end_matches(".rs");
        assert!(
            module.contains(&format!("mod {stem};")) || module.contains(&format!("mod r#{stem};")),
            "{area} is not declared in:\n{module}"
        );
        assert!(files[area].contains("impl MockServer {"), "{area}");
    }
}
