//! The `Client` type and one method per operation.

use proc_macro2::{Spacing, TokenStream, TokenTree};
use quote::quote;

use crate::emit::docs::{code, doc_attrs, lines_to_attrs, sanitize};
use crate::format::Printer;
use std::collections::BTreeSet;

use crate::emit::layout::{Layout, Marker, WrapperNames};
use crate::emit::plan::{OpPlan, Scalar, Value};
use crate::emit::servers;
use crate::emit::types::{Scope, ident, primitive, rust_type};
use crate::ir::{
    Api, AuthScheme, BodyEncoding, Method, ODataOptions, Operation, Paging, Param, ParamLocation,
    ParamStyle, PartKind, ResponseBody, Returns, StatusMatch, TypeKind, TypeRef,
};

/// The `Client` type with its constructors, and `methods` (operation methods from
/// [`operation_items`]) in the same `impl` block. Split crates pass no methods and add them per
/// area with [`operations`].
pub fn client_core(
    p: &Printer,
    api: &Api,
    base_url: Option<&str>,
    base_urls: &[(String, String)],
    methods: &[TokenStream],
) -> TokenStream {
    let title = if api.title.trim().is_empty() {
        "the API"
    } else {
        api.title.trim()
    };
    let mut doc_lines = vec![format!("Client for {}.", sanitize(title))];
    doc_lines.push(
        "Cheap to clone; every method returns a request that is sent when awaited. A paged \
         operation returns a [paged request](apigen_runtime::PagedRequest): await it for the \
         first page, or follow the next links with `.pages()` / `.items()`."
            .to_owned(),
    );
    doc_lines.push(
        "A non-2xx status is an [`Error::Status`](apigen_runtime::Error::Status); when its body \
         is an OData error, [`StatusError::odata_error`](apigen_runtime::error::StatusError::odata_error) \
         has it, and operations whose errors have their own types list them under *Errors*."
            .to_owned(),
    );
    if let Some(servers) = servers::servers_doc(api) {
        doc_lines.push(servers);
    }
    let docs = lines_to_attrs(p, &doc_lines.join("\n\n"));
    let url_with = servers::base_url_with(p, api);
    let first_auth = api.auth.first();
    let (default_const, builder_base) = match base_url {
        Some(url) => {
            let d = if servers::is_relative(Some(url)) {
                format!(
                    "The description's base URL, {}: relative, the path the operations are under \
                     on the service's host. `Client::new` fails until the builder is given an \
                     absolute URL, such as `https://host` followed by this path.",
                    code(url)
                )
            } else {
                format!("Base URL used unless the builder is given another: <{url}>.")
            };
            let d = lines_to_attrs(p, &d);
            (
                quote! {
                    #d
                    pub const DEFAULT_BASE_URL: &'static str = #url;
                },
                quote!(.base_url(Self::DEFAULT_BASE_URL)),
            )
        }
        None => (quote!(), quote!()),
    };
    let new_fn = match first_auth {
        None | Some(AuthScheme::Bearer { .. }) => quote! {
            /// A client for the default base URL that authenticates with `credential`
            /// (a [`StaticToken`](apigen_runtime::auth::StaticToken) or any refreshing
            /// [`TokenCredential`](apigen_runtime::auth::TokenCredential)), sent as
            /// `Authorization: Bearer <token>`.
            pub fn new(credential: impl apigen_runtime::auth::TokenCredential) -> apigen_runtime::Result<Self> {
                Self::builder().credential(credential).build()
            }
        },
        Some(AuthScheme::Basic { .. }) => quote! {
            /// A client for the default base URL that uses HTTP basic authentication.
            pub fn new(username: &str, password: &str) -> apigen_runtime::Result<Self> {
                Self::builder().basic_auth(username, password).build()
            }
        },
        Some(AuthScheme::ApiKey {
            location, param, ..
        }) => {
            let (setter, place) = match location {
                ParamLocation::Query => (quote!(api_key_query), "query parameter"),
                ParamLocation::Cookie => (quote!(api_key_cookie), "cookie"),
                _ => (quote!(api_key_header), "header"),
            };
            let d = lines_to_attrs(
                p,
                &format!(
                    "A client for the default base URL that sends `api_key` in the {place} {}.",
                    code(param.as_str())
                ),
            );
            quote! {
                #d
                pub fn new(api_key: &str) -> apigen_runtime::Result<Self> {
                    Self::builder().#setter(#param, api_key).build()
                }
            }
        }
    };
    let named_urls = base_urls.iter().map(|(name, url)| {
        let constant = ident(&format!(
            "BASE_URL_{}",
            crate::naming::snake_case(name).to_ascii_uppercase()
        ));
        let d = lines_to_attrs(
            p,
            &format!(
                "Base URL `{}`: <{}>. Use it with `Client::builder().base_url(..)`.",
                name.replace('`', "'"),
                url.replace(['<', '>', ' '], "")
            ),
        );
        quote! {
            #d
            pub const #constant: &'static str = #url;
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone)]
        pub struct Client {
            core: apigen_runtime::Client,
        }

        impl std::convert::From<apigen_runtime::Client> for Client {
            fn from(core: apigen_runtime::Client) -> Self {
                Self { core }
            }
        }

        impl Client {
            #default_const
            #url_with

            #(#named_urls)*

            #new_fn

            /// A builder with the default base URL set: add credentials, a `reqwest::Client`,
            /// middleware, retry policy or timeouts, then `build()`.
            pub fn builder() -> apigen_runtime::ClientBuilder<Self> {
                apigen_runtime::ClientBuilder::new() #builder_base
            }

            /// The runtime client underneath (base URL, credentials, HTTP stack).
            pub fn core(&self) -> &apigen_runtime::Client {
                &self.core
            }

            #(#methods)*
        }
    }
}

/// The runtime types client code names most (every signature and body): imported with `use`
/// and written short. Reserved in the client's scope (see `layout::plan_wrappers`), so no
/// request type or marker takes these names.
pub const SHORT_RUNTIME_TYPES: &[&str] = &["Method", "PagedRequest", "Request"];

/// `tokens` with `apigen_runtime::Method`, `apigen_runtime::PagedRequest` and
/// `apigen_runtime::Request` written short, preceded by the `use` item importing those it
/// names (none when it names none, so that a file never has an unused import). `gated`: items
/// of the file may be compiled out by features (the import is then allowed to go unused).
pub fn short_runtime_paths(tokens: TokenStream, gated: bool) -> TokenStream {
    let mut used = [false; SHORT_RUNTIME_TYPES.len()];
    let body = shorten(tokens, &mut used);
    let names: Vec<proc_macro2::Ident> = SHORT_RUNTIME_TYPES
        .iter()
        .zip(used)
        .filter(|(_, u)| *u)
        .map(|(n, _)| ident(n))
        .collect();
    if names.is_empty() {
        return body;
    }
    let allow = if gated {
        quote!(#[allow(unused_imports)])
    } else {
        quote!()
    };
    quote! {
        #allow
        use apigen_runtime::{#(#names),*};
        #body
    }
}

/// [`short_runtime_paths`] on a token stream and every group in it: `apigen_runtime` `::`
/// `Name` becomes `Name` for the names of [`SHORT_RUNTIME_TYPES`] (`used` records which).
fn shorten(tokens: TokenStream, used: &mut [bool]) -> TokenStream {
    use proc_macro2::{Group, TokenTree};
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        if let (
            TokenTree::Ident(krate),
            Some(TokenTree::Punct(a)),
            Some(TokenTree::Punct(b)),
            Some(TokenTree::Ident(name)),
        ) = (
            &trees[i],
            trees.get(i + 1),
            trees.get(i + 2),
            trees.get(i + 3),
        ) && krate == "apigen_runtime"
            && a.as_char() == ':'
            && a.spacing() == proc_macro2::Spacing::Joint
            && b.as_char() == ':'
            && let Some(k) = SHORT_RUNTIME_TYPES.iter().position(|n| name == n)
        {
            used[k] = true;
            out.push(TokenTree::Ident(name.clone()));
            i += 4;
            continue;
        }
        out.push(match &trees[i] {
            TokenTree::Group(g) => {
                let mut group = Group::new(g.delimiter(), shorten(g.stream(), used));
                group.set_span(g.span());
                TokenTree::Group(group)
            }
            other => other.clone(),
        });
        i += 1;
    }
    out.into_iter().collect()
}

/// `use crate::models;` when `code` names a model as `models::...`, so a file never has an
/// unused import, whatever decides how each type is written (an alias of `Vec<String>` is
/// `&[&str]` as a parameter, a multipart body is a `Form`, error bodies are named in docs only).
pub fn models_import(code: &TokenStream) -> TokenStream {
    if names_models(code) {
        quote!(
            use crate::models;
        )
    } else {
        quote!()
    }
}

/// Whether `code` has a path that starts with `models::` (not `crate::models::`, nor an item
/// or binding named `models`).
fn names_models(code: &TokenStream) -> bool {
    let mut after_colon = false;
    let mut tokens = code.clone().into_iter().peekable();
    while let Some(token) = tokens.next() {
        match &token {
            TokenTree::Ident(i) if i == "models" && !after_colon => {
                if let Some(TokenTree::Punct(next)) = tokens.peek()
                    && next.as_char() == ':'
                    && next.spacing() == Spacing::Joint
                {
                    return true;
                }
            }
            TokenTree::Group(g) if names_models(&g.stream()) => return true,
            _ => {}
        }
        after_colon = matches!(&token, TokenTree::Punct(p) if p.as_char() == ':');
    }
    false
}

/// The methods of the operations at `indices`, and the request types of those with optional
/// parameters.
pub fn operation_items(
    p: &Printer,
    api: &Api,
    indices: &[usize],
    layout: &Layout,
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    indices
        .iter()
        .map(|&i| {
            let wrapper = layout.wrappers[i]
                .as_ref()
                .map(|names| (names, &layout.markers[names.marker], layout.split));
            operation(p, api, &api.operations[i], &layout.plans[i], wrapper)
        })
        .unzip()
}

/// Methods for the operations at `indices` (one `impl Client` block), and the request types of
/// those with optional parameters.
pub fn operations(p: &Printer, api: &Api, indices: &[usize], layout: &Layout) -> TokenStream {
    let (methods, wrappers) = operation_items(p, api, indices, layout);
    if methods.is_empty() {
        return quote!();
    }
    quote! {
        impl Client {
            #(#methods)*
        }

        #(#wrappers)*
    }
}

/// Docs of an operation method.
fn operation_docs(p: &Printer, api: &Api, op: &Operation) -> TokenStream {
    let mut extra = Vec::new();
    extra.push(format!(
        "`{} {}`",
        op.method.as_str(),
        op.path.replace('`', "'")
    ));
    if let Some(server) = &op.server {
        extra.push(format!(
            "Sent to this operation's own server, <{}>, while the client's base URL is the \
             description's default; otherwise to the base URL, or to the URL given with \
             `ClientBuilder::server_url` for this server.",
            server.replace(['<', '>', ' '], "")
        ));
    }
    if let Some(url) = &op.external_docs {
        extra.push(format!(
            "[Documentation](<{}>)",
            url.replace(['<', '>', ' '], "")
        ));
    }
    if op.odata.any() {
        let mut names = Vec::new();
        let o = op.odata;
        for (on, n) in [
            (o.select, "$select"),
            (o.expand, "$expand"),
            (o.filter, "$filter"),
            (o.orderby, "$orderby"),
            (o.top, "$top"),
            (o.skip, "$skip"),
            (o.count, "$count"),
            (o.search, "$search"),
        ] {
            if on {
                names.push(format!("`{n}`"));
            }
        }
        extra.push(format!("Query options: {}.", names.join(", ")));
    }
    if !op.permissions.is_empty() {
        let mut s = String::from("# Permissions\n");
        for p in &op.permissions {
            let scopes: Vec<String> = p.scopes.iter().map(|s| code(s)).collect();
            s.push_str(&format!(
                "\n- {}: {}",
                sanitize(&p.scheme),
                scopes.join(", ")
            ));
        }
        extra.push(s);
    }
    let errors: Vec<String> = op
        .responses
        .iter()
        .filter(|r| !r.status.is_success())
        .filter_map(|r| {
            let status = match &r.status {
                StatusMatch::Code(c) => c.to_string(),
                StatusMatch::Range(d) => format!("{d}XX"),
                StatusMatch::Default => "other statuses".to_owned(),
            };
            match &r.body {
                ResponseBody::Json(TypeRef::Named(id)) => Some(format!(
                    "- {status}: [`{name}`](crate::models::{name}) (decode it with `StatusError::decode_body`)",
                    name = api.ty(*id).name
                )),
                ResponseBody::ODataError => Some(format!("- {status}: the OData error (`StatusError::odata_error`)")),
                _ => None,
            }
        })
        .collect();
    let only_odata = op
        .responses
        .iter()
        .filter(|r| !r.status.is_success())
        .all(|r| matches!(r.body, ResponseBody::ODataError));
    // OData errors are described once, on `Client`.
    if !errors.is_empty() && !only_odata {
        extra.push(format!("# Errors\n\nA non-2xx status is an [`Error::Status`](apigen_runtime::Error::Status) whose body is:\n\n{}", errors.join("\n")));
    }
    if let Some(body) = &op.body
        && body.encoding == BodyEncoding::Multipart
    {
        let parts = multipart_parts_doc(api, body);
        if !parts.is_empty() {
            extra.push(format!(
                "# Body\n\nA `multipart/form-data` [`Form`](apigen_runtime::multipart::Form) with the parts:\n\n{}",
                parts.join("\n")
            ));
        }
    }
    let params_doc: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.docs.description.is_some() || p.docs.summary.is_some())
        .map(|p| {
            let d = p
                .docs
                .description
                .as_deref()
                .or(p.docs.summary.as_deref())
                .unwrap_or_default();
            format!(
                "- `{}` ({}): {}",
                p.name.trim_start_matches("r#"),
                code(&p.api_name),
                sanitize(d).replace('\n', " ")
            )
        })
        .collect();
    if !params_doc.is_empty() {
        extra.push(format!("# Parameters\n\n{}", params_doc.join("\n")));
    }
    let mut attrs = doc_attrs(p, &op.docs, &extra);
    if op.deprecated {
        attrs.extend(quote!(#[deprecated]));
    }
    attrs
}

/// One line per part of a multipart body: its media type and the [`Form`] method that writes
/// it so (a primitive value as its text, never as a JSON string in quotes).
///
/// [`Form`]: apigen_runtime::multipart::Form
fn multipart_parts_doc(api: &Api, body: &crate::ir::RequestBody) -> Vec<String> {
    let TypeRef::Named(id) = &body.ty else {
        return Vec::new();
    };
    let TypeKind::Struct(st) = &api.ty(*id).kind else {
        return Vec::new();
    };
    st.fields
        .iter()
        .map(|f| {
            let kind = api.part_kind(&f.ty);
            let media = body.part_type(api, &f.api_name, &f.ty);
            let (item, list) = match &kind {
                PartKind::List(item) => (&**item, true),
                kind => (kind, false),
            };
            let each = if list { "one part per item, each " } else { "" };
            let how = if *item == PartKind::File {
                format!("{each}a file (`Form::file` with this media type)")
            } else if media == api.default_part_type(&f.ty) {
                match item {
                    PartKind::Text => {
                        format!("{each}the value as text, without quotes (`Form::value`)")
                    }
                    _ => format!("{each}JSON (`Form::value`)"),
                }
            } else if media.eq_ignore_ascii_case("application/json") {
                "JSON (`Form::json`)".to_owned()
            } else {
                "the value in this media type (`Form::part`)".to_owned()
            };
            let req = if f.required { ", required" } else { "" };
            format!("- {} ({}{req}): {how}", code(&f.api_name), code(media))
        })
        .collect()
}

fn method_tokens(m: Method) -> TokenStream {
    match m {
        Method::Get => quote!(apigen_runtime::Method::GET),
        Method::Put => quote!(apigen_runtime::Method::PUT),
        Method::Post => quote!(apigen_runtime::Method::POST),
        Method::Delete => quote!(apigen_runtime::Method::DELETE),
        Method::Options => quote!(apigen_runtime::Method::OPTIONS),
        Method::Head => quote!(apigen_runtime::Method::HEAD),
        Method::Patch => quote!(apigen_runtime::Method::PATCH),
        Method::Trace => quote!(apigen_runtime::Method::TRACE),
    }
}

/// How a parameter is taken as an argument and turned into a string.
struct ArgShape {
    ty: TokenStream,
    /// Expression of type `&str` for the argument (may borrow a temporary).
    to_str: TokenStream,
}

/// The argument type of a path parameter `p` taken as `scalar` (`None`: as JSON text), and its
/// text.
fn path_arg(api: &Api, p: &Param, scalar: Option<&Scalar>) -> ArgShape {
    let name = ident(&p.name);
    // A list of scalars: its items joined, by commas (OpenAPI's `simple` style) or by the
    // delimiter Swagger 2.0's `collectionFormat` gives.
    if scalar.is_none()
        && let TypeRef::List(item) = &p.ty
        && let Some(item) = super::plan::scalar(api, item)
    {
        let item_ty = scalar_arg(api, &item, quote!(item)).ty;
        let joined = joined(&item, quote!(#name), list_separator(p.style));
        return ArgShape {
            ty: quote!(&[#item_ty]),
            to_str: quote!(&#joined),
        };
    }
    match scalar {
        Some(s) => scalar_arg(api, s, quote!(#name)),
        None => {
            let ty = rust_type(api, &p.ty, Scope::Crate);
            ArgShape {
                ty: quote!(&#ty),
                to_str: quote!(&apigen_runtime::query::text(#name)),
            }
        }
    }
}

/// How the pages of `paging` are read, as the method call that says it on a paged request or
/// on a stub of the mock server: pages whose items or next link are not OData's
/// (`.page_fields(..)`, Azure's `x-ms-pageable`), arrays with a `Link` header
/// (`.link_header()`), or nothing for OData's.
pub(crate) fn page_shape(paging: &Paging) -> TokenStream {
    match paging.custom_fields() {
        Some((items, next)) => quote!(.page_fields(#items, #next)),
        None if paging.link_header => quote!(.link_header()),
        None => quote!(),
    }
}

/// The items of the list `list` of `item`s, as text joined by `sep` (an owned `String`).
fn joined(item: &Scalar, list: TokenStream, sep: &str) -> TokenStream {
    let texts = match item {
        Scalar::Str => return quote!(#list.join(#sep)),
        Scalar::Copy(_) | Scalar::Ref(_) | Scalar::Flags(_) => {
            quote!(map(std::string::ToString::to_string))
        }
        Scalar::StringEnum(_) => quote!(map(|item| item.as_str())),
        Scalar::IntEnum(_) => quote!(map(|item| std::string::ToString::to_string(&item.value()))),
    };
    quote!(#list.iter().#texts.collect::<Vec<_>>().join(#sep))
}

/// A parameter's text `to_str` as the argument of a generic `impl AsRef<str>` parameter
/// (`query`, `cookie`): without the borrow of an owned `String`, which clippy calls needless
/// there.
fn unborrowed(to_str: TokenStream) -> TokenStream {
    let mut tokens = to_str.clone().into_iter();
    match tokens.next() {
        Some(TokenTree::Punct(p)) if p.as_char() == '&' && p.spacing() == Spacing::Alone => {
            tokens.collect()
        }
        _ => to_str,
    }
}

/// What separates the items of a list parameter written as one value.
fn list_separator(style: ParamStyle) -> &'static str {
    match style {
        ParamStyle::SpaceDelimited => " ",
        ParamStyle::PipeDelimited => "|",
        ParamStyle::TabDelimited => "\t",
        _ => ",",
    }
}

/// The argument type of a value taken as `s`, and the text of `value` (an expression of it).
fn scalar_arg(api: &Api, s: &Scalar, value: TokenStream) -> ArgShape {
    match s {
        Scalar::Str => ArgShape {
            ty: quote!(&str),
            to_str: value,
        },
        Scalar::Copy(p) => ArgShape {
            ty: primitive(*p),
            to_str: quote!(&std::string::ToString::to_string(&#value)),
        },
        Scalar::Ref(p) => {
            let ty = primitive(*p);
            ArgShape {
                ty: quote!(&#ty),
                to_str: quote!(&std::string::ToString::to_string(#value)),
            }
        }
        Scalar::StringEnum(t) => {
            let ty = rust_type(api, t, Scope::Crate);
            ArgShape {
                ty: quote!(&#ty),
                to_str: quote!(#value.as_str()),
            }
        }
        Scalar::IntEnum(t) => {
            let ty = rust_type(api, t, Scope::Crate);
            ArgShape {
                ty: quote!(#ty),
                to_str: quote!(&std::string::ToString::to_string(&#value.value())),
            }
        }
        Scalar::Flags(t) => {
            let ty = rust_type(api, t, Scope::Crate);
            ArgShape {
                ty: quote!(&#ty),
                to_str: quote!(&std::string::ToString::to_string(#value)),
            }
        }
    }
}

fn operation(
    p: &Printer,
    api: &Api,
    op: &Operation,
    plan: &OpPlan,
    wrapper: Option<(&WrapperNames, &Marker, bool)>,
) -> (TokenStream, TokenStream) {
    let name = ident(&op.name);
    let docs = operation_docs(p, api, op);
    let method = method_tokens(op.method);

    let mut args: Vec<TokenStream> = Vec::new();

    // Path: the template as written in the description, filled by the runtime (which encodes
    // each parameter, and writes `'{name}'` as an OData string literal).
    let template = &op.path;
    let mut pairs = Vec::new();
    for (index, scalar) in &plan.path {
        let param = &op.params[*index];
        let shape = path_arg(api, param, scalar.as_ref());
        let pname = ident(&param.name);
        let ty = shape.ty;
        args.push(quote!(#pname: #ty));
        let wire = &param.api_name;
        let to_str = shape.to_str;
        pairs.push(quote!((#wire, #to_str)));
    }
    let path_expr = if pairs.is_empty() {
        quote!(#template)
    } else {
        quote!(apigen_runtime::path::expand(#template, &[#(#pairs),*]))
    };

    // Query, header and cookie parameters, then the body: each is a method call on the request,
    // unconditional (chained) or under a condition (statements on a mutable binding). Optional
    // parameters become setters of a request type made for the operation.
    let (required, mut steps) = required_params(api, op, plan);
    args.extend(required);
    if let Some(accept) = accept_header(op) {
        steps.insert(0, Step::Call(quote!(header("accept", #accept))));
    }
    if let Some(server) = &op.server {
        let default = match api.base_url {
            Some(_) => quote!(Some(Self::DEFAULT_BASE_URL)),
            None => quote!(None),
        };
        steps.insert(0, Step::Call(quote!(on_server(#server, #default))));
    }

    if let Some(body) = &op.body {
        let ty = rust_type(api, &body.ty, Scope::Crate);
        let ct = &body.content_type;
        // A list is taken as a slice (`&[T]`, not `&Vec<T>`): any list of the caller's will do.
        let borrowed = match &body.ty {
            TypeRef::List(item) => {
                let item = rust_type(api, item, Scope::Crate);
                quote!(&[#item])
            }
            _ => quote!(&#ty),
        };
        let (arg_ty, call) = match body.encoding {
            BodyEncoding::Json if ct.eq_ignore_ascii_case("application/json") => {
                (borrowed, quote!(json(body)))
            }
            // `application/merge-patch+json` and the like, sent as declared.
            BodyEncoding::Json => (borrowed, quote!(json_as(body, #ct))),
            BodyEncoding::Form => (borrowed, quote!(form(body))),
            BodyEncoding::Text => (
                quote!(impl std::convert::Into<String>),
                quote!(body(apigen_runtime::Bytes::from(body.into()), #ct)),
            ),
            BodyEncoding::Multipart => (
                quote!(&apigen_runtime::multipart::Form),
                quote!(multipart(body)),
            ),
            BodyEncoding::Binary => (
                quote!(impl std::convert::Into<apigen_runtime::Bytes>),
                quote!(body(body, #ct)),
            ),
        };
        if body.required
            || !matches!(
                body.encoding,
                BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart
            )
        {
            args.push(quote!(body: #arg_ty));
            steps.push(Step::Call(call));
        } else {
            args.push(quote!(body: Option<#arg_ty>));
            steps.push(Step::Stmt(quote! {
                if let Some(body) = body {
                    request = request.#call;
                }
            }));
        }
    }

    let has_path_params = !pairs.is_empty();
    let (ret, make) = if let Some(paging) = op.paging() {
        let make = if op.method != Method::Get {
            let path = if has_path_params {
                path_expr.clone()
            } else {
                quote!(Ok(#path_expr.to_owned()))
            };
            quote!(self.core.paged_with(#method, #path))
        } else if has_path_params {
            quote!(self.core.paged_at(#path_expr))
        } else {
            quote!(self.core.paged(#path_expr))
        };
        let shape = page_shape(paging);
        let make = quote!(#make #shape);
        (paged_type(api, paging), make)
    } else {
        let (out_ty, decode) = success_body(api, op);
        let mut make = if has_path_params {
            quote!(self.core.request_at(#method, #path_expr, #decode))
        } else {
            quote!(self.core.request(#method, #path_expr, #decode))
        };
        if op.odata.any() {
            make = quote!(#make.with_query_options());
        }
        (request_of(op, &out_ty), make)
    };
    let chained = steps.iter().all(|s| matches!(s, Step::Call(_)));
    let body = if chained {
        let calls = steps.iter().map(|s| match s {
            Step::Call(c) => c.clone(),
            Step::Stmt(_) => unreachable!("checked above"),
        });
        quote!(#make #(.#calls)*)
    } else {
        let stmts = steps.into_iter().map(Step::into_stmt);
        quote! {{
            let mut request = #make;
            #(#stmts)*
            request
        }}
    };
    // `Layout::plan` names a request type exactly for the operations with setters.
    let Some((names, marker, split)) = wrapper else {
        debug_assert!(
            plan.setters.is_empty(),
            "{} has setters but no request type",
            op.name
        );
        let fn_body = if chained { quote!({ #body }) } else { body };
        return (
            quote! {
                #docs
                #[inline]
                pub fn #name(&self, #(#args),*) -> #ret #fn_body
            },
            quote!(),
        );
    };
    let alias = request_items(p, api, op, plan, names, marker, split, &ret);
    let wrapper = ident(&names.request);
    let note = lines_to_attrs(
        p,
        &format!("Optional parameters are set on the returned [`{wrapper}`] before awaiting it."),
    );
    (
        quote! {
            #docs
            ///
            #note
            #[inline]
            pub fn #name(&self, #(#args),*) -> #wrapper {
                #wrapper::new(#body)
            }
        },
        alias,
    )
}

/// The `Accept` header the runtime sends unless a request sets its own.
const RUNTIME_ACCEPT: &str = "application/json";

/// The `Accept` header `op` sets, when it is not the runtime's: the media types of its
/// documented responses ([`Operation::accept`]), or `*/*` when none has a body.
fn accept_header(op: &Operation) -> Option<String> {
    let types = op.accept();
    let accept = if types.is_empty() {
        "*/*".to_owned()
    } else {
        types.join(", ")
    };
    (accept != RUNTIME_ACCEPT).then_some(accept)
}

/// The code of the required query, header and cookie parameters of `op` as `plan` takes
/// them: the method's arguments and the request steps that write them.
fn required_params(api: &Api, op: &Operation, plan: &OpPlan) -> (Vec<TokenStream>, Vec<Step>) {
    plan.required
        .iter()
        .map(|item| {
            let p = item.param(op);
            let (arg_ty, step) = param_code(api, p, &item.value);
            let pname = ident(&p.name);
            (quote!(#pname: #arg_ty), step)
        })
        .unzip()
}

/// The setters of the optional query, header and cookie parameters of `op` as `plan` takes
/// them.
fn setters<'a>(api: &Api, op: &'a Operation, plan: &OpPlan) -> Vec<Setter<'a>> {
    plan.setters
        .iter()
        .zip(&plan.setter_names)
        .map(|(item, name)| {
            let p = item.param(op);
            let (ty, step) = param_code(api, p, &item.value);
            Setter {
                param: p,
                name: name.clone(),
                arg: ident(&p.name),
                ty,
                step,
            }
        })
        .collect()
}

/// The argument type of the query, header or cookie parameter `p` taken as `value`, and the
/// step that writes it on the request.
fn param_code(api: &Api, p: &Param, value: &Value) -> (TokenStream, Step) {
    let pname = ident(&p.name);
    let wire = &p.api_name;
    match value {
        Value::List(item) => {
            let shape = scalar_arg(api, item, quote!(item));
            let item_ty = shape.ty;
            let to_str = unborrowed(shape.to_str);
            let step = match (p.location, p.style) {
                (ParamLocation::Query, ParamStyle::Form { explode: true }) => Step::Stmt(quote! {
                    for item in #pname {
                        request = request.query(#wire, #to_str);
                    }
                }),
                (loc, style) => {
                    let joined = joined(item, quote!(#pname), list_separator(style));
                    if loc == ParamLocation::Header {
                        Step::Call(quote!(header(#wire, &#joined)))
                    } else {
                        Step::Call(quote!(query(#wire, #joined)))
                    }
                }
            };
            (quote!(&[#item_ty]), step)
        }
        Value::ListAsJson => {
            let ty = rust_type(api, &p.ty, Scope::Crate);
            (
                quote!(&#ty),
                Step::Call(quote!(query(#wire, serde_json::to_string(#pname).unwrap_or_default()))),
            )
        }
        Value::Json { item } => {
            // JSON text: a slice for lists (`&Vec<T>` is not idiomatic), a reference otherwise.
            let ty = match item {
                Some(item) => {
                    let item = rust_type(api, item, Scope::Crate);
                    quote!(&[#item])
                }
                None => {
                    let t = rust_type(api, &p.ty, Scope::Crate);
                    quote!(&#t)
                }
            };
            let call = quote!(serde_json::to_string(#pname).unwrap_or_default());
            let step = match p.location {
                ParamLocation::Header => Step::Call(quote!(header(#wire, &#call))),
                ParamLocation::Cookie => Step::Call(quote!(cookie(#wire, #call))),
                _ => Step::Call(quote!(query(#wire, #call))),
            };
            (ty, step)
        }
        Value::Object => {
            // deepObject or form style, or JSON text in a header or cookie.
            let ty = rust_type(api, &p.ty, Scope::Crate);
            let step = match (p.location, p.style) {
                (ParamLocation::Query, ParamStyle::DeepObject) => Step::Call(quote!(query_object(
                    #wire,
                    #pname,
                    apigen_runtime::query::ObjectStyle::DeepObject
                ))),
                (ParamLocation::Query, ParamStyle::Form { explode }) => {
                    Step::Call(quote!(query_object(
                        #wire,
                        #pname,
                        apigen_runtime::query::ObjectStyle::Form { explode: #explode }
                    )))
                }
                (ParamLocation::Header, _) => Step::Call(quote!(header(
                    #wire,
                    &apigen_runtime::query::text(#pname)
                ))),
                (ParamLocation::Cookie, _) => Step::Call(quote!(cookie(
                    #wire,
                    apigen_runtime::query::text(#pname)
                ))),
                _ => Step::Call(quote!(query(#wire, apigen_runtime::query::text(#pname)))),
            };
            (quote!(&#ty), step)
        }
        Value::Scalar(s) => {
            let shape = scalar_arg(api, s, quote!(#pname));
            let to_str = shape.to_str;
            let owned = unborrowed(to_str.clone());
            let step = match p.location {
                ParamLocation::Header => Step::Call(quote!(header(#wire, #to_str))),
                ParamLocation::Cookie => Step::Call(quote!(cookie(#wire, #owned))),
                _ => Step::Call(quote!(query(#wire, #owned))),
            };
            (shape.ty, step)
        }
    }
}

/// An optional parameter: a setter on the operation's request type.
struct Setter<'a> {
    param: &'a Param,
    /// The setter's name (see [`OpPlan::setter_names`]).
    name: String,
    arg: proc_macro2::Ident,
    ty: TokenStream,
    step: Step,
}

fn paged_type(api: &Api, paging: &crate::ir::Paging) -> TokenStream {
    let item_ty = rust_type(api, &paging.item, Scope::Crate);
    quote!(apigen_runtime::PagedRequest<#item_ty>)
}

/// The request of a non-paged operation whose success body is `out_ty`.
fn request_of(op: &Operation, out_ty: &TokenStream) -> TokenStream {
    let options = QueryMarker::of(op.odata).type_arg();
    quote!(apigen_runtime::Request<#out_ty #options>)
}

/// What one setter's code is made of: two setters with equal keys are the same code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SetterKey {
    /// The setter's name.
    name: String,
    /// Its argument's name.
    arg: String,
    /// The parameter's name on the wire, where it goes and how it is written.
    wire: String,
    location: ParamLocation,
    style: ParamStyle,
    ty: TypeRef,
    /// Its documentation.
    doc: String,
}

/// The setters of an operation's optional parameters, as [`crate::emit::layout`] groups
/// operations by them.
pub struct SetterSet {
    /// What the setters' code is made of: operations with the same key share a marker type.
    pub key: Vec<SetterKey>,
    /// The setters' names.
    pub args: Vec<String>,
    /// The parameters' names in the description.
    pub params: Vec<String>,
}

/// The setters of `op` as `plan` has them, when it has optional parameters.
pub fn setter_set(op: &Operation, plan: &OpPlan) -> Option<SetterSet> {
    if plan.setters.is_empty() {
        return None;
    }
    let params = plan
        .setters
        .iter()
        .map(|s| s.param(op).api_name.clone())
        .collect();
    let key: Vec<SetterKey> = plan
        .setters
        .iter()
        .zip(&plan.setter_names)
        .map(|(s, name)| {
            let p = s.param(op);
            SetterKey {
                name: name.clone(),
                arg: p.name.clone(),
                wire: p.api_name.clone(),
                location: p.location,
                style: p.style,
                ty: p.ty.clone(),
                doc: setter_doc(p),
            }
        })
        .collect();
    Some(SetterSet {
        key,
        args: plan.setter_names.clone(),
        params,
    })
}

/// The documentation of the setter of `p`.
fn setter_doc(p: &Param) -> String {
    let place = match p.location {
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::Path => "path parameter",
    };
    match p.docs.description.as_deref().or(p.docs.summary.as_deref()) {
        Some(text) => format!("Sets the {place} {}: {}", code(&p.api_name), sanitize(text)),
        None => format!("Sets the {place} {}.", code(&p.api_name)),
    }
}

/// The setter methods of the optional parameters `setters`.
fn setter_fns(p: &Printer, setters: Vec<Setter>) -> Vec<TokenStream> {
    setters
        .into_iter()
        .map(|s| {
            let fn_ident = ident(&s.name);
            let arg = &s.arg;
            let ty = &s.ty;
            let d = lines_to_attrs(p, &setter_doc(s.param));
            let stmt = s.step.into_stmt();
            quote! {
                #d
                pub fn #fn_ident(self, #arg: #ty) -> Self {
                    let mut request = self.request;
                    #stmt
                    Self::new(request)
                }
            }
        })
        .collect()
}

/// The request type of an operation with optional parameters: an alias of the crate's one
/// [`operation_request_type`] for the operation's marker. A marker of this operation alone is
/// written here, with the setters; a shared one is written once (see [`marker_items`]).
/// Everything but the setters (OData options, headers, `send`, paging, `IntoFuture`) is
/// implemented once, generically, so each such operation costs the compiler an alias.
/// `split`: the crate is split, and a shared marker is in the client module.
#[allow(clippy::too_many_arguments)]
fn request_items(
    p: &Printer,
    api: &Api,
    op: &Operation,
    plan: &OpPlan,
    names: &WrapperNames,
    marker: &Marker,
    split: bool,
    inner: &TokenStream,
) -> TokenStream {
    let wrapper = ident(&names.request);
    let marker_name = ident(&marker.name);
    let op_name = op.name.trim_start_matches("r#");
    let doc = lines_to_attrs(
        p,
        &format!(
            "The request of [`Client::{op_name}`]: set optional parameters, then `.await` it (or `send()` it for the status and headers)."
        ),
    );
    if marker.ops.len() > 1 {
        let path = if split && marker.area.is_none() {
            quote!(crate::client::#marker_name)
        } else {
            quote!(#marker_name)
        };
        return quote! {
            #doc
            pub type #wrapper = crate::client::OperationRequest<#path, #inner>;
        };
    }
    let marker_doc = lines_to_attrs(
        p,
        &format!(
            "Marks the optional parameters of [`Client::{op_name}`] (see [`{}`]).",
            names.request
        ),
    );
    let fns = setter_fns(p, setters(api, op, plan));
    quote! {
        #marker_doc
        pub enum #marker_name {}
        #doc
        pub type #wrapper = crate::client::OperationRequest<#marker_name, #inner>;
        impl #wrapper {
            #(#fns)*
        }
    }
}

/// The marker types `markers` that several operations share, and their setters: one `impl`
/// per kind of request among the operations each marks (plain, with OData options, paged),
/// generic over the response type (a marker of one operation is written with its request
/// type). With `gated`, each item is compiled when an area of its operations is (for markers
/// shared by several areas, in the client module).
pub fn marker_items<'a>(
    p: &Printer,
    api: &Api,
    layout: &Layout,
    markers: impl IntoIterator<Item = &'a Marker>,
    gated: bool,
) -> TokenStream {
    let cfg = |ops: &[usize]| -> TokenStream {
        if !gated {
            return quote!();
        }
        let areas: BTreeSet<usize> = ops.iter().map(|&i| layout.op_area[i]).collect();
        if areas.len() == layout.areas.len() {
            return quote!();
        }
        layout.areas_cfg(&areas.into_iter().collect::<Vec<_>>())
    };
    let items = markers.into_iter().filter(|m| m.ops.len() > 1).map(|m| {
        let name = ident(&m.name);
        let first = &api.operations[m.ops[0]];
        let params: Vec<String> = m.params.iter().map(|p| code(p)).collect();
        let doc = lines_to_attrs(p, &format!(
            "Marks the optional parameters {} that several operations share: their request types, the crate's [generic request type](crate::client::OperationRequest) marked with it, have its setters.",
            params.join(", "),
        ));
        let marker_cfg = cfg(&m.ops);
        // One impl per kind of request among the operations (in the order of first use),
        // generic over what the response decodes into: operations whose bodies differ share it.
        let mut by_kind: Vec<(Option<QueryMarker>, Vec<usize>)> = Vec::new();
        for &i in &m.ops {
            let op = &api.operations[i];
            let kind = op.paging().is_none().then(|| QueryMarker::of(op.odata));
            match by_kind.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, ops)) => ops.push(i),
                None => by_kind.push((kind, vec![i])),
            }
        }
        // Operations share a marker when their setters (names included) are the same.
        let fns = setter_fns(p, setters(api, first, &layout.plans[m.ops[0]]));
        let impls = by_kind.iter().map(|(kind, ops)| {
            let impl_cfg = cfg(ops);
            let header = match kind {
                Some(q) => {
                    let options = q.type_arg();
                    quote!(impl<T> crate::client::OperationRequest<#name, apigen_runtime::Request<T #options>>)
                }
                None => quote! {
                    impl<T> crate::client::OperationRequest<#name, apigen_runtime::PagedRequest<T>>
                    where
                        T: apigen_runtime::FromJson + std::marker::Send + 'static,
                },
            };
            quote! {
                #impl_cfg
                #header {
                    #(#fns)*
                }
            }
        });
        quote! {
            #marker_cfg
            #doc
            pub enum #name {}
            #(#impls)*
        }
    });
    quote!(#(#items)*)
}

/// Methods [`operation_request_type`] has for every request (`into_future` through
/// `IntoFuture`).
const REQUEST_METHODS: &[&str] = &["new", "into_request", "into_future", "header", "send"];

/// Its methods for the requests that take `$select` and `$expand` ([`QueryMarker::Item`] and
/// [`QueryMarker::Collection`], and paged requests).
const SELECT_EXPAND_METHODS: &[&str] = &["select", "expand"];

/// Its methods for the requests that take the collection options ([`QueryMarker::Collection`],
/// and paged requests).
const COLLECTION_METHODS: &[&str] = &["filter", "orderby", "top", "skip", "count", "search"];

/// Its methods for paged requests.
const PAGED_METHODS: &[&str] = &["pages", "items", "collect_all", "collect_delta"];

/// The methods the request type of `op` has before its setters are added: a setter is named
/// around these, and only these (a query parameter `filter` of an operation without OData
/// options is set with `filter`).
pub(crate) fn request_type_methods(op: &Operation) -> Vec<&'static str> {
    let (select_expand, collection, paged) = match (op.paging(), QueryMarker::of(op.odata)) {
        (Some(_), _) => (true, true, true),
        (None, QueryMarker::Collection) => (true, true, false),
        (None, QueryMarker::Item) => (true, false, false),
        (None, QueryMarker::None) => (false, false, false),
    };
    let mut names = REQUEST_METHODS.to_vec();
    for (has, more) in [
        (select_expand, SELECT_EXPAND_METHODS),
        (collection, COLLECTION_METHODS),
        (paged, PAGED_METHODS),
    ] {
        if has {
            names.extend_from_slice(more);
        }
    }
    names
}

/// `OperationRequest<P, R>`, defined once in the `client` module when some operation has
/// optional parameters: the request `R` of the operation marked by `P`, with everything `R`
/// offers forwarded. Its code never varies, so it is the runtime's
/// `operation_request!` macro; each operation adds its setters in an `impl` of its own alias.
pub fn operation_request_type() -> TokenStream {
    quote! {
        apigen_runtime::operation_request!();
    }
}

/// One change to the request being built.
enum Step {
    /// A method call, e.g. `json(body)`, applied as `request.json(body)`.
    Call(TokenStream),
    /// Statements that update `request`.
    Stmt(TokenStream),
}

impl Step {
    fn into_stmt(self) -> TokenStream {
        match self {
            Step::Call(c) => quote!(request = request.#c;),
            Step::Stmt(s) => s,
        }
    }
}

/// Which OData query options a (non-paged) request takes: the `Q` of its
/// `apigen_runtime::Request<T, Q>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QueryMarker {
    /// `NoOptions` (the default).
    None,
    /// `ItemOptions`: `$select` and `$expand`.
    Item,
    /// `CollectionOptions`: every option.
    Collection,
}

impl QueryMarker {
    fn of(o: ODataOptions) -> Self {
        if o.any_collection() {
            QueryMarker::Collection
        } else if o.any() {
            QueryMarker::Item
        } else {
            QueryMarker::None
        }
    }

    /// The marker as the second type argument of `Request` (nothing for the default).
    fn type_arg(self) -> TokenStream {
        match self {
            QueryMarker::None => quote!(),
            QueryMarker::Item => quote!(, apigen_runtime::query::ItemOptions),
            QueryMarker::Collection => quote!(, apigen_runtime::query::CollectionOptions),
        }
    }
}

/// The type a successful response decodes into, and the decode function.
fn success_body(api: &Api, op: &Operation) -> (TokenStream, TokenStream) {
    match &op.returns {
        Returns::Single(body) => body_decoder(api, body, Scope::Crate),
        Returns::Optional(body @ (ResponseBody::Json(_) | ResponseBody::ODataValue(_))) => {
            let (ty, _) = body_decoder(api, body, Scope::Crate);
            (
                quote!(Option<#ty>),
                quote!(apigen_runtime::decode::json_optional),
            )
        }
        Returns::Optional(body) => body_decoder(api, body, Scope::Crate),
        Returns::ByStatus(id) => {
            let ty = rust_type(api, &TypeRef::Named(*id), Scope::Crate);
            (ty.clone(), quote!(#ty::decode))
        }
        // A paged operation returns a `PagedRequest` (see `request_type`), which decodes its
        // pages itself: there is no single body.
        Returns::Paged(_) => body_decoder(api, &ResponseBody::Empty, Scope::Crate),
    }
}

/// The Rust type and decode function for one kind of body.
pub fn body_decoder(api: &Api, body: &ResponseBody, scope: Scope) -> (TokenStream, TokenStream) {
    match body {
        ResponseBody::Json(t) => {
            let ty = rust_type(api, t, scope);
            (ty, quote!(apigen_runtime::decode::json))
        }
        ResponseBody::ODataValue(t) => {
            let ty = rust_type(api, t, scope);
            (ty, quote!(apigen_runtime::decode::odata_value))
        }
        ResponseBody::Text => (quote!(String), quote!(apigen_runtime::decode::text)),
        ResponseBody::Binary => (
            quote!(apigen_runtime::Bytes),
            quote!(apigen_runtime::decode::bytes),
        ),
        ResponseBody::ODataError => (
            quote!(apigen_runtime::odata::ODataError),
            quote!(apigen_runtime::decode::json),
        ),
        ResponseBody::Empty => (quote!(()), quote!(apigen_runtime::decode::empty)),
    }
}
