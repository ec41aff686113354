//! Retry behaviour against a real loopback server, and the pure delay
//! computation.

mod common;

use std::time::{Duration, Instant, SystemTime};

use apigen_runtime::retry::{RetryPolicy, parse_retry_after, retry_after};
use apigen_runtime::{Client, Error, HeaderMap, Method, StatusCode, decode};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client_with(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .bearer_token(common::TOKEN)
        .retry_policy(policy)
        .build()
        .unwrap()
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

/// Contract test 4: 429 with `Retry-After: 1`, then 201: succeeds on the
/// second attempt after waiting about a second (the default policy would
/// use a random backoff well below that).
#[tokio::test]
async fn throttled_request_waits_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(
                    json!({"error": {"code": "TooManyRequests", "message": "slow down"}}),
                ),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "1"})))
        .mount(&server)
        .await;
    let client = client_with(&server, RetryPolicy::default());
    let started = Instant::now();
    let response = client
        .request(Method::POST, "/items", decode::json::<serde_json::Value>)
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(response.status, StatusCode::CREATED);
    assert!(elapsed >= Duration::from_millis(950), "waited {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "waited {elapsed:?}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].body, requests[0].body, "the body is re-sent");
}

/// Contract test 4: a 503 every time gives `Error::Status` 503 after
/// exactly `max_attempts` attempts.
#[tokio::test]
async fn persistent_503_gives_up_after_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let policy = RetryPolicy::default()
        .with_base_delay(Duration::from_millis(10))
        .with_max_attempts(3);
    let client = client_with(&server, policy);
    let err = client
        .request(Method::GET, "/x", decode::empty)
        .await
        .unwrap_err();
    let Error::Status(status) = &err else {
        panic!("expected Error::Status, got {err:?}");
    };
    assert_eq!(status.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(status.attempts(), 3);
    assert_eq!(request_count(&server).await, 3);

    // 504 is retried as well.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(504))
        .mount(&server)
        .await;
    let client = client_with(&server, common::fast_retry().with_max_attempts(2));
    let err = client
        .request(Method::GET, "/x", decode::empty)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::GATEWAY_TIMEOUT));
    assert_eq!(request_count(&server).await, 2);
}

/// Contract test 4: a total budget smaller than `Retry-After` gives up
/// right after the first attempt, without waiting.
#[tokio::test]
async fn retry_after_beyond_total_budget_gives_up_immediately() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "30"))
        .mount(&server)
        .await;
    let client = client_with(
        &server,
        RetryPolicy::default().with_total_budget(Duration::from_secs(5)),
    );
    let started = Instant::now();
    let err = client
        .request(Method::GET, "/x", decode::empty)
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(err.is_throttled());
    let Error::Status(status) = &err else {
        panic!("expected Error::Status, got {err:?}");
    };
    assert_eq!(status.attempts(), 1);
    assert_eq!(status.retry_after(), Some(Duration::from_secs(30)));
    assert_eq!(request_count(&server).await, 1);
}

/// Contract test 4: 400 and 500 are not retried; `RetryPolicy::none()`
/// makes a single attempt even for 429.
#[tokio::test]
async fn other_statuses_and_none_policy_are_not_retried() {
    for status in [400u16, 500] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        let client = client_with(&server, common::fast_retry());
        let err = client
            .request(Method::GET, "/x", decode::empty)
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(request_count(&server).await, 1, "status {status}");
    }

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    let client = client_with(&server, RetryPolicy::none());
    let err = client
        .request(Method::GET, "/x", decode::empty)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(request_count(&server).await, 1);
}

/// Contract test 4 (pure): `Retry-After` as seconds and as an HTTP date, and
/// the backoff computation.
#[test]
fn delay_computation() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_400); // Wed, 21 Oct 2015 07:26:40 GMT
    assert_eq!(
        parse_retry_after("120", now),
        Some(Duration::from_secs(120))
    );
    assert_eq!(
        parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
        Some(Duration::from_secs(80))
    );
    assert_eq!(
        parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
        Some(Duration::ZERO),
        "a date in the past means no wait"
    );
    assert_eq!(parse_retry_after("soon", now), None);
    assert_eq!(parse_retry_after("-1", now), None);
    assert_eq!(
        parse_retry_after("99999999999999999999999", now),
        Some(Duration::from_secs(u64::MAX))
    );
    let mut headers = HeaderMap::new();
    assert_eq!(retry_after(&headers, now), None);
    headers.insert(
        "retry-after",
        "Wed, 21 Oct 2015 07:27:00 GMT".parse().unwrap(),
    );
    assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(20)));

    let policy = RetryPolicy::default();
    assert_eq!(policy.max_attempts(), 4);
    assert_eq!(policy.base_delay(), Duration::from_secs(1));
    assert_eq!(policy.max_delay(), Duration::from_secs(30));
    assert_eq!(policy.total_budget(), Duration::from_secs(60));
    assert!(policy.respect_retry_after());
    assert_eq!(
        policy.retry_statuses(),
        [
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::SERVICE_UNAVAILABLE,
            StatusCode::GATEWAY_TIMEOUT
        ]
    );
    assert_eq!(policy.backoff_ceiling(1), Duration::from_secs(1));
    assert_eq!(policy.backoff_ceiling(2), Duration::from_secs(2));
    assert_eq!(policy.backoff_ceiling(5), Duration::from_secs(16));
    assert_eq!(policy.backoff_ceiling(6), Duration::from_secs(30));
    assert_eq!(policy.backoff_ceiling(u32::MAX), Duration::from_secs(30));
    assert_eq!(policy.delay(2, None, 0.25), Duration::from_millis(500));
    assert_eq!(
        policy.delay(2, None, 7.0),
        Duration::from_secs(2),
        "jitter clamped"
    );
    assert_eq!(
        policy.delay(2, Some(Duration::from_secs(45)), 0.0),
        Duration::from_secs(45),
        "Retry-After is honoured as-is"
    );
    let ignoring = policy.clone().with_respect_retry_after(false);
    assert_eq!(
        ignoring.delay(1, Some(Duration::from_secs(45)), 1.0),
        Duration::from_secs(1)
    );
    assert_eq!(RetryPolicy::none().max_attempts(), 1);
    assert_eq!(
        RetryPolicy::default().with_max_attempts(0).max_attempts(),
        1
    );
}
