//! List with OData query options, item by item across pages, then page by page with a count.
//!
//! ```sh
//! GRAPH_TOKEN=<access token> cargo run -p msgraph-beta-entitlement --example list_requests
//! ```

use futures_util::TryStreamExt;
use msgraph_beta_entitlement::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .bearer_token(std::env::var("GRAPH_TOKEN")?)
        .build()?;

    // Query options exist where the spec allows them; values are percent-encoded for you.
    let pending: Vec<_> = client
        .list_access_package_assignment_requests()
        .filter("requestState eq 'PendingApproval'")
        .expand(["requestor($expand=connectedOrganization)"])
        .select(["id", "requestType", "requestor"])
        .top(50)
        .items() // a Stream of items that follows @odata.nextLink to the end
        .try_collect()
        .await?;
    println!("{} pending requests", pending.len());

    // Page by page, with the total count (ConsistencyLevel is re-sent on every page).
    let mut pages = Box::pin(
        client
            .list_access_packages()
            .count(true)
            .consistency_level_eventual()
            .pages(),
    );
    while let Some(page) = pages.try_next().await? {
        println!("{} access packages (of {:?})", page.value.len(), page.count);
    }
    Ok(())
}
