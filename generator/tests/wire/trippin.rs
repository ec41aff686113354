//! The OData reference service's CSDL (`tests/real-specs/trippin.csdl.xml`) through its generated
//! client against a loopback HTTP server: entities addressed by key in parentheses (a string key
//! quoted, a `'` in it doubled; numeric keys bare), a function import's arguments, a media
//! entity's content, and a person as the TripPin tutorial shows one. Run by `tests/wire.rs` as
//! the fixture crate's own test.

use apigen_runtime::types::Double;
use serde_json::json;
use wire_trippin::Client;
use wire_trippin::models::{AnyLocation, PersonGender};
use wiremock::matchers::{body_bytes, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).build().unwrap()
}

/// `GET People('russellwhyte')` as OData's TripPin tutorial answers it.
#[tokio::test]
async fn a_person_by_string_key_in_quotes() {
    let body = json!({
        "@odata.context": "http://services.odata.org/V4/TripPinServiceRW/$metadata#People/$entity",
        "@odata.id": "http://services.odata.org/V4/TripPinServiceRW/People('russellwhyte')",
        "@odata.etag": "W/\"08D1D5BD423E5158\"",
        "@odata.editLink": "http://services.odata.org/V4/TripPinServiceRW/People('russellwhyte')",
        "UserName": "russellwhyte",
        "FirstName": "Russell",
        "LastName": "Whyte",
        "Emails": ["Russell@example.com", "Russell@contoso.com"],
        "AddressInfo": [{
            "Address": "187 Suffolk Ln.",
            "City": {"CountryRegion": "United States", "Name": "Boise", "Region": "ID"}
        }],
        "Gender": "Male",
        "Concurrency": 635404796846280400i64
    });
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/People('russellwhyte')"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/People('O''Neil')"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let person = client.get_person("russellwhyte").await.unwrap();
    assert_eq!(person.first_name.as_deref(), Some("Russell"));
    assert_eq!(person.gender.value(), Some(&PersonGender::Male));
    let address = person.address_info.value().unwrap()[0].as_ref().unwrap();
    let AnyLocation::Location(location) = address else {
        panic!("a location without a type tag is the declared type: {address:?}")
    };
    let city = location.city.as_ref().expect("a city");
    assert_eq!(city.name.as_deref(), Some("Boise"));
    assert_eq!(person.concurrency, Some(635404796846280400));
    // The value is the key's literal: its `'` doubled.
    let err = client.get_person("O'Neil").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
}

/// Numeric keys are bare; a function import takes its arguments in its segment.
#[tokio::test]
async fn numeric_keys_and_function_arguments() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/Me/Trips(1003)"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "TripId": 1003, "Name": "Trip in Beijing", "Budget": 2000,
            "StartsAt": "2014-02-01T00:00:00Z", "EndsAt": "2014-02-04T00:00:00Z", "Tags": []
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/GetNearestAirport(lat=33.5,lon=-118.25)"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "IcaoCode": "KLAX", "Name": "Los Angeles International Airport", "IataCode": "LAX"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let trip = client.get_me_trip(1003).await.unwrap();
    assert_eq!(trip.name.as_deref(), Some("Trip in Beijing"));
    let airport = client
        .get_nearest_airport(&Double(33.5), &Double(-118.25))
        .await
        .unwrap();
    assert_eq!(airport.iata_code.as_deref(), Some("LAX"));
}

/// `Photo` is a media entity: its content is read and replaced as bytes at `$value`.
#[tokio::test]
async fn a_media_entity_content_is_bytes() {
    let jpeg: &[u8] = &[0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10];
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/Photos(7)/$value"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(jpeg, "image/jpeg"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/Photos(7)/$value"))
        .and(header("content-type", "application/octet-stream"))
        .and(body_bytes(jpeg))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let content = client.get_photo_content(7).await.unwrap();
    assert_eq!(&content[..], jpeg);
    client
        .replace_photo_content(7, jpeg.to_vec())
        .await
        .unwrap();
}
