//! The encoding stage: digest or signature bytes as signature text.

use base64::Engine as _;

use super::recipe::Encoding;

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
}
