//! The buffer a canonical string is written into: on the stack up to a size that holds the
//! usual signed body (no heap allocation per call), moved to the heap beyond it.

/// Bytes kept on the stack before the buffer moves to the heap (a signed request body's
/// canonical string is typically 100-400 bytes).
const INLINE: usize = 512;

/// A growable text buffer. Only whole `&str`s are appended (and ASCII letters lower-cased in
/// place), so its bytes are always UTF-8.
pub(crate) struct TextBuf {
    inline: [u8; INLINE],
    /// Bytes of `inline` written.
    len: usize,
    /// Every byte once the text outgrew `inline` (`inline` is then unused).
    heap: Option<Vec<u8>>,
}

impl Default for TextBuf {
    fn default() -> Self {
        TextBuf {
            inline: [0; INLINE],
            len: 0,
            heap: None,
        }
    }
}

impl TextBuf {
    /// An empty buffer.
    pub(crate) fn new() -> Self {
        TextBuf::default()
    }

    /// Appends `text`.
    #[inline]
    pub(crate) fn push_str(&mut self, text: &str) {
        let bytes = text.as_bytes();
        if self.heap.is_none() {
            let end = self.len + bytes.len();
            if let Some(to) = self.inline.get_mut(self.len..end) {
                copy_short(to, bytes);
                self.len = end;
                return;
            }
        }
        self.push_on_heap(bytes);
    }

    /// Appends one ASCII byte (a [`Lit`] of one byte).
    #[inline]
    fn push_ascii(&mut self, byte: u8) {
        if self.heap.is_none() {
            if let Some(slot) = self.inline.get_mut(self.len) {
                *slot = byte;
                self.len += 1;
                return;
            }
        }
        self.push_on_heap(&[byte]);
    }

    #[cold]
    fn push_on_heap(&mut self, bytes: &[u8]) {
        let heap = self.heap.get_or_insert_with(|| {
            let written = self.inline.get(..self.len).unwrap_or_default();
            let mut heap = Vec::with_capacity(2 * (written.len() + bytes.len()));
            heap.extend_from_slice(written);
            heap
        });
        heap.extend_from_slice(bytes);
    }

    /// Appends `text` lower-cased (ASCII in place after copying, other text by Unicode rules).
    #[inline]
    pub(crate) fn push_lower(&mut self, text: &str) {
        // the usual case, an ASCII key already in lower case, decided eight bytes at a time
        if !has_upper_or_non_ascii(text.as_bytes()) {
            return self.push_str(text);
        }
        self.push_lowered(text);
    }

    #[cold]
    fn push_lowered(&mut self, text: &str) {
        if !text.is_ascii() {
            return self.push_str(&text.to_lowercase());
        }
        let start = self.len();
        self.push_str(text);
        let written = match &mut self.heap {
            Some(heap) => heap.get_mut(start..),
            None => self.inline.get_mut(start..self.len),
        };
        if let Some(written) = written {
            written.make_ascii_lowercase();
        }
    }

    /// Bytes written so far.
    pub(crate) fn len(&self) -> usize {
        self.as_bytes().len()
    }

    /// Drops what was written after the first `len` bytes (`len` at a boundary [`len`] gave).
    pub(crate) fn truncate(&mut self, len: usize) {
        match &mut self.heap {
            Some(heap) => heap.truncate(len),
            None => self.len = self.len.min(len),
        }
    }

    /// The text written so far.
    pub(crate) fn as_str(&self) -> &str {
        // only whole texts were appended: the bytes are UTF-8
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// The bytes written so far.
    #[inline]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match &self.heap {
            Some(heap) => heap,
            None => self.inline.get(..self.len).unwrap_or_default(),
        }
    }

    /// The bytes of `span` (a range [`len`] gave), empty when out of range.
    pub(crate) fn bytes_at(&self, span: std::ops::Range<usize>) -> &[u8] {
        self.as_bytes().get(span).unwrap_or_default()
    }

    /// The text as an owned string.
    pub(crate) fn into_string(self) -> String {
        self.as_str().to_owned()
    }
}

/// A literal text fixed when a recipe is compiled (a separator, a template's text), kept in
/// the form cheapest to append: most are empty or one byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lit {
    Empty,
    /// One byte (of a one-byte text, so ASCII).
    Byte(u8),
    Text(Box<str>),
}

impl Lit {
    pub(crate) fn new(text: &str) -> Lit {
        match text.as_bytes() {
            [] => Lit::Empty,
            [byte] => Lit::Byte(*byte),
            _ => Lit::Text(text.into()),
        }
    }

    /// Appends the text to `out`.
    #[inline]
    pub(crate) fn push_to(&self, out: &mut TextBuf) {
        match self {
            Lit::Empty => {}
            Lit::Byte(byte) => out.push_ascii(*byte),
            Lit::Text(text) => out.push_str(text),
        }
    }
}

/// Copies `from` into `to` (of the same length): texts of up to 16 bytes (most keys and
/// values) by two overlapping fixed-size moves instead of a `memcpy` call.
#[inline]
fn copy_short(to: &mut [u8], from: &[u8]) {
    let n = from.len();
    match (to.get_mut(..n), n) {
        (Some(to), 8..=16) => {
            to[..8].copy_from_slice(&from[..8]);
            to[n - 8..].copy_from_slice(&from[n - 8..]);
        }
        (Some(to), 4..=7) => {
            to[..4].copy_from_slice(&from[..4]);
            to[n - 4..].copy_from_slice(&from[n - 4..]);
        }
        (Some(to), 1..=3) => {
            to[0] = from[0];
            to[n / 2] = from[n / 2];
            to[n - 1] = from[n - 1];
        }
        (Some(to), _) => to.copy_from_slice(from),
        (None, _) => {}
    }
}

/// Whether `bytes` hold an ASCII upper-case letter or a non-ASCII byte, read eight bytes at a
/// time (a key is usually 4-20 bytes: two or three words instead of one step per byte).
pub(crate) fn has_upper_or_non_ascii(bytes: &[u8]) -> bool {
    if bytes.len() < 8 {
        return bytes
            .iter()
            .any(|&b| b >= 0x80 || b.wrapping_sub(b'A') < 26);
    }
    let mut words = bytes.chunks_exact(8);
    let tail = words.remainder();
    let hit = words.any(word_has_upper_or_non_ascii);
    // the last eight bytes overlap the words already read: no byte loop for the tail
    hit || (!tail.is_empty() && word_has_upper_or_non_ascii(&bytes[bytes.len() - 8..]))
}

/// [`has_upper_or_non_ascii`] of exactly eight bytes.
#[inline]
fn word_has_upper_or_non_ascii(eight: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut word = [0u8; 8];
    word.copy_from_slice(eight);
    let w = u64::from_le_bytes(word);
    // for a byte b below 0x80 (no carry between bytes), b + 0x3f has its top bit set when
    // b >= b'A' and b + 0x25 when b > b'Z'; a byte at or above 0x80 answers yes by itself
    let upper = w.wrapping_add(0x3f * ONES) & !w.wrapping_add(0x25 * ONES);
    (w | upper) & HIGH != 0
}

/// Byte order of two keys (as `<[u8]>::cmp`), comparing short keys inline: keys of one object
/// usually differ within their first bytes, where a `memcmp` call costs more than the loop.
pub(crate) fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    for (x, y) in a.bytes().zip(b.bytes()) {
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
}

/// Whether `text` is empty or whitespace only (`str::trim` semantics), deciding by a byte scan
/// when the text is ASCII or its first non-space byte is ASCII.
pub(crate) fn is_blank(text: &str) -> bool {
    is_blank_bytes(text.as_bytes())
}

/// [`is_blank`] of UTF-8 bytes (bytes that are not UTF-8 are not blank).
pub(crate) fn is_blank_bytes(bytes: &[u8]) -> bool {
    for &b in bytes {
        // `char::is_whitespace` counts the vertical tab, `u8::is_ascii_whitespace` does not
        if b.is_ascii_whitespace() || b == 0x0b {
            continue;
        }
        if b.is_ascii() {
            return false;
        }
        return std::str::from_utf8(bytes).is_ok_and(|t| t.trim().is_empty());
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_matches_trim_for_ascii_and_unicode_space() {
        let texts = [
            "",
            " ",
            "\t\n\r",
            "\u{0b}\u{0c}",
            "\u{a0}",
            " \u{3000} ",
            "a",
            " a",
            "\u{a0}x",
            "é",
        ];
        for t in texts {
            assert_eq!(is_blank(t), t.trim().is_empty(), "{t:?}");
        }
    }

    #[test]
    fn upper_or_non_ascii_matches_a_byte_scan_at_every_length_and_position() {
        let slow = |b: &[u8]| b.iter().any(|c| !c.is_ascii() || c.is_ascii_uppercase());
        for len in 0..40 {
            for at in 0..len.max(1) {
                for probe in [
                    b'A', b'Z', b'@', b'[', b'a', b'z', b'0', b' ', 0x7f, 0x80, 0xc3, 0xff,
                ] {
                    let mut bytes = vec![b'k'; len];
                    if let Some(b) = bytes.get_mut(at) {
                        *b = probe;
                    }
                    assert_eq!(
                        has_upper_or_non_ascii(&bytes),
                        slow(&bytes),
                        "{len} {at} {probe:#x}"
                    );
                }
            }
        }
    }

    #[test]
    fn short_and_long_texts_are_copied_whole() {
        let text: String = ('a'..='z').chain('A'..='Z').collect();
        for len in 0..text.len() {
            let mut b = TextBuf::new();
            b.push_str("<");
            b.push_str(&text[..len]);
            b.push_str(">");
            assert_eq!(b.as_str(), format!("<{}>", &text[..len]));
        }
    }

    #[test]
    fn literals_append_their_text() {
        for text in ["", ";", "&", "é", "::", "<|>"] {
            let mut b = TextBuf::new();
            b.push_str("a");
            Lit::new(text).push_to(&mut b);
            assert_eq!(b.as_str(), format!("a{text}"));
        }
        let mut full = TextBuf::new();
        full.push_str(&"x".repeat(INLINE));
        Lit::new(";").push_to(&mut full);
        assert_eq!(full.as_str(), format!("{};", "x".repeat(INLINE)));
    }

    #[test]
    fn key_order_is_byte_order() {
        let keys = ["", "a", "B", "ab", "aB", "a b", "é", "e", "ee", "z", "Z"];
        for a in keys {
            for b in keys {
                assert_eq!(
                    key_order(a, b),
                    a.as_bytes().cmp(b.as_bytes()),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn writes_lower_case_truncates_and_moves_to_the_heap_past_the_inline_size() {
        let mut b = TextBuf::new();
        b.push_lower("AbC");
        b.push_lower("ÄÖ");
        assert_eq!(b.as_str(), "abcäö");
        b.push_lower("x_y");
        b.push_lower("aÉ");
        assert_eq!(b.as_str(), "abcäöx_yaé");
        b.truncate(7);
        b.push_str("xyz");
        b.truncate(7);
        assert_eq!(b.as_str(), "abcäö");
        let long = "x".repeat(INLINE);
        b.push_str(&long);
        b.push_lower("Q");
        assert_eq!(b.len(), INLINE + 8);
        assert!(b.as_str().starts_with("abcäöxx"));
        b.truncate(INLINE + 7);
        assert_eq!(b.into_string(), format!("abcäö{long}"));
    }
}
