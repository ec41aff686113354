//! Query strings and OData query options.
//!
//! # Encoding rule
//!
//! Query strings are built by [`QueryString`], which the runtime uses for
//! every request, so what you build is exactly what goes on the wire:
//!
//! * pairs are written `name=value` and joined with `&`, in insertion order;
//! * values (and names) are percent-encoded as UTF-8 by [`encode_value`]. Only
//!   the RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~` and the
//!   characters `$ , ( ) : @ /` (legal in a query and common in OData
//!   expressions) are left as they are. Everything else is encoded: space as
//!   `%20` (never `+`), `&`, `=`, `+`, `#`, `%`, `"`, `?`, `;`, `'`, non-ASCII
//!   characters, ...
//!
//! The single quote `'` is encoded as `%27` because the URL parser of
//! `reqwest` (the WHATWG URL standard) always encodes it in `http(s)` query
//! strings anyway; encoding it here keeps the string built by this module
//! identical to the one on the wire. Servers decode `%27` to `'`.
//!
//! Since `$` is left unencoded, OData option names such as `$select` stay as
//! they are.
//!
//! ```
//! use apigen_runtime::query::{QueryString, odata_string_literal};
//!
//! let mut q = QueryString::new();
//! q.append("$select", "id,displayName");
//! q.append(
//!     "$filter",
//!     format!("displayName eq {}", odata_string_literal("O'Neil")),
//! );
//! assert_eq!(
//!     q.to_string(),
//!     "$select=id,displayName&$filter=displayName%20eq%20%27O%27%27Neil%27"
//! );
//! ```
//!
//! # Which options an operation supports
//!
//! [`Request`](crate::Request) carries a marker type saying which OData query
//! options the operation accepts: [`NoOptions`] (none), [`ItemOptions`]
//! (`$select`, `$expand`) or [`CollectionOptions`] (all of them). The option
//! methods only exist when the marker implements [`SelectExpand`] or
//! [`CollectionQuery`].

use std::borrow::Cow;
use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters [`encode_value`] encodes: everything but unreserved characters
/// and `$ , ( ) : @ /`.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'$')
    .remove(b',')
    .remove(b'(')
    .remove(b')')
    .remove(b':')
    .remove(b'@')
    .remove(b'/');

/// Percent-encodes a query value (or name) by the [encoding rule](self).
///
/// ```
/// use apigen_runtime::query::encode_value;
///
/// assert_eq!(encode_value("createdDateTime desc"), "createdDateTime%20desc");
/// assert_eq!(encode_value("a&b=c+d#e%f"), "a%26b%3Dc%2Bd%23e%25f");
/// assert_eq!(encode_value("é"), "%C3%A9");
/// assert_eq!(encode_value("requestor($expand=x)"), "requestor($expand%3Dx)");
/// ```
pub fn encode_value(value: &str) -> Cow<'_, str> {
    utf8_percent_encode(value, QUERY_VALUE).into()
}

/// Quotes `s` as an OData string literal: wraps it in single quotes and
/// doubles the single quotes inside (`O'Neil` becomes `'O''Neil'`).
///
/// Use it to build `$filter` expressions from untrusted input; the result is
/// percent-encoded like any other value when added to a query.
///
/// ```
/// use apigen_runtime::query::odata_string_literal;
///
/// assert_eq!(odata_string_literal("O'Neil"), "'O''Neil'");
/// ```
pub fn odata_string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// An ordered list of query parameters, percent-encoded by the
/// [encoding rule](self). `Display` renders it without the leading `?`.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct QueryString {
    pairs: Vec<(String, String)>,
}

impl QueryString {
    /// An empty query string.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `name=value` (both encoded), keeping existing pairs with the
    /// same name.
    pub fn append(&mut self, name: &str, value: impl AsRef<str>) -> &mut Self {
        self.pairs.push((
            encode_value(name).into_owned(),
            encode_value(value.as_ref()).into_owned(),
        ));
        self
    }

    /// Sets `name=value`: replaces the first pair named `name` (keeping its
    /// position) and removes the others, or appends when there is none.
    pub fn set(&mut self, name: &str, value: impl AsRef<str>) -> &mut Self {
        let name = encode_value(name);
        let value = encode_value(value.as_ref()).into_owned();
        match self.pairs.iter().position(|(n, _)| *n == name) {
            Some(index) => {
                self.pairs[index].1 = value;
                let mut i = 0;
                self.pairs.retain(|(n, _)| {
                    let keep = i <= index || *n != name;
                    i += 1;
                    keep
                });
            }
            None => self.pairs.push((name.into_owned(), value)),
        }
        self
    }

    /// Removes every pair named `name`.
    pub fn remove(&mut self, name: &str) -> &mut Self {
        let name = encode_value(name);
        self.pairs.retain(|(n, _)| *n != name);
        self
    }

    /// The (encoded) value of the first pair named `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        let name = encode_value(name);
        self.pairs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The number of pairs.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// The (encoded) pairs, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
}

impl fmt::Display for QueryString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (name, value)) in self.pairs.iter().enumerate() {
            if i > 0 {
                f.write_str("&")?;
            }
            write!(f, "{name}={value}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for QueryString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "QueryString({self})")
    }
}

/// Joins OData list items (`$select`, `$expand`, `$orderby`) with `,`.
pub(crate) fn join_list<I>(items: I) -> String
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(item.as_ref());
    }
    out
}

/// Marker: the operation supports no OData query options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct NoOptions;

/// Marker: the operation returns a single entity and supports `$select` and
/// `$expand`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ItemOptions;

/// Marker: the operation returns a collection and supports `$select`,
/// `$expand`, `$filter`, `$orderby`, `$top`, `$skip`, `$count` and `$search`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CollectionOptions;

/// Implemented by option markers that allow `$select` and `$expand`.
pub trait SelectExpand {}

/// Implemented by option markers that allow the collection options
/// (`$filter`, `$orderby`, `$top`, `$skip`, `$count`, `$search`).
pub trait CollectionQuery: SelectExpand {}

impl SelectExpand for ItemOptions {}
impl SelectExpand for CollectionOptions {}
impl CollectionQuery for CollectionOptions {}

/// How an object-valued query parameter is written (OpenAPI `style`/`explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectStyle {
    /// `style: form`: with `explode`, each property is its own parameter (`a=1&b=2`);
    /// without, one parameter lists keys and values (`name=a,1,b,2`).
    Form {
        /// One parameter per property.
        explode: bool,
    },
    /// `style: deepObject`: `name[a]=1&name[b][c]=2`.
    DeepObject,
}

/// A parameter value as the text a path segment, header, cookie or query value carries: a
/// string as itself (no JSON quotes: a `oneOf` of string formats is still a string), a number
/// or boolean as written, `null` as nothing, an object or array as JSON.
///
/// ```
/// use apigen_runtime::query::text;
///
/// #[derive(serde::Serialize)]
/// #[serde(untagged)]
/// enum Address { V4(String), V6(String) }
///
/// assert_eq!(text(&Address::V4("192.0.2.1".into())), "192.0.2.1");
/// assert_eq!(text(&7), "7");
/// assert_eq!(text(&serde_json::json!({"a": 1})), r#"{"a":1}"#);
/// ```
pub fn text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Null) | Err(_) => String::new(),
        Ok(other) => other.to_string(),
    }
}

/// The query pairs of an object-valued parameter. Scalars are written as text, `null`s are
/// skipped, arrays repeat the name (deepObject) or are comma-joined (form), and anything deeper
/// than form style can express is written as JSON.
pub fn object_pairs(
    name: &str,
    value: &serde_json::Value,
    style: ObjectStyle,
) -> Vec<(String, String)> {
    use serde_json::Value;
    fn scalar(v: &Value) -> Option<String> {
        match v {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            Value::Bool(_) | Value::Number(_) => Some(v.to_string()),
            other => Some(other.to_string()),
        }
    }
    /// `key=value`, or one `key=item` per item of an array.
    fn repeated(key: &str, v: &Value, out: &mut Vec<(String, String)>) {
        let items = match v {
            Value::Array(items) => items.as_slice(),
            other => std::slice::from_ref(other),
        };
        out.extend(items.iter().filter_map(scalar).map(|s| (key.to_owned(), s)));
    }
    fn deep(prefix: &str, v: &Value, out: &mut Vec<(String, String)>, depth: usize) {
        match v {
            Value::Object(m) if depth < 32 => {
                for (k, item) in m {
                    deep(&format!("{prefix}[{k}]"), item, out, depth + 1);
                }
            }
            other => repeated(prefix, other, out),
        }
    }
    let mut out = Vec::new();
    match (style, value) {
        (ObjectStyle::DeepObject, v) => deep(name, v, &mut out, 0),
        (ObjectStyle::Form { explode: true }, Value::Object(m)) => {
            for (k, v) in m {
                repeated(k, v, &mut out);
            }
        }
        (ObjectStyle::Form { explode: false }, Value::Object(m)) => {
            let mut parts = Vec::new();
            for (k, v) in m {
                if let Some(s) = scalar(v) {
                    parts.push(k.clone());
                    parts.push(s);
                }
            }
            out.push((name.to_owned(), parts.join(",")));
        }
        (_, other) => {
            if let Some(s) = scalar(other) {
                out.push((name.to_owned(), s));
            }
        }
    }
    out
}
