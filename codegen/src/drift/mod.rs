//! Drift: where recorded traffic (cassettes) contradicts a spec, each difference located in the
//! spec (file:line:col and spec path), with an optional suggested spec change for a human to review.
//!
//! Codes: D0001 no operation matched, D0002 undocumented HTTP status, D0003 an answer or
//! notification matches no documented shape, D0004 undocumented field, D0005 undocumented enum
//! value, D0006 type or wire-format mismatch, D0007 a value breaks the field's rule, D0008 a
//! required field is absent, D0009 signature mismatch, D0010 key order differs where the
//! signature depends on order.

mod callback;
#[cfg(test)]
mod tests;
mod walk;

use std::collections::BTreeMap;

use paygen_runtime::cassette::{Exchange, ExchangeKind, SignatureCheck};
use serde_json::Value;

use crate::spec::model::{Condition, Operation, Spec};
use crate::spec::{Diagnostic, Loaded};

pub use walk::top_level_keys;

/// One difference between the spec and the traffic, before it is located.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// Stable code (`D0004`).
    pub code: &'static str,
    /// Dotted spec path the difference belongs to.
    pub spec_path: String,
    /// What differs.
    pub message: String,
    /// The spec change that would make the traffic conform (YAML, for a human to review).
    pub suggestion: Option<String>,
}

/// Every difference between `exchanges` and the spec, located, each reported once with the
/// number of exchanges that showed it. `suggest` adds the suggested change as the hint.
pub fn drift(loaded: &Loaded, exchanges: &[Exchange], suggest: bool) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<Finding, usize> = BTreeMap::new();
    for exchange in exchanges {
        let mut found = Vec::new();
        match exchange.kind {
            ExchangeKind::Call => check_call(&loaded.spec, exchange, &mut found),
            ExchangeKind::Callback => callback::check(&loaded.spec, exchange, &mut found),
        }
        for f in found {
            *seen.entry(f).or_default() += 1;
        }
    }
    seen.into_iter()
        .map(|(f, count)| {
            let times = if count > 1 {
                format!(" ({count} exchanges)")
            } else {
                String::new()
            };
            let mut d = loaded.diag(f.code, &f.spec_path, format!("{}{times}", f.message));
            if suggest {
                d.hint = f.suggestion.map(|s| format!("suggested spec change:\n{s}"));
            }
            d
        })
        .collect()
}

fn check_call(spec: &Spec, ex: &Exchange, out: &mut Vec<Finding>) {
    let Some((name, op)) = ex
        .operation
        .as_deref()
        .and_then(|n| spec.operations.get_key_value(n))
    else {
        let method = ex.request.method.as_deref().unwrap_or("?");
        let path = ex.request.path.as_deref().unwrap_or("?");
        out.push(Finding {
            code: "D0001",
            spec_path: "operations".into(),
            message: format!("recorded `{method} {path}` matches no operation of the spec"),
            suggestion: Some(format!(
                "operations:\n  <name>:\n    method: {method}\n    path: {path}\n    idempotency: {{ safe: false }}"
            )),
        });
        return;
    };
    let status = ex.response.status.unwrap_or(0);
    let body = parse_body(&ex.response.body);
    let at = format!("operations.{name}");
    if !status_documented(spec, op, status, &body) {
        out.push(Finding {
            code: "D0002",
            spec_path: at.clone(),
            message: format!("`{name}` answered HTTP {status}, which the spec does not document"),
            suggestion: Some(format!(
                "{at}.examples:\n  - name: recorded_{status}\n    status: {status}\n    response: {}",
                excerpt(&ex.response.body)
            )),
        });
        // an undocumented status has no documented shape to compare the body with
        return;
    }
    if ex.signature == SignatureCheck::Mismatch || ex.signature == SignatureCheck::Missing {
        out.push(signature_finding("signing.response", name, ex.signature));
    }
    if is_provider_error(spec, &body, status) {
        return;
    }
    let Some(ty) = response_type(op, &body, status) else {
        if op.response.is_some() || op.responses.is_some() {
            out.push(Finding {
                code: "D0003",
                spec_path: format!("{at}.responses"),
                message: format!(
                    "`{name}` answered (HTTP {status}) with a shape no documented response matches"
                ),
                suggestion: None,
            });
        }
        return;
    };
    walk::check_type(spec, &ty, &body, "", out);
    walk::check_key_order(spec, &ty, &ex.response.body, "response", out);
}

pub(crate) fn signature_finding(recipe: &str, name: &str, check: SignatureCheck) -> Finding {
    let what = if check == SignatureCheck::Missing {
        "carried no signature"
    } else {
        "did not verify"
    };
    Finding {
        code: "D0009",
        spec_path: recipe.into(),
        message: format!(
            "`{name}`: the recorded signature {what} with `{recipe}` (checked at record time)"
        ),
        suggestion: None,
    }
}

pub(crate) fn parse_body(text: &str) -> Value {
    if text.trim().is_empty() {
        return Value::Null;
    }
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

pub(crate) fn excerpt(text: &str) -> String {
    paygen_runtime::redact::truncate_chars(text, 200)
}

/// 2xx, a status named by a response variant, an example or an error rule.
fn status_documented(spec: &Spec, op: &Operation, status: u16, body: &Value) -> bool {
    if (200..300).contains(&status) {
        return true;
    }
    let in_range = |c: &Condition| {
        c.http_status
            .is_some_and(|[lo, hi]| (lo..=hi).contains(&status))
    };
    let variants = op.responses.iter().flat_map(|r| r.values());
    variants.filter_map(|v| v.when.as_ref()).any(in_range)
        || op.examples.iter().any(|e| e.status == Some(status))
        || spec
            .errors
            .iter()
            .any(|e| in_range(&e.when) && holds(&e.when, body, status))
}

fn is_provider_error(spec: &Spec, body: &Value, status: u16) -> bool {
    spec.errors.iter().any(|e| holds(&e.when, body, status))
}

/// The type that describes this answer: the matching variant, else the single response type
/// (for a 2xx answer).
fn response_type(op: &Operation, body: &Value, status: u16) -> Option<String> {
    if let Some(variants) = &op.responses {
        return variants
            .values()
            .find(|v| v.when.as_ref().is_none_or(|c| holds(c, body, status)))
            .map(|v| v.ty.clone());
    }
    op.response.clone().filter(|_| (200..300).contains(&status))
}

/// Whether a spec condition holds for this body and status.
pub fn holds(c: &Condition, body: &Value, status: u16) -> bool {
    use paygen_runtime::json_path::{at, has};
    let status_ok = c
        .http_status
        .is_none_or(|[lo, hi]| (lo..=hi).contains(&status));
    let has_ok = c.has.as_deref().is_none_or(|p| has(body, p));
    let absent_ok = c.absent.as_deref().is_none_or(|p| !has(body, p));
    let equals_ok = c.equals.iter().flatten().all(|(p, want)| {
        at(body, p).is_some_and(|got| got == want || loose_text(got) == loose_text(want))
    });
    let any_ok = c
        .any
        .as_ref()
        .is_none_or(|cs| cs.iter().any(|c| holds(c, body, status)));
    let none_ok = c.none.iter().flatten().all(|c| !holds(c, body, status));
    status_ok && has_ok && absent_ok && equals_ok && any_ok && none_ok
}

fn loose_text(v: &Value) -> Option<String> {
    paygen_runtime::json_path::text_of(v)
}
