//! The provider's rules as spec data, the control API and the placed faults, over HTTP against
//! `fixtures/outcomes.yaml`: outcome-table rows walk their status paths on the sandbox's clock
//! (advanced through `/__paygen/clock/advance`, never slept through), a repeated reference is
//! answered by body, and faults land before the provider logic, after it committed, or on the
//! callback after answering.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use paygen_sandbox::http::{post, Limits, Reply, Request, Response, Server};
use paygen_sandbox::{Sandbox, SandboxConfig, SandboxHandle};
use serde_json::{json, Value};

const KEY: &str = "orchard_test_key";

/// Callback bodies as received, in order.
type Seen = Arc<Mutex<Vec<Value>>>;

/// A receiver answering the documented `OK`.
async fn receiver() -> (Server, Seen) {
    let seen: Seen = Arc::default();
    let record = seen.clone();
    let answer = move |req: Request| {
        let body = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
        record.lock().expect("lock").push(body);
        let ok = Response {
            status: 200,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: b"OK".to_vec(),
        };
        std::future::ready(Reply::Respond(ok))
    };
    let server = Server::start(0, Limits::default(), Arc::new(answer))
        .await
        .expect("receiver");
    (server, seen)
}

async fn start() -> SandboxHandle {
    let config = SandboxConfig {
        specs: vec![concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/outcomes.yaml").into()],
        ..SandboxConfig::default()
    };
    Sandbox::start(config).await.expect("sandbox starts")
}

/// POSTs JSON to a sandbox path (with the API key and, when given, a fault header).
async fn call(sb: &SandboxHandle, path: &str, body: &Value, fault: Option<&str>) -> (u16, Value) {
    let url = format!("http://127.0.0.1:{}{path}", sb.port());
    let mut headers = vec![("X-Api-Key".to_string(), KEY.to_string())];
    if let Some(f) = fault {
        headers.push(("X-Paygen-Fault".to_string(), f.to_string()));
    }
    match post(
        &url,
        &headers,
        body.to_string().as_bytes(),
        Duration::from_secs(2),
    )
    .await
    {
        Ok(a) => (
            a.status,
            serde_json::from_str(&a.body).unwrap_or(Value::Null),
        ),
        Err(e) => (0, Value::String(e)),
    }
}

async fn pay(sb: &SandboxHandle, body: Value) -> (u16, Value) {
    call(sb, "/orchard/pay", &body, None).await
}

async fn status(sb: &SandboxHandle, id: &str) -> String {
    let (_, a) = call(sb, "/orchard/status", &json!({ "id": id }), None).await;
    a["status"].as_str().unwrap_or("?").to_string()
}

/// Advances the sandbox's clock through the control API.
async fn advance(sb: &SandboxHandle, ms: u64) {
    let (s, a) = call(
        sb,
        &format!("/__paygen/clock/advance?ms={ms}"),
        &json!({}),
        None,
    )
    .await;
    assert_eq!(s, 200, "{a}");
}

/// Polls (bounded, no fixed sleep) until the transaction shows `want`.
async fn reaches(sb: &SandboxHandle, id: &str, want: &str) -> bool {
    for _ in 0..200 {
        if status(sb, id).await == want {
            return true;
        }
        tokio::task::yield_now().await;
    }
    false
}

/// Waits (bounded) until `n` callbacks arrived.
async fn callbacks(seen: &Seen, n: usize) -> Vec<Value> {
    for _ in 0..300 {
        if seen.lock().expect("lock").len() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    seen.lock().expect("lock").clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outcome_rows_walk_their_status_paths_on_the_sandbox_clock() {
    let sb = start().await;
    let (_, a) = pay(
        &sb,
        json!({"ref": "r77", "amount": 1077, "currency": "EUR"}),
    )
    .await;
    assert_eq!(a, json!({"id": "P1", "status": "processing"}));
    advance(&sb, 500).await;
    assert!(
        reaches(&sb, "P1", "succeeded").await,
        "succeeded after 0.5 s"
    );
    assert_eq!(sb.balance("orchard", "EUR"), Some(1077));
    advance(&sb, 10_000).await;
    assert!(
        reaches(&sb, "P1", "refunded").await,
        "then refunded 10 s later"
    );

    let card =
        json!({"ref": "rc", "amount": 500, "currency": "EUR", "card": {"pan": "4000000000000002"}});
    let (_, a) = pay(&sb, card).await;
    assert_eq!(a["status"], "processing");
    advance(&sb, 1_500).await;
    assert_eq!(status(&sb, "P2").await, "processing", "not before its 2 s");
    advance(&sb, 500).await;
    let ok = reaches(&sb, "P2", "declined").await;
    assert!(ok, "the test card declines: {}", status(&sb, "P2").await);

    let person = json!({"ref": "rp", "amount": 500, "currency": "EUR", "person": "P-REVIEW"});
    let (_, a) = pay(&sb, person).await;
    assert_eq!(a["status"], "review");
    advance(&sb, 60_000).await;
    assert!(reaches(&sb, "P3", "succeeded").await);
    sb.stop().await;
}

#[tokio::test]
async fn a_repeated_reference_is_answered_by_its_body() {
    let sb = start().await;
    let first = json!({"ref": "dup", "amount": 100, "currency": "EUR"});
    let (s, a) = pay(&sb, first.clone()).await;
    assert_eq!((s, a["id"].clone()), (200, json!("P1")));
    let (s, again) = pay(&sb, first).await;
    assert_eq!((s, again), (200, a), "same body: the first answer");
    let other = json!({"ref": "dup", "amount": 101, "currency": "EUR"});
    let (s, refused) = pay(&sb, other).await;
    assert_eq!(s, 409, "{refused}");
    assert_eq!(refused["error"], "duplicate_reference");
    assert_eq!(sb.request_count("orchard", "pay"), 3);
    assert_eq!(
        sb.balance("orchard", "EUR"),
        Some(0),
        "nothing settled twice"
    );
    sb.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_control_api_lists_fires_and_resets() {
    let (rx, seen) = receiver().await;
    let sb = start().await;
    let notify = format!("http://127.0.0.1:{}/cb", rx.port());
    let body = json!({"ref": "c1", "amount": 100, "currency": "EUR", "notify": notify});
    // the fault holds the callback back an hour; the control API sends it now
    let (s, _) = call(&sb, "/orchard/pay", &body, Some("callback-delay=3600000")).await;
    assert_eq!(s, 200);
    advance(&sb, 1_000).await;
    assert!(reaches(&sb, "P1", "succeeded").await);
    assert!(seen.lock().expect("lock").is_empty(), "held back an hour");
    let (s, _) = call(&sb, "/__paygen/callbacks/fire", &json!({}), None).await;
    assert_eq!(s, 200);
    let got = callbacks(&seen, 1).await;
    assert_eq!(got, vec![json!({"id": "P1", "status": "succeeded"})]);

    let url = format!("http://127.0.0.1:{}/__paygen/requests", sb.port());
    let listed = reqwest_get(&url).await;
    assert_eq!(listed["seen"], json!(sb.requests_seen()));
    let ops: Vec<&str> = listed["requests"]
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["operation"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(&ops[..2], ["pay", "status"]);
    let stats = reqwest_get(&format!("http://127.0.0.1:{}/__paygen/stats", sb.port())).await;
    assert!(
        stats["server"]["connections"].as_u64() >= Some(1),
        "{stats}"
    );
    assert_eq!(stats["server"]["malformed"], 0);

    let (s, _) = call(&sb, "/__paygen/reset", &json!({}), None).await;
    assert_eq!(s, 200);
    assert_eq!(sb.requests_seen(), 0);
    assert_eq!(
        sb.balance("orchard", "EUR"),
        Some(0),
        "opening balance again"
    );
    assert_eq!(status(&sb, "P1").await, "?", "transactions forgotten");
    let (_, a) = pay(&sb, json!({"ref": "c1", "amount": 5, "currency": "EUR"})).await;
    assert_eq!(a["id"], "P1", "ids start again");
    sb.stop().await;
}

/// A GET through the same loopback client the sandbox uses for callbacks.
async fn reqwest_get(url: &str) -> Value {
    let answer = reqwest::get(url).await.expect("GET");
    answer.json().await.expect("JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_land_where_they_are_placed() {
    let (rx, seen) = receiver().await;
    let sb = start().await;
    let notify = format!("http://127.0.0.1:{}/cb", rx.port());
    let order = |r: &str| json!({"ref": r, "amount": 100, "currency": "EUR", "notify": notify});

    let (s, _) = call(&sb, "/orchard/pay", &order("before"), Some("reset-before")).await;
    assert_eq!(s, 0, "no answer");
    assert_eq!(
        sb.transaction_id("orchard", "before"),
        None,
        "never reached the provider"
    );

    let (s, _) = call(&sb, "/orchard/pay", &order("after"), Some("reset")).await;
    assert_eq!(s, 0, "no answer");
    let id = sb.transaction_id("orchard", "after").expect("committed");
    assert_eq!(
        status(&sb, &id).await,
        "processing",
        "the answer was lost, not the payment"
    );

    let (s, _) = call(&sb, "/orchard/pay", &order("lost"), Some("callback-lost")).await;
    assert_eq!(s, 200);
    let (s, _) = call(
        &sb,
        "/orchard/pay",
        &order("twice"),
        Some("callback-duplicate"),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = call(
        &sb,
        "/orchard/pay",
        &order("late"),
        Some("callback-delay=5000"),
    )
    .await;
    assert_eq!(s, 200);
    advance(&sb, 1_000).await;
    // `after` and `twice` (twice) arrive; `late` waits; `lost` never comes
    let got = callbacks(&seen, 3).await;
    let ids: Vec<&str> = got.iter().filter_map(|b| b["id"].as_str()).collect();
    let lost = sb.transaction_id("orchard", "lost").expect("lost");
    let twice = sb.transaction_id("orchard", "twice").expect("twice");
    let late = sb.transaction_id("orchard", "late").expect("late");
    assert_eq!(ids.iter().filter(|i| **i == twice).count(), 2, "{ids:?}");
    assert!(
        ids.contains(&id.as_str()) && !ids.contains(&late.as_str()),
        "{ids:?}"
    );
    assert_eq!(status(&sb, &lost).await, "succeeded");
    advance(&sb, 5_000).await;
    let got = callbacks(&seen, 4).await;
    assert_eq!(
        got.last().and_then(|b| b["id"].as_str()),
        Some(late.as_str()),
        "out of order"
    );
    assert!(
        got.iter().all(|b| b["id"] != json!(lost)),
        "the lost one never came"
    );
    sb.stop().await;
}

#[tokio::test]
async fn a_spec_without_a_sandbox_section_is_served_from_its_examples() {
    let spec = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/specs/ok/minimal.yaml"
    );
    let sb = Sandbox::start(SandboxConfig {
        specs: vec![spec.into()],
        ..SandboxConfig::default()
    })
    .await
    .expect("served, not refused");
    // no test credentials: the auth header and the signature need only be present
    let url = format!("{}/balances/?signature=any", sb.base_url("minimal"));
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let answer = client
        .get(&url)
        .header("MERCHANT_KEY", "any-key")
        .send()
        .await
        .expect("answer");
    let status = answer.status();
    let body: Value = answer.json().await.expect("JSON");
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"EUR": {"total": 1000, "currency": "EUR"}, "JPY": {"total": 5, "currency": "JPY"}}),
        "the documented example"
    );
    let unauthenticated = client.get(&url).send().await.expect("answer");
    assert_eq!(
        unauthenticated.status(),
        401,
        "the auth header is still required"
    );
    let (s, a) = call(&sb, "/minimal/nope", &json!({}), None).await;
    assert_eq!((s, a["error"].clone()), (404, json!("not_found")));
    sb.stop().await;
}
