//! What the client says about servers: the `# Servers` section of its docs and
//! `Client::base_url_with`, which builds a server's URL from its variables.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::{code, lines_to_attrs, sanitize};
use crate::emit::types::ident;
use crate::format::Printer;
use crate::ir::{Api, Server, ServerVariable, UrlPart};

/// Whether a base URL is relative (a path, no scheme and host), or missing.
pub(super) fn is_relative(url: Option<&str>) -> bool {
    url.is_none_or(|u| !u.contains("://"))
}

/// The `# Servers` section of the client's docs: every server of the description, with its
/// variables, when there is a choice to make (several servers, or variables) or the default
/// is not absolute.
pub(super) fn servers_doc(api: &Api) -> Option<String> {
    let choice = api.servers.len() > 1 || api.servers.iter().any(|s| !s.variables.is_empty());
    if api.servers.is_empty() || !(choice || is_relative(api.base_url.as_deref())) {
        return None;
    }
    let mut doc = String::from("# Servers\n\nThe description lists these base URLs");
    let build = if templated_server(api).is_some() {
        " (`Client::base_url_with` builds one from its variables)"
    } else {
        ""
    };
    match is_relative(api.base_url.as_deref()) {
        false => doc.push_str(&format!(
            "; give another to `Client::builder().base_url(..)`{build}:\n"
        )),
        true => doc.push_str(&format!(
            ", and none is an absolute URL with its variables' defaults: give \
             `Client::builder().base_url(..)` the service's{build}:\n"
        )),
    }
    for server in &api.servers {
        doc.push_str(&format!("\n- {}", code(&server.url)));
        if let Some(d) = &server.description {
            doc.push_str(&format!(": {}", sanitize(d.trim())));
        }
        for v in &server.variables {
            doc.push_str(&format!("\n  - {}: {}", code(&v.name), variable_doc(v)));
        }
    }
    Some(doc)
}

/// A server variable's description, default and values: `The region. Default `eu`; one of
/// `eu`, `us`.`
fn variable_doc(v: &ServerVariable) -> String {
    let mut d = String::new();
    if let Some(desc) = &v.description {
        let desc = sanitize(desc.trim());
        d.push_str(&desc);
        if !desc.ends_with(['.', '!', '?']) {
            d.push('.');
        }
        d.push(' ');
    }
    match &v.default {
        Some(default) => d.push_str(&format!("Default {}", code(default))),
        None => d.push_str("No default"),
    }
    if !v.values.is_empty() {
        let values: Vec<String> = v.values.iter().map(|x| code(x)).collect();
        d.push_str(&format!("; one of {}", values.join(", ")));
    }
    d.push('.');
    d
}

/// The server `Client::base_url_with` builds the URL of, when it has variables.
fn templated_server(api: &Api) -> Option<&Server> {
    let server = match api.servers.iter().find(|s| s.default_url().is_some()) {
        Some(s) => s,
        None => api.servers.iter().find(|s| !s.variables.is_empty())?,
    };
    let declared = |name: &str| server.variables.iter().any(|v| v.name == name);
    let complete = server.parts().iter().all(|part| match part {
        UrlPart::Variable(name) => declared(name),
        UrlPart::Text(_) => true,
    });
    (!server.variables.is_empty() && complete).then_some(server)
}

/// `Client::base_url_with`: the URL of the server the default base URL comes from, or of the
/// first server with variables when none gives a default (Azure's `{endpoint}`), with its
/// variables given.
pub(super) fn base_url_with(p: &Printer, api: &Api) -> TokenStream {
    let Some(server) = templated_server(api) else {
        return quote!();
    };
    // One argument per variable, in the order the URL uses them (a variable used twice is
    // one argument).
    let mut scope = crate::naming::NameScope::with_reserved(&[]);
    let mut args: Vec<(&str, proc_macro2::Ident)> = Vec::new();
    let mut pieces = Vec::new();
    let mut arg_docs = Vec::new();
    for part in server.parts() {
        match part {
            UrlPart::Text(text) => pieces.push(quote!(#text)),
            UrlPart::Variable(name) => {
                if let Some((_, arg)) = args.iter().find(|(n, _)| *n == name) {
                    pieces.push(quote!(#arg));
                    continue;
                }
                let Some(v) = server.variables.iter().find(|v| v.name == name) else {
                    return quote!();
                };
                let arg = ident(&scope.claim(&crate::naming::snake_ident(name, "value")));
                let shown = arg.to_string();
                let shown = shown.trim_start_matches("r#");
                let wire = if shown == name {
                    String::new()
                } else {
                    format!(" ({} in the URL)", code(name))
                };
                arg_docs.push(format!("- `{shown}`{wire}: {}", variable_doc(v)));
                pieces.push(quote!(#arg));
                args.push((name, arg));
            }
        }
    }
    let docs = lines_to_attrs(
        p,
        &format!(
            "The base URL {} with its variables set, for `Client::builder().base_url(..)`.\n\n{}",
            code(&server.url),
            arg_docs.join("\n")
        ),
    );
    let args = args.iter().map(|(_, a)| quote!(#a: &str));
    quote! {
        #docs
        pub fn base_url_with(#(#args),*) -> String {
            [#(#pieces),*].concat()
        }
    }
}
