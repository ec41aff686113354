//! `cargo xtask corpus DIR`: generate a crate for every spec in a directory, `cargo check` them
//! all in one scratch workspace with one shared target directory, and report what failed.
//!
//! Generation runs in worker processes (this binary, `corpus-worker`), so a spec that makes the
//! generator overflow its stack, abort or hang costs that spec only: the worker is restarted and
//! the run goes on. Checking runs `cargo check --workspace --keep-going --message-format=json`
//! over batches of crates and attributes rustc's messages to crates by target name.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::root;

/// Prefix of the worker's answer lines (anything else on its stdout is ignored).
const ANSWER: &str = "@@corpus ";
/// Marker file that makes `OUT/ws` ours to delete.
const MARKER: &str = ".apigen-corpus";
/// Diagnostics kept per spec / crate in the report (all are counted).
const KEEP: usize = 200;

/// Generate a crate for every spec under DIR and `cargo check` them all.
///
/// Specs are found recursively (*.json, *.yaml, *.yml, *.xml; sorted by path) and checked in one
/// scratch workspace OUT/ws with one target dir OUT/target. Prints a table (spec, generation
/// status, apigen warnings, generation ms, check status, rustc warnings, first error) and a
/// summary, and writes OUT/report.txt and OUT/report.json. Exit status 0 when the run completes,
/// whatever failed in it.
#[derive(clap::Args)]
pub struct CorpusArgs {
    /// The directory of spec files.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Only the first N specs (after --match).
    #[arg(long, value_name = "N", value_parser = crate::at_least_one)]
    limit: Option<usize>,
    /// Only specs whose path relative to DIR contains SUBSTR (repeatable: any of them).
    #[arg(long = "match", value_name = "SUBSTR")]
    matches: Vec<String>,
    /// Where the workspace, target dir and reports go (default target/apigen-corpus in the
    /// workspace).
    #[arg(
        long,
        value_name = "DIR",
        default_value_os_t = root().join("target/apigen-corpus"),
        hide_default_value = true
    )]
    out: PathBuf,
    /// Generate only (nothing is written), no `cargo check`.
    #[arg(long = "no-check", action = clap::ArgAction::SetFalse)]
    check: bool,
    /// Run `cargo clippy` instead of `cargo check`: clippy's default lints count as warnings
    /// (generated code is meant to be clippy-clean).
    #[arg(long)]
    clippy: bool,
    /// Crates per `cargo check` run.
    #[arg(long, value_name = "N", default_value = "100", value_parser = crate::at_least_one)]
    batch: usize,
    /// Generator processes and cargo jobs (default: CPU count).
    #[arg(
        short = 'j',
        long,
        value_name = "N",
        default_value_t = std::thread::available_parallelism().map_or(2, |n| n.get()),
        hide_default_value = true,
        value_parser = crate::at_least_one
    )]
    jobs: usize,
    /// A spec still generating after SECS is reported as a timeout.
    #[arg(long, value_name = "SECS", default_value = "600", value_parser = seconds)]
    timeout: Duration,
}

/// `--timeout`: whole seconds, at least 1.
fn seconds(s: &str) -> Result<Duration, String> {
    crate::at_least_one(s).map(|n| Duration::from_secs(n as u64))
}

/// One spec and everything learned about it: an element of `specs` in report.json.
#[derive(Serialize, Deserialize)]
struct Spec {
    #[serde(rename = "spec")]
    rel: String,
    path: PathBuf,
    bytes: u64,
    #[serde(rename = "crate")]
    krate: String,
    #[serde(rename = "crate_dir")]
    dir: PathBuf,
    generation: Generation,
    check: Check,
}

impl Spec {
    fn lib_name(&self) -> String {
        self.krate.replace('-', "_")
    }
}

/// One spec to generate: a line on a worker's stdin.
#[derive(Serialize, Deserialize)]
struct Job {
    spec: PathBuf,
    rel: String,
    /// The crate directory.
    out: PathBuf,
    /// The package name.
    name: String,
    runtime: PathBuf,
    /// Write the crate (to check it), or only generate it in memory.
    write: bool,
}

/// How generating a spec went.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
enum GenStatus {
    Ok,
    /// The generator rejected the spec (its diagnostics say why).
    Error,
    /// The generator failed in itself (or the crate could not be written, or the worker not run).
    Internal,
    Panic,
    /// The worker process died.
    Crash,
    /// The worker was still generating after `--timeout` and was killed.
    Timeout,
}

impl GenStatus {
    fn as_str(self) -> &'static str {
        match self {
            GenStatus::Ok => "ok",
            GenStatus::Error => "error",
            GenStatus::Internal => "internal",
            GenStatus::Panic => "panic",
            GenStatus::Crash => "crash",
            GenStatus::Timeout => "timeout",
        }
    }
}

/// What generating one spec gave: a worker's answer line, and `generation` in report.json.
#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Generation {
    status: GenStatus,
    #[serde(flatten)]
    outcome: Outcome,
}

/// The fields of a [`Generation`] besides its status, in the order they are written. Read back
/// by shape: `files` makes `Generated`, `errors` makes `Failed`, anything else is `Stopped`.
#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(untagged)]
enum Outcome {
    /// The generator made a crate (status `ok`, or `internal` when writing it failed).
    Generated {
        ms: u64,
        warning_count: usize,
        /// The first [`KEEP`].
        warnings: Vec<GenDiag>,
        files: usize,
        bytes: usize,
        lines: usize,
        /// Why the crate could not be written.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// The generator returned an error (status `error`, `panic` or `internal`).
    Failed {
        message: String,
        ms: u64,
        /// The first [`KEEP`].
        errors: Vec<GenDiag>,
        error_count: usize,
        warning_count: usize,
    },
    /// No answer from the generator: it panicked outside its own handling, its process died
    /// or hung, or the job could not be run (status `panic`, `crash`, `timeout`, `internal`).
    Stopped {
        message: String,
        /// The end of the worker's stderr (crash and timeout).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stderr: Option<String>,
        ms: u64,
    },
}

impl Generation {
    /// Status `internal`, for a job that did not get to the generator.
    fn internal(message: String) -> Generation {
        Generation {
            status: GenStatus::Internal,
            outcome: Outcome::Stopped {
                message,
                stderr: None,
                ms: 0,
            },
        }
    }

    fn ms(&self) -> u64 {
        match &self.outcome {
            Outcome::Generated { ms, .. }
            | Outcome::Failed { ms, .. }
            | Outcome::Stopped { ms, .. } => *ms,
        }
    }

    fn message(&self) -> Option<&str> {
        match &self.outcome {
            Outcome::Generated { message, .. } => message.as_deref(),
            Outcome::Failed { message, .. } | Outcome::Stopped { message, .. } => Some(message),
        }
    }

    /// apigen's warnings (all of them, not only those kept).
    fn warning_count(&self) -> usize {
        match &self.outcome {
            Outcome::Generated { warning_count, .. } | Outcome::Failed { warning_count, .. } => {
                *warning_count
            }
            Outcome::Stopped { .. } => 0,
        }
    }

    /// The apigen warnings kept (of a generated crate).
    fn warnings(&self) -> &[GenDiag] {
        match &self.outcome {
            Outcome::Generated { warnings, .. } => warnings,
            _ => &[],
        }
    }

    /// The apigen errors kept (of a rejected spec).
    fn errors(&self) -> &[GenDiag] {
        match &self.outcome {
            Outcome::Failed { errors, .. } => errors,
            _ => &[],
        }
    }
}

/// One of apigen's diagnostics, with the spec's path relative to DIR.
#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct GenDiag {
    pointer: Option<String>,
    message: String,
    /// The whole diagnostic as apigen prints it.
    display: String,
}

/// How `cargo check` went for one crate: `check` in report.json.
#[derive(Serialize, Deserialize, Default, PartialEq, Debug)]
struct Check {
    status: CheckStatus,
    warning_count: usize,
    error_count: usize,
    /// The first [`KEEP`].
    warnings: Vec<CheckMessage>,
    /// The first [`KEEP`].
    errors: Vec<CheckMessage>,
    note: Option<String>,
}

#[derive(Serialize, Deserialize, Default, Clone, Copy, PartialEq, Eq, Debug)]
enum CheckStatus {
    /// Not attempted (generation failed, or --no-check).
    #[default]
    #[serde(rename = "-")]
    NotAttempted,
    #[serde(rename = "ok")]
    Ok,
    #[serde(rename = "FAILED")]
    Failed,
    /// Attempted, but cargo did not get to it.
    #[serde(rename = "n/c")]
    NotChecked,
}

impl CheckStatus {
    fn as_str(self) -> &'static str {
        match self {
            CheckStatus::NotAttempted => "-",
            CheckStatus::Ok => "ok",
            CheckStatus::Failed => "FAILED",
            CheckStatus::NotChecked => "n/c",
        }
    }
}

/// A warning or error of one crate's check. Written without a tag (a rustc message has five
/// fields, cargo's failure two); read back by trying `Cargo` first, which takes no other field.
#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(untagged)]
enum CheckMessage {
    Cargo(CargoFailure),
    Rustc(RustcMessage),
}

/// Cargo stopped at this crate before rustc saw it (e.g. a manifest it cannot read).
#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(deny_unknown_fields)]
struct CargoFailure {
    /// Always `cargo`.
    code: String,
    /// The `error` lines of cargo's stderr.
    message: String,
}

/// One of rustc's diagnostics, at its primary span.
#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct RustcMessage {
    code: Option<String>,
    message: String,
    file: Option<String>,
    line: Option<u64>,
    /// The first source line of the span.
    text: Option<String>,
}

impl CheckMessage {
    fn code(&self) -> Option<&str> {
        match self {
            CheckMessage::Cargo(c) => Some(&c.code),
            CheckMessage::Rustc(r) => r.code.as_deref(),
        }
    }

    fn message(&self) -> &str {
        match self {
            CheckMessage::Cargo(c) => &c.message,
            CheckMessage::Rustc(r) => &r.message,
        }
    }

    fn file(&self) -> Option<&str> {
        match self {
            CheckMessage::Cargo(_) => None,
            CheckMessage::Rustc(r) => r.file.as_deref(),
        }
    }

    fn line(&self) -> Option<u64> {
        match self {
            CheckMessage::Cargo(_) => None,
            CheckMessage::Rustc(r) => r.line,
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            CheckMessage::Cargo(_) => None,
            CheckMessage::Rustc(r) => r.text.as_deref(),
        }
    }
}

pub fn corpus(opts: CorpusArgs) -> ExitCode {
    match run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn run(opts: &CorpusArgs) -> Result<(), String> {
    let started = Instant::now();
    let meta = fs::metadata(&opts.dir)
        .map_err(|e| format!("cannot read spec directory {}: {e}", opts.dir.display()))?;
    if !meta.is_dir() {
        return Err(format!("{} is not a directory", opts.dir.display()));
    }
    let dir = fs::canonicalize(&opts.dir).map_err(|e| format!("{}: {e}", opts.dir.display()))?;
    let cwd = std::env::current_dir().unwrap_or_default();
    let out = cwd.join(&opts.out);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    if opts.check {
        match Command::new(&cargo).arg("--version").output() {
            Ok(o) if o.status.success() => {}
            Ok(o) => {
                return Err(format!(
                    "`{cargo} --version` failed ({}): {}",
                    o.status,
                    String::from_utf8_lossy(&o.stderr).trim()
                ));
            }
            Err(e) => {
                return Err(format!(
                    "cannot run cargo (`{cargo}`): {e}; put cargo on PATH or set CARGO, or pass --no-check"
                ));
            }
        }
    }

    // Find the specs.
    let mut files = Vec::new();
    walk(&dir, &dir, &out, 0, &mut files);
    let found = files.len();
    files.sort();
    if !opts.matches.is_empty() {
        files.retain(|(rel, _)| opts.matches.iter().any(|m| rel.contains(m.as_str())));
    }
    if let Some(limit) = opts.limit {
        files.truncate(limit);
    }
    if files.is_empty() {
        return Err(if found == 0 {
            format!(
                "no spec files (*.json, *.yaml, *.yml, *.xml) found under {}",
                opts.dir.display()
            )
        } else {
            format!(
                "none of the {found} spec files under {} matched --match",
                opts.dir.display()
            )
        });
    }

    // The scratch workspace: OUT/ws/crates/NAME, rebuilt on every run.
    let ws = out.join("ws");
    let logs = out.join("logs");
    if ws.exists() {
        if !ws.join(MARKER).exists() && fs::read_dir(&ws).map_or(true, |mut d| d.next().is_some()) {
            return Err(format!(
                "{} exists and was not made by `cargo xtask corpus`; pass another --out",
                ws.display()
            ));
        }
        fs::remove_dir_all(&ws).map_err(|e| format!("cannot clear {}: {e}", ws.display()))?;
    }
    let _ = fs::remove_dir_all(&logs);
    for d in [&ws.join("crates"), &logs] {
        fs::create_dir_all(d).map_err(|e| format!("cannot create {}: {e}", d.display()))?;
    }
    fs::write(
        ws.join(MARKER),
        "scratch workspace of `cargo xtask corpus`; deleted on every run\n",
    )
    .map_err(|e| format!("cannot write in {}: {e}", ws.display()))?;

    let mut taken = BTreeSet::new();
    let runtime = root().join("runtime");
    let (jobs, sizes): (Vec<Job>, Vec<u64>) = files
        .into_iter()
        .map(|(rel, path)| {
            let name = crate_name(&rel, &mut taken);
            let bytes = fs::metadata(&path).map_or(0, |m| m.len());
            let job = Job {
                spec: path,
                rel,
                out: ws.join("crates").join(&name),
                name,
                runtime: runtime.clone(),
                write: opts.check,
            };
            (job, bytes)
        })
        .unzip();

    eprintln!(
        "corpus: {} spec(s) from {} ({found} found); generating with {} worker(s){}",
        jobs.len(),
        opts.dir.display(),
        opts.jobs,
        if opts.check {
            ""
        } else {
            " (--no-check: nothing is written)"
        }
    );
    let gen_start = Instant::now();
    let generations = generate_all(&jobs, opts)?;
    let gen_wall = gen_start.elapsed();
    let mut specs: Vec<Spec> = jobs
        .into_iter()
        .zip(sizes)
        .zip(generations)
        .map(|((job, bytes), generation)| Spec {
            rel: job.rel,
            path: job.spec,
            bytes,
            krate: job.name,
            dir: job.out,
            generation,
            check: Check::default(),
        })
        .collect();

    let check_start = Instant::now();
    let mut check_notes = Vec::new();
    if opts.check {
        check_notes = check_all(&mut specs, opts, &ws, &out.join("target"), &logs, &cargo)?;
        write_full_workspace(&specs, &ws);
    }
    let check_wall = check_start.elapsed();

    let timing = Timing {
        total: started.elapsed(),
        gen_wall,
        check_wall,
        gen_cpu_ms: specs.iter().map(|s| s.generation.ms()).sum(),
    };
    let text = report_text(&specs, opts, &timing, &check_notes, &out);
    print!("{text}");
    let report = report_json(specs, opts, &dir, &timing, check_notes);
    let write = |name: &str, body: &str| {
        let p = out.join(name);
        fs::write(&p, body).map_err(|e| format!("cannot write {}: {e}", p.display()))
    };
    write("report.txt", &text)?;
    write(
        "report.json",
        &serde_json::to_string_pretty(&report).unwrap_or_default(),
    )?;
    eprintln!(
        "wrote {} and {}",
        out.join("report.txt").display(),
        out.join("report.json").display()
    );
    Ok(())
}

/// Collect spec files below `dir` as (relative path with `/`, absolute path). Hidden
/// directories and `skip` (the output directory) are not entered; symlinks are followed.
fn walk(base: &Path, dir: &Path, skip: &Path, depth: usize, out: &mut Vec<(String, PathBuf)>) {
    if depth > 32 || dir.starts_with(skip) {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        eprintln!("warning: cannot read {}", dir.display());
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(meta) = fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            if !name.starts_with('.') {
                walk(base, &path, skip, depth + 1, out);
            }
        } else if meta.is_file() {
            let ext = name.rsplit_once('.').map(|(_, x)| x.to_ascii_lowercase());
            if matches!(ext.as_deref(), Some("json" | "yaml" | "yml" | "xml")) {
                let rel = path
                    .strip_prefix(base)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((rel, path));
            }
        }
    }
}

/// A valid, unique package name derived from the spec's relative path.
fn crate_name(rel: &str, taken: &mut BTreeSet<String>) -> String {
    let stem = rel
        .rsplit_once('.')
        .map_or(rel, |(s, _)| s)
        .to_ascii_lowercase();
    let mut slug = String::from("api-");
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let mut slug = slug.trim_end_matches('-').to_owned();
    if slug.len() > 60 {
        slug.truncate(51);
        slug = format!("{}-{:08x}", slug.trim_end_matches('-'), fnv(rel));
    }
    let mut name = slug.clone();
    if taken.contains(&name) {
        name = format!("{slug}-{:08x}", fnv(rel));
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{slug}-{:08x}-{n}", fnv(rel));
            n += 1;
        }
    }
    taken.insert(name.clone());
    name
}

fn fnv(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

// ---------------------------------------------------------------------------------------------
// Generation, in worker processes.

/// Generate every spec with `opts.jobs` workers; one result per job, in order.
fn generate_all(jobs: &[Job], opts: &CorpusArgs) -> Result<Vec<Generation>, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the xtask binary: {e}"))?;
    let results: Mutex<Vec<Option<Generation>>> =
        Mutex::new(std::iter::repeat_with(|| None).take(jobs.len()).collect());
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let n = jobs.len();
    let width = n.to_string().len();
    std::thread::scope(|scope| {
        for _ in 0..opts.jobs.min(n) {
            scope.spawn(|| {
                let mut worker: Option<Worker> = None;
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= n {
                        break;
                    }
                    let result = run_job(&mut worker, &exe, &jobs[i], opts.timeout);
                    let k = done.fetch_add(1, Ordering::SeqCst) + 1;
                    let mut line = format!(
                        "[{k:>width$}/{n}] {:<8} {:>7} ms  {}",
                        result.status.as_str(),
                        result.ms(),
                        jobs[i].rel
                    );
                    if result.status != GenStatus::Ok
                        && let Some(m) = result.message()
                    {
                        let _ = write!(line, "  {}", one_line(m, 160));
                    }
                    eprintln!("{line}");
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
                }
                if let Some(w) = worker {
                    w.finish();
                }
            });
        }
    });
    // Every job was taken by exactly one thread, which stored its result.
    Ok(results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every job has a result"))
        .collect())
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    answers: mpsc::Receiver<String>,
    stderr_tail: Arc<Mutex<String>>,
}

impl Worker {
    fn spawn(exe: &Path) -> std::io::Result<Worker> {
        let mut child = Command::new(exe)
            .arg("corpus-worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let mut stderr = child.stderr.take().expect("piped");
        let (tx, answers) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(a) = line.strip_prefix(ANSWER)
                    && tx.send(a.to_owned()).is_err()
                {
                    break;
                }
            }
        });
        let stderr_tail = Arc::new(Mutex::new(String::new()));
        let tail = Arc::clone(&stderr_tail);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut t = tail.lock().unwrap_or_else(|e| e.into_inner());
                t.push_str(&String::from_utf8_lossy(&buf[..n]));
                if t.len() > 8192 {
                    let mut cut = t.len() - 4096;
                    while !t.is_char_boundary(cut) {
                        cut += 1;
                    }
                    t.drain(..cut);
                }
            }
        });
        Ok(Worker {
            child,
            stdin,
            answers,
            stderr_tail,
        })
    }

    fn stderr_tail(&self) -> String {
        // Give the stderr reader a moment to drain what a dying worker printed.
        std::thread::sleep(Duration::from_millis(100));
        self.stderr_tail
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn finish(mut self) {
        drop(self.stdin);
        let _ = self.child.wait();
    }

    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Run one job on `worker` (starting one if needed); a worker that dies or hangs is replaced
/// and the job is reported as a crash or a timeout.
fn run_job(worker: &mut Option<Worker>, exe: &Path, job: &Job, timeout: Duration) -> Generation {
    let start = Instant::now();
    let line = match serde_json::to_string(job) {
        Ok(line) => line,
        Err(e) => return Generation::internal(format!("cannot write the job ({e})")),
    };
    if worker.is_none() {
        match Worker::spawn(exe) {
            Ok(w) => *worker = Some(w),
            Err(e) => {
                return Generation::internal(format!("cannot start a worker process: {e}"));
            }
        }
    }
    let w = worker.as_mut().expect("started above");
    w.stderr_tail
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clear();
    let sent = writeln!(w.stdin, "{line}").and_then(|()| w.stdin.flush());
    let answer = match sent {
        Ok(()) => w.answers.recv_timeout(timeout),
        Err(_) => Err(mpsc::RecvTimeoutError::Disconnected),
    };
    match answer {
        Ok(line) => serde_json::from_str(&line).unwrap_or_else(|e| {
            Generation::internal(format!("unreadable worker answer ({e}): {line}"))
        }),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            let w = worker.take().expect("present");
            let tail = w.stderr_tail();
            w.kill();
            Generation {
                status: GenStatus::Timeout,
                outcome: Outcome::Stopped {
                    message: format!(
                        "generation did not finish within {} s (worker killed)",
                        timeout.as_secs()
                    ),
                    stderr: Some(tail),
                    ms: start.elapsed().as_millis() as u64,
                },
            }
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let mut w = worker.take().expect("present");
            let status = w.child.wait();
            let tail = w.stderr_tail();
            let last = tail
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim()
                .to_owned();
            let status = match status {
                Ok(s) => describe_exit(s),
                Err(e) => e.to_string(),
            };
            Generation {
                status: GenStatus::Crash,
                outcome: Outcome::Stopped {
                    message: format!("the generator process died ({status}): {last}"),
                    stderr: Some(tail),
                    ms: start.elapsed().as_millis() as u64,
                },
            }
        }
    }
}

fn describe_exit(s: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = s.signal() {
            let name = match sig {
                6 => " SIGABRT",
                9 => " SIGKILL",
                11 => " SIGSEGV",
                _ => "",
            };
            return format!("signal {sig}{name}");
        }
    }
    s.to_string()
}

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// `xtask corpus-worker`: read one JSON job per stdin line, generate, answer one JSON line.
pub fn worker() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        let text = format!("{msg}{at}");
        eprintln!("panic: {text}");
        *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some(text);
    }));
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let answer = match serde_json::from_str::<Job>(&line) {
            Ok(job) => generate_one(&job),
            Err(e) => Generation::internal(format!("bad job line: {e}")),
        };
        let answer = serde_json::to_string(&answer).expect("strings and numbers are always JSON");
        if writeln!(stdout, "{ANSWER}{answer}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            break;
        }
    }
    ExitCode::SUCCESS
}

fn generate_one(job: &Job) -> Generation {
    let mut config = apigen::Config::new(&job.spec, &job.out, &job.name);
    config.krate.runtime_path = Some(job.runtime.clone());
    config.krate.standalone = false;
    *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = None;
    let start = Instant::now();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| config.generate()));
    let ms = start.elapsed().as_millis() as u64;
    let last_panic = || LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let diag = |d: &apigen::Diagnostic| {
        let mut d = d.clone();
        d.location.file = PathBuf::from(&job.rel);
        GenDiag {
            display: d.to_string(),
            pointer: d.location.pointer,
            message: d.message,
        }
    };
    match result {
        Ok(Ok(generated)) => {
            let warnings: Vec<&apigen::Diagnostic> = generated
                .diagnostics
                .iter()
                .filter(|d| d.severity == apigen::Severity::Warning)
                .collect();
            let mut status = GenStatus::Ok;
            let mut message = None;
            if job.write
                && let Err(e) = generated.write()
            {
                status = GenStatus::Internal;
                message = Some(format!("writing the crate failed: {e}"));
            }
            Generation {
                status,
                outcome: Outcome::Generated {
                    ms,
                    warning_count: warnings.len(),
                    warnings: warnings.iter().take(KEEP).map(|d| diag(d)).collect(),
                    files: generated.files.len(),
                    bytes: generated.files.values().map(String::len).sum(),
                    lines: generated.files.values().map(|f| f.lines().count()).sum(),
                    message,
                },
            }
        }
        Ok(Err(e)) => {
            let errors: Vec<&apigen::Diagnostic> = e
                .diagnostics()
                .iter()
                .filter(|d| d.severity == apigen::Severity::Error)
                .collect();
            let warning_count = e.diagnostics().len() - errors.len();
            let (status, message) = if let Some(first) = errors.first() {
                (GenStatus::Error, diag(first).display)
            } else if let apigen::Error::Internal { message, .. } = &e {
                if message.contains("panicked") {
                    let m =
                        last_panic().map_or_else(|| message.clone(), |p| format!("panicked: {p}"));
                    (GenStatus::Panic, m)
                } else {
                    (GenStatus::Internal, e.to_string())
                }
            } else {
                (GenStatus::Error, e.to_string())
            };
            Generation {
                status,
                outcome: Outcome::Failed {
                    message,
                    ms,
                    errors: errors.iter().take(KEEP).map(|d| diag(d)).collect(),
                    error_count: errors.len(),
                    warning_count,
                },
            }
        }
        Err(_) => Generation {
            status: GenStatus::Panic,
            outcome: Outcome::Stopped {
                message: format!(
                    "panicked: {}",
                    last_panic().unwrap_or_else(|| "unknown panic".into())
                ),
                stderr: None,
                ms,
            },
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Checking.

/// `cargo check` every generated crate, `opts.batch` at a time; returns notes about batches
/// that failed as a whole (e.g. a dependency that does not build).
fn check_all(
    specs: &mut [Spec],
    opts: &CorpusArgs,
    ws: &Path,
    target: &Path,
    logs: &Path,
    cargo: &str,
) -> Result<Vec<String>, String> {
    let ok: Vec<usize> = (0..specs.len())
        .filter(|&i| specs[i].generation.status == GenStatus::Ok)
        .collect();
    let lock = root().join("Cargo.lock");
    let batches: Vec<&[usize]> = ok.chunks(opts.batch).collect();
    let mut notes = Vec::new();
    for (b, batch) in batches.iter().enumerate() {
        let start = Instant::now();
        let mut members: Vec<usize> = batch.to_vec();
        for &i in &members {
            specs[i].check.status = CheckStatus::NotChecked;
        }
        let log = logs.join(format!("check-{b:03}.log"));
        eprintln!(
            "check: batch {}/{}: {} crate(s) ({} .. {})",
            b + 1,
            batches.len(),
            members.len(),
            specs[members[0]].krate,
            specs[*members.last().expect("non-empty")].krate
        );
        for attempt in 0.. {
            if members.is_empty() {
                break;
            }
            write_workspace(ws, members.iter().map(|&i| specs[i].krate.as_str()))?;
            if let Err(e) = fs::copy(&lock, ws.join("Cargo.lock")) {
                eprintln!("warning: cannot copy {}: {e}", lock.display());
            }
            let by_lib: HashMap<String, usize> =
                members.iter().map(|&i| (specs[i].lib_name(), i)).collect();
            let run = run_cargo(cargo, ws, target, opts, &log, &by_lib)?;
            let mut seen_any = false;
            for msg in &run.messages {
                let Some(tname) = msg["target"]["name"].as_str() else {
                    continue;
                };
                let ours = by_lib.get(tname).copied();
                match (msg["reason"].as_str(), ours) {
                    (Some("compiler-artifact"), Some(i)) => {
                        seen_any = true;
                        if specs[i].check.error_count == 0 {
                            specs[i].check.status = CheckStatus::Ok;
                        }
                    }
                    (Some("compiler-message"), Some(i)) => {
                        seen_any = true;
                        record_message(&mut specs[i].check, &msg["message"]);
                    }
                    (Some("compiler-message"), None)
                        if msg["message"]["level"] == "error" && !is_summary(&msg["message"]) =>
                    {
                        let note = format!(
                            "dependency {} failed: {}",
                            tname,
                            one_line(msg["message"]["message"].as_str().unwrap_or(""), 200)
                        );
                        if !notes.contains(&note) {
                            notes.push(note);
                        }
                    }
                    _ => {}
                }
            }
            if run.success || seen_any {
                break;
            }
            // Cargo failed before compiling any member: usually one bad manifest. Find the
            // crate it names, take it out and try again.
            let errors = stderr_errors(&run.stderr);
            let culprit = members.iter().position(|&i| {
                run.stderr.contains(&format!("crates/{}/", specs[i].krate))
                    || run.stderr.contains(&format!("`{}`", specs[i].krate))
            });
            match culprit {
                Some(p) if attempt < 20 => {
                    let i = members.remove(p);
                    specs[i].check.status = CheckStatus::Failed;
                    specs[i].check.error_count = 1;
                    let e = CheckMessage::Cargo(CargoFailure {
                        code: "cargo".into(),
                        message: one_line(&errors, 400),
                    });
                    specs[i].check.errors.push(e);
                    specs[i].check.note = Some(format!("cargo: {}", one_line(&errors, 200)));
                }
                _ => {
                    let note = format!(
                        "batch {} ({} crates): cargo failed before compiling any of them: {}",
                        b + 1,
                        members.len(),
                        one_line(&errors, 300)
                    );
                    for &i in &members {
                        specs[i].check.note = Some(note.clone());
                    }
                    notes.push(note);
                    break;
                }
            }
        }
        let count = |st: CheckStatus| {
            batch
                .iter()
                .filter(|&&i| specs[i].check.status == st)
                .count()
        };
        eprintln!(
            "check: batch {}/{} done in {:.1} s: ok {}, FAILED {}, not checked {} (log: {})",
            b + 1,
            batches.len(),
            start.elapsed().as_secs_f64(),
            count(CheckStatus::Ok),
            count(CheckStatus::Failed),
            count(CheckStatus::NotChecked),
            log.display()
        );
    }
    for s in specs.iter_mut() {
        if s.check.status == CheckStatus::NotChecked && s.check.note.is_none() {
            s.check.note = Some(
                notes
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "cargo produced no result for this crate".into()),
            );
        }
    }
    Ok(notes)
}

fn write_workspace<'a>(ws: &Path, members: impl Iterator<Item = &'a str>) -> Result<(), String> {
    let mut toml = String::from(
        "# Scratch workspace of `cargo xtask corpus`; rewritten on every run.\n[workspace]\nresolver = \"3\"\nmembers = [\n",
    );
    for m in members {
        let _ = writeln!(toml, "    \"crates/{m}\",");
    }
    toml.push_str("]\n");
    let p = ws.join("Cargo.toml");
    fs::write(&p, toml).map_err(|e| format!("cannot write {}: {e}", p.display()))
}

/// After the run, make the scratch workspace list every crate that compiled or failed, so one
/// can be re-checked with `cargo check -p NAME` from `ws/`.
fn write_full_workspace(specs: &[Spec], ws: &Path) {
    let members = specs
        .iter()
        .filter(|s| s.generation.status == GenStatus::Ok && s.dir.join("Cargo.toml").exists())
        .map(|s| s.krate.as_str());
    if let Err(e) = write_workspace(ws, members) {
        eprintln!("warning: {e}");
    }
}

struct CargoRun {
    success: bool,
    messages: Vec<Value>,
    stderr: String,
}

fn run_cargo(
    cargo: &str,
    ws: &Path,
    target: &Path,
    opts: &CorpusArgs,
    log: &Path,
    members: &HashMap<String, usize>,
) -> Result<CargoRun, String> {
    let jobs = opts.jobs;
    let mut child = Command::new(cargo)
        .args([
            if opts.clippy { "clippy" } else { "check" },
            "--workspace",
            "--keep-going",
            "--message-format=json",
            "-j",
            &jobs.to_string(),
        ])
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .env_remove("RUSTFLAGS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `{cargo} check`: {e}"))?;
    // Cargo's stderr goes to the log as it comes (`tail -f` it to watch a long batch).
    let stderr = child.stderr.take().expect("piped");
    let mut log_file = fs::File::create(log)
        .map_err(|e| eprintln!("warning: cannot write {}: {e}", log.display()))
        .ok();
    let err_thread = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if let Some(f) = log_file.as_mut() {
                let _ = writeln!(f, "{line}");
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let mut messages = Vec::new();
    let mut done = 0;
    for line in BufReader::new(child.stdout.take().expect("piped")).lines() {
        let Ok(line) = line else { break };
        let Ok(v) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        match v["reason"].as_str() {
            Some("compiler-artifact") => {
                if let Some(name) = v["target"]["name"].as_str()
                    && members.contains_key(name)
                {
                    done += 1;
                    eprintln!("  checked [{done}/{}] {name}", members.len());
                }
                messages.push(v);
            }
            Some("compiler-message") => messages.push(v),
            _ => {}
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for cargo: {e}"))?;
    let stderr = err_thread.join().unwrap_or_default();
    Ok(CargoRun {
        success: status.success(),
        messages,
        stderr,
    })
}

/// rustc's closing lines ("aborting due to...", "3 warnings emitted"), not diagnostics.
fn is_summary(m: &Value) -> bool {
    let text = m["message"].as_str().unwrap_or("");
    let no_spans = m["spans"].as_array().is_none_or(|s| s.is_empty());
    no_spans
        && m["code"].is_null()
        && (text.starts_with("aborting due to")
            || text.ends_with("emitted")
            || text.starts_with("For more information"))
}

fn record_message(check: &mut Check, m: &Value) {
    let level = m["level"].as_str().unwrap_or("");
    if !matches!(level, "warning" | "error") || is_summary(m) {
        return;
    }
    let span = m["spans"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["is_primary"] == true).or(s.first()));
    let text = |v: &Value| v.as_str().map(str::to_owned);
    let rec = CheckMessage::Rustc(RustcMessage {
        code: text(&m["code"]["code"]),
        message: text(&m["message"]).unwrap_or_default(),
        file: span.and_then(|s| text(&s["file_name"])),
        line: span.and_then(|s| s["line_start"].as_u64()),
        text: span
            .and_then(|s| s["text"].get(0))
            .and_then(|t| text(&t["text"])),
    });
    if level == "error" {
        check.error_count += 1;
        check.status = CheckStatus::Failed;
        if check.errors.len() < KEEP {
            check.errors.push(rec);
        }
    } else {
        check.warning_count += 1;
        if check.warnings.len() < KEEP {
            check.warnings.push(rec);
        }
    }
}

/// The `error...` lines of cargo's stderr (with the lines that follow each, up to a blank).
fn stderr_errors(stderr: &str) -> String {
    let mut out = Vec::new();
    let mut inside = false;
    for line in stderr.lines() {
        if line.starts_with("error") {
            inside = true;
        } else if line.trim().is_empty() {
            inside = false;
        }
        if inside {
            out.push(line.trim());
        }
    }
    if out.is_empty() {
        stderr.lines().rev().take(5).collect::<Vec<_>>().join(" | ")
    } else {
        out.join(" ")
    }
}

// ---------------------------------------------------------------------------------------------
// Reports.

struct Timing {
    total: Duration,
    gen_wall: Duration,
    check_wall: Duration,
    gen_cpu_ms: u64,
}

/// `spec.json #/pointer` (the pointer only when the diagnostic has one).
fn at_pointer(rel: &str, d: &GenDiag) -> String {
    match &d.pointer {
        Some(p) => format!("{rel} #{p}"),
        None => rel.to_owned(),
    }
}

fn one_line(s: &str, max: usize) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > max {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    } else {
        s
    }
}

fn pct(n: usize, of: usize) -> String {
    if of == 0 {
        "-".into()
    } else {
        format!("{:.1}%", n as f64 * 100.0 / of as f64)
    }
}

/// A message with its specifics (quoted names, numbers) blanked, to group alike ones.
fn kind_of(message: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut prev_digit = false;
    for c in message.chars() {
        match quote {
            Some(q) if c == q => {
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            None => {
                if c == '`' || c == '"' || (c == '\'' && !out.ends_with(char::is_alphanumeric)) {
                    out.push(c);
                    out.push('…');
                    quote = Some(c);
                    prev_digit = false;
                } else if c.is_ascii_digit() {
                    if !prev_digit {
                        out.push('N');
                    }
                    prev_digit = true;
                } else {
                    out.push(c);
                    prev_digit = false;
                }
            }
        }
    }
    one_line(&out, 200)
}

#[derive(Default)]
struct Group {
    items: usize,
    specs: BTreeSet<usize>,
    examples: Vec<String>,
}

fn add(
    groups: &mut BTreeMap<String, Group>,
    key: String,
    spec: usize,
    example: impl FnOnce() -> String,
) {
    let g = groups.entry(key).or_default();
    g.items += 1;
    if g.specs.insert(spec) && g.examples.len() < 3 {
        g.examples.push(example());
    }
}

fn render_groups(out: &mut String, title: &str, groups: &BTreeMap<String, Group>, limit: usize) {
    if groups.is_empty() {
        return;
    }
    let mut sorted: Vec<_> = groups.iter().collect();
    sorted.sort_by(|a, b| {
        b.1.specs
            .len()
            .cmp(&a.1.specs.len())
            .then(b.1.items.cmp(&a.1.items))
            .then(a.0.cmp(b.0))
    });
    let _ = writeln!(
        out,
        "\n{title} ({} kinds; specs, occurrences):",
        groups.len()
    );
    for (key, g) in sorted.iter().take(limit) {
        let _ = writeln!(out, "  {:>4} {:>6}  {key}", g.specs.len(), g.items);
        for e in &g.examples {
            let _ = writeln!(out, "              e.g. {e}");
        }
    }
    if sorted.len() > limit {
        let _ = writeln!(
            out,
            "  ... {} more kinds in report.json",
            sorted.len() - limit
        );
    }
}

fn report_text(
    specs: &[Spec],
    opts: &CorpusArgs,
    timing: &Timing,
    check_notes: &[String],
    out_dir: &Path,
) -> String {
    let mut out = String::new();
    let w = specs
        .iter()
        .map(|s| s.rel.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 64);
    let _ = writeln!(
        out,
        "{:<w$}  {:<8} {:>5} {:>8}  {:<6} {:>6}  NOTE",
        "SPEC", "GEN", "WARN", "GEN-MS", "CHECK", "RWARN"
    );
    for s in specs {
        let g = &s.generation;
        let note = if let Some(m) = g.message() {
            one_line(m, 200)
        } else if let Some(n) = &s.check.note {
            one_line(n, 200)
        } else if s.check.status == CheckStatus::Failed {
            s.check.errors.first().map_or_else(String::new, |e| {
                let code = e.code().map(|c| format!("{c}: ")).unwrap_or_default();
                let place = match (e.file(), e.line()) {
                    (Some(f), Some(l)) => format!(" ({f}:{l})"),
                    _ => String::new(),
                };
                one_line(&format!("{code}{}{place}", e.message()), 200)
            })
        } else if s.check.warning_count > 0 {
            let mut lints: BTreeMap<&str, usize> = BTreeMap::new();
            for w in &s.check.warnings {
                *lints.entry(w.code().unwrap_or("(no code)")).or_default() += 1;
            }
            let mut v: Vec<_> = lints.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            v.iter()
                .map(|(l, n)| format!("{l} x{n}"))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            String::new()
        };
        let rwarn = if matches!(s.check.status, CheckStatus::Ok | CheckStatus::Failed) {
            s.check.warning_count.to_string()
        } else {
            "-".into()
        };
        let rel = if s.rel.chars().count() > w {
            format!(
                "…{}",
                s.rel
                    .chars()
                    .rev()
                    .take(w - 1)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<String>()
            )
        } else {
            s.rel.clone()
        };
        let _ = writeln!(
            out,
            "{rel:<w$}  {:<8} {:>5} {:>8}  {:<6} {:>6}  {note}",
            g.status.as_str(),
            g.warning_count(),
            g.ms(),
            s.check.status.as_str(),
            rwarn,
        );
    }

    let n = specs.len();
    let count_gen = |st: GenStatus| specs.iter().filter(|s| s.generation.status == st).count();
    let count_check = |st: CheckStatus| specs.iter().filter(|s| s.check.status == st).count();
    let generated = count_gen(GenStatus::Ok);
    let clean = specs
        .iter()
        .filter(|s| s.check.status == CheckStatus::Ok && s.check.warning_count == 0)
        .count();
    let warned = specs
        .iter()
        .filter(|s| s.check.status == CheckStatus::Ok && s.check.warning_count > 0)
        .count();
    let failed = count_check(CheckStatus::Failed);
    let unchecked = count_check(CheckStatus::NotChecked);
    let _ = writeln!(out, "\nsummary");
    let _ = writeln!(out, "  specs:                        {n}");
    let _ = writeln!(
        out,
        "  generated:                    {generated} ({})",
        pct(generated, n)
    );
    let _ = writeln!(
        out,
        "    generation errors {}, internal errors {}, panics {}, crashes {}, timeouts {}",
        count_gen(GenStatus::Error),
        count_gen(GenStatus::Internal),
        count_gen(GenStatus::Panic),
        count_gen(GenStatus::Crash),
        count_gen(GenStatus::Timeout)
    );
    let specs_with_apigen_warnings = specs
        .iter()
        .filter(|s| s.generation.status == GenStatus::Ok && s.generation.warning_count() > 0)
        .count();
    let _ = writeln!(
        out,
        "    generated with apigen warnings: {specs_with_apigen_warnings} ({})",
        pct(specs_with_apigen_warnings, n)
    );
    if opts.check {
        let _ = writeln!(
            out,
            "  compiled with zero warnings:  {clean} ({} of specs, {} of generated)",
            pct(clean, n),
            pct(clean, generated)
        );
        let _ = writeln!(
            out,
            "  compiled with warnings:       {warned} ({} of specs, {} of generated)",
            pct(warned, n),
            pct(warned, generated)
        );
        let _ = writeln!(
            out,
            "  failed to compile:            {failed} ({} of specs, {} of generated)",
            pct(failed, n),
            pct(failed, generated)
        );
        if unchecked > 0 {
            let _ = writeln!(out, "  not checked (cargo failed):   {unchecked}");
        }
        for note in check_notes {
            let _ = writeln!(out, "  note: {note}");
        }
    } else {
        let _ = writeln!(out, "  compiling: skipped (--no-check)");
    }
    let _ = writeln!(
        out,
        "  time: {:.1} s total; generation {:.1} s wall ({:.1} s summed over specs, {} worker(s)); check {:.1} s",
        timing.total.as_secs_f64(),
        timing.gen_wall.as_secs_f64(),
        timing.gen_cpu_ms as f64 / 1000.0,
        opts.jobs,
        timing.check_wall.as_secs_f64()
    );
    if opts.check {
        let _ = writeln!(
            out,
            "  re-check one crate: cd {} && CARGO_TARGET_DIR={} cargo check -p NAME",
            out_dir.join("ws").display(),
            out_dir.join("target").display()
        );
    }

    // What went wrong, grouped.
    let mut gen_errors = BTreeMap::new();
    let mut gen_warnings = BTreeMap::new();
    let mut crashes = BTreeMap::new();
    let mut rustc_errors = BTreeMap::new();
    let mut rustc_warnings = BTreeMap::new();
    for (i, s) in specs.iter().enumerate() {
        let g = &s.generation;
        match g.status {
            GenStatus::Ok => {}
            GenStatus::Error => match g.errors().first() {
                Some(d) => {
                    add(&mut gen_errors, kind_of(&d.message), i, || {
                        at_pointer(&s.rel, d)
                    });
                }
                None => add(
                    &mut gen_errors,
                    kind_of(g.message().unwrap_or("")),
                    i,
                    || s.rel.clone(),
                ),
            },
            other => add(
                &mut crashes,
                format!("{}: {}", other.as_str(), kind_of(g.message().unwrap_or(""))),
                i,
                || s.rel.clone(),
            ),
        }
        for d in g.warnings() {
            add(&mut gen_warnings, kind_of(&d.message), i, || {
                at_pointer(&s.rel, d)
            });
        }
        let place = |e: &CheckMessage| {
            let mut p = format!(
                "{} {}:{}",
                s.krate,
                e.file().unwrap_or("?"),
                e.line().unwrap_or(0)
            );
            if let Some(t) = e.text() {
                let _ = write!(p, "  `{}`", one_line(t, 120));
            }
            p
        };
        for e in &s.check.errors {
            let code = e.code().unwrap_or("-");
            let key = format!("{code}: {}", kind_of(e.message()));
            add(&mut rustc_errors, key, i, || place(e));
        }
        for e in &s.check.warnings {
            let key = e.code().map_or_else(
                || kind_of(e.message()),
                |c| format!("{c}: {}", kind_of(e.message())),
            );
            add(&mut rustc_warnings, key, i, || place(e));
        }
    }
    render_groups(
        &mut out,
        "panics, crashes, timeouts, internal errors",
        &crashes,
        40,
    );
    render_groups(
        &mut out,
        "generation errors (first error of each spec)",
        &gen_errors,
        40,
    );
    render_groups(&mut out, "apigen warnings", &gen_warnings, 40);
    render_groups(&mut out, "rustc errors", &rustc_errors, 40);
    render_groups(&mut out, "rustc warnings", &rustc_warnings, 40);
    out
}

/// report.json.
#[derive(Serialize, Deserialize)]
struct Report {
    dir: PathBuf,
    created_unix: u64,
    options: ReportOptions,
    summary: Summary,
    specs: Vec<Spec>,
}

/// The options of the run, in report.json.
#[derive(Serialize, Deserialize)]
struct ReportOptions {
    limit: Option<usize>,
    #[serde(rename = "match")]
    matches: Vec<String>,
    check: bool,
    batch: usize,
    jobs: usize,
    timeout_s: u64,
}

/// The counts and times of the run, in report.json.
#[derive(Serialize, Deserialize)]
struct Summary {
    specs: usize,
    generated: usize,
    generation_errors: usize,
    internal_errors: usize,
    panics: usize,
    crashes: usize,
    timeouts: usize,
    compiled_clean: usize,
    compiled_with_warnings: usize,
    failed_to_compile: usize,
    not_checked: usize,
    check_notes: Vec<String>,
    seconds_total: f64,
    seconds_generation_wall: f64,
    seconds_generation_summed: f64,
    seconds_check: f64,
}

fn report_json(
    specs: Vec<Spec>,
    opts: &CorpusArgs,
    dir: &Path,
    timing: &Timing,
    check_notes: Vec<String>,
) -> Report {
    let count = |f: &dyn Fn(&Spec) -> bool| specs.iter().filter(|s| f(s)).count();
    let count_gen = |st: GenStatus| count(&|s| s.generation.status == st);
    let summary = Summary {
        specs: specs.len(),
        generated: count_gen(GenStatus::Ok),
        generation_errors: count_gen(GenStatus::Error),
        internal_errors: count_gen(GenStatus::Internal),
        panics: count_gen(GenStatus::Panic),
        crashes: count_gen(GenStatus::Crash),
        timeouts: count_gen(GenStatus::Timeout),
        compiled_clean: count(&|s| s.check.status == CheckStatus::Ok && s.check.warning_count == 0),
        compiled_with_warnings: count(&|s| {
            s.check.status == CheckStatus::Ok && s.check.warning_count > 0
        }),
        failed_to_compile: count(&|s| s.check.status == CheckStatus::Failed),
        not_checked: count(&|s| s.check.status == CheckStatus::NotChecked),
        check_notes,
        seconds_total: timing.total.as_secs_f64(),
        seconds_generation_wall: timing.gen_wall.as_secs_f64(),
        seconds_generation_summed: timing.gen_cpu_ms as f64 / 1000.0,
        seconds_check: timing.check_wall.as_secs_f64(),
    };
    Report {
        dir: dir.to_owned(),
        created_unix: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        options: ReportOptions {
            limit: opts.limit,
            matches: opts.matches.clone(),
            check: opts.check,
            batch: opts.batch,
            jobs: opts.jobs,
            timeout_s: opts.timeout.as_secs(),
        },
        summary,
        specs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_are_valid_and_unique() {
        let mut taken = BTreeSet::new();
        let a = crate_name("github.com/api.github.com.json", &mut taken);
        assert_eq!(a, "api-github-com-api-github-com");
        let b = crate_name("github.com/api.github.com.yaml", &mut taken);
        assert_ne!(a, b);
        assert!(apigen::config::is_valid_package_name(&b), "{b}");
        let long = crate_name(&"x/".repeat(80), &mut taken);
        assert!(
            long.len() <= 64 && apigen::config::is_valid_package_name(&long),
            "{long}"
        );
        let odd = crate_name("1Forge ü/__x__.yml", &mut taken);
        assert!(apigen::config::is_valid_package_name(&odd), "{odd}");
    }

    #[test]
    fn kinds_blank_specifics() {
        assert_eq!(
            kind_of("unresolved reference `#/components/schemas/Pet` at 12"),
            "unresolved reference `…` at N"
        );
        assert_eq!(kind_of("can't find \"x\""), "can't find \"…\"");
    }

    /// Each status is written as the string it was before the records were typed (report.json
    /// readers match on these).
    #[test]
    fn statuses_are_written_as_before() {
        let gen_statuses = [
            (GenStatus::Ok, "ok"),
            (GenStatus::Error, "error"),
            (GenStatus::Internal, "internal"),
            (GenStatus::Panic, "panic"),
            (GenStatus::Crash, "crash"),
            (GenStatus::Timeout, "timeout"),
        ];
        for (status, text) in gen_statuses {
            assert_eq!(serde_json::to_value(status).unwrap(), Value::from(text));
            assert_eq!(status.as_str(), text);
            let back: GenStatus = serde_json::from_value(Value::from(text)).unwrap();
            assert_eq!(back, status);
        }
        let check_statuses = [
            (CheckStatus::NotAttempted, "-"),
            (CheckStatus::Ok, "ok"),
            (CheckStatus::Failed, "FAILED"),
            (CheckStatus::NotChecked, "n/c"),
        ];
        for (status, text) in check_statuses {
            assert_eq!(serde_json::to_value(status).unwrap(), Value::from(text));
            assert_eq!(status.as_str(), text);
            let back: CheckStatus = serde_json::from_value(Value::from(text)).unwrap();
            assert_eq!(back, status);
        }
        assert_eq!(Check::default().status, CheckStatus::NotAttempted);
    }

    fn diag(pointer: Option<&str>, message: &str) -> GenDiag {
        GenDiag {
            pointer: pointer.map(str::to_owned),
            message: message.into(),
            display: format!("spec.json: error: {message}"),
        }
    }

    /// Every shape of a worker's answer reads back as what was written, with its fields in the
    /// order the untyped answers had.
    #[test]
    fn generations_round_trip() {
        let cases = [
            (
                Generation {
                    status: GenStatus::Ok,
                    outcome: Outcome::Generated {
                        ms: 12,
                        warning_count: 1,
                        warnings: vec![diag(None, "no `info`")],
                        files: 4,
                        bytes: 4218,
                        lines: 117,
                        message: None,
                    },
                },
                r#"{"status":"ok","ms":12,"warning_count":1,"warnings":[{"pointer":null,"message":"no `info`","display":"spec.json: error: no `info`"}],"files":4,"bytes":4218,"lines":117}"#,
            ),
            (
                Generation {
                    status: GenStatus::Internal,
                    outcome: Outcome::Generated {
                        ms: 3,
                        warning_count: 0,
                        warnings: vec![],
                        files: 1,
                        bytes: 2,
                        lines: 1,
                        message: Some("writing the crate failed: denied".into()),
                    },
                },
                r#"{"status":"internal","ms":3,"warning_count":0,"warnings":[],"files":1,"bytes":2,"lines":1,"message":"writing the crate failed: denied"}"#,
            ),
            (
                Generation {
                    status: GenStatus::Error,
                    outcome: Outcome::Failed {
                        message: "spec.json: error: bad".into(),
                        ms: 0,
                        errors: vec![diag(Some("/paths"), "bad")],
                        error_count: 2,
                        warning_count: 1,
                    },
                },
                r#"{"status":"error","message":"spec.json: error: bad","ms":0,"errors":[{"pointer":"/paths","message":"bad","display":"spec.json: error: bad"}],"error_count":2,"warning_count":1}"#,
            ),
            (
                Generation {
                    status: GenStatus::Crash,
                    outcome: Outcome::Stopped {
                        message: "the generator process died (signal 6 SIGABRT): ".into(),
                        stderr: Some("fatal runtime error: stack overflow\n".into()),
                        ms: 6066,
                    },
                },
                r#"{"status":"crash","message":"the generator process died (signal 6 SIGABRT): ","stderr":"fatal runtime error: stack overflow\n","ms":6066}"#,
            ),
            (
                Generation::internal("bad job line: EOF".into()),
                r#"{"status":"internal","message":"bad job line: EOF","ms":0}"#,
            ),
        ];
        for (generation, json) in cases {
            assert_eq!(serde_json::to_string(&generation).unwrap(), json);
            let back: Generation = serde_json::from_str(json).unwrap();
            assert_eq!(back, generation);
        }
    }

    #[test]
    fn jobs_round_trip() {
        let job = Job {
            spec: "/specs/a.json".into(),
            rel: "a.json".into(),
            out: "/out/ws/crates/api-a".into(),
            name: "api-a".into(),
            runtime: "/apigen/runtime".into(),
            write: true,
        };
        let line = serde_json::to_string(&job).unwrap();
        assert_eq!(
            line,
            r#"{"spec":"/specs/a.json","rel":"a.json","out":"/out/ws/crates/api-a","name":"api-a","runtime":"/apigen/runtime","write":true}"#
        );
        let back: Job = serde_json::from_str(&line).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), line);
    }

    /// A spec's record in report.json, with a check that failed in rustc and one cargo stopped.
    #[test]
    fn spec_records_round_trip() {
        let mut check = Check::default();
        let warning = serde_json::json!({
            "level": "warning",
            "message": "unused import: `Foo`",
            "code": {"code": "unused_imports"},
            "spans": [
                {"is_primary": false, "file_name": "src/a.rs", "line_start": 1, "text": []},
                {"is_primary": true, "file_name": "src/lib.rs", "line_start": 7,
                 "text": [{"text": "use crate::Foo;"}]},
            ],
        });
        record_message(&mut check, &warning);
        let error = serde_json::json!({
            "level": "error", "message": "mismatched types", "code": null, "spans": [],
        });
        record_message(&mut check, &error);
        let summary = serde_json::json!({
            "level": "error", "message": "aborting due to 1 previous error", "code": null,
            "spans": [],
        });
        record_message(&mut check, &summary);
        check.errors.push(CheckMessage::Cargo(CargoFailure {
            code: "cargo".into(),
            message: "error: failed to load manifest".into(),
        }));
        check.note = Some("cargo: error".into());
        assert_eq!(check.status, CheckStatus::Failed);
        assert_eq!((check.warning_count, check.error_count), (1, 1));
        let spec = Spec {
            rel: "a.json".into(),
            path: "/specs/a.json".into(),
            bytes: 10,
            krate: "api-a".into(),
            dir: "/out/ws/crates/api-a".into(),
            generation: Generation {
                status: GenStatus::Ok,
                outcome: Outcome::Generated {
                    ms: 1,
                    warning_count: 0,
                    warnings: vec![],
                    files: 4,
                    bytes: 100,
                    lines: 5,
                    message: None,
                },
            },
            check,
        };
        let json = serde_json::to_string(&spec).unwrap();
        assert_eq!(
            json,
            concat!(
                r#"{"spec":"a.json","path":"/specs/a.json","bytes":10,"crate":"api-a","#,
                r#""crate_dir":"/out/ws/crates/api-a","generation":{"status":"ok","ms":1,"#,
                r#""warning_count":0,"warnings":[],"files":4,"bytes":100,"lines":5},"#,
                r#""check":{"status":"FAILED","warning_count":1,"error_count":1,"#,
                r#""warnings":[{"code":"unused_imports","message":"unused import: `Foo`","#,
                r#""file":"src/lib.rs","line":7,"text":"use crate::Foo;"}],"#,
                r#""errors":[{"code":null,"message":"mismatched types","file":null,"#,
                r#""line":null,"text":null},"#,
                r#"{"code":"cargo","message":"error: failed to load manifest"}],"#,
                r#""note":"cargo: error"}}"#
            )
        );
        let back: Spec = serde_json::from_str(&json).unwrap();
        assert_eq!(back.check, spec.check);
        assert_eq!(back.generation, spec.generation);
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
    }
}
