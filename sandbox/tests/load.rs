//! Bounded resources under load: status calls over keep-alive connections at concurrency 32,
//! with RSS growth after warm-up under 10 MB and no request lost. 10,000 requests by default;
//! `PAYGEN_LOAD_REQUESTS=100000 cargo test --release -p paygen-sandbox --test load` runs the full
//! issue figure (see `sandbox/README.md`). The test stops by itself (every call has a timeout).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use paygen_sandbox::{Sandbox, SandboxConfig};

const CONCURRENCY: u64 = 32;
const WARM_UP: u64 = 3_000;
const LIMIT_MB: f64 = 10.0;

/// Resident set size of this process in kB (Linux).
fn rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Sends `total` status calls from `CONCURRENCY` tasks; returns how many were answered 200.
async fn burst(client: &reqwest::Client, url: &str, total: u64) -> u64 {
    let ok = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for worker in 0..CONCURRENCY {
        let (client, url, ok) = (client.clone(), url.to_string(), ok.clone());
        let share = total / CONCURRENCY + u64::from(worker < total % CONCURRENCY);
        tasks.push(tokio::spawn(async move {
            for _ in 0..share {
                let sent = client
                    .post(&url)
                    .header("X-Api-Key", "orchard_test_key")
                    .body(r#"{"id":"P1"}"#)
                    .timeout(Duration::from_secs(10))
                    .send()
                    .await;
                if let Ok(answer) = sent {
                    if answer.status() == 200 && answer.bytes().await.is_ok() {
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    ok.load(Ordering::Relaxed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_calls_under_load_keep_memory_bounded_and_lose_nothing() {
    let total: u64 = std::env::var("PAYGEN_LOAD_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let config = SandboxConfig {
        specs: vec![concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/outcomes.yaml").into()],
        ..SandboxConfig::default()
    };
    let sb = Sandbox::start(config).await.expect("sandbox starts");
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(CONCURRENCY as usize)
        .build()
        .expect("client");
    let base = format!("http://127.0.0.1:{}/orchard", sb.port());
    let created = client
        .post(format!("{base}/pay"))
        .header("X-Api-Key", "orchard_test_key")
        .body(r#"{"ref":"load","amount":100,"currency":"EUR"}"#)
        .send()
        .await
        .expect("pay");
    assert_eq!(created.status(), 200);
    let status_url = format!("{base}/status");

    assert_eq!(burst(&client, &status_url, WARM_UP).await, WARM_UP);
    let before = rss_kb().expect("VmRSS");
    let started = Instant::now();
    let answered = burst(&client, &status_url, total).await;
    let elapsed = started.elapsed();
    let after = rss_kb().expect("VmRSS");

    let growth_mb = after.saturating_sub(before) as f64 / 1024.0;
    let stats = sb.server_stats();
    eprintln!(
        "load: {answered}/{total} answered in {elapsed:.2?} ({:.0} req/s), RSS {before} -> {after} kB (+{growth_mb:.2} MB), {} connections, kept {} of {} records",
        answered as f64 / elapsed.as_secs_f64(),
        stats.connections,
        sb.requests().len(),
        sb.requests_seen(),
    );
    assert_eq!(answered, total, "no request lost");
    assert_eq!(sb.request_count("orchard", "status"), WARM_UP + total);
    assert_eq!(stats.refused_busy + stats.timed_out + stats.malformed, 0);
    assert!(
        stats.connections <= 2 * CONCURRENCY,
        "keep-alive reuses connections: {stats:?}"
    );
    assert!(growth_mb < LIMIT_MB, "RSS grew {growth_mb:.2} MB");
    sb.stop().await;
}
