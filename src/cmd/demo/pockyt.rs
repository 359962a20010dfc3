//! Demo flows of Pockyt (payouts only, no pay-in): a payee registered with a bank account in place
//! of a deposit, a transfer, one whose amount ends in 99 (fails by the sandbox rule), the signed
//! form IPNs, payout_inquiry as the status inquiry, and the payor balance.

use std::collections::HashMap;

use paygen_connectors::pockyt as pk;
use paygen_runtime::webhook::Ack;
use paygen_runtime::SecretString;
use serde_json::json;

use super::receiver::Verifier;
use super::{err_text, money, req, Demo, TestCredentials};

const P: &str = "pockyt";

fn creds(get: impl Fn(&str) -> String) -> pk::Credentials {
    pk::Credentials {
        merchant_no: get("merchant_no"),
        store_no: get("store_no"),
        api_token: get("api_token").into(),
    }
}

/// The receiver's verifier (sandbox test credentials of the spec).
pub fn register(v: &mut HashMap<String, (Verifier, Ack)>, tests: &TestCredentials) {
    let creds = creds(|n| tests.get(P, n));
    let verify: Verifier = Box::new(move |headers, body| {
        pk::verify_webhook(&creds, headers, body)
            .map(|e| match e {
                pk::WebhookEvent::PayoutSucceeded(n) => {
                    format!("PayoutSucceeded {}", n.invoice_id.unwrap_or_default())
                }
                pk::WebhookEvent::PayoutFailed(n) => {
                    format!("PayoutFailed {}", n.invoice_id.unwrap_or_default())
                }
                pk::WebhookEvent::AccountStatusChanged(n) => format!(
                    "AccountStatusChanged {}",
                    n.account_status
                        .map(|s| format!("{s:?}"))
                        .unwrap_or_default()
                ),
                other => format!("{other:?}"),
            })
            .map_err(|e| e.to_string())
    });
    v.insert(P.to_string(), (verify, pk::WEBHOOK_ACK));
}

/// Runs the flows.
pub async fn run(d: &mut Demo) {
    let client = match pk::Client::with_base_url(
        &d.base_url(P),
        creds(|n| d.credential(P, n)),
        d.config(),
    ) {
        Ok(c) => c,
        Err(e) => return d.check(P, "client", "ready", &err_text(&e)),
    };
    d.say(
        P,
        "Pockyt has no pay-in: registering a payee and adding a bank account stands in for the deposit",
    );
    d.say(
        P,
        "IPNs go to the demo's receiver (the sandbox's --notify) instead of each request's ipnUrl",
    );
    let Some((customer, token)) = payee_flow(d, &client).await else {
        return;
    };
    transfer_flow(
        d,
        &client,
        &customer,
        &token,
        "demo-pk-1",
        2500,
        &format!("payout {}", money(2500, "USD")),
    )
    .await;
    transfer_flow(
        d,
        &client,
        &customer,
        &token,
        "demo-pk-2",
        1099,
        "payout, amount ending in 99",
    )
    .await;
    d.expect_callbacks(
        P,
        "callback verified + acknowledged",
        "AccountStatusChanged Activated, PayoutFailed demo-pk-2, PayoutSucceeded demo-pk-1",
    )
    .await;
    inquiry_flow(d, &client, "demo-pk-1", "Success").await;
    inquiry_flow(d, &client, "demo-pk-2", "Failed").await;
    balance_flow(d, &client).await;
}

async fn payee_flow(d: &mut Demo, client: &pk::Client) -> Option<(String, String)> {
    let payee: Result<pk::RegisterPayeeRequest, String> = req(json!({
        "city": "hometown", "country": "USA", "countryCode": "US", "dateOfBirth": "1999-01-01",
        "email": "payee@example.com", "firstName": "John", "lastName": "Doe",
        "profileType": "INDIVIDUAL", "state": "NY", "street": "123 main St", "zip": "10005"
    }));
    let customer = match payee {
        Ok(p) => match client.register_payee(&p).await {
            Ok(r) => r.customer.and_then(|c| c.customer_no),
            Err(e) => {
                d.check(P, "register payee", "22-digit customerNo", &err_text(&e));
                return None;
            }
        },
        Err(e) => {
            d.check(P, "register payee", "22-digit customerNo", &e);
            return None;
        }
    };
    let customer = customer.unwrap_or_default();
    let ok = customer.len() == 22 && customer.bytes().all(|b| b.is_ascii_digit());
    d.say(P, &format!("register_payee -> customerNo {customer}"));
    let shape = if ok { "22-digit customerNo" } else { "other" };
    d.check(
        P,
        "register payee (in place of a deposit)",
        "22-digit customerNo",
        shape,
    );
    let account: Result<pk::AddBankAccountRequest, String> = req(json!({
        "accountCountry": "US", "accountCurrency": "USD", "accountType": "BANK_ACCOUNT",
        "bankAccountId": "7861053298", "branchId": "101089292", "bankAccountPurpose": "CHECKING",
        "customerNo": customer, "accountTag": "demo-account"
    }));
    let answer = match account {
        Ok(a) => client.add_bank_account(&a).await.map_err(|e| err_text(&e)),
        Err(e) => Err(e),
    };
    let (got, token) = match answer {
        Ok(r) => {
            let r = r.result.unwrap_or_default();
            let status = r
                .account_status
                .map(|s| format!("{s:?}"))
                .unwrap_or_default();
            (status, r.account_token.unwrap_or_default())
        }
        Err(e) => (e, String::new()),
    };
    d.say(
        P,
        &format!(
            "add_bank_account ****3298 (routing 101089292) -> accountToken {}, {got}",
            SecretString::new(token.as_str())
        ),
    );
    d.check(P, "add bank account", "Activated", &got);
    (!token.is_empty()).then_some((customer, token))
}

async fn transfer_flow(
    d: &mut Demo,
    client: &pk::Client,
    customer: &str,
    token: &str,
    invoice: &str,
    minor: i64,
    flow: &str,
) {
    let request: Result<pk::TransferRequest, String> = req(json!({
        "accountToken": token, "amount": minor, "currency": "USD", "customerNo": customer,
        "invoiceId": invoice, "description": "paygen demo payout",
        "ipnUrl": "https://127.0.0.1/pockyt-ipn"
    }));
    let request = match request {
        Ok(r) => r,
        Err(e) => return d.check(P, flow, "Pending", &e),
    };
    let got = match client.transfer(&request).await {
        Ok(r) => {
            let r = r.result.unwrap_or_default();
            d.say(
                P,
                &format!(
                    "transfer {invoice} {} -> transactionNo {}",
                    money(minor, "USD"),
                    r.transaction_no.unwrap_or_default()
                ),
            );
            r.status.map(|s| format!("{s:?}")).unwrap_or_default()
        }
        Err(e) => err_text(&e),
    };
    d.check(P, flow, "Pending", &got);
}

async fn inquiry_flow(d: &mut Demo, client: &pk::Client, invoice: &str, expected: &str) {
    let request: Result<pk::PayoutInquiryRequest, String> = req(json!({ "invoiceId": invoice }));
    let got = match request {
        Ok(r) => match client.payout_inquiry(&r).await {
            Ok(a) => a
                .result
                .and_then(|r| r.status)
                .map(|s| format!("{s:?}"))
                .unwrap_or_default(),
            Err(e) => err_text(&e),
        },
        Err(e) => e,
    };
    d.say(P, &format!("payout_inquiry {invoice} -> {got}"));
    d.check(P, &format!("status inquiry {invoice}"), expected, &got);
}

async fn balance_flow(d: &mut Demo, client: &pk::Client) {
    let request: Result<pk::PayorBalanceRequest, String> = req(json!({ "currency": "USD" }));
    let got = match request {
        Ok(r) => match client.payor_balance(&r).await {
            Ok(b) => b
                .balance
                .unwrap_or_default()
                .into_iter()
                .find_map(|e| e.amount.map(|a| a.to_string()))
                .unwrap_or_default(),
            Err(e) => err_text(&e),
        },
        Err(e) => e,
    };
    d.say(
        P,
        &format!(
            "payor_balance {} - {} (the failed payout takes nothing) -> {got} USD",
            money(49_900_000, "USD"),
            money(2500, "USD")
        ),
    );
    d.check(P, "balance after payouts", "498975.00", &got);
}
