//! Transport checks: token auth (OAuth2 client credentials), the request id header, and each
//! operation's declared answers and timeout.

use std::collections::BTreeSet;

use super::ops::credential;
use super::Ctx;
use crate::spec::model::{AnswerKind, Environment, Operation};

/// Longest per-attempt timeout a spec may declare (10 minutes).
const MAX_TIMEOUT_MS: u64 = 600_000;

pub(super) fn check(ctx: &mut Ctx) {
    check_oauth2(ctx);
    check_request_id_header(ctx);
    for (name, op) in &ctx.spec().operations {
        check_answers(ctx, name, op);
        check_timeout(ctx, name, op);
    }
}

fn hosts(ctx: &Ctx) -> Vec<String> {
    ctx.spec()
        .environments
        .values()
        .next()
        .map(|e: &Environment| e.hosts().into_iter().map(|(h, _)| h).collect())
        .unwrap_or_default()
}

fn check_oauth2(ctx: &mut Ctx) {
    let Some(o) = ctx
        .spec()
        .auth
        .as_ref()
        .and_then(|a| a.oauth2_client_credentials.as_ref())
    else {
        return;
    };
    let at = "auth.oauth2_client_credentials";
    credential(ctx, &format!("{at}.client_id"), &o.client_id);
    credential(ctx, &format!("{at}.client_secret"), &o.client_secret);
    let public = ctx
        .spec()
        .credentials
        .get(&o.client_secret)
        .is_some_and(|c| !c.secret);
    if public {
        ctx.err_hint(
            "E0160",
            &format!("{at}.client_secret"),
            format!(
                "the client secret `{}` is not a secret credential",
                o.client_secret
            ),
            "declare it with `secret: true` so it never shows in Debug output",
        );
    }
    if !o.path.starts_with('/') {
        ctx.err(
            "E0160",
            &format!("{at}.path"),
            format!("token endpoint path `{}` must start with `/`", o.path),
        );
    }
    if let Some(host) = &o.host {
        let known = hosts(ctx);
        if !known.contains(host) {
            ctx.err_hint(
                "E0160",
                &format!("{at}.host"),
                format!("unknown host `{host}` for the token endpoint"),
                format!("environments define {known:?}"),
            );
        }
    }
    let static_authorization = ctx.spec().auth.as_ref().is_some_and(|a| {
        a.basic.is_some()
            || a.headers
                .keys()
                .any(|h| h.eq_ignore_ascii_case("authorization"))
    });
    if static_authorization {
        ctx.err_hint(
            "E0160",
            at,
            "bearer tokens and another `Authorization` (basic, or a header) cannot both be sent",
            "keep one way of filling the Authorization header",
        );
    }
}

fn check_request_id_header(ctx: &mut Ctx) {
    let Some(h) = &ctx.spec().request_id_header else {
        return;
    };
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if h.is_empty() || !h.bytes().all(token) {
        ctx.err(
            "E0163",
            "request_id_header",
            format!("`{h}` is not a valid HTTP header name"),
        );
    }
}

fn check_answers(ctx: &mut Ctx, name: &str, op: &Operation) {
    let Some(answers) = &op.answers else { return };
    let at = format!("operations.{name}.answers");
    if answers.is_empty() {
        ctx.err_hint(
            "E0161",
            &at,
            "`answers` lists no kind of answer",
            "leave it out for JSON only, or list json, redirect, html, text, auto_post_form",
        );
        return;
    }
    let mut seen = BTreeSet::new();
    for a in answers {
        if !seen.insert(format!("{a:?}")) {
            ctx.err("E0161", &at, format!("`{a:?}` is listed twice"));
        }
    }
    let typed = op.response.is_some() || op.responses.is_some();
    if typed && !answers.contains(&AnswerKind::Json) {
        ctx.err_hint(
            "E0161",
            &at,
            "the operation declares a response type but `answers` has no `json`",
            "add `json` to `answers`, or drop `response`/`responses`",
        );
    }
}

fn check_timeout(ctx: &mut Ctx, name: &str, op: &Operation) {
    let Some(ms) = op.timeout_ms else { return };
    if ms == 0 || ms > MAX_TIMEOUT_MS {
        ctx.err_hint(
            "E0162",
            &format!("operations.{name}.timeout_ms"),
            format!("timeout of {ms} ms is outside 1..={MAX_TIMEOUT_MS}"),
            "a per-attempt timeout in milliseconds, e.g. 30000",
        );
    }
}
