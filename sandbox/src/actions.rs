//! What an operation does to the simulator's state: create a transaction (outcome rules,
//! duplicates, balances, settle timer), find, complete, list, balances.

use std::sync::Arc;

use indexmap::IndexMap;
use paygen_codegen::spec::model::MoneyWire;
use paygen_runtime::clock::rfc3339;
use paygen_runtime::currency::currency_exponent;
use paygen_runtime::money::{minor_from_decimal_text, minor_to_decimal_text};
use paygen_runtime::redact::redact_text;
use paygen_runtime::Clock;
use paygen_runtime::MinorUnits;
use serde_json::{json, Map, Value};

use crate::calendar;
use crate::fault::CallbackFault;
use crate::lifecycle::{self, effect, Picked};
use crate::provider::Provider;
use crate::refusal::{ActionError, Refused};
use crate::rules::{AmountWire, Create, DayFilter, Duplicate, OpRule};
use crate::state::{Store, Tx};
use crate::template::{lookup, lookup_in, set_path, text_of, Renderer};
use crate::when::holds;
use crate::{lock, Shared};

/// Faults that stay with the transaction a request creates.
#[derive(Debug, Clone, Default)]
pub struct TxMarks {
    /// Sign its first callback wrongly.
    pub bad_signature: bool,
    /// What goes wrong with its callback.
    pub callback: Option<CallbackFault>,
}

/// What the reply is rendered from.
pub struct Done {
    /// The transaction's state (picks the reply).
    pub state: Option<String>,
    /// The template context.
    pub ctx: Value,
}

/// Runs the operation's rule (no rule: nothing changes). On refusal the request's fields come
/// back for the error answer.
pub fn run(
    shared: &Arc<Shared>,
    p: &Provider,
    op: &str,
    fields: Map<String, Value>,
    marks: &TxMarks,
) -> Result<Done, Box<Refused>> {
    let mut ctx = Map::new();
    match fill(shared, p, op, &fields, marks, &mut ctx) {
        Ok(state) => {
            ctx.insert("req".into(), Value::Object(fields));
            ctx.insert("now".into(), Value::String(now(shared)));
            ctx.insert("provider".into(), Value::String(p.name.clone()));
            Ok(Done {
                state,
                ctx: Value::Object(ctx),
            })
        }
        Err(e) => Err(Box::new((e, fields))),
    }
}

/// What `run_checks` sees besides the transaction: `req`, `now`, `provider`.
fn base_ctx(shared: &Shared, p: &Provider, fields: &Map<String, Value>) -> Map<String, Value> {
    let mut ctx = Map::new();
    ctx.insert("req".into(), Value::Object(fields.clone()));
    ctx.insert("now".into(), Value::String(now(shared)));
    ctx.insert("provider".into(), Value::String(p.name.clone()));
    ctx
}

/// Applies the rule; fills `ctx` with the transaction's context, items and balances; returns
/// the transaction's state.
fn fill(
    shared: &Arc<Shared>,
    p: &Provider,
    op: &str,
    fields: &Map<String, Value>,
    marks: &TxMarks,
    ctx: &mut Map<String, Value>,
) -> Result<Option<String>, ActionError> {
    let Some(rule) = p.rules.operations.get(op) else {
        return Ok(None);
    };
    let tx = if let Some(create) = &rule.create {
        Some(create_tx(shared, p, op, rule, create, fields, marks)?)
    } else if let Some(find) = &rule.find {
        let store = lock(&shared.store);
        let i = find_tx(&store, p, find, fields)?;
        if !rule.checks.is_empty() {
            let mut seen = base_ctx(shared, p, fields);
            seen.extend(store.context(i, &p.rules));
            run_checks(rule, seen)?;
        }
        Some(i)
    } else {
        if !rule.checks.is_empty() {
            run_checks(rule, base_ctx(shared, p, fields))?;
        }
        None
    };
    if let (Some(i), true) = (tx, rule.find.is_some()) {
        apply_update(shared, rule, i, fields);
    }
    if let (Some(i), true) = (tx, rule.complete) {
        lifecycle::complete(shared, p, i)?;
    }
    if let (Some(i), Some(state)) = (tx, &rule.move_to) {
        lifecycle::move_to(shared, p, i, state);
    }
    let store = lock(&shared.store);
    let mut state = None;
    if let Some(i) = tx {
        ctx.extend(store.context(i, &p.rules));
        state = store.txs.get(i).map(|t| t.state.clone());
    }
    if let Some(list) = &rule.list {
        let items = list_items(&store, p, list, fields)?;
        ctx.insert("items".into(), Value::Array(items));
    }
    if let Some(b) = &rule.balance {
        ctx.insert("balances".into(), balances(&store, p, b, fields));
    }
    Ok(state)
}

fn now(shared: &Shared) -> String {
    rfc3339(shared.timeline.now_unix())
}

/// The rule's checks, against what its outcomes see (`req`, and `parent` or the found `tx`).
fn run_checks(rule: &OpRule, ctx: Map<String, Value>) -> Result<(), ActionError> {
    let ctx = Value::Object(ctx);
    for c in &rule.checks {
        if holds(&c.refuse_when, &ctx) {
            return Err(ActionError::Invalid(c.message.clone()));
        }
    }
    Ok(())
}

fn find_tx(
    store: &Store,
    p: &Provider,
    find: &crate::rules::Find,
    fields: &Map<String, Value>,
) -> Result<usize, ActionError> {
    let by = |path: &Option<String>| {
        path.as_deref()
            .and_then(|p| lookup_in(fields, p))
            .map(text_of)
    };
    let fits =
        |t: &Tx| t.provider == p.name && (find.kinds.is_empty() || find.kinds.contains(&t.kind));
    let found = match (by(&find.id), by(&find.reference)) {
        (Some(id), _) => store
            .with_id(&p.name, &id)
            .find(|&i| fits(&store.txs[i]))
            .ok_or(id),
        (None, Some(r)) => store
            .with_reference(&p.name, &r)
            .find(|&i| fits(&store.txs[i]))
            .ok_or(r),
        (None, None) => Err(String::new()),
    };
    found.map_err(|key| {
        ActionError::UnknownTransaction(format!("transaction `{}` not found", redact_text(&key)))
    })
}

fn create_tx(
    shared: &Arc<Shared>,
    p: &Provider,
    op: &str,
    rule: &OpRule,
    create: &Create,
    fields: &Map<String, Value>,
    marks: &TxMarks,
) -> Result<usize, ActionError> {
    let req = Value::Object(fields.clone());
    let reference = create
        .reference
        .as_deref()
        .and_then(|r| lookup(&req, r))
        .map(text_of);
    let mut store = lock(&shared.store);
    let parent = match create.parent.as_deref().and_then(|path| lookup(&req, path)) {
        Some(id) => Some(store.by_id(&p.name, &text_of(id)).ok_or_else(|| {
            ActionError::UnknownTransaction(format!("transaction `{}` not found", text_of(id)))
        })?),
        None => None,
    };
    let fingerprint = lifecycle::fingerprint(fields);
    let mut initial = None;
    if let (Some(r), Some(dup)) = (&reference, &create.duplicate) {
        if let Some(existing) = store.by_reference(&p.name, Some(op), r) {
            let same = store.txs[existing].fingerprint == fingerprint;
            match lifecycle::on_duplicate(dup, same) {
                Duplicate::Existing => return Ok(existing),
                Duplicate::Error(m) => return Err(ActionError::Invalid(m.clone())),
                Duplicate::Reply(reply) => {
                    let msg = format!("reference `{}` was already used", redact_text(r));
                    return Err(ActionError::Conflict(Box::new(reply.clone()), msg));
                }
                Duplicate::State(s) => initial = Some(Picked::only(s)),
                Duplicate::ByBody { .. } => {}
            }
        }
    }
    let mut ctx = Map::new();
    ctx.insert("req".into(), req.clone());
    if let Some(pi) = parent {
        ctx.extend(
            store
                .context(pi, &p.rules)
                .into_iter()
                .map(|(k, v)| match k.as_str() {
                    "tx" => ("parent".to_string(), with_state(v, &store, pi, p)),
                    _ => (format!("parent_{k}"), v),
                }),
        );
    }
    if !rule.checks.is_empty() {
        run_checks(rule, ctx.clone())?;
    }
    let picked = match initial {
        Some(i) => i,
        None => lifecycle::pick_outcome(create, &Value::Object(ctx))?,
    };
    let (amount, minor, currency) =
        amount_of(p, op, create, &req, parent.and_then(|i| store.txs.get(i)));
    let tx = Tx {
        provider: p.name.clone(),
        op: op.to_string(),
        kind: create.kind.clone(),
        id: store.next_id(&p.name, create.ids.as_ref().unwrap_or(&p.rules.ids)),
        id_text: String::new(),
        state: String::new(),
        next: picked.then,
        next_after: picked.after_ms,
        later: picked.path.into(),
        manual: picked.manual,
        fingerprint,
        amount,
        amount_minor: minor,
        currency,
        reference,
        parent,
        req,
        vars: create.vars.clone().into_iter().collect(),
        created: store.now(),
        completed: None,
        notify_url: notify_url(shared, p, rule, fields),
        bad_callback_signature: marks.bad_signature,
        callback_fault: marks.callback,
        settled: false,
    };
    let i = store.insert(tx);
    let final_now = store.set_state(i, &picked.state, &p.rules, effect(create.balance));
    drop(store);
    if final_now {
        crate::notify::schedule(shared, &p.name, i);
    }
    lifecycle::schedule_next(shared, p, i);
    Ok(i)
}

fn with_state(mut v: Value, store: &Store, i: usize, p: &Provider) -> Value {
    if let (Value::Object(m), Some(tx)) = (&mut v, store.txs.get(i)) {
        let vars = p
            .rules
            .states
            .get(&tx.state)
            .map(|s| s.vars.clone())
            .unwrap_or_default();
        m.insert(
            "state_vars".into(),
            Value::Object(vars.into_iter().collect()),
        );
    }
    v
}

/// The amount as sent, in minor units, and its currency (a refund without one: the parent's).
fn amount_of(
    p: &Provider,
    op: &str,
    create: &Create,
    req: &Value,
    parent: Option<&Tx>,
) -> (Option<Value>, Option<i64>, Option<String>) {
    let ty = p
        .spec
        .operations
        .get(op)
        .and_then(|o| o.request.clone())
        .unwrap_or_default();
    let field = create
        .amount
        .as_deref()
        .and_then(|a| crate::validate::field_at(&p.spec, &ty, a));
    let currency_path = create.currency.clone().or_else(|| {
        let currency_field = field?.money.as_ref()?.currency_field.as_deref()?;
        let amount_path = create.amount.as_deref()?;
        Some(match amount_path.rsplit_once('.') {
            Some((parent, _)) => format!("{parent}.{currency_field}"),
            None => currency_field.to_string(),
        })
    });
    let fixed = field
        .and_then(|f| f.money.as_ref())
        .and_then(|m| m.currency.clone());
    let amount = create
        .amount
        .as_deref()
        .and_then(|a| lookup(req, a))
        .cloned();
    let currency = currency_path
        .as_deref()
        .and_then(|c| lookup(req, c))
        .map(text_of)
        .or(fixed)
        .or_else(|| parent.and_then(|t| t.currency.clone()));
    let Some(amount) = amount else {
        return parent.map_or((None, None, currency.clone()), |t| {
            (t.amount.clone(), t.amount_minor, currency)
        });
    };
    let wire = field.and_then(|f| f.money.as_ref()).map(|m| m.wire);
    let minor = currency
        .as_deref()
        .and_then(|c| to_minor(p, &amount, c, wire));
    (Some(amount), minor, currency)
}

fn exponent(p: &Provider, currency: &str) -> Option<u8> {
    let overrides = p
        .spec
        .money
        .as_ref()
        .map(|m| m.exponents.clone())
        .unwrap_or_default();
    overrides
        .get(currency)
        .copied()
        .or_else(|| currency_exponent(currency))
}

fn to_minor(p: &Provider, amount: &Value, currency: &str, wire: Option<MoneyWire>) -> Option<i64> {
    let text = text_of(amount);
    match wire {
        Some(MoneyWire::IntegerMinor) => text.parse().ok(),
        _ => minor_from_decimal_text(&text, exponent(p, currency)?).map(|m| m.0),
    }
}

fn notify_url(
    shared: &Shared,
    p: &Provider,
    rule: &OpRule,
    fields: &Map<String, Value>,
) -> Option<String> {
    if let Some(o) = &shared.config.notify_override {
        return Some(o.replace("{provider}", &p.name));
    }
    let path = rule
        .notify_url
        .clone()
        .or_else(|| p.spec.webhooks.as_ref()?.notify_url_field.clone())?;
    lookup(&Value::Object(fields.clone()), &path).map(text_of)
}

/// Copies request values into the found transaction's request (`update`).
fn apply_update(shared: &Shared, rule: &OpRule, i: usize, fields: &Map<String, Value>) {
    if rule.update.is_empty() {
        return;
    }
    let req = Value::Object(fields.clone());
    let mut store = lock(&shared.store);
    let Some(tx) = store.txs.get_mut(i) else {
        return;
    };
    for (target, source) in &rule.update {
        if let Some(v) = lookup(&req, source) {
            set_path(&mut tx.req, target, v.clone());
        }
    }
}

fn list_items(
    store: &Store,
    p: &Provider,
    list: &crate::rules::ListRule,
    fields: &Map<String, Value>,
) -> Result<Vec<Value>, ActionError> {
    let req = Value::Object(fields.clone());
    let want_ref = list
        .reference
        .as_deref()
        .and_then(|r| lookup(&req, r))
        .map(text_of);
    let want_parent = list
        .parent
        .as_deref()
        .and_then(|r| lookup(&req, r))
        .map(text_of);
    let day = match &list.date {
        Some(d) => day_asked(d, &p.rules.timezones, &req)?,
        None => None,
    };
    let parent_id = |t: &Tx| {
        t.parent
            .and_then(|pi| store.txs.get(pi))
            .map(|pt| pt.id_text.clone())
    };
    let template = p
        .rules
        .templates
        .get(&list.item)
        .cloned()
        .unwrap_or(Value::Null);
    Ok((0..store.txs.len())
        .filter(|&i| {
            let t = &store.txs[i];
            t.provider == p.name
                && (list.kinds.is_empty() || list.kinds.contains(&t.kind))
                && want_ref
                    .as_ref()
                    .is_none_or(|r| t.reference.as_ref() == Some(r))
                && want_parent
                    .as_ref()
                    .is_none_or(|w| parent_id(t).as_ref() == Some(w))
                && day.is_none_or(|(start, end)| (start..end).contains(&t.created))
        })
        .map(|i| {
            let mut ctx = store.context(i, &p.rules);
            ctx.insert("req".into(), req.clone());
            let ctx = Value::Object(ctx);
            Renderer {
                templates: &p.rules.templates,
                ctx: &ctx,
            }
            .render(&template)
        })
        .collect())
}

/// The Unix seconds `[start, end)` of the day a list request asks for (`None`: no day asked).
fn day_asked(
    filter: &DayFilter,
    timezones: &IndexMap<String, String>,
    req: &Value,
) -> Result<Option<(i64, i64)>, ActionError> {
    let Some(date) = lookup(req, &filter.field).map(text_of) else {
        return Ok(None);
    };
    let zone = filter
        .timezone_field
        .as_deref()
        .and_then(|f| lookup(req, f))
        .map(text_of);
    let offset = match zone {
        None => 0,
        Some(name) => timezones
            .get(&name)
            .and_then(|o| calendar::parse_offset(o))
            .ok_or_else(|| {
                ActionError::Invalid(format!(
                    "{}: unknown time zone `{}`",
                    filter.timezone_field.as_deref().unwrap_or_default(),
                    redact_text(&name)
                ))
            })?,
    };
    calendar::day_window(&date, offset)
        .map(Some)
        .ok_or_else(|| {
            ActionError::Invalid(format!(
                "{}: `{}` is not a day (YYYY-MM-DD)",
                filter.field,
                redact_text(&date)
            ))
        })
}

/// Balances by currency: `{balance.amount}` the settled amount, `{balance.reserved}` what
/// debiting transactions that are not final yet hold (both in the rule's wire form; `_minor`
/// variants in minor units). Currencies with only a reserved amount are listed too.
fn balances(
    store: &Store,
    p: &Provider,
    b: &crate::rules::BalanceRule,
    fields: &Map<String, Value>,
) -> Value {
    let req = Value::Object(fields.clone());
    let only = b
        .currency
        .as_deref()
        .and_then(|c| lookup(&req, c))
        .map(text_of);
    let template = p
        .rules
        .templates
        .get(&b.item)
        .cloned()
        .unwrap_or(Value::Null);
    let reserved = store.reserved(&p.name, &p.rules);
    let mut totals: IndexMap<String, i64> = store
        .balances
        .iter()
        .filter(|((prov, _), _)| *prov == p.name)
        .map(|((_, cur), minor)| (cur.clone(), *minor))
        .collect();
    for cur in reserved.keys() {
        totals.entry(cur.clone()).or_insert(0);
    }
    let mut list = Vec::new();
    let mut by = Map::new();
    for (cur, minor) in &totals {
        if only.as_ref().is_some_and(|o| o != cur) {
            continue;
        }
        let held = reserved.get(cur).copied().unwrap_or(0);
        let ctx = json!({ "balance": {
            "currency": cur,
            "amount": write_amount(p, *minor, cur, b.wire),
            "minor": minor,
            "reserved": write_amount(p, held, cur, b.wire),
            "reserved_minor": held,
        } });
        let item = Renderer {
            templates: &p.rules.templates,
            ctx: &ctx,
        }
        .render(&template);
        by.insert(cur.clone(), item.clone());
        list.push(item);
    }
    if b.by_currency {
        Value::Object(by)
    } else {
        Value::Array(list)
    }
}

fn write_amount(p: &Provider, minor: i64, currency: &str, wire: AmountWire) -> Value {
    let exp = exponent(p, currency).unwrap_or(2);
    let text = minor_to_decimal_text(MinorUnits(minor), exp);
    match wire {
        AmountWire::IntegerMinor => json!(minor),
        AmountWire::DecimalString => Value::String(text),
        AmountWire::DecimalNumber => serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}
