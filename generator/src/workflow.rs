//! What `apigen generate`, `apigen check` and `cargo xtask codegen` do, shared so each front end
//! stays a thin layer: generate, print diagnostics readably, then write or compare, and say how
//! it went with an exit status (0: done; 1: errors, stale output, or warnings when denied).

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::progress::{Phase, Progress};
use crate::{Config, Error, Severity, Timings, render_diagnostics};

/// How [`run`] reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Fail (nothing written) when there are warnings.
    pub deny_warnings: bool,
    /// Print where the time went (parse, lower, emit).
    pub timings: bool,
    /// Show progress on stderr once generation has taken a second. Front ends set it with
    /// [`progress_wanted`].
    pub progress: bool,
}

/// Whether a progress display suits this process: stderr is a terminal and no `CI` variable is
/// set (CI logs and pipes stay quiet).
pub fn progress_wanted() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

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
    options: Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let start = Instant::now();
    let progress = Arc::new(Progress::new());
    let display = options
        .progress
        .then(|| show_progress(Arc::clone(&progress)));
    let result = crate::generate_observed(config, progress);
    if let Some((stop, handle)) = display {
        drop(stop);
        let _ = handle.join();
    }
    let generated = match result {
        Ok(g) => g,
        Err(e) => {
            report_error(&e, err);
            return Outcome::Failed;
        }
    };
    if options.timings {
        let _ = write!(err, "{}", timings_table(&generated.timings));
    }
    let deny_warnings = options.deny_warnings;
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
                // What regenerating changes in the crate's public API, above the code diff.
                let mut on_disk = generated.files.clone();
                for f in &report.stale {
                    match &f.on_disk {
                        Some(text) => on_disk.insert(f.path.clone(), text.clone()),
                        None => on_disk.remove(&f.path),
                    };
                }
                let api = crate::diff::compare_files(
                    &on_disk,
                    &generated.files,
                    &config.output,
                    &config.krate.version,
                );
                let _ = write!(out, "{}", api.render(crate::diff::Format::Text));
                let _ = writeln!(out);
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

/// The phases' times, one per line.
pub fn timings_table(t: &Timings) -> String {
    let ms = |d: Duration| format!("{:>8.1} ms", d.as_secs_f64() * 1000.0);
    format!(
        "timings:\n  parse   {}\n  lower   {}\n  emit    {} (summed over threads: tokens {}, format {})\n",
        ms(t.parse),
        ms(t.lower),
        ms(t.emit),
        ms(t.tokens_cpu).trim_start(),
        ms(t.format_cpu).trim_start(),
    )
}

/// A thread that, after a second, redraws one status line on stderr until the sender it returns
/// is dropped; it then clears the line.
fn show_progress(progress: Arc<Progress>) -> (mpsc::Sender<()>, std::thread::JoinHandle<()>) {
    let (stop, stopped) = mpsc::channel::<()>();
    let handle = std::thread::spawn(move || {
        let start = Instant::now();
        if stopped.recv_timeout(Duration::from_secs(1)) != Err(mpsc::RecvTimeoutError::Timeout) {
            return;
        }
        let mut stderr = std::io::stderr();
        loop {
            let elapsed = start.elapsed().as_secs_f64();
            let line = match progress.phase() {
                Phase::Parsing => format!("parsing the spec... {elapsed:.1}s"),
                Phase::Lowering => format!("building the model... {elapsed:.1}s"),
                Phase::Emitting => {
                    let (done, total) = progress.files();
                    format!("writing Rust files {done}/{total}... {elapsed:.1}s")
                }
                Phase::Done => String::new(),
            };
            let _ = write!(stderr, "\r\x1b[2K{line}");
            let _ = stderr.flush();
            if stopped.recv_timeout(Duration::from_millis(100))
                != Err(mpsc::RecvTimeoutError::Timeout)
            {
                break;
            }
        }
        let _ = write!(stderr, "\r\x1b[2K");
        let _ = stderr.flush();
    });
    (stop, handle)
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
