//! The one place where names from a description become Rust names.
//!
//! - Words are split at punctuation, at lower-to-upper case changes and before the last capital
//!   of an acronym (`HTTPServer` -> `HTTP`, `Server`).
//! - Non-ASCII characters become `uXXXX` words, so every identifier is plain ASCII.
//! - Keywords become raw identifiers (`r#type`), or get a trailing `_` where Rust forbids a raw
//!   identifier (`self`, `Self`, `super`, `crate`).
//! - A name that starts with a digit gets a prefix; an empty name gets a fallback.
//! - [`NameScope`] makes names unique inside one scope with a stable numeric suffix, so two
//!   description names never silently share one Rust name.

use std::collections::{BTreeMap, HashSet};

/// Rust keywords (strict and reserved, all editions).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Names the generated `Client` already uses for its own methods.
pub const CLIENT_RESERVED: &[&str] = &[
    "new",
    "builder",
    "core",
    "base_url",
    "base_url_with",
    "from_core",
    "clone",
    "fmt",
    "into",
    "from",
];

/// Names an operation method's arguments cannot take: `self`, its `body` argument, and
/// `request`, the request the generated code builds in a local binding of that name.
pub const ARG_RESERVED: &[&str] = &["self", "body", "request"];

/// Names generated code uses unqualified next to the models (prelude types, and what model files
/// import), so no model type may take them: an API schema named `String` becomes `String2`.
pub const MODEL_RESERVED: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Split a name into words.
pub fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        if !cur.is_empty() {
            out.push(std::mem::take(cur));
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii() {
            // Latin letters with diacritics keep their base letter (`café` -> `cafe`); other
            // letters and digits become `uXXXX` words.
            if let Some(base) = transliterate(c) {
                if base.starts_with(|b: char| b.is_ascii_uppercase())
                    && chars
                        .get(i.wrapping_sub(1))
                        .is_some_and(|p| p.is_lowercase())
                {
                    flush(&mut cur, &mut out);
                }
                cur.push_str(base);
                continue;
            }
            flush(&mut cur, &mut out);
            if c.is_alphanumeric() {
                out.push(format!("u{:04x}", c as u32));
            }
            continue;
        }
        if !c.is_ascii_alphanumeric() {
            flush(&mut cur, &mut out);
            continue;
        }
        if c.is_ascii_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            // fooBar -> foo|Bar ; HTTPServer -> HTTP|Server ; v2Beta -> v2|Beta
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                flush(&mut cur, &mut out);
            }
        }
        cur.push(c);
    }
    flush(&mut cur, &mut out);
    out
}

/// The ASCII base of a Latin letter with a diacritic (Latin-1 and Latin Extended-A).
fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'Æ' => "Ae",
        'æ' => "ae",
        'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => "C",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'Ð' | 'Ď' | 'Đ' => "D",
        'ð' | 'ď' | 'đ' => "d",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "E",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "G",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'Ĥ' | 'Ħ' => "H",
        'ĥ' | 'ħ' => "h",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => "I",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'Ĵ' => "J",
        'ĵ' => "j",
        'Ķ' => "K",
        'ķ' => "k",
        'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => "L",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'Ñ' | 'Ń' | 'Ņ' | 'Ň' => "N",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' => "O",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'Œ' => "Oe",
        'œ' => "oe",
        'Ŕ' | 'Ŗ' | 'Ř' => "R",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'Ś' | 'Ŝ' | 'Ş' | 'Š' => "S",
        'ś' | 'ŝ' | 'ş' | 'š' => "s",
        'ß' => "ss",
        'Ţ' | 'Ť' | 'Ŧ' => "T",
        'ţ' | 'ť' | 'ŧ' => "t",
        'Þ' => "Th",
        'þ' => "th",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => "U",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'Ŵ' => "W",
        'ŵ' => "w",
        'Ý' | 'Ŷ' | 'Ÿ' => "Y",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// `snake_case` (not yet a valid identifier: see [`snake_ident`]).
pub fn snake_case(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// `PascalCase` (not yet a valid identifier: see [`pascal_ident`]).
pub fn pascal_case(name: &str) -> String {
    let mut out = String::new();
    for w in words(name) {
        let mut chars = w.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.push_str(&chars.as_str().to_ascii_lowercase());
        }
    }
    out
}

/// A snake_case identifier that is valid Rust: fields, arguments, methods.
pub fn snake_ident(name: &str, fallback: &str) -> String {
    let mut s = snake_case(name);
    if s.is_empty() {
        s = fallback.to_owned();
    }
    if s.as_bytes()[0].is_ascii_digit() {
        s = format!("_{s}");
    }
    fix_keyword(s)
}

/// The cargo feature of an area whose module is `module` (a [`snake_ident`], without `r#`):
/// kebab-case, and without the `_` that [`snake_ident`] puts before a leading digit, which
/// would become a `-`, a character no feature may start with (`2021-01-01` for the path
/// segment `2021-01-01`, module `_2021_01_01`).
pub fn feature_name(module: &str) -> String {
    let bare = match module.strip_prefix('_') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
        _ => module,
    };
    bare.replace('_', "-")
}

/// A PascalCase identifier that is valid Rust: types and variants.
pub fn pascal_ident(name: &str, fallback: &str) -> String {
    let mut s = pascal_case(name);
    if s.is_empty() {
        s = fallback.to_owned();
    }
    if s.as_bytes()[0].is_ascii_digit() {
        s = format!("{}{s}", &fallback[..1].to_ascii_uppercase());
    }
    fix_keyword(s)
}

fn fix_keyword(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// A type name built from a parent's Rust name and a part from the description (`Pet` +
/// `owner` -> `PetOwner`): only the new part is re-cased, so nested names stay readable.
pub fn join_hint(base: &str, part: &str) -> String {
    format!("{base}{}", pascal_case(part))
}

/// A type identifier from a hint: a hint that is already plain ASCII PascalCase (built with
/// [`join_hint`]) is kept as it is; anything else goes through [`pascal_ident`].
/// The name of the request type of operation `op` (the builder its method returns when it has
/// optional parameters): `GetReportRequest`. An operation whose name already ends in `Request`
/// (Graph's `createAccessPackageAssignmentRequest`) gets `...RequestCall`, not a stuttering
/// `...RequestRequest`.
pub fn request_type_name(op: &str) -> String {
    let stem = pascal_case(op);
    let suffix = if stem.ends_with("Request") {
        "Call"
    } else {
        "Request"
    };
    type_ident(&format!("{stem}{suffix}"))
}

/// The name of the marker of the optional parameters that request types share: after the
/// parameters (`args`, at most three) when several operations share it, else after `op`.
pub fn params_marker_name(op: &str, args: &[String], shared: bool) -> String {
    let stem: String = if shared && args.len() <= 3 {
        args.iter().map(|a| pascal_case(a)).collect()
    } else {
        pascal_case(op)
    };
    type_ident(&format!("{stem}Params"))
}

pub fn type_ident(hint: &str) -> String {
    let plain = hint.starts_with(|c: char| c.is_ascii_uppercase())
        && hint.chars().all(|c| c.is_ascii_alphanumeric());
    if plain {
        fix_keyword(hint.to_owned())
    } else {
        pascal_ident(hint, "Type")
    }
}

/// Name for an enum value: identifiers by [`pascal_ident`], pure punctuation by its spelling.
pub fn variant_name(value: &str) -> String {
    let spelled: String = value
        .chars()
        .map(|c| match c {
            '*' => " Star ".to_owned(),
            '+' => " Plus ".to_owned(),
            '-' if value.len() == 1 || value[1..].chars().all(|c| c.is_ascii_digit()) => {
                " Minus ".to_owned()
            }
            '<' => " Lt ".to_owned(),
            '>' => " Gt ".to_owned(),
            '=' => " Eq ".to_owned(),
            '!' => " Not ".to_owned(),
            '.' if value.len() == 1 => " Dot ".to_owned(),
            '/' if value.len() == 1 => " Slash ".to_owned(),
            '@' if value.len() == 1 => " At ".to_owned(),
            c => c.to_string(),
        })
        .collect();
    pascal_ident(&spelled, "Value")
}

/// English singular of a plural noun written in camelCase or snake_case (last word only).
pub fn singularize(name: &str) -> String {
    // Find the last word's start so only it changes: accessPackages -> accessPackage.
    let ws = words(name);
    let Some(last) = ws.last() else {
        return name.to_owned();
    };
    let start = name.len() - last.len();
    if !name.ends_with(last.as_str()) {
        return name.to_owned();
    }
    let lower = last.to_ascii_lowercase();
    let singular_lower: Option<String> = match lower.as_str() {
        "people" => Some("person".into()),
        "children" => Some("child".into()),
        "men" => Some("man".into()),
        "women" => Some("woman".into()),
        "data" | "metadata" | "media" | "news" | "series" | "species" | "status" | "analysis"
        | "basis" | "bus" | "gas" | "alias" | "canvas" | "campus" | "corpus" | "virus"
        | "census" | "consensus" | "bonus" | "focus" | "radius" | "apparatus" | "process"
        | "access" | "address" | "class" | "business" | "success" => None,
        l if l.ends_with("ies") && l.len() > 4 => Some(format!("{}y", &l[..l.len() - 3])),
        l if l.ends_with("sses")
            || l.ends_with("shes")
            || l.ends_with("ches")
            || l.ends_with("xes")
            || l.ends_with("zes") =>
        {
            Some(l[..l.len() - 2].to_owned())
        }
        l if l.ends_with("statuses") || l.ends_with("aliases") || l.ends_with("processes") => {
            Some(l[..l.len() - 2].to_owned())
        }
        l if l.ends_with("ss") || l.ends_with("us") || l.ends_with("is") => None,
        l if l.ends_with('s') && l.len() > 1 => Some(l[..l.len() - 1].to_owned()),
        _ => None,
    };
    match singular_lower {
        None => name.to_owned(),
        Some(s) => {
            // Re-apply the original capitalisation of the word's first letter.
            let mut out = name[..start].to_owned();
            let mut chars = s.chars();
            if let Some(first) = chars.next() {
                if last.starts_with(|c: char| c.is_ascii_uppercase()) {
                    out.push(first.to_ascii_uppercase());
                } else {
                    out.push(first);
                }
                // Keep acronym casing (e.g. `IDs` -> `ID`).
                let rest: String = chars.collect();
                if last.len() > 1 && last[1..].chars().all(|c| !c.is_ascii_lowercase()) {
                    out.push_str(&rest.to_ascii_uppercase());
                } else {
                    out.push_str(&rest);
                }
            }
            out
        }
    }
}

/// Unique names in one scope (a module's types, a struct's fields, a client's methods).
#[derive(Debug, Default, Clone)]
pub struct NameScope {
    used: HashSet<String>,
}

impl NameScope {
    /// A scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        NameScope {
            used: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Take `name`, or the first free `name2`, `name3`... (`name_2` for snake case names).
    pub fn claim(&mut self, name: &str) -> String {
        if self.used.insert(name.to_owned()) {
            return name.to_owned();
        }
        let raw = name.strip_prefix("r#").unwrap_or(name);
        let snake = raw
            .trim_start_matches('_')
            .chars()
            .next()
            .is_none_or(|c| !c.is_ascii_uppercase());
        let base = raw.trim_end_matches('_');
        for n in 2.. {
            let candidate = if snake {
                format!("{base}_{n}")
            } else {
                format!("{base}{n}")
            };
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
        unreachable!("an unbounded range always yields a free name")
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }
}

/// Rust type names for a list of description type names, in the same order.
///
/// A qualified name (`microsoft.graph.security.alert`) is named after its last segment. When
/// several share that segment, the one with the fewest segments (then the first in order) keeps
/// it, and the others are qualified with as many preceding segments as make them distinct
/// (`SecurityAlert`). Remaining clashes get a numeric suffix. The result does not depend on
/// anything but the input list.
pub fn type_names(api_names: &[&str], reserved: &[&str]) -> Vec<String> {
    let segments: Vec<Vec<&str>> = api_names
        .iter()
        .map(|n| {
            let s: Vec<&str> = n.split(['.', '/']).filter(|s| !s.is_empty()).collect();
            if s.is_empty() { vec![*n] } else { s }
        })
        .collect();
    let short = |i: usize, take: usize| -> String {
        let segs = &segments[i];
        let from = segs.len().saturating_sub(take);
        pascal_ident(&segs[from..].join(" "), "Type")
    };
    // Group by the last-segment name.
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for i in 0..api_names.len() {
        groups.entry(short(i, 1)).or_default().push(i);
    }
    let mut names: Vec<String> = vec![String::new(); api_names.len()];
    for (base, members) in groups {
        if members.len() == 1 {
            names[members[0]] = base;
            continue;
        }
        let primary = *members
            .iter()
            .min_by_key(|&&i| (segments[i].len(), i))
            .expect("group is not empty");
        names[primary] = base.clone();
        for &i in &members {
            if i == primary {
                continue;
            }
            let mut take = 2;
            let mut candidate = short(i, take);
            while take < segments[i].len()
                && members
                    .iter()
                    .any(|&j| j != i && short(j, take.min(segments[j].len())) == candidate)
            {
                take += 1;
                candidate = short(i, take);
            }
            names[i] = candidate;
        }
    }
    let mut scope = NameScope::with_reserved(reserved);
    names.iter().map(|n| scope.claim(n)).collect()
}

/// One segment of a path template, classified for naming.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// A literal name (`users`).
    Noun(String),
    /// A key (`{user-id}`).
    Key,
    /// A bound action or function (`microsoft.graph.cancel`, `delta()`), or `$count`.
    Call(String),
}

/// A segment that addresses an entity by key in parentheses (`people('{person-id}')`,
/// `trips({trip-id})`) is a noun and a key, as `people/{person-id}` is; any other is one
/// segment ([`classify`]).
fn classify_keyed(segment: &str) -> Vec<Segment> {
    if let Some((head, inner)) = segment.strip_suffix(')').and_then(|s| s.split_once('(')) {
        let key = inner
            .strip_prefix('\'')
            .and_then(|k| k.strip_suffix('\''))
            .unwrap_or(inner);
        if !head.is_empty() && key.starts_with('{') && key.ends_with('}') && !key.contains('=') {
            return vec![classify(head), Segment::Key];
        }
    }
    vec![classify(segment)]
}

fn classify(segment: &str) -> Segment {
    if segment.starts_with('{') && segment.ends_with('}') {
        return Segment::Key;
    }
    match segment {
        "$count" => return Segment::Call("count".into()),
        "$value" => return Segment::Noun("content".into()),
        "$ref" => return Segment::Noun("ref".into()),
        _ => {}
    }
    // `ns.name(params)` or `ns.name`: an OData operation. A dot alone (`v1.0`, `file.json`)
    // is not, unless followed by parentheses or a namespace-like prefix.
    let head = segment.split('(').next().unwrap_or(segment);
    let has_parens = segment.contains('(');
    if let Some((ns, name)) = head.rsplit_once('.')
        && !name.is_empty()
        && ns.contains('.')
        && !ns.starts_with('{')
    {
        return Segment::Call(name.to_owned());
    }
    if has_parens {
        return Segment::Call(head.to_owned());
    }
    Segment::Noun(segment.to_owned())
}

/// A method name derived from the HTTP method and path, for operations without an
/// `operationId` and for CSDL input: `GET /users` -> `list_users` (a collection) or
/// `get_users`, `GET /users/{id}` -> `get_user`, `POST /users` -> `create_user`,
/// `PATCH /users/{id}` -> `update_user`, `PUT` -> `replace_*`, `DELETE` -> `delete_*`,
/// `POST /users/{id}/microsoft.graph.cancel` -> `cancel_user`. Nouns followed by a key are
/// singular (`/users/{id}/messages` -> `list_user_messages`).
pub fn operation_name_from_path(method: crate::ir::Method, path: &str, collection: bool) -> String {
    use crate::ir::Method;
    let segments: Vec<Segment> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .flat_map(classify_keyed)
        .collect();
    let ends_with_key = matches!(segments.last(), Some(Segment::Key));
    // Nouns, singular where an item of the collection is addressed.
    let mut nouns: Vec<String> = Vec::new();
    let mut call: Option<String> = None;
    for (i, seg) in segments.iter().enumerate() {
        let next_is_key = matches!(segments.get(i + 1), Some(Segment::Key));
        match seg {
            Segment::Key => {}
            Segment::Noun(n) => {
                let last = i + 1 == segments.len();
                let singular = next_is_key || (last && method == Method::Post && call.is_none());
                nouns.push(if singular { singularize(n) } else { n.clone() });
            }
            Segment::Call(name) => {
                if i + 1 == segments.len() {
                    call = Some(name.clone());
                } else {
                    nouns.push(name.clone());
                }
            }
        }
    }
    let verb = match (&call, method) {
        (Some(c), _) => c.clone(),
        (None, Method::Get) if !ends_with_key && collection => "list".into(),
        (None, Method::Get) => "get".into(),
        (None, Method::Post) => "create".into(),
        (None, Method::Patch) => "update".into(),
        (None, Method::Put) => "replace".into(),
        (None, Method::Delete) => "delete".into(),
        (None, Method::Head) => "head".into(),
        (None, Method::Options) => "options".into(),
        (None, Method::Trace) => "trace".into(),
    };
    if nouns.is_empty() {
        if call.is_some() {
            return snake_case(&verb);
        }
        nouns.push("root".into());
    }
    let mut out = snake_case(&verb);
    for n in nouns {
        let s = snake_case(&n);
        if !s.is_empty() {
            out.push('_');
            out.push_str(&s);
        }
    }
    out
}

/// The variant of a union (or of an untagged enum's value) read when the tag names no known
/// type: `Unknown`, or the first free name after it.
pub const UNKNOWN_UNION_VARIANT: &str = "Unknown";

/// The variant of an open string enum that keeps a value not known when the crate was
/// generated: `UnknownValue`, or the first free name after it.
pub const UNKNOWN_ENUM_VARIANT: &str = "UnknownValue";

/// The struct field that keeps properties the description does not declare.
pub const PROPERTY_BAG_FIELD: &str = "additional_properties";

/// The argument of an ETag precondition (`If-Match` on deletes and updates).
pub const IF_MATCH_ARG: &str = "if_match";

/// The variant of an operation's by-status response enum for `status`: the status's name for
/// the common successes (`Ok`, `Created`, `NoContent`...), else `Status<code>`, `Other<n>xx`
/// for a range and `Other` for `default`.
pub fn status_variant_name(status: &crate::ir::StatusMatch) -> String {
    use crate::ir::StatusMatch;
    match status {
        StatusMatch::Code(200) => "Ok".into(),
        StatusMatch::Code(201) => "Created".into(),
        StatusMatch::Code(202) => "Accepted".into(),
        StatusMatch::Code(203) => "NonAuthoritative".into(),
        StatusMatch::Code(204) => "NoContent".into(),
        StatusMatch::Code(205) => "ResetContent".into(),
        StatusMatch::Code(206) => "PartialContent".into(),
        StatusMatch::Code(207) => "MultiStatus".into(),
        StatusMatch::Code(c) => format!("Status{c}"),
        StatusMatch::Range(r) => format!("Other{r}xx"),
        StatusMatch::Default => "Other".into(),
    }
}

/// The name a group of merged types takes: the longest run of words that ends every one of
/// `names` (`EventDeclineBody` for `MeCalendarEventsEventDeclineBody` and
/// `UsersUserEventsEventDeclineBody`), when it has two words or more, is a valid type name and
/// is not reserved; `None` otherwise. Whether another type has it is the caller's question.
pub fn common_suffix_name(names: &[&str]) -> Option<String> {
    let words: Vec<Vec<String>> = names
        .iter()
        .map(|n| words(n.trim_start_matches("r#")))
        .collect();
    let first = words.first()?;
    let mut common = 0;
    while words.iter().all(|w| w.len() > common)
        && words
            .iter()
            .all(|w| w[w.len() - 1 - common] == first[first.len() - 1 - common])
    {
        common += 1;
    }
    let name = first[first.len() - common..].concat();
    (common >= 2 && !MODEL_RESERVED.contains(&name.as_str()) && name == type_ident(&name))
        .then_some(name)
}

/// The methods of a generated crate's `mock::MockServer` that are not stubs of operations (the
/// runtime's `mock_server!` defines them, and its server's methods are reached through `Deref`).
pub const MOCK_SERVER_METHODS: &[&str] = &[
    "start",
    "client",
    "client_builder",
    "runtime",
    "stub",
    "deref",
    "uri",
    "wiremock",
    "received_requests",
    "unmatched",
    "take_unmatched",
    "check",
    "verify",
];

/// The stub method of each operation on `mock::MockServer`, from the operations' client method
/// names (in order): the same name, unless it is one of [`MOCK_SERVER_METHODS`], which gets
/// `_stub` (made unique among all of them).
pub fn mock_stub_names(op_names: &[&str]) -> Vec<String> {
    let mut scope = NameScope::with_reserved(MOCK_SERVER_METHODS);
    for name in op_names {
        if !MOCK_SERVER_METHODS.contains(name) {
            scope.claim(name);
        }
    }
    op_names
        .iter()
        .map(|name| {
            if MOCK_SERVER_METHODS.contains(name) {
                scope.claim(&format!("{}_stub", name.trim_start_matches("r#")))
            } else {
                (*name).to_owned()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An entity addressed by key in parentheses is named as one addressed by a key segment.
    #[test]
    fn keys_in_parentheses_name_like_key_segments() {
        use crate::ir::Method;
        for (segments, parentheses) in [
            ("/customers/{customer-id}", "/customers('{customer-id}')"),
            (
                "/people/{person-id}/trips/{trip-id}",
                "/people('{person-id}')/trips({trip-id})",
            ),
            (
                "/people/{person-id}/ns.shareTrip",
                "/people('{person-id}')/ns.shareTrip",
            ),
        ] {
            for method in [Method::Get, Method::Patch, Method::Delete, Method::Post] {
                assert_eq!(
                    operation_name_from_path(method, parentheses, true),
                    operation_name_from_path(method, segments, true),
                    "{method:?} {parentheses}"
                );
            }
        }
        // Function arguments are not a key.
        assert_eq!(
            operation_name_from_path(
                Method::Get,
                "/getNearestAirport(lat={lat},lon={lon})",
                false
            ),
            "get_nearest_airport"
        );
    }

    /// Features are kebab-case and start as cargo requires: with a letter, a digit or `_`.
    #[test]
    fn feature_names() {
        assert_eq!(feature_name("identity_governance"), "identity-governance");
        assert_eq!(
            feature_name(&snake_ident("2021-01-01", "root")),
            "2021-01-01"
        );
        assert_eq!(feature_name("_2021_01_01_2"), "2021-01-01-2");
        assert_eq!(feature_name("self_"), "self-");
    }

    /// Request types do not stutter; markers are named after few shared parameters.
    #[test]
    fn request_type_names() {
        assert_eq!(request_type_name("get_report"), "GetReportRequest");
        assert_eq!(
            request_type_name("deleteAccessPackageAssignmentRequest"),
            "DeleteAccessPackageAssignmentRequestCall"
        );
        assert_eq!(request_type_name("4oDBrowse"), "T4oDBrowseRequest");
        let args = ["top".to_owned(), "skip".to_owned()];
        assert_eq!(
            params_marker_name("list_users", &args, true),
            "TopSkipParams"
        );
        assert_eq!(
            params_marker_name("list_users", &args, false),
            "ListUsersParams"
        );
    }

    #[test]
    fn words_split_like_people_read_them() {
        assert_eq!(
            words("accessPackageAssignmentRequest"),
            ["access", "Package", "Assignment", "Request"]
        );
        assert_eq!(words("HTTPServer"), ["HTTP", "Server"]);
        assert_eq!(words("ODataError"), ["O", "Data", "Error"]);
        assert_eq!(words("@odata.nextLink"), ["odata", "next", "Link"]);
        assert_eq!(words("foo-bar_baz 9"), ["foo", "bar", "baz", "9"]);
        assert_eq!(words("café"), ["cafe"]);
        assert_eq!(words("Ünïcödé"), ["Unicode"]);
        assert_eq!(words("日本"), ["u65e5", "u672c"]);
        assert_eq!(words("straße"), ["strasse"]);
    }

    #[test]
    fn identifiers_are_valid_rust() {
        assert_eq!(
            snake_ident("accessPackageAssignmentRequest-id", "x"),
            "access_package_assignment_request_id"
        );
        assert_eq!(snake_ident("type", "x"), "r#type");
        assert_eq!(snake_ident("self", "x"), "self_");
        assert_eq!(snake_ident("async", "x"), "r#async");
        assert_eq!(snake_ident("", "field"), "field");
        assert_eq!(snake_ident("2fa", "x"), "_2fa");
        assert_eq!(snake_ident("@odata.type", "x"), "odata_type");
        assert_eq!(pascal_ident("Self", "T"), "Self_");
        assert_eq!(
            pascal_ident("microsoft graph user", "T"),
            "MicrosoftGraphUser"
        );
        assert_eq!(pascal_ident("2xx", "Value"), "V2xx");
        assert_eq!(pascal_ident("", "Value"), "Value");
    }

    #[test]
    fn variants_from_punctuation() {
        assert_eq!(variant_name("*"), "Star");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(variant_name("id desc"), "IdDesc");
        assert_eq!(variant_name("unknownFutureValue"), "UnknownFutureValue");
        assert_eq!(variant_name("+"), "Plus");
        assert_eq!(variant_name("a-b"), "AB");
    }

    #[test]
    fn singular_forms() {
        assert_eq!(
            singularize("accessPackageAssignmentRequests"),
            "accessPackageAssignmentRequest"
        );
        assert_eq!(singularize("policies"), "policy");
        assert_eq!(singularize("addresses"), "address");
        assert_eq!(singularize("status"), "status");
        assert_eq!(singularize("people"), "person");
        assert_eq!(singularize("mailboxes"), "mailbox");
        assert_eq!(singularize("Users"), "User");
        assert_eq!(
            singularize("accessPackageAssignmentApprovals"),
            "accessPackageAssignmentApproval"
        );
        assert_eq!(singularize("settings"), "setting");
        assert_eq!(singularize("IDs"), "ID");
    }

    #[test]
    fn scopes_suffix_stably() {
        let mut s = NameScope::with_reserved(&["Client"]);
        assert_eq!(s.claim("Client"), "Client2");
        assert_eq!(s.claim("Pet"), "Pet");
        assert_eq!(s.claim("Pet"), "Pet2");
        let mut f = NameScope::default();
        assert_eq!(f.claim("foo_bar"), "foo_bar");
        assert_eq!(f.claim("foo_bar"), "foo_bar_2");
        assert_eq!(f.claim("r#type"), "r#type");
        assert_eq!(f.claim("r#type"), "type_2");
        let mut v = NameScope::default();
        assert_eq!(v.claim("Self_"), "Self_");
        assert_eq!(v.claim("Self_"), "Self2");
    }

    #[test]
    fn qualified_type_names() {
        let names = type_names(
            &[
                "microsoft.graph.alert",
                "microsoft.graph.security.alert",
                "microsoft.graph.user",
                "microsoft.graph.ODataErrors.ODataError",
                "Client",
            ],
            &["Client"],
        );
        assert_eq!(
            names,
            ["Alert", "SecurityAlert", "User", "ODataError", "Client2"]
        );
    }

    #[test]
    fn operation_names_from_paths() {
        use crate::ir::Method;
        let n = operation_name_from_path;
        assert_eq!(
            n(Method::Get, "/accessPackageAssignmentRequests", true),
            "list_access_package_assignment_requests"
        );
        assert_eq!(
            n(Method::Post, "/accessPackageAssignmentRequests", false),
            "create_access_package_assignment_request"
        );
        assert_eq!(
            n(
                Method::Get,
                "/accessPackageAssignmentRequests/{accessPackageAssignmentRequest-id}",
                false
            ),
            "get_access_package_assignment_request"
        );
        assert_eq!(n(Method::Patch, "/users/{user-id}", false), "update_user");
        assert_eq!(
            n(
                Method::Delete,
                "/users/{user-id}/messages/{message-id}",
                false
            ),
            "delete_user_message"
        );
        assert_eq!(
            n(Method::Get, "/users/{user-id}/messages", true),
            "list_user_messages"
        );
        assert_eq!(n(Method::Get, "/me", false), "get_me");
        assert_eq!(
            n(
                Method::Post,
                "/identityGovernance/entitlementManagement/accessPackageAssignmentRequests/{accessPackageAssignmentRequest-id}/microsoft.graph.cancel",
                false
            ),
            "cancel_identity_governance_entitlement_management_access_package_assignment_request"
        );
        assert_eq!(
            n(
                Method::Get,
                "/accessPackageAssignmentRequests/microsoft.graph.filterByCurrentUser(on='{on}')",
                true
            ),
            "filter_by_current_user_access_package_assignment_requests"
        );
        assert_eq!(n(Method::Get, "/users/$count", false), "count_users");
        assert_eq!(n(Method::Get, "/", false), "get_root");
        assert_eq!(
            n(Method::Get, "/v1.0/file.json", false),
            "get_v1_0_file_json"
        );
    }

    #[test]
    fn mock_stub_names_avoid_the_servers_own_methods() {
        assert_eq!(
            mock_stub_names(&["get_user", "start", "start_stub", "verify"]),
            ["get_user", "start_stub_2", "start_stub", "verify_stub"]
        );
    }
}
