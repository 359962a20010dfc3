//! What a peer may cost the server, and the counters of what happened.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Bounds of the server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections served at once; more are answered 503 and closed.
    pub max_connections: usize,
    /// Largest request body; larger ones get 413.
    pub max_body: usize,
    /// Largest request head; larger ones get 431.
    pub max_head: usize,
    /// Time to receive a request head. A connection idle (keep-alive) this long is closed; a
    /// request head started but not finished in time gets 408.
    pub header_timeout: Duration,
    /// Time to receive a request body; a slower one gets 408.
    pub body_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 512,
            max_body: 4 * 1024 * 1024,
            max_head: 64 * 1024,
            header_timeout: Duration::from_secs(15),
            body_timeout: Duration::from_secs(15),
        }
    }
}

/// Counters, updated as things happen.
#[derive(Debug, Default)]
pub struct Stats {
    pub(crate) connections: AtomicU64,
    pub(crate) refused_busy: AtomicU64,
    pub(crate) requests: AtomicU64,
    pub(crate) malformed: AtomicU64,
    pub(crate) too_large: AtomicU64,
    pub(crate) timed_out: AtomicU64,
    pub(crate) idle_closed: AtomicU64,
}

/// The counters at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct StatsSnapshot {
    /// Connections accepted and served.
    pub connections: u64,
    /// Connections answered 503 because [`Limits::max_connections`] were busy.
    pub refused_busy: u64,
    /// Requests handed to the handler.
    pub requests: u64,
    /// Requests refused as malformed (400, or 431 for an oversize head).
    pub malformed: u64,
    /// Requests refused with 413 (body over [`Limits::max_body`]).
    pub too_large: u64,
    /// Requests answered 408 (head or body too slow).
    pub timed_out: u64,
    /// Keep-alive connections closed for idling.
    pub idle_closed: u64,
}

impl Stats {
    pub(crate) fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The counters now.
    pub fn snapshot(&self) -> StatsSnapshot {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        StatsSnapshot {
            connections: get(&self.connections),
            refused_busy: get(&self.refused_busy),
            requests: get(&self.requests),
            malformed: get(&self.malformed),
            too_large: get(&self.too_large),
            timed_out: get(&self.timed_out),
            idle_closed: get(&self.idle_closed),
        }
    }
}
