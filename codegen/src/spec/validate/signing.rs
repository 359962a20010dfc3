//! Signing checks: recipe coherence (v1 and v2 keys, each v2 problem with a hint), credentials
//! and fields the recipes read, signed fields of every signed request, and every test vector
//! (checked with the compiled recipe, as clients run it).

use paygen_runtime::signing::{
    check_recipe_v1, check_request_recipe, check_v2, references, Over, Recipe, RefKind,
};

use super::ops::credential;
use super::vectors::check_vector;
use super::Ctx;

pub(super) fn check(ctx: &mut Ctx) {
    check_dedup_key(ctx);
    let Some(s) = &ctx.spec().signing else {
        check_recipe_use(ctx, None, None);
        return;
    };
    for (name, recipe) in [
        ("request", &s.request),
        ("response", &s.response),
        ("webhook", &s.webhook),
    ] {
        if let Some(r) = recipe {
            check_recipe(ctx, name, r);
        }
    }
    if let Some(r) = &s.request {
        if let Some(p) = check_request_recipe(r) {
            let path = format!("signing.request.{}", p.key);
            ctx.err_hint(
                p.code,
                &path,
                format!("recipe `request`: {}", p.message),
                p.hint,
            );
        }
    }
    check_recipe_use(ctx, s.request.as_ref(), s.response.as_ref());
    for (i, v) in s.vectors.iter().enumerate() {
        check_vector(ctx, i, v);
    }
}

fn check_recipe(ctx: &mut Ctx, name: &str, r: &Recipe) {
    let path = format!("signing.{name}");
    for problem in check_recipe_v1(r) {
        ctx.err("E0115", &path, format!("recipe `{name}`: {problem}"));
    }
    for p in check_v2(r) {
        ctx.err_hint(
            p.code,
            &format!("{path}.{}", p.key),
            format!("recipe `{name}`: {}", p.message),
            p.hint,
        );
    }
    let s = &r.secret;
    credential(ctx, &format!("{path}.secret.credential"), &s.credential);
    for c in &s.previous {
        credential(ctx, &format!("{path}.secret.previous"), c);
    }
    if let Some(c) = &s.signer {
        credential(ctx, &format!("{path}.secret.signer"), c);
    }
    for reference in references(r) {
        if reference.kind == RefKind::Credential {
            credential(ctx, &format!("{path}.{}", reference.key), &reference.name);
        }
    }
}

/// Operations that sign or verify need the recipe; fields and path parameters the request
/// recipe reads must exist in signed requests.
fn check_recipe_use(ctx: &mut Ctx, request: Option<&Recipe>, response: Option<&Recipe>) {
    let mut signed_paths: Vec<String> = Vec::new();
    for (name, op) in &ctx.spec().operations {
        let path = format!("operations.{name}");
        if op.sign == Some(true) && request.is_none() {
            ctx.err(
                "E0115",
                &format!("{path}.sign"),
                "operation is signed but `signing.request` is missing",
            );
        }
        if op.verify_response && response.is_none() {
            ctx.err(
                "E0115",
                &format!("{path}.verify_response"),
                "response verification needs `signing.response`",
            );
        }
        let Some(recipe) = request.filter(|_| op.sign.unwrap_or(true)) else {
            continue;
        };
        signed_paths.push(op.path.clone());
        if let Some(req) = &op.request {
            if let Over::Fields(fields) = &recipe.over {
                check_signed_fields(ctx, &path, req, fields);
            }
            check_template_fields(ctx, &path, req, recipe);
        }
    }
    if let Some(recipe) = request {
        check_path_params(ctx, recipe, &signed_paths);
    }
}

fn check_signed_fields(ctx: &mut Ctx, path: &str, req: &str, fields: &[String]) {
    let Some(def) = ctx.spec().types.get(req) else {
        return;
    };
    let Some(known) = &def.fields else { return };
    for f in fields {
        let head = f.split('.').next().unwrap_or(f);
        if !known.contains_key(f) && !known.contains_key(head) {
            ctx.err_hint(
                "E0104",
                "signing.request.over",
                format!("recipe `request` signs field `{f}`, which `{req}` ({path}) does not have"),
                "list only fields of every signed request, or sign `body_fields`",
            );
        }
    }
}

/// `{field.X}` in the request recipe's templates: X must be a field of the request type (or
/// a field the recipe sets itself).
fn check_template_fields(ctx: &mut Ctx, path: &str, req: &str, recipe: &Recipe) {
    let Some(known) = ctx.spec().types.get(req).and_then(|d| d.fields.as_ref()) else {
        return;
    };
    for r in references(recipe) {
        let known_field = known.contains_key(&r.name) || recipe.fields.contains_key(&r.name);
        if r.kind == RefKind::Field && !known_field {
            ctx.err_hint(
                "E0141",
                &format!("signing.request.{}", r.key),
                format!(
                    "recipe `request` reads field `{}`, which `{req}` ({path}) does not have",
                    r.name
                ),
                "name a wire field of every signed request type (dotted paths reach nested fields)",
            );
        }
    }
}

/// `{path.X}`: some signed operation's path must have the `{X}` placeholder.
fn check_path_params(ctx: &mut Ctx, recipe: &Recipe, signed_paths: &[String]) {
    for r in references(recipe) {
        let placeholder = format!("{{{}}}", r.name);
        if r.kind == RefKind::PathParam && !signed_paths.iter().any(|p| p.contains(&placeholder)) {
            ctx.err_hint(
                "E0141",
                &format!("signing.request.{}", r.key),
                format!(
                    "recipe `request` reads path parameter `{}`, which no signed operation's path has",
                    r.name
                ),
                "path parameters are the `{name}` placeholders of an operation's `path`",
            );
        }
    }
}

/// `webhooks.dedup_key`: each path's first segment is a field of some event type.
fn check_dedup_key(ctx: &mut Ctx) {
    let Some(w) = &ctx.spec().webhooks else {
        return;
    };
    for (i, path) in w.dedup_key.iter().enumerate() {
        let head = path.split('.').next().unwrap_or(path);
        let known = w.events.values().any(|e| {
            ctx.spec()
                .types
                .get(&e.ty)
                .and_then(|t| t.fields.as_ref())
                .is_some_and(|f| f.contains_key(head))
        });
        if !known {
            ctx.err_hint(
                "E0141",
                &format!("webhooks.dedup_key[{i}]"),
                format!("de-duplication key field `{path}` is in no event type"),
                "name a (dotted) field of the notifications: an event id, or a reference and an event code",
            );
        }
    }
}

/// Headers conventionally carrying a digest of the body (RFC 3230, RFC 9530, RFC 1864).
const BODY_DIGEST_HEADERS: &[&str] = &["digest", "content-digest", "content-md5"];

/// W0101: a message that signs `{header.X}` where X is a header computed from the body (by
/// the recipe's `headers`, or a standard digest header): a receiver that verifies the header
/// as sent never recomputes it, so a changed body with the original header still verifies.
pub(super) fn warn(ctx: &mut Ctx) {
    let Some(s) = &ctx.spec().signing else {
        return;
    };
    for (name, recipe) in [
        ("request", &s.request),
        ("response", &s.response),
        ("webhook", &s.webhook),
    ] {
        let Some(r) = recipe else { continue };
        let Over::Message(message) = &r.over else {
            continue;
        };
        for header in signed_headers(message) {
            let computed = r
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(header));
            let from_body = match computed {
                Some((_, value)) => value.contains("{body_digest") || value.contains("{raw_body"),
                None => BODY_DIGEST_HEADERS.contains(&header.to_ascii_lowercase().as_str()),
            };
            if !from_body {
                continue;
            }
            let suggestion = computed.map_or_else(
                || "`{body_digest.sha256.base64}`".to_string(),
                |(_, value)| format!("`{value}`"),
            );
            ctx.err_hint(
                "W0101",
                &format!("signing.{name}.over.message"),
                format!(
                    "recipe `{name}` signs `{{header.{header}}}`, a digest of the body: a verifier reads the header as sent and never recomputes it, so a changed body would still verify"
                ),
                format!("sign the digest itself, computed from the body received: {suggestion} in place of `{{header.{header}}}`"),
            );
        }
    }
}

/// The header names a message template reads (`{header.X}` or `{header.X|filter}`).
fn signed_headers(message: &str) -> Vec<&str> {
    message
        .match_indices("{header.")
        .filter_map(|(i, open)| {
            let rest = &message[i + open.len()..];
            let end = rest.find(['}', '|'])?;
            Some(&rest[..end])
        })
        .collect()
}
