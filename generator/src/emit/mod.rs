//! IR -> Rust files. One small module per kind of output; this one assembles the crate.

pub mod client;
pub mod docs;
pub mod layout;
pub mod mock;
pub mod models;
pub mod plan;
mod servers;
pub mod types;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use proc_macro2::TokenStream;
use quote::quote;

use crate::config::{Config, relative_path};
use crate::diagnostics::Error;
use crate::format::{HEADER, Printer, rust_file};
use crate::ir::{Api, TypeId};

use self::docs::{inner_doc_attrs, sanitize};
use self::layout::Layout;
use self::types::TypeFacts;

/// The generated crate: relative path -> file contents, in path order.
pub type Files = BTreeMap<String, String>;

/// One file to produce.
enum Job<'a> {
    Cargo,
    Lib,
    /// The whole models file (unsplit crate).
    Models,
    /// `models/mod.rs` of a split crate.
    ModelsMod,
    /// One model file of a split crate.
    ModelsChunk(&'a str, &'a [TypeId]),
    /// The whole client file (unsplit crate).
    Client,
    /// `client/mod.rs` of a split crate.
    ClientMod,
    /// One area of a split crate.
    ClientArea(usize),
    /// A file of the mock module (`crate.mock`).
    Mock(MockJob),
}

/// A file of the mock module.
#[derive(Clone, Copy)]
enum MockJob {
    /// The whole module (unsplit crate).
    File,
    /// `mock/mod.rs` of a split crate.
    Mod,
    /// The stubs of one area of a split crate.
    Area(usize),
}

/// Emit every file of the crate. Files are produced (tokens, then formatting) on
/// `config.threads` threads; the result does not depend on how many.
pub fn emit(api: &Api, config: &Config) -> Result<Files, Error> {
    emit_timed(api, config, &crate::progress::Progress::new()).map(|(files, _, _)| files)
}

/// [`emit`], also returning the CPU time spent building tokens and formatting them (summed
/// over threads).
pub fn emit_timed(
    api: &Api,
    config: &Config,
    progress: &crate::progress::Progress,
) -> Result<(Files, Duration, Duration), Error> {
    emit_files(api, config, progress)
}

/// The files of the crate `layout` plans, as jobs (with the mock module's when `mock`).
fn jobs(layout: &Layout, mock: bool) -> Vec<Job<'_>> {
    let mut jobs = vec![Job::Cargo, Job::Lib];
    if mock && layout.split {
        jobs.push(Job::Mock(MockJob::Mod));
        jobs.extend((0..layout.areas.len()).map(|a| Job::Mock(MockJob::Area(a))));
    } else if mock {
        jobs.push(Job::Mock(MockJob::File));
    }
    if layout.split {
        jobs.push(Job::ModelsMod);
        for (stem, ids) in &layout.chunks {
            jobs.push(Job::ModelsChunk(stem, ids));
        }
        jobs.push(Job::ClientMod);
        for area in 0..layout.areas.len() {
            jobs.push(Job::ClientArea(area));
        }
    } else {
        jobs.push(Job::Models);
        jobs.push(Job::Client);
    }
    jobs
}

/// [`emit_timed`].
fn emit_files(
    api: &Api,
    config: &Config,
    progress: &crate::progress::Progress,
) -> Result<(Files, Duration, Duration), Error> {
    let facts = TypeFacts::new(api);
    let layout = Layout::plan(api, config);
    let mut jobs = jobs(&layout, config.krate.mock);
    // Biggest files first, so that no thread is left with a big one at the end while the others
    // idle (output order does not depend on it: files are keyed by path). The weights are rough
    // sizes: a model is about four times the code of an operation.
    let weight = |job: &Job<'_>| -> usize {
        match job {
            Job::ModelsChunk(_, ids) => 4 * ids.len(),
            Job::ClientArea(area) => layout.op_area.iter().filter(|a| **a == *area).count(),
            Job::Models => 4 * api.types.len(),
            Job::Client => api.operations.len(),
            Job::Mock(MockJob::Area(area)) => {
                layout.op_area.iter().filter(|a| **a == *area).count() / 4
            }
            Job::Mock(MockJob::File) => api.operations.len() / 4,
            _ => 0,
        }
    };
    jobs.sort_by_key(|job| std::cmp::Reverse(weight(job)));
    let threads = config
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, jobs.len());
    progress.start_files(jobs.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    type Done = (Vec<(String, String)>, Duration, Duration);
    let work = || -> Result<Done, Error> {
        let mut done = Vec::new();
        let start = Instant::now();
        let mut format = Duration::ZERO;
        // One printer per thread, emptied by each file it prints.
        let printer = Printer::default();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(job) = jobs.get(i) else { break };
            let (path, content) = run_job(job, api, config, &facts, &layout, &printer)?;
            let text = match content {
                Content::Rust(tokens) => {
                    let started = Instant::now();
                    let text = rust_file(&path, tokens, &printer)?;
                    format += started.elapsed();
                    text
                }
                Content::Text(text) => text,
            };
            done.push((path, text));
            progress.file_done();
        }
        Ok((done, start.elapsed().saturating_sub(format), format))
    };
    let results: Vec<Result<Done, Error>> = std::thread::scope(|scope| {
        // Deeply nested types make deep token trees: give workers the generator's stack.
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                std::thread::Builder::new()
                    .name("apigen-emit".into())
                    .stack_size(crate::STACK_SIZE)
                    .spawn_scoped(scope, work)
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                let panicked = || Error::Internal {
                    file: "<emit>".into(),
                    message: "an emitting thread panicked".into(),
                };
                match w {
                    Ok(handle) => handle.join().unwrap_or_else(|_| Err(panicked())),
                    Err(e) => Err(Error::io("<thread>", e)),
                }
            })
            .collect()
    });
    let mut files = Files::new();
    let (mut tokens, mut format) = (Duration::ZERO, Duration::ZERO);
    for r in results {
        let (done, t, f) = r?;
        tokens += t;
        format += f;
        for (path, text) in done {
            files.insert(path, text);
        }
    }
    Ok((files, tokens, format))
}

/// A file's content as a job makes it: Rust tokens (formatted by [`rust_file`], or read as
/// they are by [`emit_tokens`]), or text.
pub enum Content {
    Rust(TokenStream),
    Text(String),
}

/// Marks `tokens` as the Rust code of `_path` (formatted later, see [`Content`]).
fn rust(_path: &str, tokens: TokenStream) -> Result<Content, Error> {
    Ok(Content::Rust(tokens))
}

/// The crate's files as tokens, unformatted, with the docs and the models' regular impls left
/// as placeholders (see [`Printer`]): for reading the crate's items (its public surface)
/// without the cost of printing it.
pub fn emit_tokens(api: &Api, config: &Config) -> BTreeMap<String, Content> {
    let facts = TypeFacts::new(api);
    let layout = Layout::plan(api, config);
    jobs(&layout, config.krate.mock)
        .iter()
        .filter_map(|job| {
            // What the printer keeps is dropped with it: nothing is printed.
            let printer = Printer::default();
            run_job(job, api, config, &facts, &layout, &printer).ok()
        })
        .collect()
}

fn run_job(
    job: &Job<'_>,
    api: &Api,
    config: &Config,
    facts: &TypeFacts,
    layout: &Layout,
    p: &Printer,
) -> Result<(String, Content), Error> {
    let base_url = api.base_url.as_deref();
    let all_types: Vec<TypeId>;
    Ok(match job {
        Job::Mock(mock) => mock_job(p, *mock, api, layout)?,
        Job::Cargo => (
            "Cargo.toml".into(),
            Content::Text(cargo_toml(api, config, layout)),
        ),
        Job::Lib => (
            "src/lib.rs".into(),
            rust("src/lib.rs", lib_rs(p, api, config, layout))?,
        ),
        Job::Models => {
            all_types = (0..api.types.len()).map(TypeId).collect();
            let models = models::models(p, api, facts, &all_types, layout);
            let imports = facts.model_imports(api, &all_types, false);
            (
                "src/models.rs".into(),
                rust(
                    "src/models.rs",
                    quote! {
                        //! Data types of the API, one per schema, sorted by name.
                        #imports
                        #models
                    },
                )?,
            )
        }
        Job::ModelsMod => {
            let mods = layout.chunks.keys().map(|stem| {
                let m = types::ident(stem);
                quote! {
                    mod #m;
                    #[allow(unused_imports)] // empty when no enabled feature uses its types
                    pub use self::#m::*;
                }
            });
            (
                "src/models/mod.rs".into(),
                rust(
                    "src/models/mod.rs",
                    quote! {
                        //! Data types of the API, one per schema. Each is compiled when an enabled
                        //! feature (an area of the API) uses it.
                        #(#mods)*
                    },
                )?,
            )
        }
        Job::ModelsChunk(stem, ids) => {
            let path = format!("src/models/{stem}.rs");
            let models = models::models(p, api, facts, ids, layout);
            let imports = facts.model_imports(api, ids, true);
            let text = rust(
                &path,
                quote! {
                    #[allow(unused_imports)]
                    use super::*;
                    #imports
                    #models
                },
            )?;
            (path, text)
        }
        Job::Client => {
            let indices: Vec<usize> = (0..api.operations.len()).collect();
            let (methods, wrappers) = client::operation_items(p, api, &indices, layout);
            let core = client::client_core(p, api, base_url, &config.client.base_urls, &methods);
            let generic = operation_request(layout);
            let markers = client::marker_items(p, api, layout, &layout.markers, false);
            let code = quote! {
                #core
                #generic
                #(#wrappers)*
                #markers
            };
            let import = client::models_import(&code);
            (
                "src/client.rs".into(),
                rust("src/client.rs", {
                    let body = client::short_runtime_paths(
                        quote! {
                            #import
                            #code
                        },
                        false,
                    );
                    quote! {
                        //! The API client, and the request types of operations that take optional parameters.
                        #body
                    }
                })?,
            )
        }
        Job::ClientMod => {
            let core = client::client_core(p, api, base_url, &config.client.base_urls, &[]);
            let generic = operation_request(layout);
            let mods = layout.areas.iter().map(|a| {
                let m = types::ident(&a.module);
                let feature = &a.feature;
                let doc = docs::lines_to_attrs(
                    p,
                    &format!(
                        "Operations under `/{}` (feature `{feature}`).",
                        a.segment.replace('`', "'")
                    ),
                );
                quote! {
                    #[cfg(feature = #feature)]
                    #doc
                    pub mod #m;
                }
            });
            // Markers whose operations are in several areas.
            let shared: Vec<&layout::Marker> =
                layout.markers.iter().filter(|m| m.area.is_none()).collect();
            let markers = client::marker_items(p, api, layout, shared, true);
            let import = client::models_import(&markers);
            let import = if import.is_empty() {
                import
            } else {
                quote! {
                    #[allow(unused_imports)] // when no enabled area has one of these
                    #import
                }
            };
            (
                "src/client/mod.rs".into(),
                rust("src/client/mod.rs", {
                    let body = client::short_runtime_paths(
                        quote! {
                            #import
                            #core
                            #generic
                            #(#mods)*
                            #markers
                        },
                        true,
                    );
                    quote! {
                        //! The API client. Its operations are grouped by area, one module and cargo
                        //! feature per first path segment.
                        #body
                    }
                })?,
            )
        }
        Job::ClientArea(area) => {
            let a = &layout.areas[*area];
            let path = format!("src/client/{}.rs", a.module.trim_start_matches("r#"));
            let indices: Vec<usize> = layout
                .op_area
                .iter()
                .enumerate()
                .filter(|(_, x)| **x == *area)
                .map(|(i, _)| i)
                .collect();
            let ops = client::operations(p, api, &indices, layout);
            let markers = client::marker_items(
                p,
                api,
                layout,
                layout.markers.iter().filter(|m| m.area == Some(*area)),
                false,
            );
            let code = quote! {
                #ops
                #markers
            };
            let import = client::models_import(&code);
            let text = rust(
                &path,
                client::short_runtime_paths(
                    quote! {
                        use super::Client;
                        #import
                        #code
                    },
                    false,
                ),
            )?;
            (path, text)
        }
    })
}

/// A file of the mock module (see [`mock`]).
fn mock_job(
    p: &Printer,
    job: MockJob,
    api: &Api,
    layout: &Layout,
) -> Result<(String, Content), Error> {
    let (path, tokens) = match job {
        MockJob::File => (
            "src/mock.rs".to_owned(),
            mock::mock_file(p, api, &mock::stub_names(api)),
        ),
        MockJob::Mod => ("src/mock/mod.rs".to_owned(), mock::mock_mod(p, api, layout)),
        MockJob::Area(area) => (
            mock::area_path(layout, area),
            mock::mock_area(p, api, layout, area, &mock::stub_names(api)),
        ),
    };
    Ok((path.clone(), rust(&path, tokens)?))
}

fn lib_rs(p: &Printer, api: &Api, config: &Config, layout: &Layout) -> TokenStream {
    let mut paragraphs = Vec::new();
    let title = if api.title.trim().is_empty() {
        config.krate.name.clone()
    } else {
        api.title.trim().to_owned()
    };
    let version = if api.version.trim().is_empty() {
        String::new()
    } else {
        format!(" (API version {})", api.version.trim())
    };
    paragraphs.push(format!("Rust client for {}{version}.", sanitize(&title)));
    if let Some(d) = api
        .docs
        .description
        .as_deref()
        .or(api.docs.summary.as_deref())
    {
        paragraphs.push(sanitize(d));
    }
    paragraphs.push(
        "Generated by apigen: [`Client`] has one method per operation and [`models`] one type per schema. Requests, errors, paging and retries come from [`apigen_runtime`].".to_owned(),
    );
    if layout.split {
        let examples: Vec<String> = layout
            .areas
            .iter()
            .take(3)
            .map(|a| format!("`{}`", a.feature))
            .collect();
        paragraphs.push(format!(
            "The operations are grouped into {} areas, one cargo feature each, named after the first segment of their path ({}, ...). The default feature `full` enables all of them; to compile only what you use, depend on this crate with `default-features = false` and the features of your areas. A model is compiled when an enabled area uses it; models no operation uses need the `{}` feature. A polymorphic value whose concrete type is not compiled is read as its type's `Unknown` variant (the raw JSON, sent back unchanged).",
            layout.areas.len(),
            examples.join(", "),
            layout::EXTRA_FEATURE
        ));
    }
    let docs = inner_doc_attrs(p, &paragraphs.join("\n\n"));
    let mock = if config.krate.mock {
        quote! {
            #[cfg(feature = "mock")]
            #[rustfmt::skip]
            pub mod mock;
        }
    } else {
        quote!()
    };
    quote! {
        #docs
        // The generated files are formatted by apigen (prettyplease), not rustfmt: `cargo fmt` must
        // not rewrite them, or `cargo xtask codegen --check` would see them as stale.
        #![cfg_attr(rustfmt, rustfmt_skip)]
        #![forbid(unsafe_code)]
        // Names come from the API description; these lints judge names, not code.
        #![allow(
            clippy::enum_variant_names,
            clippy::too_many_arguments,
            clippy::large_enum_variant,
            clippy::disallowed_names
        )]
        // Deprecated operations and types still have to be generated and used by the client;
        // users of the crate get the deprecation warnings at their own call sites.
        #![allow(deprecated)]
        #![allow(rustdoc::bare_urls)]

        #[rustfmt::skip]
        pub mod models;
        #[rustfmt::skip]
        pub mod client;
        #mock

        pub use client::Client;
        pub use apigen_runtime::{Error, Nullable, Page, PagedRequest, Request, Result};
        /// The runtime crate the generated code is built on (auth, errors, retry, paging).
        pub use apigen_runtime as runtime;
    }
}

/// `s` as a TOML key: bare when it can be, quoted otherwise.
fn toml_key(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        s.to_owned()
    } else {
        toml_str(s)
    }
}

fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn cargo_toml(api: &Api, config: &Config, layout: &Layout) -> String {
    let k = &config.krate;
    let description = k.description.clone().unwrap_or_else(|| {
        let t = api.title.trim();
        if t.is_empty() {
            "Rust client generated by apigen".to_owned()
        } else {
            format!("Rust client for {t}, generated by apigen")
        }
    });
    let description: String = description.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    out.push_str(&format!("# {}\n", HEADER.trim_start_matches("// ")));
    out.push_str("[package]\n");
    out.push_str(&format!("name = {}\n", toml_str(&k.name)));
    out.push_str(&format!("version = {}\n", toml_str(&k.version)));
    out.push_str(&format!("edition = {}\n", toml_str(&k.edition)));
    out.push_str(&format!("description = {}\n", toml_str(&description)));
    if let Some(l) = &k.license {
        out.push_str(&format!("license = {}\n", toml_str(l)));
    }
    out.push_str("\n[dependencies]\n");
    let runtime = match &k.runtime_path {
        Some(p) => {
            let rel = relative_path(&config.output, p);
            let rel = rel.to_string_lossy().replace('\\', "/");
            format!(
                "apigen-runtime = {{ path = {}, version = {} }}\n",
                toml_str(&rel),
                toml_str(&k.runtime_version)
            )
        }
        None => format!("apigen-runtime = {}\n", toml_str(&k.runtime_version)),
    };
    out.push_str(&runtime);
    out.push_str("serde = { version = \"1.0.200\", features = [\"derive\"] }\n");
    out.push_str("serde_json = \"1.0.120\"\n");
    if let Some(dev) = &k.dev_dependencies {
        out.push_str("\n[dev-dependencies]\n");
        out.push_str(dev.trim_end());
        out.push('\n');
    }
    out.push_str(
        "\n[features]\n# Conversions of the date and time types to and from the jiff and chrono crates.\n",
    );
    out.push_str("jiff = [\"apigen-runtime/jiff\"]\nchrono = [\"apigen-runtime/chrono\"]\n");
    if k.mock {
        out.push_str(
            "# A typed mock server of the API (`mock` module), for tests of code that uses this crate.\nmock = [\"apigen-runtime/mock\"]\n",
        );
    }
    if layout.split {
        out.push_str(
            "\n# One feature per area of the API (first path segment); `full` has them all.\n",
        );
        out.push_str("default = [\"full\"]\n");
        let all: Vec<String> = layout
            .areas
            .iter()
            .map(|a| toml_str(&a.feature))
            .chain(std::iter::once(toml_str(layout::EXTRA_FEATURE)))
            .collect();
        out.push_str(&format!("full = [{}]\n", all.join(", ")));
        for a in &layout.areas {
            out.push_str(&format!("{} = []\n", toml_key(&a.feature)));
        }
        out.push_str(&format!("{} = []\n", toml_key(layout::EXTRA_FEATURE)));
    }
    if k.standalone {
        out.push_str("\n# Not part of any enclosing workspace.\n[workspace]\n");
    }
    out
}

/// Where a crate's files live relative to its directory.
pub fn is_generated_path(path: &Path) -> bool {
    path == Path::new("Cargo.toml") || path.starts_with("src")
}

/// The generic request type of operations with optional parameters, when there are any.
fn operation_request(layout: &Layout) -> TokenStream {
    if layout.wrappers.iter().any(Option::is_some) {
        client::operation_request_type()
    } else {
        TokenStream::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files of the crate for `path`.
    fn emitted(path: &Path, config: &Config) -> Files {
        let source = crate::source::SourceFile::read(path, u64::MAX).unwrap();
        let mut diags = crate::diagnostics::Diagnostics::default();
        let api = if path.extension().is_some_and(|e| e == "xml") {
            crate::csdl::read(&source, config, &mut diags)
        } else {
            crate::openapi::read(&source, config, &mut diags)
        }
        .unwrap();
        let progress = crate::progress::Progress::new();
        emit_files(&api, config, &progress).unwrap().0
    }

    /// The body of a generated Rust file as a Rust file (its header line is a comment `syn`
    /// would drop), parsed.
    fn parsed(file: &str, text: &str) -> (String, syn::File) {
        let body = text
            .strip_prefix(HEADER)
            .and_then(|b| b.strip_prefix('\n'))
            .unwrap_or_else(|| panic!("{file}: no header line"));
        let parsed = syn::parse_file(body).unwrap_or_else(|e| panic!("{file}: {e}"));
        (body.to_owned(), parsed)
    }

    /// The docs and the models' impls printed as text (see [`Printer`]) are laid out as
    /// `prettyplease` lays out the rest of the file: every file is valid Rust and reads back
    /// to itself, for fixtures with long, odd and keyword names, split and unsplit.
    #[test]
    fn printed_text_is_laid_out_as_prettyplease_lays_out_the_rest() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for (file, split) in [
            ("hostile-names.yaml", false),
            ("schema-features.yaml", true),
            ("inheritance-polymorphism.yaml", false),
            ("empty-objects.yaml", true),
            ("operations.yaml", true),
            ("csdl-features.csdl.xml", true),
        ] {
            let mut config = Config::standalone(dir.join(file), "out", Some("x")).unwrap();
            if split {
                config.krate.split = crate::config::Split::Always;
            }
            for (path, text) in emitted(&dir.join(file), &config) {
                if !path.ends_with(".rs") {
                    continue;
                }
                let (body, parsed) = parsed(&path, &text);
                let again = crate::format::space_items(&prettyplease::unparse(&parsed));
                assert_eq!(again, body, "{file}: {path}");
            }
        }
    }

    /// Names and wire strings of every length, around and far past the line width, in types,
    /// fields and enum values, split (impls one level deeper) and not: valid Rust (a name that
    /// cannot fit is written whole).
    #[test]
    fn printed_text_is_valid_for_names_of_any_length() {
        use std::fmt::Write as _;
        let mut spec = String::from(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      \
             responses: {'200': {description: ok}}\ncomponents:\n  schemas:\n",
        );
        // Every length from short to far past the width, for type names (with short fields)
        // and for field names and wire strings (in short-named types), one at a time.
        for len in 1..=90 {
            let x = "x".repeat(len);
            let _ = writeln!(
                spec,
                "    T{x}:\n      type: object\n      required: [r]\n      properties:\n        \
                 a: {{type: string, nullable: true}}\n        r: {{type: integer}}\n    \
                 E{x}:\n      type: string\n      enum: [v, w]"
            );
            let _ = writeln!(
                spec,
                "    F{len}:\n      type: object\n      required: [r{x}]\n      properties:\n        \
                 p{x}: {{type: string, nullable: true}}\n        r{x}: {{type: integer}}\n        \
                 \"wire \\\" {}\": {{type: string}}\n    \
                 G{len}:\n      type: string\n      enum: [v{x}, w]\n    \
                 H{len}:\n      type: object\n      properties:\n        \
                 p{x}: {{type: string}}\n        z: {{type: string}}",
                "é".repeat(len)
            );
        }
        let dir = std::env::temp_dir().join(format!("apigen-lengths-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("lengths.yaml");
        std::fs::write(&path, spec).unwrap();
        for split in [false, true] {
            let mut config = Config::standalone(&path, "out", Some("x")).unwrap();
            if split {
                config.krate.split = crate::config::Split::Always;
            }
            for (file, text) in emitted(&path, &config) {
                if file.ends_with(".rs") {
                    parsed(&file, &text);
                }
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
