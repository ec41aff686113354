//! The `apigen` command line: generate a Rust SDK crate from an OpenAPI or CSDL description, or
//! check that a generated crate is up to date.

use std::path::PathBuf;
use std::process::ExitCode;

use apigen::Config;
use apigen::workflow::{self, Mode};
use clap::{Args, Parser, Subcommand};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EXAMPLES: &str = "\
Examples:
  Generate the crate described by a codegen.toml:
    apigen generate --config spec/codegen.toml

  Generate a crate from any spec file, without a configuration file:
    apigen generate --spec openapi.yaml --out ../petstore --name petstore

  In CI, fail (exit 1, with a diff) when the committed crate is stale:
    apigen check --config spec/codegen.toml

  What a new version of the spec does to the crate's API, and whether it breaks users:
    apigen diff old/openapi.yaml spec/openapi.yaml --config spec/codegen.toml --fail-on major

Every key of codegen.toml is described in docs/codegen-toml.md.";

/// Generate typed async Rust SDK crates from OpenAPI 3.x and Swagger 2.0 (YAML or JSON) and OData CSDL
/// ($metadata XML) descriptions.
#[derive(Parser)]
#[command(name = "apigen", version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the crate (written atomically: nothing changes unless generation succeeds).
    #[command(after_help = EXAMPLES)]
    Generate(Target),
    /// Compare the crate on disk with what would be generated; print a diff and exit 1 when it is
    /// stale. Never writes.
    #[command(after_help = EXAMPLES)]
    Check(Target),
    /// Report what changes in the generated crate's public API from the OLD spec to the NEW
    /// one: every changed method, setter, model, field, enum and feature, with its semver
    /// level (major, minor, patch), why, where it is in each spec, and the next version.
    /// Exit status 1 when a change reaches `--fail-on`, 2 when a side cannot be read.
    #[command(after_help = EXAMPLES)]
    Diff(DiffArgs),
}

#[derive(Args)]
struct DiffArgs {
    /// The old version of the spec.
    old: PathBuf,
    /// The new version of the spec.
    new: PathBuf,
    /// The codegen.toml both sides are generated with (its `input` is replaced by OLD and
    /// NEW); without it, the defaults.
    #[arg(long)]
    config: Option<PathBuf>,
    /// text (default), markdown (for a pull-request comment), json or github (workflow
    /// annotations).
    #[arg(long, default_value = "text")]
    format: apigen::diff::Format,
    /// Exit with status 1 when a change is at least this level: major, minor or any.
    #[arg(long)]
    fail_on: Option<apigen::diff::Level>,
}

fn diff(args: DiffArgs) -> ExitCode {
    let base = match &args.config {
        Some(path) => match Config::from_file(path) {
            Ok(c) => c,
            Err(e) => {
                workflow::report_error(&e, &mut std::io::stderr());
                return ExitCode::from(2);
            }
        },
        None => Config::new(&args.new, "out", "api"),
    };
    let side = |spec: &PathBuf| {
        let mut c = base.clone();
        c.input = spec.clone();
        c
    };
    match apigen::diff(&side(&args.old), &side(&args.new)) {
        Ok(report) => {
            // Written, not printed: a closed pipe (`apigen diff ... | head`) is not a panic.
            use std::io::Write as _;
            let _ = std::io::stdout().write_all(report.render(args.format).as_bytes());
            if args.fail_on.is_some_and(|t| report.fails_at(t)) {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            workflow::report_error(&e, &mut std::io::stderr());
            ExitCode::from(2)
        }
    }
}

#[derive(Args)]
struct Target {
    /// The codegen.toml to use (default: ./codegen.toml, unless --spec is given).
    #[arg(long, conflicts_with = "spec")]
    config: Option<PathBuf>,
    /// A spec file to generate from directly (OpenAPI YAML/JSON or CSDL XML).
    #[arg(long, requires = "out")]
    spec: Option<PathBuf>,
    /// The crate directory to write, with --spec.
    #[arg(long, requires = "spec")]
    out: Option<PathBuf>,
    /// The crate name, with --spec (default: the --out directory's name).
    #[arg(long, requires = "spec")]
    name: Option<String>,
    /// Path to the apigen-runtime crate to depend on, with --spec (default: the published one).
    #[arg(long, requires = "spec")]
    runtime_path: Option<PathBuf>,
    /// Fail (exit 1) when there are warnings.
    #[arg(long)]
    deny_warnings: bool,
    /// Print the time spent parsing, lowering and emitting.
    #[arg(long)]
    timings: bool,
}

/// Turn off transparent huge pages for this process. mimalloc asks the kernel for them on its
/// arenas, and the kernel then zeroes 2 MiB at each first touch: on the whole Microsoft Graph
/// that was a tenth of the run and made parse times swing between 0.7 and 1.8 s (measured with
/// `perf`; `MIMALLOC_ALLOW_THP=0` gives the same effect). Peak memory is also a little lower.
#[cfg(target_os = "linux")]
fn no_transparent_huge_pages() {
    const PR_SET_THP_DISABLE: std::ffi::c_int = 41;
    unsafe extern "C" {
        fn prctl(option: std::ffi::c_int, ...) -> std::ffi::c_int;
    }
    // SAFETY: prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) only sets a flag of this process; its
    // result is ignored (older kernels without it keep the default).
    unsafe {
        prctl(
            PR_SET_THP_DISABLE,
            1 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn no_transparent_huge_pages() {}

fn main() -> ExitCode {
    no_transparent_huge_pages();
    let cli = Cli::parse();
    let (mode, target) = match cli.command {
        Command::Generate(t) => (Mode::Write, t),
        Command::Check(t) => (Mode::Check, t),
        Command::Diff(args) => return diff(args),
    };
    let config = match (&target.spec, &target.out) {
        (Some(spec), Some(out)) => match Config::standalone(spec, out, target.name.as_deref()) {
            Ok(mut c) => {
                c.krate.runtime_path = target.runtime_path.clone();
                c
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        _ => {
            let path = target
                .config
                .clone()
                .unwrap_or_else(|| PathBuf::from("codegen.toml"));
            match Config::from_file(&path) {
                Ok(c) => c,
                Err(e) => {
                    workflow::report_error(&e, &mut std::io::stderr());
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    let options = workflow::Options {
        deny_warnings: target.deny_warnings,
        timings: target.timings,
        progress: workflow::progress_wanted(),
    };
    let outcome = workflow::run(
        &config,
        mode,
        options,
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    ExitCode::from(outcome.exit_code())
}
