//! Wire tests of the crate generated from `tests/fixtures/query-names.yaml` (run by
//! `tests/wire.rs`): each setter sends the parameter it is named after, whether or not its
//! name is also an OData option's, and the OData options keep their own methods.

use wire_query_names::{Client, models};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client")
}

/// The query string of the one request the server received.
async fn sent_query(server: &MockServer) -> String {
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "one request");
    requests[0].url.query().unwrap_or_default().to_owned()
}

async fn serve(server: &MockServer, at: &str, body: serde_json::Value) {
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

#[tokio::test]
async fn plain_parameters_named_like_odata_options_keep_their_names() {
    let server = MockServer::start().await;
    serve(&server, "/issues", serde_json::json!([{"title": "bug"}])).await;
    let issues = client(&server)
        .list_issues()
        .filter(&models::ListIssuesFilter::Assigned)
        .top(5)
        .select("title")
        .count(true)
        .items(2)
        .header_2("h")
        .send_2(false)
        .await
        .unwrap();
    assert_eq!(issues[0].title.as_deref(), Some("bug"));
    assert_eq!(
        sent_query(&server).await,
        "filter=assigned&top=5&select=title&count=true&items=2&header=h&send=false"
    );
}

#[tokio::test]
async fn an_odata_operation_keeps_filter_for_the_option() {
    let server = MockServer::start().await;
    serve(&server, "/tickets", serde_json::json!([])).await;
    client(&server)
        .list_tickets()
        .filter("state eq 'open'")
        .filter_2("mine")
        .top(3)
        .await
        .unwrap();
    assert_eq!(
        sent_query(&server).await,
        "$filter=state%20eq%20%27open%27&filter=mine&$top=3"
    );

    // `$select` only: `filter` is the parameter, `select` the option.
    let server = MockServer::start().await;
    serve(&server, "/tickets/t1", serde_json::json!({"title": "t"})).await;
    client(&server)
        .get_ticket("t1")
        .select(["title"])
        .select_2("s")
        .filter("f")
        .await
        .unwrap();
    assert_eq!(sent_query(&server).await, "$select=title&select=s&filter=f");
}

#[tokio::test]
async fn a_paged_operation_keeps_every_option() {
    let server = MockServer::start().await;
    serve(
        &server,
        "/events",
        serde_json::json!({"value": [{"title": "e"}]}),
    )
    .await;
    let page = client(&server)
        .list_events()
        .filter("x eq 1")
        .filter_2("mine")
        .items_2(4)
        .await
        .unwrap();
    assert_eq!(page.value[0].title.as_deref(), Some("e"));
    assert_eq!(
        sent_query(&server).await,
        "$filter=x%20eq%201&filter=mine&items=4"
    );
}

/// A path or header parameter whose type is a union of scalars is sent as the scalar's text:
/// `/allowlist/192.0.2.1`, not `/allowlist/%22192.0.2.1%22`.
#[tokio::test]
async fn scalar_unions_in_the_path_and_headers_are_sent_as_text() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/allowlist/192.0.2.1"))
        .and(wiremock::matchers::header("x-tenant", "42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let address: models::GetAllowlistEntryAddress =
        serde_json::from_value(serde_json::json!("192.0.2.1")).unwrap();
    let tenant: models::GetAllowlistEntryXTenant =
        serde_json::from_value(serde_json::json!(42)).unwrap();
    client(&server)
        .get_allowlist_entry(&address, &tenant)
        .await
        .unwrap();
}

/// The crate's own mock server (feature `mock`) on an API that is not OData: stubs named as the
/// client's methods, query matchers by wire name, typed answers, and a plain 429 retried away.
#[cfg(feature = "mock")]
mod with_the_mock {
    use std::time::Duration;

    use wire_query_names::mock::MockServer;
    use wire_query_names::models;

    #[tokio::test]
    async fn stubs_match_the_setters_wire_names() {
        let server = MockServer::start().await;
        let issues = vec![models::Issue {
            title: Some("bug".into()),
            additional_properties: Default::default(),
        }];
        let stub = server
            .list_issues()
            .when(|w| w.query("filter", "assigned").query("top", 5).query("send", false))
            .then(|t| t.throttled(1, Duration::from_millis(10)).ok(&issues))
            .expect(2)
            .mount()
            .await;
        let got = server
            .client()
            .list_issues()
            .filter(&models::ListIssuesFilter::Assigned)
            .top(5)
            .send_2(false)
            .await
            .unwrap();
        assert_eq!(got, issues);
        assert_eq!(stub.calls(), 2);

        // The same operation with another filter is not matched; the report says which query
        // parameter differs.
        let err = server
            .client()
            .list_issues()
            .filter(&models::ListIssuesFilter::All)
            .top(5)
            .send_2(false)
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
        let report = server.take_unmatched().remove(0).report;
        assert!(
            report.contains("query `filter`: expected \"assigned\", got \"all\""),
            "{report}"
        );
    }
}
