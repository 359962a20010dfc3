//! End to end through the generated Pockyt client against the in-process sandbox: every
//! operation (payees, bank accounts, transfers, inquiry, balance), the 99 failure, form IPNs to
//! the request's ipnUrl refused on a bad verifySign then retried until `success`, a timed-out
//! transfer found by payout_inquiry, and ret_code refusals (000020, 000021, 000022, 000023).

// Each e2e binary uses a subset of the shared helpers.
#[allow(dead_code)]
mod e2e_support;
mod support;

use std::time::Duration;

use e2e_support::{
    assert_unknown_sent_once, compressed, engine, post_raw_ok, start, wait_for_acked_callback,
    Event, Receiver,
};
use paygen_connectors::pockyt as pk;
use paygen_runtime::Error;
use paygen_runtime::{engine::PreparedRequest, http as h};
use paygen_sandbox::{SandboxConfig, SandboxHandle};
use serde_json::{json, Map, Value};
use support::pockyt::{
    bank_account, credentials as creds, payee, payee_with_account, transfer, typed,
};

const P: &str = "pockyt";

/// What a verified IPN says.
fn event(headers: &h::HeaderMap, body: &[u8]) -> Event {
    match pk::verify_webhook(&creds(), headers, body) {
        Ok(pk::WebhookEvent::PayoutSucceeded(n)) => (
            true,
            format!("success {}", n.invoice_id.unwrap_or_default()),
        ),
        Ok(pk::WebhookEvent::PayoutFailed(n)) => {
            (true, format!("failed {}", n.invoice_id.unwrap_or_default()))
        }
        Ok(pk::WebhookEvent::AccountStatusChanged(n)) => (
            true,
            format!("account {}", n.account_token.unwrap_or_default()),
        ),
        Ok(other) => (true, format!("{other:?}")),
        Err(e) => (false, e.to_string()),
    }
}

/// An IPN receiver that verifies with the generated client and answers `success` when good,
/// and its ipnUrl.
async fn receiver() -> (String, Receiver<Event>) {
    let rx = Receiver::verifying(pk::WEBHOOK_ACK, event).await;
    // Pockyt wants https ipnUrls; the sandbox calls https loopback URLs over plain HTTP.
    (format!("https://127.0.0.1:{}/ipn", rx.port), rx)
}

async fn sandbox() -> SandboxHandle {
    start(SandboxConfig {
        time_scale: 0.0001,
        hold_limit: Duration::from_secs(3),
        ..compressed("specs/pockyt.yaml")
    })
    .await
}

fn client(sb: &SandboxHandle, fault: Option<&str>) -> pk::Client {
    let config = engine(Duration::from_millis(500), fault);
    pk::Client::with_base_url(&sb.base_url(P), creds(), config).expect("client")
}

fn balance_request() -> pk::PayorBalanceRequest {
    typed(json!({ "currency": "USD" }))
}

async fn usd(c: &pk::Client) -> String {
    let b = c.payor_balance(&balance_request()).await.expect("balance");
    let list = b.balance.unwrap_or_default();
    assert_eq!(list.len(), 1, "only the currency asked for");
    list[0]
        .amount
        .as_ref()
        .map(|a| a.to_string())
        .unwrap_or_default()
}

fn declined_code(e: &Error) -> &str {
    match e {
        Error::Declined { code, .. } => code,
        _ => "",
    }
}

#[tokio::test]
async fn every_operation_through_the_client() {
    let (ipn, rx) = receiver().await;
    let sb = sandbox().await;
    let c = client(&sb, None);

    let reg = c
        .register_payee(&payee("john@example.com"))
        .await
        .expect("register");
    assert_eq!(reg.ret_code.as_deref(), Some("000100"));
    let customer = reg
        .customer
        .and_then(|c| c.customer_no)
        .expect("customerNo");
    assert!(customer.len() == 22 && customer.bytes().all(|b| b.is_ascii_digit()));
    let dup = c
        .register_payee(&payee("john@example.com"))
        .await
        .expect_err("dup");
    assert_eq!(declined_code(&dup), "000023", "{dup}");

    let update: pk::UpdatePayeeRequest =
        typed(json!({ "customerNo": customer, "city": "newtown" }));
    let up = c.update_payee(&update).await.expect("update");
    assert_eq!(up.ret_msg.as_deref(), Some("update success"));
    let retrieve: pk::RetrievePayeeRequest = typed(json!({ "customerNo": customer }));
    let got = c.retrieve_payee(&retrieve).await.expect("retrieve");
    let p = got.customer.expect("customer");
    assert_eq!(p.city.as_deref(), Some("newtown"));
    assert_eq!(p.payee_status, Some(pk::PayeeStatus::Activated));
    let unknown: pk::RetrievePayeeRequest =
        typed(json!({ "customerNo": "2000305228999999999999" }));
    let err = c.retrieve_payee(&unknown).await.expect_err("unknown payee");
    assert_eq!(declined_code(&err), "000021", "{err}");

    let acc = c
        .add_bank_account(&bank_account(&customer, Some(&ipn)))
        .await
        .expect("bank account");
    let acc = acc.result.expect("result");
    let token = acc.account_token.clone().expect("token");
    assert!(token.starts_with("2010") && token.len() == 22, "{token}");
    assert_eq!(acc.account_status, Some(pk::AccountStatus::Activated));
    assert_eq!(acc.first_name.as_deref(), Some("John"));
    let list: pk::PayoutAccountsRequest = typed(json!({ "customerNo": customer }));
    let listed = c.list_payout_accounts(&list).await.expect("list");
    let accounts = listed.accounts.unwrap_or_default();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].card_number.as_deref(), Some("****3298"));
    assert_eq!(
        listed.user.and_then(|u| u.customer_no),
        Some(customer.clone())
    );

    assert_eq!(usd(&c).await, "499000.00");
    let sent = c
        .transfer(&transfer(&customer, &token, "inv-1", 1000, &ipn))
        .await
        .expect("transfer");
    let result = sent.result.expect("result");
    assert_eq!(result.status, Some(pk::PayoutStatus::Pending));
    assert_eq!(
        result.amount.map(|a| a.to_string()).as_deref(),
        Some("10.00")
    );
    let events = rx.wait_verified(2).await;
    let texts: Vec<&str> = events.iter().map(|(_, t)| t.as_str()).collect();
    assert!(texts.contains(&"success inv-1"), "{texts:?}");
    assert!(
        texts.contains(&format!("account {token}").as_str()),
        "{texts:?}"
    );
    let inquiry: pk::PayoutInquiryRequest = typed(json!({ "invoiceId": "inv-1" }));
    let found = c.payout_inquiry(&inquiry).await.expect("inquiry");
    let found = found.result.expect("result");
    assert_eq!(found.status, Some(pk::PayoutStatus::Success));
    assert_eq!(found.receiver.as_deref(), Some("****3298"));
    assert_eq!(usd(&c).await, "498990.00", "the balance decreases");

    let again = c
        .transfer(&transfer(&customer, &token, "inv-1", 1000, &ipn))
        .await
        .expect_err("repeated invoiceId");
    assert_eq!(declined_code(&again), "000023");
    let nowhere = c
        .transfer(&transfer(
            &customer,
            "2010305228999999999999",
            "inv-2",
            1000,
            &ipn,
        ))
        .await
        .expect_err("unknown account");
    assert_eq!(declined_code(&nowhere), "000021");
    sb.stop().await;
}

#[tokio::test]
async fn failed_by_99_and_ipn_retried_after_bad_signature() {
    let (ipn, rx) = receiver().await;
    let sb = sandbox().await;
    let (customer, token) = payee_with_account(&client(&sb, None), "f@example.com").await;
    let sent = client(&sb, Some("bad-signature"))
        .transfer(&transfer(&customer, &token, "inv-99", 1099, &ipn))
        .await
        .expect("accepted, pending");
    assert_eq!(
        sent.result.and_then(|r| r.status),
        Some(pk::PayoutStatus::Pending)
    );
    let events = rx.wait_verified(1).await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(!events[0].0, "the wrongly signed first IPN is refused");
    assert_eq!(events[1], (true, "failed inv-99".into()));
    wait_for_acked_callback(&sb).await;
    let calls = sb.callbacks();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(calls[0].url.starts_with("https://127.0.0.1:"));
    assert!(!calls[0].acked && calls[1].acked);
    let c = client(&sb, None);
    let inquiry: pk::PayoutInquiryRequest = typed(json!({ "invoiceId": "inv-99" }));
    let found = c.payout_inquiry(&inquiry).await.expect("inquiry");
    assert_eq!(
        found.result.and_then(|r| r.status),
        Some(pk::PayoutStatus::Failed)
    );
    assert_eq!(usd(&c).await, "499000.00", "a failed payout takes nothing");
    sb.stop().await;
}

#[tokio::test]
async fn timed_out_transfer_is_unknown_sent_once_and_found_by_inquiry() {
    let (ipn, _) = receiver().await;
    let sb = sandbox().await;
    let (customer, token) = payee_with_account(&client(&sb, None), "t@example.com").await;
    let err = client(&sb, Some("timeout"))
        .transfer(&transfer(&customer, &token, "inv-t1", 2500, &ipn))
        .await
        .expect_err("times out");
    let reconcile = assert_unknown_sent_once(&sb, "transfer", &err);
    assert!(
        matches!(
            reconcile,
            paygen_runtime::Reconcile::Lookup { operation: "payout_inquiry", key }
                if key.get("invoiceId") == Some(&json!("inv-t1"))
        ),
        "{reconcile:?}"
    );
    let inquiry: pk::PayoutInquiryRequest = typed(json!({ "invoiceId": "inv-t1" }));
    let found = client(&sb, None)
        .payout_inquiry(&inquiry)
        .await
        .expect("found");
    assert_eq!(
        found.result.and_then(|r| r.invoice_id).as_deref(),
        Some("inv-t1")
    );
    sb.stop().await;
}

/// The exact signed request for a raw add-bank-account body.
fn prepared(c: &pk::Client, body: Value) -> PreparedRequest {
    let Value::Object(mut map) = body else {
        panic!("object")
    };
    map.insert("merchantNo".into(), json!("200043"));
    map.insert("storeNo".into(), json!("300014"));
    map.insert("timestamp".into(), json!("2024-01-01T00:00:00Z"));
    c.engine()
        .prepare(&pk::operations::ADD_BANK_ACCOUNT, Some(map))
        .expect("prepare")
}

#[tokio::test]
async fn bad_sign_missing_parameter_and_bad_value_get_ret_codes() {
    let sb = sandbox().await;
    let c = client(&sb, None);
    let reg = c
        .register_payee(&payee("r@example.com"))
        .await
        .expect("register");
    let customer = reg
        .customer
        .and_then(|c| c.customer_no)
        .expect("customerNo");
    let raw = json!({
        "accountCountry": "US", "accountCurrency": "USD", "accountType": "BANK_ACCOUNT",
        "bankAccountId": "7861053298", "branchId": "101089292", "bankAccountPurpose": "SAVINGS",
        "customerNo": customer
    });
    let good = prepared(&c, raw.clone());
    let mut tampered: Map<String, Value> = serde_json::from_slice(&good.body).expect("json");
    tampered.insert("branchId".into(), json!("101089293"));
    let body = post_raw_ok(&good, &serde_json::to_vec(&tampered).expect("json")).await;
    assert_eq!(body["ret_code"], "000022", "{body:?}");

    let mut missing = raw.clone();
    missing
        .as_object_mut()
        .expect("object")
        .remove("bankAccountId");
    let p = prepared(&c, missing);
    let body = post_raw_ok(&p, &p.body).await;
    assert_eq!(body["ret_code"], "000020", "{body:?}");
    assert!(body["ret_msg"]
        .as_str()
        .unwrap_or("")
        .contains("bankAccountId: is required"));

    let mut bad = raw.clone();
    bad["branchId"] = json!("1234");
    let p = prepared(&c, bad);
    let body = post_raw_ok(&p, &p.body).await;
    assert_eq!(body["ret_code"], "000023", "{body:?}");
    assert!(body["ret_msg"].as_str().unwrap_or("").contains("branchId"));

    let body = post_raw_ok(&good, &good.body).await;
    assert_eq!(
        body["ret_code"], "000100",
        "the untouched request is accepted"
    );
    sb.stop().await;
}
