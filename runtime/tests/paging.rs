//! Paging over `@odata.nextLink` against real loopback HTTP servers.

mod common;

use apigen_runtime::{Error, Page};
use futures_util::{StreamExt, TryStreamExt};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use common::client;

#[derive(Deserialize, Debug, PartialEq, Clone)]
struct Item {
    id: u32,
}

/// Mounts three pages on `/beta/items`, linked by absolute next links that
/// carry a `$skiptoken` (and no other query options).
async fn mount_three_pages(server: &MockServer) {
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/beta/items"))
        .and(query_param("$filter", "id gt 0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "https://graph/$metadata#items",
            "@odata.count": 5,
            "value": [{"id": 1}, {"id": 2}],
            "@odata.nextLink": format!("{base}/beta/items?$skiptoken=p2"),
        })))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/items"))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": 3}, {"id": 4}],
            "@odata.nextLink": format!("{base}/beta/items?$skiptoken=p3"),
        })))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/items"))
        .and(query_param("$skiptoken", "p3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": 5}],
            "@odata.deltaLink": format!("{base}/beta/items/delta?$deltatoken=d"),
        })))
        .mount(server)
        .await;
}

/// Contract test 2: `items()` yields all items of three pages in order, the
/// headers reach every page, the next links are used verbatim, and each page
/// gets its own `client-request-id`.
#[tokio::test]
async fn items_follow_next_links_and_resend_headers() {
    let server = MockServer::start().await;
    mount_three_pages(&server).await;
    let client = client(&server);

    let items: Vec<Item> = client
        .paged::<Item>("/items")
        .filter("id gt 0")
        .count(true)
        .consistency_level_eventual()
        .header("x-custom", "kept")
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        items.iter().map(|i| i.id).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        requests[0].url.query(),
        Some("$filter=id%20gt%200&$count=true")
    );
    assert_eq!(requests[1].url.query(), Some("$skiptoken=p2"));
    assert_eq!(requests[2].url.query(), Some("$skiptoken=p3"));
    let mut ids = std::collections::HashSet::new();
    for req in &requests {
        assert_eq!(req.headers["consistencylevel"], "eventual");
        assert_eq!(req.headers["x-custom"], "kept");
        assert_eq!(
            req.headers["authorization"],
            format!("Bearer {}", common::TOKEN).as_str()
        );
        ids.insert(
            req.headers["client-request-id"]
                .to_str()
                .unwrap()
                .to_owned(),
        );
    }
    assert_eq!(ids.len(), 3, "a fresh client-request-id per page");
}

/// `pages()` exposes the page metadata; awaiting the request gives the first
/// page only; `collect_all` gathers everything.
#[tokio::test]
async fn pages_expose_count_and_links() {
    let server = MockServer::start().await;
    mount_three_pages(&server).await;
    let client = client(&server);

    let pages: Vec<Page<Item>> = client
        .paged::<Item>("/items")
        .filter("id gt 0")
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0].count, Some(5));
    assert_eq!(
        pages[0].context.as_deref(),
        Some("https://graph/$metadata#items")
    );
    assert!(pages[1].count.is_none());
    assert!(pages[2].next_link.is_none());
    assert!(
        pages[2]
            .delta_link
            .as_deref()
            .unwrap()
            .ends_with("$deltatoken=d")
    );

    let first = client
        .paged::<Item>("/items")
        .filter("id gt 0")
        .await
        .unwrap();
    assert_eq!(first.count, Some(5));
    assert_eq!(first.value, [Item { id: 1 }, Item { id: 2 }]);

    let all = client
        .paged::<Item>("/items")
        .filter("id gt 0")
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
}

/// Contract test 2 (security): a next link to another origin is not
/// followed; the other server receives nothing.
#[tokio::test]
async fn cross_origin_next_link_is_refused() {
    let server = MockServer::start().await;
    let evil = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/beta/items"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": 1}],
            "@odata.nextLink": format!("{}/beta/items?$skiptoken=steal", evil.uri()),
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .mount(&evil)
        .await;
    let client = client(&server);

    let results: Vec<_> = client.paged::<Item>("/items").items().collect().await;
    assert_eq!(results.len(), 2, "the first page's item, then the error");
    assert_eq!(results[0].as_ref().unwrap(), &Item { id: 1 });
    match &results[1] {
        Err(Error::UnexpectedNextLink { url }) => assert!(url.starts_with(&evil.uri())),
        other => panic!("expected UnexpectedNextLink, got {other:?}"),
    }
    assert_eq!(evil.received_requests().await.unwrap().len(), 0);

    // Scheme changes are other origins too.
    let https_link = server.uri().replace("http://", "https://");
    Mock::given(method("GET"))
        .and(path("/beta/downgrade"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [],
            "@odata.nextLink": format!("{https_link}/beta/downgrade?p=2"),
        })))
        .mount(&server)
        .await;
    let err = client
        .paged::<Item>("/downgrade")
        .collect_all()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedNextLink { .. }), "{err:?}");
}

/// A next link repeating the current URL stops with an error instead of
/// looping.
#[tokio::test]
async fn repeated_next_link_stops() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/beta/loop"))
        .and(query_param("$skiptoken", "same"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": 2}],
            "@odata.nextLink": format!("{base}/beta/loop?$skiptoken=same"),
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/loop"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": 1}],
            "@odata.nextLink": format!("{base}/beta/loop?$skiptoken=same"),
        })))
        .mount(&server)
        .await;
    let client = client(&server);
    let results: Vec<_> = client.paged::<Item>("/loop").items().collect().await;
    assert_eq!(results.len(), 3);
    assert!(matches!(results[2], Err(Error::RepeatedNextLink { .. })));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// A failing page ends the stream with its error; `value` may be missing.
#[tokio::test]
async fn page_errors_end_the_stream() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/beta/broken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.nextLink": format!("{base}/beta/gone"),
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/gone"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "error": {"code": "itemNotFound", "message": "gone"}
        })))
        .mount(&server)
        .await;
    let client = client(&server);
    let pages: Vec<_> = client.paged::<Item>("/broken").pages().collect().await;
    assert_eq!(pages.len(), 2);
    assert!(pages[0].as_ref().unwrap().value.is_empty());
    let err = pages[1].as_ref().unwrap_err();
    assert_eq!(err.code(), Some("itemNotFound"));
}

/// A collection asked for with a `POST` and a JSON body (Graph's `getByIds`, Azure's list
/// actions): the first page is the POST with its body; every next link is fetched with a GET
/// that carries neither the body nor its content type.
#[tokio::test]
async fn a_post_first_page_is_followed_by_get_next_links() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(method("POST"))
        .and(path("/beta/directoryObjects/getByIds"))
        .and(wiremock::matchers::body_json(
            json!({"ids": ["a", "b", "c"]}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": 1}, {"id": 2}],
            "@odata.nextLink": format!("{base}/beta/directoryObjects/getByIds?$skiptoken=p2"),
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/directoryObjects/getByIds"))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": 3}]})))
        .mount(&server)
        .await;
    let client = client(&server);

    let items: Vec<Item> = client
        .paged_with::<Item>(
            apigen_runtime::Method::POST,
            Ok("/directoryObjects/getByIds".to_owned()),
        )
        .json(&json!({"ids": ["a", "b", "c"]}))
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.iter().map(|i| i.id).collect::<Vec<_>>(), [1, 2, 3]);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method.as_str(), "POST");
    assert_eq!(requests[0].headers["content-type"], "application/json");
    assert_eq!(requests[1].method.as_str(), "GET");
    assert!(requests[1].body.is_empty(), "no body on a next link");
    assert!(!requests[1].headers.contains_key("content-type"));
}

apigen_runtime::from_json_via_serde!(Item);

/// A page that is the JSON array `items`, with `link` as its `Link` header when there is one.
fn array_page(items: serde_json::Value, link: Option<String>) -> ResponseTemplate {
    let page = ResponseTemplate::new(200).set_body_json(items);
    match link {
        Some(link) => page.insert_header("link", link.as_str()),
        None => page,
    }
}

/// Every item of `/issues` on `server`, paged through `Link` headers.
async fn linked_items(server: &MockServer) -> Result<Vec<Item>, Error> {
    client(server)
        .paged::<Item>("/issues")
        .link_header()
        .collect_all()
        .await
}

/// Pages that are JSON arrays with a `Link` header (GitHub's, GitLab's): the `rel="next"`
/// target is followed (whatever else the header lists, in any order), the last page has none,
/// and a next link to another origin is refused as it is in an OData page.
#[tokio::test]
async fn link_header_pages_are_followed() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/beta/issues"))
        .and(query_param("page", "2"))
        .respond_with(array_page(
            json!([{"id": 3}]),
            Some(format!(r#"<{base}/beta/issues?page=1>; rel="prev first""#)),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/issues"))
        .respond_with(array_page(
            json!([{"id": 1}, {"id": 2}]),
            Some(format!(
                r#"<{base}/beta/issues?page=2&q=a,b>; rel="next", <{base}/beta/issues?page=2>; rel=last"#
            )),
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let first = client(&server)
        .paged::<Item>("/issues")
        .link_header()
        .await
        .unwrap();
    assert_eq!(first.value, [Item { id: 1 }, Item { id: 2 }]);
    assert_eq!(
        first.next_link.as_deref(),
        Some(format!("{base}/beta/issues?page=2&q=a,b").as_str())
    );

    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/beta/issues"))
        .and(query_param("page", "2"))
        .respond_with(array_page(json!([{"id": 3}]), None))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/issues"))
        .respond_with(array_page(
            json!([{"id": 1}]),
            Some(format!(r#"<{base}/beta/issues?page=2>; rel="next""#)),
        ))
        .mount(&server)
        .await;
    assert_eq!(
        linked_items(&server).await.unwrap(),
        [Item { id: 1 }, Item { id: 3 }]
    );

    let evil = MockServer::start().await;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(array_page(
            json!([]),
            Some(format!(r#"<{}/steal>; rel="next""#, evil.uri())),
        ))
        .mount(&server)
        .await;
    let err = linked_items(&server).await.unwrap_err();
    assert!(matches!(err, Error::UnexpectedNextLink { .. }), "{err:?}");
    assert!(evil.received_requests().await.unwrap().is_empty());
}
