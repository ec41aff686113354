//! JSON batching (OData `$batch`, as Microsoft Graph takes it): requests built with the
//! generated client, sent together, each answered with its own typed result or error.
//!
//! At most 20 requests go in one `POST {base}/$batch`; a bigger batch is split into several
//! (requests linked by `dependsOn` stay in the same one). Answers are matched by id whatever
//! their order. An item answered `429 Too Many Requests` is sent again in a later batch after
//! its `Retry-After`, within the client's retry policy. Bodies that are not JSON travel
//! base64-encoded, as Graph specifies.
//!
//! ```no_run
//! # async fn run(client: apigen_runtime::Client,
//! #     get: apigen_runtime::Request<serde_json::Value>,
//! #     create: apigen_runtime::Request<serde_json::Value>) -> apigen_runtime::Result<()> {
//! use apigen_runtime::batch::Batch;
//!
//! let mut batch = Batch::new(&client);
//! let package = batch.add(get)?;
//! let created = batch.add(create)?;
//! batch.depends_on(&created, &[package.id()])?;
//! let answers = batch.send().await?;
//! let package = answers.get(&package)?; // typed, or this item's own error
//! # Ok(()) }
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::{Map, Value, json};

use crate::client::Client;
use crate::decode::{DecodeFn, ResponseMeta};
use crate::error::{Error, Result, StatusError};
use crate::exec::{Prepared, execute};
use crate::request::Request;

/// Most requests in one `$batch` request (Graph's limit).
pub const MAX_PER_BATCH: usize = 20;

/// A request in a batch; [`BatchResponses::get`] decodes its answer as `T`.
#[derive(Debug, Clone)]
pub struct BatchItem<T> {
    id: String,
    decode: DecodeFn<T>,
}

impl<T> BatchItem<T> {
    /// Its id in the batch (`"1"`, `"2"`... in the order added).
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// One request as the batch sends it.
#[derive(Debug, Clone)]
struct Entry {
    id: String,
    method: Method,
    /// Relative to the client's base URL (`/users/1?$select=id`).
    url: String,
    headers: HeaderMap,
    body: Option<Bytes>,
    depends_on: Vec<String>,
}

/// Requests to send together.
#[derive(Debug)]
pub struct Batch {
    client: Client,
    entries: Vec<Entry>,
}

/// One answer of a batch.
#[derive(Debug, Clone)]
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// The answers of a batch, by request.
#[derive(Debug)]
pub struct BatchResponses {
    answers: BTreeMap<String, Answer>,
    methods: BTreeMap<String, (Method, String)>,
}

impl Batch {
    /// An empty batch sent through `client` (its base URL, credentials, middleware and retry
    /// policy).
    pub fn new(client: &Client) -> Batch {
        Batch {
            client: client.clone(),
            entries: Vec::new(),
        }
    }

    /// Adds `request` (any request of the generated client, with its options and headers);
    /// its answer is read with the returned item.
    ///
    /// # Errors
    ///
    /// The request's own error (an invalid path parameter...), or
    /// [`Error::InvalidRequestUrl`] when it is not under the client's base URL.
    pub fn add<T, Q>(&mut self, request: Request<T, Q>) -> Result<BatchItem<T>> {
        let (client, prepared, decode) = request.prepare()?;
        let base = self.client.base_url().to_owned();
        if client.base_url() != base {
            return Err(Error::InvalidRequestUrl {
                url: prepared.url.to_string(),
                reason: "a batch holds requests of its own client only".to_owned(),
            });
        }
        let url = prepared
            .url
            .as_str()
            .strip_prefix(base.as_str())
            .map(|rest| {
                if rest.starts_with('/') {
                    rest.to_owned()
                } else {
                    format!("/{rest}")
                }
            })
            .ok_or_else(|| Error::InvalidRequestUrl {
                url: prepared.url.to_string(),
                reason: "not under the client's base URL".to_owned(),
            })?;
        let id = (self.entries.len() + 1).to_string();
        self.entries.push(Entry {
            id: id.clone(),
            method: prepared.method,
            url,
            headers: prepared.headers,
            body: prepared.body,
            depends_on: Vec::new(),
        });
        Ok(BatchItem { id, decode })
    }

    /// Runs `item` only after the requests with ids `on` (Graph's `dependsOn`): they go in the
    /// same `$batch` request.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidBatch`] when an id is not in this batch, or is `item` itself.
    pub fn depends_on<T>(&mut self, item: &BatchItem<T>, on: &[&str]) -> Result<()> {
        let known: BTreeSet<&str> = self.entries.iter().map(|e| e.id.as_str()).collect();
        for id in on {
            if !known.contains(id) || *id == item.id {
                return Err(Error::InvalidBatch(format!(
                    "request {} cannot depend on `{id}`: no such other request in the batch",
                    item.id
                )));
            }
        }
        let entry = self
            .entries
            .iter_mut()
            .find(|e| e.id == item.id)
            .ok_or_else(|| {
                Error::InvalidBatch(format!("request {} is not in the batch", item.id))
            })?;
        entry.depends_on.extend(on.iter().map(|s| (*s).to_owned()));
        Ok(())
    }

    /// How many requests the batch holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the batch holds no request.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Sends the batch: as many `$batch` requests as it takes (20 requests each), and again
    /// for items answered `429` after their `Retry-After`.
    ///
    /// # Errors
    ///
    /// The error of a `$batch` request itself (its items' errors are theirs, read with
    /// [`BatchResponses::get`]); [`Error::InvalidBatch`] when requests linked by `dependsOn`
    /// are more than 20 together.
    pub async fn send(mut self) -> Result<BatchResponses> {
        let methods = self
            .entries
            .iter()
            .map(|e| (e.id.clone(), (e.method.clone(), e.url.clone())))
            .collect();
        let mut answers = BTreeMap::new();
        let mut pending = std::mem::take(&mut self.entries);
        let policy = self.client.retry_policy().clone();
        let mut round = 1u32;
        while !pending.is_empty() {
            let mut throttled: Vec<Entry> = Vec::new();
            let mut wait: Option<Duration> = None;
            for chunk in chunks(&pending)? {
                let got = self.send_one(&chunk).await?;
                for entry in chunk {
                    match got.get(&entry.id) {
                        Some(answer)
                            if answer.status == StatusCode::TOO_MANY_REQUESTS
                                && round < policy.max_attempts() =>
                        {
                            let after =
                                crate::retry::retry_after(&answer.headers, SystemTime::now());
                            let delay = policy.delay(round, after, fastrand::f64());
                            wait = Some(wait.map_or(delay, |w| w.max(delay)));
                            throttled.push(entry);
                        }
                        Some(answer) => {
                            answers.insert(entry.id.clone(), answer.clone());
                        }
                        None => {
                            return Err(Error::InvalidBatch(format!(
                                "the service gave no answer for request {}",
                                entry.id
                            )));
                        }
                    }
                }
            }
            if let Some(wait) = wait {
                tokio::time::sleep(wait).await;
            }
            pending = throttled;
            round += 1;
        }
        Ok(BatchResponses { answers, methods })
    }

    /// One `$batch` request for `chunk`: the answers by id.
    async fn send_one(&self, chunk: &[Entry]) -> Result<BTreeMap<String, Answer>> {
        let requests: Vec<Value> = chunk.iter().map(entry_json).collect();
        let body = serde_json::to_vec(&json!({ "requests": requests })).map_err(Error::Encode)?;
        let url =
            reqwest::Url::parse(&format!("{}/$batch", self.client.base_url())).map_err(|e| {
                Error::InvalidRequestUrl {
                    url: format!("{}/$batch", self.client.base_url()),
                    reason: e.to_string(),
                }
            })?;
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let prepared = Prepared {
            method: Method::POST,
            url,
            headers,
            body: Some(Bytes::from(body)),
            credentials: true,
        };
        let response = execute(&self.client, &prepared, crate::decode::json::<Value>).await?;
        let mut out = BTreeMap::new();
        let items = response
            .body
            .get("responses")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for item in items {
            let Some(id) = item.get("id").and_then(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            }) else {
                continue;
            };
            out.insert(id, answer_of(&item));
        }
        Ok(out)
    }
}

/// The batches to send `entries` in, in order: requests linked by `dependsOn` together, at
/// most [`MAX_PER_BATCH`] each.
fn chunks(entries: &[Entry]) -> Result<Vec<Vec<Entry>>> {
    // Groups of linked requests (union-find over ids, in order of their first request).
    let index: BTreeMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let mut parent: Vec<usize> = (0..entries.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (i, e) in entries.iter().enumerate() {
        for d in &e.depends_on {
            // A dependency already answered (sent in an earlier round) needs no grouping.
            if let Some(&j) = index.get(d.as_str()) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<Entry>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let r = root(&mut parent, i);
        let mut e = e.clone();
        e.depends_on.retain(|d| index.contains_key(d.as_str()));
        groups.entry(r).or_default().push(e);
    }
    let mut out: Vec<Vec<Entry>> = Vec::new();
    for group in groups.into_values() {
        if group.len() > MAX_PER_BATCH {
            return Err(Error::InvalidBatch(format!(
                "{} requests are linked by dependsOn; a $batch request holds at most {MAX_PER_BATCH}",
                group.len()
            )));
        }
        match out.last_mut() {
            Some(last) if last.len() + group.len() <= MAX_PER_BATCH => last.extend(group),
            _ => out.push(group),
        }
    }
    Ok(out)
}

/// A request of a `$batch` body.
fn entry_json(e: &Entry) -> Value {
    let mut item = Map::new();
    item.insert("id".into(), Value::String(e.id.clone()));
    item.insert("method".into(), Value::String(e.method.as_str().to_owned()));
    item.insert("url".into(), Value::String(e.url.clone()));
    let mut headers = Map::new();
    for (name, value) in &e.headers {
        if let Ok(v) = value.to_str() {
            headers.insert(name.as_str().to_owned(), Value::String(v.to_owned()));
        }
    }
    if let Some(body) = &e.body {
        let json_body = e
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.contains("json"));
        let value = json_body
            .then(|| serde_json::from_slice::<Value>(body).ok())
            .flatten()
            .unwrap_or_else(|| {
                Value::String(base64::engine::general_purpose::STANDARD.encode(body))
            });
        item.insert("body".into(), value);
    }
    if !headers.is_empty() {
        item.insert("headers".into(), Value::Object(headers));
    }
    if !e.depends_on.is_empty() {
        item.insert(
            "dependsOn".into(),
            Value::Array(e.depends_on.iter().cloned().map(Value::String).collect()),
        );
    }
    Value::Object(item)
}

/// One answer of a `$batch` response: a JSON body as its bytes, a string body of another
/// media type base64-decoded (Graph encodes those).
fn answer_of(item: &Value) -> Answer {
    let status = item
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| StatusCode::from_u16(s as u16).ok())
        .unwrap_or(StatusCode::BAD_GATEWAY);
    let mut headers = HeaderMap::new();
    if let Some(Value::Object(h)) = item.get("headers") {
        for (name, value) in h {
            let text = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if let (Ok(n), Ok(v)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&text),
            ) {
                headers.insert(n, v);
            }
        }
    }
    let json_body = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.contains("json"));
    let body = match item.get("body") {
        None | Some(Value::Null) => Bytes::new(),
        Some(Value::String(s)) if !json_body => base64::engine::general_purpose::STANDARD
            .decode(s)
            .map(Bytes::from)
            .unwrap_or_else(|_| Bytes::from(s.clone().into_bytes())),
        Some(v) => Bytes::from(serde_json::to_vec(v).unwrap_or_default()),
    };
    Answer {
        status,
        headers,
        body,
    }
}

impl BatchResponses {
    /// The answer to `item` decoded as its request decodes it, or that request's own error
    /// (an [`Error::Status`] with the service's error body for a non-2xx answer).
    ///
    /// # Errors
    ///
    /// The item's error; [`Error::InvalidBatch`] when the item is not of this batch.
    pub fn get<T>(&self, item: &BatchItem<T>) -> Result<T> {
        let answer = self
            .answers
            .get(&item.id)
            .ok_or_else(|| Error::InvalidBatch(format!("no answer for request {}", item.id)))?;
        let (method, url) = self
            .methods
            .get(&item.id)
            .cloned()
            .unwrap_or((Method::GET, String::new()));
        if !answer.status.is_success() {
            return Err(StatusError::new(
                answer.status,
                answer.headers.clone(),
                answer.body.clone(),
                method,
                url,
                None,
                1,
            )
            .into());
        }
        let meta = ResponseMeta {
            status: answer.status,
            headers: answer.headers.clone(),
            url,
            client_request_id: None,
        };
        (item.decode)(&meta, answer.body.clone())
    }

    /// The status `item` was answered with.
    pub fn status<T>(&self, item: &BatchItem<T>) -> Option<StatusCode> {
        self.answers.get(&item.id).map(|a| a.status)
    }
}
