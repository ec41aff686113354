//! Exact wire forms of query options, checked on a real loopback server.

mod common;

use apigen_runtime::query::{self, CollectionOptions, QueryString, encode_value};
use apigen_runtime::{Method, Request, decode};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use common::client;

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .mount(&server)
        .await;
    server
}

/// Sends `build(request)` and returns the raw query string the server got.
type Req = Request<serde_json::Value, CollectionOptions>;
type Build = Box<dyn FnOnce(Req) -> Req>;

async fn wire_query(build: impl FnOnce(Req) -> Req) -> String {
    let server = server().await;
    let client = client(&server);
    let request = client
        .request(Method::GET, "/assignmentRequests", decode::json)
        .with_query_options::<CollectionOptions>();
    build(request).await.expect("request succeeds");
    let req = common::only_request(&server).await;
    assert_eq!(req.url.path(), "/beta/assignmentRequests");
    req.url.query().unwrap_or_default().to_owned()
}

/// Contract test 3: every option's exact wire form.
#[tokio::test]
async fn each_option_has_the_documented_wire_form() {
    let cases: Vec<(&str, Build)> = vec![
        (
            "$select=id,requestType",
            Box::new(|r| r.select(["id", "requestType"])),
        ),
        (
            "$filter=requestState%20eq%20%27PendingApproval%27",
            Box::new(|r| r.filter("requestState eq 'PendingApproval'")),
        ),
        (
            "$orderby=createdDateTime%20desc,id",
            Box::new(|r| r.orderby(["createdDateTime desc", "id"])),
        ),
        ("$top=5", Box::new(|r| r.top(5))),
        ("$skip=10", Box::new(|r| r.skip(10))),
        ("$count=true", Box::new(|r| r.count(true))),
        (
            "$search=%22displayName:foo%22",
            Box::new(|r| r.search("\"displayName:foo\"")),
        ),
        (
            "$expand=requestor($expand%3DconnectedOrganization),accessPackage",
            Box::new(|r| r.expand(["requestor($expand=connectedOrganization)", "accessPackage"])),
        ),
        (
            "x=a%26b%23c%2Bd%25e%20%C3%A9%E2%82%AC%3F%3B%3D",
            Box::new(|r| r.query("x", "a&b#c+d%e é€?;=")),
        ),
        (
            "$top=5&$filter=a%20eq%201&custom=1&custom=2",
            Box::new(|r| {
                r.top(1)
                    .filter("a eq 1")
                    .query("custom", "1")
                    .query("custom", "2")
                    .top(5) // replaces, keeping its position
            }),
        ),
        ("", Box::new(|r| r.select(Vec::<String>::new()))),
    ];
    for (expected, build) in cases {
        assert_eq!(wire_query(build).await, expected);
    }
}

/// Header-based options: `ConsistencyLevel` and `Prefer`.
#[tokio::test]
async fn header_options() {
    let server = server().await;
    let client = client(&server);
    client
        .paged::<serde_json::Value>("/users")
        .search("\"displayName:ab\"")
        .count(true)
        .consistency_level_eventual()
        .prefer("odata.maxpagesize=10")
        .include_unknown_enum_members()
        .await
        .unwrap();
    let req = common::only_request(&server).await;
    assert_eq!(
        req.url.query(),
        Some("$search=%22displayName:ab%22&$count=true")
    );
    assert_eq!(req.headers["consistencylevel"], "eventual");
    assert_eq!(
        req.headers["prefer"],
        "odata.maxpagesize=10, include-unknown-enum-members"
    );
}

/// The encoder and the literal helper on their own.
#[test]
fn encoder_and_literals() {
    assert_eq!(encode_value("AZaz09-._~$,():@/"), "AZaz09-._~$,():@/");
    assert_eq!(
        encode_value(" &=+#%\"?;'[]{}|\\^`<>!*"),
        "%20%26%3D%2B%23%25%22%3F%3B%27%5B%5D%7B%7D%7C%5C%5E%60%3C%3E%21%2A"
    );
    assert_eq!(encode_value("ü😀"), "%C3%BC%F0%9F%98%80");
    assert_eq!(query::odata_string_literal("O'Neil"), "'O''Neil'");
    assert_eq!(query::odata_string_literal(""), "''");

    let mut q = QueryString::new();
    q.append("$select", "id")
        .append("a b", "c")
        .set("$select", "x,y");
    assert_eq!(q.to_string(), "$select=x,y&a%20b=c");
    assert_eq!(q.get("$select"), Some("x,y"));
    q.remove("$select");
    assert_eq!(q.to_string(), "a%20b=c");
}

/// The request line as bytes on the socket (not re-parsed by a server
/// library): proves that what `QueryString` builds is exactly what is sent,
/// including `'` as `%27`.
#[tokio::test]
async fn raw_request_line_matches_the_encoding_rule() {
    use std::io::{Read, Write};

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut received = Vec::new();
        let mut buf = [0u8; 1024];
        while !received.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            received.extend_from_slice(&buf[..n]);
        }
        stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}")
            .unwrap();
        let text = String::from_utf8(received).unwrap();
        text.lines().next().unwrap().to_owned()
    });

    let client = apigen_runtime::Client::builder()
        .base_url(format!("http://{addr}/beta"))
        .build()
        .unwrap();
    client
        .request(
            Method::GET,
            "/users('a')",
            decode::json::<serde_json::Value>,
        )
        .with_query_options::<CollectionOptions>()
        .filter("name eq 'O''Neil' and x gt 1")
        .select(["id", "name"])
        .query("q", "a&b=c+d#e%f é")
        .await
        .unwrap();
    let request_line = server.join().unwrap();
    assert_eq!(
        request_line,
        "GET /beta/users('a')?$filter=name%20eq%20%27O%27%27Neil%27%20and%20x%20gt%201\
         &$select=id,name&q=a%26b%3Dc%2Bd%23e%25f%20%C3%A9 HTTP/1.1"
    );
}

/// Object-valued parameters: deepObject nests names and repeats arrays, exploded form style
/// gives one parameter per property (arrays repeated, deeper objects as JSON), unexploded form
/// style joins `key,value` pairs; `null`s are skipped everywhere.
#[test]
fn object_parameters_in_every_style() {
    use query::{ObjectStyle, object_pairs};
    let pairs = |v: &serde_json::Value, style| {
        let mut p = object_pairs("filter", v, style);
        p.sort();
        p.into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
    };
    let value = json!({"owner": "ann", "year": 2024, "tags": ["a", "b"], "none": null,
                       "nested": {"x": 1, "y": [true]}});
    assert_eq!(
        pairs(&value, ObjectStyle::DeepObject),
        [
            "filter[nested][x]=1",
            "filter[nested][y]=true",
            "filter[owner]=ann",
            "filter[tags]=a",
            "filter[tags]=b",
            "filter[year]=2024",
        ]
    );
    assert_eq!(
        pairs(&value, ObjectStyle::Form { explode: true }),
        [
            r#"nested={"x":1,"y":[true]}"#,
            "owner=ann",
            "tags=a",
            "tags=b",
            "year=2024",
        ]
    );
    let flat = json!({"owner": "ann", "none": null});
    assert_eq!(
        pairs(&flat, ObjectStyle::Form { explode: false }),
        ["filter=owner,ann"]
    );
}
