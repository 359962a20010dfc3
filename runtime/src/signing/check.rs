//! Recipe coherence checks (`check_recipe`), used by spec validation and before every signing.

use std::collections::HashSet;

use super::message::{MessageTemplate, Var};
use super::recipe::{Canonical, Digest, NestedRule, Over, Placement, Recipe, SecretPlacement};
use super::template::Template;
use super::SigningError;

/// Every coherence problem of `recipe`, as human-readable sentences (empty when coherent).
pub fn check_recipe(recipe: &Recipe) -> Vec<String> {
    let mut problems = Vec::new();
    check_secret(recipe, &mut problems);
    check_over(recipe, &mut problems);
    check_placement(recipe, &mut problems);
    if !matches!(recipe.over, Over::RawBody) {
        check_templates(&recipe.canonical, &mut problems);
    }
    check_v2_templates(recipe, &mut problems);
    check_keys(recipe, &mut problems);
    problems
}

fn is_hmac(digest: Digest) -> bool {
    digest.is_hmac()
}

/// Parses every v2 template and checks what each may name.
fn check_v2_templates(recipe: &Recipe, problems: &mut Vec<String>) {
    let mut all: Vec<(String, MessageTemplate)> = Vec::new();
    let mut parse =
        |text: &str, what: String, problems: &mut Vec<String>| match MessageTemplate::parse(
            text, &what,
        ) {
            Ok(t) => all.push((what, t)),
            Err(e) => problems.push(e),
        };
    if let Over::Message(m) = &recipe.over {
        parse(m, "over.message".into(), problems);
    }
    if let Some(v) = &recipe.value {
        parse(v, "value".into(), problems);
    }
    for (name, t) in &recipe.headers {
        if !is_header_name(name) {
            problems.push(format!("headers: {name:?} is not a valid HTTP header name"));
        }
        parse(t, format!("headers.{name}"), problems);
    }
    for (name, t) in &recipe.fields {
        parse(t, format!("fields.{name}"), problems);
    }
    let in_message = recipe.secret.use_as == SecretPlacement::InMessage;
    let mut uses_timestamp = false;
    let mut uses_nonce = false;
    for (what, t) in &all {
        let is_message = what == "over.message";
        for var in t.vars() {
            match var {
                Var::Signature if is_message || what.starts_with("fields.") => problems.push(format!(
                    "{what}: `{{signature}}` cannot be signed or sent in a field; place it with `place`, `value` or `headers`"
                )),
                Var::Secret if !(is_message && in_message) => problems.push(format!(
                    "{what}: `{{secret}}` belongs in `over.message` with `secret.use: in_message`"
                )),
                Var::Canonical if !is_message => problems.push(format!(
                    "{what}: `{{canonical}}` is only meaningful in `over.message`"
                )),
                Var::Timestamp => uses_timestamp = true,
                Var::Nonce => uses_nonce = true,
                _ => {}
            }
        }
        if what == "value" && !t.uses(&Var::Signature) {
            problems.push("value: the template must contain `{signature}`".into());
        }
    }
    if in_message
        && !matches!(&all.first(), Some((w, t)) if w == "over.message" && t.uses(&Var::Secret))
    {
        problems.push("secret `use: in_message` needs `{secret}` in `over: { message }`".into());
    }
    let gen = &recipe.generate;
    if gen.timestamp.is_some() && !uses_timestamp {
        problems.push("generate.timestamp: no template uses `{timestamp}`".into());
    }
    if gen.nonce.is_some() && !uses_nonce {
        problems.push("generate.nonce: no template uses `{nonce}`".into());
    }
    if uses_timestamp && gen.timestamp.is_none() {
        problems.push("`{timestamp}` is used but `generate.timestamp` is not set".into());
    }
    if uses_nonce && gen.nonce.is_none() {
        problems.push("`{nonce}` is used but `generate.nonce` is not set".into());
    }
    if recipe.tolerance.is_some() && gen.timestamp.is_none() {
        problems.push("tolerance needs `generate.timestamp` (the signed time to compare)".into());
    }
    let reads_body = all.iter().any(|(w, t)| {
        w == "over.message"
            && t.vars()
                .any(|v| matches!(v, Var::RawBody | Var::BodyDigest(..)))
    });
    if reads_body && matches!(recipe.place, Placement::BodyField(_)) {
        problems.push(
            "a message over the raw body cannot place the signature in a body field (it would change the signed bytes)"
                .into(),
        );
    }
    if matches!(recipe.over, Over::Message(_)) && !recipe.exclude.is_empty() {
        let uses_canonical = all.iter().any(|(_, t)| t.uses(&Var::Canonical));
        if !uses_canonical {
            problems.push(
                "exclude only applies to `{canonical}`, which the message does not use".into(),
            );
        }
    }
}

/// Key kinds against digests.
fn check_keys(recipe: &Recipe, problems: &mut Vec<String>) {
    let s = &recipe.secret;
    let asym = recipe.digest.is_asymmetric();
    let key_use = matches!(
        s.use_as,
        SecretPlacement::PrivateKey | SecretPlacement::PublicKey
    );
    if asym && !key_use {
        problems.push(format!(
            "digest {:?} is a public-key signature: the secret must be `use: private_key` (signing) or `use: public_key` (verifying only)",
            recipe.digest
        ));
    }
    if key_use && !asym {
        problems.push(
            "secret `use: private_key | public_key` needs a public-key digest (rsa_sha256, rsa_pss_sha256, ecdsa_p256_sha256, ecdsa_p256_sha256_raw, ed25519)"
                .into(),
        );
    }
    if s.use_as == SecretPlacement::InMessage && (is_hmac(recipe.digest) || asym) {
        problems.push(
            "secret `use: in_message` needs a plain digest (md5, sha1, sha256, sha512)".into(),
        );
    }
    if key_use && s.decode != super::recipe::KeyDecoding::AsIs {
        problems.push("keys are PEM text: `decode` does not apply".into());
    }
    if s.signer.is_some() && s.use_as != SecretPlacement::PublicKey {
        problems.push("secret `signer` only applies with `use: public_key`".into());
    }
    if s.previous.contains(&s.credential) {
        problems.push("secret `previous` repeats the main credential".into());
    }
}

fn check_secret(recipe: &Recipe, problems: &mut Vec<String>) {
    let secret = &recipe.secret;
    let hmac_key = secret.use_as == SecretPlacement::HmacKey;
    if is_hmac(recipe.digest) && !hmac_key {
        problems.push(format!(
            "digest {:?} is an HMAC: the secret must be `use: hmac_key`",
            recipe.digest
        ));
    }
    if hmac_key && !is_hmac(recipe.digest) {
        problems.push(format!(
            "secret `use: hmac_key` needs an hmac digest (hmac_sha256 | hmac_sha512), not {:?}",
            recipe.digest
        ));
    }
    if hmac_key && !secret.separator.is_empty() {
        problems.push("secret separator is meaningless with `use: hmac_key`".into());
    }
    if secret.credential.trim().is_empty() {
        problems.push("secret credential name is empty".into());
    }
}

fn check_over(recipe: &Recipe, problems: &mut Vec<String>) {
    match &recipe.over {
        Over::RawBody => {
            if !recipe.exclude.is_empty() {
                problems
                    .push("over: raw_body signs the exact bytes; `exclude` cannot apply".into());
            }
            if recipe.canonical != Canonical::default() {
                // v1: canonical rules cannot apply to raw bytes
                problems.push(
                    "over: raw_body signs the exact bytes; `canonical` rules cannot apply".into(),
                );
            }
        }
        Over::Fields(names) => check_field_list(recipe, names, problems),
        Over::BodyFields | Over::Message(_) => {}
    }
}

fn check_field_list(recipe: &Recipe, names: &[String], problems: &mut Vec<String>) {
    if names.is_empty() {
        problems.push("over: fields lists no field".into());
    }
    let mut seen = HashSet::new();
    for name in names {
        if !seen.insert(name.as_str()) {
            problems.push(format!("over: fields lists `{name}` twice"));
        }
        if recipe.exclude.contains(name) {
            problems.push(format!(
                "over: fields lists `{name}`, which `exclude` removes"
            ));
        }
        if matches!(&recipe.place, Placement::BodyField(f) if f == name) {
            problems.push(format!(
                "over: fields lists `{name}`, the signature's own field"
            ));
        }
    }
}

fn check_placement(recipe: &Recipe, problems: &mut Vec<String>) {
    match &recipe.place {
        Placement::BodyField(field) => {
            if field.is_empty() {
                problems.push("place: body_field names no field".into());
            }
            if recipe.over == Over::RawBody {
                problems.push(
                    "over: raw_body cannot place the signature in a body field (it would change the signed bytes)"
                        .into(),
                );
            }
        }
        Placement::Header(name) => {
            if !is_header_name(name) {
                problems.push(format!(
                    "place: header {name:?} is not a valid HTTP header name"
                ));
            }
        }
    }
}

/// RFC 9110 token characters.
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn check_templates(rules: &Canonical, problems: &mut Vec<String>) {
    if let Err(e) = Template::parse(&rules.pair, "canonical.pair") {
        problems.push(problem_text(e));
    }
    if let NestedRule::FlattenOneLevel { pair, .. } = &rules.nested {
        if let Err(e) = Template::parse(pair, "canonical.nested.pair") {
            problems.push(problem_text(e));
        }
    }
}

fn problem_text(error: SigningError) -> String {
    match error {
        SigningError::InvalidRecipe(text) => text,
        other => other.to_string(),
    }
}
