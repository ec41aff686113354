//! The `mock` module of a generated crate (cargo feature `mock`, off by default): one stub
//! method per operation on `mock::MockServer`, returning the runtime's typed
//! `apigen_runtime::mock::Stub<Body, Answer, Error>`. Everything else (the server, matching,
//! reports, pages, throttling, errors) is the runtime's, so each operation costs one small
//! method: a crate of 20,000 operations must still check fast with the feature on.
//!
//! The module is in files of its own (`src/mock.rs`, or `src/mock/` per area in a split crate)
//! and `lib.rs` declares it under `#[cfg(feature = "mock")]`: with the feature off, nothing of
//! it is compiled, and every other file is what it would be without mocks.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::{code, lines_to_attrs};
use crate::emit::layout::Layout;
use crate::emit::types::{Scope, ident, rust_type};
use crate::format::Printer;
use crate::ir::{
    Api, BodyEncoding, Method, Operation, ResponseBody, Returns, StatusMatch, TypeRef,
};

/// The cargo feature, and the module.
pub const FEATURE: &str = "mock";

/// The stub method names, one per operation (see [`crate::naming::mock_stub_names`]).
pub fn stub_names(api: &Api) -> Vec<String> {
    let names: Vec<&str> = api.operations.iter().map(|op| op.name.as_str()).collect();
    crate::naming::mock_stub_names(&names)
}

/// Whether the API follows OData's conventions (paging over `@odata.nextLink`, OData error
/// bodies): its mock then answers throttled requests and errors as Microsoft Graph does.
fn is_odata(api: &Api) -> bool {
    api.operations.iter().any(|op| {
        op.paging().is_some()
            || op
                .responses
                .iter()
                .any(|r| matches!(r.body, ResponseBody::ODataError))
    })
}

/// The module's docs.
fn module_docs(p: &Printer) -> TokenStream {
    crate::emit::docs::inner_doc_attrs(
        p,
        "Typed stubs of the API's operations on a loopback HTTP server, for testing code that uses [`Client`](crate::Client) without the network (cargo feature `mock`).\n\n[`MockServer`] has one method per operation, named as the client's, returning an [`apigen_runtime::mock::Stub`] whose matchers (`when`) take the operation's request body type and whose answers (`then`) take its response types: `ok`/`created`/`success` with the success body, `pages` for list operations (next links, `@odata.count`, delta links), `not_found` and the other error statuses with the documented error body, plus `throttled`, `odata_error`, `delay` and raw answers. Dropping the server checks the stubs' expectations and that every request was matched, with a report of the nearest stubs otherwise.",
    )
}

/// `apigen_runtime::mock_server!(..)`: the `MockServer` type of the crate.
fn server(api: &Api) -> TokenStream {
    let protocol = if is_odata(api) {
        quote!(OData)
    } else {
        quote!(Plain)
    };
    quote! {
        apigen_runtime::mock_server!(#protocol);
    }
}

/// `src/mock.rs` of an unsplit crate.
pub fn mock_file(p: &Printer, api: &Api, names: &[String]) -> TokenStream {
    let docs = module_docs(p);
    let server = server(api);
    let indices: Vec<usize> = (0..api.operations.len()).collect();
    let (methods, imports) = stub_methods(p, api, &indices, names);
    quote! {
        #docs
        #imports
        #server
        #methods
    }
}

/// `src/mock/mod.rs` of a split crate: the server, and a module per area behind its feature.
pub fn mock_mod(p: &Printer, api: &Api, layout: &Layout) -> TokenStream {
    let docs = module_docs(p);
    let server = server(api);
    let mods = layout.areas.iter().map(|a| {
        let m = ident(&a.module);
        let feature = &a.feature;
        quote! {
            #[cfg(feature = #feature)]
            mod #m;
        }
    });
    quote! {
        #docs
        #server
        #(#mods)*
    }
}

/// `src/mock/<area>.rs` of a split crate.
pub fn mock_area(
    p: &Printer,
    api: &Api,
    layout: &Layout,
    area: usize,
    names: &[String],
) -> TokenStream {
    let indices: Vec<usize> = layout
        .op_area
        .iter()
        .enumerate()
        .filter(|(_, a)| **a == area)
        .map(|(i, _)| i)
        .collect();
    let (methods, imports) = stub_methods(p, api, &indices, names);
    quote! {
        use super::MockServer;
        #imports
        #methods
    }
}

/// The path of a file of an area's stubs.
pub fn area_path(layout: &Layout, area: usize) -> String {
    format!(
        "src/mock/{}.rs",
        layout.areas[area].module.trim_start_matches("r#")
    )
}

/// One `impl MockServer` with the stub methods of the operations at `indices`, and the imports
/// they need (`crate::models` when they name a model, the runtime's stub types they use, so
/// that each method is short).
fn stub_methods(
    p: &Printer,
    api: &Api,
    indices: &[usize],
    names: &[String],
) -> (TokenStream, TokenStream) {
    let mut uses = Uses::default();
    let odata = is_odata(api);
    let methods: Vec<TokenStream> = indices
        .iter()
        .map(|&i| {
            let op = &api.operations[i];
            let types = StubTypes::of(api, op, odata, &mut uses);
            stub_method(p, op, &names[i], &types)
        })
        .collect();
    if methods.is_empty() {
        return (quote!(), quote!());
    }
    let models = if uses.models {
        quote!(
            use crate::models;
        )
    } else {
        quote!()
    };
    let mock: Vec<proc_macro2::Ident> = uses.mock.iter().map(|n| ident(n)).collect();
    let odata_error = if uses.odata_error {
        quote!(
            use apigen_runtime::odata::ODataError;
        )
    } else {
        quote!()
    };
    (
        quote! {
            impl MockServer {
                #(#methods)*
            }
        },
        quote! {
            use apigen_runtime::Method;
            use apigen_runtime::mock::{#(#mock),*};
            #odata_error
            #models
        },
    )
}

/// What the stub methods of a file name, to import it.
#[derive(Default)]
struct Uses {
    /// `crate::models`.
    models: bool,
    /// `apigen_runtime::odata::ODataError`.
    odata_error: bool,
    /// Types of `apigen_runtime::mock` (`Stub`, `Json`, `NoBody`...).
    mock: BTreeSet<&'static str>,
}

impl Uses {
    /// `name` of `apigen_runtime::mock`, imported.
    fn mock(&mut self, name: &'static str) -> TokenStream {
        self.mock.insert(name);
        let name = ident(name);
        quote!(#name)
    }

    /// `ODataError`, imported.
    fn odata_error(&mut self) -> TokenStream {
        self.odata_error = true;
        quote!(ODataError)
    }
}

/// The type arguments of an operation's `Stub<B, R, E>`.
struct StubTypes {
    body: TokenStream,
    answer: TokenStream,
    error: TokenStream,
    /// The documented success status (the one a stub answers by default).
    success: u16,
}

impl StubTypes {
    fn of(api: &Api, op: &Operation, odata: bool, uses: &mut Uses) -> StubTypes {
        let ty = |t: &TypeRef, uses: &mut Uses| {
            uses.models |= t.names_a_type();
            rust_type(api, t, Scope::Crate)
        };
        let body = match &op.body {
            Some(b) if b.encoding == BodyEncoding::Json => ty(&b.ty, uses),
            _ => uses.mock("NoBody"),
        };
        let answer = match &op.returns {
            Returns::Paged(paging) => {
                let item = ty(&paging.item, uses);
                let kind = uses.mock(if op.is_delta() { "Delta" } else { "Paged" });
                quote!(#kind<#item>)
            }
            Returns::Single(body) | Returns::Optional(body) => match body {
                ResponseBody::Json(t) => {
                    let t = ty(t, uses);
                    let json = uses.mock("Json");
                    quote!(#json<#t>)
                }
                ResponseBody::ODataValue(t) => {
                    let t = ty(t, uses);
                    let value = uses.mock("ODataValue");
                    quote!(#value<#t>)
                }
                ResponseBody::ODataError => {
                    let json = uses.mock("Json");
                    let error = uses.odata_error();
                    quote!(#json<#error>)
                }
                ResponseBody::Text => uses.mock("Text"),
                ResponseBody::Binary => uses.mock("Binary"),
                ResponseBody::Empty => uses.mock("NoContent"),
            },
            // Bodies that differ by status: any JSON.
            Returns::ByStatus(_) => {
                let json = uses.mock("Json");
                quote!(#json<serde_json::Value>)
            }
        };
        // The documented error body: one type for all error statuses, OData's error, or (none
        // documented, or several) any JSON.
        let mut errors: Vec<&ResponseBody> = Vec::new();
        for r in op.responses.iter().filter(|r| !r.status.is_success()) {
            if matches!(r.body, ResponseBody::Json(_) | ResponseBody::ODataError)
                && !errors.contains(&&r.body)
            {
                errors.push(&r.body);
            }
        }
        let error = match errors.as_slice() {
            [ResponseBody::Json(t)] => ty(t, uses),
            [ResponseBody::ODataError] => uses.odata_error(),
            [] if odata => uses.odata_error(),
            _ => quote!(serde_json::Value),
        };
        uses.mock("Stub");
        let success = if op.paging().is_some() {
            200
        } else {
            op.responses
                .iter()
                .find_map(|r| match r.status {
                    StatusMatch::Code(c) if (200..300).contains(&c) => Some(c),
                    _ => None,
                })
                .unwrap_or(200)
        };
        StubTypes {
            body,
            answer,
            error,
            success,
        }
    }
}

/// The method, with `apigen_runtime::Method` imported.
fn method_tokens(m: Method) -> TokenStream {
    let name = ident(m.as_str());
    quote!(Method::#name)
}

/// The stub method of `op`.
fn stub_method(p: &Printer, op: &Operation, name: &str, types: &StubTypes) -> TokenStream {
    let fn_name = ident(name);
    let client_name = op.name.trim_start_matches("r#");
    let doc = lines_to_attrs(
        p,
        &format!(
            "Stubs [`Client::{client_name}`](crate::Client::{client_name}): {}.",
            code(&format!("{} {}", op.method.as_str(), op.path))
        ),
    );
    let StubTypes {
        body,
        answer,
        error,
        success,
        ..
    } = types;
    let method = method_tokens(op.method);
    let path = &op.path;
    let success = proc_macro2::Literal::u16_unsuffixed(*success);
    // Pages whose items or next link are not OData's (Azure's `x-ms-pageable`, arrays with a
    // `Link` header), as the client reads them.
    let fields = op.paging().map(super::client::page_shape);
    quote! {
        #doc
        pub fn #fn_name(&self) -> Stub<#body, #answer, #error> {
            self.stub(#client_name, #method, #path, #success) #fields
        }
    }
}
