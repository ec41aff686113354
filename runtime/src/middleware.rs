//! Hooks around every HTTP attempt (tracing, logging, metrics, custom retry).
//!
//! Middlewares are added with
//! [`ClientBuilder::middleware`](crate::ClientBuilder::middleware) and run in
//! the order they were added, the first one outermost. Each receives the
//! fully prepared [`reqwest::Request`] of one attempt (so a retried request
//! passes through the chain once per attempt) and a [`Next`] to continue
//! the chain; the last link sends the request with the `reqwest` client.
//!
//! **The request carries the `Authorization` header with the access token:
//! middlewares must not log it** (or any header marked
//! [sensitive](reqwest::header::HeaderValue::is_sensitive)).
//!
//! ```
//! use apigen_runtime::middleware::{Middleware, Next};
//! use apigen_runtime::{Client, Result, reqwest};
//! use std::future::Future;
//! use std::pin::Pin;
//!
//! struct LogRequests;
//!
//! impl Middleware for LogRequests {
//!     fn handle<'a>(
//!         &'a self,
//!         req: reqwest::Request,
//!         next: Next<'a>,
//!     ) -> Pin<Box<dyn Future<Output = Result<reqwest::Response>> + Send + 'a>> {
//!         Box::pin(async move {
//!             eprintln!("--> {} {}", req.method(), req.url());
//!             let response = next.run(req).await?;
//!             eprintln!("<-- {}", response.status());
//!             Ok(response)
//!         })
//!     }
//! }
//!
//! # fn main() -> Result<()> {
//! let client = Client::builder()
//!     .base_url("https://graph.microsoft.com/v1.0")
//!     .middleware(LogRequests)
//!     .build()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::error::{Error, Result};

/// The future returned by middlewares and [`Next::run`].
pub type MiddlewareFuture<'a> =
    Pin<Box<dyn Future<Output = Result<reqwest::Response>> + Send + 'a>>;

/// A hook around every HTTP attempt; see the [module documentation](self).
pub trait Middleware: Send + Sync + 'static {
    /// Handles one attempt: inspect or change `req`, call
    /// [`next.run(req)`](Next::run) (or not, to short-circuit), and inspect or
    /// replace the response. Return [`Error::Middleware`] for own failures.
    fn handle<'a>(&'a self, req: reqwest::Request, next: Next<'a>) -> MiddlewareFuture<'a>;
}

impl<M: Middleware + ?Sized> Middleware for Arc<M> {
    fn handle<'a>(&'a self, req: reqwest::Request, next: Next<'a>) -> MiddlewareFuture<'a> {
        (**self).handle(req, next)
    }
}

/// The rest of the middleware chain.
pub struct Next<'a> {
    http: &'a reqwest::Client,
    rest: &'a [Arc<dyn Middleware>],
}

impl<'a> Next<'a> {
    pub(crate) fn new(http: &'a reqwest::Client, chain: &'a [Arc<dyn Middleware>]) -> Self {
        Next { http, rest: chain }
    }

    /// Runs the remaining middlewares and finally sends `req` with the
    /// `reqwest` client. A transport failure becomes [`Error::Transport`].
    pub fn run(self, req: reqwest::Request) -> MiddlewareFuture<'a> {
        match self.rest.split_first() {
            Some((first, rest)) => first.handle(
                req,
                Next {
                    http: self.http,
                    rest,
                },
            ),
            None => {
                let client_request_id = req
                    .headers()
                    .get(crate::exec::CLIENT_REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                let http = self.http;
                Box::pin(async move {
                    http.execute(req).await.map_err(|source| Error::Transport {
                        source,
                        client_request_id,
                    })
                })
            }
        }
    }
}

impl fmt::Debug for Next<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Next")
            .field("remaining_middlewares", &self.rest.len())
            .finish_non_exhaustive()
    }
}
