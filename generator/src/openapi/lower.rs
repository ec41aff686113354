//! OpenAPI -> IR.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr,
    RequestBody as OaRequestBody, Response as OaResponse, Schema, SchemaData, SchemaKind,
    SecurityScheme, StatusCode, Type,
};
use serde_json::Value;

use crate::config::{Config, OperationNames};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, escape_pointer_token};
use crate::ir::{
    Additional, Api, AuthScheme, BodyEncoding, Docs, Enum, EnumMember, EnumRepr, Field, Method,
    ODataOptions, Operation, Paging, Param, ParamLocation, ParamStyle, Permission, Primitive,
    RequestBody, Response, ResponseBody, StatusMatch, Struct, TypeDef, TypeId, TypeKind, TypeRef,
    Untagged, UntaggedVariant,
};
use crate::lowering::{self, Arena, UnionSpec, merge_field};
use crate::naming::{self, CLIENT_RESERVED, NameScope, snake_ident, variant_name};
use crate::source::SourceFile;

/// Lower a parsed document.
pub fn lower(doc: &OpenAPI, source: &SourceFile, config: &Config, diags: &mut Diagnostics) -> Api {
    let l = Lower {
        doc,
        file: &source.path,
        config,
        diags,
        arena: Arena::default(),
        components: IndexMap::new(),
        state: HashMap::new(),
        discriminators: BTreeMap::new(),
        derived: BTreeMap::new(),
        non_roots: BTreeSet::new(),
        odata_error: BTreeSet::new(),
        oneof_unions: Vec::new(),
        nullable_components: HashMap::new(),
    };
    l.run()
}

/// A discriminator: the tag property and the mapping from tag values to schema references.
type DiscriminatorInfo = (String, IndexMap<String, String>);

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    InProgress,
    Done,
}

struct Lower<'a> {
    doc: &'a OpenAPI,
    file: &'a Path,
    config: &'a Config,
    diags: &'a mut Diagnostics,
    arena: Arena,
    /// Component schema name -> id, in document order.
    components: IndexMap<String, TypeId>,
    state: HashMap<TypeId, State>,
    /// Schemas with a discriminator: tag property and mapping (tag -> schema ref).
    discriminators: BTreeMap<TypeId, DiscriminatorInfo>,
    /// Base -> direct derived types (allOf inheritance).
    derived: BTreeMap<TypeId, Vec<TypeId>>,
    /// Components that are not emitted unless something uses them (envelopes, error bodies).
    non_roots: BTreeSet<TypeId>,
    /// Types recognised as the OData error body (decoded by the runtime instead).
    odata_error: BTreeSet<TypeId>,
    /// `oneOf` + discriminator unions defined inline or as components.
    oneof_unions: Vec<UnionSpec>,
    /// Component name -> whether its uses may be `null` (see [`Lower::component_nullable`]).
    nullable_components: HashMap<String, bool>,
}

/// A reference to a schema, boxed or not.
#[derive(Clone, Copy)]
enum RefOr<'s> {
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
fn annotation_only(r: &RefOr<'_>) -> bool {
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
fn restates_primitive(r: &RefOr<'_>) -> bool {
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
struct View<'s> {
    data: &'s SchemaData,
    ty: Option<&'s str>,
    format: Option<String>,
    enum_values: Vec<Value>,
    properties: Vec<(&'s str, RefOr<'s>)>,
    required: Vec<&'s str>,
    additional: Option<&'s AdditionalProperties>,
    items: Option<RefOr<'s>>,
    all_of: Vec<RefOr<'s>>,
    one_of: Vec<RefOr<'s>>,
    any_of: Vec<RefOr<'s>>,
    not: bool,
}

fn format_string<T: std::fmt::Debug>(f: &openapiv3::VariantOrUnknownOrEmpty<T>) -> Option<String> {
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
    fn of(schema: &'s Schema) -> View<'s> {
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
    fn all_of_substantive(&self) -> Vec<(usize, RefOr<'s>)> {
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
    fn all_of_nullable(&self, kept: &[(usize, RefOr<'s>)]) -> bool {
        self.all_of.iter().enumerate().any(|(i, m)| {
            matches!(m, RefOr::Item(s) if s.schema_data.nullable)
                && !kept.iter().any(|(k, _)| *k == i)
        })
    }

    fn is_object_like(&self) -> bool {
        !self.properties.is_empty()
            || (self.ty == Some("object") && self.items.is_none())
            || (self.ty.is_none() && self.additional.is_some())
    }

    /// A schema that only says "null" (the second half of Graph's `anyOf: [$ref, {nullable}]`).
    fn is_null_only(&self) -> bool {
        self.data.nullable
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
struct Lowered {
    ty: TypeRef,
    /// The value may be `null`: where it is used decides the Rust shape (a nullable field, an
    /// `Option` item or map value, an `Option` body).
    nullable: bool,
}

impl Lowered {
    fn plain(ty: TypeRef) -> Lowered {
        Lowered {
            ty,
            nullable: false,
        }
    }
}

fn ptr_join(base: &str, token: &str) -> String {
    format!("{base}/{}", escape_pointer_token(token))
}

fn docs_of(data: &SchemaData) -> Docs {
    Docs::description(data.description.clone())
}

impl<'a> Lower<'a> {
    fn loc(&self, pointer: &str) -> Location {
        Location::pointer(self.file, pointer)
    }

    fn run(mut self) -> Api {
        let doc = self.doc;
        // Name and reserve every component schema first, so references resolve in any order.
        if let Some(components) = &doc.components {
            let keys: Vec<&str> = components.schemas.keys().map(String::as_str).collect();
            let names = naming::type_names(&keys, naming::MODEL_RESERVED);
            for (key, name) in keys.iter().zip(names) {
                self.arena.scope.claim(&name);
                let id = self
                    .arena
                    .reserve_named(name, crate::ir::Origin::Named((*key).to_owned()));
                self.components.insert((*key).to_owned(), id);
            }
            let ids: Vec<TypeId> = self.components.values().copied().collect();
            for id in ids {
                self.ensure_component(id);
            }
        }
        self.break_alias_cycles();
        self.find_odata_errors();
        let mut operations = self.operations();
        let auth = self.auth();

        let base_url = self
            .config
            .client
            .base_url
            .clone()
            .or_else(|| doc.servers.first().map(|s| s.url.clone()));
        let unions = self.union_specs();
        let roots: BTreeSet<TypeId> = self
            .components
            .values()
            .copied()
            .filter(|id| !self.non_roots.contains(id))
            .collect();
        let mut scope = std::mem::take(&mut self.arena.scope);
        let mut types = std::mem::take(&mut self.arena).finish();
        lowering::add_unions(&mut types, &mut operations, unions, &mut scope);
        let mut api = Api {
            title: doc.info.title.clone(),
            version: doc.info.version.clone(),
            docs: Docs {
                summary: None,
                description: doc.info.description.clone(),
            },
            base_url,
            types,
            operations,
            auth,
            roots: roots.into_iter().collect(),
        };
        lowering::finish(&mut api, self.config, self.file, self.diags);
        api
    }

    // ----- schemas -----

    fn ensure_component(&mut self, id: TypeId) {
        match self.state.get(&id) {
            Some(State::Done) => return,
            Some(State::InProgress) => return,
            None => {}
        }
        self.state.insert(id, State::InProgress);
        let key = self.arena.get(id).api_name().to_owned();
        let ptr = ptr_join("/components/schemas", &key);
        let doc = self.doc;
        let schema = &doc.components.as_ref().expect("component exists").schemas[&key];
        let name = self.arena.get(id).name.clone();
        let (kind, docs, deprecated) = match schema {
            ReferenceOr::Reference { reference } => {
                let target = self.schema_ref(reference, &ptr);
                (TypeKind::Alias(target.ty), Docs::default(), false)
            }
            ReferenceOr::Item(s) => {
                let kind = self.define(id, s, &name, &ptr);
                (kind, docs_of(&s.schema_data), s.schema_data.deprecated)
            }
        };
        let flags = matches!(schema, ReferenceOr::Item(s) if is_flags(&s.schema_data));
        let def = self.arena.get_mut(id);
        def.kind = kind;
        def.docs = docs;
        def.deprecated = deprecated;
        if flags && matches!(def.kind, TypeKind::Enum(_)) {
            lowering::make_flags(&mut self.arena, id);
        }
        self.state.insert(id, State::Done);
    }

    /// Resolve a `$ref` to a schema.
    fn schema_ref(&mut self, reference: &str, ptr: &str) -> Lowered {
        if let Some(name) = reference.strip_prefix("#/components/schemas/") {
            let name = crate::diagnostics::unescape_pointer_token(name);
            if let Some(&id) = self.components.get(&name) {
                // A component that accepts `null` makes its uses nullable, whatever its kind.
                return Lowered {
                    ty: TypeRef::Named(id),
                    nullable: self.component_nullable(&name),
                };
            }
            let candidates: Vec<String> = self
                .components
                .keys()
                .map(|k| format!("#/components/schemas/{k}"))
                .collect();
            let d = Diagnostic::error(
                self.loc(&ptr_join(ptr, "$ref")),
                format!("`$ref: {reference}` does not resolve"),
            )
            .expected("the name of a schema under #/components/schemas")
            .suggest(reference, candidates.iter().map(String::as_str));
            self.diags.push(d);
            return Lowered::plain(TypeRef::Any);
        }
        if reference.starts_with("http://") || reference.starts_with("https://") {
            self.diags.push(
                Diagnostic::error(
                    self.loc(&ptr_join(ptr, "$ref")),
                    format!("remote reference `{reference}` is not followed"),
                )
                .expected("a reference inside this document or a local file")
                .help("download the referenced document and refer to it by a relative path"),
            );
            return Lowered::plain(TypeRef::Any);
        }
        self.diags.push(
            Diagnostic::error(
                self.loc(&ptr_join(ptr, "$ref")),
                format!("unsupported schema reference `{reference}`"),
            )
            .expected("`#/components/schemas/<name>`"),
        );
        Lowered::plain(TypeRef::Any)
    }

    /// Whether a use of the component `name` may be `null`: it says so itself (`nullable:
    /// true`, `type: [T, "null"]`, a `null` enum value), it is another name for a component that
    /// does, or one of its `oneOf`/`anyOf` members accepts `null`. Every kind of component counts,
    /// objects included (GitHub's `nullable-simple-user`). `allOf` members do not: a type that
    /// inherits from a nullable base is not nullable itself, and a wrapper of a nullable
    /// non-object (`allOf: [{$ref: NullableSlug}]`) is already an alias of an `Option`.
    fn component_nullable(&mut self, name: &str) -> bool {
        if let Some(&known) = self.nullable_components.get(name) {
            return known;
        }
        // A reference cycle (`A: {$ref: B}`, `B: {$ref: A}`, or through `oneOf`) adds nothing.
        self.nullable_components.insert(name.to_owned(), false);
        let doc = self.doc;
        let nullable = doc
            .components
            .as_ref()
            .and_then(|c| c.schemas.get(name))
            .is_some_and(|s| self.accepts_null(s.into()));
        self.nullable_components.insert(name.to_owned(), nullable);
        nullable
    }

    /// Whether a value of `schema` may be `null` (see [`Lower::component_nullable`]).
    fn accepts_null(&mut self, schema: RefOr<'_>) -> bool {
        match schema {
            RefOr::Ref(r) => r
                .strip_prefix("#/components/schemas/")
                .map(crate::diagnostics::unescape_pointer_token)
                .is_some_and(|name| self.component_nullable(&name)),
            RefOr::Item(s) => {
                let v = View::of(s);
                s.schema_data.nullable
                    || v.enum_values.iter().any(Value::is_null)
                    || v.one_of
                        .iter()
                        .chain(&v.any_of)
                        .any(|member| self.accepts_null(*member))
            }
        }
    }

    /// The type a schema use stands for, creating named types for inline objects and enums.
    fn use_schema(&mut self, schema: RefOr<'_>, hint: &str, ptr: &str) -> Lowered {
        let s = match schema {
            RefOr::Ref(r) => return self.schema_ref(r, ptr),
            RefOr::Item(s) => s,
        };
        let v = View::of(s);
        let nullable = s.schema_data.nullable;
        if v.not {
            self.diags.warning(
                self.loc(ptr),
                "`not` schemas cannot be expressed as a Rust type; any JSON value is accepted",
            );
            return Lowered {
                ty: TypeRef::Any,
                nullable,
            };
        }
        // `anyOf`/`oneOf` with a null-only member: the other member, nullable.
        let choices = if !v.one_of.is_empty() {
            &v.one_of
        } else {
            &v.any_of
        };
        if !choices.is_empty() && v.properties.is_empty() && v.data.discriminator.is_none() {
            let non_null: Vec<(usize, RefOr<'_>)> = choices
                .iter()
                .copied()
                .enumerate()
                .filter(|(_, c)| !matches!(c, RefOr::Item(s) if View::of(s).is_null_only()))
                .collect();
            let had_null = non_null.len() < choices.len();
            if non_null.len() == 1 {
                let key = if !v.one_of.is_empty() {
                    "oneOf"
                } else {
                    "anyOf"
                };
                let (i, only) = non_null[0];
                let inner = self.use_schema(only, hint, &format!("{ptr}/{key}/{i}"));
                return Lowered {
                    ty: inner.ty,
                    nullable: nullable || had_null || inner.nullable,
                };
            }
        }
        // `allOf: [$ref]` wrappers (often used to attach a description to a reference), also
        // with annotation-only members beside the reference. A wrapper whose `required` makes
        // more of the member's properties required is a type of its own (below).
        let substantive = v.all_of_substantive();
        if substantive.len() == 1
            && v.properties.is_empty()
            && v.enum_values.is_empty()
            && v.data.discriminator.is_none()
            && !self.requires_more(substantive[0], &v.required, ptr)
        {
            let (i, member) = substantive[0];
            let inner = self.use_schema(member, hint, &format!("{ptr}/allOf/{i}"));
            return Lowered {
                ty: inner.ty,
                nullable: nullable || inner.nullable || v.all_of_nullable(&substantive),
            };
        }
        let needs_def = !v.enum_values.iter().all(Value::is_null)
            || !v.properties.is_empty()
            || !v.all_of.is_empty()
            || !v.one_of.is_empty()
            || !v.any_of.is_empty();
        if needs_def {
            let id = self
                .arena
                .reserve(hint, crate::ir::Origin::Inline(format!("#{ptr}")));
            let name = self.arena.get(id).name.clone();
            let kind = self.define(id, s, &name, ptr);
            let def = self.arena.get_mut(id);
            def.kind = kind;
            def.docs = docs_of(&s.schema_data);
            def.deprecated = s.schema_data.deprecated;
            if is_flags(&s.schema_data) && matches!(def.kind, TypeKind::Enum(_)) {
                lowering::make_flags(&mut self.arena, id);
            }
            self.state.insert(id, State::Done);
            return Lowered {
                ty: TypeRef::Named(id),
                // `null` among the enum values, or a `oneOf`/`anyOf` member that accepts it.
                nullable: self.accepts_null(RefOr::Item(s)),
            };
        }
        Lowered {
            ty: self.simple_type(&v, hint, ptr),
            nullable,
        }
    }

    /// Whether `required` (of an `allOf` wrapper around `member`) names a property of the member
    /// that the member leaves optional, so the wrapper is a new object type rather than another
    /// name for the member (DigitalOcean's request bodies `{allOf: [$ref], required: [name]}`).
    /// Names the member does not declare add nothing; a member still being defined (a recursive
    /// use) is taken as it is.
    fn requires_more(&mut self, member: (usize, RefOr<'_>), required: &[&str], ptr: &str) -> bool {
        if required.is_empty() {
            return false;
        }
        let (i, member) = member;
        let r = match member {
            RefOr::Ref(r) => r,
            // An inline object is a new type either way: define it from the wrapper, so the
            // wrapper's `required` counts.
            RefOr::Item(s) => return View::of(s).is_object_like(),
        };
        let TypeRef::Named(t) = self.schema_ref(r, &format!("{ptr}/allOf/{i}")).ty else {
            return false;
        };
        if self.state.get(&t) == Some(&State::InProgress) {
            return false;
        }
        self.ensure_component(t);
        match &self.arena.get(t).kind {
            TypeKind::Struct(st) => st.fields.iter().any(|f| {
                !f.required
                    && !f.read_only
                    && !f.write_only
                    && required.contains(&f.api_name.as_str())
            }),
            _ => false,
        }
    }

    /// Types that need no definition of their own: scalars, lists, maps.
    fn simple_type(&mut self, v: &View<'_>, hint: &str, ptr: &str) -> TypeRef {
        let format = v.format.as_deref();
        match v.ty {
            Some("string") => TypeRef::Primitive(match format {
                Some("date-time") => Primitive::DateTime,
                Some("date") => Primitive::Date,
                Some("time") => Primitive::Time,
                Some("duration") => Primitive::Duration,
                Some("uuid") => Primitive::Uuid,
                Some("byte") | Some("base64url") | Some("base64") => Primitive::Base64,
                Some("binary") => Primitive::Binary,
                _ => Primitive::String,
            }),
            Some("integer") => TypeRef::Primitive(match format {
                Some("int32") => Primitive::I32,
                Some("int8") => Primitive::I8,
                Some("int16") => Primitive::I16,
                Some("uint8") => Primitive::U8,
                Some("uint32") => Primitive::U32,
                Some("uint64") => Primitive::U64,
                _ => Primitive::I64,
            }),
            Some("number") => TypeRef::Primitive(match format {
                Some("float") => Primitive::F32,
                Some("decimal") => Primitive::Decimal,
                Some("int32") => Primitive::I32,
                Some("int64") => Primitive::I64,
                _ => Primitive::F64,
            }),
            Some("boolean") => TypeRef::Primitive(Primitive::Bool),
            Some("array") => match v.items {
                Some(items) => {
                    let item = self.use_schema(
                        items,
                        &naming::join_hint(hint, "Item"),
                        &format!("{ptr}/items"),
                    );
                    // Items that may be `null` (`{$ref: NullableX}`, Graph's `anyOf: [{$ref},
                    // {nullable: true}]`, `type: [T, "null"]`...) are `Option`s, so `[x, null]`
                    // reads and writes back as it was.
                    let ty = if item.nullable {
                        TypeRef::Nullable(Box::new(item.ty))
                    } else {
                        item.ty
                    };
                    TypeRef::List(Box::new(ty))
                }
                None => TypeRef::List(Box::new(TypeRef::Any)),
            },
            Some("object") | None => match v.additional {
                Some(AdditionalProperties::Schema(s)) => {
                    let inner = self.use_schema(
                        (&**s).into(),
                        &naming::join_hint(hint, "Value"),
                        &format!("{ptr}/additionalProperties"),
                    );
                    let ty = if inner.nullable {
                        TypeRef::Nullable(Box::new(inner.ty))
                    } else {
                        inner.ty
                    };
                    TypeRef::Map(Box::new(ty))
                }
                _ if v.ty == Some("object") => TypeRef::Map(Box::new(TypeRef::Any)),
                _ => TypeRef::Any,
            },
            Some(other) => {
                self.diags.warning(
                    self.loc(&ptr_join(ptr, "type")),
                    format!("unknown type `{other}`; any JSON value is accepted"),
                );
                TypeRef::Any
            }
        }
    }

    /// Define the named type `id` from `s`.
    fn define(&mut self, id: TypeId, s: &Schema, name: &str, ptr: &str) -> TypeKind {
        let v = View::of(s);
        if !v.enum_values.iter().all(Value::is_null) {
            return self.define_enum(&v, ptr);
        }
        if let Some(d) = &v.data.discriminator {
            self.discriminators
                .insert(id, (d.property_name.clone(), d.mapping.clone()));
        }
        if v.not && v.properties.is_empty() && v.all_of.is_empty() {
            self.diags.warning(
                self.loc(ptr),
                "`not` schemas cannot be expressed as a Rust type; any JSON value is accepted",
            );
            return TypeKind::Alias(TypeRef::Any);
        }
        let choices = if !v.one_of.is_empty() {
            &v.one_of
        } else {
            &v.any_of
        };
        if !choices.is_empty() && v.properties.is_empty() && v.all_of.is_empty() {
            let key = if !v.one_of.is_empty() {
                "oneOf"
            } else {
                "anyOf"
            };
            return self.define_choice(id, &v, choices.clone(), key, name, ptr);
        }
        // A pure map (`additionalProperties: {schema}` and nothing else) is an alias of a map.
        if v.properties.is_empty()
            && v.all_of.is_empty()
            && matches!(v.additional, Some(AdditionalProperties::Schema(_)))
        {
            return TypeKind::Alias(self.simple_type(&v, name, ptr));
        }
        // A component that is one other non-object schema plus annotations
        // (`allOf: [{$ref: Arn}, {description: ...}]`) is an alias of it.
        let substantive = v.all_of_substantive();
        if let [(i, RefOr::Ref(r))] = substantive.as_slice()
            && v.properties.is_empty()
            && v.additional.is_none()
        {
            let target = self.schema_ref(r, &format!("{ptr}/allOf/{i}"));
            let object = match target.ty {
                TypeRef::Named(t) if self.state.get(&t) == Some(&State::InProgress) => true,
                TypeRef::Named(t) => {
                    self.ensure_component(t);
                    matches!(
                        self.arena.get(t).kind,
                        TypeKind::Struct(_) | TypeKind::Union(_)
                    )
                }
                _ => false,
            };
            if !object {
                let ty = if target.nullable || v.all_of_nullable(&substantive) {
                    TypeRef::Nullable(Box::new(target.ty))
                } else {
                    target.ty
                };
                return TypeKind::Alias(ty);
            }
        }
        if v.is_object_like() || !v.all_of.is_empty() {
            return TypeKind::Struct(self.define_struct(id, &v, name, ptr));
        }
        TypeKind::Alias(self.simple_type(&v, name, ptr))
    }

    fn define_enum(&mut self, v: &View<'_>, ptr: &str) -> TypeKind {
        let values = || v.enum_values.iter().filter(|e| !e.is_null());
        // `boolean` and `number` enums (often a single constant such as `enum: [true]`) are
        // the primitive itself: the values' names would add nothing.
        if matches!(v.ty, Some("boolean") | None) && values().all(Value::is_boolean) {
            return TypeKind::Alias(TypeRef::Primitive(Primitive::Bool));
        }
        if matches!(v.ty, Some("number") | None) && values().all(Value::is_number) {
            let all_integers = values().all(|e| e.is_i64());
            if v.ty == Some("number") || !all_integers {
                return TypeKind::Alias(TypeRef::Primitive(Primitive::F64));
            }
        }
        let integer = matches!(v.ty, Some("integer") | None) && values().all(|e| e.is_i64());
        if v.ty == Some("integer") && !integer {
            self.diags.warning(
                self.loc(ptr),
                "an `integer` enum whose values are not all integers is read as strings",
            );
        }
        let mut scope = NameScope::default();
        let descriptions = x_ms_enum_descriptions(v.data);
        let mut members = Vec::new();
        let mut seen = BTreeSet::new();
        for e in &v.enum_values {
            let value = match e {
                Value::Null => continue,
                Value::String(s) => s.clone(),
                Value::Number(n) if integer => n.to_string(),
                Value::Bool(b) => b.to_string(),
                other => other.to_string(),
            };
            if !seen.insert(value.clone()) {
                continue;
            }
            let base = if integer {
                let n = value.trim_start_matches('-');
                if value.starts_with('-') {
                    format!("Minus{n}")
                } else {
                    format!("V{n}")
                }
            } else {
                variant_name(&value)
            };
            let name = scope.claim(&base);
            let docs = Docs::description(descriptions.get(&value).cloned());
            members.push(EnumMember { value, name, docs });
        }
        if !integer && v.ty.is_some_and(|t| t != "string" && t != "integer") {
            self.diags.warning(
                self.loc(ptr),
                format!(
                    "an enum of `{}` values is read as strings",
                    v.ty.unwrap_or_default()
                ),
            );
        }
        TypeKind::Enum(Enum {
            repr: if integer {
                EnumRepr::Integer
            } else {
                EnumRepr::String
            },
            members,
            open: true,
        })
    }

    fn define_choice(
        &mut self,
        id: TypeId,
        v: &View<'_>,
        choices: Vec<RefOr<'_>>,
        key: &str,
        name: &str,
        ptr: &str,
    ) -> TypeKind {
        // Tagged: every member is a reference to an object schema and there is a discriminator.
        if let Some(d) = &v.data.discriminator {
            let mut variants: Vec<(TypeId, Vec<String>)> = Vec::new();
            let mut ok = true;
            for (i, c) in choices.iter().enumerate() {
                let l = self.use_schema(
                    *c,
                    &naming::join_hint(name, &format!("Variant{}", i + 1)),
                    &format!("{ptr}/{key}/{i}"),
                );
                match l.ty {
                    TypeRef::Named(t) => {
                        let mut tags: Vec<String> = d
                            .mapping
                            .iter()
                            .filter(|(_, target)| self.mapping_target(target) == Some(t))
                            .map(|(tag, _)| tag.clone())
                            .collect();
                        if tags.is_empty() {
                            if let RefOr::Ref(r) = c
                                && let Some(n) = r.rsplit('/').next()
                            {
                                tags.push(n.to_owned());
                            } else {
                                tags.push(self.arena.get(t).name.clone());
                            }
                        }
                        variants.push((t, tags));
                    }
                    _ => ok = false,
                }
            }
            if ok {
                self.oneof_unions.push(UnionSpec {
                    base: None,
                    own_id: Some(id),
                    tag_field: d.property_name.clone(),
                    odata: d.property_name == "@odata.type",
                    variants,
                });
                // Placeholder; replaced by the union when unions are built.
                return TypeKind::Alias(TypeRef::Any);
            }
        }
        let mut vscope = NameScope::default();
        let mut variants = Vec::new();
        for (i, c) in choices.iter().enumerate() {
            let l = self.use_schema(
                *c,
                &naming::join_hint(name, &format!("Variant{}", i + 1)),
                &format!("{ptr}/{key}/{i}"),
            );
            if matches!(c, RefOr::Item(s) if View::of(s).is_null_only()) {
                continue;
            }
            let vname = match &l.ty {
                TypeRef::Named(t) => self.arena.get(*t).name.clone(),
                other => variant_name_for(other),
            };
            variants.push(UntaggedVariant {
                name: vscope.claim(&vname),
                ty: l.ty,
            });
        }
        TypeKind::Untagged(Untagged { variants })
    }

    fn mapping_target(&self, target: &str) -> Option<TypeId> {
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or(target);
        self.components.get(name).copied()
    }

    fn define_struct(&mut self, id: TypeId, v: &View<'_>, name: &str, ptr: &str) -> Struct {
        let mut st = Struct::default();
        let mut required: BTreeSet<String> = BTreeSet::new();
        self.collect_struct(id, v, name, ptr, &mut st, &mut required);
        for f in &mut st.fields {
            // One struct is both sent and received, so a field is required in Rust only when
            // it is required both ways: `required` on a `readOnly` property applies to
            // responses only, on a `writeOnly` one to requests only (OpenAPI 3.0, Schema
            // Object), and such fields are optional.
            if required.contains(&f.api_name)
                && !f.api_name.starts_with("@odata.")
                && !f.read_only
                && !f.write_only
            {
                f.required = true;
            }
        }
        lowering::name_fields(&mut st.fields);
        st.tag = v
            .data
            .extensions
            .get("x-ms-discriminator-value")
            .and_then(Value::as_str)
            .map(str::to_owned);
        match v.additional {
            Some(AdditionalProperties::Schema(s)) => {
                let inner = self.use_schema(
                    (&**s).into(),
                    &naming::join_hint(name, "Value"),
                    &format!("{ptr}/additionalProperties"),
                );
                st.additional = Additional::Typed(if inner.nullable {
                    TypeRef::Nullable(Box::new(inner.ty))
                } else {
                    inner.ty
                });
            }
            Some(AdditionalProperties::Any(false)) => st.additional = Additional::Forbid,
            _ => {}
        }
        st
    }

    /// Gather fields from `allOf` members and own properties into `st`.
    fn collect_struct(
        &mut self,
        id: TypeId,
        v: &View<'_>,
        name: &str,
        ptr: &str,
        st: &mut Struct,
        required: &mut BTreeSet<String>,
    ) {
        for (i, member) in v.all_of.iter().enumerate() {
            let mptr = format!("{ptr}/allOf/{i}");
            match member {
                RefOr::Ref(r) => {
                    let target = self.schema_ref(r, &mptr);
                    let TypeRef::Named(t) = target.ty else {
                        continue;
                    };
                    if self.state.get(&t) == Some(&State::InProgress) {
                        self.diags.push(
                            Diagnostic::error(
                                self.loc(&ptr_join(&mptr, "$ref")),
                                format!("`{r}` inherits from itself (an `allOf` cycle)"),
                            )
                            .expected("an inheritance chain without cycles"),
                        );
                        continue;
                    }
                    self.ensure_component(t);
                    let def = self.arena.get(t);
                    match &def.kind {
                        TypeKind::Struct(base) => {
                            let base_fields = base.fields.clone();
                            for f in base_fields {
                                if f.required {
                                    required.insert(f.api_name.clone());
                                }
                                merge_field(&mut st.fields, f);
                            }
                            if st.base.is_none() {
                                st.base = Some(t);
                                self.derived.entry(t).or_default().push(id);
                            }
                        }
                        _ => {
                            self.diags.warning(
                                self.loc(&mptr),
                                format!("`allOf` member `{r}` is not an object; it is ignored"),
                            );
                        }
                    }
                }
                RefOr::Item(s) => {
                    let mv = View::of(s);
                    self.collect_struct(id, &mv, name, &mptr, st, required);
                }
            }
        }
        required.extend(v.required.iter().map(|s| (*s).to_owned()));
        for (pname, pschema) in &v.properties {
            let pptr = format!("{ptr}/properties/{}", escape_pointer_token(pname));
            let hint = naming::join_hint(name, pname);
            let lowered = self.use_schema(*pschema, &hint, &pptr);
            let (docs, read_only, write_only, default, deprecated) = match pschema {
                RefOr::Item(s) => (
                    docs_of(&s.schema_data),
                    s.schema_data.read_only,
                    s.schema_data.write_only,
                    s.schema_data.default.as_ref().map(Value::to_string),
                    s.schema_data.deprecated,
                ),
                RefOr::Ref(_) => (Docs::default(), false, false, None, false),
            };
            merge_field(
                &mut st.fields,
                Field {
                    api_name: (*pname).to_owned(),
                    name: String::new(),
                    docs,
                    ty: lowered.ty,
                    required: false,
                    nullable: lowered.nullable,
                    read_only,
                    write_only,
                    default,
                    deprecated,
                },
            );
        }
    }

    /// A schema that is only a reference to itself, directly or through other references
    /// (`A: {$ref: B}`, `B: {$ref: A}`), describes no value: it becomes any JSON value, with a
    /// warning, so the crate still compiles.
    fn break_alias_cycles(&mut self) {
        let ids: Vec<TypeId> = self.components.values().copied().collect();
        for start in ids {
            let mut seen = vec![start];
            let mut current = start;
            while let TypeKind::Alias(TypeRef::Named(next)) = &self.arena.get(current).kind {
                let next = *next;
                if next == start {
                    let key = self.arena.get(start).api_name().to_owned();
                    let chain: Vec<String> = seen
                        .iter()
                        .map(|id| self.arena.get(*id).api_name().to_owned())
                        .collect();
                    self.diags.warning(
                        self.loc(&ptr_join("/components/schemas", &key)),
                        format!(
                            "schema references form a cycle ({} -> {key}); it accepts any JSON value",
                            chain.join(" -> ")
                        ),
                    );
                    self.arena.get_mut(start).kind = TypeKind::Alias(TypeRef::Any);
                    break;
                }
                if seen.contains(&next) {
                    break;
                }
                seen.push(next);
                current = next;
            }
        }
    }

    /// Mark the OData error body schema (`{error: {code, message, ...}}`) and what only it uses:
    /// the runtime's `ODataError` decodes those bodies.
    fn find_odata_errors(&mut self) {
        let ids: Vec<TypeId> = self.components.values().copied().collect();
        for id in ids {
            let TypeKind::Struct(s) = &self.arena.get(id).kind else {
                continue;
            };
            let [f] = &s.fields[..] else { continue };
            if f.api_name != "error" {
                continue;
            }
            let TypeRef::Named(main) = f.ty else { continue };
            let TypeKind::Struct(m) = &self.arena.get(main).kind else {
                continue;
            };
            let has = |n: &str| m.fields.iter().any(|f| f.api_name == n);
            if has("code") && has("message") {
                self.odata_error.insert(id);
                self.non_roots.insert(id);
                // Its parts too.
                let mut stack = vec![main];
                while let Some(t) = stack.pop() {
                    if self.non_roots.insert(t) {
                        stack.extend(self.arena.get(t).referenced_types());
                    }
                }
            }
        }
    }

    /// Unions for every base type with a discriminator and derived types, plus `oneOf` unions.
    fn union_specs(&mut self) -> Vec<UnionSpec> {
        let mut specs = std::mem::take(&mut self.oneof_unions);
        let bases: Vec<(TypeId, DiscriminatorInfo)> = self
            .discriminators
            .iter()
            .map(|(k, v)| (*k, v.clone()))
            .collect();
        for (base, (tag_field, mapping)) in bases {
            if !matches!(self.arena.get(base).kind, TypeKind::Struct(_)) {
                continue;
            }
            // All transitive derived types.
            let mut all: Vec<TypeId> = Vec::new();
            let mut stack = vec![base];
            while let Some(t) = stack.pop() {
                for d in self.derived.get(&t).cloned().unwrap_or_default() {
                    if !all.contains(&d) {
                        all.push(d);
                        stack.push(d);
                    }
                }
            }
            for target in mapping.values() {
                if let Some(t) = self.mapping_target(target)
                    && t != base
                    && !all.contains(&t)
                    && matches!(self.arena.get(t).kind, TypeKind::Struct(_))
                {
                    all.push(t);
                }
            }
            if all.is_empty() {
                continue;
            }
            let tags_for = |this: &Self, t: TypeId| -> Vec<String> {
                let mut tags: Vec<String> = mapping
                    .iter()
                    .filter(|(_, target)| this.mapping_target(target) == Some(t))
                    .map(|(tag, _)| tag.clone())
                    .collect();
                if let TypeKind::Struct(s) = &this.arena.get(t).kind
                    && let Some(tag) = &s.tag
                    && !tags.contains(tag)
                {
                    tags.push(tag.clone());
                }
                if tags.is_empty() {
                    let name = this.arena.get(t).api_name();
                    tags.push(if tag_field == "@odata.type" {
                        format!("#{name}")
                    } else {
                        name.to_owned()
                    });
                }
                tags
            };
            let mut variants = vec![(base, tags_for(self, base))];
            for t in all {
                variants.push((t, tags_for(self, t)));
            }
            specs.push(UnionSpec {
                base: Some(base),
                own_id: None,
                odata: tag_field == "@odata.type",
                tag_field,
                variants,
            });
        }
        specs
    }

    // ----- operations -----

    fn operations(&mut self) -> Vec<Operation> {
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
            for (method, op) in methods(item) {
                let optr = ptr_join(&pptr, &method.as_str().to_ascii_lowercase());
                if let Some(o) = self.operation(path, item, method, op, &optr, &mut scope) {
                    ops.push(o);
                }
            }
        }
        ops
    }

    fn operation(
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
        // Responses first: paging decides between list_ and get_ names.
        let mut responses = Vec::new();
        // Inline types of the operation are named after it.
        let hint_base = naming::pascal_case(&match (
            &op.operation_id,
            self.config.client.operation_names,
        ) {
            (Some(id), OperationNames::OperationId) => id.clone(),
            _ => naming::operation_name_from_path(method, path, false),
        });
        for (status, resp) in &op.responses.responses {
            let (status, token) = match status {
                StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
                StatusCode::Range(r) => (StatusMatch::Range(*r as u8), format!("{r}XX")),
            };
            let rptr = ptr_join(&format!("{ptr}/responses"), &token);
            if let Some(r) = self.response(status, resp, &hint_base, &rptr) {
                responses.push(r);
            }
        }
        if let Some(resp) = &op.responses.default {
            let rptr = format!("{ptr}/responses/default");
            if let Some(r) = self.response(StatusMatch::Default, resp, &hint_base, &rptr) {
                responses.push(r);
            }
        }
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

        // Parameters: the path item's, overridden by the operation's (same name and location).
        let mut params_src: Vec<(&ReferenceOr<Parameter>, String)> = Vec::new();
        for (i, p) in item.parameters.iter().enumerate() {
            params_src.push((
                p,
                format!(
                    "{}/parameters/{i}",
                    ptr.rsplit_once('/').map_or(ptr, |x| x.0)
                ),
            ));
        }
        for (i, p) in op.parameters.iter().enumerate() {
            params_src.push((p, format!("{ptr}/parameters/{i}")));
        }
        let mut resolved: Vec<(Parameter, String)> = Vec::new();
        for (p, pptr) in params_src {
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
        let mut odata = ODataOptions::default();
        let mut params: Vec<Param> = Vec::new();
        let mut arg_scope = NameScope::with_reserved(naming::ARG_RESERVED);
        // Path parameters in template order first.
        let template_names = path_template_names(path);
        for tn in &template_names {
            if !resolved.iter().any(|(p, _)| {
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
        resolved.sort_by_key(|(p, _)| match p {
            Parameter::Path { parameter_data, .. } => (
                0,
                template_names
                    .iter()
                    .position(|n| n == &parameter_data.name)
                    .unwrap_or(usize::MAX),
            ),
            _ => (1, 0),
        });
        for (p, pptr) in &resolved {
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
            let hint = naming::join_hint(&hint_base, &data.name);
            // Parameters and request bodies are only sent: a schema that also allows `null` still
            // takes a value, and leaving one out is what `required: false` is for. (Items and
            // fields inside them keep their own nullability.)
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    self.use_schema(s.into(), &hint, &format!("{pptr}/schema"))
                        .ty
                }
                ParameterSchemaOrContent::Content(c) => match c.iter().next() {
                    Some((media, mt)) => match &mt.schema {
                        Some(s) => {
                            self.use_schema(
                                s.into(),
                                &hint,
                                &format!("{pptr}/content/{}/schema", escape_pointer_token(media)),
                            )
                            .ty
                        }
                        None => TypeRef::Primitive(Primitive::String),
                    },
                    None => TypeRef::Primitive(Primitive::String),
                },
            };
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
                description: op.description.clone().filter(|s| !s.trim().is_empty()),
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
        })
    }

    fn resolve_parameter(&mut self, p: &ReferenceOr<Parameter>, ptr: &str) -> Option<Parameter> {
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

    fn request_body(
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
            content_type: media.to_owned(),
            encoding,
            ty,
            required: body.required,
            docs: Docs::description(body.description.clone()),
            part_types,
        })
    }

    fn response(
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
        let encoding = encoding_of(media);
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

    /// Paging by `@odata.nextLink`: an `x-ms-pageable` operation, or a GET whose success body
    /// has a `value` array and an `@odata.nextLink`.
    fn paging(&mut self, op: &openapiv3::Operation, responses: &[Response]) -> Option<Paging> {
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
        })
    }

    fn resolve_alias(&self, mut id: TypeId) -> TypeId {
        for _ in 0..32 {
            match &self.arena.get(id).kind {
                TypeKind::Alias(TypeRef::Named(next)) => id = *next,
                _ => return id,
            }
        }
        id
    }

    fn permissions(&self, op: &openapiv3::Operation) -> Vec<Permission> {
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

    fn auth(&mut self) -> Vec<AuthScheme> {
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

/// `x-ms-enum-flags: {isFlags: true}` (Microsoft's marker for OData flags enums).
fn is_flags(data: &SchemaData) -> bool {
    data.extensions
        .get("x-ms-enum-flags")
        .and_then(|f| f.get("isFlags"))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

fn only_paging_fields(def: &TypeDef) -> bool {
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

fn x_ms_enum_descriptions(data: &SchemaData) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(values) = data
        .extensions
        .get("x-ms-enum")
        .and_then(|e| e.get("values"))
        .and_then(Value::as_array)
    {
        for v in values {
            if let (Some(value), Some(desc)) = (
                v.get("value").map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                }),
                v.get("description").and_then(Value::as_str),
            ) && !desc.trim().is_empty()
            {
                out.insert(value, desc.to_owned());
            }
        }
    }
    out
}

fn variant_name_for(t: &TypeRef) -> String {
    match t {
        TypeRef::Primitive(p) => format!("{p:?}"),
        TypeRef::List(_) => "List".into(),
        TypeRef::Map(_) => "Map".into(),
        TypeRef::Nullable(inner) => variant_name_for(inner),
        TypeRef::Any => "Value".into(),
        TypeRef::Named(_) => "Named".into(),
    }
}

fn methods(item: &PathItem) -> Vec<(Method, &openapiv3::Operation)> {
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

fn param_location(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

fn param_style(p: &Parameter) -> ParamStyle {
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

/// JSON first, then form, multipart, text, anything else as bytes.
fn pick_media(
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

fn encoding_of(media: &str) -> BodyEncoding {
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
