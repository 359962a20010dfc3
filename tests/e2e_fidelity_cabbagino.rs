//! The documented immediate Cabbagino decline (HTTP 400 with `error_code`) through the generated
//! client against the in-process sandbox: payout, payment page and deposit decode it as the typed
//! `Declined` variant, never `Error::Http` (issue 10).

// Each e2e binary uses a subset of the shared helpers.
#[allow(dead_code)]
mod e2e_support;

use std::time::Duration;

use e2e_support::{compressed, engine, start};
use paygen_connectors::cabbagino as cb;
use serde_json::json;

fn customer() -> serde_json::Value {
    json!({ "customer_id": "c1", "country": "LV", "first_name": "Test", "last_name": "Test" })
}

fn assert_documented_decline(d: &cb::DeclinedResponse, external_id: &str) {
    assert_eq!(d.error_code.as_deref(), Some("default"));
    assert_eq!(
        d.error_message.as_deref(),
        Some("Declined. Please contact support for more details.")
    );
    assert_eq!(d.external_id.as_deref(), Some(external_id));
}

#[tokio::test]
async fn http_400_declines_are_typed_for_payout_payment_page_and_deposit() {
    let sb = start(compressed("specs/cabbagino.yaml")).await;
    let creds = cb::Credentials {
        merchant_key: "test_merchant_key".into(),
        salt: "test_salt".into(),
    };
    let c = cb::Client::with_base_url(
        &sb.base_url("cabbagino"),
        creds,
        engine(Duration::from_millis(400), None),
    )
    .expect("client");

    let payout: cb::PayoutRequest = serde_json::from_value(json!({
        "payment_system": "TEST_PS", "external_id": "po-400", "customer": customer(),
        "payment_data": { "phone": "994934331504" }, "amount": 1098, "currency": "USD"
    }))
    .expect("payout");
    match c.payout(&payout).await {
        Ok(cb::PayoutResponse::Declined(d)) => assert_documented_decline(&d, "po-400"),
        other => panic!("payout: typed decline expected, got {other:?}"),
    }

    let page: cb::PaymentPageDepositRequest = serde_json::from_value(json!({
        "payment_system": "Payment_System", "external_id": "pp-400", "amount": 1098,
        "customer": customer(), "urls": { "redirect_success_url": "https://www.example.com" },
        "currency": "USD"
    }))
    .expect("page");
    match c.payment_page_deposit(&page).await {
        Ok(cb::PaymentPageDepositResponse::Declined(d)) => assert_documented_decline(&d, "pp-400"),
        other => panic!("payment page: typed decline expected, got {other:?}"),
    }

    let deposit: cb::DepositRequest = serde_json::from_value(json!({
        "payment_system": "TEST_PS", "external_id": "dp-400", "customer": customer(),
        "amount": 1098, "currency": "USD"
    }))
    .expect("deposit");
    match c.deposit(&deposit).await {
        Ok(cb::DepositResponse::Declined(d)) => assert_documented_decline(&d, "dp-400"),
        other => panic!("deposit: typed decline expected, got {other:?}"),
    }
    sb.stop().await;
}
