//! The Global Solutions client exactly as seed 003 documents it (issue 10): fields the tables mark
//! required are required, and nothing is sent when they are missing.

mod support;

use paygen_connectors::global_solutions::*;
use paygen_runtime::{MinorUnits, Secret};
use support::global_solutions::client;
use support::{assert_names, field_errors, Server};

fn charge(ip: &str) -> ChargeCardRequest {
    ChargeCardRequest {
        invoice_id: "INV-1".into(),
        ip: ip.into(),
        ..support::global_solutions::charge("4242424242424242", "123", "EUR", 4011)
    }
}

fn link(ip: &str) -> LinkRequest {
    LinkRequest {
        amount: MinorUnits(1066),
        account_id: "john@doe.com".into(),
        currency: "USD".into(),
        description: "Payment for products".into(),
        invoice_id: "INV-1".into(),
        name: None,
        success_url: None,
        failure_url: None,
        pending_url: None,
        cancel_url: None,
        locale: None,
        ip: ip.into(),
        data: None,
    }
}

#[tokio::test]
async fn ip_is_required_on_payment_and_link_as_the_tables_mark_it() {
    let server = Server::start(vec![]).await;
    let errors = field_errors(client(&server).charge_card(&charge("")).await);
    assert_names(&errors, "ip", "required");
    assert!(errors.iter().all(|(path, _)| path == "ip"), "{errors:?}");
    let errors = field_errors(client(&server).link(&link("")).await);
    assert_names(&errors, "ip", "required");
    assert!(errors.iter().all(|(path, _)| path == "ip"), "{errors:?}");
    assert!(
        server.seen().is_empty(),
        "nothing is sent without the payer's ip"
    );
}

#[tokio::test]
async fn refunds_take_the_same_money_type_as_charges_and_send_no_currency() {
    let server = Server::start(vec![support::Reply::json(
        200,
        r#"{"model": {"transactionId": 1039}, "success": true, "message": null}"#,
    )])
    .await;
    // One money type per client: a refund is `MinorUnits` like the charge it refunds.
    let request = RefundRequest {
        transaction_id: 524,
        amount: Some(MinorUnits(1334)),
        currency: "EUR".into(),
    };
    client(&server).refund(&request).await.expect("refund");
    assert_eq!(
        server.only().body_text(),
        r#"{"transactionId":524,"amount":13.34}"#
    );
    // The currency converts the amount: without a valid one nothing is sent.
    let server = Server::start(vec![]).await;
    let bad = RefundRequest {
        currency: "EUX".into(),
        ..request
    };
    let errors = field_errors(client(&server).refund(&bad).await);
    assert_names(&errors, "currency", "currency");
    assert_names(&errors, "amount", "currency");
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn payment_type_ids_are_split_by_flow_as_the_seed_table_says() {
    let server = Server::start(vec![]).await;
    // 3020 (UPI Payouts) is APM Payout only: refused by link.
    let payout_only: LinkPaymentTypeId =
        serde_json::from_value(serde_json::json!(3020)).expect("decodes");
    let request = LinkRequest {
        data: Some(LinkData {
            payment_type_id: Some(payout_only),
            ..LinkData::default()
        }),
        ..link("203.0.113.7")
    };
    let errors = field_errors(client(&server).link(&request).await);
    assert_eq!(
        errors,
        vec![("data.paymentTypeId".to_string(), "enum".to_string())]
    );
    // 1000 (Banco Itau) is Link only: refused by apm_payout.
    let link_only: PayoutPaymentTypeId =
        serde_json::from_value(serde_json::json!(1000)).expect("decodes");
    let payout: ApmPayoutRequest = serde_json::from_value(serde_json::json!({
        "amount": 1000, "currency": "EUR", "invoiceId": "INV-1",
        "data": { "personId": "success@bank", "paymentTypeId": 2 }
    }))
    .expect("payout");
    let payout = ApmPayoutRequest {
        data: ApmPayoutData {
            payment_type_id: link_only,
            ..payout.data
        },
        ..payout
    };
    let errors = field_errors(client(&server).apm_payout(&payout).await);
    assert_eq!(
        errors,
        vec![("data.paymentTypeId".to_string(), "enum".to_string())]
    );
    // Ids of both flows (2053 IDFC BANK) are accepted by each.
    assert!(
        serde_json::from_value::<LinkPaymentTypeId>(serde_json::json!(2053))
            .expect("link")
            .is_known()
    );
    assert!(
        serde_json::from_value::<PayoutPaymentTypeId>(serde_json::json!(2053))
            .expect("payout")
            .is_known()
    );
    assert!(server.seen().is_empty());
}

#[test]
fn a_payment_check_is_answered_with_a_typed_confirm_or_reject() {
    let confirm = PaymentCheckReply::Confirm;
    assert_eq!(
        (confirm.status(), confirm.content_type(), confirm.body()),
        (200, "application/json", r#"{"code":0}"#.to_string())
    );
    let reject = PaymentCheckReply::Reject { code: 13 };
    assert_eq!(reject.status(), 200);
    assert_eq!(reject.body(), r#"{"code":13}"#);
    let value: serde_json::Value = serde_json::from_str(&reject.body()).expect("JSON body");
    assert_eq!(value["code"], 13);
    // Every other notification keeps the plain acknowledgement.
    assert_eq!(WEBHOOK_ACK.body, r#"{"code":0}"#);
}

fn redirect_request(amount: i64, success_url: &str) -> RedirectPaymentRequest {
    RedirectPaymentRequest {
        amount: MinorUnits(amount),
        description: "Payment".into(),
        currency: "EUR".into(),
        invoice_id: Some("0001".into()),
        account_id: Some("account@example.com".into()),
        success_url: success_url.into(),
        failure_url: "https://www.example.com/failure".into(),
        pending_url: "https://www.example.com/pending".into(),
        cancel_url: "https://www.example.com/cancel".into(),
        locale: Some(Locale::EnUs),
    }
}

#[test]
fn the_redirect_payment_page_url_is_built_as_documented() {
    let credentials = Credentials {
        public_id: "pbid_2kajhh9oqhmpwjqgd529rg".to_string(),
        api_secret: Secret::new("1234ABCD"),
    };
    let client = Client::new(Environment::Production, credentials).expect("client");
    let url = client
        .redirect_payment_url(&redirect_request(1050, "https://www.example.com/success"))
        .expect("url");
    // The documented link, parameter for parameter; the amount is the shortest decimal form.
    assert_eq!(
        url,
        concat!(
            "https://api.global-solutions.io/payments/redirect/pbid_2kajhh9oqhmpwjqgd529rg?",
            "amount=10.5&description=Payment&currency=EUR&invoiceId=0001&",
            "accountId=account%40example.com&",
            "successUrl=https%3A%2F%2Fwww.example.com%2Fsuccess&",
            "failureUrl=https%3A%2F%2Fwww.example.com%2Ffailure&",
            "pendingUrl=https%3A%2F%2Fwww.example.com%2Fpending&",
            "cancelUrl=https%3A%2F%2Fwww.example.com%2Fcancel&locale=en_US"
        )
    );
    assert!(
        !url.contains("1234ABCD"),
        "the API secret is never in the URL"
    );
}

#[test]
fn a_bad_redirect_request_builds_no_url_and_names_every_field() {
    let credentials = Credentials {
        public_id: "pbid_2kajhh9oqhmpwjqgd529rg".to_string(),
        api_secret: Secret::new("1234ABCD"),
    };
    let client = Client::new(Environment::Production, credentials).expect("client");
    let errors = field_errors(client.redirect_payment_url(&redirect_request(-1, "not a url")));
    assert_names(&errors, "amount", "range");
    assert_names(&errors, "successUrl", "url");
}
