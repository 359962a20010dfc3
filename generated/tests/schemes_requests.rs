//! The scheme corpus on the wire: one request per provider through its generated client to the
//! recording server on 127.0.0.1; the exact headers, body and signature are compared with the
//! published value or with an independent reference computed from the recorded bytes.

mod schemes_support;

include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/binance_pay.rs"));
include!(concat!(
    env!("OUT_DIR"),
    "/fixtures/schemes/checkout_com.rs"
));
include!(concat!(
    env!("OUT_DIR"),
    "/fixtures/schemes/cryptoprocessing.rs"
));
include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/cybersource.rs"));
include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/doku.rs"));
include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/faspay.rs"));
include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/gocardless.rs"));
include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/midtrans.rs"));
include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/payu.rs"));
include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/razorpay.rs"));

use paygen_runtime::{MinorUnits, Secret};
use schemes_support::reference::*;
use schemes_support::*;

/// 2023-11-14T22:13:20Z.
const NOW: i64 = 1_700_000_000;

#[tokio::test]
async fn cryptoprocessing_sends_the_published_body_and_signature() {
    let server =
        answering(r#"{"data":{"id":1,"currency":"BTC","address":"bc1q","foreign_id":"123456"}}"#)
            .await;
    let creds = cryptoprocessing::Credentials {
        public_key: "pk_test".into(),
        secret_key: Secret::new("AbCdEfG123456"),
    };
    let client = cryptoprocessing::Client::with_options(
        urls(&server, &["default"]),
        creds,
        config(),
        clock(NOW),
    )
    .expect("client");
    let request = cryptoprocessing::TakeAddressRequest {
        currency: "BTC".into(),
        foreign_id: "123456".into(),
        ..Default::default()
    };
    let answer = client.take_address(&request).await.expect("answer");
    assert_eq!(answer.data.and_then(|d| d.address).as_deref(), Some("bc1q"));
    let seen = server.only();
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/api/v2/addresses/take")
    );
    // The exact body and signature the provider publishes.
    assert_eq!(
        seen.body_text(),
        r#"{"currency":"BTC","foreign_id":"123456"}"#
    );
    assert_eq!(seen.header("X-Processing-Key"), Some("pk_test"));
    assert_eq!(
        seen.header("X-Processing-Signature"),
        Some("03c25fcf7cd35e7d995e402cd5d51edd72d48e1471e865907967809a0c189ba55b90815f20e2bb10f82c7a9e9d865546fda58989c2ae9e8e2ff7bc29195fa1ec")
    );
    let recipe = cryptoprocessing::provider_meta()
        .request_recipe
        .expect("recipe");
    let creds = cryptoprocessing::Credentials {
        public_key: "pk_test".into(),
        secret_key: Secret::new("AbCdEfG123456"),
    };
    assert!(verify_recorded(
        &recipe,
        &creds.to_runtime(),
        &seen,
        NOW,
        false
    ));
    assert!(!verify_recorded(
        &recipe,
        &creds.to_runtime(),
        &seen,
        NOW,
        true
    ));
}

#[tokio::test]
async fn gocardless_and_checkout_com_send_bearer_tokens_from_templates() {
    let server = answering(r#"{"payments":{"id":"PM123","status":"pending_submission"}}"#).await;
    let creds = gocardless::Credentials {
        access_token: Secret::new("sandbox_tok"),
        webhook_secret: Secret::new("whs"),
    };
    let client =
        gocardless::Client::with_options(urls(&server, &["default"]), creds, config(), clock(NOW))
            .expect("client");
    let request = gocardless::CreatePaymentRequest {
        payments: gocardless::PaymentDraft {
            amount: MinorUnits(1500),
            currency: "GBP".into(),
            links: gocardless::PaymentLinks {
                mandate: "MD123".into(),
            },
            ..Default::default()
        },
    };
    client.create_payment(&request).await.expect("answer");
    let seen = server.only();
    assert_eq!(seen.header("Authorization"), Some("Bearer sandbox_tok"));
    assert_eq!(
        seen.body_text(),
        r#"{"payments":{"amount":1500,"currency":"GBP","links":{"mandate":"MD123"}}}"#
    );

    let server = answering(r#"{"id":"pay_abc","status":"Authorized","approved":true}"#).await;
    let creds = checkout_com::Credentials {
        secret_key: Secret::new("sk_sbox_x"),
        signature_key: Secret::new("k"),
    };
    let client = checkout_com::Client::with_options(
        urls(&server, &["default"]),
        creds,
        config(),
        clock(NOW),
    )
    .expect("client");
    let request = checkout_com::GetPaymentRequest {
        id: "pay_abc".into(),
    };
    client.get_payment(&request).await.expect("answer");
    let seen = server.only();
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("GET", "/payments/pay_abc")
    );
    assert_eq!(seen.header("Authorization"), Some("Bearer sk_sbox_x"));
}

#[tokio::test]
async fn razorpay_and_midtrans_use_http_basic() {
    let server = answering(
        r#"{"id":"order_1","entity":"order","amount":50000,"currency":"INR","status":"created"}"#,
    )
    .await;
    let creds = razorpay::Credentials {
        key_id: "rzp_test_1".into(),
        key_secret: Secret::new("sekret"),
        webhook_secret: Secret::new("w"),
    };
    let client =
        razorpay::Client::with_options(urls(&server, &["default"]), creds, config(), clock(NOW))
            .expect("client");
    let request = razorpay::CreateOrderRequest {
        amount: MinorUnits(50000),
        currency: "INR".into(),
        receipt: Some("r1".into()),
    };
    client.create_order(&request).await.expect("answer");
    let seen = server.only();
    let basic = format!("Basic {}", b64(b"rzp_test_1:sekret"));
    assert_eq!(seen.header("Authorization"), Some(basic.as_str()));
    assert_eq!(
        seen.body_text(),
        r#"{"amount":50000,"currency":"INR","receipt":"r1"}"#
    );

    let server =
        answering(r#"{"status_code":"201","order_id":"o1","transaction_status":"pending"}"#).await;
    let creds = midtrans::Credentials {
        server_key: Secret::new("SB-Mid-server-TEST"),
        basic_password: String::new(),
    };
    let client =
        midtrans::Client::with_options(urls(&server, &["default"]), creds, config(), clock(NOW))
            .expect("client");
    let request = midtrans::ChargeRequest {
        transaction_details: midtrans::TransactionDetails {
            order_id: "o1".into(),
            gross_amount: 650000,
        },
        bank_transfer: midtrans::BankTransfer { bank: "bca".into() },
    };
    client.charge(&request).await.expect("answer");
    let seen = server.only();
    let basic = format!("Basic {}", b64(b"SB-Mid-server-TEST:"));
    assert_eq!(seen.header("Authorization"), Some(basic.as_str()));
    // IDR without a currency field; the constant payment_type is filled by the client.
    assert_eq!(
        seen.body_text(),
        r#"{"payment_type":"bank_transfer","transaction_details":{"order_id":"o1","gross_amount":650000},"bank_transfer":{"bank":"bca"}}"#
    );
}

#[tokio::test]
async fn binance_pay_signs_timestamp_nonce_and_body_and_sends_them_as_headers() {
    let server = answering(r#"{"status":"SUCCESS","code":"000000","data":{}}"#).await;
    let creds = binance_pay::Credentials {
        api_key: "cert_sn".into(),
        secret_key: Secret::new("binance_pay_test_secret_key"),
    };
    let client =
        binance_pay::Client::with_options(urls(&server, &["default"]), creds, config(), clock(NOW))
            .expect("client");
    let request = binance_pay::CreateOrderRequest {
        env: binance_pay::Env {
            terminal_type: "WEB".into(),
        },
        merchant_trade_no: "9825382937292".into(),
        order_amount: MinorUnits(2_517_000_000),
        currency: "USDT".into(),
        description: "Ice cream".into(),
    };
    client.create_order(&request).await.expect("answer");
    let seen = server.only();
    assert_eq!(
        seen.body_text(),
        r#"{"env":{"terminalType":"WEB"},"merchantTradeNo":"9825382937292","orderAmount":25.17,"currency":"USDT","description":"Ice cream"}"#
    );
    assert_eq!(seen.header("BinancePay-Certificate-SN"), Some("cert_sn"));
    assert_eq!(seen.header("BinancePay-Timestamp"), Some("1700000000000"));
    let nonce = seen.header("BinancePay-Nonce").expect("nonce").to_string();
    assert!(
        nonce.len() == 32 && nonce.chars().all(|c| c.is_ascii_alphanumeric()),
        "{nonce}"
    );
    let message = format!("1700000000000\n{nonce}\n{}\n", seen.body_text());
    let expected = upper_hex(&hmac_sha512(
        b"binance_pay_test_secret_key",
        message.as_bytes(),
    ));
    assert_eq!(seen.header("BinancePay-Signature"), Some(expected.as_str()));
    // A receiver verifies the recorded request with the same recipe and runtime code.
    let recipe = binance_pay::provider_meta().request_recipe.expect("recipe");
    let creds = binance_pay::Credentials {
        api_key: "cert_sn".into(),
        secret_key: Secret::new("binance_pay_test_secret_key"),
    };
    assert!(verify_recorded(
        &recipe,
        &creds.to_runtime(),
        &seen,
        NOW,
        false
    ));
    assert!(!verify_recorded(
        &recipe,
        &creds.to_runtime(),
        &seen,
        NOW,
        true
    ));
}

#[tokio::test]
async fn cybersource_sends_date_digest_and_an_http_signature() {
    let server = answering(r#"{"id":"1","status":"AUTHORIZED"}"#).await;
    let secret = "yBJxy6LjM2TmcPGu+GaJrHtkke25fPpUX+UY6/L/1tE=";
    let creds = cybersource::Credentials {
        merchant_id: "testrest".into(),
        key_id: "08c94330-f618-42a3-b09d-e1e43be5efda".into(),
        shared_secret: Secret::new(secret),
    };
    let client =
        cybersource::Client::with_options(urls(&server, &["default"]), creds, config(), clock(NOW))
            .expect("client");
    let request = cybersource::PaymentRequest {
        client_reference_information: cybersource::ClientReference {
            code: "TC50171_3".into(),
        },
        order_information: cybersource::OrderInformation {
            amount_details: cybersource::AmountDetails {
                total_amount: MinorUnits(10221),
                currency: "USD".into(),
            },
        },
    };
    client.create_payment(&request).await.expect("answer");
    let seen = server.only();
    let body = seen.body_text();
    assert_eq!(
        body,
        r#"{"clientReferenceInformation":{"code":"TC50171_3"},"orderInformation":{"amountDetails":{"totalAmount":"102.21","currency":"USD"}}}"#
    );
    assert_eq!(seen.header("Date"), Some("Tue, 14 Nov 2023 22:13:20 GMT"));
    let digest = format!("SHA-256={}", b64(&sha256(body.as_bytes())));
    assert_eq!(seen.header("Digest"), Some(digest.as_str()));
    assert_eq!(seen.header("v-c-merchant-id"), Some("testrest"));
    let host = seen.header("Host").expect("host");
    let message = format!(
        "host: {host}\ndate: Tue, 14 Nov 2023 22:13:20 GMT\nrequest-target: post /pts/v2/payments\ndigest: {digest}\nv-c-merchant-id: testrest"
    );
    let signature = b64(&hmac_sha256(&unb64(secret), message.as_bytes()));
    let expected = format!(
        r#"keyid="08c94330-f618-42a3-b09d-e1e43be5efda", algorithm="HmacSHA256", headers="host date request-target digest v-c-merchant-id", signature="{signature}""#
    );
    assert_eq!(seen.header("Signature"), Some(expected.as_str()));
    let recipe = cybersource::provider_meta().request_recipe.expect("recipe");
    let creds = cybersource::Credentials {
        merchant_id: "testrest".into(),
        key_id: "08c94330-f618-42a3-b09d-e1e43be5efda".into(),
        shared_secret: Secret::new(secret),
    };
    assert!(verify_recorded(
        &recipe,
        &creds.to_runtime(),
        &seen,
        NOW,
        false
    ));
    assert!(!verify_recorded(
        &recipe,
        &creds.to_runtime(),
        &seen,
        NOW,
        true
    ));
}

#[tokio::test]
async fn doku_signs_client_id_uuid_iso_timestamp_path_and_digest() {
    let server = answering(r#"{"message":["SUCCESS"],"response":{}}"#).await;
    let creds = doku::Credentials {
        client_id: "MCH-0001-10791114622547".into(),
        secret_key: Secret::new("SK-hCJ42G28TA0MKG9LE2E_1"),
    };
    let client =
        doku::Client::with_options(urls(&server, &["default"]), creds, config(), clock(NOW))
            .expect("client");
    let request = doku::CheckoutRequest {
        order: doku::Order {
            amount: 20000,
            invoice_number: "INV-20210231-0001".into(),
        },
        payment: Some(doku::Payment {
            payment_due_date: Some(60),
        }),
    };
    client.checkout_payment(&request).await.expect("answer");
    let seen = server.only();
    let body = seen.body_text();
    assert_eq!(
        body,
        r#"{"order":{"amount":20000,"invoice_number":"INV-20210231-0001"},"payment":{"payment_due_date":60}}"#
    );
    assert_eq!(seen.header("Client-Id"), Some("MCH-0001-10791114622547"));
    assert_eq!(
        seen.header("Request-Timestamp"),
        Some("2023-11-14T22:13:20Z")
    );
    let id = seen.header("Request-Id").expect("request id").to_string();
    assert_eq!(
        (id.len(), id.matches('-').count(), &id[14..15]),
        (36, 4, "4"),
        "{id}"
    );
    let message = format!(
        "Client-Id:MCH-0001-10791114622547\nRequest-Id:{id}\nRequest-Timestamp:2023-11-14T22:13:20Z\nRequest-Target:/checkout/v1/payment\nDigest:{}",
        b64(&sha256(body.as_bytes()))
    );
    let expected = format!(
        "HMACSHA256={}",
        b64(&hmac_sha256(
            b"SK-hCJ42G28TA0MKG9LE2E_1",
            message.as_bytes()
        ))
    );
    assert_eq!(seen.header("Signature"), Some(expected.as_str()));
    let recipe = doku::provider_meta().request_recipe.expect("recipe");
    let creds = doku::Credentials {
        client_id: "MCH-0001-10791114622547".into(),
        secret_key: Secret::new("SK-hCJ42G28TA0MKG9LE2E_1"),
    };
    assert!(verify_recorded(
        &recipe,
        &creds.to_runtime(),
        &seen,
        NOW,
        false
    ));
    assert!(!verify_recorded(
        &recipe,
        &creds.to_runtime(),
        &seen,
        NOW,
        true
    ));
}

/// `a=1&b=2` as pairs (values percent-decoded; the corpus' form values are plain ASCII).
fn form_pairs(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| {
            (
                k.to_string(),
                v.replace("%40", "@")
                    .replace("%3A", ":")
                    .replace("%2F", "/"),
            )
        })
        .collect()
}

fn form_value(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("no form field {name}"))
}

#[tokio::test]
async fn payu_form_hash_keeps_absent_udfs_empty() {
    let server = Server::start(vec![Reply::Respond {
        status: 302,
        headers: vec![("Location".into(), "https://test.payu.in/pay/123".into())],
        body: Vec::new(),
    }])
    .await;
    let creds = payu::Credentials {
        merchant_key: "merchant_key_test".into(),
        salt: Secret::new("salt_test"),
    };
    let client =
        payu::Client::with_options(urls(&server, &["default"]), creds, config(), clock(NOW))
            .expect("client");
    let request = payu::PaymentRequest {
        txnid: "txn123".into(),
        amount: "10.00".into(),
        productinfo: "iPhone".into(),
        firstname: "Ashish".into(),
        email: "test@example.com".into(),
        phone: "9876543210".into(),
        surl: "https://shop.example/ok".into(),
        furl: "https://shop.example/ko".into(),
        udf1: Some("u1".into()),
        ..Default::default()
    };
    let _answer = client.payment(&request).await;
    let seen = server.only();
    assert_eq!(
        seen.header("Content-Type"),
        Some("application/x-www-form-urlencoded")
    );
    let pairs = form_pairs(seen.body_text());
    assert_eq!(form_value(&pairs, "key"), "merchant_key_test");
    // The spec's independent vector has the same signed values.
    let expected = text(&vector("payu", "one udf set"), "signature");
    assert_eq!(form_value(&pairs, "hash"), expected);
    let hashed =
        "merchant_key_test|txn123|10.00|iPhone|Ashish|test@example.com|u1||||||||||salt_test";
    assert_eq!(expected, lower_hex(&sha512(hashed.as_bytes())));
}

#[tokio::test]
async fn faspay_form_signature_has_the_password_inside() {
    let server = Server::start(vec![Reply::Respond {
        status: 200,
        headers: vec![("Content-Type".into(), "text/html".into())],
        body: b"<html><body><form action=\"https://fpg-sandbox.faspay.co.id/pay\"></form></body></html>".to_vec(),
    }])
    .await;
    let creds = faspay::Credentials {
        merchant_id: "TEST01".into(),
        txn_password: Secret::new("059B8125F"),
    };
    let client =
        faspay::Client::with_options(urls(&server, &["default"]), creds, config(), clock(NOW))
            .expect("client");
    let request = faspay::PaymentRequest {
        merchant_tranid: "20061123_003".into(),
        amount: "100.00".into(),
        custname: "Budi".into(),
        custemail: "budi@example.com".into(),
        return_url: "https://shop.example/ret".into(),
    };
    let _answer = client.payment(&request).await;
    let seen = server.only();
    let pairs = form_pairs(seen.body_text());
    assert_eq!(form_value(&pairs, "MERCHANTID"), "TEST01");
    assert_eq!(form_value(&pairs, "TRANSACTIONID"), "0");
    let expected = upper_hex(&sha1(b"##TEST01##059B8125F##20061123_003##100.00##0##"));
    assert_eq!(form_value(&pairs, "SIGNATURE"), expected);
}
