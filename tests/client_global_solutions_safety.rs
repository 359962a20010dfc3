//! Safety tests of the generated Global Solutions client on 127.0.0.1: invalid input never
//! leaves the process, Content-HMAC notifications verify and parse, and card data and secrets
//! never show in `Debug`. A payout without an answer: `tests/client_unknown_outcome.rs`.

mod support;

use paygen_connectors::global_solutions::*;
use paygen_runtime::http::{HeaderMap, HeaderValue};
use paygen_runtime::signing::{self, SignInput};
use paygen_runtime::{CardNumber, Decimal, Error, MinorUnits, Pii, Secret};
use support::global_solutions::{charge, client, credentials};
use support::{assert_names, config, field_errors, short_timeout, Reply, Server};

const OFFICIAL_BODY: &str = r#"{"transactionId":512,"amount":30.45,"currency":"EUR"}"#;
const OFFICIAL_HMAC: &str =
    "MzVkMzBlMTdmMmVkNGJkNjFhMzFmNTdhODU0ZGQwZTYwZGU5MDg5MDRiODYyMTAzZmI0ZDAzMjRiMWJmNmM3Mw==";

fn good_charge() -> ChargeCardRequest {
    charge("4242424242424242", "123", "EUR", 4011)
}

/// Runs a charge against a fresh server and returns the errors; asserts nothing was sent.
async fn rejected(request: ChargeCardRequest) -> Vec<(String, String)> {
    let server = Server::start(vec![]).await;
    let result = client(&server).charge_card(&request).await;
    let errors = field_errors(result);
    assert!(
        server.seen().is_empty(),
        "a request was sent: {:?}",
        server.seen()
    );
    errors
}

#[tokio::test]
async fn luhn_failure_is_refused_before_sending() {
    let errors = rejected(charge("4242424242424241", "123", "EUR", 4011)).await;
    assert_eq!(
        errors,
        vec![("card.pan".to_string(), "card_number".to_string())]
    );
}

#[tokio::test]
async fn unknown_currency_is_refused_before_sending() {
    let errors = rejected(charge("4242424242424242", "123", "EUX", 4011)).await;
    assert_names(&errors, "currency", "currency");
    // The amount cannot be written without the currency's exponent, so it is named too.
    assert_eq!(
        errors,
        vec![
            ("currency".to_string(), "currency".to_string()),
            ("amount".to_string(), "currency".to_string())
        ]
    );
}

#[tokio::test]
async fn negative_amount_is_refused_before_sending() {
    let errors = rejected(charge("4242424242424242", "123", "EUR", -1)).await;
    assert_eq!(errors, vec![("amount".to_string(), "range".to_string())]);
}

#[tokio::test]
async fn empty_required_string_counts_as_missing() {
    let request = ChargeCardRequest {
        description: String::new(),
        ..good_charge()
    };
    let errors = rejected(request).await;
    assert_eq!(
        errors,
        vec![("description".to_string(), "required".to_string())]
    );
}

#[tokio::test]
async fn every_bad_field_is_named_at_once() {
    let mut request = charge("1234567812345678", "12", "XXX", -500);
    request.description = "  ".into();
    request.card.expiry_month = 13;
    request.account_id = "not-an-email".into();
    let errors = rejected(request).await;
    for (path, rule) in [
        ("amount", "range"),
        ("currency", "currency"),
        ("description", "required"),
        ("accountId", "email"),
        ("card.pan", "card_number"),
        ("card.cvv", "pattern"),
        ("card.expiryMonth", "range"),
    ] {
        assert_names(&errors, path, rule);
    }
    assert_names(&errors, "amount", "currency");
    assert_eq!(errors.len(), 8, "{errors:?}");
}

#[tokio::test]
async fn validation_message_names_the_rule_without_echoing_the_value() {
    let server = Server::start(vec![]).await;
    let result = client(&server)
        .charge_card(&charge("4242424242424241", "123", "EUR", 4011))
        .await;
    let Err(Error::InvalidRequest(errs)) = result else {
        panic!("expected InvalidRequest, got {result:?}");
    };
    let text = errs.to_string();
    assert!(text.contains("card.pan"), "{text}");
    assert!(text.contains("Luhn"), "{text}");
    assert!(!text.contains("4242424242424241"), "{text}");
    assert!(server.seen().is_empty());
}

fn signed_headers(signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        "Content-HMAC",
        HeaderValue::from_str(signature).expect("header"),
    );
    headers.insert("Content-Type", HeaderValue::from_static("application/json"));
    headers
}

#[test]
fn official_content_hmac_vector_verifies() {
    let event = verify_webhook(
        &credentials(),
        &signed_headers(OFFICIAL_HMAC),
        OFFICIAL_BODY.as_bytes(),
    )
    .expect("official vector verifies");
    let WebhookEvent::Other(other) = event else {
        panic!("expected Other, got {event:?}");
    };
    assert_eq!(other.transaction_id, Some(512));
    assert_eq!(other.amount, Decimal::parse("30.45"));
    assert_eq!(other.currency.as_deref(), Some("EUR"));
}

#[test]
fn tampered_body_or_wrong_header_is_bad_signature() {
    let tampered = OFFICIAL_BODY.replace("30.45", "30.46");
    let wrong_sig = OFFICIAL_HMAC.replacen('M', "N", 1);
    let mut renamed = HeaderMap::new();
    renamed.insert("X-HMAC", HeaderValue::from_static(OFFICIAL_HMAC));
    let cases = [
        (signed_headers(OFFICIAL_HMAC), tampered.as_bytes()),
        (signed_headers(&wrong_sig), OFFICIAL_BODY.as_bytes()),
        (renamed, OFFICIAL_BODY.as_bytes()),
        (HeaderMap::new(), OFFICIAL_BODY.as_bytes()),
    ];
    for (headers, body) in cases {
        match verify_webhook(&credentials(), &headers, body) {
            Err(Error::BadSignature { what, .. }) => assert_eq!(what, "webhook"),
            other => panic!("expected BadSignature, got {other:?}"),
        }
    }
}

#[test]
fn a_different_secret_does_not_verify_the_official_vector() {
    let other = Credentials {
        api_secret: Secret::new("1234ABCE"),
        ..credentials()
    };
    let result = verify_webhook(
        &other,
        &signed_headers(OFFICIAL_HMAC),
        OFFICIAL_BODY.as_bytes(),
    );
    assert!(
        matches!(result, Err(Error::BadSignature { .. })),
        "{result:?}"
    );
}

/// Verifies `body` signed with the sandbox secret.
fn verify_signed(body: &str) -> WebhookEvent {
    let creds = credentials().to_runtime();
    let signed =
        signing::sign(&webhook_recipe(), &creds, &SignInput::Raw(body.as_bytes())).expect("sign");
    verify_webhook(
        &credentials(),
        &signed_headers(&signed.signature),
        body.as_bytes(),
    )
    .expect("verifies")
}

const CARD: &str =
    r#""cardFirstSix":"424242","cardLastFour":"4242","cardType":"VISA","cardExpDate":"12/2024""#;

#[test]
fn payment_notifications_parse_into_their_events() {
    let check = format!(
        r#"{{"transactionId":524,"amount":40.11,"currency":"EUR","invoiceId":"9276334","operationTypeCode":1,"operationType":"Payment",{CARD},"status":"Created","statusCode":10}}"#
    );
    let WebhookEvent::PaymentCheck(n) = verify_signed(&check) else {
        panic!("expected PaymentCheck");
    };
    assert_eq!(
        (n.transaction_id, n.card_first_six.as_deref()),
        (Some(524), Some("424242"))
    );
    let success = format!(
        r#"{{"transactionId":524,"amount":40.11,"currency":"EUR","operationTypeCode":1,"operationType":"Payment","status":"Completed","statusCode":4,{CARD},"token":"8163-KS17-JV29-KF28"}}"#
    );
    let WebhookEvent::PaymentSuccess(n) = verify_signed(&success) else {
        panic!("expected PaymentSuccess");
    };
    assert_eq!(n.amount, Decimal::parse("40.11"));
    assert_eq!(n.status_code, Some(TransactionStatus::Completed));
    assert_eq!(
        n.token.expect("token").get().expose(),
        "8163-KS17-JV29-KF28"
    );
    let failure = r#"{"transactionId":524,"amount":2873.00,"currency":"EUR","operationTypeCode":1,"operationType":"Payment","status":"Declined","statusCode":99,"reason":"Insufficient Funds","reasonCode":5051}"#;
    let WebhookEvent::PaymentFailure(n) = verify_signed(failure) else {
        panic!("expected PaymentFailure");
    };
    assert_eq!(n.reason_code, Some(ReasonCode::InsufficientFunds));
    assert_eq!(n.amount, Decimal::parse("2873.00"));
}

#[test]
fn refund_and_payout_notifications_parse_into_their_events() {
    let refund_ok = r#"{"paymentTransactionId":524,"transactionId":1039,"amount":13.34,"currency":"EUR","operationTypeCode":2,"operationType":"Refund","status":"RefundCompleted","statusCode":5}"#;
    let WebhookEvent::RefundSuccess(n) = verify_signed(refund_ok) else {
        panic!("expected RefundSuccess");
    };
    assert_eq!(
        (n.payment_transaction_id, n.transaction_id),
        (Some(524), Some(1039))
    );
    let refund_bad = r#"{"paymentTransactionId":524,"transactionId":1039,"amount":13.34,"operationTypeCode":2,"operationType":"Refund","status":"Declined","statusCode":99,"reason":"Insufficient Funds","reasonCode":5051}"#;
    let WebhookEvent::RefundFailure(n) = verify_signed(refund_bad) else {
        panic!("expected RefundFailure");
    };
    assert_eq!(n.reason.as_deref(), Some("Insufficient Funds"));
    let payout_ok = r#"{"transactionId":2533,"amount":12.30,"currency":"EUR","operationTypeCode":3,"operationType":"CardPayout","status":"PayoutCompleted","statusCode":7}"#;
    let WebhookEvent::PayoutSuccess(n) = verify_signed(payout_ok) else {
        panic!("expected PayoutSuccess");
    };
    assert_eq!(n.amount, Decimal::parse("12.30"));
    assert_eq!(n.operation_type_code, Some(OperationType::CardPayout));
    // Codes only (no names) select the event too.
    let payout_bad = r#"{"transactionId":2533,"amount":12.30,"operationTypeCode":3,"statusCode":99,"reasonCode":5051}"#;
    let WebhookEvent::PayoutFailure(n) = verify_signed(payout_bad) else {
        panic!("expected PayoutFailure");
    };
    assert_eq!(n.status_code, Some(TransactionStatus::Declined));
}

#[test]
fn the_acknowledgement_is_code_zero() {
    assert_eq!(WEBHOOK_ACK.status, 200);
    assert_eq!(WEBHOOK_ACK.content_type, "application/json");
    assert_eq!(WEBHOOK_ACK.body, r#"{"code":0}"#);
}

#[tokio::test]
async fn payout_timeout_is_not_retried_even_with_retries_configured() {
    let server = Server::start(vec![Reply::Hang, Reply::Hang, Reply::Hang]).await;
    let config = paygen_runtime::EngineConfig {
        max_retries: 3,
        ..short_timeout()
    };
    let client = Client::with_base_url(&server.url(), credentials(), config).unwrap();
    let result = client.charge_card(&good_charge()).await;
    assert!(
        result.as_ref().is_err_and(Error::is_outcome_unknown),
        "{result:?}"
    );
    assert_eq!(server.seen().len(), 1);
}

#[test]
fn debug_never_shows_the_pan_the_cvv_or_the_secret() {
    let request = charge("4242424242424242", "739", "EUR", 4011);
    let text = format!("{request:?}");
    assert!(!text.contains("4242424242424242"), "{text}");
    assert!(!text.contains("739"), "{text}");
    assert!(text.contains("424242******4242"), "{text}");
    let payout = PayoutCardRequest {
        pan: CardNumber::new("4111111111111111"),
        name: Pii::new("John Doe"),
        amount: MinorUnits(1230),
        currency: "EUR".into(),
        invoice_id: "inv-1".into(),
        data: None,
    };
    assert!(!format!("{payout:?}").contains("4111111111111111"));
    let creds = format!("{:?}", credentials());
    assert!(!creds.contains("1234ABCD"), "{creds}");
    assert!(creds.contains("pbid_2kajhh9oqhmpwjqgd529rg"), "{creds}");
    let client = Client::with_base_url("http://127.0.0.1:9", credentials(), config()).unwrap();
    assert!(!format!("{client:?}").contains("1234ABCD"));
}
