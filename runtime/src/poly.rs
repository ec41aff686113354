//! Helpers for polymorphic JSON keyed by a discriminator such as
//! `@odata.type`.
//!
//! Generated code represents a polymorphic type as an enum with one variant
//! per derived type. Its [`FromJson`](crate::json::FromJson) impl picks the variant by the
//! value's [`tag`]; its `Serialize` impl writes a derived variant with
//! [`serialize_tagged`]:
//!
//! ```
//! use apigen_runtime::json::{self, FromJson, Json, JsonError};
//! use apigen_runtime::poly;
//! use serde::{Serialize, Serializer};
//! use serde_json::Value;
//!
//! #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! struct User { id: String }
//! #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! struct Group { id: String }
//! # impl FromJson for User { fn from_json(v: Json<'_>) -> Result<Self, JsonError> { json::via_serde(v) } }
//! # impl FromJson for Group { fn from_json(v: Json<'_>) -> Result<Self, JsonError> { json::via_serde(v) } }
//!
//! #[derive(Debug, PartialEq)]
//! enum DirectoryObject {
//!     User(User),
//!     Group(Group),
//!     Other(Value),
//! }
//!
//! impl FromJson for DirectoryObject {
//!     fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
//!         Ok(match poly::tag(&value, "@odata.type").as_deref().map(poly::normalize_odata_type) {
//!             Some("microsoft.graph.user") => Self::User(FromJson::from_json(value)?),
//!             Some("microsoft.graph.group") => Self::Group(FromJson::from_json(value)?),
//!             _ => Self::Other(value.into()),
//!         })
//!     }
//! }
//!
//! impl Serialize for DirectoryObject {
//!     fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
//!         match self {
//!             Self::User(v) => poly::serialize_tagged(v, "@odata.type", "#microsoft.graph.user", s),
//!             Self::Group(v) => poly::serialize_tagged(v, "@odata.type", "#microsoft.graph.group", s),
//!             Self::Other(v) => v.serialize(s),
//!         }
//!     }
//! }
//!
//! let text = r##"{"@odata.type":"#microsoft.graph.user","id":"1"}"##;
//! let obj: DirectoryObject = json::from_slice(text.as_bytes()).unwrap();
//! assert_eq!(obj, DirectoryObject::User(User { id: "1".into() }));
//! assert_eq!(serde_json::to_string(&obj).unwrap(), text);
//! ```
//!
//! The value is parsed before it is dispatched, so the tag may come anywhere in the object,
//! and an error inside the chosen type carries its full JSON path, as for any other value.

use serde::ser::{Error as _, SerializeMap as _};
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::json::Json;

/// The tag of `value`: the string value of its property `tag_field`; `None` when `value` is
/// not an object, or has no such property, or its tag is not a string.
pub fn tag(value: &Json<'_>, tag_field: &str) -> Option<String> {
    value.get(tag_field)?.as_str().map(str::to_owned)
}

/// Serializes `value` as a JSON object with `tag_field: tag` added as its first
/// property.
///
/// An existing `tag_field` property is kept (so a more derived type wins).
/// Fails when `value` does not serialize to a JSON object.
pub fn serialize_tagged<S, V>(
    value: &V,
    tag_field: &str,
    tag: &str,
    serializer: S,
) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    V: Serialize + ?Sized,
{
    // Through the JSON text, not `serde_json::to_value`: the value's type is then written
    // with the one serializer every other value is written with (each serializer type
    // compiles every model's writing code once more).
    let text = crate::model::wire(value).map_err(S::Error::custom)?;
    let json: Value = serde_json::from_slice(&text).map_err(S::Error::custom)?;
    let Value::Object(object) = json else {
        return Err(S::Error::custom(format!(
            "a value tagged with `{tag_field}` must serialize to a JSON object"
        )));
    };
    if object.contains_key(tag_field) {
        return object.serialize(serializer);
    }
    // The tag goes first, whichever map order serde_json was built with (with its sorted
    // maps, `name` would come before `petType`), so a reader finds it before the rest.
    let mut map = serializer.serialize_map(Some(object.len() + 1))?;
    map.serialize_entry(tag_field, tag)?;
    for (key, value) in &object {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

/// Strips a leading `#` from an `@odata.type` value, so that
/// `#microsoft.graph.user` and `microsoft.graph.user` compare equal.
///
/// ```
/// use apigen_runtime::poly::normalize_odata_type;
///
/// assert_eq!(normalize_odata_type("#microsoft.graph.user"), "microsoft.graph.user");
/// assert_eq!(normalize_odata_type("microsoft.graph.user"), "microsoft.graph.user");
/// ```
pub fn normalize_odata_type(tag: &str) -> &str {
    tag.strip_prefix('#').unwrap_or(tag)
}
