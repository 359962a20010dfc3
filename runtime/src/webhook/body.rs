//! A received notification's body between verification and typed decoding, parsed once:
//! [`WebhookBody`] holds the fields the generated event conditions and de-duplication key read
//! and decodes the chosen event straight from the body's bytes, with no JSON tree of the whole
//! notification in between.
//!
//! Fast path (a JSON body): the body is scanned once for the top-level keys a client names (the
//! *probe*: every other value is skipped without being built), and the event is decoded from
//! the bytes by its own `Deserialize`. The result is the same as building the whole tree and
//! decoding from it, which is what every other case does: a form body, a body the signature
//! reads field by field, a body the skipping scan could accept where the full parse refuses it
//! (`\u` escapes, whose surrogates a skipped string does not check, and nesting deeper than
//! the parser's limit of 128, which a skip does not count) and any error, so errors read exactly
//! as the whole parse reports them.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::{parse_webhook_body, WebhookEncoding, WEBHOOK};
use crate::decode::decode_value;
use crate::error::Error;

/// The deepest nesting `serde_json` parses into a tree (its recursion limit).
const MAX_DEPTH: usize = 128;

/// A notification body ready for typed decoding (see the module docs): the fields its event
/// conditions and de-duplication key read, and the bytes to decode the chosen event from.
#[derive(Debug)]
pub struct WebhookBody<'a> {
    /// The whole body's fields, or only the probed top-level fields (always an object).
    fields: Value,
    /// `fields` holds the whole body.
    whole: bool,
    body: &'a [u8],
    encoding: WebhookEncoding,
}

impl<'a> WebhookBody<'a> {
    /// Parses `body`; `probe` lists the paths (`a.b`, `items[0].id`) the caller will read
    /// through [`WebhookBody::value`] and [`WebhookBody::dedup_key`]: the top-level fields they
    /// start from are kept, nothing else is built (a JSON body; a form is parsed whole).
    pub fn parse(
        body: &'a [u8],
        encoding: WebhookEncoding,
        probe: &[&str],
    ) -> Result<WebhookBody<'a>, Error> {
        if let Some(fields) = probe_fields(body, encoding, probe) {
            return Ok(WebhookBody {
                fields: Value::Object(fields),
                whole: false,
                body,
                encoding,
            });
        }
        parse_webhook_body(body, encoding).map(|fields| WebhookBody::whole(fields, body, encoding))
    }

    /// A body already parsed whole (its verification read the fields).
    pub(crate) fn whole(
        fields: Map<String, Value>,
        body: &'a [u8],
        encoding: WebhookEncoding,
    ) -> WebhookBody<'a> {
        WebhookBody {
            fields: Value::Object(fields),
            whole: true,
            body,
            encoding,
        }
    }

    /// Fields parsed elsewhere (verified notification fields handed over by the caller).
    pub fn from_fields(fields: Map<String, Value>) -> WebhookBody<'static> {
        WebhookBody::whole(fields, b"", WebhookEncoding::Json)
    }

    /// The fields as a JSON object, for conditions over paths: every probed path reads as it
    /// would in the whole body.
    pub fn value(&self) -> &Value {
        &self.fields
    }

    /// The de-duplication key at `paths` (see [`super::dedup_key`]); the paths must be probed.
    pub fn dedup_key(&self, paths: &[&str]) -> Option<String> {
        match &self.fields {
            Value::Object(fields) => super::dedup_key(fields, paths),
            _ => None,
        }
    }

    /// Decodes the notification as `T`: from the bytes on the fast path, else from the whole
    /// tree; an error is [`Error::Undecodable`] exactly as decoding the whole tree reports it.
    pub fn decode<T: DeserializeOwned>(self) -> Result<T, Error> {
        if self.whole {
            return decode_value(WEBHOOK, &self.fields);
        }
        match serde_json::from_slice(self.body) {
            Ok(event) => Ok(event),
            // a duplicate key the tree keeps the last of, a type error: the whole path says
            Err(_) => decode_value(WEBHOOK, &Value::Object(self.into_fields()?)),
        }
    }

    /// The whole body's fields (parsed now when only probed fields were kept).
    pub fn into_fields(self) -> Result<Map<String, Value>, Error> {
        match self.fields {
            Value::Object(fields) if self.whole => Ok(fields),
            _ => parse_webhook_body(self.body, self.encoding),
        }
    }
}

/// The probed top-level fields of a JSON body, when the fast path applies (module docs).
fn probe_fields(
    body: &[u8],
    encoding: WebhookEncoding,
    probe: &[&str],
) -> Option<Map<String, Value>> {
    if encoding != WebhookEncoding::Json {
        return None;
    }
    let text = std::str::from_utf8(body).ok()?;
    let unchecked_escape = memchr::memmem::find(body, b"\\u").is_some();
    let may_nest_deep = memchr::memchr2_iter(b'{', b'[', body).count() > MAX_DEPTH;
    if unchecked_escape || may_nest_deep {
        return None;
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let fields = Probe { paths: probe }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(fields)
}

/// Whether the top-level `key` is where one of `paths` starts (`key`, `key.rest`,
/// `key[0]...`; a key with dots in it is read whole too).
fn probed(key: &str, paths: &[&str]) -> bool {
    paths.iter().any(|path| match path.strip_prefix(key) {
        // byte comparisons only: this runs for every top-level key of every notification
        Some(rest) => matches!(rest.as_bytes().first(), None | Some(b'.' | b'[')),
        None => false,
    })
}

/// Visits the top-level object, keeping the probed fields (last one wins, as in the tree) and
/// skipping the others without building them.
struct Probe<'p> {
    paths: &'p [&'p str],
}

impl<'de> DeserializeSeed<'de> for Probe<'_> {
    type Value = Map<String, Value>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Probe<'_> {
    type Value = Map<String, Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = Map::new();
        while let Some(key) = map.next_key_seed(Key)? {
            if probed(&key, self.paths) {
                let value: Value = map.next_value()?;
                fields.insert(key.into_owned(), value);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(fields)
    }
}

/// An object key, borrowed from the body when it has no escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROBE: &[&str] = &["kind", "data.id", "items[1].x"];

    fn fast(body: &str) -> bool {
        probe_fields(body.as_bytes(), WebhookEncoding::Json, PROBE).is_some()
    }

    #[test]
    fn only_the_probed_top_level_fields_are_kept() {
        let body = r#"{"kind":"a","data":{"id":7,"n":[1,2]},"items":[{},{"x":1}],"skip":{"deep":[1,{"y":2}]},"kind2":"b"}"#;
        let got = WebhookBody::parse(body.as_bytes(), WebhookEncoding::Json, PROBE).expect("ok");
        assert!(!got.whole);
        let keys: Vec<&str> = got
            .value()
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["kind", "data", "items"]);
        let whole: Value = serde_json::from_str(body).expect("json");
        for path in PROBE {
            assert_eq!(
                crate::json_path::at(got.value(), path),
                crate::json_path::at(&whole, path),
                "{path}"
            );
        }
    }

    #[test]
    fn a_repeated_probed_key_keeps_the_last_value_in_the_first_place() {
        let body = r#"{"kind":"a","other":1,"kind":"b"}"#;
        let got = WebhookBody::parse(body.as_bytes(), WebhookEncoding::Json, PROBE).expect("ok");
        let whole: Value = serde_json::from_str(body).expect("json");
        assert_eq!(got.value(), &serde_json::json!({"kind": "b"}));
        assert_eq!(whole["kind"], "b");
    }

    #[test]
    fn bodies_a_skip_would_accept_but_the_parser_refuses_take_the_whole_path() {
        // a lone surrogate in a skipped field: the full parse refuses it
        let lone = r#"{"kind":"a","skip":"\ud800"}"#;
        assert!(!fast(lone));
        let err = WebhookBody::parse(lone.as_bytes(), WebhookEncoding::Json, PROBE);
        assert!(matches!(err, Err(Error::Undecodable { .. })), "{err:?}");
        // nesting past the parser's limit in a skipped field
        let deep = format!(
            r#"{{"kind":"a","skip":{}1{}}}"#,
            "[".repeat(200),
            "]".repeat(200)
        );
        assert!(!fast(&deep));
        let err = WebhookBody::parse(deep.as_bytes(), WebhookEncoding::Json, PROBE);
        assert!(matches!(err, Err(Error::Undecodable { .. })), "{err:?}");
        // invalid UTF-8 in a skipped string
        let mut bad = br#"{"kind":"a","skip":""#.to_vec();
        bad.extend([0xff, b'"', b'}']);
        assert!(probe_fields(&bad, WebhookEncoding::Json, PROBE).is_none());
        assert!(WebhookBody::parse(&bad, WebhookEncoding::Json, PROBE).is_err());
        // not an object, trailing text
        for body in ["[1]", r#"{"kind":"a"} x"#, ""] {
            assert!(!fast(body), "{body}");
            assert!(WebhookBody::parse(body.as_bytes(), WebhookEncoding::Json, PROBE).is_err());
        }
    }

    #[test]
    fn decoding_falls_back_to_the_whole_tree_with_its_error() {
        #[derive(Debug, serde::Deserialize, PartialEq)]
        struct Event {
            kind: String,
        }
        // a repeated known field: the bytes refuse it, the tree keeps the last value
        let body = r#"{"kind":"a","kind":"b"}"#;
        let got = WebhookBody::parse(body.as_bytes(), WebhookEncoding::Json, PROBE).expect("ok");
        assert_eq!(
            got.decode::<Event>().expect("decodes"),
            Event { kind: "b".into() }
        );
        // a type error reads as the tree's
        let body = r#"{"kind":1}"#;
        let fast = WebhookBody::parse(body.as_bytes(), WebhookEncoding::Json, PROBE).expect("ok");
        let tree: Value = serde_json::from_str(body).expect("json");
        let whole = decode_value::<Event>(WEBHOOK, &tree).expect_err("a number");
        assert_eq!(
            fast.decode::<Event>().expect_err("a number").to_string(),
            whole.to_string()
        );
    }

    #[test]
    fn a_key_is_probed_where_a_path_starts_from_it() {
        let paths = ["a.b", "c[0].d", "e", "f.g.h", "x.y"];
        for key in ["a", "c", "e", "f", "x.y", "a.b", "f.g"] {
            assert!(probed(key, &paths), "{key}");
        }
        for key in ["", "b", "ab", "a.", "c[", "d", "ee", "x.yz"] {
            assert!(!probed(key, &paths), "{key}");
        }
    }

    #[test]
    fn escaped_keys_are_read() {
        let body = r#"{"ki\nd":1,"kind":"a"}"#;
        let got =
            WebhookBody::parse(body.as_bytes(), WebhookEncoding::Json, &["ki\nd"]).expect("ok");
        assert_eq!(got.value(), &serde_json::json!({"ki\nd": 1}));
    }
}
