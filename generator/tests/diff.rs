//! `apigen::diff`: what a spec change does to the generated crate's public API. A fixture pair
//! (tests/diff/old.yaml -> new.yaml) makes every rule fire; its text and JSON reports are
//! snapshots. Every fixture compared with itself has no change.

use std::path::{Path, PathBuf};

use apigen::Config;
use apigen::diff::{Format, Level, Rule};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn config(spec: &Path) -> Config {
    let mut c = Config::new(
        spec,
        manifest_dir().join("../target/apigen-diff-out"),
        "pets",
    );
    c.krate.version = "0.3.1".into();
    c
}

/// Paths in reports are written relative to the manifest directory, so snapshots do not
/// depend on the checkout's place.
fn relative(report: &str) -> String {
    report.replace(&format!("{}/", manifest_dir().display()), "")
}

#[test]
fn every_rule_fires_on_the_fixture_pair() {
    let old = config(Path::new("tests/diff/old.yaml"));
    let new = config(Path::new("tests/diff/new.yaml"));
    let diff = apigen::diff(&old, &new).unwrap();
    let fired: std::collections::BTreeSet<Rule> = diff.changes.iter().map(|c| c.rule).collect();
    // Rules this pair does not reach: enums only gain or lose their fallback through a
    // configuration change, the crate's features depend on its layout, and the reverse pair
    // (below) has the removals and reversals of this one.
    let unreachable = [
        Rule::UnionVariantRemoved,
        Rule::EnumBecameOpen,
        Rule::EnumBecameClosed,
        Rule::FeatureAdded,
        Rule::FeatureRemoved,
        Rule::ModuleAdded,
        Rule::ModuleRemoved,
        Rule::FieldRenamed,
        Rule::FieldBecameRequired,
        Rule::FieldBecameNonNullable,
    ];
    for rule in Rule::ALL {
        if !unreachable.contains(rule) {
            assert!(
                fired.contains(rule),
                "{} did not fire:\n{}",
                rule.id(),
                diff.render(Format::Text)
            );
        }
    }
    assert_eq!(diff.level(), Some(Level::Major));
    assert_eq!(diff.next_version().as_deref(), Some("0.4.0"));
    // A rename is a rename, with the configuration that keeps the old name.
    let renamed = diff
        .changes
        .iter()
        .find(|c| c.rule == Rule::MethodRenamed && c.item == "Client::list_pets")
        .unwrap();
    assert!(
        renamed
            .hint
            .as_deref()
            .unwrap()
            .contains(r#""GET /pets" = "list_pets""#),
        "{renamed:?}"
    );
    // Spec positions on both sides.
    let old_ref = renamed.old.as_ref().unwrap();
    assert_eq!(
        old_ref.location.pointer.as_deref(),
        Some("/paths/~1pets/get")
    );
    assert_eq!(old_ref.location.line, Some(7));
    insta::assert_snapshot!("diff_text", relative(&diff.render(Format::Text)));
    insta::assert_snapshot!("diff_json", relative(&diff.render(Format::Json)));
    insta::assert_snapshot!("diff_markdown", relative(&diff.render(Format::Markdown)));
    insta::assert_snapshot!("diff_github", relative(&diff.render(Format::Github)));
}

/// The reverse change: what was added is removed, and the other way round.
#[test]
fn the_reverse_pair_swaps_additions_and_removals() {
    let old = config(Path::new("tests/diff/new.yaml"));
    let new = config(Path::new("tests/diff/old.yaml"));
    let diff = apigen::diff(&old, &new).unwrap();
    let fired: Vec<Rule> = diff.changes.iter().map(|c| c.rule).collect();
    for rule in [
        Rule::UnionVariantRemoved,
        Rule::FieldBecameRequired,
        Rule::FieldBecameNonNullable,
        Rule::MethodRemoved,
        Rule::MethodAdded,
        Rule::TypeAdded,
    ] {
        assert!(fired.contains(&rule), "{}", rule.id());
    }
}

/// Every fixture, the seed (OpenAPI and CSDL) and the vendored real specs, each compared with
/// itself: nothing changed.
#[test]
fn a_spec_compared_with_itself_has_no_change() {
    let mut specs = Vec::new();
    for entry in std::fs::read_dir(manifest_dir().join("tests/fixtures")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.join("openapi.yaml").exists() {
                specs.push(path.join("openapi.yaml"));
            }
        } else {
            specs.push(path);
        }
    }
    specs.push(manifest_dir().join("../spec/entitlement.openapi.yaml"));
    specs.push(manifest_dir().join("../spec/entitlement.csdl.xml"));
    // The real specs vendored for the tests (Airflow, Box, DigitalOcean, Twilio, Velo).
    for entry in std::fs::read_dir(manifest_dir().join("tests/real-specs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json" || e == "yaml") {
            specs.push(path);
        }
    }
    specs.sort();
    for spec in specs {
        let c = config(&spec);
        let diff = apigen::diff(&c, &c).unwrap();
        assert!(
            diff.changes.is_empty(),
            "{}:\n{}",
            spec.display(),
            diff.render(Format::Text)
        );
        assert_eq!(diff.level(), None);
        assert_eq!(diff.next_version(), None);
    }
}

#[test]
fn next_versions_follow_cargo_rules() {
    let old = config(Path::new("tests/diff/old.yaml"));
    let mut diff = apigen::diff(&old, &old).unwrap();
    let add = |d: &mut apigen::ApiDiff, rule: Rule| {
        d.changes.push(apigen::diff::Change {
            rule,
            level: rule.level(),
            why: rule.why(),
            item: "x".into(),
            detail: String::new(),
            hint: None,
            old: None,
            new: None,
        })
    };
    for (version, rule, next) in [
        ("0.3.1", Rule::MethodAdded, "0.3.2"),
        ("0.3.1", Rule::MethodRemoved, "0.4.0"),
        ("1.2.3", Rule::MethodAdded, "1.3.0"),
        ("1.2.3", Rule::MethodRemoved, "2.0.0"),
        ("1.2.3-beta.1", Rule::FieldAdded, "2.0.0"),
    ] {
        diff.changes.clear();
        diff.version = version.into();
        add(&mut diff, rule);
        assert_eq!(
            diff.next_version().as_deref(),
            Some(next),
            "{version} {}",
            rule.id()
        );
    }
    diff.version = "not a version".into();
    assert_eq!(diff.next_version(), None);
}

/// With `crate.non-exhaustive`, models with `Default` and enums are `#[non_exhaustive]`: an
/// added field or variant is minor, and the report reads that from the generated code.
#[test]
fn additions_to_non_exhaustive_types_are_minor() {
    let mut old = config(Path::new("tests/diff/old.yaml"));
    let mut new = config(Path::new("tests/diff/new.yaml"));
    old.krate.non_exhaustive = true;
    new.krate.non_exhaustive = true;
    let diff = apigen::diff(&old, &new).unwrap();
    let level = |rule: Rule, item: &str| {
        diff.changes
            .iter()
            .find(|c| c.rule == rule && c.item == item)
            .map(|c| c.level)
    };
    assert_eq!(
        level(Rule::FieldAdded, "models::Pet::weight"),
        Some(Level::Minor)
    );
    assert_eq!(
        level(Rule::EnumVariantAdded, "models::Status::Pending"),
        Some(Level::Minor)
    );
    assert_eq!(
        level(Rule::UnionVariantAdded, "models::Shape::Triangle"),
        Some(Level::Minor)
    );
    // Removals stay major.
    assert_eq!(
        level(Rule::EnumVariantRemoved, "models::Status::Sold"),
        Some(Level::Major)
    );
    assert!(
        diff.render(Format::Text)
            .contains("the type is #[non_exhaustive]"),
        "{}",
        diff.render(Format::Text)
    );
}

/// `[diff.levels]` in codegen.toml sets a rule's level, or leaves it out of reports.
#[test]
fn configured_levels_apply() {
    let old = config(Path::new("tests/diff/old.yaml"));
    let mut new = config(Path::new("tests/diff/new.yaml"));
    new.diff_levels
        .insert("field-added".into(), Some(Level::Patch));
    new.diff_levels.insert("enum-variant-removed".into(), None);
    let diff = apigen::diff(&old, &new).unwrap();
    let added = diff
        .changes
        .iter()
        .find(|c| c.rule == Rule::FieldAdded)
        .unwrap();
    assert_eq!(added.level, Level::Patch);
    assert!(added.why.contains("[diff.levels]"));
    assert!(
        !diff
            .changes
            .iter()
            .any(|c| c.rule == Rule::EnumVariantRemoved)
    );
    // Read from codegen.toml, with a located error for a rule that does not exist.
    let dir = manifest_dir().join("../target/apigen-diff-config");
    std::fs::create_dir_all(&dir).unwrap();
    let toml = dir.join("codegen.toml");
    let text = "input = \"x.yaml\"\noutput = \"out\"\n[diff.levels]\nfield-added = \"minor\"\nenum-variant-added = \"ignore\"\n";
    let c = Config::from_toml(&toml, text).unwrap();
    assert_eq!(c.diff_levels.get("field-added"), Some(&Some(Level::Minor)));
    assert_eq!(c.diff_levels.get("enum-variant-added"), Some(&None));
    let e = Config::from_toml(
        &toml,
        "input = \"x.yaml\"\noutput = \"out\"\n[diff.levels]\nfield-add = \"minor\"\n",
    )
    .unwrap_err();
    let d = &e.diagnostics()[0];
    assert!(
        d.message.contains("unknown API-change rule `field-add`"),
        "{d}"
    );
    assert_eq!(d.location.line, Some(4));
    assert!(d.to_string().contains("field-added"), "{d}");
}

/// The seed (Graph's entitlement slice, `spec/entitlement.openapi.yaml`) against hand-made
/// mutations, each with the rule it must fire on the item it changes.
#[test]
fn mutations_of_the_seed_are_reported() {
    let seed_path = manifest_dir().join("../spec/entitlement.openapi.yaml");
    let seed = std::fs::read_to_string(&seed_path).unwrap();
    let dir = manifest_dir().join("../target/apigen-diff-seed");
    std::fs::create_dir_all(&dir).unwrap();
    let old = config(&seed_path);
    let cases: &[(&str, &str, &str, Rule, &str)] = &[
        (
            "renamed operationId",
            "operationId: accessPackages.GetAccessPackage",
            "operationId: accessPackages.FetchAccessPackage",
            Rule::MethodRenamed,
            "Client::access_packages_get_access_package",
        ),
        (
            "a new enum value",
            "      - calloutSent\n",
            "      - calloutSent\n      - calloutQueued\n",
            Rule::EnumVariantAdded,
            "models::CustomExtensionCalloutInstanceStatus::CalloutQueued",
        ),
        (
            "an enum value removed",
            "      - callbackTimedOut\n",
            "",
            Rule::EnumVariantRemoved,
            "models::CustomExtensionCalloutInstanceStatus::CallbackTimedOut",
        ),
        (
            "a new property",
            "        isSingleLineQuestion:\n",
            "        maxLength:\n            type: integer\n            format: int32\n            nullable: true\n        isSingleLineQuestion:\n",
            Rule::FieldAdded,
            "models::AccessPackageTextInputQuestion::max_length",
        ),
        (
            "a property type changed",
            "        duration:\n          type: string\n          format: duration\n",
            "        duration:\n          type: integer\n          format: int64\n",
            Rule::FieldTypeChanged,
            "models::ExpirationPattern::duration",
        ),
        (
            "a derived type removed from a union",
            "          '#microsoft.graph.accessPackageTextInputQuestion': '#/components/schemas/microsoft.graph.accessPackageTextInputQuestion'\n",
            "",
            Rule::UnionVariantRemoved,
            "models::AnyAccessPackageQuestion::AccessPackageTextInputQuestion",
        ),
    ];
    for (what, from, to, rule, item) in cases {
        assert!(
            seed.contains(from),
            "{what}: the seed changed; update the mutation"
        );
        let mut text = seed.replacen(from, to, 1);
        // A derived type leaves the union only when it no longer derives from the base.
        if *rule == Rule::UnionVariantRemoved {
            let link = "    microsoft.graph.accessPackageTextInputQuestion:\n      allOf:\n      - $ref: '#/components/schemas/microsoft.graph.accessPackageQuestion'\n";
            assert!(text.contains(link), "{what}: the seed changed");
            text = text.replacen(
                link,
                "    microsoft.graph.accessPackageTextInputQuestion:\n      allOf:\n",
                1,
            );
        }
        let path = dir.join(format!("{}.yaml", what.replace(' ', "-")));
        std::fs::write(&path, text).unwrap();
        let diff = apigen::diff(&old, &config(&path)).unwrap();
        assert!(
            diff.changes
                .iter()
                .any(|c| c.rule == *rule && c.item == *item),
            "{what}: no {} on {item}:\n{}",
            rule.id(),
            diff.render(Format::Text)
        );
    }
}

/// A split crate: an area that goes away removes its module and its cargo feature.
#[test]
fn a_removed_area_removes_its_module_and_feature() {
    let old_text = std::fs::read_to_string(manifest_dir().join("tests/diff/old.yaml")).unwrap();
    let cut = old_text.find("  /owners/{ownerId}:").unwrap();
    let end = old_text.find("components:").unwrap();
    let new_text = format!("{}{}", &old_text[..cut], &old_text[end..]);
    let dir = manifest_dir().join("../target/apigen-diff-split");
    std::fs::create_dir_all(&dir).unwrap();
    let (old_path, new_path) = (dir.join("old.yaml"), dir.join("new.yaml"));
    std::fs::write(&old_path, &old_text).unwrap();
    std::fs::write(&new_path, new_text).unwrap();
    let split = |p: &Path| {
        let mut c = config(p);
        c.krate.split = apigen::config::Split::Always;
        c
    };
    let diff = apigen::diff(&split(&old_path), &split(&new_path)).unwrap();
    let has = |rule: Rule, item: &str| {
        diff.changes
            .iter()
            .any(|c| c.rule == rule && c.item == item)
    };
    assert!(
        has(Rule::ModuleRemoved, "client::owners"),
        "{}",
        diff.render(Format::Text)
    );
    assert!(
        has(Rule::FeatureRemoved, "feature `owners`"),
        "{}",
        diff.render(Format::Text)
    );
    assert!(has(Rule::MethodRemoved, "Client::get_owner"));
    // And back: the module and the feature are new.
    let diff = apigen::diff(&split(&new_path), &split(&old_path)).unwrap();
    assert!(
        diff.changes
            .iter()
            .any(|c| c.rule == Rule::ModuleAdded && c.item == "client::owners")
    );
    assert!(diff.changes.iter().any(|c| c.rule == Rule::FeatureAdded));
}
