//! [`Then`]: a stub's answer, typed by the operation's documented responses, with the
//! protocol helpers (pages, throttling, OData errors, delays).

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use serde::Serialize;
use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use super::matching::query_pairs;
use super::{Protocol, Request, State};

/// The success answer of an operation that returns JSON of type `T`: [`Then::ok`],
/// [`Then::created`], [`Then::success`].
#[derive(Debug)]
pub struct Json<T>(std::convert::Infallible, PhantomData<fn() -> T>);

/// The success answer of an OData operation that returns `{"value": T}` (a primitive or a
/// collection of an action or function): [`Then::ok`] wraps it.
#[derive(Debug)]
pub struct ODataValue<T>(std::convert::Infallible, PhantomData<fn() -> T>);

/// The success answer of a list operation with items of type `T`, paged over
/// `@odata.nextLink`: [`Then::pages`], [`Then::page`].
#[derive(Debug)]
pub struct Paged<T>(std::convert::Infallible, PhantomData<fn() -> T>);

/// The success answer of an OData delta function with items of type `T`: [`Then::pages`] ends
/// with an `@odata.deltaLink`.
#[derive(Debug)]
pub struct Delta<T>(std::convert::Infallible, PhantomData<fn() -> T>);

/// The success answer of an operation that returns no body: [`Then::success`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoContent {}

/// The success answer of an operation that returns text: [`Then::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {}

/// The success answer of an operation that returns bytes: [`Then::bytes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binary {}

/// What a stub answers.
#[derive(Debug, Clone, Default)]
pub(crate) struct Reply {
    answer: Answer,
    /// Answer 429 to this many requests first, with this `Retry-After`.
    throttle: Option<(usize, Duration)>,
    delay: Option<Duration>,
    headers: Vec<(String, String)>,
    /// The members of a page that hold the items and the next link, when they are not
    /// OData's `value` and `@odata.nextLink` (Azure's `x-ms-pageable`).
    page_fields: Option<(&'static str, &'static str)>,
    /// Pages are JSON arrays of items with their next link in a `Link` header (GitHub's).
    link_header: bool,
}

#[derive(Debug, Clone, Default)]
enum Answer {
    /// The documented success status, no body.
    #[default]
    Success,
    /// A status with no body.
    Status(u16),
    /// A body as it is (the status is the documented one when `None`).
    Body {
        status: Option<u16>,
        content_type: String,
        body: Vec<u8>,
    },
    /// A success status with this JSON body (the status is the documented one when `None`).
    Json { status: Option<u16>, body: Value },
    Pages {
        items: Vec<Value>,
        page_size: usize,
        delta: bool,
    },
    ODataError {
        status: u16,
        code: String,
        message: String,
    },
    /// The answer could not be built (a value that does not serialize): 500 with the reason.
    Invalid(String),
}

/// A stub's answer being built (see [`Stub::then`](super::Stub::then)). `R` is the kind of
/// success answer the operation documents and `E` its documented error body; the methods of
/// every `Then` (statuses, headers, [`throttled`](Self::throttled), [`delay`](Self::delay),
/// [`odata_error`](Self::odata_error), typed errors such as [`not_found`](Self::not_found))
/// are below the typed success answers.
#[must_use = "an answer builder is returned by `then`'s closure"]
pub struct Then<R, E> {
    reply: Reply,
    _types: PhantomData<fn() -> (R, E)>,
}

impl<R, E> fmt::Debug for Then<R, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Then").field(&self.reply).finish()
    }
}

impl<R, E> Then<R, E> {
    pub(crate) fn new(reply: Reply) -> Self {
        Then {
            reply,
            _types: PhantomData,
        }
    }

    pub(crate) fn into_reply(self) -> Reply {
        self.reply
    }

    fn answer(mut self, answer: Answer) -> Self {
        self.reply.answer = answer;
        self
    }

    fn json_answer<T: Serialize + ?Sized>(self, status: Option<u16>, body: &T) -> Self {
        let answer = match serde_json::to_value(body) {
            Ok(body) => Answer::Json { status, body },
            Err(e) => Answer::Invalid(format!("the stub's answer does not serialize: {e}")),
        };
        self.answer(answer)
    }

    /// Answers `status` with no body.
    pub fn status(self, status: u16) -> Self {
        self.answer(Answer::Status(status))
    }

    /// Answers `204 No Content`.
    pub fn no_content(self) -> Self {
        self.status(204)
    }

    /// Answers `status` with any JSON body (untyped: the escape hatch).
    pub fn json<T: Serialize + ?Sized>(self, status: u16, body: &T) -> Self {
        self.json_answer(Some(status), body)
    }

    /// Answers `status` with these bytes and `Content-Type` (the escape hatch).
    pub fn raw(self, status: u16, body: impl Into<Vec<u8>>, content_type: &str) -> Self {
        self.answer(Answer::Body {
            status: Some(status),
            content_type: content_type.to_owned(),
            body: body.into(),
        })
    }

    /// Adds a header to the answer (and to the throttled answers before it).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.reply.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Answers `429 Too Many Requests` with `Retry-After` to the first `times` requests, then
    /// the answer set here. With the [`OData`](Protocol::OData) protocol the 429 has Graph's
    /// error body (code `TooManyRequests`). `Retry-After` is in seconds, with a fraction when
    /// `retry_after` is not whole (`0.05`), which the runtime's retry policy honours, so tests
    /// stay fast; the default policy makes 4 attempts, so up to 3 throttled answers are
    /// retried away.
    pub fn throttled(mut self, times: usize, retry_after: Duration) -> Self {
        self.reply.throttle = Some((times, retry_after));
        self
    }

    /// Waits this long before answering (every answer of the stub), to test timeouts.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.reply.delay = Some(delay);
        self
    }

    /// Answers `status` with an OData (Microsoft Graph) error body
    /// `{"error": {"code", "message", "innerError": {"request-id", "date", "client-request-id"}}}`
    /// and the same `request-id` header.
    pub fn odata_error(self, status: u16, code: &str, message: &str) -> Self {
        self.answer(Answer::ODataError {
            status,
            code: code.to_owned(),
            message: message.to_owned(),
        })
    }
}

impl<R, E: Serialize> Then<R, E> {
    /// Answers `status` with the documented error body `error`.
    pub fn error(self, status: u16, error: &E) -> Self {
        self.json_answer(Some(status), error)
    }

    /// Answers `400 Bad Request` with the documented error body.
    pub fn bad_request(self, error: &E) -> Self {
        self.error(400, error)
    }

    /// Answers `401 Unauthorized` with the documented error body.
    pub fn unauthorized(self, error: &E) -> Self {
        self.error(401, error)
    }

    /// Answers `403 Forbidden` with the documented error body.
    pub fn forbidden(self, error: &E) -> Self {
        self.error(403, error)
    }

    /// Answers `404 Not Found` with the documented error body.
    pub fn not_found(self, error: &E) -> Self {
        self.error(404, error)
    }

    /// Answers `409 Conflict` with the documented error body.
    pub fn conflict(self, error: &E) -> Self {
        self.error(409, error)
    }

    /// Answers `412 Precondition Failed` with the documented error body (a stale `If-Match`).
    pub fn precondition_failed(self, error: &E) -> Self {
        self.error(412, error)
    }

    /// Answers `500 Internal Server Error` with the documented error body.
    pub fn internal_server_error(self, error: &E) -> Self {
        self.error(500, error)
    }

    /// Answers `503 Service Unavailable` with the documented error body.
    pub fn service_unavailable(self, error: &E) -> Self {
        self.error(503, error)
    }
}

impl<T: Serialize, E> Then<Json<T>, E> {
    /// Answers the operation's documented success status with `body`.
    pub fn success(self, body: &T) -> Self {
        self.json_answer(None, body)
    }

    /// Answers `200 OK` with `body`.
    pub fn ok(self, body: &T) -> Self {
        self.json_answer(Some(200), body)
    }

    /// Answers `201 Created` with `body`.
    pub fn created(self, body: &T) -> Self {
        self.json_answer(Some(201), body)
    }

    /// Answers `202 Accepted` with `body`.
    pub fn accepted(self, body: &T) -> Self {
        self.json_answer(Some(202), body)
    }
}

impl<T: Serialize, E> Then<ODataValue<T>, E> {
    /// Answers the documented success status with `{"value": value}`.
    pub fn ok(self, value: &T) -> Self {
        let answer = match serde_json::to_value(value) {
            Ok(value) => Answer::Json {
                status: None,
                body: json!({ "value": value }),
            },
            Err(e) => Answer::Invalid(format!("the stub's answer does not serialize: {e}")),
        };
        self.answer(answer)
    }
}

impl<E> Then<NoContent, E> {
    /// Answers the operation's documented success status, without a body.
    pub fn success(self) -> Self {
        self.answer(Answer::Success)
    }
}

impl<E> Then<Text, E> {
    /// Answers the documented success status with `text` (`text/plain`).
    pub fn text(self, text: &str) -> Self {
        self.answer(Answer::Body {
            status: None,
            content_type: "text/plain; charset=utf-8".to_owned(),
            body: text.as_bytes().to_vec(),
        })
    }
}

impl<E> Then<Binary, E> {
    /// Answers the documented success status with `bytes` (`application/octet-stream`).
    pub fn bytes(self, bytes: impl Into<Vec<u8>>) -> Self {
        self.answer(Answer::Body {
            status: None,
            content_type: "application/octet-stream".to_owned(),
            body: bytes.into(),
        })
    }
}

/// `items` as JSON values, or why not.
fn item_values<T: Serialize>(items: &[T]) -> Result<Vec<Value>, String> {
    items
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("the stub's items do not serialize: {e}"))
}

impl<T: Serialize, E> Then<Paged<T>, E> {
    /// Serves `items` in pages of `page_size` (at least 1), each but the last with an
    /// `@odata.nextLink` back to this stub (the request's query kept, `$skiptoken` added), and
    /// `@odata.count` (all the items) when the request asks `$count=true`.
    pub fn pages(self, items: &[T], page_size: usize) -> Self {
        let answer = match item_values(items) {
            Ok(items) => Answer::Pages {
                items,
                page_size,
                delta: false,
            },
            Err(e) => Answer::Invalid(e),
        };
        self.answer(answer)
    }

    /// Answers `200 OK` with this one page, as it is (its next link too: in a `Link` header
    /// for an operation whose pages are arrays).
    pub fn page(mut self, page: &crate::Page<T>) -> Self {
        if !self.reply.link_header {
            return self.json_answer(Some(200), page);
        }
        if let Some(next) = &page.next_link {
            self.reply
                .headers
                .push(("link".to_owned(), format!("<{next}>; rel=\"next\"")));
        }
        self.json_answer(Some(200), &page.value)
    }
}

impl<T: Serialize, E> Then<Delta<T>, E> {
    /// Serves `items` in pages of `page_size` like [`Then::pages`] of a list, the last page
    /// with an `@odata.deltaLink` for the next round instead of a next link.
    pub fn pages(self, items: &[T], page_size: usize) -> Self {
        let answer = match item_values(items) {
            Ok(items) => Answer::Pages {
                items,
                page_size,
                delta: true,
            },
            Err(e) => Answer::Invalid(e),
        };
        self.answer(answer)
    }

    /// Answers `200 OK` with this one page, as it is.
    pub fn page(self, page: &crate::Page<T>) -> Self {
        self.json_answer(Some(200), page)
    }
}

/// `Retry-After` for `d`: whole seconds, or seconds with a fraction.
fn retry_after_value(d: Duration) -> String {
    if d.subsec_nanos() == 0 {
        d.as_secs().to_string()
    } else {
        let text = format!("{:.3}", d.as_secs_f64());
        text.trim_end_matches('0').to_owned()
    }
}

/// The `request-id` of the `answer`th answer of a server.
fn request_id(answer: usize) -> String {
    format!("00000000-0000-4000-8000-{answer:012x}")
}

/// The `client-request-id` of `request`, if it has one.
fn client_request_id(request: &Request) -> Option<&str> {
    request
        .headers
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
}

/// An OData error body with Graph's `innerError`.
fn odata_error_body(code: &str, message: &str, request: &Request, answer: usize) -> Value {
    let date = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default();
    let mut inner = json!({ "request-id": request_id(answer), "date": date });
    if let Some(id) = client_request_id(request) {
        inner["client-request-id"] = Value::String(id.to_owned());
    }
    json!({ "error": { "code": code, "message": message, "innerError": inner } })
}

/// The answer `status` with an error: Graph's error body under [`Protocol::OData`], the message
/// as text otherwise.
pub(crate) fn error_template(
    protocol: Protocol,
    status: u16,
    code: &str,
    message: &str,
    request: &Request,
    answer: usize,
) -> ResponseTemplate {
    let template = ResponseTemplate::new(status);
    let template = match protocol {
        Protocol::OData => template.set_body_json(odata_error_body(code, message, request, answer)),
        Protocol::Plain => {
            template.set_body_raw(message.as_bytes().to_vec(), "text/plain; charset=utf-8")
        }
    };
    protocol_headers(template, protocol, request, answer)
}

/// Graph's `request-id` header, and the request's `client-request-id` echoed.
fn protocol_headers(
    mut template: ResponseTemplate,
    protocol: Protocol,
    request: &Request,
    answer: usize,
) -> ResponseTemplate {
    if protocol == Protocol::OData {
        template = template.insert_header("request-id", request_id(answer).as_str());
        if let Some(id) = client_request_id(request) {
            template = template.insert_header("client-request-id", id);
        }
    }
    template
}

impl Reply {
    /// Pages hold their items in `items` and their next link in `next_link`.
    pub(crate) fn set_page_fields(&mut self, items: &'static str, next_link: &'static str) {
        self.page_fields = Some((items, next_link));
    }

    /// Pages are JSON arrays, their next link in a `Link` header.
    pub(crate) fn set_link_header(&mut self) {
        self.link_header = true;
    }

    /// The HTTP answer to the `call`th request (0-based) the stub took.
    pub(crate) fn template(
        &self,
        request: &Request,
        call: usize,
        success: u16,
        state: &State,
        answer: usize,
    ) -> ResponseTemplate {
        let protocol = state.protocol;
        let mut template = match self.throttle {
            Some((times, retry_after)) if call < times => {
                let message = format!(
                    "Too many requests: retry after {} s.",
                    retry_after_value(retry_after)
                );
                let template = match protocol {
                    Protocol::OData => {
                        error_template(protocol, 429, "TooManyRequests", &message, request, answer)
                    }
                    Protocol::Plain => ResponseTemplate::new(429),
                };
                template.insert_header("retry-after", retry_after_value(retry_after).as_str())
            }
            _ => self.final_answer(request, success, state, answer),
        };
        for (name, value) in &self.headers {
            template = template.append_header(name.as_str(), value.as_str());
        }
        if let Some(delay) = self.delay {
            template = template.set_delay(delay);
        }
        template
    }

    fn final_answer(
        &self,
        request: &Request,
        success: u16,
        state: &State,
        answer: usize,
    ) -> ResponseTemplate {
        let protocol = state.protocol;
        let template = match &self.answer {
            Answer::Success => ResponseTemplate::new(success),
            Answer::Status(status) => ResponseTemplate::new(*status),
            Answer::Body {
                status,
                content_type,
                body,
            } => ResponseTemplate::new(status.unwrap_or(success))
                .set_body_raw(body.clone(), content_type),
            Answer::Json { status, body } => {
                ResponseTemplate::new(status.unwrap_or(success)).set_body_json(body)
            }
            Answer::Pages {
                items,
                page_size,
                delta,
            } => {
                let fields = self.page_fields.unwrap_or(("value", "@odata.nextLink"));
                let mut body = page(&state.uri, request, items, *page_size, *delta, fields);
                if self.link_header {
                    let next = body
                        .get(fields.1)
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    let template = ResponseTemplate::new(200).set_body_json(body[fields.0].take());
                    match next {
                        Some(next) => template
                            .insert_header("link", format!("<{next}>; rel=\"next\"").as_str()),
                        None => template,
                    }
                } else {
                    ResponseTemplate::new(200).set_body_json(body)
                }
            }
            Answer::ODataError {
                status,
                code,
                message,
            } => return error_template(Protocol::OData, *status, code, message, request, answer),
            Answer::Invalid(reason) => {
                return error_template(
                    protocol,
                    500,
                    "apigenMockInvalidStub",
                    reason,
                    request,
                    answer,
                );
            }
        };
        protocol_headers(template, protocol, request, answer)
    }
}

/// The page of `items` that `request` asks for (`$skiptoken`, 0 when absent); its links are on
/// the server at `uri`; `(items, next link)` are the members that hold them.
fn page(
    uri: &str,
    request: &Request,
    items: &[Value],
    page_size: usize,
    delta: bool,
    (items_field, next_field): (&str, &str),
) -> Value {
    let page_size = page_size.max(1);
    let pairs = query_pairs(&request.url);
    let index: usize = pairs
        .iter()
        .find(|(name, _)| name == "$skiptoken")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let start = index.saturating_mul(page_size).min(items.len());
    let end = start.saturating_add(page_size).min(items.len());
    let mut body = json!({ items_field: &items[start..end] });
    if pairs
        .iter()
        .any(|(name, v)| name == "$count" && v == "true")
    {
        body["@odata.count"] = json!(items.len());
    }
    let base = format!("{uri}{}", request.url.path());
    if end < items.len() {
        // The request's own query (as sent) with the next `$skiptoken`.
        let mut query: Vec<&str> = request
            .url
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|pair| {
                !pair.is_empty()
                    && !pair.starts_with("$skiptoken=")
                    && !pair.starts_with("%24skiptoken=")
            })
            .collect();
        let token = format!("$skiptoken={}", index + 1);
        query.push(&token);
        body[next_field] = Value::String(format!("{base}?{}", query.join("&")));
    } else if delta {
        body["@odata.deltaLink"] =
            Value::String(format!("{base}?$deltatoken=mock-{}", items.len()));
    }
    body
}
