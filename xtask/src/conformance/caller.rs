//! Writes the conformance caller: a binary that calls every operation of a generated crate, with
//! arguments synthesized from the spec and decoded into the generated types, and prints one JSON
//! line per call.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use apigen::unstable::ir::{
    self, Api, AuthScheme, Operation, ParamLocation, ResponseBody, StatusMatch,
};
use serde_json::Value;

use super::sample::{Sampler, Want};
use super::signatures::{Method, Pass};

/// The harness code every caller shares.
pub const HARNESS: &str = include_str!("harness.rs.txt");

/// One operation's calls, for the report.
#[derive(Debug, Clone)]
pub struct Planned {
    pub op: String,
    pub skipped: Option<String>,
}

/// The caller's `main.rs`, and what was planned per operation.
pub fn write(api: &Api, doc: &Value, methods: &BTreeMap<String, Method>) -> (String, Vec<Planned>) {
    let sampler = Sampler::new(doc);
    let mut fns = String::new();
    let mut table = String::new();
    let mut planned = Vec::new();
    let mut dispatch = String::new();
    for (i, op) in api.operations.iter().enumerate() {
        let Some(method) = methods.get(&op.name) else {
            planned.push(Planned {
                op: op.api_name.clone(),
                skipped: Some(format!("no method `{}` in the generated client", op.name)),
            });
            continue;
        };
        let raw = raw_operation(doc, op);
        match op_fn(api, &sampler, op, raw, method, i) {
            Ok(code) => {
                fns.push_str(&code);
                let _ = writeln!(
                    dispatch,
                    "        {i} => op_{i}(cx, prefer, full, src, expect).await,"
                );
                for (mode, variant, prefer, full, expect) in calls(op) {
                    let expect = match expect {
                        Some(c) => format!("Some({c})"),
                        None => "None".into(),
                    };
                    let _ = writeln!(
                        table,
                        "    ({i}, {mode:?}, {variant:?}, {prefer:?}, {full}, {expect}, {:?}),",
                        op.api_name
                    );
                }
                planned.push(Planned {
                    op: op.api_name.clone(),
                    skipped: None,
                });
            }
            Err(why) => planned.push(Planned {
                op: op.api_name.clone(),
                skipped: Some(why),
            }),
        }
    }
    let mut main = String::new();
    main.push_str(
        "#![allow(unused, deprecated, clippy::all)]\n// Written by `cargo xtask conformance`.\n",
    );
    main.push_str("mod harness;\nuse harness::*;\nuse sdk::models;\nuse apigen_runtime as rt;\n\n");
    let _ = writeln!(main, "static CALLS: &[Call] = &[\n{table}];\n");
    main.push_str(
        "async fn run(cx: &Cx, i: usize, prefer: &str, full: bool, src: usize, expect: Option<u16>) -> Outcome {\n    match i {\n",
    );
    main.push_str(&dispatch);
    main.push_str("        _ => Outcome::Other(\"no such operation\".into()),\n    }\n}\n\n");
    main.push_str(MAIN);
    main.push_str(&fns);
    (main, planned)
}

const MAIN: &str = r#"#[tokio::main(flavor = "current_thread")]
async fn main() {
    let base_url = std::env::var("APIGEN_BASE_URL").expect("APIGEN_BASE_URL");
    rt::install_default_crypto_provider();
    // Redirects are answers to judge, not to follow (their targets are not on loopback).
    let http = rt::reqwest::Client::builder()
        .redirect(rt::reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client");
    let cx = Cx { base_url, http };
    for call in CALLS {
        let (i, _, _, prefer, full, expect, _) = *call;
        let mut outcome = run(&cx, i, prefer, full, 0, expect).await;
        let mut note = "";
        // The spec's own examples first; when Prism rejects them, synthesized values.
        if matches!(outcome, Outcome::Violation(_) | Outcome::Argument(_)) {
            let second = run(&cx, i, prefer, full, 1, expect).await;
            if matches!(second, Outcome::Pass) {
                note = "the spec's example was rejected; synthesized values passed";
            }
            outcome = second;
        }
        println!("{}", report(call, &outcome, note));
    }
}

"#;

/// The calls of one operation: `(mode, variant, prefer, full, expect)`.
fn calls(op: &Operation) -> Vec<(&'static str, &'static str, String, bool, Option<u16>)> {
    let has_optional = op.params.iter().any(|p| !p.required)
        || op.body.as_ref().is_some_and(|b| !b.required)
        || op.odata.any();
    // An operation whose only documented answer is a redirect (a download's `302 Found`) or a
    // protocol switch (Docker's `101` for a hijacked connection) expects that status; one that
    // documents no success at all (only `404`, a spec defect) expects its first status.
    let success = op.responses.iter().any(|r| r.status.is_success());
    let expected = if success {
        None
    } else {
        let informational = |c: &u16| (100..200).contains(c) || (300..400).contains(c);
        let codes: Vec<u16> = op
            .responses
            .iter()
            .filter_map(|r| match r.status {
                StatusMatch::Code(c) => Some(c),
                _ => None,
            })
            .collect();
        codes
            .iter()
            .copied()
            .find(informational)
            .or_else(|| codes.first().copied())
    };
    // Asked for by code: with a `default` response too, Prism would answer that one as a 200.
    let (plain, dynamic) = match expected {
        Some(c) => (format!("code={c}"), format!("code={c}, dynamic=true")),
        None => (String::new(), "dynamic=true".to_owned()),
    };
    let mut out = vec![("examples", "required", plain.clone(), false, expected)];
    if has_optional {
        out.push(("examples", "all-optional", plain, true, expected));
    }
    out.push(("dynamic", "all-optional", dynamic, true, expected));
    for c in error_statuses(op) {
        out.push(("status", "required", format!("code={c}"), false, Some(c)));
    }
    out
}

/// The error statuses to ask Prism for: every documented code from 400 up; for a range
/// (`4XX`) without a documented code in it, its first code (Prism answers a range's response
/// for any code in it); for `default`, the first of 500, 400 and 503 that nothing else
/// documents.
fn error_statuses(op: &Operation) -> Vec<u16> {
    let mut codes: Vec<u16> = op
        .responses
        .iter()
        .filter_map(|r| match r.status {
            StatusMatch::Code(c) if c >= 400 => Some(c),
            _ => None,
        })
        .collect();
    let covered = |codes: &[u16], c: u16| {
        codes.contains(&c)
            || op.responses.iter().any(|r| match r.status {
                StatusMatch::Code(d) => d == c,
                StatusMatch::Range(r) => u16::from(r) == c / 100,
                StatusMatch::Default => false,
            })
    };
    for r in &op.responses {
        if let StatusMatch::Range(r) = r.status
            && r >= 4
            && !codes.iter().any(|c| c / 100 == u16::from(r))
        {
            codes.push(u16::from(r) * 100);
        }
    }
    if op
        .responses
        .iter()
        .any(|r| r.status == StatusMatch::Default)
        && let Some(c) = [500, 400, 503].into_iter().find(|&c| !covered(&codes, c))
    {
        codes.push(c);
    }
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// The operation object in the raw document.
fn raw_operation<'a>(doc: &'a Value, op: &Operation) -> Option<(&'a Value, &'a Value)> {
    let item = doc.get("paths")?.get(&op.path)?;
    let method = op.method.as_str().to_ascii_lowercase();
    Some((item, item.get(method)?))
}

/// A parameter of the raw operation (operation level first, then path level).
fn raw_param<'a>(
    sampler: &Sampler<'a>,
    raw: Option<(&'a Value, &'a Value)>,
    name: &str,
    location: ParamLocation,
) -> Option<&'a Value> {
    let (item, operation) = raw?;
    let loc = match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    [operation, item].into_iter().find_map(|o| {
        o.get("parameters")?.as_array()?.iter().find_map(|p| {
            let (p, _) = sampler.resolve(p);
            (p.get("name")?.as_str()? == name && p.get("in")?.as_str()? == loc).then_some(p)
        })
    })
}

/// The example and the synthesized value of a parameter (its `schema`, or the schema of its
/// one `content` entry), as JSON text.
fn param_values(sampler: &Sampler, p: &Value, all: bool) -> [String; 2] {
    let schema = p.get("schema").or_else(|| {
        p.get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.values().next()?.get("schema"))
    });
    let mut values = values(sampler, p, schema, all);
    // An empty path segment addresses another resource (and the client refuses it): a path
    // parameter whose example or default is "" (Stoplight's `versionId`) takes a letter.
    if p.get("in").and_then(Value::as_str) == Some("path") {
        for v in &mut values {
            if v == "\"\"" {
                *v = "\"a\"".to_owned();
            }
        }
    }
    values
}

fn body_values(sampler: &Sampler, media: Option<&Value>, all: bool) -> [String; 2] {
    match media {
        Some(media) => values(sampler, media, media.get("schema"), all),
        None => ["{}".into(), "{}".into()],
    }
}

/// `[example, synthesized]` for a parameter or media type object `holder`: its own `example`
/// or first `examples` entry (else one made with the schemas' examples), and a value made
/// from `schema` alone.
fn values(sampler: &Sampler, holder: &Value, schema: Option<&Value>, all: bool) -> [String; 2] {
    let schema = schema.unwrap_or(&Value::Null);
    let example = holder.get("example").cloned().or_else(|| {
        let first = holder.get("examples")?.as_object()?.values().next()?;
        let (e, _) = sampler.resolve(first);
        e.get("value").cloned()
    });
    let want = |examples| Want {
        request: true,
        all,
        examples,
    };
    let synthesized = sampler.sample(schema, want(false));
    let example = example.unwrap_or_else(|| sampler.sample(schema, want(true)));
    [example.to_string(), synthesized.to_string()]
}

/// A Rust raw string literal of `s`.
fn lit(s: &str) -> String {
    let mut hashes = String::from("#");
    while s.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{s}\"{hashes}")
}

fn values_lit(v: &[String; 2]) -> String {
    if v[0] == v[1] {
        format!("&[{}]", lit(&v[0]))
    } else {
        format!("&[{}, {}]", lit(&v[0]), lit(&v[1]))
    }
}

/// Code that binds `var` to the value of an argument passed as `pass`, and the expression
/// that passes it.
fn bind(var: &str, pass: &Pass, values: &str, name: &str, form_kinds: &str) -> (String, String) {
    let decode = |ty: &str| {
        format!(
            "let {var}: {ty} = match cx.arg(src, {values}, {name:?}) {{ Ok(v) => v, Err(o) => return o }};\n"
        )
    };
    match pass {
        Pass::Str => (decode("String"), format!("&{var}")),
        Pass::Ref(t) => (decode(t), format!("&{var}")),
        Pass::Slice(t) if t.replace(' ', "") == "&str" => (
            decode("Vec<String>"),
            format!("&{var}.iter().map(String::as_str).collect::<Vec<_>>()"),
        ),
        Pass::Slice(t) if t.starts_with('&') => (
            decode(&format!("Vec<{}>", &t[1..])),
            format!("&{var}.iter().collect::<Vec<_>>()"),
        ),
        Pass::Slice(t) => (decode(&format!("Vec<{t}>")), format!("&{var}")),
        Pass::OptRef(t) => (decode(t), format!("Some(&{var})")),
        Pass::OptSlice(t) => (
            decode(&format!("Vec<{t}>")),
            format!("Some({var}.as_slice())"),
        ),
        Pass::Value(t) => (decode(t), var.to_owned()),
        Pass::IntoString => (
            format!(
                "let {var}: String = match cx.arg::<serde_json::Value>(src, {values}, {name:?}) {{ Ok(serde_json::Value::String(s)) => s, Ok(v) => v.to_string(), Err(o) => return o }};\n"
            ),
            var.to_owned(),
        ),
        Pass::IntoBytes => (
            format!(
                "let {var}: rt::Bytes = match cx.arg::<serde_json::Value>(src, {values}, {name:?}) {{ Ok(serde_json::Value::String(s)) => rt::Bytes::from(s), Ok(v) => rt::Bytes::from(v.to_string()), Err(o) => return o }};\n"
            ),
            var.to_owned(),
        ),
        Pass::Multipart | Pass::OptMultipart => {
            let code = format!(
                "let {var} = match cx.form(src, {values}, {form_kinds}) {{ Ok(v) => v, Err(o) => return o }};\n"
            );
            let expr = if *pass == Pass::Multipart {
                format!("&{var}")
            } else {
                format!("Some(&{var})")
            };
            (code, expr)
        }
    }
}

/// How each part of a multipart body is sent: a file for binary, text for primitives, JSON
/// otherwise.
fn form_kinds(sampler: &Sampler, media: Option<&Value>) -> String {
    let mut out = String::from("&[");
    let schema = media.and_then(|m| m.get("schema")).unwrap_or(&Value::Null);
    let (schema, _) = sampler.resolve(schema);
    let mut members = vec![schema];
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        members.extend(all.iter().map(|m| sampler.resolve(m).0));
    }
    let props: Vec<(&String, &Value)> = members
        .iter()
        .filter_map(|s| s.get("properties").and_then(Value::as_object))
        .flat_map(|p| p.iter())
        .collect();
    for (name, p) in props {
        let (p, _) = sampler.resolve(p);
        let ty = p.get("type").and_then(Value::as_str).unwrap_or("");
        let format = p.get("format").and_then(Value::as_str).unwrap_or("");
        let kind = if format == "binary" || format == "byte" && ty == "string" {
            "file"
        } else if matches!(ty, "string" | "integer" | "number" | "boolean") {
            "text"
        } else {
            "json"
        };
        let _ = write!(out, "({name:?}, {kind:?}), ");
    }
    out.push(']');
    out
}

/// The credentials the operation's first security requirement asks for (the operation's
/// `security`, else the document's; an empty requirement or list means none).
fn auth_of(api: &Api, doc: &Value, raw: Option<(&Value, &Value)>) -> String {
    let requirements = raw
        .and_then(|(_, o)| o.get("security"))
        .or_else(|| doc.get("security"))
        .and_then(Value::as_array);
    let chosen: Vec<&AuthScheme> = match requirements {
        Some(list) => list
            .first()
            .and_then(Value::as_object)
            .map(|req| {
                req.keys()
                    .filter_map(|name| api.auth.iter().find(|a| scheme_name(a) == name))
                    .collect()
            })
            .unwrap_or_default(),
        None => api.auth.first().into_iter().collect(),
    };
    let items: Vec<String> = chosen
        .iter()
        .map(|a| match a {
            AuthScheme::Bearer { .. } => "Auth::Bearer".to_owned(),
            AuthScheme::Basic { .. } => "Auth::Basic".to_owned(),
            AuthScheme::ApiKey {
                location: ParamLocation::Query,
                param,
                ..
            } => {
                format!("Auth::ApiKeyQuery({param:?})")
            }
            AuthScheme::ApiKey {
                location: ParamLocation::Cookie,
                param,
                ..
            } => {
                format!("Auth::ApiKeyCookie({param:?})")
            }
            AuthScheme::ApiKey { param, .. } => format!("Auth::ApiKeyHeader({param:?})"),
        })
        .collect();
    format!("&[{}]", items.join(", "))
}

fn scheme_name(a: &AuthScheme) -> &str {
    match a {
        AuthScheme::Bearer { name }
        | AuthScheme::Basic { name }
        | AuthScheme::ApiKey { name, .. } => name,
    }
}

/// `async fn op_{i}`: builds the arguments, calls the method, judges the answer.
fn op_fn(
    api: &Api,
    sampler: &Sampler,
    op: &Operation,
    raw: Option<(&Value, &Value)>,
    method: &Method,
    i: usize,
) -> Result<String, String> {
    let mut code = String::new();
    let _ = writeln!(
        code,
        "// {} {} ({})\nasync fn op_{i}(cx: &Cx, prefer: &str, full: bool, src: usize, expect: Option<u16>) -> Outcome {{",
        op.method.as_str(),
        op.path,
        op.api_name
    );
    let _ = writeln!(
        code,
        "    let client = match cx.client(prefer, {}) {{ Ok(c) => c, Err(o) => return o }};",
        auth_of(api, sampler.doc(), raw)
    );
    let media = raw.and_then(|(_, o)| {
        let body = o.get("requestBody")?;
        let (body, _) = sampler.resolve(body);
        // The media type apigen sends, or the range it was declared as (`*/*`), which is sent
        // as the encoding's default.
        let ct = &op.body.as_ref()?.content_type;
        let content = body.get("content")?.as_object()?;
        content.get(ct).or_else(|| {
            content
                .iter()
                .find(|(m, _)| m.contains('*'))
                .map(|(_, v)| v)
        })
    });
    let body_optional = op.body.as_ref().is_some_and(|b| !b.required);
    let mut args = Vec::new();
    for (n, a) in method.args.iter().enumerate() {
        let var = format!("a{n}");
        let (values, kinds) = if a.name == "body" && op.body.is_some() {
            // Required properties only, or every property in the full variant.
            let required = values_lit(&body_values(sampler, media, false));
            let all = values_lit(&body_values(sampler, media, true));
            let values = if required == all {
                required
            } else {
                format!("if full {{ {all} }} else {{ {required} }}")
            };
            (values, form_kinds(sampler, media))
        } else {
            let Some(p) = op.params.iter().find(|p| unraw(&p.name) == a.name) else {
                return Err(format!("argument `{}` matches no parameter", a.name));
            };
            let values = match raw_param(sampler, raw, &p.api_name, p.location) {
                Some(rp) => param_values(sampler, rp, false),
                // A path template variable the operation does not declare (the generator
                // gives it a string argument, and warns): any string.
                None if p.location == ParamLocation::Path => {
                    let undeclared = serde_json::json!({"schema": {"type": "string"}});
                    param_values(sampler, &undeclared, false)
                }
                None => {
                    return Err(format!(
                        "parameter `{}` not found in the document",
                        p.api_name
                    ));
                }
            };
            (values_lit(&values), String::new())
        };
        let (bind_code, expr) = bind(&var, &a.pass, &values, &a.name, &kinds);
        if a.name == "body"
            && body_optional
            && matches!(
                a.pass,
                Pass::OptRef(_) | Pass::OptSlice(_) | Pass::OptMultipart
            )
        {
            // Sent only in the full variant.
            code.push_str("    ");
            code.push_str(&bind_code);
            args.push(format!("if full {{ {expr} }} else {{ None }}"));
            continue;
        }
        code.push_str("    ");
        code.push_str(&bind_code);
        args.push(expr);
    }
    let _ = writeln!(
        code,
        "    let mut req = client.{}({});",
        rust_ident(&op.name),
        args.join(", ")
    );
    // Optional parameters, in the full variant.
    let mut setters = String::new();
    let plan = apigen::unstable::emit::plan::OpPlan::new(api, op);
    if let Some(set) = apigen::unstable::emit::client::setter_set(op, &plan) {
        for (n, (setter, param)) in set.args.iter().zip(&set.params).enumerate() {
            let Some(arg) = method.setters.get(unraw(setter)) else {
                return Err(format!("setter `{setter}` not found on the request type"));
            };
            let Some(p) = op
                .params
                .iter()
                .find(|p| &p.api_name == param && !p.required)
            else {
                continue;
            };
            let Some(rp) = raw_param(sampler, raw, &p.api_name, p.location) else {
                continue;
            };
            let values = values_lit(&param_values(sampler, rp, true));
            let var = format!("s{n}");
            let (bind_code, expr) = bind(&var, &arg.pass, &values, param, "");
            let _ = writeln!(
                setters,
                "        {bind_code}        req = req.{}({expr});",
                rust_ident(setter)
            );
        }
    }
    // OData query options the operation declares, with the spec's own values.
    for (option, call) in odata_options(op) {
        let Some(rp) = raw_param(sampler, raw, option, ParamLocation::Query) else {
            continue;
        };
        let list = !matches!(call, "top" | "skip" | "count" | "filter" | "search");
        let mut values = param_values(sampler, rp, true);
        if list {
            // A list option the spec declares as one string (`$orderby: {type: string}`):
            // that string is the one item.
            for v in &mut values {
                if v.starts_with('"') {
                    *v = format!("[{v}]");
                }
            }
        }
        let values = values_lit(&values);
        let var = format!("o{}", option.trim_start_matches('$'));
        let (ty, expr) = match call {
            "top" | "skip" => ("u32", var.clone()),
            "count" => ("bool", var.clone()),
            "filter" | "search" => ("String", format!("&{var}")),
            _ => ("Vec<String>", var.clone()),
        };
        let _ = write!(
            setters,
            "        let {var}: {ty} = match cx.arg(src, {values}, {option:?}) {{ Ok(v) => v, Err(o) => return o }};\n        req = req.{call}({expr});\n"
        );
    }
    if !setters.is_empty() {
        let _ = write!(code, "    if full {{\n{setters}    }}\n");
    }
    code.push_str("    let sent = req.send().await;\n");
    let routable = !op.path.contains('#');
    let _ = writeln!(
        code,
        "    cx.finish(sent, expect, {routable}, |status, e| match status {{"
    );
    // Match arms: documented codes, then ranges, then `default` (as `_`).
    let mut seen = Vec::new();
    let mut ordered: Vec<(String, &ir::Response)> = Vec::new();
    for r in &op.responses {
        if let StatusMatch::Code(c) = r.status
            && c >= 400
            && !seen.contains(&c)
        {
            seen.push(c);
            ordered.push((c.to_string(), r));
        }
    }
    for r in &op.responses {
        if let StatusMatch::Range(n) = r.status
            && n >= 4
        {
            let n = u16::from(n);
            ordered.push((format!("{}..={}", n * 100, n * 100 + 99), r));
        }
    }
    let default = op
        .responses
        .iter()
        .find(|r| r.status == StatusMatch::Default);
    ordered.extend(default.map(|r| ("_".to_owned(), r)));
    let mut has_catch_all = false;
    for (c, r) in ordered {
        has_catch_all |= c == "_";
        match &r.body {
            ResponseBody::Json(t) => {
                let ty = apigen::unstable::emit::types::rust_type(
                    api,
                    t,
                    apigen::unstable::emit::types::Scope::Crate,
                )
                .to_string()
                .replace("crate ::", "sdk ::");
                let _ = writeln!(code, "        {c} => Some(typed_body::<{ty}>(e)),");
            }
            ResponseBody::ODataError => {
                let _ = writeln!(
                    code,
                    "        {c} => Some(if e.odata_error().is_some() || e.body().is_empty() {{ Ok(()) }} else {{ Err(format!(\"not an OData error: {{}}\", excerpt(&String::from_utf8_lossy(e.body())))) }}),"
                );
            }
            _ if c == "_" => {
                let _ = writeln!(code, "        _ => None,");
            }
            _ => {}
        }
    }
    if !has_catch_all {
        code.push_str("        _ => None,\n");
    }
    code.push_str("    })\n}\n\n");
    Ok(code)
}

/// The OData system query options an operation declares: (wire name, request method).
fn odata_options(op: &Operation) -> Vec<(&'static str, &'static str)> {
    let o: ir::ODataOptions = op.odata;
    let mut out = Vec::new();
    for (on, wire, call) in [
        (o.select, "$select", "select"),
        (o.expand, "$expand", "expand"),
        (o.filter, "$filter", "filter"),
        (o.orderby, "$orderby", "orderby"),
        (o.top, "$top", "top"),
        (o.skip, "$skip", "skip"),
        (o.count, "$count", "count"),
        (o.search, "$search", "search"),
    ] {
        if on {
            out.push((wire, call));
        }
    }
    out
}

fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

fn rust_ident(name: &str) -> String {
    let name = unraw(name);
    const KEYWORDS: &[&str] = &[
        "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
        "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
        "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async",
        "await", "dyn", "abstract", "become", "box", "do", "final", "macro", "override", "priv",
        "typeof", "unsized", "virtual", "yield", "try", "gen",
    ];
    if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}
