//! What `apigen generate`, `apigen check` and `cargo xtask codegen` do, shared so each front end
//! stays a thin layer: generate, print diagnostics readably, then write or compare, and say how
//! it went with an exit status (0: done; 1: errors, stale output, or warnings when denied).

use std::io::Write;
use std::time::Instant;

use crate::{Config, Error, Severity, render_diagnostics};

/// Write the crate, or only compare it with what is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Generate and write (atomically).
    Write,
    /// Generate and compare; print a unified diff of what is stale; never write.
    Check,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Written, or up to date.
    Ok,
    /// `--check` found differences.
    Stale,
    /// The spec or configuration has errors (or warnings, when they are denied); nothing was
    /// written.
    Failed,
}

impl Outcome {
    /// The process exit status for this outcome.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Ok => 0,
            Outcome::Stale | Outcome::Failed => 1,
        }
    }
}

/// Run one generation for `config`. Diagnostics and status go to `err`, a diff (in check mode)
/// to `out`.
pub fn run(
    config: &Config,
    mode: Mode,
    deny_warnings: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let start = Instant::now();
    let generated = match config.generate() {
        Ok(g) => g,
        Err(e) => {
            report_error(&e, err);
            return Outcome::Failed;
        }
    };
    let _ = write!(err, "{}", render_diagnostics(&generated.diagnostics));
    let warnings = generated
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    if deny_warnings && warnings > 0 {
        let _ = writeln!(
            err,
            "error: {warnings} warning(s) and --deny-warnings; nothing was written"
        );
        return Outcome::Failed;
    }
    let shown = shown(&config.output);
    match mode {
        Mode::Check => match generated.check() {
            Ok(report) if report.is_up_to_date() => {
                let _ = writeln!(err, "{shown} is up to date");
                Outcome::Ok
            }
            Ok(report) => {
                let _ = write!(out, "{}", report.diff());
                let _ = writeln!(
                    err,
                    "error: {shown} is stale ({} file(s) differ): regenerate it and commit the result",
                    report.stale.len()
                );
                Outcome::Stale
            }
            Err(e) => {
                report_error(&e, err);
                Outcome::Failed
            }
        },
        Mode::Write => match generated.write() {
            Ok(()) => {
                let bytes: usize = generated.files.values().map(String::len).sum();
                let _ = writeln!(
                    err,
                    "generated {shown} ({} files, {bytes} bytes) in {} ms",
                    generated.files.len(),
                    start.elapsed().as_millis()
                );
                Outcome::Ok
            }
            Err(e) => {
                report_error(&e, err);
                Outcome::Failed
            }
        },
    }
}

/// Print an error: its diagnostics with source excerpts, or its one-line message.
pub fn report_error(e: &Error, err: &mut dyn Write) {
    let diags = e.diagnostics();
    if diags.is_empty() {
        let _ = writeln!(err, "error: {e}");
        return;
    }
    let _ = write!(err, "{}", render_diagnostics(diags));
    let n = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let _ = writeln!(
        err,
        "error: generation failed with {n} error(s); nothing was written"
    );
}

/// `path` relative to the current directory when it is below it.
fn shown(path: &std::path::Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}
