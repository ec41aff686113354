//! Every request and response body of Graph's documentation examples decodes into the generated
//! models and encodes back to the same JSON value: no field is lost, explicit `null`s stay
//! `null`, unknown properties (`@odata.context`) are kept, polymorphic `answers` keep their
//! `@odata.type`.

use msgraph_beta_entitlement::models::{
    AccessPackageAssignmentRequest, AnyAccessPackageAnswer, AnyAccessPackageQuestion,
};
use msgraph_beta_entitlement::{Nullable, Page};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn round_trip<T: DeserializeOwned + Serialize>(name: &str, text: &str) -> T {
    let original: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let decoded: T =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{name} does not decode: {e}"));
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(encoded, original, "{name} changed in a round trip");
    decoded
}

macro_rules! fixture {
    ($name:literal) => {
        ($name, include_str!(concat!("fixtures/", $name)))
    };
}

#[test]
fn assignment_request_bodies_round_trip() {
    for (name, text) in [
        fixture!("seed.request.json"),
        fixture!("seed.response-201.json"),
        fixture!("post-adminadd.request.json"),
        fixture!("post-adminadd.response-201.json"),
        fixture!("post-adminadd-new-user.request.json"),
        fixture!("post-useradd-answers.request.json"),
        fixture!("post-useradd-answers.response-201.json"),
        fixture!("post-justification.request.json"),
        fixture!("post-justification.response-201.json"),
        fixture!("post-adminremove.request.json"),
        fixture!("post-adminremove.response-201.json"),
    ] {
        round_trip::<AccessPackageAssignmentRequest>(name, text);
    }
}

#[test]
fn list_page_round_trips() {
    let (name, text) = fixture!("list.response-200.json");
    let page: Page<AccessPackageAssignmentRequest> = round_trip(name, text);
    assert_eq!(page.value.len(), 1);
    let request = &page.value[0];
    assert_eq!(request.request_state.as_deref(), Some("PendingApproval"));
    assert_eq!(
        request
            .created_date_time
            .value()
            .map(ToString::to_string)
            .as_deref(),
        Some("2019-10-25T22:55:11.623Z")
    );
    let requestor = request.requestor.value().expect("expanded requestor");
    assert_eq!(requestor.email.as_deref(), Some("displayname@example.com"));
    let org = requestor
        .connected_organization
        .value()
        .expect("expanded organization");
    // A stub type: its undeclared properties are kept.
    assert_eq!(org.additional_properties["displayName"], "example");
}

#[test]
fn polymorphic_answers_decode_by_odata_type() {
    let (name, text) = fixture!("post-useradd-answers.response-201.json");
    let created: AccessPackageAssignmentRequest = round_trip(name, text);
    let Nullable::Value(answers) = &created.answers else {
        panic!("answers missing")
    };
    assert_eq!(answers.len(), 2);
    let Some(AnyAccessPackageAnswer::AccessPackageAnswerString(first)) = &answers[0] else {
        panic!("first answer is not a string answer: {:?}", answers[0])
    };
    assert_eq!(first.value.as_deref(), Some("Arizona"));
    match first.answered_question.value() {
        Some(AnyAccessPackageQuestion::AccessPackageMultipleChoiceQuestion(q)) => {
            let choices = q.choices.value().expect("choices");
            assert_eq!(choices.len(), 3);
            let first_choice = choices[0].as_ref().expect("a choice, not null");
            assert_eq!(first_choice.actual_value.as_deref(), Some("AZ"));
            assert_eq!(q.allows_multiple_selection, Nullable::Value(false));
        }
        other => panic!("expected a multiple choice question, got {other:?}"),
    }
    let Some(AnyAccessPackageAnswer::AccessPackageAnswerString(second)) = &answers[1] else {
        panic!("second answer is not a string answer")
    };
    assert!(matches!(
        second.answered_question.value(),
        Some(AnyAccessPackageQuestion::AccessPackageTextInputQuestion(q)) if q.is_single_line_question == Nullable::Value(false)
    ));
}

#[test]
fn explicit_nulls_are_kept() {
    let (name, text) = fixture!("post-justification.response-201.json");
    let created: AccessPackageAssignmentRequest = round_trip(name, text);
    assert!(created.expiration_date_time.is_null());
    let schedule = created.schedule.value().expect("schedule");
    assert!(schedule.start_date_time.is_null());
    assert!(schedule.recurrence.is_null());
    let expiration = schedule.expiration.value().expect("expiration");
    assert!(
        expiration.end_date_time.is_null()
            && expiration.duration.is_null()
            && expiration.r#type.is_null()
    );
}

#[test]
fn unknown_properties_are_kept() {
    let (name, text) = fixture!("post-adminremove.response-201.json");
    let created: AccessPackageAssignmentRequest = round_trip(name, text);
    assert_eq!(
        created.additional_properties["@odata.context"],
        "https://graph.microsoft.com/beta/$metadata#accessPackageAssignmentRequests/$entity"
    );
}

#[test]
fn error_body_round_trips() {
    let (name, text) = fixture!("error.example.json");
    let error: msgraph_beta_entitlement::runtime::odata::ODataError = round_trip(name, text);
    assert_eq!(error.error.code, "invalidRange");
}
