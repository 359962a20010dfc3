//! Operation checks: paths, hosts, request/response references, idempotency, examples, errors, webhooks.

use super::types::check_object_ref;
use super::Ctx;
use crate::naming::snake;
use crate::spec::model::{Condition, Operation};

pub(super) fn check(ctx: &mut Ctx) {
    check_environments(ctx);
    check_auth(ctx);
    for (name, op) in &ctx.spec().operations {
        check_operation(ctx, name, op);
    }
    for (i, rule) in ctx.spec().errors.iter().enumerate() {
        check_condition(ctx, &format!("errors[{i}].when"), &rule.when);
    }
    check_webhooks(ctx);
}

fn hosts_of(env: &crate::spec::model::Environment) -> Vec<(String, String)> {
    env.hosts()
}

fn check_environments(ctx: &mut Ctx) {
    let mut first: Option<Vec<String>> = None;
    for (name, env) in &ctx.spec().environments {
        let hosts = hosts_of(env);
        for (host, url) in &hosts {
            let ok =
                (url.starts_with("https://") || url.starts_with("http://")) && !url.ends_with('/');
            if !ok {
                let path = format!("environments.{name}");
                ctx.err_hint("E0114", &path, format!("base URL `{url}` of host `{host}` must be http(s) without a trailing slash"), "paths start with `/`; base URLs end without one");
            }
        }
        if !env.is_local_simulator() {
            for (host, url) in &hosts {
                if paygen_runtime::plain_http_off_loopback(url) {
                    ctx.err_hint(
                        "E0173",
                        &format!("environments.{name}"),
                        format!("base URL `{url}` of host `{host}` is plain http:// to a non-loopback host: requests (card data, signatures) would travel unencrypted"),
                        format!("use https://, or mark a local simulator: `{name}: {{ local_simulator: <url> }}`"),
                    );
                }
            }
        }
        let names: Vec<String> = hosts.into_iter().map(|(h, _)| h).collect();
        if !names.iter().any(|h| h == "default") {
            ctx.err(
                "E0114",
                &format!("environments.{name}"),
                "every environment needs a `default` host",
            );
        }
        match &first {
            None => first = Some(names),
            Some(f) if *f != names => ctx.err(
                "E0114",
                &format!("environments.{name}"),
                format!("hosts {names:?} differ from the first environment's {f:?}"),
            ),
            Some(_) => {}
        }
    }
}

fn check_auth(ctx: &mut Ctx) {
    let Some(auth) = &ctx.spec().auth else { return };
    for (header, r) in &auth.headers {
        // A plain credential name, or a template such as `Bearer {api_key}` naming credentials.
        let path = format!("auth.headers.{header}.credential");
        for name in template_credentials(&r.credential) {
            credential(ctx, &path, name);
        }
    }
    if let Some(b) = &auth.basic {
        credential(ctx, "auth.basic.user", &b.user);
        credential(ctx, "auth.basic.password", &b.password);
    }
}

/// The credentials an auth header value names: itself when plain, each `{name}` in a template.
fn template_credentials(value: &str) -> Vec<&str> {
    if !value.contains('{') {
        return vec![value];
    }
    value
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect()
}

pub(super) fn credential(ctx: &mut Ctx, path: &str, name: &str) {
    if !ctx.spec().credentials.contains_key(name) {
        let known: Vec<&String> = ctx.spec().credentials.keys().collect();
        ctx.err_hint(
            "E0108",
            path,
            format!("unknown credential `{name}`"),
            format!("declared credentials: {known:?}"),
        );
    }
}

fn check_operation(ctx: &mut Ctx, name: &str, op: &Operation) {
    let path = format!("operations.{name}");
    if snake(name).ok().as_deref() != Some(name) {
        ctx.err_hint(
            "E0118",
            &path,
            format!("operation name `{name}` is not snake_case"),
            "operation names become method names",
        );
    }
    if !op.path.starts_with('/') {
        ctx.err(
            "E0119",
            &format!("{path}.path"),
            format!("path `{}` must start with `/`", op.path),
        );
    }
    if let Some(host) = &op.host {
        let known = ctx
            .spec()
            .environments
            .values()
            .next()
            .map(hosts_of)
            .unwrap_or_default();
        if !known.iter().any(|(h, _)| h == host) {
            ctx.err(
                "E0114",
                &format!("{path}.host"),
                format!(
                    "unknown host `{host}`; environments define {:?}",
                    known.iter().map(|(h, _)| h).collect::<Vec<_>>()
                ),
            );
        }
    }
    if let Some(req) = &op.request {
        check_object_ref(ctx, &format!("{path}.request"), req);
    }
    check_responses(ctx, &path, op);
    check_idempotency(ctx, &path, name, op);
    check_examples(ctx, &path, op);
}

fn check_responses(ctx: &mut Ctx, path: &str, op: &Operation) {
    match (&op.response, &op.responses) {
        (Some(_), Some(_)) => ctx.err(
            "E0120",
            path,
            "give either `response` or `responses`, not both",
        ),
        (Some(r), None) => super::types::check_response_ref(ctx, &format!("{path}.response"), r),
        (None, Some(vs)) => {
            let names: Vec<(String, String)> = vs
                .keys()
                .map(|k| (format!("{path}.responses.{k}"), k.clone()))
                .collect();
            super::names::collisions(ctx, &names, crate::naming::pascal, "response variant");
            for (vname, v) in vs {
                let vpath = format!("{path}.responses.{vname}");
                check_object_ref(ctx, &format!("{vpath}.type"), &v.ty);
                if let Some(w) = &v.when {
                    check_condition(ctx, &format!("{vpath}.when"), w);
                }
            }
        }
        (None, None) => {}
    }
}

fn check_idempotency(ctx: &mut Ctx, path: &str, name: &str, op: &Operation) {
    let ipath = format!("{path}.idempotency");
    if op.money_moving && op.idempotency.safe {
        ctx.err_hint(
            "E0111",
            &ipath,
            "a money-moving operation cannot be `safe: true`: a blind retry could move money twice",
            "set `safe: false` and `reconcile_with: <status operation>`",
        );
    }
    if op.money_moving
        && op.idempotency.reconcile_with.is_none()
        && op.idempotency.await_callback.is_none()
    {
        ctx.err_hint(
            "E0111",
            &ipath,
            "a money-moving operation must say how an unknown outcome is resolved",
            "add `reconcile_with: <lookup operation>` (and `reconcile_key` when names differ), or `await_callback: { events: [...], key: {...} }` when no lookup exists",
        );
    }
    if let Some(r) = &op.idempotency.reconcile_with {
        if !ctx.spec().operations.contains_key(r) {
            ctx.err(
                "E0109",
                &format!("{ipath}.reconcile_with"),
                format!("unknown operation `{r}`"),
            );
        }
    }
    let (_, problems) = crate::spec::resolution::resolve(ctx.spec(), name, op);
    for p in problems {
        ctx.err_hint(p.code, &p.path, p.message, p.hint);
    }
}

fn check_examples(ctx: &mut Ctx, path: &str, op: &Operation) {
    for (i, ex) in op.examples.iter().enumerate() {
        let Some(expect) = &ex.expect else { continue };
        let known = match (&op.responses, &op.response) {
            (Some(vs), _) => vs.contains_key(expect),
            (None, Some(r)) => expect == r,
            (None, None) => false,
        };
        if !known && expect != "declined" {
            ctx.err_hint(
                "E0116",
                &format!("{path}.examples[{i}].expect"),
                format!("example expects `{expect}`, which is not a response of this operation"),
                "name a key of `responses`, the `response` type, or `declined`",
            );
        }
    }
}

pub(super) fn check_condition(ctx: &mut Ctx, path: &str, c: &Condition) {
    let empty = c.has.is_none()
        && c.absent.is_none()
        && c.equals.is_none()
        && c.http_status.is_none()
        && c.any.is_none()
        && c.none.is_none();
    if empty {
        ctx.err(
            "E0122",
            path,
            "a condition needs at least one of has, absent, equals, http_status, any, none",
        );
    }
    if let Some([lo, hi]) = c.http_status {
        if lo > hi || lo < 100 || hi > 599 {
            ctx.err(
                "E0122",
                &format!("{path}.http_status"),
                format!("[{lo}, {hi}] is not a range of HTTP statuses"),
            );
        }
    }
    for (i, sub) in c.any.iter().flatten().enumerate() {
        check_condition(ctx, &format!("{path}.any[{i}]"), sub);
    }
    for (i, sub) in c.none.iter().flatten().enumerate() {
        check_condition(ctx, &format!("{path}.none[{i}]"), sub);
    }
}

fn check_webhooks(ctx: &mut Ctx) {
    let Some(w) = &ctx.spec().webhooks else {
        return;
    };
    for (name, v) in &w.events {
        let path = format!("webhooks.events.{name}");
        check_object_ref(ctx, &format!("{path}.type"), &v.ty);
        if let Some(c) = &v.when {
            check_condition(ctx, &format!("{path}.when"), c);
        }
    }
    let names: Vec<(String, String)> = w
        .events
        .keys()
        .map(|k| (format!("webhooks.events.{k}"), k.clone()))
        .collect();
    super::names::collisions(ctx, &names, crate::naming::pascal, "event");
    for (i, ex) in w.examples.iter().enumerate() {
        if !w.events.contains_key(&ex.expect) {
            ctx.err(
                "E0116",
                &format!("webhooks.examples[{i}].expect"),
                format!("unknown event `{}`", ex.expect),
            );
        }
    }
    let has_recipe = ctx
        .spec()
        .signing
        .as_ref()
        .is_some_and(|s| s.webhook.is_some());
    if w.verify && !has_recipe {
        ctx.err_hint(
            "E0115",
            "webhooks.verify",
            "webhooks are verified but `signing.webhook` is missing",
            "add the recipe, or `verify: false` if the provider does not sign notifications",
        );
    }
}
