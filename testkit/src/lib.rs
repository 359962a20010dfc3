//! Test support shared by paygen's crates: a bounded, recording HTTP/1.1 server on 127.0.0.1
//! (the sandbox's server, [`paygen_http_server`]) that answers from a script (responses, or
//! faults: hang, close after reading the request); [`specs`] finds every spec the per-spec tests
//! run over.

pub mod scratch;
pub mod specs;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use paygen_http_server::{Limits, Request, Response};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The server stops after this long, whatever happens.
const LIFETIME: Duration = Duration::from_secs(30);
/// How long a `Hang` reply holds the connection open without answering.
const HANG_FOR: Duration = Duration::from_secs(5);
/// Largest request body the server reads.
const MAX_REQUEST: usize = 1 << 20;

/// One scripted answer.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Answer with this status, headers and body.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Read the request completely, then never answer (until the hang time is over).
    Hang,
    /// Read the request, then close the connection without answering.
    Close,
    /// Read the request, write these exact bytes (e.g. a head announcing more body than
    /// follows), then close the connection, or hold it open for the hang time when `hang`.
    Raw { bytes: Vec<u8>, hang: bool },
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// An answer with this status, content type and body.
    pub fn typed(status: u16, content_type: &str, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

/// A request exactly as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (panics on invalid UTF-8: every provider sends text).
    pub fn body_text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("request body is UTF-8")
    }
}

type Shared<T> = Arc<Mutex<T>>;

/// A running recording server; stops when dropped or after its lifetime (30 s).
pub struct Server {
    addr: SocketAddr,
    requests: Shared<Vec<Recorded>>,
    task: JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    /// Starts a server on `127.0.0.1:0` answering from `script` in order (then 500).
    pub async fn start(script: Vec<Reply>) -> Server {
        Server::start_with_fallback(script, Reply::json(500, r#"{"unscripted":true}"#)).await
    }

    /// Like [`Server::start`], answering `fallback` once the script is used up.
    pub async fn start_with_fallback(script: Vec<Reply>, fallback: Reply) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let requests: Shared<Vec<Recorded>> = Arc::default();
        let script: Shared<VecDeque<Reply>> = Arc::new(Mutex::new(script.into()));
        let recorded = requests.clone();
        let answer = move |req: Request| {
            recorded.lock().expect("lock").push(Recorded::from(req));
            let next = script.lock().expect("lock").pop_front();
            std::future::ready(next.unwrap_or_else(|| fallback.clone()).into_reply())
        };
        let limits = Limits {
            max_body: MAX_REQUEST,
            ..Limits::default()
        };
        let server = paygen_http_server::Server::serve(listener, limits, Arc::new(answer));
        let addr = server.addr();
        assert!(addr.ip().is_loopback());
        let task = tokio::spawn(async move {
            tokio::time::sleep(LIFETIME).await;
            server.stop().await;
        });
        Server {
            addr,
            requests,
            task,
        }
    }

    /// The base URL (`http://127.0.0.1:port`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far.
    pub fn seen(&self) -> Vec<Recorded> {
        self.requests.lock().expect("lock").clone()
    }

    /// The one request received; fails when there were zero or several.
    pub fn only(&self) -> Recorded {
        let seen = self.seen();
        assert_eq!(seen.len(), 1, "expected exactly one request, got {seen:?}");
        seen.into_iter().next().expect("one request")
    }
}

impl Reply {
    fn into_reply(self) -> paygen_http_server::Reply {
        match self {
            Reply::Respond {
                status,
                headers,
                body,
            } => paygen_http_server::Reply::Respond(Response {
                status,
                headers,
                body,
            }),
            Reply::Hang => paygen_http_server::Reply::Hang(HANG_FOR),
            Reply::Close => paygen_http_server::Reply::Close,
            Reply::Raw { bytes, hang } => paygen_http_server::Reply::Raw {
                bytes,
                hold: if hang { HANG_FOR } else { Duration::ZERO },
            },
        }
    }
}

impl From<Request> for Recorded {
    fn from(req: Request) -> Recorded {
        let path = if req.query.is_empty() {
            req.path
        } else {
            format!("{}?{}", req.path, req.query)
        };
        let headers = req
            .headers
            .iter()
            .map(|(k, v)| {
                let v = String::from_utf8_lossy(v.as_bytes()).to_string();
                (k.as_str().to_string(), v)
            })
            .collect();
        Recorded {
            method: req.method,
            path,
            headers,
            body: req.body.to_vec(),
        }
    }
}

/// A loopback address that refuses connections: bound, then released.
pub async fn refused_addr() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    addr
}
