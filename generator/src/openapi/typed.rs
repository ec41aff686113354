//! Reading the JSON value of a whole document into the typed `openapiv3` model on two threads.
//!
//! `openapiv3`'s structs flatten their extensions, so serde buffers each object before reading
//! it: reading is several times slower than parsing the JSON. The two big maps of a document
//! are its path items (18 of the 21 MB of Microsoft Graph) and its component schemas (GitHub's
//! biggest part), so the first half of each is read on a second thread while this one reads
//! the second halves and the rest of the document; the halves are put back in their order. The
//! result is the same model as reading the document in one go.

use indexmap::IndexMap;
use openapiv3::{OpenAPI, PathItem, ReferenceOr, Schema};
use serde_json::{Map, Value};

/// Entries (path items and schemas) worth a second thread: below this, starting it costs more
/// than it saves.
const PARALLEL_ENTRIES: usize = 256;

type PathItems = IndexMap<String, ReferenceOr<PathItem>>;
type Schemas = IndexMap<String, ReferenceOr<Schema>>;

/// The first and second halves of a map taken out of the document.
type Halves = (Map<String, Value>, Map<String, Value>);

/// Read `value` (an OpenAPI document after bundling and normalising) into the typed model.
pub fn read(mut value: Value) -> Result<OpenAPI, serde_json::Error> {
    let count = |v: &Value, path: &[&str]| {
        path.iter()
            .try_fold(v, |v, k| v.get(k))
            .and_then(Value::as_object)
            .map_or(0, Map::len)
    };
    if count(&value, &["paths"]) + count(&value, &["components", "schemas"]) < PARALLEL_ENTRIES {
        return serde_json::from_value(value);
    }
    // Path items are the keys that start with `/` (others are extensions, or ignored).
    let (paths_first, paths_second) = take_halves(&mut value, &["paths"], |k| k.starts_with('/'));
    let (schemas_first, schemas_second) =
        take_halves(&mut value, &["components", "schemas"], |_| true);
    let read_paths = |m: Map<String, Value>| serde_json::from_value::<PathItems>(Value::Object(m));
    let read_schemas = |m: Map<String, Value>| serde_json::from_value::<Schemas>(Value::Object(m));
    let read_first = |(paths, schemas): Halves| (read_paths(paths), read_schemas(schemas));
    // Taken by the second thread, or by this one when no thread can be started.
    let first = std::sync::Mutex::new(Some((paths_first, schemas_first)));
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
            .spawn_scoped(s, || read_first(take()));
        let second = (read_paths(paths_second), read_schemas(schemas_second));
        let rest = serde_json::from_value::<OpenAPI>(value);
        let first = match handle {
            // A panic there is raised again here, where the caller catches it as on one thread.
            Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
            Err(_) => read_first(take()),
        };
        (first, second, rest)
    });
    let mut doc = rest?;
    // `rest` had no path items or schemas left; the extensions it read stay.
    let mut paths = first.0?;
    paths.extend(second.0?);
    doc.paths.paths = paths;
    let mut schemas = first.1?;
    schemas.extend(second.1?);
    if !schemas.is_empty() {
        // They came from `components`, which `rest` therefore has.
        doc.components.get_or_insert_with(Default::default).schemas = schemas;
    }
    Ok(doc)
}

/// Take the entries whose key passes `keep` out of the object at `path` (when there is one),
/// as a first and a second half in their order.
fn take_halves(value: &mut Value, path: &[&str], keep: impl Fn(&str) -> bool) -> Halves {
    let Some(Value::Object(map)) = path.iter().try_fold(value, |v, k| v.get_mut(*k)) else {
        return Halves::default();
    };
    let mut taken = Vec::new();
    for (k, v) in std::mem::take(map) {
        if keep(&k) {
            taken.push((k, v));
        } else {
            map.insert(k, v);
        }
    }
    let second = taken.split_off(taken.len() / 2);
    (taken.into_iter().collect(), second.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A document with `n` paths of varied shapes, path-level extensions, and components.
    fn document(n: usize) -> Value {
        let mut schemas = Map::new();
        schemas.insert(
            "Thing".into(),
            json!({"type": "object", "properties": {"a": {"type": "string"}}}),
        );
        for i in 0..n / 2 {
            schemas.insert(format!("S{i}"), json!({"allOf": [{"$ref": "#/components/schemas/Thing"}], "description": format!("schema {i}")}));
        }
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
            "components": {"schemas": Value::Object(schemas), "x-components": true}
        })
    }

    #[test]
    fn reading_in_halves_gives_the_same_model() {
        for n in [
            0,
            3,
            PARALLEL_ENTRIES - 1,
            PARALLEL_ENTRIES,
            PARALLEL_ENTRIES * 2 + 1,
        ] {
            let doc = document(n);
            let whole: OpenAPI = serde_json::from_value(doc.clone()).unwrap();
            let halves = read(doc).unwrap();
            assert_eq!(halves, whole, "{n} paths");
            assert_eq!(halves.paths.paths.len(), n);
            assert_eq!(halves.components.as_ref().unwrap().schemas.len(), n / 2 + 1);
            assert!(halves.paths.extensions.contains_key("x-paths-extension"));
        }
    }

    #[test]
    fn an_error_in_either_half_is_an_error() {
        for bad in [0, PARALLEL_ENTRIES * 2 - 1] {
            let mut doc = document(PARALLEL_ENTRIES * 2);
            let key = format!("/things{bad}/{{id}}");
            doc["paths"][&key] = json!({"get": {"responses": "not an object"}});
            assert!(read(doc).is_err(), "a bad path item at {bad}");
        }
        let mut doc = document(PARALLEL_ENTRIES * 2);
        doc["components"]["schemas"]["S0"] = json!({"type": 7});
        assert!(read(doc).is_err(), "a bad schema");
        let mut doc = document(PARALLEL_ENTRIES * 2);
        doc["info"] = json!("not an object");
        assert!(read(doc).is_err(), "a bad root");
    }
}
