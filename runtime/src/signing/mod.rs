//! The signing engine: recipes as data, applied stage by stage (canonical, secret, digest, encoding).
//!
//! Entry points: [`canonicalize`], [`sign`], [`sign_stages`], [`verify`] and [`check_recipe`].
//! The recipe model lives in [`recipe`]; provider test vectors are exercised in
//! `runtime/tests/signing_vectors.rs`.

mod canonical;
mod check;
mod digest;
mod engine;
mod python_repr;
pub mod recipe;
mod render;
mod template;
#[cfg(test)]
mod tests;

pub use check::check_recipe;
pub use engine::{
    canonicalize, sign, sign_stages, verify, SignInput, Signed, SigningError, Stages,
};
pub use recipe::*;
