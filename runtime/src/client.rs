//! [`Client`] and [`ClientBuilder`].

use std::fmt;
use std::marker::PhantomData;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::json::FromJson;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};

use crate::auth::{StaticToken, TokenCredential};
use crate::decode::DecodeFn;
use crate::error::{Error, Result};
use crate::middleware::Middleware;
use crate::paging::PagedRequest;
use crate::request::Request;
use crate::retry::RetryPolicy;

/// The default `User-Agent`.
const DEFAULT_USER_AGENT: &str = concat!("apigen-runtime/", env!("CARGO_PKG_VERSION"));

/// A configured API client: base URL, credential, HTTP client, retry policy,
/// middlewares and default headers.
///
/// Cheap to clone (the configuration is shared behind an [`Arc`]); clones
/// share the connection pool. Create one with [`Client::builder`].
///
/// Every request is sent with `Authorization: Bearer <token>` (when a
/// credential is configured), `Accept: application/json` (unless set),
/// `User-Agent`, a `client-request-id` (a fresh UUID v4 per logical request,
/// kept across its retries, unless the request sets one), the default
/// headers, then the request's own headers. Redirects (301, 302, 303, 307,
/// 308) are followed by the runtime, up to
/// [`max_redirects`](ClientBuilder::max_redirects) (5 unless set): a 303, and
/// a 301 or 302 answering a `POST`, become a `GET` without a body; once a
/// redirect leaves the origin of the request, no credential of the client
/// (token, basic authentication, API key header, query parameter or cookie)
/// and no `Cookie` header is sent again. A `401` that is a claims challenge
/// (`WWW-Authenticate: Bearer ... claims="..."`) is answered once with a
/// token from [`TokenCredential::get_token_with_claims`]. `Debug` shows the
/// base URL and whether a credential is set, never the token.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

/// Redirects followed per request attempt unless [`ClientBuilder::max_redirects`] says
/// otherwise.
const DEFAULT_MAX_REDIRECTS: usize = 5;

pub(crate) struct ClientInner {
    pub(crate) base_url: String,
    pub(crate) origin: reqwest::Url,
    /// [`ClientBuilder::server_url`]'s: an operation's server, the URL used for it, parsed.
    pub(crate) servers: Vec<(String, String, reqwest::Url)>,
    /// [`ClientBuilder::allow_insecure_http`]: an operation's own server is checked as the
    /// base URL is.
    pub(crate) allow_insecure_http: bool,
    pub(crate) http: reqwest::Client,
    pub(crate) credential: Option<Arc<dyn TokenCredential>>,
    /// Basic authentication and API keys, all sent (an operation may require several).
    pub(crate) static_auth: Vec<StaticAuth>,
    pub(crate) retry: RetryPolicy,
    pub(crate) middleware: Vec<Arc<dyn Middleware>>,
    pub(crate) default_headers: HeaderMap,
    pub(crate) user_agent: HeaderValue,
    /// Redirects followed per request attempt.
    pub(crate) max_redirects: usize,
    /// gzip request bodies (see [`ClientBuilder::compress_requests`]).
    pub(crate) compress_requests: bool,
}

/// Authentication that does not use a token credential: HTTP basic or an API key.
#[derive(Clone)]
pub(crate) enum StaticAuth {
    /// A header sent on every request (`Authorization: Basic ...`, or an API key header),
    /// marked sensitive.
    Header(HeaderName, HeaderValue),
    /// An API key in the query string; added to each attempt's URL only, so it never appears
    /// in errors or `Debug` output.
    Query(String, String),
    /// An API key in a cookie.
    Cookie(String, String),
}

impl StaticAuth {
    fn kind(&self) -> &'static str {
        match self {
            StaticAuth::Header(..) => "header",
            StaticAuth::Query(..) => "query",
            StaticAuth::Cookie(..) => "cookie",
        }
    }

    /// Two credentials in the same place (the same header, query parameter or cookie): the
    /// later replaces the earlier.
    fn same_place(&self, other: &StaticAuth) -> bool {
        match (self, other) {
            (StaticAuth::Header(a, _), StaticAuth::Header(b, _)) => a == b,
            (StaticAuth::Query(a, _), StaticAuth::Query(b, _))
            | (StaticAuth::Cookie(a, _), StaticAuth::Cookie(b, _)) => a == b,
            _ => false,
        }
    }
}

impl Client {
    /// A builder for a [`Client`].
    pub fn builder() -> ClientBuilder<Client> {
        ClientBuilder::new()
    }

    /// The base URL (without trailing `/`), e.g.
    /// `https://graph.microsoft.com/beta`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// A request for `method` on `path`, decoded with `decode`.
    ///
    /// `path` must be percent-encoded already (build it with
    /// [`path::segment`](crate::path::segment)) and start with `/`; it is
    /// appended to the base URL as a string, so a base URL with a path such as
    /// `https://graph.microsoft.com/beta` gives `https://graph.microsoft.com/beta/me`
    /// for `/me`. (A `/` is inserted if `path` does not start with `/` or `?`.)
    pub fn request<T>(
        &self,
        method: Method,
        path: impl Into<String>,
        decode: DecodeFn<T>,
    ) -> Request<T> {
        Request::new(self.clone(), method, Ok(path.into()), decode)
    }

    /// Like [`request`](Self::request), but takes the path as a `Result` so
    /// that a path-building error (from [`path::segment`](crate::path::segment))
    /// is returned when the request is sent:
    ///
    /// ```
    /// use apigen_runtime::{Client, Method, decode, path};
    ///
    /// fn get_item(client: &Client, id: &str) -> apigen_runtime::Request<serde_json::Value> {
    ///     client.request_at(
    ///         Method::GET,
    ///         path::segment("id", id).map(|id| format!("/items/{id}")),
    ///         decode::json,
    ///     )
    /// }
    /// ```
    pub fn request_at<T>(
        &self,
        method: Method,
        path: Result<String>,
        decode: DecodeFn<T>,
    ) -> Request<T> {
        Request::new(self.clone(), method, path, decode)
    }

    /// A `GET` request for a collection, paged over `@odata.nextLink`.
    pub fn paged<T: FromJson + Send + 'static>(&self, path: impl Into<String>) -> PagedRequest<T> {
        PagedRequest::new(self.clone(), Ok(path.into()))
    }

    /// Resumes a delta query from a stored `@odata.deltaLink` (or a next
    /// link): the changes since that link was given, paged as
    /// [`paged`](Self::paged) is (see [`PagedRequest::collect_delta`]).
    ///
    /// The link must be on the client's base URL (an error when the request is
    /// sent otherwise: the token never goes elsewhere).
    pub fn delta_from<T: FromJson + Send + 'static>(&self, link: &str) -> PagedRequest<T> {
        let path = link
            .strip_prefix(self.base_url())
            .filter(|rest| rest.is_empty() || rest.starts_with(['/', '?']))
            .map(str::to_owned)
            .ok_or_else(|| Error::InvalidRequestUrl {
                url: link.to_owned(),
                reason: "a delta link must be on the client's base URL".to_owned(),
            });
        PagedRequest::new(self.clone(), path)
    }

    /// Like [`paged`](Self::paged), with a deferred path error (see
    /// [`request_at`](Self::request_at)).
    pub fn paged_at<T: FromJson + Send + 'static>(&self, path: Result<String>) -> PagedRequest<T> {
        PagedRequest::new(self.clone(), path)
    }

    /// A paged request whose first page is asked for with `method` (a `POST` that returns a
    /// collection, such as Graph's `getByIds` or Azure's list actions); the next pages are
    /// always `GET`s of the next link.
    pub fn paged_with<T: FromJson + Send + 'static>(
        &self,
        method: Method,
        path: Result<String>,
    ) -> PagedRequest<T> {
        PagedRequest::with_method(self.clone(), method, path)
    }

    /// The base URL (without trailing `/`) and its parsed form for a request on `server`
    /// (see [`Request::on_server`](crate::Request::on_server)).
    pub(crate) fn base_for(
        &self,
        server: Option<(&'static str, Option<&'static str>)>,
    ) -> Result<(std::borrow::Cow<'_, str>, std::borrow::Cow<'_, Url>)> {
        use std::borrow::Cow;
        let client = || {
            Ok((
                Cow::Borrowed(self.base_url()),
                Cow::Borrowed(&self.inner.origin),
            ))
        };
        let Some((server, default)) = server else {
            return client();
        };
        let server = server.trim_end_matches('/');
        if let Some((_, url, parsed)) = self.inner.servers.iter().find(|(s, ..)| s == server) {
            return Ok((Cow::Borrowed(url), Cow::Borrowed(parsed)));
        }
        let on_default = default.is_some_and(|d| d.trim_end_matches('/') == self.base_url());
        if !on_default {
            return client();
        }
        // Checked as the base URL is: no token goes over plain http:// to another host.
        let parsed = validate_base_url(server, self.inner.allow_insecure_http)?;
        Ok((Cow::Borrowed(server), Cow::Owned(parsed)))
    }

    /// Whether `url` has the same origin (scheme, host, port) as the base URL.
    pub(crate) fn is_same_origin(&self, url: &Url) -> bool {
        url.origin() == self.inner.origin.origin()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credential", &self.inner.credential.is_some())
            .field(
                "static_auth",
                &self
                    .inner
                    .static_auth
                    .iter()
                    .map(StaticAuth::kind)
                    .collect::<Vec<_>>(),
            )
            .field("retry", &self.inner.retry)
            .field("middlewares", &self.inner.middleware.len())
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`], or a generated wrapper `C: From<Client>`.
///
/// ```
/// use apigen_runtime::{Client, ClientBuilder};
/// use std::time::Duration;
///
/// // A generated SDK wraps the runtime client:
/// pub struct GraphClient(Client);
/// impl From<Client> for GraphClient {
///     fn from(c: Client) -> Self {
///         GraphClient(c)
///     }
/// }
///
/// # fn main() -> apigen_runtime::Result<()> {
/// let graph: GraphClient = ClientBuilder::<GraphClient>::new()
///     .base_url("https://graph.microsoft.com/beta")
///     .bearer_token("eyJ0eXAi...")
///     .timeout(Duration::from_secs(30))
///     .build()?;
/// # let _ = graph;
/// # Ok(())
/// # }
/// ```
pub struct ClientBuilder<C = Client> {
    base_url: Option<String>,
    servers: Vec<(String, String)>,
    credential: Option<Arc<dyn TokenCredential>>,
    static_auth: Vec<Result<StaticAuth>>,
    http_client: Option<reqwest::Client>,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    middleware: Vec<Arc<dyn Middleware>>,
    default_headers: Vec<(String, String)>,
    user_agent: Option<String>,
    allow_insecure_http: bool,
    max_redirects: usize,
    compress_requests: bool,
    _client: PhantomData<fn() -> C>,
}

impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        ClientBuilder {
            base_url: self.base_url.clone(),
            servers: self.servers.clone(),
            credential: self.credential.clone(),
            static_auth: self
                .static_auth
                .iter()
                .map(|a| match a {
                    Ok(a) => Ok(a.clone()),
                    Err(_) => Err(Error::InvalidHeader {
                        name: "authentication".to_owned(),
                    }),
                })
                .collect(),
            http_client: self.http_client.clone(),
            timeout: self.timeout,
            retry: self.retry.clone(),
            middleware: self.middleware.clone(),
            default_headers: self.default_headers.clone(),
            user_agent: self.user_agent.clone(),
            allow_insecure_http: self.allow_insecure_http,
            max_redirects: self.max_redirects,
            compress_requests: self.compress_requests,
            _client: PhantomData,
        }
    }
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            servers: Vec::new(),
            credential: None,
            static_auth: Vec::new(),
            http_client: None,
            timeout: None,
            retry: RetryPolicy::default(),
            middleware: Vec::new(),
            default_headers: Vec::new(),
            user_agent: None,
            allow_insecure_http: false,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            compress_requests: false,
            _client: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("servers", &self.servers)
            .field("credential", &self.credential.is_some())
            .field(
                "static_auth",
                &self
                    .static_auth
                    .iter()
                    .map(|a| a.as_ref().map_or("invalid", StaticAuth::kind))
                    .collect::<Vec<_>>(),
            )
            .field("http_client", &self.http_client.is_some())
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("middlewares", &self.middleware.len())
            .field(
                "default_headers",
                &self
                    .default_headers
                    .iter()
                    .map(|(name, _)| name.as_str())
                    .collect::<Vec<_>>(),
            )
            .field("user_agent", &self.user_agent)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("max_redirects", &self.max_redirects)
            .field("compress_requests", &self.compress_requests)
            .finish()
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// A builder with the defaults: no base URL, no credential, the default
    /// [`RetryPolicy`], HTTPS only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the base URL, such as `https://graph.microsoft.com/v1.0`
    /// (required; trailing `/` are trimmed). It must be `https://`, except for
    /// loopback hosts or with [`allow_insecure_http`](Self::allow_insecure_http).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sends the operations whose description gives them their own server, `server` (the URL
    /// their docs name, such as `https://uploads.example.com`), to `url` instead. Without it
    /// they go to `server` while the base URL is the description's default, and to the base
    /// URL otherwise (so a mock server or a proxy given as the base URL gets every request).
    pub fn server_url(mut self, server: impl Into<String>, url: impl Into<String>) -> Self {
        let server = server.into().trim_end_matches('/').to_owned();
        self.servers.retain(|(s, _)| *s != server);
        self.servers.push((server, url.into()));
        self
    }

    /// Sets the token credential; its token is sent as
    /// `Authorization: Bearer <token>` on every attempt.
    pub fn credential(self, credential: impl TokenCredential) -> Self {
        self.credential_arc(Arc::new(credential))
    }

    /// Sets a shared token credential.
    pub fn credential_arc(mut self, credential: Arc<dyn TokenCredential>) -> Self {
        self.credential = Some(credential);
        self
    }

    /// Uses a fixed bearer token (shorthand for
    /// `credential(StaticToken::new(token))`).
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.credential(StaticToken::new(token))
    }

    /// Uses HTTP basic authentication (`Authorization: Basic ...` on every request). API keys
    /// set with the `api_key_*` methods are sent as well (a description may require both).
    pub fn basic_auth(self, username: &str, password: &str) -> Self {
        use base64::Engine as _;
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
        self.static_credential(
            HeaderValue::from_str(&format!("Basic {encoded}"))
                .map(|mut v| {
                    v.set_sensitive(true);
                    StaticAuth::Header(reqwest::header::AUTHORIZATION, v)
                })
                .map_err(|_| Error::InvalidHeader {
                    name: "authorization".to_owned(),
                }),
        )
    }

    /// Adds a credential sent on every request, replacing one in the same place.
    fn static_credential(mut self, auth: Result<StaticAuth>) -> Self {
        if let Ok(new) = &auth {
            self.static_auth
                .retain(|old| !old.as_ref().is_ok_and(|old| old.same_place(new)));
        }
        self.static_auth.push(auth);
        self
    }

    /// Sends an API key in the header `name` on every request (e.g. `X-API-Key`). Several
    /// keys (under different names) are all sent, as descriptions that require two keys
    /// together ask; a key under the same name replaces the earlier one.
    pub fn api_key_header(self, name: &str, key: &str) -> Self {
        self.static_credential(
            match (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(key),
            ) {
                (Ok(n), Ok(mut v)) => {
                    v.set_sensitive(true);
                    Ok(StaticAuth::Header(n, v))
                }
                _ => Err(Error::InvalidHeader {
                    name: name.to_owned(),
                }),
            },
        )
    }

    /// Sends an API key as the query parameter `name` on every request. The key is added to
    /// each attempt's URL only: errors and `Debug` output never show it (middlewares see it).
    pub fn api_key_query(self, name: &str, key: &str) -> Self {
        self.static_credential(Ok(StaticAuth::Query(name.to_owned(), key.to_owned())))
    }

    /// Sends an API key as the cookie `name` on every request.
    pub fn api_key_cookie(self, name: &str, key: &str) -> Self {
        self.static_credential(Ok(StaticAuth::Cookie(name.to_owned(), key.to_owned())))
    }

    /// Uses your own `reqwest` client (proxies, timeouts, TLS settings, ...).
    /// [`timeout`](Self::timeout) is then ignored.
    ///
    /// Call [`install_default_crypto_provider`](crate::install_default_crypto_provider)
    /// (or install another rustls provider) before building it.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Sets the timeout of each attempt (connect to end of body). Only used
    /// when the runtime builds the `reqwest` client, i.e. without
    /// [`http_client`](Self::http_client).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the retry policy (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Appends a middleware; middlewares run in the order they were added.
    pub fn middleware(mut self, middleware: impl Middleware) -> Self {
        self.middleware.push(Arc::new(middleware));
        self
    }

    /// Adds a header sent with every request (a request's own header of the
    /// same name wins). An invalid name or value makes
    /// [`build`](Self::build) fail with [`Error::InvalidHeader`].
    pub fn default_header(mut self, name: &str, value: &str) -> Self {
        self.default_headers
            .push((name.to_owned(), value.to_owned()));
        self
    }

    /// Overrides the `User-Agent` (default `apigen-runtime/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Compresses request bodies with gzip (`Content-Encoding: gzip`); off by
    /// default. A service that answers `415 Unsupported Media Type` to a
    /// compressed body gets the same request again, uncompressed (once per
    /// request). A request that sets its own `Content-Encoding` is sent as it is.
    pub fn compress_requests(mut self, compress: bool) -> Self {
        self.compress_requests = compress;
        self
    }

    /// The most redirects followed for one request attempt (5 by default; 0
    /// returns a redirect response as it is, an [`Error::Status`]). A
    /// response that redirects once more than this is returned as it is.
    ///
    /// The runtime follows redirects itself, so that it knows when one leaves
    /// the origin; a client given with [`http_client`](Self::http_client)
    /// should be built with `redirect(reqwest::redirect::Policy::none())`, or
    /// it follows them first, with its own rules.
    pub fn max_redirects(mut self, max: usize) -> Self {
        self.max_redirects = max;
        self
    }

    /// Allows an `http://` base URL on a non-loopback host. The bearer token
    /// then travels in clear text: only for testing.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// * [`Error::InvalidBaseUrl`] when the base URL (or a [server URL](Self::server_url)) is
    ///   missing, not an
    ///   absolute `http(s)` URL, has user info, a query or a fragment, or is
    ///   `http://` to a non-loopback host without
    ///   [`allow_insecure_http`](Self::allow_insecure_http);
    /// * [`Error::InvalidHeader`] for an invalid default header or user agent;
    /// * [`Error::Transport`] when the `reqwest` client cannot be built.
    pub fn build(self) -> Result<C> {
        let raw = self.base_url.ok_or_else(|| Error::InvalidBaseUrl {
            url: String::new(),
            reason: "no base URL was configured".to_owned(),
        })?;
        let base_url = raw.trim_end_matches('/').to_owned();
        let static_auth = self.static_auth.into_iter().collect::<Result<Vec<_>>>()?;
        let origin = validate_base_url(&base_url, self.allow_insecure_http)?;
        let servers = self
            .servers
            .into_iter()
            .map(|(server, url)| {
                let url = url.trim_end_matches('/').to_owned();
                let parsed = validate_base_url(&url, self.allow_insecure_http)?;
                Ok((server, url, parsed))
            })
            .collect::<Result<Vec<_>>>()?;

        let mut default_headers = HeaderMap::new();
        for (name, value) in &self.default_headers {
            let invalid = || Error::InvalidHeader { name: name.clone() };
            let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let header_value = HeaderValue::from_str(value).map_err(|_| invalid())?;
            default_headers.append(header_name, header_value);
        }
        let user_agent = match &self.user_agent {
            Some(ua) => HeaderValue::from_str(ua).map_err(|_| Error::InvalidHeader {
                name: "user-agent".to_owned(),
            })?,
            None => HeaderValue::from_static(DEFAULT_USER_AGENT),
        };

        let http = match self.http_client {
            Some(http) => http,
            None => {
                crate::install_default_crypto_provider();
                // Redirects are the runtime's (see `max_redirects`).
                let mut builder =
                    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                builder.build().map_err(|source| Error::Transport {
                    source,
                    client_request_id: None,
                })?
            }
        };

        let client = Client {
            inner: Arc::new(ClientInner {
                base_url,
                origin,
                servers,
                allow_insecure_http: self.allow_insecure_http,
                http,
                credential: self.credential,
                static_auth,
                retry: self.retry,
                middleware: self.middleware,
                default_headers,
                user_agent,
                max_redirects: self.max_redirects,
                compress_requests: self.compress_requests,
            }),
        };
        Ok(C::from(client))
    }
}

/// Checks a (trimmed) base URL; returns it parsed.
fn validate_base_url(base_url: &str, allow_insecure_http: bool) -> Result<Url> {
    let invalid = |reason: &str| Error::InvalidBaseUrl {
        url: base_url.to_owned(),
        reason: reason.to_owned(),
    };
    let url = Url::parse(base_url).map_err(|e| Error::InvalidBaseUrl {
        url: base_url.to_owned(),
        reason: e.to_string(),
    })?;
    match url.scheme() {
        "https" => {}
        "http" => {
            if !allow_insecure_http && !is_loopback(&url) {
                return Err(invalid(
                    "plain http:// would send the bearer token in clear text; use https:// \
                     (http:// is only allowed for loopback hosts, or with allow_insecure_http(true))",
                ));
            }
        }
        _ => return Err(invalid("the scheme must be https:// (or http://)")),
    }
    if url.host().is_none() {
        return Err(invalid("the URL has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "credentials in the URL are not supported; use a token credential",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("the URL must not have a query or a fragment"));
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    // IPv6 hosts are bracketed: `[::1]`.
    let ip = host.trim_start_matches('[').trim_end_matches(']');
    ip.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}
