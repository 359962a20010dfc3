//! Test support shared by paygen's crates: a bounded, recording HTTP/1.1 server on 127.0.0.1
//! that answers from a script (responses, or faults: hang, close after reading the request).

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The server stops accepting after this long, whatever happens.
const LIFETIME: Duration = Duration::from_secs(30);
/// How long a `Hang` reply holds the connection open without answering.
const HANG_FOR: Duration = Duration::from_secs(5);
/// Largest request head or body the server reads.
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

/// A running recording server; stops when dropped or after [`LIFETIME`].
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
        let addr = listener.local_addr().expect("local addr");
        assert!(addr.ip().is_loopback());
        let requests: Shared<Vec<Recorded>> = Arc::default();
        let script: Shared<VecDeque<Reply>> = Arc::new(Mutex::new(script.into()));
        let recorded = requests.clone();
        let task = tokio::spawn(async move {
            let accept = async {
                while let Ok((stream, _)) = listener.accept().await {
                    let fallback = fallback.clone();
                    tokio::spawn(serve(stream, recorded.clone(), script.clone(), fallback));
                }
            };
            let _ = tokio::time::timeout(LIFETIME, accept).await;
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

async fn serve(
    mut stream: TcpStream,
    recorded: Shared<Vec<Recorded>>,
    script: Shared<VecDeque<Reply>>,
    fallback: Reply,
) {
    let mut buf = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buf).await {
        recorded.lock().expect("lock").push(request);
        let reply = script.lock().expect("lock").pop_front();
        match reply.unwrap_or_else(|| fallback.clone()) {
            Reply::Hang => {
                tokio::time::sleep(HANG_FOR).await;
                return;
            }
            Reply::Close => return,
            Reply::Raw { bytes, hang } => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.flush().await;
                if hang {
                    tokio::time::sleep(HANG_FOR).await;
                }
                return;
            }
            Reply::Respond {
                status,
                headers,
                body,
            } => {
                if stream
                    .write_all(&response_bytes(status, &headers, &body))
                    .await
                    .is_err()
                {
                    return;
                }
            }
        }
    }
}

fn response_bytes(status: u16, headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {status} Scripted\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    out.extend_from_slice(body);
    out
}

/// Reads more bytes into `buf`; `None` at end of stream, on error or past [`MAX_REQUEST`].
async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 8192];
    let n = stream.read(&mut chunk).await.ok()?;
    if n == 0 || buf.len() + n > 2 * MAX_REQUEST {
        return None;
    }
    buf.extend_from_slice(&chunk[..n]);
    Some(())
}

/// Reads one request (head + Content-Length body); `None` at end of stream.
async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        fill(stream, buf).await?;
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, path) = (first.next()?.to_string(), first.next()?.to_string());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
        .min(MAX_REQUEST);
    while buf.len() < head_end + 4 + len {
        fill(stream, buf).await?;
    }
    let body = buf[head_end + 4..head_end + 4 + len].to_vec();
    buf.drain(..head_end + 4 + len);
    Some(Recorded {
        method,
        path,
        headers,
        body,
    })
}

/// A loopback address that refuses connections: bound, then released.
pub async fn refused_addr() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    addr
}
