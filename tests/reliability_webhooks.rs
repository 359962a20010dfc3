//! The webhook matrix: a real notification of every seed provider (sent by the in-process
//! sandbox after a transaction settles, captured raw on 127.0.0.1) must verify; forged (another
//! secret), tampered (one signed byte changed), unsigned, blank-secret and replayed copies must
//! not be acted on: the first four are refused by `verify_webhook`, the replay verifies (its
//! signature is genuine) and is caught by the de-duplication helper keyed by the event's fields.

// The matrix uses a subset of the shared e2e helpers.
#[allow(dead_code)]
mod e2e_support;

use std::time::Duration;

use e2e_support::{compressed, engine, start, Answer, Receiver};
use paygen_connectors::{cabbagino as cb, cactusgino as ct, global_solutions as gs, pockyt as pk};
use paygen_runtime::{http as h, webhook::parse_webhook_body, webhook::WebhookEncoding};
use paygen_runtime::{Deduplicator, Delivery, Error, Secret};
use paygen_sandbox::SandboxConfig;
use serde_json::{json, Value};

type Raw = (h::HeaderMap, Vec<u8>);
type Verify<C> = fn(&C, &h::HeaderMap, &[u8]) -> Result<(), Error>;

/// A capturing receiver: records every callback raw and acknowledges it.
async fn capture(ack: paygen_runtime::webhook::Ack) -> Receiver<Raw> {
    Receiver::start(ack, |call| {
        ((call.headers.clone(), call.body.clone()), Answer::Ack)
    })
    .await
}

async fn first(rx: &Receiver<Raw>) -> Raw {
    rx.wait_for_one(|_| true)
        .await
        .expect("a notification arrives")
}

/// The matrix for one provider. `good`/`forged`/`blank` are credentials (the sandbox's, another
/// secret, a blank secret); `signed` names where the signature travels (a header or a body
/// field) and `dedupe` the fields that identify the event.
#[allow(clippy::too_many_arguments)] // one row of the matrix per argument, named at the call
fn matrix<C>(
    provider: &str,
    raw: &Raw,
    verify: Verify<C>,
    good: &C,
    forged: &C,
    blank: &[C],
    signature: Signature,
    enc: WebhookEncoding,
    dedupe: &[&str],
) {
    let (headers, body) = raw;
    verify(good, headers, body).unwrap_or_else(|e| panic!("{provider}: genuine refused: {e}"));
    // forged: signed with another secret than the merchant's
    let e = verify(forged, headers, body).expect_err("forged");
    assert!(
        matches!(e, Error::BadSignature { .. }),
        "{provider} forged: {e}"
    );
    // tampered: one byte of a signed value changed
    let tampered = tamper(body);
    let e = verify(good, headers, &tampered).expect_err("tampered");
    assert!(
        matches!(e, Error::BadSignature { .. } | Error::Undecodable { .. }),
        "{provider} tampered: {e}"
    );
    // missing signature
    let (h2, b2) = strip(headers, body, &signature, enc);
    let e = verify(good, &h2, &b2).expect_err("unsigned");
    assert!(
        matches!(e, Error::BadSignature { .. }),
        "{provider} unsigned: {e}"
    );
    // a blank secret is refused before anything is verified
    for c in blank {
        let e = verify(c, headers, body).expect_err("blank secret");
        assert!(
            matches!(e, Error::Config(_)),
            "{provider} blank secret: {e}"
        );
    }
    // replayed: genuine, so it verifies; the de-duplicator catches the second delivery
    let fields = parse_webhook_body(body, enc).expect("fields");
    let seen = Deduplicator::in_memory(100);
    assert_eq!(
        seen.check_fields(&fields, dedupe).expect("key"),
        Delivery::First
    );
    verify(good, headers, body).unwrap_or_else(|e| panic!("{provider}: replay refused: {e}"));
    assert_eq!(
        seen.check_fields(&fields, dedupe).expect("key"),
        Delivery::Replay,
        "{provider}: a replay is recognised"
    );
}

/// Where a provider's notification signature travels.
enum Signature {
    Header(&'static str),
    Field(&'static str),
}

/// Changes one digit of the body (a signed amount or id), keeping it well formed.
fn tamper(body: &[u8]) -> Vec<u8> {
    let mut out = body.to_vec();
    if let Some(i) = out.iter().rposition(u8::is_ascii_digit) {
        out[i] = if out[i] == b'9' { b'8' } else { out[i] + 1 };
    }
    out
}

fn strip(headers: &h::HeaderMap, body: &[u8], s: &Signature, enc: WebhookEncoding) -> Raw {
    match s {
        Signature::Header(name) => {
            let mut h2 = headers.clone();
            h2.remove(*name);
            (h2, body.to_vec())
        }
        Signature::Field(name) => {
            let mut fields = parse_webhook_body(body, enc).expect("fields");
            fields.shift_remove(*name);
            let b = match enc {
                WebhookEncoding::Json => Value::Object(fields).to_string().into_bytes(),
                WebhookEncoding::Form => paygen_runtime::wire::form_encode(&fields).into_bytes(),
            };
            (headers.clone(), b)
        }
    }
}

fn typed<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("request fits its type")
}

fn cfg() -> paygen_runtime::EngineConfig {
    engine(Duration::from_secs(5), None)
}

async fn sandbox(spec: &str, url: String) -> paygen_sandbox::SandboxHandle {
    start(SandboxConfig {
        notify_override: Some(url),
        ..compressed(spec)
    })
    .await
}

#[tokio::test]
async fn cabbagino_notifications() {
    let rx = capture(cb::WEBHOOK_ACK).await;
    let sb = sandbox("specs/cabbagino.yaml", rx.url("/cb")).await;
    let creds = |salt: &str| cb::Credentials {
        merchant_key: "test_merchant_key".into(),
        salt: Secret::new(salt),
    };
    let c = cb::Client::with_base_url(&sb.base_url("cabbagino"), creds("test_salt"), cfg())
        .expect("client");
    let req: cb::PayoutRequest = serde_json::from_value(json!({
        "payment_system": "TEST_PS", "external_id": "wh-1",
        "customer": { "customer_id": "c1", "country": "LV", "first_name": "T", "last_name": "T" },
        "payment_data": { "phone": "994934331504" }, "amount": 100, "currency": "USD"
    }))
    .expect("request");
    c.payout(&req).await.expect("payout");
    let raw = first(&rx).await;
    let verify: Verify<cb::Credentials> = |c, h, b| cb::verify_webhook(c, h, b).map(drop);
    matrix(
        "cabbagino",
        &raw,
        verify,
        &creds("test_salt"),
        &creds("attacker_salt"),
        &[creds(""), creds("  \t")],
        Signature::Field("signature"),
        WebhookEncoding::Json,
        &["order_id", "status"],
    );
    sb.stop().await;
}

#[tokio::test]
async fn cactusgino_notifications() {
    let rx = capture(ct::WEBHOOK_ACK).await;
    let sb = sandbox("specs/cactusgino.yaml", rx.url("/cb")).await;
    let creds = |salt: &str| ct::Credentials {
        merchant_id: "test_api_v2".into(),
        salt: Secret::new(salt),
    };
    let c = ct::Client::with_base_url(&sb.base_url("cactusgino"), creds("test_api_v2"), cfg())
        .expect("client");
    let req: ct::CreateInvoiceRequest = serde_json::from_value(json!({
        "site_login": "user_4", "site_id": 101, "request_id": "wh-1",
        "amount": 1000, "currency": "USD", "method": "card"
    }))
    .expect("request");
    c.create_invoice(&req).await.expect("invoice");
    let raw = first(&rx).await;
    let verify: Verify<ct::Credentials> = |c, h, b| ct::verify_webhook(c, h, b).map(drop);
    matrix(
        "cactusgino",
        &raw,
        verify,
        &creds("test_api_v2"),
        &creds("attacker"),
        &[creds(""), creds(" ")],
        Signature::Field("signature"),
        WebhookEncoding::Json,
        &["request_id", "status"],
    );
    sb.stop().await;
}

#[tokio::test]
async fn global_solutions_notifications() {
    let rx = capture(gs::WEBHOOK_ACK).await;
    let sb = sandbox("specs/global_solutions.yaml", rx.url("/cb")).await;
    let creds = |secret: &str| gs::Credentials {
        public_id: "pbid_2kajhh9oqhmpwjqgd529rg".into(),
        api_secret: Secret::new(secret),
    };
    let c = gs::Client::with_base_url(&sb.base_url("global_solutions"), creds("1234ABCD"), cfg())
        .expect("client");
    let req: gs::ChargeCardRequest = serde_json::from_value(json!({
        "amount": 1000, "currency": "EUR", "name": "John Doe", "invoiceId": "wh-1",
        "description": "t", "accountId": "john@doe.com", "ip": "203.0.113.7",
        "card": { "pan": "4242424242424242", "cvv": "123", "expiryMonth": 12, "expiryYear": 2030 }
    }))
    .expect("request");
    c.charge_card(&req).await.expect("charge");
    let raw = first(&rx).await;
    let verify: Verify<gs::Credentials> = |c, h, b| gs::verify_webhook(c, h, b).map(drop);
    matrix(
        "global_solutions",
        &raw,
        verify,
        &creds("1234ABCD"),
        &creds("ABCD1234"),
        &[creds(""), creds("\n")],
        Signature::Header("content-hmac"),
        WebhookEncoding::Json,
        &["transactionId", "statusCode"],
    );
    sb.stop().await;
}

#[tokio::test]
async fn pockyt_notifications() {
    let rx = capture(pk::WEBHOOK_ACK).await;
    let sb = sandbox("specs/pockyt.yaml", rx.url("/cb")).await;
    let creds = |token: &str| pk::Credentials {
        merchant_no: "200043".into(),
        store_no: "300014".into(),
        api_token: Secret::new(token),
    };
    let token = "5cbfb079f15b150122261c8537086d77a";
    let c = pk::Client::with_base_url(&sb.base_url("pockyt"), creds(token), cfg()).expect("client");
    let reg = c
        .register_payee(&typed(json!({
            "city": "hometown", "country": "USA", "countryCode": "US", "customerCode": "c-1",
            "dateOfBirth": "1999-01-01", "email": "wh@example.com", "firstName": "John",
            "lastName": "Doe", "profileType": "INDIVIDUAL", "state": "NY",
            "street": "123 main St", "zip": "10005"
        })))
        .await
        .expect("register");
    let customer = reg
        .customer
        .and_then(|c| c.customer_no)
        .expect("customerNo");
    let acc = c
        .add_bank_account(&typed(json!({
            "accountCountry": "US", "accountCurrency": "USD", "accountTag": "tag-1",
            "accountType": "BANK_ACCOUNT", "bankAccountId": "7861053298", "branchId": "101089292",
            "bankAccountPurpose": "CHECKING", "customerNo": customer
        })))
        .await
        .expect("account");
    let account = acc.result.and_then(|r| r.account_token).expect("token");
    let ipn = rx.url("/cb").replace("http://", "https://");
    c.transfer(&typed(json!({
        "accountToken": account, "amount": 2500, "currency": "USD", "customerNo": customer,
        "invoiceId": "wh-1", "ipnUrl": ipn, "description": "matrix"
    })))
    .await
    .expect("transfer");
    let raw = rx
        .wait_for_one(|(_, body)| String::from_utf8_lossy(body).contains("invoiceId=wh-1"))
        .await
        .expect("the transfer's notification");
    let verify: Verify<pk::Credentials> = |c, h, b| pk::verify_webhook(c, h, b).map(drop);
    matrix(
        "pockyt",
        &raw,
        verify,
        &creds(token),
        &creds("attacker-token"),
        &[creds(""), creds("   ")],
        Signature::Field("verifySign"),
        WebhookEncoding::Form,
        &["invoiceId", "status"],
    );
    sb.stop().await;
}
