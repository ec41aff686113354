//! Parameters: references resolved, where they go and how they are serialized.

use super::*;

impl Lower<'_> {
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
