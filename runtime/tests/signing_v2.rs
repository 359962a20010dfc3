//! Signing language v2 end to end through the one preparation path and its verification
//! counterpart. Expected signatures come from independent references: digests computed here
//! directly with the hash crates over hand-built strings, OpenSSL-made signatures
//! (tests/keys/README.md), and the RFC 8032 Ed25519 test vectors.

use std::sync::Arc;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use paygen_runtime::engine::{BodyEncoding, Method};
use paygen_runtime::signing::{
    verify_received, Generated, Received, Recipe, SignInput, Signer, SigningError,
};
use paygen_runtime::{AuthPlan, Credentials, FixedClock, Operation, Preparer};
use serde_json::{json, Map, Value};
use sha1::{Digest, Sha1};
use sha2::{Sha256, Sha512};

fn recipe(v: Value) -> Recipe {
    serde_json::from_value(v).expect("recipe parses")
}

fn fields(v: Value) -> Map<String, Value> {
    v.as_object().cloned().expect("object")
}

fn op(path: &str) -> Operation<'_> {
    Operation {
        name: "op",
        method: Method::Post,
        path,
        encoding: BodyEncoding::Json,
        signed: true,
        accept: "application/json".into(),
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn hmac256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("key");
    m.update(msg);
    m.finalize().into_bytes().to_vec()
}

/// The request `r` signs with `creds`: `body` posted to `host` + `path` with these generated
/// values (a timestamp, and a nonce when given), through the one preparation path.
fn signed(
    r: &Recipe,
    creds: &Credentials,
    (host, path): (&str, &str),
    (timestamp, nonce): (&str, Option<&str>),
    body: Value,
) -> paygen_runtime::engine::PreparedRequest {
    let p = Preparer::new(AuthPlan::default(), Some(r), creds).expect("preparer");
    let generated = Generated {
        timestamp: Some(timestamp.into()),
        nonce: nonce.map(Into::into),
    };
    p.prepare_with(&op(path), host, &generated, Some(fields(body)))
        .expect("prepared")
}

fn header_pairs(p: &paygen_runtime::engine::PreparedRequest) -> Vec<(String, String)> {
    p.headers.clone()
}

/// The regression of issue 7: a signature covering a path parameter.
#[test]
fn path_parameter_is_signed_and_left_out_of_the_body() {
    let r = recipe(json!({
        "over": {"message": "{path.endpoint_id}{field.client_orderid}{field.amount}{field.email}{secret}"},
        "digest": "sha1",
        "secret": {"credential": "merchant_control", "use": "in_message"},
        "encoding": "hex",
        "place": {"body_field": "control"}
    }));
    let creds = Credentials::new().with("merchant_control", "B17A6C2D-SECRET");
    let p = Preparer::new(AuthPlan::default(), Some(&r), &creds).expect("preparer");
    let body = fields(
        json!({"endpoint_id": 4711, "client_orderid": "ord-1", "amount": "10.42", "email": "a@b.c"}),
    );
    let prepared = p
        .prepare(
            &op("/deposit/{endpoint_id}/"),
            "https://pay.example/paynet/api/v2",
            &FixedClock(0),
            Some(body),
        )
        .expect("prepared");
    assert_eq!(
        prepared.url,
        "https://pay.example/paynet/api/v2/deposit/4711/"
    );
    let sent: Value = serde_json::from_slice(&prepared.body).expect("json body");
    let expected = hex::encode(Sha1::digest(b"4711ord-110.42a@b.cB17A6C2D-SECRET"));
    assert_eq!(
        sent,
        json!({"client_orderid": "ord-1", "amount": "10.42", "email": "a@b.c", "control": expected})
    );
    // the receiving side (a simulator) verifies with the same code
    let signer = Signer::from_recipe(&r, &creds).expect("signer");
    let headers = header_pairs(&prepared);
    let params = vec![("endpoint_id".to_string(), "4711".to_string())];
    let got = fields(sent.clone());
    let received = Received {
        method: "POST",
        path: "/paynet/api/v2/deposit/4711/",
        path_params: &params,
        headers: (&headers).into(),
        fields: Some(&got),
        body: &prepared.body,
        ..Received::default()
    };
    assert_eq!(verify_received(&signer, &received, &FixedClock(0)), Ok(()));
    let wrong = vec![("endpoint_id".to_string(), "4712".to_string())];
    let tampered = Received {
        path_params: &wrong,
        ..received
    };
    assert!(verify_received(&signer, &tampered, &FixedClock(0)).is_err());
}

fn stripe_like() -> Recipe {
    recipe(json!({
        "over": {"message": "{timestamp}.{raw_body}"},
        "generate": {"timestamp": "unix_seconds"},
        "digest": "hmac_sha256",
        "secret": {"credential": "whsec", "use": "hmac_key", "previous": ["whsec_old"]},
        "encoding": "hex",
        "place": {"header": "Signature-Header"},
        "value": "t={timestamp},v1={signature}",
        "tolerance": 300
    }))
}

fn webhook(header: &str, body: &[u8], now: i64, creds: &Credentials) -> Result<(), SigningError> {
    let signer = Signer::from_recipe(&stripe_like(), creds)?;
    let headers = vec![("signature-header".to_string(), header.to_string())];
    let received = Received {
        method: "POST",
        path: "/",
        headers: (&headers).into(),
        body,
        ..Received::default()
    };
    verify_received(&signer, &received, &FixedClock(now))
}

#[test]
fn timestamped_structured_header_with_candidates_tolerance_and_rotation() {
    let body = br#"{"id":"evt_1","type":"charge.succeeded"}"#;
    let sig = |key: &str, t: i64| {
        hex::encode(hmac256(
            key.as_bytes(),
            &[t.to_string().as_bytes(), b".", body].concat(),
        ))
    };
    let creds = Credentials::new()
        .with("whsec", "whsec_new")
        .with("whsec_old", "whsec_prev");
    let t = 1_700_000_000;
    let good = format!("t={t},v1={}", sig("whsec_new", t));
    assert_eq!(webhook(&good, body, t + 10, &creds), Ok(()));
    // several candidates: any may match, in any order
    let several = format!(
        "v1={},t={t},v0=zz,v1={}",
        "00".repeat(32),
        sig("whsec_new", t)
    );
    assert_eq!(webhook(&several, body, t, &creds), Ok(()));
    // rotation: the previous secret still verifies
    let rotated = format!("t={t},v1={}", sig("whsec_prev", t));
    assert_eq!(webhook(&rotated, body, t, &creds), Ok(()));
    // too old and too far in the future are both refused
    assert_eq!(
        webhook(&good, body, t + 301, &creds),
        Err(SigningError::Timestamp("too old"))
    );
    assert_eq!(
        webhook(&good, body, t - 301, &creds),
        Err(SigningError::Timestamp("too far in the future"))
    );
    // a changed body, a changed timestamp, an unknown secret, a missing header part
    assert!(webhook(&good, br#"{"id":"evt_2"}"#, t, &creds).is_err());
    assert!(webhook(&good.replace("t=17", "t=18"), body, t, &creds).is_err());
    let stranger = format!("t={t},v1={}", sig("other", t));
    assert!(webhook(&stranger, body, t, &creds).is_err());
    assert!(webhook(&format!("t={t}"), body, t, &creds).is_err());
}

#[test]
fn timestamp_nonce_body_hmac_sha512_upper_hex_with_headers() {
    let r = recipe(json!({
        "over": {"message": "{timestamp}\n{nonce}\n{raw_body}\n"},
        "generate": {"timestamp": "unix_millis", "nonce": {"hex": 32}},
        "digest": "hmac_sha512",
        "secret": {"credential": "api_secret", "use": "hmac_key"},
        "encoding": "hex_upper",
        "place": {"header": "X-Signature"},
        "headers": {"X-Timestamp": "{timestamp}", "X-Nonce": "{nonce}"}
    }));
    let creds = Credentials::new().with("api_secret", "s3cr3t-512");
    let prepared = signed(
        &r,
        &creds,
        ("https://api.example", "/orders"),
        ("1700000000123", Some("0123456789abcdef0123456789abcdef")),
        json!({"a": 1}),
    );
    let p = Preparer::new(AuthPlan::default(), Some(&r), &creds).expect("preparer");
    let mut mac = Hmac::<Sha512>::new_from_slice(b"s3cr3t-512").expect("key");
    mac.update(b"1700000000123\n0123456789abcdef0123456789abcdef\n{\"a\":1}\n");
    let expected = hex::encode_upper(mac.finalize().into_bytes());
    assert_eq!(prepared.header("X-Signature"), Some(expected.as_str()));
    assert_eq!(prepared.header("X-Timestamp"), Some("1700000000123"));
    assert_eq!(
        prepared.header("X-Nonce"),
        Some("0123456789abcdef0123456789abcdef")
    );
    // fresh values: made once per request and shared by the headers and the signature
    let fresh = p
        .prepare(
            &op("/orders"),
            "https://api.example",
            &FixedClock(1_700_000_000),
            Some(fields(json!({"a": 1}))),
        )
        .expect("prepared");
    assert_eq!(fresh.header("X-Timestamp"), Some("1700000000000"));
    let nonce = fresh.header("X-Nonce").unwrap_or_default();
    assert_eq!(nonce.len(), 32);
    let signer = Signer::from_recipe(&r, &creds).expect("signer");
    let headers = fresh.headers.clone();
    let received = Received {
        method: "POST",
        path: "/orders",
        headers: (&headers).into(),
        body: &fresh.body,
        ..Received::default()
    };
    assert_eq!(verify_received(&signer, &received, &FixedClock(0)), Ok(()));
}

#[test]
fn hex_key_colon_joined_nested_values_with_escaping_and_a_nested_signature_field() {
    let r = recipe(json!({
        "over": {"message": "{field.pspReference|escape::}:{field.merchantReference|escape::}:{field.amount.value}:{field.amount.currency}:{field.eventCode}:{field.success}"},
        "digest": "hmac_sha256",
        "secret": {"credential": "hmac_key", "use": "hmac_key", "decode": "hex"},
        "encoding": "base64",
        "place": {"body_field": "additionalData.hmacSignature"}
    }));
    let key_hex = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
    let creds = Credentials::new().with("hmac_key", key_hex);
    let item = json!({"pspReference": "7914073381342284", "merchantReference": "TestPay:ment-1",
        "amount": {"value": 1130, "currency": "EUR"}, "eventCode": "AUTHORISATION", "success": "true"});
    let message = "7914073381342284:TestPay\\:ment-1:1130:EUR:AUTHORISATION:true";
    let expected = b64(&hmac256(
        &hex::decode(key_hex).expect("hex"),
        message.as_bytes(),
    ));
    let signer = Signer::from_recipe(&r, &creds).expect("signer");
    let mut signed = fields(item);
    signed.insert("additionalData".into(), json!({"hmacSignature": expected}));
    let received = Received {
        method: "POST",
        path: "/",
        fields: Some(&signed),
        ..Received::default()
    };
    assert_eq!(verify_received(&signer, &received, &FixedClock(0)), Ok(()));
    let mut changed = signed.clone();
    changed.insert("eventCode".into(), json!("REFUND"));
    let tampered = Received {
        fields: Some(&changed),
        ..received
    };
    assert!(verify_received(&signer, &tampered, &FixedClock(0)).is_err());
}

#[test]
fn listed_fields_render_absent_optionals_as_empty() {
    let r = recipe(json!({
        "over": {"fields": ["merchant", "order", "amount", "opt1", "opt2", "opt3"]},
        "canonical": {"sort": "none", "pair": "{value}", "join": "|", "absent": "empty"},
        "digest": "md5",
        "secret": {"credential": "secret", "use": "append", "separator": "|"},
        "encoding": "hex",
        "place": {"body_field": "sign"}
    }));
    let creds = Credentials::new().with("secret", "word");
    let p = Preparer::new(AuthPlan::default(), Some(&r), &creds).expect("preparer");
    let prepared = p
        .prepare(
            &op("/pay"),
            "https://x.example",
            &FixedClock(0),
            Some(fields(
                json!({"merchant": "m1", "order": "o1", "amount": "5.00", "opt2": "x"}),
            )),
        )
        .expect("prepared");
    let sent: Value = serde_json::from_slice(&prepared.body).expect("json");
    let expected = hex::encode(md5::Md5::digest(b"m1|o1|5.00||x||word"));
    assert_eq!(sent["sign"], json!(expected));
}

#[test]
fn http_signature_with_date_and_digest_headers() {
    let r = recipe(json!({
        "over": {"message": "(request-target): {method|lower} {target}\nhost: {host}\ndate: {header.date}\ndigest: {header.digest}"},
        "generate": {"timestamp": "http_date"},
        "headers": {"Date": "{timestamp}", "Digest": "SHA-256={body_digest.sha256.base64}"},
        "digest": "hmac_sha256",
        "secret": {"credential": "shared", "use": "hmac_key", "decode": "base64"},
        "encoding": "base64",
        "place": {"header": "Signature"},
        "value": "keyId=\"{credential.key_id}\",algorithm=\"hmac-sha256\",headers=\"(request-target) host date digest\",signature=\"{signature}\""
    }));
    let creds = Credentials::new()
        .with("shared", b64(b"0123456789abcdef"))
        .with("key_id", "key-7");
    let p = Preparer::new(AuthPlan::default(), Some(&r), &creds).expect("preparer");
    let prepared = p
        .prepare(
            &op("/v1/pay"),
            "https://api.example:8443/base",
            &FixedClock(1_700_000_000),
            Some(fields(json!({"a": "b"}))),
        )
        .expect("prepared");
    let digest = format!("SHA-256={}", b64(&Sha256::digest(br#"{"a":"b"}"#)));
    assert_eq!(prepared.header("Digest"), Some(digest.as_str()));
    assert_eq!(
        prepared.header("Date"),
        Some("Tue, 14 Nov 2023 22:13:20 GMT")
    );
    let message = format!(
        "(request-target): post /base/v1/pay\nhost: api.example:8443\ndate: Tue, 14 Nov 2023 22:13:20 GMT\ndigest: {digest}"
    );
    let sig = b64(&hmac256(b"0123456789abcdef", message.as_bytes()));
    let expected = format!(
        "keyId=\"key-7\",algorithm=\"hmac-sha256\",headers=\"(request-target) host date digest\",signature=\"{sig}\""
    );
    assert_eq!(prepared.header("Signature"), Some(expected.as_str()));
}

fn key(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/keys/{name}", env!("CARGO_MANIFEST_DIR")))
        .expect("test key")
}

const OPENSSL_MSG: &str = "POST\n/v1/pay\n2023-11-14T22:13:20Z\n{\"amount\":100}";

fn asym(digest: &str, use_: &str, credential: &str) -> Recipe {
    recipe(json!({
        "over": {"message": "{method}\n{path}\n{timestamp}\n{raw_body}"},
        "generate": {"timestamp": "iso8601"},
        "digest": digest,
        "secret": {"credential": credential, "use": use_},
        "encoding": "base64",
        "place": {"header": "X-Signature"},
        "headers": {"X-Timestamp": "{timestamp}"}
    }))
}

fn verify_openssl(r: &Recipe, creds: &Credentials, signature: &str) -> Result<(), SigningError> {
    let signer = Signer::from_recipe(r, creds)?;
    let headers = vec![
        ("X-Timestamp".to_string(), OPENSSL_TIME.to_string()),
        ("X-Signature".to_string(), signature.to_string()),
    ];
    let received = Received {
        method: "POST",
        path: "/v1/pay",
        headers: (&headers).into(),
        body: br#"{"amount":100}"#,
        ..Received::default()
    };
    verify_received(&signer, &received, &FixedClock(0))
}

/// Where the OpenSSL-signed request goes, and the time it was signed at.
const PAY: (&str, &str) = ("https://api.example", "/v1/pay");
const OPENSSL_TIME: &str = "2023-11-14T22:13:20Z";
const RSA_SIG: &str = "RjzLKfBO+LY2VIOJ1i0uVuDCoqDw+S5lg3NR7O4VEa+dY9px7/SFu3FwbDzW0oLmMg5I7khQO6kN0tXFXbNCPbdl9vnVzu6N4RZFS0WKVkH1YRltVUR4vLs9VeZmxVjLZ98Gm22iMmZeA2ghltJnUzww8oep5STWvQ5Wi52uNfuzFnYgZV9qW4RuYw1CUPiPorN5obJfwSRUcvaJL4a8XWa6aVdUKvsILOL+FZP8Do7dLI+qts1nJXXPaFDGkQ2kJi9VLr2dvM34CgHf6C2gmFsz0Jyge1TEPNVQjbpTNUfVY9/J0z/auhbUx/hT4spfOkMivM0fd+WxocPVRv0T/A==";
const PSS_SIG: &str = "Hl4QwNczhSIu1YBfhCinqSNRXUkDQYvAxKxX2yzj+UNtoR8NdQxFPkr2X+eWYhsNckpE6KxXPoJcy3WUNORy99R/BNE22gMQ1Howqc/GD45C99lVsEXhlHV5DRtQ0Z5kNvdGsQUAzTpePdPuTTa2caM0FCwgiZaqFt/6ck0M0moZBj7XK3oAY1esNtuSv06xCPfs6hmzPGUmkZM/MTqbWTnlRh4q2ZLIQAuKZ2ItMc/a3PSAvBeI5sUPYdENqb1NgAVugFj0hKrJh+VXuCm2xZhNSVJM7Dvw7suvCbJsWpBQ/6P2HX7qG1JjuL6gqna+EL3Aumd4/PcyRZjdMIePJA==";
const EC_SIG: &str = "MEYCIQDvWFfkVBqya7RBPjEPKPcu/hFbseBiIVpMIhsTWW+xKwIhAMOCSlWzD1ygsLFiSGnO1DpBPnYn0m/WMqlL9dHkzxXa";

#[test]
fn rsa_pkcs1v15_signs_like_openssl_and_verifies_with_the_public_key() {
    let private = Credentials::new().with("merchant_key", key("rsa.pem"));
    let r = asym("rsa_sha256", "private_key", "merchant_key");
    let prepared = signed(
        &r,
        &private,
        PAY,
        (OPENSSL_TIME, None),
        json!({"amount": 100}),
    );
    // PKCS#1 v1.5 is deterministic: the exact bytes OpenSSL produced
    assert_eq!(prepared.header("X-Signature"), Some(RSA_SIG));
    let public = Credentials::new().with("provider_key", key("rsa.pub"));
    let verify = asym("rsa_sha256", "public_key", "provider_key");
    assert_eq!(verify_openssl(&verify, &public, RSA_SIG), Ok(()));
    assert!(verify_openssl(&verify, &public, PSS_SIG).is_err());
}

#[test]
fn rsa_pss_and_ecdsa_verify_openssl_signatures_and_their_own() {
    let pss = asym("rsa_pss_sha256", "public_key", "k");
    assert_eq!(
        verify_openssl(&pss, &Credentials::new().with("k", key("rsa.pub")), PSS_SIG),
        Ok(())
    );
    let ec = asym("ecdsa_p256_sha256", "public_key", "k");
    let ec_pub = Credentials::new().with("k", key("ec.pub"));
    assert_eq!(verify_openssl(&ec, &ec_pub, EC_SIG), Ok(()));
    assert!(verify_openssl(&ec, &ec_pub, RSA_SIG).is_err());
    // randomized schemes: what we sign verifies with the public key
    for (digest, private, public) in [
        ("rsa_pss_sha256", "rsa.pem", "rsa.pub"),
        ("ecdsa_p256_sha256", "ec.pem", "ec.pub"),
    ] {
        let creds = Credentials::new().with("k", key(private));
        let r = asym(digest, "private_key", "k");
        let prepared = signed(
            &r,
            &creds,
            PAY,
            (OPENSSL_TIME, None),
            json!({"amount": 100}),
        );
        let sig = prepared
            .header("X-Signature")
            .unwrap_or_default()
            .to_string();
        let pubc = Credentials::new().with("k", key(public));
        assert_eq!(
            verify_openssl(&asym(digest, "public_key", "k"), &pubc, &sig),
            Ok(()),
            "{digest}"
        );
    }
    assert_eq!(OPENSSL_MSG.len(), 48);
}

/// RFC 8032 section 7.1, TEST 2 (message 0x72), keys wrapped in PKCS#8 / SPKI PEM.
#[test]
fn ed25519_reproduces_rfc8032_test_2() {
    let secret = hex::decode("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")
        .expect("hex");
    let public = hex::decode("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
        .expect("hex");
    let pem = |label: &str, prefix: &str, key: &[u8]| {
        let der = [hex::decode(prefix).expect("hex"), key.to_vec()].concat();
        format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            b64(&der)
        )
    };
    let private_pem = pem("PRIVATE KEY", "302e020100300506032b657004220420", &secret);
    let public_pem = pem("PUBLIC KEY", "302a300506032b6570032100", &public);
    let expected = "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";
    let r = |use_: &str| {
        recipe(json!({
            "over": "raw_body", "digest": "ed25519", "secret": {"credential": "k", "use": use_},
            "encoding": "hex", "place": {"header": "X-Sig"}
        }))
    };
    let signer = Signer::from_recipe(
        &r("private_key"),
        &Credentials::new().with("k", private_pem),
    )
    .expect("signer");
    let view = SignInput::Raw(b"\x72").view(None);
    assert_eq!(signer.sign(&view).as_deref(), Ok(expected));
    let verifier = Signer::from_recipe(&r("public_key"), &Credentials::new().with("k", public_pem))
        .expect("verifier");
    assert_eq!(verifier.verify(&view, expected), Ok(()));
    assert!(verifier.sign(&view).is_err(), "a public key cannot sign");
    let other = SignInput::Raw(b"\x73").view(None);
    assert!(verifier.verify(&other, expected).is_err());
}

#[test]
fn value_template_body_field_and_header_both_with_generated_fields() {
    let r = recipe(json!({
        "over": "body_fields",
        "exclude": ["sign"],
        "generate": {"nonce": "uuid", "timestamp": "unix_seconds"},
        "fields": {"nonce_str": "{nonce}", "timestamp": "{timestamp}"},
        "canonical": {"pair": "{key}={value}", "join": "&"},
        "digest": "hmac_sha256",
        "secret": {"credential": "key", "use": "hmac_key"},
        "encoding": "hex_upper",
        "place": {"body_field": "sign"},
        "headers": {"Authorization": "Scheme {credential.app_id}:{signature}"}
    }));
    let creds = Credentials::new()
        .with("key", "k3y")
        .with("app_id", "app-9");
    let prepared = signed(
        &r,
        &creds,
        ("https://x.example", "/pay"),
        ("1700000000", Some("0f8fad5b-d9cb-469f-a165-70867728950e")),
        json!({"b": "2", "a": "1"}),
    );
    let message = "a=1&b=2&nonce_str=0f8fad5b-d9cb-469f-a165-70867728950e&timestamp=1700000000";
    let sig = hex::encode_upper(hmac256(b"k3y", message.as_bytes()));
    let sent: Value = serde_json::from_slice(&prepared.body).expect("json");
    assert_eq!(sent["sign"], json!(sig));
    assert_eq!(
        sent["nonce_str"],
        json!("0f8fad5b-d9cb-469f-a165-70867728950e")
    );
    assert_eq!(
        prepared.header("Authorization"),
        Some(format!("Scheme app-9:{sig}").as_str())
    );
    // and it is masked in Debug output
    assert!(!format!("{prepared:?}").contains(&format!("app-9:{sig}")));
    let _ = Arc::new(());
}

#[test]
fn field_signed_verification_refuses_what_the_signature_cannot_bind() {
    let r = recipe(json!({
        "over": "body_fields", "exclude": ["signature"],
        "canonical": {"key_case": "lower", "pair": "{key}:{value}", "join": ";", "suffix": ";"},
        "digest": "sha1", "secret": {"credential": "salt", "use": "append"},
        "encoding": "hex", "place": {"body_field": "signature"}
    }));
    let creds = Credentials::new().with("salt", "pepper");
    let signer = Signer::from_recipe(&r, &creds).expect("signer");
    let check = |body: Value| {
        let mut f = fields(body);
        let sig = {
            let input = SignInput::Fields(&f);
            let tree = input.tree();
            signer.sign(&input.view(tree.as_ref())).expect("sign")
        };
        f.insert("signature".into(), Value::String(sig));
        let received = Received {
            fields: Some(&f),
            refuse_ambiguous: true,
            ..Received::default()
        };
        verify_received(&signer, &received, &FixedClock(0))
    };
    assert_eq!(check(json!({"amount": "10", "status": "ok"})), Ok(()));
    assert!(check(json!({"status": "ok", "Status": "failed"})).is_err());
    assert!(check(json!({"amount": "10;status:ok", "x": "1"})).is_err());
    // answers on the client's own connection are not held to it
    let mut f = fields(json!({"message": "done; ok"}));
    let sig = {
        let input = SignInput::Fields(&f);
        let tree = input.tree();
        signer.sign(&input.view(tree.as_ref())).expect("sign")
    };
    f.insert("signature".into(), Value::String(sig));
    let answer = Received {
        fields: Some(&f),
        ..Received::default()
    };
    assert_eq!(verify_received(&signer, &answer, &FixedClock(0)), Ok(()));
}
