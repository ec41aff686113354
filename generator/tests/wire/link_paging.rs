//! Wire tests of the crate generated from `tests/fixtures/link-paging.yaml` (run by
//! `tests/wire.rs` as the crate's own tests): lists whose description declares a `Link` header
//! page through it, against a server that pages as GitHub does (arrays, `Link: <...>;
//! rel="next"` on every page but the last), and against the crate's own mock server.

use wire_link_paging::{Client, models};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn issue(number: i64) -> serde_json::Value {
    serde_json::json!({"number": number, "title": format!("issue {number}")})
}

/// `/repos/o/r/issues` in pages of two: `?page=N` after the first, as GitHub's links say.
async fn github_like() -> MockServer {
    let server = MockServer::start().await;
    let base = server.uri();
    for (page, items, next) in [
        (3, vec![issue(5)], None),
        (2, vec![issue(3), issue(4)], Some(3)),
    ] {
        let mut answer = ResponseTemplate::new(200).set_body_json(items);
        if let Some(next) = next {
            answer = answer.insert_header(
                "link",
                format!(
                    r#"<{base}/repos/o/r/issues?per_page=2&page={next}>; rel="next", <{base}/repos/o/r/issues?per_page=2&page=3>; rel="last""#
                )
                .as_str(),
            );
        }
        Mock::given(method("GET"))
            .and(path("/repos/o/r/issues"))
            .and(query_param("page", page.to_string()))
            .respond_with(answer)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/repos/o/r/issues"))
        .and(query_param("per_page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(vec![issue(1), issue(2)])
                .insert_header(
                    "link",
                    format!(r#"<{base}/repos/o/r/issues?per_page=2&page=2>; rel="next""#).as_str(),
                ),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_list_with_a_link_header_is_followed_to_its_last_page() {
    let server = github_like().await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let issues: Vec<models::Issue> = client
        .issues_list_for_repo("o", "r")
        .per_page(2)
        .collect_all()
        .await
        .unwrap();
    let numbers: Vec<i64> = issues.iter().map(|i| i.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);

    // Awaited, the request is the first page, with its next link.
    let first = client
        .issues_list_for_repo("o", "r")
        .per_page(2)
        .await
        .unwrap();
    assert_eq!(first.value.len(), 2);
    assert!(first.next_link.unwrap().ends_with("per_page=2&page=2"));
}

#[tokio::test]
async fn a_named_array_in_a_shared_response_pages_too_and_a_list_without_the_header_does_not() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/user/repos"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([{"name": "a"}])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/o/r/labels"))
        .respond_with(ResponseTemplate::new(200).set_body_json(["bug", "docs"]))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let repos = client
        .repos_list_for_authenticated_user()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(repos[0].name.as_deref(), Some("a"));
    let labels: Vec<String> = client.issues_list_labels_for_repo("o", "r").await.unwrap();
    assert_eq!(labels, ["bug", "docs"]);
}

/// The crate's own mock server pages such a list the same way.
#[cfg(feature = "mock")]
mod with_the_mock {
    use wire_link_paging::mock::MockServer;
    use wire_link_paging::models;

    #[tokio::test]
    async fn stubs_page_with_a_link_header() {
        let server = MockServer::start().await;
        let issues: Vec<models::Issue> = (1..=5)
            .map(|n| models::Issue {
                number: n,
                title: None,
                additional_properties: Default::default(),
            })
            .collect();
        let stub = server
            .issues_list_for_repo()
            .then(|t| t.pages(&issues, 2))
            .expect(3)
            .mount()
            .await;
        let got = server
            .client()
            .issues_list_for_repo("o", "r")
            .collect_all()
            .await
            .unwrap();
        assert_eq!(got, issues);
        assert_eq!(stub.calls(), 3);
    }
}
