//! The engine's entry points (`canonicalize`, `sign`, `sign_stages`, `verify`) and their types.

use serde_json::{Map, Value};

use super::canonical::canonical_form;
use super::check::check_recipe;
use super::digest::{digest_with_secret, encode, prepare_secret};
use super::recipe::{Encoding, Recipe};
use crate::credentials::Credentials;

/// What is to be signed.
#[derive(Debug, Clone, Copy)]
pub enum SignInput<'a> {
    /// Top-level fields of a body (JSON object; form bodies arrive as an object of strings).
    Fields(&'a Map<String, Value>),
    /// Exact body bytes (for `over: raw_body`).
    Raw(&'a [u8]),
}

/// A signature and the canonical string it was computed over (before the secret was applied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The canonical string (for raw bodies: the body, lossily decoded as UTF-8).
    pub canonical: String,
    /// The encoded signature.
    pub signature: String,
}

/// Stage-by-stage result for debugging tools (`paygen sign`). Never holds the secret or any
/// value derived from it other than the final digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stages {
    /// The canonical string.
    pub canonical: String,
    /// The string actually digested, the secret replaced by a placeholder such as `<salt>` or
    /// `<md5_hex(api_token)>`. For HMAC recipes this is the message (the key is not in it).
    pub digested_masked: String,
    /// The digest bytes in lower-case hex.
    pub digest_hex: String,
    /// The encoded signature.
    pub signature: String,
}

/// Why signing or verification failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigningError {
    /// The recipe's credential is not in the credentials given (holds the credential name).
    #[error("missing credential `{0}` needed for signing")]
    MissingCredential(String),
    /// The input kind does not match what the recipe signs.
    #[error("wrong signing input: {0}")]
    WrongInput(&'static str),
    /// The provided signature differs from the computed one.
    #[error("signature mismatch (expected a {expected_len}-character signature)")]
    Mismatch {
        /// Length of the expected signature text.
        expected_len: usize,
    },
    /// The recipe is incoherent (see [`check_recipe`]).
    #[error("invalid signing recipe: {0}")]
    InvalidRecipe(String),
}

/// The canonical string of `input` under `recipe` (before the secret is applied).
pub fn canonicalize(recipe: &Recipe, input: &SignInput) -> Result<String, SigningError> {
    ensure_coherent(recipe)?;
    Ok(canonical_form(recipe, input)?.text)
}

/// Signs `input` with `recipe`, reading the secret from `creds`.
pub fn sign(
    recipe: &Recipe,
    creds: &Credentials,
    input: &SignInput,
) -> Result<Signed, SigningError> {
    let stages = sign_stages(recipe, creds, input)?;
    Ok(Signed {
        canonical: stages.canonical,
        signature: stages.signature,
    })
}

/// Signs `input` and reports every stage (the secret masked).
pub fn sign_stages(
    recipe: &Recipe,
    creds: &Credentials,
    input: &SignInput,
) -> Result<Stages, SigningError> {
    ensure_coherent(recipe)?;
    let name = &recipe.secret.credential;
    let secret = creds
        .get(name)
        .ok_or_else(|| SigningError::MissingCredential(name.clone()))?;
    let canonical = canonical_form(recipe, input)?;
    let prepared = prepare_secret(secret.expose(), &recipe.secret);
    let (digest, digested_masked) =
        digest_with_secret(recipe.digest, &recipe.secret, &prepared, &canonical.bytes)?;
    Ok(Stages {
        canonical: canonical.text,
        digested_masked,
        digest_hex: hex::encode(&digest),
        signature: encode(recipe.encoding, &digest),
    })
}

/// Checks `provided` against the signature computed for `input`, in constant time (for a given
/// length). Hex encodings compare case-insensitively; base64 encodings compare exactly.
pub fn verify(
    recipe: &Recipe,
    creds: &Credentials,
    input: &SignInput,
    provided: &str,
) -> Result<(), SigningError> {
    let expected = sign(recipe, creds, input)?.signature;
    let fold = matches!(recipe.encoding, Encoding::Hex | Encoding::HexUpper);
    if constant_time_eq(expected.as_bytes(), provided.as_bytes(), fold) {
        Ok(())
    } else {
        Err(SigningError::Mismatch {
            expected_len: expected.len(),
        })
    }
}

fn ensure_coherent(recipe: &Recipe) -> Result<(), SigningError> {
    let problems = check_recipe(recipe);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(SigningError::InvalidRecipe(problems.join("; ")))
    }
}

/// Byte equality whose running time depends only on the lengths (ASCII case folded if asked).
fn constant_time_eq(expected: &[u8], provided: &[u8], fold_case: bool) -> bool {
    if expected.len() != provided.len() {
        return false;
    }
    let norm = |b: u8| if fold_case { b.to_ascii_lowercase() } else { b };
    let diff = expected
        .iter()
        .zip(provided)
        .fold(0u8, |acc, (a, b)| acc | (norm(*a) ^ norm(*b)));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_cases() {
        assert!(constant_time_eq(b"abc", b"abc", false));
        assert!(!constant_time_eq(b"abc", b"abd", false));
        assert!(!constant_time_eq(b"abc", b"ab", false));
        assert!(!constant_time_eq(b"abc", b"ABC", false));
        assert!(constant_time_eq(b"abc", b"ABC", true));
        assert!(constant_time_eq(b"", b"", false));
    }
}
