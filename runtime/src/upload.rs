//! Resumable large-file uploads through an upload session (Microsoft Graph's driveItem
//! `createUploadSession`, and the same for mail and task attachments).
//!
//! The session's `uploadUrl` is pre-authenticated: the client's credentials are **never** sent
//! to it. The file goes in slices whose size is a multiple of 320 KiB and under 60 MiB (5 MiB
//! unless set), each a `PUT` with `Content-Range` and `Content-Length`; the service answers
//! with the ranges it still expects (`nextExpectedRanges`, open-ended like `"327680-"` or
//! closed), and with the uploaded item after the last slice. A slice the service answers
//! with a retryable status is sent again per the client's [`RetryPolicy`](crate::retry::RetryPolicy);
//! after any other failure the session's status is asked for and the upload resumes from
//! the first range it expects (three times in a row at most).
//!
//! ```no_run
//! # async fn run(client: apigen_runtime::Client, upload_url: &str, file: impl tokio::io::AsyncRead + Unpin + Send + 'static, len: u64)
//! # -> apigen_runtime::Result<()> {
//! use apigen_runtime::upload::UploadSession;
//!
//! let item: serde_json::Value = UploadSession::new(&client, upload_url)?
//!     .on_progress(|sent, total| println!("{sent}/{total}"))
//!     .upload_reader(file, len)
//!     .await?;
//! # Ok(()) }
//! ```

use crate::json::FromJson;
use bytes::Bytes;
use reqwest::header::{CONTENT_RANGE, HeaderMap, HeaderValue};
use reqwest::{Method, Url};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt};

use crate::client::Client;
use crate::decode::ResponseMeta;
use crate::error::{Error, Result};
use crate::exec::{Prepared, execute};

/// Slices are multiples of this (320 KiB), as the service requires.
pub const SLICE_UNIT: usize = 320 * 1024;
/// Slices must be under 60 MiB.
pub const MAX_SLICE: usize = 60 * 1024 * 1024;
/// The slice size unless [`UploadSession::slice_size`] sets another (5 MiB, 16 units).
pub const DEFAULT_SLICE: usize = 16 * SLICE_UNIT;
/// Failures in a row after which an upload gives up.
const MAX_RESUMES: u32 = 3;

/// A progress callback: bytes the service has, and the file's length.
type ProgressFn = Box<dyn FnMut(u64, u64) + Send>;

/// An upload session, ready to upload a file.
pub struct UploadSession {
    client: Client,
    url: Url,
    slice: usize,
    on_progress: Option<ProgressFn>,
}

impl std::fmt::Debug for UploadSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL carries its own credential: shown without its query.
        let mut shown = self.url.clone();
        shown.set_query(None);
        f.debug_struct("UploadSession")
            .field("url", &shown.as_str())
            .field("slice", &self.slice)
            .finish()
    }
}

/// What the service said of a session: the ranges it still expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionStatus {
    /// `(start, end)`, `end` inclusive, `None` for an open-ended range (`"327680-"`).
    pub next_expected_ranges: Vec<(u64, Option<u64>)>,
}

/// A session's answer to a slice.
enum Answer<T> {
    /// More is expected.
    Expecting(SessionStatus),
    /// The upload is complete: the uploaded item.
    Done(T),
}

impl UploadSession {
    /// A session at `upload_url` (the `uploadUrl` of a `createUploadSession` answer), uploaded
    /// through `client`'s HTTP stack, middleware and retry policy, without its credentials.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequestUrl`] when `upload_url` is not an absolute `https` URL (or `http`
    /// on loopback).
    pub fn new(client: &Client, upload_url: &str) -> Result<Self> {
        let url = Url::parse(upload_url)
            .ok()
            .filter(|u| {
                u.scheme() == "https"
                    || u.scheme() == "http"
                        && u.host_str().is_some_and(|h| {
                            h == "localhost"
                                || h.parse::<std::net::IpAddr>()
                                    .is_ok_and(|ip| ip.is_loopback())
                        })
            })
            .ok_or_else(|| Error::InvalidRequestUrl {
                url: "<upload URL>".to_owned(),
                reason: "an upload URL must be an absolute https URL".to_owned(),
            })?;
        Ok(UploadSession {
            client: client.clone(),
            url,
            slice: DEFAULT_SLICE,
            on_progress: None,
        })
    }

    /// The session of a `createUploadSession` answer (its `uploadUrl`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequestUrl`] when the value has no usable `uploadUrl`.
    pub fn from_value(client: &Client, session: &Value) -> Result<Self> {
        let url = session
            .get("uploadUrl")
            .and_then(Value::as_str)
            .unwrap_or_default();
        Self::new(client, url)
    }

    /// The size of each slice: a multiple of 320 KiB under 60 MiB.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidUploadSlice`] for any other size.
    pub fn slice_size(mut self, bytes: usize) -> Result<Self> {
        if bytes == 0 || !bytes.is_multiple_of(SLICE_UNIT) || bytes >= MAX_SLICE {
            return Err(Error::InvalidUploadSlice { size: bytes });
        }
        self.slice = bytes;
        Ok(self)
    }

    /// Called after each slice with the bytes the service has and the file's length.
    pub fn on_progress(mut self, f: impl FnMut(u64, u64) + Send + 'static) -> Self {
        self.on_progress = Some(Box::new(f));
        self
    }

    /// Uploads `data`; the item the service made, decoded as `T`.
    ///
    /// # Errors
    ///
    /// The errors of the requests (after retries and resumes); [`Error::Decode`] when the
    /// final answer is not a `T`.
    pub async fn upload<T: FromJson>(self, data: Bytes) -> Result<T> {
        let len = data.len() as u64;
        self.run(Source::Bytes(data), len).await
    }

    /// Uploads `len` bytes read from `reader`, one slice in memory at a time.
    ///
    /// # Errors
    ///
    /// As [`upload`](Self::upload); [`Error::Upload`] when the reader fails or ends early, or
    /// when the service asks again for bytes before the slice in memory (a reader cannot go
    /// back).
    pub async fn upload_reader<T, R>(self, reader: R, len: u64) -> Result<T>
    where
        T: FromJson,
        R: AsyncRead + Unpin + Send + 'static,
    {
        let source = Source::Reader {
            reader: Box::new(reader),
            position: 0,
            buffer: Vec::new(),
            buffer_start: 0,
        };
        self.run(source, len).await
    }

    /// The ranges the service still expects (`GET` on the session).
    ///
    /// # Errors
    ///
    /// The errors of the request.
    pub async fn status(&self) -> Result<SessionStatus> {
        let response = self
            .send(Method::GET, HeaderMap::new(), None, value_body)
            .await?;
        Ok(expected_ranges(&response))
    }

    /// Cancels the upload (`DELETE` on the session): the service discards what it has.
    ///
    /// # Errors
    ///
    /// The errors of the request.
    pub async fn cancel(self) -> Result<()> {
        self.send(Method::DELETE, HeaderMap::new(), None, crate::decode::empty)
            .await
    }

    async fn send<T>(
        &self,
        method: Method,
        headers: HeaderMap,
        body: Option<Bytes>,
        decode: crate::decode::DecodeFn<T>,
    ) -> Result<T> {
        let prepared = Prepared {
            method,
            url: self.url.clone(),
            headers,
            body,
            credentials: false,
        };
        execute(&self.client, &prepared, decode)
            .await
            .map(|r| r.body)
    }

    async fn run<T: FromJson>(mut self, mut source: Source, len: u64) -> Result<T> {
        let mut next = 0u64;
        let mut failures = 0u32;
        loop {
            let end = (next + self.slice as u64).min(len);
            let slice = source.slice(next, end).await?;
            let mut headers = HeaderMap::new();
            let range = if len == 0 {
                "bytes */0".to_owned()
            } else {
                format!("bytes {next}-{}/{len}", end - 1)
            };
            headers.insert(
                CONTENT_RANGE,
                HeaderValue::from_str(&range).map_err(|_| Error::InvalidHeader {
                    name: "content-range".to_owned(),
                })?,
            );
            match self
                .send(Method::PUT, headers, Some(slice), slice_answer::<T>)
                .await
            {
                Ok(Answer::Done(item)) => {
                    if let Some(f) = self.on_progress.as_mut() {
                        f(len, len);
                    }
                    return Ok(item);
                }
                Ok(Answer::Expecting(status)) => {
                    failures = 0;
                    next = status
                        .next_expected_ranges
                        .first()
                        .map_or(end, |(start, _)| *start);
                }
                Err(e) => {
                    failures += 1;
                    if failures >= MAX_RESUMES {
                        return Err(e);
                    }
                    // Ask where the service is, and go on from there.
                    let status = self.status().await?;
                    match status.next_expected_ranges.first() {
                        Some((start, _)) => next = *start,
                        None => return Err(e),
                    }
                }
            }
            if next > len {
                return Err(Error::Upload(format!(
                    "the service expects byte {next} of a {len}-byte file"
                )));
            }
            if let Some(f) = self.on_progress.as_mut() {
                f(next, len);
            }
        }
    }
}

/// Where the file comes from.
enum Source {
    Bytes(Bytes),
    Reader {
        reader: Box<dyn AsyncRead + Unpin + Send>,
        /// Bytes read so far.
        position: u64,
        /// The last slice read, kept to send it again.
        buffer: Vec<u8>,
        buffer_start: u64,
    },
}

impl Source {
    /// Bytes `start..end` of the file.
    async fn slice(&mut self, start: u64, end: u64) -> Result<Bytes> {
        match self {
            Source::Bytes(b) => {
                let (s, e) = (start as usize, end as usize);
                Ok(b.slice(s.min(b.len())..e.min(b.len())))
            }
            Source::Reader {
                reader,
                position,
                buffer,
                buffer_start,
            } => {
                let buffer_end = *buffer_start + buffer.len() as u64;
                if start >= *buffer_start && end <= buffer_end {
                    let from = (start - *buffer_start) as usize;
                    let to = (end - *buffer_start) as usize;
                    return Ok(Bytes::copy_from_slice(&buffer[from..to]));
                }
                if start < *position {
                    return Err(Error::Upload(format!(
                        "the service asks again for byte {start}, before the part of the file still in memory"
                    )));
                }
                // Skip what the service already has, then read the slice.
                let mut skip = start - *position;
                let mut sink = [0u8; 8192];
                while skip > 0 {
                    let want = skip.min(sink.len() as u64) as usize;
                    let n = reader
                        .read(&mut sink[..want])
                        .await
                        .map_err(|e| Error::Upload(format!("reading the file: {e}")))?;
                    if n == 0 {
                        return Err(Error::Upload("the file ended early".to_owned()));
                    }
                    skip -= n as u64;
                    *position += n as u64;
                }
                let mut data = vec![0u8; (end - start) as usize];
                reader
                    .read_exact(&mut data)
                    .await
                    .map_err(|e| Error::Upload(format!("reading the file: {e}")))?;
                *position = end;
                *buffer_start = start;
                *buffer = data;
                Ok(Bytes::copy_from_slice(buffer))
            }
        }
    }
}

/// A session's answer to a slice: the ranges it still expects (`202`), or the item.
fn slice_answer<T: FromJson>(meta: &ResponseMeta, body: Bytes) -> Result<Answer<T>> {
    if meta.status == reqwest::StatusCode::ACCEPTED {
        return value_body(meta, body).map(|v| Answer::Expecting(expected_ranges(&v)));
    }
    crate::decode::json(meta, body).map(Answer::Done)
}

/// A JSON body as a value (`null` when empty).
fn value_body(meta: &ResponseMeta, body: Bytes) -> Result<Value> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    crate::decode::json(meta, body)
}

/// The `nextExpectedRanges` of a session's answer (`"start-end"`, `"start-"`, or `"start"` as
/// Outlook attachment sessions write it).
fn expected_ranges(body: &Value) -> SessionStatus {
    let ranges = body
        .get("nextExpectedRanges")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .filter_map(|r| {
                    // Outlook attachments give the next start alone (`"327680"`).
                    let (start, end) = r.split_once('-').unwrap_or((r, ""));
                    let start = start.trim().parse().ok()?;
                    let end = match end.trim() {
                        "" => None,
                        e => Some(e.parse().ok()?),
                    };
                    Some((start, end))
                })
                .collect()
        })
        .unwrap_or_default();
    SessionStatus {
        next_expected_ranges: ranges,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_open_and_closed() {
        let status = expected_ranges(&serde_json::json!({
            "nextExpectedRanges": ["12345-55232", "77829-", "bad", "99000"]
        }));
        assert_eq!(
            status.next_expected_ranges,
            vec![(12345, Some(55232)), (77829, None), (99000, None)]
        );
    }
}
