//! End to end through the generated Cabbagino client: a decline by the 99 rule, and callbacks
//! whose first delivery is signed wrongly (refused by `verify_webhook`) and then retried on the
//! scaled schedule until acknowledged.

// Each e2e binary uses a subset of the shared helpers.
#[allow(dead_code)]
mod e2e_support;

use std::time::Duration;

use e2e_support::{compressed, start, wait_for_acked_callback, Event, Receiver};
use paygen_connectors::cabbagino as cb;
use paygen_runtime::EngineConfig;
use paygen_sandbox::SandboxConfig;
use serde_json::json;

fn creds() -> cb::Credentials {
    cb::Credentials {
        merchant_key: "test_merchant_key".into(),
        salt: "test_salt".into(),
    }
}

/// A receiver that verifies with the generated client and acks only good signatures.
async fn receiver() -> Receiver<Event> {
    Receiver::verifying(cb::WEBHOOK_ACK, |headers, body| {
        (
            cb::verify_webhook(&creds(), headers, body).is_ok(),
            String::new(),
        )
    })
    .await
}

#[tokio::test]
async fn decline_by_rule_and_callback_retried_after_bad_signature() {
    let rx = receiver().await;
    let sb = start(SandboxConfig {
        notify_override: Some(rx.url("/cb")),
        time_scale: 0.0005,
        settle: Some(Duration::from_millis(20)),
        ..compressed("specs/cabbagino.yaml")
    })
    .await;
    let engine = EngineConfig {
        extra_headers: vec![("X-Paygen-Fault".into(), "bad-signature".into())],
        ..EngineConfig::default()
    };
    let client =
        cb::Client::with_base_url(&sb.base_url("cabbagino"), creds(), engine).expect("client");
    let request: cb::PayoutRequest = serde_json::from_value(json!({
        "payment_system": "TEST_PS", "external_id": "e2e-99",
        "customer": { "customer_id": "c1", "country": "LV", "first_name": "T", "last_name": "T" },
        "amount": 1099, "currency": "USD"
    }))
    .expect("request");
    let answer = client.payout(&request).await.expect("accepted");
    assert!(
        matches!(answer, cb::PayoutResponse::Accepted(_)),
        "{answer:?}"
    );
    wait_for_acked_callback(&sb).await;
    let calls = sb.callbacks();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(!calls[0].acked && calls[1].acked);
    assert_eq!(rx.verified(), vec![false, true]);
    let order = sb.transaction_id("cabbagino", "e2e-99").expect("order id");
    let status = client
        .transaction_status(&cb::StatusRequest { order_id: order })
        .await
        .expect("status");
    assert_eq!(status.status, Some(cb::TransactionStatus::Decline));
    assert_eq!(status.reason_code.as_deref(), Some("001"));
    sb.stop().await;
}

#[tokio::test]
async fn processing_payout_is_reserved_in_balances() {
    let sb = start(SandboxConfig {
        settle: Some(Duration::from_millis(500)),
        ..compressed("specs/cabbagino.yaml")
    })
    .await;
    let client =
        cb::Client::with_base_url(&sb.base_url("cabbagino"), creds(), EngineConfig::default())
            .expect("client");
    let request: cb::PayoutRequest = serde_json::from_value(json!({
        "payment_system": "TEST_PS", "external_id": "reserve-1",
        "customer": { "customer_id": "c1", "country": "LV", "first_name": "T", "last_name": "T" },
        "amount": 4000, "currency": "USD"
    }))
    .expect("request");
    client.payout(&request).await.expect("accepted");
    let balances = client.balances().await.expect("balances");
    let usd = balances.get("USD").cloned().expect("USD");
    assert_eq!(
        usd.reserved,
        Some(4000),
        "held while the payout is processing"
    );
    sb.stop().await;
}
