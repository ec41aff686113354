//! Request execution against a real loopback HTTP server.

mod common;

use std::future::IntoFuture;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use apigen_runtime::middleware::{Middleware, MiddlewareFuture, Next};
use apigen_runtime::query::{CollectionOptions, ItemOptions};
use apigen_runtime::types::Uuid;
use apigen_runtime::{Client, Error, Method, StatusCode, decode, path, reqwest};
use serde::{Deserialize, Serialize};
use serde_json::json;
use wiremock::matchers::{header, method, path as url_path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use common::{TOKEN, client, only_request};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewAccessPackage<'a> {
    display_name: &'a str,
    is_hidden: bool,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
struct AccessPackage {
    id: String,
    display_name: String,
}

fn assert_send<T: Send>(_: &T) {}

/// Contract test 1: method, path appended to a base URL with a path, bearer
/// token, JSON body and content type, a UUID `client-request-id`, default
/// headers, and decoding of a JSON 201.
#[tokio::test]
async fn request_sends_method_path_auth_body_and_decodes_201() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(url_path(
            "/beta/identityGovernance/entitlementManagement/accessPackages",
        ))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("location", "https://example.invalid/ap1")
                .set_body_json(json!({"id": "ap1", "displayName": "Sales"})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let request = client
        .request(
            Method::POST,
            "/identityGovernance/entitlementManagement/accessPackages",
            decode::json::<AccessPackage>,
        )
        .json(&NewAccessPackage {
            display_name: "Sales",
            is_hidden: false,
        });
    let future = request.into_future();
    assert_send(&future);
    let created = future.await.expect("request succeeds");
    assert_eq!(
        created,
        AccessPackage {
            id: "ap1".into(),
            display_name: "Sales".into()
        }
    );

    let req = only_request(&server).await;
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(
        req.body_json::<serde_json::Value>().unwrap(),
        json!({"displayName": "Sales", "isHidden": false})
    );
    let id = req.headers["client-request-id"].to_str().unwrap();
    assert!(
        Uuid::parse_str(id).is_ok(),
        "client-request-id {id} is a UUID"
    );
    assert_eq!(req.headers["accept"], "application/json");
    let ua = req.headers["user-agent"].to_str().unwrap();
    assert!(ua.starts_with("apigen-runtime/"), "user agent {ua}");
}

/// `send()` gives status and headers along with the body; `Client` defaults
/// (headers, user agent) are applied and request headers override them.
#[tokio::test]
async fn send_returns_status_and_headers_and_applies_defaults() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(url_path("/v1/me"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "W/\"1\"")
                .set_body_json(json!({"id": "me", "displayName": "Me"})),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/v1", server.uri()))
        .default_header("x-tenant", "contoso")
        .default_header("x-overridden", "default")
        .user_agent("my-app/1.0")
        .build()
        .unwrap();
    let response = client
        .request(Method::GET, "/me", decode::json::<AccessPackage>)
        .with_query_options::<ItemOptions>()
        .select(["id", "displayName"])
        .header("x-overridden", "request")
        .header("client-request-id", "my-own-id")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.headers["etag"], "W/\"1\"");
    assert_eq!(response.body.id, "me");

    let req = only_request(&server).await;
    assert_eq!(req.headers["x-tenant"], "contoso");
    assert_eq!(req.headers["x-overridden"], "request");
    assert_eq!(req.headers["user-agent"], "my-app/1.0");
    assert_eq!(req.headers["client-request-id"], "my-own-id");
    assert!(
        !req.headers.contains_key("authorization"),
        "no credential, no auth header"
    );
}

/// Empty, text and bytes decoders; `Prefer` accumulates; form bodies.
#[tokio::test]
async fn other_decoders_prefer_and_form_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(url_path("/beta/items/1"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(url_path("/beta/items/1/content"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![0xffu8, 0x00, 0x41]))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(url_path("/beta/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok ✓"))
        .mount(&server)
        .await;
    let client = client(&server);

    client
        .request(Method::DELETE, "/items/1", decode::empty)
        .prefer("return=minimal")
        .include_unknown_enum_members()
        .await
        .unwrap();
    let bytes = client
        .request(Method::GET, "/items/1/content", decode::bytes)
        .await
        .unwrap();
    assert_eq!(&bytes[..], &[0xff, 0x00, 0x41]);
    let err = client
        .request(Method::GET, "/items/1/content", decode::text)
        .await
        .unwrap_err();
    let Error::Decode(decode_err) = &err else {
        panic!("expected a decode error, got {err:?}");
    };
    assert_eq!(
        &decode_err.body()[..],
        &[0xff, 0x00, 0x41],
        "raw bytes kept"
    );

    #[derive(Serialize)]
    struct Form<'a> {
        grant_type: &'a str,
        scope: &'a str,
        tags: Vec<&'a str>,
        missing: Option<&'a str>,
    }
    let text = client
        .request(Method::POST, "/token", decode::text)
        .form(&Form {
            grant_type: "client_credentials",
            scope: "https://graph.microsoft.com/.default a+b",
            tags: vec!["x", "y z"],
            missing: None,
        })
        .await
        .unwrap();
    assert_eq!(text, "ok ✓");

    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].headers["prefer"],
        "return=minimal, include-unknown-enum-members"
    );
    assert_eq!(
        String::from_utf8(requests[3].body.clone()).unwrap(),
        "grant_type=client_credentials&scope=https://graph.microsoft.com/.default%20a%2Bb&tags=x&tags=y%20z"
    );
}

/// Contract test 6: path segments built with `path::segment` keep the
/// request on the intended path.
#[tokio::test]
async fn path_segments_cannot_escape_the_intended_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = client(&server);
    let cases = [
        ("a/../b", "/beta/items/a%2F..%2Fb"),
        ("x?y#z", "/beta/items/x%3Fy%23z"),
        ("100%", "/beta/items/100%25"),
        (" spaces ", "/beta/items/%20spaces%20"),
        ("é", "/beta/items/%C3%A9"),
        ("back\\slash", "/beta/items/back%5Cslash"),
        ("%2e%2e", "/beta/items/%252e%252e"),
        ("('key')", "/beta/items/('key')"),
    ];
    for (value, expected) in cases {
        client
            .request_at(
                Method::GET,
                path::segment("id", value).map(|id| format!("/items/{id}")),
                decode::json::<serde_json::Value>,
            )
            .await
            .unwrap_or_else(|e| panic!("{value:?}: {e}"));
        let requests = server.received_requests().await.unwrap();
        let last = requests.last().unwrap();
        assert_eq!(last.url.path(), expected, "value {value:?}");
        assert!(last.url.query().is_none() && last.url.fragment().is_none());
    }

    for bad in ["", ".", ".."] {
        let err = client
            .request_at(
                Method::GET,
                path::segment("id", bad).map(|id| format!("/items/{id}")),
                decode::json::<serde_json::Value>,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidPathParameter { name, .. } if name == "id"),
            "{bad:?} gives {err:?}"
        );
        let err = client
            .paged_at::<serde_json::Value>(
                path::segment("userId", bad).map(|id| format!("/users/{id}/x")),
            )
            .collect_all()
            .await
            .unwrap_err();
        assert!(matches!(&err, Error::InvalidPathParameter { name, .. } if name == "userId"));
    }
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        cases.len(),
        "rejected parameters send nothing"
    );
    assert_eq!(
        format!(
            "/x/filterByCurrentUser(on={})",
            path::odata_key_literal("target")
        ),
        "/x/filterByCurrentUser(on='target')"
    );
}

/// Build errors (invalid header, unserializable body) are deferred to send
/// and nothing is sent.
#[tokio::test]
async fn build_errors_are_returned_when_sent() {
    let server = MockServer::start().await;
    let client = client(&server);
    let err = client
        .request(Method::GET, "/x", decode::empty)
        .header("bad header", "v")
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidHeader { name } if name == "bad header"));

    let err = client
        .request(Method::GET, "/x", decode::empty)
        .header("x-ok", "line\nbreak")
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidHeader { name } if name == "x-ok"));

    let mut map = std::collections::HashMap::new();
    map.insert(vec![1u8], 1);
    let err = client
        .request(Method::POST, "/x", decode::empty)
        .json(&map)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Encode(_)), "{err:?}");

    let err = Client::builder()
        .base_url(server.uri())
        .default_header("x-bad", "a\rb")
        .build()
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidHeader { name } if name == "x-bad"));

    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

/// Counts calls and adds a header.
struct CountingMiddleware {
    calls: Arc<AtomicUsize>,
}

impl Middleware for CountingMiddleware {
    fn handle<'a>(&'a self, mut req: reqwest::Request, next: Next<'a>) -> MiddlewareFuture<'a> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        req.headers_mut().insert(
            "x-middleware",
            reqwest::header::HeaderValue::from_static("seen"),
        );
        next.run(req)
    }
}

/// Records the order in which middlewares run.
struct OrderMiddleware {
    name: &'static str,
    log: Arc<std::sync::Mutex<Vec<&'static str>>>,
}

impl Middleware for OrderMiddleware {
    fn handle<'a>(&'a self, req: reqwest::Request, next: Next<'a>) -> MiddlewareFuture<'a> {
        Box::pin(async move {
            self.log.lock().unwrap().push(self.name);
            let response = next.run(req).await?;
            self.log.lock().unwrap().push(self.name);
            Ok(response)
        })
    }
}

/// Contract test 11: a user-supplied `reqwest::Client` is used, and every
/// attempt (including a retry) passes through the middlewares, in order.
#[tokio::test]
async fn custom_http_client_and_middleware_see_every_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(url_path("/beta/me"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(url_path("/beta/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;

    apigen_runtime::install_default_crypto_provider();
    let mut default_headers = reqwest::header::HeaderMap::new();
    default_headers.insert(
        "x-custom-client",
        reqwest::header::HeaderValue::from_static("yes"),
    );
    let http = reqwest::Client::builder()
        .default_headers(default_headers)
        .build()
        .unwrap();
    let calls = Arc::new(AtomicUsize::new(0));
    let log = Arc::new(std::sync::Mutex::new(Vec::new()));
    let client = Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .bearer_token(TOKEN)
        .http_client(http)
        .retry_policy(common::fast_retry())
        .middleware(OrderMiddleware {
            name: "outer",
            log: log.clone(),
        })
        .middleware(CountingMiddleware {
            calls: calls.clone(),
        })
        .build()
        .unwrap();

    let value = client
        .request(Method::GET, "/me", decode::json::<serde_json::Value>)
        .await
        .unwrap();
    assert_eq!(value, json!({"ok": true}));
    assert_eq!(calls.load(Ordering::SeqCst), 2, "one call per attempt");
    assert_eq!(*log.lock().unwrap(), ["outer", "outer", "outer", "outer"]);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for req in &requests {
        assert_eq!(req.headers["x-custom-client"], "yes");
        assert_eq!(req.headers["x-middleware"], "seen");
        assert_eq!(
            req.headers["authorization"],
            format!("Bearer {TOKEN}").as_str()
        );
    }
    assert_eq!(
        requests[0].headers["client-request-id"], requests[1].headers["client-request-id"],
        "a retry keeps the client-request-id"
    );
}

/// A middleware can short-circuit with its own error.
#[tokio::test]
async fn middleware_errors_are_reported() {
    struct Deny;
    impl Middleware for Deny {
        fn handle<'a>(&'a self, _req: reqwest::Request, _next: Next<'a>) -> MiddlewareFuture<'a> {
            Box::pin(async { Err(Error::Middleware("denied by policy".into())) })
        }
    }
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .middleware(Deny)
        .build()
        .unwrap();
    let err = client
        .request(Method::GET, "/x", decode::empty)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Middleware(_)));
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

/// A refreshing credential is asked for a token on every attempt; its
/// failure is an `Error::Auth`.
#[tokio::test]
async fn credential_is_called_per_attempt_and_errors_are_auth_errors() {
    use apigen_runtime::auth::{AccessToken, BoxError, token_fn};

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer token-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(1)))
        .mount(&server)
        .await;
    let counter = Arc::new(AtomicUsize::new(0));
    let c = counter.clone();
    let client = Client::builder()
        .base_url(server.uri())
        .credential(token_fn(move || {
            let n = c.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok::<_, BoxError>(AccessToken::new(format!("token-{n}"))) }
        }))
        .retry_policy(common::fast_retry())
        .build()
        .unwrap();
    let n: i32 = client
        .request(Method::GET, "/x", decode::json)
        .await
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(counter.load(Ordering::SeqCst), 2);

    let failing = Client::builder()
        .base_url(server.uri())
        .credential(token_fn(|| async {
            Err::<AccessToken, BoxError>("identity endpoint unreachable".into())
        }))
        .build()
        .unwrap();
    let err = failing
        .request(Method::GET, "/x", decode::empty)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// The option marker types gate the OData methods at compile time; this just
/// exercises the re-tagging.
#[tokio::test]
async fn query_option_markers_retag_requests() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let client = client(&server);
    let items: Vec<serde_json::Value> = client
        .request(Method::GET, "/things", decode::json)
        .with_query_options::<CollectionOptions>()
        .top(1)
        .await
        .unwrap();
    assert!(items.is_empty());
    assert_eq!(only_request(&server).await.url.query(), Some("$top=1"));
}

/// An optional body (an operation that may answer `204 No Content`, or whose body may be
/// `null`) is `None` when empty and when `null`, and still refuses a body of the wrong shape.
#[tokio::test]
async fn optional_json_bodies_are_none_when_empty_or_null() {
    let server = MockServer::start().await;
    for (route, response) in [
        ("/empty", ResponseTemplate::new(204)),
        (
            "/null",
            ResponseTemplate::new(200).set_body_json(json!(null)),
        ),
        (
            "/value",
            ResponseTemplate::new(200).set_body_json(json!({"id": "1", "displayName": "x"})),
        ),
        (
            "/wrong",
            ResponseTemplate::new(200).set_body_json(json!({"id": 1})),
        ),
    ] {
        Mock::given(url_path(format!("/beta{route}")))
            .respond_with(response)
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let get = |route: &'static str| {
        client.request(Method::GET, route, decode::json_optional::<AccessPackage>)
    };
    assert_eq!(get("/empty").await.unwrap(), None);
    assert_eq!(get("/null").await.unwrap(), None);
    assert_eq!(
        get("/value").await.unwrap(),
        Some(AccessPackage {
            id: "1".into(),
            display_name: "x".into(),
        })
    );
    let err = get("/wrong").await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode(e) if e.path() == "id"),
        "{err:?}"
    );
}

apigen_runtime::from_json_via_serde!(AccessPackage);
