//! Errors and warnings that point into the spec.
//!
//! Every diagnostic names the file and the place: a JSON pointer for OpenAPI documents (YAML or
//! JSON), and a line:column wherever the source text lets us compute one. Positions are computed
//! only for diagnostics that are actually reported (see [`crate::source`]), so a clean run pays
//! nothing for them.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Generation cannot succeed.
    Error,
    /// Generation succeeded with a fallback the user should know about.
    Warning,
}

/// A place in a spec file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Location {
    /// The file.
    pub file: PathBuf,
    /// JSON pointer of the element (`/components/schemas/Pet`), when the format has one.
    pub pointer: Option<String>,
    /// 1-based line.
    pub line: Option<u32>,
    /// 1-based column (in characters).
    pub column: Option<u32>,
}

impl Location {
    /// A location naming only a file.
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location {
            file: file.into(),
            ..Location::default()
        }
    }

    /// A location at a JSON pointer in `file`.
    pub fn pointer(file: impl Into<PathBuf>, pointer: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            pointer: Some(pointer.into()),
            ..Location::default()
        }
    }

    /// A location at a line and column in `file`.
    pub fn line_col(file: impl Into<PathBuf>, line: u32, column: u32) -> Self {
        Location {
            file: file.into(),
            pointer: None,
            line: Some(line),
            column: Some(column),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if let Some(pointer) = &self.pointer {
            write!(f, " (#{pointer})")?;
        }
        Ok(())
    }
}

/// One error or warning about the input.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where.
    pub location: Location,
    /// What was found.
    pub message: String,
    /// What was expected instead, when that helps.
    pub expected: Option<String>,
    /// A suggestion (e.g. the closest existing name).
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `location`.
    pub fn error(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location,
            message: message.into(),
            expected: None,
            help: None,
        }
    }

    /// A warning at `location`.
    pub fn warning(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(location, message)
        }
    }

    /// Add what was expected.
    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    /// Add a suggestion.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Add a "did you mean" suggestion when one of `candidates` is close to `wrong`.
    pub fn suggest<'a>(self, wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Self {
        match closest(wrong, candidates) {
            Some(best) => self.help(format!("did you mean `{best}`?")),
            None => self,
        }
    }

    /// Render for a terminal: a header, the location, a source excerpt when `source` is given.
    pub fn render(&self, source: Option<&str>) -> String {
        let line = self
            .location
            .line
            .and_then(|l| source?.lines().nth(l.saturating_sub(1) as usize));
        self.render_with_line(line)
    }

    /// [`Diagnostic::render`] given the text of the line the location names.
    pub(crate) fn render_with_line(&self, src_line: Option<&str>) -> String {
        let mut out = String::new();
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!("{label}: {}\n", self.message));
        out.push_str(&format!("  --> {}\n", self.location));
        if let (Some(src_line), Some(line)) = (src_line, self.location.line) {
            let number = line.to_string();
            let pad = " ".repeat(number.len());
            // At most 160 characters of the line, around the column (minified JSON is one
            // line of megabytes).
            const WIDTH: usize = 160;
            let column = self.location.column.unwrap_or(1).max(1) as usize;
            let start = column.saturating_sub(WIDTH / 2);
            let mut shown: String = src_line.chars().skip(start).take(WIDTH).collect();
            let mut caret_pad: String = src_line
                .chars()
                .skip(start)
                .take(column - 1 - start)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            if start > 0 {
                shown.insert_str(0, "...");
                caret_pad.insert_str(0, "   ");
            }
            if src_line.chars().nth(start + WIDTH).is_some() {
                shown.push_str("...");
            }
            out.push_str(&format!("{pad} |\n{number} | {shown}\n"));
            out.push_str(&format!("{pad} | {caret_pad}^\n"));
        }
        if let Some(expected) = &self.expected {
            out.push_str(&format!("   = expected: {expected}\n"));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("   = help: {help}\n"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {label}: {}", self.location, self.message)?;
        if let Some(expected) = &self.expected {
            write!(f, " (expected {expected})")?;
        }
        if let Some(help) = &self.help {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

/// Everything that can make generation fail.
#[derive(Debug)]
pub enum Error {
    /// A file could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// What happened.
        source: std::io::Error,
    },
    /// The configuration (`codegen.toml`) is invalid.
    Config(Box<Diagnostic>),
    /// The spec has errors; all of them are listed (warnings too).
    Spec(Vec<Diagnostic>),
    /// The generated code did not parse as Rust: a bug in apigen, reported with the file.
    Internal {
        /// Output file being produced.
        file: String,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    /// The diagnostics carried by this error (empty for I/O and internal errors).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Spec(d) => d,
            Error::Config(d) => std::slice::from_ref(&**d),
            _ => &[],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Config(d) => write!(f, "{d}"),
            Error::Spec(diags) => {
                let errors = diags
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                let mut first = true;
                for d in diags.iter().filter(|d| d.severity == Severity::Error) {
                    if !first {
                        writeln!(f)?;
                    }
                    first = false;
                    write!(f, "{d}")?;
                }
                if errors == 0 {
                    write!(f, "the spec has errors")?;
                }
                Ok(())
            }
            Error::Internal { file, message } => write!(
                f,
                "internal error while generating {file}: {message} (please report this with the spec)"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Diagnostics collected while loading and lowering.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Record one.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Record an error.
    pub fn error(&mut self, location: Location, message: impl Into<String>) {
        self.items.push(Diagnostic::error(location, message));
    }

    /// Record a warning.
    pub fn warning(&mut self, location: Location, message: impl Into<String>) {
        self.items.push(Diagnostic::warning(location, message));
    }

    /// Any error recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// All, in the order found.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// All, in the order found.
    pub fn as_slice(&self) -> &[Diagnostic] {
        &self.items
    }

    /// Remove and return the last error recorded, if any.
    pub(crate) fn take_last_error(&mut self) -> Option<Diagnostic> {
        let i = self
            .items
            .iter()
            .rposition(|d| d.severity == Severity::Error)?;
        Some(self.items.remove(i))
    }

    /// Rewrite the pointers of the diagnostics recorded since the `start`th that point into
    /// `file` (the pointers of a converted document, back to the text as written).
    pub(crate) fn map_pointers_from(
        &mut self,
        start: usize,
        file: &Path,
        map: impl Fn(&str) -> String,
    ) {
        for d in self.items.iter_mut().skip(start) {
            if d.location.file == file
                && let Some(p) = &d.location.pointer
            {
                d.location.pointer = Some(map(p));
            }
        }
    }

    /// Append others.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }
}

/// The candidate closest to `wrong` by edit distance, if it is close enough to be a likely typo.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_lower = wrong.to_ascii_lowercase();
    let limit = (wrong.chars().count() / 3).max(2);
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        let d = edit_distance(&wrong_lower, &c.to_ascii_lowercase());
        if d <= limit && best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance over chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Escape one JSON pointer token (`~` -> `~0`, `/` -> `~1`).
pub fn escape_pointer_token(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_owned()
    }
}

/// Unescape one JSON pointer token.
pub fn unescape_pointer_token(token: &str) -> String {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~")
    } else {
        token.to_owned()
    }
}

/// Split a JSON pointer (`/a/b~1c`) into unescaped tokens.
pub fn pointer_tokens(pointer: &str) -> Vec<String> {
    let p = pointer.strip_prefix('#').unwrap_or(pointer);
    if p.is_empty() {
        return Vec::new();
    }
    p.strip_prefix('/')
        .unwrap_or(p)
        .split('/')
        .map(unescape_pointer_token)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos() {
        let names = ["Pet", "Owner", "PetStatus"];
        assert_eq!(closest("Pett", names), Some("Pet"));
        assert_eq!(closest("owner", names), Some("Owner"));
        assert_eq!(closest("Zebra", names), None);
    }

    #[test]
    fn pointer_tokens_unescape() {
        assert_eq!(
            pointer_tokens("#/paths/~1pets~1{id}/get"),
            vec!["paths", "/pets/{id}", "get"]
        );
        assert_eq!(escape_pointer_token("a/b~c"), "a~1b~0c");
        assert!(pointer_tokens("").is_empty());
    }

    #[test]
    fn render_marks_the_column() {
        let d = Diagnostic::error(Location::line_col("spec.yaml", 2, 5), "bad thing")
            .expected("a schema")
            .help("did you mean `Pet`?");
        let text = d.render(Some("a: 1\nb:  xyz\n"));
        assert!(text.contains("spec.yaml:2:5"), "{text}");
        assert!(text.contains("2 | b:  xyz"), "{text}");
        assert!(text.contains("  |     ^"), "{text}");
        assert!(text.contains("expected: a schema"), "{text}");
    }

    #[test]
    fn render_windows_a_long_line_around_the_column() {
        let line = format!("{}X{}", "a".repeat(10_000), "b".repeat(10_000));
        let d = Diagnostic::warning(Location::line_col("min.json", 1, 10_001), "here");
        let text = d.render(Some(&line));
        let lines: Vec<&str> = text.lines().collect();
        let shown = lines.iter().find(|l| l.starts_with("1 | ")).unwrap();
        let caret = lines.iter().find(|l| l.ends_with('^')).unwrap();
        assert!(shown.len() < 200, "{shown}");
        assert!(
            shown.starts_with("1 | ...") && shown.ends_with("..."),
            "{shown}"
        );
        assert_eq!(shown.find('X'), Some(caret.len() - 1), "{text}");
    }
}
