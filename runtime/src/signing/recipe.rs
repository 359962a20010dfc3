//! The signing recipe model: what is signed, how it is rendered, digested, encoded and placed.
//!
//! Version 1 keys (`over`, `exclude`, `canonical`, `digest`, `secret`, `encoding`, `place`) keep
//! their meaning; version 2 adds message templates (`over: { message }`), generated values
//! (`generate`), extra outputs (`value`, `headers`, `fields`), key decoding, asymmetric
//! signatures and a timestamp `tolerance`. The language reference is `docs/SIGNING.md`.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// A signing recipe: data, not code. Stages: canonical -> secret -> digest -> encoding -> placement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Recipe {
    /// What is signed.
    pub over: Over,
    /// Top-level keys never signed (typically the signature field itself).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// How the signed data is rendered to one string.
    #[serde(default)]
    pub canonical: Canonical,
    /// The digest applied to the canonical string with the secret.
    pub digest: Digest,
    /// Where the secret goes.
    pub secret: SecretUse,
    /// How the digest bytes become text.
    pub encoding: Encoding,
    /// Where the signature travels.
    pub place: Placement,
    /// Values generated once per request (timestamp, nonce), usable as `{timestamp}` and
    /// `{nonce}` in the message, `value`, `headers` and `fields`.
    #[serde(default, skip_serializing_if = "Generate::is_empty")]
    pub generate: Generate,
    /// Template of the text placed where `place` says (default `{signature}`), e.g.
    /// `t={timestamp},v1={signature}` or `HMAC-SHA256 {credential.key_id}:{signature}`.
    /// Verification reads the signature (and any generated value) back out of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Extra headers set on the request, as templates (`X-Timestamp: "{timestamp}"`,
    /// `Digest: "SHA-256={body_digest.sha256.base64}"`); they may name `{signature}`. Headers
    /// not naming `{signature}` are set before the message is rendered, so it can cover them.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub headers: IndexMap<String, String>,
    /// Top-level body fields set before signing, as templates (`nonce: "{nonce}"`,
    /// `merchant: "{credential.merchant_id}"`); they are signed like any other field.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub fields: IndexMap<String, String>,
    /// Verification only: the largest difference in seconds allowed between the signed
    /// `{timestamp}` and the clock, in either direction (too old and too far in the future are
    /// both refused). Needs `generate.timestamp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<u64>,
}

/// What a recipe signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Over {
    /// Every top-level field of the body (minus `exclude`).
    BodyFields,
    /// The exact bytes of the body.
    RawBody,
    /// Only these fields, in this order (a dotted name such as `amount.value` reaches into a
    /// nested object; an absent field follows `canonical.absent`).
    Fields(Vec<String>),
    /// A message template over any part of the request (see `docs/SIGNING.md`), e.g.
    /// `"{timestamp}.{raw_body}"` or `"{method}\n{path}\n{header.date}"`.
    Message(String),
}

/// How data is rendered into the canonical string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Canonical {
    /// Order of top-level keys.
    pub sort: SortOrder,
    /// Case applied to emitted top-level keys (after sorting by the original spelling).
    pub key_case: KeyCase,
    /// Template of one pair; `{key}` and `{value}` are replaced.
    pub pair: String,
    /// Separator between pairs.
    pub join: String,
    /// Text before the first pair.
    pub prefix: String,
    /// Text after the last pair.
    pub suffix: String,
    /// Which top-level values are left out.
    pub skip: SkipRule,
    /// How a null renders (anywhere). Spelled `nulls` in specs: a YAML key `null:` reads as the
    /// null value, which JSON Schema validators and YAML editors reject; the old spelling is still
    /// accepted as an alias.
    #[serde(rename = "nulls", alias = "null")]
    pub null: NullRule,
    /// How booleans render (anywhere).
    pub bools: BoolRender,
    /// How a top-level object value renders.
    pub nested: NestedRule,
    /// How a top-level list value renders.
    pub lists: ListRule,
    /// How containers nested inside a nested object or list render.
    pub deep: DeepRule,
    /// How a listed field (`over: { fields }`) that is absent renders.
    pub absent: AbsentRule,
}

impl Default for Canonical {
    fn default() -> Self {
        Canonical {
            sort: SortOrder::Keys,
            key_case: KeyCase::AsIs,
            pair: "{key}={value}".into(),
            join: "&".into(),
            prefix: String::new(),
            suffix: String::new(),
            skip: SkipRule::Never,
            null: NullRule::Skip,
            bools: BoolRender::default(),
            nested: NestedRule::Json,
            lists: ListRule::Json,
            deep: DeepRule::Json,
            absent: AbsentRule::Skip,
        }
    }
}

/// How an absent value renders (a listed field, or a template placeholder).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum AbsentRule {
    /// Left out entirely, with its pair and separator (`a|c` for absent `b`).
    #[default]
    Skip,
    /// Rendered as the empty string, separators kept (`a||c`).
    Empty,
    /// Rendered as this text.
    Render(String),
}

/// Order of top-level keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Byte order of the keys as spelled on the wire.
    Keys,
    /// The order the fields appear in the body (or in `over.fields`).
    None,
}

/// Case of emitted top-level keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum KeyCase {
    /// Keys as written.
    AsIs,
    /// Keys lower-cased after sorting.
    Lower,
}

/// Which top-level values are skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SkipRule {
    /// Nothing is skipped (empty strings are signed).
    Never,
    /// Values that render to the empty string are skipped.
    Empty,
    /// Values that render to whitespace only (or nothing) are skipped.
    Blank,
}

/// How a null value is treated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum NullRule {
    /// Null top-level fields are left out; nested nulls render as the empty string.
    Skip,
    /// Null renders as this text.
    Render(String),
}

/// Texts for `true` and `false`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BoolRender {
    /// Text of `true`.
    #[serde(rename = "true")]
    pub true_text: String,
    /// Text of `false`.
    #[serde(rename = "false")]
    pub false_text: String,
}

impl Default for BoolRender {
    fn default() -> Self {
        BoolRender {
            true_text: "true".into(),
            false_text: "false".into(),
        }
    }
}

/// How a top-level object value renders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum NestedRule {
    /// Compact JSON text of the object.
    Json,
    /// Keys sorted, each `pair` rendered, joined by `join`; one level only.
    FlattenOneLevel {
        /// Template of one inner pair.
        pair: String,
        /// Separator between inner pairs.
        join: String,
    },
}

/// How a top-level list value renders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ListRule {
    /// Compact JSON text of the list.
    Json,
    /// Elements rendered, kept in order, joined by the separator.
    Join(String),
    /// Elements rendered, sorted as strings, joined by the separator.
    SortedJoin(String),
}

/// How containers two levels down render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeepRule {
    /// Compact JSON text.
    Json,
    /// Python `str()` of the equivalent dict/list (`{'a': 1}`, `['x', True]`).
    PythonRepr,
}

/// Digest algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Digest {
    /// MD5.
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-512.
    Sha512,
    /// HMAC with SHA-256 (secret is the key).
    HmacSha256,
    /// HMAC with SHA-512 (secret is the key).
    HmacSha512,
    /// HMAC with SHA-1 (secret is the key).
    HmacSha1,
    /// RSA PKCS#1 v1.5 signature over SHA-256 (PEM key; `use: private_key` or `public_key`).
    RsaSha256,
    /// RSA-PSS signature over SHA-256, MGF1-SHA-256, salt length 32 (PEM key).
    RsaPssSha256,
    /// ECDSA P-256 over SHA-256, signature DER-encoded (as OpenSSL writes it).
    EcdsaP256Sha256,
    /// ECDSA P-256 over SHA-256, signature as raw `r || s` (64 bytes, as JWS writes it).
    EcdsaP256Sha256Raw,
    /// Ed25519 (PEM key).
    Ed25519,
}

impl Digest {
    /// Whether the secret is the key of an HMAC.
    pub fn is_hmac(self) -> bool {
        matches!(
            self,
            Digest::HmacSha256 | Digest::HmacSha512 | Digest::HmacSha1
        )
    }

    /// Whether this is a public-key signature (the secret is a PEM key).
    pub fn is_asymmetric(self) -> bool {
        matches!(
            self,
            Digest::RsaSha256
                | Digest::RsaPssSha256
                | Digest::EcdsaP256Sha256
                | Digest::EcdsaP256Sha256Raw
                | Digest::Ed25519
        )
    }

    /// Whether the same input always gives the same signature (false for PSS and ECDSA).
    pub fn is_deterministic(self) -> bool {
        !matches!(
            self,
            Digest::RsaPssSha256 | Digest::EcdsaP256Sha256 | Digest::EcdsaP256Sha256Raw
        )
    }
}

/// Where and how the secret enters the digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SecretUse {
    /// The credential holding the secret.
    pub credential: String,
    /// Where it goes.
    #[serde(rename = "use")]
    pub use_as: SecretPlacement,
    /// Transformation applied to the secret first.
    #[serde(default)]
    pub transform: SecretTransform,
    /// Text between the canonical string and the (transformed) secret.
    #[serde(default)]
    pub separator: String,
    /// How the credential's text becomes key bytes (HMAC keys, appended secrets).
    #[serde(default, skip_serializing_if = "KeyDecoding::is_as_is")]
    pub decode: KeyDecoding,
    /// Credentials of older keys still accepted when verifying (key rotation); never used to
    /// sign.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous: Vec<String>,
    /// With `use: public_key`: the credential holding the matching private key, used only by
    /// signers other than the client (the simulator); clients never need it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
}

impl SecretUse {
    /// Every credential the recipe may read to verify: the main one, then `previous`.
    pub fn verifying_credentials(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.credential.as_str()).chain(self.previous.iter().map(String::as_str))
    }
}

/// How a credential's text becomes key bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum KeyDecoding {
    /// The UTF-8 bytes of the text.
    #[default]
    AsIs,
    /// Hex text decoded to bytes (`"4a6f"` -> `Jo`).
    Hex,
    /// Standard base64 decoded to bytes.
    Base64,
}

impl KeyDecoding {
    fn is_as_is(&self) -> bool {
        *self == KeyDecoding::AsIs
    }
}

/// Where the secret goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SecretPlacement {
    /// canonical + separator + secret.
    Append,
    /// secret + separator + canonical.
    Prepend,
    /// The secret is the HMAC key (hmac digests only).
    HmacKey,
    /// The message template places the secret itself with `{secret}` (plain digests).
    InMessage,
    /// The credential is a PEM private key (PKCS#8, or PKCS#1 for RSA) that signs; it also
    /// verifies (its public half is derived).
    PrivateKey,
    /// The credential is a PEM public key (SPKI) that verifies only; `signer` may name the
    /// private key a simulator signs with.
    PublicKey,
}

/// Transformation applied to the secret before use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SecretTransform {
    /// The secret as is.
    #[default]
    None,
    /// Lower-case hex MD5 of the secret.
    Md5Hex,
}

/// How digest bytes become text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// Lower-case hex.
    Hex,
    /// Upper-case hex.
    HexUpper,
    /// Standard base64 of the bytes.
    Base64,
    /// Standard base64 of the lower-case hex text.
    Base64OfHex,
    /// URL-safe base64 without padding (as JWS writes signatures).
    Base64Url,
}

/// Where the signature travels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Placement {
    /// A top-level body field.
    BodyField(String),
    /// An HTTP header.
    Header(String),
}

/// Values generated once per request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Generate {
    /// `{timestamp}`: the clock's time, in this form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<TimestampForm>,
    /// `{nonce}`: a fresh random value, of this form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<NonceForm>,
}

impl Generate {
    /// Whether nothing is generated.
    pub fn is_empty(&self) -> bool {
        self.timestamp.is_none() && self.nonce.is_none()
    }
}

/// How `{timestamp}` is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimestampForm {
    /// Unix seconds (`1700000000`).
    UnixSeconds,
    /// Unix milliseconds (`1700000000000`).
    UnixMillis,
    /// ISO-8601 / RFC 3339 UTC (`2023-11-14T22:13:20Z`).
    Iso8601,
    /// HTTP-date (`Tue, 14 Nov 2023 22:13:20 GMT`).
    HttpDate,
}

/// How `{nonce}` is generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum NonceForm {
    /// This many lower-case hex characters.
    Hex(u8),
    /// This many ASCII letters and digits.
    Alnum(u8),
    /// A random UUID v4 (`0f8fad5b-d9cb-469f-a165-70867728950e`).
    Uuid,
}

/// Named recipes plus the test vectors they must reproduce.
pub type RecipeSet = IndexMap<String, Recipe>;
