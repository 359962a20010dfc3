//! The Cactusgino payout exactly as seed 002 documents it (issue 10): the method and its
//! additional fields cannot disagree, additional_fields is always sent, and only the payout
//! page's methods are accepted.

mod support;

use paygen_connectors::cactusgino::*;
use paygen_runtime::{CardNumber, Pii};
use support::cactusgino::{client, credentials, payout, rejected};
use support::{assert_names, sign_body, Reply, Server};

fn sbp_fields() -> PayoutAdditionalFields {
    PayoutAdditionalFields::Sbp(SbpPayoutFields {
        bank_name: None,
        phone_holder: Pii::new("John Wick"),
        phone_number: Pii::new("79999999999"),
    })
}

#[tokio::test]
async fn a_card_payout_with_sbp_fields_is_refused_naming_the_card_number() {
    let errors = rejected(payout(PayoutMethod::Card, sbp_fields())).await;
    assert_eq!(
        errors,
        vec![(
            "additional_fields.card_number".to_string(),
            "required".to_string()
        )]
    );
}

#[tokio::test]
async fn an_sbp_payout_with_card_fields_names_both_missing_sbp_fields() {
    let card = PayoutAdditionalFields::Card(CardPayoutFields {
        bank_name: None,
        card_holder: None,
        card_number: CardNumber::new("4242424242424242"),
        bank_option: None,
        expiry_date: None,
    });
    let errors = rejected(payout(PayoutMethod::Sbp, card)).await;
    assert_names(&errors, "additional_fields.phone_holder", "required");
    assert_names(&errors, "additional_fields.phone_number", "required");
    assert_eq!(errors.len(), 2, "{errors:?}");
}

#[tokio::test]
async fn methods_without_fields_always_send_an_empty_object_that_signs_as_nothing() {
    let server = Server::start(vec![Reply::json(200, r#"{"success":true}"#)]).await;
    let request = payout(
        PayoutMethod::Binance,
        PayoutAdditionalFields::NoFields(NoPayoutFields {}),
    );
    let _ = client(&server).payout(&request).await;
    let seen = server.only();
    let body: serde_json::Value = serde_json::from_slice(&seen.body).expect("json");
    assert_eq!(body["additional_fields"], serde_json::json!({}));
    let without: serde_json::Value = {
        let mut b = body.clone();
        if let Some(m) = b.as_object_mut() {
            m.remove("additional_fields");
        }
        b
    };
    let recipe = support::recipe(support::SALTED_SHA1_FIELDS);
    let creds = credentials().to_runtime();
    assert_eq!(
        sign_body(&recipe, &creds, seen.body_text().as_bytes()),
        sign_body(&recipe, &creds, without.to_string().as_bytes()),
        "`{{}}` costs nothing in the signature"
    );
    assert_eq!(
        body["signature"].as_str(),
        Some(sign_body(&recipe, &creds, seen.body_text().as_bytes()).as_str())
    );
}

#[tokio::test]
async fn methods_the_payout_page_does_not_list_are_refused() {
    for method in ["qiwi", "Tbank_card", "MTSPay", "cis_transfer"] {
        let request: PayoutRequest = serde_json::from_value(serde_json::json!({
            "site_login": "u", "site_id": 1, "request_id": "r", "amount": 100,
            "currency": "USD", "method": method, "additional_fields": {}
        }))
        .expect("deserializes (an unknown method is kept as Unknown)");
        let errors = rejected(request).await;
        assert_eq!(
            errors,
            vec![("method".to_string(), "enum".to_string())],
            "{method}"
        );
    }
}
