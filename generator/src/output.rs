//! Writing a generated crate atomically, and checking one for staleness.
//!
//! apigen owns `Cargo.toml` and everything under `src/` of the output directory; anything else
//! there (`tests/`, `examples/`, `README.md`...) belongs to the user and is never touched.
//! Writing stages the new files next to the output directory and moves them into place only
//! after all were written, so a failed or interrupted generation leaves the previous crate as it
//! was. Checking never writes.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostics::Error;
use crate::emit::Files;
use crate::format::HEADER;

/// One file whose contents on disk differ from what would be generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleFile {
    /// Path relative to the crate directory.
    pub path: String,
    /// What is on disk (None: missing).
    pub on_disk: Option<String>,
    /// What would be generated (None: the file should not exist).
    pub generated: Option<String>,
}

/// Result of comparing generated files with a directory.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckReport {
    /// The crate directory compared.
    pub dir: PathBuf,
    /// Files that differ, in path order.
    pub stale: Vec<StaleFile>,
}

impl CheckReport {
    /// Nothing differs.
    pub fn is_up_to_date(&self) -> bool {
        self.stale.is_empty()
    }

    /// A unified diff (on disk -> generated) of every stale file.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        // Paths below the current directory are shown relative to it (shorter CI logs).
        let cwd = std::env::current_dir().unwrap_or_default();
        let dir = self.dir.strip_prefix(&cwd).unwrap_or(&self.dir);
        for f in &self.stale {
            let path = dir.join(&f.path);
            let old = f.on_disk.as_deref().unwrap_or("");
            let new = f.generated.as_deref().unwrap_or("");
            let diff = similar::TextDiff::from_lines(old, new);
            let old_name = match f.on_disk {
                Some(_) => format!("{} (on disk)", path.display()),
                None => "/dev/null".to_owned(),
            };
            let new_name = match f.generated {
                Some(_) => format!("{} (generated)", path.display()),
                None => "/dev/null".to_owned(),
            };
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&old_name, &new_name)
                    .to_string(),
            );
        }
        out
    }
}

fn is_managed(rel: &str) -> bool {
    rel == "Cargo.toml" || rel.starts_with("src/")
}

/// Files under `dir/src` (relative, `/`-separated), sorted.
fn existing_managed(dir: &Path) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    let src = dir.join("src");
    if !src.is_dir() {
        return Ok(out);
    }
    let mut stack = vec![src];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).map_err(|e| Error::io(&d, e))? {
            let entry = entry.map_err(|e| Error::io(&d, e))?;
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(dir) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Compare `files` with the crate in `dir`.
pub fn check(files: &Files, dir: &Path) -> Result<CheckReport, Error> {
    let mut report = CheckReport {
        dir: dir.to_path_buf(),
        stale: Vec::new(),
    };
    let mut paths: std::collections::BTreeSet<String> = files.keys().cloned().collect();
    paths.extend(existing_managed(dir)?);
    for rel in paths {
        let generated = files.get(&rel).cloned();
        let on_disk = match fs::read(dir.join(&rel)) {
            Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(dir.join(&rel), e)),
        };
        // A checkout with `core.autocrlf` (Windows) has the same text with CRLF line ends:
        // that is up to date.
        let same = match (&on_disk, &generated) {
            (Some(disk), Some(generated)) => {
                disk == generated
                    || disk.contains("\r\n") && disk.replace("\r\n", "\n") == *generated
            }
            (None, None) => true,
            _ => false,
        };
        if !same {
            report.stale.push(StaleFile {
                path: rel,
                on_disk,
                generated,
            });
        }
    }
    Ok(report)
}

/// Write `files` into `dir`, replacing the generated parts of a crate there atomically.
pub fn write(files: &Files, dir: &Path) -> Result<(), Error> {
    for rel in files.keys() {
        if !is_managed(rel) {
            return Err(Error::Internal {
                file: rel.clone(),
                message: "generated a file outside Cargo.toml and src/".into(),
            });
        }
    }
    // Refuse to clobber a crate apigen did not write.
    let manifest = dir.join("Cargo.toml");
    if let Ok(text) = fs::read_to_string(&manifest)
        && !text.contains(HEADER.trim_start_matches("// "))
    {
        return Err(Error::io(
            &manifest,
            std::io::Error::other(
                "refusing to overwrite a Cargo.toml that apigen did not generate (it has no `@generated` header); choose another output directory or delete it",
            ),
        ));
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let dir_name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "crate".into());
    let staging = parent.join(format!(".{dir_name}.apigen-staging-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    }
    let result = stage_and_swap(files, dir, &staging);
    if staging.exists() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn stage_and_swap(files: &Files, dir: &Path, staging: &Path) -> Result<(), Error> {
    let new = staging.join("new");
    for (rel, contents) in files {
        let path = new.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(|e| Error::io(p, e))?;
        }
        fs::write(&path, contents).map_err(|e| Error::io(&path, e))?;
    }
    fs::create_dir_all(new.join("src")).map_err(|e| Error::io(new.join("src"), e))?;
    if !dir.exists() {
        fs::rename(&new, dir).map_err(|e| Error::io(dir, e))?;
        return Ok(());
    }
    // Swap `src/` (rename is atomic), then replace Cargo.toml (rename over it is atomic).
    let old_src = staging.join("old-src");
    let src = dir.join("src");
    if src.exists() {
        fs::rename(&src, &old_src).map_err(|e| Error::io(&src, e))?;
    }
    if let Err(e) = fs::rename(new.join("src"), &src) {
        // Put the old sources back.
        if old_src.exists() {
            let _ = fs::rename(&old_src, &src);
        }
        return Err(Error::io(&src, e));
    }
    let manifest = dir.join("Cargo.toml");
    fs::rename(new.join("Cargo.toml"), &manifest).map_err(|e| Error::io(&manifest, e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> Files {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn write_then_check_then_drift() {
        let tmp = std::env::temp_dir().join(format!("apigen-output-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        let dir = tmp.join("crate");
        let manifest = format!("# {}\n[package]\n", HEADER.trim_start_matches("// "));
        let v1 = files(&[
            ("Cargo.toml", &manifest),
            ("src/lib.rs", "a\n"),
            ("src/old.rs", "x\n"),
        ]);
        write(&v1, &dir).unwrap();
        fs::create_dir_all(dir.join("tests")).unwrap();
        fs::write(dir.join("tests/t.rs"), "user test").unwrap();
        assert!(check(&v1, &dir).unwrap().is_up_to_date());

        let v2 = files(&[("Cargo.toml", &manifest), ("src/lib.rs", "b\n")]);
        let report = check(&v2, &dir).unwrap();
        assert_eq!(report.stale.len(), 2);
        let diff = report.diff();
        assert!(diff.contains("-a\n+b\n"), "{diff}");
        assert!(diff.contains("-x"), "{diff}");

        write(&v2, &dir).unwrap();
        assert!(check(&v2, &dir).unwrap().is_up_to_date());
        // CRLF line ends (a Windows checkout) are the same text; other changes are not.
        fs::write(dir.join("src/lib.rs"), "b\r\n").unwrap();
        assert!(check(&v2, &dir).unwrap().is_up_to_date());
        fs::write(dir.join("src/lib.rs"), "b\r\nc\r\n").unwrap();
        assert!(!check(&v2, &dir).unwrap().is_up_to_date());
        fs::write(dir.join("src/lib.rs"), "b\n").unwrap();
        assert!(!dir.join("src/old.rs").exists());
        assert_eq!(
            fs::read_to_string(dir.join("tests/t.rs")).unwrap(),
            "user test"
        );
        let _ = fs::remove_dir_all(&tmp);
    }

    #[test]
    fn refuses_foreign_crates() {
        let tmp = std::env::temp_dir().join(format!("apigen-foreign-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir_all(&tmp).unwrap();
        fs::write(tmp.join("Cargo.toml"), "[package]\nname = \"mine\"\n").unwrap();
        let err = write(&files(&[("Cargo.toml", "x"), ("src/lib.rs", "y")]), &tmp).unwrap_err();
        assert!(err.to_string().contains("refusing to overwrite"), "{err}");
        assert_eq!(
            fs::read_to_string(tmp.join("Cargo.toml")).unwrap(),
            "[package]\nname = \"mine\"\n"
        );
        let _ = fs::remove_dir_all(&tmp);
    }
}
