//! The Global Solutions sandbox renders notifications as seed 003 documents them (issue 10):
//! `cardExpDate` is `MM/YYYY`, so a May expiry is `05/2030`, never `5/2030`.

// Each e2e binary uses a subset of the shared helpers.
#[allow(dead_code)]
mod e2e_support;

use std::time::Duration;

use e2e_support::{compressed, engine, Answer, Receiver};
use paygen_connectors::global_solutions as gs;
use paygen_sandbox::SandboxConfig;
use serde_json::{json, Value};

fn creds() -> gs::Credentials {
    gs::Credentials {
        public_id: "pbid_2kajhh9oqhmpwjqgd529rg".into(),
        api_secret: "1234ABCD".into(),
    }
}

#[tokio::test]
async fn notification_card_expiry_is_mm_slash_yyyy() {
    let rx = Receiver::start(gs::WEBHOOK_ACK, |call| {
        let body: Value = serde_json::from_slice(&call.body).unwrap_or_default();
        (body, Answer::Ack)
    })
    .await;
    let sb = e2e_support::start(SandboxConfig {
        notify_override: Some(rx.url("/gs-notify")),
        hold_limit: Duration::from_secs(1),
        ..compressed("specs/global_solutions.yaml")
    })
    .await;
    let c = gs::Client::with_base_url(
        &sb.base_url("global_solutions"),
        creds(),
        engine(Duration::from_millis(500), None),
    )
    .expect("client");
    let charge: gs::ChargeCardRequest = serde_json::from_value(json!({
        "amount": 1000, "currency": "EUR", "name": "John Doe", "invoiceId": "exp-05",
        "description": "t", "accountId": "john@doe.com", "ip": "127.0.0.1",
        "card": { "pan": "4242424242424242", "cvv": "123", "expiryMonth": 5, "expiryYear": 2030 }
    }))
    .expect("request");
    c.charge_card(&charge).await.expect("charged");
    let got = rx
        .wait_for_one(|b| b.get("cardExpDate").is_some())
        .await
        .unwrap_or_else(|| panic!("no notification with cardExpDate: {:?}", rx.seen()));
    assert_eq!(got["cardExpDate"], "05/2030", "{got}");
    sb.stop().await;
}
