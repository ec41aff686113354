//! Wire tests of the crate generated from `tests/fixtures/servers.yaml` (run by `tests/wire.rs`
//! as the crate's own tests): the default base URL comes from the first absolute server with its
//! variables' defaults, and an operation with its own server follows the client's base URL when
//! that is not the default (a test's loopback server gets every request), or the URL mapped to
//! its server. (Going to the own server on the default base URL is the runtime's
//! `tests/servers.rs`, which can make loopback the default.)

use wire_servers::Client;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn the_default_base_url_is_the_first_absolute_server_with_its_defaults() {
    assert_eq!(Client::DEFAULT_BASE_URL, "https://eu.example.com/v2/eu");
    assert_eq!(
        Client::base_url_with("us", "v3"),
        "https://us.example.com/v3/us"
    );
    let client = Client::builder().build().unwrap();
    assert_eq!(client.core().base_url(), Client::DEFAULT_BASE_URL);
}

async fn answering(verb: &str, at: &str, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn operations_with_their_own_server_follow_another_base_url() {
    let mock = answering("PUT", "/files/7/content", r#"{"id":"7","size":3}"#).await;
    Mock::given(method("GET"))
        .and(path("/files/7/disputes"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"["late"]"#, "application/json"))
        .mount(&mock)
        .await;
    let client = Client::builder().base_url(mock.uri()).build().unwrap();
    let file = client.upload_file("7", vec![1u8, 2, 3]).await.unwrap();
    assert_eq!(file.size, Some(3));
    let disputes = client.list_disputes("7").await.unwrap();
    assert_eq!(disputes, ["late"]);
}

#[tokio::test]
async fn a_mapped_server_gets_its_operations() {
    let mock = MockServer::start().await;
    let uploads = answering("PUT", "/up/files/7/content", r#"{"id":"7"}"#).await;
    let client = Client::builder()
        .base_url(mock.uri())
        .server_url(
            "https://uploads.example.com/upload",
            format!("{}/up", uploads.uri()),
        )
        .build()
        .unwrap();
    let file = client.upload_file("7", vec![1u8]).await.unwrap();
    assert_eq!(file.id.as_deref(), Some("7"));
    assert!(mock.received_requests().await.unwrap().is_empty());
}
