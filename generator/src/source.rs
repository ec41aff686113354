//! Spec files as text: reading, format detection, parsing to JSON values, and turning a JSON
//! pointer back into a line and column for diagnostics.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Location, pointer_tokens};
use crate::yaml;

/// The syntax a spec file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// JSON.
    Json,
    /// YAML.
    Yaml,
    /// XML (OData CSDL).
    Xml,
}

/// One input file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as given by the user (used in messages).
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// Its syntax.
    pub syntax: Syntax,
}

impl SourceFile {
    /// Read a file of at most `limit` bytes. Invalid UTF-8 is an error naming the byte
    /// offset's line and column. Only regular files are read: a device (`/dev/zero`), a FIFO or
    /// a directory is refused instead of exhausting memory or blocking forever.
    pub fn read(path: &Path, limit: u64) -> Result<SourceFile, Box<Diagnostic>> {
        use std::io::Read;
        let cannot = |e: &dyn std::fmt::Display| {
            Box::new(Diagnostic::error(
                Location::file(path),
                format!("cannot read the spec: {e}"),
            ))
        };
        // Checked before opening: opening a FIFO for reading blocks until a writer comes.
        let meta = std::fs::metadata(path).map_err(|e| cannot(&e))?;
        if !meta.is_file() {
            return Err(Box::new(
                Diagnostic::error(Location::file(path), "the spec is not a regular file")
                    .expected("a JSON, YAML or XML file"),
            ));
        }
        let too_big = |size: u64| {
            Box::new(
                Diagnostic::error(
                    Location::file(path),
                    format!("the spec is {size} bytes, more than the limit of {limit} bytes"),
                )
                .help("raise `Config::max_input_bytes` if this input is trusted"),
            )
        };
        if meta.len() > limit {
            return Err(too_big(meta.len()));
        }
        let file = std::fs::File::open(path).map_err(|e| cannot(&e))?;
        // The length can change between `metadata` and `read`: never read past the limit.
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| cannot(&e))?;
        if bytes.len() as u64 > limit {
            return Err(too_big(bytes.len() as u64));
        }
        Self::from_bytes(path, bytes)
    }

    /// Make a source from bytes already in memory.
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<SourceFile, Box<Diagnostic>> {
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let bytes = e.as_bytes();
                let prefix = String::from_utf8_lossy(&bytes[..valid]);
                let (line, column) = line_col_of_offset(&prefix, prefix.len());
                return Err(Box::new(
                    Diagnostic::error(
                        Location::line_col(path, line, column),
                        format!("the file is not valid UTF-8 (byte offset {valid})"),
                    )
                    .expected("a UTF-8 encoded JSON, YAML or XML document"),
                ));
            }
        };
        // A UTF-8 byte order mark is legal in front of JSON and YAML; drop it.
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_owned(),
            None => text,
        };
        let syntax = detect_syntax(path, &text);
        Ok(SourceFile {
            path: path.to_path_buf(),
            text,
            syntax,
        })
    }

    /// Parse JSON or YAML text into a JSON value.
    pub fn parse_value(&self) -> Result<Value, Box<Diagnostic>> {
        match self.syntax {
            Syntax::Json => serde_json::from_str(&self.text).map_err(|e| {
                Box::new(Diagnostic::error(
                    Location::line_col(&self.path, e.line() as u32, e.column() as u32),
                    format!("invalid JSON: {}", strip_serde_position(&e.to_string())),
                ))
            }),
            Syntax::Yaml => yaml::parse(&self.text).map_err(|e| self.yaml_error(e)),
            Syntax::Xml => Err(Box::new(Diagnostic::error(
                Location::file(&self.path),
                "this is an XML document, not an OpenAPI description",
            ))),
        }
    }

    /// Like [`parse_value`](Self::parse_value), with a warning for each key that occurs twice
    /// in one YAML mapping: the later value is read, and the earlier one (a schema, an
    /// operation) silently disappears otherwise.
    pub fn parse_value_with_warnings(&self) -> Result<(Value, Vec<Diagnostic>), Box<Diagnostic>> {
        if self.syntax != Syntax::Yaml {
            return self.parse_value().map(|v| (v, Vec::new()));
        }
        let (value, duplicates) =
            yaml::parse_with_duplicates(&self.text).map_err(|e| self.yaml_error(e))?;
        let warnings = duplicates
            .into_iter()
            .map(|d| {
                Diagnostic::warning(
                    Location::line_col(&self.path, d.line, d.column),
                    format!(
                        "the key `{}` occurs twice in one mapping; the later value is read and \
                         the earlier one ignored",
                        d.key
                    ),
                )
                .help("YAML requires the keys of a mapping to be unique: rename or merge them")
            })
            .collect();
        Ok((value, warnings))
    }

    fn yaml_error(&self, e: yaml::YamlError) -> Box<Diagnostic> {
        Box::new(Diagnostic::error(
            Location::line_col(&self.path, e.line, e.column),
            format!("invalid YAML: {}", e.message),
        ))
    }

    /// Fill in line and column of a location that has only a JSON pointer.
    pub fn resolve(&self, location: &mut Location) {
        self.resolve_all(std::slice::from_mut(location));
    }

    /// Fill in line and column of every location in this file that has only a JSON pointer,
    /// in one pass over the text (a spec with thousands of warnings is not rescanned for each).
    pub fn resolve_all(&self, locations: &mut [Location]) {
        let wanted: Vec<usize> = (0..locations.len())
            .filter(|&i| {
                let l = &locations[i];
                l.line.is_none() && l.pointer.is_some() && l.file == self.path
            })
            .collect();
        if wanted.is_empty() {
            return;
        }
        let pointers: Vec<&str> = wanted
            .iter()
            .map(|&i| locations[i].pointer.as_deref().unwrap_or(""))
            .collect();
        let found = match self.syntax {
            Syntax::Json => json_locate_all(&self.text, &pointers),
            Syntax::Yaml => yaml::locate_all(&self.text, &pointers),
            Syntax::Xml => return,
        };
        for (i, found) in wanted.into_iter().zip(found) {
            if let Some((line, column)) = found {
                locations[i].line = Some(line);
                locations[i].column = Some(column);
            }
        }
    }
}

/// The elements a locator looks for: every prefix of every target pointer, with the first
/// position where the walk met it. A pointer that is not found exactly resolves to its deepest
/// ancestor that was found.
pub(crate) struct Targets<P> {
    tokens: Vec<Vec<String>>,
    /// Prefix -> (first position seen, whether it is a whole target).
    prefixes: HashMap<Vec<String>, (Option<P>, bool)>,
    /// Whole targets not met yet; the walk stops at zero.
    remaining: usize,
}

impl<P: Copy> Targets<P> {
    pub(crate) fn new(pointers: &[&str]) -> Self {
        let tokens: Vec<Vec<String>> = pointers.iter().map(|p| pointer_tokens(p)).collect();
        let mut prefixes: HashMap<Vec<String>, (Option<P>, bool)> = HashMap::new();
        for t in &tokens {
            for n in 0..t.len() {
                prefixes.entry(t[..n].to_vec()).or_insert((None, false));
            }
            prefixes.entry(t.clone()).or_insert((None, false)).1 = true;
        }
        let remaining = prefixes.values().filter(|(_, whole)| *whole).count();
        Targets {
            tokens,
            prefixes,
            remaining,
        }
    }

    /// Record that the element at `path` starts at `at`; true once every target is found.
    pub(crate) fn visit(&mut self, path: &[String], at: P) -> bool {
        if let Some((slot, whole)) = self.prefixes.get_mut(path)
            && slot.is_none()
        {
            *slot = Some(at);
            if *whole {
                self.remaining -= 1;
            }
        }
        self.remaining == 0
    }

    /// The position of each target (or of its deepest ancestor found), in the given order.
    pub(crate) fn finish(self) -> Vec<Option<P>> {
        self.tokens
            .iter()
            .map(|t| {
                (0..=t.len())
                    .rev()
                    .find_map(|n| self.prefixes.get(&t[..n]).and_then(|(at, _)| *at))
            })
            .collect()
    }
}

fn strip_serde_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Guess the syntax from the extension, then from the first significant character.
pub fn detect_syntax(path: &Path, text: &str) -> Syntax {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("json") => return Syntax::Json,
        Some("yaml" | "yml") => return Syntax::Yaml,
        Some("xml" | "csdl" | "edmx") => return Syntax::Xml,
        _ => {}
    }
    match text.trim_start().as_bytes().first() {
        Some(b'{') | Some(b'[') => Syntax::Json,
        Some(b'<') => Syntax::Xml,
        _ => Syntax::Yaml,
    }
}

/// Line starts of a text, for turning many byte offsets into line:column quickly.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Index `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The text of 1-based line `n` of `text` (without its line break), if there is one.
    pub fn line<'t>(&self, text: &'t str, n: usize) -> Option<&'t str> {
        let start = *self.starts.get(n.checked_sub(1)?)?;
        let end = self.starts.get(n).map_or(text.len(), |&next| next - 1);
        Some(text[start..end.max(start)].trim_end_matches('\r'))
    }

    /// 1-based line and column (in characters) of byte `offset` of `text`.
    pub fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = text[start..offset].chars().count() + 1;
        (line as u32, column as u32)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col_of_offset(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line as u32, column as u32)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Find the position of the element at `pointer` in JSON text (the key of an object member).
/// Falls back to the deepest ancestor that exists.
pub fn json_locate(text: &str, pointer: &str) -> Option<(u32, u32)> {
    json_locate_all(text, &[pointer]).pop().flatten()
}

/// [`json_locate`] for many pointers, in one pass over the text.
pub fn json_locate_all(text: &str, pointers: &[&str]) -> Vec<Option<(u32, u32)>> {
    let mut targets = Targets::new(pointers);
    json_walk(text, |path, offset| targets.visit(path, offset));
    let lines = LineIndex::new(text);
    targets
        .finish()
        .into_iter()
        .map(|offset| offset.map(|o| lines.line_col(text, o)))
        .collect()
}

/// Walk JSON text, calling `visit` with the path and start offset of every value (the offset
/// of its key for an object member) until it returns true. Stops quietly at a syntax error.
fn json_walk(text: &str, mut visit: impl FnMut(&[String], usize) -> bool) -> Option<()> {
    let bytes = text.as_bytes();
    let mut i = 0usize;
    // Path of the value about to be read; containers: Some(index) for arrays, None for objects.
    let mut path: Vec<String> = Vec::new();
    // Open containers: (Some(index) for arrays / None for objects, whether it added a path segment).
    let mut containers: Vec<(Option<usize>, bool)> = Vec::new();
    let mut pending_key: Option<(String, usize)> = None;

    let skip_ws = |i: &mut usize| {
        while *i < bytes.len() && matches!(bytes[*i], b' ' | b'\t' | b'\n' | b'\r') {
            *i += 1;
        }
    };
    let read_string = |i: &mut usize| -> Option<String> {
        // bytes[*i] == b'"'
        let start = *i;
        *i += 1;
        while *i < bytes.len() {
            match bytes[*i] {
                b'\\' => *i += 2,
                b'"' => {
                    *i += 1;
                    return serde_json::from_str::<String>(&text[start..*i]).ok();
                }
                _ => *i += 1,
            }
        }
        None
    };

    loop {
        skip_ws(&mut i);
        if i >= bytes.len() {
            break;
        }
        // Are we expecting a key?
        if let Some((None, _)) = containers.last()
            && pending_key.is_none()
        {
            match bytes[i] {
                b'"' => {
                    let at = i;
                    let key = read_string(&mut i)?;
                    skip_ws(&mut i);
                    if bytes.get(i) == Some(&b':') {
                        i += 1;
                    }
                    pending_key = Some((key, at));
                    continue;
                }
                b',' => {
                    i += 1;
                    continue;
                }
                b'}' => {
                    i += 1;
                    if let Some((_, true)) = containers.pop() {
                        path.pop();
                    }
                    continue;
                }
                _ => return None,
            }
        }
        if bytes[i] == b',' {
            i += 1;
            if let Some((Some(n), _)) = containers.last_mut() {
                *n += 1;
            }
            continue;
        }
        if bytes[i] == b']' {
            i += 1;
            if let Some((_, true)) = containers.pop() {
                path.pop();
            }
            continue;
        }
        // A value starts here.
        let (segment, report_at) = match containers.last() {
            None => (None, i),
            Some((Some(n), _)) => (Some(n.to_string()), i),
            Some((None, _)) => {
                let (k, at) = pending_key.take()?;
                (Some(k), at)
            }
        };
        let pushed = segment.is_some();
        if let Some(s) = segment {
            path.push(s);
        }
        if visit(&path, report_at) {
            return Some(());
        }
        match bytes[i] {
            b'{' => {
                i += 1;
                containers.push((None, pushed));
            }
            b'[' => {
                i += 1;
                containers.push((Some(0), pushed));
            }
            b'"' => {
                read_string(&mut i)?;
                if pushed {
                    path.pop();
                }
            }
            _ => {
                while i < bytes.len() && !matches!(bytes[i], b',' | b'}' | b']') {
                    i += 1;
                }
                if pushed {
                    path.pop();
                }
            }
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_locate_finds_members() {
        let text = "{\n  \"openapi\": \"3.0.0\",\n  \"paths\": {\n    \"/pets\": {\n      \"get\": {\"responses\": {\"200\": {\"description\": \"ok\"}}}\n    }\n  },\n  \"list\": [1, {\"b\": [true, null]}]\n}";
        assert_eq!(json_locate(text, "/openapi"), Some((2, 3)));
        assert_eq!(json_locate(text, "/paths/~1pets/get"), Some((5, 7)));
        assert_eq!(
            json_locate(text, "/paths/~1pets/get/responses/200/description"),
            Some((5, 37))
        );
        assert_eq!(json_locate(text, "/list/1/b/1"), Some((8, 28)));
        assert_eq!(json_locate(text, "/paths/~1pets/post"), Some((4, 5)));
    }

    #[test]
    fn many_pointers_resolve_in_one_pass() {
        let text = "{\n  \"a\": {\"b\": 1,\n        \"c\": [true, {\"d\": null}]},\n  \"é\": 2\n}";
        let pointers = ["/a/c/1/d", "/é", "/a/b", "/a/missing/x", "/a/b"];
        let found = json_locate_all(text, &pointers);
        assert_eq!(
            found,
            [
                Some((3, 22)),
                Some((4, 3)),
                Some((2, 9)),
                Some((2, 3)),
                Some((2, 9))
            ]
        );
        for (p, f) in pointers.iter().zip(&found) {
            assert_eq!(json_locate(text, p), *f, "{p}");
        }
        let yaml_text = "a:\n  b: 1\n  c:\n    - true\n    - d: ~\né: 2\n";
        let found = yaml::locate_all(yaml_text, &pointers);
        assert_eq!(
            found,
            [
                Some((5, 7)),
                Some((6, 1)),
                Some((2, 3)),
                Some((1, 1)),
                Some((2, 3))
            ]
        );
    }

    #[test]
    fn offsets_to_line_col() {
        let text = "ab\ncé\nx";
        let lines = LineIndex::new(text);
        assert_eq!(
            [6, 0, 3, 8, 100].map(|o| lines.line_col(text, o)),
            [(2, 3), (1, 1), (2, 1), (3, 2), (3, 2)]
        );
        assert_eq!(line_col_of_offset("ab\ncé\nx", 6), (2, 3));
        assert_eq!(line_col_of_offset("", 0), (1, 1));
    }

    #[test]
    fn invalid_utf8_is_located() {
        let e =
            SourceFile::from_bytes(Path::new("x.yaml"), b"a: 1\nb: \xff\n".to_vec()).unwrap_err();
        assert_eq!(e.location.line, Some(2));
        assert_eq!(e.location.column, Some(4));
        assert!(e.message.contains("UTF-8"));
    }
}
