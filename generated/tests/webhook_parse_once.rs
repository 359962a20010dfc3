//! A notification parsed once (signature checked over the raw bytes, then only the fields the
//! event conditions read, then the event decoded from the bytes) reads exactly as the whole
//! parse does: for every body below, `receive_webhook` and `Client::receive_webhook` give the
//! same event, or the same error, as verifying into the whole field map and picking the event
//! from it (`WebhookVerifier::verify` + `WebhookEvent::from_fields`, the path every body took
//! before). Global Solutions signs the raw body in a header, so its notifications take the fast
//! path; bodies the fast path must not take (escapes, deep nesting, repeated keys, type errors,
//! bad JSON) are among them.

use hmac::Mac as _;
use paygen_connectors::global_solutions as gs;
use paygen_runtime::{http, Secret};

const SECRET: &str = "1234ABCD";

fn credentials() -> gs::Credentials {
    gs::Credentials {
        public_id: "pbid_test".to_string(),
        api_secret: Secret::new(SECRET),
    }
}

fn signed_headers(body: &[u8]) -> http::HeaderMap {
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).expect("any key length");
    mac.update(body);
    let value = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        hex::encode(mac.finalize().into_bytes()),
    );
    let mut headers = http::HeaderMap::new();
    headers.insert("content-type", "application/json".parse().expect("header"));
    headers.insert("content-hmac", value.parse().expect("header"));
    headers
}

/// The whole parse, as before: the verified field map, then the event picked from it.
fn whole(
    verifier: &paygen_runtime::WebhookVerifier,
    headers: &http::HeaderMap,
    body: &[u8],
) -> Result<gs::WebhookEvent, String> {
    verifier
        .verify(headers, body)
        .and_then(gs::WebhookEvent::from_fields)
        .map_err(|e| e.to_string())
}

const HEAD: &str = r#""transactionId":144221,"amount":12.30,"currency":"EUR","invoiceId":"11928485","accountId":"john@doe.com""#;

fn bodies() -> Vec<String> {
    let kinds = [
        r#""operationType":"Payment","status":"Completed""#,
        r#""operationTypeCode":1,"statusCode":4"#,
        r#""operationType":"Payment","status":"Created""#,
        r#""operationType":"Refund","status":"RefundCompleted""#,
        r#""operationType":"CardPayout","status":"Declined""#,
        r#""operationType":"Payment","status":"Somewhere else""#,
        r#""operationTypeCode":"1","statusCode":4.0"#,
        r#""operationType":"Payment","status":"Completed","status":"Declined""#,
        r#""operationType":"Pay\u006dent","status":"Completed""#,
        "",
    ];
    let tails = [
        "",
        r#","merchantData":"xxxxxxxxxxxxxxxxxxxxxxxx""#,
        r#","merchantData":"\ud800""#,
        r#","merchantData":"caf\u00e9 \"quoted\" \\ /""#,
        r#","extra":{"a":[1,2,{"b":null}],"c":1e400,"d":-0.0}"#,
        r#","transactionId":"not a number""#,
        r#","transactionId":144222"#,
        r#","amount":"12.30""#,
        r#","amount":12.300000000000000000001"#,
        r#","name":null,"token":"t","cardType":"Visa""#,
    ];
    let mut out = Vec::new();
    for kind in kinds {
        for tail in tails {
            let sep = if kind.is_empty() { "" } else { "," };
            out.push(format!("{{{HEAD}{sep}{kind}{tail}}}"));
        }
    }
    let deep = format!(
        r#"{{"operationType":"Payment","status":"Completed","x":{}1{}}}"#,
        "[".repeat(130),
        "]".repeat(130)
    );
    out.extend([
        deep,
        r#"{"operationType":"Payment","status":"Completed"} trailing"#.to_string(),
        r#"["not","an","object"]"#.to_string(),
        String::new(),
        "{".to_string(),
        r#"{"operationType":"Payment","status":"Completed","bad":"\x"}"#.to_string(),
    ]);
    out
}

#[test]
fn parsing_once_reads_every_body_as_the_whole_parse() {
    let verifier = gs::webhook_verifier(&credentials()).expect("verifier");
    let client = gs::Client::with_base_url("http://127.0.0.1:9", credentials(), Default::default())
        .expect("client");
    let mut decoded = 0;
    for body in bodies() {
        let headers = signed_headers(body.as_bytes());
        let expected = whole(&verifier, &headers, body.as_bytes());
        let once = gs::receive_webhook(&verifier, &headers, body.as_bytes())
            .map(|n| n.event)
            .map_err(|e| e.to_string());
        assert_eq!(once, expected, "{body}");
        let by_client = client
            .receive_webhook(&headers, body.as_bytes())
            .map(|n| n.event)
            .map_err(|e| e.to_string());
        assert_eq!(by_client, expected, "client: {body}");
        let one_call = gs::verify_webhook(&credentials(), &headers, body.as_bytes())
            .map_err(|e| e.to_string());
        assert_eq!(one_call, expected, "verify_webhook: {body}");
        decoded += usize::from(expected.is_ok());
    }
    // the list exercises both outcomes
    assert!(decoded > 40, "{decoded} bodies decoded");
}

#[test]
fn a_bad_signature_is_refused_before_anything_is_parsed() {
    let verifier = gs::webhook_verifier(&credentials()).expect("verifier");
    let body = br#"{"operationType":"Payment","status":"Completed"}"#;
    let mut headers = signed_headers(body);
    let tampered = br#"{"operationType":"Payment","status":"Completed "}"#;
    let err = gs::receive_webhook(&verifier, &headers, tampered).expect_err("tampered");
    assert!(
        matches!(err, paygen_runtime::Error::BadSignature { .. }),
        "{err:?}"
    );
    // not JSON, and not signed: the signature is what is reported
    let err = gs::receive_webhook(&verifier, &headers, b"{not json").expect_err("unsigned");
    assert!(
        matches!(err, paygen_runtime::Error::BadSignature { .. }),
        "{err:?}"
    );
    headers.remove("content-hmac");
    let err = gs::receive_webhook(&verifier, &headers, body).expect_err("no signature");
    assert!(
        matches!(err, paygen_runtime::Error::BadSignature { .. }),
        "{err:?}"
    );
}

#[test]
fn a_blank_secret_is_refused_by_the_client_and_by_the_verifier() {
    let blank = || gs::Credentials {
        public_id: "pbid_test".to_string(),
        api_secret: Secret::new("  "),
    };
    // the client's requests need the same secret, so the client refuses it when built
    let client = gs::Client::with_base_url("http://127.0.0.1:9", blank(), Default::default());
    assert!(
        matches!(client, Err(paygen_runtime::Error::Config(_))),
        "{client:?}"
    );
    let verifier = gs::webhook_verifier(&blank());
    assert!(
        matches!(verifier, Err(paygen_runtime::Error::Config(_))),
        "{verifier:?}"
    );
}
