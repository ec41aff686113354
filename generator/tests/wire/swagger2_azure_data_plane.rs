//! Wire tests of the crate generated from `tests/fixtures/swagger2-azure-data-plane.json` (run
//! by `tests/wire.rs` as the crate's own tests): Azure's `x-ms-parameterized-host` is a server
//! whose URL the client builds from the account's endpoint and the API version.

use wire_swagger2_azure_data_plane::{Client, Error, models};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn without_an_endpoint_there_is_no_base_url() {
    let built = Client::builder().build();
    assert!(
        matches!(built, Err(Error::InvalidBaseUrl { .. })),
        "{built:?}"
    );
}

#[tokio::test]
async fn the_base_url_is_built_from_the_endpoint_and_the_api_version() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/text/analytics/v3.1/languages"))
        .and(body_json(serde_json::json!({"documents": ["bonjour"]})))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"documents":["fr"]}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(Client::base_url_with(&server.uri(), "v3.1"))
        .build()
        .unwrap();
    let input = models::Documents {
        documents: Some(vec!["bonjour".into()]),
        ..Default::default()
    };
    let answer = client.languages(&input).await.unwrap();
    assert_eq!(answer.documents, Some(vec!["fr".to_owned()]));
}
