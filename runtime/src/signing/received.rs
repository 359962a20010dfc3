//! Verification of a *received* message (a request reaching a simulator, an answer, a webhook):
//! the counterpart of request preparation, reading the signature and generated values where the
//! recipe places them, checking the timestamp tolerance, then verifying with every key.

use super::compiled::{CompiledRecipe, MessagePlan, Signer};
use super::generate::parse_timestamp;
use super::message::{MessageTemplate, Var};
use super::placed::Captured;
use super::recipe::{KeyCase, Placement};
use super::view::RequestView;
use super::SigningError;
use crate::clock::Clock;
use crate::wire_tree::{take_at, WireObject, WireValue};
use std::borrow::Cow;

/// A received HTTP message as signing sees it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Received<'a> {
    /// Method, upper case (answers and webhooks: `POST`).
    pub method: &'a str,
    /// Path as received, without the query.
    pub path: &'a str,
    /// Query as received, without `?`.
    pub query: &'a str,
    /// Host header value.
    pub host: &'a str,
    /// Path parameters the receiver's route extracted.
    pub path_params: &'a [(String, String)],
    /// Headers: (name, value) pairs, or the header map they arrived in, borrowed.
    pub headers: ReceivedHeaders<'a>,
    /// The body's fields (parsed JSON object or form), when it has fields.
    pub fields: Option<&'a serde_json::Map<String, serde_json::Value>>,
    /// The body's fields already as a wire tree (an answer's parsed body), read instead of
    /// `fields` when set.
    pub wire_fields: Option<&'a WireObject<'a>>,
    /// Exact body bytes.
    pub body: &'a [u8],
    /// Refuse field sets a canonical field signature cannot bind unambiguously (keys equal
    /// after lower-casing, a string value containing the pair separator). On for webhooks,
    /// where anyone can post; off for answers on a TLS connection the client opened.
    pub refuse_ambiguous: bool,
}

/// The headers of a received message: (name, value) pairs, or the HTTP header map they
/// arrived in, borrowed as it is (nothing is copied to verify a signature in a header).
#[derive(Debug, Clone, Copy)]
pub enum ReceivedHeaders<'a> {
    /// Pairs (name, value), in order.
    Pairs(&'a [(String, String)]),
    /// A header map; values that are not text are not seen.
    Map(&'a http::HeaderMap),
}

impl Default for ReceivedHeaders<'_> {
    fn default() -> Self {
        ReceivedHeaders::Pairs(&[])
    }
}

impl<'a> From<&'a [(String, String)]> for ReceivedHeaders<'a> {
    fn from(pairs: &'a [(String, String)]) -> Self {
        ReceivedHeaders::Pairs(pairs)
    }
}

impl<'a> From<&'a Vec<(String, String)>> for ReceivedHeaders<'a> {
    fn from(pairs: &'a Vec<(String, String)>) -> Self {
        ReceivedHeaders::Pairs(pairs)
    }
}

impl<'a> From<&'a http::HeaderMap> for ReceivedHeaders<'a> {
    fn from(map: &'a http::HeaderMap) -> Self {
        ReceivedHeaders::Map(map)
    }
}

impl<'a> ReceivedHeaders<'a> {
    /// The first text value of the header `name` (compared without regard to ASCII case).
    pub fn get(&self, name: &str) -> Option<&'a str> {
        match *self {
            ReceivedHeaders::Pairs(pairs) => pairs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str()),
            // a scan, not a lookup: a lookup parses and hashes the name, which costs more
            // than comparing it with a request's dozen names
            ReceivedHeaders::Map(map) => map.iter().find_map(|(k, v)| {
                k.as_str()
                    .eq_ignore_ascii_case(name)
                    .then(|| v.to_str().ok())
                    .flatten()
            }),
        }
    }

    /// The headers as pairs: a map's text values copied, in its order (names lower case).
    pub fn to_pairs(&self) -> Cow<'a, [(String, String)]> {
        match *self {
            ReceivedHeaders::Pairs(pairs) => Cow::Borrowed(pairs),
            ReceivedHeaders::Map(map) => Cow::Owned(
                map.iter()
                    .filter_map(|(k, v)| {
                        Some((k.as_str().to_string(), v.to_str().ok()?.to_string()))
                    })
                    .collect(),
            ),
        }
    }
}

/// Whether a template of `plan` names `{header.X}` (only then does the message read the
/// headers as pairs).
fn templates_read_headers(plan: &CompiledRecipe) -> bool {
    let reads = |t: &MessageTemplate| t.vars().any(|v| matches!(v, Var::Header(_)));
    matches!(&plan.message, MessagePlan::Template(t) if reads(t))
        || plan.value.as_ref().is_some_and(reads)
        || plan.headers.iter().any(|h| reads(&h.template))
        || plan.fields.iter().any(|(_, t)| reads(t))
}

fn mismatch() -> SigningError {
    SigningError::Mismatch { expected_len: 0 }
}

/// Verifies `msg` with `signer`: finds the signature (header or body field, by the recipe's
/// `value` template; several candidates allowed), reads generated values back, refuses a
/// timestamp outside `tolerance` of `clock` (both directions) and (when asked) field sets the
/// signature cannot bind unambiguously, then checks every key (rotation).
pub fn verify_received(
    signer: &Signer,
    msg: &Received<'_>,
    clock: &dyn Clock,
) -> Result<(), SigningError> {
    let plan = signer.plan();
    let recipe = plan.recipe();
    // a recipe over the headers and raw bytes alone never looks at the parsed fields; an
    // answer's fields already parsed as a wire tree are read as they are
    let reads = plan.reads_fields();
    let converted = msg
        .fields
        .filter(|_| reads && msg.wire_fields.is_none())
        .map(WireObject::from_json);
    let received = msg.wire_fields.or(converted.as_ref()).filter(|_| reads);
    let mut without_signature;
    let taken;
    let mut fields = received;
    let placed: Cow<'_, str> = match &recipe.place {
        Placement::Header(name) => Cow::Borrowed(msg.headers.get(name).ok_or_else(mismatch)?),
        Placement::BodyField(name) => {
            let all = received.ok_or_else(mismatch)?;
            let text = match all.get(name.as_str()) {
                // a top-level signature field is left out of the message by the message itself
                // (the canonical rendering skips it; templates name other fields): no copy
                Some(v) => v.as_text(),
                None => {
                    without_signature = all.clone();
                    taken = take_at(&mut without_signature, name);
                    fields = Some(&without_signature);
                    taken.as_ref().and_then(WireValue::as_text)
                }
            };
            text.ok_or_else(mismatch)?
        }
    };
    let captured = plan.read_placed(&placed).ok_or_else(mismatch)?;
    if captured.signatures.is_empty() {
        return Err(mismatch());
    }
    let generated = generated_values(signer, msg, fields, captured);
    check_tolerance(signer, generated.timestamp.as_deref(), clock)?;
    if let (true, MessagePlan::Canonical, Some(f)) = (msg.refuse_ambiguous, &plan.message, fields) {
        refuse_ambiguous(signer, f)?;
    }
    // a header map is copied into pairs only for a template that reads headers
    let pairs = match msg.headers {
        ReceivedHeaders::Map(_) if !templates_read_headers(plan) => Cow::Borrowed(&[][..]),
        headers => headers.to_pairs(),
    };
    let view = RequestView {
        method: msg.method,
        path: msg.path,
        query: msg.query,
        host: msg.host,
        url: "",
        path_params: msg.path_params,
        headers: &pairs,
        fields,
        body: msg.body,
        timestamp: generated.timestamp.as_deref(),
        nonce: generated.nonce.as_deref(),
        ..RequestView::default()
    };
    signer.verify_any(&view, &generated.signatures)
}

/// Generated values: from the placed value, else from the recipe's headers or fields.
fn generated_values<'t>(
    signer: &Signer,
    msg: &Received<'t>,
    fields: Option<&'t WireObject<'_>>,
    mut got: Captured<'t>,
) -> Captured<'t> {
    let plan = signer.plan();
    for h in &plan.headers {
        if got.timestamp.is_some() && got.nonce.is_some() {
            break;
        }
        let Some(text) = msg.headers.get(&h.name) else {
            continue;
        };
        if let Some(c) = h.reader.read(text) {
            got.timestamp = got.timestamp.or(c.timestamp);
            got.nonce = got.nonce.or(c.nonce);
        }
    }
    for (name, template) in &plan.fields {
        let value = fields
            .and_then(|f| f.get(name))
            .and_then(WireValue::as_text);
        match (template.single_var(), value) {
            (Some(Var::Timestamp), Some(v)) if got.timestamp.is_none() => got.timestamp = Some(v),
            (Some(Var::Nonce), Some(v)) if got.nonce.is_none() => got.nonce = Some(v),
            _ => {}
        }
    }
    got
}

fn check_tolerance(
    signer: &Signer,
    timestamp: Option<&str>,
    clock: &dyn Clock,
) -> Result<(), SigningError> {
    let recipe = signer.plan().recipe();
    let (Some(tolerance), Some(form)) = (recipe.tolerance, recipe.generate.timestamp) else {
        return Ok(());
    };
    let text = timestamp.ok_or(SigningError::Timestamp("no signed timestamp"))?;
    let at = parse_timestamp(form, text).ok_or(SigningError::Timestamp("unreadable"))?;
    let age = clock.now_unix().saturating_sub(at);
    let limit = i64::try_from(tolerance).unwrap_or(i64::MAX);
    if age > limit {
        return Err(SigningError::Timestamp("too old"));
    }
    if age < -limit {
        return Err(SigningError::Timestamp("too far in the future"));
    }
    Ok(())
}

/// Field sets a canonical string cannot bind: two keys that render the same after lower-casing,
/// or a signed string value containing the pair separator (the boundaries could shift).
fn refuse_ambiguous(signer: &Signer, fields: &WireObject<'_>) -> Result<(), SigningError> {
    let rules = &signer.plan().recipe().canonical;
    if rules.key_case == KeyCase::Lower {
        let mut lower: Vec<String> = fields.iter().map(|(k, _)| k.to_lowercase()).collect();
        lower.sort();
        if lower.windows(2).any(|w| w[0] == w[1]) {
            return Err(SigningError::WrongInput(
                "two field names differ only in case (the signature cannot tell them apart)",
            ));
        }
    }
    if !rules.join.is_empty() {
        let shifted = fields
            .iter()
            .any(|(_, v)| matches!(v, WireValue::Str(s) if s.contains(rules.join.as_str())));
        if shifted {
            return Err(SigningError::WrongInput(
                "a signed value contains the pair separator (the signature cannot bind it)",
            ));
        }
    }
    Ok(())
}
