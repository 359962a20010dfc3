//! `paygen schema`: prints the JSON Schema of the spec language.

use std::process::ExitCode;

/// Prints the schema to stdout.
pub fn run() -> ExitCode {
    print!("{}", paygen_codegen::schema::schema_json());
    ExitCode::SUCCESS
}
