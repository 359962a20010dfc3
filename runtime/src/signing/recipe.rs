//! The signing recipe model: what is signed, how it is rendered, digested, encoded and placed.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A signing recipe: data, not code. Stages: canonical -> secret -> digest -> encoding -> placement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
}

/// What a recipe signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Over {
    /// Every top-level field of the body (minus `exclude`).
    BodyFields,
    /// The exact bytes of the body.
    RawBody,
    /// Only these top-level fields, in this order.
    Fields(Vec<String>),
}

/// How data is rendered into the canonical string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
        }
    }
}

/// Order of top-level keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Byte order of the keys as spelled on the wire.
    Keys,
    /// The order the fields appear in the body (or in `over.fields`).
    None,
}

/// Case of emitted top-level keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeyCase {
    /// Keys as written.
    AsIs,
    /// Keys lower-cased after sorting.
    Lower,
}

/// Which top-level values are skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum NullRule {
    /// Null top-level fields are left out; nested nulls render as the empty string.
    Skip,
    /// Null renders as this text.
    Render(String),
}

/// Texts for `true` and `false`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeepRule {
    /// Compact JSON text.
    Json,
    /// Python `str()` of the equivalent dict/list (`{'a': 1}`, `['x', True]`).
    PythonRepr,
}

/// Digest algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
}

/// Where and how the secret enters the digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
}

/// Where the secret goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SecretPlacement {
    /// canonical + separator + secret.
    Append,
    /// secret + separator + canonical.
    Prepend,
    /// The secret is the HMAC key (hmac digests only).
    HmacKey,
}

/// Transformation applied to the secret before use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SecretTransform {
    /// The secret as is.
    #[default]
    None,
    /// Lower-case hex MD5 of the secret.
    Md5Hex,
}

/// How digest bytes become text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
}

/// Where the signature travels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Placement {
    /// A top-level body field.
    BodyField(String),
    /// An HTTP header.
    Header(String),
}

/// Named recipes plus the test vectors they must reproduce.
pub type RecipeSet = IndexMap<String, Recipe>;
