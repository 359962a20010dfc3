//! The sandbox verifies the corpus' signed requests with the same shared code the clients sign
//! with: each generated client, given the spec's sandbox test credentials, is accepted; the same
//! client with another secret is refused with HTTP 401 before any rule runs.

mod schemes_support;

include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/binance_pay.rs"));
include!(concat!(
    env!("OUT_DIR"),
    "/fixtures/schemes/cryptoprocessing.rs"
));
include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/cybersource.rs"));
include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/doku.rs"));
include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/revolut_x.rs"));
include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/wechat_pay.rs"));

use paygen_runtime::{Error, MinorUnits, Secret};
use paygen_sandbox::{Sandbox, SandboxConfig, SandboxHandle};
use schemes_support::reference::*;
use schemes_support::*;

const NOW: i64 = 1_700_000_000;
const SPECS: [&str; 6] = [
    "binance_pay",
    "cryptoprocessing",
    "cybersource",
    "doku",
    "revolut_x",
    "wechat_pay",
];

async fn sandbox() -> SandboxHandle {
    let specs = SPECS
        .iter()
        .map(|p| std::path::PathBuf::from(format!("../tests/specs/ok/schemes/{p}.yaml")))
        .collect();
    Sandbox::start(SandboxConfig {
        specs,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox")
}

fn base(sandbox: &SandboxHandle, provider: &str) -> Vec<(String, String)> {
    vec![("default".to_string(), sandbox.base_url(provider))]
}

/// Accepted with the test credentials, refused (401) with another secret.
fn assert_accepted_then_refused<T: std::fmt::Debug>(
    provider: &str,
    good: Result<T, Error>,
    bad: Result<T, Error>,
) {
    assert!(good.is_ok(), "{provider}: {good:?}");
    assert!(
        matches!(bad, Err(Error::Http { status: 401, .. })),
        "{provider}: {bad:?}"
    );
}

#[tokio::test]
async fn the_sandbox_accepts_hmac_signed_requests_and_refuses_other_secrets() {
    let sandbox = sandbox().await;
    let call = |secret: &str| cryptoprocessing::Credentials {
        public_key: "pk_test".into(),
        secret_key: Secret::new(secret),
    };
    let request = cryptoprocessing::TakeAddressRequest {
        currency: "BTC".into(),
        foreign_id: "123456".into(),
        ..Default::default()
    };
    let client = |secret| {
        cryptoprocessing::Client::with_options(
            base(&sandbox, "cryptoprocessing"),
            call(secret),
            config(),
            clock(NOW),
        )
        .expect("client")
    };
    let good = client("AbCdEfG123456").take_address(&request).await;
    let bad = client("other").take_address(&request).await;
    assert_accepted_then_refused("cryptoprocessing", good, bad);

    let creds = |secret: &str| binance_pay::Credentials {
        api_key: "cert_sn".into(),
        secret_key: Secret::new(secret),
    };
    let request = binance_pay::CreateOrderRequest {
        env: binance_pay::Env {
            terminal_type: "WEB".into(),
        },
        merchant_trade_no: "9825382937292".into(),
        order_amount: MinorUnits(2_517_000_000),
        currency: "USDT".into(),
        description: "Ice cream".into(),
    };
    let client = |secret| {
        binance_pay::Client::with_options(
            base(&sandbox, "binance_pay"),
            creds(secret),
            config(),
            clock(NOW),
        )
        .expect("client")
    };
    let good = client("binance_pay_test_secret_key")
        .create_order(&request)
        .await;
    let bad = client("other").create_order(&request).await;
    assert_accepted_then_refused("binance_pay", good, bad);

    let creds = |secret: &str| doku::Credentials {
        client_id: "MCH-0001-10791114622547".into(),
        secret_key: Secret::new(secret),
    };
    let request = doku::CheckoutRequest {
        order: doku::Order {
            amount: 20000,
            invoice_number: "INV-1".into(),
        },
        payment: None,
    };
    let client = |secret| {
        doku::Client::with_options(base(&sandbox, "doku"), creds(secret), config(), clock(NOW))
            .expect("client")
    };
    let good = client("SK-hCJ42G28TA0MKG9LE2E_1")
        .checkout_payment(&request)
        .await;
    let bad = client("SK-other").checkout_payment(&request).await;
    assert_accepted_then_refused("doku", good, bad);

    let creds = |secret: &str| cybersource::Credentials {
        merchant_id: "testrest".into(),
        key_id: "08c94330-f618-42a3-b09d-e1e43be5efda".into(),
        shared_secret: Secret::new(secret),
    };
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
    let client = |secret| {
        cybersource::Client::with_options(
            base(&sandbox, "cybersource"),
            creds(secret),
            config(),
            clock(NOW),
        )
        .expect("client")
    };
    let good = client("yBJxy6LjM2TmcPGu+GaJrHtkke25fPpUX+UY6/L/1tE=")
        .create_payment(&request)
        .await;
    let bad = client(&b64(b"another shared secret"))
        .create_payment(&request)
        .await;
    assert_accepted_then_refused("cybersource", good, bad);
}

#[tokio::test]
async fn the_sandbox_verifies_private_key_signatures_over_signed_paths() {
    use rsa::pkcs8::EncodePrivateKey as _;
    let sandbox = sandbox().await;
    let v = vector("wechat_pay", "native order");
    let other_rsa = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).expect("key");
    let other_pem = other_rsa
        .to_pkcs8_pem(rsa::pkcs8::LineEnding::LF)
        .expect("pem")
        .to_string();
    let creds = |pem: &str| wechat_pay::Credentials {
        mchid: "1230000109".into(),
        serial_no: "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C".into(),
        merchant_private_key: Secret::new(pem),
        platform_public_key: text(&vector("wechat_pay", "notification"), "platform_public_key"),
    };
    let client = |pem: &str| {
        wechat_pay::Client::with_options(
            base(&sandbox, "wechat_pay"),
            creds(pem),
            config(),
            clock(NOW),
        )
        .expect("client")
    };
    let request = wechat_pay::QueryOrderRequest {
        out_trade_no: "1217752501201407033233368018".into(),
    };
    let good = client(&text(&v, "merchant_private_key"))
        .query_order(&request)
        .await;
    let bad = client(&other_pem).query_order(&request).await;
    assert_accepted_then_refused("wechat_pay", good, bad);

    let pem = text(&vector("revolut_x", "place order"), "private_key");
    let other = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let other_pem = ed25519_dalek::pkcs8::EncodePrivateKey::to_pkcs8_pem(
        &other,
        ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF,
    )
    .expect("pem")
    .to_string();
    let creds = |pem: &str| revolut_x::Credentials {
        api_key: Secret::new("k".repeat(64)),
        private_key: Secret::new(pem),
    };
    let client = |pem: &str| {
        revolut_x::Client::with_options(
            base(&sandbox, "revolut_x"),
            creds(pem),
            config(),
            clock(NOW),
        )
        .expect("client")
    };
    let request = revolut_x::GetOrderRequest {
        order_id: "7a52e92e".into(),
    };
    let good = client(&pem).get_order(&request).await;
    let bad = client(&other_pem).get_order(&request).await;
    assert_accepted_then_refused("revolut_x", good, bad);
}
