//! Webhook parsing and signature verification (header over raw bytes, body field over fields).

use hmac::{Hmac, Mac};
use http::{HeaderMap, HeaderValue};
use paygen_runtime::{
    signing::Recipe, webhook::parse_webhook_body, webhook::verify_webhook, webhook::Ack,
    webhook::WebhookEncoding, Credentials, Error,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha512};

const SALT: &str = "whsec_SECRET";

fn creds() -> Credentials {
    Credentials::new().with("salt", SALT)
}

fn recipe(v: Value) -> Recipe {
    serde_json::from_value(v).expect("recipe")
}

fn header_recipe() -> Recipe {
    recipe(json!({
        "over": "raw_body", "digest": "hmac_sha256",
        "secret": {"credential": "salt", "use": "hmac_key"}, "encoding": "hex",
        "place": {"header": "X-Webhook-Signature"}
    }))
}

fn field_recipe() -> Recipe {
    recipe(json!({
        "over": "body_fields", "exclude": ["hash"], "digest": "sha512",
        "secret": {"credential": "salt", "use": "prepend", "separator": "|"},
        "canonical": {"pair": "{value}", "join": "|", "sort": "none"},
        "encoding": "hex", "place": {"body_field": "hash"}
    }))
}

fn hmac_hex(body: &[u8]) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SALT.as_bytes()).expect("key");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

fn headers(name: &'static str, value: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(name, HeaderValue::from_str(value).expect("header value"));
    h
}

fn is_bad_webhook_signature(r: &Result<serde_json::Map<String, Value>, Error>) -> bool {
    matches!(
        r,
        Err(Error::BadSignature {
            what: "webhook",
            ..
        })
    )
}

#[test]
fn header_signature_over_raw_bytes() {
    let body = br#"{"event":"payment.paid","id":"pay_1"}"#;
    let h = headers("x-webhook-signature", &hmac_hex(body));
    let fields =
        verify_webhook(&header_recipe(), &creds(), &h, body, WebhookEncoding::Json).expect("valid");
    assert_eq!(fields.get("event"), Some(&json!("payment.paid")));

    let tampered = br#"{"event":"payment.paid","id":"pay_2"}"#;
    let r = verify_webhook(
        &header_recipe(),
        &creds(),
        &h,
        tampered,
        WebhookEncoding::Json,
    );
    assert!(is_bad_webhook_signature(&r));
    let r = verify_webhook(
        &header_recipe(),
        &creds(),
        &HeaderMap::new(),
        body,
        WebhookEncoding::Json,
    );
    assert!(is_bad_webhook_signature(&r), "missing header");
}

#[test]
fn body_field_signature_over_form_fields() {
    let canonical = "pay_1|success|40.11";
    let hash = hex::encode(Sha512::digest(format!("{SALT}|{canonical}").as_bytes()));
    let body = format!("txnid=pay_1&status=success&amount=40.11&hash={hash}");
    let fields = verify_webhook(
        &field_recipe(),
        &creds(),
        &HeaderMap::new(),
        body.as_bytes(),
        WebhookEncoding::Form,
    )
    .expect("valid");
    assert_eq!(fields.get("status"), Some(&json!("success")));
    assert_eq!(fields.get("hash"), Some(&json!(hash)));

    let forged = body.replace("success", "failure");
    let r = verify_webhook(
        &field_recipe(),
        &creds(),
        &HeaderMap::new(),
        forged.as_bytes(),
        WebhookEncoding::Form,
    );
    assert!(is_bad_webhook_signature(&r));
    let unsigned = "txnid=pay_1&status=success&amount=40.11";
    let r = verify_webhook(
        &field_recipe(),
        &creds(),
        &HeaderMap::new(),
        unsigned.as_bytes(),
        WebhookEncoding::Form,
    );
    assert!(is_bad_webhook_signature(&r), "missing field");
}

#[test]
fn body_parsing() {
    let form = parse_webhook_body(b"a=1&b=x+y%21&c=", WebhookEncoding::Form).expect("form");
    assert_eq!(Value::Object(form), json!({"a": "1", "b": "x y!", "c": ""}));
    let j = parse_webhook_body(br#"{"amount":40.10}"#, WebhookEncoding::Json).expect("json");
    assert_eq!(
        j.get("amount").map(ToString::to_string).as_deref(),
        Some("40.10")
    );
    let card = "4111111111111111";
    for bad in [
        format!("[{card}]"),
        format!("not json {card}"),
        String::new(),
    ] {
        match parse_webhook_body(bad.as_bytes(), WebhookEncoding::Json) {
            Err(Error::Undecodable {
                operation: "webhook",
                body_excerpt,
                ..
            }) => {
                assert!(!body_excerpt.contains(card), "{body_excerpt}");
            }
            other => panic!("expected Undecodable, got {other:?}"),
        }
    }
    assert!(parse_webhook_body(b"a=%FF", WebhookEncoding::Form).is_err());
    assert_eq!(Ack::OK_EMPTY.status, 200);
}
