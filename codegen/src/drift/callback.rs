//! Drift of one recorded notification (callback): its body decoded as the spec's webhook section
//! says (JSON, or form-encoded like the generated receiver decodes it), its event picked, its
//! fields walked against the event's type.

use paygen_runtime::cassette::{Exchange, SignatureCheck};
use paygen_runtime::webhook::{parse_webhook_body, WebhookEncoding};
use serde_json::Value;

use super::walk::{self, Values};
use super::{excerpt, holds, parse_body, signature_finding, Finding};
use crate::spec::model::{BodyEncoding, Spec};

const FORM_TYPE: &str = "application/x-www-form-urlencoded";

/// Checks a recorded notification against `webhooks`.
pub fn check(spec: &Spec, ex: &Exchange, out: &mut Vec<Finding>) {
    let Some(hooks) = &spec.webhooks else {
        return;
    };
    if ex.signature == SignatureCheck::Mismatch || ex.signature == SignatureCheck::Missing {
        out.push(signature_finding(
            "signing.webhook",
            "webhook",
            ex.signature,
        ));
    }
    let declared_form = hooks.encoding == BodyEncoding::Form;
    let form = match recorded_form(ex) {
        Some(recorded) => {
            if recorded != declared_form {
                out.push(encoding_finding(recorded));
            }
            recorded
        }
        None => declared_form,
    };
    let text = &ex.request.body;
    let (body, values) = if form {
        match parse_webhook_body(text.as_bytes(), WebhookEncoding::Form) {
            Ok(fields) => (Value::Object(fields), Values::FormText),
            Err(_) => return out.push(undecodable_form(text)),
        }
    } else {
        (parse_body(text), Values::Json)
    };
    let event = hooks
        .events
        .iter()
        .find(|(_, v)| v.when.as_ref().is_none_or(|c| holds(c, &body, 200)));
    let Some((_, variant)) = event else {
        return out.push(Finding {
            code: "D0003",
            spec_path: "webhooks.events".into(),
            message: "a recorded notification matches no documented event".into(),
            suggestion: Some(format!(
                "webhooks.events:\n  <name>:\n    type: <type>\n    when: {{ ... }}   # seen: {}",
                excerpt(text)
            )),
        });
    };
    walk::check_values(spec, values, &variant.ty, &body, "", out);
    let keys = match values {
        Values::FormText => body.as_object().map(|m| m.keys().cloned().collect()),
        Values::Json => walk::top_level_keys(text),
    };
    walk::check_recorded_order(spec, &variant.ty, keys, "webhook", out);
}

/// Whether the recorded `Content-Type` says form (`Some(true)`), something else
/// (`Some(false)`), or was not recorded (`None`).
fn recorded_form(ex: &Exchange) -> Option<bool> {
    let (_, value) = ex
        .request
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))?;
    let media = value.split(';').next().unwrap_or_default().trim();
    Some(media.eq_ignore_ascii_case(FORM_TYPE))
}

fn encoding_finding(recorded_form: bool) -> Finding {
    let (seen, says, fix) = if recorded_form {
        ("form-encoded", "JSON", "form")
    } else {
        ("not form-encoded", "form", "json")
    };
    Finding {
        code: "D0006",
        spec_path: "webhooks.encoding".into(),
        message: format!("a recorded notification is {seen}, the spec says {says}"),
        suggestion: Some(format!("webhooks.encoding: {fix}")),
    }
}

fn undecodable_form(text: &str) -> Finding {
    Finding {
        code: "D0003",
        spec_path: "webhooks.encoding".into(),
        message: "a recorded form notification does not decode (a value is not UTF-8)".into(),
        suggestion: Some(format!("# seen: {}", excerpt(text))),
    }
}
