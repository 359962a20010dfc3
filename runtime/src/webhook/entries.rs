//! A notification's top-level fields as text: one scan of the body keeps each key and the
//! exact text of its value (`serde_json`'s `RawValue`, borrowed, validated by the scan), so the
//! probe reads only the few values it needs and the typed decode reads each value once, skipping
//! the ones its type ignores without scanning them again.
//!
//! The typed decode sees the fields as a map: the keys in body order (a repeated key is seen
//! twice, as the parser shows it), each value read by `serde_json`'s own deserializer over its
//! text, except a value the type ignores, which is skipped unread (`serde_json` skips it the
//! same way: it only checks the syntax, which the scan already did), and what needs no parser
//! (a string without escapes, `null` for an option, `true`/`false`, an integer that fits 64
//! bits), handed over as `serde_json` hands it.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::CowStrDeserializer;
use serde::de::{DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::value::RawValue;

use crate::wire_parse::{plain_integer, PlainInteger};

/// A top-level key and its value's text.
pub(crate) type Entry<'a> = (Cow<'a, str>, &'a RawValue);

/// Scans a JSON object's top-level fields (the caller checks that the text ends after it).
pub(crate) fn scan<'a>(
    de: &mut serde_json::Deserializer<serde_json::de::StrRead<'a>>,
) -> serde_json::Result<Vec<Entry<'a>>> {
    serde::Deserializer::deserialize_map(de, Scan)
}

/// Reads the fields as a `T`, as `serde_json` reads the whole object (an error when `T` is
/// not read from an object: the caller then parses the body as before).
pub(crate) fn decode<'a, T: serde::Deserialize<'a>>(
    entries: &[Entry<'a>],
) -> serde_json::Result<T> {
    T::deserialize(Object(entries))
}

struct Scan;

impl<'de> Visitor<'de> for Scan {
    type Value = Vec<Entry<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // one allocation for a notification of up to 24 fields (960 bytes, within the sizes
        // the allocator serves from its per-thread cache)
        let mut entries = Vec::with_capacity(24);
        while let Some(key) = map.next_key_seed(super::probe::Key)? {
            entries.push((key, map.next_value::<&RawValue>()?));
        }
        Ok(entries)
    }
}

/// The fields as an object for a type's `Deserialize`.
struct Object<'e, 'a>(&'e [Entry<'a>]);

impl<'de> serde::Deserializer<'de> for Object<'_, 'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(Fields {
            entries: self.0.iter(),
            value: None,
        })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

struct Fields<'e, 'a> {
    entries: std::slice::Iter<'e, Entry<'a>>,
    value: Option<&'a RawValue>,
}

impl<'de> MapAccess<'de> for Fields<'_, 'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        let key: CowStrDeserializer<'de, Self::Error> = key.clone().into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        match self.value.take() {
            Some(raw) => seed.deserialize(Text(raw)),
            None => Err(serde::de::Error::custom("a value without its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// One value's text, read by `serde_json`'s deserializer (the same method the type asks for),
/// except what needs no parser: `null` for an option, and a string written without escapes,
/// handed over borrowed as `serde_json` hands it (`visit_borrowed_str`).
struct Text<'a>(&'a RawValue);

impl<'a> Text<'a> {
    /// The string the text is, when it is written without escapes (the scan checked it).
    fn plain_str(&self) -> Option<&'a str> {
        let text = self.0.get();
        match text.as_bytes() {
            [b'"', inner @ .., b'"'] if !has_backslash(inner) => Some(&text[1..text.len() - 1]),
            _ => None,
        }
    }

    /// The integer the text is, as `serde_json` hands an integer to `deserialize_any` and
    /// its integer methods (`crate::wire_parse::plain_integer`); `None` for any other text (read by
    /// `serde_json`, which with `arbitrary_precision` first copies a number's text into a
    /// `String` of its own).
    fn integer(&self) -> Option<PlainInteger> {
        plain_integer(self.0.get().as_bytes())
    }

    /// `read` over `serde_json`'s deserializer of the text, which must read all of it
    /// (`serde_json`'s 128-bit integer readers stop before a fraction, which the whole text
    /// refuses): the rare readings, out of line so that each type's hot path holds only the
    /// call.
    #[cold]
    #[inline(never)]
    fn by_json<V: Visitor<'a>>(
        self,
        visitor: V,
        read: impl FnOnce(
            &mut serde_json::Deserializer<serde_json::de::StrRead<'a>>,
            V,
        ) -> serde_json::Result<V::Value>,
    ) -> serde_json::Result<V::Value> {
        let mut de = serde_json::Deserializer::from_str(self.0.get());
        let value = read(&mut de, visitor)?;
        de.end()?;
        Ok(value)
    }
}

/// Whether a string's bytes hold a backslash (`core`'s byte search: a plain loop for the
/// short strings fields mostly are, where the `memchr` crate's setup costs more than it saves).
fn has_backslash(bytes: &[u8]) -> bool {
    bytes.contains(&b'\\')
}

/// A string-reading method: the plain string borrowed, anything else read by `serde_json`.
macro_rules! plain_or_json {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            match self.plain_str() {
                Some(s) => visitor.visit_borrowed_str(s),
                None => self.by_json(visitor, |de, v| de.$method(v)),
            }
        }
    )*};
}

/// An integer-reading method: an integer handed over as `serde_json`'s integer readers hand
/// it (`visit_u64`, or `visit_i64` for a negative one), anything else read by `serde_json`.
macro_rules! integer_or_json {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            match self.integer() {
                Some(PlainInteger::Unsigned(u)) => visitor.visit_u64(u),
                Some(PlainInteger::Negative(i)) => visitor.visit_i64(i),
                None => self.by_json(visitor, |de, v| de.$method(v)),
            }
        }
    )*};
}

macro_rules! forward_to_json {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            self.by_json(visitor, |de, v| de.$method(v))
        }
    )*};
}

impl<'de> serde::Deserializer<'de> for Text<'de> {
    type Error = serde_json::Error;

    forward_to_json! {
        deserialize_i128 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_bytes deserialize_byte_buf deserialize_unit deserialize_seq deserialize_map
    }

    integer_or_json! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
    }

    plain_or_json! {
        deserialize_str deserialize_string deserialize_identifier
    }

    /// `true` and `false` as `serde_json` hands them over; anything else read by it.
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0.get() {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => self.by_json(visitor, |de, v| de.deserialize_bool(v)),
        }
    }

    /// A plain string borrowed, an integer as `serde_json` reads it, anything else read by
    /// `serde_json`.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        if let Some(s) = self.plain_str() {
            return visitor.visit_borrowed_str(s);
        }
        match self.integer() {
            Some(PlainInteger::Unsigned(u)) => visitor.visit_u64(u),
            Some(PlainInteger::Negative(i)) => visitor.visit_i64(i),
            None => self.by_json(visitor, |de, v| de.deserialize_any(v)),
        }
    }

    /// `null` is `None` (the text is exactly the value); anything else is read as the value.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0.get() {
            "null" => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    /// Skipped unread: the scan checked its syntax, all `serde_json` checks when it skips.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.by_json(visitor, |de, v| de.deserialize_unit_struct(name, v))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.by_json(visitor, |de, v| de.deserialize_newtype_struct(name, v))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.by_json(visitor, |de, v| de.deserialize_tuple(len, v))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.by_json(visitor, |de, v| de.deserialize_tuple_struct(name, len, v))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.by_json(visitor, |de, v| de.deserialize_struct(name, fields, v))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.by_json(visitor, |de, v| de.deserialize_enum(name, variants, v))
    }
}

#[cfg(test)]
mod tests {
    use serde::de::DeserializeOwned;
    use serde::Deserialize;
    use serde_json::{Map, Value};

    use super::*;

    /// Decoding from the scanned fields gives what `serde_json` gives from the whole text: the
    /// same value or an error (`exact`), or (a type not read from an object, which the caller
    /// then reads from the whole text) an error or the same value.
    fn same<T: DeserializeOwned + PartialEq + fmt::Debug>(body: &str, exact: bool) {
        let mut de = serde_json::Deserializer::from_str(body);
        let entries = scan(&mut de).expect("an object");
        de.end().expect("ends");
        let once = decode::<T>(&entries).ok();
        let whole = serde_json::from_str::<T>(body).ok();
        if exact || once.is_some() {
            assert_eq!(once, whole, "{body}");
        }
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Event {
        transaction_id: Option<i64>,
        amount: Option<Value>,
        status: Option<String>,
        ok: Option<bool>,
        items: Option<Vec<Map<String, Value>>>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase")]
    enum Status {
        Completed,
        #[serde(rename = "a\"b\\c")]
        Escaped,
    }

    /// Strings read every way a type asks for them.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Strings {
        status: Option<Option<Status>>,
        pad: Option<String>,
        transaction_id: Option<WireLike>,
        ok: Option<char>,
        #[serde(default)]
        items: Vec<Value>,
    }

    /// The runtime's own number types, read through `deserialize_any`.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Numbers {
        amount: Option<crate::Decimal>,
        transaction_id: Option<crate::WireScalar>,
        status: Option<crate::WireScalar>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum WireLike {
        Int(i64),
        Str(String),
    }

    /// Integers and booleans read by their own methods.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Hinted {
        transaction_id: Option<i128>,
        amount: Option<u8>,
        status: Option<i32>,
        ok: Option<bool>,
        a: Option<u64>,
        n: Option<i16>,
        kind: Option<u128>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Strict {
        a: i64,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Flat {
        a: i64,
        #[serde(flatten)]
        rest: Map<String, Value>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(tag = "kind")]
    enum Tagged {
        A { n: i64 },
        B,
    }

    #[test]
    fn decoding_the_scanned_fields_reads_as_the_whole_text() {
        let bodies = [
            r#"{"transactionId":144221,"amount":12.30,"status":"Completed","pad":"xxxx","ok":true}"#,
            r#"{"transactionId":"1","amount":"12.30","status":1}"#,
            r#"{"transactionId":1,"transactionId":2}"#,
            r#"{"amount":1e400,"items":[{"x":[1,{"y":null}]},{}],"ignored":{"deep":[1,2]}}"#,
            r#"{"status":"a\"b\\c","ok":null,"transactionId":-0}"#,
            r#"{"a":1}"#,
            r#"{"a":1,"b":2}"#,
            r#"{"a":"1","kind":"A","n":3}"#,
            r#"{"kind":"B","a":1,"a":2}"#,
            r#"{"kind":"C"}"#,
            r#"{"status":"completed","pad":"","transactionId":"7","ok":"x","items":["a","\n"]}"#,
            r#"{"status":null,"pad":null,"transactionId":null,"ok":null,"items":[]}"#,
            r#"{"status":"Completed","pad":"\u00e9","ok":"xy"}"#,
            r#"{"status":"a\"b\\c","pad":7,"ok":"\n"}"#,
            r#"{"status":"null","pad":"null"}"#,
            r#"{"transactionId":18446744073709551615,"amount":-9223372036854775808,"status":-0}"#,
            r#"{"transactionId":18446744073709551616,"amount":-9223372036854775809,"status":-1}"#,
            r#"{"transactionId":9223372036854775808,"amount":12.30,"status":0,"items":[{"x":-0}]}"#,
            r#"{"transactionId":1e2,"amount":"40.10","status":4.0}"#,
            r#"{"amount":-0,"status":"-0"}"#,
            r#"{}"#,
            r#"{"transactionId":1.5,"amount":255,"status":-2147483648,"ok":false,"a":0}"#,
            r#"{"amount":256,"status":2147483648,"ok":"true","a":-1,"n":-0,"kind":1.5}"#,
            r#"{"amount":-1,"a":18446744073709551615,"n":32767,"kind":2,"ok":true}"#,
            r#"{"a":18446744073709551616,"n":-32769,"transactionId":-7}"#,
        ];
        for body in bodies {
            same::<Event>(body, true);
            same::<Strings>(body, true);
            same::<Numbers>(body, true);
            same::<Hinted>(body, true);
            same::<Strict>(body, true);
            same::<Flat>(body, true);
            same::<Tagged>(body, true);
            same::<Value>(body, true);
            same::<Map<String, Value>>(body, true);
            same::<Option<Map<String, Value>>>(body, false);
            same::<(i64, i64)>(body, false);
        }
    }
}
