//! A faithful model of an OData v4 CSDL document, with the line and column of every element.

/// 1-based position of an element's start tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    /// Line.
    pub line: u32,
    /// Column.
    pub column: u32,
}

/// A whole `edmx:Edmx` document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// The `Version` attribute (`4.0`, `4.01`).
    pub version: String,
    /// Every `Schema` under `edmx:DataServices`.
    pub schemas: Vec<Schema>,
}

/// A type reference: `Namespace.Name`, `Alias.Name`, `Edm.String`, or `Collection(...)` of one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypeName {
    /// Qualified name as written.
    pub name: String,
    /// Wrapped in `Collection(...)`.
    pub collection: bool,
}

impl TypeName {
    /// Parse a `Type` attribute.
    pub fn parse(text: &str) -> TypeName {
        let t = text.trim();
        match t
            .strip_prefix("Collection(")
            .and_then(|r| r.strip_suffix(')'))
        {
            Some(inner) => TypeName {
                name: inner.trim().to_owned(),
                collection: true,
            },
            None => TypeName {
                name: t.to_owned(),
                collection: false,
            },
        }
    }
}

/// A value of an annotation (or of a record property).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `String="..."` / `<String>`.
    String(String),
    /// `Bool="true"`.
    Bool(bool),
    /// `Int="1"`.
    Int(i64),
    /// `Float`/`Decimal` (kept as text).
    Number(String),
    /// `EnumMember="Ns.Type/Member"` (may list several, space-separated).
    EnumMember(String),
    /// `Path`, `PropertyPath`, `NavigationPropertyPath`, `AnnotationPath`.
    Path(String),
    /// `<Record>`.
    Record(Vec<(String, Value)>),
    /// `<Collection>`.
    Collection(Vec<Value>),
    /// `<Null/>` or an annotation without a value (a `Core.Tag` style `true`).
    Null,
}

impl Value {
    /// As a string, when it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) | Value::Path(s) | Value::EnumMember(s) | Value::Number(s) => Some(s),
            _ => None,
        }
    }

    /// As a boolean (an annotation without value is `true`, as the Core vocabulary defines).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Null => Some(true),
            _ => None,
        }
    }

    /// A property of a record.
    pub fn property(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Record(props) => props.iter().find(|(n, _)| n == name).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// One `Annotation`.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// Term, qualified (`Org.OData.Core.V1.Description`) or by alias (`Core.Description`).
    pub term: String,
    /// `Qualifier`.
    pub qualifier: Option<String>,
    /// The value.
    pub value: Value,
    /// Where.
    pub pos: Pos,
}

/// An `Annotations Target="..."` block.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotationsBlock {
    /// The target path.
    pub target: String,
    /// `Qualifier`.
    pub qualifier: Option<String>,
    /// Its annotations.
    pub annotations: Vec<Annotation>,
    /// Where.
    pub pos: Pos,
}

/// `EntityType` or `ComplexType`.
#[derive(Debug, Clone, PartialEq)]
pub struct StructuredType {
    /// An entity type (has a key, can be addressed) rather than a complex type.
    pub entity: bool,
    /// Name within its schema.
    pub name: String,
    /// `BaseType`.
    pub base_type: Option<String>,
    /// `Abstract`.
    pub is_abstract: bool,
    /// `OpenType`.
    pub open_type: bool,
    /// `HasStream`.
    pub has_stream: bool,
    /// `Key/PropertyRef` names (and aliases ignored).
    pub key: Vec<String>,
    /// Structural properties in order.
    pub properties: Vec<Property>,
    /// Navigation properties in order.
    pub navigation: Vec<NavigationProperty>,
    /// Inline annotations.
    pub annotations: Vec<Annotation>,
    /// Where.
    pub pos: Pos,
}

/// A structural `Property`.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// Name.
    pub name: String,
    /// Type.
    pub ty: TypeName,
    /// `Nullable` (default true).
    pub nullable: bool,
    /// `DefaultValue`.
    pub default_value: Option<String>,
    /// `MaxLength`.
    pub max_length: Option<String>,
    /// `Precision`.
    pub precision: Option<u32>,
    /// `Scale`.
    pub scale: Option<String>,
    /// Inline annotations.
    pub annotations: Vec<Annotation>,
    /// Where.
    pub pos: Pos,
}

/// A `NavigationProperty`.
#[derive(Debug, Clone, PartialEq)]
pub struct NavigationProperty {
    /// Name.
    pub name: String,
    /// Type (an entity type or a collection of one).
    pub ty: TypeName,
    /// `Nullable` (default true).
    pub nullable: bool,
    /// `ContainsTarget`.
    pub contains_target: bool,
    /// `Partner`.
    pub partner: Option<String>,
    /// Inline annotations.
    pub annotations: Vec<Annotation>,
    /// Where.
    pub pos: Pos,
}

/// An `EnumType`.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumType {
    /// Name.
    pub name: String,
    /// `UnderlyingType` (default `Edm.Int32`).
    pub underlying: Option<String>,
    /// `IsFlags`.
    pub is_flags: bool,
    /// Members in order.
    pub members: Vec<EnumMember>,
    /// Inline annotations.
    pub annotations: Vec<Annotation>,
    /// Where.
    pub pos: Pos,
}

/// An enum `Member`.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumMember {
    /// Name (the value on the wire in JSON).
    pub name: String,
    /// `Value`.
    pub value: Option<i64>,
    /// Inline annotations.
    pub annotations: Vec<Annotation>,
    /// Where.
    pub pos: Pos,
}

/// A `TypeDefinition`.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDefinition {
    /// Name.
    pub name: String,
    /// `UnderlyingType`.
    pub underlying: String,
    /// Inline annotations.
    pub annotations: Vec<Annotation>,
    /// Where.
    pub pos: Pos,
}

/// A `Parameter` of an action or function.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Name.
    pub name: String,
    /// Type.
    pub ty: TypeName,
    /// `Nullable` (default true).
    pub nullable: bool,
    /// Inline annotations.
    pub annotations: Vec<Annotation>,
    /// Where.
    pub pos: Pos,
}

/// An `Action` or `Function`.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// A function (GET, no side effects) rather than an action (POST).
    pub function: bool,
    /// Name.
    pub name: String,
    /// `IsBound`.
    pub is_bound: bool,
    /// `IsComposable`.
    pub is_composable: bool,
    /// `EntitySetPath`.
    pub entity_set_path: Option<String>,
    /// Parameters in order; for a bound operation the first is the binding parameter.
    pub parameters: Vec<Parameter>,
    /// `ReturnType`.
    pub return_type: Option<(TypeName, bool)>,
    /// Inline annotations.
    pub annotations: Vec<Annotation>,
    /// Where.
    pub pos: Pos,
}

/// An `EntitySet` or `Singleton`.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerItem {
    /// A singleton rather than an entity set.
    pub singleton: bool,
    /// Name.
    pub name: String,
    /// Entity type.
    pub ty: String,
    /// `NavigationPropertyBinding`s: path -> target.
    pub bindings: Vec<(String, String)>,
    /// Inline annotations.
    pub annotations: Vec<Annotation>,
    /// Where.
    pub pos: Pos,
}

/// An `ActionImport` or `FunctionImport`.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationImport {
    /// A function import.
    pub function: bool,
    /// Name in the container (the URL segment).
    pub name: String,
    /// The imported action or function, qualified.
    pub operation: String,
    /// `EntitySet`.
    pub entity_set: Option<String>,
    /// Inline annotations.
    pub annotations: Vec<Annotation>,
    /// Where.
    pub pos: Pos,
}

/// An `EntityContainer`.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityContainer {
    /// Name.
    pub name: String,
    /// Entity sets and singletons in order.
    pub items: Vec<ContainerItem>,
    /// Action and function imports.
    pub imports: Vec<OperationImport>,
    /// Inline annotations.
    pub annotations: Vec<Annotation>,
    /// Where.
    pub pos: Pos,
}

/// One `Schema`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    /// `Namespace`.
    pub namespace: String,
    /// `Alias`.
    pub alias: Option<String>,
    /// Entity and complex types in order.
    pub types: Vec<StructuredType>,
    /// Enum types.
    pub enums: Vec<EnumType>,
    /// Type definitions.
    pub type_definitions: Vec<TypeDefinition>,
    /// Actions and functions.
    pub operations: Vec<Operation>,
    /// The entity container, if this schema has one.
    pub container: Option<EntityContainer>,
    /// `Annotations` blocks.
    pub annotations: Vec<AnnotationsBlock>,
    /// Inline annotations on the schema.
    pub schema_annotations: Vec<Annotation>,
    /// Where.
    pub pos: Pos,
}
