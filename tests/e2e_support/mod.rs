//! Shared plumbing of the end-to-end tests against the in-process sandbox: a callback receiver on
//! 127.0.0.1 that checks each callback with a provider's generated `verify_webhook` and answers
//! its `WEBHOOK_ACK`, sandbox start-up with compressed timings, client settings with a fault
//! header, raw signed requests, and the bounded waits for callbacks.
//!
//! Included with `mod e2e_support;` by each `tests/e2e_*.rs` file and `tests/sandbox_rules.rs`;
//! each binary uses a subset. (`tests/support/mod.rs` is the scripted recording server of the
//! `client_*` tests: it answers from a script rather than verifying, so it does not fit here.)

use std::sync::{Arc, Mutex};
use std::time::Duration;

use paygen_runtime::{engine::PreparedRequest, http as h, webhook::Ack, EngineConfig};
use paygen_runtime::{Error, Reconcile};
use paygen_sandbox::http::{post, ClientAnswer, Limits, Reply, Request, Response, Server};
use paygen_sandbox::{RecordedRequest, Sandbox, SandboxConfig, SandboxHandle};
use serde_json::{Map, Value};
/// Bounded waits poll this often...
const POLL: Duration = Duration::from_millis(10);
/// ...at most this many times (3 s in all).
const POLLS: usize = 300;
/// How long a raw request may take.
const RAW_LIMIT: Duration = Duration::from_secs(5);

/// One callback as the receiver got it.
pub struct Call {
    /// The URL path it was sent to.
    pub path: String,
    /// Its headers.
    pub headers: h::HeaderMap,
    /// Its body.
    pub body: Vec<u8>,
}

/// How the receiver answers a callback.
pub enum Answer {
    /// The provider's `WEBHOOK_ACK`.
    Ack,
    /// Not acknowledged: this status with this JSON body.
    Refuse(u16, &'static str),
}

/// What a verifying receiver records: (verified, event text or why it was refused).
pub type Event = (bool, String);

/// A callback receiver on 127.0.0.1 recording one `T` per callback.
pub struct Receiver<T> {
    /// Its port.
    pub port: u16,
    seen: Arc<Mutex<Vec<T>>>,
    _server: Server,
}

impl<T: Clone + Send + 'static> Receiver<T> {
    /// Starts a receiver: `handle` tells what to record and how to answer each callback;
    /// [`Answer::Ack`] answers `ack`.
    pub async fn start<F>(ack: Ack, handle: F) -> Receiver<T>
    where
        F: FnMut(&Call) -> (T, Answer) + Send + 'static,
    {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let handle = Mutex::new(handle);
        let answer = move |req: Request| {
            let call = Call {
                path: req.path,
                headers: req.headers,
                body: req.body.to_vec(),
            };
            let (got, answer) = (handle.lock().expect("lock"))(&call);
            record.lock().expect("lock").push(got);
            let resp = match answer {
                Answer::Ack => Response {
                    status: ack.status,
                    headers: vec![("Content-Type".into(), ack.content_type.into())],
                    body: ack.body.as_bytes().to_vec(),
                },
                Answer::Refuse(status, body) => Response::json(status, body.as_bytes().to_vec()),
            };
            std::future::ready(Reply::Respond(resp))
        };
        let server = Server::start(0, Limits::default(), Arc::new(answer))
            .await
            .expect("bind");
        Receiver {
            port: server.port(),
            seen,
            _server: server,
        }
    }

    /// `http://127.0.0.1:{port}{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Everything recorded so far, in order of arrival.
    pub fn seen(&self) -> Vec<T> {
        self.seen.lock().expect("lock").clone()
    }

    /// Waits (bounded) until a recorded callback matches; `None` when none did in time.
    pub async fn wait_for_one(&self, wanted: impl Fn(&T) -> bool) -> Option<T> {
        self.wait_until(|all| all.iter().find(|g| wanted(g)).cloned())
            .await
    }

    /// Waits (bounded) until `found` finds something in what was recorded.
    async fn wait_until<R>(&self, found: impl Fn(&[T]) -> Option<R>) -> Option<R> {
        for _ in 0..POLLS {
            if let Some(r) = found(&self.seen()) {
                return Some(r);
            }
            tokio::time::sleep(POLL).await;
        }
        found(&self.seen())
    }
}

impl Receiver<Event> {
    /// A receiver that records `verify`'s (verified, text) and answers `ack` when verified,
    /// `400 {}` otherwise.
    pub async fn verifying<F>(ack: Ack, verify: F) -> Receiver<Event>
    where
        F: Fn(&h::HeaderMap, &[u8]) -> Event + Send + 'static,
    {
        Receiver::start(ack, move |call| {
            let (ok, text) = verify(&call.headers, &call.body);
            let answer = if ok {
                Answer::Ack
            } else {
                Answer::Refuse(400, "{}")
            };
            ((ok, text), answer)
        })
        .await
    }

    /// Waits (bounded) until `count` verified callbacks arrived; then (or when the time is up)
    /// everything recorded.
    pub async fn wait_verified(&self, count: usize) -> Vec<Event> {
        let enough = |all: &[Event]| all.iter().filter(|(ok, _)| *ok).count() >= count;
        self.wait_until(|all| enough(all).then(|| all.to_vec()))
            .await
            .unwrap_or_else(|| self.seen())
    }

    /// Whether each callback so far verified, in order of arrival.
    pub fn verified(&self) -> Vec<bool> {
        self.seen().into_iter().map(|(ok, _)| ok).collect()
    }
}

/// One spec served with documented delays compressed 1000 times (45 s become 45 ms) and
/// transactions settling after 30 ms; adjust the rest with `..compressed(spec)`.
pub fn compressed(spec: &str) -> SandboxConfig {
    SandboxConfig {
        specs: vec![spec.into()],
        time_scale: 0.001,
        settle: Some(Duration::from_millis(30)),
        ..SandboxConfig::default()
    }
}

/// Starts the sandbox.
pub async fn start(config: SandboxConfig) -> SandboxHandle {
    Sandbox::start(config).await.expect("sandbox starts")
}

/// Client settings with this timeout and, when given, an `X-Paygen-Fault` header.
pub fn engine(timeout: Duration, fault: Option<&str>) -> EngineConfig {
    EngineConfig {
        timeout,
        extra_headers: fault
            .map(|f| vec![("X-Paygen-Fault".to_string(), f.to_string())])
            .unwrap_or_default(),
        ..EngineConfig::default()
    }
}

/// Instead of sleeping in a poll loop: moves the sandbox's clock 50 ms on (ending the
/// compressed settle and retry waits due by then) and lets its tasks run.
pub async fn let_time_pass(sb: &SandboxHandle) {
    sb.advance(Duration::from_millis(50));
    for _ in 0..8 {
        tokio::task::yield_now().await;
    }
}

/// The requests the sandbox received for this operation, in order.
pub fn requests_for(sb: &SandboxHandle, operation: &str) -> Vec<RecordedRequest> {
    sb.requests()
        .into_iter()
        .filter(|r| r.operation.as_deref() == Some(operation))
        .collect()
}

/// A money-moving call that timed out: the error is `OutcomeUnknown` marked money-moving and
/// the sandbox received `operation` exactly once (never resent). Returns the resolution the
/// error carries, for the caller to check and carry out.
pub fn assert_unknown_sent_once<'e>(
    sb: &SandboxHandle,
    operation: &str,
    err: &'e Error,
) -> &'e Reconcile {
    let Error::OutcomeUnknown {
        money_moving: true,
        reconcile,
        ..
    } = err
    else {
        panic!("expected a money-moving OutcomeUnknown, got {err}");
    };
    let sent = requests_for(sb, operation).len();
    assert_eq!(sent, 1, "a money-moving {operation} is never sent twice");
    reconcile
}

/// The sandbox records a callback attempt once the answer is read: waits (bounded) until it
/// recorded an acknowledged one.
pub async fn wait_for_acked_callback(sb: &SandboxHandle) {
    for _ in 0..POLLS {
        if sb.callbacks().iter().any(|c| c.acked) {
            return;
        }
        tokio::time::sleep(POLL).await;
    }
}

/// POSTs a prepared (signed) request's headers with `body` (the prepared one, or a changed one).
pub async fn post_raw(p: &PreparedRequest, body: &[u8]) -> ClientAnswer {
    let headers: Vec<(String, String)> = p
        .headers
        .iter()
        .filter(|(k, _)| k != "Content-Length")
        .cloned()
        .collect();
    post(&p.url, &headers, body, RAW_LIMIT)
        .await
        .expect("answer")
}

/// [`post_raw`] for providers that answer every request with HTTP 200 and a JSON object.
pub async fn post_raw_ok(p: &PreparedRequest, body: &[u8]) -> Map<String, Value> {
    let answer = post_raw(p, body).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    serde_json::from_str(&answer.body).expect("json object")
}
