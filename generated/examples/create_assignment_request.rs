//! The seed: "Create accessPackageAssignmentRequest" from the Graph documentation.
//!
//! ```sh
//! GRAPH_TOKEN=<access token> cargo run -p msgraph-beta-entitlement --example create_assignment_request
//! ```

use msgraph_beta_entitlement::Client;
use msgraph_beta_entitlement::models::{AccessPackageAssignment, AccessPackageAssignmentRequest};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("GRAPH_TOKEN")?;
    let client = Client::builder().bearer_token(token).build()?;

    let request = AccessPackageAssignmentRequest {
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
    let created = client
        .create_access_package_assignment_request(&request)
        .await?;
    println!("created {:?}: {:?}", created.id, created.request_state);
    Ok(())
}
