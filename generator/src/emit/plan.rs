//! What the client does for each operation, decided once, as data: how each parameter is
//! taken (an argument or a setter, and its Rust shape), where it goes on the wire, and the
//! setters' names. [`crate::emit::layout`] groups operations by their setters from it, and
//! [`crate::emit::client`] writes it as code; neither decides again.

use crate::ir::{Api, Operation, Param, ParamLocation, ParamStyle, Primitive, TypeKind, TypeRef};

/// How a value that is written as text on the wire is taken as an argument.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// `&str`, written as it is.
    Str,
    /// A number or `bool`, by value.
    Copy(Primitive),
    /// Another primitive (a date, a UUID...), by reference.
    Ref(Primitive),
    /// A string enum (the type, after aliases), by reference: its wire value.
    StringEnum(TypeRef),
    /// An integer enum, by value: its number.
    IntEnum(TypeRef),
    /// A set of flags, by reference: `a,b`.
    Flags(TypeRef),
}

/// How a query, header or cookie parameter is taken, and so how it is written.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// One scalar.
    Scalar(Scalar),
    /// A list of scalars (`&[T]`): one query pair per item (`explode`), or joined.
    List(Scalar),
    /// A list of values that are not scalars (`&Vec<T>`), sent as JSON text.
    ListAsJson,
    /// A `content: application/json` parameter: a slice for a list of `item`s, else a
    /// reference; JSON text.
    Json { item: Option<TypeRef> },
    /// An object: `deepObject` or form style in a query, JSON text elsewhere.
    Object,
}

/// One non-path parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamPlan {
    /// Index in the operation's parameters.
    pub index: usize,
    pub value: Value,
}

impl ParamPlan {
    /// The parameter it is for.
    pub fn param<'a>(&self, op: &'a Operation) -> &'a Param {
        &op.params[self.index]
    }
}

/// The client's plan for one operation.
#[derive(Debug, Clone, PartialEq)]
pub struct OpPlan {
    /// Path parameters in order: index in the parameters and how the value is taken (`None`:
    /// not a scalar, written as JSON text).
    pub path: Vec<(usize, Option<Scalar>)>,
    /// Required query, header and cookie parameters: arguments of the method, in order.
    pub required: Vec<ParamPlan>,
    /// Optional ones: setters of the operation's request type, in order.
    pub setters: Vec<ParamPlan>,
    /// The setters' names: each parameter's own, clear of the request type's methods.
    pub setter_names: Vec<String>,
}

impl OpPlan {
    /// Decide how `op` takes each of its parameters.
    pub fn new(api: &Api, op: &Operation) -> OpPlan {
        let mut plan = OpPlan {
            path: Vec::new(),
            required: Vec::new(),
            setters: Vec::new(),
            setter_names: Vec::new(),
        };
        for (index, p) in op.params.iter().enumerate() {
            if p.location == ParamLocation::Path {
                plan.path.push((index, scalar(api, &p.ty)));
                continue;
            }
            let value = value(api, p);
            let item = ParamPlan { index, value };
            if p.required {
                plan.required.push(item);
            } else {
                plan.setters.push(item);
            }
        }
        plan.setter_names = setter_names(op, &plan.setters);
        plan
    }
}

/// How the query, header or cookie parameter `p` is taken.
fn value(api: &Api, p: &Param) -> Value {
    let json = p.style == ParamStyle::Json;
    match &p.ty {
        TypeRef::List(item) if !json => match scalar(api, item) {
            Some(s) => Value::List(s),
            None => Value::ListAsJson,
        },
        TypeRef::List(item) => Value::Json {
            item: Some((**item).clone()),
        },
        _ if json => Value::Json { item: None },
        t => scalar(api, t).map_or(Value::Object, Value::Scalar),
    }
}

/// How a value of type `t` is taken when it is written as text; `None` when it is not a
/// scalar.
pub fn scalar(api: &Api, t: &TypeRef) -> Option<Scalar> {
    match t {
        TypeRef::Primitive(Primitive::String | Primitive::Binary) => Some(Scalar::Str),
        TypeRef::Primitive(p) if p.is_copy() => Some(Scalar::Copy(*p)),
        TypeRef::Primitive(p) => Some(Scalar::Ref(*p)),
        TypeRef::Named(id) => match &api.ty(*id).kind {
            TypeKind::Enum(e) => Some(match e.repr {
                crate::ir::EnumRepr::String => Scalar::StringEnum(t.clone()),
                crate::ir::EnumRepr::Integer => Scalar::IntEnum(t.clone()),
            }),
            TypeKind::Flags(_) => Some(Scalar::Flags(t.clone())),
            TypeKind::Alias(inner) => scalar(api, inner),
            _ => None,
        },
        _ => None,
    }
}

/// The names of the setters of `op`, named around the methods its request type already has
/// ([`crate::emit::client::request_type_methods`]) and nothing else; from each parameter's own
/// name (the argument's may have been made unique among the method's arguments, `id_2` next to
/// a path parameter `id`, which a setter does not sit next to).
fn setter_names(op: &Operation, setters: &[ParamPlan]) -> Vec<String> {
    let reserved = crate::emit::client::request_type_methods(op);
    let mut names = crate::naming::NameScope::with_reserved(&reserved);
    setters
        .iter()
        .map(|s| names.claim(&crate::naming::snake_ident(&s.param(op).api_name, "param")))
        .collect()
}
