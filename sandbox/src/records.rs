//! What the sandbox remembers of its traffic, bounded: the latest requests and callback attempts
//! in ring buffers of a configured size, with counters of everything ever seen (per operation
//! too) so a test can count requests the ring no longer holds.

use std::collections::{HashMap, VecDeque};

use serde::Serialize;

/// One request the sandbox received.
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
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

/// The latest `capacity` items and the count of all ever pushed.
#[derive(Debug)]
pub struct Ring<T> {
    items: VecDeque<T>,
    capacity: usize,
    seen: u64,
}

impl<T: Clone> Ring<T> {
    /// An empty ring keeping at most `capacity` items (at least one).
    pub fn new(capacity: usize) -> Self {
        Ring {
            items: VecDeque::new(),
            capacity: capacity.max(1),
            seen: 0,
        }
    }

    /// Adds an item, dropping the oldest when full.
    pub fn push(&mut self, item: T) {
        if self.items.len() == self.capacity {
            self.items.pop_front();
        }
        self.items.push_back(item);
        self.seen += 1;
    }

    /// Items kept, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.items.iter()
    }

    /// Copies of the items kept, oldest first.
    pub fn to_vec(&self) -> Vec<T> {
        self.items.iter().cloned().collect()
    }

    /// Everything ever pushed.
    pub fn seen(&self) -> u64 {
        self.seen
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.items.clear();
        self.seen = 0;
    }
}

/// Requests: the ring, and counts by provider and operation.
#[derive(Debug)]
pub struct RequestLog {
    /// The latest requests.
    pub ring: Ring<RecordedRequest>,
    counts: HashMap<String, HashMap<String, u64>>,
}

impl RequestLog {
    /// An empty log keeping the latest `capacity` requests.
    pub fn new(capacity: usize) -> Self {
        RequestLog {
            ring: Ring::new(capacity),
            counts: HashMap::new(),
        }
    }

    /// Records one request.
    pub fn push(&mut self, r: RecordedRequest) {
        let op = r.operation.as_deref().unwrap_or("");
        let by_op = match self.counts.get_mut(r.provider.as_str()) {
            Some(m) => m,
            None => self.counts.entry(r.provider.clone()).or_default(),
        };
        match by_op.get_mut(op) {
            Some(n) => *n += 1,
            None => {
                by_op.insert(op.to_string(), 1);
            }
        }
        self.ring.push(r);
    }

    /// How many requests of a provider's operation were ever received.
    pub fn count(&self, provider: &str, operation: &str) -> u64 {
        self.counts
            .get(provider)
            .and_then(|m| m.get(operation))
            .copied()
            .unwrap_or(0)
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.ring.clear();
        self.counts.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ring_keeps_the_latest_and_counts_all() {
        let mut r = Ring::new(3);
        for i in 0..10 {
            r.push(i);
        }
        assert_eq!(r.to_vec(), vec![7, 8, 9]);
        assert_eq!(r.seen(), 10);
    }

    #[test]
    fn counts_outlive_the_ring() {
        let mut log = RequestLog::new(1);
        for seq in 1..=5 {
            log.push(RecordedRequest {
                seq,
                provider: "p".into(),
                operation: Some("status".into()),
                method: "GET".into(),
                path: "/p/s".into(),
                fault: None,
                status: Some(200),
                body_excerpt: String::new(),
            });
        }
        assert_eq!(log.count("p", "status"), 5);
        assert_eq!(log.ring.to_vec().len(), 1);
    }
}
