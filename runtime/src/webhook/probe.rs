//! The probed fields of a notification: the top-level fields its event conditions and
//! de-duplication key start from, read from their text (see [`super::entries`]) with strings
//! and numbers borrowed from the body (an escaped string, a number not written as
//! `serde_json::Number` writes it, an object or an array is parsed as `serde_json` parses it),
//! and the condition checks over them, which read exactly as the same checks over the whole
//! parse (`json_path` over the whole tree, the de-duplication key's `field_text`).

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Deserialize, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Number, Value};

use super::entries::Entry;
use crate::json_path;
use crate::wire::is_number_text;

/// One probed field's value: a string (borrowed from the body unless escaped), a number (its
/// text as `serde_json::Number` keeps it, borrowed when the body writes it so) or any other
/// JSON value (null and booleans without allocating).
#[derive(Debug, Clone, PartialEq)]
enum Probed<'a> {
    Str(Cow<'a, str>),
    Num(Cow<'a, str>),
    Other(Value),
}

impl Probed<'_> {
    /// The value as the whole parse holds it (for the rare path that steps into a string or
    /// a number, which finds nothing but the value itself).
    fn to_value(&self) -> Value {
        match self {
            Probed::Str(s) => Value::String(s.to_string()),
            // the text is a number's (checked when read): it parses
            Probed::Num(t) => t.parse::<Number>().map_or(Value::Null, Value::Number),
            Probed::Other(v) => v.clone(),
        }
    }
}

/// A value found at a path: a probed string or number, a probed value or part of it, or a
/// value built for a path that steps into a probed string or number (rare).
enum Found<'f> {
    Str(&'f str),
    Num(&'f str),
    Value(&'f Value),
    Owned(Value),
}

impl Found<'_> {
    /// The value as `json_path` sees it (`None` for a probed string or number, read directly).
    fn value(&self) -> Option<&Value> {
        match self {
            Found::Str(_) | Found::Num(_) => None,
            Found::Value(v) => Some(v),
            Found::Owned(v) => Some(v),
        }
    }
}

/// A probed value read from its text: a string without escapes and a number written as
/// `serde_json::Number` writes it are borrowed (the scan checked their syntax, and the whole
/// parse keeps exactly that text); anything else is parsed.
fn read_probed(raw: &RawValue) -> serde_json::Result<Probed<'_>> {
    let text = raw.get();
    match text.as_bytes() {
        [b'"', inner @ .., b'"'] if !inner.contains(&b'\\') => {
            Ok(Probed::Str(Cow::Borrowed(&text[1..text.len() - 1])))
        }
        [b'-' | b'0'..=b'9', ..] if is_number_text(text) => Ok(Probed::Num(Cow::Borrowed(text))),
        _ => ValueSeed.deserialize(&mut serde_json::Deserializer::from_str(text)),
    }
}

/// The probed top-level fields, in the order first seen; a repeated key keeps its last value,
/// as the whole parse does.
#[derive(Default)]
pub(crate) struct ProbedFields<'a> {
    fields: Vec<(Cow<'a, str>, Probed<'a>)>,
}

impl fmt::Debug for ProbedFields<'_> {
    // values may be card data: only the keys are shown
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.fields.iter().map(|(k, _)| k))
            .finish()
    }
}

impl<'a> ProbedFields<'a> {
    /// The probed fields among a body's top-level fields (see [`probed`]): each value is
    /// read from its text.
    pub(crate) fn from_entries(
        entries: &[Entry<'a>],
        paths: &[&str],
    ) -> serde_json::Result<ProbedFields<'a>> {
        let mut out = ProbedFields::default();
        for (key, raw) in entries.iter().filter(|(key, _)| probed(key, paths)) {
            let value = read_probed(raw)?;
            match out.fields.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value,
                None => out.fields.push((key.clone(), value)),
            }
        }
        Ok(out)
    }

    fn get(&self, key: &str) -> Option<&Probed<'a>> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value at `path` as `json_path::at` finds it in the whole body (a path must start
    /// from a key: see [`usable`]).
    fn at(&self, path: &str) -> Option<Found<'_>> {
        let key = json_path::first_key(path);
        let value = self.get(key)?;
        if key.len() == path.len() {
            return Some(match value {
                Probed::Str(s) => Found::Str(s),
                Probed::Num(t) => Found::Num(t),
                Probed::Other(v) => Found::Value(v),
            });
        }
        match value {
            Probed::Other(v) => json_path::after_first_key(v, path).map(Found::Value),
            scalar => json_path::after_first_key(&scalar.to_value(), path)
                .cloned()
                .map(Found::Owned),
        }
    }

    /// `json_path::has` over the whole body.
    pub(crate) fn has(&self, path: &str) -> bool {
        match self.at(path) {
            Some(Found::Str(_) | Found::Num(_)) => true,
            Some(found) => found.value().is_some_and(|v| json_path::has(v, "")),
            None => false,
        }
    }

    /// `json_path::equals_str` over the whole body.
    pub(crate) fn equals_str(&self, path: &str, expected: &str) -> bool {
        match self.at(path) {
            Some(Found::Str(s) | Found::Num(s)) => s == expected,
            Some(found) => found
                .value()
                .is_some_and(|v| json_path::equals_str(v, "", expected)),
            None => false,
        }
    }

    /// `json_path::equals_i64` over the whole body.
    pub(crate) fn equals_i64(&self, path: &str, expected: i64) -> bool {
        match self.at(path) {
            Some(Found::Str(s)) => s.trim().parse::<i64>().ok() == Some(expected),
            // `Number::as_i64` (arbitrary precision): the text parsed as it is
            Some(Found::Num(t)) => t.parse::<i64>().ok() == Some(expected),
            Some(found) => found
                .value()
                .is_some_and(|v| json_path::equals_i64(v, "", expected)),
            None => false,
        }
    }

    /// `json_path::equals_bool` over the whole body.
    pub(crate) fn equals_bool(&self, path: &str, expected: bool) -> bool {
        match self.at(path) {
            Some(Found::Str(s)) => s == if expected { "true" } else { "false" },
            Some(Found::Num(_)) => false,
            Some(found) => found
                .value()
                .is_some_and(|v| json_path::equals_bool(v, "", expected)),
            None => false,
        }
    }

    /// `json_path::text_at` over the whole body.
    pub(crate) fn text_at(&self, path: &str) -> Option<String> {
        match self.at(path)? {
            Found::Str(s) | Found::Num(s) => Some(s.to_string()),
            found => found.value().and_then(json_path::text_of),
        }
    }

    /// The value at `path` as compact JSON (`json_path::at(..).to_string()` over the whole body).
    pub(crate) fn json_at(&self, path: &str) -> Option<String> {
        match self.at(path)? {
            Found::Str(s) => serde_json::to_string(s).ok(),
            // a number is written as its text
            Found::Num(t) => Some(t.to_string()),
            found => found.value().map(Value::to_string),
        }
    }

    /// The de-duplication key's text of one path: `signing::field_text` over the whole body
    /// (the path as a top-level key first, then its first dotted part and the rest).
    pub(crate) fn field_text(&self, path: &str) -> Option<String> {
        let text_at = |value: &Probed<'_>, rest: &str| match value {
            Probed::Str(s) | Probed::Num(s) if rest.is_empty() => Some(s.to_string()),
            Probed::Other(v) => json_path::text_at(v, rest),
            scalar => json_path::text_at(&scalar.to_value(), rest),
        };
        if let Some(value) = self.get(path) {
            return text_at(value, "");
        }
        let (head, rest) = path.split_once('.').unwrap_or((path, ""));
        text_at(self.get(head)?, rest)
    }
}

/// Whether every path starts from a top-level key (the probe reads nothing else; a path
/// starting with `.` or `[` reads the whole body).
pub(crate) fn usable(paths: &[&str]) -> bool {
    paths
        .iter()
        .all(|p| !p.is_empty() && !p.starts_with(['.', '[']))
}

/// Whether the top-level `key` is where one of `paths` starts (`key`, `key.rest`,
/// `key[0]...`; a key with dots in it is read whole too).
pub(crate) fn probed(key: &str, paths: &[&str]) -> bool {
    let first = key.as_bytes().first();
    paths.iter().any(|path| {
        // byte comparisons only, the first byte before the rest: this runs for every top-level
        // key of every notification
        path.as_bytes().first() == first
            && match path.strip_prefix(key) {
                Some(rest) => matches!(rest.as_bytes().first(), None | Some(b'.' | b'[')),
                None => false,
            }
    })
}

/// An object key, borrowed from the body when it has no escapes.
pub(crate) struct Key;

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

/// A probed value: strings borrowed when unescaped, anything else as `serde_json::Value` builds
/// it (objects, arrays and numbers through `Value`'s own visitor, so a number keeps its text).
struct ValueSeed;

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = Probed<'de>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed {
    type Value = Probed<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Probed::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Probed::Str(Cow::Owned(v.to_string())))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Probed::Str(Cow::Owned(v)))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Probed::Other(Value::Bool(v)))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Probed::Other(Value::Null))
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Probed::Other(Value::Null))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Probed::Other(Value::Number(v.into())))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Probed::Other(Value::Number(v.into())))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Probed::Other(
            Number::from_f64(v).map_or(Value::Null, Value::Number),
        ))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        // `Value`'s visitor also reads `serde_json`'s arbitrary-precision number, sent as a map
        Value::deserialize(MapAccessDeserializer::new(map)).map(Probed::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(Probed::Other)
    }
}
