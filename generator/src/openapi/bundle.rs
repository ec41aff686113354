//! Bundling: before the document is read as OpenAPI 3.0, every `$ref` the typed model cannot
//! follow is made local.
//!
//! - A schema reference that is not `#/components/schemas/<name>` (another file, a `$defs` entry,
//!   a pointer into an inline schema) is hoisted: the target becomes a component schema with a
//!   unique name and the reference points at it. One target is hoisted once, so recursive and
//!   mutually recursive schemas stay references.
//! - Any other reference (parameter, response, request body, header, path item) into another
//!   file, or to a path item, is replaced by a copy of its target.
//! - Relative file references are resolved against the referring file's directory and read
//!   from disk; a remote (`http:`/`https:`) reference is an error, never fetched.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, Diagnostics, Location, escape_pointer_token, pointer_tokens};
use crate::source::SourceFile;

/// What a JSON position holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Schema,
    Parameter,
    Response,
    RequestBody,
    Header,
    PathItem,
    Operation,
    MediaType,
    Other,
}

/// A loaded document (the root or another file).
struct Doc {
    path: PathBuf,
    value: Value,
}

struct Bundler<'a> {
    diags: &'a mut Diagnostics,
    /// Other documents by canonical path.
    docs: Vec<Doc>,
    by_path: HashMap<PathBuf, usize>,
    /// (document index, pointer) -> component schema name.
    hoisted: HashMap<(usize, String), String>,
    /// Component schemas to add: name -> (value, document index it came from).
    new_schemas: BTreeMap<String, (Value, usize)>,
    /// Names in use under `components/schemas`.
    taken: std::collections::HashSet<String>,
    /// Number of inlined copies (a guard against reference loops through inlining).
    inlined: usize,
    /// Size limit of each referenced file.
    limit: u64,
}

const MAX_INLINES: usize = 100_000;
const MAX_DEPTH: usize = 200;

/// Bundle `root` (read from `root_path`) in place.
pub fn bundle(root: &mut Value, root_path: &Path, limit: u64, diags: &mut Diagnostics) {
    if !needs_bundling(root) {
        return;
    }
    let taken = root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut b = Bundler {
        diags,
        docs: vec![Doc {
            path: root_path.to_path_buf(),
            value: Value::Null,
        }],
        by_path: HashMap::new(),
        hoisted: HashMap::new(),
        new_schemas: BTreeMap::new(),
        taken,
        inlined: 0,
        limit,
    };
    if let Ok(canonical) = std::fs::canonicalize(root_path) {
        b.by_path.insert(canonical, 0);
    }
    // The root is walked in place; its own value is looked up through `root_snapshot`.
    let snapshot = root.clone();
    b.docs[0].value = snapshot;
    b.walk(root, Kind::Other, 0, "", 0, true);
    // Hoisted schemas may hoist more; walk them until none are left.
    let mut done: std::collections::HashSet<String> = std::collections::HashSet::new();
    loop {
        let pending: Vec<String> = b
            .new_schemas
            .keys()
            .filter(|k| !done.contains(*k))
            .cloned()
            .collect();
        if pending.is_empty() {
            break;
        }
        for name in pending {
            done.insert(name.clone());
            let (mut value, doc) = b.new_schemas.remove(&name).expect("pending schema exists");
            let ptr = format!("/components/schemas/{}", escape_pointer_token(&name));
            b.walk(&mut value, Kind::Schema, doc, &ptr, 0, false);
            b.new_schemas.insert(name, (value, doc));
        }
    }
    if b.new_schemas.is_empty() {
        return;
    }
    let Value::Object(root_obj) = root else {
        return;
    };
    let components = root_obj
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    if !components.is_object() {
        *components = Value::Object(Map::new());
    }
    let schemas = components
        .as_object_mut()
        .expect("made an object above")
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()));
    if !schemas.is_object() {
        *schemas = Value::Object(Map::new());
    }
    let schemas = schemas.as_object_mut().expect("made an object above");
    for (name, (value, _)) in std::mem::take(&mut b.new_schemas) {
        schemas.insert(name, value);
    }
}

/// Percent-decode a URI reference part (`$ref`s into `#/paths/...` are often written with
/// `%7B`...); text that is not valid percent-encoded UTF-8 is kept as it is.
pub fn percent_decode(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('%') {
        return std::borrow::Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    match String::from_utf8(out) {
        Ok(decoded) => std::borrow::Cow::Owned(decoded),
        Err(_) => std::borrow::Cow::Borrowed(s),
    }
}

/// Whether any `$ref` needs work (most documents need none: skip the walk).
fn needs_bundling(v: &Value) -> bool {
    fn go(v: &Value, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref")
                    && (!r.starts_with("#/components/")
                        || r.contains('%')
                        || r.starts_with("#/components/pathItems/")
                        || pointer_tokens(r).len() != 3)
                {
                    return true;
                }
                m.values().any(|c| go(c, depth + 1))
            }
            Value::Array(a) => a.iter().any(|c| go(c, depth + 1)),
            _ => false,
        }
    }
    let paths_ref = v
        .get("paths")
        .and_then(Value::as_object)
        .is_some_and(|p| p.values().any(|item| item.get("$ref").is_some()));
    paths_ref || go(v, 0)
}

impl Bundler<'_> {
    fn file_of(&self, doc: usize) -> PathBuf {
        self.docs[doc].path.clone()
    }

    /// Walk `v` (in document `doc`, at `ptr` of the root when `in_root`), fixing references.
    fn walk(
        &mut self,
        v: &mut Value,
        kind: Kind,
        doc: usize,
        ptr: &str,
        depth: usize,
        in_root: bool,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let Value::Object(obj) = v else {
            return;
        };
        if let Some(Value::String(r)) = obj.get("$ref").cloned() {
            match self.reference(&r, kind, doc, ptr, depth) {
                // A schema reference is rewritten in place, keeping siblings such as
                // `description`.
                Some(Value::Object(m))
                    if kind == Kind::Schema && m.len() == 1 && m.contains_key("$ref") =>
                {
                    obj.insert("$ref".into(), m["$ref"].clone());
                }
                Some(replacement) => *v = replacement,
                None => {}
            }
            return;
        }
        let keys: Vec<String> = obj.keys().cloned().collect();
        for key in keys {
            let child_kind = child_kind(kind, &key, ptr.is_empty() && in_root);
            let child_ptr = format!("{ptr}/{}", escape_pointer_token(&key));
            let Some(child) = obj.get_mut(&key) else {
                continue;
            };
            match child_kind {
                // Maps of named things: each value has the kind.
                Some(ChildKind::MapOf(k)) => {
                    if let Value::Object(m) = child {
                        for (name, item) in m.iter_mut() {
                            let p = format!("{child_ptr}/{}", escape_pointer_token(name));
                            self.walk(item, k, doc, &p, depth + 1, in_root);
                        }
                    }
                }
                Some(ChildKind::ListOf(k)) => {
                    if let Value::Array(items) = child {
                        for (i, item) in items.iter_mut().enumerate() {
                            self.walk(
                                item,
                                k,
                                doc,
                                &format!("{child_ptr}/{i}"),
                                depth + 1,
                                in_root,
                            );
                        }
                    }
                }
                Some(ChildKind::One(k)) => self.walk(child, k, doc, &child_ptr, depth + 1, in_root),
                None => {}
            }
        }
    }

    /// Handle one `$ref`; returns a value to put in its place (an inlined copy), if any.
    fn reference(
        &mut self,
        r: &str,
        kind: Kind,
        doc: usize,
        ptr: &str,
        depth: usize,
    ) -> Option<Value> {
        let here = self.file_of(doc);
        let location = || Location::pointer(&here, format!("{ptr}/$ref"));
        if r.starts_with("http://") || r.starts_with("https://") {
            self.diags.push(
                Diagnostic::error(location(), format!("remote reference `{r}` is not fetched"))
                    .expected("a reference inside this document or to a local file")
                    .help("download the referenced document and refer to it by a relative path"),
            );
            return Some(Value::Object(Map::new()));
        }
        // A `$ref` is a URI reference: its path and fragment may be percent-encoded
        // (`#/paths/~1users~1%7Bid%7D/...`, `#/components/schemas/My%20Type`).
        let (file_part, pointer) = match r.split_once('#') {
            Some((f, p)) => (percent_decode(f), percent_decode(p).into_owned()),
            None => (percent_decode(r), String::new()),
        };
        let file_part = &*file_part;
        // Local references of the root that the typed model handles are left alone.
        let target_doc = if file_part.is_empty() {
            doc
        } else {
            match self.load(&here, file_part, &location()) {
                Some(d) => d,
                None => return Some(Value::Object(Map::new())),
            }
        };
        let is_simple_component = target_doc == 0
            && doc == 0
            && pointer_tokens(&pointer).len() == 3
            && pointer.starts_with("/components/")
            && !pointer.starts_with("/components/pathItems/");
        if is_simple_component && kind != Kind::PathItem {
            if r.contains('%') {
                // The typed model looks components up by their decoded name.
                let mut m = Map::new();
                m.insert("$ref".into(), Value::String(format!("#{pointer}")));
                return Some(Value::Object(m));
            }
            return None;
        }
        let target = match self.docs[target_doc].value.pointer(&pointer) {
            Some(t) => t.clone(),
            None => {
                let file = self.file_of(target_doc);
                self.diags.push(
                    Diagnostic::error(location(), format!("`$ref: {r}` does not resolve"))
                        .expected(format!(
                            "a JSON pointer to an element of {}",
                            file.display()
                        )),
                );
                return Some(Value::Object(Map::new()));
            }
        };
        if kind == Kind::Schema {
            let name = self.hoist(target_doc, &pointer, target);
            let mut m = Map::new();
            m.insert(
                "$ref".into(),
                Value::String(format!(
                    "#/components/schemas/{}",
                    escape_pointer_token(&name)
                )),
            );
            return Some(Value::Object(m));
        }
        // Inline a copy, fixing its own references relative to where it came from.
        self.inlined += 1;
        if self.inlined > MAX_INLINES || depth + 2 > MAX_DEPTH {
            self.diags.push(
                Diagnostic::error(
                    location(),
                    format!("`$ref: {r}` leads into a reference loop"),
                )
                .expected("references that end at a definition"),
            );
            return Some(Value::Object(Map::new()));
        }
        let mut copy = target;
        self.walk(&mut copy, kind, target_doc, &pointer, depth + 1, false);
        Some(copy)
    }

    /// Make the schema at (doc, pointer) a component; returns its name.
    fn hoist(&mut self, doc: usize, pointer: &str, value: Value) -> String {
        if let Some(name) = self.hoisted.get(&(doc, pointer.to_owned())) {
            return name.clone();
        }
        let tokens = pointer_tokens(pointer);
        let base = match tokens.last() {
            Some(t) if !t.is_empty() && t.parse::<usize>().is_err() => t.clone(),
            _ => self.docs[doc]
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Schema".into()),
        };
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        self.hoisted.insert((doc, pointer.to_owned()), name.clone());
        self.new_schemas.insert(name.clone(), (value, doc));
        name
    }

    /// Load a relative file; returns its document index.
    fn load(&mut self, from: &Path, relative: &str, location: &Location) -> Option<usize> {
        let dir = from.parent().unwrap_or(Path::new("."));
        if Path::new(relative).has_root() {
            // `dir.join("/etc/x")` would be `/etc/x`: a spec must not read any file it names.
            self.diags.push(
                Diagnostic::error(
                    location.clone(),
                    format!("`$ref` names the absolute path `{relative}`"),
                )
                .expected("a path relative to the referring file"),
            );
            return None;
        }
        let path = dir.join(relative);
        let canonical = match std::fs::canonicalize(&path) {
            Ok(c) => c,
            Err(e) => {
                self.diags.push(
                    Diagnostic::error(
                        location.clone(),
                        format!("referenced file `{}` cannot be read: {e}", path.display()),
                    )
                    .expected("a path relative to the referring file"),
                );
                return None;
            }
        };
        if let Some(&i) = self.by_path.get(&canonical) {
            return Some(i);
        }
        let source = match SourceFile::read(&path, self.limit) {
            Ok(s) => s,
            Err(d) => {
                self.diags.push(*d);
                return None;
            }
        };
        let value = match source.parse_value() {
            Ok(v) => v,
            Err(d) => {
                self.diags.push(*d);
                return None;
            }
        };
        let i = self.docs.len();
        self.docs.push(Doc { path, value });
        self.by_path.insert(canonical, i);
        Some(i)
    }
}

enum ChildKind {
    One(Kind),
    MapOf(Kind),
    ListOf(Kind),
}

/// The kind of what sits under `key` of an element of `kind`.
fn child_kind(kind: Kind, key: &str, at_root: bool) -> Option<ChildKind> {
    use ChildKind::*;
    if at_root {
        return match key {
            "paths" => Some(MapOf(Kind::PathItem)),
            "components" => Some(One(Kind::Other)),
            "webhooks" => Some(MapOf(Kind::PathItem)),
            "$defs" => Some(MapOf(Kind::Schema)),
            _ => None,
        };
    }
    match kind {
        Kind::Other => match key {
            "schemas" => Some(MapOf(Kind::Schema)),
            "parameters" => Some(MapOf(Kind::Parameter)),
            "responses" => Some(MapOf(Kind::Response)),
            "requestBodies" => Some(MapOf(Kind::RequestBody)),
            "headers" => Some(MapOf(Kind::Header)),
            "pathItems" => Some(MapOf(Kind::PathItem)),
            _ => None,
        },
        Kind::PathItem => match key {
            "parameters" => Some(ListOf(Kind::Parameter)),
            "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => {
                Some(One(Kind::Operation))
            }
            _ => None,
        },
        Kind::Operation => match key {
            "parameters" => Some(ListOf(Kind::Parameter)),
            "requestBody" => Some(One(Kind::RequestBody)),
            "responses" => Some(MapOf(Kind::Response)),
            _ => None,
        },
        Kind::Parameter | Kind::Header => match key {
            "schema" => Some(One(Kind::Schema)),
            "content" => Some(MapOf(Kind::MediaType)),
            _ => None,
        },
        Kind::RequestBody | Kind::Response => match key {
            "content" => Some(MapOf(Kind::MediaType)),
            "headers" => Some(MapOf(Kind::Header)),
            _ => None,
        },
        Kind::MediaType => match key {
            "schema" => Some(One(Kind::Schema)),
            _ => None,
        },
        Kind::Schema => match key {
            "properties" | "$defs" | "definitions" | "patternProperties" => {
                Some(MapOf(Kind::Schema))
            }
            "items" | "additionalProperties" | "not" => Some(One(Kind::Schema)),
            "allOf" | "oneOf" | "anyOf" | "prefixItems" => Some(ListOf(Kind::Schema)),
            _ => None,
        },
    }
}
