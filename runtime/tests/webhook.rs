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

/// The headers of a received message read where they are (`ReceivedHeaders::Map`) read as the
/// same headers copied into pairs: the first text value of a name in any case, and pairs in
/// the map's order with values that are not text left out.
#[test]
fn a_header_map_reads_as_its_pairs() {
    use paygen_runtime::ReceivedHeaders;
    let mut map = HeaderMap::new();
    map.append("x-sig", HeaderValue::from_bytes(b"\xff").expect("opaque"));
    map.append("x-sig", HeaderValue::from_static("second"));
    map.append("content-type", HeaderValue::from_static("application/json"));
    map.append("x-empty", HeaderValue::from_static(""));
    let pairs = ReceivedHeaders::Map(&map).to_pairs().into_owned();
    assert_eq!(
        pairs,
        [
            ("x-sig".to_string(), "second".to_string()),
            ("content-type".to_string(), "application/json".to_string()),
            ("x-empty".to_string(), String::new()),
        ]
    );
    let from_pairs = ReceivedHeaders::Pairs(&pairs);
    for name in [
        "x-sig",
        "X-Sig",
        "CONTENT-TYPE",
        "x-empty",
        "missing",
        "not a name",
        "",
    ] {
        assert_eq!(
            ReceivedHeaders::Map(&map).get(name),
            from_pairs.get(name),
            "{name}"
        );
    }
}

/// A recipe whose message reads a header (`{header.X}`) verifies over a borrowed header map
/// exactly as over the pairs: the message gets the header's text either way.
#[test]
fn a_message_reading_a_header_verifies_over_the_header_map() {
    use paygen_runtime::signing::{verify_received, Received, Signer};
    use paygen_runtime::FixedClock;
    let r = recipe(json!({
        "over": {"message": "{header.x-request-id}.{raw_body}"}, "digest": "hmac_sha256",
        "secret": {"credential": "salt", "use": "hmac_key"}, "encoding": "hex",
        "place": {"header": "X-Webhook-Signature"}
    }));
    let body = br#"{"id":"evt_1"}"#;
    let sig = hmac_hex(&[b"req-7.".as_slice(), body].concat());
    let mut map = headers("x-webhook-signature", &sig);
    map.insert("X-Request-Id", HeaderValue::from_static("req-7"));
    let signer = Signer::from_recipe(&r, &creds()).expect("signer");
    let check = |map: &HeaderMap| {
        let pairs = paygen_runtime::ReceivedHeaders::Map(map)
            .to_pairs()
            .into_owned();
        let over = |headers| Received {
            method: "POST",
            path: "/",
            headers,
            body,
            ..Received::default()
        };
        let by_map = verify_received(&signer, &over(map.into()), &FixedClock(0));
        let by_pairs = verify_received(&signer, &over((&pairs).into()), &FixedClock(0));
        assert_eq!(by_map, by_pairs);
        by_map.is_ok()
    };
    assert!(check(&map));
    map.insert("x-request-id", HeaderValue::from_static("req-8"));
    assert!(!check(&map));
    map.remove("x-request-id");
    assert!(!check(&map));
    // the verifier built once reads the caller's map too
    let verifier = paygen_runtime::WebhookVerifier::new(&r, &creds(), WebhookEncoding::Json)
        .expect("verifier");
    map.insert("x-request-id", HeaderValue::from_static("req-7"));
    assert!(verifier.verify(&map, body).is_ok());
    map.insert("x-request-id", HeaderValue::from_static("req-9"));
    assert!(verifier.verify(&map, body).is_err());
}
