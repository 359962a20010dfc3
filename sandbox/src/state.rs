//! The simulator's memory: transactions with provider-style ids, balances, and the template
//! context a transaction renders with.

use std::collections::HashMap;
use std::sync::Arc;

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use paygen_runtime::clock::rfc3339;
use paygen_runtime::{Clock, SystemClock};

use crate::rules::{BalanceEffect, IdFormat, Outcome, Rules};

/// One transaction (or any created object: payee, bank account, invoice).
#[derive(Debug, Clone)]
pub struct Tx {
    /// The provider.
    pub provider: String,
    /// The operation that created it.
    pub op: String,
    /// Its kind (`payment`, `refund`, `payout`, ...).
    pub kind: String,
    /// The provider-style id.
    pub id: Value,
    /// The id as text (lookups compare this).
    pub id_text: String,
    /// Current state name.
    pub state: String,
    /// Pending next state.
    pub next: Option<String>,
    /// Milliseconds before `next` (default: the settle time).
    pub next_after: Option<u64>,
    /// States after `next`, each with its delay (the rest of the status path).
    pub later: std::collections::VecDeque<crate::rules::Step>,
    /// Digest of the creating request's fields (repeated references compare it).
    pub fingerprint: u64,
    /// Whether `next` waits for a `complete` operation.
    pub manual: bool,
    /// Amount as sent.
    pub amount: Option<Value>,
    /// Amount in minor units.
    pub amount_minor: Option<i64>,
    /// Currency.
    pub currency: Option<String>,
    /// Merchant reference.
    pub reference: Option<String>,
    /// Parent transaction (index).
    pub parent: Option<usize>,
    /// The creating request's fields.
    pub req: Value,
    /// Variables from the rules.
    pub vars: Map<String, Value>,
    /// Creation time, Unix seconds (templates read it as RFC 3339 `{tx.created}`).
    pub created: i64,
    /// When it reached a final state, Unix seconds (`{tx.completed}`; absent until then).
    pub completed: Option<i64>,
    /// Where callbacks go.
    pub notify_url: Option<String>,
    /// Sign the first callback wrongly (fault injection).
    pub bad_callback_signature: bool,
    /// What goes wrong with its callback (fault injection).
    pub callback_fault: Option<crate::fault::CallbackFault>,
    /// Balance effect applied already.
    pub settled: bool,
}

/// Positions in [`Store::txs`] by provider and key (id text or merchant reference), in
/// creation order.
type Index = HashMap<String, HashMap<String, Vec<usize>>>;

/// All transactions and balances of a sandbox.
#[derive(Debug)]
pub struct Store {
    /// Transactions in creation order (add them with [`Store::insert`]).
    pub txs: Vec<Tx>,
    by_id: Index,
    by_reference: Index,
    seqs: HashMap<String, u64>,
    /// Added to every id sequence's start (the run's seed).
    pub id_offset: u64,
    /// Balances in minor units by (provider, currency).
    pub balances: IndexMap<(String, String), i64>,
    /// The sandbox's time (creation and completion times).
    pub clock: Arc<dyn Clock>,
}

impl Default for Store {
    fn default() -> Self {
        Store::with_clock(Arc::new(SystemClock))
    }
}

impl Store {
    /// An empty store keeping time with `clock`.
    pub fn with_clock(clock: Arc<dyn Clock>) -> Self {
        Store {
            txs: Vec::new(),
            by_id: Index::new(),
            by_reference: Index::new(),
            seqs: HashMap::new(),
            id_offset: 0,
            balances: IndexMap::new(),
            clock,
        }
    }

    /// Now, Unix seconds.
    pub fn now(&self) -> i64 {
        self.clock.now_unix()
    }

    /// The next id in `format` (one sequence per provider and format).
    pub fn next_id(&mut self, provider: &str, ids: &IdFormat) -> Value {
        let key = format!("{provider}\u{0}{}", ids.format.as_deref().unwrap_or(""));
        let n = self
            .seqs
            .entry(key)
            .or_insert(ids.start.saturating_add(self.id_offset));
        let id = *n;
        *n += 1;
        match &ids.format {
            None => json!(id),
            Some(f) => Value::String(format_id(f, id)),
        }
    }

    /// Adds a transaction (its `id_text` set from its id); returns its position.
    pub fn insert(&mut self, mut tx: Tx) -> usize {
        let i = self.txs.len();
        tx.id_text = crate::template::text_of(&tx.id);
        let provider = tx.provider.clone();
        index_add(&mut self.by_id, &provider, &tx.id_text, i);
        if let Some(r) = &tx.reference {
            index_add(&mut self.by_reference, &provider, r, i);
        }
        self.txs.push(tx);
        i
    }

    /// Forgets every transaction and balance (id sequences start again).
    pub fn clear(&mut self) {
        self.txs.clear();
        self.by_id.clear();
        self.by_reference.clear();
        self.seqs.clear();
        self.balances.clear();
    }

    /// A provider's transactions with this id text, latest first.
    pub fn with_id<'s>(&'s self, provider: &str, id: &str) -> impl Iterator<Item = usize> + 's {
        index_get(&self.by_id, provider, id)
    }

    /// A provider's transactions with this merchant reference, latest first.
    pub fn with_reference<'s>(
        &'s self,
        provider: &str,
        reference: &str,
    ) -> impl Iterator<Item = usize> + 's {
        index_get(&self.by_reference, provider, reference)
    }

    /// Finds a provider's latest transaction by id text.
    pub fn by_id(&self, provider: &str, id: &str) -> Option<usize> {
        self.with_id(provider, id).next()
    }

    /// Finds a provider's latest transaction by merchant reference (optionally of one operation).
    pub fn by_reference(&self, provider: &str, op: Option<&str>, reference: &str) -> Option<usize> {
        self.with_reference(provider, reference)
            .find(|&i| op.is_none_or(|o| self.txs[i].op == o))
    }

    /// Moves a transaction to a state; applies the balance effect once on success. Returns
    /// whether the new state is final.
    pub fn set_state(&mut self, i: usize, state: &str, rules: &Rules, effect: i64) -> bool {
        let result = rules
            .states
            .get(state)
            .map(|s| s.result)
            .unwrap_or_default();
        let now = self.clock.now_unix();
        let Some(tx) = self.txs.get_mut(i) else {
            return false;
        };
        tx.state = state.to_string();
        if result != Outcome::Pending && tx.completed.is_none() {
            tx.completed = Some(now);
        }
        if result == Outcome::Succeeded && !tx.settled {
            tx.settled = true;
            if let (Some(cur), Some(minor)) = (tx.currency.clone(), tx.amount_minor) {
                let key = (tx.provider.clone(), cur);
                let balance = self.balances.entry(key).or_insert(0);
                *balance = balance.saturating_add(effect.saturating_mul(minor));
            }
        }
        result != Outcome::Pending
    }

    /// Money held by a provider's transactions that debit the balance on success but are not
    /// final yet (a processing payout), in minor units by currency.
    pub fn reserved(&self, provider: &str, rules: &Rules) -> IndexMap<String, i64> {
        let mut held = IndexMap::new();
        for t in self.txs.iter().filter(|t| t.provider == provider) {
            let debits = rules
                .operations
                .get(&t.op)
                .and_then(|r| r.create.as_ref())
                .is_some_and(|c| c.balance == BalanceEffect::Debit);
            let pending = rules
                .states
                .get(&t.state)
                .is_none_or(|s| s.result == Outcome::Pending);
            if let (true, true, Some(cur), Some(minor)) =
                (debits, pending, &t.currency, t.amount_minor)
            {
                let sum = held.entry(cur.clone()).or_insert(0_i64);
                *sum = sum.saturating_add(minor);
            }
        }
        held
    }

    /// The template context of transaction `i`: `tx`, `state` and `parent`.
    pub fn context(&self, i: usize, rules: &Rules) -> Map<String, Value> {
        let mut ctx = Map::new();
        let Some(tx) = self.txs.get(i) else {
            return ctx;
        };
        ctx.insert("tx".into(), tx_value(tx));
        // state variables may be templates over the transaction (`received: "{tx.amount}"`)
        let vars = state_vars(rules, &tx.state);
        let seen = Value::Object(ctx.clone());
        let rendered = crate::template::Renderer {
            templates: &rules.templates,
            ctx: &seen,
        }
        .render(&vars);
        ctx.insert("state".into(), rendered);
        if let Some(p) = tx.parent.and_then(|p| self.txs.get(p)) {
            let mut parent = tx_value(p);
            if let Value::Object(m) = &mut parent {
                m.insert("state".into(), state_vars(rules, &p.state));
            }
            ctx.insert("parent".into(), parent);
        }
        ctx
    }
}

fn index_add(index: &mut Index, provider: &str, key: &str, i: usize) {
    let keys = match index.get_mut(provider) {
        Some(k) => k,
        None => index.entry(provider.to_string()).or_default(),
    };
    match keys.get_mut(key) {
        Some(v) => v.push(i),
        None => {
            keys.insert(key.to_string(), vec![i]);
        }
    }
}

fn index_get<'s>(index: &'s Index, provider: &str, key: &str) -> impl Iterator<Item = usize> + 's {
    index
        .get(provider)
        .and_then(|k| k.get(key))
        .into_iter()
        .flat_map(|v| v.iter().rev().copied())
}

fn state_vars(rules: &Rules, state: &str) -> Value {
    let vars = rules
        .states
        .get(state)
        .map(|s| s.vars.clone())
        .unwrap_or_default();
    Value::Object(vars.into_iter().collect())
}

fn tx_value(tx: &Tx) -> Value {
    json!({
        "id": tx.id,
        "kind": tx.kind,
        "op": tx.op,
        "state": tx.state,
        "amount": tx.amount,
        "amount_minor": tx.amount_minor,
        "currency": tx.currency,
        "reference": tx.reference,
        "req": tx.req,
        "vars": tx.vars,
        "created": rfc3339(tx.created),
        "completed": tx.completed.map(rfc3339),
    })
}

/// `{n}` -> the number; `{n:12}` -> zero-padded to 12 digits.
fn format_id(format: &str, n: u64) -> String {
    let mut out = String::new();
    let mut rest = format;
    while let Some(start) = rest.find("{n") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let width: usize = after[..end].trim_start_matches(':').parse().unwrap_or(0);
        out.push_str(&format!("{n:0width$}"));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_moves_every_id_sequence_alike() {
        let ids = IdFormat {
            start: 1000,
            format: Some("ch_{n}".into()),
        };
        let mut plain = Store::default();
        let mut seeded = Store {
            id_offset: 42,
            ..Store::default()
        };
        assert_eq!(plain.next_id("p", &ids), json!("ch_1000"));
        assert_eq!(seeded.next_id("p", &ids), json!("ch_1042"));
        assert_eq!(seeded.next_id("p", &ids), json!("ch_1043"));
    }

    #[test]
    fn ids_are_formatted() {
        assert_eq!(format_id("ord_{n:6}", 42), "ord_000042");
        assert_eq!(format_id("{n}", 7), "7");
    }
}
