//! The public surface of a generated crate, read from its source with `syn`: what a user of
//! the crate can name and call. Reading the emitted code (not the IR) is what makes the report
//! about the Rust API users compile against.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;

use crate::ir::{Api, Origin, TypeKind};

/// The public items of one generated crate.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Surface {
    /// `Client` methods by name.
    pub methods: BTreeMap<String, MethodSig>,
    /// Model types (`models::X`) by name.
    pub types: BTreeMap<String, TypeSig>,
    /// Cargo features.
    pub features: BTreeSet<String>,
    /// Public modules of the client (`client::users`, one per area of a split crate).
    pub modules: BTreeSet<String>,
    /// Public types of the client besides `Client`: request aliases and parameter markers.
    pub client_types: BTreeSet<String>,
    /// `Client::DEFAULT_BASE_URL`, when the description is at hand.
    pub base_url: Option<String>,
}

/// A client method.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MethodSig {
    /// Positional arguments (after `&self`): name and type.
    pub args: Vec<(String, String)>,
    /// What awaiting the returned request gives: `Request<models::Pet>`.
    pub returns: String,
    /// Setters of the optional parameters: name -> argument type.
    pub setters: BTreeMap<String, String>,
    /// `GET /pets/{id}`, when the crate's description is at hand.
    pub wire: Option<String>,
    /// The operation's name in the description (`operationId`).
    pub api_name: Option<String>,
    /// Documented error bodies, by status (`404`, `4XX`, `default`): the type a caller decodes
    /// with `StatusError::decode_body`, or `OData error`. When the description is at hand.
    pub errors: BTreeMap<String, String>,
    /// The operation's own server, when it has one and the description is at hand.
    pub server: Option<String>,
}

/// A model type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeSig {
    pub kind: TypeShape,
    /// Marked `#[non_exhaustive]` (`crate.non-exhaustive`).
    pub non_exhaustive: bool,
    /// Its name or pointer in the description, when at hand.
    pub wire: Option<String>,
}

/// What a model type is.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeShape {
    /// A struct: fields in order.
    Struct(Vec<FieldSig>),
    /// An enum of values; `open`: it keeps unknown values (a fallback variant).
    Enum { variants: Vec<String>, open: bool },
    /// A polymorphic or untagged union: its variants.
    Union(Vec<String>),
    /// `pub type X = T;`
    Alias(String),
}

impl TypeShape {
    pub fn kind_name(&self) -> &'static str {
        match self {
            TypeShape::Struct(_) => "struct",
            TypeShape::Enum { .. } => "enum",
            TypeShape::Union(_) => "union",
            TypeShape::Alias(_) => "type alias",
        }
    }
}

/// A struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSig {
    pub name: String,
    pub ty: String,
    /// Its name on the wire, when at hand.
    pub wire: Option<String>,
}

/// The public-surface file a crate can commit (`crate.api-file`).
pub const API_FILE: &str = "api.txt";

impl Surface {
    /// One sorted line per public item, its signature included: what `api.txt` holds.
    pub fn listing(&self) -> String {
        let mut lines: Vec<String> = Vec::new();
        for (name, m) in &self.methods {
            let args: Vec<String> = m.args.iter().map(|(a, t)| format!("{a}: {t}")).collect();
            lines.push(format!(
                "fn Client::{name}({}) -> {}",
                args.join(", "),
                m.returns
            ));
            for (setter, ty) in &m.setters {
                lines.push(format!("fn Client::{name}(..).{setter}({ty})"));
            }
        }
        for (name, t) in &self.types {
            let attr = if t.non_exhaustive {
                "#[non_exhaustive] "
            } else {
                ""
            };
            match &t.kind {
                TypeShape::Struct(fields) => {
                    lines.push(format!("{attr}struct models::{name}"));
                    for f in fields {
                        lines.push(format!("field models::{name}::{}: {}", f.name, f.ty));
                    }
                }
                TypeShape::Enum { variants, .. } => {
                    lines.push(format!("{attr}enum models::{name}"));
                    for v in variants {
                        lines.push(format!("variant models::{name}::{v}"));
                    }
                }
                TypeShape::Union(variants) => {
                    lines.push(format!("{attr}union models::{name}"));
                    for v in variants {
                        lines.push(format!("variant models::{name}::{v}"));
                    }
                }
                TypeShape::Alias(target) => lines.push(format!("type models::{name} = {target}")),
            }
        }
        for f in &self.features {
            lines.push(format!("feature {f}"));
        }
        for m in &self.modules {
            lines.push(format!("mod {m}"));
        }
        for t in &self.client_types {
            lines.push(format!("type client::{t}"));
        }
        lines.sort();
        let mut out = String::from(
            "# The public API of this crate, one item per line (@generated by apigen: crate.api-file).\n",
        );
        for l in lines {
            out.push_str(&l);
            out.push('\n');
        }
        out
    }
}

/// Variants by which an enum keeps values it does not know.
const FALLBACK_VARIANTS: &[&str] = &["UnknownValue", "UnknownFutureValue", "Other", "Unknown"];

impl Surface {
    /// The surface of the crate `files` (path -> text, as [`crate::Generated::files`]); `api`,
    /// the IR it was emitted from, adds wire names. Files that do not parse are skipped (a
    /// crate on disk may have been edited by hand).
    pub fn read(files: &BTreeMap<String, String>, api: Option<&Api>) -> Surface {
        let parsed = files.iter().map(|(path, text)| {
            let file = if path.ends_with(".rs") {
                syn::parse_file(text).ok()
            } else {
                None
            };
            (path.as_str(), file, text.as_str())
        });
        Surface::from_parsed(parsed, api)
    }

    /// The surface of a crate emitted as tokens ([`crate::emit::emit_tokens`]), without
    /// printing it.
    pub fn from_tokens(
        files: BTreeMap<String, crate::emit::Content>,
        api: Option<&Api>,
    ) -> Surface {
        use crate::emit::Content;
        // The tokens are parsed where they are (no copy of a big crate's token trees).
        let mut parsed: Vec<(String, Option<syn::File>, String)> = files
            .into_iter()
            .map(|(path, content)| match content {
                Content::Rust(tokens) => {
                    (path, syn::parse2::<syn::File>(tokens).ok(), String::new())
                }
                Content::Text(text) => (path, None, text),
            })
            .collect();
        let files = parsed
            .iter_mut()
            .map(|(path, file, text)| (path.as_str(), file.take(), text.as_str()));
        Surface::from_parsed(files, api)
    }

    fn from_parsed<'f>(
        files: impl Iterator<Item = (&'f str, Option<syn::File>, &'f str)>,
        api: Option<&Api>,
    ) -> Surface {
        let mut s = Surface::default();
        // Request alias -> (marker, awaited type); setters by alias or marker.
        let mut aliases: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut setters: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        let mut outputs: BTreeMap<String, String> = BTreeMap::new();
        for (path, file, text) in files {
            if path == "Cargo.toml" {
                s.features = features(text);
                continue;
            }
            let Some(file) = file else {
                continue;
            };
            let models = path.starts_with("src/models");
            for item in file.items {
                match item {
                    syn::Item::Impl(imp) if imp.trait_.is_none() => {
                        let Some(key) = self_key(&imp.self_ty) else {
                            continue;
                        };
                        for it in imp.items {
                            let syn::ImplItem::Fn(f) = it else { continue };
                            if !matches!(f.vis, syn::Visibility::Public(_)) {
                                continue;
                            }
                            let name = unraw(&f.sig.ident.to_string());
                            let args: Vec<(String, String)> = f
                                .sig
                                .inputs
                                .iter()
                                .filter_map(|a| match a {
                                    syn::FnArg::Typed(t) => {
                                        Some((unraw(&text_of(&t.pat)), text_of(&t.ty)))
                                    }
                                    syn::FnArg::Receiver(_) => None,
                                })
                                .collect();
                            let output = match &f.sig.output {
                                syn::ReturnType::Type(_, t) => text_of(t),
                                syn::ReturnType::Default => "()".into(),
                            };
                            if key == "Client" {
                                outputs.insert(name.clone(), output.clone());
                                s.methods.insert(
                                    name,
                                    MethodSig {
                                        args,
                                        returns: output,
                                        ..MethodSig::default()
                                    },
                                );
                            } else if !models && args.len() == 1 && output == "Self" {
                                let (_, ty) = args.into_iter().next().expect("one argument");
                                setters.entry(key.clone()).or_default().insert(name, ty);
                            }
                        }
                    }
                    syn::Item::Mod(m) if !models && is_pub(&m.vis) => {
                        s.modules
                            .insert(format!("client::{}", unraw(&m.ident.to_string())));
                    }
                    syn::Item::Enum(e) if !models && is_pub(&e.vis) => {
                        s.client_types.insert(e.ident.to_string());
                    }
                    syn::Item::Type(t) if matches!(t.vis, syn::Visibility::Public(_)) => {
                        let name = t.ident.to_string();
                        if let Some(pair) = operation_request(&t.ty) {
                            s.client_types.insert(name.clone());
                            aliases.insert(name, pair);
                        } else if models {
                            s.types.insert(
                                name,
                                TypeSig {
                                    kind: TypeShape::Alias(text_of(&t.ty)),
                                    non_exhaustive: false,
                                    wire: None,
                                },
                            );
                        }
                    }
                    syn::Item::Struct(st) if models && is_pub(&st.vis) => {
                        let fields = st
                            .fields
                            .iter()
                            .filter(|f| is_pub(&f.vis))
                            .filter_map(|f| {
                                Some(FieldSig {
                                    name: unraw(&f.ident.as_ref()?.to_string()),
                                    ty: text_of(&f.ty),
                                    wire: None,
                                })
                            })
                            .collect();
                        s.types.insert(
                            st.ident.to_string(),
                            TypeSig {
                                kind: TypeShape::Struct(fields),
                                non_exhaustive: has_non_exhaustive(&st.attrs),
                                wire: None,
                            },
                        );
                    }
                    syn::Item::Enum(e) if models && is_pub(&e.vis) => {
                        let variants: Vec<String> =
                            e.variants.iter().map(|v| v.ident.to_string()).collect();
                        let tuple = e
                            .variants
                            .iter()
                            .any(|v| matches!(v.fields, syn::Fields::Unnamed(_)));
                        let open = variants
                            .iter()
                            .any(|v| FALLBACK_VARIANTS.contains(&v.as_str()));
                        let kind = if tuple && !open {
                            TypeShape::Union(variants)
                        } else {
                            TypeShape::Enum { variants, open }
                        };
                        let non_exhaustive = has_non_exhaustive(&e.attrs);
                        s.types.insert(
                            e.ident.to_string(),
                            TypeSig {
                                kind,
                                non_exhaustive,
                                wire: None,
                            },
                        );
                    }
                    _ => {}
                }
            }
        }
        // A method returning a request alias: what it awaits, and the setters of the alias
        // and of its marker.
        for (name, m) in &mut s.methods {
            let output = &outputs[name];
            if let Some((marker, inner)) = aliases.get(output) {
                m.returns = inner.clone();
                for key in [output, marker] {
                    if let Some(found) = setters.get(key) {
                        m.setters.extend(found.clone());
                    }
                }
            }
        }
        if let Some(api) = api {
            s.add_wire_names(api);
        }
        s
    }

    /// Wire names from the IR the crate was emitted from.
    fn add_wire_names(&mut self, api: &Api) {
        self.base_url.clone_from(&api.base_url);
        for op in &api.operations {
            if let Some(m) = self.methods.get_mut(op.name.trim_start_matches("r#")) {
                m.wire = Some(format!("{} {}", op.method.as_str(), op.path));
                m.api_name = Some(op.api_name.clone());
                m.server.clone_from(&op.server);
                for r in op.responses.iter().filter(|r| !r.status.is_success()) {
                    let status = match &r.status {
                        crate::ir::StatusMatch::Code(c) => c.to_string(),
                        crate::ir::StatusMatch::Range(n) => format!("{n}XX"),
                        crate::ir::StatusMatch::Default => "default".to_owned(),
                    };
                    let ty = match &r.body {
                        crate::ir::ResponseBody::Json(t)
                        | crate::ir::ResponseBody::ODataValue(t) => {
                            text_of(&crate::emit::types::rust_type(
                                api,
                                t,
                                crate::emit::types::Scope::Crate,
                            ))
                        }
                        crate::ir::ResponseBody::ODataError => "OData error".to_owned(),
                        crate::ir::ResponseBody::Text => "text".to_owned(),
                        crate::ir::ResponseBody::Binary => "bytes".to_owned(),
                        crate::ir::ResponseBody::Empty => "no body".to_owned(),
                    };
                    m.errors.insert(status, ty);
                }
            }
        }
        for def in &api.types {
            let Some(t) = self.types.get_mut(&def.name) else {
                continue;
            };
            if !matches!(def.origin, Origin::Synthesized(_)) {
                t.wire = Some(def.api_name().to_owned());
            }
            // Unions are told apart from enums by what they are in the description.
            if let (TypeShape::Enum { variants, .. }, TypeKind::Union(_) | TypeKind::Untagged(_)) =
                (&t.kind, &def.kind)
            {
                t.kind = TypeShape::Union(variants.clone());
            }
            if let (TypeShape::Struct(fields), TypeKind::Struct(s)) = (&mut t.kind, &def.kind) {
                for f in fields {
                    if let Some(ir) = s
                        .fields
                        .iter()
                        .find(|x| x.name.trim_start_matches("r#") == f.name)
                    {
                        f.wire = Some(ir.api_name.clone());
                    }
                }
            }
        }
    }
}

fn has_non_exhaustive(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

fn is_pub(v: &syn::Visibility) -> bool {
    matches!(v, syn::Visibility::Public(_))
}

fn unraw(s: &str) -> String {
    s.strip_prefix("r#").unwrap_or(s).to_owned()
}

/// Tokens as compact Rust text: `&[models::Pet]`, `Option<String>`.
pub fn text_of(t: &impl ToTokens) -> String {
    let raw = t.to_token_stream().to_string();
    let mut out = String::with_capacity(raw.len());
    let mut prev: Option<char> = None;
    let chars: Vec<char> = raw.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let before = prev.unwrap_or(' ');
            let after = chars.get(i + 1).copied().unwrap_or(' ');
            let glue_before = matches!(before, ':' | '<' | '&' | '(' | '[' | '\'');
            let glue_after = matches!(after, ':' | '<' | '>' | ',' | ')' | ']');
            if glue_before || glue_after {
                continue;
            }
        }
        out.push(c);
        prev = Some(c);
    }
    // A printed file may wrap long generic arguments with a trailing comma (`Option<T,>`);
    // crates written before models imported `Nullable`, `BTreeMap` and the date and time
    // wrappers name them by path.
    out.replace("crate::", "")
        .replace(",>", ">")
        .replace(",)", ")")
        .replace("apigen_runtime::Nullable<", "Nullable<")
        .replace("std::collections::BTreeMap<", "BTreeMap<")
        .replace("apigen_runtime::types::", "")
}

/// `OperationRequest<Marker, R>` -> `OperationRequest`'s marker; any other path -> its last
/// segment.
fn self_key(t: &syn::Type) -> Option<String> {
    operation_request(t)
        .map(|(marker, _)| marker)
        .or_else(|| last_ident(t))
}

fn last_ident(t: &syn::Type) -> Option<String> {
    match t {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `crate::client::OperationRequest<Marker, R>` -> (`Marker`, `R` as text).
fn operation_request(t: &syn::Type) -> Option<(String, String)> {
    let syn::Type::Path(p) = t else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "OperationRequest" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(a) = &last.arguments else {
        return None;
    };
    let mut args = a.args.iter();
    let marker = match args.next()? {
        syn::GenericArgument::Type(t) => last_ident(t)?,
        _ => return None,
    };
    let inner = match args.next()? {
        syn::GenericArgument::Type(t) => text_of(t),
        _ => return None,
    };
    Some((marker, inner))
}

/// The features of a generated `Cargo.toml` (the keys of its `[features]` table).
fn features(manifest: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut in_features = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_features = line == "[features]";
            continue;
        }
        if in_features
            && !line.starts_with('#')
            && let Some((key, _)) = line.split_once('=')
        {
            out.insert(key.trim().trim_matches('"').to_owned());
        }
    }
    out
}
