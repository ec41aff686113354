//! The `apigen` binary on a fixture: generate, check passes, a spec edit makes check fail with a
//! diff, errors and denied warnings fail with readable messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn apigen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_apigen"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn workdir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../target/apigen-cli-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("spec")).unwrap();
    dir
}

const SPEC: &str = "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}\ncomponents:\n  schemas:\n    Pet:\n      description: A pet.\n      type: object\n      properties:\n        name: {type: string}\n";

#[test]
fn generate_then_check_then_drift() {
    let dir = workdir("drift");
    std::fs::write(dir.join("spec/openapi.yaml"), SPEC).unwrap();
    std::fs::write(
        dir.join("spec/codegen.toml"),
        "input = \"openapi.yaml\"\noutput = \"../pets\"\n[crate]\nname = \"pets\"\n",
    )
    .unwrap();

    let o = apigen(&dir, &["generate", "--config", "spec/codegen.toml"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).starts_with("generated pets (5 files"),
        "{}",
        text(&o.stderr)
    );
    assert!(dir.join("pets/src/models.rs").exists());

    let o = apigen(&dir, &["check", "--config", "spec/codegen.toml"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stderr), "pets is up to date\n");

    // The spec changes and the crate was not regenerated: check fails and shows the diff.
    std::fs::write(
        dir.join("spec/openapi.yaml"),
        SPEC.replace("A pet.", "A pet you own."),
    )
    .unwrap();
    let o = apigen(&dir, &["check", "--config", "spec/codegen.toml"]);
    assert_eq!(o.status.code(), Some(1));
    let diff = text(&o.stdout);
    assert!(diff.contains("--- pets/src/models.rs (on disk)"), "{diff}");
    assert!(
        diff.contains("+++ pets/src/models.rs (generated)"),
        "{diff}"
    );
    assert!(diff.contains("-/// A pet.\n+/// A pet you own."), "{diff}");
    // Above the code diff, what the change does to the crate's API: here nothing.
    assert!(
        diff.starts_with("API changes: no change to the public API"),
        "{diff}"
    );
    assert!(text(&o.stderr).contains("error: pets is stale (1 file(s) differ)"));
    // A new property: a new public field, a major change for struct literals.
    std::fs::write(
        dir.join("spec/openapi.yaml"),
        SPEC.replace(
            "name: {type: string}",
            "name: {type: string}\n        age: {type: integer}",
        ),
    )
    .unwrap();
    let o = apigen(&dir, &["check", "--config", "spec/codegen.toml"]);
    assert_eq!(o.status.code(), Some(1));
    let report = text(&o.stdout);
    assert!(
        report.starts_with("API changes: a major change: 1 major"),
        "{report}"
    );
    assert!(
        report.contains("field-added                  models::Pet::age"),
        "{report}"
    );
    // Check never writes.
    assert!(
        std::fs::read_to_string(dir.join("pets/src/models.rs"))
            .unwrap()
            .contains("/// A pet.\n")
    );
}

#[test]
fn errors_are_readable_and_leave_the_crate_alone() {
    let dir = workdir("errors");
    std::fs::write(
        dir.join("spec/openapi.yaml"),
        SPEC.replace(
            "items: {$ref: '#/components/schemas/Pet'}",
            "items: {$ref: '#/components/schemas/Pett'}",
        ),
    )
    .unwrap();
    let o = apigen(
        &dir,
        &["generate", "--spec", "spec/openapi.yaml", "--out", "pets"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("error: `$ref: #/components/schemas/Pett` does not resolve"),
        "{err}"
    );
    assert!(err.contains("--> spec/openapi.yaml:12:"), "{err}");
    assert!(
        err.contains(
            "12 |               schema: {type: array, items: {$ref: '#/components/schemas/Pett'}}"
        ),
        "{err}"
    );
    assert!(
        err.contains("= help: did you mean `#/components/schemas/Pet`?"),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert!(!dir.join("pets").exists());
}

#[test]
fn warnings_pass_unless_denied() {
    let dir = workdir("warnings");
    let spec = format!("{SPEC}    Odd:\n      not: {{type: string}}\n");
    std::fs::write(dir.join("spec/openapi.yaml"), spec).unwrap();
    let o = apigen(
        &dir,
        &["generate", "--spec", "spec/openapi.yaml", "--out", "pets"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("warning: `not` schemas"));
    let o = apigen(
        &dir,
        &[
            "generate",
            "--spec",
            "spec/openapi.yaml",
            "--out",
            "pets2",
            "--deny-warnings",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("--deny-warnings"));
    assert!(!dir.join("pets2").exists());
}

#[test]
fn help_shows_examples_and_usage_errors_exit_2() {
    let dir = workdir("help");
    let o = apigen(&dir, &["--help"]);
    assert!(o.status.success());
    assert!(text(&o.stdout).contains("apigen generate --config spec/codegen.toml"));
    let o = apigen(&dir, &["generate", "--out", "x"]);
    assert_eq!(o.status.code(), Some(2));
}

/// `apigen diff`: the report on stdout, exit status 1 when a change reaches `--fail-on`, 0
/// otherwise, 2 when a side cannot be read.
#[test]
fn diff_reports_and_fails_on_the_chosen_level() {
    let dir = workdir("diff");
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/diff");
    std::fs::copy(fixtures.join("old.yaml"), dir.join("spec/old.yaml")).unwrap();
    std::fs::copy(fixtures.join("new.yaml"), dir.join("spec/new.yaml")).unwrap();
    std::fs::write(
        dir.join("spec/codegen.toml"),
        "input = \"new.yaml\"\noutput = \"../pets\"\n[crate]\nname = \"pets\"\nversion = \"1.4.2\"\n",
    )
    .unwrap();

    let o = apigen(
        &dir,
        &[
            "diff",
            "spec/old.yaml",
            "spec/new.yaml",
            "--config",
            "spec/codegen.toml",
            "--fail-on",
            "major",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let report = text(&o.stdout);
    assert!(report.starts_with("API changes: a major change: 23 major, 6 minor, 3 patch; next version: 2.0.0 (from 1.4.2)"), "{report}");
    assert!(
        report.contains("method-removed               Client::delete_pet"),
        "{report}"
    );

    // The same spec on both sides: nothing to report, success even with --fail-on any.
    let o = apigen(
        &dir,
        &[
            "diff",
            "spec/new.yaml",
            "spec/new.yaml",
            "--fail-on",
            "any",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["schema"], "apigen-api-diff/1");
    assert_eq!(json["level"], serde_json::Value::Null);
    assert_eq!(json["changes"], serde_json::json!([]));

    // Without --fail-on, a major change is reported and the run succeeds.
    let o = apigen(
        &dir,
        &[
            "diff",
            "spec/old.yaml",
            "spec/new.yaml",
            "--format",
            "markdown",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).starts_with("### API changes"));

    // An unreadable side: a located error, exit status 2.
    let o = apigen(&dir, &["diff", "spec/missing.yaml", "spec/new.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("missing.yaml"),
        "{}",
        text(&o.stderr)
    );
}

/// `crate.api-file`: `api.txt` lists the crate's public items; a spec change shows in it (and
/// fails `check`); turning the setting off removes the file, and a user's own `api.txt` is
/// never touched.
#[test]
fn the_public_surface_file_follows_the_spec() {
    let dir = workdir("api-file");
    std::fs::write(dir.join("spec/openapi.yaml"), SPEC).unwrap();
    let toml = |on: bool| {
        format!(
            "input = \"openapi.yaml\"\noutput = \"../pets\"\n[crate]\nname = \"pets\"\napi-file = {on}\n"
        )
    };
    std::fs::write(dir.join("spec/codegen.toml"), toml(true)).unwrap();
    let o = apigen(&dir, &["generate", "--config", "spec/codegen.toml"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let api = std::fs::read_to_string(dir.join("pets/api.txt")).unwrap();
    assert!(api.starts_with("# The public API of this crate"), "{api}");
    assert!(
        api.contains("\nfn Client::list_pets() -> Request<Vec<models::Pet>>\n"),
        "{api}"
    );
    assert!(
        api.contains("\nfield models::Pet::name: Option<String>\n"),
        "{api}"
    );
    assert!(api.contains("\nstruct models::Pet\n"), "{api}");

    std::fs::write(
        dir.join("spec/openapi.yaml"),
        SPEC.replace(
            "name: {type: string}",
            "name: {type: string}\n        age: {type: integer}",
        ),
    )
    .unwrap();
    let o = apigen(&dir, &["check", "--config", "spec/codegen.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stdout).contains("+field models::Pet::age: Option<i64>"),
        "{}",
        text(&o.stdout)
    );

    std::fs::write(dir.join("spec/codegen.toml"), toml(false)).unwrap();
    let o = apigen(&dir, &["generate", "--config", "spec/codegen.toml"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!dir.join("pets/api.txt").exists());
    // A file of the user's with that name stays.
    std::fs::write(dir.join("pets/api.txt"), "my notes\n").unwrap();
    let o = apigen(&dir, &["generate", "--config", "spec/codegen.toml"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.join("pets/api.txt")).unwrap(),
        "my notes\n"
    );
}

/// A reader that stops early (`apigen diff ... | head -1`) closes the pipe: no panic.
#[test]
fn diff_into_a_closed_pipe_does_not_panic() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/diff");
    let mut child = Command::new(env!("CARGO_BIN_EXE_apigen"))
        .arg("diff")
        .arg(fixtures.join("old.yaml"))
        .arg(fixtures.join("new.yaml"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader is gone before anything is written
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}
