//! codegen.toml features that change what is generated: selection (with the type closure it
//! implies), type overrides, and chosen names.

use std::path::PathBuf;

use apigen::Config;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn config_for(input: &str, toml_tail: &str) -> Config {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/apigen-config-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let text = format!(
        "input = {:?}\noutput = \"out\"\n{toml_tail}",
        fixture(input).display().to_string()
    );
    let path = dir.join(format!("{}.toml", input.replace('.', "-")));
    std::fs::write(&path, &text).unwrap();
    Config::from_toml(&path, &text).unwrap()
}

fn type_names(models: &str) -> Vec<String> {
    models
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            ["pub struct ", "pub enum ", "pub type "]
                .iter()
                .find_map(|p| l.strip_prefix(p))
                .map(|rest| {
                    rest.split([' ', '(', '<', '=', '{', ';'])
                        .next()
                        .unwrap()
                        .to_owned()
                })
        })
        .collect()
}

/// Selecting the assignment-request paths of the real Graph excerpt keeps exactly the types
/// those operations use, transitively; polymorphic unions keep only variants reachable otherwise.
#[test]
fn selection_keeps_the_closure_of_the_kept_operations() {
    let config = config_for(
        "graph-beta-entitlement.csdl.xml",
        "[select]\ninclude-paths = [\"/identityGovernance/entitlementManagement/accessPackageAssignmentRequests\"]\nexclude-paths = [\"/identityGovernance/entitlementManagement/accessPackageAssignmentRequests('{accessPackageAssignmentRequest-id}')/accessPackageAssignment\"]\n",
    );
    let generated = config.generate().unwrap();
    let client = &generated.files["src/client.rs"];
    assert!(client.contains("pub fn create_identity_governance_entitlement_management_access_package_assignment_request("));
    assert!(
        !client.contains("/subjects"),
        "operations outside the selection are gone"
    );
    assert!(client.contains(
        "accessPackageAssignmentRequests('{accessPackageAssignmentRequest-id}')/microsoft.graph.resume"
    ));
    assert!(!client.contains("accessPackageAssignmentRequest-id}')/accessPackageAssignment`"));
    let names = type_names(&generated.files["src/models.rs"]);
    insta::assert_snapshot!("selection_closure", names.join("\n"));

    // Without a selection, everything the CSDL declares is generated.
    let all = config_for("graph-beta-entitlement.csdl.xml", "")
        .generate()
        .unwrap();
    assert!(type_names(&all.files["src/models.rs"]).len() > names.len());
}

#[test]
fn excluded_types_become_raw_json() {
    let config = config_for(
        "inheritance-polymorphism.yaml",
        "[select]\ninclude-tags = []\nexclude-types = [\"Cat\", \"Shape\"]\ninclude-types = [\"Holder\"]\n",
    );
    let generated = config.generate().unwrap();
    let models = &generated.files["src/models.rs"];
    let names = type_names(models);
    assert!(!names.contains(&"Cat".to_owned()), "{names:?}");
    assert!(!names.contains(&"Shape".to_owned()), "{names:?}");
    assert!(names.contains(&"Holder".to_owned()));
    assert!(
        models.contains("pub shape: Option<serde_json::Value>"),
        "{models}"
    );
    // The union lost its Cat variant: a cat decodes as raw JSON.
    assert!(!models.contains("Cat(Box<Cat>)"));
}

/// An excluded type used as the value of a struct's typed additional properties becomes raw
/// JSON there too (every place a type is referenced is rewritten by one IR walk; this one was
/// missed by a hand-written walk before).
#[test]
fn excluded_types_become_raw_json_in_additional_properties() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/apigen-config-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("excluded-map.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /h:\n    get:\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Holder'}}}}\ncomponents:\n  schemas:\n    Holder:\n      type: object\n      properties: {a: {type: string}}\n      additionalProperties: {$ref: '#/components/schemas/Secret'}\n    Secret: {type: object, properties: {s: {type: string}}}\n",
    )
    .unwrap();
    let text = format!(
        "input = {:?}\noutput = \"out\"\n[select]\nexclude-types = [\"Secret\"]\n",
        spec.display().to_string()
    );
    let path = dir.join("excluded-map.toml");
    let config = Config::from_toml(&path, &text).unwrap();
    let generated = config.generate().unwrap();
    let models = &generated.files["src/models.rs"];
    assert_eq!(type_names(models), ["Holder"], "{models}");
    assert!(
        models.contains("pub additional_properties: BTreeMap<String, serde_json::Value>"),
        "{models}"
    );
}

#[test]
fn types_map_to_existing_rust_types_and_names_can_be_chosen() {
    let config = config_for(
        "schema-features.yaml",
        "[types]\nFormats = \"std::collections::HashMap<String, serde_json::Value>\"\n[names.types]\nNested = \"Tree\"\n",
    );
    let generated = config.generate().unwrap();
    let models = &generated.files["src/models.rs"];
    assert!(
        models.contains("pub type Formats = std::collections::HashMap<String, serde_json::Value>;"),
        "{models}"
    );
    assert!(models.contains("pub struct Tree {"), "{models}");
    assert!(!models.contains("pub struct Nested {"));

    let config = config_for(
        "operations.yaml",
        "[names.operations]\n\"GET /reports/{reportId}\" = \"fetch_report\"\n",
    );
    let client = &config.generate().unwrap().files["src/client.rs"];
    assert!(client.contains("pub fn fetch_report("), "{client}");
}

#[test]
fn unknown_names_in_the_configuration_are_warnings_with_suggestions() {
    let config = config_for("schema-features.yaml", "[names.types]\nNestd = \"Tree\"\n");
    let generated = config.generate().unwrap();
    let w = generated
        .diagnostics
        .iter()
        .find(|d| d.message.contains("codegen.toml"))
        .unwrap();
    assert!(
        w.message
            .contains("type `Nestd` (in codegen.toml) matches nothing"),
        "{w}"
    );
    assert_eq!(w.help.as_deref(), Some("did you mean `Nested`?"));
}

#[test]
fn bad_override_paths_are_config_errors() {
    let text = "input = \"x.yaml\"\noutput = \"out\"\n[types]\nA = \"not a type!\"\n";
    let err = Config::from_toml(std::path::Path::new("codegen.toml"), text).unwrap_err();
    let d = &err.diagnostics()[0];
    assert!(d.message.contains("is not a Rust type"), "{d}");
    assert_eq!(d.location.line, Some(4));
}

/// The reference in `docs/codegen-toml.md`: its example is a valid configuration, and every
/// key it shows has a row in its table (so a key added to the parser without docs, or
/// documented wrongly, shows here once it is added to the example).
#[test]
fn the_documented_example_is_valid_and_every_key_in_it_is_described() {
    let doc_path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/codegen-toml.md");
    let doc = std::fs::read_to_string(doc_path).unwrap();
    let example = doc
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a TOML example");
    Config::from_toml(std::path::Path::new("codegen.toml"), example)
        .unwrap_or_else(|e| panic!("the documented example is invalid: {e:?}"));
    // Keys of the example, with their table: `crate.name`, `select.include-paths`...
    let mut table = String::new();
    for line in example.lines() {
        let line = line.split(" #").next().unwrap_or("").trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            table = name.to_owned();
            continue;
        }
        let Some((key, _)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if key.starts_with('"') {
            continue; // a name the user chose, in a map table
        }
        if table == "crate.dev-dependencies" {
            continue; // dependency names are the user's
        }
        let full = if table.is_empty() {
            key.to_owned()
        } else {
            format!("{table}.{key}")
        };
        assert!(
            doc.contains(&format!("| `{full}` |")),
            "`{full}` has no row in the table"
        );
    }
    for map in ["types", "names.types", "names.operations", "diff.levels"] {
        assert!(doc.contains(&format!("| `{map}` |")), "`{map}` has no row");
    }
}
