//! Operations with their own server (OpenAPI `servers` on an operation or a path item, such as
//! an upload host): sent there while the client's base URL is the description's default, to
//! the base URL when it is another (a mock server, a proxy), and to the URL the builder maps the
//! server to. The bearer token goes with them, and their next links stay on their origin.

use apigen_runtime::auth::StaticToken;
use apigen_runtime::{Client, Error, Method, decode};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `url` as the `&'static str` generated code passes (a literal there).
fn leak(url: String) -> &'static str {
    Box::leak(url.into_boxed_str())
}

async fn serving(at: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(at))
        .and(header("authorization", "Bearer token"))
        .respond_with(ResponseTemplate::new(200).set_body_string("\"ok\""))
        .mount(&server)
        .await;
    server
}

async fn hits(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

#[tokio::test]
async fn on_the_default_base_url_an_operation_goes_to_its_own_server() {
    let base = serving("/v1/files").await;
    let uploads = serving("/upload/files").await;
    let default = leak(format!("{}/v1", base.uri()));
    let own = leak(format!("{}/upload/", uploads.uri()));
    let client = Client::builder()
        .base_url(default)
        .credential(StaticToken::new("token"))
        .build()
        .unwrap();
    let answer: String = client
        .request(Method::GET, "/files", decode::json)
        .on_server(own, Some(default))
        .await
        .unwrap();
    assert_eq!(answer, "ok");
    assert_eq!((hits(&base).await, hits(&uploads).await), (0, 1));

    // Without the server, the same client uses its base URL.
    let _: String = client
        .request(Method::GET, "/files", decode::json)
        .await
        .unwrap();
    assert_eq!((hits(&base).await, hits(&uploads).await), (1, 1));
}

#[tokio::test]
async fn another_base_url_takes_every_request_unless_the_server_is_mapped() {
    let mock = serving("/files").await;
    let uploads = serving("/up/files").await;
    let default = "https://api.example.com/v1";
    let own = "https://uploads.example.com";
    let client = Client::builder()
        .base_url(mock.uri())
        .credential(StaticToken::new("token"))
        .build()
        .unwrap();
    let _: String = client
        .request(Method::GET, "/files", decode::json)
        .on_server(own, Some(default))
        .await
        .unwrap();
    // No default in the description: the base URL too.
    let _: String = client
        .request(Method::GET, "/files", decode::json)
        .on_server(own, None)
        .await
        .unwrap();
    assert_eq!(hits(&mock).await, 2);

    let mapped = Client::builder()
        .base_url(mock.uri())
        .server_url(format!("{own}/"), format!("{}/up", uploads.uri()))
        .credential(StaticToken::new("token"))
        .build()
        .unwrap();
    let _: String = mapped
        .request(Method::GET, "/files", decode::json)
        .on_server(own, Some(default))
        .await
        .unwrap();
    assert_eq!((hits(&mock).await, hits(&uploads).await), (2, 1));
}

#[test]
fn a_mapped_server_url_is_checked_like_the_base_url() {
    let built = Client::builder()
        .base_url("https://api.example.com")
        .server_url("https://uploads.example.com", "http://uploads.example.com")
        .build();
    assert!(
        matches!(built, Err(Error::InvalidBaseUrl { ref url, .. }) if url == "http://uploads.example.com"),
        "{built:?}"
    );
}

#[tokio::test]
async fn pages_of_an_operation_on_its_own_server_follow_next_links_there() {
    let base = MockServer::start().await;
    let own = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(
            r#"{{"value":["a"],"@odata.nextLink":"{}/items?page=2"}}"#,
            own.uri()
        )))
        .up_to_n_times(1)
        .mount(&own)
        .await;
    Mock::given(method("GET"))
        .and(path("/items"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"value":["b"]}"#))
        .mount(&own)
        .await;
    let default = leak(base.uri());
    let client = Client::builder().base_url(default).build().unwrap();
    let items: Vec<String> = client
        .paged::<String>("/items")
        .on_server(leak(own.uri()), Some(default))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(items, ["a", "b"]);
    assert_eq!(hits(&base).await, 0);
}

/// An operation's own server on plain `http://` to another host is refused as a base URL
/// would be (the token would travel in clear text), before anything is sent.
#[tokio::test]
async fn an_insecure_own_server_is_refused() {
    let base = serving("/files").await;
    let default = leak(base.uri());
    let client = Client::builder()
        .base_url(default)
        .credential(StaticToken::new("token"))
        .build()
        .unwrap();
    let err = client
        .request(Method::GET, "/files", decode::json::<String>)
        .on_server("http://uploads.example.com", Some(default))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidBaseUrl { ref url, .. } if url == "http://uploads.example.com"),
        "{err:?}"
    );
    assert_eq!(hits(&base).await, 0);
}
