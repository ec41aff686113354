//! `null` wherever `tests/fixtures/nullable-refs.yaml` allows it, through its generated client
//! against a loopback HTTP server: responses decode, and what is decoded (or built) goes back on
//! the wire as the same JSON. Run by `tests/wire.rs` as the fixture crate's own test.

use serde_json::{Value, json};
use wire_nullable_refs::models::{
    Group, GroupOwnersItem, Issue, NullableOwner, NullableSimpleUser, NullableState, SimpleUser,
    Team,
};
use wire_nullable_refs::{Client, Error, Nullable};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn serve(verb: &str, route: &str, status: u16, body: &Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).build().unwrap()
}

fn user(login: &str) -> NullableSimpleUser {
    NullableSimpleUser {
        login: login.into(),
        ..Default::default()
    }
}

/// An issue of GitHub's `search/issues` documentation example, trimmed to the fixture's
/// properties: `assignee`, `milestone`, `closed_by`... are `null` there, as the live API sends them.
fn issue_with_nulls() -> Value {
    json!({
        "id": 1,
        "assignee": null,
        "user": null,
        "license": null,
        "assignees": [{"login": "octocat", "id": 1}, null],
        "labels": null,
        "tags": null,
        "state": null,
        "owner": null,
        "team": null,
        "closed_by": null,
        "milestone": null,
        "derived": {"name": "d"},
        "reviewers": {"ann": null, "bob": {"login": "bob"}},
        "reactions": {"total": 2, "+1": null, "heart": {"login": "ann"}},
        "either": null,
        "described_assignee": null,
        "reviewer": null
    })
}

fn issue_with_values() -> Value {
    json!({
        "id": 2,
        "assignee": {"login": "octocat", "id": 1},
        "user": {"login": "hubot"},
        "license": {"key": "mit", "name": "MIT License"},
        "assignees": [],
        "labels": {"bug": "red"},
        "tags": ["a"],
        "state": "open",
        "owner": {"login": "octocat"},
        "team": {"slug": "core"},
        "closed_by": {"login": "hubot"},
        "milestone": {"number": 3, "title": "v1"},
        "derived": {"id": "e1", "name": "d"},
        "either": {"slug": "core"},
        "described_assignee": {"login": "octocat"},
        "reviewer": {"login": "hubot"}
    })
}

#[tokio::test]
async fn references_to_nullable_components_decode_null_and_write_it_back() {
    let body = json!({"total_count": 2, "items": [issue_with_nulls(), issue_with_values()]});
    let server = serve("GET", "/search/issues", 200, &body).await;
    let found = client(&server).search_issues().await.unwrap();

    let nulls: &Issue = &found.items[0];
    // Required properties whose component is nullable: an object, a map, an array, an enum, a
    // oneOf union, an anyOf with a null member, an alias of a nullable object, an allOf
    // composition.
    assert_eq!(nulls.assignee, None);
    assert_eq!(nulls.user, None);
    assert_eq!(nulls.labels, None);
    assert_eq!(nulls.tags, None);
    assert_eq!(nulls.state, None);
    assert_eq!(nulls.owner, None);
    assert_eq!(nulls.team, None);
    assert_eq!(nulls.closed_by, None);
    assert_eq!(nulls.milestone, None);
    // A reference with `nullable: true` beside it.
    assert_eq!(nulls.reviewer, None);
    // Optional ones: `null`, not absent.
    assert!(nulls.license.is_null());
    assert!(nulls.either.is_null());
    assert!(nulls.described_assignee.is_null());
    // Array items, map values and additional properties.
    assert_eq!(nulls.assignees[1], None);
    assert_eq!(nulls.assignees[0].as_ref().unwrap().login, "octocat");
    let reviewers = nulls.reviewers.as_ref().unwrap();
    assert_eq!(reviewers["ann"], None);
    assert_eq!(reviewers["bob"], Some(user("bob")));
    let reactions = nulls.reactions.as_ref().unwrap();
    assert_eq!(reactions.additional_properties["+1"], None);
    assert_eq!(reactions.additional_properties["heart"], Some(user("ann")));

    let values: &Issue = &found.items[1];
    assert_eq!(values.assignee.as_ref().unwrap().id, Some(1));
    assert_eq!(values.state, Some(NullableState::Open));
    assert!(matches!(&values.owner, Some(NullableOwner::SimpleUser(u)) if u.login == "octocat"));
    assert_eq!(values.milestone.as_ref().unwrap().number, 3);
    assert_eq!(values.license.value().unwrap().key, "mit");
    assert_eq!(values.derived.id.as_deref(), Some("e1"));
    assert_eq!(values.reviewer.as_ref().unwrap().login, "hubot");

    // Read-modify-write loses nothing: `null` stays `null`, absent stays absent.
    assert_eq!(serde_json::to_value(&found).unwrap(), body);
}

#[tokio::test]
async fn a_type_derived_from_a_nullable_base_is_not_nullable() {
    let mut issue = issue_with_values();
    issue["derived"] = Value::Null;
    let body = json!({"total_count": 1, "items": [issue]});
    let server = serve("GET", "/search/issues", 200, &body).await;
    let Err(Error::Decode(e)) = client(&server).search_issues().await else {
        panic!("`derived: null` must not decode: its type only inherits from a nullable one")
    };
    assert!(
        e.path().contains("derived"),
        "{}: {}",
        e.path(),
        e.message()
    );
}

#[tokio::test]
async fn a_response_body_that_may_be_null_is_an_option() {
    let server = serve("GET", "/license", 200, &Value::Null).await;
    assert_eq!(client(&server).get_license().await.unwrap(), None);

    // No body at all means the same (OData answers `204 No Content` for a null result).
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/license"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    assert_eq!(client(&server).get_license().await.unwrap(), None);

    let server = serve("GET", "/license", 200, &json!({"key": "mit"})).await;
    let license = client(&server).get_license().await.unwrap().unwrap();
    assert_eq!(license.key, "mit");
}

/// Graph's idioms: `items: {anyOf: [$ref, {type: object, nullable: true}]}` is a collection that
/// may hold `null`; the same anyOf on a property is a nullable property.
#[tokio::test]
async fn array_items_that_may_be_null_go_out_and_come_back() {
    let group = Group {
        id: "g1".into(),
        members: Some(vec![
            Some(SimpleUser {
                login: "ann".into(),
                ..Default::default()
            }),
            None,
        ]),
        manager: Nullable::Null,
        owners: Some(vec![
            None,
            Some(GroupOwnersItem::Team(Team {
                slug: "core".into(),
                ..Default::default()
            })),
        ]),
        nicknames: Some(vec![Some("a".into()), None]),
        deputies: Some(vec![None]),
        states: Some(vec![None, Some(NullableState::Closed)]),
        ..Default::default()
    };
    let wire = json!({
        "id": "g1",
        "members": [{"login": "ann"}, null],
        "manager": null,
        "owners": [null, {"slug": "core"}],
        "nicknames": ["a", null],
        "deputies": [null],
        "states": [null, "closed"]
    });
    let server = serve("POST", "/groups", 201, &wire).await;
    let created = client(&server).create_group(&group).await.unwrap();

    let sent: Value = serde_json::from_slice(&server.received_requests().await.unwrap()[0].body)
        .expect("a JSON body");
    assert_eq!(sent, wire);
    assert_eq!(created, group);
    assert_eq!(serde_json::to_value(&created).unwrap(), wire);

    // A nullable member with an object example holds objects; `null` is still allowed.
    let with_object: Group =
        serde_json::from_value(json!({"id": "g3", "custom_value": {"foo": "bar"}})).unwrap();
    assert_eq!(
        serde_json::to_value(&with_object).unwrap()["custom_value"],
        json!({"foo": "bar"})
    );
    let with_null: Group = serde_json::from_value(json!({"id": "g4", "custom_value": null})).unwrap();
    assert_eq!(
        serde_json::to_value(&with_null).unwrap()["custom_value"],
        Value::Null
    );

    // Items the description does not allow to be null still refuse it.
    let refused = serde_json::from_value::<Group>(json!({"id": "g2", "aliases": ["a", null]}));
    assert!(refused.is_err());
}
