//! `cargo xtask api-diff --base REV`: what the spec changes of the current tree (against a git
//! revision, `main` by default) do to the generated crate's public API. The spec files of
//! `spec/codegen.toml` are taken from the revision with `git archive` into a temporary
//! directory, and both sides are generated with the same configuration.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use clap::Args;

use crate::root;

/// Report what the spec changes since a git revision do to the generated crate's public API
/// (changed methods, setters, models, fields, enums and features, each with its semver level
/// and spec position), and the next version. Exit status 1 when a change reaches --fail-on, 2
/// when a side cannot be read (a revision without the spec, say).
#[derive(Args)]
pub struct ApiDiffArgs {
    /// The git revision to compare with.
    #[arg(long, default_value = "main")]
    base: String,
    /// The configuration, relative to the repository root.
    #[arg(long, default_value = "spec/codegen.toml")]
    config: PathBuf,
    /// text, markdown (for a pull-request comment), json or github (workflow annotations).
    #[arg(long, default_value = "text")]
    format: apigen::diff::Format,
    /// Exit with status 1 when a change is at least this level: major, minor or any.
    #[arg(long)]
    fail_on: Option<apigen::diff::Level>,
}

pub fn api_diff(args: ApiDiffArgs) -> ExitCode {
    match report(&root(), &args.config, &args.base) {
        Ok(diff) => {
            use std::io::Write as _;
            let _ = std::io::stdout().write_all(diff.render(args.format).as_bytes());
            if args.fail_on.is_some_and(|t| diff.fails_at(t)) {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// The API change from `base` to the working tree of the repository at `repo`, for the
/// configuration at `config` (relative to `repo`).
pub fn report(repo: &Path, config: &Path, base: &str) -> Result<apigen::ApiDiff, String> {
    let new = apigen::Config::from_file(repo.join(config)).map_err(|e| e.to_string())?;
    // The directory holding the spec (a spec may be several files), relative to the repo.
    let repo_abs = std::fs::canonicalize(repo).map_err(|e| format!("{}: {e}", repo.display()))?;
    let input =
        std::fs::canonicalize(&new.input).map_err(|e| format!("{}: {e}", new.input.display()))?;
    let rel_input = input
        .strip_prefix(&repo_abs)
        .map_err(|_| format!("{} is not inside the repository", input.display()))?
        .to_path_buf();
    let spec_dir = rel_input.parent().unwrap_or(Path::new("")).to_path_buf();
    let tmp = std::env::temp_dir().join(format!("apigen-api-diff-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
    let result = (|| {
        extract(&repo_abs, base, &spec_dir, &tmp)?;
        let old_input = tmp.join(&rel_input);
        if !old_input.exists() {
            return Err(format!("{} does not exist at {base}", rel_input.display()));
        }
        let mut old = new.clone();
        old.input = old_input;
        let mut diff = apigen::diff(&old, &new).map_err(|e| {
            let d = e.diagnostics();
            if d.is_empty() {
                e.to_string()
            } else {
                apigen::render_diagnostics(d)
            }
        })?;
        // The crate's version at the revision: a bump since then may already cover the change.
        let old_config = tmp.join(config);
        if !old_config.exists()
            && let Some(dir) = config.parent()
        {
            extract(&repo_abs, base, dir, &tmp)?;
        }
        if let Ok(at_base) = apigen::Config::from_file(&old_config)
            && at_base.krate.version != new.krate.version
        {
            diff.base_version = Some(at_base.krate.version);
        }
        Ok(diff)
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

/// `git archive REV -- DIR | tar -x -C OUT`.
fn extract(repo: &Path, rev: &str, dir: &Path, out: &Path) -> Result<(), String> {
    let dir_arg = if dir.as_os_str().is_empty() {
        ".".to_owned()
    } else {
        dir.display().to_string()
    };
    let archive = Command::new("git")
        .args(["archive", "--format=tar", rev, "--", &dir_arg])
        .current_dir(repo)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !archive.status.success() {
        return Err(format!(
            "git archive {rev} -- {dir_arg}: {}",
            String::from_utf8_lossy(&archive.stderr).trim()
        ));
    }
    let mut tar = Command::new("tar")
        .args(["-x", "-C"])
        .arg(out)
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    {
        use std::io::Write;
        let mut stdin = tar.stdin.take().ok_or("tar has no stdin")?;
        stdin
            .write_all(&archive.stdout)
            .map_err(|e| format!("tar: {e}"))?;
    }
    let status = tar.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("tar could not extract the spec".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let ok = Command::new("git")
            .args(["-c", "user.email=t@example.com", "-c", "user.name=t"])
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            ok.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&ok.stderr)
        );
    }

    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}\ncomponents:\n  schemas:\n    Pet: {type: object, properties: {name: {type: string}}}\n";

    /// A temporary repository: a spec committed on `main`, then changed in the working tree.
    #[test]
    fn the_working_tree_is_compared_with_a_revision() {
        let repo =
            std::env::temp_dir().join(format!("apigen-api-diff-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&repo);
        std::fs::create_dir_all(repo.join("spec")).unwrap();
        std::fs::write(repo.join("spec/openapi.yaml"), SPEC).unwrap();
        std::fs::write(
            repo.join("spec/codegen.toml"),
            "input = \"openapi.yaml\"\noutput = \"../out\"\n[crate]\nname = \"pets\"\nversion = \"0.2.0\"\n",
        )
        .unwrap();
        git(&repo, &["init", "-q", "-b", "main"]);
        git(&repo, &["add", "."]);
        git(&repo, &["commit", "-q", "-m", "spec"]);
        // Unchanged: nothing to report.
        let diff = report(&repo, Path::new("spec/codegen.toml"), "main").unwrap();
        assert!(
            diff.changes.is_empty(),
            "{}",
            diff.render(apigen::diff::Format::Text)
        );
        // A removed operation and a new property.
        std::fs::write(
            repo.join("spec/openapi.yaml"),
            SPEC.replace("listPets", "findPets").replace(
                "name: {type: string}",
                "name: {type: string}, age: {type: integer}",
            ),
        )
        .unwrap();
        let diff = report(&repo, Path::new("spec/codegen.toml"), "main").unwrap();
        let rules: Vec<&str> = diff.changes.iter().map(|c| c.rule.id()).collect();
        assert_eq!(rules, ["method-renamed", "field-added"]);
        assert_eq!(diff.next_version().as_deref(), Some("0.3.0"));
        assert!(diff.fails_at(apigen::diff::Level::Major));
        // The version bumped for it in the same change: the break is accounted for.
        std::fs::write(
            repo.join("spec/codegen.toml"),
            "input = \"openapi.yaml\"\noutput = \"../out\"\n[crate]\nname = \"pets\"\nversion = \"0.3.0\"\n",
        )
        .unwrap();
        let diff = report(&repo, Path::new("spec/codegen.toml"), "main").unwrap();
        assert_eq!(diff.base_version.as_deref(), Some("0.2.0"));
        assert_eq!(diff.next_version().as_deref(), Some("0.3.0"));
        assert!(diff.version_bumped());
        assert!(!diff.fails_at(apigen::diff::Level::Major));
        assert!(
            diff.render(apigen::diff::Format::Text)
                .starts_with("API changes: a major change: 2 major, 0 minor, 0 patch; version 0.3.0 (from 0.2.0) already covers it"),
            "{}",
            diff.render(apigen::diff::Format::Text)
        );
        // A revision that does not exist, or lacks the spec: an error, not a panic.
        let e = report(&repo, Path::new("spec/codegen.toml"), "no-such-branch").unwrap_err();
        assert!(e.contains("no-such-branch"), "{e}");
        let _ = std::fs::remove_dir_all(&repo);
    }
}
