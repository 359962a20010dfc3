//! Dotted paths over JSON values (`data.status`, `errors.0.code`, `items[2].id`): lookups and
//! comparisons used to pick response variants and recognise error envelopes, over a
//! `serde_json::Value` or an answer's parsed body ([`AnswerJson`]) alike ([`JsonLookup`]).

use std::borrow::Cow;
use std::fmt;

use serde_json::{Map, Value};

pub use crate::wire_parse::View;
use crate::wire_parse::{view_of, AnswerJson, AnswerNode};

/// What the path functions read: a `serde_json::Value` or an answer's parsed body.
pub trait JsonLookup {
    /// What [`at`] finds: shown as compact JSON.
    type At<'a>: fmt::Display
    where
        Self: 'a;
    /// The value at `path` (see [`at`]).
    fn lookup<'a>(&'a self, path: &str) -> Option<Self::At<'a>>;
    /// What `path` finds, as the comparisons read it.
    fn view_at(&self, path: &str) -> Option<View<'_>>;
}

impl JsonLookup for Value {
    type At<'a> = &'a Value;
    fn lookup<'a>(&'a self, path: &str) -> Option<&'a Value> {
        walk(self, path)
    }
    fn view_at(&self, path: &str) -> Option<View<'_>> {
        walk(self, path).map(view_of)
    }
}

impl JsonLookup for AnswerJson {
    type At<'a> = AnswerNode<'a>;
    fn lookup<'a>(&'a self, path: &str) -> Option<AnswerNode<'a>> {
        match self.tree() {
            Some(v) => walk(v, path).map(AnswerNode::Value),
            None => self.tape_json_at(path),
        }
    }
    fn view_at(&self, path: &str) -> Option<View<'_>> {
        match self.tree() {
            Some(v) => v.view_at(path),
            None => self.tape_view_at(path),
        }
    }
}

/// `name[1][2]` -> (`name`, `[1][2]`).
fn split_brackets(segment: &str) -> (&str, &str) {
    match segment.find('[') {
        Some(i) => (&segment[..i], &segment[i..]),
        None => (segment, ""),
    }
}

/// A key step: an object's field, or an array's element by a numeric key.
fn key_step<'a>(cur: &'a Value, key: &str) -> Option<&'a Value> {
    match cur {
        Value::Object(m) => m.get(key),
        Value::Array(a) => a.get(key.parse::<usize>().ok()?),
        _ => None,
    }
}

/// `[i][j]` steps; `None` when a bracket is malformed or an index is missing.
fn index_steps<'a>(mut cur: &'a Value, mut brackets: &str) -> Option<&'a Value> {
    while let Some(rest) = brackets.strip_prefix('[') {
        let close = rest.find(']')?;
        let i: usize = rest[..close].parse().ok()?;
        cur = match cur {
            Value::Array(a) => a.get(i)?,
            _ => return None,
        };
        brackets = &rest[close + 1..];
    }
    brackets.is_empty().then_some(cur)
}

/// Walks `a.b[0].c` / `a.b.0.c` from `cur`, step by step, allocating nothing.
fn walk<'a>(mut cur: &'a Value, path: &str) -> Option<&'a Value> {
    if path.is_empty() {
        return Some(cur);
    }
    for segment in path.split('.') {
        let (name, brackets) = split_brackets(segment);
        if !name.is_empty() {
            cur = key_step(cur, name)?;
        }
        cur = index_steps(cur, brackets)?;
    }
    Some(cur)
}

/// The value at `path` (empty path: `v` itself). A numeric segment indexes an array, or is a key
/// of an object. Allocates nothing.
pub fn at<'a, V: JsonLookup + ?Sized>(v: &'a V, path: &str) -> Option<V::At<'a>> {
    v.lookup(path)
}

/// [`at`] from an object's fields (a request body held as a map, no copy made); `None` for the
/// empty path.
pub fn at_field<'a>(fields: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let (first, rest) = path.split_once('.').unwrap_or((path, ""));
    let (name, brackets) = split_brackets(first);
    let cur = index_steps(fields.get(name)?, brackets)?;
    walk(cur, rest)
}

/// The top-level key `path` starts from (`items` of `items[0].id`, `a` of `a.b`; empty when the
/// path starts with `.` or `[`): [`at_field`] reads `fields[first_key(path)]` and then
/// [`after_first_key`] from it.
pub(crate) fn first_key(path: &str) -> &str {
    // the first segment's name: everything before the first `.` or `[` (a byte loop: this
    // runs for every webhook condition, and a char-set `find` costs several times as much)
    let end = path.bytes().position(|b| matches!(b, b'.' | b'['));
    &path[..end.unwrap_or(path.len())]
}

/// The rest of `path` after its first key, read from that key's value `v` (see [`first_key`]).
pub(crate) fn after_first_key<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    let (first, rest) = path.split_once('.').unwrap_or((path, ""));
    walk(index_steps(v, split_brackets(first).1)?, rest)
}

/// Present and not null.
pub fn has<V: JsonLookup + ?Sized>(v: &V, path: &str) -> bool {
    v.view_at(path).is_some_and(|x| x != View::Null)
}

/// A string equal to `expected` (a number or bool whose text equals it also matches).
pub fn equals_str<V: JsonLookup + ?Sized>(v: &V, path: &str, expected: &str) -> bool {
    match v.view_at(path) {
        Some(View::Str(s)) => s == expected,
        Some(View::Number(n)) => n == expected,
        Some(View::Bool(b)) => bool_text(b) == expected,
        _ => false,
    }
}

/// A number or numeric string equal to `expected`.
pub fn equals_i64<V: JsonLookup + ?Sized>(v: &V, path: &str, expected: i64) -> bool {
    match v.view_at(path) {
        // a number's exact text, read as serde_json's `as_i64` reads it
        Some(View::Number(n)) => n.parse::<i64>().ok() == Some(expected),
        Some(View::Str(s)) => s.trim().parse::<i64>().ok() == Some(expected),
        _ => false,
    }
}

/// A bool equal to `expected` (also the strings `"true"` / `"false"`).
pub fn equals_bool<V: JsonLookup + ?Sized>(v: &V, path: &str, expected: bool) -> bool {
    match v.view_at(path) {
        Some(View::Bool(b)) => b == expected,
        Some(View::Str(s)) => s == bool_text(expected),
        _ => false,
    }
}

fn bool_text(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// Text of the value at `path`: strings as is, numbers as written, bools `true`/`false`,
/// objects and arrays as compact JSON; `None` for missing or null.
pub fn text_at<V: JsonLookup + ?Sized>(v: &V, path: &str) -> Option<String> {
    match v.view_at(path)? {
        View::Null => None,
        View::Str(s) => Some(s.into_owned()),
        View::Number(n) => Some(n.to_string()),
        View::Bool(b) => Some(bool_text(b).to_string()),
        View::Container => v.lookup(path).map(|x| x.to_string()),
    }
}

/// Text of one value; see [`text_at`].
pub fn text_of(v: &Value) -> Option<String> {
    text_ref(v).map(Cow::into_owned)
}

/// [`text_of`] borrowed where it can be: strings and numbers (their text as written) are not
/// copied, bools are static; only objects and arrays are written out.
pub fn text_ref(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Number(n) => Some(Cow::Borrowed(n.as_str())),
        Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        Value::Array(_) | Value::Object(_) => serde_json::to_string(v).ok().map(Cow::Owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Value {
        match serde_json::from_str(
            r#"{"status":1,"code":"E12","ok":true,"amt":40.10,"n":"200","nil":null,
                "data":{"items":[{"id":"a"},{"id":7}],"0":"zero"},"errors":[{"code":"X"}]}"#,
        ) {
            Ok(v) => v,
            Err(_) => Value::Null,
        }
    }

    #[test]
    fn lookups() {
        let v = sample();
        assert_eq!(at(&v, "data.items.1.id"), Some(&json!(7)));
        assert_eq!(at(&v, "data.items[0].id"), Some(&json!("a")));
        assert_eq!(at(&v, "errors[0].code"), Some(&json!("X")));
        assert_eq!(at(&v, "data.0"), Some(&json!("zero")));
        assert_eq!(at(&v, ""), Some(&v));
        assert_eq!(at(&v, "data.items[9]"), None);
        assert_eq!(at(&v, "data.items[x]"), None);
        assert_eq!(at(&v, "code.deeper"), None);
        assert!(has(&v, "code") && !has(&v, "nil") && !has(&v, "missing"));
    }

    #[test]
    fn lookups_from_fields_match_lookups_from_the_value() {
        let v = sample();
        let Value::Object(fields) = &v else {
            unreachable!("the sample is an object")
        };
        for path in super::FIELD_PATHS {
            assert_eq!(at_field(fields, path), at(&v, path), "{path}");
        }
        assert_eq!(at_field(fields, ""), None);
    }

    #[test]
    fn the_first_key_and_the_rest_read_as_a_lookup_from_the_fields() {
        let v = sample();
        let Value::Object(fields) = &v else {
            unreachable!("the sample is an object")
        };
        for path in super::FIELD_PATHS {
            let key = first_key(path);
            let got = fields.get(key).and_then(|v| after_first_key(v, path));
            assert_eq!(got, at_field(fields, path), "{path}");
        }
        assert_eq!(first_key("a[0].b"), "a");
        assert_eq!(first_key("a.b[0]"), "a");
        assert_eq!(first_key(".a"), "");
        assert_eq!(first_key("[0]"), "");
    }

    #[test]
    fn comparisons_and_text() {
        let v = sample();
        assert!(
            equals_i64(&v, "status", 1) && equals_i64(&v, "n", 200) && !equals_i64(&v, "code", 1)
        );
        assert!(
            equals_str(&v, "code", "E12")
                && equals_str(&v, "status", "1")
                && !equals_str(&v, "nil", "")
        );
        assert!(equals_bool(&v, "ok", true) && !equals_bool(&v, "ok", false));
        assert_eq!(text_at(&v, "amt").as_deref(), Some("40.10"));
        assert_eq!(text_at(&v, "ok").as_deref(), Some("true"));
        assert_eq!(text_at(&v, "code").as_deref(), Some("E12"));
        assert_eq!(text_at(&v, "errors").as_deref(), Some(r#"[{"code":"X"}]"#));
        assert_eq!(text_at(&v, "nil"), None);
    }
}

/// Paths that find a value, find nothing, or stop short, for the lookups that start from the
/// top-level fields (the lookup tests here, of the request tree and of the answer tape).
#[cfg(test)]
pub(crate) const FIELD_PATHS: [&str; 11] = [
    "data.items.1.id",
    "data.items[0].id",
    "errors[0].code",
    "errors[0]",
    "data.0",
    "data.items[9]",
    "data.items[x]",
    "code.deeper",
    "status",
    "data.",
    "missing.x",
];

#[cfg(test)]
#[path = "wire_parse_tests.rs"]
mod tape_tests;
