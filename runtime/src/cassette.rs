//! Cassettes: recorded exchanges with a provider (calls and callbacks), scrubbed of card data,
//! CVVs, secrets and PII *at write time*, one JSON object per line.
//!
//! A cassette never holds a value the spec marks sensitive nor a credential value: cards keep
//! their first 6 and last 4 digits, CVVs/passwords/secrets are removed, PII becomes a stable fake
//! (`pii-1`, `pii-2`, ... in order of first appearance within one [`Scrubber`]). Because scrubbing
//! changes signed bytes, a signature is checked when the exchange is recorded and the result is
//! stored in [`Exchange::signature`].

#[cfg(feature = "transport")]
mod recorder;

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::redact::{is_sensitive_key, redact_text};
use crate::sensitive::mask_card_number;
use crate::wire::{form_decode, percent_encode};

#[cfg(feature = "transport")]
pub use recorder::CassetteRecorder;

/// What a recorded exchange was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeKind {
    /// A request the client sent and the provider's answer.
    Call,
    /// A notification the provider sent and the merchant's answer.
    Callback,
}

/// The signature check made at record time (before scrubbing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureCheck {
    /// The spec signs nothing here.
    NotSigned,
    /// The signature verified.
    Verified,
    /// A signature was expected and is absent.
    Missing,
    /// The signature did not verify.
    Mismatch,
}

/// One HTTP message as recorded (already scrubbed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    /// Request method (requests only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Request path (requests only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Query string without `?` (requests only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// HTTP status (answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Headers in order (values scrubbed).
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// The body as text, scrubbed (key order kept as received).
    #[serde(default)]
    pub body: String,
}

impl Recorded {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One recorded exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// Call or callback.
    pub kind: ExchangeKind,
    /// The spec's operation (calls) or `webhook` (callbacks); `None` when no operation matched.
    pub operation: Option<String>,
    /// What was sent.
    pub request: Recorded,
    /// What came back.
    pub response: Recorded,
    /// The signature check made before scrubbing (of the answer for calls, of the
    /// notification for callbacks).
    pub signature: SignatureCheck,
}

/// How one sensitive field is scrubbed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scrub {
    /// First 6 and last 4 kept.
    Card,
    /// Replaced by `[removed]`.
    Remove,
    /// Replaced by a stable fake (`pii-N`).
    Fake,
}

/// Text that replaces removed values.
pub const REMOVED: &str = "[removed]";

/// Scrubs exchanges with the spec's sensitivity annotations and the credential values.
#[derive(Default)]
pub struct Scrubber {
    fields: HashMap<String, Scrub>,
    secrets: Vec<String>,
    fakes: Mutex<HashMap<String, String>>,
}

/// Counts only: the secrets and the faked values are what a scrubber hides.
impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scrubber")
            .field("fields", &self.fields.len())
            .field("secrets", &self.secrets.len())
            .finish()
    }
}

impl Scrubber {
    /// A scrubber for these sensitive wire field names and these credential values (values
    /// shorter than 4 characters are not searched for in free text: they would match anywhere).
    pub fn new(fields: HashMap<String, Scrub>, secrets: Vec<String>) -> Scrubber {
        let secrets = secrets.into_iter().filter(|s| s.len() >= 4).collect();
        Scrubber {
            fields,
            secrets,
            fakes: Mutex::new(HashMap::new()),
        }
    }

    fn rule_for(&self, key: &str) -> Option<Scrub> {
        if let Some(rule) = self.fields.get(key) {
            return Some(*rule);
        }
        is_sensitive_key(key).then_some(Scrub::Remove)
    }

    fn apply(&self, rule: Scrub, text: &str) -> String {
        match rule {
            Scrub::Card => mask_card_number(text),
            Scrub::Remove => REMOVED.to_string(),
            Scrub::Fake => {
                let mut fakes = self.fakes.lock().unwrap_or_else(|e| e.into_inner());
                let next = fakes.len() + 1;
                fakes
                    .entry(text.to_string())
                    .or_insert_with(|| format!("pii-{next}"))
                    .clone()
            }
        }
    }

    /// A JSON value with every sensitive key's value scrubbed, at any depth.
    pub fn scrub_json(&self, value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    match (self.rule_for(key), &*v) {
                        (Some(rule), Value::String(s)) => *v = Value::String(self.apply(rule, s)),
                        (Some(rule), Value::Number(n)) => {
                            *v = Value::String(self.apply(rule, &n.to_string()))
                        }
                        _ => self.scrub_json(v),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.scrub_json(v)),
            Value::String(s) => *s = self.scrub_value(s),
            _ => {}
        }
    }

    /// One field value no rule names: an e-mail address (personal data wherever the spec
    /// forgot to say so) becomes a stable fake, anything else is scrubbed as text.
    fn scrub_value(&self, value: &str) -> String {
        if looks_like_email(value) {
            return self.apply(Scrub::Fake, value);
        }
        self.scrub_text(value)
    }

    /// Free text with credential values (raw, JSON-escaped and percent-encoded) replaced by
    /// `***`, then card-like digit runs and values of sensitive keys masked.
    pub fn scrub_text(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in &self.secrets {
            let escaped = serde_json::to_string(secret).unwrap_or_default();
            let escaped = escaped.trim_matches('"');
            for form in [secret.as_str(), escaped, &percent_encode(secret, true)] {
                if !form.is_empty() {
                    out = out.replace(form, "***");
                }
            }
        }
        redact_text(&out)
    }

    /// A body scrubbed according to its form: JSON (key order kept), form-encoded, or text.
    pub fn scrub_body(&self, body: &[u8]) -> String {
        let text = String::from_utf8_lossy(body);
        if let Ok(mut json) = serde_json::from_str::<Value>(&text) {
            self.scrub_json(&mut json);
            return json.to_string();
        }
        if let Some(decoded) = looks_like_form(&text).then(|| form_decode(&text)).flatten() {
            let mut pairs = serde_json::Map::new();
            for (k, v) in decoded {
                let v = match self.rule_for(&k) {
                    Some(rule) => self.apply(rule, &v),
                    None => self.scrub_value(&v),
                };
                pairs.insert(k, Value::String(v));
            }
            return crate::wire::form_encode(&pairs);
        }
        self.scrub_text(&text)
    }

    /// Headers with auth and sensitive ones replaced by `***`, the rest scrubbed as text.
    pub fn scrub_headers(&self, headers: &[(String, String)]) -> Vec<(String, String)> {
        headers
            .iter()
            .map(|(k, v)| {
                let lower = k.to_ascii_lowercase();
                let hidden = matches!(
                    lower.as_str(),
                    "authorization" | "proxy-authorization" | "cookie" | "set-cookie"
                ) || is_sensitive_key(k);
                let value = if hidden {
                    "***".to_string()
                } else {
                    self.scrub_text(v)
                };
                (k.clone(), value)
            })
            .collect()
    }
}

/// `local@domain.tld` without spaces.
fn looks_like_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !text.contains(char::is_whitespace)
        && domain
            .rsplit_once('.')
            .is_some_and(|(host, tld)| !host.is_empty() && tld.len() >= 2)
}

fn looks_like_form(text: &str) -> bool {
    !text.is_empty()
        && text.contains('=')
        && !text.contains(char::is_whitespace)
        && !text.starts_with('<')
}

/// Appends exchanges to a cassette file (JSON Lines).
pub fn append(path: &Path, exchange: &Exchange) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    let line = serde_json::to_string(exchange).map_err(std::io::Error::other)?;
    writeln!(file, "{line}")
}

/// Reads every exchange of a cassette file; a malformed line is an error naming its number.
pub fn read(path: &Path) -> Result<Vec<Exchange>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{}: {e}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let exchange = serde_json::from_str(&line)
            .map_err(|e| format!("{}:{}: not a recorded exchange: {e}", path.display(), i + 1))?;
        out.push(exchange);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubber() -> Scrubber {
        let fields = HashMap::from([
            ("pan".to_string(), Scrub::Card),
            ("cvv".to_string(), Scrub::Remove),
            ("email".to_string(), Scrub::Fake),
        ]);
        Scrubber::new(fields, vec!["s3cr3t-key".into()])
    }

    #[test]
    fn json_bodies_lose_cards_cvvs_pii_and_secrets_and_keep_key_order() {
        let s = scrubber();
        let body = br#"{"z":1,"pan":"4111111111111111","cvv":"123","email":"a@b.c","note":"key s3cr3t-key","card":{"pan":"4242424242424242"},"payer":"a@b.cd"}"#;
        let out = s.scrub_body(body);
        assert_eq!(
            out,
            r#"{"z":1,"pan":"411111******1111","cvv":"[removed]","email":"pii-1","note":"key ***","card":{"pan":"424242******4242"},"payer":"pii-2"}"#
        );
        // The same PII value gets the same fake.
        assert!(s.scrub_body(br#"{"email":"a@b.c"}"#).contains("pii-1"));
        assert!(s.scrub_body(br#"{"email":"x@y.z"}"#).contains("pii-3"));
        // an e-mail address in a field no rule names is personal data all the same
        assert_eq!(s.scrub_body(b"id=a%40b.cd&n=1"), "id=pii-2&n=1");
        assert!(!looks_like_email("not @ mail.com") && !looks_like_email("a@localhost"));
    }

    #[test]
    fn debug_shows_no_secret() {
        let s = scrubber();
        s.scrub_body(br#"{"email":"a@b.c"}"#);
        let shown = format!("{s:?}");
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("a@b.c"),
            "{shown}"
        );
    }

    #[test]
    fn form_bodies_and_headers_are_scrubbed() {
        let s = scrubber();
        let out = s.scrub_body(b"pan=4111111111111111&cvv=123&amount=100");
        assert_eq!(out, "pan=411111******1111&cvv=%5Bremoved%5D&amount=100");
        let headers = s.scrub_headers(&[
            ("Authorization".into(), "Bearer abc".into()),
            ("X-Api-Key".into(), "k".into()),
            ("X-Sig".into(), "t=1,v1=s3cr3t-key".into()),
        ]);
        assert_eq!(headers[0].1, "***");
        assert_eq!(headers[1].1, "***");
        assert_eq!(headers[2].1, "t=1,v1=***");
    }

    #[test]
    fn cassettes_round_trip_and_name_bad_lines() {
        let dir = std::env::temp_dir().join(format!("paygen-cassette-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("c.jsonl");
        let _ = std::fs::remove_file(&path);
        let ex = Exchange {
            kind: ExchangeKind::Call,
            operation: Some("status".into()),
            request: Recorded {
                method: Some("GET".into()),
                path: Some("/status".into()),
                query: None,
                status: None,
                headers: vec![],
                body: String::new(),
            },
            response: Recorded {
                method: None,
                path: None,
                query: None,
                status: Some(200),
                headers: vec![],
                body: "{}".into(),
            },
            signature: SignatureCheck::NotSigned,
        };
        append(&path, &ex).expect("append");
        assert_eq!(read(&path).expect("read"), vec![ex]);
        std::fs::write(&path, "{}\n").expect("write");
        assert!(read(&path)
            .unwrap_err()
            .contains(":1: not a recorded exchange"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
