//! Record -> drift -> replay for the four seed providers, on loopback (issue 14).
//!
//! For each provider the in-process sandbox plays the "real provider" from a deliberately
//! different variant of its seed spec: the seed spec with the small text edits of [`CASES`]
//! (each found exactly once), so the provider answers with an extra field, a new status value, a
//! renamed field and a changed amount format. The generated client is recorded either through
//! the recording proxy (`paygen_record::Recorder`) or by its own recording hook
//! (`paygen_record::client_recorder`, a `CassetteRecorder` in `EngineConfig::hook`); either
//! writes the scrubbed cassette, each signed answer's check made before scrubbing. Then:
//! * `paygen_codegen::drift` compares the cassette with the ORIGINAL spec and must find exactly
//!   the introduced differences (code, spec path, the field or value named), each located at a
//!   line of the original spec;
//! * no credential value, card number, bank account number, payer e-mail or CVV is in any
//!   cassette byte (raw, JSON-escaped or percent-encoded; the 3-digit CVV as a whole token);
//! * a call whose answer the client can no longer decode is in the cassette all the same;
//! * the replay server answers the same client from the cassette, offline: every outcome equals
//!   the recorded run's and the sandbox sees no further request;
//! * a sandbox serving the ORIGINAL spec with the cassette to replay (`SandboxConfig::replay`)
//!   answers the same client with the recorded reality, not with its rules.

#[allow(dead_code)] // each test binary uses a subset of the scenarios' helpers
mod drift_scenarios;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use drift_scenarios::{BANK_ACCOUNT, CARD, CVV, EMAIL};
use paygen_codegen::spec::Diagnostic;
use paygen_record::{client_recorder, Recorder, RecorderConfig, ReplayConfig, Replayer};
use paygen_runtime::cassette::{Exchange, SignatureCheck};
use paygen_runtime::{Credentials, Hook, Secret};
use paygen_sandbox::replay::Replay;
use paygen_sandbox::{Sandbox, SandboxConfig};

/// One provider's row: how its variant differs, and what drift must say about it.
struct Case {
    provider: &'static str,
    /// `(what the edit introduces, text of the seed spec, replacement)`.
    edits: &'static [(&'static str, &'static str, &'static str)],
    /// `(code, spec path, text the message must contain)`: exactly these differences.
    want: &'static [(&'static str, &'static str, &'static str)],
    /// Top-level request fields the replay matches recorded calls by.
    keys: &'static [&'static str],
    /// The call whose answer the client cannot decode any more (recorded and drifted anyway).
    undecodable: &'static str,
}

const CASES: &[Case] = &[
    Case {
        provider: "pockyt",
        edits: &[
            (
                "an extra field in the payout",
                "        status: \"{state.status}\"\n      balance_entry:",
                "        status: \"{state.status}\"\n        fee: \"0.00\"\n      balance_entry:",
            ),
            (
                "a new payout status",
                "      pending: { vars: { status: pending } }",
                "      pending: { vars: { status: queued } }",
            ),
            (
                "transactionNo renamed",
                "        transactionNo: \"{tx.id}\"\n        createdTime:",
                "        transactionId: \"{tx.id}\"\n        createdTime:",
            ),
            (
                "the balance amount as an object",
                "balance_entry: { amount: \"{balance.amount}\",",
                "balance_entry: { amount: { value: \"{balance.amount}\" },",
            ),
        ],
        want: &[
            ("D0004", "types.Payout.fields", "`result.fee`"),
            ("D0005", "types.PayoutStatus.values", "\"queued\""),
            ("D0004", "types.Payout.fields", "`result.transactionId`"),
            ("D0006", "types.BalanceEntry.fields.amount", "`balance[].amount` is an object"),
        ],
        keys: &["invoiceId"],
        undecodable: "payor_balance",
    },
    Case {
        provider: "cabbagino",
        edits: &[
            (
                "an extra field in the accepted answer",
                "external_id: \"{tx.reference}\", order_id: \"{tx.id}\" }\n      refused:",
                "external_id: \"{tx.reference}\", order_id: \"{tx.id}\", fee_amount: 0 }\n      refused:",
            ),
            (
                "a new transaction status",
                "      processing: { vars: { status: 3 } }",
                "      processing: { vars: { status: 8 } }",
            ),
            (
                "external_id renamed in the status answer",
                "        external_id: \"{tx.reference}\"\n        order_id: \"{tx.id}\"\n        amount:",
                "        merchant_order_id: \"{tx.reference}\"\n        order_id: \"{tx.id}\"\n        amount:",
            ),
            (
                "balances as decimal strings",
                "balance: { item: balance, wire: integer_minor, by_currency: true }",
                "balance: { item: balance, wire: decimal_string, by_currency: true }",
            ),
        ],
        want: &[
            ("D0004", "types.TransactionAccepted.fields", "`fee_amount`"),
            ("D0005", "types.TransactionStatus.values", "carries 8"),
            ("D0004", "types.TransactionStatusResponse.fields", "`merchant_order_id`"),
            ("D0006", "types.CurrencyBalance.fields.total", "`*.total` is a string"),
            ("D0006", "types.CurrencyBalance.fields.reserved", "`*.reserved` is a string"),
        ],
        keys: &["external_id"],
        undecodable: "balances",
    },
    Case {
        provider: "cactusgino",
        edits: &[
            (
                "an extra field in the invoice answer",
                "        invoice_id: \"{tx.id}\"\n      callback:",
                "        invoice_id: \"{tx.id}\"\n        commission: 0\n      callback:",
            ),
            (
                "a new invoice status",
                "      processing: { vars: { status: 3,",
                "      processing: { vars: { status: 8,",
            ),
            (
                "request_id renamed in the payout answer",
                "              request_id: \"{tx.reference}\"\n              success: true",
                "              merchant_request_id: \"{tx.reference}\"\n              success: true",
            ),
            (
                "the invoice amount as a decimal string",
                "        amount: \"{tx.amount}\"\n        currency: \"{tx.currency}\"\n        site_login:",
                "        amount: \"{tx.amount|string}.00\"\n        currency: \"{tx.currency}\"\n        site_login:",
            ),
        ],
        want: &[
            ("D0004", "types.InvoiceResult.fields", "`commission`"),
            ("D0005", "types.InvoiceStatus.values", "carries 8"),
            ("D0004", "types.InvoiceResult.fields", "`merchant_request_id`"),
            ("D0006", "types.InvoiceResult.fields.amount.money.wire", "is a string"),
        ],
        keys: &["request_id"],
        undecodable: "create_invoice",
    },
    Case {
        provider: "global_solutions",
        edits: &[
            (
                "an extra field in the transaction",
                "        reason: \"{state.reason?}\"\n      status_model:",
                "        reason: \"{state.reason?}\"\n        riskScore: 12\n      status_model:",
            ),
            (
                "a new operation type",
                "vars: { operationTypeCode: 1, operationType: Payment, token:",
                "vars: { operationTypeCode: 11, operationType: Payment, token:",
            ),
            (
                "invoiceId renamed in the status answer",
                "        invoiceId: \"{tx.reference}\"\n        accountId: \"{tx.req.accountId}\"\n        description: \"{tx.req.description?}\"\n        name: \"{tx.req.name?}\"\n        statusCode:",
                "        orderId: \"{tx.reference}\"\n        accountId: \"{tx.req.accountId}\"\n        description: \"{tx.req.description?}\"\n        name: \"{tx.req.name?}\"\n        statusCode:",
            ),
            (
                "the status amount with its currency",
                "      status_model:\n        transactionId: \"{tx.id}\"\n        amount: \"{tx.amount}\"",
                "      status_model:\n        transactionId: \"{tx.id}\"\n        amount: \"{tx.amount} {tx.currency}\"",
            ),
        ],
        want: &[
            ("D0004", "types.Transaction.fields", "`model.riskScore`"),
            ("D0005", "types.OperationType.values", "carries 11"),
            ("D0004", "types.Transaction.fields", "`model.orderId`"),
            ("D0006", "types.Transaction.fields.amount", "is a string"),
        ],
        keys: &["invoiceId"],
        undecodable: "status",
    },
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Writes the variant of `specs/<provider>.yaml` into `dir` and returns its path.
fn write_variant(case: &Case, dir: &Path) -> PathBuf {
    let original = root().join(format!("specs/{}.yaml", case.provider));
    let mut text = std::fs::read_to_string(&original).expect("seed spec");
    for (what, from, to) in case.edits {
        assert_eq!(
            text.matches(from).count(),
            1,
            "{}: the edit `{what}` must find `{from}` exactly once",
            case.provider
        );
        text = text.replacen(from, to, 1);
    }
    let path = dir.join(format!("{}.yaml", case.provider));
    std::fs::write(&path, text).expect("variant written");
    path
}

/// Every form a secret may take in a cassette byte.
fn forms(value: &str) -> Vec<String> {
    let json = serde_json::to_string(value).expect("json");
    let pct: String = value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    vec![value.to_string(), json.trim_matches('"').to_string(), pct]
}

/// Whether `needle` occurs in `hay` with no ASCII letter or digit on either side.
fn as_token(hay: &str, needle: &str) -> bool {
    let bytes = hay.as_bytes();
    hay.match_indices(needle).any(|(i, m)| {
        let before = i.checked_sub(1).map(|j| bytes[j]);
        let after = bytes.get(i + m.len()).copied();
        !before.is_some_and(|b| b.is_ascii_alphanumeric())
            && !after.is_some_and(|b| b.is_ascii_alphanumeric())
    })
}

fn assert_no_canary(provider: &str, bytes: &str, credentials: &[String]) {
    let mut canaries: Vec<&str> = credentials.iter().map(String::as_str).collect();
    canaries.extend([CARD, BANK_ACCOUNT, EMAIL]);
    for canary in canaries {
        for form in forms(canary) {
            assert!(
                !bytes.contains(&form),
                "{provider}: the cassette holds `{form}`:\n{bytes}"
            );
        }
    }
    assert!(
        !as_token(bytes, CVV),
        "{provider}: the cassette holds the CVV:\n{bytes}"
    );
}

fn located(d: &Diagnostic) -> String {
    format!("{}:{}:{}", d.file.display(), d.line, d.col)
}

/// Drift must report exactly `want`: each wanted difference once, nothing else.
fn assert_drift(case: &Case, found: &[Diagnostic], spec: &Path) {
    let shown: Vec<String> = found
        .iter()
        .map(|d| format!("{} {} {} {}", located(d), d.code, d.path, d.message))
        .collect();
    let mut unmatched: BTreeSet<usize> = (0..found.len()).collect();
    for (code, path, needle) in case.want {
        let hit = found.iter().enumerate().find(|(i, d)| {
            unmatched.contains(i)
                && d.code == *code
                && d.path == *path
                && d.message.contains(needle)
        });
        let Some((i, d)) = hit else {
            panic!(
                "{}: drift did not report {code} {path} `{needle}`; it found:\n{}",
                case.provider,
                shown.join("\n")
            );
        };
        assert!(
            d.file == spec && d.line > 0 && d.col > 0,
            "{}: not located in the original spec: {}",
            case.provider,
            located(d)
        );
        unmatched.remove(&i);
    }
    assert!(
        unmatched.is_empty(),
        "{}: drift reported differences nobody introduced:\n{}",
        case.provider,
        unmatched
            .iter()
            .map(|i| shown[*i].as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn exchanges_again(cassette: &Path) -> Vec<Exchange> {
    paygen_runtime::cassette::read(cassette).expect("cassette readable")
}

/// How the client's traffic is recorded.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Via {
    /// Through the recording proxy.
    Proxy,
    /// By the client's own recording hook.
    ClientHook,
}

/// Every answer of an operation the spec verifies was checked, before scrubbing, and verified.
fn assert_signatures_checked(case: &Case, spec: &paygen_codegen::Spec, exchanges: &[Exchange]) {
    let verified = |e: &&Exchange| {
        e.operation
            .as_ref()
            .and_then(|o| spec.operations.get(o))
            .is_some_and(|o| o.verify_response)
            && e.response.status.is_some_and(|s| (200..300).contains(&s))
    };
    let signed: Vec<&Exchange> = exchanges.iter().filter(verified).collect();
    let signs_answers = spec.signing.as_ref().is_some_and(|s| s.response.is_some());
    assert_eq!(
        !signed.is_empty(),
        signs_answers,
        "{}: the scenario meets the signed answers the spec has",
        case.provider
    );
    for e in &signed {
        assert_eq!(
            e.signature,
            SignatureCheck::Verified,
            "{}: `{:?}` was not verified at record time",
            case.provider,
            e.operation
        );
    }
    let others = exchanges.len() - signed.len();
    let unsigned = exchanges
        .iter()
        .filter(|e| e.signature == SignatureCheck::NotSigned)
        .count();
    assert_eq!(
        others, unsigned,
        "{}: only signed answers are checked",
        case.provider
    );
}

async fn run(case: &Case, via: Via) {
    let dir = std::env::temp_dir().join(format!(
        "paygen-drift-{}-{via:?}-{}",
        case.provider,
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let variant = write_variant(case, &dir);
    let sandbox = Sandbox::start(SandboxConfig {
        specs: vec![variant],
        // nothing settles or calls back while the scenario runs: one deterministic recording
        settle: Some(Duration::from_secs(3600)),
        port: 0,
        ..SandboxConfig::default()
    })
    .await
    .expect("the variant is a valid spec the sandbox serves");

    let spec = root().join(format!("specs/{}.yaml", case.provider));
    let loaded = paygen_codegen::check_file(&spec).expect("seed spec is clean");
    let test_credentials = loaded
        .spec
        .sandbox
        .as_ref()
        .map(|s| s.credentials.clone())
        .unwrap_or_default();
    let mut credentials = Credentials::new();
    for (name, value) in &test_credentials {
        credentials.insert(name, Secret::new(value.as_str()));
    }
    let cassettes = dir.join("cassettes");
    let recorded = match via {
        Via::Proxy => {
            let recorder = Recorder::start(RecorderConfig {
                spec: loaded.clone(),
                upstream: sandbox.base_url(case.provider),
                callbacks_to: None,
                out: cassettes.clone(),
                credentials: credentials.clone(),
                port: 0,
            })
            .await
            .expect("recorder");
            drift_scenarios::run(case.provider, &recorder.url(), None).await
        }
        Via::ClientHook => {
            let hook = client_recorder(&loaded.spec, &credentials, &cassettes).expect("recorder");
            let hook = std::sync::Arc::new(hook);
            let shared: std::sync::Arc<dyn Hook> = hook.clone();
            let outcomes = drift_scenarios::run(
                case.provider,
                &sandbox.base_url(case.provider),
                Some(shared),
            )
            .await;
            assert_eq!(
                hook.write_failures(),
                0,
                "{}: every write succeeded",
                case.provider
            );
            outcomes
        }
    };
    let failed = format!("{}: ", case.undecodable);
    assert!(
        recorded
            .iter()
            .any(|o| o.starts_with(&failed)
                && (o.ends_with("Undecodable") || o.ends_with("Unknown"))),
        "{}: `{}` should no longer decode: {recorded:?}",
        case.provider,
        case.undecodable
    );
    let sent = sandbox.requests_seen();

    let cassette = cassettes.join(format!("{}.jsonl", case.provider));
    let bytes = std::fs::read_to_string(&cassette).expect("cassette written");
    let values: Vec<String> = test_credentials.values().cloned().collect();
    assert_no_canary(case.provider, &bytes, &values);
    let exchanges = paygen_runtime::cassette::read(&cassette).expect("cassette readable");
    assert_eq!(
        exchanges.len() as u64,
        sent,
        "{}: every call is in the cassette",
        case.provider
    );

    assert_signatures_checked(case, &loaded.spec, &exchanges);
    let found = paygen_codegen::drift::drift(&loaded, &exchanges, true);
    assert_drift(case, &found, &spec);

    let config = ReplayConfig {
        keys: case.keys.iter().map(|k| k.to_string()).collect(),
        credentials: Some(credentials),
        port: 0,
    };
    let replayer = Replayer::start(&loaded.spec, exchanges, config)
        .await
        .expect("replay");
    let replayed = drift_scenarios::run(case.provider, &replayer.url(), None).await;
    assert_eq!(
        replayed, recorded,
        "{}: the replayed outcomes are the recorded ones",
        case.provider
    );
    assert_eq!(
        sandbox.requests_seen(),
        sent,
        "{}: replay never reaches the provider",
        case.provider
    );
    sandbox.stop().await;
    drop(replayer);

    // The sandbox serving the ORIGINAL spec answers from the cassette before its rules.
    let keys = case.keys.iter().map(|k| k.to_string()).collect();
    let cassette = vec![(case.provider.to_string(), exchanges_again(&cassette))];
    let replaying = Sandbox::start(SandboxConfig {
        specs: vec![spec.clone()],
        settle: Some(Duration::from_secs(3600)),
        replay: Some(std::sync::Arc::new(Replay::new(cassette, keys))),
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    let served =
        drift_scenarios::run(case.provider, &replaying.base_url(case.provider), None).await;
    assert_eq!(
        served, recorded,
        "{}: the sandbox's replay gives the recorded outcomes",
        case.provider
    );
    replaying.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

fn case(provider: &str) -> &'static Case {
    CASES
        .iter()
        .find(|c| c.provider == provider)
        .expect("a row for the provider")
}

#[tokio::test]
async fn pockyt_through_the_proxy() {
    run(case("pockyt"), Via::Proxy).await;
}

#[tokio::test]
async fn pockyt_by_the_client_hook() {
    run(case("pockyt"), Via::ClientHook).await;
}

#[tokio::test]
async fn cabbagino_through_the_proxy() {
    run(case("cabbagino"), Via::Proxy).await;
}

#[tokio::test]
async fn cabbagino_by_the_client_hook() {
    run(case("cabbagino"), Via::ClientHook).await;
}

#[tokio::test]
async fn cactusgino_through_the_proxy() {
    run(case("cactusgino"), Via::Proxy).await;
}

#[tokio::test]
async fn cactusgino_by_the_client_hook() {
    run(case("cactusgino"), Via::ClientHook).await;
}

#[tokio::test]
async fn global_solutions_through_the_proxy() {
    run(case("global_solutions"), Via::Proxy).await;
}

#[tokio::test]
async fn global_solutions_by_the_client_hook() {
    run(case("global_solutions"), Via::ClientHook).await;
}

/// The sandbox answers a recorded call from the cassette (by the declared key) and anything
/// else by its rules.
#[tokio::test]
async fn the_sandbox_replays_matching_calls_and_falls_back_to_its_rules() {
    let line = r#"{"kind":"call","operation":"deposit","request":{"method":"POST","path":"/v2/payment/deposit/","body":"{\"external_id\":\"rec-1\",\"amount\":2000}"},"response":{"status":200,"headers":[["content-type","application/json"]],"body":"{\"status\":4,\"type\":1,\"external_id\":\"rec-1\",\"order_id\":\"recorded-77\"}"},"signature":"not_signed"}"#;
    let exchange: Exchange = serde_json::from_str(line).expect("a recorded exchange");
    let replay = Replay::new(
        vec![("cabbagino".to_string(), vec![exchange])],
        vec!["external_id".to_string()],
    );
    let sandbox = Sandbox::start(SandboxConfig {
        specs: vec![root().join("specs/cabbagino.yaml")],
        replay: Some(std::sync::Arc::new(replay)),
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    let base = sandbox.base_url("cabbagino");
    assert_eq!(
        drift_scenarios::one_cabbagino_deposit(&base, "rec-1").await,
        r#"deposit: ok Accepted.status=4 Accepted.order_id="recorded-77""#,
        "the recorded answer"
    );
    let ruled = drift_scenarios::one_cabbagino_deposit(&base, "new-2").await;
    assert!(
        ruled.starts_with("deposit: ok Accepted.status=3 Accepted.order_id=\"17594"),
        "the rules answer what no recorded call matches: {ruled}"
    );
    sandbox.stop().await;
}
