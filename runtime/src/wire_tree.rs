//! A request body as a small tree that borrows from the request it encodes (issue 11, stage 2):
//! what signing reads and request preparation writes. Keys are `&'static str` (or owned where a tool builds them), strings and
//! decimal texts are borrowed, integers stay integers, objects are ordered vectors of entries
//! (no hashing, no key copies). Written as JSON byte-identical to `serde_json` writing the same
//! value, and convertible to and from a `serde_json::Value` at the edges that need one.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

use serde_json::{Map, Number, Value};

use crate::json_write;

/// One value of a request body. Its `Debug` shows the shape, never a value's text.
#[derive(Clone, PartialEq)]
pub enum WireValue<'a> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A number as its exact JSON text (`40.11`, `1e5`): a money amount, a decimal, a received
    /// number. Must be valid JSON number text.
    Number(Cow<'a, str>),
    /// A string.
    Str(Cow<'a, str>),
    /// A list.
    List(Vec<WireValue<'a>>),
    /// An object.
    Object(WireObject<'a>),
}

/// An object's entries in wire order; a key appears at most once. Its `Debug` shows the keys
/// and the shape of the values, never a value's text.
#[derive(Clone, Default, PartialEq)]
pub struct WireObject<'a> {
    entries: Vec<(Key<'a>, WireValue<'a>)>,
}

/// An object's key: a text the JSON writer checks for escapes, or one known to need none (a
/// key [`WireObject::push`]ed by generated encoding, checked there: for a literal key the
/// check is folded away when compiled).
#[derive(Clone)]
enum Key<'a> {
    /// Needs no JSON escape.
    Plain(&'a str),
    /// Any text.
    Text(Cow<'a, str>),
}

impl Key<'_> {
    #[inline]
    fn as_str(&self) -> &str {
        match self {
            Key::Plain(k) => k,
            Key::Text(k) => k,
        }
    }
}

impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

// A request tree holds card numbers, CVVs and credentials in the clear (borrowed from the
// request to be signed and sent), so Debug output, which ends up in logs and panics, shows
// only the kind and length of each scalar.
impl fmt::Debug for WireValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireValue::Null => f.write_str("Null"),
            WireValue::Bool(_) => f.write_str("Bool(..)"),
            WireValue::Int(_) => f.write_str("Int(..)"),
            WireValue::Number(n) => write!(f, "Number(<{} chars>)", n.len()),
            WireValue::Str(s) => write!(f, "Str(<{} chars>)", s.chars().count()),
            WireValue::List(items) => f.debug_list().entries(items).finish(),
            WireValue::Object(o) => o.fmt(f),
        }
    }
}

impl fmt::Debug for WireObject<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.entries.iter().map(|(k, v)| (k.as_str(), v)))
            .finish()
    }
}

impl<'a> WireObject<'a> {
    /// An empty object with room for `n` entries and one more: a signature or a recipe's
    /// field that preparation sets on a generated body (sized for its own fields) then goes
    /// in without growing the vector.
    #[inline]
    pub fn with_capacity(n: usize) -> Self {
        WireObject {
            entries: Vec::with_capacity(n + 1),
        }
    }

    /// Sets `key` (replacing its value in place, or appending it last).
    pub fn insert(&mut self, key: impl Into<Cow<'a, str>>, value: WireValue<'a>) {
        let key = key.into();
        match self.get_mut(&key) {
            Some(slot) => *slot = value,
            None => self.entries.push((Key::Text(key), value)),
        }
    }

    /// Appends `key` last without looking for it (generated encoding: an object's wire names
    /// are unique, the spec keys its fields by them); use [`WireObject::insert`] otherwise.
    #[inline]
    pub fn push(&mut self, key: &'a str, value: WireValue<'a>) {
        debug_assert!(self.get(key).is_none(), "`{key}` pushed twice");
        let key = if json_write::needs_escape(key.as_bytes()) {
            Key::Text(Cow::Borrowed(key))
        } else {
            Key::Plain(key)
        };
        self.entries.push((key, value));
    }

    /// The value of `key`.
    #[inline]
    pub fn get(&self, key: &str) -> Option<&WireValue<'a>> {
        self.entries
            .iter()
            .find(|(k, _)| k.as_str() == key)
            .map(|(_, v)| v)
    }

    /// The value of `key`, to change it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut WireValue<'a>> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k.as_str() == key)
            .map(|(_, v)| v)
    }

    /// Removes `key`, keeping the order of the others.
    pub fn remove(&mut self, key: &str) -> Option<WireValue<'a>> {
        let i = self.entries.iter().position(|(k, _)| k.as_str() == key)?;
        Some(self.entries.remove(i).1)
    }

    /// The entries in wire order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &WireValue<'a>)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// No entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The object as compact JSON into `out`.
    pub fn write_json(&self, out: &mut impl Write) -> io::Result<()> {
        let mut buffer = Vec::with_capacity(self.json_len_hint());
        self.write_json_to(&mut buffer);
        out.write_all(&buffer)
    }

    /// The object as compact JSON appended to `out` (byte-identical to `serde_json`; strings
    /// that need no escape copied in one piece).
    pub fn write_json_to(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        for (i, (key, value)) in self.entries.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            match key {
                Key::Plain(key) => json_write::write_plain_key(out, key),
                Key::Text(key) => json_write::write_key(out, key),
            }
            value.write_json_to(out);
        }
        out.push(b'}');
    }

    /// About the length of the object's compact JSON: exact when no string needs an escape,
    /// a little short otherwise (a buffer sized by it then grows once).
    pub fn json_len_hint(&self) -> usize {
        2 + self
            .entries
            .iter()
            .map(|(k, v)| k.as_str().len() + 4 + v.json_len_hint())
            .sum::<usize>()
    }

    /// The object as a `serde_json` map (tools, the sandbox, recordings).
    pub fn to_json(&self) -> Map<String, Value> {
        self.entries
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_json()))
            .collect()
    }

    /// A tree borrowing every key and string of `map`.
    pub fn from_json(map: &'a Map<String, Value>) -> Self {
        WireObject {
            entries: map
                .iter()
                .map(|(k, v)| {
                    (
                        Key::Text(Cow::Borrowed(k.as_str())),
                        WireValue::from_json(v),
                    )
                })
                .collect(),
        }
    }
}

impl<'a> WireValue<'a> {
    /// A borrowed string.
    #[inline]
    pub fn text(s: &'a str) -> Self {
        WireValue::Str(Cow::Borrowed(s))
    }

    /// A borrowed number text (must be valid JSON number text).
    #[inline]
    pub fn number(text: &'a str) -> Self {
        WireValue::Number(Cow::Borrowed(text))
    }

    /// The value as compact JSON into `out`.
    pub fn write_json(&self, out: &mut impl Write) -> io::Result<()> {
        let mut buffer = Vec::with_capacity(self.json_len_hint());
        self.write_json_to(&mut buffer);
        out.write_all(&buffer)
    }

    /// The value as compact JSON appended to `out` (byte-identical to `serde_json`).
    pub fn write_json_to(&self, out: &mut Vec<u8>) {
        match self {
            WireValue::Null => out.extend_from_slice(b"null"),
            WireValue::Bool(true) => out.extend_from_slice(b"true"),
            WireValue::Bool(false) => out.extend_from_slice(b"false"),
            WireValue::Int(n) => json_write::write_int(out, *n),
            WireValue::Number(text) => out.extend_from_slice(text.as_bytes()),
            WireValue::Str(s) => json_write::write_str(out, s),
            WireValue::List(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    item.write_json_to(out);
                }
                out.push(b']');
            }
            WireValue::Object(object) => object.write_json_to(out),
        }
    }

    /// About the length of the value's compact JSON (see [`WireObject::json_len_hint`]).
    pub fn json_len_hint(&self) -> usize {
        match self {
            WireValue::Null => 4,
            WireValue::Bool(_) => 5,
            WireValue::Int(n) => {
                usize::from(*n < 0) + n.unsigned_abs().checked_ilog10().unwrap_or(0) as usize + 1
            }
            WireValue::Number(n) => n.len(),
            WireValue::Str(s) => s.len() + 2,
            WireValue::List(items) => {
                2 + items.iter().map(|v| v.json_len_hint() + 1).sum::<usize>()
            }
            WireValue::Object(object) => object.json_len_hint(),
        }
    }

    /// The value as a `serde_json` value (a number text that is not valid JSON becomes a
    /// string, so nothing is lost).
    pub fn to_json(&self) -> Value {
        match self {
            WireValue::Null => Value::Null,
            WireValue::Bool(b) => Value::Bool(*b),
            WireValue::Int(n) => Value::from(*n),
            WireValue::Number(text) => text
                .parse::<Number>()
                .map_or_else(|_| Value::String(text.to_string()), Value::Number),
            WireValue::Str(s) => Value::String(s.to_string()),
            WireValue::List(items) => Value::Array(items.iter().map(WireValue::to_json).collect()),
            WireValue::Object(object) => Value::Object(object.to_json()),
        }
    }

    /// A tree borrowing every string of `value` (numbers keep their text as written).
    pub fn from_json(value: &'a Value) -> Self {
        match value {
            Value::Null => WireValue::Null,
            Value::Bool(b) => WireValue::Bool(*b),
            Value::Number(n) => WireValue::Number(Cow::Borrowed(n.as_str())),
            Value::String(s) => WireValue::text(s),
            Value::Array(items) => {
                WireValue::List(items.iter().map(WireValue::from_json).collect())
            }
            Value::Object(map) => WireValue::Object(WireObject::from_json(map)),
        }
    }
}

impl<'a> WireObject<'a> {
    /// The object as compact JSON text.
    pub fn to_json_string(&self) -> String {
        let mut out = Vec::with_capacity(self.json_len_hint());
        self.write_json_to(&mut out);
        // every piece written is UTF-8
        String::from_utf8(out).unwrap_or_default()
    }

    /// `application/x-www-form-urlencoded` text of the fields, in order; nulls left out.
    pub fn form_encode(&self) -> String {
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.iter() {
            if let Some(text) = v.as_text() {
                form.append_pair(k, &text);
            }
        }
        form.finish()
    }

    /// The value at a dotted path (`a.b`, `items[0].id`, `items.0.id`), as
    /// [`crate::json_path::at`] walks a parsed object.
    pub fn at(&self, path: &str) -> Option<&WireValue<'a>> {
        // the usual path (`method`, `additional_fields.card_number`): names through objects,
        // one scan of the path; anything else (a bracket, an empty name, a list on the way)
        // is walked by the general rules from the start
        let mut object = self;
        let mut rest = path;
        loop {
            let Some(i) = rest.bytes().position(|b| b == b'.' || b == b'[') else {
                return object.get(rest);
            };
            let empty_name = i == 0 && !std::ptr::eq(object, self);
            if rest.as_bytes()[i] != b'.' || empty_name || i + 1 == rest.len() {
                return self.at_general(path);
            }
            match object.get(&rest[..i]) {
                Some(WireValue::Object(inner)) => object = inner,
                Some(_) => return self.at_general(path),
                None => return None,
            }
            rest = &rest[i + 1..];
        }
    }

    /// [`WireObject::at`] by the general rules (brackets, numeric segments into lists, empty
    /// segments skipped below the top).
    fn at_general(&self, path: &str) -> Option<&WireValue<'a>> {
        if !path.bytes().any(|b| b == b'.' || b == b'[') {
            return self.get(path);
        }
        let (first, rest) = split_dot(path);
        let (name, brackets) = split_brackets(first);
        let cur = index_steps(self.get(name)?, brackets)?;
        walk(cur, rest)
    }
}

impl WireValue<'_> {
    /// The text of a value in a form, a query or a signed message: strings raw, numbers as
    /// written, bools `true`/`false`, containers as compact JSON; `None` for null.
    pub fn as_text(&self) -> Option<Cow<'_, str>> {
        match self {
            WireValue::Null => None,
            WireValue::Str(s) | WireValue::Number(s) => Some(Cow::Borrowed(s)),
            WireValue::Int(n) => Some(Cow::Owned(n.to_string())),
            WireValue::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            WireValue::List(_) | WireValue::Object(_) => Some(Cow::Owned(self.to_json_string())),
        }
    }

    /// The value at a dotted path below this one (`b.c`, `items[0].id`, `items.0.id`; the
    /// empty path is the value itself).
    pub fn at(&self, path: &str) -> Option<&WireValue<'_>> {
        walk(self, path)
    }

    /// The value as compact JSON text.
    pub fn to_json_string(&self) -> String {
        let mut out = Vec::with_capacity(self.json_len_hint());
        self.write_json_to(&mut out);
        // every piece written is UTF-8
        String::from_utf8(out).unwrap_or_default()
    }
}

/// Whether `text` is a JSON number (`-?(0|[1-9]D*)(.D+)?([eE][+-]?D+)?`).
pub fn is_json_number(text: &str) -> bool {
    let b = text.strip_prefix('-').unwrap_or(text).as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let int = digits(0);
    if int == 0 || (int > 1 && b[0] == b'0') {
        return false;
    }
    let mut i = int;
    if b.get(i) == Some(&b'.') {
        let frac = digits(i + 1);
        if frac == 0 {
            return false;
        }
        i += 1 + frac;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = digits(i);
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

/// `a.b.c` -> (`a`, `b.c`); (`a`, ``) without a dot (a byte scan: paths are short).
fn split_dot(path: &str) -> (&str, &str) {
    match path.bytes().position(|b| b == b'.') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => (path, ""),
    }
}

/// `name[1][2]` -> (`name`, `[1][2]`).
fn split_brackets(segment: &str) -> (&str, &str) {
    match segment.bytes().position(|b| b == b'[') {
        Some(i) => (&segment[..i], &segment[i..]),
        None => (segment, ""),
    }
}

/// `[i][j]` steps into lists; `None` when a bracket is malformed or an index is missing.
fn index_steps<'v, 'a>(
    mut cur: &'v WireValue<'a>,
    mut brackets: &str,
) -> Option<&'v WireValue<'a>> {
    while let Some(rest) = brackets.strip_prefix('[') {
        let close = rest.find(']')?;
        let i: usize = rest[..close].parse().ok()?;
        cur = match cur {
            WireValue::List(items) => items.get(i)?,
            _ => return None,
        };
        brackets = &rest[close + 1..];
    }
    brackets.is_empty().then_some(cur)
}

/// Walks `a.b[0].c` / `a.b.0.c` from `cur` (a numeric segment indexes a list or is a key).
fn walk<'v, 'a>(mut cur: &'v WireValue<'a>, path: &str) -> Option<&'v WireValue<'a>> {
    if path.is_empty() {
        return Some(cur);
    }
    let mut rest = Some(path);
    while let Some(remaining) = rest {
        let (segment, after) = match remaining.bytes().position(|b| b == b'.') {
            Some(i) => (&remaining[..i], Some(&remaining[i + 1..])),
            None => (remaining, None),
        };
        rest = after;
        let (name, brackets) = split_brackets(segment);
        if !name.is_empty() {
            cur = match cur {
                WireValue::Object(o) => o.get(name)?,
                WireValue::List(items) => items.get(name.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        cur = index_steps(cur, brackets)?;
    }
    Some(cur)
}

/// Removes and returns the value at a dotted path (`additionalData.hmacSignature`); an exact
/// top-level key wins over a path.
pub fn take_at<'a>(fields: &mut WireObject<'a>, path: &str) -> Option<WireValue<'a>> {
    if let Some(v) = fields.remove(path) {
        return Some(v);
    }
    let (head, rest) = path.split_once('.')?;
    match fields.get_mut(head)? {
        WireValue::Object(inner) => take_at(inner, rest),
        _ => None,
    }
}

/// Sets the value at a dotted path, creating objects on the way (a top-level name without a
/// dot, or one that exists as a key, is set directly).
pub fn put_at<'a>(fields: &mut WireObject<'a>, path: &str, value: WireValue<'a>) {
    match path.split_once('.') {
        Some((head, rest)) if fields.get(path).is_none() => {
            if !matches!(fields.get(head), Some(WireValue::Object(_))) {
                fields.insert(head.to_string(), WireValue::Object(WireObject::default()));
            }
            if let Some(WireValue::Object(inner)) = fields.get_mut(head) {
                put_at(inner, rest, value);
            }
        }
        _ => fields.insert(path.to_string(), value),
    }
}

/// [`put_at`] with the path borrowed for as long as the tree: the keys it sets or creates are
/// borrowed, not copied (a signer's field name set on every request).
pub fn put_at_borrowed<'a>(fields: &mut WireObject<'a>, path: &'a str, value: WireValue<'a>) {
    match path.split_once('.') {
        Some((head, rest)) if fields.get(path).is_none() => {
            if !matches!(fields.get(head), Some(WireValue::Object(_))) {
                fields.insert(head, WireValue::Object(WireObject::default()));
            }
            if let Some(WireValue::Object(inner)) = fields.get_mut(head) {
                put_at_borrowed(inner, rest, value);
            }
        }
        _ => fields.insert(path, value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bodies with what JSON writing can get wrong: escapes, control characters, non-ASCII
    /// text, number texts as written, nesting, empty containers.
    const BODIES: &[&str] = &[
        r#"{"merchant_id":"test_api_v2","site_login":"user_login","site_id":21,"amount":900000,"additional_fields":{"bank_name":"Morgan","expiry date":"07/23"},"signature":"5520cc4d1ec1433f8ff01470f0d95c3b9a363000"}"#,
        r#"{"q":"a \"quoted\" \\ back\/slash","c":"\u0001\u001f\t\n\r","u":"Grüße, 東京 🚀","e":"","n":null}"#,
        r#"{"amount":40.10,"big":123456789012345678901234567890,"exp":1e5,"neg":-0.05,"t":true,"f":false}"#,
        r#"{"items":[{"sku":"A","qty":2},[],{},[1,"two",null,[3.50]]],"empty":{}}"#,
        r#"{"ls":"\u2028\u2029","del":"\u007f\u0080","bs\\key\"":"\b\f\u000b","long plain key of more than eight bytes":"text/html,application/xhtml+xml,application/xml;q=0.9","n":-9223372036854775808}"#,
    ];

    fn parse(text: &str) -> Map<String, Value> {
        match serde_json::from_str(text) {
            Ok(Value::Object(map)) => map,
            other => panic!("not an object: {other:?}"),
        }
    }

    #[test]
    fn json_written_from_the_tree_is_byte_identical_to_serde_json() {
        for body in BODIES {
            let map = parse(body);
            let expected = serde_json::to_vec(&map).unwrap_or_default();
            let mut written = Vec::new();
            assert!(WireObject::from_json(&map).write_json(&mut written).is_ok());
            assert_eq!(
                String::from_utf8_lossy(&written),
                String::from_utf8_lossy(&expected)
            );
        }
    }

    #[test]
    fn conversions_keep_every_key_value_and_order() {
        for body in BODIES {
            let map = parse(body);
            assert_eq!(WireObject::from_json(&map).to_json(), map);
        }
    }

    #[test]
    fn objects_keep_wire_order_and_replace_in_place() {
        let mut o = WireObject::with_capacity(3);
        o.insert("b", WireValue::Int(1));
        o.insert("a", WireValue::text("x"));
        o.insert("b", WireValue::Bool(true));
        assert_eq!(o.len(), 2);
        let keys: Vec<&str> = o.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["b", "a"]);
        assert_eq!(o.get("b"), Some(&WireValue::Bool(true)));
        assert_eq!(o.remove("b"), Some(WireValue::Bool(true)));
        assert_eq!(o.remove("b"), None);
        o.push("c", WireValue::Null);
        let mut out = Vec::new();
        assert!(o.write_json(&mut out).is_ok());
        assert_eq!(out, br#"{"a":"x","c":null}"#);
    }

    #[test]
    fn pushed_keys_that_need_an_escape_are_escaped_and_entries_stay_small() {
        let mut o = WireObject::with_capacity(3);
        o.push("plain", WireValue::Int(1));
        o.push("q\"uote", WireValue::Int(2));
        o.push("a key longer than sixteen bytes", WireValue::Int(3));
        o.push("tab\there", WireValue::Int(4));
        assert_eq!(
            o.to_json_string(),
            r#"{"plain":1,"q\"uote":2,"a key longer than sixteen bytes":3,"tab\there":4}"#
        );
        assert_eq!(o.get("q\"uote"), Some(&WireValue::Int(2)));
        // a key is as small as the text it replaced
        assert_eq!(
            std::mem::size_of::<Key<'_>>(),
            std::mem::size_of::<Cow<'_, str>>()
        );
    }

    #[test]
    fn integers_and_number_texts_are_written_as_given() {
        let mut o = WireObject::default();
        o.insert("min", WireValue::Int(i64::MIN));
        o.insert("amount", WireValue::Number(Cow::Borrowed("40.10")));
        let mut out = Vec::new();
        assert!(o.write_json(&mut out).is_ok());
        assert_eq!(out, br#"{"min":-9223372036854775808,"amount":40.10}"#);
        assert_eq!(o.to_json()["amount"].to_string(), "40.10");
        // a text that is not a JSON number is kept as a string when converted
        let bad = WireValue::Number(Cow::Borrowed("4O.1"));
        assert_eq!(bad.to_json(), Value::from("4O.1"));
    }

    #[test]
    fn paths_find_what_json_path_finds_from_the_fields() {
        let text = r#"{"data":{"items":[{"id":1},{"id":"two"}],"0":"zero"},"errors":[{"code":"E1"}],
            "code":"X","status":"ok","a.b":"dotted","list":[[1,2],[3]]}"#;
        let value: Value = serde_json::from_str(text).unwrap_or_default();
        let Value::Object(map) = &value else {
            panic!("an object");
        };
        let tree = WireObject::from_json(map);
        let more = [
            "data..items",
            ".data",
            "data.",
            "data.items.",
            "data.0",
            "data.items.1.id",
            "data.items[1].id",
            "data.nothing.id",
            "code.x",
            "status.",
            "",
            ".",
            "..",
            "a.b",
            "list[0][1]",
            "list.1.0",
            "list[1",
            "status[0]",
        ];
        for path in crate::json_path::FIELD_PATHS.into_iter().chain(more) {
            assert_eq!(
                tree.at(path).map(WireValue::to_json),
                crate::json_path::at_field(map, path).cloned(),
                "{path}"
            );
            assert_eq!(tree.at(path), tree.at_general(path), "{path}");
        }
    }

    #[test]
    fn values_put_at_a_path_land_where_put_at_puts_them() {
        for path in ["signature", "a.b", "additionalData.hmacSignature", "x.y.z"] {
            let map = parse(r#"{"a":{"c":1},"x":2,"signature":"old"}"#);
            let (mut copied, mut borrowed) =
                (WireObject::from_json(&map), WireObject::from_json(&map));
            put_at(&mut copied, path, WireValue::text("v"));
            put_at_borrowed(&mut borrowed, path, WireValue::text("v"));
            assert_eq!(copied.to_json_string(), borrowed.to_json_string(), "{path}");
            assert_eq!(
                take_at(&mut borrowed, path),
                Some(WireValue::text("v")),
                "{path}"
            );
        }
    }

    #[test]
    fn debug_output_shows_the_shape_and_no_value() {
        let mut card = WireObject::with_capacity(3);
        card.push(
            "card_number",
            WireValue::Str(Cow::Borrowed("4111111111111111")),
        );
        card.push("cvv", WireValue::Str(Cow::Borrowed("737")));
        card.push("amount", WireValue::Int(90125));
        let shown = format!("{:?}", WireValue::Object(card));
        for secret in ["4111111111111111", "737", "90125"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert_eq!(
            shown,
            r#"{"card_number": Str(<16 chars>), "cvv": Str(<3 chars>), "amount": Int(..)}"#
        );
    }
}
