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

/// Fills the parameters of a path template such as
/// `/users/{user-id}/messages/{message-id}` (as written in the API
/// description) with `params` (`(name, value)` pairs).
///
/// Each `{name}` is replaced by its value encoded with [`segment`]; a
/// parameter in quotes, `'{name}'`, is an OData string literal and is replaced
/// (quotes included) by [`odata_key_literal`], so an empty value is allowed
/// there. A placeholder without a value in `params` is kept as it is.
///
/// ```
/// use apigen_runtime::path::expand;
///
/// # fn main() -> apigen_runtime::Result<()> {
/// assert_eq!(
///     expand("/users/{user-id}/messages/{id}", &[("user-id", "a/b"), ("id", "m1")])?,
///     "/users/a%2Fb/messages/m1"
/// );
/// assert_eq!(
///     expand("/drive/root:/{path}:/content(on='{on}')", &[("path", "x"), ("on", "O'Neil")])?,
///     "/drive/root:/x:/content(on='O''Neil')"
/// );
/// assert!(expand("/users/{id}", &[("id", "..")]).is_err());
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// [`Error::InvalidPathParameter`] when an unquoted parameter is empty or a
/// dot-segment (see [`segment`]).
pub fn expand(template: &str, params: &[(&str, &str)]) -> Result<String> {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        let after = &rest[start + len + 1..];
        let Some(&(_, value)) = params.iter().find(|(n, _)| *n == name) else {
            out.push_str(&rest[..start + len + 1]);
            rest = after;
            continue;
        };
        let quoted = rest[..start].ends_with('\'') && after.starts_with('\'');
        if quoted {
            out.push_str(&rest[..start - 1]);
            out.push_str(&odata_key_literal(value));
            rest = &after[1..];
        } else {
            out.push_str(&rest[..start]);
            out.push_str(&segment(name, value)?);
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(out)
}
