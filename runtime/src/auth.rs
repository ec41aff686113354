//! Bearer-token authentication.
//!
//! A [`Client`](crate::Client) asks its [`TokenCredential`] for a token before
//! **every attempt** of every request, so a credential that caches and
//! refreshes tokens (for example an OAuth client-credentials flow) can be
//! plugged in; [`StaticToken`] and [`token_fn`] cover the simple cases.
//!
//! Tokens are never printed: the `Debug` implementations of this module redact
//! them, and the runtime never puts them in error messages.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

pub use crate::error::BoxError;

/// An access token (the secret sent as `Authorization: Bearer <secret>`).
///
/// ```
/// use apigen_runtime::auth::AccessToken;
///
/// let token = AccessToken::new("s3cr3t");
/// assert_eq!(token.secret(), "s3cr3t");
/// assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    secret: String,
    expires_at: Option<SystemTime>,
}

impl AccessToken {
    /// Wraps a token secret.
    pub fn new(secret: impl Into<String>) -> Self {
        AccessToken {
            secret: secret.into(),
            expires_at: None,
        }
    }

    /// Records when the token expires (informational, for caching
    /// credentials; the runtime itself does not check it).
    pub fn with_expiry(mut self, expires_at: SystemTime) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// The secret. Do not log it.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// When the token expires, if known.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// Whether the token is known to have expired at `now`.
    pub fn is_expired_at(&self, now: SystemTime) -> bool {
        self.expires_at.is_some_and(|t| t <= now)
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// The future returned by [`TokenCredential::get_token`].
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<AccessToken, BoxError>> + Send + 'a>>;

/// A source of access tokens.
///
/// The trait is object safe; implement it for a credential that refreshes
/// tokens and pass it to
/// [`ClientBuilder::credential`](crate::ClientBuilder::credential).
///
/// ```
/// use apigen_runtime::auth::{AccessToken, BoxError, TokenCredential};
/// use std::future::Future;
/// use std::pin::Pin;
///
/// struct FromEnv;
///
/// impl TokenCredential for FromEnv {
///     fn get_token(
///         &self,
///     ) -> Pin<Box<dyn Future<Output = Result<AccessToken, BoxError>> + Send + '_>> {
///         Box::pin(async {
///             let secret = std::env::var("GRAPH_TOKEN")?;
///             Ok(AccessToken::new(secret))
///         })
///     }
/// }
/// ```
pub trait TokenCredential: Send + Sync + 'static {
    /// Returns a currently valid token. Called before every request attempt;
    /// implementations should cache.
    fn get_token(&self) -> TokenFuture<'_>;

    /// Returns a new token that satisfies `claims`, the claims a service asked
    /// for in a claims challenge (continuous access evaluation: a `401` with
    /// `WWW-Authenticate: Bearer ... claims="..."`; `claims` is the decoded
    /// JSON, as identity libraries such as MSAL take it). The runtime asks for
    /// it, then retries the request once with the new token.
    ///
    /// The default asks [`get_token`](Self::get_token) again: a credential
    /// that cannot request claims (a fixed token) then fails the retry with
    /// the service's `401`.
    fn get_token_with_claims(&self, claims: &str) -> TokenFuture<'_> {
        let _ = claims;
        self.get_token()
    }
}

impl<T: TokenCredential + ?Sized> TokenCredential for Arc<T> {
    fn get_token(&self) -> TokenFuture<'_> {
        (**self).get_token()
    }

    fn get_token_with_claims(&self, claims: &str) -> TokenFuture<'_> {
        (**self).get_token_with_claims(claims)
    }
}

impl<T: TokenCredential + ?Sized> TokenCredential for Box<T> {
    fn get_token(&self) -> TokenFuture<'_> {
        (**self).get_token()
    }

    fn get_token_with_claims(&self, claims: &str) -> TokenFuture<'_> {
        (**self).get_token_with_claims(claims)
    }
}

/// The claims a `WWW-Authenticate` challenge asks for: the `claims` parameter of a `Bearer`
/// challenge, base64-decoded when it is base64 of UTF-8 text (as Microsoft Graph sends it),
/// else as written. `None` when no header has one.
pub(crate) fn challenge_claims(headers: &reqwest::header::HeaderMap) -> Option<String> {
    use base64::Engine as _;
    headers
        .get_all(reqwest::header::WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter(|v| {
            v.get(..6)
                .is_some_and(|scheme| scheme.eq_ignore_ascii_case("bearer"))
        })
        .find_map(|v| {
            let start = v.find("claims=\"")? + "claims=\"".len();
            let end = v[start..].find('"')? + start;
            let raw = &v[start..end];
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(raw)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok());
            Some(decoded.unwrap_or_else(|| raw.to_owned()))
        })
}

/// A fixed token.
///
/// ```
/// use apigen_runtime::auth::StaticToken;
///
/// let token = StaticToken::new("s3cr3t");
/// assert!(!format!("{token:?}").contains("s3cr3t"));
/// ```
#[derive(Clone)]
pub struct StaticToken {
    token: AccessToken,
}

impl StaticToken {
    /// A credential that always returns `secret`.
    pub fn new(secret: impl Into<String>) -> Self {
        StaticToken {
            token: AccessToken::new(secret),
        }
    }
}

impl From<AccessToken> for StaticToken {
    fn from(token: AccessToken) -> Self {
        StaticToken { token }
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenCredential for StaticToken {
    fn get_token(&self) -> TokenFuture<'_> {
        let token = self.token.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// A credential backed by an async closure; see [`token_fn`].
#[derive(Clone)]
pub struct TokenFn<F> {
    f: F,
}

/// Wraps an async closure as a [`TokenCredential`].
///
/// ```
/// use apigen_runtime::auth::{AccessToken, BoxError, token_fn};
/// use apigen_runtime::Client;
///
/// # fn main() -> apigen_runtime::Result<()> {
/// let credential = token_fn(|| async {
///     // e.g. read a token cache, or call an identity endpoint
///     Ok::<_, BoxError>(AccessToken::new("s3cr3t"))
/// });
/// let client = Client::builder()
///     .base_url("https://graph.microsoft.com/v1.0")
///     .credential(credential)
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
pub fn token_fn<F, Fut>(f: F) -> TokenFn<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AccessToken, BoxError>> + Send + 'static,
{
    TokenFn { f }
}

impl<F> fmt::Debug for TokenFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenFn(..)")
    }
}

impl<F, Fut> TokenCredential for TokenFn<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AccessToken, BoxError>> + Send + 'static,
{
    fn get_token(&self) -> TokenFuture<'_> {
        Box::pin((self.f)())
    }
}
