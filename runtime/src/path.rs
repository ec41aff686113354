//! Safe construction of request paths from parameters.
//!
//! Generated code builds paths such as `/users/{id}/messages` by encoding each
//! parameter with [`segment`], so that a parameter value can never change
//! which resource is requested: `/`, `?`, `#`, `%` and `\` are always
//! percent-encoded, and the dot-segments `.` and `..` are rejected.
//!
//! ```
//! use apigen_runtime::path;
//!
//! # fn main() -> apigen_runtime::Result<()> {
//! let id = "a/../b";
//! let p = format!("/items/{}", path::segment("id", id)?);
//! assert_eq!(p, "/items/a%2F..%2Fb");
//! # Ok(())
//! # }
//! ```

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::error::{Error, Result};

/// Characters [`segment`] encodes: everything but unreserved characters and
/// `' ( ) , = : @`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// Percent-encodes `value` as one path segment.
///
/// Left as they are: the unreserved characters `A-Z a-z 0-9 - . _ ~` and
/// `' ( ) , = : @` (so OData keys like `('x')` and function parameters like
/// `(on='target')` stay readable). Everything else is encoded as UTF-8,
/// including `/`, `?`, `#`, `%`, space, `\` and non-ASCII characters.
///
/// # Errors
///
/// [`Error::InvalidPathParameter`] naming `name` when `value` is empty, `.` or
/// `..`: an empty segment or a dot-segment would change the request path (URL
/// parsers resolve `.`, `..` and their encodings such as `%2e`).
///
/// ```
/// use apigen_runtime::{Error, path::segment};
///
/// assert_eq!(segment("id", "x?y#z").unwrap(), "x%3Fy%23z");
/// assert_eq!(segment("id", "100%").unwrap(), "100%25");
/// assert_eq!(segment("id", "é").unwrap(), "%C3%A9");
/// assert!(matches!(segment("id", ".."), Err(Error::InvalidPathParameter { .. })));
/// ```
pub fn segment(name: &str, value: &str) -> Result<String> {
    let reason = match value {
        "" => Some("must not be empty"),
        "." | ".." => Some("must not be a dot-segment (`.` or `..`)"),
        _ => None,
    };
    if let Some(reason) = reason {
        return Err(Error::InvalidPathParameter {
            name: name.to_owned(),
            reason: reason.to_owned(),
        });
    }
    Ok(encode(value))
}

fn encode(value: &str) -> String {
    utf8_percent_encode(value, SEGMENT).to_string()
}

/// Formats `value` as a quoted OData literal for a key or function parameter
/// (`'` doubled, wrapped in `'`), percent-encoded by the [`segment`] rules.
///
/// The result is never empty nor a dot-segment, so this cannot fail.
///
/// ```
/// use apigen_runtime::path::odata_key_literal;
///
/// assert_eq!(
///     format!("/filterByCurrentUser(on={})", odata_key_literal("target")),
///     "/filterByCurrentUser(on='target')"
/// );
/// assert_eq!(odata_key_literal("O'Neil/x"), "'O''Neil%2Fx'");
/// ```
pub fn odata_key_literal(value: &str) -> String {
    encode(&crate::query::odata_string_literal(value))
}
