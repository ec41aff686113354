//! Wire tests of the crate generated from `tests/fixtures/swagger2-operations.yaml` (run by
//! `tests/wire.rs` as the crate's own tests): Swagger 2.0's `collectionFormat`s, form and
//! multipart bodies from `formData` parameters, files in and out, text, and the base URL from
//! `host`, `basePath` and `schemes`.

use wire_swagger2_operations::runtime::multipart::Form;
use wire_swagger2_operations::{Client, Error, models};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client")
}

#[test]
fn the_base_url_is_https_host_and_base_path() {
    assert_eq!(Client::DEFAULT_BASE_URL, "https://api.example.com:8443/v2");
}

#[tokio::test]
async fn every_collection_format_is_sent_as_swagger_2_says() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let pets = client(&server)
        .list_pets()
        .limit(5)
        .tags(&["a", "b"])
        .ids(&[1, 2])
        .words(&["x", "y"])
        .cells(&["p", "q"])
        .flags(&[
            &models::ListPetsFlagsItem::A,
            &models::ListPetsFlagsItem::B,
        ])
        .x_trace(&["t1", "t2"])
        .await
        .expect("pets");
    assert!(pets.is_empty());
    let requests = server.received_requests().await.expect("recorded");
    let r = &requests[0];
    let pairs: Vec<(String, String)> = r.url.query_pairs().into_owned().collect();
    let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    assert_eq!(
        pairs,
        [
            pair("limit", "5"),
            pair("tags", "a,b"),
            pair("ids", "1"),
            pair("ids", "2"),
            pair("words", "x y"),
            pair("cells", "p\tq"),
            pair("flags", "a|b")
        ]
    );
    assert_eq!(r.headers["x-trace"], "t1|t2");
}

#[tokio::test]
async fn lists_in_a_path_are_joined_as_their_collection_format_says() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/by-ids/1,2/tagged/a%7Cb"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let pets = client(&server)
        .get_pets_by_ids(&[1, 2], &["a", "b"])
        .await
        .expect("pets");
    assert!(pets.is_empty());
}

#[tokio::test]
async fn form_data_is_a_form_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets/7/notes"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let note = models::AddNoteBody {
        text: "hello there".into(),
        labels: Some(vec!["a".into(), "b".into()]),
        urgent: Some(true),
        ..Default::default()
    };
    client(&server).add_note(7, &note).await.expect("added");
    let requests = server.received_requests().await.expect("recorded");
    // `labels` is `collectionFormat: multi`: one field per item.
    assert_eq!(
        String::from_utf8_lossy(&requests[0].body),
        "labels=a&labels=b&text=hello%20there&urgent=true"
    );
}

#[tokio::test]
async fn a_file_form_field_is_a_multipart_part() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets/7/photo"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let form = Form::new()
        .file("file", "rex.png", "image/png", b"\x89PNG".to_vec())
        .text("caption", "Rex");
    client(&server)
        .upload_pet_photo(7, &form)
        .await
        .expect("stored");
    let requests = server.received_requests().await.expect("recorded");
    let content_type = requests[0].headers["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("multipart/form-data; boundary="), "{content_type}");
    let body = String::from_utf8_lossy(&requests[0].body);
    assert!(body.contains("name=\"file\""), "{body}");
    assert!(body.contains("name=\"caption\""), "{body}");
}

#[tokio::test]
async fn files_go_out_and_come_back_as_bytes() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/pets/7/photo"))
        .and(header("content-type", "image/png"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets/7/photo"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(&b"\x89PNG"[..], "image/png"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets/7/export"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(&b"ustar"[..], "application/x-tar"))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/pets/7/archive"))
        .and(header("content-type", "application/x-tar"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    c.put_pet_photo(7, &b"\x89PNG"[..]).await.expect("stored");
    c.put_pet_archive(7, &b"ustar"[..]).await.expect("stored");
    assert_eq!(&c.get_pet_photo(7).await.expect("photo")[..], b"\x89PNG");
    assert_eq!(&c.export_pet(7).await.expect("archive")[..], b"ustar");
}

#[tokio::test]
async fn text_and_typed_errors() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/status"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("all good", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets/9/photo"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(serde_json::json!({"message": "no photo"})),
        )
        .mount(&server)
        .await;
    let c = client(&server);
    assert_eq!(c.get_status().await.expect("status"), "all good");
    match c.get_pet_photo(9).await {
        Err(Error::Status(e)) => {
            let body: models::Error = e.decode_body().expect("an Error");
            assert_eq!(body.message, "no photo");
        }
        other => panic!("expected a 404, got {other:?}"),
    }
}
