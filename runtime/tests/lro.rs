//! Long-running operations against real loopback servers: a `202` with a monitor URL, polled
//! to the end.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigen_runtime::lro::{Monitor, Wait};
use apigen_runtime::{Client, Error, Method, decode};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use common::{TOKEN, fast_retry};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry_policy(fast_retry())
        .build()
        .unwrap()
}

fn quick() -> Wait {
    Wait::default().delays(Duration::from_millis(1), Duration::from_millis(5))
}

/// Mounts `answers` on `GET /monitor/1` of `monitor`, one each, in order (the last one for
/// any later poll).
async fn mount_monitor(monitor: &MockServer, answers: Vec<ResponseTemplate>) {
    let n = answers.len();
    for (i, answer) in answers.into_iter().enumerate() {
        let mock = Mock::given(method("GET"))
            .and(path("/monitor/1"))
            .respond_with(answer);
        let mock = if i + 1 < n {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.mount(monitor).await;
    }
}

/// driveItem `copy`: accepted with a monitor on another origin, which reports progress twice
/// and then the new item's id. The token never reaches the monitor.
#[tokio::test]
async fn a_copy_reports_202_twice_then_completes() {
    let api = MockServer::start().await;
    let monitor = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/drives/d1/items/i1/copy"))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("location", format!("{}/monitor/1", monitor.uri()).as_str()),
        )
        .expect(1)
        .mount(&api)
        .await;
    let in_progress = |pct: f64| {
        ResponseTemplate::new(202)
            .insert_header("retry-after", "0")
            .set_body_json(
                json!({"status": "inProgress", "percentageComplete": pct, "operation": "ItemCopy"}),
            )
    };
    mount_monitor(
        &monitor,
        vec![
            in_progress(10.0),
            in_progress(60.0),
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "completed", "resourceId": "new-item", "percentageComplete": 100.0})),
        ],
    )
    .await;

    let client = client(&api);
    let accepted = client
        .request(Method::POST, "/drives/d1/items/i1/copy", decode::empty)
        .json(&json!({"name": "copy.docx"}))
        .send()
        .await
        .expect("accepted");
    let monitor_of = Monitor::of(&client, &accepted).expect("a 202 with a Location");
    assert_eq!(monitor_of.url(), format!("{}/monitor/1", monitor.uri()));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let done = monitor_of
        .wait(quick().on_progress(move |p| {
            record
                .lock()
                .unwrap()
                .push((p.status.clone(), p.percentage_complete))
        }))
        .await
        .expect("completed");
    assert_eq!(done.resource_id.as_deref(), Some("new-item"));
    assert_eq!(
        *seen.lock().unwrap(),
        vec![
            ("inProgress".to_owned(), Some(10.0)),
            ("inProgress".to_owned(), Some(60.0))
        ]
    );
    let polls = monitor.received_requests().await.unwrap();
    assert_eq!(polls.len(), 3);
    assert!(
        polls
            .iter()
            .all(|r| r.headers.get("authorization").is_none())
    );
}

/// A failed operation is a typed error with the monitor's message.
#[tokio::test]
async fn a_failed_operation_is_an_error() {
    let api = MockServer::start().await;
    mount_monitor(
        &api,
        vec![ResponseTemplate::new(200).set_body_json(
            json!({"status": "failed", "error": {"code": "nameAlreadyExists", "message": "An item with this name exists."}}),
        )],
    )
    .await;
    let client = client(&api);
    let mut headers = apigen_runtime::HeaderMap::new();
    headers.insert("location", "/monitor/1".parse().unwrap());
    let err = Monitor::from_headers(&client, &headers)
        .expect("a monitor")
        .wait(quick())
        .await
        .expect_err("failed");
    match err {
        Error::OperationFailed { status, message } => {
            assert_eq!(status, "failed");
            assert_eq!(message.as_deref(), Some("An item with this name exists."));
        }
        other => panic!("expected OperationFailed, got {other:?}"),
    }
    // On the client's origin, the monitor gets the token.
    let poll = &api.received_requests().await.unwrap()[0];
    assert_eq!(
        poll.headers.get("authorization").unwrap(),
        &format!("Bearer {TOKEN}")
    );
}

/// An operation that never ends stops at the budget, with the last progress.
#[tokio::test]
async fn waiting_stops_at_the_budget() {
    let api = MockServer::start().await;
    mount_monitor(
        &api,
        vec![
            ResponseTemplate::new(202)
                .set_body_json(json!({"status": "inProgress", "percentageComplete": 5})),
        ],
    )
    .await;
    let client = client(&api);
    let mut headers = apigen_runtime::HeaderMap::new();
    headers.insert("location", "/monitor/1".parse().unwrap());
    let err = Monitor::from_headers(&client, &headers)
        .unwrap()
        .wait(quick().budget(Duration::from_millis(60)))
        .await
        .expect_err("not done in time");
    match err {
        Error::OperationTimedOut { last, .. } => {
            assert_eq!(last.unwrap().percentage_complete, Some(5.0));
        }
        other => panic!("expected OperationTimedOut, got {other:?}"),
    }
}
