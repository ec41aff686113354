//! Rendering an [`ApiDiff`]: text for a terminal, Markdown for a pull-request comment, JSON for
//! tools, and GitHub Actions annotations.

use std::fmt::Write as _;

use super::{ApiDiff, Change, Level, Rule, SpecRef};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Grouped by level, with counts.
    Text,
    /// The same, as Markdown (a pull-request comment).
    Markdown,
    /// JSON, schema `apigen-api-diff/1` (see [`ApiDiff::render`]).
    Json,
    /// One GitHub Actions workflow command per change (`::error file=..,line=..::...`).
    Github,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "text" => Ok(Format::Text),
            "markdown" | "md" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            "github" => Ok(Format::Github),
            other => Err(format!(
                "`{other}` is not a format (text, markdown, json or github)"
            )),
        }
    }
}

/// The report of `diff` in `format` (see [`ApiDiff::render`]).
pub fn render(diff: &ApiDiff, format: Format) -> String {
    match format {
        Format::Text => text(diff, false),
        Format::Markdown => text(diff, true),
        Format::Json => json(diff),
        Format::Github => github(diff),
    }
}

fn summary(diff: &ApiDiff) -> String {
    let count = |l: Level| diff.changes.iter().filter(|c| c.level() == l).count();
    let level = match diff.level() {
        Some(l) => format!("a {} change", l.as_str()),
        None => "no change to the public API".to_owned(),
    };
    let from = diff.base_version.as_deref().unwrap_or(&diff.version);
    let next = match diff.next_version() {
        Some(v) if diff.version_bumped() => {
            format!(
                "; version {} (from {from}) already covers it (at least {v})",
                diff.version
            )
        }
        Some(v) => format!("; next version: {v} (from {from})"),
        None => String::new(),
    };
    format!(
        "{level}: {} major, {} minor, {} patch{next}",
        count(Level::Major),
        count(Level::Minor),
        count(Level::Patch)
    )
}

fn place(r: &SpecRef) -> String {
    let l = &r.location;
    let mut out = format!("{}", l.file.display());
    if let (Some(line), Some(col)) = (l.line, l.column) {
        let _ = write!(out, ":{line}:{col}");
    }
    if let Some(p) = &l.pointer {
        let _ = write!(out, " (#{p})");
    }
    out
}

fn text(diff: &ApiDiff, markdown: bool) -> String {
    let mut out = String::new();
    if markdown {
        let _ = writeln!(out, "### API changes\n\n**{}**\n", summary(diff));
    } else {
        let _ = writeln!(out, "API changes: {}", summary(diff));
    }
    for level in [Level::Major, Level::Minor, Level::Patch] {
        let changes: Vec<&Change> = diff.changes.iter().filter(|c| c.level() == level).collect();
        if changes.is_empty() {
            continue;
        }
        if markdown {
            let _ = writeln!(out, "#### {} ({})\n", level.as_str(), changes.len());
            let _ = writeln!(out, "| rule | item | change |\n|---|---|---|");
        } else {
            let _ = writeln!(out, "\n{} ({}):", level.as_str(), changes.len());
        }
        for c in changes {
            let mut detail = c.detail.clone();
            if let Some(h) = &c.hint {
                let _ = write!(detail, "; {h}");
            }
            if markdown {
                let _ = writeln!(
                    out,
                    "| `{}` | `{}` | {} |",
                    c.rule.id(),
                    c.item,
                    detail.replace('|', "\\|")
                );
            } else {
                let _ = writeln!(out, "  {:<28} {}: {detail}", c.rule.id(), c.item);
                for (side, r) in [("old", &c.old), ("new", &c.new)] {
                    if let Some(r) = r {
                        let _ =
                            writeln!(out, "  {:<28}   {side}: {} at {}", "", r.element, place(r));
                    }
                }
            }
        }
        if markdown {
            out.push('\n');
        }
    }
    if !diff.changes.is_empty() {
        let mut why: Vec<(Rule, Level, &str)> = diff
            .changes
            .iter()
            .map(|c| (c.rule, c.level, c.why))
            .collect();
        why.sort();
        why.dedup();
        if markdown {
            out.push_str("<details><summary>Why each level</summary>\n\n");
            for (r, level, why) in why {
                let _ = writeln!(out, "- `{}` ({}): {why}", r.id(), level.as_str());
            }
            out.push_str("\n</details>\n");
        } else {
            out.push_str("\nwhy:\n");
            for (r, _, why) in why {
                let _ = writeln!(out, "  {:<28} {why}", r.id());
            }
        }
    }
    out
}

fn json_ref(r: &Option<SpecRef>) -> serde_json::Value {
    match r {
        None => serde_json::Value::Null,
        Some(r) => serde_json::json!({
            "element": r.element,
            "file": r.location.file.display().to_string(),
            "pointer": r.location.pointer,
            "line": r.location.line,
            "column": r.location.column,
        }),
    }
}

fn json(diff: &ApiDiff) -> String {
    let counts: serde_json::Map<String, serde_json::Value> = diff
        .counts()
        .into_iter()
        .map(|(r, n)| (r.id().to_owned(), n.into()))
        .collect();
    let changes: Vec<serde_json::Value> = diff
        .changes
        .iter()
        .map(|c| {
            serde_json::json!({
                "rule": c.rule.id(),
                "level": c.level().as_str(),
                "item": c.item,
                "detail": c.detail,
                "why": c.why,
                "hint": c.hint,
                "old": json_ref(&c.old),
                "new": json_ref(&c.new),
            })
        })
        .collect();
    let v = serde_json::json!({
        "schema": "apigen-api-diff/1",
        "version": diff.version,
        "level": diff.level().map(Level::as_str),
        "next_version": diff.next_version(),
        "base_version": diff.base_version,
        "version_bumped": diff.version_bumped(),
        "counts": counts,
        "changes": changes,
    });
    let mut text = serde_json::to_string_pretty(&v).unwrap_or_default();
    text.push('\n');
    text
}

/// Escapes a GitHub workflow command's message (`%`, CR, LF) or property (also `:` and `,`).
fn escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

fn github(diff: &ApiDiff) -> String {
    let mut out = String::new();
    for c in &diff.changes {
        let command = match c.level() {
            Level::Major => "error",
            Level::Minor => "warning",
            Level::Patch => "notice",
        };
        let mut props = vec![format!(
            "title={}",
            escape(&format!("{} ({})", c.rule.id(), c.level().as_str()), true)
        )];
        if let Some(r) = c.new.as_ref().or(c.old.as_ref()) {
            props.push(format!(
                "file={}",
                escape(&r.location.file.display().to_string(), true)
            ));
            if let Some(line) = r.location.line {
                props.push(format!("line={line}"));
            }
            if let Some(col) = r.location.column {
                props.push(format!("col={col}"));
            }
        }
        let mut msg = format!("{}: {}", c.item, c.detail);
        if let Some(h) = &c.hint {
            let _ = write!(msg, "; {h}");
        }
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            props.join(","),
            escape(&msg, false)
        );
    }
    out
}
