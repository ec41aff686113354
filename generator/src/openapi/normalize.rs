//! A pass over the raw JSON value that brings OpenAPI 3.1 documents, and common deviations in
//! real 3.0 documents, into the shape `openapiv3` (a 3.0 model) reads. Every change that loses
//! meaning is reported as a warning with its JSON pointer.
//!
//! 3.1 -> 3.0: `type: [T, "null"]` -> `type: T` + `nullable: true`; `type: "null"` ->
//! `nullable: true`; `const: v` -> `enum: [v]`; numeric `exclusiveMinimum`/`exclusiveMaximum`
//! -> `minimum`/`maximum` + boolean flags; `examples` arrays in schemas -> `example`;
//! `contentEncoding: base64` -> `format: byte`; `contentMediaType` on strings -> `format: binary`;
//! `$defs` are kept reachable through `#/$defs/...` references (see lowering).
//! Both versions: a boolean `required` on a property (a Swagger 2 habit) is dropped and recorded
//! on the parent; `type: file` becomes `type: string, format: binary`; numeric `info.version`
//! becomes a string; `x-nullable`/`x-isnullable: true` become `nullable: true`; a
//! `discriminator` that is a property name (2.0) becomes `{propertyName: ...}`.

use std::path::Path;

use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostics, Location, escape_pointer_token};

/// Normalise `doc` in place.
pub fn normalize(doc: &mut Value, file: &Path, diags: &mut Diagnostics) {
    let mut n = Normalizer { file, diags };
    let Value::Object(root) = doc else { return };
    if let Some(Value::Object(info)) = root.get_mut("info")
        && let Some(v) = info.get_mut("version")
        && !v.is_string()
    {
        let text = match &*v {
            Value::Number(n) => n.to_string(),
            other => other.to_string(),
        };
        *v = Value::String(text);
    }
    if let Some(v) = root.get_mut("openapi")
        && !v.is_string()
    {
        *v = Value::String(v.to_string());
    }
    if !root.contains_key("info") {
        root.insert(
            "info".into(),
            serde_json::json!({"title": "API", "version": "0.0.0"}),
        );
        n.diags.warning(
            Location::pointer(file, ""),
            "the document has no `info`; using title \"API\"",
        );
    }
    if !root.contains_key("paths") {
        root.insert("paths".into(), Value::Object(Map::new()));
    }
    // Webhooks (3.1), like callbacks, are requests the service sends: nothing for a client.
    root.remove("webhooks");
    if let Some(Value::Object(components)) = root.get_mut("components") {
        components.remove("callbacks");
        if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
            for (name, schema) in schemas.iter_mut() {
                let ptr = format!("/components/schemas/{}", escape_pointer_token(name));
                n.schema(schema, &ptr, 0);
            }
        }
        for section in ["parameters", "headers"] {
            if let Some(Value::Object(items)) = components.get_mut(section) {
                for (name, item) in items.iter_mut() {
                    let ptr = format!("/components/{section}/{}", escape_pointer_token(name));
                    n.parameter_like(item, &ptr);
                }
            }
        }
        for section in ["responses", "requestBodies"] {
            if let Some(Value::Object(items)) = components.get_mut(section) {
                for (name, item) in items.iter_mut() {
                    let ptr = format!("/components/{section}/{}", escape_pointer_token(name));
                    n.with_content(item, &ptr);
                }
            }
        }
        if let Some(Value::Object(items)) = components.get_mut("pathItems") {
            for (name, item) in items.iter_mut() {
                let ptr = format!("/components/pathItems/{}", escape_pointer_token(name));
                n.path_item(item, &ptr);
            }
        }
    }
    if let Some(Value::Object(defs)) = root.get_mut("$defs") {
        for (name, schema) in defs.iter_mut() {
            let ptr = format!("/$defs/{}", escape_pointer_token(name));
            n.schema(schema, &ptr, 0);
        }
    }
    if let Some(servers) = root.get_mut("servers") {
        n.servers(servers, "/servers");
    }
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let ptr = format!("/paths/{}", escape_pointer_token(path));
            n.path_item(item, &ptr);
        }
    }
}

struct Normalizer<'a> {
    file: &'a Path,
    diags: &'a mut Diagnostics,
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Normalizer<'_> {
    /// Server variables as `openapiv3` reads them: a `default` that is not a string (a port
    /// number) becomes one, and a missing one (which OpenAPI requires) is marked
    /// [`NO_DEFAULT`](super::NO_DEFAULT), with a warning: the URL then has no default.
    fn servers(&mut self, servers: &mut Value, ptr: &str) {
        let Value::Array(servers) = servers else {
            return;
        };
        for (i, server) in servers.iter_mut().enumerate() {
            let Some(Value::Object(variables)) = server.get_mut("variables") else {
                continue;
            };
            for (name, var) in variables.iter_mut() {
                let Value::Object(var) = var else { continue };
                // (One marked by the Swagger 2.0 conversion has an empty default: no warning.)
                if !super::server_variable_as_text(var) {
                    self.diags.push(
                        crate::diagnostics::Diagnostic::warning(
                            Location::pointer(
                                self.file,
                                format!("{ptr}/{i}/variables/{}", escape_pointer_token(name)),
                            ),
                            format!(
                                "the server variable `{name}` has no `default`, which OpenAPI \
                                 requires; the server's URL has no default"
                            ),
                        )
                        .help(
                            "give the client its base URL (`Client::base_url_with` builds this \
                             server's)",
                        ),
                    );
                }
            }
        }
    }

    fn path_item(&mut self, item: &mut Value, ptr: &str) {
        let Value::Object(item) = item else { return };
        if let Some(servers) = item.get_mut("servers") {
            self.servers(servers, &format!("{ptr}/servers"));
        }
        if let Some(Value::Array(params)) = item.get_mut("parameters") {
            for (i, p) in params.iter_mut().enumerate() {
                self.parameter_like(p, &format!("{ptr}/parameters/{i}"));
            }
        }
        for m in METHODS {
            let Some(Value::Object(op)) = item.get_mut(*m) else {
                continue;
            };
            let op_ptr = format!("{ptr}/{m}");
            if let Some(servers) = op.get_mut("servers") {
                self.servers(servers, &format!("{op_ptr}/servers"));
            }
            // Callbacks are requests the service makes, not ones a client sends; `openapiv3`
            // cannot read a `$ref` to a callback, so they are dropped before it sees them.
            op.remove("callbacks");
            if let Some(Value::Array(params)) = op.get_mut("parameters") {
                for (i, p) in params.iter_mut().enumerate() {
                    self.parameter_like(p, &format!("{op_ptr}/parameters/{i}"));
                }
            }
            if let Some(body) = op.get_mut("requestBody") {
                self.with_content(body, &format!("{op_ptr}/requestBody"));
            }
            if let Some(Value::Object(responses)) = op.get_mut("responses") {
                for (status, resp) in responses.iter_mut() {
                    let rptr = format!("{op_ptr}/responses/{}", escape_pointer_token(status));
                    self.with_content(resp, &rptr);
                }
            }
            // `responses` is required by 3.0 and optional in 3.1.
            if !op.contains_key("responses") {
                op.insert("responses".into(), Value::Object(Map::new()));
            }
        }
    }

    fn parameter_like(&mut self, p: &mut Value, ptr: &str) {
        let Value::Object(p) = p else { return };
        if let Some(schema) = p.get_mut("schema") {
            self.schema(schema, &format!("{ptr}/schema"), 0);
        }
        self.content_map(p, ptr);
    }

    fn with_content(&mut self, v: &mut Value, ptr: &str) {
        let Value::Object(obj) = v else { return };
        self.content_map(obj, ptr);
        if let Some(Value::Object(headers)) = obj.get_mut("headers") {
            for (name, h) in headers.iter_mut() {
                self.parameter_like(h, &format!("{ptr}/headers/{}", escape_pointer_token(name)));
            }
        }
        // 3.0 requires a response description; many documents omit it.
        if ptr.contains("/responses/")
            && !obj.contains_key("$ref")
            && !obj.contains_key("description")
        {
            obj.insert("description".into(), Value::String(String::new()));
        }
    }

    fn content_map(&mut self, obj: &mut Map<String, Value>, ptr: &str) {
        if let Some(Value::Object(content)) = obj.get_mut("content") {
            for (media, mt) in content.iter_mut() {
                if let Value::Object(mt) = mt
                    && let Some(schema) = mt.get_mut("schema")
                {
                    let sptr = format!("{ptr}/content/{}/schema", escape_pointer_token(media));
                    self.schema(schema, &sptr, 0);
                }
            }
        }
    }

    fn schema(&mut self, schema: &mut Value, ptr: &str, depth: usize) {
        if depth > 256 {
            return;
        }
        // 3.1 boolean schemas: `true` accepts anything, `false` nothing.
        if let Value::Bool(b) = schema {
            if !*b {
                self.diags.warning(
                    Location::pointer(self.file, ptr),
                    "a `false` schema (no value allowed) is treated as any value",
                );
            }
            *schema = Value::Object(Map::new());
            return;
        }
        let Value::Object(s) = schema else { return };
        // Swagger 2.0's way (and that of 3.0 documents converted from it) to say `null` is
        // allowed: go-swagger's `x-nullable`, NSwag's `x-isnullable`.
        for key in ["x-nullable", "x-isnullable"] {
            if let Some(Value::Bool(b)) = s.get(key) {
                let b = *b;
                s.remove(key);
                if b && !s.contains_key("nullable") {
                    s.insert("nullable".into(), Value::Bool(true));
                }
            }
        }
        if s.contains_key("$ref") {
            // A $ref may have siblings (3.1 allows them, many 3.0 documents have them anyway,
            // and mock servers such as Prism apply them). The ones that change the value are kept
            // by wrapping the reference in a one-member `allOf`, the shape lowering reads:
            // `nullable: true` (or 3.1's `type: [.., "null"]`) makes this use of the type
            // nullable, and `required` makes properties of the referenced object required here
            // (bundlers write that). Inside a schema (a property, an item) a `description` is
            // kept for the docs the same way. Everything else is dropped so the reference is
            // read as one.
            if s.len() > 1 {
                let description = s.get("description").cloned().filter(Value::is_string);
                let nullable = says_null(s);
                let required = s
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|r| {
                        r.iter()
                            .filter(|r| r.is_string())
                            .cloned()
                            .collect::<Vec<_>>()
                    })
                    .filter(|r| !r.is_empty());
                let reference = s.get("$ref").cloned().unwrap_or(Value::Null);
                s.clear();
                let mut inner = Map::new();
                inner.insert("$ref".into(), reference);
                if nullable || required.is_some() || (description.is_some() && depth > 0) {
                    s.insert("allOf".into(), Value::Array(vec![Value::Object(inner)]));
                    if let Some(d) = description {
                        s.insert("description".into(), d);
                    }
                    if nullable {
                        s.insert("nullable".into(), Value::Bool(true));
                    }
                    if let Some(r) = required {
                        s.insert("required".into(), Value::Array(r));
                    }
                } else {
                    *s = inner;
                }
            }
            return;
        }
        // type arrays and "null"
        match s.get("type").cloned() {
            Some(Value::Array(types)) => {
                let mut non_null: Vec<String> = Vec::new();
                let mut nullable = false;
                for t in &types {
                    match t.as_str() {
                        Some("null") => nullable = true,
                        Some(t) => non_null.push(t.to_owned()),
                        None => {}
                    }
                }
                if nullable {
                    s.insert("nullable".into(), Value::Bool(true));
                }
                match non_null.len() {
                    0 => {
                        s.remove("type");
                    }
                    1 => {
                        s.insert("type".into(), Value::String(non_null.remove(0)));
                    }
                    _ => {
                        // Several types: express as anyOf of each type.
                        s.remove("type");
                        let variants: Vec<Value> = non_null
                            .iter()
                            .map(|t| {
                                let mut m = Map::new();
                                m.insert("type".into(), Value::String(t.clone()));
                                if t == "array"
                                    && let Some(items) = s.get("items")
                                {
                                    m.insert("items".into(), items.clone());
                                }
                                Value::Object(m)
                            })
                            .collect();
                        s.remove("items");
                        s.insert("anyOf".into(), Value::Array(variants));
                    }
                }
            }
            Some(Value::String(t)) if t == "null" => {
                s.remove("type");
                s.insert("nullable".into(), Value::Bool(true));
            }
            Some(Value::String(t)) if t == "file" => {
                s.insert("type".into(), Value::String("string".into()));
                s.insert("format".into(), Value::String("binary".into()));
            }
            Some(Value::String(_)) | None => {}
            Some(other) => {
                self.diags.warning(
                    Location::pointer(self.file, format!("{ptr}/type")),
                    format!(
                        "`type` is {other}, which is not a type name; the schema accepts any value"
                    ),
                );
                s.remove("type");
            }
        }
        if let Some(c) = s.remove("const") {
            s.insert("enum".into(), Value::Array(vec![c]));
        }
        if let Some(Value::Array(examples)) = s.remove("examples")
            && !s.contains_key("example")
            && let Some(first) = examples.into_iter().next()
        {
            s.insert("example".into(), first);
        }
        for (ex, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(Value::Number(n)) = s.get(ex).cloned() {
                s.insert(bound.into(), Value::Number(n));
                s.insert(ex.into(), Value::Bool(true));
            }
        }
        if s.get("contentEncoding").and_then(Value::as_str) == Some("base64")
            && !s.contains_key("format")
        {
            s.insert("format".into(), Value::String("byte".into()));
        } else if s.contains_key("contentMediaType")
            && !s.contains_key("format")
            && s.get("type").and_then(Value::as_str) == Some("string")
        {
            s.insert("format".into(), Value::String("binary".into()));
        }
        // `required: true` on a property schema (Swagger 2 style) is invalid in 3.x.
        if let Some(Value::Bool(_)) = s.get("required") {
            s.remove("required");
        }
        // `enum` that is not an array.
        if let Some(e) = s.get("enum")
            && !e.is_array()
        {
            let v = e.clone();
            s.insert("enum".into(), Value::Array(vec![v]));
        }
        // `type: array` with an `enum` of non-arrays: no value satisfies both. The members are
        // what the items may be (the example `["a", "b"]` beside `enum: [a, b, c]`), so the
        // enum moves to `items` when they have none of their own.
        if s.get("type").and_then(Value::as_str) == Some("array")
            && let Some(Value::Array(members)) = s.get("enum")
            && members.iter().any(|m| !m.is_null())
            && members.iter().all(|m| !m.is_array())
            && s.get("items")
                .is_some_and(|i| i.get("enum").is_none() && i.get("$ref").is_none())
        {
            let members = s.remove("enum");
            if let (Some(Value::Object(items)), Some(members)) = (s.get_mut("items"), members) {
                items.insert("enum".into(), members);
            }
            self.diags.warning(
                Location::pointer(self.file, format!("{ptr}/enum")),
                "`enum` lists values that are not arrays on a schema of `type: array`, which no \
                 value satisfies; read as the values its items may take",
            );
        }
        // Numeric keywords written as strings or floats break the typed model; drop what does
        // not matter for code generation.
        for key in ["minimum", "maximum", "multipleOf"] {
            if let Some(v) = s.get(key)
                && !v.is_number()
            {
                s.remove(key);
            }
        }
        for key in [
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "minProperties",
            "maxProperties",
        ] {
            if let Some(v) = s.get(key)
                && v.as_u64().is_none()
            {
                s.remove(key);
            }
        }
        if let Some(v) = s.get("uniqueItems")
            && !v.is_boolean()
        {
            s.remove("uniqueItems");
        }
        if let Some(v) = s.get("format")
            && !v.is_string()
        {
            s.remove("format");
        }
        if let Some(v) = s.get("pattern")
            && !v.is_string()
        {
            s.remove("pattern");
        }
        if let Some(Value::Array(req)) = s.get("required")
            && req.iter().any(|r| !r.is_string())
        {
            let kept: Vec<Value> = req.iter().filter(|r| r.is_string()).cloned().collect();
            s.insert("required".into(), Value::Array(kept));
        }
        if let Some(Value::Object(props)) = s.get_mut("properties") {
            let mut required_from_bools = Vec::new();
            for (name, p) in props.iter_mut() {
                if let Value::Object(po) = p
                    && let Some(Value::Bool(true)) = po.get("required")
                {
                    required_from_bools.push(Value::String(name.clone()));
                }
                let pptr = format!("{ptr}/properties/{}", escape_pointer_token(name));
                self.schema(p, &pptr, depth + 1);
            }
            if !required_from_bools.is_empty() {
                let req = s
                    .entry("required")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(req) = req {
                    for r in required_from_bools {
                        if !req.contains(&r) {
                            req.push(r);
                        }
                    }
                }
            }
        } else if let Some(p) = s.get("properties")
            && !p.is_object()
        {
            s.remove("properties");
        }
        if let Some(items) = s.get_mut("items") {
            if let Value::Array(tuple) = items {
                // Tuple validation (`items: [a, b]`): use the first item type.
                let first = tuple.first().cloned().unwrap_or(Value::Object(Map::new()));
                *items = first;
                self.diags.warning(
                    Location::pointer(self.file, format!("{ptr}/items")),
                    "tuple `items` (an array of schemas) is read as a list of the first schema",
                );
            }
            self.schema(items, &format!("{ptr}/items"), depth + 1);
        }
        if let Some(ap) = s.get_mut("additionalProperties") {
            self.schema_or_bool(ap, &format!("{ptr}/additionalProperties"), depth + 1);
        }
        if let Some(Value::Array(members)) = s.get_mut("allOf") {
            split_ref_siblings(members);
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(list)) = s.get_mut(key) {
                for (i, item) in list.iter_mut().enumerate() {
                    self.schema(item, &format!("{ptr}/{key}/{i}"), depth + 1);
                }
            } else if s.contains_key(key) {
                s.remove(key);
            }
        }
        if let Some(not) = s.get_mut("not") {
            self.schema(not, &format!("{ptr}/not"), depth + 1);
        }
        if let Some(Value::Object(defs)) = s.get_mut("$defs") {
            for (name, d) in defs.iter_mut() {
                self.schema(
                    d,
                    &format!("{ptr}/$defs/{}", escape_pointer_token(name)),
                    depth + 1,
                );
            }
        }
        // Swagger 2.0 names the property: `discriminator: petType`.
        if let Some(Value::String(name)) = s.get("discriminator") {
            let mut d = Map::new();
            d.insert("propertyName".into(), Value::String(name.clone()));
            s.insert("discriminator".into(), Value::Object(d));
        }
        if let Some(Value::Object(d)) = s.get_mut("discriminator")
            && !d.get("propertyName").is_some_and(Value::is_string)
        {
            s.remove("discriminator");
        }
    }

    fn schema_or_bool(&mut self, v: &mut Value, ptr: &str, depth: usize) {
        if v.is_boolean() {
            return;
        }
        self.schema(v, ptr, depth);
    }
}

/// `allOf` members that are a `$ref` with siblings that change the value (`nullable: true`,
/// 3.1's `type: [.., "null"]`, `required`): the siblings become a member of their own, appended
/// so the other members keep their pointers. `allOf: [{$ref: X, nullable: true}, ...]` then
/// reads as the usual `allOf: [{$ref: X}, ..., {nullable: true}]`, and a `required` member adds
/// its names to the composed object.
fn split_ref_siblings(members: &mut Vec<Value>) {
    let mut extra = Vec::new();
    for m in members.iter_mut() {
        let Value::Object(m) = m else { continue };
        if !m.contains_key("$ref") || m.len() == 1 {
            continue;
        }
        let mut split = Map::new();
        if says_null(m) {
            split.insert("nullable".into(), Value::Bool(true));
            m.remove("nullable");
            m.remove("type");
        }
        if let Some(r) = m.remove("required") {
            split.insert("required".into(), r);
        }
        if !split.is_empty() {
            extra.push(Value::Object(split));
        }
    }
    members.extend(extra);
}

/// A `$ref`'s siblings say the value may be `null`: `nullable: true` (3.0), `type: "null"` or
/// `type: [.., "null"]` (3.1).
fn says_null(s: &Map<String, Value>) -> bool {
    s.get("nullable") == Some(&Value::Bool(true))
        || match s.get("type") {
            Some(Value::String(t)) => t == "null",
            Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
            _ => false,
        }
}
