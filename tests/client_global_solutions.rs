//! End-to-end tests of the generated Global Solutions client against a recording server on
//! 127.0.0.1: every operation's exact request (method, path, Basic auth, content type, body
//! bytes) and the decoding of its documented answers. Validation, webhooks, timeouts and
//! redaction live in `client_global_solutions_safety.rs`.

mod support;

use paygen_connectors::global_solutions::*;
use paygen_runtime::{CardNumber, Decimal, Error, MinorUnits, Pii};
use support::global_solutions::{charge, client, API_SECRET, PUBLIC_ID};
use support::{basic_auth, Recorded, Reply, Server};

/// Asserts method, path, Basic auth, JSON content type and the exact body bytes.
fn assert_post(seen: &Recorded, path: &str, body: &str) {
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, path);
    assert_eq!(
        seen.header("authorization"),
        Some(basic_auth(PUBLIC_ID, API_SECRET).as_str())
    );
    assert_eq!(
        basic_auth(PUBLIC_ID, API_SECRET),
        "Basic cGJpZF8ya2FqaGg5b3FobXB3anFnZDUyOXJnOjEyMzRBQkNE"
    );
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(seen.body_text(), body);
}

fn dec(text: &str) -> Option<Decimal> {
    Some(Decimal::parse(text).expect("decimal"))
}

const COMPLETED: &str = r#"{"success":true,"message":null,"model":{"transactionId":524,"amount":40.11,"currency":"EUR","invoiceId":"9276334","accountId":"john@doe.com","description":"Payment for products","name":"John Doe","token":"8163-KS17-JV29-KF28","statusCode":4,"status":"Completed","reasonCode":0,"reason":"Approved"}}"#;
const DECLINED: &str = r#"{"success":false,"message":"Insufficient funds to process the transaction","model":{"transactionId":524,"amount":2873.00,"currency":"EUR","invoiceId":"9276334","accountId":"john@doe.com","description":"Payment","name":"John Doe","token":null,"statusCode":99,"status":"Declined","reasonCode":5051,"reason":"Insufficient Funds"}}"#;
const REDIRECT_3DS: &str = r#"{"success":false,"message":"Requires 3DS authentication","threeDsRedirectModel":{"url":"https://api.global-solutions.com/redirect/?link_reference=437b2e80220a11bc8b532f4e2aa8c471","transactionId":525,"statusCode":1,"status":"AwaitingAuthentication"}}"#;
const ADVANCED_3DS: &str = r#"{"success":false,"message":"Requires 3DS authentication","threeDsModel":{"transactionId":529,"method":"post","paReq":"eNpdU8tymzAU3ecrvMumYz1AgD2yZnDsTpMZx06TRdudLK5skhiIgNjust","acsUrl":"http://ascbank.redisecure.com/ascpage/cap?id=8276844","statusCode":1,"status":"AwaitingAuthentication"}}"#;

/// The documentation's charge example: [`charge`] with its expiry, browser and payer data.
pub fn charge_request() -> ChargeCardRequest {
    let base = charge("4242424242424242", "123", "EUR", 4011);
    let card = Card {
        expiry_year: 2023,
        ..base.card
    };
    ChargeCardRequest {
        card,
        browser_data: Some(BrowserData {
            color_depth: Some("24".into()),
            java_enabled: Some("false".into()),
            screen_height: Some("600".into()),
            screen_width: Some("800".into()),
            language: Some("en_US".into()),
            accept_header: Some("text/html,application/xhtml+xml,application/xml".into()),
            time_zone_offset: Some("+120".into()),
            user_agent: Some("AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0".into()),
        }),
        data: Some(ChargePayerData {
            country_code: Some("UK".into()),
            city: Some(Pii::new("London")),
            address: Some(Pii::new("Wall Street 15")),
            postcode: Some(Pii::new("12384")),
            phone: Some(Pii::new("441632960909")),
            state: Some(String::new()),
            birth_date: Some(Pii::new("1980-04-25")),
            first_name: Some(Pii::new("John")),
            last_name: Some(Pii::new("Doe")),
        }),
        ..base
    }
}

const CHARGE_BODY: &str = concat!(
    r#"{"publicId":"pbid_2kajhh9oqhmpwjqgd529rg","amount":40.11,"currency":"EUR","name":"John Doe","#,
    r#""invoiceId":"927829","description":"Payment for products","accountId":"john@doe.com","ip":"203.0.113.7","#,
    r#""card":{"publicId":"pbid_2kajhh9oqhmpwjqgd529rg","pan":"4242424242424242","cvv":"123","expiryMonth":12,"expiryYear":2023},"#,
    r#""browserData":{"colorDepth":"24","javaEnabled":"false","screenHeight":"600","screenWidth":"800","language":"en_US","#,
    r#""acceptHeader":"text/html,application/xhtml+xml,application/xml","timeZoneOffset":"+120","#,
    r#""userAgent":"AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0"},"#,
    r#""data":{"countryCode":"UK","city":"London","address":"Wall Street 15","postcode":"12384","phone":"441632960909","#,
    r#""state":"","birthDate":"1980-04-25","firstName":"John","lastName":"Doe"}}"#
);

#[tokio::test]
async fn test_operation_posts_nothing_and_reads_the_answer() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"success": true, "message": "Test message success"}"#,
    )])
    .await;
    let answer = client(&server).test().await.expect("test");
    assert_eq!(answer.success, Some(true));
    assert_eq!(answer.message.as_deref(), Some("Test message success"));
    let seen = server.only();
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/test")
    );
    assert_eq!(
        seen.header("authorization"),
        Some(basic_auth(PUBLIC_ID, API_SECRET).as_str())
    );
    assert_eq!(seen.body_text(), "");
}

#[tokio::test]
async fn charge_card_sends_the_documented_body_and_reads_completed() {
    let server = Server::start(vec![Reply::json(200, COMPLETED)]).await;
    let answer = client(&server).charge_card(&charge_request()).await;
    assert_post(&server.only(), "/payments/charge/card", CHARGE_BODY);
    let ChargeCardResponse::Completed(done) = answer.expect("charge") else {
        panic!("expected Completed");
    };
    assert_eq!(done.success, Some(true));
    let model = done.model.expect("model");
    assert_eq!(model.transaction_id, Some(524));
    assert_eq!(model.amount, dec("40.11"));
    assert_eq!(
        model.amount.expect("amount").to_minor(2),
        Some(MinorUnits(4011))
    );
    assert_eq!(model.status_code, Some(TransactionStatus::Completed));
    assert_eq!(model.reason_code, Some(ReasonCode::Approved));
    assert_eq!(
        model.token.expect("token").get().expose(),
        "8163-KS17-JV29-KF28"
    );
}

#[tokio::test]
async fn charge_card_reads_declined_as_a_typed_variant() {
    let server = Server::start(vec![Reply::json(200, DECLINED)]).await;
    let answer = client(&server).charge_card(&charge_request()).await;
    let ChargeCardResponse::Declined(declined) = answer.expect("charge") else {
        panic!("expected Declined");
    };
    assert_eq!(
        declined.message.as_deref(),
        Some("Insufficient funds to process the transaction")
    );
    let model = declined.model.expect("model");
    assert_eq!(model.status_code, Some(TransactionStatus::Declined));
    assert_eq!(model.reason_code, Some(ReasonCode::InsufficientFunds));
    assert_eq!(model.amount, dec("2873.00"));
    assert_eq!(model.token, None);
}

#[tokio::test]
async fn charge_card_reads_both_3ds_schemas() {
    let server = Server::start(vec![
        Reply::json(200, REDIRECT_3DS),
        Reply::json(200, ADVANCED_3DS),
    ])
    .await;
    let client = client(&server);
    let ChargeCardResponse::Redirect3ds(r) = client.charge_card(&charge_request()).await.unwrap()
    else {
        panic!("expected Redirect3ds");
    };
    let model = r.three_ds_redirect_model.expect("redirect model");
    assert_eq!(model.transaction_id, Some(525));
    assert_eq!(
        model.url.as_deref(),
        Some("https://api.global-solutions.com/redirect/?link_reference=437b2e80220a11bc8b532f4e2aa8c471")
    );
    assert_eq!(
        model.status_code,
        Some(TransactionStatus::AwaitingAuthentication)
    );
    let ChargeCardResponse::Advanced3ds(a) = client.charge_card(&charge_request()).await.unwrap()
    else {
        panic!("expected Advanced3ds");
    };
    let challenge = a.three_ds_model.expect("3ds model");
    assert_eq!(challenge.transaction_id, Some(529));
    assert_eq!(challenge.method.as_deref(), Some("post"));
    assert_eq!(
        challenge.acs_url.as_deref(),
        Some("http://ascbank.redisecure.com/ascpage/cap?id=8276844")
    );
    assert!(challenge.pa_req.expect("paReq").starts_with("eNpdU8ty"));
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn post3ds_sends_pares_and_reads_completed() {
    let server = Server::start(vec![Reply::json(200, COMPLETED)]).await;
    let request = Post3dsRequest {
        transaction_id: 529,
        pa_res: "eJzVWFevo8iS".into(),
    };
    let answer = client(&server).post3ds(&request).await.expect("post3ds");
    assert_post(
        &server.only(),
        "/payments/post3ds",
        r#"{"transactionId":529,"paRes":"eJzVWFevo8iS"}"#,
    );
    let Post3dsResponse::Completed(done) = answer else {
        panic!("expected Completed, got {answer:?}");
    };
    assert_eq!(done.model.expect("model").transaction_id, Some(524));
}

#[tokio::test]
async fn refund_sends_minor_units_as_a_decimal_amount_and_reads_accepted() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"model": {"transactionId": 1039}, "success": true, "message": null}"#,
    )])
    .await;
    let request = RefundRequest {
        transaction_id: 524,
        amount: Some(MinorUnits(1334)),
        currency: "EUR".into(),
    };
    let answer = client(&server).refund(&request).await.expect("refund");
    assert_post(
        &server.only(),
        "/payments/refund",
        r#"{"transactionId":524,"amount":13.34}"#,
    );
    let RefundResponse::Accepted(accepted) = answer else {
        panic!("expected Accepted, got {answer:?}");
    };
    assert_eq!(accepted.model.expect("model").transaction_id, Some(1039));
}

const PAYOUT_COMPLETED: &str = r#"{"success":true,"message":null,"model":{"transactionId":2533,"amount":12.30,"currency":"EUR","invoiceId":"11928485","accountId":"john@doe.com","name":"John Doe","statusCode":7,"status":"PayoutCompleted","reasonCode":0,"reason":"Approved"}}"#;

pub fn payout_request() -> PayoutTokenRequest {
    PayoutTokenRequest {
        token: CardToken::new("8163-KS17-JV29-KF28").expect("token"),
        amount: MinorUnits(1230),
        account_id: "john@doe.com".into(),
        currency: "EUR".into(),
        invoice_id: None,
    }
}

#[tokio::test]
async fn payout_by_token_sends_the_documented_body_and_reads_completed() {
    let server = Server::start(vec![Reply::json(200, PAYOUT_COMPLETED)]).await;
    let answer = client(&server)
        .payout(&payout_request())
        .await
        .expect("payout");
    assert_post(
        &server.only(),
        "/payments/payout",
        r#"{"token":"8163-KS17-JV29-KF28","amount":12.3,"accountId":"john@doe.com","currency":"EUR"}"#,
    );
    let PayoutResponse::Completed(done) = answer else {
        panic!("expected Completed, got {answer:?}");
    };
    let model = done.model.expect("model");
    assert_eq!(model.status_code, Some(TransactionStatus::PayoutCompleted));
    assert_eq!(model.amount, dec("12.30"));
}

#[tokio::test]
async fn payout_card_sends_pan_and_recipient_data_and_reads_declined() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"success":false,"message":"Declined","model":{"transactionId":2534,"statusCode":99,"status":"Declined","reasonCode":5051,"reason":"Insufficient Funds"}}"#,
    )])
    .await;
    let request = PayoutCardRequest {
        pan: CardNumber::new("4242424242424242"),
        name: Pii::new("John Doe"),
        amount: MinorUnits(1230),
        currency: "EUR".into(),
        invoice_id: "11928485".into(),
        data: Some(PayoutRecipientData {
            phone: Some(Pii::new("+999389235")),
            address: Some(Pii::new("Wall street 65")),
            city: Some(Pii::new("New York")),
            country_code: Some("US".into()),
            birth_date: Some(Pii::new("1980-11-25")),
        }),
    };
    let answer = client(&server)
        .payout_card(&request)
        .await
        .expect("payout_card");
    assert_post(
        &server.only(),
        "/payments/payout/card",
        concat!(
            r#"{"pan":"4242424242424242","name":"John Doe","amount":12.3,"currency":"EUR","invoiceId":"11928485","#,
            r#""data":{"phone":"+999389235","address":"Wall street 65","city":"New York","countryCode":"US","birthDate":"1980-11-25"}}"#
        ),
    );
    let PayoutCardResponse::Declined(declined) = answer else {
        panic!("expected Declined, got {answer:?}");
    };
    let model = declined.model.expect("model");
    assert_eq!(model.reason_code, Some(ReasonCode::InsufficientFunds));
    assert_eq!(model.reason.as_deref(), Some("Insufficient Funds"));
}

#[tokio::test]
async fn status_sends_the_transaction_id_and_reads_the_model() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"model":{"transactionId":144221,"amount":12.30,"currency":"EUR","invoiceId":"11928485","accountId":"john@doe.com","name":"John Doe","statusCode":4,"status":"Completed","reasonCode":0,"reason":"Approved","operationTypeCode":1,"operationType":"Payment"},"success":true,"message":null}"#,
    )])
    .await;
    let request = StatusRequest {
        transaction_id: 144221,
    };
    let answer = client(&server).status(&request).await.expect("status");
    assert_post(
        &server.only(),
        "/payments/status",
        r#"{"transactionId":144221}"#,
    );
    let model = answer.model.expect("model");
    assert_eq!(model.operation_type_code, Some(OperationType::Payment));
    assert_eq!(model.status_code, Some(TransactionStatus::Completed));
    assert_eq!(model.invoice_id.as_deref(), Some("11928485"));
}

#[tokio::test]
async fn status_invoice_reads_every_transaction_of_the_invoice() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"success":true,"message":null,"transactions":[{"transactionId":501166,"amount":2.54,"currency":"EUR","invoiceId":"1781","statusCode":4,"status":"Completed","reasonCode":0,"reason":"Approved","operationTypeCode":1,"operationType":"Payment"},{"transactionId":501167,"amount":2.54,"currency":"EUR","invoiceId":"1781","statusCode":99,"status":"Declined","reasonCode":6002,"reason":"Duplicate invoice ID","operationTypeCode":1,"operationType":"Payment"}]}"#,
    )])
    .await;
    let request = StatusInvoiceRequest {
        invoice_id: "1781".into(),
    };
    let answer = client(&server)
        .status_invoice(&request)
        .await
        .expect("status_invoice");
    assert_post(
        &server.only(),
        "/payments/status/invoice",
        r#"{"invoiceId":"1781"}"#,
    );
    let list = answer.transactions.expect("transactions");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].status_code, Some(TransactionStatus::Completed));
    assert_eq!(list[1].reason_code, Some(ReasonCode::DuplicateInvoiceId));
    assert_eq!(list[1].transaction_id, Some(501167));
}

#[tokio::test]
async fn list_sends_date_and_timezone_and_reads_listed_transactions() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"success":true,"message":null,"transactions":[{"id":16213,"statusId":4,"status":"Completed","currency":"USD","amount":65.77,"description":"Products Payment","invoiceId":"132-33541-34","accountId":"test@account.com","created":1606726879000,"operationTypeId":1,"operationType":"Payment","reasonId":0,"reason":"Approved","cardType":"Visa","cardFirstSix":"411111","cardLastFour":"1111","completed":1606726905000,"paymentTransactionId":null}]}"#,
    )])
    .await;
    let request = ListRequest {
        date: "2020-10-25".into(),
        timezone: Some(Timezone::EuropeMoscow),
    };
    let answer = client(&server).list(&request).await.expect("list");
    assert_post(
        &server.only(),
        "/payments/list",
        r#"{"date":"2020-10-25","timezone":"Europe/Moscow"}"#,
    );
    let item = &answer.transactions.expect("transactions")[0];
    assert_eq!(item.id, Some(16213));
    assert_eq!(item.status_id, Some(TransactionStatus::Completed));
    assert_eq!(item.amount, dec("65.77"));
    assert_eq!(item.created, Some(1606726879000));
    assert_eq!(item.payment_transaction_id, None);
    assert_eq!(item.card_last_four.as_deref(), Some("1111"));
}

fn link_request() -> LinkRequest {
    LinkRequest {
        amount: MinorUnits(1066),
        account_id: "john@doe.com".into(),
        currency: "USD".into(),
        description: "Payment for products".into(),
        invoice_id: "990022".into(),
        name: None,
        success_url: Some("https://example.com/success".into()),
        failure_url: Some("https://example.com/failure".into()),
        pending_url: Some("https://example.com/pending".into()),
        cancel_url: Some("https://example.com/cancel".into()),
        locale: Some(Locale::EnUs),
        ip: "10.20.30.40".into(),
        data: Some(LinkData {
            person_id: Some(Pii::new("4000878749933")),
            first_name: Some(Pii::new("John")),
            last_name: Some(Pii::new("Doe")),
            phone: Some(Pii::new("+73838247553")),
            address: Some(Pii::new("Wall Street 14-49")),
            city: Some(Pii::new("New York")),
            country_code: Some("BR".into()),
            payment_type_id: Some(LinkPaymentTypeId::BancoItau),
        }),
    }
}

#[tokio::test]
async fn link_sends_the_documented_body_and_reads_the_link() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"success":true,"message":null,"model":{"transactionId":356244,"amount":10.66,"currency":"USD","invoiceId":"990022","accountId":"john@doe.com","description":"Payment for products","statusCode":10,"status":"Created","reasonCode":0,"reason":"Approved"},"link":{"method":"get","action":"https://checkout.global-solutions.com/?f8927-3928f-2398-3939"}}"#,
    )])
    .await;
    let answer = client(&server).link(&link_request()).await.expect("link");
    assert_post(
        &server.only(),
        "/payments/link",
        concat!(
            r#"{"amount":10.66,"accountId":"john@doe.com","currency":"USD","description":"Payment for products","#,
            r#""invoiceId":"990022","successUrl":"https://example.com/success","failureUrl":"https://example.com/failure","#,
            r#""pendingUrl":"https://example.com/pending","cancelUrl":"https://example.com/cancel","locale":"en_US","#,
            r#""ip":"10.20.30.40","data":{"personId":"4000878749933","firstName":"John","lastName":"Doe","#,
            r#""phone":"+73838247553","address":"Wall Street 14-49","city":"New York","countryCode":"BR","paymentTypeId":1000}}"#
        ),
    );
    assert_eq!(
        answer.model.expect("model").status_code,
        Some(TransactionStatus::Created)
    );
    let link = answer.link.expect("link");
    assert_eq!(link.method.as_deref(), Some("get"));
    assert_eq!(
        link.action.as_deref(),
        Some("https://checkout.global-solutions.com/?f8927-3928f-2398-3939")
    );
}

#[tokio::test]
async fn link_in_btc_uses_the_spec_exponent_of_eight_in_shortest_form() {
    let server = Server::start(vec![Reply::json(200, r#"{"success":true,"message":null}"#)]).await;
    let request = LinkRequest {
        amount: MinorUnits(45_000),
        currency: "BTC".into(),
        locale: None,
        name: None,
        data: Some(LinkData {
            payment_type_id: Some(LinkPaymentTypeId::BtcBitcoin),
            ..LinkData::default()
        }),
        ..link_request()
    };
    let _ = client(&server).link(&request).await;
    let body = server.only().body_text().to_string();
    assert!(body.contains(r#""amount":0.00045,"#), "{body}");
    assert!(body.contains(r#""currency":"BTC""#), "{body}");
}

#[tokio::test]
async fn balance_is_a_get_without_body() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"success":true,"message":null,"balances":[{"name":"The balance","currencies":[{"currency":"EUR","total":14633.00,"pending":0.00,"hold":481.70,"fee":529.98,"pendingFee":0.00,"available":13621.32},{"currency":"USD","total":59483.00,"pending":503.00,"hold":3220.70,"fee":1003.98,"pendingFee":45.10,"available":54710.22}]}]}"#,
    )])
    .await;
    let answer = client(&server).balance().await.expect("balance");
    let seen = server.only();
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("GET", "/payments/balance")
    );
    assert_eq!(
        seen.header("authorization"),
        Some(basic_auth(PUBLIC_ID, API_SECRET).as_str())
    );
    assert!(seen.body.is_empty());
    let balance = &answer.balances.expect("balances")[0];
    assert_eq!(balance.name.as_deref(), Some("The balance"));
    let usd = &balance.currencies.as_ref().expect("currencies")[1];
    assert_eq!(usd.currency.as_deref(), Some("USD"));
    assert_eq!(usd.available, dec("54710.22"));
    assert_eq!(usd.pending_fee, dec("45.10"));
}

const APM_CREATED: &str = r#"{"model":{"transactionId":8432893,"amount":700.0,"currency":"INR","invoiceId":"08072021-01","accountId":"john@deer.com","name":"John Deer","statusCode":10,"status":"Created","reasonCode":0,"reason":"Approved"},"success":true,"message":null}"#;

#[tokio::test]
async fn apm_payout_sends_sepa_data_and_reads_created() {
    let server = Server::start(vec![Reply::json(200, APM_CREATED)]).await;
    let request = ApmPayoutRequest {
        amount: MinorUnits(1000),
        account_id: Some("john@deer.com".into()),
        currency: "EUR".into(),
        description: Some("Payment for products".into()),
        invoice_id: "1928398740527".into(),
        name: Some(Pii::new("John Deer")),
        success_url: None,
        failure_url: None,
        pending_url: None,
        cancel_url: None,
        data: ApmPayoutData {
            bank_account_number: Some(Pii::new("LT837500018004669430")),
            payment_type_id: PayoutPaymentTypeId::SepaCreditTransfer,
            ..apm_data_empty()
        },
    };
    let answer = client(&server)
        .apm_payout(&request)
        .await
        .expect("apm_payout");
    assert_post(
        &server.only(),
        "/payments/apm/payout",
        concat!(
            r#"{"amount":10,"accountId":"john@deer.com","currency":"EUR","description":"Payment for products","#,
            r#""invoiceId":"1928398740527","name":"John Deer","#,
            r#""data":{"bankAccountNumber":"LT837500018004669430","paymentTypeId":6000}}"#
        ),
    );
    let ApmPayoutResponse::Created(created) = answer else {
        panic!("expected Created, got {answer:?}");
    };
    let model = created.model.expect("model");
    assert_eq!(model.status_code, Some(TransactionStatus::Created));
    assert_eq!(model.amount, dec("700.0"));
    assert_eq!(
        model.amount.expect("amount").to_minor(2),
        Some(MinorUnits(70000))
    );
}

fn apm_data_empty() -> ApmPayoutData {
    ApmPayoutData {
        person_id: None,
        first_name: None,
        last_name: None,
        phone: None,
        address: None,
        bank_account_number: None,
        payment_type_id: PayoutPaymentTypeId::ApmTestPayout,
        ifsc: None,
    }
}

#[tokio::test]
async fn apm_refund_sends_the_documented_body_and_reads_created() {
    let server = Server::start(vec![Reply::json(200, APM_CREATED)]).await;
    let request = ApmRefundRequest {
        transaction_id: 8432820,
        amount: Some(MinorUnits(70000)),
        currency: "INR".into(),
    };
    let answer = client(&server)
        .apm_refund(&request)
        .await
        .expect("apm_refund");
    assert_post(
        &server.only(),
        "/payments/apm/refund",
        r#"{"transactionId":8432820,"amount":700}"#,
    );
    let ApmRefundResponse::Created(created) = answer else {
        panic!("expected Created, got {answer:?}");
    };
    assert_eq!(created.model.expect("model").transaction_id, Some(8432893));
}

#[tokio::test]
async fn the_generic_error_envelope_is_declined_with_its_message() {
    let server = Server::start(vec![
        Reply::json(
            200,
            r#"{"Success": false, "Message": "Invalid Amount value"}"#,
        ),
        Reply::json(200, r#"{"success": false, "message": "Invalid currency"}"#),
    ])
    .await;
    let client = client(&server);
    for expected in ["Invalid Amount value", "Invalid currency"] {
        match client.charge_card(&charge_request()).await {
            Err(Error::Declined {
                operation, message, ..
            }) => {
                assert_eq!(operation, "charge_card");
                assert_eq!(message, expected);
            }
            other => panic!("expected Declined, got {other:?}"),
        }
    }
    assert_eq!(server.seen().len(), 2);
}
