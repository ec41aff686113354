//! Claims challenges (continuous access evaluation) against a real loopback server: a `401`
//! whose `WWW-Authenticate` asks for claims gets a token with those claims and one retry.

mod common;

use std::sync::{Arc, Mutex};

use apigen_runtime::auth::{AccessToken, TokenCredential, TokenFuture};
use apigen_runtime::{Client, Error, Method, decode};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use common::fast_retry;

/// The claims Graph sends (base64 of this JSON) when a token's session was revoked.
const CLAIMS: &str = r#"{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}"#;
const CLAIMS_B64: &str =
    "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNjA0MTA2NjUxIn19fQ==";

/// A credential that hands out `old` until it is asked for claims, then `new`; it records
/// the claims it was asked for.
#[derive(Default)]
struct Recording {
    asked: Mutex<Vec<String>>,
}

impl TokenCredential for Recording {
    fn get_token(&self) -> TokenFuture<'_> {
        Box::pin(async { Ok(AccessToken::new("old")) })
    }

    fn get_token_with_claims(&self, claims: &str) -> TokenFuture<'_> {
        self.asked.lock().unwrap().push(claims.to_owned());
        Box::pin(async { Ok(AccessToken::new("new")) })
    }
}

fn challenge() -> ResponseTemplate {
    ResponseTemplate::new(401)
        .insert_header(
            "www-authenticate",
            format!(
                "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", error=\"insufficient_claims\", claims=\"{CLAIMS_B64}\""
            )
            .as_str(),
        )
        .set_body_json(json!({"error": {"code": "InvalidAuthenticationToken", "message": "Continuous access evaluation resulted in claims challenge"}}))
}

fn client(server: &MockServer, credential: Arc<Recording>) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credential_arc(credential)
        .retry_policy(fast_retry())
        .build()
        .unwrap()
}

/// The challenge is answered once: the credential is asked for the decoded claims, and the
/// request succeeds with the new token.
#[tokio::test]
async fn a_claims_challenge_gets_a_token_with_the_claims_and_one_retry() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("authorization", "Bearer old"))
        .respond_with(challenge())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("authorization", "Bearer new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
        .expect(1)
        .mount(&server)
        .await;

    let credential = Arc::new(Recording::default());
    let me: Value = client(&server, credential.clone())
        .request(Method::GET, "/me", decode::json)
        .await
        .expect("answered");
    assert_eq!(me, json!({"id": "1"}));
    assert_eq!(*credential.asked.lock().unwrap(), vec![CLAIMS.to_owned()]);
}

/// A second challenge is the answer: no loop, the `401` comes back as an error.
#[tokio::test]
async fn a_second_challenge_is_returned() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .respond_with(challenge())
        .expect(2)
        .mount(&server)
        .await;

    let credential = Arc::new(Recording::default());
    let err = client(&server, credential.clone())
        .request::<Value>(Method::GET, "/me", decode::json)
        .await
        .expect_err("still challenged");
    assert!(matches!(err, Error::Status(s) if s.status().as_u16() == 401));
    assert_eq!(credential.asked.lock().unwrap().len(), 1);
}

/// A `401` without claims is not a challenge: returned at once.
#[tokio::test]
async fn a_plain_401_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .respond_with(
            ResponseTemplate::new(401).insert_header("www-authenticate", "Bearer realm=\"\""),
        )
        .expect(1)
        .mount(&server)
        .await;
    let credential = Arc::new(Recording::default());
    let err = client(&server, credential.clone())
        .request::<Value>(Method::GET, "/me", decode::json)
        .await
        .expect_err("unauthorized");
    assert!(matches!(err, Error::Status(s) if s.status().as_u16() == 401));
    assert!(credential.asked.lock().unwrap().is_empty());
}
