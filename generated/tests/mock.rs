//! The crate's typed mock server (feature `mock`) on a real loopback server: the seed round trip,
//! pages followed to the end, throttling then success, typed errors, timeouts, and the report of
//! a request no stub matched. `cargo test -p msgraph-beta-entitlement --features mock` (the
//! workspace enables the feature through `examples/downstream`).
#![cfg(feature = "mock")]

use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use msgraph_beta_entitlement::mock::MockServer;
use msgraph_beta_entitlement::models::{
    AccessPackage, AccessPackageAssignment, AccessPackageAssignmentRequest,
};
use msgraph_beta_entitlement::runtime::odata::{MainError, ODataError};
use msgraph_beta_entitlement::{Error, Nullable};
use serde_json::{Value, json};

const REQUEST: &str = include_str!("fixtures/seed.request.json");
const RESPONSE: &str = include_str!("fixtures/seed.response-201.json");

/// The seed request as the README builds it.
fn seed_request() -> AccessPackageAssignmentRequest {
    AccessPackageAssignmentRequest {
        request_type: "AdminAdd".into(),
        access_package_assignment: AccessPackageAssignment {
            target_id: "46184453-e63b-4f20-86c2-c557ed5d5df9".into(),
            assignment_policy_id: "2264bf65-76ba-417b-a27d-54d291f0cbc8".into(),
            access_package_id: "a914b616-e04e-476b-aa37-91038f0b165b".into(),
            ..Default::default()
        }
        .into(),
        ..Default::default()
    }
}

fn pending(n: usize) -> Vec<AccessPackageAssignmentRequest> {
    (0..n)
        .map(|i| AccessPackageAssignmentRequest {
            id: Some(format!("request-{i}")),
            request_state: "PendingApproval".into(),
            ..Default::default()
        })
        .collect()
}

#[tokio::test]
async fn seed_round_trip_with_typed_stubs() {
    let server = MockServer::start().await;
    // The documentation's request and response, decoded into the models.
    let expected: AccessPackageAssignmentRequest = serde_json::from_str(REQUEST).unwrap();
    let response: AccessPackageAssignmentRequest = serde_json::from_str(RESPONSE).unwrap();
    let stub = server
        .create_access_package_assignment_request()
        .when(|w| {
            w.body(&expected)
                .header("authorization", "Bearer mock-token")
                .header("content-type", "application/json")
        })
        .then(|t| t.created(&response))
        .expect(1)
        .mount()
        .await;

    let created = server
        .client()
        .create_access_package_assignment_request(&seed_request())
        .await
        .unwrap();
    assert_eq!(created, response);
    assert_eq!(created.request_status.as_deref(), Some("Accepted"));
    assert_eq!(created.is_validation_only, Nullable::Value(false));
    // What went over the wire is the documentation's request body, as JSON.
    let sent = &stub.received()[0];
    assert_eq!(
        serde_json::from_slice::<Value>(&sent.body).unwrap(),
        serde_json::from_str::<Value>(REQUEST).unwrap()
    );
}

#[tokio::test]
async fn seed_bytes_answer_unchanged() {
    let server = MockServer::start().await;
    server
        .create_access_package_assignment_request()
        .when(|w| w.body_json(serde_json::from_str(REQUEST).unwrap()))
        .then(|t| t.raw(201, RESPONSE, "application/json"))
        .expect(1)
        .mount()
        .await;
    let response = server
        .client()
        .create_access_package_assignment_request(&seed_request())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status.as_u16(), 201);
    // Graph's conventions: a request-id on every answer.
    assert!(response.headers.contains_key("request-id"));
    assert_eq!(
        response.body,
        serde_json::from_str::<AccessPackageAssignmentRequest>(RESPONSE).unwrap()
    );
}

#[tokio::test]
async fn three_pages_are_followed_to_the_end() {
    let server = MockServer::start().await;
    let items = pending(7);
    let stub = server
        .list_access_package_assignment_requests()
        .when(|w| w.filter("requestState eq 'PendingApproval'").count(true))
        .then(|t| t.pages(&items, 3))
        .expect(3)
        .mount()
        .await;

    let client = server.client();
    let pages: Vec<_> = client
        .list_access_package_assignment_requests()
        .filter("requestState eq 'PendingApproval'")
        .count(true)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(
        pages.iter().map(|p| p.value.len()).collect::<Vec<_>>(),
        [3, 3, 1]
    );
    assert!(pages.iter().all(|p| p.count == Some(7)));
    assert!(
        pages[0]
            .next_link
            .as_deref()
            .unwrap()
            .starts_with(&server.uri())
    );
    assert!(pages[2].next_link.is_none() && pages[2].delta_link.is_none());
    let ids: Vec<_> = pages
        .into_iter()
        .flat_map(|p| p.value)
        .map(|r| r.id.unwrap())
        .collect();
    assert_eq!(
        ids,
        (0..7).map(|i| format!("request-{i}")).collect::<Vec<_>>()
    );
    // The next links keep the query options, so the matchers matched every page.
    let queries: Vec<String> = stub
        .received()
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect();
    assert!(queries[1].ends_with("$skiptoken=1"), "{queries:?}");
    assert!(queries[2].ends_with("$skiptoken=2"), "{queries:?}");
}

#[tokio::test]
async fn throttled_twice_then_success() {
    let server = MockServer::start().await;
    let response: AccessPackageAssignmentRequest = serde_json::from_str(RESPONSE).unwrap();
    let stub = server
        .create_access_package_assignment_request()
        .then(|t| t.throttled(2, Duration::from_millis(30)).created(&response))
        .expect(3)
        .mount()
        .await;

    let started = Instant::now();
    let created = server
        .client()
        .create_access_package_assignment_request(&seed_request())
        .await
        .unwrap();
    assert_eq!(created, response);
    assert_eq!(stub.calls(), 3);
    // The client waited for Retry-After (0.03 s) twice.
    assert!(started.elapsed() >= Duration::from_millis(60));
    // Each retry carried the same client-request-id.
    let ids: Vec<_> = stub
        .received()
        .iter()
        .map(|r| r.headers["client-request-id"].clone())
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]));
}

#[tokio::test]
async fn throttled_past_the_retry_policy_is_a_throttled_error() {
    let server = MockServer::start().await;
    server
        .get_access_package()
        .then(|t| t.throttled(10, Duration::from_millis(5)))
        .expect(2)
        .mount()
        .await;
    let client = server
        .client_builder()
        .retry_policy(
            msgraph_beta_entitlement::runtime::retry::RetryPolicy::default().with_max_attempts(2),
        )
        .build()
        .unwrap();
    let err = client.get_access_package("ap1").await.unwrap_err();
    assert!(err.is_throttled(), "{err}");
    assert_eq!(err.code(), Some("TooManyRequests"));
}

#[tokio::test]
async fn documented_errors_are_typed() {
    let server = MockServer::start().await;
    let not_found = ODataError {
        error: MainError {
            code: "ResourceNotFound".into(),
            message: "No access package with id 'missing'.".into(),
            target: None,
            details: Vec::new(),
            inner_error: None,
            additional_properties: Default::default(),
        },
    };
    server
        .get_access_package()
        .when(|w| w.path_param("accessPackage-id", "missing"))
        .then(|t| t.not_found(&not_found))
        .expect(1)
        .mount()
        .await;
    server
        .delete_access_package()
        .when(|w| {
            w.path_param("accessPackage-id", "locked")
                .header("if-match", "W/\"1\"")
        })
        .then(|t| t.odata_error(412, "PreconditionFailed", "The ETag does not match."))
        .expect(1)
        .mount()
        .await;

    let client = server.client();
    let err = client.get_access_package("missing").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.odata_error(), Some(&not_found));

    let err = client
        .delete_access_package("locked")
        .if_match("W/\"1\"")
        .await
        .unwrap_err();
    let Error::Status(status) = &err else {
        panic!("not a status error: {err}")
    };
    assert_eq!(status.status().as_u16(), 412);
    assert_eq!(err.code(), Some("PreconditionFailed"));
    // Graph's shape: innerError with request-id and date, the same request-id as a header.
    let inner = err
        .odata_error()
        .unwrap()
        .error
        .inner_error
        .clone()
        .unwrap();
    let header = status.headers()["request-id"].to_str().unwrap();
    assert_eq!(inner.request_id.as_deref(), Some(header));
    assert!(inner.date.is_some());
    assert_eq!(
        inner.client_request_id.as_deref(),
        err.client_request_id(),
        "the client-request-id sent is echoed"
    );
}

#[tokio::test]
async fn a_body_that_does_not_match_is_reported_by_field() {
    let server = MockServer::start().await;
    let expected = seed_request();
    server
        .create_access_package_assignment_request()
        .when(|w| w.body(&expected))
        .then(|t| t.created(&expected))
        .mount()
        .await;
    server.list_access_packages().mount().await;

    let mut other = seed_request();
    if let Nullable::Value(assignment) = &mut other.access_package_assignment {
        assignment.target_id = "00000000-0000-0000-0000-000000000000".into();
    }
    let err = server
        .client()
        .create_access_package_assignment_request(&other)
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.code(), Some("apigenMockNoStubMatched"));

    let unmatched = server.take_unmatched();
    assert_eq!(unmatched.len(), 1);
    let report = &unmatched[0].report;
    assert!(
        report.contains(
            "body: `accessPackageAssignment.targetId`: expected \"46184453-e63b-4f20-86c2-c557ed5d5df9\", got \"00000000-0000-0000-0000-000000000000\""
        ),
        "{report}"
    );
    // The nearest stub (same method and path) comes first; the other is further off.
    let first = report
        .find("`create_access_package_assignment_request`")
        .unwrap();
    let second = report.find("`list_access_packages`").unwrap();
    assert!(first < second, "{report}");
    assert!(
        report.contains("method: expected GET, got POST"),
        "{report}"
    );
    // The same report is the error's message.
    assert!(
        err.odata_error()
            .unwrap()
            .error
            .message
            .contains("targetId")
    );
}

#[tokio::test]
async fn path_and_query_matchers() {
    let server = MockServer::start().await;
    let package = AccessPackage {
        id: Some("ap 1/x".into()),
        display_name: "Sales".into(),
        ..Default::default()
    };
    server
        .get_access_package()
        .when(|w| {
            w.path_param("accessPackage-id", "ap 1/x")
                .select(["id", "displayName"])
        })
        .then(|t| t.ok(&package))
        .expect(1)
        .mount()
        .await;
    server
        .get_access_package()
        .when(|w| w.path_param("no-such-param", "x"))
        .mount()
        .await;
    let got = server
        .client()
        .get_access_package("ap 1/x")
        .select(["id", "displayName"])
        .await
        .unwrap();
    assert_eq!(got, package);

    // A misspelt path parameter never matches, and the report says why.
    let err = server.client().get_access_package("y").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let report = server.take_unmatched().remove(0).report;
    assert!(
        report.contains("path parameter `no-such-param`: `/accessPackages/{accessPackage-id}` has no such parameter (it has: `accessPackage-id`)"),
        "{report}"
    );
    assert!(
        report.contains("path parameter `accessPackage-id`: expected \"ap 1/x\", got \"y\""),
        "{report}"
    );
}

#[tokio::test]
async fn a_delayed_answer_times_the_client_out() {
    let server = MockServer::start().await;
    server
        .delete_access_package()
        .then(|t| t.success().delay(Duration::from_millis(500)))
        .mount()
        .await;
    let client = server
        .client_builder()
        .timeout(Duration::from_millis(50))
        .build()
        .unwrap();
    let err = client.delete_access_package("ap1").await.unwrap_err();
    let Error::Transport { source, .. } = &err else {
        panic!("not a transport error: {err}")
    };
    assert!(source.is_timeout(), "{source}");
}

#[tokio::test]
async fn expectations_and_answers_that_run_out() {
    let server = MockServer::start().await;
    let first = server
        .update_access_package()
        .when(|w| w.body_includes(json!({"displayName": "Sales"})))
        .up_to(1)
        .expect(1)
        .mount()
        .await;
    let deleted = server.delete_access_package().expect(1..).mount().await;
    let update = AccessPackage {
        display_name: "Sales".into(),
        description: Nullable::Null,
        ..Default::default()
    };
    let client = server.client();
    client.update_access_package("ap1", &update).await.unwrap();
    // The stub answered its one request: the second is unmatched, and said so.
    assert!(client.update_access_package("ap1", &update).await.is_err());
    let report = server.take_unmatched().remove(0).report;
    assert!(
        report.contains("has answered the 1 request(s) it was limited to"),
        "{report}"
    );
    assert_eq!(first.calls(), 1);

    // An unmet expectation is a problem the server reports (and panics with when dropped).
    let problems = server.check().unwrap_err();
    assert!(
        problems.contains("stub `delete_access_package` (DELETE /accessPackages/{accessPackage-id}) expected at least 1 call(s), got 0"),
        "{problems}"
    );
    client.delete_access_package("ap1").await.unwrap();
    assert_eq!(deleted.calls(), 1);
    server.verify();
}
