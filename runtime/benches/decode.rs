//! Decoding throughput: what reading a response through `FromJson` (parse into a `Json` tree,
//! then take it apart) costs, next to `#[derive(Deserialize)]` read straight
//! from the bytes, with and without `serde_path_to_error` (how the runtime decoded before).
//!
//! `cargo bench -p apigen-runtime --bench decode [-- ITEMS] [WORD]` prints MB/s for one page of
//! ITEMS (default 20,000) access package assignment requests shaped like Graph's: strings, nullable
//! values, date-times, nested objects and arrays of them, and a polymorphic value tagged by
//! `@odata.type`; with WORD, only the ways of decoding whose name contains it (to profile one).
//! Nothing is asserted: the machines are shared and noisy.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use apigen_runtime::json::{FromJson, Json, JsonError};
use apigen_runtime::types::DateTime;
use apigen_runtime::{Nullable, model, poly};
use serde::Deserialize;
use serde_json::Value;

// The shape read through `FromJson`, written as the generator writes it.

#[derive(Default)]
struct Request {
    id: Option<String>,
    justification: Nullable<String>,
    request_type: Nullable<String>,
    created: Nullable<DateTime>,
    schedule: Nullable<Schedule>,
    answers: Nullable<Vec<Option<Answer>>>,
    rest: BTreeMap<String, Value>,
}

#[derive(Default)]
struct Schedule {
    start: Nullable<DateTime>,
    kind: Nullable<String>,
    rest: BTreeMap<String, Value>,
}

#[derive(Default)]
struct Question {
    id: Option<String>,
    is_required: Nullable<bool>,
    sequence: Nullable<i32>,
    rest: BTreeMap<String, Value>,
}

#[derive(Default)]
struct AnswerString {
    value: Nullable<String>,
    question: Nullable<Question>,
    rest: BTreeMap<String, Value>,
}

// The benchmark builds these values and drops them unread.
#[allow(dead_code)]
enum Answer {
    String(Box<AnswerString>),
    Other(Value),
}

impl FromJson for Request {
    fn from_json(json: Json<'_>) -> Result<Self, JsonError> {
        let mut value = Self::default();
        model::read(
            json,
            "Request",
            &mut [
                ("answers", &mut value.answers),
                ("createdDateTime", &mut value.created),
                ("id", &mut value.id),
                ("justification", &mut value.justification),
                ("requestType", &mut value.request_type),
                ("schedule", &mut value.schedule),
            ],
            &mut value.rest,
        )?;
        Ok(value)
    }
}

impl FromJson for Schedule {
    fn from_json(json: Json<'_>) -> Result<Self, JsonError> {
        let mut value = Self::default();
        model::read(
            json,
            "Schedule",
            &mut [
                ("kind", &mut value.kind),
                ("startDateTime", &mut value.start),
            ],
            &mut value.rest,
        )?;
        Ok(value)
    }
}

impl FromJson for Question {
    fn from_json(json: Json<'_>) -> Result<Self, JsonError> {
        let mut value = Self::default();
        model::read(
            json,
            "Question",
            &mut [
                ("id", &mut value.id),
                ("isRequired", &mut value.is_required),
                ("sequence", &mut value.sequence),
            ],
            &mut value.rest,
        )?;
        Ok(value)
    }
}

impl FromJson for AnswerString {
    fn from_json(json: Json<'_>) -> Result<Self, JsonError> {
        let mut value = Self::default();
        model::read(
            json,
            "AnswerString",
            &mut [
                ("answeredQuestion", &mut value.question),
                ("value", &mut value.value),
            ],
            &mut value.rest,
        )?;
        Ok(value)
    }
}

impl FromJson for Answer {
    fn from_json(json: Json<'_>) -> Result<Self, JsonError> {
        let tag = poly::tag(&json, "@odata.type");
        Ok(match tag.as_deref().map(poly::normalize_odata_type) {
            Some("microsoft.graph.accessPackageAnswerString") => {
                Self::String(FromJson::from_json(json)?)
            }
            _ => Self::Other(json.into()),
        })
    }
}

// The same shape with serde's derives (no property bags: `flatten` would be slower still).

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct DRequest {
    id: Option<String>,
    justification: Option<String>,
    request_type: Option<String>,
    created_date_time: Option<DateTime>,
    schedule: Option<DSchedule>,
    answers: Option<Vec<Option<DAnswer>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct DSchedule {
    start_date_time: Option<DateTime>,
    kind: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct DQuestion {
    id: Option<String>,
    is_required: Option<bool>,
    sequence: Option<i32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct DAnswer {
    #[serde(rename = "@odata.type")]
    odata_type: Option<String>,
    value: Option<String>,
    answered_question: Option<DQuestion>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct DPage {
    value: Vec<DRequest>,
}

fn page(items: usize) -> Vec<u8> {
    let item = |i: usize| {
        serde_json::json!({
            "id": format!("b6e8d6d1-{i:08}"),
            "requestType": "adminAdd",
            "justification": null,
            "createdDateTime": "2026-08-01T12:30:00Z",
            "schedule": {"startDateTime": "2026-08-02T00:00:00Z", "kind": "noExpiration"},
            "answers": [{
                "@odata.type": "#microsoft.graph.accessPackageAnswerString",
                "value": "Arizona",
                "displayValue": "Arizona",
                "answeredQuestion": {"id": "q1", "isRequired": true, "sequence": i % 7}
            }],
            "requestState": "submitted"
        })
    };
    let value: Vec<Value> = (0..items).map(item).collect();
    serde_json::to_vec(&serde_json::json!({
        "@odata.context": "https://graph.microsoft.com/beta/$metadata#x",
        "value": value
    }))
    .expect("a page serializes")
}

/// The best of a few runs of `f` on `body`, in MB/s.
fn throughput(body: &[u8], f: impl Fn(&[u8])) -> f64 {
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        f(body);
        best = best.min(start.elapsed());
    }
    body.len() as f64 / 1e6 / best.as_secs_f64()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let items = args.iter().find_map(|a| a.parse().ok()).unwrap_or(20_000);
    let only = args.iter().find(|a| a.parse::<usize>().is_err());
    let body = page(items);
    println!(
        "one page of {items} requests, {:.1} MB (best of 5 runs each):",
        body.len() as f64 / 1e6
    );
    type Decoder<'a> = &'a dyn Fn(&[u8]);
    let rows: [(&str, Decoder); 5] = [
        ("parse into a serde_json::Value only", &|b| {
            black_box(serde_json::from_slice::<Value>(b).expect("parses"));
        }),
        ("parse into a Json tree only", &|b| {
            black_box(serde_json::from_slice::<Json>(b).expect("parses"));
        }),
        ("FromJson (parse, then take the value apart)", &|b| {
            let page: apigen_runtime::Page<Request> =
                apigen_runtime::json::from_slice(b).expect("decodes");
            black_box(page);
        }),
        ("#[derive(Deserialize)] from the bytes", &|b| {
            black_box(serde_json::from_slice::<DPage>(b).expect("decodes"));
        }),
        ("#[derive(Deserialize)] with serde_path_to_error", &|b| {
            let mut de = serde_json::Deserializer::from_slice(b);
            black_box(serde_path_to_error::deserialize::<_, DPage>(&mut de).expect("decodes"));
        }),
    ];
    for (name, f) in rows {
        if only.is_some_and(|word| !name.contains(word.as_str())) {
            continue;
        }
        println!("  {:<50} {:>7.1} MB/s", name, throughput(&body, f));
    }
}
