//! Wire tests of the crate generated from `tests/fixtures/media-types.yaml` (run by
//! `tests/wire.rs` as the crate's own tests). Each server here honours `Accept` as HTTP says
//! (RFC 9110, 12.5.1): it answers in its one media type when the request accepts it, and 406
//! otherwise, so an operation that asks for the wrong media type fails.

use wire_media_types::runtime::multipart::Form;
use wire_media_types::{Client, Error, models};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client")
}

/// A server resource with one representation: served when `Accept` allows its media type,
/// 406 Not Acceptable otherwise.
struct Negotiating {
    media: &'static str,
    status: u16,
    body: &'static [u8],
}

impl Respond for Negotiating {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let accept = request
            .headers
            .get_all("accept")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        // No `Accept` accepts anything.
        if accept.is_empty() || accepts(&accept, self.media) {
            ResponseTemplate::new(self.status).set_body_raw(self.body, self.media)
        } else {
            ResponseTemplate::new(406)
        }
    }
}

/// Whether a media range of `accept` (`type/subtype`, `type/*` or `*/*`, parameters aside)
/// covers `media`.
fn accepts(accept: &str, media: &str) -> bool {
    let (ty, sub) = media.split_once('/').expect("a media type");
    accept
        .split(',')
        .filter_map(|range| range.split(';').next()?.trim().split_once('/'))
        .any(|(t, s)| {
            (t == "*" && s == "*")
                || (t.eq_ignore_ascii_case(ty) && (s == "*" || s.eq_ignore_ascii_case(sub)))
        })
}

async fn serve(server: &MockServer, verb: &str, at: &str, resource: Negotiating) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(resource)
        .mount(server)
        .await;
}

/// The `Accept` header of the one request the server received.
async fn sent_accept(server: &MockServer) -> Option<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "one request");
    requests[0]
        .headers
        .get("accept")
        .map(|v| v.to_str().unwrap().to_owned())
}

fn status_of<T: std::fmt::Debug>(result: Result<T, Error>) -> u16 {
    match result {
        Err(Error::Status(e)) => e.status().as_u16(),
        other => panic!("expected an HTTP status error, got {other:?}"),
    }
}

#[tokio::test]
async fn the_server_answers_406_to_json_only_requests_for_html() {
    // The server of the tests below does reject a request for the wrong media type: the
    // runtime's default `Accept: application/json` is not acceptable for HTML.
    let server = MockServer::start().await;
    serve(
        &server,
        "POST",
        "/markdown",
        Negotiating {
            media: "text/html",
            status: 200,
            body: b"<p>Hi</p>",
        },
    )
    .await;
    let body = models::RenderMarkdownBody {
        text: "Hi".into(),
        ..Default::default()
    };
    let result = client(&server)
        .render_markdown(&body)
        .header("accept", "application/json")
        .await;
    assert_eq!(status_of(result), 406);
}

#[tokio::test]
async fn an_html_response_is_asked_for_as_html() {
    let server = MockServer::start().await;
    serve(
        &server,
        "POST",
        "/markdown",
        Negotiating {
            media: "text/html",
            status: 200,
            body: b"<p><b>Hi</b></p>",
        },
    )
    .await;
    let body = models::RenderMarkdownBody {
        text: "**Hi**".into(),
        ..Default::default()
    };
    let html = client(&server).render_markdown(&body).await.unwrap();
    assert_eq!(html, "<p><b>Hi</b></p>");
    assert_eq!(sent_accept(&server).await.as_deref(), Some("text/html"));
}

#[tokio::test]
async fn a_text_count_is_asked_for_as_text_and_its_json_error_too() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/users/$count",
        Negotiating {
            media: "text/plain",
            status: 200,
            body: b"42",
        },
    )
    .await;
    assert_eq!(client(&server).count_users().await.unwrap(), "42");
    assert_eq!(
        sent_accept(&server).await.as_deref(),
        Some("text/plain, application/json")
    );

    // The documented error is JSON, which the request accepts as well: the error comes back
    // with its body, not as a 406.
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/users/$count",
        Negotiating {
            media: "application/json",
            status: 400,
            body: br#"{"message":"no count here"}"#,
        },
    )
    .await;
    match client(&server).count_users().await {
        Err(Error::Status(e)) => {
            assert_eq!(e.status().as_u16(), 400);
            let error: models::Error = e.decode_body().unwrap();
            assert_eq!(error.message.as_deref(), Some("no count here"));
        }
        other => panic!("expected the documented error, got {other:?}"),
    }
}

#[tokio::test]
async fn other_text_types_of_a_text_response_are_accepted() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/reports/r1",
        Negotiating {
            media: "text/csv",
            status: 200,
            body: b"a,b\n1,2\n",
        },
    )
    .await;
    assert_eq!(
        client(&server).get_report("r1").await.unwrap(),
        "a,b\n1,2\n"
    );
    assert_eq!(
        sent_accept(&server).await.as_deref(),
        Some("text/plain, text/csv")
    );
}

#[tokio::test]
async fn a_download_is_asked_for_as_bytes() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/files/f1/content",
        Negotiating {
            media: "application/octet-stream",
            status: 200,
            body: &[0, 159, 146, 150],
        },
    )
    .await;
    let bytes = client(&server).download_file("f1").await.unwrap();
    assert_eq!(&bytes[..], &[0, 159, 146, 150]);
    assert_eq!(
        sent_accept(&server).await.as_deref(),
        Some("application/octet-stream")
    );
}

#[tokio::test]
async fn every_image_type_of_a_picture_is_accepted_and_its_problem_error() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/users/u1/avatar",
        Negotiating {
            media: "image/jpeg",
            status: 200,
            body: &[0xFF, 0xD8, 0xFF],
        },
    )
    .await;
    let bytes = client(&server).get_avatar("u1").await.unwrap();
    assert_eq!(&bytes[..], &[0xFF, 0xD8, 0xFF]);
    assert_eq!(
        sent_accept(&server).await.as_deref(),
        Some("image/png, image/jpeg, application/problem+json")
    );

    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/users/u2/avatar",
        Negotiating {
            media: "application/problem+json",
            status: 404,
            body: br#"{"title":"No picture","status":404}"#,
        },
    )
    .await;
    match client(&server).get_avatar("u2").await {
        Err(Error::Status(e)) => {
            assert_eq!(e.status().as_u16(), 404);
            let problem: models::Problem = e.decode_body().unwrap();
            assert_eq!(problem.title.as_deref(), Some("No picture"));
        }
        other => panic!("expected the documented problem, got {other:?}"),
    }
}

#[tokio::test]
async fn a_vendor_json_type_is_asked_for_as_the_description_gives_it() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/repos/apigen",
        Negotiating {
            media: "application/vnd.github.v3+json",
            status: 200,
            body: br#"{"name":"apigen"}"#,
        },
    )
    .await;
    let repo = client(&server).get_repo("apigen").await.unwrap();
    assert_eq!(repo.name.as_deref(), Some("apigen"));
    assert_eq!(
        sent_accept(&server).await.as_deref(),
        Some("application/vnd.github.v3+json, application/json")
    );
}

#[tokio::test]
async fn json_operations_and_bodiless_ones() {
    let server = MockServer::start().await;
    serve(
        &server,
        "PATCH",
        "/repos/apigen",
        Negotiating {
            media: "application/json",
            status: 200,
            body: br#"{"name":"apigen2"}"#,
        },
    )
    .await;
    let repo = models::Repo {
        name: Some("apigen2".into()),
        ..Default::default()
    };
    let updated = client(&server).update_repo("apigen", &repo).await.unwrap();
    assert_eq!(updated.name.as_deref(), Some("apigen2"));
    assert_eq!(
        sent_accept(&server).await.as_deref(),
        Some("application/json")
    );

    // No documented response has a body: anything is acceptable.
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/repos/apigen/star"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    client(&server).star_repo("apigen").await.unwrap();
    assert_eq!(sent_accept(&server).await.as_deref(), Some("*/*"));
}

/// The `Content-Type` of the one request the server received.
async fn sent_content_type(server: &MockServer) -> String {
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "one request");
    requests[0].headers["content-type"]
        .to_str()
        .unwrap()
        .to_owned()
}

/// A server that takes a body of one media type only and answers 415 Unsupported Media Type
/// to any other, as Kubernetes does to a `PATCH` in `application/json`.
async fn taking(verb: &str, at: &str, media: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(at))
        .and(header("content-type", media))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(ResponseTemplate::new(415))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn bodies_go_out_in_the_declared_media_type() {
    let repo = models::Repo {
        name: Some("apigen".into()),
        ..Default::default()
    };
    let server = taking("PATCH", "/repos/apigen/settings", "application/merge-patch+json").await;
    client(&server)
        .patch_repo_settings("apigen", &repo)
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].body, br#"{"name":"apigen"}"#);

    let media = "application/vnd.api+json; charset=utf-8";
    let server = taking("POST", "/repos/apigen/labels", media).await;
    client(&server)
        .add_repo_labels("apigen", Some(&["bug".to_owned()]))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].body, br#"["bug"]"#);

    // Two patch types and no plain JSON: the first one declared.
    let server = taking("PUT", "/repos/apigen/labels", "application/json-patch+json").await;
    client(&server)
        .replace_repo_labels("apigen", &[])
        .await
        .unwrap();
}

#[tokio::test]
async fn a_declared_range_goes_out_as_the_encodings_default() {
    let server = taking("POST", "/notes", "application/json").await;
    let summary = models::Summary {
        rows: Some(2),
        ..Default::default()
    };
    client(&server).add_note(&summary).await.unwrap();
    assert_eq!(sent_content_type(&server).await, "application/json");

    let server = taking("PUT", "/notes", "text/plain").await;
    client(&server).put_note_text("hello").await.unwrap();

    let server = taking("PUT", "/blobs", "application/octet-stream").await;
    client(&server).put_blob(vec![1u8, 2, 3]).await.unwrap();
}

/// One part of a `multipart/form-data` body.
#[derive(Debug)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

/// The parts of a `multipart/form-data` body with the boundary of `content_type`.
fn parts(content_type: &str, body: &[u8]) -> Vec<Part> {
    let boundary = content_type
        .split_once("boundary=")
        .expect("a boundary")
        .1
        .trim_matches('"');
    let delimiter = format!("\r\n--{boundary}");
    // A leading CRLF makes the first delimiter like the others.
    let mut text = b"\r\n".to_vec();
    text.extend_from_slice(body);
    let mut out = Vec::new();
    let chunks = split(&text, delimiter.as_bytes());
    assert!(chunks[0].is_empty(), "nothing before the first boundary");
    let (last, middle) = chunks[1..].split_last().expect("a closing delimiter");
    assert_eq!(
        last.as_slice(),
        b"--\r\n",
        "the closing delimiter ends the body"
    );
    for chunk in middle {
        let chunk = chunk.strip_prefix(b"\r\n").expect("CRLF after a delimiter");
        let at = find(chunk, b"\r\n\r\n").expect("a blank line after the part's headers");
        let headers = std::str::from_utf8(&chunk[..at]).unwrap();
        let mut part = Part {
            name: String::new(),
            filename: None,
            content_type: None,
            data: chunk[at + 4..].to_vec(),
        };
        for line in headers.split("\r\n") {
            let (header, value) = line.split_once(": ").expect("a header line");
            match header.to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for param in value.split("; ").skip(1) {
                        let (key, quoted) = param.split_once('=').unwrap();
                        let value = quoted.trim_matches('"').to_owned();
                        match key {
                            "name" => part.name = value,
                            "filename" => part.filename = Some(value),
                            other => panic!("unexpected parameter {other}"),
                        }
                    }
                }
                "content-type" => part.content_type = Some(value.to_owned()),
                other => panic!("unexpected part header {other}"),
            }
        }
        out.push(part);
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn split(mut haystack: &[u8], delimiter: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while let Some(at) = find(haystack, delimiter) {
        out.push(haystack[..at].to_vec());
        haystack = &haystack[at + delimiter.len()..];
    }
    out.push(haystack.to_vec());
    out
}

#[tokio::test]
async fn multipart_parts_go_out_in_their_media_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/images/edits"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"name": "ok"})))
        .mount(&server)
        .await;

    // The form the operation's docs describe, part by part.
    let form = Form::new()
        .file(
            "image",
            "cat.png",
            "application/octet-stream",
            vec![0x89, b'P', b'N', b'G'],
        )
        .value("prompt", &models::Prompt::from("a cat"))
        .unwrap()
        .value("size", &models::ImageSize::V512x512)
        .unwrap()
        .value("fallback_size", &models::Size::V256x256)
        .unwrap()
        .value("n", &2_i64)
        .unwrap()
        .value("stream", &true)
        .unwrap()
        .value("tags", &["red", "blue"])
        .unwrap()
        .value(
            "sizes",
            &[models::ImageSize::V256x256, models::ImageSize::V1024x1024],
        )
        .unwrap()
        .value(
            "options",
            &models::ImageEditOptions {
                seed: Some(7),
                ..Default::default()
            },
        )
        .unwrap()
        .value(
            "layers",
            &[models::ImageEditLayersItem {
                name: Some("background".into()),
                ..Default::default()
            }],
        )
        .unwrap()
        .value("user", &Option::<String>::None)
        .unwrap()
        .json("seed", &7_i64)
        .unwrap()
        .part("metadata", "application/xml", "<meta/>");
    let edited = client(&server).edit_image(&form).await.unwrap();
    assert_eq!(edited.name.as_deref(), Some("ok"));

    let requests = server.received_requests().await.unwrap();
    let request = &requests[0];
    let content_type = request.headers["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("multipart/form-data; boundary="));
    let parts = parts(content_type, &request.body);
    let summary: Vec<(&str, Option<&str>, Option<&str>, &str)> = parts
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.filename.as_deref(),
                p.content_type.as_deref(),
                std::str::from_utf8(&p.data).unwrap_or("<bytes>"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "image",
                Some("cat.png"),
                Some("application/octet-stream"),
                "<bytes>"
            ),
            // Primitive values, enums and aliases of them: their text, without quotes (a
            // form field without a Content-Type is text/plain).
            ("prompt", None, None, "a cat"),
            ("size", None, None, "512x512"),
            ("fallback_size", None, None, "256x256"),
            ("n", None, None, "2"),
            ("stream", None, None, "true"),
            // Arrays: one part per item.
            ("tags", None, None, "red"),
            ("tags", None, None, "blue"),
            ("sizes", None, None, "256x256"),
            ("sizes", None, None, "1024x1024"),
            // Objects: JSON.
            ("options", None, Some("application/json"), r#"{"seed":7}"#),
            (
                "layers",
                None,
                Some("application/json"),
                r#"{"name":"background"}"#
            ),
            // `encoding` overrides: JSON for an integer, XML given as it is.
            ("seed", None, Some("application/json"), "7"),
            ("metadata", None, Some("application/xml"), "<meta/>"),
        ]
    );
    assert_eq!(parts[0].data, [0x89, b'P', b'N', b'G']);
}

/// A `204` the description gives a JSON body is read as what HTTP says it is: no body.
#[tokio::test]
async fn a_204_with_a_documented_body_is_read_as_no_body() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/rules/r1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let () = client(&server).delete_rule("r1").await.unwrap();
}
