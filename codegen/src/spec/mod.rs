//! The spec language: model, loading with source positions, diagnostics and validation.

pub mod builtin;
pub mod diag;
pub mod load;
pub mod locate;
pub mod model;
mod model_de;
pub mod model_forms;
pub mod model_notify;
pub mod reach;
pub mod resolution;
pub mod sandbox;
pub mod structure;
pub mod validate;
pub mod yaml;

pub use diag::Diagnostic;
pub use load::{load_file, load_file_outcome, load_str, load_str_outcome, Loaded, Outcome};
pub use model::Spec;
