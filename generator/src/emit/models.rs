//! Models: structs, enums, polymorphic unions, untagged unions and aliases.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::{code, doc_attrs, lines_to_attrs};
use crate::emit::types::{Scope, TypeFacts, ident, rust_type};
use crate::ir::{
    Additional, Api, Enum, EnumRepr, Field, ResponseBody, StatusMatch, StatusVariant, Struct,
    TypeDef, TypeId, TypeKind, Union, Untagged,
};
use crate::naming::NameScope;

/// Every model of `api`, sorted by Rust name so the order does not depend on the description's.
pub fn models(api: &Api, facts: &TypeFacts, ids: &[TypeId]) -> TokenStream {
    let mut sorted: Vec<TypeId> = ids.to_vec();
    sorted.sort_by(|a, b| api.ty(*a).name.cmp(&api.ty(*b).name));
    let items = sorted.iter().map(|&id| model(api, facts, id));
    quote!(#(#items)*)
}

fn model(api: &Api, facts: &TypeFacts, id: TypeId) -> TokenStream {
    let def = api.ty(id);
    match &def.kind {
        TypeKind::Struct(s) => structure(api, facts, id, def, s),
        TypeKind::Enum(e) => enumeration(def, e),
        TypeKind::Union(u) => union(api, def, u),
        TypeKind::Untagged(u) => untagged(api, facts, id, def, u),
        TypeKind::Flags(member) => flags(api, def, *member),
        TypeKind::Responses(variants) => responses(api, def, variants),
        TypeKind::External(path) => {
            let name = ident(&def.name);
            let docs = type_docs(
                def,
                &["Mapped to an existing Rust type by the generator's configuration.".to_owned()],
            );
            let path: TokenStream = syn::parse_str::<syn::Type>(path)
                .map(|t| quote!(#t))
                .unwrap_or_else(|_| quote!(::serde_json::Value));
            quote! {
                #docs
                pub type #name = #path;
            }
        }
        TypeKind::Alias(t) => {
            let name = ident(&def.name);
            let docs = type_docs(def, &[]);
            let ty = rust_type(api, t, Scope::Models);
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
    }
}

fn type_docs(def: &TypeDef, extra: &[String]) -> TokenStream {
    let mut extra: Vec<String> = extra.to_vec();
    extra.push(format!("Wire name: {}.", code(&def.api_name)));
    let mut attrs = doc_attrs(&def.docs, &extra);
    if def.deprecated {
        attrs.extend(quote!(#[deprecated]));
    }
    attrs
}

fn structure(api: &Api, facts: &TypeFacts, id: TypeId, def: &TypeDef, s: &Struct) -> TokenStream {
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
    let docs = type_docs(def, &extra);
    let mut scope = NameScope::default();
    for f in &s.fields {
        scope.claim(&f.name);
    }
    let fields = s
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| field(api, f, facts.boxed.contains(&(id, i))));
    let bag_name = ident(&scope.claim("additional_properties"));
    let bag = match &s.additional {
        Additional::Keep => quote! {
            /// Properties not declared in the API description, kept so that a value read from
            /// the service and sent back loses nothing.
            #[serde(flatten)]
            pub #bag_name: ::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>,
        },
        Additional::Typed(t) => {
            let t = rust_type(api, t, Scope::Models);
            quote! {
                /// Additional properties (the description allows any name with this value type).
                #[serde(flatten)]
                pub #bag_name: ::std::collections::BTreeMap<::std::string::String, #t>,
            }
        }
        Additional::Forbid => quote!(),
    };
    let default = if facts.default.contains(&id) {
        quote!(Default,)
    } else {
        quote!()
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #(#fields)*
            #bag
        }
    }
}

fn field(api: &Api, f: &Field, boxed: bool) -> TokenStream {
    let name = ident(&f.name);
    let mut inner = rust_type(api, &f.ty, Scope::Models);
    if boxed {
        inner = quote!(::std::boxed::Box<#inner>);
    }
    let wire = &f.api_name;
    let mut serde: Vec<TokenStream> = Vec::new();
    if f.name.strip_prefix("r#").unwrap_or(&f.name) != wire {
        serde.push(quote!(rename = #wire));
    }
    let ty = match (f.required, f.nullable) {
        (true, false) => inner,
        (true, true) => quote!(::std::option::Option<#inner>),
        (false, false) => {
            serde.push(quote!(default));
            serde.push(quote!(
                skip_serializing_if = "::std::option::Option::is_none"
            ));
            quote!(::std::option::Option<#inner>)
        }
        (false, true) => {
            serde.push(quote!(default));
            serde.push(quote!(
                skip_serializing_if = "::apigen_runtime::Nullable::is_absent"
            ));
            quote!(::apigen_runtime::Nullable<#inner>)
        }
    };
    let serde_attr = if serde.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#(#serde),*)])
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
    let docs = doc_attrs(&f.docs, &notes);
    let deprecated = if f.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    };
    quote! {
        #docs
        #deprecated
        #serde_attr
        pub #name: #ty,
    }
}

fn enumeration(def: &TypeDef, e: &Enum) -> TokenStream {
    let name = ident(&def.name);
    let docs = type_docs(def, &[]);
    let mut scope = NameScope::default();
    for m in &e.members {
        scope.claim(&m.name);
    }
    let fallback = ident(&scope.claim("UnknownValue"));
    let variants = e.members.iter().map(|m| {
        let v = ident(&m.name);
        let d = doc_attrs(&m.docs, &[format!("Wire value: {}.", code(&m.value))]);
        quote!(#d #v,)
    });
    match e.repr {
        EnumRepr::String => {
            let to_str = e.members.iter().map(|m| {
                let v = ident(&m.name);
                let s = &m.value;
                quote!(Self::#v => #s,)
            });
            let from_str = e.members.iter().map(|m| {
                let v = ident(&m.name);
                let s = &m.value;
                quote!(#s => Self::#v,)
            });
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name {
                    #(#variants)*
                    /// A value not known when this crate was generated, kept verbatim.
                    #fallback(::std::string::String),
                }

                impl #name {
                    /// The value as written on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #(#to_str)*
                            Self::#fallback(value) => value.as_str(),
                        }
                    }
                }

                impl ::std::convert::From<&str> for #name {
                    fn from(value: &str) -> Self {
                        match value {
                            #(#from_str)*
                            other => Self::#fallback(::std::string::ToString::to_string(other)),
                        }
                    }
                }

                impl ::std::str::FromStr for #name {
                    type Err = ::std::convert::Infallible;
                    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                        ::std::result::Result::Ok(Self::from(value))
                    }
                }

                impl ::std::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }

                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        serializer.serialize_str(self.as_str())
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                        ::std::result::Result::Ok(Self::from(value.as_str()))
                    }
                }
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
                    pub fn value(self) -> i64 {
                        match self {
                            #(#to_int)*
                            Self::#fallback(value) => value,
                        }
                    }
                }

                impl ::std::convert::From<i64> for #name {
                    fn from(value: i64) -> Self {
                        match value {
                            #(#from_int)*
                            other => Self::#fallback(other),
                        }
                    }
                }

                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        serializer.serialize_i64(self.value())
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        let value = <i64 as ::serde::Deserialize>::deserialize(deserializer)?;
                        ::std::result::Result::Ok(Self::from(value))
                    }
                }
            }
        }
    }
}

fn union(api: &Api, def: &TypeDef, u: &Union) -> TokenStream {
    let name = ident(&def.name);
    let docs = type_docs(def, &[]);
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
        let d = lines_to_attrs(&format!("A [`{}`] (tag {tags}).", api.ty(v.ty).name));
        quote!(#d #vname(::std::boxed::Box<#ty>),)
    });
    // Encoding: derived variants carry their tag; the declared type is written as it is.
    let ser_arms = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        match (Some(v.ty) == u.default_variant, v.tags.first()) {
            (false, Some(tag)) => quote! {
                Self::#vname(value) => ::apigen_runtime::poly::serialize_tagged(&**value, #tag_field, #tag, serializer),
            },
            _ => quote! {
                Self::#vname(value) => ::serde::Serialize::serialize(&**value, serializer),
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
    let mut seen = std::collections::BTreeSet::new();
    let de_arms: Vec<TokenStream> = u
        .variants
        .iter()
        .flat_map(|v| {
            let vname = ident(&v.name);
            v.tags
                .iter()
                .map(|t| normalize(t))
                .filter(|t| seen.insert(t.clone()))
                .map(move |t| {
                    quote!(::std::option::Option::Some(#t) => Self::#vname(::serde_json::from_value(value)?),)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let missing = match u
        .default_variant
        .and_then(|d| u.variants.iter().find(|v| v.ty == d))
    {
        Some(v) => {
            let vname = ident(&v.name);
            quote!(::std::option::Option::None => Self::#vname(::serde_json::from_value(value)?),)
        }
        None => quote!(::std::option::Option::None => Self::#fallback(value),),
    };
    let tag_expr = if u.odata_tags {
        quote!(tag.map(::apigen_runtime::poly::normalize_odata_type))
    } else {
        quote!(tag)
    };
    let from_impls = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = ident(&api.ty(v.ty).name);
        quote! {
            impl ::std::convert::From<#ty> for #name {
                fn from(value: #ty) -> Self {
                    Self::#vname(::std::boxed::Box::new(value))
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
            /// A value whose type tag this crate does not know, kept as raw JSON so it is sent
            /// back unchanged.
            #fallback(::serde_json::Value),
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms)*
                    Self::#fallback(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::apigen_runtime::poly::deserialize_tagged(deserializer, #tag_field, |tag, value| {
                    ::std::result::Result::Ok(match #tag_expr {
                        #missing
                        #(#de_arms)*
                        ::std::option::Option::Some(_) => Self::#fallback(value),
                    })
                })
            }
        }

        #(#from_impls)*
    }
}

fn untagged(api: &Api, facts: &TypeFacts, id: TypeId, def: &TypeDef, u: &Untagged) -> TokenStream {
    let name = ident(&def.name);
    let docs = type_docs(
        def,
        &["Decoded as the first variant the value fits.".to_owned()],
    );
    let variants = u.variants.iter().enumerate().map(|(i, v)| {
        let vname = ident(&v.name);
        let mut ty = rust_type(api, &v.ty, Scope::Models);
        if facts.boxed.contains(&(id, usize::MAX - 1 - i)) {
            ty = quote!(::std::boxed::Box<#ty>);
        }
        quote!(#vname(#ty),)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
        }
    }
}

fn flags(api: &Api, def: &TypeDef, member: TypeId) -> TokenStream {
    let name = ident(&def.name);
    let member_name = ident(&api.ty(member).name);
    let docs = type_docs(
        def,
        &[format!(
            "A set of [`{}`] values, written comma-separated on the wire (`a,b`).",
            api.ty(member).name
        )],
    );
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
        pub struct #name(pub ::std::vec::Vec<#member_name>);

        impl #name {
            /// Whether `flag` is set.
            pub fn contains(&self, flag: &#member_name) -> bool {
                self.0.contains(flag)
            }
        }

        impl ::std::iter::FromIterator<#member_name> for #name {
            fn from_iter<I: ::std::iter::IntoIterator<Item = #member_name>>(iter: I) -> Self {
                Self(iter.into_iter().collect())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                let text = self.0.iter().map(|f| f.as_str()).collect::<::std::vec::Vec<_>>().join(",");
                serializer.serialize_str(&text)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let text = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(
                    text.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(#member_name::from)
                        .collect(),
                )
            }
        }
    }
}

fn responses(api: &Api, def: &TypeDef, variants: &[StatusVariant]) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&def.docs, &[]);
    let status_text = |s: &StatusMatch| match s {
        StatusMatch::Code(c) => c.to_string(),
        StatusMatch::Range(r) => format!("{r}XX"),
        StatusMatch::Default => "default".to_owned(),
    };
    let items = variants.iter().map(|v| {
        let vname = ident(&v.name);
        let d = doc_attrs(&v.docs, &[format!("Status `{}`.", status_text(&v.status))]);
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
            ResponseBody::Empty => quote!(::std::result::Result::Ok(Self::#vname)),
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
            quote!(::apigen_runtime::decode::empty(meta, body).map(|()| unreachable!()))
        });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#items)*
        }

        impl #name {
            /// Decode a successful response by its status (the client calls this).
            pub fn decode(
                meta: &::apigen_runtime::decode::ResponseMeta,
                body: ::apigen_runtime::Bytes,
            ) -> ::apigen_runtime::Result<Self> {
                match meta.status.as_u16() {
                    #(#exact)*
                    _ => #fallback,
                }
            }
        }
    }
}
