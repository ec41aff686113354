//! CSDL -> IR, the way OData defines a service: entity sets and singletons are root paths,
//! contained navigation properties nest (to a configurable depth), collections get list and
//! create, entities get get, update and delete, bound actions and functions hang off the paths
//! of their binding type, and Capabilities annotations remove what they forbid.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use super::model::{
    Annotation, Document, EnumType, NavigationProperty, Operation as CsdlOperation, Pos, Property,
    StructuredType, TypeName, Value,
};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::ir::{
    Api, Docs, Enum, EnumMember, EnumRepr, Field, Method, ODataOptions, Operation, Paging, Param,
    ParamLocation, ParamStyle, Permission, Primitive, RequestBody, Response, ResponseBody,
    StatusMatch, Struct, TypeDef, TypeId, TypeKind, TypeRef,
};
use crate::lowering::{self, Arena, UnionSpec};
use crate::naming::{self, CLIENT_RESERVED, NameScope, snake_ident, variant_name};

/// Lower a parsed CSDL document.
pub fn lower(doc: &Document, file: &Path, config: &Config, diags: &mut Diagnostics) -> Option<Api> {
    let mut l = Lower {
        doc,
        file,
        config,
        diags,
        arena: Arena::default(),
        aliases: HashMap::new(),
        types: BTreeMap::new(),
        annotations: HashMap::new(),
        struct_state: HashMap::new(),
        derived: BTreeMap::new(),
        op_scope: NameScope::with_reserved(CLIENT_RESERVED),
        body_types: HashMap::new(),
        warned: BTreeSet::new(),
        bound: None,
    };
    l.run()
}

/// Where a named type is declared.
#[derive(Debug, Clone, Copy)]
enum Decl {
    Structured(usize, usize),
    Enum(usize, usize),
    TypeDef(usize, usize),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    InProgress,
    Done,
}

struct Lower<'a> {
    doc: &'a Document,
    file: &'a Path,
    config: &'a Config,
    diags: &'a mut Diagnostics,
    arena: Arena,
    /// Alias -> namespace.
    aliases: HashMap<String, String>,
    /// Qualified name -> (declaration, type id).
    types: BTreeMap<String, (Decl, TypeId)>,
    /// Qualified annotation target -> annotations (inline and from `Annotations` blocks).
    annotations: HashMap<String, Vec<&'a Annotation>>,
    struct_state: HashMap<TypeId, State>,
    /// Base type -> direct derived types.
    derived: BTreeMap<TypeId, Vec<TypeId>>,
    op_scope: NameScope,
    /// Action (qualified name) -> its request body type.
    body_types: HashMap<String, TypeId>,
    /// Types already warned about (composite keys), so each is reported once.
    warned: BTreeSet<String>,
    /// Bound operations by (qualified binding type, bound to a collection): (schema index,
    /// operation index), in document order. Built on first use.
    bound: Option<BoundIndex>,
}

/// (qualified binding type, bound to a collection) -> (schema index, operation index).
type BoundIndex = HashMap<(String, bool), Vec<(usize, usize)>>;

/// A capability restriction record that applies to one kind of request.
#[derive(Default, Clone)]
struct Restriction {
    allowed: bool,
    summary: Option<String>,
    description: Option<String>,
    permissions: Vec<Permission>,
    /// Documentation link (Graph's `Core.Links` with a `.../docs/<kind>` rel).
    docs_link: Option<String>,
}

/// Is `term` the vocabulary term `vocab.name` (`Org.OData.Core.V1.Description` or `Core.Description`)?
fn term_is(term: &str, vocab: &str, name: &str) -> bool {
    term.strip_suffix(name)
        .and_then(|t| t.strip_suffix('.'))
        .is_some_and(|ns| ns == vocab || ns == format!("Org.OData.{vocab}.V1"))
}

fn edm_primitive(name: &str) -> Option<TypeRef> {
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

/// Literal quoting of a function parameter in a URL (strings and enums are quoted).
fn quoted_in_url(t: &TypeRef, arena: &Arena) -> bool {
    match t {
        TypeRef::Primitive(Primitive::String) => true,
        TypeRef::Named(id) => matches!(arena.get(*id).kind, TypeKind::Enum(_) | TypeKind::Flags(_)),
        _ => false,
    }
}

fn simple_name(qualified: &str) -> &str {
    qualified.rsplit('.').next().unwrap_or(qualified)
}

/// The state of a path being built.
#[derive(Clone)]
struct PathCtx {
    path: String,
    params: Vec<Param>,
    /// Entity types already on the path (no recursion into them).
    seen: Vec<String>,
    depth: usize,
    tag: String,
    /// A name for the operation at this path, instead of one derived from it (imports).
    name: Option<String>,
}

impl<'a> Lower<'a> {
    fn loc(&self, pos: Pos) -> Location {
        Location::line_col(self.file, pos.line, pos.column)
    }

    /// `Alias.Name` -> `Namespace.Name`; `Edm.*` unchanged.
    fn qualify(&self, name: &str) -> String {
        match name.rsplit_once('.') {
            Some((ns, n)) => match self.aliases.get(ns) {
                Some(full) => format!("{full}.{n}"),
                None => name.to_owned(),
            },
            None => name.to_owned(),
        }
    }

    /// Qualify the leading `Namespace.Name` of an annotation target path.
    fn qualify_target(&self, target: &str) -> String {
        let (head, rest) = match target.find(['/', '(']) {
            Some(i) => target.split_at(i),
            None => (target, ""),
        };
        let rest = if let Some(inner) = rest.strip_prefix('(') {
            // Operation overload: qualify parameter types too.
            let (args, tail) = inner.split_once(')').unwrap_or((inner, ""));
            let args: Vec<String> = args
                .split(',')
                .map(|a| {
                    let t = TypeName::parse(a.trim());
                    let q = self.qualify(&t.name);
                    if t.collection {
                        format!("Collection({q})")
                    } else {
                        q
                    }
                })
                .collect();
            format!("({}){tail}", args.join(","))
        } else {
            rest.to_owned()
        };
        format!("{}{rest}", self.qualify(head))
    }

    fn anns(&self, target: &str) -> &[&'a Annotation] {
        self.annotations.get(target).map_or(&[], Vec::as_slice)
    }

    fn find_ann(&self, target: &str, vocab: &str, term: &str) -> Option<&'a Annotation> {
        self.anns(target)
            .iter()
            .copied()
            .find(|a| a.qualifier.is_none() && term_is(&a.term, vocab, term))
    }

    /// Core.Description and Core.LongDescription of `target`, separately (operation summary and
    /// description).
    fn summary_and_description(&self, target: &str) -> (Option<String>, Option<String>) {
        let get = |term| {
            self.find_ann(target, "Core", term)
                .and_then(|a| a.value.as_str())
                .map(str::to_owned)
        };
        (get("Description"), get("LongDescription"))
    }

    fn docs(&self, target: &str) -> Docs {
        let d = self
            .find_ann(target, "Core", "Description")
            .and_then(|a| a.value.as_str())
            .map(str::to_owned);
        let long = self
            .find_ann(target, "Core", "LongDescription")
            .and_then(|a| a.value.as_str())
            .map(str::to_owned);
        let text = match (d, long) {
            (Some(d), Some(l)) => Some(format!("{d}\n\n{l}")),
            (d, l) => d.or(l),
        };
        Docs::description(text)
    }

    fn run(&mut self) -> Option<Api> {
        let doc = self.doc;
        for s in &doc.schemas {
            if let Some(a) = &s.alias {
                self.aliases.insert(a.clone(), s.namespace.clone());
            }
        }
        self.index_annotations();
        if !self.declare_types() {
            return None;
        }
        // Definitions.
        let all: Vec<(String, Decl, TypeId)> = self
            .types
            .iter()
            .map(|(k, (d, id))| (k.clone(), *d, *id))
            .collect();
        for (qualified, decl, id) in &all {
            match decl {
                Decl::Enum(s, e) => {
                    let e = &doc.schemas[*s].enums[*e];
                    let kind = self.define_enum(e, qualified);
                    self.arena.get_mut(*id).kind = kind;
                    self.arena.get_mut(*id).docs = self.docs(qualified);
                    if e.is_flags {
                        lowering::make_flags(&mut self.arena, *id);
                    }
                }
                Decl::TypeDef(s, t) => {
                    let td = &doc.schemas[*s].type_definitions[*t];
                    let ty = match edm_primitive(&td.underlying) {
                        Some(t) => t,
                        None => {
                            self.unknown_type(&td.underlying, td.pos, "a primitive `Edm.*` type");
                            TypeRef::Any
                        }
                    };
                    self.arena.get_mut(*id).kind = TypeKind::Alias(ty);
                    self.arena.get_mut(*id).docs = self.docs(qualified);
                }
                Decl::Structured(..) => {}
            }
        }
        for (_, decl, id) in &all {
            if let Decl::Structured(..) = decl {
                self.define_struct(*id);
            }
        }
        if self.diags.has_errors() {
            return None;
        }
        let mut operations = self.operations();
        let unions = self.union_specs();
        let (title, version, api_docs) = self.service_info();
        let mut scope = std::mem::take(&mut self.arena.scope);
        let mut types = std::mem::take(&mut self.arena).finish();
        lowering::add_unions(&mut types, &mut operations, unions, &mut scope);
        let roots: BTreeSet<TypeId> = all.iter().map(|(_, _, id)| *id).collect();
        let mut api = Api {
            title,
            version,
            docs: api_docs,
            base_url: self.config.client.base_url.clone(),
            types,
            operations,
            auth: Vec::new(),
            roots: roots.into_iter().collect(),
        };
        lowering::finish(&mut api, self.config, self.file, self.diags);
        Some(api)
    }

    fn service_info(&self) -> (String, String, Docs) {
        let container = self
            .doc
            .schemas
            .iter()
            .find_map(|s| s.container.as_ref().map(|c| (s, c)));
        let (title, docs) = match container {
            Some((s, c)) => {
                let target = format!("{}.{}", s.namespace, c.name);
                let title = self
                    .find_ann(&target, "Core", "Description")
                    .and_then(|a| a.value.as_str())
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("OData service {}", s.namespace));
                let long = self
                    .find_ann(&target, "Core", "LongDescription")
                    .and_then(|a| a.value.as_str())
                    .map(str::to_owned);
                (title, Docs::description(long))
            }
            None => (
                self.doc
                    .schemas
                    .first()
                    .map(|s| format!("OData service {}", s.namespace))
                    .unwrap_or_default(),
                Docs::default(),
            ),
        };
        let version = self
            .doc
            .schemas
            .iter()
            .find_map(|s| {
                s.schema_annotations
                    .iter()
                    .chain(self.anns(&s.namespace).iter().copied())
                    .find(|a| term_is(&a.term, "Core", "SchemaVersion"))
                    .and_then(|a| a.value.as_str())
                    .map(str::to_owned)
            })
            .unwrap_or_default();
        (title, version, docs)
    }

    fn index_annotations(&mut self) {
        let doc = self.doc;
        let mut map: HashMap<String, Vec<&'a Annotation>> = HashMap::new();
        for s in &doc.schemas {
            let ns = &s.namespace;
            map.entry(ns.clone())
                .or_default()
                .extend(s.schema_annotations.iter());
            for t in &s.types {
                let q = format!("{ns}.{}", t.name);
                map.entry(q.clone())
                    .or_default()
                    .extend(t.annotations.iter());
                for p in &t.properties {
                    map.entry(format!("{q}/{}", p.name))
                        .or_default()
                        .extend(p.annotations.iter());
                }
                for n in &t.navigation {
                    map.entry(format!("{q}/{}", n.name))
                        .or_default()
                        .extend(n.annotations.iter());
                }
            }
            for e in &s.enums {
                let q = format!("{ns}.{}", e.name);
                map.entry(q.clone())
                    .or_default()
                    .extend(e.annotations.iter());
                for m in &e.members {
                    map.entry(format!("{q}/{}", m.name))
                        .or_default()
                        .extend(m.annotations.iter());
                }
            }
            for t in &s.type_definitions {
                map.entry(format!("{ns}.{}", t.name))
                    .or_default()
                    .extend(t.annotations.iter());
            }
            for o in &s.operations {
                map.entry(format!("{ns}.{}", o.name))
                    .or_default()
                    .extend(o.annotations.iter());
                for p in &o.parameters {
                    map.entry(format!("{ns}.{}/{}", o.name, p.name))
                        .or_default()
                        .extend(p.annotations.iter());
                }
            }
            if let Some(c) = &s.container {
                let q = format!("{ns}.{}", c.name);
                map.entry(q.clone())
                    .or_default()
                    .extend(c.annotations.iter());
                for i in &c.items {
                    map.entry(format!("{q}/{}", i.name))
                        .or_default()
                        .extend(i.annotations.iter());
                }
                for i in &c.imports {
                    map.entry(format!("{q}/{}", i.name))
                        .or_default()
                        .extend(i.annotations.iter());
                }
            }
        }
        for s in &doc.schemas {
            for block in &s.annotations {
                if block.qualifier.is_some() {
                    continue;
                }
                let mut target = self.qualify_target(&block.target);
                // `ns.op(ns.Type)` overload targets also apply to the operation as a whole.
                if let Some(i) = target.find('(')
                    && !target[..i].contains('/')
                {
                    map.entry(target[..i].to_owned())
                        .or_default()
                        .extend(block.annotations.iter());
                    target.truncate(i);
                    continue;
                }
                map.entry(target)
                    .or_default()
                    .extend(block.annotations.iter());
            }
        }
        self.annotations = map;
    }

    /// Reserve every named type; report duplicates. Returns false on errors.
    fn declare_types(&mut self) -> bool {
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

    fn unknown_type(&mut self, name: &str, pos: Pos, expected: &str) {
        let candidates: Vec<&str> = self.types.keys().map(String::as_str).collect();
        let d = Diagnostic::error(self.loc(pos), format!("unknown type `{name}`"))
            .expected(expected)
            .suggest(&self.qualify(name), candidates.iter().copied());
        self.diags.push(d);
    }

    /// The IR type for a CSDL type reference (element type; collections are handled by callers).
    fn type_ref(&mut self, name: &str, pos: Pos) -> TypeRef {
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

    fn define_enum(&mut self, e: &EnumType, qualified: &str) -> TypeKind {
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

    fn structured(&self, id: TypeId) -> (&'a StructuredType, String) {
        let qualified = self.arena.get(id).api_name().to_owned();
        match self.types.get(&qualified) {
            Some((Decl::Structured(s, t), _)) => (&self.doc.schemas[*s].types[*t], qualified),
            _ => unreachable!("define_struct is only called for structured types"),
        }
    }

    fn define_struct(&mut self, id: TypeId) {
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

    fn read_only(&self, target: &str) -> bool {
        self.find_ann(target, "Core", "Computed")
            .and_then(|a| a.value.as_bool())
            .unwrap_or(false)
            || self
                .find_ann(target, "Core", "Permissions")
                .and_then(|a| a.value.as_str())
                .is_some_and(|p| p.ends_with("/Read") && !p.contains("ReadWrite"))
    }

    fn property_field(&mut self, owner: &str, p: &Property, key: &[String]) -> Field {
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

    fn navigation_field(&mut self, owner: &str, n: &NavigationProperty) -> Field {
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
    fn union_specs(&self) -> Vec<UnionSpec> {
        let mut out = Vec::new();
        for &base in self.derived.keys() {
            let mut all = vec![base];
            let mut i = 0;
            while i < all.len() {
                for d in self.derived.get(&all[i]).into_iter().flatten() {
                    if !all.contains(d) {
                        all.push(*d);
                    }
                }
                i += 1;
            }
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

    // ----- operations -----

    fn entity_type_of(&self, id: TypeId) -> Option<&'a StructuredType> {
        let q = self.arena.get(id).api_name();
        match self.types.get(q) {
            Some((Decl::Structured(s, t), _)) => Some(&self.doc.schemas[*s].types[*t]),
            _ => None,
        }
    }

    /// The type and its base types, most derived first.
    fn lineage(&self, qualified: &str) -> Vec<String> {
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

    /// The key property of an entity type (searching base types), if it has exactly one.
    fn key_of(&mut self, qualified: &str) -> Option<(String, TypeRef)> {
        for q in self.lineage(qualified) {
            let Some((Decl::Structured(s, t), _)) = self.types.get(&q).copied() else {
                continue;
            };
            let st = &self.doc.schemas[s].types[t];
            if st.key.is_empty() {
                continue;
            }
            if st.key.len() > 1 {
                if !self.warned.insert(q.clone()) {
                    return None;
                }
                self.diags.warning(
                    self.loc(st.pos),
                    format!(
                        "`{q}` has a composite key ({}); paths to single entities are not generated",
                        st.key.join(", ")
                    ),
                );
                return None;
            }
            let prop = st.key[0].clone();
            let ty = st
                .properties
                .iter()
                .find(|p| p.name == prop)
                .map(|p| (p.ty.name.clone(), p.pos));
            let ty = match ty {
                Some((name, pos)) => self.type_ref(&name, pos),
                None => TypeRef::Primitive(Primitive::String),
            };
            return Some((prop, ty));
        }
        None
    }

    /// All navigation properties of a type, inherited first.
    fn navigations(&self, qualified: &str) -> Vec<&'a NavigationProperty> {
        let mut out = Vec::new();
        for q in self.lineage(qualified).iter().rev() {
            if let Some((Decl::Structured(s, t), _)) = self.types.get(q) {
                out.extend(self.doc.schemas[*s].types[*t].navigation.iter());
            }
        }
        out
    }

    fn restriction(&self, target: &str, term: &str, allowed_prop: &str, kind: &str) -> Restriction {
        let mut r = Restriction {
            allowed: true,
            ..Restriction::default()
        };
        if let Some(a) = self.find_ann(target, "Capabilities", term) {
            self.read_restriction_record(&a.value, allowed_prop, &mut r);
        }
        r.docs_link = self.docs_link(target, kind);
        r
    }

    /// A documentation link for one kind of request (`list`, `get`, `create`, `update`,
    /// `delete`, `action`, `function`): Graph annotates targets with `Core.Links` records whose
    /// `rel` ends in `/docs/<kind>`.
    fn docs_link(&self, target: &str, kind: &str) -> Option<String> {
        let links = self.find_ann(target, "Core", "Links")?;
        let Value::Collection(items) = &links.value else {
            return None;
        };
        let suffix = format!("/docs/{kind}");
        items.iter().find_map(|l| {
            let rel = l.property("rel").and_then(Value::as_str)?;
            if rel.ends_with(&suffix) {
                l.property("href")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            } else {
                None
            }
        })
    }

    fn read_restriction_record(&self, record: &Value, allowed_prop: &str, r: &mut Restriction) {
        if let Some(b) = record.property(allowed_prop).and_then(Value::as_bool) {
            r.allowed = b;
        }
        r.summary = record
            .property("Description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        r.description = record
            .property("LongDescription")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if let Some(Value::Collection(perms)) = record.property("Permissions") {
            for p in perms {
                let scheme = p
                    .property("SchemeName")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                let mut scopes = Vec::new();
                if let Some(Value::Collection(ss)) = p.property("Scopes") {
                    for s in ss {
                        if let Some(scope) = s.property("Scope").and_then(Value::as_str) {
                            scopes.push(scope.to_owned());
                        }
                    }
                }
                if !scopes.is_empty() {
                    r.permissions.push(Permission { scheme, scopes });
                }
            }
        }
    }

    /// Read restrictions for a collection and for reading one entity by key.
    fn read_restrictions(&self, target: &str) -> (Restriction, Restriction) {
        let mut list = Restriction {
            allowed: true,
            ..Restriction::default()
        };
        let mut by_key = list.clone();
        if let Some(a) = self.find_ann(target, "Capabilities", "ReadRestrictions") {
            self.read_restriction_record(&a.value, "Readable", &mut list);
            by_key.allowed = list.allowed;
            if let Some(rk) = a.value.property("ReadByKeyRestrictions") {
                self.read_restriction_record(rk, "Readable", &mut by_key);
            }
        }
        list.docs_link = self.docs_link(target, "list");
        by_key.docs_link = self.docs_link(target, "get");
        (list, by_key)
    }

    fn bool_capability(&self, target: &str, term: &str, prop: Option<&str>) -> bool {
        match self.find_ann(target, "Capabilities", term) {
            None => true,
            Some(a) => match prop {
                None => a.value.as_bool().unwrap_or(true),
                Some(p) => a.value.property(p).and_then(Value::as_bool).unwrap_or(true),
            },
        }
    }

    fn collection_options(&self, target: &str) -> ODataOptions {
        ODataOptions {
            select: self.bool_capability(target, "SelectSupport", Some("Supported")),
            expand: self.bool_capability(target, "ExpandRestrictions", Some("Expandable")),
            filter: self.bool_capability(target, "FilterRestrictions", Some("Filterable")),
            orderby: self.bool_capability(target, "SortRestrictions", Some("Sortable")),
            top: self.bool_capability(target, "TopSupported", None),
            skip: self.bool_capability(target, "SkipSupported", None),
            count: self.bool_capability(target, "CountRestrictions", Some("Countable")),
            search: self.bool_capability(target, "SearchRestrictions", Some("Searchable")),
        }
    }

    fn navigable(&self, target: &str) -> bool {
        match self.find_ann(target, "Capabilities", "NavigationRestrictions") {
            Some(a) => !a
                .value
                .property("Navigability")
                .and_then(Value::as_str)
                .is_some_and(|n| n.ends_with("/None")),
            None => true,
        }
    }

    fn error_responses() -> Vec<Response> {
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

    #[allow(clippy::too_many_arguments)]
    fn push_op(
        &mut self,
        out: &mut Vec<Operation>,
        ctx: &PathCtx,
        method: Method,
        restriction: &Restriction,
        default_summary: String,
        body: Option<RequestBody>,
        success: Response,
        paging: Option<Paging>,
        odata: ODataOptions,
        extra_params: Vec<Param>,
    ) {
        let collection = paging.is_some();
        let name = match &ctx.name {
            Some(n) => n.clone(),
            None => naming::operation_name_from_path(method, &ctx.path, collection),
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
        });
    }

    fn operations(&mut self) -> Vec<Operation> {
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

    fn entity_ref(&self, qualified: &str) -> TypeRef {
        self.types
            .get(qualified)
            .map_or(TypeRef::Any, |(_, id)| TypeRef::Named(*id))
    }

    fn collection_ops(
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
                Method::Get,
                &list,
                format!("List {last}"),
                None,
                Response {
                    status: StatusMatch::Code(200),
                    content_types: vec!["application/json".into()],
                    body: ResponseBody::Empty,
                    docs: Docs::default(),
                },
                Some(Paging {
                    item: item.clone(),
                    items_field: "value".into(),
                    next_link_field: "@odata.nextLink".into(),
                }),
                self.collection_options(target),
                Vec::new(),
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
                Method::Post,
                &insert,
                format!("Create {name}"),
                Some(RequestBody {
                    content_type: "application/json".into(),
                    encoding: crate::ir::BodyEncoding::Json,
                    ty: item.clone(),
                    required: true,
                    docs: Docs::default(),
                    part_types: Vec::new(),
                }),
                Response {
                    status: StatusMatch::Code(201),
                    content_types: vec!["application/json".into()],
                    body: ResponseBody::Json(item.clone()),
                    docs: Docs::default(),
                },
                None,
                ODataOptions::default(),
                Vec::new(),
            );
        }
        self.bound_ops(out, ctx, ty, true);
        let Some((_key, key_ty)) = self.key_of(ty) else {
            return;
        };
        // Unique on the path: `termStore.group` below `/groups/{group-id}` gets `{group-id1}`.
        let mut param_name = format!("{name}-id");
        let mut n = 0;
        while ctx.params.iter().any(|p| p.api_name == param_name) {
            n += 1;
            param_name = format!("{name}-id{n}");
        }
        let mut item_ctx = ctx.clone();
        item_ctx.path = format!("{}/{{{param_name}}}", ctx.path);
        let mut scope = NameScope::with_reserved(naming::ARG_RESERVED);
        for p in &item_ctx.params {
            scope.claim(&p.name);
        }
        item_ctx.params.push(Param {
            api_name: param_name.clone(),
            name: scope.claim(&snake_ident(&param_name, "id")),
            location: ParamLocation::Path,
            ty: key_ty,
            required: true,
            style: ParamStyle::Simple,
            docs: Docs::description(Some(format!("The unique identifier of {name}"))),
            deprecated: false,
        });
        let mut item_target_restrictions = by_key;
        if !list.allowed && item_target_restrictions.summary.is_none() {
            item_target_restrictions.allowed = list.allowed;
        }
        self.item_ops(out, &item_ctx, ty, target, &item_target_restrictions, true);
    }

    fn entity_ops(
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

    fn item_ops(
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
                Method::Get,
                read,
                format!("Get {name}"),
                None,
                Response {
                    status: StatusMatch::Code(200),
                    content_types: vec!["application/json".into()],
                    body: ResponseBody::Json(item.clone()),
                    docs: Docs::default(),
                },
                None,
                ODataOptions::ITEM,
                Vec::new(),
            );
        }
        let update = self.restriction(target, "UpdateRestrictions", "Updatable", "update");
        if update.allowed {
            self.push_op(
                out,
                ctx,
                Method::Patch,
                &update,
                format!("Update {name}"),
                Some(RequestBody {
                    content_type: "application/json".into(),
                    encoding: crate::ir::BodyEncoding::Json,
                    ty: item.clone(),
                    required: true,
                    docs: Docs::default(),
                    part_types: Vec::new(),
                }),
                Response {
                    status: StatusMatch::Code(204),
                    content_types: Vec::new(),
                    body: ResponseBody::Empty,
                    docs: Docs::default(),
                },
                None,
                ODataOptions::default(),
                Vec::new(),
            );
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
                name: scope.claim("if_match"),
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
                Method::Delete,
                &delete,
                format!("Delete {name}"),
                None,
                Response {
                    status: StatusMatch::Code(204),
                    content_types: Vec::new(),
                    body: ResponseBody::Empty,
                    docs: Docs::default(),
                },
                None,
                ODataOptions::default(),
                vec![if_match],
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
                        Method::Get,
                        &read,
                        format!("Get {}", nav.name),
                        None,
                        Response {
                            status: StatusMatch::Code(200),
                            content_types: vec!["application/json".into()],
                            body: ResponseBody::Json(item),
                            docs: Docs::default(),
                        },
                        None,
                        ODataOptions::ITEM,
                        Vec::new(),
                    );
                }
            }
        }
    }

    fn navigations_own(&self, qualified: &str) -> &'a [NavigationProperty] {
        match self.types.get(qualified) {
            Some((Decl::Structured(s, t), _)) => &self.doc.schemas[*s].types[*t].navigation,
            _ => &[],
        }
    }

    /// Actions and functions bound to `ty` (or a base of it; collections when `collection`).
    fn bound_ops(&mut self, out: &mut Vec<Operation>, ctx: &PathCtx, ty: &str, collection: bool) {
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

    fn import_op(
        &mut self,
        out: &mut Vec<Operation>,
        import: &super::model::OperationImport,
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
    fn operation_op(
        &mut self,
        out: &mut Vec<Operation>,
        ctx: &PathCtx,
        op: &'a CsdlOperation,
        qualified: &str,
        params: &'a [super::model::Parameter],
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
                let element = self.type_ref(&p.ty.name, p.pos);
                let ty = if p.ty.collection {
                    TypeRef::List(Box::new(element))
                } else {
                    element
                };
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
        } else {
            next.path = format!("{}/{segment}", ctx.path);
            if !params.is_empty() {
                let body_ty = self.action_body(op, qualified, params);
                body = Some(RequestBody {
                    content_type: "application/json".into(),
                    encoding: crate::ir::BodyEncoding::Json,
                    ty: TypeRef::Named(body_ty),
                    required: true,
                    docs: Docs::default(),
                    part_types: Vec::new(),
                });
            }
        }
        let method = if op.function {
            Method::Get
        } else {
            Method::Post
        };
        let mut paging = None;
        let success = match &op.return_type {
            None => Response {
                status: StatusMatch::Code(204),
                content_types: Vec::new(),
                body: ResponseBody::Empty,
                docs: Docs::default(),
            },
            Some((ret, _)) => {
                let element = self.type_ref(&ret.name, op.pos);
                let structured = matches!(&element, TypeRef::Named(id) if matches!(self.arena.get(*id).kind, TypeKind::Struct(_)))
                    || matches!(&element, TypeRef::Named(id) if self.entity_type_of(*id).is_some());
                let body = if ret.collection {
                    if op.function {
                        paging = Some(Paging {
                            item: element.clone(),
                            items_field: "value".into(),
                            next_link_field: "@odata.nextLink".into(),
                        });
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
            method,
            &restriction,
            default_summary,
            body,
            success,
            paging,
            odata,
            extra_params,
        );
    }

    /// The request body type of an action: one field per non-binding parameter.
    fn action_body(
        &mut self,
        op: &'a CsdlOperation,
        qualified: &str,
        params: &'a [super::model::Parameter],
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
            let element = self.type_ref(&p.ty.name, p.pos);
            let ty = if p.ty.collection {
                TypeRef::List(Box::new(element))
            } else {
                element
            };
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
