//! Hostile specs: each gives compiling code (the `hostile-names` fixture, compiled by the
//! snapshot tests) or a clear, located error; never a panic, a hang or unbounded memory.
//! A failed generation never touches an existing crate.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use apigen::{Config, Diagnostic, Severity};

fn dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/apigen-hostile");
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn config(path: &Path) -> Config {
    Config::new(path, path.with_extension("out"), "hostile")
}

fn run(name: &str, text: &str) -> Result<apigen::Generated, Vec<Diagnostic>> {
    let path = write(name, text.as_bytes());
    config(&path)
        .generate()
        .map_err(|e| e.diagnostics().to_vec())
}

fn first_error(d: &[Diagnostic]) -> &Diagnostic {
    d.iter()
        .find(|d| d.severity == Severity::Error)
        .expect("an error")
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

#[test]
fn thousands_of_nesting_levels_are_an_error_not_a_stack_overflow() {
    let mut json = String::from(
        r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":{"Deep":"#,
    );
    for _ in 0..20_000 {
        json.push_str(r#"{"type":"object","properties":{"a":"#);
    }
    json.push_str(r#"{"type":"string"}"#);
    for _ in 0..20_000 {
        json.push_str("}}");
    }
    json.push_str("}}}");
    let d = run("deep.json", &json).unwrap_err();
    let e = first_error(&d);
    assert!(e.message.contains("recursion limit"), "{e}");
    assert!(e.location.line.is_some());

    let mut yaml = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Deep: ");
    for _ in 0..20_000 {
        yaml.push_str("{type: object, properties: {a: ");
    }
    yaml.push_str("{type: string}");
    for _ in 0..20_000 {
        yaml.push_str("}}");
    }
    let d = run("deep.yaml", &yaml).unwrap_err();
    let e = first_error(&d);
    assert!(e.message.starts_with("invalid YAML"), "{e}");
    assert!(
        e.message.contains("recursion") || e.message.contains("nesting"),
        "{e}"
    );
}

#[test]
fn deep_but_legal_nesting_generates() {
    let mut yaml = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Deep: ");
    for _ in 0..50 {
        yaml.push_str("{type: object, properties: {a: ");
    }
    yaml.push_str("{type: string}");
    for _ in 0..50 {
        yaml.push_str("}}");
    }
    let generated = run("deep-legal.yaml", &yaml).unwrap();
    let models = &generated.files["src/models.rs"];
    // One struct per level, each named after its parent and property.
    assert_eq!(models.matches("pub struct Deep").count(), 50);
    assert!(models.contains(&format!("pub struct Deep{} {{", "A".repeat(49))));
}

#[test]
fn yaml_alias_bombs_are_refused() {
    let mut yaml = format!(
        "{HEAD}paths: {{}}\nx-bomb:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let (p, n) = (w[0], w[1]);
        writeln!(
            yaml,
            "  {n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]"
        )
        .unwrap();
    }
    let d = run("bomb.yaml", &yaml).unwrap_err();
    let e = first_error(&d);
    assert!(e.message.contains("too many nodes"), "{e}");
    // `g` is where the expansion passes the budget (9^7 nodes).
    assert_eq!(e.location.line, Some(11));
}

#[test]
fn reference_cycles_of_every_kind() {
    // Schemas that are only references to each other: a warning, and any JSON value.
    let g = run(
        "cycle-schemas.yaml",
        &format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n    C: {{$ref: '#/components/schemas/C'}}\n"),
    )
    .unwrap();
    assert_eq!(
        g.diagnostics
            .iter()
            .filter(|d| d.message.contains("form a cycle"))
            .count(),
        2,
        "{:?}",
        g.diagnostics
    );
    // Inheritance from itself: an error.
    let d = run(
        "cycle-allof.yaml",
        &format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{allOf: [{{$ref: '#/components/schemas/B'}}]}}\n    B: {{allOf: [{{$ref: '#/components/schemas/A'}}, {{type: object}}]}}\n"),
    )
    .unwrap_err();
    assert!(first_error(&d).message.contains("inherits from itself"));
    // Parameters, responses, request bodies, path items.
    for (name, components, usage) in [
        (
            "cycle-params.yaml",
            "  parameters:\n    P: {$ref: '#/components/parameters/Q'}\n    Q: {$ref: '#/components/parameters/P'}\n",
            "      parameters: [{$ref: '#/components/parameters/P'}]\n      responses: {'204': {description: ok}}\n",
        ),
        (
            "cycle-responses.yaml",
            "  responses:\n    R: {$ref: '#/components/responses/S'}\n    S: {$ref: '#/components/responses/R'}\n",
            "      responses: {'200': {$ref: '#/components/responses/R'}}\n",
        ),
        (
            "cycle-bodies.yaml",
            "  requestBodies:\n    B: {$ref: '#/components/requestBodies/C'}\n    C: {$ref: '#/components/requestBodies/B'}\n",
            "      requestBody: {$ref: '#/components/requestBodies/B'}\n      responses: {'204': {description: ok}}\n",
        ),
    ] {
        let text = format!("{HEAD}paths:\n  /x:\n    post:\n{usage}components:\n{components}");
        let d = run(name, &text).unwrap_err();
        let e = first_error(&d);
        assert!(e.message.contains("cycle"), "{name}: {e}");
        assert!(e.location.pointer.is_some(), "{name}: {e}");
    }
    let d = run(
        "cycle-paths.yaml",
        &format!("{HEAD}paths:\n  /a: {{$ref: '#/paths/~1b'}}\n  /b: {{$ref: '#/paths/~1a'}}\n"),
    )
    .unwrap_err();
    assert!(
        first_error(&d).message.contains("reference loop"),
        "{}",
        first_error(&d)
    );
}

#[test]
fn cycles_across_files_resolve() {
    write("cycle-other.yaml", b"Left:\n  type: object\n  properties:\n    right: {$ref: 'cycle-main.yaml#/components/schemas/Right'}\n");
    let g = run(
        "cycle-main.yaml",
        &format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Right:\n      type: object\n      properties:\n        left: {{$ref: 'cycle-other.yaml#/Left'}}\n"),
    )
    .unwrap();
    let models = &g.files["src/models.rs"];
    assert!(models.contains("pub struct Left"), "{models}");
    assert!(models.contains("pub struct Right"), "{models}");
}

#[test]
fn huge_enums_generate() {
    let mut yaml = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Big:\n      type: string\n      enum:\n"
    );
    for i in 0..20_000 {
        writeln!(yaml, "        - value-{i}").unwrap();
    }
    let g = run("huge-enum.yaml", &yaml).unwrap();
    assert!(g.files["src/models.rs"].contains("Value19999"));
}

#[test]
fn invalid_utf8_is_located() {
    let path = write(
        "latin1.yaml",
        b"openapi: 3.0.3\ninfo: {title: caf\xe9, version: '1'}\npaths: {}\n",
    );
    let d = config(&path).generate().unwrap_err().diagnostics().to_vec();
    let e = first_error(&d);
    assert!(e.message.contains("not valid UTF-8"), "{e}");
    assert_eq!((e.location.line, e.location.column), (Some(2), Some(18)));
}

#[test]
fn oversized_input_is_refused_before_reading() {
    let path = write("big.yaml", &vec![b' '; 4096]);
    let mut c = config(&path);
    c.max_input_bytes = 1024;
    let d = c.generate().unwrap_err().diagnostics().to_vec();
    assert!(
        first_error(&d)
            .message
            .contains("more than the limit of 1024 bytes")
    );
}

#[test]
fn a_failed_generation_leaves_the_previous_crate_byte_identical() {
    let good = write(
        "keep-good.yaml",
        format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: string}}\n").as_bytes(),
    );
    let out = dir().join("keep-crate");
    let _ = std::fs::remove_dir_all(&out);
    let mut c = Config::new(&good, &out, "keep");
    c.generate().unwrap().write().unwrap();
    std::fs::create_dir_all(out.join("tests")).unwrap();
    std::fs::write(out.join("tests/mine.rs"), "// mine").unwrap();
    let before = snapshot(&out);

    // A spec with an error: nothing may change.
    let bad = write("keep-bad.yaml", format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/Missing'}}\n").as_bytes());
    c.input = bad;
    assert!(c.generate().is_err());
    assert_eq!(snapshot(&out), before);

    // A write that fails half way (the target is a file, not a directory) leaves it alone too.
    let file_target = dir().join("keep-file-target");
    std::fs::write(&file_target, "not a directory").unwrap();
    c.input = good;
    let g = c.generate().unwrap();
    assert!(g.write_to(&file_target).is_err());
    assert_eq!(
        std::fs::read_to_string(&file_target).unwrap(),
        "not a directory"
    );
    assert_eq!(snapshot(&out), before);
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// Every input the fuzzers found a crash with (`fuzz/regressions/`) now generates code that
/// parses, or fails with a located spec error; never an internal error (a panic).
#[test]
fn fuzz_regressions_generate_or_fail_cleanly() {
    let regressions = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
    let mut seen = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&regressions)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        seen += 1;
        let mut c = config(&path);
        c.output = dir().join("fuzz-regression-out");
        match c.generate() {
            Ok(g) => {
                for (name, text) in &g.files {
                    if name.ends_with(".rs") {
                        syn::parse_file(text)
                            .unwrap_or_else(|e| panic!("{}: {name}: {e}", path.display()));
                    }
                }
            }
            Err(apigen::Error::Spec(d)) => {
                let e = first_error(&d);
                assert!(e.location.file.ends_with(path.file_name().unwrap()), "{e}");
            }
            Err(other) => panic!("{}: {other}", path.display()),
        }
    }
    assert!(seen >= 3, "the regressions directory is read");
}

#[test]
fn integer_enums_with_non_integer_members_are_strings() {
    let g = run(
        "int-enum-strings.yaml",
        &format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Float: {{type: integer, enum: [1.5, 2]}}\n    Text: {{type: integer, enum: ['a b', 'a\\nb']}}\n"
        ),
    )
    .unwrap();
    let warnings: Vec<_> = g.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("not all integers") && w.contains("/components/schemas/Float")),
        "{warnings:?}"
    );
    let models = &g.files["src/models.rs"];
    syn::parse_file(models).unwrap();
    assert!(models.contains("pub enum Text"), "{models}");
}

#[test]
fn operation_names_with_leading_digits_get_valid_request_types() {
    let g = run(
        "digit-op.yaml",
        &format!(
            "{HEAD}paths:\n  /x:\n    get:\n      operationId: '0'\n      parameters:\n        - {{name: q, in: query, schema: {{type: string}}}}\n      responses: {{}}\n"
        ),
    )
    .unwrap();
    let client = &g.files["src/client.rs"];
    syn::parse_file(client).unwrap();
}

/// A `$ref` may name only files relative to the referring one, and they obey the same rules as
/// the root spec: regular files (not devices or FIFOs, which never end or block) within the size
/// limit.
#[test]
fn referenced_files_are_relative_regular_and_bounded() {
    let absolute = run(
        "abs-ref.yaml",
        &format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '/dev/zero#/X'}}\n"),
    )
    .unwrap_err();
    let e = first_error(&absolute);
    assert!(e.message.contains("absolute path `/dev/zero`"), "{e}");
    assert!(
        e.location
            .pointer
            .as_deref()
            .is_some_and(|p| p.starts_with("/components/schemas/A")),
        "{e}"
    );

    std::fs::create_dir_all(dir().join("a-directory.yaml")).unwrap();
    let directory = run(
        "dir-ref.yaml",
        &format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: 'a-directory.yaml#/X'}}\n"
        ),
    )
    .unwrap_err();
    assert!(
        first_error(&directory)
            .message
            .contains("not a regular file"),
        "{:?}",
        directory
    );

    write("big-ref.yaml", &vec![b' '; 4096]);
    let path = write(
        "bounded-ref.yaml",
        format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: 'big-ref.yaml#/X'}}\n")
            .as_bytes(),
    );
    let mut c = config(&path);
    c.max_input_bytes = 1024;
    let d = c.generate().unwrap_err().diagnostics().to_vec();
    let e = first_error(&d);
    assert!(
        e.message.contains("more than the limit of 1024 bytes"),
        "{e}"
    );
    assert!(e.location.file.ends_with("big-ref.yaml"), "{e}");
}

/// A FIFO named by a `$ref` is refused without opening it (opening blocks until a writer
/// comes, so the test would hang if it were opened).
#[cfg(unix)]
#[test]
fn a_fifo_named_by_a_ref_is_refused_without_blocking() {
    let fifo = dir().join("a-fifo.yaml");
    let _ = std::fs::remove_file(&fifo);
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let d = run(
        "fifo-ref.yaml",
        &format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: 'a-fifo.yaml#/X'}}\n"),
    )
    .unwrap_err();
    assert!(first_error(&d).message.contains("not a regular file"));
}

/// A 100 MB spec (big extension payloads and examples, as bundled specs have) is read in one
/// pass and generates a crate; nothing in it is copied per operation.
#[test]
fn a_100_mb_spec_generates() {
    let chunk = "x".repeat(100_000);
    let mut json = String::with_capacity(101 << 20);
    json.push_str(
        r##"{"openapi":"3.0.3","info":{"title":"big","version":"1"},"paths":{"/things/{id}":{"get":{"operationId":"getThing","parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"string"}}],"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Thing"}}}}}}}},"x-samples":["##,
    );
    for i in 0..1000 {
        if i > 0 {
            json.push(',');
        }
        json.push('"');
        json.push_str(&chunk);
        json.push('"');
    }
    json.push_str(
        r#"],"components":{"schemas":{"Thing":{"type":"object","properties":{"name":{"type":"string"}}}}}}"#,
    );
    assert!(json.len() > 100_000_000);
    let g = run("big.json", &json).unwrap();
    assert!(g.files["src/client.rs"].contains("pub fn get_thing("));
    assert!(g.files.values().map(String::len).sum::<usize>() < 100_000);
}

/// Swagger 2.0 documents broken in every place the conversion reads: errors or warnings with
/// positions, never a panic.
#[test]
fn broken_swagger_2_documents_fail_cleanly() {
    let head = "swagger: '2.0'\ninfo: {title: t, version: '1'}\n";
    let cases = [
        "paths: []\n",
        "paths: {/a: 7}\n",
        "paths: {/a: {get: 7}}\n",
        "paths: {/a: {get: {responses: 7}}}\n",
        "paths: {/a: {get: {parameters: 7, responses: {200: {description: ok}}}}}\n",
        "paths: {/a: {get: {parameters: [7, {in: query}, {name: q}, {name: q, in: cookie, type: string}], responses: {200: {description: ok}}}}}\n",
        "paths: {/a: {post: {parameters: [{name: b, in: body}, {name: c, in: body, schema: {}}], responses: {200: {description: ok}}}}}\n",
        "paths: {/a: {post: {parameters: [{name: b, in: body, schema: {}}, {name: f, in: formData, type: string}], responses: {200: {description: ok}}}}}\n",
        "paths: {/a: {post: {parameters: [{name: f, in: formData}, {in: formData, type: file}], responses: {200: {description: ok}}}}}\n",
        "paths: {/a: {get: {parameters: [{$ref: '#/parameters/nope'}, {$ref: 'other.yaml#/parameters/x'}, {$ref: 'https://e.com/p.json'}, {$ref: 7}], responses: {200: {$ref: '#/responses/nope'}, 201: {$ref: '/abs.json#/x'}, 202: 7}}}}\n",
        "paths: {/a: {get: {parameters: [{name: h, in: header, type: array, items: {type: string}, collectionFormat: multi}, {name: p, in: path, type: file}], responses: {200: {description: ok, headers: {X: 7, Y: {type: array}}}}}}}\n",
        "paths: {/a: {$ref: '#/paths/~1b'}}\nx-ms-paths: 7\n",
        "paths: {}\ndefinitions: 7\nparameters: []\nresponses: 7\nsecurityDefinitions: {a: 7, b: {type: oauth2, flow: nope}, c: {type: apiKey, in: cookie}, d: {type: weird}, e: {type: apiKey, in: header}}\n",
        "paths: {}\ndefinitions: {A: {discriminator: 7, x-nullable: 7, allOf: 7, properties: 7, items: [1]}, B: {$ref: 7}, C: {anyOf: [{}], not: {}}}\n",
        "paths: {}\nhost: 7\nbasePath: 7\nschemes: [7, ftp]\nconsumes: 7\nproduces: [7]\n",
    ];
    for (i, case) in cases.iter().enumerate() {
        let text = format!("{head}{case}");
        match run(&format!("swagger2-broken-{i}.yaml"), &text) {
            Ok(g) => {
                for d in &g.diagnostics {
                    assert!(d.location.pointer.is_some(), "case {i}: {d}");
                }
            }
            Err(d) => {
                let e = first_error(&d);
                assert!(
                    e.location.line.is_some() || e.location.pointer.is_some(),
                    "case {i}: {e}"
                );
            }
        }
    }
}
