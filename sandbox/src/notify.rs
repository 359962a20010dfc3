//! Callbacks: when a transaction reaches a final state, its operation's callback template is
//! rendered, encoded (JSON or form), signed with the webhook recipe and POSTed, then retried on
//! the documented schedule (scaled) until the documented acknowledgement comes back. A callback
//! fault of the creating request loses the callback, sends it twice or holds it back.

use std::sync::Arc;
use std::time::Duration;

use paygen_codegen::spec::model::BodyEncoding;
use paygen_runtime::clock::rfc3339;
use paygen_runtime::wire::form_encode;
use paygen_runtime::Clock;
use serde_json::{Map, Value};

use crate::fault::CallbackFault;
use crate::provider::Provider;
use crate::template::{text_of, Renderer};
use crate::{lock, CallbackRecord, Shared};

const ATTEMPT_LIMIT: Duration = Duration::from_secs(5);

/// Headers and body of one encoded callback.
type Encoded = (Vec<(String, String)>, Vec<u8>);

/// A callback ready to send.
#[derive(Clone)]
struct Prepared {
    url: String,
    transaction: String,
    headers: Vec<(String, String)>,
    good: Vec<u8>,
    /// Body/headers of a first attempt signed wrongly (fault injection).
    bad: Option<Encoded>,
    /// What goes wrong with it (fault injection).
    fault: Option<CallbackFault>,
}

/// Sends transaction `i`'s callback (if its operation has one and a URL is known), with retries.
pub fn schedule(shared: &Arc<Shared>, provider: &str, i: usize) {
    let Some(p) = shared.provider(provider) else {
        return;
    };
    let Some(prepared) = prepare(shared, p, i) else {
        return;
    };
    let s = shared.clone();
    let name = p.name.clone();
    match prepared.fault {
        Some(CallbackFault::Lost) => {}
        Some(CallbackFault::Delay(d)) => {
            let from = shared.timeline.mark();
            shared.spawn(async move {
                s.timeline.wait_from(from, d, true).await;
                deliver(s, name, prepared).await;
            });
        }
        Some(CallbackFault::Duplicate) => shared.spawn(async move {
            if deliver(s.clone(), name.clone(), prepared.clone()).await {
                deliver(s, name, prepared).await;
            }
        }),
        None => shared.spawn(async move {
            deliver(s, name, prepared).await;
        }),
    }
}

fn prepare(shared: &Shared, p: &Provider, i: usize) -> Option<Prepared> {
    let store = lock(&shared.store);
    let tx = store.txs.get(i)?;
    let template = p.rules.operations.get(&tx.op)?.callback.as_ref()?;
    let url = tx.notify_url.clone()?;
    let mut ctx = store.context(i, &p.rules);
    ctx.insert("req".into(), tx.req.clone());
    ctx.insert(
        "now".into(),
        Value::String(rfc3339(shared.timeline.now_unix())),
    );
    let ctx = Value::Object(ctx);
    let body = Renderer {
        templates: &p.rules.templates,
        ctx: &ctx,
    }
    .render(template);
    let Value::Object(fields) = body else {
        return None;
    };
    let (headers, good) = encode_signed(p, fields.clone(), false);
    let bad = tx
        .bad_callback_signature
        .then(|| encode_signed(p, fields, true));
    Some(Prepared {
        url,
        transaction: tx.id_text.clone(),
        headers,
        good,
        bad,
        fault: tx.callback_fault,
    })
}

fn form_encoded(p: &Provider) -> bool {
    p.spec
        .webhooks
        .as_ref()
        .is_some_and(|w| w.encoding == BodyEncoding::Form)
}

/// Body bytes and headers of a callback, signed with the webhook recipe (if any).
fn encode_signed(p: &Provider, mut fields: Map<String, Value>, bad: bool) -> Encoded {
    let form = form_encoded(p);
    if form {
        fields = fields
            .into_iter()
            .map(|(k, v)| (k, Value::String(text_of(&v))))
            .collect();
    }
    let content_type = if form {
        "application/x-www-form-urlencoded"
    } else {
        "application/json"
    };
    let mut headers = vec![("Content-Type".to_string(), content_type.to_string())];
    let encode = |f: &Map<String, Value>| {
        if form {
            form_encode(f).into_bytes()
        } else {
            Value::Object(f.clone()).to_string().into_bytes()
        }
    };
    let (bytes, header) = crate::signing::sign_callback(p, fields, bad, &encode);
    headers.extend(header);
    (headers, bytes)
}

/// Sends with retries; whether it was acknowledged.
async fn deliver(shared: Arc<Shared>, provider: String, cb: Prepared) -> bool {
    let Some(p) = shared.provider(&provider) else {
        return false;
    };
    let Some(webhooks) = p.spec.webhooks.as_ref() else {
        return false;
    };
    let ack = webhooks.ack.clone();
    let schedule = if webhooks.retry_schedule.is_empty() {
        p.rules.callback_retries.clone()
    } else {
        webhooks.retry_schedule.clone()
    };
    for attempt in 0..=schedule.len() {
        let (headers, body) = match (&cb.bad, attempt) {
            (Some((h, b)), 0) => (h, b),
            _ => (&cb.headers, &cb.good),
        };
        let answer =
            crate::http::post_with(&shared.client, &cb.url, headers, body, ATTEMPT_LIMIT).await;
        let acked = answer
            .as_ref()
            .is_ok_and(|a| a.status == ack.status && a.body.trim() == ack.body.trim());
        lock(&shared.callbacks).push(CallbackRecord {
            provider: provider.clone(),
            transaction: cb.transaction.clone(),
            url: cb.url.clone(),
            attempt: u32::try_from(attempt + 1).unwrap_or(u32::MAX),
            answer: answer.map(|a| a.status),
            acked,
        });
        if acked {
            return true;
        }
        let Some(wait) = schedule.get(attempt) else {
            return false;
        };
        let wait = shared.scaled(Duration::from_secs(*wait));
        let from = shared.timeline.mark();
        shared.timeline.wait_from(from, wait, true).await;
    }
    false
}
