//! paygen-sandbox: a spec-driven provider simulator on 127.0.0.1 (see `sandbox/README.md`).
//!
//! Specs are read at run time ([`paygen_codegen::check_file`]), so a user's own spec is served
//! without a rebuild. Start it with [`Sandbox::start`], point generated clients at
//! [`SandboxHandle::base_url`], inspect [`SandboxHandle::requests`] and stop it with
//! [`SandboxHandle::stop`].

mod actions;
mod calendar;
#[cfg(test)]
mod capability_tests;
pub mod fault;
mod handler;
pub mod http;
mod notify;
pub mod provider;
pub mod rules;
mod server;
mod signing;
pub mod state;
pub mod template;
pub mod validate;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use paygen_runtime::{Clock, SystemClock};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::AbortHandle;

pub use fault::{Fault, FaultRule, FAULT_HEADER};
pub use provider::Provider;

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Spec files to serve.
    pub specs: Vec<PathBuf>,
    /// Send every callback here (`{provider}` is replaced by the provider id) instead of the URL
    /// the request gave.
    pub notify_override: Option<String>,
    /// Multiplies documented delays (callback retry schedule, settle time): 0.001 turns 45 s
    /// into 45 ms.
    pub time_scale: f64,
    /// Time before a transaction leaves its first state (default: the rules' `settle_ms`,
    /// scaled).
    pub settle: Option<Duration>,
    /// Port on 127.0.0.1 (0 = any free port).
    pub port: u16,
    /// Faults applied to matching requests, besides the `X-Paygen-Fault` header.
    pub faults: Vec<FaultRule>,
    /// How long an injected `timeout` holds the connection at most.
    pub hold_limit: Duration,
    /// The sandbox's time: creation and completion times of transactions (list `date` filters,
    /// `{tx.created}`), `{now}` in answers and callbacks. Default: the system clock; tests pin
    /// it with [`paygen_runtime::FixedClock`].
    pub clock: Arc<dyn Clock>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            specs: Vec::new(),
            notify_override: None,
            time_scale: 1.0,
            settle: None,
            port: 0,
            faults: Vec::new(),
            hold_limit: Duration::from_secs(30),
            clock: Arc::new(SystemClock),
        }
    }
}

/// One request the sandbox received.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// Order of arrival (from 1).
    pub seq: u64,
    /// Provider id (empty when unknown).
    pub provider: String,
    /// Operation (when the path matched one).
    pub operation: Option<String>,
    /// Method.
    pub method: String,
    /// Path (no query).
    pub path: String,
    /// The fault applied.
    pub fault: Option<String>,
    /// Status answered (`None`: no answer, e.g. an injected timeout or reset).
    pub status: Option<u16>,
    /// Redacted start of the body.
    pub body_excerpt: String,
}

/// One callback delivery attempt.
#[derive(Debug, Clone)]
pub struct CallbackRecord {
    /// Provider id.
    pub provider: String,
    /// Id of the transaction it is about.
    pub transaction: String,
    /// Target URL.
    pub url: String,
    /// Attempt number (from 1).
    pub attempt: u32,
    /// Status answered, or the transport error.
    pub answer: Result<u16, String>,
    /// Whether the answer was the documented acknowledgement.
    pub acked: bool,
}

/// State shared by the server, its timers and the handle.
pub(crate) struct Shared {
    pub providers: Vec<Provider>,
    pub store: Mutex<state::Store>,
    pub records: Mutex<Vec<RecordedRequest>>,
    pub callbacks: Mutex<Vec<CallbackRecord>>,
    pub faults: Mutex<Vec<FaultRule>>,
    pub config: SandboxConfig,
    pub tasks: Mutex<Vec<AbortHandle>>,
    pub stopped: AtomicBool,
}

/// Locks a mutex, recovering from poisoning (a panicked task must not stop the sandbox).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shared {
    pub fn provider(&self, name: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.name == name)
    }

    pub fn spawn<F>(self: &Arc<Self>, fut: F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        if self.stopped.load(Ordering::SeqCst) {
            return;
        }
        let handle = tokio::spawn(fut).abort_handle();
        let mut tasks = lock(&self.tasks);
        tasks.retain(|t| !t.is_finished());
        tasks.push(handle);
    }

    pub fn scaled(&self, d: Duration) -> Duration {
        let scale = if self.config.time_scale.is_finite() && self.config.time_scale >= 0.0 {
            self.config.time_scale
        } else {
            1.0
        };
        d.mul_f64(scale).min(Duration::from_secs(24 * 3600))
    }
}

/// The simulator.
pub struct Sandbox;

impl Sandbox {
    /// Loads every spec, binds 127.0.0.1 and serves until [`SandboxHandle::stop`].
    pub async fn start(config: SandboxConfig) -> Result<SandboxHandle, String> {
        let mut providers = Vec::new();
        for path in &config.specs {
            providers.push(Provider::load(path)?);
        }
        let mut store = state::Store::with_clock(config.clock.clone());
        for p in &providers {
            for (cur, minor) in &p.rules.balances {
                store.balances.insert((p.name.clone(), cur.clone()), *minor);
            }
        }
        let listener = TcpListener::bind(("127.0.0.1", config.port))
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", config.port))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let shared = Arc::new(Shared {
            providers,
            store: Mutex::new(store),
            records: Mutex::new(Vec::new()),
            callbacks: Mutex::new(Vec::new()),
            faults: Mutex::new(config.faults.clone()),
            config,
            tasks: Mutex::new(Vec::new()),
            stopped: AtomicBool::new(false),
        });
        let (stop_tx, stop_rx) = watch::channel(false);
        let server = tokio::spawn(server::serve(listener, shared.clone(), stop_rx));
        Ok(SandboxHandle {
            port,
            shared,
            stop_tx,
            server: Some(server),
        })
    }
}

/// A running sandbox.
pub struct SandboxHandle {
    port: u16,
    shared: Arc<Shared>,
    stop_tx: watch::Sender<bool>,
    server: Option<tokio::task::JoinHandle<()>>,
}

impl SandboxHandle {
    /// The port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT/<provider>`: host `default` of the provider; host `h` is
    /// `<base>/~h`.
    pub fn base_url(&self, provider: &str) -> String {
        format!("http://127.0.0.1:{}/{provider}", self.port)
    }

    /// The providers served, in spec order.
    pub fn providers(&self) -> Vec<String> {
        self.shared
            .providers
            .iter()
            .map(|p| p.name.clone())
            .collect()
    }

    /// The test credentials of a provider (name, value), from its spec's `sandbox.credentials`.
    pub fn credentials(&self, provider: &str) -> Vec<(String, String)> {
        self.shared
            .provider(provider)
            .and_then(|p| p.spec.sandbox.as_ref())
            .map(|s| s.credentials.clone().into_iter().collect())
            .unwrap_or_default()
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.records).clone()
    }

    /// Every callback attempt so far.
    pub fn callbacks(&self) -> Vec<CallbackRecord> {
        lock(&self.shared.callbacks).clone()
    }

    /// Balance in minor units of a provider's currency.
    pub fn balance(&self, provider: &str, currency: &str) -> Option<i64> {
        lock(&self.shared.store)
            .balances
            .get(&(provider.to_string(), currency.to_string()))
            .copied()
    }

    /// The id of a provider's latest transaction with this merchant reference.
    pub fn transaction_id(&self, provider: &str, reference: &str) -> Option<String> {
        let store = lock(&self.shared.store);
        let i = store.by_reference(provider, None, reference)?;
        store.txs.get(i).map(|t| template::text_of(&t.id))
    }

    /// Adds a fault rule while running.
    pub fn add_fault(&self, rule: FaultRule) {
        lock(&self.shared.faults).push(rule);
    }

    /// Stops accepting, cancels timers and pending callbacks.
    pub async fn stop(mut self) {
        self.shutdown();
        if let Some(server) = self.server.take() {
            let _ = tokio::time::timeout(Duration::from_secs(2), server).await;
        }
    }

    fn shutdown(&self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
        let _ = self.stop_tx.send(true);
        for t in lock(&self.shared.tasks).drain(..) {
            t.abort();
        }
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        self.shutdown();
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}
