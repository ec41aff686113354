//! CSDL input: the real Graph beta excerpt, agreement with Microsoft's own TypeScript types for
//! the same CSDL, and clear errors for malformed documents.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use apigen::unstable::diagnostics::Diagnostics;
use apigen::unstable::ir::{Api, TypeKind, TypeRef};
use apigen::unstable::source::SourceFile;
use apigen::{Config, Severity};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Lowers with `csdl.key-as-segment` set to `key_as_segment` (`None`: as the CSDL says).
fn lower_with(path: &Path, key_as_segment: Option<bool>) -> (Option<Api>, Diagnostics) {
    let mut config = Config::new(path, "/nonexistent", "x");
    config.csdl.key_as_segment = key_as_segment;
    let source = SourceFile::read(path, u64::MAX).unwrap();
    let mut diags = Diagnostics::default();
    let api = apigen::unstable::csdl::read(&source, &config, &mut diags);
    (api, diags)
}

/// The Graph excerpt as Graph addresses entities, by key segments (as `spec/codegen.toml` says).
fn entitlement() -> Api {
    let (api, diags) = lower_with(
        &manifest_dir().join("tests/fixtures/graph-beta-entitlement.csdl.xml"),
        Some(true),
    );
    assert!(!diags.has_errors(), "{:#?}", diags.as_slice());
    api.unwrap()
}

#[test]
fn graph_excerpt_has_the_real_paths_and_bound_actions() {
    let api = entitlement();
    let ops: BTreeMap<(&str, &str), &str> = api
        .operations
        .iter()
        .map(|o| ((o.method.as_str(), o.path.as_str()), o.name.as_str()))
        .collect();
    let base = "/identityGovernance/entitlementManagement/accessPackageAssignmentRequests";
    let item = format!("{base}/{{accessPackageAssignmentRequest-id}}");
    assert_eq!(
        ops[&("GET", base)],
        "list_identity_governance_entitlement_management_access_package_assignment_requests"
    );
    assert_eq!(
        ops[&("POST", base)],
        "create_identity_governance_entitlement_management_access_package_assignment_request"
    );
    assert!(ops.contains_key(&("GET", item.as_str())));
    let cancel = format!("{item}/microsoft.graph.Cancel");
    let reprocess = format!("{item}/microsoft.graph.reprocess");
    assert_eq!(
        ops[&("POST", cancel.as_str())],
        "cancel_identity_governance_entitlement_management_access_package_assignment_request"
    );
    assert_eq!(
        ops[&("POST", reprocess.as_str())],
        "reprocess_identity_governance_entitlement_management_access_package_assignment_request"
    );
    // A function bound to the collection, with an enum parameter in the path.
    let filter = format!("{base}/microsoft.graph.filterByCurrentUser(on='{{on}}')");
    let op = api
        .operations
        .iter()
        .find(|o| o.path == filter)
        .expect("filterByCurrentUser");
    assert!(
        op.paging().is_some(),
        "a function returning a collection is paged"
    );
    // The list is paged and takes every query option.
    let list = api
        .operations
        .iter()
        .find(|o| o.path == base && o.method.as_str() == "GET")
        .unwrap();
    assert!(list.paging().is_some() && list.odata.any_collection());
}

/// Microsoft generates TypeScript interfaces from the Graph beta CSDL; for every type in both,
/// our models must have the same property names, the same collection-ness and the same
/// derived-type unions. The excerpt CSDL is the US Nat cloud's beta schema while the TypeScript
/// package comes from the Prod schema; the differences between the two are listed here, each
/// with its reason, and the test fails on any other difference (or if one listed disappears).
#[test]
fn models_agree_with_microsofts_typescript_types() {
    let api = entitlement();
    let ts = parse_ts(
        &std::fs::read_to_string(manifest_dir().join("tests/data/ts-types-excerpt.ts")).unwrap(),
    );

    // Our structs by Rust name: property wire names (without `@odata.type`) and list-ness.
    let mut ours: BTreeMap<String, BTreeMap<String, bool>> = BTreeMap::new();
    for def in &api.types {
        if let TypeKind::Struct(s) = &def.kind {
            let props = s
                .fields
                .iter()
                .filter(|f| f.api_name != "@odata.type")
                .map(|f| (f.api_name.clone(), matches!(f.ty, TypeRef::List(_))))
                .collect();
            ours.insert(def.name.clone(), props);
        }
    }
    let mut differences: BTreeSet<String> = BTreeSet::new();
    let mut compared = 0;
    for (name, iface) in &ts {
        let Some(props) = ours.get(name) else {
            continue;
        };
        compared += 1;
        let theirs = ts_all_props(&ts, name);
        for (p, list) in &theirs {
            match props.get(p) {
                None => {
                    differences.insert(format!("{name}.{p}: only in TypeScript"));
                }
                Some(ours_list) if ours_list != list => {
                    differences.insert(format!("{name}.{p}: collection differs"));
                }
                Some(_) => {}
            }
        }
        for p in props.keys() {
            if !theirs.contains_key(p) {
                differences.insert(format!("{name}.{p}: only in the CSDL"));
            }
        }
        let _ = iface;
    }
    assert!(compared >= 25, "compared only {compared} types");

    // Derived-type unions: for each type with derived types in both, the same set of types.
    let names: BTreeSet<&str> = ours.keys().map(String::as_str).collect();
    for def in &api.types {
        let TypeKind::Union(u) = &def.kind else {
            continue;
        };
        let base = u.default_variant.map(|b| api.ty(b).name.clone()).unwrap();
        let ours: BTreeSet<String> = u
            .variants
            .iter()
            .map(|v| api.ty(v.ty).name.clone())
            .filter(|n| n != &base)
            .collect();
        let theirs: BTreeSet<String> = ts
            .keys()
            .filter(|n| {
                n.as_str() != base && names.contains(n.as_str()) && ts_extends(&ts, n, &base)
            })
            .cloned()
            .collect();
        if ours != theirs {
            differences.insert(format!(
                "Any{base}: unions differ: ours {ours:?}, TypeScript {theirs:?}"
            ));
        }
    }

    // Each known difference, and why it is right.
    let expected: BTreeMap<&str, &str> = [
        (
            "AccessPackage.uniqueName: only in TypeScript",
            "Prod-only property (the excerpt is beta-USNat)",
        ),
        (
            "AccessPackageAssignmentRequest.history: only in TypeScript",
            "Prod-only property",
        ),
        (
            "AccessPackageSubject.subjectLifecycle: only in TypeScript",
            "Prod-only property",
        ),
        (
            "AccessPackageQuestion.isAnswerEditable: only in TypeScript",
            "Prod-only property",
        ),
        (
            "AccessPackageMultipleChoiceQuestion.isAnswerEditable: only in TypeScript",
            "inherited Prod-only property",
        ),
        (
            "AccessPackageTextInputQuestion.isAnswerEditable: only in TypeScript",
            "inherited Prod-only property",
        ),
        (
            "AccessPackageTextInputQuestion.regexPattern: only in TypeScript",
            "Prod-only property",
        ),
        (
            "EntitlementManagement.accessPackageAssignmentApprovals: only in TypeScript",
            "navigation trimmed from the excerpt ([TRIMMED])",
        ),
        (
            "EntitlementManagement.accessPackageAssignmentPolicies: only in TypeScript",
            "trimmed",
        ),
        (
            "EntitlementManagement.accessPackageAssignmentResourceRoles: only in TypeScript",
            "trimmed",
        ),
        (
            "EntitlementManagement.accessPackageCatalogs: only in TypeScript",
            "trimmed",
        ),
        (
            "EntitlementManagement.accessPackageResourceEnvironments: only in TypeScript",
            "trimmed",
        ),
        (
            "EntitlementManagement.accessPackageResourceRequests: only in TypeScript",
            "trimmed",
        ),
        (
            "EntitlementManagement.accessPackageResourceRoleScopes: only in TypeScript",
            "trimmed",
        ),
        (
            "EntitlementManagement.accessPackageResources: only in TypeScript",
            "trimmed",
        ),
        (
            "EntitlementManagement.assignmentRequests: only in TypeScript",
            "trimmed (Prod-only in this CSDL's notes)",
        ),
        (
            "EntitlementManagement.connectedOrganizations: only in TypeScript",
            "trimmed",
        ),
        (
            "EntitlementManagement.settings: only in TypeScript",
            "trimmed",
        ),
    ]
    .into_iter()
    .collect();
    let unexpected: Vec<&String> = differences
        .iter()
        .filter(|d| !expected.contains_key(d.as_str()))
        .collect();
    let vanished: Vec<&&str> = expected
        .keys()
        .filter(|e| !differences.contains(**e))
        .collect();
    assert!(
        unexpected.is_empty() && vanished.is_empty(),
        "unexpected differences: {unexpected:#?}\nexpected but not found: {vanished:#?}"
    );
}

/// interface name -> (extends, own properties: name -> is a collection)
type Ts = BTreeMap<String, (Option<String>, BTreeMap<String, bool>)>;

fn parse_ts(text: &str) -> Ts {
    let mut out = Ts::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("export interface ") {
            let head = rest.split('{').next().unwrap().trim();
            let (name, extends) = match head.split_once(" extends ") {
                Some((n, e)) => (n.trim().to_owned(), Some(e.trim().to_owned())),
                None => (head.to_owned(), None),
            };
            // The excerpt declares VerifiedCredentialData twice, identically: keep the first.
            out.entry(name.clone())
                .or_insert((extends, BTreeMap::new()));
            current = if rest.trim_end().ends_with("{}") {
                None
            } else {
                Some(name)
            };
            continue;
        }
        if t == "}" {
            current = None;
            continue;
        }
        if let Some(name) = &current
            && !t.starts_with("//")
            && !t.starts_with('*')
            && !t.starts_with("/*")
            && let Some((prop, ty)) = t.split_once(':')
        {
            let prop = prop.trim().trim_end_matches('?').to_owned();
            let list = ty.contains("[]");
            out.get_mut(name).unwrap().1.insert(prop, list);
        }
    }
    out
}

fn ts_all_props(ts: &Ts, name: &str) -> BTreeMap<String, bool> {
    let mut out = BTreeMap::new();
    let mut current = Some(name.to_owned());
    while let Some(n) = current {
        let Some((extends, props)) = ts.get(&n) else {
            break;
        };
        for (p, l) in props {
            out.entry(p.clone()).or_insert(*l);
        }
        current = extends.clone();
    }
    out
}

fn ts_extends(ts: &Ts, name: &str, base: &str) -> bool {
    let mut current = ts.get(name).and_then(|(e, _)| e.clone());
    while let Some(n) = current {
        if n == base {
            return true;
        }
        current = ts.get(&n).and_then(|(e, _)| e.clone());
    }
    false
}

// ----- malformed input -----

fn errors_for(text: &str) -> Vec<apigen::Diagnostic> {
    let dir = manifest_dir().join("../target/apigen-csdl-errors");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("case-{:x}.xml", fxhash(text)));
    std::fs::write(&path, text).unwrap();
    let config = Config::new(&path, dir.join("out"), "x");
    let err = config.generate().expect_err("generation must fail");
    err.diagnostics()
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect()
}

fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

fn csdl(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n<edmx:DataServices>\n<Schema Namespace=\"ns\" Alias=\"a\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n{body}\n</Schema>\n</edmx:DataServices>\n</edmx:Edmx>\n"
    )
}

#[test]
fn bad_xml_is_located() {
    let errors = errors_for(&csdl(
        "<EntityType Name=\"x\">\n<Property Name=\"id\" Type=\"Edm.String\">\n</EntityType>",
    ));
    assert_eq!(errors.len(), 1);
    let e = &errors[0];
    assert!(e.message.starts_with("invalid XML"), "{e}");
    assert_eq!(e.location.line, Some(7), "{e}");
    assert!(e.location.column.is_some());
    assert_eq!(
        e.location.file.extension().and_then(|x| x.to_str()),
        Some("xml")
    );
}

#[test]
fn unknown_type_reference_is_located_with_a_suggestion() {
    let errors = errors_for(&csdl(
        "<ComplexType Name=\"address\" />\n<EntityType Name=\"person\">\n  <Property Name=\"home\" Type=\"a.adress\" />\n</EntityType>",
    ));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert_eq!(e.message, "unknown type `a.adress`");
    assert_eq!((e.location.line, e.location.column), (Some(7), Some(3)));
    assert!(
        e.expected
            .as_deref()
            .unwrap()
            .contains("declared in the CSDL")
    );
    assert_eq!(e.help.as_deref(), Some("did you mean `ns.address`?"));
}

#[test]
fn inheritance_cycle_is_an_error() {
    let errors = errors_for(&csdl(
        "<ComplexType Name=\"a\" BaseType=\"ns.b\" />\n<ComplexType Name=\"b\" BaseType=\"ns.c\" />\n<ComplexType Name=\"c\" BaseType=\"ns.a\" />",
    ));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert!(e.message.contains("inherits from itself"), "{e}");
    assert!(e.location.line.is_some_and(|l| (5..=7).contains(&l)), "{e}");
    assert_eq!(
        e.expected.as_deref(),
        Some("an inheritance chain without cycles")
    );
}

#[test]
fn duplicate_names_are_errors() {
    let errors = errors_for(&csdl(
        "<ComplexType Name=\"x\" />\n<EnumType Name=\"x\"><Member Name=\"a\" /></EnumType>",
    ));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert_eq!(e.message, "`ns.x` is declared twice");
    assert_eq!((e.location.line, e.location.column), (Some(6), Some(1)));
    assert!(
        e.expected.as_deref().unwrap().contains("line 5, column 1"),
        "{e}"
    );
}

/// OData V2/V3 metadata is another format: said so at the root, not as a missing `Type` on
/// the first V2-style navigation property.
#[test]
fn odata_v2_metadata_is_named_as_such() {
    let v2 = "<?xml version=\"1.0\"?>\n<edmx:Edmx Version=\"1.0\" xmlns:edmx=\"http://schemas.microsoft.com/ado/2007/06/edmx\">\n<edmx:DataServices><Schema Namespace=\"M\" xmlns=\"http://schemas.microsoft.com/ado/2008/09/edm\">\n<EntityType Name=\"C\"><Key><PropertyRef Name=\"Id\"/></Key><Property Name=\"Id\" Type=\"Edm.Int32\" Nullable=\"false\"/><NavigationProperty Name=\"P\" Relationship=\"M.R\" FromRole=\"A\" ToRole=\"B\"/></EntityType>\n</Schema></edmx:DataServices></edmx:Edmx>\n";
    let errors = errors_for(v2);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert_eq!(
        e.message,
        "this is OData V2/V3 metadata (EDMX 1.0); apigen reads OData V4 CSDL"
    );
    assert_eq!((e.location.line, e.location.column), (Some(2), Some(1)));
    assert!(
        e.help.as_deref().is_some_and(|h| h.contains("OpenAPI")),
        "{e:?}"
    );
}

#[test]
fn missing_attribute_and_wrong_root_are_errors() {
    let errors = errors_for(&csdl("<EntityType />"));
    assert_eq!(errors[0].message, "`EntityType` has no `Name` attribute");
    assert_eq!(errors[0].location.line, Some(5));
    let errors = errors_for("<?xml version=\"1.0\"?>\n<html><body/></html>\n");
    assert_eq!(errors[0].message, "the root element is `html`");
    assert_eq!(errors[0].location.line, Some(2));
}

/// Declarations of vocabulary terms (Graph's $metadata has a few) generate nothing and warn
/// about nothing; elements apigen does not know are still reported, once per kind.
#[test]
fn term_declarations_are_quiet_and_unknown_elements_are_reported() {
    let dir = manifest_dir().join("../target/apigen-csdl-terms");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("terms.xml");
    std::fs::write(
        &path,
        r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="t" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <Term Name="changed" Type="Edm.Boolean" AppliesTo="t.item" />
      <Term Name="owner" Type="Edm.String" />
      <EntityType Name="item"><Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" /></EntityType>
      <Gadget Name="unknown" />
      <Gadget Name="unknown2" />
      <EntityContainer Name="c"><EntitySet Name="items" EntityType="t.item" /></EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#,
    )
    .unwrap();
    let generated = Config::new(&path, dir.join("out"), "terms")
        .generate()
        .unwrap();
    let messages: Vec<String> = generated
        .diagnostics
        .iter()
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(
        messages,
        ["CSDL element `Gadget` is not used by apigen and was ignored (2 occurrences)"]
    );
    assert_eq!(generated.diagnostics[0].location.line, Some(9));
}

/// Paths to one entity: keys in parentheses, OData's canonical form, unless the container
/// says the service takes them as segments (`Capabilities.KeyAsSegmentSupported`) or the
/// config says either way; string keys are quoted literals, numeric ones bare.
#[test]
fn entity_keys_go_in_parentheses_unless_segments_are_supported() {
    let types = r#"<EntityType Name="Person"><Key><PropertyRef Name="UserName"/></Key>
<Property Name="UserName" Type="Edm.String" Nullable="false"/>
<NavigationProperty Name="Trips" Type="Collection(ns.Trip)" ContainsTarget="true"/></EntityType>
<EntityType Name="Trip"><Key><PropertyRef Name="TripId"/></Key>
<Property Name="TripId" Type="Edm.Int32" Nullable="false"/></EntityType>"#;
    let plain = format!(
        "{types}\n<EntityContainer Name=\"Service\"><EntitySet Name=\"People\" EntityType=\"ns.Person\"/></EntityContainer>"
    );
    let tagged = format!(
        "{types}\n<EntityContainer Name=\"Service\"><EntitySet Name=\"People\" EntityType=\"ns.Person\"/>\n<Annotation Term=\"Org.OData.Capabilities.V1.KeyAsSegmentSupported\"/></EntityContainer>"
    );
    let paths = |body: &str, key_as_segment: Option<bool>| -> BTreeSet<String> {
        let dir = manifest_dir().join("../target/apigen-csdl-keys");
        std::fs::create_dir_all(&dir).unwrap();
        let text = csdl(body);
        let path = dir.join(format!("case-{:x}.xml", fxhash(&text)));
        std::fs::write(&path, text).unwrap();
        let (api, diags) = lower_with(&path, key_as_segment);
        assert!(!diags.has_errors(), "{:#?}", diags.as_slice());
        api.unwrap()
            .operations
            .iter()
            .map(|o| o.path.clone())
            .collect()
    };
    let set =
        |paths: &[&str]| -> BTreeSet<String> { paths.iter().map(|p| p.to_string()).collect() };
    let parentheses = set(&[
        "/People",
        "/People('{Person-id}')",
        "/People('{Person-id}')/Trips",
        "/People('{Person-id}')/Trips({Trip-id})",
    ]);
    let segments = set(&[
        "/People",
        "/People/{Person-id}",
        "/People/{Person-id}/Trips",
        "/People/{Person-id}/Trips/{Trip-id}",
    ]);
    assert_eq!(paths(&plain, None), parentheses);
    assert_eq!(paths(&tagged, None), segments);
    assert_eq!(paths(&plain, Some(true)), segments);
    assert_eq!(paths(&tagged, Some(false)), parentheses);
}

/// A composite key is addressed in parentheses with every part named (`(a=..,b='..')`), also
/// when single keys are segments; each part is a parameter, and methods are named as for a
/// single key.
#[test]
fn composite_keys_name_every_part() {
    let body = r#"<EntityType Name="OrderLine"><Key><PropertyRef Name="OrderId"/><PropertyRef Name="Product"/></Key>
<Property Name="OrderId" Type="Edm.Int32" Nullable="false"/>
<Property Name="Product" Type="Edm.String" Nullable="false"/></EntityType>
<EntityContainer Name="Service"><EntitySet Name="OrderLines" EntityType="ns.OrderLine"/></EntityContainer>"#;
    let dir = manifest_dir().join("../target/apigen-csdl-keys");
    std::fs::create_dir_all(&dir).unwrap();
    let text = csdl(body);
    let path = dir.join(format!("case-{:x}.xml", fxhash(&text)));
    std::fs::write(&path, text).unwrap();
    for key_as_segment in [None, Some(true)] {
        let (api, diags) = lower_with(&path, key_as_segment);
        assert!(diags.as_slice().is_empty(), "{:#?}", diags.as_slice());
        let api = api.unwrap();
        let get = api
            .operations
            .iter()
            .find(|o| o.method.as_str() == "GET" && o.path.contains('('))
            .expect("a path to one order line");
        assert_eq!(
            get.path,
            "/OrderLines(OrderId={OrderLine-OrderId},Product='{OrderLine-Product}')"
        );
        assert_eq!(get.name, "get_order_line");
        let params: Vec<&str> = get.params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(params, ["order_line_order_id", "order_line_product"]);
    }
}
