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
mod control;
pub mod docs;
pub mod fault;
mod handler;
pub mod http;
mod lifecycle;
mod notify;
pub mod provider;
pub mod records;
mod refusal;
pub mod replay;
pub mod rules;
mod server;
mod signers;
mod signing;
pub mod state;
pub mod template;
mod timeline;
pub mod validate;
mod when;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use paygen_http_server::Server;
use paygen_runtime::{Clock, SystemClock};
use tokio::net::TcpListener;
use tokio::task::AbortHandle;

pub use fault::{CallbackFault, Fault, FaultRule, FAULT_HEADER};
pub use paygen_http_server::{Limits, StatsSnapshot};
pub use provider::Provider;
pub use records::{CallbackRecord, RecordedRequest};

use records::{RequestLog, Ring};
use timeline::Timeline;

/// The port `paygen sandbox` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 4747;
/// Requests (and callback attempts) remembered unless configured otherwise.
pub const DEFAULT_RECORDS: usize = 1000;

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
    /// it with [`paygen_runtime::FixedClock`]. The control API advances it.
    pub clock: Arc<dyn Clock>,
    /// Bounds of the HTTP server (connections, sizes, idle and slow-request times).
    pub limits: Limits,
    /// How many requests and callback attempts are remembered (the oldest are forgotten;
    /// counters keep counting).
    pub records: usize,
    /// Id sequences start this far past the rules' `ids.start` (0: as documented). The same
    /// seed gives the same ids run after run; another seed keeps ids of two runs apart.
    pub seed: u64,
    /// Recorded answers served before the rules ([`replay::Replay`]).
    pub replay: Option<Arc<replay::Replay>>,
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
            limits: Limits::default(),
            records: DEFAULT_RECORDS,
            seed: 0,
            replay: None,
        }
    }
}

/// State shared by the server, its timers and the handle.
pub(crate) struct Shared {
    pub providers: Vec<Provider>,
    pub store: Mutex<state::Store>,
    pub records: Mutex<RequestLog>,
    pub callbacks: Mutex<Ring<CallbackRecord>>,
    pub faults: Mutex<Vec<FaultRule>>,
    pub config: SandboxConfig,
    pub timeline: Arc<Timeline>,
    pub client: reqwest::Client,
    pub tasks: Mutex<Vec<AbortHandle>>,
    pub stopped: AtomicBool,
    /// The next request's number.
    pub seq: std::sync::atomic::AtomicU64,
    /// The HTTP server's counters (set once it runs).
    pub server_stats: std::sync::OnceLock<Arc<paygen_http_server::Stats>>,
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

    /// Aborts every timer and pending callback.
    pub fn abort_tasks(&self) {
        for t in lock(&self.tasks).drain(..) {
            t.abort();
        }
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
        let timeline = Arc::new(Timeline::new(config.clock.clone()));
        for p in &mut providers {
            // timestamps signed into answers and callbacks, and request tolerances, follow the
            // sandbox's (advanceable) clock
            p.signers.set_clock(timeline.clone());
        }
        let listener = TcpListener::bind(("127.0.0.1", config.port))
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", config.port))?;
        let shared = Arc::new(Shared {
            store: Mutex::new(opening_store(&providers, &timeline, config.seed)),
            providers,
            records: Mutex::new(RequestLog::new(config.records)),
            callbacks: Mutex::new(Ring::new(config.records)),
            faults: Mutex::new(config.faults.clone()),
            timeline,
            client: http::client()?,
            tasks: Mutex::new(Vec::new()),
            stopped: AtomicBool::new(false),
            seq: server::first_seq(),
            server_stats: std::sync::OnceLock::new(),
            config,
        });
        let answering = shared.clone();
        let handler = Arc::new(move |req| server::answer(answering.clone(), req));
        let server = Server::serve(listener, shared.config.limits, handler);
        let _ = shared.server_stats.set(server.stats_handle());
        Ok(SandboxHandle {
            port: server.port(),
            shared,
            server: Some(server),
        })
    }
}

/// An empty store with the rules' opening balances.
pub(crate) fn opening_store(
    providers: &[Provider],
    timeline: &Arc<Timeline>,
    seed: u64,
) -> state::Store {
    let mut store = state::Store::with_clock(timeline.clone());
    store.id_offset = seed;
    for p in providers {
        for (cur, minor) in &p.rules.balances {
            store.balances.insert((p.name.clone(), cur.clone()), *minor);
        }
    }
    store
}

/// A running sandbox.
pub struct SandboxHandle {
    port: u16,
    shared: Arc<Shared>,
    server: Option<Server>,
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

    /// The requests remembered (the latest [`SandboxConfig::records`]), oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.records).ring.to_vec()
    }

    /// The requests remembered that arrived after request `seq`, oldest first.
    pub fn requests_after(&self, seq: u64) -> Vec<RecordedRequest> {
        let log = lock(&self.shared.records);
        log.ring.iter().filter(|r| r.seq > seq).cloned().collect()
    }

    /// How many requests were ever received (remembered or not).
    pub fn requests_seen(&self) -> u64 {
        lock(&self.shared.records).ring.seen()
    }

    /// How many requests of a provider's operation were ever received.
    pub fn request_count(&self, provider: &str, operation: &str) -> u64 {
        lock(&self.shared.records).count(provider, operation)
    }

    /// The callback attempts remembered, oldest first.
    pub fn callbacks(&self) -> Vec<CallbackRecord> {
        lock(&self.shared.callbacks).to_vec()
    }

    /// The HTTP server's counters (connections, refusals, timeouts).
    pub fn server_stats(&self) -> StatsSnapshot {
        self.server.as_ref().map(Server::stats).unwrap_or_default()
    }

    /// Moves the sandbox's clock forward: settle timers and callback retries due by then run now.
    pub fn advance(&self, by: Duration) {
        self.shared.timeline.advance(by);
    }

    /// Sends every pending callback retry now.
    pub fn fire_callbacks(&self) {
        self.shared.timeline.fire_callbacks();
    }

    /// Forgets transactions, balances, records and pending timers; the clock is not advanced.
    pub fn reset(&self) {
        control::reset(&self.shared);
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
        store.txs.get(i).map(|t| t.id_text.clone())
    }

    /// Adds a fault rule while running.
    pub fn add_fault(&self, rule: FaultRule) {
        lock(&self.shared.faults).push(rule);
    }

    /// Stops accepting, cancels timers and pending callbacks.
    pub async fn stop(mut self) {
        self.shutdown();
        if let Some(server) = self.server.take() {
            let _ = tokio::time::timeout(Duration::from_secs(2), server.stop()).await;
        }
    }

    fn shutdown(&self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
        self.shared.abort_tasks();
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        self.shutdown();
    }
}
