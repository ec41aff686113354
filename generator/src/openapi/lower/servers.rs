//! `servers` of the document, of path items and of operations -> the default base URL, the
//! listed servers, and an operation's own server.

use super::*;
use crate::ir::{Server, ServerVariable, UrlPart};

impl Lower<'_> {
    /// The servers at `ptr` (the document's, a path item's or an operation's); a warning for
    /// each `{variable}` a URL uses but does not declare (it has no default, so the URL has
    /// none either).
    pub(super) fn servers(&mut self, servers: &[openapiv3::Server], ptr: &str) -> Vec<Server> {
        servers
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let server = Server {
                    url: s.url.trim().to_owned(),
                    description: s.description.clone().filter(|d| !d.trim().is_empty()),
                    variables: s
                        .variables
                        .iter()
                        .flatten()
                        .map(|(name, v)| ServerVariable {
                            name: name.clone(),
                            default: (!v.extensions.contains_key(crate::openapi::NO_DEFAULT))
                                .then(|| v.default.clone()),
                            values: v.enumeration.clone(),
                            description: v.description.clone().filter(|d| !d.trim().is_empty()),
                        })
                        .collect(),
                };
                for part in server.parts() {
                    if let UrlPart::Variable(name) = part
                        && !server.variables.iter().any(|v| v.name == name)
                    {
                        self.diags.push(
                            Diagnostic::warning(
                                self.loc(&format!("{ptr}/{i}/url")),
                                format!(
                                    "the server URL uses `{{{name}}}`, which its `variables` do \
                                     not declare; the URL has no default"
                                ),
                            )
                            .expected(format!("`variables: {{{name}: {{default: ...}}}}`")),
                        );
                    }
                }
                server
            })
            .collect()
    }

    /// The base URL of the first of `servers` (an operation's or a path item's) with an absolute
    /// default URL, when that is not `default`, the document's.
    pub(super) fn own_server(servers: &[Server], default: Option<&str>) -> Option<String> {
        let url = servers.iter().find_map(Server::default_url)?;
        (Some(url.as_str()) != default).then_some(url)
    }
}
