//! The general rule capabilities, over raw HTTP against a small fixture spec: routing between
//! operations sharing a path, move_to (and the settle timer, run by advancing the sandbox's
//! clock, leaving a moved transaction alone),
//! update, checks on the found transaction, list by parent, balance by currency, templated state
//! variables and the `missing` error.

use std::time::Duration;

use paygen_sandbox::http::post;
use paygen_sandbox::{Sandbox, SandboxConfig, SandboxHandle};
use serde_json::{json, Value};

async fn start() -> SandboxHandle {
    let config = SandboxConfig {
        specs: vec![concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ledger.yaml").into()],
        ..SandboxConfig::default()
    };
    Sandbox::start(config).await.expect("sandbox starts")
}

async fn call(sb: &SandboxHandle, path: &str, body: Value) -> (u16, Value) {
    let url = format!("{}{path}", sb.base_url("ledger"));
    let key = vec![("X-Api-Key".to_string(), "test_key".to_string())];
    let bytes = body.to_string().into_bytes();
    let a = post(&url, &key, &bytes, Duration::from_secs(5))
        .await
        .expect("answer");
    (
        a.status,
        serde_json::from_str(&a.body).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn one_path_two_operations_move_to_and_update() {
    let sb = start().await;
    let (s, a) = call(
        &sb,
        "/open",
        json!({"ref": "a", "amount": 5, "currency": "EUR", "kind": "cash"}),
    )
    .await;
    assert_eq!(
        (s, a),
        (200, json!({"id": "L001", "shown": "open 5"})),
        "state vars are templates"
    );
    call(
        &sb,
        "/open",
        json!({"ref": "b", "amount": 7, "currency": "EUR", "parent": "L001"}),
    )
    .await;

    let (s, a) = call(
        &sb,
        "/update",
        json!({"ref": "a", "action": "edit", "note": "hi"}),
    )
    .await;
    assert_eq!(
        (s, a),
        (200, json!({"id": "L001", "note": "hi"})),
        "routed to edit by its type"
    );
    let (s, a) = call(&sb, "/update", json!({"ref": "a", "action": "close"})).await;
    assert_eq!((s, a), (200, json!({"id": "L001", "shown": "closed hi"})));
    let (s, a) = call(&sb, "/update", json!({"ref": "b", "action": "close"})).await;
    assert_eq!(s, 422);
    assert_eq!(
        a["error"], "only cash entries close",
        "checks see the found tx"
    );

    // the rules' settle_ms (100 s) passes on the sandbox's clock, not the test's
    sb.advance(Duration::from_secs(100));
    for _ in 0..200 {
        if sb.balance("ledger", "EUR") == Some(107) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let reqs = sb.requests();
    assert_eq!(reqs[2].operation.as_deref(), Some("edit"));
    assert_eq!(reqs[3].operation.as_deref(), Some("close"));
    assert_eq!(
        sb.balance("ledger", "EUR"),
        Some(107),
        "b settled; the closed a did not"
    );
    let (_, a) = call(&sb, "/children", json!({"parent": "L001"})).await;
    assert_eq!(a, json!({"items": [{"id": "L002"}]}));
    let (_, a) = call(&sb, "/balance", json!({"currency": "USD"})).await;
    assert_eq!(a, json!({"balances": [{"c": "USD", "m": 200}]}));
    let (_, a) = call(&sb, "/balance", json!({})).await;
    assert_eq!(a["balances"].as_array().map(Vec::len), Some(2));
    sb.stop().await;
}

#[tokio::test]
async fn missing_fields_and_bad_values_get_their_own_errors() {
    let sb = start().await;
    let (s, a) = call(&sb, "/open", json!({"ref": "a", "currency": "EUR"})).await;
    assert_eq!((s, a["code"].clone()), (400, json!("missing")));
    assert!(a["error"]
        .as_str()
        .unwrap_or("")
        .contains("amount: is required"));
    let (s, a) = call(
        &sb,
        "/open",
        json!({"ref": "a", "amount": 1, "currency": "EUR", "kind": "gold"}),
    )
    .await;
    assert_eq!((s, a["code"].clone()), (422, json!("bad_value")));
    sb.stop().await;
}
