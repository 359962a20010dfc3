//! Independent reference implementations for the scheme corpus: each signature is recomputed
//! here from a hand-assembled string with the RustCrypto crates called directly (never paygen's
//! signing engine), and the corpus specs are read as plain YAML.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_yaml::Value;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

/// The folder of the corpus specs (from the workspace root).
pub const DIR: &str = "tests/specs/ok/schemes";

/// The corpus folder from the current directory (the workspace root, or a member crate).
fn spec_dir() -> &'static str {
    if std::path::Path::new(DIR).is_dir() {
        DIR
    } else {
        "../tests/specs/ok/schemes"
    }
}

/// HMAC-SHA256 of `msg` under `key`.
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(msg);
    mac.finalize().into_bytes().to_vec()
}

/// HMAC-SHA512 of `msg` under `key`.
pub fn hmac_sha512(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha512>::new_from_slice(key).expect("any key length");
    mac.update(msg);
    mac.finalize().into_bytes().to_vec()
}

/// SHA-1 of `msg`.
pub fn sha1(msg: &[u8]) -> Vec<u8> {
    Sha1::digest(msg).to_vec()
}

/// SHA-256 of `msg`.
pub fn sha256(msg: &[u8]) -> Vec<u8> {
    Sha256::digest(msg).to_vec()
}

/// SHA-512 of `msg`.
pub fn sha512(msg: &[u8]) -> Vec<u8> {
    Sha512::digest(msg).to_vec()
}

/// Standard base64.
pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Standard base64 decoded.
pub fn unb64(text: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("valid base64")
}

/// Lower-case hex.
pub fn lower_hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// Upper-case hex.
pub fn upper_hex(bytes: &[u8]) -> String {
    hex::encode_upper(bytes)
}

/// The parsed spec `tests/specs/ok/schemes/<provider>.yaml`.
pub fn spec(provider: &str) -> Value {
    let path = format!("{}/{provider}.yaml", spec_dir());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The vector `name` of a provider's spec.
pub fn vector(provider: &str, name: &str) -> Value {
    let spec = spec(provider);
    let vectors = spec["signing"]["vectors"]
        .as_sequence()
        .unwrap_or_else(|| panic!("{provider}: no vectors"))
        .clone();
    vectors
        .into_iter()
        .find(|v| v["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("{provider}: no vector `{name}`"))
}

/// A text entry of a vector (`raw`, `signature`, `timestamp`, ...), or of its `credentials`.
pub fn text(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .or_else(|| v["credentials"][key].as_str())
        .unwrap_or_else(|| panic!("vector has no text `{key}`"))
        .to_string()
}
