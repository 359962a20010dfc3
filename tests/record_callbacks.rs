//! Notifications through the recording proxy, on loopback: the sandbox serves a Cabbagino variant
//! whose final-status callback carries an undocumented field holding a card number; a
//! payment-page deposit names the proxy's `/__callback/...` as its `notify_url`. The proxy
//! forwards the callback to the merchant's receiver, records it with its signature checked
//! before scrubbing (verified), without the card number; drift against the ORIGINAL spec names
//! exactly the undocumented field, located in the spec.
//!
//! The same loop for a form-encoded notification (Pockyt's IPN, `webhooks.encoding: form`): a
//! genuine IPN drifts nothing; a variant's IPN with an extra field (a card number) and a new
//! status value drifts exactly those, with no false type mismatch, and no canary is recorded.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use paygen_connectors::{cabbagino as cb, pockyt as pk};
use paygen_record::{Recorder, RecorderConfig};
use paygen_runtime::cassette::{Exchange, ExchangeKind, SignatureCheck};
use paygen_runtime::{Credentials, EngineConfig, Secret};
use paygen_sandbox::{Sandbox, SandboxConfig};
use paygen_testkit::{Reply, Server};
use serde_json::json;
use support::pockyt;

const CARD: &str = "4242424242424242";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The seed spec with one edit: the callback (and status) body gains `payer_card`.
fn variant(dir: &std::path::Path) -> PathBuf {
    let text = std::fs::read_to_string(root().join("specs/cabbagino.yaml")).expect("spec");
    let from = "        reason: \"{state.reason?}\"\n      accepted:";
    assert_eq!(text.matches(from).count(), 1, "the edit's anchor");
    let to = format!(
        "        reason: \"{{state.reason?}}\"\n        payer_card: \"{CARD}\"\n      accepted:"
    );
    let path = dir.join("cabbagino.yaml");
    std::fs::write(&path, text.replacen(from, &to, 1)).expect("variant");
    path
}

/// Waits (bounded: 3 s) until the cassette holds a callback.
async fn recorded_callback(cassette: &std::path::Path) -> Vec<Exchange> {
    for _ in 0..300 {
        let all = paygen_runtime::cassette::read(cassette).unwrap_or_default();
        if all.iter().any(|e| e.kind == ExchangeKind::Callback) {
            return all;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("no callback was recorded in 3 s");
}

#[tokio::test]
async fn callbacks_through_the_proxy_are_forwarded_verified_scrubbed_and_drifted() {
    let dir = std::env::temp_dir().join(format!("paygen-drift-callbacks-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let receiver =
        Server::start_with_fallback(vec![], Reply::json(200, r#"{"result":"ok"}"#)).await;
    let sandbox = Sandbox::start(SandboxConfig {
        specs: vec![variant(&dir)],
        settle: Some(Duration::from_millis(20)),
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    let spec = root().join("specs/cabbagino.yaml");
    let loaded = paygen_codegen::check_file(&spec).expect("clean spec");
    let cassettes = dir.join("cassettes");
    let recorder = Recorder::start(RecorderConfig {
        spec: loaded.clone(),
        upstream: sandbox.base_url("cabbagino"),
        callbacks_to: Some(receiver.url()),
        out: cassettes.clone(),
        credentials: Credentials::new()
            .with("merchant_key", Secret::new("test_merchant_key"))
            .with("salt", Secret::new("test_salt")),
        port: 0,
    })
    .await
    .expect("recorder");

    let creds = cb::Credentials {
        merchant_key: "test_merchant_key".into(),
        salt: "test_salt".into(),
    };
    let client =
        cb::Client::with_base_url(&recorder.url(), creds, EngineConfig::default()).expect("client");
    let request: cb::PaymentPageDepositRequest = serde_json::from_value(json!({
        "payment_system": "TEST_PS", "external_id": "cb-1", "amount": 1000, "currency": "USD",
        "customer": { "customer_id": "c1", "country": "LV", "first_name": "Jane", "last_name": "Payer" },
        "urls": { "redirect_success_url": "https://www.example.com",
                  "notify_url": format!("{}/__callback/notify", recorder.url()) }
    }))
    .expect("request");
    client.payment_page_deposit(&request).await.expect("page");

    let cassette = cassettes.join("cabbagino.jsonl");
    let exchanges = recorded_callback(&cassette).await;
    let got = receiver.seen();
    assert_eq!(got.len(), 1, "the receiver got the callback once");
    assert_eq!(got[0].path, "/notify");
    assert!(
        String::from_utf8_lossy(&got[0].body).contains(CARD),
        "the receiver gets the provider's bytes unchanged"
    );
    let callback = exchanges
        .iter()
        .find(|e| e.kind == ExchangeKind::Callback)
        .expect("callback");
    assert_eq!(callback.operation.as_deref(), Some("webhook"));
    assert_eq!(
        callback.signature,
        SignatureCheck::Verified,
        "checked before scrubbing"
    );
    assert_eq!(callback.response.status, Some(200), "the merchant's answer");
    let bytes = std::fs::read_to_string(&cassette).expect("cassette");
    for secret in [CARD, "test_merchant_key", "test_salt"] {
        assert!(
            !bytes.contains(secret),
            "the cassette holds {secret}: {bytes}"
        );
    }

    let found = paygen_codegen::drift::drift(&loaded, &exchanges, false);
    let shown: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|d| (d.code, d.path.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(found.len(), 1, "{shown:#?}");
    assert_eq!(
        (found[0].code, found[0].path.as_str()),
        ("D0004", "types.Callback.fields")
    );
    assert!(found[0].message.contains("`payer_card`"), "{shown:?}");
    assert!(
        found[0].file == spec && found[0].line > 0,
        "located: {shown:?}"
    );
    drop(recorder);
    sandbox.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Pockyt's sandbox API token (the spec's `sandbox.credentials`; a canary: never recorded).
const PK_API_TOKEN: &str = pockyt::API_TOKEN;
/// The payee's bank account number (a canary: scrubbed as personal data).
const PK_BANK_ACCOUNT: &str = pockyt::BANK_ACCOUNT;

/// The Pockyt seed spec with its IPN changed: a `payerCard` field and the final status `settled`.
fn pockyt_variant(dir: &std::path::Path) -> PathBuf {
    let text = std::fs::read_to_string(root().join("specs/pockyt.yaml")).expect("spec");
    let edits = [
        (
            "          vendor: BANK_ACCOUNT\n",
            format!("          vendor: BANK_ACCOUNT\n          payerCard: \"{CARD}\"\n"),
        ),
        (
            "success: { result: succeeded, vars: { status: success } }\n",
            "success: { result: succeeded, vars: { status: settled } }\n".to_string(),
        ),
    ];
    let mut text = text;
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "the edit's anchor {from:?}");
        text = text.replacen(from, &to, 1);
    }
    let path = dir.join("pockyt.yaml");
    std::fs::write(&path, text).expect("variant");
    path
}

/// Waits (bounded: 5 s) until the cassette holds the payout's final IPN (the one whose form
/// body is no longer `pending`).
async fn final_ipn(cassette: &std::path::Path) -> Vec<Exchange> {
    for _ in 0..500 {
        let all = paygen_runtime::cassette::read(cassette).unwrap_or_default();
        let done = all.iter().any(|e| {
            e.kind == ExchangeKind::Callback
                && e.request.body.contains("status=")
                && !e.request.body.contains("status=pending")
        });
        if done {
            return all;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("no final IPN was recorded in 5 s");
}

/// Runs a payout through the recording proxy in front of a sandbox serving `served`; the IPN goes
/// to the proxy's `/__callback/ipn`. Returns the recorded exchanges and the cassette's bytes.
async fn record_pockyt_payout(
    served: PathBuf,
    loaded: &paygen_codegen::Loaded,
    dir: &std::path::Path,
) -> (Vec<Exchange>, String) {
    let receiver =
        Server::start_with_fallback(vec![], Reply::typed(200, "text/plain", "success")).await;
    let sandbox = Sandbox::start(SandboxConfig {
        specs: vec![served],
        settle: Some(Duration::from_millis(20)),
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    let cassettes = dir.join("cassettes");
    let recorder = Recorder::start(RecorderConfig {
        spec: loaded.clone(),
        upstream: sandbox.base_url("pockyt"),
        callbacks_to: Some(receiver.url()),
        out: cassettes.clone(),
        credentials: pockyt::credentials().to_runtime(),
        port: 0,
    })
    .await
    .expect("recorder");
    let c = pk::Client::with_base_url(
        &recorder.url(),
        pockyt::credentials(),
        EngineConfig::default(),
    )
    .expect("client");
    let (customer, token) = pockyt::payee_with_account(&c, "jane.payee@example.com").await;
    // Pockyt wants an https ipnUrl; the sandbox calls https loopback URLs over plain HTTP.
    let ipn = recorder.url().replacen("http://", "https://", 1) + "/__callback/ipn";
    c.transfer(&pockyt::transfer(
        &customer,
        &token,
        "form-ipn-1",
        5000,
        &ipn,
    ))
    .await
    .expect("transfer");

    let cassette = cassettes.join("pockyt.jsonl");
    let exchanges = final_ipn(&cassette).await;
    assert!(
        receiver.seen().iter().all(|r| r.path == "/ipn"),
        "the receiver gets the IPNs at its own path"
    );
    drop(recorder);
    sandbox.stop().await;
    let bytes = std::fs::read_to_string(&cassette).expect("cassette");
    (exchanges, bytes)
}

/// The recorded IPNs: form-encoded, verified before scrubbing.
fn form_ipns(exchanges: &[Exchange]) -> Vec<Exchange> {
    let ipns: Vec<Exchange> = exchanges
        .iter()
        .filter(|e| e.kind == ExchangeKind::Callback)
        .cloned()
        .collect();
    assert!(!ipns.is_empty(), "an IPN was recorded");
    for ipn in &ipns {
        assert_eq!(
            ipn.request.header("content-type"),
            Some("application/x-www-form-urlencoded"),
            "{ipn:?}"
        );
        assert_eq!(ipn.signature, SignatureCheck::Verified, "{ipn:?}");
    }
    ipns
}

fn shown(found: &[paygen_codegen::Diagnostic]) -> Vec<(&str, &str, &str)> {
    found
        .iter()
        .map(|d| (d.code, d.path.as_str(), d.message.as_str()))
        .collect()
}

#[tokio::test]
async fn a_genuine_form_ipn_drifts_nothing() {
    let dir = std::env::temp_dir().join(format!("paygen-drift-ipn-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let spec = root().join("specs/pockyt.yaml");
    let loaded = paygen_codegen::check_file(&spec).expect("clean spec");
    let (exchanges, bytes) = record_pockyt_payout(spec.clone(), &loaded, &dir).await;
    let ipns = form_ipns(&exchanges);
    assert!(
        ipns.iter()
            .any(|e| e.request.body.contains("status=success")),
        "{ipns:?}"
    );
    for secret in [PK_API_TOKEN, PK_BANK_ACCOUNT] {
        assert!(!bytes.contains(secret), "the cassette holds {secret}");
    }
    let found = paygen_codegen::drift::drift(&loaded, &ipns, false);
    assert!(found.is_empty(), "{:#?}", shown(&found));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_form_ipn_with_an_extra_field_and_a_new_status_drifts_exactly_those() {
    let dir = std::env::temp_dir().join(format!("paygen-drift-ipn-var-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let spec = root().join("specs/pockyt.yaml");
    let loaded = paygen_codegen::check_file(&spec).expect("clean spec");
    let (exchanges, bytes) = record_pockyt_payout(pockyt_variant(&dir), &loaded, &dir).await;
    let ipns = form_ipns(&exchanges);
    assert!(
        ipns.iter()
            .any(|e| e.request.body.contains("status=settled")),
        "{ipns:?}"
    );
    for secret in [CARD, PK_API_TOKEN, PK_BANK_ACCOUNT] {
        assert!(!bytes.contains(secret), "the cassette holds {secret}");
    }
    let found = paygen_codegen::drift::drift(&loaded, &ipns, false);
    let got = shown(&found);
    assert_eq!(found.len(), 2, "{got:#?}");
    assert_eq!(
        (found[0].code, found[0].path.as_str()),
        ("D0004", "types.PayoutNotification.fields"),
        "{got:#?}"
    );
    assert!(found[0].message.contains("`payerCard`"), "{got:#?}");
    assert_eq!(
        (found[1].code, found[1].path.as_str()),
        ("D0005", "types.PayoutStatus.values"),
        "{got:#?}"
    );
    assert!(found[1].message.contains("\"settled\""), "{got:#?}");
    for d in &found {
        assert!(d.file == spec && d.line > 0, "located: {got:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
