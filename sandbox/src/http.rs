//! A minimal HTTP/1.1 over tokio TCP, loopback only: reading one request, writing one answer
//! (always `Connection: close`), and a tiny client for callbacks to `http://127.0.0.1...` URLs.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 4 * 1024 * 1024;
const READ_LIMIT: Duration = Duration::from_secs(15);

/// One received request.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Method, upper case.
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// Query string (without `?`).
    pub query: String,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Request {
    /// The first header of that (case-insensitive) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One answer.
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
}

impl Response {
    /// A JSON answer.
    pub fn json(status: u16, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body,
        }
    }
}

/// Reads one request (bounded in size and time); `None` when the peer sent nothing usable.
pub async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    timeout(READ_LIMIT, read_inner(stream)).await.ok().flatten()
}

async fn read_inner(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut req = parse_head(&head)?;
    let len: usize = req
        .header("content-length")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    if len > MAX_BODY {
        return None;
    }
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let mut chunk = vec![0u8; (len - body.len()).min(65536)];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(len);
    req.body = body;
    Some(req)
}

fn parse_head(head: &str) -> Option<Request> {
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split_whitespace();
    let method = first.next()?.to_ascii_uppercase();
    let target = first.next()?;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some(Request {
        method,
        path: path.to_string(),
        query: query.to_string(),
        headers,
        body: Vec::new(),
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Writes the answer and closes the write side.
pub async fn write_response(stream: &mut TcpStream, resp: &Response) {
    let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (k, v) in &resp.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        resp.body.len()
    ));
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(&resp.body).await;
    let _ = stream.flush().await;
    let _ = stream.shutdown().await;
}

/// The reason phrase of common statuses.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        422 => "Unprocessable Entity",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// The answer to a callback: status and body.
#[derive(Debug, Clone)]
pub struct ClientAnswer {
    /// HTTP status.
    pub status: u16,
    /// Body text.
    pub body: String,
}

/// POSTs to a loopback URL; refuses anything else. The sandbox has no TLS: an `https://`
/// loopback URL (providers that insist on https callback URLs) is called over plain HTTP.
pub async fn post(
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
    limit: Duration,
) -> Result<ClientAnswer, String> {
    let (authority, path) = split_url(url)?;
    let host = authority.split(':').next().unwrap_or("");
    if host != "127.0.0.1" && host != "localhost" {
        return Err(format!("callbacks go to loopback only, not `{host}`"));
    }
    let addr = authority.replace("localhost", "127.0.0.1");
    let fut = async {
        let mut s = TcpStream::connect(&addr).await.map_err(|e| e.to_string())?;
        let mut head = format!("POST {path} HTTP/1.1\r\nHost: {authority}\r\n");
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        ));
        s.write_all(head.as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        s.write_all(body).await.map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        s.read_to_end(&mut out).await.map_err(|e| e.to_string())?;
        parse_answer(&out)
    };
    timeout(limit, fut)
        .await
        .map_err(|_| "timed out".to_string())?
}

fn split_url(url: &str) -> Result<(String, String), String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(|| "callback URLs must be http(s)://127.0.0.1:PORT/...".to_string())?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    Ok((authority.to_string(), path.to_string()))
}

fn parse_answer(raw: &[u8]) -> Result<ClientAnswer, String> {
    let end = find(raw, b"\r\n\r\n").ok_or("no HTTP answer")?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("bad status line")?;
    let mut body = raw[end + 4..].to_vec();
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    if chunked {
        body = dechunk(&body);
    }
    Ok(ClientAnswer {
        status,
        body: String::from_utf8_lossy(&body).to_string(),
    })
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..10_000 {
        let Some(i) = find(raw, b"\r\n") else { break };
        let size_text = String::from_utf8_lossy(&raw[..i]).to_string();
        let Ok(size) = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
        else {
            break;
        };
        if size == 0 || raw.len() < i + 2 + size {
            break;
        }
        out.extend_from_slice(&raw[i + 2..i + 2 + size]);
        raw = &raw[(i + 4 + size).min(raw.len())..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_http_and_loopback_https() {
        assert_eq!(
            split_url("http://127.0.0.1:80/cb?x=1"),
            Ok(("127.0.0.1:80".into(), "/cb?x=1".into()))
        );
        assert_eq!(
            split_url("https://localhost:9"),
            Ok(("localhost:9".into(), "/".into()))
        );
        assert!(split_url("ftp://127.0.0.1/").is_err());
    }

    #[tokio::test]
    async fn refuses_non_loopback_hosts() {
        let err = post(
            "https://example.com/ipn",
            &[],
            b"",
            Duration::from_millis(50),
        )
        .await;
        assert!(err.is_err_and(|e| e.contains("loopback")));
    }
}
