//! Comparing the body a client prepared for a documented example request with the documented
//! body, and the tally the replay tests assert on.

use paygen_codegen::ir::{self, Provider};
use paygen_runtime::signing::Placement;
use serde_json::Value;

use super::{client_filled, reorder_like, same_json};

/// What a replay compared.
#[derive(Default, Debug)]
pub struct Tally {
    /// Byte for byte equal (after putting keys in the documented order).
    pub exact: usize,
    /// Exact only after reordering keys: the documentation's examples disagree on key order.
    pub reordered: Vec<String>,
    /// Equal in value only (number text differs).
    pub equivalent: Vec<String>,
    pub failures: Vec<String>,
}

/// `label` of an example in messages and in `value_equal_examples.json`.
pub fn label(p: &Provider, op: &ir::Operation, ex: &ir::Example) -> String {
    format!("{}.{} [{}]", p.id, op.name, ex.name)
}

/// The documented request with the stand-ins of the required fields it leaves out.
pub fn completed(ex: &ir::Example) -> Option<Value> {
    let mut completed = ex.request.clone()?;
    if let Value::Object(m) = &mut completed {
        for (k, v) in &ex.stand_ins {
            m.insert(k.clone(), v.clone());
        }
    }
    Some(completed)
}

/// The field a body-field recipe writes, when the example does not document a reproducible one.
fn unsigned_field(p: &Provider, op: &ir::Operation, wire: &Value) -> Option<String> {
    match p.recipes.request.as_ref().map(|r| &r.place) {
        Some(Placement::BodyField(f)) if op.sign && wire.get(f).is_none() => Some(f.clone()),
        _ => None,
    }
}

/// Compares the prepared body `bytes` with the documented request of `ex`.
pub fn compare_body(
    p: &Provider,
    op: &ir::Operation,
    ex: &ir::Example,
    bytes: &[u8],
    t: &mut Tally,
) {
    let Some(wire) = &ex.request else { return };
    let label = label(p, op, ex);
    let mut sent: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(_) => {
            return t.failures.push(format!(
                "{label}: client body is not JSON: {}",
                String::from_utf8_lossy(bytes)
            ))
        }
    };
    if let Value::Object(m) = &mut sent {
        // What the client adds that the documentation leaves out: an unreproducible signature,
        // and credential/clock fields the example omits.
        let omitted = unsigned_field(p, op, wire)
            .into_iter()
            .chain(client_filled(p, op.request.as_deref().unwrap_or_default()));
        for f in omitted
            .filter(|f| wire.get(f).is_none())
            .collect::<Vec<_>>()
        {
            m.remove(&f);
        }
        for (k, _) in &ex.stand_ins {
            m.remove(k);
        }
    }
    let reordered = reorder_like(&sent, wire);
    let expected = serde_json::to_vec(wire).unwrap_or_default();
    if serde_json::to_vec(&reordered).unwrap_or_default() == expected {
        t.exact += 1;
        if serde_json::to_vec(&sent).unwrap_or_default() != expected {
            t.reordered.push(label);
        }
    } else if same_json(&sent, wire) {
        eprintln!(
            "equal in value but not in text: {label}:\n  documented {wire}\n  sent       {sent}"
        );
        t.equivalent.push(label);
    } else {
        t.failures.push(format!(
            "{label}:\n  documented {wire}\n  sent       {sent}"
        ));
    }
}

/// The examples allowed to be equal in value only, with their reasons
/// (`value_equal_examples.json`), for labels starting with `{provider}.`.
pub fn value_equal_allowed(provider: &str) -> Vec<String> {
    let text = include_str!("../value_equal_examples.json");
    let all: serde_json::Map<String, Value> =
        serde_json::from_str(text).expect("value_equal_examples.json is a JSON object");
    let prefix = format!("{provider}.");
    all.into_iter()
        .filter(|(label, reason)| label.starts_with(&prefix) && reason.is_string())
        .map(|(label, _)| label)
        .collect()
}

/// No failure, something replayed, and exactly the allowed examples equal in value only.
pub fn assert_replayed(spec: &str, provider: &str, t: &Tally) {
    for r in &t.reordered {
        eprintln!("byte for byte once keys follow the documented order: {r}");
    }
    assert!(
        t.failures.is_empty(),
        "{spec}: {} examples failed:\n{}",
        t.failures.len(),
        t.failures.join("\n")
    );
    let mut equivalent = t.equivalent.clone();
    equivalent.sort();
    let mut allowed = value_equal_allowed(provider);
    allowed.sort();
    assert_eq!(
        equivalent, allowed,
        "{spec}: examples equal in value but not in text (listed in value_equal_examples.json)"
    );
}
