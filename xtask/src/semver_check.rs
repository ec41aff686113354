//! `cargo xtask semver-cross-check OLD NEW`: apigen's API-change report checked against
//! cargo-semver-checks on the same pair of specs. Both crates are generated, cargo-semver-checks
//! (installed with `cargo install` when missing; not run in CI: it builds both crates' rustdoc
//! JSON) compares them, and every breaking change it finds is looked up in apigen's report. It
//! prints, per cargo-semver-checks lint, how many of its findings apigen reports as major, and
//! apigen's major changes it does not see, by rule.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use clap::Args;

use crate::root;

/// Check apigen's API-change report against cargo-semver-checks on two versions of a spec (not
/// run in CI: it builds the rustdoc JSON of both crates, minutes for a big API).
#[derive(Args)]
pub struct SemverCheckArgs {
    /// The old version of the spec.
    old: PathBuf,
    /// The new version of the spec.
    new: PathBuf,
    /// Read cargo-semver-checks' output from this file (one it wrote before, for these specs)
    /// instead of running it again.
    #[arg(long, value_name = "FILE")]
    semver_checks_output: Option<PathBuf>,
}

pub fn semver_cross_check(args: SemverCheckArgs) -> ExitCode {
    match run(&args.old, &args.new, args.semver_checks_output.as_deref()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn ensure_installed() -> Result<(), String> {
    let have = Command::new(cargo())
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if have {
        return Ok(());
    }
    eprintln!("installing cargo-semver-checks (cargo install --locked)...");
    let ok = Command::new(cargo())
        .args(["install", "cargo-semver-checks", "--locked"])
        .status()
        .map_err(|e| format!("cannot run cargo install: {e}"))?;
    if ok.success() {
        Ok(())
    } else {
        Err("cargo install cargo-semver-checks failed".into())
    }
}

fn generate(spec: &Path, out: &Path) -> Result<(), String> {
    let mut config =
        apigen::Config::standalone(spec, out, Some("semver-subject")).map_err(|e| e.to_string())?;
    config.krate.runtime_path = Some(root().join("runtime"));
    let generated = config.generate().map_err(|e| e.to_string())?;
    generated.write().map_err(|e| e.to_string())
}

fn run(old: &Path, new: &Path, saved: Option<&Path>) -> Result<(), String> {
    let base = root().join("target/apigen-semver");
    let new_dir = base.join("new");
    let text = match saved {
        Some(file) => {
            std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?
        }
        None => {
            ensure_installed()?;
            let old_dir = base.join("old");
            generate(old, &old_dir)?;
            generate(new, &new_dir)?;
            eprintln!("running cargo semver-checks (builds the rustdoc JSON of both crates)...");
            let out = Command::new(cargo())
                .args(["semver-checks", "--manifest-path"])
                .arg(new_dir.join("Cargo.toml"))
                .arg("--baseline-root")
                .arg(&old_dir)
                .env("CARGO_TARGET_DIR", base.join("target"))
                .output()
                .map_err(|e| format!("cannot run cargo semver-checks: {e}"))?;
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            let raw = base.join("semver-checks.txt");
            let _ = std::fs::write(&raw, &text);
            eprintln!("cargo semver-checks' output: {}", raw.display());
            text
        }
    };
    let findings = parse_findings(&text);

    let config = |spec: &Path| apigen::Config::new(spec, &new_dir, "semver-subject");
    let report = apigen::diff(&config(old), &config(new)).map_err(|e| e.to_string())?;
    let majors: Vec<&apigen::diff::Change> = report
        .changes
        .iter()
        .filter(|c| c.level == apigen::diff::Level::Major)
        .collect();

    println!(
        "| cargo-semver-checks lint | its findings | in apigen's report as major | not found |"
    );
    println!("|---|---|---|---|");
    let mut seen_by_csc: BTreeSet<String> = BTreeSet::new();
    for (lint, items) in &findings {
        let mut found = 0;
        let mut missing = Vec::new();
        for item in items {
            match majors.iter().find(|c| covers(c, lint, item)) {
                Some(c) => {
                    found += 1;
                    seen_by_csc.insert(c.item.clone());
                }
                None => missing.push(item.clone()),
            }
        }
        println!(
            "| `{lint}` | {} | {found} | {} |",
            items.len(),
            if missing.is_empty() {
                "-".to_owned()
            } else {
                missing
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
    }
    println!();
    println!("apigen's major changes that cargo-semver-checks does not report, by rule:");
    let mut unseen: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &majors {
        if !seen_by_csc.contains(&c.item) {
            *unseen.entry(c.rule.id()).or_default() += 1;
        }
    }
    for (rule, n) in unseen {
        println!("  {rule:<28} {n}");
    }
    Ok(())
}

/// cargo-semver-checks' failed lints and the items each names (as `Type::member` paths without
/// the crate and module prefixes), deduplicated.
fn parse_findings(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut lint: Option<String> = None;
    let mut in_list = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("--- failure ") {
            lint = rest.split(':').next().map(str::to_owned);
            in_list = false;
            continue;
        }
        if let Some(rest) = line.strip_prefix("--- warning ") {
            lint = rest.split(':').next().map(|l| format!("{l} (warning)"));
            in_list = false;
            continue;
        }
        if line.trim() == "Failed in:" {
            in_list = true;
            continue;
        }
        if in_list && line.trim().is_empty() {
            in_list = false;
            continue;
        }
        if let (true, Some(l)) = (in_list, &lint)
            && let Some(item) = finding_item(line.trim())
        {
            out.entry(l.clone()).or_default().insert(item);
        }
    }
    out
}

/// The item a "Failed in" line names: `field x of struct Foo` -> `Foo::x`, `variant Foo::Bar`
/// -> `Foo::Bar`, a path `crate::client::Client::m` -> `Client::m`.
fn finding_item(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    if let [kind, name, "of", _, owner, ..] = words[..]
        && matches!(kind, "field" | "variant" | "method")
    {
        let owner = owner.trim_end_matches(',');
        return Some(format!("{}::{name}", short(owner)));
    }
    // `field Struct.member in ...`, `variant Enum:Variant in ...`
    if let [kind, name, ..] = words[..]
        && matches!(kind, "field" | "variant")
        && !name.contains("::")
    {
        let name = name.trim_end_matches(',');
        if let Some((owner, member)) = name.split_once('.').or_else(|| name.split_once(':')) {
            return Some(format!("{owner}::{member}"));
        }
    }
    // `type Name no longer derives Eq, in ...`
    if let ["type", name, ..] = words[..] {
        return Some(short(name.trim_end_matches(',')));
    }
    let path = words
        .iter()
        .find(|w| w.contains("::"))?
        .trim_end_matches([',', ':', '(']);
    Some(short(path))
}

/// The last two segments of a path (`Type::member`, or `models::Type`).
fn short(path: &str) -> String {
    let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let n = segments.len();
    segments[n.saturating_sub(2)..].join("::")
}

/// Whether apigen's change `c` accounts for cargo-semver-checks' finding on `item`: the same
/// item, or a change of the whole type the finding is a member of (a type removed, renamed or
/// turned into another kind loses its fields, variants and methods), or a client type named
/// from another module (`organizations::XParams` is `client::XParams`).
fn covers(c: &apigen::diff::Change, lint: &str, item: &str) -> bool {
    use apigen::diff::Rule;
    let owner = item.split("::").next().unwrap_or(item);
    // Variants reordered (a warning): a variant added or removed in the middle of the enum.
    if lint.starts_with("partial_ord_enum_variants_reordered") {
        return matches!(c.rule, Rule::EnumVariantAdded | Rule::EnumVariantRemoved)
            && c.item.starts_with(&format!("models::{owner}::"));
    }
    if matches_item(&c.item, item) {
        return true;
    }
    let whole_type = matches!(
        c.rule,
        Rule::TypeKindChanged | Rule::TypeRemoved | Rule::TypeRenamed
    );
    if whole_type && c.item == format!("models::{owner}") {
        return true;
    }
    let last = item.rsplit("::").next().unwrap_or(item);
    // A setter of a request type: cargo-semver-checks names it on `OperationRequest`, apigen
    // on the method (`Client::x(..).setter`).
    if owner == "OperationRequest" {
        return matches!(
            c.rule,
            Rule::OptionalParameterRemoved | Rule::ParameterTypeChanged
        ) && c.item.ends_with(&format!("(..).{last}"));
    }
    c.item.starts_with("client::") && c.item.rsplit("::").next() == Some(last)
}

/// Whether apigen's item (`models::Pet::name`, `Client::get_pet(..).limit`) is `item`.
fn matches_item(apigen: &str, item: &str) -> bool {
    let apigen = apigen.split("(..)").next().unwrap_or(apigen);
    apigen == item || apigen.ends_with(&format!("::{item}")) || {
        // A type named by cargo-semver-checks as `models::Type`.
        let last = item.rsplit("::").next().unwrap_or(item);
        item.starts_with("models::") && apigen == format!("models::{last}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_are_read_from_the_report() {
        let text = "--- failure method_parameter_count_changed: pub method parameter count changed ---\n\nFailed in:\n  github_sdk::client::Client::repos_get_content takes 4 parameters in a.rs:1, but now takes 3 parameters in b.rs:1\n  github_sdk::Client::repos_get_content takes 4 parameters in a.rs:1\n\n--- failure struct_pub_field_missing: pub struct's pub field removed or renamed ---\n\nFailed in:\n  field color of struct Pet, previously in file a.rs:9\n";
        let f = parse_findings(text);
        assert_eq!(
            f["method_parameter_count_changed"],
            BTreeSet::from(["Client::repos_get_content".to_owned()])
        );
        assert_eq!(
            f["struct_pub_field_missing"],
            BTreeSet::from(["Pet::color".to_owned()])
        );
        assert!(matches_item(
            "Client::repos_get_content",
            "Client::repos_get_content"
        ));
        assert!(matches_item("models::Pet::color", "Pet::color"));
        assert!(matches_item("Client::list(..).limit", "Client::list"));
        let change = |rule, item: &str| apigen::diff::Change {
            rule,
            level: rule.level(),
            why: rule.why(),
            item: item.to_owned(),
            detail: String::new(),
            hint: None,
            old: None,
            new: None,
        };
        use apigen::diff::Rule;
        assert!(covers(
            &change(Rule::TypeKindChanged, "models::Budget"),
            "inherent_method_missing",
            "Budget::as_str"
        ));
        assert!(!covers(
            &change(Rule::FieldAdded, "models::Budget::x"),
            "inherent_method_missing",
            "Budget::as_str"
        ));
        assert!(covers(
            &change(Rule::ClientTypeRemoved, "client::XParams"),
            "enum_missing",
            "orgs::XParams"
        ));
        assert!(covers(
            &change(Rule::OptionalParameterRemoved, "Client::list(..).pinned"),
            "inherent_method_missing",
            "OperationRequest::pinned"
        ));
        assert!(covers(
            &change(Rule::EnumVariantAdded, "models::Status::Pending"),
            "partial_ord_enum_variants_reordered (warning)",
            "Status::UnknownValue"
        ));
    }
}
