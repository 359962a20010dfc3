//! The webhook matrix: a real notification of every seed provider (sent by the in-process
//! sandbox after a transaction settles, captured raw on 127.0.0.1) must verify; forged (another
//! secret), tampered (one signed byte changed), unsigned, blank-secret and replayed copies must
//! not be acted on: the first four are refused by `verify_webhook`, the replay verifies (its
//! signature is genuine) and is caught by the de-duplication helper keyed by the event's fields.
//! A rotated secret (the recipe with `secret.previous` declared) accepts notifications signed
//! with the old and with the new secret, and no other. Stale and future copies are refused where
//! the scheme signs a time: the timestamped specs of the scheme corpus and the signing-v2 fixture
//! (`timed_*` tests); the seeds sign none (see [`no_time_window`]).

// The matrix uses a subset of the shared e2e helpers.
#[allow(dead_code)]
mod e2e_support;
mod support;

use std::time::Duration;

use e2e_support::{compressed, engine, start, Answer, Receiver};
use paygen_connectors::{cabbagino as cb, cactusgino as ct, global_solutions as gs, pockyt as pk};
use paygen_runtime::signing::Recipe;
use paygen_runtime::{http as h, webhook::parse_webhook_body, webhook::WebhookEncoding};
use paygen_runtime::{Credentials as RtCredentials, Deduplicator, Delivery, Error, Secret};
use paygen_runtime::{FixedClock, WebhookVerifier};
use paygen_sandbox::SandboxConfig;
use serde_json::{json, Value};
use support::pockyt;

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

/// Rotated secret: the provider's own recipe with a previous secret declared (what a spec does
/// with `secret.previous`) accepts the genuine notification whether its secret is the current
/// or the previous one, refuses it when neither is, and refuses a blank previous secret.
fn rotation(
    provider: &str,
    raw: &Raw,
    recipe: &Recipe,
    genuine: &RtCredentials,
    enc: WebhookEncoding,
) {
    let (headers, body) = raw;
    let main = recipe.secret.credential.clone();
    let previous = format!("{main}_previous");
    let mut rotated = recipe.clone();
    rotated.secret.previous = vec![previous.clone()];
    let secret = genuine
        .get(&main)
        .expect("the genuine secret")
        .expose()
        .to_string();
    let verify = |current: &str, old: &str| {
        let creds = genuine
            .clone()
            .with(main.as_str(), current)
            .with(previous.as_str(), old);
        WebhookVerifier::new(&rotated, &creds, enc).and_then(|v| v.verify(headers, body))
    };
    verify("rotated-new-secret", &secret)
        .unwrap_or_else(|e| panic!("{provider}: signed with the previous secret: {e}"));
    verify(&secret, "retired-old-secret")
        .unwrap_or_else(|e| panic!("{provider}: signed with the current secret: {e}"));
    let e = verify("rotated-new-secret", "retired-old-secret").expect_err("neither key");
    assert!(
        matches!(e, Error::BadSignature { .. }),
        "{provider} rotated: {e}"
    );
    let e = verify(&secret, " ").expect_err("blank previous secret");
    assert!(
        matches!(e, Error::Config(_)),
        "{provider} blank previous: {e}"
    );
}

/// Stale and future copies cannot be told from the genuine notification for the seeds: none of
/// their webhook recipes signs a time (no `tolerance`, no generated timestamp; their providers
/// document no delivery window), so a late copy is byte for byte the genuine one and is caught
/// only as a replay (the de-duplicator row of [`matrix`]). Should a seed spec declare a
/// tolerance, this fails and its stale/future rows belong here like the `timed_*` tests.
fn no_time_window(provider: &str, recipe: &Recipe) {
    assert!(
        recipe.tolerance.is_none() && recipe.generate.timestamp.is_none(),
        "{provider} now signs a time: add its stale and future rows"
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
    let recipe = cb::webhook_recipe();
    rotation(
        "cabbagino",
        &raw,
        &recipe,
        &creds("test_salt").to_runtime(),
        WebhookEncoding::Json,
    );
    no_time_window("cabbagino", &recipe);
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
    let recipe = ct::webhook_recipe();
    rotation(
        "cactusgino",
        &raw,
        &recipe,
        &creds("test_api_v2").to_runtime(),
        WebhookEncoding::Json,
    );
    no_time_window("cactusgino", &recipe);
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
    let recipe = gs::webhook_recipe();
    rotation(
        "global_solutions",
        &raw,
        &recipe,
        &creds("1234ABCD").to_runtime(),
        WebhookEncoding::Json,
    );
    no_time_window("global_solutions", &recipe);
    sb.stop().await;
}

#[tokio::test]
async fn pockyt_notifications() {
    let rx = capture(pk::WEBHOOK_ACK).await;
    let sb = sandbox("specs/pockyt.yaml", rx.url("/cb")).await;
    let creds = pockyt::credentials_with_token;
    let token = pockyt::API_TOKEN;
    let c = pk::Client::with_base_url(&sb.base_url("pockyt"), creds(token), cfg()).expect("client");
    let (customer, account) = pockyt::payee_with_account(&c, "wh@example.com").await;
    let ipn = rx.url("/cb").replace("http://", "https://");
    c.transfer(&pockyt::transfer(&customer, &account, "wh-1", 2500, &ipn))
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
    let recipe = pk::webhook_recipe();
    rotation(
        "pockyt",
        &raw,
        &recipe,
        &creds(token).to_runtime(),
        WebhookEncoding::Form,
    );
    no_time_window("pockyt", &recipe);
    sb.stop().await;
}

/// A timestamped scheme of the corpus (or a fixture): the spec, its webhook vector, the header
/// the signature travels in, and how an independent HMAC-SHA256 reference signs and places.
struct Timed {
    spec: &'static str,
    vector: &'static str,
    header: &'static str,
    /// The signed message for (timestamp, raw body).
    message: fn(&str, &str) -> String,
    /// The header value for (timestamp, candidate signatures in hex).
    placed: fn(&str, &[&str]) -> String,
    /// Further (clock, accepted) points the scheme's own tests pinned.
    pinned: &'static [(i64, bool)],
}

fn hmac_hex(key: &str, message: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The matrix for a scheme that signs a time: genuine at both edges of the tolerance, stale and
/// future one second past them, forged, tampered, unsigned, rotated (previous and current
/// secret, several candidates), replayed (de-duplicated by the spec's key), blank secret.
fn timed_matrix(t: &Timed) {
    let loaded = paygen_codegen::check_file(std::path::Path::new(t.spec)).expect("clean spec");
    let signing = loaded.spec.signing.as_ref().expect("signing");
    let recipe = signing.webhook.clone().expect("a webhook recipe");
    let v = signing
        .vectors
        .iter()
        .find(|v| v.name.as_deref() == Some(t.vector))
        .expect("the vector");
    let (raw, ts) = (
        v.raw.clone().expect("raw"),
        v.timestamp.clone().expect("ts"),
    );
    let tolerance = recipe.tolerance.expect("a tolerance") as i64;
    let main = recipe.secret.credential.clone();
    let secret = v.credentials[&main].clone();
    // the reference reproduces the vector: it is the independent signer below
    assert_eq!(
        hmac_hex(&secret, &(t.message)(&ts, &raw)),
        v.signature,
        "{}",
        t.spec
    );
    // rotation: the spec's previous key, or one declared here as a spec would
    let mut recipe = recipe;
    if recipe.secret.previous.is_empty() {
        recipe.secret.previous = vec![format!("{main}_previous")];
    }
    let previous = recipe.secret.previous[0].clone();
    let old = v
        .credentials
        .get(&previous)
        .cloned()
        .unwrap_or("retired-secret".into());
    let creds = |current: &str, old: &str| {
        let mut c = RtCredentials::new()
            .with(main.as_str(), current)
            .with(previous.as_str(), old);
        for (k, val) in v
            .credentials
            .iter()
            .filter(|(k, _)| **k != main && **k != previous)
        {
            c.insert(k.as_str(), val.as_str());
        }
        c
    };
    let verify = |c: &RtCredentials, now: i64, header: &str, body: &str| {
        let headers = header_map(t.header, header);
        WebhookVerifier::new(&recipe, c, WebhookEncoding::Json)
            .map(|w| w.with_clock(std::sync::Arc::new(FixedClock(now))))
            .and_then(|w| w.verify(&headers, body.as_bytes()))
    };
    let bad = |r: Result<_, Error>, row: &str| match r {
        Err(Error::BadSignature { .. }) => {}
        other => panic!("{} {row}: expected BadSignature, got {other:?}", t.spec),
    };
    let good = creds(&secret, &old);
    let t0: i64 = ts.parse().expect("unix seconds");
    let sig = |key: &str| hmac_hex(key, &(t.message)(&ts, &raw));
    let placed = (t.placed)(&ts, &[&v.signature]);
    assert_eq!(
        Some(&placed),
        v.placed.as_ref(),
        "{}: placed as published",
        t.spec
    );
    for now in [t0, t0 + tolerance, t0 - tolerance] {
        verify(&good, now, &placed, &raw).unwrap_or_else(|e| panic!("{} at {now}: {e}", t.spec));
    }
    bad(verify(&good, t0 + tolerance + 1, &placed, &raw), "stale");
    bad(verify(&good, t0 - tolerance - 1, &placed, &raw), "future");
    for (now, accepted) in t.pinned {
        assert_eq!(
            verify(&good, *now, &placed, &raw).is_ok(),
            *accepted,
            "{} at {now}",
            t.spec
        );
    }
    bad(
        verify(&good, t0, &(t.placed)(&ts, &[&sig("attacker")]), &raw),
        "forged",
    );
    bad(verify(&good, t0, &placed, &tamper_text(&raw)), "tampered");
    bad(verify(&good, t0, "", &raw), "unsigned");
    // rotated: signed with the previous secret, or with the current one among several candidates
    verify(&good, t0, &(t.placed)(&ts, &[&sig(&old)]), &raw).expect("previous secret");
    verify(&good, t0, &(t.placed)(&ts, &["00ff", &v.signature]), &raw).expect("candidates");
    let stranger = creds("rotated-away", "retired-too");
    bad(verify(&stranger, t0, &placed, &raw), "neither key");
    // replayed: genuine within the window, caught by the de-duplicator on the spec's key
    let key: Vec<&str> = loaded
        .spec
        .webhooks
        .as_ref()
        .map_or(vec![], |w| w.dedup_key.iter().map(String::as_str).collect());
    let fields = verify(&good, t0 + 1, &placed, &raw).expect("replay verifies");
    let seen = Deduplicator::in_memory(10);
    assert_eq!(
        seen.check_fields(&fields, &key).expect("key"),
        Delivery::First
    );
    assert_eq!(
        seen.check_fields(&fields, &key).expect("key"),
        Delivery::Replay
    );
    // a blank current or previous secret is refused when the verifier is built
    for c in [creds("", &old), creds(" \t", &old), creds(&secret, "")] {
        let e = verify(&c, t0, &placed, &raw).expect_err("blank secret");
        assert!(
            matches!(e, Error::Config(_)),
            "{} blank secret: {e}",
            t.spec
        );
    }
}

fn header_map(name: &str, value: &str) -> h::HeaderMap {
    let mut map = h::HeaderMap::new();
    if !value.is_empty() {
        let name = h::HeaderName::from_bytes(name.as_bytes()).expect("header name");
        map.insert(name, h::HeaderValue::from_str(value).expect("header value"));
    }
    map
}

/// One digit of the body changed (or a byte appended when it has none).
fn tamper_text(body: &str) -> String {
    let tampered = String::from_utf8(tamper(body.as_bytes())).expect("UTF-8");
    if tampered == body {
        format!("{body} ")
    } else {
        tampered
    }
}

fn dot(ts: &str, body: &str) -> String {
    format!("{ts}.{body}")
}

fn t_v1(ts: &str, sigs: &[&str]) -> String {
    let v1: Vec<String> = sigs.iter().map(|s| format!("v1={s}")).collect();
    format!("t={ts},{}", v1.join(","))
}

#[test]
fn timed_stripe_notifications() {
    timed_matrix(&Timed {
        spec: "tests/specs/ok/schemes/stripe.yaml",
        vector: "payment_intent.succeeded",
        header: "Stripe-Signature",
        message: dot,
        placed: t_v1,
        pinned: &[(1_700_000_100, true), (1_699_999_700, true)],
    });
}

#[test]
fn timed_paddle_notifications() {
    timed_matrix(&Timed {
        spec: "tests/specs/ok/schemes/paddle.yaml",
        vector: "transaction.completed",
        header: "Paddle-Signature",
        message: |ts, body| format!("{ts}:{body}"),
        placed: |ts, sigs| {
            let h1: Vec<String> = sigs.iter().map(|s| format!("h1={s}")).collect();
            format!("ts={ts};{}", h1.join(";"))
        },
        pinned: &[(1_671_552_780, true), (1_671_552_790, false)],
    });
}

#[test]
fn timed_signing_v2_fixture_notifications() {
    timed_matrix(&Timed {
        spec: "tests/specs/ok/signing_v2.yaml",
        vector: "W1",
        header: "Signature-Header",
        message: dot,
        placed: t_v1,
        pinned: &[
            (1_700_000_100, true),
            (1_700_000_301, false),
            (1_699_999_699, false),
        ],
    });
}
