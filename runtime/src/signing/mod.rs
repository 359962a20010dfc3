//! The signing engine: recipes as data, compiled once ([`CompiledRecipe`], [`Signer`]) and
//! applied to a [`RequestView`]: message (v1 canonical fields, raw body or a template), secret
//! or key, digest or signature, encoding, placement. The language is described in
//! `docs/SIGNING.md`.
//!
//! One-call entry points for tools: [`canonicalize`], [`sign`], [`sign_stages`], [`verify`] and
//! [`check_recipe`]. Provider test vectors are exercised in `runtime/tests/signing_vectors.rs`.

mod canonical;
#[cfg(test)]
mod canonical_tests;
mod check;
mod check_v2;
mod compiled;
mod digest;
mod engine;
mod generate;
mod keys;
mod message;
mod order;
mod pairs;
#[cfg(test)]
mod pairs_tests;
mod placed;
mod python_repr;
mod received;
pub mod recipe;
mod render;
mod sent;
mod template;
#[cfg(test)]
pub(crate) mod tests;
mod text_buf;
mod view;

pub use check::{check_recipe, check_recipe_v1};
pub use check_v2::{check_request_recipe, check_v2, references, Problem, RefKind, Reference};
pub use compiled::{CompiledRecipe, Signer};
pub use engine::{
    canonicalize, sign, sign_stages, verify, SignInput, Signed, SigningError, Stages,
};
pub use generate::{http_date, parse_timestamp, Generated};
pub use pairs::{CanonicalPairs, FlatPairs, WriteFlatPairs, WriteSigned};
pub use received::{verify_received, Received, ReceivedHeaders};
pub use recipe::*;
pub use sent::{sign_message, SignedMessage};
pub use view::{field_text, put_field, take_field, RequestView};
