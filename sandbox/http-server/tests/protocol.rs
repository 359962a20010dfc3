//! The server against raw loopback requests: chunked bodies, `Expect: 100-continue`, keep-alive,
//! HTTP/1.0, and the refusals (400, 408, 413, 431, 503) with their counters.

use std::sync::Arc;
use std::time::Duration;

use paygen_http_server::{Limits, Reply, Request, Response, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Echoes `METHOD path len=N body` back.
async fn echo(req: Request) -> Reply {
    if req.path == "/reset" {
        return Reply::Reset;
    }
    let text = format!(
        "{} {} len={} {}",
        req.method,
        req.path,
        req.body.len(),
        String::from_utf8_lossy(&req.body)
    );
    Reply::Respond(Response {
        status: 200,
        headers: vec![("Content-Type".into(), "text/plain".into())],
        body: text.into_bytes(),
    })
}

async fn server(limits: Limits) -> Server {
    Server::start(0, limits, Arc::new(echo))
        .await
        .expect("bind")
}

/// Sends raw bytes and reads until the peer closes (bounded).
async fn exchange(port: u16, raw: &[u8]) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    s.write_all(raw).await.expect("write");
    read_all(&mut s).await
}

async fn read_all(s: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let read = async {
        let mut buf = [0u8; 4096];
        loop {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(5), read).await;
    String::from_utf8_lossy(&out).to_string()
}

#[tokio::test]
async fn a_chunked_body_is_read_whole() {
    let srv = server(Limits::default()).await;
    let got = exchange(
        srv.port(),
        b"POST /pay HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
    )
    .await;
    assert!(got.starts_with("HTTP/1.1 200 OK"), "{got}");
    assert!(got.ends_with("POST /pay len=11 hello world"), "{got}");
}

#[tokio::test]
async fn expect_100_continue_is_answered_before_the_body() {
    let srv = server(Limits::default()).await;
    let mut s = TcpStream::connect(("127.0.0.1", srv.port()))
        .await
        .expect("connect");
    s.write_all(b"POST /pay HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
        .await
        .expect("write head");
    let mut buf = [0u8; 64];
    let n = tokio::time::timeout(Duration::from_secs(2), s.read(&mut buf))
        .await
        .expect("100 Continue comes without the body")
        .expect("read");
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 100 Continue"));
    s.write_all(b"ping").await.expect("write body");
    let got = read_all(&mut s).await;
    assert!(
        got.contains("HTTP/1.1 200 OK") && got.ends_with("len=4 ping"),
        "{got}"
    );
}

#[tokio::test]
async fn keep_alive_serves_several_requests_on_one_connection() {
    let srv = server(Limits::default()).await;
    let got = exchange(
        srv.port(),
        b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(got.matches("HTTP/1.1 200 OK").count(), 2, "{got}");
    assert!(
        got.contains("GET /a len=0") && got.contains("GET /b len=0"),
        "{got}"
    );
    assert_eq!(srv.stats().connections, 1);
    assert_eq!(srv.stats().requests, 2);
}

#[tokio::test]
async fn http_1_0_is_answered_and_closed() {
    let srv = server(Limits::default()).await;
    let got = exchange(
        srv.port(),
        b"POST /old HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi",
    )
    .await;
    assert!(got.starts_with("HTTP/1.0 200 OK"), "{got}");
    assert!(got.ends_with("POST /old len=2 hi"), "{got}");
}

#[tokio::test]
async fn conflicting_content_lengths_get_400_and_are_counted() {
    let srv = server(Limits::default()).await;
    let got = exchange(
        srv.port(),
        b"POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
    )
    .await;
    assert!(got.starts_with("HTTP/1.1 400"), "{got}");
    let got = exchange(srv.port(), b"garbage\r\n\r\n").await;
    assert!(got.starts_with("HTTP/1.1 400"), "{got}");
    assert_eq!(srv.stats().malformed, 2);
    assert_eq!(srv.stats().requests, 0);
}

#[tokio::test]
async fn oversize_bodies_and_heads_are_refused() {
    let limits = Limits {
        max_body: 16,
        max_head: 8192,
        ..Limits::default()
    };
    let srv = server(limits).await;
    let got = exchange(
        srv.port(),
        b"POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\n01234567890123456",
    )
    .await;
    assert!(got.starts_with("HTTP/1.1 413"), "{got}");
    let chunked = b"POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n1\r\nX\r\n0\r\n\r\n";
    let got = exchange(srv.port(), chunked).await;
    assert!(got.starts_with("HTTP/1.1 413"), "{got}");
    let mut head = b"GET /x HTTP/1.1\r\nHost: x\r\nX-Big: ".to_vec();
    head.extend(std::iter::repeat_n(b'a', 20_000));
    head.extend_from_slice(b"\r\n\r\n");
    let got = exchange(srv.port(), &head).await;
    assert!(got.starts_with("HTTP/1.1 431"), "{got}");
    let stats = srv.stats();
    assert_eq!((stats.too_large, stats.malformed), (2, 1));
}

#[tokio::test]
async fn a_slow_head_gets_408_and_an_idle_connection_is_closed() {
    let limits = Limits {
        header_timeout: Duration::from_millis(200),
        ..Limits::default()
    };
    let srv = server(limits).await;
    let got = exchange(srv.port(), b"GET /slow HTTP/1.1\r\nHost:").await;
    assert!(got.starts_with("HTTP/1.1 408"), "{got}");
    let mut idle = TcpStream::connect(("127.0.0.1", srv.port()))
        .await
        .expect("connect");
    assert_eq!(
        read_all(&mut idle).await,
        "",
        "an idle connection is closed silently"
    );
    let stats = srv.stats();
    assert_eq!((stats.timed_out, stats.idle_closed), (1, 1));
}

#[tokio::test]
async fn connections_over_the_limit_get_503() {
    let limits = Limits {
        max_connections: 1,
        ..Limits::default()
    };
    let srv = server(limits).await;
    let _held = TcpStream::connect(("127.0.0.1", srv.port()))
        .await
        .expect("connect");
    tokio::time::sleep(Duration::from_millis(50)).await;
    let got = exchange(srv.port(), b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await;
    assert!(got.starts_with("HTTP/1.1 503"), "{got}");
    assert_eq!(srv.stats().refused_busy, 1);
}

#[tokio::test]
async fn a_reset_reply_resets_the_connection() {
    let srv = server(Limits::default()).await;
    let mut s = TcpStream::connect(("127.0.0.1", srv.port()))
        .await
        .expect("connect");
    s.write_all(b"GET /reset HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let mut buf = [0u8; 16];
    let read = tokio::time::timeout(Duration::from_secs(2), s.read(&mut buf))
        .await
        .expect("answered in time");
    let err = read.expect_err("connection reset");
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionReset);
}
