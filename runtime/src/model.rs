//! Compact reading and writing of generated model structs.
//!
//! `#[derive(Serialize, Deserialize)]` expands to a lot of code per struct (a field enum with
//! three visitors, a sequence visitor, and with `#[serde(flatten)]` a buffered slow path). A
//! crate with thousands of models spends most of its compile time type-checking that code.
//! Generated models instead list their properties once for reading ([`read`], sorted by wire
//! name, in their [`FromJson`] impl) and once for writing ([`write()`], in wire order), each
//! as a table of `(name, field)` pairs: the field is used as a [`Slot`] or a [`Property`]
//! object, so the compiler checks one coercion per field instead of a method call and a match
//! arm, and the loop over the properties is compiled once, here.
//!
//! The wire behaviour is the one of the derives it replaces: fields are read in any order,
//! a required field that is missing is an error (`missing field `x``) unless its type is an
//! `Option`, an optional field that is missing takes its `Default` ([`None`] or
//! [`Nullable::Absent`]), unknown properties are kept in the struct's property bag (or
//! skipped when it has none), and optional fields that are absent are not written. (A
//! property given twice is read as JSON parsers do: the last one counts.)
//!
//! ```
//! use apigen_runtime::json::{FromJson, Json, JsonError};
//! use apigen_runtime::model::{self, Required};
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
//! impl FromJson for User {
//!     fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
//!         let (mut f0, mut f1) = (None, None);
//!         let mut rest = BTreeMap::new();
//!         // Sorted by name.
//!         model::read(value, "User", &mut [("displayName", &mut f1), ("id", &mut f0)], &mut rest)?;
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
//!         apigen_runtime::json::deserialize(d)
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
//! let wrong = apigen_runtime::json::from_slice::<User>(br#"{"id":1}"#).unwrap_err();
//! assert_eq!((wrong.path().as_str(), wrong.message()), ("id", "invalid type: integer `1`, expected a string"));
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::Nullable;
use crate::json::{FromJson, Json, JsonError};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

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
    match wire(value) {
        Ok(json) => {
            let json = String::from_utf8_lossy(&json);
            if f.alternate() {
                write!(f, "{name} {}", indent_json(&json))
            } else {
                write!(f, "{name} {json}")
            }
        }
        Err(e) => write!(f, "{name} (not serializable: {e})"),
    }
}

/// The compact JSON text of `value`: what [`debug`] shows and [`same`] compares. Written with
/// the serializer request bodies are written with, and without `serde_json::to_vec`'s layers,
/// so that each model adds one function here, not four.
pub(crate) fn wire<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::with_capacity(128);
    value.serialize(&mut serde_json::Serializer::new(&mut out))?;
    Ok(out)
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
        (wire(a), wire(b)),
        (Ok(x), Ok(y)) if x == y
    )
}

/// Reads the properties of the JSON object `value` (a `name`, for errors): a declared one
/// into its slot in `fields` (sorted by wire name), any other into `rest`, the property bag
/// (`&mut ()` when there is none: they are skipped).
///
/// # Errors
///
/// `invalid type: ..., expected an object (<name>)` when `value` is not an object, else the
/// first property that cannot be read, with its name in the path.
pub fn read(
    value: Json<'_>,
    name: &str,
    fields: &mut [(&'static str, &mut dyn Slot)],
    rest: &mut dyn Bag,
) -> Result<(), JsonError> {
    debug_assert!(
        fields.windows(2).all(|w| w[0].0 < w[1].0),
        "fields are sorted by name"
    );
    let Json::Object(entries) = value else {
        return Err(JsonError::invalid_type(
            &value,
            &format!("an object ({name})").as_str(),
        ));
    };
    for (key, value) in entries {
        match fields.binary_search_by(|(name, _)| (*name).cmp(&*key)) {
            Ok(i) => fields[i].1.take(value).map_err(|e| e.in_key(&key))?,
            Err(_) => rest.take(key, value)?,
        }
    }
    Ok(())
}

/// A declared property of an object being read: `Option<T>` (absent, or a value) or
/// [`Nullable<T>`] (absent, `null` or a value).
pub trait Slot {
    /// Reads the property's value into the slot.
    fn take(&mut self, value: Json<'_>) -> Result<(), JsonError>;
}

impl<T: FromJson> Slot for Option<T> {
    fn take(&mut self, value: Json<'_>) -> Result<(), JsonError> {
        *self = Some(T::from_json(value)?);
        Ok(())
    }
}

impl<T: FromJson> Slot for Nullable<T> {
    fn take(&mut self, value: Json<'_>) -> Result<(), JsonError> {
        *self = Nullable::from_json(value)?;
        Ok(())
    }
}

/// Where [`read`] puts undeclared properties: a property bag, or `()` to skip them.
pub trait Bag {
    /// Keeps the undeclared property `key`.
    fn take(&mut self, key: Cow<'_, str>, value: Json<'_>) -> Result<(), JsonError>;
}

impl<V: FromJson> Bag for BTreeMap<String, V> {
    fn take(&mut self, key: Cow<'_, str>, value: Json<'_>) -> Result<(), JsonError> {
        match V::from_json(value) {
            Ok(value) => {
                self.insert(key.into_owned(), value);
                Ok(())
            }
            Err(e) => Err(e.in_key(&key)),
        }
    }
}

impl Bag for () {
    fn take(&mut self, _key: Cow<'_, str>, _value: Json<'_>) -> Result<(), JsonError> {
        Ok(())
    }
}

/// The value of a required property: an error naming `key` when it was missing, except for
/// `Option` types, which are then `None` (as with `#[derive(Deserialize)]`).
///
/// # Errors
///
/// `missing field` naming `key`, at the object.
pub fn required<T: FromJson>(slot: Option<T>, key: &'static str) -> Result<T, JsonError> {
    match slot.or_else(T::absent) {
        Some(value) => Ok(value),
        None => Err(JsonError::new(format_args!("missing field `{key}`"))),
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
            Some(value) => {
                map.serialize_key(key)?;
                map.serialize_value(value)
            }
            None => Ok(()),
        }
    }
}

impl<M: SerializeMap, T: Serialize> Property<M> for Nullable<T> {
    fn write_entry(&self, key: &'static str, map: &mut M) -> Result<(), M::Error> {
        if self.is_absent() {
            Ok(())
        } else {
            map.serialize_key(key)?;
            map.serialize_value(self)
        }
    }
}

/// A required property, always written.
#[derive(Debug)]
pub struct Required<'a, T>(pub &'a T);

impl<M: SerializeMap, T: Serialize> Property<M> for Required<'_, T> {
    fn write_entry(&self, key: &'static str, map: &mut M) -> Result<(), M::Error> {
        map.serialize_key(key)?;
        map.serialize_value(self.0)
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
