//! [`Stub`]: what a generated crate's stub methods return; [`When`]: its matchers; [`Mounted`]:
//! a stub on the server, with its calls.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{RangeFrom, RangeInclusive};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use super::matching::{Template, json_difference, query_pairs, short};
use super::reply::{Reply, Then};
use super::{Request, State, UnmatchedRequest, lock};

/// The request body type of an operation that has none, or whose body is not JSON: such a
/// stub's [`When`] has no typed `body` matcher (the raw ones remain).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoBody {}

/// How many calls a stub expects (checked when the server is dropped): a number, `a..=b` or
/// `a..`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calls {
    min: usize,
    max: Option<usize>,
}

impl From<usize> for Calls {
    fn from(n: usize) -> Self {
        Calls {
            min: n,
            max: Some(n),
        }
    }
}

impl From<RangeInclusive<usize>> for Calls {
    fn from(r: RangeInclusive<usize>) -> Self {
        Calls {
            min: *r.start(),
            max: Some(*r.end()),
        }
    }
}

impl From<RangeFrom<usize>> for Calls {
    fn from(r: RangeFrom<usize>) -> Self {
        Calls {
            min: r.start,
            max: None,
        }
    }
}

impl Calls {
    fn allows(&self, n: usize) -> bool {
        n >= self.min && self.max.is_none_or(|max| n <= max)
    }
}

impl fmt::Display for Calls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.max {
            Some(max) if max == self.min => write!(f, "{max}"),
            Some(max) => write!(f, "{} to {max}", self.min),
            None => write!(f, "at least {}", self.min),
        }
    }
}

/// A custom matcher's function.
type MatchFn = Arc<dyn Fn(&Request) -> bool + Send + Sync>;

/// One matcher of a stub.
#[derive(Clone)]
pub(crate) enum Check {
    PathParam {
        name: String,
        value: String,
    },
    Query {
        name: String,
        value: String,
    },
    Header {
        name: String,
        value: String,
    },
    Body {
        expected: Value,
        subset: bool,
    },
    BodyBytes(Vec<u8>),
    Custom {
        description: String,
        f: MatchFn,
    },
    /// A matcher that cannot match, and why (a path parameter the template does not have, a
    /// body that failed to serialize).
    Invalid(String),
}

impl Check {
    /// Why `request` fails this matcher, if it does. `captures`: the path's parameters.
    fn failure(&self, request: &Request, captures: &BTreeMap<String, String>) -> Option<String> {
        match self {
            Check::PathParam { name, value } => {
                let actual = captures.get(name).map_or("", String::as_str);
                (actual != value)
                    .then(|| format!("path parameter `{name}`: expected {value:?}, got {actual:?}"))
            }
            Check::Query { name, value } => {
                let pairs = query_pairs(&request.url);
                let actual: Vec<&str> = pairs
                    .iter()
                    .filter(|(n, _)| n == name)
                    .map(|(_, v)| v.as_str())
                    .collect();
                if actual.contains(&value.as_str()) {
                    None
                } else if actual.is_empty() {
                    Some(format!(
                        "query `{name}`: expected {value:?}, but the request has none"
                    ))
                } else {
                    Some(format!(
                        "query `{name}`: expected {value:?}, got {}",
                        quoted_list(&actual)
                    ))
                }
            }
            Check::Header { name, value } => {
                let actual: Vec<&str> = request
                    .headers
                    .get_all(name.as_str())
                    .iter()
                    .map(|v| v.to_str().unwrap_or("<binary>"))
                    .collect();
                if actual.contains(&value.as_str()) {
                    None
                } else if actual.is_empty() {
                    Some(format!(
                        "header `{name}`: expected {value:?}, but the request has none"
                    ))
                } else {
                    Some(format!(
                        "header `{name}`: expected {value:?}, got {}",
                        quoted_list(&actual)
                    ))
                }
            }
            Check::Body { expected, subset } => {
                match serde_json::from_slice::<Value>(&request.body) {
                    Err(_) if request.body.is_empty() => Some(format!(
                        "body: expected {}, but the request has none",
                        short(expected)
                    )),
                    Err(e) => Some(format!("body: expected JSON, but it does not parse ({e})")),
                    Ok(actual) => json_difference(expected, &actual, *subset)
                        .map(|difference| format!("body: {difference}")),
                }
            }
            Check::BodyBytes(expected) => (request.body != *expected).then(|| {
                format!(
                    "body: expected {} byte(s) {:?}, got {} byte(s) {:?}",
                    expected.len(),
                    preview(expected),
                    request.body.len(),
                    preview(&request.body)
                )
            }),
            Check::Custom { description, f } => (!f(request)).then(|| description.clone()),
            Check::Invalid(reason) => Some(reason.clone()),
        }
    }
}

fn quoted_list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn preview(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(60)]);
    if bytes.len() > 60 {
        format!("{text}...")
    } else {
        text.into_owned()
    }
}

/// The matchers of a stub, beyond its method and path: path parameters, query options, headers
/// and the body. `B` is the operation's request body type. Every matcher must match.
#[must_use = "a matcher builder is returned by `when`'s closure"]
pub struct When<B> {
    template: Template,
    checks: Vec<Check>,
    _body: PhantomData<fn() -> B>,
}

impl<B> fmt::Debug for When<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("When")
            .field("template", &self.template.as_str())
            .field("matchers", &self.checks.len())
            .finish()
    }
}

impl<B> When<B> {
    fn with(mut self, check: Check) -> Self {
        self.checks.push(check);
        self
    }

    /// The path parameter `name` (as the description writes it: `user-id` in
    /// `/users/{user-id}`) is `value` (compared decoded).
    pub fn path_param(self, name: &str, value: impl fmt::Display) -> Self {
        let check = if self.template.params().any(|p| p == name) {
            Check::PathParam {
                name: name.to_owned(),
                value: value.to_string(),
            }
        } else {
            let known: Vec<String> = self.template.params().map(|p| format!("`{p}`")).collect();
            Check::Invalid(format!(
                "path parameter `{name}`: `{}` has no such parameter (it has: {})",
                self.template.as_str(),
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ))
        };
        self.with(check)
    }

    /// The query parameter `name` is `value` (compared decoded; one of its values when it is
    /// repeated).
    pub fn query(self, name: &str, value: impl fmt::Display) -> Self {
        self.with(Check::Query {
            name: name.to_owned(),
            value: value.to_string(),
        })
    }

    /// `$filter` is `expression`.
    pub fn filter(self, expression: &str) -> Self {
        self.query("$filter", expression)
    }

    /// `$select` is these properties, in this order.
    pub fn select<I: IntoIterator<Item = S>, S: AsRef<str>>(self, properties: I) -> Self {
        let list = join(properties);
        self.query("$select", list)
    }

    /// `$expand` is these, in this order.
    pub fn expand<I: IntoIterator<Item = S>, S: AsRef<str>>(self, properties: I) -> Self {
        let list = join(properties);
        self.query("$expand", list)
    }

    /// `$orderby` is these, in this order.
    pub fn orderby<I: IntoIterator<Item = S>, S: AsRef<str>>(self, items: I) -> Self {
        let list = join(items);
        self.query("$orderby", list)
    }

    /// `$top` is `n`.
    pub fn top(self, n: u32) -> Self {
        self.query("$top", n)
    }

    /// `$skip` is `n`.
    pub fn skip(self, n: u32) -> Self {
        self.query("$skip", n)
    }

    /// `$count` is `count`.
    pub fn count(self, count: bool) -> Self {
        self.query("$count", count)
    }

    /// `$search` is `search` (quotes included).
    pub fn search(self, search: &str) -> Self {
        self.query("$search", search)
    }

    /// The header `name` is `value` (one of its values when it is repeated).
    pub fn header(self, name: &str, value: &str) -> Self {
        self.with(Check::Header {
            name: name.to_ascii_lowercase(),
            value: value.to_owned(),
        })
    }

    /// The body is this JSON (compared as JSON: member order and number forms do not matter).
    pub fn body_json(self, expected: Value) -> Self {
        self.with(Check::Body {
            expected,
            subset: false,
        })
    }

    /// The body is JSON that has at least these members (objects are compared member by
    /// member; arrays and values must be equal).
    pub fn body_includes(self, expected: Value) -> Self {
        self.with(Check::Body {
            expected,
            subset: true,
        })
    }

    /// The body is exactly these bytes.
    pub fn body_bytes(self, expected: impl Into<Vec<u8>>) -> Self {
        self.with(Check::BodyBytes(expected.into()))
    }

    /// A matcher of your own: `matches(request)` must be true; `description` says what it
    /// checks in the report of a request it rejects.
    pub fn matches(
        self,
        description: &str,
        matches: impl Fn(&Request) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.with(Check::Custom {
            description: description.to_owned(),
            f: Arc::new(matches),
        })
    }
}

impl<B: Serialize> When<B> {
    /// The body is `expected`, serialized as the client serializes it (compared as JSON).
    pub fn body(self, expected: &B) -> Self {
        match serde_json::to_value(expected) {
            Ok(value) => self.body_json(value),
            Err(e) => self.with(Check::Invalid(format!(
                "body: the expected body does not serialize ({e})"
            ))),
        }
    }
}

fn join<I: IntoIterator<Item = S>, S: AsRef<str>>(items: I) -> String {
    items
        .into_iter()
        .map(|s| s.as_ref().to_owned())
        .collect::<Vec<_>>()
        .join(",")
}

/// A stub of one operation being built: matchers ([`when`](Self::when)), the answer
/// ([`then`](Self::then)), expectations; [`mount`](Self::mount) puts it on the server.
///
/// `B` is the request body's type ([`NoBody`] when there is none), `R` the kind of success
/// answer (its [`Then`] methods: `ok(&T)` for [`Json`](super::Json), `pages` for
/// [`Paged`](super::Paged)...), `E` the documented error body (`not_found(&E)`...). A stub
/// without a `then` answers the operation's documented success status with no body.
#[must_use = "a stub does nothing until it is mounted"]
pub struct Stub<B, R, E> {
    state: Arc<State>,
    name: String,
    method: Method,
    when: When<B>,
    reply: Reply,
    success: u16,
    limit: Option<usize>,
    expect: Option<Calls>,
    _types: PhantomData<fn() -> (R, E)>,
}

impl<B, R, E> fmt::Debug for Stub<B, R, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stub")
            .field("name", &self.name)
            .field("method", &self.method)
            .field("template", &self.when.template.as_str())
            .field("matchers", &self.when.checks.len())
            .field("limit", &self.limit)
            .field("expect", &self.expect)
            .finish_non_exhaustive()
    }
}

impl<B, R, E> Stub<B, R, E> {
    pub(crate) fn new(
        state: Arc<State>,
        name: &str,
        method: Method,
        template: &str,
        success: u16,
    ) -> Self {
        Stub {
            state,
            name: name.to_owned(),
            method,
            when: When {
                template: Template::parse(template),
                checks: Vec::new(),
                _body: PhantomData,
            },
            reply: Reply::default(),
            success,
            limit: None,
            expect: None,
            _types: PhantomData,
        }
    }

    /// Adds matchers: `stub.when(|w| w.path_param("user-id", "42").top(5))`.
    pub fn when(mut self, matchers: impl FnOnce(When<B>) -> When<B>) -> Self {
        self.when = matchers(self.when);
        self
    }

    /// Sets the answer: `stub.then(|t| t.ok(&user))`.
    pub fn then(mut self, answer: impl FnOnce(Then<R, E>) -> Then<R, E>) -> Self {
        self.reply = answer(Then::new(std::mem::take(&mut self.reply))).into_reply();
        self
    }

    /// Expects this many matching requests (`1`, `2..=3`, `1..`), checked when the server is
    /// dropped or verified.
    pub fn expect(mut self, calls: impl Into<Calls>) -> Self {
        self.expect = Some(calls.into());
        self
    }

    /// Pages (see [`Then::pages`]) hold their items in the member `items` and their next link
    /// in `next_link`, for paging that is not OData's (Azure's `x-ms-pageable`); generated
    /// stubs of such operations set it.
    pub fn page_fields(mut self, items: &'static str, next_link: &'static str) -> Self {
        self.reply.set_page_fields(items, next_link);
        self
    }

    /// Pages (see [`Then::pages`]) are JSON arrays of items with their next link in a `Link`
    /// header (`rel="next"`), as GitHub pages; generated stubs of such operations set it.
    pub fn link_header(mut self) -> Self {
        self.reply.set_link_header();
        self
    }

    /// Answers at most `n` requests; after that the stub no longer matches (and the next stub
    /// that matches answers), for answers that change over time.
    pub fn up_to(mut self, n: usize) -> Self {
        self.limit = Some(n);
        self
    }

    /// Puts the stub on the server. Stubs are tried in the order they were mounted; the first
    /// that matches (and has answers left) answers.
    pub async fn mount(self) -> Mounted {
        let stub = Arc::new(StubState {
            name: self.name,
            method: self.method,
            template: self.when.template,
            checks: self.when.checks,
            reply: self.reply,
            success: self.success,
            limit: self.limit,
            expect: self.expect,
            calls: AtomicUsize::new(0),
            received: Mutex::new(Vec::new()),
        });
        lock(&self.state.stubs).push(stub.clone());
        Mounted { stub }
    }
}

/// A mounted stub: how many requests it answered, and which.
#[derive(Clone)]
pub struct Mounted {
    stub: Arc<StubState>,
}

impl fmt::Debug for Mounted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mounted")
            .field("stub", &self.stub.label())
            .field("calls", &self.calls())
            .finish()
    }
}

impl Mounted {
    /// The number of requests the stub answered.
    pub fn calls(&self) -> usize {
        self.stub.calls.load(Ordering::SeqCst)
    }

    /// The requests the stub answered, in order.
    pub fn received(&self) -> Vec<Request> {
        lock(&self.stub.received).clone()
    }
}

/// A stub on the server.
pub(crate) struct StubState {
    name: String,
    method: Method,
    template: Template,
    checks: Vec<Check>,
    reply: Reply,
    success: u16,
    limit: Option<usize>,
    expect: Option<Calls>,
    calls: AtomicUsize,
    received: Mutex<Vec<Request>>,
}

impl StubState {
    fn label(&self) -> String {
        format!(
            "`{}` ({} {})",
            self.name,
            self.method,
            self.template.as_str()
        )
    }

    /// Every matcher `request` fails, said in words (empty: it matches).
    fn failures(&self, request: &Request) -> Vec<String> {
        let mut out = Vec::new();
        if request.method.as_str() != self.method.as_str() {
            out.push(format!(
                "method: expected {}, got {}",
                self.method, request.method
            ));
        }
        let Some(captures) = self.template.captures(request.url.path()) else {
            out.push(format!(
                "path: `{}` is not `{}`",
                request.url.path(),
                self.template.as_str()
            ));
            return out;
        };
        out.extend(
            self.checks
                .iter()
                .filter_map(|check| check.failure(request, &captures)),
        );
        out
    }

    /// Whether the stub answers `request`: it matches and has answers left. Returns the call's
    /// index (0 for the first), counted.
    pub(crate) fn try_take(&self, request: &Request) -> Option<usize> {
        if !self.failures(request).is_empty() {
            return None;
        }
        let mut n = self.calls.load(Ordering::SeqCst);
        loop {
            if self.limit.is_some_and(|limit| n >= limit) {
                return None;
            }
            match self
                .calls
                .compare_exchange(n, n + 1, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => break,
                Err(now) => n = now,
            }
        }
        lock(&self.received).push(request.clone());
        Some(n)
    }

    /// The answer to the `call`th request (0-based) it took.
    pub(crate) fn answer(
        &self,
        request: &Request,
        call: usize,
        state: &State,
        answer: usize,
    ) -> wiremock::ResponseTemplate {
        self.reply
            .template(request, call, self.success, state, answer)
    }

    /// The stub's expectation, when its calls do not meet it.
    pub(crate) fn unmet_expectation(&self) -> Option<String> {
        let expect = self.expect?;
        let calls = self.calls.load(Ordering::SeqCst);
        (!expect.allows(calls)).then(|| {
            format!(
                "stub {} expected {expect} call(s), got {calls}",
                self.label()
            )
        })
    }
}

/// The report of a request no stub matched: the nearest stubs (same method and path first,
/// then fewest failed matchers) and what failed.
pub(crate) fn report_unmatched(request: &Request, stubs: &[Arc<StubState>]) -> UnmatchedRequest {
    let path = match request.url.query() {
        Some(q) => format!("{}?{q}", request.url.path()),
        None => request.url.path().to_owned(),
    };
    let mut report = format!("no stub matched `{} {path}`", request.method);
    if stubs.is_empty() {
        report.push_str(": no stub is mounted");
    } else {
        // (index, (path failed, method failed, failures), failures): nearest first.
        type Ranked = (usize, (bool, bool, usize), Vec<String>);
        let mut ranked: Vec<Ranked> = stubs
            .iter()
            .enumerate()
            .map(|(i, stub)| {
                let mut failures = stub.failures(request);
                if failures.is_empty() {
                    // It matches, so its answers ran out.
                    failures.push(format!(
                        "it matches, but has answered the {} request(s) it was limited to (`up_to`)",
                        stub.limit.unwrap_or_default()
                    ));
                }
                let path_failed = failures.iter().any(|f| f.starts_with("path:"));
                let method_failed = failures.iter().any(|f| f.starts_with("method:"));
                (i, (path_failed, method_failed, failures.len()), failures)
            })
            .collect();
        ranked.sort_by_key(|(i, rank, _)| (*rank, *i));
        report.push_str("; the nearest stubs:");
        for (i, _, failures) in ranked.iter().take(3) {
            report.push_str(&format!(
                "\n  - {} (mounted #{}):",
                stubs[*i].label(),
                i + 1
            ));
            for failure in failures {
                report.push_str(&format!("\n      {failure}"));
            }
        }
        if ranked.len() > 3 {
            report.push_str(&format!(
                "\n  ({} more stub(s) are further off)",
                ranked.len() - 3
            ));
        }
    }
    UnmatchedRequest {
        method: request.method.to_string(),
        path,
        report,
    }
}
