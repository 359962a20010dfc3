//! The encoding stage: digest or signature bytes as signature text (a `String` for the wire,
//! or stack bytes to compare a received signature against).

use base64::engine::Config as _;
use base64::Engine as _;
use smallvec::SmallVec;

use super::recipe::Encoding;

/// Encoded signature text on the stack: the longest digest encoding (base64 of SHA-512's hex,
/// 172 bytes) fits; public-key signatures spill to the heap.
pub(crate) type EncodedBuf = SmallVec<[u8; 176]>;

/// Digest bytes as signature text.
pub(crate) fn encode(encoding: Encoding, bytes: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD;
    match encoding {
        Encoding::Hex => hex_text(bytes, b"0123456789abcdef"),
        Encoding::HexUpper => hex_text(bytes, b"0123456789ABCDEF"),
        Encoding::Base64 => b64.encode(bytes),
        Encoding::Base64OfHex => b64.encode(hex_text(bytes, b"0123456789abcdef")),
        Encoding::Base64Url => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
    }
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

fn push_hex(out: &mut EncodedBuf, bytes: &[u8], digits: &[u8; 16]) {
    out.reserve(bytes.len() * 2);
    for b in bytes {
        out.push(digits[usize::from(b >> 4)]);
        out.push(digits[usize::from(b & 0x0f)]);
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

/// Two hex digits per byte from `digits`, written into one string of the exact length.
fn hex_text(bytes: &[u8], digits: &[u8; 16]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(digits[usize::from(b >> 4)]));
        out.push(char::from(digits[usize::from(b & 0x0f)]));
    }
    out
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
    fn stack_encoding_equals_the_wire_text() {
        let long: Vec<u8> = (0..=255u8).collect();
        for bytes in [&[][..], &[0xde, 0xad, 0xbe, 0xef], &[0xff; 64], &long] {
            for e in [
                Encoding::Hex,
                Encoding::HexUpper,
                Encoding::Base64,
                Encoding::Base64OfHex,
                Encoding::Base64Url,
            ] {
                assert_eq!(&encoded(e, bytes)[..], encode(e, bytes).as_bytes(), "{e:?}");
            }
        }
    }
}
