//! CSDL XML -> [`model`](super::model), with positions. Elements are matched by local name, so
//! any EDM namespace version works. Unknown elements are reported once per kind as warnings.

use std::collections::BTreeMap;
use std::path::Path;

use roxmltree::{Document as XmlDocument, Node, ParsingOptions};

use super::model::*;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::source::LineIndex;

/// Parse CSDL text.
pub fn parse(
    file: &Path,
    text: &str,
    diags: &mut Diagnostics,
) -> Result<Document, Box<Diagnostic>> {
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: u32::MAX,
        ..ParsingOptions::default()
    };
    let xml = XmlDocument::parse_with_options(text, options).map_err(|e| {
        let p = e.pos();
        Box::new(
            Diagnostic::error(
                Location::line_col(file, p.row, p.col),
                format!("invalid XML: {e}"),
            )
            .expected("a well-formed OData CSDL document (edmx:Edmx)"),
        )
    })?;
    let mut p = Parser {
        file,
        xml: &xml,
        text,
        lines: LineIndex::new(text),
        diags,
        ignored: BTreeMap::new(),
    };
    let doc = p.document()?;
    let ignored = std::mem::take(&mut p.ignored);
    for (element, (count, pos)) in ignored {
        p.diags.warning(
            Location::line_col(file, pos.line, pos.column),
            format!(
                "CSDL element `{element}` is not used by apigen and was ignored ({count} occurrence{}){}",
                if count == 1 { "" } else { "s" },
                if element == "Reference" {
                    ": referenced documents are not read (vocabulary terms are recognised by name)"
                } else {
                    ""
                }
            ),
        );
    }
    Ok(doc)
}

struct Parser<'a, 'x> {
    file: &'a Path,
    xml: &'a XmlDocument<'x>,
    text: &'a str,
    lines: LineIndex,
    diags: &'a mut Diagnostics,
    /// Ignored element kind -> (count, first position).
    ignored: BTreeMap<String, (usize, Pos)>,
}

/// The EDMX namespace of OData V1-V3 metadata.
const EDMX_V1_V3: &str = "http://schemas.microsoft.com/ado/2007/06/edmx";

fn elements<'a, 'x>(node: Node<'a, 'x>) -> impl Iterator<Item = Node<'a, 'x>> {
    node.children().filter(Node::is_element)
}

impl<'a, 'x> Parser<'a, 'x> {
    fn pos(&self, node: Node<'_, '_>) -> Pos {
        let (line, column) = self.lines.line_col(self.text, node.range().start);
        Pos { line, column }
    }

    fn err(&self, node: Node<'_, '_>, message: String, expected: &str) -> Box<Diagnostic> {
        let p = self.pos(node);
        Box::new(
            Diagnostic::error(Location::line_col(self.file, p.line, p.column), message)
                .expected(expected),
        )
    }

    fn ignore(&mut self, node: Node<'_, '_>) {
        let name = node.tag_name().name().to_owned();
        let pos = self.pos(node);
        self.ignored.entry(name).or_insert((0, pos)).0 += 1;
    }

    fn required(&self, node: Node<'_, '_>, attr: &str) -> Result<String, Box<Diagnostic>> {
        node.attribute(attr).map(str::to_owned).ok_or_else(|| {
            self.err(
                node,
                format!("`{}` has no `{attr}` attribute", node.tag_name().name()),
                &format!("`{attr}=\"...\"`"),
            )
        })
    }

    fn bool_attr(
        &self,
        node: Node<'_, '_>,
        attr: &str,
        default: bool,
    ) -> Result<bool, Box<Diagnostic>> {
        match node.attribute(attr) {
            None => Ok(default),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(other) => Err(self.err(
                node,
                format!("`{attr}=\"{other}\"` is not a boolean"),
                "`true` or `false`",
            )),
        }
    }

    fn document(&mut self) -> Result<Document, Box<Diagnostic>> {
        let root = self.xml.root_element();
        if root.tag_name().name() != "Edmx" {
            return Err(self.err(
                root,
                format!("the root element is `{}`", root.tag_name().name()),
                "`edmx:Edmx` (an OData CSDL document)",
            ));
        }
        // OData V1-V3 metadata is EDMX 1.0 in Microsoft's namespaces: another format (associations,
        // `d`-wrapped JSON), not an older spelling of V4.
        let version = root.attribute("Version").unwrap_or("4.0");
        if root.tag_name().namespace() == Some(EDMX_V1_V3) || version.starts_with(['1', '2', '3']) {
            return Err(Box::new(
                (*self.err(
                    root,
                    format!(
                        "this is OData V2/V3 metadata (EDMX {version}); apigen reads OData V4 CSDL"
                    ),
                    "an OData V4 `$metadata` document: `<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">`",
                ))
                .help("a V4 endpoint of the service, if it has one, serves V4 metadata at `$metadata`; otherwise an OpenAPI description converted from this document (OASIS odata-openapi reads V2) can be generated from"),
            ));
        }
        let mut doc = Document {
            version: version.to_owned(),
            schemas: Vec::new(),
        };
        let mut found_services = false;
        for child in elements(root) {
            match child.tag_name().name() {
                "DataServices" => {
                    found_services = true;
                    for schema in elements(child) {
                        if schema.tag_name().name() == "Schema" {
                            let s = self.schema(schema)?;
                            doc.schemas.push(s);
                        } else {
                            self.ignore(schema);
                        }
                    }
                }
                _ => self.ignore(child),
            }
        }
        if !found_services {
            return Err(self.err(
                root,
                "no `edmx:DataServices` element".into(),
                "`<edmx:DataServices>` with at least one `<Schema>`",
            ));
        }
        Ok(doc)
    }

    fn schema(&mut self, node: Node<'_, '_>) -> Result<Schema, Box<Diagnostic>> {
        let mut s = Schema {
            namespace: self.required(node, "Namespace")?,
            alias: node.attribute("Alias").map(str::to_owned),
            pos: self.pos(node),
            ..Schema::default()
        };
        for child in elements(node) {
            match child.tag_name().name() {
                "EntityType" => s.types.push(self.structured(child, true)?),
                "ComplexType" => s.types.push(self.structured(child, false)?),
                "EnumType" => s.enums.push(self.enum_type(child)?),
                "TypeDefinition" => s.type_definitions.push(TypeDefinition {
                    name: self.required(child, "Name")?,
                    underlying: self.required(child, "UnderlyingType")?,
                    annotations: self.inline_annotations(child)?,
                    pos: self.pos(child),
                }),
                "Action" => s.operations.push(self.operation(child, false)?),
                "Function" => s.operations.push(self.operation(child, true)?),
                "EntityContainer" => {
                    if s.container.is_some() {
                        return Err(self.err(
                            child,
                            "a second `EntityContainer` in one schema".into(),
                            "at most one entity container per schema",
                        ));
                    }
                    s.container = Some(self.container(child)?);
                }
                "Annotations" => s.annotations.push(AnnotationsBlock {
                    target: self.required(child, "Target")?,
                    qualifier: child.attribute("Qualifier").map(str::to_owned),
                    annotations: self.inline_annotations(child)?,
                    pos: self.pos(child),
                }),
                "Annotation" => s.schema_annotations.push(self.annotation(child)?),
                // A vocabulary term's declaration: annotations that use it are read where they
                // are applied, so the declaration itself has nothing to generate. Graph's own
                // $metadata declares a few; warning about them on every run would be noise.
                "Term" => {}
                _ => self.ignore(child),
            }
        }
        Ok(s)
    }

    fn structured(
        &mut self,
        node: Node<'_, '_>,
        entity: bool,
    ) -> Result<StructuredType, Box<Diagnostic>> {
        let mut t = StructuredType {
            entity,
            name: self.required(node, "Name")?,
            base_type: node.attribute("BaseType").map(str::to_owned),
            is_abstract: self.bool_attr(node, "Abstract", false)?,
            open_type: self.bool_attr(node, "OpenType", false)?,
            has_stream: self.bool_attr(node, "HasStream", false)?,
            key: Vec::new(),
            properties: Vec::new(),
            navigation: Vec::new(),
            annotations: Vec::new(),
            pos: self.pos(node),
        };
        for child in elements(node) {
            match child.tag_name().name() {
                "Key" => {
                    for r in elements(child) {
                        if r.tag_name().name() == "PropertyRef" {
                            t.key.push(self.required(r, "Name")?);
                        }
                    }
                }
                "Property" => t.properties.push(Property {
                    name: self.required(child, "Name")?,
                    ty: TypeName::parse(&self.required(child, "Type")?),
                    nullable: self.bool_attr(child, "Nullable", true)?,
                    default_value: child.attribute("DefaultValue").map(str::to_owned),
                    max_length: child.attribute("MaxLength").map(str::to_owned),
                    precision: child.attribute("Precision").and_then(|p| p.parse().ok()),
                    scale: child.attribute("Scale").map(str::to_owned),
                    annotations: self.inline_annotations(child)?,
                    pos: self.pos(child),
                }),
                "NavigationProperty" => t.navigation.push(NavigationProperty {
                    name: self.required(child, "Name")?,
                    ty: TypeName::parse(&self.required(child, "Type")?),
                    nullable: self.bool_attr(child, "Nullable", true)?,
                    contains_target: self.bool_attr(child, "ContainsTarget", false)?,
                    partner: child.attribute("Partner").map(str::to_owned),
                    annotations: self.inline_annotations(child)?,
                    pos: self.pos(child),
                }),
                "Annotation" => t.annotations.push(self.annotation(child)?),
                _ => self.ignore(child),
            }
        }
        Ok(t)
    }

    fn enum_type(&mut self, node: Node<'_, '_>) -> Result<EnumType, Box<Diagnostic>> {
        let mut e = EnumType {
            name: self.required(node, "Name")?,
            underlying: node.attribute("UnderlyingType").map(str::to_owned),
            is_flags: self.bool_attr(node, "IsFlags", false)?,
            members: Vec::new(),
            annotations: Vec::new(),
            pos: self.pos(node),
        };
        for child in elements(node) {
            match child.tag_name().name() {
                "Member" => {
                    let value = match child.attribute("Value") {
                        None => None,
                        Some(v) => Some(v.trim().parse::<i64>().map_err(|_| {
                            self.err(
                                child,
                                format!("member value `{v}` is not an integer"),
                                "an integer `Value`",
                            )
                        })?),
                    };
                    e.members.push(EnumMember {
                        name: self.required(child, "Name")?,
                        value,
                        annotations: self.inline_annotations(child)?,
                        pos: self.pos(child),
                    });
                }
                "Annotation" => e.annotations.push(self.annotation(child)?),
                _ => self.ignore(child),
            }
        }
        Ok(e)
    }

    fn operation(
        &mut self,
        node: Node<'_, '_>,
        function: bool,
    ) -> Result<Operation, Box<Diagnostic>> {
        let mut o = Operation {
            function,
            name: self.required(node, "Name")?,
            is_bound: self.bool_attr(node, "IsBound", false)?,
            is_composable: self.bool_attr(node, "IsComposable", false)?,
            entity_set_path: node.attribute("EntitySetPath").map(str::to_owned),
            parameters: Vec::new(),
            return_type: None,
            annotations: Vec::new(),
            pos: self.pos(node),
        };
        for child in elements(node) {
            match child.tag_name().name() {
                "Parameter" => o.parameters.push(Parameter {
                    name: self.required(child, "Name")?,
                    ty: TypeName::parse(&self.required(child, "Type")?),
                    nullable: self.bool_attr(child, "Nullable", true)?,
                    annotations: self.inline_annotations(child)?,
                    pos: self.pos(child),
                }),
                "ReturnType" => {
                    o.return_type = Some((
                        TypeName::parse(&self.required(child, "Type")?),
                        self.bool_attr(child, "Nullable", true)?,
                    ))
                }
                "Annotation" => o.annotations.push(self.annotation(child)?),
                _ => self.ignore(child),
            }
        }
        if o.is_bound && o.parameters.is_empty() {
            return Err(self.err(
                node,
                format!("bound operation `{}` has no binding parameter", o.name),
                "a first `<Parameter>` naming the bound type",
            ));
        }
        Ok(o)
    }

    fn container(&mut self, node: Node<'_, '_>) -> Result<EntityContainer, Box<Diagnostic>> {
        let mut c = EntityContainer {
            name: self.required(node, "Name")?,
            items: Vec::new(),
            imports: Vec::new(),
            annotations: Vec::new(),
            pos: self.pos(node),
        };
        for child in elements(node) {
            let tag = child.tag_name().name();
            match tag {
                "EntitySet" | "Singleton" => {
                    let singleton = tag == "Singleton";
                    let ty = self.required(child, if singleton { "Type" } else { "EntityType" })?;
                    let mut item = ContainerItem {
                        singleton,
                        name: self.required(child, "Name")?,
                        ty,
                        bindings: Vec::new(),
                        annotations: Vec::new(),
                        pos: self.pos(child),
                    };
                    for b in elements(child) {
                        match b.tag_name().name() {
                            "NavigationPropertyBinding" => item
                                .bindings
                                .push((self.required(b, "Path")?, self.required(b, "Target")?)),
                            "Annotation" => item.annotations.push(self.annotation(b)?),
                            _ => self.ignore(b),
                        }
                    }
                    c.items.push(item);
                }
                "ActionImport" | "FunctionImport" => {
                    let function = tag == "FunctionImport";
                    c.imports.push(OperationImport {
                        function,
                        name: self.required(child, "Name")?,
                        operation: self
                            .required(child, if function { "Function" } else { "Action" })?,
                        entity_set: child.attribute("EntitySet").map(str::to_owned),
                        annotations: self.inline_annotations(child)?,
                        pos: self.pos(child),
                    });
                }
                "Annotation" => c.annotations.push(self.annotation(child)?),
                _ => self.ignore(child),
            }
        }
        Ok(c)
    }

    fn inline_annotations(
        &mut self,
        node: Node<'_, '_>,
    ) -> Result<Vec<Annotation>, Box<Diagnostic>> {
        let mut out = Vec::new();
        for child in elements(node) {
            if child.tag_name().name() == "Annotation" {
                out.push(self.annotation(child)?);
            }
        }
        Ok(out)
    }

    fn annotation(&mut self, node: Node<'_, '_>) -> Result<Annotation, Box<Diagnostic>> {
        Ok(Annotation {
            term: self.required(node, "Term")?,
            qualifier: node.attribute("Qualifier").map(str::to_owned),
            value: self.value(node, 0)?,
            pos: self.pos(node),
        })
    }

    /// The value of an `Annotation` or `PropertyValue`: an attribute shorthand or a child element.
    fn value(&mut self, node: Node<'_, '_>, depth: usize) -> Result<Value, Box<Diagnostic>> {
        if depth > 64 {
            return Err(self.err(
                node,
                "annotation values nested too deeply".into(),
                "at most 64 levels of records and collections",
            ));
        }
        for attr in node.attributes() {
            let v = attr.value().to_owned();
            match attr.name() {
                "String" => return Ok(Value::String(v)),
                "Bool" => return Ok(Value::Bool(v == "true")),
                "Int" => {
                    return Ok(v.trim().parse().map(Value::Int).unwrap_or(Value::Number(v)));
                }
                "Float" | "Decimal" => return Ok(Value::Number(v)),
                "EnumMember" => return Ok(Value::EnumMember(v)),
                "Path" | "PropertyPath" | "NavigationPropertyPath" | "AnnotationPath" => {
                    return Ok(Value::Path(v));
                }
                "Date" | "DateTimeOffset" | "Duration" | "Guid" | "TimeOfDay" | "Binary" => {
                    return Ok(Value::String(v));
                }
                _ => {}
            }
        }
        for child in elements(node) {
            if child.tag_name().name() == "Annotation" {
                continue;
            }
            return self.element_value(child, depth + 1);
        }
        Ok(Value::Null)
    }

    fn element_value(
        &mut self,
        node: Node<'_, '_>,
        depth: usize,
    ) -> Result<Value, Box<Diagnostic>> {
        let text = || node.text().unwrap_or("").to_owned();
        Ok(match node.tag_name().name() {
            "String" => Value::String(text()),
            "Bool" => Value::Bool(text().trim() == "true"),
            "Int" => text()
                .trim()
                .parse()
                .map(Value::Int)
                .unwrap_or_else(|_| Value::Number(text())),
            "Float" | "Decimal" => Value::Number(text()),
            "EnumMember" => Value::EnumMember(text().trim().to_owned()),
            "Path" | "PropertyPath" | "NavigationPropertyPath" | "AnnotationPath" => {
                Value::Path(text().trim().to_owned())
            }
            "Null" => Value::Null,
            "Record" => {
                let mut props = Vec::new();
                for pv in elements(node) {
                    if pv.tag_name().name() == "PropertyValue" {
                        let name = self.required(pv, "Property")?;
                        let value = self.value(pv, depth + 1)?;
                        props.push((name, value));
                    }
                }
                Value::Record(props)
            }
            "Collection" => {
                let mut items = Vec::new();
                for item in elements(node) {
                    items.push(self.element_value(item, depth + 1)?);
                }
                Value::Collection(items)
            }
            _ => Value::String(text()),
        })
    }
}
