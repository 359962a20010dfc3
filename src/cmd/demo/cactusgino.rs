//! Demo flows of Cactusgino: an H2H deposit invoice, one whose amount ends in 99 (declined by the
//! sandbox rule), the signed callbacks, close_invoice as the status inquiry (Cactus documents no
//! status endpoint), a card payout, and the balance it changed. Every answer is signed and
//! verified by the client.

use std::collections::HashMap;

use paygen_connectors::cactusgino as ct;
use paygen_runtime::webhook::Ack;
use serde_json::json;

use super::receiver::Verifier;
use super::{err_text, money, req, Demo, TestCredentials};

const P: &str = "cactusgino";

fn creds(get: impl Fn(&str) -> String) -> ct::Credentials {
    ct::Credentials {
        merchant_id: get("merchant_id"),
        salt: get("salt").into(),
    }
}

/// The receiver's verifier (sandbox test credentials of the spec).
pub fn register(v: &mut HashMap<String, (Verifier, Ack)>, tests: &TestCredentials) {
    let creds = creds(|n| tests.get(P, n));
    let verify: Verifier = Box::new(move |headers, body| {
        ct::verify_webhook(&creds, headers, body)
            .map(|e| match e {
                ct::WebhookEvent::Success(c) => {
                    format!("Success {}", c.request_id.unwrap_or_default())
                }
                ct::WebhookEvent::Failure(c) => format!(
                    "Failure {} ({})",
                    c.request_id.unwrap_or_default(),
                    c.description.unwrap_or_default()
                ),
                other => format!("{other:?}"),
            })
            .map_err(|e| e.to_string())
    });
    v.insert(P.to_string(), (verify, ct::WEBHOOK_ACK));
}

fn status_text(s: Option<&ct::InvoiceStatus>) -> String {
    s.map_or_else(|| "no status".to_string(), |s| format!("{s:?}"))
}

/// Runs the flows.
pub async fn run(d: &mut Demo) {
    let client = match ct::Client::with_base_url(
        &d.base_url(P),
        creds(|n| d.credential(P, n)),
        d.config(),
    ) {
        Ok(c) => c,
        Err(e) => return d.check(P, "client", "ready", &err_text(&e)),
    };
    invoice_flow(d, &client, "demo-ct-1", 2500, "deposit (create_invoice)").await;
    invoice_flow(
        d,
        &client,
        "demo-ct-2",
        1099,
        "deposit, amount ending in 99",
    )
    .await;
    d.say(
        P,
        "Cactus has no status endpoint: outcomes arrive by signed callback",
    );
    d.expect_callbacks(
        P,
        "callback verified + acknowledged",
        "Failure demo-ct-2 (No payment received), Success demo-ct-1",
    )
    .await;
    status_flow(d, &client).await;
    payout_flow(d, &client).await;
    balance_flow(d, &client).await;
}

async fn invoice_flow(d: &mut Demo, client: &ct::Client, id: &str, amount: i64, flow: &str) {
    let request: Result<ct::CreateInvoiceRequest, String> = req(json!({
        "site_login": "demo-user", "site_id": 101, "request_id": id,
        "amount": amount, "currency": "USD", "method": "card"
    }));
    let Ok(request) = request else {
        return d.check(P, flow, "Processing", "bad demo request");
    };
    let got = match client.create_invoice(&request).await {
        Ok(r) => {
            d.say(
                P,
                &format!(
                    "create_invoice {id} {} -> invoice {} \"{}\" (answer signature verified)",
                    money(amount, "USD"),
                    r.invoice_id.map(|v| v.to_string()).unwrap_or_default(),
                    r.message.unwrap_or_default()
                ),
            );
            status_text(r.status.as_ref())
        }
        Err(e) => err_text(&e),
    };
    d.check(P, flow, "Processing", &got);
}

async fn status_flow(d: &mut Demo, client: &ct::Client) {
    let request = ct::CloseInvoiceRequest {
        site_login: "demo-user".into(),
        site_id: 101,
        request_id: "demo-ct-1".into(),
    };
    d.say(
        P,
        "status inquiry: close_invoice on the paid invoice reports its final status (closing a paid invoice changes nothing)",
    );
    let got = match client.close_invoice(&request).await {
        Ok(r) => {
            d.say(
                P,
                &format!(
                    "close_invoice demo-ct-1 -> status {}, received {}",
                    status_text(r.status.as_ref()),
                    money(r.received_amount.map_or(0, |m| m.0), "USD")
                ),
            );
            status_text(r.status.as_ref())
        }
        Err(e) => err_text(&e),
    };
    d.check(P, "status inquiry (close_invoice)", "Success", &got);
}

/// The payout's amount in minor units.
const PAYOUT: i64 = 4000;

async fn payout_flow(d: &mut Demo, client: &ct::Client) {
    let request: Result<ct::PayoutRequest, String> = req(json!({
        "site_login": "demo-user", "site_id": 101, "request_id": "demo-ct-payout-1",
        "amount": PAYOUT, "currency": "USD", "method": "card",
        "additional_fields": { "card_number": "4242424242424242", "card_holder": "John Wick" }
    }));
    let Ok(request) = request else {
        return d.check(P, "payout", "Processing", "bad demo request");
    };
    let got = match client.payout(&request).await {
        Ok(r) => {
            d.say(
                P,
                &format!(
                    "payout demo-ct-payout-1 {} to card 424242******4242 -> invoice {}",
                    money(PAYOUT, "USD"),
                    r.invoice_id.map(|v| v.to_string()).unwrap_or_default()
                ),
            );
            status_text(r.status.as_ref())
        }
        Err(e) => err_text(&e),
    };
    let flow = format!("payout {}", money(PAYOUT, "USD"));
    d.check(P, &flow, "Processing", &got);
    d.expect_callbacks(
        P,
        "payout callback verified + acknowledged",
        "Success demo-ct-payout-1",
    )
    .await;
}

async fn balance_flow(d: &mut Demo, client: &ct::Client) {
    let request = ct::BalanceRequest {
        site_id: 101,
        currency: Some(ct::Currency::Usd),
    };
    let got = match client.balance(&request).await {
        Ok(r) => r
            .balances
            .unwrap_or_default()
            .into_iter()
            .find_map(|b| b.amount.map(|a| a.to_string()))
            .unwrap_or_default(),
        Err(e) => err_text(&e),
    };
    d.say(
        P,
        &format!(
            "balance {} + {} deposit - {} payout -> {got} USD",
            money(1_000_000, "USD"),
            money(2500, "USD"),
            money(PAYOUT, "USD")
        ),
    );
    d.check(P, "balance after deposit and payout", "9985.00", &got);
}
