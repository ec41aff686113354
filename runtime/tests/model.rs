//! The compact model (de)serialization generated structs use behaves like the
//! `#[derive(Serialize, Deserialize)]` with `default`, `skip_serializing_if` and `flatten` it
//! replaces.

use std::collections::BTreeMap;

use apigen_runtime::Nullable;
use apigen_runtime::json::{self, FromJson, Json, JsonError};
use apigen_runtime::model::{self, Required};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Value, json};

/// Written the way the generator writes a struct: required, required-nullable, optional and
/// optional-nullable fields and a property bag.
#[derive(Debug, Clone, PartialEq)]
struct Item {
    id: String,
    parent: Option<String>,
    size: Option<i64>,
    description: Nullable<String>,
    child: Option<Box<Item>>,
    rest: BTreeMap<String, Value>,
}

impl FromJson for Item {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        let mut f0 = None;
        let mut f1 = None;
        let mut f2 = None;
        let mut f3 = None;
        let mut f4 = None;
        let mut rest = BTreeMap::new();
        model::read(
            value,
            "Item",
            &mut [
                ("child", &mut f4),
                ("description", &mut f3),
                ("id", &mut f0),
                ("parent", &mut f1),
                ("size", &mut f2),
            ],
            &mut rest,
        )?;
        Ok(Self {
            id: model::required(f0, "id")?,
            parent: model::required(f1, "parent")?,
            size: f2.unwrap_or_default(),
            description: f3.unwrap_or_default(),
            child: f4.unwrap_or_default(),
            rest,
        })
    }
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        json::deserialize(d)
    }
}

impl Serialize for Item {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        model::write(
            s,
            &[
                ("id", &Required(&self.id)),
                ("parent", &Required(&self.parent)),
                ("size", &self.size),
                ("description", &self.description),
                ("child", &self.child),
            ],
            &self.rest,
        )
    }
}

/// A struct without a property bag: unknown properties are skipped.
#[derive(Debug, PartialEq)]
struct Closed {
    n: i32,
}

impl FromJson for Closed {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        let mut f0 = None;
        model::read(value, "Closed", &mut [("n", &mut f0)], &mut ())?;
        Ok(Self {
            n: model::required(f0, "n")?,
        })
    }
}

impl<'de> Deserialize<'de> for Closed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        json::deserialize(d)
    }
}

#[test]
fn fields_in_any_order_and_unknown_ones_kept_in_order_of_declaration_then_bag() {
    let text = r#"{"zeta":1,"size":3,"id":"a","parent":null,"alpha":{"x":[1]}}"#;
    let item: Item = serde_json::from_str(text).unwrap();
    assert_eq!(item.id, "a");
    assert_eq!(item.parent, None);
    assert_eq!(item.size, Some(3));
    assert!(item.description.is_absent());
    assert_eq!(item.rest["zeta"], json!(1));
    assert_eq!(item.rest["alpha"], json!({"x": [1]}));
    assert_eq!(
        serde_json::to_string(&item).unwrap(),
        r#"{"id":"a","parent":null,"size":3,"alpha":{"x":[1]},"zeta":1}"#
    );
}

#[test]
fn a_missing_required_field_is_an_error_but_a_missing_required_option_is_none() {
    let err = serde_json::from_str::<Item>(r#"{"parent":"p"}"#).unwrap_err();
    assert!(err.to_string().starts_with("missing field `id`"), "{err}");
    let item: Item = serde_json::from_str(r#"{"id":"a"}"#).unwrap();
    assert_eq!(item.parent, None);
}

#[test]
fn null_and_absent_are_told_apart_for_nullable_fields() {
    let null: Item = serde_json::from_str(r#"{"id":"a","description":null}"#).unwrap();
    assert_eq!(null.description, Nullable::Null);
    assert_eq!(
        serde_json::to_string(&null).unwrap(),
        r#"{"id":"a","parent":null,"description":null}"#
    );
    let absent: Item = serde_json::from_str(r#"{"id":"a"}"#).unwrap();
    assert_eq!(absent.description, Nullable::Absent);
    assert_eq!(
        serde_json::to_string(&absent).unwrap(),
        r#"{"id":"a","parent":null}"#
    );
}

#[test]
fn a_field_given_twice_counts_once_the_last_time_as_json_parsers_read_it() {
    let item: Item = serde_json::from_str(r#"{"id":"a","id":"b"}"#).unwrap();
    assert_eq!(item.id, "b");
}

#[test]
fn type_errors_name_the_path_of_the_value() {
    let text = r#"{"id":"a","child":{"id":"b","size":"big"}}"#;
    let err = json::from_slice::<Item>(text.as_bytes()).unwrap_err();
    assert_eq!(err.path(), "child.size");
    assert!(err.message().contains("expected i64"), "{err}");
    // Through `Deserialize`, the path leads the message.
    let err = serde_json::from_str::<Item>(text).unwrap_err();
    assert!(
        err.to_string().starts_with("child.size: invalid type"),
        "{err}"
    );
}

#[test]
fn a_non_object_is_an_error_naming_the_type() {
    let err = serde_json::from_str::<Item>("[1]").unwrap_err();
    assert!(err.to_string().contains("an object (Item)"), "{err}");
}

#[test]
fn unknown_fields_are_skipped_without_a_bag() {
    let c: Closed = serde_json::from_str(r#"{"x":{"deep":[1,2,{"y":null}]},"n":4}"#).unwrap();
    assert_eq!(c, Closed { n: 4 });
}

#[test]
fn escaped_property_names_match() {
    // `\u0069d` is `id`: the key is decoded (owned) before it is compared.
    let item: Item = serde_json::from_str(r#"{"\u0069d":"a"}"#).unwrap();
    assert_eq!(item.id, "a");
}

#[test]
fn values_round_trip_through_serde_json_value() {
    let v = json!({"id":"a","parent":"p","child":{"id":"b","parent":null,"k":true}});
    let item: Item = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(serde_json::to_value(&item).unwrap(), v);
}

#[test]
fn the_first_serialization_error_is_returned() {
    // A map with non-string keys cannot be a JSON object key: serde_json fails on it.
    #[derive(Debug)]
    struct Bad;
    impl Serialize for Bad {
        fn serialize<S: Serializer>(&self, _s: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("bad value"))
        }
    }
    struct Holder;
    impl Serialize for Holder {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            model::write(
                s,
                &[
                    ("a", &Required(&1)),
                    ("b", &Required(&Bad)),
                    ("c", &Required(&2)),
                ],
                &(),
            )
        }
    }
    let err = serde_json::to_string(&Holder).unwrap_err();
    assert_eq!(err.to_string(), "bad value");
}
