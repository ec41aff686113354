//! OpenAPI input: load (YAML or JSON -> `openapiv3`) and lower to the IR.

mod bundle;
mod locate;
mod lower;
mod normalize;
mod swagger2;
mod typed;

use std::panic::{AssertUnwindSafe, catch_unwind};

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, escape_pointer_token};
use crate::ir::Api;
use crate::source::SourceFile;

use locate::Part;

pub use bundle::percent_decode;
pub use lower::lower;

pub use swagger2::PointerMap;

/// The extension the loader puts on a server variable that has no default (the model it reads
/// into requires one): lowering reads it as [`ServerVariable::default`](crate::ir::ServerVariable)
/// `None`.
pub(crate) const NO_DEFAULT: &str = "x-apigen-no-default";

/// The server variable `var` (an object of the 3.0 form) as `openapiv3` reads it: its
/// `default` and `enum` values as text (a port is often a number), and a missing `default`
/// replaced by the [`NO_DEFAULT`] mark. Whether it had a default.
fn server_variable_as_text(var: &mut serde_json::Map<String, Value>) -> bool {
    if let Some(Value::Array(values)) = var.get_mut("enum") {
        for v in values.iter_mut() {
            *v = Value::String(display_scalar(v));
        }
    }
    match var.get("default") {
        None | Some(Value::Null) => {
            var.insert("default".into(), Value::String(String::new()));
            var.insert(NO_DEFAULT.into(), Value::Bool(true));
            false
        }
        Some(default) => {
            let text = Value::String(display_scalar(default));
            var.insert("default".into(), text);
            true
        }
    }
}

/// A loaded document: the typed model, and for a Swagger 2.0 document the map from the
/// pointers of its 3.0 form back to the 2.0 text.
pub struct Loaded {
    /// The document (3.0 shape).
    pub doc: OpenAPI,
    /// Set for a Swagger 2.0 document.
    pub pointers: Option<PointerMap>,
}

/// Parse an OpenAPI document (3.0.x; 3.1 through a normalising pass; Swagger 2.0 through a
/// conversion to 3.0 whose diagnostics point into the 2.0 text).
///
/// Files named by relative `$ref`s are read with the same size limit as the root (`limit`,
/// each).
pub fn load(
    source: &SourceFile,
    limit: u64,
    diags: &mut Diagnostics,
) -> Result<Loaded, Box<Diagnostic>> {
    let (mut value, warnings) = source.parse_value_with_warnings()?;
    for w in warnings {
        diags.push(w);
    }
    let file = &source.path;
    if !value.is_object() {
        return Err(Box::new(
            Diagnostic::error(Location::pointer(file, ""), "the document is not an object")
                .expected("an OpenAPI 3 document (an object with `openapi`, `info` and `paths`)"),
        ));
    }
    if swagger2::is_swagger2(&value) {
        let pointers = swagger2::convert(&mut value, file, limit, diags);
        // The 3.0 form of an invalid 2.0 document would only repeat its errors.
        if let Some(error) = diags.take_last_error() {
            return Err(Box::new(error));
        }
        let mark = diags.as_slice().len();
        let result = load_3(value, source, limit, diags, Some(&pointers));
        diags.map_pointers_from(mark, file, |p| pointers.original(p));
        return match result {
            Ok(doc) => Ok(Loaded {
                doc,
                pointers: Some(pointers),
            }),
            Err(mut d) => {
                if d.location.file == *file
                    && let Some(p) = &d.location.pointer
                {
                    d.location.pointer = Some(pointers.original(p));
                }
                Err(d)
            }
        };
    }
    let doc = load_3(value, source, limit, diags, None)?;
    Ok(Loaded {
        doc,
        pointers: None,
    })
}

/// The OpenAPI 3.0 form of a Swagger 2.0 document (`value`, read from `file`; files it refers
/// to are read with the size limit `limit`) as the generator reads it, for tools that plan from
/// the description (`cargo xtask conformance`); any other document is returned as it is.
pub fn as_openapi3(mut value: Value, file: &std::path::Path, limit: u64) -> Value {
    if swagger2::is_swagger2(&value) {
        swagger2::convert(&mut value, file, limit, &mut Diagnostics::default());
    }
    value
}

/// Load the 3.x document `value` (the converted form of a 2.0 document when `swagger2` is set).
fn load_3(
    mut value: Value,
    source: &SourceFile,
    limit: u64,
    diags: &mut Diagnostics,
    swagger2: Option<&PointerMap>,
) -> Result<OpenAPI, Box<Diagnostic>> {
    let file = &source.path;
    let Value::Object(root) = &value else {
        return Err(Box::new(Diagnostic::error(
            Location::pointer(file, ""),
            "the document is not an object",
        )));
    };
    let version = match root.get("openapi") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => display_scalar(other),
        None => {
            return Err(Box::new(
                Diagnostic::error(Location::pointer(file, ""), "no `openapi` version field")
                    .expected("`openapi: 3.0.x` or `openapi: 3.1.x` at the top level"),
            ));
        }
    };
    if !version.starts_with("3.") {
        return Err(Box::new(
            Diagnostic::error(
                Location::pointer(file, "/openapi"),
                format!("unsupported OpenAPI version `{version}`"),
            )
            .expected("3.0.x or 3.1.x"),
        ));
    }
    bundle::bundle(&mut value, file, limit, diags);
    normalize::normalize(&mut value, file, diags);

    // `openapiv3` has a few internal `expect`s on odd input; a panic there must become an error.
    // The value is consumed (its strings move into the model instead of being copied), and read
    // without path tracking (`serde_path_to_error` costs about a fifth more on big specs); on
    // an error it is rebuilt from the source to find the offending element.
    let result = catch_unwind(AssertUnwindSafe(move || typed::read(value)));
    let rebuilt = || -> Value {
        let mut value = source.parse_value().unwrap_or(Value::Null);
        let mut ignored = Diagnostics::default();
        if swagger2.is_some() {
            swagger2::convert(&mut value, file, limit, &mut ignored);
        }
        bundle::bundle(&mut value, file, limit, &mut ignored);
        normalize::normalize(&mut value, file, &mut ignored);
        value
    };
    match result {
        Ok(Ok(doc)) => Ok(doc),
        Ok(Err(e)) => {
            let value = rebuilt();
            // The typed model loses the path inside untagged and flattened parts; look again
            // part by part for the innermost element that does not read.
            let (pointer, inner) =
                catch_unwind(AssertUnwindSafe(|| locate::locate(&value, Part::Root, "")))
                    .ok()
                    .flatten()
                    .or_else(|| {
                        // Read again, tracking the path (slower, so only now).
                        let tracked = catch_unwind(AssertUnwindSafe(|| {
                            serde_path_to_error::deserialize::<_, OpenAPI>(value.clone())
                        }));
                        match tracked {
                            Ok(Err(e)) => {
                                Some((path_to_pointer(e.path()), e.into_inner().to_string()))
                            }
                            _ => None,
                        }
                    })
                    .unwrap_or_else(|| (String::new(), e.to_string()));
            Err(Box::new(Diagnostic::error(
                Location::pointer(file, pointer),
                format!("this is not valid OpenAPI: {inner}"),
            )))
        }
        Err(_) => Err(Box::new(Diagnostic::error(
            Location::pointer(file, ""),
            "the OpenAPI document could not be read (the parser failed on it)",
        ))),
    }
}

fn display_scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub(crate) fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            serde_path_to_error::Segment::Seq { index } => {
                out.push('/');
                out.push_str(&index.to_string());
            }
            serde_path_to_error::Segment::Map { key } => {
                out.push('/');
                out.push_str(&escape_pointer_token(key));
            }
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
        }
    }
    out
}

/// Load and lower in one step.
pub fn read(source: &SourceFile, config: &Config, diags: &mut Diagnostics) -> Option<Api> {
    read_timed(
        source,
        config,
        diags,
        &mut crate::Timings::default(),
        &crate::progress::Progress::new(),
    )
}

/// [`read`], recording the time of loading and lowering in `timings`.
pub fn read_timed(
    source: &SourceFile,
    config: &Config,
    diags: &mut Diagnostics,
    timings: &mut crate::Timings,
    progress: &crate::progress::Progress,
) -> Option<Api> {
    crate::parse_then_lower(
        diags,
        timings,
        progress,
        |diags| load(source, config.max_input_bytes, diags),
        |loaded, diags| {
            let mark = diags.as_slice().len();
            let pointers = loaded.pointers.as_ref();
            let api = lower(&loaded.doc, source, config, diags, pointers);
            if let Some(map) = pointers {
                diags.map_pointers_from(mark, &source.path, |p| map.original(p));
            }
            Some(api)
        },
    )
}
