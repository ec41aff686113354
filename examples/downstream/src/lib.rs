//! An example of a crate built on the generated Graph client (`msgraph-beta-entitlement`):
//! a bot that goes through the pending access package assignment requests and approves those
//! its policy allows, by assigning the access package to the requestor (an `AdminAdd`
//! request). Its tests (`tests/triage.rs`) use only the generated crate's mock server.
#![forbid(unsafe_code)]

use futures_util::TryStreamExt;
use msgraph_beta_entitlement::models::{AccessPackageAssignment, AccessPackageAssignmentRequest};
use msgraph_beta_entitlement::{Client, Error};

/// What [`triage`] did with each pending request, by request id.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Triage {
    /// Approved: an `AdminAdd` request was created for the requestor.
    pub approved: Vec<String>,
    /// Left pending: the policy said no.
    pub skipped: Vec<String>,
    /// Still throttled after the client's retries: try again later.
    pub deferred: Vec<String>,
    /// Graph refused the approval: (request id, Graph's error code).
    pub failed: Vec<(String, String)>,
}

/// Goes through every pending request (all pages) and approves those `allow` accepts.
///
/// A throttled approval is retried by the client (honouring `Retry-After`); one still
/// throttled after that is deferred, and one Graph refuses is recorded with its error code,
/// so one bad request does not stop the others.
///
/// # Errors
///
/// Listing the pending requests failed.
pub async fn triage(
    client: &Client,
    allow: impl Fn(&AccessPackageAssignmentRequest) -> bool,
) -> Result<Triage, Error> {
    let pending: Vec<AccessPackageAssignmentRequest> = client
        .list_access_package_assignment_requests()
        .filter("requestState eq 'PendingApproval'")
        .expand(["requestor", "accessPackageAssignment"])
        .items()
        .try_collect()
        .await?;
    let mut triage = Triage::default();
    for request in pending {
        let id = request.id.clone().unwrap_or_default();
        let Some(approval) = allow(&request).then(|| approval_of(&request)).flatten() else {
            triage.skipped.push(id);
            continue;
        };
        match client
            .create_access_package_assignment_request(&approval)
            .await
        {
            Ok(_) => triage.approved.push(id),
            Err(e) if e.is_throttled() => triage.deferred.push(id),
            Err(e) => {
                let code = e.code().unwrap_or("unknown").to_owned();
                triage.failed.push((id, code));
            }
        }
    }
    Ok(triage)
}

/// The `AdminAdd` request that grants what `request` asks for (`None` when it does not say
/// who or what).
fn approval_of(request: &AccessPackageAssignmentRequest) -> Option<AccessPackageAssignmentRequest> {
    let asked = request.access_package_assignment.value()?;
    let target = request
        .requestor
        .value()
        .and_then(|r| r.object_id.value())
        .or(asked.target_id.value())?;
    Some(AccessPackageAssignmentRequest {
        request_type: "AdminAdd".into(),
        justification: format!(
            "Approved by policy (request {})",
            request.id.as_deref().unwrap_or("?")
        )
        .into(),
        access_package_assignment: AccessPackageAssignment {
            target_id: target.clone().into(),
            access_package_id: asked.access_package_id.clone(),
            assignment_policy_id: asked.assignment_policy_id.clone(),
            ..Default::default()
        }
        .into(),
        ..Default::default()
    })
}
