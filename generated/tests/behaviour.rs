//! How the generated client behaves on the wire, one test (at least) per behaviour a Graph user
//! relies on: paging, OData query options, errors, throttling, polymorphism, lossless models,
//! PATCH semantics and safety. Every test talks to a real HTTP server on loopback.

use std::time::{Duration, Instant};

use futures_util::{StreamExt, TryStreamExt};
use msgraph_beta_entitlement::models::{
    AccessPackage, AccessPackageAssignmentRequest, AccessPackageCustomExtensionStage,
    AnyAccessPackageAnswer,
};
use msgraph_beta_entitlement::runtime::retry::RetryPolicy;
use msgraph_beta_entitlement::{Client, Error, Nullable};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request as Received, ResponseTemplate};

const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.secret-payload";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .bearer_token(TOKEN)
        .build()
        .expect("client")
}

async fn received(server: &MockServer) -> Vec<Received> {
    server.received_requests().await.unwrap_or_default()
}

fn body_json(r: &Received) -> Value {
    serde_json::from_slice(&r.body).expect("a JSON body")
}

// ----- paging -----

#[tokio::test]
async fn paging_follows_three_pages_to_the_end() {
    let server = MockServer::start().await;
    let base = format!("{}/beta/accessPackages", server.uri());
    for (page, next) in [(1, Some(2)), (2, Some(3)), (3, None)] {
        let mut body =
            json!({ "value": [{ "id": format!("p{page}a") }, { "id": format!("p{page}b") }] });
        if page == 1 {
            body["@odata.count"] = json!(6);
        }
        if let Some(n) = next {
            body["@odata.nextLink"] = json!(format!("{base}?$skiptoken=page{n}"));
        }
        let mock = Mock::given(method("GET")).and(path("/beta/accessPackages"));
        let mock = if page == 1 {
            mock.and(query_param("$count", "true"))
        } else {
            mock.and(query_param("$skiptoken", format!("page{page}")))
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
    }

    let pages: Vec<_> = client(&server)
        .list_access_packages()
        .count(true)
        .consistency_level_eventual()
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0].count, Some(6));
    let ids: Vec<String> = pages
        .iter()
        .flat_map(|p| p.value.iter().map(|a| a.id.clone().unwrap()))
        .collect();
    assert_eq!(ids, ["p1a", "p1b", "p2a", "p2b", "p3a", "p3b"]);

    // ConsistencyLevel and the token went to every page; each page had its own client-request-id.
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    let mut ids = std::collections::BTreeSet::new();
    for r in &requests {
        assert_eq!(r.headers["consistencylevel"], "eventual");
        assert_eq!(
            r.headers["authorization"],
            format!("Bearer {TOKEN}").as_str()
        );
        ids.insert(r.headers["client-request-id"].to_str().unwrap().to_owned());
    }
    assert_eq!(ids.len(), 3);

    // The same, item by item.
    let server2 = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "only"}]})))
        .mount(&server2)
        .await;
    let items: Vec<_> = client(&server2)
        .list_access_packages()
        .items()
        .collect()
        .await;
    assert_eq!(items.len(), 1);
}

// ----- query options -----

#[tokio::test]
async fn query_options_have_their_exact_wire_form() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .mount(&server)
        .await;
    client(&server)
        .list_access_package_assignment_requests()
        .select(["id", "requestType"])
        .expand(["requestor($expand=connectedOrganization)"])
        .filter("requestState eq 'PendingApproval' and justification eq 'R&D #1 + 50%'")
        .orderby(["createdDateTime desc"])
        .top(5)
        .skip(10)
        .count(true)
        .search("\"displayName:Sales\"")
        .await
        .unwrap();
    let r = &received(&server).await[0];
    assert_eq!(r.url.path(), "/beta/accessPackageAssignmentRequests");
    assert_eq!(
        r.url.query().unwrap(),
        "$select=id,requestType\
         &$expand=requestor($expand%3DconnectedOrganization)\
         &$filter=requestState%20eq%20%27PendingApproval%27%20and%20justification%20eq%20%27R%26D%20%231%20%2B%2050%25%27\
         &$orderby=createdDateTime%20desc\
         &$top=5&$skip=10&$count=true\
         &$search=%22displayName:Sales%22"
    );

    // A single entity takes $select and $expand (other options do not exist on its type).
    client(&server)
        .get_access_package("pkg")
        .select(["displayName"])
        .expand(["accessPackageCatalog"])
        .send()
        .await
        .ok();
    let r = &received(&server).await[1];
    assert_eq!(
        r.url.query().unwrap(),
        "$select=displayName&$expand=accessPackageCatalog"
    );
}

// ----- optional parameters -----

#[tokio::test]
async fn optional_parameters_are_sent_only_when_set() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/beta/accessPackages/ap1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(3)
        .mount(&server)
        .await;
    let client = client(&server);
    // Not set: no header. Set: exactly the value given. Through `send()`: the status comes back,
    // and a header set with the generic `header` goes along with the operation's own setter.
    client.delete_access_package("ap1").await.unwrap();
    client
        .delete_access_package("ap1")
        .if_match("W/\"JzEtVGVzdCc=\"")
        .await
        .unwrap();
    let response = client
        .delete_access_package("ap1")
        .if_match("*")
        .header("client-request-id", "0b6a4c3e-6f0a-4a8e-9a9e-2f3d1c0b9a77")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status, 204);
    let got = received(&server).await;
    let if_match: Vec<Option<&str>> = got
        .iter()
        .map(|r| r.headers.get("if-match").map(|v| v.to_str().unwrap()))
        .collect();
    assert_eq!(if_match, [None, Some("W/\"JzEtVGVzdCc=\""), Some("*")]);
    assert_eq!(
        got[2].headers.get("client-request-id").unwrap(),
        "0b6a4c3e-6f0a-4a8e-9a9e-2f3d1c0b9a77"
    );
}

// ----- errors -----

#[tokio::test]
async fn non_graph_error_bodies_and_decode_failures_keep_the_raw_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/beta/accessPackages/gateway"))
        .respond_with(
            ResponseTemplate::new(502).set_body_raw("<html>Bad gateway</html>", "text/html"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/accessPackages/broken"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"id":"broken","isHidden":"not a bool"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = client(&server);

    let Error::Status(status) = client.get_access_package("gateway").await.unwrap_err() else {
        panic!("expected a status error")
    };
    assert_eq!(status.status().as_u16(), 502);
    assert!(status.odata_error().is_none());
    assert_eq!(status.body().as_ref(), b"<html>Bad gateway</html>");
    assert!(status.client_request_id().is_some());

    let Error::Decode(decode) = client.get_access_package("broken").await.unwrap_err() else {
        panic!("expected a decode error")
    };
    assert_eq!(decode.path(), "isHidden");
    assert_eq!(
        decode.body().as_ref(),
        br#"{"id":"broken","isHidden":"not a bool"}"#
    );
}

// ----- throttling and transient faults -----

#[tokio::test]
async fn throttled_request_waits_for_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({
                    "error": {"code": "TooManyRequests", "message": "slow down"}
                })),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "created"})))
        .mount(&server)
        .await;
    let started = Instant::now();
    let created = client(&server)
        .create_access_package_assignment_request(&Default::default())
        .await
        .unwrap();
    assert_eq!(created.id.as_deref(), Some("created"));
    // Retry-After was honoured (a lower bound: the server asked for one second).
    assert!(started.elapsed() >= Duration::from_millis(950));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    // The same logical request: same client-request-id, same body.
    assert_eq!(
        requests[0].headers["client-request-id"],
        requests[1].headers["client-request-id"]
    );
    assert_eq!(requests[0].body, requests[1].body);
}

#[tokio::test]
async fn service_unavailable_exhausts_the_retry_budget() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .bearer_token(TOKEN)
        .retry_policy(
            RetryPolicy::new()
                .with_max_attempts(3)
                .with_base_delay(Duration::from_millis(5))
                .with_max_delay(Duration::from_millis(20)),
        )
        .build()
        .unwrap();
    let err = client.get_access_package("x").await.unwrap_err();
    let Error::Status(status) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(status.status().as_u16(), 503);
    assert_eq!(status.attempts(), 3);
    assert_eq!(received(&server).await.len(), 3);

    // A 500 is not transient: one attempt only.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let err = client_with_base(&server, RetryPolicy::new())
        .get_access_package("x")
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(received(&server).await.len(), 1);
}

fn client_with_base(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .bearer_token(TOKEN)
        .retry_policy(policy)
        .build()
        .unwrap()
}

// ----- polymorphism -----

#[tokio::test]
async fn polymorphic_answers_go_out_and_come_back_by_odata_type() {
    let request_text = include_str!("fixtures/post-useradd-answers.request.json");
    let response_text = include_str!("fixtures/post-useradd-answers.response-201.json");
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_raw(response_text, "application/json"))
        .mount(&server)
        .await;
    let body: AccessPackageAssignmentRequest = serde_json::from_str(request_text).unwrap();
    let created = client(&server)
        .create_access_package_assignment_request(&body)
        .await
        .unwrap();
    // Sent: the documentation's body, @odata.type on answers and questions included.
    assert_eq!(
        body_json(&received(&server).await[0]),
        serde_json::from_str::<Value>(request_text).unwrap()
    );
    // Received: decoded into the right variants and re-encoded to the same JSON value.
    let answers = created.answers.value().unwrap();
    assert!(matches!(
        answers[0],
        Some(AnyAccessPackageAnswer::AccessPackageAnswerString(_))
    ));
    assert_eq!(
        serde_json::to_value(&created).unwrap(),
        serde_json::from_str::<Value>(response_text).unwrap()
    );
}

/// A wrong type inside a polymorphic answer's polymorphic question is reported at its full
/// JSON path and its own position, whether `@odata.type` comes after other properties (as in
/// the documentation's example) or first (as in `serde_json`'s sorted output).
#[tokio::test]
async fn decode_errors_inside_polymorphic_answers_name_the_failing_value() {
    let docs = include_str!("fixtures/post-useradd-answers.response-201.json").replacen(
        r#""isRequired": false"#,
        r#""isRequired": "no""#,
        1,
    );
    // Keys in sorted order (tags first), whatever order serde_json's maps keep in this build.
    fn sorted_json(v: &Value) -> String {
        match v {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                let fields: Vec<String> = keys
                    .into_iter()
                    .map(|k| format!("{}:{}", Value::String(k.clone()), sorted_json(&map[k])))
                    .collect();
                format!("{{{}}}", fields.join(","))
            }
            Value::Array(items) => {
                let items: Vec<String> = items.iter().map(sorted_json).collect();
                format!("[{}]", items.join(","))
            }
            other => other.to_string(),
        }
    }
    let sorted = sorted_json(&serde_json::from_str::<Value>(&docs).unwrap());
    assert!(sorted.contains(r##"{"@odata.type":"#microsoft.graph.accessPackageAnswerString","answeredQuestion":{"@odata.type""##));
    let server = MockServer::start().await;
    for (id, text) in [("docs", &docs), ("sorted", &sorted)] {
        Mock::given(method("GET"))
            .and(path(format!("/beta/accessPackageAssignmentRequests/{id}")))
            .respond_with(ResponseTemplate::new(200).set_body_raw(text.clone(), "application/json"))
            .mount(&server)
            .await;
    }
    for (id, text) in [("docs", &docs), ("sorted", &sorted)] {
        let err = client(&server)
            .get_access_package_assignment_request(id)
            .await
            .unwrap_err();
        let Error::Decode(decode) = &err else {
            panic!("expected a decode error, got {err:?}")
        };
        assert_eq!(
            decode.path(),
            "answers[0].answeredQuestion.isRequired",
            "{id}"
        );
        let end = text.find(r#""no""#).unwrap() + r#""no""#.len();
        let line = text[..end].matches('\n').count() + 1;
        let column = end - text[..end].rfind('\n').map_or(0, |i| i + 1);
        assert_eq!(
            decode.message(),
            format!(
                "invalid type: string \"no\", expected a boolean at line {line} column {column}"
            ),
            "{id}"
        );
        assert_eq!(decode.body().as_ref(), text.as_bytes());
    }
}

#[test]
fn unknown_odata_types_keep_their_raw_json() {
    let text = r##"{"answers":[{"@odata.type":"#microsoft.graph.accessPackageAnswerChoiceList","picked":["a","b"],"answeredQuestion":{"@odata.type":"#microsoft.graph.accessPackageFutureQuestion","id":"q"}}]}"##;
    let request: AccessPackageAssignmentRequest = serde_json::from_str(text).unwrap();
    let answers = request.answers.value().unwrap();
    let Some(AnyAccessPackageAnswer::Unknown(raw)) = &answers[0] else {
        panic!("an unknown answer type must be kept raw: {:?}", answers[0])
    };
    assert_eq!(raw["picked"], json!(["a", "b"]));
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        serde_json::from_str::<Value>(text).unwrap()
    );
}

#[test]
fn derived_values_built_in_rust_are_sent_with_their_type() {
    use msgraph_beta_entitlement::models::AccessPackageAnswerString;
    let answer: AnyAccessPackageAnswer = AccessPackageAnswerString {
        value: Nullable::Value("Arizona".into()),
        ..Default::default()
    }
    .into();
    assert_eq!(
        serde_json::to_value(&answer).unwrap(),
        json!({"@odata.type": "#microsoft.graph.accessPackageAnswerString", "value": "Arizona"})
    );
}

// ----- lossless models -----

#[test]
fn models_compare_and_show_by_their_wire_form() {
    let read = |json: &str| serde_json::from_str::<AccessPackage>(json).unwrap();
    let a = read(r#"{"id":"ap1","displayName":"Sales","x-extra":{"n":1}}"#);
    // Same wire form (property order does not matter): equal.
    assert_eq!(
        a,
        read(r#"{"x-extra":{"n":1},"displayName":"Sales","id":"ap1"}"#)
    );
    // `null` is not absent, and kept unknown properties count.
    assert_ne!(
        a,
        read(r#"{"id":"ap1","displayName":"Sales","x-extra":{"n":1},"description":null}"#)
    );
    assert_ne!(
        a,
        read(r#"{"id":"ap1","displayName":"Sales","x-extra":{"n":2}}"#)
    );
    let mut b = a.clone();
    b.display_name = Nullable::Null;
    assert_ne!(a, b);
    // Debug: the type and the JSON, only what is there; `{:#?}` indents it.
    assert_eq!(
        format!("{a:?}"),
        r#"AccessPackage {"id":"ap1","displayName":"Sales","x-extra":{"n":1}}"#
    );
    // Polymorphic values too, with their type tag.
    let answer: AnyAccessPackageAnswer = serde_json::from_str(
        r##"{"@odata.type":"#microsoft.graph.accessPackageAnswerString","value":"yes"}"##,
    )
    .unwrap();
    assert_eq!(
        format!("{answer:?}"),
        r##"AnyAccessPackageAnswer {"@odata.type":"#microsoft.graph.accessPackageAnswerString","value":"yes"}"##
    );
    assert_eq!(answer, answer.clone());
    assert_eq!(
        format!("{b:#?}"),
        "AccessPackage {\n  \"id\": \"ap1\",\n  \"displayName\": null,\n  \"x-extra\": {\n    \"n\": 1\n  }\n}"
    );
}

#[tokio::test]
async fn read_modify_write_keeps_unknown_properties_and_enum_values() {
    let fetched = json!({
        "id": "r1",
        "requestType": "UserAdd",
        "someFutureProperty": {"nested": [1, 2, 3]},
        "customExtensionHandlerInstances": [
            {"stage": "assignmentRequestCreated", "status": "requestSent"},
            {"stage": "assignmentRequestExpiredInTheFuture", "status": "someNewStatus"}
        ]
    });
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fetched.clone()))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "r2"})))
        .mount(&server)
        .await;
    let client = client(&server);
    let request = client
        .get_access_package_assignment_request("r1")
        .include_unknown_enum_members()
        .await
        .unwrap();
    let handlers = request.custom_extension_handler_instances.value().unwrap();
    let handlers: Vec<_> = handlers.iter().flatten().collect();
    assert_eq!(
        handlers[0].stage,
        Nullable::Value(AccessPackageCustomExtensionStage::AssignmentRequestCreated)
    );
    assert_eq!(
        handlers[1].stage,
        Nullable::Value(AccessPackageCustomExtensionStage::UnknownValue(
            "assignmentRequestExpiredInTheFuture".into()
        ))
    );
    assert_eq!(
        request.additional_properties["someFutureProperty"],
        json!({"nested": [1, 2, 3]})
    );

    client
        .create_access_package_assignment_request(&request)
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(
        requests[0].headers["prefer"],
        "include-unknown-enum-members"
    );
    assert_eq!(
        body_json(&requests[1]),
        fetched,
        "what was read is written back unchanged"
    );
}

// ----- PATCH semantics -----

#[tokio::test]
async fn patch_bodies_leave_set_or_clear_each_property() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/beta/accessPackages/pkg-1"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    let update = AccessPackage {
        display_name: Nullable::Value("Sales".into()), // set
        description: Nullable::Null,                   // cleared
        ..Default::default()                           // everything else untouched
    };
    client
        .update_access_package("pkg-1", &update)
        .await
        .unwrap();
    client
        .update_access_package("pkg-1", &AccessPackage::default())
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests[0].method.as_str(), "PATCH");
    assert_eq!(
        String::from_utf8(requests[0].body.clone()).unwrap(),
        r#"{"description":null,"displayName":"Sales"}"#
    );
    assert_eq!(String::from_utf8(requests[1].body.clone()).unwrap(), "{}");
    assert_eq!(requests[0].headers["content-type"], "application/json");
}

// ----- safety -----

#[tokio::test]
async fn hostile_ids_cannot_change_the_request_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "x"})))
        .mount(&server)
        .await;
    let client = client(&server);
    for id in [
        "a/../b",
        "x?y#z",
        "../../admin",
        "%2e%2e",
        "100%",
        "o'neil",
        "é è",
    ] {
        client.get_access_package(id).await.unwrap();
    }
    let paths: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/beta/accessPackages/a%2F..%2Fb",
            "/beta/accessPackages/x%3Fy%23z",
            "/beta/accessPackages/..%2F..%2Fadmin",
            "/beta/accessPackages/%252e%252e",
            "/beta/accessPackages/100%25",
            "/beta/accessPackages/o'neil",
            "/beta/accessPackages/%C3%A9%20%C3%A8",
        ]
    );
    for id in ["", ".", ".."] {
        let err = client.get_access_package(id).await.unwrap_err();
        assert!(
            matches!(err, Error::InvalidPathParameter { .. }),
            "{id:?}: {err:?}"
        );
    }
    assert_eq!(
        received(&server).await.len(),
        7,
        "rejected ids send nothing"
    );
}

#[test]
fn the_token_never_appears_in_debug_output() {
    let client = Client::builder().bearer_token(TOKEN).build().unwrap();
    let shown = format!("{client:?} {:?}", client.get_access_package("x"));
    assert!(!shown.contains("secret-payload"), "{shown}");
    assert!(
        shown.contains("https://graph.microsoft.com/beta"),
        "{shown}"
    );
}

#[test]
fn https_by_default_and_national_clouds() {
    assert_eq!(Client::DEFAULT_BASE_URL, "https://graph.microsoft.com/beta");
    let us_gov = Client::builder()
        .base_url(Client::BASE_URL_US_GOV)
        .build()
        .unwrap();
    assert_eq!(us_gov.core().base_url(), "https://graph.microsoft.us/beta");
    let china = Client::builder()
        .base_url(Client::BASE_URL_CHINA)
        .build()
        .unwrap();
    assert_eq!(
        china.core().base_url(),
        "https://microsoftgraph.chinacloudapi.cn/beta"
    );
    // A token must not travel in clear text by accident.
    let err = Client::builder()
        .base_url("http://graph.example.com/beta")
        .bearer_token(TOKEN)
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::InvalidBaseUrl { .. }), "{err:?}");
}

#[tokio::test]
async fn users_bring_their_own_http_client_and_timeouts() {
    msgraph_beta_entitlement::runtime::install_default_crypto_provider();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "x"}))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let http = msgraph_beta_entitlement::runtime::reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .http_client(http)
        .build()
        .unwrap();
    let err = client.get_access_package("x").await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
}
