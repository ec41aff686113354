//! PATCH with tri-state fields: untouched (`Absent`), cleared (`Null`) or set (`Value`).
//!
//! ```sh
//! GRAPH_TOKEN=<access token> cargo run -p msgraph-beta-entitlement --example update_package -- <access-package-id>
//! ```

use msgraph_beta_entitlement::models::AccessPackage;
use msgraph_beta_entitlement::{Client, Nullable};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let id = std::env::args()
        .nth(1)
        .ok_or("usage: update_package <access-package-id>")?;
    let client = Client::builder()
        .bearer_token(std::env::var("GRAPH_TOKEN")?)
        .build()?;

    // Sends exactly {"description":null,"displayName":"Sales"}; nothing else changes.
    let update = AccessPackage {
        display_name: "Sales".into(),
        description: Nullable::Null,
        ..Default::default()
    };
    client.update_access_package(&id, &update).await?;
    println!("updated {id}");
    Ok(())
}
