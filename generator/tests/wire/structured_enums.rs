//! Enums of objects and arrays (`tests/fixtures/structured-enums.yaml`) through the generated
//! client against a loopback HTTP server. Run by `tests/wire.rs` as the fixture crate's own
//! test.

use serde_json::json;
use wire_structured_enums::{Client, models};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `{"80/tcp": {}}` and `[1, 2]` decode into their structured types and are written back
/// unchanged; a string enum is still an enum.
#[tokio::test]
async fn object_and_array_enum_values_decode_as_their_types() {
    let body = json!({
        "ExposedPorts": {"80/tcp": {}, "443/tcp": {}},
        "Shape": [1, 2],
        "State": "running",
        "Groups": ["social", "legal"]
    });
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/containers/c1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let config = client.inspect_container("c1").await.unwrap();
    assert_eq!(config.exposed_ports.as_ref().map(|p| p.len()), Some(2));
    assert_eq!(config.state, Some(models::ContainerConfigState::Running));
    // An array's `enum` of strings: the values of its items.
    assert_eq!(
        config.groups,
        Some(vec![
            models::ContainerConfigGroupsItem::Social,
            models::ContainerConfigGroupsItem::Legal
        ])
    );
    assert_eq!(serde_json::to_value(&config).unwrap(), body);
}
