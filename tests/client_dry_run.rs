//! A client's dry run (`prepare_<operation>`) is exactly what its call sends: the same method,
//! path, body bytes and headers reach the recording server when the call is made with the same
//! request (seeds whose signing recipes generate no timestamp or nonce, so both are
//! deterministic). Refused requests are refused by the dry run with the same field errors.

mod support;

use paygen_runtime::engine::PreparedRequest;
use paygen_runtime::CardNumber;
use support::{Recorded, Reply, Server};

/// Asserts that `sent` is `dry`: method, path, body bytes, and every header the dry run lists
/// with the same value (the HTTP client adds its own, such as `content-length` and `host`).
fn assert_sent_as_prepared(dry: &PreparedRequest, sent: &Recorded) {
    assert_eq!(dry.method.as_str(), sent.method, "method");
    let path = dry
        .url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .expect("the dry run's URL has a path");
    assert_eq!(path, sent.path, "path");
    assert_eq!(dry.body, sent.body, "body bytes");
    assert!(!dry.headers.is_empty(), "the dry run lists its headers");
    for (name, value) in &dry.headers {
        assert_eq!(sent.header(name), Some(value.as_str()), "header `{name}`");
    }
}

#[tokio::test]
async fn a_signed_payout_is_sent_as_its_dry_run() {
    let server = Server::start(vec![Reply::json(200, r#"{"status":"ok"}"#)]).await;
    let client = support::cactusgino::client(&server);
    let request = support::cactusgino::card_payout();
    let dry = client.prepare_payout(&request).expect("dry run");
    let _answer = client.payout(&request).await;
    assert_sent_as_prepared(&dry, &server.only());
    assert!(dry.body.windows(9).any(|w| w == b"signature"), "signed");
}

#[tokio::test]
async fn a_card_charge_is_sent_as_its_dry_run() {
    let server = Server::start(vec![Reply::json(200, "{}")]).await;
    let client = support::global_solutions::client(&server);
    let request = support::global_solutions::charge("4242424242424242", "123", "EUR", 1000);
    let dry = client.prepare_charge_card(&request).expect("dry run");
    let _answer = client.charge_card(&request).await;
    assert_sent_as_prepared(&dry, &server.only());
}

#[tokio::test]
async fn a_payout_with_its_phone_in_a_nested_type_is_sent_as_its_dry_run() {
    let server = Server::start(vec![Reply::json(200, "{}")]).await;
    let client = support::cabbagino::client(&server);
    let phone = paygen_connectors::cabbagino::Phone994::new("994501234567").expect("phone");
    let request = support::cabbagino::emanat_payout(phone);
    let dry = client.prepare_payout(&request).expect("dry run");
    let _answer = client.payout(&request).await;
    assert_sent_as_prepared(&dry, &server.only());
}

#[tokio::test]
async fn a_refused_request_is_refused_by_the_dry_run_with_the_same_errors() {
    let server = Server::start(vec![]).await;
    let client = support::cactusgino::client(&server);
    let mut request = support::cactusgino::card_payout();
    if let paygen_connectors::cactusgino::PayoutAdditionalFields::Card(card) =
        &mut request.additional_fields
    {
        card.card_number = CardNumber::new("4242424242424241");
    }
    let dry = support::field_errors(client.prepare_payout(&request));
    let call = support::field_errors(client.payout(&request).await);
    assert!(!dry.is_empty(), "the bad card number is named");
    assert_eq!(dry, call);
    assert!(server.seen().is_empty(), "nothing sent");
}
