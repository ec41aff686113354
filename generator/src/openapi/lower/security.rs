//! Security schemes -> authentication, and the scopes an operation needs.

use super::*;

impl Lower<'_> {
    pub(super) fn permissions(&self, op: &openapiv3::Operation) -> Vec<Permission> {
        let reqs = op.security.as_ref().or(self.doc.security.as_ref());
        let mut out = Vec::new();
        for req in reqs.into_iter().flatten() {
            for (scheme, scopes) in req {
                if !scopes.is_empty() {
                    out.push(Permission {
                        scheme: scheme.clone(),
                        scopes: scopes.clone(),
                    });
                }
            }
        }
        out
    }

    pub(super) fn auth(&mut self) -> Vec<AuthScheme> {
        let mut out = Vec::new();
        let Some(c) = &self.doc.components else {
            return out;
        };
        for (name, scheme) in &c.security_schemes {
            let ReferenceOr::Item(scheme) = scheme else {
                continue;
            };
            let s = match scheme {
                SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => {
                    AuthScheme::Basic { name: name.clone() }
                }
                SecurityScheme::HTTP { .. }
                | SecurityScheme::OAuth2 { .. }
                | SecurityScheme::OpenIDConnect { .. } => AuthScheme::Bearer { name: name.clone() },
                SecurityScheme::APIKey {
                    location,
                    name: param,
                    ..
                } => AuthScheme::ApiKey {
                    name: name.clone(),
                    location: match location {
                        openapiv3::APIKeyLocation::Query => ParamLocation::Query,
                        openapiv3::APIKeyLocation::Header => ParamLocation::Header,
                        openapiv3::APIKeyLocation::Cookie => ParamLocation::Cookie,
                    },
                    param: param.clone(),
                },
            };
            out.push(s);
        }
        out
    }
}
