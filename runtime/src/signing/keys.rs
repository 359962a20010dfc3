//! Key material prepared once from a credential (decoded, transformed, parsed from PEM), and the
//! digest / signature step over a message with it.

use hmac::{Hmac, Mac};
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest as _, Sha256, Sha512};

use super::recipe::{Digest, KeyDecoding, SecretPlacement, SecretTransform, SecretUse};
use super::SigningError;

/// Signature bytes: digests and MACs (at most 64 bytes) on the stack, public-key signatures
/// spilled to the heap.
pub(crate) type SigBytes = smallvec::SmallVec<[u8; 64]>;

/// A prepared key. Never printed.
#[derive(Clone)]
pub(crate) enum Key {
    /// Bytes appended, prepended or placed in the message (after decode and transform).
    Plain(Vec<u8>),
    HmacSha1(Hmac<Sha1>),
    HmacSha256(Hmac<Sha256>),
    HmacSha512(Hmac<Sha512>),
    RsaPrivate(Box<RsaSigner>),
    RsaPublic(Box<rsa::RsaPublicKey>),
    EcPrivate(Box<p256::ecdsa::SigningKey>),
    EcPublic(Box<p256::ecdsa::VerifyingKey>),
    EdPrivate(Box<ed25519_dalek::SigningKey>),
    EdPublic(Box<ed25519_dalek::VerifyingKey>),
}

/// An RSA private key ready to sign both ways (built once; no per-call copy of the key).
#[derive(Clone)]
pub(crate) struct RsaSigner {
    pkcs1: rsa::pkcs1v15::SigningKey<Sha256>,
    pss: rsa::pss::BlindedSigningKey<Sha256>,
    public: rsa::RsaPublicKey,
}

impl RsaSigner {
    fn new(key: rsa::RsaPrivateKey) -> Self {
        RsaSigner {
            public: key.to_public_key(),
            pss: rsa::pss::BlindedSigningKey::<Sha256>::new(key.clone()),
            pkcs1: rsa::pkcs1v15::SigningKey::<Sha256>::new(key),
        }
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(***)")
    }
}

fn bad_key(name: &str, why: &str) -> SigningError {
    SigningError::BadKey(format!("credential `{name}`: {why}"))
}

/// Prepares the key the credential `name` (value `text`) gives under `use_` and `digest`.
pub(crate) fn prepare_key(
    name: &str,
    text: &str,
    use_: &SecretUse,
    digest: Digest,
) -> Result<Key, SigningError> {
    match use_.use_as {
        SecretPlacement::PrivateKey => private_key(name, text, digest),
        SecretPlacement::PublicKey => public_key(name, text, digest),
        _ => {
            let bytes = decoded(name, text, use_)?;
            symmetric(name, bytes, digest)
        }
    }
}

fn decoded(name: &str, text: &str, use_: &SecretUse) -> Result<Vec<u8>, SigningError> {
    use base64::Engine as _;
    let raw = match use_.decode {
        KeyDecoding::AsIs => text.as_bytes().to_vec(),
        KeyDecoding::Hex => hex::decode(text.trim()).map_err(|_| bad_key(name, "not hex"))?,
        KeyDecoding::Base64 => base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|_| bad_key(name, "not base64"))?,
    };
    Ok(match use_.transform {
        SecretTransform::None => raw,
        SecretTransform::Md5Hex => hex::encode(Md5::digest(&raw)).into_bytes(),
    })
}

fn symmetric(name: &str, bytes: Vec<u8>, digest: Digest) -> Result<Key, SigningError> {
    let rejected = |_| bad_key(name, "rejected as an HMAC key");
    Ok(match digest {
        Digest::HmacSha1 => Key::HmacSha1(Hmac::new_from_slice(&bytes).map_err(rejected)?),
        Digest::HmacSha256 => Key::HmacSha256(Hmac::new_from_slice(&bytes).map_err(rejected)?),
        Digest::HmacSha512 => Key::HmacSha512(Hmac::new_from_slice(&bytes).map_err(rejected)?),
        _ => Key::Plain(bytes),
    })
}

fn private_key(name: &str, pem: &str, digest: Digest) -> Result<Key, SigningError> {
    use p256::pkcs8::DecodePrivateKey;
    use rsa::pkcs1::DecodeRsaPrivateKey;
    let pem = pem.trim();
    let not = |what: &str| bad_key(name, &format!("not a PEM {what} private key"));
    Ok(match digest {
        Digest::RsaSha256 | Digest::RsaPssSha256 => {
            let key = rsa::RsaPrivateKey::from_pkcs8_pem(pem)
                .or_else(|_| rsa::RsaPrivateKey::from_pkcs1_pem(pem))
                .map_err(|_| not("RSA (PKCS#8 or PKCS#1)"))?;
            Key::RsaPrivate(Box::new(RsaSigner::new(key)))
        }
        Digest::EcdsaP256Sha256 | Digest::EcdsaP256Sha256Raw => {
            let key = p256::ecdsa::SigningKey::from_pkcs8_pem(pem)
                .or_else(|_| p256::SecretKey::from_sec1_pem(pem).map(p256::ecdsa::SigningKey::from))
                .map_err(|_| not("P-256 (PKCS#8 or SEC1)"))?;
            Key::EcPrivate(Box::new(key))
        }
        Digest::Ed25519 => {
            let key = ed25519_dalek::SigningKey::from_pkcs8_pem(pem)
                .map_err(|_| not("Ed25519 (PKCS#8)"))?;
            Key::EdPrivate(Box::new(key))
        }
        _ => return Err(bad_key(name, "a private key needs an asymmetric digest")),
    })
}

fn public_key(name: &str, pem: &str, digest: Digest) -> Result<Key, SigningError> {
    use p256::pkcs8::DecodePublicKey;
    use rsa::pkcs1::DecodeRsaPublicKey;
    let pem = pem.trim();
    let not = |what: &str| bad_key(name, &format!("not a PEM {what} public key"));
    Ok(match digest {
        Digest::RsaSha256 | Digest::RsaPssSha256 => {
            let key = rsa::RsaPublicKey::from_public_key_pem(pem)
                .or_else(|_| rsa::RsaPublicKey::from_pkcs1_pem(pem))
                .map_err(|_| not("RSA (SPKI or PKCS#1)"))?;
            Key::RsaPublic(Box::new(key))
        }
        Digest::EcdsaP256Sha256 | Digest::EcdsaP256Sha256Raw => {
            let key = p256::ecdsa::VerifyingKey::from_public_key_pem(pem)
                .map_err(|_| not("P-256 (SPKI)"))?;
            Key::EcPublic(Box::new(key))
        }
        Digest::Ed25519 => {
            let key = ed25519_dalek::VerifyingKey::from_public_key_pem(pem)
                .map_err(|_| not("Ed25519 (SPKI)"))?;
            Key::EdPublic(Box::new(key))
        }
        _ => return Err(bad_key(name, "a public key needs an asymmetric digest")),
    })
}

/// A plain hash of the concatenated parts.
fn hash(digest: Digest, parts: &[&[u8]]) -> Result<SigBytes, SigningError> {
    fn run<D: sha2::Digest>(parts: &[&[u8]]) -> SigBytes {
        let mut h = D::new();
        for p in parts {
            h.update(p);
        }
        SigBytes::from_slice(&h.finalize())
    }
    Ok(match digest {
        Digest::Md5 => run::<Md5>(parts),
        Digest::Sha1 => run::<Sha1>(parts),
        Digest::Sha256 => run::<Sha256>(parts),
        Digest::Sha512 => run::<Sha512>(parts),
        _ => {
            return Err(SigningError::InvalidRecipe(format!(
                "{digest:?} is not a plain digest"
            )))
        }
    })
}

fn mac<M: Mac + Clone>(m: &M, message: &[u8]) -> SigBytes {
    let mut m = m.clone();
    m.update(message);
    SigBytes::from_slice(&m.finalize().into_bytes())
}

impl Key {
    /// The signature bytes of `message`: the secret appended / prepended (with `separator`),
    /// used as HMAC key, already in the message, or a private key signing it.
    pub(crate) fn sign(
        &self,
        digest: Digest,
        use_as: SecretPlacement,
        separator: &[u8],
        message: &[u8],
    ) -> Result<SigBytes, SigningError> {
        use p256::ecdsa::signature::{RandomizedSigner, Signer};
        Ok(match (self, use_as) {
            (Key::Plain(s), SecretPlacement::Append) => hash(digest, &[message, separator, s])?,
            (Key::Plain(s), SecretPlacement::Prepend) => hash(digest, &[s, separator, message])?,
            (Key::Plain(_), _) => hash(digest, &[message])?,
            (Key::HmacSha1(m), _) => mac(m, message),
            (Key::HmacSha256(m), _) => mac(m, message),
            (Key::HmacSha512(m), _) => mac(m, message),
            (Key::RsaPrivate(k), _) if digest == Digest::RsaPssSha256 => {
                let sig = k
                    .pss
                    .try_sign_with_rng(&mut rand_core::OsRng, message)
                    .map_err(|_| SigningError::BadKey("RSA-PSS signing failed".into()))?;
                SigBytes::from_vec(rsa::signature::SignatureEncoding::to_vec(&sig))
            }
            (Key::RsaPrivate(k), _) => {
                let sig = k
                    .pkcs1
                    .try_sign(message)
                    .map_err(|_| SigningError::BadKey("RSA signing failed".into()))?;
                SigBytes::from_vec(rsa::signature::SignatureEncoding::to_vec(&sig))
            }
            (Key::EcPrivate(k), _) => {
                let sig: p256::ecdsa::Signature = k
                    .try_sign_with_rng(&mut rand_core::OsRng, message)
                    .map_err(|_| SigningError::BadKey("ECDSA signing failed".into()))?;
                if digest == Digest::EcdsaP256Sha256Raw {
                    SigBytes::from_slice(&sig.to_bytes())
                } else {
                    SigBytes::from_slice(sig.to_der().as_bytes())
                }
            }
            (Key::EdPrivate(k), _) => SigBytes::from_slice(&k.sign(message).to_bytes()),
            (Key::RsaPublic(_) | Key::EcPublic(_) | Key::EdPublic(_), _) => {
                return Err(SigningError::BadKey(
                    "a public key cannot sign (give the private key)".into(),
                ))
            }
        })
    }

    /// Whether `signature` is a valid public-key signature of `message` (asymmetric keys only;
    /// a private key verifies with its public half).
    pub(crate) fn verify_asymmetric(
        &self,
        digest: Digest,
        message: &[u8],
        signature: &[u8],
    ) -> bool {
        match self {
            Key::RsaPrivate(k) => rsa_verify(&k.public, digest, message, signature),
            Key::RsaPublic(k) => rsa_verify(k, digest, message, signature),
            Key::EcPrivate(k) => ec_verify(k.verifying_key(), digest, message, signature),
            Key::EcPublic(k) => ec_verify(k, digest, message, signature),
            Key::EdPrivate(k) => ed_verify(&k.verifying_key(), message, signature),
            Key::EdPublic(k) => ed_verify(k, message, signature),
            _ => false,
        }
    }
}

fn rsa_verify(key: &rsa::RsaPublicKey, digest: Digest, message: &[u8], signature: &[u8]) -> bool {
    use rsa::signature::Verifier;
    if digest == Digest::RsaPssSha256 {
        let Ok(sig) = rsa::pss::Signature::try_from(signature) else {
            return false;
        };
        rsa::pss::VerifyingKey::<Sha256>::new(key.clone())
            .verify(message, &sig)
            .is_ok()
    } else {
        let Ok(sig) = rsa::pkcs1v15::Signature::try_from(signature) else {
            return false;
        };
        rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key.clone())
            .verify(message, &sig)
            .is_ok()
    }
}

fn ec_verify(
    key: &p256::ecdsa::VerifyingKey,
    digest: Digest,
    message: &[u8],
    signature: &[u8],
) -> bool {
    use p256::ecdsa::signature::Verifier;
    let sig = if digest == Digest::EcdsaP256Sha256Raw {
        p256::ecdsa::Signature::from_slice(signature)
    } else {
        p256::ecdsa::Signature::from_der(signature)
    };
    sig.is_ok_and(|s| key.verify(message, &s).is_ok())
}

fn ed_verify(key: &ed25519_dalek::VerifyingKey, message: &[u8], signature: &[u8]) -> bool {
    use ed25519_dalek::Verifier;
    ed25519_dalek::Signature::from_slice(signature).is_ok_and(|s| key.verify(message, &s).is_ok())
}
