//! Demo flows of Global Solutions: no-3DS charge, Advanced 3-D Secure charge + post3ds, a charge
//! the sandbox declines by its test CVV, status inquiry, the payment callbacks, and a card payout.

use std::collections::HashMap;

use paygen_connectors::global_solutions as gs;
use paygen_runtime::{webhook::Ack, CardNumber};
use serde_json::json;

use super::receiver::Verifier;
use super::{err_text, money, req, Demo, TestCredentials};

const P: &str = "global_solutions";

fn creds(get: impl Fn(&str) -> String) -> gs::Credentials {
    gs::Credentials {
        public_id: get("public_id"),
        api_secret: get("api_secret").into(),
    }
}

/// The receiver's verifier for this provider (with the sandbox test credentials of the spec).
pub fn register(v: &mut HashMap<String, (Verifier, Ack)>, tests: &TestCredentials) {
    let creds = creds(|n| tests.get(P, n));
    let verify: Verifier = Box::new(move |headers, body| {
        gs::verify_webhook(&creds, headers, body)
            .map(|e| event_name(&e))
            .map_err(|e| e.to_string())
    });
    v.insert(P.to_string(), (verify, gs::WEBHOOK_ACK));
}

fn event_name(e: &gs::WebhookEvent) -> String {
    let (name, id) = match e {
        gs::WebhookEvent::PaymentSuccess(n) => ("PaymentSuccess", n.transaction_id),
        gs::WebhookEvent::PaymentFailure(n) => ("PaymentFailure", n.transaction_id),
        gs::WebhookEvent::PayoutSuccess(n) => ("PayoutSuccess", n.transaction_id),
        gs::WebhookEvent::PayoutFailure(n) => ("PayoutFailure", n.transaction_id),
        gs::WebhookEvent::RefundSuccess(n) => ("RefundSuccess", n.transaction_id),
        gs::WebhookEvent::RefundFailure(n) => ("RefundFailure", n.transaction_id),
        _ => ("Other", None),
    };
    match id {
        Some(id) => format!("{name} #{id}"),
        None => name.to_string(),
    }
}

/// The charges' amount in minor units, and their currency.
const AMOUNT: i64 = 4011;
const CURRENCY: &str = "EUR";

fn charge(pan: &str, cvv: &str, invoice: &str) -> Result<gs::ChargeCardRequest, String> {
    req(json!({
        "amount": AMOUNT, "currency": CURRENCY, "name": "John Doe", "invoiceId": invoice,
        "description": "paygen demo order", "accountId": "john@doe.com", "ip": "127.0.0.1",
        "card": { "pan": pan, "cvv": cvv, "expiryMonth": 12, "expiryYear": 2030 }
    }))
}

/// Runs the flows.
pub async fn run(d: &mut Demo) {
    let client = match gs::Client::with_base_url(
        &d.base_url(P),
        creds(|n| d.credential(P, n)),
        d.config(),
    ) {
        Ok(c) => c,
        Err(e) => return d.check(P, "client", "ready", &err_text(&e)),
    };
    let paid = charge_flow(
        d,
        &client,
        "4242424242424242",
        "123",
        "demo-gs-1",
        "Completed",
    )
    .await;
    three_ds_flow(d, &client).await;
    charge_flow(
        d,
        &client,
        "4242424242424242",
        "333",
        "demo-gs-3",
        "Declined",
    )
    .await;
    if let Some(id) = paid {
        let got = match client
            .status(&gs::StatusRequest { transaction_id: id })
            .await
        {
            Ok(r) => r.model.and_then(|m| m.status).unwrap_or_default(),
            Err(e) => err_text(&e),
        };
        d.say(P, &format!("status of #{id} -> {got}"));
        d.check(P, "status inquiry", "Completed", &got);
    }
    let expected = callbacks_expected(paid);
    d.expect_callbacks(P, "callback verified + acknowledged", &expected)
        .await;
    payout_flow(d, &client).await;
}

fn callbacks_expected(paid: Option<i64>) -> String {
    let first = paid.map_or("PaymentSuccess".to_string(), |id| {
        format!("PaymentSuccess #{id}")
    });
    let second = paid.map_or("PaymentSuccess".to_string(), |id| {
        format!("PaymentSuccess #{}", id + 1)
    });
    let third = paid.map_or("PaymentFailure".to_string(), |id| {
        format!("PaymentFailure #{}", id + 2)
    });
    format!("{first}, {second}, {third}")
}

async fn charge_flow(
    d: &mut Demo,
    client: &gs::Client,
    pan: &str,
    cvv: &str,
    invoice: &str,
    expected: &str,
) -> Option<i64> {
    let request = match charge(pan, cvv, invoice) {
        Ok(r) => r,
        Err(e) => {
            d.check(P, "charge", expected, &e);
            return None;
        }
    };
    // The CVV is never printed, not even the sandbox's test value: the flow says what the
    // sandbox is asked to do instead.
    let flow = format!(
        "charge card {} ({})",
        CardNumber::new(pan),
        if cvv == "333" {
            "test CVV that the sandbox declines"
        } else {
            "test CVV accepted"
        }
    );
    let (got, id) = match client.charge_card(&request).await {
        Ok(gs::ChargeCardResponse::Completed(r)) => (
            "Completed".to_string(),
            r.model.and_then(|m| m.transaction_id).map(Ok),
        ),
        Ok(gs::ChargeCardResponse::Declined(r)) => {
            let reason = r.model.and_then(|m| m.reason).unwrap_or_default();
            ("Declined".to_string(), Some(Err(reason)))
        }
        Ok(other) => (format!("{other:?}"), None),
        Err(e) => (err_text(&e), None),
    };
    let why = match &id {
        Some(Err(reason)) => format!(" ({reason})"),
        _ => String::new(),
    };
    d.say(
        P,
        &format!(
            "charge_card {} card {} invoice {invoice} -> {got}{why}",
            money(AMOUNT, CURRENCY),
            CardNumber::new(pan)
        ),
    );
    d.check(P, &flow, expected, &got);
    id.and_then(Result::ok)
}

async fn three_ds_flow(d: &mut Demo, client: &gs::Client) {
    let flow = "charge card 411111******1111 (Advanced 3-DS)";
    let Ok(request) = charge("4111111111111111", "123", "demo-gs-2") else {
        return;
    };
    let challenge = match client.charge_card(&request).await {
        Ok(gs::ChargeCardResponse::Advanced3ds(r)) => r.three_ds_model,
        Ok(other) => return d.check(P, flow, "Advanced3ds", &format!("{other:?}")),
        Err(e) => return d.check(P, flow, "Advanced3ds", &err_text(&e)),
    };
    let Some(id) = challenge.as_ref().and_then(|c| c.transaction_id) else {
        return d.check(P, flow, "Advanced3ds", "no transactionId");
    };
    let acs = challenge.and_then(|c| c.acs_url).unwrap_or_default();
    d.say(
        P,
        &format!(
            "charge_card {} card 411111******1111 invoice demo-gs-2 -> Advanced3ds: POST PaReq \
             to {acs}; the payer authenticates (passphrase 4)",
            money(AMOUNT, CURRENCY)
        ),
    );
    let post = gs::Post3dsRequest {
        transaction_id: id,
        pa_res: format!("sandbox-pares-{id}"),
    };
    let got = match client.post3ds(&post).await {
        Ok(gs::Post3dsResponse::Completed(_)) => "Completed".to_string(),
        Ok(other) => format!("{other:?}"),
        Err(e) => err_text(&e),
    };
    d.say(P, &format!("post3ds #{id} -> {got}"));
    d.check(P, flow, "Completed", &got);
}

async fn payout_flow(d: &mut Demo, client: &gs::Client) {
    let flow = "payout to card 424242******4242";
    let request: Result<gs::PayoutCardRequest, String> = req(json!({
        "pan": "4242424242424242", "name": "John Doe", "amount": 1230, "currency": CURRENCY,
        "invoiceId": "demo-gs-payout-1"
    }));
    let Ok(request) = request else {
        return d.check(P, flow, "Completed", "bad request");
    };
    let got = match client.payout_card(&request).await {
        Ok(gs::PayoutCardResponse::Completed(r)) => {
            let id = r.model.and_then(|m| m.transaction_id).unwrap_or_default();
            d.say(
                P,
                &format!(
                    "payout_card {} to card 424242******4242 -> PayoutCompleted #{id}",
                    money(1230, CURRENCY)
                ),
            );
            "Completed".to_string()
        }
        Ok(other) => format!("{other:?}"),
        Err(e) => err_text(&e),
    };
    d.check(P, flow, "Completed", &got);
}
