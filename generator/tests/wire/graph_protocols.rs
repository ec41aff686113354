//! Wire tests of the crate generated from `tests/fixtures/graph-protocols.yaml` (run by
//! `tests/wire.rs` as the crate's own tests): the generated methods of Graph's delta function,
//! driveItem `copy` and `createUploadSession`, driven through the runtime's delta, long-running
//! operation and upload-session support, against loopback servers.

use std::time::Duration;

use apigen_runtime::lro::{Monitor, Wait};
use apigen_runtime::upload::{SLICE_UNIT, UploadSession};
use serde_json::json;
use wire_graph_protocols::{Client, models};
use wiremock::matchers::{header_exists, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/v1.0", server.uri()))
        .bearer_token("t0k3n")
        .build()
        .expect("client")
}

/// `groups_delta()` to its delta link over two pages, then the changes since.
#[tokio::test]
async fn delta_to_the_link_then_resumed() {
    let server = MockServer::start().await;
    let delta = format!("{}/v1.0/groups/microsoft.graph.delta()", server.uri());
    Mock::given(method("GET"))
        .and(path("/v1.0/groups/microsoft.graph.delta()"))
        .and(query_param("$deltatoken", "d1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "g2", "@removed": {"reason": "changed"}}],
            "@odata.deltaLink": format!("{delta}?$deltatoken=d2")
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/groups/microsoft.graph.delta()"))
        .and(query_param("$skiptoken", "s2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "g2", "displayName": "Two"}],
            "@odata.deltaLink": format!("{delta}?$deltatoken=d1")
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/groups/microsoft.graph.delta()"))
        .and(query_param_is_missing("$skiptoken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "g1", "displayName": "One"}],
            "@odata.nextLink": format!("{delta}?$skiptoken=s2")
        })))
        .mount(&server)
        .await;

    let client = client(&server);
    let all = client.groups_delta().collect_delta().await.expect("a delta link");
    let ids: Vec<&str> = all.items.iter().map(|g| g.id.as_deref().unwrap_or("")).collect();
    assert_eq!(ids, ["g1", "g2"]);
    let changes = client
        .core()
        .delta_from::<models::Group>(&all.delta_link)
        .collect_delta()
        .await
        .expect("changes");
    assert_eq!(changes.items.len(), 1);
    assert!(changes.items[0].removed.is_value());
    assert!(changes.delta_link.ends_with("$deltatoken=d2"));
}

/// `copy` answers 202 with a monitor on another origin; it reports twice, then the new item.
#[tokio::test]
async fn copy_is_awaited_through_its_monitor() {
    let server = MockServer::start().await;
    let monitor = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/drives/d1/items/i1/microsoft.graph.copy"))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("location", format!("{}/monitor/m1", monitor.uri()).as_str()),
        )
        .mount(&server)
        .await;
    for pct in [25.0, 75.0] {
        Mock::given(method("GET"))
            .and(path("/monitor/m1"))
            .respond_with(ResponseTemplate::new(202).set_body_json(
                json!({"status": "inProgress", "percentageComplete": pct}),
            ))
            .up_to_n_times(1)
            .mount(&monitor)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/monitor/m1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "completed", "resourceId": "copy-1"})),
        )
        .mount(&monitor)
        .await;

    let client = client(&server);
    let body = models::DrivesDriveItemsDriveItemCopyBody {
        name: "copy.docx".into(),
        ..Default::default()
    };
    let accepted = client
        .drives_drive_items_drive_item_copy("d1", "i1", &body)
        .send()
        .await
        .expect("accepted");
    assert_eq!(accepted.status.as_u16(), 202);
    assert_eq!(accepted.body, None);
    let done = Monitor::of(client.core(), &accepted)
        .expect("a monitor")
        .wait(Wait::default().delays(Duration::from_millis(1), Duration::from_millis(5)))
        .await
        .expect("completed");
    assert_eq!(done.resource_id.as_deref(), Some("copy-1"));
    let polls = monitor.received_requests().await.unwrap();
    assert_eq!(polls.len(), 3);
    assert!(polls.iter().all(|r| r.headers.get("authorization").is_none()));
}

/// `createUploadSession`, then the file in 320 KiB slices to the pre-authenticated URL.
#[tokio::test]
async fn upload_session_from_the_generated_method() {
    let server = MockServer::start().await;
    let storage = MockServer::start().await;
    let upload_url = format!("{}/up/s1?tempauth=abc", storage.uri());
    Mock::given(method("POST"))
        .and(path(
            "/v1.0/drives/d1/items/i1/microsoft.graph.createUploadSession",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "uploadUrl": upload_url,
            "expirationDateTime": "2030-01-01T00:00:00Z",
            "nextExpectedRanges": ["0-"]
        })))
        .mount(&server)
        .await;
    let data: Vec<u8> = (0..700_000u32).map(|i| (i % 253) as u8).collect();
    Mock::given(method("PUT"))
        .and(path("/up/s1"))
        .and(header_exists("content-range"))
        .respond_with(move |r: &wiremock::Request| {
            let range = r.headers["content-range"].to_str().unwrap().to_owned();
            if range.ends_with("-699999/700000") {
                ResponseTemplate::new(201).set_body_json(json!({"id": "file-1", "name": "big.bin", "size": 700000}))
            } else {
                let end: u64 = range
                    .trim_start_matches("bytes ")
                    .split(['-', '/'])
                    .nth(1)
                    .unwrap()
                    .parse()
                    .unwrap();
                ResponseTemplate::new(202)
                    .set_body_json(json!({"nextExpectedRanges": [format!("{}-", end + 1)]}))
            }
        })
        .mount(&storage)
        .await;

    let client = client(&server);
    let body = models::DrivesDriveItemsDriveItemCreateUploadSessionBody {
        item: models::DriveItemUploadableProperties {
            name: "big.bin".into(),
            file_size: 700_000.into(),
            ..Default::default()
        }
        .into(),
        ..Default::default()
    };
    let session = client
        .drives_drive_items_drive_item_create_upload_session("d1", "i1", &body)
        .await
        .expect("a session")
        .expect("not null");
    let url = session.upload_url.value().expect("an upload URL").clone();
    let item: models::DriveItem = UploadSession::new(client.core(), &url)
        .unwrap()
        .slice_size(SLICE_UNIT)
        .unwrap()
        .upload(data.into())
        .await
        .expect("uploaded");
    assert_eq!(item.id.as_deref(), Some("file-1"));
    let puts = storage.received_requests().await.unwrap();
    assert_eq!(puts.len(), 3);
    assert!(puts.iter().all(|r| r.headers.get("authorization").is_none()));
}
