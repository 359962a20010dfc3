//! paygen-codegen: loads, validates and lowers provider specs, and emits typed Rust clients.
//!
//! Pipeline: `load` (YAML -> model, with positions) -> `validate` (every problem, located) ->
//! `lower` (model -> IR) -> `emit` (IR -> tokens) -> `format` (tokens -> source text).

pub mod emit;
pub mod format;
pub mod generate;
pub mod ir;
pub mod lower;
pub mod naming;
pub mod schema;
pub mod spec;
pub mod table;

use std::path::Path;

pub use generate::{generate_file, BuildError, Builder, Generated};
pub use spec::{Diagnostic, Loaded, Spec};

/// Loads and validates one spec file: the spec when clean, every problem otherwise.
pub fn check_file(file: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let loaded = spec::load_file(file)?;
    let diags = spec::validate::validate(&loaded);
    if diags.is_empty() {
        Ok(loaded)
    } else {
        Err(diags)
    }
}
