//! Repository tasks: `cargo xtask codegen [--check]`, `cargo xtask codegen --spec FILE --out DIR`,
//! `cargo xtask check FILE...`, `cargo xtask corpus DIR`, `cargo xtask bench`,
//! `cargo xtask conformance`, `cargo xtask api-diff --base REV`. One clap parser reads every task's arguments (`cargo xtask --help`).

mod api_diff;
mod bench;
mod conformance;
mod corpus;
mod semver_check;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, CommandFactory, Parser, Subcommand};

/// Repository tasks for apigen: regenerate generated/, generate and `cargo check` crates from
/// any spec, measure, and call generated clients against a mock server.
#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    subcommand_value_name = "TASK",
    subcommand_help_heading = "Tasks",
    after_help = "`cargo xtask <TASK> --help` describes a task and its options."
)]
struct Cli {
    #[command(subcommand)]
    task: Option<Task>,
}

#[derive(Subcommand)]
enum Task {
    Codegen(CodegenArgs),
    Check(CheckArgs),
    Corpus(corpus::CorpusArgs),
    Bench(bench::BenchArgs),
    Conformance(conformance::ConformanceArgs),
    ApiDiff(api_diff::ApiDiffArgs),
    SemverCrossCheck(semver_check::SemverCheckArgs),
    /// A generation worker of `cargo xtask corpus`: one JSON job per stdin line, one answer line
    /// per job on stdout.
    #[command(hide = true)]
    CorpusWorker,
}

/// Regenerate generated/ from spec/codegen.toml, or generate a standalone crate from any OpenAPI
/// or CSDL file (--spec FILE --out DIR [--name CRATE]).
///
/// With --check, never write: exit 1 and print a diff if the crate is stale.
#[derive(Args)]
struct CodegenArgs {
    /// Exit 1 and print a diff if the crate is stale (never writes).
    #[arg(long)]
    check: bool,
    /// Generate a standalone crate from this OpenAPI or CSDL file instead of spec/codegen.toml
    /// (with --out).
    #[arg(long, value_name = "FILE", requires = "out")]
    spec: Option<PathBuf>,
    /// The directory of the standalone crate (with --spec).
    #[arg(long, value_name = "DIR", requires = "spec")]
    out: Option<PathBuf>,
    /// The standalone crate's name (with --spec and --out; default: the --out directory's name).
    #[arg(long, value_name = "CRATE", requires_all = ["spec", "out"])]
    name: Option<String>,
}

/// Generate a crate for each spec under target/apigen-check/ and `cargo check` it; prints
/// generation and check times.
#[derive(Args)]
struct CheckArgs {
    /// OpenAPI or CSDL files.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
}

fn main() -> ExitCode {
    let Some(task) = Cli::parse().task else {
        // No task: the overview, as `--help` prints it.
        let _ = Cli::command().print_long_help();
        return ExitCode::SUCCESS;
    };
    match task {
        Task::Codegen(args) => codegen(args),
        Task::Check(args) => check(args),
        Task::Corpus(args) => corpus::corpus(args),
        Task::Bench(args) => bench::bench(args),
        Task::Conformance(args) => conformance::conformance(args),
        Task::ApiDiff(args) => api_diff::api_diff(args),
        Task::SemverCrossCheck(args) => semver_check::semver_cross_check(args),
        Task::CorpusWorker => corpus::worker(),
    }
}

/// A clap value parser for counts that must be at least 1 (`--runs`, `--batch`, `-j`, ...).
fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err("a positive whole number is needed".into()),
    }
}

/// The workspace root (the parent of this crate's directory).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn codegen(args: CodegenArgs) -> ExitCode {
    // clap has checked that --spec and --out come together and that --name comes with them.
    let config = match (args.spec, args.out) {
        (Some(spec), Some(out)) => {
            match apigen::Config::standalone(spec, out, args.name.as_deref()) {
                Ok(mut c) => {
                    c.krate.runtime_path = Some(root().join("runtime"));
                    c
                }
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(2);
                }
            }
        }
        _ => match apigen::Config::from_file(root().join("spec/codegen.toml")) {
            Ok(c) => c,
            Err(e) => return fail(&e),
        },
    };
    // The same library calls as the `apigen` command: diagnostics, atomic write or diff.
    use apigen::workflow::{self, Mode, Options};
    let mode = if args.check { Mode::Check } else { Mode::Write };
    let options = Options {
        progress: workflow::progress_wanted(),
        ..Options::default()
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

/// Generate and `cargo check` crates for arbitrary spec files (e.g. the whole Graph v1.0 CSDL,
/// too slow for the test suite).
fn check(args: CheckArgs) -> ExitCode {
    let base = root().join("target/apigen-check");
    let mut failed = false;
    for path in &args.files {
        let stem = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "spec".into());
        let name = format!("check-{}", bench::slug(&stem));
        let out = base.join(&name);
        let mut config = apigen::Config::new(path, &out, &name);
        config.krate.runtime_path = Some(root().join("runtime"));
        config.krate.standalone = true;
        let start = Instant::now();
        let generated = match config.generate() {
            Ok(g) => g,
            Err(e) => {
                fail(&e);
                failed = true;
                continue;
            }
        };
        let gen_ms = start.elapsed().as_millis();
        let warnings = generated.diagnostics.len();
        if let Err(e) = generated.write() {
            fail(&e);
            failed = true;
            continue;
        }
        let bytes: usize = generated.files.values().map(String::len).sum();
        let lines: usize = generated.files.values().map(|f| f.lines().count()).sum();
        let start = Instant::now();
        let status =
            std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .args(["check", "--quiet"])
                .env("CARGO_TARGET_DIR", base.join("target"))
                .current_dir(&out)
                .status();
        let ok = matches!(status, Ok(s) if s.success());
        failed |= !ok;
        println!(
            "{}: generated in {gen_ms} ms ({warnings} warnings, {} files, {lines} lines, {bytes} bytes); cargo check {} in {:.1} s",
            path.display(),
            generated.files.len(),
            if ok { "passed" } else { "FAILED" },
            start.elapsed().as_secs_f64()
        );
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn fail(e: &apigen::Error) -> ExitCode {
    let diags = e.diagnostics();
    if diags.is_empty() {
        eprintln!("error: {e}");
    } else {
        eprint!("{}", apigen::render_diagnostics(diags));
        let n = diags
            .iter()
            .filter(|d| d.severity == apigen::Severity::Error)
            .count();
        eprintln!("error: generation failed with {n} error(s); nothing was written");
    }
    ExitCode::FAILURE
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::error::ErrorKind;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("xtask").chain(args.iter().copied()))
    }

    #[test]
    fn the_parser_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn representative_command_lines_parse_and_misuse_is_rejected() {
        let Some(Task::Codegen(c)) = parse(&["codegen", "--check"]).unwrap().task else {
            panic!("codegen");
        };
        assert!(c.check && c.spec.is_none() && c.out.is_none() && c.name.is_none());

        let Some(Task::Codegen(c)) =
            parse(&["codegen", "--spec", "a.yaml", "--out", "o", "--name", "x"])
                .unwrap()
                .task
        else {
            panic!("codegen --spec");
        };
        assert_eq!(c.spec, Some(PathBuf::from("a.yaml")));
        assert_eq!(c.name.as_deref(), Some("x"));

        let e = parse(&["codegen", "--name", "x"])
            .err()
            .expect("--name alone");
        assert_eq!(e.kind(), ErrorKind::MissingRequiredArgument);
        assert_eq!(e.exit_code(), 2);
        let e = parse(&["codegen", "--spec", "a.yaml"])
            .err()
            .expect("--spec alone");
        assert_eq!(e.kind(), ErrorKind::MissingRequiredArgument);

        assert!(parse(&["check"]).is_err());
        assert!(matches!(
            parse(&["check", "a.yaml", "b.xml"]).unwrap().task,
            Some(Task::Check(c)) if c.files.len() == 2
        ));

        let corpus = parse(&[
            "corpus",
            "specs",
            "--match",
            "a",
            "--match",
            "b",
            "-j",
            "3",
            "--no-check",
        ]);
        assert!(corpus.is_ok());
        assert!(parse(&["corpus", "specs", "--limit", "0"]).is_err());
        assert_eq!(
            parse(&["corpus", "a", "b"]).err().map(|e| e.kind()),
            Some(ErrorKind::UnknownArgument)
        );

        assert!(parse(&["bench", "--runs", "5", "--only", "seed", "--only", "graph"]).is_ok());
        assert_eq!(
            parse(&["bench", "--runs", "0"]).err().map(|e| e.kind()),
            Some(ErrorKind::ValueValidation)
        );
        assert_eq!(
            parse(&["bench", "--runs"]).err().map(|e| e.kind()),
            Some(ErrorKind::InvalidValue)
        );

        assert!(
            parse(&[
                "conformance",
                "d",
                "--sample",
                "3",
                "--seed",
                "7",
                "--paths",
                "/a"
            ])
            .is_ok()
        );
        assert!(parse(&["conformance", "--sample", "3"]).is_err());
        assert!(matches!(
            parse(&["corpus-worker"]).unwrap().task,
            Some(Task::CorpusWorker)
        ));
        assert!(parse(&["frob"]).is_err());
    }
}
