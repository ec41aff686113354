//! Path templates are filled safely: every parameter is one encoded segment.

use apigen_runtime::Error;
use apigen_runtime::path::expand;

#[test]
fn parameters_are_encoded_and_cannot_add_segments() {
    assert_eq!(
        expand("/a/{x}/b/{y}", &[("x", "1/2"), ("y", "?#%")]).unwrap(),
        "/a/1%2F2/b/%3F%23%25"
    );
    assert_eq!(
        expand("/a/{x}", &[("x", "é ü")]).unwrap(),
        "/a/%C3%A9%20%C3%BC"
    );
}

#[test]
fn the_same_parameter_may_appear_twice_and_order_of_pairs_does_not_matter() {
    assert_eq!(
        expand("/{b}/{a}/{b}", &[("a", "1"), ("b", "2")]).unwrap(),
        "/2/1/2"
    );
}

#[test]
fn empty_and_dot_segments_are_rejected_naming_the_parameter() {
    for bad in ["", ".", ".."] {
        match expand("/users/{user-id}", &[("user-id", bad)]) {
            Err(Error::InvalidPathParameter { name, .. }) => assert_eq!(name, "user-id"),
            other => panic!("{bad:?}: {other:?}"),
        }
    }
}

#[test]
fn quoted_parameters_are_odata_string_literals() {
    assert_eq!(
        expand("/f(on='{on}')", &[("on", "it's")]).unwrap(),
        "/f(on='it''s')"
    );
    // An empty string is a valid literal.
    assert_eq!(expand("/f(on='{on}')", &[("on", "")]).unwrap(), "/f(on='')");
    // Encoded like a segment: `/` cannot escape the literal.
    assert_eq!(
        expand("/f(p='{p}')", &[("p", "a/b")]).unwrap(),
        "/f(p='a%2Fb')"
    );
}

#[test]
fn placeholders_without_a_value_and_unclosed_braces_are_kept() {
    assert_eq!(expand("/a/{x}/{y}", &[("x", "1")]).unwrap(), "/a/1/{y}");
    assert_eq!(expand("/a('{q}')", &[]).unwrap(), "/a('{q}')");
    assert_eq!(expand("/a/{x", &[("x", "1")]).unwrap(), "/a/{x");
    assert_eq!(expand("/plain", &[]).unwrap(), "/plain");
}
