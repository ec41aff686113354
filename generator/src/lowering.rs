//! Lowering steps shared by every input format: the type arena under construction,
//! polymorphic unions from type hierarchies, reference retargeting, pruning of unused types and
//! the final ordering of operations.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{
    Api, Field, Operation, ResponseBody, TypeDef, TypeId, TypeKind, TypeRef, Union, UnionVariant,
};
use crate::naming::NameScope;

/// Types under construction: ids are handed out before definitions are complete so that
/// recursive and mutually recursive types can refer to each other.
#[derive(Debug)]
pub struct Arena {
    slots: Vec<Option<TypeDef>>,
    /// Names taken in the models module.
    pub scope: NameScope,
}

impl Default for Arena {
    fn default() -> Self {
        Arena {
            slots: Vec::new(),
            scope: NameScope::with_reserved(crate::naming::MODEL_RESERVED),
        }
    }
}

impl Arena {
    /// Reserve an id whose Rust name is already unique (claimed by the caller).
    pub fn reserve_named(&mut self, name: String, origin: crate::ir::Origin) -> TypeId {
        let id = TypeId(self.slots.len());
        self.slots.push(Some(TypeDef {
            origin,
            name,
            docs: Default::default(),
            deprecated: false,
            kind: TypeKind::Alias(TypeRef::Any),
        }));
        id
    }

    /// Reserve an id, claiming a unique name built from `hint`.
    pub fn reserve(&mut self, hint: &str, origin: crate::ir::Origin) -> TypeId {
        let name = self.scope.claim(&crate::naming::type_ident(hint));
        self.reserve_named(name, origin)
    }

    /// The definition of `id`.
    pub fn get(&self, id: TypeId) -> &TypeDef {
        self.slots[id.0]
            .as_ref()
            .expect("every reserved slot holds a definition")
    }

    /// The definition of `id`, mutably.
    pub fn get_mut(&mut self, id: TypeId) -> &mut TypeDef {
        self.slots[id.0]
            .as_mut()
            .expect("every reserved slot holds a definition")
    }

    /// Number of types.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// No types yet.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The finished types.
    pub fn finish(self) -> Vec<TypeDef> {
        self.slots.into_iter().flatten().collect()
    }
}

/// A type hierarchy (or `oneOf` with a discriminator) that values are decoded through.
#[derive(Debug, Clone)]
pub struct UnionSpec {
    /// The type whose references become the union (None for a `oneOf` that is itself the union).
    pub base: Option<TypeId>,
    /// For a `oneOf` union: its own id, which becomes the union.
    pub own_id: Option<TypeId>,
    /// Wire name of the tag.
    pub tag_field: String,
    /// Tags are OData type names (`#ns.Type`).
    pub odata: bool,
    /// Each concrete type and the tags that select it.
    pub variants: Vec<(TypeId, Vec<String>)>,
}

/// Turn hierarchies into union types and point every use of a base type at its union.
///
/// Variants are ordered by Rust name, so the result does not depend on the order types appear
/// in the description.
pub fn add_unions(
    types: &mut Vec<TypeDef>,
    operations: &mut [Operation],
    specs: Vec<UnionSpec>,
    scope: &mut NameScope,
) {
    let mut retarget: BTreeMap<TypeId, TypeId> = BTreeMap::new();
    for spec in specs {
        let mut variants: Vec<(TypeId, Vec<String>)> = spec.variants;
        variants.sort_by(|a, b| types[a.0.0].name.cmp(&types[b.0.0].name));
        variants.dedup_by(|a, b| a.0 == b.0);
        let mut vscope = NameScope::default();
        let union_variants: Vec<UnionVariant> = variants
            .iter()
            .map(|(id, tags)| UnionVariant {
                name: vscope.claim(&types[id.0].name),
                tags: tags.clone(),
                ty: *id,
            })
            .collect();
        let fallback_name = vscope.claim(crate::naming::UNKNOWN_UNION_VARIANT);
        let union = Union {
            tag_field: spec.tag_field,
            odata_tags: spec.odata,
            default_variant: spec.base,
            variants: union_variants,
            fallback_name,
        };
        match (spec.own_id, spec.base) {
            (Some(own), _) => {
                types[own.0].kind = TypeKind::Union(union);
            }
            (None, Some(base)) => {
                let base_def = &types[base.0];
                let name = scope.claim(&format!("Any{}", base_def.name));
                let docs = crate::ir::Docs::description(Some(format!(
                    "Any `{}`: the type itself or one of the types derived from it, selected by `{}` on the wire.",
                    base_def.api_name(),
                    union.tag_field
                )));
                let id = TypeId(types.len());
                types.push(TypeDef {
                    origin: crate::ir::Origin::Hierarchy(base_def.api_name().to_owned()),
                    name,
                    docs,
                    deprecated: base_def.deprecated,
                    kind: TypeKind::Union(union),
                });
                retarget.insert(base, id);
            }
            (None, None) => {}
        }
    }
    if !retarget.is_empty() {
        retarget_refs(types, operations, &retarget);
    }
}

/// Replace references to keys of `map` by their values everywhere a value of the type can
/// appear (fields, lists, maps, parameters, bodies, responses, paging), but not in inheritance
/// links or union variants.
pub fn retarget_refs(
    types: &mut [TypeDef],
    operations: &mut [Operation],
    map: &BTreeMap<TypeId, TypeId>,
) {
    crate::ir::for_each_type_ref_mut(types, operations, &mut |t| {
        t.for_each_mut(&mut |t| {
            if let TypeRef::Named(id) = t
                && let Some(to) = map.get(id)
            {
                *id = *to;
            }
        })
    });
}

/// Every type derived from `base`, directly or not, breadth first (direct children in the
/// order `derived` lists them, then theirs), each once, without `base`. `derived` maps a type
/// to the types that name it as their base; cycles (invalid, but possible in a description)
/// end the walk.
pub fn derived_closure(derived: &BTreeMap<TypeId, Vec<TypeId>>, base: TypeId) -> Vec<TypeId> {
    let mut all = vec![base];
    let mut i = 0;
    while i < all.len() {
        for d in derived.get(&all[i]).into_iter().flatten() {
            if !all.contains(d) {
                all.push(*d);
            }
        }
        i += 1;
    }
    all.remove(0);
    all
}

/// Decide what an operation returns on success from its responses. When the bodies differ by
/// status, a `Responses` type is made in `arena` with a name from `hint`.
pub fn success_shape(
    arena: &mut Arena,
    responses: &[crate::ir::Response],
    hint: &str,
    api_name: &str,
) -> crate::ir::Returns {
    use crate::ir::{Returns, StatusVariant};
    let ok: Vec<&crate::ir::Response> =
        responses.iter().filter(|r| r.status.is_success()).collect();
    let mut bodies: Vec<&ResponseBody> = Vec::new();
    for r in &ok {
        if !matches!(r.body, ResponseBody::Empty) && !bodies.contains(&&r.body) {
            bodies.push(&r.body);
        }
    }
    let any_empty = ok.iter().any(|r| matches!(r.body, ResponseBody::Empty));
    match bodies.len() {
        0 => Returns::Single(ResponseBody::Empty),
        1 => match bodies[0] {
            // A body that may be `null` is optional: `null` and no body at all (OData answers
            // `204 No Content` for a null result) are both `None`.
            ResponseBody::Json(TypeRef::Nullable(inner)) => {
                Returns::Optional(ResponseBody::Json((**inner).clone()))
            }
            body if any_empty => Returns::Optional(body.clone()),
            body => Returns::Single(body.clone()),
        },
        _ => {
            let id = arena.reserve(
                &crate::naming::join_hint(hint, "Response"),
                crate::ir::Origin::Synthesized(format!("{api_name} (responses)")),
            );
            let mut scope = NameScope::default();
            let variants = ok
                .iter()
                .map(|r| StatusVariant {
                    name: scope.claim(&crate::naming::status_variant_name(&r.status)),
                    status: r.status.clone(),
                    body: r.body.clone(),
                    docs: r.docs.clone(),
                })
                .collect();
            let def = arena.get_mut(id);
            def.kind = TypeKind::Responses(variants);
            def.docs = crate::ir::Docs::description(Some(format!(
                "The successful responses of `{api_name}`, by status."
            )));
            Returns::ByStatus(id)
        }
    }
}

/// Keep only the types reachable from `roots` and from the operations; renumber ids.
///
/// With `weak_variants`, the variants of a large or concrete hierarchy do not keep types alive:
/// the union keeps its declared type and only the variants reachable some other way (values of
/// the others decode as the declared type, or as raw JSON). That is what makes a selection of a
/// large API small. Variants stay strong where they are the only way to read a value: a union
/// without a declared type (`oneOf`), or an abstract type with at most 64 derived types.
pub fn prune(api: &mut Api, roots: &BTreeSet<TypeId>, weak_variants: bool) {
    let from = roots
        .iter()
        .copied()
        .chain(api.operations.iter().flat_map(Operation::used_types));
    let keep = reach(api, from, weak_variants);
    if weak_variants {
        for id in keep.clone() {
            if let TypeKind::Union(u) = &mut api.types[id.0].kind {
                u.variants.retain(|v| keep.contains(&v.ty));
            }
        }
    }
    if keep.len() == api.types.len() {
        return;
    }
    let map: BTreeMap<TypeId, TypeId> = keep
        .iter()
        .enumerate()
        .map(|(new, &old)| (old, TypeId(new)))
        .collect();
    api.remap(|id| map.get(&id).copied());
}

/// The types reachable from `from` (included), following every reference; with
/// `weak_variants`, a union whose variants are not needed to read it (see [`prune`]) leads only
/// to its declared type.
pub fn reach(
    api: &Api,
    from: impl IntoIterator<Item = TypeId>,
    weak_variants: bool,
) -> BTreeSet<TypeId> {
    let mut seen: BTreeSet<TypeId> = BTreeSet::new();
    let mut stack: Vec<TypeId> = from.into_iter().collect();
    while let Some(id) = stack.pop() {
        if seen.insert(id) {
            match (&api.types[id.0].kind, weak_variants) {
                (TypeKind::Union(u), true) if !variants_needed(api, u) => {
                    stack.extend(u.default_variant)
                }
                _ => stack.extend(api.types[id.0].referenced_types()),
            }
        }
    }
    seen
}

/// Whether a union's variants are needed to read its values at all (see [`prune`]).
pub fn variants_needed(api: &Api, u: &Union) -> bool {
    match u.default_variant {
        None => true,
        Some(base) => {
            matches!(&api.types[base.0].kind, TypeKind::Struct(s) if s.is_abstract)
                && u.variants.len() <= 64
        }
    }
}

/// Sort operations by path then method, so the client's method order does not depend on the
/// order of the description.
pub fn sort_operations(api: &mut Api) {
    api.operations
        .sort_by(|a, b| (a.path.as_str(), a.method).cmp(&(b.path.as_str(), b.method)));
}

/// Merge a field into a field list: a field with the same wire name is replaced in place (a
/// derived type redefining an inherited property), otherwise appended.
pub fn merge_field(fields: &mut Vec<Field>, field: Field) {
    match fields.iter_mut().find(|f| f.api_name == field.api_name) {
        Some(existing) => {
            let name = existing.name.clone();
            let docs = if field.docs.description.is_none() {
                existing.docs.clone()
            } else {
                field.docs.clone()
            };
            *existing = Field {
                name,
                docs,
                ..field
            };
        }
        None => fields.push(field),
    }
}

/// Re-derive unique Rust names for fields in order.
pub fn name_fields(fields: &mut [Field]) {
    let mut scope = NameScope::default();
    for f in fields.iter_mut() {
        f.name = scope.claim(&crate::naming::snake_ident(&f.api_name, "field"));
    }
}

/// Make the enum at `id` a flags type: its members move to a new enum type (`<Name>Flag`) and
/// `id` becomes the set of them.
pub fn make_flags(arena: &mut Arena, id: TypeId) {
    let def = arena.get(id).clone();
    let member = arena.reserve(
        &crate::naming::join_hint(&def.name, "Flag"),
        def.origin.clone(),
    );
    let member_def = arena.get_mut(member);
    member_def.kind = def.kind;
    member_def.docs = crate::ir::Docs::description(Some(format!("One flag of [`{}`].", def.name)));
    arena.get_mut(id).kind = TypeKind::Flags(member);
}

/// The steps after lowering, shared by every input format, in order: the configuration's type
/// overrides and type names, merging of inline duplicates, operation names, selection, then
/// pruning and ordering.
pub fn finish(
    api: &mut Api,
    config: &crate::config::Config,
    file: &std::path::Path,
    diags: &mut crate::diagnostics::Diagnostics,
) {
    let mut cx = Finish {
        config,
        file,
        diags,
        type_names: description_type_names(api),
    };
    cx.type_overrides(api);
    cx.chosen_type_names(api);
    let named: BTreeSet<&str> = config.type_names.iter().map(|(k, _)| k.as_str()).collect();
    merge_inline_duplicates(api, &named);
    cx.chosen_operation_names(api);
    let roots = cx.select(api);
    alias_equal_types(api, &named);
    prune(api, &roots, config.select.is_active());
    sort_operations(api);
}

/// What the steps of [`finish`] share: the configuration, and where to report what in it
/// matches nothing.
struct Finish<'a> {
    config: &'a crate::config::Config,
    file: &'a std::path::Path,
    diags: &'a mut crate::diagnostics::Diagnostics,
    /// The names codegen.toml may use for types (for suggestions).
    type_names: Vec<String>,
}

/// The names and pointers by which codegen.toml may refer to types.
fn description_type_names(api: &Api) -> Vec<String> {
    api.types
        .iter()
        .filter(|t| {
            matches!(
                t.origin,
                crate::ir::Origin::Named(_) | crate::ir::Origin::Inline(_)
            )
        })
        .map(|t| t.api_name().to_owned())
        .collect()
}

/// The type codegen.toml means by `name`: its name (or pointer) in the description.
fn by_api_name(api: &Api, name: &str) -> Option<TypeId> {
    api.types
        .iter()
        .position(|t| {
            matches!(&t.origin, crate::ir::Origin::Named(n) | crate::ir::Origin::Inline(n) if n == name)
        })
        .map(TypeId)
}

impl Finish<'_> {
    fn unknown(&mut self, what: &str, name: &str, candidates: &[String]) {
        use crate::diagnostics::{Diagnostic, Location};
        self.diags.push(
            Diagnostic::warning(
                Location::file(&self.config.input),
                format!(
                    "{what} `{name}` (in codegen.toml) matches nothing in {}",
                    self.file.display()
                ),
            )
            .suggest(name, candidates.iter().map(String::as_str)),
        );
    }

    fn unknown_type(&mut self, name: &str) {
        let candidates = std::mem::take(&mut self.type_names);
        self.unknown("type", name, &candidates);
        self.type_names = candidates;
    }

    /// Types mapped to existing Rust types (`[types]`).
    fn type_overrides(&mut self, api: &mut Api) {
        for (name, path) in &self.config.type_overrides {
            match by_api_name(api, name) {
                Some(id) => api.types[id.0].kind = TypeKind::External(path.clone()),
                None => self.unknown_type(name),
            }
        }
    }

    /// Names chosen for types (`[names.types]`).
    fn chosen_type_names(&mut self, api: &mut Api) {
        use crate::diagnostics::{Diagnostic, Location};
        for (name, rust) in &self.config.type_names {
            let Some(id) = by_api_name(api, name) else {
                self.unknown_type(name);
                continue;
            };
            let new = crate::naming::type_ident(rust);
            if crate::naming::MODEL_RESERVED.contains(&new.as_str()) {
                self.diags.push(
                    Diagnostic::error(
                        Location::file(&self.config.input),
                        format!(
                            "the name `{new}` chosen for `{name}` is used by generated code (it is a prelude or runtime type)"
                        ),
                    )
                    .expected("a name other than Option, String, Vec, Box, Nullable, ..."),
                );
                continue;
            }
            if let Some(other) = api
                .types
                .iter()
                .position(|t| t.name == new)
                .filter(|o| *o != id.0)
            {
                self.diags.push(
                    Diagnostic::error(
                        Location::file(&self.config.input),
                        format!(
                            "the name `{new}` chosen for `{name}` is already the name of `{}`",
                            api.types[other].api_name()
                        ),
                    )
                    .expected("a name no other type has"),
                );
                continue;
            }
            api.types[id.0].name = new;
        }
    }

    /// Names chosen for operations (`[names.operations]`).
    fn chosen_operation_names(&mut self, api: &mut Api) {
        use crate::diagnostics::{Diagnostic, Location};
        let op_names: Vec<String> = api.operations.iter().map(|o| o.api_name.clone()).collect();
        for (name, rust) in &self.config.operation_names {
            let Some(i) = api.operations.iter().position(|o| &o.api_name == name) else {
                self.unknown("operation", name, &op_names);
                continue;
            };
            let new = crate::naming::snake_ident(rust, "operation");
            if crate::naming::CLIENT_RESERVED.contains(&new.as_str())
                || api
                    .operations
                    .iter()
                    .enumerate()
                    .any(|(j, o)| j != i && o.name == new)
            {
                self.diags.push(
                    Diagnostic::error(
                        Location::file(&self.config.input),
                        format!("the name `{new}` chosen for operation `{name}` is already taken"),
                    )
                    .expected("a method name no other operation (or the client itself) uses"),
                );
                continue;
            }
            api.operations[i].name = new;
        }
    }

    /// `[select]`: keeps the chosen operations, makes excluded types raw JSON, and returns
    /// the types to keep besides what the operations reach.
    fn select(&mut self, api: &mut Api) -> BTreeSet<TypeId> {
        let select = &self.config.select;
        if !select.is_active() {
            return api.roots.iter().copied().collect();
        }
        api.operations.retain(|op| selected(op, select));
        let find = |api: &Api, name: &str| {
            by_api_name(api, name)
                .or_else(|| api.types.iter().position(|t| t.name == name).map(TypeId))
        };
        let mut roots = BTreeSet::new();
        for name in &select.include_types {
            match find(api, name) {
                Some(id) => {
                    roots.insert(id);
                }
                None => self.unknown_type(name),
            }
        }
        let mut excluded = BTreeSet::new();
        for name in &select.exclude_types {
            match find(api, name) {
                Some(id) => {
                    excluded.insert(id);
                }
                None => self.unknown_type(name),
            }
        }
        if !excluded.is_empty() {
            make_raw_json(api, &excluded);
        }
        roots
    }
}

/// References to the `excluded` types become raw JSON ([`TypeRef::Any`]), and links to them
/// (a base, a union variant) are dropped.
fn make_raw_json(api: &mut Api, excluded: &BTreeSet<TypeId>) {
    crate::ir::for_each_type_ref_mut(&mut api.types, &mut api.operations, &mut |t| {
        t.for_each_mut(&mut |t| {
            if let TypeRef::Named(id) = t
                && excluded.contains(id)
            {
                *t = TypeRef::Any;
            }
        })
    });
    for def in &mut api.types {
        def.relink(&|id| (!excluded.contains(&id)).then_some(id));
    }
}

/// Merges inline schemas of paths (the description does not name them: their wire name is a
/// JSON pointer) that are the same type at the same place under paths ending alike (see
/// `same_place`): the same kind, fields, types and docs. Graph's OpenAPI
/// description writes the body of an action out again under every path that reaches it (the
/// `decline` body of an event under 80 paths); v1.0 has 1,223 such body types of 294 shapes,
/// each a struct with its impls to compile. References move to the first of each group, which
/// takes the longest name ending all of theirs share, when it has two words or more and no
/// other type has it (`EventDeclineBody` for `MeCalendarEventsEventDeclineBody`,
/// `UsersUserEventsEventDeclineBody`...); the others are pruned. Types named in `names.types`
/// (`named`, by wire name) are left alone. Repeated until nothing merges, so that bodies whose
/// inline members were merged merge in turn.
fn merge_inline_duplicates(api: &mut Api, named: &BTreeSet<&str>) {
    loop {
        let mut groups: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
        for (i, def) in api.types.iter().enumerate() {
            if let crate::ir::Origin::Inline(pointer) = &def.origin
                && let Some(place) = same_place(pointer)
                && !named.contains(pointer.as_str())
                && matches!(def.kind, TypeKind::Struct(_) | TypeKind::Enum(_))
            {
                let key = format!("{place}|{:?}|{:?}|{}", def.kind, def.docs, def.deprecated);
                groups.entry(key).or_default().push(TypeId(i));
            }
        }
        let mut map: BTreeMap<TypeId, TypeId> = BTreeMap::new();
        let mut names: BTreeSet<String> = api.types.iter().map(|t| t.name.clone()).collect();
        // Groups in the order of their first type, for names that do not depend on map order.
        let mut groups: Vec<Vec<TypeId>> = groups.into_values().filter(|g| g.len() > 1).collect();
        groups.sort();
        for group in groups {
            let first = group[0];
            for other in &group[1..] {
                map.insert(*other, first);
            }
            let names_in_group: Vec<&str> = group
                .iter()
                .map(|id| api.types[id.0].name.as_str())
                .collect();
            let common = crate::naming::common_suffix_name(&names_in_group);
            let taken = |n: &String| {
                names.contains(n) && !group.iter().any(|id| api.types[id.0].name == *n)
            };
            if let Some(name) = common.filter(|n| !taken(n)) {
                names.insert(name.clone());
                api.types[first.0].name = name;
            }
        }
        if map.is_empty() {
            return;
        }
        retarget_refs(&mut api.types, &mut api.operations, &map);
        for def in &mut api.types {
            def.relink(&|id| Some(*map.get(&id).unwrap_or(&id)));
        }
        // The merged-away types are no longer referenced: give them a kind that refers to
        // nothing, so that the next round does not group them again; `prune` removes them.
        for other in map.keys() {
            api.types[other.0].kind = TypeKind::Alias(TypeRef::Any);
            api.types[other.0].origin = crate::ir::Origin::Synthesized("merged".into());
        }
    }
}

/// Structs and enums of the same shape are compiled once: each group of types with the same
/// fields (wire names, Rust names, field docs, requiredness, nullability, defaults) and the
/// same types at every depth — recursion included — keeps one definition, and every other
/// member becomes `pub type Member = Representative;` with its own name and docs. Users keep
/// every name the description implies (struct literals, enum variants and patterns work
/// through an alias), and the compiler checks one set of impls instead of many. GitHub's
/// description writes the same objects out again inline in hundreds of webhook payloads: its
/// 6,900 types have about 2,500 shapes.
///
/// Only inline schemas become aliases: a type the description names keeps its identity, and
/// is the representative when its group has one (else the group's first type). Types that
/// take part in a hierarchy, a tagged union or a flags set keep their identity (their impls
/// are per type), as do types named in `names.types` (`named`) and structs of fewer than
/// three fields. The members' own inline types are no longer used by them and are pruned
/// afterwards.
///
/// Groups are found by partition refinement: start from classes of equal shape with every
/// type reference masked, then split classes by the classes their references point at until
/// nothing splits (the coarsest partition stable under references, so equal recursive types
/// are found too).
fn alias_equal_types(api: &mut Api, named: &BTreeSet<&str>) {
    /// Fewer fields make a coincidence likely (a body `{name}` and an unrelated `Owner
    /// {name}`), and cost little to compile twice.
    const MIN_ALIASED_FIELDS: usize = 3;
    let n = api.types.len();
    let mut linked = vec![false; n];
    for def in &api.types {
        def.for_each_link(&mut |id| linked[id.0] = true);
    }
    let eligible = |i: usize, def: &TypeDef| {
        !linked[i]
            && !named.contains(def.api_name())
            && match &def.kind {
                TypeKind::Struct(s) => {
                    s.base.is_none()
                        && s.tag.is_none()
                        && !s.is_abstract
                        && s.fields.len() >= MIN_ALIASED_FIELDS
                }
                TypeKind::Enum(_) => true,
                _ => false,
            }
    };
    let may_alias = |def: &TypeDef| matches!(def.origin, crate::ir::Origin::Inline(_));
    // Initial classes: the shape with references masked; other types are alone in theirs.
    let mut class = vec![0usize; n];
    let mut shapes: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut members: Vec<usize> = Vec::new();
    for (i, def) in api.types.iter().enumerate() {
        if !eligible(i, def) {
            class[i] = n + i;
            continue;
        }
        let mut masked = TypeDef {
            origin: crate::ir::Origin::Synthesized(String::new()),
            name: String::new(),
            docs: Default::default(),
            deprecated: def.deprecated,
            kind: def.kind.clone(),
        };
        masked.for_each_type_ref_mut(&mut |t| {
            t.for_each_mut(&mut |t| {
                if let TypeRef::Named(id) = t {
                    *id = TypeId(0);
                }
            })
        });
        let key = format!("{}|{:?}", masked.deprecated, masked.kind);
        let next = shapes.len();
        class[i] = *shapes.entry(key).or_insert(next);
        members.push(i);
    }
    if shapes.len() == members.len() {
        return;
    }
    let mut count = shapes.len();
    loop {
        let mut split: std::collections::HashMap<(usize, Vec<usize>), usize> =
            std::collections::HashMap::new();
        let mut next = class.clone();
        for &i in &members {
            let mut targets = Vec::new();
            api.types[i]
                .for_each_type_ref(&mut |t| t.for_each_named(&mut |id| targets.push(class[id.0])));
            let len = split.len();
            next[i] = *split.entry((class[i], targets)).or_insert(len);
        }
        class = next;
        if split.len() == count {
            break;
        }
        count = split.len();
    }
    // Members by class, in type order; the first named type (else the first) stays.
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &i in &members {
        groups.entry(class[i]).or_default().push(i);
    }
    for group in groups.into_values().filter(|g| g.len() > 1) {
        let rep = group
            .iter()
            .copied()
            .find(|&i| matches!(api.types[i].origin, crate::ir::Origin::Named(_)))
            .unwrap_or(group[0]);
        for &i in &group {
            if i != rep && may_alias(&api.types[i]) {
                api.types[i].kind = TypeKind::Alias(TypeRef::Named(TypeId(rep)));
            }
        }
    }
}

/// Where an inline schema of a path sits, without the path's leading segments: its last
/// segment (the action, `microsoft.graph.decline`) and the rest of the pointer
/// (`post/requestBody/...`). Only schemas at the same place merge: bodies of different actions
/// that happen to have the same fields stay apart. `None` for other schemas.
fn same_place(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("#/paths/")?;
    let (path, tail) = rest.split_once('/')?;
    let last = path.rsplit("~1").next()?;
    Some(format!("{last}/{tail}"))
}

/// Whether the selection keeps `op`.
fn selected(op: &Operation, s: &crate::config::Selection) -> bool {
    // Segment-wise; an entity addressed by key in parentheses (`/People('{id}')`) or a
    // function's arguments (`/f(x={x})`) are under the segment they follow.
    let under = |prefix: &String| {
        let p = prefix.trim_end_matches('/');
        op.path == p
            || op.path.starts_with(&format!("{p}/"))
            || op.path.starts_with(&format!("{p}("))
            || p.is_empty()
    };
    (s.include_paths.is_empty() || s.include_paths.iter().any(under))
        && !s.exclude_paths.iter().any(under)
        && (s.include_tags.is_empty() || op.tags.iter().any(|t| s.include_tags.contains(t)))
        && !op.tags.iter().any(|t| s.exclude_tags.contains(t))
}
