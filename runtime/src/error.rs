//! The [`Error`] type returned by every fallible operation of this crate.
//!
//! Errors never contain the access token: the `Authorization` header is not
//! recorded anywhere, and only *response* headers are kept.

use std::fmt;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use crate::odata::ODataError;

/// A boxed, thread-safe error, used for errors coming from user-supplied code
/// (token credentials, middlewares).
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// `Result` with this crate's [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while building or executing a request.
#[non_exhaustive]
#[derive(Debug)]
pub enum Error {
    /// The HTTP request could not be sent or its response could not be read
    /// (DNS, connect, TLS, timeout, connection reset, ...). Never retried.
    Transport {
        /// The underlying `reqwest` error.
        source: reqwest::Error,
        /// The `client-request-id` header that was sent, if any.
        client_request_id: Option<String>,
    },
    /// The server answered with a non-success status (after any retries).
    Status(Box<StatusError>),
    /// The server answered with a success status but the body could not be
    /// decoded into the expected type.
    Decode(Box<DecodeError>),
    /// The request body could not be serialized.
    Encode(serde_json::Error),
    /// The token credential failed to produce an access token, or produced
    /// one that cannot be sent in an HTTP header.
    Auth(BoxError),
    /// The base URL given to [`ClientBuilder`](crate::ClientBuilder) is
    /// missing, malformed or not allowed (e.g. `http://` to a remote host).
    InvalidBaseUrl {
        /// The rejected URL.
        url: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A header name or value is not valid HTTP.
    InvalidHeader {
        /// The header name (the value is never reported: it might be secret).
        name: String,
    },
    /// A path parameter cannot be safely put into the request path (see
    /// [`path::segment`](crate::path::segment)).
    InvalidPathParameter {
        /// The name of the parameter.
        name: String,
        /// Why it was rejected.
        reason: String,
    },
    /// The full request URL (base URL + path + query) is not a valid URL or
    /// does not stay on the base URL's origin.
    InvalidRequestUrl {
        /// The rejected URL.
        url: String,
        /// Why it was rejected.
        reason: String,
    },
    /// An `@odata.nextLink` points to another origin (scheme, host, port)
    /// than the client's base URL, or is not a valid URL. It is not followed
    /// so that the access token is never sent to a server chosen by a
    /// response body.
    UnexpectedNextLink {
        /// The rejected link.
        url: String,
    },
    /// An `@odata.nextLink` leads back to a page already read (the page that
    /// contained it, or an earlier one); following it would loop forever.
    RepeatedNextLink {
        /// The repeated link.
        url: String,
    },
    /// A [middleware](crate::middleware::Middleware) failed.
    Middleware(BoxError),
    /// An upload slice size that is not a multiple of 320 KiB under 60 MiB
    /// (see [`upload`](crate::upload)).
    InvalidUploadSlice {
        /// The rejected size, in bytes.
        size: usize,
    },
    /// A batch cannot be sent as asked (a `dependsOn` on a request not in it,
    /// more than 20 linked requests) or its answer misses a request (see
    /// [`batch`](crate::batch)).
    InvalidBatch(String),
    /// A resumable upload could not go on (the file could not be read, or the
    /// service asked for bytes that cannot be sent again).
    Upload(String),
    /// A page of a collection breaks OData's paging rules: both an
    /// `@odata.nextLink` and an `@odata.deltaLink`, or the end of a delta
    /// query without a delta link.
    InvalidPage {
        /// The URL of the page (or the last next link).
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A long-running operation ended in failure (its monitor said `failed`;
    /// see [`lro`](crate::lro)).
    OperationFailed {
        /// The status the monitor reported (`failed`, `deleteFailed`...).
        status: String,
        /// The monitor's `error.message` or `statusDescription`, when given.
        message: Option<String>,
    },
    /// A long-running operation was not done within the time budget of
    /// [`Wait`](crate::lro::Wait).
    OperationTimedOut {
        /// The monitor URL, to check on it later.
        monitor: String,
        /// The last progress the monitor reported.
        last: Option<crate::lro::Progress>,
    },
}

impl Error {
    /// The HTTP status of the response, for [`Error::Status`] and
    /// [`Error::Decode`].
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Status(e) => Some(e.status()),
            Error::Decode(e) => Some(e.status()),
            Error::Transport { source, .. } => source.status(),
            _ => None,
        }
    }

    /// The decoded OData error body of an [`Error::Status`], if the body was
    /// one.
    pub fn odata_error(&self) -> Option<&ODataError> {
        match self {
            Error::Status(e) => e.odata_error(),
            _ => None,
        }
    }

    /// The OData error code (`error.code`) of an [`Error::Status`].
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Status(e) => e.code(),
            _ => None,
        }
    }

    /// The `client-request-id` of the failed request, when known.
    pub fn client_request_id(&self) -> Option<&str> {
        match self {
            Error::Status(e) => e.client_request_id(),
            Error::Decode(e) => e.client_request_id(),
            Error::Transport {
                client_request_id, ..
            } => client_request_id.as_deref(),
            _ => None,
        }
    }

    /// Whether the server throttled the request: status `429 Too Many
    /// Requests`, or `503 Service Unavailable` with a `Retry-After` header.
    pub fn is_throttled(&self) -> bool {
        match self {
            Error::Status(e) => {
                e.status() == StatusCode::TOO_MANY_REQUESTS
                    || (e.status() == StatusCode::SERVICE_UNAVAILABLE
                        && e.headers().contains_key(reqwest::header::RETRY_AFTER))
            }
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport {
                client_request_id, ..
            } => {
                f.write_str("error sending HTTP request")?;
                if let Some(id) = client_request_id {
                    write!(f, " (client-request-id: {id})")?;
                }
                Ok(())
            }
            Error::Status(e) => fmt::Display::fmt(e, f),
            Error::Decode(e) => fmt::Display::fmt(e, f),
            Error::Encode(e) => write!(f, "failed to serialize the request body: {e}"),
            Error::Auth(_) => f.write_str("failed to obtain an access token"),
            Error::InvalidBaseUrl { url, reason } => {
                write!(f, "invalid base URL `{url}`: {reason}")
            }
            Error::InvalidHeader { name } => write!(f, "invalid HTTP header `{name}`"),
            Error::InvalidPathParameter { name, reason } => {
                write!(f, "invalid path parameter `{name}`: {reason}")
            }
            Error::InvalidRequestUrl { url, reason } => {
                write!(f, "invalid request URL `{url}`: {reason}")
            }
            Error::UnexpectedNextLink { url } => write!(
                f,
                "refusing to follow @odata.nextLink `{url}`: it is not a URL on the client's origin"
            ),
            Error::RepeatedNextLink { url } => write!(
                f,
                "@odata.nextLink `{url}` repeats the current page's URL; stopping to avoid an endless loop"
            ),
            Error::Middleware(_) => f.write_str("middleware failed"),
            Error::InvalidPage { url, reason } => write!(f, "invalid page `{url}`: {reason}"),
            Error::InvalidUploadSlice { size } => write!(
                f,
                "an upload slice of {size} bytes is not a multiple of 320 KiB under 60 MiB"
            ),
            Error::Upload(reason) => write!(f, "the upload failed: {reason}"),
            Error::InvalidBatch(reason) => write!(f, "invalid batch: {reason}"),
            Error::OperationFailed { status, message } => {
                write!(f, "the long-running operation ended `{status}`")?;
                match message {
                    Some(m) => write!(f, ": {m}"),
                    None => Ok(()),
                }
            }
            Error::OperationTimedOut { monitor, last } => {
                write!(
                    f,
                    "the long-running operation at `{monitor}` was not done in time"
                )?;
                match last {
                    Some(p) => write!(f, " (last status `{}`)", p.status),
                    None => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Encode(e) => Some(e),
            Error::Auth(e) | Error::Middleware(e) => Some(&**e),
            _ => None,
        }
    }
}

impl From<StatusError> for Error {
    fn from(e: StatusError) -> Self {
        Error::Status(Box::new(e))
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Decode(Box::new(e))
    }
}

/// How many bytes of a body `Debug` shows.
const BODY_PREVIEW: usize = 1024;

/// `Debug` helper printing a body as (lossy, truncated) text.
struct BodyPreview<'a>(&'a [u8]);

impl fmt::Debug for BodyPreview<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = &self.0[..self.0.len().min(BODY_PREVIEW)];
        let text = String::from_utf8_lossy(shown);
        if shown.len() < self.0.len() {
            write!(f, "{text:?}... ({} bytes)", self.0.len())
        } else {
            write!(f, "{text:?}")
        }
    }
}

/// A non-success HTTP response (see [`Error::Status`]).
///
/// The raw body is always kept; when it is an OData error body
/// (`{"error": {"code": ..., "message": ...}}`) it is also decoded.
pub struct StatusError {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) odata: Option<ODataError>,
    pub(crate) method: Method,
    pub(crate) url: String,
    pub(crate) client_request_id: Option<String>,
    pub(crate) attempts: u32,
}

impl StatusError {
    /// Builds a status error; tries to decode `body` as an OData error.
    pub fn new(
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        method: Method,
        url: impl Into<String>,
        client_request_id: Option<String>,
        attempts: u32,
    ) -> Self {
        let odata = serde_json::from_slice::<ODataError>(&body).ok();
        StatusError {
            status,
            headers,
            body,
            odata,
            method,
            url: url.into(),
            client_request_id,
            attempts,
        }
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw response body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Decodes the body as JSON of the error type the API description gives for this status
    /// (generated operations list them in their docs), e.g. `err.decode_body::<models::Error>()`.
    ///
    /// # Errors
    ///
    /// The JSON error when the body is not such a value.
    pub fn decode_body<T: serde::de::DeserializeOwned>(&self) -> serde_json::Result<T> {
        serde_json::from_slice(&self.body)
    }

    /// The decoded OData error, if the body was one.
    pub fn odata_error(&self) -> Option<&ODataError> {
        self.odata.as_ref()
    }

    /// The OData error code (`error.code`), if present and non-empty.
    pub fn code(&self) -> Option<&str> {
        self.odata
            .as_ref()
            .map(|e| e.error.code.as_str())
            .filter(|s| !s.is_empty())
    }

    /// The OData error message (`error.message`), if present and non-empty.
    pub fn message(&self) -> Option<&str> {
        self.odata
            .as_ref()
            .map(|e| e.error.message.as_str())
            .filter(|s| !s.is_empty())
    }

    /// The server's request id: `error.innerError.request-id`, else the
    /// `request-id` response header.
    pub fn request_id(&self) -> Option<&str> {
        self.odata
            .as_ref()
            .and_then(|e| e.error.inner_error.as_ref())
            .and_then(|i| i.request_id.as_deref())
            .or_else(|| self.headers.get("request-id").and_then(|v| v.to_str().ok()))
    }

    /// The `client-request-id` that was sent, else the one reported in
    /// `error.innerError.client-request-id`.
    pub fn client_request_id(&self) -> Option<&str> {
        self.client_request_id.as_deref().or_else(|| {
            self.odata
                .as_ref()
                .and_then(|e| e.error.inner_error.as_ref())
                .and_then(|i| i.client_request_id.as_deref())
        })
    }

    /// The delay requested by the `Retry-After` response header (seconds or
    /// HTTP date, relative to now).
    pub fn retry_after(&self) -> Option<Duration> {
        crate::retry::retry_after(&self.headers, SystemTime::now())
    }

    /// The request method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The request URL (including the query string).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// How many attempts were made (more than 1 when the request was retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Debug for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StatusError")
            .field("status", &self.status)
            .field("method", &self.method)
            .field("url", &self.url)
            .field("code", &self.code())
            .field("message", &self.message())
            .field("request_id", &self.request_id())
            .field("client_request_id", &self.client_request_id())
            .field("attempts", &self.attempts)
            .field("headers", &self.headers)
            .field("body", &BodyPreview(&self.body))
            .finish()
    }
}

impl fmt::Display for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        match (self.code(), self.message()) {
            (Some(code), Some(message)) => write!(f, ": {code}: {message}")?,
            (Some(s), None) | (None, Some(s)) => write!(f, ": {s}")?,
            (None, None) => {}
        }
        let ids = [
            ("request-id", self.request_id()),
            ("client-request-id", self.client_request_id()),
        ];
        let mut first = true;
        for (label, value) in ids {
            if let Some(value) = value {
                f.write_str(if first { " (" } else { ", " })?;
                write!(f, "{label}: {value}")?;
                first = false;
            }
        }
        if !first {
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl std::error::Error for StatusError {}

/// A success response whose body could not be decoded (see
/// [`Error::Decode`]).
pub struct DecodeError {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) url: String,
    pub(crate) client_request_id: Option<String>,
    pub(crate) path: String,
    pub(crate) message: String,
}

impl DecodeError {
    /// Builds a decode error for the response described by `meta`.
    ///
    /// `path` is the JSON path of the failing value (`.` for the root).
    pub fn new(
        meta: &crate::decode::ResponseMeta,
        body: Bytes,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        DecodeError {
            status: meta.status,
            headers: meta.headers.clone(),
            body,
            url: meta.url.clone(),
            client_request_id: meta.client_request_id.clone(),
            path: path.into(),
            message: message.into(),
        }
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw response body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The response URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The `client-request-id` that was sent.
    pub fn client_request_id(&self) -> Option<&str> {
        self.client_request_id.as_deref()
    }

    /// The JSON path of the value that failed to decode, such as
    /// `value[0].createdDateTime`; `.` when the failure is at the root.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The decoder's error message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status)
            .field("url", &self.url)
            .field("path", &self.path)
            .field("message", &self.message)
            .field("client_request_id", &self.client_request_id)
            .field("headers", &self.headers)
            .field("body", &BodyPreview(&self.body))
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "failed to decode the response body (HTTP {}) at `{}`: {}",
            self.status, self.path, self.message
        )
    }
}

impl std::error::Error for DecodeError {}
