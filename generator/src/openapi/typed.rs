//! Reading the JSON value of a whole document into the typed `openapiv3` model on two threads.
//!
//! `openapiv3`'s structs flatten their extensions, so serde buffers each object before reading
//! it: reading is several times slower than parsing the JSON. On the whole Microsoft Graph the
//! path items are 18 of its 21 MB, so the first half of them is read on a second thread while
//! this one reads the second half and the rest of the document; the halves are put back in their
//! order. The result is the same model as reading the document in one go.

use indexmap::IndexMap;
use openapiv3::{OpenAPI, PathItem, ReferenceOr};
use serde_json::{Map, Value};

/// Path items worth a second thread: below this, starting it costs more than it saves.
const PARALLEL_PATHS: usize = 256;

type PathItems = IndexMap<String, ReferenceOr<PathItem>>;

/// Read `value` (an OpenAPI document after bundling and normalising) into the typed model.
pub fn read(mut value: Value) -> Result<OpenAPI, serde_json::Error> {
    let Some(Value::Object(paths)) = value.get_mut("paths") else {
        return serde_json::from_value(value);
    };
    if paths.len() < PARALLEL_PATHS {
        return serde_json::from_value(value);
    }
    // Path items are the keys that start with `/` (others are extensions, or ignored).
    let mut items = Vec::new();
    for (k, v) in std::mem::take(paths) {
        if k.starts_with('/') {
            items.push((k, v));
        } else {
            paths.insert(k, v);
        }
    }
    let second: Map<String, Value> = items.split_off(items.len() / 2).into_iter().collect();
    let first: Map<String, Value> = items.into_iter().collect();
    let read_items = |m: Map<String, Value>| serde_json::from_value::<PathItems>(Value::Object(m));
    // Taken by the second thread, or by this one when no thread can be started.
    let first = std::sync::Mutex::new(Some(first));
    let take = || {
        first
            .lock()
            .ok()
            .and_then(|mut m| m.take())
            .unwrap_or_default()
    };
    let (first, second, rest) = std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .name("apigen-read".into())
            .stack_size(crate::STACK_SIZE)
            .spawn_scoped(s, || read_items(take()));
        let second = read_items(second);
        let rest = serde_json::from_value::<OpenAPI>(value);
        let first = match handle {
            // A panic there is raised again here, where the caller catches it as on one thread.
            Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
            Err(_) => read_items(take()),
        };
        (first, second, rest)
    });
    let mut doc = rest?;
    let mut all = first?;
    all.extend(second?);
    // `rest` had no path items left; the extensions it read stay.
    doc.paths.paths = all;
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A document with `n` paths of varied shapes, path-level extensions, and components.
    fn document(n: usize) -> Value {
        let mut paths = Map::new();
        paths.insert("x-paths-extension".into(), json!({"kept": true}));
        for i in 0..n {
            let item = match i % 3 {
                0 => {
                    json!({"get": {"operationId": format!("get{i}"), "responses": {"200": {"description": "ok"}}}})
                }
                1 => json!({"$ref": "#/components/pathItems/shared"}),
                _ => json!({
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                             "responses": {"201": {"description": "made"}}, "x-op": i}
                }),
            };
            paths.insert(format!("/things{i}/{{id}}"), item);
        }
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "x-root": 1,
            "paths": Value::Object(paths),
            "components": {"schemas": {"Thing": {"type": "object", "properties": {"a": {"type": "string"}}}}}
        })
    }

    #[test]
    fn reading_in_halves_gives_the_same_model() {
        for n in [
            0,
            3,
            PARALLEL_PATHS - 1,
            PARALLEL_PATHS,
            PARALLEL_PATHS * 2 + 1,
        ] {
            let doc = document(n);
            let whole: OpenAPI = serde_json::from_value(doc.clone()).unwrap();
            let halves = read(doc).unwrap();
            assert_eq!(halves, whole, "{n} paths");
            assert_eq!(halves.paths.paths.len(), n);
            assert!(halves.paths.extensions.contains_key("x-paths-extension"));
        }
    }

    #[test]
    fn an_error_in_either_half_is_an_error() {
        for bad in [0, PARALLEL_PATHS * 2 - 1] {
            let mut doc = document(PARALLEL_PATHS * 2);
            let key = format!("/things{bad}/{{id}}");
            doc["paths"][&key] = json!({"get": {"responses": "not an object"}});
            assert!(read(doc).is_err(), "a bad path item at {bad}");
        }
        let mut doc = document(PARALLEL_PATHS * 2);
        doc["info"] = json!("not an object");
        assert!(read(doc).is_err(), "a bad root");
    }
}
