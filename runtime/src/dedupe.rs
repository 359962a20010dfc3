//! De-duplication of notifications: providers redeliver a webhook until it is acknowledged
//! (and an attacker may replay a captured one, whose signature still verifies), so a receiver
//! must act on each event once.
//!
//! How to use it: verify the notification first (`verify_webhook`), then ask a [`Deduplicator`]
//! whether its de-duplication key is new. Act only on [`Delivery::First`]; answer the
//! acknowledgement for [`Delivery::Replay`] too (the provider stops resending) but do nothing
//! else. The key is the spec's de-duplication key (an event id, or a reference plus the event's
//! status); [`dedupe_key`] builds one from field paths, and any string works.
//!
//! [`MemorySeen`] keeps the last `capacity` keys in memory: enough for one process and for
//! tests. Several processes, or restarts, need a shared store: implement [`SeenStore`] over
//! your database (an `INSERT ... ON CONFLICT DO NOTHING` on a unique key is the usual way; the
//! insert and the test must be one atomic step).

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

use serde_json::{Map, Value};

use crate::error::Error;
use crate::json_path::at;

/// Whether a notification is seen for the first time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// New: act on it.
    First,
    /// Already seen (a redelivery or a replay): acknowledge it, do nothing else.
    Replay,
}

/// A store of the keys already seen. `first_time` must test and record atomically.
pub trait SeenStore: Send + Sync {
    /// Records `key`; [`Delivery::First`] when it was not there before.
    fn first_time(&self, key: &str) -> Result<Delivery, Error>;
}

/// A bounded in-memory [`SeenStore`]: remembers the last `capacity` keys (oldest forgotten
/// first). A key older than that would be taken as new: size it above the provider's
/// redelivery window (e.g. deliveries per day times days of retries).
#[derive(Debug)]
pub struct MemorySeen {
    capacity: usize,
    inner: Mutex<Seen>,
}

#[derive(Debug, Default)]
struct Seen {
    keys: HashSet<String>,
    order: VecDeque<String>,
}

impl MemorySeen {
    /// A store remembering at most `capacity` keys (at least one).
    pub fn new(capacity: usize) -> Self {
        MemorySeen {
            capacity: capacity.max(1),
            inner: Mutex::new(Seen::default()),
        }
    }

    /// How many keys are remembered now.
    pub fn len(&self) -> usize {
        self.inner.lock().map(|s| s.keys.len()).unwrap_or(0)
    }

    /// Whether no key is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl SeenStore for MemorySeen {
    fn first_time(&self, key: &str) -> Result<Delivery, Error> {
        let mut seen = self
            .inner
            .lock()
            .map_err(|_| Error::Config("de-duplication store poisoned".into()))?;
        if seen.keys.contains(key) {
            return Ok(Delivery::Replay);
        }
        if seen.order.len() >= self.capacity {
            if let Some(old) = seen.order.pop_front() {
                seen.keys.remove(&old);
            }
        }
        seen.keys.insert(key.to_string());
        seen.order.push_back(key.to_string());
        Ok(Delivery::First)
    }
}

/// The de-duplication key of notification fields: the values at `paths` (dotted), written
/// unambiguously (as a JSON array of `[path, value]` pairs). `None` when a path is absent: such a
/// notification cannot be de-duplicated by this key (treat it as suspicious).
pub fn dedupe_key(fields: &Map<String, Value>, paths: &[&str]) -> Option<String> {
    let root = Value::Object(fields.clone());
    let mut parts = Vec::with_capacity(paths.len());
    for p in paths {
        let v = at(&root, p).filter(|v| !v.is_null())?;
        parts.push(Value::Array(vec![
            Value::String((*p).to_string()),
            v.clone(),
        ]));
    }
    Some(Value::Array(parts).to_string())
}

/// Decides whether each notification is new, by its key, with a [`SeenStore`].
#[derive(Debug)]
pub struct Deduplicator<S: SeenStore = MemorySeen> {
    store: S,
}

impl Deduplicator<MemorySeen> {
    /// An in-memory de-duplicator remembering the last `capacity` keys.
    pub fn in_memory(capacity: usize) -> Self {
        Deduplicator {
            store: MemorySeen::new(capacity),
        }
    }
}

impl<S: SeenStore> Deduplicator<S> {
    /// A de-duplicator over the user's store.
    pub fn with_store(store: S) -> Self {
        Deduplicator { store }
    }

    /// Whether the notification with this key is seen for the first time.
    pub fn check(&self, key: &str) -> Result<Delivery, Error> {
        self.store.first_time(key)
    }

    /// [`Deduplicator::check`] of the key built from `fields` at `paths`; a notification
    /// lacking a key field is refused ([`Error::Undecodable`]): it cannot be told apart from a
    /// replay.
    pub fn check_fields(
        &self,
        fields: &Map<String, Value>,
        paths: &[&str],
    ) -> Result<Delivery, Error> {
        let key = dedupe_key(fields, paths).ok_or_else(|| Error::Undecodable {
            operation: crate::webhook::WEBHOOK,
            reason: format!("the notification lacks a de-duplication field ({paths:?})"),
            body_excerpt: String::new(),
        })?;
        self.check(&key)
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn first_then_replay() -> Result<(), Error> {
        let d = Deduplicator::in_memory(10);
        let f = fields(json!({"external_id": "e1", "status": 4}));
        let paths = ["external_id", "status"];
        assert_eq!(d.check_fields(&f, &paths)?, Delivery::First);
        assert_eq!(d.check_fields(&f, &paths)?, Delivery::Replay);
        // another status of the same transaction is another event
        let g = fields(json!({"external_id": "e1", "status": 5}));
        assert_eq!(d.check_fields(&g, &paths)?, Delivery::First);
        assert!(d
            .check_fields(&fields(json!({"status": 4})), &paths)
            .is_err());
        Ok(())
    }

    #[test]
    fn keys_are_unambiguous() {
        let a = fields(json!({"a": "x|y", "b": "z"}));
        let b = fields(json!({"a": "x", "b": "y|z"}));
        assert_ne!(dedupe_key(&a, &["a", "b"]), dedupe_key(&b, &["a", "b"]));
        let n = fields(json!({"a": 1}));
        let s = fields(json!({"a": "1"}));
        assert_ne!(dedupe_key(&n, &["a"]), dedupe_key(&s, &["a"]));
    }

    #[test]
    fn memory_is_bounded_oldest_first() -> Result<(), Error> {
        let m = MemorySeen::new(2);
        assert_eq!(m.first_time("a")?, Delivery::First);
        assert_eq!(m.first_time("b")?, Delivery::First);
        assert_eq!(m.first_time("c")?, Delivery::First);
        assert_eq!(m.len(), 2);
        assert_eq!(m.first_time("c")?, Delivery::Replay);
        assert_eq!(m.first_time("a")?, Delivery::First, "a was forgotten");
        Ok(())
    }

    #[test]
    fn a_users_store_plugs_in() -> Result<(), Error> {
        struct Always;
        impl SeenStore for Always {
            fn first_time(&self, _: &str) -> Result<Delivery, Error> {
                Ok(Delivery::Replay)
            }
        }
        let d = Deduplicator::with_store(Always);
        assert_eq!(d.check("k")?, Delivery::Replay);
        Ok(())
    }
}
