//! OpenAPI -> IR.
//!
//! One file per concern: [`view`] (what a schema says), [`schemas`] (types), [`operations`],
//! [`parameters`], [`bodies`] (requests and responses) and [`security`].

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

mod bodies;
mod operations;
mod parameters;
mod schemas;
mod security;
mod servers;
mod view;

use bodies::encoding_of;
use view::{Lowered, RefOr, View};

/// Lower a parsed document. For a Swagger 2.0 document, `pointers` maps the pointers of its
/// 3.0 form back to the 2.0 text (the wire names of inline types are written with them).
pub fn lower(
    doc: &OpenAPI,
    source: &SourceFile,
    config: &Config,
    diags: &mut Diagnostics,
    pointers: Option<&super::PointerMap>,
) -> Api {
    let l = Lower {
        pointers,
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
        ms_enums: HashMap::new(),
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
    /// For a Swagger 2.0 document: 3.0 pointers -> 2.0 pointers.
    pointers: Option<&'a super::PointerMap>,
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
    /// Inline enums named by `x-ms-enum` (name, values) -> their type, shared by every use.
    ms_enums: HashMap<(String, Vec<Value>), TypeId>,
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
        let servers = self.servers(&doc.servers, "/servers");
        let spec_base_url = servers.iter().find_map(crate::ir::Server::default_url);
        let mut operations = self.operations(spec_base_url.as_deref());
        let auth = self.auth();

        // A relative first server is still the path the operations are under.
        let relative = || servers.first()?.with_defaults();
        let base_url = self
            .config
            .client
            .base_url
            .clone()
            .or(spec_base_url)
            .or_else(relative);
        let unions = self.union_specs();
        let roots: BTreeSet<TypeId> = self
            .components
            .values()
            .copied()
            .filter(|id| !self.non_roots.contains(id))
            .collect();
        let mut scope = std::mem::take(&mut self.arena.scope);
        let mut types = std::mem::take(&mut self.arena).finish();
        if let Some(map) = self.pointers {
            for t in &mut types {
                if let crate::ir::Origin::Inline(p) = &mut t.origin {
                    *p = map.original_fragment(p);
                }
            }
        }
        lowering::add_unions(&mut types, &mut operations, unions, &mut scope);
        let mut api = Api {
            title: doc.info.title.clone(),
            version: doc.info.version.clone(),
            docs: Docs {
                summary: None,
                description: doc.info.description.clone(),
            },
            base_url,
            servers,
            types,
            operations,
            auth,
            roots: roots.into_iter().collect(),
        };
        lowering::finish(&mut api, self.config, self.file, self.diags);
        api
    }
}
