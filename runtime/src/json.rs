//! [`FromJson`]: how generated types are read from JSON.
//!
//! A response body is parsed once into a [`Json`] tree: a `serde_json::Value` whose objects
//! keep their properties in a `Vec` and whose strings borrow from the body, which parses about
//! three times as fast as a `Value` (a map per object, every string copied). Each generated
//! type then takes its part of that tree apart in one plain function, [`FromJson::from_json`].
//!
//! Why not `serde::Deserialize` all the way down: a `Deserialize` impl is generic over the
//! deserializer, so the compiler builds every model's reading code once per deserializer
//! type that reaches it (the input, a buffered polymorphic value, a path-tracking wrapper of
//! each), and a crate with hundreds of models spent most of a debug build on those copies.
//! `from_json` is compiled once per type. The path of a failing value (for example
//! `answers[0].answeredQuestion.isRequired`) is recorded by the containers as the error
//! passes through them, so no tracking deserializer is needed either.
//!
//! Generated types still implement `Deserialize` (through [`deserialize`]), so they can be
//! part of a user's own serde types; their `Serialize` impls are unchanged.
//!
//! A hand-written type used with the runtime's generic requests
//! ([`Client::paged`](crate::Client::paged) for example) implements `FromJson` through its
//! `Deserialize` impl with [`from_json_via_serde!`](crate::from_json_via_serde), or
//! [`via_serde`] in an impl of its own:
//!
//! ```
//! use apigen_runtime::json::{self, FromJson, JsonError};
//!
//! #[derive(serde::Deserialize, Debug, PartialEq)]
//! struct User {
//!     id: String,
//! }
//!
//! impl FromJson for User {
//!     fn from_json(value: json::Json) -> Result<Self, JsonError> {
//!         json::via_serde(value)
//!     }
//! }
//!
//! let users: Vec<User> = json::from_slice(br#"[{"id":"1"}]"#).unwrap();
//! assert_eq!(users, [User { id: "1".into() }]);
//! let err = json::from_slice::<Vec<User>>(br#"[{"id":"1"},{"id":2}]"#).unwrap_err();
//! assert_eq!(err.path(), "[1].id");
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{
    self, Deserialize, DeserializeOwned, DeserializeSeed, Deserializer, Expected, MapAccess,
    SeqAccess, Unexpected, Visitor,
};
use serde_json::{Number, Value};

use crate::Nullable;

/// A type read from a JSON value (see the [module docs](self)).
pub trait FromJson: Sized {
    /// Reads `value`: an error names what was expected and where in `value` it failed.
    fn from_json(value: Json<'_>) -> Result<Self, JsonError>;

    /// The value of a required property that is missing, when that is not an error: `None`
    /// for an `Option` and `null` for a [`Nullable`], as with `#[derive(Deserialize)]`.
    fn absent() -> Option<Self> {
        None
    }
}

/// A value that could not be read: what went wrong, and where (a JSON path such as
/// `answers[0].isRequired`; `.` for the value itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// The path, innermost first (errors gain their outer parts as they return).
    path: Vec<PathPart>,
    message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PathPart {
    Key(String),
    Index(usize),
}

impl JsonError {
    /// An error at the value being read.
    pub fn new(message: impl fmt::Display) -> Self {
        JsonError {
            path: Vec::new(),
            message: message.to_string(),
        }
    }

    /// `invalid type: <what value is>, expected <expected>`, as serde_json words it.
    pub fn invalid_type(value: &Json<'_>, expected: &dyn Expected) -> Self {
        Self::new(<serde_json::Error as de::Error>::invalid_type(
            unexpected(value),
            expected,
        ))
    }

    /// This error, inside the property `key` of an object.
    #[must_use]
    pub fn in_key(mut self, key: &str) -> Self {
        self.path.push(PathPart::Key(key.to_owned()));
        self
    }

    /// This error, inside item `index` of an array.
    #[must_use]
    pub fn in_index(mut self, index: usize) -> Self {
        self.path.push(PathPart::Index(index));
        self
    }

    /// Where the error is: `a.b[0].c`, or `.` for the value itself.
    pub fn path(&self) -> String {
        if self.path.is_empty() {
            return ".".to_owned();
        }
        let mut out = String::new();
        for (i, part) in self.path.iter().rev().enumerate() {
            match part {
                PathPart::Key(key) => {
                    if i > 0 {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                PathPart::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    /// What went wrong (without the path).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path(), self.message)
        }
    }
}

impl std::error::Error for JsonError {}

/// How serde describes `value` in an error (`string "x"`, `integer `1``, `null`...).
fn unexpected<'a>(value: &'a Json<'_>) -> Unexpected<'a> {
    match value {
        Json::Null => Unexpected::Unit,
        Json::Bool(b) => Unexpected::Bool(*b),
        Json::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (_, Some(i), _) => Unexpected::Signed(i),
            (_, _, Some(f)) => Unexpected::Float(f),
            _ => Unexpected::Other("number"),
        },
        Json::String(s) => Unexpected::Str(s),
        Json::Array(_) => Unexpected::Seq,
        Json::Object(_) => Unexpected::Map,
    }
}

/// A parsed JSON value, as [`FromJson`] reads it: a [`serde_json::Value`] whose objects keep
/// their properties in order, in a `Vec` (a property given twice is there twice; readers take
/// the last), and whose strings and property names borrow from the input when they have no
/// escapes. Convert to and from `serde_json::Value` with `From`.
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Json<'a>>),
    /// An object: its properties in the order of the input.
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

impl<'a> Json<'a> {
    /// The value of property `key` of an object (the last one when it is given twice).
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value with every borrowed string copied, so it outlives the input.
    pub fn into_owned(self) -> Json<'static> {
        match self {
            Json::Null => Json::Null,
            Json::Bool(b) => Json::Bool(b),
            Json::Number(n) => Json::Number(n),
            Json::String(s) => Json::String(Cow::Owned(s.into_owned())),
            Json::Array(items) => Json::Array(items.into_iter().map(Json::into_owned).collect()),
            Json::Object(entries) => Json::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned()))
                    .collect(),
            ),
        }
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }
}

impl From<Json<'_>> for Value {
    fn from(json: Json<'_>) -> Self {
        match json {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(b),
            Json::Number(n) => Value::Number(n),
            Json::String(s) => Value::String(s.into_owned()),
            Json::Array(items) => Value::Array(items.into_iter().map(Value::from).collect()),
            Json::Object(entries) => Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.into_owned(), Value::from(v)))
                    .collect(),
            ),
        }
    }
}

impl From<Value> for Json<'static> {
    fn from(value: Value) -> Self {
        match value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(b),
            Value::Number(n) => Json::Number(n),
            Value::String(s) => Json::String(Cow::Owned(s)),
            Value::Array(items) => Json::Array(items.into_iter().map(Json::from).collect()),
            Value::Object(entries) => Json::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (Cow::Owned(k), Json::from(v)))
                    .collect(),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json<'de>, D::Error> {
        Json::deserialize(deserializer)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json<'de>, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json<'de>, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json<'de>, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Json<'de>, E> {
        // As `serde_json::Value` reads it: a number JSON cannot hold is `null`.
        Ok(Number::from_f64(v).map_or(Json::Null, Json::Number))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some(key) = map.next_key_seed(KeySeed)? {
            entries.push((key, map.next_value()?));
        }
        Ok(Json::Object(entries))
    }
}

/// A property name, borrowed from the input when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// Parses `bytes` as JSON and reads a `T` from it.
///
/// # Errors
///
/// The parse error (at `.`, its message giving the line and column), or the error of
/// [`FromJson::from_json`].
pub fn from_slice<T: FromJson>(bytes: &[u8]) -> Result<T, JsonError> {
    let value: Json<'_> = serde_json::from_slice(bytes).map_err(JsonError::new)?;
    T::from_json(value)
}

/// The text of a string value, without copying it: how generated string enums read their
/// value.
///
/// # Errors
///
/// `invalid type: ..., expected a string` when `value` is not a string.
pub fn text<'j>(value: &'j Json<'_>) -> Result<&'j str, JsonError> {
    value
        .as_str()
        .ok_or_else(|| JsonError::invalid_type(value, &"a string"))
}

/// Reads a `T` from `value` with its `Deserialize` impl: how a hand-written type implements
/// [`FromJson`] (see [`from_json_via_serde!`](crate::from_json_via_serde) for the impl).
///
/// # Errors
///
/// The deserializer's error, at the path inside `value` where it failed.
pub fn via_serde<T: DeserializeOwned>(value: Json<'_>) -> Result<T, JsonError> {
    serde_path_to_error::deserialize(Value::from(value)).map_err(|e| {
        let mut parts = Vec::new();
        for segment in e.path().iter() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => {
                    parts.push(PathPart::Index(*index));
                }
                serde_path_to_error::Segment::Map { key } => parts.push(PathPart::Key(key.clone())),
                serde_path_to_error::Segment::Enum { .. }
                | serde_path_to_error::Segment::Unknown => {}
            }
        }
        parts.reverse();
        JsonError {
            path: parts,
            message: e.into_inner().to_string(),
        }
    })
}

/// Reads a primitive with its `Deserialize` impl (a leaf: no path inside it to track).
fn leaf<T: DeserializeOwned>(value: Json<'_>) -> Result<T, JsonError> {
    T::deserialize(Value::from(value)).map_err(JsonError::new)
}

/// Implements [`FromJson`] through `Deserialize` ([`via_serde`]) for hand-written types, so
/// they can be used with the runtime's generic requests:
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct User {
///     id: String,
/// }
/// apigen_runtime::from_json_via_serde!(User);
/// # let _: fn(&apigen_runtime::Client) -> apigen_runtime::PagedRequest<User> = |c| c.paged("/users");
/// ```
#[macro_export]
macro_rules! from_json_via_serde {
    ($($ty:ty),* $(,)?) => {
        $(
            impl $crate::json::FromJson for $ty {
                fn from_json(
                    value: $crate::json::Json<'_>,
                ) -> ::std::result::Result<Self, $crate::json::JsonError> {
                    $crate::json::via_serde(value)
                }
            }
        )*
    };
}

/// `Deserialize` for a generated type: reads a [`Json`] value, then the type from it; an error
/// names its path in the value (`a.b[0]: invalid type...`).
///
/// # Errors
///
/// The deserializer's error, or the type's, as a custom error.
pub fn deserialize<'de, D: Deserializer<'de>, T: FromJson>(deserializer: D) -> Result<T, D::Error> {
    let value = Json::deserialize(deserializer)?;
    T::from_json(value).map_err(de::Error::custom)
}

/// `FromJson` through `Deserialize` for types read from one JSON value with no parts.
macro_rules! leaf {
    ($($ty:ty),* $(,)?) => {
        $(
            impl FromJson for $ty {
                fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
                    leaf(value)
                }
            }
        )*
    };
}

leaf!(
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f32,
    f64,
    serde_json::Number,
    crate::types::Double,
    crate::types::DateTime,
    crate::types::Date,
    crate::types::TimeOfDay,
    crate::types::Duration,
    crate::types::Uuid,
    crate::types::Base64Bytes,
);

impl FromJson for String {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        match value {
            Json::String(s) => Ok(s.into_owned()),
            other => Err(JsonError::invalid_type(&other, &"a string")),
        }
    }
}

impl FromJson for Value {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        Ok(value.into())
    }
}

impl FromJson for Json<'static> {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        Ok(value.into_owned())
    }
}

impl FromJson for () {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        leaf(value)
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        match value {
            Json::Null => Ok(None),
            value => match T::from_json(value) {
                Ok(value) => Ok(Some(value)),
                Err(e) => Err(e),
            },
        }
    }

    fn absent() -> Option<Self> {
        Some(None)
    }
}

impl<T: FromJson> FromJson for Nullable<T> {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        match value {
            Json::Null => Ok(Nullable::Null),
            value => match T::from_json(value) {
                Ok(value) => Ok(Nullable::Value(value)),
                Err(e) => Err(e),
            },
        }
    }

    fn absent() -> Option<Self> {
        Some(Nullable::Null)
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        match T::from_json(value) {
            Ok(value) => Ok(Box::new(value)),
            Err(e) => Err(e),
        }
    }

    fn absent() -> Option<Self> {
        T::absent().map(Box::new)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        // Plain loops rather than iterator adapters here and below: these are compiled once
        // per item type, and a chain of adapters is a dozen functions each time.
        let Json::Array(items) = value else {
            return Err(JsonError::invalid_type(&value, &"a sequence"));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            match T::from_json(item) {
                Ok(item) => out.push(item),
                Err(e) => return Err(e.in_index(i)),
            }
        }
        Ok(out)
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        let Json::Object(entries) = value else {
            return Err(JsonError::invalid_type(&value, &"a map"));
        };
        let mut out = BTreeMap::new();
        for (key, value) in entries {
            match T::from_json(value) {
                Ok(value) => {
                    out.insert(key.into_owned(), value);
                }
                Err(e) => return Err(e.in_key(&key)),
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_written_outermost_first() {
        let e = JsonError::new("bad").in_key("c").in_index(0).in_key("b");
        assert_eq!(e.path(), "b[0].c");
        assert_eq!(e.to_string(), "b[0].c: bad");
        assert_eq!(JsonError::new("bad").in_index(3).path(), "[3]");
        assert_eq!(JsonError::new("bad").path(), ".");
    }

    #[test]
    fn containers_name_the_failing_item() {
        let err =
            from_slice::<BTreeMap<String, Vec<i64>>>(br#"{"a":[1],"b":[2,"x"]}"#).unwrap_err();
        assert_eq!(err.path(), "b[1]");
        assert_eq!(err.message(), r#"invalid type: string "x", expected i64"#);
        let err = from_slice::<Vec<i64>>(b"null").unwrap_err();
        assert_eq!(err.message(), "invalid type: null, expected a sequence");
    }

    #[test]
    fn a_tree_read_as_a_tree_keeps_order_and_outlives_its_input() {
        let text = String::from(r#"{"b":[1,"x"],"a":null}"#);
        let owned: Json<'static> = from_slice(text.as_bytes()).unwrap();
        drop(text);
        let Json::Object(entries) = &owned else {
            panic!("{owned:?}")
        };
        assert_eq!(entries[0].0, "b");
        assert_eq!(entries[1], (Cow::Borrowed("a"), Json::Null));
        assert_eq!(
            owned.get("b"),
            Some(&Json::Array(vec![
                Json::Number(1.into()),
                Json::String("x".into())
            ]))
        );
    }

    #[test]
    fn null_and_absence() {
        assert_eq!(from_slice::<Option<i64>>(b"null"), Ok(None));
        assert_eq!(from_slice::<Nullable<i64>>(b"null"), Ok(Nullable::Null));
        assert_eq!(from_slice::<Nullable<i64>>(b"2"), Ok(Nullable::Value(2)));
        assert_eq!(<Option<i64>>::absent(), Some(None));
        assert_eq!(<i64>::absent(), None);
    }

    #[test]
    fn generated_types_deserialize_through_a_value() {
        #[derive(Debug, PartialEq)]
        struct Even(i64);
        impl FromJson for Even {
            fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
                let n = i64::from_json(value)?;
                if n % 2 == 0 {
                    Ok(Even(n))
                } else {
                    Err(JsonError::new("odd"))
                }
            }
        }
        impl<'de> Deserialize<'de> for Even {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                deserialize(d)
            }
        }
        let v: Vec<Even> = serde_json::from_str("[2,4]").unwrap();
        assert_eq!(v, [Even(2), Even(4)]);
        let e = serde_json::from_str::<Vec<Even>>("[2,3]").unwrap_err();
        assert!(e.to_string().starts_with("odd"), "{e}");
    }
}
