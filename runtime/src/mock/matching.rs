//! Matching a request against a stub: path templates, query options, headers and JSON bodies,
//! each failure said in words for the unmatched-request report.

use std::collections::BTreeMap;

use percent_encoding::percent_decode_str;
use serde_json::Value;

/// One piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    /// A parameter; `quoted`: between `'` in the template (an OData key string literal, whose
    /// `'` are doubled inside).
    Param {
        name: String,
        quoted: bool,
    },
}

/// A path template as the description writes it (`/users/{user-id}/photo`,
/// `/reports/getX(period='{period}')`), matched against request paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    text: String,
    pieces: Vec<Piece>,
}

impl Template {
    pub(crate) fn parse(text: &str) -> Template {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            let before = &rest[..start];
            let after = &rest[start + len + 1..];
            let quoted = before.ends_with('\'') && after.starts_with('\'');
            if !before.is_empty() {
                pieces.push(Piece::Literal(before.to_owned()));
            }
            pieces.push(Piece::Param {
                name: rest[start + 1..start + len].to_owned(),
                quoted,
            });
            rest = after;
        }
        if !rest.is_empty() {
            pieces.push(Piece::Literal(rest.to_owned()));
        }
        Template {
            text: text.to_owned(),
            pieces,
        }
    }

    /// The template as written.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The names of its parameters.
    pub(crate) fn params(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Param { name, .. } => Some(name.as_str()),
            Piece::Literal(_) => None,
        })
    }

    /// The parameters' decoded values when `path` (as sent, percent-encoded) is the template
    /// filled in.
    pub(crate) fn captures(&self, path: &str) -> Option<BTreeMap<String, String>> {
        let mut raw = Vec::new();
        if !match_pieces(&self.pieces, path, &mut raw) {
            return None;
        }
        Some(
            raw.into_iter()
                .map(|(piece, value)| {
                    let Piece::Param { name, quoted } = piece else {
                        return (String::new(), value.to_owned());
                    };
                    let mut decoded = percent_decode_str(value).decode_utf8_lossy().into_owned();
                    if *quoted {
                        decoded = decoded.replace("''", "'");
                    }
                    (name.clone(), decoded)
                })
                .collect(),
        )
    }
}

/// Matches `pieces` against all of `path`, collecting the raw text of each parameter (a
/// parameter is a non-empty run without `/`; the first way that matches wins).
fn match_pieces<'a>(
    pieces: &'a [Piece],
    path: &'a str,
    out: &mut Vec<(&'a Piece, &'a str)>,
) -> bool {
    let Some((first, rest)) = pieces.split_first() else {
        return path.is_empty();
    };
    match first {
        Piece::Literal(text) => path
            .strip_prefix(text.as_str())
            .is_some_and(|after| match_pieces(rest, after, out)),
        Piece::Param { .. } => {
            let segment_end = path.find('/').unwrap_or(path.len());
            for end in (1..=segment_end)
                .rev()
                .filter(|&e| path.is_char_boundary(e))
            {
                out.push((first, &path[..end]));
                if match_pieces(rest, &path[end..], out) {
                    return true;
                }
                out.pop();
            }
            false
        }
    }
}

/// The decoded query parameters of a URL, in order.
pub(crate) fn query_pairs(url: &reqwest::Url) -> Vec<(String, String)> {
    url.query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_query(name), decode_query(value))
        })
        .collect()
}

/// A query string component decoded (`+` is a space, as in forms).
fn decode_query(s: &str) -> String {
    percent_decode_str(&s.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// Where `actual` differs from `expected` (JSON equality), said in words with the path of the
/// first difference (`accessPackageAssignment.targetId: expected "a", got "b"`); `None` when
/// they are equal. With `subset`, `actual` may have more object members than `expected`.
pub(crate) fn json_difference(expected: &Value, actual: &Value, subset: bool) -> Option<String> {
    let mut path = Vec::new();
    difference_at(expected, actual, subset, &mut path)
}

fn difference_at(
    expected: &Value,
    actual: &Value,
    subset: bool,
    path: &mut Vec<String>,
) -> Option<String> {
    let here = |path: &[String]| {
        if path.is_empty() {
            "the body".to_owned()
        } else {
            format!("`{}`", path.join("").trim_start_matches('.'))
        }
    };
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, e_value) in e {
                path.push(format!(".{key}"));
                let found = match a.get(key) {
                    None => Some(format!(
                        "{}: expected {}, but it is missing",
                        here(path),
                        short(e_value)
                    )),
                    Some(a_value) => difference_at(e_value, a_value, subset, path),
                };
                path.pop();
                if found.is_some() {
                    return found;
                }
            }
            if !subset && let Some(key) = a.keys().find(|k| !e.contains_key(*k)) {
                path.push(format!(".{key}"));
                let text = format!(
                    "{}: not expected, but the request has {}",
                    here(path),
                    short(&a[key])
                );
                path.pop();
                return Some(text);
            }
            None
        }
        (Value::Array(e), Value::Array(a)) => {
            for (i, (e_item, a_item)) in e.iter().zip(a).enumerate() {
                path.push(format!("[{i}]"));
                let found = difference_at(e_item, a_item, subset, path);
                path.pop();
                if found.is_some() {
                    return found;
                }
            }
            (e.len() != a.len()).then(|| {
                format!(
                    "{}: expected {} item(s), got {}",
                    here(path),
                    e.len(),
                    a.len()
                )
            })
        }
        (Value::Number(e), Value::Number(a))
            if e.as_f64().is_some() && e.as_f64() == a.as_f64() =>
        {
            None
        }
        _ if expected == actual => None,
        _ => Some(format!(
            "{}: expected {}, got {}",
            here(path),
            short(expected),
            short(actual)
        )),
    }
}

/// A JSON value for a report, shortened.
pub(crate) fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        let cut: String = text.chars().take(77).collect();
        format!("{cut}...")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_capture_decoded_parameters() {
        let t = Template::parse("/users/{user-id}/photos/{size}");
        let c = t.captures("/users/a%2Fb/photos/48x48").unwrap();
        assert_eq!(c["user-id"], "a/b");
        assert_eq!(c["size"], "48x48");
        assert!(t.captures("/users/a/photos").is_none());
        assert!(t.captures("/users/a/b/photos/x").is_none());
        assert_eq!(t.params().collect::<Vec<_>>(), ["user-id", "size"]);

        let f = Template::parse("/reports/getX(period='{period}',top={n})");
        let c = f.captures("/reports/getX(period='it''s',top=3)").unwrap();
        assert_eq!(c["period"], "it's");
        assert_eq!(c["n"], "3");
    }

    #[test]
    fn query_pairs_are_decoded() {
        let url = reqwest::Url::parse("http://h/x?%24filter=a%20eq%20'b'&$top=2&q=a+b").unwrap();
        assert_eq!(
            query_pairs(&url),
            [
                ("$filter".to_owned(), "a eq 'b'".to_owned()),
                ("$top".to_owned(), "2".to_owned()),
                ("q".to_owned(), "a b".to_owned())
            ]
        );
    }

    #[test]
    fn json_differences_name_the_field() {
        let e = json!({"a": {"b": [1, {"c": "x"}]}, "d": true});
        assert_eq!(json_difference(&e, &e.clone(), false), None);
        let a = json!({"a": {"b": [1, {"c": "y"}]}, "d": true});
        assert_eq!(
            json_difference(&e, &a, false).unwrap(),
            "`a.b[1].c`: expected \"x\", got \"y\""
        );
        let more = json!({"a": {"b": [1, {"c": "x"}]}, "d": true, "z": 1});
        assert_eq!(
            json_difference(&e, &more, false).unwrap(),
            "`z`: not expected, but the request has 1"
        );
        assert_eq!(json_difference(&e, &more, true), None);
        assert_eq!(
            json_difference(&json!({"n": 1}), &json!({"n": 1.0}), false),
            None
        );
        assert_eq!(
            json_difference(&json!({"m": 1}), &json!({}), true).unwrap(),
            "`m`: expected 1, but it is missing"
        );
    }
}
