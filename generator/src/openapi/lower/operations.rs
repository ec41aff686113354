//! Path items -> operations: names, parameters, bodies and responses put together, and paging.

use super::*;

impl Lower<'_> {
    /// The operations; `base_url` is the document's default (an operation's own server is
    /// kept when it differs).
    pub(super) fn operations(&mut self, base_url: Option<&str>) -> Vec<Operation> {
        let doc = self.doc;
        let mut ops = Vec::new();
        let mut scope = NameScope::with_reserved(CLIENT_RESERVED);
        for (path, item) in &doc.paths.paths {
            let pptr = ptr_join("/paths", path);
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { reference } => {
                    self.diags.warning(
                        self.loc(&pptr),
                        format!("path item reference `{reference}` is not supported; the path is skipped"),
                    );
                    continue;
                }
            };
            // Servers of the path item, for its operations without their own.
            let item_servers = self.servers(&item.servers, &format!("{pptr}/servers"));
            for (method, op) in methods(item) {
                let optr = ptr_join(&pptr, &method.as_str().to_ascii_lowercase());
                if let Some(mut o) = self.operation(path, item, method, op, &optr, &mut scope) {
                    let own;
                    let servers = if op.servers.is_empty() {
                        &item_servers
                    } else {
                        own = self.servers(&op.servers, &format!("{optr}/servers"));
                        &own
                    };
                    o.server = Self::own_server(servers, base_url);
                    ops.push(o);
                }
            }
        }
        ops
    }

    /// One operation: its responses first (paging decides between `list_` and `get_` names),
    /// then its name, parameters, body and what it returns.
    pub(super) fn operation(
        &mut self,
        path: &str,
        item: &PathItem,
        method: Method,
        op: &openapiv3::Operation,
        ptr: &str,
        scope: &mut NameScope,
    ) -> Option<Operation> {
        let api_name = op
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{} {path}", method.as_str()));
        // Inline types of the operation are named after it.
        let hint_base = naming::pascal_case(&match (
            &op.operation_id,
            self.config.client.operation_names,
        ) {
            (Some(id), OperationNames::OperationId) => id.clone(),
            _ => naming::operation_name_from_path(method, path, false),
        });
        let responses = self.responses(op, &hint_base, ptr);
        let paging = self.paging(op, &responses);
        let is_collection = paging.is_some()
            || responses.iter().any(|r| {
                r.status.is_success() && matches!(&r.body, ResponseBody::Json(TypeRef::List(_)))
            });
        let name_source = match (&op.operation_id, self.config.client.operation_names) {
            (Some(id), OperationNames::OperationId) => snake_ident(id, "operation"),
            _ => snake_ident(
                &naming::operation_name_from_path(method, path, is_collection),
                "operation",
            ),
        };
        let name = scope.claim(&name_source);
        let declared = self.declared_parameters(item, op, ptr);
        let (params, odata) = self.parameters(path, declared, &hint_base, ptr);
        let body = match &op.request_body {
            Some(rb) => self.request_body(rb, &hint_base, &format!("{ptr}/requestBody")),
            None => None,
        };
        let permissions = self.permissions(op);
        let returns = match paging {
            Some(paging) => crate::ir::Returns::Paged(paging),
            None => lowering::success_shape(
                &mut self.arena,
                &responses,
                &naming::pascal_case(&name),
                &api_name,
            ),
        };
        Some(Operation {
            api_name,
            name,
            method,
            path: path.to_owned(),
            docs: Docs {
                summary: op.summary.clone().filter(|s| !s.trim().is_empty()),
                description: long_running_note(
                    op,
                    op.description.clone().filter(|s| !s.trim().is_empty()),
                ),
            },
            external_docs: op.external_docs.as_ref().map(|e| e.url.clone()),
            deprecated: op.deprecated,
            tags: op.tags.clone(),
            params,
            odata,
            body,
            responses,
            returns,
            permissions,
            server: None,
        })
    }

    /// The documented responses, by status, then `default`.
    fn responses(
        &mut self,
        op: &openapiv3::Operation,
        hint_base: &str,
        ptr: &str,
    ) -> Vec<Response> {
        let mut responses = Vec::new();
        for (status, resp) in &op.responses.responses {
            let (status, token) = match status {
                StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
                StatusCode::Range(r) => (StatusMatch::Range(*r as u8), format!("{r}XX")),
            };
            let rptr = ptr_join(&format!("{ptr}/responses"), &token);
            if let Some(r) = self.response(status, resp, hint_base, &rptr) {
                responses.push(r);
            }
        }
        if let Some(resp) = &op.responses.default {
            let rptr = format!("{ptr}/responses/default");
            if let Some(r) = self.response(StatusMatch::Default, resp, hint_base, &rptr) {
                responses.push(r);
            }
        }
        responses
    }

    /// Paging by `@odata.nextLink`: an `x-ms-pageable` operation, or a GET whose success body
    /// has a `value` array and an `@odata.nextLink`.
    pub(super) fn paging(
        &mut self,
        op: &openapiv3::Operation,
        responses: &[Response],
    ) -> Option<Paging> {
        let pageable = op.extensions.get("x-ms-pageable");
        let next_link_field = pageable
            .and_then(|p| p.get("nextLinkName"))
            .and_then(Value::as_str)
            .unwrap_or("@odata.nextLink")
            .to_owned();
        let items_field = pageable
            .and_then(|p| p.get("itemName"))
            .and_then(Value::as_str)
            .unwrap_or("value")
            .to_owned();
        let success = responses.iter().find(|r| r.status.is_success())?;
        // A list with a `Link` header: the pages are arrays (GitHub, GitLab).
        let list = match &success.body {
            ResponseBody::Json(TypeRef::List(item)) => Some((**item).clone()),
            // A named array (`$ref: '#/components/schemas/Issues'`).
            ResponseBody::Json(TypeRef::Named(id)) => {
                match &self.arena.get(self.resolve_alias(*id)).kind {
                    TypeKind::Alias(TypeRef::List(item)) => Some((**item).clone()),
                    _ => None,
                }
            }
            _ => None,
        };
        if pageable.is_none()
            && let Some(item) = list
            && self.declares_link_header(op, &success.status)
        {
            let item = match item {
                TypeRef::Nullable(inner) => *inner,
                other => other,
            };
            return Some(Paging::link_header(item));
        }
        let ResponseBody::Json(TypeRef::Named(envelope)) = &success.body else {
            return None;
        };
        let envelope = self.resolve_alias(*envelope);
        let TypeKind::Struct(s) = &self.arena.get(envelope).kind else {
            return None;
        };
        let items = s.fields.iter().find(|f| f.api_name == items_field)?;
        let has_next = s.fields.iter().any(|f| f.api_name == next_link_field);
        if !(has_next || pageable.is_some()) {
            return None;
        }
        let TypeRef::List(item) = &items.ty else {
            return None;
        };
        let item = match &**item {
            TypeRef::Nullable(inner) => (**inner).clone(),
            other => other.clone(),
        };
        // The envelope and its bases are replaced by the runtime's `Page<T>`.
        let mut t = Some(envelope);
        while let Some(id) = t {
            if only_paging_fields(self.arena.get(id)) {
                self.non_roots.insert(id);
            }
            t = match &self.arena.get(id).kind {
                TypeKind::Struct(s) => s.base,
                _ => None,
            };
        }
        Some(Paging {
            item,
            items_field,
            next_link_field,
            link_header: false,
        })
    }

    /// Whether the response for `status` declares a `Link` header (RFC 8288), the way GitHub
    /// and GitLab say a list is paged.
    fn declares_link_header(&self, op: &openapiv3::Operation, status: &StatusMatch) -> bool {
        let key = match status {
            StatusMatch::Code(c) => openapiv3::StatusCode::Code(*c),
            StatusMatch::Range(r) => openapiv3::StatusCode::Range(u16::from(*r)),
            StatusMatch::Default => return false,
        };
        let mut current = op.responses.responses.get(&key);
        // References chain at most as far as there are responses.
        let components = self.doc.components.as_ref().map(|c| &c.responses);
        for _ in 0..=components.map_or(0, |c| c.len()) {
            match current {
                Some(ReferenceOr::Item(r)) => {
                    return r.headers.keys().any(|h| h.eq_ignore_ascii_case("link"));
                }
                Some(ReferenceOr::Reference { reference }) => {
                    let name = reference.strip_prefix("#/components/responses/");
                    current = name.and_then(|n| components?.get(n));
                }
                None => return false,
            }
        }
        false
    }
}

/// The description of an operation marked `x-ms-long-running-operation: true` (Azure), with
/// what a caller needs to know: the method returns the service's first answer, and the
/// headers to poll come with the request's `send()`.
fn long_running_note(op: &openapiv3::Operation, description: Option<String>) -> Option<String> {
    if op.extensions.get("x-ms-long-running-operation") != Some(&Value::Bool(true)) {
        return description;
    }
    let note = "Long-running operation: the service may answer (`201`, `202`) before the work \
                is done. `.send()` returns the response with its headers \
                (`Azure-AsyncOperation`, `Location`), to poll until it is.";
    Some(match description {
        Some(d) => format!("{d}\n\n{note}"),
        None => note.to_owned(),
    })
}

pub(super) fn only_paging_fields(def: &TypeDef) -> bool {
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().all(|f| {
            matches!(
                f.api_name.as_str(),
                "value"
                    | "@odata.count"
                    | "@odata.nextLink"
                    | "@odata.deltaLink"
                    | "@odata.context"
                    | "@odata.type"
            )
        }),
        _ => false,
    }
}

pub(super) fn methods(item: &PathItem) -> Vec<(Method, &openapiv3::Operation)> {
    [
        (Method::Get, &item.get),
        (Method::Put, &item.put),
        (Method::Post, &item.post),
        (Method::Delete, &item.delete),
        (Method::Options, &item.options),
        (Method::Head, &item.head),
        (Method::Patch, &item.patch),
        (Method::Trace, &item.trace),
    ]
    .into_iter()
    .filter_map(|(m, o)| o.as_ref().map(|o| (m, o)))
    .collect()
}
