//! Resumable uploads against a real loopback upload session: slices that are multiples of
//! 320 KiB, a failure mid-way and a resume from the session's status, no credentials at the
//! pre-authenticated upload URL.

mod common;

use std::sync::{Arc, Mutex};

use apigen_runtime::upload::{SLICE_UNIT, UploadSession};
use apigen_runtime::{Bytes, Client, Error};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers};

use common::{TOKEN, fast_retry};

/// An upload session that keeps what it receives, fails the slice starting at `fail_at` once
/// (a 500 after the bytes arrived, as a dropped connection would look), and answers as
/// OneDrive does.
struct Session {
    total: usize,
    received: Mutex<Vec<u8>>,
    fail_at: Option<usize>,
    failed: Mutex<bool>,
    ranges: Mutex<Vec<String>>,
}

impl Session {
    fn expecting(&self, have: usize) -> ResponseTemplate {
        ResponseTemplate::new(202).set_body_json(json!({
            "expirationDateTime": "2030-01-01T00:00:00Z",
            "nextExpectedRanges": [format!("{have}-")],
        }))
    }
}

impl Respond for Session {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let have = self.received.lock().unwrap().len();
        match request.method.as_str() {
            "GET" => self.expecting(have),
            "PUT" => {
                let range = request
                    .headers
                    .get("content-range")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                self.ranges.lock().unwrap().push(range.clone());
                let spec = range.trim_start_matches("bytes ");
                let (span, total) = spec.split_once('/').unwrap();
                let (start, end) = span.split_once('-').unwrap();
                let (start, end): (usize, usize) = (start.parse().unwrap(), end.parse().unwrap());
                assert_eq!(total.parse::<usize>().unwrap(), self.total);
                assert_eq!(
                    request.body.len(),
                    end - start + 1,
                    "Content-Length and range agree"
                );
                if Some(start) == self.fail_at && !*self.failed.lock().unwrap() {
                    *self.failed.lock().unwrap() = true;
                    return ResponseTemplate::new(500);
                }
                if start != have {
                    return ResponseTemplate::new(416);
                }
                let mut received = self.received.lock().unwrap();
                received.extend_from_slice(&request.body);
                if received.len() == self.total {
                    ResponseTemplate::new(201).set_body_json(
                        json!({"id": "item-1", "name": "big.bin", "size": self.total}),
                    )
                } else {
                    self.expecting(received.len())
                }
            }
            _ => ResponseTemplate::new(405),
        }
    }
}

fn file(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

fn client(api: &MockServer) -> Client {
    Client::builder()
        .base_url(api.uri())
        .bearer_token(TOKEN)
        .retry_policy(fast_retry())
        .build()
        .unwrap()
}

/// 2 MB in 640 KiB slices, the third failing once: the upload asks the session where it is
/// and goes on; the item comes back typed; no request to the upload URL had `Authorization`.
#[tokio::test]
async fn a_two_megabyte_upload_survives_a_failure_and_never_sends_the_token() {
    let api = MockServer::start().await;
    let storage = MockServer::start().await;
    let data = file(2_000_000);
    let session = Arc::new(Session {
        total: data.len(),
        received: Mutex::new(Vec::new()),
        fail_at: Some(4 * SLICE_UNIT),
        failed: Mutex::new(false),
        ranges: Mutex::new(Vec::new()),
    });
    Mock::given(matchers::path("/upload/session-1"))
        .respond_with(ArcRespond(session.clone()))
        .mount(&storage)
        .await;

    let progress = Arc::new(Mutex::new(Vec::new()));
    let record = progress.clone();
    let item: Value = UploadSession::new(
        &client(&api),
        &format!("{}/upload/session-1?tempauth=x", storage.uri()),
    )
    .unwrap()
    .slice_size(2 * SLICE_UNIT)
    .unwrap()
    .on_progress(move |sent, total| record.lock().unwrap().push((sent, total)))
    .upload(Bytes::from(data.clone()))
    .await
    .expect("uploaded");
    assert_eq!(item["id"], "item-1");
    assert_eq!(*session.received.lock().unwrap(), data);
    let ranges = session.ranges.lock().unwrap().clone();
    assert_eq!(
        ranges,
        [
            "bytes 0-655359/2000000",
            "bytes 655360-1310719/2000000",
            "bytes 1310720-1966079/2000000",
            "bytes 1310720-1966079/2000000",
            "bytes 1966080-1999999/2000000",
        ]
    );
    let requests = storage.received_requests().await.unwrap();
    assert!(
        requests.iter().any(|r| r.method.as_str() == "GET"),
        "asked for the status"
    );
    assert!(
        requests
            .iter()
            .all(|r| r.headers.get("authorization").is_none())
    );
    assert_eq!(
        progress.lock().unwrap().last(),
        Some(&(2_000_000, 2_000_000))
    );
    assert!(api.received_requests().await.unwrap().is_empty());
}

/// From a reader, one slice in memory at a time: the same bytes arrive.
#[tokio::test]
async fn an_upload_from_a_reader() {
    let api = MockServer::start().await;
    let storage = MockServer::start().await;
    let data = file(1_000_000);
    let session = Arc::new(Session {
        total: data.len(),
        received: Mutex::new(Vec::new()),
        fail_at: None,
        failed: Mutex::new(false),
        ranges: Mutex::new(Vec::new()),
    });
    Mock::given(matchers::path("/upload/s2"))
        .respond_with(ArcRespond(session.clone()))
        .mount(&storage)
        .await;
    let reader = std::io::Cursor::new(data.clone());
    let item: Value = UploadSession::from_value(
        &client(&api),
        &json!({"uploadUrl": format!("{}/upload/s2", storage.uri())}),
    )
    .unwrap()
    .slice_size(SLICE_UNIT)
    .unwrap()
    .upload_reader(reader, data.len() as u64)
    .await
    .expect("uploaded");
    assert_eq!(item["size"], 1_000_000);
    assert_eq!(*session.received.lock().unwrap(), data);
    assert_eq!(session.ranges.lock().unwrap().len(), 4);
}

/// Slice sizes the service refuses are refused before anything is sent; cancel deletes the
/// session.
#[tokio::test]
async fn bad_slices_are_refused_and_cancel_deletes_the_session() {
    let storage = MockServer::start().await;
    let session =
        UploadSession::new(&client(&storage), &format!("{}/upload/s3", storage.uri())).unwrap();
    for size in [0, 1000, SLICE_UNIT + 1, 200 * SLICE_UNIT] {
        let err = UploadSession::new(&client(&storage), &format!("{}/upload/s3", storage.uri()))
            .unwrap()
            .slice_size(size)
            .expect_err("not a multiple of 320 KiB under 60 MiB");
        assert!(matches!(err, Error::InvalidUploadSlice { .. }));
    }
    Mock::given(matchers::method("DELETE"))
        .and(matchers::path("/upload/s3"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&storage)
        .await;
    session.cancel().await.expect("deleted");
}

/// `Respond` for a shared session.
struct ArcRespond(Arc<Session>);

impl Respond for ArcRespond {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.0.respond(request)
    }
}
