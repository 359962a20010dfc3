//! A notification inbox on 127.0.0.1 for the fault storm: verifies each callback with the
//! provider's generated `verify_webhook`, acknowledges verified ones with its `WEBHOOK_ACK`, and
//! keeps the verified fields so a resolution's key can be looked up.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use paygen_runtime::{http as h, json_path, webhook::Ack};
use paygen_sandbox::http::{Limits, Reply, Response, Server};
use serde_json::{Map, Value};

/// A verified notification: its event name and fields.
pub type Verified = (&'static str, Map<String, Value>);

/// Verifies one callback: the event name and its fields when the signature verifies.
pub type Verify = fn(&h::HeaderMap, &[u8]) -> Option<Verified>;

/// Bounded waits poll this often, at most `POLLS` times.
const POLL: Duration = Duration::from_millis(20);
const POLLS: usize = 250;

/// Verified notifications, in order of arrival.
#[derive(Clone)]
pub struct Inbox {
    port: u16,
    seen: Arc<Mutex<Vec<Verified>>>,
    /// Keeps the server running while the inbox lives.
    _server: Arc<Server>,
}

impl Inbox {
    /// Starts accepting (until the test ends).
    pub async fn start(ack: Ack, verify: Verify) -> Inbox {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let handler = move |req: paygen_sandbox::http::Request| {
            let record = record.clone();
            async move {
                let verified = verify(&req.headers, &req.body);
                let resp = match verified {
                    Some(event) => {
                        record.lock().expect("lock").push(event);
                        Response {
                            status: ack.status,
                            headers: vec![("Content-Type".into(), ack.content_type.into())],
                            body: ack.body.as_bytes().to_vec(),
                        }
                    }
                    None => Response::json(400, b"{}".to_vec()),
                };
                Reply::Respond(resp)
            }
        };
        let server = Server::start(0, Limits::default(), Arc::new(handler))
            .await
            .expect("bind");
        Inbox {
            port: server.port(),
            seen,
            _server: Arc::new(server),
        }
    }

    /// Where the sandbox sends callbacks.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/cb", self.port)
    }

    /// The same, spelled `https://` for specs that insist on it (the sandbox calls loopback
    /// `https` URLs over plain HTTP).
    pub fn https_url(&self) -> String {
        format!("https://127.0.0.1:{}/cb", self.port)
    }

    /// Whether a verified notification of one of `events` carries every `key` value (compared
    /// as text: a form body carries numbers as strings).
    pub fn has(&self, events: &[&str], key: &Map<String, Value>) -> bool {
        let seen = self.seen.lock().expect("lock");
        seen.iter().any(|(event, fields)| {
            events.contains(event)
                && key.iter().all(|(path, want)| {
                    let root = Value::Object(fields.clone());
                    let got = json_path::at(&root, path).and_then(json_path::text_of);
                    got.is_some() && got == json_path::text_of(want)
                })
        })
    }

    /// Waits (bounded: 5 s) for such a notification.
    pub async fn wait_for(&self, events: &[&str], key: &Map<String, Value>) -> bool {
        for _ in 0..POLLS {
            if self.has(events, key) {
                return true;
            }
            tokio::time::sleep(POLL).await;
        }
        self.has(events, key)
    }
}
