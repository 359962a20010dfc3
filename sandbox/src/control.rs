//! The control API under `/__paygen/` (documented in `sandbox/README.md`): advance the clock,
//! send pending callbacks now, list recorded requests and callbacks, reset the state.

use std::sync::atomic::Ordering;
use std::time::Duration;

use paygen_runtime::clock::rfc3339;
use paygen_runtime::Clock;
use serde_json::{json, Value};

use crate::http::{Request, Response};
use crate::{lock, Shared};

/// The reserved path prefix (no provider is called `__paygen`).
pub const PREFIX: &str = "/__paygen";

/// Answers a control request; `rest` is the path after [`PREFIX`].
pub fn answer(shared: &Shared, req: &Request, rest: &str) -> Response {
    let route = rest.trim_matches('/');
    let result = match (req.method.as_str(), route) {
        ("GET", "") => Ok(index()),
        ("GET", "requests") => Ok(requests(shared, req)),
        ("GET", "callbacks") => Ok(callbacks(shared)),
        ("GET", "stats") => Ok(stats(shared)),
        ("POST", "clock/advance") => advance(shared, req),
        ("POST", "callbacks/fire") => {
            shared.timeline.fire_callbacks();
            Ok(json!({ "fired": true }))
        }
        ("POST", "reset") => {
            reset(shared);
            Ok(json!({ "reset": true }))
        }
        _ => Err((
            404,
            format!("no control endpoint {} {PREFIX}/{route}", req.method),
        )),
    };
    match result {
        Ok(v) => Response::json(200, v.to_string().into_bytes()),
        Err((status, message)) => {
            Response::json(status, json!({ "error": message }).to_string().into_bytes())
        }
    }
}

fn index() -> Value {
    json!({ "endpoints": [
        "GET  /__paygen/requests[?after=SEQ]  recorded requests (latest first kept) and the count of all",
        "GET  /__paygen/callbacks             callback attempts and the count of all",
        "GET  /__paygen/stats                 server counters: connections, refusals (503/413/408/400)",
        "POST /__paygen/clock/advance?ms=N    move the clock: settle timers and retries due by then run",
        "POST /__paygen/callbacks/fire        send every pending callback retry now",
        "POST /__paygen/reset                 forget transactions, balances, records and timers",
    ]})
}

fn query_u64(req: &Request, name: &str) -> Option<u64> {
    paygen_runtime::wire::form_decode(&req.query)?
        .into_iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.parse().ok())
}

fn requests(shared: &Shared, req: &Request) -> Value {
    let after = query_u64(req, "after").unwrap_or(0);
    let log = lock(&shared.records);
    let kept: Vec<_> = log.ring.iter().filter(|r| r.seq > after).collect();
    json!({ "seen": log.ring.seen(), "requests": kept })
}

fn callbacks(shared: &Shared) -> Value {
    let ring = lock(&shared.callbacks);
    let kept: Vec<_> = ring.iter().collect();
    json!({ "seen": ring.seen(), "callbacks": kept })
}

fn stats(shared: &Shared) -> Value {
    let server = shared
        .server_stats
        .get()
        .map(|s| s.snapshot())
        .unwrap_or_default();
    json!({ "requests_seen": lock(&shared.records).ring.seen(), "server": server })
}

fn advance(shared: &Shared, req: &Request) -> Result<Value, (u16, String)> {
    let from_body = serde_json::from_slice::<Value>(&req.body)
        .ok()
        .and_then(|v| v.get("ms").and_then(Value::as_u64));
    let ms = query_u64(req, "ms")
        .or(from_body)
        .ok_or((400, "say how far: ?ms=N or {\"ms\": N}".to_string()))?;
    shared.timeline.advance(Duration::from_millis(ms));
    Ok(json!({ "advanced_ms": ms, "now": rfc3339(shared.timeline.now_unix()) }))
}

/// Forgets transactions (balances back to the opening ones), records, callbacks, pending
/// timers and clock advances; configured fault rules start over.
pub fn reset(shared: &Shared) {
    shared.abort_tasks();
    *lock(&shared.store) =
        crate::opening_store(&shared.providers, &shared.timeline, shared.config.seed);
    lock(&shared.records).clear();
    lock(&shared.callbacks).clear();
    *lock(&shared.faults) = shared.config.faults.clone();
    shared.timeline.reset();
    shared.seq.store(1, Ordering::SeqCst);
}
