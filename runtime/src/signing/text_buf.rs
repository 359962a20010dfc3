//! The buffer a canonical string is written into: on the stack up to a size that holds the
//! usual signed body (no heap allocation per call), moved to the heap beyond it.

use arrayvec::ArrayString;

/// Bytes kept on the stack before the buffer moves to the heap (a signed request body's
/// canonical string is typically 100-400 bytes).
const INLINE: usize = 512;

/// A growable text buffer.
#[derive(Default)]
pub(crate) struct TextBuf {
    inline: ArrayString<INLINE>,
    /// Every byte once the text outgrew `inline` (`inline` is then unused).
    heap: Option<String>,
}

impl TextBuf {
    /// An empty buffer.
    pub(crate) fn new() -> Self {
        TextBuf::default()
    }

    /// Appends `text`.
    pub(crate) fn push_str(&mut self, text: &str) {
        match &mut self.heap {
            Some(heap) => heap.push_str(text),
            None => {
                let pushed = match text.as_bytes() {
                    // a one-byte text (a separator) is ASCII: no copy call for it
                    [b] => self.inline.try_push(char::from(*b)).is_ok(),
                    _ => self.inline.try_push_str(text).is_ok(),
                };
                if !pushed {
                    self.move_to_heap(text);
                }
            }
        }
    }

    #[cold]
    fn move_to_heap(&mut self, text: &str) {
        let mut heap = String::with_capacity(2 * (self.inline.len() + text.len()));
        heap.push_str(&self.inline);
        heap.push_str(text);
        self.inline.clear();
        self.heap = Some(heap);
    }

    /// Appends `text` lower-cased (ASCII in place after copying, other text by Unicode rules).
    pub(crate) fn push_lower(&mut self, text: &str) {
        // one scan decides the usual case: an ASCII key already in lower case
        match text
            .bytes()
            .find(|b| !b.is_ascii() || b.is_ascii_uppercase())
        {
            None => return self.push_str(text),
            Some(b) if !b.is_ascii() || !text.is_ascii() => {
                return self.push_str(&text.to_lowercase())
            }
            Some(_) => {}
        }
        let start = self.len();
        self.push_str(text);
        let written = match &mut self.heap {
            Some(heap) => heap.get_mut(start..),
            None => self.inline.get_mut(start..),
        };
        if let Some(written) = written {
            written.make_ascii_lowercase();
        }
    }

    /// Bytes written so far.
    pub(crate) fn len(&self) -> usize {
        self.as_str().len()
    }

    /// Drops what was written after the first `len` bytes (`len` at a boundary [`len`] gave).
    pub(crate) fn truncate(&mut self, len: usize) {
        match &mut self.heap {
            Some(heap) => heap.truncate(len),
            None => self.inline.truncate(len),
        }
    }

    /// The text written so far.
    pub(crate) fn as_str(&self) -> &str {
        match &self.heap {
            Some(heap) => heap,
            None => &self.inline,
        }
    }

    /// The bytes written so far.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.as_str().as_bytes()
    }

    /// The text as an owned string.
    pub(crate) fn into_string(self) -> String {
        match self.heap {
            Some(heap) => heap,
            None => self.inline.to_string(),
        }
    }
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
    for b in text.bytes() {
        // `char::is_whitespace` counts the vertical tab, `u8::is_ascii_whitespace` does not
        if b.is_ascii_whitespace() || b == 0x0b {
            continue;
        }
        if b.is_ascii() {
            return false;
        }
        return text.trim().is_empty();
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
