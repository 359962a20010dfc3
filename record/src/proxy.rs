//! The recording proxy: forwards each request to the provider unchanged, answers the client with
//! the provider's answer unchanged, and appends the exchange to `<out>/<provider>.jsonl`, scrubbed
//! at write time, with the answer's (or notification's) signature checked before scrubbing.
//!
//! Requests under `/__callback/...` are notifications from the provider: forwarded to
//! `callbacks_to` (the merchant's receiver) and recorded as callbacks.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response};
use paygen_codegen::Loaded;
use paygen_runtime::cassette::{self, Exchange, ExchangeKind, Recorded, Scrubber, SignatureCheck};
use paygen_runtime::webhook::{verify_webhook, WebhookEncoding};
use paygen_runtime::{Credentials, Error};

use crate::route::Routes;
use crate::serve::{self, Answer, Running};

/// Largest body the proxy reads (10 MiB).
const MAX_BODY: usize = 10 * 1024 * 1024;

/// Path prefix of notifications sent through the proxy.
pub const CALLBACK_PREFIX: &str = "/__callback";

/// What to record.
#[derive(Debug)]
pub struct RecorderConfig {
    /// The spec the traffic belongs to (checked).
    pub spec: Loaded,
    /// The provider's base URL the proxy stands for (`https://api.example.com/v1`).
    pub upstream: String,
    /// Where notifications under `/__callback/...` are forwarded (the merchant's receiver).
    pub callbacks_to: Option<String>,
    /// Folder of the cassette (`<provider>.jsonl` is appended to).
    pub out: PathBuf,
    /// The credentials in use: their values are scrubbed; signatures are checked with them.
    pub credentials: Credentials,
    /// Port on 127.0.0.1 (0 = any free port).
    pub port: u16,
}

struct State {
    config: RecorderConfig,
    routes: Routes,
    scrubber: Scrubber,
    client: reqwest::Client,
    file: Mutex<PathBuf>,
}

/// A running recorder; dropping it stops it.
#[derive(Debug)]
pub struct Recorder {
    running: Running,
}

impl Recorder {
    /// Starts the proxy on loopback.
    pub async fn start(config: RecorderConfig) -> Result<Recorder, String> {
        std::fs::create_dir_all(&config.out)
            .map_err(|e| format!("{}: {e}", config.out.display()))?;
        let file = config
            .out
            .join(format!("{}.jsonl", config.spec.spec.provider));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        let state = Arc::new(State {
            routes: Routes::of(&config.spec.spec),
            scrubber: crate::scrub::scrubber(&config.spec.spec, &config.credentials),
            client,
            file: Mutex::new(file),
            config,
        });
        let port = state.config.port;
        let running = serve::serve(port, move |req| handle(Arc::clone(&state), req))
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
        Ok(Recorder { running })
    }

    /// The proxy's base URL (`http://127.0.0.1:PORT`): point the client here.
    pub fn url(&self) -> String {
        format!("http://{}", self.running.addr)
    }
}

struct Seen {
    method: String,
    path: String,
    query: Option<String>,
    headers: Vec<(String, String)>,
    body: Bytes,
}

async fn handle(state: Arc<State>, req: Request<Incoming>) -> Answer {
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return serve::text(413, "request body too large or unreadable"),
    };
    let seen = Seen {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers: header_pairs(&parts.headers),
        body,
    };
    let callback = seen.path.strip_prefix(CALLBACK_PREFIX).map(str::to_string);
    let (kind, target) = match (&callback, &state.config.callbacks_to) {
        (Some(rest), Some(to)) => (
            ExchangeKind::Callback,
            join(to, rest, seen.query.as_deref()),
        ),
        (Some(_), None) => return serve::text(404, "no --callbacks-to configured"),
        (None, _) => (
            ExchangeKind::Call,
            join(&state.config.upstream, &seen.path, seen.query.as_deref()),
        ),
    };
    let (status, headers, answer) = match forward(&state, &seen, &target).await {
        Ok(a) => a,
        Err(e) => return serve::text(502, format!("upstream: {e}")),
    };
    let exchange = record(&state, kind, &seen, status, &headers, &answer);
    if let Err(e) = append(&state, &exchange) {
        eprintln!("paygen record: cannot write the cassette: {e}");
    }
    respond(status, &headers, answer)
}

fn header_pairs(h: &http::HeaderMap) -> Vec<(String, String)> {
    h.iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

fn join(base: &str, path: &str, query: Option<&str>) -> String {
    let mut url = format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    );
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}

/// Hop-by-hop and length headers are the proxy's own business.
fn forwarded(name: &str) -> bool {
    !matches!(
        name.to_ascii_lowercase().as_str(),
        "host" | "content-length" | "transfer-encoding" | "connection" | "keep-alive" | "expect"
    )
}

async fn forward(
    state: &State,
    seen: &Seen,
    url: &str,
) -> Result<(u16, http::HeaderMap, Bytes), String> {
    let method = reqwest::Method::from_bytes(seen.method.as_bytes()).map_err(|e| e.to_string())?;
    let mut builder = state.client.request(method, url).body(seen.body.clone());
    for (k, v) in seen.headers.iter().filter(|(k, _)| forwarded(k)) {
        builder = builder.header(k.as_str(), v.as_str());
    }
    let response = builder
        .send()
        .await
        .map_err(|e| e.without_url().to_string())?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response
        .bytes()
        .await
        .map_err(|e| e.without_url().to_string())?;
    Ok((status, headers, body))
}

fn record(
    state: &State,
    kind: ExchangeKind,
    seen: &Seen,
    status: u16,
    headers: &http::HeaderMap,
    answer: &Bytes,
) -> Exchange {
    let spec = &state.config.spec.spec;
    let s = &state.scrubber;
    let (operation, signature) = match kind {
        ExchangeKind::Call => {
            let op = state
                .routes
                .find(&seen.method, &seen.path)
                .map(str::to_string);
            let signed = op
                .as_ref()
                .and_then(|o| spec.operations.get(o))
                .is_some_and(|o| o.verify_response);
            let recipe = spec.signing.as_ref().and_then(|s| s.response.as_ref());
            let check = match (signed && (200..300).contains(&status), recipe) {
                (true, Some(r)) => check(verify_webhook(
                    r,
                    &state.config.credentials,
                    headers,
                    answer,
                    WebhookEncoding::Json,
                )),
                _ => SignatureCheck::NotSigned,
            };
            (op, check)
        }
        ExchangeKind::Callback => (Some("webhook".to_string()), callback_check(state, seen)),
    };
    Exchange {
        kind,
        operation,
        request: Recorded {
            method: Some(seen.method.clone()),
            path: Some(seen.path.clone()),
            query: seen.query.as_deref().map(|q| s.scrub_text(q)),
            status: None,
            headers: s.scrub_headers(&seen.headers),
            body: s.scrub_body(&seen.body),
        },
        response: Recorded {
            method: None,
            path: None,
            query: None,
            status: Some(status),
            headers: s.scrub_headers(&header_pairs(headers)),
            body: s.scrub_body(answer),
        },
        signature,
    }
}

fn callback_check(state: &State, seen: &Seen) -> SignatureCheck {
    let spec = &state.config.spec.spec;
    let Some(hooks) = spec.webhooks.as_ref().filter(|h| h.verify) else {
        return SignatureCheck::NotSigned;
    };
    let Some(recipe) = spec.signing.as_ref().and_then(|s| s.webhook.as_ref()) else {
        return SignatureCheck::NotSigned;
    };
    let encoding = match hooks.encoding {
        paygen_codegen::spec::model::BodyEncoding::Form => WebhookEncoding::Form,
        _ => WebhookEncoding::Json,
    };
    let mut headers = http::HeaderMap::new();
    for (k, v) in &seen.headers {
        if let (Ok(k), Ok(v)) = (
            http::HeaderName::from_bytes(k.as_bytes()),
            http::HeaderValue::from_str(v),
        ) {
            headers.append(k, v);
        }
    }
    check(verify_webhook(
        recipe,
        &state.config.credentials,
        &headers,
        &seen.body,
        encoding,
    ))
}

fn check<T>(result: Result<T, Error>) -> SignatureCheck {
    match result {
        Ok(_) => SignatureCheck::Verified,
        Err(_) => SignatureCheck::Mismatch,
    }
}

fn append(state: &State, exchange: &Exchange) -> std::io::Result<()> {
    let file = state.file.lock().unwrap_or_else(|e| e.into_inner());
    cassette::append(&file, exchange)
}

fn respond(status: u16, headers: &http::HeaderMap, body: Bytes) -> Answer {
    let mut answer = Response::new(Full::new(body));
    *answer.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::BAD_GATEWAY);
    for (k, v) in headers.iter().filter(|(k, _)| forwarded(k.as_str())) {
        answer.headers_mut().append(k.clone(), v.clone());
    }
    answer
}
