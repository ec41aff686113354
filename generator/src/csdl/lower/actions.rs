//! Actions and functions: bound ones on the paths of their binding type, unbound ones through
//! their imports, and the bodies of their parameters.

use super::*;

impl<'a> Lower<'a> {
    /// Actions and functions bound to `ty` (or a base of it; collections when `collection`).
    pub(super) fn bound_ops(
        &mut self,
        out: &mut Vec<Operation>,
        ctx: &PathCtx,
        ty: &str,
        collection: bool,
    ) {
        let doc = self.doc;
        if self.bound.is_none() {
            let mut index = BoundIndex::new();
            for (si, s) in doc.schemas.iter().enumerate() {
                for (oi, op) in s.operations.iter().enumerate() {
                    if let Some(binding) = op.parameters.first().filter(|_| op.is_bound) {
                        index
                            .entry((self.qualify(&binding.ty.name), binding.ty.collection))
                            .or_default()
                            .push((si, oi));
                    }
                }
            }
            self.bound = Some(index);
        }
        let mut found: Vec<(usize, usize)> = self
            .lineage(ty)
            .into_iter()
            .flat_map(|t| {
                self.bound
                    .as_ref()
                    .and_then(|b| b.get(&(t, collection)))
                    .cloned()
                    .unwrap_or_default()
            })
            .collect();
        // Document order, as if every operation had been scanned.
        found.sort_unstable();
        found.dedup();
        for (si, oi) in found {
            let s = &doc.schemas[si];
            let op = &s.operations[oi];
            let qualified = format!("{}.{}", s.namespace, op.name);
            self.operation_op(
                out,
                ctx,
                op,
                &qualified,
                &op.parameters[1..],
                &qualified,
                (None, None),
            );
        }
    }

    pub(super) fn import_op(
        &mut self,
        out: &mut Vec<Operation>,
        import: &crate::csdl::model::OperationImport,
        container: &str,
    ) {
        let target = self.qualify(&import.operation);
        let doc = self.doc;
        let found = doc.schemas.iter().find_map(|s| {
            s.operations
                .iter()
                .find(|o| {
                    !o.is_bound
                        && format!("{}.{}", s.namespace, o.name) == target
                        && o.function == import.function
                })
                .map(|o| (s, o))
        });
        let Some((_, op)) = found else {
            self.unknown_type(
                &import.operation,
                import.pos,
                "an unbound Action or Function declared in the CSDL",
            );
            return;
        };
        let ctx = PathCtx {
            path: String::new(),
            name_path: String::new(),
            params: Vec::new(),
            seen: Vec::new(),
            depth: 0,
            tag: import.name.clone(),
            name: Some(import.name.clone()),
        };
        // Imports are addressed by their own name, not the namespace-qualified one; their
        // descriptions may sit on the import or on the operation.
        let import_target = format!("{container}/{}", import.name);
        let own = self.summary_and_description(&import_target);
        self.operation_op(out, &ctx, op, &target, &op.parameters, &import.name, own);
    }

    /// An action (POST, parameters in a JSON body) or function (GET, parameters in the path),
    /// addressed by `segment` below `ctx`. `docs` overrides the operation's own descriptions.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn operation_op(
        &mut self,
        out: &mut Vec<Operation>,
        ctx: &PathCtx,
        op: &'a CsdlOperation,
        qualified: &str,
        params: &'a [crate::csdl::model::Parameter],
        segment: &str,
        docs: (Option<String>, Option<String>),
    ) {
        let mut next = ctx.clone();
        let mut extra_params = Vec::new();
        let mut scope = NameScope::with_reserved(naming::ARG_RESERVED);
        for p in &ctx.params {
            scope.claim(&p.name);
        }
        let (own_summary, own_description) = self.summary_and_description(qualified);
        let kind = if op.function { "function" } else { "action" };
        let restriction = Restriction {
            allowed: true,
            summary: docs.0.or(own_summary),
            description: docs.1.or(own_description),
            permissions: Vec::new(),
            docs_link: self.docs_link(qualified, kind),
        };
        let default_summary = format!("Invoke {kind} {}", op.name);
        let mut body = None;
        if op.function {
            let mut args = Vec::new();
            for p in params {
                let ty = self.parameter_type(&p.ty, p.pos);
                let simple = matches!(ty, TypeRef::Primitive(_))
                    || matches!(&ty, TypeRef::Named(id) if matches!(self.arena.get(*id).kind, TypeKind::Enum(_) | TypeKind::Flags(_) | TypeKind::Alias(TypeRef::Primitive(_))));
                let docs = self.docs(&format!("{qualified}/{}", p.name));
                if simple {
                    let lit = if quoted_in_url(&ty, &self.arena) {
                        format!("{}='{{{}}}'", p.name, p.name)
                    } else {
                        format!("{}={{{}}}", p.name, p.name)
                    };
                    args.push(lit);
                    next.params.push(Param {
                        api_name: p.name.clone(),
                        name: scope.claim(&snake_ident(&p.name, "param")),
                        location: ParamLocation::Path,
                        ty,
                        required: true,
                        style: ParamStyle::Simple,
                        docs,
                        deprecated: false,
                    });
                } else {
                    // Structured or collection parameters go by parameter alias: `p=@p` in
                    // the path and `@p=<JSON>` in the query (OData URL conventions 5.1.1.13).
                    args.push(format!("{0}=@{0}", p.name));
                    extra_params.push(Param {
                        api_name: format!("@{}", p.name),
                        name: scope.claim(&snake_ident(&p.name, "param")),
                        location: ParamLocation::Query,
                        ty,
                        required: true,
                        style: ParamStyle::Json,
                        docs,
                        deprecated: false,
                    });
                }
            }
            next.path = format!("{}/{segment}({})", ctx.path, args.join(","));
            next.name_path = format!("{}/{segment}({})", ctx.name_path, args.join(","));
        } else {
            next.path = format!("{}/{segment}", ctx.path);
            next.name_path = format!("{}/{segment}", ctx.name_path);
            if !params.is_empty() {
                let body_ty = self.action_body(op, qualified, params);
                body = Some(RequestBody::json(TypeRef::Named(body_ty)));
            }
        }
        let method = if op.function {
            Method::Get
        } else {
            Method::Post
        };
        let mut paging = None;
        let success = match &op.return_type {
            None => Response::no_content(204),
            Some((ret, _)) => {
                let element = self.type_ref(&ret.name, op.pos);
                let structured = matches!(&element, TypeRef::Named(id) if matches!(self.arena.get(*id).kind, TypeKind::Struct(_)))
                    || matches!(&element, TypeRef::Named(id) if self.entity_type_of(*id).is_some());
                let body = if ret.collection {
                    if op.function {
                        paging = Some(Paging::odata(element.clone()));
                        ResponseBody::Empty
                    } else {
                        ResponseBody::ODataValue(TypeRef::List(Box::new(element)))
                    }
                } else if structured {
                    ResponseBody::Json(element)
                } else {
                    ResponseBody::ODataValue(element)
                };
                Response {
                    status: StatusMatch::Code(200),
                    content_types: vec!["application/json".into()],
                    body,
                    docs: Docs::default(),
                }
            }
        };
        let odata = if paging.is_some() {
            ODataOptions::COLLECTION
        } else {
            ODataOptions::default()
        };
        self.push_op(
            out,
            &next,
            &restriction,
            OpSpec {
                method,
                summary: default_summary,
                body,
                success,
                paging,
                odata,
                extra_params,
            },
        );
    }

    /// The request body type of an action: one field per non-binding parameter.
    pub(super) fn action_body(
        &mut self,
        op: &'a CsdlOperation,
        qualified: &str,
        params: &'a [crate::csdl::model::Parameter],
    ) -> TypeId {
        if let Some(id) = self.body_types.get(qualified) {
            return *id;
        }
        let id = self.arena.reserve(
            &naming::join_hint(&naming::pascal_case(&op.name), "Body"),
            crate::ir::Origin::Synthesized(format!("{qualified}(body)")),
        );
        let mut fields = Vec::new();
        for p in params {
            let ty = self.parameter_type(&p.ty, p.pos);
            let target = format!("{qualified}/{}", p.name);
            let optional = self
                .find_ann(&target, "Core", "OptionalParameter")
                .is_some();
            fields.push(Field {
                api_name: p.name.clone(),
                name: String::new(),
                docs: self.docs(&target),
                ty,
                required: !optional,
                nullable: p.nullable,
                read_only: false,
                write_only: false,
                default: None,
                deprecated: false,
            });
        }
        lowering::name_fields(&mut fields);
        let def: &mut TypeDef = self.arena.get_mut(id);
        def.kind = TypeKind::Struct(Struct {
            fields,
            ..Struct::default()
        });
        def.docs = Docs::description(Some(format!(
            "The parameters of the `{}` {}.",
            op.name,
            if op.function { "function" } else { "action" }
        )));
        self.body_types.insert(qualified.to_owned(), id);
        id
    }
}
