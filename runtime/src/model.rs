//! Compact `Serialize`/`Deserialize` support for generated model structs.
//!
//! `#[derive(Serialize, Deserialize)]` expands to a lot of code per struct (a field enum with
//! three visitors, a sequence visitor, and with `#[serde(flatten)]` a buffered slow path). A
//! crate with thousands of models spends most of its compile time type-checking that code.
//! Generated models instead implement [`Object`] with one short `match` over their wire names
//! and serialize through [`Out`]; the shared logic lives here, compiled once. [`Reader`] and
//! [`Out`] keep the first error and ignore what follows it, so that generated code needs no `?`
//! (a `match` of its own to type-check and borrow-check) per field.
//!
//! The wire behaviour is the one of the derives it replaces: fields are read in any order,
//! a required field that is missing is an error (`missing field `x``) unless its type is an
//! `Option`, an optional field that is missing takes its `Default` ([`None`] or
//! [`Nullable::Absent`]), a field given twice is an error, unknown
//! properties are kept in the struct's property bag (or skipped when it has none), and
//! optional fields that are absent are not written.
//!
//! ```
//! use apigen_runtime::model::{self, Object, Out, Reader};
//! use serde::{Deserialize, Deserializer, Serialize, Serializer};
//! use std::collections::BTreeMap;
//!
//! #[derive(Debug, PartialEq)]
//! struct User {
//!     id: String,
//!     display_name: Option<String>,
//!     additional_properties: BTreeMap<String, serde_json::Value>,
//! }
//!
//! impl Object for User {
//!     const NAME: &'static str = "User";
//!     fn read<'de, A: serde::de::MapAccess<'de>>(
//!         mut map: Reader<'de, A>,
//!     ) -> Result<Self, A::Error> {
//!         let (mut f0, mut f1) = (None, None);
//!         let mut rest = BTreeMap::new();
//!         while let Some(key) = map.key() {
//!             match &*key {
//!                 "id" => map.value(&mut f0, "id"),
//!                 "displayName" => map.value(&mut f1, "displayName"),
//!                 _ => map.other(key, &mut rest),
//!             }
//!         }
//!         map.end()?;
//!         Ok(Self {
//!             id: model::required(f0, "id")?,
//!             display_name: f1.unwrap_or_default(),
//!             additional_properties: rest,
//!         })
//!     }
//! }
//!
//! impl<'de> Deserialize<'de> for User {
//!     fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
//!         model::deserialize(d)
//!     }
//! }
//!
//! impl Serialize for User {
//!     fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
//!         let mut out = Out::new(s)?;
//!         out.field("id", &self.id);
//!         out.optional("displayName", &self.display_name);
//!         out.rest(&self.additional_properties);
//!         out.end()
//!     }
//! }
//!
//! let user: User = serde_json::from_str(r#"{"id":"1","extra":true}"#).unwrap();
//! assert_eq!(user.display_name, None);
//! assert_eq!(serde_json::to_string(&user).unwrap(), r#"{"id":"1","extra":true}"#);
//! let missing = serde_json::from_str::<User>(r#"{"displayName":"x"}"#).unwrap_err();
//! assert!(missing.to_string().starts_with("missing field `id`"));
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::Nullable;

/// A struct read from a JSON object by [`deserialize`].
pub trait Object: Sized {
    /// The type's name, for error messages (`expected an object (User)`).
    const NAME: &'static str;

    /// Reads the object's properties from `map`.
    fn read<'de, A: MapAccess<'de>>(map: Reader<'de, A>) -> Result<Self, A::Error>;
}

/// `Debug` for a generated model: its type name and its wire form, the JSON it serializes to
/// (`AccessPackage {"id":"1","displayName":"Sales"}`; `{:#?}` indents the JSON).
///
/// Properties that are absent are not shown, so a model with a hundred optional properties
/// shows the few it has; `null` and absent stay apart. A derived `Debug` per model was a sixth
/// of the compile time of the models (measured on 2,000 small structs).
pub fn debug<T: Serialize + ?Sized>(
    value: &T,
    name: &str,
    f: &mut std::fmt::Formatter<'_>,
) -> std::fmt::Result {
    // Straight to text, so properties show in wire order.
    let json = if f.alternate() {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    match json {
        Ok(json) => write!(f, "{name} {json}"),
        Err(e) => write!(f, "{name} (not serializable: {e})"),
    }
}

/// `PartialEq` for a generated model: equal when both have the same wire form (serialize to
/// equal JSON), which is what matters for a value sent to or read from the service: properties
/// kept in the property bag count, `null` and absent differ, as do unknown enum values. (`NaN`,
/// which JSON cannot carry, is written as `null`.) Like [`debug`], it replaces a derive that
/// cost compile time in every model.
pub fn same<T: Serialize + ?Sized>(a: &T, b: &T) -> bool {
    matches!(
        (serde_json::to_value(a), serde_json::to_value(b)),
        (Ok(x), Ok(y)) if x == y
    )
}

/// Deserializes an [`Object`] from a map (a JSON object).
pub fn deserialize<'de, D: Deserializer<'de>, T: Object>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object ({})", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(Reader {
            map,
            error: None,
            _de: PhantomData,
        })
    }
}

/// The properties of an object being read, for [`Object::read`].
///
/// The first error is kept: [`key`](Self::key) then returns `None`, and [`end`](Self::end)
/// returns the error.
#[derive(Debug)]
pub struct Reader<'de, A: MapAccess<'de>> {
    map: A,
    error: Option<A::Error>,
    _de: PhantomData<&'de ()>,
}

impl<'de, A: MapAccess<'de>> Reader<'de, A> {
    /// The next property name, or `None` at the end of the object or after an error.
    /// Borrowed from the input when it can be.
    pub fn key(&mut self) -> Option<Cow<'de, str>> {
        if self.error.is_some() {
            return None;
        }
        match self.map.next_key_seed(KeySeed) {
            Ok(key) => key,
            Err(e) => {
                self.error = Some(e);
                None
            }
        }
    }

    /// Reads the value of a declared property into `slot`; an error if it was already read.
    pub fn value<T: Deserialize<'de>>(&mut self, slot: &mut Option<T>, key: &'static str) {
        if slot.is_some() {
            self.fail(de::Error::duplicate_field(key));
            return;
        }
        match self.map.next_value() {
            Ok(value) => *slot = Some(value),
            Err(e) => self.fail(e),
        }
    }

    /// Reads the value of a declared optional, nullable property into `slot` (`null` is
    /// [`Nullable::Null`]); an error if it was already read.
    pub fn nullable<T: Deserialize<'de>>(&mut self, slot: &mut Nullable<T>, key: &'static str) {
        if !slot.is_absent() {
            self.fail(de::Error::duplicate_field(key));
            return;
        }
        match self.map.next_value() {
            Ok(value) => *slot = value,
            Err(e) => self.fail(e),
        }
    }

    /// Reads the value of an undeclared property into the property bag `rest`.
    pub fn other<V: Deserialize<'de>>(
        &mut self,
        key: Cow<'de, str>,
        rest: &mut BTreeMap<String, V>,
    ) {
        match self.map.next_value() {
            Ok(value) => {
                rest.insert(key.into_owned(), value);
            }
            Err(e) => self.fail(e),
        }
    }

    /// Skips the value of an undeclared property (for structs without a property bag).
    pub fn skip(&mut self) {
        if let Err(e) = self.map.next_value::<IgnoredAny>() {
            self.fail(e);
        }
    }

    /// The first error met while reading, if any.
    pub fn end(self) -> Result<(), A::Error> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn fail(&mut self, error: A::Error) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }
}

/// The value of a required property: an error naming `key` when it was missing, except for
/// `Option` types, which are then `None` (as with `#[derive(Deserialize)]`).
pub fn required<'de, T: Deserialize<'de>, E: de::Error>(
    slot: Option<T>,
    key: &'static str,
) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(Missing {
            key,
            _error: PhantomData,
        }),
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

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// A deserializer for a property that is not there: `None` for an `Option`, a
/// `missing field` error for anything else.
struct Missing<E> {
    key: &'static str,
    _error: PhantomData<E>,
}

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(de::Error::missing_field(self.key))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// A value that may be left out when serialized ([`None`], [`Nullable::Absent`]).
pub trait Absent {
    /// Whether the property is left out.
    fn is_absent(&self) -> bool;
}

impl<T> Absent for Option<T> {
    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T> Absent for Nullable<T> {
    fn is_absent(&self) -> bool {
        Nullable::is_absent(self)
    }
}

/// Writes a struct as a JSON object, property by property.
///
/// The first error is kept: later writes are skipped and [`end`](Self::end) returns it.
#[derive(Debug)]
pub struct Out<M: SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: SerializeMap> Out<M> {
    /// Starts the object.
    pub fn new<S: Serializer<SerializeMap = M, Error = M::Error, Ok = M::Ok>>(
        serializer: S,
    ) -> Result<Self, S::Error> {
        Ok(Self {
            map: serializer.serialize_map(None)?,
            error: None,
        })
    }

    /// Writes a property.
    pub fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if self.error.is_none()
            && let Err(e) = self.map.serialize_entry(key, value)
        {
            self.error = Some(e);
        }
    }

    /// Writes a property unless it is absent.
    pub fn optional<T: Serialize + Absent>(&mut self, key: &'static str, value: &T) {
        if !value.is_absent() {
            self.field(key, value);
        }
    }

    /// Writes the properties of a property bag.
    pub fn rest<V: Serialize>(&mut self, rest: &BTreeMap<String, V>) {
        for (key, value) in rest {
            if self.error.is_some() {
                return;
            }
            if let Err(e) = self.map.serialize_entry(key, value) {
                self.error = Some(e);
            }
        }
    }

    /// Ends the object, or returns the first error.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(e) => Err(e),
            None => self.map.end(),
        }
    }
}
