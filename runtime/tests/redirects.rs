//! Redirects, followed by the runtime against real loopback servers: credentials never reach
//! another origin, methods change as HTTP says, and the number of hops is bounded.

mod common;

use apigen_runtime::{Client, Error, Method, decode};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use common::{TOKEN, fast_retry};

/// A client for `{server}/beta` with every kind of credential: a bearer token, an API key
/// header and an API key cookie.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .bearer_token(TOKEN)
        .api_key_header("X-Api-Key", "key-1")
        .api_key_cookie("session", "c00kie")
        .retry_policy(fast_retry())
        .build()
        .expect("client builds")
}

fn redirect(status: u16, location: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("location", location)
}

/// A 302 to another origin (another port) is followed; the token, the API key header and the
/// cookie went to the first server only.
#[tokio::test]
async fn a_redirect_to_another_origin_carries_no_credentials() {
    let api = MockServer::start().await;
    let storage = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/beta/files/1/content"))
        .respond_with(redirect(
            302,
            &format!("{}/download/1?sig=abc", storage.uri()),
        ))
        .expect(1)
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path("/download/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(&storage)
        .await;

    let value: Value = client(&api)
        .request(Method::GET, "/files/1/content", decode::json)
        .await
        .expect("followed");
    assert_eq!(value, json!({"ok": true}));

    let first = &api.received_requests().await.unwrap()[0];
    assert_eq!(
        first.headers.get("authorization").unwrap(),
        &format!("Bearer {TOKEN}")
    );
    assert!(first.headers.get("x-api-key").is_some());
    let second = &storage.received_requests().await.unwrap()[0];
    for name in ["authorization", "x-api-key", "cookie"] {
        assert!(
            second.headers.get(name).is_none(),
            "`{name}` reached another origin"
        );
    }
    assert_eq!(second.url.query(), Some("sig=abc"));
}

/// A 307 within the origin keeps the method, the body and the credentials.
#[tokio::test]
async fn a_307_within_the_origin_keeps_method_body_and_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/beta/items"))
        .respond_with(redirect(307, "/beta/v2/items"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/beta/v2/items"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "1"})))
        .expect(1)
        .mount(&server)
        .await;

    let value: Value = client(&server)
        .request(Method::POST, "/items", decode::json)
        .json(&json!({"name": "a"}))
        .await
        .expect("followed");
    assert_eq!(value, json!({"id": "1"}));
    let requests = server.received_requests().await.unwrap();
    let second = &requests[1];
    assert_eq!(second.body, br#"{"name":"a"}"#);
    assert_eq!(
        second.headers.get("authorization").unwrap(),
        &format!("Bearer {TOKEN}")
    );
    assert_eq!(second.headers.get("x-api-key").unwrap(), "key-1");
}

/// A 303 (and a 302 answering a POST) is followed with a GET without a body.
#[tokio::test]
async fn a_303_becomes_a_get_without_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/beta/jobs"))
        .respond_with(redirect(303, "/beta/jobs/7"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/beta/legacy"))
        .respond_with(redirect(302, "/beta/jobs/7"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/jobs/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"state": "done"})))
        .expect(2)
        .mount(&server)
        .await;

    let client = client(&server);
    for start in ["/jobs", "/legacy"] {
        let value: Value = client
            .request(Method::POST, start, decode::json)
            .json(&json!({"run": true}))
            .await
            .expect("followed");
        assert_eq!(value, json!({"state": "done"}));
    }
    for r in server.received_requests().await.unwrap() {
        if r.method.as_str() == "GET" {
            assert!(r.body.is_empty());
            assert!(r.headers.get("content-type").is_none());
        }
    }
}

/// Redirects stop at the limit (5 unless set): the last redirect is the answer, an error
/// with its status. With 0, a redirect is not followed at all.
#[tokio::test]
async fn redirects_stop_at_the_limit() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/beta/loop"))
        .respond_with(redirect(302, "/beta/loop"))
        .mount(&server)
        .await;

    let err = client(&server)
        .request::<Value>(Method::GET, "/loop", decode::json)
        .await
        .expect_err("a loop never ends well");
    let Error::Status(status) = err else {
        panic!("expected a status error, got {err:?}");
    };
    assert_eq!(status.status().as_u16(), 302);
    assert_eq!(server.received_requests().await.unwrap().len(), 6);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/beta/moved"))
        .respond_with(redirect(301, "/beta/elsewhere"))
        .expect(1)
        .mount(&server)
        .await;
    let none = Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .max_redirects(0)
        .build()
        .unwrap();
    let err = none
        .request::<Value>(Method::GET, "/moved", decode::json)
        .await
        .expect_err("not followed");
    assert!(matches!(err, Error::Status(s) if s.status().as_u16() == 301));
}
