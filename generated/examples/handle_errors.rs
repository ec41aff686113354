//! Typed errors: Graph's error body, status, request ids, and the raw body.
//!
//! ```sh
//! GRAPH_TOKEN=<access token> cargo run -p msgraph-beta-entitlement --example handle_errors
//! ```

use msgraph_beta_entitlement::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .bearer_token(std::env::var("GRAPH_TOKEN")?)
        .build()?;

    match client
        .get_access_package("00000000-0000-0000-0000-000000000000")
        .await
    {
        Ok(package) => println!("found {:?}", package.display_name),
        // Branch on Graph's error code, never on the message.
        Err(Error::Status(e)) if e.code() == Some("ResourceNotFound") => {
            println!(
                "not found (request-id {:?}, client-request-id {:?})",
                e.request_id(),
                e.client_request_id()
            );
        }
        Err(Error::Status(e)) if e.status().as_u16() == 403 => {
            println!("forbidden: {}", e.message().unwrap_or("no message"));
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
