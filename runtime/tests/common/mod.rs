//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::time::Duration;

use apigen_runtime::Client;
use apigen_runtime::retry::RetryPolicy;
use wiremock::MockServer;

pub const TOKEN: &str = "test-token-5f2c";

/// A retry policy with tiny delays, so tests stay fast.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .with_base_delay(Duration::from_millis(5))
        .with_max_delay(Duration::from_millis(20))
}

/// A client for `{server}/beta` with a static token and fast retries.
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/beta/", server.uri()))
        .bearer_token(TOKEN)
        .retry_policy(fast_retry())
        .build()
        .expect("client builds")
}

/// The raw query string of the only request the server received.
pub async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording on");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}
