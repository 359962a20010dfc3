//! The outcome classifier, table-driven: every (phase x answer) cell, for a safe and for a
//! money-moving operation, through the real transport against a scripted loopback server.
//! Money-moving rule (issue 9): every answer that does not prove the outcome is
//! `OutcomeUnknown`, and the request is sent exactly once.

mod support;

use std::sync::Arc;
use std::time::Duration;

use paygen_runtime::{
    engine::decode, engine::Answers, engine::AuthSpec, engine::BodyEncoding, engine::Method,
    engine::OperationMeta, engine::ProviderError, engine::ProviderMeta, engine::RawResponse,
    engine::Repeat, json_path, signing::Recipe, CallOptions, Credentials, Engine, EngineConfig,
    Error, FixedClock,
};
use paygen_runtime::{OutcomeClass, UnknownCause};
use serde_json::json;
use support::{refused_addr, start, Reply};

const SALT: &str = "s4lt_SECRET";

fn envelope(raw: &RawResponse) -> Option<ProviderError> {
    let v = raw.json.as_ref()?;
    let code = json_path::text_at(v, "error.code")?;
    Some(ProviderError {
        code,
        message: String::new(),
    })
}

fn op(repeat: Repeat) -> OperationMeta {
    OperationMeta {
        name: "charge",
        method: Method::Post,
        host: "default",
        path: "/charges",
        encoding: BodyEncoding::Json,
        repeat,
        money_moving: matches!(repeat, Repeat::Once { .. }),
        sign_request: false,
        verify_response: true,
        provider_error: Some(envelope),
        typed_error_statuses: false,
        accept: "application/json",
        answers: Answers::JSON,
        timeout: None,
    }
}

const ONCE: Repeat = Repeat::Once {
    resolve: paygen_runtime::Resolve::Lookup {
        operation: "get_charge",
        key: &[("id", "id")],
    },
};

fn provider() -> ProviderMeta {
    let recipe: Recipe = serde_json::from_value(json!({
        "over": "raw_body", "digest": "hmac_sha256",
        "secret": {"credential": "salt", "use": "hmac_key"}, "encoding": "hex",
        "place": {"header": "X-Signature"}
    }))
    .expect("recipe");
    ProviderMeta {
        name: "tablepay",
        auth: AuthSpec::default(),
        request_recipe: None,
        response_recipe: Some(recipe),
        request_id_header: None,
    }
}

fn engine(url: String) -> Engine {
    let config = EngineConfig {
        connect_timeout: Duration::from_millis(300),
        timeout: Duration::from_millis(300),
        max_retries: 0,
        ..EngineConfig::default()
    };
    Engine::new(
        provider(),
        vec![("default".into(), url)],
        Credentials::new().with("salt", SALT),
        config,
        Arc::new(FixedClock(1_700_000_000)),
    )
    .expect("engine")
}

fn signed(status: u16, content_type: &str, body: &str) -> Reply {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SALT.as_bytes()).expect("key");
    mac.update(body.as_bytes());
    let sig = hex::encode(mac.finalize().into_bytes());
    Reply::typed(status, content_type, body).with_header("X-Signature", &sig)
}

fn truncated() -> Reply {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
    Reply::Raw {
        bytes: format!("{head}{{\"id\":\"ch_1\"").into_bytes(),
        hang: false,
    }
}

fn body_stalls() -> Reply {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
    Reply::Raw {
        bytes: format!("{head}{{\"id\":").into_bytes(),
        hang: true,
    }
}

/// What a cell must come back as: the class, and the unknown cause when unknown.
type Expect = (OutcomeClass, Option<UnknownCause>);

const OK: Expect = (OutcomeClass::Succeeded, None);
const fn unknown(cause: UnknownCause) -> Expect {
    (OutcomeClass::Unknown, Some(cause))
}

/// (phase, answer, script, safe operation, money-moving operation)
fn table() -> Vec<(&'static str, &'static str, Option<Reply>, Expect, Expect)> {
    use OutcomeClass as C;
    use UnknownCause as U;
    let json = "application/json";
    vec![
        (
            "connect",
            "refused",
            None,
            (C::NotSent, None),
            (C::NotSent, None),
        ),
        (
            "awaiting answer",
            "timeout",
            Some(Reply::Hang),
            unknown(U::Timeout),
            unknown(U::Timeout),
        ),
        (
            "awaiting answer",
            "reset",
            Some(Reply::Close),
            unknown(U::Reset),
            unknown(U::Reset),
        ),
        (
            "reading body",
            "truncated",
            Some(truncated()),
            unknown(U::TruncatedBody),
            unknown(U::TruncatedBody),
        ),
        (
            "reading body",
            "stalls",
            Some(body_stalls()),
            unknown(U::Timeout),
            unknown(U::Timeout),
        ),
        (
            "answered",
            "200 documented",
            Some(signed(200, json, r#"{"id":"ch_1"}"#)),
            OK,
            OK,
        ),
        (
            "answered",
            "200 wrong shape",
            Some(signed(200, json, r#"{"ident":1}"#)),
            (C::Undecodable, None),
            unknown(U::Undecodable),
        ),
        (
            "answered",
            "200 malformed JSON",
            Some(signed(200, json, r#"{"id":"ch_"#)),
            (C::Undecodable, None),
            unknown(U::Undecodable),
        ),
        (
            "answered",
            "200 HTML undeclared",
            Some(signed(200, "text/html", "<html>hi</html>")),
            (C::Undecodable, None),
            unknown(U::Undecodable),
        ),
        (
            "answered",
            "200 bad signature",
            Some(Reply::typed(200, json, r#"{"id":"ch_1"}"#).with_header("X-Signature", "00")),
            (C::BadSignature, None),
            unknown(U::BadSignature),
        ),
        (
            "answered",
            "200 missing signature",
            Some(Reply::typed(200, json, r#"{"id":"ch_1"}"#)),
            (C::BadSignature, None),
            unknown(U::BadSignature),
        ),
        (
            "answered",
            "200 error envelope",
            Some(signed(200, json, r#"{"error":{"code":"do_not_honor"}}"#)),
            (C::Declined, None),
            (C::Declined, None),
        ),
        (
            "answered",
            "302 undeclared",
            Some(Reply::typed(302, "text/html", "").with_header("Location", "/elsewhere")),
            (C::Refused, None),
            unknown(U::UnexpectedStatus(302)),
        ),
        (
            "answered",
            "400 plain",
            Some(Reply::typed(400, json, r#"{"bad":"request"}"#)),
            (C::Refused, None),
            (C::Refused, None),
        ),
        (
            "answered",
            "402 error envelope",
            Some(Reply::typed(
                402,
                json,
                r#"{"error":{"code":"insufficient_funds"}}"#,
            )),
            (C::Declined, None),
            (C::Declined, None),
        ),
        (
            "answered",
            "409 conflict",
            Some(Reply::typed(409, json, "{}")),
            (C::Refused, None),
            unknown(U::UnexpectedStatus(409)),
        ),
        (
            "answered",
            "500 plain",
            Some(Reply::typed(500, "text/plain", "oops")),
            (C::ServerError, None),
            unknown(U::ServerError(500)),
        ),
        (
            "answered",
            "502 HTML",
            Some(Reply::typed(502, "text/html", "<h1>Bad gateway</h1>")),
            (C::ServerError, None),
            unknown(U::ServerError(502)),
        ),
        (
            "answered",
            "503 error envelope",
            Some(Reply::typed(
                503,
                json,
                r#"{"error":{"code":"unavailable"}}"#,
            )),
            (C::ServerError, None),
            unknown(U::ServerError(503)),
        ),
    ]
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)] // read by Debug only: the field exists so that a wrong shape fails to decode
struct Charge {
    id: String,
}

async fn run(script: Option<Reply>, repeat: Repeat) -> (Result<Charge, Error>, usize) {
    let (url, server) = match script {
        Some(reply) => {
            let server = start(vec![reply]).await;
            (server.url(), Some(server))
        }
        None => (format!("http://{}", refused_addr().await), None),
    };
    let o = op(repeat);
    let body = json!({"amount": 100}).as_object().cloned();
    let result = engine(url)
        .call(&o, body, &CallOptions::default(), |raw| {
            decode("charge", raw)
        })
        .await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let sent = server.map_or(0, |s| s.seen().len());
    (result, sent)
}

fn observed(result: &Result<Charge, Error>) -> Expect {
    match result {
        Ok(_) => OK,
        Err(Error::OutcomeUnknown { cause, .. }) => (OutcomeClass::Unknown, Some(*cause)),
        Err(e) => (e.class(), None),
    }
}

#[tokio::test]
async fn every_phase_and_answer_is_classified_for_safe_and_money_moving_operations() {
    let mut wrong = Vec::new();
    for (phase, answer, script, safe, once) in table() {
        for (repeat, expected) in [(Repeat::Safe, safe), (ONCE, once)] {
            let (result, sent) = run(script.clone(), repeat).await;
            let got = observed(&result);
            let kind = if repeat == Repeat::Safe {
                "safe"
            } else {
                "money-moving"
            };
            if got != expected {
                wrong.push(format!(
                    "{phase} / {answer} / {kind}: expected {expected:?}, got {got:?} ({result:?})"
                ));
            }
            if script.is_some() && sent != 1 {
                wrong.push(format!("{phase} / {answer} / {kind}: sent {sent} times"));
            }
            if let Err(e @ Error::OutcomeUnknown { .. }) = &result {
                let text = e.to_string();
                assert!(
                    text.contains("`get_charge`") || repeat == Repeat::Safe,
                    "{text}"
                );
                assert!(text.contains("do not retry blindly"), "{text}");
            }
            if let Err(Error::Declined { .. }) = &result {
                assert!(
                    !answer.starts_with('5'),
                    "a 5xx is never a decline: {answer}"
                );
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn money_moving_unknown_outcomes_keep_the_reconcile_advice_and_a_redacted_excerpt() {
    let body = r#"{"card":"4111111111111111","n":"#;
    let (result, sent) = run(Some(signed(200, "application/json", body)), ONCE).await;
    assert_eq!(sent, 1);
    match result {
        Err(e @ Error::OutcomeUnknown { .. }) => {
            let Error::OutcomeUnknown {
                money_moving,
                ref reconcile,
                ref reason,
                ..
            } = e
            else {
                unreachable!()
            };
            assert!(money_moving);
            assert!(
                matches!(
                    reconcile,
                    paygen_runtime::Reconcile::Lookup {
                        operation: "get_charge",
                        ..
                    }
                ),
                "{reconcile:?}"
            );
            assert!(reason.contains("411111******1111"), "{reason}");
            assert!(!format!("{e} {e:?}").contains("4111111111111111"));
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
}
