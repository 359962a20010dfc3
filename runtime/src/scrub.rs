//! Exact-value scrubbing: the values the runtime *knows* are sensitive (the credentials, the
//! request's card, CVV, secret and personal-data fields) are replaced by `***` in error texts,
//! whatever form a provider echoes them in (raw, JSON-escaped, percent-encoded), on top of the
//! pattern-based masking of [`crate::redact`]. [`CallGuard`] applies it (and attaches the
//! reconciliation key) to every error of one call.

use serde_json::{Map, Value};

use crate::clock::FixedClock;
use crate::credentials::Credentials;
use crate::error::Error;
use crate::exchange::OperationMeta;
use crate::json_path::{at, at_field};
use crate::reconcile::Reconcile;
use crate::redact::redact_text;
use crate::towire::{encode, ToWire, WireContext, WireSource};

/// Values shorter than this are not scrubbed by value (a 1-character "secret" would blank out
/// every occurrence of that character); pattern masking still applies. CVVs (3 digits) are kept.
const MIN_LEN: usize = 3;

/// The exact sensitive values of one call, in every form they may be echoed in.
#[derive(Clone, Default)]
pub struct Scrubber {
    needles: Vec<String>,
}

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Scrubber({} forms)", self.needles.len())
    }
}

impl Scrubber {
    /// Scrubs nothing by value.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one sensitive value (and its JSON-escaped and percent-encoded forms).
    pub fn add(&mut self, value: &str) -> &mut Self {
        let trimmed = value.trim();
        if trimmed.chars().count() < MIN_LEN {
            return self;
        }
        let mut forms = vec![trimmed.to_string()];
        let json = |t: &str| {
            serde_json::to_string(t)
                .map(|j| j[1..j.len() - 1].to_string())
                .unwrap_or_default()
        };
        let once = json(trimmed);
        // encoders that also escape `/` (PHP's json_encode)
        let slashed = once.replace('/', "\\/");
        for f in [once, slashed] {
            // ...and a JSON string inside a JSON string: escaped twice
            forms.push(json(&f));
            forms.push(f);
        }
        let ascii_escaped: String = trimmed
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_string()
                } else {
                    format!("\\u{:04x}", c as u32)
                }
            })
            .collect();
        forms.push(ascii_escaped);
        // form encoding (space as `+`) and path/query encoding (space as `%20`), upper- and
        // lower-case hex
        let form = crate::wire::percent_encode(trimmed, true);
        let path = crate::wire::percent_encode(trimmed, false);
        for p in [form, path] {
            forms.push(lower_hex(&p));
            forms.push(p);
        }
        // a card number or code written without its spaces or dashes
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= 12 && digits.len() != trimmed.len() {
            forms.push(digits);
        }
        for f in forms {
            if !f.is_empty() && !self.needles.contains(&f) {
                self.needles.push(f);
            }
        }
        // longest first, so a value is not half-replaced by a shorter form of itself
        self.needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
        self
    }

    /// Every credential's value.
    pub fn with_credentials(mut self, credentials: &Credentials) -> Self {
        for s in credentials.values() {
            self.add(s.expose());
        }
        self
    }

    /// `text` without any known value, then pattern-masked and control-escaped.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for n in &self.needles {
            if out.contains(n.as_str()) {
                out = out.replace(n.as_str(), "***");
            }
        }
        redact_text(&out)
    }

    /// The error with every text scrubbed.
    pub fn scrub_error(&self, mut e: Error) -> Error {
        let s = |t: &mut String| *t = self.scrub(t);
        match &mut e {
            Error::NotConnected { reason, .. }
            | Error::OutcomeUnknown { reason, .. }
            | Error::Auth { reason, .. } => s(reason),
            Error::Http { body_excerpt, .. } => s(body_excerpt),
            Error::Server {
                code, body_excerpt, ..
            } => {
                if let Some(c) = code {
                    s(c);
                }
                s(body_excerpt);
            }
            Error::Declined { code, message, .. } => {
                s(code);
                s(message);
            }
            Error::Undecodable {
                reason,
                body_excerpt,
                ..
            } => {
                s(reason);
                s(body_excerpt);
            }
            Error::Config(text) => s(text),
            _ => {}
        }
        e
    }
}

/// `%2F` -> `%2f`, other characters unchanged.
fn lower_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut hex_left = 0;
    for c in encoded.chars() {
        if c == '%' {
            hex_left = 2;
            out.push(c);
        } else if hex_left > 0 {
            hex_left -= 1;
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The texts of the values at these dotted wire paths of a request body (strings and numbers).
fn sensitive_values(body: &Map<String, Value>, paths: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for p in paths {
        fields_at(body, p, &mut found);
    }
    found
        .into_iter()
        .filter_map(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .collect()
}

/// [`values_at`] from a body's fields (the first segment looked up in the map, no copy made).
fn fields_at<'a>(body: &'a Map<String, Value>, path: &str, out: &mut Vec<&'a Value>) {
    match path.split_once("[]") {
        None => out.extend(at_field(body, path)),
        Some((head, rest)) => {
            let rest = rest.strip_prefix('.').unwrap_or(rest);
            let list = at_field(body, head).and_then(Value::as_array);
            for item in list.into_iter().flatten() {
                if rest.is_empty() {
                    out.push(item);
                } else {
                    values_at(item, rest, out);
                }
            }
        }
    }
}

fn values_at<'a>(v: &'a Value, path: &str, out: &mut Vec<&'a Value>) {
    match path.split_once("[]") {
        None => {
            if let Some(found) = at(v, path) {
                out.push(found);
            }
        }
        Some((head, rest)) => {
            let list = if head.is_empty() {
                Some(v)
            } else {
                at(v, head)
            };
            let rest = rest.strip_prefix('.').unwrap_or(rest);
            for item in list.and_then(Value::as_array).into_iter().flatten() {
                if rest.is_empty() {
                    out.push(item);
                } else {
                    values_at(item, rest, out);
                }
            }
        }
    }
}

/// What every error of one call goes through: the reconciliation key attached to an unknown
/// outcome, and the call's known sensitive values scrubbed from every text. Built on every call,
/// so it holds only borrowed references and the instant the body is encoded at: the body is
/// encoded again (identically: same request, credentials and instant) only when an error is
/// applied, and the key and scrubbing forms are made from it then.
pub struct CallGuard<'a> {
    op: Option<&'a OperationMeta>,
    credentials: &'a Credentials,
    request: Option<RequestAt<'a>>,
}

/// A request and everything its encoding reads, the clock fixed at one instant.
struct RequestAt<'a> {
    request: &'a (dyn ToWire + Sync),
    clock: FixedClock,
    exponents: &'a [(&'a str, u8)],
    /// Dotted wire paths of the request's sensitive fields.
    sensitive: &'a [&'a str],
}

impl std::fmt::Debug for CallGuard<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallGuard")
            .field("operation", &self.op.map(|op| op.name))
            .field(
                "sensitive_paths",
                &self.request.as_ref().map_or(0, |r| r.sensitive.len()),
            )
            .finish()
    }
}

impl<'a> CallGuard<'a> {
    /// The guard of one call of `op` with `request` (encoded with `source`'s credentials and
    /// its clock's current instant, kept for every encoding of this call); `sensitive` lists the
    /// dotted wire paths of the request's sensitive fields.
    pub fn new(
        op: &'a OperationMeta,
        source: &'a dyn WireSource,
        request: &'a (dyn ToWire + Sync),
        exponents: &'a [(&'a str, u8)],
        sensitive: &'a [&'a str],
    ) -> Self {
        CallGuard {
            op: Some(op),
            credentials: source.credentials(),
            request: Some(RequestAt {
                request,
                clock: FixedClock(source.clock().now_unix()),
                exponents,
                sensitive,
            }),
        }
    }

    /// The guard of a call without a request body.
    pub fn without_body(credentials: &'a Credentials) -> Self {
        CallGuard {
            op: None,
            credentials,
            request: None,
        }
    }

    /// The request's body as the tree that borrows from the request, validated
    /// (`Error::InvalidRequest` names every bad field): what the call prepares and sends.
    pub fn tree(&self) -> Result<crate::wire_tree::WireObject<'a>, Error> {
        match &self.request {
            Some(r) => crate::towire::encode_tree(r.request, &r.context(self.credentials)),
            None => Ok(crate::wire_tree::WireObject::default()),
        }
    }

    /// The request's body written as JSON straight from `request` (the request this guard
    /// was built with; see [`crate::json_direct`]), validated (`Error::InvalidRequest` names
    /// every bad field): the bytes [`CallGuard::tree`] would be written as, with the same
    /// credentials, instant and exponents.
    pub fn json_body<T: crate::json_direct::WriteJson + ?Sized>(
        &self,
        request: &T,
    ) -> Result<Vec<u8>, Error> {
        match &self.request {
            Some(r) => crate::json_direct::encode_json(request, &r.context(self.credentials)),
            None => Ok(b"{}".to_vec()),
        }
    }

    /// The request's body fields, validated (`Error::InvalidRequest` names every bad field).
    pub fn body(&self) -> Result<Map<String, Value>, Error> {
        match &self.request {
            Some(r) => encode(r.request, &r.context(self.credentials)),
            None => Ok(Map::new()),
        }
    }

    /// The error, keyed and scrubbed.
    pub fn apply(&self, e: Error) -> Error {
        let mut scrubber = Scrubber::new().with_credentials(self.credentials);
        let (Some(op), Some(r)) = (self.op, &self.request) else {
            return scrubber.scrub_error(e.reconciled(Reconcile::Unspecified));
        };
        // the body this call sent: it was encoded from the same inputs without an error
        let body = self.body().unwrap_or_default();
        for v in sensitive_values(&body, r.sensitive) {
            scrubber.add(&v);
        }
        scrubber.scrub_error(e.reconciled(Reconcile::for_operation(op, &body)))
    }
}

impl RequestAt<'_> {
    fn context<'c>(&'c self, credentials: &'c Credentials) -> WireContext<'c> {
        WireContext {
            credentials,
            clock: &self.clock,
            exponents: self.exponents,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn known_values_go_in_every_form() {
        let mut s = Scrubber::new();
        s.add("s3cr3t/k+y=");
        s.add("739");
        s.add("Jane \"Q\" Doe");
        let text = "raw s3cr3t/k+y= json s3cr3t\\/k+y= pct s3cr3t%2Fk%2By%3D cvv 739 \
                    name Jane \\\"Q\\\" Doe u Jane\\u0020\\u0022Q\\u0022\\u0020Doe";
        let out = s.scrub(text);
        for leaked in ["s3cr3t", "739", "Jane", "k%2By"] {
            assert!(!out.contains(leaked), "{leaked} in {out}");
        }
    }

    #[test]
    fn short_values_are_left_to_pattern_masking() {
        let mut s = Scrubber::new();
        s.add("ab");
        assert_eq!(s.scrub("abc"), "abc");
    }

    #[test]
    fn fields_by_path_including_lists() {
        let Value::Object(body) = json!({"card": {"pan": "4000056655665556", "cvv": "123"},
            "people": [{"name": "Ann Lee"}, {"name": "Bo Chan"}], "amount": 10})
        else {
            unreachable!()
        };
        let mut s = Scrubber::new();
        for v in sensitive_values(&body, &["card.pan", "card.cvv", "people[].name"]) {
            s.add(&v);
        }
        let out = s.scrub("4000 0566 5566 5556 / 123 / Ann Lee, Bo Chan / amount 10");
        assert!(!out.contains("5566") && !out.contains("123"), "{out}");
        assert!(!out.contains("Ann") && !out.contains("Bo Chan"), "{out}");
        assert!(out.contains("amount 10"), "{out}");
    }

    #[test]
    fn every_error_text_is_scrubbed() {
        let creds = Credentials::new().with("salt", "pepper-9");
        let guard = CallGuard::without_body(&creds);
        let e = guard.apply(Error::Declined {
            operation: "x",
            http_status: 400,
            code: "pepper-9".into(),
            message: "bad salt pepper-9\u{1b}[31m".into(),
        });
        let text = format!("{e} {e:?}");
        assert!(!text.contains("pepper-9"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
    }
}
