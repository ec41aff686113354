//! Decoders for success (2xx) response bodies.
//!
//! A generated operation passes one of these functions (as a [`DecodeFn`]) to
//! [`Client::request`](crate::Client::request); it is called with the
//! response metadata and the complete body.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::error::{DecodeError, Error, Result};
use crate::json::FromJson;

/// Decodes a success response body into `T`.
pub type DecodeFn<T> = fn(&ResponseMeta, Bytes) -> Result<T>;

/// Metadata of the response being decoded.
#[derive(Debug, Clone)]
pub struct ResponseMeta {
    /// The response status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The URL of the response (after redirects).
    pub url: String,
    /// The `client-request-id` that was sent.
    pub client_request_id: Option<String>,
}

/// Decodes a JSON body.
///
/// # Errors
///
/// [`Error::Decode`] keeping the raw body and naming the JSON path of the
/// failing value (for example `answers[0].answeredQuestion.isRequired`, or `.`
/// when the body as a whole is wrong).
pub fn json<T: FromJson>(meta: &ResponseMeta, body: Bytes) -> Result<T> {
    let value: crate::json::Json<'_> = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(e) => {
            let message = e.to_string();
            return Err(DecodeError::new(meta, body, ".", message).into());
        }
    };
    match T::from_json(value) {
        Ok(value) => Ok(value),
        Err(e) => {
            // The position of the failing value in the body, where `serde_json` would have
            // put it had it read the type straight from the text.
            let path = e.path();
            let message = match json_path::end_of(&body, &path) {
                Some((line, column)) => format!("{} at line {line} column {column}", e.message()),
                None => e.message().to_owned(),
            };
            Err(DecodeError::new(meta, body, path, message).into())
        }
    }
}

/// Ignores the body (for operations without a response body, such as
/// `204 No Content`).
pub fn empty(_meta: &ResponseMeta, _body: Bytes) -> Result<()> {
    Ok(())
}

/// Decodes a UTF-8 text body.
///
/// # Errors
///
/// [`Error::Decode`] (keeping the raw bytes) when the body is not valid
/// UTF-8; it is never decoded lossily.
pub fn text(meta: &ResponseMeta, body: Bytes) -> Result<String> {
    match std::str::from_utf8(&body) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => Err(Error::from(DecodeError::new(
            meta,
            body.clone(),
            ".",
            format!("the response body is not valid UTF-8: {e}"),
        ))),
    }
}

/// Returns the raw body.
pub fn bytes(_meta: &ResponseMeta, body: Bytes) -> Result<Bytes> {
    Ok(body)
}

/// Decodes an OData value wrapper, `{"value": ...}`, and returns what is inside: how OData
/// returns primitive values and the results of actions that return collections.
///
/// # Errors
///
/// [`Error::Decode`] as for [`json`], with paths starting at `value`.
///
/// ```
/// # use apigen_runtime::decode::{odata_value, ResponseMeta};
/// # let meta = ResponseMeta { status: apigen_runtime::StatusCode::OK, headers: Default::default(), url: String::new(), client_request_id: None };
/// let n: i64 = odata_value(&meta, r#"{"@odata.context":"x","value":42}"#.into()).unwrap();
/// assert_eq!(n, 42);
/// ```
pub fn odata_value<T: FromJson>(meta: &ResponseMeta, body: Bytes) -> Result<T> {
    json::<ValueWrapper<T>>(meta, body).map(|w| w.0)
}

/// The `value` of an OData value wrapper.
struct ValueWrapper<T>(T);

impl<T: FromJson> FromJson for ValueWrapper<T> {
    fn from_json(
        value: crate::json::Json<'_>,
    ) -> std::result::Result<Self, crate::json::JsonError> {
        let mut slot = None;
        crate::model::read(
            value,
            "a value wrapper",
            &mut [("value", &mut slot)],
            &mut (),
        )?;
        crate::model::required(slot, "value").map(ValueWrapper)
    }
}

/// Decodes a JSON body that some statuses of the operation leave empty (`204 No Content`), or
/// that may be `null`: `None` for an empty body and for `null`.
///
/// # Errors
///
/// [`Error::Decode`] as for [`json`].
pub fn json_optional<T: FromJson>(meta: &ResponseMeta, body: Bytes) -> Result<Option<T>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    json::<Option<T>>(meta, body)
}

/// Finding a value in a JSON text by its path.
mod json_path {
    /// `inner` appended to `outer` (`.` is the empty path): `a` and `b[0]` give `a.b[0]`, `a`
    /// and `[0]` give `a[0]`.
    fn join_path(outer: &str, inner: &str) -> String {
        match (outer, inner) {
            (_, ".") => outer.to_owned(),
            (".", _) => inner.to_owned(),
            _ if inner.starts_with('[') => format!("{outer}{inner}"),
            _ => format!("{outer}.{inner}"),
        }
    }

    /// The line and column (as `serde_json` counts them) of the last byte of the first value
    /// in `body` whose path, written as [`JsonError::path`](crate::json::JsonError::path) writes paths, is `path`; `None`
    /// when there is none, or the text is not JSON as far as the search goes.
    pub(super) fn end_of(body: &[u8], path: &str) -> Option<(usize, usize)> {
        let mut text = Text { bytes: body, at: 0 };
        let end = text.find(path, ".", 0)?;
        let before = &body[..end];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count();
        Some((line, column))
    }

    struct Text<'a> {
        bytes: &'a [u8],
        at: usize,
    }

    impl Text<'_> {
        fn peek(&mut self) -> Option<u8> {
            while let Some(&b) = self.bytes.get(self.at) {
                if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                    return Some(b);
                }
                self.at += 1;
            }
            None
        }

        fn eat(&mut self, byte: u8) -> Option<()> {
            (self.peek()? == byte).then(|| self.at += 1)
        }

        /// The end of the value at `target` when it is the value here (at path `here`, at
        /// nesting `depth`) or inside it; else skips this value and gives `None`.
        fn find(&mut self, target: &str, here: &str, depth: usize) -> Option<usize> {
            if here == target {
                self.skip()?;
                return Some(self.at);
            }
            // `serde_json` reads no deeper than 128 levels, so no value it failed on is.
            if depth > 128 {
                return None;
            }
            let object = match self.peek()? {
                b'{' => true,
                b'[' => false,
                _ => {
                    self.skip()?;
                    return None;
                }
            };
            let close = if object { b'}' } else { b']' };
            self.at += 1;
            if self.eat(close).is_some() {
                return None;
            }
            for index in 0.. {
                // Each member: looked into when the target is it or inside it, else skipped.
                let child = if object {
                    let key = self.string()?;
                    self.eat(b':')?;
                    join_path(here, &key)
                } else {
                    join_path(here, &format!("[{index}]"))
                };
                let inside = target == child
                    || target
                        .strip_prefix(child.as_str())
                        .is_some_and(|rest| rest.starts_with(['.', '[']));
                if inside {
                    if let Some(end) = self.find(target, &child, depth + 1) {
                        return Some(end);
                    }
                } else {
                    self.skip()?;
                }
                match self.peek()? {
                    b',' => self.at += 1,
                    b if b == close => {
                        self.at += 1;
                        return None;
                    }
                    _ => return None,
                }
            }
            None
        }

        /// A string, unescaped.
        fn string(&mut self) -> Option<String> {
            let start = self.at;
            self.skip_string()?;
            serde_json::from_slice(&self.bytes[start..self.at]).ok()
        }

        fn skip_string(&mut self) -> Option<()> {
            self.eat(b'"')?;
            loop {
                match *self.bytes.get(self.at)? {
                    b'"' => {
                        self.at += 1;
                        return Some(());
                    }
                    b'\\' => self.at += 2,
                    _ => self.at += 1,
                }
            }
        }

        /// Skips one value (without recursion: any depth is fine).
        fn skip(&mut self) -> Option<()> {
            let mut depth = 0usize;
            loop {
                match self.peek()? {
                    b'"' => self.skip_string()?,
                    b'{' | b'[' => {
                        depth += 1;
                        self.at += 1;
                    }
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        self.at += 1;
                    }
                    b',' | b':' if depth > 0 => self.at += 1,
                    _ => {
                        // A number or a literal: up to the next delimiter.
                        let len = self.bytes[self.at..]
                            .iter()
                            .position(|b| b",:]} \t\n\r".contains(b))
                            .unwrap_or(self.bytes.len() - self.at);
                        if len == 0 {
                            return None;
                        }
                        self.at += len;
                    }
                }
                if depth == 0 {
                    return Some(());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::json_path::end_of;

    /// Line and column of the last byte of `needle`, which occurs once in `text`.
    fn end(text: &str, needle: &str) -> Option<(usize, usize)> {
        assert_eq!(text.matches(needle).count(), 1, "{needle} in {text}");
        let before = &text[..text.find(needle).unwrap() + needle.len()];
        let line = before.matches('\n').count() + 1;
        Some((line, before.len() - before.rfind('\n').map_or(0, |i| i + 1)))
    }

    #[test]
    fn values_are_found_by_path() {
        let text = r#"{"a":{"b":[1,{"c":"x"}]}}"#;
        assert_eq!(end_of(text.as_bytes(), "a.b[1].c"), end(text, r#""x""#));
        assert_eq!(end_of(text.as_bytes(), "a.b[0]"), end(text, "1"));
        assert_eq!(end_of(text.as_bytes(), "a.b"), end(text, "]"));
        assert_eq!(end_of(text.as_bytes(), "."), Some((1, text.len())));

        // Delimiters and escapes in strings, dots in keys, escaped keys, lines.
        let text = "{\"s\":\"a\\\"}],:{\" ,\n \"@odata.type\" : \"t\",\"a\\u0062\":\r\n\t[ 2.5e3 , null ]}";
        assert_eq!(end_of(text.as_bytes(), "@odata.type"), end(text, "\"t\""));
        assert_eq!(end_of(text.as_bytes(), "ab[0]"), end(text, "2.5e3"));
        assert_eq!(end_of(text.as_bytes(), "ab[1]"), end(text, "null"));

        // A key that only starts like the path is not gone into; an empty key is a segment.
        let text = r#"{"ab":{"c":1},"a":{"c":22},"":{"c":333}}"#;
        assert_eq!(end_of(text.as_bytes(), "a.c"), end(text, "22"));
        assert_eq!(end_of(text.as_bytes(), ".c"), end(text, "333"));
    }

    #[test]
    fn what_is_not_there_or_not_json_is_none() {
        for (text, path) in [
            (r#"{"a":[1,2]}"#, "a[2]"),
            (r#"{"a":[1,2"#, "a[5]"),
            (r#"{"a" 1}"#, "a"),
            (r#"{"a":"#, "a"),
            ("", "."),
            (r#"{"a":1}}"#, "b"),
            (r#"{"a":"unterminated"#, "a"),
        ] {
            assert_eq!(end_of(text.as_bytes(), path), None, "{path} in {text}");
        }
        // Deeper than anything serde_json reads: given up on, without a deep stack.
        let deep = "[".repeat(100_000);
        let path = "[0]".repeat(100_000);
        assert_eq!(end_of(deep.as_bytes(), &path), None);
        let deep = format!("{}1{}", "{\"\":".repeat(100_000), "}".repeat(100_000));
        assert_eq!(end_of(deep.as_bytes(), &".".repeat(100_000)), None);
    }
}
