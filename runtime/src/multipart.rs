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

    /// Adds a field holding `value` as JSON (`Content-Type: application/json`).
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
