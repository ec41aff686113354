//! apigen: generate typed, async Rust SDK crates from OpenAPI 3.x and Swagger 2.0 (YAML or
//! JSON) and OData CSDL (`$metadata` XML) descriptions.
//!
//! The public API is what an SDK's own xtask needs: [`Config`] (read from `codegen.toml`, see
//! `docs/codegen-toml.md`), [`Config::generate`] and [`generate_from_bytes`] giving a
//! [`Generated`] crate to write or check, [`Error`] and [`Diagnostic`] (located in the spec),
//! and [`workflow`], the whole `codegen [--check]` command with readable output.
//!
//! Inside, the pipeline is read -> front end (OpenAPI or CSDL) -> IR -> finish -> emit ->
//! format -> write; `ARCHITECTURE.md` at the repository's root draws it and says where each
//! decision is made. The stages are reachable for apigen's own tools through a hidden
//! `unstable` module, with no stability promise.
//!
//! # From your own xtask
//!
//! Downstream SDK crates generate from their own `xtask` (add `apigen` with
//! `default-features = false` to leave out the command line's dependencies):
//!
//! ```no_run
//! // cargo xtask codegen
//! let generated = apigen::Config::from_file("spec/codegen.toml")?.generate()?;
//! for warning in &generated.diagnostics {
//!     eprintln!("{warning}");
//! }
//! generated.write()?; // or .write_to("some/other/dir")
//! # Ok::<(), apigen::Error>(())
//! ```
//!
//! and check for drift in CI (and in a `#[test]`, so plain `cargo test` catches it):
//!
//! ```no_run
//! // cargo xtask codegen --check
//! let report = apigen::Config::from_file("spec/codegen.toml")?.generate()?.check()?;
//! if !report.is_up_to_date() {
//!     print!("{}", report.diff());
//!     std::process::exit(1);
//! }
//! # Ok::<(), apigen::Error>(())
//! ```
//!
//! [`workflow::run`] does either with readable diagnostics and an exit status, as the `apigen`
//! binary and `cargo xtask codegen` do; a whole downstream xtask can be this:
//!
//! ```no_run
//! // xtask/src/main.rs: `cargo xtask codegen [--check]`
//! use apigen::workflow::{self, Mode, Options};
//!
//! fn main() -> std::process::ExitCode {
//!     let mode = if std::env::args().any(|a| a == "--check") { Mode::Check } else { Mode::Write };
//!     let config = match apigen::Config::from_file("spec/codegen.toml") {
//!         Ok(config) => config,
//!         Err(e) => {
//!             eprintln!("error: {e}");
//!             return std::process::ExitCode::FAILURE;
//!         }
//!     };
//!     let options = Options { progress: workflow::progress_wanted(), ..Options::default() };
//!     let outcome = workflow::run(&config, mode, options, &mut std::io::stdout(), &mut std::io::stderr());
//!     std::process::ExitCode::from(outcome.exit_code())
//! }
//! ```
//!
//! # In memory
//!
//! ```
//! let spec = br##"
//! openapi: 3.0.3
//! info: {title: Pets, version: "1"}
//! paths:
//!   /pets/{id}:
//!     get:
//!       operationId: getPet
//!       parameters: [{name: id, in: path, required: true, schema: {type: string}}]
//!       responses:
//!         "200":
//!           description: A pet.
//!           content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
//! components:
//!   schemas:
//!     Pet: {type: object, properties: {name: {type: string}}}
//! "##;
//! let config = apigen::Config::new("pets.yaml", "pets", "pets");
//! let generated = apigen::generate_from_bytes(&config, "pets.yaml".as_ref(), spec.to_vec())?;
//! assert!(generated.files["src/models.rs"].contains("pub struct Pet {"));
//! assert!(generated.files["src/client.rs"].contains("pub fn get_pet("));
//! # Ok::<(), apigen::Error>(())
//! ```
//!
//! Errors are [`Error`]s whose [`Diagnostic`]s name the file, the JSON pointer or line:column,
//! what was found and what was expected:
//!
//! ```
//! let config = apigen::Config::new("bad.yaml", "out", "bad");
//! let err = apigen::generate_from_bytes(&config, "bad.yaml".as_ref(), b"openapi: '4.0'\n".to_vec())
//!     .unwrap_err();
//! let d = &err.diagnostics()[0];
//! assert_eq!(d.message, "unsupported OpenAPI version `4.0`");
//! assert_eq!((d.location.line, d.location.column), (Some(1), Some(1)));
//! ```

pub mod config;
mod csdl;
mod diagnostics;
pub mod diff;
mod emit;
mod format;
mod ir;
mod lowering;
mod naming;
mod openapi;
mod output;
mod progress;
mod source;
pub mod workflow;
mod yaml;

/// The generator's stages, for apigen's own xtask (`cargo xtask conformance`, `corpus`,
/// `bench`), its tests and its fuzz targets. **No stability promise**: anything here may
/// change in any release. An SDK's xtask needs only [`Config`], [`Generated`] and
/// [`workflow`].
///
/// The pipeline, in the order the data flows (see `ARCHITECTURE.md`):
///
/// - [`source`](unstable::source) reads spec text (JSON, YAML through [`yaml`](unstable::yaml),
///   XML) and maps JSON pointers back to line:column for diagnostics;
/// - [`openapi`](unstable::openapi) (OpenAPI 3.x) and [`csdl`](unstable::csdl) (OData
///   `$metadata`) are the front ends: each lowers its document into the [`ir`](unstable::ir),
///   deciding types, nullability, inheritance, polymorphism, paging and operation shapes;
/// - [`lowering`](unstable::lowering) finishes the IR the same way for both: configuration
///   overrides, names (through [`naming`](unstable::naming), the one place names are made),
///   inline merging, selection of what the operations reach, pruning and sorting;
/// - [`emit`](unstable::emit) plans the crate's layout and renders the IR as Rust tokens,
///   [`format`](unstable::format) pretty-prints them;
/// - [`output`](unstable::output) writes the crate atomically or compares it with the disk.
#[doc(hidden)]
pub mod unstable {
    use std::sync::Arc;

    use crate::{Config, Diagnostic, Error, Generated};

    /// Lower `config`'s spec into the IR (what the emitter reads), with its warnings.
    ///
    /// # Errors
    ///
    /// As [`Config::generate`].
    pub fn lower(config: &Config) -> Result<(ir::Api, Vec<Diagnostic>), Error> {
        crate::lower(config)
    }

    /// [`Config::generate`], reporting each phase to `progress`.
    ///
    /// # Errors
    ///
    /// As [`Config::generate`].
    pub fn generate_observed(
        config: &Config,
        progress: Arc<progress::Progress>,
    ) -> Result<Generated, Error> {
        crate::generate_observed(config, progress)
    }

    macro_rules! stages {
        ($($name:ident),*) => {$(
            #[doc = concat!("Re-export of the crate's `", stringify!($name), "` module.")]
            pub mod $name {
                pub use crate::$name::*;
            }
        )*};
    }
    stages!(
        csdl,
        diagnostics,
        emit,
        format,
        ir,
        lowering,
        naming,
        openapi,
        output,
        progress,
        source,
        yaml
    );
}

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use config::{Config, InputFormat};
pub use diagnostics::{Diagnostic, Error, Location, Severity};
pub use diff::{ApiDiff, diff};
pub use emit::Files;
pub use output::CheckReport;

use diagnostics::Diagnostics;
use progress::Progress;
use source::{SourceFile, Syntax};

/// The result of a successful generation: the crate's files and any warnings.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Relative path -> contents.
    pub files: Files,
    /// Warnings (constructs generated with a fallback), with positions.
    pub diagnostics: Vec<Diagnostic>,
    /// Where [`Generated::write`] and [`Generated::check`] look.
    pub output: PathBuf,
    /// Where the time went.
    pub timings: Timings,
}

/// Time spent in each phase of a generation (for benchmarks and `--timings`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timings {
    /// Reading the spec into a document (JSON, YAML or XML parsing, `$ref` bundling).
    pub parse: std::time::Duration,
    /// Lowering the document to the IR (types, operations, names, selection).
    pub lower: std::time::Duration,
    /// Emitting the files, wall time (tokens and formatting, on `threads` threads).
    pub emit: std::time::Duration,
    /// Of `emit`: time the emitting threads spent building tokens, summed over threads (wall
    /// time per thread, so it includes time the machine gave to other processes).
    pub tokens_cpu: std::time::Duration,
    /// Of `emit`: time the emitting threads spent parsing and printing tokens as Rust, summed
    /// over threads (likewise).
    pub format_cpu: std::time::Duration,
}

impl Generated {
    /// Write the crate to the configured output directory (atomically).
    pub fn write(&self) -> Result<(), Error> {
        output::write(&self.files, &self.output)
    }

    /// Write the crate to `dir` (atomically).
    pub fn write_to(&self, dir: impl AsRef<Path>) -> Result<(), Error> {
        output::write(&self.files, dir.as_ref())
    }

    /// Compare with the configured output directory; never writes.
    pub fn check(&self) -> Result<CheckReport, Error> {
        output::check(&self.files, &self.output)
    }

    /// Compare with `dir`; never writes.
    pub fn check_dir(&self, dir: impl AsRef<Path>) -> Result<CheckReport, Error> {
        output::check(&self.files, dir.as_ref())
    }
}

impl Config {
    /// Run the generator for this configuration.
    pub fn generate(&self) -> Result<Generated, Error> {
        generate(self)
    }
}

/// Render diagnostics for a terminal, with an excerpt of the spec at each position.
pub fn render_diagnostics(diags: &[Diagnostic]) -> String {
    // Each file is read and indexed by line once: a spec can have thousands of warnings.
    type Lines = Option<(String, source::LineIndex)>;
    let mut cache: std::collections::BTreeMap<PathBuf, Lines> = Default::default();
    let mut out = String::new();
    for d in diags {
        let lines = cache.entry(d.location.file.clone()).or_insert_with(|| {
            let text = std::fs::read_to_string(&d.location.file).ok()?;
            let index = source::LineIndex::new(&text);
            Some((text, index))
        });
        let line = match (lines.as_ref(), d.location.line) {
            (Some((text, index)), Some(n)) => index.line(text, n as usize),
            _ => None,
        };
        out.push_str(&d.render_with_line(line));
        out.push('\n');
    }
    out
}

/// Stack size of the generation thread: lowering recurses along nested schemas (bounded by the
/// document's nesting limit), and deserializers recurse too; debug builds need room.
pub(crate) const STACK_SIZE: usize = 256 * 1024 * 1024;

/// Run the generator for `config`.
pub fn generate(config: &Config) -> Result<Generated, Error> {
    generate_observed(config, Arc::new(Progress::new()))
}

/// [`generate`], updating `progress` as it goes (for a progress display on another thread).
pub(crate) fn generate_observed(
    config: &Config,
    progress: Arc<Progress>,
) -> Result<Generated, Error> {
    let config = config.clone();
    let observed = Arc::clone(&progress);
    let result = on_generator_thread(move || generate_here(&config, &observed));
    progress.set_phase(progress::Phase::Done);
    result
}

/// Run `job` on a thread with a large stack; a panic becomes [`Error::Internal`].
fn on_generator_thread(
    job: impl FnOnce() -> Result<Generated, Error> + Send + 'static,
) -> Result<Generated, Error> {
    let handle = std::thread::Builder::new()
        .name("apigen".into())
        .stack_size(STACK_SIZE)
        .spawn(job)
        .map_err(|e| Error::io("<thread>", e))?;
    match handle.join() {
        Ok(r) => r,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(Error::Internal {
                file: "<generator>".into(),
                message: format!("the generator panicked: {message}"),
            })
        }
    }
}

fn generate_here(config: &Config, progress: &Progress) -> Result<Generated, Error> {
    let source = SourceFile::read(&config.input, config.max_input_bytes)
        .map_err(|d| Error::Spec(vec![*d]))?;
    generate_from_source(config, &source, progress)
}

/// Generate from spec text already in memory (`path` is used in messages and to pick the
/// syntax by extension).
pub fn generate_from_bytes(
    config: &Config,
    path: &Path,
    bytes: Vec<u8>,
) -> Result<Generated, Error> {
    let config = config.clone();
    let path = path.to_path_buf();
    on_generator_thread(move || {
        let source = SourceFile::from_bytes(&path, bytes).map_err(|d| Error::Spec(vec![*d]))?;
        generate_from_source(&config, &source, &Progress::new())
    })
}

/// Parse a spec, then lower it, recording each phase's time and telling `progress` when
/// lowering starts. A parse error becomes a diagnostic and the result is `None`.
pub(crate) fn parse_then_lower<D>(
    diags: &mut Diagnostics,
    timings: &mut Timings,
    progress: &Progress,
    parse: impl FnOnce(&mut Diagnostics) -> Result<D, Box<Diagnostic>>,
    lower: impl FnOnce(&D, &mut Diagnostics) -> Option<ir::Api>,
) -> Option<ir::Api> {
    let start = std::time::Instant::now();
    let parsed = parse(diags);
    timings.parse = start.elapsed();
    match parsed {
        Ok(doc) => {
            progress.set_phase(progress::Phase::Lowering);
            let start = std::time::Instant::now();
            let api = lower(&doc, diags);
            timings.lower = start.elapsed();
            api
        }
        Err(d) => {
            diags.push(*d);
            None
        }
    }
}

/// Read and lower the spec of `config` to the [`ir::Api`] the generator emits code from,
/// without emitting anything: for tools that work alongside a generated crate (conformance
/// harnesses, API reports). Warnings come back with the API; errors are an [`Error`].
pub(crate) fn lower(config: &Config) -> Result<(ir::Api, Vec<Diagnostic>), Error> {
    let config = config.clone();
    let handle = std::thread::Builder::new()
        .name("apigen".into())
        .stack_size(STACK_SIZE)
        .spawn(move || {
            let source = SourceFile::read(&config.input, config.max_input_bytes)
                .map_err(|d| Error::Spec(vec![*d]))?;
            let mut timings = Timings::default();
            lower_source(&config, &source, &Progress::new(), &mut timings)
        })
        .map_err(|e| Error::io("<thread>", e))?;
    handle.join().unwrap_or_else(|_| {
        Err(Error::Internal {
            file: "<generator>".into(),
            message: "the generator panicked while lowering".into(),
        })
    })
}

/// Parse and lower `source`: the API and its warnings, or every error found.
fn lower_source(
    config: &Config,
    source: &SourceFile,
    progress: &Progress,
    timings: &mut Timings,
) -> Result<(ir::Api, Vec<Diagnostic>), Error> {
    let mut diags = Diagnostics::default();
    let format = config.format.unwrap_or(match source.syntax {
        Syntax::Xml => InputFormat::Csdl,
        _ => InputFormat::OpenApi,
    });
    let api = match format {
        InputFormat::OpenApi => openapi::read_timed(source, config, &mut diags, timings, progress),
        InputFormat::Csdl => csdl::read_timed(source, config, &mut diags, timings, progress),
    };
    let mut all = diags.into_vec();
    let mut locations: Vec<Location> = all
        .iter_mut()
        .map(|d| std::mem::take(&mut d.location))
        .collect();
    source.resolve_all(&mut locations);
    for (d, l) in all.iter_mut().zip(locations) {
        d.location = l;
    }
    match api {
        Some(api) if !all.iter().any(|d| d.severity == Severity::Error) => Ok((api, all)),
        _ => Err(Error::Spec(all)),
    }
}

fn generate_from_source(
    config: &Config,
    source: &SourceFile,
    progress: &Progress,
) -> Result<Generated, Error> {
    let mut timings = Timings::default();
    let (api, all) = lower_source(config, source, progress, &mut timings)?;
    let start = std::time::Instant::now();
    let (mut files, tokens_cpu, format_cpu) = emit::emit_timed(&api, config, progress)?;
    if config.krate.api_file {
        let surface = diff::surface::Surface::read(&files, Some(&api));
        files.insert(diff::surface::API_FILE.into(), surface.listing());
    }
    timings.emit = start.elapsed();
    timings.tokens_cpu = tokens_cpu;
    timings.format_cpu = format_cpu;
    Ok(Generated {
        files,
        diagnostics: all,
        output: config.output.clone(),
        timings,
    })
}
