//! One request, start to answer: provider and operation by path, auth, signature, body rules,
//! a recorded answer when replaying cassettes, else the operation's action, then the reply
//! rendered in the provider's format and signed.

use std::sync::Arc;

use paygen_runtime::redact::redact_text;
use serde_json::{Map, Value};

use crate::actions::{self, TxMarks};
use crate::fault::Fault;
use crate::http::{Request, Response};
use crate::provider::Provider;
use crate::refusal::ActionError;
use crate::rules::Reply;
use crate::signing;
use crate::template::Renderer;
use crate::Shared;

/// `(provider, host, path below the provider)` from `/<provider>[/~host]/rest`.
fn split_path(path: &str) -> (&str, &str, String) {
    let trimmed = path.trim_start_matches('/');
    let (provider, rest) = trimmed.split_once('/').unwrap_or((trimmed, ""));
    if let Some(after) = rest.strip_prefix('~') {
        let (host, rest) = after.split_once('/').unwrap_or((after, ""));
        return (provider, host, format!("/{rest}"));
    }
    (provider, "default", format!("/{rest}"))
}

/// Where a request goes: its provider and operation (routed once, for recording, fault rules
/// and the answer).
pub struct Target<'s> {
    /// The provider named by the first path segment, if served.
    pub provider: Option<&'s Provider>,
    /// The operation matched.
    pub routed: Option<crate::provider::Routed<'s>>,
    /// The first path segment.
    segment: String,
    /// The path below the provider (and host).
    rest: String,
}

/// Provider and operation of a request.
pub fn identify<'s>(shared: &'s Shared, req: &Request) -> Target<'s> {
    let (segment, host, rest) = split_path(&req.path);
    let provider = shared.provider(segment);
    let routed = provider.and_then(|p| p.route_request(req, host, &rest));
    Target {
        provider,
        routed,
        segment: segment.to_string(),
        rest,
    }
}

/// Answers one request (state changes happen here, whatever the fault does to the answer).
pub fn handle(
    shared: &Arc<Shared>,
    req: &Request,
    target: Target<'_>,
    fault: Option<&Fault>,
) -> Response {
    let Some(p) = target.provider else {
        let body = serde_json::json!({
            "error": "not_found",
            "message": format!("no provider `{}` here; try /<provider>/...", target.segment),
        });
        return Response::json(404, body.to_string().into_bytes());
    };
    let Some(routed) = target.routed else {
        let msg = format!("no operation at {} {}", req.method, target.rest);
        return error_reply(p, &p.rules.errors.not_found, &msg, &Map::new());
    };
    let fields = match checked_fields(p, &routed, req) {
        Ok(f) => f,
        Err(resp) => return *resp,
    };
    if let Some(Fault::Status {
        status,
        retry_after,
    }) = fault
    {
        return unavailable(p, *status, *retry_after, &fields);
    }
    let replayed = shared.config.replay.as_ref();
    if let Some(answer) = replayed.and_then(|r| r.answer(p, routed.name, &fields)) {
        return answer;
    }
    let bad_sig = matches!(fault, Some(Fault::BadSignature));
    let marks = TxMarks {
        bad_signature: bad_sig,
        callback: fault.and_then(Fault::callback),
    };
    let refused = match actions::run(shared, p, routed.name, fields, &marks) {
        Ok(done) => return reply(p, routed.name, &done.state, &done.ctx, bad_sig),
        Err(refused) => refused,
    };
    let errs = &p.rules.errors;
    match &*refused {
        (ActionError::Invalid(msg), fields) => error_reply(p, &errs.invalid, msg, fields),
        (ActionError::UnknownTransaction(msg), fields) => {
            let r = errs.unknown_transaction.as_ref().unwrap_or(&errs.invalid);
            error_reply(p, r, msg, fields)
        }
        (ActionError::Conflict(r, msg), fields) => error_reply(p, r, msg, fields),
    }
}

/// Auth, body, signature and field rules; the provider's error answer on the first failure.
fn checked_fields(
    p: &Provider,
    routed: &crate::provider::Routed<'_>,
    req: &Request,
) -> Result<Map<String, Value>, Box<Response>> {
    let errs = &p.rules.errors;
    let empty = Map::new();
    if let Err(m) = p.check_auth(req) {
        return Err(Box::new(error_reply(p, &errs.unauthorized, &m, &empty)));
    }
    let fields = p
        .request_fields(routed, req)
        .map_err(|m| Box::new(error_reply(p, &errs.invalid, &m, &empty)))?;
    if signing::signs_request(p, routed.op) {
        if let Err(m) = signing::verify_request(p, req, &routed.path_fields, &fields) {
            return Err(Box::new(error_reply(p, &errs.bad_signature, &m, &fields)));
        }
    }
    if let Some(ty) = &routed.op.request {
        let problems = crate::validate::validate_request(&p.spec, ty, &fields);
        if !problems.is_empty() {
            let msg = problems.to_string();
            let missing = problems.errors.iter().any(|e| e.rule == "required");
            let r = match (&errs.missing, missing) {
                (Some(m), true) => m,
                _ => &errs.invalid,
            };
            return Err(Box::new(error_reply(p, r, &msg, &fields)));
        }
    }
    Ok(fields)
}

fn unavailable(
    p: &Provider,
    status: u16,
    retry_after: Option<u64>,
    fields: &Map<String, Value>,
) -> Response {
    let errs = &p.rules.errors;
    let template = errs.unavailable.as_ref().unwrap_or(&errs.invalid);
    let forced = Reply {
        status,
        ..template.clone()
    };
    let mut resp = error_reply(
        p,
        &forced,
        "service temporarily unavailable (injected)",
        fields,
    );
    if let Some(s) = retry_after {
        resp.headers.push(("Retry-After".into(), s.to_string()));
    }
    resp
}

/// An error in the provider's format: `{message}`, `{code}` and `{req...}` filled in.
pub fn error_reply(
    p: &Provider,
    r: &Reply,
    message: &str,
    fields: &Map<String, Value>,
) -> Response {
    let mut ctx = Map::new();
    ctx.insert("message".into(), Value::String(redact_text(message)));
    ctx.insert(
        "code".into(),
        Value::String(r.code.clone().unwrap_or_default()),
    );
    ctx.insert("req".into(), Value::Object(fields.clone()));
    render_reply(p, r, &Value::Object(ctx), p.rules.errors.signed, false)
}

/// The operation's reply for the transaction's state (or `default`, or its documented example).
fn reply(p: &Provider, op: &str, state: &Option<String>, ctx: &Value, bad_sig: bool) -> Response {
    let rule = p.rules.operations.get(op);
    let chosen = rule.and_then(|r| {
        state
            .as_ref()
            .and_then(|s| r.respond.get(s))
            .or_else(|| r.respond.get("default"))
    });
    if let Some(r) = chosen {
        return render_reply(p, r, ctx, true, bad_sig);
    }
    let example = p.spec.operations.get(op).and_then(|o| {
        o.examples
            .iter()
            .find(|e| e.response.is_some() && e.status.is_none_or(|s| s < 300))
    });
    let r = Reply {
        status: example.and_then(|e| e.status).unwrap_or(200),
        body: Some(
            example
                .and_then(|e| e.response.clone())
                .unwrap_or(Value::Object(Map::new())),
        ),
        code: None,
    };
    render_reply(p, &r, &Value::Null, true, bad_sig)
}

fn render_reply(p: &Provider, r: &Reply, ctx: &Value, sign: bool, bad_sig: bool) -> Response {
    let renderer = Renderer {
        templates: &p.rules.templates,
        ctx,
    };
    let Some(template) = &r.body else {
        return Response {
            status: r.status,
            headers: Vec::new(),
            body: Vec::new(),
        };
    };
    let body = renderer.render(template);
    let mut resp = Response::json(r.status, Vec::new());
    match (sign, body) {
        (true, Value::Object(m)) => {
            let (bytes, header) = signing::sign_answer(p, m, bad_sig);
            resp.body = bytes;
            resp.headers.extend(header);
        }
        (_, other) => resp.body = other.to_string().into_bytes(),
    }
    resp
}
