//! Paths -> operations: entity sets and singletons, their keys, contained navigation to the
//! configured depth, and list, create, get, update and delete on each, with the media content
//! of media entities.

use super::*;
use crate::ir::BodyEncoding;

impl<'a> Lower<'a> {
    pub(super) fn entity_type_of(&self, id: TypeId) -> Option<&'a StructuredType> {
        let q = self.arena.get(id).api_name();
        match self.types.get(q) {
            Some((Decl::Structured(s, t), _)) => Some(&self.doc.schemas[*s].types[*t]),
            _ => None,
        }
    }

    /// The type and its base types, most derived first.
    pub(super) fn lineage(&self, qualified: &str) -> Vec<String> {
        let mut out = vec![qualified.to_owned()];
        let mut current = qualified.to_owned();
        for _ in 0..64 {
            let Some((Decl::Structured(s, t), _)) = self.types.get(&current) else {
                break;
            };
            let Some(base) = &self.doc.schemas[*s].types[*t].base_type else {
                break;
            };
            current = self.qualify(base);
            if out.contains(&current) {
                break;
            }
            out.push(current.clone());
        }
        out
    }

    /// The key properties of an entity type (searching base types), with their types; empty
    /// when it has none.
    pub(super) fn key_of(&mut self, qualified: &str) -> Vec<(String, TypeRef)> {
        for q in self.lineage(qualified) {
            let Some((Decl::Structured(s, t), _)) = self.types.get(&q).copied() else {
                continue;
            };
            let st = &self.doc.schemas[s].types[t];
            if st.key.is_empty() {
                continue;
            }
            return st
                .key
                .iter()
                .map(|prop| {
                    let ty = st
                        .properties
                        .iter()
                        .find(|p| &p.name == prop)
                        .map(|p| (p.ty.name.clone(), p.pos));
                    let ty = match ty {
                        Some((name, pos)) => self.type_ref(&name, pos),
                        None => TypeRef::Primitive(Primitive::String),
                    };
                    (prop.clone(), ty)
                })
                .collect();
        }
        Vec::new()
    }

    /// All navigation properties of a type, inherited first.
    pub(super) fn navigations(&self, qualified: &str) -> Vec<&'a NavigationProperty> {
        let mut out = Vec::new();
        for q in self.lineage(qualified).iter().rev() {
            if let Some((Decl::Structured(s, t), _)) = self.types.get(q) {
                out.extend(self.doc.schemas[*s].types[*t].navigation.iter());
            }
        }
        out
    }

    pub(super) fn navigations_own(&self, qualified: &str) -> &'a [NavigationProperty] {
        match self.types.get(qualified) {
            Some((Decl::Structured(s, t), _)) => &self.doc.schemas[*s].types[*t].navigation,
            _ => &[],
        }
    }

    pub(super) fn entity_ref(&self, qualified: &str) -> TypeRef {
        self.types
            .get(qualified)
            .map_or(TypeRef::Any, |(_, id)| TypeRef::Named(*id))
    }

    pub(super) fn operations(&mut self) -> Vec<Operation> {
        let doc = self.doc;
        let mut out = Vec::new();
        for s in &doc.schemas {
            let Some(c) = &s.container else { continue };
            let container = format!("{}.{}", s.namespace, c.name);
            for item in &c.items {
                let ty_q = self.qualify(&item.ty);
                let Some((Decl::Structured(..), _)) = self.types.get(&ty_q) else {
                    self.unknown_type(&item.ty, item.pos, "an EntityType declared in the CSDL");
                    continue;
                };
                let ctx = PathCtx {
                    path: format!("/{}", item.name),
                    name_path: format!("/{}", item.name),
                    params: Vec::new(),
                    seen: vec![ty_q.clone()],
                    depth: 0,
                    tag: item.name.clone(),
                    name: None,
                };
                let target = format!("{container}/{}", item.name);
                if item.singleton {
                    self.entity_ops(&mut out, &ctx, &ty_q, &target, false);
                } else {
                    self.collection_ops(&mut out, &ctx, &ty_q, &target, true);
                }
            }
            for import in &c.imports {
                self.import_op(&mut out, import, &container);
            }
        }
        out
    }

    pub(super) fn collection_ops(
        &mut self,
        out: &mut Vec<Operation>,
        ctx: &PathCtx,
        ty: &str,
        target: &str,
        contained: bool,
    ) {
        let (list, by_key) = self.read_restrictions(target);
        let item = self.entity_ref(ty);
        let name = simple_name(ty).to_owned();
        let last = ctx.path.rsplit('/').next().unwrap_or("").to_owned();
        if list.allowed {
            self.push_op(
                out,
                ctx,
                &list,
                OpSpec {
                    method: Method::Get,
                    summary: format!("List {last}"),
                    body: None,
                    success: Response::json(200, ResponseBody::Empty),
                    paging: Some(Paging::odata(item.clone())),
                    odata: self.collection_options(target),
                    extra_params: Vec::new(),
                },
            );
        }
        if !contained {
            return;
        }
        let insert = self.restriction(target, "InsertRestrictions", "Insertable", "create");
        if insert.allowed {
            self.push_op(
                out,
                ctx,
                &insert,
                OpSpec {
                    method: Method::Post,
                    summary: format!("Create {name}"),
                    body: Some(RequestBody::json(item.clone())),
                    success: Response::json(201, ResponseBody::Json(item.clone())),
                    paging: None,
                    odata: ODataOptions::default(),
                    extra_params: Vec::new(),
                },
            );
        }
        self.bound_ops(out, ctx, ty, true);
        let key = self.key_of(ty);
        if key.is_empty() {
            return;
        }
        let mut item_ctx = ctx.clone();
        let mut scope = NameScope::with_reserved(naming::ARG_RESERVED);
        for p in &item_ctx.params {
            scope.claim(&p.name);
        }
        // One path parameter per key property, unique on the path: `termStore.group` below
        // `/groups/{group-id}` gets `{group-id1}`.
        let mut literals = Vec::new();
        for (prop, key_ty) in &key {
            let base = if key.len() == 1 {
                format!("{name}-id")
            } else {
                format!("{name}-{prop}")
            };
            let mut param_name = base.clone();
            let mut n = 0;
            while item_ctx.params.iter().any(|p| p.api_name == param_name) {
                n += 1;
                param_name = format!("{base}{n}");
            }
            let literal = if quoted_in_url(key_ty, &self.arena) {
                format!("'{{{param_name}}}'")
            } else {
                format!("{{{param_name}}}")
            };
            literals.push((prop, literal));
            let docs = if key.len() == 1 {
                format!("The unique identifier of {name}")
            } else {
                format!("The `{prop}` part of the key of {name}")
            };
            item_ctx.params.push(Param {
                api_name: param_name.clone(),
                name: scope.claim(&snake_ident(&param_name, "id")),
                location: ParamLocation::Path,
                ty: key_ty.clone(),
                required: true,
                style: ParamStyle::Simple,
                docs: Docs::description(Some(docs)),
                deprecated: false,
            });
        }
        // A single key as a segment when the service takes those; otherwise in parentheses,
        // a composite one as `(a=..,b=..)` (OData URL conventions 4.3.1).
        item_ctx.path = match literals.as_slice() {
            [(_, literal)] if self.key_as_segment => {
                format!("{}/{}", ctx.path, literal.trim_matches('\''))
            }
            [(_, literal)] => format!("{}({literal})", ctx.path),
            _ => {
                let pairs: Vec<String> = literals.iter().map(|(p, l)| format!("{p}={l}")).collect();
                format!("{}({})", ctx.path, pairs.join(","))
            }
        };
        item_ctx.name_path = format!("{}/{{{name}-key}}", ctx.name_path);
        let mut item_target_restrictions = by_key;
        if !list.allowed && item_target_restrictions.summary.is_none() {
            item_target_restrictions.allowed = list.allowed;
        }
        self.item_ops(out, &item_ctx, ty, target, &item_target_restrictions, true);
    }

    pub(super) fn entity_ops(
        &mut self,
        out: &mut Vec<Operation>,
        ctx: &PathCtx,
        ty: &str,
        target: &str,
        deletable: bool,
    ) {
        let (read, _) = self.read_restrictions(target);
        self.item_ops(out, ctx, ty, target, &read, deletable);
    }

    /// Whether entities of `qualified` are media entities (`HasStream`, or a base type's).
    fn has_stream(&self, qualified: &str) -> bool {
        self.lineage(qualified).iter().any(|q| {
            matches!(self.types.get(q), Some((Decl::Structured(s, t), _))
                if self.doc.schemas[*s].types[*t].has_stream)
        })
    }

    /// The media resource of a media entity at `ctx`: read (`GET .../$value`, raw bytes) and
    /// replaced (`PUT .../$value`) as OData's URL conventions address it, under the entity's
    /// read and update restrictions.
    fn stream_ops(
        &mut self,
        out: &mut Vec<Operation>,
        ctx: &PathCtx,
        name: &str,
        read: &Restriction,
        update: &Restriction,
    ) {
        let mut stream = ctx.clone();
        stream.path = format!("{}/$value", ctx.path);
        stream.name_path = format!("{}/$value", ctx.name_path);
        stream.name = None;
        let media = "application/octet-stream";
        if read.allowed {
            self.push_op(
                out,
                &stream,
                read,
                OpSpec {
                    method: Method::Get,
                    summary: format!("Get the media content of {name}"),
                    body: None,
                    success: Response {
                        status: StatusMatch::Code(200),
                        content_types: vec![media.into()],
                        body: ResponseBody::Binary,
                        docs: Docs::default(),
                    },
                    paging: None,
                    odata: ODataOptions::default(),
                    extra_params: Vec::new(),
                },
            );
        }
        if update.allowed {
            self.push_op(
                out,
                &stream,
                update,
                OpSpec {
                    method: Method::Put,
                    summary: format!("Replace the media content of {name}"),
                    body: Some(RequestBody {
                        content_type: media.into(),
                        encoding: BodyEncoding::Binary,
                        ty: TypeRef::Primitive(Primitive::Binary),
                        required: true,
                        docs: Docs::default(),
                        part_types: Vec::new(),
                    }),
                    success: Response::no_content(204),
                    paging: None,
                    odata: ODataOptions::default(),
                    extra_params: Vec::new(),
                },
            );
        }
    }

    pub(super) fn item_ops(
        &mut self,
        out: &mut Vec<Operation>,
        ctx: &PathCtx,
        ty: &str,
        target: &str,
        read: &Restriction,
        deletable: bool,
    ) {
        let item = self.entity_ref(ty);
        let name = simple_name(ty).to_owned();
        if read.allowed {
            self.push_op(
                out,
                ctx,
                read,
                OpSpec {
                    method: Method::Get,
                    summary: format!("Get {name}"),
                    body: None,
                    success: Response::json(200, ResponseBody::Json(item.clone())),
                    paging: None,
                    odata: ODataOptions::ITEM,
                    extra_params: Vec::new(),
                },
            );
        }
        let update = self.restriction(target, "UpdateRestrictions", "Updatable", "update");
        if update.allowed {
            self.push_op(
                out,
                ctx,
                &update,
                OpSpec {
                    method: Method::Patch,
                    summary: format!("Update {name}"),
                    body: Some(RequestBody::json(item.clone())),
                    success: Response::no_content(204),
                    paging: None,
                    odata: ODataOptions::default(),
                    extra_params: Vec::new(),
                },
            );
        }
        if self.has_stream(ty) {
            self.stream_ops(out, ctx, &name, read, &update);
        }
        let delete = self.restriction(target, "DeleteRestrictions", "Deletable", "delete");
        if deletable && delete.allowed {
            // OData services answer a stale ETag with 412 Precondition Failed; Graph's own
            // OpenAPI (made from its CSDL) declares this header on every entity DELETE.
            let mut scope = NameScope::with_reserved(naming::ARG_RESERVED);
            for p in &ctx.params {
                scope.claim(&p.name);
            }
            let if_match = Param {
                api_name: "If-Match".into(),
                name: scope.claim(crate::naming::IF_MATCH_ARG),
                location: ParamLocation::Header,
                ty: TypeRef::Primitive(Primitive::String),
                required: false,
                style: ParamStyle::Simple,
                docs: Docs::description(Some("ETag".into())),
                deprecated: false,
            };
            self.push_op(
                out,
                ctx,
                &delete,
                OpSpec {
                    method: Method::Delete,
                    summary: format!("Delete {name}"),
                    body: None,
                    success: Response::no_content(204),
                    paging: None,
                    odata: ODataOptions::default(),
                    extra_params: vec![if_match],
                },
            );
        }
        self.bound_ops(out, ctx, ty, false);
        // Navigation.
        if ctx.depth >= self.config.csdl.navigation_depth {
            return;
        }
        for nav in self.navigations(ty) {
            let nav_ty = self.qualify(&nav.ty.name);
            if !matches!(self.types.get(&nav_ty), Some((Decl::Structured(..), _))) {
                continue;
            }
            let owner = self
                .lineage(ty)
                .into_iter()
                .find(|q| self.navigations_own(q).iter().any(|n| n.name == nav.name))
                .unwrap_or_else(|| ty.to_owned());
            let nav_target = format!("{owner}/{}", nav.name);
            if !self.navigable(&nav_target) || ctx.seen.contains(&nav_ty) {
                continue;
            }
            let mut next = ctx.clone();
            next.path = format!("{}/{}", ctx.path, nav.name);
            next.name_path = format!("{}/{}", ctx.name_path, nav.name);
            next.depth += 1;
            next.seen.push(nav_ty.clone());
            if nav.ty.collection {
                self.collection_ops(out, &next, &nav_ty, &nav_target, nav.contains_target);
            } else if nav.contains_target {
                self.entity_ops(out, &next, &nav_ty, &nav_target, true);
            } else {
                let (read, _) = self.read_restrictions(&nav_target);
                if read.allowed {
                    let item = self.entity_ref(&nav_ty);
                    self.push_op(
                        out,
                        &next,
                        &read,
                        OpSpec {
                            method: Method::Get,
                            summary: format!("Get {}", nav.name),
                            body: None,
                            success: Response::json(200, ResponseBody::Json(item)),
                            paging: None,
                            odata: ODataOptions::ITEM,
                            extra_params: Vec::new(),
                        },
                    );
                }
            }
        }
    }

    pub(super) fn error_responses() -> Vec<Response> {
        [4u8, 5]
            .into_iter()
            .map(|r| Response {
                status: StatusMatch::Range(r),
                content_types: vec!["application/json".into()],
                body: ResponseBody::ODataError,
                docs: Docs::description(Some("error".into())),
            })
            .collect()
    }

    /// Adds the operation `spec` describes at the path of `ctx`, as `restriction` documents and
    /// permits it, with OData's error responses.
    pub(super) fn push_op(
        &mut self,
        out: &mut Vec<Operation>,
        ctx: &PathCtx,
        restriction: &Restriction,
        spec: OpSpec,
    ) {
        let OpSpec {
            method,
            summary: default_summary,
            body,
            success,
            paging,
            odata,
            extra_params,
        } = spec;
        let collection = paging.is_some();
        let name = match &ctx.name {
            Some(n) => n.clone(),
            None => naming::operation_name_from_path(method, &ctx.name_path, collection),
        };
        let name = self.op_scope.claim(&snake_ident(&name, "operation"));
        let returns = match paging {
            Some(paging) => crate::ir::Returns::Paged(paging),
            None => crate::ir::Returns::Single(success.body.clone()),
        };
        let mut responses = vec![success];
        responses.extend(Self::error_responses());
        let mut params = ctx.params.clone();
        params.extend(extra_params);
        out.push(Operation {
            api_name: format!("{} {}", method.as_str(), ctx.path),
            name,
            method,
            path: ctx.path.clone(),
            docs: Docs {
                summary: Some(restriction.summary.clone().unwrap_or(default_summary)),
                description: restriction.description.clone(),
            },
            external_docs: restriction.docs_link.clone(),
            deprecated: false,
            tags: vec![ctx.tag.clone()],
            params,
            odata,
            body,
            responses,
            returns,
            permissions: restriction.permissions.clone(),
            server: None,
        });
    }
}

/// One operation at a path, before its name and documentation are decided (see
/// [`Lower::push_op`]).
pub(super) struct OpSpec {
    pub(super) method: Method,
    /// The summary when the Capabilities annotations give none.
    pub(super) summary: String,
    pub(super) body: Option<RequestBody>,
    /// The success response.
    pub(super) success: Response,
    pub(super) paging: Option<Paging>,
    pub(super) odata: ODataOptions,
    /// Parameters besides the path's own (function parameters, `If-Match`).
    pub(super) extra_params: Vec<Param>,
}

/// Literal quoting of a function parameter in a URL (strings and enums are quoted).
pub(super) fn quoted_in_url(t: &TypeRef, arena: &Arena) -> bool {
    match t {
        TypeRef::Primitive(Primitive::String) => true,
        TypeRef::Named(id) => matches!(arena.get(*id).kind, TypeKind::Enum(_) | TypeKind::Flags(_)),
        _ => false,
    }
}

/// The state of a path being built.
#[derive(Clone)]
pub(super) struct PathCtx {
    pub(super) path: String,
    /// The path as method names read it: an entity addressed by key is always `.../{key}`,
    /// whatever the wire form (a segment, parentheses, or a composite key's `(a=..,b=..)`).
    pub(super) name_path: String,
    pub(super) params: Vec<Param>,
    /// Entity types already on the path (no recursion into them).
    pub(super) seen: Vec<String>,
    pub(super) depth: usize,
    pub(super) tag: String,
    /// A name for the operation at this path, instead of one derived from it (imports).
    pub(super) name: Option<String>,
}
