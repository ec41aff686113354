//! A mock server that speaks the API's protocols, for testing code that uses a generated client
//! without the network (feature `mock`).
//!
//! A generated crate built with its `mock` feature has a `mock::MockServer` with one method per
//! operation returning a typed [`Stub`]; this module is the engine underneath: a real HTTP
//! server on loopback (one [`wiremock`] server, which this module routes itself), typed
//! matchers ([`When`]), typed answers ([`Then`]) with the protocol helpers (`@odata.nextLink`
//! pages, throttling with `Retry-After`, OData error bodies, delays), call counts, expectations
//! checked when the server is dropped, and a report of every request no stub matched that names
//! the nearest stubs and the matcher that failed.
//!
//! ```
//! use apigen_runtime::mock::{Json, MockServer, NoBody, Protocol};
//! use apigen_runtime::odata::ODataError;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> apigen_runtime::Result<()> {
//! let server = MockServer::start(Protocol::OData).await;
//! // What a generated `server.get_item()` returns:
//! let stub = server.stub::<NoBody, Json<serde_json::Value>, ODataError>(
//!     "get_item", apigen_runtime::Method::GET, "/items/{item-id}", 200,
//! );
//! let mounted = stub
//!     .when(|w| w.path_param("item-id", "42"))
//!     .then(|t| t.ok(&serde_json::json!({"id": "42"})))
//!     .expect(1)
//!     .mount()
//!     .await;
//!
//! let client: apigen_runtime::Client = server.client();
//! let item: serde_json::Value = client
//!     .request(apigen_runtime::Method::GET, "/items/42", apigen_runtime::decode::json)
//!     .await?;
//! assert_eq!(item["id"], "42");
//! assert_eq!(mounted.calls(), 1);
//! # Ok(())
//! # }
//! ```
//!
//! Every stub, expectation and unmatched request is checked when the server is dropped (or by
//! [`MockServer::verify`]): like an `assert!`, a failed check panics the test with a report.

mod matching;
mod reply;
mod stub;

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::client::{Client, ClientBuilder};

pub use self::reply::{Binary, Delta, Json, NoContent, ODataValue, Paged, Text, Then};
pub use self::stub::{Calls, Mounted, NoBody, Stub, When};
/// The HTTP server underneath, for raw `wiremock` mocks (they take precedence over stubs).
pub use wiremock;
/// The request a matcher or [`Mounted::received`] sees (method, URL, headers, body).
pub use wiremock::Request;

/// The bearer token of [`MockServer::client`].
pub const TEST_TOKEN: &str = "mock-token";

/// The conventions of the API a server speaks where the answer is not given: what a throttled
/// answer carries and whether answers have Graph's `request-id` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// OData / Microsoft Graph: error bodies are `{"error": {"code", "message", "innerError":
    /// {"request-id", "date"}}}`, every answer has a `request-id` header and echoes the
    /// request's `client-request-id`.
    OData,
    /// Any other API: throttled answers have no body, and no header is added.
    Plain,
}

/// A mock of the API on a loopback HTTP server; see the [module documentation](self).
///
/// Dropping it checks the stubs' expectations and that every request was matched, and panics
/// with a report otherwise (unless the thread is already panicking).
pub struct MockServer {
    server: wiremock::MockServer,
    state: Arc<State>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("uri", &self.server.uri())
            .field("protocol", &self.state.protocol)
            .field("stubs", &lock(&self.state.stubs).len())
            .finish_non_exhaustive()
    }
}

/// What the server knows: the mounted stubs, in mounting order, and the requests none matched.
pub(crate) struct State {
    pub(crate) protocol: Protocol,
    /// The server's base URL (requests' URLs say `localhost`, whatever the address).
    pub(crate) uri: String,
    pub(crate) stubs: Mutex<Vec<Arc<stub::StubState>>>,
    unmatched: Mutex<Vec<UnmatchedRequest>>,
    /// Numbers the answers' `request-id`s.
    answers: AtomicUsize,
}

/// Locks `m`, going on with the data of a thread that panicked while holding it (a failed
/// assertion in a matcher of the user's must not hide the report).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl MockServer {
    /// Starts a server on a free loopback port.
    pub async fn start(protocol: Protocol) -> Self {
        let server = wiremock::MockServer::start().await;
        let state = Arc::new(State {
            protocol,
            uri: server.uri(),
            stubs: Mutex::new(Vec::new()),
            unmatched: Mutex::new(Vec::new()),
            answers: AtomicUsize::new(0),
        });
        // One catch-all mock routes every request to the stubs. Its priority is the lowest, so
        // raw wiremock mocks registered on `wiremock()` are tried first.
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(Router(state.clone()))
            .with_priority(u8::MAX)
            .named("apigen mock router")
            .mount(&server)
            .await;
        MockServer { server, state }
    }

    /// The server's base URL (`http://127.0.0.1:<port>`): a client's base URL.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A builder of a client of this server: its base URL and the bearer token [`TEST_TOKEN`],
    /// with the default retry policy (so throttled answers are retried, honouring
    /// `Retry-After`). Add a timeout, another retry policy or middleware, then `build()`.
    pub fn client_builder<C: From<Client>>(&self) -> ClientBuilder<C> {
        ClientBuilder::new()
            .base_url(self.uri())
            .bearer_token(TEST_TOKEN)
    }

    /// A client of this server (see [`client_builder`](Self::client_builder)).
    ///
    /// # Panics
    ///
    /// Never in practice: the server's URL is a valid loopback base URL.
    pub fn client<C: From<Client>>(&self) -> C {
        match self.client_builder().build() {
            Ok(client) => client,
            Err(e) => panic!("the mock server's client could not be built: {e}"),
        }
    }

    /// A stub of the operation `name` (`method` on the path `template`, as the description
    /// writes it, e.g. `/users/{user-id}`), which answers `success` by default: what a
    /// generated crate's stub methods return. `B` is the request body's type (or [`NoBody`]),
    /// `R` the kind of success answer ([`Json`], [`Paged`], [`Delta`], [`NoContent`], ...) and
    /// `E` the documented error body.
    pub fn stub<B, R, E>(
        &self,
        name: &str,
        method: reqwest::Method,
        template: &str,
        success: u16,
    ) -> Stub<B, R, E> {
        Stub::new(self.state.clone(), name, method, template, success)
    }

    /// The `wiremock` server underneath, to register raw mocks (tried before the stubs).
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.server
    }

    /// Every request the server received, in order.
    pub async fn received_requests(&self) -> Vec<Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// The requests no stub matched so far (each with its report), leaving them: the server
    /// still fails when dropped.
    pub fn unmatched(&self) -> Vec<UnmatchedRequest> {
        lock(&self.state.unmatched).clone()
    }

    /// The requests no stub matched so far, taken: a test that expects them checks them and
    /// the server no longer fails for them.
    pub fn take_unmatched(&self) -> Vec<UnmatchedRequest> {
        std::mem::take(&mut *lock(&self.state.unmatched))
    }

    /// What is wrong so far: stubs whose expected number of calls was not met, and requests no
    /// stub matched. `Ok` when nothing is.
    pub fn check(&self) -> Result<(), String> {
        let mut problems = Vec::new();
        for stub in lock(&self.state.stubs).iter() {
            if let Some(problem) = stub.unmet_expectation() {
                problems.push(problem);
            }
        }
        for unmatched in lock(&self.state.unmatched).iter() {
            problems.push(unmatched.report.clone());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "the mock server found {} problem(s):\n\n{}",
                problems.len(),
                problems.join("\n\n")
            ))
        }
    }

    /// Panics with the report of [`check`](Self::check) when something is wrong; the server
    /// does it itself when dropped.
    #[track_caller]
    pub fn verify(&self) {
        if let Err(report) = self.check() {
            panic!("{report}");
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        if let Err(report) = self.check() {
            panic!("{report}");
        }
    }
}

/// A request no stub matched, with the report of why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmatchedRequest {
    /// The request's method.
    pub method: String,
    /// The request's path and query.
    pub path: String,
    /// Which stubs were nearest and which of their matchers failed.
    pub report: String,
}

impl fmt::Display for UnmatchedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.report)
    }
}

/// Routes each request to the first stub (in mounting order) that matches it and has answers
/// left, or reports it.
struct Router(Arc<State>);

impl wiremock::Respond for Router {
    fn respond(&self, request: &Request) -> wiremock::ResponseTemplate {
        let state = &self.0;
        let answer = state.answers.fetch_add(1, Ordering::Relaxed) + 1;
        let stubs: Vec<Arc<stub::StubState>> = lock(&state.stubs).clone();
        for stub in &stubs {
            if let Some(call) = stub.try_take(request) {
                return stub.answer(request, call, state, answer);
            }
        }
        let unmatched = stub::report_unmatched(request, &stubs);
        let response = reply::error_template(
            state.protocol,
            404,
            "apigenMockNoStubMatched",
            &unmatched.report,
            request,
            answer,
        );
        lock(&state.unmatched).push(unmatched);
        response
    }
}

/// Defines `MockServer` in the invoking module (a generated crate's `mock` module): the
/// runtime's [`MockServer`] speaking the [`Protocol`] named (`OData` or `Plain`), whose clients
/// are the crate's `crate::Client`; the crate adds one stub method per operation in
/// `impl MockServer` blocks. Everything else of the runtime's server is reached through
/// `Deref`.
#[macro_export]
// `crate::Client` is the invoking crate's client, on purpose.
#[allow(clippy::crate_in_macro_def)]
macro_rules! mock_server {
    ($protocol:ident) => {
        /// A mock of the API on a loopback HTTP server, with one method per operation returning
        /// a typed stub (see [`apigen_runtime::mock`]). Dropping it checks the stubs'
        /// expectations and that every request was matched.
        #[derive(Debug)]
        pub struct MockServer {
            inner: $crate::mock::MockServer,
        }

        impl MockServer {
            /// Starts a server on a free loopback port.
            pub async fn start() -> Self {
                Self {
                    inner: $crate::mock::MockServer::start($crate::mock::Protocol::$protocol).await,
                }
            }

            /// A client of this server: its base URL, a test bearer token and the default
            /// retry policy.
            pub fn client(&self) -> crate::Client {
                self.inner.client()
            }

            /// A builder of a client of this server (base URL and test token set): add a
            /// timeout, a retry policy or middleware, then `build()`.
            pub fn client_builder(&self) -> $crate::ClientBuilder<crate::Client> {
                self.inner.client_builder()
            }

            /// The runtime's server underneath (also reached through `Deref`).
            pub fn runtime(&self) -> &$crate::mock::MockServer {
                &self.inner
            }

            fn stub<B, R, E>(
                &self,
                name: &str,
                method: $crate::Method,
                template: &str,
                success: u16,
            ) -> $crate::mock::Stub<B, R, E> {
                self.inner.stub(name, method, template, success)
            }
        }

        impl ::std::ops::Deref for MockServer {
            type Target = $crate::mock::MockServer;
            fn deref(&self) -> &Self::Target {
                &self.inner
            }
        }
    };
}
