//! Request and response bodies: the media type chosen, its encoding, and its type.

use super::*;

impl Lower<'_> {
    pub(super) fn request_body(
        &mut self,
        rb: &ReferenceOr<OaRequestBody>,
        hint: &str,
        ptr: &str,
    ) -> Option<RequestBody> {
        let mut current = rb;
        let mut ptr = ptr.to_owned();
        let mut hops = 0;
        let body = loop {
            hops += 1;
            if hops > 32 {
                self.diags.push(
                    Diagnostic::error(self.loc(&ptr), "request body references form a cycle")
                        .expected("references that end at a request body"),
                );
                return None;
            }
            match current {
                ReferenceOr::Item(b) => break b,
                ReferenceOr::Reference { reference } => {
                    let name = reference
                        .strip_prefix("#/components/requestBodies/")
                        .map(crate::diagnostics::unescape_pointer_token);
                    match name.and_then(|n| {
                        self.doc
                            .components
                            .as_ref()
                            .and_then(|c| c.request_bodies.get(&n))
                            .map(|b| (n, b))
                    }) {
                        Some((n, next)) => {
                            ptr = ptr_join("/components/requestBodies", &n);
                            current = next;
                        }
                        None => {
                            self.diags.push(
                                Diagnostic::error(
                                    self.loc(&ptr_join(&ptr, "$ref")),
                                    format!("`$ref: {reference}` does not resolve"),
                                )
                                .expected(
                                    "the name of a request body under #/components/requestBodies",
                                ),
                            );
                            return None;
                        }
                    }
                }
            }
        };
        let (media, mt) = pick_media(&body.content)?;
        let encoding = encoding_of(media);
        let mptr = format!("{ptr}/content/{}/schema", escape_pointer_token(media));
        // Sent only, so a body schema that also allows `null` is a value (see `operation`).
        let ty = match (&mt.schema, encoding) {
            (Some(s), BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart) => {
                self.use_schema(s.into(), &naming::join_hint(hint, "Body"), &mptr)
                    .ty
            }
            (_, BodyEncoding::Text) => TypeRef::Primitive(Primitive::String),
            _ => TypeRef::Primitive(Primitive::Binary),
        };
        let part_types = if encoding == BodyEncoding::Multipart {
            mt.encoding
                .iter()
                .filter_map(|(part, e)| {
                    let media = e.content_type.as_deref()?.trim();
                    (!media.is_empty()).then(|| (part.clone(), media.to_owned()))
                })
                .collect()
        } else {
            Vec::new()
        };
        Some(RequestBody {
            content_type: sent_media_type(media, encoding),
            encoding,
            ty,
            required: body.required,
            docs: Docs::description(body.description.clone()),
            part_types,
        })
    }

    pub(super) fn response(
        &mut self,
        status: StatusMatch,
        resp: &ReferenceOr<OaResponse>,
        hint: &str,
        ptr: &str,
    ) -> Option<Response> {
        let mut current = resp;
        let mut ptr = ptr.to_owned();
        let mut depth = 0;
        let r = loop {
            depth += 1;
            if depth > 32 {
                self.diags
                    .error(self.loc(&ptr), "response references form a cycle");
                return None;
            }
            match current {
                ReferenceOr::Item(r) => break r,
                ReferenceOr::Reference { reference } => {
                    let name = reference
                        .strip_prefix("#/components/responses/")
                        .map(crate::diagnostics::unescape_pointer_token);
                    match name.and_then(|n| {
                        self.doc
                            .components
                            .as_ref()
                            .and_then(|c| c.responses.get(&n))
                            .map(|r| (n, r))
                    }) {
                        Some((n, next)) => {
                            ptr = ptr_join("/components/responses", &n);
                            current = next;
                        }
                        None => {
                            let candidates: Vec<String> = self
                                .doc
                                .components
                                .as_ref()
                                .map(|c| {
                                    c.responses
                                        .keys()
                                        .map(|k| format!("#/components/responses/{k}"))
                                        .collect()
                                })
                                .unwrap_or_default();
                            let d = Diagnostic::error(
                                self.loc(&ptr_join(&ptr, "$ref")),
                                format!("`$ref: {reference}` does not resolve"),
                            )
                            .expected("the name of a response under #/components/responses")
                            .suggest(reference, candidates.iter().map(String::as_str));
                            self.diags.push(d);
                            return None;
                        }
                    }
                }
            }
        };
        let docs = Docs::description(Some(r.description.clone()));
        // HTTP: 204, 205 and 304 responses have no body, whatever content the description
        // gives them (AWS's and Box's give `204` a JSON schema); reading one would fail on the
        // empty body every server sends. HTTP is unambiguous here, so no warning.
        if matches!(status, StatusMatch::Code(204 | 205 | 304)) && !r.content.is_empty() {
            return Some(Response {
                status,
                content_types: Vec::new(),
                body: ResponseBody::Empty,
                docs,
            });
        }
        let Some((media, mt)) = pick_media(&r.content) else {
            return Some(Response {
                status,
                content_types: Vec::new(),
                body: ResponseBody::Empty,
                docs,
            });
        };
        let encoding = match (encoding_of(media), any_media_string(media, mt)) {
            // `*/*` with a string schema: the service sends the text as it is (Kubernetes'
            // attach and exec), not a JSON string in quotes.
            (BodyEncoding::Json, Some(binary)) if binary => BodyEncoding::Binary,
            (BodyEncoding::Json, Some(_)) => BodyEncoding::Text,
            (encoding, _) => encoding,
        };
        let suffix = match &status {
            StatusMatch::Code(c) => c.to_string(),
            StatusMatch::Range(r) => format!("{r}XX"),
            StatusMatch::Default => "Default".into(),
        };
        let body = match encoding {
            BodyEncoding::Json => match &mt.schema {
                Some(s) => {
                    let mptr = format!("{ptr}/content/{}/schema", escape_pointer_token(media));
                    let l = self.use_schema(
                        s.into(),
                        &naming::join_hint(hint, &format!("Response {suffix}")),
                        &mptr,
                    );
                    match l.ty {
                        TypeRef::Named(t)
                            if self.odata_error.contains(&t) && !status.is_success() =>
                        {
                            ResponseBody::ODataError
                        }
                        // A success body that may be `null` decodes into an `Option`. (Error
                        // bodies are decoded by the caller, as the type it asks for.)
                        ty if l.nullable && status.is_success() => {
                            ResponseBody::Json(TypeRef::Nullable(Box::new(ty)))
                        }
                        ty => ResponseBody::Json(ty),
                    }
                }
                None => ResponseBody::Json(TypeRef::Any),
            },
            BodyEncoding::Text => ResponseBody::Text,
            _ => ResponseBody::Binary,
        };
        // The other media types the same decoder reads, for `Accept`.
        let reads = |m: &str| match &body {
            ResponseBody::Json(_) | ResponseBody::ODataError | ResponseBody::ODataValue(_) => {
                encoding_of(m) == BodyEncoding::Json
            }
            ResponseBody::Text => encoding_of(m) == BodyEncoding::Text,
            ResponseBody::Binary => true,
            ResponseBody::Empty => false,
        };
        let mut content_types = vec![media.to_owned()];
        content_types.extend(
            r.content
                .keys()
                .filter(|m| m.as_str() != media && reads(m))
                .cloned(),
        );
        Some(Response {
            status,
            content_types,
            body,
            docs,
        })
    }
}

/// For a `*/*` media type whose schema is an inline string: whether it is binary
/// (`format: binary`); `None` for any other media type or schema.
fn any_media_string(media: &str, mt: &openapiv3::MediaType) -> Option<bool> {
    if media.split(';').next().unwrap_or(media).trim() != "*/*" {
        return None;
    }
    match &mt.schema {
        Some(openapiv3::ReferenceOr::Item(openapiv3::Schema {
            schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::String(st)),
            ..
        })) => Some(matches!(
            st.format,
            openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)
        )),
        _ => None,
    }
}

/// JSON first, then form, multipart, text, anything else as bytes.
pub(super) fn pick_media(
    content: &IndexMap<String, openapiv3::MediaType>,
) -> Option<(&str, &openapiv3::MediaType)> {
    let rank = |m: &str| -> u8 {
        let m = m.split(';').next().unwrap_or(m).trim().to_ascii_lowercase();
        if m == "application/json" {
            0
        } else if m.ends_with("+json") || m.ends_with("/json") {
            1
        } else if m == "application/x-www-form-urlencoded" {
            2
        } else if m == "multipart/form-data" {
            3
        } else if m.starts_with("text/") {
            4
        } else if m == "*/*" {
            5
        } else {
            6
        }
    };
    content
        .iter()
        .enumerate()
        .min_by_key(|(i, (m, _))| (rank(m), *i))
        .map(|(_, (m, t))| (m.as_str(), t))
}

/// The `Content-Type` a request body of the declared `media` type is sent with: that type as
/// declared, or the encoding's default when it is a range such as `*/*` or `text/*`.
fn sent_media_type(media: &str, encoding: BodyEncoding) -> String {
    let media = media.trim();
    if media.is_empty() || media.contains('*') {
        encoding.default_media_type().to_owned()
    } else {
        media.to_owned()
    }
}

pub(super) fn encoding_of(media: &str) -> BodyEncoding {
    let m = media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .to_ascii_lowercase();
    if m == "application/json" || m.ends_with("+json") || m.ends_with("/json") || m == "*/*" {
        BodyEncoding::Json
    } else if m == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else if m == "multipart/form-data" {
        BodyEncoding::Multipart
    } else if m.starts_with("text/") {
        BodyEncoding::Text
    } else {
        BodyEncoding::Binary
    }
}
