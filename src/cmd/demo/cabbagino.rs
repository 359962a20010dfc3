//! Demo flows of Cabbagino: a card deposit answered with a 3-D Secure redirect, a deposit whose
//! amount ends in 99 (declined by the sandbox rule), status, the signed callbacks, and a payout.

use std::collections::HashMap;

use paygen_connectors::cabbagino as cb;
use paygen_runtime::webhook::Ack;
use serde_json::json;

use super::receiver::Verifier;
use super::{err_text, money, req, Demo, TestCredentials};

const P: &str = "cabbagino";

fn creds(get: impl Fn(&str) -> String) -> cb::Credentials {
    cb::Credentials {
        merchant_key: get("merchant_key").into(),
        salt: get("salt").into(),
    }
}

/// The receiver's verifier (sandbox test credentials of the spec).
pub fn register(v: &mut HashMap<String, (Verifier, Ack)>, tests: &TestCredentials) {
    let creds = creds(|n| tests.get(P, n));
    let verify: Verifier = Box::new(move |headers, body| {
        cb::verify_webhook(&creds, headers, body)
            .map(|e| match e {
                cb::WebhookEvent::Success(c) => {
                    format!("Success {}", c.external_id.unwrap_or_default())
                }
                cb::WebhookEvent::Decline(c) => {
                    format!("Decline {}", c.external_id.unwrap_or_default())
                }
                other => format!("{other:?}"),
            })
            .map_err(|e| e.to_string())
    });
    v.insert(P.to_string(), (verify, cb::WEBHOOK_ACK));
}

fn deposit(external_id: &str, amount: i64, card: bool) -> Result<cb::DepositRequest, String> {
    let mut body = json!({
        "payment_system": "TEST_PS", "external_id": external_id,
        "customer": { "customer_id": "demo-customer", "country": "LV", "first_name": "Test", "last_name": "Test" },
        "amount": amount, "currency": "USD"
    });
    if card {
        body["payment_data"] = json!({
            "card_number": "4111111111111111", "card_holder": "John Doe",
            "exp_year": "2028", "exp_month": "06", "cvv": "123"
        });
    }
    req(body)
}

/// Runs the flows.
pub async fn run(d: &mut Demo) {
    let client = match cb::Client::with_base_url(
        &d.base_url(P),
        creds(|n| d.credential(P, n)),
        d.config(),
    ) {
        Ok(c) => c,
        Err(e) => return d.check(P, "client", "ready", &err_text(&e)),
    };
    let order = deposit_flow(d, &client, "demo-cb-1", 2000, true, "Redirect").await;
    deposit_flow(d, &client, "demo-cb-2", 1099, false, "Accepted").await;
    d.expect_callbacks(
        P,
        "callback verified + acknowledged",
        "Decline demo-cb-2, Success demo-cb-1",
    )
    .await;
    if let Some(order_id) = order {
        let got = match client
            .transaction_status(&cb::StatusRequest {
                order_id: order_id.clone(),
            })
            .await
        {
            Ok(r) => format!("{:?}", r.status.unwrap_or(cb::TransactionStatus::Initial)),
            Err(e) => err_text(&e),
        };
        d.say(P, &format!("transaction_status {order_id} -> {got}"));
        d.check(P, "status inquiry", "Success", &got);
    }
    payout_flow(d, &client).await;
}

async fn deposit_flow(
    d: &mut Demo,
    client: &cb::Client,
    external_id: &str,
    amount: i64,
    card: bool,
    expected: &str,
) -> Option<String> {
    let Ok(request) = deposit(external_id, amount, card) else {
        d.check(P, "deposit", expected, "bad demo request");
        return None;
    };
    let what = if card {
        "card 411111******1111 (3-D Secure)"
    } else {
        "amount ending in 99"
    };
    let (got, order, detail) = match client.deposit(&request).await {
        Ok(cb::DepositResponse::Redirect(r)) => {
            let to = r.redirect.unwrap_or_default();
            ("Redirect".to_string(), None, format!(" to {to}"))
        }
        Ok(cb::DepositResponse::Accepted(r)) => ("Accepted".to_string(), r.order_id, String::new()),
        Ok(other) => (format!("{other:?}"), None, String::new()),
        Err(e) => (err_text(&e), None, String::new()),
    };
    d.say(
        P,
        &format!(
            "deposit {external_id} {} {what} -> {got}{detail}",
            money(amount, "USD")
        ),
    );
    d.check(P, &format!("deposit, {what}"), expected, &got);
    match order {
        Some(o) => Some(o),
        None => d.sandbox_order(P, external_id),
    }
}

/// The payout's amount in minor units.
const PAYOUT: i64 = 4000;

async fn payout_flow(d: &mut Demo, client: &cb::Client) {
    let request: Result<cb::PayoutRequest, String> = req(json!({
        "payment_system": "TEST_PS", "external_id": "demo-cb-payout-1",
        "customer": { "customer_id": "demo-customer", "country": "LV", "first_name": "Test", "last_name": "Test" },
        "amount": PAYOUT, "currency": "USD"
    }));
    let Ok(request) = request else {
        return d.check(P, "payout", "Accepted", "bad demo request");
    };
    let got = match client.payout(&request).await {
        Ok(cb::PayoutResponse::Accepted(r)) => {
            d.say(
                P,
                &format!(
                    "payout demo-cb-payout-1 {} -> accepted, order {}",
                    money(PAYOUT, "USD"),
                    r.order_id.unwrap_or_default()
                ),
            );
            "Accepted".to_string()
        }
        Ok(other) => format!("{other:?}"),
        Err(e) => err_text(&e),
    };
    let flow = format!("payout {}", money(PAYOUT, "USD"));
    d.check(P, &flow, "Accepted", &got);
    d.expect_callbacks(
        P,
        "payout callback verified + acknowledged",
        "Success demo-cb-payout-1",
    )
    .await;
}
