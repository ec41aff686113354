//! [`Page`] and [`PagedRequest`]: collections paged over `@odata.nextLink`.

use std::collections::BTreeMap;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use futures_core::Stream;
use futures_util::{StreamExt as _, TryStreamExt as _, stream};
use reqwest::{Method, Url};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::Client;
use crate::decode::{self, DecodeFn};
use crate::error::{Error, Result};
use crate::exec::{Prepared, execute};
use crate::json::{FromJson, Json, JsonError};
use crate::query::CollectionOptions;
use crate::request::{Request, Response};

/// One page of an OData collection response.
///
/// ```
/// use apigen_runtime::Page;
///
/// let page: Page<String> = serde_json::from_str(
///     r#"{"@odata.count":3,"value":["a","b"],"@odata.nextLink":"https://host/x?$skiptoken=2"}"#,
/// )
/// .unwrap();
/// assert_eq!(page.value, ["a", "b"]);
/// assert_eq!(page.count, Some(3));
/// assert!(page.next_link.is_some());
/// ```
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page (empty when `value` is missing).
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// `@odata.nextLink`: the absolute URL of the next page, if any.
    #[serde(
        rename = "@odata.nextLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_link: Option<String>,
    /// `@odata.count`: the total number of items (with `$count=true`).
    #[serde(
        rename = "@odata.count",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub count: Option<i64>,
    /// `@odata.deltaLink`: the URL for the next delta query (last page of a
    /// delta query).
    #[serde(
        rename = "@odata.deltaLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub delta_link: Option<String>,
    /// `@odata.context`: the context URL.
    #[serde(
        rename = "@odata.context",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub context: Option<String>,
    /// Any other property of the response object.
    #[serde(flatten)]
    pub additional_properties: BTreeMap<String, Value>,
}

impl<T: FromJson> FromJson for Page<T> {
    fn from_json(value: Json<'_>) -> std::result::Result<Self, JsonError> {
        let (mut value_, mut next_link, mut count, mut delta_link, mut context) =
            (None, None, None, None, None);
        let mut rest = BTreeMap::new();
        // Sorted by name.
        crate::model::read(
            value,
            "Page",
            &mut [
                ("@odata.context", &mut context),
                ("@odata.count", &mut count),
                ("@odata.deltaLink", &mut delta_link),
                ("@odata.nextLink", &mut next_link),
                ("value", &mut value_),
            ],
            &mut rest,
        )?;
        Ok(Page {
            value: value_.unwrap_or_default(),
            next_link: next_link.flatten(),
            count: count.flatten(),
            delta_link: delta_link.flatten(),
            context: context.flatten(),
            additional_properties: rest,
        })
    }
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            value: Vec::new(),
            next_link: None,
            count: None,
            delta_link: None,
            context: None,
            additional_properties: BTreeMap::new(),
        }
    }
}

/// A `GET` request for an OData collection, returned by generated list
/// operations.
///
/// It has the option methods of a [`Request`] with
/// [`CollectionOptions`]. Awaiting it returns the **first** [`Page`] only;
/// use [`pages`](Self::pages), [`items`](Self::items) or
/// [`collect_all`](Self::collect_all) to follow `@odata.nextLink`.
///
/// While paging:
///
/// * each next link is requested verbatim (it already carries the query
///   options), with the same headers as the first request (e.g.
///   `ConsistencyLevel`, `Prefer`, custom headers) and a fresh
///   `client-request-id`;
/// * a next link on another origin (scheme, host, port) than the client's
///   base URL is not followed, so the access token cannot be sent elsewhere:
///   the stream yields [`Error::UnexpectedNextLink`] after the page that
///   contained it; a next link equal to the current page's URL yields
///   [`Error::RepeatedNextLink`];
/// * the stream ends after the first error.
///
/// ```no_run
/// use apigen_runtime::Client;
/// use futures_util::TryStreamExt;
///
/// #[derive(serde::Deserialize)]
/// struct User {
///     id: String,
/// }
/// apigen_runtime::from_json_via_serde!(User);
///
/// # async fn run(client: Client) -> apigen_runtime::Result<()> {
/// let mut users = std::pin::pin!(client
///     .paged::<User>("/users")
///     .filter("startswith(displayName,'A')")
///     .count(true)
///     .consistency_level_eventual()
///     .items());
/// while let Some(user) = users.try_next().await? {
///     println!("{}", user.id);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a request does nothing until it is awaited or streamed"]
pub struct PagedRequest<T> {
    inner: Request<Page<T>, CollectionOptions>,
    fields: PageFields,
}

/// Where a page's items and next link are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PageFields {
    /// Members of the page's object.
    Members {
        items: &'static str,
        next_link: &'static str,
    },
    /// The page is the JSON array of items, its next link the `Link: <...>; rel="next"`
    /// header (RFC 8288), as GitHub and GitLab page: read by [`link_page`] as the page is
    /// decoded.
    LinkHeader,
}

/// OData's: `value` and `@odata.nextLink` (what [`Page`] reads).
const ODATA_FIELDS: PageFields = PageFields::Members {
    items: "value",
    next_link: "@odata.nextLink",
};

/// Decodes a page that is a JSON array of items, its next link the `Link` header's
/// `rel="next"` target.
fn link_page<T: FromJson>(
    meta: &crate::decode::ResponseMeta,
    body: bytes::Bytes,
) -> Result<Page<T>> {
    let value: Vec<T> = decode::json(meta, body)?;
    let next_link = meta
        .headers
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(next_in_link_header);
    Ok(Page {
        value,
        next_link,
        ..Page::default()
    })
}

/// The target of the `rel="next"` link of a `Link` header value (RFC 8288):
/// `<https://api.github.com/repositories/1/issues?page=2>; rel="next", <...>; rel="last"`. A
/// `rel` may list several relation types (`rel="next last"`) and be unquoted; a `,` may occur
/// inside a target or a quoted parameter.
fn next_in_link_header(value: &str) -> Option<String> {
    let mut rest = value;
    loop {
        let open = rest.find('<')?;
        let close = open + rest[open..].find('>')?;
        let target = &rest[open + 1..close];
        rest = &rest[close + 1..];
        // The link's parameters run to the next `,` outside quotes.
        let mut end = rest.len();
        let mut quoted = false;
        for (i, c) in rest.char_indices() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let params = &rest[..end];
        rest = &rest[end..];
        let is_next = params.split(';').any(|param| {
            let Some((name, value)) = param.split_once('=') else {
                return false;
            };
            name.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|rel| rel.eq_ignore_ascii_case("next"))
        });
        if is_next {
            return Some(target.trim().to_owned());
        }
    }
}

impl PageFields {
    /// `page` with its items and next link read from these members, where they are not
    /// OData's (decoded into [`Page::additional_properties`] then).
    fn adopt<T: FromJson>(
        self,
        mut page: Page<T>,
        meta: impl FnOnce() -> crate::decode::ResponseMeta,
    ) -> Result<Page<T>> {
        let PageFields::Members { items, next_link } = self else {
            return Ok(page);
        };
        if next_link != "@odata.nextLink" {
            page.next_link = page
                .additional_properties
                .remove(next_link)
                .and_then(|v| v.as_str().map(str::to_owned))
                .filter(|link| !link.is_empty());
        }
        if items != "value"
            && let Some(value) = page.additional_properties.remove(items)
        {
            page.value = match value {
                Value::Null => Vec::new(),
                value => Vec::<T>::from_json(Json::from(value.clone())).map_err(|e| {
                    crate::error::DecodeError::new(
                        &meta(),
                        bytes::Bytes::from(serde_json::to_vec(&value).unwrap_or_default()),
                        format!(".{items}"),
                        e.to_string(),
                    )
                })?,
            };
        }
        Ok(page)
    }
}

impl<T> fmt::Debug for PagedRequest<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PagedRequest").field(&self.inner).finish()?;
        match self.fields {
            _ if self.fields == ODATA_FIELDS => Ok(()),
            PageFields::Members { items, next_link } => {
                write!(f, " (items in `{items}`, next link in `{next_link}`)")
            }
            PageFields::LinkHeader => {
                write!(f, " (items in the body, next link in the Link header)")
            }
        }
    }
}

/// Paging state between two pages.
enum PageState<T> {
    /// The next request to execute, the URLs of the pages already fetched, and how a page is
    /// read.
    Fetch(Client, Prepared, Vec<Url>, DecodeFn<Page<T>>),
    /// An error to yield before ending.
    Fail(Error),
    /// Finished.
    Done,
}

impl<T: FromJson + Send + 'static> PagedRequest<T> {
    pub(crate) fn new(client: Client, path: Result<String>) -> Self {
        Self::with_method(client, Method::GET, path)
    }

    pub(crate) fn with_method(client: Client, method: Method, path: Result<String>) -> Self {
        PagedRequest {
            inner: Request::new(
                client,
                method,
                path,
                decode::json::<Page<T>> as DecodeFn<Page<T>>,
            ),
            fields: ODATA_FIELDS,
        }
    }

    /// Reads each page's items from the member `items` and its next link from `next_link`
    /// instead of OData's `value` and `@odata.nextLink` (Azure's `x-ms-pageable`
    /// `itemName` and `nextLinkName`, such as `nextLink`). A next link that is `null` or empty
    /// ends the paging.
    pub fn page_fields(self, items: &'static str, next_link: &'static str) -> Self {
        PagedRequest {
            // Pages are objects again, after a `link_header()`.
            inner: self
                .inner
                .with_decode(decode::json::<Page<T>> as DecodeFn<Page<T>>),
            fields: PageFields::Members { items, next_link },
        }
    }

    /// Reads each page as a JSON array of items whose next link is the `Link` header's
    /// `rel="next"` (RFC 8288), as GitHub and GitLab page, instead of an object with the
    /// items and the next link in it. A page without such a link is the last.
    pub fn link_header(self) -> Self {
        PagedRequest {
            inner: self.inner.with_decode(link_page::<T> as DecodeFn<Page<T>>),
            fields: PageFields::LinkHeader,
        }
    }

    /// Sends `body` as JSON with the first request (the next pages are `GET`s of the next
    /// link); see [`Request::json`].
    pub fn json<B: serde::Serialize + ?Sized>(self, body: &B) -> Self {
        self.map(|r| r.json(body))
    }

    /// Sends `body` as JSON of the media type `content_type` with the first request; see
    /// [`Request::json_as`].
    pub fn json_as<B: serde::Serialize + ?Sized>(self, body: &B, content_type: &str) -> Self {
        self.map(|r| r.json_as(body, content_type))
    }

    /// Asks for the first page on the operation's own server; see [`Request::on_server`]. The
    /// next links are followed on the first page's origin.
    pub fn on_server(self, server: &'static str, default_base_url: Option<&'static str>) -> Self {
        self.map(|r| r.on_server(server, default_base_url))
    }

    /// Sends `bytes` as the body of the first request; see [`Request::body`].
    pub fn body(self, bytes: impl Into<bytes::Bytes>, content_type: &str) -> Self {
        self.map(|r| r.body(bytes, content_type))
    }

    /// Sends `body` as a form with the first request; see [`Request::form`].
    pub fn form<B: serde::Serialize + ?Sized>(self, body: &B) -> Self {
        self.map(|r| r.form(body))
    }

    /// Sends `form` as `multipart/form-data` with the first request; see
    /// [`Request::multipart`].
    pub fn multipart(self, form: &crate::multipart::Form) -> Self {
        self.map(|r| r.multipart(form))
    }

    /// The underlying request for the first page.
    pub fn into_request(self) -> Request<Page<T>, CollectionOptions> {
        self.inner
    }

    fn map(
        self,
        f: impl FnOnce(Request<Page<T>, CollectionOptions>) -> Request<Page<T>, CollectionOptions>,
    ) -> Self {
        PagedRequest {
            inner: f(self.inner),
            fields: self.fields,
        }
    }

    /// Sets a header on every page request; see [`Request::header`].
    pub fn header(self, name: &str, value: &str) -> Self {
        self.map(|r| r.header(name, value))
    }

    /// Appends a query parameter to the first request; see [`Request::query`].
    pub fn query(self, name: &str, value: impl AsRef<str>) -> Self {
        self.map(|r| r.query(name, value))
    }

    /// Appends an object-valued query parameter to the first request; see
    /// [`Request::query_object`].
    pub fn query_object<V: serde::Serialize + ?Sized>(
        self,
        name: &str,
        value: &V,
        style: crate::query::ObjectStyle,
    ) -> Self {
        self.map(|r| r.query_object(name, value, style))
    }

    /// Sends a cookie with every page request; see [`Request::cookie`].
    pub fn cookie(self, name: &str, value: impl AsRef<str>) -> Self {
        self.map(|r| r.cookie(name, value))
    }

    /// `$select=a,b`; see [`Request::select`].
    pub fn select<I>(self, properties: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.map(|r| r.select(properties))
    }

    /// `$expand=a,b`; see [`Request::expand`].
    pub fn expand<I>(self, properties: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.map(|r| r.expand(properties))
    }

    /// `$filter=...`; see [`Request::filter`].
    pub fn filter(self, expression: impl AsRef<str>) -> Self {
        self.map(|r| r.filter(expression))
    }

    /// `$orderby=a,b desc`; see [`Request::orderby`].
    pub fn orderby<I>(self, items: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.map(|r| r.orderby(items))
    }

    /// `$top=n`; see [`Request::top`].
    pub fn top(self, n: u32) -> Self {
        self.map(|r| r.top(n))
    }

    /// `$skip=n`; see [`Request::skip`].
    pub fn skip(self, n: u32) -> Self {
        self.map(|r| r.skip(n))
    }

    /// `$count=true|false`; see [`Request::count`]. The count is in the
    /// first page's [`Page::count`].
    pub fn count(self, count: bool) -> Self {
        self.map(|r| r.count(count))
    }

    /// `$search=...`; see [`Request::search`].
    pub fn search(self, search: impl AsRef<str>) -> Self {
        self.map(|r| r.search(search))
    }

    /// `ConsistencyLevel: eventual` on every page request.
    pub fn consistency_level_eventual(self) -> Self {
        self.map(Request::consistency_level_eventual)
    }

    /// Appends to the `Prefer` header of every page request.
    pub fn prefer(self, preference: impl AsRef<str>) -> Self {
        self.map(|r| r.prefer(preference))
    }

    /// `Prefer: include-unknown-enum-members`.
    pub fn include_unknown_enum_members(self) -> Self {
        self.map(Request::include_unknown_enum_members)
    }

    /// Sends the first request and returns the first page with status and
    /// headers.
    pub async fn send(self) -> Result<Response<Page<T>>> {
        let fields = self.fields;
        let Response {
            status,
            headers,
            body,
        } = self.inner.send().await?;
        let body = fields.adopt(body, || crate::decode::ResponseMeta {
            status,
            headers: headers.clone(),
            url: String::new(),
            client_request_id: None,
        })?;
        Ok(Response {
            status,
            headers,
            body,
        })
    }

    /// All pages, following `@odata.nextLink` until it is absent.
    pub fn pages(self) -> impl Stream<Item = Result<Page<T>>> + Send + 'static {
        let fields = self.fields;
        let start = match self.inner.prepare() {
            Ok((client, prepared, decode)) => {
                PageState::Fetch(client, prepared, Vec::new(), decode)
            }
            Err(e) => PageState::Fail(e),
        };
        stream::unfold(start, move |state| async move {
            match state {
                PageState::Done => None,
                PageState::Fail(e) => Some((Err(e), PageState::Done)),
                PageState::Fetch(client, mut prepared, mut seen, decode) => {
                    let Response {
                        status,
                        headers,
                        body,
                    } = match execute(&client, &prepared, decode).await {
                        Ok(response) => response,
                        Err(e) => return Some((Err(e), PageState::Done)),
                    };
                    let meta = || crate::decode::ResponseMeta {
                        status,
                        headers,
                        url: prepared.url.to_string(),
                        client_request_id: None,
                    };
                    let page = match fields.adopt(body, meta) {
                        Ok(page) => page,
                        Err(e) => return Some((Err(e), PageState::Done)),
                    };
                    if let (Some(next), Some(_)) = (&page.next_link, &page.delta_link) {
                        return Some((
                            Err(Error::InvalidPage {
                                url: prepared.url.to_string(),
                                reason: format!(
                                    "it has both an @odata.nextLink (`{next}`) and an @odata.deltaLink"
                                ),
                            }),
                            PageState::Done,
                        ));
                    }
                    seen.push(prepared.url.clone());
                    let next = match page.next_link.as_deref() {
                        None => PageState::Done,
                        Some(link) => match next_url(&seen, link) {
                            Ok(url) => {
                                // A next link is fetched with GET, whatever asked for the
                                // first page (OData; Azure's x-ms-pageable).
                                prepared.url = url;
                                if prepared.method != Method::GET {
                                    prepared.method = Method::GET;
                                    prepared.body = None;
                                    prepared.headers.remove(reqwest::header::CONTENT_TYPE);
                                }
                                PageState::Fetch(client, prepared, seen, decode)
                            }
                            Err(e) => PageState::Fail(e),
                        },
                    };
                    Some((Ok(page), next))
                }
            }
        })
    }

    /// A delta query to its end: every item of every page, following `@odata.nextLink` to the
    /// page that carries the `@odata.deltaLink`, and that link, to store and resume from with
    /// [`Client::delta_from`] (which then gives the changes since).
    ///
    /// # Errors
    ///
    /// The first error of any page request; [`Error::InvalidPage`] when the last page has no
    /// `@odata.deltaLink` (not a delta query) or a page has both links;
    /// [`Error::RepeatedNextLink`] when a next link leads back to a page already read.
    pub async fn collect_delta(self) -> Result<Delta<T>> {
        let mut pages = std::pin::pin!(self.pages());
        let mut items = Vec::new();
        let mut last_url = String::new();
        while let Some(page) = pages.next().await {
            let page = page?;
            items.extend(page.value);
            if let Some(link) = page.delta_link {
                return Ok(Delta {
                    items,
                    delta_link: link,
                });
            }
            last_url = page.next_link.unwrap_or_default();
        }
        Err(Error::InvalidPage {
            url: last_url,
            reason: "the last page of a delta query has no @odata.deltaLink".to_owned(),
        })
    }

    /// All items of all pages, in order.
    pub fn items(self) -> impl Stream<Item = Result<T>> + Send + 'static {
        self.pages()
            .map_ok(|page| stream::iter(page.value.into_iter().map(Ok)))
            .try_flatten()
    }

    /// Collects the items of all pages.
    ///
    /// # Errors
    ///
    /// The first error of any page request.
    pub async fn collect_all(self) -> Result<Vec<T>> {
        self.items().try_collect().await
    }
}

/// Resolves and checks a next link against the URL of the last page read (the last of
/// `seen`): on the first page's origin (the client's, or the operation's own server's), and
/// not a page already read (a loop).
fn next_url(seen: &[Url], link: &str) -> Result<Url> {
    let unexpected = || Error::UnexpectedNextLink {
        url: link.to_owned(),
    };
    let (first, current) = seen.first().zip(seen.last()).ok_or_else(unexpected)?;
    let url = current.join(link).map_err(|_| unexpected())?;
    if url.origin() != first.origin() {
        return Err(unexpected());
    }
    if seen.contains(&url) {
        return Err(Error::RepeatedNextLink {
            url: link.to_owned(),
        });
    }
    Ok(url)
}

/// The result of a delta query read to its end ([`PagedRequest::collect_delta`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Delta<T> {
    /// The items of every page: the objects, or the changes since the link the query started
    /// from.
    pub items: Vec<T>,
    /// The `@odata.deltaLink` of the last page: store it, and pass it to
    /// [`Client::delta_from`] to get the changes since.
    pub delta_link: String,
}

impl<T: FromJson + Send + 'static> IntoFuture for PagedRequest<T> {
    type Output = Result<Page<T>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<Page<T>>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        if self.fields == ODATA_FIELDS {
            return self.inner.into_future();
        }
        Box::pin(async move { self.send().await.map(Response::into_body) })
    }
}

#[cfg(test)]
mod tests {
    use super::next_in_link_header;

    #[test]
    fn the_next_link_of_a_link_header() {
        let next = |v: &str| next_in_link_header(v);
        assert_eq!(
            next(r#"<https://a/x?page=2>; rel="next", <https://a/x?page=9>; rel="last""#)
                .as_deref(),
            Some("https://a/x?page=2")
        );
        // Another relation first, several in one `rel`, unquoted, any case, spaces.
        assert_eq!(
            next(r#"<https://a/1>; rel="prev", <https://a/3>;rel="Next last""#).as_deref(),
            Some("https://a/3")
        );
        assert_eq!(
            next("< https://a/3 > ; rel=next").as_deref(),
            Some("https://a/3")
        );
        // A `,` inside the target or a quoted parameter does not end the link.
        assert_eq!(
            next(r#"<https://a/?q=a,b>; title="x, y"; rel="next""#).as_deref(),
            Some("https://a/?q=a,b")
        );
        assert_eq!(next(r#"<https://a/1>; rel="prev""#), None);
        assert_eq!(next(r#"<https://a/1>; rel="nextish""#), None);
        assert_eq!(next(""), None);
        assert_eq!(next("<unclosed; rel=next"), None);
    }
}
