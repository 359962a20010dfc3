//! Coherence of the version 2 keys (templates, generated values, keys, tolerance), each problem
//! located at its key and carrying a hint for `paygen check`.

use super::check::is_header_name;
use super::message::{MessageTemplate, Var};
use super::recipe::{KeyDecoding, Over, Placement, Recipe, SecretPlacement};

/// One problem of a recipe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Diagnostic code: `E0115` (coherence) or `E0140` (template syntax and variables).
    pub code: &'static str,
    /// The key under the recipe (`over.message`, `secret.use`, `generate.nonce`, ...).
    pub key: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: &'static str,
}

struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, code: &'static str, key: &str, message: String, hint: &'static str) {
        self.0.push(Problem {
            code,
            key: key.to_string(),
            message,
            hint,
        });
    }
}

/// Every template of `recipe` with the key it sits under; syntax errors reported.
fn templates(recipe: &Recipe, p: &mut Problems) -> Vec<(String, MessageTemplate)> {
    let mut texts: Vec<(String, &str)> = Vec::new();
    if let Over::Message(m) = &recipe.over {
        texts.push(("over.message".into(), m));
    }
    if let Some(v) = &recipe.value {
        texts.push(("value".into(), v));
    }
    for (name, t) in &recipe.headers {
        if !is_header_name(name) {
            p.add(
                "E0115",
                &format!("headers.{name}"),
                format!("headers: {name:?} is not a valid HTTP header name"),
                "header names are RFC 9110 tokens (letters, digits, `-`)",
            );
        }
        texts.push((format!("headers.{name}"), t));
    }
    for (name, t) in &recipe.fields {
        texts.push((format!("fields.{name}"), t));
    }
    let mut out = Vec::new();
    for (key, text) in texts {
        match MessageTemplate::parse(text, &key) {
            Ok(t) => out.push((key, t)),
            Err(e) => p.add("E0140", &key, e, "see docs/SIGNING.md for template variables and filters; write `{{` for a literal brace"),
        }
    }
    out
}

/// Every version 2 problem of `recipe`.
pub fn check_v2(recipe: &Recipe) -> Vec<Problem> {
    let mut p = Problems(Vec::new());
    let all = templates(recipe, &mut p);
    check_variables(recipe, &all, &mut p);
    check_generated(recipe, &all, &mut p);
    check_keys(recipe, &mut p);
    p.0
}

fn check_variables(recipe: &Recipe, all: &[(String, MessageTemplate)], p: &mut Problems) {
    let in_message = recipe.secret.use_as == SecretPlacement::InMessage;
    for (key, t) in all {
        let is_message = key == "over.message";
        for var in t.vars() {
            match var {
                Var::Signature if is_message || key.starts_with("fields.") => p.add("E0140", key, format!("{key}: `{{signature}}` cannot be signed or sent in a recipe field"), "place the signature with `place`, `value` or `headers`"),
                Var::Secret if !(is_message && in_message) => p.add("E0140", key, format!("{key}: `{{secret}}` outside a message signed with `use: in_message`"), "put `{secret}` in `over: { message }` and set `secret.use: in_message`; elsewhere name a credential with `{credential.NAME}`"),
                Var::Canonical if !is_message => p.add("E0140", key, format!("{key}: `{{canonical}}` is only meaningful in `over.message`"), "use `{canonical}` inside `over: { message }`"),
                _ => {}
            }
        }
        if key == "value" && !t.uses(&Var::Signature) {
            p.add(
                "E0140",
                key,
                "value: the template must contain `{signature}`".into(),
                "write e.g. `t={timestamp},v1={signature}`",
            );
        }
    }
    let message = all
        .iter()
        .find(|(k, _)| k == "over.message")
        .map(|(_, t)| t);
    if in_message && !message.is_some_and(|t| t.uses(&Var::Secret)) {
        p.add("E0115", "secret.use", "secret `use: in_message` but the message has no `{secret}`".into(), "add `{secret}` where the provider places it in `over: { message }`, or use `append` / `prepend`");
    }
    let reads_body = message.is_some_and(|t| {
        t.vars()
            .any(|v| matches!(v, Var::RawBody | Var::BodyDigest(..)))
    });
    if reads_body && matches!(recipe.place, Placement::BodyField(_)) {
        p.add("E0115", "place", "a message over the raw body cannot place the signature in a body field (it would change the signed bytes)".into(), "place the signature in a header");
    }
    if matches!(recipe.over, Over::Message(_))
        && !recipe.exclude.is_empty()
        && !message.is_some_and(|t| t.uses(&Var::Canonical))
    {
        p.add(
            "E0115",
            "exclude",
            "exclude only applies to `{canonical}`, which the message does not use".into(),
            "remove `exclude`, or use `{canonical}` in the message",
        );
    }
}

fn check_generated(recipe: &Recipe, all: &[(String, MessageTemplate)], p: &mut Problems) {
    let uses = |v: &Var| all.iter().any(|(_, t)| t.uses(v));
    let gen = &recipe.generate;
    if gen.timestamp.is_some() && !uses(&Var::Timestamp) {
        p.add(
            "E0115",
            "generate.timestamp",
            "generate.timestamp: no template uses `{timestamp}`".into(),
            "use `{timestamp}` in the message, `value`, `headers` or `fields`, or remove it",
        );
    }
    if gen.nonce.is_some() && !uses(&Var::Nonce) {
        p.add(
            "E0115",
            "generate.nonce",
            "generate.nonce: no template uses `{nonce}`".into(),
            "use `{nonce}` in the message, `headers` or `fields`, or remove it",
        );
    }
    if uses(&Var::Timestamp) && gen.timestamp.is_none() {
        p.add(
            "E0140",
            "generate",
            "`{timestamp}` is used but `generate.timestamp` is not set".into(),
            "add `generate: { timestamp: unix_seconds }` (or unix_millis, iso8601, http_date)",
        );
    }
    if uses(&Var::Nonce) && gen.nonce.is_none() {
        p.add(
            "E0140",
            "generate",
            "`{nonce}` is used but `generate.nonce` is not set".into(),
            "add `generate: { nonce: { hex: 32 } }` (or { alnum: N }, uuid)",
        );
    }
    if recipe.tolerance.is_some() && gen.timestamp.is_none() {
        p.add(
            "E0115",
            "tolerance",
            "tolerance needs `generate.timestamp` (the signed time to compare)".into(),
            "add `generate: { timestamp: ... }` and sign `{timestamp}`",
        );
    }
}

/// Key kinds against digests.
fn check_keys(recipe: &Recipe, p: &mut Problems) {
    let s = &recipe.secret;
    let asym = recipe.digest.is_asymmetric();
    let key_use = matches!(
        s.use_as,
        SecretPlacement::PrivateKey | SecretPlacement::PublicKey
    );
    if asym && !key_use {
        p.add(
            "E0115",
            "secret.use",
            format!(
                "digest {:?} is a public-key signature but the secret is not a key",
                recipe.digest
            ),
            "set `use: private_key` (the signer's PEM key) or `use: public_key` (verify only)",
        );
    }
    if key_use && !asym {
        p.add(
            "E0115",
            "secret.use",
            format!("a PEM key cannot drive digest {:?}", recipe.digest),
            "use rsa_sha256, rsa_pss_sha256, ecdsa_p256_sha256, ecdsa_p256_sha256_raw or ed25519",
        );
    }
    if s.use_as == SecretPlacement::InMessage && (recipe.digest.is_hmac() || asym) {
        p.add(
            "E0115",
            "secret.use",
            "secret `use: in_message` needs a plain digest".into(),
            "use md5, sha1, sha256 or sha512 (an HMAC takes the secret as `use: hmac_key`)",
        );
    }
    if key_use && s.decode != KeyDecoding::AsIs {
        p.add(
            "E0115",
            "secret.decode",
            "keys are PEM text: `decode` does not apply".into(),
            "remove `decode`",
        );
    }
    if s.signer.is_some() && s.use_as != SecretPlacement::PublicKey {
        p.add(
            "E0115",
            "secret.signer",
            "secret `signer` only applies with `use: public_key`".into(),
            "remove `signer`, or verify with the public key",
        );
    }
    if s.previous.contains(&s.credential) {
        p.add(
            "E0115",
            "secret.previous",
            "secret `previous` repeats the main credential".into(),
            "list only older credentials",
        );
    }
}

/// A request recipe must sign: a public key cannot.
pub fn check_request_recipe(recipe: &Recipe) -> Option<Problem> {
    (recipe.secret.use_as == SecretPlacement::PublicKey).then(|| Problem {
        code: "E0115",
        key: "secret.use".into(),
        message: "a public key cannot sign requests".into(),
        hint: "the merchant's private key signs requests: `use: private_key` with the PEM private key credential",
    })
}

/// What a template reads that a spec must provide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// `{field.NAME...}` (the first segment).
    Field,
    /// `{path.NAME}`.
    PathParam,
    /// `{credential.NAME}`.
    Credential,
}

/// One name a recipe's templates read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The key of the template (`over.message`, `headers.X-Sig`, ...).
    pub key: String,
    /// What is read.
    pub kind: RefKind,
    /// The field's first segment, parameter or credential name.
    pub name: String,
}

/// Every field, path parameter and credential the recipe's templates read (templates that do
/// not parse are left out: [`check_v2`] reports them).
pub fn references(recipe: &Recipe) -> Vec<Reference> {
    let mut ignored = Problems(Vec::new());
    let mut out = Vec::new();
    for (key, t) in templates(recipe, &mut ignored) {
        for var in t.vars() {
            let (kind, name) = match var {
                Var::Field(path) => (RefKind::Field, path.split('.').next().unwrap_or(path)),
                Var::PathParam(n) => (RefKind::PathParam, n.as_str()),
                Var::Credential(n) => (RefKind::Credential, n.as_str()),
                _ => continue,
            };
            out.push(Reference {
                key: key.clone(),
                kind,
                name: name.to_string(),
            });
        }
    }
    out
}
