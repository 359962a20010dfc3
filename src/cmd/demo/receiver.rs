//! The demo's webhook receiver on 127.0.0.1 (the sandbox's HTTP server): verifies each callback
//! with the generated client's `verify_webhook`, answers the provider's `WEBHOOK_ACK` (or 400 on a
//! bad signature), records it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use paygen_runtime::{http as h, webhook::Ack};
use paygen_sandbox::http::{Limits, Reply, Request, Response, Server};

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
    server: Server,
}

impl Receiver {
    /// Starts it with one verifier and acknowledgement per provider.
    pub async fn start(verifiers: HashMap<String, (Verifier, Ack)>) -> std::io::Result<Receiver> {
        let got = Arc::new(Mutex::new(Vec::new()));
        let record = got.clone();
        let answer = move |req: Request| {
            let (resp, rec) = check(&verifiers, &req);
            record.lock().unwrap_or_else(|p| p.into_inner()).push(rec);
            std::future::ready(Reply::Respond(resp))
        };
        let server = Server::start(0, Limits::default(), Arc::new(answer)).await?;
        Ok(Receiver {
            port: server.port(),
            got,
            server,
        })
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
    pub async fn stop(self) {
        self.server.stop().await;
    }
}

/// Verifies one callback: the answer and what to record.
fn check(verifiers: &HashMap<String, (Verifier, Ack)>, req: &Request) -> (Response, Received) {
    let provider = req.path.trim_matches('/').to_string();
    let Some((verify, ack)) = verifiers.get(&provider) else {
        let rec = Received {
            provider,
            verified: false,
            event: "unknown path".into(),
        };
        return (refusal(), rec);
    };
    match verify(&req.headers, &req.body) {
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
