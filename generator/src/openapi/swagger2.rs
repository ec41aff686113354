//! Swagger 2.0 input: the 2.0 document (as a JSON value) is rewritten into the OpenAPI 3.0
//! shape the rest of the front end reads, before bundling and normalising, with a map from
//! every moved element's 3.0 pointer to its 2.0 pointer so that every later diagnostic (and
//! every inline type's wire name) points into the 2.0 text as written.
//!
//! One rule per construct:
//!
//! - `definitions`, `parameters` (other than `body`/`formData`), `responses` and
//!   `securityDefinitions` become `components`; their `$ref`s (`#/definitions/X`, ...) follow.
//! - A `body` parameter becomes the operation's `requestBody`, with one media type per
//!   `consumes` entry (the operation's, else the document's, else JSON); `formData` parameters
//!   become an object body, `multipart/form-data` when one is `type: file` or `consumes` has no
//!   `application/x-www-form-urlencoded`. Path-level `body`/`formData` parameters apply to every
//!   operation of the path that does not declare its own.
//! - Other parameters keep their place; their type keywords become a `schema`, and
//!   `collectionFormat` a `style`/`explode` (`csv` form/simple, `ssv` spaceDelimited, `pipes`
//!   pipeDelimited, `multi` form exploded; `tsv`, which 3.0 lacks, is kept as
//!   `x-collectionFormat` and read by the lowering).
//! - A response `schema` becomes `content` with one media type per `produces` entry; a file
//!   (`type: file`, or a binary string) is offered in the non-JSON ones only (octet-stream when
//!   there are none). Response `headers` get a `schema`.
//! - `host`, `basePath` and `schemes` become `servers` (https first); `x-ms-paths` are merged
//!   into `paths`.
//! - Schema keywords 2.0 does not have (`oneOf`, `anyOf`, `not`, `nullable`) are located
//!   errors; `x-nullable`, a `discriminator` given as a property name and `type: file` are read
//!   by the normalising pass, which handles them for 3.0 documents too.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::diagnostics::{Diagnostic, Diagnostics, Location, escape_pointer_token};

/// 3.0 pointer -> 2.0 pointer of every element the conversion moved. A pointer under a moved
/// element maps through its longest mapped prefix.
#[derive(Debug, Default, Clone)]
pub struct PointerMap {
    moved: HashMap<String, String>,
}

impl PointerMap {
    fn insert(&mut self, new: String, old: String) {
        if new != old {
            self.moved.insert(new, old);
        }
    }

    /// Where the element at the 3.0 `pointer` is in the 2.0 document.
    pub fn original(&self, pointer: &str) -> String {
        let mut end = pointer.len();
        loop {
            let prefix = &pointer[..end];
            if let Some(old) = self.moved.get(prefix) {
                return format!("{old}{}", &pointer[end..]);
            }
            match prefix.rfind('/') {
                Some(i) if i > 0 => end = i,
                _ => return pointer.to_owned(),
            }
        }
    }

    /// [`PointerMap::original`] of a `#`-prefixed pointer (an inline type's wire name).
    pub fn original_fragment(&self, fragment: &str) -> String {
        match fragment.strip_prefix('#') {
            Some(p) => format!("#{}", self.original(p)),
            None => fragment.to_owned(),
        }
    }
}

/// Whether `root` is a Swagger 2.0 document.
pub(crate) fn is_swagger2(root: &Value) -> bool {
    root.get("swagger").is_some() && root.get("openapi").is_none()
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// Keywords of a non-body 2.0 parameter (and of `items` and headers) that describe its value.
const VALUE_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "example",
];

/// Extensions on a parameter that say something about its value, read on schemas.
fn is_value_extension(key: &str) -> bool {
    key.starts_with("x-ms-enum") || key == "x-nullable" || key == "x-isnullable"
}

/// Convert the 2.0 document `doc` (read from `file`) into 3.0 in place. Parameters and
/// responses referenced in other files (Azure's `common-types`) are read from them (each at
/// most `limit` bytes) and written in place.
pub(crate) fn convert(
    doc: &mut Value,
    file: &Path,
    limit: u64,
    diags: &mut Diagnostics,
) -> PointerMap {
    let Value::Object(root) = std::mem::take(doc) else {
        return PointerMap::default();
    };
    let mut c = Converter {
        file,
        limit,
        files: HashMap::new(),
        diags,
        map: PointerMap::default(),
        definitions: HashSet::new(),
        parameters: Map::new(),
        responses: Map::new(),
        consumes: Vec::new(),
        produces: Vec::new(),
    };
    *doc = c.document(root);
    c.map
}

struct Converter<'a> {
    file: &'a Path,
    limit: u64,
    /// Other files read for references, by their path relative to the root's directory.
    files: HashMap<String, Option<Value>>,
    diags: &'a mut Diagnostics,
    map: PointerMap,
    /// Names under `definitions`.
    definitions: HashSet<String>,
    /// The top-level `parameters` as written (body and form parameters are copied where used).
    parameters: Map<String, Value>,
    /// The top-level `responses` as written (copied where an operation's media types differ).
    responses: Map<String, Value>,
    /// The document's `consumes` and `produces`.
    consumes: Vec<String>,
    produces: Vec<String>,
}

fn join(base: &str, token: &str) -> String {
    format!("{base}/{}", escape_pointer_token(token))
}

/// A list of media types (`consumes`/`produces`), or `None` when absent or not a list.
fn media_list(v: Option<&Value>) -> Option<Vec<String>> {
    let Value::Array(items) = v? else {
        return None;
    };
    Some(
        items
            .iter()
            .filter_map(Value::as_str)
            .map(|m| m.trim().to_owned())
            .filter(|m| !m.is_empty())
            .collect(),
    )
}

fn is_json(media: &str) -> bool {
    let m = media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m.ends_with("/json")
}

/// A schema whose value is a file's bytes (`type: file`, or a binary string).
fn is_file_schema(s: &Value) -> bool {
    match s.get("type").and_then(Value::as_str) {
        Some("file") => true,
        Some("string") => s.get("format").and_then(Value::as_str) == Some("binary"),
        _ => false,
    }
}

impl Converter<'_> {
    fn loc(&self, pointer: &str) -> Location {
        Location::pointer(self.file, pointer)
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>, expected: &str) {
        let d = Diagnostic::error(self.loc(pointer), message).expected(expected);
        self.diags.push(d);
    }

    /// A `$ref` at `pointer` to a top-level `section` (`parameters`, `responses`) that names
    /// none of its `names` (a `kind` each): a located error with the nearest name suggested.
    fn unresolved(
        &mut self,
        pointer: &str,
        reference: &str,
        kind: &str,
        section: &str,
        names: &[String],
    ) {
        let candidates: Vec<String> = names.iter().map(|k| format!("#/{section}/{k}")).collect();
        let d = Diagnostic::error(
            self.loc(pointer),
            format!("`$ref: {reference}` does not resolve"),
        )
        .expected(format!("the name of a {kind} under #/{section}"))
        .suggest(reference, candidates.iter().map(String::as_str));
        self.diags.push(d);
    }

    fn document(&mut self, mut root: Map<String, Value>) -> Value {
        match root.get("swagger") {
            Some(Value::String(v)) if v == "2.0" => {}
            Some(v) => {
                let shown = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                self.error(
                    "/swagger",
                    format!("unsupported Swagger version `{shown}`"),
                    "`swagger: \"2.0\"` (or an OpenAPI 3.x document)",
                );
            }
            None => {}
        }
        self.consumes = media_list(root.get("consumes")).unwrap_or_default();
        self.produces = media_list(root.get("produces")).unwrap_or_default();
        if let Some(Value::Object(defs)) = root.get("definitions") {
            self.definitions = defs.keys().cloned().collect();
        }
        if let Some(Value::Object(p)) = root.remove("parameters") {
            self.parameters = p;
        }
        if let Some(Value::Object(r)) = root.remove("responses") {
            self.responses = r;
        }

        let mut out = Map::new();
        out.insert("openapi".into(), Value::String("3.0.3".into()));
        if let Some(info) = root.remove("info") {
            out.insert("info".into(), info);
        }
        if let Some(servers) = self.servers(&root) {
            out.insert("servers".into(), servers);
        }
        // Components first: what is wrong in them is reported there, not in the copies made
        // for operations.
        let components = self.components(&mut root);
        let paths = self.paths(&mut root);
        out.insert("paths".into(), Value::Object(paths));
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        for key in ["security", "tags", "externalDocs"] {
            if let Some(v) = root.remove(key) {
                out.insert(key.into(), v);
            }
        }
        for (k, v) in root {
            if k.starts_with("x-") && k != "x-ms-paths" {
                out.insert(k, v);
            }
        }
        Value::Object(out)
    }

    /// `schemes://host/basePath`, https first; a relative URL (the base path) without `host`.
    fn servers(&mut self, root: &Map<String, Value>) -> Option<Value> {
        let host = root
            .get("host")
            .and_then(Value::as_str)
            .map(|h| h.trim().trim_end_matches('/'))
            .filter(|h| !h.is_empty());
        let base = root
            .get("basePath")
            .and_then(Value::as_str)
            .map(str::trim)
            .unwrap_or("");
        let base = if base.is_empty() || base.starts_with('/') {
            base.to_owned()
        } else {
            format!("/{base}")
        };
        let base = base.trim_end_matches('/');
        let mut schemes: Vec<String> = media_list(root.get("schemes"))
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.to_ascii_lowercase())
            .filter(|s| s == "http" || s == "https")
            .collect();
        schemes.sort_by_key(|s| s != "https");
        schemes.dedup();
        if schemes.is_empty() {
            schemes.push("https".into());
        }
        let at = if host.is_some() { "/host" } else { "/basePath" };
        let urls: Vec<String> = match host {
            Some(host) => schemes
                .iter()
                .map(|s| format!("{s}://{host}{base}"))
                .collect(),
            None if !base.is_empty() => vec![base.to_owned()],
            None => Vec::new(),
        };
        let mut servers: Vec<Value> = Vec::new();
        if let Some(server) = self.parameterized_host(root, &schemes[0], base) {
            self.map.insert(
                "/servers/0".to_owned(),
                "/x-ms-parameterized-host".to_owned(),
            );
            servers.push(server);
        }
        for url in urls {
            self.map
                .insert(format!("/servers/{}", servers.len()), at.to_owned());
            servers.push(json!({ "url": url }));
        }
        (!servers.is_empty()).then_some(Value::Array(servers))
    }

    /// Azure's `x-ms-parameterized-host` as a server with variables: `hostTemplate` (after the
    /// scheme unless `useSchemePrefix: false`, before the base path), each `{name}` a variable
    /// from its parameter (inline or `$ref`), with the parameter's `default`, `enum` and
    /// description; a parameter without a default takes the first of its `enum`, or else (the
    /// account's `endpoint`) gives a variable without one.
    fn parameterized_host(
        &mut self,
        root: &Map<String, Value>,
        scheme: &str,
        base: &str,
    ) -> Option<Value> {
        let host = root.get("x-ms-parameterized-host")?;
        let at = "/x-ms-parameterized-host";
        let Some(template) = host.get("hostTemplate").and_then(Value::as_str) else {
            self.diags.warning(
                self.loc(at),
                "`x-ms-parameterized-host` has no `hostTemplate`; it is ignored",
            );
            return None;
        };
        let template = template.trim().trim_end_matches('/');
        let prefix = host.get("useSchemePrefix").and_then(Value::as_bool) != Some(false);
        let url = if prefix {
            format!("{scheme}://{template}{base}")
        } else {
            format!("{template}{base}")
        };
        let mut variables = Map::new();
        let params = host.get("parameters").and_then(Value::as_array);
        for (i, p) in params.into_iter().flatten().enumerate() {
            let p = match p.get("$ref").and_then(Value::as_str) {
                Some(r) => match self.parameter_ref(r, &format!("{at}/parameters/{i}")) {
                    Some((_, target)) => target,
                    None => continue,
                },
                None => p.clone(),
            };
            let Some(name) = p.get("name").and_then(Value::as_str) else {
                continue;
            };
            let mut var = Map::new();
            // Without a default, a parameter limited to values has its first (an API version).
            let first = p
                .get("enum")
                .and_then(Value::as_array)
                .and_then(|v| v.first());
            if let Some(default) = p.get("default").filter(|d| !d.is_null()).or(first) {
                var.insert("default".into(), default.clone());
            }
            if let Some(values) = p.get("enum") {
                var.insert("enum".into(), values.clone());
            }
            // Without either, the variable has none: no warning, as 2.0 does not ask for one.
            super::server_variable_as_text(&mut var);
            if let Some(d) = p.get("description") {
                var.insert("description".into(), d.clone());
            }
            variables.insert(name.to_owned(), Value::Object(var));
        }
        Some(json!({
            "url": url,
            "description": "The service's endpoint (`x-ms-parameterized-host`)",
            "variables": variables,
        }))
    }

    fn components(&mut self, root: &mut Map<String, Value>) -> Map<String, Value> {
        let mut components = Map::new();
        if let Some(Value::Object(defs)) = root.remove("definitions") {
            let mut schemas = Map::new();
            for (name, mut schema) in defs {
                let old = join("/definitions", &name);
                let new = join("/components/schemas", &name);
                self.map.insert(new, old.clone());
                self.schema(&mut schema, &old, 0);
                schemas.insert(name, schema);
            }
            components.insert("schemas".into(), Value::Object(schemas));
        }
        let mut parameters = Map::new();
        for (name, p) in self.parameters.clone() {
            let old = join("/parameters", &name);
            if !p.is_object() {
                self.error(
                    &old,
                    "a parameter is not an object",
                    "a Swagger 2.0 parameter",
                );
                continue;
            }
            // Copied into each operation that refers to them.
            if let Some("body" | "formData") = p.get("in").and_then(Value::as_str) {
                continue;
            }
            let new = join("/components/parameters", &name);
            if let Some(converted) = self.parameter(p, &old, &new) {
                parameters.insert(name, converted);
            }
        }
        if !parameters.is_empty() {
            components.insert("parameters".into(), Value::Object(parameters));
        }
        let mut responses = Map::new();
        let produces = self.produces.clone();
        for (name, r) in self.responses.clone() {
            let old = join("/responses", &name);
            let new = join("/components/responses", &name);
            let converted = self.response(r, &old, &new, &produces);
            responses.insert(name, converted);
        }
        if !responses.is_empty() {
            components.insert("responses".into(), Value::Object(responses));
        }
        if let Some(Value::Object(defs)) = root.remove("securityDefinitions") {
            let mut schemes = Map::new();
            for (name, d) in defs {
                let old = join("/securityDefinitions", &name);
                self.map
                    .insert(join("/components/securitySchemes", &name), old.clone());
                if let Some(s) = self.security_scheme(d, &old) {
                    schemes.insert(name, s);
                }
            }
            components.insert("securitySchemes".into(), Value::Object(schemes));
        }
        components
    }

    fn security_scheme(&mut self, d: Value, ptr: &str) -> Option<Value> {
        let Value::Object(mut d) = d else {
            self.error(
                ptr,
                "a security definition is not an object",
                "a Swagger 2.0 security scheme",
            );
            return None;
        };
        let mut out = Map::new();
        if let Some(desc) = d.remove("description") {
            out.insert("description".into(), desc);
        }
        let kind = d.get("type").and_then(Value::as_str).unwrap_or("");
        match kind {
            "basic" => {
                out.insert("type".into(), "http".into());
                out.insert("scheme".into(), "basic".into());
            }
            "apiKey" => {
                let location = d.get("in").and_then(Value::as_str).unwrap_or("");
                if !matches!(location, "query" | "header") {
                    self.error(
                        &join(ptr, "in"),
                        format!("an apiKey security scheme `in: {location}`"),
                        "`in: query` or `in: header`",
                    );
                    return None;
                }
                let Some(name) = d.get("name").filter(|n| n.is_string()) else {
                    self.error(
                        ptr,
                        "an apiKey security scheme without a `name`",
                        "the name of the header or query parameter",
                    );
                    return None;
                };
                out.insert("type".into(), "apiKey".into());
                out.insert("name".into(), name.clone());
                out.insert("in".into(), location.into());
            }
            "oauth2" => {
                let flow = d.get("flow").and_then(Value::as_str).unwrap_or("");
                let (name, needs_auth, needs_token) = match flow {
                    "implicit" => ("implicit", true, false),
                    "password" => ("password", false, true),
                    "application" => ("clientCredentials", false, true),
                    "accessCode" => ("authorizationCode", true, true),
                    other => {
                        self.error(
                            &join(ptr, "flow"),
                            format!("an oauth2 security scheme with `flow: {other}`"),
                            "implicit, password, application or accessCode",
                        );
                        return None;
                    }
                };
                let mut f = Map::new();
                for (key, needed) in [("authorizationUrl", needs_auth), ("tokenUrl", needs_token)] {
                    if !needed {
                        continue;
                    }
                    let url = d
                        .get(key)
                        .cloned()
                        .unwrap_or_else(|| Value::String(String::new()));
                    f.insert(key.into(), url);
                }
                let scopes = match d.remove("scopes") {
                    Some(Value::Object(s)) => Value::Object(s),
                    _ => Value::Object(Map::new()),
                };
                f.insert("scopes".into(), scopes);
                out.insert("type".into(), "oauth2".into());
                let mut flows = Map::new();
                flows.insert(name.into(), Value::Object(f));
                out.insert("flows".into(), Value::Object(flows));
            }
            other => {
                self.error(
                    &join(ptr, "type"),
                    format!("a security scheme of type `{other}`"),
                    "basic, apiKey or oauth2",
                );
                return None;
            }
        }
        for (k, v) in d {
            if k.starts_with("x-") {
                out.insert(k, v);
            }
        }
        Some(Value::Object(out))
    }

    fn paths(&mut self, root: &mut Map<String, Value>) -> Map<String, Value> {
        let mut out = Map::new();
        let mut sources: Vec<(&str, Map<String, Value>)> = Vec::new();
        if let Some(Value::Object(p)) = root.remove("paths") {
            sources.push(("/paths", p));
        }
        if let Some(Value::Object(p)) = root.remove("x-ms-paths") {
            sources.push(("/x-ms-paths", p));
        }
        for (section, items) in sources {
            for (path, item) in items {
                let old = join(section, &path);
                if !path.starts_with('/') {
                    if section == "/paths" {
                        out.insert(path, item);
                    }
                    continue;
                }
                if out.contains_key(&path) {
                    self.diags.warning(
                        self.loc(&old),
                        format!("`{path}` is also under `paths`; this one is ignored"),
                    );
                    continue;
                }
                if item.get("$ref").is_some() {
                    self.diags.warning(
                        self.loc(&join(&old, "$ref")),
                        "a path item `$ref` is not followed in a Swagger 2.0 document; the path is \
                         skipped",
                    );
                    continue;
                }
                let new = join("/paths", &path);
                self.map.insert(new.clone(), old.clone());
                let converted = self.path_item(item, &old, &new);
                out.insert(path, converted);
            }
        }
        out
    }

    fn path_item(&mut self, item: Value, old: &str, new: &str) -> Value {
        let Value::Object(mut item) = item else {
            return item;
        };
        if item.contains_key("$ref") {
            return Value::Object(item);
        }
        // Path-level parameters: the others stay, body and form parameters go to operations.
        let mut shared_body: Vec<(Value, String)> = Vec::new();
        let mut content_type: Option<Vec<String>> = None;
        let mut params_out = Vec::new();
        if let Some(Value::Array(params)) = item.remove("parameters") {
            for (i, p) in params.into_iter().enumerate() {
                let pold = format!("{old}/parameters/{i}");
                let pnew = format!("{new}/parameters/{}", params_out.len());
                match self.classify(p, &pold) {
                    Some(Param::Plain(v)) => {
                        if let Some(media) = self.content_type_parameter(&v) {
                            content_type = Some(media);
                        } else if let Some(v) = self.plain_parameter(v, &pold, &pnew) {
                            params_out.push(v);
                        }
                    }
                    Some(Param::Body(v, at)) => shared_body.push((v, at)),
                    None => {}
                }
            }
        }
        let mut out = Map::new();
        if !params_out.is_empty() {
            out.insert("parameters".into(), Value::Array(params_out));
        }
        for (key, value) in item {
            if METHODS.contains(&key.as_str()) {
                let op = self.operation(
                    value,
                    &join(old, &key),
                    &join(new, &key),
                    &shared_body,
                    content_type.as_deref(),
                );
                out.insert(key, op);
            } else if key.starts_with("x-") || key == "summary" || key == "description" {
                out.insert(key, value);
            }
        }
        Value::Object(out)
    }

    /// A parameter as written or referenced: a plain one (kept as written, a `$ref` to a
    /// plain top-level one stays a reference), or a body/form one resolved with its pointer.
    fn classify(&mut self, p: Value, ptr: &str) -> Option<Param> {
        if let Some(r) = p.get("$ref").and_then(Value::as_str)
            && !r.starts_with('#')
        {
            let target = self.external(r, ptr)?;
            if !target.is_object() {
                self.error(
                    ptr,
                    "a parameter is not an object",
                    "a Swagger 2.0 parameter",
                );
                return None;
            }
            return match target.get("in").and_then(Value::as_str) {
                Some("body" | "formData") => Some(Param::Body(target, ptr.to_owned())),
                _ => Some(Param::Plain(target)),
            };
        }
        if let Some(r) = p.get("$ref").and_then(Value::as_str) {
            let (name, target) = self.parameter_ref(r, ptr)?;
            return match target.get("in").and_then(Value::as_str) {
                Some("body" | "formData") => Some(Param::Body(target, join("/parameters", &name))),
                _ => Some(Param::Plain(json!({
                    "$ref": format!("#/components/parameters/{}", escape_pointer_token(&name))
                }))),
            };
        }
        if !p.is_object() {
            self.error(
                ptr,
                "a parameter is not an object",
                "a Swagger 2.0 parameter",
            );
            return None;
        }
        match p.get("in").and_then(Value::as_str) {
            Some("body" | "formData") => Some(Param::Body(p, ptr.to_owned())),
            _ => Some(Param::Plain(p)),
        }
    }

    /// The name and the definition of the shared parameter `r` (`#/parameters/<name>`) a
    /// `$ref` at `ptr` names; an error when it names something else or nothing.
    fn parameter_ref(&mut self, r: &str, ptr: &str) -> Option<(String, Value)> {
        let Some(name) = r.strip_prefix("#/parameters/") else {
            self.error(
                &join(ptr, "$ref"),
                format!("unsupported parameter reference `{r}`"),
                "`#/parameters/<name>`",
            );
            return None;
        };
        let name = crate::diagnostics::unescape_pointer_token(name);
        let Some(target) = self.parameters.get(&name).cloned() else {
            let names: Vec<String> = self.parameters.keys().cloned().collect();
            self.unresolved(&join(ptr, "$ref"), r, "parameter", "parameters", &names);
            return None;
        };
        Some((name, target))
    }

    /// The media types a `Content-Type` header parameter allows (its `enum`, else its
    /// `default`): in 2.0 such a parameter says what the body is sent as, over `consumes`
    /// (Docker's build takes `consumes: [application/octet-stream]` and a `Content-type` header
    /// of `enum: [application/x-tar]`). 3.0 ignores such parameters; here they set the body's
    /// media types and are not parameters of their own.
    fn content_type_parameter(&self, p: &Value) -> Option<Vec<String>> {
        let p = match p.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r.strip_prefix("#/components/parameters/")?;
                self.parameters
                    .get(&crate::diagnostics::unescape_pointer_token(name))?
            }
            None => p,
        };
        if p.get("in").and_then(Value::as_str) != Some("header")
            || !p
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case("content-type"))
        {
            return None;
        }
        let media: Vec<String> = match (p.get("enum"), p.get("default")) {
            (Some(Value::Array(values)), _) => values
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            (_, Some(Value::String(d))) => vec![d.clone()],
            _ => Vec::new(),
        };
        (!media.is_empty()).then_some(media)
    }

    /// A plain parameter as it goes into a 3.0 list: a reference as it is, else converted.
    fn plain_parameter(&mut self, p: Value, old: &str, new: &str) -> Option<Value> {
        if p.get("$ref").is_some() {
            self.map.insert(new.to_owned(), old.to_owned());
            return Some(p);
        }
        self.parameter(p, old, new)
    }

    /// A non-body 2.0 parameter -> a 3.0 parameter with a `schema`.
    fn parameter(&mut self, p: Value, old: &str, new: &str) -> Option<Value> {
        let Value::Object(mut p) = p else {
            return None;
        };
        self.map.insert(new.to_owned(), old.to_owned());
        self.map.insert(format!("{new}/schema"), old.to_owned());
        let Some(location) = p.get("in").and_then(Value::as_str).map(str::to_owned) else {
            self.error(
                old,
                "a parameter without `in`",
                "`in`: query, header, path, formData or body",
            );
            return None;
        };
        if !matches!(location.as_str(), "query" | "header" | "path") {
            self.error(
                &join(old, "in"),
                format!("a parameter `in: {location}`"),
                "query, header, path, formData or body",
            );
            return None;
        }
        if !p.get("name").is_some_and(Value::is_string) {
            self.error(old, "a parameter without a `name`", "`name: <string>`");
            return None;
        }
        let Some(ty) = p.get("type").and_then(Value::as_str).map(str::to_owned) else {
            self.error(
                old,
                format!("the {location} parameter has no `type`"),
                "`type` (string, number, integer, boolean or array) on a non-body parameter",
            );
            return None;
        };
        if ty == "file" {
            self.error(
                &join(old, "type"),
                format!("`type: file` on a {location} parameter"),
                "`type: file` on formData parameters only",
            );
            return None;
        }
        let mut schema = Map::new();
        for key in VALUE_KEYWORDS {
            if let Some(v) = p.remove(*key) {
                schema.insert((*key).to_owned(), v);
            }
        }
        let extensions: Vec<String> = p
            .keys()
            .filter(|k| is_value_extension(k))
            .cloned()
            .collect();
        for k in extensions {
            if let Some(v) = p.remove(&k) {
                schema.insert(k, v);
            }
        }
        let format = p.remove("collectionFormat");
        let mut schema = Value::Object(schema);
        self.value_schema(&mut schema, old, 0);
        if ty == "array" {
            let format = match &format {
                None => "csv".to_owned(),
                Some(Value::String(f)) => f.clone(),
                Some(other) => other.to_string(),
            };
            let at = join(old, "collectionFormat");
            let (style, explode) = match (location.as_str(), format.as_str()) {
                ("query", "csv") => ("form", false),
                ("query", "multi") => ("form", true),
                ("query", "ssv") => ("spaceDelimited", false),
                ("query", "pipes") => ("pipeDelimited", false),
                (_, "csv" | "ssv" | "pipes" | "tsv") if location != "query" => ("simple", false),
                ("query", "tsv") => ("form", false),
                (_, "multi") => {
                    self.error(
                        &at,
                        format!("`collectionFormat: multi` on a {location} parameter"),
                        "`multi` on query and formData parameters only",
                    );
                    return None;
                }
                (_, other) => {
                    self.error(
                        &at,
                        format!("unknown `collectionFormat: {other}`"),
                        "csv, ssv, tsv, pipes or multi",
                    );
                    return None;
                }
            };
            p.insert("style".into(), style.into());
            p.insert("explode".into(), explode.into());
            // What `style` says on its own needs no more.
            let said = matches!(format.as_str(), "csv" | "multi")
                || (location == "query" && matches!(format.as_str(), "ssv" | "pipes"));
            if !said {
                p.insert("x-collectionFormat".into(), format.into());
            }
        }
        if location == "path" {
            p.insert("required".into(), Value::Bool(true));
        }
        p.insert("schema".into(), schema);
        Some(Value::Object(p))
    }

    /// The schema of a non-body value (a parameter, `items`, a header): nested `items` lose
    /// their `collectionFormat` (the IR has no lists of lists in one parameter).
    fn value_schema(&mut self, schema: &mut Value, ptr: &str, depth: usize) {
        if depth > 64 {
            return;
        }
        let Value::Object(s) = schema else { return };
        s.remove("collectionFormat");
        if let Some(items) = s.get_mut("items") {
            let iptr = join(ptr, "items");
            if items.get("$ref").is_some() {
                self.schema(items, &iptr, depth + 1);
            } else {
                self.value_schema(items, &iptr, depth + 1);
            }
        }
    }

    fn operation(
        &mut self,
        op: Value,
        old: &str,
        new: &str,
        shared_body: &[(Value, String)],
        shared_content_type: Option<&[String]>,
    ) -> Value {
        let Value::Object(mut op) = op else {
            return op;
        };
        let mut consumes = media_list(op.get("consumes")).unwrap_or_else(|| self.consumes.clone());
        if let Some(media) = shared_content_type {
            consumes = media.to_vec();
        }
        let produces = media_list(op.get("produces")).unwrap_or_else(|| self.produces.clone());
        let mut out = Map::new();
        let mut params_out = Vec::new();
        let mut bodies: Vec<(Value, String)> = Vec::new();
        if let Some(Value::Array(params)) = op.remove("parameters") {
            for (i, p) in params.into_iter().enumerate() {
                let pold = format!("{old}/parameters/{i}");
                let pnew = format!("{new}/parameters/{}", params_out.len());
                match self.classify(p, &pold) {
                    Some(Param::Plain(v)) => {
                        if let Some(media) = self.content_type_parameter(&v) {
                            consumes = media;
                        } else if let Some(v) = self.plain_parameter(v, &pold, &pnew) {
                            params_out.push(v);
                        }
                    }
                    Some(Param::Body(v, at)) => bodies.push((v, at)),
                    None => {}
                }
            }
        }
        // Path-level body and form parameters the operation does not override.
        let key = |p: &Value| {
            (
                p.get("in").and_then(Value::as_str).unwrap_or("").to_owned(),
                p.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned(),
            )
        };
        let own: HashSet<(String, String)> = bodies.iter().map(|(p, _)| key(p)).collect();
        let own_body = bodies.iter().any(|(p, _)| key(p).0 == "body");
        for (p, at) in shared_body {
            let k = key(p);
            let overridden = own.contains(&k) || (k.0 == "body" && own_body);
            if !overridden {
                bodies.push((p.clone(), at.clone()));
            }
        }
        if !params_out.is_empty() {
            out.insert("parameters".into(), Value::Array(params_out));
        }
        if let Some(body) = self.request_body(bodies, &consumes, old, new) {
            out.insert("requestBody".into(), body);
        }
        let mut responses_out = Map::new();
        if let Some(Value::Object(responses)) = op.remove("responses") {
            for (status, r) in responses {
                if status.starts_with("x-") {
                    continue;
                }
                let rold = join(&join(old, "responses"), &status);
                let rnew = join(&join(new, "responses"), &status);
                let converted = self.response_use(r, &rold, &rnew, &produces);
                responses_out.insert(status, converted);
            }
        } else {
            self.error(
                old,
                "the operation has no `responses`",
                "`responses` with at least one response",
            );
        }
        for (key, value) in op {
            match key.as_str() {
                "consumes" | "produces" | "schemes" => {}
                _ => {
                    out.insert(key, value);
                }
            }
        }
        out.insert("responses".into(), Value::Object(responses_out));
        Value::Object(out)
    }

    /// The operation's `body` parameter, or its `formData` parameters, as a request body.
    fn request_body(
        &mut self,
        params: Vec<(Value, String)>,
        consumes: &[String],
        old: &str,
        new: &str,
    ) -> Option<Value> {
        let bnew = format!("{new}/requestBody");
        let (body, form): (Vec<_>, Vec<_>) = params
            .into_iter()
            .partition(|(p, _)| p.get("in").and_then(Value::as_str) == Some("body"));
        if body.len() > 1 {
            self.error(
                &body[1].1,
                "a second `body` parameter",
                "at most one `body` parameter per operation",
            );
        }
        if let Some((_, at)) = body.first().filter(|_| !form.is_empty()) {
            self.error(
                at,
                "a `body` parameter beside `formData` parameters",
                "either one `body` parameter or `formData` parameters",
            );
            return None;
        }
        if let Some((Value::Object(mut p), at)) = body.into_iter().next() {
            self.map.insert(bnew.clone(), at.clone());
            let Some(mut schema) = p.remove("schema") else {
                self.error(
                    &at,
                    "a `body` parameter without a `schema`",
                    "`schema` on every body parameter",
                );
                return None;
            };
            self.schema(&mut schema, &join(&at, "schema"), 0);
            let media: Vec<String> = if consumes.is_empty() {
                vec!["application/json".into()]
            } else {
                consumes.to_vec()
            };
            let mut content = Map::new();
            for m in media {
                self.map.insert(
                    format!("{bnew}/content/{}/schema", escape_pointer_token(&m)),
                    join(&at, "schema"),
                );
                content.insert(m, json!({ "schema": schema.clone() }));
            }
            let mut out = Map::new();
            if let Some(d) = p.remove("description") {
                out.insert("description".into(), d);
            }
            out.insert("content".into(), Value::Object(content));
            if p.get("required") == Some(&Value::Bool(true)) {
                out.insert("required".into(), Value::Bool(true));
            }
            for (k, v) in p {
                if k.starts_with("x-") {
                    out.insert(k, v);
                }
            }
            return Some(Value::Object(out));
        }
        if form.is_empty() {
            return None;
        }
        let has_file = form
            .iter()
            .any(|(p, _)| p.get("type").and_then(Value::as_str) == Some("file"));
        let lower: Vec<String> = consumes.iter().map(|m| m.to_ascii_lowercase()).collect();
        let urlencoded = lower
            .iter()
            .any(|m| m.starts_with("application/x-www-form-urlencoded"));
        let multipart = lower.iter().any(|m| m.starts_with("multipart/form-data"));
        let media = if has_file || (multipart && !urlencoded) {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let sptr = format!("{bnew}/content/{}/schema", escape_pointer_token(media));
        self.map.insert(bnew.clone(), form[0].1.clone());
        self.map.insert(sptr.clone(), form[0].1.clone());
        let _ = old;
        let mut properties = Map::new();
        let mut required = Vec::new();
        for (p, at) in form {
            let Value::Object(mut p) = p else { continue };
            let Some(name) = p.get("name").and_then(Value::as_str).map(str::to_owned) else {
                self.error(&at, "a parameter without a `name`", "`name: <string>`");
                continue;
            };
            let pnew = join(&join(&sptr, "properties"), &name);
            self.map.insert(pnew, at.clone());
            if p.get("required") == Some(&Value::Bool(true)) {
                required.push(Value::String(name.clone()));
            }
            let mut schema = Map::new();
            if let Some(d) = p.remove("description") {
                schema.insert("description".into(), d);
            }
            for key in VALUE_KEYWORDS {
                if let Some(v) = p.remove(*key) {
                    schema.insert((*key).to_owned(), v);
                }
            }
            for (k, v) in p.iter() {
                if is_value_extension(k) {
                    schema.insert(k.clone(), v.clone());
                }
            }
            match schema.get("type").and_then(Value::as_str) {
                None => {
                    self.error(
                        &at,
                        "the formData parameter has no `type`",
                        "`type` (string, number, integer, boolean, array or file)",
                    );
                    continue;
                }
                Some("file") => {
                    schema.insert("type".into(), "string".into());
                    schema.insert("format".into(), "binary".into());
                }
                Some("array") => {
                    let format = p
                        .get("collectionFormat")
                        .and_then(Value::as_str)
                        .unwrap_or("csv");
                    if format != "multi" {
                        self.diags.warning(
                            self.loc(&at),
                            format!(
                                "the form field `{name}` (collectionFormat {format}) is sent as one \
                                 field per item, as `collectionFormat: multi` says"
                            ),
                        );
                    }
                }
                Some(_) => {}
            }
            let mut schema = Value::Object(schema);
            self.value_schema(&mut schema, &at, 0);
            properties.insert(name, schema);
        }
        let mut schema = Map::new();
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required.clone()));
        }
        let mut out = Map::new();
        let mut content = Map::new();
        content.insert(media.into(), json!({ "schema": Value::Object(schema) }));
        out.insert("content".into(), Value::Object(content));
        if !required.is_empty() {
            out.insert("required".into(), Value::Bool(true));
        }
        Some(Value::Object(out))
    }

    /// A response of an operation: a reference to a top-level response stays one when the
    /// operation produces what the document produces, else it is copied with the operation's
    /// media types.
    fn response_use(&mut self, r: Value, old: &str, new: &str, produces: &[String]) -> Value {
        let Some(reference) = r.get("$ref").and_then(Value::as_str) else {
            return self.response(r, old, new, produces);
        };
        if !reference.starts_with('#') {
            let reference = reference.to_owned();
            return match self.external(&reference, old) {
                Some(target) => self.response(target, old, new, produces),
                None => json!({ "description": "" }),
            };
        }
        let Some(name) = reference.strip_prefix("#/responses/") else {
            self.error(
                &join(old, "$ref"),
                format!("unsupported response reference `{reference}`"),
                "`#/responses/<name>`",
            );
            return json!({ "description": "" });
        };
        let name = crate::diagnostics::unescape_pointer_token(name);
        let Some(target) = self.responses.get(&name).cloned() else {
            let names: Vec<String> = self.responses.keys().cloned().collect();
            self.unresolved(
                &join(old, "$ref"),
                reference,
                "response",
                "responses",
                &names,
            );
            return json!({ "description": "" });
        };
        if produces == self.produces.as_slice() {
            self.map.insert(new.to_owned(), old.to_owned());
            return json!({
                "$ref": format!("#/components/responses/{}", escape_pointer_token(&name))
            });
        }
        let at = join("/responses", &name);
        // What is wrong inside the copy was reported at the top-level response.
        let mut quiet = Diagnostics::default();
        let diags = std::mem::replace(self.diags, quiet.clone());
        let out = self.response(target, &at, new, produces);
        quiet = std::mem::replace(self.diags, diags);
        drop(quiet);
        out
    }

    /// A 2.0 response (not a reference) -> a 3.0 response.
    fn response(&mut self, r: Value, old: &str, new: &str, produces: &[String]) -> Value {
        let Value::Object(mut r) = r else {
            self.error(old, "a response is not an object", "a Swagger 2.0 response");
            return json!({ "description": "" });
        };
        self.map.insert(new.to_owned(), old.to_owned());
        let mut out = Map::new();
        out.insert(
            "description".into(),
            r.remove("description")
                .unwrap_or_else(|| Value::String(String::new())),
        );
        let examples = match r.remove("examples") {
            Some(Value::Object(e)) => e,
            _ => Map::new(),
        };
        let success = status_of(new).is_some_and(|s| s.starts_with('2'));
        let schema = match r.remove("schema") {
            Some(mut schema) => {
                self.schema(&mut schema, &join(old, "schema"), 0);
                Some(schema)
            }
            // Without a schema, a response carries no content; but where the operation
            // produces only media types that are not JSON (an archive, a stream, text), its
            // success responses are those bytes (2.0 has nothing else to describe them with).
            None if success && !produces.is_empty() && !produces.iter().any(|m| is_json(m)) => {
                Some(json!({"type": "string", "format": "binary"}))
            }
            None => None,
        };
        if let Some(schema) = schema {
            let sold = join(old, "schema");
            let media = response_media(&schema, produces);
            let mut content = Map::new();
            for m in media {
                let mnew = format!("{new}/content/{}", escape_pointer_token(&m));
                self.map.insert(format!("{mnew}/schema"), sold.clone());
                let mut mt = Map::new();
                mt.insert("schema".into(), schema.clone());
                if let Some(e) = examples.get(&m) {
                    self.map
                        .insert(format!("{mnew}/example"), join(&join(old, "examples"), &m));
                    mt.insert("example".into(), e.clone());
                }
                content.insert(m, Value::Object(mt));
            }
            out.insert("content".into(), Value::Object(content));
        }
        if let Some(Value::Object(headers)) = r.remove("headers") {
            let mut hout = Map::new();
            for (name, h) in headers {
                let hold = join(&join(old, "headers"), &name);
                let hnew = join(&join(new, "headers"), &name);
                let Value::Object(mut h) = h else { continue };
                self.map.insert(hnew.clone(), hold.clone());
                self.map.insert(format!("{hnew}/schema"), hold.clone());
                let mut header = Map::new();
                if let Some(d) = h.remove("description") {
                    header.insert("description".into(), d);
                }
                let mut schema = Map::new();
                for key in VALUE_KEYWORDS {
                    if let Some(v) = h.remove(*key) {
                        schema.insert((*key).to_owned(), v);
                    }
                }
                if !schema.contains_key("type") {
                    schema.insert("type".into(), "string".into());
                }
                let mut schema = Value::Object(schema);
                self.value_schema(&mut schema, &hold, 0);
                header.insert("schema".into(), schema);
                for (k, v) in h {
                    if k.starts_with("x-") {
                        header.insert(k, v);
                    }
                }
                hout.insert(name, Value::Object(header));
            }
            out.insert("headers".into(), Value::Object(hout));
        }
        for (k, v) in r {
            if k.starts_with("x-") {
                out.insert(k, v);
            }
        }
        Value::Object(out)
    }

    /// The element a reference into another file names (`../types.json#/parameters/X`),
    /// with its own references made relative to this document's directory; `None` when it
    /// cannot be read (reported at `ptr`).
    fn external(&mut self, reference: &str, ptr: &str) -> Option<Value> {
        let at = join(ptr, "$ref");
        if reference.starts_with("http://") || reference.starts_with("https://") {
            let d = Diagnostic::error(
                self.loc(&at),
                format!("remote reference `{reference}` is not fetched"),
            )
            .expected("a reference inside this document or to a local file")
            .help("download the referenced document and refer to it by a relative path");
            self.diags.push(d);
            return None;
        }
        let (file_part, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let file_part = super::percent_decode(file_part).into_owned();
        let pointer = super::percent_decode(pointer).into_owned();
        if Path::new(&file_part).has_root() {
            self.error(
                &at,
                format!("`$ref` names the absolute path `{file_part}`"),
                "a path relative to the referring file",
            );
            return None;
        }
        if !self.files.contains_key(&file_part) {
            let path = self
                .file
                .parent()
                .unwrap_or(Path::new("."))
                .join(&file_part);
            let value = match crate::source::SourceFile::read(&path, self.limit)
                .and_then(|source| source.parse_value())
            {
                Ok(v) => Some(v),
                Err(d) => {
                    let d = Diagnostic::error(
                        self.loc(&at),
                        format!(
                            "referenced file `{file_part}` cannot be read: {}",
                            d.message
                        ),
                    )
                    .expected("a path relative to the referring file");
                    self.diags.push(d);
                    None
                }
            };
            self.files.insert(file_part.clone(), value);
        }
        let target = self
            .files
            .get(&file_part)
            .and_then(Option::as_ref)?
            .pointer(&pointer)
            .cloned();
        let Some(mut target) = target else {
            self.error(
                &at,
                format!("`$ref: {reference}` does not resolve"),
                &format!("a JSON pointer to an element of {file_part}"),
            );
            return None;
        };
        relocate_refs(&mut target, &file_part, 0);
        Some(target)
    }

    /// A 2.0 schema (at `ptr` of the 2.0 document): references follow their targets, and
    /// keywords 2.0 does not have are errors.
    fn schema(&mut self, schema: &mut Value, ptr: &str, depth: usize) {
        if depth > 256 {
            return;
        }
        let Value::Object(s) = schema else { return };
        if let Some(Value::String(r)) = s.get("$ref") {
            if let Some(fixed) = self.schema_ref(r, ptr) {
                s.insert("$ref".into(), Value::String(fixed));
            } else {
                // Reported; read as any value so that nothing else fails on it.
                s.clear();
            }
            return;
        }
        for key in ["oneOf", "anyOf", "not", "nullable"] {
            if s.contains_key(key) {
                let help = if key == "nullable" {
                    "`x-nullable: true` (2.0 has no `nullable`)"
                } else {
                    "`allOf` and `discriminator` (2.0 has no `oneOf`, `anyOf` or `not`)"
                };
                self.error(
                    &join(ptr, key),
                    format!("`{key}` is not a Swagger 2.0 keyword"),
                    help,
                );
                s.remove(key);
            }
        }
        if let Some(Value::Object(props)) = s.get_mut("properties") {
            let keys: Vec<String> = props.keys().cloned().collect();
            for k in keys {
                if let Some(p) = props.get_mut(&k) {
                    let pp = join(&join(ptr, "properties"), &k);
                    self.schema(p, &pp, depth + 1);
                }
            }
        }
        for key in ["items", "additionalProperties"] {
            if let Some(v) = s.get_mut(key) {
                self.schema(v, &join(ptr, key), depth + 1);
            }
        }
        if let Some(Value::Array(list)) = s.get_mut("allOf") {
            for (i, m) in list.iter_mut().enumerate() {
                self.schema(m, &format!("{ptr}/allOf/{i}"), depth + 1);
            }
        }
    }

    /// A schema `$ref` of the 2.0 document as a 3.0 one; `None` (reported) when it names a
    /// definition that does not exist.
    fn schema_ref(&mut self, r: &str, ptr: &str) -> Option<String> {
        let Some(rest) = r.strip_prefix("#/definitions/") else {
            // Another file (bundled later, where `#/definitions/..` of that file resolves), or
            // some other pointer of this document.
            return Some(r.to_owned());
        };
        let name = rest.split('/').next().unwrap_or(rest);
        let decoded = crate::diagnostics::unescape_pointer_token(&super::percent_decode(name));
        if !self.definitions.contains(&decoded) {
            let candidates: Vec<String> = self
                .definitions
                .iter()
                .map(|k| format!("#/definitions/{k}"))
                .collect();
            let d = Diagnostic::error(
                self.loc(&join(ptr, "$ref")),
                format!("`$ref: {r}` does not resolve"),
            )
            .expected("the name of a schema under #/definitions")
            .suggest(r, candidates.iter().map(String::as_str));
            self.diags.push(d);
            return None;
        }
        Some(format!("#/components/schemas/{rest}"))
    }
}

/// Make the references of `v`, read from the file `file` (relative to the root's directory),
/// relative to the root's directory: `#/definitions/X` -> `file#/definitions/X`,
/// `other.json#/..` -> `<file's dir>/other.json#/..`.
fn relocate_refs(v: &mut Value, file: &str, depth: usize) {
    if depth > 256 {
        return;
    }
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get_mut("$ref")
                && !r.starts_with("http://")
                && !r.starts_with("https://")
            {
                *r = if r.starts_with('#') {
                    format!("{file}{r}")
                } else {
                    let dir = Path::new(file).parent().unwrap_or(Path::new(""));
                    let (f, frag) = r.split_once('#').unwrap_or((r.as_str(), ""));
                    let joined = dir.join(f).to_string_lossy().replace('\\', "/");
                    if frag.is_empty() {
                        joined
                    } else {
                        format!("{joined}#{frag}")
                    }
                };
            }
            for child in m.values_mut() {
                relocate_refs(child, file, depth + 1);
            }
        }
        Value::Array(items) => {
            for child in items {
                relocate_refs(child, file, depth + 1);
            }
        }
        _ => {}
    }
}

/// The status of the response at the 3.0 pointer `ptr` (`.../responses/200`), if it is one.
fn status_of(ptr: &str) -> Option<&str> {
    let (parent, status) = ptr.rsplit_once('/')?;
    parent.ends_with("/responses").then_some(status)
}

/// The media types a response with `schema` is offered in, of the operation's `produces`:
/// a file in the ones that are not JSON (else `application/octet-stream`); a string in all;
/// any other value (an object, a list, a number) in the JSON ones, else the XML ones (which
/// are read as bytes), else `application/json` (a structured value is not an archive or text,
/// whatever the operation also produces).
fn response_media(schema: &Value, produces: &[String]) -> Vec<String> {
    let pick = |keep: &dyn Fn(&str) -> bool| -> Vec<String> {
        produces.iter().filter(|m| keep(m)).cloned().collect()
    };
    let is_xml = |m: &str| {
        let m = m.to_ascii_lowercase();
        m.ends_with("/xml") || m.ends_with("+xml")
    };
    let kind = schema.get("type").and_then(Value::as_str);
    let media = if is_file_schema(schema) {
        let m = pick(&|m| !is_json(m));
        if m.is_empty() {
            vec!["application/octet-stream".to_owned()]
        } else {
            m
        }
    } else if kind == Some("string") {
        produces.to_vec()
    } else {
        let json = pick(&is_json);
        let xml = pick(&is_xml);
        if !json.is_empty() {
            json
        } else if !xml.is_empty() {
            xml
        } else {
            Vec::new()
        }
    };
    if media.is_empty() {
        vec!["application/json".to_owned()]
    } else {
        media
    }
}

/// A parameter of a 2.0 operation or path item.
enum Param {
    /// Query, header or path (as written, or a `$ref` to a top-level one).
    Plain(Value),
    /// `body` or `formData`, resolved, with its pointer in the 2.0 document.
    Body(Value, String),
}
