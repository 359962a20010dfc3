//! paygen-codegen: loads, validates and lowers provider specs, and emits typed Rust clients.
//!
//! Pipeline: `load` (YAML -> model, with positions) -> `validate` (every problem, located) ->
//! `lower` (model -> IR) -> `emit` (IR -> tokens) -> `format` (tokens -> source text).

pub mod diagnostic_codes;
pub mod drift;
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

pub use generate::{generate_file, generate_file_plain, BuildError, Builder, Generated};
pub use spec::{Diagnostic, Loaded, Spec};

/// Loads and validates one spec file: the spec when clean, every problem otherwise.
pub fn check_file(file: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let checked = check_file_all(file);
    match checked.loaded {
        Some(loaded) if checked.diags.is_empty() => Ok(loaded),
        _ => Err(checked.diags),
    }
}

/// Loads and validates one spec file as far as it goes, keeping the text for snippets: every
/// structural problem, then (when only unknown keys were wrong) every semantic one.
pub fn check_file_all(file: &Path) -> spec::Outcome {
    validated(spec::load_file_outcome(file))
}

/// [`check_file_all`] for spec text that claims to come from `file`.
pub fn check_str_all(file: &Path, text: &str) -> spec::Outcome {
    validated(spec::load_str_outcome(file, text))
}

fn validated(mut outcome: spec::Outcome) -> spec::Outcome {
    if let Some(loaded) = &outcome.loaded {
        outcome.diags.extend(spec::validate::validate(loaded));
        outcome.warnings = spec::validate::warnings(loaded);
    }
    outcome
}
