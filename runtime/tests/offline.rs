//! Tests that need no HTTP server: client validation, `Nullable`, wire
//! types, polymorphic helpers and OData error bodies.

use std::collections::BTreeMap;

use apigen_runtime::odata::ODataError;
use apigen_runtime::types::{Base64Bytes, Date, DateTime, Double, Duration, TimeOfDay, time};
use apigen_runtime::{Client, ClientBuilder, Error, Nullable, poly};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Value, json};

/// Contract test 9: HTTPS is required except for loopback hosts or with
/// `allow_insecure_http(true)`.
#[test]
fn https_is_enforced() {
    let build = |url: &str| Client::builder().base_url(url).bearer_token("t").build();

    let err = build("http://example.com").unwrap_err();
    match &err {
        Error::InvalidBaseUrl { url, reason } => {
            assert_eq!(url, "http://example.com");
            assert!(reason.contains("clear text"), "{reason}");
        }
        other => panic!("expected InvalidBaseUrl, got {other:?}"),
    }
    for ok in [
        "http://127.0.0.1:1234",
        "http://127.8.9.10/x",
        "http://localhost:8080/v1/",
        "http://[::1]:99",
        "https://graph.microsoft.com/beta",
    ] {
        let client = build(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        assert_eq!(client.base_url(), ok.trim_end_matches('/'));
    }
    let client = Client::builder()
        .base_url("http://example.com/api")
        .allow_insecure_http(true)
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "http://example.com/api");

    for bad in [
        "",
        "not a url",
        "ftp://example.com",
        "https://user:pw@example.com",
        "https://example.com/x?y=1",
        "https://example.com/#f",
        "http://192.168.1.1",
        "http://localhost.example.com",
    ] {
        assert!(
            matches!(build(bad), Err(Error::InvalidBaseUrl { .. })),
            "{bad} must be rejected"
        );
    }
    assert!(matches!(
        Client::builder().build(),
        Err(Error::InvalidBaseUrl { .. })
    ));
}

/// A generated wrapper type is built through `ClientBuilder<C>`.
#[test]
fn builder_builds_wrapper_types() {
    #[derive(Debug)]
    struct Graph(Client);
    impl From<Client> for Graph {
        fn from(c: Client) -> Self {
            Graph(c)
        }
    }
    let graph: Graph = ClientBuilder::<Graph>::new()
        .base_url("https://graph.microsoft.com/beta/")
        .build()
        .unwrap();
    assert_eq!(graph.0.base_url(), "https://graph.microsoft.com/beta");
    fn assert_traits<T: Send + Sync + Clone + 'static>() {}
    assert_traits::<Client>();
}

#[derive(Serialize, Deserialize, Debug, PartialEq, Default)]
struct Patch {
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    x: Nullable<i32>,
    #[serde(flatten)]
    extra: BTreeMap<String, Value>,
}

/// Contract test 8: `Nullable` round-trips inside a struct with a
/// flattened map.
#[test]
fn nullable_round_trips_with_flatten() {
    let cases = [
        (Nullable::Absent, "{}"),
        (Nullable::Null, r#"{"x":null}"#),
        (Nullable::Value(1), r#"{"x":1}"#),
    ];
    for (x, wire) in cases {
        let patch = Patch {
            x,
            extra: BTreeMap::new(),
        };
        assert_eq!(serde_json::to_string(&patch).unwrap(), wire);
        assert_eq!(serde_json::from_str::<Patch>(wire).unwrap(), patch);
    }
    let with_extra: Patch = serde_json::from_str(r#"{"x":null,"y":true}"#).unwrap();
    assert!(with_extra.x.is_null());
    assert_eq!(with_extra.extra["y"], json!(true));
    assert_eq!(
        serde_json::to_string(&with_extra).unwrap(),
        r#"{"x":null,"y":true}"#
    );

    // Nested inside a flattened struct, too.
    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Outer {
        #[serde(flatten)]
        inner: Patch,
    }
    let outer: Outer = serde_json::from_str(r#"{"x":null,"z":1}"#).unwrap();
    assert!(outer.inner.x.is_null());
    let outer: Outer = serde_json::from_str(r#"{"x":5}"#).unwrap();
    assert_eq!(outer.inner.x, Nullable::Value(5));

    let s: Nullable<String> = Nullable::Value("AdminAdd".into());
    assert_eq!(s.as_deref(), Some("AdminAdd"));
    assert_eq!(s.value().map(String::len), Some(8));
    assert_eq!(Nullable::<i32>::from(None), Nullable::Null);
    assert_eq!(Nullable::<i32>::from(Some(2)), Nullable::Value(2));
    assert_eq!(Nullable::from(3).map(|v| v * 2).into_option(), Some(6));
    assert_eq!(Nullable::<i32>::Null.unwrap_or_default(), 0);
    assert_eq!(
        serde_json::to_string(&Nullable::<i32>::Absent).unwrap(),
        "null"
    );
}

/// Contract test 10: DateTime, Date, TimeOfDay.
#[test]
fn date_time_types() {
    let t: DateTime = serde_json::from_str(r#""2019-10-25T22:55:11.623Z""#).unwrap();
    assert_eq!(
        serde_json::to_string(&t).unwrap(),
        r#""2019-10-25T22:55:11.623Z""#
    );
    assert_eq!(t.year(), 2019);

    let seven: DateTime = "2019-10-25T22:55:11.6230000Z".parse().unwrap();
    assert_eq!(seven, t);
    assert_eq!(seven.to_string(), "2019-10-25T22:55:11.623Z");
    let nanos: DateTime = "2019-10-25T22:55:11.123456789Z".parse().unwrap();
    assert_eq!(nanos.nanosecond(), 123_456_789);

    let no_offset: DateTime = "2019-10-25T22:55:11".parse().unwrap();
    assert_eq!(no_offset.offset(), time::UtcOffset::UTC);
    assert_eq!(no_offset.to_string(), "2019-10-25T22:55:11Z");

    let offset: DateTime = "2019-10-26T00:55:11+02:00".parse().unwrap();
    assert_eq!(offset.to_string(), "2019-10-26T00:55:11+02:00");
    assert_eq!(offset, no_offset, "equality compares instants");
    let negative: DateTime = "2019-10-25T17:25:11-05:30".parse().unwrap();
    assert_eq!(negative.to_string(), "2019-10-25T17:25:11-05:30");

    for bad in [
        "2019-10-25",
        "2019-13-01T00:00:00Z",
        "2019-10-25T25:00:00Z",
        "2019-10-25T22:55:11.Z",
        "2019-10-25T22:55:11Zjunk",
        "",
    ] {
        assert!(bad.parse::<DateTime>().is_err(), "{bad}");
    }
    assert!(serde_json::from_str::<DateTime>("12").is_err());

    let date: Date = serde_json::from_str(r#""2024-02-29""#).unwrap();
    assert_eq!(serde_json::to_value(date).unwrap(), json!("2024-02-29"));
    assert!("2024-2-29".parse::<Date>().is_err());

    let tod: TimeOfDay = "08:30:05.5000000".parse().unwrap();
    assert_eq!(tod.to_string(), "08:30:05.5");
    assert_eq!(
        "23:59".parse::<TimeOfDay>().unwrap().to_string(),
        "23:59:00"
    );
    assert!("24:00:00".parse::<TimeOfDay>().is_err());

    let from_time = DateTime::from(time::OffsetDateTime::UNIX_EPOCH);
    assert_eq!(from_time.to_string(), "1970-01-01T00:00:00Z");
}

/// Contract test 10: Duration.
#[test]
fn duration_type() {
    let d: Duration = serde_json::from_str(r#""PT3H""#).unwrap();
    assert_eq!(d.hours, 3);
    assert_eq!(d.to_std(), Some(std::time::Duration::from_secs(3 * 3600)));
    assert_eq!(serde_json::to_string(&d).unwrap(), r#""PT3H""#);

    let cases = [
        ("P1DT3H", "P1DT3H", Some(27 * 3_600_000)),
        ("PT0.5S", "PT0.5S", Some(500)),
        ("PT90M", "PT90M", Some(90 * 60_000)),
        ("P0DT0H0M0S", "PT0S", Some(0)),
        ("-PT0S", "PT0S", Some(0)),
        ("P2W", "P2W", Some(14 * 86_400_000)),
        ("p1dt1h1m1,25s", "P1DT1H1M1.25S", Some(90_061_250)),
        ("-P3D", "-P3D", None),
        ("P1Y2M", "P1Y2M", None),
    ];
    for (input, canonical, millis) in cases {
        let d: Duration = input.parse().unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(d.to_string(), canonical, "{input}");
        assert_eq!(d.to_std().map(|s| s.as_millis() as u64), millis, "{input}");
        assert_eq!(canonical.parse::<Duration>().unwrap(), d);
    }
    let neg: Duration = "-P3D".parse().unwrap();
    assert_eq!(neg.to_time(), Some(time::Duration::days(-3)));
    for bad in [
        "", "P", "PT", "3D", "P1H", "PT1D", "P1D2Y", "PT1.5M", "P1DT", "P-1D", "PT1S1M",
    ] {
        assert!(bad.parse::<Duration>().is_err(), "{bad}");
    }
    assert_eq!(
        Duration::from(std::time::Duration::from_millis(90_061_500)).to_string(),
        "P1DT1H1M1.5S"
    );
    assert_eq!(
        Duration::from(time::Duration::seconds(-90)).to_string(),
        "-PT1M30S"
    );
}

/// Contract test 10: Double and Base64Bytes.
#[test]
fn double_and_base64_types() {
    let nan: Double = serde_json::from_str(r#""NaN""#).unwrap();
    assert!(nan.is_nan());
    assert_eq!(nan, Double(f64::NAN));
    assert_eq!(serde_json::to_string(&nan).unwrap(), r#""NaN""#);
    let inf: Double = serde_json::from_str(r#""INF""#).unwrap();
    assert_eq!(*inf, f64::INFINITY);
    assert_eq!(serde_json::to_string(&inf).unwrap(), r#""INF""#);
    let ninf: Double = serde_json::from_str(r#""-INF""#).unwrap();
    assert_eq!(serde_json::to_string(&ninf).unwrap(), r#""-INF""#);
    let n: Double = serde_json::from_str("1.5").unwrap();
    assert_eq!(serde_json::to_string(&n).unwrap(), "1.5");
    let i: Double = serde_json::from_str("-3").unwrap();
    assert_eq!(i, Double(-3.0));
    assert_eq!(Double(0.0), Double(-0.0));
    assert!(ninf < n && n < inf && inf < nan);
    assert!(serde_json::from_str::<Double>(r#""lots""#).is_err());

    let url_safe: Base64Bytes = serde_json::from_str(r#""-_8""#).unwrap();
    assert_eq!(url_safe.as_slice(), &[0xfb, 0xff]);
    assert_eq!(serde_json::to_string(&url_safe).unwrap(), r#""+/8=""#);
    let padded: Base64Bytes = "+/8=".parse().unwrap();
    assert_eq!(padded, url_safe);
    let hello: Base64Bytes = "aGVsbG8".parse().unwrap();
    assert_eq!(hello.as_slice(), b"hello");
    assert!("not base64!".parse::<Base64Bytes>().is_err());
    // Adyen's documented attachment: set bits after the last byte (`C==`), decoded as the
    // canonical form is; it is written back canonical.
    let adyen: Base64Bytes =
        serde_json::from_str(r#""JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBv+f/ub0j6JPRX+E3EmC==""#).unwrap();
    assert!(adyen.as_slice().starts_with(b"%PDF-1.4"));
    assert!(serde_json::to_string(&adyen).unwrap().ends_with(r#"mA==""#));
}

/// Polymorphic helpers keyed by `@odata.type`.
#[test]
fn polymorphic_helpers() {
    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct User {
        id: String,
    }
    #[derive(Debug, PartialEq)]
    enum Principal {
        User(User),
        Unknown(Value),
    }
    impl apigen_runtime::FromJson for User {
        fn from_json(
            value: apigen_runtime::Json<'_>,
        ) -> Result<Self, apigen_runtime::json::JsonError> {
            apigen_runtime::json::via_serde(value)
        }
    }
    impl apigen_runtime::FromJson for Principal {
        fn from_json(
            value: apigen_runtime::Json<'_>,
        ) -> Result<Self, apigen_runtime::json::JsonError> {
            let tag = poly::tag(&value, "@odata.type");
            match tag.as_deref().map(poly::normalize_odata_type) {
                Some("microsoft.graph.user") => User::from_json(value).map(Self::User),
                _ => Ok(Self::Unknown(value.into())),
            }
        }
    }
    impl<'de> Deserialize<'de> for Principal {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            apigen_runtime::json::deserialize(d)
        }
    }
    impl Serialize for Principal {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self {
                Self::User(u) => {
                    poly::serialize_tagged(u, "@odata.type", "#microsoft.graph.user", s)
                }
                Self::Unknown(v) => v.serialize(s),
            }
        }
    }

    let user: Principal =
        serde_json::from_value(json!({"@odata.type": "microsoft.graph.user", "id": "1"})).unwrap();
    assert_eq!(user, Principal::User(User { id: "1".into() }));
    assert_eq!(
        serde_json::to_value(&user).unwrap(),
        json!({"@odata.type": "#microsoft.graph.user", "id": "1"})
    );
    let unknown: Principal = serde_json::from_value(json!({"id": "2"})).unwrap();
    assert!(matches!(unknown, Principal::Unknown(_)));
    let err = serde_json::from_value::<Principal>(json!({"@odata.type": "#microsoft.graph.user"}))
        .unwrap_err();
    assert!(err.to_string().contains("missing field `id`"));

    // An existing tag is kept.
    let tagged = json!({"@odata.type": "#microsoft.graph.admin", "id": "3"});
    let out = poly::serialize_tagged(
        &tagged,
        "@odata.type",
        "#microsoft.graph.user",
        serde_json::value::Serializer,
    )
    .unwrap();
    assert_eq!(out, tagged);
    assert!(
        poly::serialize_tagged(&5, "@odata.type", "#x", serde_json::value::Serializer).is_err()
    );
}

/// OData error bodies: the Graph example, the `innererror` alias, details
/// and unknown properties.
#[test]
fn odata_error_bodies() {
    let body = r#"{"error":{"code":"invalidRange","message":"Uploaded fragment overlaps with existing data.","innerError":{"request-id":"request-id","date":"date-time"}}}"#;
    let err: ODataError = serde_json::from_str(body).unwrap();
    assert_eq!(err.error.code, "invalidRange");
    let inner = err.error.inner_error.as_ref().unwrap();
    assert_eq!(inner.request_id.as_deref(), Some("request-id"));
    assert_eq!(inner.date.as_deref(), Some("date-time"));
    assert_eq!(serde_json::to_string(&err).unwrap(), body);

    let other: ODataError = serde_json::from_value(json!({"error": {
        "code": "BadRequest",
        "message": "m",
        "target": "x",
        "details": [{"code": "d", "message": "dm", "extra": 1}],
        "innererror": {"Date": "2024-01-01", "client-request-id": "c", "@odata.type": "#t", "more": true},
        "custom": [1]
    }}))
    .unwrap();
    let inner = other.error.inner_error.as_ref().unwrap();
    assert_eq!(inner.date.as_deref(), Some("2024-01-01"));
    assert_eq!(inner.client_request_id.as_deref(), Some("c"));
    assert_eq!(inner.odata_type.as_deref(), Some("#t"));
    assert_eq!(inner.additional_properties["more"], json!(true));
    assert_eq!(
        other.error.details[0].additional_properties["extra"],
        json!(1)
    );
    assert_eq!(other.error.additional_properties["custom"], json!([1]));
    assert!(serde_json::from_str::<ODataError>(r#"{"error":"invalid_grant"}"#).is_err());
}
