//! Polymorphic values (`poly`): decoded by their tag without losing the JSON path, nor the
//! position, of a value that fails inside them, wherever the tag is (first, after other
//! properties, missing), at any depth, in arrays and maps, for `@odata.type` and OpenAPI
//! discriminators alike.
// The types stand for generated models; the tests read only some of their fields.
#![allow(dead_code)]

mod common;

use std::collections::BTreeMap;

use apigen_runtime::decode::{self, ResponseMeta};
use apigen_runtime::json::{self, FromJson, Json, JsonError};
use apigen_runtime::{Bytes, Error, Method, StatusCode, model, poly};
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `FromJson` as the generator writes it for a struct: its fields listed by wire name (in
/// order), each required unless its type is an `Option`; other properties are skipped.
macro_rules! object {
    ($t:ident { $($field:ident : $wire:literal),* $(,)? }) => {
        impl FromJson for $t {
            fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
                $(let mut $field = None;)*
                model::read(value, stringify!($t), &mut [$(($wire, &mut $field)),*], &mut ())?;
                Ok(Self { $($field: model::required($field, $wire)?),* })
            }
        }
    };
}

// Graph's access package requests: `answers` are `accessPackageAnswer`s (tagged by
// `@odata.type`), each with an `answeredQuestion`, an `accessPackageQuestion`.

#[derive(Debug)]
struct Request {
    answers: Vec<AnyAnswer>,
}

#[derive(Debug)]
struct Answer {
    answered_question: Option<AnyQuestion>,
}

#[derive(Debug)]
struct AnswerString {
    value: Option<String>,
    answered_question: Option<AnyQuestion>,
}

#[derive(Debug)]
enum AnyAnswer {
    Answer(Box<Answer>),
    AnswerString(Box<AnswerString>),
    Unknown(Value),
}

#[derive(Debug)]
struct Question {
    is_required: Option<bool>,
}

#[derive(Debug)]
struct ChoiceQuestion {
    is_required: Option<bool>,
    choices: Vec<Choice>,
}

#[derive(Debug)]
struct Choice {
    actual_value: String,
}

#[derive(Debug)]
enum AnyQuestion {
    Question(Box<Question>),
    ChoiceQuestion(Box<ChoiceQuestion>),
    Unknown(Value),
}

object!(Request { answers: "answers" });
object!(Answer {
    answered_question: "answeredQuestion"
});
object!(AnswerString {
    answered_question: "answeredQuestion",
    value: "value"
});
object!(Question {
    is_required: "isRequired"
});
object!(ChoiceQuestion {
    choices: "choices",
    is_required: "isRequired"
});
object!(Choice {
    actual_value: "actualValue"
});

impl FromJson for AnyAnswer {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        let tag = poly::tag(&value, "@odata.type");
        Ok(match tag.as_deref().map(poly::normalize_odata_type) {
            None | Some("graph.answer") => Self::Answer(FromJson::from_json(value)?),
            Some("graph.answerString") => Self::AnswerString(FromJson::from_json(value)?),
            Some(_) => Self::Unknown(value.into()),
        })
    }
}

impl FromJson for AnyQuestion {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        let tag = poly::tag(&value, "@odata.type");
        Ok(match tag.as_deref().map(poly::normalize_odata_type) {
            None | Some("graph.question") => Self::Question(FromJson::from_json(value)?),
            Some("graph.choiceQuestion") => Self::ChoiceQuestion(FromJson::from_json(value)?),
            Some(_) => Self::Unknown(value.into()),
        })
    }
}

// An OpenAPI `discriminator` (`petType`), which services write anywhere in the object;
// pets in a map, and in arrays inside pets.

#[derive(Debug)]
struct Owner {
    pets: BTreeMap<String, AnyPet>,
}

#[derive(Debug)]
struct Dog {
    name: String,
    friends: Option<Vec<AnyPet>>,
}

#[derive(Debug)]
struct Cat {
    name: String,
    lives: u8,
}

#[derive(Debug)]
enum AnyPet {
    Dog(Box<Dog>),
    Cat(Box<Cat>),
    Unknown(Value),
}

object!(Owner { pets: "pets" });
object!(Dog {
    friends: "friends",
    name: "name"
});
object!(Cat {
    lives: "lives",
    name: "name"
});

impl FromJson for AnyPet {
    fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
        Ok(match poly::tag(&value, "petType").as_deref() {
            Some("dog") => Self::Dog(FromJson::from_json(value)?),
            Some("cat") => Self::Cat(FromJson::from_json(value)?),
            _ => Self::Unknown(value.into()),
        })
    }
}

macro_rules! deserialize_by_tag {
    ($($t:ty),*) => {$(
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                json::deserialize(d)
            }
        }
    )*};
}
deserialize_by_tag!(AnyAnswer, AnyQuestion, AnyPet);

fn meta() -> ResponseMeta {
    ResponseMeta {
        status: StatusCode::OK,
        headers: Default::default(),
        url: "http://127.0.0.1/beta/x".to_owned(),
        client_request_id: None,
    }
}

/// The path and message of the error `decode::json` gives for `body`.
fn decode_error<T: FromJson + std::fmt::Debug>(body: &str) -> (String, String) {
    match decode::json::<T>(&meta(), Bytes::from(body.to_owned())) {
        Err(Error::Decode(e)) => (e.path().to_owned(), e.message().to_owned()),
        other => panic!("expected a decode error for {body}, got {other:?}"),
    }
}

/// ` at line L column C` for the last character of `needle`, which occurs once in `text`
/// (where `serde_json` reports an error in a value: the end of it).
fn at_end_of(text: &str, needle: &str) -> String {
    assert_eq!(text.matches(needle).count(), 1, "{needle} in {text}");
    let before = &text[..text.find(needle).unwrap() + needle.len()];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
    format!(" at line {line} column {column}")
}

/// A wrong type inside a polymorphic value inside another, wherever the tags are: the path
/// goes down to the failing value and the position is the one of that value.
#[test]
fn errors_in_nested_odata_values_name_their_path_wherever_the_tags_are() {
    let bodies = [
        // Tags first, as OData services write them.
        r##"{"answers":[{"@odata.type":"#graph.answerString","value":"a","answeredQuestion":{"@odata.type":"#graph.question","isRequired":"yes"}}]}"##,
        // Tags after other properties, as Graph's documentation examples have them.
        r##"{"answers":[{"value":"a","answeredQuestion":{"isRequired":"yes","@odata.type":"#graph.question"},"@odata.type":"#graph.answerString"}]}"##,
        // No tags: the declared types.
        r##"{"answers":[{"answeredQuestion":{"isRequired":"yes"}}]}"##,
        // Pretty-printed, the inner tag last, the outer one between properties.
        "{\n  \"answers\": [\n    {\n      \"value\": \"a\",\n      \"@odata.type\": \"#graph.answerString\",\n      \"answeredQuestion\": {\n        \"isRequired\": \"yes\",\n        \"@odata.type\": \"#graph.question\"\n      }\n    }\n  ]\n}",
    ];
    for body in bodies {
        let (path, message) = decode_error::<Request>(body);
        assert_eq!(path, "answers[0].answeredQuestion.isRequired", "{body}");
        assert_eq!(
            message,
            format!(
                "invalid type: string \"yes\", expected a boolean{}",
                at_end_of(body, "\"yes\"")
            ),
            "{body}"
        );
    }
}

#[test]
fn errors_in_arrays_inside_polymorphic_values_name_the_element() {
    for body in [
        r##"{"answers":[{"@odata.type":"#graph.answer"},{"@odata.type":"#graph.answerString","answeredQuestion":{"@odata.type":"#graph.choiceQuestion","choices":[{"actualValue":"a"},{"actualValue":55555}]}}]}"##,
        r##"{"answers":[{},{"answeredQuestion":{"choices":[{"actualValue":"a"},{"actualValue":55555}],"@odata.type":"#graph.choiceQuestion"},"@odata.type":"#graph.answerString"}]}"##,
    ] {
        let (path, message) = decode_error::<Request>(body);
        assert_eq!(path, "answers[1].answeredQuestion.choices[1].actualValue");
        assert_eq!(
            message,
            format!(
                "invalid type: integer `55555`, expected a string{}",
                at_end_of(body, "55555")
            )
        );
    }

    // A missing property is reported at its object, positioned at its end.
    for body in [
        r##"{"answers":[{"@odata.type":"#graph.answer","answeredQuestion":{"@odata.type":"#graph.choiceQuestion","choices":[{"actualValue":"a"},{"x":1}]}}]}"##,
        r##"{"answers":[{"answeredQuestion":{"choices":[{"actualValue":"a"},{"x":1}],"@odata.type":"#graph.choiceQuestion"}}]}"##,
    ] {
        let (path, message) = decode_error::<Request>(body);
        assert_eq!(path, "answers[0].answeredQuestion.choices[1]");
        assert_eq!(
            message,
            format!(
                "missing field `actualValue`{}",
                at_end_of(body, r#"{"x":1}"#)
            )
        );
    }

    // Not an object where one is expected.
    let body =
        r##"{"answers":[{"answeredQuestion":"what?","@odata.type":"#graph.answerString"}]}"##;
    let (path, message) = decode_error::<Request>(body);
    assert_eq!(path, "answers[0].answeredQuestion");
    assert!(
        message.starts_with("invalid type: string \"what?\", expected an object (Question)"),
        "{message}"
    );
    assert!(
        message.ends_with(&at_end_of(body, "\"what?\"")),
        "{message}"
    );
}

/// OpenAPI discriminators come anywhere in the object; pets in a map hold pets in arrays,
/// each with its tag last.
#[test]
fn errors_in_discriminated_values_in_maps_and_arrays_name_their_path() {
    let body = r#"{"pets":{"fido":{"name":"Fido","petType":"dog"},"rex":{"name":"Rex","friends":[{"name":"Tom","lives":9,"petType":"cat"},{"name":"Kit","lives":"nine","petType":"cat"}],"petType":"dog"}}}"#;
    let (path, message) = decode_error::<Owner>(body);
    assert_eq!(path, "pets.rex.friends[1].lives");
    assert_eq!(
        message,
        format!(
            "invalid type: string \"nine\", expected u8{}",
            at_end_of(body, "\"nine\"")
        )
    );

    // The same with every tag first.
    let body = r#"{"pets":{"rex":{"petType":"dog","name":"Rex","friends":[{"petType":"cat","name":"Kit","lives":"nine"}]}}}"#;
    let (path, message) = decode_error::<Owner>(body);
    assert_eq!(path, "pets.rex.friends[0].lives");
    assert!(message.ends_with(&at_end_of(body, "\"nine\"")), "{message}");

    // An error in the tag's own value, when the chosen type reads it too.
    #[derive(Debug)]
    struct Strict {
        pet_type: u8,
    }
    object!(Strict {
        pet_type: "petType"
    });
    #[derive(Debug)]
    enum AnyStrict {
        Strict(Strict),
    }
    impl FromJson for AnyStrict {
        fn from_json(value: Json<'_>) -> Result<Self, JsonError> {
            FromJson::from_json(value).map(Self::Strict)
        }
    }
    let body = r#"{"items":[{"a":1,"petType":"dog"}]}"#;
    #[derive(Debug)]
    struct Items {
        items: Vec<AnyStrict>,
    }
    object!(Items { items: "items" });
    let (path, message) = decode_error::<Items>(body);
    assert_eq!(path, "items[0].petType");
    assert!(message.ends_with(&at_end_of(body, "\"dog\"")), "{message}");
}

/// Decoding a value by its tag keeps every property, in the order of the input, whatever
/// the position of the tag; values that are not objects go to the declared type.
#[test]
fn values_decode_the_same_wherever_the_tag_is() {
    for text in [
        r##"{"@odata.type":"#graph.answerString","value":"a","answeredQuestion":{"isRequired":true}}"##,
        r##"{"value":"a","answeredQuestion":{"isRequired":true},"@odata.type":"#graph.answerString"}"##,
        r##"{"value":"a","@odata.type":"graph.answerString","answeredQuestion":{"isRequired":true}}"##,
    ] {
        let answer: AnyAnswer = serde_json::from_str(text).unwrap();
        let AnyAnswer::AnswerString(answer) = answer else {
            panic!("{text}: {answer:?}")
        };
        assert_eq!(answer.value.as_deref(), Some("a"));
        assert!(matches!(
            answer.answered_question,
            Some(AnyQuestion::Question(ref q)) if q.is_required == Some(true)
        ));
    }

    // Unknown tags keep the whole value, the tag included, from a reader or from a `Value`.
    let text = r##"{"z":1,"@odata.type":"#graph.future","a":[1,{"b":null}]}"##;
    let AnyAnswer::Unknown(raw) = serde_json::from_str(text).unwrap() else {
        panic!("an unknown tag is kept raw")
    };
    assert_eq!(raw, serde_json::from_str::<Value>(text).unwrap());
    let from_value: AnyAnswer = serde_json::from_value(raw.clone()).unwrap();
    assert!(matches!(from_value, AnyAnswer::Unknown(ref v) if *v == raw));

    // A tag that is not a string names no type; the value keeps it.
    let AnyPet::Unknown(raw) = serde_json::from_value(json!({"petType": 3, "x": [true]})).unwrap()
    else {
        panic!("a value without a string tag goes to the fallback")
    };
    assert_eq!(raw, json!({"petType": 3, "x": [true]}));

    // Not an object: no tag.
    for text in ["3", "\"s\"", "true", "null", "[1]", "-2.5"] {
        let pet: AnyPet = serde_json::from_str(text).unwrap();
        assert!(
            matches!(pet, AnyPet::Unknown(ref v) if *v == serde_json::from_str::<Value>(text).unwrap()),
            "{text}: {pet:?}"
        );
    }
    let err = serde_json::from_str::<AnyAnswer>("\"s\"").unwrap_err();
    assert!(
        err.to_string().contains("expected an object (Answer)"),
        "{err}"
    );

    // A tag given twice counts once, the last time (as JSON parsers read objects).
    let pet: AnyPet =
        json::from_slice(br#"{"petType":"cat","name":"Tom","lives":9,"petType":"dog"}"#).unwrap();
    assert!(
        matches!(pet, AnyPet::Dog(ref d) if d.name == "Tom"),
        "{pet:?}"
    );
}

/// Without `decode::json` (plain `serde_json`), an error inside a polymorphic value still says
/// where in the value it is.
#[test]
fn plain_serde_json_errors_say_where_in_the_value() {
    let text = r##"{"answeredQuestion":{"isRequired":"yes"},"@odata.type":"#graph.answer"}"##;
    let err = serde_json::from_str::<AnyAnswer>(text).unwrap_err();
    assert!(
        err.to_string().starts_with(
            "answeredQuestion.isRequired: invalid type: string \"yes\", expected a boolean"
        ),
        "{err}"
    );
}

/// Over HTTP: the decode error of a polymorphic body in Graph's key order names the failing
/// value.
#[tokio::test]
async fn decode_errors_over_http_name_the_value_inside_polymorphic_answers() {
    let server = MockServer::start().await;
    let body = r##"{"id":"1","answers":[{"value":"Arizona","answeredQuestion":{"id":"q","isRequired":"yes","@odata.type":"#graph.choiceQuestion","choices":[]},"@odata.type":"#graph.answerString"}]}"##;
    Mock::given(method("GET"))
        .and(path("/beta/requests/1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let err = common::client(&server)
        .request(Method::GET, "/requests/1", decode::json::<Request>)
        .await
        .unwrap_err();
    let Error::Decode(decode_err) = &err else {
        panic!("expected Error::Decode, got {err:?}");
    };
    assert_eq!(decode_err.path(), "answers[0].answeredQuestion.isRequired");
    assert_eq!(
        decode_err.message(),
        format!(
            "invalid type: string \"yes\", expected a boolean{}",
            at_end_of(body, "\"yes\"")
        )
    );
    assert_eq!(decode_err.body().as_ref(), body.as_bytes());
    assert!(
        err.to_string()
            .contains("at `answers[0].answeredQuestion.isRequired`")
    );
}
