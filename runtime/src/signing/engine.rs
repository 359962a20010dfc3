//! One-call entry points (`canonicalize`, `sign`, `sign_stages`, `verify`) over a plain recipe
//! and a body, for callers that sign once (tools, tests); clients build a [`Signer`] once instead.

use serde_json::{Map, Value};
use subtle::ConstantTimeEq;

use super::compiled::Signer;
use super::recipe::{Over, Recipe};
use super::view::RequestView;
use crate::credentials::Credentials;
use crate::wire_tree::WireObject;

/// What is to be signed.
#[derive(Debug, Clone, Copy)]
pub enum SignInput<'a> {
    /// Top-level fields of a body (JSON object; form bodies arrive as an object of strings).
    Fields(&'a Map<String, Value>),
    /// Exact body bytes (for `over: raw_body`).
    Raw(&'a [u8]),
}

impl<'a> SignInput<'a> {
    /// The fields as the tree signing reads (borrowing the map), `None` for a raw body.
    pub fn tree(&self) -> Option<WireObject<'a>> {
        match self {
            SignInput::Fields(m) => Some(WireObject::from_json(m)),
            SignInput::Raw(_) => None,
        }
    }

    /// A request view holding only this body (method `POST`, path `/`); `tree` is
    /// [`SignInput::tree`].
    pub fn view<'v>(&self, tree: Option<&'v WireObject<'v>>) -> RequestView<'v>
    where
        'a: 'v,
    {
        let mut v = RequestView {
            method: "POST",
            path: "/",
            ..RequestView::default()
        };
        match self {
            SignInput::Fields(_) => v.fields = tree,
            SignInput::Raw(b) => v.body = b,
        }
        v
    }
}

/// A signature and the canonical string it was computed over (before the secret was applied;
/// secrets inside a message template shown as `<name>`).
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
    /// The canonical string (the message, secrets masked).
    pub canonical: String,
    /// The string actually digested, the secret replaced by a placeholder such as `<salt>` or
    /// `<md5_hex(api_token)>`. For HMAC and public-key recipes this is the message.
    pub digested_masked: String,
    /// The digest (or signature) bytes in lower-case hex.
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
    /// The recipe is incoherent (see [`super::check_recipe`]).
    #[error("invalid signing recipe: {0}")]
    InvalidRecipe(String),
    /// A key credential cannot be used (names the credential, never its value).
    #[error("unusable key: {0}")]
    BadKey(String),
    /// The signed timestamp is missing, unreadable or outside the tolerance.
    #[error("timestamp refused: {0}")]
    Timestamp(&'static str),
}

fn check_input(recipe: &Recipe, input: &SignInput) -> Result<(), SigningError> {
    match (&recipe.over, input) {
        (Over::RawBody, SignInput::Fields(_)) => Err(SigningError::WrongInput(
            "recipe signs raw_body but fields were given",
        )),
        (Over::BodyFields | Over::Fields(_), SignInput::Raw(_)) => Err(SigningError::WrongInput(
            "recipe signs fields but a raw body was given",
        )),
        _ => Ok(()),
    }
}

/// The canonical string of `input` under `recipe` (before the secret is applied).
pub fn canonicalize(recipe: &Recipe, input: &SignInput) -> Result<String, SigningError> {
    let plan = super::CompiledRecipe::new(recipe)?;
    check_input(recipe, input)?;
    Ok(match (&plan.canonical, input) {
        (Some(c), SignInput::Fields(m)) if !matches!(recipe.over, Over::Message(_)) => {
            c.render(&WireObject::from_json(m))
        }
        (_, SignInput::Raw(b)) if recipe.over == Over::RawBody => {
            String::from_utf8_lossy(b).into_owned()
        }
        _ => {
            return Err(SigningError::WrongInput(
                "a message template may read credentials: use sign_stages",
            ))
        }
    })
}

/// Signs `input` with `recipe`, reading the secret from `creds`.
pub fn sign(
    recipe: &Recipe,
    creds: &Credentials,
    input: &SignInput,
) -> Result<Signed, SigningError> {
    let signer = Signer::from_recipe(recipe, creds)?;
    check_input(recipe, input)?;
    let tree = input.tree();
    signer.signed(&input.view(tree.as_ref()))
}

/// Signs `input` and reports every stage (the secret masked).
pub fn sign_stages(
    recipe: &Recipe,
    creds: &Credentials,
    input: &SignInput,
) -> Result<Stages, SigningError> {
    let signer = Signer::from_recipe(recipe, creds)?;
    check_input(recipe, input)?;
    let tree = input.tree();
    signer.stages(&input.view(tree.as_ref()))
}

/// Checks `provided` against the signature computed for `input`, in constant time (for a given
/// length). Hex encodings compare case-insensitively; base64 encodings compare exactly.
pub fn verify(
    recipe: &Recipe,
    creds: &Credentials,
    input: &SignInput,
    provided: &str,
) -> Result<(), SigningError> {
    let signer = Signer::from_recipe(recipe, creds)?;
    check_input(recipe, input)?;
    let tree = input.tree();
    signer.verify(&input.view(tree.as_ref()), provided)
}

/// Byte equality whose running time depends only on the lengths (ASCII case folded if asked):
/// the (folded) differences of every byte are OR-ed together, with no early exit and no
/// allocation, and the result is compared with `subtle`'s constant-time equality.
pub(crate) fn constant_time_eq(expected: &[u8], provided: &[u8], fold_case: bool) -> bool {
    if expected.len() != provided.len() {
        return false;
    }
    let pairs = expected.iter().zip(provided);
    let diff = match fold_case {
        true => pairs.fold(0u8, |acc, (a, b)| {
            acc | (a.to_ascii_lowercase() ^ b.to_ascii_lowercase())
        }),
        false => pairs.fold(0u8, |acc, (a, b)| acc | (a ^ b)),
    };
    bool::from(diff.ct_eq(&0))
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
        assert!(constant_time_eq(b"", b"", true));
        assert!(!constant_time_eq(b"abc", b"abd", true));
        assert!(!constant_time_eq(b"abc", b"ab", true));
        // folding is ASCII only: bytes that differ by 0x20 outside letters stay different
        assert!(!constant_time_eq(b"@", b"`", true));
        assert!(constant_time_eq(b"0aF9", b"0Af9", true));
    }
}
