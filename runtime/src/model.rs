//! Compact `Serialize`/`Deserialize` support for generated model structs.
//!
//! `#[derive(Serialize, Deserialize)]` expands to a lot of code per struct (a field enum with
//! three visitors, a sequence visitor, and with `#[serde(flatten)]` a buffered slow path). A
//! crate with thousands of models spends most of its compile time type-checking that code.
//! Generated models instead list their properties once for reading ([`Reader::read`], sorted
//! by wire name) and once for writing ([`write()`], in wire order), each as a table of
//! `(name, field)` pairs: the field is used as a [`Slot`] or a [`Property`] object, so the
//! compiler checks one coercion per field instead of a method call and a match arm, and the
//! loop over the properties is compiled once, here.
//!
//! The wire behaviour is the one of the derives it replaces: fields are read in any order,
//! a required field that is missing is an error (`missing field `x``) unless its type is an
//! `Option`, an optional field that is missing takes its `Default` ([`None`] or
//! [`Nullable::Absent`]), a field given twice is an error, unknown
//! properties are kept in the struct's property bag (or skipped when it has none), and
//! optional fields that are absent are not written.
//!
//! ```
//! use apigen_runtime::model::{self, Object, Reader, Required};
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
//!     fn read<'de, A: serde::de::MapAccess<'de>>(map: Reader<'de, A>) -> Result<Self, A::Error> {
//!         let (mut f0, mut f1) = (None, None);
//!         let mut rest = BTreeMap::new();
//!         // Sorted by name.
//!         map.read(&mut [("displayName", &mut f1), ("id", &mut f0)], &mut rest)?;
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
//!         model::write(
//!             s,
//!             &[("id", &Required(&self.id)), ("displayName", &self.display_name)],
//!             &self.additional_properties,
//!         )
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
    // Straight to text, so properties show in wire order; `{:#?}` indents that text rather
    // than serializing again with serde_json's pretty formatter (which would compile every
    // model's serialization a second time, for a formatter only `Debug` uses).
    match serde_json::to_string(value) {
        Ok(json) if f.alternate() => write!(f, "{name} {}", indent_json(&json)),
        Ok(json) => write!(f, "{name} {json}"),
        Err(e) => write!(f, "{name} (not serializable: {e})"),
    }
}

/// Compact JSON text as `serde_json::to_string_pretty` writes it: two spaces per level,
/// `"key": value`, and `{}` and `[]` for empty objects and arrays.
fn indent_json(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = compact.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                if matches!(chars.peek(), Some('}' | ']')) {
                    out.extend(chars.next());
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c => out.push(c),
        }
    }
    out
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
            _de: PhantomData,
        })
    }
}

/// The properties of an object being read, for [`Object::read`].
#[derive(Debug)]
pub struct Reader<'de, A: MapAccess<'de>> {
    map: A,
    _de: PhantomData<&'de ()>,
}

impl<'de, A: MapAccess<'de>> Reader<'de, A> {
    /// Reads every property of the object: a declared one into its slot in `fields` (sorted
    /// by name), any other into `rest`, the property bag (`&mut ()` when there is none: they
    /// are skipped). A property given twice is an error.
    pub fn read(
        mut self,
        fields: &mut [(&'static str, &mut dyn Slot<'de, A>)],
        rest: &mut impl Bag<'de, A>,
    ) -> Result<(), A::Error> {
        debug_assert!(
            fields.windows(2).all(|w| w[0].0 < w[1].0),
            "fields are sorted by name"
        );
        while let Some(key) = self.map.next_key_seed(KeySeed)? {
            match fields.binary_search_by(|(name, _)| (*name).cmp(&*key)) {
                Ok(i) => {
                    let (name, slot) = &mut fields[i];
                    slot.read_value(&mut self.map, name)?;
                }
                Err(_) => rest.read_value(&mut self.map, key)?,
            }
        }
        Ok(())
    }
}

/// A declared property of an object being read: `Option<T>` (absent, or a value) or
/// [`Nullable<T>`] (absent, `null` or a value).
pub trait Slot<'de, A: MapAccess<'de>> {
    /// Reads the value of property `key` from `map`; an error if it was already read.
    fn read_value(&mut self, map: &mut A, key: &'static str) -> Result<(), A::Error>;
}

impl<'de, A: MapAccess<'de>, T: Deserialize<'de>> Slot<'de, A> for Option<T> {
    fn read_value(&mut self, map: &mut A, key: &'static str) -> Result<(), A::Error> {
        if self.is_some() {
            return Err(de::Error::duplicate_field(key));
        }
        *self = Some(map.next_value()?);
        Ok(())
    }
}

impl<'de, A: MapAccess<'de>, T: Deserialize<'de>> Slot<'de, A> for Nullable<T> {
    fn read_value(&mut self, map: &mut A, key: &'static str) -> Result<(), A::Error> {
        if !self.is_absent() {
            return Err(de::Error::duplicate_field(key));
        }
        *self = map.next_value()?;
        Ok(())
    }
}

/// Where [`Reader::read`] puts undeclared properties: a property bag, or `()` to skip them.
pub trait Bag<'de, A: MapAccess<'de>> {
    /// Reads the value of the undeclared property `key` from `map`.
    fn read_value(&mut self, map: &mut A, key: Cow<'de, str>) -> Result<(), A::Error>;
}

impl<'de, A: MapAccess<'de>, V: Deserialize<'de>> Bag<'de, A> for BTreeMap<String, V> {
    fn read_value(&mut self, map: &mut A, key: Cow<'de, str>) -> Result<(), A::Error> {
        let value = map.next_value()?;
        self.insert(key.into_owned(), value);
        Ok(())
    }
}

impl<'de, A: MapAccess<'de>> Bag<'de, A> for () {
    fn read_value(&mut self, map: &mut A, _key: Cow<'de, str>) -> Result<(), A::Error> {
        map.next_value::<IgnoredAny>()?;
        Ok(())
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
pub(crate) struct KeySeed;

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

/// Writes a struct as a JSON object: `fields` in order (with their wire names; absent ones are
/// left out), then the property bag `rest` (`&()` when there is none).
pub fn write<S: Serializer>(
    serializer: S,
    fields: &[(&'static str, &dyn Property<S::SerializeMap>)],
    rest: &impl WriteBag,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    for (key, value) in fields {
        value.write_entry(key, &mut map)?;
    }
    rest.write_entries(&mut map)?;
    map.end()
}

/// A declared property of a struct being written: `Option<T>` and [`Nullable<T>`] are left
/// out when absent; a required one is written through [`Required`].
pub trait Property<M: SerializeMap> {
    /// Writes the entry `key`, unless the value is absent.
    fn write_entry(&self, key: &'static str, map: &mut M) -> Result<(), M::Error>;
}

impl<M: SerializeMap, T: Serialize> Property<M> for Option<T> {
    fn write_entry(&self, key: &'static str, map: &mut M) -> Result<(), M::Error> {
        match self {
            Some(value) => map.serialize_entry(key, value),
            None => Ok(()),
        }
    }
}

impl<M: SerializeMap, T: Serialize> Property<M> for Nullable<T> {
    fn write_entry(&self, key: &'static str, map: &mut M) -> Result<(), M::Error> {
        if self.is_absent() {
            Ok(())
        } else {
            map.serialize_entry(key, self)
        }
    }
}

/// A required property, always written.
#[derive(Debug)]
pub struct Required<'a, T>(pub &'a T);

impl<M: SerializeMap, T: Serialize> Property<M> for Required<'_, T> {
    fn write_entry(&self, key: &'static str, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry(key, self.0)
    }
}

/// The property bag [`write()`] writes after the declared properties, or `()` for none.
pub trait WriteBag {
    /// Writes its entries.
    fn write_entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

impl<V: Serialize> WriteBag for BTreeMap<String, V> {
    fn write_entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        for (key, value) in self {
            map.serialize_entry(key, value)?;
        }
        Ok(())
    }
}

impl WriteBag for () {
    fn write_entries<M: SerializeMap>(&self, _map: &mut M) -> Result<(), M::Error> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    /// `{:#?}` of a model indents its compact JSON exactly as serde_json's pretty printer
    /// would: nesting, empty containers, and strings holding brackets, commas, colons, quotes
    /// and escapes.
    #[test]
    fn indented_json_is_what_the_pretty_printer_writes() {
        let value = serde_json::json!({
            "a": 1,
            "empty": {},
            "none": [],
            "list": [1, {"b": [true, null]}, [], "x"],
            "text": "{[,:]} \"quoted\" \\ back\\slash \u{e9}",
            "nested": {"c": {"d": {"e": -1.5e10}}}
        });
        let compact = serde_json::to_string(&value).unwrap();
        assert_eq!(
            super::indent_json(&compact),
            serde_json::to_string_pretty(&value).unwrap()
        );
        assert_eq!(super::indent_json("[]"), "[]");
        assert_eq!(super::indent_json("\"s\""), "\"s\"");
    }
}
