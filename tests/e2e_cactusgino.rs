//! End to end through the generated Cactusgino client against the in-process sandbox: every
//! operation, signed answers (errors too), the 99 decline, a bad response signature, callbacks
//! refused on a bad signature then retried until acknowledged, a timed-out payout, and requests
//! refused in the provider's format (bad signature, missing field, bad value).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use paygen_connectors::cactusgino as ct;
use paygen_runtime::__codegen::{http as h, EngineConfig, PreparedRequest};
use paygen_runtime::Error;
use paygen_sandbox::http::{post, read_request, write_response, Response};
use paygen_sandbox::{Sandbox, SandboxConfig, SandboxHandle};
use serde_json::{json, Map, Value};
use tokio::net::TcpListener;

const P: &str = "cactusgino";

fn creds() -> ct::Credentials {
    ct::Credentials {
        merchant_id: "test_api_v2".into(),
        salt: "test_api_v2".into(),
    }
}

/// What the receiver saw: (verified, event text).
type Seen = Arc<Mutex<Vec<(bool, String)>>>;

/// A callback receiver that verifies with the generated client and acks good signatures only.
async fn receiver() -> (u16, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen: Seen = Arc::new(Mutex::new(Vec::new()));
    let seen2 = seen.clone();
    tokio::spawn(async move {
        for _ in 0..100 {
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
            let (ok, text) = match ct::verify_webhook(&creds(), &headers, &req.body) {
                Ok(ct::WebhookEvent::Success(c)) => (
                    true,
                    format!("Success {}", c.request_id.unwrap_or_default()),
                ),
                Ok(ct::WebhookEvent::Failure(c)) => (
                    true,
                    format!(
                        "Failure {} {}",
                        c.request_id.unwrap_or_default(),
                        c.description.unwrap_or_default()
                    ),
                ),
                Ok(other) => (true, format!("{other:?}")),
                Err(e) => (false, e.to_string()),
            };
            seen2.lock().expect("lock").push((ok, text));
            let resp = if ok {
                Response::json(200, ct::WEBHOOK_ACK.body.as_bytes().to_vec())
            } else {
                Response::json(400, b"{}".to_vec())
            };
            write_response(&mut s, &resp).await;
        }
    });
    (port, seen)
}

async fn start(notify_port: u16) -> SandboxHandle {
    let config = SandboxConfig {
        specs: vec!["specs/cactusgino.yaml".into()],
        notify_override: Some(format!("http://127.0.0.1:{notify_port}/cb")),
        time_scale: 0.001,
        settle: Some(Duration::from_millis(30)),
        hold_limit: Duration::from_secs(3),
        ..SandboxConfig::default()
    };
    Sandbox::start(config).await.expect("sandbox starts")
}

fn client(sb: &SandboxHandle, fault: Option<&str>) -> ct::Client {
    let config = EngineConfig {
        timeout: Duration::from_millis(500),
        extra_headers: fault
            .map(|f| vec![("X-Paygen-Fault".to_string(), f.to_string())])
            .unwrap_or_default(),
        ..EngineConfig::default()
    };
    ct::Client::with_base_url(&sb.base_url(P), creds(), config).expect("client")
}

fn invoice_body(request_id: &str, amount: i64, method: &str) -> Value {
    let mut body = json!({
        "site_login": "user_4", "site_id": 101, "request_id": request_id,
        "amount": amount, "currency": "USD", "method": method
    });
    if method == "cash" {
        body["additional_fields"] = json!({
            "address": "Main street 1", "username": "@user", "messenger": "telegram", "asap": "true"
        });
    }
    body
}

fn invoice(request_id: &str, amount: i64, method: &str) -> ct::CreateInvoiceRequest {
    serde_json::from_value(invoice_body(request_id, amount, method)).expect("request")
}

fn payout(request_id: &str, amount: i64) -> ct::PayoutRequest {
    serde_json::from_value(json!({
        "site_login": "user_4", "site_id": 101, "request_id": request_id,
        "amount": amount, "currency": "USD", "method": "card",
        "additional_fields": { "card_number": "4242424242424242", "card_holder": "John Wick" }
    }))
    .expect("request")
}

fn usd_balance(b: &ct::BalanceResult) -> Option<String> {
    let list = b.balances.as_ref()?;
    let usd = list
        .iter()
        .find(|e| e.currency == Some(ct::Currency::Usd))?;
    usd.amount.as_ref().map(|a| a.to_string())
}

async fn wait_for(seen: &Seen, count: usize) -> Vec<(bool, String)> {
    for _ in 0..300 {
        let got = seen.lock().expect("lock").clone();
        if got.iter().filter(|(ok, _)| *ok).count() >= count {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    seen.lock().expect("lock").clone()
}

#[tokio::test]
async fn every_operation_stateful_and_signed() {
    let (port, seen) = receiver().await;
    let sb = start(port).await;
    let c = client(&sb, None);

    let token: ct::ObtainTokenRequest = serde_json::from_value(json!({
        "site_id": 101, "site_login": "user_4", "request_id": "tok-1", "amount": 5000, "currency": "USD"
    }))
    .expect("request");
    let t = c.obtain_token(&token).await.expect("token");
    assert_eq!(t.success, Some(true));
    assert!(t.redirect_url.unwrap_or_default().contains("/jsapi/open/"));
    let again = c.obtain_token(&token).await.expect("same token");
    assert_eq!(
        again.redirect_url,
        c.obtain_token(&token).await.expect("t").redirect_url
    );

    let inv = c
        .create_invoice(&invoice("inv-1", 10000, "card"))
        .await
        .expect("invoice");
    assert_eq!(inv.success, Some(true));
    assert_eq!(inv.status, Some(ct::InvoiceStatus::Processing));
    assert!(
        inv.invoice_id.as_ref().is_some_and(Value::is_u64),
        "{inv:?}"
    );

    let events = wait_for(&seen, 2).await;
    let texts: Vec<&str> = events.iter().map(|(_, t)| t.as_str()).collect();
    assert!(texts.contains(&"Success inv-1"), "{texts:?}");
    assert!(texts.contains(&"Success tok-1"), "{texts:?}");

    let bal = ct::BalanceRequest {
        site_id: 101,
        currency: Some(ct::Currency::Usd),
    };
    let before = c.balance(&bal).await.expect("balance");
    assert_eq!(before.site_id, Some(101));
    assert_eq!(usd_balance(&before).as_deref(), Some("10150.00"));
    let out = c.payout(&payout("po-1", 2500)).await.expect("payout");
    assert_eq!(out.invoice_id.as_ref().map(Value::is_string), Some(true));
    wait_for(&seen, 3).await;
    let after = c.balance(&bal).await.expect("balance");
    assert_eq!(usd_balance(&after).as_deref(), Some("10125.00"));
    let project = c
        .balance_project(&ct::ProjectBalanceRequest {
            project_id: "2".into(),
            site_id: 101,
            currency: None,
        })
        .await
        .expect("project balance");
    let totals = project.project_balance.unwrap_or_default();
    assert_eq!(totals.len(), 4, "every currency when none is asked");

    // close a paid invoice: stays paid, received = amount; close an open one: status 5
    let closed = c
        .close_invoice(&ct::CloseInvoiceRequest {
            site_login: "user_4".into(),
            site_id: 101,
            request_id: "inv-1".into(),
        })
        .await
        .expect("close");
    assert_eq!(closed.status, Some(ct::InvoiceStatus::Success));
    assert_eq!(closed.received_amount.map(|m| m.0), Some(10000));
    c.create_invoice(&invoice("cash-1", 7000, "cash"))
        .await
        .expect("cash invoice");
    let edit: ct::CashInvoiceEditRequest = serde_json::from_value(json!({
        "request_id": "cash-1", "site_id": 101, "update_type": "edit", "address": "New street 2"
    }))
    .expect("edit");
    let edited = c.cash_invoice_edit(&edit).await.expect("edit");
    assert_eq!(edited.success, Some(true));
    assert_eq!(edited.request_id.as_deref(), Some("cash-1"));
    let cancel = ct::CashInvoiceCancelRequest {
        request_id: "cash-1".into(),
        site_id: 101,
    };
    let cancelled = c.cash_invoice_cancel(&cancel).await.expect("cancel");
    assert_eq!(cancelled.amount.map(|m| m.0), Some(7000));
    let late = c.cash_invoice_edit(&edit).await.expect_err("final");
    assert!(late.to_string().contains("final"), "{late}");
    let events = wait_for(&seen, 4).await;
    assert!(
        events
            .iter()
            .any(|(_, t)| t == "Failure cash-1 Invoice closed by the merchant"),
        "{events:?}"
    );

    // a card invoice is not a cash invoice; a repeated request_id is refused
    let wrong = ct::CashInvoiceCancelRequest {
        request_id: "inv-1".into(),
        ..cancel
    };
    let err = c.cash_invoice_cancel(&wrong).await.expect_err("not cash");
    assert!(matches!(&err, Error::Declined { message, .. } if message == "Not a cash invoice"));
    let err = c
        .create_invoice(&invoice("inv-1", 10000, "card"))
        .await
        .expect_err("duplicate");
    assert!(
        matches!(&err, Error::Declined { message, .. } if message.contains("already exists")),
        "{err}"
    );
    sb.stop().await;
}

#[tokio::test]
async fn decline_bad_response_signature_and_callback_retried() {
    let (port, seen) = receiver().await;
    let sb = start(port).await;
    let err = client(&sb, Some("bad-signature"))
        .create_invoice(&invoice("inv-99", 1099, "card"))
        .await
        .expect_err("the answer's signature is wrong");
    assert!(
        matches!(
            err,
            Error::BadSignature {
                what: "response",
                ..
            }
        ),
        "{err}"
    );
    let events = wait_for(&seen, 1).await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(!events[0].0, "the wrongly signed first delivery is refused");
    assert_eq!(
        events[1],
        (true, "Failure inv-99 No payment received".into())
    );
    // the sandbox records an attempt once the answer is read: wait for the acknowledged one
    for _ in 0..300 {
        if sb.callbacks().iter().any(|c| c.acked) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let calls = sb.callbacks();
    assert_eq!(calls.len(), 2);
    assert!(!calls[0].acked && calls[1].acked);
    let closed = client(&sb, None)
        .close_invoice(&ct::CloseInvoiceRequest {
            site_login: "user_4".into(),
            site_id: 101,
            request_id: "inv-99".into(),
        })
        .await
        .expect("close");
    assert_eq!(closed.status, Some(ct::InvoiceStatus::Decline));
    assert_eq!(closed.received_amount.map(|m| m.0), Some(0));
    sb.stop().await;
}

#[tokio::test]
async fn timed_out_payout_is_unknown_sent_once_and_reported_by_callback() {
    let (port, seen) = receiver().await;
    let sb = start(port).await;
    let err = client(&sb, Some("timeout"))
        .payout(&payout("po-t1", 3000))
        .await
        .expect_err("times out");
    assert!(
        matches!(
            err,
            Error::OutcomeUnknown {
                money_moving: true,
                ..
            }
        ),
        "{err}"
    );
    let sent = sb
        .requests()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("payout"))
        .count();
    assert_eq!(sent, 1, "a payout is never sent twice");
    let events = wait_for(&seen, 1).await;
    assert!(
        events.contains(&(true, "Success po-t1".into())),
        "{events:?}"
    );
    assert_eq!(sb.balance(P, "USD"), Some(1_000_000 - 3000));
    sb.stop().await;
}

/// The exact signed request the generated client would send for this body.
fn prepared(c: &ct::Client, body: Value) -> PreparedRequest {
    let Value::Object(mut map) = body else {
        panic!("object")
    };
    map.insert("merchant_id".into(), json!("test_api_v2"));
    c.engine()
        .prepare(&ct::operations::CREATE_INVOICE, Some(map))
        .expect("prepare")
}

async fn send(p: &PreparedRequest, body: &[u8]) -> Map<String, Value> {
    let headers: Vec<(String, String)> = p
        .headers
        .iter()
        .filter(|(k, _)| k != "Content-Length")
        .cloned()
        .collect();
    let answer = post(&p.url, &headers, body, Duration::from_secs(5))
        .await
        .expect("answer");
    assert_eq!(answer.status, 200, "{}", answer.body);
    serde_json::from_str(&answer.body).expect("json object")
}

/// Errors are `{"success": false, "message", "signature"}`, signed like every answer.
fn assert_refused(body: &Map<String, Value>, wants: &str) {
    assert_eq!(body["success"], false);
    let msg = body["message"].as_str().unwrap_or("");
    assert!(msg.contains(wants), "{msg}");
    let sig = body["signature"].as_str().unwrap_or("");
    assert_eq!(sig.len(), 40, "signed: {body:?}");
}

#[tokio::test]
async fn bad_signature_missing_field_and_bad_value_refused_in_provider_format() {
    let (port, _) = receiver().await;
    let sb = start(port).await;
    let c = client(&sb, None);
    let good = prepared(&c, invoice_body("raw-1", 4000, "card"));
    let mut tampered: Map<String, Value> = serde_json::from_slice(&good.body).expect("json");
    tampered.insert("amount".into(), json!(4001));
    let body = send(&good, &serde_json::to_vec(&tampered).expect("json")).await;
    assert_refused(&body, "Invalid signature");

    let mut missing = invoice_body("raw-2", 4000, "card");
    missing
        .as_object_mut()
        .expect("object")
        .remove("site_login");
    let p = prepared(&c, missing);
    assert_refused(&send(&p, &p.body).await, "site_login: is required");

    let mut bad = invoice_body("raw-3", 4000, "card");
    bad["currency"] = json!("XXX");
    let p = prepared(&c, bad);
    assert_refused(&send(&p, &p.body).await, "currency");

    let body = send(&good, &good.body).await;
    assert_eq!(body["success"], true, "the untouched request is accepted");
    assert_eq!(sb.requests().len(), 4);
    sb.stop().await;
}
