//! The pluggable transport: a user's `reqwest::Client`, per-operation and per-call timeouts,
//! the wire hook (observe and adjust after signing), and the `Repeat::Once` guarantee against
//! a client that retries or follows redirects on its own.

mod support;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use paygen_runtime::engine::{Exchanged, Hook, IncomingResponse, OutgoingRequest};
use paygen_runtime::UnknownCause;
use paygen_runtime::{
    engine::Answers, engine::AuthSpec, engine::BodyEncoding, engine::Method, engine::OperationMeta,
    engine::ProviderMeta, engine::Repeat, CallOptions, Credentials, Engine, EngineConfig, Error,
    FixedClock,
};
use serde_json::json;
use support::{refused_addr, start, Reply};

const ONCE: Repeat = Repeat::Once {
    resolve: paygen_runtime::Resolve::Lookup {
        operation: "get_payment",
        key: &[("id", "id")],
    },
};

fn op(repeat: Repeat, timeout: Option<Duration>) -> OperationMeta {
    OperationMeta {
        name: "pay",
        method: Method::Post,
        host: "default",
        path: "/pay",
        encoding: BodyEncoding::Json,
        repeat,
        money_moving: matches!(repeat, Repeat::Once { .. }),
        sign_request: false,
        verify_response: false,
        provider_error: None,
        typed_error_statuses: false,
        accept: "application/json",
        answers: Answers::JSON,
        timeout,
    }
}

fn engine(url: String, config: EngineConfig) -> Engine {
    let provider = ProviderMeta {
        name: "wirepay",
        auth: AuthSpec::default(),
        request_recipe: None,
        response_recipe: None,
        request_id_header: None,
    };
    Engine::new(
        provider,
        vec![("default".into(), url)],
        Credentials::new(),
        config,
        Arc::new(FixedClock(0)),
    )
    .expect("engine")
}

fn body() -> Option<serde_json::Map<String, serde_json::Value>> {
    json!({"amount": 100}).as_object().cloned()
}

/// A client that follows redirects and retries every 5xx and error on its own.
fn reckless_client() -> reqwest::Client {
    let retry = reqwest::retry::for_host("127.0.0.1")
        .no_budget()
        .max_retries_per_request(3)
        .classify_fn(|rr| {
            if rr.status().is_none_or(|s| s.is_server_error()) {
                rr.retryable()
            } else {
                rr.success()
            }
        });
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-user-client", "yes".parse().expect("value"));
    reqwest::Client::builder()
        .retry(retry)
        .default_headers(headers)
        .build()
        .expect("client")
}

#[tokio::test]
async fn the_users_client_is_used_and_cannot_resend_a_money_moving_request() {
    let server = start(vec![
        Reply::json(503, "{}"),
        Reply::json(307, "{}").with_header("Location", "/again"),
        Reply::json(503, "{}"),
        Reply::json(503, "{}"),
        Reply::json(200, "{}"),
    ])
    .await;
    let config = EngineConfig {
        http_client: Some(reckless_client()),
        max_retries: 0,
        ..EngineConfig::default()
    };
    let e = engine(server.url(), config);
    let err = e.execute(&op(ONCE, None), body()).await.expect_err("503");
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
    let err = e.execute(&op(ONCE, None), body()).await.expect_err("307");
    assert!(
        matches!(
            err,
            Error::OutcomeUnknown {
                cause: UnknownCause::UnexpectedStatus(307),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.seen().len(), 2, "one send per money-moving call");
    assert!(server
        .seen()
        .iter()
        .all(|r| r.header("x-user-client") == Some("yes")));
    // the same client does retry a safe request on its own (its policy, not the engine's)
    e.execute(&op(Repeat::Safe, None), body())
        .await
        .expect("retried by the client");
    assert_eq!(server.seen().len(), 5);
}

#[tokio::test]
async fn a_followed_redirect_is_reported_not_mistaken_for_the_answer() {
    let server = start(vec![
        Reply::json(303, "{}").with_header("Location", "/elsewhere"),
        Reply::json(200, r#"{"page":"elsewhere"}"#),
    ])
    .await;
    let config = EngineConfig {
        http_client: Some(reqwest::Client::new()),
        ..EngineConfig::default()
    };
    let e = engine(server.url(), config);
    let err = e
        .execute(&op(ONCE, None), body())
        .await
        .expect_err("followed");
    assert!(
        matches!(
            err,
            Error::OutcomeUnknown {
                cause: UnknownCause::RedirectFollowed,
                ..
            }
        ),
        "{err:?}"
    );
    let posts = server.seen().iter().filter(|r| r.method == "POST").count();
    assert_eq!(posts, 1);
}

#[tokio::test]
async fn timeouts_come_from_the_call_then_the_operation_then_the_config() {
    let server = start(vec![Reply::Hang, Reply::Hang]).await;
    let config = EngineConfig {
        timeout: Duration::from_secs(20),
        ..EngineConfig::default()
    };
    let e = engine(server.url(), config);
    let started = Instant::now();
    let err = e
        .execute(&op(ONCE, Some(Duration::from_millis(150))), body())
        .await
        .expect_err("op timeout");
    assert!(
        matches!(
            err,
            Error::OutcomeUnknown {
                cause: UnknownCause::Timeout,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("150ms"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(3));
    let started = Instant::now();
    let call = CallOptions {
        timeout: Some(Duration::from_millis(120)),
    };
    let err = e
        .execute_with(&op(ONCE, Some(Duration::from_secs(10))), body(), &call)
        .await
        .expect_err("call timeout");
    assert!(err.to_string().contains("120ms"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[derive(Debug, Default)]
struct Recorder {
    target: Mutex<Option<reqwest::Url>>,
    requests: AtomicU32,
    statuses: Mutex<Vec<(u32, u16)>>,
    bodies: Mutex<Vec<(u32, u16, Vec<u8>)>>,
}

impl Hook for Recorder {
    fn on_request(&self, request: &mut OutgoingRequest<'_>) {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let id = format!("{}-{}", request.operation, request.attempt);
        request
            .headers
            .insert("x-request-id", id.parse().expect("header value"));
        assert_eq!(request.body(), br#"{"amount":100}"#);
        if let Some(target) = self.target.lock().expect("lock").clone() {
            let _ = request.url.set_port(target.port());
        }
    }

    fn on_response(&self, response: &IncomingResponse<'_>) {
        self.statuses
            .lock()
            .expect("lock")
            .push((response.attempt, response.status));
    }

    fn on_answer(&self, answer: &Exchanged<'_>) {
        self.bodies.lock().expect("lock").push((
            answer.attempt,
            answer.status,
            answer.body.to_vec(),
        ));
    }
}

#[tokio::test]
async fn the_hook_sees_every_attempt_after_signing_and_may_redirect_to_a_proxy() {
    let server = start(vec![
        Reply::json(503, r#"{"busy":true}"#),
        Reply::json(200, r#"{"ok":true}"#),
    ])
    .await;
    let hook = Arc::new(Recorder::default());
    *hook.target.lock().expect("lock") = Some(reqwest::Url::parse(&server.url()).expect("url"));
    let config = EngineConfig {
        hook: Some(hook.clone()),
        retry_backoff: Duration::from_millis(5),
        ..EngineConfig::default()
    };
    // the configured base URL refuses connections; the hook points the request at the server
    let dead = format!("http://{}", refused_addr().await);
    let e = engine(dead, config);
    e.execute(&op(Repeat::Safe, None), body())
        .await
        .expect("second attempt");
    let ids: Vec<String> = server
        .seen()
        .iter()
        .filter_map(|r| r.header("x-request-id").map(str::to_string))
        .collect();
    assert_eq!(ids, ["pay-1", "pay-2"]);
    assert_eq!(
        *hook.statuses.lock().expect("lock"),
        vec![(1, 503), (2, 200)]
    );
    assert_eq!(hook.requests.load(Ordering::SeqCst), 2);
    assert_eq!(
        *hook.bodies.lock().expect("lock"),
        vec![
            (1, 503, br#"{"busy":true}"#.to_vec()),
            (2, 200, br#"{"ok":true}"#.to_vec())
        ]
    );
    let shown = format!("{:?}", e.config());
    assert!(shown.contains("hook: true"), "{shown}");
}
