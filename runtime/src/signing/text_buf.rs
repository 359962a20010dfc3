//! The buffer a canonical string is written into: on the stack up to a size that holds the
//! usual signed body (no heap allocation per call), spilling to the heap beyond it. Only `str`
//! pieces are written, so its bytes are always UTF-8.

use smallvec::SmallVec;

/// Bytes kept on the stack before the buffer spills to the heap (a signed request body's
/// canonical string is typically 100-400 bytes).
const INLINE: usize = 512;

/// A growable text buffer written with `str` pieces.
#[derive(Default)]
pub(crate) struct TextBuf {
    bytes: SmallVec<[u8; INLINE]>,
}

impl TextBuf {
    /// An empty buffer.
    pub(crate) fn new() -> Self {
        TextBuf::default()
    }

    /// Appends `text`.
    pub(crate) fn push_str(&mut self, text: &str) {
        self.bytes.extend_from_slice(text.as_bytes());
    }

    /// Appends `text` lower-cased (ASCII by a byte map, other text by Unicode rules).
    pub(crate) fn push_lower(&mut self, text: &str) {
        if text.is_ascii() {
            self.bytes
                .extend(text.bytes().map(|b| b.to_ascii_lowercase()));
        } else {
            self.push_str(&text.to_lowercase());
        }
    }

    /// The bytes written so far.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The text written so far (always UTF-8: only `str` pieces are written).
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes).unwrap_or_default()
    }

    /// The text as an owned string.
    pub(crate) fn into_string(self) -> String {
        String::from_utf8(self.bytes.into_vec())
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

/// Whether `text` is empty or whitespace only (`str::trim` semantics), deciding by a byte scan
/// when the text is ASCII or its first non-space byte is ASCII.
pub(crate) fn is_blank(text: &str) -> bool {
    for b in text.bytes() {
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
        for t in [
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
        ] {
            assert_eq!(is_blank(t), t.trim().is_empty(), "{t:?}");
        }
    }

    #[test]
    fn writes_lower_case_and_spills_past_the_inline_size() {
        let mut b = TextBuf::new();
        b.push_lower("AbC");
        b.push_lower("ÄÖ");
        assert_eq!(b.as_str(), "abcäö");
        let long = "x".repeat(2 * INLINE);
        b.push_str(&long);
        assert_eq!(b.as_bytes().len(), 2 * INLINE + 7);
        assert!(b.into_string().ends_with("xxx"));
    }
}
