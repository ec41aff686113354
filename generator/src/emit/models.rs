//! Models: structs, enums, polymorphic unions, untagged unions and aliases.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::{code, doc_attrs, lines_to_attrs};
use crate::emit::layout::Layout;
use crate::emit::types::{Scope, TypeFacts, ident, rust_type};
use crate::format::{Lines, Printer, Table, string_literal};
use crate::ir::{
    Additional, Api, Enum, EnumRepr, Field, ResponseBody, StatusMatch, StatusVariant, Struct,
    TypeDef, TypeId, TypeKind, Union, Untagged,
};
use crate::naming::NameScope;

/// Every model of `ids`, sorted by Rust name so the order does not depend on the description's,
/// each behind the `#[cfg]` the layout gives it.
pub fn models(
    p: &Printer,
    api: &Api,
    facts: &TypeFacts,
    ids: &[TypeId],
    layout: &Layout,
) -> TokenStream {
    let mut sorted: Vec<TypeId> = ids.to_vec();
    sorted.sort_by(|a, b| api.ty(*a).name.cmp(&api.ty(*b).name));
    let items = sorted.iter().map(|&id| {
        let cfg = layout.type_cfg(id);
        let tokens = model(p, api, facts, id, layout, !cfg.is_empty());
        gate_items(tokens, &cfg)
    });
    quote!(#(#items)*)
}

/// Put `cfg` in front of the first item of `tokens` (the type; an item ends with a `{...}` group
/// or a `;`), and the items after it (its impls) in one `const _: () = { ... };` block with the
/// same `cfg`, so a long feature list is written twice per type, not once per impl.
fn gate_items(tokens: TokenStream, cfg: &TokenStream) -> TokenStream {
    if cfg.is_empty() {
        return tokens;
    }
    let mut first = TokenStream::new();
    let mut rest = TokenStream::new();
    let mut in_first = true;
    for tt in tokens {
        if !in_first {
            rest.extend(std::iter::once(tt));
            continue;
        }
        in_first = !match &tt {
            proc_macro2::TokenTree::Group(g) => g.delimiter() == proc_macro2::Delimiter::Brace,
            proc_macro2::TokenTree::Punct(p) => p.as_char() == ';',
            _ => false,
        };
        first.extend(std::iter::once(tt));
    }
    if rest.is_empty() {
        quote!(#cfg #first)
    } else {
        quote! {
            #cfg
            #first
            #cfg
            const _: () = {
                #rest
            };
        }
    }
}

/// `gated`: the type's impls go in a `const _` block (see [`gate_items`]), one level deeper.
fn model(
    p: &Printer,
    api: &Api,
    facts: &TypeFacts,
    id: TypeId,
    layout: &Layout,
    gated: bool,
) -> TokenStream {
    let def = api.ty(id);
    let item = model_item(p, api, facts, id, layout, gated);
    // `crate.non-exhaustive`: enums and unions, and the structs users can still build (with
    // `Default` and field assignment).
    let exhaustive = match &def.kind {
        TypeKind::Struct(_) => !facts.default.contains(&id) || facts.pages.contains_key(&id),
        TypeKind::Enum(_) | TypeKind::Union(_) | TypeKind::Untagged(_) => false,
        _ => true,
    };
    if layout.non_exhaustive && !exhaustive {
        non_exhaustive(item)
    } else {
        item
    }
}

/// `tokens` with `#[non_exhaustive]` on its first `pub struct` or `pub enum`.
fn non_exhaustive(tokens: TokenStream) -> TokenStream {
    use proc_macro2::TokenTree;
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let at = trees.windows(2).position(|w| {
        matches!((&w[0], &w[1]), (TokenTree::Ident(a), TokenTree::Ident(b))
            if a == "pub" && (b == "struct" || b == "enum"))
    });
    let Some(at) = at else {
        return trees.into_iter().collect();
    };
    let mut out: Vec<TokenTree> = trees[..at].to_vec();
    out.extend(quote!(#[non_exhaustive]));
    out.extend(trees[at..].iter().cloned());
    out.into_iter().collect()
}

fn model_item(
    p: &Printer,
    api: &Api,
    facts: &TypeFacts,
    id: TypeId,
    layout: &Layout,
    gated: bool,
) -> TokenStream {
    let def = api.ty(id);
    match &def.kind {
        TypeKind::Struct(_) if let Some(item) = facts.pages.get(&id) => {
            let name = ident(&def.name);
            let docs = type_docs(
                p,
                def,
                &[
                    "One page of a collection: the runtime's [`Page`](apigen_runtime::Page)."
                        .to_owned(),
                ],
            );
            let item = rust_type(api, item, facts.models_scope());
            quote! {
                #docs
                pub type #name = apigen_runtime::Page<#item>;
            }
        }
        TypeKind::Struct(s) => structure(p, api, facts, id, def, s, gated),
        TypeKind::Enum(e) => enumeration(p, def, e, if gated { 4 } else { 0 }),
        TypeKind::Union(u) => union(p, api, def, u, id, layout),
        TypeKind::Untagged(u) => untagged(p, api, facts, id, def, u),
        TypeKind::Flags(member) => flags(p, api, def, *member),
        TypeKind::Responses(variants) => responses(p, api, def, variants),
        TypeKind::External(path) => {
            let name = ident(&def.name);
            let docs = type_docs(
                p,
                def,
                &["Mapped to an existing Rust type by the generator's configuration.".to_owned()],
            );
            let path: TokenStream = syn::parse_str::<syn::Type>(path)
                .map(|t| quote!(#t))
                .unwrap_or_else(|_| quote!(serde_json::Value));
            quote! {
                #docs
                pub type #name = #path;
            }
        }
        TypeKind::Alias(t) => {
            let name = ident(&def.name);
            let docs = type_docs(p, def, &[]);
            let ty = rust_type(api, t, facts.models_scope());
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
    }
}

fn type_docs(p: &Printer, def: &TypeDef, extra: &[String]) -> TokenStream {
    let mut extra: Vec<String> = extra.to_vec();
    if let Some(wire) = def.origin.wire_name() {
        extra.push(format!("Wire name: {}.", code(wire)));
    }
    let mut attrs = doc_attrs(p, &def.docs, &extra);
    if def.deprecated {
        attrs.extend(quote!(#[deprecated]));
    }
    attrs
}

fn structure(
    p: &Printer,
    api: &Api,
    facts: &TypeFacts,
    id: TypeId,
    def: &TypeDef,
    s: &Struct,
    gated: bool,
) -> TokenStream {
    let name = ident(&def.name);
    let mut extra = Vec::new();
    if let Some(base) = s.base {
        extra.push(format!(
            "Derived from [`{}`]; carries all of its properties.",
            api.ty(base).name
        ));
    }
    if let Some(tag) = &s.tag {
        extra.push(format!("Type tag: {}.", code(tag)));
    }
    let docs = type_docs(p, def, &extra);
    let mut scope = NameScope::default();
    for f in &s.fields {
        scope.claim(&f.name);
    }
    let fields = s
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| field(p, api, facts, f, facts.boxed.contains(&(id, i))));
    let bag_name = ident(&scope.claim(crate::naming::PROPERTY_BAG_FIELD));
    let btree_map = facts.btree_map();
    let bag = match &s.additional {
        Additional::Keep => quote! {
            /// Properties not declared in the API description, kept so that a value read from
            /// the service and sent back loses nothing.
            pub #bag_name: #btree_map<String, serde_json::Value>,
        },
        Additional::Typed(t) => {
            let t = rust_type(api, t, facts.models_scope());
            quote! {
                /// Additional properties (the description allows any name with this value type).
                pub #bag_name: #btree_map<String, #t>,
            }
        }
        Additional::Forbid => quote!(),
    };
    let default = if facts.default.contains(&id) {
        quote!(Default,)
    } else {
        quote!()
    };
    let serde = struct_serde(
        p,
        def,
        s,
        (!matches!(s.additional, Additional::Forbid)).then_some(&bag_name),
        facts.default.contains(&id),
        if gated { 4 } else { 0 },
    );
    quote! {
        #docs
        #[derive(Clone, #default)]
        pub struct #name {
            #(#fields)*
            #bag
        }

        #serde
    }
}

/// `Serialize`, `Deserialize` and [`apigen_runtime::FromJson`] for a struct: one line per
/// field (see the runtime's `model` module for why not `#[derive]`). `indent`: the column the
/// impls are printed at.
///
/// They are half of a big crate's text: they are printed here as text (see [`Printer`]) and go
/// through `syn` as one placeholder.
fn struct_serde(
    p: &Printer,
    def: &TypeDef,
    s: &Struct,
    bag: Option<&proc_macro2::Ident>,
    default: bool,
    indent: usize,
) -> TokenStream {
    let name = ident(&def.name);
    let type_name = def.name.trim_start_matches("r#");
    // Into `Self::default()` only when something is read into it: with neither fields nor a
    // property bag, `let mut value` would be an unused `mut`.
    let into_default =
        default && s.fields.iter().all(|f| !f.required) && (!s.fields.is_empty() || bag.is_some());
    let mut l = Lines::new(indent);
    print_struct_impls(&mut l, &name.to_string(), type_name, s, bag, into_default);
    p.items(l)
}

/// `Debug` and `PartialEq` by wire form, through `apigen_runtime::model::{debug, same}`: derives
/// over many fields or variants (Graph's `entity` has over a thousand derived types) cost
/// compile time in every model.
fn wire_form_impls(name: &proc_macro2::Ident, type_name: &str) -> TokenStream {
    quote! {
        impl std::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                apigen_runtime::model::debug(self, #type_name, f)
            }
        }

        impl std::cmp::PartialEq for #name {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                apigen_runtime::model::same(self, other)
            }
        }
    }
}

/// `Deserialize` through [`apigen_runtime::FromJson`] (a `Json` tree first), for enums whose
/// impls are tokens.
fn deserialize_via_from_json(name: &proc_macro2::Ident) -> TokenStream {
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                apigen_runtime::json::deserialize(deserializer)
            }
        }
    }
}

/// A function signature as [`Lines::signature`] prints it: head, parameters, return type.
///
/// Every function of a model that is not generic (`from_json`, `fmt`, `eq`, `From`
/// conversions...) and every client method is `#[inline]`: it is then compiled in the crate
/// that uses it, like a generic function, and only if it is used. A crate with thousands of
/// models and operations would otherwise compile all of them into its library, whichever few
/// an application calls (Graph v1.0's `users` area: 23,113 functions to 3,453).
struct Signature(&'static str, &'static [&'static str], &'static str);

const SERIALIZE: Signature = Signature(
    "fn serialize<S: serde::Serializer>",
    &["&self", "serializer: S"],
    " -> Result<S::Ok, S::Error>",
);
const DESERIALIZE: Signature = Signature(
    "fn deserialize<D: serde::Deserializer<'de>>",
    &["deserializer: D"],
    " -> Result<Self, D::Error>",
);
const FROM_JSON: Signature = Signature(
    "fn from_json",
    &["json: apigen_runtime::Json<'_>"],
    " -> Result<Self, apigen_runtime::JsonError>",
);
const FMT: Signature = Signature(
    "fn fmt",
    &["&self", "f: &mut std::fmt::Formatter<'_>"],
    " -> std::fmt::Result",
);

/// `impl_trait for name {`, the `items` lines, one function `sig` whose body `body` prints
/// (at depth 0 of the body), and the closing braces.
fn print_impl(
    l: &mut Lines,
    impl_trait: &str,
    name: &str,
    items: &[&str],
    sig: &Signature,
    body: impl FnOnce(&mut Lines),
) {
    l.impl_header(0, impl_trait, name);
    for item in items {
        l.line(1, item);
    }
    // Not generic: `#[inline]`, so compiled where it is used (see [`Signature`]).
    if !sig.0.contains('<') {
        l.line(1, "#[inline]");
    }
    l.signature(1, sig.0, sig.1, sig.2);
    l.nest(2, body);
    l.line(1, "}");
    l.line(0, "}");
}

/// The impls of [`struct_serde`], printed.
fn print_struct_impls(
    l: &mut Lines,
    name: &str,
    type_name: &str,
    s: &Struct,
    bag: Option<&proc_macro2::Ident>,
    into_default: bool,
) {
    let literal = string_literal(type_name);
    print_impl(l, "impl serde::Serialize", name, &[], &SERIALIZE, |l| {
        print_write(l, s, bag)
    });
    print_impl(
        l,
        "impl<'de> serde::Deserialize<'de>",
        name,
        &[],
        &DESERIALIZE,
        |l| l.line(0, "apigen_runtime::json::deserialize(deserializer)"),
    );
    print_impl(
        l,
        "impl apigen_runtime::FromJson",
        name,
        &[],
        &FROM_JSON,
        |l| print_read(l, s, bag, into_default, &literal),
    );
    print_impl(l, "impl std::fmt::Debug", name, &[], &FMT, |l| {
        l.call(
            0,
            "apigen_runtime::model::debug",
            &["self", &literal, "f"],
            "",
        )
    });
    let eq = Signature("fn eq", &["&self", "other: &Self"], " -> bool");
    print_impl(l, "impl std::cmp::PartialEq", name, &[], &eq, |l| {
        l.line(0, "apigen_runtime::model::same(self, other)")
    });
}

/// The impls of a string enum (see [`enumeration`]), printed.
fn print_string_enum_impls(l: &mut Lines, name: &str, e: &Enum, fallback: &str) {
    l.line(0, &format!("impl {name} {{"));
    l.line(1, "/// The value as written on the wire.");
    l.line(1, "#[inline]");
    l.signature(1, "pub fn as_str", &["&self"], " -> &str");
    l.line(2, "match self {");
    for m in &e.members {
        let pat = format!("Self::{}", ident(&m.name));
        l.arm_line(3, &pat, &string_literal(&m.value));
    }
    l.arm(3, &format!("Self::{fallback}(value)"), "value.as_str", &[]);
    l.line(2, "}");
    l.line(1, "}");
    l.line(0, "}");
    let from = Signature("fn from", &["value: &str"], " -> Self");
    print_impl(l, "impl std::convert::From<&str>", name, &[], &from, |l| {
        l.line(0, "match value {");
        for m in &e.members {
            let expr = format!("Self::{}", ident(&m.name));
            l.arm_line(1, &string_literal(&m.value), &expr);
        }
        let fallback = format!("Self::{fallback}");
        l.arm(
            1,
            "other",
            &fallback,
            &["std::string::ToString::to_string(other)"],
        );
        l.line(0, "}");
    });
    let from_str = Signature(
        "fn from_str",
        &["value: &str"],
        " -> Result<Self, Self::Err>",
    );
    let err = ["type Err = std::convert::Infallible;"];
    print_impl(l, "impl std::str::FromStr", name, &err, &from_str, |l| {
        l.line(0, "Ok(Self::from(value))")
    });
    print_impl(l, "impl std::fmt::Display", name, &[], &FMT, |l| {
        l.line(0, "f.write_str(self.as_str())")
    });
    print_impl(l, "impl serde::Serialize", name, &[], &SERIALIZE, |l| {
        l.line(0, "serializer.serialize_str(self.as_str())")
    });
    print_impl(
        l,
        "impl<'de> serde::Deserialize<'de>",
        name,
        &[],
        &DESERIALIZE,
        |l| {
            l.line(
                0,
                "let value = <String as serde::Deserialize>::deserialize(deserializer)?;",
            );
            l.line(0, "Ok(Self::from(value.as_str()))");
        },
    );
    print_impl(
        l,
        "impl apigen_runtime::FromJson",
        name,
        &[],
        &FROM_JSON,
        |l| {
            l.line(0, "Ok(Self::from(apigen_runtime::json::text(&json)?))");
        },
    );
}

/// The body of `Serialize::serialize` of [`struct_serde`], printed.
fn print_write(l: &mut Lines, s: &Struct, bag: Option<&proc_macro2::Ident>) {
    let rows: Vec<(String, String)> = s
        .fields
        .iter()
        .map(|f| {
            let field = ident(&f.name);
            let value = if f.required {
                format!("&apigen_runtime::model::Required(&self.{field})")
            } else {
                format!("&self.{field}")
            };
            (string_literal(&f.api_name), value)
        })
        .collect();
    let rest = match bag {
        Some(bag) => format!("&self.{bag}"),
        None => "&()".to_owned(),
    };
    l.call_table(
        0,
        "apigen_runtime::model::write",
        &["serializer"],
        Table {
            open: "&[",
            rows: &rows,
        },
        &[&rest],
        "",
    );
}

/// The body of `FromJson::from_json` of [`struct_serde`], printed: [`read_into_default`] when
/// `into_default`, else [`read_with_slots`].
fn print_read(
    l: &mut Lines,
    s: &Struct,
    bag: Option<&proc_macro2::Ident>,
    into_default: bool,
    type_name: &str,
) {
    if into_default {
        l.line(0, "let mut value = Self::default();");
    } else {
        for i in 0..s.fields.len() {
            l.line(0, &format!("let mut f{i} = None;"));
        }
        if bag.is_some() {
            l.line(0, "let mut rest = std::collections::BTreeMap::new();");
        }
    }
    let rows: Vec<(String, String)> = by_wire_name(s)
        .into_iter()
        .map(|(i, f)| {
            let place = if into_default {
                format!("&mut value.{}", ident(&f.name))
            } else {
                format!("&mut f{i}")
            };
            (string_literal(&f.api_name), place)
        })
        .collect();
    let rest = match bag {
        Some(bag) if into_default => format!("&mut value.{bag}"),
        Some(_) => "&mut rest".to_owned(),
        None => "&mut ()".to_owned(),
    };
    let table = Table {
        open: "&mut [",
        rows: &rows,
    };
    l.call_table(
        0,
        "apigen_runtime::model::read",
        &["json", type_name],
        table,
        &[&rest],
        "?;",
    );
    if into_default {
        l.line(0, "Ok(value)");
        return;
    }
    // Nothing was read into a place: the value is empty.
    if s.fields.is_empty() && bag.is_none() {
        l.line(0, "Ok(Self {})");
        return;
    }
    l.line(0, "Ok(Self {");
    for (i, f) in s.fields.iter().enumerate() {
        if f.required {
            let wire = string_literal(&f.api_name);
            let slot = format!("f{i}");
            let name = ident(&f.name).to_string();
            l.field(
                1,
                &name,
                "apigen_runtime::model::required",
                &[&slot, &wire],
                "?",
            );
        } else {
            l.line(1, &format!("{}: f{i}.unwrap_or_default(),", ident(&f.name)));
        }
    }
    if let Some(bag) = bag {
        l.line(1, &format!("{bag}: rest,"));
    }
    l.line(0, "})");
}

/// The fields of `s` sorted by wire name, as [`apigen_runtime::model::read`] wants
/// them, with their indices.
fn by_wire_name(s: &Struct) -> Vec<(usize, &Field)> {
    let mut fields: Vec<(usize, &Field)> = s.fields.iter().enumerate().collect();
    fields.sort_by(|a, b| a.1.api_name.cmp(&b.1.api_name));
    fields
}

fn field(p: &Printer, api: &Api, facts: &TypeFacts, f: &Field, boxed: bool) -> TokenStream {
    let name = ident(&f.name);
    let mut inner = rust_type(api, &f.ty, facts.models_scope());
    if boxed {
        inner = quote!(Box<#inner>);
    }
    let wire = &f.api_name;
    // Absent optional fields are `None` / `Nullable::Absent` and are not written (see
    // `struct_serde`).
    let ty = match (f.required, f.nullable) {
        (true, false) => inner,
        (true, true) | (false, false) => quote!(Option<#inner>),
        (false, true) => {
            let nullable = facts.nullable();
            quote!(#nullable<#inner>)
        }
    };
    let presence = match (f.required, f.nullable) {
        (true, false) => "required",
        (true, true) => "required, nullable",
        (false, false) => "optional",
        (false, true) => "optional, nullable",
    };
    let read_only = if f.read_only { ", read-only" } else { "" };
    let write_only = if f.write_only { ", write-only" } else { "" };
    let mut notes = vec![format!(
        "Wire: {} ({presence}{read_only}{write_only}).",
        code(wire)
    )];
    if let Some(default) = &f.default {
        notes.push(format!("Default: {}.", code(default)));
    }
    let docs = doc_attrs(p, &f.docs, &notes);
    let deprecated = if f.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    };
    quote! {
        #docs
        #deprecated
        pub #name: #ty,
    }
}

/// `indent`: the column the impls are printed at (see [`struct_serde`]).
fn enumeration(p: &Printer, def: &TypeDef, e: &Enum, indent: usize) -> TokenStream {
    let name = ident(&def.name);
    let docs = type_docs(p, def, &[]);
    let mut scope = NameScope::default();
    for m in &e.members {
        scope.claim(&m.name);
    }
    let fallback = ident(&scope.claim(crate::naming::UNKNOWN_ENUM_VARIANT));
    let variants = e.members.iter().map(|m| {
        let v = ident(&m.name);
        let d = doc_attrs(p, &m.docs, &[format!("Wire value: {}.", code(&m.value))]);
        quote!(#d #v,)
    });
    match e.repr {
        EnumRepr::String => {
            let mut l = Lines::new(indent);
            print_string_enum_impls(&mut l, &name.to_string(), e, &fallback.to_string());
            let impls = p.items(l);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name {
                    #(#variants)*
                    /// A value not known when this crate was generated, kept verbatim.
                    #fallback(String),
                }

                #impls
            }
        }
        EnumRepr::Integer => {
            let to_int = e.members.iter().map(|m| {
                let v = ident(&m.name);
                let n: i64 = m.value.parse().unwrap_or_default();
                quote!(Self::#v => #n,)
            });
            let from_int = e.members.iter().map(|m| {
                let v = ident(&m.name);
                let n: i64 = m.value.parse().unwrap_or_default();
                quote!(#n => Self::#v,)
            });
            quote! {
                #docs
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name {
                    #(#variants)*
                    /// A value not known when this crate was generated, kept verbatim.
                    #fallback(i64),
                }

                impl #name {
                    /// The value as written on the wire.
                    #[inline]
                    pub fn value(self) -> i64 {
                        match self {
                            #(#to_int)*
                            Self::#fallback(value) => value,
                        }
                    }
                }

                impl std::convert::From<i64> for #name {
                    #[inline]
                    fn from(value: i64) -> Self {
                        match value {
                            #(#from_int)*
                            other => Self::#fallback(other),
                        }
                    }
                }

                impl serde::Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_i64(self.value())
                    }
                }

                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = <i64 as serde::Deserialize>::deserialize(deserializer)?;
                        Ok(Self::from(value))
                    }
                }

                impl apigen_runtime::FromJson for #name {
                    #[inline]
                    fn from_json(json: apigen_runtime::Json<'_>) -> Result<Self, apigen_runtime::JsonError> {
                        let value: i64 = apigen_runtime::FromJson::from_json(json)?;
                        Ok(Self::from(value))
                    }
                }
            }
        }
    }
}

fn union(
    p: &Printer,
    api: &Api,
    def: &TypeDef,
    u: &Union,
    id: TypeId,
    layout: &Layout,
) -> TokenStream {
    // A variant whose type may be compiled out is gated like that type (values of it then
    // decode as the fallback variant).
    let vcfg = |v: &crate::ir::UnionVariant| {
        if layout.may_be_absent(id, v.ty) {
            layout.type_cfg(v.ty)
        } else {
            quote!()
        }
    };
    let name = ident(&def.name);
    let docs = type_docs(p, def, &[]);
    let fallback = ident(&u.fallback_name);
    let tag_field = &u.tag_field;
    let variants = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = ident(&api.ty(v.ty).name);
        let tags = v
            .tags
            .iter()
            .map(|t| code(t))
            .collect::<Vec<_>>()
            .join(", ");
        let d = lines_to_attrs(p, &format!("A [`{}`] (tag {tags}).", api.ty(v.ty).name));
        let cfg = vcfg(v);
        quote!(#d #cfg #vname(Box<#ty>),)
    });
    // Encoding: derived variants carry their tag; the declared type is written as it is.
    let ser_arms = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let cfg = vcfg(v);
        match (Some(v.ty) == u.default_variant, v.tags.first()) {
            (false, Some(tag)) => quote! {
                #cfg
                Self::#vname(value) => apigen_runtime::poly::serialize_tagged(&**value, #tag_field, #tag, serializer),
            },
            _ => quote! {
                #cfg
                Self::#vname(value) => serde::Serialize::serialize(&**value, serializer),
            },
        }
    });
    let normalize = |t: &str| -> String {
        if u.odata_tags {
            t.strip_prefix('#').unwrap_or(t).to_owned()
        } else {
            t.to_owned()
        }
    };
    // A value without a tag is the default variant (else the fallback); when that variant has
    // a tag and no cfg of its own, the two share one arm (`None | Some("base") => ...`).
    let default = u
        .default_variant
        .and_then(|d| u.variants.iter().find(|v| v.ty == d));
    let share_none = default.filter(|v| vcfg(v).is_empty() && !v.tags.is_empty());
    let mut seen = std::collections::BTreeSet::new();
    let shared = std::cell::Cell::new(false);
    let shared = &shared;
    let de_arms: Vec<TokenStream> = u
        .variants
        .iter()
        .flat_map(|v| {
            let vname = ident(&v.name);
            let cfg = vcfg(v);
            let none = share_none.is_some_and(|d| d.ty == v.ty);
            v.tags
                .iter()
                .map(|t| normalize(t))
                .filter(|t| seen.insert(t.clone()))
                .enumerate()
                .map(move |(i, t)| {
                    let pattern = if none && i == 0 {
                        shared.set(true);
                        quote!(None | Some(#t))
                    } else {
                        quote!(Some(#t))
                    };
                    quote!(#cfg #pattern => Self::#vname(apigen_runtime::FromJson::from_json(json)?),)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let missing = match (default, shared.get()) {
        (_, true) => quote!(),
        (Some(v), false) => {
            let vname = ident(&v.name);
            quote!(None => Self::#vname(apigen_runtime::FromJson::from_json(json)?),)
        }
        (None, false) => {
            quote!(None => Self::#fallback(json.into()),)
        }
    };
    let tag_expr = if u.odata_tags {
        quote!(
            tag.as_deref()
                .map(apigen_runtime::poly::normalize_odata_type)
        )
    } else {
        quote!(tag.as_deref())
    };
    let from_impls = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = ident(&api.ty(v.ty).name);
        let cfg = vcfg(v);
        quote! {
            #cfg
            impl std::convert::From<#ty> for #name {
                #[inline]
                fn from(value: #ty) -> Self {
                    Self::#vname(Box::new(value))
                }
            }
        }
    });
    let wire_form = wire_form_impls(&name, def.name.trim_start_matches("r#"));
    let deserialize = deserialize_via_from_json(&name);
    quote! {
        #docs
        #[derive(Clone)]
        pub enum #name {
            #(#variants)*
            /// A value whose type tag this crate does not know, kept as raw JSON so it is sent
            /// back unchanged.
            #fallback(serde_json::Value),
        }

        #wire_form

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms)*
                    Self::#fallback(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }

        #deserialize

        impl apigen_runtime::FromJson for #name {
            #[inline]
            fn from_json(json: apigen_runtime::Json<'_>) -> Result<Self, apigen_runtime::JsonError> {
                let tag = apigen_runtime::poly::tag(&json, #tag_field);
                Ok(match #tag_expr {
                    #missing
                    #(#de_arms)*
                    Some(_) => Self::#fallback(json.into()),
                })
            }
        }

        #(#from_impls)*
    }
}

fn untagged(
    p: &Printer,
    api: &Api,
    facts: &TypeFacts,
    id: TypeId,
    def: &TypeDef,
    u: &Untagged,
) -> TokenStream {
    let name = ident(&def.name);
    let docs = type_docs(
        p,
        def,
        &["Decoded as the first variant the value fits.".to_owned()],
    );
    let variants = u.variants.iter().enumerate().map(|(i, v)| {
        let vname = ident(&v.name);
        let mut ty = rust_type(api, &v.ty, facts.models_scope());
        if facts.boxed.contains(&(id, usize::MAX - 1 - i)) {
            ty = quote!(Box<#ty>);
        }
        quote!(#vname(#ty),)
    });
    // The first variant the value fits: each but the last is tried on a copy.
    let last = u.variants.len().saturating_sub(1);
    let tries = u.variants.iter().enumerate().map(|(i, v)| {
        let vname = ident(&v.name);
        if i < last {
            quote! {
                if let Ok(value) = apigen_runtime::FromJson::from_json(json.clone()) {
                    return Ok(Self::#vname(value));
                }
            }
        } else {
            quote! {
                if let Ok(value) = apigen_runtime::FromJson::from_json(json) {
                    return Ok(Self::#vname(value));
                }
            }
        }
    });
    let deserialize = deserialize_via_from_json(&name);
    let no_match = format!(
        "data did not match any variant of untagged enum {}",
        def.name.trim_start_matches("r#")
    );
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
        }

        #deserialize

        impl apigen_runtime::FromJson for #name {
            #[inline]
            fn from_json(json: apigen_runtime::Json<'_>) -> Result<Self, apigen_runtime::JsonError> {
                #(#tries)*
                Err(apigen_runtime::JsonError::new(#no_match))
            }
        }
    }
}

fn flags(p: &Printer, api: &Api, def: &TypeDef, member: TypeId) -> TokenStream {
    let name = ident(&def.name);
    let member_name = ident(&api.ty(member).name);
    let docs = type_docs(
        p,
        def,
        &[format!(
            "A set of [`{}`] values, written comma-separated on the wire (`a,b`).",
            api.ty(member).name
        )],
    );
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
        pub struct #name(pub Vec<#member_name>);

        impl #name {
            /// Whether `flag` is set.
            #[inline]
            pub fn contains(&self, flag: &#member_name) -> bool {
                self.0.contains(flag)
            }

            /// The values of the wire form `a,b`.
            #[inline]
            fn from_wire(text: &str) -> Self {
                text.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(#member_name::from)
                    .collect()
            }
        }

        impl std::iter::FromIterator<#member_name> for #name {
            fn from_iter<I: std::iter::IntoIterator<Item = #member_name>>(iter: I) -> Self {
                Self(iter.into_iter().collect())
            }
        }

        /// The wire form: the values' names separated by `,`.
        impl std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                for (i, flag) in self.0.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    f.write_str(flag.as_str())?;
                }
                Ok(())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from_wire(&text))
            }
        }

        impl apigen_runtime::FromJson for #name {
            #[inline]
            fn from_json(json: apigen_runtime::Json<'_>) -> Result<Self, apigen_runtime::JsonError> {
                Ok(Self::from_wire(apigen_runtime::json::text(&json)?))
            }
        }
    }
}

fn responses(p: &Printer, api: &Api, def: &TypeDef, variants: &[StatusVariant]) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(p, &def.docs, &[]);
    let status_text = |s: &StatusMatch| match s {
        StatusMatch::Code(c) => c.to_string(),
        StatusMatch::Range(r) => format!("{r}XX"),
        StatusMatch::Default => "default".to_owned(),
    };
    let items = variants.iter().map(|v| {
        let vname = ident(&v.name);
        let d = doc_attrs(
            p,
            &v.docs,
            &[format!("Status `{}`.", status_text(&v.status))],
        );
        match &v.body {
            ResponseBody::Empty => quote!(#d #vname,),
            body => {
                let (ty, _) = crate::emit::client::body_decoder(api, body, Scope::Models);
                quote!(#d #vname(#ty),)
            }
        }
    });
    let arm = |v: &StatusVariant| {
        let vname = ident(&v.name);
        match &v.body {
            ResponseBody::Empty => quote!(Ok(Self::#vname)),
            body => {
                let (_, decode) = crate::emit::client::body_decoder(api, body, Scope::Models);
                quote!(#decode(meta, body).map(Self::#vname))
            }
        }
    };
    let exact = variants.iter().filter_map(|v| match v.status {
        StatusMatch::Code(c) => {
            let a = arm(v);
            let c = proc_macro2::Literal::u16_unsuffixed(c);
            Some(quote!(#c => #a,))
        }
        _ => None,
    });
    let fallback = variants
        .iter()
        .find(|v| !matches!(v.status, StatusMatch::Code(_)))
        .or_else(|| {
            variants
                .iter()
                .find(|v| !matches!(v.body, ResponseBody::Empty))
        })
        .or(variants.first())
        .map(arm)
        .unwrap_or_else(|| {
            quote!(apigen_runtime::decode::empty(meta, body).map(|()| unreachable!()))
        });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#items)*
        }

        impl #name {
            /// Decode a successful response by its status (the client calls this).
            #[inline]
            pub fn decode(
                meta: &apigen_runtime::decode::ResponseMeta,
                body: apigen_runtime::Bytes,
            ) -> apigen_runtime::Result<Self> {
                match meta.status.as_u16() {
                    #(#exact)*
                    _ => #fallback,
                }
            }
        }
    }
}
