//! CSDL types -> IR types: enums, entity and complex types with their properties and
//! navigation properties, and the unions of each base type and its derived types.

use super::*;

impl<'a> Lower<'a> {
    /// Reserve every named type; report duplicates. Returns false on errors.
    pub(super) fn declare_types(&mut self) -> bool {
        let doc = self.doc;
        let mut decls: Vec<(String, Decl, Pos)> = Vec::new();
        for (si, s) in doc.schemas.iter().enumerate() {
            for (i, t) in s.types.iter().enumerate() {
                decls.push((
                    format!("{}.{}", s.namespace, t.name),
                    Decl::Structured(si, i),
                    t.pos,
                ));
            }
            for (i, e) in s.enums.iter().enumerate() {
                decls.push((
                    format!("{}.{}", s.namespace, e.name),
                    Decl::Enum(si, i),
                    e.pos,
                ));
            }
            for (i, t) in s.type_definitions.iter().enumerate() {
                decls.push((
                    format!("{}.{}", s.namespace, t.name),
                    Decl::TypeDef(si, i),
                    t.pos,
                ));
            }
        }
        decls.sort_by_key(|(_, _, pos)| *pos);
        let mut ok = true;
        let mut first: HashMap<&str, Pos> = HashMap::new();
        let mut unique: Vec<&(String, Decl, Pos)> = Vec::new();
        for d in &decls {
            if let Some(prev) = first.get(d.0.as_str()) {
                self.diags.push(
                    Diagnostic::error(self.loc(d.2), format!("`{}` is declared twice", d.0))
                        .expected(format!(
                            "one declaration per name (the first is at line {}, column {})",
                            prev.line, prev.column
                        )),
                );
                ok = false;
                continue;
            }
            first.insert(&d.0, d.2);
            unique.push(d);
        }
        let names: Vec<&str> = unique.iter().map(|d| d.0.as_str()).collect();
        let rust_names = naming::type_names(&names, naming::MODEL_RESERVED);
        for (d, name) in unique.iter().zip(rust_names) {
            self.arena.scope.claim(&name);
            let id = self
                .arena
                .reserve_named(name, crate::ir::Origin::Named(d.0.clone()));
            self.types.insert(d.0.clone(), (d.1, id));
        }
        ok
    }

    pub(super) fn unknown_type(&mut self, name: &str, pos: Pos, expected: &str) {
        let candidates: Vec<&str> = self.types.keys().map(String::as_str).collect();
        let d = Diagnostic::error(self.loc(pos), format!("unknown type `{name}`"))
            .expected(expected)
            .suggest(&self.qualify(name), candidates.iter().copied());
        self.diags.push(d);
    }

    /// The IR type for a CSDL type reference (element type; collections are handled by callers).
    /// The type of a parameter: `ty`'s element, in a list when it is a collection.
    pub(super) fn parameter_type(
        &mut self,
        ty: &crate::csdl::model::TypeName,
        pos: Pos,
    ) -> TypeRef {
        let element = self.type_ref(&ty.name, pos);
        if ty.collection {
            TypeRef::List(Box::new(element))
        } else {
            element
        }
    }

    pub(super) fn type_ref(&mut self, name: &str, pos: Pos) -> TypeRef {
        if let Some(t) = edm_primitive(name) {
            return t;
        }
        let q = self.qualify(name);
        match self.types.get(&q) {
            Some((_, id)) => TypeRef::Named(*id),
            None => {
                self.unknown_type(
                    name,
                    pos,
                    "a type declared in the CSDL, or an `Edm.*` primitive",
                );
                TypeRef::Any
            }
        }
    }

    pub(super) fn define_enum(&mut self, e: &EnumType, qualified: &str) -> TypeKind {
        let mut scope = NameScope::default();
        let members = e
            .members
            .iter()
            .map(|m| EnumMember {
                value: m.name.clone(),
                name: scope.claim(&variant_name(&m.name)),
                docs: self.docs(&format!("{qualified}/{}", m.name)),
            })
            .collect();
        TypeKind::Enum(Enum {
            repr: EnumRepr::String,
            members,
            open: true,
        })
    }

    pub(super) fn structured(&self, id: TypeId) -> (&'a StructuredType, String) {
        let qualified = self.arena.get(id).api_name().to_owned();
        match self.types.get(&qualified) {
            Some((Decl::Structured(s, t), _)) => (&self.doc.schemas[*s].types[*t], qualified),
            _ => unreachable!("define_struct is only called for structured types"),
        }
    }

    pub(super) fn define_struct(&mut self, id: TypeId) {
        match self.struct_state.get(&id) {
            Some(State::Done) | Some(State::InProgress) => return,
            None => {}
        }
        self.struct_state.insert(id, State::InProgress);
        let (t, qualified) = self.structured(id);
        let mut st = Struct {
            is_abstract: t.is_abstract,
            ..Struct::default()
        };
        match &t.base_type {
            Some(base) => {
                let q = self.qualify(base);
                match self.types.get(&q).copied() {
                    Some((Decl::Structured(..), base_id)) => {
                        if self.struct_state.get(&base_id) == Some(&State::InProgress) {
                            self.diags.push(
                                Diagnostic::error(
                                    self.loc(t.pos),
                                    format!("`{qualified}` inherits from itself through `{q}` (a BaseType cycle)"),
                                )
                                .expected("an inheritance chain without cycles"),
                            );
                        } else {
                            self.define_struct(base_id);
                            if let TypeKind::Struct(b) = &self.arena.get(base_id).kind {
                                st.fields = b.fields.clone();
                            }
                            st.base = Some(base_id);
                            st.tag = Some(format!("#{qualified}"));
                            self.derived.entry(base_id).or_default().push(id);
                        }
                    }
                    Some(_) => {
                        self.diags.push(
                            Diagnostic::error(self.loc(t.pos), format!("base type `{base}` of `{qualified}` is not an entity or complex type"))
                                .expected("an EntityType or ComplexType"),
                        );
                    }
                    None => self.unknown_type(
                        base,
                        t.pos,
                        "an EntityType or ComplexType declared in the CSDL",
                    ),
                }
            }
            None => st.fields.push(Field {
                api_name: "@odata.type".into(),
                name: String::new(),
                docs: Docs::default(),
                ty: TypeRef::Primitive(Primitive::String),
                required: false,
                nullable: false,
                read_only: false,
                write_only: false,
                default: None,
                deprecated: false,
            }),
        }
        for p in &t.properties {
            let f = self.property_field(&qualified, p, &t.key);
            lowering::merge_field(&mut st.fields, f);
        }
        for n in &t.navigation {
            let f = self.navigation_field(&qualified, n);
            lowering::merge_field(&mut st.fields, f);
        }
        lowering::name_fields(&mut st.fields);
        let docs = self.docs(&qualified);
        let def = self.arena.get_mut(id);
        def.kind = TypeKind::Struct(st);
        def.docs = docs;
        self.struct_state.insert(id, State::Done);
    }

    pub(super) fn read_only(&self, target: &str) -> bool {
        self.find_ann(target, "Core", "Computed")
            .and_then(|a| a.value.as_bool())
            .unwrap_or(false)
            || self
                .find_ann(target, "Core", "Permissions")
                .and_then(|a| a.value.as_str())
                .is_some_and(|p| p.ends_with("/Read") && !p.contains("ReadWrite"))
    }

    pub(super) fn property_field(&mut self, owner: &str, p: &Property, key: &[String]) -> Field {
        let target = format!("{owner}/{}", p.name);
        let element = self.type_ref(&p.ty.name, p.pos);
        let ty = if p.ty.collection {
            // On a collection, `Nullable` (true unless stated) says whether its items may be
            // `null` (CSDL 4.01, "Nullable"), as Microsoft.OpenApi.OData's `items` do.
            let item = if p.nullable {
                TypeRef::Nullable(Box::new(element))
            } else {
                element
            };
            TypeRef::List(Box::new(item))
        } else {
            element
        };
        Field {
            api_name: p.name.clone(),
            name: String::new(),
            docs: self.docs(&target),
            ty,
            required: false,
            // Collections may come back as `null`; keys never do.
            nullable: (p.nullable || p.ty.collection) && !key.contains(&p.name),
            read_only: self.read_only(&target),
            write_only: false,
            default: p.default_value.as_ref().map(|d| {
                if p.ty.name == "Edm.String" {
                    serde_json::Value::String(d.clone()).to_string()
                } else {
                    d.clone()
                }
            }),
            deprecated: self.find_ann(&target, "Core", "Revisions").is_some(),
        }
    }

    pub(super) fn navigation_field(&mut self, owner: &str, n: &NavigationProperty) -> Field {
        let target = format!("{owner}/{}", n.name);
        let element = self.type_ref(&n.ty.name, n.pos);
        let ty = if n.ty.collection {
            TypeRef::List(Box::new(element))
        } else {
            element
        };
        Field {
            api_name: n.name.clone(),
            name: String::new(),
            docs: self.docs(&target),
            ty,
            required: false,
            nullable: true,
            read_only: self.read_only(&target),
            write_only: false,
            default: None,
            deprecated: false,
        }
    }

    /// One union per structured type that has derived types: the type and all its descendants,
    /// tagged `#Namespace.Name`.
    pub(super) fn union_specs(&self) -> Vec<UnionSpec> {
        let mut out = Vec::new();
        for &base in self.derived.keys() {
            let mut all = vec![base];
            all.extend(lowering::derived_closure(&self.derived, base));
            out.push(UnionSpec {
                base: Some(base),
                own_id: None,
                tag_field: "@odata.type".into(),
                odata: true,
                variants: all
                    .into_iter()
                    .map(|t| (t, vec![format!("#{}", self.arena.get(t).api_name())]))
                    .collect(),
            });
        }
        out
    }
}

pub(super) fn edm_primitive(name: &str) -> Option<TypeRef> {
    let p = match name {
        "Edm.String" => Primitive::String,
        "Edm.Boolean" => Primitive::Bool,
        "Edm.Byte" => Primitive::U8,
        "Edm.SByte" => Primitive::I8,
        "Edm.Int16" => Primitive::I16,
        "Edm.Int32" => Primitive::I32,
        "Edm.Int64" => Primitive::I64,
        "Edm.Single" => Primitive::F32,
        "Edm.Double" => Primitive::Double,
        "Edm.Decimal" => Primitive::Decimal,
        "Edm.DateTimeOffset" => Primitive::DateTime,
        "Edm.Date" => Primitive::Date,
        "Edm.TimeOfDay" => Primitive::Time,
        "Edm.Duration" => Primitive::Duration,
        "Edm.Guid" => Primitive::Uuid,
        "Edm.Binary" | "Edm.Stream" => Primitive::Base64,
        n if n.starts_with("Edm.Geography")
            || n.starts_with("Edm.Geometry")
            || n == "Edm.Untyped"
            || n == "Edm.PrimitiveType"
            || n == "Edm.ComplexType"
            || n == "Edm.EntityType"
            || n == "Edm.AnnotationPath"
            || n == "Edm.PropertyPath"
            || n == "Edm.NavigationPropertyPath" =>
        {
            return Some(TypeRef::Any);
        }
        _ => return None,
    };
    Some(TypeRef::Primitive(p))
}
