//! What a message template can read of one request: method, path, query, host, path
//! parameters, headers, body fields, raw body, generated values and (for signing) credentials.

use std::borrow::Cow;

use base64::Engine as _;
use md5::Md5;
use serde_json::{Map, Value};
use sha1::Sha1;
use sha2::{Digest as _, Sha256, Sha512};

use super::message::{BodyHash, BodyHashText, SecretsShown, Var};
use crate::credentials::Credentials;
use crate::wire_tree::WireObject;

/// One request as signing sees it (built by request preparation, or from a received request).
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestView<'a> {
    /// Method, upper case.
    pub method: &'a str,
    /// Path as sent (parameters filled and encoded), no query.
    pub path: &'a str,
    /// Query string as sent, without `?`.
    pub query: &'a str,
    /// Host (with a non-default port).
    pub host: &'a str,
    /// Full URL.
    pub url: &'a str,
    /// Path parameters (name, value).
    pub path_params: &'a [(String, String)],
    /// Request headers (name, value).
    pub headers: &'a [(String, String)],
    /// Body fields (as encoded on the wire), when the body has fields.
    pub fields: Option<&'a WireObject<'a>>,
    /// Exact body bytes.
    pub body: &'a [u8],
    /// The generated (or received) `{timestamp}` text.
    pub timestamp: Option<&'a str>,
    /// The generated (or received) `{nonce}` text.
    pub nonce: Option<&'a str>,
    pub(crate) secrets: Option<SecretsView<'a>>,
    pub(crate) canonical: Option<&'a str>,
    pub(crate) signature: Option<&'a str>,
}

/// Credentials and the recipe's prepared secret, for `{credential.X}` and `{secret}`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SecretsView<'a> {
    pub(crate) credentials: &'a Credentials,
    pub(crate) secret: Option<&'a [u8]>,
    pub(crate) secret_placeholder: &'a str,
}

impl<'a> RequestView<'a> {
    /// The bytes `var` stands for, `None` when absent.
    pub(crate) fn lookup(&self, var: &Var, shown: SecretsShown) -> Option<Cow<'a, [u8]>> {
        let text = |s: &'a str| Some(Cow::Borrowed(s.as_bytes()));
        match var {
            Var::Method => text(self.method),
            Var::Path => text(self.path),
            Var::Query => text(self.query),
            Var::Target if self.query.is_empty() => text(self.path),
            Var::Target => Some(Cow::Owned(
                format!("{}?{}", self.path, self.query).into_bytes(),
            )),
            Var::Host => text(self.host),
            Var::Url => text(self.url),
            Var::PathParam(name) => self
                .path_params
                .iter()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| text(v)),
            Var::QueryParam(name) => crate::wire::form_decode(self.query)?
                .into_iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| Cow::Owned(v.into_bytes())),
            Var::Header(name) => self.header(name).and_then(text),
            Var::Field(path) => match tree_field_text(self.fields?, path)? {
                Cow::Borrowed(t) => Some(Cow::Borrowed(t.as_bytes())),
                Cow::Owned(t) => Some(Cow::Owned(t.into_bytes())),
            },
            Var::RawBody => Some(Cow::Borrowed(self.body)),
            Var::BodyDigest(alg, enc) => {
                Some(Cow::Owned(body_digest(self.body, *alg, *enc).into_bytes()))
            }
            Var::Canonical => self.canonical.and_then(text),
            Var::Credential(name) => self.credential(name, shown),
            Var::Secret => {
                let s = self.secrets?;
                match shown {
                    SecretsShown::Value => s.secret.map(Cow::Borrowed),
                    SecretsShown::Masked => text(s.secret_placeholder),
                }
            }
            Var::Timestamp => self.timestamp.and_then(text),
            Var::Nonce => self.nonce.and_then(text),
            Var::Signature => self.signature.and_then(text),
        }
    }

    /// A credential's value; masked as `<name>` unless it was marked public.
    fn credential(&self, name: &str, shown: SecretsShown) -> Option<Cow<'a, [u8]>> {
        let creds = self.secrets?.credentials;
        let value = creds.get(name)?;
        Some(match shown {
            SecretsShown::Masked if !creds.is_public(name) => {
                Cow::Owned(format!("<{name}>").into_bytes())
            }
            _ => Cow::Borrowed(value.expose().as_bytes()),
        })
    }

    /// The first header with this (lower-case) name.
    pub(crate) fn header(&self, lower_name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(lower_name))
            .map(|(_, v)| v.as_str())
    }
}

/// Text of the body field at a dotted path: strings raw, numbers as written, bools, containers
/// as compact JSON; `None` when missing or null.
pub fn field_text(fields: &Map<String, Value>, path: &str) -> Option<String> {
    if let Some(v) = fields.get(path) {
        return crate::json_path::text_of(v);
    }
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, r),
        None => (path, ""),
    };
    let value = fields.get(head)?;
    crate::json_path::text_at(value, rest)
}

/// [`field_text`] over a request tree (strings and number texts borrowed).
pub(crate) fn tree_field_text<'a>(fields: &'a WireObject<'a>, path: &str) -> Option<Cow<'a, str>> {
    if let Some(v) = fields.get(path) {
        return v.as_text();
    }
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, r),
        None => (path, ""),
    };
    fields.get(head)?.at(rest)?.as_text()
}

fn body_digest(body: &[u8], alg: BodyHash, enc: BodyHashText) -> String {
    let bytes = match alg {
        BodyHash::Md5 => Md5::digest(body).to_vec(),
        BodyHash::Sha1 => Sha1::digest(body).to_vec(),
        BodyHash::Sha256 => Sha256::digest(body).to_vec(),
        BodyHash::Sha512 => Sha512::digest(body).to_vec(),
    };
    match enc {
        BodyHashText::Hex => hex::encode(bytes),
        BodyHashText::HexUpper => hex::encode_upper(bytes),
        BodyHashText::Base64 => base64::engine::general_purpose::STANDARD.encode(bytes),
    }
}

/// Removes and returns the value at a dotted path (`additionalData.hmacSignature`); an exact
/// top-level key wins over a path.
pub fn take_field(fields: &mut Map<String, Value>, path: &str) -> Option<Value> {
    if let Some(v) = fields.shift_remove(path) {
        return Some(v);
    }
    let (head, rest) = path.split_once('.')?;
    match fields.get_mut(head)? {
        Value::Object(inner) => take_field(inner, rest),
        _ => None,
    }
}

/// Sets the value at a dotted path, creating objects on the way (a top-level name without a
/// dot, or one that exists as a key, is set directly).
pub fn put_field(fields: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        Some((head, rest)) if !fields.contains_key(path) => {
            let slot = fields
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Value::Object(inner) = slot {
                put_field(inner, rest, value);
            }
        }
        _ => {
            fields.insert(path.to_string(), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_fields_are_taken_and_put() {
        let mut m = json!({"a": {"sig": "x", "k": 1}, "b.c": 2})
            .as_object()
            .cloned()
            .unwrap_or_default();
        assert_eq!(take_field(&mut m, "a.sig"), Some(json!("x")));
        assert_eq!(take_field(&mut m, "b.c"), Some(json!(2)));
        assert_eq!(take_field(&mut m, "a.none"), None);
        put_field(&mut m, "a.sig", json!("y"));
        put_field(&mut m, "z.q", json!(3));
        assert_eq!(
            Value::Object(m),
            json!({"a": {"k": 1, "sig": "y"}, "z": {"q": 3}})
        );
    }
}
