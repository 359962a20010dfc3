//! The typed decode of an answer on the tape: a serde `Deserializer` over the tape's nodes, so
//! the answer's bytes are not scanned a second time. Objects and arrays are walked on the tape
//! (keys borrowed from it, the fields a type ignores skipped without reading them); every
//! scalar is read by `serde_json` from its own JSON text, through the same `Deserializer`
//! method the type asked for, so numbers, escapes and type errors are exactly `serde_json`'s,
//! except what needs no parser, handed over as `serde_json` hands it: a string without
//! escapes (borrowed), `true`/`false`, and an integer that fits 64 bits read by an integer
//! method or, with `arbitrary_precision`, without a hint. Those `serde_json` readings are out
//! of line (`#[cold]`), so each type's decode holds only their calls.
//!
//! Whatever this reading does not mirror exactly (a map key read as a number, a newtype or
//! enum over a container) is an error here, and the caller then decodes the bytes with
//! `serde_json` as before: a decode that succeeds here is the one `serde_json` makes.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::sync::OnceLock;

use serde::forward_to_deserialize_any;
use serde_json::Error;

use super::{plain_integer, Kind, PlainInteger, Tape};

/// `T` read from the tape's root node.
pub(super) fn decode<T: de::DeserializeOwned>(tape: &Tape) -> Result<T, Error> {
    // checked once here (the tape was built from it as text), then sliced at the nodes' spans
    let text = std::str::from_utf8(&tape.body).map_err(|_| not_mirrored())?;
    T::deserialize(NodeDe { tape, text, at: 0 })
}

/// The body's text between two of the tape's offsets (always at ASCII delimiters, so on
/// character boundaries; were one not, the reading is left to `serde_json`).
#[inline]
fn slice(text: &str, start: u32, end: u32) -> Result<&str, Error> {
    text.get(start as usize..end as usize)
        .ok_or_else(not_mirrored)
}

/// Why a reading is left to `serde_json` (never shown: the caller decodes the bytes again).
/// Out of line: the rare case, kept off the hot readers.
#[cold]
#[inline(never)]
fn not_mirrored() -> Error {
    de::Error::custom("read from the bytes")
}

/// One node of the tape.
#[derive(Clone, Copy)]
struct NodeDe<'t> {
    tape: &'t Tape,
    /// The tape's body as text.
    text: &'t str,
    at: usize,
}

impl<'t> NodeDe<'t> {
    fn kind(&self) -> Kind {
        self.tape.nodes[self.at].kind
    }

    /// `serde_json` over this node's JSON text alone.
    fn json(&self) -> Result<serde_json::Deserializer<serde_json::de::StrRead<'t>>, Error> {
        let n = &self.tape.nodes[self.at];
        Ok(serde_json::Deserializer::from_str(slice(
            self.text, n.start, n.end,
        )?))
    }

    /// `read` over `serde_json`'s deserializer of this node's text, which must read all of it
    /// (`serde_json`'s 128-bit integer readers stop before a fraction, which over the whole
    /// body is an error): the rare readings, kept out of line so that each type's hot path
    /// holds only the call.
    #[cold]
    #[inline(never)]
    fn by_json<V: Visitor<'t>>(
        self,
        visitor: V,
        read: impl FnOnce(
            &mut serde_json::Deserializer<serde_json::de::StrRead<'t>>,
            V,
        ) -> Result<V::Value, Error>,
    ) -> Result<V::Value, Error> {
        let mut de = self.json()?;
        let value = read(&mut de, visitor)?;
        de.end()?;
        Ok(value)
    }

    /// The integer a number node's text is, as `serde_json`'s integer readers
    /// (`deserialize_number`) hand it over (`super::plain_integer`); `None` for any
    /// other node.
    #[inline]
    fn integer(&self) -> Option<PlainInteger> {
        let n = &self.tape.nodes[self.at];
        if n.kind != Kind::Number {
            return None;
        }
        plain_integer(self.text.as_bytes().get(n.start as usize..n.end as usize)?)
    }

    /// The text of a string without escapes, between its quotes.
    fn plain_str(&self) -> Result<&'t str, Error> {
        let n = &self.tape.nodes[self.at];
        slice(self.text, n.start + 1, n.end - 1)
    }

    /// The entries of this object node.
    fn fields(&self) -> Entries<'t> {
        Entries {
            tape: self.tape,
            text: self.text,
            next: self.at + 1,
            end: self.tape.nodes[self.at].next as usize,
        }
    }

    /// A number read without a hint, as `serde_json` with `arbitrary_precision` reads it
    /// (`Deserializer::parse_any_number`): an integer that fits as `u64` (or, negative and
    /// not `-0`, as `i64`), else its text in the map form `serde_json::Number` reads. The
    /// text `serde_json` scans is the number's own text (the tape takes no exponent, the one
    /// part it would rewrite), so this is its reading without scanning the digits again.
    fn any_number<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        let n = &self.tape.nodes[self.at];
        let text = slice(self.text, n.start, n.end)?;
        match plain_integer(text.as_bytes()) {
            Some(PlainInteger::Unsigned(u)) => visitor.visit_u64(u),
            Some(PlainInteger::Negative(i)) => visitor.visit_i64(i),
            None => visitor.visit_map(NumberText(Some(text.to_string()))),
        }
    }

    fn visit_object<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        let mut entries = self.fields();
        let value = visitor.visit_map(&mut entries)?;
        entries.all_read(value)
    }

    fn visit_array<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        let mut entries = self.fields();
        let value = visitor.visit_seq(&mut entries)?;
        entries.all_read(value)
    }

    /// A struct not read from an object: from an array on the tape, else by `serde_json`.
    #[cold]
    #[inline(never)]
    fn struct_otherwise<V: Visitor<'t>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.kind() {
            Kind::Array => self.visit_array(visitor),
            _ => self.by_json(visitor, |de, v| de.deserialize_struct(name, fields, v)),
        }
    }
}

/// Methods whose every reading is `serde_json`'s over the node's text: the generic shell only
/// hands the visitor to [`NodeDe::by_json`]'s out-of-line readers.
macro_rules! by_serde_json {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
            self.by_json(visitor, |de, v| de.$method(v))
        }
    )*};
}

/// Integer methods: a number node whose text is a plain integer is handed over as
/// `serde_json` hands it (`visit_u64`, or `visit_i64` for a negative one), anything else is
/// read by `serde_json`.
macro_rules! integer_or_json {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.integer() {
                Some(PlainInteger::Unsigned(u)) => visitor.visit_u64(u),
                Some(PlainInteger::Negative(i)) => visitor.visit_i64(i),
                None => self.by_json(visitor, |de, v| de.$method(v)),
            }
        }
    )*};
}

impl<'t> Deserializer<'t> for NodeDe<'t> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.kind() {
            Kind::Object => self.visit_object(visitor),
            Kind::Array => self.visit_array(visitor),
            Kind::Str => visitor.visit_borrowed_str(self.plain_str()?),
            Kind::Null => visitor.visit_unit(),
            Kind::True => visitor.visit_bool(true),
            Kind::False => visitor.visit_bool(false),
            Kind::Number if arbitrary_precision() => self.any_number(visitor),
            Kind::Number | Kind::EscapedStr => self.by_json(visitor, |de, v| de.deserialize_any(v)),
        }
    }

    fn deserialize_option<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.kind() {
            Kind::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_str<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.kind() {
            Kind::Str => visitor.visit_borrowed_str(self.plain_str()?),
            _ => self.by_json(visitor, |de, v| de.deserialize_str(v)),
        }
    }

    fn deserialize_string<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_unit<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.kind() {
            Kind::Null => visitor.visit_unit(),
            _ => self.by_json(visitor, |de, v| de.deserialize_unit(v)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'t>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_seq<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.kind() {
            Kind::Array => self.visit_array(visitor),
            _ => self.by_json(visitor, |de, v| de.deserialize_seq(v)),
        }
    }

    fn deserialize_tuple<V: Visitor<'t>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'t>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.kind() {
            Kind::Object => self.visit_object(visitor),
            _ => self.by_json(visitor, |de, v| de.deserialize_map(v)),
        }
    }

    fn deserialize_struct<V: Visitor<'t>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.kind() {
            Kind::Object => self.visit_object(visitor),
            // a struct read from an array, or not from a container: out of line, so each
            // type's hot path holds only its map reading
            _ => self.struct_otherwise(name, fields, visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'t>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        // serde_json's own reading (a `RawValue` is a newtype it reads specially)
        self.by_json(visitor, |de, v| de.deserialize_newtype_struct(name, v))
    }

    fn deserialize_enum<V: Visitor<'t>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.by_json(visitor, |de, v| de.deserialize_enum(name, variants, v))
    }

    fn deserialize_ignored_any<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        // the value is valid JSON (serde_json read it onto the tape): nothing to check
        visitor.visit_unit()
    }

    /// `true` and `false` as `serde_json` hands them over; anything else read by it.
    fn deserialize_bool<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.kind() {
            Kind::True => visitor.visit_bool(true),
            Kind::False => visitor.visit_bool(false),
            _ => self.by_json(visitor, |de, v| de.deserialize_bool(v)),
        }
    }

    integer_or_json! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
    }

    by_serde_json! {
        deserialize_i128 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_bytes deserialize_byte_buf
    }
}

/// Whether `serde_json` hands a number read without a hint over in its `arbitrary_precision`
/// form (a one-entry map), as the workspace builds it; checked once. Without the feature,
/// numbers are read by `serde_json` itself.
#[inline]
fn arbitrary_precision() -> bool {
    static FORM: OnceLock<bool> = OnceLock::new();
    *FORM.get_or_init(|| {
        let mut probe = serde_json::Deserializer::from_str("0.5");
        probe.deserialize_any(MapForm).unwrap_or(false)
    })
}

/// Tells the map form of a number from a float.
struct MapForm;

impl<'de> Visitor<'de> for MapForm {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a number")
    }

    fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<bool, A::Error> {
        Ok(true)
    }

    fn visit_f64<E>(self, _v: f64) -> Result<bool, E> {
        Ok(false)
    }
}

/// A number's text in the map form `serde_json` (`arbitrary_precision`) hands over: one
/// entry, its key serde_json's number token, its value the text as an owned string.
struct NumberText(Option<String>);

/// The key of [`NumberText`]'s entry (serde_json's private number token, which
/// `serde_json::Number` and this crate's scalar readers recognise).
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

impl<'de> MapAccess<'de> for NumberText {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.0.is_none() {
            return Ok(None);
        }
        seed.deserialize(de::value::BorrowedStrDeserializer::new(NUMBER_TOKEN))
            .map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        let text = self.0.take().ok_or_else(not_mirrored)?;
        seed.deserialize(de::value::StringDeserializer::new(text))
    }
}

/// The children of an object or array node, read in order.
struct Entries<'t> {
    tape: &'t Tape,
    text: &'t str,
    /// The next child (or, after a key, the value to read).
    next: usize,
    /// The node after the container.
    end: usize,
}

impl Entries<'_> {
    /// `value` if the visitor read every entry (`serde_json` refuses a container left part
    /// read, so this reading leaves it to `serde_json`).
    fn all_read<T>(&self, value: T) -> Result<T, Error> {
        if self.next < self.end {
            return Err(not_mirrored());
        }
        Ok(value)
    }

    fn take(&mut self) -> Option<usize> {
        let at = self.next;
        if at >= self.end {
            return None;
        }
        self.next = self.tape.nodes[at].next as usize;
        Some(at)
    }
}

impl<'t> MapAccess<'t> for Entries<'t> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'t>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.next >= self.end {
            return Ok(None);
        }
        let n = &self.tape.nodes[self.next];
        seed.deserialize(KeyDe(slice(self.text, n.key_start, n.key_end)?))
            .map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'t>>(&mut self, seed: S) -> Result<S::Value, Error> {
        let at = self.take().ok_or_else(not_mirrored)?;
        seed.deserialize(NodeDe {
            tape: self.tape,
            text: self.text,
            at,
        })
    }
}

impl<'t> SeqAccess<'t> for Entries<'t> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'t>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        match self.take() {
            Some(at) => seed
                .deserialize(NodeDe {
                    tape: self.tape,
                    text: self.text,
                    at,
                })
                .map(Some),
            None => Ok(None),
        }
    }
}

/// Key readings as numbers (`serde_json` parses the key's text): left to `serde_json`.
macro_rules! by_key_number {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'t>>(self, _visitor: V) -> Result<V::Value, Error> {
            Err(not_mirrored())
        }
    )*};
}

/// An object's key (the tape holds only keys without escapes): read as `serde_json` reads a
/// key into a string; a key read as anything else is left to `serde_json`.
struct KeyDe<'t>(&'t str);

impl<'t> Deserializer<'t> for KeyDe<'t> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_option<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_bool<V: Visitor<'t>>(self, _visitor: V) -> Result<V::Value, Error> {
        Err(not_mirrored())
    }

    fn deserialize_newtype_struct<V: Visitor<'t>>(
        self,
        _name: &'static str,
        _visitor: V,
    ) -> Result<V::Value, Error> {
        Err(not_mirrored())
    }

    fn deserialize_enum<V: Visitor<'t>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Error> {
        Err(not_mirrored())
    }

    fn deserialize_bytes<V: Visitor<'t>>(self, _visitor: V) -> Result<V::Value, Error> {
        Err(not_mirrored())
    }

    fn deserialize_byte_buf<V: Visitor<'t>>(self, _visitor: V) -> Result<V::Value, Error> {
        Err(not_mirrored())
    }

    by_key_number! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }

    forward_to_deserialize_any! {
        <W: Visitor<'t>>
        char str string unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::super::{tape_nodes, Kind, Tape};

    /// Node `i` and its subtree hold `v`: kinds, keys, and each node's text read alone.
    fn same(tape: &Tape, i: usize, v: &Value) {
        let alone: Value = serde_json::from_slice(tape.text(i)).expect("a node's text is JSON");
        assert_eq!(&alone, v);
        let children: Vec<usize> = tape.children(i).collect();
        match (tape.nodes[i].kind, v) {
            (Kind::Object, Value::Object(map)) => {
                assert_eq!(children.len(), map.len());
                for (c, (key, value)) in children.into_iter().zip(map) {
                    let n = &tape.nodes[c];
                    assert_eq!(tape.span(n.key_start, n.key_end), key.as_bytes());
                    same(tape, c, value);
                }
            }
            (Kind::Array, Value::Array(items)) => {
                assert_eq!(children.len(), items.len());
                for (c, value) in children.into_iter().zip(items) {
                    same(tape, c, value);
                }
            }
            (kind, v) => {
                assert!(children.is_empty());
                assert!(!matches!(kind, Kind::Object | Kind::Array), "{v}");
            }
        }
    }

    /// `text` with whitespace after every `{`, `[`, `,` and `:` and before every `}` and `]`
    /// outside strings.
    fn spread(text: &str) -> String {
        let (mut out, mut in_str, mut escaped) = (String::new(), false, false);
        for ch in text.chars() {
            if in_str {
                out.push(ch);
                in_str = escaped || ch != '"';
                escaped = !escaped && ch == '\\';
                continue;
            }
            match ch {
                '"' => {
                    in_str = true;
                    out.push(ch);
                }
                '{' | '[' | ',' | ':' => {
                    out.push(ch);
                    out.push_str(" \n\t");
                }
                '}' | ']' => {
                    out.push_str("\r\n ");
                    out.push(ch);
                }
                _ => out.push(ch),
            }
        }
        out
    }

    #[test]
    fn every_node_spans_its_own_text() {
        let bodies = [
            r#"{"success":true,"message":null,"model":{"transactionId":524,"amount":40.11,"t":"a\"b"}}"#,
            r#"[[],{},[[1,2],[{"a":[]}]],{"x":{"y":{"z":[0,{"w":false}]}}},"s",-0.5,null]"#,
            r#"{"data":{"items":[{"id":"a"},{"id":7}],"0":"zero"},"errors":[{"code":"X"}],"e":{}}"#,
            r#"{"a":[{"b":[{"c":{}}]}],"d":[[[["deep"]]]],"f":[true,false,null,1,"1"]}"#,
            "[]",
            "{}",
        ];
        for body in bodies {
            for text in [
                body.to_string(),
                spread(body),
                format!(" \n{}\t ", spread(body)),
            ] {
                let nodes = tape_nodes(text.as_bytes()).unwrap_or_else(|| panic!("{text}"));
                let tape = Tape {
                    body: bytes::Bytes::copy_from_slice(text.as_bytes()),
                    nodes,
                };
                let tree: Value = serde_json::from_str(&text).expect("JSON");
                same(&tape, 0, &tree);
                assert_eq!(tape.nodes[0].next as usize, tape.nodes.len());
            }
        }
    }
}
