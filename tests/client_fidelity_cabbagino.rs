//! The Cabbagino client exactly as seed 000 documents it (issue 10): no rule the seed does not
//! state (SticPay wallet format, cash `asap` values, payment-page `urls`), and the AZN bank list.

mod support;

use paygen_connectors::cabbagino::*;
use paygen_runtime::{MinorUnits, Pii};
use support::cabbagino::{client, customer};
use support::{Reply, Server};

fn payout(data: PayoutPaymentData) -> PayoutRequest {
    PayoutRequest {
        payment_system: "TEST_PS".into(),
        external_id: "po-1".into(),
        customer: customer(),
        payment_data: Some(data),
        amount: MinorUnits(1000),
        currency: "USD".into(),
    }
}

/// Sends the request and returns what the server received (the request was not refused).
async fn sent_body(request: &PayoutRequest) -> serde_json::Value {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"status":3,"type":2,"external_id":"po-1","order_id":"1"}"#,
    )])
    .await;
    client(&server).payout(request).await.expect("accepted");
    serde_json::from_slice(&server.only().body).expect("json")
}

#[tokio::test]
async fn a_sticpay_wallet_id_need_not_be_an_email_address() {
    let request = payout(PayoutPaymentData::SticPay(SticPayData {
        wallet: "SP-0042-7781".into(),
    }));
    let body = sent_body(&request).await;
    assert_eq!(body["payment_data"]["wallet"], "SP-0042-7781");
}

#[tokio::test]
async fn cash_asap_is_any_string_as_documented() {
    let request = payout(PayoutPaymentData::Cash(CashData {
        address: Pii::new("Street 12"),
        messenger: "telegram".into(),
        username: "test".into(),
        asap: "yes".into(),
        delivery_time: "2026-01-11 12:28:28".into(),
    }));
    let body = sent_body(&request).await;
    assert_eq!(body["payment_data"]["asap"], "yes");
}

#[tokio::test]
async fn the_payment_page_does_not_require_urls() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"redirect_url":"https://x.example/p","order_id":"1","external_id":"pp-1"}"#,
    )])
    .await;
    let request = PaymentPageDepositRequest {
        payment_system: "Payment_System".into(),
        external_id: "pp-1".into(),
        amount: MinorUnits(1000),
        customer: customer(),
        payment_data: None,
        urls: None,
        currency: "KRW".into(),
    };
    client(&server)
        .payment_page_deposit(&request)
        .await
        .expect("sent");
    assert!(!server.only().body_text().contains("urls"));
}

#[test]
fn the_azn_bank_list_is_published_in_full() {
    use paygen_runtime::WireScalar;
    let known = |name: &str| AznBankName::from_wire(WireScalar::Str(name.into())).is_known();
    for name in [
        "AccessBank",
        "Bank of Baku",
        "ИКБ NIKOIL BANK",
        "ATB ban",
        "Ziraat Bank",
    ] {
        assert!(known(name), "{name}");
    }
    assert!(!known("Sberbank"));
}
