//! What a spec change does to the generated crate's public API, and whether it breaks its
//! users.
//!
//! Both specs are lowered and emitted with the same configuration; each crate's public surface
//! (client methods and their setters, models, enums, unions, aliases, cargo features) is read
//! from the emitted Rust ([`surface`]) and the two are compared item by item. Every change
//! has a stable [`Rule`], the Rust item path, a semver [`Level`] with the Cargo SemVer rule it
//! follows, and where it sits in each spec. A method or type whose Rust name changed while its
//! place on the wire did not is reported as a rename, with the `codegen.toml` line that keeps
//! the old name.

mod report;
pub mod surface;

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::{Config, InputFormat};
use crate::diagnostics::{Error, Location};
use surface::{FieldSig, MethodSig, Surface, TypeShape, TypeSig};

pub use report::Format;

/// How much a change breaks the crate's users, in Cargo's SemVer terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Nothing a user can observe at compile time.
    Patch,
    /// Adds to the API: existing code still compiles.
    Minor,
    /// Existing code may stop compiling.
    Major,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        }
    }
}

impl std::str::FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "patch" | "any" => Ok(Level::Patch),
            "minor" => Ok(Level::Minor),
            "major" => Ok(Level::Major),
            other => Err(format!("`{other}` is not a level (major, minor or any)")),
        }
    }
}

macro_rules! rules {
    ($($variant:ident = $id:literal, $level:ident, $why:literal;)*) => {
        /// The kinds of change, each with a stable id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $($variant,)* }

        impl Rule {
            /// Every rule, in report order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The stable id (`method-removed`).
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)* }
            }

            /// Its semver level for a crate generated with exhaustive models and enums.
            pub fn level(self) -> Level {
                match self { $(Rule::$variant => Level::$level,)* }
            }

            /// Why, after the Cargo SemVer reference.
            pub fn why(self) -> &'static str {
                match self { $(Rule::$variant => $why,)* }
            }
        }
    };
}

rules! {
    MethodRemoved = "method-removed", Major, "removing a public item breaks its callers (Cargo SemVer: item-remove)";
    MethodRenamed = "method-renamed", Major, "a renamed method is removed under its old name (Cargo SemVer: item-remove)";
    MethodAdded = "method-added", Minor, "adding a public item is a minor change (Cargo SemVer: item-new)";
    RequiredParameterAdded = "required-parameter-added", Major, "a new positional argument breaks every call (Cargo SemVer: fn-change-arity)";
    RequiredParameterRemoved = "required-parameter-removed", Major, "a removed positional argument breaks every call (Cargo SemVer: fn-change-arity)";
    ParameterTypeChanged = "parameter-type-changed", Major, "callers pass a value of the old type: the function's signature changed";
    OptionalParameterAdded = "optional-parameter-added", Minor, "a new setter is a new inherent method, a minor change (Cargo SemVer: inherent-item-new)";
    OptionalParameterRemoved = "optional-parameter-removed", Major, "a removed setter breaks the calls to it (Cargo SemVer: item-remove)";
    ReturnTypeChanged = "return-type-changed", Major, "code using the result sees another type (signature change)";
    ErrorTypeChanged = "error-type-changed", Minor, "a documented error body changed: code decoding it with `StatusError::decode_body` still compiles, but the old type may no longer fit what the service sends";
    TypeRemoved = "type-removed", Major, "removing a public item breaks code that names it (Cargo SemVer: item-remove)";
    TypeRenamed = "type-renamed", Major, "a renamed type is removed under its old name (Cargo SemVer: item-remove)";
    TypeAdded = "type-added", Minor, "adding a public item is a minor change (Cargo SemVer: item-new)";
    TypeKindChanged = "type-kind-changed", Major, "a struct, enum or alias becoming another kind breaks its uses";
    FieldAdded = "field-added", Major, "a new public field breaks struct literals of a struct whose fields are all public (Cargo SemVer: struct-add-public-field-when-no-private)";
    FieldRemoved = "field-removed", Major, "removing a public field breaks code that reads or sets it (Cargo SemVer: item-remove)";
    FieldWireNameChanged = "field-wire-name-changed", Patch, "the field keeps its Rust name and type and is read from and written to another JSON property: no code breaks, values move";
    FieldRenamed = "field-renamed", Major, "a renamed field is removed under its old name (Cargo SemVer: item-remove)";
    FieldTypeChanged = "field-type-changed", Major, "code reading or setting the field sees another type";
    FieldBecameOptional = "field-became-optional", Major, "`T` becoming `Option<T>` changes the field's type";
    FieldBecameRequired = "field-became-required", Major, "`Option<T>` becoming `T` changes the field's type";
    FieldBecameNullable = "field-became-nullable", Major, "the field becomes a `Nullable<T>`: another type";
    FieldBecameNonNullable = "field-became-non-nullable", Major, "the field is no longer a `Nullable<T>`: another type";
    EnumVariantAdded = "enum-variant-added", Major, "exhaustive matches on the enum stop compiling (Cargo SemVer: enum-variant-new)";
    EnumVariantRemoved = "enum-variant-removed", Major, "code naming the variant stops compiling (Cargo SemVer: item-remove)";
    EnumBecameClosed = "enum-became-closed", Major, "the fallback variant for unknown values is gone (Cargo SemVer: item-remove)";
    EnumBecameOpen = "enum-became-open", Major, "a fallback variant is added (Cargo SemVer: enum-variant-new)";
    UnionVariantAdded = "union-variant-added", Major, "exhaustive matches on the union stop compiling (Cargo SemVer: enum-variant-new)";
    UnionVariantRemoved = "union-variant-removed", Major, "code naming the variant stops compiling (Cargo SemVer: item-remove)";
    AliasTargetChanged = "alias-target-changed", Major, "the alias now names another type";
    ModuleRemoved = "module-removed", Major, "code naming an item through the module stops compiling (Cargo SemVer: item-remove)";
    ModuleAdded = "module-added", Minor, "adding a public module is a minor change (Cargo SemVer: item-new)";
    ClientTypeRemoved = "client-type-removed", Major, "code naming the request type or parameter marker stops compiling (Cargo SemVer: item-remove)";
    ClientTypeAdded = "client-type-added", Minor, "adding a public item is a minor change (Cargo SemVer: item-new)";
    FeatureRemoved = "feature-removed", Major, "builds that enable the feature fail (Cargo SemVer: cargo-feature-remove)";
    FeatureAdded = "feature-added", Minor, "adding a feature is a minor change (Cargo SemVer: cargo-feature-add)";
    BaseUrlChanged = "base-url-changed", Patch, "no code breaks: clients built with the default base URL send every request to the new one";
    OperationServerChanged = "operation-server-changed", Patch, "the method keeps its signature: while the client's base URL is the default, its requests go to another server";
}

/// Where an item sits in one spec.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecRef {
    /// What the description calls it: `GET /pets/{id}` (`getPet`), a schema name or pointer.
    pub element: String,
    /// Its position, when the format has JSON pointers (OpenAPI).
    pub location: Location,
}

/// One change of the public API.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub rule: Rule,
    /// Its level: the rule's, lower for a `#[non_exhaustive]` type, or as `codegen.toml`'s
    /// `[diff.levels]` sets it.
    pub level: Level,
    /// Why it has that level.
    pub why: &'static str,
    /// The Rust item: `Client::get_pet`, `models::Pet::name`.
    pub item: String,
    /// What changed, in a sentence.
    pub detail: String,
    /// How to avoid the break, when there is a way (a rename kept by `codegen.toml`).
    pub hint: Option<String>,
    pub old: Option<SpecRef>,
    pub new: Option<SpecRef>,
}

impl Change {
    pub fn level(&self) -> Level {
        self.level
    }
}

/// Why an addition to a `#[non_exhaustive]` type is minor.
const NON_EXHAUSTIVE_WHY: &str = "the type is #[non_exhaustive] (crate.non-exhaustive): code outside the crate cannot rely on having every field or variant, so adding one is minor";

/// Why a level was set by the configuration.
const CONFIGURED_WHY: &str = "the level set for this rule in codegen.toml ([diff.levels])";

/// The API change between two versions of a spec.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiDiff {
    /// Sorted by level (major first), rule, then item.
    pub changes: Vec<Change>,
    /// The crate's version (`crate.version` of the new side's configuration).
    pub version: String,
    /// The crate's version on the old side, when it is known to differ (a git revision's
    /// `codegen.toml`): the next version is computed from it, and a new version at least as
    /// high means the break is already accounted for.
    pub base_version: Option<String>,
}

/// `x.y.z` (ignoring pre-release and build parts).
fn parse_version(v: &str) -> Option<[u64; 3]> {
    let core = v.split(['-', '+']).next()?;
    let parts: Vec<u64> = core
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    parts.try_into().ok()
}

impl ApiDiff {
    /// The highest level of the changes; `None` when nothing changed.
    pub fn level(&self) -> Option<Level> {
        self.changes.iter().map(Change::level).max()
    }

    /// The version to release next: the current one bumped by [`level`](Self::level), with
    /// Cargo's rules before 1.0 (a breaking change bumps the minor number, anything else the
    /// patch number). `None` when nothing changed or the version is not `x.y.z`.
    pub fn next_version(&self) -> Option<String> {
        let level = self.level()?;
        let [major, minor, patch] =
            parse_version(self.base_version.as_deref().unwrap_or(&self.version))?;
        Some(match (major, level) {
            (0, Level::Major) => format!("0.{}.0", minor + 1),
            (0, _) => format!("0.{minor}.{}", patch + 1),
            (_, Level::Major) => format!("{}.0.0", major + 1),
            (_, Level::Minor) => format!("{major}.{}.0", minor + 1),
            (_, Level::Patch) => format!("{major}.{minor}.{}", patch + 1),
        })
    }

    /// Whether the new side's version is already at least [`next_version`](Self::next_version)
    /// (the break was accounted for by a version bump). Only known with a
    /// [`base_version`](Self::base_version).
    pub fn version_bumped(&self) -> bool {
        match (
            self.base_version.as_ref(),
            self.next_version().as_deref().and_then(parse_version),
            parse_version(&self.version),
        ) {
            (Some(_), Some(next), Some(current)) => current >= next,
            _ => false,
        }
    }

    /// Whether a report at `threshold` should fail: a change reaches it and the version was
    /// not bumped for it.
    pub fn fails_at(&self, threshold: Level) -> bool {
        self.level().is_some_and(|l| l >= threshold) && !self.version_bumped()
    }

    /// Sets the level of the changes of each rule `levels` names (`None`: leave them out of
    /// the report), as `codegen.toml`'s `[diff.levels]` does.
    pub fn apply_levels(&mut self, levels: &BTreeMap<String, Option<Level>>) {
        self.changes.retain_mut(|c| match levels.get(c.rule.id()) {
            None => true,
            Some(None) => false,
            Some(Some(level)) => {
                c.level = *level;
                c.why = CONFIGURED_WHY;
                true
            }
        });
        self.changes
            .sort_by(|a, b| (b.level, a.rule, &a.item).cmp(&(a.level, b.rule, &b.item)));
    }

    /// Changes by rule.
    pub fn counts(&self) -> BTreeMap<Rule, usize> {
        let mut out = BTreeMap::new();
        for c in &self.changes {
            *out.entry(c.rule).or_default() += 1;
        }
        out
    }

    /// The report in `format`.
    ///
    /// The JSON form (`"schema": "apigen-api-diff/1"`) is an object with `version` (the
    /// crate's), `level` (`"major"`, `"minor"`, `"patch"` or `null`), `next_version` (or
    /// `null`), `base_version` (the old side's version, or `null`), `version_bumped`,
    /// `counts` (rule id -> number) and `changes`: objects with `rule`, `level`,
    /// `item`, `detail`, `why`, `hint` (or `null`), and `old` / `new` (or `null`): `{element,
    /// file, pointer, line, column}`, the last three `null` where unknown. Within a schema
    /// version, fields are only ever added.
    pub fn render(&self, format: Format) -> String {
        report::render(self, format)
    }
}

/// One side of a comparison: the crate's surface, and where its items sit in the spec.
pub struct Side {
    surface: Surface,
    /// The spec is at hand (positions can be given).
    from_spec: bool,
    file: std::path::PathBuf,
    openapi: bool,
}

impl Side {
    /// Lower and emit `config`'s spec, and read the surface of the result.
    pub fn from_config(config: &Config) -> Result<Side, Error> {
        let (api, _) = crate::lower(config)?;
        // The crate's items as tokens, read without printing them; on the generator's stack
        // (deeply nested types make deep token trees).
        let surface = std::thread::scope(|scope| {
            std::thread::Builder::new()
                .stack_size(crate::STACK_SIZE)
                .spawn_scoped(scope, || {
                    let tokens = crate::emit::emit_tokens(&api, config);
                    Surface::from_tokens(tokens, Some(&api))
                })
                .map_err(|e| Error::Internal {
                    file: "<diff>".into(),
                    message: e.to_string(),
                })?
                .join()
                .map_err(|_| Error::Internal {
                    file: "<diff>".into(),
                    message: "the generator panicked while emitting".into(),
                })
        })?;
        let openapi = match config.format {
            Some(InputFormat::Csdl) => false,
            Some(InputFormat::OpenApi) => true,
            None => !config
                .input
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xml")),
        };
        Ok(Side {
            surface,
            from_spec: true,
            file: config.input.clone(),
            openapi,
        })
    }

    /// A crate's files with no spec at hand (the committed crate on disk).
    pub fn from_files(files: &BTreeMap<String, String>, dir: &Path) -> Side {
        Side {
            surface: Surface::read(files, None),
            from_spec: false,
            file: dir.to_path_buf(),
            openapi: false,
        }
    }

    /// Where the method `name` sits in the spec.
    fn method_ref(&self, m: &MethodSig) -> Option<SpecRef> {
        let wire = m.wire.clone()?;
        let element = match &m.api_name {
            Some(id) if !wire.ends_with(id.as_str()) => format!("{wire} ({id})"),
            _ => wire.clone(),
        };
        let (method, path) = wire.split_once(' ')?;
        let pointer = self.openapi.then(|| {
            format!(
                "/paths/{}/{}",
                crate::diagnostics::escape_pointer_token(path),
                method.to_ascii_lowercase()
            )
        });
        Some(self.spec_ref(element, pointer))
    }

    fn type_ref(&self, t: &TypeSig, field: Option<&FieldSig>) -> Option<SpecRef> {
        let wire = t.wire.clone()?;
        let base = if wire.starts_with("#/") {
            Some(wire.trim_start_matches('#').to_owned())
        } else if self.openapi {
            Some(format!(
                "/components/schemas/{}",
                crate::diagnostics::escape_pointer_token(&wire)
            ))
        } else {
            None
        };
        match field.and_then(|f| f.wire.clone()) {
            Some(fw) => Some(self.spec_ref(
                format!("{wire}.{fw}"),
                base.map(|b| {
                    format!(
                        "{b}/properties/{}",
                        crate::diagnostics::escape_pointer_token(&fw)
                    )
                }),
            )),
            None => Some(self.spec_ref(wire, base)),
        }
    }

    fn spec_ref(&self, element: String, pointer: Option<String>) -> SpecRef {
        let location = match pointer {
            Some(p) => Location::pointer(&self.file, p),
            None => Location::file(&self.file),
        };
        SpecRef { element, location }
    }
}

/// The API change from `old` to `new`: both configurations are lowered and emitted (normally
/// the same `codegen.toml` with two versions of the spec as `input`).
///
/// # Errors
///
/// As [`Config::generate`], for either side.
pub fn diff(old: &Config, new: &Config) -> Result<ApiDiff, Error> {
    let old_side = Side::from_config(old)?;
    let new_side = Side::from_config(new)?;
    let mut diff = compare(&old_side, &new_side, &new.krate.version);
    diff.apply_levels(&new.diff_levels);
    Ok(diff)
}

/// The API change between two versions of a generated crate's files (no spec at hand: no
/// renames are recognized and no spec positions are given). `codegen --check` uses it to say
/// what regenerating would change.
pub fn compare_files(
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
    dir: &Path,
    version: &str,
) -> ApiDiff {
    compare(
        &Side::from_files(old, dir),
        &Side::from_files(new, dir),
        version,
    )
}

/// The API change between two sides.
pub fn compare(old: &Side, new: &Side, version: &str) -> ApiDiff {
    let mut changes = Vec::new();
    compare_methods(old, new, &mut changes);
    compare_types(old, new, &mut changes);
    if old.from_spec && new.from_spec && old.surface.base_url != new.surface.base_url {
        let show = |u: &Option<String>| u.as_ref().map_or("none".to_owned(), |u| format!("<{u}>"));
        changes.push(plain(
            Rule::BaseUrlChanged,
            "Client::DEFAULT_BASE_URL".to_owned(),
            format!(
                "the default base URL is {}, was {}",
                show(&new.surface.base_url),
                show(&old.surface.base_url)
            ),
        ));
    }
    let (of, nf) = (&old.surface.features, &new.surface.features);
    for f in of.difference(nf) {
        changes.push(plain(
            Rule::FeatureRemoved,
            format!("feature `{f}`"),
            format!("the cargo feature `{f}` is gone"),
        ));
    }
    for (old_set, new_set, removed, added, what) in [
        (
            &old.surface.modules,
            &new.surface.modules,
            Rule::ModuleRemoved,
            Rule::ModuleAdded,
            "module",
        ),
        (
            &old.surface.client_types,
            &new.surface.client_types,
            Rule::ClientTypeRemoved,
            Rule::ClientTypeAdded,
            "request type or marker",
        ),
    ] {
        let path = |n: &String| {
            if n.contains("::") {
                n.clone()
            } else {
                format!("client::{n}")
            }
        };
        for n in old_set.difference(new_set) {
            changes.push(plain(
                removed,
                path(n),
                format!("the {what} `{}` is gone", path(n)),
            ));
        }
        for n in new_set.difference(old_set) {
            changes.push(plain(added, path(n), format!("new {what} `{}`", path(n))));
        }
    }
    for f in nf.difference(of) {
        changes.push(plain(
            Rule::FeatureAdded,
            format!("feature `{f}`"),
            format!("new cargo feature `{f}`"),
        ));
    }
    // Positions: one pass over each spec's text.
    resolve_locations(&mut changes, old, new);
    changes.sort_by(|a, b| (b.level(), a.rule, &a.item).cmp(&(a.level(), b.rule, &b.item)));
    ApiDiff {
        changes,
        version: version.to_owned(),
        base_version: None,
    }
}

fn plain(rule: Rule, item: String, detail: String) -> Change {
    Change {
        rule,
        level: rule.level(),
        why: rule.why(),
        item,
        detail,
        hint: None,
        old: None,
        new: None,
    }
}

fn resolve_locations(changes: &mut [Change], old: &Side, new: &Side) {
    for (side, pick) in [(old, true), (new, false)] {
        if !side.openapi || !side.from_spec {
            continue;
        }
        let Ok(source) = crate::source::SourceFile::read(&side.file, u64::MAX) else {
            continue;
        };
        let mut locations: Vec<Location> = changes
            .iter()
            .map(|c| {
                let r = if pick { &c.old } else { &c.new };
                r.as_ref()
                    .map(|r| r.location.clone())
                    .unwrap_or_else(|| Location::file(&side.file))
            })
            .collect();
        source.resolve_all(&mut locations);
        for (c, l) in changes.iter_mut().zip(locations) {
            let r = if pick { &mut c.old } else { &mut c.new };
            if let Some(r) = r {
                r.location = l;
            }
        }
    }
}

/// Items only in `old` (removed) and only in `new` (added), by name, and the removed ones
/// renamed: an added item at the same place on the wire (`wire`) takes the first removed one
/// there, each at most once.
type Renames<'a> = (
    Vec<&'a String>,
    Vec<&'a String>,
    BTreeMap<&'a String, &'a String>,
);

fn renames<'a, V>(
    old: &'a BTreeMap<String, V>,
    new: &'a BTreeMap<String, V>,
    wire: impl Fn(&V) -> Option<&String>,
) -> Renames<'a> {
    let removed: Vec<&String> = old.keys().filter(|k| !new.contains_key(*k)).collect();
    let added: Vec<&String> = new.keys().filter(|k| !old.contains_key(*k)).collect();
    let mut by_wire: BTreeMap<&String, std::collections::VecDeque<&String>> = BTreeMap::new();
    for a in &added {
        if let Some(w) = wire(&new[*a]) {
            by_wire.entry(w).or_default().push_back(a);
        }
    }
    let mut renamed_to = BTreeMap::new();
    for r in &removed {
        if let Some(to) = wire(&old[*r]).and_then(|w| by_wire.get_mut(w)?.pop_front()) {
            renamed_to.insert(*r, to);
        }
    }
    (removed, added, renamed_to)
}

fn compare_methods(old: &Side, new: &Side, out: &mut Vec<Change>) {
    let (om, nm) = (&old.surface.methods, &new.surface.methods);
    let (removed, added, renamed_to) = renames(om, nm, |m| m.wire.as_ref());
    for r in &removed {
        let m = &om[*r];
        match renamed_to.get(r) {
            Some(to) => {
                let wire = m.wire.clone().unwrap_or_default();
                out.push(Change {
                    hint: Some(format!(
                        "keep the old name with `[names.operations]` `\"{wire}\" = \"{r}\"` in codegen.toml"
                    )),
                    old: old.method_ref(m),
                    new: new.method_ref(&nm[*to]),
                    ..plain(
                        Rule::MethodRenamed,
                        format!("Client::{r}"),
                        format!("`{wire}` is now `Client::{to}`"),
                    )
                });
                compare_method(old, new, r, m, &nm[*to], out);
            }
            None => out.push(Change {
                old: old.method_ref(m),
                ..plain(
                    Rule::MethodRemoved,
                    format!("Client::{r}"),
                    format!("`Client::{r}` is gone"),
                )
            }),
        }
    }
    for a in &added {
        if renamed_to.values().any(|v| v == a) {
            continue;
        }
        out.push(Change {
            new: new.method_ref(&nm[*a]),
            ..plain(
                Rule::MethodAdded,
                format!("Client::{a}"),
                format!("new method `Client::{a}`"),
            )
        });
    }
    for (name, o) in om {
        if let Some(n) = nm.get(name) {
            compare_method(old, new, name, o, n, out);
        }
    }
}

fn compare_method(
    old: &Side,
    new: &Side,
    name: &str,
    o: &MethodSig,
    n: &MethodSig,
    out: &mut Vec<Change>,
) {
    let item = format!("Client::{name}");
    let refs = |c: Change| Change {
        old: old.method_ref(o),
        new: new.method_ref(n),
        ..c
    };
    for (arg, ty) in &o.args {
        match n.args.iter().find(|(a, _)| a == arg) {
            None => out.push(refs(plain(
                Rule::RequiredParameterRemoved,
                item.clone(),
                format!("the argument `{arg}: {ty}` is gone"),
            ))),
            Some((_, nt)) if nt != ty => out.push(refs(plain(
                Rule::ParameterTypeChanged,
                item.clone(),
                format!("the argument `{arg}` is `{nt}`, was `{ty}`"),
            ))),
            Some(_) => {}
        }
    }
    for (arg, ty) in &n.args {
        if !o.args.iter().any(|(a, _)| a == arg) {
            out.push(refs(plain(
                Rule::RequiredParameterAdded,
                item.clone(),
                format!("new argument `{arg}: {ty}`"),
            )));
        }
    }
    if o.wire.is_some() && n.wire.is_some() && o.server != n.server {
        let show = |s: &Option<String>| {
            s.as_ref()
                .map_or("the base URL".to_owned(), |s| format!("<{s}>"))
        };
        out.push(refs(plain(
            Rule::OperationServerChanged,
            item.clone(),
            format!(
                "requests go to {}, went to {}",
                show(&n.server),
                show(&o.server)
            ),
        )));
    }
    if o.returns != n.returns {
        out.push(refs(plain(
            Rule::ReturnTypeChanged,
            item.clone(),
            format!("returns `{}`, was `{}`", n.returns, o.returns),
        )));
    }
    // Documented error bodies, when both sides have the description at hand.
    if o.wire.is_some() && n.wire.is_some() {
        let statuses: std::collections::BTreeSet<&String> =
            o.errors.keys().chain(n.errors.keys()).collect();
        for status in statuses {
            let (a, b) = (o.errors.get(status), n.errors.get(status));
            if a != b {
                let show =
                    |t: Option<&String>| t.map_or("undocumented".to_owned(), |t| format!("`{t}`"));
                out.push(refs(plain(
                    Rule::ErrorTypeChanged,
                    format!("{item} ({status})"),
                    format!("the {status} error body is {}, was {}", show(b), show(a)),
                )));
            }
        }
    }
    for (setter, ty) in &o.setters {
        match n.setters.get(setter) {
            None => out.push(refs(plain(
                Rule::OptionalParameterRemoved,
                format!("{item}(..).{setter}"),
                format!("the setter `{setter}` is gone"),
            ))),
            Some(nt) if nt != ty => out.push(refs(plain(
                Rule::ParameterTypeChanged,
                format!("{item}(..).{setter}"),
                format!("the setter takes `{nt}`, was `{ty}`"),
            ))),
            Some(_) => {}
        }
    }
    for (setter, ty) in &n.setters {
        if !o.setters.contains_key(setter) {
            out.push(refs(plain(
                Rule::OptionalParameterAdded,
                format!("{item}(..).{setter}"),
                format!("new setter `{setter}({ty})`"),
            )));
        }
    }
}

fn compare_types(old: &Side, new: &Side, out: &mut Vec<Change>) {
    let (ot, nt) = (&old.surface.types, &new.surface.types);
    let (removed, added, renamed_to) = renames(ot, nt, |t| t.wire.as_ref());
    for r in &removed {
        let t = &ot[*r];
        match renamed_to.get(r) {
            Some(to) => {
                let wire = t.wire.clone().unwrap_or_default();
                out.push(Change {
                    hint: Some(format!(
                        "keep the old name with `[names.types]` `\"{wire}\" = \"{r}\"` in codegen.toml"
                    )),
                    old: old.type_ref(t, None),
                    new: new.type_ref(&nt[*to], None),
                    ..plain(
                        Rule::TypeRenamed,
                        format!("models::{r}"),
                        format!("`{wire}` is now `models::{to}`"),
                    )
                });
                compare_type(old, new, r, t, &nt[*to], out);
            }
            None => out.push(Change {
                old: old.type_ref(t, None),
                ..plain(
                    Rule::TypeRemoved,
                    format!("models::{r}"),
                    format!("the {} `models::{r}` is gone", t.kind.kind_name()),
                )
            }),
        }
    }
    for a in &added {
        if renamed_to.values().any(|v| v == a) {
            continue;
        }
        let t = &nt[*a];
        out.push(Change {
            new: new.type_ref(t, None),
            ..plain(
                Rule::TypeAdded,
                format!("models::{a}"),
                format!("new {} `models::{a}`", t.kind.kind_name()),
            )
        });
    }
    for (name, o) in ot {
        if let Some(n) = nt.get(name) {
            compare_type(old, new, name, o, n, out);
        }
    }
}

fn compare_type(
    old: &Side,
    new: &Side,
    name: &str,
    o: &TypeSig,
    n: &TypeSig,
    out: &mut Vec<Change>,
) {
    let item = format!("models::{name}");
    let at =
        |rule: Rule, item: String, detail: String, of: Option<&FieldSig>, nf: Option<&FieldSig>| {
            Change {
                old: old.type_ref(o, of),
                new: new.type_ref(n, nf),
                ..plain(rule, item, detail)
            }
        };
    match (&o.kind, &n.kind) {
        (TypeShape::Struct(of), TypeShape::Struct(nf)) => {
            for f in of {
                let same_name = nf.iter().find(|x| x.name == f.name);
                let renamed = same_name.is_none().then(|| {
                    nf.iter().find(|x| {
                        x.wire.is_some() && x.wire == f.wire && !of.iter().any(|y| y.name == x.name)
                    })
                });
                match (same_name, renamed.flatten()) {
                    (Some(x), _) => {
                        if f.wire.is_some() && x.wire.is_some() && f.wire != x.wire {
                            out.push(at(
                                Rule::FieldWireNameChanged,
                                format!("{item}::{}", f.name),
                                format!(
                                    "`{}` is the JSON property `{}`, was `{}`",
                                    f.name,
                                    x.wire.as_deref().unwrap_or(""),
                                    f.wire.as_deref().unwrap_or("")
                                ),
                                Some(f),
                                Some(x),
                            ));
                        }
                        if let Some(rule) = field_type_rule(&f.ty, &x.ty) {
                            out.push(at(
                                rule,
                                format!("{item}::{}", f.name),
                                format!("`{}` is `{}`, was `{}`", f.name, x.ty, f.ty),
                                Some(f),
                                Some(x),
                            ));
                        }
                    }
                    (None, Some(x)) => out.push(at(
                        Rule::FieldRenamed,
                        format!("{item}::{}", f.name),
                        format!("`{}` is now `{}`", f.name, x.name),
                        Some(f),
                        Some(x),
                    )),
                    (None, None) => out.push(at(
                        Rule::FieldRemoved,
                        format!("{item}::{}", f.name),
                        format!("the field `{}: {}` is gone", f.name, f.ty),
                        Some(f),
                        None,
                    )),
                }
            }
            for x in nf {
                let known = of.iter().any(|f| f.name == x.name)
                    || of.iter().any(|f| {
                        f.wire.is_some() && f.wire == x.wire && !nf.iter().any(|y| y.name == f.name)
                    });
                if !known {
                    out.push(relaxed(
                        at(
                            Rule::FieldAdded,
                            format!("{item}::{}", x.name),
                            format!("new field `{}: {}`", x.name, x.ty),
                            None,
                            Some(x),
                        ),
                        n.non_exhaustive,
                    ));
                }
            }
        }
        (
            TypeShape::Enum {
                variants: ov,
                open: oo,
            },
            TypeShape::Enum {
                variants: nv,
                open: no,
            },
        ) => {
            variant_changes(
                &item,
                ov,
                nv,
                Rule::EnumVariantAdded,
                Rule::EnumVariantRemoved,
                &mut |r, i, d| {
                    let c = at(r, i, d, None, None);
                    out.push(relaxed(c, n.non_exhaustive && r == Rule::EnumVariantAdded))
                },
            );
            if oo != no {
                let (rule, detail) = if *no {
                    (Rule::EnumBecameOpen, "now keeps values it does not know")
                } else {
                    (
                        Rule::EnumBecameClosed,
                        "no longer keeps values it does not know",
                    )
                };
                out.push(at(
                    rule,
                    item.clone(),
                    format!("`{name}` {detail}"),
                    None,
                    None,
                ));
            }
        }
        (TypeShape::Union(ov), TypeShape::Union(nv)) => {
            variant_changes(
                &item,
                ov,
                nv,
                Rule::UnionVariantAdded,
                Rule::UnionVariantRemoved,
                &mut |r, i, d| {
                    let c = at(r, i, d, None, None);
                    out.push(relaxed(c, n.non_exhaustive && r == Rule::UnionVariantAdded))
                },
            );
        }
        (TypeShape::Alias(a), TypeShape::Alias(b)) => {
            if a != b {
                out.push(at(
                    Rule::AliasTargetChanged,
                    item.clone(),
                    format!("`{name}` is `{b}`, was `{a}`"),
                    None,
                    None,
                ));
            }
        }
        (a, b) => out.push(at(
            Rule::TypeKindChanged,
            item.clone(),
            format!("`{name}` is a {}, was a {}", b.kind_name(), a.kind_name()),
            None,
            None,
        )),
    }
}

/// `c`, a minor change when it adds to a `#[non_exhaustive]` type.
fn relaxed(mut c: Change, non_exhaustive: bool) -> Change {
    if non_exhaustive {
        c.level = Level::Minor;
        c.why = NON_EXHAUSTIVE_WHY;
    }
    c
}

fn variant_changes(
    item: &str,
    old: &[String],
    new: &[String],
    added: Rule,
    removed: Rule,
    push: &mut dyn FnMut(Rule, String, String),
) {
    for v in old.iter().filter(|v| !new.contains(v)) {
        push(
            removed,
            format!("{item}::{v}"),
            format!("the variant `{v}` is gone"),
        );
    }
    for v in new.iter().filter(|v| !old.contains(v)) {
        push(added, format!("{item}::{v}"), format!("new variant `{v}`"));
    }
}

/// The rule for a field whose type went from `old` to `new`; `None` when it did not change.
fn field_type_rule(old: &str, new: &str) -> Option<Rule> {
    if old == new {
        return None;
    }
    let wrap = |t: &str, w: &str| {
        t.strip_prefix(w)
            .and_then(|r| r.strip_prefix('<'))
            .and_then(|r| r.strip_suffix('>'))
            .map(str::to_owned)
    };
    let nullable = |t: &str| wrap(t, "apigen_runtime::Nullable").or_else(|| wrap(t, "Nullable"));
    Some(if wrap(new, "Option").as_deref() == Some(old) {
        Rule::FieldBecameOptional
    } else if wrap(old, "Option").as_deref() == Some(new) {
        Rule::FieldBecameRequired
    } else if nullable(new).is_some_and(|n| n == old || wrap(old, "Option").as_deref() == Some(&n))
    {
        Rule::FieldBecameNullable
    } else if nullable(old).is_some_and(|o| o == new || wrap(new, "Option").as_deref() == Some(&o))
    {
        Rule::FieldBecameNonNullable
    } else {
        Rule::FieldTypeChanged
    })
}
