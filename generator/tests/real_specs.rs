//! Real public specs (`tests/real-specs/`, see its README for provenance) generate without a
//! single warning, and their crates compile with every feature and `-D warnings`; for the
//! Swagger 2.0 ones, every operation of the document is generated; the OData reference service's
//! CSDL (TripPin) addresses entities as OData's URL conventions say.

use std::path::{Path, PathBuf};

use apigen::Config;

mod scratch;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The OpenAPI 3 specs (JSON files at the top of `tests/real-specs/`).
fn specs() -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(manifest_dir().join("tests/real-specs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| !p.to_string_lossy().ends_with(".swagger.json"))
        .collect();
    specs.sort();
    specs
}

/// The Swagger 2.0 specs: Docker Engine (YAML), a slice of Kubernetes, an Azure Resource
/// Manager service (with references into Azure's `common-types`).
fn swagger2_specs() -> Vec<PathBuf> {
    [
        "docker-engine.swagger.yaml",
        "kubernetes-slice.swagger.json",
        "azure/specification/appconfiguration/resource-manager/Microsoft.AppConfiguration/stable/2022-05-01/appconfiguration.json",
    ]
    .iter()
    .map(|p| manifest_dir().join("tests/real-specs").join(p))
    .collect()
}

/// The CSDL documents: the OData reference service TripPin.
fn csdl_specs() -> Vec<PathBuf> {
    vec![manifest_dir().join("tests/real-specs/trippin.csdl.xml")]
}

/// Operations the document declares: methods under `paths` and `x-ms-paths`.
fn declared_operations(spec: &Path) -> usize {
    let text = std::fs::read_to_string(spec).unwrap();
    let doc: serde_json::Value = if spec.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).unwrap()
    } else {
        apigen::unstable::yaml::parse(&text).unwrap()
    };
    let methods = ["get", "put", "post", "delete", "options", "head", "patch"];
    ["paths", "x-ms-paths"]
        .iter()
        .filter_map(|k| doc.get(k).and_then(|p| p.as_object()))
        .flat_map(|p| p.values())
        .filter_map(|item| item.as_object())
        .map(|item| {
            item.keys()
                .filter(|k| methods.contains(&k.as_str()))
                .count()
        })
        .sum()
}

fn crate_name(spec: &Path) -> String {
    let stem = spec.file_stem().unwrap().to_string_lossy();
    format!(
        "real-{}",
        stem.replace(['.', '_'], "-")
            .trim_end_matches("-json")
            .trim_end_matches("-csdl")
    )
}

#[test]
fn real_specs_generate_without_warnings_and_compile() {
    let root = manifest_dir().join("../target/apigen-real-specs");
    std::fs::create_dir_all(&root).unwrap();
    let specs = specs();
    assert_eq!(specs.len(), 5, "the vendored specs are all there");
    let swagger2 = swagger2_specs();
    let csdl = csdl_specs();
    let mut members = Vec::new();
    for spec in specs.iter().chain(&swagger2).chain(&csdl) {
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
        if swagger2.contains(spec) {
            let (api, _) = apigen::unstable::lower(&config).unwrap();
            assert_eq!(
                api.operations.len(),
                declared_operations(spec),
                "{}: every operation of the document is generated",
                spec.display()
            );
        }
        generated.write().unwrap();
        members.push(name);
    }
    scratch::check_workspace(&root, &members, &["--all-features"], "real-spec crates");
}

/// TripPin does not say it takes keys as path segments, so entities are addressed by key in
/// parentheses, string keys quoted; bound functions follow the entity, function imports take
/// their parameters in the segment; a media entity's content is `$value`.
#[test]
fn trippin_addresses_entities_as_odata_says() {
    let spec = &csdl_specs()[0];
    let config = Config::new(spec, "/nonexistent", "trippin");
    let (api, diags) = apigen::unstable::lower(&config).unwrap();
    assert!(diags.is_empty(), "{}", apigen::render_diagnostics(&diags));
    let ops: std::collections::BTreeSet<(String, String)> = api
        .operations
        .iter()
        .map(|o| (o.method.as_str().to_owned(), o.path.clone()))
        .collect();
    for (method, path) in [
        ("GET", "/People"),
        ("GET", "/People('{Person-id}')"),
        ("PATCH", "/People('{Person-id}')"),
        ("GET", "/People('{Person-id}')/Trips({Trip-id})"),
        (
            "GET",
            "/People('{Person-id}')/Trips({Trip-id})/PlanItems({PlanItem-id})",
        ),
        ("GET", "/Photos({Photo-id})"),
        // `Photo` is a media entity (`HasStream`): its content is read and replaced as bytes.
        ("GET", "/Photos({Photo-id})/$value"),
        ("PUT", "/Photos({Photo-id})/$value"),
        ("GET", "/Airports('{Airport-id}')"),
        (
            "GET",
            "/Me/Microsoft.OData.SampleService.Models.TripPin.GetFavoriteAirline()",
        ),
        ("GET", "/GetNearestAirport(lat={lat},lon={lon})"),
        ("POST", "/ResetDataSource"),
    ] {
        assert!(
            ops.contains(&(method.to_owned(), path.to_owned())),
            "{method} {path} in {ops:#?}"
        );
    }
    assert!(
        !ops.iter().any(|(_, p)| p.contains("/{")),
        "no key segments: {ops:#?}"
    );
}
