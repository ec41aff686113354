//! Long-running operations: a request the service accepted (`202 Accepted`) with a monitor URL
//! in `Location` (Microsoft Graph's driveItem `copy`, for one), awaited to completion.
//!
//! The monitor is polled with `GET` until it reports an end: Graph's `asyncJobStatus` resource
//! (`status`: `notStarted`, `inProgress`, `completed`, `failed`..., with
//! `percentageComplete`), or, for services that redirect the monitor to the result when done,
//! the result itself. Each poll waits the monitor's `Retry-After`, else a backoff that doubles
//! up to a bound; the whole wait has a time budget. The client's credentials go to the monitor
//! only when it is on the client's origin (Graph's monitor URLs are pre-authenticated, on
//! another host).
//!
//! ```no_run
//! # async fn run(client: apigen_runtime::Client, copy: apigen_runtime::Request<()>) -> apigen_runtime::Result<()> {
//! use apigen_runtime::lro::{Monitor, Wait};
//!
//! let accepted = copy.send().await?;
//! if let Some(monitor) = Monitor::of(&client, &accepted) {
//!     let done = monitor
//!         .wait(Wait::default().on_progress(|p| println!("{} {:?}", p.status, p.percentage_complete)))
//!         .await?;
//!     println!("new item: {:?}", done.resource_id);
//! }
//! # Ok(()) }
//! ```

use std::time::Duration;

use reqwest::Url;
use reqwest::header::{HeaderMap, LOCATION};
use serde_json::Value;

use crate::client::Client;
use crate::decode::ResponseMeta;
use crate::error::{Error, Result};
use crate::exec::{Prepared, execute};
use crate::request::Response;

/// What a monitor reported while the operation runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// `notStarted`, `inProgress`, `waiting`... as the service wrote it.
    pub status: String,
    /// How much is done, in percent, when the service says.
    pub percentage_complete: Option<f64>,
    /// The monitor's description of the state, when given.
    pub status_description: Option<String>,
}

/// A finished operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Completed {
    /// The monitor's last answer (an `asyncJobStatus` with `status: completed`), or the result
    /// the monitor redirected to.
    pub body: Value,
    /// The id of the resource the operation made (`resourceId`), when given.
    pub resource_id: Option<String>,
    /// Where that resource is (`resourceLocation`), when given.
    pub resource_location: Option<String>,
}

impl Completed {
    /// The body as `T` (the result, when the monitor redirected to it).
    ///
    /// # Errors
    ///
    /// The `serde_json` error when the body is not a `T`.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> serde_json::Result<T> {
        T::deserialize(&self.body)
    }
}

/// How to wait for an operation: a time budget (10 minutes unless set), the delays between
/// polls when the monitor gives no `Retry-After` (1 s doubling to 30 s), and a progress
/// callback.
pub struct Wait {
    budget: Duration,
    first_delay: Duration,
    max_delay: Duration,
    on_progress: Option<ProgressFn>,
}

/// A progress callback of [`Wait::on_progress`].
type ProgressFn = Box<dyn FnMut(&Progress) + Send>;

impl Default for Wait {
    fn default() -> Self {
        Wait {
            budget: Duration::from_secs(600),
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            on_progress: None,
        }
    }
}

impl std::fmt::Debug for Wait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wait")
            .field("budget", &self.budget)
            .field("first_delay", &self.first_delay)
            .field("max_delay", &self.max_delay)
            .field("on_progress", &self.on_progress.is_some())
            .finish()
    }
}

impl Wait {
    /// The longest the whole wait may take.
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// The delays between polls when the monitor gives no `Retry-After`: `first`, doubling up
    /// to `max`.
    pub fn delays(mut self, first: Duration, max: Duration) -> Self {
        self.first_delay = first;
        self.max_delay = max.max(first);
        self
    }

    /// Called with each progress report.
    pub fn on_progress(mut self, f: impl FnMut(&Progress) + Send + 'static) -> Self {
        self.on_progress = Some(Box::new(f));
        self
    }
}

/// The monitor of an accepted long-running operation.
#[derive(Debug, Clone)]
pub struct Monitor {
    client: Client,
    url: Url,
    retry_after: Option<Duration>,
}

impl Monitor {
    /// The monitor of the operation `response` accepted: the URL in its `Location` (resolved
    /// against the client's base URL) when its status is `202 Accepted`; `None` otherwise.
    pub fn of<T>(client: &Client, response: &Response<T>) -> Option<Monitor> {
        if response.status != reqwest::StatusCode::ACCEPTED {
            return None;
        }
        Monitor::from_headers(client, &response.headers)
    }

    /// The monitor named by the `Location` of `headers` (resolved against the client's base
    /// URL), whatever the status.
    pub fn from_headers(client: &Client, headers: &HeaderMap) -> Option<Monitor> {
        let location = headers.get(LOCATION)?.to_str().ok()?;
        let base = Url::parse(&format!("{}/", client.base_url())).ok()?;
        Some(Monitor {
            client: client.clone(),
            url: base.join(location).ok()?,
            retry_after: crate::retry::retry_after(headers, std::time::SystemTime::now()),
        })
    }

    /// The monitor URL (to store, and check on the operation later).
    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    /// Polls the monitor until the operation ends.
    ///
    /// # Errors
    ///
    /// [`Error::OperationFailed`] when the monitor reports a failure,
    /// [`Error::OperationTimedOut`] when the budget runs out first, and the errors of a
    /// request (a monitor answering an error status, a transport failure).
    pub async fn wait(self, mut options: Wait) -> Result<Completed> {
        let started = tokio::time::Instant::now();
        let mut delay = options.first_delay;
        let mut next_wait = self.retry_after;
        let mut last: Option<Progress> = None;
        loop {
            let pause = next_wait.unwrap_or(delay);
            if started.elapsed() + pause > options.budget {
                return Err(Error::OperationTimedOut {
                    monitor: self.url.to_string(),
                    last,
                });
            }
            tokio::time::sleep(pause).await;
            if next_wait.is_none() {
                delay = (delay * 2).min(options.max_delay);
            }
            let prepared = Prepared {
                method: reqwest::Method::GET,
                url: self.url.clone(),
                headers: HeaderMap::new(),
                body: None,
                credentials: self.client.is_same_origin(&self.url),
            };
            let response = execute(&self.client, &prepared, status_body).await?;
            next_wait = crate::retry::retry_after(&response.headers, std::time::SystemTime::now());
            let body = response.body;
            let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_owned);
            let Some(status) = text("status") else {
                // Not a status: the monitor redirected to the result.
                return Ok(Completed {
                    resource_id: text("id"),
                    resource_location: None,
                    body,
                });
            };
            match status.as_str() {
                "completed" | "succeeded" => {
                    return Ok(Completed {
                        resource_id: text("resourceId"),
                        resource_location: text("resourceLocation"),
                        body,
                    });
                }
                "failed" | "deleteFailed" | "cancelled" | "canceled" => {
                    let message = body
                        .pointer("/error/message")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                        .or_else(|| text("statusDescription"));
                    return Err(Error::OperationFailed { status, message });
                }
                _ => {
                    let progress = Progress {
                        status,
                        percentage_complete: body.get("percentageComplete").and_then(Value::as_f64),
                        status_description: text("statusDescription"),
                    };
                    if let Some(f) = options.on_progress.as_mut() {
                        f(&progress);
                    }
                    last = Some(progress);
                }
            }
        }
    }
}

/// A monitor's answer as JSON (`null` when it has no body).
fn status_body(meta: &ResponseMeta, body: bytes::Bytes) -> Result<Value> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    crate::decode::json(meta, body)
}
