//! Finding where an OpenAPI document fails to read: the typed model is tried part by part
//! (path items, operations, parameters, bodies, responses, schemas), and the innermost part
//! that fails is reported with its JSON pointer and message. Only runs after a failure.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostics::escape_pointer_token;

/// A kind of part of the document.
#[derive(Clone, Copy)]
pub enum Part {
    Root,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    Schema,
}

const MAX_DEPTH: usize = 64;

fn try_read<T: DeserializeOwned>(value: &Value) -> Option<(String, String)> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => None,
        Err(e) => Some((super::path_to_pointer(e.path()), e.into_inner().to_string())),
    }
}

/// The pointer (under `ptr`) and message of the innermost failing part of `value`, if any.
pub fn locate(value: &Value, part: Part, ptr: &str) -> Option<(String, String)> {
    locate_at(value, part, ptr, 0)
}

fn locate_at(value: &Value, part: Part, ptr: &str, depth: usize) -> Option<(String, String)> {
    if depth > MAX_DEPTH {
        return None;
    }
    // References are read as references.
    if value.get("$ref").is_some_and(Value::is_string) && !matches!(part, Part::Root) {
        return None;
    }
    let own = match part {
        Part::Root => try_read::<openapiv3::OpenAPI>(value),
        Part::PathItem => try_read::<openapiv3::PathItem>(value),
        Part::Operation => try_read::<openapiv3::Operation>(value),
        Part::Parameter => try_read::<openapiv3::Parameter>(value),
        Part::RequestBody => try_read::<openapiv3::RequestBody>(value),
        Part::Response => try_read::<openapiv3::Response>(value),
        Part::Schema => try_read::<openapiv3::Schema>(value),
    }?;
    let child = |key: &str| format!("{ptr}/{}", escape_pointer_token(key));
    let mut children: Vec<(&Value, Part, String)> = Vec::new();
    match part {
        Part::Root => {
            map_of(
                &mut children,
                value.get("paths"),
                child("paths"),
                Part::PathItem,
            );
            if let Some(c) = value.get("components") {
                let base = child("components");
                map_of(
                    &mut children,
                    c.get("schemas"),
                    format!("{base}/schemas"),
                    Part::Schema,
                );
                map_of(
                    &mut children,
                    c.get("parameters"),
                    format!("{base}/parameters"),
                    Part::Parameter,
                );
                map_of(
                    &mut children,
                    c.get("requestBodies"),
                    format!("{base}/requestBodies"),
                    Part::RequestBody,
                );
                map_of(
                    &mut children,
                    c.get("responses"),
                    format!("{base}/responses"),
                    Part::Response,
                );
            }
        }
        Part::PathItem | Part::Operation => {
            if let Some(Value::Array(ps)) = value.get("parameters") {
                for (i, p) in ps.iter().enumerate() {
                    children.push((p, Part::Parameter, format!("{}/{i}", child("parameters"))));
                }
            }
            if matches!(part, Part::PathItem) {
                for m in [
                    "get", "put", "post", "delete", "options", "head", "patch", "trace",
                ] {
                    if let Some(op) = value.get(m) {
                        children.push((op, Part::Operation, child(m)));
                    }
                }
            } else {
                if let Some(b) = value.get("requestBody") {
                    children.push((b, Part::RequestBody, child("requestBody")));
                }
                map_of(
                    &mut children,
                    value.get("responses"),
                    child("responses"),
                    Part::Response,
                );
            }
        }
        Part::Parameter => {
            if let Some(s) = value.get("schema") {
                children.push((s, Part::Schema, child("schema")));
            }
        }
        Part::RequestBody | Part::Response => {
            if let Some(Value::Object(content)) = value.get("content") {
                for (media, mt) in content {
                    if let Some(s) = mt.get("schema") {
                        let p = format!(
                            "{}/{}/schema",
                            child("content"),
                            escape_pointer_token(media)
                        );
                        children.push((s, Part::Schema, p));
                    }
                }
            }
        }
        Part::Schema => {
            map_of(
                &mut children,
                value.get("properties"),
                child("properties"),
                Part::Schema,
            );
            for key in ["items", "additionalProperties", "not"] {
                if let Some(s) = value.get(key).filter(|s| s.is_object()) {
                    children.push((s, Part::Schema, child(key)));
                }
            }
            for key in ["allOf", "oneOf", "anyOf"] {
                if let Some(Value::Array(list)) = value.get(key) {
                    for (i, s) in list.iter().enumerate() {
                        children.push((s, Part::Schema, format!("{}/{i}", child(key))));
                    }
                }
            }
        }
    }
    for (v, kind, p) in children {
        if let Some(found) = locate_at(v, kind, &p, depth + 1) {
            return Some(found);
        }
    }
    let (inner_ptr, message) = own;
    Some((format!("{ptr}{inner_ptr}"), message))
}

/// Each value of the object `v` as a child of `kind` under `base`.
fn map_of<'v>(
    children: &mut Vec<(&'v Value, Part, String)>,
    v: Option<&'v Value>,
    base: String,
    kind: Part,
) {
    if let Some(Value::Object(m)) = v {
        for (k, item) in m {
            children.push((item, kind, format!("{base}/{}", escape_pointer_token(k))));
        }
    }
}
