//! JSON text of scalars written straight into a byte buffer, byte-identical to `serde_json`'s
//! compact writer: string literals (escaped by `serde_json`'s rules: `"`, `\`, and the control
//! bytes below 0x20, nothing else) and integers. A string that needs no escape (the common case)
//! is found by scanning eight bytes at a time and copied in one piece.

/// What `serde_json` writes after a backslash for byte `b` (`u` for `\u00XX`), or 0 when `b` is
/// written as it is.
static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0A] = b'n';
    table[0x0C] = b'f';
    table[0x0D] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);

/// Whether some byte of `word` is zero (exact as a yes/no answer).
#[inline]
fn has_zero_byte(word: u64) -> bool {
    word.wrapping_sub(ONES) & !word & HIGHS != 0
}

/// Whether some byte of `word` is below 0x20, a quote or a backslash.
#[inline]
fn word_needs_escape(word: u64) -> bool {
    // a byte below 0x20 (`haszero` on the byte with its top three bits kept: it is zero exactly
    // when the byte is below 0x20), a `"`, a `\`
    let below_space = has_zero_byte(word & u64::from_ne_bytes([0xE0; 8]));
    let quote = has_zero_byte(word ^ u64::from_ne_bytes([b'"'; 8]));
    let backslash = has_zero_byte(word ^ u64::from_ne_bytes([b'\\'; 8]));
    below_space | quote | backslash
}

/// The eight bytes of `bytes` from `at` as one word.
#[inline]
fn word_at(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_ne_bytes(word)
}

/// The four bytes of `bytes` from `at` as one number.
#[inline]
fn half_at(bytes: &[u8], at: usize) -> u32 {
    let mut half = [0u8; 4];
    half.copy_from_slice(&bytes[at..at + 4]);
    u32::from_ne_bytes(half)
}

/// Whether some byte of `bytes` is written escaped: whole words, then the last eight bytes
/// (overlapping the words before); a text of four to seven bytes as its first and last four
/// bytes in one word; a shorter one byte by byte (no copy into a padded buffer).
#[inline]
pub(crate) fn needs_escape(bytes: &[u8]) -> bool {
    let n = bytes.len();
    if n < 4 {
        return bytes.iter().any(|&b| ESCAPE[usize::from(b)] != 0);
    }
    if n < 8 {
        return word_needs_escape(
            u64::from(half_at(bytes, 0)) | u64::from(half_at(bytes, n - 4)) << 32,
        );
    }
    let mut at = 0;
    while at + 8 <= n {
        if word_needs_escape(word_at(bytes, at)) {
            return true;
        }
        at += 8;
    }
    at != n && word_needs_escape(word_at(bytes, n - 8))
}

/// `text` as a JSON string literal, escaped exactly as `serde_json` escapes it (inlined into
/// the tree's writer: a call's register saves cost as much as a short text's check).
#[inline(always)]
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    if bytes.len() <= SHORT && write_short(out, bytes, b"") {
        return;
    }
    write_long(out, bytes);
}

/// An object key and its colon (`"key":`), escaped as [`write_str`] escapes it.
#[inline(always)]
pub fn write_key(out: &mut Vec<u8>, key: &str) {
    let bytes = key.as_bytes();
    if bytes.len() <= SHORT && write_short(out, bytes, b":") {
        return;
    }
    write_long(out, bytes);
    out.push(b':');
}

/// [`write_key`] for a key known to need no escape ([`needs_escape`] said so when it was
/// set): no check.
#[inline(always)]
pub fn write_plain_key(out: &mut Vec<u8>, key: &str) {
    let bytes = key.as_bytes();
    debug_assert!(!needs_escape(bytes), "{key:?} needs an escape");
    if bytes.len() <= SHORT {
        return store_short(out, bytes, short_pieces(bytes), b":");
    }
    out.reserve(bytes.len() + 3);
    out.push(b'"');
    out.extend_from_slice(bytes);
    out.extend_from_slice(b"\":");
}

/// The longest text [`write_short`] writes.
const SHORT: usize = 16;

/// A short text read for checking and copying: two overlapping words (8 to 16 bytes), two
/// overlapping halves (4 to 7), or its bytes (fewer).
#[derive(Clone, Copy)]
enum Pieces {
    Words(u64, u64),
    Halves(u32, u32),
    Bytes,
}

#[inline(always)]
fn short_pieces(bytes: &[u8]) -> Pieces {
    let n = bytes.len();
    if n >= 8 {
        Pieces::Words(word_at(bytes, 0), word_at(bytes, n - 8))
    } else if n >= 4 {
        Pieces::Halves(half_at(bytes, 0), half_at(bytes, n - 4))
    } else {
        Pieces::Bytes
    }
}

/// Writes a text of at most [`SHORT`] bytes that needs no escape as a literal followed by
/// `tail` (at most one byte), with no call to `memcpy`: the text is read as two overlapping
/// words (or halves, or bytes), which the escape check reads too; a run of quotes is appended,
/// the words stored over it and the run cut to length. Everything is stored straight into
/// `out` (a stack buffer copied in one wide load would wait on the narrower stores that filled
/// it). `false` (nothing written) when the text needs an escape.
#[inline(always)]
fn write_short(out: &mut Vec<u8>, bytes: &[u8], tail: &[u8]) -> bool {
    let pieces = short_pieces(bytes);
    let escape = match pieces {
        Pieces::Words(first, last) => word_needs_escape(first) || word_needs_escape(last),
        Pieces::Halves(first, last) => word_needs_escape(u64::from(first) | u64::from(last) << 32),
        Pieces::Bytes => bytes.iter().any(|&b| ESCAPE[usize::from(b)] != 0),
    };
    if escape {
        return false;
    }
    store_short(out, bytes, pieces, tail);
    true
}

/// Appends `"`, the short text (its `pieces`), `"` and `tail` (see [`write_short`]).
#[inline(always)]
fn store_short(out: &mut Vec<u8>, bytes: &[u8], pieces: Pieces, tail: &[u8]) {
    let n = bytes.len();
    let start = out.len();
    out.extend_from_slice(&[b'"'; SHORT + 3]);
    let run = &mut out[start + 1..];
    match pieces {
        Pieces::Words(first, last) => {
            run[..8].copy_from_slice(&first.to_ne_bytes());
            run[n - 8..n].copy_from_slice(&last.to_ne_bytes());
        }
        Pieces::Halves(first, last) => {
            run[..4].copy_from_slice(&first.to_ne_bytes());
            run[n - 4..n].copy_from_slice(&last.to_ne_bytes());
        }
        Pieces::Bytes => {
            for (i, &b) in bytes.iter().enumerate() {
                run[i] = b;
            }
        }
    }
    let mut len = n + 2;
    if let Some(&t) = tail.first() {
        out[start + len] = t;
        len += 1;
    }
    out.truncate(start + len);
}

/// A literal of any length: copied in one piece when it needs no escape.
fn write_long(out: &mut Vec<u8>, bytes: &[u8]) {
    if needs_escape(bytes) {
        return write_escaped(out, bytes);
    }
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    out.extend_from_slice(bytes);
    out.push(b'"');
}

/// A string literal with escapes, one byte at a time (the rare case).
#[cold]
fn write_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = ESCAPE[usize::from(b)];
        if escape == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        if escape == b'u' {
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xF)],
            ]);
        } else {
            out.extend_from_slice(&[b'\\', escape]);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// An integer as JSON text (no intermediate `String`).
#[inline]
pub fn write_int(out: &mut Vec<u8>, n: i64) {
    let mut buffer = itoa::Buffer::new();
    out.extend_from_slice(buffer.format(n).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(text: &str) -> String {
        let mut out = Vec::new();
        write_str(&mut out, text);
        String::from_utf8(out).unwrap_or_default()
    }

    fn serde(text: &str) -> String {
        serde_json::to_string(text).unwrap_or_default()
    }

    #[test]
    fn every_single_byte_and_char_is_escaped_as_serde_json_escapes_it() {
        for c in (0u32..0x800).chain([0x2028, 0x2029, 0xFEFF, 0xFFFD, 0x1F680]) {
            let Some(c) = char::from_u32(c) else {
                continue;
            };
            for text in [
                c.to_string(),
                format!("abcdefg{c}"),
                format!("{c}abcdefghijklmnop"),
                format!("abcdefgh{c}{c}ijklmnop{c}"),
            ] {
                assert_eq!(written(&text), serde(&text), "{:?}", text);
            }
        }
    }

    #[test]
    fn escapes_at_every_offset_of_a_word_are_found() {
        for len in 0..40 {
            for at in 0..len {
                for special in [
                    '"', '\\', '\u{0}', '\u{1f}', '\n', '\u{7f}', 'é', '\u{2028}',
                ] {
                    let text: String = (0..len)
                        .map(|i| if i == at { special } else { 'x' })
                        .collect();
                    assert_eq!(written(&text), serde(&text), "{:?}", text);
                }
            }
        }
    }

    #[test]
    fn mixed_texts_match_serde_json() {
        for text in [
            "",
            "plain ascii text that needs nothing",
            "a \"quoted\" \\ back/slash",
            "\u{1}\u{1f}\t\n\r\u{8}\u{c}\u{b}",
            "Grüße, 東京 🚀 \u{2028}\u{2029}",
            "text/html,application/xhtml+xml,application/xml",
            "\u{7f}\u{80}\u{ff}",
            "ends with a backslash \\",
        ] {
            assert_eq!(written(text), serde(text), "{text:?}");
        }
    }

    #[test]
    fn keys_are_written_with_their_colon_as_serde_json_writes_them() {
        for len in 0..40 {
            for special in ['x', '"', '\\', '\u{1}', 'é'] {
                let key: String = (0..len)
                    .map(|i| if i + 1 == len { special } else { 'k' })
                    .collect();
                let mut out = Vec::new();
                write_key(&mut out, &key);
                let expected = format!("{}:", serde(&key));
                assert_eq!(String::from_utf8_lossy(&out), expected, "{key:?}");
            }
        }
    }

    #[test]
    fn plain_keys_are_written_as_checked_keys_are() {
        for len in 0..40 {
            let key: String = (0..len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            let (mut plain, mut checked) = (b"{".to_vec(), b"{".to_vec());
            write_plain_key(&mut plain, &key);
            write_key(&mut checked, &key);
            assert_eq!(plain, checked, "{key:?}");
        }
    }

    #[test]
    fn short_texts_append_to_what_is_already_written() {
        const TEXTS: [&str; 8] = [
            "",
            "a",
            "ab\"",
            "abcd",
            "abcdefg",
            "abcdefgh",
            "0123456789abcdef",
            "x",
        ];
        let mut out = b"[".to_vec();
        for text in TEXTS {
            write_str(&mut out, text);
            out.push(b',');
        }
        let expected: Vec<String> = TEXTS.iter().map(|t| serde(t)).collect();
        assert_eq!(
            String::from_utf8_lossy(&out),
            format!("[{},", expected.join(","))
        );
    }

    #[test]
    fn integers_match_serde_json() {
        for n in [0, 1, -1, 9, 10, -10, 4011, i64::MAX, i64::MIN, 900_000] {
            let mut out = Vec::new();
            write_int(&mut out, n);
            assert_eq!(out, serde_json::to_vec(&n).unwrap_or_default(), "{n}");
        }
    }
}
