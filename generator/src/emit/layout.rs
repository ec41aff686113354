//! How a crate is laid out in files and cargo features.
//!
//! A small API is three files: `lib.rs`, `models.rs`, `client.rs`. A large one (Microsoft Graph,
//! GitHub) is split so that it compiles fast and in parts:
//!
//! - operations are grouped into *areas* by the first segment of their path (`/users/...` is the
//!   `users` area); each area is a module of the client behind a cargo feature of the same name;
//! - every model is compiled only when an enabled area uses it (its `#[cfg]` lists those areas),
//!   so enabling one area compiles that area and the types it needs; models no operation uses
//!   sit behind the `extra-types` feature; the default feature `full` enables everything;
//! - models are written to one file per initial letter, so files stay small and are formatted in
//!   parallel.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::config::{Config, Split};
use crate::emit::plan::OpPlan;
use crate::ir::{Api, TypeId};
use crate::lowering;
use crate::naming::{NameScope, snake_ident};

/// Operations above which a crate is split (with `split = "auto"`).
pub const SPLIT_OPERATIONS: usize = 200;
/// Types above which a crate is split (with `split = "auto"`).
pub const SPLIT_TYPES: usize = 400;

/// One area of a split crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    /// Module name (snake case).
    pub module: String,
    /// Cargo feature name.
    pub feature: String,
    /// The path segment it stands for.
    pub segment: String,
}

/// The area index, in a [`Gate::Areas`], of the `extra-types` feature.
pub const EXTRA_AREA: usize = usize::MAX;

/// When a type is compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// Always.
    Always,
    /// When any of these areas is enabled ([`EXTRA_AREA`] stands for the `extra-types`
    /// feature, when a type no operation uses refers to this one).
    Areas(Vec<usize>),
    /// With the `extra-types` feature (no operation uses it).
    Extra,
}

/// The layout decided for a crate.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Split into areas and chunks.
    pub split: bool,
    /// Areas, sorted by feature name.
    pub areas: Vec<Area>,
    /// Area of each operation (index into `areas`).
    pub op_area: Vec<usize>,
    /// Gate of each type.
    pub gates: Vec<Gate>,
    /// Model files: file stem -> types, in name order.
    pub chunks: BTreeMap<String, Vec<TypeId>>,
    /// Names of the request type of each operation that has optional parameters.
    pub wrappers: Vec<Option<WrapperNames>>,
    /// Models with `Default`, and enums, are `#[non_exhaustive]` (`crate.non-exhaustive`).
    pub non_exhaustive: bool,
    /// The marker types of those request types, one per distinct set of setters.
    pub markers: Vec<Marker>,
    /// How each operation takes its parameters (see [`OpPlan`]).
    pub plans: Vec<OpPlan>,
}

/// Names of the request type of an operation with optional parameters: an alias of
/// `client::OperationRequest<Marker, ...>`, where the marker (an index into
/// [`Layout::markers`]) is the type its setters are implemented for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrapperNames {
    pub request: String,
    pub marker: usize,
}

/// A marker type: the optional parameters of the operations that have exactly the same setters
/// (Graph's 1,977 such operations have 5 sets: `If-Match` on deletes, `ConsistencyLevel` on
/// lists...). The setters are implemented once per request type among those operations, not
/// once per operation: thousands of inherent impls on `OperationRequest` made every method
/// call on it slow to type-check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub name: String,
    /// The operations it marks, in order.
    pub ops: Vec<usize>,
    /// The parameters' names in the description, for its docs.
    pub params: Vec<String>,
    /// The module it is defined in: an area's, when all its operations are in that area, or
    /// (`None`) the client module.
    pub area: Option<usize>,
}

/// The generic request type of operations with optional parameters (see
/// `client::operation_request_type`); no alias or marker may be named so.
pub const OPERATION_REQUEST: &str = "OperationRequest";

/// Names the request type of each operation with optional parameters, and groups those
/// operations by their setters into markers.
fn plan_wrappers(api: &Api, plans: &[OpPlan]) -> (Vec<Option<WrapperNames>>, Vec<Marker>) {
    let mut reserved = vec!["Client", OPERATION_REQUEST];
    reserved.extend(crate::emit::client::SHORT_RUNTIME_TYPES);
    let mut scope = NameScope::with_reserved(&reserved);
    let setters: Vec<Option<crate::emit::client::SetterSet>> = api
        .operations
        .iter()
        .zip(plans)
        .map(|(op, plan)| crate::emit::client::setter_set(op, plan))
        .collect();
    let mut markers: Vec<Marker> = Vec::new();
    let mut by_key: BTreeMap<&[crate::emit::client::SetterKey], usize> = BTreeMap::new();
    for (i, set) in setters.iter().enumerate() {
        if let Some(set) = set {
            let m = *by_key.entry(set.key.as_slice()).or_insert_with(|| {
                markers.push(Marker {
                    name: String::new(),
                    ops: Vec::new(),
                    params: set.params.clone(),
                    area: None,
                });
                markers.len() - 1
            });
            markers[m].ops.push(i);
        }
    }
    let marker_of: BTreeMap<usize, usize> = markers
        .iter()
        .enumerate()
        .flat_map(|(m, marker)| marker.ops.iter().map(move |&i| (i, m)))
        .collect();
    let wrappers = api
        .operations
        .iter()
        .enumerate()
        .map(|(i, op)| {
            let &m = marker_of.get(&i)?;
            let request = scope.claim(&crate::naming::request_type_name(&op.name));
            if markers[m].name.is_empty() {
                // Shared: named after its parameters when they are few, otherwise (and when
                // it marks one operation) after its first operation.
                let args = &setters[i].as_ref()?.args;
                let shared = markers[m].ops.len() > 1;
                markers[m].name =
                    scope.claim(&crate::naming::params_marker_name(&op.name, args, shared));
            }
            Some(WrapperNames { request, marker: m })
        })
        .collect();
    (wrappers, markers)
}

/// Most types in one models file: a bigger group is split by a longer name prefix.
pub const CHUNK_TYPES: usize = 150;
/// The longest name prefix a models file is named after.
const MAX_PREFIX: usize = 20;

/// The feature that enables the types no operation uses.
pub const EXTRA_FEATURE: &str = "extra-types";

impl Layout {
    /// Decide the layout of `api`.
    pub fn plan(api: &Api, config: &Config) -> Layout {
        let split = match config.krate.split {
            Split::Never => false,
            Split::Always => true,
            Split::Auto => api.operations.len() > SPLIT_OPERATIONS || api.types.len() > SPLIT_TYPES,
        };
        let plans: Vec<OpPlan> = api
            .operations
            .iter()
            .map(|op| OpPlan::new(api, op))
            .collect();
        let (wrappers, mut markers) = plan_wrappers(api, &plans);
        if !split {
            return Layout {
                split,
                areas: Vec::new(),
                op_area: Vec::new(),
                gates: vec![Gate::Always; api.types.len()],
                chunks: BTreeMap::new(),
                wrappers,
                markers,
                plans,
                non_exhaustive: config.krate.non_exhaustive,
            };
        }

        // Areas by first path segment.
        let segments: Vec<String> = api
            .operations
            .iter()
            .map(|op| first_segment(&op.path))
            .collect();
        let distinct: BTreeSet<&String> = segments.iter().collect();
        // Area modules sit next to paths the generated code writes (`std::`, `serde::`,
        // `models::`...): an area may not shadow them.
        let mut feature_scope = NameScope::with_reserved(&[
            "full",
            "default",
            EXTRA_FEATURE,
            // The runtime's features the crate forwards (date and time interop).
            "jiff",
            "chrono",
            // The mock server's feature (`emit::mock`).
            crate::emit::mock::FEATURE,
            "self",
            "super",
            "crate",
            "std",
            "core",
            "alloc",
            "serde",
            "serde_json",
            "apigen_runtime",
            "models",
            "client",
        ]);
        let mut areas: Vec<Area> = distinct
            .iter()
            .map(|seg| {
                let snake = snake_ident(seg, "root");
                let bare = snake.trim_start_matches("r#");
                let claimed = feature_scope.claim(bare);
                // A keyword (`box`, `type`) stays the feature's and the file's name, and is a
                // raw identifier in code (`pub mod r#box;`).
                let module = if claimed == bare && snake.starts_with("r#") {
                    format!("r#{claimed}")
                } else {
                    claimed.clone()
                };
                Area {
                    feature: crate::naming::feature_name(&claimed),
                    module,
                    segment: (*seg).clone(),
                }
            })
            .collect();
        areas.sort_by(|a, b| a.feature.cmp(&b.feature));
        let index: BTreeMap<&str, usize> = areas
            .iter()
            .enumerate()
            .map(|(i, a)| (a.segment.as_str(), i))
            .collect();
        let op_area: Vec<usize> = segments.iter().map(|s| index[s.as_str()]).collect();
        for m in &mut markers {
            let first = op_area[m.ops[0]];
            m.area = m.ops.iter().all(|&i| op_area[i] == first).then_some(first);
        }

        // Which areas need each type: the closure of each area's operations.
        let mut needed: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); api.types.len()];
        for (area, _) in areas.iter().enumerate() {
            let from = api
                .operations
                .iter()
                .zip(&op_area)
                .filter(|(_, a)| **a == area)
                .flat_map(|(op, _)| op.used_types());
            for id in lowering::reach(api, from, true) {
                needed[id.0].insert(area);
            }
        }
        // Types no operation uses are compiled with `extra-types`; what they refer to must then
        // be compiled too, so `extra-types` joins the gate of everything they reach.
        let unused = (0..api.types.len())
            .filter(|&i| needed[i].is_empty())
            .map(TypeId);
        let reached = lowering::reach(api, unused, true);
        let gates = needed
            .into_iter()
            .enumerate()
            .map(|(i, mut set)| {
                if set.is_empty() {
                    Gate::Extra
                } else if set.len() == areas.len() {
                    Gate::Always
                } else {
                    if reached.contains(&TypeId(i)) {
                        set.insert(EXTRA_AREA);
                    }
                    Gate::Areas(set.into_iter().collect())
                }
            })
            .collect();

        // Model files by initial letter, or by a longer prefix of the name while a group has
        // more than CHUNK_TYPES types (GitHub's hundreds of `Webhook...` types would otherwise
        // be one 18 MB file): files stay small enough to format in parallel and to compile in
        // reasonable memory, and a type keeps its file when others are added (so a spec change
        // shows as a small diff).
        let prefix = |name: &str, n: usize| -> String {
            let p: String = name
                .trim_start_matches("r#")
                .chars()
                .take(n)
                .map(|c| c.to_ascii_lowercase())
                .filter(char::is_ascii_alphanumeric)
                .collect();
            if p.starts_with(|c: char| c.is_ascii_alphabetic()) {
                p
            } else {
                "other".into()
            }
        };
        let mut by_letter: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
        for (i, def) in api.types.iter().enumerate() {
            by_letter
                .entry(prefix(&def.name, 1))
                .or_default()
                .push(TypeId(i));
        }
        let mut chunks: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
        // (prefix, its length, types): split further while too big.
        let mut pending: Vec<(String, usize, Vec<TypeId>)> = by_letter
            .into_iter()
            .map(|(letter, ids)| (letter, 1, ids))
            .collect();
        while let Some((stem, len, ids)) = pending.pop() {
            if stem == "other" || ids.len() <= CHUNK_TYPES {
                chunks
                    .entry(format!("types_{stem}"))
                    .or_default()
                    .extend(ids);
                continue;
            }
            if len >= MAX_PREFIX {
                // Names that share a long prefix: numbered files of CHUNK_TYPES, in name order.
                let mut ids = ids;
                ids.sort_by(|a, b| api.ty(*a).name.cmp(&api.ty(*b).name));
                for (n, part) in ids.chunks(CHUNK_TYPES).enumerate() {
                    chunks.insert(format!("types_{stem}_{}", n + 1), part.to_vec());
                }
                continue;
            }
            let mut longer: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
            for id in ids {
                longer
                    .entry(prefix(&api.ty(id).name, len + 1))
                    .or_default()
                    .push(id);
            }
            pending.extend(longer.into_iter().map(|(p, ids)| (p, len + 1, ids)));
        }
        for ids in chunks.values_mut() {
            ids.sort_by(|a, b| api.ty(*a).name.cmp(&api.ty(*b).name));
        }
        Layout {
            split,
            areas,
            op_area,
            gates,
            chunks,
            wrappers,
            markers,
            plans,
            non_exhaustive: config.krate.non_exhaustive,
        }
    }

    /// The cargo feature of an area index of a gate.
    fn feature(&self, area: usize) -> &str {
        if area == EXTRA_AREA {
            EXTRA_FEATURE
        } else {
            &self.areas[area].feature
        }
    }

    /// The `#[cfg(...)]` of a type (empty when always compiled).
    pub fn type_cfg(&self, id: TypeId) -> TokenStream {
        match &self.gates[id.0] {
            Gate::Always => quote!(),
            Gate::Extra => quote!(#[cfg(feature = "extra-types")]),
            Gate::Areas(areas) => self.areas_cfg(areas),
        }
    }

    /// The `#[cfg(...)]` of code compiled when any of `areas` is enabled.
    pub fn areas_cfg(&self, areas: &[usize]) -> TokenStream {
        if let [area] = areas {
            let feature = self.feature(*area);
            return quote!(#[cfg(feature = #feature)]);
        }
        let features = areas.iter().map(|a| self.feature(*a));
        quote!(#[cfg(any(#(feature = #features),*))])
    }

    /// Whether type `variant` may be compiled out while `owner` is compiled (so a reference to
    /// it from `owner`, such as a union variant, needs its own `#[cfg]`).
    pub fn may_be_absent(&self, owner: TypeId, variant: TypeId) -> bool {
        match (&self.gates[owner.0], &self.gates[variant.0]) {
            (_, Gate::Always) => false,
            (Gate::Areas(o), Gate::Areas(v)) => !o.iter().all(|a| v.contains(a)),
            (Gate::Extra, Gate::Extra) => false,
            (Gate::Extra, Gate::Areas(v)) => !v.contains(&EXTRA_AREA),
            _ => true,
        }
    }
}

/// The first segment of a path, without function parameters (`/users/{id}` -> `users`).
pub fn first_segment(path: &str) -> String {
    let seg = path.trim_start_matches('/').split('/').next().unwrap_or("");
    let seg = seg.split('(').next().unwrap_or(seg);
    if seg.is_empty() || seg.starts_with('{') {
        "root".to_owned()
    } else {
        seg.to_owned()
    }
}
