//! CSDL -> IR, the way OData defines a service: entity sets and singletons are root paths,
//! contained navigation properties nest (to a configurable depth), collections get list and
//! create, entities get get, update and delete, bound actions and functions hang off the paths
//! of their binding type, and Capabilities annotations remove what they forbid.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use crate::config::Config;
use crate::csdl::model::{
    Annotation, Document, EnumType, NavigationProperty, Operation as CsdlOperation, Pos, Property,
    StructuredType, TypeName, Value,
};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::ir::{
    Api, Docs, Enum, EnumMember, EnumRepr, Field, Method, ODataOptions, Operation, Paging, Param,
    ParamLocation, ParamStyle, Permission, Primitive, RequestBody, Response, ResponseBody,
    StatusMatch, Struct, TypeDef, TypeId, TypeKind, TypeRef,
};
use crate::lowering::{self, Arena, UnionSpec};
use crate::naming::{self, CLIENT_RESERVED, NameScope, snake_ident, variant_name};

mod actions;
mod capabilities;
mod paths;
mod types;

use capabilities::Restriction;
use paths::{OpSpec, PathCtx, quoted_in_url};
use types::edm_primitive;

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
        bound: None,
        key_as_segment: false,
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
    /// Bound operations by (qualified binding type, bound to a collection): (schema index,
    /// operation index), in document order. Built on first use.
    bound: Option<BoundIndex>,
    /// Entities are addressed by key as a path segment, not in parentheses
    /// ([`crate::config::CsdlConfig::key_as_segment`]).
    key_as_segment: bool,
}

/// (qualified binding type, bound to a collection) -> (schema index, operation index).
type BoundIndex = HashMap<(String, bool), Vec<(usize, usize)>>;

/// Is `term` the vocabulary term `vocab.name` (`Org.OData.Core.V1.Description` or `Core.Description`)?
fn term_is(term: &str, vocab: &str, name: &str) -> bool {
    term.strip_suffix(name)
        .and_then(|t| t.strip_suffix('.'))
        .is_some_and(|ns| ns == vocab || ns == format!("Org.OData.{vocab}.V1"))
}

fn simple_name(qualified: &str) -> &str {
    qualified.rsplit('.').next().unwrap_or(qualified)
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
        self.key_as_segment = self.config.csdl.key_as_segment.unwrap_or_else(|| {
            // `Capabilities.KeyAsSegmentSupported` is a tag: present without a value is `true`.
            self.container_target()
                .and_then(|c| self.find_ann(&c, "Capabilities", "KeyAsSegmentSupported"))
                .is_some_and(|a| a.value.as_bool().unwrap_or(true))
        });
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
            servers: Vec::new(),
            types,
            operations,
            auth: Vec::new(),
            roots: roots.into_iter().collect(),
        };
        lowering::finish(&mut api, self.config, self.file, self.diags);
        Some(api)
    }

    /// The qualified name of the entity container, the target of its annotations.
    fn container_target(&self) -> Option<String> {
        self.doc.schemas.iter().find_map(|s| {
            s.container
                .as_ref()
                .map(|c| format!("{}.{}", s.namespace, c.name))
        })
    }

    fn service_info(&self) -> (String, String, Docs) {
        let (title, docs) = match self.container_target() {
            Some(target) => {
                let title = self
                    .find_ann(&target, "Core", "Description")
                    .and_then(|a| a.value.as_str())
                    .map(str::to_owned)
                    .unwrap_or_else(|| {
                        let namespace = target.rsplit_once('.').map_or("", |(ns, _)| ns);
                        format!("OData service {namespace}")
                    });
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
}
