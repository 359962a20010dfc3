//! End to end through the generated Cabbagino client: a decline by the 99 rule, and callbacks
//! whose first delivery is signed wrongly (refused by `verify_webhook`) and then retried on the
//! scaled schedule until acknowledged.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use paygen_connectors::cabbagino as cb;
use paygen_runtime::__codegen::http as h;
use paygen_runtime::EngineConfig;
use paygen_sandbox::http::{read_request, write_response, Response};
use paygen_sandbox::{Sandbox, SandboxConfig};
use serde_json::json;
use tokio::net::TcpListener;

fn creds() -> cb::Credentials {
    cb::Credentials {
        merchant_key: "test_merchant_key".into(),
        salt: "test_salt".into(),
    }
}

/// A receiver that verifies with the generated client and acks only good signatures.
async fn receiver() -> (u16, Arc<Mutex<Vec<bool>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen2 = seen.clone();
    tokio::spawn(async move {
        for _ in 0..50 {
            let Ok((mut s, _)) = listener.accept().await else {
                continue;
            };
            let Some(req) = read_request(&mut s).await else {
                continue;
            };
            let mut headers = h::HeaderMap::new();
            for (k, v) in &req.headers {
                if let (Ok(k), Ok(v)) = (
                    h::HeaderName::try_from(k.as_str()),
                    h::HeaderValue::from_str(v),
                ) {
                    headers.append(k, v);
                }
            }
            let ok = cb::verify_webhook(&creds(), &headers, &req.body).is_ok();
            seen2.lock().expect("lock").push(ok);
            let resp = if ok {
                Response::json(200, cb::WEBHOOK_ACK.body.as_bytes().to_vec())
            } else {
                Response::json(400, b"{}".to_vec())
            };
            write_response(&mut s, &resp).await;
        }
    });
    (port, seen)
}

#[tokio::test]
async fn decline_by_rule_and_callback_retried_after_bad_signature() {
    let (port, seen) = receiver().await;
    let config = SandboxConfig {
        specs: vec!["specs/cabbagino.yaml".into()],
        notify_override: Some(format!("http://127.0.0.1:{port}/cb")),
        time_scale: 0.0005,
        settle: Some(Duration::from_millis(20)),
        ..SandboxConfig::default()
    };
    let sb = Sandbox::start(config).await.expect("sandbox");
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
    for _ in 0..200 {
        if sb.callbacks().iter().any(|c| c.acked) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let calls = sb.callbacks();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(!calls[0].acked && calls[1].acked);
    assert_eq!(*seen.lock().expect("lock"), vec![false, true]);
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
    let config = SandboxConfig {
        specs: vec!["specs/cabbagino.yaml".into()],
        time_scale: 0.001,
        settle: Some(Duration::from_millis(500)),
        ..SandboxConfig::default()
    };
    let sb = Sandbox::start(config).await.expect("sandbox");
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
