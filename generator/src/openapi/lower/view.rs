//! Views of OpenAPI schemas that lowering reads: a schema or a reference to one, the
//! facts about a schema in one place, and the result of lowering a use of one.

use super::*;

/// A reference to a schema, boxed or not.
#[derive(Clone, Copy)]
pub(super) enum RefOr<'s> {
    Ref(&'s str),
    Item(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for RefOr<'s> {
    fn from(r: &'s ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => RefOr::Ref(reference),
            ReferenceOr::Item(s) => RefOr::Item(s),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for RefOr<'s> {
    fn from(r: &'s ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => RefOr::Ref(reference),
            ReferenceOr::Item(s) => RefOr::Item(s),
        }
    }
}

/// A schema with annotations only (description, title, example, nullable...): no type, no
/// properties, no composition.
pub(super) fn annotation_only(r: &RefOr<'_>) -> bool {
    match r {
        RefOr::Ref(_) => false,
        RefOr::Item(s) => {
            // Docs, `nullable`, and validation keywords (`maxLength`, `minimum`, `pattern`...)
            // without a type: they add nothing to the Rust type.
            s.schema_data.discriminator.is_none()
                && matches!(&s.schema_kind, SchemaKind::Any(a) if a.typ.is_none()
                    && a.properties.is_empty()
                    && a.required.is_empty()
                    && a.additional_properties.is_none()
                    && a.items.is_none()
                    && a.enumeration.is_empty()
                    && a.format.is_none()
                    && a.one_of.is_empty()
                    && a.all_of.is_empty()
                    && a.any_of.is_empty()
                    && a.not.is_none())
        }
    }
}

/// An inline schema that only names a primitive type (no enum, no constraints that make a new
/// type), e.g. the `{type: string, nullable: true}` next to a `$ref` in an `allOf`.
pub(super) fn restates_primitive(r: &RefOr<'_>) -> bool {
    use openapiv3::Type;
    let RefOr::Item(s) = r else { return false };
    if s.schema_data.discriminator.is_some() {
        return false;
    }
    match &s.schema_kind {
        SchemaKind::Type(Type::String(t)) => t.enumeration.is_empty(),
        SchemaKind::Type(Type::Number(t)) => t.enumeration.is_empty(),
        SchemaKind::Type(Type::Integer(t)) => t.enumeration.is_empty(),
        SchemaKind::Type(Type::Boolean(t)) => t.enumeration.is_empty(),
        _ => false,
    }
}

/// One uniform view of the many shapes `openapiv3` gives a schema.
pub(super) struct View<'s> {
    pub(super) data: &'s SchemaData,
    pub(super) ty: Option<&'s str>,
    pub(super) format: Option<String>,
    pub(super) enum_values: Vec<Value>,
    pub(super) properties: Vec<(&'s str, RefOr<'s>)>,
    pub(super) required: Vec<&'s str>,
    pub(super) additional: Option<&'s AdditionalProperties>,
    pub(super) items: Option<RefOr<'s>>,
    pub(super) all_of: Vec<RefOr<'s>>,
    pub(super) one_of: Vec<RefOr<'s>>,
    pub(super) any_of: Vec<RefOr<'s>>,
    pub(super) not: bool,
}

pub(super) fn format_string<T: std::fmt::Debug>(
    f: &openapiv3::VariantOrUnknownOrEmpty<T>,
) -> Option<String> {
    match f {
        openapiv3::VariantOrUnknownOrEmpty::Item(i) => Some(match format!("{i:?}").as_str() {
            "DateTime" => "date-time".to_owned(),
            other => other.to_ascii_lowercase(),
        }),
        openapiv3::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

impl<'s> View<'s> {
    pub(super) fn of(schema: &'s Schema) -> View<'s> {
        let mut v = View {
            data: &schema.schema_data,
            ty: None,
            format: None,
            enum_values: Vec::new(),
            properties: Vec::new(),
            required: Vec::new(),
            additional: None,
            items: None,
            all_of: Vec::new(),
            one_of: Vec::new(),
            any_of: Vec::new(),
            not: false,
        };
        match &schema.schema_kind {
            SchemaKind::Type(t) => match t {
                Type::String(s) => {
                    v.ty = Some("string");
                    v.format = format_string(&s.format);
                    v.enum_values = s
                        .enumeration
                        .iter()
                        .map(|e| e.clone().map_or(Value::Null, Value::String))
                        .collect();
                }
                Type::Number(n) => {
                    v.ty = Some("number");
                    v.format = format_string(&n.format);
                    v.enum_values = n
                        .enumeration
                        .iter()
                        .map(|e| {
                            e.and_then(serde_json::Number::from_f64)
                                .map_or(Value::Null, Value::Number)
                        })
                        .collect();
                }
                Type::Integer(i) => {
                    v.ty = Some("integer");
                    v.format = format_string(&i.format);
                    v.enum_values = i
                        .enumeration
                        .iter()
                        .map(|e| e.map_or(Value::Null, |n| Value::Number(n.into())))
                        .collect();
                }
                Type::Boolean(b) => {
                    v.ty = Some("boolean");
                    v.enum_values = b
                        .enumeration
                        .iter()
                        .map(|e| e.map_or(Value::Null, Value::Bool))
                        .collect();
                }
                Type::Object(o) => {
                    v.ty = Some("object");
                    v.properties = o
                        .properties
                        .iter()
                        .map(|(k, s)| (k.as_str(), s.into()))
                        .collect();
                    v.required = o.required.iter().map(String::as_str).collect();
                    v.additional = o.additional_properties.as_ref();
                }
                Type::Array(a) => {
                    v.ty = Some("array");
                    v.items = a.items.as_ref().map(Into::into);
                }
            },
            SchemaKind::OneOf { one_of } => v.one_of = one_of.iter().map(Into::into).collect(),
            SchemaKind::AllOf { all_of } => v.all_of = all_of.iter().map(Into::into).collect(),
            SchemaKind::AnyOf { any_of } => v.any_of = any_of.iter().map(Into::into).collect(),
            SchemaKind::Not { .. } => v.not = true,
            SchemaKind::Any(a) => {
                v.ty = a.typ.as_deref();
                v.format = a.format.clone();
                v.enum_values = a.enumeration.clone();
                v.properties = a
                    .properties
                    .iter()
                    .map(|(k, s)| (k.as_str(), s.into()))
                    .collect();
                v.required = a.required.iter().map(String::as_str).collect();
                v.additional = a.additional_properties.as_ref();
                v.items = a.items.as_ref().map(Into::into);
                v.all_of = a.all_of.iter().map(Into::into).collect();
                v.one_of = a.one_of.iter().map(Into::into).collect();
                v.any_of = a.any_of.iter().map(Into::into).collect();
                v.not = a.not.is_some();
            }
        }
        // An `enum` of objects or arrays (Docker's `{type: object, enum: [{}]}`) constrains
        // values of a structured type; it is not a set of names. The type is used as it is (a
        // `null` member still makes it nullable).
        if v.enum_values.iter().any(|e| e.is_object() || e.is_array()) {
            v.enum_values.retain(Value::is_null);
        }
        v
    }

    /// The `allOf` members that say something about the value, with their index: members that
    /// only annotate (`{description: ...}`, `{nullable: true}`, the AWS idiom
    /// `allOf: [{$ref: X}, {description: ...}]`) are left out.
    pub(super) fn all_of_substantive(&self) -> Vec<(usize, RefOr<'s>)> {
        let substantive: Vec<(usize, RefOr<'s>)> = self
            .all_of
            .iter()
            .enumerate()
            .filter(|(_, m)| !annotation_only(m))
            .map(|(i, m)| (i, *m))
            .collect();
        // `allOf: [{$ref: Slug}, {type: string, nullable: true}]`: the inline member restates
        // the referenced type's primitive type (to add `nullable`); the reference is the type.
        let refs = substantive
            .iter()
            .filter(|(_, m)| matches!(m, RefOr::Ref(_)))
            .count();
        if refs == 1
            && substantive.len() > 1
            && substantive
                .iter()
                .all(|(_, m)| matches!(m, RefOr::Ref(_)) || restates_primitive(m))
        {
            return substantive
                .into_iter()
                .filter(|(_, m)| matches!(m, RefOr::Ref(_)))
                .collect();
        }
        substantive
    }

    /// Whether an `allOf` member that does not give the type (is not in `kept`, from
    /// [`View::all_of_substantive`]) makes the value nullable.
    pub(super) fn all_of_nullable(&self, kept: &[(usize, RefOr<'s>)]) -> bool {
        self.all_of.iter().enumerate().any(|(i, m)| {
            matches!(m, RefOr::Item(s) if s.schema_data.nullable)
                && !kept.iter().any(|(k, _)| *k == i)
        })
    }

    /// A schema whose values are objects. `properties` beside another explicit `type`
    /// (`type: array, items: ..., properties: ...`, seen in real descriptions) describe nothing:
    /// they apply only to objects, and the value is of that type.
    pub(super) fn is_object_like(&self) -> bool {
        let untyped_or_object = matches!(self.ty, None | Some("object"));
        (!self.properties.is_empty() && untyped_or_object)
            || (self.ty == Some("object") && self.items.is_none())
            || (self.ty.is_none() && self.additional.is_some())
    }

    /// A schema that only says "null" (the second half of Graph's `anyOf: [$ref, {nullable}]`).
    /// An example that is not `null` says the member holds values (Apideck's custom field
    /// `value`: `anyOf: [..., {type: object, nullable: true, example: {foo: bar}}]`), while
    /// Graph's bare `{type: object, nullable: true}` only adds `null`.
    pub(super) fn is_null_only(&self) -> bool {
        self.data.nullable
            && self.data.example.as_ref().is_none_or(Value::is_null)
            && self.properties.is_empty()
            && self.items.is_none()
            && self.enum_values.iter().all(Value::is_null)
            && self.all_of.is_empty()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.additional.is_none()
            && matches!(self.ty, None | Some("object"))
    }
}

/// The result of lowering a schema used somewhere (a property, an item, a body).
pub(super) struct Lowered {
    pub(super) ty: TypeRef,
    /// The value may be `null`: where it is used decides the Rust shape (a nullable field, an
    /// `Option` item or map value, an `Option` body).
    pub(super) nullable: bool,
}

impl Lowered {
    pub(super) fn plain(ty: TypeRef) -> Lowered {
        Lowered {
            ty,
            nullable: false,
        }
    }
}
