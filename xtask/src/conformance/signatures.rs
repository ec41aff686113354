//! The Rust signatures of a generated crate's operations, read from its source with `syn`: the
//! caller is written against what the crate really offers, not against what the generator
//! meant to write.

use std::collections::BTreeMap;

use quote::ToTokens;

/// How an argument is passed, and the owned type a value for it is decoded into.
#[derive(Debug, Clone, PartialEq)]
pub enum Pass {
    /// `&str`: a `String`, borrowed.
    Str,
    /// `&T`: a `T`, borrowed.
    Ref(String),
    /// `&[T]`: a `Vec<T>`, borrowed.
    Slice(String),
    /// `Option<&T>`.
    OptRef(String),
    /// `Option<&[T]>`: a `Vec<T>`, borrowed as a slice.
    OptSlice(String),
    /// `T` by value.
    Value(String),
    /// `impl Into<String>`.
    IntoString,
    /// `impl Into<Bytes>`.
    IntoBytes,
    /// `&multipart::Form`.
    Multipart,
    /// `Option<&multipart::Form>`.
    OptMultipart,
}

/// One argument (or setter argument).
#[derive(Debug, Clone)]
pub struct Arg {
    /// The Rust argument name as written (without `r#`).
    pub name: String,
    pub pass: Pass,
}

/// A generated client method, and the setters of the request type it returns.
#[derive(Debug, Clone, Default)]
pub struct Method {
    pub args: Vec<Arg>,
    /// Setter name -> its one argument.
    pub setters: BTreeMap<String, Arg>,
}

/// Reads every `.rs` file of the crate: the methods of `Client`, by name.
pub fn read(files: &BTreeMap<String, String>) -> Result<BTreeMap<String, Method>, String> {
    let mut methods: BTreeMap<String, (Vec<Arg>, Option<String>)> = BTreeMap::new();
    // Self type key (alias or marker) -> setters.
    let mut impls: BTreeMap<String, BTreeMap<String, Arg>> = BTreeMap::new();
    // Request alias -> marker.
    let mut aliases: BTreeMap<String, String> = BTreeMap::new();
    for (path, text) in files {
        if !path.ends_with(".rs") {
            continue;
        }
        let file = syn::parse_file(text).map_err(|e| format!("{path}: {e}"))?;
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
                        let args: Vec<Arg> = f
                            .sig
                            .inputs
                            .iter()
                            .filter_map(|a| match a {
                                syn::FnArg::Typed(t) => Some(Arg {
                                    name: unraw(&t.pat.to_token_stream().to_string()),
                                    pass: pass(&t.ty),
                                }),
                                syn::FnArg::Receiver(_) => None,
                            })
                            .collect();
                        if key == "Client" {
                            let ret = match &f.sig.output {
                                syn::ReturnType::Type(_, t) => last_ident(t),
                                syn::ReturnType::Default => None,
                            };
                            methods.insert(name, (args, ret));
                        } else if args.len() == 1 {
                            impls
                                .entry(key.clone())
                                .or_default()
                                .insert(name, args.into_iter().next().expect("one"));
                        }
                    }
                }
                syn::Item::Type(t) => {
                    if let Some(marker) = operation_request_marker(&t.ty) {
                        aliases.insert(t.ident.to_string(), marker);
                    }
                }
                _ => {}
            }
        }
    }
    Ok(methods
        .into_iter()
        .map(|(name, (args, ret))| {
            let mut setters = BTreeMap::new();
            if let Some(ret) = ret {
                for key in [Some(ret.clone()), aliases.get(&ret).cloned()]
                    .into_iter()
                    .flatten()
                {
                    if let Some(s) = impls.get(&key) {
                        setters.extend(s.clone());
                    }
                }
            }
            (name, Method { args, setters })
        })
        .collect())
}

fn unraw(s: &str) -> String {
    s.strip_prefix("r#").unwrap_or(s).to_owned()
}

fn last_ident(t: &syn::Type) -> Option<String> {
    match t {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `OperationRequest<Marker, R>` -> `Marker`; any other path -> its last segment.
fn self_key(t: &syn::Type) -> Option<String> {
    operation_request_marker(t).or_else(|| last_ident(t))
}

fn operation_request_marker(t: &syn::Type) -> Option<String> {
    let syn::Type::Path(p) = t else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "OperationRequest" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(a) = &last.arguments else {
        return None;
    };
    match a.args.first()? {
        syn::GenericArgument::Type(t) => last_ident(t),
        _ => None,
    }
}

fn text(t: &impl ToTokens) -> String {
    t.to_token_stream()
        .to_string()
        .replace("crate ::", "sdk ::")
}

fn pass(t: &syn::Type) -> Pass {
    match t {
        syn::Type::Reference(r) => match &*r.elem {
            syn::Type::Path(p) if p.path.is_ident("str") => Pass::Str,
            syn::Type::Slice(s) => Pass::Slice(text(&s.elem)),
            elem if last_ident(elem).as_deref() == Some("Form")
                && text(elem).contains("multipart") =>
            {
                Pass::Multipart
            }
            elem => Pass::Ref(text(elem)),
        },
        syn::Type::ImplTrait(i) => {
            if text(i).contains("Bytes") {
                Pass::IntoBytes
            } else {
                Pass::IntoString
            }
        }
        syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option") => {
            let syn::PathArguments::AngleBracketed(a) =
                &p.path.segments.last().expect("last").arguments
            else {
                return Pass::Value(text(t));
            };
            match a.args.first() {
                Some(syn::GenericArgument::Type(syn::Type::Reference(r))) => {
                    let elem = &*r.elem;
                    if last_ident(elem).as_deref() == Some("Form")
                        && text(elem).contains("multipart")
                    {
                        Pass::OptMultipart
                    } else if let syn::Type::Slice(s) = elem {
                        Pass::OptSlice(text(&s.elem))
                    } else {
                        Pass::OptRef(text(elem))
                    }
                }
                _ => Pass::Value(text(t)),
            }
        }
        other => Pass::Value(text(other)),
    }
}
