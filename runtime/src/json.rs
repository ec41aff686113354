//! [`FromJson`]: how generated types are read from JSON.
//!
//! A response body is parsed once into a [`serde_json::Value`]; each generated type then
//! takes its part of that value apart in one plain function, [`FromJson::from_json`], which
//! moves strings and arrays out of the value instead of copying them.
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
//!     fn from_json(value: serde_json::Value) -> Result<Self, JsonError> {
//!         json::via_serde(value)
//!     }
//! }
//!
//! let users: Vec<User> = json::from_slice(br#"[{"id":"1"}]"#).unwrap();
//! assert_eq!(users, [User { id: "1".into() }]);
//! let err = json::from_slice::<Vec<User>>(br#"[{"id":"1"},{"id":2}]"#).unwrap_err();
//! assert_eq!(err.path(), "[1].id");
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, Expected, Unexpected};
use serde_json::Value;

use crate::Nullable;

/// A type read from a JSON value (see the [module docs](self)).
pub trait FromJson: Sized {
    /// Reads `value`: an error names what was expected and where in `value` it failed.
    fn from_json(value: Value) -> Result<Self, JsonError>;

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
    pub fn invalid_type(value: &Value, expected: &dyn Expected) -> Self {
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
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (_, Some(i), _) => Unexpected::Signed(i),
            (_, _, Some(f)) => Unexpected::Float(f),
            _ => Unexpected::Other("number"),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// Parses `bytes` as JSON and reads a `T` from it.
///
/// # Errors
///
/// The parse error (at `.`, its message giving the line and column), or the error of
/// [`FromJson::from_json`].
pub fn from_slice<T: FromJson>(bytes: &[u8]) -> Result<T, JsonError> {
    let value: Value = serde_json::from_slice(bytes).map_err(JsonError::new)?;
    T::from_json(value)
}

/// Reads a `T` from `value` with its `Deserialize` impl: how a hand-written type implements
/// [`FromJson`] (see [`from_json_via_serde!`](crate::from_json_via_serde) for the impl).
///
/// # Errors
///
/// The deserializer's error, at the path inside `value` where it failed.
pub fn via_serde<T: DeserializeOwned>(value: Value) -> Result<T, JsonError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
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
fn leaf<T: DeserializeOwned>(value: Value) -> Result<T, JsonError> {
    T::deserialize(value).map_err(JsonError::new)
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
                    value: $crate::__serde_json::Value,
                ) -> ::std::result::Result<Self, $crate::json::JsonError> {
                    $crate::json::via_serde(value)
                }
            }
        )*
    };
}

/// `Deserialize` for a generated type: reads a [`Value`], then the type from it; an error
/// names its path in the value (`a.b[0]: invalid type...`).
///
/// # Errors
///
/// The deserializer's error, or the type's, as a custom error.
pub fn deserialize<'de, D: Deserializer<'de>, T: FromJson>(deserializer: D) -> Result<T, D::Error> {
    let value = Value::deserialize(deserializer)?;
    T::from_json(value).map_err(de::Error::custom)
}

/// `FromJson` through `Deserialize` for types read from one JSON value with no parts.
macro_rules! leaf {
    ($($ty:ty),* $(,)?) => {
        $(
            impl FromJson for $ty {
                fn from_json(value: Value) -> Result<Self, JsonError> {
                    leaf(value)
                }
            }
        )*
    };
}

leaf!(
    String,
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

impl FromJson for Value {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        Ok(value)
    }
}

impl FromJson for () {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        leaf(value)
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::Null => Ok(None),
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
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::Null => Ok(Nullable::Null),
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
    fn from_json(value: Value) -> Result<Self, JsonError> {
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
    fn from_json(value: Value) -> Result<Self, JsonError> {
        // Plain loops rather than iterator adapters here and below: these are compiled once
        // per item type, and a chain of adapters is a dozen functions each time.
        let Value::Array(items) = value else {
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
    fn from_json(value: Value) -> Result<Self, JsonError> {
        let Value::Object(entries) = value else {
            return Err(JsonError::invalid_type(&value, &"a map"));
        };
        let mut out = BTreeMap::new();
        for (key, value) in entries {
            match T::from_json(value) {
                Ok(value) => {
                    out.insert(key, value);
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
            fn from_json(value: Value) -> Result<Self, JsonError> {
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
