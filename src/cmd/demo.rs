//! `paygen demo`: the sandbox in-process, a local webhook receiver, and the generated clients
//! running each provider's documented flows; prints a transcript (each flow once, in order, its
//! callbacks after its steps; with `--verbose` the redacted wire exchange of each step) and a
//! summary table.

#[path = "demo/cabbagino.rs"]
mod cabbagino;
#[path = "demo/cactusgino.rs"]
mod cactusgino;
#[path = "demo/global_solutions.rs"]
mod global_solutions;
#[path = "demo/pockyt.rs"]
mod pockyt;
#[path = "demo/receiver.rs"]
pub mod receiver;
#[path = "demo/wire.rs"]
mod wire;

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use paygen_runtime::cassette::Scrubber;
use paygen_runtime::currency::currency_exponent;
use paygen_runtime::money::minor_to_decimal_text;
use paygen_runtime::{redact::redact_text, Credentials, EngineConfig, MinorUnits};
use paygen_sandbox::{Sandbox, SandboxConfig, SandboxHandle};
use serde::de::DeserializeOwned;
use serde_json::Value;

use receiver::{Receiver, Verifier};
use wire::WireLog;

/// One flow's result.
struct Row {
    provider: &'static str,
    flow: String,
    expected: String,
    got: String,
}

/// What the provider flows share: the sandbox, the receiver and the results.
pub struct Demo {
    sandbox: SandboxHandle,
    receiver: Receiver,
    rows: Vec<Row>,
    /// Verified callbacks already shown, per provider (each is shown once).
    callbacks_shown: HashMap<&'static str, usize>,
    /// `--verbose`: the hook collecting each step's redacted wire exchange.
    wire: Option<Arc<WireLog>>,
}

impl Demo {
    /// Client settings for the demo: short timeouts, no retry waits worth noticing, and the
    /// wire log's hook with `--verbose`.
    fn config(&self) -> EngineConfig {
        EngineConfig {
            connect_timeout: Duration::from_secs(2),
            timeout: Duration::from_secs(10),
            retry_backoff: Duration::from_millis(20),
            hook: self
                .wire
                .clone()
                .map(|w| w as Arc<dyn paygen_runtime::engine::Hook>),
            ..EngineConfig::default()
        }
    }

    /// Prints the wire lines captured since the last transcript line (`--verbose` only).
    fn show_wire(&self) {
        if let Some(wire) = &self.wire {
            for line in wire.take() {
                println!("        {line}");
            }
        }
    }

    /// The provider's base URL in the sandbox.
    fn base_url(&self, provider: &str) -> String {
        self.sandbox.base_url(provider)
    }

    /// A test credential's value (from the spec's `sandbox.credentials`).
    fn credential(&self, provider: &str, name: &str) -> String {
        self.sandbox
            .credentials(provider)
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
            .unwrap_or_default()
    }

    /// The order id the sandbox gave a merchant reference (when the answer had none, e.g. a
    /// redirect): the demo reads it from the sandbox's record, as a merchant would from the callback.
    fn sandbox_order(&self, provider: &str, reference: &str) -> Option<String> {
        self.sandbox.transaction_id(provider, reference)
    }

    /// Prints one transcript line (secrets and card numbers redacted).
    fn say(&self, provider: &str, text: &str) {
        println!("  [{provider}] {}", redact_text(text));
        self.show_wire();
    }

    /// Records a flow's result and prints it.
    fn check(&mut self, provider: &'static str, flow: &str, expected: &str, got: &str) {
        self.record(provider, flow, expected, got, got);
    }

    /// Records a flow's result and prints it, `shown` standing for `got` when it is as expected
    /// (what `got` lists was printed already); a failure prints both in full.
    fn record(
        &mut self,
        provider: &'static str,
        flow: &str,
        expected: &str,
        got: &str,
        shown: &str,
    ) {
        let got = redact_text(got);
        if expected == got {
            println!("  [{provider}] ok   {flow}: {}", redact_text(shown));
        } else {
            println!("  [{provider}] FAIL {flow}: expected {expected}, got {got}");
        }
        self.show_wire();
        self.rows.push(Row {
            provider,
            flow: flow.to_string(),
            expected: expected.to_string(),
            got,
        });
    }

    /// Waits for the verified callbacks `expected` lists (`, `-separated, any order) beyond those
    /// already shown, shows each new one once and records the flow.
    async fn expect_callbacks(&mut self, provider: &'static str, flow: &str, expected: &str) {
        let shown = self.callbacks_shown.get(provider).copied().unwrap_or(0);
        let mut want: Vec<&str> = expected.split(", ").collect();
        let got = self
            .receiver
            .wait_for(provider, shown + want.len(), Duration::from_secs(10))
            .await;
        let new = got.get(shown..).unwrap_or_default();
        for r in new {
            self.say(
                provider,
                &format!("callback verified and acknowledged: {}", r.event),
            );
        }
        self.callbacks_shown.insert(provider, got.len().max(shown));
        let mut events: Vec<String> = new.iter().map(|r| r.event.clone()).collect();
        events.sort();
        want.sort_unstable();
        let shown = format!("{} of {}", events.len(), want.len());
        self.record(provider, flow, &want.join(", "), &events.join(", "), &shown);
    }
}

/// An amount in the demo's one money format: the decimal text with the currency's exponent from
/// the runtime's currency table, then the code (`40.11 EUR`).
fn money(minor: i64, currency: &str) -> String {
    let exponent = currency_exponent(currency).unwrap_or(2);
    let text = minor_to_decimal_text(MinorUnits(minor), exponent);
    format!("{text} {currency}")
}

/// Builds a typed request from its wire JSON (amounts in minor units).
fn req<T: DeserializeOwned>(v: Value) -> Result<T, String> {
    serde_json::from_value(v).map_err(|e| format!("demo request does not fit the type: {e}"))
}

/// Short text of an error (its phase and message).
fn err_text(e: &paygen_runtime::Error) -> String {
    redact_text(&e.to_string())
}

fn specs_dir() -> PathBuf {
    let local = PathBuf::from("specs");
    if local.join("global_solutions.yaml").exists() {
        return local;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("specs")
}

/// Each spec's `sandbox.credentials`: the one source of test values for the clients and for the
/// webhook receiver (which must exist before the sandbox, to give it the callback URL).
pub struct TestCredentials(HashMap<String, Vec<(String, String)>>);

impl TestCredentials {
    /// The specs' test credentials, and per provider the scrubber its spec implies (for the
    /// verbose wire log).
    fn load(files: &[PathBuf]) -> Result<(Self, HashMap<String, Scrubber>), String> {
        let mut by_provider = HashMap::new();
        let mut scrubbers = HashMap::new();
        for file in files {
            let loaded = paygen_codegen::check_file(file)
                .map_err(|d| paygen_codegen::spec::diag::render(&d))?;
            let creds: Vec<(String, String)> = loaded
                .spec
                .sandbox
                .as_ref()
                .map(|s| s.credentials.clone().into_iter().collect())
                .unwrap_or_default();
            let mut secrets = Credentials::new();
            for (name, value) in &creds {
                secrets.insert(name.clone(), value.as_str());
            }
            let scrubber = paygen_record::scrub::scrubber(&loaded.spec, &secrets);
            scrubbers.insert(loaded.spec.provider.clone(), scrubber);
            by_provider.insert(loaded.spec.provider, creds);
        }
        Ok((TestCredentials(by_provider), scrubbers))
    }

    /// One test credential's value (empty when the spec gives none).
    pub fn get(&self, provider: &str, name: &str) -> String {
        let creds = self.0.get(provider).map(Vec::as_slice).unwrap_or_default();
        creds
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

fn spec_files(dir: &std::path::Path, names: &[&str]) -> Vec<PathBuf> {
    names
        .iter()
        .map(|n| dir.join(format!("{n}.yaml")))
        .collect()
}

/// Runs the demo (with `verbose`, each step's redacted wire exchange too); exit 0 only when
/// every flow ended as documented.
pub fn run(verbose: bool) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(demo(verbose)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn demo(verbose: bool) -> Result<bool, String> {
    let specs = spec_files(
        &specs_dir(),
        &["global_solutions", "cabbagino", "cactusgino", "pockyt"],
    );
    let (tests, scrubbers) = TestCredentials::load(&specs)?;
    let mut verifiers: HashMap<String, (Verifier, paygen_runtime::webhook::Ack)> = HashMap::new();
    global_solutions::register(&mut verifiers, &tests);
    cabbagino::register(&mut verifiers, &tests);
    cactusgino::register(&mut verifiers, &tests);
    pockyt::register(&mut verifiers, &tests);
    let receiver = Receiver::start(verifiers)
        .await
        .map_err(|e| format!("cannot start the webhook receiver: {e}"))?;
    let sandbox = Sandbox::start(SandboxConfig {
        specs,
        notify_override: Some(receiver.url_template()),
        time_scale: 0.001,
        settle: Some(Duration::from_millis(150)),
        ..SandboxConfig::default()
    })
    .await?;
    println!(
        "paygen demo: sandbox on http://127.0.0.1:{}, webhook receiver on http://127.0.0.1:{}",
        sandbox.port(),
        receiver.port
    );
    let mut d = Demo {
        sandbox,
        receiver,
        rows: Vec::new(),
        callbacks_shown: HashMap::new(),
        wire: verbose.then(|| Arc::new(WireLog::new(scrubbers))),
    };
    println!("\n== Global Solutions ==");
    global_solutions::run(&mut d).await;
    println!("\n== Cabbagino ==");
    cabbagino::run(&mut d).await;
    println!("\n== Cactusgino ==");
    cactusgino::run(&mut d).await;
    println!("\n== Pockyt ==");
    pockyt::run(&mut d).await;
    let ok = summary(&d);
    d.sandbox.stop().await;
    d.receiver.stop().await;
    Ok(ok)
}

fn summary(d: &Demo) -> bool {
    println!("\nSummary");
    let w = d
        .rows
        .iter()
        .map(|r| r.flow.len())
        .max()
        .unwrap_or(4)
        .max(4);
    println!("  {:<18} {:<w$}  result", "provider", "flow");
    let mut all = true;
    for r in &d.rows {
        let ok = r.expected == r.got;
        all &= ok;
        let res = if ok {
            "ok".to_string()
        } else {
            format!("FAIL (expected {}, got {})", r.expected, r.got)
        };
        println!("  {:<18} {:<w$}  {res}", r.provider, r.flow);
    }
    let requests = d.sandbox.requests().len();
    let passed = d.rows.iter().filter(|r| r.expected == r.got).count();
    println!(
        "\n{passed}/{} flows as documented; the sandbox received {requests} requests.",
        d.rows.len()
    );
    all
}
