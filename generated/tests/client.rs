//! The other operations of the generated client against a real HTTP server on loopback: list
//! (paged, with OData query options), get (with `$select`/`$expand`), delete, and errors.

use futures_util::TryStreamExt;
use msgraph_beta_entitlement::{Client, Error};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .bearer_token("token")
        .build()
        .expect("client")
}

#[tokio::test]
async fn list_follows_next_links_with_query_options() {
    let server = MockServer::start().await;
    let base = format!("{}/beta", server.uri());
    Mock::given(method("GET"))
        .and(path("/beta/accessPackageAssignmentRequests"))
        .and(query_param("$filter", "requestState eq 'PendingApproval'"))
        .and(query_param(
            "$expand",
            "requestor($expand=connectedOrganization)",
        ))
        .and(query_param("$top", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "a", "requestState": "PendingApproval"}],
            "@odata.nextLink": format!("{base}/accessPackageAssignmentRequests?$skiptoken=2")
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/accessPackageAssignmentRequests"))
        .and(query_param("$skiptoken", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "b", "requestState": "PendingApproval"}]
        })))
        .expect(1)
        .mount(&server)
        .await;

    let ids: Vec<String> = client(&server)
        .list_access_package_assignment_requests()
        .filter("requestState eq 'PendingApproval'")
        .expand(["requestor($expand=connectedOrganization)"])
        .top(1)
        .items()
        .map_ok(|r| r.id.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["a", "b"]);
}

#[tokio::test]
async fn get_by_id_encodes_the_key_and_selects() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/beta/accessPackageAssignmentRequests/a%2F..%2Fb"))
        .and(query_param("$select", "id,requestType"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "a/../b", "requestType": "UserAdd"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let request = client(&server)
        .get_access_package_assignment_request("a/../b")
        .select(["id", "requestType"])
        .await
        .unwrap();
    assert_eq!(request.request_type.as_deref(), Some("UserAdd"));
}

#[tokio::test]
async fn delete_returns_unit_on_204() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/beta/accessPackageAssignmentRequests/abc"))
        .and(header("authorization", "Bearer token"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .delete_access_package_assignment_request("abc")
        .await
        .unwrap();
}

#[tokio::test]
async fn graph_error_body_comes_back_typed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/beta/accessPackageAssignmentRequests"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(
            include_str!("fixtures/error.example.json"),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .create_access_package_assignment_request(&Default::default())
        .await
        .unwrap_err();
    let Error::Status(status) = &err else {
        panic!("expected a status error, got {err:?}")
    };
    assert_eq!(status.status().as_u16(), 400);
    assert_eq!(status.code(), Some("invalidRange"));
    assert_eq!(
        status.message(),
        Some("Uploaded fragment overlaps with existing data.")
    );
    assert_eq!(status.request_id(), Some("request-id"));
    let odata = status.odata_error().expect("typed Graph error");
    assert_eq!(
        odata
            .error
            .inner_error
            .as_ref()
            .and_then(|i| i.date.as_deref()),
        Some("date-time")
    );
    // The raw body is kept, and the error names what was sent.
    assert_eq!(
        status.body().as_ref(),
        include_str!("fixtures/error.example.json").as_bytes()
    );
    assert!(status.client_request_id().is_some());
    assert!(err.to_string().contains("invalidRange"), "{err}");
}
