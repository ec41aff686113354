//! The mock engine on its own (feature `mock`): what generated crates' stubs build on, for an
//! API of either protocol.
#![cfg(feature = "mock")]

use std::time::Duration;

use apigen_runtime::mock::{
    Delta, Json, MockServer, NoBody, NoContent, ODataValue, Protocol, Text,
};
use apigen_runtime::{Client, Method, Page, decode};
use futures_util::TryStreamExt;
use serde_json::{Value, json};

#[tokio::test]
async fn plain_apis_are_throttled_without_odata_bodies() {
    let server = MockServer::start(Protocol::Plain).await;
    let stub = server
        .stub::<NoBody, Json<Value>, Value>("get_pet", Method::GET, "/pets/{petId}", 200)
        .when(|w| w.path_param("petId", 7))
        .then(|t| {
            t.throttled(1, Duration::from_millis(10))
                .ok(&json!({"name": "Rex"}))
        })
        .expect(2)
        .mount()
        .await;
    let client: Client = server.client();
    let response = client
        .request(Method::GET, "/pets/7", decode::json::<Value>)
        .send()
        .await
        .unwrap();
    assert_eq!(response.body["name"], "Rex");
    // No Graph headers on a plain API.
    assert!(!response.headers.contains_key("request-id"));
    let throttled = &stub.received()[0];
    assert_eq!(throttled.url.path(), "/pets/7");

    // A plain API's error is typed by its own error body.
    server
        .stub::<NoBody, Json<Value>, Value>("get_pet", Method::GET, "/pets/{petId}", 200)
        .then(|t| t.not_found(&json!({"message": "no pet"})))
        .mount()
        .await;
    let err = client
        .request(Method::GET, "/pets/8", decode::json::<Value>)
        .await
        .unwrap_err();
    let apigen_runtime::Error::Status(status) = err else {
        panic!("not a status error")
    };
    assert_eq!(status.status().as_u16(), 404);
    assert_eq!(&status.body()[..], br#"{"message":"no pet"}"#);
}

#[tokio::test]
async fn delta_functions_end_with_a_delta_link() {
    let server = MockServer::start(Protocol::OData).await;
    server
        .stub::<NoBody, Delta<Value>, Value>("delta_users", Method::GET, "/users/delta()", 200)
        .then(|t| {
            t.pages(
                &[json!({"id": "a"}), json!({"id": "b"}), json!({"id": "c"})],
                2,
            )
        })
        .expect(2)
        .mount()
        .await;
    let client: Client = server.client();
    let pages: Vec<Page<Value>> = client
        .paged("/users/delta()")
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert!(pages[0].delta_link.is_none() && pages[0].next_link.is_some());
    let delta = pages[1].delta_link.as_deref().unwrap();
    assert!(
        delta.starts_with(&format!("{}/users/delta()?$deltatoken=", server.uri())),
        "{delta}"
    );
    assert_eq!(pages[1].count, None);
}

#[tokio::test]
async fn values_text_and_empty_answers() {
    let server = MockServer::start(Protocol::OData).await;
    server
        .stub::<NoBody, ODataValue<i64>, Value>("count", Method::GET, "/users/$count", 200)
        .then(|t| t.ok(&42))
        .mount()
        .await;
    server
        .stub::<NoBody, Text, Value>("readme", Method::GET, "/readme", 200)
        .then(|t| t.text("hello"))
        .mount()
        .await;
    server
        .stub::<Value, NoContent, Value>("touch", Method::POST, "/touch", 204)
        .when(|w| w.body(&json!({"at": 1})))
        .mount()
        .await;
    let client: Client = server.client();
    let count: i64 = client
        .request(Method::GET, "/users/$count", decode::odata_value::<i64>)
        .await
        .unwrap();
    assert_eq!(count, 42);
    let text = client
        .request(Method::GET, "/readme", decode::text)
        .await
        .unwrap();
    assert_eq!(text, "hello");
    let response = client
        .request(Method::POST, "/touch", decode::empty)
        .json(&json!({"at": 1.0}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status.as_u16(), 204);
}

#[tokio::test]
async fn raw_wiremock_mocks_come_before_stubs_and_reports_say_when_nothing_is_mounted() {
    let server = MockServer::start(Protocol::OData).await;
    let client: Client = server.client();
    let err = client
        .request(Method::GET, "/nothing", decode::empty)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("apigenMockNoStubMatched"));
    let report = server.take_unmatched().remove(0).report;
    assert_eq!(report, "no stub matched `GET /nothing`: no stub is mounted");

    use apigen_runtime::mock::wiremock::{Mock, ResponseTemplate, matchers};
    Mock::given(matchers::path("/raw"))
        .respond_with(ResponseTemplate::new(418))
        .mount(server.wiremock())
        .await;
    server
        .stub::<NoBody, NoContent, Value>("raw", Method::GET, "/raw", 204)
        .mount()
        .await;
    let err = client
        .request(Method::GET, "/raw", decode::empty)
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(418));
    assert_eq!(server.received_requests().await.len(), 2);
}

/// A stub of `GET /issues` whose pages are arrays with a `Link` header, answering `answer`.
async fn issues_stub(
    server: &MockServer,
    answer: impl FnOnce(
        apigen_runtime::mock::Then<apigen_runtime::mock::Paged<Value>, Value>,
    ) -> apigen_runtime::mock::Then<apigen_runtime::mock::Paged<Value>, Value>,
) {
    server
        .stub::<NoBody, apigen_runtime::mock::Paged<Value>, Value>(
            "list_issues",
            Method::GET,
            "/issues",
            200,
        )
        .link_header()
        .then(answer)
        .mount()
        .await;
}

#[tokio::test]
async fn link_header_pages_are_arrays_with_a_next_link_header() {
    let server = MockServer::start(Protocol::Plain).await;
    issues_stub(&server, |t| t.pages(&[json!(1), json!(2), json!(3)], 2)).await;
    let client: Client = server.client();
    let items: Vec<Value> = client
        .paged("/issues")
        .link_header()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(items, [json!(1), json!(2), json!(3)]);
    let requests = server.received_requests().await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].url.path(), "/issues");

    // One page as it is: its items as the body, its next link as the header.
    let server = MockServer::start(Protocol::Plain).await;
    let page = apigen_runtime::Page {
        value: vec![json!("a")],
        next_link: Some(format!("{}/issues?page=2", server.uri())),
        ..Default::default()
    };
    issues_stub(&server, |t| t.page(&page)).await;
    let client: Client = server.client();
    let got: apigen_runtime::Page<Value> = client.paged("/issues").link_header().await.unwrap();
    assert_eq!(got.value, [json!("a")]);
    assert_eq!(got.next_link, page.next_link);
}

#[tokio::test]
async fn pages_that_are_not_odatas_use_the_descriptions_members() {
    let server = MockServer::start(Protocol::Plain).await;
    let stub = server
        .stub::<NoBody, apigen_runtime::mock::Paged<Value>, Value>(
            "list_vaults",
            Method::GET,
            "/vaults",
            200,
        )
        .page_fields("items", "nextLink")
        .then(|t| t.pages(&[json!(1), json!(2), json!(3)], 2))
        .expect(2)
        .mount()
        .await;
    let client: Client = server.client();
    let items: Vec<Value> = client
        .paged("/vaults")
        .page_fields("items", "nextLink")
        .collect_all()
        .await
        .unwrap();
    assert_eq!(items, [json!(1), json!(2), json!(3)]);
    let first: Value = serde_json::from_slice(&stub.received()[0].body).unwrap_or(Value::Null);
    assert_eq!(first, Value::Null, "a GET has no body");
}
