//! Helpers for polymorphic JSON keyed by a discriminator such as
//! `@odata.type`.
//!
//! Generated code represents a polymorphic type as an enum with one variant
//! per derived type, implements [`Tagged`] to pick the variant by the tag, and
//! `Serialize`/`Deserialize` with [`serialize_tagged`] and [`deserialize`]:
//!
//! ```
//! use apigen_runtime::poly::{self, Tagged};
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
//! impl Tagged for DirectoryObject {
//!     const TAG_FIELD: &'static str = "@odata.type";
//!     fn dispatch<'de, D: Deserializer<'de>>(tag: Option<&str>, value: D) -> Result<Self, D::Error> {
//!         Ok(match tag.map(poly::normalize_odata_type) {
//!             Some("microsoft.graph.user") => Self::User(Deserialize::deserialize(value)?),
//!             Some("microsoft.graph.group") => Self::Group(Deserialize::deserialize(value)?),
//!             _ => Self::Other(Deserialize::deserialize(value)?),
//!         })
//!     }
//! }
//!
//! impl<'de> Deserialize<'de> for DirectoryObject {
//!     fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
//!         poly::deserialize(d)
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
//!
//! # Decoding without losing the path
//!
//! A value is read as it streams in until its tag: properties before the tag are kept as
//! [`Value`]s, then the chosen type reads them, the tag and the rest of the object, which it
//! reads straight from the input. So when the tag comes first (OData services write it first;
//! [`serialize_tagged`] does too), decoding costs no copy and an error inside the value
//! carries its full JSON path and position, as for any other value. An error in a property
//! that came before the tag (or in a value without one) is raised with its path relative to
//! the polymorphic value, which [`decode::json`](crate::decode::json) adds to the path of the
//! value and uses to find its position in the body.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{
    BorrowedStrDeserializer, MapAccessDeserializer, SeqAccessDeserializer, StrDeserializer,
    StringDeserializer,
};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{Error as _, SerializeMap as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::model::KeySeed;

/// A polymorphic type: a JSON object whose concrete type is named by its tag property.
pub trait Tagged: Sized {
    /// The tag property: `@odata.type`, or the `propertyName` of an OpenAPI discriminator.
    const TAG_FIELD: &'static str;

    /// Decodes the value from `value` (the whole value, the tag property included) as the
    /// type `tag` names: `None` when the value is not an object, or has no tag property, or
    /// its tag is not a string.
    fn dispatch<'de, D: Deserializer<'de>>(tag: Option<&str>, value: D) -> Result<Self, D::Error>;
}

/// Deserializes a [`Tagged`] value: reads it up to its tag, then lets
/// [`Tagged::dispatch`] decode the whole value (see the [module docs](self) for how paths of
/// errors are kept).
pub fn deserialize<'de, D: Deserializer<'de>, T: Tagged>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_any(TaggedVisitor(PhantomData))
}

struct TaggedVisitor<T>(PhantomData<T>);

impl<'de, T: Tagged> Visitor<'de> for TaggedVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON value (tagged by `{}`)", T::TAG_FIELD)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut before = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if key == T::TAG_FIELD {
                let tag = map.next_value_seed(TagSeed)?;
                let name = match &tag {
                    TagValue::Str(s) => Some(s.clone()),
                    TagValue::Other(_) => None,
                };
                let rest = Replay {
                    before: before.into_iter(),
                    tag: Some((key, tag)),
                    live: Some(map),
                    next: Next::Live,
                };
                return T::dispatch(name.as_deref(), MapAccessDeserializer::new(rest));
            }
            let value: Value = map.next_value()?;
            before.push((key, value));
        }
        untagged(Value::Object(
            before
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v))
                .collect(),
        ))
    }

    // Anything but an object has no tag: `dispatch` decodes it from its JSON.
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        untagged(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        untagged(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        untagged(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        untagged(Value::from(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        untagged(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        untagged(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        untagged(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        untagged(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        untagged(Value::deserialize(SeqAccessDeserializer::new(seq))?)
    }
}

/// Decodes a value without a tag (not an object, or an object without the tag property) as
/// [`Tagged::dispatch`] decides, from its JSON. One deserializer type for every such value:
/// each type a union may hold is then compiled for untagged values once, not once per JSON
/// kind (which made a union of many types the biggest part of a debug build).
fn untagged<T: Tagged, E: de::Error>(value: Value) -> Result<T, E> {
    let mut track = serde_path_to_error::Track::new();
    T::dispatch(
        None,
        serde_path_to_error::Deserializer::new(value, &mut track),
    )
    .map_err(|e| {
        let inner = track.path().to_string();
        if inner == "." {
            E::custom(e)
        } else {
            E::custom(located(".", &inner, &e.to_string()))
        }
    })
}

/// The value of the tag property: a string (borrowed from the input when it can be), or
/// anything else, which names no type but is kept for the value.
enum TagValue<'de> {
    Str(Cow<'de, str>),
    Other(Value),
}

struct TagSeed;

impl<'de> DeserializeSeed<'de> for TagSeed {
    type Value = TagValue<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(TagVisitor)
    }
}

struct TagVisitor;

impl<'de> Visitor<'de> for TagVisitor {
    type Value = TagValue<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a type tag")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(TagValue::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(TagValue::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(TagValue::Str(Cow::Owned(v)))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(TagValue::Other(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(TagValue::Other(Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(TagValue::Other(Value::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(TagValue::Other(Value::from(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(TagValue::Other(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(TagValue::Other(Value::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(TagValue::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(TagValue::Other)
    }
}

/// The properties of a tagged object for the type its tag chose: those read before the tag,
/// the tag, then the rest of the object, read from the input as the type asks for them.
struct Replay<'de, A> {
    before: std::vec::IntoIter<(Cow<'de, str>, Value)>,
    tag: Option<(Cow<'de, str>, TagValue<'de>)>,
    /// The object being read, after its tag (`None` when it has none: all was read before).
    live: Option<A>,
    /// Where the value of the key last returned is.
    next: Next<'de>,
}

enum Next<'de> {
    Live,
    Kept(Cow<'de, str>, Value),
    Tag(Cow<'de, str>, TagValue<'de>),
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        if let Some((key, value)) = self.before.next() {
            let k = key_seed(seed, &key)?;
            self.next = Next::Kept(key, value);
            return Ok(Some(k));
        }
        if let Some((key, tag)) = self.tag.take() {
            let k = key_seed(seed, &key)?;
            self.next = Next::Tag(key, tag);
            return Ok(Some(k));
        }
        self.next = Next::Live;
        match &mut self.live {
            Some(map) => map.next_key_seed(seed),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match std::mem::replace(&mut self.next, Next::Live) {
            Next::Live => match &mut self.live {
                Some(map) => map.next_value_seed(seed),
                None => Err(de::Error::custom("a value was asked for before its key")),
            },
            Next::Kept(key, value) => kept_value(seed, &key, value),
            Next::Tag(key, TagValue::Str(Cow::Borrowed(s))) => {
                let de = BorrowedStrDeserializer::<serde_json::Error>::new(s);
                seed.deserialize(de)
                    .map_err(|e| de::Error::custom(located(&key, ".", &e.to_string())))
            }
            Next::Tag(key, TagValue::Str(Cow::Owned(s))) => {
                let de = StringDeserializer::<serde_json::Error>::new(s);
                seed.deserialize(de)
                    .map_err(|e| de::Error::custom(located(&key, ".", &e.to_string())))
            }
            Next::Tag(key, TagValue::Other(value)) => kept_value(seed, &key, value),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        match self.live {
            Some(_) => None,
            None => Some(self.before.len()),
        }
    }
}

/// Gives a kept property name to `seed` (borrowed, as the input gave it, when it can).
fn key_seed<'de, K: DeserializeSeed<'de>, E: de::Error>(
    seed: K,
    key: &Cow<'de, str>,
) -> Result<K::Value, E> {
    match key {
        Cow::Borrowed(s) => seed.deserialize(BorrowedStrDeserializer::new(s)),
        Cow::Owned(s) => seed.deserialize(StrDeserializer::new(s)),
    }
}

/// Decodes the kept value of property `key`; an error names where in the value it is.
fn kept_value<'de, V: DeserializeSeed<'de>, E: de::Error>(
    seed: V,
    key: &str,
    value: Value,
) -> Result<V::Value, E> {
    let mut track = serde_path_to_error::Track::new();
    seed.deserialize(serde_path_to_error::Deserializer::new(value, &mut track))
        .map_err(|e| E::custom(located(key, &track.path().to_string(), &e.to_string())))
}

/// The message of an error at `inner` (a path as `serde_path_to_error` writes it; `.` for
/// the value itself) in the value of property `key` of a polymorphic value:
/// `at "key.inner": message`. A message that is already located (an error in a polymorphic
/// value inside) adds its path to the end.
fn located(key: &str, inner: &str, message: &str) -> String {
    let mut path = join_path(key, inner);
    let message = match split_located(message) {
        Some((more, message)) => {
            path = join_path(&path, &more);
            message
        }
        None => message,
    };
    let quoted = serde_json::to_string(&path).unwrap_or_default();
    format!("at {quoted}: {message}")
}

/// The relative path and the message of a message made by [`located`].
pub(crate) fn split_located(message: &str) -> Option<(String, &str)> {
    let quoted = message.strip_prefix("at ")?;
    if !quoted.starts_with('"') {
        return None;
    }
    let mut stream = serde_json::Deserializer::from_str(quoted).into_iter::<String>();
    let path = stream.next()?.ok()?;
    let message = quoted[stream.byte_offset()..].strip_prefix(": ")?;
    Some((path, message))
}

/// `inner` appended to `outer`, both paths as `serde_path_to_error` writes them (`.` is the
/// empty path): `a` and `b[0]` give `a.b[0]`, `a` and `[0]` give `a[0]`.
pub(crate) fn join_path(outer: &str, inner: &str) -> String {
    match (outer, inner) {
        (_, ".") => outer.to_owned(),
        (".", _) => inner.to_owned(),
        _ if inner.starts_with('[') => format!("{outer}{inner}"),
        _ => format!("{outer}.{inner}"),
    }
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
