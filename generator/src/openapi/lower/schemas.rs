//! Schemas -> types: components, inline schemas, enums, unions (`oneOf`/`anyOf`), structs
//! (`allOf`, properties, additional properties), and the fixes that need every type.

use super::*;

impl Lower<'_> {
    pub(super) fn ensure_component(&mut self, id: TypeId) {
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
    pub(super) fn schema_ref(&mut self, reference: &str, ptr: &str) -> Lowered {
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
    pub(super) fn component_nullable(&mut self, name: &str) -> bool {
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
    pub(super) fn accepts_null(&mut self, schema: RefOr<'_>) -> bool {
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
    pub(super) fn use_schema(&mut self, schema: RefOr<'_>, hint: &str, ptr: &str) -> Lowered {
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
        // `x-ms-enum: {name}` names an inline enum, and every inline enum of that name with the
        // same values is that one type (Azure's `ProvisioningState` under many resources).
        let ms_enum = s
            .schema_data
            .extensions
            .get("x-ms-enum")
            .and_then(|e| e.get("name"))
            .and_then(Value::as_str)
            .filter(|n| !n.trim().is_empty() && v.properties.is_empty() && v.all_of.is_empty())
            .filter(|_| !v.enum_values.is_empty())
            .map(|n| {
                (
                    n.to_owned(),
                    v.enum_values
                        .iter()
                        .map(|e| (*e).clone())
                        .collect::<Vec<_>>(),
                )
            });
        if let Some(key) = &ms_enum
            && let Some(&id) = self.ms_enums.get(key)
        {
            return Lowered {
                ty: TypeRef::Named(id),
                nullable: self.accepts_null(RefOr::Item(s)),
            };
        }
        if needs_def {
            let hint = ms_enum.as_ref().map_or(hint, |(name, _)| name.as_str());
            let id = self
                .arena
                .reserve(hint, crate::ir::Origin::Inline(format!("#{ptr}")));
            if let Some(key) = ms_enum {
                self.ms_enums.insert(key, id);
            }
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
    pub(super) fn requires_more(
        &mut self,
        member: (usize, RefOr<'_>),
        required: &[&str],
        ptr: &str,
    ) -> bool {
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
    pub(super) fn simple_type(&mut self, v: &View<'_>, hint: &str, ptr: &str) -> TypeRef {
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
    pub(super) fn define(&mut self, id: TypeId, s: &Schema, name: &str, ptr: &str) -> TypeKind {
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

    pub(super) fn define_enum(&mut self, v: &View<'_>, ptr: &str) -> TypeKind {
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
        let descriptions = x_ms_enum_value_field(v.data, "description");
        let names = x_ms_enum_value_field(v.data, "name");
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
                // `x-ms-enum` may name the value (`{value: "Standard_LRS", name: "StandardLRS"}`).
                variant_name(names.get(&value).map_or(value.as_str(), String::as_str))
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

    pub(super) fn define_choice(
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
        // Every member allows only `null`: so does the value, which any JSON value holds.
        if variants.is_empty() {
            return TypeKind::Alias(TypeRef::Any);
        }
        TypeKind::Untagged(Untagged { variants })
    }

    pub(super) fn mapping_target(&self, target: &str) -> Option<TypeId> {
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or(target);
        self.components.get(name).copied()
    }

    pub(super) fn define_struct(
        &mut self,
        id: TypeId,
        v: &View<'_>,
        name: &str,
        ptr: &str,
    ) -> Struct {
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
    pub(super) fn collect_struct(
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
    pub(super) fn break_alias_cycles(&mut self) {
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
    pub(super) fn find_odata_errors(&mut self) {
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
    pub(super) fn union_specs(&mut self) -> Vec<UnionSpec> {
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
            let mut all = lowering::derived_closure(&self.derived, base);
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

    pub(super) fn resolve_alias(&self, mut id: TypeId) -> TypeId {
        for _ in 0..32 {
            match &self.arena.get(id).kind {
                TypeKind::Alias(TypeRef::Named(next)) => id = *next,
                _ => return id,
            }
        }
        id
    }
}

/// `x-ms-enum-flags: {isFlags: true}` (Microsoft's marker for OData flags enums).
pub(super) fn is_flags(data: &SchemaData) -> bool {
    data.extensions
        .get("x-ms-enum-flags")
        .and_then(|f| f.get("isFlags"))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// `x-ms-enum: {values: [{value, name, description}]}`: the `field` of each value that has one.
pub(super) fn x_ms_enum_value_field(data: &SchemaData, field: &str) -> BTreeMap<String, String> {
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
                v.get(field).and_then(Value::as_str),
            ) && !desc.trim().is_empty()
            {
                out.insert(value, desc.to_owned());
            }
        }
    }
    out
}

pub(super) fn variant_name_for(t: &TypeRef) -> String {
    match t {
        TypeRef::Primitive(p) => format!("{p:?}"),
        TypeRef::List(_) => "List".into(),
        TypeRef::Map(_) => "Map".into(),
        TypeRef::Nullable(inner) => variant_name_for(inner),
        TypeRef::Any => "Value".into(),
        TypeRef::Named(_) => "Named".into(),
    }
}
