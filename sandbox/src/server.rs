//! The request path of the sandbox: control requests go to [`crate::control`]; a provider request
//! gets its fault picked, is answered by the handler, has the fault applied to the answer (delay,
//! no answer, reset, spoiled body) and is recorded.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use paygen_http_server::Reply;
use paygen_runtime::redact::excerpt;

use crate::fault::{Fault, FAULT_HEADER};
use crate::handler::{self, Target};
use crate::http::{Request, Response};
use crate::{lock, RecordedRequest, Shared};

/// Answers one request.
pub async fn answer(shared: Arc<Shared>, req: Request) -> Reply {
    if let Some(rest) = req.path.strip_prefix(crate::control::PREFIX) {
        return Reply::Respond(crate::control::answer(&shared, &req, rest));
    }
    let target = handler::identify(&shared, &req);
    let fault = pick_fault(&shared, &req, &target);
    let mut record = RecordedRequest {
        seq: shared.seq.fetch_add(1, Ordering::SeqCst),
        provider: target.provider.map(|p| p.name.clone()).unwrap_or_default(),
        operation: target.routed.as_ref().map(|r| r.name.to_string()),
        method: req.method.clone(),
        path: req.path.clone(),
        fault: fault.as_ref().map(|f| match f {
            Ok(f) => format!("{f:?}"),
            Err(e) => e.clone(),
        }),
        status: None,
        body_excerpt: excerpt(&req.body),
    };
    let fault = match fault {
        Some(Err(e)) => {
            let body = serde_json::json!({ "error": e }).to_string().into_bytes();
            return finish(&shared, record, Reply::Respond(Response::json(400, body)));
        }
        Some(Ok(f)) => Some(f),
        None => None,
    };
    match &fault {
        Some(Fault::Delay(d)) => shared.timeline.sleep(*d).await,
        Some(Fault::TimeoutBefore) => {
            return finish(&shared, record, Reply::Hang(shared.config.hold_limit))
        }
        Some(Fault::ResetBefore) => return finish(&shared, record, Reply::Reset),
        _ => {}
    }
    let resp = handler::handle(&shared, &req, target, fault.as_ref());
    let reply = match fault {
        Some(Fault::Timeout) => Reply::Hang(shared.config.hold_limit),
        Some(Fault::Reset) => Reply::Reset,
        Some(Fault::Malformed) => Reply::Respond(spoiled(resp)),
        _ => Reply::Respond(resp),
    };
    record.status = match &reply {
        Reply::Respond(r) => Some(r.status),
        _ => None,
    };
    finish(&shared, record, reply)
}

fn finish(shared: &Shared, mut record: RecordedRequest, reply: Reply) -> Reply {
    if let Reply::Respond(r) = &reply {
        record.status = Some(r.status);
    }
    lock(&shared.records).push(record);
    reply
}

/// The answer cut in half and followed by bytes no JSON parser takes, sent as 200.
fn spoiled(resp: Response) -> Response {
    let mut body = resp.body;
    body.truncate(body.len() / 2);
    body.extend_from_slice(b"\x00<html>");
    Response {
        status: 200,
        headers: resp.headers,
        body,
    }
}

/// The header's fault, else the first configured rule that matches (its count used up).
fn pick_fault(
    shared: &Shared,
    req: &Request,
    target: &Target<'_>,
) -> Option<Result<Fault, String>> {
    if let Some(text) = req.header(FAULT_HEADER) {
        return Some(Fault::parse(text));
    }
    let mut rules = lock(&shared.faults);
    if rules.is_empty() {
        return None;
    }
    let provider = target.provider.map_or("", |p| p.name.as_str());
    let operation = target.routed.as_ref().map(|r| r.name);
    let rule = rules.iter_mut().find(|r| {
        r.provider.as_deref().is_none_or(|p| p == provider)
            && r.operation.as_deref().is_none_or(|o| Some(o) == operation)
            && r.times != Some(0)
    })?;
    if let Some(t) = rule.times.as_mut() {
        *t -= 1;
    }
    Some(Ok(rule.fault.clone()))
}

/// Numbers requests in order of arrival, from 1.
pub fn first_seq() -> AtomicU64 {
    AtomicU64::new(1)
}
