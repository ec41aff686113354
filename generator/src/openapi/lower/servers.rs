//! `servers` of the document, of path items and of operations -> the default base URL, the
//! listed servers, and an operation's own server.

use super::*;
use crate::ir::{Server, ServerVariable, UrlPart};

impl Lower<'_> {
    /// The document's servers; a warning for each `{variable}` a URL uses but does not declare
    /// (it has no default, so the URL has none either).
    pub(super) fn servers(&mut self, servers: &[openapiv3::Server], ptr: &str) -> Vec<Server> {
        self.servers_warning(servers, ptr, true)
    }

    fn servers_warning(
        &mut self,
        servers: &[openapiv3::Server],
        ptr: &str,
        warn: bool,
    ) -> Vec<Server> {
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
                        && warn
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

    /// The base URL of an operation's own servers (the operation's, else its path item's): the
    /// first one with an absolute default URL, when that is not `default`, the document's.
    /// `first` is whether this is the path item's first operation (its servers are warned
    /// about once).
    pub(super) fn operation_server(
        &mut self,
        item: &PathItem,
        op: &openapiv3::Operation,
        ptr: &str,
        default: Option<&str>,
        first: bool,
    ) -> Option<String> {
        let (servers, at, warn) = if !op.servers.is_empty() {
            (&op.servers, format!("{ptr}/servers"), true)
        } else {
            let path_ptr = ptr.rsplit_once('/').map_or(ptr, |(p, _)| p);
            (&item.servers, format!("{path_ptr}/servers"), first)
        };
        if servers.is_empty() {
            return None;
        }
        let url = self
            .servers_warning(servers, &at, warn)
            .iter()
            .find_map(Server::default_url)?;
        (Some(url.as_str()) != default).then_some(url)
    }
}
