//! The secret, digest and encoding stages: combining canonical bytes with the secret, hashing,
//! and turning digest bytes into signature text.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest as _, Sha256, Sha512};

use super::recipe::{Digest, Encoding, SecretPlacement, SecretTransform, SecretUse};
use super::SigningError;

/// The secret after its transform, plus the placeholder that stands for it in debug output.
pub(crate) struct PreparedSecret {
    value: Vec<u8>,
    placeholder: String,
}

/// Applies `transform` to the raw secret.
pub(crate) fn prepare_secret(secret: &str, use_: &SecretUse) -> PreparedSecret {
    let name = &use_.credential;
    match use_.transform {
        SecretTransform::None => PreparedSecret {
            value: secret.as_bytes().to_vec(),
            placeholder: format!("<{name}>"),
        },
        SecretTransform::Md5Hex => PreparedSecret {
            value: hex::encode(Md5::digest(secret.as_bytes())).into_bytes(),
            placeholder: format!("<md5_hex({name})>"),
        },
    }
}

/// The digest bytes of `canonical` with the secret applied, and the digested text with the
/// secret replaced by its placeholder (for HMAC the digested message is the canonical itself).
pub(crate) fn digest_with_secret(
    digest: Digest,
    use_: &SecretUse,
    secret: &PreparedSecret,
    canonical: &[u8],
) -> Result<(Vec<u8>, String), SigningError> {
    let sep = use_.separator.as_bytes();
    let shown = String::from_utf8_lossy(canonical);
    let placeholder = &secret.placeholder;
    let (message, masked) = match use_.use_as {
        SecretPlacement::Append => (
            [canonical, sep, &secret.value].concat(),
            format!("{shown}{}{placeholder}", use_.separator),
        ),
        SecretPlacement::Prepend => (
            [&secret.value[..], sep, canonical].concat(),
            format!("{placeholder}{}{shown}", use_.separator),
        ),
        SecretPlacement::InMessage | SecretPlacement::PrivateKey | SecretPlacement::PublicKey => {
            return Err(SigningError::InvalidRecipe("unsupported secret use".into()))
        }
        SecretPlacement::HmacKey => {
            return Ok((
                hmac_digest(digest, &secret.value, canonical)?,
                shown.into_owned(),
            ))
        }
    };
    Ok((plain_digest(digest, &message)?, masked))
}

fn plain_digest(digest: Digest, message: &[u8]) -> Result<Vec<u8>, SigningError> {
    Ok(match digest {
        Digest::Md5 => Md5::digest(message).to_vec(),
        Digest::Sha1 => Sha1::digest(message).to_vec(),
        Digest::Sha256 => Sha256::digest(message).to_vec(),
        Digest::Sha512 => Sha512::digest(message).to_vec(),
        _ => {
            return Err(SigningError::InvalidRecipe(
                "this digest needs another secret use (hmac_key, private_key or public_key)".into(),
            ))
        }
    })
}

fn hmac_digest(digest: Digest, key: &[u8], message: &[u8]) -> Result<Vec<u8>, SigningError> {
    let bad_key = |_| SigningError::InvalidRecipe("HMAC key rejected".into());
    Ok(match digest {
        Digest::HmacSha256 => {
            let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(bad_key)?;
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }
        Digest::HmacSha512 => {
            let mut mac = Hmac::<Sha512>::new_from_slice(key).map_err(bad_key)?;
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }
        _ => {
            return Err(SigningError::InvalidRecipe(
                "secret use: hmac_key needs an hmac digest (hmac_sha256 | hmac_sha512)".into(),
            ))
        }
    })
}

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

    #[test]
    fn plain_digests_of_abc() {
        let hexd = |d| plain_digest(d, b"abc").map(hex::encode).unwrap_or_default();
        assert_eq!(hexd(Digest::Md5), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(
            hexd(Digest::Sha1),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hexd(Digest::Sha256),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(hexd(Digest::Sha512).starts_with("ddaf35a193617aba"));
    }
}
