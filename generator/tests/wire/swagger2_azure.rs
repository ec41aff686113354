//! Wire tests of the crate generated from `tests/fixtures/swagger2-azure.json` (run by
//! `tests/wire.rs` as the crate's own tests): Azure's extensions on a Swagger 2.0 description.
//! `x-ms-pageable` with `nextLinkName: nextLink` follows `nextLink` (not OData's
//! `@odata.nextLink`), `x-ms-paths` keys send their query part, `x-ms-discriminator-value`
//! picks the variant, a long-running operation returns the service's first answer.

use wire_swagger2_azure::{Client, models};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client")
}

#[tokio::test]
async fn pages_follow_next_link_as_x_ms_pageable_names_it() {
    let server = MockServer::start().await;
    let list = "/subscriptions/s1/providers/Contoso/widgets";
    Mock::given(method("GET"))
        .and(path(list))
        .and(query_param("api-version", "2024-01-01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [{"kind": "Widget", "id": "w1"}],
            "nextLink": format!("{}{list}?api-version=2024-01-01&page=2", server.uri())
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(list))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [{"kind": "Contoso.Gadget", "id": "g1", "gears": 3}],
            "nextLink": null
        })))
        .mount(&server)
        .await;
    let all = client(&server)
        .widgets_list("s1", "2024-01-01")
        .collect_all()
        .await
        .expect("both pages");
    assert_eq!(all.len(), 2, "{all:?}");
    assert!(matches!(&all[0], models::AnyWidget::Widget(w) if w.id.as_deref() == Some("w1")));
    assert!(matches!(&all[1], models::AnyWidget::Gadget(g) if g.gears == Some(3)));
    // The first page alone, awaited: its items, and the next link read from `nextLink`.
    Mock::given(method("GET"))
        .and(path(list))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [], "nextLink": "https://elsewhere.example/next"
        })))
        .mount(&server)
        .await;
    let first = client(&server)
        .widgets_list("s1", "2024-01-01")
        .await
        .expect("a page");
    assert_eq!(first.next_link.as_deref(), Some("https://elsewhere.example/next"));
}

#[tokio::test]
async fn x_ms_paths_send_their_query_part() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/subscriptions/s1/providers/Contoso/widgets/w1"))
        .and(query_param("action", "restart"))
        .and(query_param("api-version", "2024-01-01"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .widgets_restart("s1", "w1", "2024-01-01")
        .await
        .expect("restarted");
}

#[tokio::test]
async fn a_long_running_operation_returns_the_first_answer_with_its_headers() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/subscriptions/s1/providers/Contoso/widgets/w1"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("Azure-AsyncOperation", "https://management.example/op/1")
                .set_body_json(serde_json::json!({"kind": "Widget", "id": "w1", "state": "On"})),
        )
        .mount(&server)
        .await;
    let widget = models::AnyWidget::Widget(Box::new(models::Widget {
        kind: "Widget".into(),
        state: Some(models::State::On),
        ..Default::default()
    }));
    let response = client(&server)
        .widgets_create("s1", "w1", "2024-01-01", &widget)
        .send()
        .await
        .expect("accepted");
    assert_eq!(response.status.as_u16(), 201);
    assert_eq!(
        response.headers["azure-asyncoperation"],
        "https://management.example/op/1"
    );
    assert!(matches!(response.body, models::AnyWidget::Widget(_)));
}
