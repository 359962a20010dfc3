//! Tests of the time-dependent rule capabilities over HTTP against a small inline spec, with an
//! injected clock: list `date` filters with the rules' `timezones`, `{tx.created|epoch_ms}` /
//! `{tx.completed|epoch_ms}`, and `{balance.reserved}` for debits that are not final yet.

use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use paygen_runtime::{Clock, FixedClock};
use serde_json::{json, Value};

use crate::http::post;
use crate::{Sandbox, SandboxConfig, SandboxHandle};

const SPEC: &str = r#"
provider: diary
title: Diary test provider
environments:
  sandbox: https://diary.example.test
credentials:
  api_key: { secret: true }
auth:
  headers:
    X-Api-Key: { credential: api_key }
types:
  OutRequest:
    fields:
      ref: { type: string, required: true }
      amount: { type: money, required: true, money: { currency_field: currency, wire: integer_minor } }
      currency: { type: string, required: true, format: currency }
  RefRequest:
    fields:
      ref: { type: string, required: true }
  DayRequest:
    fields:
      date: { type: string }
      tz: { type: string }
  Answer:
    fields:
      id: { type: string }
operations:
  pay_out: { method: POST, path: /out, request: OutRequest, response: Answer, idempotency: { safe: false } }
  finish: { method: POST, path: /finish, request: RefRequest, response: Answer, idempotency: { safe: true } }
  day: { method: POST, path: /day, request: DayRequest, response: Answer, idempotency: { safe: true } }
  balance: { method: POST, path: /balance, request: DayRequest, response: Answer, idempotency: { safe: true } }
sandbox:
  credentials: { api_key: test_key }
  rules:
    ids: { start: 1, format: "D{n}" }
    settle_ms: 100000
    balances: { EUR: 10000 }
    timezones: { Far/East: "+03:00", Far/West: "-11:00" }
    errors:
      not_found: { status: 404, body: { error: "{message}" } }
      unauthorized: { status: 401, body: { error: "{message}" } }
      invalid: { status: 422, body: { error: "{message}" } }
      bad_signature: { status: 401, body: { error: "{message}" } }
    states:
      processing: {}
      paid: { result: succeeded }
    templates:
      row: { id: "{tx.id}", created: "{tx.created|epoch_ms}", completed: "{tx.completed|epoch_ms?}" }
      bal: { c: "{balance.currency}", total: "{balance.amount}", reserved: "{balance.reserved}" }
    operations:
      pay_out:
        create:
          kind: payout
          amount: amount
          reference: ref
          balance: debit
          outcomes: [ { state: processing, then: paid, manual: true } ]
        respond: { default: { body: { id: "{tx.id}", at: "{now}" } } }
      finish:
        find: { reference: ref }
        complete: true
        respond: { default: { body: { id: "{tx.id}" } } }
      day:
        list: { item: row, date: { field: date, timezone_field: tz } }
        respond: { default: { body: { items: "{items}" } } }
      balance:
        balance: { item: bal, wire: integer_minor }
        respond: { default: { body: "{balances}" } }
"#;

/// A clock the test moves.
#[derive(Debug)]
struct Hands(AtomicI64);

impl Clock for Hands {
    fn now_unix(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

fn spec_file(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("paygen-sandbox-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("diary.yaml");
    std::fs::write(&path, SPEC).expect("spec written");
    path
}

async fn start(tag: &str, clock: Arc<dyn Clock>) -> SandboxHandle {
    let spec = spec_file(tag);
    let config = SandboxConfig {
        specs: vec![spec.clone()],
        clock,
        ..SandboxConfig::default()
    };
    let sb = Sandbox::start(config).await.expect("sandbox starts");
    // the spec is read at start
    if let Some(dir) = spec.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
    sb
}

async fn call(sb: &SandboxHandle, path: &str, body: Value) -> (u16, Value) {
    let url = format!("{}{path}", sb.base_url("diary"));
    let key = vec![("X-Api-Key".to_string(), "test_key".to_string())];
    let a = post(
        &url,
        &key,
        body.to_string().as_bytes(),
        Duration::from_secs(5),
    )
    .await
    .expect("answer");
    let v = serde_json::from_str(&a.body).unwrap_or(Value::Null);
    (a.status, v)
}

async fn ids(sb: &SandboxHandle, ask: Value) -> Vec<String> {
    let (s, a) = call(sb, "/day", ask).await;
    assert_eq!(s, 200, "{a}");
    let items = a["items"].as_array().cloned().unwrap_or_default();
    items
        .iter()
        .filter_map(|i| i["id"].as_str().map(str::to_string))
        .collect()
}

const OCT24_2200: i64 = 1_603_576_800; // 2020-10-24T22:00:00Z = Oct 25, 01:00 at +03:00
const OCT25_1200: i64 = 1_603_627_200; // 2020-10-25T12:00:00Z
const OCT26_0500: i64 = 1_603_688_400; // 2020-10-26T05:00:00Z = Oct 25, 18:00 at -11:00

#[tokio::test]
async fn lists_keep_the_day_asked_in_its_time_zone() {
    let hands = Arc::new(Hands(AtomicI64::new(OCT24_2200)));
    let sb = start("day", hands.clone()).await;
    for (at, r) in [(OCT24_2200, "a"), (OCT25_1200, "b"), (OCT26_0500, "c")] {
        hands.0.store(at, Ordering::SeqCst);
        let out = json!({"ref": r, "amount": 100, "currency": "EUR"});
        assert_eq!(call(&sb, "/out", out).await.0, 200);
    }
    let day = |tz: Option<&str>| json!({"date": "2020-10-25", "tz": tz});
    assert_eq!(ids(&sb, day(None)).await, ["D2"], "UTC by default");
    assert_eq!(ids(&sb, day(Some("Far/East"))).await, ["D1", "D2"]);
    assert_eq!(ids(&sb, day(Some("Far/West"))).await, ["D2", "D3"]);
    assert_eq!(
        ids(&sb, json!({})).await,
        ["D1", "D2", "D3"],
        "no day asked"
    );
    let (s, a) = call(&sb, "/day", day(Some("Mars/Base"))).await;
    assert_eq!(
        (s, a),
        (422, json!({"error": "tz: unknown time zone `Mars/Base`"}))
    );
    let (s, a) = call(&sb, "/day", json!({"date": "2020-02-30"})).await;
    assert_eq!(s, 422, "{a}");

    hands.0.store(OCT26_0500 + 60, Ordering::SeqCst);
    assert_eq!(call(&sb, "/finish", json!({"ref": "a"})).await.0, 200);
    let (_, a) = call(&sb, "/day", day(Some("Far/East"))).await;
    assert_eq!(
        a["items"],
        json!([
            {"id": "D1", "created": OCT24_2200 * 1000, "completed": (OCT26_0500 + 60) * 1000},
            {"id": "D2", "created": OCT25_1200 * 1000}
        ]),
        "completed once final"
    );
    sb.stop().await;
}

#[tokio::test]
async fn reserved_holds_debits_until_they_are_final() {
    let sb = start("reserved", Arc::new(FixedClock(OCT25_1200))).await;
    let (_, a) = call(
        &sb,
        "/out",
        json!({"ref": "a", "amount": 300, "currency": "EUR"}),
    )
    .await;
    assert_eq!(
        a["at"], "2020-10-25T12:00:00Z",
        "{{now}} is the sandbox clock"
    );
    call(
        &sb,
        "/out",
        json!({"ref": "b", "amount": 50, "currency": "USD"}),
    )
    .await;
    let (_, a) = call(&sb, "/balance", json!({})).await;
    assert_eq!(
        a,
        json!([
            {"c": "EUR", "total": 10000, "reserved": 300},
            {"c": "USD", "total": 0, "reserved": 50}
        ])
    );
    call(&sb, "/finish", json!({"ref": "a"})).await;
    let (_, a) = call(&sb, "/balance", json!({})).await;
    assert_eq!(a[0], json!({"c": "EUR", "total": 9700, "reserved": 0}));
    sb.stop().await;
}
