//! Helpers for polymorphic JSON keyed by a discriminator such as
//! `@odata.type`.
//!
//! Generated code represents a polymorphic type as an enum with one variant
//! per derived type and implements `Serialize`/`Deserialize` with these
//! helpers:
//!
//! ```
//! use apigen_runtime::poly;
//! use serde::{Deserialize, Deserializer, Serialize, Serializer};
//!
//! #[derive(Serialize, Deserialize, Debug, PartialEq)]
//! struct User { id: String }
//! #[derive(Serialize, Deserialize, Debug, PartialEq)]
//! struct Group { id: String }
//!
//! #[derive(Debug, PartialEq)]
//! enum DirectoryObject {
//!     User(User),
//!     Group(Group),
//!     Other(serde_json::Value),
//! }
//!
//! impl<'de> Deserialize<'de> for DirectoryObject {
//!     fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
//!         poly::deserialize_tagged(d, "@odata.type", |tag, value| {
//!             Ok(match tag.map(poly::normalize_odata_type) {
//!                 Some("microsoft.graph.user") => Self::User(serde_json::from_value(value)?),
//!                 Some("microsoft.graph.group") => Self::Group(serde_json::from_value(value)?),
//!                 _ => Self::Other(value),
//!             })
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
//! let json = r##"{"@odata.type":"#microsoft.graph.user","id":"1"}"##;
//! let obj: DirectoryObject = serde_json::from_str(json).unwrap();
//! assert_eq!(obj, DirectoryObject::User(User { id: "1".into() }));
//! assert_eq!(serde_json::to_string(&obj).unwrap(), json);
//! ```

use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// Deserializes a value whose concrete type is named by the string property
/// `tag_field`.
///
/// Reads the value as a [`serde_json::Value`], extracts the string at
/// `tag_field` (`None` when the value is not an object, or the property is
/// missing or not a string) and calls `dispatch` with it and the whole value
/// (the tag included). A `dispatch` error is reported through
/// `D::Error::custom`.
pub fn deserialize_tagged<'de, D, T>(
    deserializer: D,
    tag_field: &str,
    dispatch: impl FnOnce(Option<&str>, Value) -> Result<T, serde_json::Error>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let value = Value::deserialize(deserializer)?;
    let tag = value
        .get(tag_field)
        .and_then(Value::as_str)
        .map(str::to_owned);
    dispatch(tag.as_deref(), value).map_err(D::Error::custom)
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
    let json = serde_json::to_value(value).map_err(S::Error::custom)?;
    let Value::Object(object) = json else {
        return Err(S::Error::custom(format!(
            "a value tagged with `{tag_field}` must serialize to a JSON object"
        )));
    };
    if object.contains_key(tag_field) {
        return object.serialize(serializer);
    }
    // The tag goes first, whichever map order serde_json was built with.
    let mut tagged = serde_json::Map::with_capacity(object.len() + 1);
    tagged.insert(tag_field.to_owned(), Value::String(tag.to_owned()));
    tagged.extend(object);
    tagged.serialize(serializer)
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
