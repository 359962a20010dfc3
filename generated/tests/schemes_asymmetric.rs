//! The scheme corpus' private-key signers on the wire: WeChat Pay (RSA-SHA256 PKCS#1 v1.5, a
//! path parameter and a query in the signed URL) and Revolut X (Ed25519). Both algorithms are
//! deterministic, so the recorded signature must equal the one rsa / ed25519-dalek compute
//! directly from the recorded bytes.

mod schemes_support;

include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/revolut_x.rs"));
include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/wechat_pay.rs"));

use paygen_runtime::{MinorUnits, Secret};
use schemes_support::reference::*;
use schemes_support::*;

const NOW: i64 = 1_700_000_000;

fn wechat_credentials() -> wechat_pay::Credentials {
    let v = vector("wechat_pay", "native order");
    let n = vector("wechat_pay", "notification");
    wechat_pay::Credentials {
        mchid: "1230000109".into(),
        serial_no: "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C".into(),
        merchant_private_key: Secret::new(text(&v, "merchant_private_key")),
        platform_public_key: text(&n, "platform_public_key"),
    }
}

fn rsa_sign(pem: &str, message: &str) -> String {
    use rsa::pkcs8::DecodePrivateKey as _;
    use rsa::signature::{SignatureEncoding as _, Signer as _};
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(pem).expect("key");
    let signing = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key);
    b64(&signing.sign(message.as_bytes()).to_bytes())
}

/// Checks WeChat Pay's Authorization header against the reference over `method\nurl\n...`.
fn assert_wechat_authorization(seen: &Recorded, method: &str) {
    let auth = seen.header("Authorization").expect("authorization");
    let (scheme, params) = auth.split_once(' ').expect("scheme and parameters");
    assert_eq!(scheme, "WECHATPAY2-SHA256-RSA2048");
    assert_eq!(param(params, "mchid"), "1230000109");
    assert_eq!(param(params, "timestamp"), "1700000000");
    assert_eq!(
        param(params, "serial_no"),
        "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"
    );
    let nonce = param(params, "nonce_str");
    assert!(
        nonce.len() == 32 && nonce.chars().all(|c| c.is_ascii_alphanumeric()),
        "{nonce}"
    );
    let message = format!(
        "{method}\n{}\n1700000000\n{nonce}\n{}\n",
        seen.path,
        seen.body_text()
    );
    let pem = text(
        &vector("wechat_pay", "native order"),
        "merchant_private_key",
    );
    assert_eq!(param(params, "signature"), rsa_sign(&pem, &message));
    // A receiver holding the merchant key verifies it with the same recipe and runtime code.
    let recipe = wechat_pay::provider_meta().request_recipe.expect("recipe");
    let creds = wechat_credentials().to_runtime();
    assert!(verify_recorded(&recipe, &creds, seen, NOW, false));
    assert!(!verify_recorded(&recipe, &creds, seen, NOW, true));
}

#[tokio::test]
async fn wechat_pay_signs_method_url_timestamp_nonce_and_body() {
    let server = answering(r#"{"code_url":"weixin://wxpay/bizpayurl?pr=p4lpSuKzz"}"#).await;
    let client = wechat_pay::Client::with_options(
        urls(&server, &["default"]),
        wechat_credentials(),
        config(),
        clock(NOW),
    )
    .expect("client");
    let request = wechat_pay::NativeOrderRequest {
        appid: "wxd678efh567hg6787".into(),
        description: "QQ doll".into(),
        out_trade_no: "1217752501201407033233368018".into(),
        notify_url: "https://www.weixin.qq.com/wxpay/pay.php".into(),
        amount: wechat_pay::Amount {
            total: MinorUnits(100),
            currency: "CNY".into(),
        },
    };
    let answer = client.native_order(&request).await.expect("answer");
    assert!(answer.code_url.is_some());
    let seen = server.only();
    assert_eq!(seen.path, "/v3/pay/transactions/native");
    // Same body as the spec's vector: the client's bytes are signed as the reference says.
    assert_eq!(
        seen.body_text(),
        text(&vector("wechat_pay", "native order"), "raw")
    );
    assert_wechat_authorization(&seen, "POST");
}

#[tokio::test]
async fn wechat_pay_signs_the_path_parameter_and_query_it_sends() {
    let server =
        answering(r#"{"out_trade_no":"1217752501201407033233368018","trade_state":"SUCCESS"}"#)
            .await;
    let client = wechat_pay::Client::with_options(
        urls(&server, &["default"]),
        wechat_credentials(),
        config(),
        clock(NOW),
    )
    .expect("client");
    let request = wechat_pay::QueryOrderRequest {
        out_trade_no: "1217752501201407033233368018".into(),
    };
    client.query_order(&request).await.expect("answer");
    let seen = server.only();
    assert_eq!(seen.method, "GET");
    assert_eq!(
        seen.path,
        "/v3/pay/transactions/out-trade-no/1217752501201407033233368018?mchid=1230000109"
    );
    assert_eq!(seen.body_text(), "");
    assert_wechat_authorization(&seen, "GET");
}

#[tokio::test]
async fn revolut_x_signs_timestamp_method_path_and_body_with_ed25519() {
    use ed25519_dalek::pkcs8::DecodePrivateKey as _;
    use ed25519_dalek::Signer as _;
    let server = answering(r#"{"data":{"venue_order_id":"7a52e92e","state":"new"}}"#).await;
    let pem = text(&vector("revolut_x", "place order"), "private_key");
    let creds = revolut_x::Credentials {
        api_key: Secret::new("k".repeat(64).as_str()),
        private_key: Secret::new(&pem),
    };
    let client =
        revolut_x::Client::with_options(urls(&server, &["default"]), creds, config(), clock(NOW))
            .expect("client");
    let request = revolut_x::PlaceOrderRequest {
        client_order_id: "3b364427-1f4f-4f66-9935-86b6fb115d26".into(),
        symbol: "BTC-USD".into(),
        side: "buy".into(),
        order_configuration: revolut_x::OrderConfiguration {
            limit: revolut_x::Limit {
                base_size: "0.1".into(),
                price: "90000.1".into(),
            },
        },
    };
    client.place_order(&request).await.expect("answer");
    let seen = server.only();
    assert_eq!(
        seen.body_text(),
        text(&vector("revolut_x", "place order"), "raw")
    );
    assert_eq!(seen.header("X-Revx-API-Key"), Some("k".repeat(64).as_str()));
    assert_eq!(seen.header("X-Revx-Timestamp"), Some("1700000000000"));
    let message = format!("1700000000000POST/api/1.0/orders{}", seen.body_text());
    let key = ed25519_dalek::SigningKey::from_pkcs8_pem(&pem).expect("key");
    let expected = b64(&key.sign(message.as_bytes()).to_bytes());
    assert_eq!(seen.header("X-Revx-Signature"), Some(expected.as_str()));
    let recipe = revolut_x::provider_meta().request_recipe.expect("recipe");
    let creds = revolut_x::Credentials {
        api_key: Secret::new("k".repeat(64).as_str()),
        private_key: Secret::new(&pem),
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
