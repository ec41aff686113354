//! The bot's tests, written only with the generated crate's mock server (no network, no
//! hand-written JSON): paging, throttling, and Graph's errors.

use std::time::Duration;

use access_review_bot::{Triage, triage};
use msgraph_beta_entitlement::mock::MockServer;
use msgraph_beta_entitlement::models::{
    AccessPackageAssignment, AccessPackageAssignmentRequest, AccessPackageSubject,
};

/// A pending request of `user` for the access package `package`; `justified`: it says why.
fn pending(id: &str, user: &str, package: &str, justified: bool) -> AccessPackageAssignmentRequest {
    AccessPackageAssignmentRequest {
        id: Some(id.into()),
        request_type: "UserAdd".into(),
        request_state: "PendingApproval".into(),
        justification: if justified {
            "Need it for the audit".into()
        } else {
            Default::default()
        },
        requestor: AccessPackageSubject {
            object_id: user.into(),
            ..Default::default()
        }
        .into(),
        access_package_assignment: AccessPackageAssignment {
            access_package_id: package.into(),
            assignment_policy_id: "policy-1".into(),
            ..Default::default()
        }
        .into(),
        ..Default::default()
    }
}

/// The approval the bot must send for `request`.
fn approval(request: &AccessPackageAssignmentRequest) -> AccessPackageAssignmentRequest {
    let asked = request.access_package_assignment.value().unwrap();
    AccessPackageAssignmentRequest {
        request_type: "AdminAdd".into(),
        justification: format!(
            "Approved by policy (request {})",
            request.id.as_deref().unwrap()
        )
        .into(),
        access_package_assignment: AccessPackageAssignment {
            target_id: request.requestor.value().unwrap().object_id.clone(),
            access_package_id: asked.access_package_id.clone(),
            assignment_policy_id: asked.assignment_policy_id.clone(),
            ..Default::default()
        }
        .into(),
        ..Default::default()
    }
}

/// The bot's policy in these tests: approve what is justified.
fn justified(request: &AccessPackageAssignmentRequest) -> bool {
    request
        .justification
        .as_deref()
        .is_some_and(|j| !j.is_empty())
}

/// Serves `requests` as the pending list, two per page.
async fn serve_pending(
    server: &MockServer,
    requests: &[AccessPackageAssignmentRequest],
    pages: usize,
) {
    server
        .list_access_package_assignment_requests()
        .when(|w| {
            w.filter("requestState eq 'PendingApproval'")
                .expand(["requestor", "accessPackageAssignment"])
        })
        .then(|t| t.pages(requests, 2))
        .expect(pages)
        .mount()
        .await;
}

#[tokio::test]
async fn approves_the_justified_requests_of_every_page() {
    let server = MockServer::start().await;
    let requests = [
        pending("r1", "u1", "p1", true),
        pending("r2", "u2", "p1", false),
        pending("r3", "u3", "p2", true),
        pending("r4", "u4", "p2", false),
        pending("r5", "u5", "p3", true),
    ];
    serve_pending(&server, &requests, 3).await;
    for request in requests.iter().filter(|r| justified(r)) {
        let approval = approval(request);
        server
            .create_access_package_assignment_request()
            .when(|w| w.body(&approval))
            .then(|t| t.created(&approval))
            .expect(1)
            .mount()
            .await;
    }

    let done = triage(&server.client(), justified).await.unwrap();
    assert_eq!(
        done,
        Triage {
            approved: vec!["r1".into(), "r3".into(), "r5".into()],
            skipped: vec!["r2".into(), "r4".into()],
            ..Default::default()
        }
    );
}

#[tokio::test]
async fn throttled_approvals_are_retried_then_deferred() {
    let server = MockServer::start().await;
    let requests = [
        pending("r1", "u1", "p1", true),
        pending("r2", "u2", "p1", true),
    ];
    serve_pending(&server, &requests, 1).await;
    // Throttled twice: the client's retries get it through.
    let first = approval(&requests[0]);
    server
        .create_access_package_assignment_request()
        .when(|w| w.body(&first))
        .then(|t| t.throttled(2, Duration::from_millis(20)).created(&first))
        .expect(3)
        .mount()
        .await;
    // Throttled past the client's four attempts: deferred.
    let second = approval(&requests[1]);
    server
        .create_access_package_assignment_request()
        .when(|w| w.body(&second))
        .then(|t| t.throttled(10, Duration::from_millis(5)))
        .expect(4)
        .mount()
        .await;

    let done = triage(&server.client(), justified).await.unwrap();
    assert_eq!(done.approved, ["r1"]);
    assert_eq!(done.deferred, ["r2"]);
}

#[tokio::test]
async fn refused_approvals_are_recorded_and_the_others_go_on() {
    let server = MockServer::start().await;
    let requests = [
        pending("r1", "u1", "p1", true),
        pending("r2", "u2", "p2", true),
    ];
    serve_pending(&server, &requests, 1).await;
    server
        .create_access_package_assignment_request()
        .when(|w| {
            w.body_includes(
                serde_json::json!({"accessPackageAssignment": {"accessPackageId": "p1"}}),
            )
        })
        .then(|t| {
            t.odata_error(
                403,
                "AccessDenied",
                "The policy does not allow admin assignment.",
            )
        })
        .expect(1)
        .mount()
        .await;
    let second = approval(&requests[1]);
    server
        .create_access_package_assignment_request()
        .then(|t| t.created(&second))
        .expect(1)
        .mount()
        .await;

    let done = triage(&server.client(), justified).await.unwrap();
    assert_eq!(done.failed, [("r1".to_owned(), "AccessDenied".to_owned())]);
    assert_eq!(done.approved, ["r2"]);
}

#[tokio::test]
async fn a_failed_listing_is_an_error() {
    let server = MockServer::start().await;
    server
        .list_access_package_assignment_requests()
        .then(|t| {
            t.odata_error(
                401,
                "InvalidAuthenticationToken",
                "Access token has expired.",
            )
        })
        .expect(1)
        .mount()
        .await;
    let err = triage(&server.client(), justified).await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidAuthenticationToken"));
}
