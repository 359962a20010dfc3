//! An answer's JSON body parsed once, without a `serde_json::Value` tree ([`AnswerJson`]): a
//! flat tape of nodes holding byte spans into the body (one allocation for the whole answer; no
//! key, string or number copied, nothing hashed), read by the error envelope, the variant rules
//! and the typed decode (which reads the body's bytes with serde, as hand-written code does).
//!
//! `serde_json` scans the body (no JSON parser of our own, so the tape reads the same bytes the
//! typed decode reads); the tape records its values' spans. It takes a subset of JSON: anything
//! outside it (a key with an escape or met twice, a `\u` escape, a number with an exponent, a
//! very deep or wide body, bytes that are not JSON) is parsed by `serde_json` into a `Value`
//! exactly as before, so an answer is accepted, read and refused as it always was.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::wire_tree::{WireObject, WireValue};

mod integer;
mod tape_de;

pub(crate) use integer::{plain_integer, PlainInteger};

/// Nesting the tape takes (deeper bodies go to `serde_json`, whose limit is 128).
const MAX_DEPTH: u32 = 64;
/// Keys per object the tape takes (a key whose filter bit is set is looked for pairwise).
const MAX_KEYS: usize = 64;

/// The kind of one tape node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    True,
    False,
    Number,
    /// A string without escapes.
    Str,
    /// A string with `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r` or `\t` escapes.
    EscapedStr,
    Array,
    Object,
}

/// One value on the tape: its kind, its key in the enclosing object (a span of the key's text
/// without quotes; empty outside objects), its JSON text's span (strings with their quotes) and
/// the index of the node after its subtree.
#[derive(Debug, Clone, Copy)]
struct Node {
    kind: Kind,
    key_start: u32,
    key_end: u32,
    start: u32,
    end: u32,
    next: u32,
}

/// A body on the tape: the body (a reference count, not a copy) and its nodes in document
/// order; node 0 is the root.
#[derive(Clone)]
struct Tape {
    body: Bytes,
    nodes: Vec<Node>,
}

/// What a path finds, as the `json_path` comparisons read it.
#[derive(Debug, Clone, PartialEq)]
pub enum View<'a> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number's exact text.
    Number(&'a str),
    /// A string's text (escapes resolved).
    Str(Cow<'a, str>),
    /// An array or an object.
    Container,
}

/// An answer's body parsed as JSON: on the tape when the body is in its subset, else the
/// `serde_json` tree. Read with the `json_path` functions; [`AnswerJson::value`] gives the
/// `serde_json::Value` for what needs one (recordings, tools).
#[derive(Clone)]
pub struct AnswerJson {
    repr: Repr,
}

#[derive(Clone)]
enum Repr {
    Tape(Tape),
    Tree(Value),
}

impl fmt::Debug for AnswerJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // an answer may carry card data or tokens: the shape only
        let form = match &self.repr {
            Repr::Tape(_) => "tape",
            Repr::Tree(_) => "tree",
        };
        write!(f, "AnswerJson({form})")
    }
}

impl From<Value> for AnswerJson {
    fn from(value: Value) -> Self {
        AnswerJson {
            repr: Repr::Tree(value),
        }
    }
}

impl AnswerJson {
    /// The body parsed (on the tape when it can be), or `None` when it is blank or not JSON.
    pub fn parse(body: &Bytes) -> Option<AnswerJson> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        if let Some(nodes) = tape_nodes(body) {
            return Some(AnswerJson {
                repr: Repr::Tape(Tape {
                    body: body.clone(),
                    nodes,
                }),
            });
        }
        Self::parse_tree(body)
    }

    /// The body parsed into a `serde_json::Value` tree (a recording checks its signature over
    /// one), or `None` when it is blank or not JSON.
    pub fn parse_tree(body: &[u8]) -> Option<AnswerJson> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        serde_json::from_slice::<Value>(body)
            .ok()
            .map(AnswerJson::from)
    }

    /// The body as a `serde_json::Value` (borrowed when it was parsed into one).
    pub fn value(&self) -> Cow<'_, Value> {
        match &self.repr {
            Repr::Tree(v) => Cow::Borrowed(v),
            // the tape's subset is valid JSON to serde_json
            Repr::Tape(t) => Cow::Owned(serde_json::from_slice(&t.body).unwrap_or(Value::Null)),
        }
    }

    /// The bytes a typed decode reads directly, when the body is on the tape (a tree was built
    /// for a body outside the tape's subset and is read instead).
    pub(crate) fn tape_body(&self) -> Option<&[u8]> {
        match &self.repr {
            Repr::Tape(t) => Some(&t.body),
            Repr::Tree(_) => None,
        }
    }

    /// `T` decoded from the tape without reading the bytes again (`None` for a tree); an
    /// error here means only that this reading leaves `T` to `serde_json` (see `tape_de`).
    pub(crate) fn decode_tape<T: serde::de::DeserializeOwned>(
        &self,
    ) -> Option<Result<T, serde_json::Error>> {
        match &self.repr {
            Repr::Tape(t) => Some(tape_de::decode(t)),
            Repr::Tree(_) => None,
        }
    }

    /// A JSON object.
    pub fn is_object(&self) -> bool {
        match &self.repr {
            Repr::Tape(t) => t.nodes[0].kind == Kind::Object,
            Repr::Tree(v) => v.is_object(),
        }
    }

    /// A JSON array.
    pub fn is_array(&self) -> bool {
        match &self.repr {
            Repr::Tape(t) => t.nodes[0].kind == Kind::Array,
            Repr::Tree(v) => v.is_array(),
        }
    }

    /// The tree, when the body was parsed into one (the path lookups then read it).
    pub(crate) fn tree(&self) -> Option<&Value> {
        match &self.repr {
            Repr::Tape(_) => None,
            Repr::Tree(v) => Some(v),
        }
    }

    /// The body's top-level object as a wire tree borrowing its keys and strings (what
    /// signing reads), when the body is an object on the tape.
    pub fn wire_object(&self) -> Option<WireObject<'_>> {
        match &self.repr {
            Repr::Tape(t) if t.nodes[0].kind == Kind::Object => t.wire_object(0),
            _ => None,
        }
    }

    /// What `path` finds on the tape (`None` for a tree: read [`AnswerJson::tree`]); the path
    /// syntax is `json_path::at`'s.
    pub(crate) fn tape_view_at(&self, path: &str) -> Option<View<'_>> {
        match &self.repr {
            Repr::Tape(t) => t.walk(path).map(|i| t.view(i)),
            Repr::Tree(_) => None,
        }
    }

    /// The JSON text of what `path` finds on the tape (`None` for a tree).
    pub(crate) fn tape_json_at(&self, path: &str) -> Option<AnswerNode<'_>> {
        match &self.repr {
            Repr::Tape(t) => t.walk(path).map(|i| AnswerNode::Text(t.text(i))),
            Repr::Tree(_) => None,
        }
    }
}

/// One value of an [`AnswerJson`]: displayed as compact JSON, as `serde_json` writes it.
#[derive(Debug, Clone, Copy)]
pub enum AnswerNode<'a> {
    /// The value's JSON text on the tape.
    Text(&'a [u8]),
    /// A value of the tree.
    Value(&'a Value),
}

impl fmt::Display for AnswerNode<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnswerNode::Value(v) => fmt::Display::fmt(v, f),
            AnswerNode::Text(text) => match serde_json::from_slice::<Value>(text) {
                Ok(v) => fmt::Display::fmt(&v, f),
                Err(_) => f.write_str("null"),
            },
        }
    }
}

/// The view of a tree value.
pub(crate) fn view_of(v: &Value) -> View<'_> {
    match v {
        Value::Null => View::Null,
        Value::Bool(b) => View::Bool(*b),
        Value::Number(n) => View::Number(n.as_str()),
        Value::String(s) => View::Str(Cow::Borrowed(s)),
        Value::Array(_) | Value::Object(_) => View::Container,
    }
}

impl Tape {
    fn span(&self, start: u32, end: u32) -> &[u8] {
        &self.body[start as usize..end as usize]
    }

    fn text(&self, i: usize) -> &[u8] {
        let n = &self.nodes[i];
        self.span(n.start, n.end)
    }

    fn view(&self, i: usize) -> View<'_> {
        let n = &self.nodes[i];
        let inner = || self.span(n.start + 1, n.end - 1);
        match n.kind {
            Kind::Null => View::Null,
            Kind::True => View::Bool(true),
            Kind::False => View::Bool(false),
            Kind::Number => View::Number(std::str::from_utf8(self.text(i)).unwrap_or("0")),
            Kind::Str => View::Str(String::from_utf8_lossy(inner())),
            Kind::EscapedStr => View::Str(Cow::Owned(unescape(inner()))),
            Kind::Array | Kind::Object => View::Container,
        }
    }

    /// Object node `i` as a wire tree (keys and unescaped strings borrowed, numbers as their
    /// text: what `WireObject::from_json` makes of the same body's `Value`).
    fn wire_object(&self, i: usize) -> Option<WireObject<'_>> {
        let mut object = WireObject::with_capacity(self.children(i).count());
        for c in self.children(i) {
            let n = &self.nodes[c];
            let key = std::str::from_utf8(self.span(n.key_start, n.key_end)).ok()?;
            object.push(key, self.wire_value(c)?);
        }
        Some(object)
    }

    fn wire_value(&self, i: usize) -> Option<WireValue<'_>> {
        let n = &self.nodes[i];
        let inner = || self.span(n.start + 1, n.end - 1);
        Some(match n.kind {
            Kind::Null => WireValue::Null,
            Kind::True => WireValue::Bool(true),
            Kind::False => WireValue::Bool(false),
            Kind::Number => {
                WireValue::Number(Cow::Borrowed(std::str::from_utf8(self.text(i)).ok()?))
            }
            Kind::Str => WireValue::Str(Cow::Borrowed(std::str::from_utf8(inner()).ok()?)),
            Kind::EscapedStr => WireValue::Str(Cow::Owned(unescape(inner()))),
            Kind::Array => WireValue::List(
                self.children(i)
                    .map(|c| self.wire_value(c))
                    .collect::<Option<Vec<_>>>()?,
            ),
            Kind::Object => WireValue::Object(self.wire_object(i)?),
        })
    }

    /// The children of container node `i`.
    fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.nodes[i].next as usize;
        let mut at = i + 1;
        std::iter::from_fn(move || {
            (at < end).then(|| {
                let here = at;
                at = self.nodes[here].next as usize;
                here
            })
        })
    }

    /// `json_path`'s key step: an object's field, or an array's element by a numeric key.
    fn key_step(&self, i: usize, key: &[u8]) -> Option<usize> {
        match self.nodes[i].kind {
            Kind::Object => self.children(i).find(|&c| {
                let n = &self.nodes[c];
                (n.key_end - n.key_start) as usize == key.len()
                    && self.span(n.key_start, n.key_end) == key
            }),
            Kind::Array => self
                .children(i)
                .nth(std::str::from_utf8(key).ok()?.parse::<usize>().ok()?),
            _ => None,
        }
    }

    /// `[i][j]` steps.
    fn index_steps(&self, mut i: usize, mut brackets: &[u8]) -> Option<usize> {
        while let Some((b'[', rest)) = brackets.split_first() {
            let close = rest.iter().position(|&b| b == b']')?;
            let k: usize = std::str::from_utf8(&rest[..close]).ok()?.parse().ok()?;
            if self.nodes[i].kind != Kind::Array {
                return None;
            }
            i = self.children(i).nth(k)?;
            brackets = &rest[close + 1..];
        }
        brackets.is_empty().then_some(i)
    }

    /// The node `path` finds, step by step as `json_path::at` walks a tree (the path split
    /// at its ASCII `.` bytes, each segment a name up to its first `[`, then `[i]` steps),
    /// reading the path once: each name up to the first `.` or `[`, its steps up to the `.`.
    fn walk(&self, path: &str) -> Option<usize> {
        let mut i = 0;
        let mut rest = path.as_bytes();
        loop {
            let name_end = rest
                .iter()
                .position(|&b| b == b'.' || b == b'[')
                .unwrap_or(rest.len());
            let (name, after) = rest.split_at(name_end);
            if !name.is_empty() {
                i = self.key_step(i, name)?;
            }
            let steps_end = after.iter().position(|&b| b == b'.').unwrap_or(after.len());
            let (brackets, tail) = after.split_at(steps_end);
            i = self.index_steps(i, brackets)?;
            match tail.split_first() {
                Some((_, next)) => rest = next,
                None => return Some(i),
            }
        }
    }
}

/// A string's text with its simple escapes resolved (the tape takes no `\u` escape).
fn unescape(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.iter();
    while let Some(&b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        out.push(match bytes.next() {
            Some(b'b') => 0x08,
            Some(b'f') => 0x0c,
            Some(b'n') => b'\n',
            Some(b'r') => b'\r',
            Some(b't') => b'\t',
            Some(&other) => other,
            None => break,
        });
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The nodes of `body` when it is in the tape's subset of JSON; `None` otherwise. `serde_json`
/// does all the scanning: each value is read as a `RawValue` (its exact text, a slice of the
/// body, so its span is its offset in the body) and each container's text is read again one
/// level down, entry by entry; this code only records spans and keeps the subset's rules.
fn tape_nodes(body: &[u8]) -> Option<Vec<Node>> {
    if u32::try_from(body.len()).is_err() {
        return None;
    }
    let text = std::str::from_utf8(body).ok()?;
    // a container is read from the body itself (its end checked for trailing text); any
    // other value through a `RawValue`
    let trimmed = text.trim_matches([' ', '\t', '\n', '\r']);
    let root = if trimmed.starts_with(['{', '[']) {
        trimmed
    } else {
        serde_json::from_str::<&RawValue>(text).ok()?.get()
    };
    let mut tape = TapeBuilder {
        body: text,
        nodes: Vec::with_capacity(8 + body.len() / 16),
    };
    tape.value(root, 0, 0, 0)?;
    Some(tape.nodes)
}

/// The tape being built from the slices `serde_json` hands back.
struct TapeBuilder<'b> {
    /// The body: a slice's span is its address less the body's.
    body: &'b str,
    nodes: Vec<Node>,
}

impl TapeBuilder<'_> {
    /// The span of `part`, a slice of the body (the body's length was checked to fit a u32).
    fn span(&self, part: &str) -> (u32, u32) {
        let start = (part.as_ptr() as usize - self.body.as_ptr() as usize) as u32;
        (start, start + part.len() as u32)
    }

    /// One value (`raw`, its exact JSON text as `serde_json` validated it), its node pushed
    /// with key span `key_start..key_end`, at nesting `depth`.
    fn value(&mut self, raw: &str, key_start: u32, key_end: u32, depth: u32) -> Option<()> {
        let (start, end) = self.span(raw);
        let kind = match raw.as_bytes().first()? {
            b'{' | b'[' => {
                // serde_json reads `{` as a map and `[` as a sequence; `Entries` takes both
                let mut de = serde_json::Deserializer::from_str(raw);
                self.container(&mut de, start as usize, key_start, key_end, depth)
                    .ok()?;
                return de.end().ok();
            }
            b'"' => string_kind(raw)?,
            b't' => Kind::True,
            b'f' => Kind::False,
            b'n' => Kind::Null,
            // an exponent is left to serde_json, whose number text writes it in its own form
            // (`1E5` is `1e+5`)
            _ if raw.bytes().any(|b| matches!(b, b'e' | b'E')) => return None,
            _ => Kind::Number,
        };
        self.nodes.push(Node {
            kind,
            key_start,
            key_end,
            start,
            end,
            next: self.nodes.len() as u32 + 1,
        });
        Some(())
    }

    /// The object or array starting at byte `start`, read from `de` (positioned on it): its
    /// node, then its entries' nodes, each value scanned once.
    fn container<'de, D: serde::Deserializer<'de>>(
        &mut self,
        de: D,
        start: usize,
        key_start: u32,
        key_end: u32,
        depth: u32,
    ) -> Result<(), D::Error> {
        if depth >= MAX_DEPTH {
            return Err(outside());
        }
        let at = self.nodes.len();
        self.nodes.push(Node {
            kind: Kind::Null,
            key_start,
            key_end,
            start: start as u32,
            end: 0,
            next: 0,
        });
        de.deserialize_any(Entries {
            tape: self,
            at,
            depth,
        })?;
        let (kind, end) = self.closed(at).ok_or_else(outside)?;
        let next = self.nodes.len() as u32;
        let node = &mut self.nodes[at];
        node.kind = kind;
        node.end = end;
        node.next = next;
        Ok(())
    }

    /// The kind and the end of container node `at`, its entries read: after its last entry's
    /// text (or its opening bracket) only whitespace comes before its closing bracket.
    fn closed(&self, at: usize) -> Option<(Kind, u32)> {
        let start = self.nodes[at].start as usize;
        let mut after = start + 1;
        let mut c = at + 1;
        while c < self.nodes.len() {
            after = self.nodes[c].end as usize;
            c = self.nodes[c].next as usize;
        }
        let close = self.after_whitespace(after);
        let kind = match (
            self.body.as_bytes()[start],
            self.body.as_bytes().get(close)?,
        ) {
            (b'{', b'}') => Kind::Object,
            (b'[', b']') => Kind::Array,
            _ => return None,
        };
        Some((kind, close as u32 + 1))
    }

    /// The first byte at or after `at` that is not JSON whitespace.
    fn after_whitespace(&self, mut at: usize) -> usize {
        let body = self.body.as_bytes();
        while body
            .get(at)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            at += 1;
        }
        at
    }

    /// Where the next value starts after byte `at`: past whitespace, `separator` if it is
    /// there, and whitespace. `serde_json` reads the value itself; this only tells a container
    /// (read in one pass, entry by entry) from a scalar (read as a `RawValue`).
    fn next_value_at(&self, at: usize, separator: u8) -> usize {
        let at = self.after_whitespace(at);
        if self.body.as_bytes().get(at) == Some(&separator) {
            self.after_whitespace(at + 1)
        } else {
            at
        }
    }

    /// Whether the value at byte `at` is an object or an array.
    fn opens_container(&self, at: usize) -> bool {
        matches!(self.body.as_bytes().get(at), Some(b'{' | b'['))
    }

    /// Whether object `at` (still being read) already has this key.
    fn key_seen(&self, at: usize, key: &[u8]) -> bool {
        let body = self.body.as_bytes();
        let mut c = at + 1;
        while c < self.nodes.len() {
            let n = &self.nodes[c];
            // the lengths first: most keys differ in length
            let same_length = (n.key_end - n.key_start) as usize == key.len();
            if same_length && &body[n.key_start as usize..n.key_end as usize] == key {
                return true;
            }
            c = n.next as usize;
        }
        false
    }
}

/// One entry's value, starting at byte `start`: an object or array read by `serde_json`
/// straight onto the tape (one pass), any other value read as a `RawValue` (its exact text).
struct EntrySeed<'t, 'b> {
    tape: &'t mut TapeBuilder<'b>,
    start: usize,
    key_start: u32,
    key_end: u32,
    depth: u32,
}

impl<'de> de::DeserializeSeed<'de> for EntrySeed<'_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        let EntrySeed {
            tape,
            start,
            key_start,
            key_end,
            depth,
        } = self;
        if tape.opens_container(start) {
            return tape.container(de, start, key_start, key_end, depth);
        }
        let raw = <&'de RawValue as serde::Deserialize<'de>>::deserialize(de)?;
        tape.value(raw.get(), key_start, key_end, depth)
            .ok_or_else(outside)
    }
}

/// A string's kind from its JSON text: `\u` escapes (surrogates and all) are left to
/// serde_json.
fn string_kind(raw: &str) -> Option<Kind> {
    // most strings have no escape: one `memchr` pass
    if !raw.as_bytes().contains(&b'\\') {
        return Some(Kind::Str);
    }
    let mut bytes = raw.bytes();
    let mut kind = Kind::Str;
    while let Some(b) = bytes.next() {
        if b == b'\\' {
            if bytes.next()? == b'u' {
                return None;
            }
            kind = Kind::EscapedStr;
        }
    }
    Some(kind)
}

/// The entries of the container whose node is `at`, visited by `serde_json`: each value is
/// taken as a `RawValue` and put on the tape. A key with an escape (not borrowable as a
/// `&str`), a key met twice or more than [`MAX_KEYS`] keys leave the body to serde_json.
struct Entries<'t, 'b> {
    tape: &'t mut TapeBuilder<'b>,
    at: usize,
    depth: u32,
}

/// A key's bit in an object's filter of the keys read so far (from its length and its first
/// and last bytes): two keys with different bits differ, so only a key whose bit is already
/// set is looked for among the object's keys.
fn key_bit(key: &[u8]) -> u64 {
    let (first, last) = match key {
        [] => (0, 0),
        [only] => (*only, *only),
        [first, .., last] => (*first, *last),
    };
    let mixed =
        (key.len() as u32).wrapping_mul(31) ^ u32::from(first).wrapping_mul(7) ^ u32::from(last);
    1 << (mixed & 63)
}

/// Why the tape leaves a body to serde_json (never shown: the body is parsed again).
fn outside<E: de::Error>() -> E {
    E::custom("outside the tape's subset")
}

impl<'de> Visitor<'de> for Entries<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object or array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut keys = 0;
        // the bits of the keys read so far: a key whose bit is not set is not among them
        let mut read = 0u64;
        while let Some(key) = map.next_key::<&'de str>()? {
            let (key_start, key_end) = self.tape.span(key);
            keys += 1;
            let bit = key_bit(key.as_bytes());
            if keys > MAX_KEYS || (read & bit != 0 && self.tape.key_seen(self.at, key.as_bytes())) {
                return Err(outside());
            }
            read |= bit;
            map.next_value_seed(EntrySeed {
                // past the key's closing quote and `:`
                start: self.tape.next_value_at(key_end as usize + 1, b':'),
                tape: &mut *self.tape,
                key_start,
                key_end,
                depth: self.depth + 1,
            })?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut after = self.tape.nodes[self.at].start as usize + 1;
        loop {
            let element = self.tape.nodes.len();
            let read = seq.next_element_seed(EntrySeed {
                // past the previous element (or the bracket) and `,`
                start: self.tape.next_value_at(after, b','),
                tape: &mut *self.tape,
                key_start: 0,
                key_end: 0,
                depth: self.depth + 1,
            })?;
            if read.is_none() {
                return Ok(());
            }
            after = self.tape.nodes[element].end as usize;
        }
    }
}
