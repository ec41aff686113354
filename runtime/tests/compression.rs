//! Opt-in request compression against a real loopback server.

mod common;

use std::io::Read as _;

use apigen_runtime::{Client, Method, decode};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use common::fast_retry;

fn client(server: &MockServer, compress: bool) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .compress_requests(compress)
        .retry_policy(fast_retry())
        .build()
        .unwrap()
}

fn gunzip(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(body)
        .read_to_end(&mut out)
        .expect("a gzip body");
    out
}

fn body() -> Value {
    json!({"displayName": "Sales", "description": "x".repeat(2000)})
}

/// With compression on, the body goes gzipped with `Content-Encoding: gzip`, and is the same
/// JSON once decompressed.
#[tokio::test]
async fn bodies_are_gzipped_when_asked() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/accessPackages"))
        .and(header("content-encoding", "gzip"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "1"})))
        .expect(1)
        .mount(&server)
        .await;
    let created: Value = client(&server, true)
        .request(Method::POST, "/accessPackages", decode::json)
        .json(&body())
        .await
        .expect("created");
    assert_eq!(created, json!({"id": "1"}));
    let sent: Request = server.received_requests().await.unwrap().remove(0);
    assert!(
        sent.body.len() < 200,
        "{} bytes: not compressed",
        sent.body.len()
    );
    let plain: Value = serde_json::from_slice(&gunzip(&sent.body)).unwrap();
    assert_eq!(plain, body());
    assert_eq!(
        sent.headers.get("content-type").unwrap(),
        "application/json"
    );
}

/// A 415 to the compressed body: the same request again, plain, and that answer counts.
#[tokio::test]
async fn a_415_gets_the_body_uncompressed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/accessPackages"))
        .and(header("content-encoding", "gzip"))
        .respond_with(ResponseTemplate::new(415))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/accessPackages"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "2"})))
        .expect(1)
        .mount(&server)
        .await;
    let created: Value = client(&server, true)
        .request(Method::POST, "/accessPackages", decode::json)
        .json(&body())
        .await
        .expect("created");
    assert_eq!(created, json!({"id": "2"}));
    let requests = server.received_requests().await.unwrap();
    let plain = &requests[1];
    assert!(plain.headers.get("content-encoding").is_none());
    assert_eq!(
        serde_json::from_slice::<Value>(&plain.body).unwrap(),
        body()
    );
}

/// Off by default: bodies go as they are.
#[tokio::test]
async fn off_by_default() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server, false)
        .request(Method::POST, "/x", decode::empty)
        .json(&body())
        .await
        .expect("sent");
    let sent = server.received_requests().await.unwrap().remove(0);
    assert!(sent.headers.get("content-encoding").is_none());
    assert_eq!(serde_json::from_slice::<Value>(&sent.body).unwrap(), body());
}
