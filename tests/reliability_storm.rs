//! The fault storm: over a thousand money-moving calls through the generated clients of every
//! seed provider against the in-process sandbox, each with one injected fault
//! (`X-Paygen-Fault`: timeout, reset, malformed body, bad response signature, 500, 503).
//!
//! For every call: the sandbox received it exactly once (no blind retry); an answer that does
//! not prove the outcome is `Error::OutcomeUnknown` (a bad signature proves nothing only where
//! the operation verifies answers; elsewhere the answer is typed); and `client.resolve(&error)`
//! resolves it: a lookup finds the transaction exactly when the sandbox processed the request
//! (a 5xx fault answers without processing), an awaited notification arrives with the
//! resolution's key exactly when it did.

// The storm uses a subset of the shared e2e helpers.
#[allow(dead_code)]
mod e2e_support;
#[path = "reliability_storm/inbox.rs"]
mod inbox;
mod support;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use e2e_support::{compressed, engine, start};
use inbox::Inbox;
use paygen_connectors::{cabbagino as cb, cactusgino as ct, global_solutions as gs, pockyt as pk};
use paygen_runtime::{http as h, webhook::parse_webhook_body, webhook::WebhookEncoding};
use paygen_runtime::{EngineConfig, Error, Reconcile};
use paygen_sandbox::{SandboxConfig, SandboxHandle};
use serde_json::{json, Map, Value};
use support::pockyt::{credentials as pk_creds, typed};

/// Every fault kind the sandbox injects that hides or spoils the answer.
const FAULTS: &[&str] = &[
    "timeout",
    "reset",
    "malformed",
    "bad-signature",
    "status=500",
    "status=503",
];
/// Calls per (operation, fault).
const PER_CELL: usize = 20;
/// Calls in flight at once.
const IN_FLIGHT: usize = 32;
/// The bar.
const MIN_CALLS: usize = 1000;

/// What happened to one call.
#[derive(Debug, Default)]
struct Report {
    /// `provider.operation fault #i`.
    label: String,
    /// The answer did not prove the outcome and the error said so.
    unknown: bool,
    /// `resolve` settled it (found / not found as the sandbox's truth says).
    resolved: bool,
    /// A typed answer (the fault did not spoil it).
    answered: bool,
    /// What went wrong, if anything.
    problem: Option<String>,
}

type Job = Pin<Box<dyn Future<Output = Report> + Send>>;

/// Whether the sandbox acts on a request under this fault (a 5xx answers without acting).
fn processes(fault: &str) -> bool {
    !fault.starts_with("status=")
}

/// Whether this fault leaves the outcome unproven for an operation (`verifies`: the operation
/// verifies its answers' signatures).
fn ambiguous(fault: &str, verifies: bool) -> bool {
    fault != "bad-signature" || verifies
}

/// The first half of every report: the call's result against the fault's expectation. Returns
/// the error to resolve, when there is one to resolve.
fn judge<T>(
    report: &mut Report,
    fault: &str,
    verifies: bool,
    result: Result<T, Error>,
) -> Option<Error> {
    match (ambiguous(fault, verifies), result) {
        (true, Err(e)) if e.is_outcome_unknown() => {
            let keyed = matches!(e.reconcile(), Some(Reconcile::Lookup { key, .. } | Reconcile::AwaitCallback { key, .. }) if !key.is_empty());
            if !keyed {
                report.problem = Some(format!("no resolution key: {e:?}"));
            }
            report.unknown = true;
            Some(e)
        }
        (true, Ok(_)) => {
            report.problem = Some("a spoiled answer was taken as an outcome".into());
            None
        }
        (true, Err(e)) => {
            report.problem = Some(format!("not an unknown outcome: {e}"));
            None
        }
        (false, Ok(_)) => {
            report.answered = true;
            None
        }
        (false, Err(e)) => {
            report.problem = Some(format!("an intact answer failed: {e}"));
            None
        }
    }
}

/// A lookup's verdict against the sandbox's truth.
fn settle_lookup(report: &mut Report, fault: &str, found: Option<bool>, what: &str) {
    match found {
        Some(found) if found == processes(fault) => report.resolved = true,
        Some(found) => {
            report.problem = Some(format!(
                "lookup says found={found}, sandbox processed={}",
                processes(fault)
            ))
        }
        None => report.problem = Some(format!("lookup did not answer: {what}")),
    }
}

/// An awaited notification's verdict: it arrives exactly when the sandbox processed the call.
async fn settle_callback(
    report: &mut Report,
    fault: &str,
    inbox: &Inbox,
    events: &[&str],
    key: &Map<String, Value>,
) {
    if key.is_empty() {
        report.problem = Some("empty callback key".into());
        return;
    }
    if processes(fault) {
        if inbox.wait_for(events, key).await {
            report.resolved = true;
        } else {
            report.problem = Some(format!("no {events:?} notification with {key:?}"));
        }
    } else {
        // processed ones arrive within ~50 ms here; give a non-processed one ten times that
        tokio::time::sleep(Duration::from_millis(500)).await;
        if inbox.has(events, key) {
            report.problem = Some("a notification for a request that was never processed".into());
        } else {
            report.resolved = true;
        }
    }
}

fn config(fault: Option<&str>) -> EngineConfig {
    EngineConfig {
        retry_backoff: Duration::from_millis(5),
        max_retry_after: Duration::from_millis(50),
        // generous: the machine may be busy, and only the `timeout` fault should time out
        ..engine(
            Duration::from_millis(if fault.is_some() { 1500 } else { 5000 }),
            fault,
        )
    }
}

async fn sandbox(spec: &str, inbox: &Inbox) -> SandboxHandle {
    start(SandboxConfig {
        notify_override: Some(inbox.url()),
        hold_limit: Duration::from_secs(3),
        ..compressed(spec)
    })
    .await
}

async fn run(jobs: Vec<Job>) -> Vec<Report> {
    let mut reports = Vec::with_capacity(jobs.len());
    let mut jobs = jobs.into_iter();
    loop {
        let mut set = tokio::task::JoinSet::new();
        for job in jobs.by_ref().take(IN_FLIGHT) {
            set.spawn(job);
        }
        if set.is_empty() {
            return reports;
        }
        while let Some(r) = set.join_next().await {
            reports.push(r.unwrap_or_else(|e| Report {
                label: "a call task".into(),
                problem: Some(format!("panicked: {e}")),
                ..Report::default()
            }));
        }
    }
}

/// Exactly one request per call: the sandbox saw `PER_CELL` requests of `op` with each fault.
fn sent_once(sb: &SandboxHandle, provider: &str, op: &str) -> Vec<String> {
    let requests = e2e_support::requests_for(sb, op);
    FAULTS
        .iter()
        .filter_map(|f| {
            // the sandbox records the fault it applied in its Debug form
            let applied = paygen_sandbox::Fault::parse(f)
                .map(|x| format!("{x:?}"))
                .ok();
            let n = requests
                .iter()
                .filter(|r| r.fault.is_some() && r.fault == applied)
                .count();
            (n != PER_CELL)
                .then(|| format!("{provider}.{op} {f}: {n} requests for {PER_CELL} calls"))
        })
        .collect()
}

fn fields_of(
    body: &[u8],
    enc: WebhookEncoding,
    name: Result<&'static str, Error>,
) -> Option<(&'static str, Map<String, Value>)> {
    Some((name.ok()?, parse_webhook_body(body, enc).ok()?))
}

// ------------------------------------------------------------------ Global Solutions

fn gs_creds() -> gs::Credentials {
    gs::Credentials {
        public_id: "pbid_2kajhh9oqhmpwjqgd529rg".into(),
        api_secret: "1234ABCD".into(),
    }
}

fn gs_verify(headers: &h::HeaderMap, body: &[u8]) -> Option<(&'static str, Map<String, Value>)> {
    gs::verify_webhook(&gs_creds(), headers, body).ok()?;
    let fields = parse_webhook_body(body, WebhookEncoding::Json).ok()?;
    fields_of(
        body,
        WebhookEncoding::Json,
        gs::WebhookEvent::from_fields(fields).map(|e| e.name()),
    )
}

async fn gs_lookup(c: &gs::Client, e: &Error, reference: &str, report: &mut Report, fault: &str) {
    match c.resolve(e).await {
        gs::Resolution::Answered(a) => {
            let found = match a {
                gs::LookupAnswer::StatusInvoice(list) => Some(
                    list.transactions
                        .unwrap_or_default()
                        .iter()
                        .any(|t| t.invoice_id.as_deref() == Some(reference)),
                ),
                other => {
                    report.problem = Some(format!("unexpected lookup {other:?}"));
                    return;
                }
            };
            settle_lookup(report, fault, found, "")
        }
        other => settle_lookup(report, fault, None, &format!("{other:?}")),
    }
}

async fn gs_storm() -> (Vec<Report>, Vec<String>) {
    let inbox = Inbox::start(gs::WEBHOOK_ACK, gs_verify).await;
    let sb = sandbox("specs/global_solutions.yaml", &inbox).await;
    let base = sb.base_url("global_solutions");
    let plain = gs::Client::with_base_url(&base, gs_creds(), config(None)).expect("client");
    let charge = |invoice: &str| -> gs::ChargeCardRequest {
        typed(json!({
            "amount": 1000, "currency": "EUR", "name": "John Doe", "invoiceId": invoice,
            "description": "storm", "accountId": "john@doe.com", "ip": "203.0.113.7",
            "card": { "pan": "4242424242424242", "cvv": "123", "expiryMonth": 12, "expiryYear": 2030 }
        }))
    };
    // completed payments to refund under faults
    let mut parents = Vec::new();
    for i in 0..FAULTS.len() * PER_CELL {
        match plain.charge_card(&charge(&format!("gs-parent-{i}"))).await {
            Ok(gs::ChargeCardResponse::Completed(t)) => parents.push(
                t.model
                    .and_then(|m| m.transaction_id)
                    .expect("transactionId"),
            ),
            other => panic!("a plain charge completes: {other:?}"),
        }
    }
    let mut jobs: Vec<Job> = Vec::new();
    for (fi, fault) in FAULTS.iter().copied().enumerate() {
        let c = gs::Client::with_base_url(&base, gs_creds(), config(Some(fault))).expect("client");
        for i in 0..PER_CELL {
            let reference = format!("gs-{fi}-{i}");
            // payments and payouts: found by status_invoice with their invoiceId
            let lookups: Vec<(&str, String)> = ["charge_card", "payout_card", "apm_payout"]
                .into_iter()
                .map(|op| (op, format!("{reference}-{op}")))
                .collect();
            for (op, invoice) in lookups {
                let (c, plain) = (c.clone(), plain.clone());
                let pan = "4242424242424242";
                let call: Pin<Box<dyn Future<Output = Result<(), Error>> + Send>> = match op {
                    "charge_card" => {
                        let req = charge(&invoice);
                        Box::pin(async move { c.charge_card(&req).await.map(drop) })
                    }
                    "payout_card" => {
                        let req: gs::PayoutCardRequest = typed(json!({
                            "pan": pan, "name": "John Doe", "amount": 1230, "currency": "EUR",
                            "invoiceId": invoice
                        }));
                        Box::pin(async move { c.payout_card(&req).await.map(drop) })
                    }
                    _ => {
                        let req: gs::ApmPayoutRequest = typed(json!({
                            "amount": 1000, "accountId": "john@deer.com", "currency": "EUR",
                            "description": "Payout", "invoiceId": invoice, "name": "John Deer",
                            "data": { "personId": "success@bank", "phone": "9555777666", "paymentTypeId": 2 }
                        }));
                        Box::pin(async move { c.apm_payout(&req).await.map(drop) })
                    }
                };
                jobs.push(Box::pin(async move {
                    let mut r = Report {
                        label: format!("gs.{op} {fault} #{i}"),
                        ..Report::default()
                    };
                    if let Some(e) = judge(&mut r, fault, false, call.await) {
                        gs_lookup(&plain, &e, &invoice, &mut r, fault).await;
                    }
                    r
                }));
            }
            // refunds: no lookup finds them; the refund notification names the payment
            let parent = parents[fi * PER_CELL + i];
            let req: gs::RefundRequest =
                typed(json!({ "transactionId": parent, "amount": 1, "currency": "EUR" }));
            let (c, plain, inbox) = (c.clone(), plain.clone(), inbox.clone());
            jobs.push(Box::pin(async move {
                let mut r = Report {
                    label: format!("gs.refund {fault} #{i}"),
                    ..Report::default()
                };
                if let Some(e) = judge(&mut r, fault, false, c.refund(&req).await) {
                    match plain.resolve(&e).await {
                        gs::Resolution::AwaitCallback { events, key } => {
                            settle_callback(&mut r, fault, &inbox, events, &key).await
                        }
                        other => r.problem = Some(format!("refund resolution {other:?}")),
                    }
                }
                r
            }));
        }
    }
    let reports = run(jobs).await;
    let mut problems = Vec::new();
    for op in ["charge_card", "payout_card", "apm_payout", "refund"] {
        problems.extend(sent_once(&sb, "gs", op));
    }
    sb.stop().await;
    (reports, problems)
}

// ------------------------------------------------------------------ Pockyt

fn pk_verify(headers: &h::HeaderMap, body: &[u8]) -> Option<(&'static str, Map<String, Value>)> {
    pk::verify_webhook(&pk_creds(), headers, body).ok()?;
    let fields = parse_webhook_body(body, WebhookEncoding::Form).ok()?;
    fields_of(
        body,
        WebhookEncoding::Form,
        pk::WebhookEvent::from_fields(fields).map(|e| e.name()),
    )
}

async fn pk_storm() -> (Vec<Report>, Vec<String>) {
    let inbox = Inbox::start(pk::WEBHOOK_ACK, pk_verify).await;
    let sb = sandbox("specs/pockyt.yaml", &inbox).await;
    let base = sb.base_url("pockyt");
    let plain = pk::Client::with_base_url(&base, pk_creds(), config(None)).expect("client");
    let (customer, token) = support::pockyt::payee_with_account(&plain, "storm@example.com").await;
    let mut jobs: Vec<Job> = Vec::new();
    for (fi, fault) in FAULTS.iter().copied().enumerate() {
        let c = pk::Client::with_base_url(&base, pk_creds(), config(Some(fault))).expect("client");
        for i in 0..PER_CELL {
            let (c, plain) = (c.clone(), plain.clone());
            let invoice = format!("pk-{fi}-{i}");
            let req =
                support::pockyt::transfer(&customer, &token, &invoice, 2500, &inbox.https_url());
            jobs.push(Box::pin(async move {
                let mut r = Report {
                    label: format!("pockyt.transfer {fault} #{i}"),
                    ..Report::default()
                };
                if let Some(e) = judge(&mut r, fault, false, c.transfer(&req).await) {
                    match plain.resolve(&e).await {
                        pk::Resolution::Answered(a) => {
                            let found = match a {
                                pk::LookupAnswer::PayoutInquiry(p) => {
                                    p.result.and_then(|p| p.invoice_id).as_deref()
                                        == Some(invoice.as_str())
                                }
                                other => {
                                    r.problem = Some(format!("unexpected lookup {other:?}"));
                                    return r;
                                }
                            };
                            settle_lookup(&mut r, fault, Some(found), "")
                        }
                        // the provider's "no such payout"
                        pk::Resolution::Refused(_) => settle_lookup(&mut r, fault, Some(false), ""),
                        other => settle_lookup(&mut r, fault, None, &format!("{other:?}")),
                    }
                }
                r
            }));
        }
    }
    let reports = run(jobs).await;
    let problems = sent_once(&sb, "pockyt", "transfer");
    sb.stop().await;
    (reports, problems)
}

// ------------------------------------------------------------------ Cabbagino

fn cb_creds() -> cb::Credentials {
    cb::Credentials {
        merchant_key: "test_merchant_key".into(),
        salt: "test_salt".into(),
    }
}

fn cb_verify(headers: &h::HeaderMap, body: &[u8]) -> Option<(&'static str, Map<String, Value>)> {
    cb::verify_webhook(&cb_creds(), headers, body).ok()?;
    let fields = parse_webhook_body(body, WebhookEncoding::Json).ok()?;
    fields_of(
        body,
        WebhookEncoding::Json,
        cb::WebhookEvent::from_fields(fields).map(|e| e.name()),
    )
}

async fn cb_await(c: &cb::Client, e: &Error, inbox: &Inbox, r: &mut Report, fault: &str) {
    match c.resolve(e).await {
        cb::Resolution::AwaitCallback { events, key } => {
            settle_callback(r, fault, inbox, events, &key).await
        }
        other => r.problem = Some(format!("resolution {other:?}")),
    }
}

async fn cb_storm() -> (Vec<Report>, Vec<String>) {
    let inbox = Inbox::start(cb::WEBHOOK_ACK, cb_verify).await;
    let sb = sandbox("specs/cabbagino.yaml", &inbox).await;
    let base = sb.base_url("cabbagino");
    let plain = cb::Client::with_base_url(&base, cb_creds(), config(None)).expect("client");
    let customer =
        json!({ "customer_id": "c1", "country": "LV", "first_name": "Test", "last_name": "Test" });
    let mut jobs: Vec<Job> = Vec::new();
    for (fi, fault) in FAULTS.iter().copied().enumerate() {
        let c = cb::Client::with_base_url(&base, cb_creds(), config(Some(fault))).expect("client");
        for i in 0..PER_CELL {
            let (c1, plain1, inbox1) = (c.clone(), plain.clone(), inbox.clone());
            let req: cb::DepositRequest = typed(json!({
                "payment_system": "TEST_PS", "external_id": format!("cb-d-{fi}-{i}"),
                "customer": customer, "amount": 1000, "currency": "USD"
            }));
            jobs.push(Box::pin(async move {
                let mut r = Report {
                    label: format!("cabbagino.deposit {fault} #{i}"),
                    ..Report::default()
                };
                if let Some(e) = judge(&mut r, fault, false, c1.deposit(&req).await) {
                    cb_await(&plain1, &e, &inbox1, &mut r, fault).await;
                }
                r
            }));
            let (c2, plain2, inbox2) = (c.clone(), plain.clone(), inbox.clone());
            let req: cb::PayoutRequest = typed(json!({
                "payment_system": "TEST_PS", "external_id": format!("cb-p-{fi}-{i}"),
                "customer": customer, "payment_data": { "phone": "994934331504" },
                "amount": 100, "currency": "USD"
            }));
            jobs.push(Box::pin(async move {
                let mut r = Report {
                    label: format!("cabbagino.payout {fault} #{i}"),
                    ..Report::default()
                };
                if let Some(e) = judge(&mut r, fault, false, c2.payout(&req).await) {
                    cb_await(&plain2, &e, &inbox2, &mut r, fault).await;
                }
                r
            }));
        }
    }
    let reports = run(jobs).await;
    let mut problems = sent_once(&sb, "cabbagino", "deposit");
    problems.extend(sent_once(&sb, "cabbagino", "payout"));
    sb.stop().await;
    (reports, problems)
}

// ------------------------------------------------------------------ Cactusgino

fn ct_creds() -> ct::Credentials {
    ct::Credentials {
        merchant_id: "test_api_v2".into(),
        salt: "test_api_v2".into(),
    }
}

fn ct_verify(headers: &h::HeaderMap, body: &[u8]) -> Option<(&'static str, Map<String, Value>)> {
    ct::verify_webhook(&ct_creds(), headers, body).ok()?;
    let fields = parse_webhook_body(body, WebhookEncoding::Json).ok()?;
    fields_of(
        body,
        WebhookEncoding::Json,
        ct::WebhookEvent::from_fields(fields).map(|e| e.name()),
    )
}

async fn ct_await(c: &ct::Client, e: &Error, inbox: &Inbox, r: &mut Report, fault: &str) {
    match c.resolve(e).await {
        ct::Resolution::AwaitCallback { events, key } => {
            settle_callback(r, fault, inbox, events, &key).await
        }
        other => r.problem = Some(format!("resolution {other:?}")),
    }
}

async fn ct_storm() -> (Vec<Report>, Vec<String>) {
    let inbox = Inbox::start(ct::WEBHOOK_ACK, ct_verify).await;
    let sb = sandbox("specs/cactusgino.yaml", &inbox).await;
    let base = sb.base_url("cactusgino");
    let plain = ct::Client::with_base_url(&base, ct_creds(), config(None)).expect("client");
    let mut jobs: Vec<Job> = Vec::new();
    for (fi, fault) in FAULTS.iter().copied().enumerate() {
        let c = ct::Client::with_base_url(&base, ct_creds(), config(Some(fault))).expect("client");
        for i in 0..PER_CELL {
            let (c1, plain1, inbox1) = (c.clone(), plain.clone(), inbox.clone());
            let req: ct::CreateInvoiceRequest = typed(json!({
                "site_login": "user_4", "site_id": 101, "request_id": format!("ct-i-{fi}-{i}"),
                "amount": 1000, "currency": "USD", "method": "card"
            }));
            jobs.push(Box::pin(async move {
                let mut r = Report {
                    label: format!("cactusgino.create_invoice {fault} #{i}"),
                    ..Report::default()
                };
                if let Some(e) = judge(&mut r, fault, true, c1.create_invoice(&req).await) {
                    ct_await(&plain1, &e, &inbox1, &mut r, fault).await;
                }
                r
            }));
            let (c2, plain2, inbox2) = (c.clone(), plain.clone(), inbox.clone());
            let req: ct::PayoutRequest = typed(json!({
                "site_login": "user_4", "site_id": 101, "request_id": format!("ct-p-{fi}-{i}"),
                "amount": 100, "currency": "USD", "method": "card",
                "additional_fields": { "card_number": "4242424242424242", "card_holder": "John Wick" }
            }));
            jobs.push(Box::pin(async move {
                let mut r = Report {
                    label: format!("cactusgino.payout {fault} #{i}"),
                    ..Report::default()
                };
                if let Some(e) = judge(&mut r, fault, true, c2.payout(&req).await) {
                    ct_await(&plain2, &e, &inbox2, &mut r, fault).await;
                }
                r
            }));
        }
    }
    let reports = run(jobs).await;
    let mut problems = sent_once(&sb, "cactusgino", "create_invoice");
    problems.extend(sent_once(&sb, "cactusgino", "payout"));
    sb.stop().await;
    (reports, problems)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_storm_every_unknown_outcome_is_sent_once_and_resolved() {
    let (a, b, c, d) = tokio::join!(gs_storm(), pk_storm(), cb_storm(), ct_storm());
    let mut reports = Vec::new();
    let mut problems = Vec::new();
    for (r, p) in [a, b, c, d] {
        reports.extend(r);
        problems.extend(p);
    }
    let calls = reports.len();
    let unknown = reports.iter().filter(|r| r.unknown).count();
    let resolved = reports.iter().filter(|r| r.unknown && r.resolved).count();
    let answered = reports.iter().filter(|r| r.answered).count();
    problems.extend(
        reports
            .iter()
            .filter_map(|r| r.problem.as_ref().map(|p| format!("{}: {p}", r.label))),
    );
    eprintln!(
        "fault storm: {calls} money-moving calls, {unknown} unknown outcomes, {resolved} resolved, \
         {answered} intact answers, {} problems",
        problems.len()
    );
    assert!(calls >= MIN_CALLS, "{calls} calls, at least {MIN_CALLS}");
    if let Ok(path) = std::env::var("STORM_PROBLEMS") {
        let _ = std::fs::write(path, problems.join("\n"));
    }
    assert!(
        problems.is_empty(),
        "{} problems, first 40:\n{}",
        problems.len(),
        problems
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(resolved, unknown, "every unknown outcome is resolved");
    assert_eq!(unknown + answered, calls);
}
