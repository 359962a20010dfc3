//! Tracing: each call is one `paygen.call` span carrying provider, operation, attempt, outcome
//! class, HTTP status, the provider's request id and the elapsed time; retries and signature
//! failures are events. A capturing subscriber checks the fields and that no canary secret,
//! card number or CVV appears anywhere in what was traced.

mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use paygen_runtime::{
    engine::Answers, engine::AuthSpec, engine::BodyEncoding, engine::Method, engine::OperationMeta,
    engine::ProviderMeta, engine::Repeat, signing::Recipe, Credentials, Engine, EngineConfig,
    FixedClock,
};
use serde_json::json;
use support::{start, Reply};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

const API_KEY: &str = "sk_live_CANARY_7731";
const SALT: &str = "salt_CANARY_1199";
const CARD: &str = "4111111111111111";
const CVV: &str = "737";

type Fields = BTreeMap<String, String>;

#[derive(Default)]
struct Visitor(Fields);

impl Visit for Visitor {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

#[derive(Default, Clone)]
struct Captured {
    spans: Arc<Mutex<Vec<(String, Fields)>>>,
    events: Arc<Mutex<Vec<Fields>>>,
}

struct Capture(Captured);

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut v = Visitor::default();
        attrs.record(&mut v);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(v.0);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut v = Visitor::default();
        values.record(&mut v);
        let mut extensions = span.extensions_mut();
        if let Some(fields) = extensions.get_mut::<Fields>() {
            fields.extend(v.0);
        }
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut v = Visitor::default();
        event.record(&mut v);
        v.0.insert("level".into(), event.metadata().level().to_string());
        self.0.events.lock().expect("lock").push(v.0);
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        let fields = span
            .extensions()
            .get::<Fields>()
            .cloned()
            .unwrap_or_default();
        let name = span.name().to_string();
        self.0.spans.lock().expect("lock").push((name, fields));
    }
}

fn op(name: &'static str, repeat: Repeat, verify: bool) -> OperationMeta {
    OperationMeta {
        name,
        method: Method::Post,
        host: "default",
        path: "/op",
        encoding: BodyEncoding::Json,
        repeat,
        money_moving: matches!(repeat, Repeat::Once { .. }),
        sign_request: true,
        verify_response: verify,
        provider_error: None,
        typed_error_statuses: false,
        accept: "application/json",
        answers: Answers::JSON,
        timeout: None,
    }
}

static HEADERS: [(&str, &str); 1] = [("X-Api-Key", "api_key")];

fn engine(url: String) -> Engine {
    let recipe: Recipe = serde_json::from_value(json!({
        "over": "raw_body", "digest": "hmac_sha256",
        "secret": {"credential": "salt", "use": "hmac_key"}, "encoding": "hex",
        "place": {"header": "X-Signature"}
    }))
    .expect("recipe");
    let provider = ProviderMeta {
        name: "tracepay",
        auth: AuthSpec {
            headers: &HEADERS,
            ..AuthSpec::default()
        },
        request_recipe: Some(recipe.clone()),
        response_recipe: Some(recipe),
        request_id_header: Some("X-Request-Id"),
    };
    let config = EngineConfig {
        timeout: Duration::from_millis(300),
        retry_backoff: Duration::from_millis(5),
        ..EngineConfig::default()
    };
    let creds = Credentials::new()
        .with("api_key", API_KEY)
        .with("salt", SALT);
    Engine::new(
        provider,
        vec![("default".into(), url)],
        creds,
        config,
        Arc::new(FixedClock(0)),
    )
    .expect("engine")
}

#[tokio::test]
async fn spans_and_events_carry_the_fields_and_no_sensitive_value() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::registry().with(Capture(captured.clone()));
    let _guard = tracing::subscriber::set_default(subscriber);

    let echo = format!(r#"{{"card":"{CARD}","cvv":"{CVV}","key":"{API_KEY}","salt":"{SALT}"}}"#);
    let server = start(vec![
        Reply::json(503, &echo).with_header("X-Request-Id", "req-1"),
        Reply::json(200, &echo).with_header("X-Request-Id", "req-2"),
        Reply::json(200, &echo)
            .with_header("X-Signature", "00")
            .with_header("X-Request-Id", "req-3"),
    ])
    .await;
    let e = engine(server.url());
    let body = json!({"card_number": CARD, "cvv": CVV, "amount": 100});
    let safe = op("list_payments", Repeat::Safe, false);
    e.execute(&safe, body.as_object().cloned())
        .await
        .expect("after one retry");
    let once = op(
        "pay",
        Repeat::Once {
            resolve: paygen_runtime::Resolve::Lookup {
                operation: "get_payment",
                key: &[("id", "id")],
            },
        },
        true,
    );
    let err = e
        .execute(&once, body.as_object().cloned())
        .await
        .expect_err("bad signature");
    assert!(err.is_outcome_unknown(), "{err:?}");
    drop(_guard);

    let spans = captured.spans.lock().expect("lock").clone();
    let calls: Vec<&Fields> = spans
        .iter()
        .filter(|(n, _)| n == "paygen.call")
        .map(|(_, f)| f)
        .collect();
    assert_eq!(calls.len(), 2, "{spans:?}");
    let field = |f: &Fields, k: &str| f.get(k).cloned().unwrap_or_default();
    let first = calls[0];
    assert_eq!(field(first, "provider"), "tracepay");
    assert_eq!(field(first, "operation"), "list_payments");
    assert_eq!(field(first, "money_moving"), "false");
    assert_eq!(field(first, "attempt"), "2");
    assert_eq!(field(first, "http_status"), "200");
    assert_eq!(field(first, "request_id"), "req-2");
    assert_eq!(field(first, "outcome"), "succeeded");
    assert!(
        field(first, "elapsed_ms").parse::<u64>().is_ok(),
        "{first:?}"
    );
    let second = calls[1];
    assert_eq!(field(second, "operation"), "pay");
    assert_eq!(field(second, "attempt"), "1");
    assert_eq!(field(second, "request_id"), "req-3");
    assert_eq!(field(second, "outcome"), "unknown");
    assert_eq!(field(second, "cause"), "bad_signature");

    let events = captured.events.lock().expect("lock").clone();
    let retry = events
        .iter()
        .find(|e| field(e, "message").contains("retrying"))
        .expect("retry event");
    assert_eq!(field(retry, "next_attempt"), "2");
    assert!(field(retry, "delay_ms").parse::<u64>().is_ok());
    let bad = events
        .iter()
        .find(|e| field(e, "message").contains("signature"))
        .expect("signature event");
    assert_eq!(field(bad, "operation"), "pay");
    assert_eq!(field(bad, "level"), "WARN");

    let all = format!("{spans:?} {events:?}");
    for canary in [API_KEY, SALT, CARD, "\"737\"", "=737"] {
        assert!(!all.contains(canary), "{canary} traced: {all}");
    }
}
