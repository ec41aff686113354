//! Parameters: references resolved, where they go and how they are serialized.

use super::*;

impl Lower<'_> {
    /// The parameters of the path item, overridden by the operation's (same name and
    /// location), resolved, each with its pointer.
    pub(super) fn declared_parameters(
        &mut self,
        item: &PathItem,
        op: &openapiv3::Operation,
        ptr: &str,
    ) -> Vec<(Parameter, String)> {
        let item_ptr = ptr.rsplit_once('/').map_or(ptr, |x| x.0);
        let from_item = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{item_ptr}/parameters/{i}")));
        let from_op = op
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{ptr}/parameters/{i}")));
        let mut resolved: Vec<(Parameter, String)> = Vec::new();
        for (p, pptr) in from_item.chain(from_op) {
            let Some(param) = self.resolve_parameter(p, &pptr) else {
                continue;
            };
            let key = (
                param_location(&param),
                param.parameter_data_ref().name.clone(),
            );
            resolved
                .retain(|(q, _)| (param_location(q), q.parameter_data_ref().name.clone()) != key);
            resolved.push((param, pptr));
        }
        resolved
    }

    /// The operation's parameters, path parameters first in template order (an undeclared
    /// template variable is a string, with a warning), and the OData system query options it
    /// declares. Parameters the client sets itself (`Authorization`, `Content-Type`, `Accept`)
    /// and path parameters the path does not have are left out.
    pub(super) fn parameters(
        &mut self,
        path: &str,
        mut declared: Vec<(Parameter, String)>,
        hint_base: &str,
        ptr: &str,
    ) -> (Vec<Param>, ODataOptions) {
        let mut odata = ODataOptions::default();
        let mut params: Vec<Param> = Vec::new();
        let mut arg_scope = NameScope::with_reserved(naming::ARG_RESERVED);
        let template_names = path_template_names(path);
        for tn in &template_names {
            if !declared.iter().any(|(p, _)| {
                matches!(p, Parameter::Path { .. }) && &p.parameter_data_ref().name == tn
            }) {
                self.diags.warning(
                    self.loc(ptr),
                    format!("path parameter `{{{tn}}}` is not declared; it is taken as a string"),
                );
                params.push(Param {
                    api_name: tn.clone(),
                    name: arg_scope.claim(&snake_ident(tn, "param")),
                    location: ParamLocation::Path,
                    ty: TypeRef::Primitive(Primitive::String),
                    required: true,
                    style: ParamStyle::Simple,
                    docs: Docs::default(),
                    deprecated: false,
                });
            }
        }
        declared.sort_by_key(|(p, _)| match p {
            Parameter::Path { parameter_data, .. } => (
                0,
                template_names
                    .iter()
                    .position(|n| n == &parameter_data.name)
                    .unwrap_or(usize::MAX),
            ),
            _ => (1, 0),
        });
        for (p, pptr) in &declared {
            let data = p.parameter_data_ref();
            let location = param_location(p);
            if location == ParamLocation::Query
                && data.name.starts_with('$')
                && odata.set_by_name(&data.name)
            {
                continue;
            }
            if location == ParamLocation::Path && !template_names.contains(&data.name) {
                self.diags.warning(
                    self.loc(pptr),
                    format!(
                        "path parameter `{}` does not appear in the path `{path}`; it is ignored",
                        data.name
                    ),
                );
                continue;
            }
            if location == ParamLocation::Header
                && ["authorization", "content-type", "accept"]
                    .contains(&data.name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            let hint = naming::join_hint(hint_base, &data.name);
            let ty = self.parameter_type(&data.format, &hint, pptr);
            let json_content = matches!(
                &data.format,
                ParameterSchemaOrContent::Content(c)
                    if c.keys().next().is_some_and(|m| encoding_of(m) == BodyEncoding::Json && m != "*/*")
            );
            let style = if json_content {
                ParamStyle::Json
            } else {
                param_style(p)
            };
            params.push(Param {
                api_name: data.name.clone(),
                name: arg_scope.claim(&snake_ident(&data.name, "param")),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                style,
                docs: Docs::description(data.description.clone()),
                deprecated: data.deprecated.unwrap_or(false),
            });
        }
        (params, odata)
    }

    /// The type of a parameter's value, from its `schema` or its one `content` entry.
    ///
    /// Parameters and request bodies are only sent: a schema that also allows `null` still
    /// takes a value, and leaving one out is what `required: false` is for. (Items and fields
    /// inside them keep their own nullability.)
    fn parameter_type(
        &mut self,
        format: &ParameterSchemaOrContent,
        hint: &str,
        pptr: &str,
    ) -> TypeRef {
        match format {
            ParameterSchemaOrContent::Schema(s) => {
                self.use_schema(s.into(), hint, &format!("{pptr}/schema"))
                    .ty
            }
            ParameterSchemaOrContent::Content(c) => match c.iter().next() {
                Some((media, mt)) => match &mt.schema {
                    Some(s) => {
                        self.use_schema(
                            s.into(),
                            hint,
                            &format!("{pptr}/content/{}/schema", escape_pointer_token(media)),
                        )
                        .ty
                    }
                    None => TypeRef::Primitive(Primitive::String),
                },
                None => TypeRef::Primitive(Primitive::String),
            },
        }
    }

    pub(super) fn resolve_parameter(
        &mut self,
        p: &ReferenceOr<Parameter>,
        ptr: &str,
    ) -> Option<Parameter> {
        let mut current = p;
        for _ in 0..32 {
            match current {
                ReferenceOr::Item(p) => return Some(p.clone()),
                ReferenceOr::Reference { reference } => {
                    let Some(name) = reference.strip_prefix("#/components/parameters/") else {
                        self.diags.push(
                            Diagnostic::error(
                                self.loc(&ptr_join(ptr, "$ref")),
                                format!("unsupported parameter reference `{reference}`"),
                            )
                            .expected("`#/components/parameters/<name>`"),
                        );
                        return None;
                    };
                    let name = crate::diagnostics::unescape_pointer_token(name);
                    let all = self.doc.components.as_ref().map(|c| &c.parameters);
                    match all.and_then(|a| a.get(&name)) {
                        Some(next) => current = next,
                        None => {
                            let candidates: Vec<String> = all
                                .map(|a| {
                                    a.keys()
                                        .map(|k| format!("#/components/parameters/{k}"))
                                        .collect()
                                })
                                .unwrap_or_default();
                            let d = Diagnostic::error(
                                self.loc(&ptr_join(ptr, "$ref")),
                                format!("`$ref: {reference}` does not resolve"),
                            )
                            .expected("the name of a parameter under #/components/parameters")
                            .suggest(reference, candidates.iter().map(String::as_str));
                            self.diags.push(d);
                            return None;
                        }
                    }
                }
            }
        }
        self.diags
            .error(self.loc(ptr), "parameter references form a cycle");
        None
    }
}

pub(super) fn param_location(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

pub(super) fn param_style(p: &Parameter) -> ParamStyle {
    // Swagger 2.0's `collectionFormat` where `style` cannot say it (a `tsv` list; a `ssv`,
    // `pipes` or `tsv` list in a header or path), kept by the conversion to 3.0.
    let format = p
        .parameter_data_ref()
        .extensions
        .get("x-collectionFormat")
        .and_then(Value::as_str);
    match format {
        Some("ssv") => return ParamStyle::SpaceDelimited,
        Some("pipes") => return ParamStyle::PipeDelimited,
        Some("tsv") => return ParamStyle::TabDelimited,
        _ => {}
    }
    match p {
        Parameter::Query {
            style,
            parameter_data,
            ..
        } => {
            let explode = parameter_data
                .explode
                .unwrap_or(matches!(style, openapiv3::QueryStyle::Form));
            match style {
                openapiv3::QueryStyle::Form => ParamStyle::Form { explode },
                openapiv3::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                openapiv3::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                openapiv3::QueryStyle::DeepObject => ParamStyle::DeepObject,
            }
        }
        Parameter::Cookie { parameter_data, .. } => ParamStyle::Form {
            explode: parameter_data.explode.unwrap_or(true),
        },
        _ => ParamStyle::Simple,
    }
}

/// Names in a path template, in order (`/a/{x}/b/{y}` -> `x`, `y`).
pub fn path_template_names(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(rest[start + 1..start + len].to_owned());
        rest = &rest[start + len + 1..];
    }
    out
}
