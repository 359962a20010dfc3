//! Reconciliation of calls whose outcome is unknown: how the spec says each one is resolved
//! ([`Resolve`], static, in the operation's description) and the resolution an
//! [`crate::Error::OutcomeUnknown`] carries as data ([`Reconcile`], with the key values taken
//! from the request that was actually sent).
//!
//! A generated client's `resolve(&error)` runs a [`Reconcile::Lookup`] (the lookup is a safe
//! operation; its request is built from `key`) and returns the typed answer; a
//! [`Reconcile::AwaitCallback`] says which notification will carry the final state and which of
//! its fields identify the transaction.

use std::fmt;

use serde_json::{Map, Value};

pub use crate::exchange::{KeyMap, Resolve};
use crate::exchange::{OperationMeta, Repeat};
use crate::json_path::at_field;
use crate::redact::redact_text;

/// The resolution an unknown outcome carries: what to do, with the values that identify the
/// transaction (never sensitive: `check` refuses card data, secrets and personal data as keys).
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub enum Reconcile {
    /// Run `operation` with this request (wire field -> value); `client.resolve(&error)` does.
    Lookup {
        /// The lookup operation's name.
        operation: &'static str,
        /// The lookup's request fields, taken from the request that was sent (boxed: errors
        /// stay small).
        key: Box<Map<String, Value>>,
    },
    /// Wait for one of these notifications whose fields match `key`.
    AwaitCallback {
        /// Event kinds that carry the final state.
        events: &'static [&'static str],
        /// Notification path -> the value it will carry for this transaction.
        key: Box<Map<String, Value>>,
    },
    /// The spec names no resolution: ask the provider before anything else.
    Unspecified,
}

impl Reconcile {
    /// The resolution with its key values taken from `body`, the request's wire fields (the
    /// body the engine is given, before path parameters are taken out).
    pub fn for_request(resolve: &Resolve, body: &Map<String, Value>) -> Reconcile {
        let fill = |key: KeyMap| -> Box<Map<String, Value>> {
            Box::new(
                key.iter()
                    .filter_map(|(target, source)| {
                        at_field(body, source).map(|v| ((*target).to_string(), v.clone()))
                    })
                    .collect(),
            )
        };
        match resolve {
            Resolve::Lookup { operation, key } => Reconcile::Lookup {
                operation,
                key: fill(key),
            },
            Resolve::AwaitCallback { events, key } => Reconcile::AwaitCallback {
                events,
                key: fill(key),
            },
            Resolve::Unspecified => Reconcile::Unspecified,
        }
    }

    /// [`Reconcile::for_request`] with the operation's declared resolution
    /// ([`Reconcile::Unspecified`] for a safe operation).
    pub fn for_operation(op: &OperationMeta, body: &Map<String, Value>) -> Reconcile {
        match &op.repeat {
            Repeat::Once { resolve } => Reconcile::for_request(resolve, body),
            Repeat::Safe => Reconcile::Unspecified,
        }
    }

    /// The resolution without key values (when the request's fields are not at hand).
    pub fn advice(resolve: &Resolve) -> Reconcile {
        Reconcile::for_request(resolve, &Map::new())
    }

    /// Whether the key lacks values (filled later by [`crate::Error::reconciled`]).
    pub fn lacks_key(&self) -> bool {
        match self {
            Reconcile::Lookup { key, .. } | Reconcile::AwaitCallback { key, .. } => key.is_empty(),
            Reconcile::Unspecified => false,
        }
    }

    /// One sentence for error texts.
    pub fn describe(&self) -> String {
        match self {
            Reconcile::Lookup { operation, key } => format!(
                "resolve it with `client.resolve(&error)`, which asks `{operation}` ({})",
                key_text(key)
            ),
            Reconcile::AwaitCallback { events, key } => format!(
                "no lookup exists: wait for the notification ({}) with {}",
                events.join(" | "),
                key_text(key)
            ),
            Reconcile::Unspecified => {
                "reconcile with the provider (the spec names no lookup) before anything else"
                    .to_string()
            }
        }
    }
}

fn key_text(key: &Map<String, Value>) -> String {
    if key.is_empty() {
        return "key from the request".to_string();
    }
    let parts: Vec<String> = key
        .iter()
        .map(|(k, v)| {
            let shown = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!("{k}={shown}")
        })
        .collect();
    redact_text(&parts.join(", "))
}

impl fmt::Debug for Reconcile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reconcile::Lookup { operation, key } => f
                .debug_struct("Lookup")
                .field("operation", operation)
                .field("key", &key_text(key))
                .finish(),
            Reconcile::AwaitCallback { events, key } => f
                .debug_struct("AwaitCallback")
                .field("events", events)
                .field("key", &key_text(key))
                .finish(),
            Reconcile::Unspecified => f.write_str("Unspecified"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LOOKUP: Resolve = Resolve::Lookup {
        operation: "status_invoice",
        key: &[("invoiceId", "invoiceId")],
    };

    #[test]
    fn key_values_come_from_the_request_sent() {
        let body = json!({"invoiceId": "inv-7", "amount": 10, "card": {"pan": "4111111111111111"}});
        let Value::Object(body) = body else {
            unreachable!()
        };
        let r = Reconcile::for_request(&LOOKUP, &body);
        let Reconcile::Lookup { operation, key } = &r else {
            panic!("{r:?}")
        };
        assert_eq!(*operation, "status_invoice");
        assert_eq!(key.get("invoiceId"), Some(&json!("inv-7")));
        assert_eq!(key.len(), 1);
        assert!(r.describe().contains("invoiceId=inv-7"), "{}", r.describe());
        assert!(!r.lacks_key());
        assert!(Reconcile::advice(&LOOKUP).lacks_key());
    }

    #[test]
    fn await_callback_keys_follow_nested_paths() {
        let resolve = Resolve::AwaitCallback {
            events: &["Success", "Decline"],
            key: &[("external_id", "order.external_id")],
        };
        let Value::Object(body) = json!({"order": {"external_id": "e-1"}}) else {
            unreachable!()
        };
        let r = Reconcile::for_request(&resolve, &body);
        assert!(r.describe().contains("Success | Decline"));
        assert!(r.describe().contains("external_id=e-1"));
        assert_eq!(
            Reconcile::for_request(&Resolve::Unspecified, &body),
            Reconcile::Unspecified
        );
    }
}
