//! Typed errors from real HTTP responses, and secret redaction.

mod common;

use apigen_runtime::auth::{AccessToken, StaticToken};
use apigen_runtime::{Client, Error, Method, StatusCode, decode};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const GRAPH_ERROR: &str = r#"{"error":{"code":"invalidRange","message":"Uploaded fragment overlaps with existing data.","innerError":{"request-id":"request-id","date":"date-time"}}}"#;

/// Contract test 5: a Graph error body is decoded; code, message and the
/// request ids are reported; Display is informative.
#[tokio::test]
async fn graph_error_body_is_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/beta/upload"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("content-type", "application/json")
                .set_body_string(GRAPH_ERROR),
        )
        .mount(&server)
        .await;
    let client = common::client(&server);
    let err = client
        .request(Method::PUT, "/upload", decode::empty)
        .body(vec![1u8, 2, 3], "application/octet-stream")
        .await
        .unwrap_err();

    assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST));
    assert_eq!(err.code(), Some("invalidRange"));
    assert!(!err.is_throttled());
    let sent_id = common::only_request(&server).await.headers["client-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(err.client_request_id(), Some(sent_id.as_str()));

    let Error::Status(status) = &err else {
        panic!("expected Error::Status, got {err:?}");
    };
    assert_eq!(status.code(), Some("invalidRange"));
    assert_eq!(
        status.message(),
        Some("Uploaded fragment overlaps with existing data.")
    );
    assert_eq!(status.request_id(), Some("request-id"));
    assert_eq!(status.client_request_id(), Some(sent_id.as_str()));
    assert_eq!(status.attempts(), 1);
    assert_eq!(status.method(), Method::PUT);
    assert!(status.url().ends_with("/beta/upload"));
    assert_eq!(&status.body()[..], GRAPH_ERROR.as_bytes());
    let inner = status
        .odata_error()
        .unwrap()
        .error
        .inner_error
        .as_ref()
        .unwrap();
    assert_eq!(inner.date.as_deref(), Some("date-time"));
    assert_eq!(
        err.to_string(),
        format!(
            "HTTP 400 Bad Request: invalidRange: Uploaded fragment overlaps with existing data. \
             (request-id: request-id, client-request-id: {sent_id})"
        )
    );
}

/// A non-OData error body (HTML) is kept raw; the `request-id` response
/// header is used.
#[tokio::test]
async fn non_odata_error_body_is_kept_raw() {
    let server = MockServer::start().await;
    let html = "<html><body>Bad gateway</body></html>";
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("request-id", "from-header")
                .set_body_string(html),
        )
        .mount(&server)
        .await;
    let client = common::client(&server);
    let err = client
        .request(Method::GET, "/x", decode::empty)
        .await
        .unwrap_err();
    let Error::Status(status) = &err else {
        panic!("expected Error::Status, got {err:?}");
    };
    assert_eq!(status.status(), StatusCode::BAD_GATEWAY);
    assert!(status.odata_error().is_none());
    assert!(status.code().is_none());
    assert_eq!(&status.body()[..], html.as_bytes());
    assert_eq!(status.request_id(), Some("from-header"));
    assert!(
        err.to_string()
            .starts_with("HTTP 502 Bad Gateway (request-id: from-header")
    );
}

#[derive(Deserialize, Debug)]
#[allow(dead_code)]
#[serde(rename_all = "camelCase")]
struct Question {
    is_required: bool,
}

#[derive(Deserialize, Debug)]
#[allow(dead_code)]
#[serde(rename_all = "camelCase")]
struct Answer {
    answered_question: Question,
}

#[derive(Deserialize, Debug)]
#[allow(dead_code)]
struct Request {
    answers: Vec<Answer>,
}

/// Contract test 5: a 200 whose body does not decode gives `Error::Decode`
/// naming the JSON path and keeping the raw body.
#[tokio::test]
async fn decode_error_names_the_json_path() {
    let server = MockServer::start().await;
    let body = json!({"answers": [{"answeredQuestion": {"isRequired": "yes"}}]}).to_string();
    Mock::given(method("GET"))
        .and(path("/beta/requests/1"))
        .respond_with(ResponseTemplate::new(200).set_body_string(body.clone()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/requests/2"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{} trailing"))
        .mount(&server)
        .await;
    let client = common::client(&server);
    let err = client
        .request(Method::GET, "/requests/1", decode::json::<Request>)
        .await
        .unwrap_err();
    let Error::Decode(decode_err) = &err else {
        panic!("expected Error::Decode, got {err:?}");
    };
    assert_eq!(decode_err.path(), "answers[0].answeredQuestion.isRequired");
    assert_eq!(decode_err.status(), StatusCode::OK);
    assert_eq!(&decode_err.body()[..], body.as_bytes());
    assert!(decode_err.message().contains("invalid type"));
    assert!(
        err.to_string()
            .contains("answers[0].answeredQuestion.isRequired")
    );
    assert!(err.client_request_id().is_some());

    // Paged decoding reports the path inside `value` too.
    Mock::given(method("GET"))
        .and(path("/beta/requests"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": [{"answers": []}, {"answers": 3}]})),
        )
        .mount(&server)
        .await;
    let err = client
        .paged::<Request>("/requests")
        .collect_all()
        .await
        .unwrap_err();
    let Error::Decode(decode_err) = &err else {
        panic!("expected Error::Decode, got {err:?}");
    };
    assert_eq!(decode_err.path(), "value[1].answers");

    let err = client
        .request(
            Method::GET,
            "/requests/2",
            decode::json::<serde_json::Value>,
        )
        .await
        .unwrap_err();
    let Error::Decode(decode_err) = &err else {
        panic!("expected Error::Decode, got {err:?}");
    };
    assert_eq!(decode_err.path(), ".");
}

/// A transport failure (nothing listening) is an `Error::Transport` with the
/// client-request-id, and is not retried.
#[tokio::test]
async fn transport_errors_are_reported() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::builder()
        .base_url(format!("http://{addr}"))
        .build()
        .unwrap();
    let err = client
        .request(Method::GET, "/x", decode::empty)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.client_request_id().is_some());
    assert!(std::error::Error::source(&err).is_some());
}

/// Contract test 7: no secret in `Debug` of the client, the builder, tokens,
/// requests, or in `Display`/`Debug` of a status error.
#[tokio::test]
async fn secrets_never_appear_in_debug_or_errors() {
    let secret = "super-secret-token";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": {"code": "InvalidAuthenticationToken", "message": "Access token has expired."}
        })))
        .mount(&server)
        .await;

    let builder = Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .bearer_token(secret);
    assert!(!format!("{builder:?}").contains(secret));
    let client = builder.build().unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains(secret), "{debug}");
    assert!(debug.contains(&server.uri()) && debug.contains("credential: true"));

    let token = AccessToken::new(secret);
    assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
    assert!(!format!("{:?}", StaticToken::new(secret)).contains(secret));

    let request = client
        .request(Method::GET, "/me", decode::empty)
        .header("authorization", &format!("Bearer {secret}"));
    assert!(!format!("{request:?}").contains(secret));

    let err = client
        .request(Method::GET, "/me", decode::empty)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidAuthenticationToken"));
    assert!(!format!("{err}").contains(secret));
    assert!(!format!("{err:?}").contains(secret));
    // ... although the token was really sent.
    let req = common::only_request(&server).await;
    assert_eq!(
        req.headers["authorization"],
        format!("Bearer {secret}").as_str()
    );
}

apigen_runtime::from_json_via_serde!(Request);
