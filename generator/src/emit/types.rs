//! Rust types for IR type references, and the facts about types that emission needs: which
//! fields must be boxed to break recursion and which structs can derive `Default`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, Primitive, TypeId, TypeKind, TypeRef};

/// An identifier from a name the naming module produced (raw identifiers included).
///
/// The naming module only makes valid identifiers; should one slip through, it is repaired
/// (characters other than ASCII letters, digits and `_` become `_`, a leading digit gets a `_`)
/// rather than panicking inside `proc_macro2`.
pub fn ident(name: &str) -> Ident {
    let (raw, bare) = match name.strip_prefix("r#") {
        Some(rest) => (true, rest),
        None => (false, name),
    };
    let valid = bare.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && bare != "_";
    if !valid {
        debug_assert!(
            false,
            "the naming module produced an invalid identifier `{name}`"
        );
        let mut fixed: String = bare
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        if !fixed.starts_with(|c: char| c.is_ascii_alphabetic()) {
            fixed.insert_str(0, "x_");
        }
        return Ident::new(&fixed, Span::call_site());
    }
    if raw {
        Ident::new_raw(bare, Span::call_site())
    } else {
        Ident::new(bare, Span::call_site())
    }
}

/// Where a type is written: inside the models module or elsewhere in the crate.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// In `models.rs`: refer to models by bare name.
    Models,
    /// In a model file that imports the runtime's date, time and other wrapper types
    /// (`DateTime` for `apigen_runtime::types::DateTime`), see [`TypeFacts::model_imports`].
    ModelsImported,
    /// In client files, which import `crate::models`: `models::Name`.
    Crate,
}

/// The runtime's wrapper types a model file may import: (primitive, name).
const RUNTIME_TYPES: &[(Primitive, &str)] = &[
    (Primitive::Base64, "Base64Bytes"),
    (Primitive::Date, "Date"),
    (Primitive::DateTime, "DateTime"),
    (Primitive::Double, "Double"),
    (Primitive::Duration, "Duration"),
    (Primitive::Time, "TimeOfDay"),
    (Primitive::Uuid, "Uuid"),
];

/// The Rust type for a primitive inside JSON.
pub fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::String => quote!(String),
        Primitive::Bool => quote!(bool),
        Primitive::I8 => quote!(i8),
        Primitive::U8 => quote!(u8),
        Primitive::I16 => quote!(i16),
        Primitive::I32 => quote!(i32),
        Primitive::I64 => quote!(i64),
        Primitive::U32 => quote!(u32),
        Primitive::U64 => quote!(u64),
        Primitive::F32 => quote!(f32),
        Primitive::F64 => quote!(f64),
        Primitive::Double => quote!(apigen_runtime::types::Double),
        Primitive::Decimal => quote!(serde_json::Number),
        Primitive::DateTime => quote!(apigen_runtime::types::DateTime),
        Primitive::Date => quote!(apigen_runtime::types::Date),
        Primitive::Time => quote!(apigen_runtime::types::TimeOfDay),
        Primitive::Duration => quote!(apigen_runtime::types::Duration),
        Primitive::Uuid => quote!(apigen_runtime::types::Uuid),
        Primitive::Base64 => quote!(apigen_runtime::types::Base64Bytes),
        // Inside JSON a `binary` string is still a string.
        Primitive::Binary => quote!(String),
    }
}

/// The Rust type for `t`.
pub fn rust_type(api: &Api, t: &TypeRef, scope: Scope) -> TokenStream {
    match t {
        TypeRef::Primitive(p) => match RUNTIME_TYPES.iter().find(|(q, _)| q == p) {
            Some((_, name)) if scope == Scope::ModelsImported => {
                let name = ident(name);
                quote!(#name)
            }
            _ => primitive(*p),
        },
        TypeRef::Named(id) => named(api, *id, scope),
        TypeRef::List(inner) => {
            let inner = rust_type(api, inner, scope);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(api, inner, scope);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = rust_type(api, inner, scope);
            quote!(Option<#inner>)
        }
        TypeRef::Any => quote!(serde_json::Value),
    }
}

/// A path to a named type.
pub fn named(api: &Api, id: TypeId, scope: Scope) -> TokenStream {
    let name = ident(&api.ty(id).name);
    match scope {
        Scope::Models | Scope::ModelsImported => quote!(#name),
        Scope::Crate => quote!(models::#name),
    }
}

/// Facts about types computed once per generation.
pub struct TypeFacts {
    /// (struct, field index) pairs whose value must be boxed to break a cycle of direct
    /// containment (`A { b: Option<B> }`, `B { a: Option<A> }`).
    pub boxed: BTreeSet<(TypeId, usize)>,
    /// Structs that can derive `Default`.
    pub default: BTreeSet<TypeId>,
    /// Structs that are the envelope of one page of a collection of the given item type
    /// (OData's `...CollectionResponse`): they are aliases of the runtime's `Page`.
    pub pages: BTreeMap<TypeId, TypeRef>,
    /// Model files import `apigen_runtime::Nullable` and `std::collections::BTreeMap` and
    /// write them by their short names, unless a model of the crate has that name.
    pub short_names: ShortNames,
}

/// Which runtime and std names model files import (see [`TypeFacts::short_names`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct ShortNames {
    pub nullable: bool,
    pub btree_map: bool,
    /// The runtime's wrapper types (`DateTime`, `Uuid`...): all or none.
    pub runtime_types: bool,
}

impl TypeFacts {
    /// Compute the facts for `api`.
    pub fn new(api: &Api) -> TypeFacts {
        let taken = |name: &str| api.types.iter().any(|t| t.name == name);
        TypeFacts {
            boxed: boxed_fields(api),
            default: defaultable(api),
            pages: collection_pages(api),
            short_names: ShortNames {
                nullable: !taken("Nullable"),
                btree_map: !taken("BTreeMap"),
                runtime_types: !RUNTIME_TYPES.iter().any(|(_, n)| taken(n)),
            },
        }
    }

    /// The scope model code writes types in: with the runtime's wrapper types imported,
    /// unless a model takes one of their names.
    pub fn models_scope(&self) -> Scope {
        if self.short_names.runtime_types {
            Scope::ModelsImported
        } else {
            Scope::Models
        }
    }

    /// `Nullable`, or its full path when a model has that name.
    pub fn nullable(&self) -> TokenStream {
        if self.short_names.nullable {
            quote!(Nullable)
        } else {
            quote!(apigen_runtime::Nullable)
        }
    }

    /// `BTreeMap`, or its full path when a model has that name.
    pub fn btree_map(&self) -> TokenStream {
        if self.short_names.btree_map {
            quote!(BTreeMap)
        } else {
            quote!(std::collections::BTreeMap)
        }
    }

    /// The `use` items of a model file holding the types `ids`: the short names its fields
    /// use, and only those (an unused import is a warning). `gated`: the types are behind
    /// features (a split crate), so an import may be unused in some builds.
    pub fn model_imports(&self, api: &Api, ids: &[TypeId], gated: bool) -> TokenStream {
        let allow = if gated {
            quote!(#[allow(unused_imports)]) // when no enabled feature uses these types
        } else {
            quote!()
        };
        let structs = || {
            ids.iter().filter_map(|&id| match &api.ty(id).kind {
                TypeKind::Struct(s) if !self.pages.contains_key(&id) => Some(s),
                _ => None,
            })
        };
        let mut out = TokenStream::new();
        if self.short_names.nullable
            && structs().any(|s| s.fields.iter().any(|f| !f.required && f.nullable))
        {
            out.extend(quote!(#allow use apigen_runtime::Nullable;));
        }
        if self.short_names.runtime_types {
            // The wrapper types written in the file's items: fields, typed additional
            // properties, aliases and untagged variants (a page alias writes its item type;
            // status-variant enums keep full paths).
            let mut used: BTreeSet<&str> = BTreeSet::new();
            let mut note = |t: &TypeRef| {
                t.for_each(&mut |t| {
                    if let TypeRef::Primitive(p) = t
                        && let Some((_, name)) = RUNTIME_TYPES.iter().find(|(q, _)| q == p)
                    {
                        used.insert(name);
                    }
                })
            };
            for &id in ids {
                let def = api.ty(id);
                match (&def.kind, self.pages.get(&id)) {
                    (_, Some(item)) => note(item),
                    (TypeKind::Responses(_), _) => {}
                    _ => def.for_each_type_ref(&mut note),
                }
            }
            if !used.is_empty() {
                let names = used.iter().map(|n| ident(n));
                out.extend(quote!(#allow use apigen_runtime::types::{#(#names),*};));
            }
        }
        if self.short_names.btree_map
            && structs().any(|s| !matches!(s.additional, crate::ir::Additional::Forbid))
        {
            out.extend(quote!(#allow use std::collections::BTreeMap;));
        }
        out
    }
}

/// The structs that are exactly an OData collection page, `@odata.count` (an optional nullable
/// `int64`), `@odata.nextLink` (an optional nullable string) and `value` (an optional array),
/// in that order, keeping other properties, and derived by no other type: Graph's OpenAPI
/// description has one per entity type (349 in v1.0), each otherwise a struct with its own
/// impls to compile. An item type with two such envelopes keeps them as structs (`Page<T>`
/// would be one type under two names).
fn collection_pages(api: &Api) -> BTreeMap<TypeId, TypeRef> {
    let bases: BTreeSet<TypeId> = api
        .types
        .iter()
        .filter_map(|def| match &def.kind {
            TypeKind::Struct(s) => s.base,
            _ => None,
        })
        .collect();
    let mut pages: BTreeMap<TypeId, TypeRef> = BTreeMap::new();
    let mut items: BTreeMap<TypeRef, usize> = BTreeMap::new();
    for (i, def) in api.types.iter().enumerate() {
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        let [count, next, value] = &s.fields[..] else {
            continue;
        };
        let optional = |f: &crate::ir::Field, name: &str, nullable: bool| {
            f.api_name == name && !f.required && f.nullable == nullable
        };
        let item = match &value.ty {
            TypeRef::List(item) => (**item).clone(),
            _ => continue,
        };
        if optional(count, "@odata.count", true)
            && count.ty == TypeRef::Primitive(Primitive::I64)
            && optional(next, "@odata.nextLink", true)
            && next.ty == TypeRef::Primitive(Primitive::String)
            && optional(value, "value", false)
            && s.additional == crate::ir::Additional::Keep
            && !bases.contains(&TypeId(i))
        {
            *items.entry(item.clone()).or_default() += 1;
            pages.insert(TypeId(i), item);
        }
    }
    pages.retain(|_, item| items[item] == 1);
    pages
}

/// The named type a value of `t` contains inline (not behind a `Vec`, map or box).
fn direct_target(t: &TypeRef) -> Option<TypeId> {
    match t {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Nullable(inner) => direct_target(inner),
        _ => None,
    }
}

/// Direct-containment edges: type -> (field index or usize::MAX, target).
fn direct_edges(api: &Api) -> Vec<Vec<(usize, TypeId)>> {
    api.types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .enumerate()
                .filter_map(|(i, f)| direct_target(&f.ty).map(|t| (i, t)))
                .collect(),
            TypeKind::Alias(t) => direct_target(t)
                .map(|t| (usize::MAX, t))
                .into_iter()
                .collect(),
            TypeKind::Untagged(u) => u
                .variants
                .iter()
                .enumerate()
                .filter_map(|(i, v)| direct_target(&v.ty).map(|t| (usize::MAX - 1 - i, t)))
                .collect(),
            // Union variants are always boxed; enums and flag sets hold no structs; response
            // enums are never inside a model.
            TypeKind::Union(_)
            | TypeKind::Enum(_)
            | TypeKind::Flags(_)
            | TypeKind::Responses(_)
            | TypeKind::External(_) => Vec::new(),
        })
        .collect()
}

/// Strongly connected components (iterative Tarjan), as a component index per node.
fn scc(edges: &[Vec<(usize, TypeId)>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut next_index = 0;
    let mut next_comp = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        // (node, next edge position)
        let mut work: Vec<(usize, usize)> = vec![(start, 0)];
        index[start] = next_index;
        low[start] = next_index;
        next_index += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&mut (v, ref mut pos)) = work.last_mut() {
            if *pos < edges[v].len() {
                let w = edges[v][*pos].1.0;
                *pos += 1;
                if index[w] == usize::MAX {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = next_comp;
                        if w == v {
                            break;
                        }
                    }
                    next_comp += 1;
                }
            }
        }
    }
    comp
}

fn boxed_fields(api: &Api) -> BTreeSet<(TypeId, usize)> {
    let edges = direct_edges(api);
    let comp = scc(&edges);
    let mut out = BTreeSet::new();
    for (from, list) in edges.iter().enumerate() {
        for &(field, to) in list {
            if comp[from] == comp[to.0] {
                out.insert((TypeId(from), field));
            }
        }
    }
    out
}

fn defaultable(api: &Api) -> BTreeSet<TypeId> {
    // Start from "every struct" and remove those with a required field that has no default,
    // until nothing changes.
    let mut set: BTreeSet<TypeId> = api
        .types
        .iter()
        .enumerate()
        .filter(|(_, d)| matches!(d.kind, TypeKind::Struct(_)))
        .map(|(i, _)| TypeId(i))
        .collect();
    let aliases: BTreeMap<TypeId, &TypeRef> = api
        .types
        .iter()
        .enumerate()
        .filter_map(|(i, d)| match &d.kind {
            TypeKind::Alias(t) => Some((TypeId(i), t)),
            _ => None,
        })
        .collect();
    loop {
        let mut changed = false;
        let current = set.clone();
        for id in current {
            let TypeKind::Struct(s) = &api.ty(id).kind else {
                continue;
            };
            let ok = s
                .fields
                .iter()
                .all(|f| !f.required || f.nullable || has_default(&f.ty, &set, &aliases, 0));
            if !ok {
                set.remove(&id);
                changed = true;
            }
        }
        if !changed {
            return set;
        }
    }
}

fn has_default(
    t: &TypeRef,
    structs: &BTreeSet<TypeId>,
    aliases: &BTreeMap<TypeId, &TypeRef>,
    depth: usize,
) -> bool {
    match t {
        TypeRef::Primitive(p) => p.is_copy() || matches!(p, Primitive::String | Primitive::Binary),
        TypeRef::List(_) | TypeRef::Map(_) | TypeRef::Nullable(_) | TypeRef::Any => true,
        TypeRef::Named(id) => {
            structs.contains(id)
                || (depth < 16
                    && aliases
                        .get(id)
                        .is_some_and(|a| has_default(a, structs, aliases, depth + 1)))
        }
    }
}
