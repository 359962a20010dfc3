//! One JSON value read as `serde_json::Value` reads it, without building the `Value` for the
//! common cases: a string (borrowed from the input when it has no escapes), an integer as the
//! parser read it, or any other number as its text (the `arbitrary_precision` form, taken over
//! without a copy). [`crate::WireScalar`] and [`crate::Decimal`] are read through it, so they
//! accept exactly what reading a `Value` first accepted, with the same text and the same errors.
//!
//! The visitor mirrors `serde_json::Value`'s own (serde_json 1.0.154, `value/de.rs`) method by
//! method; what is rare (null, booleans, arrays, objects, 128-bit integers, floats from other
//! formats) is built as the `Value` it would have been.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{I128Deserializer, SeqAccessDeserializer, U128Deserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Number, Value};

/// The key `serde_json` (with `arbitrary_precision`) gives a number it hands over as a map.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";
/// The key `serde_json` (with `raw_value`) gives a raw value it hands over as a map.
const RAW_TOKEN: &str = "$serde_json::private::RawValue";

/// One JSON value, as far as a scalar reader needs it.
#[derive(Debug, PartialEq)]
pub(crate) enum Scalar<'de> {
    /// A string.
    Str(Cow<'de, str>),
    /// A number the parser read as a `u64`.
    U64(u64),
    /// A negative number the parser read as an `i64`.
    I64(i64),
    /// Any other number, as its text (what `serde_json::Number` displays).
    Number(String),
    /// Anything else, as `serde_json::Value` builds it.
    Other(Value),
}

impl Scalar<'_> {
    /// The text a `serde_json::Value` of this number would display (`None`: not a number).
    pub(crate) fn number_text(self) -> Option<String> {
        match self {
            Scalar::U64(u) => Some(u.to_string()),
            Scalar::I64(i) => Some(i.to_string()),
            Scalar::Number(text) => Some(text),
            Scalar::Other(Value::Number(n)) => Some(n.to_string()),
            Scalar::Str(_) | Scalar::Other(_) => None,
        }
    }
}

/// Reads one value from `deserializer` (see the module docs).
pub(crate) fn read_scalar<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Scalar<'de>, D::Error> {
    deserializer.deserialize_any(ScalarVisitor)
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Value`'s words, so an error for a type neither reads is the same
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Other(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Scalar::I64(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
        let number = Number::deserialize(I128Deserializer::<E>::new(v))?;
        Ok(Scalar::Other(Value::Number(number)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Scalar::U64(v))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
        let number = Number::deserialize(U128Deserializer::<E>::new(v))?;
        Ok(Scalar::Other(Value::Number(number)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Scalar::Other(
            Number::from_f64(v).map_or(Value::Null, Value::Number),
        ))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_string())))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Other(Value::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        read_scalar(d)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Other(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(Scalar::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        match map.next_key_seed(FirstKey)? {
            Some(KeyClass::Number) => map.next_value_seed(NumberText).map(Scalar::Number),
            Some(KeyClass::Raw) => {
                let text = map.next_value_seed(RawText)?;
                serde_json::from_str(&text)
                    .map(Scalar::Other)
                    .map_err(de::Error::custom)
            }
            Some(KeyClass::Key(first)) => {
                let mut values = Map::new();
                values.insert(first, map.next_value()?);
                while let Some((key, value)) = map.next_entry()? {
                    values.insert(key, value);
                }
                Ok(Scalar::Other(Value::Object(values)))
            }
            None => Ok(Scalar::Other(Value::Object(Map::new()))),
        }
    }
}

/// A map's first key, classified as `Value`'s visitor classifies it.
enum KeyClass {
    Number,
    Raw,
    Key(String),
}

impl KeyClass {
    /// The class of a token key (`None`: an ordinary key).
    fn token(key: &str) -> Option<KeyClass> {
        match key {
            NUMBER_TOKEN => Some(KeyClass::Number),
            RAW_TOKEN => Some(KeyClass::Raw),
            _ => None,
        }
    }
}

/// Reads a map's first key as a [`KeyClass`].
struct FirstKey;

impl<'de> DeserializeSeed<'de> for FirstKey {
    type Value = KeyClass;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<KeyClass, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for FirstKey {
    type Value = KeyClass;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E>(self, v: &str) -> Result<KeyClass, E> {
        Ok(KeyClass::token(v).unwrap_or_else(|| KeyClass::Key(v.to_string())))
    }

    fn visit_string<E>(self, v: String) -> Result<KeyClass, E> {
        Ok(KeyClass::token(&v).unwrap_or(KeyClass::Key(v)))
    }
}

/// A number handed over as a map's string value: its text as `Number::from_str` leaves it
/// (serde_json's own text is that already and is taken over without a copy).
struct NumberText;

impl<'de> DeserializeSeed<'de> for NumberText {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for NumberText {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("string containing a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        if is_number_text(v) {
            return Ok(v.to_string());
        }
        v.parse::<Number>()
            .map(|n| n.to_string())
            .map_err(de::Error::custom)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        if is_number_text(&v) {
            return Ok(v);
        }
        self.visit_str(&v)
    }
}

/// A raw value handed over as a map's string value: its text (`Value` parses it afterwards).
struct RawText;

impl<'de> DeserializeSeed<'de> for RawText {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for RawText {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("raw value")
    }

    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
}

/// Whether `text` is a JSON number as `serde_json::Number` writes it, which `Number::from_str`
/// leaves as it is: `-?(0|[1-9][0-9]*)(\.[0-9]+)?(e[+-][0-9]+)?` (the exponent's sign always
/// written, the `e` lower case).
pub(crate) fn is_number_text(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let int_start = i;
    match digits(&mut i) {
        0 => return false,
        1 => {}
        _ if b[int_start] == b'0' => return false,
        _ => {}
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if b.get(i) == Some(&b'e') {
        i += 1;
        if !matches!(b.get(i), Some(b'+' | b'-')) {
            return false;
        }
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What reading a `Value` first gave, in the reader's terms.
    fn as_value_reads(value: Value) -> Scalar<'static> {
        match value {
            Value::String(s) => Scalar::Str(Cow::Owned(s)),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Scalar::U64(u),
                (None, Some(i)) => Scalar::I64(i),
                _ => Scalar::Number(n.to_string()),
            },
            other => Scalar::Other(other),
        }
    }

    /// The reader and `Value` agree on `json`: the same value (numbers by their text) or the
    /// same error.
    fn agree(json: &str) {
        let read = read_scalar(&mut serde_json::Deserializer::from_str(json))
            .map(|s| match s {
                Scalar::Str(s) => Scalar::Str(Cow::Owned(s.into_owned())),
                Scalar::Number(t) => as_value_reads(Value::Number(t.parse().expect("a number"))),
                Scalar::Other(v) => as_value_reads(v),
                s @ (Scalar::U64(_) | Scalar::I64(_)) => s,
            })
            .map_err(|e| e.to_string());
        let value = serde_json::from_str::<Value>(json)
            .map(as_value_reads)
            .map_err(|e| e.to_string());
        assert_eq!(read, value, "{json}");
    }

    #[test]
    fn reads_what_a_value_reads() {
        for json in [
            "0",
            "7",
            "-7",
            "-0",
            "-0.0",
            "12.30",
            "1e3",
            "1E+3",
            "4011e-2",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "123456789012345678901234567890.5",
            "1e400",
            "\"40.10\"",
            "\"a\\\"b\"",
            "\"\"",
            "true",
            "null",
            "[1,\"x\",{\"a\":2.50}]",
            "{}",
            "{\"a\":1,\"a\":2}",
            "{\"$serde_json::private::Number\":\"1E5\"}",
            "{\"$serde_json::private::Number\":\"007\"}",
            "{\"$serde_json::private::Number\":5}",
            "{\"$serde_json::private::RawValue\":\"12.5\"}",
            "{\"$serde_json::private::RawValue\":\"[\"}",
            "01",
            "1.",
            "\"\\ud800\"",
            "[\"\\ud800\"]",
            "",
            "tru",
        ] {
            agree(json);
        }
    }

    #[test]
    fn a_string_without_escapes_is_borrowed() {
        let read = read_scalar(&mut serde_json::Deserializer::from_str("\"40.10\""));
        assert!(matches!(read, Ok(Scalar::Str(Cow::Borrowed("40.10")))));
        let read = read_scalar(&mut serde_json::Deserializer::from_str("12.30"));
        assert_eq!(read.ok(), Some(Scalar::Number("12.30".into())));
    }

    #[test]
    fn number_texts_are_the_ones_from_str_leaves_alone() {
        let mut texts = vec![];
        for sign in ["", "-"] {
            for int in ["0", "7", "00", "07", "10", "", "18446744073709551616"] {
                for frac in ["", ".", ".5", ".50", ".0"] {
                    for exp in ["", "e", "e5", "e+5", "e-5", "E+5", "e+", "e+05"] {
                        texts.push(format!("{sign}{int}{frac}{exp}"));
                    }
                }
            }
        }
        texts.extend([" 1", "1 ", "+1", "1x", "0x10", "NaN", "1e+5.5"].map(String::from));
        for text in texts {
            let identity = text.parse::<Number>().is_ok_and(|n| n.to_string() == text);
            assert_eq!(is_number_text(&text), identity, "{text:?}");
        }
    }
}
