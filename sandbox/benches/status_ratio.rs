//! Throughput of a sandbox status call as a ratio to a trivial hyper echo server, both on
//! 127.0.0.1 in the same run, driven by the same keep-alive client at the same concurrency.
//! `cargo bench -p paygen-sandbox --bench status_ratio` prints both rates and the ratio (goal:
//! >= 0.5). `PAYGEN_BENCH_REQUESTS` sets the requests per round (default 20,000).

use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use paygen_sandbox::{Sandbox, SandboxConfig};
use tokio::net::TcpListener;

const CONCURRENCY: u64 = 16;
const BODY: &str = r#"{"id":"P1"}"#;

/// A keep-alive hyper server answering every request with its own body.
async fn echo_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let service = service_fn(|req: hyper::Request<hyper::body::Incoming>| async move {
                    let body = req.into_body().collect().await.map(|c| c.to_bytes());
                    let body = body.unwrap_or_default();
                    Ok::<_, Infallible>(hyper::Response::new(Full::new(body)))
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    port
}

/// Requests per second of `total` POSTs to `url` from `CONCURRENCY` tasks; panics on a failure.
async fn rate(client: &reqwest::Client, url: &str, total: u64) -> f64 {
    let ok = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (client, url, ok) = (client.clone(), url.to_string(), ok.clone());
        tasks.push(tokio::spawn(async move {
            for _ in 0..total / CONCURRENCY {
                let answer = client
                    .post(&url)
                    .header("X-Api-Key", "orchard_test_key")
                    .body(Bytes::from_static(BODY.as_bytes()))
                    .timeout(Duration::from_secs(10))
                    .send()
                    .await
                    .expect("answer");
                assert_eq!(answer.status(), 200);
                answer.bytes().await.expect("body");
                ok.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        t.await.expect("worker");
    }
    ok.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let total: u64 = std::env::var("PAYGEN_BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/outcomes.yaml");
        let sb = Sandbox::start(SandboxConfig {
            specs: vec![spec.into()],
            ..SandboxConfig::default()
        })
        .await
        .expect("sandbox");
        let client = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client");
        let pay = format!("http://127.0.0.1:{}/orchard/pay", sb.port());
        let made = client
            .post(&pay)
            .header("X-Api-Key", "orchard_test_key")
            .body(r#"{"ref":"bench","amount":100,"currency":"EUR"}"#)
            .send()
            .await
            .expect("pay");
        assert_eq!(made.status(), 200);
        let status = format!("http://127.0.0.1:{}/orchard/status", sb.port());
        let echo = format!("http://127.0.0.1:{}/echo", echo_server().await);
        // warm both up, then alternate rounds so machine load hits both alike
        rate(&client, &echo, total / 10).await;
        rate(&client, &status, total / 10).await;
        let (mut e, mut s) = (Vec::new(), Vec::new());
        for _ in 0..3 {
            e.push(rate(&client, &echo, total).await);
            s.push(rate(&client, &status, total).await);
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let (e, s) = (median(&mut e), median(&mut s));
        println!("echo (hyper, keep-alive):   {e:>9.0} req/s");
        println!("sandbox status call:        {s:>9.0} req/s");
        println!("ratio status/echo:          {:>9.2} (goal >= 0.50)", s / e);
        sb.stop().await;
    });
}
