//! Notifications through the recording proxy, on loopback: the sandbox serves a Cabbagino variant
//! whose final-status callback carries an undocumented field holding a card number; a
//! payment-page deposit names the proxy's `/__callback/...` as its `notify_url`. The proxy
//! forwards the callback to the merchant's receiver, records it with its signature checked
//! before scrubbing (verified), without the card number; drift against the ORIGINAL spec names
//! exactly the undocumented field, located in the spec.

use std::path::PathBuf;
use std::time::Duration;

use paygen_connectors::cabbagino as cb;
use paygen_record::{Recorder, RecorderConfig};
use paygen_runtime::cassette::{Exchange, ExchangeKind, SignatureCheck};
use paygen_runtime::{Credentials, EngineConfig, Secret};
use paygen_sandbox::{Sandbox, SandboxConfig};
use paygen_testkit::{Reply, Server};
use serde_json::json;

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
