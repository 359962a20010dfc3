//! The demo's webhook receiver on 127.0.0.1: verifies each callback with the generated client's
//! `verify_webhook`, answers the provider's `WEBHOOK_ACK` (or 400 on a bad signature), records it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use paygen_runtime::__codegen::{http as h, Ack};
use paygen_sandbox::http::{read_request, write_response, Response};
use tokio::net::TcpListener;

/// Checks a callback: `Ok(event description)` or `Err(why)`.
pub type Verifier = Box<dyn Fn(&h::HeaderMap, &[u8]) -> Result<String, String> + Send + Sync>;

/// One callback the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    /// Provider (the URL's path).
    pub provider: String,
    /// Whether it verified (and was acknowledged).
    pub verified: bool,
    /// The event, or why it was refused.
    pub event: String,
}

/// A running receiver.
pub struct Receiver {
    /// Its port on 127.0.0.1.
    pub port: u16,
    got: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    /// Starts it with one verifier and acknowledgement per provider.
    pub async fn start(verifiers: HashMap<String, (Verifier, Ack)>) -> std::io::Result<Receiver> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let got2 = got.clone();
        let verifiers = Arc::new(verifiers);
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    continue;
                };
                let Some(req) = read_request(&mut stream).await else {
                    continue;
                };
                let provider = req.path.trim_matches('/').to_string();
                let mut headers = h::HeaderMap::new();
                for (k, v) in &req.headers {
                    if let (Ok(k), Ok(v)) = (
                        h::HeaderName::try_from(k.as_str()),
                        h::HeaderValue::from_str(v),
                    ) {
                        headers.append(k, v);
                    }
                }
                let (resp, rec) = match verifiers.get(&provider) {
                    Some((verify, ack)) => match verify(&headers, &req.body) {
                        Ok(event) => (
                            ack_response(ack),
                            Received {
                                provider,
                                verified: true,
                                event,
                            },
                        ),
                        Err(why) => (
                            refusal(),
                            Received {
                                provider,
                                verified: false,
                                event: why,
                            },
                        ),
                    },
                    None => (
                        refusal(),
                        Received {
                            provider,
                            verified: false,
                            event: "unknown path".into(),
                        },
                    ),
                };
                got2.lock().unwrap_or_else(|p| p.into_inner()).push(rec);
                write_response(&mut stream, &resp).await;
            }
        });
        Ok(Receiver { port, got, task })
    }

    /// `http://127.0.0.1:PORT/{provider}` (the sandbox fills `{provider}` in).
    pub fn url_template(&self) -> String {
        format!("http://127.0.0.1:{}/{{provider}}", self.port)
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Waits (bounded) until `count` verified callbacks of `provider` have arrived.
    pub async fn wait_for(&self, provider: &str, count: usize, limit: Duration) -> Vec<Received> {
        let step = Duration::from_millis(20);
        let mut waited = Duration::ZERO;
        loop {
            let got: Vec<Received> = self
                .received()
                .into_iter()
                .filter(|r| r.provider == provider && r.verified)
                .collect();
            if got.len() >= count || waited >= limit {
                return got;
            }
            tokio::time::sleep(step).await;
            waited += step;
        }
    }

    /// Stops it.
    pub fn stop(&self) {
        self.task.abort();
    }
}

fn ack_response(ack: &Ack) -> Response {
    Response {
        status: ack.status,
        headers: vec![("Content-Type".into(), ack.content_type.to_string())],
        body: ack.body.as_bytes().to_vec(),
    }
}

fn refusal() -> Response {
    Response::json(400, br#"{"error":"signature does not verify"}"#.to_vec())
}
