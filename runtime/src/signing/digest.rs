//! The encoding stage: digest or signature bytes as signature text (a `String` for the wire,
//! or stack bytes to compare a received signature against).

use base64::engine::Config as _;
use smallvec::SmallVec;

use super::recipe::Encoding;

/// Encoded signature text on the stack: the longest digest encoding (base64 of SHA-512's hex,
/// 172 bytes) fits; public-key signatures spill to the heap.
pub(crate) type EncodedBuf = SmallVec<[u8; 176]>;

/// Digest bytes as signature text.
pub(crate) fn encode(encoding: Encoding, bytes: &[u8]) -> String {
    match encoding {
        Encoding::Hex => return hex_string(bytes, false),
        Encoding::HexUpper => return hex_string(bytes, true),
        _ => {}
    }
    let text = encoded(encoding, bytes);
    // hex and base64 digits are ASCII
    std::str::from_utf8(&text).unwrap_or_default().to_owned()
}

/// Digest bytes as signature text, written on the stack (what verification compares).
pub(crate) fn encoded(encoding: Encoding, bytes: &[u8]) -> EncodedBuf {
    let mut out = EncodedBuf::new();
    match encoding {
        Encoding::Hex => push_hex(&mut out, bytes, b"0123456789abcdef"),
        Encoding::HexUpper => push_hex(&mut out, bytes, b"0123456789ABCDEF"),
        Encoding::Base64 => {
            push_base64(&mut out, bytes, &base64::engine::general_purpose::STANDARD)
        }
        Encoding::Base64OfHex => {
            let mut hex = EncodedBuf::new();
            push_hex(&mut hex, bytes, b"0123456789abcdef");
            push_base64(&mut out, &hex, &base64::engine::general_purpose::STANDARD);
        }
        Encoding::Base64Url => push_base64(
            &mut out,
            bytes,
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        ),
    }
    out
}

/// The two hex digits of every byte value, lower and upper case.
static HEX_PAIRS: [[[u8; 2]; 256]; 2] = [
    hex_pairs(b"0123456789abcdef"),
    hex_pairs(b"0123456789ABCDEF"),
];

const fn hex_pairs(digits: &[u8; 16]) -> [[u8; 2]; 256] {
    let mut pairs = [[0u8; 2]; 256];
    let mut b = 0;
    while b < 256 {
        pairs[b] = [digits[b >> 4], digits[b & 0x0f]];
        b += 1;
    }
    pairs
}

/// Hex digits of `bytes` (upper case when `upper`): written on the stack a byte's two digits
/// at a time, then copied into the returned string in one piece (public-key signatures,
/// longer, take the general path).
fn hex_string(bytes: &[u8], upper: bool) -> String {
    let pairs = &HEX_PAIRS[usize::from(upper)];
    let mut text = [0u8; 128];
    let Some(out) = text.get_mut(..2 * bytes.len()) else {
        let mut long = EncodedBuf::new();
        let digits = if upper {
            b"0123456789ABCDEF"
        } else {
            b"0123456789abcdef"
        };
        push_hex(&mut long, bytes, digits);
        return String::from_utf8_lossy(&long).into_owned();
    };
    for (pair, &b) in out.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&pairs[usize::from(b)]);
    }
    // hex digits are ASCII
    std::str::from_utf8(out).unwrap_or_default().to_owned()
}

fn push_hex(out: &mut EncodedBuf, bytes: &[u8], digits: &[u8; 16]) {
    let start = out.len();
    out.resize(start + 2 * bytes.len(), 0);
    for (pair, b) in out[start..].chunks_exact_mut(2).zip(bytes) {
        pair[0] = digits[usize::from(b >> 4)];
        pair[1] = digits[usize::from(b & 0x0f)];
    }
}

fn push_base64(out: &mut EncodedBuf, bytes: &[u8], engine: &impl base64::Engine) {
    let start = out.len();
    let padded = engine.config().encode_padding();
    let len = base64::encoded_len(bytes.len(), padded).unwrap_or(0);
    out.resize(start + len, 0);
    let written = engine.encode_slice(bytes, &mut out[start..]).unwrap_or(0);
    out.truncate(start + written);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_of_known_bytes() {
        let bytes = [0xde, 0xad, 0xbe, 0xef];
        assert_eq!(encode(Encoding::Hex, &bytes), "deadbeef");
        assert_eq!(encode(Encoding::HexUpper, &bytes), "DEADBEEF");
        assert_eq!(encode(Encoding::Base64, &bytes), "3q2+7w==");
        assert_eq!(encode(Encoding::Base64OfHex, &bytes), "ZGVhZGJlZWY=");
        assert_eq!(encode(Encoding::Hex, &[0x00, 0x0f, 0xf0, 0x7a]), "000ff07a");
        assert_eq!(encode(Encoding::Hex, &[]), "");
    }

    #[test]
    fn a_sha512_sized_digest_in_every_encoding() {
        // expected texts from Python's `bytes.hex` and `base64` over bytes 0..64
        let bytes: Vec<u8> = (0..64u8).collect();
        let hex: String = (0..64u8).map(|b| format!("{b:02x}")).collect();
        assert_eq!(encode(Encoding::Hex, &bytes), hex);
        assert_eq!(encode(Encoding::HexUpper, &bytes), hex.to_uppercase());
        assert_eq!(
            encode(Encoding::Base64, &bytes),
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw=="
        );
        assert_eq!(
            encode(Encoding::Base64OfHex, &bytes),
            "MDAwMTAyMDMwNDA1MDYwNzA4MDkwYTBiMGMwZDBlMGYxMDExMTIxMzE0MTUxNjE3MTgxOTFhMWIxYzFkMWUxZjIwMjEyMjIzMjQyNTI2MjcyODI5MmEyYjJjMmQyZTJmMzAzMTMyMzMzNDM1MzYzNzM4MzkzYTNiM2MzZDNlM2Y="
        );
        assert_eq!(
            encode(Encoding::Base64Url, &bytes),
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-Pw"
        );
        // a public-key signature is longer than the stack buffer
        assert_eq!(encode(Encoding::Hex, &[0xab; 256]), "ab".repeat(256));
    }
}
