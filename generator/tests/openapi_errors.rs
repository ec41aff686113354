//! OpenAPI input that cannot be generated gives a clear, located error; constructs that cannot
//! be expressed give a warning with a sound fallback, never a panic.

use std::path::PathBuf;

use apigen::{Config, Diagnostic, Severity};

fn scratch(name: &str, text: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/apigen-openapi-errors");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn generate(name: &str, text: &str) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let path = scratch(name, text);
    let config = Config::new(&path, path.with_extension("out"), "x");
    match config.generate() {
        Ok(g) => Ok(g.diagnostics),
        Err(e) => Err(e.diagnostics().to_vec()),
    }
}

fn errors(d: &[Diagnostic]) -> Vec<&Diagnostic> {
    d.iter().filter(|d| d.severity == Severity::Error).collect()
}

/// Swagger 2.0 errors are located in the 2.0 text, with 2.0 names.
#[test]
fn swagger_2_errors_point_into_the_2_0_document() {
    let d = generate(
        "swagger2-typo.yaml",
        "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths:\n  /pets:\n    get:\n      parameters:\n        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: commas}\n      responses:\n        200: {description: ok, schema: {$ref: '#/definitions/Pett'}}\ndefinitions:\n  Pet: {type: object, oneOf: [{type: object}]}\n",
    )
    .unwrap_err();
    let e = errors(&d);
    let messages: Vec<&str> = e.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`oneOf` is not a Swagger 2.0 keyword",
            "unknown `collectionFormat: commas`",
            "`$ref: #/definitions/Pett` does not resolve"
        ],
        "{d:?}"
    );
    let at = |e: &Diagnostic| (e.location.line, e.location.column);
    assert_eq!(at(e[0]), (Some(11), Some(23)));
    assert_eq!(at(e[1]), (Some(7), Some(71)));
    assert_eq!(
        e[2].location.pointer.as_deref(),
        Some("/paths/~1pets/get/responses/200/schema/$ref")
    );
    assert_eq!(at(e[2]), (Some(9), Some(41)));
    assert_eq!(
        e[2].help.as_deref(),
        Some("did you mean `#/definitions/Pet`?")
    );
    assert!(
        generate("swagger3.json", r#"{"swagger": "3.0", "paths": {}}"#)
            .unwrap_err()
            .iter()
            .any(|d| d.message == "unsupported Swagger version `3.0`")
    );
}

/// What the later stages (normalising, lowering) say about a converted 2.0 document points at
/// the 2.0 element: a body parameter's schema, a parameter after a body parameter.
#[test]
fn swagger_2_warnings_of_later_stages_point_into_the_2_0_document() {
    let d = generate(
        "swagger2-warn.yaml",
        "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths:\n  /pets:\n    post:\n      parameters:\n        - {name: pet, in: body, schema: {type: object, properties: {a: {type: 7}}}}\n        - {name: zz, in: path, required: true, type: string}\n      responses:\n        201: {description: made}\n",
    )
    .unwrap();
    let at = |m: &str| {
        let w = d
            .iter()
            .find(|w| w.message.contains(m))
            .unwrap_or_else(|| panic!("{m}: {d:?}"));
        (
            w.location.pointer.clone().unwrap(),
            w.location.line,
            w.location.column,
        )
    };
    assert_eq!(
        at("which is not a type name"),
        (
            "/paths/~1pets/post/parameters/0/schema/properties/a/type".to_owned(),
            Some(7),
            Some(73)
        )
    );
    assert_eq!(
        at("does not appear in the path"),
        (
            "/paths/~1pets/post/parameters/1".to_owned(),
            Some(8),
            Some(11)
        )
    );
}

#[test]
fn remote_references_are_never_fetched() {
    let d = generate(
        "remote.yaml",
        "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: 'https://example.com/schemas.json#/B'}\n",
    )
    .unwrap_err();
    let e = errors(&d)[0];
    assert!(
        e.message
            .contains("remote reference `https://example.com/schemas.json#/B` is not fetched"),
        "{e}"
    );
    assert_eq!(
        e.location.pointer.as_deref(),
        Some("/components/schemas/A/properties/b/$ref")
    );
    assert_eq!(e.location.line, Some(9));
}

#[test]
fn unresolved_references_suggest_the_closest_name() {
    let d = generate(
        "typo.yaml",
        "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet: {type: object}\n    Owner:\n      type: object\n      properties:\n        pet: {$ref: '#/components/schemas/Pett'}\n",
    )
    .unwrap_err();
    let e = errors(&d)[0];
    assert_eq!(
        e.message,
        "`$ref: #/components/schemas/Pett` does not resolve"
    );
    assert_eq!(
        e.help.as_deref(),
        Some("did you mean `#/components/schemas/Pet`?")
    );
    assert_eq!((e.location.line, e.location.column), (Some(10), Some(15)));
}

#[test]
fn missing_referenced_files_are_errors() {
    let d = generate(
        "missing-file.yaml",
        "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'nowhere.yaml#/A'}\n",
    )
    .unwrap_err();
    let e = errors(&d)[0];
    assert!(e.message.starts_with("referenced file"), "{e}");
    assert!(e.message.contains("nowhere.yaml"), "{e}");
    assert_eq!(
        e.location.pointer.as_deref(),
        Some("/components/schemas/A/$ref")
    );
}

#[test]
fn inexpressible_schemas_are_warnings_with_a_fallback() {
    let d = generate(
        "not.yaml",
        "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    NotString:\n      not: {type: string}\n",
    )
    .unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].severity, Severity::Warning);
    assert!(d[0].message.contains("`not` schemas"), "{}", d[0]);
    assert_eq!(
        d[0].location.pointer.as_deref(),
        Some("/components/schemas/NotString")
    );
}

/// An array whose own `enum` lists strings can hold no value; its members are read as the
/// values of its items, and the user is told where.
#[test]
fn an_array_enum_of_scalars_is_read_as_its_items_enum_with_a_warning() {
    let d = generate(
        "array-enum.yaml",
        "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    G:\n      type: array\n      items: {type: string}\n      enum: [a, b]\n",
    )
    .unwrap();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].severity, Severity::Warning);
    assert!(d[0].message.contains("not arrays"), "{}", d[0]);
    assert_eq!(
        d[0].location.pointer.as_deref(),
        Some("/components/schemas/G/enum")
    );
    assert_eq!(d[0].location.line, Some(9));
}

#[test]
fn invalid_documents_name_the_place() {
    let d = generate(
        "bad-type.yaml",
        "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: nowhere}\n      responses: {}\n",
    )
    .unwrap_err();
    let e = errors(&d)[0];
    assert!(e.message.starts_with("this is not valid OpenAPI"), "{e}");
    assert!(
        e.location
            .pointer
            .as_deref()
            .unwrap()
            .starts_with("/paths/~1a/get/parameters/0"),
        "{e}"
    );
    assert_eq!(e.location.line, Some(7));
}

#[test]
fn openapi_3_1_documents_are_read() {
    let d = generate(
        "v31.yaml",
        "openapi: 3.1.0\ninfo: {title: x, version: '1'}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        n: {type: [integer, 'null']}\n        c: {const: fixed}\n",
    )
    .unwrap();
    assert!(d.is_empty(), "{d:?}");
}

/// The CLI's rendering shows the offending line of the spec with a caret under the column, for
/// the first line, the last line (even without a final newline) and CRLF files.
#[test]
fn rendered_diagnostics_show_the_source_line() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/apigen-render");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("crlf.yaml");
    std::fs::write(&file, "first: 1\r\nsecond:  two\r\nlast: x").unwrap();
    let at = |line, column| {
        let mut l = apigen::Location::file(&file);
        l.line = Some(line);
        l.column = Some(column);
        apigen::Diagnostic::warning(l, "look here")
    };
    let text = apigen::render_diagnostics(&[at(1, 1), at(2, 10), at(3, 7), at(9, 1)]);
    assert!(text.contains("1 | first: 1\n  | ^\n"), "{text}");
    assert!(
        text.contains("2 | second:  two\n  |          ^\n"),
        "{text}"
    );
    assert!(text.contains("3 | last: x\n  |       ^\n"), "{text}");
    assert!(
        !text.contains("9 |"),
        "a line past the end has no excerpt: {text}"
    );
}

/// A server URL that uses a variable it does not declare has no default: a warning at the URL,
/// once for a path item's servers however many operations it has, and the next server that
/// has one is the default.
#[test]
fn a_server_variable_without_a_declaration_is_a_warning() {
    let spec = "openapi: 3.0.0\ninfo: {title: x, version: '1'}\nservers:\n  - url: https://{tenant}.example.com\n  - url: https://api.example.com/\npaths:\n  /a:\n    servers:\n      - url: https://{host}/files\n    get:\n      responses: {'204': {description: ok}}\n    put:\n      responses: {'204': {description: ok}}\n";
    let d = generate("server-vars.yaml", spec).unwrap();
    let at: Vec<(Severity, Option<&str>, Option<u32>)> = d
        .iter()
        .map(|d| (d.severity, d.location.pointer.as_deref(), d.location.line))
        .collect();
    assert_eq!(
        at,
        [
            (Severity::Warning, Some("/servers/0/url"), Some(4)),
            (Severity::Warning, Some("/paths/~1a/servers/0/url"), Some(9)),
        ],
        "{d:?}"
    );
    assert!(d[0].message.contains("`{tenant}`"), "{}", d[0]);
    let path = scratch("server-vars.yaml", spec);
    let generated = Config::new(&path, path.with_extension("out"), "x")
        .generate()
        .unwrap();
    let client = &generated.files["src/client.rs"];
    assert!(
        client.contains(r#"DEFAULT_BASE_URL: &'static str = "https://api.example.com";"#),
        "{client}"
    );
    // The path item's server has no default either: its operations use the client's.
    assert!(!client.contains("on_server"), "{client}");
}

/// A server variable without the `default` OpenAPI requires does not stop generation: a
/// warning at the variable, no default base URL from that server, and `base_url_with` to build
/// it. A numeric default (a port) is read as its text.
#[test]
fn a_server_variable_without_a_default_is_a_warning() {
    let spec = "openapi: 3.0.0\ninfo: {title: x, version: '1'}\nservers:\n  - url: https://{tenant}.example.com:{port}\n    variables:\n      tenant: {description: Your tenant}\n      port: {default: 8443}\npaths: {}\n";
    let d = generate("server-no-default.yaml", spec).unwrap();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].severity, Severity::Warning);
    assert!(
        d[0].message.contains("`tenant` has no `default`"),
        "{}",
        d[0]
    );
    assert_eq!(
        d[0].location.pointer.as_deref(),
        Some("/servers/0/variables/tenant")
    );
    assert_eq!(d[0].location.line, Some(6));
    let path = scratch("server-no-default.yaml", spec);
    let generated = Config::new(&path, path.with_extension("out"), "x")
        .generate()
        .unwrap();
    let client = &generated.files["src/client.rs"];
    assert!(!client.contains("DEFAULT_BASE_URL"), "{client}");
    assert!(
        client.contains(r#"["https://", tenant, ".example.com:", port].concat()"#),
        "{client}"
    );
    assert!(client.contains("Default `8443`"), "{client}");
}

/// A key that occurs twice in one YAML mapping (two schemas of one name) is a located warning:
/// the later value is read, and the earlier one would otherwise disappear without a word.
#[test]
fn a_duplicate_yaml_key_is_a_warning() {
    let spec = "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Labels:\n      type: array\n      items: {type: string}\n    Labels:\n      type: object\n";
    let d = generate("duplicate-key.yaml", spec).unwrap();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].severity, Severity::Warning);
    assert!(d[0].message.contains("`Labels` occurs twice"), "{}", d[0]);
    assert_eq!(
        (d[0].location.line, d[0].location.column),
        (Some(9), Some(5))
    );
}
