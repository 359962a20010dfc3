//! The spec language: model, loading with source positions, diagnostics and validation.

pub mod diag;
pub mod load;
pub mod locate;
pub mod model;
pub mod reach;
pub mod sandbox;
pub mod validate;

pub use diag::Diagnostic;
pub use load::{load_file, load_str, Loaded};
pub use model::Spec;
