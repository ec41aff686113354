//! [`Request`] and [`Response`].

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use serde::Serialize;

use crate::client::Client;
use crate::decode::DecodeFn;
use crate::error::{Error, Result};
use crate::exec::{Prepared, execute};
use crate::query::{self, CollectionQuery, NoOptions, QueryString, SelectExpand};

/// A decoded success response.
#[derive(Debug, Clone)]
pub struct Response<T> {
    /// The response status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub body: T,
}

impl<T> Response<T> {
    /// The decoded body.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Maps the decoded body.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
        }
    }
}

/// A request being built, returned by generated operation methods.
///
/// Refine it with the builder methods, then `.await` it (for the decoded body,
/// through [`IntoFuture`]) or call [`send`](Self::send) (for a [`Response`]
/// with status and headers). Errors made while building (an invalid header, a
/// body that fails to serialize, an invalid path parameter) are kept and
/// returned when the request is sent.
///
/// `Q` says which OData query options the operation supports (see
/// [`query`]): [`select`](Self::select) and [`expand`](Self::expand) need
/// [`SelectExpand`], [`filter`](Self::filter), [`orderby`](Self::orderby),
/// [`top`](Self::top), [`skip`](Self::skip), [`count`](Self::count) and
/// [`search`](Self::search) need [`CollectionQuery`]. Calling an option
/// method again replaces the previous value.
///
/// ```no_run
/// use apigen_runtime::query::CollectionOptions;
/// use apigen_runtime::{Client, Method, decode};
///
/// # async fn run(client: Client) -> apigen_runtime::Result<()> {
/// let requests: serde_json::Value = client
///     .request(Method::GET, "/identityGovernance/entitlementManagement/assignmentRequests", decode::json)
///     .with_query_options::<CollectionOptions>()
///     .filter("requestState eq 'PendingApproval'")
///     .select(["id", "requestType"])
///     .top(5)
///     .await?;
/// # let _ = requests;
/// # Ok(())
/// # }
/// ```
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct Request<T, Q = NoOptions> {
    client: Client,
    method: Method,
    path: String,
    query: QueryString,
    headers: HeaderMap,
    body: Option<Bytes>,
    error: Option<Error>,
    decode: DecodeFn<T>,
    /// The operation's own server and the description's default base URL (see
    /// [`on_server`](Request::on_server)).
    server: Option<(&'static str, Option<&'static str>)>,
    _options: PhantomData<fn() -> Q>,
}

impl<T, Q> fmt::Debug for Request<T, Q> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if value.is_sensitive() || name == reqwest::header::AUTHORIZATION {
                    "<redacted>"
                } else {
                    value.to_str().unwrap_or("<binary>")
                };
                (name.as_str(), shown)
            })
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("base_url", &self.client.base_url())
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("body_len", &self.body.as_ref().map(Bytes::len))
            .field("error", &self.error)
            .finish()
    }
}

impl<T, Q> Request<T, Q> {
    pub(crate) fn new(
        client: Client,
        method: Method,
        path: Result<String>,
        decode: DecodeFn<T>,
    ) -> Self {
        let (path, error) = match path {
            Ok(path) => (path, None),
            Err(e) => (String::new(), Some(e)),
        };
        Request {
            client,
            method,
            path,
            query: QueryString::new(),
            headers: HeaderMap::new(),
            body: None,
            error,
            decode,
            server: None,
            _options: PhantomData,
        }
    }

    /// Keeps the first build error.
    fn fail(&mut self, error: Error) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// Sets a header, replacing any value set before on this request (and
    /// overriding a client default header of the same name). An invalid name
    /// or value gives [`Error::InvalidHeader`] when sent.
    ///
    /// `Authorization` set here is replaced by the client's credential, when
    /// one is configured. Setting `client-request-id` makes every attempt (and,
    /// for a [`PagedRequest`](crate::PagedRequest), every page) use that id.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            (Ok(name), Ok(value)) => {
                self.headers.insert(name, value);
            }
            _ => self.fail(Error::InvalidHeader {
                name: name.to_owned(),
            }),
        }
        self
    }

    /// Appends a query parameter, percent-encoded by the
    /// [encoding rule](crate::query).
    pub fn query(mut self, name: &str, value: impl AsRef<str>) -> Self {
        self.query.append(name, value);
        self
    }

    /// Appends an object-valued query parameter in the given style (see
    /// [`ObjectStyle`](query::ObjectStyle)); a serialization error is returned when sent.
    pub fn query_object<V: Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &V,
        style: query::ObjectStyle,
    ) -> Self {
        match serde_json::to_value(value) {
            Ok(v) => {
                for (k, v) in query::object_pairs(name, &v, style) {
                    self.query.append(&k, v);
                }
            }
            Err(e) => self.fail(Error::Encode(e)),
        }
        self
    }

    /// Adds a cookie (`name=value`, the value percent-encoded) to the `Cookie` header.
    pub fn cookie(self, name: &str, value: impl AsRef<str>) -> Self {
        let pair = format!("{name}={}", query::encode_value(value.as_ref()));
        let combined = match self
            .headers
            .get(reqwest::header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
        {
            Some(existing) => format!("{existing}; {pair}"),
            None => pair,
        };
        self.header("cookie", &combined)
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(self, form: &crate::multipart::Form) -> Self {
        let (content_type, body) = form.encode();
        self.body(body, &content_type)
    }

    /// Sets a JSON body (serialized now; an error is returned when sent as
    /// [`Error::Encode`]) and `Content-Type: application/json`.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some(bytes.into());
                self.headers
                    .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            }
            Err(e) => self.fail(Error::Encode(e)),
        }
        self
    }

    /// Sets a JSON body, like [`json`](Self::json), sent with the JSON media type
    /// `content_type` the operation declares instead of `application/json`, such as
    /// `application/merge-patch+json` or `application/vnd.api+json`: services that take only
    /// those answer `415 Unsupported Media Type` to `application/json`.
    pub fn json_as<B: Serialize + ?Sized>(mut self, body: &B, content_type: &str) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body(bytes, content_type),
            Err(e) => {
                self.fail(Error::Encode(e));
                self
            }
        }
    }

    /// Sets a raw body with its content type.
    pub fn body(mut self, bytes: impl Into<Bytes>, content_type: &str) -> Self {
        self.body = Some(bytes.into());
        match HeaderValue::from_str(content_type) {
            Ok(value) => {
                self.headers.insert(CONTENT_TYPE, value);
            }
            Err(_) => self.fail(Error::InvalidHeader {
                name: CONTENT_TYPE.as_str().to_owned(),
            }),
        }
        self
    }

    /// Sets an `application/x-www-form-urlencoded` body.
    ///
    /// `body` must serialize to a flat JSON object: strings, numbers and
    /// booleans become `name=value` pairs (percent-encoded by the
    /// [query encoding rule](crate::query)), arrays repeat the name, `null`s
    /// are skipped; nested objects give [`Error::Encode`] when sent. Fields
    /// are written in the order of a `serde_json::Map` (alphabetical unless
    /// serde_json's `preserve_order` feature is enabled).
    pub fn form<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match encode_form(body) {
            Ok(encoded) => {
                self.body = Some(encoded.into());
                self.headers.insert(
                    CONTENT_TYPE,
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                );
            }
            Err(e) => self.fail(Error::Encode(e)),
        }
        self
    }

    /// Re-tags the request with the OData query options marker `Q2` (used by
    /// generated code to declare which options an operation supports).
    pub fn with_query_options<Q2>(self) -> Request<T, Q2> {
        Request {
            client: self.client,
            method: self.method,
            path: self.path,
            query: self.query,
            headers: self.headers,
            body: self.body,
            error: self.error,
            decode: self.decode,
            server: self.server,
            _options: PhantomData,
        }
    }

    /// Sends `ConsistencyLevel: eventual` (needed by Microsoft Graph for
    /// advanced queries such as `$count` and `$search` on directory objects).
    pub fn consistency_level_eventual(self) -> Self {
        self.header("ConsistencyLevel", "eventual")
    }

    /// Appends a preference to the `Prefer` header (comma-separated).
    pub fn prefer(self, preference: impl AsRef<str>) -> Self {
        let preference = preference.as_ref();
        let combined = match self
            .headers
            .get("prefer")
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
        {
            Some(existing) => format!("{existing}, {preference}"),
            None => preference.to_owned(),
        };
        self.header("Prefer", &combined)
    }

    /// Adds `Prefer: include-unknown-enum-members` (Microsoft Graph then
    /// returns evolvable enum members added after the API version).
    pub fn include_unknown_enum_members(self) -> Self {
        self.prefer("include-unknown-enum-members")
    }

    fn set_query(mut self, name: &str, value: impl AsRef<str>) -> Self {
        self.query.set(name, value);
        self
    }

    fn set_list<I>(self, name: &str, items: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let value = query::join_list(items);
        if value.is_empty() {
            let mut this = self;
            this.query.remove(name);
            this
        } else {
            self.set_query(name, value)
        }
    }

    /// Sends the request to the operation's own server, `server` (a base URL the description
    /// gives the operation, such as an upload host), while the client's base URL is
    /// `default_base_url`, the description's default. A client built with another base URL (a
    /// mock server, a proxy) sends it there instead, and one given
    /// [`server_url`](crate::ClientBuilder::server_url) for `server` sends it to that URL.
    pub fn on_server(
        mut self,
        server: &'static str,
        default_base_url: Option<&'static str>,
    ) -> Self {
        self.server = Some((server, default_base_url));
        self
    }

    /// The same request, its answer decoded with `decode` instead.
    pub(crate) fn with_decode(mut self, decode: DecodeFn<T>) -> Self {
        self.decode = decode;
        self
    }

    /// Builds the full URL and the request to execute.
    pub(crate) fn prepare(self) -> Result<(Client, Prepared, DecodeFn<T>)> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let (base, origin) = self.client.base_for(self.server)?;
        let mut url = String::with_capacity(base.len() + self.path.len() + 64);
        url.push_str(&base);
        if !self.path.is_empty() && !self.path.starts_with(['/', '?']) {
            url.push('/');
        }
        url.push_str(&self.path);
        if !self.query.is_empty() {
            url.push(if self.path.contains('?') { '&' } else { '?' });
            url.push_str(&self.query.to_string());
        }
        let parsed = Url::parse(&url).map_err(|e| Error::InvalidRequestUrl {
            url: url.clone(),
            reason: e.to_string(),
        })?;
        if parsed.origin() != origin.origin() {
            return Err(Error::InvalidRequestUrl {
                url,
                reason: "the request URL is not on the base URL's origin".to_owned(),
            });
        }
        let prepared = Prepared {
            method: self.method,
            url: parsed,
            headers: self.headers,
            body: self.body,
            credentials: true,
        };
        Ok((self.client, prepared, self.decode))
    }

    /// Sends the request and returns the decoded [`Response`] (status,
    /// headers and body).
    ///
    /// # Errors
    ///
    /// Any deferred build error, [`Error::Transport`], [`Error::Auth`],
    /// [`Error::Status`] for a non-success status (after retries),
    /// [`Error::Decode`], or a middleware's error.
    pub async fn send(self) -> Result<Response<T>> {
        let (client, prepared, decode) = self.prepare()?;
        execute(&client, &prepared, decode).await
    }
}

impl<T, Q: SelectExpand> Request<T, Q> {
    /// `$select=a,b`: the properties to return.
    pub fn select<I>(self, properties: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.set_list("$select", properties)
    }

    /// `$expand=a,b`: the navigation properties to expand, e.g.
    /// `requestor($expand=connectedOrganization)`.
    pub fn expand<I>(self, properties: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.set_list("$expand", properties)
    }
}

impl<T, Q: CollectionQuery> Request<T, Q> {
    /// `$filter=<expression>`, e.g. `requestState eq 'PendingApproval'`.
    /// Quote untrusted strings with
    /// [`odata_string_literal`](crate::query::odata_string_literal).
    pub fn filter(self, expression: impl AsRef<str>) -> Self {
        self.set_query("$filter", expression)
    }

    /// `$orderby=a,b desc`.
    pub fn orderby<I>(self, items: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.set_list("$orderby", items)
    }

    /// `$top=n`: the page size (or the number of items, depending on the
    /// service).
    pub fn top(self, n: u32) -> Self {
        self.set_query("$top", n.to_string())
    }

    /// `$skip=n`.
    pub fn skip(self, n: u32) -> Self {
        self.set_query("$skip", n.to_string())
    }

    /// `$count=true|false`: ask for `@odata.count`.
    pub fn count(self, count: bool) -> Self {
        self.set_query("$count", if count { "true" } else { "false" })
    }

    /// `$search=<value>`, passed as-is: add the quotes Microsoft Graph
    /// requires yourself, e.g. `"displayName:foo"`.
    pub fn search(self, search: impl AsRef<str>) -> Self {
        self.set_query("$search", search)
    }
}

impl<T: Send + 'static, Q> IntoFuture for Request<T, Q> {
    type Output = Result<T>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        let prepared = self.prepare();
        Box::pin(async move {
            let (client, prepared, decode) = prepared?;
            execute(&client, &prepared, decode).await.map(|r| r.body)
        })
    }
}

/// Encodes a flat object as `application/x-www-form-urlencoded`.
fn encode_form<B: Serialize + ?Sized>(body: &B) -> std::result::Result<String, serde_json::Error> {
    use serde::ser::Error as _;
    use serde_json::Value;

    fn scalar(value: &Value) -> std::result::Result<Option<String>, serde_json::Error> {
        match value {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s.clone())),
            Value::Bool(b) => Ok(Some(b.to_string())),
            Value::Number(n) => Ok(Some(n.to_string())),
            Value::Array(_) | Value::Object(_) => Err(serde_json::Error::custom(
                "form bodies only support strings, numbers, booleans and arrays of them",
            )),
        }
    }

    let Value::Object(map) = serde_json::to_value(body)? else {
        return Err(serde_json::Error::custom(
            "a form body must serialize to an object",
        ));
    };
    let mut out = QueryString::new();
    for (name, value) in &map {
        match value {
            Value::Array(items) => {
                for item in items {
                    if let Some(v) = scalar(item)? {
                        out.append(name, v);
                    }
                }
            }
            other => {
                if let Some(v) = scalar(other)? {
                    out.append(name, v);
                }
            }
        }
    }
    Ok(out.to_string())
}
