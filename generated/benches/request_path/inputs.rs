//! The inputs both sides of the request-path benchmark use (shared with the allocation-count
//! test, `generated/tests/alloc_counts.rs`). The generated path of one call up to its bytes on
//! the wire is the client's public dry run, `prepare_<operation>`.

use hmac::Mac as _;

use paygen_connectors::{cactusgino as cg, global_solutions as gs};
use paygen_runtime::{CardNumber, Cvv, MinorUnits, Pii, Secret};

pub const SALT: &str = "test_api_v2";
pub const GS_PUBLIC_ID: &str = "pbid_2kajhh9oqhmpwjqgd529rg";
pub const GS_SECRET: &str = "1234ABCD";
/// The documented completed charge (the loopback server's answer).
pub const CHARGE_ANSWER: &str = r#"{"success":true,"message":null,"model":{"transactionId":524,"amount":40.11,"currency":"EUR","invoiceId":"9276334","accountId":"john@doe.com","description":"Payment for products","name":"John Doe","token":"8163-KS17-JV29-KF28","statusCode":4,"status":"Completed","reasonCode":0,"reason":"Approved"}}"#;
/// The official signed answer T2 of Cactusgino's documentation.
pub const T2_RESPONSE: &str = r#"{"amount":10000000,"currency":"RUB","invoice_id":23249,"request_id":"test20240430132039","signature":"5520cc4d1ec1433f8ff01470f0d95c3b9a363000","site_id":101,"site_login":"user_4","success":true}"#;
pub fn cg_credentials() -> cg::Credentials {
    cg::Credentials {
        merchant_id: "test_api_v2".to_string(),
        salt: Secret::new(SALT),
    }
}

pub fn gs_credentials() -> gs::Credentials {
    gs::Credentials {
        public_id: GS_PUBLIC_ID.to_string(),
        api_secret: Secret::new(GS_SECRET),
    }
}

pub fn cg_payout() -> cg::PayoutRequest {
    cg::PayoutRequest {
        site_login: "user_login".into(),
        site_id: 21,
        request_id: "request_id123".into(),
        amount: MinorUnits(900_000),
        currency: cg::Currency::Kzt,
        method: cg::PayoutMethod::Card,
        additional_fields: cg::PayoutAdditionalFields::Card(cg::CardPayoutFields {
            bank_name: Some("Morgan".into()),
            card_holder: Some(Pii::new(" John Wick")),
            card_number: CardNumber::new("4242424242424242"),
            bank_option: None,
            expiry_date: Some("07/23".into()),
        }),
    }
}

pub fn gs_charge() -> gs::ChargeCardRequest {
    gs::ChargeCardRequest {
        amount: MinorUnits(4011),
        currency: "EUR".into(),
        name: Pii::new("John Doe"),
        invoice_id: "927829".into(),
        description: "Payment for products".into(),
        account_id: "john@doe.com".into(),
        ip: "203.0.113.7".into(),
        card: gs::Card {
            pan: CardNumber::new("4242424242424242"),
            cvv: Cvv::new("123"),
            expiry_month: 12,
            expiry_year: 2023,
        },
        success_redirect_url: None,
        failure_redirect_url: None,
        pending_redirect_url: None,
        browser_data: Some(gs::BrowserData {
            color_depth: Some("24".into()),
            java_enabled: Some("false".into()),
            screen_height: Some("600".into()),
            screen_width: Some("800".into()),
            language: Some("en_US".into()),
            accept_header: Some("text/html,application/xhtml+xml,application/xml".into()),
            time_zone_offset: Some("+120".into()),
            user_agent: Some("AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0".into()),
        }),
        data: Some(gs::ChargePayerData {
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
    }
}

/// A 2 KB payment notification (the documented fields, padded by a field neither side reads).
pub fn gs_notification() -> String {
    let head = r#"{"transactionId":144221,"amount":12.30,"currency":"EUR","dateTime":"2024-05-01T10:00:00Z","invoiceId":"11928485","accountId":"john@doe.com","operationTypeCode":1,"operationType":"Payment","status":"Completed","statusCode":4,"cardFirstSix":"424242","cardLastFour":"4242","cardType":"Visa","cardExpDate":"12/2030","name":"John Doe","token":"8163-KS17-JV29-KF28","merchantData":""#;
    let mut body = head.to_string();
    while body.len() < 2046 {
        body.push('x');
    }
    body.push_str("\"}");
    body
}

/// The raw-body Content-HMAC of `body` (for making the benchmark's notification).
pub fn content_hmac(secret: &str, body: &[u8]) -> String {
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        hex::encode(mac.finalize().into_bytes()),
    )
}
