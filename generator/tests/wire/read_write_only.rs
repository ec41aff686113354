//! Required `readOnly` and `writeOnly` properties (`tests/fixtures/read-write-only.yaml`)
//! through the generated client against a loopback HTTP server. Run by `tests/wire.rs` as the
//! fixture crate's own test.

use serde_json::json;
use wire_read_write_only::{Client, models};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A request leaves out the read-only fields the server sets, and the response (which leaves
/// out the write-only password) decodes; `name` stays required both ways.
#[tokio::test]
async fn read_only_fields_are_not_sent_and_write_only_fields_are_not_expected() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/accounts"))
        .and(body_json(json!({"name": "ada", "password": "secret"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "a1",
            "name": "ada",
            "createdAt": "2024-01-02T03:04:05Z"
        })))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let account = models::Account {
        name: "ada".into(),
        password: Some("secret".into()),
        ..Default::default()
    };
    let created = client.create_account(&account).await.unwrap();
    assert_eq!(created.id.as_deref(), Some("a1"));
    assert_eq!(created.password, None);
    assert!(created.created_at.is_some());

    // `name` is required in both directions.
    let err = serde_json::from_value::<models::Account>(json!({"id": "a2"})).unwrap_err();
    assert!(err.to_string().contains("name"), "{err}");
}
