//! JSON values synthesized from an OpenAPI (3.x) schema, for the conformance caller's arguments
//! and request bodies: the spec's examples first (when asked), then defaults, `const` and enum
//! members, then values made from the type, format and bounds.

use serde_json::{Map, Value, json};

/// What a value is for, and how much of it to write.
#[derive(Debug, Clone, Copy)]
pub struct Want {
    /// A request value: `readOnly` properties are left out.
    pub request: bool,
    /// Every property, not only the required ones.
    pub all: bool,
    /// Use `example`/`examples`/`default` of the schemas met on the way.
    pub examples: bool,
}

/// Deepest nesting followed before optional properties are dropped, and then before the value
/// is cut short (recursive schemas).
const OPTIONAL_DEPTH: usize = 6;
const MAX_DEPTH: usize = 16;

/// Synthesizes values from schemas of one document.
pub struct Sampler<'a> {
    doc: &'a Value,
}

impl<'a> Sampler<'a> {
    pub fn new(doc: &'a Value) -> Self {
        Self { doc }
    }

    /// The document.
    pub fn doc(&self) -> &'a Value {
        self.doc
    }

    /// Follows local `$ref`s (`#/...`); returns the target and the last reference's name.
    pub fn resolve(&self, mut v: &'a Value) -> (&'a Value, Option<&'a str>) {
        let mut name = None;
        for _ in 0..32 {
            let Some(r) = v.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let Some(target) = self.pointer(r) else {
                break;
            };
            name = r.rsplit('/').next();
            v = target;
        }
        (v, name)
    }

    /// The value at a local reference (`#/a/b~1c`, percent-encoded or not).
    pub fn pointer(&self, reference: &str) -> Option<&'a Value> {
        let pointer = reference.strip_prefix('#')?;
        self.doc
            .pointer(&apigen::unstable::openapi::percent_decode(pointer))
    }

    /// A value for `schema`.
    pub fn sample(&self, schema: &'a Value, want: Want) -> Value {
        self.value(schema, want, 0)
    }

    fn value(&self, schema: &'a Value, want: Want, depth: usize) -> Value {
        // `$ref` with sibling `required`/`properties` (3.1, and bundlers' output in 3.0, which
        // Prism applies): the target and the siblings together.
        if schema.get("$ref").is_some()
            && (schema.get("required").is_some() || schema.get("properties").is_some())
            && depth <= MAX_DEPTH
        {
            let (_, name) = self.resolve(schema);
            return self.all_of(schema, want, depth, name);
        }
        let (s, name) = self.resolve(schema);
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        if want.examples {
            if let Some(e) = s.get("example") {
                return e.clone();
            }
            if let Some(e) = s
                .get("examples")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
            {
                return e.clone();
            }
        }
        if let Some(c) = s.get("const") {
            return c.clone();
        }
        if want.examples
            && let Some(d) = s.get("default")
            && !d.is_null()
        {
            return d.clone();
        }
        if let Some(members) = s.get("enum").and_then(Value::as_array)
            && let Some(first) = members.iter().find(|m| !m.is_null())
        {
            // An array whose own enum lists non-arrays: the generator reads the members as
            // the items' values.
            if s.get("type").and_then(Value::as_str) == Some("array") && !first.is_array() {
                return Value::Array(vec![first.clone()]);
            }
            return first.clone();
        }
        if s.get("allOf").is_some() {
            return self.all_of(s, want, depth, name);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(members) = s.get(key).and_then(Value::as_array) {
                return self.one_of(s, members, want, depth);
            }
        }
        self.typed(s, want, depth, name)
    }

    /// `allOf`: one object schema made of the members' properties and `required` lists (a
    /// member may require what another declares), sampled once; a member that is not an
    /// object (`allOf: [{$ref: Slug}]`) gives the value when there are no properties.
    fn all_of(&self, s: &'a Value, want: Want, depth: usize, name: Option<&str>) -> Value {
        let mut props: Vec<(&'a String, &'a Value)> = Vec::new();
        let mut required: Vec<&'a str> = Vec::new();
        let mut scalar = None;
        let mut extra = Vec::new();
        let mut tag_prop = None;
        self.flatten(
            s,
            &mut props,
            &mut required,
            &mut scalar,
            &mut extra,
            &mut tag_prop,
            0,
        );
        if props.is_empty()
            && let Some(one) = scalar
        {
            return self.value(one, want, depth + 1);
        }
        let mut v = Value::Object(self.properties(&props, &required, want, depth));
        for m in extra {
            if let Value::Object(o) = self.value(m, want, depth + 1) {
                for (k, val) in o {
                    if let Value::Object(out) = &mut v {
                        merge(out, k, val);
                    }
                }
            }
        }
        // The tag of a discriminated parent: this schema's own name or mapping key, unless
        // the property's schema fixes the value (enum, const).
        if let (Some((prop, parent)), Some(name), Value::Object(o)) = (tag_prop, name, &mut v) {
            let fixed = props
                .iter()
                .find(|(k, _)| k.as_str() == prop)
                .map(|(_, p)| self.resolve(p).0)
                .is_some_and(|p| p.get("enum").is_some() || p.get("const").is_some());
            if !fixed {
                let tag = mapping_key(parent, name).unwrap_or_else(|| name.to_owned());
                o.insert(prop.to_owned(), Value::String(tag));
            }
        }
        v
    }

    /// Collects the properties and `required` lists of `s` and its `allOf` members, nested.
    #[allow(clippy::too_many_arguments)]
    fn flatten(
        &self,
        s: &'a Value,
        props: &mut Vec<(&'a String, &'a Value)>,
        required: &mut Vec<&'a str>,
        scalar: &mut Option<&'a Value>,
        extra: &mut Vec<&'a Value>,
        tag_prop: &mut Option<(&'a str, &'a Value)>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        if s.get("$ref").is_some() {
            let (target, _) = self.resolve(s);
            self.flatten(target, props, required, scalar, extra, tag_prop, depth + 1);
        }
        if let Some(p) = discriminator_property(s) {
            tag_prop.get_or_insert((p, s));
        }
        if let Some(p) = s.get("properties").and_then(Value::as_object) {
            for (k, v) in p {
                if !props.iter().any(|(have, _)| *have == k) {
                    props.push((k, v));
                }
            }
        }
        if let Some(r) = s.get("required").and_then(Value::as_array) {
            for name in r.iter().filter_map(Value::as_str) {
                if !required.contains(&name) {
                    required.push(name);
                }
            }
        }
        if let Some(members) = s.get("allOf").and_then(Value::as_array) {
            for m in members {
                let (r, _) = self.resolve(m);
                // Unions, and maps (`additionalProperties` without `properties`, which may
                // need `minProperties` entries), are sampled on their own and merged.
                let map = r.get("properties").is_none()
                    && r.get("allOf").is_none()
                    && r.get("additionalProperties").is_some_and(Value::is_object);
                if r.get("oneOf").is_some() || r.get("anyOf").is_some() || map {
                    extra.push(m);
                } else if r.get("properties").is_none()
                    && r.get("allOf").is_none()
                    && r.get("type")
                        .and_then(Value::as_str)
                        .is_some_and(|t| t != "object")
                {
                    scalar.get_or_insert(m);
                } else {
                    self.flatten(r, props, required, scalar, extra, tag_prop, depth + 1);
                }
            }
        }
    }

    /// `oneOf`/`anyOf`: the first member that is not only `null`, tagged when there is a
    /// discriminator.
    fn one_of(&self, s: &'a Value, members: &'a [Value], want: Want, depth: usize) -> Value {
        let chosen = members
            .iter()
            .find(|m| {
                let (r, _) = self.resolve(m);
                !is_null_only(r)
            })
            .or(members.first());
        let Some(chosen) = chosen else {
            return Value::Null;
        };
        let mut v = self.value(chosen, want, depth + 1);
        if let (Some(prop), Value::Object(o)) = (discriminator_property(s), &mut v) {
            let reference = chosen.get("$ref").and_then(Value::as_str);
            let tag = reference.and_then(|r| {
                s.pointer("/discriminator/mapping")
                    .and_then(Value::as_object)
                    .and_then(|m| {
                        m.iter()
                            .find(|(_, target)| target.as_str() == Some(r))
                            .map(|(k, _)| k.clone())
                    })
                    .or_else(|| r.rsplit('/').next().map(str::to_owned))
            });
            if let Some(tag) = tag {
                o.entry(prop.to_owned()).or_insert(Value::String(tag));
            }
        }
        // Properties the parent declares next to `oneOf`.
        if let (Some(_), Value::Object(o)) = (s.get("properties"), &mut v)
            && let Value::Object(own) = self.typed(s, want, depth, None)
        {
            for (k, val) in own {
                o.entry(k).or_insert(val);
            }
        }
        v
    }

    fn typed(&self, s: &'a Value, want: Want, depth: usize, name: Option<&str>) -> Value {
        let ty = match s.get("type") {
            Some(Value::String(t)) => Some(t.as_str()),
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(Value::as_str)
                .find(|t| *t != "null")
                .or(Some("null")),
            _ => None,
        };
        let ty = ty.unwrap_or(if s.get("properties").is_some() {
            "object"
        } else if s.get("items").is_some() {
            "array"
        } else if s.get("additionalProperties").is_some() {
            "object"
        } else {
            ""
        });
        match ty {
            "object" => self.object(s, want, depth, name),
            "array" => {
                let n = s
                    .get("minItems")
                    .and_then(Value::as_u64)
                    .unwrap_or(1)
                    .max(1);
                let n = s
                    .get("maxItems")
                    .and_then(Value::as_u64)
                    .map_or(n, |max| n.min(max));
                let items = s.get("items").unwrap_or(&Value::Null);
                let one = if items.is_null() {
                    Value::String("item".into())
                } else {
                    self.value(items, want, depth + 1)
                };
                if depth >= OPTIONAL_DEPTH && s.get("minItems").is_none() {
                    return json!([]);
                }
                Value::Array((0..n).map(|i| distinct(&one, i)).collect())
            }
            "string" => Value::String(string(s)),
            "integer" => integer(s),
            "number" => number(s),
            "boolean" => Value::Bool(true),
            "null" => Value::Null,
            _ => Value::String("value".into()),
        }
    }

    /// The values of `props` that are written: required ones, and the others when `want.all`
    /// (not too deep); `readOnly` ones only in responses, `writeOnly` ones only in requests.
    fn properties(
        &self,
        props: &[(&'a String, &'a Value)],
        required: &[&str],
        want: Want,
        depth: usize,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for (key, prop) in props {
            let is_required = required.contains(&key.as_str());
            let (resolved, _) = self.resolve(prop);
            let read_only = flag(resolved, "readOnly") || flag(prop, "readOnly");
            let write_only = flag(resolved, "writeOnly") || flag(prop, "writeOnly");
            if (want.request && read_only) || (!want.request && write_only) {
                continue;
            }
            if !is_required && (!want.all || depth >= OPTIONAL_DEPTH) {
                continue;
            }
            let mut v = self.value(prop, want, depth + 1);
            if v.is_null() && !is_required && !nullable(resolved) {
                continue;
            }
            if v.is_null() && !nullable(resolved) {
                v = json!({});
            }
            out.insert((*key).clone(), v);
        }
        // A required property the schema does not declare (a spec defect, but servers and
        // Prism insist on it): any value, carried by the model's bag of other properties.
        for name in required {
            if !props.iter().any(|(k, _)| k.as_str() == *name) {
                out.entry((*name).to_owned())
                    .or_insert_with(|| Value::String("value".into()));
            }
        }
        out
    }

    fn object(&self, s: &'a Value, want: Want, depth: usize, name: Option<&str>) -> Value {
        let required: Vec<&str> = s
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let props: Vec<(&'a String, &'a Value)> = s
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| p.iter().collect())
            .unwrap_or_default();
        let mut out = self.properties(&props, &required, want, depth);
        // A schema that is its own discriminated parent: its own tag.
        if let (Some(prop), Some(name)) = (discriminator_property(s), name)
            && !out.contains_key(prop)
        {
            let tag = mapping_key(s, name).unwrap_or_else(|| name.to_owned());
            out.insert(prop.to_owned(), Value::String(tag));
        }
        let min = s.get("minProperties").and_then(Value::as_u64).unwrap_or(0) as usize;
        if out.len() < min
            && let Some(extra) = s.get("additionalProperties").filter(|a| a.is_object())
        {
            let mut i = 0;
            while out.len() < min {
                out.insert(format!("key{i}"), self.value(extra, want, depth + 1));
                i += 1;
            }
        }
        Value::Object(out)
    }
}

fn merge(into: &mut Map<String, Value>, key: String, value: Value) {
    match (into.get_mut(&key), value) {
        (Some(Value::Object(a)), Value::Object(b)) => {
            for (k, v) in b {
                merge(a, k, v);
            }
        }
        (Some(_), v) if v.is_null() => {}
        (_, v) => {
            into.insert(key, v);
        }
    }
}

/// Item `i` of an array of `one`s: strings and numbers made distinct (for `uniqueItems`).
fn distinct(one: &Value, i: u64) -> Value {
    match one {
        _ if i == 0 => one.clone(),
        Value::String(s) => Value::String(format!("{s}{i}")),
        Value::Number(n) if n.is_i64() => json!(n.as_i64().unwrap_or(0) + i as i64),
        v => v.clone(),
    }
}

fn flag(s: &Value, key: &str) -> bool {
    s.get(key).and_then(Value::as_bool) == Some(true)
}

fn nullable(s: &Value) -> bool {
    flag(s, "nullable")
        || s.get("type")
            .and_then(Value::as_array)
            .is_some_and(|t| t.iter().any(|t| t == "null"))
}

fn is_null_only(s: &Value) -> bool {
    s.get("type").and_then(Value::as_str) == Some("null")
        || (flag(s, "nullable")
            && s.get("type").is_none()
            && s.get("properties").is_none()
            && s.get("$ref").is_none()
            && s.get("allOf").is_none())
}

fn discriminator_property(s: &Value) -> Option<&str> {
    s.pointer("/discriminator/propertyName")
        .and_then(Value::as_str)
}

/// The discriminator mapping key that names the component `name`.
fn mapping_key(s: &Value, name: &str) -> Option<String> {
    let mapping = s.pointer("/discriminator/mapping")?.as_object()?;
    mapping
        .iter()
        .find(|(_, target)| {
            target
                .as_str()
                .is_some_and(|t| t.rsplit('/').next() == Some(name) || t == name)
        })
        .map(|(k, _)| k.clone())
}

/// A value of a string `format` this sampler knows.
pub fn format_example(format: &str) -> Option<&'static str> {
    Some(match format {
        "date-time" => "2024-01-02T03:04:05Z",
        "date" => "2024-01-02",
        "time" => "03:04:05",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "email" => "user@example.com",
        "uri" | "url" | "uri-reference" | "iri" => "https://example.com/a",
        "hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" | "base64" | "base64url" => "aGVsbG8=",
        "duration" => "P1D",
        "int32" | "int64" | "integer" => "1",
        _ => return None,
    })
}

fn string(s: &Value) -> String {
    let format = s.get("format").and_then(Value::as_str).unwrap_or("");
    let base = match (
        format_example(format),
        s.get("pattern").and_then(Value::as_str),
    ) {
        (Some(e), _) => e.to_owned(),
        (None, Some(p)) => regex_sample(p).unwrap_or_else(|| "string".to_owned()),
        (None, None) => "string".to_owned(),
    };
    let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = s
        .get("maxLength")
        .and_then(Value::as_u64)
        .map(|m| m as usize);
    let mut out = base;
    while out.chars().count() < min {
        out.push('a');
    }
    if let Some(max) = max
        && out.chars().count() > max
    {
        out = out.chars().take(max).collect();
    }
    out
}

fn bounds(s: &Value) -> (Option<f64>, Option<f64>, bool, bool) {
    let get = |k: &str| s.get(k).and_then(Value::as_f64);
    // 3.0: exclusiveMinimum is a flag; 3.1: a number.
    let (min, ex_min) = match s.get("exclusiveMinimum") {
        Some(Value::Number(n)) => (n.as_f64(), true),
        Some(Value::Bool(b)) => (get("minimum"), *b),
        _ => (get("minimum"), false),
    };
    let (max, ex_max) = match s.get("exclusiveMaximum") {
        Some(Value::Number(n)) => (n.as_f64(), true),
        Some(Value::Bool(b)) => (get("maximum"), *b),
        _ => (get("maximum"), false),
    };
    (min, max, ex_min, ex_max)
}

fn integer(s: &Value) -> Value {
    let (min, max, ex_min, ex_max) = bounds(s);
    let mut v: i64 = match (min, max) {
        (Some(min), _) => min.ceil() as i64 + i64::from(ex_min && min.fract() == 0.0),
        (None, Some(max)) if max < 1.0 => {
            max.floor() as i64 - i64::from(ex_max && max.fract() == 0.0)
        }
        _ => 1,
    };
    if let Some(m) = s.get("multipleOf").and_then(Value::as_f64)
        && m >= 1.0
    {
        let m = m as i64;
        v = ((v + m - 1).div_euclid(m)) * m;
    }
    json!(v)
}

fn number(s: &Value) -> Value {
    let (min, max, ex_min, ex_max) = bounds(s);
    let v = match (min, max) {
        (Some(min), Some(max)) => (min + max) / 2.0,
        (Some(min), None) => min + if ex_min { 1.0 } else { 0.0 },
        (None, Some(max)) if max < 1.0 => max - if ex_max { 1.0 } else { 0.0 },
        _ => 1.0,
    };
    if v.fract() == 0.0 && v.abs() < 1e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

/// A string matching the regular expression `pattern`, for the common subset written in API
/// descriptions (literals, classes, escapes, groups with alternatives, quantifiers, anchors);
/// `None` when it uses something else.
pub fn regex_sample(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut pos = 0;
    let out = regex_alt(&chars, &mut pos)?;
    (pos == chars.len()).then_some(out)
}

fn regex_alt(c: &[char], pos: &mut usize) -> Option<String> {
    let first = regex_seq(c, pos)?;
    while *pos < c.len() && c[*pos] == '|' {
        *pos += 1;
        regex_seq(c, pos)?;
    }
    Some(first)
}

fn regex_seq(c: &[char], pos: &mut usize) -> Option<String> {
    let mut out = String::new();
    while *pos < c.len() && c[*pos] != '|' && c[*pos] != ')' {
        let atom: String = match c[*pos] {
            '^' | '$' => {
                *pos += 1;
                continue;
            }
            '(' => {
                *pos += 1;
                // Groups: `(...)`, `(?:...)`, `(?<name>...)`, and lookarounds. A lookahead
                // `(?=X)` is written out as a sample of X (passwords' `(?=.*[A-Z])` needs an
                // upper-case letter somewhere; the text after it usually takes any letter);
                // negative lookarounds and lookbehinds add nothing.
                let mut keep = true;
                if c.get(*pos) == Some(&'?') {
                    match (c.get(*pos + 1), c.get(*pos + 2)) {
                        (Some(':' | '='), _) => *pos += 2,
                        (Some('!'), _) => {
                            keep = false;
                            *pos += 2;
                        }
                        (Some('<'), Some('=' | '!')) => {
                            keep = false;
                            *pos += 3;
                        }
                        (Some('<'), _) => {
                            let end = c[*pos..].iter().position(|&x| x == '>')? + *pos;
                            *pos = end + 1;
                        }
                        _ => return None,
                    }
                }
                let inner = regex_alt(c, pos)?;
                if c.get(*pos) != Some(&')') {
                    return None;
                }
                *pos += 1;
                if !keep {
                    continue;
                }
                inner
            }
            '[' => {
                *pos += 1;
                let negated = c.get(*pos) == Some(&'^');
                if negated {
                    *pos += 1;
                }
                let mut first: Option<char> = None;
                let mut members = Vec::new();
                let mut start = true;
                while *pos < c.len() && (c[*pos] != ']' || start) {
                    start = false;
                    let ch = if c[*pos] == '\\' {
                        *pos += 1;
                        let e = *c.get(*pos)?;
                        class_escape(e)
                    } else {
                        c[*pos]
                    };
                    *pos += 1;
                    if c.get(*pos) == Some(&'-') && c.get(*pos + 1).is_some_and(|&x| x != ']') {
                        *pos += 1;
                        let hi = if c[*pos] == '\\' {
                            *pos += 1;
                            *c.get(*pos)?
                        } else {
                            c[*pos]
                        };
                        *pos += 1;
                        members.push((ch, hi));
                    } else {
                        members.push((ch, ch));
                    }
                    first = first.or(Some(ch));
                }
                if c.get(*pos) != Some(&']') {
                    return None;
                }
                *pos += 1;
                if negated {
                    let ok = ['a', 'x', '0', 'Z', '_'];
                    ok.iter()
                        .find(|ch| !members.iter().any(|(lo, hi)| (*lo..=*hi).contains(ch)))?
                        .to_string()
                } else {
                    // Prefer a letter or digit from the class.
                    members
                        .iter()
                        .find(|(lo, _)| lo.is_ascii_alphanumeric())
                        .map(|(lo, _)| *lo)
                        .or(first)?
                        .to_string()
                }
            }
            '\\' => {
                *pos += 1;
                let e = *c.get(*pos)?;
                *pos += 1;
                class_escape(e).to_string()
            }
            '.' => {
                *pos += 1;
                "a".to_owned()
            }
            '*' | '+' | '?' | '{' => return None,
            ch => {
                *pos += 1;
                ch.to_string()
            }
        };
        // Quantifier.
        let (min, _max) = match c.get(*pos) {
            Some('*') => {
                *pos += 1;
                (0, None)
            }
            Some('+') => {
                *pos += 1;
                (1, None)
            }
            Some('?') => {
                *pos += 1;
                (0, Some(1))
            }
            Some('{') => {
                let end = c[*pos..].iter().position(|&x| x == '}')? + *pos;
                let body: String = c[*pos + 1..end].iter().collect();
                *pos = end + 1;
                let mut parts = body.splitn(2, ',');
                let min: usize = parts.next()?.trim().parse().ok()?;
                let max = parts.next().and_then(|m| m.trim().parse::<usize>().ok());
                (min, max)
            }
            _ => (1, Some(1)),
        };
        // Lazy or possessive markers after a quantifier.
        let quantified = (min, _max) != (1, Some(1)) || matches!(c.get(*pos - 1), Some('+' | '}'));
        if quantified && matches!(c.get(*pos), Some('?' | '+')) {
            *pos += 1;
        }
        let n = if min == 0 {
            1.min(_max.unwrap_or(1))
        } else {
            min
        };
        for _ in 0..n {
            out.push_str(&atom);
        }
    }
    Some(out)
}

fn class_escape(e: char) -> char {
    match e {
        'd' => '1',
        'w' => 'a',
        's' => ' ',
        'D' | 'W' | 'S' => '-',
        'n' => '\n',
        't' => '\t',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A map reached through `allOf` (a description beside a `$ref`) keeps its
    /// `minProperties`.
    #[test]
    fn maps_behind_all_of_get_their_minimum_entries() {
        let doc = json!({"components": {"schemas": {
            "Names": {"type": "object", "minProperties": 1,
                      "additionalProperties": {"type": "string", "minLength": 2}},
            "Activity": {"type": "object", "required": ["attributes"], "properties": {
                "attributes": {"allOf": [{"$ref": "#/components/schemas/Names"},
                                         {"description": "1-50 names"}]}}}
        }}});
        let s = Sampler::new(&doc);
        let want = Want {
            request: true,
            all: false,
            examples: false,
        };
        let v = s.sample(&json!({"$ref": "#/components/schemas/Activity"}), want);
        assert_eq!(v, json!({"attributes": {"key0": "string"}}));
    }

    #[test]
    fn patterns_give_matching_strings() {
        assert_eq!(regex_sample("^[a-z]{3}-\\d+$").as_deref(), Some("aaa-1"));
        assert_eq!(regex_sample("^(ab|cd)?x$").as_deref(), Some("abx"));
        assert_eq!(regex_sample("[^0-9]+").as_deref(), Some("a"));
        assert_eq!(
            regex_sample("^\\w{2,5}@(?:foo)$").as_deref(),
            Some("aa@foo")
        );
        assert_eq!(regex_sample("(?=x)").as_deref(), Some("x"));
        assert_eq!(regex_sample("(?<y>ab)(?!c)").as_deref(), Some("ab"));
        // A password rule: lower, upper and digit somewhere, none of a few symbols.
        assert_eq!(
            regex_sample(r#"^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?!.*[@'\\"/])[a-zA-Z0-9\S]*$"#)
                .as_deref(),
            Some("aaaAa1a")
        );
        assert_eq!(regex_sample("(?q)"), None);
        assert_eq!(regex_sample(r#"^"([0-9]+?)"$"#).as_deref(), Some(r#""0""#));
        assert_eq!(regex_sample("^a{2}?b*?$").as_deref(), Some("aab"));
    }

    #[test]
    fn objects_have_required_properties_and_discriminator_tags() {
        let doc = json!({
            "components": {"schemas": {
                "Pet": {"type": "object", "required": ["kind"],
                        "properties": {"kind": {"type": "string"}},
                        "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}},
                "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"},
                                  {"type": "object", "required": ["lives"],
                                   "properties": {"lives": {"type": "integer", "minimum": 1},
                                                  "id": {"type": "string", "readOnly": true},
                                                  "name": {"type": "string", "minLength": 8}}}]}
            }}
        });
        let s = Sampler::new(&doc);
        let cat = json!({"$ref": "#/components/schemas/Cat"});
        let want = Want {
            request: true,
            all: true,
            examples: false,
        };
        assert_eq!(
            s.sample(&cat, want),
            json!({"kind": "cat", "lives": 1, "name": "stringaa"})
        );
        let want = Want {
            request: false,
            all: false,
            examples: false,
        };
        assert_eq!(s.sample(&cat, want), json!({"kind": "cat", "lives": 1}));
    }
}
