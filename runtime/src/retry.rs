//! Retrying throttled and temporarily failing requests.
//!
//! Only responses whose status is in [`RetryPolicy::retry_statuses`] (by
//! default `429 Too Many Requests`, `503 Service Unavailable` and
//! `504 Gateway Timeout`) are retried; transport errors and other statuses
//! never are. Note that this applies to every method: a `POST` answered with
//! `504` may have been processed, so use [`RetryPolicy::none`] or adjust
//! [`RetryPolicy::with_retry_statuses`] for non-idempotent operations if that
//! matters.
//!
//! The wait before attempt `n + 1` is computed by [`RetryPolicy::delay`]:
//! the server's `Retry-After` (seconds or HTTP date) when present and
//! [respected](RetryPolicy::respect_retry_after), else exponential backoff
//! `base_delay * 2^(n-1)` capped at `max_delay`, with full jitter. The request
//! gives up (returning the last response as
//! [`Error::Status`](crate::Error::Status)) once `max_attempts` attempts were
//! made or when the next wait would exceed the remaining
//! [`total_budget`](RetryPolicy::total_budget).
//!
//! ```
//! use apigen_runtime::retry::RetryPolicy;
//! use std::time::Duration;
//!
//! let policy = RetryPolicy::default()
//!     .with_max_attempts(6)
//!     .with_base_delay(Duration::from_millis(500))
//!     .with_total_budget(Duration::from_secs(120));
//! assert_eq!(policy.max_attempts(), 6);
//! ```

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// When and how to retry; see the [module documentation](self).
///
/// Setters are named `with_*`; getters carry the plain name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    total_budget: Duration,
    respect_retry_after: bool,
    retry_statuses: Vec<StatusCode>,
}

impl Default for RetryPolicy {
    /// 4 attempts, 1 s base delay, 30 s maximum backoff delay, 60 s total
    /// budget, `Retry-After` respected, statuses 429, 503 and 504.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            total_budget: Duration::from_secs(60),
            respect_retry_after: true,
            retry_statuses: vec![
                StatusCode::TOO_MANY_REQUESTS,
                StatusCode::SERVICE_UNAVAILABLE,
                StatusCode::GATEWAY_TIMEOUT,
            ],
        }
    }
}

impl RetryPolicy {
    /// The default policy.
    pub fn new() -> Self {
        Self::default()
    }

    /// A policy that never retries (a single attempt).
    pub fn none() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// Sets the total number of attempts, including the first (at least 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// Sets the base delay of the exponential backoff.
    pub fn with_base_delay(mut self, base_delay: Duration) -> Self {
        self.base_delay = base_delay;
        self
    }

    /// Sets the cap on one backoff delay. A server-requested `Retry-After`
    /// is not capped (only the total budget limits it).
    pub fn with_max_delay(mut self, max_delay: Duration) -> Self {
        self.max_delay = max_delay;
        self
    }

    /// Sets the maximum total time spent on a request (attempts and waits)
    /// before giving up: no wait is started that would end after it.
    pub fn with_total_budget(mut self, total_budget: Duration) -> Self {
        self.total_budget = total_budget;
        self
    }

    /// Sets whether a `Retry-After` response header is used as the delay.
    pub fn with_respect_retry_after(mut self, respect: bool) -> Self {
        self.respect_retry_after = respect;
        self
    }

    /// Sets the statuses that are retried.
    pub fn with_retry_statuses(mut self, statuses: impl IntoIterator<Item = StatusCode>) -> Self {
        self.retry_statuses = statuses.into_iter().collect();
        self
    }

    /// Total number of attempts, including the first.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Base delay of the exponential backoff.
    pub fn base_delay(&self) -> Duration {
        self.base_delay
    }

    /// Cap on one backoff delay.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// Maximum total time spent on a request.
    pub fn total_budget(&self) -> Duration {
        self.total_budget
    }

    /// Whether `Retry-After` is used as the delay.
    pub fn respect_retry_after(&self) -> bool {
        self.respect_retry_after
    }

    /// The statuses that are retried.
    pub fn retry_statuses(&self) -> &[StatusCode] {
        &self.retry_statuses
    }

    /// Whether a response with `status` is retried (attempts permitting).
    pub fn is_retryable(&self, status: StatusCode) -> bool {
        self.retry_statuses.contains(&status)
    }

    /// The upper bound of the backoff delay after attempt `attempt` (1-based):
    /// `base_delay * 2^(attempt-1)`, capped at `max_delay`.
    pub fn backoff_ceiling(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(31);
        self.base_delay
            .checked_mul(1u32 << exponent)
            .unwrap_or(Duration::MAX)
            .min(self.max_delay)
    }

    /// The wait after attempt `attempt` (1-based) failed.
    ///
    /// `retry_after` is the server-requested delay (see [`retry_after`]); it is
    /// used as-is when present and respected. Otherwise the result is
    /// [`backoff_ceiling`](Self::backoff_ceiling) scaled by `jitter`, a random
    /// number in `[0, 1]` (clamped), i.e. "full jitter".
    ///
    /// This is a pure function; the runtime calls it with
    /// `fastrand::f64()`.
    ///
    /// ```
    /// use apigen_runtime::retry::RetryPolicy;
    /// use std::time::Duration;
    ///
    /// let p = RetryPolicy::default(); // base 1 s, max 30 s
    /// assert_eq!(p.delay(3, None, 1.0), Duration::from_secs(4));
    /// assert_eq!(p.delay(3, None, 0.5), Duration::from_secs(2));
    /// assert_eq!(p.delay(10, None, 1.0), Duration::from_secs(30));
    /// assert_eq!(p.delay(1, Some(Duration::from_secs(7)), 0.0), Duration::from_secs(7));
    /// ```
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
        match retry_after {
            Some(d) if self.respect_retry_after => d,
            _ => {
                let jitter = if jitter.is_nan() {
                    1.0
                } else {
                    jitter.clamp(0.0, 1.0)
                };
                self.backoff_ceiling(attempt).mul_f64(jitter)
            }
        }
    }
}

/// Parses the `Retry-After` header of `headers`, relative to `now`.
///
/// Accepts delta-seconds (`Retry-After: 120`), also with a decimal fraction
/// (`Retry-After: 0.25`, which some servers and the [mock server](crate::mock) send), and an
/// HTTP date (`Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`); a date in the past gives
/// zero. Returns `None` when the header is absent or malformed.
///
/// ```
/// use apigen_runtime::HeaderMap;
/// use apigen_runtime::retry::retry_after;
/// use std::time::{Duration, SystemTime};
///
/// let mut headers = HeaderMap::new();
/// headers.insert("retry-after", "7".parse().unwrap());
/// assert_eq!(retry_after(&headers, SystemTime::now()), Some(Duration::from_secs(7)));
/// ```
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    parse_retry_after(value, now)
}

/// Parses a `Retry-After` value (see [`retry_after`]).
///
/// ```
/// use apigen_runtime::retry::parse_retry_after;
/// use std::time::{Duration, SystemTime};
///
/// let now = SystemTime::now();
/// assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
/// assert_eq!(parse_retry_after("0.05", now), Some(Duration::from_millis(50)));
/// assert_eq!(parse_retry_after("1.5", now), Some(Duration::from_millis(1500)));
/// assert_eq!(parse_retry_after("1.", now), None);
/// assert_eq!(parse_retry_after("soon", now), None);
/// ```
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits to fit a u64: treat as "very long".
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    if let Some((whole, fraction)) = value.split_once('.') {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if digits(whole) && digits(fraction) {
            let seconds: u64 = whole.parse().unwrap_or(u64::MAX);
            // Nanoseconds from at most nine digits of the fraction.
            let nanos = fraction
                .bytes()
                .chain(std::iter::repeat(b'0'))
                .take(9)
                .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
            return Some(Duration::new(seconds, nanos));
        }
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}
