//! End to end through the generated Cactusgino client against the in-process sandbox: every
//! operation, signed answers (errors too), the 99 decline, a bad response signature, callbacks
//! refused on a bad signature then retried until acknowledged, a timed-out payout, and requests
//! refused in the provider's format (bad signature, missing field, bad value).

// Each e2e binary uses a subset of the shared helpers.
#[allow(dead_code)]
mod e2e_support;

use std::time::Duration;

use e2e_support::{
    assert_unknown_sent_once, compressed, engine, post_raw_ok, start, wait_for_acked_callback,
    Event, Receiver,
};
use paygen_connectors::cactusgino as ct;
use paygen_runtime::Error;
use paygen_runtime::{engine::PreparedRequest, http as h};
use paygen_sandbox::{SandboxConfig, SandboxHandle};
use serde_json::{json, Map, Value};

const P: &str = "cactusgino";

fn creds() -> ct::Credentials {
    ct::Credentials {
        merchant_id: "test_api_v2".into(),
        salt: "test_api_v2".into(),
    }
}

/// What a verified callback says.
fn event(headers: &h::HeaderMap, body: &[u8]) -> Event {
    match ct::verify_webhook(&creds(), headers, body) {
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
    }
}

/// A callback receiver that verifies with the generated client and acks good signatures only.
async fn receiver() -> Receiver<Event> {
    Receiver::verifying(ct::WEBHOOK_ACK, event).await
}

async fn sandbox(rx: &Receiver<Event>) -> SandboxHandle {
    start(SandboxConfig {
        notify_override: Some(rx.url("/cb")),
        hold_limit: Duration::from_secs(3),
        ..compressed("specs/cactusgino.yaml")
    })
    .await
}

fn client(sb: &SandboxHandle, fault: Option<&str>) -> ct::Client {
    let config = engine(Duration::from_millis(500), fault);
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

#[tokio::test]
async fn every_operation_stateful_and_signed() {
    let rx = receiver().await;
    let sb = sandbox(&rx).await;
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

    let events = rx.wait_verified(2).await;
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
    rx.wait_verified(3).await;
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
    let events = rx.wait_verified(4).await;
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
    let rx = receiver().await;
    let sb = sandbox(&rx).await;
    let err = client(&sb, Some("bad-signature"))
        .create_invoice(&invoice("inv-99", 1099, "card"))
        .await
        .expect_err("the answer's signature is wrong");
    // A badly signed answer does not prove a money-moving outcome (issue 9): unknown.
    assert!(
        matches!(
            err,
            Error::OutcomeUnknown {
                cause: paygen_runtime::UnknownCause::BadSignature,
                ..
            }
        ),
        "{err}"
    );
    let events = rx.wait_verified(1).await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(!events[0].0, "the wrongly signed first delivery is refused");
    assert_eq!(
        events[1],
        (true, "Failure inv-99 No payment received".into())
    );
    wait_for_acked_callback(&sb).await;
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
    let rx = receiver().await;
    let sb = sandbox(&rx).await;
    let err = client(&sb, Some("timeout"))
        .payout(&payout("po-t1", 3000))
        .await
        .expect_err("times out");
    assert_unknown_sent_once(&sb, "payout", &err);
    let events = rx.wait_verified(1).await;
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
    let rx = receiver().await;
    let sb = sandbox(&rx).await;
    let c = client(&sb, None);
    let good = prepared(&c, invoice_body("raw-1", 4000, "card"));
    let mut tampered: Map<String, Value> = serde_json::from_slice(&good.body).expect("json");
    tampered.insert("amount".into(), json!(4001));
    let body = post_raw_ok(&good, &serde_json::to_vec(&tampered).expect("json")).await;
    assert_refused(&body, "Invalid signature");

    let mut missing = invoice_body("raw-2", 4000, "card");
    missing
        .as_object_mut()
        .expect("object")
        .remove("site_login");
    let p = prepared(&c, missing);
    assert_refused(&post_raw_ok(&p, &p.body).await, "site_login: is required");

    let mut bad = invoice_body("raw-3", 4000, "card");
    bad["currency"] = json!("XXX");
    let p = prepared(&c, bad);
    assert_refused(&post_raw_ok(&p, &p.body).await, "currency");

    let body = post_raw_ok(&good, &good.body).await;
    assert_eq!(body["success"], true, "the untouched request is accepted");
    assert_eq!(sb.requests().len(), 4);
    sb.stop().await;
}
