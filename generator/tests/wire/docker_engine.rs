//! Wire tests of the crate generated from Docker Engine's real Swagger 2.0 description
//! (`tests/real-specs/docker-engine.swagger.yaml`, run by `tests/wire.rs` as the crate's own
//! tests) against a loopback server: a JSON body, `collectionFormat` query arrays (`csv` and
//! `multi`), a tar archive sent and received, and a typed error.

use wire_docker_engine::{Client, Error, models};
use wiremock::matchers::{body_bytes, body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The description has no `host`: its `basePath` is where the user's daemon serves it.
fn client(server: &MockServer) -> Client {
    assert_eq!(Client::DEFAULT_BASE_URL, "/v1.56");
    Client::builder()
        .base_url(format!("{}{}", server.uri(), Client::DEFAULT_BASE_URL))
        .build()
        .expect("client")
}

#[tokio::test]
async fn container_create_sends_json_and_reads_the_created_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.56/containers/create"))
        .and(query_param("name", "web"))
        .and(header("content-type", "application/json"))
        .and(body_json(serde_json::json!({"Image": "alpine", "Cmd": ["echo", "hi"]})))
        .respond_with(ResponseTemplate::new(201).set_body_json(
            serde_json::json!({"Id": "e90e34656806", "Warnings": []}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let body = models::ContainerCreateBody {
        image: Some("alpine".into()),
        cmd: Some(vec!["echo".into(), "hi".into()]),
        ..Default::default()
    };
    let created = client(&server)
        .container_create(&body)
        .name("web")
        .await
        .expect("created");
    assert_eq!(created.id, "e90e34656806");
    assert!(created.warnings.is_empty());
}

#[tokio::test]
async fn image_export_sends_csv_and_multi_arrays_and_reads_a_tar_archive() {
    let server = MockServer::start().await;
    let tar: &[u8] = b"ustar\0archive bytes";
    Mock::given(method("GET"))
        .and(path("/v1.56/images/get"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(tar, "application/x-tar"))
        .expect(1)
        .mount(&server)
        .await;
    let bytes = client(&server)
        .image_get_all()
        .names(&["alpine:3", "busybox"])
        .platform(&["linux/amd64", "linux/arm64"])
        .await
        .expect("archive");
    assert_eq!(&bytes[..], tar);
    let requests = server.received_requests().await.expect("recorded");
    // `names` has no collectionFormat (csv, joined); `platform` is `multi` (repeated).
    let pairs: Vec<(String, String)> = requests[0].url.query_pairs().into_owned().collect();
    let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    assert_eq!(
        pairs,
        [
            pair("names", "alpine:3,busybox"),
            pair("platform", "linux/amd64"),
            pair("platform", "linux/arm64")
        ]
    );
    assert!(
        requests[0].headers["accept"]
            .to_str()
            .unwrap()
            .starts_with("application/x-tar")
    );
}

#[tokio::test]
async fn an_archive_is_uploaded_as_tar() {
    let server = MockServer::start().await;
    let tar: &[u8] = b"ustar\0files";
    Mock::given(method("PUT"))
        .and(path("/v1.56/containers/web/archive"))
        .and(query_param("path", "/srv"))
        .and(header("content-type", "application/x-tar"))
        .and(body_bytes(tar))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .put_container_archive("web", "/srv", tar)
        .await
        .expect("uploaded");
}

#[tokio::test]
async fn a_missing_container_is_a_typed_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.56/containers/gone/archive"))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            serde_json::json!({"message": "No such container: gone"}),
        ))
        .mount(&server)
        .await;
    match client(&server).container_archive("gone", "/").await {
        Err(Error::Status(e)) => {
            assert_eq!(e.status().as_u16(), 404);
            let body: models::ErrorResponse = e.decode_body().expect("an ErrorResponse");
            assert_eq!(body.message, "No such container: gone");
        }
        other => panic!("expected a 404, got {other:?}"),
    }
}
