//! The replay server: answers a client from cassettes, offline, so tests run on recorded reality.
//!
//! A request is matched to the spec operation its route names, then to a recorded call of that
//! operation: when key fields are declared, the recorded call whose request carries the same
//! values in those top-level fields (as recorded, i.e. after scrubbing — choose keys that are not
//! sensitive, such as an order id); otherwise the operation's recorded calls in their recorded
//! order, the last one repeating. An unmatched request gets 404 naming what was asked.
//!
//! An answer whose signature verified at record time is signed again over its scrubbed form
//! when the replay is given credentials ([`ReplayConfig::credentials`], the client's test
//! credentials): scrubbing changed the signed bytes. Without credentials it is served as
//! recorded (a client that verifies answers then refuses it).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response};
use paygen_codegen::Spec;
use paygen_runtime::cassette::{Exchange, ExchangeKind, SignatureCheck};
use paygen_runtime::signing::Signer;
use paygen_runtime::Credentials;
use serde_json::Value;

use crate::route::Routes;
use crate::serve::{self, Answer, Running};

struct State {
    routes: Routes,
    calls: HashMap<String, Vec<Exchange>>,
    key_fields: Vec<String>,
    signer: Option<Signer>,
    next: Mutex<HashMap<String, usize>>,
}

/// How to replay.
#[derive(Debug, Default)]
pub struct ReplayConfig {
    /// Top-level request fields a recorded call is matched by (none: recorded order).
    pub keys: Vec<String>,
    /// Credentials to sign answers again with (see the module documentation).
    pub credentials: Option<Credentials>,
    /// Port on 127.0.0.1 (0 = any free port).
    pub port: u16,
}

/// A running replay server; dropping it stops it.
#[derive(Debug)]
pub struct Replayer {
    running: Running,
}

impl Replayer {
    /// Serves the recorded calls of `exchanges` for `spec` on 127.0.0.1 as `config` says.
    pub async fn start(
        spec: &Spec,
        exchanges: Vec<Exchange>,
        config: ReplayConfig,
    ) -> std::io::Result<Replayer> {
        let mut calls: HashMap<String, Vec<Exchange>> = HashMap::new();
        for ex in exchanges
            .into_iter()
            .filter(|e| e.kind == ExchangeKind::Call)
        {
            if let Some(op) = ex.operation.clone() {
                calls.entry(op).or_default().push(ex);
            }
        }
        let state = Arc::new(State {
            routes: Routes::of(spec),
            calls,
            key_fields: config.keys,
            signer: config
                .credentials
                .as_ref()
                .and_then(|c| crate::resign::answer_signer(spec, c)),
            next: Mutex::new(HashMap::new()),
        });
        let port = config.port;
        let running = serve::serve(port, move |req| handle(Arc::clone(&state), req)).await?;
        Ok(Replayer { running })
    }

    /// The server's base URL: point the client here.
    pub fn url(&self) -> String {
        format!("http://{}", self.running.addr)
    }
}

/// The key field values of a request body (absent ones, and all of a body that is no JSON,
/// as `None`).
fn key_of(fields: &[String], body: &str) -> Vec<Option<String>> {
    let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    fields
        .iter()
        .map(|f| json.get(f).and_then(paygen_runtime::json_path::text_of))
        .collect()
}

fn pick<'a>(state: &'a State, op: &str, body: &str) -> Option<&'a Exchange> {
    let recorded = state.calls.get(op)?;
    if !state.key_fields.is_empty() {
        let want = key_of(&state.key_fields, body);
        return recorded
            .iter()
            .find(|ex| key_of(&state.key_fields, &ex.request.body) == want);
    }
    let mut next = state.next.lock().unwrap_or_else(|e| e.into_inner());
    let i = next.entry(op.to_string()).or_default();
    let chosen = recorded.get(*i).or_else(|| recorded.last());
    *i += 1;
    chosen
}

async fn handle(state: Arc<State>, req: Request<Incoming>) -> Answer {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let body = match Limited::new(req.into_body(), 10 * 1024 * 1024)
        .collect()
        .await
    {
        Ok(b) => b.to_bytes(),
        Err(_) => return serve::text(413, "request body too large or unreadable"),
    };
    let Some(op) = state.routes.find(&method, &path) else {
        return serve::text(
            404,
            format!("replay: `{method} {path}` is no operation of the spec"),
        );
    };
    let Some(ex) = pick(&state, op, &String::from_utf8_lossy(&body)) else {
        return serve::text(
            404,
            format!("replay: no recorded `{op}` call matches this request"),
        );
    };
    let resigned = match (&state.signer, ex.signature) {
        (Some(signer), SignatureCheck::Verified) => {
            crate::resign::resign(signer, &ex.response.body, &ex.response.headers)
        }
        _ => None,
    };
    let (body, headers) =
        resigned.unwrap_or_else(|| (ex.response.body.clone(), ex.response.headers.clone()));
    let mut answer = Response::new(Full::new(Bytes::from(body)));
    *answer.status_mut() = http::StatusCode::from_u16(ex.response.status.unwrap_or(200))
        .unwrap_or(http::StatusCode::OK);
    for (k, v) in &headers {
        let skip = matches!(
            k.to_ascii_lowercase().as_str(),
            "content-length" | "transfer-encoding" | "connection"
        );
        if let (false, Ok(k), Ok(v)) = (
            skip,
            http::HeaderName::from_bytes(k.as_bytes()),
            http::HeaderValue::from_str(v),
        ) {
            answer.headers_mut().append(k, v);
        }
    }
    answer
}
