//! End-to-end tests of the generated Cactusgino client on 127.0.0.1: every operation's exact
//! signed body (checked against an independently computed SHA-1 signature and the official T1
//! vector), signed responses (T2 accepted, tampered refused), declines, callbacks, validation
//! before sending and redaction. A payout without an answer: `tests/client_unknown_outcome.rs`.

mod support;

use paygen_connectors::cactusgino::*;
use paygen_runtime::http::HeaderMap;
use paygen_runtime::WireScalar;
use paygen_runtime::{CardNumber, Decimal, Error, MinorUnits, Pii, Secret};
use support::cactusgino::{card_payout, client, credentials, rejected};
use support::{assert_names, sign_body, with_signature, Recorded, Reply, Server};

const T1_SIGNATURE: &str = "7b71ef53367785053e8e3bb3300ac4458884428f";
const T2_RESPONSE: &str = r#"{"amount":10000000,"currency":"RUB","invoice_id":23249,"request_id":"test20240430132039","signature":"5520cc4d1ec1433f8ff01470f0d95c3b9a363000","site_id":101,"site_login":"user_4","success":true}"#;

fn sign(body: &str) -> String {
    sign_body(
        &support::recipe(support::SALTED_SHA1_FIELDS),
        &credentials().to_runtime(),
        body.as_bytes(),
    )
}

/// A response body signed with the sandbox salt.
fn signed(body: &str) -> String {
    with_signature(body, "signature", &sign(body))
}

/// Asserts POST, path, JSON, and that the body is `unsigned` plus the right signature.
fn assert_signed_post(seen: &Recorded, path: &str, unsigned: &str) {
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, path);
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(seen.header("authorization"), None);
    let independent = sign(seen.body_text());
    assert_eq!(independent, sign(unsigned));
    assert_eq!(
        seen.body_text(),
        with_signature(unsigned, "signature", &independent)
    );
}

#[tokio::test]
async fn cash_invoice_cancel_reproduces_the_official_t1_and_accepts_t2() {
    let server = Server::start(vec![Reply::json(200, T2_RESPONSE)]).await;
    let request = CashInvoiceCancelRequest {
        request_id: "test20240430132039".into(),
        site_id: 101,
    };
    let answer = client(&server)
        .cash_invoice_cancel(&request)
        .await
        .expect("T2 verifies");
    let seen = server.only();
    assert_eq!(seen.path, "/api/cash_in/update/");
    assert_eq!(
        seen.body_text(),
        r#"{"merchant_id":"test_api_v2","request_id":"test20240430132039","site_id":101,"update_type":"delete","signature":"7b71ef53367785053e8e3bb3300ac4458884428f"}"#
    );
    assert_eq!(sign(seen.body_text()), T1_SIGNATURE);
    assert_eq!(answer.amount, Some(MinorUnits(10_000_000)));
    assert_eq!(answer.currency, Some(Currency::Rub));
    assert_eq!(answer.invoice_id, Some(23249));
    assert_eq!(answer.site_login.as_deref(), Some("user_4"));
    assert_eq!(answer.success, Some(true));
}

#[tokio::test]
async fn a_tampered_or_unsigned_response_is_bad_signature() {
    let tampered = T2_RESPONSE.replace("10000000", "10000001");
    let unsigned = T2_RESPONSE.replace(
        r#""signature":"5520cc4d1ec1433f8ff01470f0d95c3b9a363000","#,
        "",
    );
    let server = Server::start(vec![
        Reply::json(200, &tampered),
        Reply::json(200, &unsigned),
    ])
    .await;
    let client = client(&server);
    let request = CashInvoiceCancelRequest {
        request_id: "test20240430132039".into(),
        site_id: 101,
    };
    for _ in 0..2 {
        match client.cash_invoice_cancel(&request).await {
            Err(Error::BadSignature { operation, what }) => {
                assert_eq!((operation, what), ("cash_invoice_cancel", "response"));
            }
            other => panic!("expected BadSignature, got {other:?}"),
        }
    }
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn cash_invoice_edit_sends_a_boolean_asap() {
    let server = Server::start(vec![Reply::json(
        200,
        &signed(r#"{"success":true,"request_id":"cash-7","site_id":101}"#),
    )])
    .await;
    let request = CashInvoiceEditRequest {
        request_id: "cash-7".into(),
        site_id: 101,
        address: Some(Pii::new("Pushkin street 5")),
        messenger: Some("telegram".into()),
        username: Some("@test".into()),
        asap: Some(true),
        time: None,
    };
    let answer = client(&server)
        .cash_invoice_edit(&request)
        .await
        .expect("edit");
    assert_signed_post(
        &server.only(),
        "/api/cash_in/update/",
        r#"{"merchant_id":"test_api_v2","request_id":"cash-7","site_id":101,"update_type":"edit","address":"Pushkin street 5","messenger":"telegram","username":"@test","asap":true}"#,
    );
    assert_eq!(answer.request_id.as_deref(), Some("cash-7"));
}

const PAYOUT_BODY: &str = r#"{"merchant_id":"test_api_v2","site_login":"user_login","site_id":21,"request_id":"request_id123","amount":900000,"currency":"KZT","method":"card","additional_fields":{"bank_name":"Morgan","card_holder":" John Wick","card_number":"4242424242424242","expiry date":"07/23"}}"#;

#[tokio::test]
async fn payout_sends_the_signed_card_body_and_reads_the_invoice() {
    let answer_body = signed(
        r#"{"message":"Payout initialized","request_id":"request_id123","success":true,"status":3,"amount":900000,"site_login":"user_login","site_id":21,"invoice_id":"1314","currency":"KZT"}"#,
    );
    let server = Server::start(vec![Reply::json(200, &answer_body)]).await;
    let answer = client(&server)
        .payout(&card_payout())
        .await
        .expect("payout");
    assert_signed_post(&server.only(), "/api/payout/", PAYOUT_BODY);
    assert_eq!(answer.status, Some(InvoiceStatus::Processing));
    assert_eq!(answer.amount, Some(MinorUnits(900_000)));
    assert_eq!(answer.invoice_id, Some(serde_json::json!("1314")));
    assert_eq!(answer.message.as_deref(), Some("Payout initialized"));
}

#[tokio::test]
async fn a_declined_payout_is_error_declined_with_the_message() {
    let refusal = signed(r#"{"success":false,"message":"Invalid ContentType or json format"}"#);
    let server = Server::start(vec![Reply::json(200, &refusal)]).await;
    match client(&server).payout(&card_payout()).await {
        Err(Error::Declined {
            operation,
            http_status,
            message,
            ..
        }) => {
            assert_eq!((operation, http_status), ("payout", 200));
            assert_eq!(message, "Invalid ContentType or json format");
        }
        other => panic!("expected Declined, got {other:?}"),
    }
}

#[tokio::test]
async fn create_invoice_sends_the_documented_body() {
    let answer_body = signed(
        r#"{"message":"Payout initialized","request_id":"some_id","success":true,"status":3,"amount":900000,"site_login":"user_login","site_id":21,"invoice_id":1314}"#,
    );
    let server = Server::start(vec![Reply::json(200, &answer_body)]).await;
    let request = CreateInvoiceRequest {
        site_login: "user_login".into(),
        site_id: 21,
        request_id: "request_id123".into(),
        amount: MinorUnits(900_000),
        currency: Currency::Kzt,
        method: Method::Card,
        customer_type: Some("trust".into()),
        additional_fields: Some(DepositAdditionalFields::CardOrSbp(BankNameFields {
            bank_name: Some("Morgan".into()),
        })),
    };
    let answer = client(&server)
        .create_invoice(&request)
        .await
        .expect("create_invoice");
    assert_signed_post(
        &server.only(),
        "/api/create_invoice/",
        r#"{"merchant_id":"test_api_v2","site_login":"user_login","site_id":21,"request_id":"request_id123","amount":900000,"currency":"KZT","method":"card","customer_type":"trust","additional_fields":{"bank_name":"Morgan"}}"#,
    );
    assert_eq!(answer.invoice_id, Some(serde_json::json!(1314)));
    assert_eq!(answer.success, Some(true));
}

#[tokio::test]
async fn obtain_token_sends_the_curl_order_and_reads_the_key() {
    let answer_body = signed(
        r#"{"success":true,"key":"u48fbalfjf904903nb7s830fnaoa0jnfkoddijfkjf9442jijex","redirect_url":"https://pp.ohboo0ie.com/api/jsapi/open/3d6f4a/"}"#,
    );
    let server = Server::start(vec![Reply::json(200, &answer_body)]).await;
    let request = ObtainTokenRequest {
        site_id: 1,
        site_login: "551d0ad9072b30f3b71b989e".into(),
        request_id: "jnvdjd094vnd".into(),
        amount: MinorUnits(900_000),
        method: Some(Method::Card),
        customer_type: Some("trust".into()),
        currency: Currency::Kzt,
        language: None,
        success_url: None,
        fail_url: None,
        additional_fields: None,
    };
    let answer = client(&server)
        .obtain_token(&request)
        .await
        .expect("obtain_token");
    assert_signed_post(
        &server.only(),
        "/api/jsapi/obtain_token/",
        r#"{"site_id":1,"site_login":"551d0ad9072b30f3b71b989e","merchant_id":"test_api_v2","request_id":"jnvdjd094vnd","amount":900000,"method":"card","customer_type":"trust","currency":"KZT"}"#,
    );
    let key = answer.key.expect("key");
    assert_eq!(
        key.expose(),
        "u48fbalfjf904903nb7s830fnaoa0jnfkoddijfkjf9442jijex"
    );
    assert!(!format!("{key:?}").contains("u48fbalfjf"));
    assert_eq!(
        answer.redirect_url.as_deref(),
        Some("https://pp.ohboo0ie.com/api/jsapi/open/3d6f4a/")
    );
}

#[tokio::test]
async fn balance_and_balance_project_read_decimal_amounts() {
    let balance = signed(
        r#"{"site_id":101,"balances":[{"id":1,"name":"Test_balance_1","currency":"USD","amount":10000.0,"available":10000.0},{"id":3,"name":"bal_eur_1","currency":"EUR","amount":14600.0,"available":14600.0}]}"#,
    );
    let project = signed(
        r#"{"project_id":101,"project_balance":[{"currency":"USD","amount":1000.0,"available":900.0}]}"#,
    );
    let server = Server::start(vec![Reply::json(200, &balance), Reply::json(200, &project)]).await;
    let client = client(&server);
    let b = client
        .balance(&BalanceRequest {
            site_id: 101,
            currency: Some(Currency::Usd),
        })
        .await
        .expect("balance");
    let p = client
        .balance_project(&ProjectBalanceRequest {
            project_id: "2".into(),
            site_id: 101,
            currency: Some(Currency::Usd),
        })
        .await
        .expect("balance_project");
    let seen = server.seen();
    assert_signed_post(
        &seen[0],
        "/api/balance/",
        r#"{"merchant_id":"test_api_v2","site_id":101,"currency":"USD"}"#,
    );
    assert_signed_post(
        &seen[1],
        "/api/balance_project/",
        r#"{"project_id":"2","merchant_id":"test_api_v2","site_id":101,"currency":"USD"}"#,
    );
    let entries = b.balances.expect("balances");
    assert_eq!(entries[1].currency, Some(Currency::Eur));
    assert_eq!(entries[1].amount, Decimal::parse("14600.0"));
    let pb = &p.project_balance.expect("project_balance")[0];
    assert_eq!(pb.available, Decimal::parse("900.0"));
    assert_eq!(p.project_id, Some(serde_json::json!(101)));
}

#[tokio::test]
async fn close_invoice_reads_status_and_received_amount() {
    let answer_body = signed(
        r#"{"site_id":21,"site_login":"user_login","status":5,"success":true,"invoice_id":1314,"request_id":"request_id123","amount":900000,"received_amount":0,"currency":"KZT"}"#,
    );
    let server = Server::start(vec![Reply::json(200, &answer_body)]).await;
    let request = CloseInvoiceRequest {
        site_login: "user_login".into(),
        site_id: 21,
        request_id: "request_id123".into(),
    };
    let answer = client(&server)
        .close_invoice(&request)
        .await
        .expect("close_invoice");
    assert_signed_post(
        &server.only(),
        "/api/close_invoice/",
        r#"{"site_login":"user_login","merchant_id":"test_api_v2","site_id":21,"request_id":"request_id123"}"#,
    );
    assert_eq!(answer.status, Some(InvoiceStatus::Decline));
    assert_eq!(answer.received_amount, Some(MinorUnits(0)));
}

const CALLBACK: &str = r#"{"request_id":"280","site_login":"qtywugbjhdbjbal123","amount":8000,"description":"","transaction_id":"116579133176442782754521496079","status":3,"currency":"USD","site_id":21,"invoice_id":905910,"received_amount":8000,"received_currency":"USD","method":"card"}"#;

#[test]
fn callbacks_verify_and_parse_by_status() {
    let update = verify_webhook(
        &credentials(),
        &HeaderMap::new(),
        signed(CALLBACK).as_bytes(),
    );
    let Ok(WebhookEvent::StatusUpdate(cb)) = update else {
        panic!("expected StatusUpdate, got {update:?}");
    };
    assert_eq!(cb.invoice_id, Some(905910));
    assert_eq!(cb.received_amount, Some(MinorUnits(8000)));
    assert_eq!(cb.method, Some(Method::Card));
    let success = CALLBACK.replace(r#""status":3"#, r#""status":4"#);
    let event = verify_webhook(
        &credentials(),
        &HeaderMap::new(),
        signed(&success).as_bytes(),
    );
    assert!(
        matches!(event, Ok(WebhookEvent::Success(ref c)) if c.status == Some(InvoiceStatus::Success)),
        "{event:?}"
    );
    let failure = CALLBACK.replace(r#""status":3"#, r#""status":5"#).replace(
        r#""description":"""#,
        r#""description":"No payment received""#,
    );
    let event = verify_webhook(
        &credentials(),
        &HeaderMap::new(),
        signed(&failure).as_bytes(),
    );
    let Ok(WebhookEvent::Failure(cb)) = event else {
        panic!("expected Failure, got {event:?}");
    };
    assert_eq!(cb.description.as_deref(), Some("No payment received"));
    assert_eq!(WEBHOOK_ACK.body, r#"{"result":"ok"}"#);
}

#[test]
fn a_callback_with_a_bad_or_missing_signature_is_refused() {
    let good = signed(CALLBACK);
    let tampered = good.replace(r#""amount":8000"#, r#""amount":9000"#);
    for body in [tampered.as_str(), CALLBACK] {
        match verify_webhook(&credentials(), &HeaderMap::new(), body.as_bytes()) {
            Err(Error::BadSignature { what, .. }) => assert_eq!(what, "webhook"),
            other => panic!("expected BadSignature, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn bad_card_number_is_refused_before_sending() {
    let mut request = card_payout();
    if let PayoutAdditionalFields::Card(card) = &mut request.additional_fields {
        card.card_number = CardNumber::new("4242424242424241");
    }
    let errors = rejected(request).await;
    assert_eq!(
        errors,
        vec![(
            "additional_fields.card_number".to_string(),
            "card_number".to_string()
        )]
    );
}

#[tokio::test]
async fn every_bad_field_is_named_before_sending() {
    let mut request = card_payout();
    request.amount = MinorUnits(-5);
    request.site_login = String::new();
    request.request_id = " ".into();
    if let PayoutAdditionalFields::Card(card) = &mut request.additional_fields {
        card.card_number = CardNumber::new("");
        card.expiry_date = Some("7/2023".into());
    }
    let errors = rejected(request).await;
    assert_names(&errors, "amount", "range");
    assert_names(&errors, "site_login", "required");
    assert_names(&errors, "request_id", "required");
    assert_names(&errors, "additional_fields.card_number", "required");
    assert_names(&errors, "additional_fields.expiry date", "pattern");
}

#[tokio::test]
async fn unknown_currency_is_refused_before_sending() {
    let mut request = card_payout();
    request.currency = Currency::Unknown(WireScalar::Str("XYZ".into()));
    let errors = rejected(request).await;
    // The currency itself is undocumented, and the amount cannot be written without its exponent.
    assert_eq!(
        errors,
        vec![
            ("currency".to_string(), "enum".to_string()),
            ("amount".to_string(), "currency".to_string())
        ]
    );
}

#[tokio::test]
async fn unknown_enum_values_are_named_at_their_own_field() {
    let mut request = card_payout();
    request.currency = Currency::Unknown(WireScalar::Str("XYZ".into()));
    request.method = PayoutMethod::Unknown(WireScalar::Str("teleport".into()));
    let errors = rejected(request).await;
    assert_names(&errors, "currency", "enum");
    assert_names(&errors, "method", "enum");
}

#[tokio::test]
async fn debug_never_shows_the_pan_or_the_salt() {
    let text = format!("{:?}", card_payout());
    assert!(!text.contains("4242424242424242"), "{text}");
    let creds = Credentials {
        merchant_id: "merch_id".into(),
        salt: Secret::new("s3cr3t-salt"),
    };
    let text = format!("{creds:?}");
    assert!(!text.contains("s3cr3t-salt"), "{text}");
    assert!(text.contains("merch_id"), "{text}");
}
