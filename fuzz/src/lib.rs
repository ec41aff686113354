//! Shared harness for the apigen fuzz targets (see `fuzz/README.md`).
//!
//! Every target ends in [`check`], which runs `apigen::generate_from_bytes` and turns anything
//! that is a generator bug into a crash:
//!
//! - `Err(Error::Internal { .. })`: a panic on the generator thread (apigen converts it) or
//!   generated code that does not parse. The panic message, location and backtrace recorded by
//!   our panic hook are printed before the target panics.
//! - `Err(Error::Spec(..))` whose diagnostics hold no error: the input was refused without
//!   saying why.
//! - `Ok(..)` whose `src/**.rs` files do not parse again with `syn` after pretty-printing, or
//!   whose `Cargo.toml` is not valid TOML.
//! - A panic while rendering any diagnostic with its source excerpt (what the CLI prints).
//!
//! `Err(Error::Spec(..))` with an error diagnostic, `Err(Error::Io)` and `Err(Error::Config)` are
//! the expected answers to bad input.
//!
//! Panics are tricky here: libfuzzer-sys installs a panic hook that aborts the process on *any*
//! panic, but apigen deliberately catches panics in two places (`openapiv3`'s internal
//! `expect`s during loading, and the generator thread as a whole). [`install_panic_hook`]
//! replaces that hook: a panic on any thread other than the fuzzing thread (the generator thread
//! named `apigen`, or worker threads it starts) is recorded, not fatal, and whether it was a bug
//! is decided by what `generate_from_bytes` returns. A panic on the fuzzing thread (the
//! target's own assertions) still prints and aborts.

use std::backtrace::Backtrace;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once, OnceLock};

pub use apigen;

/// Largest input handed to the generator (also pass `-max_len` to libFuzzer).
pub const MAX_INPUT_BYTES: u64 = 1 << 20;

struct CaughtPanic {
    message: String,
    backtrace: Backtrace,
}

static HOOK: Once = Once::new();
static CAUGHT: Mutex<Vec<CaughtPanic>> = Mutex::new(Vec::new());

/// Replace libfuzzer-sys's abort-on-any-panic hook (idempotent; [`check`] calls it, so the
/// thread that calls it first is taken as the fuzzing thread).
pub fn install_panic_hook() {
    HOOK.call_once(|| {
        let fuzz_thread = std::thread::current().id();
        // libfuzzer-sys's hook: print with the default hook, then abort.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().id() != fuzz_thread {
                // The generator thread, or a worker thread it started: apigen decides.
                let caught = CaughtPanic {
                    message: format!(
                        "[thread {}] {info}",
                        std::thread::current().name().unwrap_or("<unnamed>")
                    ),
                    backtrace: Backtrace::force_capture(),
                };
                CAUGHT.lock().unwrap_or_else(|e| e.into_inner()).push(caught);
            } else {
                previous(info);
                // In case the previous hook was not libfuzzer-sys's.
                std::process::abort();
            }
        }));
    });
}

/// A directory the spec pretends to live in. Relative `$ref`s to other files resolve against
/// it, so it holds copies of the `external-refs` fixture's other files (`common.yaml`,
/// `schemas/tree.yaml`) for the seeds that use them.
pub fn sandbox_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("apigen-fuzz-{}", std::process::id()));
        let _ = std::fs::create_dir_all(dir.join("schemas"));
        let _ = std::fs::write(
            dir.join("common.yaml"),
            include_str!("../../generator/tests/fixtures/external-refs/common.yaml"),
        );
        let _ = std::fs::write(
            dir.join("schemas/tree.yaml"),
            include_str!("../../generator/tests/fixtures/external-refs/schemas/tree.yaml"),
        );
        dir
    })
}

/// Which reader the input goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// OpenAPI (forced with `config.format`); the file name's extension, or else the first
    /// significant character, picks YAML or JSON.
    OpenApi,
    /// OData CSDL (forced with `config.format`).
    Csdl,
}

/// Run the whole pipeline on `bytes` as if read from `file_name` and fail on generator bugs.
pub fn check(file_name: &str, reader: Reader, bytes: Vec<u8>) {
    install_panic_hook();
    CAUGHT.lock().unwrap_or_else(|e| e.into_inner()).clear();

    let dir = sandbox_dir();
    let path = dir.join(file_name);
    let mut config = apigen::Config::new(&path, dir.join("out"), "fuzzed_api");
    config.max_input_bytes = MAX_INPUT_BYTES;
    config.format = Some(match reader {
        Reader::OpenApi => apigen::InputFormat::OpenApi,
        Reader::Csdl => apigen::InputFormat::Csdl,
    });
    // What the CLI would show next to diagnostics: the file as read from disk.
    let text = String::from_utf8(bytes.clone()).ok();

    match apigen::generate_from_bytes(&config, &path, bytes) {
        Ok(generated) => {
            render_all(&generated.diagnostics, &path, text.as_deref());
            check_files(&generated.files);
        }
        Err(apigen::Error::Internal { file, message }) => {
            let caught = std::mem::take(&mut *CAUGHT.lock().unwrap_or_else(|e| e.into_inner()));
            if is_known(&message, &caught) {
                return;
            }
            for (i, c) in caught.iter().enumerate() {
                eprintln!(
                    "==== panic {} of {} in the generator: {}\n{}",
                    i + 1,
                    caught.len(),
                    c.message,
                    c.backtrace
                );
            }
            panic!("apigen::Error::Internal (file {file}): {message}");
        }
        Err(apigen::Error::Spec(diags)) => {
            render_all(&diags, &path, text.as_deref());
            assert!(
                diags
                    .iter()
                    .any(|d| d.severity == apigen::Severity::Error),
                "Error::Spec without any error diagnostic: {diags:#?}"
            );
        }
        Err(apigen::Error::Io { .. } | apigen::Error::Config(_)) => {}
    }
}

/// `APIGEN_FUZZ_IGNORE="text|other text"`: an internal error whose message, or the message of a
/// panic behind it, contains one of these texts is a known bug and not reported again (to keep
/// fuzzing past a bug that fires often; the default is to report everything).
fn is_known(message: &str, caught: &[CaughtPanic]) -> bool {
    static KNOWN: OnceLock<Vec<String>> = OnceLock::new();
    let known = KNOWN.get_or_init(|| {
        std::env::var("APIGEN_FUZZ_IGNORE")
            .map(|v| v.split('|').filter(|t| !t.is_empty()).map(str::to_owned).collect())
            .unwrap_or_default()
    });
    known.iter().any(|k| {
        message.contains(k.as_str()) || caught.iter().any(|c| c.message.contains(k.as_str()))
    })
}

/// Render every diagnostic the way `apigen::render_diagnostics` does (with the source excerpt).
fn render_all(diags: &[apigen::Diagnostic], path: &Path, text: Option<&str>) {
    for d in diags {
        let _ = d.to_string();
        if d.location.file == path {
            let _ = d.render(text);
        } else {
            let other = std::fs::read_to_string(&d.location.file).ok();
            let _ = d.render(other.as_deref());
        }
    }
}

/// Oracles on a successful generation.
fn check_files(files: &apigen::Files) {
    for (name, contents) in files {
        if name.ends_with(".rs") {
            if let Err(e) = syn::parse_file(contents) {
                panic!(
                    "generated {name} does not parse after pretty-printing: {e}\n{contents}"
                );
            }
        } else if name.ends_with(".toml") {
            if let Err(e) = contents.parse::<toml::Table>() {
                panic!("generated {name} is not valid TOML: {e}\n{contents}");
            }
        }
    }
}
