//! Structure-aware OpenAPI: the fuzzer's bytes drive a grammar of OpenAPI keywords (schemas,
//! references, compositions, discriminators, paths, operations, parameters, bodies, responses,
//! security schemes, Microsoft extensions) and hostile names, so nearly every input is a
//! well-formed document that gets past parsing into bundling, normalisation, lowering and
//! emission. The document is serialised as JSON and read either as `.json` or as `.yaml`
//! (JSON is YAML), `openapi: 3.0.x` or `3.1.x`.
//!
//! To see the document an input makes: `APIGEN_FUZZ_PRINT=1 cargo fuzz run openapi_structured
//! <input>` prints it to stderr; `APIGEN_FUZZ_SAVE=dir` writes it to `dir/` as a spec file
//! (that is how the regressions of this target are saved as plain specs).
#![no_main]

use apigen_fuzz::{Reader, check};
use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value, json};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok((doc, yaml)) = document(&mut u) else {
        return;
    };
    let text = if u.arbitrary::<bool>().unwrap_or(false) {
        serde_json::to_string_pretty(&doc)
    } else {
        serde_json::to_string(&doc)
    }
    .expect("a JSON value serialises");
    let name = if yaml { "fuzz.yaml" } else { "fuzz.json" };
    if std::env::var_os("APIGEN_FUZZ_PRINT").is_some() {
        eprintln!("---- {name}\n{text}\n----");
    }
    if let Some(dir) = std::env::var_os("APIGEN_FUZZ_SAVE") {
        let _ = std::fs::write(std::path::Path::new(&dir).join(name), &text);
    }
    check(name, Reader::OpenApi, text.into_bytes());
});

/// Deepest schema nesting generated (deeper positions get a reference or `{}`).
const MAX_DEPTH: u32 = 6;

const NAMES: &[&str] = &[
    "Pet", "pet", "Pets", "PetList", "Pet2", "pet_list", "petList", "PET", "Cat", "Dog",
    "type", "self", "Self", "super", "crate", "r#type", "async", "await", "dyn", "fn", "mod",
    "use", "match", "ref", "loop", "try", "yield", "gen", "union", "impl", "where", "static",
    "unsafe", "abstract", "macro_rules", "move", "box", "in", "as", "_", "__", "_1", "", " ",
    "0", "1abc", "123", "-1", "1.5", "e", "foo-bar", "foo_bar", "FooBar", "fooBar", "FOO_BAR",
    "foo.bar", "foo bar", "foo/bar", "foo~bar", "~0", "~1", "#", "%20", "{id}", "{", "}",
    "a\nb", "\"", "\\", "'", "*/", "/*", "//", "///", "`", "#[", "]", "::", "..", "?", "&",
    "@odata.type", "@odata.nextLink", "@odata.count", "value", "Value", "values", "id", "Id",
    "ID", "Client", "Error", "Result", "Option", "String", "Vec", "Box", "Some", "None", "Ok",
    "Err", "std", "core", "alloc", "apigen_runtime", "runtime", "models", "client", "Request",
    "Page", "PagedRequest", "Nullable", "Default", "default", "new", "build", "send",
    "body", "query", "path", "header", "cookie", "accept", "content-type", "authorization",
    "request", "response", "Response", "true", "false", "null", "Null", "ünïcödé", "日本語",
    "💥", "ǅ", "İ", "ß", "ﬁ", "\u{200b}", "\u{0}", "\u{7f}", "$ref", "x-ms-enum",
    "additionalProperties", "items", "properties", "schema", "Schema", "Item", "Map", "List",
    "Body", "Named", "API", "DateTime", "Uuid", "Bytes", "HashMap", "BTreeMap",
];

const FORMATS: &[&str] = &[
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float",
    "double", "decimal", "date", "date-time", "time", "duration", "uuid", "byte", "binary",
    "base64", "base64url", "email", "uri", "password", "file", "",
];

const TYPES: &[&str] = &["string", "integer", "number", "boolean", "object", "array", "null"];

const CONTENT_TYPES: &[&str] = &[
    "application/json", "application/json; charset=utf-8", "application/problem+json",
    "application/merge-patch+json", "application/xml", "text/plain", "text/html", "text/csv",
    "application/octet-stream", "image/png", "multipart/form-data",
    "application/x-www-form-urlencoded", "*/*", "application/*", "",
];

const STATUSES: &[&str] = &[
    "200", "201", "202", "204", "206", "2XX", "3XX", "301", "400", "404", "4XX", "409", "500",
    "5XX", "default", "1XX", "299", "0", "999",
];

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

const PARAM_IN: &[&str] = &["query", "path", "header", "cookie"];

fn pick<'a>(u: &mut Unstructured, table: &[&'a str]) -> Result<&'a str> {
    Ok(*u.choose(table)?)
}

/// A name: usually from the hostile table, sometimes glued from two, sometimes raw bytes.
fn name(u: &mut Unstructured) -> Result<String> {
    Ok(match u.int_in_range(0..=9u8)? {
        0..=6 => pick(u, NAMES)?.to_owned(),
        7 => format!("{}{}", pick(u, NAMES)?, pick(u, NAMES)?),
        8 => format!("{}_{}", pick(u, NAMES)?, u.int_in_range(0..=3u8)?),
        _ => {
            let len = u.int_in_range(0..=12usize)?;
            let mut s = String::new();
            for _ in 0..len {
                s.push(u.arbitrary::<char>()?);
            }
            s
        }
    })
}

fn text(u: &mut Unstructured) -> Result<String> {
    if u.ratio(3u8, 4u8)? {
        name(u)
    } else {
        // Multi-line prose with markdown and comment-like tokens.
        let n = u.int_in_range(1..=4u8)?;
        let mut parts = Vec::new();
        for _ in 0..n {
            parts.push(match u.int_in_range(0..=6u8)? {
                0 => "\n".to_owned(),
                1 => "```rust\nfn main() {}\n```".to_owned(),
                2 => "*/ /* <b>&amp;</b> [link](http://x) `code`".to_owned(),
                3 => "\r\n\t".to_owned(),
                4 => "    indented code block".to_owned(),
                5 => "#![deny(warnings)] #[doc = \"x\"]".to_owned(),
                _ => name(u)?,
            });
        }
        Ok(parts.join(" "))
    }
}

/// An arbitrary small JSON value (examples, defaults, enum members, odd keyword values).
fn literal(u: &mut Unstructured, depth: u32) -> Result<Value> {
    Ok(match u.int_in_range(0..=8u8)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => json!(u.arbitrary::<i64>()?),
        3 => json!(u.arbitrary::<u64>()?),
        4 => serde_json::Number::from_f64(u.arbitrary::<f64>()?).map_or(Value::Null, Value::Number),
        5 | 6 => Value::String(name(u)?),
        7 if depth < 3 => {
            let n = u.int_in_range(0..=3usize)?;
            let mut v = Vec::new();
            for _ in 0..n {
                v.push(literal(u, depth + 1)?);
            }
            Value::Array(v)
        }
        8 if depth < 3 => {
            let n = u.int_in_range(0..=3usize)?;
            let mut m = Map::new();
            for _ in 0..n {
                m.insert(name(u)?, literal(u, depth + 1)?);
            }
            Value::Object(m)
        }
        _ => Value::String(name(u)?),
    })
}

/// Generation state: the component names chosen up front, so references mostly resolve.
struct Ctx {
    schemas: Vec<String>,
    parameters: Vec<String>,
    responses: Vec<String>,
    bodies: Vec<String>,
    v31: bool,
}

fn schema_ref(u: &mut Unstructured, cx: &Ctx) -> Result<Value> {
    let target = match u.int_in_range(0..=9u8)? {
        0..=5 if !cx.schemas.is_empty() => {
            format!("#/components/schemas/{}", escape(u.choose(&cx.schemas)?))
        }
        6 if !cx.schemas.is_empty() => format!(
            "#/components/schemas/{}/properties/{}",
            escape(u.choose(&cx.schemas)?),
            escape(&name(u)?)
        ),
        7 => format!("#/$defs/{}", escape(&name(u)?)),
        8 => pick(
            u,
            &[
                "schemas/tree.yaml#/Tree",
                "common.yaml#/schemas/Error",
                "common.yaml",
                "./common.yaml#/",
                "missing.yaml#/X",
                "#/",
                "#",
                "",
                "#/components/schemas",
                "#/paths",
                "#/components/schemas/Pet/items",
                "#/components/schemas/Pet/allOf/0",
                "#/components/schemas/Pet/oneOf/1",
                "#/components/schemas/Pet/additionalProperties",
                "http://example.invalid/x.yaml#/Pet",
            ],
        )?
        .to_owned(),
        _ => format!("#/components/schemas/{}", name(u)?),
    };
    let mut m = Map::new();
    m.insert("$ref".into(), Value::String(target));
    // Siblings of `$ref` (allowed in 3.1, ignored or not in 3.0).
    if u.ratio(1u8, 8u8)? {
        m.insert("description".into(), Value::String(text(u)?));
    }
    if u.ratio(1u8, 10u8)? {
        m.insert("nullable".into(), Value::Bool(true));
    }
    Ok(Value::Object(m))
}

fn escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

fn schema(u: &mut Unstructured, cx: &Ctx, depth: u32) -> Result<Value> {
    if depth >= MAX_DEPTH || u.is_empty() {
        return if !cx.schemas.is_empty() && u.arbitrary::<bool>().unwrap_or(false) {
            schema_ref(u, cx)
        } else {
            Ok(json!({}))
        };
    }
    let mut m = Map::new();
    match u.int_in_range(0..=15u8)? {
        0 | 1 => return schema_ref(u, cx),
        2..=4 => {
            let ty = pick(u, TYPES)?;
            if cx.v31 && u.ratio(1u8, 5u8)? {
                m.insert("type".into(), json!([ty, "null"]));
            } else {
                m.insert("type".into(), json!(ty));
            }
            if u.ratio(1u8, 2u8)? {
                m.insert("format".into(), json!(pick(u, FORMATS)?));
            }
        }
        5 => {
            // enum (strings, mixed, with null, x-ms-enum)
            let n = u.int_in_range(0..=6usize)?;
            let mut vals = Vec::new();
            let all_strings = u.ratio(3u8, 4u8)?;
            for _ in 0..n {
                vals.push(if all_strings { Value::String(name(u)?) } else { literal(u, 2)? });
            }
            m.insert("type".into(), json!(pick(u, &["string", "integer", "number", "boolean"])?));
            m.insert("enum".into(), Value::Array(vals.clone()));
            if u.ratio(1u8, 3u8)? {
                let values: Vec<Value> = vals
                    .iter()
                    .map(|v| json!({"value": v, "name": name(u).unwrap_or_default()}))
                    .collect();
                m.insert(
                    "x-ms-enum".into(),
                    json!({"name": name(u)?, "modelAsString": u.arbitrary::<bool>()?, "values": values}),
                );
            }
            if u.ratio(1u8, 6u8)? {
                m.insert("x-ms-enum-flags".into(), json!({"isFlags": u.arbitrary::<bool>()?}));
            }
        }
        6..=8 => {
            if u.ratio(3u8, 4u8)? {
                m.insert("type".into(), json!("object"));
            }
            let n = u.int_in_range(0..=5usize)?;
            let mut props = Map::new();
            let mut names = Vec::new();
            for _ in 0..n {
                let p = name(u)?;
                names.push(p.clone());
                props.insert(p, schema(u, cx, depth + 1)?);
            }
            m.insert("properties".into(), Value::Object(props));
            if !names.is_empty() && u.ratio(2u8, 3u8)? {
                let mut req = Vec::new();
                for p in &names {
                    if u.arbitrary::<bool>()? {
                        req.push(json!(p));
                    }
                }
                if u.ratio(1u8, 8u8)? {
                    req.push(json!(name(u)?));
                }
                m.insert("required".into(), Value::Array(req));
            }
            match u.int_in_range(0..=5u8)? {
                0 => {
                    m.insert("additionalProperties".into(), json!(u.arbitrary::<bool>()?));
                }
                1 => {
                    m.insert("additionalProperties".into(), schema(u, cx, depth + 1)?);
                }
                _ => {}
            }
            if u.ratio(1u8, 6u8)? {
                m.insert("x-ms-discriminator-value".into(), json!(name(u)?));
            }
        }
        9 => {
            m.insert("type".into(), json!("array"));
            if u.ratio(7u8, 8u8)? {
                m.insert("items".into(), schema(u, cx, depth + 1)?);
            }
            if u.ratio(1u8, 4u8)? {
                m.insert("uniqueItems".into(), json!(u.arbitrary::<bool>()?));
            }
            if cx.v31 && u.ratio(1u8, 6u8)? {
                m.insert("prefixItems".into(), json!([schema(u, cx, depth + 1)?]));
            }
        }
        10..=12 => {
            let kw = pick(u, &["allOf", "oneOf", "anyOf", "allOf"])?;
            let n = u.int_in_range(0..=4usize)?;
            let mut parts = Vec::new();
            for _ in 0..n {
                parts.push(schema(u, cx, depth + 1)?);
            }
            m.insert(kw.into(), Value::Array(parts));
            if u.ratio(1u8, 2u8)? {
                let mut d = Map::new();
                d.insert("propertyName".into(), json!(name(u)?));
                if u.ratio(1u8, 2u8)? {
                    let mut mapping = Map::new();
                    for _ in 0..u.int_in_range(0..=3usize)? {
                        let r = schema_ref(u, cx)?;
                        mapping.insert(name(u)?, r["$ref"].clone());
                    }
                    d.insert("mapping".into(), Value::Object(mapping));
                }
                m.insert("discriminator".into(), Value::Object(d));
            }
            if u.ratio(1u8, 3u8)? {
                m.insert("type".into(), json!("object"));
                m.insert(
                    "properties".into(),
                    json!({ name(u)?: schema(u, cx, depth + 1)? }),
                );
            }
        }
        13 => {
            m.insert("not".into(), schema(u, cx, depth + 1)?);
        }
        14 => {
            if cx.v31 {
                // 3.1-only: boolean schemas, const, $defs, patternProperties.
                return Ok(match u.int_in_range(0..=3u8)? {
                    0 => Value::Bool(u.arbitrary()?),
                    1 => json!({"const": literal(u, 0)?}),
                    2 => json!({"$defs": {name(u)?: schema(u, cx, depth + 1)?}, "$ref": format!("#/$defs/{}", name(u)?)}),
                    _ => json!({"type": "object", "patternProperties": {"^x-": schema(u, cx, depth + 1)?}}),
                });
            }
            return literal(u, 0);
        }
        _ => {
            // Keywords with odd values.
            let kw = pick(
                u,
                &[
                    "type", "format", "nullable", "required", "enum", "items", "properties",
                    "additionalProperties", "discriminator", "allOf", "oneOf", "$ref", "default",
                    "minimum", "maximum", "pattern", "readOnly", "writeOnly", "deprecated",
                ],
            )?;
            m.insert(kw.into(), literal(u, 0)?);
        }
    }
    // Common decorations.
    if u.ratio(1u8, 5u8)? {
        m.insert("nullable".into(), json!(u.arbitrary::<bool>()?));
    }
    if u.ratio(1u8, 5u8)? {
        m.insert("description".into(), json!(text(u)?));
    }
    if u.ratio(1u8, 10u8)? {
        m.insert("title".into(), json!(name(u)?));
    }
    if u.ratio(1u8, 8u8)? {
        m.insert(pick(u, &["default", "example", "const"])?.into(), literal(u, 0)?);
    }
    if u.ratio(1u8, 10u8)? {
        m.insert(pick(u, &["readOnly", "writeOnly", "deprecated"])?.into(), json!(true));
    }
    if u.ratio(1u8, 10u8)? {
        m.insert(
            pick(u, &["minimum", "maximum", "minLength", "maxLength", "multipleOf", "minItems", "exclusiveMinimum"])?
                .into(),
            literal(u, 2)?,
        );
    }
    Ok(Value::Object(m))
}

fn media(u: &mut Unstructured, cx: &Ctx) -> Result<Value> {
    let mut content = Map::new();
    for _ in 0..u.int_in_range(0..=2usize)? {
        let ct = if u.ratio(7u8, 8u8)? { pick(u, CONTENT_TYPES)?.to_owned() } else { name(u)? };
        let mut mt = Map::new();
        if u.ratio(7u8, 8u8)? {
            mt.insert("schema".into(), schema(u, cx, 1)?);
        }
        if u.ratio(1u8, 8u8)? {
            mt.insert("example".into(), literal(u, 0)?);
        }
        content.insert(ct, Value::Object(mt));
    }
    Ok(Value::Object(content))
}

fn parameter(u: &mut Unstructured, cx: &Ctx, forced: Option<(&str, &str)>) -> Result<Value> {
    if forced.is_none() && !cx.parameters.is_empty() && u.ratio(1u8, 5u8)? {
        return Ok(json!({"$ref": format!("#/components/parameters/{}", escape(u.choose(&cx.parameters)?))}));
    }
    let (pname, loc) = match forced {
        Some((n, l)) => (n.to_owned(), l.to_owned()),
        None => (name(u)?, pick(u, PARAM_IN)?.to_owned()),
    };
    let mut m = Map::new();
    m.insert("name".into(), json!(pname));
    m.insert("in".into(), json!(loc));
    if loc == "path" || u.arbitrary::<bool>()? {
        m.insert("required".into(), json!(loc == "path" || u.arbitrary::<bool>()?));
    }
    if u.ratio(7u8, 8u8)? {
        m.insert("schema".into(), schema(u, cx, 2)?);
    } else {
        m.insert("content".into(), media(u, cx)?);
    }
    if u.ratio(1u8, 6u8)? {
        m.insert("style".into(), json!(pick(u, &["form", "simple", "deepObject", "spaceDelimited", "pipeDelimited", "label", "matrix"])?));
        m.insert("explode".into(), json!(u.arbitrary::<bool>()?));
    }
    if u.ratio(1u8, 5u8)? {
        m.insert("description".into(), json!(text(u)?));
    }
    if u.ratio(1u8, 10u8)? {
        m.insert("deprecated".into(), json!(true));
    }
    Ok(Value::Object(m))
}

fn response(u: &mut Unstructured, cx: &Ctx) -> Result<Value> {
    if !cx.responses.is_empty() && u.ratio(1u8, 5u8)? {
        return Ok(json!({"$ref": format!("#/components/responses/{}", escape(u.choose(&cx.responses)?))}));
    }
    let mut m = Map::new();
    m.insert("description".into(), json!(text(u)?));
    if u.ratio(3u8, 4u8)? {
        m.insert("content".into(), media(u, cx)?);
    }
    if u.ratio(1u8, 6u8)? {
        m.insert("headers".into(), json!({ name(u)?: {"schema": schema(u, cx, 3)?} }));
    }
    Ok(Value::Object(m))
}

fn request_body(u: &mut Unstructured, cx: &Ctx) -> Result<Value> {
    if !cx.bodies.is_empty() && u.ratio(1u8, 5u8)? {
        return Ok(json!({"$ref": format!("#/components/requestBodies/{}", escape(u.choose(&cx.bodies)?))}));
    }
    let mut m = Map::new();
    m.insert("content".into(), media(u, cx)?);
    if u.arbitrary::<bool>()? {
        m.insert("required".into(), json!(u.arbitrary::<bool>()?));
    }
    Ok(Value::Object(m))
}

fn operation(u: &mut Unstructured, cx: &Ctx, path_params: &[String]) -> Result<Value> {
    let mut m = Map::new();
    if u.ratio(3u8, 4u8)? {
        m.insert("operationId".into(), json!(name(u)?));
    }
    if u.ratio(1u8, 4u8)? {
        m.insert("summary".into(), json!(text(u)?));
    }
    if u.ratio(1u8, 4u8)? {
        m.insert("description".into(), json!(text(u)?));
    }
    if u.ratio(1u8, 3u8)? {
        m.insert("tags".into(), json!([name(u)?]));
    }
    let mut params = Vec::new();
    for p in path_params {
        if u.ratio(7u8, 8u8)? {
            params.push(parameter(u, cx, Some((p, "path")))?);
        }
    }
    for _ in 0..u.int_in_range(0..=3usize)? {
        params.push(parameter(u, cx, None)?);
    }
    if !params.is_empty() {
        m.insert("parameters".into(), Value::Array(params));
    }
    if u.ratio(1u8, 3u8)? {
        m.insert("requestBody".into(), request_body(u, cx)?);
    }
    let mut responses = Map::new();
    for _ in 0..u.int_in_range(0..=3usize)? {
        responses.insert(pick(u, STATUSES)?.to_owned(), response(u, cx)?);
    }
    m.insert("responses".into(), Value::Object(responses));
    if u.ratio(1u8, 6u8)? {
        let mut p = Map::new();
        if u.arbitrary::<bool>()? {
            p.insert("nextLinkName".into(), if u.ratio(1u8, 5u8)? { Value::Null } else { json!(name(u)?) });
        }
        if u.arbitrary::<bool>()? {
            p.insert("itemName".into(), json!(name(u)?));
        }
        m.insert("x-ms-pageable".into(), Value::Object(p));
    }
    if u.ratio(1u8, 8u8)? {
        m.insert("deprecated".into(), json!(true));
    }
    if u.ratio(1u8, 8u8)? {
        m.insert("security".into(), json!([{ name(u)?: [] }]));
    }
    Ok(Value::Object(m))
}

fn path_item(u: &mut Unstructured, cx: &Ctx) -> Result<(String, Value)> {
    let mut path = String::new();
    let mut params = Vec::new();
    for _ in 0..u.int_in_range(0..=4usize)? {
        path.push('/');
        match u.int_in_range(0..=3u8)? {
            0 | 1 => path.push_str(&name(u)?),
            2 => {
                let p = name(u)?;
                path.push('{');
                path.push_str(&p);
                path.push('}');
                params.push(p);
            }
            _ => {
                // OData-style key segments: /users({id}) and functions: /f(a={a})
                let p = name(u)?;
                path.push_str(&format!("{}({{{}}})", name(u)?, p));
                params.push(p);
            }
        }
    }
    if path.is_empty() || u.ratio(1u8, 16u8)? {
        path.push('/');
    }
    let mut item = Map::new();
    for _ in 0..u.int_in_range(1..=3usize)? {
        let method = pick(u, METHODS)?;
        item.insert(method.into(), operation(u, cx, &params)?);
    }
    if u.ratio(1u8, 6u8)? {
        item.insert("parameters".into(), json!([parameter(u, cx, None)?]));
    }
    if u.ratio(1u8, 10u8)? {
        item.insert("summary".into(), json!(text(u)?));
    }
    Ok((path, Value::Object(item)))
}

fn security_scheme(u: &mut Unstructured) -> Result<Value> {
    Ok(match u.int_in_range(0..=5u8)? {
        0 => json!({"type": "apiKey", "in": pick(u, &["header", "query", "cookie"])?, "name": name(u)?}),
        1 => json!({"type": "http", "scheme": pick(u, &["basic", "bearer", "Basic", "digest", ""])?}),
        2 => json!({"type": "oauth2", "flows": {
            pick(u, &["clientCredentials", "authorizationCode", "implicit", "password"])?: {
                "tokenUrl": "https://login.example.invalid/token",
                "authorizationUrl": "https://login.example.invalid/authorize",
                "scopes": { name(u)?: text(u)? }
            }
        }}),
        3 => json!({"type": "openIdConnect", "openIdConnectUrl": "https://example.invalid/.well-known/openid-configuration"}),
        4 => json!({"type": "mutualTLS"}),
        _ => json!({"type": name(u)?}),
    })
}

fn names(u: &mut Unstructured, max: usize) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for _ in 0..u.int_in_range(0..=max)? {
        out.push(name(u)?);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn document(u: &mut Unstructured) -> Result<(Value, bool)> {
    let v31 = u.arbitrary::<bool>()?;
    let yaml = u.arbitrary::<bool>()?;
    let cx = Ctx {
        schemas: names(u, 6)?,
        parameters: names(u, 2)?,
        responses: names(u, 2)?,
        bodies: names(u, 1)?,
        v31,
    };
    let mut root = Map::new();
    root.insert(
        "openapi".into(),
        json!(if v31 { pick(u, &["3.1.0", "3.1.1"])? } else { pick(u, &["3.0.0", "3.0.3", "3.0.4"])? }),
    );
    let mut info = Map::new();
    info.insert("title".into(), json!(text(u)?));
    info.insert("version".into(), json!(pick(u, &["1.0.0", "v1", "", "2024-01-01"])?));
    if u.ratio(1u8, 3u8)? {
        info.insert("description".into(), json!(text(u)?));
    }
    root.insert("info".into(), Value::Object(info));
    if u.ratio(1u8, 2u8)? {
        root.insert(
            "servers".into(),
            json!([{"url": pick(u, &["https://api.example.invalid/v1", "/v1", "", "https://{region}.example.invalid", "http://localhost:8080/"])?,
                    "variables": {"region": {"default": "eu"}}}]),
        );
    }

    let mut components = Map::new();
    let mut schemas = Map::new();
    for s in &cx.schemas {
        schemas.insert(s.clone(), schema(u, &cx, 0)?);
    }
    components.insert("schemas".into(), Value::Object(schemas));
    let mut parameters = Map::new();
    for p in &cx.parameters {
        let (pname, loc) = (name(u)?, pick(u, PARAM_IN)?);
        parameters.insert(p.clone(), parameter(u, &cx, Some((&pname, loc)))?);
    }
    components.insert("parameters".into(), Value::Object(parameters));
    let mut responses = Map::new();
    for r in &cx.responses {
        responses.insert(r.clone(), response(u, &cx)?);
    }
    components.insert("responses".into(), Value::Object(responses));
    let mut bodies = Map::new();
    for b in &cx.bodies {
        bodies.insert(b.clone(), request_body(u, &cx)?);
    }
    components.insert("requestBodies".into(), Value::Object(bodies));
    let mut security = Vec::new();
    if u.ratio(1u8, 3u8)? {
        let mut schemes = Map::new();
        for _ in 0..u.int_in_range(1..=2usize)? {
            let n = name(u)?;
            schemes.insert(n.clone(), security_scheme(u)?);
            security.push(json!({ n: [] }));
        }
        components.insert("securitySchemes".into(), Value::Object(schemes));
    }
    root.insert("components".into(), Value::Object(components));
    if !security.is_empty() && u.arbitrary::<bool>()? {
        root.insert("security".into(), Value::Array(security));
    }

    let mut paths = Map::new();
    for _ in 0..u.int_in_range(0..=4usize)? {
        let (p, item) = path_item(u, &cx)?;
        paths.insert(p, item);
    }
    root.insert("paths".into(), Value::Object(paths));
    if v31 && u.ratio(1u8, 8u8)? {
        root.insert("$defs".into(), json!({ name(u)?: schema(u, &cx, 1)? }));
    }
    if u.ratio(1u8, 10u8)? {
        root.insert("tags".into(), json!([{"name": name(u)?, "description": text(u)?}]));
    }
    Ok((Value::Object(root), yaml))
}
