//! JSON batching against a real loopback `$batch` endpoint: 25 requests in 20 + 5, answers
//! out of order, a typed error for one item, a throttled item sent again.

mod common;

use std::sync::Mutex;

use apigen_runtime::batch::Batch;
use apigen_runtime::{Client, Error, Method, decode};
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers};

use common::{TOKEN, fast_retry};

#[derive(Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
struct AccessPackage {
    id: String,
    display_name: String,
}

/// A `$batch` endpoint: answers in reverse order; `/accessPackages/missing` is a 404 with
/// Graph's error; `/accessPackages/busy` is throttled the first time.
#[derive(Default)]
struct Endpoint {
    sizes: Mutex<Vec<usize>>,
    throttled: Mutex<bool>,
    seen: Mutex<Vec<Value>>,
}

impl Respond for Endpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let requests = body["requests"].as_array().unwrap().clone();
        self.sizes.lock().unwrap().push(requests.len());
        let mut responses = Vec::new();
        for r in requests.iter().rev() {
            self.seen.lock().unwrap().push(r.clone());
            let id = r["id"].clone();
            let url = r["url"].as_str().unwrap();
            let answer = match (r["method"].as_str().unwrap(), url) {
                (_, "/accessPackages/missing") => json!({
                    "id": id, "status": 404,
                    "headers": {"content-type": "application/json"},
                    "body": {"error": {"code": "ResourceNotFound", "message": "No such package."}}
                }),
                (_, "/accessPackages/busy") if !*self.throttled.lock().unwrap() => {
                    *self.throttled.lock().unwrap() = true;
                    json!({"id": id, "status": 429, "headers": {"retry-after": "0"}})
                }
                ("POST", _) => json!({
                    "id": id, "status": 201,
                    "headers": {"content-type": "application/json"},
                    "body": {"id": "new", "displayName": r["body"]["displayName"]}
                }),
                (_, "/reports/export") => json!({
                    "id": id, "status": 200,
                    "headers": {"content-type": "text/csv"},
                    "body": "aWQsbmFtZQoxLFNhbGVzCg=="
                }),
                _ => {
                    let n = url.rsplit('/').next().unwrap();
                    json!({
                        "id": id, "status": 200,
                        "headers": {"content-type": "application/json"},
                        "body": {"id": n, "displayName": format!("Package {n}")}
                    })
                }
            };
            responses.push(answer);
        }
        ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
    }
}

struct Shared(std::sync::Arc<Endpoint>);

impl Respond for Shared {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.0.respond(request)
    }
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/v1.0", server.uri()))
        .bearer_token(TOKEN)
        .retry_policy(fast_retry())
        .build()
        .unwrap()
}

#[tokio::test]
async fn twenty_five_requests_in_two_batches_with_typed_answers() {
    let server = MockServer::start().await;
    let endpoint = std::sync::Arc::new(Endpoint::default());
    Mock::given(matchers::method("POST"))
        .and(matchers::path("/v1.0/$batch"))
        .and(matchers::header(
            "authorization",
            format!("Bearer {TOKEN}").as_str(),
        ))
        .respond_with(Shared(endpoint.clone()))
        .mount(&server)
        .await;
    let client = client(&server);

    let mut batch = Batch::new(&client);
    let mut gets = Vec::new();
    for i in 0..21 {
        let request = client.request::<AccessPackage>(
            Method::GET,
            format!("/accessPackages/p{i}"),
            decode::json,
        );
        gets.push(batch.add(request).unwrap());
    }
    let missing = batch
        .add(client.request::<AccessPackage>(Method::GET, "/accessPackages/missing", decode::json))
        .unwrap();
    let busy = batch
        .add(client.request::<AccessPackage>(Method::GET, "/accessPackages/busy", decode::json))
        .unwrap();
    let created = batch
        .add(
            client
                .request::<AccessPackage>(Method::POST, "/accessPackages", decode::json)
                .json(&json!({"displayName": "Sales"})),
        )
        .unwrap();
    let report = batch
        .add(client.request(Method::GET, "/reports/export", decode::text))
        .unwrap();
    batch.depends_on(&created, &[gets[0].id()]).unwrap();
    assert!(matches!(
        batch.depends_on(&created, &["99"]),
        Err(Error::InvalidBatch(_))
    ));
    assert_eq!(batch.len(), 25);

    let answers = batch.send().await.expect("sent");
    for (i, item) in gets.iter().enumerate() {
        assert_eq!(
            answers.get(item).unwrap(),
            AccessPackage {
                id: format!("p{i}"),
                display_name: format!("Package p{i}")
            }
        );
    }
    let err = answers.get(&missing).expect_err("404");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.code(), Some("ResourceNotFound"));
    assert_eq!(answers.get(&busy).unwrap().id, "busy");
    assert_eq!(answers.get(&created).unwrap().display_name, "Sales");
    assert_eq!(answers.get(&report).unwrap(), "id,name\n1,Sales\n");

    // 20 + 5, then the throttled item alone.
    assert_eq!(*endpoint.sizes.lock().unwrap(), [20, 5, 1]);
    let seen = endpoint.seen.lock().unwrap();
    let post = seen.iter().find(|r| r["method"] == "POST").unwrap();
    assert_eq!(post["dependsOn"], json!(["1"]));
    assert_eq!(post["headers"]["content-type"], "application/json");
    assert_eq!(post["body"], json!({"displayName": "Sales"}));
}

apigen_runtime::from_json_via_serde!(AccessPackage);
