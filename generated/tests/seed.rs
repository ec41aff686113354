//! The seed, end to end: Graph's "Create accessPackageAssignmentRequest" example sent through the
//! generated client to a real HTTP server on loopback, and its `201 Created` response decoded.

use msgraph_beta_entitlement::models::{AccessPackageAssignment, AccessPackageAssignmentRequest};
use msgraph_beta_entitlement::{Client, Nullable};
use serde_json::Value;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const REQUEST: &str = include_str!("fixtures/seed.request.json");
const RESPONSE: &str = include_str!("fixtures/seed.response-201.json");

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .bearer_token("eyJ0eXAiOiJKV1Qi.test-token")
        .build()
        .expect("client")
}

async fn mount_seed(server: &MockServer) {
    let expected: Value = serde_json::from_str(REQUEST).unwrap();
    Mock::given(method("POST"))
        .and(path("/beta/accessPackageAssignmentRequests"))
        .and(header(
            "authorization",
            "Bearer eyJ0eXAiOiJKV1Qi.test-token",
        ))
        .and(header("content-type", "application/json"))
        .and(body_json(expected))
        .respond_with(ResponseTemplate::new(201).set_body_raw(RESPONSE, "application/json"))
        .expect(1)
        .mount(server)
        .await;
}

fn assert_seed_response(created: &AccessPackageAssignmentRequest) {
    assert_eq!(
        created.id.as_deref(),
        Some("7e382d02-4454-436b-b700-59c7dd77f466")
    );
    assert_eq!(created.request_type.as_deref(), Some("AdminAdd"));
    assert_eq!(created.request_state.as_deref(), Some("Submitted"));
    assert_eq!(created.request_status.as_deref(), Some("Accepted"));
    assert_eq!(created.is_validation_only, Nullable::Value(false));
    // Nothing else was in the response.
    assert!(created.answers.is_absent());
    assert!(created.additional_properties.is_empty());
}

#[tokio::test]
async fn seed_request_built_in_rust_matches_the_documentation() {
    let server = MockServer::start().await;
    mount_seed(&server).await;

    // Written as the README shows it: fields set with `.into()`.
    let body = AccessPackageAssignmentRequest {
        request_type: "AdminAdd".into(),
        access_package_assignment: AccessPackageAssignment {
            target_id: "46184453-e63b-4f20-86c2-c557ed5d5df9".into(),
            assignment_policy_id: "2264bf65-76ba-417b-a27d-54d291f0cbc8".into(),
            access_package_id: "a914b616-e04e-476b-aa37-91038f0b165b".into(),
            ..Default::default()
        }
        .into(),
        ..Default::default()
    };
    let created = client(&server)
        .create_access_package_assignment_request(&body)
        .await
        .expect("201 Created");
    assert_seed_response(&created);
}

#[tokio::test]
async fn seed_request_decoded_from_the_documentation_is_sent_unchanged() {
    let server = MockServer::start().await;
    mount_seed(&server).await;

    let body: AccessPackageAssignmentRequest = serde_json::from_str(REQUEST).unwrap();
    let response = client(&server)
        .create_access_package_assignment_request(&body)
        .send()
        .await
        .expect("201 Created");
    assert_eq!(response.status.as_u16(), 201);
    assert_seed_response(&response.body);

    // The bytes on the wire are exactly the JSON value of the documentation's body.
    let received = &server.received_requests().await.unwrap()[0];
    let sent: Value = serde_json::from_slice(&received.body).unwrap();
    assert_eq!(sent, serde_json::from_str::<Value>(REQUEST).unwrap());
    let client_request_id = received
        .headers
        .get("client-request-id")
        .expect("client-request-id sent");
    assert_eq!(client_request_id.to_str().unwrap().len(), 36);
}
