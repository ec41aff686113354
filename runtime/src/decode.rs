//! Decoders for success (2xx) response bodies.
//!
//! A generated operation passes one of these functions (as a [`DecodeFn`]) to
//! [`Client::request`](crate::Client::request); it is called with the
//! response metadata and the complete body.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{DecodeError, Error, Result};

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
pub fn json<T: DeserializeOwned>(meta: &ResponseMeta, body: Bytes) -> Result<T> {
    let mut de = serde_json::Deserializer::from_slice(&body);
    let failure = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        // Reject trailing characters like `serde_json::from_slice` does.
        Ok(value) => match de.end() {
            Ok(()) => return Ok(value),
            Err(e) => (".".to_owned(), e.to_string()),
        },
        Err(err) => (err.path().to_string(), err.into_inner().to_string()),
    };
    let (path, message) = failure;
    Err(DecodeError::new(meta, body, path, message).into())
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
pub fn odata_value<T: DeserializeOwned>(meta: &ResponseMeta, body: Bytes) -> Result<T> {
    #[derive(serde::Deserialize)]
    struct Wrapper<T> {
        value: T,
    }
    json::<Wrapper<T>>(meta, body).map(|w| w.value)
}

/// Decodes a JSON body that some statuses of the operation leave empty (`204 No Content`):
/// `None` for an empty body.
///
/// # Errors
///
/// [`Error::Decode`] as for [`json`].
pub fn json_optional<T: DeserializeOwned>(meta: &ResponseMeta, body: Bytes) -> Result<Option<T>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    json(meta, body).map(Some)
}
