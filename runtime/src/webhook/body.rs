//! A received notification's body between verification and typed decoding, parsed once:
//! [`WebhookBody`] holds the fields the generated event conditions and de-duplication key read
//! and decodes the chosen event straight from the body's bytes, with no JSON tree of the whole
//! notification in between.
//!
//! Fast path (a JSON body): the body is scanned once into its top-level keys and their values'
//! text ([`super::entries`]); the values of the keys a client names (the *probe*,
//! [`super::probe`]: strings borrowed) are parsed for the conditions, and the event is decoded
//! from the scanned fields by its own `Deserialize` (the body checked as UTF-8 once). The result is the same as building the whole tree and
//! decoding from it, which is what every other case does: a form body, a body the signature
//! reads field by field, a body the skipping scan could accept where the full parse refuses it
//! (`\u` escapes, whose surrogates a skipped string does not check, and nesting deeper than
//! the parser's limit of 128, which a skip does not count) and any error, so errors read exactly
//! as the whole parse reports them.

use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::entries::{self, Entry};
use super::probe::{self, ProbedFields};
use super::{parse_webhook_body, WebhookEncoding, WEBHOOK};
use crate::decode::decode_value;
use crate::error::Error;
use crate::json_path;

/// The deepest nesting `serde_json` parses into a tree (its recursion limit).
const MAX_DEPTH: usize = 128;

/// A notification body ready for typed decoding (see the module docs): the fields its event
/// conditions and de-duplication key read, and the bytes to decode the chosen event from.
pub struct WebhookBody<'a> {
    fields: Fields<'a>,
    body: &'a [u8],
    encoding: WebhookEncoding,
}

/// What the conditions read.
enum Fields<'a> {
    /// The probed top-level fields of `text`, the body checked as UTF-8.
    Probed {
        fields: ProbedFields<'a>,
        text: &'a str,
        entries: Vec<Entry<'a>>,
    },
    /// The whole body's fields (always an object).
    Whole(Value),
}

impl fmt::Debug for WebhookBody<'_> {
    // field values and the body may hold card data: only the probed keys and the length
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("WebhookBody");
        match &self.fields {
            Fields::Probed { fields, .. } => d.field("probed", fields),
            Fields::Whole(_) => d.field("whole", &true),
        };
        d.field("body_len", &self.body.len())
            .field("encoding", &self.encoding)
            .finish()
    }
}

impl<'a> WebhookBody<'a> {
    /// Parses `body`; `probe` lists the paths (`a.b`, `items[0].id`) the caller will read
    /// through the condition checks ([`WebhookBody::has`], [`WebhookBody::equals_str`], ...)
    /// and [`WebhookBody::dedup_key`]: the top-level fields they start from are kept, nothing
    /// else is built (a JSON body; a form is parsed whole).
    pub fn parse(
        body: &'a [u8],
        encoding: WebhookEncoding,
        probe: &[&str],
    ) -> Result<WebhookBody<'a>, Error> {
        if let Some((fields, text, entries)) = probe_fields(body, encoding, probe) {
            return Ok(WebhookBody {
                fields: Fields::Probed {
                    fields,
                    text,
                    entries,
                },
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
            fields: Fields::Whole(Value::Object(fields)),
            body,
            encoding,
        }
    }

    /// Fields parsed elsewhere (verified notification fields handed over by the caller).
    pub fn from_fields(fields: Map<String, Value>) -> WebhookBody<'static> {
        WebhookBody::whole(fields, b"", WebhookEncoding::Json)
    }

    /// Whether the value at `path` is present and not null (`json_path::has` over the body).
    pub fn has(&self, path: &str) -> bool {
        match &self.fields {
            Fields::Probed { fields, .. } => fields.has(path),
            Fields::Whole(v) => json_path::has(v, path),
        }
    }

    /// Whether the value at `path` is the string `expected` (or a number or bool written so).
    pub fn equals_str(&self, path: &str, expected: &str) -> bool {
        match &self.fields {
            Fields::Probed { fields, .. } => fields.equals_str(path, expected),
            Fields::Whole(v) => json_path::equals_str(v, path, expected),
        }
    }

    /// Whether the value at `path` is the integer `expected` (or a numeric string).
    pub fn equals_i64(&self, path: &str, expected: i64) -> bool {
        match &self.fields {
            Fields::Probed { fields, .. } => fields.equals_i64(path, expected),
            Fields::Whole(v) => json_path::equals_i64(v, path, expected),
        }
    }

    /// Whether the value at `path` is the bool `expected` (or `"true"`/`"false"`).
    pub fn equals_bool(&self, path: &str, expected: bool) -> bool {
        match &self.fields {
            Fields::Probed { fields, .. } => fields.equals_bool(path, expected),
            Fields::Whole(v) => json_path::equals_bool(v, path, expected),
        }
    }

    /// The text at `path` (`json_path::text_at` over the body).
    pub fn text_at(&self, path: &str) -> Option<String> {
        match &self.fields {
            Fields::Probed { fields, .. } => fields.text_at(path),
            Fields::Whole(v) => json_path::text_at(v, path),
        }
    }

    /// The value at `path` as compact JSON (conditions comparing an object or array).
    pub fn json_at(&self, path: &str) -> Option<String> {
        match &self.fields {
            Fields::Probed { fields, .. } => fields.json_at(path),
            Fields::Whole(v) => json_path::at(v, path).map(Value::to_string),
        }
    }

    /// The de-duplication key at `paths` (see [`super::dedup_key`]); the paths must be probed.
    pub fn dedup_key(&self, paths: &[&str]) -> Option<String> {
        match &self.fields {
            Fields::Whole(Value::Object(fields)) => super::dedup_key(fields, paths),
            Fields::Whole(_) => None,
            Fields::Probed { fields, .. } => {
                super::join_dedup_key(paths, |path| fields.field_text(path))
            }
        }
    }

    /// Decodes the notification as `T`: from the text on the fast path (checked as UTF-8 once,
    /// by the probe), else from the whole tree; an error is [`Error::Undecodable`] exactly as
    /// decoding the whole tree reports it.
    pub fn decode<T: DeserializeOwned>(self) -> Result<T, Error> {
        let (text, entries) = match &self.fields {
            Fields::Whole(v) => return decode_value(WEBHOOK, v),
            Fields::Probed { text, entries, .. } => (*text, entries),
        };
        if let Ok(event) = entries::decode(entries) {
            return Ok(event);
        }
        // a type not read from an object as serde_json reads one: the text whole
        match serde_json::from_str(text) {
            Ok(event) => Ok(event),
            // a duplicate key the tree keeps the last of, a type error: the whole path says
            Err(_) => decode_value(WEBHOOK, &Value::Object(self.into_fields()?)),
        }
    }

    /// The whole body's fields (parsed now when only probed fields were kept).
    pub fn into_fields(self) -> Result<Map<String, Value>, Error> {
        match self.fields {
            Fields::Whole(Value::Object(fields)) => Ok(fields),
            _ => parse_webhook_body(self.body, self.encoding),
        }
    }
}

/// The probed top-level fields of a JSON body, its text and its top-level fields as text, when
/// the fast path applies (module docs).
fn probe_fields<'a>(
    body: &'a [u8],
    encoding: WebhookEncoding,
    probe: &[&str],
) -> Option<(ProbedFields<'a>, &'a str, Vec<Entry<'a>>)> {
    if encoding != WebhookEncoding::Json || !probe::usable(probe) || !skips_like_parse(body) {
        return None;
    }
    let text = std::str::from_utf8(body).ok()?;
    let mut de = serde_json::Deserializer::from_str(text);
    let entries = entries::scan(&mut de).ok()?;
    de.end().ok()?;
    let fields = ProbedFields::from_entries(&entries, probe).ok()?;
    Some((fields, text, entries))
}

/// Whether skipping a value accepts only what the whole parse accepts: no `\u` escape (a
/// skipped string's surrogates are not checked) and fewer than the parser's depth limit of
/// opening brackets (a skip does not count them). One pass over the body.
fn skips_like_parse(body: &[u8]) -> bool {
    let mut opening = 0usize;
    for i in memchr::memchr3_iter(b'\\', b'{', b'[', body) {
        if body[i] == b'\\' {
            if body.get(i + 1) == Some(&b'u') {
                return false;
            }
        } else {
            opening += 1;
            if opening > MAX_DEPTH {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROBE: &[&str] = &["kind", "data.id", "items[1].x"];

    fn fast(body: &str) -> bool {
        probe_fields(body.as_bytes(), WebhookEncoding::Json, PROBE).is_some()
    }

    fn parse(body: &str, probe: &[&str]) -> WebhookBody<'static> {
        let body: &'static str = Box::leak(body.to_string().into_boxed_str());
        WebhookBody::parse(body.as_bytes(), WebhookEncoding::Json, probe).expect("parses")
    }

    /// Every check over the probed fields reads as the same check over the whole tree.
    fn reads_as_whole(body: &str, paths: &[&str]) {
        let got = parse(body, paths);
        assert!(matches!(got.fields, Fields::Probed { .. }), "{body}");
        let whole = WebhookBody::from_fields(match serde_json::from_str(body) {
            Ok(Value::Object(m)) => m,
            other => panic!("{body}: {other:?}"),
        });
        for path in paths {
            let case = format!("{body} at {path}");
            assert_eq!(got.has(path), whole.has(path), "has {case}");
            assert_eq!(got.text_at(path), whole.text_at(path), "text {case}");
            assert_eq!(got.json_at(path), whole.json_at(path), "json {case}");
            assert_eq!(got.dedup_key(&[path]), whole.dedup_key(&[path]), "{case}");
            for text in ["a", "1", "4.0", "true", "false", "", " 7 "] {
                let eq = (got.equals_str(path, text), whole.equals_str(path, text));
                assert_eq!(eq.0, eq.1, "equals_str {text} {case}");
            }
            for n in [0, 1, 4, 7, -3] {
                assert_eq!(
                    got.equals_i64(path, n),
                    whole.equals_i64(path, n),
                    "{n} {case}"
                );
            }
            for b in [true, false] {
                assert_eq!(
                    got.equals_bool(path, b),
                    whole.equals_bool(path, b),
                    "{b} {case}"
                );
            }
        }
    }

    #[test]
    fn probed_checks_read_as_the_whole_parse() {
        let paths = [
            "kind",
            "n",
            "f",
            "big",
            "t",
            "nil",
            "s",
            "esc",
            "data.id",
            "data.n.0",
            "items[1].x",
            "items.1.x",
            "items[7]",
            "s.x",
            "s.",
            "kind.",
            "data",
            "items",
            "missing",
            "missing.x",
            "a.b",
            "num",
        ];
        let bodies = [
            r#"{"kind":"a","n":1,"f":4.0,"big":1e400,"t":true,"nil":null,"s":" 7 ","esc":"tr\"ue","data":{"id":7,"n":[1,2]},"items":[{},{"x":1}],"a.b":"dotted","a":{"b":"nested"},"num":"4"}"#,
            r#"{"kind":1,"n":"1","f":"true","big":-0.0,"t":"false","nil":"","s":[1],"esc":{"k":"v"},"data":"x","items":"y","num":-3}"#,
            r#"{"kind":"a","kind":"true","n":4,"n":7,"other":{"deep":[1,{"y":2}]},"data":null}"#,
            // every number form, strings with escapes (other than `\u`)
            r#"{"kind":-0,"n":1E5,"f":1.50,"big":18446744073709551616,"t":-9223372036854775809,"nil":-0.0,"s":0,"esc":"a\\b\"c","data":{"id":1e2,"n":[-1]},"items":[1.0,{"x":4e0}],"num":-3.0e-2,"a.b":"4"}"#,
            r#"{"kind":"4","n":"-0","f":"1.50","t":"true","s":" 4","num":4,"data":"7","items":7}"#,
            r#"{}"#,
        ];
        for body in bodies {
            reads_as_whole(body, &paths);
        }
    }

    #[test]
    fn only_the_probed_top_level_fields_are_kept() {
        let body = r#"{"kind":"a","data":{"id":7,"n":[1,2]},"items":[{},{"x":1}],"skip":{"deep":[1,{"y":2}]},"kind2":"b"}"#;
        let got = parse(body, PROBE);
        assert_eq!(format!("{got:?}").matches("\"skip\"").count(), 0);
        assert_eq!(
            format!("{got:?}"),
            format!("{:?}", parse(body, &["kind", "data", "items"]))
        );
        reads_as_whole(body, PROBE);
    }

    #[test]
    fn debug_output_shows_keys_and_no_values() {
        let got = parse(r#"{"kind":"4242424242424242"}"#, PROBE);
        let shown = format!("{got:?}");
        assert!(shown.contains("kind") && !shown.contains("4242"), "{shown}");
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
        // a path that does not start from a key reads the whole body
        assert!(probe_fields(b"{}", WebhookEncoding::Json, &[".kind"]).is_none());
        assert!(probe_fields(b"{}", WebhookEncoding::Json, &["[0]"]).is_none());
    }

    #[test]
    fn the_escape_and_depth_scan_flags_what_the_skip_does_not_check() {
        assert!(skips_like_parse(br#"{"a":"\n\"\\","b":[{}]}"#));
        assert!(!skips_like_parse(br#"{"a":"\u0041"}"#));
        // an escaped backslash before a `u` is flagged too (the whole parse then reads it)
        assert!(!skips_like_parse(br#"{"a":"\\u"}"#));
        let at_limit = "[".repeat(MAX_DEPTH);
        assert!(skips_like_parse(at_limit.as_bytes()));
        assert!(!skips_like_parse(format!("{at_limit}{{").as_bytes()));
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
            assert!(probe::probed(key, &paths), "{key}");
        }
        for key in ["", "b", "ab", "a.", "c[", "d", "ee", "x.yz"] {
            assert!(!probe::probed(key, &paths), "{key}");
        }
    }

    #[test]
    fn escaped_keys_and_values_are_read() {
        let body = r#"{"ki\nd":1,"kind":"a\tb"}"#;
        reads_as_whole(body, &["ki\nd", "kind"]);
        let got = parse(body, &["ki\nd", "kind"]);
        assert!(got.equals_i64("ki\nd", 1) && got.equals_str("kind", "a\tb"));
    }
}
