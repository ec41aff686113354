//! The intermediate representation: plain data shared by every input format.
//!
//! Lowering (OpenAPI or CSDL -> IR) makes every decision: names, nullability, inheritance,
//! polymorphism, paging. Emission (IR -> Rust tokens) only renders what is here. Nothing in
//! this module refers to `proc_macro2`, and every collection is ordered (`Vec` or `BTreeMap`)
//! so output never depends on hashing or threads.

/// A whole API: its types and operations.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Api {
    /// Title of the API (OpenAPI `info.title`, CSDL namespace).
    pub title: String,
    /// Version of the API description.
    pub version: String,
    /// Description of the API.
    pub docs: Docs,
    /// Default base URL: the configured one, or the first server of the description whose URL
    /// is absolute once its variables take their defaults, or else the first server's URL,
    /// relative (a path on the service's host, which the user must give).
    pub base_url: Option<String>,
    /// The servers the description lists (OpenAPI `servers`), in its order.
    pub servers: Vec<Server>,
    /// Type arena; a [`TypeId`] indexes into it.
    pub types: Vec<TypeDef>,
    /// Operations in description order.
    pub operations: Vec<Operation>,
    /// The authentication the API uses (union of its security schemes).
    pub auth: Vec<AuthScheme>,
    /// Types generated even when no operation uses them (a description's named schemas).
    pub roots: Vec<TypeId>,
}

/// A server of the description: a URL template whose `{variables}` have defaults.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Server {
    /// The URL as written, variables in braces.
    pub url: String,
    /// Its description.
    pub description: Option<String>,
    /// Its variables, in description order.
    pub variables: Vec<ServerVariable>,
}

/// A variable of a [`Server`]'s URL.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerVariable {
    /// Its name in the URL (without braces).
    pub name: String,
    /// The value used unless another is given; `None` when the description gives none (a
    /// 3.0 document missing the required `default`, Azure's `x-ms-parameterized-host`
    /// parameters), so the URL has no default.
    pub default: Option<String>,
    /// The values it may take, when the description limits them.
    pub values: Vec<String>,
    /// Its description.
    pub description: Option<String>,
}

impl Server {
    /// The URL with every variable at its default, when that is an absolute `http(s)` URL
    /// (a relative URL is relative to wherever the description is served, which apigen does
    /// not know; a scheme-relative one takes `https:`), without a trailing `/`.
    pub fn default_url(&self) -> Option<String> {
        let mut url = self.with_defaults()?;
        // Scheme-relative (`//host/path`, Kubernetes'): HTTPS, the scheme the client uses.
        if url.starts_with("//") {
            url.insert_str(0, "https:");
        }
        let scheme = url.split_once("://")?.0;
        let absolute = scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http");
        absolute.then(|| url.trim_end_matches('/').to_owned())
    }

    /// The URL with every variable at its default, absolute or not; `None` when it uses a
    /// variable it does not declare or that has no default.
    pub fn with_defaults(&self) -> Option<String> {
        let mut out = String::new();
        for part in self.parts() {
            match part {
                UrlPart::Text(text) => out.push_str(text),
                UrlPart::Variable(name) => out.push_str(
                    self.variables
                        .iter()
                        .find(|v| v.name == name)?
                        .default
                        .as_deref()?,
                ),
            }
        }
        Some(out)
    }

    /// The URL cut into literal text and `{variable}` references.
    pub fn parts(&self) -> Vec<UrlPart<'_>> {
        let mut parts = Vec::new();
        let mut rest = self.url.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            if open > 0 {
                parts.push(UrlPart::Text(&rest[..open]));
            }
            parts.push(UrlPart::Variable(&rest[open + 1..open + close]));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(UrlPart::Text(rest));
        }
        parts
    }
}

/// A piece of a server URL template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlPart<'a> {
    /// Literal text.
    Text(&'a str),
    /// A variable's name.
    Variable(&'a str),
}

impl Api {
    /// The type behind `id`.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// What a multipart part of type `ty` is, seen through aliases.
    pub fn part_kind(&self, ty: &TypeRef) -> PartKind {
        let mut ty = ty;
        // Aliases can only chain as far as there are types.
        for _ in 0..=self.types.len() {
            match ty {
                TypeRef::Primitive(Primitive::Binary) => return PartKind::File,
                TypeRef::Primitive(_) => return PartKind::Text,
                TypeRef::List(item) => {
                    return match self.part_kind(item) {
                        PartKind::List(_) => PartKind::List(Box::new(PartKind::Json)),
                        kind => PartKind::List(Box::new(kind)),
                    };
                }
                TypeRef::Nullable(inner) => ty = inner,
                TypeRef::Map(_) | TypeRef::Any => return PartKind::Json,
                TypeRef::Named(id) => match &self.ty(*id).kind {
                    TypeKind::Alias(inner) => ty = inner,
                    TypeKind::Enum(_) | TypeKind::Flags(_) => return PartKind::Text,
                    _ => return PartKind::Json,
                },
            }
        }
        PartKind::Json
    }

    /// OpenAPI's default media type of a multipart part of type `ty` (the Encoding Object's
    /// `contentType`): `application/octet-stream` for binary strings, `text/plain` for other
    /// primitive values (enums and aliases of them too), `application/json` for objects; an
    /// array is one part per item, of its items' type.
    pub fn default_part_type(&self, ty: &TypeRef) -> &'static str {
        match self.part_kind(ty) {
            PartKind::List(item) => item.default_type(),
            kind => kind.default_type(),
        }
    }
}

/// What a property of a `multipart/form-data` body is sent as (see [`Api::part_kind`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartKind {
    /// Raw bytes (`format: binary`): a file.
    File,
    /// A string, number or boolean (or an enum or alias of one): its value as text.
    Text,
    /// An object (or any value): JSON.
    Json,
    /// An array: one part per item, each of the given kind (an array of arrays: JSON items).
    List(Box<PartKind>),
}

impl PartKind {
    /// OpenAPI's default media type for one part of this kind.
    pub fn default_type(&self) -> &'static str {
        match self {
            PartKind::File => "application/octet-stream",
            PartKind::Text => "text/plain",
            PartKind::Json | PartKind::List(_) => "application/json",
        }
    }
}

/// Index of a type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Documentation carried from the description to the generated code.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Docs {
    /// One-line summary.
    pub summary: Option<String>,
    /// Longer description (Markdown in OpenAPI; plain text in CSDL).
    pub description: Option<String>,
}

impl Docs {
    /// Docs with just a description.
    pub fn description(text: Option<String>) -> Self {
        Docs {
            summary: None,
            description: text.filter(|t| !t.trim().is_empty()),
        }
    }
}

/// Where a type comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A named schema or type of the description: its name there (`Pet`,
    /// `microsoft.graph.user`).
    Named(String),
    /// A schema written inline: its JSON pointer (`#/paths/~1pets/get/...`).
    Inline(String),
    /// The union of a named type and the types derived from it: the base's name.
    Hierarchy(String),
    /// Made by the generator, with no counterpart in the description: what it stands for
    /// (`listPets (responses)`, `example.shop.discontinue(body)`).
    Synthesized(String),
}

impl Origin {
    /// The name, pointer or description the origin carries.
    pub fn as_str(&self) -> &str {
        match self {
            Origin::Named(s)
            | Origin::Inline(s)
            | Origin::Hierarchy(s)
            | Origin::Synthesized(s) => s,
        }
    }

    /// How the description refers to the type, for the docs: its name, or its pointer; `None`
    /// for a type the generator made.
    pub fn wire_name(&self) -> Option<&str> {
        match self {
            Origin::Named(s) | Origin::Inline(s) | Origin::Hierarchy(s) => Some(s),
            Origin::Synthesized(_) => None,
        }
    }
}

/// One named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Where it comes from in the description.
    pub origin: Origin,
    /// Rust name, unique in the crate.
    pub name: String,
    /// Documentation.
    pub docs: Docs,
    /// Marked deprecated in the description.
    pub deprecated: bool,
    /// What the type is.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with named fields.
    Struct(Struct),
    /// A closed or open set of string or integer values.
    Enum(Enum),
    /// A value that may be any of several struct types, selected by a tag property.
    Union(Union),
    /// A value that may be any of several shapes, without a tag (tried in order).
    Untagged(Untagged),
    /// Another name for a type.
    Alias(TypeRef),
    /// A set of members of an enum, written `a,b` on the wire (OData `IsFlags`).
    Flags(TypeId),
    /// The successful responses of one operation, by status.
    Responses(Vec<StatusVariant>),
    /// An existing Rust type chosen in the configuration (a path such as `my_crate::Entity`).
    External(String),
}

/// An object type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Struct {
    /// Every field, inherited ones first (base before derived), in description order.
    pub fields: Vec<Field>,
    /// Direct base type (CSDL `BaseType`, OpenAPI `allOf` with a `$ref`).
    pub base: Option<TypeId>,
    /// Abstract types are never sent or received as themselves.
    pub is_abstract: bool,
    /// The tag value that names this type in a polymorphic payload (`#microsoft.graph.user`).
    pub tag: Option<String>,
    /// What happens to properties the description does not declare.
    pub additional: Additional,
}

/// Treatment of undeclared properties on an object.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Additional {
    /// Keep them as raw JSON so a round trip loses nothing (the default).
    #[default]
    Keep,
    /// They are a typed map (`additionalProperties: {schema}`).
    Typed(TypeRef),
    /// The description forbids them (`additionalProperties: false`); they are ignored on input.
    Forbid,
}

/// A property of an object type.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Wire name.
    pub api_name: String,
    /// Rust name (snake case, unique in the struct).
    pub name: String,
    /// Documentation.
    pub docs: Docs,
    /// Type of the value when present and not null.
    pub ty: TypeRef,
    /// The property must be present.
    pub required: bool,
    /// The property may be `null`.
    pub nullable: bool,
    /// Read-only (server-set).
    pub read_only: bool,
    /// Write-only (sent, never returned).
    pub write_only: bool,
    /// The default value the description gives, as JSON text.
    pub default: Option<String>,
    /// Deprecated.
    pub deprecated: bool,
}

/// A reference to a type, as used by fields, parameters and bodies.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// A built-in scalar.
    Primitive(Primitive),
    /// A named type from the arena.
    Named(TypeId),
    /// A JSON array.
    List(Box<TypeRef>),
    /// A JSON object used as a map from string keys.
    Map(Box<TypeRef>),
    /// A value that may be `null` where no field carries that: a list item, a map value, a
    /// response body (fields carry their own nullability).
    Nullable(Box<TypeRef>),
    /// Any JSON value.
    Any,
}

/// Built-in scalar types and the deliberate Rust type each maps to (see `emit::types`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Primitive {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i8` (CSDL `Edm.SByte`).
    I8,
    /// `u8` (CSDL `Edm.Byte`).
    U8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u32` (`format: uint32`).
    U32,
    /// `u64` (`format: uint64`).
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// A double that may also be `INF`, `-INF` or `NaN` on the wire (OData).
    Double,
    /// A decimal number (kept as a JSON number).
    Decimal,
    /// RFC 3339 timestamp.
    DateTime,
    /// Calendar date.
    Date,
    /// Time of day.
    Time,
    /// ISO 8601 duration.
    Duration,
    /// UUID.
    Uuid,
    /// Base64-encoded bytes inside JSON.
    Base64,
    /// Raw bytes (a binary body).
    Binary,
}

impl Primitive {
    /// A `bool` or a fixed-size number: a Rust `Copy` type taken by value.
    pub fn is_copy(self) -> bool {
        matches!(
            self,
            Primitive::Bool
                | Primitive::I8
                | Primitive::U8
                | Primitive::I16
                | Primitive::I32
                | Primitive::I64
                | Primitive::U32
                | Primitive::U64
                | Primitive::F32
                | Primitive::F64
        )
    }
}

/// An enumeration of values.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// How values appear on the wire.
    pub repr: EnumRepr,
    /// The known members.
    pub members: Vec<EnumMember>,
    /// Unknown values are kept instead of failing to decode.
    pub open: bool,
}

/// Wire representation of an enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    /// JSON strings.
    String,
    /// JSON integers.
    Integer,
}

/// One enum member.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumMember {
    /// Wire value (a string, or an integer written in decimal).
    pub value: String,
    /// Rust variant name.
    pub name: String,
    /// Documentation.
    pub docs: Docs,
}

/// A polymorphic value selected by a tag property (`@odata.type`, an OpenAPI discriminator).
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// Wire name of the tag property.
    pub tag_field: String,
    /// OData tags: compare without a leading `#`.
    pub odata_tags: bool,
    /// The declared type, used when the tag is absent (a concrete base type).
    pub default_variant: Option<TypeId>,
    /// The variants, in a stable order.
    pub variants: Vec<UnionVariant>,
    /// Name of the variant that keeps an unrecognised value as raw JSON.
    pub fallback_name: String,
}

/// One variant of a [`Union`].
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// Rust variant name.
    pub name: String,
    /// Tag values that select it; the first is written when encoding.
    pub tags: Vec<String>,
    /// The struct it holds.
    pub ty: TypeId,
}

/// An untagged choice between shapes (`oneOf`/`anyOf` without a discriminator).
#[derive(Debug, Clone, PartialEq)]
pub struct Untagged {
    /// The variants, tried in order when decoding.
    pub variants: Vec<UntaggedVariant>,
}

/// One variant of an [`Untagged`] union.
#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    /// Rust variant name.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl Method {
    /// Upper-case name as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// One API operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Identifier in the description (`operationId`), or the derived one.
    pub api_name: String,
    /// Rust method name, unique on the client.
    pub name: String,
    /// HTTP method.
    pub method: Method,
    /// Path template relative to the base URL, e.g. `/users/{user-id}`.
    pub path: String,
    /// Documentation.
    pub docs: Docs,
    /// Link to more documentation.
    pub external_docs: Option<String>,
    /// Deprecated.
    pub deprecated: bool,
    /// Tags (OpenAPI) or the entity set / singleton the path starts at (CSDL).
    pub tags: Vec<String>,
    /// Parameters other than OData system query options, in description order.
    pub params: Vec<Param>,
    /// OData system query options the operation accepts.
    pub odata: ODataOptions,
    /// The request body.
    pub body: Option<RequestBody>,
    /// Responses by status.
    pub responses: Vec<Response>,
    /// What a successful call returns (decided from the 2xx responses).
    pub returns: Returns,
    /// Permissions (OAuth scopes) the description lists.
    pub permissions: Vec<Permission>,
    /// The base URL of the operation's own server (OpenAPI `servers` on the operation or its
    /// path item, variables at their defaults), when it is not the description's default.
    pub server: Option<String>,
}

impl Operation {
    /// The paging of a list operation.
    pub fn paging(&self) -> Option<&Paging> {
        match &self.returns {
            Returns::Paged(p) => Some(p),
            _ => None,
        }
    }

    /// A paged OData delta function (`.../delta()`, `.../microsoft.graph.delta`), whose last
    /// page has an `@odata.deltaLink` instead of a next link.
    pub fn is_delta(&self) -> bool {
        let last = self.path.rsplit('/').next().unwrap_or_default();
        let function = last.split('(').next().unwrap_or_default();
        let name = function.rsplit('.').next().unwrap_or_default();
        self.paging().is_some() && name == "delta"
    }

    /// The media types of the bodies of the documented responses (success and error), as the
    /// `Accept` header lists them: those of the success responses first, then the others, each
    /// once (compared without case), in description order. Types that cannot be written in an
    /// HTTP header are left out. Empty when no response has a body.
    pub fn accept(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let success = self.responses.iter().filter(|r| r.status.is_success());
        let other = self.responses.iter().filter(|r| !r.status.is_success());
        for media in success.chain(other).flat_map(|r| &r.content_types) {
            let media = media.trim();
            let valid = !media.is_empty() && media.bytes().all(|b| (b' '..=b'~').contains(&b));
            if valid && !out.iter().any(|m| m.eq_ignore_ascii_case(media)) {
                out.push(media);
            }
        }
        out
    }
}

/// A permission required by an operation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Permission {
    /// Kind of permission (e.g. "Delegated (work or school account)"), or the security scheme name.
    pub scheme: String,
    /// Scopes, least privileged first.
    pub scopes: Vec<String>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    /// A `{name}` in the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// How a parameter is serialised (OpenAPI `style` + `explode`; for lists in headers and paths,
/// Swagger 2.0's `collectionFormat` may also give the delimited styles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamStyle {
    /// `name=a&name=b` for lists (explode) or `name=a,b` (no explode).
    Form {
        /// Repeat the name for each list item / object property.
        explode: bool,
    },
    /// `name=a%20b` for lists.
    SpaceDelimited,
    /// `name=a|b` for lists.
    PipeDelimited,
    /// `name=a%09b` for lists (Swagger 2.0's `collectionFormat: tsv`, which OpenAPI 3 lacks).
    TabDelimited,
    /// `name[key]=value` for objects.
    DeepObject,
    /// Simple (path and header): `a,b`.
    Simple,
    /// The value as JSON text (`content: application/json` parameters, OData parameter aliases
    /// such as `@p={"a":1}`).
    Json,
}

/// An operation parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Wire name.
    pub api_name: String,
    /// Rust argument name (snake case, unique in the method).
    pub name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type.
    pub ty: TypeRef,
    /// Must be given.
    pub required: bool,
    /// Serialisation style.
    pub style: ParamStyle,
    /// Documentation.
    pub docs: Docs,
    /// Deprecated.
    pub deprecated: bool,
}

/// OData system query options an operation accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ODataOptions {
    /// `$select`
    pub select: bool,
    /// `$expand`
    pub expand: bool,
    /// `$filter`
    pub filter: bool,
    /// `$orderby`
    pub orderby: bool,
    /// `$top`
    pub top: bool,
    /// `$skip`
    pub skip: bool,
    /// `$count`
    pub count: bool,
    /// `$search`
    pub search: bool,
}

impl ODataOptions {
    /// Every option (a collection read).
    pub const COLLECTION: ODataOptions = ODataOptions {
        select: true,
        expand: true,
        filter: true,
        orderby: true,
        top: true,
        skip: true,
        count: true,
        search: true,
    };
    /// `$select` and `$expand` (a single-entity read).
    pub const ITEM: ODataOptions = ODataOptions {
        select: true,
        expand: true,
        filter: false,
        orderby: false,
        top: false,
        skip: false,
        count: false,
        search: false,
    };

    /// Any collection option is accepted.
    pub fn any_collection(&self) -> bool {
        self.filter || self.orderby || self.top || self.skip || self.count || self.search
    }

    /// Any option is accepted.
    pub fn any(&self) -> bool {
        self.select || self.expand || self.any_collection()
    }

    /// Set the option named by an OData system query option (`$top`, or `top` as Graph beta allows).
    /// Returns false when `name` is not one.
    pub fn set_by_name(&mut self, name: &str) -> bool {
        let flag = match name.strip_prefix('$').unwrap_or(name) {
            "select" => &mut self.select,
            "expand" => &mut self.expand,
            "filter" => &mut self.filter,
            "orderby" => &mut self.orderby,
            "top" => &mut self.top,
            "skip" => &mut self.skip,
            "count" => &mut self.count,
            "search" => &mut self.search,
            _ => return false,
        };
        *flag = true;
        true
    }
}

/// Encoding of a request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// Raw bytes with the given content type.
    Binary,
    /// Text.
    Text,
}

impl BodyEncoding {
    /// The media type a body of this encoding is sent with when the description names only a
    /// range (`*/*`, `application/*`, `text/*`), which is no valid `Content-Type`.
    pub fn default_media_type(self) -> &'static str {
        match self {
            BodyEncoding::Json => "application/json",
            BodyEncoding::Form => "application/x-www-form-urlencoded",
            BodyEncoding::Multipart => "multipart/form-data",
            BodyEncoding::Binary => "application/octet-stream",
            BodyEncoding::Text => "text/plain",
        }
    }
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// Media type sent as `Content-Type`: the one the description declares (parameters
    /// included), or the encoding's [default](BodyEncoding::default_media_type) when it
    /// declares a range.
    pub content_type: String,
    /// Encoding.
    pub encoding: BodyEncoding,
    /// Type of the body value.
    pub ty: TypeRef,
    /// The body must be sent.
    pub required: bool,
    /// Documentation.
    pub docs: Docs,
    /// For a `multipart/form-data` body: the media types the description's `encoding` gives
    /// some parts (`encoding.<part>.contentType`), by wire name. The other parts take OpenAPI's
    /// default for their type ([`Api::default_part_type`]).
    pub part_types: Vec<(String, String)>,
}

impl RequestBody {
    /// The media type of the multipart part `name` of type `ty`: the one the description's
    /// `encoding` gives it, or OpenAPI's default for the type.
    pub fn part_type<'a>(&'a self, api: &Api, name: &str, ty: &TypeRef) -> &'a str {
        self.part_types
            .iter()
            .find(|(part, _)| part == name)
            .map_or_else(|| api.default_part_type(ty), |(_, media)| media.as_str())
    }
}

/// Which statuses a response covers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status code.
    Code(u16),
    /// A range such as `2XX` (the digit is the hundreds).
    Range(u8),
    /// Every other status.
    Default,
}

impl StatusMatch {
    /// The response is a success (2xx).
    pub fn is_success(&self) -> bool {
        match self {
            StatusMatch::Code(c) => (200..300).contains(c),
            StatusMatch::Range(r) => *r == 2,
            StatusMatch::Default => false,
        }
    }
}

/// How a response body is read.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    /// No body.
    Empty,
    /// JSON of the given type.
    Json(TypeRef),
    /// Text.
    Text,
    /// Raw bytes.
    Binary,
    /// The OData error body (`{"error": {"code", "message", ...}}`), decoded by the runtime.
    ODataError,
    /// An OData value wrapper `{"value": T}` (primitive results, action results that are
    /// collections); the operation returns the `T` inside.
    ODataValue(TypeRef),
}

/// One response of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// Statuses it covers.
    pub status: StatusMatch,
    /// The media types of the body that the client reads as [`body`](Self::body): the one
    /// chosen first, then the description's other types the same decoder reads (other JSON
    /// types for JSON, other `text/*` types for text, every other type for raw bytes). Empty
    /// when there is no body.
    pub content_types: Vec<String>,
    /// The body.
    pub body: ResponseBody,
    /// Documentation.
    pub docs: Docs,
}

impl Response {
    /// A `status` response with a JSON body (`ResponseBody::Empty` for a paged list, whose pages
    /// the runtime reads).
    pub fn json(status: u16, body: ResponseBody) -> Response {
        Response {
            status: StatusMatch::Code(status),
            content_types: vec!["application/json".into()],
            body,
            docs: Docs::default(),
        }
    }

    /// A `status` response without a body (`204 No Content`).
    pub fn no_content(status: u16) -> Response {
        Response {
            status: StatusMatch::Code(status),
            content_types: Vec::new(),
            body: ResponseBody::Empty,
            docs: Docs::default(),
        }
    }
}

impl RequestBody {
    /// A required `application/json` body of type `ty`.
    pub fn json(ty: TypeRef) -> RequestBody {
        RequestBody {
            content_type: "application/json".into(),
            encoding: BodyEncoding::Json,
            ty,
            required: true,
            docs: Docs::default(),
            part_types: Vec::new(),
        }
    }
}

impl Paging {
    /// OData paging of `item`s: a `value` array and an `@odata.nextLink`.
    pub fn odata(item: TypeRef) -> Paging {
        Paging {
            item,
            items_field: "value".into(),
            next_link_field: "@odata.nextLink".into(),
            link_header: false,
        }
    }

    /// Pages that are JSON arrays of `item`s with their next link in the `Link` header.
    pub fn link_header(item: TypeRef) -> Paging {
        Paging {
            item,
            items_field: String::new(),
            next_link_field: String::new(),
            link_header: true,
        }
    }

    /// The members holding the items and the next link, when the page is an object whose
    /// members are not OData's (Azure's `x-ms-pageable`).
    pub fn custom_fields(&self) -> Option<(&str, &str)> {
        let odata = self.items_field == "value" && self.next_link_field == "@odata.nextLink";
        (!self.link_header && !odata).then_some((&self.items_field, &self.next_link_field))
    }
}

/// What an operation returns on success.
#[derive(Debug, Clone, PartialEq)]
pub enum Returns {
    /// One kind of body (or none) for every 2xx status.
    Single(ResponseBody),
    /// One body type, but some 2xx statuses have no body: `Option<T>`.
    Optional(ResponseBody),
    /// Different bodies by status: a generated enum (a [`TypeKind::Responses`] type).
    ByStatus(TypeId),
    /// Pages of items, followed over next links (a list operation).
    Paged(Paging),
}

/// One variant of a [`TypeKind::Responses`] type.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    /// Rust variant name.
    pub name: String,
    /// Statuses it covers.
    pub status: StatusMatch,
    /// Its body.
    pub body: ResponseBody,
    /// Documentation (the response's description).
    pub docs: Docs,
}

/// Paging of a list operation (`@odata.nextLink` style).
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// Type of one item.
    pub item: TypeRef,
    /// Wire name of the items array.
    pub items_field: String,
    /// Wire name of the next-page link.
    pub next_link_field: String,
    /// The page is the JSON array of items and its next link the `Link` header's `rel="next"`
    /// (RFC 8288: GitHub's and GitLab's paging); the two member names are unused.
    pub link_header: bool,
}

/// How requests authenticate.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum AuthScheme {
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth2, OpenID Connect).
    Bearer {
        /// Name of the scheme in the description.
        name: String,
    },
    /// HTTP basic.
    Basic {
        /// Name of the scheme in the description.
        name: String,
    },
    /// An API key in a header, query parameter or cookie.
    ApiKey {
        /// Name of the scheme in the description.
        name: String,
        /// Where the key goes.
        location: ParamLocation,
        /// Header / parameter / cookie name.
        param: String,
    },
}

// ---------------------------------------------------------------------------------------------
// Traversal. Every walk over the type references of the IR goes through these functions, so a
// new field that holds a type is taught to them once.

/// Where an operation refers to a type (see [`Operation::for_each_type_ref`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpSite {
    /// A parameter's type.
    Param,
    /// The request body's type.
    Body,
    /// The item type of a paged operation.
    PagingItem,
    /// The success body ([`Returns::Single`] or [`Returns::Optional`]).
    Success,
    /// The generated enum of a [`Returns::ByStatus`] operation.
    ByStatus,
    /// The body of one documented response.
    Response {
        /// The response is a 2xx.
        success: bool,
    },
}

/// The type inside a response body, if it has one.
fn body_type(body: &ResponseBody) -> Option<&TypeRef> {
    match body {
        ResponseBody::Json(t) | ResponseBody::ODataValue(t) => Some(t),
        _ => None,
    }
}

fn body_type_mut(body: &mut ResponseBody) -> Option<&mut TypeRef> {
    match body {
        ResponseBody::Json(t) | ResponseBody::ODataValue(t) => Some(t),
        _ => None,
    }
}

impl TypeRef {
    /// Calls `f` with every named type this reference leads to (through lists, maps and
    /// nullability).
    pub fn for_each_named(&self, f: &mut impl FnMut(TypeId)) {
        match self {
            TypeRef::Named(id) => f(*id),
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                inner.for_each_named(f)
            }
            TypeRef::Primitive(_) | TypeRef::Any => {}
        }
    }

    /// Calls `f` with this reference and every reference nested in it (innermost last).
    pub fn for_each(&self, f: &mut impl FnMut(&TypeRef)) {
        f(self);
        if let TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) = self {
            inner.for_each(f);
        }
    }

    /// Calls `f` with this reference and every reference nested in it (innermost last), to
    /// rewrite them in place.
    pub fn for_each_mut(&mut self, f: &mut impl FnMut(&mut TypeRef)) {
        f(self);
        if let TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) = self {
            inner.for_each_mut(f);
        }
    }

    /// Whether this reference leads to a named type.
    pub fn names_a_type(&self) -> bool {
        let mut any = false;
        self.for_each_named(&mut |_| any = true);
        any
    }
}

impl TypeDef {
    /// The name, pointer or description of its [origin](Self::origin).
    pub fn api_name(&self) -> &str {
        self.origin.as_str()
    }

    /// Calls `f` with every type reference of this definition: fields, typed additional
    /// properties, an alias's target, untagged variants and status variants' bodies. Links
    /// that are not references (a base, union variants, a flag set's member) are
    /// [`for_each_link`](Self::for_each_link)'s.
    pub fn for_each_type_ref(&self, f: &mut impl FnMut(&TypeRef)) {
        match &self.kind {
            TypeKind::Struct(s) => {
                s.fields.iter().for_each(|field| f(&field.ty));
                if let Additional::Typed(t) = &s.additional {
                    f(t);
                }
            }
            TypeKind::Alias(t) => f(t),
            TypeKind::Untagged(u) => u.variants.iter().for_each(|v| f(&v.ty)),
            TypeKind::Responses(variants) => variants
                .iter()
                .filter_map(|v| body_type(&v.body))
                .for_each(f),
            TypeKind::Enum(_) | TypeKind::Union(_) | TypeKind::Flags(_) | TypeKind::External(_) => {
            }
        }
    }

    /// [`for_each_type_ref`](Self::for_each_type_ref), to rewrite them in place.
    pub fn for_each_type_ref_mut(&mut self, f: &mut impl FnMut(&mut TypeRef)) {
        match &mut self.kind {
            TypeKind::Struct(s) => {
                s.fields.iter_mut().for_each(|field| f(&mut field.ty));
                if let Additional::Typed(t) = &mut s.additional {
                    f(t);
                }
            }
            TypeKind::Alias(t) => f(t),
            TypeKind::Untagged(u) => u.variants.iter_mut().for_each(|v| f(&mut v.ty)),
            TypeKind::Responses(variants) => variants
                .iter_mut()
                .filter_map(|v| body_type_mut(&mut v.body))
                .for_each(f),
            TypeKind::Enum(_) | TypeKind::Union(_) | TypeKind::Flags(_) | TypeKind::External(_) => {
            }
        }
    }

    /// Calls `f` with every type this definition links to without a type reference: a
    /// struct's base, a union's variants and default variant, a flag set's member.
    pub fn for_each_link(&self, f: &mut impl FnMut(TypeId)) {
        match &self.kind {
            TypeKind::Struct(s) => s.base.into_iter().for_each(f),
            TypeKind::Union(u) => {
                u.variants.iter().for_each(|v| f(v.ty));
                u.default_variant.into_iter().for_each(f);
            }
            TypeKind::Flags(member) => f(*member),
            _ => {}
        }
    }

    /// Moves the links of [`for_each_link`](Self::for_each_link) to `to(id)`; `None` drops a
    /// base, a variant or a default variant (a flag set keeps its member).
    pub fn relink(&mut self, to: &impl Fn(TypeId) -> Option<TypeId>) {
        match &mut self.kind {
            TypeKind::Struct(s) => s.base = s.base.and_then(to),
            TypeKind::Union(u) => {
                u.variants.retain_mut(|v| match to(v.ty) {
                    Some(id) => {
                        v.ty = id;
                        true
                    }
                    None => false,
                });
                u.default_variant = u.default_variant.and_then(to);
            }
            TypeKind::Flags(member) => {
                if let Some(id) = to(*member) {
                    *member = id;
                }
            }
            _ => {}
        }
    }

    /// Every type this definition refers to or links to, each as often as it appears.
    pub fn referenced_types(&self) -> Vec<TypeId> {
        let mut out = Vec::new();
        self.for_each_type_ref(&mut |t| t.for_each_named(&mut |id| out.push(id)));
        self.for_each_link(&mut |id| out.push(id));
        out
    }
}

impl Operation {
    /// Calls `f` with every type reference of the operation and where it is (see [`OpSite`]).
    pub fn for_each_type_ref(&self, f: &mut impl FnMut(OpSite, &TypeRef)) {
        self.params.iter().for_each(|p| f(OpSite::Param, &p.ty));
        if let Some(b) = &self.body {
            f(OpSite::Body, &b.ty);
        }
        match &self.returns {
            Returns::Single(b) | Returns::Optional(b) => {
                if let Some(t) = body_type(b) {
                    f(OpSite::Success, t);
                }
            }
            Returns::ByStatus(id) => f(OpSite::ByStatus, &TypeRef::Named(*id)),
            Returns::Paged(p) => f(OpSite::PagingItem, &p.item),
        }
        for r in &self.responses {
            if let Some(t) = body_type(&r.body) {
                f(
                    OpSite::Response {
                        success: r.status.is_success(),
                    },
                    t,
                );
            }
        }
    }

    /// [`for_each_type_ref`](Self::for_each_type_ref), to rewrite them in place. The
    /// [`OpSite::ByStatus`] reference can be renamed (to another `Named` type), not replaced.
    pub fn for_each_type_ref_mut(&mut self, f: &mut impl FnMut(OpSite, &mut TypeRef)) {
        self.params
            .iter_mut()
            .for_each(|p| f(OpSite::Param, &mut p.ty));
        if let Some(b) = &mut self.body {
            f(OpSite::Body, &mut b.ty);
        }
        match &mut self.returns {
            Returns::Single(b) | Returns::Optional(b) => {
                if let Some(t) = body_type_mut(b) {
                    f(OpSite::Success, t);
                }
            }
            Returns::ByStatus(id) => {
                let mut t = TypeRef::Named(*id);
                f(OpSite::ByStatus, &mut t);
                if let TypeRef::Named(to) = t {
                    *id = to;
                }
            }
            Returns::Paged(p) => f(OpSite::PagingItem, &mut p.item),
        }
        for r in &mut self.responses {
            let success = r.status.is_success();
            if let Some(t) = body_type_mut(&mut r.body) {
                f(OpSite::Response { success }, t);
            }
        }
    }

    /// The types the generated code of this operation uses: parameters, body, paging item,
    /// the success type and the documented error bodies.
    pub fn used_types(&self) -> Vec<TypeId> {
        let mut out = Vec::new();
        self.for_each_type_ref(&mut |site, t| {
            let used = match site {
                OpSite::Param
                | OpSite::Body
                | OpSite::PagingItem
                | OpSite::ByStatus
                | OpSite::Success => true,
                OpSite::Response { success } => !success,
            };
            if used {
                t.for_each_named(&mut |id| out.push(id));
            }
        });
        out
    }
}

/// Calls `f` with every type reference of `types` and `operations` (not the links between
/// types: see [`TypeDef::relink`]), to rewrite them in place.
pub fn for_each_type_ref_mut(
    types: &mut [TypeDef],
    operations: &mut [Operation],
    f: &mut impl FnMut(&mut TypeRef),
) {
    for def in types.iter_mut() {
        def.for_each_type_ref_mut(f);
    }
    for op in operations.iter_mut() {
        op.for_each_type_ref_mut(&mut |_, t| f(t));
    }
}

impl Api {
    /// Renumbers and deletes types in one call: type `i` moves to `to(i)`, or is deleted when
    /// that is `None`; every reference and link follows. `to` must map the kept types onto
    /// `0..kept` one to one. Links to deleted types are dropped (a base, a union variant), and
    /// references to them become [`TypeRef::Any`] (pruning deletes only types the generated
    /// code does not use, but places it does not read, such as the page type of a paged
    /// operation, may still name them).
    pub fn remap(&mut self, to: impl Fn(TypeId) -> Option<TypeId>) {
        let mut slots: Vec<Option<TypeDef>> = Vec::new();
        for (i, def) in std::mem::take(&mut self.types).into_iter().enumerate() {
            if let Some(TypeId(at)) = to(TypeId(i)) {
                if slots.len() <= at {
                    slots.resize_with(at + 1, || None);
                }
                debug_assert!(slots[at].is_none(), "two types remapped to {at}");
                slots[at] = Some(def);
            }
        }
        self.types = slots.into_iter().flatten().collect();
        for_each_type_ref_mut(&mut self.types, &mut self.operations, &mut |t| {
            t.for_each_mut(&mut |t| {
                if let TypeRef::Named(id) = t {
                    *t = to(*id).map_or(TypeRef::Any, TypeRef::Named);
                }
            })
        });
        for def in &mut self.types {
            def.relink(&to);
        }
        self.roots = self.roots.iter().filter_map(|&id| to(id)).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(url: &str, variables: &[(&str, &str)]) -> Server {
        Server {
            url: url.to_owned(),
            description: None,
            variables: variables
                .iter()
                .map(|(name, default)| ServerVariable {
                    name: (*name).to_owned(),
                    default: Some((*default).to_owned()),
                    ..ServerVariable::default()
                })
                .collect(),
        }
    }

    #[test]
    fn server_urls_take_their_variables_defaults() {
        let s = server(
            "https://{region}.example.com/{v}/",
            &[("region", "eu"), ("v", "v2")],
        );
        assert_eq!(
            s.parts(),
            [
                UrlPart::Text("https://"),
                UrlPart::Variable("region"),
                UrlPart::Text(".example.com/"),
                UrlPart::Variable("v"),
                UrlPart::Text("/"),
            ]
        );
        assert_eq!(
            s.default_url().as_deref(),
            Some("https://eu.example.com/v2")
        );
        // The scheme from a variable, as GitHub Enterprise's description has it.
        let s = server(
            "{protocol}://{host}/api/v3",
            &[("protocol", "HTTP"), ("host", "gh")],
        );
        assert_eq!(s.default_url().as_deref(), Some("HTTP://gh/api/v3"));
        // Relative, undeclared, or unclosed: no absolute default.
        assert_eq!(server("/api/v3", &[]).default_url(), None);
        assert_eq!(
            server("/api/{v}", &[("v", "3")]).with_defaults().as_deref(),
            Some("/api/3")
        );
        assert_eq!(
            server("https://{tenant}.example.com", &[]).default_url(),
            None
        );
        assert_eq!(
            server("https://example.com/{a", &[])
                .default_url()
                .as_deref(),
            Some("https://example.com/{a")
        );
        assert_eq!(server("ftp://example.com", &[]).default_url(), None);
        assert_eq!(
            server("//kubernetes.local", &[]).default_url().as_deref(),
            Some("https://kubernetes.local")
        );
    }

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            origin: Origin::Named(name.to_owned()),
            name: name.to_owned(),
            docs: Docs::default(),
            deprecated: false,
            kind,
        }
    }

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            api_name: name.to_owned(),
            name: name.to_owned(),
            docs: Docs::default(),
            ty,
            required: false,
            nullable: false,
            read_only: false,
            write_only: false,
            default: None,
            deprecated: false,
        }
    }

    /// `remap` moves types, deletes others, and every reference, link and root follows: one
    /// walk reaches fields, typed additional properties, aliases and operations alike.
    #[test]
    fn remap_renumbers_and_deletes_everywhere() {
        let named = |i| TypeRef::Named(TypeId(i));
        let mut api = Api {
            types: vec![
                def("Gone", TypeKind::Alias(TypeRef::Any)),
                def(
                    "Base",
                    TypeKind::Struct(Struct {
                        additional: Additional::Typed(TypeRef::Map(Box::new(named(2)))),
                        ..Struct::default()
                    }),
                ),
                def(
                    "Derived",
                    TypeKind::Struct(Struct {
                        fields: vec![
                            field("list", TypeRef::List(Box::new(named(1)))),
                            field("gone", named(0)),
                        ],
                        base: Some(TypeId(1)),
                        ..Struct::default()
                    }),
                ),
                def(
                    "Alias",
                    TypeKind::Alias(TypeRef::Nullable(Box::new(named(2)))),
                ),
            ],
            roots: vec![TypeId(0), TypeId(3)],
            ..Api::default()
        };
        // Reverse the kept types: 1 -> 2, 2 -> 1, 3 -> 0; delete 0.
        api.remap(|TypeId(i)| (i > 0).then(|| TypeId(3 - i)));
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Alias", "Derived", "Base"]);
        assert_eq!(
            api.types[0].kind,
            TypeKind::Alias(TypeRef::Nullable(Box::new(named(1))))
        );
        let TypeKind::Struct(derived) = &api.types[1].kind else {
            panic!("a struct")
        };
        assert_eq!(derived.base, Some(TypeId(2)));
        assert_eq!(derived.fields[0].ty, TypeRef::List(Box::new(named(2))));
        assert_eq!(
            derived.fields[1].ty,
            TypeRef::Any,
            "a reference to a deleted type"
        );
        let TypeKind::Struct(base) = &api.types[2].kind else {
            panic!("a struct")
        };
        assert_eq!(
            base.additional,
            Additional::Typed(TypeRef::Map(Box::new(named(1))))
        );
        assert_eq!(api.roots, [TypeId(0)]);
        assert_eq!(api.types[1].referenced_types(), [TypeId(2), TypeId(2)]);
    }
}
