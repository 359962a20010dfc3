//! A transaction's life after creation: the outcome row it gets (initial state, `then`, status
//! path with timings), the timers that walk the path, `complete` and `move_to` steps, balance
//! effects, and what a repeated reference does (by body, when the provider documents that).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};

use crate::provider::Provider;
use crate::refusal::ActionError;
use crate::rules::{BalanceEffect, Create, Duplicate, Outcome, Step};
use crate::when::holds;
use crate::{lock, Shared};

/// The outcome row a new transaction gets.
pub struct Picked {
    /// Initial state.
    pub state: String,
    /// Next state.
    pub then: Option<String>,
    /// Milliseconds before `then` (default: the settle time).
    pub after_ms: Option<u64>,
    /// States after `then`.
    pub path: Vec<Step>,
    /// `then` waits for a `complete` operation.
    pub manual: bool,
}

impl Picked {
    /// Just a state, nothing after it.
    pub fn only(state: &str) -> Picked {
        Picked {
            state: state.to_string(),
            then: None,
            after_ms: None,
            path: Vec::new(),
            manual: false,
        }
    }
}

/// The first outcome row whose conditions hold.
pub fn pick_outcome(create: &Create, ctx: &Value) -> Result<Picked, ActionError> {
    create
        .outcomes
        .iter()
        .find(|o| o.when.as_ref().is_none_or(|w| holds(w, ctx)))
        .map(|o| Picked {
            state: o.state.clone(),
            then: o.then.clone(),
            after_ms: o.after_ms,
            path: o.path.clone(),
            manual: o.manual,
        })
        .ok_or_else(|| ActionError::Invalid("no outcome rule matches this request".into()))
}

/// What a repeated reference does: `by_body` resolved by whether the body is the same.
pub fn on_duplicate(dup: &Duplicate, same_body: bool) -> &Duplicate {
    match dup {
        Duplicate::ByBody { same, different } => {
            on_duplicate(if same_body { same } else { different }, same_body)
        }
        other => other,
    }
}

/// A digest of a request's fields (same fields in the same order, same digest).
pub fn fingerprint(fields: &Map<String, Value>) -> u64 {
    let mut h = DefaultHasher::new();
    for (k, v) in fields {
        k.hash(&mut h);
        v.to_string().hash(&mut h);
    }
    h.finish()
}

/// Balance sign of an effect.
pub fn effect(b: BalanceEffect) -> i64 {
    match b {
        BalanceEffect::None => 0,
        BalanceEffect::Credit => 1,
        BalanceEffect::Debit => -1,
    }
}

/// The balance effect of the operation that created a transaction.
fn effect_of(p: &Provider, op: &str) -> i64 {
    p.rules
        .operations
        .get(op)
        .and_then(|r| r.create.as_ref())
        .map_or(0, |c| effect(c.balance))
}

/// Starts the timer of transaction `i`'s next state, unless it waits for `complete`.
pub fn schedule_next(shared: &Arc<Shared>, p: &Provider, i: usize) {
    let (next, after) = {
        let store = lock(&shared.store);
        let Some(tx) = store.txs.get(i) else { return };
        match (&tx.next, tx.manual) {
            (Some(next), false) => (next.clone(), tx.next_after),
            _ => return,
        }
    };
    let delay = match after {
        Some(ms) => shared.scaled(Duration::from_millis(ms)),
        None => shared
            .config
            .settle
            .unwrap_or_else(|| shared.scaled(Duration::from_millis(p.rules.settle_ms))),
    };
    let name = p.name.clone();
    let s = shared.clone();
    let from = shared.timeline.mark();
    shared.spawn(async move {
        s.timeline.wait_from(from, delay, false).await;
        let Some(p) = s.provider(&name) else { return };
        {
            let store = lock(&s.store);
            // moved meanwhile (closed, cancelled): the timer has nothing left to do
            let waiting = store
                .txs
                .get(i)
                .is_some_and(|tx| tx.next.as_deref() == Some(next.as_str()) && !tx.manual);
            if !waiting {
                return;
            }
        }
        step(&s, p, i);
    });
}

/// Moves transaction `i` to its next state, then on along its status path.
fn step(shared: &Arc<Shared>, p: &Provider, i: usize) {
    let final_now = {
        let mut store = lock(&shared.store);
        let Some(tx) = store.txs.get_mut(i) else {
            return;
        };
        let Some(next) = tx.next.take() else { return };
        if let Some(following) = tx.later.pop_front() {
            tx.next = Some(following.state);
            tx.next_after = following.after_ms;
        }
        let e = effect_of(p, &tx.op);
        store.set_state(i, &next, &p.rules, e)
    };
    if final_now {
        crate::notify::schedule(shared, &p.name, i);
    }
    schedule_next(shared, p, i);
}

/// Moves a transaction waiting for a `complete` operation to its next state.
pub fn complete(shared: &Arc<Shared>, p: &Provider, i: usize) -> Result<(), ActionError> {
    {
        let mut store = lock(&shared.store);
        let tx = &mut store.txs[i];
        if tx.next.is_none() {
            return Err(ActionError::Invalid(format!(
                "transaction `{}` is not waiting for this step",
                tx.id_text
            )));
        }
        tx.manual = false;
    }
    step(shared, p, i);
    Ok(())
}

/// Moves a transaction that is not final yet to `state` (its pending steps are dropped).
pub fn move_to(shared: &Arc<Shared>, p: &Provider, i: usize, state: &str) {
    let mut store = lock(&shared.store);
    let Some(tx) = store.txs.get_mut(i) else {
        return;
    };
    let final_already = p
        .rules
        .states
        .get(&tx.state)
        .is_some_and(|s| s.result != Outcome::Pending);
    if final_already {
        return;
    }
    tx.next = None;
    tx.later.clear();
    tx.manual = false;
    let e = effect_of(p, &tx.op);
    let final_now = store.set_state(i, state, &p.rules, e);
    drop(store);
    if final_now {
        crate::notify::schedule(shared, &p.name, i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_body_picks_same_or_different() {
        let dup = Duplicate::ByBody {
            same: Box::new(Duplicate::Existing),
            different: Box::new(Duplicate::Error("used".into())),
        };
        assert_eq!(on_duplicate(&dup, true), &Duplicate::Existing);
        assert_eq!(on_duplicate(&dup, false), &Duplicate::Error("used".into()));
    }

    #[test]
    fn fingerprints_tell_bodies_apart() {
        let a: Map<String, Value> = serde_json::from_str(r#"{"ref":"r1","amount":100}"#).unwrap();
        let b: Map<String, Value> = serde_json::from_str(r#"{"ref":"r1","amount":101}"#).unwrap();
        assert_eq!(fingerprint(&a), fingerprint(&a.clone()));
        assert_ne!(fingerprint(&a), fingerprint(&b));
    }
}
