//! End-to-end tests of the generated Pockyt client on 127.0.0.1: every operation's exact body
//! (credentials, `timestamp` from a `FixedClock`, MD5 `verifySign` checked against an
//! independent signature), typed answers, `ret_code` declines, form-encoded IPNs (official P2
//! vector), validation before sending and redaction. A transfer without an answer:
//! `tests/client_unknown_outcome.rs`.

mod support;

use std::sync::Arc;

use paygen_connectors::pockyt::*;
use paygen_runtime::http::HeaderMap;
use paygen_runtime::{Decimal, Error, FixedClock, MinorUnits, Pii};
use support::pockyt::{
    documented_credentials as credentials, documented_transfer as transfer_request, API_TOKEN,
};
use support::{
    assert_names, config, field_errors, sign_body, with_signature, Recorded, Reply, Server,
};

/// 2023-02-13T10:50:58Z, the register example's timestamp.
const NOW: i64 = 1_676_285_458;

/// The spec's request / IPN recipe, stated here independently of codegen.
const RECIPE: &str = r#"{
  "over": "body_fields", "exclude": ["verifySign"],
  "canonical": {"sort": "keys", "key_case": "as_is", "pair": "{key}={value}", "join": "&",
    "skip": "never", "null": "skip"},
  "digest": "md5",
  "secret": {"credential": "api_token", "use": "append", "transform": "md5_hex", "separator": "&"},
  "encoding": "hex", "place": {"body_field": "verifySign"}
}"#;

fn client_with(server: &Server, config: paygen_runtime::EngineConfig) -> Client {
    let urls = vec![("default".to_string(), server.url())];
    Client::with_options(urls, credentials(), config, Arc::new(FixedClock(NOW))).expect("client")
}

fn client(server: &Server) -> Client {
    client_with(server, config())
}

fn sign(body: &str) -> String {
    sign_body(
        &support::recipe(RECIPE),
        &credentials().to_runtime(),
        body.as_bytes(),
    )
}

/// Asserts POST, path, JSON, and that the body is `unsigned` + its verifySign.
fn assert_signed_post(seen: &Recorded, path: &str, unsigned: &str) {
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, path);
    assert_eq!(seen.header("content-type"), Some("application/json"));
    let independent = sign(seen.body_text());
    assert_eq!(independent, sign(unsigned));
    assert_eq!(independent.len(), 32);
    assert_eq!(
        seen.body_text(),
        with_signature(unsigned, "verifySign", &independent)
    );
    assert!(!seen.body_text().contains(API_TOKEN));
}

fn register_request() -> RegisterPayeeRequest {
    RegisterPayeeRequest {
        city: "hometown".into(),
        country: Some("USA".into()),
        country_code: "US".into(),
        customer_code: Some("1665425422".into()),
        date_of_birth: Pii::new("1999-01-01"),
        email: "john.doe@example.com".into(),
        first_name: "John".into(),
        government_id: None,
        government_id_type: None,
        lang: None,
        last_name: "Doe".into(),
        payor_no: None,
        phone: Some("1234567890".into()),
        profile_type: ProfileType::Individual,
        state: "NY".into(),
        street: "123 main St".into(),
        street2: Some(String::new()),
        zip: "10005".into(),
    }
}

#[tokio::test]
async fn register_payee_sends_the_documented_body_with_the_clock_timestamp() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"ret_msg":"success","ret_code":"000100","customer":{"firstName":"John","lastName":"Doe","customerCode":"1665425422","createdTime":"2022-10-10T18:15:19Z","customerNo":"2000305228292319592008","email":"john.doe@example.com"}}"#,
    )])
    .await;
    let answer = client(&server)
        .register_payee(&register_request())
        .await
        .expect("register");
    assert_signed_post(
        &server.only(),
        "/v3/payee/register",
        concat!(
            r#"{"city":"hometown","country":"USA","countryCode":"US","customerCode":"1665425422","dateOfBirth":"1999-01-01","#,
            r#""email":"john.doe@example.com","firstName":"John","lastName":"Doe","merchantNo":"202333","phone":"1234567890","#,
            r#""profileType":"INDIVIDUAL","state":"NY","storeNo":"301854","street":"123 main St","street2":"","#,
            r#""timestamp":"2023-02-13T10:50:58Z","zip":"10005"}"#
        ),
    );
    assert_eq!(answer.ret_code.as_deref(), Some("000100"));
    let customer = answer.customer.expect("customer");
    assert_eq!(
        customer.customer_no.as_deref(),
        Some("2000305228292319592008")
    );
}

#[tokio::test]
async fn retrieve_payee_reads_the_payee() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"ret_msg":"query success","ret_code":"000100","customer":{"zip":"10005","lastName":"Doe","payeeStatus":"Activated","dateOfBirth":"1999-01-01","firstName":"John","profileType":"INDIVIDUAL","countryCode":"US","state":"NY","lang":"en","customerNo":"2000305228303182610217"}}"#,
    )])
    .await;
    let request = RetrievePayeeRequest {
        customer_code: None,
        customer_no: "2000305228303182610217".into(),
    };
    let answer = client(&server)
        .retrieve_payee(&request)
        .await
        .expect("retrieve");
    assert_signed_post(
        &server.only(),
        "/v3/payee/retrieve",
        r#"{"customerNo":"2000305228303182610217","merchantNo":"202333","storeNo":"301854","timestamp":"2023-02-13T10:50:58Z"}"#,
    );
    let payee = answer.customer.expect("customer");
    assert_eq!(payee.payee_status, Some(PayeeStatus::Activated));
    assert_eq!(payee.profile_type, Some(ProfileType::Individual));
    assert_eq!(payee.lang.as_deref(), Some("en"));
}

#[tokio::test]
async fn update_payee_sends_only_the_changed_fields() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"ret_msg":"update success","ret_code":"000100"}"#,
    )])
    .await;
    let request = UpdatePayeeRequest {
        city: None,
        country: None,
        country_code: None,
        date_of_birth: None,
        first_name: None,
        last_name: None,
        phone: Some("123456789".into()),
        profile_type: None,
        state: None,
        street: None,
        street2: None,
        customer_no: "2000305228303182610217".into(),
        zip: Some("10006".into()),
        email: None,
        customer_code: None,
        government_id: None,
        government_id_type: None,
        lang: None,
    };
    let answer = client(&server)
        .update_payee(&request)
        .await
        .expect("update");
    assert_signed_post(
        &server.only(),
        "/v3/payee/update",
        r#"{"merchantNo":"202333","phone":"123456789","storeNo":"301854","timestamp":"2023-02-13T10:50:58Z","customerNo":"2000305228303182610217","zip":"10006"}"#,
    );
    assert_eq!(answer.ret_msg.as_deref(), Some("update success"));
}

fn bank_account_request() -> AddBankAccountRequest {
    AddBankAccountRequest {
        account_country: "US".into(),
        account_currency: "USD".into(),
        account_tag: Some("1a52692711".into()),
        bank_account_id: Pii::new("7861053298"),
        branch_id: "101089292".into(),
        bank_account_purpose: BankAccountPurpose::Checking,
        customer_no: "2000305228303182610217".into(),
        ipn_url: Some("https://example.com/webhooks".into()),
        client_ip: Some("127.0.0.1".into()),
    }
}

#[tokio::test]
async fn add_bank_account_sends_the_documented_body_and_reads_the_token() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"result":{"accountTag":"1a52692711","accountStatus":"ACTIVATED","country":"US","accountType":"BANK_ACCOUNT","currency":"USD","accountToken":"2010305228303182765718","customerNo":"2000305228292319592008"},"ret_msg":"success","ret_code":"000100"}"#,
    )])
    .await;
    let answer = client(&server)
        .add_bank_account(&bank_account_request())
        .await
        .expect("add");
    assert_signed_post(
        &server.only(),
        "/v3/payee/account/create/bank-account",
        concat!(
            r#"{"accountCountry":"US","accountCurrency":"USD","accountTag":"1a52692711","accountType":"BANK_ACCOUNT","#,
            r#""bankAccountId":"7861053298","branchId":"101089292","bankAccountPurpose":"CHECKING","#,
            r#""customerNo":"2000305228303182610217","ipnUrl":"https://example.com/webhooks","merchantNo":"202333","#,
            r#""storeNo":"301854","timestamp":"2023-02-13T10:50:58Z","clientIp":"127.0.0.1"}"#
        ),
    );
    let account = answer.result.expect("result");
    assert_eq!(account.account_status, Some(AccountStatus::Activated));
    assert_eq!(
        account.account_token.as_deref(),
        Some("2010305228303182765718")
    );
}

#[tokio::test]
async fn list_payout_accounts_reads_lower_case_statuses() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"accounts":[{"accountTag":"1a52692711","country":"US","accountType":"BANK_ACCOUNT","currency":"USD","accountToken":"2010305228303182765718","cardNumber":"****3298","status":"activated"}],"ret_msg":"success","user":{"firstName":"John","customerNo":"2000305228292319592008"},"ret_code":"000100"}"#,
    )])
    .await;
    let request = PayoutAccountsRequest {
        customer_no: "2000305228292319592008".into(),
        account_token: None,
        account_tag: None,
    };
    let answer = client(&server)
        .list_payout_accounts(&request)
        .await
        .expect("list");
    assert_signed_post(
        &server.only(),
        "/v3/payee/payout-accounts",
        r#"{"merchantNo":"202333","storeNo":"301854","customerNo":"2000305228292319592008","timestamp":"2023-02-13T10:50:58Z"}"#,
    );
    let accounts = answer.accounts.expect("accounts");
    assert_eq!(accounts[0].status, Some(AccountStatus::ActivatedLower));
    assert_eq!(accounts[0].card_number.as_deref(), Some("****3298"));
    assert_eq!(
        answer.user.expect("user").first_name.as_deref(),
        Some("John")
    );
}

const TRANSFER_BODY: &str = concat!(
    r#"{"accountToken":"2010305228303182765718","amount":"500.00","currency":"USD","customerNo":"2000305228292319592008","#,
    r#""description":"thank you","invoiceId":"9aae4c685d824c5da746f97620c59eb5","ipnUrl":"https://example.com/webhooks","#,
    r#""merchantNo":"202333","note":"Payouts, Thanks","storeNo":"301854","subject":"Payouts","timestamp":"2023-02-13T10:50:58Z"}"#
);

#[tokio::test]
async fn transfer_sends_a_decimal_string_amount_and_reads_pending() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"result":{"amount":"500.00","transactionNo":"305588797074336092","createdTime":"2023-02-13T11:58:59Z","invoiceId":"9aae4c685d824c5da746f97620c59eb5","currency":"USD","status":"pending"},"ret_msg":"succeeded","ret_code":"000100"}"#,
    )])
    .await;
    let answer = client(&server)
        .transfer(&transfer_request())
        .await
        .expect("transfer");
    assert_signed_post(&server.only(), "/v3/payouts/pay", TRANSFER_BODY);
    let payout = answer.result.expect("result");
    assert_eq!(payout.status, Some(PayoutStatus::Pending));
    assert_eq!(payout.amount, Decimal::parse("500.00"));
    assert_eq!(
        payout.amount.expect("amount").to_minor(2),
        Some(MinorUnits(50_000))
    );
}

#[tokio::test]
async fn a_refused_transfer_is_declined_with_ret_code_and_ret_msg() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"ret_code":"000020","ret_msg":"invoiceId already exists"}"#,
    )])
    .await;
    match client(&server).transfer(&transfer_request()).await {
        Err(Error::Declined {
            operation,
            code,
            message,
            ..
        }) => {
            assert_eq!(operation, "transfer");
            assert_eq!(
                (code.as_str(), message.as_str()),
                ("000020", "invoiceId already exists")
            );
        }
        other => panic!("expected Declined, got {other:?}"),
    }
}

#[tokio::test]
async fn payout_inquiry_and_payor_balance() {
    let server = Server::start(vec![
        Reply::json(
            200,
            r#"{"result":{"amount":"10.00","receiver":"sb-lfgk83666547@business.example.com","transactionNo":"303768502875460668","invoiceId":"20210118101801","currency":"USD","status":"pending"},"ret_msg":"query success","ret_code":"000100"}"#,
        ),
        Reply::json(
            200,
            r#"{"balance":[{"amount":499000.00,"currency":"USD"}],"ret_msg":"success","ret_code":"000100"}"#,
        ),
    ])
    .await;
    let client = client(&server);
    let inquiry = PayoutInquiryRequest {
        invoice_id: "20210118101801".into(),
    };
    let payout = client.payout_inquiry(&inquiry).await.expect("inquiry");
    let balance = client
        .payor_balance(&PayorBalanceRequest {
            currency: "USD".into(),
        })
        .await
        .expect("balance");
    let seen = server.seen();
    assert_signed_post(
        &seen[0],
        "/v3/payouts/inquiry",
        r#"{"merchantNo":"202333","storeNo":"301854","invoiceId":"20210118101801","timestamp":"2023-02-13T10:50:58Z"}"#,
    );
    assert_signed_post(
        &seen[1],
        "/v3/payouts/balance",
        r#"{"merchantNo":"202333","storeNo":"301854","currency":"USD","timestamp":"2023-02-13T10:50:58Z"}"#,
    );
    let result = payout.result.expect("result");
    assert_eq!(
        result.receiver.as_deref(),
        Some("sb-lfgk83666547@business.example.com")
    );
    assert_eq!(result.status, Some(PayoutStatus::Pending));
    let entry = &balance.balance.expect("balance")[0];
    assert_eq!(entry.amount, Decimal::parse("499000.00"));
}

/// `application/x-www-form-urlencoded` of `pairs` (RFC 3986 unreserved kept).
fn form(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    let parts: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect();
    parts.join("&")
}

const P2: &[(&str, &str)] = &[
    ("transactionNo", "305680500880311923"),
    ("status", "success"),
    ("amount", "0.01"),
    ("currency", "USD"),
    ("settleCurrency", "USD"),
    ("reference", "test1666247277861"),
    ("time", "20221020142817"),
    ("verifySign", "435d01c5d5fa88cfe8168fbfbf732519"),
];

#[test]
fn the_official_p2_ipn_verifies_as_a_succeeded_payout() {
    let event = verify_webhook(&credentials(), &HeaderMap::new(), form(P2).as_bytes());
    let Ok(WebhookEvent::PayoutSucceeded(n)) = event else {
        panic!("expected PayoutSucceeded, got {event:?}");
    };
    assert_eq!(n.status, Some(PayoutStatus::Success));
    assert_eq!(n.amount, Decimal::parse("0.01"));
    assert_eq!(n.transaction_no.as_deref(), Some("305680500880311923"));
    assert_eq!((WEBHOOK_ACK.status, WEBHOOK_ACK.body), (200, "success"));
}

/// An IPN of `pairs` signed with the sandbox token.
fn signed_ipn(pairs: &[(&str, &str)]) -> String {
    let fields: serde_json::Map<String, serde_json::Value> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::json!(v)))
        .collect();
    let signature = sign(&serde_json::Value::Object(fields).to_string());
    let mut all = pairs.to_vec();
    all.push(("verifySign", &signature));
    form(&all)
}

#[test]
fn ipns_parse_into_their_events() {
    let base = [
        ("accountToken", "2010300192540133960288"),
        ("amount", "60.00"),
        ("currency", "USD"),
        ("invoiceId", "9aae4c685d824c5da746f97620c59ec7"),
        ("paymentTime", "2023-02-15T22:59:11Z"),
        ("transactionNo", "318453016214317262"),
        ("vendor", "BANK_ACCOUNT"),
    ];
    for (status, expected) in [
        ("failed", "PayoutFailed"),
        ("returned", "PayoutReturned"),
        ("pending", "PayoutPending"),
        ("onhold", "PayoutStatusChanged"),
    ] {
        let mut pairs = base.to_vec();
        pairs.push(("status", status));
        let event = verify_webhook(
            &credentials(),
            &HeaderMap::new(),
            signed_ipn(&pairs).as_bytes(),
        )
        .expect("verifies");
        let name = format!("{event:?}");
        assert!(name.starts_with(expected), "{status}: {name}");
    }
    let account = [
        ("accountStatus", "ACTIVATED"),
        ("accountToken", "2010305228303182765718"),
        ("customerNo", "2000305228292319592008"),
    ];
    let event = verify_webhook(
        &credentials(),
        &HeaderMap::new(),
        signed_ipn(&account).as_bytes(),
    );
    let Ok(WebhookEvent::AccountStatusChanged(n)) = event else {
        panic!("expected AccountStatusChanged, got {event:?}");
    };
    assert_eq!(n.account_status, Some(AccountStatus::Activated));
}

#[test]
fn a_tampered_ipn_is_refused() {
    let tampered: Vec<(&str, &str)> = P2
        .iter()
        .map(|&(k, v)| if k == "amount" { (k, "100.01") } else { (k, v) })
        .collect();
    let unsigned = &P2[..P2.len() - 1];
    for body in [form(&tampered), form(unsigned)] {
        match verify_webhook(&credentials(), &HeaderMap::new(), body.as_bytes()) {
            Err(Error::BadSignature { what, .. }) => assert_eq!(what, "webhook"),
            other => panic!("expected BadSignature, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn every_bad_transfer_field_is_named_before_sending() {
    let mut request = transfer_request();
    request.amount = MinorUnits(-100);
    request.currency = "DOLLAR".into();
    request.invoice_id = String::new();
    request.ipn_url = Some("http://example.com/webhooks".into());
    let server = Server::start(vec![]).await;
    let errors = field_errors(client(&server).transfer(&request).await);
    assert!(server.seen().is_empty(), "sent: {:?}", server.seen());
    for (path, rule) in [
        ("amount", "range"),
        ("currency", "currency"),
        ("invoiceId", "required"),
        ("ipnUrl", "pattern"),
    ] {
        assert_names(&errors, path, rule);
    }
}

#[tokio::test]
async fn bad_routing_number_and_missing_fields_are_refused_before_sending() {
    let mut request = bank_account_request();
    request.branch_id = "10108929".into();
    request.customer_no = String::new();
    request.account_country = "USA".into();
    request.client_ip = Some("999.1.1.1".into());
    let server = Server::start(vec![]).await;
    let errors = field_errors(client(&server).add_bank_account(&request).await);
    assert!(server.seen().is_empty());
    assert_names(&errors, "branchId", "pattern");
    assert_names(&errors, "customerNo", "required");
    assert_names(&errors, "accountCountry", "country");
    assert_names(&errors, "clientIp", "ip");
}

#[tokio::test]
async fn register_payee_refuses_bad_date_and_email() {
    let mut request = register_request();
    request.date_of_birth = Pii::new("1999-13-01");
    request.email = "john.doe".into();
    request.zip = " ".into();
    let server = Server::start(vec![]).await;
    let errors = field_errors(client(&server).register_payee(&request).await);
    assert!(server.seen().is_empty());
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert_names(&errors, "dateOfBirth", "date");
    assert_names(&errors, "email", "email");
    assert_names(&errors, "zip", "required");
}

#[test]
fn debug_never_shows_the_token_or_personal_data() {
    let creds = format!("{:?}", credentials());
    assert!(!creds.contains(API_TOKEN), "{creds}");
    assert!(creds.contains("202333"), "{creds}");
    let text = format!("{:?}", bank_account_request());
    assert!(!text.contains("7861053298"), "{text}");
    let text = format!("{:?}", register_request());
    assert!(!text.contains("1999-01-01"), "{text}");
}
