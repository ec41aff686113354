//! Repository tasks: `cargo xtask codegen [--check]`, `cargo xtask codegen --spec FILE --out DIR`,
//! `cargo xtask check FILE...`, `cargo xtask corpus DIR`, `cargo xtask bench`.

mod bench;
mod conformance;
mod corpus;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "\
usage:
  cargo xtask codegen            regenerate generated/ from spec/codegen.toml
  cargo xtask codegen --check    exit 1 and print a diff if generated/ is stale (never writes)
  cargo xtask codegen --spec FILE --out DIR [--name CRATE]
                                 generate a standalone crate from any OpenAPI or CSDL file
  cargo xtask check FILE...      generate a crate for each spec under target/apigen-check/ and
                                 `cargo check` it; prints generation and check times
  cargo xtask corpus DIR [--limit N] [--match SUBSTR] [--out DIR] [--no-check]
                     [--batch N] [-j N] [--timeout SECS]
                                 generate a crate for every spec under DIR (recursively: *.json,
                                 *.yaml, *.yml, *.xml; sorted by path) and `cargo check` them all
                                 in one scratch workspace OUT/ws with one target dir OUT/target
                                 (OUT: target/apigen-corpus). Prints a table (spec, generation
                                 status, apigen warnings, generation ms, check status, rustc
                                 warnings, first error) and a summary, and writes OUT/report.txt
                                 and OUT/report.json. Exit status 0 when the run completes,
                                 whatever failed in it.
      --limit N                  only the first N specs (after --match)
      --match SUBSTR             only specs whose path relative to DIR contains SUBSTR
                                 (repeatable: any of them)
      --out DIR                  where the workspace, target dir and reports go
      --no-check                 generate only (nothing is written), no `cargo check`
      --batch N                  crates per `cargo check` run (default 100)
      -j N                       generator processes and cargo jobs (default: CPU count)
      --timeout SECS             a spec still generating after SECS is reported as a
                                 timeout (default 600)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().skip(1).any(|a| a == "-h" || a == "--help") {
        print!("{USAGE}{}{}", bench::USAGE, conformance::USAGE);
        return ExitCode::SUCCESS;
    }
    match args.first().map(String::as_str) {
        Some("codegen") => codegen(&args[1..]),
        Some("check") => check(&args[1..]),
        Some("corpus") => corpus::corpus(&args[1..]),
        Some("bench") => bench::bench(&args[1..]),
        Some("conformance") => conformance::conformance(&args[1..]),
        Some("corpus-worker") => corpus::worker(),
        Some("-h" | "--help" | "help") | None => {
            print!("{USAGE}{}{}", bench::USAGE, conformance::USAGE);
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!(
                "unknown task `{other}`\n\n{USAGE}{}{}",
                bench::USAGE,
                conformance::USAGE
            );
            ExitCode::from(2)
        }
    }
}

/// The workspace root (the parent of this crate's directory).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn codegen(args: &[String]) -> ExitCode {
    let mut check = false;
    let mut spec: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let mut name: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--check" => check = true,
            "--spec" | "--out" | "--name" => {
                let Some(v) = it.next() else {
                    eprintln!("{a} needs a value\n\n{USAGE}");
                    return ExitCode::from(2);
                };
                match a.as_str() {
                    "--spec" => spec = Some(PathBuf::from(v)),
                    "--out" => out = Some(PathBuf::from(v)),
                    _ => name = Some(v.clone()),
                }
            }
            other => {
                eprintln!("unknown argument `{other}`\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let config = match (spec, out) {
        (None, None) => {
            if name.is_some() {
                eprintln!("--name goes with --spec and --out\n\n{USAGE}");
                return ExitCode::from(2);
            }
            match apigen::Config::from_file(root().join("spec/codegen.toml")) {
                Ok(c) => c,
                Err(e) => return fail(&e),
            }
        }
        (Some(spec), Some(out)) => match apigen::Config::standalone(spec, out, name.as_deref()) {
            Ok(mut c) => {
                c.krate.runtime_path = Some(root().join("runtime"));
                c
            }
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("--spec and --out go together\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    // The same library calls as the `apigen` command: diagnostics, atomic write or diff.
    use apigen::workflow::{self, Mode, Options};
    let mode = if check { Mode::Check } else { Mode::Write };
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
fn check(files: &[String]) -> ExitCode {
    if files.is_empty() {
        eprintln!("check needs at least one spec file\n\n{USAGE}");
        return ExitCode::from(2);
    }
    let base = root().join("target/apigen-check");
    let mut failed = false;
    for file in files {
        let path = PathBuf::from(file);
        let stem = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "spec".into());
        let name = format!("check-{}", bench::slug(&stem));
        let out = base.join(&name);
        let mut config = apigen::Config::new(&path, &out, &name);
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
            "{file}: generated in {gen_ms} ms ({warnings} warnings, {} files, {lines} lines, {bytes} bytes); cargo check {} in {:.1} s",
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
