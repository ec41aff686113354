//! The CSDL and the OpenAPI descriptions in `spec/` describe the same resources; apigen must
//! generate the same crate from either, byte for byte.

use apigen::Config;

#[test]
fn csdl_and_openapi_generate_the_same_crate() {
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/codegen.toml");
    let openapi = Config::from_file(spec).unwrap();
    assert!(openapi.input.ends_with("entitlement.openapi.yaml"));
    let mut csdl = openapi.clone();
    csdl.input = openapi.input.with_file_name("entitlement.csdl.xml");

    let from_openapi = openapi.generate().unwrap();
    let from_csdl = csdl.generate().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        from_csdl.diagnostics.is_empty(),
        "{:#?}",
        from_csdl.diagnostics
    );
    let mut diff = String::new();
    for (path, a) in &from_openapi.files {
        let b = from_csdl.files.get(path).map(String::as_str).unwrap_or("");
        if a != b {
            diff.push_str(
                &similar::TextDiff::from_lines(a.as_str(), b)
                    .unified_diff()
                    .header(&format!("{path} (OpenAPI)"), &format!("{path} (CSDL)"))
                    .to_string(),
            );
        }
    }
    for path in from_csdl.files.keys() {
        if !from_openapi.files.contains_key(path) {
            diff.push_str(&format!("only from CSDL: {path}\n"));
        }
    }
    assert!(
        diff.is_empty(),
        "the two inputs generate different crates:\n{diff}"
    );
}
