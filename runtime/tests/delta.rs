//! Delta queries against a real loopback server: next links to the delta link, resumed from
//! it later; pages that break the rules stop with an error instead of looping.

mod common;

use apigen_runtime::{Client, Error};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use common::{TOKEN, fast_retry};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/v1.0", server.uri()))
        .bearer_token(TOKEN)
        .retry_policy(fast_retry())
        .build()
        .unwrap()
}

async fn page(server: &MockServer, token: Option<&str>, body: Value) {
    let mock = Mock::given(method("GET")).and(path("/v1.0/users/delta()"));
    let mock = match token {
        Some(t) => mock.and(query_param("$skiptoken", t)),
        None => mock.and(query_param_is_missing("$skiptoken")),
    };
    mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

/// Three pages to the delta link, then the changes since, from the stored link.
#[tokio::test]
async fn delta_over_three_pages_then_resumed_from_the_link() {
    let server = MockServer::start().await;
    let base = format!("{}/v1.0/users/delta()", server.uri());
    // The resumed query: matched first (it carries $deltatoken).
    Mock::given(method("GET"))
        .and(path("/v1.0/users/delta()"))
        .and(query_param("$deltatoken", "d1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "2", "@removed": {"reason": "deleted"}}],
            "@odata.deltaLink": format!("{base}?$deltatoken=d2"),
        })))
        .expect(1)
        .mount(&server)
        .await;
    page(
        &server,
        Some("p3"),
        json!({"value": [{"id": "5"}], "@odata.deltaLink": format!("{base}?$deltatoken=d1")}),
    )
    .await;
    page(&server, Some("p2"), json!({"value": [{"id": "3"}, {"id": "4"}], "@odata.nextLink": format!("{base}?$skiptoken=p3")})).await;
    page(&server, None, json!({"value": [{"id": "1"}, {"id": "2"}], "@odata.nextLink": format!("{base}?$skiptoken=p2")})).await;

    let client = client(&server);
    let first = client
        .paged::<Value>("/users/delta()")
        .collect_delta()
        .await
        .expect("a delta link");
    let ids: Vec<&str> = first
        .items
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    assert_eq!(first.delta_link, format!("{base}?$deltatoken=d1"));

    let changes = client
        .delta_from::<Value>(&first.delta_link)
        .collect_delta()
        .await
        .expect("the changes since");
    assert_eq!(
        changes.items,
        vec![json!({"id": "2", "@removed": {"reason": "deleted"}})]
    );
    assert_eq!(changes.delta_link, format!("{base}?$deltatoken=d2"));
    // Every page carried the token.
    for r in server.received_requests().await.unwrap() {
        assert_eq!(
            r.headers.get("authorization").unwrap(),
            &format!("Bearer {TOKEN}")
        );
    }
}

/// A page with both links, a delta query that ends without a delta link, a next link back to
/// an earlier page, and a delta link elsewhere: errors, not loops or leaks.
#[tokio::test]
async fn broken_delta_pages_are_errors() {
    let server = MockServer::start().await;
    let base = format!("{}/v1.0/users/delta()", server.uri());
    page(
        &server,
        None,
        json!({"value": [], "@odata.nextLink": format!("{base}?$skiptoken=a"), "@odata.deltaLink": format!("{base}?$deltatoken=x")}),
    )
    .await;
    let client = client(&server);
    let err = client
        .paged::<Value>("/users/delta()")
        .collect_delta()
        .await
        .expect_err("both links");
    assert!(matches!(err, Error::InvalidPage { .. }), "{err:?}");

    let server = MockServer::start().await;
    let base = format!("{}/v1.0/users/delta()", server.uri());
    page(
        &server,
        None,
        json!({"value": [{"id": "1"}], "@odata.nextLink": format!("{base}?$skiptoken=b")}),
    )
    .await;
    page(
        &server,
        Some("b"),
        json!({"value": [{"id": "2"}], "@odata.nextLink": base}),
    )
    .await;
    let err = client_for(&server)
        .paged::<Value>("/users/delta()")
        .collect_delta()
        .await
        .expect_err("a loop");
    assert!(matches!(err, Error::RepeatedNextLink { .. }), "{err:?}");

    let server = MockServer::start().await;
    page(&server, None, json!({"value": [{"id": "1"}]})).await;
    let err = client_for(&server)
        .paged::<Value>("/users/delta()")
        .collect_delta()
        .await
        .expect_err("not a delta query");
    assert!(matches!(err, Error::InvalidPage { .. }), "{err:?}");

    let err = client_for(&server)
        .delta_from::<Value>("https://attacker.example/v1.0/users/delta()?$deltatoken=x")
        .collect_delta()
        .await
        .expect_err("another origin");
    assert!(matches!(err, Error::InvalidRequestUrl { .. }), "{err:?}");
}

fn client_for(server: &MockServer) -> Client {
    client(server)
}
