//! Generated clients on the wire: a fixture's crate, with the hand-written tests of
//! `tests/wire/<fixture>.rs` as its own `tests/`, is built and tested (`cargo test`) in a scratch
//! workspace. The tests talk to a real HTTP server on loopback (wiremock), so what is checked is
//! what the generated code sends and reads, not what the generator meant it to.

use std::path::PathBuf;

use apigen::Config;

mod scratch;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Real specs with wire tests: the crate's name (after `wire-`) and the file under
/// `tests/real-specs/`.
const REAL_SPECS: &[(&str, &str)] = &[
    ("docker-engine", "docker-engine.swagger.yaml"),
    ("trippin", "trippin.csdl.xml"),
];

/// The crate of each fixture (its name without extension) or real spec ([`REAL_SPECS`]), with
/// its wire tests, in one workspace.
fn test_fixtures(fixtures: &[&str]) {
    let root = manifest_dir().join("../target/apigen-wire-crates");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let mut members = Vec::new();
    for entry in fixtures {
        // `fixture+non-exhaustive`: the fixture generated with `crate.non-exhaustive`.
        let (fixture, non_exhaustive) = match entry.strip_suffix("+non-exhaustive") {
            Some(f) => (f, true),
            None => (*entry, false),
        };
        let name = format!("wire-{}", entry.replace('+', "-"));
        let dir = root.join(&name);
        // A real spec (`tests/real-specs/`) or a fixture (`tests/fixtures/`).
        let spec = match REAL_SPECS.iter().find(|(n, _)| *n == fixture) {
            Some((_, file)) => manifest_dir().join("tests/real-specs").join(file),
            None => {
                let yaml = manifest_dir().join(format!("tests/fixtures/{fixture}.yaml"));
                if yaml.exists() {
                    yaml
                } else {
                    manifest_dir().join(format!("tests/fixtures/{fixture}.json"))
                }
            }
        };
        let mut config = Config::new(&spec, &dir, &name);
        config.krate.non_exhaustive = non_exhaustive;
        config.krate.runtime_path = Some(manifest_dir().join("../runtime"));
        config.krate.dev_dependencies = Some(
            [
                r#"tokio = { version = "1", features = ["macros", "rt-multi-thread"] }"#,
                r#"wiremock = "0.6""#,
            ]
            .join("\n"),
        );
        config.generate().unwrap().write().unwrap();
        let tests =
            manifest_dir().join(format!("tests/wire/{}.rs", entry.replace(['-', '+'], "_")));
        std::fs::create_dir_all(dir.join("tests")).unwrap();
        std::fs::copy(&tests, dir.join("tests/wire.rs"))
            .unwrap_or_else(|e| panic!("{}: {e}", tests.display()));
        members.push(name);
    }
    scratch::test_workspace(&root, &members, "wire tests of fixture crates");
}

/// `link-paging`: lists whose description declares a `Link` header page through it (GitHub's
/// way), with the client and the crate's mock server. `media-types`: `Accept` lists the media types of the documented responses (a server that
/// honours it answers 406 otherwise), bodies go out in the media type the description declares
/// (a server that takes only that one answers 415 otherwise), and multipart parts go out in
/// their media type (an enum as its text, without quotes). `query-names`: setters send the parameters they are named
/// after, `filter` included where the operation has no `$filter`. `ref-siblings`: `null` decodes
/// into `{$ref, nullable: true}` uses, and wrappers that add `required` send required fields.
/// `nullable-refs` and `openapi31`: `null` decodes, and is sent back, wherever the description
/// allows it (references to nullable components of every kind, array items, map values, response
/// bodies). `read-write-only`: required `readOnly`/`writeOnly` fields are optional (required
/// in one direction only). `structured-enums`: enums of objects or arrays decode as their types;
/// with `crate.non-exhaustive`, its models are built with `Default` and enums matched with a
/// wildcard, as users of such a crate do. `swagger2-operations` and Docker Engine's real
/// description: Swagger 2.0's collection formats, form and file bodies, archives, typed errors.
/// `swagger2-azure`: `x-ms-pageable` pages over `nextLink`, `x-ms-paths`, long-running
/// operations; `swagger2-azure-data-plane`: a base URL built from `x-ms-parameterized-host`.
/// `graph-protocols`: Graph's delta function, driveItem `copy` (a 202 and its
/// monitor) and `createUploadSession` (an upload session) through their generated methods.
/// `servers`: the default base URL from servers with variables, and operations with their own
/// server following another base URL or a mapped one. `trippin`, the OData reference service's CSDL: keys in parentheses, function arguments, a
/// media entity's content.
#[test]
fn fixture_crates_pass_their_wire_tests() {
    test_fixtures(&[
        "docker-engine",
        "graph-protocols",
        "link-paging",
        "media-types",
        "nullable-refs",
        "openapi31",
        "query-names",
        "read-write-only",
        "ref-siblings",
        "servers",
        "structured-enums",
        "structured-enums+non-exhaustive",
        "swagger2-azure",
        "swagger2-azure-data-plane",
        "swagger2-operations",
        "trippin",
    ]);
}
