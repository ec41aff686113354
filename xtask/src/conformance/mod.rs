//! `cargo xtask conformance`: every operation of a generated client, called against Stoplight
//! Prism (an independent mock server that validates each request against the spec and answers
//! from its examples, from its schemas, and with its documented errors).
//!
//! For each spec: generate the crate, write a caller that calls every operation (arguments
//! synthesized from the spec and decoded into the generated types, so the generated serializers
//! are what is tested), build it, start Prism on loopback, run the caller, and judge each call.

mod caller;
mod sample;
mod signatures;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::root;

/// Prism's version, pinned: its validation and generation are what the results are judged by.
const PRISM: &str = "@stoplight/prism-cli@5.16.0";

/// Generate a crate for each OpenAPI spec and call every operation against Stoplight Prism.
///
/// Prism is installed with npm into target/prism. Three modes: the spec's examples,
/// schema-generated responses (`Prefer: dynamic=true`, seeded) and every documented error
/// status (`Prefer: code=N`). Prints a table per spec and the failures grouped by cause; writes
/// OUT/report.json. Exit status 1 when any call fails.
#[derive(clap::Args)]
pub struct ConformanceArgs {
    /// Spec files and directories of specs (default: spec/entitlement.openapi.yaml and
    /// generator/tests/real-specs/).
    #[arg(value_name = "SPEC|DIR")]
    inputs: Vec<PathBuf>,
    /// A seeded random sample of N specs from the DIRs given (with --seed).
    #[arg(long, value_name = "N", requires = "seed")]
    sample: Option<usize>,
    /// The seed of --sample.
    #[arg(long, value_name = "S", requires = "sample")]
    seed: Option<u64>,
    /// Only the specs under the DIRs whose path relative to the DIR is a line of FILE (a sample
    /// drawn once and recorded).
    #[arg(long, value_name = "FILE")]
    list: Option<PathBuf>,
    /// Where the crates, callers and reports go (default target/apigen-conformance in the
    /// workspace).
    #[arg(
        long,
        value_name = "DIR",
        default_value_os_t = root().join("target/apigen-conformance"),
        hide_default_value = true
    )]
    out: PathBuf,
    /// Prism's seed for dynamic responses.
    #[arg(long, value_name = "S", default_value = "1")]
    prism_seed: String,
    /// Only the paths starting with PREFIX (repeatable) and the components they reach: a slice of
    /// a spec too big for Prism (Graph v1.0), generated and served alike.
    #[arg(long, value_name = "PREFIX")]
    paths: Vec<String>,
}

/// The lines of a `--list` file: spec paths relative to a DIR (blank lines and `#` comments
/// skipped).
fn read_list(list: &Path) -> Result<Vec<String>, String> {
    let text =
        fs::read_to_string(list).map_err(|e| format!("cannot read {}: {e}", list.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect())
}

/// Every spec file under the inputs (directories recursively), sorted.
fn expand(inputs: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = fs::read_dir(dir) else { return };
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            ) {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    for i in inputs {
        if i.is_dir() {
            walk(i, &mut out);
        } else {
            out.push(i.clone());
        }
    }
    out
}

/// A seeded choice of `n` of `items` (splitmix64; the same seed gives the same sample).
fn sample<T: Clone>(items: &[T], n: usize, seed: u64) -> Vec<T> {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut idx: Vec<usize> = (0..items.len()).collect();
    for i in (1..idx.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        idx.swap(i, j);
    }
    let mut chosen: Vec<usize> = idx.into_iter().take(n).collect();
    chosen.sort_unstable();
    chosen.into_iter().map(|i| items[i].clone()).collect()
}

/// One spec's run.
struct SpecRun {
    path: PathBuf,
    name: String,
    /// Why the spec could not be run at all (generation, build or Prism failed).
    fatal: Option<String>,
    operations: usize,
    skipped: Vec<(String, String)>,
    results: Vec<Value>,
    /// Schemas given an `example` in the copy Prism serves (see [`prism_examples`]).
    prism_patches: usize,
    /// rustc's warnings in the generated crate (first lines).
    warnings: Vec<String>,
}

impl SpecRun {
    fn new(path: &Path, name: &str) -> Self {
        SpecRun {
            path: path.to_path_buf(),
            name: name.to_owned(),
            fatal: None,
            operations: 0,
            skipped: Vec::new(),
            results: Vec::new(),
            prism_patches: 0,
            warnings: Vec::new(),
        }
    }

    /// Calls that are not judged: Prism's answer broke the spec by its own validation (a
    /// spec example contradicting its schema, or a value Prism generated), or Prism failed,
    /// or a proven Prism defect (`explained.txt`); listed with Prism's message as evidence.
    fn unjudged(&self) -> usize {
        self.results.iter().filter(|r| is_unjudged(r)).count()
    }

    /// Calls that failed through a proven defect of the spec (`explained.txt`).
    fn spec_defects(&self) -> usize {
        self.results.iter().filter(|r| is_spec_defect(r)).count()
    }

    fn count(&self, mode: Option<&str>, pass: Option<bool>) -> usize {
        self.results
            .iter()
            .filter(|r| mode.is_none_or(|m| r["mode"] == m))
            .filter(|r| !is_unjudged(r) && !is_spec_defect(r))
            .filter(|r| pass.is_none_or(|p| (r["cause"] == "pass") == p))
            .count()
    }
}

fn is_unjudged(r: &Value) -> bool {
    r["cause"] == "answer-outside-spec"
        || r["cause"] == "prism-error"
        || r["explained"]["kind"] == "prism"
}

fn is_spec_defect(r: &Value) -> bool {
    r["explained"]["kind"] == "spec"
}

/// A known failure outside apigen (`xtask/conformance/explained.txt`).
struct Explained {
    kind: String,
    spec: String,
    cause: String,
    needle: String,
    reason: String,
}

fn load_explained() -> Result<Vec<Explained>, String> {
    let path = root().join("xtask/conformance/explained.txt");
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || {
            format!(
                "{}:{}: expected KIND SPEC CAUSE `TEXT` REASON",
                path.display(),
                n + 1
            )
        };
        let mut words = line.splitn(4, ' ');
        let (Some(kind), Some(spec), Some(cause), Some(rest)) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            return Err(bad());
        };
        // The needle runs from the first backquote to the first "` " (a backquote, a space).
        let rest = rest.strip_prefix('`').ok_or_else(bad)?;
        let end = rest.find("` ").ok_or_else(bad)?;
        if !matches!(kind, "spec" | "prism") {
            return Err(bad());
        }
        out.push(Explained {
            kind: kind.to_owned(),
            spec: spec.to_owned(),
            cause: cause.to_owned(),
            needle: rest[..end].to_owned(),
            reason: rest[end + 2..].to_owned(),
        });
    }
    Ok(out)
}

fn mark_explained(run: &mut SpecRun, explained: &[Explained]) {
    for r in &mut run.results {
        if r["cause"] == "pass" {
            continue;
        }
        let message = r["message"].as_str().unwrap_or("");
        let op = r["op"].as_str().unwrap_or("");
        if let Some(e) = explained.iter().find(|e| {
            e.spec == run.name
                && r["cause"] == e.cause.as_str()
                && (message.contains(&e.needle) || op.contains(&e.needle))
        }) {
            r["explained"] = json!({"kind": e.kind, "reason": e.reason});
        }
    }
}

pub fn conformance(mut opts: ConformanceArgs) -> ExitCode {
    let listed = match opts.list.as_deref().map(read_list).transpose() {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if opts.inputs.is_empty() {
        opts.inputs
            .push(root().join("spec/entitlement.openapi.yaml"));
        opts.inputs.push(root().join("generator/tests/real-specs"));
    }
    let mut specs = expand(&opts.inputs);
    if let Some(listed) = &listed {
        specs.retain(|spec| {
            opts.inputs.iter().any(|dir| {
                spec.strip_prefix(dir)
                    .is_ok_and(|rel| listed.iter().any(|l| Path::new(l) == rel))
            })
        });
    }
    // clap has checked that --sample and --seed come together.
    if let (Some(n), Some(seed)) = (opts.sample, opts.seed) {
        specs = sample(&specs, n, seed);
    }
    if specs.is_empty() {
        eprintln!("no spec files found");
        return ExitCode::from(2);
    }
    let prism = match install_prism() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let _ = fs::create_dir_all(&opts.out);
    let mut runs: Vec<SpecRun> = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    for path in &specs {
        let mut name = crate_name(path);
        while !used.insert(name.clone()) {
            name.push('x');
        }
        let spec = if opts.paths.is_empty() {
            Ok(path.clone())
        } else {
            write_slice(path, &opts.paths, &opts.out.join("specs").join(&name))
        };
        match spec {
            Ok(spec) => runs.push(prepare(&spec, &name, &opts.out)),
            Err(e) => {
                let mut run = SpecRun::new(path, &name);
                run.fatal = Some(e);
                runs.push(run);
            }
        }
    }
    // One workspace, one build for every caller.
    let built = build(&runs, &opts.out);
    for run in &mut runs {
        if run.fatal.is_some() {
            continue;
        }
        match &built {
            Err(e) => {
                run.fatal = Some(e.clone());
                continue;
            }
            Ok(warnings) => run.warnings = warnings.get(&run.name).cloned().unwrap_or_default(),
        }
        eprintln!("conformance: {} ({} operations)", run.name, run.operations);
        if let Err(e) = call(run, &prism, &opts) {
            run.fatal = Some(e);
        }
    }
    let explained = match load_explained() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    for run in &mut runs {
        mark_explained(run, &explained);
    }
    let failed = report(&runs, &opts.out);
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn crate_name(path: &Path) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
    let name = crate::bench::slug(stem);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("c-{name}")
    } else {
        name
    }
}

/// Writes the slice of `path` that keeps the paths starting with one of `prefixes` and the
/// components they reach (every security scheme too); returns its path.
fn write_slice(path: &Path, prefixes: &[String], dir: &Path) -> Result<PathBuf, String> {
    let doc = apigen::unstable::source::SourceFile::read(path, 1 << 30)
        .and_then(|source| source.parse_value())
        .map_err(|e| format!("reading the spec: {}", e.message))?;
    let mut out = doc.clone();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Err("the spec has no paths".into());
    };
    let kept: serde_json::Map<String, Value> = paths
        .iter()
        .filter(|(p, _)| prefixes.iter().any(|prefix| p.starts_with(prefix.as_str())))
        .map(|(p, v)| (p.clone(), v.clone()))
        .collect();
    if kept.is_empty() {
        return Err(format!("no path starts with {}", prefixes.join(" or ")));
    }
    // The components the kept paths reach, through local references, transitively.
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(Value::as_str)
                    && r.starts_with("#/components/")
                {
                    out.push(r.to_owned());
                }
                m.values().for_each(|c| refs(c, out));
            }
            Value::Array(a) => a.iter().for_each(|c| refs(c, out)),
            _ => {}
        }
    }
    let mut todo = Vec::new();
    refs(&Value::Object(kept.clone()), &mut todo);
    let mut reached = std::collections::BTreeSet::new();
    while let Some(r) = todo.pop() {
        let pointer =
            apigen::unstable::openapi::percent_decode(r.trim_start_matches('#')).into_owned();
        if !reached.insert(pointer.clone()) {
            continue;
        }
        if let Some(target) = doc.pointer(&pointer) {
            refs(target, &mut todo);
        }
    }
    let mut components = serde_json::Map::new();
    if let Some(all) = doc.get("components").and_then(Value::as_object) {
        for (kind, items) in all {
            let Some(items) = items.as_object() else {
                continue;
            };
            let keep: serde_json::Map<String, Value> = items
                .iter()
                .filter(|(name, _)| {
                    kind == "securitySchemes"
                        || reached.contains(&format!(
                            "/components/{kind}/{}",
                            name.replace('~', "~0").replace('/', "~1")
                        ))
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            components.insert(kind.clone(), Value::Object(keep));
        }
    }
    out["paths"] = Value::Object(kept);
    out["components"] = Value::Object(components);
    fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let slice = dir.join("slice.json");
    write_if_changed(
        &slice,
        &serde_json::to_string(&out).map_err(|e| e.to_string())?,
    )?;
    Ok(slice)
}

/// Generates the crate and writes the caller.
fn prepare(path: &Path, name: &str, out: &Path) -> SpecRun {
    let mut run = SpecRun::new(path, name);
    if let Err(e) = prepare_inner(&mut run, out) {
        run.fatal = Some(e);
    }
    run
}

fn prepare_inner(run: &mut SpecRun, out: &Path) -> Result<(), String> {
    let dir = out.join("specs").join(&run.name);
    let sdk_dir = dir.join("sdk");
    let mut config =
        apigen::Config::standalone(&run.path, &sdk_dir, Some(&format!("{}-sdk", run.name)))
            .map_err(|e| format!("generation: {e}"))?;
    config.krate.runtime_path = Some(root().join("runtime"));
    // A member of the scratch workspace.
    config.krate.standalone = false;
    // Lowered once: the crate is emitted from the same IR the caller is planned from.
    let (api, _) = apigen::unstable::lower(&config)
        .map_err(|e| format!("generation: {}", first_line(&e.to_string())))?;
    let files = std::thread::scope(|s| {
        // Emission recurses along nested types: the generator's own stack size.
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(s, || apigen::unstable::emit::emit(&api, &config))
            .map_err(|e| e.to_string())?
            .join()
            .map_err(|_| "the generator panicked while emitting".to_owned())?
            .map_err(|e| format!("generation: {}", first_line(&e.to_string())))
    })?;
    apigen::unstable::output::write(&files, &sdk_dir)
        .map_err(|e| format!("writing the crate: {e}"))?;
    let doc = apigen::unstable::source::SourceFile::read(&run.path, config.max_input_bytes)
        .and_then(|source| source.parse_value())
        .map_err(|e| format!("reading the spec: {}", e.message))?;
    // A Swagger 2.0 description is planned from and served in its OpenAPI 3.0 form: Prism
    // 5.16 reads 2.0 itself but fails on it (a TypeError on `host` with a port, 415 for every
    // body when `consumes` is left out, as 2.0 allows).
    let doc = apigen::unstable::openapi::as_openapi3(doc, &run.path, config.max_input_bytes);
    let mut served = doc.clone();
    let patched = prism_examples(&mut served) + prism_cycles(&mut served);
    run.prism_patches = patched;
    write_if_changed(
        &dir.join("prism-spec.json"),
        &serde_json::to_string(&served).map_err(|e| e.to_string())?,
    )?;
    let methods = signatures::read(&files)?;
    let (main, planned) = caller::write(&api, &doc, &methods);
    run.operations = api.operations.len();
    run.skipped = planned
        .into_iter()
        .filter_map(|p| p.skipped.map(|why| (p.op, why)))
        .collect();
    let caller_dir = dir.join("caller");
    fs::create_dir_all(caller_dir.join("src")).map_err(|e| e.to_string())?;
    let runtime = root().join("runtime");
    let manifest = format!(
        "[package]\nname = \"{name}-caller\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nsdk = {{ path = \"../sdk\", package = \"{name}-sdk\" }}\napigen-runtime = {{ path = {runtime:?} }}\nserde = \"1\"\nserde_json = \"1\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n",
        name = run.name,
        runtime = runtime.display().to_string(),
    );
    write_if_changed(&caller_dir.join("Cargo.toml"), &manifest)?;
    write_if_changed(&caller_dir.join("src/main.rs"), &main)?;
    write_if_changed(&caller_dir.join("src/harness.rs"), caller::HARNESS)?;
    Ok(())
}

/// Prism workarounds in the copy of the spec it serves. Its static response generator ignores
/// `pattern`, some formats (`duration`, `byte`) and any format reached through `allOf`, and
/// writes `"string"`, which is not a value the spec allows: string schemas with a pattern or a
/// known format and no example get one that matches ([`sample::regex_sample`],
/// [`sample::format_example`]). It does not know the unsigned integer
/// formats (`uint32`, `uint64`...) and generates negative values for them: those schemas get
/// the `minimum: 0` their format states. Returns how many schemas changed.
fn prism_examples(v: &mut Value) -> usize {
    let mut n = 0;
    match v {
        Value::Object(map) => {
            let is_string = map.get("type").and_then(Value::as_str) == Some("string");
            let has_example = ["example", "examples", "enum", "const", "default"]
                .iter()
                .any(|k| map.contains_key(*k));
            // OpenAPI's unsigned formats, which Prism does not know: it generates negative
            // values for them.
            let unsigned = map.get("type").and_then(Value::as_str) == Some("integer")
                && map
                    .get("format")
                    .and_then(Value::as_str)
                    .is_some_and(|f| f.starts_with("uint"));
            if unsigned && !map.contains_key("minimum") {
                map.insert("minimum".into(), Value::from(0));
                n += 1;
            }
            if is_string && !has_example {
                let example = match (
                    map.get("pattern").and_then(Value::as_str),
                    map.get("format").and_then(Value::as_str),
                ) {
                    (Some(p), _) => sample::regex_sample(p),
                    (None, Some(f)) => sample::format_example(f).map(str::to_owned),
                    (None, None) => None,
                };
                if let Some(e) = example {
                    map.insert("example".into(), Value::String(e));
                    n += 1;
                }
            }
            for (k, child) in map.iter_mut() {
                // Examples are data, not schemas.
                if k != "example" && k != "examples" {
                    n += prism_examples(child);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                n += prism_examples(item);
            }
        }
        _ => {}
    }
    n
}

/// Prism workaround: its static response generator writes `null` for the items of an array
/// whose item schema comes back round to a schema it is already inside (Graph's navigation
/// collections: `accessPackage.accessPackagesIncompatibleWith[0].accessPackagesIncompatibleWith
/// [0]` is `null`), which the spec does not allow. In the copy Prism serves, an array property
/// of a component whose items refer (directly or through `anyOf`/`oneOf`/`allOf`) to a
/// component on a reference cycle gets `example: []`. Returns how many.
fn prism_cycles(doc: &mut Value) -> usize {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return 0;
    };
    // Component -> components it refers to.
    fn refs(v: &Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(Value::as_str)
                    && let Some(name) = r.strip_prefix("#/components/schemas/")
                {
                    out.insert(name.to_owned());
                }
                for (k, c) in m {
                    if k != "example" && k != "examples" {
                        refs(c, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|c| refs(c, out)),
            _ => {}
        }
    }
    let graph: BTreeMap<String, std::collections::BTreeSet<String>> = schemas
        .iter()
        .map(|(name, s)| {
            let mut out = Default::default();
            refs(s, &mut out);
            (name.clone(), out)
        })
        .collect();
    let reaches_itself = |start: &str| {
        let mut seen = std::collections::BTreeSet::new();
        let mut stack: Vec<&str> = graph
            .get(start)
            .map(|s| s.iter().map(String::as_str).collect())
            .unwrap_or_default();
        while let Some(n) = stack.pop() {
            if n == start {
                return true;
            }
            if seen.insert(n)
                && let Some(next) = graph.get(n)
            {
                stack.extend(next.iter().map(String::as_str));
            }
        }
        false
    };
    let cyclic: std::collections::BTreeSet<String> = graph
        .keys()
        .filter(|n| reaches_itself(n))
        .cloned()
        .collect();
    let mut n = 0;
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return 0;
    };
    fn patch(v: &mut Value, cyclic: &std::collections::BTreeSet<String>, n: &mut usize) {
        let Value::Object(m) = v else { return };
        if let Some(Value::Object(props)) = m.get_mut("properties") {
            for p in props.values_mut() {
                let Value::Object(pm) = p else { continue };
                let is_array = pm.get("type").and_then(Value::as_str) == Some("array");
                let mut targets = Default::default();
                if let Some(items) = pm.get("items") {
                    refs(items, &mut targets);
                }
                if is_array
                    && !pm.contains_key("example")
                    && targets.iter().any(|t| cyclic.contains(t))
                {
                    pm.insert("example".into(), Value::Array(Vec::new()));
                    *n += 1;
                }
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(members)) = m.get_mut(key) {
                for member in members {
                    patch(member, cyclic, n);
                }
            }
        }
    }
    for s in schemas.values_mut() {
        patch(s, &cyclic, &mut n);
    }
    n
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn first_line(s: &str) -> String {
    s.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .to_owned()
}

/// Builds every caller in one scratch workspace, with the repository's target directory (the
/// dependencies the workspace already built are reused).
/// Builds every caller; returns the rustc warnings of each generated crate, by spec.
fn build(runs: &[SpecRun], out: &Path) -> Result<BTreeMap<String, Vec<String>>, String> {
    let mut toml = String::from(
        "# Scratch workspace of `cargo xtask conformance`; rewritten on every run.\n[workspace]\nresolver = \"3\"\nmembers = [\n",
    );
    let mut any = false;
    for r in runs.iter().filter(|r| r.fatal.is_none()) {
        let _ = writeln!(
            toml,
            "    \"specs/{}/sdk\",\n    \"specs/{}/caller\",",
            r.name, r.name
        );
        any = true;
    }
    if !any {
        return Ok(BTreeMap::new());
    }
    toml.push_str("]\n\n[profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n");
    write_if_changed(&out.join("Cargo.toml"), &toml)?;
    if !out.join("Cargo.lock").exists() {
        let _ = fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock"));
    }
    eprintln!("conformance: building the callers");
    for r in runs {
        let _ = fs::remove_file(caller_exe(&r.name));
    }
    forget_other_out_dir(runs, out);
    // JSON messages: rustc's warnings in a generated crate are failures of the run (the callers
    // allow theirs); errors are shown as cargo would show them.
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "build",
            "--workspace",
            "--bins",
            "--keep-going",
            "--message-format=json",
        ])
        .arg("--target-dir")
        .arg(root().join("target"))
        .current_dir(out)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut warnings: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-message" {
            continue;
        }
        let rendered = msg["message"]["rendered"].as_str().unwrap_or("");
        match msg["message"]["level"].as_str() {
            Some("error") => eprint!("{rendered}"),
            Some("warning") => {
                let manifest = msg["manifest_path"].as_str().unwrap_or("");
                if let Some(r) = runs
                    .iter()
                    .find(|r| manifest.ends_with(&format!("specs/{}/sdk/Cargo.toml", r.name)))
                {
                    warnings
                        .entry(r.name.clone())
                        .or_default()
                        .push(first_line(rendered));
                }
            }
            _ => {}
        }
    }
    if !output.status.success() {
        eprintln!("conformance: some callers did not build (see the errors above)");
    }
    Ok(warnings)
}

/// Cargo names a workspace member's build by its path inside the workspace, and records its
/// sources relative to the target directory: the same spec built from another `--out`
/// directory has the same fingerprint, which points at the other directory's sources, so
/// cargo would call it fresh and keep the old binary. When the out directory changed since the
/// last build, the fingerprints of this run's crates are removed, so they are rebuilt.
fn forget_other_out_dir(runs: &[SpecRun], out: &Path) {
    let stamp = root().join("target/apigen-conformance-last-out");
    let here = fs::canonicalize(out).unwrap_or_else(|_| out.to_path_buf());
    let here = here.to_string_lossy().into_owned();
    if fs::read_to_string(&stamp).ok().as_deref() == Some(here.as_str()) {
        return;
    }
    let fingerprints = root().join("target/debug/.fingerprint");
    if let Ok(entries) = fs::read_dir(&fingerprints) {
        for entry in entries.flatten() {
            let file = entry.file_name();
            let file = file.to_string_lossy();
            let ours = runs.iter().any(|r| {
                [format!("{}-caller-", r.name), format!("{}-sdk-", r.name)]
                    .iter()
                    .any(|prefix| {
                        file.strip_prefix(prefix.as_str())
                            .is_some_and(|hash| hash.chars().all(|c| c.is_ascii_hexdigit()))
                    })
            });
            if ours {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
    let _ = fs::write(&stamp, here);
}

fn caller_exe(name: &str) -> PathBuf {
    root().join("target/debug").join(format!("{name}-caller"))
}

/// Installs Prism (pinned) into `target/prism` once; returns its command.
fn install_prism() -> Result<PathBuf, String> {
    let dir = root().join("target/prism");
    let bin = dir.join("node_modules/.bin/prism");
    let stamp = dir.join("installed-version");
    if bin.exists() && fs::read_to_string(&stamp).ok().as_deref() == Some(PRISM) {
        return Ok(bin);
    }
    fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    eprintln!("conformance: installing {PRISM} into {}", dir.display());
    let status = Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--prefix",
        ])
        .arg(&dir)
        .arg(PRISM)
        .status()
        .map_err(|e| format!("cannot run npm (Node.js and npm are needed for Prism): {e}"))?;
    if !status.success() || !bin.exists() {
        return Err(format!("npm could not install {PRISM}"));
    }
    let _ = fs::write(&stamp, PRISM);
    Ok(bin)
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

struct Prism {
    child: Child,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts Prism on loopback for `spec`; waits until it listens.
fn start_prism(
    bin: &Path,
    spec: &Path,
    port: u16,
    seed: &str,
    log: &Path,
) -> Result<Prism, String> {
    let file = fs::File::create(log).map_err(|e| e.to_string())?;
    let mut child = Command::new(bin)
        .args([
            "mock",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--errors",
        ])
        .args(["--seed", seed])
        .arg(spec)
        .stdout(Stdio::from(file.try_clone().map_err(|e| e.to_string())?))
        .stderr(Stdio::from(file))
        .stdin(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start Prism: {e}"))?;
    let start = Instant::now();
    loop {
        let text = fs::read_to_string(log).unwrap_or_default();
        if text.contains("Prism is listening") {
            return Ok(Prism { child });
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "Prism exited ({status}) before listening: {}",
                tail(&text, 5)
            ));
        }
        if start.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            return Err(format!("Prism did not start in 180 s: {}", tail(&text, 5)));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}

/// Runs one spec's caller against a fresh Prism.
fn call(run: &mut SpecRun, prism: &Path, opts: &ConformanceArgs) -> Result<(), String> {
    let dir = opts.out.join("specs").join(&run.name);
    let port = free_port()?;
    let served = dir.join("prism-spec.json");
    let mut prism_server = start_prism(
        prism,
        &served,
        port,
        &opts.prism_seed,
        &dir.join("prism.log"),
    )?;
    let exe = caller_exe(&run.name);
    if !exe.exists() {
        return Err(
            "the caller (or the generated crate) did not build: see the cargo output".into(),
        );
    }
    let mut child = Command::new(&exe)
        .env("APIGEN_BASE_URL", format!("http://127.0.0.1:{port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let stdout = child.stdout.take().expect("piped");
    for line in BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        if let Ok(v) = serde_json::from_str::<Value>(&line) {
            run.results.push(v);
        }
    }
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!(
            "the caller failed ({status}): {}",
            tail(&stderr, 5)
        ));
    }
    // Prism can die mid-run (it throws on a violation message it cannot put in a header):
    // the calls that then found no server are its failure, not the client's.
    if let Ok(Some(exit)) = prism_server.child.try_wait() {
        let log = fs::read_to_string(dir.join("prism.log")).unwrap_or_default();
        let why = log
            .lines()
            .rev()
            .find(|l| l.contains("Error"))
            .unwrap_or("no message")
            .trim()
            .to_owned();
        for r in &mut run.results {
            if r["cause"] == "other"
                && r["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("error sending HTTP request"))
            {
                r["cause"] = json!("prism-error");
                r["message"] = json!(format!("Prism exited ({exit}): {why}"));
            }
        }
    }
    Ok(())
}

fn pct(n: usize, of: usize) -> String {
    if of == 0 {
        "-".into()
    } else {
        format!("{:.1} %", 100.0 * n as f64 / of as f64)
    }
}

/// Prints the tables and writes `report.json`; true when anything failed.
fn report(runs: &[SpecRun], out: &Path) -> bool {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "\n| spec | operations | called | calls | passed | spec defects | not judged | examples | dynamic | error statuses | result |"
    );
    let _ = writeln!(text, "|---|---|---|---|---|---|---|---|---|---|---|");
    let mut any_failed = false;
    let (mut t_ops, mut t_called, mut t_calls, mut t_pass, mut t_prism) = (0, 0, 0, 0, 0);
    let mut t_spec = 0;
    let mut modes_total: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for r in runs {
        let calls = r.count(None, None);
        let passed = r.count(None, Some(true));
        let prism = r.unjudged();
        let spec = r.spec_defects();
        t_spec += spec;
        let called = r.operations - r.skipped.len();
        let mode = |m: &'static str| {
            let all = r.count(Some(m), None);
            let ok = r.count(Some(m), Some(true));
            format!("{ok}/{all}")
        };
        for m in ["examples", "dynamic", "status"] {
            let e = modes_total.entry(m).or_default();
            e.0 += r.count(Some(m), Some(true));
            e.1 += r.count(Some(m), None);
        }
        let result = match &r.fatal {
            Some(f) => {
                any_failed = true;
                format!("not run: {}", first_line(f))
            }
            None if passed == calls && r.skipped.is_empty() && r.warnings.is_empty() => "ok".into(),
            None => {
                any_failed = true;
                let mut out = format!("{} failed, {} not called", calls - passed, r.skipped.len());
                if !r.warnings.is_empty() {
                    let _ = write!(out, ", {} rustc warning(s)", r.warnings.len());
                }
                out
            }
        };
        t_ops += r.operations;
        t_called += if r.fatal.is_none() { called } else { 0 };
        t_calls += calls;
        t_pass += passed;
        t_prism += prism;
        let _ = writeln!(
            text,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.name,
            r.operations,
            if r.fatal.is_none() { called } else { 0 },
            calls,
            pct(passed, calls),
            spec,
            prism,
            mode("examples"),
            mode("dynamic"),
            mode("status"),
            result
        );
    }
    let m = |k: &str| {
        let (ok, all) = modes_total.get(k).copied().unwrap_or_default();
        format!("{ok}/{all}")
    };
    let _ = writeln!(
        text,
        "| **{} specs** | {t_ops} | {t_called} | {t_calls} | {} | {t_spec} | {t_prism} | {} | {} | {} | |",
        runs.len(),
        pct(t_pass, t_calls),
        m("examples"),
        m("dynamic"),
        m("status"),
    );
    // Failures grouped by cause and message.
    let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for r in runs {
        for v in &r.results {
            if v["cause"] == "pass" {
                continue;
            }
            let mut cause = v["cause"].as_str().unwrap_or("?").to_owned();
            if let Some(kind) = v["explained"]["kind"].as_str() {
                cause = format!(
                    "{kind} defect, {cause}: {}",
                    v["explained"]["reason"].as_str().unwrap_or("")
                );
            }
            let msg = v["message"].as_str().unwrap_or("").to_owned();
            let key = normalize(&msg);
            groups.entry((cause, key)).or_default().push(format!(
                "{}: {} ({} {}): {}",
                r.name,
                v["op"].as_str().unwrap_or("?"),
                v["mode"].as_str().unwrap_or("?"),
                v["variant"].as_str().unwrap_or("?"),
                msg
            ));
        }
        for w in &r.warnings {
            groups
                .entry(("rustc-warning".into(), normalize(w)))
                .or_default()
                .push(format!("{}: {w}", r.name));
        }
        for (op, why) in &r.skipped {
            groups
                .entry(("not-called".into(), normalize(why)))
                .or_default()
                .push(format!("{}: {op}: {why}", r.name));
        }
    }
    let _ = writeln!(
        text,
        "\n`calls` and `passed` count the calls that could be judged. `spec defects` failed through a\nproven defect of the spec (xtask/conformance/explained.txt); `not judged`: Prism's answer broke\nthe spec by its own validation (a spec example that contradicts its schema, or a value Prism\ngenerated), or Prism failed. Each is listed below with its evidence."
    );
    if !groups.is_empty() {
        let mut sorted: Vec<_> = groups.iter().collect();
        sorted.sort_by_key(|(_, v)| std::cmp::Reverse(v.len()));
        let _ = writeln!(text, "\nFailures by cause ({} groups):", sorted.len());
        for ((cause, _), items) in sorted {
            let _ = writeln!(text, "\n[{cause}] x{}", items.len());
            for item in items.iter().take(3) {
                let _ = writeln!(text, "  - {}", clip(item, 400));
            }
            if items.len() > 3 {
                let _ = writeln!(text, "  - ... and {} more", items.len() - 3);
            }
        }
    }
    print!("{text}");
    let json = json!(
        runs.iter()
            .map(|r| json!({
                    "spec": r.path.display().to_string(),
                    "name": r.name,
                    "fatal": r.fatal,
                    "operations": r.operations,
                    "skipped": r.skipped,
            "rustc_warnings": r.warnings,
                    "results": r.results,
                }))
            .collect::<Vec<_>>()
    );
    let _ = fs::write(
        out.join("report.json"),
        serde_json::to_string_pretty(&json).unwrap_or_default(),
    );
    let _ = fs::write(out.join("report.txt"), &text);
    eprintln!("\nreport: {}", out.join("report.txt").display());
    any_failed
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(n).collect();
        out.push_str("...");
        out
    }
}

/// A message with the specifics that vary per call (numbers, quoted values) masked, to group
/// failures of one cause.
fn normalize(msg: &str) -> String {
    let mut out = String::new();
    let mut in_quote = false;
    for c in msg.chars().take(160) {
        if c == '`' || c == '"' {
            in_quote = !in_quote;
            out.push(c);
            continue;
        }
        if in_quote {
            continue;
        }
        out.push(if c.is_ascii_digit() { '#' } else { c });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_draws_the_same_sample() {
        let items: Vec<u32> = (0..1000).collect();
        let a = sample(&items, 100, 7);
        assert_eq!(a, sample(&items, 100, 7));
        assert_ne!(a, sample(&items, 100, 8));
        assert_eq!(a.len(), 100);
        assert!(a.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn the_explained_failures_file_parses_and_each_line_gives_evidence() {
        let all = load_explained().expect("explained.txt parses");
        assert!(!all.is_empty());
        for e in &all {
            assert!(
                !e.needle.is_empty() && e.reason.len() > 40,
                "{}: {}",
                e.spec,
                e.reason
            );
        }
    }

    #[test]
    fn crate_names_are_valid_package_names() {
        assert_eq!(
            crate_name(Path::new("a/twilio.com_twilio_accounts_v1.json")),
            "twilio-com-twilio-accounts-v1"
        );
        assert_eq!(
            crate_name(Path::new("1password.com.yaml")),
            "c-1password-com"
        );
    }
}
