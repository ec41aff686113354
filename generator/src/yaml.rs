//! YAML support, kept behind this one module so the YAML crate can be swapped.
//!
//! YAML is read with `saphyr-parser` (pure Rust, maintained, YAML 1.2) event by event into a
//! `serde_json::Value`, with limits that make hostile input harmless: nesting depth, and a node
//! budget that counts alias expansions (so a "billion laughs" alias bomb is an error, not an
//! out-of-memory). Plain scalars follow the YAML 1.2 core schema (`yes`/`no`/`on` stay strings).
//! Positions are recovered on demand by [`locate`], only for diagnostics.
//!
//! Indentation inside flow collections is not checked, as libyaml (PyYAML, Ruby), go-yaml and
//! js-yaml do not check it: a multi-line `{ ... }` or `[ ... ]` whose continuation lines (or
//! closing bracket) sit at or left of the enclosing block's indentation is read (Docker Engine's
//! description has `example: {` ... `}` with the `}` under the `e`). The YAML 1.2 grammar
//! forbids it and `saphyr-parser` refuses it; such a refusal is answered by indenting that line
//! of a copy of the text to the column of the flow collection's opening bracket and reading
//! again (whitespace at the start of a line inside a flow collection means nothing). Every other
//! indentation error stays an error.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use serde_json::{Map, Number, Value};

/// Maximum nesting of sequences and mappings (the same limit serde_json applies to JSON).
pub const MAX_DEPTH: usize = 128;

/// A YAML syntax or structure error with its 1-based position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// What went wrong.
    pub message: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

enum Frame {
    Seq {
        items: Vec<Value>,
        anchor: usize,
        nodes: usize,
    },
    Map {
        map: Map<String, Value>,
        key: Option<String>,
        /// Where the pending key is (1-based line and column).
        key_at: (u32, u32),
        merges: Vec<Value>,
        anchor: usize,
        nodes: usize,
    },
}

/// A key that occurs twice in one mapping (YAML requires keys to be unique): the later value
/// is the one read, as in most YAML readers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The key.
    pub key: String,
    /// 1-based line of its later occurrence.
    pub line: u32,
    /// 1-based column of its later occurrence.
    pub column: u32,
}

/// A pass over the text that failed: the error, and the start (1-based line, 0-based column)
/// of every collection open at that point, outermost first.
struct Failure {
    error: YamlError,
    open: Vec<(usize, usize)>,
}

/// Lines of a text that were indented to read it: 1-based line -> spaces added at its start.
type Padding = std::collections::BTreeMap<usize, usize>;

/// At most this many lines are re-indented in one document (each costs a pass over the text).
const MAX_REPAIRS: usize = 256;

/// Run `pass` over `text`; when it fails on the indentation of a line inside a flow
/// collection, indent that line of a copy to the collection's opening bracket and run again.
fn relaxed<T>(
    text: &str,
    mut pass: impl FnMut(&str) -> Result<T, Failure>,
) -> Result<(T, Padding), YamlError> {
    let mut current = std::borrow::Cow::Borrowed(text);
    let mut padding = Padding::new();
    loop {
        let failure = match pass(&current) {
            Ok(v) => return Ok((v, padding)),
            Err(f) => f,
        };
        if padding.len() >= MAX_REPAIRS {
            return Err(failure.error);
        }
        match reindent(&current, &failure) {
            Some((line, added, repaired)) => {
                *padding.entry(line).or_default() += added;
                current = std::borrow::Cow::Owned(repaired);
            }
            None => {
                let mut error = failure.error;
                if let Some(added) = padding.get(&(error.line as usize)) {
                    error.column = error.column.saturating_sub(*added as u32).max(1);
                }
                return Err(error);
            }
        }
    }
}

/// The text with the line `failure` names indented to the column of the flow collection it is
/// in, when the failure is the indentation of the first token of a line inside one:
/// (line, spaces added, text).
fn reindent(text: &str, failure: &Failure) -> Option<(usize, usize, String)> {
    let e = &failure.error;
    if e.message != "invalid indentation" && e.message != "invalid indentation in flow construct" {
        return None;
    }
    let line_no = e.line as usize;
    let column = (e.column as usize).checked_sub(1)?;
    let line_of = |n: usize| text.split('\n').nth(n.checked_sub(1)?);
    let line = line_of(line_no)?;
    // Only spaces before the token: it is the first of its line.
    if !line.chars().take(column).all(|c| c == ' ') || line.chars().count() <= column {
        return None;
    }
    // The outermost open flow collection gives the column; without one in view (the scanner
    // can fail before the parser reports the collection), one more space is tried.
    let bracket = failure
        .open
        .iter()
        .find_map(|&(l, c)| matches!(line_of(l)?.chars().nth(c)?, '{' | '[').then_some(c));
    let target = match bracket {
        Some(c) if c > column => c,
        Some(_) => return None,
        None => column + 1,
    };
    let added = target - column;
    let start = text
        .split_inclusive('\n')
        .take(line_no - 1)
        .map(str::len)
        .sum::<usize>();
    let mut repaired = String::with_capacity(text.len() + added);
    repaired.push_str(&text[..start]);
    repaired.extend(std::iter::repeat_n(' ', added));
    repaired.push_str(&text[start..]);
    Some((line_no, added, repaired))
}

/// Parse one YAML document into JSON.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    parse_with_duplicates(text).map(|(v, _)| v)
}

/// Parse one YAML document into JSON, with the keys that occur twice in one mapping.
pub fn parse_with_duplicates(text: &str) -> Result<(Value, Vec<DuplicateKey>), YamlError> {
    relaxed(text, parse_once).map(|(v, _)| v)
}

fn parse_once(text: &str) -> Result<(Value, Vec<DuplicateKey>), Failure> {
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut duplicates = Vec::new();
    parse_tracking(text, &mut open, &mut duplicates)
        .map(|v| (v, duplicates))
        .map_err(|error| Failure { error, open })
}

fn parse_tracking(
    text: &str,
    open: &mut Vec<(usize, usize)>,
    duplicates: &mut Vec<DuplicateKey>,
) -> Result<Value, YamlError> {
    let mut anchors: HashMap<usize, (Value, usize)> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Value> = None;
    let mut events = 0usize;
    let mut total_nodes = 0usize;
    let mut documents = 0usize;

    let err = |span: &Span, message: String| YamlError {
        message,
        line: span.start.line() as u32,
        column: span.start.col() as u32 + 1,
    };

    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| YamlError {
            message: e.info().to_owned(),
            line: e.marker().line() as u32,
            column: e.marker().col() as u32 + 1,
        })?;
        events += 1;
        match &event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                open.push((span.start.line(), span.start.col()));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                open.pop();
            }
            _ => {}
        }
        // Budget for nodes created, alias expansions included.
        let budget = 2_000_000usize.max(events.saturating_mul(20));
        let completed: Option<(Value, usize, usize)> = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => None,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(err(
                        &span,
                        "a second YAML document; the spec must be a single document".into(),
                    ));
                }
                None
            }
            Event::Alias(id) => {
                let Some((value, nodes)) = anchors.get(&id) else {
                    return Err(err(&span, "alias to an unknown anchor".into()));
                };
                total_nodes = total_nodes.saturating_add(*nodes);
                if total_nodes > budget {
                    return Err(err(
                        &span,
                        "aliases expand to too many nodes (alias bomb?)".into(),
                    ));
                }
                Some((value.clone(), 0, *nodes))
            }
            Event::Scalar(text, style, anchor, tag) => {
                total_nodes += 1;
                let is_key = matches!(stack.last(), Some(Frame::Map { key: None, .. }));
                let value = if is_key {
                    Value::String(text.into_owned())
                } else {
                    let tag_suffix = tag.as_ref().map(|t| t.suffix.as_str());
                    scalar(&text, style, tag_suffix)
                };
                Some((value, anchor, 1))
            }
            Event::SequenceStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(err(
                        &span,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
                if matches!(stack.last(), Some(Frame::Map { key: None, .. })) {
                    return Err(err(&span, "a sequence used as a mapping key".into()));
                }
                stack.push(Frame::Seq {
                    items: Vec::new(),
                    anchor,
                    nodes: 1,
                });
                None
            }
            Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(err(
                        &span,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
                if matches!(stack.last(), Some(Frame::Map { key: None, .. })) {
                    return Err(err(&span, "a mapping used as a mapping key".into()));
                }
                stack.push(Frame::Map {
                    map: Map::new(),
                    key: None,
                    key_at: (0, 0),
                    merges: Vec::new(),
                    anchor,
                    nodes: 1,
                });
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq {
                    items,
                    anchor,
                    nodes,
                }) => {
                    total_nodes += 1;
                    Some((Value::Array(items), anchor, nodes))
                }
                _ => return Err(err(&span, "unbalanced sequence end".into())),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map {
                    mut map,
                    merges,
                    anchor,
                    nodes,
                    ..
                }) => {
                    total_nodes += 1;
                    // `<<` merge keys: explicit keys win over merged ones, earlier merges win.
                    for merge in merges {
                        if let Value::Object(m) = merge {
                            for (k, v) in m {
                                map.entry(k).or_insert(v);
                            }
                        }
                    }
                    Some((Value::Object(map), anchor, nodes))
                }
                _ => return Err(err(&span, "unbalanced mapping end".into())),
            },
        };
        if total_nodes > budget {
            return Err(err(&span, "the document has too many nodes".into()));
        }
        let Some((value, anchor, nodes)) = completed else {
            continue;
        };
        if anchor > 0 {
            anchors.insert(anchor, (value.clone(), nodes));
        }
        match stack.last_mut() {
            None => root = Some(value),
            Some(Frame::Seq {
                items, nodes: n, ..
            }) => {
                *n = n.saturating_add(nodes);
                items.push(value);
            }
            Some(Frame::Map {
                map,
                key,
                key_at,
                merges,
                nodes: n,
                ..
            }) => {
                *n = n.saturating_add(nodes);
                match key.take() {
                    None => {
                        // A key is a scalar (or an alias to one): this event is the key.
                        *key_at = (span.start.line() as u32, span.start.col() as u32 + 1);
                        match value {
                            Value::String(s) => *key = Some(s),
                            other => *key = Some(other.to_string()),
                        }
                    }
                    Some(k) if k == "<<" => match value {
                        Value::Array(items) => merges.extend(items),
                        other => merges.push(other),
                    },
                    Some(k) => {
                        if map.contains_key(&k) {
                            duplicates.push(DuplicateKey {
                                key: k.clone(),
                                line: key_at.0,
                                column: key_at.1,
                            });
                        }
                        map.insert(k, value);
                    }
                }
            }
        }
    }
    Ok(root.unwrap_or(Value::Null))
}

/// Resolve a scalar by the YAML 1.2 core schema.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&str>) -> Value {
    match tag {
        Some("str") => return Value::String(text.to_owned()),
        Some("null") => return Value::Null,
        Some("bool") => {
            return match text {
                "true" | "True" | "TRUE" => Value::Bool(true),
                "false" | "False" | "FALSE" => Value::Bool(false),
                _ => Value::String(text.to_owned()),
            };
        }
        _ => {}
    }
    if style != ScalarStyle::Plain {
        return Value::String(text.to_owned());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(n) = parse_int(text) {
        return n;
    }
    if is_float(text)
        && let Ok(f) = text.parse::<f64>()
        && let Some(n) = Number::from_f64(f)
    {
        return Value::Number(n);
    }
    Value::String(text.to_owned())
}

fn parse_int(text: &str) -> Option<Value> {
    let (neg, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let parsed = if let Some(hex) = digits.strip_prefix("0x") {
        u64::from_str_radix(hex, 16).ok()?
    } else if let Some(oct) = digits.strip_prefix("0o") {
        u64::from_str_radix(oct, 8).ok()?
    } else if digits.bytes().all(|b| b.is_ascii_digit()) {
        match digits.parse::<u64>() {
            Ok(v) => v,
            // Too large for 64 bits: keep the digits as written.
            Err(_) => return Some(Value::String(text.to_owned())),
        }
    } else {
        return None;
    };
    if neg {
        // `-9223372036854775808` is i64::MIN, whose magnitude is not an i64.
        match i64::try_from(-i128::from(parsed)) {
            Ok(v) => Some(Value::Number(v.into())),
            Err(_) => Some(Value::String(text.to_owned())),
        }
    } else {
        Some(Value::Number(parsed.into()))
    }
}

fn is_float(text: &str) -> bool {
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let mantissa_ok = {
        let mut parts = mantissa.splitn(2, '.');
        let int = parts.next().unwrap_or("");
        let frac = parts.next();
        let int_ok = int.bytes().all(|b| b.is_ascii_digit());
        let frac_ok = frac.is_none_or(|f| f.bytes().all(|b| b.is_ascii_digit()));
        int_ok && frac_ok && (!int.is_empty() || frac.is_some_and(|f| !f.is_empty()))
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok && (mantissa.contains('.') || exponent.is_some())
}

/// Find the 1-based line and column of the element at `pointer` (the mapping key for an entry of
/// a mapping). When the exact element is not found (e.g. it is reached through an alias), the
/// position of its deepest existing ancestor is returned.
pub fn locate(text: &str, pointer: &str) -> Option<(u32, u32)> {
    locate_all(text, &[pointer]).pop().flatten()
}

/// [`locate`] for many pointers, in one pass over the text.
pub fn locate_all(text: &str, pointers: &[&str]) -> Vec<Option<(u32, u32)>> {
    let mut targets = crate::source::Targets::new(pointers);
    // A text that does not read at all has no positions; the part read before the error
    // keeps its own.
    let padding = relaxed(text, |t| walk(t, |path, span| targets.visit(path, span)))
        .map(|(_, padding)| padding)
        .unwrap_or_default();
    let pos = |s: &Span| {
        let added = padding.get(&s.start.line()).copied().unwrap_or(0);
        (
            s.start.line() as u32,
            (s.start.col().saturating_sub(added)) as u32 + 1,
        )
    };
    targets
        .finish()
        .into_iter()
        .map(|s| s.map(|s| pos(&s)))
        .collect()
}

/// Walk YAML text, calling `visit` with the path and span of every node (the span of its key
/// for a mapping entry) until it returns true. Stops at a syntax error, returning it.
fn walk(text: &str, mut visit: impl FnMut(&[String], Span) -> bool) -> Result<(), Failure> {
    enum Ctx {
        Seq(usize),
        Map {
            key: Option<String>,
            key_span: Option<Span>,
        },
    }
    let mut stack: Vec<Ctx> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut open: Vec<(usize, usize)> = Vec::new();

    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| Failure {
            error: YamlError {
                message: e.info().to_owned(),
                line: e.marker().line() as u32,
                column: e.marker().col() as u32 + 1,
            },
            open: std::mem::take(&mut open),
        })?;
        match &event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                open.push((span.start.line(), span.start.col()));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                open.pop();
            }
            _ => {}
        }
        let starts_node = matches!(
            event,
            Event::Scalar(..)
                | Event::SequenceStart(..)
                | Event::MappingStart(..)
                | Event::Alias(_)
        );
        if starts_node {
            // A key of a mapping?
            if let Some(Ctx::Map { key, key_span }) = stack.last_mut()
                && key.is_none()
            {
                if let Event::Scalar(text, ..) = &event {
                    *key = Some(text.to_string());
                    *key_span = Some(span);
                }
                continue;
            }
            // A value: compute its path.
            let (segment, report_span) = match stack.last_mut() {
                None => (None, span),
                Some(Ctx::Seq(i)) => {
                    let s = i.to_string();
                    *i += 1;
                    (Some(s), span)
                }
                Some(Ctx::Map { key, key_span }) => {
                    let s = key.take().unwrap_or_default();
                    let ks = key_span.take().unwrap_or(span);
                    (Some(s), ks)
                }
            };
            if let Some(segment) = &segment {
                path.push(segment.clone());
            }
            if visit(&path, report_span) {
                return Ok(());
            }
            match event {
                Event::SequenceStart(..) => stack.push(Ctx::Seq(0)),
                Event::MappingStart(..) => stack.push(Ctx::Map {
                    key: None,
                    key_span: None,
                }),
                _ => {
                    if segment.is_some() {
                        path.pop();
                    }
                }
            }
        } else if matches!(event, Event::SequenceEnd | Event::MappingEnd) {
            stack.pop();
            if !stack.is_empty() {
                path.pop();
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integers_at_the_ends_of_i64_stay_integers() {
        let v = parse("a: 9223372036854775807\nb: -9223372036854775808\nc: -9223372036854775809\n")
            .unwrap();
        assert_eq!(v["a"].as_i64(), Some(i64::MAX));
        assert_eq!(v["b"].as_i64(), Some(i64::MIN));
        assert_eq!(v["c"], json!("-9223372036854775809"));
    }

    #[test]
    fn core_schema_scalars() {
        let v = parse("a: 1\nb: -2\nc: 1.5\nd: yes\ne: ~\nf: 'true'\ng: true\nh: 0x1F\ni: on\nj: 1e3\nk: 3.0.1\n200: ok\n").unwrap();
        assert_eq!(
            v,
            json!({"a":1,"b":-2,"c":1.5,"d":"yes","e":null,"f":"true","g":true,"h":31,"i":"on","j":1000.0,"k":"3.0.1","200":"ok"})
        );
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let v = parse("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\nlist: [*b, *b]\n").unwrap();
        assert_eq!(
            v,
            json!({"base":{"x":1,"y":2},"other":{"y":3,"x":1},"list":[{"x":1,"y":2},{"x":1,"y":2}]})
        );
    }

    #[test]
    fn alias_bomb_is_an_error() {
        let mut doc = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let (prev, next) = (w[0], w[1]);
            doc.push_str(&format!(
                "{next}: &{next} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
        }
        let e = parse(&doc).unwrap_err();
        assert!(e.message.contains("too many nodes"), "{e:?}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let doc = "[".repeat(100_000);
        let e = parse(&doc).unwrap_err();
        assert!(
            e.message.contains("nesting") || e.message.contains("recursion"),
            "{e:?}"
        );
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = parse("a: 1\nb: [1, 2\n").unwrap_err();
        assert!(e.line >= 2, "{e:?}");
    }

    /// Flow collections whose lines sit at or left of the block indentation (Docker Engine's
    /// description) read as libyaml, go-yaml and js-yaml read them, and positions stay those
    /// of the text as written; other indentation errors stay errors.
    #[test]
    fn flow_collections_ignore_indentation() {
        let text = "a:\n  example: {\n    \"x\": 1,\n  \"y\": [\n1,\n  2\n]\n  }\n  b: {c: 1}\nd: [\n{e: 1}\n]\n";
        let v = parse(text).unwrap();
        assert_eq!(
            v,
            json!({"a": {"example": {"x": 1, "y": [1, 2]}, "b": {"c": 1}}, "d": [{"e": 1}]})
        );
        assert_eq!(locate(text, "/a/b"), Some((9, 3)));
        assert_eq!(locate(text, "/d/0/e"), Some((11, 2)));
        // A block mapping entry indented wrongly is still an error.
        assert!(parse("a:\n    b: 1\n  c: 2\n").is_err());
        assert!(parse("a: {b: 1\n").is_err());
    }

    #[test]
    fn locate_finds_keys() {
        let text = "openapi: 3.0.0\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\nlist:\n  - a\n  - b: 1\n";
        assert_eq!(locate(text, "/paths/~1pets/get"), Some((4, 5)));
        assert_eq!(
            locate(text, "/paths/~1pets/get/responses/200/description"),
            Some((7, 11))
        );
        assert_eq!(locate(text, "/list/1/b"), Some((10, 5)));
        // Missing element: the deepest ancestor.
        assert_eq!(locate(text, "/paths/~1pets/post"), Some((3, 3)));
    }
}
