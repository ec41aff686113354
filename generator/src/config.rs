//! `codegen.toml`: what to generate and where.
//!
//! Every key is documented in `docs/codegen-toml.md`. Unknown keys are errors that name the line
//! and suggest the closest known key, so a typo never silently changes the output.

use std::path::{Component, Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, Error, Location, closest};
use crate::source::line_col_of_offset;

/// The input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// OpenAPI 3.0 / 3.1, YAML or JSON.
    OpenApi,
    /// OData CSDL XML (`$metadata`).
    Csdl,
}

/// How operation methods are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OperationNames {
    /// From `operationId` when there is one, else from the method and path.
    #[default]
    OperationId,
    /// Always from the method and path (`list_users`, `get_user`, `create_user`).
    Path,
}

/// Whether a crate is split into areas behind cargo features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Split {
    /// When the API is large (more than 200 operations or 400 types).
    #[default]
    Auto,
    /// Never: three files, no features.
    Never,
    /// Always.
    Always,
}

/// The generated crate's manifest data.
#[derive(Debug, Clone, PartialEq)]
pub struct CrateConfig {
    /// Package name.
    pub name: String,
    /// Package version.
    pub version: String,
    /// Package description (default: from the spec's title).
    pub description: Option<String>,
    /// License expression.
    pub license: Option<String>,
    /// Rust edition.
    pub edition: String,
    /// Path to the `apigen-runtime` crate, relative to the output directory when written.
    pub runtime_path: Option<PathBuf>,
    /// Version requirement on `apigen-runtime`.
    pub runtime_version: String,
    /// Add an empty `[workspace]` table so the crate builds on its own inside another tree.
    pub standalone: bool,
    /// `[dev-dependencies]` of the generated crate, as TOML (for hand-written tests and
    /// examples kept next to the generated code).
    pub dev_dependencies: Option<String>,
    /// Split into areas behind cargo features.
    pub split: Split,
    /// Generate models (those that implement `Default`) and enums as `#[non_exhaustive]`: a
    /// new property or enum value is then a minor change, but users construct models with
    /// `Default` and field assignment instead of struct literals.
    pub non_exhaustive: bool,
    /// Write `api.txt` next to `Cargo.toml`: the crate's public items, one sorted line each,
    /// so that a pull request shows its API change.
    pub api_file: bool,
    /// Generate the `mock` module (typed stubs of every operation on a loopback server) behind
    /// the crate's `mock` cargo feature, off by default.
    pub mock: bool,
}

/// Client options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientConfig {
    /// Base URL the client uses by default (overrides the spec's first server).
    pub base_url: Option<String>,
    /// Naming strategy for operations.
    pub operation_names: OperationNames,
    /// Other named base URLs (e.g. national clouds), as `(name, url)` sorted by name.
    pub base_urls: Vec<(String, String)>,
}

/// Which operations and types are generated (all when empty).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Selection {
    /// Keep only operations whose path starts with one of these (segment-wise; `/People`
    /// includes `/People('{id}')` and what is below it).
    pub include_paths: Vec<String>,
    /// Drop operations whose path starts with one of these.
    pub exclude_paths: Vec<String>,
    /// Keep only operations with one of these tags.
    pub include_tags: Vec<String>,
    /// Drop operations with one of these tags.
    pub exclude_tags: Vec<String>,
    /// Generate these types (by description name) even if no kept operation uses them.
    pub include_types: Vec<String>,
    /// Never generate these types; values of them are kept as raw JSON.
    pub exclude_types: Vec<String>,
}

impl Selection {
    /// Whether any filter is set (then only what kept operations use is generated).
    pub fn is_active(&self) -> bool {
        !(self.include_paths.is_empty()
            && self.exclude_paths.is_empty()
            && self.include_tags.is_empty()
            && self.exclude_tags.is_empty()
            && self.include_types.is_empty()
            && self.exclude_types.is_empty())
    }
}

/// Options for CSDL input.
#[derive(Debug, Clone, PartialEq)]
pub struct CsdlConfig {
    /// How many navigation properties deep paths go below an entity set or singleton
    /// (`/users/{id}/manager` is depth 1). Contained navigations recurse; others stop after one.
    pub navigation_depth: usize,
    /// How a path addresses an entity by its key: `true` as a segment (`/People/{id}`), `false`
    /// in parentheses, OData's canonical form (`/People('{id}')`). `None`: as the entity
    /// container's `Capabilities.KeyAsSegmentSupported` annotation says, else in parentheses.
    pub key_as_segment: Option<bool>,
}

impl Default for CsdlConfig {
    fn default() -> Self {
        CsdlConfig {
            navigation_depth: 3,
            key_as_segment: None,
        }
    }
}

/// A whole generation job.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The spec file.
    pub input: PathBuf,
    /// Its format (detected from the file when not given).
    pub format: Option<InputFormat>,
    /// The crate directory to write.
    pub output: PathBuf,
    /// Manifest data.
    pub krate: CrateConfig,
    /// Client options.
    pub client: ClientConfig,
    /// CSDL options.
    pub csdl: CsdlConfig,
    /// What to generate.
    pub select: Selection,
    /// Types mapped to existing Rust types instead of generated ones: description name ->
    /// Rust path (e.g. `microsoft.graph.entity` -> `my_crate::Entity`).
    pub type_overrides: Vec<(String, String)>,
    /// Rust names chosen for types: description name -> name.
    pub type_names: Vec<(String, String)>,
    /// Rust names chosen for operations: `operationId` (or `METHOD /path`) -> method name.
    pub operation_names: Vec<(String, String)>,
    /// Levels of API-change rules set by `[diff.levels]` (`apigen diff`): rule id -> level,
    /// `None` to leave the rule's changes out of reports.
    pub diff_levels: std::collections::BTreeMap<String, Option<crate::diff::Level>>,
    /// Largest spec file read, in bytes (default 512 MiB): a bound on memory for untrusted
    /// input.
    pub max_input_bytes: u64,
    /// Threads used to emit and format files (default: the available parallelism). The output
    /// does not depend on it.
    pub threads: Option<usize>,
}

impl Config {
    /// A configuration for `input` written to `output` as crate `name`, with defaults for the rest.
    pub fn new(input: impl Into<PathBuf>, output: impl Into<PathBuf>, name: &str) -> Self {
        Config {
            input: input.into(),
            format: None,
            output: output.into(),
            krate: CrateConfig {
                name: name.to_owned(),
                version: "0.1.0".to_owned(),
                description: None,
                license: None,
                edition: "2024".to_owned(),
                runtime_path: None,
                runtime_version: env!("CARGO_PKG_VERSION").to_owned(),
                standalone: false,
                dev_dependencies: None,
                split: Split::Auto,
                non_exhaustive: false,
                api_file: false,
                mock: true,
            },
            client: ClientConfig::default(),
            csdl: CsdlConfig::default(),
            max_input_bytes: 512 * 1024 * 1024,
            threads: None,
            select: Selection::default(),
            type_overrides: Vec::new(),
            type_names: Vec::new(),
            operation_names: Vec::new(),
            diff_levels: Default::default(),
        }
    }

    /// A configuration for a crate generated straight from a spec file, without a
    /// `codegen.toml` (`--spec FILE --out DIR [--name NAME]`): the crate is named `name`, or
    /// after the output directory, and builds on its own (an empty `[workspace]`). An invalid
    /// crate name is an error message for the command line.
    pub fn standalone(
        input: impl Into<PathBuf>,
        output: impl Into<PathBuf>,
        name: Option<&str>,
    ) -> Result<Self, String> {
        let output = output.into();
        let name = name.map(str::to_owned).unwrap_or_else(|| {
            output
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "api".into())
        });
        if !is_valid_package_name(&name) {
            return Err(format!(
                "`{name}` is not a valid crate name; pass one with --name (letters, digits, `-`, `_`)"
            ));
        }
        let mut config = Config::new(input, output, &name);
        config.krate.standalone = true;
        Ok(config)
    }

    /// Read a `codegen.toml`. Relative paths in it are relative to the file's directory.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Config, Error> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Config::from_toml(path, &text)
    }

    /// Parse `codegen.toml` text; `path` locates relative paths and messages.
    pub fn from_toml(path: &Path, text: &str) -> Result<Config, Error> {
        let base = normalize(path.parent().unwrap_or(Path::new("")));
        let mut r = Reader { path, text };
        let table = DeTable::parse(text).map_err(|e| {
            let (line, column) =
                line_col_of_offset(text, e.span().map(|s| s.start).unwrap_or_default());
            Error::Config(Box::new(Diagnostic::error(
                Location::line_col(path, line, column),
                format!("invalid TOML: {}", e.message().trim()),
            )))
        })?;
        let table = table.get_ref();
        r.check_keys(
            table,
            "",
            &[
                "input", "format", "output", "crate", "client", "csdl", "select", "types", "names",
                "diff",
            ],
        )?;

        let input = r.required_str(table, "input", "")?;
        let format = match r.opt_str(table, "format", "")? {
            None => None,
            Some((s, span)) => Some(match s.as_str() {
                "openapi" => InputFormat::OpenApi,
                "csdl" => InputFormat::Csdl,
                other => {
                    let help =
                        closest(other, ["openapi", "csdl"]).map(|c| format!("did you mean `{c}`?"));
                    return Err(r.error(
                        span,
                        format!("unknown format `{other}`"),
                        Some("`openapi` or `csdl`"),
                        help,
                    ));
                }
            }),
        };
        let output = r.required_str(table, "output", "")?;
        let name_default = Path::new(&output)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("api")
            .to_owned();
        let mut config = Config::new(
            normalize(&base.join(&input)),
            normalize(&base.join(&output)),
            &name_default,
        );
        config.format = format;

        if let Some(krate) = r.opt_table(table, "crate")? {
            r.check_keys(
                krate,
                "crate",
                &[
                    "name",
                    "version",
                    "description",
                    "license",
                    "edition",
                    "runtime-path",
                    "runtime-version",
                    "standalone",
                    "dev-dependencies",
                    "split",
                    "non-exhaustive",
                    "api-file",
                    "mock",
                ],
            )?;
            if let Some((name, span)) = r.opt_str(krate, "name", "crate")? {
                if !is_valid_package_name(&name) {
                    return Err(r.error(
                        span,
                        format!("`{name}` is not a valid package name"),
                        Some("ASCII letters, digits, `-` and `_`, starting with a letter"),
                        None,
                    ));
                }
                config.krate.name = name;
            }
            if let Some((v, _)) = r.opt_str(krate, "version", "crate")? {
                config.krate.version = v;
            }
            config.krate.description = r.opt_str(krate, "description", "crate")?.map(|v| v.0);
            config.krate.license = r.opt_str(krate, "license", "crate")?.map(|v| v.0);
            if let Some((v, _)) = r.opt_str(krate, "edition", "crate")? {
                config.krate.edition = v;
            }
            config.krate.runtime_path = r
                .opt_str(krate, "runtime-path", "crate")?
                .map(|(p, _)| normalize(&base.join(p)));
            if let Some((v, _)) = r.opt_str(krate, "runtime-version", "crate")? {
                config.krate.runtime_version = v;
            }
            if let Some(b) = r.opt_bool(krate, "standalone", "crate")? {
                config.krate.standalone = b;
            }
            if let Some(b) = r.opt_bool(krate, "non-exhaustive", "crate")? {
                config.krate.non_exhaustive = b;
            }
            if let Some(b) = r.opt_bool(krate, "api-file", "crate")? {
                config.krate.api_file = b;
            }
            if let Some(b) = r.opt_bool(krate, "mock", "crate")? {
                config.krate.mock = b;
            }
            if let Some((s, span)) = r.opt_str(krate, "split", "crate")? {
                config.krate.split = match s.as_str() {
                    "auto" => Split::Auto,
                    "never" => Split::Never,
                    "always" => Split::Always,
                    other => {
                        return Err(r.error(
                            span,
                            format!("unknown split `{other}`"),
                            Some("`auto`, `never` or `always`"),
                            closest(other, ["auto", "never", "always"])
                                .map(|c| format!("did you mean `{c}`?")),
                        ));
                    }
                };
            }
            if let Some(v) = r.get(krate, "dev-dependencies") {
                if v.get_ref().as_table().is_none() {
                    return Err(r.type_error(v, "dev-dependencies", "crate", "a table"));
                }
                // Re-read the section with the plain TOML model to write it back out.
                let plain: toml::Table = toml::from_str(text).map_err(|e| {
                    Error::Config(Box::new(Diagnostic::error(
                        Location::file(path),
                        format!("invalid TOML: {}", e.message()),
                    )))
                })?;
                if let Some(toml::Value::Table(dev)) =
                    plain.get("crate").and_then(|c| c.get("dev-dependencies"))
                {
                    let lines: Vec<String> = dev
                        .iter()
                        .map(|(name, value)| format!("{} = {value}", toml_key(name)))
                        .collect();
                    config.krate.dev_dependencies = Some(lines.join("\n"));
                }
            }
        }
        if let Some(client) = r.opt_table(table, "client")? {
            r.check_keys(
                client,
                "client",
                &["base-url", "base-urls", "operation-names"],
            )?;
            if let Some(urls) = r.opt_table(client, "base-urls")? {
                for (key, value) in urls.iter() {
                    let name: &str = key.get_ref();
                    let Some(url) = value.get_ref().as_str() else {
                        return Err(r.type_error(value, name, "client.base-urls", "a URL string"));
                    };
                    if crate::naming::snake_case(name).is_empty() {
                        return Err(r.error(
                            key.span(),
                            format!("`{name}` cannot name a constant"),
                            Some("a name with letters, such as `us-gov`"),
                            None,
                        ));
                    }
                    config
                        .client
                        .base_urls
                        .push((name.to_owned(), url.to_owned()));
                }
                config.client.base_urls.sort();
            }
            config.client.base_url = r.opt_str(client, "base-url", "client")?.map(|v| v.0);
            if let Some((s, span)) = r.opt_str(client, "operation-names", "client")? {
                config.client.operation_names = match s.as_str() {
                    "operation-id" => OperationNames::OperationId,
                    "path" => OperationNames::Path,
                    other => {
                        return Err(r.error(
                            span,
                            format!("unknown naming strategy `{other}`"),
                            Some("`operation-id` or `path`"),
                            None,
                        ));
                    }
                };
            }
        }
        if let Some(select) = r.opt_table(table, "select")? {
            let keys = [
                "include-paths",
                "exclude-paths",
                "include-tags",
                "exclude-tags",
                "include-types",
                "exclude-types",
            ];
            r.check_keys(select, "select", &keys)?;
            let s = &mut config.select;
            s.include_paths = r.string_list(select, "include-paths", "select")?;
            s.exclude_paths = r.string_list(select, "exclude-paths", "select")?;
            s.include_tags = r.string_list(select, "include-tags", "select")?;
            s.exclude_tags = r.string_list(select, "exclude-tags", "select")?;
            s.include_types = r.string_list(select, "include-types", "select")?;
            s.exclude_types = r.string_list(select, "exclude-types", "select")?;
        }
        if let Some(types) = r.opt_table(table, "types")? {
            config.type_overrides = r.string_map(types, "types")?;
            for (key, value) in types.iter() {
                let path = value.get_ref().as_str().unwrap_or_default();
                if syn::parse_str::<syn::Type>(path).is_err() {
                    let k: &str = key.get_ref();
                    return Err(r.error(
                        value.span(),
                        format!("`{path}` (for `{k}`) is not a Rust type"),
                        Some("a type path such as `my_crate::Entity` or `chrono::DateTime<chrono::Utc>`"),
                        None,
                    ));
                }
            }
        }
        if let Some(names) = r.opt_table(table, "names")? {
            r.check_keys(names, "names", &["types", "operations"])?;
            if let Some(t) = r.opt_table(names, "types")? {
                config.type_names = r.string_map(t, "names.types")?;
            }
            if let Some(o) = r.opt_table(names, "operations")? {
                config.operation_names = r.string_map(o, "names.operations")?;
            }
        }
        if let Some(diff) = r.opt_table(table, "diff")? {
            r.check_keys(diff, "diff", &["levels"])?;
            if let Some(levels) = r.opt_table(diff, "levels")? {
                let ids: Vec<&str> = crate::diff::Rule::ALL.iter().map(|r| r.id()).collect();
                for (key, value) in levels.iter() {
                    let id: &str = key.get_ref();
                    if !ids.contains(&id) {
                        return Err(r.error(
                            key.span(),
                            format!("unknown API-change rule `{id}` in [diff.levels]"),
                            Some("a rule id such as `field-added` (see docs/codegen-toml.md)"),
                            closest(id, ids.iter().copied())
                                .map(|c| format!("did you mean `{c}`?")),
                        ));
                    }
                    let level = match value.get_ref().as_str() {
                        Some("ignore") => None,
                        Some(l @ ("major" | "minor" | "patch")) => l.parse().ok(),
                        _ => {
                            return Err(r.type_error(
                                value,
                                id,
                                "diff.levels",
                                "\"major\", \"minor\", \"patch\" or \"ignore\"",
                            ));
                        }
                    };
                    config.diff_levels.insert(id.to_owned(), level);
                }
            }
        }
        if let Some(csdl) = r.opt_table(table, "csdl")? {
            r.check_keys(csdl, "csdl", &["navigation-depth", "key-as-segment"])?;
            if let Some(v) = r.get(csdl, "key-as-segment") {
                match v.get_ref().as_bool() {
                    Some(b) => config.csdl.key_as_segment = Some(b),
                    None => {
                        return Err(r.error(
                            v.span(),
                            "`csdl.key-as-segment` must be `true` or `false`".into(),
                            Some("`true` for `/People/{id}`, `false` for `/People('{id}')`"),
                            None,
                        ));
                    }
                }
            }
            if let Some(v) = r.get(csdl, "navigation-depth") {
                match v
                    .get_ref()
                    .as_integer()
                    .and_then(|i| i.as_str().parse::<usize>().ok())
                {
                    Some(depth) if depth <= 16 => config.csdl.navigation_depth = depth,
                    _ => {
                        return Err(r.error(
                            v.span(),
                            "`csdl.navigation-depth` must be a whole number from 0 to 16".into(),
                            Some("a depth such as 3"),
                            None,
                        ));
                    }
                }
            }
        }
        Ok(config)
    }
}

/// A TOML key, quoted when it is not a bare key.
fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        key.to_owned()
    } else {
        toml::Value::String(key.to_owned()).to_string()
    }
}

/// Cargo's rule for package names (ASCII subset).
pub fn is_valid_package_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

struct Reader<'a> {
    path: &'a Path,
    text: &'a str,
}

type Table<'i> = DeTable<'i>;

impl Reader<'_> {
    fn error(
        &self,
        span: std::ops::Range<usize>,
        message: String,
        expected: Option<&str>,
        help: Option<String>,
    ) -> Error {
        let (line, column) = line_col_of_offset(self.text, span.start);
        let mut d = Diagnostic::error(Location::line_col(self.path, line, column), message);
        if let Some(e) = expected {
            d = d.expected(e);
        }
        if let Some(h) = help {
            d = d.help(h);
        }
        Error::Config(Box::new(d))
    }

    fn check_keys(
        &mut self,
        table: &Table<'_>,
        section: &str,
        known: &[&str],
    ) -> Result<(), Error> {
        for (key, _) in table.iter() {
            let k: &str = key.get_ref();
            if !known.contains(&k) {
                let where_ = if section.is_empty() {
                    "at the top level".to_owned()
                } else {
                    format!("in [{section}]")
                };
                let help =
                    closest(k, known.iter().copied()).map(|c| format!("did you mean `{c}`?"));
                return Err(self.error(
                    key.span(),
                    format!("unknown key `{k}` {where_}"),
                    Some(&format!(
                        "one of {}",
                        known
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                    help,
                ));
            }
        }
        Ok(())
    }

    fn get<'t, 'i>(&self, table: &'t Table<'i>, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        table
            .iter()
            .find(|(k, _)| {
                let s: &str = k.get_ref();
                s == key
            })
            .map(|(_, v)| v)
    }

    fn type_error(
        &self,
        v: &Spanned<DeValue<'_>>,
        key: &str,
        section: &str,
        expected: &str,
    ) -> Error {
        let name = if section.is_empty() {
            key.to_owned()
        } else {
            format!("{section}.{key}")
        };
        self.error(
            v.span(),
            format!("`{name}` has the wrong type: {}", v.get_ref().type_str()),
            Some(expected),
            None,
        )
    }

    fn opt_str(
        &self,
        table: &Table<'_>,
        key: &str,
        section: &str,
    ) -> Result<Option<(String, std::ops::Range<usize>)>, Error> {
        match self.get(table, key) {
            None => Ok(None),
            Some(v) => match v.get_ref().as_str() {
                Some(s) => Ok(Some((s.to_owned(), v.span()))),
                None => Err(self.type_error(v, key, section, "a string")),
            },
        }
    }

    fn required_str(&self, table: &Table<'_>, key: &str, section: &str) -> Result<String, Error> {
        match self.opt_str(table, key, section)? {
            Some((s, _)) => Ok(s),
            None => Err(Error::Config(Box::new(
                Diagnostic::error(
                    Location::line_col(self.path, 1, 1),
                    format!("missing key `{key}`"),
                )
                .help(match key {
                    "input" => "add e.g. `input = \"openapi.yaml\"` (relative to this file)",
                    "output" => "add e.g. `output = \"../generated\"` (relative to this file)",
                    _ => "add it",
                }),
            ))),
        }
    }

    /// A list of strings (missing: empty).
    fn string_list(
        &self,
        table: &Table<'_>,
        key: &str,
        section: &str,
    ) -> Result<Vec<String>, Error> {
        let Some(v) = self.get(table, key) else {
            return Ok(Vec::new());
        };
        let Some(items) = v.get_ref().as_array() else {
            return Err(self.type_error(v, key, section, "a list of strings"));
        };
        items
            .iter()
            .map(|item| match item.get_ref().as_str() {
                Some(s) => Ok(s.to_owned()),
                None => Err(self.type_error(item, key, section, "a string")),
            })
            .collect()
    }

    /// A table of string values, as `(key, value)` pairs sorted by key.
    fn string_map(&self, table: &Table<'_>, section: &str) -> Result<Vec<(String, String)>, Error> {
        let mut out = Vec::new();
        for (k, v) in table.iter() {
            let key: &str = k.get_ref();
            match v.get_ref().as_str() {
                Some(s) => out.push((key.to_owned(), s.to_owned())),
                None => return Err(self.type_error(v, key, section, "a string")),
            }
        }
        out.sort();
        Ok(out)
    }

    fn opt_bool(&self, table: &Table<'_>, key: &str, section: &str) -> Result<Option<bool>, Error> {
        match self.get(table, key) {
            None => Ok(None),
            Some(v) => match v.get_ref().as_bool() {
                Some(b) => Ok(Some(b)),
                None => Err(self.type_error(v, key, section, "`true` or `false`")),
            },
        }
    }

    fn opt_table<'t, 'i>(
        &self,
        table: &'t Table<'i>,
        key: &str,
    ) -> Result<Option<&'t Table<'i>>, Error> {
        match self.get(table, key) {
            None => Ok(None),
            Some(v) => match v.get_ref().as_table() {
                Some(t) => Ok(Some(t)),
                None => Err(self.type_error(v, key, "", "a table")),
            },
        }
    }
}

/// Lexically normalise a path (resolve `.` and `..` without touching the file system).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The path of `target` relative to directory `from` (both made absolute against the current
/// directory first). Falls back to `target` made absolute when no relative path exists.
pub fn relative_path(from: &Path, target: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    let abs = |p: &Path| {
        normalize(&if p.is_absolute() {
            p.to_path_buf()
        } else {
            cwd.join(p)
        })
    };
    let from = abs(from);
    let target = abs(target);
    let f: Vec<_> = from.components().collect();
    let t: Vec<_> = target.components().collect();
    if f.first() != t.first() {
        return target;
    }
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..f.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_full_config() {
        let c = Config::from_toml(
            Path::new("spec/codegen.toml"),
            r#"
input = "openapi.yaml"
output = "../generated"
[crate]
name = "msgraph-beta-entitlement"
version = "0.2.0"
runtime-path = "../runtime"
[client]
base-url = "https://graph.microsoft.com/beta"
operation-names = "path"
"#,
        )
        .unwrap();
        assert_eq!(c.input, Path::new("spec/openapi.yaml"));
        assert_eq!(c.output, Path::new("generated"));
        assert_eq!(c.krate.name, "msgraph-beta-entitlement");
        assert_eq!(c.krate.version, "0.2.0");
        assert_eq!(c.client.operation_names, OperationNames::Path);
    }

    #[test]
    fn unknown_keys_suggest_the_right_one() {
        let e = Config::from_toml(
            Path::new("codegen.toml"),
            "input = \"a.yaml\"\noutput = \"out\"\n[crate]\nnmae = \"x\"\n",
        )
        .unwrap_err();
        let d = &e.diagnostics()[0];
        assert_eq!(d.message, "unknown key `nmae` in [crate]");
        assert_eq!(d.help.as_deref(), Some("did you mean `name`?"));
        assert_eq!((d.location.line, d.location.column), (Some(4), Some(1)));
    }

    #[test]
    fn wrong_types_and_missing_keys() {
        let e = Config::from_toml(Path::new("c.toml"), "input = 3\noutput = \"o\"\n").unwrap_err();
        assert!(
            e.to_string()
                .contains("`input` has the wrong type: integer"),
            "{e}"
        );
        let e = Config::from_toml(Path::new("c.toml"), "output = \"o\"\n").unwrap_err();
        assert!(e.to_string().contains("missing key `input`"), "{e}");
    }

    #[test]
    fn csdl_key_as_segment_is_a_bool_and_unset_by_default() {
        let read = |tail: &str| {
            Config::from_toml(
                Path::new("c.toml"),
                &format!("input = \"a.xml\"\noutput = \"o\"\n{tail}"),
            )
        };
        assert_eq!(read("").unwrap().csdl.key_as_segment, None);
        let c = read("[csdl]\nkey-as-segment = true\n").unwrap();
        assert_eq!(c.csdl.key_as_segment, Some(true));
        let c = read("[csdl]\nkey-as-segment = false\n").unwrap();
        assert_eq!(c.csdl.key_as_segment, Some(false));
        let e = read("[csdl]\nkey-as-segment = \"yes\"\n").unwrap_err();
        let d = &e.diagnostics()[0];
        assert_eq!(d.message, "`csdl.key-as-segment` must be `true` or `false`");
        assert_eq!((d.location.line, d.location.column), (Some(4), Some(18)));
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_path(Path::new("/a/b/out"), Path::new("/a/runtime")),
            Path::new("../../runtime")
        );
        assert_eq!(
            relative_path(Path::new("/a/gen"), Path::new("/a/gen/../runtime")),
            Path::new("../runtime")
        );
    }
}
