//! End-to-end tests of the generated Cabbagino client on 127.0.0.1: every operation's exact
//! request (MERCHANT_KEY header, signed body checked against an independent SHA-1 signature,
//! second host), typed answers and declines, signed callbacks, validation before sending
//! (Emanat phone, card, currency, amount, required fields) and redaction. A payout without an
//! answer: `tests/client_unknown_outcome.rs`.

mod support;

use paygen_connectors::cabbagino::*;
use paygen_runtime::http::HeaderMap;
use paygen_runtime::{Decimal, Error, MinorUnits, Pii, Secret};
use support::cabbagino::{client, credentials, customer, emanat_payout, MERCHANT_KEY, SALT};
use support::{assert_names, field_errors, sign_body, with_signature, Recorded, Reply, Server};

fn sign(body: &str) -> String {
    sign_body(
        &support::recipe(support::SALTED_SHA1_FIELDS),
        &credentials().to_runtime(),
        body.as_bytes(),
    )
}

/// Asserts POST, path, MERCHANT_KEY, JSON, and that the body is `unsigned` + its signature.
fn assert_signed_post(seen: &Recorded, path: &str, unsigned: &str) {
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, path);
    assert_eq!(seen.header("merchant_key"), Some(MERCHANT_KEY));
    assert_eq!(seen.header("content-type"), Some("application/json"));
    let independent = sign(seen.body_text());
    assert_eq!(independent, sign(unsigned));
    assert_eq!(
        seen.body_text(),
        with_signature(unsigned, "signature", &independent)
    );
}

const CUSTOMER: &str =
    r#""customer":{"customer_id":"test","country":"LV","first_name":"Test","last_name":"Test"}"#;

fn deposit(payment_data: Option<DepositPaymentData>) -> DepositRequest {
    DepositRequest {
        payment_system: "TEST_PS".into(),
        external_id: "ext-0001".into(),
        customer: customer(),
        payment_data,
        amount: MinorUnits(1_100_000),
        currency: "USD".into(),
    }
}

#[tokio::test]
async fn deposit_signs_the_c1_body_and_reads_a_redirect() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"redirect":"https://example.com","status":3,"type":1,"external_id":"ext-0001","order_id":"123456789012345678901234567890"}"#,
    )])
    .await;
    let answer = client(&server)
        .deposit(&deposit(None))
        .await
        .expect("deposit");
    let unsigned = format!(
        r#"{{"payment_system":"TEST_PS","external_id":"ext-0001",{CUSTOMER},"amount":1100000,"currency":"USD"}}"#
    );
    let seen = server.only();
    assert_signed_post(&seen, "/v2/payment/deposit/", &unsigned);
    // Vector C1 of the spec (self-computed from the documented reference function).
    assert!(seen
        .body_text()
        .ends_with(r#""signature":"ef30bc1fddd85ec204c8265f34c3a63c72a5c28e"}"#));
    let DepositResponse::Redirect(r) = answer else {
        panic!("expected Redirect, got {answer:?}");
    };
    assert_eq!(r.redirect.as_deref(), Some("https://example.com"));
    assert_eq!(r.status, Some(TransactionStatus::Processing));
    assert_eq!(
        r.order_id.as_deref(),
        Some("123456789012345678901234567890")
    );
}

fn card_data(pan: &str) -> DepositPaymentData {
    DepositPaymentData::BankCard(CardDepositData {
        card_number: CardNumber::new(pan).expect("pan"),
        card_holder: Pii::new("John Doe"),
        exp_year: ExpYear::new("2028").expect("year"),
        exp_month: ExpMonth::new("06").expect("month"),
        cvv: CardCvv::new("123").expect("cvv"),
    })
}

#[tokio::test]
async fn card_deposit_signs_the_c2_body_and_reads_host_to_host_requisites() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"display_data":{"card":"4111111111111111","card_holder":"John Doe","bank_name":"American Express"},"status":1,"type":1,"external_id":"BoUQswzcmH","order_id":"172284927627647225983547588979"}"#,
    )])
    .await;
    let mut request = deposit(Some(card_data("4111111111111111")));
    request.amount = MinorUnits(2000);
    let answer = client(&server).deposit(&request).await.expect("deposit");
    let unsigned = format!(
        r#"{{"payment_system":"TEST_PS","external_id":"ext-0001",{CUSTOMER},"payment_data":{{"card_number":"4111111111111111","card_holder":"John Doe","exp_year":"2028","exp_month":"06","cvv":"123"}},"amount":2000,"currency":"USD"}}"#
    );
    let seen = server.only();
    assert_signed_post(&seen, "/v2/payment/deposit/", &unsigned);
    assert!(seen
        .body_text()
        .ends_with(r#""signature":"9d31107dc5ae18d87c82bfda677192b10356171c"}"#));
    let DepositResponse::HostToHost(h2h) = answer else {
        panic!("expected HostToHost, got {answer:?}");
    };
    assert_eq!(h2h.status, Some(TransactionStatus::Initial));
    let display = h2h.display_data.expect("display_data");
    assert_eq!(display.bank_name.as_deref(), Some("American Express"));
    assert_eq!(display.card.expect("card").expose(), "4111111111111111");
}

const DECLINED: &str = r#"{"error_code":"default","error_message":"Declined. Please contact support for more details.","status":5,"type":1,"external_id":"SzOQVzA724","order_id":"172285043660926720456112753953"}"#;

async fn declined_deposit(http_status: u16) -> Result<DepositResponse, Error> {
    let server = Server::start(vec![Reply::json(http_status, DECLINED)]).await;
    let answer = client(&server).deposit(&deposit(None)).await;
    assert_eq!(server.seen().len(), 1);
    answer
}

fn assert_typed_decline(answer: Result<DepositResponse, Error>) {
    let Ok(DepositResponse::Declined(d)) = answer else {
        panic!("expected Declined, got {answer:?}");
    };
    assert_eq!(d.error_code.as_deref(), Some("default"));
    assert_eq!(
        d.error_message.as_deref(),
        Some("Declined. Please contact support for more details.")
    );
    assert_eq!(d.status, Some(TransactionStatus::Decline));
    assert_eq!(
        d.order_id.as_deref(),
        Some("172285043660926720456112753953")
    );
}

#[tokio::test]
async fn a_declined_deposit_body_is_the_typed_declined_variant() {
    assert_typed_decline(declined_deposit(200).await);
}

#[tokio::test]
async fn the_documented_http_400_decline_is_the_typed_declined_variant() {
    assert_typed_decline(declined_deposit(400).await);
}

#[tokio::test]
async fn an_error_envelope_without_order_is_error_declined_with_code_and_message() {
    let server = Server::start(vec![Reply::json(
        400,
        r#"{"error_code":"wrong_signature","error_message":"Signature is invalid"}"#,
    )])
    .await;
    let request = StatusRequest {
        order_id: "173020046562736927738477393445".into(),
    };
    match client(&server).transaction_status(&request).await {
        Err(Error::Declined {
            operation,
            http_status,
            code,
            message,
        }) => {
            assert_eq!((operation, http_status), ("transaction_status", 400));
            assert_eq!(
                (code.as_str(), message.as_str()),
                ("wrong_signature", "Signature is invalid")
            );
        }
        other => panic!("expected Declined, got {other:?}"),
    }
}

#[tokio::test]
async fn emanat_payout_is_signed_and_accepted() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"status":3,"type":2,"external_id":"po-1","order_id":"175040565608186698365302451169"}"#,
    )])
    .await;
    let phone = Phone994::new("994934331504").expect("phone");
    let answer = client(&server)
        .payout(&emanat_payout(phone))
        .await
        .expect("payout");
    let unsigned = format!(
        r#"{{"payment_system":"TEST_EMANAT","external_id":"po-1",{CUSTOMER},"payment_data":{{"phone":"994934331504"}},"amount":1000,"currency":"AZN"}}"#
    );
    assert_signed_post(&server.only(), "/v2/payment/payout/", &unsigned);
    let PayoutResponse::Accepted(a) = answer else {
        panic!("expected Accepted, got {answer:?}");
    };
    assert_eq!(
        a.order_id.as_deref(),
        Some("175040565608186698365302451169")
    );
}

#[tokio::test]
async fn payment_page_deposit_sends_urls_and_reads_the_page() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"redirect_url":"https://x.cabbagino.com/v2/?key=eyJybmQi#/deposit_methods/payment/1207","order_id":"117648544647405022384130200112","external_id":"HxvikLiBC6"}"#,
    )])
    .await;
    let request = PaymentPageDepositRequest {
        payment_system: "Payment_System".into(),
        external_id: "12345".into(),
        amount: MinorUnits(1000),
        customer: customer(),
        payment_data: None,
        urls: Some(PaymentPageUrls {
            redirect_decline_url: Some("https://www.example.com".into()),
            redirect_success_url: Some("https://www.example.com".into()),
            redirect_processing_url: None,
            notify_url: Some("https://example.com/".into()),
        }),
        currency: "KRW".into(),
    };
    let answer = client(&server)
        .payment_page_deposit(&request)
        .await
        .expect("page");
    let unsigned = format!(
        r#"{{"payment_system":"Payment_System","external_id":"12345","amount":1000,{CUSTOMER},"urls":{{"redirect_decline_url":"https://www.example.com","redirect_success_url":"https://www.example.com","notify_url":"https://example.com/"}},"currency":"KRW"}}"#
    );
    assert_signed_post(&server.only(), "/v2/payment_page/deposit/", &unsigned);
    let PaymentPageDepositResponse::PaymentPage(page) = answer else {
        panic!("expected PaymentPage, got {answer:?}");
    };
    assert_eq!(page.external_id.as_deref(), Some("HxvikLiBC6"));
    assert!(page
        .redirect_url
        .expect("url")
        .starts_with("https://x.cabbagino.com/v2/?key="));
}

#[tokio::test]
async fn transaction_status_signs_the_c3_body_and_reads_a_decline_reason() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"status":5,"type":1,"external_id":"0199a468","order_id":"173020046562736927738477393445","amount":3000,"currency":"AZN","customer_id":"333101256","reason_code":"051","reason":"User did not pay","signature":"8b50d0b048c39e21d78114cded6b43a452256913"}"#,
    )])
    .await;
    let request = StatusRequest {
        order_id: "173020046562736927738477393445".into(),
    };
    let answer = client(&server)
        .transaction_status(&request)
        .await
        .expect("status");
    let seen = server.only();
    assert_signed_post(
        &seen,
        "/status/",
        r#"{"order_id":"173020046562736927738477393445"}"#,
    );
    assert!(seen
        .body_text()
        .ends_with(r#""signature":"ac9503d1726f9ed3d6629d461f1267f55c59ce6e"}"#));
    assert_eq!(answer.status, Some(TransactionStatus::Decline));
    assert_eq!(answer.amount, Some(MinorUnits(3000)));
    assert_eq!(answer.reason_code.as_deref(), Some("051"));
}

#[tokio::test]
async fn balances_is_an_unsigned_get_with_the_merchant_key() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"EUR":{"total":138665,"reserved":2500,"sources":[{"source":"TEST","amount":123123,"decimal_amount":1231.23},{"source":"TEST_1","amount":15542,"decimal_amount":155.42}],"decimal_total":1386.65,"decimal_reserved":25.0}}"#,
    )])
    .await;
    let answer = client(&server).balances().await.expect("balances");
    let seen = server.only();
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("GET", "/balances/")
    );
    assert_eq!(seen.header("merchant_key"), Some(MERCHANT_KEY));
    assert!(seen.body.is_empty());
    let eur = answer.get("EUR").cloned().expect("EUR");
    assert_eq!((eur.total, eur.reserved), (Some(138665), Some(2500)));
    assert_eq!(eur.decimal_total, Decimal::parse("1386.65"));
    assert_eq!(
        eur.sources.expect("sources")[1].decimal_amount,
        Decimal::parse("155.42")
    );
    assert_eq!(
        answer.keys().collect::<Vec<_>>(),
        ["EUR"],
        "every currency the provider lists, no more"
    );
}

#[tokio::test]
async fn get_banks_goes_to_the_banks_host() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"bank_names":[["1","AKBANK"],["2","ALBARAKATURK"]]}"#,
    )])
    .await;
    let request = GetBanksRequest {
        payment_system: "TEST_PS".into(),
        customer: customer(),
        amount: MinorUnits(4000),
        currency: "TRY".into(),
    };
    let answer = client(&server)
        .get_banks(&request)
        .await
        .expect("get_banks");
    let unsigned =
        format!(r#"{{"payment_system":"TEST_PS",{CUSTOMER},"amount":4000,"currency":"TRY"}}"#);
    assert_signed_post(
        &server.only(),
        "/~banks/external_clients/get_banks/deposit/",
        &unsigned,
    );
    let banks = answer.bank_names.expect("bank_names");
    assert_eq!(banks[0], serde_json::json!(["1", "AKBANK"]));
}

#[tokio::test]
async fn community_payments_banks_reads_fixed_amounts() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"bank_name":"Aichi Bank","swift":"AICHJPJN","amount_list":[{"id":136165236,"amount":225,"currency":"JPY"},{"id":136165248,"amount":300,"currency":"JPY"}]}"#,
    )])
    .await;
    let request = CommunityBanksRequest {
        payment_system: "CommunityPayment_Provider".into(),
        country: "JP".into(),
    };
    let answer = client(&server)
        .community_payments_banks(&request)
        .await
        .expect("banks");
    assert_signed_post(
        &server.only(),
        "/gateways/banks/community_payments/",
        r#"{"payment_system":"CommunityPayment_Provider","country":"JP"}"#,
    );
    assert_eq!(answer.swift.as_deref(), Some("AICHJPJN"));
    let amounts = answer.amount_list.expect("amount_list");
    assert_eq!(
        (amounts[1].id, amounts[1].amount),
        (Some(136165248), Some(MinorUnits(300)))
    );
}

const DECLINE_C4: &str = r#"{"status":5,"type":1,"external_id":"example_external_id","order_id":"173805987126016235868313296401","amount":10000,"currency":"USD","customer_id":"307354","reason_code":"001","reason":"General decline","signature":"611c31bbb64d165be78cd6a86af81ee44f6de97f"}"#;

#[test]
fn callbacks_verify_and_parse_by_status() {
    let event = verify_webhook(&credentials(), &HeaderMap::new(), DECLINE_C4.as_bytes());
    let Ok(WebhookEvent::Decline(cb)) = event else {
        panic!("expected Decline, got {event:?}");
    };
    assert_eq!(cb.reason.as_deref(), Some("General decline"));
    assert_eq!(cb.amount, Some(MinorUnits(10000)));
    let unsigned = r#"{"status":4,"type":1,"external_id":"e1","order_id":"1738","amount":10000,"currency":"USD","customer_id":"307353","customer_purse":"428455...9651"}"#;
    let body = with_signature(unsigned, "signature", &sign(unsigned));
    let event = verify_webhook(&credentials(), &HeaderMap::new(), body.as_bytes());
    let Ok(WebhookEvent::Success(cb)) = event else {
        panic!("expected Success, got {event:?}");
    };
    assert_eq!(cb.customer_purse.as_deref(), Some("428455...9651"));
    assert_eq!(WEBHOOK_ACK.body, r#"{"result":"ok"}"#);
}

#[test]
fn a_callback_with_a_bad_signature_is_refused() {
    let tampered = DECLINE_C4.replace(r#""amount":10000"#, r#""amount":10001"#);
    let other_salt = Credentials {
        salt: Secret::new("other_salt"),
        ..credentials()
    };
    for (creds, body) in [(credentials(), tampered.as_str()), (other_salt, DECLINE_C4)] {
        match verify_webhook(&creds, &HeaderMap::new(), body.as_bytes()) {
            Err(Error::BadSignature { what, .. }) => assert_eq!(what, "webhook"),
            other => panic!("expected BadSignature, got {other:?}"),
        }
    }
}

#[test]
fn wrong_emanat_phone_cannot_be_constructed() {
    // The last two are Unicode digits (Arabic-Indic, full-width) that `\d` must not accept.
    for bad in [
        "99493433150",
        "+994934331504",
        "7934331504",
        "994\u{669}\u{663}\u{664}\u{663}\u{663}\u{661}\u{665}\u{660}\u{664}",
        "994\u{ff19}34331504",
    ] {
        let errs = Phone994::new(bad).expect_err(bad);
        assert_eq!(errs.errors.len(), 1);
        assert_eq!(errs.errors[0].rule, "pattern");
        assert!(errs.errors[0].message.contains(r"^994\d{9}$"));
    }
}

/// Runs a payout against a fresh server; asserts nothing was sent and returns the errors.
async fn rejected_payout(request: PayoutRequest) -> Vec<(String, String)> {
    let server = Server::start(vec![]).await;
    let errors = field_errors(client(&server).payout(&request).await);
    assert!(server.seen().is_empty(), "sent: {:?}", server.seen());
    errors
}

#[test]
fn a_wrong_emanat_phone_cannot_be_constructed_or_deserialized() {
    assert!(Phone994::new("99412345").is_err());
    assert!(serde_json::from_str::<Phone994>(r#""99412345""#).is_err());
    let raw = r#"{"payment_system":"TEST_EMANAT","external_id":"po-1","customer":{"customer_id":"c","country":"AZ","first_name":"A","last_name":"B"},"payment_data":{"phone":"0501234567"},"amount":1000,"currency":"AZN"}"#;
    assert!(
        serde_json::from_str::<PayoutRequest>(raw).is_err(),
        "a request carrying a bad phone does not decode"
    );
}

#[tokio::test]
async fn every_bad_field_is_named_before_sending() {
    let mut request = emanat_payout(Phone994::new("994934331504").expect("valid phone"));
    request.amount = MinorUnits(-1);
    request.currency = "ABC".into();
    request.external_id = String::new();
    request.customer.country = "XX".into();
    request.customer.first_name = Pii::new(" ");
    let errors = rejected_payout(request).await;
    for (path, rule) in [
        ("amount", "range"),
        ("currency", "currency"),
        ("external_id", "required"),
        ("customer.country", "country"),
        ("customer.first_name", "required"),
    ] {
        assert_names(&errors, path, rule);
    }
}

#[test]
fn a_bad_card_number_cannot_be_constructed_or_deserialized() {
    assert!(CardNumber::new("4111111111111112").is_err(), "Luhn");
    assert!(serde_json::from_str::<CardNumber>(r#""4111111111111112""#).is_err());
    assert!(CardNumber::new("4111111111111111").is_ok());
}

#[test]
fn debug_never_shows_the_pan_cvv_or_secrets() {
    let request = deposit(Some(card_data("4111111111111111")));
    let text = format!("{request:?}");
    assert!(!text.contains("4111111111111111"), "{text}");
    assert!(!text.contains("\"123\""), "{text}");
    let creds = format!("{:?}", credentials());
    assert!(
        !creds.contains(MERCHANT_KEY) && !creds.contains(SALT),
        "{creds}"
    );
}
