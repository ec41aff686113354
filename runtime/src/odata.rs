//! OData / Microsoft Graph error bodies.
//!
//! ```
//! use apigen_runtime::odata::ODataError;
//!
//! let body = r#"{"error":{"code":"invalidRange","message":"Uploaded fragment overlaps with existing data.","innerError":{"request-id":"request-id","date":"date-time"}}}"#;
//! let err: ODataError = serde_json::from_str(body).unwrap();
//! assert_eq!(err.error.code, "invalidRange");
//! let inner = err.error.inner_error.as_ref().unwrap();
//! assert_eq!(inner.request_id.as_deref(), Some("request-id"));
//! assert_eq!(inner.date.as_deref(), Some("date-time"));
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The top-level OData error body: `{"error": {...}}`.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ODataError {
    /// The error.
    pub error: MainError,
}

/// The `error` object of an OData error body.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct MainError {
    /// A service-defined error code, such as `invalidRange`.
    #[serde(default)]
    pub code: String,
    /// A human-readable message.
    #[serde(default)]
    pub message: String,
    /// The target of the error (for example a property name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Further details.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<ErrorDetails>,
    /// Service-specific diagnostics (`innerError`; `innererror` is accepted).
    #[serde(
        rename = "innerError",
        alias = "innererror",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub inner_error: Option<InnerError>,
    /// Any other property.
    #[serde(flatten)]
    pub additional_properties: BTreeMap<String, Value>,
}

/// One entry of [`MainError::details`].
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ErrorDetails {
    /// The detail's error code.
    #[serde(default)]
    pub code: String,
    /// The detail's message.
    #[serde(default)]
    pub message: String,
    /// The detail's target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Any other property.
    #[serde(flatten)]
    pub additional_properties: BTreeMap<String, Value>,
}

/// Microsoft Graph's `innerError` object.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct InnerError {
    /// The server's request id (`request-id`).
    #[serde(
        rename = "request-id",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub request_id: Option<String>,
    /// The client's request id as received by the server
    /// (`client-request-id`).
    #[serde(
        rename = "client-request-id",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub client_request_id: Option<String>,
    /// When the error happened (`date`; `Date` is accepted), as sent.
    #[serde(
        rename = "date",
        alias = "Date",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub date: Option<String>,
    /// The `@odata.type` of the inner error.
    #[serde(
        rename = "@odata.type",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub odata_type: Option<String>,
    /// Any other property.
    #[serde(flatten)]
    pub additional_properties: BTreeMap<String, Value>,
}
