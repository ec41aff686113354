//! OpenAPI 3.1's spellings of `null` (`tests/fixtures/openapi31.yaml`) through its generated
//! client against a loopback HTTP server. Run by `tests/wire.rs` as the fixture crate's own test.

use serde_json::json;
use wire_openapi31::Client;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// OpenAPI 3.1 spells it `type: [object, "null"]`, `type: [string, "null"]` and
/// `oneOf: [$ref, {type: "null"}]`.
#[tokio::test]
async fn openapi_31_null_types_decode_and_write_back() {
    let body = json!([{
        "id": "t1",
        "kind": "thing",
        "owner": null,
        "previousOwners": [null, {"name": "ann"}],
        "aliases": ["a", null],
        "related": [null, {"id": "t2", "kind": "thing", "owner": {"name": "bob"}}]
    }]);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .mount(&server)
        .await;
    let things = Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap()
        .list_things()
        .await
        .unwrap();
    let thing = &things[0];
    assert_eq!(thing.owner, None);
    let previous = thing.previous_owners.as_ref().unwrap();
    assert_eq!(previous[0], None);
    assert_eq!(previous[1].as_ref().unwrap().name, "ann");
    assert_eq!(thing.aliases, Some(vec![Some("a".into()), None]));
    let related = thing.related.as_ref().unwrap();
    assert_eq!(related[0], None);
    assert_eq!(
        related[1].as_ref().unwrap().owner.as_ref().unwrap().name,
        "bob"
    );
    assert_eq!(serde_json::to_value(&things).unwrap(), body);
}
