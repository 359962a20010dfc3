//! Engine tests against a scripted loopback HTTP/1.1 server: exact requests, auth, signing,
//! error phases (not connected / outcome unknown / HTTP / declined / bad signature), retries.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use paygen_runtime::UnknownCause;
use paygen_runtime::{
    engine::decode, engine::Answers, engine::AuthSpec, engine::BodyEncoding, engine::Method,
    engine::OperationMeta, engine::ProviderError, engine::ProviderMeta, engine::RawResponse,
    engine::Repeat, signing::Recipe, Credentials, Engine, EngineConfig, Error, FixedClock,
};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use support::{refused_addr, start, Reply};

const CARD: &str = "4111111111111111";
const API_KEY: &str = "key_live_SECRET123";
const PASSWORD: &str = "pw_TOPSECRET";
const SALT: &str = "s4lt_SECRET";

static AUTH_HEADERS: [(&str, &str); 1] = [("X-Api-Key", "api_key")];

fn op(name: &'static str, method: Method, path: &'static str, repeat: Repeat) -> OperationMeta {
    OperationMeta {
        name,
        method,
        host: "default",
        path,
        encoding: BodyEncoding::Json,
        repeat,
        money_moving: true,
        sign_request: false,
        verify_response: false,
        provider_error: None,
        typed_error_statuses: false,
        accept: "application/json",
        answers: Answers::JSON,
        timeout: None,
    }
}

const ONCE: Repeat = Repeat::Once {
    resolve: paygen_runtime::Resolve::Lookup {
        operation: "get_payment",
        key: &[("payment_id", "payment_id")],
    },
};

fn recipe(json: Value) -> Recipe {
    serde_json::from_value(json).expect("recipe")
}

fn body_field_recipe() -> Recipe {
    recipe(json!({
        "over": "body_fields", "exclude": ["signature"], "digest": "sha256",
        "secret": {"credential": "salt", "use": "append"}, "encoding": "hex",
        "place": {"body_field": "signature"}
    }))
}

fn header_hmac_recipe() -> Recipe {
    recipe(json!({
        "over": "raw_body", "digest": "hmac_sha256",
        "secret": {"credential": "salt", "use": "hmac_key"}, "encoding": "base64",
        "place": {"header": "X-Signature"}
    }))
}

fn provider(request_recipe: Option<Recipe>, response_recipe: Option<Recipe>) -> ProviderMeta {
    ProviderMeta {
        name: "testpay",
        auth: AuthSpec {
            headers: &AUTH_HEADERS,
            basic: Some(("user", "password")),
            oauth2: None,
        },
        request_recipe,
        response_recipe,
        request_id_header: None,
    }
}

fn creds() -> Credentials {
    Credentials::new()
        .with("api_key", API_KEY)
        .with("user", "merchant")
        .with("password", PASSWORD)
        .with("salt", SALT)
}

fn fast_config() -> EngineConfig {
    EngineConfig {
        connect_timeout: Duration::from_millis(300),
        timeout: Duration::from_millis(300),
        max_retries: 2,
        retry_backoff: Duration::from_millis(10),
        max_retry_after: Duration::from_millis(50),
        extra_headers: vec![("X-Fault".into(), "none".into())],
        ..EngineConfig::default()
    }
}

fn engine_with(url: String, p: ProviderMeta) -> Engine {
    let hosts = vec![("default".to_string(), url)];
    Engine::new(
        p,
        hosts,
        creds(),
        fast_config(),
        Arc::new(FixedClock(1_700_000_000)),
    )
    .expect("engine")
}

fn engine(url: String) -> Engine {
    engine_with(url, provider(None, None))
}

fn obj(v: Value) -> Option<Map<String, Value>> {
    match v {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn hmac_b64(key: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("hmac key");
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[tokio::test]
async fn json_post_sends_exact_method_path_headers_and_body() {
    let server = start(vec![Reply::json(201, r#"{"id":"pay_1","amount":40.11}"#)]).await;
    let e = engine(format!("{}/api/", server.url()));
    let o = op("create_payment", Method::Post, "/v1/payments", ONCE);
    let raw = e
        .execute(&o, obj(json!({"amount": 4011, "currency": "EUR"})))
        .await
        .expect("ok");
    assert_eq!(raw.status, 201);
    let json = raw.json.as_ref().map(|j| j.value().into_owned());
    assert_eq!(json, Some(json!({"id": "pay_1", "amount": 40.11})));

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let r = &seen[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/api/v1/payments");
    assert_eq!(r.body, br#"{"amount":4011,"currency":"EUR"}"#);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("accept"), Some("application/json"));
    assert_eq!(r.header("x-api-key"), Some(API_KEY));
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("merchant:{PASSWORD}"));
    assert_eq!(
        r.header("authorization"),
        Some(format!("Basic {basic}").as_str())
    );
    assert_eq!(r.header("x-fault"), Some("none"));
    assert_eq!(r.header("content-length"), Some("32"));

    #[derive(serde::Deserialize)]
    struct Created {
        id: String,
        amount: paygen_runtime::Decimal,
    }
    let created: Created = decode("create_payment", &raw).expect("decode");
    assert_eq!(created.id, "pay_1");
    assert_eq!(
        created.amount.to_minor(2),
        Some(paygen_runtime::MinorUnits(4011))
    );
}

#[tokio::test]
async fn form_body_signed_in_a_body_field_goes_last() {
    let server = start(vec![Reply::json(200, "{}")]).await;
    let e = engine_with(server.url(), provider(Some(body_field_recipe()), None));
    let mut o = op("create_payment", Method::Post, "/pay", ONCE);
    o.encoding = BodyEncoding::Form;
    o.sign_request = true;
    let body =
        obj(json!({"txnid": "t 1&2", "signature": "stale", "amount": "40.11", "n": 7, "ok": true}));
    e.execute(&o, body).await.expect("ok");

    let expected_sig = sha256_hex(&format!("amount=40.11&n=7&ok=true&txnid=t 1&2{SALT}"));
    let seen = server.seen();
    assert_eq!(
        seen[0].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8_lossy(&seen[0].body),
        format!("txnid=t+1%262&amount=40.11&n=7&ok=true&signature={expected_sig}")
    );
}

#[tokio::test]
async fn get_fills_the_path_and_puts_fields_in_the_query() {
    let server = start(vec![Reply::json(200, r#"{"status":"paid"}"#)]).await;
    let e = engine(server.url());
    let o = op(
        "get_payment",
        Method::Get,
        "/v1/payments/{id}",
        Repeat::Safe,
    );
    e.execute(&o, obj(json!({"id": "pay/1", "expand": true})))
        .await
        .expect("ok");
    let r = &server.seen()[0];
    assert_eq!(r.method, "GET");
    assert_eq!(r.path, "/v1/payments/pay%2F1?expand=true");
    assert!(r.body.is_empty());
    assert_eq!(r.header("content-type"), None);

    let missing = e.prepare(&o, None).expect_err("id missing");
    assert!(missing.nothing_sent());
    assert!(matches!(&missing, Error::InvalidRequest(v) if v.errors[0].path == "id"));
}

#[tokio::test]
async fn header_signature_covers_the_exact_body_bytes() {
    let server = start(vec![Reply::json(200, "{}")]).await;
    let e = engine_with(server.url(), provider(Some(header_hmac_recipe()), None));
    let mut o = op("refund", Method::Post, "/refunds", ONCE);
    o.sign_request = true;
    e.execute(&o, obj(json!({"payment": "pay_1", "amount": 500})))
        .await
        .expect("ok");
    let r = &server.seen()[0];
    assert_eq!(r.body, br#"{"payment":"pay_1","amount":500}"#);
    assert_eq!(
        r.header("x-signature"),
        Some(hmac_b64(SALT, &r.body).as_str())
    );
}

#[tokio::test]
async fn once_operation_hit_by_a_timeout_is_outcome_unknown_and_sent_exactly_once() {
    let server = start(vec![Reply::Hang, Reply::json(200, "{}")]).await;
    let e = engine(server.url());
    let o = op("create_payment", Method::Post, "/v1/payments", ONCE);
    let started = Instant::now();
    let err = e
        .execute(&o, obj(json!({"amount": 1})))
        .await
        .expect_err("timeout");
    assert!(started.elapsed() < Duration::from_secs(3));
    match &err {
        Error::OutcomeUnknown {
            operation,
            money_moving,
            reconcile,
            ..
        } => {
            assert_eq!(*operation, "create_payment");
            assert!(*money_moving);
            assert!(
                matches!(
                    reconcile,
                    paygen_runtime::Reconcile::Lookup {
                        operation: "get_payment",
                        ..
                    }
                ),
                "{reconcile:?}"
            );
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
    assert!(err.is_outcome_unknown() && !err.nothing_sent());
    let text = err.to_string();
    assert!(
        text.contains("`get_payment`") && text.contains("do not retry blindly"),
        "{text}"
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn once_operation_reset_after_sending_is_outcome_unknown_and_sent_once() {
    let server = start(vec![Reply::Close, Reply::json(200, "{}")]).await;
    let e = engine(server.url());
    let o = op("capture", Method::Post, "/capture", ONCE);
    let err = e
        .execute(&o, obj(json!({"amount": 1})))
        .await
        .expect_err("reset");
    assert!(err.is_outcome_unknown(), "{err:?}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn once_operation_is_not_retried_on_503() {
    let server = start(vec![Reply::json(503, "{}").with_header("Retry-After", "0")]).await;
    let e = engine(server.url());
    let err = e
        .execute(&op("pay", Method::Post, "/p", ONCE), None)
        .await
        .expect_err("503");
    // A 5xx does not prove the outcome of a money-moving request (issue 9): unknown.
    assert!(
        matches!(
            err,
            Error::OutcomeUnknown {
                cause: UnknownCause::ServerError(503),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn safe_operation_is_retried_on_503_and_succeeds() {
    let server = start(vec![
        Reply::json(503, "{}").with_header("Retry-After", "0"),
        Reply::json(429, "{}").with_header("Retry-After", "3600"), // capped at 50 ms
        Reply::json(200, r#"{"status":"paid"}"#),
    ])
    .await;
    let e = engine(server.url());
    let started = Instant::now();
    let raw = e
        .execute(&op("get_payment", Method::Get, "/p/1", Repeat::Safe), None)
        .await
        .expect("ok");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(raw.status, 200);
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn safe_operation_is_retried_after_a_timeout() {
    let server = start(vec![Reply::Hang, Reply::json(200, "{}")]).await;
    let e = engine(server.url());
    let raw = e
        .execute(&op("get_payment", Method::Get, "/p/1", Repeat::Safe), None)
        .await
        .expect("ok");
    assert_eq!(raw.status, 200);
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn safe_operation_gives_up_after_max_retries() {
    let script = (0..5).map(|_| Reply::json(502, "bad gateway")).collect();
    let server = start(script).await;
    let e = engine(server.url());
    let err = e
        .execute(&op("get_payment", Method::Get, "/p/1", Repeat::Safe), None)
        .await
        .expect_err("502");
    // A 5xx on a safe operation is a server error, never a decline nor a refusal (issue 9).
    assert!(
        matches!(&err, Error::Server { status: 502, body_excerpt, .. } if body_excerpt == "bad gateway"),
        "{err:?}"
    );
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn connection_refused_is_not_connected_and_nothing_sent() {
    let addr = refused_addr().await;
    let e = engine(format!("http://{addr}"));
    let err = e
        .execute(
            &op("create_payment", Method::Post, "/p", ONCE),
            obj(json!({"a": 1})),
        )
        .await;
    let err = err.expect_err("refused");
    assert!(
        matches!(
            err,
            Error::NotConnected {
                operation: "create_payment",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.nothing_sent() && !err.is_outcome_unknown());
    let safe = e
        .execute(&op("get_payment", Method::Get, "/p", Repeat::Safe), None)
        .await;
    assert!(matches!(safe, Err(Error::NotConnected { .. })));
}

fn envelope(raw: &RawResponse) -> Option<ProviderError> {
    let v = raw.json.as_ref()?;
    let code = paygen_runtime::json_path::text_at(v, "error.code")?;
    let message = paygen_runtime::json_path::text_at(v, "error.message").unwrap_or_default();
    Some(ProviderError { code, message })
}

#[tokio::test]
async fn provider_envelope_is_declined_and_redacted() {
    let body =
        format!(r#"{{"error":{{"code":"card_declined","message":"card {CARD} declined"}}}}"#);
    let server = start(vec![Reply::json(200, &body), Reply::json(402, &body)]).await;
    let e = engine(server.url());
    let mut o = op("pay", Method::Post, "/p", ONCE);
    o.provider_error = Some(envelope);
    for status in [200, 402] {
        match e.execute(&o, None).await {
            Err(Error::Declined {
                http_status,
                code,
                message,
                ..
            }) => {
                assert_eq!(http_status, status);
                assert_eq!(code, "card_declined");
                assert_eq!(message, "card 411111******1111 declined");
            }
            other => panic!("expected Declined, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn http_error_excerpt_is_redacted() {
    let body = format!(r#"{{"pan":"{CARD}","note":"{CARD}","cvv":"123"}}"#);
    let server = start(vec![Reply::json(500, &body)]).await;
    let e = engine(server.url());
    let err = e
        .execute(&op("pay", Method::Post, "/p", ONCE), None)
        .await
        .expect_err("500");
    let shown = format!("{err} {err:?}");
    assert!(
        !shown.contains(CARD) && !shown.contains("\"123\""),
        "{shown}"
    );
    assert!(shown.contains("411111******1111"), "{shown}");
}

#[tokio::test]
async fn response_signature_in_a_body_field_is_verified() {
    let sig = sha256_hex(&format!("id=pay_1&status=paid{SALT}"));
    let good = format!(r#"{{"id":"pay_1","status":"paid","signature":"{sig}"}}"#);
    let forged = format!(r#"{{"id":"pay_1","status":"refunded","signature":"{sig}"}}"#);
    let server = start(vec![
        Reply::json(200, &good),
        Reply::json(200, &forged),
        Reply::json(200, r#"{"id":"x"}"#),
    ])
    .await;
    let e = engine_with(server.url(), provider(None, Some(body_field_recipe())));
    let mut o = op("get_payment", Method::Get, "/p/1", Repeat::Safe);
    o.verify_response = true;
    assert!(e.execute(&o, None).await.is_ok());
    for _ in 0..2 {
        let err = e.execute(&o, None).await.expect_err("bad signature");
        assert!(
            matches!(
                err,
                Error::BadSignature {
                    what: "response",
                    ..
                }
            ),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn response_signature_in_a_header_is_verified_over_raw_bytes() {
    let body = r#"{"id":"pay_1"}"#;
    let sig = hmac_b64(SALT, body.as_bytes());
    let server = start(vec![
        Reply::json(200, body).with_header("X-Signature", &sig),
        Reply::json(200, body).with_header("X-Signature", "AAAA"),
    ])
    .await;
    let e = engine_with(server.url(), provider(None, Some(header_hmac_recipe())));
    let mut o = op("get_payment", Method::Get, "/p/1", Repeat::Safe);
    o.verify_response = true;
    assert!(e.execute(&o, None).await.is_ok());
    assert!(matches!(
        e.execute(&o, None).await,
        Err(Error::BadSignature { .. })
    ));
}

#[tokio::test]
async fn undecodable_bodies_are_reported_with_a_redacted_excerpt() {
    let server = start(vec![Reply::json(200, &format!("<html>{CARD}</html>"))]).await;
    let e = engine(server.url());
    let raw = e
        .execute(&op("pay", Method::Post, "/p", ONCE), None)
        .await
        .expect("2xx");
    assert!(raw.json.is_none());
    let err = decode::<Value>("pay", &raw).expect_err("not json");
    match &err {
        Error::Undecodable {
            operation,
            body_excerpt,
            ..
        } => {
            assert_eq!(*operation, "pay");
            assert_eq!(body_excerpt, "<html>411111******1111</html>");
        }
        other => panic!("expected Undecodable, got {other:?}"),
    }
    let empty = RawResponse {
        status: 204,
        headers: Default::default(),
        body: Default::default(),
        json: None,
    };
    assert_eq!(decode::<Option<u8>>("x", &empty).ok(), Some(None));
}

#[test]
fn debug_output_never_shows_secrets_or_card_numbers() {
    let e = engine_with(
        "http://127.0.0.1:9".into(),
        provider(Some(body_field_recipe()), None),
    );
    let mut o = op("pay", Method::Post, "/p", ONCE);
    o.sign_request = true;
    let prepared = e
        .prepare(
            &o,
            obj(json!({"card_number": CARD, "note": CARD, "merchant": API_KEY})),
        )
        .expect("prepare");
    // the wire itself carries everything
    let wire = String::from_utf8_lossy(&prepared.body).to_string();
    assert!(wire.contains(CARD) && wire.contains(API_KEY));
    assert!(prepared.headers.iter().any(|(_, v)| v == API_KEY));
    for shown in [format!("{e:?}"), format!("{prepared:?}")] {
        for secret in [CARD, API_KEY, PASSWORD, SALT, "merchant:"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(!shown.contains(
            &base64::engine::general_purpose::STANDARD.encode(format!("merchant:{PASSWORD}"))
        ));
    }
    assert!(format!("{prepared:?}").contains("411111******1111"));
}

#[test]
fn construction_checks_credentials_and_urls() {
    let hosts = |u: &str| vec![("default".to_string(), u.to_string())];
    let clock = Arc::new(FixedClock(0));
    let missing = Engine::new(
        provider(None, None),
        hosts("http://127.0.0.1:9"),
        Credentials::new(),
        fast_config(),
        clock.clone(),
    );
    let err = missing.expect_err("missing credentials");
    assert!(matches!(&err, Error::Config(m) if m.contains("missing credential")));
    let bad_url = Engine::new(
        provider(None, None),
        hosts("ftp://x"),
        creds(),
        fast_config(),
        clock.clone(),
    );
    assert!(matches!(bad_url, Err(Error::Config(_))));
    // plain http:// off loopback is refused unless the configuration allows it (a simulator)
    let plain = Engine::new(
        provider(None, None),
        hosts("http://x"),
        creds(),
        fast_config(),
        clock.clone(),
    );
    assert!(matches!(&plain, Err(Error::Config(m)) if m.contains("plain http")));
    let allowed = paygen_runtime::EngineConfig {
        allow_plain_http: true,
        ..fast_config()
    };
    assert!(Engine::new(
        provider(None, None),
        hosts("http://x"),
        creds(),
        allowed,
        clock.clone()
    )
    .is_ok());
    let e = Engine::new(
        provider(None, None),
        hosts("http://127.0.0.1:9"),
        creds(),
        fast_config(),
        clock,
    )
    .expect("ok");
    let mut o = op("pay", Method::Post, "/p", ONCE);
    o.host = "payouts";
    assert!(matches!(e.prepare(&o, None), Err(Error::Config(m)) if m.contains("payouts")));
    assert_eq!(e.credential("api_key").ok().as_deref(), Some(API_KEY));
    assert!(e.credential("nope").is_err());
    assert_eq!(e.clock().now_unix(), 0);
}

#[test]
fn engine_is_shareable_and_its_future_is_send() {
    fn send_sync<T: Send + Sync + Clone>(_: &T) {}
    fn send<T: Send>(_: T) {}
    let e = engine("http://127.0.0.1:9".into());
    send_sync(&e);
    let o = op("pay", Method::Post, "/p", ONCE);
    send(e.execute(&o, None));
}
