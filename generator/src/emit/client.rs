//! The `Client` type and one method per operation.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::{code, doc_attrs, lines_to_attrs, sanitize};
use crate::emit::types::{Scope, ident, primitive, rust_type};
use crate::ir::{
    Api, AuthScheme, BodyEncoding, Method, ODataOptions, Operation, Param, ParamLocation,
    ParamStyle, Primitive, ResponseBody, TypeKind, TypeRef,
};

/// The client file's items.
pub fn client(api: &Api, base_url: Option<&str>, base_urls: &[(String, String)]) -> TokenStream {
    let title = if api.title.trim().is_empty() {
        "the API"
    } else {
        api.title.trim()
    };
    let mut doc_lines = vec![format!("Client for {}.", sanitize(title))];
    doc_lines.push(
        "Cheap to clone; every method returns a request that is sent when awaited.".to_owned(),
    );
    let docs = lines_to_attrs(&doc_lines.join("\n\n"));
    let bearer = api.auth.is_empty()
        || api
            .auth
            .iter()
            .any(|a| matches!(a, AuthScheme::Bearer { .. }));
    let (default_const, builder_base) = match base_url {
        Some(url) => {
            let d = lines_to_attrs(&format!(
                "Base URL used unless the builder is given another: <{url}>."
            ));
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
    let new_fn = if bearer {
        quote! {
            /// A client for the default base URL that authenticates with `credential`
            /// (a [`StaticToken`](::apigen_runtime::auth::StaticToken) or any refreshing
            /// [`TokenCredential`](::apigen_runtime::auth::TokenCredential)).
            pub fn new(credential: impl ::apigen_runtime::auth::TokenCredential) -> ::apigen_runtime::Result<Self> {
                Self::builder().credential(credential).build()
            }
        }
    } else {
        quote! {
            /// A client for the default base URL.
            pub fn new() -> ::apigen_runtime::Result<Self> {
                Self::builder().build()
            }
        }
    };
    let named_urls = base_urls.iter().map(|(name, url)| {
        let constant = ident(&format!(
            "BASE_URL_{}",
            crate::naming::snake_case(name).to_ascii_uppercase()
        ));
        let d = lines_to_attrs(&format!(
            "Base URL `{}`: <{}>. Use it with `Client::builder().base_url(..)`.",
            name.replace('`', "'"),
            url.replace(['<', '>', ' '], "")
        ));
        quote! {
            #d
            pub const #constant: &'static str = #url;
        }
    });
    let methods = api.operations.iter().map(|op| operation(api, op));
    quote! {
        #docs
        #[derive(Debug, Clone)]
        pub struct Client {
            core: ::apigen_runtime::Client,
        }

        impl ::std::convert::From<::apigen_runtime::Client> for Client {
            fn from(core: ::apigen_runtime::Client) -> Self {
                Self { core }
            }
        }

        impl Client {
            #default_const

            #(#named_urls)*

            #new_fn

            /// A builder with the default base URL set: add credentials, a `reqwest::Client`,
            /// middleware, retry policy or timeouts, then `build()`.
            pub fn builder() -> ::apigen_runtime::ClientBuilder<Self> {
                ::apigen_runtime::ClientBuilder::new() #builder_base
            }

            /// The runtime client underneath (base URL, credentials, HTTP stack).
            pub fn core(&self) -> &::apigen_runtime::Client {
                &self.core
            }

            #(#methods)*
        }
    }
}

/// Docs of an operation method.
fn operation_docs(op: &Operation) -> TokenStream {
    let mut extra = Vec::new();
    extra.push(format!(
        "`{} {}`",
        op.method.as_str(),
        op.path.replace('`', "'")
    ));
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
    if op.paging.is_some() {
        extra.push(
            "Paged: await it for the first page, or use `.pages()` / `.items()` to follow `@odata.nextLink` to the end."
                .to_owned(),
        );
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
    let mut attrs = doc_attrs(&op.docs, &extra);
    if op.deprecated {
        attrs.extend(quote!(#[deprecated]));
    }
    attrs
}

fn method_tokens(m: Method) -> TokenStream {
    match m {
        Method::Get => quote!(::apigen_runtime::Method::GET),
        Method::Put => quote!(::apigen_runtime::Method::PUT),
        Method::Post => quote!(::apigen_runtime::Method::POST),
        Method::Delete => quote!(::apigen_runtime::Method::DELETE),
        Method::Options => quote!(::apigen_runtime::Method::OPTIONS),
        Method::Head => quote!(::apigen_runtime::Method::HEAD),
        Method::Patch => quote!(::apigen_runtime::Method::PATCH),
        Method::Trace => quote!(::apigen_runtime::Method::TRACE),
    }
}

/// How a parameter is taken as an argument and turned into a string.
struct ArgShape {
    ty: TokenStream,
    /// Expression of type `&str` for the argument (may borrow a temporary).
    to_str: TokenStream,
}

fn arg_shape(api: &Api, p: &Param) -> ArgShape {
    let name = ident(&p.name);
    scalar_shape(api, &p.ty, quote!(#name)).unwrap_or_else(|| {
        let ty = rust_type(api, &p.ty, Scope::Crate);
        ArgShape {
            ty: quote!(&#ty),
            to_str: quote!(&::serde_json::to_string(#name).unwrap_or_default()),
        }
    })
}

fn scalar_shape(api: &Api, t: &TypeRef, value: TokenStream) -> Option<ArgShape> {
    match t {
        TypeRef::Primitive(Primitive::String | Primitive::Binary) => Some(ArgShape {
            ty: quote!(&str),
            to_str: value,
        }),
        TypeRef::Primitive(
            p @ (Primitive::Bool
            | Primitive::I8
            | Primitive::U8
            | Primitive::I16
            | Primitive::I32
            | Primitive::I64
            | Primitive::U32
            | Primitive::U64
            | Primitive::F32
            | Primitive::F64),
        ) => {
            let ty = primitive(*p);
            Some(ArgShape {
                ty,
                to_str: quote!(&::std::string::ToString::to_string(&#value)),
            })
        }
        TypeRef::Primitive(p) => {
            let ty = primitive(*p);
            Some(ArgShape {
                ty: quote!(&#ty),
                to_str: quote!(&::std::string::ToString::to_string(#value)),
            })
        }
        TypeRef::Named(id) => match &api.ty(*id).kind {
            TypeKind::Enum(e) => {
                let ty = rust_type(api, t, Scope::Crate);
                Some(match e.repr {
                    crate::ir::EnumRepr::String => ArgShape {
                        ty: quote!(&#ty),
                        to_str: quote!(#value.as_str()),
                    },
                    crate::ir::EnumRepr::Integer => ArgShape {
                        ty: quote!(#ty),
                        to_str: quote!(&::std::string::ToString::to_string(&#value.value())),
                    },
                })
            }
            TypeKind::Alias(inner) => scalar_shape(api, inner, value),
            _ => None,
        },
        _ => None,
    }
}

fn operation(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let docs = operation_docs(op);
    let method = method_tokens(op.method);

    let mut args: Vec<TokenStream> = Vec::new();

    // Path: literal pieces and parameters in order.
    let path_params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .collect();
    let mut format_str = String::new();
    let mut rest = op.path.as_str();
    let mut segment_exprs: Vec<(TokenStream, String)> = Vec::new();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let pname = &rest[start + 1..start + len];
        // `name='{value}'`: an OData string literal; the quotes come with the encoded value
        // (which doubles any `'` inside), and an empty string is allowed.
        let quoted = rest[..start].ends_with('\'') && rest[start + len + 1..].starts_with('\'');
        let literal_end = if quoted { start - 1 } else { start };
        format_str.push_str(&rest[..literal_end].replace('{', "{{").replace('}', "}}"));
        let idx = segment_exprs.len();
        let var = format!("p{idx}");
        format_str.push('{');
        format_str.push_str(&var);
        format_str.push('}');
        if let Some(p) = path_params.iter().find(|p| p.api_name == pname) {
            let shape = arg_shape(api, p);
            let wire = &p.api_name;
            let to_str = shape.to_str;
            let expr = if quoted {
                quote!(::apigen_runtime::Result::Ok(::apigen_runtime::path::odata_key_literal(#to_str)))
            } else {
                quote!(::apigen_runtime::path::segment(#wire, #to_str))
            };
            segment_exprs.push((expr, var));
        } else {
            let literal = format!("{{{pname}}}");
            segment_exprs.push((
                quote!(::apigen_runtime::Result::Ok(#literal.to_owned())),
                var,
            ));
        }
        rest = &rest[start + len + 1 + usize::from(quoted)..];
    }
    format_str.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    for p in &path_params {
        let shape = arg_shape(api, p);
        let pname = ident(&p.name);
        let ty = shape.ty;
        args.push(quote!(#pname: #ty));
    }
    let path_expr = if segment_exprs.is_empty() {
        quote!(#format_str)
    } else {
        // segment(a).and_then(|p0| segment(b).map(|p1| format!(...)))
        let vars: Vec<proc_macro2::Ident> = segment_exprs.iter().map(|(_, v)| ident(v)).collect();
        let mut expr = quote!(::std::format!(#format_str));
        for (i, (seg, _)) in segment_exprs.iter().enumerate().rev() {
            let v = &vars[i];
            expr = if i == segment_exprs.len() - 1 {
                quote!(#seg.map(|#v| #expr))
            } else {
                quote!(#seg.and_then(|#v| #expr))
            };
        }
        expr
    };

    // Query, header and cookie parameters, then the body: each is a method call on the request,
    // unconditional (chained) or under a condition (statements on a mutable binding).
    let mut steps: Vec<Step> = Vec::new();
    for p in op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
    {
        let pname = ident(&p.name);
        let wire = &p.api_name;
        let list_item = match &p.ty {
            TypeRef::List(inner) => Some(&**inner),
            _ => None,
        };
        let (arg_ty, step) = match list_item
            .map(|item| (item, scalar_shape(api, item, quote!(item))))
        {
            Some((_, Some(shape))) => {
                let item_ty = shape.ty;
                let to_str = shape.to_str;
                let step = match (p.location, p.style) {
                    (ParamLocation::Query, ParamStyle::Form { explode: true }) => {
                        Step::Stmt(quote! {
                            for item in #pname {
                                request = request.query(#wire, #to_str);
                            }
                        })
                    }
                    (loc, style) => {
                        let sep = match style {
                            ParamStyle::SpaceDelimited => " ",
                            ParamStyle::PipeDelimited => "|",
                            _ => ",",
                        };
                        let joined = quote! {
                            &#pname
                                .iter()
                                .map(|item| ::std::string::ToString::to_string(#to_str))
                                .collect::<::std::vec::Vec<_>>()
                                .join(#sep)
                        };
                        if loc == ParamLocation::Header {
                            Step::Call(quote!(header(#wire, #joined)))
                        } else {
                            Step::Call(quote!(query(#wire, #joined)))
                        }
                    }
                };
                (quote!(&[#item_ty]), step)
            }
            Some((_, None)) => {
                let ty = rust_type(api, &p.ty, Scope::Crate);
                (
                    quote!(&#ty),
                    Step::Call(
                        quote!(query(#wire, ::serde_json::to_string(#pname).unwrap_or_default())),
                    ),
                )
            }
            None => {
                let shape = arg_shape(api, p);
                let to_str = shape.to_str;
                let step = match p.location {
                    ParamLocation::Header => Step::Call(quote!(header(#wire, #to_str))),
                    ParamLocation::Cookie => Step::Call(quote!(header(
                        "cookie",
                        &::std::format!("{}={}", #wire, ::apigen_runtime::query::encode_value(#to_str))
                    ))),
                    _ => Step::Call(quote!(query(#wire, #to_str))),
                };
                (shape.ty, step)
            }
        };
        if p.required {
            args.push(quote!(#pname: #arg_ty));
            steps.push(step);
        } else {
            args.push(quote!(#pname: ::std::option::Option<#arg_ty>));
            let inner = step.into_stmt();
            steps.push(Step::Stmt(quote! {
                if let ::std::option::Option::Some(#pname) = #pname {
                    #inner
                }
            }));
        }
    }

    if let Some(body) = &op.body {
        let ty = rust_type(api, &body.ty, Scope::Crate);
        let ct = &body.content_type;
        let (arg_ty, call) = match body.encoding {
            BodyEncoding::Json => (quote!(&#ty), quote!(json(body))),
            BodyEncoding::Form => (quote!(&#ty), quote!(form(body))),
            BodyEncoding::Text => (
                quote!(impl ::std::convert::Into<::std::string::String>),
                quote!(body(::apigen_runtime::Bytes::from(body.into()), #ct)),
            ),
            BodyEncoding::Binary | BodyEncoding::Multipart => (
                quote!(impl ::std::convert::Into<::apigen_runtime::Bytes>),
                quote!(body(body, #ct)),
            ),
        };
        if body.required || !matches!(body.encoding, BodyEncoding::Json | BodyEncoding::Form) {
            args.push(quote!(body: #arg_ty));
            steps.push(Step::Call(call));
        } else {
            args.push(quote!(body: ::std::option::Option<#arg_ty>));
            steps.push(Step::Stmt(quote! {
                if let ::std::option::Option::Some(body) = body {
                    request = request.#call;
                }
            }));
        }
    }

    let has_path_params = !segment_exprs.is_empty();
    let (make, ret) = if let Some(paging) = &op.paging {
        let item = rust_type(api, &paging.item, Scope::Crate);
        let make = if has_path_params {
            quote!(self.core.paged_at(#path_expr))
        } else {
            quote!(self.core.paged(#path_expr))
        };
        (make, quote!(::apigen_runtime::PagedRequest<#item>))
    } else {
        let (out_ty, decode) = success_body(api, op);
        let options = query_options(op.odata);
        let mut make = if has_path_params {
            quote!(self.core.request_at(#method, #path_expr, #decode))
        } else {
            quote!(self.core.request(#method, #path_expr, #decode))
        };
        if op.odata.any() {
            make = quote!(#make.with_query_options());
        }
        (make, quote!(::apigen_runtime::Request<#out_ty #options>))
    };
    let body = if steps.iter().all(|s| matches!(s, Step::Call(_))) {
        let calls = steps.iter().map(|s| match s {
            Step::Call(c) => c.clone(),
            Step::Stmt(_) => unreachable!("checked above"),
        });
        quote!(#make #(.#calls)*)
    } else {
        let stmts = steps.into_iter().map(Step::into_stmt);
        quote! {
            let mut request = #make;
            #(#stmts)*
            request
        }
    };
    quote! {
        #docs
        pub fn #name(&self, #(#args),*) -> #ret {
            #body
        }
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

fn query_options(o: ODataOptions) -> TokenStream {
    if o.any_collection() {
        quote!(, ::apigen_runtime::query::CollectionOptions)
    } else if o.any() {
        quote!(, ::apigen_runtime::query::ItemOptions)
    } else {
        quote!()
    }
}

/// The type a successful response decodes into, and the decode function.
fn success_body(api: &Api, op: &Operation) -> (TokenStream, TokenStream) {
    let success = op.responses.iter().filter(|r| r.status.is_success());
    let mut chosen: Option<&ResponseBody> = None;
    for r in success {
        match (&chosen, &r.body) {
            (None, b) => chosen = Some(b),
            (Some(ResponseBody::Empty), b) if !matches!(b, ResponseBody::Empty) => chosen = Some(b),
            _ => {}
        }
    }
    match chosen {
        Some(ResponseBody::Json(t)) => {
            let ty = rust_type(api, t, Scope::Crate);
            (ty, quote!(::apigen_runtime::decode::json))
        }
        Some(ResponseBody::ODataValue(t)) => {
            let ty = rust_type(api, t, Scope::Crate);
            (ty, quote!(::apigen_runtime::decode::odata_value))
        }
        Some(ResponseBody::Text) => (
            quote!(::std::string::String),
            quote!(::apigen_runtime::decode::text),
        ),
        Some(ResponseBody::Binary) => (
            quote!(::apigen_runtime::Bytes),
            quote!(::apigen_runtime::decode::bytes),
        ),
        Some(ResponseBody::ODataError) => (
            quote!(::apigen_runtime::odata::ODataError),
            quote!(::apigen_runtime::decode::json),
        ),
        Some(ResponseBody::Empty) | None => (quote!(()), quote!(::apigen_runtime::decode::empty)),
    }
}
