//! The sandbox serves every spec the workspace holds (`specs/*.yaml` and `tests/specs/ok/**`,
//! found by listing: a new spec is served and smoke-tested with no Rust edit): each operation's
//! documented example request, prepared by the runtime's spec interpreter with the spec's sandbox
//! test credentials (the path `paygen request` takes: encode, sign, place), is answered on
//! 127.0.0.1 — authenticated and verified (not 401), accepted as valid (not 400/422), no server
//! error — and a JSON answer decodes as JSON. The sandbox's state is reset before each example.

#[allow(dead_code)] // shared support: this test uses the preparation helpers, not the replay ones
#[path = "../fixtures/tests/examples_support/mod.rs"]
mod examples_support;

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use examples_support::interpret::{drop_signature, encode, prepare};
use examples_support::replay::{completed, label};
use examples_support::{credentials, lower, to_typed_json, Filled};
use paygen_codegen::ir::{self, AnswerKind, Provider};
use paygen_codegen::table;
use paygen_runtime::engine::PreparedRequest;
use paygen_runtime::FixedClock;
use paygen_sandbox::{Sandbox, SandboxConfig, SandboxHandle};
use paygen_testkit::specs::discover;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Longest wait for one answer.
const LIMIT: Duration = Duration::from_secs(10);

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// The documented request prepared for the sandbox (its test credentials, the current time).
fn prepare_for(
    p: &Provider,
    spec: &paygen_codegen::Spec,
    op: &ir::Operation,
    wire: &Value,
    base: &str,
) -> Result<PreparedRequest, String> {
    let clock = FixedClock(now());
    // Credential values the example carries are the provider's, not the sandbox's.
    let creds = credentials(spec, &Filled::default());
    let body = match op.request.as_deref() {
        Some(ty) => {
            let mut typed = to_typed_json(p, ty, wire, &mut Filled::default());
            drop_signature(p, op, &mut typed);
            let table = table::request_table(p);
            Some(encode(&table, ty, &typed, &creds, &clock).map_err(|e| e.to_string())?)
        }
        None => None,
    };
    prepare(p, op, &creds, &clock, base, body)
}

/// Sends a prepared request over one HTTP/1.1 connection; (status, body).
async fn send(r: &PreparedRequest) -> Result<(u16, Vec<u8>), String> {
    let rest = r.url.strip_prefix("http://").ok_or("not http")?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut head = format!(
        "{} {path} HTTP/1.1\r\nHost: {authority}\r\n",
        r.method.as_str()
    );
    for (k, v) in &r.headers {
        if !k.eq_ignore_ascii_case("content-length") && !k.eq_ignore_ascii_case("host") {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        r.body.len()
    ));
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(authority).await?;
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(&r.body).await?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await?;
        Ok::<_, std::io::Error>(answer)
    };
    let answer = tokio::time::timeout(LIMIT, exchange)
        .await
        .map_err(|_| "no answer in time".to_string())?
        .map_err(|e| e.to_string())?;
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no header end")?;
    let status = std::str::from_utf8(&answer[..split])
        .ok()
        .and_then(|h| h.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or("no status")?;
    let body = answer[split + 4..].to_vec();
    Ok((status, body))
}

/// Whether the answer decodes: JSON text when the operation answers JSON only.
fn decodes(op: &ir::Operation, body: &[u8]) -> bool {
    let json_only = op.answers.iter().all(|a| matches!(a, AnswerKind::Json));
    !json_only || body.is_empty() || serde_json::from_slice::<Value>(body).is_ok()
}

async fn smoke(sandbox: &SandboxHandle, path: &str) -> (usize, Vec<String>) {
    let (p, spec) = lower(path);
    let (mut answered, mut failures) = (0, Vec::new());
    for op in &p.operations {
        let base = match op.host.as_str() {
            "default" => sandbox.base_url(&p.id),
            host => format!("{}/~{host}", sandbox.base_url(&p.id)),
        };
        for ex in &op.examples {
            let Some(wire) = completed(ex) else { continue };
            let label = label(&p, op, ex);
            // Each example on a fresh state: examples may share an order id.
            sandbox.reset();
            let outcome = match prepare_for(&p, &spec, op, &wire, &base) {
                Ok(r) => send(&r).await,
                Err(e) => Err(format!("not prepared: {e}")),
            };
            match outcome {
                Ok((status, body)) if matches!(status, 400 | 401 | 422) || status >= 500 => {
                    failures.push(format!(
                        "{label}: HTTP {status} {}",
                        String::from_utf8_lossy(&body)
                    ))
                }
                Ok((_, body)) if !decodes(op, &body) => failures.push(format!(
                    "{label}: the answer is not JSON: {}",
                    String::from_utf8_lossy(&body)
                )),
                Ok(_) => answered += 1,
                Err(e) => failures.push(format!("{label}: {e}")),
            }
        }
    }
    (answered, failures)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_answers_every_documented_request_of_every_spec() {
    let specs = discover(Path::new("."));
    let mut failures = Vec::new();
    let mut answered = 0;
    for spec in &specs {
        let path = spec.path.display().to_string();
        let sandbox = Sandbox::start(SandboxConfig {
            specs: vec![spec.path.clone()],
            ..SandboxConfig::default()
        })
        .await
        .unwrap_or_else(|e| panic!("{path}: the sandbox refuses the spec: {e}"));
        let (n, f) = smoke(&sandbox, &path).await;
        sandbox.stop().await;
        eprintln!("{path}: {n} documented requests answered");
        if spec.shipped && f.is_empty() {
            assert!(
                n > 0,
                "{path}: no operation has a documented example request; a spec in specs/ must carry \
                 the provider's documented request/response pairs under `operations.<op>.examples` \
                 (README, Adding a provider, step 1)"
            );
        }
        answered += n;
        failures.extend(f);
    }
    assert!(
        failures.is_empty(),
        "{} of {} documented requests not answered:\n{}",
        failures.len(),
        answered + failures.len(),
        failures.join("\n")
    );
}
