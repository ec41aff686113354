//! The one place where requests are executed (with headers, auth,
//! middlewares and retries), shared by [`Request`](crate::Request) and
//! [`PagedRequest`](crate::PagedRequest).

use std::time::SystemTime;

use bytes::Bytes;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, HeaderMap,
    HeaderName, HeaderValue, LOCATION, PROXY_AUTHORIZATION, USER_AGENT,
};
use reqwest::{Method, Url};
use uuid::Uuid;

use crate::client::{Client, StaticAuth};
use crate::decode::{DecodeFn, ResponseMeta};
use crate::error::{Error, Result, StatusError};
use crate::middleware::Next;
use crate::request::Response;

/// The header carrying the client's id of a logical request.
pub(crate) const CLIENT_REQUEST_ID: &str = "client-request-id";

/// A request ready to be executed (possibly several times).
pub(crate) struct Prepared {
    pub(crate) method: Method,
    pub(crate) url: Url,
    /// The request's own headers (including `Content-Type` of the body).
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Bytes>,
    /// Whether the client's credentials go with it (not to a monitor URL on another origin).
    pub(crate) credentials: bool,
}

/// One request of an attempt: the first, or one a redirect asked for.
struct Hop {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Bytes>,
}

impl Hop {
    /// Goes where a `status` redirect pointed (`next`). A 303, and a 301 or 302 answering a
    /// `POST`, become a `GET` without a body (as browsers and curl do); 307 and 308 keep the
    /// method and body. Once the target's origin is not `first`'s, the client's credentials
    /// and cookies are dropped, and stay dropped for the following hops.
    fn follow(
        &mut self,
        status: reqwest::StatusCode,
        next: Url,
        first: &Url,
        inner: &crate::client::ClientInner,
    ) {
        let to_get = status == reqwest::StatusCode::SEE_OTHER && self.method != Method::HEAD
            || matches!(status.as_u16(), 301 | 302) && self.method == Method::POST;
        if to_get {
            self.method = Method::GET;
            self.body = None;
            for name in [CONTENT_TYPE, CONTENT_LENGTH, CONTENT_ENCODING] {
                self.headers.remove(name);
            }
        }
        if next.origin() != first.origin() {
            for name in [AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION] {
                self.headers.remove(name);
            }
            for auth in &inner.static_auth {
                if let StaticAuth::Header(name, _) = auth {
                    self.headers.remove(name);
                }
            }
        }
        self.url = next;
    }
}

/// Where a redirect response points: its `Location` resolved against the URL it answered,
/// for 301, 302, 303, 307 and 308; `None` for any other response, or a `Location` that is
/// not a URL.
fn redirect_target(response: &reqwest::Response, url: &Url) -> Option<Url> {
    if !matches!(response.status().as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = response.headers().get(LOCATION)?.to_str().ok()?;
    url.join(location).ok()
}

/// `body` compressed with gzip (`None` if the encoder fails: the body is then sent plain).
fn gzip(body: &Bytes) -> Option<Bytes> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 2 + 64),
        flate2::Compression::default(),
    );
    encoder.write_all(body).ok()?;
    encoder.finish().ok().map(Bytes::from)
}

/// Replaces every header of `from` in `into` (all values of a name win over
/// all values of that name in `into`).
fn override_headers(into: &mut HeaderMap, from: &HeaderMap) {
    for name in from.keys() {
        into.remove(name);
        for value in from.get_all(name) {
            into.append(name.clone(), value.clone());
        }
    }
}

/// Executes one logical request: attempts (with retries per the client's
/// policy) until a final response, then decodes a success body or returns
/// [`Error::Status`].
pub(crate) async fn execute<T>(
    client: &Client,
    req: &Prepared,
    decode: DecodeFn<T>,
) -> Result<Response<T>> {
    let inner = &*client.inner;

    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert(USER_AGENT, inner.user_agent.clone());
    override_headers(&mut headers, &inner.default_headers);
    override_headers(&mut headers, &req.headers);
    let client_request_id = match headers.get(CLIENT_REQUEST_ID) {
        Some(value) => value.to_str().ok().map(str::to_owned),
        None => {
            let id = Uuid::new_v4().to_string();
            let value = HeaderValue::from_str(&id).map_err(|_| Error::InvalidHeader {
                name: CLIENT_REQUEST_ID.to_owned(),
            })?;
            headers.insert(HeaderName::from_static(CLIENT_REQUEST_ID), value);
            Some(id)
        }
    };

    let policy = &inner.retry;
    let started = tokio::time::Instant::now();
    let mut attempt: u32 = 0;
    // The claims of a claims challenge the service made, to answer once.
    let mut claims: Option<String> = None;
    let mut challenged = false;
    // The body, gzipped when the client compresses requests (until a 415 says not to).
    let compressed = match &req.body {
        Some(body) if inner.compress_requests && !headers.contains_key(CONTENT_ENCODING) => {
            gzip(body)
        }
        _ => None,
    };
    let mut compress = compressed.is_some();
    loop {
        attempt += 1;

        let mut attempt_headers = headers.clone();
        if let Some(credential) = inner.credential.as_ref().filter(|_| req.credentials) {
            let token = match claims.take() {
                Some(claims) => credential.get_token_with_claims(&claims).await,
                None => credential.get_token().await,
            }
            .map_err(Error::Auth)?;
            let mut value =
                HeaderValue::try_from(format!("Bearer {}", token.secret())).map_err(|_| {
                    Error::Auth(
                        "the access token contains characters not allowed in an HTTP header".into(),
                    )
                })?;
            value.set_sensitive(true);
            attempt_headers.insert(AUTHORIZATION, value);
        }
        let mut url = req.url.clone();
        for auth in inner.static_auth.iter().filter(|_| req.credentials) {
            match auth {
                StaticAuth::Header(name, value) => {
                    attempt_headers.insert(name.clone(), value.clone());
                }
                StaticAuth::Query(name, key) => {
                    url.query_pairs_mut().append_pair(name, key);
                }
                StaticAuth::Cookie(name, key) => {
                    let pair = format!("{name}={}", crate::query::encode_value(key));
                    let combined = match attempt_headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
                        Some(existing) if !existing.is_empty() => {
                            format!("{existing}; {pair}")
                        }
                        _ => pair,
                    };
                    let mut value =
                        HeaderValue::from_str(&combined).map_err(|_| Error::InvalidHeader {
                            name: COOKIE.as_str().to_owned(),
                        })?;
                    value.set_sensitive(true);
                    attempt_headers.insert(COOKIE, value);
                }
            }
        }
        let key_in_url = req.credentials
            && inner
                .static_auth
                .iter()
                .any(|a| matches!(a, StaticAuth::Query(..)));
        let body = match &compressed {
            Some(gz) if compress => {
                attempt_headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                Some(gz.clone())
            }
            _ => req.body.clone(),
        };
        let mut hop = Hop {
            method: req.method.clone(),
            url,
            headers: attempt_headers,
            body,
        };
        let mut redirects = 0;
        let response = loop {
            let mut http_req = reqwest::Request::new(hop.method.clone(), hop.url.clone());
            *http_req.headers_mut() = hop.headers.clone();
            if let Some(body) = &hop.body {
                *http_req.body_mut() = Some(body.clone().into());
            }
            let response = match Next::new(&inner.http, &inner.middleware)
                .run(http_req)
                .await
            {
                Ok(r) => r,
                // Never show a URL that carries an API key.
                Err(Error::Transport {
                    source,
                    client_request_id,
                }) if key_in_url => {
                    return Err(Error::Transport {
                        source: source.without_url(),
                        client_request_id,
                    });
                }
                Err(e) => return Err(e),
            };
            match redirect_target(&response, &hop.url) {
                Some(next) if redirects < inner.max_redirects => {
                    redirects += 1;
                    hop.follow(response.status(), next, &req.url, inner);
                }
                _ => break response,
            }
        };
        let status = response.status();
        let response_headers = response.headers().clone();
        let response_url = if key_in_url {
            req.url.to_string()
        } else {
            response.url().to_string()
        };
        let body = response.bytes().await.map_err(|source| Error::Transport {
            source: if key_in_url {
                source.without_url()
            } else {
                source
            },
            client_request_id: client_request_id.clone(),
        })?;

        if status.is_success() {
            let meta = ResponseMeta {
                status,
                headers: response_headers,
                url: response_url,
                client_request_id,
            };
            let value = decode(&meta, body)?;
            return Ok(Response {
                status: meta.status,
                headers: meta.headers,
                body: value,
            });
        }

        // A service that does not take compressed bodies gets the request again, plain.
        if status == reqwest::StatusCode::UNSUPPORTED_MEDIA_TYPE && compress {
            compress = false;
            attempt -= 1;
            continue;
        }

        // A claims challenge (continuous access evaluation) is answered once: a token with
        // the claims, and the request again (not counted as a retry).
        if status == reqwest::StatusCode::UNAUTHORIZED
            && !challenged
            && inner.credential.is_some()
            && req.credentials
            && let Some(asked) = crate::auth::challenge_claims(&response_headers)
        {
            challenged = true;
            claims = Some(asked);
            attempt -= 1;
            continue;
        }

        if policy.is_retryable(status) && attempt < policy.max_attempts() {
            let retry_after = crate::retry::retry_after(&response_headers, SystemTime::now());
            let delay = policy.delay(attempt, retry_after, fastrand::f64());
            let within_budget = started
                .elapsed()
                .checked_add(delay)
                .is_some_and(|total| total <= policy.total_budget());
            if within_budget {
                tokio::time::sleep(delay).await;
                continue;
            }
        }

        return Err(StatusError::new(
            status,
            response_headers,
            body,
            req.method.clone(),
            req.url.as_str(),
            client_request_id,
            attempt,
        )
        .into());
    }
}
