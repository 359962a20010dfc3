//! Sandbox-side checks over raw HTTP: a wrong signature, a missing required field and a bad
//! phone number are refused in the provider's own error format; unknown paths get its 404; a
//! user-written spec (tests/fixtures/sandbox) is served without rebuilding anything.

// Each e2e binary uses a subset of the shared helpers.
#[allow(dead_code)]
mod e2e_support;

use std::time::Duration;

use e2e_support::post_raw;
use paygen_connectors::cabbagino as cb;
use paygen_runtime::{engine::PreparedRequest, EngineConfig};
use paygen_sandbox::http::{post, ClientAnswer};
use paygen_sandbox::{SandboxConfig, SandboxHandle};
use serde_json::{json, Map, Value};

const LIMIT: Duration = Duration::from_secs(5);

async fn start(specs: &[&str]) -> SandboxHandle {
    let specs = specs.iter().map(|s| s.into()).collect();
    let config = SandboxConfig {
        specs,
        time_scale: 0.001,
        ..SandboxConfig::default()
    };
    e2e_support::start(config).await
}

fn cabbagino(sb: &SandboxHandle) -> cb::Client {
    let creds = cb::Credentials {
        merchant_key: "test_merchant_key".into(),
        salt: "test_salt".into(),
    };
    cb::Client::with_base_url(&sb.base_url("cabbagino"), creds, EngineConfig::default())
        .expect("client")
}

/// The exact signed request the generated client would send for this body.
fn prepared(client: &cb::Client, body: Value) -> PreparedRequest {
    let Value::Object(map) = body else {
        panic!("object")
    };
    client
        .engine()
        .prepare(&cb::operations::PAYOUT, Some(map))
        .expect("prepare")
}

async fn send(p: &PreparedRequest, body: &[u8]) -> (u16, Value) {
    let ClientAnswer { status, body } = post_raw(p, body).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

fn payout_body() -> Value {
    json!({
        "payment_system": "TEST_PS", "external_id": "raw-1",
        "customer": { "customer_id": "c1", "country": "LV", "first_name": "T", "last_name": "T" },
        "payment_data": { "phone": "994934331504" },
        "amount": 4000, "currency": "USD"
    })
}

#[tokio::test]
async fn cabbagino_refuses_wrong_signature_missing_field_and_bad_phone() {
    let sb = start(&["specs/cabbagino.yaml"]).await;
    let client = cabbagino(&sb);

    let good = prepared(&client, payout_body());
    let mut tampered: Map<String, Value> = serde_json::from_slice(&good.body).expect("json");
    tampered.insert("amount".into(), json!(4001));
    let (status, body) = send(&good, &serde_json::to_vec(&tampered).expect("json")).await;
    assert_eq!(status, 400);
    assert_eq!(body["error_code"], "invalid_signature");
    assert!(body["error_message"]
        .as_str()
        .unwrap_or("")
        .contains("signature"));

    let mut missing = payout_body();
    missing.as_object_mut().expect("object").remove("currency");
    let p = prepared(&client, missing);
    let (status, body) = send(&p, &p.body).await;
    assert_eq!(status, 400);
    assert_eq!(body["error_code"], "validation_error");
    assert!(body["error_message"]
        .as_str()
        .unwrap_or("")
        .contains("currency: is required"));

    let mut phone = payout_body();
    phone["payment_data"]["phone"] = json!("12345");
    let p = prepared(&client, phone);
    let (status, body) = send(&p, &p.body).await;
    assert_eq!(status, 400);
    let msg = body["error_message"].as_str().unwrap_or("");
    assert!(
        msg.contains("payment_data.phone") && msg.contains("994"),
        "{msg}"
    );

    let (status, _) = send(&good, &good.body).await;
    assert_eq!(status, 200, "the untouched request is accepted");
    sb.stop().await;
}

#[tokio::test]
async fn unknown_path_and_wrong_auth_answer_in_provider_format() {
    let sb = start(&["specs/global_solutions.yaml"]).await;
    let url = format!("{}/payments/nothing", sb.base_url("global_solutions"));
    let answer = post(&url, &[], b"{}", LIMIT).await.expect("answer");
    assert_eq!(answer.status, 404);
    let body: Value = serde_json::from_str(&answer.body).expect("json");
    assert_eq!(body["success"], false);
    let url = format!("{}/payments/status", sb.base_url("global_solutions"));
    let answer = post(&url, &[], br#"{"transactionId":1}"#, LIMIT)
        .await
        .expect("answer");
    assert_eq!(answer.status, 401);
    assert_eq!(sb.requests().len(), 2);
    sb.stop().await;
}

#[tokio::test]
async fn user_spec_is_served_without_rebuilding() {
    let sb = start(&["tests/fixtures/sandbox/user_shop.yaml"]).await;
    let url = format!("{}/charges", sb.base_url("user_shop"));
    let key = vec![("X-Api-Key".to_string(), "test_key".to_string())];
    let charge = br#"{"order":"ord-1","amount":1250,"currency":"EUR"}"#;
    let first = post(&url, &key, charge, LIMIT).await.expect("answer");
    assert_eq!(first.status, 201, "{}", first.body);
    let first: Value = serde_json::from_str(&first.body).expect("json");
    assert_eq!(first, json!({"id": "ch_000001", "state": "paid"}));
    let again = post(&url, &key, charge, LIMIT).await.expect("answer");
    let again: Value = serde_json::from_str(&again.body).expect("json");
    assert_eq!(again, first, "a repeated order answers the existing charge");
    let declined = br#"{"order":"ord-2","amount":1299,"currency":"EUR"}"#;
    let declined = post(&url, &key, declined, LIMIT).await.expect("answer");
    assert!(declined.body.contains("refused"));
    let bad = post(
        &url,
        &key,
        br#"{"order":"x","amount":-1,"currency":"EUR"}"#,
        LIMIT,
    )
    .await
    .expect("answer");
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("order: must match") && bad.body.contains("amount"),
        "{}",
        bad.body
    );
    assert_eq!(sb.balance("user_shop", "EUR"), Some(1250));
    sb.stop().await;
}
