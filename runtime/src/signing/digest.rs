//! The encoding stage: digest or signature bytes as signature text.

use base64::Engine as _;

use super::recipe::Encoding;

/// Digest bytes as signature text.
pub(crate) fn encode(encoding: Encoding, bytes: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD;
    match encoding {
        Encoding::Hex => hex::encode(bytes),
        Encoding::HexUpper => hex::encode_upper(bytes),
        Encoding::Base64 => b64.encode(bytes),
        Encoding::Base64OfHex => b64.encode(hex::encode(bytes)),
        Encoding::Base64Url => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
    }
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
    }
}
