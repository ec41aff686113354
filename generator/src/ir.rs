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
    /// Default base URL (OpenAPI `servers[0].url`), if the description names one.
    pub base_url: Option<String>,
    /// Type arena; a [`TypeId`] indexes into it.
    pub types: Vec<TypeDef>,
    /// Operations in description order.
    pub operations: Vec<Operation>,
    /// The authentication the API uses (union of its security schemes).
    pub auth: Vec<AuthScheme>,
    /// Types generated even when no operation uses them (a description's named schemas).
    pub roots: Vec<TypeId>,
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

/// One named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Name in the description (`microsoft.graph.user`, `Pet`).
    pub api_name: String,
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
    pub success: Success,
    /// Paging, for list operations.
    pub paging: Option<Paging>,
    /// Permissions (OAuth scopes) the description lists.
    pub permissions: Vec<Permission>,
}

impl Operation {
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

/// How a query parameter is serialised (OpenAPI `style` + `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// Media type sent.
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

/// What an operation returns on success.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// One kind of body (or none) for every 2xx status.
    Single(ResponseBody),
    /// One body type, but some 2xx statuses have no body: `Option<T>`.
    Optional(ResponseBody),
    /// Different bodies by status: a generated enum (a [`TypeKind::Responses`] type).
    ByStatus(TypeId),
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
