//! [`Nullable`], the tri-state for optional *and* nullable properties.

use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A property that may be absent, explicitly `null`, or set.
///
/// `Option<T>` cannot tell "leave this property alone" from "clear this
/// property", which matters in `PATCH` bodies. Generated models declare such
/// properties as
///
/// ```
/// # use apigen_runtime::Nullable;
/// #[derive(serde::Serialize, serde::Deserialize, Default)]
/// struct UserUpdate {
///     #[serde(default, skip_serializing_if = "Nullable::is_absent")]
///     #[serde(rename = "jobTitle")]
///     job_title: Nullable<String>,
///     #[serde(default, skip_serializing_if = "Nullable::is_absent")]
///     department: Nullable<String>,
/// }
///
/// let patch = UserUpdate {
///     job_title: Nullable::Value("Engineer".into()), // set it
///     department: Nullable::Null,                    // clear it
///     ..Default::default()                           // anything else: untouched
/// };
/// assert_eq!(
///     serde_json::to_string(&patch).unwrap(),
///     r#"{"jobTitle":"Engineer","department":null}"#
/// );
///
/// let decoded: UserUpdate = serde_json::from_str(r#"{"department":null}"#).unwrap();
/// assert!(decoded.job_title.is_absent());
/// assert!(decoded.department.is_null());
/// ```
///
/// * [`Nullable::Absent`]: not on the wire (requires
///   `skip_serializing_if = "Nullable::is_absent"`; if serialized anyway it is
///   written as `null`). A missing field decodes as `Absent` through
///   `#[serde(default)]`.
/// * [`Nullable::Null`]: written and read as JSON `null`.
/// * [`Nullable::Value`]: the value.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Debug)]
pub enum Nullable<T> {
    /// Not present.
    #[default]
    Absent,
    /// Explicitly `null`.
    Null,
    /// A value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether this is [`Nullable::Absent`] (use with
    /// `skip_serializing_if`).
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether this is [`Nullable::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// Whether this is [`Nullable::Value`].
    pub fn is_value(&self) -> bool {
        matches!(self, Nullable::Value(_))
    }

    /// The value, if any.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value (mutable), if any.
    pub fn value_mut(&mut self) -> Option<&mut T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Converts `&Nullable<T>` to `Nullable<&T>`.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(v),
        }
    }

    /// The dereferenced value, if any.
    ///
    /// ```
    /// # use apigen_runtime::Nullable;
    /// let n = Nullable::Value(String::from("AdminAdd"));
    /// assert_eq!(n.as_deref(), Some("AdminAdd"));
    /// ```
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: Deref,
    {
        self.value().map(Deref::deref)
    }

    /// The value, if any (both `Absent` and `Null` give `None`).
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Maps the value, keeping `Absent` and `Null`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(f(v)),
        }
    }

    /// The value, or `default` when absent or null.
    pub fn unwrap_or(self, default: T) -> T {
        self.into_option().unwrap_or(default)
    }

    /// The value, or `T::default()` when absent or null.
    pub fn unwrap_or_default(self) -> T
    where
        T: Default,
    {
        self.into_option().unwrap_or_default()
    }

    /// Takes the value out, leaving [`Nullable::Absent`].
    pub fn take(&mut self) -> Nullable<T> {
        std::mem::take(self)
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

/// `"AdminAdd".into()` for a `Nullable<String>` field.
impl From<&str> for Nullable<String> {
    fn from(value: &str) -> Self {
        Nullable::Value(value.to_owned())
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `Some(v)` becomes `Value(v)` and `None` becomes `Null`.
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Nullable::Value(v),
            None => Nullable::Null,
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => serializer.serialize_some(v),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;

    /// Fields are set with `.into()`: text into `Nullable<String>`, a value (a model too)
    /// into its `Nullable`, `None` into `Null`; `Nullable::from(3)` still infers its type.
    #[test]
    fn values_convert_into_nullable_fields() {
        let name: Nullable<String> = "AdminAdd".into();
        assert_eq!(name, Nullable::Value("AdminAdd".to_owned()));
        let owned: Nullable<String> = String::from("x").into();
        assert_eq!(owned, Nullable::Value("x".to_owned()));
        let flag: Nullable<bool> = None.into();
        assert_eq!(flag, Nullable::Null);
        let list: Nullable<Vec<u8>> = vec![1].into();
        assert_eq!(list, Nullable::Value(vec![1]));
        assert_eq!(Nullable::from(3).into_option(), Some(3));
    }
}
