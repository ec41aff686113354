//! `multipart/form-data` bodies.
//!
//! ```
//! use apigen_runtime::multipart::Form;
//!
//! let form = Form::new()
//!     .text("description", "holiday photo")
//!     .file("photo", "beach.jpg", "image/jpeg", vec![0xFF, 0xD8, 0xFF]);
//! let (content_type, body) = form.encode();
//! assert!(content_type.starts_with("multipart/form-data; boundary="));
//! assert!(body.windows(11).any(|w| w == b"description"));
//! ```

use bytes::{BufMut, Bytes, BytesMut};
use serde::Serialize;

/// One part of a form.
#[derive(Clone, PartialEq, Eq)]
pub struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Bytes,
}

impl std::fmt::Debug for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Part")
            .field("name", &self.name)
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("len", &self.data.len())
            .finish()
    }
}

/// A `multipart/form-data` body, built part by part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    parts: Vec<Part>,
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            name: name.into(),
            filename: None,
            content_type: None,
            data: Bytes::from(value.into()),
        });
        self
    }

    /// Adds a file: bytes with a file name and a content type.
    pub fn file(
        mut self,
        name: impl Into<String>,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> Self {
        self.parts.push(Part {
            name: name.into(),
            filename: Some(filename.into()),
            content_type: Some(content_type.into()),
            data: data.into(),
        });
        self
    }

    /// Adds a field holding `value` as JSON (`Content-Type: application/json`): for objects,
    /// or a part the API description says is JSON. A string is written in quotes; for
    /// OpenAPI's default encoding of any value, see [`value`](Self::value).
    ///
    /// # Errors
    ///
    /// The serialization error, when `value` cannot be written as JSON.
    pub fn json<T: Serialize + ?Sized>(
        mut self,
        name: impl Into<String>,
        value: &T,
    ) -> serde_json::Result<Self> {
        let data = serde_json::to_vec(value)?;
        self.parts.push(Part {
            name: name.into(),
            filename: None,
            content_type: Some("application/json".to_owned()),
            data: data.into(),
        });
        Ok(self)
    }

    /// Adds a field by OpenAPI's default encoding of its value (the Encoding Object's default
    /// `contentType`), decided by the JSON form of `value`:
    ///
    /// - a string, number or boolean (an enum or an alias of one too) is its text, without
    ///   quotes, as a text field (`text/plain`, the default of a form field, so no
    ///   `Content-Type` is written);
    /// - an object is JSON (`Content-Type: application/json`);
    /// - an array is one part per item, each by these rules (an array in an array is JSON);
    /// - `null` (or `None`) adds nothing.
    ///
    /// ```
    /// use apigen_runtime::multipart::Form;
    ///
    /// #[derive(serde::Serialize)]
    /// enum Size {
    ///     #[serde(rename = "512x512")]
    ///     Medium,
    /// }
    ///
    /// let form = Form::new()
    ///     .value("size", &Size::Medium)?
    ///     .value("n", &2)?
    ///     .value("tags", &["a", "b"])?
    ///     .value("meta", &serde_json::json!({"source": "camera"}))?;
    /// let (_, body) = form.encode();
    /// let body = String::from_utf8(body.to_vec()).unwrap();
    /// assert!(body.contains("name=\"size\"\r\n\r\n512x512\r\n"));
    /// assert!(body.contains("name=\"n\"\r\n\r\n2\r\n"));
    /// assert!(body.contains("name=\"tags\"\r\n\r\nb\r\n"));
    /// assert!(body.contains("name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"source\":\"camera\"}\r\n"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The serialization error, when `value` cannot be written as JSON.
    pub fn value<T: Serialize + ?Sized>(
        mut self,
        name: impl Into<String>,
        value: &T,
    ) -> serde_json::Result<Self> {
        let name = name.into();
        match serde_json::to_value(value)? {
            serde_json::Value::Array(items) => {
                for item in items {
                    self = match item {
                        serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
                            let data = serde_json::to_vec(&item)?;
                            self.part(name.clone(), "application/json", data)
                        }
                        scalar => match scalar_text(scalar) {
                            Some(text) => self.text(name.clone(), text),
                            None => self,
                        },
                    };
                }
                Ok(self)
            }
            // Straight from `value`, so properties keep their order.
            serde_json::Value::Object(_) => self.json(name, value),
            scalar => Ok(match scalar_text(scalar) {
                Some(text) => self.text(name, text),
                None => self,
            }),
        }
    }

    /// Adds a field of `content_type` holding `data` as it is (a part whose media type the
    /// API description sets, such as `text/csv` or `application/xml`).
    pub fn part(
        mut self,
        name: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> Self {
        self.parts.push(Part {
            name: name.into(),
            filename: None,
            content_type: Some(content_type.into()),
            data: data.into(),
        });
        self
    }

    /// The `Content-Type` header (with a fresh boundary) and the encoded body.
    pub fn encode(&self) -> (String, Bytes) {
        let boundary = format!("apigen-{}", uuid::Uuid::new_v4().simple());
        let mut out = BytesMut::new();
        for part in &self.parts {
            out.put_slice(b"--");
            out.put_slice(boundary.as_bytes());
            out.put_slice(b"\r\nContent-Disposition: form-data; name=\"");
            out.put_slice(quoted(&part.name).as_bytes());
            out.put_slice(b"\"");
            if let Some(f) = &part.filename {
                out.put_slice(b"; filename=\"");
                out.put_slice(quoted(f).as_bytes());
                out.put_slice(b"\"");
            }
            out.put_slice(b"\r\n");
            if let Some(ct) = &part.content_type {
                out.put_slice(b"Content-Type: ");
                out.put_slice(single_line(ct).as_bytes());
                out.put_slice(b"\r\n");
            }
            out.put_slice(b"\r\n");
            out.put_slice(&part.data);
            out.put_slice(b"\r\n");
        }
        out.put_slice(b"--");
        out.put_slice(boundary.as_bytes());
        out.put_slice(b"--\r\n");
        (
            format!("multipart/form-data; boundary={boundary}"),
            out.freeze(),
        )
    }
}

/// The text of a JSON string, number or boolean; `None` for `null` (and for arrays and objects,
/// which have none).
fn scalar_text(value: serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Null | serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
            None
        }
    }
}

/// A value safe inside a quoted `Content-Disposition` parameter (quotes and line breaks are
/// percent-encoded, as browsers do).
fn quoted(s: &str) -> String {
    s.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn single_line(s: &str) -> String {
    s.chars().filter(|c| *c != '\r' && *c != '\n').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(form: &Form) -> Vec<(&str, Option<&str>, &str)> {
        form.parts
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.content_type.as_deref(),
                    std::str::from_utf8(&p.data).unwrap(),
                )
            })
            .collect()
    }

    #[derive(Serialize)]
    struct Ordered {
        zeta: u8,
        alpha: u8,
    }

    #[test]
    fn values_take_openapis_default_encoding_by_kind() {
        let form = Form::new()
            .value("s", "x y")
            .unwrap()
            .value("f", &1.5)
            .unwrap()
            .value("b", &false)
            .unwrap()
            .value("none", &Option::<u8>::None)
            .unwrap()
            .value("list", &[Some(1), None, Some(2)])
            .unwrap()
            .value("nested", &[vec![1, 2], vec![]])
            .unwrap()
            .value("objects", &[serde_json::json!({"name": "bg"})])
            .unwrap()
            .value("object", &Ordered { zeta: 1, alpha: 2 })
            .unwrap();
        assert_eq!(
            summary(&form),
            [
                ("s", None, "x y"),
                ("f", None, "1.5"),
                ("b", None, "false"),
                ("list", None, "1"),
                ("list", None, "2"),
                ("nested", Some("application/json"), "[1,2]"),
                ("nested", Some("application/json"), "[]"),
                ("objects", Some("application/json"), r#"{"name":"bg"}"#),
                // A whole object keeps its properties' order.
                (
                    "object",
                    Some("application/json"),
                    r#"{"zeta":1,"alpha":2}"#
                ),
            ]
        );
    }

    #[test]
    fn parts_keep_their_bytes_and_media_type() {
        let form = Form::new().part("doc", "application/xml", "<a/>");
        assert_eq!(summary(&form), [("doc", Some("application/xml"), "<a/>")]);
        let (_, body) = form.encode();
        let body = String::from_utf8(body.to_vec()).unwrap();
        assert!(body.contains("name=\"doc\"\r\nContent-Type: application/xml\r\n\r\n<a/>\r\n"));
    }
}
