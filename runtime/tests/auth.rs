//! Static credentials (HTTP basic and API keys) on the wire: an operation may require several
//! at once (API Setu's descriptions ask for `X-APISETU-APIKEY` *and* `X-APISETU-CLIENTID`).

use apigen_runtime::{Client, Method, decode};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn every_static_credential_is_sent_and_one_in_the_same_place_replaces_the_earlier() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/certificates"))
        .and(header("x-apisetu-apikey", "key-2"))
        .and(header("x-apisetu-clientid", "client"))
        .and(header("authorization", "Basic dXNlcjpwYXNz"))
        .and(query_param("api_key", "q"))
        .and(header("cookie", "session=c"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key_header("X-APISETU-APIKEY", "key-1")
        .api_key_header("X-APISETU-CLIENTID", "client")
        .basic_auth("user", "pass")
        .api_key_query("api_key", "q")
        .api_key_cookie("session", "c")
        // The same header again: replaces the first key.
        .api_key_header("X-APISETU-APIKEY", "key-2")
        .build()
        .unwrap();
    client
        .request(Method::GET, "/certificates", decode::empty)
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let sent: Vec<_> = requests[0]
        .headers
        .get_all("x-apisetu-apikey")
        .iter()
        .collect();
    assert_eq!(sent.len(), 1, "one value per header name");
    assert!(
        format!("{client:?}")
            .contains(r#"static_auth: ["header", "header", "query", "cookie", "header"]"#),
        "{client:?}"
    );
}
