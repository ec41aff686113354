//! Descriptions from a spec become rustdoc that cannot break the crate.
//!
//! Doc text reaches the output as `#[doc = "..."]` string literals, so `*/`, quotes or `"#` in a
//! description are inert. What remains dangerous is rustdoc's own Markdown: a bare or
//! `rust` code fence and an indented block become doctests that `cargo test` compiles, `[x]`
//! becomes an intra-doc link, raw `<tags>` and bare URLs produce rustdoc warnings. [`sanitize`]
//! neutralises each of those.

use proc_macro2::TokenStream;

use crate::format::Printer;
use quote::quote;

use crate::ir::Docs;

/// Turn description text into safe rustdoc Markdown.
pub fn sanitize(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out: Vec<String> = Vec::new();
    let mut in_fence: Option<String> = None;
    // Inside a list item: the column its text starts at, where its next lines go (clippy's
    // `doc_lazy_continuation` asks for it; the description's own indentation is dropped).
    let mut item_indent: Option<usize> = None;
    for raw in text.split('\n') {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        let fence = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f));
        if let Some(f) = fence {
            // An unindented fence ends a list.
            item_indent = None;
            match &in_fence {
                None => {
                    let lang = trimmed[f.len()..].trim().trim_start_matches(f).trim();
                    let lang = lang.split([',', ' ']).next().unwrap_or("");
                    // Only these are compiled as doctests; everything else is inert.
                    let rusty = lang.is_empty()
                        || lang == "rust"
                        || lang.starts_with("rust,")
                        || [
                            "ignore",
                            "no_run",
                            "should_panic",
                            "compile_fail",
                            "edition2015",
                            "edition2018",
                            "edition2021",
                            "edition2024",
                        ]
                        .contains(&lang);
                    let shown = if rusty { "text" } else { lang };
                    let shown: String = shown
                        .chars()
                        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .collect();
                    let shown = if shown.is_empty() {
                        "text".to_owned()
                    } else {
                        shown
                    };
                    out.push(format!("```{shown}"));
                    in_fence = Some(f.to_owned());
                }
                Some(open) if open == f => {
                    out.push("```".to_owned());
                    in_fence = None;
                }
                Some(_) => out.push(line.to_owned()),
            }
            continue;
        }
        if in_fence.is_some() {
            out.push(line.to_owned());
            continue;
        }
        // Indentation would make an indented code block (a doctest): drop it, but for the
        // lines of a list item, which go under its text.
        if trimmed.is_empty() {
            item_indent = None;
            out.push(String::new());
        } else if let Some(width) = list_marker_width(trimmed) {
            item_indent = Some(width);
            out.push(escape_inline(trimmed));
        } else if let Some(width) = item_indent {
            out.push(format!("{}{}", " ".repeat(width), escape_inline(trimmed)));
        } else {
            out.push(escape_inline(trimmed));
        }
    }
    if in_fence.is_some() {
        out.push("```".to_owned());
    }
    // Collapse runs of blank lines and trim the ends; tabs become spaces (clippy's
    // `tabs_in_doc_comments`).
    let mut collapsed: Vec<String> = Vec::new();
    for l in out {
        let l = if l.contains('\t') {
            l.replace('\t', "    ")
        } else {
            l
        };
        if l.is_empty() && collapsed.last().is_none_or(|p: &String| p.is_empty()) {
            continue;
        }
        collapsed.push(l);
    }
    while collapsed.last().is_some_and(|l| l.is_empty()) {
        collapsed.pop();
    }
    collapsed.join("\n")
}

/// The width of the list marker `line` starts with (`- `, `* `, `+ `, `1. `, `12) `), which
/// is where the item's text starts.
fn list_marker_width(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let marker = if matches!(bytes.first(), Some(b'-' | b'*' | b'+')) {
        1
    } else {
        let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) || !matches!(bytes.get(digits), Some(b'.' | b')')) {
            return None;
        }
        digits + 1
    };
    // The text starts after the spaces that follow the marker (`*   item`: column 4); five or
    // more make the item's text an indented code block, of which one space belongs to the
    // marker (CommonMark).
    let spaces = bytes[marker..].iter().take_while(|&&b| b == b' ').count();
    match spaces {
        0 => None,
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// Escape Markdown/HTML constructs rustdoc would interpret, outside inline code spans.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            // An inline code span: copy through to the matching run of backticks.
            let run = chars[i..].iter().take_while(|&&c| c == '`').count();
            let rest: String = chars[i + run..].iter().collect();
            let closer = "`".repeat(run);
            if let Some(end) = rest.find(&closer) {
                let code: String = rest[..end].to_owned();
                out.push_str(&closer);
                out.push_str(&code);
                out.push_str(&closer);
                i += run + code.chars().count() + run;
                continue;
            }
            // Unbalanced: escape it so it cannot pair with a later line's backtick.
            for _ in 0..run {
                out.push_str("\\`");
            }
            i += run;
            continue;
        }
        if c == 'h' {
            let rest: String = chars[i..].iter().collect();
            if rest.starts_with("http://") || rest.starts_with("https://") {
                let url: String = rest
                    .chars()
                    .take_while(|c| !c.is_whitespace() && !matches!(c, '<' | '>' | '"' | '`' | '|'))
                    .collect();
                let url = url.trim_end_matches(['.', ',', ';', ':', ')', ']', '\'', '!', '?', '*']);
                if url.len() > "https://".len() {
                    out.push('<');
                    out.push_str(url);
                    out.push('>');
                    i += url.chars().count();
                    continue;
                }
            }
        }
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Doc attributes for `docs` followed by `extra` paragraphs (already Markdown).
pub fn doc_attrs(p: &Printer, docs: &Docs, extra: &[String]) -> TokenStream {
    let mut paragraphs: Vec<String> = Vec::new();
    if let Some(s) = &docs.summary {
        paragraphs.push(sanitize(s));
    }
    if let Some(d) = &docs.description {
        let d = sanitize(d);
        if !paragraphs.iter().any(|p| p == &d) {
            paragraphs.push(d);
        }
    }
    paragraphs.extend(extra.iter().cloned());
    paragraphs.retain(|p| !p.trim().is_empty());
    lines_to_attrs(p, &paragraphs.join("\n\n"))
}

/// The docs `text` (lines joined by `\n`) on an item: `///` lines.
pub fn lines_to_attrs(p: &Printer, text: &str) -> TokenStream {
    doc_lines(p, text, false)
}

/// Crate-level docs `text`: `//!` lines.
pub fn inner_doc_attrs(p: &Printer, text: &str) -> TokenStream {
    doc_lines(p, text, true)
}

/// Outer or inner docs for the lines of `text`: one placeholder attribute that `p` prints as
/// the lines (see [`Printer`]).
pub(crate) fn doc_lines(p: &Printer, text: &str, inner: bool) -> TokenStream {
    match p.doc(text) {
        Some(placeholder) if inner => quote!(#![doc = #placeholder]),
        Some(placeholder) => quote!(#[doc = #placeholder]),
        None => doc_attributes(text, inner),
    }
}

/// One `#[doc = " line"]` (or `#![doc = ...]`) attribute per line of `text`: for text the
/// placeholders cannot carry, and for tests.
pub(crate) fn doc_attributes(text: &str, inner: bool) -> TokenStream {
    let lines = text.split('\n').map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        if inner {
            quote!(#![doc = #l])
        } else {
            quote!(#[doc = #l])
        }
    });
    quote!(#(#lines)*)
}

/// Inline code for a wire name, safe in rustdoc.
pub fn code(text: &str) -> String {
    let ticks = if text.contains('`') { "``" } else { "`" };
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_never_become_doctests() {
        let s =
            sanitize("Example:\n```\nlet x = 1;\n```\nand\n```json\n{}\n```\n```rust\nfn main(){}");
        assert_eq!(
            s,
            "Example:\n```text\nlet x = 1;\n```\nand\n```json\n{}\n```\n```text\nfn main(){}\n```"
        );
    }

    #[test]
    fn indentation_and_links_and_html() {
        assert_eq!(sanitize("    code();"), "code();");
        assert_eq!(
            sanitize("see [foo] <b>x</b>"),
            "see \\[foo\\] &lt;b&gt;x&lt;/b&gt;"
        );
        assert_eq!(
            sanitize("at https://example.com/a_b."),
            "at <https://example.com/a_b>."
        );
        assert_eq!(sanitize("a `[x]` b"), "a `[x]` b");
        assert_eq!(sanitize("*/ \"# end"), "*/ \"# end");
        assert_eq!(sanitize("C:\\dir [x]"), "C:\\\\dir \\[x\\]");
        assert_eq!(sanitize("one `tick"), "one \\`tick");
    }

    /// The lines of a list item go under its text (clippy's `doc_lazy_continuation`), however
    /// the description indented them; a blank line ends the item, and code stays unindented.
    #[test]
    fn list_items_keep_their_lines() {
        assert_eq!(
            sanitize(
                "Filters:\n- `dangling=<boolean>` When set to `true`,\n  returns all\n\tvolumes.\n10. ten\nmore\n\nAfter."
            ),
            "Filters:\n- `dangling=<boolean>` When set to `true`,\n  returns all\n  volumes.\n10. ten\n    more\n\nAfter."
        );
        assert_eq!(sanitize("-1 is a number\nnext"), "-1 is a number\nnext");
        assert_eq!(
            sanitize("*   Only 12\nrequests."),
            "*   Only 12\n    requests."
        );
        assert_eq!(sanitize("* a\n```\nx\n```"), "* a\n```text\nx\n```");
    }

    #[test]
    fn tabs_become_spaces() {
        assert_eq!(sanitize("Name\tValue"), "Name    Value");
        assert_eq!(sanitize("```\n\tx\n```"), "```text\n    x\n```");
    }

    #[test]
    fn blank_runs_collapse() {
        assert_eq!(sanitize("a\n\n\n\nb\n\n"), "a\n\nb");
    }
}
