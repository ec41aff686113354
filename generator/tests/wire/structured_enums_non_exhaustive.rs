//! `tests/fixtures/structured-enums.yaml` generated with `crate.non-exhaustive = true`: models
//! are built with `Default` and field assignment, enums are matched with a wildcard arm, and
//! the wire format does not change. Run by `tests/wire.rs` as the fixture crate's own test.

use serde_json::json;
use wire_structured_enums_non_exhaustive::{Client, models};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn non_exhaustive_models_are_built_with_default_and_read_as_before() {
    // Struct literals are not allowed outside the crate; `Default` and assignment are.
    let mut expected = models::ContainerConfig::default();
    expected.state = Some(models::ContainerConfigState::Running);
    expected.groups = Some(vec![models::ContainerConfigGroupsItem::Legal]);

    let body = json!({"State": "running", "Groups": ["legal"]});
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/containers/c1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let config = client.inspect_container("c1").await.unwrap();
    assert_eq!(config, expected);
    // An exhaustive match would not compile: a later value may be added in a minor version.
    let running = match config.state {
        Some(models::ContainerConfigState::Running) => true,
        Some(_) | None => false,
    };
    assert!(running);
    assert_eq!(serde_json::to_value(&config).unwrap(), body);
}
